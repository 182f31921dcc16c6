// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * XIVE native on KVM_DEV_TYPE_XIVE (the semantics of QEMU 7.2's
 * spapr_xive_kvm.c).
 *
 * The kernel runs the sources (ESB pages), the routing and the queues in
 * hardware, and the vCPUs' thread contexts; the guest reaches the ESB and
 * TIMA pages through the embedder's mappings of the device fd.  The
 * H_INT_* hcalls still come to spirq: they run on the model, and what
 * they changed is written to the device.
 *
 *   spirq model                     kernel
 *   EAS (valid LISN)                GRP_SOURCE (LSI, asserted) and
 *                                   GRP_SOURCE_CONFIG (priority 0-2,
 *                                   server from bit 3, masked bit 32,
 *                                   EISN from bit 33)
 *   source PQ                       ESB management loads: GET (0x800) to
 *                                   read, SET_PQ_xx (0xc00 + PQ << 8) to
 *                                   write
 *   END (vCPU slot, priority)       GRP_EQ_CONFIG (server << 3 | priority)
 *   TIMA QW1 bytes 0-7              ONE_REG VP_STATE word 0 (raw bytes)
 */
#include <string.h>
#include <unistd.h>

#include <spirq/kvm.h>

#include "common/bitmap.h"
#include "common/error-internal.h"
#include "kvm/kvm-internal.h"
#include "kvm/kvm.h"
#include "xive/xive-internal.h"

#define ESB_MGMT_OFFSET	(1ull << SPIRQ_XIVE_ESB_PAGE_SHIFT)
#define ESB_GET		0x800
#define ESB_SET_PQ_00	0xc00

static size_t page_size(const struct spapr_kvm_sys *sys)
{
	long size;

	if (sys->page_size)
		return sys->page_size;
	size = sysconf(_SC_PAGESIZE);
	return size > 0 ? (size_t)size : 65536;
}

/* ---- ESB pages ------------------------------------------------------------- */

static volatile void *esb_addr(spirq_machine *m, uint32_t lisn,
			       uint64_t offset)
{
	return (volatile uint8_t *)m->kvm->esb +
	       ((uint64_t)lisn << SPIRQ_XIVE_ESB_SHIFT) + offset;
}

static uint64_t esb_mgmt_load(spirq_machine *m, uint32_t lisn, uint32_t op)
{
	const struct spapr_kvm_sys *sys = m->kvm->sys;

	return be64_to_host(sys->mmio(sys->opaque,
				      esb_addr(m, lisn, ESB_MGMT_OFFSET + op),
				      false, 0));
}

static void esb_trigger(spirq_machine *m, uint32_t lisn)
{
	const struct spapr_kvm_sys *sys = m->kvm->sys;

	sys->mmio(sys->opaque, esb_addr(m, lisn, 0), true, 0);
}

static int map_esb(spirq_machine *m, spirq_error *err)
{
	struct spapr_kvm *k = m->kvm;
	int error = 0;

	k->esb_len = (size_t)m->xive->source.nr_irqs << SPIRQ_XIVE_ESB_SHIFT;
	k->esb = k->sys->mmap(k->sys->opaque, k->esb_len, k->dev_fd,
			      SPIRQ_KVM_XIVE_ESB_PAGE_OFFSET *
			      (uint64_t)page_size(k->sys), &error);
	if (!k->esb)
		return spirq__error_set(err, SPIRQ_ERR_KERNEL,
			"in-kernel backend: mmap of the XIVE ESB pages failed: %s",
			strerror(error));
	k->tima_len = SPIRQ_XIVE_TM_WINDOW_SIZE;
	return 0;
}

void kvm_xive_deactivate(spirq_machine *m)
{
	struct spapr_kvm *k = m->kvm;

	if (k->esb)
		k->sys->munmap(k->sys->opaque, k->esb, k->esb_len);
	k->esb = NULL;
	k->esb_len = 0;
	k->tima_len = 0;
}

