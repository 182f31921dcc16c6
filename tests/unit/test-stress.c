// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stress tests: the interrupt storm (tests/oracle/storm.h) on every kind
 * of machine, each observation checked by the conservation oracle
 * (tests/oracle/oracle.h): no interrupt lost, misrouted or duplicated, no
 * delivery the CPPR masks, through resets that do not wait for a drain,
 * CAS switches with interrupts in flight, hot-plug and unplug of targeted
 * vCPUs, save/restore and migration.  Then the threaded storm, which
 * checks exactly-once delivery whatever the interleaving (run under TSan
 * by make check).
 *
 * 50,000 operations in all; SPIRQ_STORM_SCALE=N multiplies them (make
 * stress runs the million-operation storm with tests/oracle/storm-main).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "oracle/storm.h"

static uint64_t scaled(uint64_t ops)
{
	const char *scale = getenv("SPIRQ_STORM_SCALE");

	return scale && atoi(scale) > 0 ? ops * (uint64_t)atoi(scale) : ops;
}

static void report(const char *what, const struct storm_result *r)
{
	const struct oracle_counts *n = &r->counts;

	print_message("%s: %llu ops, %llu raised, %llu delivered, %llu coalesced, "
		      "%llu dropped, %llu discarded, %llu LSI; %llu resets, "
		      "%llu CAS, %llu plugs, %llu unplugs, %llu migrations; "
		      "lost %llu misrouted %llu duplicated %llu masked %llu\n",
		      what, (unsigned long long)r->ops,
		      (unsigned long long)n->raised,
		      (unsigned long long)n->delivered,
		      (unsigned long long)n->coalesced,
		      (unsigned long long)n->dropped,
		      (unsigned long long)n->discarded,
		      (unsigned long long)n->lsi_presented,
		      (unsigned long long)r->resets,
		      (unsigned long long)r->cas_switches,
		      (unsigned long long)r->plugs,
		      (unsigned long long)r->unplugs,
		      (unsigned long long)r->migrations,
		      (unsigned long long)n->lost,
		      (unsigned long long)n->misrouted,
		      (unsigned long long)n->duplicated,
		      (unsigned long long)n->masked);
}

static void storm(const char *machine, uint64_t ops, uint64_t seed)
{
	struct storm_config cfg = {
		.machine = machine, .ops = scaled(ops), .seed = seed,
	};
	struct storm_result r;
	int ret = storm_run(&cfg, &r);

	report(machine, &r);
	if (ret)
		fail_msg("%s: %s", machine, r.error);
	assert_int_equal(r.ops, cfg.ops);
	/* the storm reached what it is for */
	assert_true(r.counts.delivered > r.ops / 20);
	assert_true(r.resets > 0 && r.unplugs > 0 && r.migrations > 0);
	/* every raised event is accounted for, none violated */
	assert_int_equal(r.counts.raised,
			 r.counts.delivered + r.counts.coalesced +
			 r.counts.dropped + r.counts.discarded + r.pending);
}

static void test_storm_dual(void **state)
{
	storm("pseries-7.2,ic-mode=dual", 20000, 0x5eed);
}

static void test_storm_xics(void **state)
{
	storm("pseries-7.2,ic-mode=xics", 10000, 0xc0ffee);
}

static void test_storm_xive(void **state)
{
	storm("pseries-7.2,ic-mode=xive", 10000, 0xd0a1);
}

static void test_storm_legacy(void **state)
{
	/* pseries-4.1: vCPU-id END slots, dual by default */
	storm("pseries-4.1,vsmt=2", 10000, 0x41);
}

static void test_threads(void **state)
{
	struct storm_result r;
	int ret = storm_threads("pseries-7.2,ic-mode=dual", 40, &r);

	report("threads", &r);
	if (ret)
		fail_msg("threads: %s", r.error);
	assert_true(r.counts.delivered > 0);
	assert_int_equal(r.counts.raised,
			 r.counts.delivered + r.counts.discarded);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_storm_dual),
		cmocka_unit_test(test_storm_xics),
		cmocka_unit_test(test_storm_xive),
		cmocka_unit_test(test_storm_legacy),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests_name("stress", tests, NULL, NULL);
}
