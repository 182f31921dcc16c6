// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stress tests: devices raise lines while vCPUs acknowledge and EOI, with
 * CAS switches, resets, hot-plug and save/restore at random points; the
 * test checks that interrupts are conserved.
 *
 *   XIVE  exact: a reference copy of the PQ rules predicts, per source,
 *         how many events reach an event queue; the guest's view (queue
 *         entries, by EISN) must match it, nothing more, nothing less.
 *   XICS  every trigger of an unmasked source is delivered or absorbed by
 *         a delivery still to come (XICS coalesces a source rejected twice
 *         into one resend), nothing is delivered without a trigger before
 *         it, and once the vCPUs are drained nothing is left undelivered.
 *   all   no interrupt line is ever raised for a vCPU that is not plugged.
 *
 * A last test hammers one machine from several threads (device lines,
 * vCPUs, a control thread doing CAS, reset, save/restore) to catch races
 * and deadlocks under the sanitizers.  Everything is bounded in count, and
 * the random sequences are seeded, so runs are reproducible.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <spirq/spirq.h>

#include "test-guest-ram.h"

#define RAM_SIZE	(64u << 20)
#define MAX_CPUS	8
#define NR_MSI		16
#define NR_LSI		4
#define NR_SRC		(NR_MSI + NR_LSI)
#define FIRST_MSI	0x1300
#define FIRST_LSI	0x1200
#define QSHIFT		16		/* 64 KiB queues: 16384 entries */
#define PRIO		6

/* ---- a tiny deterministic PRNG ----------------------------------------- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33) % n;
}

/* ---- the host ------------------------------------------------------------ */

struct host {
	struct test_ram ram;		/* first: the RAM callbacks' opaque */
	bool plugged[MAX_CPUS];
	int line[MAX_CPUS];
	unsigned bad_lines;		/* raised for an unplugged vCPU */
};

static void host_line(void *opaque, unsigned cpu, int level)
{
	struct host *h = opaque;

	if (cpu >= MAX_CPUS || (level && !h->plugged[cpu]))
		h->bad_lines++;
	else
		h->line[cpu] = level;
}

static spirq_machine *make(struct host *h, const char *machine)
{
	char *argv[] = { "-M", (char *)machine, "-smp", "4,maxcpus=8",
			 "-m", "64M" };
	spirq_host_ops ops = {
		.version = SPIRQ_HOST_OPS_VERSION,
		.opaque = h,
		.read_guest = test_ram_read,
		.write_guest = test_ram_write,
		.set_cpu_irq = host_line,
	};
	spirq_config cfg;
	spirq_machine *m;
	unsigned i;

	memset(h->plugged, 0, sizeof(h->plugged));
	for (i = 0; i < 4; i++)
		h->plugged[i] = true;
	assert_int_equal(test_ram_alloc(&h->ram, RAM_SIZE), 0);
	assert_int_equal(spirq_config_from_args(6, argv, &cfg, NULL), 0);
	assert_int_equal(spirq_machine_create(&cfg, &ops, &m, NULL), 0);
	return m;
}

static int64_t hcall(spirq_machine *m, unsigned cpu, uint64_t opcode,
		     uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		     uint64_t a4, uint64_t *rets)
{
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { a0, a1, a2, a3, a4 };
	uint64_t out[SPIRQ_HCALL_MAX_RETS];

	return spirq_hcall(m, cpu, opcode, args, rets ? rets : out, NULL);
}

static uint32_t src_irq(unsigned s)
{
	return s < NR_MSI ? FIRST_MSI + s : FIRST_LSI + (s - NR_MSI);
}

static bool src_is_lsi(unsigned s)
{
	return s >= NR_MSI;
}

/* Source of an IRQ number, or -1. */
static int irq_src(uint32_t irq)
{
	if (irq >= FIRST_MSI && irq < FIRST_MSI + NR_MSI)
		return (int)(irq - FIRST_MSI);
	if (irq >= FIRST_LSI && irq < FIRST_LSI + NR_LSI)
		return (int)(NR_MSI + irq - FIRST_LSI);
	return -1;
}

/* ---- XIVE: the guest and the reference PQ model ------------------------- */

struct xive_guest {
	spirq_machine *m;
	struct host *h;
	/* guest side */
	uint64_t qpage[MAX_CPUS];
	uint32_t qindex[MAX_CPUS];
	uint32_t toggle[MAX_CPUS];
	bool has_queue[MAX_CPUS];
	unsigned target[NR_SRC];	/* cpu_index */
	unsigned nr_src;		/* sources claimed: the first ones */
	/* the model */
	uint8_t pq[NR_SRC];
	bool asserted[NR_SRC];
	uint64_t expected[NR_SRC];
	uint64_t delivered[NR_SRC];
};