/* ---- sources ------------------------------------------------------------------ */

/* The vCPU id (server) owning END @idx, for a source routed there. */
static uint32_t end_server(const spirq_machine *m, uint32_t idx)
{
	uint32_t slot = idx / XIVE_END_GROUP;

	if (!m->cfg.xive_by_max_cpus)
		return slot;		/* slots are vCPU ids */
	return slot < m->cfg.max_cpus ? m->vcpus[slot].vcpu_id : 0;
}

static uint64_t source_config(const spirq_machine *m, uint32_t lisn)
{
	uint64_t w = m->xive->eat[lisn].w;	/* big-endian */
	uint32_t idx = (uint32_t)xive_get_field64(EAS_END_INDEX, w);
	uint64_t eisn = xive_get_field64(EAS_END_DATA, w);
	uint64_t val;

	val = (idx % XIVE_END_GROUP) & SPIRQ_KVM_XIVE_SOURCE_PRIORITY_MASK;
	val |= ((uint64_t)end_server(m, idx)
		<< SPIRQ_KVM_XIVE_SOURCE_SERVER_SHIFT) &
	       SPIRQ_KVM_XIVE_SOURCE_SERVER_MASK;
	if (xive_test64(EAS_MASKED, w))
		val |= SPIRQ_KVM_XIVE_SOURCE_MASKED_MASK;
	val |= (eisn << SPIRQ_KVM_XIVE_SOURCE_EISN_SHIFT) &
	       SPIRQ_KVM_XIVE_SOURCE_EISN_MASK;
	return val;
}

static int push_source_config(spirq_machine *m, uint32_t lisn,
			      spirq_error *err)
{
	uint64_t val = source_config(m, lisn);

	return kvm_set_attr(m, SPIRQ_KVM_DEV_XIVE_GRP_SOURCE_CONFIG, lisn,
			    &val, "KVM_SET_DEVICE_ATTR(XIVE source config)",
			    err);
}

/* Create (or update) source @lisn in the kernel, routed and with its PQ. */
int kvm_xive_push_source(spirq_machine *m, uint32_t lisn, spirq_error *err)
{
	const struct xive_source *src = &m->xive->source;
	uint64_t state = 0;
	int ret;

	if (!xive_eas_is_valid(&m->xive->eat[lisn]))
		return 0;	/* never claimed, or freed: the kernel's copy
				 * stays as it was, unreachable */
	if (xive_source_is_lsi(src, lisn))
		state |= SPIRQ_KVM_XIVE_LEVEL_SENSITIVE;
	if (xive_source_is_asserted(src, lisn))
		state |= SPIRQ_KVM_XIVE_LEVEL_ASSERTED;
	ret = kvm_set_attr(m, SPIRQ_KVM_DEV_XIVE_GRP_SOURCE, lisn, &state,
			   "KVM_SET_DEVICE_ATTR(XIVE source)", err);
	if (!ret)
		ret = push_source_config(m, lisn, err);
	if (!ret)	/* a new kernel source is at PQ 01: set the model's */
		esb_mgmt_load(m, lisn, ESB_SET_PQ_00 +
				       (xive_source_pq(src, lisn) << 8));
	return ret;
}

/* A freed LISN: its routing stays in the kernel, masked. */
void kvm_xive_mask_source(spirq_machine *m, uint32_t lisn)
{
	uint64_t val = source_config(m, lisn) |
		       SPIRQ_KVM_XIVE_SOURCE_MASKED_MASK;

	kvm_set_attr(m, SPIRQ_KVM_DEV_XIVE_GRP_SOURCE_CONFIG, lisn, &val,
		     "KVM_SET_DEVICE_ATTR(XIVE source config)", NULL);
}

