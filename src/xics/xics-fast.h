/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The XICS fast paths: what a guest does at every interrupt, inlined into
 * the entry points (spirq_hcall, spirq_set_irq) so that no argument is
 * marshalled and no call is made before the work is done.
 *
 *   H_XIRR, H_EOI, H_CPPR, H_IPI   under the one vCPU lock of the presenter
 *                                  they change (the caller's; H_IPI's
 *                                  target), when no source is involved
 *   an MSI's device line           under the sources lock, then the target
 *                                  presenter's lock, when the presenter
 *                                  takes it without rejecting anything
 *
 * Each returns false having changed nothing when its case is not the
 * plain one (a vCPU not plugged, XIVE negotiated, a source to reject or
 * resend, an LSI, a host callback calling back): the caller then goes
 * the full way, which handles every case.  SPAPR_FAST_XICS stands for
 * every check of the vCPU and the machine's mode (struct vcpu_hot).
 */
#ifndef SPIRQ_XICS_FAST_H
#define SPIRQ_XICS_FAST_H

#include "xics/xics-internal.h"

#define XICS_FAST static inline __attribute__((always_inline))

/*
 * The end of a fast path: vCPU @cpu's line driven to @level (the host
 * told, with the vCPU's lock held), then that lock given back, and the
 * sources lock too when @sources.
 */
XICS_FAST int64_t xics_fast_finish(spirq_machine *m, struct vcpu_hot *hot,
				   unsigned cpu, int level, bool sources)
{
	spapr_hot_set_line(m, hot, cpu, level);
	fastlock_unlock(&hot->lock);
	if (sources)
		fastlock_unlock(&m->sources_lock);
	return 0;
}

/*
 * Shapes shared by the hcall fast paths: they take the vCPU's lock only
 * if it is free (a taken lock, a callback calling back included, sends
 * the call the full way, which waits or refuses), and give the call to
 * spapr_hcall_miss() when its case is not theirs.  Nothing they keep in
 * registers has to survive a call but the slot, across the host's
 * set_cpu_irq: that is what keeps them short.
 */
#define XICS_HCALL_ARGS	spirq_machine *m, unsigned cpu, uint64_t opcode, \
			const uint64_t *args, uint64_t *rets, unsigned *nrets
#define XICS_MISS()	spapr_hcall_miss(m, cpu, opcode, args, rets, nrets)
#define XICS_FULL()	spapr_hcall_slow(m, cpu, opcode, args, rets, nrets)

/* May the XICS hcalls use this vCPU's ICP (plugged, XIVE not negotiated)?
 * Its hot entry locked. */
XICS_FAST bool xics_fast_ok(const struct vcpu_hot *hot)
{
	return hot->fast & SPAPR_FAST_XICS;
}

XICS_FAST int64_t xics_fast_done(unsigned *nrets, unsigned count)
{
	if (nrets)
		*nrets = count;
	return SPIRQ_H_SUCCESS;
}

/* H_XIRR: accept what is presented.  The line lowers. */
XICS_FAST int64_t xics_fast_xirr(XICS_HCALL_ARGS)
{
	struct vcpu_slot *v = &m->vcpus[cpu];
	struct vcpu_hot *hot = v->hot;
	struct icp *icp;

	if (!fastlock_trylock(&hot->lock))
		return XICS_FULL();
	if (!xics_fast_ok(hot))
		return XICS_MISS();
	icp = v->icp;
	rets[0] = icp_accept_state(icp);
	xics_fast_done(nrets, 1);
	return xics_fast_finish(m, hot, cpu, 0, false);
}

/*
 * H_EOI of an MSI or the IPI: the CPPR restored, the IPI presented again
 * if the MFRR still asks for it.  An LSI's EOI clears its SENT state and
 * an empty XISR with sources waiting calls for a resend: both reach the
 * sources.
 */
XICS_FAST int64_t xics_fast_eoi(XICS_HCALL_ARGS)
{
	struct vcpu_slot *v = &m->vcpus[cpu];
	struct vcpu_hot *hot = v->hot;
	uint32_t xirr = (uint32_t)args[0];
	const struct ics *ics = m->ics;
	struct icp *icp;
	uint32_t srcno;

	if (!fastlock_trylock(&hot->lock))
		return XICS_FULL();
	if (!xics_fast_ok(hot))
		return XICS_MISS();
	icp = v->icp;
	srcno = (xirr & XISR_MASK) - ics->offset;
	if ((srcno < ics->nr_irqs &&
	     (ics->irqs[srcno].flags & XICS_FLAGS_IRQ_LSI)) ||
	    (!icp_xisr(icp) && ics_has_waiting(ics)))
		return XICS_MISS();
	icp->xirr = (icp->xirr & ~CPPR_MASK) | (xirr & CPPR_MASK);
	xics_fast_done(nrets, 0);
	if (!icp_xisr(icp) && icp->mfrr < icp_cppr(icp)) {
		icp_present_ipi_state(icp);
		return xics_fast_finish(m, hot, cpu, 1, false);
	}
	fastlock_unlock(&hot->lock);
	return SPIRQ_H_SUCCESS;
}

