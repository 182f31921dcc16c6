// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The in-kernel backend seen from the sPAPR layer: attaching to the VM fd
 * the embedder gives, the kernel-irqchip decision from the real host,
 * which kernel device is live, and the hooks the machine's operations
 * call (src/kvm/kvm.h).
 *
 * The live device follows the active controller and the plan:
 *
 *   activate(to)   the plan says in-kernel:  the other device is closed
 *                  (its state was synced at deactivation), this one is
 *                  created, its vCPUs connected, the model pushed; when
 *                  the same device is still live (a reset), the model is
 *                  pushed again.  The plan says emulated: no device.
 *   deactivate     the model is synced from the kernel; the device stays
 *                  open until the next activation decides, so a reset
 *                  that keeps the controller never re-creates it (a
 *                  XICS device some hosts cannot create twice).
 *
 * A kernel failure during an activation (CAS, reset) leaves the new
 * controller emulated, with a warning naming the ioctl and errno: the
 * guest keeps running on the model, which holds the last good state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/bitmap.h"
#include "common/error-internal.h"
#include "config/config-internal.h"
#include "kvm/kvm-internal.h"
#include "kvm/kvm.h"
#include "xics/xics-internal.h"
#include "xive/xive-internal.h"

/* ---- who drives the vCPUs' lines -------------------------------------------- */

static void kernel_owns_lines(void *opaque, unsigned cpu_index, int level)
{
	(void)opaque;
	(void)cpu_index;
	(void)level;
}

/*
 * While a kernel device is the active controller, the model's presenters
 * are an idle copy and the kernel drives the vCPUs' interrupt inputs: the
 * embedder's set_cpu_irq is set aside (the fast paths call it without a
 * test), and given back when the model is in charge again.
 */
static void set_kernel_lines(spirq_machine *m, bool kernel)
{
	m->ops.set_cpu_irq = kernel ? kernel_owns_lines :
				      m->kvm->host_set_cpu_irq;
	__atomic_store_n(&m->kvm_lines, kernel, __ATOMIC_RELAXED);
}

/* ---- attach / detach ------------------------------------------------------ */

static int replan(spirq_machine *m, spirq_error *err)
{
	spirq_config *cfg = &m->cfg;

	cfg->host.xics = m->kvm->caps.xics;
	cfg->host.xive = m->kvm->caps.xive;
	cfg->host.xics_destroy = m->kvm->caps.xics_destroy;
	/* QEMU's start-up check (spapr_irq_check), now on the real host */
	if (cfg->ic_mode == SPIRQ_IC_MODE_DUAL &&
	    cfg->kernel_irqchip == SPIRQ_KIC_ON && !cfg->host.xics_destroy)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"KVM is incompatible with ic-mode=dual,kernel-irqchip=on");
	return spirq__irqchip_plan(cfg, err);
}

int spapr_kvm_attach(spirq_machine *m, const struct spapr_kvm_sys *sys,
		     spirq_error *err)
{
	struct spapr_kvm *k;
	int vm_fd, ret;

	if (m->ops.version < 2 || !m->ops.kvm_vm_fd ||
	    m->cfg.accel != SPIRQ_ACCEL_KVM ||
	    m->cfg.kernel_irqchip == SPIRQ_KIC_OFF)
		return 0;
	vm_fd = m->ops.kvm_vm_fd(m->ops.opaque);
	if (vm_fd < 0)
		return 0;	/* no real KVM: the described host */
	k = spirq__calloc(&m->footprint, 1, sizeof(*k));
	if (!k)
		return -SPIRQ_ERR_NOMEM;
	m->kvm = k;
	k->sys = sys;
	k->host_set_cpu_irq = m->ops.set_cpu_irq;
	k->vm_fd = vm_fd;
	k->dev_fd = -1;
	k->connected = spirq__calloc(&m->footprint,
				     BITS_TO_WORDS(m->cfg.max_cpus),
				     sizeof(uint64_t));
	if (!k->connected)
		return -SPIRQ_ERR_NOMEM;
	/*
	 * The re-creation probe leaves a device behind on the hosts it
	 * detects, so, as QEMU, run it only where a positive answer refuses
	 * the configuration: dual with kernel-irqchip=on.  With "allowed", a
	 * XICS device that cannot come back falls back to emulation when it
	 * is needed again.
	 */
	ret = kvm_query_host(sys, vm_fd,
			     m->cfg.ic_mode == SPIRQ_IC_MODE_DUAL &&
			     m->cfg.kernel_irqchip == SPIRQ_KIC_ON,
			     &k->caps, err);
	if (!ret)
		ret = replan(m, err);
	return ret;
}

int spapr_kvm_check_started(spirq_machine *m, spirq_error *err)
{
	const spirq_irqchip_plan *plan = &m->cfg.plan;
	bool planned;

	if (!m->kvm || m->cfg.kernel_irqchip != SPIRQ_KIC_ON || !m->active)
		return 0;
	planned = m->active == &spapr_xics_ops ?
		  plan->xics == SPIRQ_BACKEND_IN_KERNEL :
		  plan->xive == SPIRQ_BACKEND_IN_KERNEL;
	if (!planned || m->backend == SPIRQ_BACKEND_IN_KERNEL)
		return 0;
	return spapr_kvm_error(m, err);
}

