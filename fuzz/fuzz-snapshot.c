// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Snapshot and rollback of a fuzz host's machine (see fuzz-common.h).
 *
 * Creating a machine allocates and fills every table (4096 ICS sources,
 * 8192 XIVE sources and EAS entries): under ASan that costs more than
 * most inputs.  The targets instead keep one machine per configuration
 * and, between inputs, copy back the few heap arrays that make up its
 * state -- of the tables, only the entries live now or in the snapshot
 * (the others are in reset state in both).
 *
 * This file is the one place of the fuzz harness that knows the
 * machine's internal layout (src/spapr/spapr-internal.h and the
 * controllers' headers).  When that layout changes, update
 * snap_take()/snap_rollback(); SPIRQ_FUZZ_VERIFY=1 (scripts/fuzz.sh
 * verify, run by the smoke of make check) checks that every input does
 * on a rolled-back machine exactly what it does on a new one.
 *
 * Whole structures are copied back, then their pointers to the arrays
 * put back as they are now: a restore swaps fresh arrays in (the old
 * ones are freed), so the arrays of the snapshot's time may be gone; the
 * arrays' sizes depend on the configuration only.  vCPUs plugged or
 * unplugged since the snapshot are unplugged or plugged again first
 * (their presenters are allocated per vCPU).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "common/bitmap.h"
#include "spapr/irq-internal.h"
#include "spapr/spapr-internal.h"
#include "xics/xics-internal.h"
#include "xive/xive-internal.h"

struct fz_snapshot {
	struct spirq_machine m;
	struct vcpu_slot *vcpus;
	int *hot_lines;			/* [max_cpus], vcpus[].hot->line */
	unsigned *plug_order;
	uint8_t *claims, *lines;
	uint64_t *msi_map;
	struct ics ics;
	struct ics_irq *ics_irqs;	/* the live ones, in order */
	uint64_t *ics_resend, *ics_live;
	struct icp *icps;		/* [max_cpus], the present ones */
	struct spapr_xive xive;
	uint8_t *xsrc_status;		/* the live ones, in order */
	uint64_t *xsrc_lsi_map, *xsrc_live;
	xive_eas *eat;			/* the live ones, in order */
	xive_end *ends;			/* [nr_ends]: missing groups reset */
	bool *had_group;		/* [nr_ends / 8] */
	struct xive_tctx *tctxs;	/* [max_cpus], the present ones */
	/* all the arrays above, in one allocation (snapshot_size) */
	uint8_t *arena;
	size_t used, size;
};

/*
 * The tables' entries that are not live (struct ics.live, struct
 * xive_source.live) are in reset state, in the machine and in the
 * snapshot: only the live ones are copied, compared and rolled back.
 * SPIRQ_FUZZ_VERIFY checks that (fz_snapshot_check_live).
 */
static const struct ics_irq ics_reset_irq = {
	.priority = 0xff, .saved_priority = 0xff,
};

static size_t ics_resend_size(const struct ics *ics)
{
	return BITS_TO_WORDS(ics->nr_irqs) * sizeof(uint64_t);
}

static size_t lsi_map_size(const struct xive_source *s)
{
	return BITS_TO_WORDS(s->nr_irqs) * sizeof(uint64_t);
}

static uint32_t count_bits(const uint64_t *map, uint32_t nbits)
{
	uint32_t w, n = 0;

	for (w = 0; w < nbits / 64; w++)
		n += (uint32_t)__builtin_popcountll(map[w]);
	return n;
}

/* Sizes rounded for alignment, as carve() takes them. */
static size_t aligned(size_t size)
{
	return (size + 15) & ~(size_t)15;
}

/* What the arrays of a snapshot of @m take (one allocation a snapshot:
 * under ASan every allocation records its stack). */
