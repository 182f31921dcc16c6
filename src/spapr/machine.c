// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The machine object: creation, destruction, and the services the
 * interrupt controllers use (vCPU lookup, interrupt lines, guest memory,
 * logging).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spirq/topology.h>

#include "common/alloc.h"
#include "common/coverage.h"
#include "common/error-internal.h"
#include "kvm/kvm-internal.h"
#include "kvm/kvm.h"
#include "spapr/irq-internal.h"
#include "xics/xics-internal.h"
#include "xive/xive-internal.h"

/* ---- services -------------------------------------------------------------- */

int spapr_cpu_by_server(const spirq_machine *m, uint64_t server)
{
	int cpu = spapr_cpu_index(m, server);

	if (cpu < 0 || !m->vcpus[cpu].present)
		return -1;
	return cpu;
}

int spapr_read_guest(spirq_machine *m, uint64_t gpa, void *buf, size_t len)
{
	if (!m->ops.read_guest || !spapr_range_in_ram(m, gpa, len))
		return -1;
	return m->ops.read_guest(m->ops.opaque, gpa, buf, len) ? -1 : 0;
}

static void vlog(spirq_machine *m, spirq_log_level level, const char *fmt,
		 va_list ap) __attribute__((format(printf, 3, 0)));

static void vlog(spirq_machine *m, spirq_log_level level, const char *fmt,
		 va_list ap)
{
	char msg[256];

	if (!m->ops.log)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	m->ops.log(m->ops.opaque, level, msg);
}

void spapr_log(spirq_machine *m, spirq_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(m, level, fmt, ap);
	va_end(ap);
}

void spapr_guest_error(spirq_machine *m, enum guest_error_class cls,
		       const char *fmt, ...)
{
	/* counted under different locks (a vCPU's, the sources') */
	unsigned count = __atomic_add_fetch(&m->guest_errors[cls], 1,
					    __ATOMIC_RELAXED);
	va_list ap;

	if (count > GUEST_ERROR_LOG_LIMIT)
		return;
	va_start(ap, fmt);
	vlog(m, SPIRQ_LOG_GUEST_ERROR, fmt, ap);
	va_end(ap);
	if (count == GUEST_ERROR_LOG_LIMIT)
		spapr_log(m, SPIRQ_LOG_GUEST_ERROR,
			  "further guest errors of this kind are not logged");
}

uint64_t spapr_timebase(spirq_machine *m, unsigned cpu)
{
	return m->ops.timebase ? m->ops.timebase(m->ops.opaque, cpu) : 0;
}

/* ---- the locks -------------------------------------------------------------- */

#define REENTRY_MSG \
	"%s called from a host callback of the same machine: refused (it would deadlock)"

static int refuse_reentry(spirq_machine *m, const char *entry,
			  spirq_error *err)
{
	if (!__atomic_exchange_n(&m->reentry_logged, true, __ATOMIC_RELAXED))
		spapr_log(m, SPIRQ_LOG_WARNING, REENTRY_MSG, entry);
	return spirq__error_set(err, SPIRQ_ERR_STATE, REENTRY_MSG, entry);
}

int spapr_lock_sources(spirq_machine *m, const char *entry)
{
	if (!fastlock_lock(&m->sources_lock))
		return refuse_reentry(m, entry, NULL);
	return 0;
}

void spapr_unlock_sources(spirq_machine *m)
{
	fastlock_unlock(&m->sources_lock);
}

int spapr_lock_cpu(spirq_machine *m, unsigned cpu, const char *entry)
{
	if (!fastlock_lock(&m->vcpus[cpu].hot->lock))
		return refuse_reentry(m, entry, NULL);
	return 0;
}

SPIRQ_UNTRACED
int spapr_lock(spirq_machine *m, const char *entry, spirq_error *err)
{
	unsigned cpu;

	if (!fastlock_lock(&m->sources_lock))
		return refuse_reentry(m, entry, err);
	for (cpu = 0; cpu < m->cfg.max_cpus; cpu++) {
		if (fastlock_lock(&m->vcpus[cpu].hot->lock))
			continue;
		/* a callback of a vCPU operation: give everything back */
		while (cpu--)
			fastlock_unlock(&m->vcpus[cpu].hot->lock);
		fastlock_unlock(&m->sources_lock);
		return refuse_reentry(m, entry, err);
	}
	m->exclusive = true;
	return 0;
}

/* The fast paths the mode allows, SPAPR_FAST_*, vCPUs aside. */
SPIRQ_UNTRACED
static uint32_t fast_mode(const spirq_machine *m)
{
	/* with a kernel device active, everything goes the full way, where
	 * the in-kernel backend takes over (src/kvm) */
	if (m->kvm_lines)
		return 0;
	return (spapr_xive_negotiated(m) ? 0 : SPAPR_FAST_XICS) |
	       (spapr_xive_is_active(m) ? SPAPR_FAST_XIVE : 0);
}

