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
#include "spapr/irq-internal.h"
#include "xics/xics-fast.h"
#include "xive/xive-internal.h"

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

static int64_t xive_hcall_entry(spirq_machine *m, unsigned cpu,
				uint64_t opcode, const uint64_t *args,
				uint64_t *rets, unsigned *count)
{
	int64_t ret;

	if (spapr_lock_sources(m, "spirq_hcall"))
		return SPIRQ_H_HARDWARE;
	ret = cpu_is_plugged(m, cpu) ?
	      spapr_xive_hcall(m, cpu, opcode, args, rets, count) :
	      SPIRQ_H_HARDWARE;
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

/*
 * The calls of every interrupt go straight to their fast paths (tail
 * calls: nothing is added here); the others the full way.
 */
int64_t spapr_hcall_miss(spirq_machine *m, unsigned cpu, uint64_t opcode,
			 const uint64_t *args, uint64_t *rets,
			 unsigned *nrets)
{
	spapr_unlock_cpu(m, xics_hcall_cpu(m, cpu, opcode, args));
	return spapr_hcall_full(m, cpu, opcode, args, rets, nrets);
}

/*
 * The calls of every interrupt are done inline (src/xics/xics-fast.h);
 * the others, and those the fast paths cannot finish, the full way.
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
	return spapr_hcall_full(m, cpu, opcode, args, rets, nrets);
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
	if (!m->xive || !spapr_xive_is_active(m))
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

/* The TIMA is usable by a plugged vCPU while XIVE is active. */
static bool tima_usable(const spirq_machine *m, unsigned cpu)
{
	return m->vcpus[cpu].present && m->xive && spapr_xive_is_active(m);
}

/*
 * The OS ACK (a 2-byte load) and the OS CPPR store (1 byte): what a guest
 * does at every interrupt, done under the vCPU's lock with no other
 * decoding.  False when the access is anything else.
 */
static bool tima_fast_load(spirq_machine *m, unsigned cpu, uint64_t offset,
			   unsigned size, uint64_t *value)
{
	bool done = false;

	if (offset != SPIRQ_TM_OS_PAGE + SPIRQ_TM_SPC_ACK_OS_REG || size != 2 ||
	    cpu >= m->cfg.max_cpus || !fastlock_lock(&m->vcpus[cpu].hot->lock))
		return false;
	if (tima_usable(m, cpu)) {
		*value = xive_tctx_ack_os(m, m->vcpus[cpu].tctx);
		done = true;
	}
	fastlock_unlock(&m->vcpus[cpu].hot->lock);
	return done;
}

static bool tima_fast_store(spirq_machine *m, unsigned cpu, uint64_t offset,
			    unsigned size, uint64_t value)
{
	bool done = false;

	if (offset != SPIRQ_TM_OS_PAGE + SPIRQ_TM_QW1_OS + SPIRQ_TM_CPPR ||
	    size != 1 || cpu >= m->cfg.max_cpus ||
	    !fastlock_lock(&m->vcpus[cpu].hot->lock))
		return false;
	if (tima_usable(m, cpu)) {
		xive_tctx_set_os_cppr(m, m->vcpus[cpu].tctx, (uint8_t)value);
		done = true;
	}
	fastlock_unlock(&m->vcpus[cpu].hot->lock);
	return done;
}

int spirq_mmio_load(spirq_machine *m, unsigned cpu, spirq_region region,
		    uint64_t offset, unsigned size, uint64_t *value)
{
	int ret;

	if (region == SPIRQ_REGION_TIMA &&
	    tima_fast_load(m, cpu, offset, size, value))
		return 0;

	if (region != SPIRQ_REGION_ESB && region != SPIRQ_REGION_TIMA)
		return -SPIRQ_ERR_INVAL;
	ret = region_lock(m, cpu, region, __func__);
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
int spirq_mmio_store(spirq_machine *m, unsigned cpu, spirq_region region,
		     uint64_t offset, unsigned size, uint64_t value)
{
	unsigned i;
	int ret;

	if (region == SPIRQ_REGION_TIMA &&
	    tima_fast_store(m, cpu, offset, size, value))
		return 0;

	if (region != SPIRQ_REGION_ESB && region != SPIRQ_REGION_TIMA)
		return -SPIRQ_ERR_INVAL;
	ret = region_lock(m, cpu, region, __func__);
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

int spirq_info_pic(spirq_machine *m, spirq_print_fn fn, void *opaque)
{
	struct spirq_printer p = { .fn = fn, .opaque = opaque };
	const char *irqchip = "emulated";

	if (spapr_lock(m, __func__, NULL))
		return -SPIRQ_ERR_STATE;
	if (m->active) {
		m->active->print_info(m, &p);
		if (m->backend == SPIRQ_BACKEND_IN_KERNEL)
			irqchip = "in-kernel (simulated host)";
	}
	pr_line(&p, "irqchip: %s", irqchip);
	spapr_unlock(m);
	return 0;
}
