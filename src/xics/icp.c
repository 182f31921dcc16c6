// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * XICS interrupt presentation controller (ICP), one per vCPU.
 *
 *   XIRR  31      24 23                          0
 *        +----------+-----------------------------+
 *        |   CPPR   |   XISR (source presented)   |
 *        +----------+-----------------------------+
 *
 * An interrupt (irq, prio) is presented when prio < CPPR and prio is more
 * favoured than the XISR already presented, which is then rejected back to
 * its source.  The IPI (XISR 2) is presented from the MFRR the same way.
 */
#include <stdlib.h>

#include "common/alloc.h"
#include "common/printer.h"
#include "xics/xics-internal.h"

struct icp *icp_create(unsigned cpu, size_t *footprint)
{
	struct icp *icp = spirq__calloc(footprint, 1, sizeof(*icp));

	if (icp) {
		icp->cpu = cpu;
		icp->pending_priority = 0xff;
		icp->mfrr = 0xff;
	}
	return icp;
}

void icp_destroy(struct icp *icp, size_t *footprint)
{
	spirq__free(footprint, icp, 1, sizeof(*icp));
}

void icp_reset(spirq_machine *m, struct icp *icp)
{
	icp->xirr = 0;
	icp->pending_priority = 0xff;
	icp->mfrr = 0xff;
	icp->xisr_from_ics = false;
	spapr_cpu_set_line(m, icp->cpu, 0);
}

/* Give the presented XISR back to the ICS, if it came from there. */
static void reject_presented(spirq_machine *m, struct icp *icp)
{
	if (icp_xisr(icp) && icp->xisr_from_ics)
		ics_reject(m->ics, icp_xisr(icp));
	icp->xisr_from_ics = false;
}

/* Present the IPI (MFRR), nothing a source sent being in the XISR. */
static inline __attribute__((always_inline))
void present_ipi(spirq_machine *m, struct icp *icp)
{
	icp->xirr = (icp->xirr & ~XISR_MASK) | XICS_IPI;
	icp->pending_priority = icp->mfrr;
	icp->xisr_from_ics = false;
	spapr_cpu_set_line(m, icp->cpu, 1);
}

static void check_ipi(spirq_machine *m, struct icp *icp)
{
	if (icp_xisr(icp) && icp->pending_priority <= icp->mfrr)
		return;
	reject_presented(m, icp);
	present_ipi(m, icp);
}

void icp_resend(spirq_machine *m, struct icp *icp)
{
	if (icp->mfrr < icp_cppr(icp))
		check_ipi(m, icp);
	if (ics_has_waiting(m->ics))
		ics_resend(m);
}

void icp_irq(spirq_machine *m, uint32_t server, uint32_t irq,
	     uint8_t priority)
{
	int cpu = spapr_cpu_by_server(m, server);
	struct icp *icp;
	bool taken;

	if (cpu < 0) {
		/* a source left pointing at an unplugged vCPU */
		spapr_guest_error(m, GE_XICS,
				  "XICS: irq 0x%x targets absent server %u",
				  irq, server);
		ics_reject(m->ics, irq);
		return;
	}
	icp = m->vcpus[cpu].icp;
	taken = spapr_presenter_lock(m, (unsigned)cpu);
	if (priority >= icp_cppr(icp) ||
	    (icp_xisr(icp) && icp->pending_priority <= priority)) {
		ics_reject(m->ics, irq);
	} else {
		reject_presented(m, icp);
		icp->xirr = (icp->xirr & ~XISR_MASK) | (irq & XISR_MASK);
		icp->xisr_from_ics = true;
		icp->pending_priority = priority;
		spapr_cpu_set_line(m, icp->cpu, 1);
	}
	spapr_presenter_unlock(m, (unsigned)cpu, taken);
}

