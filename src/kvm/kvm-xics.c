// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * XICS on KVM_DEV_TYPE_XICS (the semantics of QEMU 7.2's xics_kvm.c).
 *
 * The kernel handles the guest's XICS hcalls; spirq creates the device,
 * connects each vCPU to it, writes the sources (claims, RTAS) and reads
 * them back, and moves presenter state through ONE_REG ICP_STATE.
 *
 *   source state (KVM_DEV_XICS_GRP_SOURCES, attr = irq number):
 *     server:32 | priority:8 << 32 | LSI 40 | MASKED 41 | PENDING 42 |
 *     PRESENTED 43 | QUEUED 44
 *   The kernel keeps one priority and a masked bit; spirq's model keeps a
 *   priority and a saved priority: masked means priority 0xff with the
 *   saved one in the kernel's field.
 *
 *   presenter state (ICP_STATE): CPPR << 56 | XISR << 32 | MFRR << 24 |
 *   pending priority << 16
 *
 * An MSI presented but not yet accepted is handed to the two kernels
 * differently.  The XICS emulation takes QEMU's form: the source
 * PRESENTED, its number in the presenter's XISR.  XICS-on-XIVE turns
 * PRESENTED into the source's P bit and the XISR into a new trigger of
 * that source, which P then swallows (only Q is set): the guest never
 * gets it (measured on powernv9, Linux 6.1).  There it is written as the
 * kernel itself saves an occurrence waiting in the vCPU's queue: the
 * source PENDING without PRESENTED (restored as Q without P, which the
 * kernel re-fires at once), and no XISR in ICP_STATE.
 */
#include "common/bitmap.h"
#include "kvm/kvm-internal.h"
#include "xics/xics-internal.h"

/*
 * XICS-on-XIVE only: is source @srcno the interrupt its server's presenter
 * holds in its XISR, presented and not yet accepted?
 */
static bool queued_in_xisr(const spirq_machine *m, uint32_t srcno)
{
	const struct ics_irq *irq = &m->ics->irqs[srcno];
	const struct icp *icp;
	int cpu;

	if (!m->kvm->xics_on_xive || !(irq->flags & XICS_FLAGS_IRQ_MSI))
		return false;
	cpu = spapr_cpu_by_server(m, irq->server);
	if (cpu < 0)
		return false;
	icp = m->vcpus[cpu].icp;
	return icp->xisr_from_ics &&
	       icp_xisr(icp) == m->ics->offset + srcno;
}

static uint64_t source_to_kernel(const struct ics_irq *irq, bool queued)
{
	bool masked = irq->priority == 0xff;
	uint8_t priority = masked ? irq->saved_priority : irq->priority;
	uint64_t state = irq->server & SPIRQ_KVM_XICS_DESTINATION_MASK;

	state |= (uint64_t)priority << SPIRQ_KVM_XICS_PRIORITY_SHIFT;
	if (masked)
		state |= SPIRQ_KVM_XICS_MASKED;
	if (irq->flags & XICS_FLAGS_IRQ_LSI) {
		state |= SPIRQ_KVM_XICS_LEVEL_SENSITIVE;
		if (irq->status & XICS_STATUS_ASSERTED)
			state |= SPIRQ_KVM_XICS_PENDING;
	} else if (irq->status & XICS_STATUS_MASKED_PENDING) {
		state |= SPIRQ_KVM_XICS_PENDING;
	}
	if (queued)
		return state | SPIRQ_KVM_XICS_PENDING;
	if (irq->status & XICS_STATUS_SENT)
		state |= SPIRQ_KVM_XICS_PRESENTED;
	if (irq->status & XICS_STATUS_REJECTED)
		state |= SPIRQ_KVM_XICS_QUEUED;
	return state;
}

