// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Restore, the XICS sections: ICS (sources) and ICP (presenters):
 * decoders, field validation, and loading into the machine being built.
 */
#include <stdlib.h>
#include <string.h>

#include <spirq/migration.h>
#include <spirq/topology.h>

#include "common/error-internal.h"
#include "migration/restore-internal.h"
#include "xics/xics-internal.h"

int restore_parse_ics(struct rstream *r, struct image *img)
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

int restore_parse_icp(struct rstream *r, struct image *img)
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

int restore_check_xics(struct restore_ctx *c, const spirq_machine *m,
		       const struct image *img, const uint8_t *present)
{
	uint32_t i;

	if (!image_has(img, SEC_ICS))
		return 0;
	restore_at(c, img, SEC_ICS);
	if (img->ics_nr_irqs != m->ics->nr_irqs)
		return restore_fail(c, SPIRQ_ERR_INCOMPAT,
				    "%u sources in the stream, %u on the destination",
				    img->ics_nr_irqs, m->ics->nr_irqs);
	for (i = 0; i < img->ics.n; i++) {
		const struct rec_ics *s = &img->ics.v[i];

		if (s->srcno >= m->ics->nr_irqs ||
		    (i && s->srcno <= img->ics.v[i - 1].srcno))
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "source %u out of range or order", s->srcno);
		if (!s->server && s->prio == 0xff && s->saved == 0xff &&
		    !s->status)
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "source 0x%x listed in its reset state",
					    s->srcno + SPIRQ_XIRQ_BASE);
		if (spirq_vcpu_index(&m->cfg, s->server) < 0)
			return restore_fail(c, SPIRQ_ERR_INCOMPAT,
					    "source 0x%x aimed at server %u, no such vCPU",
					    s->srcno + SPIRQ_XIRQ_BASE, s->server);
		if (s->status & ~(XICS_STATUS_ASSERTED | XICS_STATUS_SENT |
				  XICS_STATUS_REJECTED |
				  XICS_STATUS_MASKED_PENDING))
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "source 0x%x: status 0x%x has undefined bits",
					    s->srcno + SPIRQ_XIRQ_BASE, s->status);
	}
	restore_at(c, img, SEC_ICP);
	for (i = 0; i < img->icp.n; i++) {
		const struct rec_icp *p = &img->icp.v[i];
		uint32_t xisr = p->xirr & XISR_MASK;

		if (p->cpu >= m->cfg.max_cpus || !present[p->cpu] ||
		    (i && !restore_plug_order_before(img, img->icp.v[i - 1].cpu,
						     p->cpu)))
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "presenter of vCPU %u absent, repeated or out of order",
					    p->cpu);
		if (!p->xirr && p->pending == 0xff && p->mfrr == 0xff &&
		    !p->from_ics)
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "presenter of vCPU %u listed in its reset state",
					    p->cpu);
		if (p->from_ics > 1 ||
		    (p->from_ics && !ics_valid_irq(m->ics, xisr)) ||
		    (!p->from_ics && xisr && xisr != XICS_IPI))
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "vCPU %u presents XISR 0x%x", p->cpu, xisr);
	}
	return 0;
}

void restore_load_xics(spirq_machine *s, const struct image *img)
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
