// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirq_save(): the migration stream of a machine.
 *
 * Sparse: a section lists only what differs from the reset state (the
 * destination starts from it), so an idle machine's stream is small.
 * Deterministic: tables are walked in index order, vCPUs in plug order.
 */
#include <string.h>
#include <zlib.h>

#include <spirq/migration.h>

#include "common/bitmap.h"
#include "kvm/kvm.h"
#include "migration/migration-internal.h"
#include "xics/xics-internal.h"
#include "xive/xive-internal.h"

static size_t begin_section(struct wstream *w, enum section_type type)
{
	size_t at;

	put_u8(w, (uint8_t)type);
	at = w->pos;
	put_u32(w, 0);		/* length, patched by end_section */
	return at;
}

static void end_section(struct wstream *w, size_t at)
{
	patch_u32(w, at, (uint32_t)(w->pos - at - 4));
}

/* Count placeholder of a list, patched when the list is done. */
static size_t begin_list(struct wstream *w)
{
	size_t at = w->pos;

	put_u32(w, 0);
	return at;
}

static void save_config(struct wstream *w, const spirq_machine *m)
{
	const spirq_config *c = &m->cfg;
	size_t at = begin_section(w, SEC_CONFIG);

	put_u8(w, (uint8_t)((c->cap_xics ? CAP_XICS : 0) |
			    (c->cap_xive ? CAP_XIVE : 0)));
	put_u8(w, (uint8_t)c->ic_mode);
	put_u32(w, c->max_cpus);
	put_u32(w, c->threads);
	put_u32(w, c->vsmt);
	put_u32(w, c->vcpu_id_bound);
	put_u32(w, c->nr_xirqs);
	put_u32(w, c->nr_ipis);
	put_u32(w, c->nr_ends);
	put_u8(w, (uint8_t)c->plan.xics);
	put_u8(w, (uint8_t)c->plan.xive);
	put_u64(w, c->ram_size);
	end_section(w, at);
}

static void save_machine(struct wstream *w, const spirq_machine *m)
{
	size_t at = begin_section(w, SEC_MACHINE);

	put_u8(w, m->ov5_cas);
	put_u8(w, (uint8_t)(m->active == &spapr_xive_ops ? ACTIVE_XIVE :
			    m->active == &spapr_xics_ops ? ACTIVE_XICS :
							   ACTIVE_NONE));
	put_u8(w, m->xive_was_active);
	put_u8(w, (uint8_t)m->cfg.cpu);
	put_u32(w, m->compat_pvr);
	end_section(w, at);
}

static void save_cpus(struct wstream *w, const spirq_machine *m)
{
	size_t at = begin_section(w, SEC_CPUS);
	unsigned i;

	put_u32(w, m->nr_plugged);
	for (i = 0; i < m->nr_plugged; i++)
		put_u32(w, m->plug_order[i]);
	end_section(w, at);
}

static void save_claims(struct wstream *w, const spirq_machine *m)
{
	size_t at = begin_section(w, SEC_CLAIMS), list = begin_list(w);
	uint32_t irq, n = 0;

	for (irq = SPIRQ_XIRQ_BASE; irq < m->nr_irqs; irq++) {
		irq = (uint32_t)bytes_next_nonzero(m->claims, m->nr_irqs, irq);
		if (irq >= m->nr_irqs)
			break;
		put_u32(w, irq);
		put_u8(w, m->claims[irq]);
		put_u8(w, m->lines[irq]);
		n++;
	}
	patch_u32(w, list, n);
	end_section(w, at);
}

/* The allocator's bitmap as (first position, length) runs. */
static void save_msi(struct wstream *w, const spirq_machine *m)
{
	size_t at = begin_section(w, SEC_MSI), list = begin_list(w);
	uint32_t pos = 0, n = 0;

	/* a step per run, not per bit */
	while (pos < SPIRQ_NR_MSIS) {
		uint32_t start = bitmap_next_set(m->msi_map, SPIRQ_NR_MSIS, pos);

		if (start >= SPIRQ_NR_MSIS)
			break;
		pos = bitmap_next_clear(m->msi_map, SPIRQ_NR_MSIS, start);
		put_u32(w, start);
		put_u32(w, pos - start);
		n++;
	}
	patch_u32(w, list, n);
	end_section(w, at);
}

