// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Guest entry points: hcalls, RTAS calls and MMIO, dispatched to the
 * controller that owns them; and "info pic".
 *
 * Ownership follows QEMU: the XICS hcalls and RTAS calls exist when the
 * machine has XICS, the H_INT_* hcalls when it has XIVE (each then checks
 * the negotiated mode); the ESB and TIMA MMIO regions are mapped only
 * while XIVE is the active controller.
 */
#include "common/printer.h"
#include "kvm/kvm.h"
#include "spapr/irq-internal.h"
#include "xics/xics-fast.h"
#include "xive/xive-fast.h"

static bool cpu_is_plugged(const spirq_machine *m, unsigned cpu)
{
	return cpu < m->cfg.max_cpus && m->vcpus[cpu].present;
}

static const uint64_t no_args[SPIRQ_HCALL_MAX_ARGS];

/*
 * The vCPU whose presenter an XICS hcall works on: the caller's, or for
 * H_IPI and H_IPOLL the target's (an unknown server: the caller's, the
 * call then answers H_PARAMETER).
 */
static unsigned xics_hcall_cpu(const spirq_machine *m, unsigned cpu,
			       uint64_t opcode, const uint64_t *args)
{
	int target;

	if (opcode != SPIRQ_H_IPI && opcode != SPIRQ_H_IPOLL)
		return cpu;
	target = spapr_cpu_index(m, (uint32_t)args[0]);
	return target < 0 ? cpu : (unsigned)target;
}

/* An XICS hcall in full: the sources lock, then the presenter's. */
static int64_t xics_hcall_entry(spirq_machine *m, unsigned cpu,
				uint64_t opcode, const uint64_t *args,
				uint64_t *rets, unsigned *count)
{
	unsigned locked = xics_hcall_cpu(m, cpu, opcode, args);
	int64_t ret;

	if (spapr_lock_sources(m, "spirq_hcall"))
		return SPIRQ_H_HARDWARE;
	if (spapr_lock_cpu(m, locked, "spirq_hcall")) {
		spapr_unlock_sources(m);
		return SPIRQ_H_HARDWARE;
	}
	m->held_cpu = (int)locked;
	ret = cpu_is_plugged(m, cpu) ?
	      xics_hcall(m, cpu, opcode, args, rets, count) :
	      SPIRQ_H_HARDWARE;
	m->held_cpu = -1;
	spapr_unlock_cpu(m, locked);
	spapr_unlock_sources(m);
	return ret;
}

/*
 * The H_INT_* hcalls hold the sources lock, and those that change or read
 * an END's queue its vCPU's lock too (src/xive/spapr-xive-hcall.c): O(1)
 * in vCPUs.  EAS changes are single atomic words (the ESB trigger fast
 * path reads them under a vCPU's lock only).  H_INT_RESET, which resets
 * every table anyway, runs alone.
 */
static int64_t xive_hcall_entry(spirq_machine *m, unsigned cpu,
				uint64_t opcode, const uint64_t *args,
				uint64_t *rets, unsigned *count)
{
	bool alone = opcode == SPIRQ_H_INT_RESET;
	int64_t ret;

	if (alone ? spapr_lock(m, "spirq_hcall", NULL) :
		    spapr_lock_sources(m, "spirq_hcall"))
		return SPIRQ_H_HARDWARE;
	ret = cpu_is_plugged(m, cpu) ?
	      spapr_xive_hcall(m, cpu, opcode, args, rets, count) :
	      SPIRQ_H_HARDWARE;
	if (alone)
		spapr_unlock(m);
	else
		spapr_unlock_sources(m);
	return ret;
}

/* An hcall no controller of this machine implements. */
static int64_t unknown_hcall(spirq_machine *m, unsigned cpu)
{
	int64_t ret;

	if (spapr_lock_sources(m, "spirq_hcall"))
		return SPIRQ_H_HARDWARE;
	ret = cpu_is_plugged(m, cpu) ? SPIRQ_H_FUNCTION : SPIRQ_H_HARDWARE;
	spapr_unlock_sources(m);
	return ret;
}

