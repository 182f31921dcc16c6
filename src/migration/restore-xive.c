// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Restore, the XIVE sections: XIVE-SOURCES (ESB state, LSIs), XIVE-EAS
 * (routing), XIVE-ENDS (event queues), XIVE-TCTX (thread contexts):
 * decoders, field validation, and loading into the machine being built.
 */
#include <stdlib.h>
#include <string.h>

#include <spirq/migration.h>
#include <spirq/topology.h>

#include "common/error-internal.h"
#include "migration/restore-internal.h"
#include "xive/xive-internal.h"

int restore_parse_xive_sources(struct rstream *r, struct image *img)
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

int restore_parse_xive_eas(struct rstream *r, struct image *img)
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

int restore_parse_xive_ends(struct rstream *r, struct image *img)
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

int restore_parse_xive_tctx(struct rstream *r, struct image *img)
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

/* The vCPU id whose END group (slot) holds END @idx, or -1. */
static int64_t end_owner(const spirq_machine *m, uint32_t idx)
{
	uint32_t slot = idx / 8;

	if (m->cfg.xive_by_max_cpus)
		return slot < m->cfg.max_cpus ?
			(int64_t)spirq_vcpu_id(&m->cfg, slot) : -1;
	return spirq_vcpu_index(&m->cfg, slot) >= 0 ? (int64_t)slot : -1;
}

static int check_end(struct restore_ctx *c, const spirq_machine *m,
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
		return restore_fail(c, SPIRQ_ERR_STREAM, "END %u listed in its reset state",
				    e->idx);
	if (e->w[0] & ~w0_ok || e->w[2] & END_W2_MIGRATION_REG || e->w[4] ||
	    e->w[5] || e->w[6] & ~END_W6_NVT_INDEX ||
	    e->w[7] & ~END_W7_F0_PRIORITY ||
	    ((e->w[7] & END_W7_F0_PRIORITY) >> 16) >= XIVE_HV_PRIO ||
	    e->w[1] & ~(END_W1_ESn | END_W1_ESe | END_W1_GENERATION |
			END_W1_PAGE_OFF))
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "END %u holds fields sPAPR never sets", e->idx);
	if (qsize != 0 && qsize != 4 && qsize != 9 && qsize != 12)
		return restore_fail(c, SPIRQ_ERR_STREAM, "END %u: queue size code %u",
				    e->idx, qsize);
	if ((e->w[1] & END_W1_PAGE_OFF) >= entries)
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "END %u: queue index beyond %u entries", e->idx,
				    entries);
	if ((e->w[0] & END_W0_VALID) &&
	    (end_owner(m, e->idx) < 0 ||
	     nvt != SPIRQ_XIVE_NVT_BASE + end_owner(m, e->idx) ||
	     ((e->w[7] & END_W7_F0_PRIORITY) >> 16) != e->idx % 8))
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "END %u targets NVT 0x%x priority %u, not its own vCPU and priority",
				    e->idx, nvt, (e->w[7] & END_W7_F0_PRIORITY) >> 16);
	if ((e->w[0] & END_W0_ENQUEUE) &&
	    (qaddr & ((4096ull << qsize) - 1) ||
	     !spapr_range_in_ram(m, qaddr, 4096ull << qsize)))
		return restore_fail(c, SPIRQ_ERR_INCOMPAT,
				    "END %u: queue at 0x%llx is not an aligned range of guest RAM",
				    e->idx, (unsigned long long)qaddr);
	return 0;
}

