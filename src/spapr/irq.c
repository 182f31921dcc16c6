// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sPAPR IRQ layer: one claim registry for both controllers, device
 * lines, the choice and switching of the active controller.
 *
 * Claims are recorded once here and replayed into every present
 * controller, so XICS and XIVE never disagree on what is claimed.  Device
 * events go to the active controller only; while the controller is being
 * switched (CAS, reset), they are held here and replayed as soon as the
 * new controller is active, together with the levels of the LSI lines
 * that are still asserted -- so no event is lost to a half-switched
 * machine (seed 001), and the new controller sees the true line levels.
 */
#include "common/error-internal.h"
#include "kvm/kvm.h"
#include "spapr/irq-internal.h"
#include "xics/xics-fast.h"
#include "xive/xive-fast.h"

static bool irq_in_range(const spirq_machine *m, uint64_t irq)
{
	return irq >= SPIRQ_XIRQ_BASE && irq < m->nr_irqs;
}

static int out_of_range(const spirq_machine *m, uint64_t irq,
			spirq_error *err)
{
	return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"IRQ %llu is outside the external sources 0x%x..0x%x",
				(unsigned long long)irq, SPIRQ_XIRQ_BASE,
				m->nr_irqs - 1);
}

int spirq_irq_claim(spirq_machine *m, uint32_t irq, bool lsi,
		    spirq_error *err)
{
	const struct spapr_intc_ops *ops;
	int i, ret;

	spirq_error_clear(err);
	ret = spapr_lock(m, __func__, err);
	if (ret)
		return ret;
	if (!irq_in_range(m, irq)) {
		ret = out_of_range(m, irq, err);
	} else if (m->claims[irq] != CLAIM_FREE) {
		ret = spirq__error_set(err, SPIRQ_ERR_BUSY, "IRQ %u is not free",
				       irq);
	} else {
		m->claims[irq] = lsi ? CLAIM_LSI : CLAIM_MSI;
		m->lines[irq] = 0;
		for_each_intc(m, ops, i)
			ops->claim(m, irq, lsi);
		ret = spapr_kvm_claimed(m, irq, err);
		if (ret) {	/* the kernel refused it: no claim */
			m->claims[irq] = CLAIM_FREE;
			for_each_intc(m, ops, i)
				ops->free(m, irq);
		}
	}
	spapr_unlock(m);
	return ret;
}

int spirq_irq_free(spirq_machine *m, uint32_t irq)
{
	const struct spapr_intc_ops *ops;
	int i, ret;

	/* nr_irqs is read under the lock: spirq_restore() swaps it */
	ret = spapr_lock(m, __func__, NULL);
	if (ret)
		return ret;
	if (!irq_in_range(m, irq)) {
		ret = -SPIRQ_ERR_INVAL;
	} else {
		bool claimed = m->claims[irq] != CLAIM_FREE;

		m->claims[irq] = CLAIM_FREE;
		m->lines[irq] = 0;
		for_each_intc(m, ops, i)
			ops->free(m, irq);
		if (claimed)
			spapr_kvm_freed(m, irq);
	}
	spapr_unlock(m);
	return ret;
}

static void hold(spirq_machine *m, uint32_t irq, int level)
{
	uint8_t *line = &m->lines[irq];

	if (m->claims[irq] == CLAIM_LSI || !level)
		return;		/* LSIs: the level is replayed */
	if (*line & LINE_HELD_MSI)
		*line |= LINE_HELD_MSI_AGAIN;
	*line |= LINE_HELD_MSI;
}

/* The active controller's line: the kernel's when its device is live. */
static int active_set_irq(spirq_machine *m, uint32_t irq, int level)
{
	int ret = m->kvm_lines ? spapr_kvm_set_irq(m, irq, level) : 0;

	if (!ret)
		m->active->set_irq(m, irq, level);
	return ret < 0 ? ret : 0;
}

int spapr_irq_set_locked(spirq_machine *m, uint32_t irq, int level)
{
	if (m->claims[irq] == CLAIM_LSI) {
		if (level)
			m->lines[irq] |= LINE_LEVEL;
		else
			m->lines[irq] &= (uint8_t)~LINE_LEVEL;
	}
	if (!m->active) {
		hold(m, irq, level);
		return 0;
	}
	return active_set_irq(m, irq, level);
}

/* A device line, the sources lock held: every case. */
static int set_irq_locked(spirq_machine *m, uint32_t irq, int level)
{
	/* nr_irqs is read under the lock: spirq_restore() swaps it */
	if (!irq_in_range(m, irq))
		return -SPIRQ_ERR_INVAL;
	if (m->claims[irq] == CLAIM_FREE)
		return -SPIRQ_ERR_NOTFOUND;
	return spapr_irq_set_locked(m, irq, level);
}

/* The sources lock was taken: wait for it (or refuse a re-entry). */
static __attribute__((noinline, cold))
int set_irq_wait(spirq_machine *m, uint32_t irq, int level)
{
	int ret = spapr_lock_sources(m, "spirq_set_irq");

	if (ret)
		return ret;
	ret = set_irq_locked(m, irq, level);
	spapr_unlock_sources(m);
	return ret;
}

int spapr_set_irq_miss(spirq_machine *m, uint32_t irq, int level,
		       int locked_cpu)
{
	int ret;

	if (locked_cpu >= 0)
		spapr_unlock_cpu(m, (unsigned)locked_cpu);
	ret = set_irq_locked(m, irq, level);
	spapr_unlock_sources(m);
	return ret;
}

