// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sPAPR XIVE device: the EAS and END tables with their sPAPR
 * numbering, claims, resets, "info pic", and XIVE as a sPAPR interrupt
 * controller backend.
 *
 * END table sizing (seed 000): one group of 8 ENDs (one per priority) per
 * vCPU slot.  From pseries-6.0 the slots are the dense vCPU indexes, so the
 * table has max_cpus * 8 entries whatever vsmt is; older machine types keep
 * QEMU's slot = vCPU id and size the table by the vCPU-id bound.  Server
 * numbers (vCPU ids) only appear at the guest interface: hcall targets,
 * NVT indexes (0x400 + id), CAM lines.
 *
 * Only the groups of plugged vCPUs are allocated (xive-internal.h): a
 * group is allocated when its vCPU is plugged and freed when it is
 * unplugged, which also resets its ENDs, as an unplug must.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spirq/topology.h>

#include "common/alloc.h"
#include "common/printer.h"
#include "xive/xive-internal.h"

struct spapr_xive *spapr_xive_create(const spirq_config *cfg,
				     size_t *footprint)
{
	struct spapr_xive *xive = spirq__calloc(footprint, 1, sizeof(*xive));

	if (!xive)
		return NULL;
	xive->nr_ends = cfg->nr_ends;
	spapr_xive_end_reset(&xive->end_reset);
	xive->eat = spirq__calloc(footprint, XIVE_NR_IRQS, sizeof(*xive->eat));
	xive->end_groups = spirq__calloc(footprint,
					 xive->nr_ends / XIVE_END_GROUP,
					 sizeof(*xive->end_groups));
	if (!xive->eat || !xive->end_groups ||
	    xive_source_init(&xive->source, XIVE_NR_IRQS, footprint)) {
		spapr_xive_destroy(xive, footprint);
		return NULL;
	}
	return xive;
}

void spapr_xive_destroy(struct spapr_xive *xive, size_t *footprint)
{
	uint32_t g;

	if (!xive)
		return;
	if (xive->source.status)
		xive_source_fini(&xive->source, footprint);
	for (g = 0; xive->end_groups && g < xive->nr_ends / XIVE_END_GROUP; g++)
		spapr_xive_end_group_free(xive, g, footprint);
	spirq__free(footprint, xive->eat, XIVE_NR_IRQS, sizeof(*xive->eat));
	spirq__free(footprint, xive->end_groups,
		    xive->nr_ends / XIVE_END_GROUP, sizeof(*xive->end_groups));
	spirq__free(footprint, xive, 1, sizeof(*xive));
}

int spapr_xive_end_group_alloc(struct spapr_xive *xive, uint32_t group,
			       size_t *footprint)
{
	xive_end *ends;
	unsigned i;

	if (xive->end_groups[group])
		return 0;
	/* cache lines of its own: deliveries to the vCPU write it; the
	 * ENDs' caches after them */
	ends = spirq__calloc_aligned(footprint, XIVE_END_GROUP_UNITS,
				     sizeof(*ends), SPAPR_CACHE_LINE);
	if (!ends)
		return -SPIRQ_ERR_NOMEM;
	for (i = 0; i < XIVE_END_GROUP; i++)	/* caches zeroed: reset */
		spapr_xive_end_reset(&ends[i]);
	xive->end_groups[group] = ends;
	return 0;
}

void spapr_xive_end_group_free(struct spapr_xive *xive, uint32_t group,
			       size_t *footprint)
{
	spirq__free_aligned(footprint, xive->end_groups[group],
			    XIVE_END_GROUP_UNITS, sizeof(xive_end),
			    SPAPR_CACHE_LINE);
	xive->end_groups[group] = NULL;
}

/*
 * Exchange the states of the XIVEs of two machines of one configuration
 * (spapr_machine_swap()), each machine keeping its object, its sizes and
 * its EAS table: the ESB trigger fast path reads them holding no lock
 * (xive-fast.h), so none of them is written, and the table's words are
 * exchanged, each one atomic store -- those live in either machine (an
 * EAS not live is 0).  The rest goes by pointer: nothing reads it
 * without a lock.
 */
void spapr_xive_swap(struct spapr_xive *a, struct spapr_xive *b)
{
	uint32_t w, i;

	for (w = 0; w < BITS_TO_WORDS(a->source.nr_irqs); w++) {
		uint64_t live = a->source.live[w] | b->source.live[w];

		for (; live; live &= live - 1) {
			uint64_t eas;

			i = w * 64 + (uint32_t)__builtin_ctzll(live);
			eas = xive_eas_load(a, i);
			xive_eas_store(a, i, xive_eas_load(b, i));
			xive_eas_store(b, i, eas);
		}
	}
	SPAPR_SWAP(a, b, source.status);
	SPAPR_SWAP(a, b, source.lsi_map);
	SPAPR_SWAP(a, b, source.asserted);
	SPAPR_SWAP(a, b, source.live);
	SPAPR_SWAP(a, b, end_groups);
}