void icp_set_cppr(spirq_machine *m, struct icp *icp, uint8_t cppr)
{
	uint8_t old_cppr = icp_cppr(icp);

	icp->xirr = (icp->xirr & ~CPPR_MASK) | ((uint32_t)cppr << 24);
	if (cppr < old_cppr) {
		/* more favoured: withdraw what the new CPPR masks */
		if (icp_xisr(icp) && cppr <= icp->pending_priority) {
			uint32_t old_xisr = icp_xisr(icp);
			bool from_ics = icp->xisr_from_ics;

			icp->xirr &= ~XISR_MASK;
			icp->pending_priority = 0xff;
			spapr_cpu_set_line(m, icp->cpu, 0);
			if (from_ics)
				ics_reject(m->ics, old_xisr);
			icp->xisr_from_ics = false;
		}
	} else if (!icp_xisr(icp)) {
		icp_resend(m, icp);
	}
}

void icp_set_mfrr(spirq_machine *m, struct icp *icp, uint8_t mfrr)
{
	icp->mfrr = mfrr;
	if (mfrr < icp_cppr(icp))
		check_ipi(m, icp);
}

static inline __attribute__((always_inline))
uint32_t accept(spirq_machine *m, struct icp *icp)
{
	uint32_t xirr = icp->xirr;

	spapr_cpu_set_line(m, icp->cpu, 0);
	icp->xirr = (uint32_t)icp->pending_priority << 24;
	icp->pending_priority = 0xff;
	icp->xisr_from_ics = false;
	return xirr;
}

uint32_t icp_accept(spirq_machine *m, struct icp *icp)
{
	return accept(m, icp);
}

void icp_eoi(spirq_machine *m, struct icp *icp, uint32_t xirr)
{
	uint32_t irq = xirr & XISR_MASK;

	icp->xirr = (icp->xirr & ~CPPR_MASK) | (xirr & CPPR_MASK);
	if (ics_valid_irq(m->ics, irq))
		ics_eoi(m->ics, irq);
	if (!icp_xisr(icp))
		icp_resend(m, icp);
}

/* ---- which operations stay inside the ICP ------------------------------------ */

static inline __attribute__((always_inline))
bool icp_cppr_is_local(const spirq_machine *m, const struct icp *icp,
		       uint8_t cppr)
{
	if (cppr < icp_cppr(icp))	/* a withdrawal rejects to the ICS */
		return !(icp_xisr(icp) && cppr <= icp->pending_priority &&
			 icp->xisr_from_ics);
	return icp_xisr(icp) || !ics_has_waiting(m->ics);
}

static inline __attribute__((always_inline))
bool icp_mfrr_is_local(const struct icp *icp, uint8_t mfrr)
{
	/* the IPI displaces a source's interrupt: rejected to the ICS */
	return !(mfrr < icp_cppr(icp) && icp_xisr(icp) && icp->xisr_from_ics &&
		 icp->pending_priority > mfrr);
}

static inline __attribute__((always_inline))
bool icp_eoi_is_local(const spirq_machine *m, const struct icp *icp,
		      uint32_t xirr)
{
	uint32_t irq = xirr & XISR_MASK;

	/* an LSI's EOI clears its SENT state in the ICS */
	if (ics_valid_irq(m->ics, irq) &&
	    (m->ics->irqs[irq - m->ics->offset].flags & XICS_FLAGS_IRQ_LSI))
		return false;
	return icp_xisr(icp) || !ics_has_waiting(m->ics);
}

/* ---- the fast paths ------------------------------------------------------------ */

/*
 * The four hcalls a guest makes for every interrupt, done under the one
 * vCPU lock of the presenter they change.  Anything out of the ordinary
 * (a vCPU not plugged, XIVE negotiated, a source to reach, a host callback
 * calling back) changes nothing here and goes the full way,
 * spapr_hcall_full(), under the sources lock.  Their signature is
 * spirq_hcall()'s, so that it and they end in tail calls.  They live
 * with the ICP so that the compiler can fold the presenter's operations
 * into them.
 */
static bool fast_usable(const spirq_machine *m, unsigned cpu)
{
	return m->vcpus[cpu].present && !spapr_xive_negotiated(m);
}

static int64_t fast_done(unsigned *nrets, unsigned count)
{
	if (nrets)
		*nrets = count;
	return SPIRQ_H_SUCCESS;
}

