// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: every cell of the kernel-irqchip matrix (ic-mode x
 * kernel-irqchip x host capabilities), decided before the guest starts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <spirq/spirq.h>

#define EMU SPIRQ_BACKEND_EMULATED
#define KVM SPIRQ_BACKEND_IN_KERNEL
#define NONE EMU

struct cell {
	const char *ic_mode;	/* xics, xive, dual */
	const char *kic;	/* NULL = unset (allowed), "off", "on" */
	const char *host;	/* -accel value */
	const char *refusal;	/* NULL when accepted */
	spirq_backend xics, xive, xics_again;
	bool xics_warn, xive_warn, again_warn;
};

#define XICS_UNAVAIL "KVM and IRQ_XICS capability must be present for in-kernel XICS"
#define XIVE_UNAVAIL "IRQ_XIVE capability must be present for KVM"

static const struct cell cells[] = {
	/* TCG: everything emulated, kernel-irqchip ignored (even split) */
	{ "dual", NULL, "tcg", NULL, EMU, EMU, EMU },
	{ "dual", "on", "tcg", NULL, EMU, EMU, EMU },
	{ "xive", "split", "tcg", NULL, EMU, EMU, EMU },
	/* KVM host with everything */
	{ "dual", NULL, "kvm", NULL, KVM, KVM, KVM },
	{ "dual", "off", "kvm", NULL, EMU, EMU, EMU },
	{ "dual", "on", "kvm", NULL, KVM, KVM, KVM },
	{ "xive", NULL, "kvm", NULL, NONE, KVM, NONE },
	{ "xive", "off", "kvm", NULL, NONE, EMU, NONE },
	{ "xive", "on", "kvm", NULL, NONE, KVM, NONE },
	{ "xics", NULL, "kvm", NULL, KVM, NONE, KVM },
	{ "xics", "off", "kvm", NULL, EMU, NONE, EMU },
	{ "xics", "on", "kvm", NULL, KVM, NONE, KVM },
	/* split is refused with KVM */
	{ "dual", "split", "kvm", "kernel_irqchip split mode not supported on pseries" },
	{ "xics", "split", "kvm", "kernel_irqchip split mode not supported on pseries" },
	/* host without in-kernel XIVE */
	{ "dual", NULL, "kvm,xive=off", NULL, KVM, EMU, KVM, false, true, false },
	{ "dual", "off", "kvm,xive=off", NULL, EMU, EMU, EMU },
	{ "dual", "on", "kvm,xive=off",
	  "ic-mode=dual,kernel-irqchip=on requires an in-kernel XIVE, which this host lacks: a guest choosing XIVE at CAS would be stopped (QEMU exits with \"kernel_irqchip requested but unavailable: IRQ_XIVE capability must be present for KVM\"); use kernel-irqchip=allowed, or ic-mode=xics" },
	{ "xive", NULL, "kvm,xive=off", NULL, NONE, EMU, NONE, false, true, false },
	{ "xive", "off", "kvm,xive=off", NULL, NONE, EMU, NONE },
	{ "xive", "on", "kvm,xive=off",
	  "kernel_irqchip requested but unavailable: " XIVE_UNAVAIL },
	{ "xics", NULL, "kvm,xive=off", NULL, KVM, NONE, KVM },
	{ "xics", "off", "kvm,xive=off", NULL, EMU, NONE, EMU },
	{ "xics", "on", "kvm,xive=off", NULL, KVM, NONE, KVM },
	/* host without in-kernel XICS */
	{ "dual", NULL, "kvm,xics=off", NULL, EMU, KVM, EMU, true, false, true },
	{ "dual", "on", "kvm,xics=off",
	  "kernel_irqchip requested but unavailable: " XICS_UNAVAIL },
	{ "xics", "on", "kvm,xics=off",
	  "kernel_irqchip requested but unavailable: " XICS_UNAVAIL },
	{ "xics", NULL, "kvm,xics=off", NULL, EMU, NONE, EMU, true, false, true },
	{ "xive", "on", "kvm,xics=off", NULL, NONE, KVM, NONE },
	/* host whose XICS device cannot be re-created (old KVM, nested) */
	{ "dual", "on", "kvm,xics-destroy=off",
	  "KVM is incompatible with ic-mode=dual,kernel-irqchip=on" },
	{ "dual", NULL, "kvm,xics-destroy=off", NULL, KVM, KVM, EMU, false, false, true },
	{ "dual", "off", "kvm,xics-destroy=off", NULL, EMU, EMU, EMU },
	{ "xics", "on", "kvm,xics-destroy=off", NULL, KVM, NONE, KVM },
	{ "xive", "on", "kvm,xics-destroy=off", NULL, NONE, KVM, NONE },
	/* nested KVM: no XIVE, XICS not re-creatable */
	{ "dual", NULL, "kvm,xive=off,xics-destroy=off", NULL, KVM, EMU, EMU, false, true, true },
	{ "dual", "on", "kvm,xive=off,xics-destroy=off",
	  "KVM is incompatible with ic-mode=dual,kernel-irqchip=on" },
	/* nothing in the kernel at all */
	{ "dual", NULL, "kvm,xics=off,xive=off", NULL, EMU, EMU, EMU, true, true, true },
};

