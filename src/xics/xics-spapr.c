// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * XICS as a sPAPR interrupt controller backend (struct spapr_intc_ops).
 */
#include "common/printer.h"
#include "xics/xics-internal.h"

static int xics_activate(spirq_machine *m)
{
	(void)m;
	return 0;
}

static void xics_deactivate(spirq_machine *m)
{
	(void)m;
}

static void xics_claim(spirq_machine *m, uint32_t irq, bool lsi)
{
	ics_claim(m->ics, irq, lsi);
}

static void xics_free(spirq_machine *m, uint32_t irq)
{
	ics_free(m->ics, irq);
}

static void xics_set_irq(spirq_machine *m, uint32_t irq, int level)
{
	ics_set_irq(m, irq - m->ics->offset, level);
}

static int xics_cpu_create(spirq_machine *m, unsigned cpu)
{
	m->vcpus[cpu].icp = icp_create(cpu, &m->footprint);
	return m->vcpus[cpu].icp ? 0 : -SPIRQ_ERR_NOMEM;
}

static void xics_cpu_reset(spirq_machine *m, unsigned cpu)
{
	icp_reset(m, m->vcpus[cpu].icp);
}

static void xics_cpu_destroy(spirq_machine *m, unsigned cpu)
{
	icp_destroy(m->vcpus[cpu].icp, &m->footprint);
	m->vcpus[cpu].icp = NULL;
}

static void xics_reset(spirq_machine *m)
{
	ics_reset(m->ics);
}

static void xics_print_info(spirq_machine *m, struct spirq_printer *p)
{
	unsigned i;

	for (i = 0; i < m->nr_plugged; i++)
		icp_print_info(m->vcpus[m->plug_order[i]].icp, p);
	ics_print_info(m->ics, p);
}

const struct spapr_intc_ops spapr_xics_ops = {
	.name = "xics",
	.activate = xics_activate,
	.deactivate = xics_deactivate,
	.claim = xics_claim,
	.free = xics_free,
	.set_irq = xics_set_irq,
	.cpu_create = xics_cpu_create,
	.cpu_reset = xics_cpu_reset,
	.cpu_destroy = xics_cpu_destroy,
	.reset = xics_reset,
	.print_info = xics_print_info,
};