static void close_device(spirq_machine *m)
{
	if (m->kvm->kind == KVM_DEV_XIVE)
		kvm_xive_deactivate(m);
	kvm_device_close(m);
	set_kernel_lines(m, false);
}

void spapr_kvm_detach(spirq_machine *m)
{
	struct spapr_kvm *k = m->kvm;

	if (!k)
		return;
	close_device(m);
	spirq__free(&m->footprint, k->connected,
		    BITS_TO_WORDS(m->cfg.max_cpus), sizeof(uint64_t));
	spirq__free(&m->footprint, k, 1, sizeof(*k));
	m->kvm = NULL;
}

static size_t backend_bytes(const spirq_machine *m)
{
	return m->kvm ? sizeof(*m->kvm) +
			BITS_TO_WORDS(m->cfg.max_cpus) * sizeof(uint64_t) : 0;
}

void spapr_kvm_swap_footprint(spirq_machine *a, spirq_machine *b)
{
	size_t ka = backend_bytes(a), kb = backend_bytes(b);

	/* a now counts b's backend and b a's: move the difference back */
	a->footprint = a->footprint + ka - kb;
	b->footprint = b->footprint + kb - ka;
}

int spapr_kvm_error(spirq_machine *m, spirq_error *err)
{
	const char *text = m->kvm && m->kvm->last_error[0] ?
			   m->kvm->last_error : "in-kernel backend failure";

	return spirq__error_set(err, SPIRQ_ERR_KERNEL, "%s", text);
}

/* ---- the live device -------------------------------------------------------- */

static enum kvm_dev_kind wanted_kind(const spirq_machine *m,
				     const struct spapr_intc_ops *to)
{
	if (!to || m->backend != SPIRQ_BACKEND_IN_KERNEL)
		return KVM_DEV_NONE;
	return to == &spapr_xics_ops ? KVM_DEV_XICS : KVM_DEV_XIVE;
}

/* Make the kernel hold @to's model state.  On failure no device is live. */
static int bring_up(spirq_machine *m, const struct spapr_intc_ops *to,
		    spirq_error *err)
{
	enum kvm_dev_kind want = wanted_kind(m, to);
	struct spapr_kvm *k = m->kvm;
	int ret;

	set_kernel_lines(m, false);
	if (k->kind != want)
		close_device(m);
	if (want == KVM_DEV_NONE)
		return 0;
	if (k->kind == want)
		ret = want == KVM_DEV_XICS ? kvm_xics_push_all(m, err) :
					     kvm_xive_push_all(m, err);
	else
		ret = want == KVM_DEV_XICS ? kvm_xics_activate(m, err) :
					     kvm_xive_activate(m, err);
	if (ret) {
		close_device(m);
		return ret;
	}
	set_kernel_lines(m, true);
	return 0;
}

void spapr_kvm_activate(spirq_machine *m, const struct spapr_intc_ops *to)
{
	if (!m->kvm || !bring_up(m, to, NULL))
		return;
	m->backend = SPIRQ_BACKEND_EMULATED;
	spapr_log(m, SPIRQ_LOG_WARNING,
		  "in-kernel backend: the %s device could not be set up, %s runs emulated",
		  to->name, to->name);
}

void spapr_kvm_deactivate(spirq_machine *m)
{
	if (!m->kvm_lines)
		return;
	/* errors are logged; the model keeps what it had */
	spapr_kvm_sync(m, NULL);
	set_kernel_lines(m, false);
}

int spapr_kvm_sync(spirq_machine *m, spirq_error *err)
{
	if (!m->kvm_lines)
		return 0;
	return m->kvm->kind == KVM_DEV_XICS ? kvm_xics_sync_all(m, err) :
					      kvm_xive_sync_all(m, err);
}

int spapr_kvm_restored(spirq_machine *m, spirq_error *err)
{
	if (!m->kvm)
		return 0;
	return bring_up(m, m->active, err);
}

/* ---- operations --------------------------------------------------------------- */

int spapr_kvm_set_irq(spirq_machine *m, uint32_t irq, int level)
{
	int ret;

	if (!m->kvm_lines)
		return 0;
	ret = m->kvm->kind == KVM_DEV_XICS ? kvm_xics_set_irq(m, irq, level) :
					     kvm_xive_set_irq(m, irq, level);
	return ret ? ret : 1;
}

int spapr_kvm_claimed(spirq_machine *m, uint32_t irq, spirq_error *err)
{
	if (!m->kvm_lines)
		return 0;
	if (m->kvm->kind == KVM_DEV_XICS)
		return kvm_xics_push_source(m, irq - m->ics->offset, err);
	return kvm_xive_push_source(m, irq, err);
}

void spapr_kvm_freed(spirq_machine *m, uint32_t irq)
{
	struct ics_irq masked;

	if (!m->kvm_lines)
		return;
	if (m->kvm->kind == KVM_DEV_XIVE) {
		kvm_xive_mask_source(m, irq);
		return;
	}
	masked = m->ics->irqs[irq - m->ics->offset];
	masked.priority = masked.saved_priority = 0xff;
	kvm_xics_write_source(m, irq - m->ics->offset, &masked, NULL);
}

