// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the kernel-irqchip plan at run time.
 *
 * For a few KVM host descriptions, "info pic" ends with "irqchip:
 * in-kernel (simulated host)" exactly when the plan puts the active
 * controller in the kernel -- at boot, after CAS to XIVE, after a reset
 * that activates XICS again (emulated when the host cannot create its
 * XICS device again) -- and each fallback to emulation is logged as a
 * warning through the host's log callback.
 */
#include "test-spapr-harness.h"

#define IK "irqchip: in-kernel (simulated host)"
#define EMU "irqchip: emulated"

#define W_XICS "kernel_irqchip allowed but unavailable: KVM and IRQ_XICS capability must be present for in-kernel XICS"
#define W_XIVE "kernel_irqchip allowed but unavailable: IRQ_XIVE capability must be present for KVM"
#define W_AGAIN "kernel_irqchip allowed but unavailable: the in-kernel XICS device cannot be created again after the guest used XIVE (old KVM or nested guest)"
#define ANY "*"		/* not checked: see pending-spapr-reset-warning.c */

enum op { BOOT, CAS_XIVE, CAS_XICS, RESET, END };

struct step {
	enum op op;
	const char *irqchip;	/* last line of "info pic" */
	const char *warning;	/* NULL: none; ANY; else logged once */
};

struct policy_row {
	const char *machine;
	const char *accel;
	struct step steps[8];
};

static const struct policy_row rows[] = {
	/* a host with everything: in the kernel all along */
	{ "pseries-7.2,ic-mode=dual", "kvm", {
		{ BOOT, IK }, { CAS_XIVE, IK }, { RESET, IK },
		{ CAS_XICS, IK }, { CAS_XIVE, IK }, { CAS_XICS, IK },
		{ END } } },
	{ "pseries-7.2,ic-mode=xive", "kvm", {
		{ BOOT, IK }, { CAS_XIVE, IK }, { RESET, IK }, { END } } },
	{ "pseries-7.2,ic-mode=xics", "kvm", {
		{ BOOT, IK }, { CAS_XICS, IK }, { RESET, IK }, { END } } },
	/* no in-kernel XIVE (host kernel < 5.2, nested): XIVE emulated */
	{ "pseries-7.2,ic-mode=dual", "kvm,xive=off", {
		{ BOOT, IK }, { CAS_XIVE, EMU, W_XIVE }, { RESET, IK },
		{ CAS_XIVE, EMU, W_XIVE }, { CAS_XICS, IK }, { END } } },
	{ "pseries-7.2,ic-mode=xive", "kvm,xive=off", {
		{ BOOT, EMU, W_XIVE }, { CAS_XIVE, EMU }, { RESET, EMU, ANY },
		{ END } } },
	/* an XICS device that cannot be created again (old KVM) */
	{ "pseries-7.2,ic-mode=dual", "kvm,xics-destroy=off", {
		{ BOOT, IK }, { CAS_XICS, IK }, { RESET, IK, ANY },
		{ CAS_XIVE, IK }, { RESET, EMU, W_AGAIN },
		{ CAS_XIVE, IK }, { CAS_XICS, EMU, W_AGAIN }, { END } } },
	/* nested KVM: neither */
	{ "pseries-7.2,ic-mode=dual", "kvm,xive=off,xics-destroy=off", {
		{ BOOT, IK }, { CAS_XIVE, EMU, W_XIVE },
		{ RESET, EMU, W_AGAIN }, { CAS_XIVE, EMU, W_XIVE }, { END } } },
	/* no in-kernel XICS */
	{ "pseries-7.2,ic-mode=dual", "kvm,xics=off", {
		{ BOOT, EMU, W_XICS }, { CAS_XIVE, IK },
		{ RESET, EMU, W_XICS }, { CAS_XICS, EMU }, { END } } },
	{ "pseries-7.2,ic-mode=dual", "kvm,xics=off,xive=off", {
		{ BOOT, EMU, W_XICS }, { CAS_XIVE, EMU, W_XIVE },
		{ RESET, EMU, W_XICS }, { END } } },
	/* kernel-irqchip=off, and TCG: emulated, silently */
	{ "pseries-7.2,ic-mode=dual,kernel-irqchip=off", "kvm", {
		{ BOOT, EMU }, { CAS_XIVE, EMU }, { RESET, EMU }, { END } } },
	{ "pseries-7.2,ic-mode=dual,kernel-irqchip=on", "tcg", {
		{ BOOT, EMU }, { CAS_XIVE, EMU }, { RESET, EMU }, { END } } },
	/* kernel-irqchip=on where the host has it all */
	{ "pseries-7.2,ic-mode=dual,kernel-irqchip=on", "kvm", {
		{ BOOT, IK }, { CAS_XIVE, IK }, { RESET, IK }, { END } } },
	/* dual turned into xics by a POWER8 compat mode */
	{ "pseries-7.2,ic-mode=dual,max-cpu-compat=power8", "kvm,xive=off", {
		{ BOOT, IK }, { CAS_XICS, IK }, { RESET, IK, ANY }, { END } } },
};

