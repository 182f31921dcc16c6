/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * XIVE exploitation mode for sPAPR guests, as QEMU 7.2 emulates it.
 *
 *   device line / ESB store          router                    presenter
 *   +-----------------------+   +-------------------+   +---------------------+
 *   | source (ESB)          |   | EAS[lisn]         |   | thread context of   |
 *   |  PQ state machine     |-->|  -> END[index]    |-->| the END's NVT:      |
 *   |  trigger page, mgmt   |   |  enqueue to the   |   |  IPB |= prio, PIPR, |
 *   |  page (EOI, SET_PQ)   |   |  EQ in guest RAM  |   |  NSR.EO, line       |
 *   +-----------------------+   +-------------------+   +---------------------+
 *        xive-source.c              xive-router.c            xive-tctx.c
 *
 * sPAPR numbering (src/xive/spapr-xive.c): LISN 0 .. nr_irqs-1 (IPIs below
 * 0x1000), END index = slot * 8 + priority (slot: see spirq_xive_end_slot),
 * NVT index = 0x400 + vCPU id, block 0 everywhere.  The guest reaches only
 * the OS and USER pages of the TIMA.
 */
#ifndef SPIRQ_XIVE_INTERNAL_H
#define SPIRQ_XIVE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "spapr/spapr-internal.h"
#include <spirq/topology.h>

#include "common/bitmap.h"
#include "xive/xive-regs.h"

/*
 * A source's state as one byte (xive_source_state(), what the migration
 * stream carries): PQ in bits 0-1, LSI line level in bit 2.  Stored
 * apart: the PQ bits in the status bytes, the levels in a bitmap.
 */
#define XIVE_STATUS_ASSERTED	0x4

#define XIVE_NR_IRQS		SPIRQ_XIVE_NR_SOURCES
#define XIVE_HV_PRIO		7	/* reserved for the hypervisor */
#define XIVE_BLOCK_ID		0

/* MMIO layout */
#define XIVE_ESB_PAGE_SIZE	(1ull << SPIRQ_XIVE_ESB_PAGE_SHIFT)
#define XIVE_END_BASE(nr_irqs)	(SPIRQ_XIVE_VC_BASE + \
				 ((uint64_t)(nr_irqs) << SPIRQ_XIVE_ESB_SHIFT))

struct xive_source {
	uint32_t nr_irqs;
	uint8_t *status;	/* [nr_irqs]: PQ, see xive_status() */
	uint64_t *lsi_map;	/* bitmap: level-sensitive sources */
	uint64_t *asserted;	/* bitmap: LSI levels high */
	/*
	 * Bitmap: the LISNs whose state may differ from OFF or whose EAS
	 * (struct spapr_xive) may differ from 0.  Set on every change of
	 * either, cleared by a reset that leaves both so: the resets, saves,
	 * unplugs and "info pic" visit only these.
	 */
	uint64_t *live;
};

struct xive_tctx {
	uint8_t regs[TM_RING_COUNT * TM_RING_SIZE];
	unsigned cpu;		/* cpu_index */
};

/* The 8 ENDs (one per priority) of a vCPU slot. */
#define XIVE_END_GROUP		8

/*
 * What the delivery paths need of an END, worked out once from its
 * configuration words and kept in host order: the queue's index mask,
 * the host pointer to the queue when the host maps guest RAM
 * (spirq_host_ops.map_guest; NULL: through write_guest) and, when the
 * fast paths may deliver there, the thread context to notify and the IPB
 * bit of the END's priority (see xive_end_cache_build()).
 *
 * Zeroed, it is not made: the full way makes it at the END's next event
 * (the fast paths then miss once).  Whatever changes an END's
 * configuration words (w0, w2-w3, w6-w7) -- the hcalls, the resets, a
 * restore -- forgets its cache (xive_end_cache_forget()), and what it
 * takes from outside the END, the thread context of the END's vCPU,
 * lives as long as the END's group (a plug finding the group there
 * forgets its caches).  One per END, stored after its group's 8 ENDs,
 * and changed, like the queue index, under the END vCPU's lock (or the
 * exclusive lock).
 */
