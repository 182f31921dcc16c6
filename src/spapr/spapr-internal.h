/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sPAPR interrupt layer: the machine object that owns the interrupt
 * controllers, the per-vCPU presenters, the claim registry, the MSI
 * allocator and the negotiated mode.
 *
 *                          +-------------------------+
 *   devices ---set_irq---> |      spirq_machine      | <--- CAS, reset
 *                          |  claims  msi  ov5 byte  |
 *                          +---+-----------------+---+
 *                              |  active intc    |
 *                  +-----------v-----+   +-------v----------+
 *                  | XICS            |   | XIVE             |
 *                  |  ICS (sources)  |   |  ESB, EAS, END   |
 *                  +--------+--------+   +--------+---------+
 *                           |                     |
 *              vcpus[i]: ICP (presenter)   TCTX (thread context)
 *                           \                     /
 *                            +-- external interrupt line (host) --+
 *
 * Both presenters of a vCPU drive the same line; in dual mode both
 * controllers exist, only the active one receives device interrupts.
 */
#ifndef SPIRQ_SPAPR_INTERNAL_H
#define SPIRQ_SPAPR_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <spirq/machine.h>
#include <spirq/papr.h>
#include <spirq/topology.h>

#include "common/fastlock.h"

struct ics;
struct icp;
struct spapr_xive;
struct xive_tctx;
struct spirq_printer;
struct spapr_kvm;

/* OV5 byte 23 bits (client-architecture-support option vector 5) */
#define OV5_XIVE_BOTH		0x80	/* platform: either mode; guest: invalid */
#define OV5_XIVE_EXPLOIT	0x40	/* XIVE exploitation mode */

#define SPAPR_CACHE_LINE	64

/*
 * What a vCPU's calls write at every interrupt: its lock (which guards
 * its presenters and its line) and its line, 16 bytes.  These entries
 * are spread over the machine's lock area so that vCPUs whose indexes
 * differ by less than 64 never share a cache line (spapr_locks_alloc()),
 * so vCPU threads do not slow each other down by false sharing; the area
 * costs 16 bytes per possible vCPU (at most 64 lines when there are few).
 * It is allocated once and never moves: a lock stays where a waiting
 * thread found it, whatever a restore or a hot-plug does.
 */
struct vcpu_hot {
	struct fastlock lock;
	int line;			/* external interrupt input */
	uint32_t fast;			/* SPAPR_FAST_*, see below */
};

/*
 * What the fast paths may use, one test for it all (set by
 * spapr_refresh_fast() whenever the exclusive lock is given back, by
 * atomic stores: the ESB trigger reads its caller's holding no lock): the
 * vCPU is plugged and the XICS hcalls work (XIVE not negotiated); the
 * vCPU is plugged and XIVE is the active controller (TIMA, deliveries).
 */
#define SPAPR_FAST_XICS		0x1
#define SPAPR_FAST_XIVE		0x2

/*
 * Per-vCPU state, indexed by cpu_index.  Written only under the exclusive
 * lock, so the fast paths of every vCPU read it without sharing a written
 * cache line.  A restore exchanges the slots' contents (not hot).  The
 * presenters are allocated at plug time, each on cache lines of its own.
 */
struct vcpu_slot {
	bool present;
	uint32_t vcpu_id;		/* server number */
	struct icp *icp;		/* XICS presenter, if XICS exists */
	struct xive_tctx *tctx;		/* XIVE presenter, if XIVE exists */
	struct vcpu_hot *hot;		/* in the lock area, fixed */
};

/*
 * struct spapr_intc_ops - what an interrupt controller does for the
 * machine (QEMU's SpaprInterruptController).  Methods marked "all" are
 * called on every present controller, the others on the active one only.
 */