/*
 * An MSI fires while XIVE is active (sources lock held): routed, then
 * delivered under the END vCPU's lock, tried (xive-fast.h).  Out of line
 * (a tail call): the XICS path then saves no register for it.
 */
static __attribute__((noinline))
int xive_fast_msi(spirq_machine *m, uint32_t irq)
{
	struct vcpu_hot *route;

	switch (xive_fast_notify(m, m->xive, irq, true, &route)) {
	case XIVE_FAST_DONE:
		fastlock_unlock(&m->sources_lock);
		return 0;
	case XIVE_FAST_MISS_HELD:
		fastlock_unlock(&route->lock);
		break;
	default:
		break;
	}
	return spapr_set_irq_miss(m, irq, 1, -1);
}

/*
 * Under the sources lock: a delivery takes its target presenter's lock
 * inside.  An MSI firing takes the fast path of the active controller
 * (src/xics/xics-fast.h, src/xive/xive-fast.h).
 */
int spirq_set_irq(spirq_machine *m, uint32_t irq, int level)
{
	if (!fastlock_trylock(&m->sources_lock))
		return set_irq_wait(m, irq, level);
	/* irq_in_range() from the configuration, which never changes */
	/* (with a kernel device, the kernel's: the full way, src/kvm) */
	if (__builtin_expect(irq - SPIRQ_XIRQ_BASE < m->cfg.nr_xirqs && level &&
			     !m->kvm_lines, 1)) {
		if (spapr_xics_is_active(m))
			return xics_fast_msi(m, irq);	/* checks the claim */
		if (spapr_xive_is_active(m) && m->claims[irq] == CLAIM_MSI)
			return xive_fast_msi(m, irq);
	}
	return spapr_set_irq_miss(m, irq, level, -1);
}

/* The next claimed source at or after @irq, or nr_irqs. */
static uint32_t next_claimed(const spirq_machine *m, uint32_t irq)
{
	return (uint32_t)bytes_next_nonzero(m->claims, m->nr_irqs, irq);
}

/*
 * Give the new controller what happened while none was active.  Only
 * claimed sources have a line state (a free clears it, unclaimed sources
 * take no event).
 */
static void replay(spirq_machine *m)
{
	uint32_t irq;

	for (irq = next_claimed(m, SPIRQ_XIRQ_BASE); irq < m->nr_irqs;
	     irq = next_claimed(m, irq + 1)) {
		uint8_t line = m->lines[irq];

		if (m->claims[irq] == CLAIM_LSI) {
			/* the true level, whatever this controller saw last */
			active_set_irq(m, irq, line & LINE_LEVEL);
			continue;
		}
		if (!line)
			continue;
		m->lines[irq] = 0;
		active_set_irq(m, irq, 1);
		if (line & LINE_HELD_MSI_AGAIN)
			active_set_irq(m, irq, 1);
	}
}

const struct spapr_intc_ops *spapr_irq_wanted(const spirq_machine *m)
{
	if (!m->ics || spapr_xive_negotiated(m))
		return &spapr_xive_ops;
	return &spapr_xics_ops;
}

void spapr_irq_deactivate(spirq_machine *m)
{
	if (m->active) {
		spapr_kvm_deactivate(m);
		m->active->deactivate(m);
		m->last_active = m->active;
	}
	m->active = NULL;
}

static spirq_backend planned_backend(const spirq_machine *m,
				     const struct spapr_intc_ops *ops)
{
	const spirq_irqchip_plan *plan = &m->cfg.plan;

	if (ops == &spapr_xive_ops)
		return plan->xive;
	return m->xive_was_active ? plan->xics_again : plan->xics;
}

void spapr_irq_activate(spirq_machine *m, const struct spapr_intc_ops *to)
{
	spirq_backend backend = planned_backend(m, to);
	/* QEMU warns when it connects a backend, not when nothing changes */
	bool same = to == m->last_active && backend == m->backend;
	const char *warning;

	m->backend = backend;
	warning = to == &spapr_xive_ops ? m->cfg.plan.xive_warning :
	      m->xive_was_active ? m->cfg.plan.xics_again_warning :
				   m->cfg.plan.xics_warning;
	if (warning[0] && !same)
		spapr_log(m, SPIRQ_LOG_WARNING, "%s", warning);
	to->activate(m);
	spapr_kvm_activate(m, to);
	m->active = to;
	if (to == &spapr_xive_ops)
		m->xive_was_active = true;
	replay(m);
}

/*
 * After a restore: the controller the negotiated mode calls for, active
 * with the state it was loaded with (nothing replayed, nothing logged).
 */
void spapr_irq_restore_active(spirq_machine *m)
{
	const struct spapr_intc_ops *to = spapr_irq_wanted(m);

	m->active = to;
	m->backend = planned_backend(m, to);
}

void spapr_irq_switch(spirq_machine *m, const struct spapr_intc_ops *to)
{
	if (m->active == to)
		return;
	spapr_irq_deactivate(m);
	spapr_log(m, SPIRQ_LOG_INFO, "interrupt controller: %s", to->name);
	spapr_irq_activate(m, to);
}

int spapr_irq_init(spirq_machine *m)
{
	if (m->xive)
		spapr_xive_claim_ipis(m);
	spapr_reset_phase(m, RESET_STATE);
	spapr_irq_activate(m, spapr_irq_wanted(m));
	return 0;
}
