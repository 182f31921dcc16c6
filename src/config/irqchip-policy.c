// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel-irqchip policy: in-kernel (KVM) or emulated interrupt
 * controllers, decided once, before the guest starts.
 *
 * QEMU decides each time a controller is activated (start, CAS, reset,
 * incoming migration) and, with kernel-irqchip=on, exits when the kernel
 * cannot provide it -- killing a guest that is already running when this
 * happens at CAS (seed 004).  Every input of that decision is known before
 * the guest starts, so spirq computes the whole plan up front and refuses
 * the configurations QEMU would kill later:
 *
 *   accel   kernel-irqchip  controller present on the host?  result
 *   tcg     any             -                                emulated
 *   kvm     split           -                                refused
 *   kvm     off             -                                emulated
 *   kvm     allowed/on      yes                              in-kernel
 *   kvm     allowed         no                               emulated + warning
 *   kvm     on              no                               refused
 *
 * plus, for dual mode, the host whose XICS device cannot be destroyed and
 * created again: with "on" refused (QEMU's own start-up check), with
 * "allowed" XICS becomes emulated once the guest has switched to XIVE and
 * the machine resets.
 */
#include <stdio.h>

#include "common/error-internal.h"
#include "config/config-internal.h"

#define XICS_MISSING \
	"KVM and IRQ_XICS capability must be present for in-kernel XICS"
#define XIVE_MISSING "IRQ_XIVE capability must be present for KVM"

static void fallback(spirq_backend *backend, char *warning, size_t size,
		     const char *reason)
{
	*backend = SPIRQ_BACKEND_EMULATED;
	snprintf(warning, size, "kernel_irqchip allowed but unavailable: %s",
		 reason);
}

static int plan_xics(spirq_config *cfg, spirq_error *err)
{
	spirq_irqchip_plan *p = &cfg->plan;

	if (cfg->host.xics) {
		p->xics = p->xics_again = SPIRQ_BACKEND_IN_KERNEL;
	} else if (cfg->kernel_irqchip == SPIRQ_KIC_ON) {
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"kernel_irqchip requested but unavailable: %s",
			XICS_MISSING);
	} else {
		fallback(&p->xics, p->xics_warning, sizeof(p->xics_warning),
			 XICS_MISSING);
		fallback(&p->xics_again, p->xics_again_warning,
			 sizeof(p->xics_again_warning), XICS_MISSING);
	}
	return 0;
}

static int plan_xive(spirq_config *cfg, spirq_error *err)
{
	spirq_irqchip_plan *p = &cfg->plan;

	if (cfg->host.xive) {
		p->xive = SPIRQ_BACKEND_IN_KERNEL;
		return 0;
	}
	if (cfg->kernel_irqchip != SPIRQ_KIC_ON) {
		fallback(&p->xive, p->xive_warning, sizeof(p->xive_warning),
			 XIVE_MISSING);
		return 0;
	}
	if (cfg->ic_mode == SPIRQ_IC_MODE_XIVE)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"kernel_irqchip requested but unavailable: %s",
			XIVE_MISSING);
	return spirq__error_set(err, SPIRQ_ERR_CONFIG,
		"ic-mode=dual,kernel-irqchip=on requires an in-kernel XIVE, which this host lacks: a guest choosing XIVE at CAS would be stopped (QEMU exits with \"kernel_irqchip requested but unavailable: %s\"); use kernel-irqchip=allowed, or ic-mode=xics",
		XIVE_MISSING);
}

/*
 * Dual mode switches XICS -> XIVE at CAS and back at reset, destroying and
 * creating the in-kernel XICS device each time.
 */
static void plan_xics_recreate(spirq_config *cfg)
{
	spirq_irqchip_plan *p = &cfg->plan;

	/* with kernel-irqchip=on this host was refused by spapr_irq_check */
	if (cfg->ic_mode != SPIRQ_IC_MODE_DUAL || cfg->host.xics_destroy ||
	    p->xics != SPIRQ_BACKEND_IN_KERNEL)
		return;
	p->xics_again = SPIRQ_BACKEND_EMULATED;
	snprintf(p->xics_again_warning, sizeof(p->xics_again_warning),
		 "kernel_irqchip allowed but unavailable: the in-kernel XICS device cannot be created again after the guest used XIVE (old KVM or nested guest)");
}

int spirq__irqchip_plan(spirq_config *cfg, spirq_error *err)
{
	spirq_irqchip_plan *p = &cfg->plan;
	int ret = 0;

	*p = (spirq_irqchip_plan){ 0 };
	if (cfg->accel == SPIRQ_ACCEL_TCG ||
	    cfg->kernel_irqchip == SPIRQ_KIC_OFF)
		return 0;
	/* split, and dual+on on a host whose XICS device cannot be
	 * re-created, were refused by the interrupt-controller checks */
	if (cfg->cap_xics)
		ret = plan_xics(cfg, err);
	if (!ret && cfg->cap_xive)
		ret = plan_xive(cfg, err);
	if (!ret)
		plan_xics_recreate(cfg);
	return ret;
}
