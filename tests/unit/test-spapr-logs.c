// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Regression tests for bugs found and fixed in spirq.
 *
 * Bug 1: the kernel-irqchip fallback warning is logged again at every
 * machine reset, also when the reset activates the controller that was
 * already active.  QEMU's spapr_irq_reset() -> set_active_intc() returns
 * at once when the controller does not change, so it warns once (at
 * start, or when a switch really happens).  spirq's RESET_QUIESCE
 * deactivates the controller and RESET_ACTIVATE activates it again,
 * logging the plan's warning each time:
 *
 *   -M pseries-7.2,ic-mode=xics -accel kvm,xics=off: one warning at start,
 *   then one more per reset
 *
 * The fix (src/spapr/irq.c): remember what was active before the
 * switch and its backend (e.g. m->last_active, set by
 * spapr_irq_deactivate()), and in spapr_irq_activate() log the warning
 * only when "to != m->last_active || m->backend != old backend".
 *
 * Bug 2: a refused CAS called with err == NULL is logged as
 * "CAS refused: unavailable mode" whatever the reason (src/spapr/cas.c
 * uses err->message only when the caller passed err).  Proposed fix: let
 * spirq_cas() check the request into a local spirq_error, log its
 * message, and copy it to *err when err is not NULL.
 */
#include "test-spapr-harness.h"

/*
 * While the bug is there an assertion fails and leaves its machine
 * allocated: no leak report in the sanitizer build, so that the test
 * still answers SKIP there.
 */
static void test_no_new_warning_without_switch(void **state)
{
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=xics",
				       "-accel", "kvm,xics=off", "-m", "256M",
				       NULL);
	unsigned nlog = h.nlog;

	assert_int_equal(host_log_count(&h, 0, SPIRQ_LOG_WARNING, ""), 1);
	assert_int_equal(spirq_reset(m), 0);
	assert_int_equal(spirq_reset(m), 0);
	assert_int_equal(host_log_count(&h, nlog, SPIRQ_LOG_WARNING, ""), 0);
	machine_free(&h, m);

	/* a dual machine that stays in XICS across a reset */
	m = machine_new(&h, "-M", "pseries-7.2", "-accel", "kvm,xics=off",
			"-m", "256M", NULL);
	nlog = h.nlog;
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), 0);
	assert_int_equal(spirq_reset(m), 0);
	assert_int_equal(host_log_count(&h, nlog, SPIRQ_LOG_WARNING, ""), 0);
	/* but a real switch back warns, as QEMU does */
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	nlog = h.nlog;
	assert_int_equal(spirq_reset(m), 0);
	assert_int_equal(host_log_count(&h, nlog, SPIRQ_LOG_WARNING, ""), 1);
	machine_free(&h, m);
}

static void test_cas_refusal_logged_with_reason(void **state)
{
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2", "-m", "256M",
				       NULL);

	assert_int_equal(spirq_cas(m, 0x80, NULL, NULL), -SPIRQ_ERR_CAS);
	assert_int_equal(host_log_count(&h, 0, SPIRQ_LOG_GUEST_ERROR,
			 "guest requested an invalid interrupt mode"), 1);
	machine_free(&h, m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_new_warning_without_switch),
		cmocka_unit_test(test_cas_refusal_logged_with_reason),
	};

	return cmocka_run_group_tests_name("spapr-logs", tests, NULL, NULL);
}
