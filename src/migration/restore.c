// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirq_restore(): load a migration stream, atomically.
 *
 *   1. parse    structure and integrity (CRC-32), every read bounds-checked,
 *               into an image in memory
 *   2. check    the image against the destination: machine type, caps
 *               (seed 003), sizes, every index, id and field range, queue
 *               addresses inside guest RAM
 *   3. build    a fresh machine with the destination's configuration and
 *               load the image into it
 *   4. commit   swap the built state into the destination, then tell the
 *               host about interrupt lines that changed
 *
 * Steps 1-3 never touch the destination: any error leaves it as it was.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <spirq/migration.h>
#include <spirq/topology.h>

#include "common/error-internal.h"
#include "migration/migration-internal.h"
#include "xics/xics-internal.h"
#include "xive/xive-internal.h"

struct rec_claim { uint32_t irq; uint8_t type, line; };
struct rec_msi { uint32_t first, num; };
struct rec_ics { uint32_t srcno, server; uint8_t prio, saved, status; };
struct rec_icp { uint32_t cpu, xirr; uint8_t pending, mfrr, from_ics; };
struct rec_xsrc { uint32_t lisn; uint8_t status; };
struct rec_eas { uint32_t lisn; uint64_t w; };
struct rec_end { uint32_t idx; uint32_t w[8]; };
struct rec_tctx { uint32_t cpu; uint8_t regs[64]; };

struct rec_config {
	uint8_t caps, ic_mode;
	uint32_t max_cpus, threads, vsmt, vcpu_id_bound;
	uint32_t nr_xirqs, nr_ipis, nr_ends;
	uint8_t xics_backend, xive_backend;
	uint64_t ram_size;
};

/* A list of fixed-size records read from a section. */
#define LIST(type) struct { uint32_t n; type *v; }

struct image {
	char machine[256];
	uint16_t flags;
	uint32_t seen;			/* bitmap of section types read */
	struct rec_config config;
	uint8_t ov5, active, xive_was_active;
	LIST(uint32_t) cpus;
	LIST(struct rec_claim) claims;
	LIST(struct rec_msi) msi;
	uint32_t ics_nr_irqs;
	LIST(struct rec_ics) ics;
	LIST(struct rec_icp) icp;
	uint32_t xsrc_nr_irqs;
	LIST(struct rec_xsrc) xsrc;
	LIST(uint32_t) lsi;
	LIST(struct rec_eas) eas;
	uint32_t nr_ends;
	LIST(struct rec_end) ends;
	LIST(struct rec_tctx) tctx;
};

static bool has(const struct image *img, enum section_type type)
{
	return img->seen & (1u << type);
}

static void image_free(struct image *img)
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

/* ---- errors ------------------------------------------------------------------ */

struct ctx {
	spirq_error *err;
	const char *section;	/* where we are, for the messages */
	size_t offset;
};

static int fail(struct ctx *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct ctx *c, int code, const char *fmt, ...)
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

/* ---- step 1: parse ------------------------------------------------------------- */

/*
 * Read the count of a list of @rec_size-byte records; the count must fit
 * in what is left of the section, so a corrupt count cannot make us
 * allocate much.
 */
static bool read_count(struct rstream *r, uint32_t *n, size_t rec_size)
{
	*n = get_u32(r);
	if (r->short_read || (size_t)*n > (r->len - r->pos) / rec_size) {
		r->short_read = true;
		*n = 0;
		return false;
	}
	return true;
}

/* Read a list's count and allocate it: false on a short read or ENOMEM. */
#define READ_LIST(r, list, rec_size)                                         \
	(read_count((r), &(list).n, (rec_size)) &&                           \
	 ((list).v = calloc((list).n ? (list).n : 1, sizeof(*(list).v))))

static int parse_config(struct rstream *r, struct image *img)
{
	struct rec_config *c = &img->config;

	c->caps = get_u8(r);
	c->ic_mode = get_u8(r);
	c->max_cpus = get_u32(r);
	c->threads = get_u32(r);
	c->vsmt = get_u32(r);
	c->vcpu_id_bound = get_u32(r);
	c->nr_xirqs = get_u32(r);
	c->nr_ipis = get_u32(r);
	c->nr_ends = get_u32(r);
	c->xics_backend = get_u8(r);
	c->xive_backend = get_u8(r);
	c->ram_size = get_u64(r);
	return 0;
}

static int parse_machine(struct rstream *r, struct image *img)
{
	img->ov5 = get_u8(r);
	img->active = get_u8(r);
	img->xive_was_active = get_u8(r);
	return 0;
}

static int parse_cpus(struct rstream *r, struct image *img)
{
	uint32_t i;

	if (!READ_LIST(r, img->cpus, 4))
		return -1;
	for (i = 0; i < img->cpus.n; i++)
		img->cpus.v[i] = get_u32(r);
	return 0;
}

static int parse_claims(struct rstream *r, struct image *img)
{
	uint32_t i;

	if (!READ_LIST(r, img->claims, 6))
		return -1;
	for (i = 0; i < img->claims.n; i++) {
		img->claims.v[i].irq = get_u32(r);
		img->claims.v[i].type = get_u8(r);
		img->claims.v[i].line = get_u8(r);
	}
	return 0;
}

