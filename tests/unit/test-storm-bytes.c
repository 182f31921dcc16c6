// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the storm driven by bytes (fuzz-storm's mode) ends when the
 * bytes do.
 *
 * Out of bytes, every choice is 0: a loop that continues while a choice
 * is 0 (the device events between reset phases) never ended, and
 * fuzz-storm timed out.  Inputs of a repeated pattern, ending at every
 * point of a storm full of resets, must each end (an alarm fails the
 * test otherwise) with the oracle satisfied.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "oracle/storm.h"

static void run_prefixes(const char *machine)
{
	uint8_t bytes[160];
	size_t len, i;

	/* each choice reads 0x03e3 = 995: among 1000, a reset */
	for (i = 0; i < sizeof(bytes); i += 2) {
		bytes[i] = 0x03;
		bytes[i + 1] = 0xe3;
	}
	for (len = 0; len <= sizeof(bytes); len++) {
		struct storm_config cfg = { .machine = machine, .ops = 1000,
					    .bytes = bytes, .nbytes = len };
		struct storm_result res;

		alarm(20);
		assert_int_equal(storm_run(&cfg, &res), 0);
		alarm(0);
	}
}

static void test_bytes_end_dual(void **state)
{
	(void)state;
	run_prefixes("pseries-7.2,ic-mode=dual");
}

static void test_bytes_end_xics(void **state)
{
	(void)state;
	run_prefixes("pseries-7.2,ic-mode=xics");
}

static void test_bytes_end_xive(void **state)
{
	(void)state;
	run_prefixes("pseries-7.2,ic-mode=xive");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes_end_dual),
		cmocka_unit_test(test_bytes_end_xics),
		cmocka_unit_test(test_bytes_end_xive),
	};

	return cmocka_run_group_tests_name("storm-bytes", tests, NULL, NULL);
}
