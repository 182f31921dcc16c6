// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sPAPR XIVE hcalls (PAPR "H_INT_*"), with QEMU 7.2's checks, in
 * QEMU's order: negotiation (H_FUNCTION), reserved flags (H_PARAMETER),
 * then each parameter in turn (H_P2 .. H_P5).
 *
 * Argument widths are QEMU's: priorities are 8 bits wide (except the 0xff
 * test of H_INT_SET_SOURCE_CONFIG, made on the whole register), targets
 * 32 bits, LISNs and queue sizes 64 bits.
 *
 * Deliberate differences from QEMU 7.2 (spec/product.md):
 *   D1  END indexes use the END slot of the vCPU (dense from pseries-6.0)
 *   D2  H_INT_ESB: the access must lie in the management page, and a load
 *       returns the architected value on every host
 *   D3  H_INT_RESET resets the tables as a machine reset does
 *   D4  H_INT_SET_QUEUE_CONFIG: a queue outside guest RAM is refused
 *   D6  H_INT_GET_SOURCE_CONFIG of a masked source routed to an END
 *       without a queue (never configured, or masked with priority 0xff)
 *       answers target 0xffffffff ("none"); QEMU answers END 0's NVT
 *       minus 0x400, 0xfffffc00
 */
#include "xive/xive-internal.h"

/* Flags, PAPR bit numbering (bit 63 is 0x1): public, <spirq/papr.h> */
#define SPAPR_XIVE_SRC_H_INT_ESB	SPIRQ_XIVE_SRC_H_INT_ESB
#define SPAPR_XIVE_SRC_LSI		SPIRQ_XIVE_SRC_LSI
#define SPAPR_XIVE_SRC_TRIGGER		SPIRQ_XIVE_SRC_TRIGGER
#define SPAPR_XIVE_SRC_STORE_EOI	SPIRQ_XIVE_SRC_STORE_EOI

#define SPAPR_XIVE_SRC_SET_EISN		SPIRQ_XIVE_SRC_SET_EISN
#define SPAPR_XIVE_SRC_MASK		SPIRQ_XIVE_SRC_MASK

#define SPAPR_XIVE_END_ALWAYS_NOTIFY	SPIRQ_XIVE_END_ALWAYS_NOTIFY
#define SPAPR_XIVE_END_DEBUG		SPIRQ_XIVE_END_DEBUG
#define SPAPR_XIVE_END_DEBUG_GEN_SHIFT	SPIRQ_XIVE_END_DEBUG_GEN_SHIFT

#define SPAPR_XIVE_ESB_STORE		SPIRQ_XIVE_ESB_STORE

/* Target of a masked source whose END has no queue (D6). */
#define SPAPR_XIVE_NO_TARGET		0xffffffffu

static bool priority_is_reserved(uint8_t priority)
{
	return priority >= XIVE_HV_PRIO;
}

/* H_P2 for an unknown or unclaimed LISN, else 0. */
static int64_t check_lisn(spirq_machine *m, uint64_t lisn)
{
	if (lisn >= m->xive->source.nr_irqs) {
		spapr_guest_error(m, GE_ROUTING, "XIVE: Unknown LISN %016llx",
				  (unsigned long long)lisn);
		return SPIRQ_H_P2;
	}
	if (!xive_eas_is_valid(&m->xive->eat[lisn])) {
		spapr_guest_error(m, GE_ROUTING, "XIVE: Invalid LISN %016llx",
				  (unsigned long long)lisn);
		return SPIRQ_H_P2;
	}
	return 0;
}

static void log_reserved(spirq_machine *m, uint64_t priority)
{
	spapr_guest_error(m, GE_OTHER, "XIVE: priority %lld is reserved",
			  (long long)priority);
}

/*
 * Input:  R4 "flags" (none), R5 "lisn"
 * Output: R4 "flags" (H_INT_ESB, LSI, TRIGGER, STORE_EOI), R5 EOI page,
 *         R6 trigger page, R7 page shift
 */