struct xive_end_cache {
	uint32_t *host;
	struct xive_tctx *tctx;	/* fast: the END's vCPU's */
	uint32_t qmask;		/* queue index mask, 2^(qsize + 10) - 1;
				 * 0: not made */
	uint8_t ipb;		/* fast: its priority's IPB bit, else 0 */
};

/* A group's allocation, in ENDs: its 8 ENDs, then their caches. */
#define XIVE_END_GROUP_UNITS	(2 * XIVE_END_GROUP)

/*
 * The END table is allocated by groups: a slot's group exists while its
 * vCPU is plugged (or a restored stream gave one of its ENDs a state),
 * and a missing group's ENDs are reset ENDs.  So the memory follows the
 * plugged vCPUs, not max_cpus; what the guest and the migration stream
 * see is the full table of nr_ends entries.
 */
struct spapr_xive {
	struct xive_source source;
	xive_eas *eat;		/* [source.nr_irqs] */
	xive_end **end_groups;	/* [nr_ends / 8], NULL: all 8 in reset state */
	uint32_t nr_ends;
	xive_end end_reset;	/* what the ENDs of a missing group read as */
};

/*
 * The status byte of source @lisn (< nr_irqs).  The IPIs' (LISN below
 * 0x1000: one per vCPU id) are stored transposed, consecutive LISNs 64
 * bytes apart, so that vCPUs sending each other IPIs do not all write one
 * cache line: two IPIs share a line only when their LISNs differ by a
 * multiple of 64.  The devices' sources keep their place.  Every access
 * goes through here; whole-array walks (reset, copies) need not.
 */
#define XIVE_IPI_SPREAD		0x1000u		/* 64 x 64 bytes */

static inline uint8_t *xive_status(const struct xive_source *src,
				   uint32_t lisn)
{
	/* (x * 0x1001) >> 6 rotates the 12 bits of x by 6: the transpose */
	return &src->status[lisn < XIVE_IPI_SPREAD ?
			    (lisn * 0x1001u >> 6) % XIVE_IPI_SPREAD : lisn];
}

/*
 * The EAS of @lisn, one atomic word.  It changes under the sources lock
 * (H_INT_SET_SOURCE_CONFIG) or the exclusive lock, always by an atomic
 * store: the ESB trigger fast path reads it holding no lock (then again
 * under the END vCPU's, src/xive/xive-fast.h).  One load sees one route,
 * the old or the new, either of which is right for a racing trigger.
 * Both values big-endian, as stored.
 */
static inline uint64_t xive_eas_load(const struct spapr_xive *xive,
				     uint32_t lisn)
{
	return __atomic_load_n(&xive->eat[lisn].w, __ATOMIC_RELAXED);
}

static inline void xive_eas_store(struct spapr_xive *xive, uint32_t lisn,
				  uint64_t w)
{
	__atomic_store_n(&xive->eat[lisn].w, w, __ATOMIC_RELAXED);
}

/* ---- PQ transitions --------------------------------------------------------
 *
 * A source's status byte (its PQ bits, nothing else) is changed by the
 * sources lock's holder and by the ESB fast paths, which hold only a
 * vCPU's lock (src/xive/xive-fast.h): every change is one atomic
 * compare-and-swap or exchange of the byte.  (Under the exclusive lock --
 * reset, restore, save -- plain accesses are enough: no fast path runs.)
 */
static inline uint8_t xive_status_load(const uint8_t *status)
{
	return __atomic_load_n(status, __ATOMIC_RELAXED);
}

