// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Restore, framing and integrity: the CRC-32 first, then the header and
 * the walk over the sections, each handed to its decoder.
 *
 * The integrity check comes before anything is parsed, so that a damaged
 * stream is reported as damaged and not as whatever its damaged bytes
 * happen to look like (a length running past the end would otherwise read
 * as a truncation, a flipped version as an incompatible stream).  A stream
 * ends with its END section (type, length 4, CRC), so the check needs no
 * parsing: when the last 9 bytes are an END section whose CRC matches,
 * the bytes are the ones written; when they are an END section, or would
 * match the CRC with the END header as written, the stream was damaged.
 * Only a stream without an END section at its end is walked, to say how
 * it is cut short.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include <spirq/migration.h>

#include "common/error-internal.h"
#include "migration/restore-internal.h"

#define END_SECTION_LEN	(SEC_HEADER_LEN + 4)

/* The END section's header as spirq_save() writes it. */
static const uint8_t end_header[SEC_HEADER_LEN] = { SEC_END, 0, 0, 0, 4 };

void restore_image_free(struct image *img)
{
	free(img->cpus.v);
	free(img->claims.v);
	free(img->msi.v);
	free(img->ics.v);
	free(img->icp.v);
	free(img->xsrc.v);
	free(img->lsi.v);
	free(img->eas.v);
	free(img->ends.v);
	free(img->tctx.v);
}

int restore_fail(struct restore_ctx *c, int code, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (c->section)
		return spirq__error_set(c->err, code,
					"migration stream, section %s at offset 0x%zx: %s",
					c->section, c->offset, what);
	return spirq__error_set(c->err, code, "migration stream: %s", what);
}

bool restore_read_count(struct rstream *r, uint32_t *n, size_t rec_size)
{
	*n = get_u32(r);
	if (r->short_read || (size_t)*n > (r->len - r->pos) / rec_size) {
		r->short_read = true;
		*n = 0;
		return false;
	}
	return true;
}

/* ---- integrity --------------------------------------------------------- */

static size_t header_len(const uint8_t *buf, size_t len)
{
	size_t fixed = STREAM_MAGIC_LEN + 2 + 2 + 1;

	return len < fixed ? fixed : fixed + buf[fixed - 1];
}

/*
 * The stream has no END section at its end: walk the section headers to
 * say where it stops making sense (no CRC to trust here).
 */
static int framing_error(struct restore_ctx *c, const uint8_t *buf,
			 size_t len)
{
	struct rstream r = { .buf = buf, .len = len };

	if (len < STREAM_MAGIC_LEN || memcmp(buf, STREAM_MAGIC, STREAM_MAGIC_LEN))
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "not a spirq migration stream (bad magic)");
	r.pos = header_len(buf, len);
	if (r.pos > len)
		return restore_fail(c, SPIRQ_ERR_STREAM, "truncated header");
	for (;;) {
		uint8_t type = get_u8(&r);
		uint32_t slen = get_u32(&r);

		if (r.short_read || slen > len - r.pos)
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "truncated at offset 0x%zx", r.pos);
		if (type != SEC_END) {
			r.pos += slen;
			continue;
		}
		if (slen != 4)
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "END section of %u bytes at offset 0x%zx",
					    slen, r.pos - SEC_HEADER_LEN);
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "%zu bytes after the END section",
				    len - r.pos - 4);
	}
}

static int check_integrity(struct restore_ctx *c, const uint8_t *buf,
			   size_t len)
{
	const uint8_t *tail = buf + len - END_SECTION_LEN;
	bool end_as_written;
	uint32_t stored;
	uLong crc;

	if (len < END_SECTION_LEN)
		return framing_error(c, buf, len);
	end_as_written = !memcmp(tail, end_header, sizeof(end_header));
	stored = (uint32_t)tail[5] << 24 | (uint32_t)tail[6] << 16 |
		 (uint32_t)tail[7] << 8 | tail[8];
	crc = crc32(crc32(0L, Z_NULL, 0), buf, (uInt)(len - END_SECTION_LEN));
	crc = crc32(crc, end_header, sizeof(end_header));
	if (end_as_written && (uint32_t)crc == stored)
		return 0;
	if (end_as_written || (uint32_t)crc == stored)
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "integrity check failed (CRC-32 mismatch)");
	return framing_error(c, buf, len);
}

