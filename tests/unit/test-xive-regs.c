// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the thread context's conversions, tables since the
 * presenter looks them up at every interrupt (src/xive/xive-tctx.c),
 * agree with their definitions for every byte.
 *
 *   IPB bit of a priority   0 -> 0x80 ... 7 -> 0x01, none above 7
 *   PIPR of an IPB          the most favoured (lowest) pending priority,
 *                           0xff when none is
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "xive/xive-regs.h"

static void test_ipb_of_priority(void **state)
{
	unsigned p;

	(void)state;
	for (p = 0; p < 256; p++)
		assert_int_equal(xive_priority_to_ipb((uint8_t)p),
				 p < 8 ? 0x80u >> p : 0);
}

static void test_pipr_of_ipb(void **state)
{
	unsigned ipb, prio;

	(void)state;
	assert_int_equal(xive_ipb_to_pipr(0), 0xff);
	for (ipb = 1; ipb < 256; ipb++) {
		for (prio = 0; !(ipb & (0x80u >> prio)); prio++)
			;
		assert_int_equal(xive_ipb_to_pipr((uint8_t)ipb), prio);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipb_of_priority),
		cmocka_unit_test(test_pipr_of_ipb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
