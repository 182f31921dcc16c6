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

/*
 * Zeroed memory for @n objects of @size bytes starting on a @align-byte
 * boundary (a power of two, at least sizeof(void *)), from calloc() like
 * the rest, so that the count stays what a host sees: the block is
 * @align bytes larger, and the pointer calloc() returned is kept just
 * below the aligned start for spirq__free_aligned().  Used for what
 * different vCPU threads write, which must not share cache lines.
 */
static inline void *spirq__calloc_aligned(size_t *footprint, size_t n,
					  size_t size, size_t align)
{
	uintptr_t start;
	void *raw;

	if (size && n > (SIZE_MAX - align) / size)
		return NULL;
	raw = spirq__calloc(footprint, 1, n * size + align);
	if (!raw)
		return NULL;
	start = ((uintptr_t)raw + sizeof(void *) + align - 1) &
		~(uintptr_t)(align - 1);
	((void **)start)[-1] = raw;
	return (void *)start;
}

/* Free @p (may be NULL) from spirq__calloc_aligned() with the same sizes. */
static inline void spirq__free_aligned(size_t *footprint, void *p, size_t n,
				       size_t size, size_t align)
{
	if (p)
		spirq__free(footprint, ((void **)p)[-1], 1, n * size + align);
}

#endif /* SPIRQ_COMMON_ALLOC_H */