/*
 * H_CPPR, unless it withdraws a source's interrupt (rejected to the ICS)
 * or opens the presenter while sources wait (a resend).
 */
XICS_FAST int64_t xics_fast_cppr(XICS_HCALL_ARGS)
{
	struct vcpu_slot *v = &m->vcpus[cpu];
	struct vcpu_hot *hot = v->hot;
	uint8_t cppr = (uint8_t)args[0];
	struct icp *icp;
	bool local;

	if (!fastlock_trylock(&hot->lock))
		return XICS_FULL();
	if (!xics_fast_ok(hot))
		return XICS_MISS();
	icp = v->icp;
	if (cppr < icp_cppr(icp))
		local = !(icp_xisr(icp) && cppr <= icp->pending_priority &&
			  icp->xisr_from_ics);
	else
		local = icp_xisr(icp) || !ics_has_waiting(m->ics);
	if (!local)
		return XICS_MISS();
	xics_fast_done(nrets, 0);
	icp_set_cppr(m, icp, cppr);
	fastlock_unlock(&hot->lock);
	return SPIRQ_H_SUCCESS;
}

/*
 * H_IPI, under the target's lock, unless the IPI displaces a source's
 * interrupt (rejected to the ICS).  The caller's presence is read under
 * the target's lock: it changes only under the exclusive one.
 */
XICS_FAST int64_t xics_fast_ipi(XICS_HCALL_ARGS)
{
	/* QEMU passes the register as an int: keep the low 32 bits */
	int target = spapr_cpu_index(m, (uint32_t)args[0]);
	uint8_t mfrr = (uint8_t)args[1];
	const struct vcpu_slot *caller = &m->vcpus[cpu];
	struct vcpu_slot *v;
	struct vcpu_hot *hot;
	struct icp *icp;

	if (target < 0)
		return XICS_FULL();
	v = &m->vcpus[target];
	hot = v->hot;
	if (!fastlock_trylock(&hot->lock))
		return XICS_FULL();
	icp = v->icp;
	if (!xics_fast_ok(hot) || !caller->present ||
	    (mfrr < icp_cppr(icp) && icp_xisr(icp) && icp->xisr_from_ics &&
	     icp->pending_priority > mfrr))
		return XICS_MISS();
	icp->mfrr = mfrr;
	xics_fast_done(nrets, 0);
	if (mfrr < icp_cppr(icp) &&
	    !(icp_xisr(icp) && icp->pending_priority <= mfrr)) {
		icp_present_ipi_state(icp);
		return xics_fast_finish(m, hot, (unsigned)target, 1, false);
	}
	fastlock_unlock(&hot->lock);
	return SPIRQ_H_SUCCESS;
}

/*
 * A device line rises (sources lock held, @irq an external source, XICS
 * active): when it is a claimed MSI (the ICS's flags follow the claims),
 * it is presented when its presenter has nothing presented and its CPPR
 * lets it through.  Otherwise (masked, absent server, a rejection, the
 * presenter's lock taken) spapr_set_irq_miss() does it.  Not exclusive
 * and holding no presenter, the plain holder of the sources lock takes
 * the presenter's lock itself.
 */
XICS_FAST int xics_fast_msi(spirq_machine *m, uint32_t irq)
{
	const struct ics *ics = m->ics;
	/* the ICS's offset is always SPIRQ_XIRQ_BASE */
	const struct ics_irq *src = &ics->irqs[irq - SPIRQ_XIRQ_BASE];
	uint8_t priority = src->priority;
	int cpu = spapr_cpu_index(m, src->server);
	struct vcpu_slot *v;
	struct vcpu_hot *hot;
	struct icp *icp;

	if (src->flags != XICS_FLAGS_IRQ_MSI || cpu < 0 || priority == 0xff)
		return spapr_set_irq_miss(m, irq, 1, -1);
	v = &m->vcpus[cpu];
	hot = v->hot;
	icp = v->icp;
	if (!icp || !fastlock_trylock(&hot->lock))
		return spapr_set_irq_miss(m, irq, 1, -1);
	if (icp_xisr(icp) || priority >= icp_cppr(icp))
		return spapr_set_irq_miss(m, irq, 1, cpu);
	icp->xirr |= irq & XISR_MASK;
	icp->xisr_from_ics = true;
	icp->pending_priority = priority;
	return (int)xics_fast_finish(m, hot, (unsigned)cpu, 1, true);
}

#endif /* SPIRQ_XICS_FAST_H */