SPIRQ_UNTRACED
void spapr_refresh_fast(spirq_machine *m)
{
	uint32_t mode = fast_mode(m);
	unsigned cpu;

	for (cpu = 0; cpu < m->cfg.max_cpus; cpu++) {
		struct vcpu_slot *v = &m->vcpus[cpu];

		/* atomic: the ESB trigger reads it holding no lock */
		__atomic_store_n(&v->hot->fast, !v->present ? 0 :
				 mode & ((v->icp ? SPAPR_FAST_XICS : 0) |
					 (v->tctx ? SPAPR_FAST_XIVE : 0)),
				 __ATOMIC_RELAXED);
	}
	m->fast_mode = (uint8_t)mode;
	m->vcpus_changed = false;
}

/*
 * What changed under the exclusive lock is seen by the fast paths.  Most
 * exclusive operations (claims, info pic, saves) change neither the mode
 * nor the vCPUs: the walk over every vCPU is left out then.
 */
SPIRQ_UNTRACED
void spapr_unlock(spirq_machine *m)
{
	unsigned cpu;

	if (m->vcpus_changed || fast_mode(m) != m->fast_mode)
		spapr_refresh_fast(m);
	m->exclusive = false;
	for (cpu = m->cfg.max_cpus; cpu--;)
		fastlock_unlock(&m->vcpus[cpu].hot->lock);
	fastlock_unlock(&m->sources_lock);
}

/* ---- creation -------------------------------------------------------------- */

/* What a host leaves out does nothing (writes fail, as to absent RAM):
 * the fast paths then call the callbacks without checking for NULL. */
static void no_cpu_irq(void *opaque, unsigned cpu_index, int level)
{
	(void)opaque;
	(void)cpu_index;
	(void)level;
}

static int no_guest_ram(void *opaque, uint64_t gpa, const void *buf,
			size_t len)
{
	(void)opaque;
	(void)gpa;
	(void)buf;
	(void)len;
	return -1;
}

static void host_ops_defaults(spirq_host_ops *ops)
{
	if (!ops->set_cpu_irq)
		ops->set_cpu_irq = no_cpu_irq;
	if (!ops->write_guest)
		ops->write_guest = no_guest_ram;
}

/* A configuration that did not come from spirq_config_resolve() could
 * make the arithmetic below divide by zero or overflow. */
static bool config_is_sane(const spirq_config *c)
{
	return c->max_cpus >= 1 && c->max_cpus <= SPIRQ_MAX_CPUS &&
	       c->smp_cpus >= 1 && c->smp_cpus <= c->max_cpus &&
	       c->threads >= 1 && c->vsmt >= c->threads &&
	       (c->cap_xics || c->cap_xive) &&
	       (c->nr_xirqs == 0x400 || c->nr_xirqs == 0x1000) &&
	       (!c->cap_xive || (c->nr_xirqs == 0x1000 && c->nr_ipis >= 1 &&
				c->nr_ipis <= 0x1000 &&
				c->nr_end_vcpus == c->nr_ipis &&
				c->nr_ends == c->nr_end_vcpus * 8 &&
				c->nr_end_vcpus >= (c->xive_by_max_cpus ?
						    c->max_cpus :
						    c->vcpu_id_bound))) &&
	       c->vcpu_id_bound ==
		       ((uint64_t)c->max_cpus * c->vsmt + c->threads - 1) /
			       c->threads &&
	       c->ram_size > 0;
}

static int create_controllers(spirq_machine *m)
{
	if (m->cfg.cap_xics) {
		m->ics = ics_create(m->cfg.nr_xirqs, &m->footprint);
		if (!m->ics)
			return -SPIRQ_ERR_NOMEM;
	}
	if (m->cfg.cap_xive) {
		m->xive = spapr_xive_create(&m->cfg, &m->footprint);
		if (!m->xive)
			return -SPIRQ_ERR_NOMEM;
	}
	return 0;
}

/*
 * The hot entries (struct vcpu_hot), 4 a cache line, in L lines: vCPU c
 * gets entry c / L of line c % L, so that the vCPUs of a line are L
 * apart.  L is max_cpus / 4 rounded up, or, with few vCPUs, one line
 * each up to 64: 16 bytes per possible vCPU, at most 4 KiB more.
 */
#define HOT_PER_LINE	(SPAPR_CACHE_LINE / sizeof(struct vcpu_hot))