static void source_from_kernel(struct ics *ics, uint32_t srcno,
			       uint64_t state)
{
	const struct ics_irq *irq = &ics->irqs[srcno];
	uint8_t field = (uint8_t)(state >> SPIRQ_KVM_XICS_PRIORITY_SHIFT &
				  SPIRQ_KVM_XICS_PRIORITY_MASK);
	bool masked = state & SPIRQ_KVM_XICS_MASKED;
	uint8_t status = 0;

	if (state & SPIRQ_KVM_XICS_PENDING) {
		if (irq->flags & XICS_FLAGS_IRQ_LSI)
			status |= XICS_STATUS_ASSERTED;
		else
			status |= masked ? XICS_STATUS_MASKED_PENDING :
					   XICS_STATUS_REJECTED;
	}
	if (state & SPIRQ_KVM_XICS_PRESENTED)
		status |= XICS_STATUS_SENT;
	if (state & SPIRQ_KVM_XICS_QUEUED)
		status |= XICS_STATUS_REJECTED;
	ics_load_source(ics, srcno,
			(uint32_t)(state & SPIRQ_KVM_XICS_DESTINATION_MASK),
			masked ? 0xff : field, field, status);
}

int kvm_xics_write_source(spirq_machine *m, uint32_t srcno,
			  const struct ics_irq *irq, spirq_error *err)
{
	uint64_t state = source_to_kernel(irq, queued_in_xisr(m, srcno));

	return kvm_set_attr(m, SPIRQ_KVM_DEV_XICS_GRP_SOURCES,
			    m->ics->offset + srcno, &state,
			    "KVM_SET_DEVICE_ATTR(XICS source)", err);
}

int kvm_xics_sync_source(spirq_machine *m, uint32_t srcno, spirq_error *err)
{
	uint64_t state = 0;
	int ret;

	ret = kvm_get_attr(m, SPIRQ_KVM_DEV_XICS_GRP_SOURCES,
			   m->ics->offset + srcno, &state,
			   "KVM_GET_DEVICE_ATTR(XICS source)", err);
	if (!ret)
		source_from_kernel(m->ics, srcno, state);
	return ret;
}

int kvm_xics_push_source(spirq_machine *m, uint32_t srcno, spirq_error *err)
{
	return kvm_xics_write_source(m, srcno, &m->ics->irqs[srcno], err);
}

/*
 * The walks below visit the live entries only (struct ics.live): a claimed
 * source, or one with a status, is live.
 */
static bool source_claimed(const struct ics *ics, uint32_t srcno)
{
	return ics->irqs[srcno].flags & XICS_FLAGS_IRQ_MASK;
}