static int parse_msi(struct rstream *r, struct image *img)
{
	uint32_t i;

	if (!READ_LIST(r, img->msi, 8))
		return -1;
	for (i = 0; i < img->msi.n; i++) {
		img->msi.v[i].first = get_u32(r);
		img->msi.v[i].num = get_u32(r);
	}
	return 0;
}

static int parse_ics(struct rstream *r, struct image *img)
{
	uint32_t i;

	img->ics_nr_irqs = get_u32(r);
	if (!READ_LIST(r, img->ics, 11))
		return -1;
	for (i = 0; i < img->ics.n; i++) {
		struct rec_ics *s = &img->ics.v[i];

		s->srcno = get_u32(r);
		s->server = get_u32(r);
		s->prio = get_u8(r);
		s->saved = get_u8(r);
		s->status = get_u8(r);
	}
	return 0;
}

static int parse_icp(struct rstream *r, struct image *img)
{
	uint32_t i;

	if (!READ_LIST(r, img->icp, 11))
		return -1;
	for (i = 0; i < img->icp.n; i++) {
		struct rec_icp *p = &img->icp.v[i];

		p->cpu = get_u32(r);
		p->xirr = get_u32(r);
		p->pending = get_u8(r);
		p->mfrr = get_u8(r);
		p->from_ics = get_u8(r);
	}
	return 0;
}

static int parse_xive_sources(struct rstream *r, struct image *img)
{
	uint32_t i;

	img->xsrc_nr_irqs = get_u32(r);
	if (!READ_LIST(r, img->xsrc, 5))
		return -1;
	for (i = 0; i < img->xsrc.n; i++) {
		img->xsrc.v[i].lisn = get_u32(r);
		img->xsrc.v[i].status = get_u8(r);
	}
	if (!READ_LIST(r, img->lsi, 4))
		return -1;
	for (i = 0; i < img->lsi.n; i++)
		img->lsi.v[i] = get_u32(r);
	return 0;
}

static int parse_xive_eas(struct rstream *r, struct image *img)
{
	uint32_t i;

	if (!READ_LIST(r, img->eas, 12))
		return -1;
	for (i = 0; i < img->eas.n; i++) {
		img->eas.v[i].lisn = get_u32(r);
		img->eas.v[i].w = get_u64(r);
	}
	return 0;
}

static int parse_xive_ends(struct rstream *r, struct image *img)
{
	uint32_t i, k;

	img->nr_ends = get_u32(r);
	if (!READ_LIST(r, img->ends, 36))
		return -1;
	for (i = 0; i < img->ends.n; i++) {
		img->ends.v[i].idx = get_u32(r);
		for (k = 0; k < 8; k++)
			img->ends.v[i].w[k] = get_u32(r);
	}
	return 0;
}

static int parse_xive_tctx(struct rstream *r, struct image *img)
{
	uint32_t i;

	if (!READ_LIST(r, img->tctx, 68))
		return -1;
	for (i = 0; i < img->tctx.n; i++) {
		img->tctx.v[i].cpu = get_u32(r);
		get_bytes(r, img->tctx.v[i].regs, 64);
	}
	return 0;
}

static int (*const parsers[])(struct rstream *, struct image *) = {
	[SEC_CONFIG] = parse_config,
	[SEC_MACHINE] = parse_machine,
	[SEC_CPUS] = parse_cpus,
	[SEC_CLAIMS] = parse_claims,
	[SEC_MSI] = parse_msi,
	[SEC_ICS] = parse_ics,
	[SEC_ICP] = parse_icp,
	[SEC_XIVE_SOURCES] = parse_xive_sources,
	[SEC_XIVE_EAS] = parse_xive_eas,
	[SEC_XIVE_ENDS] = parse_xive_ends,
	[SEC_XIVE_TCTX] = parse_xive_tctx,
};

#define NR_PARSERS (sizeof(parsers) / sizeof(parsers[0]))

static int parse_header(struct ctx *c, struct rstream *r, struct image *img)
{
	char magic[STREAM_MAGIC_LEN];
	uint16_t version;
	uint8_t len;

	get_bytes(r, magic, sizeof(magic));
	if (r->short_read || memcmp(magic, STREAM_MAGIC, sizeof(magic)))
		return fail(c, SPIRQ_ERR_STREAM,
			    "not a spirq migration stream (bad magic)");
	version = get_u16(r);
	img->flags = get_u16(r);
	len = get_u8(r);
	get_bytes(r, img->machine, len);
	img->machine[len] = '\0';
	if (r->short_read)
		return fail(c, SPIRQ_ERR_STREAM, "truncated header");
	if (version == 0 || version > SPIRQ_STREAM_VERSION)
		return fail(c, SPIRQ_ERR_INCOMPAT,
			    "format version %u, this spirq reads versions 1 to %u",
			    version, SPIRQ_STREAM_VERSION);
	if (img->flags & ~STREAM_FLAG_CONFIG)
		return fail(c, SPIRQ_ERR_STREAM, "unknown header flags 0x%x",
			    img->flags);
	return 0;
}

/*
 * Find the END section by walking the section headers, then check the
 * CRC over everything before its payload.
 */
