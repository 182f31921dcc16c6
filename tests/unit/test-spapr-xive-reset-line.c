// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Regression tests for bugs found and fixed in spirq.
 *
 * Bug: on a machine without XICS (ic-mode=xive) a reset leaves a vCPU's
 * external interrupt line up when XIVE had raised it.  The thread
 * contexts are reset (IPB, PIPR, NSR cleared) but xive_tctx_reset()
 * (src/xive/xive-tctx.c) never lowers the line; with XICS present
 * icp_reset() happens to lower it.  In QEMU the CPU reset clears the
 * interrupt inputs (ppc_irq_reset: irq_input_state = 0), so the guest
 * restarts with no external interrupt pending.  spirq's embedder keeps
 * the line high (set_cpu_irq is only called on changes), and the guest
 * takes a phantom external interrupt after the reboot.
 *
 *   ic-mode=xive; claim 0x1100 msi; cas 0x40; queue + route to vCPU 0;
 *   irq 0x1100 1   -> cpu 0 line up
 *   reset          -> no "line down"; TIMA ACK then reads NSR 0
 *
 * The fix (src/xive/xive-tctx.c, xive_tctx_reset()): replace
 * "(void)m;" with
 *
 *	spapr_cpu_set_line(m, tctx->cpu, 0);
 *
 * as icp_reset() does (a no-op when the line is already down: hot-plug,
 * the second presenter of a dual machine).
 */
#include "test-spapr-harness.h"

/*
 * While the bug is there an assertion fails and leaves its machine
 * allocated: no leak report in the sanitizer build, so that the test
 * still answers SKIP there.
 */
static void test_reset_lowers_line_without_xics(void **state)
{
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=xive",
				       "-smp", "2", "-m", "256M", NULL);

	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	xive_queue(m, 1, 1, 6, 0x100000);
	xive_route(m, 0x1100, 1, 6, 0x1100);
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);
	assert_int_equal(h.line[1], 1);
	assert_int_equal(spirq_reset(m), 0);
	assert_int_equal(h.line[1], 0);
	/* nothing is pending in the context either */
	assert_int_equal(mmio_load(m, 1, SPIRQ_REGION_TIMA, TIMA_OS_WORD0, 4),
			 0x000000ff);
	machine_free(&h, m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_lowers_line_without_xics),
	};

	return cmocka_run_group_tests_name("spapr-xive-reset-line", tests, NULL, NULL);
}