static int resolve_cell(const struct cell *c, spirq_config *cfg,
			spirq_error *err)
{
	char machine[96];
	const char *argv[] = { "-M", machine, "-accel", (char *)c->host };

	snprintf(machine, sizeof(machine), "pseries,ic-mode=%s%s%s", c->ic_mode,
		 c->kic ? ",kernel-irqchip=" : "", c->kic ? c->kic : "");
	return spirq_config_from_args(4, argv, cfg, err);
}

static void test_matrix(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		const struct cell *c = &cells[i];
		spirq_config cfg;
		spirq_error err;
		int ret = resolve_cell(c, &cfg, &err);

		print_message("cell %zu: ic-mode=%s kernel-irqchip=%s %s\n", i,
			      c->ic_mode, c->kic ? c->kic : "(unset)", c->host);
		if (c->refusal) {
			assert_int_equal(ret, -SPIRQ_ERR_CONFIG);
			assert_string_equal(err.message, c->refusal);
			continue;
		}
		assert_int_equal(ret, 0);
		assert_int_equal(cfg.plan.xics, c->xics);
		assert_int_equal(cfg.plan.xive, c->xive);
		assert_int_equal(cfg.plan.xics_again, c->xics_again);
		assert_int_equal(cfg.plan.xics_warning[0] != 0, c->xics_warn);
		assert_int_equal(cfg.plan.xive_warning[0] != 0, c->xive_warn);
		assert_int_equal(cfg.plan.xics_again_warning[0] != 0,
				 c->again_warn);
	}
}

static void test_warning_texts(void **state)
{
	spirq_config cfg;
	spirq_error err;
	const char *argv[] = { "-M", "pseries", "-accel", "kvm,xics=off,xive=off" };

	assert_int_equal(spirq_config_from_args(4, argv, &cfg, &err), 0);
	assert_string_equal(cfg.plan.xics_warning,
			    "kernel_irqchip allowed but unavailable: " XICS_UNAVAIL);
	assert_string_equal(cfg.plan.xive_warning,
			    "kernel_irqchip allowed but unavailable: " XIVE_UNAVAIL);
}

/* A pre-POWER9 compat mode turns dual into xics before the policy runs. */
static void test_compat_downgrade_avoids_refusal(void **state)
{
	spirq_config cfg;
	spirq_error err;
	const char *argv[] = { "-M", "pseries,ic-mode=dual,kernel-irqchip=on,max-cpu-compat=power8",
			 "-accel", "kvm,xive=off,xics-destroy=off" };

	assert_int_equal(spirq_config_from_args(4, argv, &cfg, &err), 0);
	assert_int_equal(cfg.ic_mode, SPIRQ_IC_MODE_XICS);
	assert_int_equal(cfg.plan.xics, SPIRQ_BACKEND_IN_KERNEL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_warning_texts),
		cmocka_unit_test(test_compat_downgrade_avoids_refusal),
	};

	return cmocka_run_group_tests_name("irqchip-policy", tests, NULL, NULL);
}
