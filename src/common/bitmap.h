/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small bitmap helpers over uint64_t words.
 */
#ifndef SPIRQ_COMMON_BITMAP_H
#define SPIRQ_COMMON_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

#endif /* SPIRQ_COMMON_BITMAP_H */