struct spapr_intc_ops {
	const char *name;
	/* active: start receiving device interrupts / stop */
	int (*activate)(spirq_machine *m);
	void (*deactivate)(spirq_machine *m);
	/* all: a device claims or frees a source */
	void (*claim)(spirq_machine *m, uint32_t irq, bool lsi);
	void (*free)(spirq_machine *m, uint32_t irq);
	/* active: a device line changes */
	void (*set_irq)(spirq_machine *m, uint32_t irq, int level);
	/* all: presenter of a vCPU */
	int (*cpu_create)(spirq_machine *m, unsigned cpu);
	void (*cpu_reset)(spirq_machine *m, unsigned cpu);
	void (*cpu_destroy)(spirq_machine *m, unsigned cpu);
	/* all: device reset */
	void (*reset)(spirq_machine *m);
	/* active: "info pic" */
	void (*print_info)(spirq_machine *m, struct spirq_printer *p);
};

/* Classes of guest errors, each logged a few times then suppressed. */
enum guest_error_class {
	GE_ESB,		/* invalid ESB access */
	GE_TIMA,	/* invalid TIMA access */
	GE_ROUTING,	/* unknown or invalid LISN, END, NVT */
	GE_QUEUE,	/* event queue write failed */
	GE_XICS,	/* XICS call while XICS is not emulated-active */
	GE_CAS,		/* refused CAS request */
	GE_OTHER,
	GE_NR_CLASSES
};

/* Claim types in the registry (struct spirq_machine.claims). */
enum claim_type {
	CLAIM_FREE = 0,
	CLAIM_MSI = 1,
	CLAIM_LSI = 2,
};

struct spirq_machine {
	spirq_config cfg;
	spirq_host_ops ops;
	/*
	 * Locks (see "the machine's locks" below): the sources lock guards
	 * everything but the presenters; vcpus[i].hot->lock guards vCPU i's
	 * presenters (ICP, thread context) and its line.  The sources lock
	 * and what only its holder writes sit between two cache lines of
	 * padding: the vCPUs' fast paths read the fields around them at
	 * every call, and must not see that line move with each device line.
	 */
	char pad_before[SPAPR_CACHE_LINE];
	struct fastlock sources_lock;
	bool exclusive;			/* every lock is held */
	int held_cpu;			/* presenter held with the sources, or -1 */
	char pad_after[SPAPR_CACHE_LINE];
	struct vcpu_hot *hot_area;	/* the vCPUs' hot entries, spread */
	unsigned hot_entries;		/* entries in hot_area */

	struct vcpu_slot *vcpus;	/* [cfg.max_cpus] */
	/* max_cpus when vCPU ids are the cpu_indexes (vsmt = threads), else 0 */
	unsigned dense_ids;
	unsigned *plug_order;		/* present cpu_indexes, in plug order */
	unsigned nr_plugged;
	/*
	 * What the hot entries' SPAPR_FAST_* flags were last derived from:
	 * the mode's flags, and whether a vCPU was plugged, unplugged or
	 * swapped in since (spapr_unlock() derives them again only then).
	 * Bytes, in the hole before the next pointer: the machine object's
	 * size, which spirq_machine_footprint() reports, stays as it was.
	 */
	uint8_t fast_mode;
	bool vcpus_changed;

	uint8_t *claims;		/* enum claim_type, [nr_irqs] */
	uint8_t *lines;			/* device line state, [nr_irqs] */
	unsigned nr_irqs;		/* 0x1000 + nr_xirqs */
	uint64_t *msi_map;		/* MSI allocator bitmap */
	size_t footprint;		/* bytes allocated (common/alloc.h) */

	struct ics *ics;		/* XICS sources, NULL without XICS */
	struct spapr_xive *xive;	/* XIVE, NULL without XIVE */
	const struct spapr_intc_ops *active;	/* NULL while switching */
	spirq_backend backend;		/* where the active one runs */
	bool xive_was_active;		/* XIVE ran since start (plan) */
	/* the controller active before the current switch or reset */
	const struct spapr_intc_ops *last_active;