int64_t spapr_hcall_full(spirq_machine *m, unsigned cpu, uint64_t opcode,
			 const uint64_t *args, uint64_t *rets,
			 unsigned *nrets)
{
	unsigned count = 0;
	int64_t ret;

	if (!args)
		args = no_args;
	if (cpu >= m->cfg.max_cpus) {
		ret = SPIRQ_H_HARDWARE;
	} else switch (opcode) {
	case SPIRQ_H_XIRR: case SPIRQ_H_EOI: case SPIRQ_H_IPI:
	case SPIRQ_H_CPPR: case SPIRQ_H_XIRR_X: case SPIRQ_H_IPOLL:
		ret = m->ics ? xics_hcall_entry(m, cpu, opcode, args, rets,
						&count) :
			       unknown_hcall(m, cpu);
		break;
	case SPIRQ_H_INT_GET_SOURCE_INFO ... SPIRQ_H_INT_RESET:
		ret = m->xive && !(opcode & 3) ?
		      xive_hcall_entry(m, cpu, opcode, args, rets, &count) :
		      unknown_hcall(m, cpu);
		break;
	default:
		ret = unknown_hcall(m, cpu);
		break;
	}
	if (nrets)
		*nrets = ret == SPIRQ_H_SUCCESS ? count : 0;
	return ret;
}

int64_t spapr_hcall_slow(spirq_machine *m, unsigned cpu, uint64_t opcode,
			 const uint64_t *args, uint64_t *rets,
			 unsigned *nrets)
{
	if (spapr_kvm_live(m))
		return spapr_kvm_hcall(m, cpu, opcode, args, rets, nrets);
	return spapr_hcall_full(m, cpu, opcode, args, rets, nrets);
}

int64_t spapr_hcall_miss(spirq_machine *m, unsigned cpu, uint64_t opcode,
			 const uint64_t *args, uint64_t *rets,
			 unsigned *nrets)
{
	spapr_unlock_cpu(m, xics_hcall_cpu(m, cpu, opcode, args));
	return spapr_hcall_slow(m, cpu, opcode, args, rets, nrets);
}

/*
 * The calls of every interrupt are done inline (src/xics/xics-fast.h);
 * the others, and those the fast paths cannot finish, the full way.
 * With a kernel device active the fast paths always miss (no vCPU has
 * SPAPR_FAST_XICS): spapr_hcall_slow() hands the call to the kernel's
 * backend.
 */
int64_t spirq_hcall(spirq_machine *m, unsigned cpu, uint64_t opcode,
		    const uint64_t *args, uint64_t *rets, unsigned *nrets)
{
	if (__builtin_expect(cpu < m->cfg.max_cpus && args != NULL, 1)) {
		switch (opcode) {
		case SPIRQ_H_XIRR:
			return xics_fast_xirr(m, cpu, opcode, args, rets, nrets);
		case SPIRQ_H_EOI:
			return xics_fast_eoi(m, cpu, opcode, args, rets, nrets);
		case SPIRQ_H_IPI:
			return xics_fast_ipi(m, cpu, opcode, args, rets, nrets);
		case SPIRQ_H_CPPR:
			return xics_fast_cppr(m, cpu, opcode, args, rets, nrets);
		}
	}
	return spapr_hcall_slow(m, cpu, opcode, args, rets, nrets);
}

int spirq_rtas(spirq_machine *m, unsigned cpu, uint32_t token,
	       uint32_t nargs, const uint32_t *args, uint32_t nret,
	       uint32_t *rets)
{
	int ret;

	if (!spirq_rtas_nret(token))
		return -SPIRQ_ERR_NOTFOUND;
	if (!nret || !rets || (nargs && !args))
		return -SPIRQ_ERR_INVAL;
	ret = spapr_lock_sources(m, __func__);
	if (ret)
		return ret;
	if (!cpu_is_plugged(m, cpu))
		ret = -SPIRQ_ERR_INVAL;
	else if (!m->ics)
		ret = -SPIRQ_ERR_NOTFOUND;	/* tokens not registered */
	else if (m->kvm)
		ret = spapr_kvm_rtas(m, token, nargs, args, nret, rets);
	else
		xics_rtas(m, token, nargs, args, nret, rets);
	spapr_unlock_sources(m);
	return ret;
}