static uint64_t esb(unsigned s)
{
	return ((uint64_t)src_irq(s) << SPIRQ_XIVE_ESB_SHIFT);
}

/* The PQ rules: what the device or the guest does, what must happen. */
static void model_trigger(struct xive_guest *g, unsigned s)
{
	if (g->pq[s] == 0x0) {
		g->pq[s] = 0x2;
		g->expected[s]++;
	} else if (g->pq[s] != 0x1) {
		g->pq[s] = 0x3;
	}
}

static void model_lsi_assert(struct xive_guest *g, unsigned s)
{
	g->asserted[s] = true;
	if (g->pq[s] == 0x0) {
		g->pq[s] = 0x2;
		g->expected[s]++;
	}
}

static void model_eoi(struct xive_guest *g, unsigned s)
{
	if (g->pq[s] == 0x2)
		g->pq[s] = 0x0;
	else if (g->pq[s] == 0x3) {
		g->pq[s] = 0x2;
		g->expected[s]++;
	}
	if (src_is_lsi(s) && g->asserted[s] && g->pq[s] == 0x0) {
		g->pq[s] = 0x2;
		g->expected[s]++;
	}
}

static void xive_setup_cpu(struct xive_guest *g, unsigned cpu)
{
	uint32_t id = spirq_vcpu_id(spirq_machine_config(g->m), cpu);

	g->qpage[cpu] = 0x100000 + (uint64_t)cpu * (1u << QSHIFT);
	memset(g->h->ram.bytes + g->qpage[cpu], 0, 1u << QSHIFT);
	g->qindex[cpu] = 0;
	g->toggle[cpu] = 0;
	assert_int_equal(hcall(g->m, 0, SPIRQ_H_INT_SET_QUEUE_CONFIG, 1, id,
			       PRIO, g->qpage[cpu], QSHIFT, NULL), 0);
	assert_int_equal(spirq_mmio_store(g->m, cpu, SPIRQ_REGION_TIMA,
					  0x20011, 1, 0xff), 0);
	g->has_queue[cpu] = true;
}

static void xive_route(struct xive_guest *g, unsigned s, unsigned cpu)
{
	uint32_t id = spirq_vcpu_id(spirq_machine_config(g->m), cpu);

	assert_int_equal(hcall(g->m, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, 2,
			       src_irq(s), id, PRIO, src_irq(s), NULL), 0);
	g->target[s] = cpu;
}

static void xive_set_pq(struct xive_guest *g, unsigned s, uint8_t pq)
{
	uint64_t old;

	assert_int_equal(spirq_mmio_load(g->m, 0, SPIRQ_REGION_ESB,
					 esb(s) + 0x10c00 + (pq << 8), 8, &old), 0);
	assert_int_equal(old, g->pq[s]);
	g->pq[s] = pq;
}

/* After a reset or at start: what Linux does to bring XIVE up. */
static void xive_bring_up(struct xive_guest *g)
{
	unsigned cpu, s;

	assert_int_equal(spirq_cas(g->m, 0x40, NULL, NULL), 0);
	memset(g->pq, 0x1, sizeof(g->pq));		/* reset: OFF */
	memset(g->asserted, 0, sizeof(g->asserted));	/* lines reset */
	memset(g->has_queue, 0, sizeof(g->has_queue));
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		if (g->h->plugged[cpu])
			xive_setup_cpu(g, cpu);
	for (s = 0; s < g->nr_src; s++) {
		xive_route(g, s, rnd(4));
		xive_set_pq(g, s, 0x0);			/* unmask */
	}
}