static size_t snapshot_size(const spirq_machine *m)
{
	size_t n = m->cfg.max_cpus, size;

	size = aligned(n * sizeof(*m->vcpus)) + aligned(n * sizeof(int)) +
	       aligned(n * sizeof(*m->plug_order)) +
	       2 * aligned(m->nr_irqs) +
	       aligned(BITS_TO_WORDS(SPIRQ_NR_MSIS) * sizeof(uint64_t)) +
	       aligned(n * sizeof(struct icp)) +
	       aligned(n * sizeof(struct xive_tctx));
	if (m->ics)
		size += aligned((count_bits(m->ics->live, m->ics->nr_irqs) + 1) *
				sizeof(struct ics_irq)) +
			2 * aligned(ics_resend_size(m->ics));
	if (m->xive) {
		const struct spapr_xive *x = m->xive;
		size_t live = count_bits(x->source.live, x->source.nr_irqs) + 1;
		size_t groups = x->nr_ends / XIVE_END_GROUP;

		size += aligned(live) + aligned(live * sizeof(xive_eas)) +
			2 * aligned(lsi_map_size(&x->source)) +
			aligned(x->nr_ends * sizeof(xive_end)) +
			aligned((groups ? groups : 1) * sizeof(bool));
	}
	return size;
}

/* @size zeroed bytes of the snapshot's arena. */
static void *carve(struct fz_snapshot *s, size_t size)
{
	void *p;

	size = aligned(size);
	FZ_ASSERT(s->used + size <= s->size, "snapshot arena: %zu + %zu > %zu",
		  s->used, size, s->size);
	p = s->arena + s->used;
	s->used += size;
	memset(p, 0, size);
	return p;
}

static void *copy_of(struct fz_snapshot *s, const void *p, size_t size)
{
	void *q = carve(s, size);

	memcpy(q, p, size);
	return q;
}

static void take_presenters(struct fz_snapshot *s, const spirq_machine *m)
{
	unsigned cpu, n = m->cfg.max_cpus;

	s->icps = carve(s, n * sizeof(*s->icps));
	s->tctxs = carve(s, n * sizeof(*s->tctxs));
	for (cpu = 0; cpu < n; cpu++) {
		if (m->vcpus[cpu].icp)
			s->icps[cpu] = *m->vcpus[cpu].icp;
		if (m->vcpus[cpu].tctx)
			s->tctxs[cpu] = *m->vcpus[cpu].tctx;
	}
}

static void take_ends(struct fz_snapshot *s, const struct spapr_xive *x)
{
	uint32_t i, groups = x->nr_ends / XIVE_END_GROUP;

	s->ends = carve(s, x->nr_ends * sizeof(*s->ends));
	s->had_group = carve(s, (groups ? groups : 1) * sizeof(*s->had_group));
	for (i = 0; i < x->nr_ends; i++)
		s->ends[i] = *spapr_xive_end_peek(x, i);
	for (i = 0; i < groups; i++)
		s->had_group[i] = x->end_groups[i] != NULL;
}

static struct ics_irq *take_ics_irqs(struct fz_snapshot *s,
				     const struct ics *ics)
{
	struct ics_irq *irqs = carve(s, (count_bits(ics->live, ics->nr_irqs) +
					 1) * sizeof(*irqs));
	uint32_t i, k = 0;

	bitmap_for_each_set(i, ics->live, ics->nr_irqs)
		irqs[k++] = ics->irqs[i];
	return irqs;
}

static void take_xive_sources(struct fz_snapshot *s,
			      const struct spapr_xive *x)
{
	uint32_t n = x->source.nr_irqs, i, k = 0;
	uint32_t live = count_bits(x->source.live, n) + 1;

	s->xsrc_status = carve(s, live);
	s->eat = carve(s, live * sizeof(*s->eat));
	bitmap_for_each_set(i, x->source.live, n) {
		s->xsrc_status[k] = xive_source_state(&x->source, i);
		s->eat[k++] = x->eat[i];
	}
}

struct fz_snapshot *fz_snapshot_take(const spirq_machine *m)
{
	struct fz_snapshot *s = calloc(1, sizeof(*s));
	unsigned n = m->cfg.max_cpus;