#define ESB_REGION_SIZE(m) \
	((uint64_t)(m)->xive->source.nr_irqs << SPIRQ_XIVE_ESB_SHIFT)

static int mmio_check(spirq_machine *m, unsigned cpu, spirq_region region,
		      uint64_t offset, unsigned size)
{
	uint64_t region_size;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -SPIRQ_ERR_INVAL;
	if (!cpu_is_plugged(m, cpu))
		return -SPIRQ_ERR_INVAL;
	/* an in-kernel XIVE's pages are the kernel's, mapped by the VMM */
	if (!m->xive || !spapr_xive_is_active(m) || spapr_kvm_live(m))
		return -SPIRQ_ERR_NOTFOUND;
	region_size = region == SPIRQ_REGION_ESB ? ESB_REGION_SIZE(m) :
						   SPIRQ_XIVE_TM_WINDOW_SIZE;
	if (offset >= region_size || size > region_size - offset)
		return -SPIRQ_ERR_NOTFOUND;
	return 0;
}

static uint64_t region_read(spirq_machine *m, unsigned cpu,
			    spirq_region region, uint64_t offset,
			    unsigned size)
{
	if (region == SPIRQ_REGION_ESB)
		return xive_source_esb_read(m, offset, size);
	return xive_tctx_tm_read(m, m->vcpus[cpu].tctx, offset, size);
}

static void region_write(spirq_machine *m, unsigned cpu, spirq_region region,
			 uint64_t offset, unsigned size, uint64_t value)
{
	if (region == SPIRQ_REGION_ESB)
		xive_source_esb_write(m, offset, size);
	else
		xive_tctx_tm_write(m, m->vcpus[cpu].tctx, offset, size, value);
}

/*
 * The TIMA shows the accessing vCPU's own thread context: its lock is
 * enough.  The ESB pages reach the sources and, through the router, any
 * presenter: the sources lock.
 */
static int region_lock(spirq_machine *m, unsigned cpu, spirq_region region,
		       const char *entry)
{
	if (region == SPIRQ_REGION_ESB)
		return spapr_lock_sources(m, entry);
	if (cpu >= m->cfg.max_cpus)
		return -SPIRQ_ERR_INVAL;
	return spapr_lock_cpu(m, cpu, entry);
}

static void region_unlock(spirq_machine *m, unsigned cpu,
			  spirq_region region)
{
	if (region == SPIRQ_REGION_ESB)
		spapr_unlock_sources(m);
	else
		spapr_unlock_cpu(m, cpu);
}