/* The guest takes its interrupts on one vCPU: ACK, drain, EOI. */
static void xive_drain(struct xive_guest *g, unsigned cpu)
{
	uint64_t ack;

	if (!g->has_queue[cpu])
		return;
	assert_int_equal(spirq_mmio_load(g->m, cpu, SPIRQ_REGION_TIMA, 0x20810,
					 2, &ack), 0);
	for (;;) {
		const uint8_t *e = g->h->ram.bytes + g->qpage[cpu] + 4 * g->qindex[cpu];
		uint32_t entry = (uint32_t)e[0] << 24 | e[1] << 16 | e[2] << 8 | e[3];
		uint64_t ret;
		int s;

		if (entry >> 31 == g->toggle[cpu])
			break;
		g->qindex[cpu] = (g->qindex[cpu] + 1) & ((1u << (QSHIFT - 2)) - 1);
		if (!g->qindex[cpu])
			g->toggle[cpu] ^= 1;
		s = irq_src(entry & 0x7fffffff);
		assert_true(s >= 0);
		g->delivered[s]++;
		assert_true(g->delivered[s] <= g->expected[s]);
		/* the handler quiets a level-triggered device before the EOI */
		if (src_is_lsi(s) && g->asserted[s]) {
			assert_int_equal(spirq_set_irq(g->m, src_irq(s), 0), 0);
			g->asserted[s] = false;
		}
		/* EOI: load at 0x000 of the management page */
		assert_int_equal(spirq_mmio_load(g->m, cpu, SPIRQ_REGION_ESB,
						 esb(s) + 0x10000, 8, &ret), 0);
		model_eoi(g, s);
	}
	assert_int_equal(spirq_mmio_store(g->m, cpu, SPIRQ_REGION_TIMA,
					  0x20011, 1, 0xff), 0);
}

static void xive_drain_all(struct xive_guest *g)
{
	unsigned cpu, pass, s;

	/* an EOI can forward a queued event: drain until nothing moves */
	for (pass = 0; pass < 4; pass++)
		for (cpu = 0; cpu < MAX_CPUS; cpu++)
			if (g->h->plugged[cpu])
				xive_drain(g, cpu);
	for (s = 0; s < NR_SRC; s++)
		if (g->expected[s] != g->delivered[s])
			fail_msg("source 0x%x: %llu events expected, %llu delivered",
				 src_irq(s), (unsigned long long)g->expected[s],
				 (unsigned long long)g->delivered[s]);
}

