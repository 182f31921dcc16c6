/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirq_restore() internals: the image a stream is decoded into, and the
 * steps over it, one file each:
 *
 *   restore-frame.c    framing and integrity: header, CRC-32, section walk
 *   restore-spapr.c    MACHINE, CPUS, CLAIMS, MSI sections  } decode,
 *   restore-xics.c     ICS, ICP sections                    } validate,
 *   restore-xive.c     XIVE-* sections                      } load
 *   restore-compat.c   can this destination take the stream (machine
 *                      type, CPU, caps, sizes, device claims)
 *   restore.c          the steps in order, build and commit
 */
#ifndef SPIRQ_MIGRATION_RESTORE_INTERNAL_H
#define SPIRQ_MIGRATION_RESTORE_INTERNAL_H

#include <stdlib.h>

#include "migration/migration-internal.h"

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

/* A decoded stream, before it is checked against the destination. */
struct image {
	char machine[256];
	uint16_t version;
	uint16_t flags;
	uint32_t seen;			/* bitmap of section types read */
	size_t offset[SEC_XIVE_TCTX + 1];	/* where each section starts */
	struct rec_config config;
	uint8_t ov5, active, xive_was_active;
	bool has_cpu;			/* the CPU record (format version 2) */
	uint8_t cpu;			/* spirq_cpu_model */
	uint32_t compat_pvr;		/* logical PVR, 0 for raw mode */
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

static inline bool image_has(const struct image *img, enum section_type type)
{
	return img->seen & (1u << type);
}

void restore_image_free(struct image *img);

/* Where we are in the stream, for the messages. */
struct restore_ctx {
	spirq_error *err;
	const char *section;	/* NULL: the stream as a whole */
	size_t offset;
};

/* The messages that follow are about section @type of @img. */
static inline void restore_at(struct restore_ctx *c, const struct image *img,
			      enum section_type type)
{
	c->section = stream_section_name(type);
	c->offset = img->offset[type];
}

/*
 * Set *c->err to "migration stream[, section S at offset O]: MESSAGE".
 * returns: -@code
 */
int restore_fail(struct restore_ctx *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Read the count of a list of @rec_size-byte records; the count must fit
 * in what is left of the section, so a corrupt count cannot make us
 * allocate much.
 */
bool restore_read_count(struct rstream *r, uint32_t *n, size_t rec_size);

/* Read a list's count and allocate it: false on a short read or ENOMEM. */
#define READ_LIST(r, list, rec_size)                                         \
	(restore_read_count((r), &(list).n, (rec_size)) &&                   \
	 ((list).v = calloc((list).n ? (list).n : 1, sizeof(*(list).v))))

/* Step 1, restore-frame.c: integrity, header, sections into @img. */
int restore_parse(struct restore_ctx *c, const uint8_t *buf, size_t len,
		  struct image *img);

/*
 * Section decoders: read the section's payload from @r (a window on the
 * section) into @img.  returns: 0, or -1 on a short read or ENOMEM (the
 * caller tells which from r->short_read).
 */
int restore_parse_config(struct rstream *r, struct image *img);
int restore_parse_machine(struct rstream *r, struct image *img);
int restore_parse_cpus(struct rstream *r, struct image *img);
int restore_parse_claims(struct rstream *r, struct image *img);
int restore_parse_msi(struct rstream *r, struct image *img);
int restore_parse_ics(struct rstream *r, struct image *img);
int restore_parse_icp(struct rstream *r, struct image *img);
int restore_parse_xive_sources(struct rstream *r, struct image *img);
int restore_parse_xive_eas(struct rstream *r, struct image *img);
int restore_parse_xive_ends(struct rstream *r, struct image *img);
int restore_parse_xive_tctx(struct rstream *r, struct image *img);

/*
 * Step 2: checks against the destination @m.  Each returns 0 or a
 * negative SPIRQ_ERR_* code with the message set.
 */
unsigned restore_image_caps(const struct image *img);
int restore_check_compat(struct restore_ctx *c, const spirq_machine *m,
			 const struct image *img);
int restore_check_machine(struct restore_ctx *c, const spirq_machine *m,
			  const struct image *img);
/* @present: max_cpus bytes, set for the vCPUs the stream lists */
int restore_check_cpus(struct restore_ctx *c, const spirq_machine *m,
		       const struct image *img, uint8_t *present);
/* @claim: nr_irqs bytes, set to the claim type of each listed IRQ */
int restore_check_claims(struct restore_ctx *c, const spirq_machine *m,
			 const struct image *img, uint8_t *claim);
int restore_check_device_claims(struct restore_ctx *c, const spirq_machine *m,
				const struct image *img, const uint8_t *claim);
int restore_check_xics(struct restore_ctx *c, const spirq_machine *m,
		       const struct image *img, const uint8_t *present);
int restore_check_xive(struct restore_ctx *c, const spirq_machine *m,
		       const struct image *img, const uint8_t *present,
		       const uint8_t *claim);
/* Does vCPU @a come before vCPU @b in the stream's plug order? */
bool restore_plug_order_before(const struct image *img, uint32_t a,
			       uint32_t b);

/* Step 3: load the checked image into the fresh machine @s. */
void restore_load_claims(spirq_machine *s, const struct image *img);
void restore_load_xics(spirq_machine *s, const struct image *img);
/* returns: 0, or -SPIRQ_ERR_NOMEM (an END group of an absent vCPU) */
int restore_load_xive(spirq_machine *s, const struct image *img);

#endif /* SPIRQ_MIGRATION_RESTORE_INTERNAL_H */