static uint64_t size_mask(unsigned size)
{
	return size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

/*
 * An unaligned load is done as QEMU's TCG does it for MMIO: the two
 * aligned loads of the same size that cover it, combined (values in the
 * big-endian order of the device registers).
 */
static uint64_t unaligned_read(spirq_machine *m, unsigned cpu,
			       spirq_region region, uint64_t offset,
			       unsigned size)
{
	uint64_t first = offset & ~(uint64_t)(size - 1);
	unsigned shift = (unsigned)(offset - first) * 8;
	uint64_t r1 = region_read(m, cpu, region, first, size) & size_mask(size);
	uint64_t r2 = region_read(m, cpu, region, first + size, size) &
		      size_mask(size);

	return ((r1 << shift) | (r2 >> (size * 8 - shift))) & size_mask(size);
}

/* ---- MMIO the full way ------------------------------------------------------ */

static __attribute__((noinline))
int mmio_load_full(spirq_machine *m, unsigned cpu, spirq_region region,
		   uint64_t offset, unsigned size, uint64_t *value)
{
	int ret;

	if (region != SPIRQ_REGION_ESB && region != SPIRQ_REGION_TIMA)
		return -SPIRQ_ERR_INVAL;
	ret = region_lock(m, cpu, region, "spirq_mmio_load");
	if (ret)
		return ret;
	ret = mmio_check(m, cpu, region, offset, size);
	/*
	 * The aligned pair covering an unaligned access inside the region is
	 * inside it too (regions are multiples of 8 bytes).  Checking it with
	 * mmio_check(2 * size) refused size 16, and unaligned 8-byte loads
	 * reached the devices unaligned (TIMA: read past the ring tables).
	 */
	if (!ret && (offset & (size - 1)))
		*value = unaligned_read(m, cpu, region, offset, size);
	else if (!ret)
		*value = region_read(m, cpu, region, offset, size) &
			 size_mask(size);
	region_unlock(m, cpu, region);
	return ret;
}

/* An unaligned store is done as QEMU's TCG does: byte by byte. */
static __attribute__((noinline))
int mmio_store_full(spirq_machine *m, unsigned cpu, spirq_region region,
		    uint64_t offset, unsigned size, uint64_t value)
{
	unsigned i;
	int ret;

	if (region != SPIRQ_REGION_ESB && region != SPIRQ_REGION_TIMA)
		return -SPIRQ_ERR_INVAL;
	ret = region_lock(m, cpu, region, "spirq_mmio_store");
	if (ret)
		return ret;
	ret = mmio_check(m, cpu, region, offset, size);
	if (!ret && (offset & (size - 1))) {
		for (i = 0; i < size; i++)
			region_write(m, cpu, region, offset + i, 1,
				     (value >> (8 * (size - 1 - i))) & 0xff);
	} else if (!ret) {
		region_write(m, cpu, region, offset, size,
			     value & size_mask(size));
	}
	region_unlock(m, cpu, region);
	return ret;
}

/* A fast path holding the accessing vCPU's lock found a case it does not
 * handle: that lock given back, the access made the full way. */
static __attribute__((noinline, cold))
int mmio_load_miss(spirq_machine *m, unsigned cpu, spirq_region region,
		   uint64_t offset, unsigned size, uint64_t *value)
{
	spapr_unlock_cpu(m, cpu);
	return mmio_load_full(m, cpu, region, offset, size, value);
}

static __attribute__((noinline, cold))
int mmio_store_miss(spirq_machine *m, unsigned cpu, spirq_region region,
		    uint64_t offset, unsigned size, uint64_t value)
{
	spapr_unlock_cpu(m, cpu);
	return mmio_store_full(m, cpu, region, offset, size, value);
}

/* ---- MMIO fast paths (src/xive/xive-fast.h) ------------------------------------ */

#define MMIO_LOAD_ARGS	spirq_machine *m, unsigned cpu, spirq_region region, \
			uint64_t offset, unsigned size, uint64_t *value
#define MMIO_STORE_ARGS	spirq_machine *m, unsigned cpu, spirq_region region, \
			uint64_t offset, unsigned size, uint64_t value
/* The miss paths of a fast path name its region and size: they need
 * not stay in registers. */
#define LOAD_FULL(r, n)	mmio_load_full(m, cpu, r, offset, n, value)
#define LOAD_MISS(r, n)	mmio_load_miss(m, cpu, r, offset, n, value)
#define STORE_FULL(r, n) mmio_store_full(m, cpu, r, offset, n, value)
#define STORE_MISS(r, n) mmio_store_miss(m, cpu, r, offset, n, value)

/*
 * The ESB fast paths are out of line, with the entry points' signature
 * (gcc: noipa, no clone with fewer arguments): the entry point reaches
 * each with a bare jump, no argument moved.  The TIMA's, shorter, are
 * inline.  (Each arrangement measured the cheaper: make bench.)
 */
#ifdef __clang__
#define MMIO_FAST	static __attribute__((noinline))
#else
#define MMIO_FAST	static __attribute__((noinline, noipa))
#endif

#define TIMA_OS_ACK	(SPIRQ_TM_OS_PAGE + SPIRQ_TM_SPC_ACK_OS_REG)
#define TIMA_OS_CPPR	(SPIRQ_TM_OS_PAGE + SPIRQ_TM_QW1_OS + SPIRQ_TM_CPPR)

/* The OS ACK, a 2-byte TIMA load, under the vCPU's lock. */
static inline __attribute__((always_inline)) int tima_fast_ack(MMIO_LOAD_ARGS)
{
	struct vcpu_slot *v = &m->vcpus[cpu];
	struct vcpu_hot *hot = v->hot;

	if (!fastlock_trylock(&hot->lock))
		return LOAD_FULL(SPIRQ_REGION_TIMA, 2);
	if (!(hot->fast & SPAPR_FAST_XIVE))
		return LOAD_MISS(SPIRQ_REGION_TIMA, 2);
	/* the value stored first: nothing but the lock kept across the
	 * host's callback */
	*value = xive_ring_accept(&v->tctx->regs[TM_QW1_OS]);
	spapr_hot_set_line(m, hot, cpu, 0);
	fastlock_unlock(&hot->lock);
	return 0;
}

/* The OS CPPR store, 1 byte, under the vCPU's lock. */
static inline __attribute__((always_inline)) int tima_fast_cppr(MMIO_STORE_ARGS)
{
	struct vcpu_slot *v = &m->vcpus[cpu];
	struct vcpu_hot *hot = v->hot;

	if (!fastlock_trylock(&hot->lock))
		return STORE_FULL(SPIRQ_REGION_TIMA, 1);
	if (!(hot->fast & SPAPR_FAST_XIVE))
		return STORE_MISS(SPIRQ_REGION_TIMA, 1);
	xive_tctx_set_cppr_hot(m, hot, v->tctx, TM_QW1_OS, (uint8_t)value);
	fastlock_unlock(&hot->lock);
	return 0;
}

/*
 * An 8-byte ESB load at SET_PQ_xx (how Linux EOIs without StoreEOI):
 * the old PQ, the new set atomically, under the vCPU's lock.  A source
 * whose PQ leaves OFF joins the live set, as on the full path (any other
 * PQ is live already; only the exclusive lock, excluded here, takes a
 * source out).
 */
MMIO_FAST int esb_fast_set_pq(MMIO_LOAD_ARGS)
{
	struct vcpu_hot *hot = m->vcpus[cpu].hot;
	uint64_t lisn = offset >> SPIRQ_XIVE_ESB_SHIFT;
	uint8_t pq = (uint8_t)(offset >> 8) & 0x3, old;
	struct xive_source *src;

	if (!fastlock_trylock(&hot->lock))
		return LOAD_FULL(SPIRQ_REGION_ESB, 8);
	src = &m->xive->source;
	if (!(hot->fast & SPAPR_FAST_XIVE) || lisn >= src->nr_irqs)
		return LOAD_MISS(SPIRQ_REGION_ESB, 8);
	old = xive_status_set_pq(xive_status(src, (uint32_t)lisn), pq);
	if (__builtin_expect(old == XIVE_ESB_OFF, 0) && pq != XIVE_ESB_OFF)
		xive_source_mark_live(src, (uint32_t)lisn);
	*value = old;
	fastlock_unlock(&hot->lock);
	return 0;
}

/*
 * The full way for a trigger store to source @lisn.  What the store
 * does depends on the LISN alone (the value and the offset in the page
 * are ignored): the fast path keeps only that in its registers.
 */
static __attribute__((noinline, cold))
int esb_trigger_full(spirq_machine *m, unsigned cpu, uint64_t lisn)
{
	return mmio_store_full(m, cpu, SPIRQ_REGION_ESB,
			       lisn << SPIRQ_XIVE_ESB_SHIFT, 8, 0);
}

/* ... and when the fast path holds the END vCPU's lock @route. */
static __attribute__((noinline, cold))
int esb_trigger_miss(spirq_machine *m, unsigned cpu, uint64_t lisn,
		     struct vcpu_hot *route)
{
	fastlock_unlock(&route->lock);
	return esb_trigger_full(m, cpu, lisn);
}

/*
 * An 8-byte store to an MSI's trigger page: taking no lock of its own,
 * the END vCPU's lock only (tried; xive_fast_notify()).  The accessing
 * vCPU's flags are read atomically: an unplug or a mode change racing
 * with the store may come before or after it.
 */
MMIO_FAST int esb_fast_trigger(MMIO_STORE_ARGS)
{
	uint64_t lisn = offset >> SPIRQ_XIVE_ESB_SHIFT;
	struct vcpu_hot *route;

	if (!(__atomic_load_n(&m->vcpus[cpu].hot->fast, __ATOMIC_RELAXED) &
	      SPAPR_FAST_XIVE) ||
	    lisn >= m->xive->source.nr_irqs)
		return esb_trigger_full(m, cpu, lisn);
	switch (xive_fast_notify(m, m->xive, (uint32_t)lisn, false, &route)) {
	case XIVE_FAST_DONE:
		return 0;
	case XIVE_FAST_MISS:
		return esb_trigger_full(m, cpu, lisn);
	default:
		return esb_trigger_miss(m, cpu, lisn, route);
	}
}

/*
 * What a guest does at every XIVE interrupt goes to its fast path; the
 * rest the full way.  ESB: 8-byte aligned stores to a trigger page (even
 * page), loads at SET_PQ_xx of a management page (odd page, offset
 * 0xc00..0xfff).
 */
int spirq_mmio_load(spirq_machine *m, unsigned cpu, spirq_region region,
		    uint64_t offset, unsigned size, uint64_t *value)
{
	if (size == 8) {
		if (region == SPIRQ_REGION_ESB &&
		    (offset & 0x10c07) == 0x10c00 && cpu < m->cfg.max_cpus)
			return esb_fast_set_pq(m, cpu, region, offset, size,
					       value);
	} else if (offset == TIMA_OS_ACK) {
		if (size == 2 && region == SPIRQ_REGION_TIMA &&
		    cpu < m->cfg.max_cpus)
			return tima_fast_ack(m, cpu, region, offset, size,
					     value);
	}
	return mmio_load_full(m, cpu, region, offset, size, value);
}

int spirq_mmio_store(spirq_machine *m, unsigned cpu, spirq_region region,
		     uint64_t offset, unsigned size, uint64_t value)
{
	if (size == 8) {
		if (region == SPIRQ_REGION_ESB && !(offset & 0x10007) &&
		    cpu < m->cfg.max_cpus)
			return esb_fast_trigger(m, cpu, region, offset, size,
						value);
	} else if (offset == TIMA_OS_CPPR) {
		if (size == 1 && region == SPIRQ_REGION_TIMA &&
		    cpu < m->cfg.max_cpus)
			return tima_fast_cppr(m, cpu, region, offset, size,
					      value);
	}
	return mmio_store_full(m, cpu, region, offset, size, value);
}

int spirq_info_pic(spirq_machine *m, spirq_print_fn fn, void *opaque)
{
	struct spirq_printer p = { .fn = fn, .opaque = opaque };
	const char *irqchip = "emulated";

	if (spapr_lock(m, __func__, NULL))
		return -SPIRQ_ERR_STATE;
	/* the state is the kernel's: read it first */
	if (spapr_kvm_sync(m, NULL)) {
		spapr_unlock(m);
		return -SPIRQ_ERR_KERNEL;
	}
	if (m->active) {
		m->active->print_info(m, &p);
		if (m->backend == SPIRQ_BACKEND_IN_KERNEL)
			irqchip = m->kvm ? "in-kernel" :
					   "in-kernel (simulated host)";
	}
	pr_line(&p, "irqchip: %s", irqchip);
	spapr_unlock(m);
	return 0;
}