int kvm_xics_push_sources(spirq_machine *m, spirq_error *err)
{
	uint32_t srcno;
	int ret;

	bitmap_for_each_set(srcno, m->ics->live, m->ics->nr_irqs) {
		if (!source_claimed(m->ics, srcno))
			continue;
		ret = kvm_xics_push_source(m, srcno, err);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * vCPUs connected first, as QEMU does at realize: XICS-on-XIVE routes a
 * source only to a connected server, and leaves one written before its
 * server connected unrouted (the guest's interrupts lost until it sets
 * the source again).  Then sources, then presenters, as QEMU loads them:
 * the emulation refuses an XISR whose source it does not know.
 */
int kvm_xics_push_all(spirq_machine *m, spirq_error *err)
{
	unsigned i;
	int ret;

	for (i = 0; i < m->nr_plugged; i++) {
		ret = kvm_connect_vcpu(m, m->plug_order[i],
				       SPIRQ_KVM_CAP_IRQ_XICS, err);
		if (ret)
			return ret;
	}
	ret = kvm_xics_push_sources(m, err);
	if (ret)
		return ret;
	for (i = 0; i < m->nr_plugged; i++) {
		ret = kvm_xics_push_cpu(m, m->plug_order[i], err);
		if (ret)
			return ret;
	}
	return 0;
}

static int sync_cpu(spirq_machine *m, unsigned cpu, spirq_error *err)
{
	struct icp *icp = m->vcpus[cpu].icp;
	uint64_t state = 0;
	uint32_t xisr;
	int ret;

	/* a vCPU being plugged, not connected yet: no kernel state */
	if (!bitmap_test(m->kvm->connected, cpu))
		return 0;
	ret = kvm_vcpu_reg(m, cpu, SPIRQ_KVM_REG_PPC_ICP_STATE, &state, false,
			   err);
	if (ret)
		return ret;
	xisr = (uint32_t)(state >> SPIRQ_KVM_REG_PPC_ICP_XISR_SHIFT &
			  SPIRQ_KVM_REG_PPC_ICP_XISR_MASK);
	icp->xirr = (uint32_t)(state >> SPIRQ_KVM_REG_PPC_ICP_CPPR_SHIFT &
			       SPIRQ_KVM_REG_PPC_ICP_CPPR_MASK) << 24 | xisr;
	icp->mfrr = (uint8_t)(state >> SPIRQ_KVM_REG_PPC_ICP_MFRR_SHIFT &
			      SPIRQ_KVM_REG_PPC_ICP_MFRR_MASK);
	icp->pending_priority = (uint8_t)(state >> SPIRQ_KVM_REG_PPC_ICP_PPRI_SHIFT &
					  SPIRQ_KVM_REG_PPC_ICP_PPRI_MASK);
	icp->xisr_from_ics = xisr && xisr != XICS_IPI;
	return 0;
}

/*
 * XICS-on-XIVE (POWER9/10 hosts) keeps what it presents in the vCPU's
 * hardware queue: ICP_STATE never shows an XISR, and the source reads
 * PENDING (measured).  What the guest's next H_XIRR returns is then
 * written into the model's presenter, as the XICS emulation shows it, so
 * that a stream or an emulated backend gets the interrupt as presented.
 * Each vCPU gets the most favoured such MSI; the others stay rejected
 * (resent at the guest's EOI).  On the emulation nothing matches: a
 * pending source there is one its presenter refused.
 */
static void present_queued(spirq_machine *m)
{
	struct ics *ics = m->ics;
	uint32_t srcno;

	bitmap_for_each_set(srcno, ics->live, ics->nr_irqs) {
		const struct ics_irq *irq = &ics->irqs[srcno];
		struct icp *icp;
		uint32_t old;
		int cpu;

		if (!(irq->flags & XICS_FLAGS_IRQ_MSI) ||
		    !(irq->status & XICS_STATUS_REJECTED) ||
		    irq->priority == 0xff)
			continue;
		cpu = spapr_cpu_by_server(m, irq->server);
		if (cpu < 0)
			continue;
		icp = m->vcpus[cpu].icp;
		if (irq->priority >= icp_cppr(icp) ||
		    (icp_xisr(icp) && irq->priority >= icp->pending_priority))
			continue;
		old = icp_xisr(icp);
		if (old && !icp->xisr_from_ics)
			continue;	/* an IPI, more favoured */
		if (old)		/* a less favoured one goes back */
			ics_reject(ics, old);
		icp->xirr = (icp->xirr & CPPR_MASK) | (ics->offset + srcno);
		icp->pending_priority = irq->priority;
		icp->xisr_from_ics = true;
		ics_load_source(ics, srcno, irq->server, irq->priority,
				irq->saved_priority,
				irq->status & (uint8_t)~XICS_STATUS_REJECTED);
	}
}

int kvm_xics_sync_all(spirq_machine *m, spirq_error *err)
{
	uint32_t srcno;
	unsigned i;
	int ret;

	bitmap_for_each_set(srcno, m->ics->live, m->ics->nr_irqs) {
		if (!source_claimed(m->ics, srcno))
			continue;
		ret = kvm_xics_sync_source(m, srcno, err);
		if (ret)
			return ret;
	}
	for (i = 0; i < m->nr_plugged; i++) {
		ret = sync_cpu(m, m->plug_order[i], err);
		if (ret)
			return ret;
	}
	present_queued(m);
	return 0;
}

int kvm_xics_push_cpu(spirq_machine *m, unsigned cpu, spirq_error *err)
{
	const struct icp *icp = m->vcpus[cpu].icp;
	uint32_t xisr = icp_xisr(icp);
	uint8_t pending_priority = icp->pending_priority;
	uint64_t state;
	int ret;

	ret = kvm_connect_vcpu(m, cpu, SPIRQ_KVM_CAP_IRQ_XICS, err);
	if (ret)
		return ret;
	/* XICS-on-XIVE: an MSI its source already re-fires (see the top) */
	if (xisr && icp->xisr_from_ics &&
	    xisr - m->ics->offset < m->ics->nr_irqs &&
	    queued_in_xisr(m, xisr - m->ics->offset)) {
		xisr = 0;
		pending_priority = 0xff;
	}
	state = (uint64_t)icp_cppr(icp) << SPIRQ_KVM_REG_PPC_ICP_CPPR_SHIFT |
		(uint64_t)xisr << SPIRQ_KVM_REG_PPC_ICP_XISR_SHIFT |
		(uint64_t)icp->mfrr << SPIRQ_KVM_REG_PPC_ICP_MFRR_SHIFT |
		(uint64_t)pending_priority << SPIRQ_KVM_REG_PPC_ICP_PPRI_SHIFT;
	return kvm_vcpu_reg(m, cpu, SPIRQ_KVM_REG_PPC_ICP_STATE, &state, true,
			    err);
}

/*
 * Which kernel answers KVM_DEV_TYPE_XICS: XICS-on-XIVE has the control
 * group's NR_SERVERS attribute (kernels since 5.5), the emulation has no
 * control group (ENXIO; tests/kvm/probe on both L1s).  An older XICS-on-XIVE is
 * taken for the emulation.
 */
static bool is_xics_on_xive(spirq_machine *m)
{
	struct spirq_kvm_device_attr a = {
		.group = SPIRQ_KVM_DEV_XICS_GRP_CTRL,
		.attr = SPIRQ_KVM_DEV_XICS_NR_SERVERS,
	};
	const struct spapr_kvm_sys *sys = m->kvm->sys;

	return sys->ioctl(sys->opaque, m->kvm->dev_fd,
			  SPIRQ_KVM_HAS_DEVICE_ATTR, &a) == 0;
}

/* Create the device, connect the vCPUs, give it the model's state. */
int kvm_xics_activate(spirq_machine *m, spirq_error *err)
{
	int ret = kvm_device_create(m, SPIRQ_KVM_DEV_TYPE_XICS, KVM_DEV_XICS,
				    err);

	if (ret)
		return ret;
	m->kvm->xics_on_xive = is_xics_on_xive(m);
	return kvm_xics_push_all(m, err);
}

/*
 * A device line: an LSI follows the level (SET_LEVEL / UNSET), an MSI
 * fires once on a non-zero level and ignores 0, as QEMU's xics_kvm does.
 */
int kvm_xics_set_irq(spirq_machine *m, uint32_t irq, int level)
{
	struct spirq_kvm_irq_level line = { .irq = irq };
	bool lsi = m->ics->irqs[irq - m->ics->offset].flags &
		   XICS_FLAGS_IRQ_LSI;

	if (lsi)
		line.level = level ? SPIRQ_KVM_INTERRUPT_SET_LEVEL :
				     SPIRQ_KVM_INTERRUPT_UNSET;
	else if (level)
		line.level = SPIRQ_KVM_INTERRUPT_SET;
	else
		return 0;
	return kvm_ioctl(m, m->kvm->vm_fd, SPIRQ_KVM_IRQ_LINE, &line,
			 "KVM_IRQ_LINE", NULL) < 0 ? -SPIRQ_ERR_KERNEL : 0;
}