	uint8_t ov5_cas;		/* negotiated OV5 byte 23 */
	uint32_t compat_pvr;		/* CPU compat mode: logical PVR, 0 raw */
	unsigned guest_errors[GE_NR_CLASSES];
	bool reentry_logged;		/* a re-entry from a callback was logged */
	/* in-kernel backend (src/kvm): NULL without a real KVM VM fd */
	struct spapr_kvm *kvm;
	bool kvm_lines;			/* a kernel device is the active
					 * controller: it drives the lines */
};

/* The controllers (src/xics, src/xive). */
extern const struct spapr_intc_ops spapr_xics_ops;
extern const struct spapr_intc_ops spapr_xive_ops;

/* Exchange @field of the structures @a and @b point to (restore's swap). */
#define SPAPR_SWAP(a, b, field)                                              \
	do {                                                                 \
		__typeof__((a)->field) tmp_ = (a)->field;                    \
		(a)->field = (b)->field;                                     \
		(b)->field = tmp_;                                           \
	} while (0)

/* ---- the machine's locks ----------------------------------------------- */

/*
 * Three ways in, from the cheapest (cpu lock: vcpus[cpu].hot->lock):
 *
 *   vCPU          one cpu lock, the fast paths (src/xics/xics-fast.h,
 *                 src/xive/xive-fast.h): the XICS H_XIRR, H_IPI, H_EOI,
 *                 H_CPPR when no source is involved (the caller's lock;
 *                 H_IPI's target's); the TIMA; an ESB load at SET_PQ_xx
 *                 (the caller's); an ESB trigger store, its EAS read (one
 *                 atomic load) holding no lock, then read again, with its
 *                 END and the delivery, under the lock of the vCPU owning
 *                 the END (tried, never waited for).  Different vCPUs run
 *                 in parallel.
 *   sources       sources_lock: device lines (an MSI's delivery then
 *                 tries the target's cpu lock only), RTAS, the other ESB
 *                 accesses, the XICS calls that reach a source, and the
 *                 H_INT_* hcalls but H_INT_RESET.  A delivery takes the
 *                 target's cpu lock inside it (spapr_presenter_lock), and
 *                 XIVE's the END vCPU's too; so do H_INT_SET_QUEUE_CONFIG
 *                 and H_INT_GET_QUEUE_CONFIG for the END they work on.
 *   exclusive     sources_lock, then every cpu lock in index order:
 *                 management (claims, CAS, reset, hot-plug, save and
 *                 restore, info pic, device tree) and H_INT_RESET.
 *
 * What each guards:
 *   cpu lock of vCPU i   its ICP and thread context, its line, and the
 *                        queue index and notification bits (END w1) and
 *                        the caches (struct xive_end_cache) of the ENDs
 *                        of its END slot (spapr_xive_end_cpu)
 *   sources lock         the ICS, the device line states, MSIs held while
 *                        no controller is active
 *   sources lock + cpu   the configuration of the ENDs of vCPU i's END
 *     lock of vCPU i     slot (H_INT_SET_QUEUE_CONFIG): either lock reads it
 *   sources lock,        an EAS (H_INT_SET_SOURCE_CONFIG): one 64-bit word
 *     atomic store       stored atomically (by every writer: the ESB
 *                        trigger fast path reads it holding no lock)
 *   atomics              a XIVE source's PQ and level bits (compare-and-
 *                        swap, taken under either lock)
 *   exclusive            everything else: vCPU presence, claims, the active
 *                        controller and negotiated mode, the EAS and END
 *                        tables as a whole (reset, restore), the tables'
 *                        memory
 * so any one lock is enough to read what only the exclusive lock changes.
 *
 * No deadlock: a thread waits for a second cpu lock only while it holds
 * the sources lock (one thread at a time); the fast paths only try a
 * second one, and give everything back when it is taken; nobody waits for
 * the sources lock while holding a cpu lock.
 *
 * Each lock knows its owner: an entry point called from a host callback
 * of the same machine finds a lock its thread holds, and is refused
 * (logged once per machine, explained in @err when given) instead of
 * deadlocking.
 *
 * returns: 0 with the locks held, or -SPIRQ_ERR_STATE
 */
