// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * XIVE router: from a forwarded source event to a thread context.
 *
 *   1. EAS of the LISN: unknown or invalid -> logged, dropped;
 *      masked -> dropped silently
 *   2. END of the EAS: unknown or invalid -> logged, dropped
 *   3. END enqueues: write (generation << 31 | EISN) at the queue index,
 *      advance the index, flip the generation on wrap
 *   4. END priority 0xff -> dropped (masked END)
 *   5. without "unconditional notify", the END's ESn PQ pair coalesces
 *      notifications (sPAPR never re-arms it: Linux always asks for
 *      unconditional notification)
 *   6. NVT of the END -> thread context -> IPB |= priority bit
 *
 * Step 6 is O(1): the NVT index is 0x400 + vCPU id, so the context is found
 * from the id, with no scan of the vCPUs.  QEMU scans every context for a
 * matching CAM line; on sPAPR the guest cannot change a CAM line (only the
 * HV pages can, and the guest does not reach them), so the OS ring of the
 * vCPU with that id is the only possible match.
 */
#include "xive/xive-internal.h"

/* The ESn trigger of an END without unconditional notify. */
static bool end_esn_trigger(xive_end *end)
{
	uint32_t pq = xive_get_field32(END_W1_ESn, end->w1);
	uint32_t new_pq = pq;
	bool forward = false;

	switch (pq) {
	case XIVE_ESB_RESET:
		new_pq = XIVE_ESB_PENDING;
		forward = true;
		break;
	case XIVE_ESB_PENDING:
	case XIVE_ESB_QUEUED:
		new_pq = XIVE_ESB_QUEUED;
		break;
	default:
		break;
	}
	end->w1 = xive_set_field32(END_W1_ESn, end->w1, new_pq);
	return forward;
}

/* @held: the vCPU whose lock the caller took for the END, or -1 */
static void present(spirq_machine *m, const xive_end *end, uint8_t priority,
		    int held)
{
	uint32_t nvt_blk = xive_get_field32(END_W6_NVT_BLOCK, end->w6);
	uint32_t nvt_idx = xive_get_field32(END_W6_NVT_INDEX, end->w6);
	int cpu = -1;
	bool taken;

	if (nvt_blk == XIVE_BLOCK_ID && nvt_idx >= SPIRQ_XIVE_NVT_BASE)
		cpu = spapr_cpu_by_server(m, nvt_idx - SPIRQ_XIVE_NVT_BASE);
	if (cpu < 0) {
		spapr_guest_error(m, GE_ROUTING, "XIVE: no NVT %x/%x", nvt_blk,
				  nvt_idx);
		return;
	}
	if (xive_get_field32(END_W6_FORMAT_BIT, end->w6) ||
	    xive_test32(END_W7_F0_IGNORE, end->w7)) {
		/* logical servers: not something sPAPR hcalls configure */
		spapr_guest_error(m, GE_ROUTING,
				  "XIVE: no support for LS NVT %x/%x", nvt_blk,
				  nvt_idx);
		return;
	}
	taken = cpu != held && spapr_presenter_lock(m, (unsigned)cpu);
	xive_tctx_ipb_update(m, m->vcpus[cpu].tctx, TM_QW1_OS,
			     xive_priority_to_ipb(priority));
	spapr_presenter_unlock(m, (unsigned)cpu, taken);
}

/*
 * One event to END @end's queue (xive_end_push()), through write_guest
 * when the host does not map it.  A failed write is logged and leaves
 * the index where it was.
 */
static void end_enqueue(spirq_machine *m, xive_end *end,
			const struct xive_end_cache *c, uint32_t data)
{
	uint32_t w1 = be32_to_host(end->w1);
	uint32_t entry = xive_end_entry(w1, data);
	uint64_t addr = xive_end_qaddr(end) +
			((uint64_t)(w1 & END_W1_PAGE_OFF) << 2);

	if (c->host) {
		xive_end_push(end, c, data);
		return;
	}
	if (spapr_write_guest(m, addr, &entry, sizeof(entry))) {
		spapr_guest_error(m, GE_QUEUE,
				  "XIVE: failed to write END data @0x%llx",
				  (unsigned long long)addr);
		return;
	}
	end->w1 = host_to_be32(xive_end_w1_next(w1, c->qmask));
}