/* A reset END: invalid, ESn and ESe "off" (01). */
void spapr_xive_end_reset(xive_end *end)
{
	memset(end, 0, sizeof(*end));
	end->w1 = host_to_be32(END_W1_ESe_Q | END_W1_ESn_Q);
}

void spapr_xive_reset_tables(spirq_machine *m, bool keep_asserted)
{
	struct spapr_xive *xive = m->xive;
	struct xive_source *src = &xive->source;
	uint32_t i, g;

	/*
	 * Claimed LISNs stay claimed, routed nowhere and masked; every source
	 * OFF, the LSI map (set by claims) kept.  The LISNs not live are so
	 * already.
	 */
	bitmap_for_each_set(i, src->live, src->nr_irqs) {
		xive_eas_store(xive, i, xive_eas_is_valid(&xive->eat[i]) ?
			       host_to_be64(EAS_VALID | EAS_MASKED) : 0);
		*xive_status(src, i) = XIVE_ESB_OFF;
		if (!keep_asserted)
			bitmap_clear(src->asserted, i);
		if (!xive->eat[i].w &&
		    xive_source_state(src, i) == XIVE_ESB_OFF)
			xive_source_clear_live(src, i);
	}
	for (g = 0; g < xive->nr_ends / XIVE_END_GROUP; g++) {
		if (!xive->end_groups[g])
			continue;
		for (i = 0; i < XIVE_END_GROUP; i++)
			spapr_xive_end_reset(&xive->end_groups[g][i]);
		xive_end_caches_clear(xive->end_groups[g]);
	}
}

void spapr_xive_claim_ipis(spirq_machine *m)
{
	uint32_t i;

	for (i = 0; i < m->cfg.nr_ipis; i++) {
		xive_source_mark_live(&m->xive->source, SPIRQ_IRQ_IPI + i);
		xive_eas_store(m->xive, SPIRQ_IRQ_IPI + i,
			       m->xive->eat[SPIRQ_IRQ_IPI + i].w |
			       host_to_be64(EAS_VALID | EAS_MASKED));
	}
}

int64_t spapr_xive_target_to_end(spirq_machine *m, uint64_t target,
				 uint8_t priority)
{
	/* QEMU looks the target up as a 32-bit vCPU id */
	int cpu = spapr_cpu_by_server(m, (uint32_t)target);

	if (cpu < 0)
		return -1;
	return (int64_t)spirq_xive_end_slot(&m->cfg, (unsigned)cpu) * 8 +
	       priority;
}

/* ---- backend --------------------------------------------------------------- */

static int xive_activate(spirq_machine *m)
{
	(void)m;
	return 0;
}

static void xive_deactivate(spirq_machine *m)
{
	(void)m;
}

/*
 * As QEMU: a claim ORs VALID | MASKED into the EAS, keeping whatever
 * routing a previous owner left; a free clears VALID only; the LSI type,
 * once set, stays.
 */
static void xive_claim(spirq_machine *m, uint32_t irq, bool lsi)
{
	xive_source_mark_live(&m->xive->source, irq);
	xive_eas_store(m->xive, irq, m->xive->eat[irq].w |
		       host_to_be64(EAS_VALID | EAS_MASKED));
	if (lsi)
		xive_source_set_lsi(&m->xive->source, irq);
}

static void xive_free(spirq_machine *m, uint32_t irq)
{
	xive_source_mark_live(&m->xive->source, irq);
	xive_eas_store(m->xive, irq,
		       m->xive->eat[irq].w & ~host_to_be64(EAS_VALID));
}

static void xive_set_irq(spirq_machine *m, uint32_t irq, int level)
{
	xive_source_set_irq(m, irq, level);
}

/*
 * The presenter, and the vCPU's END group, in reset state unless a
 * restored stream already gave it one: then its caches, made without
 * this thread context, are made again.
 */
static int xive_cpu_create(spirq_machine *m, unsigned cpu)
{
	struct vcpu_slot *v = &m->vcpus[cpu];
	uint32_t slot = spirq_xive_end_slot(&m->cfg, cpu);

	v->tctx = xive_tctx_create(cpu, &m->footprint);
	if (!v->tctx)
		return -SPIRQ_ERR_NOMEM;
	if (spapr_xive_end_group_alloc(m->xive, slot, &m->footprint)) {
		xive_tctx_destroy(v->tctx, &m->footprint);
		v->tctx = NULL;
		return -SPIRQ_ERR_NOMEM;
	}
	xive_end_caches_clear(m->xive->end_groups[slot]);
	return 0;
}

static void xive_cpu_reset(spirq_machine *m, unsigned cpu)
{
	xive_tctx_reset(m->vcpus[cpu].tctx, m->vcpus[cpu].vcpu_id);
	/* a CPU reset clears its interrupt inputs (QEMU: ppc_irq_reset) */
	spapr_cpu_set_line(m, cpu, 0);
}