static int check_integrity(struct ctx *c, const uint8_t *buf, size_t len,
			   size_t first)
{
	struct rstream r = { .buf = buf, .len = len, .pos = first };
	uLong crc;

	for (;;) {
		uint8_t type = get_u8(&r);
		uint32_t slen = get_u32(&r);

		if (r.short_read || slen > len - r.pos)
			return fail(c, SPIRQ_ERR_STREAM,
				    "truncated at offset 0x%zx", r.pos);
		if (type != SEC_END) {
			r.pos += slen;
			continue;
		}
		if (slen != 4)
			return fail(c, SPIRQ_ERR_STREAM,
				    "END section of %u bytes at offset 0x%zx",
				    slen, r.pos - SEC_HEADER_LEN);
		if (r.pos + 4 != len)
			return fail(c, SPIRQ_ERR_STREAM,
				    "%zu bytes after the END section",
				    len - r.pos - 4);
		crc = crc32(crc32(0L, Z_NULL, 0), buf, (uInt)r.pos);
		if ((uint32_t)crc != get_u32(&r))
			return fail(c, SPIRQ_ERR_STREAM,
				    "integrity check failed (CRC-32 mismatch)");
		return 0;
	}
}

static int parse_sections(struct ctx *c, struct rstream *r, struct image *img)
{
	unsigned last = 0;

	for (;;) {
		uint8_t type = get_u8(r);
		uint32_t slen = get_u32(r);
		struct rstream s = { .buf = r->buf, .pos = r->pos };

		c->offset = r->pos - SEC_HEADER_LEN;
		c->section = stream_section_name(type);
		if (type == SEC_END)
			return 0;
		if (type >= NR_PARSERS || !parsers[type])
			return fail(c, SPIRQ_ERR_STREAM, "unknown section type %u",
				    type);
		if (type <= last)
			return fail(c, SPIRQ_ERR_STREAM,
				    "section out of order or repeated");
		last = type;
		s.len = r->pos + slen;	/* integrity checked: in bounds */
		img->seen |= 1u << type;
		if (parsers[type](&s, img) < 0 && !s.short_read)
			return fail(c, SPIRQ_ERR_NOMEM, "out of memory");
		if (s.short_read)
			return fail(c, SPIRQ_ERR_STREAM,
				    "section shorter than its contents");
		if (s.pos != s.len)
			return fail(c, SPIRQ_ERR_STREAM,
				    "%zu unexpected bytes at the end",
				    s.len - s.pos);
		r->pos = s.len;
	}
}

static int parse(struct ctx *c, const uint8_t *buf, size_t len,
		 struct image *img)
{
	struct rstream r = { .buf = buf, .len = len };
	int ret;

	ret = parse_header(c, &r, img);
	if (!ret)
		ret = check_integrity(c, buf, len, r.pos);
	if (!ret)
		ret = parse_sections(c, &r, img);
	c->section = NULL;
	return ret;
}

/* ---- step 2: check against the destination ------------------------------------ */

static unsigned image_caps(const struct image *img)
{
	if (has(img, SEC_CONFIG))
		return img->config.caps;
	/* no record (machine types before 4.2): the sections tell */
	return (has(img, SEC_ICS) ? CAP_XICS : 0) |
	       (has(img, SEC_XIVE_SOURCES) ? CAP_XIVE : 0);
}

static int check_layout(struct ctx *c, const spirq_machine *m,
			const struct image *img)
{
	bool want_config = stream_has_config(&m->cfg);
	unsigned caps = image_caps(img);
	static const enum section_type xics[] = { SEC_ICS, SEC_ICP };
	static const enum section_type xive[] = {
		SEC_XIVE_SOURCES, SEC_XIVE_EAS, SEC_XIVE_ENDS, SEC_XIVE_TCTX
	};
	size_t i;

	if (!!(img->flags & STREAM_FLAG_CONFIG) != has(img, SEC_CONFIG))
		return fail(c, SPIRQ_ERR_STREAM,
			    "header and configuration record disagree");
	if (has(img, SEC_CONFIG) != want_config)
		return fail(c, SPIRQ_ERR_STREAM,
			    "%s streams %s a configuration record",
			    m->cfg.machine_name,
			    want_config ? "carry" : "do not carry");
	for (i = 0; i < 2; i++)
		if (has(img, xics[i]) != !!(caps & CAP_XICS))
			return fail(c, SPIRQ_ERR_STREAM,
				    "XICS sections do not match the caps");
	for (i = 0; i < 4; i++)
		if (has(img, xive[i]) != !!(caps & CAP_XIVE))
			return fail(c, SPIRQ_ERR_STREAM,
				    "XIVE sections do not match the caps");
	if (!caps || !has(img, SEC_MACHINE) || !has(img, SEC_CPUS) ||
	    !has(img, SEC_CLAIMS) || !has(img, SEC_MSI))
		return fail(c, SPIRQ_ERR_STREAM, "a mandatory section is missing");
	return 0;
}

