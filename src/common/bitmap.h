/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small bitmap helpers over uint64_t words.
 */
#ifndef SPIRQ_COMMON_BITMAP_H
#define SPIRQ_COMMON_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/coverage.h"

#define BITS_TO_WORDS(n) (((n) + 63) / 64)

static inline bool bitmap_test(const uint64_t *map, unsigned bit)
{
	return map[bit / 64] >> (bit % 64) & 1;
}

static inline void bitmap_set(uint64_t *map, unsigned bit)
{
	map[bit / 64] |= 1ull << (bit % 64);
}

static inline void bitmap_clear(uint64_t *map, unsigned bit)
{
	map[bit / 64] &= ~(1ull << (bit % 64));
}

/*
 * The first bit at or after @from that differs from @clear_value (0: the
 * first set bit, ~0: the first clear one), or @nbits if none.  One step
 * per word, not per bit.  Its loop's comparisons are over words, never
 * over anything a fuzzer's input chose: left out of their tracing.
 */
SPIRQ_UNTRACED
static inline unsigned bitmap_next(const uint64_t *map, unsigned nbits,
				   unsigned from, uint64_t clear_value)
{
	unsigned word = from / 64;
	uint64_t bits;

	if (from >= nbits)
		return nbits;
	bits = (map[word] ^ clear_value) & (~0ull << (from % 64));
	while (!bits) {
		if (++word >= BITS_TO_WORDS(nbits))
			return nbits;
		bits = map[word] ^ clear_value;
	}
	from = word * 64 + (unsigned)__builtin_ctzll(bits);
	return from < nbits ? from : nbits;
}

/*
 * The first set bit at or after @from, or @nbits if none: a walk over the
 * set bits costs one step per word, not per bit (the tables' "live" sets
 * let resets, saves and unplugs skip the entries still in reset state).
 */
SPIRQ_UNTRACED
static inline unsigned bitmap_next_set(const uint64_t *map, unsigned nbits,
				       unsigned from)
{
	return bitmap_next(map, nbits, from, 0);
}

/* The first clear bit at or after @from, or @nbits if none. */
SPIRQ_UNTRACED
static inline unsigned bitmap_next_clear(const uint64_t *map, unsigned nbits,
					 unsigned from)
{
	return bitmap_next(map, nbits, from, ~0ull);
}

#define bitmap_for_each_set(bit, map, nbits)                                 \
	for ((bit) = bitmap_next_set((map), (nbits), 0); (bit) < (nbits);      \
	     (bit) = bitmap_next_set((map), (nbits), (bit) + 1))

/* Bytes bytes_next_nonzero() tests at once between aligned words. */
#define BYTES_SCAN_BLOCK 64

/*
 * The first non-zero byte of @bytes at or after @from, or @n if none,
 * 64 bytes a step, then eight (the claim registry: mostly free, 4096
 * entries walked by every save, reset and CAS; one test per 64 bytes
 * keeps the walk short, also under the fuzzers' comparison hooks).
 */
static inline size_t bytes_next_nonzero(const uint8_t *bytes, size_t n,
					size_t from)
{
	uint64_t word, block[BYTES_SCAN_BLOCK / 8];
	unsigned i;

	while (from < n && from % 8)
		if (bytes[from++])
			return from - 1;
	while (from + BYTES_SCAN_BLOCK <= n) {
		memcpy(block, bytes + from, BYTES_SCAN_BLOCK);
		word = 0;
		for (i = 0; i < BYTES_SCAN_BLOCK / 8; i++)
			word |= block[i];
		if (word)
			break;
		from += BYTES_SCAN_BLOCK;
	}
	while (from + 8 <= n) {
		memcpy(&word, bytes + from, 8);
		if (word)
			break;
		from += 8;
	}
	while (from < n && !bytes[from])
		from++;
	return from < n ? from : n;
}

#endif /* SPIRQ_COMMON_BITMAP_H */