int spapr_lock(spirq_machine *m, const char *entry, spirq_error *err);
/* The hot entries' SPAPR_FAST_* from the machine's state: every lock
 * held (spapr_unlock() calls it when the mode changed or vcpus_changed
 * is set), or the machine not yet shared. */
void spapr_refresh_fast(spirq_machine *m);
void spapr_unlock(spirq_machine *m);
int spapr_lock_sources(spirq_machine *m, const char *entry);
void spapr_unlock_sources(spirq_machine *m);
int spapr_lock_cpu(spirq_machine *m, unsigned cpu, const char *entry);

static inline void spapr_unlock_cpu(spirq_machine *m, unsigned cpu)
{
	fastlock_unlock(&m->vcpus[cpu].hot->lock);
}

/*
 * With the sources lock held: own the presenters of @cpu until
 * spapr_presenter_unlock().  Nothing to take when the caller holds every
 * lock, or already holds that vCPU's (a host callback of a vCPU's call
 * calling back).  Returns whether it was taken.
 */
static inline bool spapr_presenter_lock(spirq_machine *m, unsigned cpu)
{
	if (m->exclusive || m->held_cpu == (int)cpu)
		return false;
	return fastlock_lock(&m->vcpus[cpu].hot->lock);
}

static inline void spapr_presenter_unlock(spirq_machine *m, unsigned cpu,
					  bool taken)
{
	if (taken)
		fastlock_unlock(&m->vcpus[cpu].hot->lock);
}

/*
 * spirq_hcall() the full way: every check, the sources lock, then the
 * presenter's (the fast paths end here when they cannot finish alone).
 */
int64_t spapr_hcall_full(spirq_machine *m, unsigned cpu, uint64_t opcode,
			 const uint64_t *args, uint64_t *rets,
			 unsigned *nrets);
/* ... or, with a kernel device active, the in-kernel backend's way
 * (spapr_kvm_hcall(), which ends in spapr_hcall_full() for the calls the
 * kernel leaves to spirq): where every fast path's miss ends. */
int64_t spapr_hcall_slow(spirq_machine *m, unsigned cpu, uint64_t opcode,
			 const uint64_t *args, uint64_t *rets,
			 unsigned *nrets);

/*
 * An XICS fast path that took the lock of the vCPU its call works on (the
 * caller's; H_IPI's target) found a case it does not handle: that lock
 * given back, the call made the full way.  Out of line and with
 * spirq_hcall()'s arguments, so that the fast paths end in a tail call
 * and keep nothing across a call.
 */
int64_t spapr_hcall_miss(spirq_machine *m, unsigned cpu, uint64_t opcode,
			 const uint64_t *args, uint64_t *rets,
			 unsigned *nrets)
	__attribute__((noinline, cold));

/*
 * spirq_set_irq() with the sources lock held (and the lock of vCPU
 * @locked_cpu, when not -1), where a fast path could not finish: every
 * lock given back after the line is handled the full way.
 */
int spapr_set_irq_miss(spirq_machine *m, uint32_t irq, int level,
		       int locked_cpu) __attribute__((noinline));

/* ---- machine services used by the controllers -------------------------- */

/* Is XICS the active controller, emulated? (H_* and RTAS gate) */
static inline bool spapr_xics_is_active(const spirq_machine *m)
{
	return m->active == &spapr_xics_ops;
}

static inline bool spapr_xive_is_active(const spirq_machine *m)
{
	return m->active == &spapr_xive_ops;
}

/* Logical PVR of a compat mode: POWER6 0x0f000002 ... POWER10 0x0f000006. */
static inline uint32_t spapr_compat_pvr(spirq_cpu_model model)
{
	return 0x0f000002u + (uint32_t)(model - SPIRQ_CPU_POWER6);
}