/* The context bytes a guest can change: OS ring NSR (EO), CPPR, IPB/PIPR. */
static int check_tctx(struct restore_ctx *c, const spirq_machine *m,
		      const struct rec_tctx *t)
{
	uint8_t reset[64], img[64];
	const uint8_t *os = &t->regs[TM_QW1_OS];

	tctx_reset_image(m, t->cpu, reset);
	if (!memcmp(t->regs, reset, sizeof(reset)))
		return restore_fail(c, SPIRQ_ERR_STREAM,
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
		return restore_fail(c, SPIRQ_ERR_STREAM,
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

int restore_check_xive(struct restore_ctx *c, const spirq_machine *m,
		       const struct image *img, const uint8_t *present,
		       const uint8_t *claim)
{
	uint32_t i, nr_irqs;
	int ret;

	if (!image_has(img, SEC_XIVE_SOURCES))
		return 0;
	nr_irqs = m->xive->source.nr_irqs;
	restore_at(c, img, SEC_XIVE_SOURCES);
	if (img->xsrc_nr_irqs != nr_irqs)
		return restore_fail(c, SPIRQ_ERR_INCOMPAT,
				    "%u sources in the stream, %u on the destination",
				    img->xsrc_nr_irqs, nr_irqs);
	for (i = 0; i < img->xsrc.n; i++)
		if (img->xsrc.v[i].lisn >= nr_irqs ||
		    (i && img->xsrc.v[i].lisn <= img->xsrc.v[i - 1].lisn) ||
		    img->xsrc.v[i].status & ~(XIVE_STATUS_ASSERTED | 0x3) ||
		    img->xsrc.v[i].status == XIVE_ESB_OFF)
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "source entry %u: LISN 0x%x status 0x%x", i,
					    img->xsrc.v[i].lisn, img->xsrc.v[i].status);
	for (i = 0; i < img->lsi.n; i++)
		if (img->lsi.v[i] >= nr_irqs ||
		    (i && img->lsi.v[i] <= img->lsi.v[i - 1]))
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "LSI 0x%x out of range or order", img->lsi.v[i]);
	restore_at(c, img, SEC_XIVE_EAS);
	for (i = 0; i < img->eas.n; i++) {
		uint32_t lisn = img->eas.v[i].lisn;
		uint64_t w = img->eas.v[i].w;

		if (lisn >= nr_irqs || (i && lisn <= img->eas.v[i - 1].lisn) ||
		    w & PPC_BITMASK(1, 7) ||
		    ((w & EAS_END_INDEX) >> 32) >= m->xive->nr_ends ||
		    !(w & EAS_VALID) != !image_eas_claimed(m, img, claim, lisn) ||
		    w == (image_eas_claimed(m, img, claim, lisn) ?
			  EAS_VALID | EAS_MASKED : 0))
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "EAS of LISN 0x%x: 0x%016llx", lisn,
					    (unsigned long long)w);
	}
	restore_at(c, img, SEC_XIVE_ENDS);
	if (img->nr_ends != m->xive->nr_ends)
		return restore_fail(c, SPIRQ_ERR_INCOMPAT,
				    "%u ENDs in the stream, %u on the destination (maxcpus, threads or vsmt differ)",
				    img->nr_ends, m->xive->nr_ends);
	for (i = 0; i < img->ends.n; i++) {
		if (img->ends.v[i].idx >= m->xive->nr_ends ||
		    (i && img->ends.v[i].idx <= img->ends.v[i - 1].idx))
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "END %u out of range or order",
					    img->ends.v[i].idx);
		ret = check_end(c, m, &img->ends.v[i]);
		if (ret)
			return ret;
	}
	restore_at(c, img, SEC_XIVE_TCTX);
	for (i = 0; i < img->tctx.n; i++) {
		if (img->tctx.v[i].cpu >= m->cfg.max_cpus ||
		    !present[img->tctx.v[i].cpu] ||
		    (i && !restore_plug_order_before(img, img->tctx.v[i - 1].cpu,
						     img->tctx.v[i].cpu)))
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "context of vCPU %u absent, repeated or out of order",
					    img->tctx.v[i].cpu);
		ret = check_tctx(c, m, &img->tctx.v[i]);
		if (ret)
			return ret;
	}
	return 0;
}

int restore_load_xive(spirq_machine *s, const struct image *img)
{
	struct spapr_xive *xive = s->xive;
	uint32_t i;

	for (i = 0; i < img->xsrc.n; i++)
		xive_source_set_state(&xive->source, img->xsrc.v[i].lisn,
				      img->xsrc.v[i].status);
	memset(xive->source.lsi_map, 0,
	       BITS_TO_WORDS(xive->source.nr_irqs) * sizeof(uint64_t));
	for (i = 0; i < img->lsi.n; i++)
		xive_source_set_lsi(&xive->source, img->lsi.v[i]);
	for (i = 0; i < img->eas.n; i++) {
		xive_source_mark_live(&xive->source, img->eas.v[i].lisn);
		xive->eat[img->eas.v[i].lisn].w = host_to_be64(img->eas.v[i].w);
	}
	for (i = 0; i < img->ends.n; i++) {
		const struct rec_end *r = &img->ends.v[i];
		xive_end *end;

		/* a stream may hold ENDs of a slot whose vCPU is absent */
		if (spapr_xive_end_group_alloc(xive, r->idx / XIVE_END_GROUP,
					       &s->footprint))
			return -SPIRQ_ERR_NOMEM;
		end = spapr_xive_end(xive, r->idx);
		end->w0 = host_to_be32(r->w[0]);
		end->w1 = host_to_be32(r->w[1]);
		end->w2 = host_to_be32(r->w[2]);
		end->w3 = host_to_be32(r->w[3]);
		end->w4 = host_to_be32(r->w[4]);
		end->w5 = host_to_be32(r->w[5]);
		end->w6 = host_to_be32(r->w[6]);
		end->w7 = host_to_be32(r->w[7]);
		xive_end_cache_forget(end);
	}
	for (i = 0; i < img->tctx.n; i++)
		memcpy(s->vcpus[img->tctx.v[i].cpu].tctx->regs,
		       img->tctx.v[i].regs, 64);
	return 0;
}
