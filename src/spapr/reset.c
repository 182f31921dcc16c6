// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Machine reset of the interrupt subsystem, in explicit phases (seed 001).
 *
 * QEMU 4.1 reset the negotiated mode before the devices, so a device
 * raising its line during the device reset reached a backend that was not
 * set up (an assertion in the in-kernel XICS path).  spirq orders the reset
 * so that no controller ever sees an event it is not ready for:
 *
 *   1 QUIESCE     the active controller stops receiving: device events
 *                 are held by the machine (device lines are reset: the
 *                 devices are reset with the machine)
 *   2 FORGET_CAS  the negotiated mode is forgotten
 *   3 STATE       sources, routing tables and presenters of every present
 *                 controller return to their reset state (claims kept)
 *   4 ACTIVATE    the default controller (XIVE for ic-mode=xive, else
 *                 XICS) becomes active and receives the held events
 *
 * An event raised between any two phases is therefore delivered to a
 * ready controller, after the reset (where it finds its source masked, as
 * every source is after a reset: XICS keeps it pending until unmasked).
 */
#include <string.h>

#include "spapr/irq-internal.h"
#include "xics/xics-internal.h"

static void reset_state(spirq_machine *m)
{
	const struct spapr_intc_ops *ops;
	unsigned i;
	int c;

	for_each_intc(m, ops, c)
		ops->reset(m);
	for (i = 0; i < m->nr_plugged; i++)
		for_each_intc(m, ops, c)
			ops->cpu_reset(m, m->plug_order[i]);
}

void spapr_reset_phase(spirq_machine *m, enum spapr_reset_phase phase)
{
	switch (phase) {
	case RESET_QUIESCE:
		spapr_irq_deactivate(m);
		memset(m->lines, 0, m->nr_irqs);
		break;
	case RESET_FORGET_CAS:
		m->ov5_cas = 0;
		m->compat_pvr = spapr_reset_compat_pvr(&m->cfg);
		break;
	case RESET_STATE:
		reset_state(m);
		break;
	case RESET_ACTIVATE:
		spapr_irq_activate(m, spapr_irq_wanted(m));
		break;
	case RESET_NR_PHASES:
		break;
	}
}

int spirq_reset(spirq_machine *m)
{
	int phase, ret;

	ret = spapr_lock(m, __func__, NULL);
	if (ret)
		return ret;
	for (phase = 0; phase < RESET_NR_PHASES; phase++)
		spapr_reset_phase(m, (enum spapr_reset_phase)phase);
	spapr_unlock(m);
	return 0;
}
