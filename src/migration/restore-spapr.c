// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Restore, the machine's own sections: MACHINE (negotiated mode), CPUS
 * (present vCPUs), CLAIMS and MSI (claim registry and MSI allocator):
 * decoders, field validation, and loading into the machine being built.
 */
#include <stdlib.h>
#include <string.h>

#include <spirq/migration.h>
#include <spirq/topology.h>

#include "common/error-internal.h"
#include "migration/restore-internal.h"

#include "xive/xive-internal.h"

int restore_parse_config(struct rstream *r, struct image *img)
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

int restore_parse_machine(struct rstream *r, struct image *img)
{
	img->ov5 = get_u8(r);
	img->active = get_u8(r);
	img->xive_was_active = get_u8(r);
	if (img->version >= 2) {
		img->has_cpu = true;
		img->cpu = get_u8(r);
		img->compat_pvr = get_u32(r);
	}
	return 0;
}

int restore_parse_cpus(struct rstream *r, struct image *img)
{
	uint32_t i;

	if (!READ_LIST(r, img->cpus, 4))
		return -1;
	for (i = 0; i < img->cpus.n; i++)
		img->cpus.v[i] = get_u32(r);
	return 0;
}

int restore_parse_claims(struct rstream *r, struct image *img)
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

int restore_parse_msi(struct rstream *r, struct image *img)
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

int restore_check_machine(struct restore_ctx *c, const spirq_machine *m,
			  const struct image *img)
{
	bool xive_negotiated = img->ov5 & OV5_XIVE_EXPLOIT;
	uint8_t want;

	restore_at(c, img, SEC_MACHINE);
	if (img->ov5 & ~OV5_XIVE_EXPLOIT || img->xive_was_active > 1)
		return restore_fail(c, SPIRQ_ERR_STREAM, "undefined negotiation state");
	if (xive_negotiated && !(restore_image_caps(img) & CAP_XIVE))
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "XIVE negotiated on a machine without XIVE");
	want = !(restore_image_caps(img) & CAP_XICS) || xive_negotiated ?
		ACTIVE_XIVE : ACTIVE_XICS;
	if (img->active != want)
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "active controller %u does not follow the negotiated mode",
				    img->active);
	(void)m;
	return 0;
}

int restore_check_cpus(struct restore_ctx *c, const spirq_machine *m,
		       const struct image *img, uint8_t *present)
{
	const spirq_config *d = &m->cfg;
	uint32_t i;

	restore_at(c, img, SEC_CPUS);
	if (!img->cpus.n)
		return restore_fail(c, SPIRQ_ERR_STREAM, "no vCPU");
	for (i = 0; i < img->cpus.n; i++) {
		uint32_t cpu = img->cpus.v[i];

		if (cpu >= d->max_cpus)
			return restore_fail(c, SPIRQ_ERR_INCOMPAT,
					    "vCPU %u beyond maxcpus %u", cpu,
					    d->max_cpus);
		if (present[cpu])
			return restore_fail(c, SPIRQ_ERR_STREAM, "vCPU %u listed twice",
					    cpu);
		present[cpu] = 1;
	}
	/* whole cores only, as hot-plug works on cores */
	for (i = 0; i < img->cpus.n; i++) {
		uint32_t core = img->cpus.v[i] - img->cpus.v[i] % d->threads;
		uint32_t t;

		for (t = 0; t < d->threads; t++)
			if (!present[core + t])
				return restore_fail(c, SPIRQ_ERR_STREAM,
						    "core %u only partly present", core);
	}
	return 0;
}

int restore_check_claims(struct restore_ctx *c, const spirq_machine *m,
			 const struct image *img, uint8_t *claim)
{
	uint32_t i;

	restore_at(c, img, SEC_CLAIMS);
	for (i = 0; i < img->claims.n; i++) {
		const struct rec_claim *r = &img->claims.v[i];

		if (r->irq < SPIRQ_XIRQ_BASE || r->irq >= m->nr_irqs)
			return restore_fail(c, SPIRQ_ERR_INCOMPAT,
					    "IRQ 0x%x outside 0x%x..0x%x", r->irq,
					    SPIRQ_XIRQ_BASE, m->nr_irqs - 1);
		if (r->type != CLAIM_MSI && r->type != CLAIM_LSI)
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "IRQ 0x%x: claim type %u", r->irq, r->type);
		if (i && r->irq <= img->claims.v[i - 1].irq)
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "IRQ 0x%x out of order or repeated", r->irq);
		/* held events only exist during a switch, never saved */
		if (r->line & ~LINE_LEVEL ||
		    (r->type == CLAIM_MSI && r->line & LINE_LEVEL))
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "IRQ 0x%x: line state 0x%x", r->irq,
					    r->line);
		claim[r->irq] = r->type;
	}
	restore_at(c, img, SEC_MSI);
	for (i = 0; i < img->msi.n; i++) {
		const struct rec_msi *r = &img->msi.v[i];

		if (!r->num || r->first >= SPIRQ_NR_MSIS ||
		    r->num > SPIRQ_NR_MSIS - r->first ||
		    (i && r->first <= img->msi.v[i - 1].first +
				       img->msi.v[i - 1].num))
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "MSI run %u+%u outside the allocator, out of order or not maximal",
					    r->first, r->num);
	}
	return 0;
}

bool restore_plug_order_before(const struct image *img, uint32_t a,
			       uint32_t b)
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

void restore_load_claims(spirq_machine *s, const struct image *img)
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