static void end_notify(spirq_machine *m, uint32_t end_blk, uint32_t end_idx,
		       uint32_t data)
{
	struct spapr_xive *xive = m->xive;
	xive_end *end;
	uint8_t priority;
	bool taken;
	int owner;

	if (end_blk != XIVE_BLOCK_ID || end_idx >= xive->nr_ends) {
		spapr_guest_error(m, GE_ROUTING, "XIVE: No END %x/%x", end_blk,
				  end_idx);
		return;
	}
	end = spapr_xive_end(xive, end_idx);	/* NULL: a reset END */
	if (!end || !xive_end_is_valid(end)) {
		spapr_guest_error(m, GE_ROUTING, "XIVE: END %x/%x is invalid",
				  end_blk, end_idx);
		return;
	}
	/* the END's queue and ESn change under its vCPU's lock too */
	owner = spapr_xive_end_cpu(m, end_idx);
	taken = owner >= 0 && spapr_presenter_lock(m, (unsigned)owner);
	if (xive_end_is_enqueue(end))
		end_enqueue(m, end, xive_end_cache_get(m, end, end_idx),
			    data);

	priority = (uint8_t)xive_get_field32(END_W7_F0_PRIORITY, end->w7);
	/* escalation is never configured by sPAPR hcalls */
	if (!xive_test32(END_W0_SILENT_ESCALATE, end->w0) &&
	    (xive_get_field32(END_W6_FORMAT_BIT, end->w6) || priority != 0xff) &&
	    (xive_test32(END_W0_UCOND_NOTIFY, end->w0) || end_esn_trigger(end)))
		present(m, end, priority, taken ? owner : -1);
	if (taken)
		spapr_presenter_unlock(m, (unsigned)owner, true);
}

/*
 * The fast paths deliver to an END that is valid, enqueues to a queue
 * the host maps, notifies unconditionally, does not escalate, and has a
 * priority (0..7) and a format-0 NVT of block 0 that is its own vCPU,
 * plugged: everything else goes the full way here.  A cache made while
 * that vCPU is absent says "not fast" until the END is configured again
 * or the vCPU is plugged (which forgets its group's caches).
 */
void xive_end_cache_build(spirq_machine *m, const xive_end *end,
			  uint32_t idx, struct xive_end_cache *c)
{
	uint32_t w0 = be32_to_host(end->w0), w6 = be32_to_host(end->w6);
	uint32_t w7 = be32_to_host(end->w7);
	uint32_t qsize = xive_get_field32(END_W0_QSIZE, end->w0);
	int cpu = spapr_xive_end_cpu(m, idx);

	c->qmask = (1u << (qsize + 10)) - 1;
	c->host = xive_end_is_enqueue(end) ?
		  spapr_map_guest(m, xive_end_qaddr(end),
				  (size_t)4096 << qsize) : NULL;
	c->tctx = cpu >= 0 ? m->vcpus[cpu].tctx : NULL;
	c->ipb = 0;
	if ((w0 & (END_W0_VALID | END_W0_ENQUEUE | END_W0_UCOND_NOTIFY |
		   END_W0_SILENT_ESCALATE)) ==
	    (END_W0_VALID | END_W0_ENQUEUE | END_W0_UCOND_NOTIFY) &&
	    !(w6 & (END_W6_FORMAT_BIT | END_W6_NVT_BLOCK)) &&
	    !(w7 & END_W7_F0_IGNORE) && c->host && c->tctx &&
	    xive_get_field32(END_W6_NVT_INDEX, end->w6) ==
	    SPIRQ_XIVE_NVT_BASE + m->vcpus[cpu].vcpu_id)
		c->ipb = xive_priority_to_ipb((uint8_t)
			xive_get_field32(END_W7_F0_PRIORITY, end->w7));
}

void xive_router_notify(spirq_machine *m, uint32_t lisn)
{
	struct spapr_xive *xive = m->xive;
	const xive_eas *eas;

	if (lisn >= xive->source.nr_irqs) {
		spapr_guest_error(m, GE_ROUTING, "XIVE: Unknown LISN %x", lisn);
		return;
	}
	eas = &xive->eat[lisn];
	if (!xive_eas_is_valid(eas)) {
		spapr_guest_error(m, GE_ROUTING, "XIVE: invalid LISN %x", lisn);
		return;
	}
	if (xive_eas_is_masked(eas))
		return;
	end_notify(m, (uint32_t)xive_get_field64(EAS_END_BLOCK, eas->w),
		   (uint32_t)xive_get_field64(EAS_END_INDEX, eas->w),
		   (uint32_t)xive_get_field64(EAS_END_DATA, eas->w));
}