/*
 * The vCPUs' compat mode after a machine reset, as QEMU's: max-cpu-compat
 * if given, else none (raw mode, the CPU's own PVR) until CAS.
 */
static inline uint32_t spapr_reset_compat_pvr(const spirq_config *cfg)
{
	return cfg->compat_set ? spapr_compat_pvr(cfg->compat) : 0;
}

/* Was XIVE exploitation negotiated at CAS? (H_INT_* gate) */
static inline bool spapr_xive_negotiated(const spirq_machine *m)
{
	return m->ov5_cas & OV5_XIVE_EXPLOIT;
}

/*
 * The cpu_index of vCPU id @id, or a negative value: spirq_vcpu_index()
 * inline (the fast paths make no call), without its division when ids
 * are dense (vsmt = threads).
 */
static inline int spapr_cpu_index(const spirq_machine *m, uint64_t id)
{
	const spirq_config *c = &m->cfg;
	uint64_t thread, index;

	if (__builtin_expect(id < m->dense_ids, 1))
		return (int)id;
	if (m->dense_ids)
		return -1;
	thread = id % c->vsmt;
	index = id / c->vsmt * c->threads + thread;
	return thread < c->threads && index < c->max_cpus ? (int)index : -1;
}

/*
 * The present vCPU that has server number @server, or -1.  O(1): the
 * cpu_index is computed from the id, then checked for presence.
 */
int spapr_cpu_by_server(const spirq_machine *m, uint64_t server);

/*
 * Drive the vCPU's external interrupt line (host told on changes only),
 * with the vCPU's lock held.
 */
static inline void spapr_hot_set_line(spirq_machine *m, struct vcpu_hot *hot,
				      unsigned cpu, int level)
{
	level = !!level;
	if (hot->line == level)
		return;
	hot->line = level;
	m->ops.set_cpu_irq(m->ops.opaque, cpu, level);	/* never NULL here */
}

static inline void spapr_cpu_set_line(spirq_machine *m, unsigned cpu,
				      int level)
{
	spapr_hot_set_line(m, m->vcpus[cpu].hot, cpu, level);
}

/* Is [gpa, gpa + len) entirely inside guest RAM? */
static inline bool spapr_range_in_ram(const spirq_machine *m, uint64_t gpa,
				      uint64_t len)
{
	return gpa < m->cfg.ram_size && len <= m->cfg.ram_size - gpa;
}

/* Guest physical memory through the host callbacks; 0 or -1. */
int spapr_read_guest(spirq_machine *m, uint64_t gpa, void *buf, size_t len);

static inline int spapr_write_guest(spirq_machine *m, uint64_t gpa,
				    const void *buf, size_t len)
{
	/* m->ops.write_guest is never NULL here */
	if (!spapr_range_in_ram(m, gpa, len))
		return -1;
	return m->ops.write_guest(m->ops.opaque, gpa, buf, len) ? -1 : 0;
}

/* A host pointer to guest RAM [gpa, gpa + len) from the host's map_guest,
 * or NULL (no such callback, or not RAM). */
static inline void *spapr_map_guest(spirq_machine *m, uint64_t gpa,
				    size_t len)
{
	if (!m->ops.map_guest || !spapr_range_in_ram(m, gpa, len))
		return NULL;
	return m->ops.map_guest(m->ops.opaque, gpa, len);
}

/* Log a guest error (rate-limited per class) or a host message. */
void spapr_guest_error(spirq_machine *m, enum guest_error_class cls,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void spapr_log(spirq_machine *m, spirq_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The host's timebase for a vCPU (H_XIRR_X). */
uint64_t spapr_timebase(spirq_machine *m, unsigned cpu);

/* Guest errors logged per class before the rest are suppressed. */
#define GUEST_ERROR_LOG_LIMIT 16

#endif /* SPIRQ_SPAPR_INTERNAL_H */
