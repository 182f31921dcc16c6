// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The interrupt storm (storm.h): a random device-and-guest workload on one
 * machine, every observation checked by the conservation oracle.
 *
 * The guest side acts as Linux does: XICS takes an interrupt with H_XIRR,
 * quiets a level-triggered device in its handler, and EOIs with the XIRR
 * it got; XIVE acknowledges through the TIMA, reads the event queue of the
 * acknowledged priority to the end, EOIs each event with a load from the
 * source's management page, and restores its CPPR.  Sources are routed at
 * priorities 5 and 6; the vCPUs' CPPR moves among 0, 5, 6 and 0xff.
 *
 * Resets go through the internal phase API (the test links the library's
 * internals) so that device events can arrive between the phases, as they
 * do in a VMM whose devices run in other threads.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <spirq/spirq.h>

#include "common/bitmap.h"
#include "common/coverage.h"
#include "spapr/irq-internal.h"
#include "storm.h"
#include "../unit/test-guest-ram.h"

#define NR_MSI		12
#define NR_LSI		4
#define NR_SRC		(NR_MSI + NR_LSI)
#define FIRST_MSI	0x1300
#define FIRST_LSI	0x1200
#define BOOT_CPUS	4
#define MAX_CPUS	8
#define RAM_SIZE	(256u << 20)
#define QSHIFT		16			/* 64 KiB: 16384 entries */
#define QENTRIES	(1u << (QSHIFT - 2))
#define QBASE		0x100000ull
#define COPY_RAM	(QBASE + MAX_CPUS * 4 * (1ull << QSHIFT))
#define DRAIN_BACKLOG	3000			/* below ORACLE_QUEUE_MAX */
#define RAM_PAGE	4096u
#define RAM_PAGES	(RAM_SIZE / RAM_PAGE)
#define COPY_PAGES	(COPY_RAM / RAM_PAGE)
#define POOL_HOSTS	2
#define POOL_CONFIGS	8

#define XIVE_SET_EISN	0x2
#define XIVE_ALWAYS_NOTIFY 0x1
#define TIMA_CPPR	0x20011
#define TIMA_ACK	0x20810
#define ESB_MGMT	0x10000

static const uint8_t prios[2] = { 5, 6 };

struct host {
	struct test_ram ram;	/* first: the RAM callbacks' opaque */
	int line[ORACLE_MAX_CPUS];
	const bool *plugged;
	unsigned bad_lines;	/* raised for a vCPU that is not plugged */
	/*
	 * The pages the library wrote (event queue entries): the others are
	 * zeros, so clearing a queue or copying the RAM for a migration
	 * touches only these.
	 */
	uint64_t dirty[BITS_TO_WORDS(RAM_PAGES)];
	/*
	 * The pages spirq was given a pointer to (map_guest): it may write
	 * them at any time, unseen, so they stay dirty until the host is
	 * given back to the pool.
	 */
	uint64_t mapped[BITS_TO_WORDS(RAM_PAGES)];
	unsigned dirty_end;	/* pages past it are clean */
};

/* What storm_run() calls with the same pool reuse (storm.h). */
struct storm_pool {
	struct oracle *o;
	struct host *hosts[POOL_HOSTS];		/* RAM all zeros */
	unsigned nr_hosts;
	struct {
		const char *machine;
		spirq_config cfg;
	} configs[POOL_CONFIGS];
	unsigned nr_configs;
};

struct gqueue {		/* the guest's view of one event queue */
	uint32_t index, toggle;
	bool on;
	unsigned page;		/* which of its two pages (qpage()) */
};

struct storm {
	const struct storm_config *cfg;
	struct storm_result *res;
	spirq_config mcfg;
	spirq_machine *m;
	struct host *h;
	struct host *spare;	/* the next migration's destination RAM */
	struct oracle *o;
	bool has_xics, has_xive, dual;
	enum oracle_intc dflt;
	/* random choices */
	uint64_t rng;
	size_t pos;
	bool out_of_bytes;
	/* the guest */
	bool plugged[ORACLE_MAX_CPUS];
	bool cpu_up[2][ORACLE_MAX_CPUS];	/* set up in XICS / XIVE */
	bool mode_up[2];
	struct gqueue q[ORACLE_MAX_CPUS][2];
	unsigned target[NR_SRC];		/* cpu_index */
	unsigned save_restores;	/* done: cfg->max_save_restores */
	bool threaded;		/* the oracle cannot follow: no checks */
	bool failed;
};

/* ---- helpers ------------------------------------------------------------------ */

static void fail(struct storm *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct storm *st, const char *fmt, ...)
{
	va_list ap;

	if (st->failed)
		return;
	st->failed = true;
	va_start(ap, fmt);
	vsnprintf(st->res->error, sizeof(st->res->error), fmt, ap);
	va_end(ap);
}

SPIRQ_UNTRACED
static void check(struct storm *st, bool ok)
{
	if (!ok && !st->threaded)
		fail(st, "op %llu: %s", (unsigned long long)st->res->ops,
		     oracle_error(st->o));
}

/*
 * The next choice among @n: from the input's bytes or the generator.
 *
 * This reader, the host callbacks and the wrappers that check each call
 * are left out of fuzzing instrumentation (SPIRQ_UNTRACED), as
 * fuzz-common.c's: their comparisons are about the plumbing, not about
 * what the storm does (the library calls inside stay instrumented).
 */
SPIRQ_UNTRACED
static uint32_t pick(struct storm *st, uint32_t n)
{
	uint32_t v;

	if (n <= 1)
		return 0;
	if (st->cfg->bytes) {
		if (st->pos + 2 > st->cfg->nbytes) {
			st->out_of_bytes = true;
			return 0;
		}
		v = (uint32_t)st->cfg->bytes[st->pos] << 8 |
		    st->cfg->bytes[st->pos + 1];
		st->pos += 2;
		return v % n;
	}
	st->rng = st->rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(st->rng >> 33) % n;
}

static uint32_t src_irq(unsigned s)
{
	return s < NR_MSI ? FIRST_MSI + s : FIRST_LSI + (s - NR_MSI);
}

static bool src_lsi(unsigned s)
{
	return s >= NR_MSI;
}

