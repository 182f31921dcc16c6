/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the sPAPR layer calls into the in-kernel backend (src/kvm).  Each
 * hook does nothing on a machine without a real KVM VM fd (m->kvm NULL),
 * so the emulated paths pay one pointer test.
 */
#ifndef SPIRQ_KVM_H
#define SPIRQ_KVM_H

#include <stdbool.h>
#include <stdint.h>

#include "spapr/spapr-internal.h"

struct spapr_kvm_sys;

/*
 * spirq_machine_create(): take the VM fd from the host ops (version 2),
 * ask the real host what it has, and make the kernel-irqchip plan from
 * its answers.  returns: 0, -SPIRQ_ERR_CONFIG (refused, QEMU's text),
 * -SPIRQ_ERR_KERNEL or -SPIRQ_ERR_NOMEM
 */
int spapr_kvm_attach(spirq_machine *m, const struct spapr_kvm_sys *sys,
		     spirq_error *err);
/* After the first activation: with kernel-irqchip=on, a device that could
 * not be set up fails the creation.  returns: 0 or -SPIRQ_ERR_KERNEL */
int spapr_kvm_check_started(spirq_machine *m, spirq_error *err);
void spapr_kvm_detach(spirq_machine *m);

/* The active controller changes (irq.c): sync its state out of the
 * kernel / put the new one in the kernel (or fall back to emulation). */
void spapr_kvm_deactivate(spirq_machine *m);
void spapr_kvm_activate(spirq_machine *m, const struct spapr_intc_ops *to);

/* A device line: 1 when the kernel took it, 0 when the model must, or
 * -SPIRQ_ERR_KERNEL. */
int spapr_kvm_set_irq(spirq_machine *m, uint32_t irq, int level);

/* A claim was recorded in the model: mirror it. */
int spapr_kvm_claimed(spirq_machine *m, uint32_t irq, spirq_error *err);
/* A claimed source was freed: the kernel keeps it (it has no free), masked
 * so that it never fires.  Cannot fail: a refusal is logged. */
void spapr_kvm_freed(spirq_machine *m, uint32_t irq);

/* Hot-plug: connect and load a plugged vCPU; sync before / push after an
 * unplug's masking. */
int spapr_kvm_cpu_plugged(spirq_machine *m, unsigned cpu);
void spapr_kvm_cpu_unplugging(spirq_machine *m);
void spapr_kvm_cpu_unplugged(spirq_machine *m);

/* The model from the kernel (info pic, save). */
int spapr_kvm_sync(spirq_machine *m, spirq_error *err);
/* The model into the kernel after a restore. */
int spapr_kvm_restored(spirq_machine *m, spirq_error *err);

/* Guest calls while a kernel device is live. */
int64_t spapr_kvm_hcall(spirq_machine *m, unsigned cpu, uint64_t opcode,
			const uint64_t *args, uint64_t *rets, unsigned *nrets);
int spapr_kvm_rtas(spirq_machine *m, uint32_t token, uint32_t nargs,
		   const uint32_t *args, uint32_t nret, uint32_t *rets);

/* After a swap of two machines' footprints (spapr_machine_swap): give
 * each back the bytes of its own backend, which is not swapped. */
void spapr_kvm_swap_footprint(spirq_machine *a, spirq_machine *b);

/* The last kernel error of @m into @err (for entry points whose inner
 * layers have no spirq_error). */
int spapr_kvm_error(spirq_machine *m, spirq_error *err);

/* Is a kernel device the active controller (the kernel drives the vCPU
 * lines, not spirq)? */
static inline bool spapr_kvm_live(const spirq_machine *m)
{
	/* read without a lock by spirq_hcall(); changed under all of them */
	return __atomic_load_n(&m->kvm_lines, __ATOMIC_RELAXED);
}

#endif /* SPIRQ_KVM_H */