int64_t xics_fast_xirr(spirq_machine *m, unsigned cpu, uint64_t opcode,
		       const uint64_t *args, uint64_t *rets, unsigned *nrets)
{
	struct fastlock *lock = &m->cpu_lock[cpu];

	if (fastlock_lock(lock)) {
		if (fast_usable(m, cpu)) {
			rets[0] = accept(m, m->vcpus[cpu].icp);
			fastlock_unlock(lock);
			return fast_done(nrets, 1);
		}
		fastlock_unlock(lock);
	}
	return spapr_hcall_full(m, cpu, opcode, args, rets, nrets);
}

int64_t xics_fast_eoi(spirq_machine *m, unsigned cpu, uint64_t opcode,
		      const uint64_t *args, uint64_t *rets, unsigned *nrets)
{
	struct fastlock *lock = &m->cpu_lock[cpu];
	uint32_t xirr = (uint32_t)args[0];

	if (fastlock_lock(lock)) {
		struct icp *icp = m->vcpus[cpu].icp;

		if (fast_usable(m, cpu) && icp_eoi_is_local(m, icp, xirr)) {
			/* no LSI to clear, no source waiting: only the IPI */
			icp->xirr = (icp->xirr & ~CPPR_MASK) | (xirr & CPPR_MASK);
			if (!icp_xisr(icp) && icp->mfrr < icp_cppr(icp))
				present_ipi(m, icp);
			fastlock_unlock(lock);
			return fast_done(nrets, 0);
		}
		fastlock_unlock(lock);
	}
	return spapr_hcall_full(m, cpu, opcode, args, rets, nrets);
}

int64_t xics_fast_cppr(spirq_machine *m, unsigned cpu, uint64_t opcode,
		       const uint64_t *args, uint64_t *rets, unsigned *nrets)
{
	struct fastlock *lock = &m->cpu_lock[cpu];
	uint8_t cppr = (uint8_t)args[0];

	if (fastlock_lock(lock)) {
		struct icp *icp = m->vcpus[cpu].icp;

		if (fast_usable(m, cpu) && icp_cppr_is_local(m, icp, cppr)) {
			icp_set_cppr(m, icp, cppr);
			fastlock_unlock(lock);
			return fast_done(nrets, 0);
		}
		fastlock_unlock(lock);
	}
	return spapr_hcall_full(m, cpu, opcode, args, rets, nrets);
}

int64_t xics_fast_ipi(spirq_machine *m, unsigned cpu, uint64_t opcode,
		      const uint64_t *args, uint64_t *rets, unsigned *nrets)
{
	/* QEMU passes the register as an int: keep the low 32 bits */
	int target = spapr_cpu_index(m, (uint32_t)args[0]);
	uint8_t mfrr = (uint8_t)args[1];
	struct fastlock *lock;

	if (target < 0)
		goto full;
	lock = &m->cpu_lock[target];
	if (fastlock_lock(lock)) {
		struct icp *icp = m->vcpus[target].icp;

		if (fast_usable(m, cpu) && m->vcpus[target].present &&
		    icp_mfrr_is_local(icp, mfrr)) {
			/* what the IPI displaces is not a source's */
			icp->mfrr = mfrr;
			if (mfrr < icp_cppr(icp) &&
			    !(icp_xisr(icp) && icp->pending_priority <= mfrr))
				present_ipi(m, icp);
			fastlock_unlock(lock);
			return fast_done(nrets, 0);
		}
		fastlock_unlock(lock);
	}
full:
	return spapr_hcall_full(m, cpu, opcode, args, rets, nrets);
}

void icp_print_info(const struct icp *icp, struct spirq_printer *p)
{
	/* QEMU prints the owning ICS's address, or (nil) */
	pr_line(p, "CPU %u XIRR=%08x (%s) PP=%02x MFRR=%02x", icp->cpu,
		icp->xirr, icp->xisr_from_ics ? ICS_TOKEN : "(nil)",
		icp->pending_priority, icp->mfrr);
}