	FZ_ASSERT(s, "out of memory");
	s->size = snapshot_size(m);
	s->arena = malloc(s->size);
	FZ_ASSERT(s->arena, "out of memory");
	s->m = *m;
	s->vcpus = copy_of(s, m->vcpus, n * sizeof(*m->vcpus));
	s->hot_lines = carve(s, n * sizeof(*s->hot_lines));
	for (unsigned cpu = 0; cpu < n; cpu++)
		s->hot_lines[cpu] = m->vcpus[cpu].hot->line;
	s->plug_order = copy_of(s, m->plug_order, n * sizeof(*m->plug_order));
	s->claims = copy_of(s, m->claims, m->nr_irqs);
	s->lines = copy_of(s, m->lines, m->nr_irqs);
	s->msi_map = copy_of(s, m->msi_map,
			 BITS_TO_WORDS(SPIRQ_NR_MSIS) * sizeof(uint64_t));
	if (m->ics) {
		s->ics = *m->ics;
		s->ics_irqs = take_ics_irqs(s, m->ics);
		s->ics_resend = copy_of(s, m->ics->resend,
					ics_resend_size(m->ics));
		s->ics_live = copy_of(s, m->ics->live, ics_resend_size(m->ics));
	}
	if (m->xive) {
		const struct spapr_xive *x = m->xive;

		s->xive = *x;
		take_xive_sources(s, x);
		s->xsrc_lsi_map = copy_of(s, x->source.lsi_map,
					  lsi_map_size(&x->source));
		s->xsrc_live = copy_of(s, x->source.live,
				       lsi_map_size(&x->source));
		take_ends(s, x);
	}
	take_presenters(s, m);
	return s;
}

/*
 * A new host for a cached machine: the queue pointers the END caches got
 * from the last host's map_guest designate its RAM, not the new one's.
 * Zeroed caches are made again, through the new host, at first use.
 */
void fz_machine_set_ops(spirq_machine *m, const spirq_host_ops *ops)
{
	struct spapr_xive *xive = m->xive;
	uint32_t g;

	m->ops = *ops;
	if (!xive)
		return;
	for (g = 0; g < xive->nr_ends / XIVE_END_GROUP; g++)
		if (xive->end_groups[g])
			xive_end_caches_clear(xive->end_groups[g]);
}

void fz_snapshot_free(struct fz_snapshot *s)
{
	if (!s)
		return;
	free(s->arena);
	free(s);
}

/*
 * The vCPUs present as they were: their presenters freed or allocated
 * (their contents and everything else are copied back afterwards; an
 * unplug would walk every source for nothing).
 */
static void replug(spirq_machine *m, const struct fz_snapshot *s)
{
	const struct spapr_intc_ops *ops;
	unsigned cpu;
	int i;

	for (cpu = 0; cpu < m->cfg.max_cpus; cpu++) {
		struct vcpu_slot *v = &m->vcpus[cpu];

		if (v->present == s->vcpus[cpu].present)
			continue;
		for_each_intc(m, ops, i) {
			if (v->present)
				ops->cpu_destroy(m, cpu);
			else
				FZ_ASSERT(ops->cpu_create(m, cpu) == 0,
					  "rollback: vCPU %u", cpu);
		}
		v->present = s->vcpus[cpu].present;
	}
}

static void rollback_vcpus(spirq_machine *m, const struct fz_snapshot *s)
{
	unsigned cpu;

	for (cpu = 0; cpu < m->cfg.max_cpus; cpu++) {
		struct vcpu_slot *v = &m->vcpus[cpu];
		struct icp *icp = v->icp;
		struct xive_tctx *tctx = v->tctx;

		/* the hot entries never move: only their lines are state */
		*v = s->vcpus[cpu];
		v->icp = icp;
		v->tctx = tctx;
		v->hot->line = s->hot_lines[cpu];
		if (icp)
			*icp = s->icps[cpu];
		if (tctx)
			*tctx = s->tctxs[cpu];
	}
	memcpy(m->plug_order, s->plug_order,
	       m->cfg.max_cpus * sizeof(*m->plug_order));
}

/*
 * The entries live now or then, a word of both bitmaps a step (@nbits a
 * multiple of 64): the others are in reset state in both.
 */
#define for_each_live(i, now, then, nbits)                                   \
	for (uint32_t w_ = 0; w_ < (nbits) / 64; w_++)                       \
		for (uint64_t b_ = (now)[w_] | (then)[w_];                     \
		     b_ && ((i) = w_ * 64 + (uint32_t)__builtin_ctzll(b_), 1); \
		     b_ &= b_ - 1)

static void rollback_ics(struct ics *ics, const struct fz_snapshot *s)
{
	struct ics now = *ics;
	uint32_t i, k = 0;

	*ics = s->ics;
	ics->irqs = now.irqs;
	ics->resend = now.resend;
	ics->live = now.live;
	for_each_live(i, ics->live, s->ics_live, ics->nr_irqs)
		ics->irqs[i] = bitmap_test(s->ics_live, i) ? s->ics_irqs[k++] :
							    ics_reset_irq;
	memcpy(ics->resend, s->ics_resend, ics_resend_size(ics));
	memcpy(ics->live, s->ics_live, ics_resend_size(ics));
}