/* ---- header and sections (the bytes are the ones written) --------------- */

static int (*const parsers[])(struct rstream *, struct image *) = {
	[SEC_CONFIG] = restore_parse_config,
	[SEC_MACHINE] = restore_parse_machine,
	[SEC_CPUS] = restore_parse_cpus,
	[SEC_CLAIMS] = restore_parse_claims,
	[SEC_MSI] = restore_parse_msi,
	[SEC_ICS] = restore_parse_ics,
	[SEC_ICP] = restore_parse_icp,
	[SEC_XIVE_SOURCES] = restore_parse_xive_sources,
	[SEC_XIVE_EAS] = restore_parse_xive_eas,
	[SEC_XIVE_ENDS] = restore_parse_xive_ends,
	[SEC_XIVE_TCTX] = restore_parse_xive_tctx,
};

#define NR_PARSERS (sizeof(parsers) / sizeof(parsers[0]))

static int parse_header(struct restore_ctx *c, struct rstream *r,
			struct image *img)
{
	char magic[STREAM_MAGIC_LEN];
	uint8_t len;

	get_bytes(r, magic, sizeof(magic));
	if (r->short_read || memcmp(magic, STREAM_MAGIC, sizeof(magic)))
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "not a spirq migration stream (bad magic)");
	img->version = get_u16(r);
	img->flags = get_u16(r);
	len = get_u8(r);
	get_bytes(r, img->machine, len);
	img->machine[len] = '\0';
	if (r->short_read)
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "header longer than the stream");
	if (img->version < STREAM_VERSION_OLDEST ||
	    img->version > SPIRQ_STREAM_VERSION)
		return restore_fail(c, SPIRQ_ERR_INCOMPAT,
				    "format version %u, this spirq reads versions %u to %u",
				    img->version, STREAM_VERSION_OLDEST,
				    SPIRQ_STREAM_VERSION);
	if (img->flags & ~STREAM_FLAG_CONFIG)
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "unknown header flags 0x%x", img->flags);
	return 0;
}

/* One section at r->pos: hand its payload to its decoder. */
static int parse_section(struct restore_ctx *c, struct rstream *r,
			 struct image *img, uint8_t type, uint32_t slen)
{
	struct rstream s = { .buf = r->buf, .pos = r->pos };

	if (type >= NR_PARSERS || !parsers[type])
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "unknown section type %u", type);
	if (slen > r->len - r->pos)
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "%u bytes long, past the END section", slen);
	s.len = r->pos + slen;
	img->seen |= 1u << type;
	img->offset[type] = c->offset;
	if (parsers[type](&s, img) < 0 && !s.short_read)
		return restore_fail(c, SPIRQ_ERR_NOMEM, "out of memory");
	if (s.short_read)
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "section shorter than its contents");
	if (s.pos != s.len)
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "%zu unexpected bytes at the end",
				    s.len - s.pos);
	r->pos = s.len;
	return 0;
}

/* @r's window ends where the END section starts. */
static int parse_sections(struct restore_ctx *c, struct rstream *r,
			  struct image *img)
{
	unsigned last = 0;
	int ret;

	while (r->pos < r->len) {
		uint8_t type = get_u8(r);
		uint32_t slen = get_u32(r);

		c->offset = r->pos - SEC_HEADER_LEN;
		c->section = stream_section_name(type);
		if (r->short_read)
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "section header past the END section");
		if (type == SEC_END)
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "%zu bytes after the END section",
					    r->len + END_SECTION_LEN - r->pos - 4);
		if (type <= last)
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "section out of order or repeated");
		last = type;
		ret = parse_section(c, r, img, type, slen);
		if (ret)
			return ret;
	}
	return 0;
}

int restore_parse(struct restore_ctx *c, const uint8_t *buf, size_t len,
		  struct image *img)
{
	struct rstream r = { .buf = buf, .len = len };
	int ret;

	ret = check_integrity(c, buf, len);
	if (!ret) {
		r.len = len - END_SECTION_LEN;
		ret = parse_header(c, &r, img);
	}
	if (!ret)
		ret = parse_sections(c, &r, img);
	c->section = NULL;
	return ret;
}
