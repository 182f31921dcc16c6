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
	/* a cache line of its own: the vCPU's thread writes it */
	struct icp *icp = spirq__calloc_aligned(footprint, 1, sizeof(*icp),
						SPAPR_CACHE_LINE);

	if (icp) {
		icp->cpu = cpu;
		icp->pending_priority = 0xff;
		icp->mfrr = 0xff;
	}
	return icp;
}

void icp_destroy(struct icp *icp, size_t *footprint)
{
	spirq__free_aligned(footprint, icp, 1, sizeof(*icp), SPAPR_CACHE_LINE);
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
static void present_ipi(spirq_machine *m, struct icp *icp)
{
	icp_present_ipi_state(icp);
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

uint32_t icp_accept(spirq_machine *m, struct icp *icp)
{
	spapr_cpu_set_line(m, icp->cpu, 0);
	return icp_accept_state(icp);
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

void icp_print_info(const struct icp *icp, struct spirq_printer *p)
{
	/* QEMU prints the owning ICS's address, or (nil) */
	pr_line(p, "CPU %u XIRR=%08x (%s) PP=%02x MFRR=%02x", icp->cpu,
		icp->xirr, icp->xisr_from_ics ? ICS_TOKEN : "(nil)",
		icp->pending_priority, icp->mfrr);
}