static int64_t h_int_get_source_info(spirq_machine *m, const uint64_t *args,
				     uint64_t *rets, unsigned *nrets)
{
	uint64_t flags = args[0], lisn = args[1];
	uint64_t mgmt, trigger;
	int64_t ret;

	if (flags)
		return SPIRQ_H_PARAMETER;
	ret = check_lisn(m, lisn);
	if (ret)
		return ret;

	rets[0] = 0;
	if (xive_source_is_lsi(&m->xive->source, (uint32_t)lisn))
		rets[0] |= SPAPR_XIVE_SRC_H_INT_ESB | SPAPR_XIVE_SRC_LSI;
	trigger = SPIRQ_XIVE_VC_BASE + (lisn << SPIRQ_XIVE_ESB_SHIFT);
	mgmt = trigger + XIVE_ESB_PAGE_SIZE;
	if (rets[0] & SPAPR_XIVE_SRC_H_INT_ESB)
		mgmt = trigger = ~0ull;
	rets[1] = mgmt;
	rets[2] = trigger;
	rets[3] = SPIRQ_XIVE_ESB_SHIFT - 1;
	*nrets = 4;
	return SPIRQ_H_SUCCESS;
}

/*
 * Input: R4 "flags" (SET_EISN, MASK), R5 "lisn", R6 "target",
 *        R7 "priority", R8 "eisn"
 */
static int64_t h_int_set_source_config(spirq_machine *m, const uint64_t *args)
{
	uint64_t flags = args[0], lisn = args[1], target = args[2];
	uint64_t priority = args[3], eisn = args[4];
	xive_eas new_eas;
	int64_t end_idx, ret;

	if (flags & ~(uint64_t)(SPAPR_XIVE_SRC_SET_EISN | SPAPR_XIVE_SRC_MASK))
		return SPIRQ_H_PARAMETER;
	ret = check_lisn(m, lisn);
	if (ret)
		return ret;

	new_eas = m->xive->eat[lisn];
	if (priority == 0xff) {
		/* "reset": valid and masked, routed nowhere */
		xive_source_mark_live(&m->xive->source, (uint32_t)lisn);
		xive_eas_store(m->xive, (uint32_t)lisn,
			       host_to_be64(EAS_VALID | EAS_MASKED));
		return SPIRQ_H_SUCCESS;
	}
	new_eas.w = xive_set_field64(EAS_MASKED, new_eas.w,
				     !!(flags & SPAPR_XIVE_SRC_MASK));
	if (priority_is_reserved((uint8_t)priority)) {
		log_reserved(m, priority);
		return SPIRQ_H_P4;
	}
	end_idx = spapr_xive_target_to_end(m, target, (uint8_t)priority);
	if (end_idx < 0)
		return SPIRQ_H_P3;

	new_eas.w = xive_set_field64(EAS_END_BLOCK, new_eas.w, XIVE_BLOCK_ID);
	new_eas.w = xive_set_field64(EAS_END_INDEX, new_eas.w,
				     (uint64_t)end_idx);
	if (flags & SPAPR_XIVE_SRC_SET_EISN)
		new_eas.w = xive_set_field64(EAS_END_DATA, new_eas.w, eisn);
	xive_source_mark_live(&m->xive->source, (uint32_t)lisn);
	xive_eas_store(m->xive, (uint32_t)lisn, new_eas.w);
	return SPIRQ_H_SUCCESS;
}

/*
 * Input:  R4 "flags" (none), R5 "lisn"
 * Output: R4 "target", R5 "priority" (0xff when masked), R6 "eisn"
 */
static int64_t h_int_get_source_config(spirq_machine *m, const uint64_t *args,
				       uint64_t *rets, unsigned *nrets)
{
	uint64_t flags = args[0], lisn = args[1];
	const xive_eas *eas;
	const xive_end *end;
	uint32_t end_idx;
	int64_t ret;

	if (flags)
		return SPIRQ_H_PARAMETER;
	ret = check_lisn(m, lisn);
	if (ret)
		return ret;

	eas = &m->xive->eat[lisn];
	end_idx = (uint32_t)xive_get_field64(EAS_END_INDEX, eas->w);
	if (end_idx >= m->xive->nr_ends)	/* cannot happen: routes are checked */
		return SPIRQ_H_HARDWARE;
	end = spapr_xive_end_peek(m->xive, end_idx);
	if (xive_eas_is_masked(eas) && !xive_end_is_valid(end))
		rets[0] = SPAPR_XIVE_NO_TARGET;		/* D6 */
	else
		rets[0] = (uint32_t)(xive_get_field32(END_W6_NVT_INDEX, end->w6) -
				     SPIRQ_XIVE_NVT_BASE);
	rets[1] = xive_eas_is_masked(eas) ? 0xff :
		xive_get_field32(END_W7_F0_PRIORITY, end->w7);
	rets[2] = xive_get_field64(EAS_END_DATA, eas->w);
	*nrets = 3;
	return SPIRQ_H_SUCCESS;
}

