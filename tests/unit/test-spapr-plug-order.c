// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Regression tests for bugs found and fixed in spirq.
 *
 * Bug: "info pic" lists the presenters in the wrong order after an
 * unplug.  QEMU prints them in CPU_FOREACH order: the order the vCPUs
 * were realized, a removed vCPU simply dropping out (QTAILQ).  spirq
 * removes a vCPU from m->plug_order by moving the last entry into its
 * place (src/spapr/hotplug.c, spapr_cpu_unplug_locked()):
 *
 *   smp 1,maxcpus=4; hotplug 1; hotplug 2; hotplug 3; unplug 1; info pic
 *   QEMU:  CPU 0, CPU 2, CPU 3        spirq: CPU 0, CPU 3, CPU 2
 *
 * The same order is used by the XIVE "info pic" and by reset_state().
 *
 * The fix (src/spapr/hotplug.c): keep the order when removing:
 *
 *	for (i = 0; i < m->nr_plugged; i++) {
 *		if (m->plug_order[i] == cpu) {
 *			memmove(&m->plug_order[i], &m->plug_order[i + 1],
 *				(m->nr_plugged - i - 1) *
 *				sizeof(*m->plug_order));
 *			m->nr_plugged--;
 *			break;
 *		}
 *	}
 *
 * (with #include <string.h>; O(max_cpus) per unplug, as the source scans
 * that follow it already are.)
 */
#include "test-spapr-harness.h"

/*
 * While the bug is there an assertion fails and leaves its machine
 * allocated: no leak report in the sanitizer build, so that the test
 * still answers SKIP there.
 */
static void test_order_after_unplug(void **state)
{
	struct pic *p = pic_new();
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2",
				       "-smp", "1,maxcpus=4", "-m", "256M", NULL);

	assert_int_equal(spirq_cpu_plug(m, 1, NULL), 0);
	assert_int_equal(spirq_cpu_plug(m, 2, NULL), 0);
	assert_int_equal(spirq_cpu_plug(m, 3, NULL), 0);
	assert_int_equal(spirq_cpu_unplug(m, 1, NULL), 0);
	assert_string_equal(info_pic(m, p),
			    "CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "CPU 2 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "CPU 3 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "ICS 1000..1fff 0x1\n"
			    "irqchip: emulated\n");
	/* plugged again, it comes last */
	assert_int_equal(spirq_cpu_plug(m, 1, NULL), 0);
	assert_string_equal(info_pic(m, p),
			    "CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "CPU 2 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "CPU 3 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "CPU 1 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "ICS 1000..1fff 0x1\n"
			    "irqchip: emulated\n");
	machine_free(&h, m);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_after_unplug),
	};

	return cmocka_run_group_tests_name("spapr-plug-order", tests, NULL, NULL);
}