static void save_ics(struct wstream *w, const spirq_machine *m)
{
	const struct ics *ics = m->ics;
	size_t at = begin_section(w, SEC_ICS), list;
	uint32_t srcno, n = 0;

	put_u32(w, ics->nr_irqs);
	list = begin_list(w);
	/* the others are in reset state */
	bitmap_for_each_set(srcno, ics->live, ics->nr_irqs) {
		const struct ics_irq *irq = &ics->irqs[srcno];

		if (!irq->server && irq->priority == 0xff &&
		    irq->saved_priority == 0xff && !irq->status)
			continue;
		put_u32(w, srcno);
		put_u32(w, irq->server);
		put_u8(w, irq->priority);
		put_u8(w, irq->saved_priority);
		put_u8(w, irq->status);
		n++;
	}
	patch_u32(w, list, n);
	end_section(w, at);
}

static void save_icps(struct wstream *w, const spirq_machine *m)
{
	size_t at = begin_section(w, SEC_ICP), list = begin_list(w);
	uint32_t n = 0;
	unsigned i;

	for (i = 0; i < m->nr_plugged; i++) {
		unsigned cpu = m->plug_order[i];
		const struct icp *icp = m->vcpus[cpu].icp;

		if (!icp->xirr && icp->pending_priority == 0xff &&
		    icp->mfrr == 0xff && !icp->xisr_from_ics)
			continue;
		put_u32(w, cpu);
		put_u32(w, icp->xirr);
		put_u8(w, icp->pending_priority);
		put_u8(w, icp->mfrr);
		put_u8(w, icp->xisr_from_ics);
		n++;
	}
	patch_u32(w, list, n);
	end_section(w, at);
}

static void save_xive_sources(struct wstream *w, const spirq_machine *m)
{
	const struct xive_source *src = &m->xive->source;
	size_t at = begin_section(w, SEC_XIVE_SOURCES), list;
	uint32_t lisn, n = 0;

	put_u32(w, src->nr_irqs);
	list = begin_list(w);
	/* the others are OFF */
	bitmap_for_each_set(lisn, src->live, src->nr_irqs) {
		uint8_t state = xive_source_state(src, lisn);

		if (state == XIVE_ESB_OFF)
			continue;
		put_u32(w, lisn);
		put_u8(w, state);
		n++;
	}
	patch_u32(w, list, n);
	list = begin_list(w);
	n = 0;
	bitmap_for_each_set(lisn, src->lsi_map, src->nr_irqs) {
		put_u32(w, lisn);
		n++;
	}
	patch_u32(w, list, n);
	end_section(w, at);
}

/*
 * The LISNs whose EAS may differ from its default: the IPIs' (whose
 * default is not 0) and the live ones (the others are 0).
 */
static uint32_t next_eas(const struct spapr_xive *xive, uint32_t nr_ipis,
			 uint32_t lisn)
{
	if (lisn < nr_ipis)
		return lisn;
	return bitmap_next_set(xive->source.live, xive->source.nr_irqs, lisn);
}

static void save_xive_eas(struct wstream *w, const spirq_machine *m)
{
	const struct spapr_xive *xive = m->xive;
	size_t at = begin_section(w, SEC_XIVE_EAS), list = begin_list(w);
	uint32_t lisn, n = 0, nr_ipis = m->cfg.nr_ipis;

	for (lisn = next_eas(xive, nr_ipis, 0); lisn < xive->source.nr_irqs;
	     lisn = next_eas(xive, nr_ipis, lisn + 1)) {
		uint64_t word = be64_to_host(xive->eat[lisn].w);

		if (word == eas_default(m, lisn))
			continue;
		put_u32(w, lisn);
		put_u64(w, word);
		n++;
	}
	patch_u32(w, list, n);
	end_section(w, at);
}