/*
 * Input:  R4 "flags" (none), R5 "target", R6 "priority"
 * Output: R4 END ESB page address, R5 queue size (log2, 0 if none)
 */
static int64_t h_int_get_queue_info(spirq_machine *m, const uint64_t *args,
				    uint64_t *rets, unsigned *nrets)
{
	uint64_t flags = args[0], target = args[1], priority = args[2];
	const xive_end *end;
	int64_t end_idx;

	if (flags)
		return SPIRQ_H_PARAMETER;
	if (priority_is_reserved((uint8_t)priority)) {
		log_reserved(m, priority);
		return SPIRQ_H_P3;
	}
	end_idx = spapr_xive_target_to_end(m, target, (uint8_t)priority);
	if (end_idx < 0)
		return SPIRQ_H_P2;

	end = spapr_xive_end_peek(m->xive, (uint32_t)end_idx);
	rets[0] = XIVE_END_BASE(m->xive->source.nr_irqs) +
		  ((uint64_t)end_idx << SPIRQ_XIVE_ESB_SHIFT);
	rets[1] = xive_end_is_enqueue(end) ?
		xive_get_field32(END_W0_QSIZE, end->w0) + 12 : 0;
	*nrets = 2;
	return SPIRQ_H_SUCCESS;
}

/*
 * END @idx := @end (a reset END when NULL).  The hcalls hold the sources
 * lock; an END also changes under its vCPU's lock (the ESB trigger fast
 * path reads it holding only that lock), taken here: O(1), not the
 * exclusive lock.
 */
static void end_write(spirq_machine *m, uint32_t idx, xive_end *slot,
		      const xive_end *end)
{
	int owner = spapr_xive_end_cpu(m, idx);
	bool taken = owner >= 0 && spapr_presenter_lock(m, (unsigned)owner);

	if (end)
		*slot = *end;
	else
		spapr_xive_end_reset(slot);
	xive_end_cache_forget(slot);
	spapr_presenter_unlock(m, (unsigned)owner, taken);
}

/* The queue sizes QEMU accepts: 4K, 64K, 2M, 16M. */
static bool qsize_is_valid(uint64_t qsize)
{
	return qsize == 12 || qsize == 16 || qsize == 21 || qsize == 24;
}

/*
 * Input: R4 "flags" (ALWAYS_NOTIFY), R5 "target", R6 "priority",
 *        R7 "qpage", R8 "qsize" (log2; 0 resets the END)
 */