/* Save, restore into the same machine: the same bytes before and after. */
static void save_restore(spirq_machine *m)
{
	size_t len = 0, len2 = 0;
	uint8_t *a, *b;

	spirq_save(m, NULL, 0, &len);
	a = malloc(len);
	b = malloc(len);
	assert_int_equal(spirq_save(m, a, len, &len), 0);
	assert_int_equal(spirq_restore(m, a, len, NULL), 0);
	assert_int_equal(spirq_save(m, b, len, &len2), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(a, b, len);
	free(a);
	free(b);
}

/* Hot-plug a core, give it a queue and a source; later take it away. */
static void xive_hotplug_cycle(struct xive_guest *g)
{
	unsigned cpu = 4 + rnd(4), s;

	if (!g->h->plugged[cpu]) {
		assert_int_equal(spirq_cpu_plug(g->m, cpu, NULL), 0);
		g->h->plugged[cpu] = true;
		xive_setup_cpu(g, cpu);
		xive_route(g, rnd(g->nr_src), cpu);
		return;
	}
	/* as Linux offlining a CPU: move its sources away, drain, unplug */
	for (s = 0; s < g->nr_src; s++)
		if (g->target[s] == cpu)
			xive_route(g, s, rnd(4));
	xive_drain(g, cpu);
	assert_int_equal(hcall(g->m, 0, SPIRQ_H_INT_SET_QUEUE_CONFIG, 0,
			       spirq_vcpu_id(spirq_machine_config(g->m), cpu),
			       PRIO, 0, 0, NULL), 0);
	g->has_queue[cpu] = false;
	assert_int_equal(spirq_cpu_unplug(g->m, cpu, NULL), 0);
	g->h->plugged[cpu] = false;
}

static void xive_step(struct xive_guest *g)
{
	unsigned s = rnd(g->nr_src), op = rnd(100);

	if (op < 45) {				/* a device fires */
		if (src_is_lsi(s)) {
			bool up = rnd(2);

			assert_int_equal(spirq_set_irq(g->m, src_irq(s), up), 0);
			if (up)
				model_lsi_assert(g, s);
			else
				g->asserted[s] = false;
		} else {
			assert_int_equal(spirq_set_irq(g->m, src_irq(s), 1), 0);
			model_trigger(g, s);
		}
	} else if (op < 80) {
		xive_drain(g, rnd(MAX_CPUS));
	} else if (op < 86) {			/* affinity change */
		unsigned cpu = rnd(MAX_CPUS);

		if (g->has_queue[cpu])
			xive_route(g, s, cpu);
	} else if (op < 90) {			/* mask, unmask (Linux) */
		xive_set_pq(g, s, 0x1);
		xive_set_pq(g, s, 0x0);
	} else if (op < 94) {
		save_restore(g->m);
	} else if (op < 96) {
		xive_hotplug_cycle(g);
	} else if (op < 97) {			/* CAS again: nothing moves */
		assert_int_equal(spirq_cas(g->m, 0x40, NULL, NULL), 0);
	} else {
		/* machine reset: pending events die with the masked sources */
		xive_drain_all(g);
		assert_int_equal(spirq_reset(g->m), 0);
		xive_bring_up(g);
	}
}

static void test_xive_conservation(void **state)
{
	struct host h = { 0 };
	struct xive_guest g = { 0 };
	unsigned s, step;

	rng_state = 0x5eed;
	g.h = &h;
	g.m = make(&h, "pseries-7.2,ic-mode=dual");
	g.nr_src = NR_SRC;
	for (s = 0; s < NR_SRC; s++)
		assert_int_equal(spirq_irq_claim(g.m, src_irq(s), src_is_lsi(s),
						 NULL), 0);
	xive_bring_up(&g);
	for (step = 0; step < 20000; step++)
		xive_step(&g);
	for (s = 0; s < NR_SRC; s++)	/* lines down, then count */
		if (src_is_lsi(s)) {
			spirq_set_irq(g.m, src_irq(s), 0);
			g.asserted[s] = false;
		}
	xive_drain_all(&g);
	assert_int_equal(h.bad_lines, 0);
	spirq_machine_destroy(g.m);
	test_ram_free(&h.ram);
}

/* ---- XICS: no loss, no duplicate ----------------------------------------- */

struct xics_guest {
	spirq_machine *m;
	struct host *h;
	bool masked[NR_SRC];
	uint64_t step;
	uint64_t triggers[NR_SRC], deliveries[NR_SRC];
	uint64_t last_trigger[NR_SRC], last_delivery[NR_SRC];
	bool level[NR_SRC];		/* LSI lines */
};

static void xics_set_xive(struct xics_guest *g, unsigned s, unsigned cpu,
			  uint32_t prio)
{
	uint32_t args[3] = { src_irq(s),
			     spirq_vcpu_id(spirq_machine_config(g->m), cpu),
			     prio }, ret[1];

	assert_int_equal(spirq_rtas(g->m, 0, SPIRQ_RTAS_SET_XIVE, 3, args, 1,
				    ret), 0);
	assert_int_equal(ret[0], 0);
	g->masked[s] = prio == 0xff;
}

static void xics_fire(struct xics_guest *g, unsigned s)
{
	if (src_is_lsi(s)) {
		if (g->level[s])
			return;		/* already asserted */
		g->level[s] = true;
	}
	assert_int_equal(spirq_set_irq(g->m, src_irq(s), 1), 0);
	g->triggers[s]++;
	g->last_trigger[s] = ++g->step;
}

/* The guest takes one interrupt on a vCPU: H_XIRR, handler, H_EOI. */
static void xics_take(struct xics_guest *g, unsigned cpu)
{
	uint64_t xirr;
	int s;

	if (!g->h->plugged[cpu])
		return;
	assert_int_equal(hcall(g->m, cpu, SPIRQ_H_XIRR, 0, 0, 0, 0, 0, &xirr), 0);
	if (!(xirr & 0xffffff)) {
		assert_int_equal(hcall(g->m, cpu, SPIRQ_H_CPPR, 0xff, 0, 0, 0, 0,
				       NULL), 0);
		return;
	}
	s = irq_src(xirr & 0xffffff);
	assert_true(s >= 0);
	g->deliveries[s]++;
	g->last_delivery[s] = ++g->step;
	/* nothing is delivered more often than it fired */
	assert_true(g->deliveries[s] <= g->triggers[s]);
	/* the handler quiets the device before the EOI */
	if (src_is_lsi(s) && g->level[s]) {
		g->level[s] = false;
		assert_int_equal(spirq_set_irq(g->m, src_irq(s), 0), 0);
	}
	assert_int_equal(hcall(g->m, cpu, SPIRQ_H_EOI, xirr, 0, 0, 0, 0, NULL), 0);
}

/* Drain every vCPU; then every trigger must have been followed by a
 * delivery (or absorbed into one that came after it). */
static void xics_drain_all(struct xics_guest *g)
{
	unsigned pass, cpu, s;

	for (pass = 0; pass < 3 * NR_SRC; pass++)
		for (cpu = 0; cpu < MAX_CPUS; cpu++)
			xics_take(g, cpu);
	for (s = 0; s < NR_SRC; s++)
		if (!g->masked[s] && g->last_trigger[s] > g->last_delivery[s])
			fail_msg("source 0x%x: fired at step %llu, not delivered since",
				 src_irq(s), (unsigned long long)g->last_trigger[s]);
}

static void xics_step(struct xics_guest *g)
{
	unsigned s = rnd(NR_SRC), op = rnd(100);

	if (op < 45) {
		xics_fire(g, s);
	} else if (op < 85) {
		xics_take(g, rnd(MAX_CPUS));
	} else if (op < 90) {
		xics_set_xive(g, s, rnd(4), 5);		/* affinity */
	} else if (op < 95) {
		save_restore(g->m);
	} else {
		/* mask and unmask: what fires meanwhile is kept pending */
		uint32_t args[1] = { src_irq(s) }, ret[1];

		assert_int_equal(spirq_rtas(g->m, 0, SPIRQ_RTAS_INT_OFF, 1, args,
					    1, ret), 0);
		assert_int_equal(spirq_rtas(g->m, 0, SPIRQ_RTAS_INT_ON, 1, args,
					    1, ret), 0);
	}
}

static void xics_bring_up(struct xics_guest *g, unsigned nr_src)
{
	unsigned cpu, s;

	for (cpu = 0; cpu < 4; cpu++)
		assert_int_equal(hcall(g->m, cpu, SPIRQ_H_CPPR, 0xff, 0, 0, 0, 0,
				       NULL), 0);
	for (s = 0; s < nr_src; s++)
		xics_set_xive(g, s, rnd(4), 5);
}

static void test_xics_conservation(void **state)
{
	struct host h = { 0 };
	struct xics_guest g = { 0 };
	uint64_t triggers = 0, deliveries = 0;
	unsigned s, step;

	rng_state = 0xc0ffee;
	g.h = &h;
	g.m = make(&h, "pseries-7.2,ic-mode=dual");
	for (s = 0; s < NR_SRC; s++)
		assert_int_equal(spirq_irq_claim(g.m, src_irq(s), src_is_lsi(s),
						 NULL), 0);
	assert_int_equal(spirq_cas(g.m, 0x00, NULL, NULL), 0);
	xics_bring_up(&g, NR_SRC);
	for (step = 0; step < 20000; step++)
		xics_step(&g);
	xics_drain_all(&g);
	for (s = 0; s < NR_SRC; s++) {
		triggers += g.triggers[s];
		deliveries += g.deliveries[s];
	}
	print_message("XICS: %llu triggers, %llu deliveries\n",
		      (unsigned long long)triggers,
		      (unsigned long long)deliveries);
	assert_true(deliveries > triggers / 4);
	assert_int_equal(h.bad_lines, 0);
	spirq_machine_destroy(g.m);
	test_ram_free(&h.ram);
}

/* ---- dual: in-place CAS switches with traffic on both sides ----------- */

static void test_dual_switches(void **state)
{
	struct host h = { 0 };
	struct xive_guest x = { 0 };
	struct xics_guest c = { 0 };
	unsigned s, round, step;

	rng_state = 0xd0a1;
	x.h = c.h = &h;
	x.m = c.m = make(&h, "pseries-7.2,ic-mode=dual");
	x.nr_src = NR_MSI;
	for (s = 0; s < NR_MSI; s++)
		assert_int_equal(spirq_irq_claim(x.m, src_irq(s), false, NULL), 0);
	xive_bring_up(&x);
	for (round = 0; round < 20; round++) {
		/* XIVE side (MSIs only: no LSI is claimed here) */
		for (step = 0; step < 300; step++) {
			unsigned op = rnd(3);

			s = rnd(NR_MSI);
			if (op == 0) {
				assert_int_equal(spirq_set_irq(x.m, src_irq(s), 1), 0);
				model_trigger(&x, s);
			} else {
				xive_drain(&x, rnd(4));
			}
		}
		xive_drain_all(&x);
		/* switch in place to XICS: XIVE keeps its state */
		assert_int_equal(spirq_cas(c.m, 0x00, NULL, NULL), 0);
		xics_bring_up(&c, NR_MSI);
		for (step = 0; step < 300; step++) {
			if (rnd(2))
				xics_fire(&c, rnd(NR_MSI));
			else
				xics_take(&c, rnd(4));
			if (!rnd(50))
				save_restore(c.m);
		}
		xics_drain_all(&c);
		/* back to XIVE, in place */
		assert_int_equal(spirq_cas(x.m, 0x40, NULL, NULL), 0);
	}
	assert_int_equal(h.bad_lines, 0);
	spirq_machine_destroy(x.m);
	test_ram_free(&h.ram);
}

/* ---- threads ------------------------------------------------------------------ */

struct shared {
	spirq_machine *m;
	atomic_int stop;	/* volatile is not enough: TSan sees a race */
};

struct thread_arg {
	struct shared *sh;
	unsigned index;
	uint64_t count;
};

static void *device_thread(void *arg)
{
	struct thread_arg *ta = arg;
	unsigned i;

	for (i = 0; i < 20000 && !atomic_load(&ta->sh->stop); i++)
		if (!spirq_set_irq(ta->sh->m,
				   FIRST_MSI + (i + ta->index) % NR_MSI, 1))
			ta->count++;
	return NULL;
}

/* A vCPU: acknowledge, set CPPR, EOI a source through its ESB page. */
static void *vcpu_thread(void *arg)
{
	struct thread_arg *ta = arg;
	spirq_machine *m = ta->sh->m;
	unsigned i;

	for (i = 0; i < 20000 && !atomic_load(&ta->sh->stop); i++) {
		uint64_t v;

		if (spirq_mmio_load(m, ta->index, SPIRQ_REGION_TIMA, 0x20810,
				    2, &v) == 0 && (v & 0x8000))
			ta->count++;
		spirq_mmio_store(m, ta->index, SPIRQ_REGION_TIMA, 0x20011, 1,
				 0xff);
		spirq_mmio_load(m, ta->index, SPIRQ_REGION_ESB,
				((uint64_t)(FIRST_MSI + i % NR_MSI) << 17) +
					0x10c00, 8, &v);
	}
	return NULL;
}

static void control_step(spirq_machine *m, unsigned i)
{
	size_t len = 0;
	uint8_t *buf;

	switch (i % 5) {
	case 0:
		spirq_cas(m, rnd(2) ? 0x40 : 0x00, NULL, NULL);
		break;
	case 1:
		spirq_save(m, NULL, 0, &len);
		buf = malloc(len);
		/* the machine may change between the two calls: retry */
		if (buf && spirq_save(m, buf, len, &len) == 0)
			assert_int_equal(spirq_restore(m, buf, len, NULL), 0);
		free(buf);
		break;
	case 2:
		if (!rnd(10))
			spirq_reset(m);
		break;
	default:
		spirq_cas(m, 0x40, NULL, NULL);
		break;
	}
}

static void test_threads(void **state)
{
	struct host h = { 0 };
	struct shared sh = { 0 };
	struct xive_guest g = { 0 };
	struct thread_arg dev_arg[2], vcpu_arg[4];
	pthread_t dev[2], vcpu[4];
	unsigned i, s;

	rng_state = 0x7ead;
	g.h = &h;
	g.m = make(&h, "pseries-7.2,ic-mode=dual");
	g.nr_src = NR_MSI;
	for (s = 0; s < NR_MSI; s++)
		assert_int_equal(spirq_irq_claim(g.m, src_irq(s), false, NULL), 0);
	xive_bring_up(&g);
	sh.m = g.m;
	for (i = 0; i < 2; i++) {
		dev_arg[i] = (struct thread_arg){ .sh = &sh, .index = i };
		pthread_create(&dev[i], NULL, device_thread, &dev_arg[i]);
	}
	for (i = 0; i < 4; i++) {
		vcpu_arg[i] = (struct thread_arg){ .sh = &sh, .index = i };
		pthread_create(&vcpu[i], NULL, vcpu_thread, &vcpu_arg[i]);
	}
	for (i = 0; i < 200; i++)
		control_step(g.m, i);
	atomic_store(&sh.stop, 1);
	for (i = 0; i < 2; i++)
		pthread_join(dev[i], NULL);
	for (i = 0; i < 4; i++)
		pthread_join(vcpu[i], NULL);
	print_message("threads: %llu + %llu triggers, %llu acknowledged\n",
		      (unsigned long long)dev_arg[0].count,
		      (unsigned long long)dev_arg[1].count,
		      (unsigned long long)(vcpu_arg[0].count + vcpu_arg[1].count +
					   vcpu_arg[2].count + vcpu_arg[3].count));
	assert_int_equal(h.bad_lines, 0);
	spirq_machine_destroy(g.m);
	test_ram_free(&h.ram);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xive_conservation),
		cmocka_unit_test(test_xics_conservation),
		cmocka_unit_test(test_dual_switches),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests_name("stress", tests, NULL, NULL);
}