/* The END groups the snapshot had, with their contents; no others. */
static void rollback_ends(struct spapr_xive *x, const struct fz_snapshot *s,
			  size_t *footprint)
{
	uint32_t g, i, groups = x->nr_ends / XIVE_END_GROUP;

	for (g = 0; g < groups; g++) {
		if (!s->had_group[g]) {
			spapr_xive_end_group_free(x, g, footprint);
			continue;
		}
		FZ_ASSERT(spapr_xive_end_group_alloc(x, g, footprint) == 0,
			  "rollback: END group %u", g);
		for (i = 0; i < XIVE_END_GROUP; i++)
			*spapr_xive_end(x, g * XIVE_END_GROUP + i) =
				s->ends[g * XIVE_END_GROUP + i];
		xive_end_caches_clear(x->end_groups[g]);
	}
}

static void rollback_xive(struct spapr_xive *x, const struct fz_snapshot *s,
			  size_t *footprint)
{
	struct spapr_xive now = *x;
	uint32_t n = x->source.nr_irqs, i, k = 0;

	*x = s->xive;
	x->source.status = now.source.status;
	x->source.lsi_map = now.source.lsi_map;
	x->source.asserted = now.source.asserted;
	x->source.live = now.source.live;
	x->eat = now.eat;
	x->end_groups = now.end_groups;
	for_each_live(i, x->source.live, s->xsrc_live, n) {
		bool was = bitmap_test(s->xsrc_live, i);

		xive_source_set_state(&x->source, i, was ? s->xsrc_status[k] :
							   XIVE_ESB_OFF);
		xive_eas_store(x, i, was ? s->eat[k].w : 0);
		k += was;
	}
	memcpy(x->source.lsi_map, s->xsrc_lsi_map, lsi_map_size(&x->source));
	memcpy(x->source.live, s->xsrc_live, lsi_map_size(&x->source));
	rollback_ends(x, s, footprint);
}

void fz_snapshot_rollback(spirq_machine *m, const struct fz_snapshot *s)
{
	struct spirq_machine now;

	replug(m, s);
	now = *m;
	/*
	 * Scalars as they were; arrays where they are now; the locks and the
	 * allocation count (which the replug kept right) as they are.
	 */
	*m = s->m;
	m->sources_lock = now.sources_lock;
	m->hot_area = now.hot_area;
	m->exclusive = now.exclusive;
	m->held_cpu = now.held_cpu;
	m->footprint = now.footprint;
	m->vcpus = now.vcpus;
	m->plug_order = now.plug_order;
	m->claims = now.claims;
	m->lines = now.lines;
	m->msi_map = now.msi_map;
	m->ics = now.ics;
	m->xive = now.xive;
	rollback_vcpus(m, s);
	memcpy(m->claims, s->claims, m->nr_irqs);
	memcpy(m->lines, s->lines, m->nr_irqs);
	memcpy(m->msi_map, s->msi_map,
	       BITS_TO_WORDS(SPIRQ_NR_MSIS) * sizeof(uint64_t));
	if (m->ics)
		rollback_ics(m->ics, s);
	if (m->xive)
		rollback_xive(m->xive, s, &m->footprint);
	spapr_refresh_fast(m);
}

static bool same_bytes(const void *a, const void *b, size_t size)
{
	return !memcmp(a, b, size);
}

/* The scalars of two machines (their pointers and lock left out). */
static bool same_scalars(const spirq_machine *m, const struct fz_snapshot *s)
{
	struct spirq_machine a = *m, b = s->m;

	memset(&a.sources_lock, 0, sizeof(a.sources_lock));
	memset(&b.sources_lock, 0, sizeof(b.sources_lock));
	a.hot_area = b.hot_area = NULL;
	a.vcpus = b.vcpus = NULL;
	a.plug_order = b.plug_order = NULL;
	a.claims = b.claims = NULL;
	a.lines = b.lines = NULL;
	a.msi_map = b.msi_map = NULL;
	a.ics = b.ics = NULL;
	a.xive = b.xive = NULL;
	return same_bytes(&a, &b, sizeof(a));
}