static int check_config(struct ctx *c, const spirq_machine *m,
			const struct image *img)
{
	const struct rec_config *r = &img->config;
	const spirq_config *d = &m->cfg;

	if (!has(img, SEC_CONFIG))
		return 0;
	static const uint8_t mode_caps[] = {
		[SPIRQ_IC_MODE_XICS] = CAP_XICS,
		[SPIRQ_IC_MODE_XIVE] = CAP_XIVE,
		[SPIRQ_IC_MODE_DUAL] = CAP_XICS | CAP_XIVE,
	};

	if (r->caps & ~(CAP_XICS | CAP_XIVE) || r->ic_mode > SPIRQ_IC_MODE_DUAL ||
	    mode_caps[r->ic_mode] != r->caps ||
	    r->xics_backend > SPIRQ_BACKEND_IN_KERNEL ||
	    r->xive_backend > SPIRQ_BACKEND_IN_KERNEL)
		return fail(c, SPIRQ_ERR_STREAM,
			    "configuration record holds undefined values");
	/* a source without XIVE writes no XIVE sizes (canonical streams) */
	if (!(r->caps & CAP_XIVE) && (r->nr_ipis || r->nr_ends))
		return fail(c, SPIRQ_ERR_STREAM,
			    "XIVE sizes (%u IPIs, %u ENDs) without XIVE",
			    r->nr_ipis, r->nr_ends);
	if (r->max_cpus != d->max_cpus || r->threads != d->threads ||
	    r->vsmt != d->vsmt || r->vcpu_id_bound != d->vcpu_id_bound)
		return fail(c, SPIRQ_ERR_INCOMPAT,
			    "vCPU topology: maxcpus %u, threads %u, vsmt %u in the stream; %u, %u, %u on the destination",
			    r->max_cpus, r->threads, r->vsmt, d->max_cpus,
			    d->threads, d->vsmt);
	if (r->nr_xirqs != d->nr_xirqs)
		return fail(c, SPIRQ_ERR_INCOMPAT,
			    "%u external sources in the stream, %u on the destination",
			    r->nr_xirqs, d->nr_xirqs);
	if ((r->caps & CAP_XIVE) && d->cap_xive &&
	    (r->nr_ipis != d->nr_ipis || r->nr_ends != d->nr_ends))
		return fail(c, SPIRQ_ERR_INCOMPAT,
			    "XIVE sizes: %u IPIs and %u ENDs in the stream, %u and %u on the destination",
			    r->nr_ipis, r->nr_ends, d->nr_ipis, d->nr_ends);
	if (r->ram_size != d->ram_size)
		return fail(c, SPIRQ_ERR_INCOMPAT,
			    "guest RAM: %llu bytes in the stream, %llu on the destination",
			    (unsigned long long)r->ram_size,
			    (unsigned long long)d->ram_size);
	return 0;
}

static int check_machine(struct ctx *c, const spirq_machine *m,
			 const struct image *img)
{
	bool xive_negotiated = img->ov5 & OV5_XIVE_EXPLOIT;
	uint8_t want;

	c->section = "MACHINE";
	if (img->ov5 & ~OV5_XIVE_EXPLOIT || img->xive_was_active > 1)
		return fail(c, SPIRQ_ERR_STREAM, "undefined negotiation state");
	if (xive_negotiated && !(image_caps(img) & CAP_XIVE))
		return fail(c, SPIRQ_ERR_STREAM,
			    "XIVE negotiated on a machine without XIVE");
	want = !(image_caps(img) & CAP_XICS) || xive_negotiated ?
		ACTIVE_XIVE : ACTIVE_XICS;
	if (img->active != want)
		return fail(c, SPIRQ_ERR_STREAM,
			    "active controller %u does not follow the negotiated mode",
			    img->active);
	(void)m;
	return 0;
}

static int check_cpus(struct ctx *c, const spirq_machine *m,
		      const struct image *img, uint8_t *present)
{
	const spirq_config *d = &m->cfg;
	uint32_t i;

	c->section = "CPUS";
	if (!img->cpus.n)
		return fail(c, SPIRQ_ERR_STREAM, "no vCPU");
	for (i = 0; i < img->cpus.n; i++) {
		uint32_t cpu = img->cpus.v[i];

		if (cpu >= d->max_cpus)
			return fail(c, SPIRQ_ERR_INCOMPAT,
				    "vCPU %u beyond maxcpus %u", cpu,
				    d->max_cpus);
		if (present[cpu])
			return fail(c, SPIRQ_ERR_STREAM, "vCPU %u listed twice",
				    cpu);
		present[cpu] = 1;
	}
	/* whole cores only, as hot-plug works on cores */
	for (i = 0; i < img->cpus.n; i++) {
		uint32_t core = img->cpus.v[i] - img->cpus.v[i] % d->threads;
		uint32_t t;

		for (t = 0; t < d->threads; t++)
			if (!present[core + t])
				return fail(c, SPIRQ_ERR_STREAM,
					    "core %u only partly present", core);
	}
	return 0;
}

