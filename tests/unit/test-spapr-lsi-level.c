// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Regression tests for bugs found and fixed in spirq.
 *
 * Bug: an LSI level does not follow a CAS switch when it went DOWN while
 * the other controller was active.  docs/design.md promises "asserted
 * LSI levels follow the switch" and src/spapr/irq.c says the new
 * controller "sees the true line levels", but replay() only replays the
 * lines that are non-zero: XICS (or XIVE) keeps the ASSERTED status it had
 * when it was switched out, and once the guest unmasks the source it gets
 * an interrupt from a device whose line is low.
 *
 *   dual; claim 0x1200 lsi; irq 0x1200 1   ICS: 1200 LSI ff 01
 *   cas 0x40                               XIVE: 00001200 LSI -QA
 *   irq 0x1200 0                           XIVE: 00001200 LSI -Q
 *   cas 0x00                               ICS: 1200 LSI ff 01   <- stale
 *   ibm,set-xive 0x1200 0 5 ; H_CPPR 0xff ; H_XIRR -> 0xff001200  <- spurious
 *
 * The fix (src/spapr/irq.c, replay()): give the new controller the
 * level of every claimed LSI, high or low:
 *
 *	for (irq = SPIRQ_XIRQ_BASE; irq < m->nr_irqs; irq++) {
 *		uint8_t line = m->lines[irq];
 *
 *		if (m->claims[irq] == CLAIM_LSI) {
 *			m->active->set_irq(m, irq, line & LINE_LEVEL);
 *			continue;
 *		}
 *		if (!line)
 *			continue;
 *		...
 *
 * (set_irq(0) on a deasserted LSI changes nothing in either controller.)
 */
#include "test-spapr-harness.h"

/*
 * While the bug is there an assertion fails and leaves its machine
 * allocated: no leak report in the sanitizer build, so that the test
 * still answers SKIP there.
 */
static void test_deassert_follows_switch_to_xics(void **state)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=dual",
				       "-m", "256M", NULL);

	assert_int_equal(spirq_irq_claim(m, 0x1200, true, NULL), 0);
	assert_int_equal(spirq_set_irq(m, 0x1200, 1), 0);
	assert_true(pic_has(m, "  1200 LSI ff 01"));
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_true(pic_has(m, "  00001200 LSI -QA M 00000000"));
	assert_int_equal(spirq_set_irq(m, 0x1200, 0), 0);
	assert_true(pic_has(m, "  00001200 LSI -Q  M 00000000"));
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), 0);
	/* the line is low: XICS must not think it asserted */
	assert_true(pic_has(m, "  1200 LSI ff 00"));
	assert_int_equal(set_xive(m, 0x1200, 0, 5), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_CPPR, NULL, 0xff), SPIRQ_H_SUCCESS);
	assert_int_equal(h.line[0], 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_XIRR, rets, 0), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0xff000000);
	machine_free(&h, m);
}

static void test_deassert_follows_switch_to_xive(void **state)
{
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=dual",
				       "-m", "256M", NULL);

	assert_int_equal(spirq_irq_claim(m, 0x1200, true, NULL), 0);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_int_equal(spirq_set_irq(m, 0x1200, 1), 0);
	assert_true(pic_has(m, "  00001200 LSI -QA M 00000000"));
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), 0);
	assert_int_equal(spirq_set_irq(m, 0x1200, 0), 0);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_true(pic_has(m, "  00001200 LSI -Q  M 00000000"));
	machine_free(&h, m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deassert_follows_switch_to_xics),
		cmocka_unit_test(test_deassert_follows_switch_to_xive),
	};

	return cmocka_run_group_tests_name("spapr-lsi-level", tests, NULL, NULL);
}