int spapr_kvm_cpu_plugged(spirq_machine *m, unsigned cpu)
{
	if (!m->kvm_lines)
		return 0;
	return m->kvm->kind == KVM_DEV_XICS ? kvm_xics_push_cpu(m, cpu, NULL) :
					      kvm_xive_push_cpu(m, cpu, NULL);
}

void spapr_kvm_cpu_unplugging(spirq_machine *m)
{
	spapr_kvm_sync(m, NULL);
}

/* The unplug masked sources in the model (and reset XIVE ENDs): the
 * kernel gets them; its vCPU stays connected for a later plug. */
void spapr_kvm_cpu_unplugged(spirq_machine *m)
{
	if (!m->kvm_lines)
		return;
	if (m->kvm->kind == KVM_DEV_XICS)
		kvm_xics_push_sources(m, NULL);
	else
		kvm_xive_push_all(m, NULL);
}

/* ---- guest calls ------------------------------------------------------------- */

static bool is_xics_hcall(uint64_t opcode)
{
	return opcode == SPIRQ_H_XIRR || opcode == SPIRQ_H_XIRR_X ||
	       opcode == SPIRQ_H_EOI || opcode == SPIRQ_H_CPPR ||
	       opcode == SPIRQ_H_IPI || opcode == SPIRQ_H_IPOLL;
}

int64_t spapr_kvm_hcall(spirq_machine *m, unsigned cpu, uint64_t opcode,
			const uint64_t *args, uint64_t *rets, unsigned *nrets)
{
	/* the kind changes only under the exclusive lock, with kvm_lines */
	enum kvm_dev_kind kind = __atomic_load_n(&m->kvm->kind,
						 __ATOMIC_RELAXED);

	if (kind == KVM_DEV_XICS && is_xics_hcall(opcode)) {
		/* the kernel answers these itself; one reaching spirq was
		 * routed here by mistake, and spirq's copy is not current */
		spapr_guest_error(m, GE_XICS,
			"%s reached spirq while the in-kernel XICS handles it: refused",
			spirq_hcall_name(opcode));
		if (nrets)
			*nrets = 0;
		return SPIRQ_H_HARDWARE;
	}
	if (kind == KVM_DEV_XIVE && opcode >= SPIRQ_H_INT_GET_SOURCE_INFO &&
	    opcode <= SPIRQ_H_INT_RESET && !(opcode & 3))
		return kvm_xive_hcall(m, cpu, opcode, args, rets, nrets);
	return spapr_hcall_full(m, cpu, opcode, args, rets, nrets);
}

static bool rtas_changes_source(uint32_t token)
{
	return token == SPIRQ_RTAS_SET_XIVE || token == SPIRQ_RTAS_INT_ON ||
	       token == SPIRQ_RTAS_INT_OFF;
}

/*
 * RTAS on the live XICS device (sources lock held): the model's copy of
 * the source is refreshed from the kernel, the call runs on it, and the
 * result is written back; if the kernel refuses, the model is put back
 * and the guest gets a hardware error.
 */
int spapr_kvm_rtas(spirq_machine *m, uint32_t token, uint32_t nargs,
		   const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	struct ics_irq before, after;
	uint32_t srcno;
	int ret;

	if (!m->kvm_lines || m->kvm->kind != KVM_DEV_XICS || nargs < 1 ||
	    !ics_valid_irq(m->ics, args[0])) {
		xics_rtas(m, token, nargs, args, nret, rets);
		return 0;
	}
	srcno = args[0] - m->ics->offset;
	if (m->ics->irqs[srcno].flags & XICS_FLAGS_IRQ_MASK) {
		ret = kvm_xics_sync_source(m, srcno, NULL);
		if (ret) {
			rets[0] = (uint32_t)SPIRQ_RTAS_OUT_HW_ERROR;
			return ret;
		}
	}
	before = m->ics->irqs[srcno];
	xics_rtas(m, token, nargs, args, nret, rets);
	if (!rtas_changes_source(token) || rets[0] != SPIRQ_RTAS_OUT_SUCCESS)
		return 0;
	/*
	 * The kernel gets the new routing with the status it had: it
	 * delivers what was pending itself.  What the model's call did to
	 * the status (a delivery to its idle copy of the presenter) is not
	 * the kernel's, and is read back from it.
	 */
	after = m->ics->irqs[srcno];
	after.status = before.status;
	ret = kvm_xics_write_source(m, srcno, &after, NULL);
	if (ret) {
		ics_load_source(m->ics, srcno, before.server, before.priority,
				before.saved_priority, before.status);
		rets[0] = (uint32_t)SPIRQ_RTAS_OUT_HW_ERROR;
		return ret;
	}
	if (!(after.flags & XICS_FLAGS_IRQ_MASK) ||
	    kvm_xics_sync_source(m, srcno, NULL))
		ics_load_source(m->ics, srcno, after.server, after.priority,
				after.saved_priority, after.status);
	return 0;
}
