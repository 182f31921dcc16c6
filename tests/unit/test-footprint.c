// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirq_machine_footprint() against an allocation-counting host.
 *
 * This program is linked with --wrap for malloc, calloc, realloc and free
 * (tests/meson.build), so every allocation the library makes goes through
 * the counters below.  While tracking is on (around library calls only),
 * the live bytes are counted; after each call the library's own figure
 * must equal the counted one exactly.  The figure for the configuration
 * of issue 14 must also stay within 1/16 of what QEMU 7.2 allocates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <spirq/spirq.h>

#include "xive/xive-internal.h"

/* ---- the counting allocator ---------------------------------------------- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void __real_free(void *p);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void __wrap_free(void *p);

#define NR_SLOTS (1u << 16)	/* open addressing; far more than live blocks */

static struct block {
	void *p;
	size_t size;
} blocks[NR_SLOTS];
static size_t live;		/* bytes of tracked blocks */
static int tracking;

static size_t slot_of(const void *p)
{
	return ((uintptr_t)p >> 4) * 2654435761u % NR_SLOTS;
}

static void track(void *p, size_t size)
{
	size_t i = slot_of(p);

	if (!p || !tracking)
		return;
	while (blocks[i].p && blocks[i].p != (void *)1)
		i = (i + 1) % NR_SLOTS;
	blocks[i].p = p;
	blocks[i].size = size;
	live += size;
}

static void untrack(void *p)
{
	size_t i = slot_of(p), n;

	if (!p)
		return;
	for (n = 0; blocks[i].p && n < NR_SLOTS; n++, i = (i + 1) % NR_SLOTS) {
		if (blocks[i].p == p) {
			live -= blocks[i].size;
			blocks[i].p = (void *)1;	/* tombstone */
			return;
		}
	}
}

void *__wrap_malloc(size_t size)
{
	void *p = __real_malloc(size);

	track(p, size);
	return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
	void *p = __real_calloc(n, size);

	track(p, n * size);
	return p;
}

void *__wrap_realloc(void *p, size_t size)
{
	void *q;

	untrack(p);
	q = __real_realloc(p, size);
	track(q, size);
	return q;
}

void __wrap_free(void *p)
{
	untrack(p);
	__real_free(p);
}

/* ---- helpers ------------------------------------------------------------- */

#define LIB(call)		\
	do {			\
		tracking = 1;	\
		call;		\
		tracking = 0;	\
	} while (0)

static spirq_machine *create(const char *machine, const char *smp)
{
	const char *argv[] = { "-M", machine, "-smp", smp };
	spirq_config cfg;
	spirq_machine *m = NULL;
	int ret;

	assert_int_equal(spirq_config_from_args(4, argv, &cfg, NULL), 0);
	LIB(ret = spirq_machine_create(&cfg, NULL, &m, NULL));
	assert_int_equal(ret, 0);
	return m;
}

/* The machines created so far are all the library holds. */
static void assert_counted(spirq_machine *const *ms, unsigned n)
{
	size_t sum = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		sum += spirq_machine_footprint(ms[i]);
	assert_int_equal(sum, live);
}

static void plug(spirq_machine *m, unsigned core)
{
	int ret;

	LIB(ret = spirq_cpu_plug(m, core, NULL));
	assert_int_equal(ret, 0);
}

static void unplug(spirq_machine *m, unsigned core)
{
	int ret;

	LIB(ret = spirq_cpu_unplug(m, core, NULL));
	assert_int_equal(ret, 0);
}

static uint64_t id_of(spirq_machine *m, unsigned cpu_index)
{
	return spirq_vcpu_id(spirq_machine_config(m), cpu_index);
}

static void set_queue(spirq_machine *m, unsigned cpu, uint64_t server,
		      uint64_t prio, uint64_t qpage)
{
	uint64_t args[9] = { 0, server, prio, qpage, 16 }, rets[9];
	unsigned nrets;
	int64_t rc;

	LIB(rc = spirq_hcall(m, cpu, SPIRQ_H_INT_SET_QUEUE_CONFIG, args, rets,
			     &nrets));
	assert_int_equal(rc, SPIRQ_H_SUCCESS);
}

