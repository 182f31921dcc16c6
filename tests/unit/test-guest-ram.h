/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest RAM for the tests' host callbacks: a test's host structure starts
 * with a struct test_ram, and passes test_ram_read / test_ram_write as
 * spirq_host_ops.read_guest / write_guest with itself as opaque.
 */
#ifndef SPIRQ_TEST_GUEST_RAM_H
#define SPIRQ_TEST_GUEST_RAM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct test_ram {
	uint8_t *bytes;
	uint64_t size;
};

static inline int test_ram_alloc(struct test_ram *r, uint64_t size)
{
	r->bytes = calloc(1, size);
	r->size = r->bytes ? size : 0;
	return r->bytes ? 0 : -1;
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

	if (gpa >= r->size || len > r->size - gpa)
		return -1;
	memcpy(r->bytes + gpa, buf, len);
	return 0;
}

#endif /* SPIRQ_TEST_GUEST_RAM_H */
