/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest RAM for the tests' host callbacks: a test's host structure starts
 * with a struct test_ram, and passes test_ram_read / test_ram_write as
 * spirq_host_ops.read_guest / write_guest (and test_ram_map as map_guest)
 * with itself as opaque.  An
 * access outside the RAM fails, as a VMM's would.
 */
#ifndef SPIRQ_TEST_GUEST_RAM_H
#define SPIRQ_TEST_GUEST_RAM_H

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

struct test_ram {
	uint8_t *bytes;
	uint64_t size;
};

/* Untouched pages cost nothing and read as zeros: any -m size is cheap. */
static inline int test_ram_alloc(struct test_ram *r, uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	r->bytes = p == MAP_FAILED ? NULL : p;
	r->size = r->bytes ? size : 0;
	return r->bytes ? 0 : -1;
}

static inline void test_ram_free(struct test_ram *r)
{
	if (r->bytes)
		munmap(r->bytes, r->size);
	r->bytes = NULL;
	r->size = 0;
}

static inline int test_ram_read(void *opaque, uint64_t gpa, void *buf,
				size_t len)
{
	struct test_ram *r = opaque;

	if (gpa >= r->size || len > r->size - gpa)
		return -1;
	memcpy(buf, r->bytes + gpa, len);
	return 0;
}

static inline int test_ram_write(void *opaque, uint64_t gpa, const void *buf,
				 size_t len)
{
	struct test_ram *r = opaque;
	uint32_t word;

	if (gpa >= r->size || len > r->size - gpa)
		return -1;
	/*
	 * An event-queue entry is one aligned 4-byte store, as on the real
	 * machine: a vCPU thread may be reading the queue meanwhile.
	 */
	if (len == 4 && !(gpa & 3)) {
		memcpy(&word, buf, 4);
		__atomic_store_n((uint32_t *)(r->bytes + gpa), word,
				 __ATOMIC_RELEASE);
		return 0;
	}
	memcpy(r->bytes + gpa, buf, len);
	return 0;
}

/* spirq_host_ops.map_guest: the RAM is mapped once, for its lifetime. */
static inline void *test_ram_map(void *opaque, uint64_t gpa, size_t len)
{
	struct test_ram *r = opaque;

	if (gpa >= r->size || len > r->size - gpa)
		return NULL;
	return r->bytes + gpa;
}

#endif /* SPIRQ_TEST_GUEST_RAM_H */