static inline bool xive_status_cas(uint8_t *status, uint8_t *old,
				   uint8_t new_status)
{
	return __atomic_compare_exchange_n(status, old, new_status, false,
					   __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/* The PQ a trigger leaves, from @pq; whether it forwards the event. */
static inline uint8_t xive_pq_after_trigger(uint8_t pq, bool *forward)
{
	*forward = pq == XIVE_ESB_RESET;
	if (pq == XIVE_ESB_RESET)
		return XIVE_ESB_PENDING;
	return pq == XIVE_ESB_OFF ? XIVE_ESB_OFF : XIVE_ESB_QUEUED;
}

/* The PQ an EOI leaves, from @pq; whether it forwards the event. */
static inline uint8_t xive_pq_after_eoi(uint8_t pq, bool *forward)
{
	*forward = pq == XIVE_ESB_QUEUED;
	if (pq == XIVE_ESB_PENDING)
		return XIVE_ESB_RESET;
	return pq == XIVE_ESB_QUEUED ? XIVE_ESB_PENDING : pq;
}

/*
 * A trigger's PQ transition on *@status, atomically: returns whether it
 * forwards the event.  The plain case (RESET to PENDING) is one
 * compare-and-swap.
 */
static inline __attribute__((always_inline))
bool xive_status_trigger(uint8_t *status)
{
	uint8_t old = XIVE_ESB_RESET, pq;
	bool forward;

	if (__builtin_expect(xive_status_cas(status, &old, XIVE_ESB_PENDING),
			     1))
		return true;
	do
		pq = xive_pq_after_trigger(old, &forward);
	while (!xive_status_cas(status, &old, pq));
	return forward;
}

/* PQ := @pq (0..3), atomically; returns the old PQ (SET_PQ_xx). */
static inline uint8_t xive_status_set_pq(uint8_t *status, uint8_t pq)
{
	return __atomic_exchange_n(status, pq, __ATOMIC_RELAXED);
}

/* ---- source (xive-source.c) ---------------------------------------------- */

/* @footprint: the owning machine's allocation count (common/alloc.h) */
int xive_source_init(struct xive_source *src, uint32_t nr_irqs,
		     size_t *footprint);
void xive_source_fini(struct xive_source *src, size_t *footprint);

/*
 * @lisn's state or EAS is about to change (see struct xive_source.live).
 * Atomic: the ESB fast paths (src/spapr/calls.c) change the set under a
 * vCPU's lock only.
 */
static inline void xive_source_mark_live(struct xive_source *src,
					 uint32_t lisn)
{
	uint64_t *word = &src->live[lisn / 64], bit = 1ull << (lisn % 64);

	if (!(__atomic_load_n(word, __ATOMIC_RELAXED) & bit))
		__atomic_fetch_or(word, bit, __ATOMIC_RELAXED);
}

/* Back in its pristine state (a reset, under the exclusive lock). */
static inline void xive_source_clear_live(struct xive_source *src,
					  uint32_t lisn)
{
	__atomic_fetch_and(&src->live[lisn / 64], ~(1ull << (lisn % 64)),
			   __ATOMIC_RELAXED);
}

/* Is @srcno level-sensitive?  Inline: the ESB fast path asks too. */
static inline bool xive_source_is_lsi(const struct xive_source *src,
				      uint32_t srcno)
{
	return bitmap_test(src->lsi_map, srcno);
}

void xive_source_set_lsi(struct xive_source *src, uint32_t srcno);
uint8_t xive_source_pq(const struct xive_source *src, uint32_t srcno);
bool xive_source_is_asserted(const struct xive_source *src, uint32_t srcno);
void xive_source_set_asserted(struct xive_source *src, uint32_t srcno,
			      bool asserted);
/* @srcno's state as one byte (XIVE_STATUS_ASSERTED), and back (the
 * exclusive lock held; @srcno then live). */
uint8_t xive_source_state(const struct xive_source *src, uint32_t srcno);
void xive_source_set_state(struct xive_source *src, uint32_t srcno,
			   uint8_t state);
void xive_source_set_irq(spirq_machine *m, uint32_t srcno, int level);
/* One 8-byte access to the management page of @srcno (@op: offset 0..0xfff). */
uint64_t xive_source_mgmt_load(spirq_machine *m, uint32_t srcno, uint32_t op);
void xive_source_mgmt_store(spirq_machine *m, uint32_t srcno, uint32_t op);
/* Guest MMIO on the ESB region (offset from SPIRQ_XIVE_VC_BASE). */
uint64_t xive_source_esb_read(spirq_machine *m, uint64_t offset,
			      unsigned size);
void xive_source_esb_write(spirq_machine *m, uint64_t offset, unsigned size);

/* ---- router (xive-router.c) ----------------------------------------------- */

_Static_assert(sizeof(struct xive_end_cache) <= sizeof(xive_end),
	       "an END's cache fits one END slot");

/*
 * The cache of END @end: END i of a group is followed, 8 ENDs later, by
 * cache i, so every END's cache is 8 slots after it.
 */
static inline struct xive_end_cache *xive_end_cache(xive_end *end)
{
	return (struct xive_end_cache *)(end + XIVE_END_GROUP);
}

/* END @end has new configuration words: made again when used. */
static inline void xive_end_cache_forget(xive_end *end)
{
	memset(xive_end_cache(end), 0, sizeof(struct xive_end_cache));
}

/* Every cache of @group forgotten. */
static inline void xive_end_caches_clear(xive_end *group)
{
	uint32_t i;

	for (i = 0; i < XIVE_END_GROUP; i++)
		xive_end_cache_forget(&group[i]);
}

/* Make @c for the words of @end, END @idx (out of line: it happens
 * once per configuration, not per event). */
void xive_end_cache_build(spirq_machine *m, const xive_end *end,
			  uint32_t idx, struct xive_end_cache *c);

/* The cache of END @idx at @end, made if it is not. */
static inline const struct xive_end_cache *
xive_end_cache_get(spirq_machine *m, xive_end *end, uint32_t idx)
{
	struct xive_end_cache *c = xive_end_cache(end);

	if (__builtin_expect(!c->qmask, 0))
		xive_end_cache_build(m, end, idx, c);
	return c;
}

/*
 * END w1 (host order) after an event written at its queue index: the
 * next index, the generation flipped on a wrap.  (The index is below the
 * queue's size, which the hcalls and restore check: qmask, at most
 * END_W1_PAGE_OFF, is reached only at the last entry.)
 */
static inline uint32_t xive_end_w1_next(uint32_t w1, uint32_t qmask)
{
	if (__builtin_expect((w1 & END_W1_PAGE_OFF) == qmask, 0))
		return (w1 & ~END_W1_PAGE_OFF) ^ END_W1_GENERATION;
	return w1 + 1;
}

/* The queue entry of EISN @data at generation bit of @w1 (host order). */
static inline uint32_t xive_end_entry(uint32_t w1, uint32_t data)
{
	_Static_assert(END_W1_GENERATION << 9 == 0x80000000u,
		       "the generation is bit 0 of an entry");
	return host_to_be32((w1 & END_W1_GENERATION) << 9 |
			    (data & EQ_ENTRY_DATA));
}

/*
 * Write one event to the END's queue (generation << 31 | EISN), then
 * advance its index, flipping the generation on wrap; the END's vCPU
 * lock held (spapr_xive_end_cpu); @c its cache, whose queue the host
 * maps (c->host).  Both the router and the ESB fast paths write so;
 * without a mapping the router writes through write_guest
 * (xive-router.c).
 */
static inline void xive_end_push(xive_end *end,
				 const struct xive_end_cache *c,
				 uint32_t data)
{
	/* w1 in host order: its index and generation move together */
	uint32_t w1 = be32_to_host(end->w1);

	/* the guest may be reading it: one aligned store */
	__atomic_store_n(&c->host[w1 & END_W1_PAGE_OFF],
			 xive_end_entry(w1, data), __ATOMIC_RELAXED);
	end->w1 = host_to_be32(xive_end_w1_next(w1, c->qmask));
}

void xive_router_notify(spirq_machine *m, uint32_t lisn);

/* ---- thread context and TIMA (xive-tctx.c) -------------------------------- */

struct xive_tctx *xive_tctx_create(unsigned cpu, size_t *footprint);
void xive_tctx_destroy(struct xive_tctx *tctx, size_t *footprint);
void xive_tctx_reset(struct xive_tctx *tctx, uint32_t vcpu_id);
/*
 * The thread context operations every interrupt makes, inline for the
 * fast paths, with the vCPU's lock held.  Those named *_hot take the
 * vCPU's hot entry (its line), which the fast paths have at hand.
 */

/* If PIPR < CPPR, set NSR.EO and raise the line. */
static inline void xive_tctx_notify_hot(spirq_machine *m,
					struct vcpu_hot *hot,
					struct xive_tctx *tctx, uint8_t ring)
{
	uint8_t *regs = &tctx->regs[ring];

	if (regs[TM_PIPR] < regs[TM_CPPR]) {
		regs[TM_NSR] |= TM_QW1_NSR_EO;
		spapr_hot_set_line(m, hot, tctx->cpu, 1);
	}
}

static inline void xive_tctx_notify(spirq_machine *m, struct xive_tctx *tctx,
				    uint8_t ring)
{
	xive_tctx_notify_hot(m, m->vcpus[tctx->cpu].hot, tctx, ring);
}

/* A priority becomes pending: IPB, PIPR, notify. */
static inline void xive_tctx_ipb_update_hot(spirq_machine *m,
					    struct vcpu_hot *hot,
					    struct xive_tctx *tctx,
					    uint8_t ring, uint8_t ipb)
{
	uint8_t *regs = &tctx->regs[ring];

	regs[TM_IPB] |= ipb;
	regs[TM_PIPR] = xive_ipb_to_pipr(regs[TM_IPB]);
	xive_tctx_notify_hot(m, hot, tctx, ring);
}

static inline void xive_tctx_ipb_update(spirq_machine *m,
					struct xive_tctx *tctx, uint8_t ring,
					uint8_t ipb)
{
	xive_tctx_ipb_update_hot(m, m->vcpus[tctx->cpu].hot, tctx, ring, ipb);
}
/* A CPPR store: values above 7 become 0xff, then notify. */
static inline void xive_tctx_set_cppr_hot(spirq_machine *m,
					  struct vcpu_hot *hot,
					  struct xive_tctx *tctx,
					  uint8_t ring, uint8_t cppr)
{
	if (cppr > XIVE_PRIORITY_MAX)
		cppr = 0xff;
	tctx->regs[ring + TM_CPPR] = cppr;
	xive_tctx_notify_hot(m, hot, tctx, ring);
}

static inline void xive_tctx_set_cppr(spirq_machine *m, struct xive_tctx *tctx,
				      uint8_t ring, uint8_t cppr)
{
	xive_tctx_set_cppr_hot(m, m->vcpus[tctx->cpu].hot, tctx, ring, cppr);
}

/*
 * ACK of the ring at @regs, its registers only: if NSR.EO, CPPR := PIPR
 * and that IPB bit cleared; returns the old NSR << 8 | CPPR.
 */
static inline uint16_t xive_ring_accept(uint8_t *regs)
{
	uint8_t nsr = regs[TM_NSR], cppr = regs[TM_CPPR];

	if (nsr & TM_QW1_NSR_EO) {
		uint8_t ipb;

		cppr = regs[TM_PIPR];
		ipb = regs[TM_IPB] & (uint8_t)~xive_priority_to_ipb(cppr);
		regs[TM_CPPR] = cppr;
		regs[TM_IPB] = ipb;
		regs[TM_PIPR] = xive_ipb_to_pipr(ipb);
		regs[TM_NSR] = nsr & (uint8_t)~TM_QW1_NSR_EO;
	}
	return (uint16_t)(nsr << 8 | cppr);
}

/*
 * ACK: the ring's registers (xive_ring_accept()), and the line lowered
 * (QEMU lowers it first: the same under the vCPU's lock).
 */
static inline uint16_t xive_tctx_accept(spirq_machine *m,
					struct xive_tctx *tctx, uint8_t ring)
{
	uint16_t ack = xive_ring_accept(&tctx->regs[ring]);

	spapr_cpu_set_line(m, tctx->cpu, 0);
	return ack;
}

/* OS ACK and OS CPPR store, what the TIMA fast paths do (vCPU lock held). */
uint16_t xive_tctx_ack_os(spirq_machine *m, struct xive_tctx *tctx);
void xive_tctx_set_os_cppr(spirq_machine *m, struct xive_tctx *tctx,
			   uint8_t cppr);
uint64_t xive_tctx_tm_read(spirq_machine *m, struct xive_tctx *tctx,
			   uint64_t offset, unsigned size);
void xive_tctx_tm_write(spirq_machine *m, struct xive_tctx *tctx,
			uint64_t offset, unsigned size, uint64_t value);
void xive_tctx_print_info(const struct xive_tctx *tctx,
			  struct spirq_printer *p);

/* ---- sPAPR device (spapr-xive.c) ------------------------------------------ */

struct spapr_xive *spapr_xive_create(const spirq_config *cfg,
				     size_t *footprint);
void spapr_xive_destroy(struct spapr_xive *xive, size_t *footprint);
void spapr_xive_claim_ipis(spirq_machine *m);
/* Machine-reset state of the tables: EAS masked, ENDs reset, PQ 01. */
void spapr_xive_reset_tables(spirq_machine *m, bool keep_asserted);
void spapr_xive_end_reset(xive_end *end);
void spapr_xive_swap(struct spapr_xive *a, struct spapr_xive *b);

/* END @idx (< nr_ends) to read: a reset END when its group is missing. */
static inline const xive_end *spapr_xive_end_peek(const struct spapr_xive *xive,
						  uint32_t idx)
{
	const xive_end *group = xive->end_groups[idx / XIVE_END_GROUP];

	return group ? &group[idx % XIVE_END_GROUP] : &xive->end_reset;
}

/* END @idx (< nr_ends) to change, or NULL when its group is missing. */
static inline xive_end *spapr_xive_end(struct spapr_xive *xive, uint32_t idx)
{
	xive_end *group = xive->end_groups[idx / XIVE_END_GROUP];

	return group ? &group[idx % XIVE_END_GROUP] : NULL;
}

/*
 * The vCPU whose lock guards END @idx (< nr_ends) besides the sources
 * lock: the vCPU of its END slot, or -1 when no vCPU has that slot (the
 * sources lock alone then guards it: no fast path reaches it).
 */
static inline int spapr_xive_end_cpu(const spirq_machine *m, uint32_t idx)
{
	uint32_t slot = idx / XIVE_END_GROUP;

	if (m->cfg.xive_by_max_cpus)
		return slot < m->cfg.max_cpus ? (int)slot : -1;
	return spapr_cpu_index(m, slot);
}

/*
 * The hot entry of the vCPU whose lock guards END group @group
 * (spapr_xive_end_cpu()) in *@hot; false when no vCPU has that slot.
 * The fast paths' form: one test for the machine types that number END
 * slots by cpu_index.
 */
static inline bool spapr_xive_group_hot(const spirq_machine *m,
					uint32_t group, struct vcpu_hot **hot)
{
	int cpu;

	if (__builtin_expect(m->cfg.xive_by_max_cpus, 1)) {
		if (group >= m->cfg.max_cpus)
			return false;
		*hot = m->vcpus[group].hot;
		return true;
	}
	cpu = spapr_cpu_index(m, group);
	if (cpu < 0)
		return false;
	*hot = m->vcpus[cpu].hot;
	return true;
}

/* Give END group @group (< nr_ends / 8) memory, in reset state if it had
 * none.  returns: 0 or -SPIRQ_ERR_NOMEM */
int spapr_xive_end_group_alloc(struct spapr_xive *xive, uint32_t group,
			       size_t *footprint);
/* Free END group @group: its ENDs read as reset ENDs again. */
void spapr_xive_end_group_free(struct spapr_xive *xive, uint32_t group,
			       size_t *footprint);
/* END index of (vCPU, priority), or -1 if the target is not plugged. */
int64_t spapr_xive_target_to_end(spirq_machine *m, uint64_t target,
				 uint8_t priority);

/* ---- hcalls (spapr-xive-hcall.c) ----------------------------------------- */

int64_t spapr_xive_hcall(spirq_machine *m, unsigned cpu, uint64_t opcode,
			 const uint64_t *args, uint64_t *rets,
			 unsigned *nrets);

#endif /* SPIRQ_XIVE_INTERNAL_H */