/* ---- tests --------------------------------------------------------------- */

/* Issue 14: QEMU 7.2 sizes this configuration at 4,269,120 bytes. */
static void test_issue_configuration(void **state)
{
	spirq_machine *m;

	(void)state;
	assert_int_equal(live, 0);
	m = create("pseries-7.2,ic-mode=xive,vsmt=8", "1,maxcpus=2048");
	assert_counted(&m, 1);
	print_message("footprint, xive vsmt=8 maxcpus=2048, 1 vCPU: %zu B\n",
		      spirq_machine_footprint(m));
	assert_true(spirq_machine_footprint(m) <= 4269120 / 16);
	LIB(spirq_machine_destroy(m));
	assert_int_equal(live, 0);
}

/* Create, plug, configure, reset, unplug, destroy: exact at each step. */
static void test_plug_unplug(void **state)
{
	static const char *const modes[] = {
		"pseries-7.2,ic-mode=xive,vsmt=8",
		"pseries-7.2,ic-mode=dual",
		"pseries-7.2,ic-mode=xics",
		"pseries-5.2,ic-mode=dual,vsmt=8",	/* END slot = vCPU id */
	};
	unsigned k, core;
	int ret;

	(void)state;
	for (k = 0; k < sizeof(modes) / sizeof(modes[0]); k++) {
		spirq_machine *m = create(modes[k], "2,maxcpus=64");
		size_t at_create = spirq_machine_footprint(m);

		assert_counted(&m, 1);
		for (core = 2; core < 64; core += 3) {
			plug(m, core);
			assert_counted(&m, 1);
		}
		assert_true(spirq_machine_footprint(m) > at_create);
		if (strstr(modes[k], "xics") == NULL) {
			LIB(ret = spirq_cas(m, 0x40, NULL, NULL));
			assert_int_equal(ret, 0);
			set_queue(m, 0, 0, 5, 0x10000);
			set_queue(m, 0, id_of(m, 2), 3, 0x20000);
			assert_counted(&m, 1);
		}
		LIB(ret = spirq_reset(m));
		assert_int_equal(ret, 0);
		assert_counted(&m, 1);
		for (core = 2; core < 64; core += 3) {
			unplug(m, core);
			assert_counted(&m, 1);
		}
		assert_int_equal(spirq_machine_footprint(m), at_create);
		LIB(spirq_machine_destroy(m));
		assert_int_equal(live, 0);
	}
}

/* A restore swaps the tables of a machine built from the stream in. */
static void test_migration(void **state)
{
	spirq_machine *ms[2];
	size_t stream_size, used = 0;
	void *buf;
	int ret;

	(void)state;
	ms[0] = create("pseries-7.2,ic-mode=dual,vsmt=8", "1,maxcpus=256");
	ms[1] = create("pseries-7.2,ic-mode=dual,vsmt=8", "1,maxcpus=256");
	plug(ms[0], 7);
	plug(ms[0], 200);
	LIB(ret = spirq_cas(ms[0], 0x40, NULL, NULL));
	assert_int_equal(ret, 0);
	set_queue(ms[0], 0, id_of(ms[0], 200), 6, 0x30000);
	assert_counted(ms, 2);

	LIB(ret = spirq_save(ms[0], NULL, 0, &used));
	assert_int_equal(ret, -SPIRQ_ERR_NOSPACE);
	stream_size = used;
	buf = malloc(stream_size);	/* not tracked: the host's buffer */
	assert_non_null(buf);
	LIB(ret = spirq_save(ms[0], buf, stream_size, &used));
	assert_int_equal(ret, 0);
	assert_counted(ms, 2);

	LIB(ret = spirq_restore(ms[1], buf, used, NULL));
	assert_int_equal(ret, 0);
	assert_counted(ms, 2);
	assert_int_equal(spirq_machine_footprint(ms[1]),
			 spirq_machine_footprint(ms[0]));

	/* and back onto a machine with more vCPUs than the stream */
	plug(ms[0], 100);
	LIB(ret = spirq_restore(ms[0], buf, used, NULL));
	assert_int_equal(ret, 0);
	assert_counted(ms, 2);
	assert_int_equal(spirq_machine_footprint(ms[0]),
			 spirq_machine_footprint(ms[1]));
	free(buf);

	unplug(ms[1], 200);
	assert_counted(ms, 2);
	LIB(spirq_machine_destroy(ms[0]));
	LIB(spirq_machine_destroy(ms[1]));
	assert_int_equal(live, 0);
}