static int irq_src(uint32_t irq)
{
	if (irq >= FIRST_MSI && irq < FIRST_MSI + NR_MSI)
		return (int)(irq - FIRST_MSI);
	if (irq >= FIRST_LSI && irq < FIRST_LSI + NR_LSI)
		return (int)(NR_MSI + irq - FIRST_LSI);
	return -1;
}

static uint32_t vcpu_id(const struct storm *st, unsigned cpu)
{
	return spirq_vcpu_id(&st->mcfg, cpu);
}

SPIRQ_UNTRACED
static unsigned random_plugged(struct storm *st)
{
	unsigned c = pick(st, MAX_CPUS), i;

	for (i = 0; i < MAX_CPUS; i++, c = (c + 1) % MAX_CPUS)
		if (st->plugged[c])
			return c;
	return 0;
}

SPIRQ_UNTRACED
static int64_t hcall(struct storm *st, unsigned cpu, uint64_t opcode,
		     uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		     uint64_t a4, uint64_t *ret0)
{
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { a0, a1, a2, a3, a4 };
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	int64_t rc = spirq_hcall(st->m, cpu, opcode, args, rets, NULL);

	if (rc != SPIRQ_H_SUCCESS)
		fail(st, "op %llu: cpu %u: %s returned %lld",
		     (unsigned long long)st->res->ops, cpu,
		     spirq_hcall_name(opcode), (long long)rc);
	if (ret0)
		*ret0 = rets[0];
	return rc;
}

SPIRQ_UNTRACED
static uint64_t mmio_load(struct storm *st, unsigned cpu, spirq_region r,
			  uint64_t off, unsigned size)
{
	uint64_t v = ~0ull;

	if (spirq_mmio_load(st->m, cpu, r, off, size, &v))
		fail(st, "op %llu: cpu %u: load at 0x%llx refused",
		     (unsigned long long)st->res->ops, cpu,
		     (unsigned long long)off);
	return v;
}

SPIRQ_UNTRACED
static void mmio_store(struct storm *st, unsigned cpu, spirq_region r,
		       uint64_t off, unsigned size, uint64_t v)
{
	if (spirq_mmio_store(st->m, cpu, r, off, size, v))
		fail(st, "op %llu: cpu %u: store at 0x%llx refused",
		     (unsigned long long)st->res->ops, cpu,
		     (unsigned long long)off);
}

static uint64_t esb_mgmt(uint32_t irq, uint32_t op)
{
	return ((uint64_t)irq << SPIRQ_XIVE_ESB_SHIFT) + ESB_MGMT + op;
}

/* ---- host --------------------------------------------------------------------------- */

SPIRQ_UNTRACED
static void host_line(void *opaque, unsigned cpu, int level)
{
	struct host *h = opaque;

	if (cpu >= ORACLE_MAX_CPUS || (level && !h->plugged[cpu]))
		h->bad_lines++;
	else
		h->line[cpu] = level;
}

/* The guest reads a queue entry: one aligned 4-byte load, big-endian. */
static uint32_t guest_entry(const uint8_t *page, uint32_t index)
{
	uint32_t word = __atomic_load_n((const uint32_t *)(page + 4 * index),
					__ATOMIC_ACQUIRE);
	const uint8_t *e = (const uint8_t *)&word;

	return (uint32_t)e[0] << 24 | (uint32_t)e[1] << 16 |
	       (uint32_t)e[2] << 8 | e[3];
}

