// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the walks of src/common/bitmap.h against a byte-by-byte
 * search.
 *
 * bytes_next_nonzero() skips 64 bytes, then 8, at a time: a non-zero byte
 * at any position of a block or word, found from any start (aligned or
 * not, inside or before the block), in arrays whose size is not a multiple
 * of the steps, must come out as the first one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/bitmap.h"

#define LEN 300

static size_t naive_next_nonzero(const uint8_t *bytes, size_t n,
				 size_t from)
{
	while (from < n && !bytes[from])
		from++;
	return from < n ? from : n;
}

/* One non-zero byte at @at (or none: @at >= n), every start, every size. */
static void check_one(size_t at)
{
	uint8_t bytes[LEN];
	size_t n, from;

	for (n = 0; n <= LEN; n += n < 140 ? 1 : 37) {
		memset(bytes, 0, sizeof(bytes));
		if (at < n)
			bytes[at] = 0x80;
		for (from = 0; from <= n + 1; from++)
			assert_int_equal(bytes_next_nonzero(bytes, n, from),
					 naive_next_nonzero(bytes, n, from));
	}
}

static void test_one_nonzero_byte(void **state)
{
	size_t at;

	(void)state;
	for (at = 0; at < LEN; at++)
		check_one(at);
	check_one(LEN);		/* none */
}

/* Two non-zero bytes: the first at or after the start, not the second. */
static void test_two_nonzero_bytes(void **state)
{
	uint8_t bytes[LEN];
	size_t a, b, from;

	(void)state;
	for (a = 0; a < 140; a += 3) {
		for (b = a + 1; b < 200; b += 5) {
			memset(bytes, 0, sizeof(bytes));
			bytes[a] = 1;
			bytes[b] = 2;
			for (from = 0; from <= b + 1; from++)
				assert_int_equal(
					bytes_next_nonzero(bytes, LEN, from),
					naive_next_nonzero(bytes, LEN, from));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_nonzero_byte),
		cmocka_unit_test(test_two_nonzero_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