static const char *const op_names[] = {
	"boot", "cas 0x40", "cas 0x00", "reset",
};

static void run_step(spirq_machine *m, enum op op)
{
	switch (op) {
	case CAS_XIVE:
		assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
		break;
	case CAS_XICS:
		assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), 0);
		break;
	case RESET:
		assert_int_equal(spirq_reset(m), 0);
		break;
	default:
		break;
	}
}

static void test_plan_at_run_time(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct policy_row *r = &rows[i];
		const struct step *s;
		struct host h;
		spirq_machine *m = machine_new(&h, "-M", r->machine, "-accel",
					       r->accel, "-m", "256M", NULL);
		unsigned nlog = 0;

		for (s = r->steps; s->op != END; s++) {
			char last[128];

			print_message("-M %s -accel %s: %s\n", r->machine,
				      r->accel, op_names[s->op]);
			run_step(m, s->op);
			pic_last_line(m, last, sizeof(last));
			assert_string_equal(last, s->irqchip);
			if (!s->warning) {
				assert_int_equal(host_log_count(&h, nlog,
						SPIRQ_LOG_WARNING, ""), 0);
			} else if (strcmp(s->warning, ANY)) {
				assert_int_equal(host_log_count(&h, nlog,
						SPIRQ_LOG_WARNING, ""), 1);
				assert_int_equal(host_log_count(&h, nlog,
						SPIRQ_LOG_WARNING, s->warning), 1);
			}
			nlog = h.nlog;
		}
		machine_free(&h, m);
	}
}

/* The warning is the whole log line, QEMU's text. */
static void test_warning_text(void **state)
{
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=dual",
				       "-accel", "kvm,xive=off", "-m", "256M",
				       NULL);
	unsigned i, warnings = 0;

	assert_int_equal(h.nlog, 0);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_int_equal(host_log_count(&h, 0, SPIRQ_LOG_INFO,
					"interrupt controller: xive"), 1);
	for (i = 0; i < h.nlog; i++) {
		if (h.log_level[i] != SPIRQ_LOG_WARNING)
			continue;
		assert_string_equal(h.log[i], W_XIVE);
		warnings++;
	}
	assert_int_equal(warnings, 1);
	machine_free(&h, m);
}

/* Without a log callback nothing breaks. */
static void test_no_log_callback(void **state)
{
	spirq_host_ops ops = { .version = SPIRQ_HOST_OPS_VERSION };
	const char *argv[] = { "-M", "pseries-7.2", "-accel", "kvm,xics=off,xive=off" };
	spirq_machine *m;
	spirq_config cfg;

	assert_int_equal(spirq_config_from_args(4, argv, &cfg, NULL), 0);
	assert_int_equal(spirq_machine_create(&cfg, &ops, &m, NULL), 0);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_int_equal(spirq_reset(m), 0);
	spirq_machine_destroy(m);
	assert_int_equal(spirq_machine_create(&cfg, NULL, &m, NULL), 0);
	assert_int_equal(spirq_cas(m, 0x80, NULL, NULL), -SPIRQ_ERR_CAS);
	spirq_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_at_run_time),
		cmocka_unit_test(test_warning_text),
		cmocka_unit_test(test_no_log_callback),
	};

	return cmocka_run_group_tests_name("spapr-policy", tests, NULL, NULL);
}