static int spapr_locks_alloc(spirq_machine *m)
{
	unsigned n = m->cfg.max_cpus, lines = (n + HOT_PER_LINE - 1) / HOT_PER_LINE;
	unsigned cpu;

	if (lines < 64)
		lines = n < 64 ? n : 64;
	m->hot_entries = lines * HOT_PER_LINE;
	m->hot_area = spirq__calloc_aligned(&m->footprint, m->hot_entries,
					    sizeof(*m->hot_area),
					    SPAPR_CACHE_LINE);
	if (!m->hot_area)
		return -SPIRQ_ERR_NOMEM;
	for (cpu = 0; cpu < n; cpu++)
		m->vcpus[cpu].hot = &m->hot_area[cpu % lines * HOT_PER_LINE +
						 cpu / lines];
	return 0;
}

static int allocate(spirq_machine *m)
{
	size_t *fp = &m->footprint;

	m->nr_irqs = SPIRQ_XIRQ_BASE + m->cfg.nr_xirqs;
	m->vcpus = spirq__calloc(fp, m->cfg.max_cpus, sizeof(*m->vcpus));
	if (!m->vcpus || spapr_locks_alloc(m))
		return -SPIRQ_ERR_NOMEM;
	m->plug_order = spirq__calloc(fp, m->cfg.max_cpus,
				      sizeof(*m->plug_order));
	m->claims = spirq__calloc(fp, m->nr_irqs, sizeof(*m->claims));
	m->lines = spirq__calloc(fp, m->nr_irqs, sizeof(*m->lines));
	m->msi_map = spirq__calloc(fp, BITS_TO_WORDS(SPIRQ_NR_MSIS),
				   sizeof(uint64_t));
	if (!m->plug_order || !m->claims || !m->lines || !m->msi_map)
		return -SPIRQ_ERR_NOMEM;
	return create_controllers(m);
}

/* The callbacks a table of @ops->version has (older tables are shorter). */
static void copy_host_ops(spirq_host_ops *to, const spirq_host_ops *ops)
{
	size_t size = ops->version >= 2 ? sizeof(*ops) :
			  offsetof(spirq_host_ops, kvm_vm_fd);

	memcpy(to, ops, size);
}

static int create_state(spirq_machine *m, const struct spapr_kvm_sys *sys,
			spirq_error *err)
{
	unsigned cpu;
	int ret;

	ret = spapr_kvm_attach(m, sys, err);
	if (ret)
		return ret == -SPIRQ_ERR_NOMEM ?
		       spirq__error_set(err, SPIRQ_ERR_NOMEM, "out of memory") :
		       ret;
	ret = allocate(m);
	for (cpu = 0; !ret && cpu < m->cfg.smp_cpus; cpu++)
		ret = spapr_cpu_plug_locked(m, cpu);
	if (!ret)
		ret = spapr_irq_init(m);
	if (ret)
		return spirq__error_set(err, -ret, "out of memory");
	spapr_refresh_fast(m);
	return spapr_kvm_check_started(m, err);
}

int spirq_machine_create(const spirq_config *cfg, const spirq_host_ops *ops,
			 spirq_machine **out, spirq_error *err)
{
	return spapr_machine_create_sys(cfg, ops, &spapr_kvm_real_sys, out, err);
}

/* The machine object of @cfg and @ops (may be NULL), nothing allocated. */
static spirq_machine *machine_object(const spirq_config *cfg,
				     const spirq_host_ops *ops)
{
	size_t footprint = 0;
	spirq_machine *m = spirq__calloc(&footprint, 1, sizeof(*m));

	if (!m)
		return NULL;
	m->footprint = footprint;
	m->cfg = *cfg;
	m->compat_pvr = spapr_reset_compat_pvr(cfg);
	if (ops)
		copy_host_ops(&m->ops, ops);
	host_ops_defaults(&m->ops);
	m->held_cpu = -1;
	m->dense_ids = cfg->vsmt == cfg->threads ? cfg->max_cpus : 0;
	return m;
}

/*
 * Half of spirq_machine_create()'s work: the boot vCPUs, the reset and
 * the activation it does would be undone by a restore (which unplugged
 * them again) or overwritten by it.  The tables as allocated are in reset
 * state; the IPIs, which no stream lists, are claimed as at creation.
 */
spirq_machine *spapr_machine_create_bare(const spirq_config *cfg)
{
	spirq_machine *m = machine_object(cfg, NULL);

	if (!m)
		return NULL;
	if (allocate(m)) {
		spirq_machine_destroy(m);
		return NULL;
	}
	if (m->xive)
		spapr_xive_claim_ipis(m);
	return m;
}