static int sync_source(spirq_machine *m, uint32_t lisn, spirq_error *err)
{
	int ret;

	ret = kvm_set_attr(m, SPIRQ_KVM_DEV_XIVE_GRP_SOURCE_SYNC, lisn, NULL,
			   "KVM_SET_DEVICE_ATTR(XIVE source sync)", err);
	if (ret)
		return ret;
	*xive_status(&m->xive->source, lisn) =
		(uint8_t)(esb_mgmt_load(m, lisn, ESB_GET) & 0x3);
	return 0;
}

/* ---- queues ------------------------------------------------------------------- */

static uint64_t eq_id(uint32_t server, uint8_t priority)
{
	return ((uint64_t)server << SPIRQ_KVM_XIVE_EQ_SERVER_SHIFT &
		SPIRQ_KVM_XIVE_EQ_SERVER_MASK) |
	       (priority & SPIRQ_KVM_XIVE_EQ_PRIORITY_MASK);
}

static int push_end(spirq_machine *m, unsigned cpu, uint8_t priority,
		    spirq_error *err)
{
	uint32_t idx = spirq_xive_end_slot(&m->cfg, cpu) * XIVE_END_GROUP +
		       priority;
	const xive_end *end = spapr_xive_end_peek(m->xive, idx);
	struct spirq_kvm_ppc_xive_eq eq;
	uint32_t w0 = end->w0, w1 = end->w1;	/* big-endian */

	memset(&eq, 0, sizeof(eq));
	if (xive_end_is_valid(end)) {
		if (xive_test32(END_W0_UCOND_NOTIFY, w0))
			eq.flags = SPIRQ_KVM_XIVE_EQ_ALWAYS_NOTIFY;
		eq.qshift = xive_get_field32(END_W0_QSIZE, w0) + 12;
		eq.qaddr = xive_end_qaddr(end);
		eq.qtoggle = xive_get_field32(END_W1_GENERATION, w1);
		eq.qindex = xive_get_field32(END_W1_PAGE_OFF, w1);
	}
	return kvm_set_attr(m, SPIRQ_KVM_DEV_XIVE_GRP_EQ_CONFIG,
			    eq_id(m->vcpus[cpu].vcpu_id, priority), &eq,
			    "KVM_SET_DEVICE_ATTR(XIVE EQ config)", err);
}

/* The kernel moved the queue's index and toggle: bring them back. */
static int sync_end(spirq_machine *m, unsigned cpu, uint8_t priority,
		    spirq_error *err)
{
	uint32_t idx = spirq_xive_end_slot(&m->cfg, cpu) * XIVE_END_GROUP +
		       priority;
	xive_end *end = spapr_xive_end(m->xive, idx);
	struct spirq_kvm_ppc_xive_eq eq;
	uint32_t w1;
	int ret;

	if (!end || !xive_end_is_valid(end) ||
	    !bitmap_test(m->kvm->connected, cpu))
		return 0;
	memset(&eq, 0, sizeof(eq));
	ret = kvm_get_attr(m, SPIRQ_KVM_DEV_XIVE_GRP_EQ_CONFIG,
			   eq_id(m->vcpus[cpu].vcpu_id, priority), &eq,
			   "KVM_GET_DEVICE_ATTR(XIVE EQ config)", err);
	if (ret)
		return ret;
	w1 = xive_set_field32(END_W1_GENERATION, end->w1, eq.qtoggle & 1);
	end->w1 = xive_set_field32(END_W1_PAGE_OFF, w1, eq.qindex);
	return 0;
}

/* ---- vCPUs ---------------------------------------------------------------------- */

static int push_vp(spirq_machine *m, unsigned cpu, spirq_error *err)
{
	uint64_t state[2] = { 0, 0 };

	/* the raw bytes of QW1 word 0-1, in TIMA (big-endian) order */
	memcpy(&state[0], &m->vcpus[cpu].tctx->regs[TM_QW1_OS], 8);
	return kvm_vcpu_reg(m, cpu, SPIRQ_KVM_REG_PPC_VP_STATE, state, true,
			    err);
}