static int check_claims(struct ctx *c, const spirq_machine *m,
			const struct image *img, uint8_t *claim)
{
	uint32_t i;

	c->section = "CLAIMS";
	for (i = 0; i < img->claims.n; i++) {
		const struct rec_claim *r = &img->claims.v[i];

		if (r->irq < SPIRQ_XIRQ_BASE || r->irq >= m->nr_irqs)
			return fail(c, SPIRQ_ERR_INCOMPAT,
				    "IRQ 0x%x outside 0x%x..0x%x", r->irq,
				    SPIRQ_XIRQ_BASE, m->nr_irqs - 1);
		if (r->type != CLAIM_MSI && r->type != CLAIM_LSI)
			return fail(c, SPIRQ_ERR_STREAM,
				    "IRQ 0x%x: claim type %u", r->irq, r->type);
		if (i && r->irq <= img->claims.v[i - 1].irq)
			return fail(c, SPIRQ_ERR_STREAM,
				    "IRQ 0x%x out of order or repeated", r->irq);
		/* held events only exist during a switch, never saved */
		if (r->line & ~LINE_LEVEL ||
		    (r->type == CLAIM_MSI && r->line & LINE_LEVEL))
			return fail(c, SPIRQ_ERR_STREAM,
				    "IRQ 0x%x: line state 0x%x", r->irq,
				    r->line);
		claim[r->irq] = r->type;
	}
	c->section = "MSI";
	for (i = 0; i < img->msi.n; i++) {
		const struct rec_msi *r = &img->msi.v[i];

		if (!r->num || r->first >= SPIRQ_NR_MSIS ||
		    r->num > SPIRQ_NR_MSIS - r->first ||
		    (i && r->first <= img->msi.v[i - 1].first +
				       img->msi.v[i - 1].num))
			return fail(c, SPIRQ_ERR_STREAM,
				    "MSI run %u+%u outside the allocator, out of order or not maximal",
				    r->first, r->num);
	}
	return 0;
}

/* Does vCPU @a come before vCPU @b in the stream's plug order? */
static bool plug_order_before(const struct image *img, uint32_t a, uint32_t b)
{
	uint32_t i;

	for (i = 0; i < img->cpus.n; i++) {
		if (img->cpus.v[i] == b)
			return false;
		if (img->cpus.v[i] == a)
			return true;
	}
	return false;
}

static int check_xics(struct ctx *c, const spirq_machine *m,
		      const struct image *img, const uint8_t *present)
{
	uint32_t i;

	if (!has(img, SEC_ICS))
		return 0;
	c->section = "ICS";
	if (img->ics_nr_irqs != m->ics->nr_irqs)
		return fail(c, SPIRQ_ERR_INCOMPAT,
			    "%u sources in the stream, %u on the destination",
			    img->ics_nr_irqs, m->ics->nr_irqs);
	for (i = 0; i < img->ics.n; i++) {
		const struct rec_ics *s = &img->ics.v[i];

		if (s->srcno >= m->ics->nr_irqs ||
		    (i && s->srcno <= img->ics.v[i - 1].srcno))
			return fail(c, SPIRQ_ERR_STREAM,
				    "source %u out of range or order", s->srcno);
		if (!s->server && s->prio == 0xff && s->saved == 0xff &&
		    !s->status)
			return fail(c, SPIRQ_ERR_STREAM,
				    "source 0x%x listed in its reset state",
				    s->srcno + SPIRQ_XIRQ_BASE);
		if (spirq_vcpu_index(&m->cfg, s->server) < 0)
			return fail(c, SPIRQ_ERR_INCOMPAT,
				    "source 0x%x aimed at server %u, no such vCPU",
				    s->srcno + SPIRQ_XIRQ_BASE, s->server);
		if (s->status & ~(XICS_STATUS_ASSERTED | XICS_STATUS_SENT |
				  XICS_STATUS_REJECTED |
				  XICS_STATUS_MASKED_PENDING))
			return fail(c, SPIRQ_ERR_STREAM,
				    "source 0x%x: status 0x%x has undefined bits",
				    s->srcno + SPIRQ_XIRQ_BASE, s->status);
	}
	c->section = "ICP";
	for (i = 0; i < img->icp.n; i++) {
		const struct rec_icp *p = &img->icp.v[i];
		uint32_t xisr = p->xirr & XISR_MASK;

		if (p->cpu >= m->cfg.max_cpus || !present[p->cpu] ||
		    (i && !plug_order_before(img, img->icp.v[i - 1].cpu,
					     p->cpu)))
			return fail(c, SPIRQ_ERR_STREAM,
				    "presenter of vCPU %u absent, repeated or out of order",
				    p->cpu);
		if (!p->xirr && p->pending == 0xff && p->mfrr == 0xff &&
		    !p->from_ics)
			return fail(c, SPIRQ_ERR_STREAM,
				    "presenter of vCPU %u listed in its reset state",
				    p->cpu);
		if (p->from_ics > 1 ||
		    (p->from_ics && !ics_valid_irq(m->ics, xisr)) ||
		    (!p->from_ics && xisr && xisr != XICS_IPI))
			return fail(c, SPIRQ_ERR_STREAM,
				    "vCPU %u presents XISR 0x%x", p->cpu, xisr);
	}
	return 0;
}

/* The vCPU id whose END group (slot) holds END @idx, or -1. */
static int64_t end_owner(const spirq_machine *m, uint32_t idx)
{
	uint32_t slot = idx / 8;

	if (m->cfg.xive_by_max_cpus)
		return slot < m->cfg.max_cpus ?
			(int64_t)spirq_vcpu_id(&m->cfg, slot) : -1;
	return spirq_vcpu_index(&m->cfg, slot) >= 0 ? (int64_t)slot : -1;
}

