// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the TIMA's raw register accesses stay within the 64-byte
 * thread context whatever their caller.
 *
 * The public path (spirq_mmio_load/store) splits unaligned accesses into
 * aligned ones before they reach src/xive/xive-tctx.c, so an access there
 * never crosses the end of the context today; these tests call the
 * internal functions directly with accesses that would, as another
 * caller could.  They must be refused as invalid raw accesses (all ones,
 * nothing written, a guest error), never read or write past the
 * context's register array or its access map (ASan, in the sanitized
 * build, sees either).
 */
#include "test-xive.h"

#include "spapr/spapr-internal.h"
#include "xive/xive-internal.h"

#define CONTEXT_SIZE (TM_RING_COUNT * TM_RING_SIZE)

static struct xive_tctx *tctx0(struct xt *t)
{
	return t->m->vcpus[0].tctx;
}

/* Loads of 4 and 8 bytes starting in the last bytes of the context. */
static void test_raw_read_past_end(void **state)
{
	static const struct {
		uint64_t off;
		unsigned size;
	} bad[] = {
		{ 0x3c, 8 }, { 0x3d, 4 }, { 0x3f, 4 }, { 0x3f, 8 },
		{ 0x39, 8 }, { 0x7fd, 4 }, { 0x13e, 8 },
	};
	struct xt t;
	size_t i;

	(void)state;
	xt_start_xive(&t, "1");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned errors = t.guest_errors;
		uint64_t ones = bad[i].size == 8 ? ~0ull :
				(1ull << (8 * bad[i].size)) - 1;

		assert_int_equal(xive_tctx_tm_read(t.m, tctx0(&t),
						   TM_OS + bad[i].off,
						   bad[i].size), ones);
		assert_int_equal(t.guest_errors, errors + 1);
	}
	xt_stop(&t);
}

/* Stores that would run past the end write nothing at all. */
static void test_raw_write_past_end(void **state)
{
	uint8_t before[CONTEXT_SIZE];
	struct xt t;
	unsigned off, errors;

	(void)state;
	xt_start_xive(&t, "1");
	for (off = 0x39; off < CONTEXT_SIZE; off++) {
		memcpy(before, tctx0(&t)->regs, sizeof(before));
		errors = t.guest_errors;
		xive_tctx_tm_write(t.m, tctx0(&t), TM_OS + off, 8,
				   0x0102030405060708ull);
		assert_memory_equal(tctx0(&t)->regs, before, sizeof(before));
		assert_int_equal(t.guest_errors, errors + 1);
	}
	xt_stop(&t);
}

/* Sizes the raw view does not have (the public path refuses them). */
static void test_raw_odd_sizes(void **state)
{
	struct xt t;
	unsigned errors;

	(void)state;
	xt_start_xive(&t, "1");
	errors = t.guest_errors;
	assert_int_equal(xive_tctx_tm_read(t.m, tctx0(&t), TM_OS + 0x10, 16),
			 ~0ull);
	assert_int_equal(t.guest_errors, errors + 1);
	/* the aligned accesses still work */
	assert_int_equal(xive_tctx_tm_read(t.m, tctx0(&t), TM_OS + 0x10, 8),
			 0x000000ffff0000ffull);
	assert_int_equal(t.guest_errors, errors + 1);
	xt_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_read_past_end),
		cmocka_unit_test(test_raw_write_past_end),
		cmocka_unit_test(test_raw_odd_sizes),
	};

	return cmocka_run_group_tests_name("xive-tctx-bound", tests, NULL,
					   NULL);
}
