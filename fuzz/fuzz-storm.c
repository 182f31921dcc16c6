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
 *
 * The storm's machines come from a cache (one snapshot each, taken new
 * with the storm's sources claimed, rolled back: fz_cache_*), its
 * oracle, guest RAM and configurations from a struct storm_pool.
 * SPIRQ_FUZZ_VERIFY=1: each input also runs on new machines and must end
 * the same way; SPIRQ_FUZZ_FRESH=1: new machines only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "oracle/storm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Bounded work per input (an operation costs a few microseconds, the
 * setup of a storm about as much as 20-40 of them): the corpus reaches
 * the same functions with 32 operations as with 64 or 512, and the
 * fuzzer runs more inputs.  scripts/fuzz.sh gives it inputs of 256 bytes
 * at most.
 */
#define MAX_OPS 32

/*
 * A save/restore builds a machine inside spirq_restore() (its atomicity):
 * about 60% of an input's time when the corpus favours them.  Two per
 * input reach the same code (a restore in place, a migration).
 */
#define MAX_SAVE_RESTORES 2

/* A storm uses two machines at once (a migration's source and target),
 * of four configurations: FZ_CACHE_SIZE keeps them all. */
FZ_UNTRACED
static int cache_create(void *opaque, const spirq_config *cfg,
			const spirq_host_ops *ops, spirq_machine **out,
			spirq_error *err)
{
	struct fz_machine_cache *c = opaque;
	struct fz_cached *e = fz_cache_get(c, cfg, ops);
	int ret;

	if (e) {
		*out = e->m;
		return 0;
	}
	ret = spirq_machine_create(cfg, ops, out, err);
	if (!ret)
		ret = storm_claim_sources(*out, err);
	if (ret) {
		spirq_machine_destroy(*out);
		*out = NULL;
		return ret;
	}
	e = fz_cache_slot(c);
	if (e)
		fz_cache_keep(c, e, cfg, *out);
	return 0;
}

FZ_UNTRACED
static void cache_destroy(void *opaque, spirq_machine *m)
{
	fz_cache_put(opaque, m);
}

static void run(const uint8_t *data, size_t size,
		const struct storm_machines *machines,
		struct storm_pool *pool, struct storm_result *res)
{
	static const char *const names[] = {
		"pseries-7.2,ic-mode=dual", "pseries-7.2,ic-mode=xics",
		"pseries-7.2,ic-mode=xive", "pseries-4.1,vsmt=2",
	};
	struct storm_config cfg = {
		.ops = MAX_OPS, .pool = pool, .machines = machines,
		.max_save_restores = MAX_SAVE_RESTORES,
	};

	cfg.machine = names[data[0] % 4];
	cfg.bytes = data + 1;
	cfg.nbytes = size - 1;
	if (storm_run(&cfg, res)) {
		fprintf(stderr,
			"\n*** spirq fuzz: the conservation oracle on -M %s after %llu operations: %s\n",
			cfg.machine, (unsigned long long)res->ops, res->error);
		abort();
	}
}

FZ_UNTRACED
static bool same_result(const struct storm_result *a,
			const struct storm_result *b)
{
	return a->ops == b->ops && a->resets == b->resets &&
	       a->cas_switches == b->cas_switches && a->plugs == b->plugs &&
	       a->unplugs == b->unplugs && a->migrations == b->migrations &&
	       a->drains == b->drains && a->pending == b->pending &&
	       !memcmp(&a->counts, &b->counts, sizeof(a->counts));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_machine_cache cache;
	static const struct storm_machines cached = {
		cache_create, cache_destroy, &cache, .claims_sources = true,
	};
	/* the oracle, guest RAM and configurations, reused across inputs */
	static struct storm_pool *pool;
	static int verify = -1, fresh;
	struct storm_result res, again;

	if (size < 1)
		return 0;
	if (verify < 0) {
		verify = fz_env_set("SPIRQ_FUZZ_VERIFY");
		fresh = fz_env_set("SPIRQ_FUZZ_FRESH");
		pool = storm_pool_new();
		FZ_ASSERT(pool, "out of memory");
	}
	run(data, size, fresh ? NULL : &cached, pool, &res);
	if (verify) {
		run(data, size, NULL, NULL, &again);
		FZ_ASSERT(same_result(&res, &again),
			  "determinism: a storm on cached machines ends differently than on new ones");
	}
	return 0;
}
