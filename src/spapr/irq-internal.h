/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sPAPR interrupt layer internals shared by its files: controller
 * selection, held device events, reset phases, vCPU plugging.
 */
#ifndef SPIRQ_SPAPR_IRQ_INTERNAL_H
#define SPIRQ_SPAPR_IRQ_INTERNAL_H

#include "common/bitmap.h"
#include "spapr/spapr-internal.h"

/*
 * Device line state kept by the machine, per source (struct
 * spirq_machine.lines): the level of an LSI line, and MSI triggers that
 * arrived while no controller was ready (held, replayed on activation).
 */
#define LINE_LEVEL		0x1
#define LINE_HELD_MSI		0x2	/* one trigger held */
#define LINE_HELD_MSI_AGAIN	0x4	/* a second one (PQ would queue it) */

/* Create the machine's initial state: IPIs, reset, default controller. */
int spapr_irq_init(spirq_machine *m);

/*
 * The controller the negotiation calls for (QEMU's
 * spapr_irq_update_active_intc): XIVE without XICS, or when XIVE was
 * negotiated at CAS; XICS otherwise.
 */
const struct spapr_intc_ops *spapr_irq_wanted(const spirq_machine *m);

/*
 * Switch the active controller.  In between, m->active is NULL and device
 * events are held; they are replayed into the new controller, with the
 * levels of asserted LSI lines, once it is active.
 */
void spapr_irq_switch(spirq_machine *m, const struct spapr_intc_ops *to);
void spapr_irq_deactivate(spirq_machine *m);
void spapr_irq_activate(spirq_machine *m, const struct spapr_intc_ops *to);
void spapr_irq_restore_active(spirq_machine *m);

/* spirq_machine_create() with the in-kernel backend's system calls @sys
 * (the unit tests give a fake kernel). */
struct spapr_kvm_sys;
int spapr_machine_create_sys(const spirq_config *cfg,
			     const spirq_host_ops *ops,
			     const struct spapr_kvm_sys *sys,
			     spirq_machine **out, spirq_error *err);

/*
 * What spirq_restore() loads a stream into: a machine of @cfg (taken as
 * sane, a live machine's) with its tables allocated in reset state and
 * the XIVE IPIs claimed, but no vCPU plugged, no controller active, no
 * host callbacks and no in-kernel backend: the stream says the rest.
 * returns: the machine, or NULL without memory
 */
spirq_machine *spapr_machine_create_bare(const spirq_config *cfg);

/* Exchange the whole interrupt state of two machines of one configuration
 * (not their lock, host callbacks or log counters). */
void spapr_machine_swap(spirq_machine *a, spirq_machine *b);

/* Deliver or hold a device event (machine lock held).
 * returns: 0, or -SPIRQ_ERR_KERNEL when the kernel refused the line */
int spapr_irq_set_locked(spirq_machine *m, uint32_t irq, int level);

/*
 * Machine reset, in phases (seed 001).  spirq_reset() runs them in order;
 * the tests run them one by one and raise device lines in between.
 */
enum spapr_reset_phase {
	RESET_QUIESCE,		/* stop delivery: events are held */
	RESET_FORGET_CAS,	/* forget the negotiated mode */
	RESET_STATE,		/* reset sources, tables and presenters */
	RESET_ACTIVATE,		/* activate the default controller */
	RESET_NR_PHASES
};
void spapr_reset_phase(spirq_machine *m, enum spapr_reset_phase phase);

/* Plug / unplug one vCPU (not a whole core); machine lock held. */
int spapr_cpu_plug_locked(spirq_machine *m, unsigned cpu);
void spapr_cpu_unplug_locked(spirq_machine *m, unsigned cpu);

/* Every present controller, XICS first (QEMU's order). */
#define for_each_intc(m, ops, i)                                             \
	for ((i) = 0; (i) < 2; (i)++)                                        \
		if (((ops) = (i) == 0 ? ((m)->ics ? &spapr_xics_ops : NULL)  \
				      : ((m)->xive ? &spapr_xive_ops : NULL)))

#endif /* SPIRQ_SPAPR_IRQ_INTERNAL_H */
