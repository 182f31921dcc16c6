/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Migration stream layout and the big-endian encoder/decoder.
 * docs/migration-format.md describes the format; this header is its code.
 *
 *   "SPIRQMIG" | version:2 | flags:2 | name length:1 | machine type name
 *   { section type:1 | payload length:4 | payload }*
 *   END: type 0xff | length 4 | CRC-32 of every byte before the payload
 */
#ifndef SPIRQ_MIGRATION_STREAM_H
#define SPIRQ_MIGRATION_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define STREAM_MAGIC		"SPIRQMIG"
#define STREAM_MAGIC_LEN	8
#define STREAM_FLAG_CONFIG	0x0001	/* a configuration record follows */
#define STREAM_VERSION_OLDEST	1	/* the oldest format version read */

enum section_type {
	SEC_CONFIG = 1,		/* interrupt configuration record */
	SEC_MACHINE = 2,	/* negotiated mode, active controller */
	SEC_CPUS = 3,		/* present vCPUs, in plug order */
	SEC_CLAIMS = 4,		/* claim registry and device line state */
	SEC_MSI = 5,		/* MSI allocator */
	SEC_ICS = 6,		/* XICS sources (non-default) */
	SEC_ICP = 7,		/* XICS presenters (non-default) */
	SEC_XIVE_SOURCES = 8,	/* ESB PQ and LSI state */
	SEC_XIVE_EAS = 9,	/* routing (non-default) */
	SEC_XIVE_ENDS = 10,	/* event notification descriptors */
	SEC_XIVE_TCTX = 11,	/* thread contexts (non-default) */
	SEC_END = 0xff,
};

#define SEC_HEADER_LEN	5	/* type + length */

/* ---- encoder: counts bytes when buf is NULL or full ----------------------- */

struct wstream {
	uint8_t *buf;
	size_t size;
	size_t pos;
};

static inline void put_bytes(struct wstream *w, const void *p, size_t n)
{
	/* memcpy: no per-byte loop (under the fuzzers' tracing, a cost) */
	if (w->buf && w->pos + n <= w->size)
		memcpy(w->buf + w->pos, p, n);
	w->pos += n;
}

static inline void put_u8(struct wstream *w, uint8_t v)
{
	put_bytes(w, &v, 1);
}

static inline void put_u16(struct wstream *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put_bytes(w, b, 2);
}

static inline void put_u32(struct wstream *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 8), (uint8_t)v };

	put_bytes(w, b, 4);
}

static inline void put_u64(struct wstream *w, uint64_t v)
{
	put_u32(w, (uint32_t)(v >> 32));
	put_u32(w, (uint32_t)v);
}

/* Patch a u32 written earlier at @at (section lengths). */
static inline void patch_u32(struct wstream *w, size_t at, uint32_t v)
{
	if (w->buf && at + 4 <= w->size) {
		w->buf[at] = (uint8_t)(v >> 24);
		w->buf[at + 1] = (uint8_t)(v >> 16);
		w->buf[at + 2] = (uint8_t)(v >> 8);
		w->buf[at + 3] = (uint8_t)v;
	}
}

/* ---- decoder: every read is bounds-checked -------------------------------- */

struct rstream {
	const uint8_t *buf;
	size_t len;	/* end of the current window */
	size_t pos;
	bool short_read;	/* a read went past the end */
};

static inline bool get_bytes(struct rstream *r, void *p, size_t n)
{
	if (r->short_read || n > r->len - r->pos) {
		r->short_read = true;
		memset(p, 0, n);
		return false;
	}
	memcpy(p, r->buf + r->pos, n);
	r->pos += n;
	return true;
}

static inline uint8_t get_u8(struct rstream *r)
{
	uint8_t v;

	get_bytes(r, &v, 1);
	return v;
}

static inline uint16_t get_u16(struct rstream *r)
{
	uint8_t b[2];

	get_bytes(r, b, 2);
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t get_u32(struct rstream *r)
{
	uint8_t b[4];

	get_bytes(r, b, 4);
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t get_u64(struct rstream *r)
{
	uint64_t hi = get_u32(r);

	return hi << 32 | get_u32(r);
}

const char *stream_section_name(unsigned type);

#endif /* SPIRQ_MIGRATION_STREAM_H */