/*
 * Only the bytes a guest changes come back (NSR, CPPR, IPB): the
 * kernel keeps LSMFB and AGE at 0 where the model's reset state (QEMU's)
 * has 0xff, and a stream must not depend on the backend that saved it.
 */
static int sync_vp(spirq_machine *m, unsigned cpu, spirq_error *err)
{
	static const uint8_t guest_bytes[] = { TM_NSR, TM_CPPR, TM_IPB };
	uint8_t *os = &m->vcpus[cpu].tctx->regs[TM_QW1_OS];
	uint64_t state[2] = { 0, 0 };
	uint8_t raw[8];
	size_t i;
	int ret;

	/* a vCPU being plugged, not connected yet: no kernel state */
	if (!bitmap_test(m->kvm->connected, cpu))
		return 0;
	ret = kvm_vcpu_reg(m, cpu, SPIRQ_KVM_REG_PPC_VP_STATE, state, false,
			   err);
	if (ret)
		return ret;
	memcpy(raw, &state[0], sizeof(raw));
	for (i = 0; i < sizeof(guest_bytes); i++)
		os[guest_bytes[i]] = raw[guest_bytes[i]];
	/* the kernel's PIPR byte is not kept up to date (0 at connect,
	 * 0xff with IPB bits pending, as measured): it follows the IPB */
	os[TM_PIPR] = xive_ipb_to_pipr(os[TM_IPB]);
	/*
	 * A priority that became pending while the VP was not dispatched is
	 * only in the IPB (the kernel merges the NVT's backlog into it; its
	 * NSR stays 0, measured): the hardware signals it when the VP is
	 * dispatched.  The model signals it now, or the guest's ACK on the
	 * emulated backend after a migration would find nothing.
	 */
	if (os[TM_PIPR] < os[TM_CPPR])
		os[TM_NSR] |= TM_QW1_NSR_EO;
	return 0;
}

static int push_cpu_queues(spirq_machine *m, unsigned cpu, bool all,
			   spirq_error *err)
{
	uint32_t first = spirq_xive_end_slot(&m->cfg, cpu) * XIVE_END_GROUP;
	uint8_t prio;
	int ret;

	for (prio = 0; prio < XIVE_HV_PRIO; prio++) {
		if (!all && !xive_end_is_valid(spapr_xive_end_peek(m->xive,
								  first + prio)))
			continue;
		ret = push_end(m, cpu, prio, err);
		if (ret)
			return ret;
	}
	return 0;
}

/* Connect a plugged vCPU, give it its queues and thread context. */
int kvm_xive_push_cpu(spirq_machine *m, unsigned cpu, spirq_error *err)
{
	int ret = kvm_connect_vcpu(m, cpu, SPIRQ_KVM_CAP_PPC_IRQ_XIVE, err);

	if (!ret)
		ret = push_cpu_queues(m, cpu, true, err);
	if (!ret)
		ret = push_vp(m, cpu, err);
	return ret;
}

/* ---- the whole device ------------------------------------------------------------ */

static int ctrl(spirq_machine *m, uint64_t what, const char *name,
		spirq_error *err)
{
	return kvm_set_attr(m, SPIRQ_KVM_DEV_XIVE_GRP_CTRL, what, NULL, name,
			    err);
}

/*
 * Routing and queues, not the thread contexts (H_INT_RESET).  Only the
 * live sources can have a valid EAS, which kvm_xive_push_source() needs.
 */
static int push_tables(spirq_machine *m, spirq_error *err)
{
	const struct xive_source *src = &m->xive->source;
	unsigned i;
	uint32_t lisn;
	int ret;

	ret = ctrl(m, SPIRQ_KVM_DEV_XIVE_RESET, "KVM_DEV_XIVE_RESET", err);
	for (i = 0; !ret && i < m->nr_plugged; i++) {
		ret = kvm_connect_vcpu(m, m->plug_order[i],
				       SPIRQ_KVM_CAP_PPC_IRQ_XIVE, err);
		if (!ret)
			ret = push_cpu_queues(m, m->plug_order[i], false, err);
	}
	bitmap_for_each_set(lisn, src->live, src->nr_irqs) {
		if (ret)
			break;
		ret = kvm_xive_push_source(m, lisn, err);
	}
	return ret;
}