static int check_end(struct ctx *c, const spirq_machine *m,
		     const struct rec_end *e)
{
	static const uint32_t w0_ok = END_W0_VALID | END_W0_ENQUEUE |
				      END_W0_UCOND_NOTIFY | END_W0_QSIZE;
	uint32_t qsize = (e->w[0] & END_W0_QSIZE) >> 16;
	uint32_t nvt = e->w[6] & END_W6_NVT_INDEX;
	uint64_t qaddr = (uint64_t)(e->w[2] & END_W2_OP_DESC_HI) << 32 |
			 e->w[3];
	uint32_t entries = 1u << (qsize + 10);

	if (!e->w[0] && e->w[1] == (END_W1_ESe_Q | END_W1_ESn_Q) && !e->w[2] &&
	    !e->w[3] && !e->w[6] && !e->w[7])
		return fail(c, SPIRQ_ERR_STREAM, "END %u listed in its reset state",
			    e->idx);
	if (e->w[0] & ~w0_ok || e->w[2] & END_W2_MIGRATION_REG || e->w[4] ||
	    e->w[5] || e->w[6] & ~END_W6_NVT_INDEX ||
	    e->w[7] & ~END_W7_F0_PRIORITY ||
	    ((e->w[7] & END_W7_F0_PRIORITY) >> 16) >= XIVE_HV_PRIO ||
	    e->w[1] & ~(END_W1_ESn | END_W1_ESe | END_W1_GENERATION |
			END_W1_PAGE_OFF))
		return fail(c, SPIRQ_ERR_STREAM,
			    "END %u holds fields sPAPR never sets", e->idx);
	if (qsize != 0 && qsize != 4 && qsize != 9 && qsize != 12)
		return fail(c, SPIRQ_ERR_STREAM, "END %u: queue size code %u",
			    e->idx, qsize);
	if ((e->w[1] & END_W1_PAGE_OFF) >= entries)
		return fail(c, SPIRQ_ERR_STREAM,
			    "END %u: queue index beyond %u entries", e->idx,
			    entries);
	if ((e->w[0] & END_W0_VALID) &&
	    (end_owner(m, e->idx) < 0 ||
	     nvt != SPIRQ_XIVE_NVT_BASE + end_owner(m, e->idx) ||
	     ((e->w[7] & END_W7_F0_PRIORITY) >> 16) != e->idx % 8))
		return fail(c, SPIRQ_ERR_STREAM,
			    "END %u targets NVT 0x%x priority %u, not its own vCPU and priority",
			    e->idx, nvt, (e->w[7] & END_W7_F0_PRIORITY) >> 16);
	if ((e->w[0] & END_W0_ENQUEUE) &&
	    (qaddr & ((4096ull << qsize) - 1) ||
	     !spapr_range_in_ram(m, qaddr, 4096ull << qsize)))
		return fail(c, SPIRQ_ERR_INCOMPAT,
			    "END %u: queue at 0x%llx is not an aligned range of guest RAM",
			    e->idx, (unsigned long long)qaddr);
	return 0;
}

/* The context bytes a guest can change: OS ring NSR (EO), CPPR, IPB/PIPR. */
static int check_tctx(struct ctx *c, const spirq_machine *m,
		      const struct rec_tctx *t)
{
	uint8_t reset[64], img[64];
	const uint8_t *os = &t->regs[TM_QW1_OS];

	tctx_reset_image(m, t->cpu, reset);
	if (!memcmp(t->regs, reset, sizeof(reset)))
		return fail(c, SPIRQ_ERR_STREAM,
			    "thread context of vCPU %u listed in its reset state",
			    t->cpu);
	memcpy(img, t->regs, sizeof(img));
	img[TM_QW1_OS + TM_NSR] = reset[TM_QW1_OS + TM_NSR];
	img[TM_QW1_OS + TM_CPPR] = reset[TM_QW1_OS + TM_CPPR];
	img[TM_QW1_OS + TM_IPB] = reset[TM_QW1_OS + TM_IPB];
	img[TM_QW1_OS + TM_PIPR] = reset[TM_QW1_OS + TM_PIPR];
	if (memcmp(img, reset, sizeof(img)) ||
	    os[TM_NSR] & ~TM_QW1_NSR_EO ||
	    os[TM_PIPR] != xive_ipb_to_pipr(os[TM_IPB]))
		return fail(c, SPIRQ_ERR_STREAM,
			    "thread context of vCPU %u holds values a guest cannot set",
			    t->cpu);
	return 0;
}

/* Is the LISN claimed in the image (IPIs by the machine, others listed)? */
static bool image_eas_claimed(const spirq_machine *m, const struct image *img,
			      const uint8_t *claim, uint32_t lisn)
{
	(void)img;
	if (lisn < SPIRQ_XIRQ_BASE)
		return lisn < m->cfg.nr_ipis;
	return lisn < m->nr_irqs && claim[lisn];
}