static void raise_dirty_end(struct host *h, unsigned end)
{
	unsigned now = __atomic_load_n(&h->dirty_end, __ATOMIC_RELAXED);

	while (now < end &&
	       !__atomic_compare_exchange_n(&h->dirty_end, &now, end, true,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* [gpa, gpa + len), inside the RAM, marked dirty (vCPU threads too). */
SPIRQ_UNTRACED
static void mark_dirty(struct host *h, uint64_t gpa, uint64_t len)
{
	uint64_t page;

	for (page = gpa / RAM_PAGE; page <= (gpa + len - 1) / RAM_PAGE; page++)
		__atomic_fetch_or(&h->dirty[page / 64], 1ull << (page % 64),
				  __ATOMIC_RELAXED);
	raise_dirty_end(h, (unsigned)page);
}

/* test_ram_write, the pages written marked dirty. */
SPIRQ_UNTRACED
static int host_write(void *opaque, uint64_t gpa, const void *buf,
		      size_t len)
{
	struct host *h = opaque;

	if (len && gpa < h->ram.size && len <= h->ram.size - gpa)
		mark_dirty(h, gpa, len);
	return test_ram_write(opaque, gpa, buf, len);
}

/*
 * test_ram_map, the pages mapped marked dirty and mapped: spirq writes its
 * queues through the pointer from then on, unseen.
 */
SPIRQ_UNTRACED
static void *host_map(void *opaque, uint64_t gpa, size_t len)
{
	struct host *h = opaque;

	uint64_t page;

	if (!len || gpa >= h->ram.size || len > h->ram.size - gpa)
		return NULL;
	for (page = gpa / RAM_PAGE; page <= (gpa + len - 1) / RAM_PAGE; page++)
		__atomic_fetch_or(&h->mapped[page / 64], 1ull << (page % 64),
				  __ATOMIC_RELAXED);
	mark_dirty(h, gpa, len);
	return test_ram_map(opaque, gpa, len);
}

/* Zeros in [gpa, gpa + len) (page-aligned): only the dirty pages. */
SPIRQ_UNTRACED
static void host_zero(struct host *h, uint64_t gpa, uint64_t len)
{
	unsigned first = (unsigned)(gpa / RAM_PAGE);
	unsigned end = (unsigned)((gpa + len) / RAM_PAGE), page;

	if (end > h->dirty_end)
		end = h->dirty_end;

	for (page = bitmap_next_set(h->dirty, end, first); page < end;
	     page = bitmap_next_set(h->dirty, end, page + 1)) {
		memset(h->ram.bytes + (uint64_t)page * RAM_PAGE, 0, RAM_PAGE);
		if (!(h->mapped[page / 64] & (1ull << (page % 64))))
			bitmap_clear(h->dirty, page);
	}
}

/* The first COPY_RAM bytes of @from's RAM into @to's. */
static void host_copy_ram(struct host *to, const struct host *from)
{
	unsigned w, page;

	for (w = 0; w < BITS_TO_WORDS(COPY_PAGES); w++) {
		uint64_t both = to->dirty[w] | from->dirty[w];

		while (both) {
			page = w * 64 + (unsigned)__builtin_ctzll(both);
			both &= both - 1;
			if (page >= COPY_PAGES)
				break;
			memcpy(to->ram.bytes + (uint64_t)page * RAM_PAGE,
			       from->ram.bytes + (uint64_t)page * RAM_PAGE,
			       RAM_PAGE);
		}
		to->dirty[w] = from->dirty[w];
	}
	raise_dirty_end(to, from->dirty_end < COPY_PAGES ? from->dirty_end :
							  COPY_PAGES);
}

static struct host *host_new(struct storm *st)
{
	struct storm_pool *pool = st->cfg->pool;
	struct host *h;

	if (pool && pool->nr_hosts) {
		h = pool->hosts[--pool->nr_hosts];
	} else {
		h = calloc(1, sizeof(*h));
		if (!h)
			return NULL;
		if (test_ram_alloc(&h->ram, RAM_SIZE)) {
			free(h);
			return NULL;
		}
	}
	memset(h->line, 0, sizeof(h->line));
	h->bad_lines = 0;
	h->plugged = st->plugged;
	return h;
}

static void host_destroy(struct host *h)
{
	test_ram_free(&h->ram);
	free(h);
}

/* Into the pool, its RAM zeroed, or freed. */
static void host_free(struct storm *st, struct host *h)
{
	struct storm_pool *pool = st->cfg->pool;

	if (!h)
		return;
	if (!pool || pool->nr_hosts == POOL_HOSTS) {
		host_destroy(h);
		return;
	}
	memset(h->mapped, 0, sizeof(h->mapped));
	host_zero(h, 0, RAM_SIZE);
	h->dirty_end = 0;
	pool->hosts[pool->nr_hosts++] = h;
}

struct storm_pool *storm_pool_new(void)
{
	return calloc(1, sizeof(struct storm_pool));
}

void storm_pool_free(struct storm_pool *pool)
{
	if (!pool)
		return;
	while (pool->nr_hosts)
		host_destroy(pool->hosts[--pool->nr_hosts]);
	oracle_free(pool->o);
	free(pool);
}

static void machine_free(struct storm *st, spirq_machine *m)
{
	const struct storm_machines *mm = st->cfg->machines;

	if (mm && m)
		mm->destroy(mm->opaque, m);
	else
		spirq_machine_destroy(m);
}

int storm_claim_sources(spirq_machine *m, spirq_error *err)
{
	unsigned s;
	int ret;

	for (s = 0; s < NR_SRC; s++) {
		ret = spirq_irq_claim(m, src_irq(s), src_lsi(s), err);
		if (ret)
			return ret;
	}
	return 0;
}

static spirq_machine *machine_new(struct storm *st, struct host *h)
{
	spirq_host_ops ops = {
		.version = SPIRQ_HOST_OPS_VERSION,
		.opaque = h,
		.read_guest = test_ram_read,
		.write_guest = host_write,
		.map_guest = host_map,		/* queues written directly */
		.set_cpu_irq = host_line,
	};
	const struct storm_machines *mm = st->cfg->machines;
	spirq_machine *m = NULL;
	spirq_error err;

	if (mm ? mm->create(mm->opaque, &st->mcfg, &ops, &m, &err) :
		 spirq_machine_create(&st->mcfg, &ops, &m, &err)) {
		fail(st, "machine: %s", err.message);
		return NULL;
	}
	if ((!mm || !mm->claims_sources) && storm_claim_sources(m, &err))
		fail(st, "claim: %s", err.message);
	return m;
}

/* ---- devices ------------------------------------------------------------------------ */

static void device_line(struct storm *st, unsigned s, int level)
{
	if (spirq_set_irq(st->m, src_irq(s), level))
		fail(st, "set_irq 0x%x refused", src_irq(s));
	oracle_line(st->o, src_irq(s), level);
}

static void device_event(struct storm *st)
{
	unsigned s = pick(st, NR_SRC);

	device_line(st, s, src_lsi(s) ? (int)pick(st, 2) : 1);
}

/* ---- the XICS guest ------------------------------------------------------------------- */

static void xics_cppr(struct storm *st, unsigned cpu, uint8_t cppr)
{
	hcall(st, cpu, SPIRQ_H_CPPR, cppr, 0, 0, 0, 0, NULL);
	oracle_xics_cppr(st->o, cpu, cppr);
}

static void xics_route(struct storm *st, unsigned s, unsigned cpu)
{
	uint8_t prio = prios[pick(st, 2)];
	uint32_t args[3] = { src_irq(s), vcpu_id(st, cpu), prio }, ret[1];

	if (spirq_rtas(st->m, 0, SPIRQ_RTAS_SET_XIVE, 3, args, 1, ret) ||
	    ret[0])
		fail(st, "ibm,set-xive 0x%x failed", src_irq(s));
	oracle_xics_set_xive(st->o, src_irq(s), cpu, prio);
	st->target[s] = cpu;
}

static void xics_mask_cycle(struct storm *st, unsigned s, bool on)
{
	uint32_t args[1] = { src_irq(s) }, ret[1];

	if (spirq_rtas(st->m, 0, on ? SPIRQ_RTAS_INT_ON : SPIRQ_RTAS_INT_OFF,
		       1, args, 1, ret) || ret[0])
		fail(st, "ibm,int-%s 0x%x failed", on ? "on" : "off",
		     src_irq(s));
	if (on)
		oracle_xics_int_on(st->o, src_irq(s));
	else
		oracle_xics_int_off(st->o, src_irq(s));
}

/* One interrupt on @cpu; false when there was none. */
static bool xics_take(struct storm *st, unsigned cpu)
{
	uint64_t xirr = 0;
	uint32_t irq;
	int s;

	hcall(st, cpu, SPIRQ_H_XIRR, 0, 0, 0, 0, 0, &xirr);
	check(st, oracle_xics_xirr(st->o, cpu, (uint32_t)xirr));
	irq = (uint32_t)xirr & 0xffffff;
	if (!irq || st->failed)
		return false;
	if (irq == 2) {			/* the IPI: clear MFRR first */
		hcall(st, cpu, SPIRQ_H_IPI, vcpu_id(st, cpu), 0xff, 0, 0, 0,
		      NULL);
		oracle_xics_ipi(st->o, cpu, 0xff);
	}
	s = irq_src(irq);
	if (s >= 0 && src_lsi((unsigned)s))
		device_line(st, (unsigned)s, 0);	/* the handler quiets it */
	hcall(st, cpu, SPIRQ_H_EOI, (uint32_t)xirr, 0, 0, 0, 0, NULL);
	oracle_xics_eoi(st->o, cpu, (uint32_t)xirr);
	return true;
}

static void xics_ipi(struct storm *st, unsigned from, unsigned to)
{
	hcall(st, from, SPIRQ_H_IPI, vcpu_id(st, to), 5, 0, 0, 0, NULL);
	oracle_xics_ipi(st->o, to, 5);
}

/* Take what @cpu is presented; returns how many events. */
static unsigned xics_drain_cpu(struct storm *st, unsigned cpu)
{
	unsigned n;

	xics_cppr(st, cpu, 0xff);
	for (n = 0; n < 4 * NR_SRC + 4 && !st->failed; n++)
		if (!xics_take(st, cpu))
			break;
	return n;
}

static void xics_up_cpu(struct storm *st, unsigned cpu)
{
	xics_cppr(st, cpu, 0xff);
	st->cpu_up[ORACLE_XICS][cpu] = true;
}

static void xics_bring_up(struct storm *st)
{
	unsigned c, s;

	for (c = 0; c < MAX_CPUS; c++)
		if (st->plugged[c] && !st->cpu_up[ORACLE_XICS][c])
			xics_up_cpu(st, c);
	if (st->mode_up[ORACLE_XICS])
		return;
	for (s = 0; s < NR_SRC; s++)
		xics_route(st, s, random_plugged(st));
	st->mode_up[ORACLE_XICS] = true;
}

/* ---- the XIVE guest ------------------------------------------------------------------- */

/*
 * Queue @k of @cpu alternates between two pages: each configuration moves
 * it, so an event spirq still wrote where the queue was is lost to the
 * guest, and the oracle sees it.
 */
static uint64_t qpage(unsigned cpu, unsigned k, unsigned page)
{
	return QBASE + (uint64_t)((cpu * 2 + k) * 2 + page) * (1ull << QSHIFT);
}

static void xive_queue(struct storm *st, unsigned cpu, unsigned k, bool on)
{
	unsigned page = st->q[cpu][k].page ^ on;

	hcall(st, cpu, SPIRQ_H_INT_SET_QUEUE_CONFIG, XIVE_ALWAYS_NOTIFY,
	      vcpu_id(st, cpu), prios[k], on ? qpage(cpu, k, page) : 0,
	      on ? QSHIFT : 0, NULL);
	oracle_xive_queue(st->o, cpu, prios[k], on);
	host_zero(st->h, qpage(cpu, k, page), 1u << QSHIFT);
	st->q[cpu][k] = (struct gqueue){ .on = on, .page = page };
}

static void xive_cppr(struct storm *st, unsigned cpu, uint8_t cppr)
{
	mmio_store(st, cpu, SPIRQ_REGION_TIMA, TIMA_CPPR, 1, cppr);
	oracle_xive_cppr(st->o, cpu, cppr);
}

static void xive_route_irq(struct storm *st, uint32_t irq, unsigned cpu,
			   uint8_t prio)
{
	hcall(st, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, XIVE_SET_EISN, irq,
	      vcpu_id(st, cpu), prio, irq, NULL);
	oracle_xive_route(st->o, irq, cpu, prio, irq);
}

static void xive_route(struct storm *st, unsigned s, unsigned cpu)
{
	xive_route_irq(st, src_irq(s), cpu, prios[pick(st, 2)]);
	st->target[s] = cpu;
}

static void xive_set_pq(struct storm *st, uint32_t irq, uint32_t op)
{
	uint64_t v = mmio_load(st, 0, SPIRQ_REGION_ESB, esb_mgmt(irq, op), 8);

	check(st, oracle_xive_esb_load(st->o, irq, op, v));
}

static void xive_eoi(struct storm *st, unsigned cpu, uint32_t irq)
{
	uint64_t v = mmio_load(st, cpu, SPIRQ_REGION_ESB, esb_mgmt(irq, 0), 8);

	check(st, oracle_xive_esb_load(st->o, irq, 0, v));
}

/* Read queue @k of @cpu to its end, handling and EOI'ing each event. */
/* Read and EOI the new entries of queue @k; returns how many. */
static unsigned xive_read_queue(struct storm *st, unsigned cpu, unsigned k)
{
	struct gqueue *g = &st->q[cpu][k];
	const uint8_t *page = st->h->ram.bytes + qpage(cpu, k, g->page);
	unsigned n = 0;

	while (g->on && !st->failed) {
		uint32_t entry = guest_entry(page, g->index);
		uint32_t data = entry & 0x7fffffff;
		int s;

		if (entry >> 31 == g->toggle)
			break;
		g->index = (g->index + 1) % QENTRIES;
		if (!g->index)
			g->toggle ^= 1;
		check(st, oracle_xive_entry(st->o, cpu, prios[k], data));
		if (st->failed)
			break;
		s = irq_src(data);
		if (s >= 0 && src_lsi((unsigned)s))
			device_line(st, (unsigned)s, 0);
		xive_eoi(st, cpu, data);
		n++;
	}
	return n;
}

/* One acknowledge on @cpu; false when nothing was signalled. */
static bool xive_take(struct storm *st, unsigned cpu)
{
	uint64_t ack = mmio_load(st, cpu, SPIRQ_REGION_TIMA, TIMA_ACK, 2);
	unsigned k;

	check(st, oracle_xive_ack(st->o, cpu, (uint16_t)ack));
	if (!(ack & 0x8000) || st->failed)
		return false;
	for (k = 0; k < 2; k++)
		if (prios[k] == (ack & 0xff))
			xive_read_queue(st, cpu, k);
	xive_cppr(st, cpu, 0xff);
	return true;
}

/* Take and read what @cpu is signalled; returns how many events. */
static unsigned xive_drain_cpu(struct storm *st, unsigned cpu)
{
	unsigned n, k, read = 0;

	xive_cppr(st, cpu, 0xff);
	for (n = 0; n < 8 && !st->failed; n++)
		if (!xive_take(st, cpu))
			break;
	for (k = 0; k < 2; k++)
		read += xive_read_queue(st, cpu, k);
	return n + read;
}

static void xive_up_cpu(struct storm *st, unsigned cpu)
{
	unsigned k;

	for (k = 0; k < 2; k++)
		xive_queue(st, cpu, k, true);
	xive_cppr(st, cpu, 0xff);
	xive_route_irq(st, cpu, cpu, 6);		/* its IPI */
	xive_set_pq(st, cpu, 0xc00);
	st->cpu_up[ORACLE_XIVE][cpu] = true;
}

static void xive_bring_up(struct storm *st)
{
	unsigned c, s;

	for (c = 0; c < MAX_CPUS; c++)
		if (st->plugged[c] && !st->cpu_up[ORACLE_XIVE][c])
			xive_up_cpu(st, c);
	if (st->mode_up[ORACLE_XIVE])
		return;
	for (s = 0; s < NR_SRC; s++) {
		xive_route(st, s, random_plugged(st));
		xive_set_pq(st, src_irq(s), 0xc00);
	}
	st->mode_up[ORACLE_XIVE] = true;
}

/* ---- guest actions, whichever controller is active ------------------------------------- */

static bool xive_active(const struct storm *st)
{
	return oracle_active(st->o) == ORACLE_XIVE;
}

static void bring_up(struct storm *st)
{
	if (xive_active(st))
		xive_bring_up(st);
	else
		xics_bring_up(st);
}

/*
 * The guest moves one of a vCPU's XIVE queues (as a CPU going offline and
 * online again does): read to its end, then configured again, on its
 * other page.  Events spirq would still write where it was are lost to
 * the guest: the oracle sees them missing.
 */
static void requeue(struct storm *st, unsigned cpu)
{
	if (!xive_active(st) || !st->cpu_up[ORACLE_XIVE][cpu])
		return;
	xive_drain_cpu(st, cpu);
	xive_queue(st, cpu, pick(st, 2), true);
}

static void take(struct storm *st, unsigned cpu)
{
	unsigned k;

	if (!xive_active(st)) {
		xics_take(st, cpu);
		return;
	}
	xive_take(st, cpu);
	for (k = 0; k < 2; k++)
		if (oracle_xive_backlog(st->o, cpu, prios[k]) > DRAIN_BACKLOG)
			xive_read_queue(st, cpu, k);
}

static void drain_all(struct storm *st)
{
	unsigned c, pass, drained = 1;

	/*
	 * An EOI on one vCPU can forward an event to another: repeat, while
	 * a pass found something (after one that found nothing, the next
	 * would find nothing either: the CPPRs are open already).
	 */
	for (pass = 0; pass < 3 && drained; pass++) {
		drained = 0;
		for (c = 0; c < MAX_CPUS; c++)
			if (st->plugged[c])
				drained += xive_active(st) ?
					   xive_drain_cpu(st, c) :
					   xics_drain_cpu(st, c);
	}
	check(st, oracle_check_drained(st->o));
	st->res->drains++;
}

static void retarget(struct storm *st, unsigned s, unsigned cpu)
{
	if (xive_active(st))
		xive_route(st, s, cpu);
	else
		xics_route(st, s, cpu);
}

static void cppr_change(struct storm *st, unsigned cpu)
{
	static const uint8_t values[] = { 0, 5, 6, 0xff, 0xff };
	uint8_t v = values[pick(st, sizeof(values))];

	if (xive_active(st))
		xive_cppr(st, cpu, v);
	else
		xics_cppr(st, cpu, v);
}

static void mask_cycle(struct storm *st, unsigned s)
{
	if (!xive_active(st)) {
		xics_mask_cycle(st, s, false);
		if (pick(st, 2))
			device_event(st);
		xics_mask_cycle(st, s, true);
		return;
	}
	if (pick(st, 2)) {			/* at the source, as Linux */
		xive_set_pq(st, src_irq(s), 0xd00);
		if (pick(st, 2))
			device_line(st, s, 1);
		xive_set_pq(st, src_irq(s), 0xc00);
	} else {				/* at the EAS */
		hcall(st, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, 0, src_irq(s), 0,
		      0xff, 0, NULL);
		oracle_xive_mask(st->o, src_irq(s));
		if (pick(st, 2))
			device_line(st, s, 1);
		xive_route(st, s, random_plugged(st));
	}
}

static void ipi(struct storm *st)
{
	unsigned from = random_plugged(st), to = random_plugged(st);

	if (!xive_active(st)) {
		xics_ipi(st, from, to);
		return;
	}
	mmio_store(st, from, SPIRQ_REGION_ESB,
		   (uint64_t)to << SPIRQ_XIVE_ESB_SHIFT, 8, 0);
	oracle_xive_trigger(st->o, to);
}

/* ---- machine events ------------------------------------------------------------------------ */

/* The guest starts again; its queues' next pages stay the other ones. */
static void forget_guest(struct storm *st)
{
	unsigned c, k;

	memset(st->cpu_up, 0, sizeof(st->cpu_up));
	memset(st->mode_up, 0, sizeof(st->mode_up));
	for (c = 0; c < ORACLE_MAX_CPUS; c++)
		for (k = 0; k < 2; k++)
			st->q[c][k] = (struct gqueue){
				.page = st->q[c][k].page,
			};
}

static void cas(struct storm *st)
{
	enum oracle_intc want = st->dual ? (enum oracle_intc)pick(st, 2) :
					   st->dflt;
	spirq_ic_mode chosen;
	spirq_error err;

	if (spirq_cas(st->m, want == ORACLE_XIVE ? 0x40 : 0x00, &chosen,
		      &err)) {
		fail(st, "CAS refused: %s", err.message);
		return;
	}
	oracle_cas(st->o, want);
	st->res->cas_switches++;
	bring_up(st);
}

/* A reset that does not wait for a drain, device events between phases. */
static void reset(struct storm *st)
{
	int phase;

	oracle_reset_begin(st->o);
	for (phase = 0; phase < RESET_NR_PHASES; phase++) {
		spapr_reset_phase(st->m, (enum spapr_reset_phase)phase);
		/* out of fuzz input, pick() answers 0 for ever: stop */
		while (phase < RESET_ACTIVATE && !st->threaded &&
		       pick(st, 3) == 0 && !st->out_of_bytes) {
			unsigned s = pick(st, NR_SRC);
			int level = src_lsi(s) ? (int)pick(st, 2) : 1;

			spapr_irq_set_locked(st->m, src_irq(s), level);
			oracle_line(st->o, src_irq(s), level);
		}
	}
	oracle_reset_end(st->o);
	forget_guest(st);
	st->res->resets++;
	cas(st);
}

static void plug(struct storm *st, unsigned cpu)
{
	spirq_error err;

	if (spirq_cpu_plug(st->m, cpu, &err)) {
		fail(st, "plug %u: %s", cpu, err.message);
		return;
	}
	st->plugged[cpu] = true;
	oracle_plug(st->o, cpu, vcpu_id(st, cpu));
	if (xive_active(st))
		xive_up_cpu(st, cpu);
	else
		xics_up_cpu(st, cpu);
	retarget(st, pick(st, NR_SRC), cpu);
	st->res->plugs++;
}

static void unplug(struct storm *st, unsigned cpu)
{
	spirq_error err;
	unsigned s, k;

	if (pick(st, 2)) {	/* as Linux offlining it: move, drain, close */
		for (s = 0; s < NR_SRC; s++)
			if (st->target[s] == cpu)
				retarget(st, s, 0);
		if (xive_active(st)) {
			xive_drain_cpu(st, cpu);
			for (k = 0; k < 2; k++)
				xive_queue(st, cpu, k, false);
		} else {
			xics_drain_cpu(st, cpu);
		}
	}
	if (spirq_cpu_unplug(st->m, cpu, &err)) {
		fail(st, "unplug %u: %s", cpu, err.message);
		return;
	}
	st->plugged[cpu] = false;
	st->cpu_up[0][cpu] = st->cpu_up[1][cpu] = false;
	oracle_unplug(st->o, cpu);
	/* the machine masked what still aimed at it: the guest moves them */
	for (s = 0; s < NR_SRC; s++)
		if (st->target[s] == cpu && pick(st, 2))
			retarget(st, s, 0);
	st->res->unplugs++;
}

static void hotplug(struct storm *st)
{
	unsigned cpu = 1 + pick(st, MAX_CPUS - 1);

	if (st->plugged[cpu])
		unplug(st, cpu);
	else
		plug(st, cpu);
}

/* A storm's stream is a few KiB: one save into a buffer that size first. */
#define SAVE_GUESS	(16u << 10)

static uint8_t *save(struct storm *st, size_t *len)
{
	uint8_t *buf = malloc(SAVE_GUESS);
	int ret;

	if (!buf)
		return NULL;
	ret = spirq_save(st->m, buf, SAVE_GUESS, len);
	if (ret != -SPIRQ_ERR_NOSPACE) {
		if (ret)
			fail(st, "save failed");
		return buf;
	}
	free(buf);
	buf = malloc(*len);
	if (buf && spirq_save(st->m, buf, *len, len))
		fail(st, "save failed");
	return buf;
}

/* Save, then restore into the same machine or, as a migration, a new one. */
static void save_restore(struct storm *st)
{
	spirq_error err;
	size_t len = 0;
	uint8_t *buf = save(st, &len);
	struct host *h = st->h;
	spirq_machine *m = st->m;

	if (!buf || st->failed) {
		free(buf);
		return;
	}
	if (pick(st, 2)) {
		h = st->spare ? st->spare : host_new(st);
		st->spare = NULL;
		m = h ? machine_new(st, h) : NULL;
		if (!m) {
			host_free(st, h);
			free(buf);
			fail(st, "migration: no destination");
			return;
		}
		memset(h->line, 0, sizeof(h->line));
		host_copy_ram(h, st->h);
		st->res->migrations++;
	}
	if (spirq_restore(m, buf, len, &err))
		fail(st, "restore: %s", err.message);
	free(buf);
	if (m != st->m) {
		machine_free(st, st->m);
		st->spare = st->h;	/* its RAM serves the next migration */
		st->m = m;
		st->h = h;
	}
	oracle_restored(st->o);
}

/* ---- the storm ---------------------------------------------------------------------------- */

static void step(struct storm *st)
{
	unsigned op = pick(st, 1000);
	unsigned cpu = random_plugged(st);

	if (op < 380)
		device_event(st);
	else if (op < 700)
		take(st, cpu);
	else if (op < 760)
		ipi(st);
	else if (op < 820)
		cppr_change(st, cpu);
	else if (op < 880)
		retarget(st, pick(st, NR_SRC), cpu);
	else if (op < 930)
		mask_cycle(st, pick(st, NR_SRC));
	else if (op < 940)
		drain_all(st);
	else if (op < 950)
		requeue(st, cpu);
	else if (op < 965) {
		if (!st->cfg->max_save_restores ||
		    st->save_restores++ < st->cfg->max_save_restores)
			save_restore(st);
	}
	else if (op < 980)
		hotplug(st);
	else if (op < 992)
		cas(st);
	else
		reset(st);
	check(st, oracle_check_lines(st->o, st->h->line));
	if (st->h->bad_lines)
		fail(st, "op %llu: a line was raised for an unplugged vCPU",
		     (unsigned long long)st->res->ops);
}

/* -M cfg->machine resolved, once per pool. */
static int config_of(struct storm *st, const char **argv, spirq_error *err)
{
	struct storm_pool *pool = st->cfg->pool;
	unsigned i;

	for (i = 0; pool && i < pool->nr_configs; i++) {
		if (!strcmp(pool->configs[i].machine, st->cfg->machine)) {
			st->mcfg = pool->configs[i].cfg;
			return 0;
		}
	}
	if (spirq_config_from_args(6, argv, &st->mcfg, err))
		return -1;
	if (pool && pool->nr_configs < POOL_CONFIGS) {
		pool->configs[pool->nr_configs].machine = st->cfg->machine;
		pool->configs[pool->nr_configs++].cfg = st->mcfg;
	}
	return 0;
}

static struct oracle *oracle_of(struct storm *st)
{
	struct storm_pool *pool = st->cfg->pool;

	if (!pool)
		return oracle_new(st->has_xics, st->has_xive, st->dflt);
	if (pool->o)
		oracle_init(pool->o, st->has_xics, st->has_xive, st->dflt);
	else
		pool->o = oracle_new(st->has_xics, st->has_xive, st->dflt);
	return pool->o;
}

/* What setup() took, given back (a pool keeps the oracle and the RAM). */
static void teardown(struct storm *st)
{
	machine_free(st, st->m);
	host_free(st, st->h);
	host_free(st, st->spare);
	if (!st->cfg->pool)
		oracle_free(st->o);
	st->m = NULL;
	st->h = st->spare = NULL;
	st->o = NULL;
}

static int setup(struct storm *st, const struct storm_config *cfg,
		 struct storm_result *res)
{
	const char *argv[] = { "-M", cfg->machine, "-smp", "4,maxcpus=8",
			       "-m", "256M" };
	spirq_error err;
	unsigned c;

	bool threaded = st->threaded;

	memset(res, 0, sizeof(*res));
	memset(st, 0, sizeof(*st));
	st->threaded = threaded;
	st->cfg = cfg;
	st->res = res;
	st->rng = cfg->seed;
	if (config_of(st, argv, &err)) {
		fail(st, "configuration: %s", err.message);
		return -1;
	}
	st->has_xics = st->mcfg.cap_xics;
	st->has_xive = st->mcfg.cap_xive;
	st->dual = st->has_xics && st->has_xive;
	st->dflt = st->has_xics ? ORACLE_XICS : ORACLE_XIVE;
	st->o = oracle_of(st);
	st->h = host_new(st);
	if (!st->o || !st->h) {
		fail(st, "out of memory");
		return -1;
	}
	st->m = machine_new(st, st->h);
	if (!st->m)
		return -1;
	for (c = 0; c < BOOT_CPUS; c++) {
		st->plugged[c] = true;
		oracle_plug(st->o, c, vcpu_id(st, c));
	}
	for (c = 0; c < NR_SRC; c++)
		oracle_claim(st->o, src_irq(c), src_lsi(c));
	if (st->has_xive)
		for (c = 0; c < MAX_CPUS; c++)
			oracle_claim(st->o, c, false);	/* the vCPU IPIs */
	cas(st);
	return st->failed ? -1 : 0;
}

int storm_run(const struct storm_config *cfg, struct storm_result *res)
{
	struct storm st = { .threaded = false };	/* setup() keeps it */

	if (!setup(&st, cfg, res)) {
		while (res->ops < cfg->ops && !st.failed && !st.out_of_bytes) {
			step(&st);
			res->ops++;
		}
		if (!st.failed) {
			unsigned s;

			for (s = NR_MSI; s < NR_SRC; s++)	/* lines down */
				device_line(&st, s, 0);
			drain_all(&st);
		}
	}
	if (st.o) {
		res->counts = *oracle_counts(st.o);
		res->pending = oracle_pending(st.o);
	}
	teardown(&st);
	return st.failed ? -1 : 0;
}

/* ---- the threaded storm ------------------------------------------------------------------- */

#define T_DEVICES	2
#define T_VCPUS		BOOT_CPUS

struct tstorm {
	struct storm st;		/* machine, host, guest queues */
	pthread_rwlock_t pause;		/* workers read, control writes */
	int stop;
	/* one event in flight per source: the device waits for it */
	int token[NR_MSI];
	uint64_t raised[NR_MSI], delivered[NR_MSI], discarded[NR_MSI];
	uint64_t misrouted;
	char error[200];
};

struct tworker {
	struct tstorm *t;
	unsigned index;
};

static void t_error(struct tstorm *t, const char *msg, uint32_t a, uint32_t b)
{
	if (!__atomic_exchange_n(&t->error[0], 'x', __ATOMIC_ACQ_REL))
		snprintf(t->error, sizeof(t->error), "%s (0x%x, %u)", msg, a, b);
}

/* The guest took source @s's event on @cpu (pause lock held for read). */
static void t_delivered(struct tstorm *t, unsigned cpu, int s)
{
	if (s < 0) {
		t_error(t, "an event of no source", (uint32_t)s, cpu);
		return;
	}
	if (t->st.target[s] != cpu) {
		__atomic_add_fetch(&t->misrouted, 1, __ATOMIC_RELAXED);
		t_error(t, "event delivered to the wrong vCPU", src_irq((unsigned)s), cpu);
	}
	if (!__atomic_load_n(&t->token[s], __ATOMIC_ACQUIRE))
		t_error(t, "event delivered twice", src_irq((unsigned)s), cpu);
	t->delivered[s]++;
}

static void t_release(struct tstorm *t, int s)
{
	if (s >= 0)
		__atomic_store_n(&t->token[s], 0, __ATOMIC_RELEASE);
}

/* XIVE: read queue @k of @cpu to its end: EOI and release each event. */
static void t_xive_queue(struct tstorm *t, unsigned cpu, unsigned k)
{
	struct gqueue *g = &t->st.q[cpu][k];
	const uint8_t *page = t->st.h->ram.bytes + qpage(cpu, k, g->page);
	uint64_t v;

	while (g->on) {
		uint32_t entry = guest_entry(page, g->index);
		int s;

		if (entry >> 31 == g->toggle)
			break;
		g->index = (g->index + 1) % QENTRIES;
		if (!g->index)
			g->toggle ^= 1;
		s = irq_src(entry & 0x7fffffff);
		t_delivered(t, cpu, s);
		spirq_mmio_load(t->st.m, cpu, SPIRQ_REGION_ESB,
				esb_mgmt(entry & 0x7fffffff, 0), 8, &v);
		t_release(t, s);
	}
}

/* XIVE: ACK, read the queue of the acknowledged priority, CPPR back. */
static void t_xive_take(struct tstorm *t, unsigned cpu)
{
	uint64_t v;
	unsigned k;

	if (spirq_mmio_load(t->st.m, cpu, SPIRQ_REGION_TIMA, TIMA_ACK, 2,
			    &v) || !(v & 0x8000))
		return;
	for (k = 0; k < 2; k++)
		if (prios[k] == (v & 0xff))
			t_xive_queue(t, cpu, k);
	spirq_mmio_store(t->st.m, cpu, SPIRQ_REGION_TIMA, TIMA_CPPR, 1, 0xff);
}

/* XICS: H_XIRR, EOI, release. */
static void t_xics_take(struct tstorm *t, unsigned cpu)
{
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { 0 };
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	int s;

	if (spirq_hcall(t->st.m, cpu, SPIRQ_H_XIRR, args, rets, NULL) ||
	    !(rets[0] & 0xffffff))
		return;
	s = irq_src(rets[0] & 0xffffff);
	t_delivered(t, cpu, s);
	args[0] = rets[0];
	spirq_hcall(t->st.m, cpu, SPIRQ_H_EOI, args, rets, NULL);
	t_release(t, s);
}

static void t_take(struct tstorm *t, unsigned cpu)
{
	if (oracle_active(t->st.o) == ORACLE_XIVE)
		t_xive_take(t, cpu);
	else
		t_xics_take(t, cpu);
}

static void *t_vcpu(void *arg)
{
	struct tworker *w = arg;
	struct tstorm *t = w->t;

	while (!__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE)) {
		pthread_rwlock_rdlock(&t->pause);
		t_take(t, w->index);
		pthread_rwlock_unlock(&t->pause);
		sched_yield();	/* an idle vCPU cedes (more threads than CPUs) */
	}
	return NULL;
}

static void *t_device(void *arg)
{
	struct tworker *w = arg;
	struct tstorm *t = w->t;
	unsigned s = w->index;

	while (!__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE)) {
		pthread_rwlock_rdlock(&t->pause);
		if (!__atomic_load_n(&t->token[s], __ATOMIC_ACQUIRE)) {
			__atomic_store_n(&t->token[s], 1, __ATOMIC_RELEASE);
			t->raised[s]++;
			if (spirq_set_irq(t->st.m, src_irq(s), 1))
				t_error(t, "set_irq refused", src_irq(s), 0);
		}
		pthread_rwlock_unlock(&t->pause);
		s = (s + T_DEVICES) % NR_MSI;
		if (s < T_DEVICES)
			sched_yield();
	}
	return NULL;
}

/* Everyone paused: take what is pending, on every vCPU, by hand. */
static void t_drain(struct tstorm *t)
{
	unsigned c, pass, n;

	for (pass = 0; pass < 3; pass++)
		for (c = 0; c < T_VCPUS; c++) {
			for (n = 0; n < NR_MSI; n++)
				t_take(t, c);
			if (oracle_active(t->st.o) == ORACLE_XIVE) {
				t_xive_queue(t, c, 0);
				t_xive_queue(t, c, 1);
			}
		}
}

/* Bring the active controller up with fixed routes: source s on s % 4. */
static void t_bring_up(struct tstorm *t)
{
	struct storm *st = &t->st;
	unsigned s;

	bring_up(st);
	for (s = 0; s < NR_MSI; s++)
		retarget(st, s, s % T_VCPUS);
}

static void t_control(struct tstorm *t, unsigned round)
{
	struct storm *st = &t->st;
	unsigned s;

	pthread_rwlock_wrlock(&t->pause);
	switch (round % 4) {
	case 0:		/* CAS switch: what is in flight is taken first */
		t_drain(t);
		if (st->dual) {
			cas(st);
			t_bring_up(t);
		}
		break;
	case 1:
		save_restore(st);
		break;
	case 2:		/* reset: what is in flight is discarded */
		reset(st);
		for (s = 0; s < NR_MSI; s++)
			if (__atomic_load_n(&t->token[s], __ATOMIC_ACQUIRE)) {
				t->discarded[s]++;
				t_release(t, (int)s);
			}
		t_bring_up(t);
		break;
	default:
		break;
	}
	pthread_rwlock_unlock(&t->pause);
}

int storm_threads(const char *machine, unsigned rounds,
		  struct storm_result *res)
{
	struct storm_config cfg = { .machine = machine, .seed = 0x7ead };
	struct tstorm *t = calloc(1, sizeof(*t));
	struct tworker dev[T_DEVICES], vcpu[T_VCPUS];
	pthread_t dev_th[T_DEVICES], vcpu_th[T_VCPUS];
	pthread_rwlockattr_t attr;
	unsigned i, s, r;
	int ret = -1;

	if (!t) {
		memset(res, 0, sizeof(*res));
		snprintf(res->error, sizeof(res->error), "out of memory");
		return -1;
	}
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr,
		PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&t->pause, &attr);
	t->st.threaded = true;
	if (setup(&t->st, &cfg, res))
		goto out;
	t_bring_up(t);
	for (i = 0; i < T_DEVICES; i++) {
		dev[i] = (struct tworker){ .t = t, .index = i };
		pthread_create(&dev_th[i], NULL, t_device, &dev[i]);
	}
	for (i = 0; i < T_VCPUS; i++) {
		vcpu[i] = (struct tworker){ .t = t, .index = i };
		pthread_create(&vcpu_th[i], NULL, t_vcpu, &vcpu[i]);
	}
	for (r = 0; r < rounds; r++) {
		/* let the traffic run: a few milliseconds */
		struct timespec pause = { .tv_nsec = 5000000 };

		nanosleep(&pause, NULL);
		t_control(t, r);
		res->ops++;
	}
	__atomic_store_n(&t->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < T_DEVICES; i++)
		pthread_join(dev_th[i], NULL);
	for (i = 0; i < T_VCPUS; i++)
		pthread_join(vcpu_th[i], NULL);
	t_drain(t);
	ret = 0;
	for (s = 0; s < NR_MSI; s++) {
		res->counts.raised += t->raised[s];
		res->counts.delivered += t->delivered[s];
		res->counts.discarded += t->discarded[s];
		if (t->raised[s] != t->delivered[s] + t->discarded[s]) {
			res->counts.lost++;
			if (!t->error[0])
				snprintf(t->error, sizeof(t->error),
					 "IRQ 0x%x: %llu raised, %llu delivered, %llu discarded",
					 src_irq(s),
					 (unsigned long long)t->raised[s],
					 (unsigned long long)t->delivered[s],
					 (unsigned long long)t->discarded[s]);
		}
	}
	res->counts.misrouted = t->misrouted;
	if (t->error[0] || t->st.failed || t->st.h->bad_lines) {
		if (!t->st.failed)
			snprintf(res->error, sizeof(res->error), "%s",
				 t->error[0] ? t->error :
				 "a line was raised for an unplugged vCPU");
		ret = -1;
	}
out:
	teardown(&t->st);
	pthread_rwlock_destroy(&t->pause);
	pthread_rwlockattr_destroy(&attr);
	free(t);
	return ret;
}