int spapr_machine_create_sys(const spirq_config *cfg,
			     const spirq_host_ops *ops,
			     const struct spapr_kvm_sys *sys,
			     spirq_machine **out, spirq_error *err)
{
	spirq_machine *m;
	int ret;

	*out = NULL;
	spirq_error_clear(err);
	if (!config_is_sane(cfg))
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
			"the configuration was not produced by spirq_config_resolve()");
	if (ops && (ops->version < 1 || ops->version > SPIRQ_HOST_OPS_VERSION))
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
			"host ops version %u is not supported (this library: %u)",
			ops->version, SPIRQ_HOST_OPS_VERSION);
	m = machine_object(cfg, ops);
	if (!m)
		return spirq__error_set(err, SPIRQ_ERR_NOMEM, "out of memory");

	ret = create_state(m, sys, err);
	if (ret) {
		spirq_machine_destroy(m);
		return ret;
	}
	*out = m;
	return 0;
}

/*
 * Only frees: no unplug semantics (masking sources, lowering lines), so no
 * host callback runs while the embedder tears its VM down, and the cost
 * does not grow with vCPUs x sources.
 */
void spirq_machine_destroy(spirq_machine *m)
{
	const struct spapr_intc_ops *ops;
	unsigned cpu;
	int i;

	if (!m)
		return;
	spapr_kvm_detach(m);
	for (cpu = 0; m->vcpus && cpu < m->cfg.max_cpus; cpu++)
		if (m->vcpus[cpu].present)
			for_each_intc(m, ops, i)
				ops->cpu_destroy(m, cpu);
	ics_destroy(m->ics, &m->footprint);
	spapr_xive_destroy(m->xive, &m->footprint);
	spirq__free(&m->footprint, m->vcpus, m->cfg.max_cpus,
		    sizeof(*m->vcpus));
	spirq__free_aligned(&m->footprint, m->hot_area, m->hot_entries,
			    sizeof(*m->hot_area), SPAPR_CACHE_LINE);
	spirq__free(&m->footprint, m->plug_order, m->cfg.max_cpus,
		    sizeof(*m->plug_order));
	spirq__free(&m->footprint, m->claims, m->nr_irqs, sizeof(*m->claims));
	spirq__free(&m->footprint, m->lines, m->nr_irqs, sizeof(*m->lines));
	spirq__free(&m->footprint, m->msi_map, BITS_TO_WORDS(SPIRQ_NR_MSIS),
		    sizeof(uint64_t));
	free(m);
}

/*
 * The slots' contents are exchanged, but not their hot entries (where
 * other threads wait for the locks, and the lines each machine's host
 * was told: spirq_restore() drives them afterwards).
 */
static void swap_vcpus(spirq_machine *a, spirq_machine *b)
{
	unsigned cpu;

	for (cpu = 0; cpu < a->cfg.max_cpus; cpu++) {
		struct vcpu_slot *x = &a->vcpus[cpu], *y = &b->vcpus[cpu];

		SPAPR_SWAP(x, y, present);
		SPAPR_SWAP(x, y, vcpu_id);
		SPAPR_SWAP(x, y, icp);
		SPAPR_SWAP(x, y, tctx);
	}
}

void spapr_machine_swap(spirq_machine *a, spirq_machine *b)
{
	swap_vcpus(a, b);
	a->vcpus_changed = true;
	b->vcpus_changed = true;
	SPAPR_SWAP(a, b, plug_order);
	SPAPR_SWAP(a, b, nr_plugged);
	SPAPR_SWAP(a, b, claims);
	SPAPR_SWAP(a, b, lines);
	SPAPR_SWAP(a, b, nr_irqs);
	SPAPR_SWAP(a, b, msi_map);
	SPAPR_SWAP(a, b, ics);
	if (a->xive)
		spapr_xive_swap(a->xive, b->xive);
	SPAPR_SWAP(a, b, active);
	SPAPR_SWAP(a, b, backend);
	SPAPR_SWAP(a, b, xive_was_active);
	SPAPR_SWAP(a, b, last_active);
	SPAPR_SWAP(a, b, ov5_cas);
	SPAPR_SWAP(a, b, compat_pvr);
	/* both count one machine object, and now each other's tables */
	SPAPR_SWAP(a, b, footprint);
	/* the in-kernel backend stays with its machine, and its bytes too */
	spapr_kvm_swap_footprint(a, b);
}

const spirq_config *spirq_machine_config(const spirq_machine *m)
{
	return &m->cfg;
}

size_t spirq_machine_footprint(const spirq_machine *m)
{
	/* changed under the lock by plug, unplug and restore; read without */
	return __atomic_load_n(&m->footprint, __ATOMIC_RELAXED);
}