/*
 * A stream may hold an END of a slot whose vCPU is absent (spirq resets
 * them on unplug, QEMU does not): the restore gives that group memory,
 * counted, and saves it back to the same bytes.
 */
static void test_restore_absent_end(void **state)
{
	spirq_machine *ms[2];
	size_t len[2];
	uint8_t *buf[2];
	unsigned k;
	int ret;

	(void)state;
	ms[0] = create("pseries-7.2,ic-mode=xive", "1,maxcpus=16");
	ms[1] = create("pseries-7.2,ic-mode=xive", "1,maxcpus=16");
	LIB(ret = spapr_xive_end_group_alloc(ms[0]->xive, 5,
					     &ms[0]->footprint));
	assert_int_equal(ret, 0);
	spapr_xive_end(ms[0]->xive, 5 * 8 + 3)->w1 = 0;	/* not reset */
	assert_counted(ms, 2);
	assert_true(spirq_machine_footprint(ms[0]) >
		    spirq_machine_footprint(ms[1]));

	for (k = 0; k < 2; k++) {
		LIB(ret = spirq_save(ms[k], NULL, 0, &len[k]));
		buf[k] = malloc(len[k]);
		assert_non_null(buf[k]);
		LIB(ret = spirq_save(ms[k], buf[k], len[k], &len[k]));
		assert_int_equal(ret, 0);
		if (!k) {
			LIB(ret = spirq_restore(ms[1], buf[0], len[0], NULL));
			assert_int_equal(ret, 0);
			assert_counted(ms, 2);
		}
	}
	assert_int_equal(spirq_machine_footprint(ms[1]),
			 spirq_machine_footprint(ms[0]));
	assert_int_equal(len[1], len[0]);
	assert_memory_equal(buf[1], buf[0], len[0]);
	free(buf[0]);
	free(buf[1]);
	LIB(spirq_machine_destroy(ms[0]));
	LIB(spirq_machine_destroy(ms[1]));
	assert_int_equal(live, 0);
}

/* What grows with max_cpus alone: a few words per possible vCPU. */
static void test_max_cpus(void **state)
{
	spirq_machine *ms[2], *small, *large;
	size_t per_cpu;

	(void)state;
	ms[0] = small = create("pseries-7.2,ic-mode=dual", "1,maxcpus=16");
	ms[1] = large = create("pseries-7.2,ic-mode=dual", "1,maxcpus=4096");
	assert_counted(ms, 2);
	per_cpu = (spirq_machine_footprint(large) -
		   spirq_machine_footprint(small)) / (4096 - 16);
	print_message("footprint, dual maxcpus=4096, 1 vCPU: %zu B (%zu B per possible vCPU)\n",
		      spirq_machine_footprint(large), per_cpu);
	assert_true(per_cpu <= 64);
	LIB(spirq_machine_destroy(small));
	LIB(spirq_machine_destroy(large));
	assert_int_equal(live, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_configuration),
		cmocka_unit_test(test_plug_unplug),
		cmocka_unit_test(test_migration),
		cmocka_unit_test(test_restore_absent_end),
		cmocka_unit_test(test_max_cpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
