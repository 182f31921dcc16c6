/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The XIVE fast paths: what a guest and its devices do at every
 * interrupt, with no argument marshalling and no call but the host's
 * set_cpu_irq (src/spapr/calls.c, src/spapr/irq.c).
 *
 *   TIMA OS ACK, OS CPPR store    the accessing vCPU's lock
 *   ESB trigger store             no lock of its own: the lock of the
 *                                 vCPU owning the END the source is routed
 *                                 to (tried, never waited for), taken
 *                                 before anything but the EAS is read
 *   ESB load at SET_PQ_xx         the accessing vCPU's lock
 *   an MSI's device line          the sources lock, then (tried) the END
 *                                 vCPU's lock
 *
 * Why that is enough (see "the machine's locks" in spapr-internal.h):
 * an EAS is one atomic word, changed under the sources lock
 * (H_INT_SET_SOURCE_CONFIG) or the exclusive lock (claims, reset,
 * hot-plug; a restore exchanges the tables' words one by one), and the
 * EAS table stays where it is for the machine's life; the ESB trigger
 * reads the EAS, takes the END vCPU's lock -- which excludes the
 * exclusive lock -- and reads it again: the same word is the route now.
 * An END's configuration changes under the sources lock and its vCPU's
 * lock (H_INT_SET_QUEUE_CONFIG), or the exclusive lock, so either lets it
 * be read; an END's queue index and notification bits, its cache, and
 * its vCPU's thread context change only under that vCPU's lock; a
 * source's PQ bits change by atomic compare-and-swap or exchange
 * (xive-internal.h).  A delivery therefore holds the END vCPU's lock
 * from the PQ change to the thread context: it takes effect as a whole.
 *
 * A case that is not the plain one (an LSI, a masked or unrouted source,
 * an END with escalation or without unconditional notification, an END
 * whose NVT is not its own vCPU or whose queue the host does not map, a
 * lock found taken) is detected before anything changes, and goes the
 * full way under the sources lock.
 */
#ifndef SPIRQ_XIVE_FAST_H
#define SPIRQ_XIVE_FAST_H

#include "xive/xive-internal.h"

#define XIVE_FAST static inline __attribute__((always_inline))

/* Field @mask of a word already in host order (xive_get_field*() take
 * them big-endian). */
#define XIVE_HOST_FIELD(mask, w)	(((w) & (mask)) / ((mask) & -(mask)))

/* What xive_fast_notify() did. */
enum xive_fast_result {
	XIVE_FAST_DONE,		/* delivered or held by PQ; lock back */
	XIVE_FAST_MISS,		/* nothing changed, no lock taken */
	XIVE_FAST_MISS_HELD,	/* nothing changed, the END vCPU's lock
				 * (*route) still held: the caller gives it
				 * back, then goes the full way */
};

/*
 * Trigger source @lisn (< nr_irqs) the fast way.  The caller holds the
 * sources lock (@sources), or (ESB trigger) nothing: then only what is
 * never replaced is read before the END vCPU's lock -- the XIVE object,
 * its EAS table (one atomic word per LISN) and the vCPUs' hot entries --
 * and the EAS is read again under that lock, which excludes everything
 * the exclusive lock changes: the same word is the route now.
 *
 * The EAS (host order) routes the source, valid and unmasked, to an END
 * of block 0 whose vCPU is XIVE's and whose group exists; the END
 * vCPU's lock, tried; the END's cache is made and says it is fast
 * (xive_end_cache_build()); then the PQ state machine, and if it
 * forwards, the queue and the thread context.  An LSI takes the fast way
 * from PQ 00 only, where a trigger does to it what it does to an MSI.
 * A miss leaves the lock to the caller: the paths that follow it call
 * out, and nothing of the caller's needs to survive a call here.
 */
XIVE_FAST enum xive_fast_result
xive_fast_notify(spirq_machine *m, struct spapr_xive *xive, uint32_t lisn,
		 bool sources, struct vcpu_hot **route)
{
	uint64_t raw = xive_eas_load(xive, lisn), eas = be64_to_host(raw);
	uint32_t idx = (uint32_t)XIVE_HOST_FIELD(EAS_END_INDEX, eas);
	const struct xive_end_cache *c;
	struct vcpu_hot *hot;
	xive_end *group;
	uint8_t *status, old = XIVE_ESB_RESET;
	bool forward = true;

	if ((eas & (EAS_VALID | EAS_MASKED | EAS_END_BLOCK)) != EAS_VALID ||
	    idx >= xive->nr_ends)
		return XIVE_FAST_MISS;
	if (!spapr_xive_group_hot(m, idx / XIVE_END_GROUP, &hot) ||
	    !fastlock_trylock(&hot->lock))
		return XIVE_FAST_MISS;
	*route = hot;
	group = xive->end_groups[idx / XIVE_END_GROUP];
	if ((!sources && (xive_eas_load(xive, lisn) != raw ||
			  !(hot->fast & SPAPR_FAST_XIVE))) || !group)
		return XIVE_FAST_MISS_HELD;
	group += idx % XIVE_END_GROUP;
	c = xive_end_cache(group);
	/* a cache not made: the full way makes it (no call here) */
	if (!c->ipb)
		return XIVE_FAST_MISS_HELD;
	status = xive_status(&xive->source, lisn);
	if (__builtin_expect(!xive_status_cas(status, &old, XIVE_ESB_PENDING),
			     0)) {
		/* an LSI's event queued is logged: the full way */
		if (xive_source_is_lsi(&xive->source, lisn))
			return XIVE_FAST_MISS_HELD;
		forward = xive_status_trigger(status);
	}
	if (forward) {
		/* the cache says the queue is mapped */
		xive_end_push(group, c, (uint32_t)
			      XIVE_HOST_FIELD(EAS_END_DATA, eas));
		xive_tctx_ipb_update_hot(m, hot, c->tctx, TM_QW1_OS, c->ipb);
	}
	fastlock_unlock(&hot->lock);
	return XIVE_FAST_DONE;
}

#endif /* SPIRQ_XIVE_FAST_H */
