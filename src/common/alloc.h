/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Allocations a machine owns, counted so that spirq_machine_footprint()
 * is exact: the counter holds the bytes requested from calloc(), which is
 * what a host counting its allocator's calls sees (glibc's own overhead
 * and mmap rounding excluded).  Whoever frees a block passes the same
 * count and size it was allocated with.
 *
 * The counter only changes under the machine lock; it is read without it
 * (spirq_machine_footprint() may run in any thread), hence the atomics.
 * Buffers a call allocates and frees before returning are not counted.
 */
#ifndef SPIRQ_COMMON_ALLOC_H
#define SPIRQ_COMMON_ALLOC_H

#include <stdint.h>
#include <stdlib.h>

static inline void *spirq__calloc(size_t *footprint, size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = calloc(n, size);
	if (p)
		__atomic_fetch_add(footprint, n * size, __ATOMIC_RELAXED);
	return p;
}

/* Free @p (may be NULL), allocated as spirq__calloc(footprint, n, size). */
static inline void spirq__free(size_t *footprint, void *p, size_t n,
			       size_t size)
{
	if (p)
		__atomic_fetch_sub(footprint, n * size, __ATOMIC_RELAXED);
	free(p);
}

#endif /* SPIRQ_COMMON_ALLOC_H */