int kvm_xive_push_all(spirq_machine *m, spirq_error *err)
{
	unsigned i;
	int ret = push_tables(m, err);

	for (i = 0; !ret && i < m->nr_plugged; i++)
		ret = push_vp(m, m->plug_order[i], err);
	return ret;
}

/* Thread contexts first (QEMU saves them with the vCPUs), then the
 * sources' PQ after a sync (those with a valid EAS: live ones), then the
 * queues after an EQ sync. */
int kvm_xive_sync_all(spirq_machine *m, spirq_error *err)
{
	const struct xive_source *src = &m->xive->source;
	unsigned i;
	uint32_t lisn;
	uint8_t prio;
	int ret = 0;

	for (i = 0; !ret && i < m->nr_plugged; i++)
		ret = sync_vp(m, m->plug_order[i], err);
	bitmap_for_each_set(lisn, src->live, src->nr_irqs) {
		if (ret)
			break;
		if (xive_eas_is_valid(&m->xive->eat[lisn]))
			ret = sync_source(m, lisn, err);
	}
	if (!ret)
		ret = ctrl(m, SPIRQ_KVM_DEV_XIVE_EQ_SYNC, "KVM_DEV_XIVE_EQ_SYNC",
			   err);
	for (i = 0; !ret && i < m->nr_plugged; i++)
		for (prio = 0; !ret && prio < XIVE_HV_PRIO; prio++)
			ret = sync_end(m, m->plug_order[i], prio, err);
	return ret;
}

static int set_nr_servers(spirq_machine *m, spirq_error *err)
{
	struct spirq_kvm_device_attr a = {
		.group = SPIRQ_KVM_DEV_XIVE_GRP_CTRL,
		.attr = SPIRQ_KVM_DEV_XIVE_NR_SERVERS,
	};
	const struct spapr_kvm_sys *sys = m->kvm->sys;
	uint32_t nr_servers = m->cfg.vcpu_id_bound;

	/* kernels before 5.5 have no such attribute: they size for all */
	if (sys->ioctl(sys->opaque, m->kvm->dev_fd, SPIRQ_KVM_HAS_DEVICE_ATTR,
		       &a) < 0)
		return 0;
	return kvm_set_attr(m, SPIRQ_KVM_DEV_XIVE_GRP_CTRL,
			    SPIRQ_KVM_DEV_XIVE_NR_SERVERS, &nr_servers,
			    "KVM_DEV_XIVE_NR_SERVERS", err);
}

int kvm_xive_activate(spirq_machine *m, spirq_error *err)
{
	int ret = kvm_device_create(m, SPIRQ_KVM_DEV_TYPE_XIVE, KVM_DEV_XIVE,
				    err);

	if (!ret)
		ret = set_nr_servers(m, err);
	if (!ret)
		ret = map_esb(m, err);
	if (!ret)
		ret = kvm_xive_push_all(m, err);
	return ret;
}

/* ---- device lines ------------------------------------------------------------------- */

/*
 * An LSI follows its level through KVM_IRQ_LINE (the kernel keeps the
 * assertion); an MSI is a store to its trigger page.
 */
int kvm_xive_set_irq(spirq_machine *m, uint32_t irq, int level)
{
	struct spirq_kvm_irq_level line = { .irq = irq };

	if (xive_source_is_lsi(&m->xive->source, irq)) {
		line.level = level ? SPIRQ_KVM_INTERRUPT_SET_LEVEL :
				     SPIRQ_KVM_INTERRUPT_UNSET;
		if (kvm_ioctl(m, m->kvm->vm_fd, SPIRQ_KVM_IRQ_LINE, &line,
			      "KVM_IRQ_LINE", NULL) < 0)
			return -SPIRQ_ERR_KERNEL;
		/* the level, for the EOI of H_INT_ESB and for info pic */
		xive_source_set_asserted(&m->xive->source, irq, level != 0);
		return 0;
	}
	if (level)
		esb_trigger(m, irq);
	return 0;
}