static int check_xive(struct ctx *c, const spirq_machine *m,
		      const struct image *img, const uint8_t *present,
		      const uint8_t *claim)
{
	uint32_t i, nr_irqs;
	int ret;

	if (!has(img, SEC_XIVE_SOURCES))
		return 0;
	nr_irqs = m->xive->source.nr_irqs;
	c->section = "XIVE-SOURCES";
	if (img->xsrc_nr_irqs != nr_irqs)
		return fail(c, SPIRQ_ERR_INCOMPAT,
			    "%u sources in the stream, %u on the destination",
			    img->xsrc_nr_irqs, nr_irqs);
	for (i = 0; i < img->xsrc.n; i++)
		if (img->xsrc.v[i].lisn >= nr_irqs ||
		    (i && img->xsrc.v[i].lisn <= img->xsrc.v[i - 1].lisn) ||
		    img->xsrc.v[i].status & ~(XIVE_STATUS_ASSERTED | 0x3) ||
		    img->xsrc.v[i].status == XIVE_ESB_OFF)
			return fail(c, SPIRQ_ERR_STREAM,
				    "source entry %u: LISN 0x%x status 0x%x", i,
				    img->xsrc.v[i].lisn, img->xsrc.v[i].status);
	for (i = 0; i < img->lsi.n; i++)
		if (img->lsi.v[i] >= nr_irqs ||
		    (i && img->lsi.v[i] <= img->lsi.v[i - 1]))
			return fail(c, SPIRQ_ERR_STREAM,
				    "LSI 0x%x out of range or order", img->lsi.v[i]);
	c->section = "XIVE-EAS";
	for (i = 0; i < img->eas.n; i++) {
		uint32_t lisn = img->eas.v[i].lisn;
		uint64_t w = img->eas.v[i].w;

		if (lisn >= nr_irqs || (i && lisn <= img->eas.v[i - 1].lisn) ||
		    w & PPC_BITMASK(1, 7) ||
		    ((w & EAS_END_INDEX) >> 32) >= m->xive->nr_ends ||
		    !(w & EAS_VALID) != !image_eas_claimed(m, img, claim, lisn) ||
		    w == (image_eas_claimed(m, img, claim, lisn) ?
			  EAS_VALID | EAS_MASKED : 0))
			return fail(c, SPIRQ_ERR_STREAM,
				    "EAS of LISN 0x%x: 0x%016llx", lisn,
				    (unsigned long long)w);
	}
	c->section = "XIVE-ENDS";
	if (img->nr_ends != m->xive->nr_ends)
		return fail(c, SPIRQ_ERR_INCOMPAT,
			    "%u ENDs in the stream, %u on the destination (maxcpus, threads or vsmt differ)",
			    img->nr_ends, m->xive->nr_ends);
	for (i = 0; i < img->ends.n; i++) {
		if (img->ends.v[i].idx >= m->xive->nr_ends ||
		    (i && img->ends.v[i].idx <= img->ends.v[i - 1].idx))
			return fail(c, SPIRQ_ERR_STREAM,
				    "END %u out of range or order",
				    img->ends.v[i].idx);
		ret = check_end(c, m, &img->ends.v[i]);
		if (ret)
			return ret;
	}
	c->section = "XIVE-TCTX";
	for (i = 0; i < img->tctx.n; i++) {
		if (img->tctx.v[i].cpu >= m->cfg.max_cpus ||
		    !present[img->tctx.v[i].cpu] ||
		    (i && !plug_order_before(img, img->tctx.v[i - 1].cpu,
					     img->tctx.v[i].cpu)))
			return fail(c, SPIRQ_ERR_STREAM,
				    "context of vCPU %u absent, repeated or out of order",
				    img->tctx.v[i].cpu);
		ret = check_tctx(c, m, &img->tctx.v[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int check(struct ctx *c, const spirq_machine *m,
		 const struct image *img)
{
	uint8_t *present = calloc(m->cfg.max_cpus, 1);
	uint8_t *claim = calloc(m->nr_irqs, 1);
	unsigned dst_caps = (m->ics ? CAP_XICS : 0) | (m->xive ? CAP_XIVE : 0);
	int ret;

	if (!present || !claim) {
		ret = fail(c, SPIRQ_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (strcmp(img->machine, m->cfg.machine_name)) {
		ret = fail(c, SPIRQ_ERR_INCOMPAT,
			   "machine type %s in the stream, the destination is %s",
			   img->machine, m->cfg.machine_name);
		goto out;
	}
	ret = check_layout(c, m, img);
	if (!ret)
		ret = check_caps(image_caps(img), dst_caps, c->err);
	if (!ret)
		ret = check_config(c, m, img);
	if (!ret)
		ret = check_machine(c, m, img);
	if (!ret)
		ret = check_cpus(c, m, img, present);
	if (!ret)
		ret = check_claims(c, m, img, claim);
	if (!ret)
		ret = check_xics(c, m, img, present);
	if (!ret)
		ret = check_xive(c, m, img, present, claim);
out:
	free(present);
	free(claim);
	c->section = NULL;
	return ret;
}

/* ---- step 3: build ---------------------------------------------------------------- */

static void load_claims(spirq_machine *s, const struct image *img)
{
	const struct spapr_intc_ops *ops;
	uint32_t i, k;
	int c;

	for (i = 0; i < img->claims.n; i++) {
		const struct rec_claim *r = &img->claims.v[i];

		s->claims[r->irq] = r->type;
		s->lines[r->irq] = r->line;
		for_each_intc(s, ops, c)
			ops->claim(s, r->irq, r->type == CLAIM_LSI);
	}
	for (i = 0; i < img->msi.n; i++)
		for (k = 0; k < img->msi.v[i].num; k++)
			bitmap_set(s->msi_map, img->msi.v[i].first + k);
}

static void load_xics(spirq_machine *s, const struct image *img)
{
	uint32_t i;

	for (i = 0; i < img->ics.n; i++) {
		const struct rec_ics *r = &img->ics.v[i];

		ics_load_source(s->ics, r->srcno, r->server, r->prio, r->saved,
				r->status);
	}
	for (i = 0; i < img->icp.n; i++) {
		const struct rec_icp *r = &img->icp.v[i];
		struct icp *icp = s->vcpus[r->cpu].icp;

		icp->xirr = r->xirr;
		icp->pending_priority = r->pending;
		icp->mfrr = r->mfrr;
		icp->xisr_from_ics = r->from_ics;
	}
}

static void load_xive(spirq_machine *s, const struct image *img)
{
	struct spapr_xive *xive = s->xive;
	uint32_t i;

	for (i = 0; i < img->xsrc.n; i++)
		xive->source.status[img->xsrc.v[i].lisn] = img->xsrc.v[i].status;
	memset(xive->source.lsi_map, 0,
	       BITS_TO_WORDS(xive->source.nr_irqs) * sizeof(uint64_t));
	for (i = 0; i < img->lsi.n; i++)
		xive_source_set_lsi(&xive->source, img->lsi.v[i]);
	for (i = 0; i < img->eas.n; i++)
		xive->eat[img->eas.v[i].lisn].w = host_to_be64(img->eas.v[i].w);
	for (i = 0; i < img->ends.n; i++) {
		const struct rec_end *r = &img->ends.v[i];
		xive_end *end = &xive->endt[r->idx];

		end->w0 = host_to_be32(r->w[0]);
		end->w1 = host_to_be32(r->w[1]);
		end->w2 = host_to_be32(r->w[2]);
		end->w3 = host_to_be32(r->w[3]);
		end->w4 = host_to_be32(r->w[4]);
		end->w5 = host_to_be32(r->w[5]);
		end->w6 = host_to_be32(r->w[6]);
		end->w7 = host_to_be32(r->w[7]);
	}
	for (i = 0; i < img->tctx.n; i++)
		memcpy(s->vcpus[img->tctx.v[i].cpu].tctx->regs,
		       img->tctx.v[i].regs, 64);
}

/* Interrupt line of a vCPU as the restored presenters drive it. */
static int line_of(const spirq_machine *s, unsigned cpu)
{
	const struct vcpu_slot *v = &s->vcpus[cpu];

	if (!v->present)
		return 0;
	if (spapr_xics_is_active(s))
		return icp_xisr(v->icp) != 0;
	return !!(v->tctx->regs[TM_QW1_OS + TM_NSR] & TM_QW1_NSR_EO);
}

static int build(const spirq_machine *m, const struct image *img,
		 spirq_machine **out, spirq_error *err)
{
	spirq_machine *s;
	unsigned i;
	int ret;

	ret = spirq_machine_create(&m->cfg, NULL, &s, err);
	if (ret)
		return ret;
	while (s->nr_plugged)
		spapr_cpu_unplug_locked(s, s->plug_order[0]);
	for (i = 0; i < img->cpus.n && !ret; i++)
		ret = spapr_cpu_plug_locked(s, img->cpus.v[i]);
	if (ret) {
		spirq_machine_destroy(s);
		return spirq__error_set(err, SPIRQ_ERR_NOMEM, "out of memory");
	}
	load_claims(s, img);
	if (s->ics)
		load_xics(s, img);
	if (s->xive)
		load_xive(s, img);
	s->ov5_cas = img->ov5;
	s->xive_was_active = img->xive_was_active;
	spapr_irq_restore_active(s);
	/*
	 * The presenters are restored exactly as they were saved, so nothing
	 * is resent (QEMU's XICS post-load resends, which can present again
	 * what was waiting: a restored machine would then differ from the
	 * one saved).  Only the lines are rebuilt from the presenters.
	 */
	for (i = 0; i < s->cfg.max_cpus; i++)
		s->vcpus[i].line = line_of(s, i);
	*out = s;
	return 0;
}

/* ---- step 4: commit -------------------------------------------------------------- */

/*
 * Swap the built state in, then tell the host about the lines that changed
 * (@old: room for max_cpus levels, allocated before anything changed).
 */
static void commit(spirq_machine *m, spirq_machine *s, int *old)
{
	unsigned cpu;

	for (cpu = 0; cpu < m->cfg.max_cpus; cpu++)
		old[cpu] = m->vcpus[cpu].line;
	spapr_machine_swap(m, s);
	for (cpu = 0; cpu < m->cfg.max_cpus; cpu++) {
		int want = m->vcpus[cpu].line;

		m->vcpus[cpu].line = old[cpu];
		spapr_cpu_set_line(m, cpu, want);
	}
}

int spirq_restore(spirq_machine *m, const void *buf, size_t len,
		  spirq_error *err)
{
	struct ctx c = { .err = err };
	struct image img;
	spirq_machine *s = NULL;
	int *old_lines;
	int ret;

	memset(&img, 0, sizeof(img));
	spirq_error_clear(err);
	if (!buf)
		return fail(&c, SPIRQ_ERR_STREAM, "no stream");
	old_lines = calloc(m->cfg.max_cpus, sizeof(*old_lines));
	if (!old_lines)
		return fail(&c, SPIRQ_ERR_NOMEM, "out of memory");
	ret = spapr_lock(m, __func__, err);
	if (ret) {
		free(old_lines);
		return ret;
	}
	ret = parse(&c, buf, len, &img);
	if (!ret)
		ret = check(&c, m, &img);
	if (!ret)
		ret = build(m, &img, &s, err);
	if (!ret)
		commit(m, s, old_lines);
	spapr_unlock(m);
	spirq_machine_destroy(s);
	image_free(&img);
	free(old_lines);
	return ret;
}
