// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * storm: the interrupt storm of tests/oracle as a program (make stress).
 *
 * usage: storm [OPS [SEED [MACHINE]]]
 *   OPS      operations per machine kind (default 1000000)
 *   SEED     generator seed (default 1)
 *   MACHINE  one -M value; default: dual, xics, xive and pseries-4.1
 *
 * Prints what happened to the events of each run and exits 1 at the first
 * violation the oracle reports (lost, misrouted, duplicated, masked).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "storm.h"

static int run(const char *machine, uint64_t ops, uint64_t seed)
{
	struct storm_config cfg = { .machine = machine, .ops = ops,
				    .seed = seed };
	struct storm_result r;
	const struct oracle_counts *n = &r.counts;
	struct timespec t0, t1;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = storm_run(&cfg, &r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%-28s %8llu ops in %.1f s: %llu raised = %llu delivered + %llu coalesced + %llu dropped + %llu discarded + %llu pending; %llu LSI presentations\n",
	       machine, (unsigned long long)r.ops,
	       (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       (unsigned long long)n->raised, (unsigned long long)n->delivered,
	       (unsigned long long)n->coalesced,
	       (unsigned long long)n->dropped,
	       (unsigned long long)n->discarded,
	       (unsigned long long)r.pending,
	       (unsigned long long)n->lsi_presented);
	printf("%-28s resets %llu, CAS %llu, plugs %llu, unplugs %llu, migrations %llu, drains %llu\n",
	       "", (unsigned long long)r.resets,
	       (unsigned long long)r.cas_switches, (unsigned long long)r.plugs,
	       (unsigned long long)r.unplugs, (unsigned long long)r.migrations,
	       (unsigned long long)r.drains);
	printf("%-28s lost %llu, misrouted %llu, duplicated %llu, masked %llu, other %llu\n",
	       "", (unsigned long long)n->lost,
	       (unsigned long long)n->misrouted,
	       (unsigned long long)n->duplicated,
	       (unsigned long long)n->masked,
	       (unsigned long long)n->mismatch);
	if (ret)
		printf("%-28s FAILED: %s\n", "", r.error);
	return ret;
}

int main(int argc, char **argv)
{
	static const char *const machines[] = {
		"pseries-7.2,ic-mode=dual", "pseries-7.2,ic-mode=xics",
		"pseries-7.2,ic-mode=xive", "pseries-4.1,vsmt=2",
	};
	uint64_t ops = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
	int failed = 0;
	size_t i;

	if (argc > 3)
		return run(argv[3], ops, seed) ? 1 : 0;
	for (i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		failed |= run(machines[i], ops / 4, seed + i) != 0;
	printf("%s\n", failed ? "storm: FAILED" : "storm: 0 lost, 0 misrouted, 0 duplicated");
	return failed;
}