/* ---- H_INT_* on the kernel device --------------------------------------------------- */

static bool lisn_ok(spirq_machine *m, uint64_t lisn)
{
	return lisn < m->xive->source.nr_irqs &&
	       xive_eas_is_valid(&m->xive->eat[lisn]);
}

/*
 * The EOI of an LSI: the kernel's ESB knows no level (LSIs have the
 * H_INT_ESB flag, their EOI comes here), so spirq resets PQ and, while the
 * line is still asserted, triggers again.  1: triggered again.
 */
static uint64_t lsi_eoi(spirq_machine *m, uint32_t lisn)
{
	esb_mgmt_load(m, lisn, ESB_SET_PQ_00);
	if (!xive_source_is_asserted(&m->xive->source, lisn))
		return 0;
	esb_trigger(m, lisn);
	return 1;
}

/* H_INT_ESB with the checks of the model's, then on the device's page. */
static int64_t h_int_esb(spirq_machine *m, const uint64_t *args,
			 uint64_t *rets, unsigned *nrets)
{
	const struct spapr_kvm_sys *sys = m->kvm->sys;
	uint64_t flags = args[0], lisn = args[1], offset = args[2];
	volatile void *addr;

	if (flags & ~(uint64_t)SPIRQ_XIVE_ESB_STORE)
		return SPIRQ_H_PARAMETER;
	if (!lisn_ok(m, lisn)) {
		spapr_guest_error(m, GE_ROUTING, "XIVE: Invalid LISN %016llx",
				  (unsigned long long)lisn);
		return SPIRQ_H_P2;
	}
	if (offset > ESB_MGMT_OFFSET - 8)
		return SPIRQ_H_P3;
	if (offset & 7)
		return SPIRQ_H_HARDWARE;
	addr = esb_addr(m, (uint32_t)lisn, ESB_MGMT_OFFSET + offset);
	if (!(flags & SPIRQ_XIVE_ESB_STORE) && offset < ESB_GET &&
	    xive_source_is_lsi(&m->xive->source, (uint32_t)lisn)) {
		rets[0] = lsi_eoi(m, (uint32_t)lisn);
	} else if (flags & SPIRQ_XIVE_ESB_STORE) {
		sys->mmio(sys->opaque, addr, true, host_to_be64(args[3]));
		rets[0] = ~0ull;
	} else {
		rets[0] = be64_to_host(sys->mmio(sys->opaque, addr, false, 0));
	}
	*nrets = 1;
	return SPIRQ_H_SUCCESS;
}

/* An END's (vCPU, priority) from the target and priority arguments. */
static int end_cpu(spirq_machine *m, uint64_t target)
{
	return spapr_cpu_by_server(m, (uint32_t)target);
}