static int64_t h_int_set_queue_config(spirq_machine *m, const uint64_t *args)
{
	uint64_t flags = args[0], target = args[1], priority = args[2];
	uint64_t qpage = args[3], qsize = args[4];
	xive_end end, *slot;
	int64_t end_idx;
	int cpu;

	if (flags & ~(uint64_t)SPAPR_XIVE_END_ALWAYS_NOTIFY)
		return SPIRQ_H_PARAMETER;
	if (priority_is_reserved((uint8_t)priority)) {
		log_reserved(m, priority);
		return SPIRQ_H_P3;
	}
	end_idx = spapr_xive_target_to_end(m, target, (uint8_t)priority);
	if (end_idx < 0)
		return SPIRQ_H_P2;

	/* the target is plugged, so its END group exists */
	slot = spapr_xive_end(m->xive, (uint32_t)end_idx);
	if (!slot)
		return SPIRQ_H_HARDWARE;
	end = *slot;
	if (qsize == 0) {
		end_write(m, (uint32_t)end_idx, slot, NULL);
		return SPIRQ_H_SUCCESS;
	}
	if (!qsize_is_valid(qsize)) {
		spapr_guest_error(m, GE_QUEUE, "XIVE: invalid EQ size %llx",
				  (unsigned long long)qsize);
		return SPIRQ_H_P5;
	}
	if (qpage & ((1ull << qsize) - 1)) {
		spapr_guest_error(m, GE_QUEUE,
				  "XIVE: EQ @0x%llx is not naturally aligned with %llx",
				  (unsigned long long)qpage,
				  (unsigned long long)(1ull << qsize));
		return SPIRQ_H_P4;
	}
	if (!spapr_range_in_ram(m, qpage, 1ull << qsize)) {	/* D4 */
		spapr_guest_error(m, GE_QUEUE, "XIVE: failed to map EQ @0x%llx",
				  (unsigned long long)qpage);
		return SPIRQ_H_P4;
	}

	cpu = spapr_cpu_by_server(m, (uint32_t)target);
	end.w2 = host_to_be32((uint32_t)(qpage >> 32) & 0x0fffffff);
	end.w3 = host_to_be32((uint32_t)qpage);
	end.w0 = xive_put32(END_W0_ENQUEUE, end.w0, true);
	end.w0 = xive_set_field32(END_W0_QSIZE, end.w0, (uint32_t)qsize - 12);
	end.w6 = xive_set_field32(END_W6_NVT_BLOCK, 0, XIVE_BLOCK_ID) |
		 xive_set_field32(END_W6_NVT_INDEX, 0,
				  SPIRQ_XIVE_NVT_BASE + m->vcpus[cpu].vcpu_id);
	end.w7 = xive_set_field32(END_W7_F0_PRIORITY, 0, (uint8_t)priority);
	end.w0 = xive_put32(END_W0_UCOND_NOTIFY, end.w0,
			    flags & SPAPR_XIVE_END_ALWAYS_NOTIFY);
	/* a new queue: generation 1, index 0 */
	end.w1 = xive_set_field32(END_W1_GENERATION, 0, 1);
	end.w0 = xive_put32(END_W0_VALID, end.w0, true);
	end_write(m, (uint32_t)end_idx, slot, &end);
	return SPIRQ_H_SUCCESS;
}

/*
 * Input:  R4 "flags" (DEBUG), R5 "target", R6 "priority"
 * Output: R4 "flags" (ALWAYS_NOTIFY; with DEBUG the generation at bit 1),
 *         R5 "qpage", R6 "qsize", R7 queue index (with DEBUG, else 0)
 */
static int64_t h_int_get_queue_config(spirq_machine *m, const uint64_t *args,
				      uint64_t *rets, unsigned *nrets)
{
	uint64_t flags = args[0], target = args[1], priority = args[2];
	const xive_end *end;
	int64_t end_idx;
	bool taken;
	int owner;

	if (flags & ~(uint64_t)SPAPR_XIVE_END_DEBUG)
		return SPIRQ_H_PARAMETER;
	if (priority_is_reserved((uint8_t)priority)) {
		log_reserved(m, priority);
		return SPIRQ_H_P3;
	}
	end_idx = spapr_xive_target_to_end(m, target, (uint8_t)priority);
	if (end_idx < 0)
		return SPIRQ_H_P2;

	owner = spapr_xive_end_cpu(m, (uint32_t)end_idx);
	/* w1, the queue index, moves under the END vCPU's lock alone */
	taken = owner >= 0 && spapr_presenter_lock(m, (unsigned)owner);
	end = spapr_xive_end_peek(m->xive, (uint32_t)end_idx);
	rets[0] = xive_test32(END_W0_UCOND_NOTIFY, end->w0) ?
		SPAPR_XIVE_END_ALWAYS_NOTIFY : 0;
	if (xive_end_is_enqueue(end)) {
		rets[1] = xive_end_qaddr(end);
		rets[2] = xive_get_field32(END_W0_QSIZE, end->w0) + 12;
	} else {
		rets[1] = 0;
		rets[2] = 0;
	}
	rets[3] = 0;
	if (flags & SPAPR_XIVE_END_DEBUG) {
		rets[0] |= (uint64_t)xive_get_field32(END_W1_GENERATION,
						      end->w1)
			   << SPAPR_XIVE_END_DEBUG_GEN_SHIFT;
		rets[3] = xive_get_field32(END_W1_PAGE_OFF, end->w1);
	}
	spapr_presenter_unlock(m, (unsigned)owner, taken);
	*nrets = 4;
	return SPIRQ_H_SUCCESS;
}