/* Freeing the END group resets the vCPU's ENDs (see hotplug.c). */
static void xive_cpu_destroy(spirq_machine *m, unsigned cpu)
{
	xive_tctx_destroy(m->vcpus[cpu].tctx, &m->footprint);
	m->vcpus[cpu].tctx = NULL;
	spapr_xive_end_group_free(m->xive, spirq_xive_end_slot(&m->cfg, cpu),
				  &m->footprint);
}

static void xive_reset(spirq_machine *m)
{
	spapr_xive_reset_tables(m, false);
}

/* " [ e0 e1 e2 e3 e4 ^e5 ]": the 6 entries ending at the write index */
static size_t print_queue(spirq_machine *m, const xive_end *end, char *buf,
			  size_t size)
{
	uint64_t qaddr = xive_end_qaddr(end);
	uint32_t qsize = xive_get_field32(END_W0_QSIZE, end->w0);
	uint32_t qentries = 1u << (qsize + 10);
	uint32_t qindex = xive_get_field32(END_W1_PAGE_OFF, end->w1);
	size_t len = (size_t)snprintf(buf, size, " [ ");
	int i;

	qindex = (qindex - 5) & (qentries - 1);
	for (i = 0; i < 6 && len < size; i++) {
		uint32_t entry;

		if (spapr_read_guest(m, qaddr + ((uint64_t)qindex << 2),
				     &entry, sizeof(entry))) {
			spapr_guest_error(m, GE_QUEUE,
					  "XIVE: failed to read EQ @0x%llx",
					  (unsigned long long)(qaddr + qindex * 4));
			return len;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%08x ",
					i == 5 ? "^" : "",
					be32_to_host(entry));
		qindex = (qindex + 1) & (qentries - 1);
	}
	if (len < size)
		len += (size_t)snprintf(buf + len, size - len, "]");
	return len;
}

static void print_end(spirq_machine *m, const xive_end *end, char *buf,
		      size_t size)
{
	uint32_t nvt = xive_get_field32(END_W6_NVT_INDEX, end->w6);
	uint32_t qsize = xive_get_field32(END_W0_QSIZE, end->w0);
	size_t len;

	len = (size_t)snprintf(buf, size, "%3d/%d % 6d/%5d @%llx ^%d",
			       (int)(nvt - SPIRQ_XIVE_NVT_BASE),
			       (int)xive_get_field32(END_W7_F0_PRIORITY, end->w7),
			       (int)xive_get_field32(END_W1_PAGE_OFF, end->w1),
			       1 << (qsize + 10),
			       (unsigned long long)xive_end_qaddr(end),
			       (int)xive_get_field32(END_W1_GENERATION, end->w1));
	if (len < size)
		print_queue(m, end, buf + len, size - len);
}

static void print_lisn(spirq_machine *m, struct spirq_printer *p,
		       uint32_t lisn)
{
	const struct xive_source *src = &m->xive->source;
	const xive_eas *eas = &m->xive->eat[lisn];
	uint8_t pq = xive_source_pq(src, lisn);
	char tail[160] = "";

	if (!xive_eas_is_masked(eas)) {
		uint32_t idx = (uint32_t)xive_get_field64(EAS_END_INDEX, eas->w);

		if (idx < m->xive->nr_ends &&
		    xive_end_is_valid(spapr_xive_end_peek(m->xive, idx)))
			print_end(m, spapr_xive_end_peek(m->xive, idx), tail,
				  sizeof(tail));
	}
	pr_line(p, "  %08x %s %c%c%c %s %08x %s", lisn,
		xive_source_is_lsi(src, lisn) ? "LSI" : "MSI",
		pq & XIVE_ESB_VAL_P ? 'P' : '-',
		pq & XIVE_ESB_VAL_Q ? 'Q' : '-',
		xive_source_is_asserted(src, lisn) ? 'A' : ' ',
		xive_eas_is_masked(eas) ? "M" : " ",
		(int)xive_get_field64(EAS_END_DATA, eas->w), tail);
}

static void xive_print_info(spirq_machine *m, struct spirq_printer *p)
{
	uint32_t lisn;
	unsigned i;

	for (i = 0; i < m->nr_plugged; i++)
		xive_tctx_print_info(m->vcpus[m->plug_order[i]].tctx, p);
	pr_line(p, "  LISN         PQ    EISN     CPU/PRIO EQ");
	/* a valid EAS is live */
	bitmap_for_each_set(lisn, m->xive->source.live,
			    m->xive->source.nr_irqs)
		if (xive_eas_is_valid(&m->xive->eat[lisn]))
			print_lisn(m, p, lisn);
}

const struct spapr_intc_ops spapr_xive_ops = {
	.name = "xive",
	.activate = xive_activate,
	.deactivate = xive_deactivate,
	.claim = xive_claim,
	.free = xive_free,
	.set_irq = xive_set_irq,
	.cpu_create = xive_cpu_create,
	.cpu_reset = xive_cpu_reset,
	.cpu_destroy = xive_cpu_destroy,
	.reset = xive_reset,
	.print_info = xive_print_info,
};
