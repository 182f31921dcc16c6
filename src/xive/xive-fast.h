/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The XIVE fast paths: what a guest and its devices do at every
 * interrupt, inlined into the entry points (spirq_mmio_load/store,
 * spirq_set_irq) with no argument marshalling and no call kept across.
 *
 *   TIMA OS ACK, OS CPPR store    the accessing vCPU's lock
 *   ESB trigger store             the accessing vCPU's lock, then (tried,
 *                                 never waited for) the lock of the vCPU
 *                                 owning the END the source is routed to
 *   ESB load at SET_PQ_xx         the accessing vCPU's lock
 *   an MSI's device line          the sources lock, then (tried) the END
 *                                 vCPU's lock
 *
 * Why that is enough (see "the machine's locks" in spapr-internal.h):
 * the EAS and the END configuration change only under the exclusive lock
 * (the H_INT_* hcalls, claims, reset, hot-plug, restore), so any one lock
 * lets them be read; an END's queue index and notification bits, and its
 * vCPU's thread context, change only under that vCPU's lock; a source's
 * PQ bits change by atomic compare-and-swap (xive-internal.h).  A delivery
 * therefore holds the END vCPU's lock from the PQ change to the thread
 * context: it takes effect as a whole.
 *
 * A case that is not the plain one (an LSI, a masked or unrouted source,
 * an END with escalation or without unconditional notification, an END
 * whose NVT is not its own vCPU, a lock found taken) is detected before
 * anything changes, and goes the full way under the sources lock.
 */
#ifndef SPIRQ_XIVE_FAST_H
#define SPIRQ_XIVE_FAST_H

#include "xive/xive-internal.h"

#define XIVE_FAST static inline __attribute__((always_inline))

/* Field @mask of a word already in host order (xive_get_field*() take
 * them big-endian). */
#define XIVE_HOST_FIELD(mask, w)	(((w) & (mask)) / ((mask) & -(mask)))

/* Where a source's event goes, when the fast paths can take it there. */
struct xive_route {
	xive_end *end;
	struct vcpu_slot *vcpu;		/* the END's vCPU, and its NVT */
	unsigned cpu;
	uint32_t data;			/* EISN */
	uint8_t priority;
};

/*
 * The route of MSI @lisn (< nr_irqs), with any one lock held: its EAS
 * valid and unmasked, an END of block 0 that exists, is valid, enqueues,
 * notifies unconditionally, does not escalate, has a priority and a
 * format-0 NVT that is the END's own vCPU, plugged, XIVE active.  False
 * for anything else.
 */
XIVE_FAST bool xive_fast_route(spirq_machine *m, uint32_t lisn,
			       struct xive_route *r)
{
	const struct spapr_xive *xive = m->xive;
	uint64_t eas = be64_to_host(xive->eat[lisn].w);
	uint32_t idx = (uint32_t)XIVE_HOST_FIELD(EAS_END_INDEX, eas);
	uint32_t w0, w6, w7, nvt;
	xive_end *group;
	int cpu;

	if ((eas & (EAS_VALID | EAS_MASKED | EAS_END_BLOCK)) != EAS_VALID ||
	    idx >= xive->nr_ends ||
	    (xive->source.lsi_map[lisn / 64] >> (lisn % 64) & 1))
		return false;
	group = xive->end_groups[idx / XIVE_END_GROUP];
	cpu = spapr_xive_end_cpu(m, idx);
	if (!group || cpu < 0)
		return false;
	r->end = &group[idx % XIVE_END_GROUP];
	w0 = be32_to_host(r->end->w0);
	w6 = be32_to_host(r->end->w6);
	w7 = be32_to_host(r->end->w7);
	if ((w0 & (END_W0_VALID | END_W0_ENQUEUE | END_W0_UCOND_NOTIFY |
		   END_W0_SILENT_ESCALATE)) !=
	    (END_W0_VALID | END_W0_ENQUEUE | END_W0_UCOND_NOTIFY) ||
	    (w6 & (END_W6_FORMAT_BIT | END_W6_NVT_BLOCK)) ||
	    (w7 & END_W7_F0_IGNORE))
		return false;
	r->vcpu = &m->vcpus[cpu];
	nvt = XIVE_HOST_FIELD(END_W6_NVT_INDEX, w6);
	r->priority = (uint8_t)XIVE_HOST_FIELD(END_W7_F0_PRIORITY, w7);
	if (r->priority == 0xff || !(r->vcpu->hot->fast & SPAPR_FAST_XIVE) ||
	    nvt != SPIRQ_XIVE_NVT_BASE + r->vcpu->vcpu_id)
		return false;
	r->cpu = (unsigned)cpu;
	r->data = (uint32_t)XIVE_HOST_FIELD(EAS_END_DATA, eas);
	return true;
}

/*
 * Trigger MSI @lisn along route @r, the END vCPU's lock held: the PQ
 * state machine, then, if it forwards, the queue and the thread context.
 */
XIVE_FAST void xive_fast_trigger(spirq_machine *m, uint32_t lisn,
				 const struct xive_route *r)
{
	uint8_t *status = xive_status(&m->xive->source, lisn);
	uint8_t old = xive_status_load(status), pq;
	bool forward;

	do
		pq = xive_pq_after_trigger(old & 0x3, &forward);
	while (!xive_status_cas(status, &old, (uint8_t)((old & ~0x3) | pq)));
	if (!forward)
		return;
	xive_end_enqueue(m, r->end, r->data);
	xive_tctx_ipb_update_hot(m, r->vcpu->hot, r->vcpu->tctx, TM_QW1_OS,
				 xive_priority_to_ipb(r->priority));
}

/*
 * The lock of the route's vCPU, the caller holding @held (a vCPU's or the
 * sources lock): nothing to take when it is @held itself; otherwise only
 * tried, so that no thread waits while holding a vCPU lock without the
 * sources lock.  Returns the lock taken, @held when none, NULL when taken
 * by someone else.
 */
XIVE_FAST struct fastlock *xive_fast_lock_route(const struct xive_route *r,
						struct fastlock *held)
{
	struct fastlock *lock = &r->vcpu->hot->lock;

	if (lock == held)
		return held;
	return fastlock_trylock(lock) ? lock : NULL;
}

#endif /* SPIRQ_XIVE_FAST_H */
