// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the interrupt storm under the conservation oracle.
 *
 * Input: a machine byte (b % 4: dual, xics, xive, pseries-4.1 with
 * vsmt=2), then the storm's random choices, two bytes each
 * (tests/oracle/storm.h: device lines, guest ACK/EOI, CPPR changes,
 * retargeting, masking, resets without a drain, CAS switches in flight,
 * hot-plug, save/restore and migration).  The storm stops where the input
 * ends (at most MAX_OPS operations), then lowers the lines and drains.
 *
 * Any violation the oracle finds (an interrupt lost, misrouted,
 * duplicated, delivered at a priority the CPPR masks, an LSI level not
 * presented) is a crash with the oracle's message.
 */
#include <stdio.h>
#include <stdlib.h>

#include "oracle/storm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Bounded work per input (an operation costs a few microseconds, the
 * setup of a storm about as much as 20-40 of them): the corpus reaches
 * the same edges with 64 operations as with 512, and the fuzzer runs
 * about 1.5 times as many inputs.  scripts/fuzz.sh gives it inputs of
 * 512 bytes at most.
 */
#define MAX_OPS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const machines[] = {
		"pseries-7.2,ic-mode=dual", "pseries-7.2,ic-mode=xics",
		"pseries-7.2,ic-mode=xive", "pseries-4.1,vsmt=2",
	};
	/* the oracle, guest RAM and configurations, reused across inputs */
	static struct storm_pool *pool;
	struct storm_config cfg = { .ops = MAX_OPS };
	struct storm_result res;

	if (size < 1)
		return 0;
	if (!pool)
		pool = storm_pool_new();
	cfg.pool = pool;
	cfg.machine = machines[data[0] % 4];
	cfg.bytes = data + 1;
	cfg.nbytes = size - 1;
	if (storm_run(&cfg, &res)) {
		fprintf(stderr,
			"\n*** spirq fuzz: the conservation oracle on -M %s after %llu operations: %s\n",
			cfg.machine, (unsigned long long)res.ops, res.error);
		abort();
	}
	return 0;
}