/*
 * Input:  R4 "flags" (STORE), R5 "lisn", R6 "esbOffset", R7 "storeData"
 * Output: R4 the loaded value, or -1 after a store
 */
static int64_t h_int_esb(spirq_machine *m, const uint64_t *args,
			 uint64_t *rets, unsigned *nrets)
{
	uint64_t flags = args[0], lisn = args[1], offset = args[2];
	int64_t ret;

	if (flags & ~(uint64_t)SPAPR_XIVE_ESB_STORE)
		return SPIRQ_H_PARAMETER;
	ret = check_lisn(m, lisn);
	if (ret)
		return ret;
	if (offset > XIVE_ESB_PAGE_SIZE - 8)	/* D2 */
		return SPIRQ_H_P3;
	if (offset & 7) {
		/* QEMU's bus access splits it; the ESB refuses the pieces */
		spapr_guest_error(m, GE_ESB, "XIVE: failed to access ESB @0x%llx",
				  (unsigned long long)(SPIRQ_XIVE_VC_BASE +
						       (lisn << SPIRQ_XIVE_ESB_SHIFT) +
						       XIVE_ESB_PAGE_SIZE + offset));
		return SPIRQ_H_HARDWARE;
	}
	if (flags & SPAPR_XIVE_ESB_STORE) {
		xive_source_mgmt_store(m, (uint32_t)lisn,
				       (uint32_t)(offset & 0xfff));
		rets[0] = ~0ull;
	} else {
		rets[0] = xive_source_mgmt_load(m, (uint32_t)lisn,
						(uint32_t)(offset & 0xfff));
	}
	*nrets = 1;
	return SPIRQ_H_SUCCESS;
}

/* Input: R4 "flags" (none), R5 "lisn".  Emulated: nothing in flight. */
static int64_t h_int_sync(spirq_machine *m, const uint64_t *args)
{
	if (args[0])
		return SPIRQ_H_PARAMETER;
	return check_lisn(m, args[1]);
}

/* Input: R4 "flags" (none).  D3: reset as a machine reset does. */
static int64_t h_int_reset(spirq_machine *m, const uint64_t *args)
{
	if (args[0])
		return SPIRQ_H_PARAMETER;
	/* device lines are not reset: an asserted LSI stays asserted */
	spapr_xive_reset_tables(m, true);
	return SPIRQ_H_SUCCESS;
}

int64_t spapr_xive_hcall(spirq_machine *m, unsigned cpu, uint64_t opcode,
			 const uint64_t *args, uint64_t *rets, unsigned *nrets)
{
	(void)cpu;
	*nrets = 0;
	if (!spapr_xive_negotiated(m))
		return SPIRQ_H_FUNCTION;

	switch (opcode) {
	case SPIRQ_H_INT_GET_SOURCE_INFO:
		return h_int_get_source_info(m, args, rets, nrets);
	case SPIRQ_H_INT_SET_SOURCE_CONFIG:
		return h_int_set_source_config(m, args);
	case SPIRQ_H_INT_GET_SOURCE_CONFIG:
		return h_int_get_source_config(m, args, rets, nrets);
	case SPIRQ_H_INT_GET_QUEUE_INFO:
		return h_int_get_queue_info(m, args, rets, nrets);
	case SPIRQ_H_INT_SET_QUEUE_CONFIG:
		return h_int_set_queue_config(m, args);
	case SPIRQ_H_INT_GET_QUEUE_CONFIG:
		return h_int_get_queue_config(m, args, rets, nrets);
	case SPIRQ_H_INT_ESB:
		return h_int_esb(m, args, rets, nrets);
	case SPIRQ_H_INT_SYNC:
		return h_int_sync(m, args);
	case SPIRQ_H_INT_RESET:
		return h_int_reset(m, args);
	default:	/* the OS reporting line is not implemented */
		return SPIRQ_H_FUNCTION;
	}
}