static bool same_vcpus(const spirq_machine *m, const struct fz_snapshot *s)
{
	unsigned cpu;

	for (cpu = 0; cpu < m->cfg.max_cpus; cpu++) {
		const struct vcpu_slot *v = &m->vcpus[cpu], *w = &s->vcpus[cpu];

		if (v->present != w->present || v->vcpu_id != w->vcpu_id ||
		    v->hot->line != s->hot_lines[cpu] || !v->icp != !w->icp ||
		    !v->tctx != !w->tctx)
			return false;
		if (v->icp && !same_bytes(v->icp, &s->icps[cpu],
					  sizeof(*v->icp)))
			return false;
		if (v->tctx && !same_bytes(v->tctx, &s->tctxs[cpu],
					   sizeof(*v->tctx)))
			return false;
	}
	return same_bytes(m->plug_order, s->plug_order,
			  m->cfg.max_cpus * sizeof(*m->plug_order));
}

static bool same_ics_irqs(const struct ics *ics, const struct fz_snapshot *s)
{
	uint32_t i, k = 0;

	/* called once the live bitmaps are known to be the same */
	bitmap_for_each_set(i, ics->live, ics->nr_irqs)
		if (!same_bytes(&ics->irqs[i], &s->ics_irqs[k++],
				sizeof(ics->irqs[i])))
			return false;
	return true;
}

static bool same_ics(const struct ics *ics, const struct fz_snapshot *s)
{
	return ics->offset == s->ics.offset && ics->nr_irqs == s->ics.nr_irqs &&
	       ics->resend_words == s->ics.resend_words &&
	       same_bytes(ics->live, s->ics_live, ics_resend_size(ics)) &&
	       same_ics_irqs(ics, s) &&
	       same_bytes(ics->resend, s->ics_resend, ics_resend_size(ics));
}

static bool same_ends(const struct spapr_xive *x, const struct fz_snapshot *s)
{
	uint32_t i;

	for (i = 0; i < x->nr_ends / XIVE_END_GROUP; i++)
		if ((x->end_groups[i] != NULL) != s->had_group[i])
			return false;
	for (i = 0; i < x->nr_ends; i++)
		if (!same_bytes(spapr_xive_end_peek(x, i), &s->ends[i],
				sizeof(s->ends[i])))
			return false;
	return true;
}

static bool same_xive_sources(const struct spapr_xive *x,
			      const struct fz_snapshot *s)
{
	uint32_t i, k = 0;

	/* called once the live bitmaps are known to be the same */
	bitmap_for_each_set(i, x->source.live, x->source.nr_irqs) {
		if (xive_source_state(&x->source, i) != s->xsrc_status[k] ||
		    x->eat[i].w != s->eat[k].w)
			return false;
		k++;
	}
	return true;
}

static bool same_xive(const struct spapr_xive *x, const struct fz_snapshot *s)
{
	return x->nr_ends == s->xive.nr_ends &&
	       x->source.nr_irqs == s->xive.source.nr_irqs &&
	       same_bytes(x->source.live, s->xsrc_live,
			  lsi_map_size(&x->source)) &&
	       same_xive_sources(x, s) &&
	       same_bytes(x->source.lsi_map, s->xsrc_lsi_map,
			  lsi_map_size(&x->source)) &&
	       same_ends(x, s);
}

/* Not live: in reset state (the invariant the sparse copies rely on). */
bool fz_snapshot_check_live(const spirq_machine *m)
{
	uint32_t i;

	for (i = 0; m->ics && i < m->ics->nr_irqs; i++)
		if (!bitmap_test(m->ics->live, i) &&
		    !same_bytes(&m->ics->irqs[i], &ics_reset_irq,
				sizeof(ics_reset_irq)))
			return false;
	for (i = 0; m->xive && i < m->xive->source.nr_irqs; i++)
		if (!bitmap_test(m->xive->source.live, i) &&
		    (xive_source_state(&m->xive->source, i) != XIVE_ESB_OFF ||
		     m->xive->eat[i].w))
			return false;
	return true;
}

bool fz_snapshot_same(const spirq_machine *m, const struct fz_snapshot *s)
{
	return same_scalars(m, s) && same_vcpus(m, s) &&
	       same_bytes(m->claims, s->claims, m->nr_irqs) &&
	       same_bytes(m->lines, s->lines, m->nr_irqs) &&
	       same_bytes(m->msi_map, s->msi_map,
			  BITS_TO_WORDS(SPIRQ_NR_MSIS) * sizeof(uint64_t)) &&
	       (!m->ics || same_ics(m->ics, s)) &&
	       (!m->xive || same_xive(m->xive, s));
}