static int64_t run_and_push(spirq_machine *m, unsigned cpu, uint64_t opcode,
			    const uint64_t *args, uint64_t *rets,
			    unsigned *nrets)
{
	uint64_t lisn = args[1];
	int target_cpu = end_cpu(m, args[1]);
	uint8_t prio = (uint8_t)args[2];
	xive_eas eas_before = { 0 };
	xive_end end_before, *end = NULL;
	int64_t rc;
	int ret = 0;

	if (opcode == SPIRQ_H_INT_SET_SOURCE_CONFIG && lisn_ok(m, lisn))
		eas_before = m->xive->eat[lisn];
	if (opcode == SPIRQ_H_INT_SET_QUEUE_CONFIG && target_cpu >= 0 &&
	    prio < XIVE_HV_PRIO) {
		end = spapr_xive_end(m->xive,
			spirq_xive_end_slot(&m->cfg, (unsigned)target_cpu) *
			XIVE_END_GROUP + prio);
		if (end)
			end_before = *end;
	}
	rc = spapr_xive_hcall(m, cpu, opcode, args, rets, nrets);
	if (rc != SPIRQ_H_SUCCESS)
		return rc;
	if (opcode == SPIRQ_H_INT_SET_SOURCE_CONFIG) {
		ret = push_source_config(m, (uint32_t)lisn, NULL);
		if (ret)
			xive_eas_store(m->xive, (uint32_t)lisn, eas_before.w);
	} else if (opcode == SPIRQ_H_INT_SET_QUEUE_CONFIG && end) {
		ret = push_end(m, (unsigned)target_cpu, prio, NULL);
		if (ret) {
			*end = end_before;
			xive_end_cache_forget(end);
		}
	} else if (opcode == SPIRQ_H_INT_SYNC) {
		ret = kvm_set_attr(m, SPIRQ_KVM_DEV_XIVE_GRP_SOURCE_SYNC, lisn,
				   NULL, "KVM_SET_DEVICE_ATTR(XIVE source sync)",
				   NULL);
	} else if (opcode == SPIRQ_H_INT_RESET) {
		ret = push_tables(m, NULL);
	}
	if (ret) {
		*nrets = 0;
		return SPIRQ_H_HARDWARE;
	}
	return rc;
}

int64_t kvm_xive_hcall(spirq_machine *m, unsigned cpu, uint64_t opcode,
		       const uint64_t *args, uint64_t *rets, unsigned *nrets)
{
	static const uint64_t no_args[SPIRQ_HCALL_MAX_ARGS];
	unsigned count = 0;
	int64_t rc;

	if (!args)
		args = no_args;
	if (spapr_lock_sources(m, "spirq_hcall"))
		return SPIRQ_H_HARDWARE;
	if (cpu >= m->cfg.max_cpus || !m->vcpus[cpu].present) {
		rc = SPIRQ_H_HARDWARE;
	} else if (m->kvm->kind != KVM_DEV_XIVE || !spapr_xive_negotiated(m)) {
		rc = spapr_xive_hcall(m, cpu, opcode, args, rets, &count);
	} else if (opcode == SPIRQ_H_INT_ESB) {
		rc = h_int_esb(m, args, rets, &count);
	} else {
		if (opcode == SPIRQ_H_INT_GET_QUEUE_CONFIG &&
		    end_cpu(m, args[1]) >= 0 && (uint8_t)args[2] < XIVE_HV_PRIO)
			sync_end(m, (unsigned)end_cpu(m, args[1]),
				 (uint8_t)args[2], NULL);
		rc = run_and_push(m, cpu, opcode, args, rets, &count);
	}
	spapr_unlock_sources(m);
	if (nrets)
		*nrets = rc == SPIRQ_H_SUCCESS ? count : 0;
	return rc;
}

/* ---- the embedder's mappings --------------------------------------------------------- */

int spirq_kvm_mmio_region(spirq_machine *m, spirq_region region, int *fd,
			  uint64_t *offset, uint64_t *size)
{
	struct spapr_kvm *k;
	int ret;

	if (region != SPIRQ_REGION_ESB && region != SPIRQ_REGION_TIMA)
		return -SPIRQ_ERR_INVAL;
	ret = spapr_lock(m, __func__, NULL);
	if (ret)
		return ret;
	k = m->kvm;
	if (!m->kvm_lines || k->kind != KVM_DEV_XIVE) {
		ret = -SPIRQ_ERR_NOTFOUND;
	} else {
		*fd = k->dev_fd;
		*offset = (region == SPIRQ_REGION_ESB ?
			   SPIRQ_KVM_XIVE_ESB_PAGE_OFFSET :
			   SPIRQ_KVM_XIVE_TIMA_PAGE_OFFSET) *
			  (uint64_t)page_size(k->sys);
		*size = region == SPIRQ_REGION_ESB ? k->esb_len : k->tima_len;
	}
	spapr_unlock(m);
	return ret;
}