static void save_xive_ends(struct wstream *w, const spirq_machine *m)
{
	const struct spapr_xive *xive = m->xive;
	size_t at = begin_section(w, SEC_XIVE_ENDS), list;
	uint32_t idx, n = 0;
	xive_end reset;

	spapr_xive_end_reset(&reset);
	put_u32(w, xive->nr_ends);
	list = begin_list(w);
	for (idx = 0; idx < xive->nr_ends; idx++) {
		const xive_end *end = spapr_xive_end_peek(xive, idx);

		/* missing END groups read as reset ENDs, which are not listed */
		if (!xive->end_groups[idx / XIVE_END_GROUP]) {
			idx += XIVE_END_GROUP - 1 - idx % XIVE_END_GROUP;
			continue;
		}
		if (!memcmp(end, &reset, sizeof(reset)))
			continue;
		put_u32(w, idx);
		put_u32(w, be32_to_host(end->w0));
		put_u32(w, be32_to_host(end->w1));
		put_u32(w, be32_to_host(end->w2));
		put_u32(w, be32_to_host(end->w3));
		put_u32(w, be32_to_host(end->w4));
		put_u32(w, be32_to_host(end->w5));
		put_u32(w, be32_to_host(end->w6));
		put_u32(w, be32_to_host(end->w7));
		n++;
	}
	patch_u32(w, list, n);
	end_section(w, at);
}

static void save_xive_tctx(struct wstream *w, const spirq_machine *m)
{
	size_t at = begin_section(w, SEC_XIVE_TCTX), list = begin_list(w);
	uint32_t n = 0;
	unsigned i;

	for (i = 0; i < m->nr_plugged; i++) {
		unsigned cpu = m->plug_order[i];
		const struct xive_tctx *tctx = m->vcpus[cpu].tctx;
		uint8_t reset[sizeof(tctx->regs)];

		tctx_reset_image(m, cpu, reset);
		if (!memcmp(tctx->regs, reset, sizeof(reset)))
			continue;
		put_u32(w, cpu);
		put_bytes(w, tctx->regs, sizeof(tctx->regs));
		n++;
	}
	patch_u32(w, list, n);
	end_section(w, at);
}

static void save_header(struct wstream *w, const spirq_machine *m)
{
	size_t len = strlen(m->cfg.machine_name);

	put_bytes(w, STREAM_MAGIC, STREAM_MAGIC_LEN);
	put_u16(w, SPIRQ_STREAM_VERSION);
	put_u16(w, stream_has_config(&m->cfg) ? STREAM_FLAG_CONFIG : 0);
	put_u8(w, (uint8_t)len);
	put_bytes(w, m->cfg.machine_name, len);
}

/* Everything but the END section. */
static void save_body(struct wstream *w, const spirq_machine *m)
{
	save_header(w, m);
	if (stream_has_config(&m->cfg))
		save_config(w, m);
	save_machine(w, m);
	save_cpus(w, m);
	save_claims(w, m);
	save_msi(w, m);
	if (m->ics) {
		save_ics(w, m);
		save_icps(w, m);
	}
	if (m->xive) {
		save_xive_sources(w, m);
		save_xive_eas(w, m);
		save_xive_ends(w, m);
		save_xive_tctx(w, m);
	}
}

int spirq_save(spirq_machine *m, void *buf, size_t size, size_t *used)
{
	struct wstream w = { .buf = buf, .size = size };
	uLong crc;

	if (spapr_lock(m, __func__, NULL)) {
		if (used)
			*used = 0;
		return -SPIRQ_ERR_STATE;
	}
	/* the in-kernel backend's state is the kernel's: read it first */
	if (spapr_kvm_sync(m, NULL)) {
		spapr_unlock(m);
		if (used)
			*used = 0;
		return -SPIRQ_ERR_KERNEL;
	}
	save_body(&w, m);
	put_u8(&w, SEC_END);
	put_u32(&w, 4);
	if (buf && w.pos + 4 <= size) {
		crc = crc32(0L, Z_NULL, 0);
		crc = crc32(crc, buf, (uInt)w.pos);
		put_u32(&w, (uint32_t)crc);
	} else {
		put_u32(&w, 0);
	}
	spapr_unlock(m);
	if (used)
		*used = w.pos;
	return buf && w.pos <= size ? 0 : -SPIRQ_ERR_NOSPACE;
}
