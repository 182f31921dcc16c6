// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirq-bench: the interrupt cycles of make bench, driving only the public
 * API, every result checked.
 *
 *   spirq-bench list                  the cycles, one "NAME TARGET TITLE" a line
 *   spirq-bench cycle NAME CPUS [K]   K measured cycles (default 1000) after
 *                                     a warm-up, each checked; prints the
 *                                     wall-clock ns per cycle
 *   spirq-bench check                 every cycle at 1, 16, 256 and 4096
 *                                     vCPUs, 200 cycles each (a test)
 *   spirq-bench throughput [--runs N] [--ms MS] [--gate]
 *                                     XICS and XIVE IPI cycles per second
 *                                     with 1 and 2 threads, the median of N
 *                                     runs (5) of MS ms (500); --gate fails
 *                                     below 1.6x
 *   spirq-bench callgrind             exit 0 when built with callgrind.h
 *
 * The measured cycles run inside the functions named bench_cycle_*: under
 * valgrind --tool=callgrind --collect-atstart=no
 * --toggle-collect='bench_cycle_*' only their instructions are counted
 * (the API calls and the host's set_cpu_irq callback), not the checks,
 * and instrumentation is switched on around the measured loop only, so
 * that creating a 4096-vCPU machine is not slowed down.
 * scripts/bench-instructions.sh runs that and gates on the counts.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <spirq/spirq.h>

#ifdef HAVE_CALLGRIND_H
#include <valgrind/callgrind.h>
#define BENCH_HAVE_CALLGRIND 1
#else
#define CALLGRIND_START_INSTRUMENTATION do { } while (0)
#define CALLGRIND_STOP_INSTRUMENTATION do { } while (0)
#define BENCH_HAVE_CALLGRIND 0
#endif

#define BENCH_RAM	(4u << 20)
#define QUEUE_GPA	0x100000u	/* the XIVE event queues, 64 KiB each */
#define QUEUE_SHIFT	16
#define QUEUE_ENTRIES	((1u << QUEUE_SHIFT) / 4)
#define MSI_IRQ		0x1fffu		/* the last external source */
#define XICS_PRIO	5
#define XIVE_PRIO	6
#define MAX_EDGES	8
#define SCALING_TARGET	1.6	/* 2 threads / 1 thread, cycles/s */

#define TIMA_OS_ACK	0x20810u	/* OS ring, TM_SPC_ACK_OS_REG */
#define TIMA_OS_CPPR	0x20011u	/* OS ring, TM_QW1_OS + TM_CPPR */
#define ESB_EOI_PAGE	0x10000u	/* second page of a source's ESB */
#define ESB_SET_PQ_00	0xc00u

/* One machine driven from one thread (or one pair of vCPUs). */
struct bench {
	spirq_machine *m;
	uint8_t *ram;
	unsigned sender, target;	/* cpu_index */
	uint32_t target_id;		/* its vCPU id (XICS server, XIVE target) */
	uint32_t irq;			/* the source the cycle uses */
	uint64_t esb_trigger, esb_eoi;	/* ESB offsets of that source */
	/* the target's output line, as set_cpu_irq reported it */
	int edges[MAX_EDGES];
	unsigned nedges, stray_edges;
	/* what one cycle returned */
	int64_t rc;			/* every return code, or'ed */
	uint64_t xirr, ack, pq;
	uint64_t ipi_args[SPIRQ_HCALL_MAX_ARGS], self_args[SPIRQ_HCALL_MAX_ARGS];
	uint64_t none_args[SPIRQ_HCALL_MAX_ARGS], eoi_args[SPIRQ_HCALL_MAX_ARGS];
	uint64_t rets[SPIRQ_HCALL_MAX_RETS];
	/* the XIVE queue: next entry expected, its generation bit */
	unsigned qidx, qgen;
};

static int read_ram(void *opaque, uint64_t gpa, void *buf, size_t len)
{
	struct bench *b = opaque;

	if (gpa >= BENCH_RAM || len > BENCH_RAM - gpa)
		return -1;
	memcpy(buf, b->ram + gpa, len);
	return 0;
}

static int write_ram(void *opaque, uint64_t gpa, const void *buf, size_t len)
{
	struct bench *b = opaque;

	if (gpa >= BENCH_RAM || len > BENCH_RAM - gpa)
		return -1;
	memcpy(b->ram + gpa, buf, len);
	return 0;
}

/* Counted with the cycle: any VMM does at least this much per edge. */
static void set_cpu_irq(void *opaque, unsigned cpu_index, int level)
{
	struct bench *b = opaque;

	if (cpu_index == b->target && b->nedges < MAX_EDGES)
		b->edges[b->nedges++] = level;
	else
		b->stray_edges++;
}

static void log_line(void *opaque, spirq_log_level level, const char *msg)
{
	(void)opaque;
	(void)level;
	fprintf(stderr, "spirq-bench: library log: %s\n", msg);
}

/* The calling thread's CPU time, in seconds. */
static double thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the cycles -------------------------------------------------------
 * noinline and (gcc) noclone: callgrind counts by these names. */
#ifdef __clang__
#define CYCLE_FN __attribute__((noinline))
#else
#define CYCLE_FN __attribute__((noinline, noclone))
#endif

/* XICS IPI: H_IPI(mfrr 5), H_XIRR, H_EOI.  The MFRR stays at 5, so the
 * EOI presents the IPI again (QEMU's icp_resend): the next H_IPI finds it
 * pending. */
CYCLE_FN void bench_cycle_xics_ipi(struct bench *b);
void bench_cycle_xics_ipi(struct bench *b)
{
	b->rc = spirq_hcall(b->m, b->sender, SPIRQ_H_IPI, b->ipi_args,
			    b->rets, NULL);
	b->rc |= spirq_hcall(b->m, b->target, SPIRQ_H_XIRR, b->none_args,
			     b->rets, NULL);
	b->xirr = b->eoi_args[0] = b->rets[0];
	b->rc |= spirq_hcall(b->m, b->target, SPIRQ_H_EOI, b->eoi_args,
			     b->rets, NULL);
}

/* Linux's order: H_IPI, H_XIRR, H_IPI(self, 0xff), H_EOI. */
CYCLE_FN void bench_cycle_xics_ipi_linux(struct bench *b);
void bench_cycle_xics_ipi_linux(struct bench *b)
{
	b->rc = spirq_hcall(b->m, b->sender, SPIRQ_H_IPI, b->ipi_args,
			    b->rets, NULL);
	b->rc |= spirq_hcall(b->m, b->target, SPIRQ_H_XIRR, b->none_args,
			     b->rets, NULL);
	b->xirr = b->eoi_args[0] = b->rets[0];
	b->rc |= spirq_hcall(b->m, b->target, SPIRQ_H_IPI, b->self_args,
			     b->rets, NULL);
	b->rc |= spirq_hcall(b->m, b->target, SPIRQ_H_EOI, b->eoi_args,
			     b->rets, NULL);
}

/* XICS MSI: the device line, H_XIRR, H_EOI. */
CYCLE_FN void bench_cycle_xics_msi(struct bench *b);
void bench_cycle_xics_msi(struct bench *b)
{
	b->rc = spirq_set_irq(b->m, b->irq, 1);
	b->rc |= spirq_hcall(b->m, b->target, SPIRQ_H_XIRR, b->none_args,
			     b->rets, NULL);
	b->xirr = b->eoi_args[0] = b->rets[0];
	b->rc |= spirq_hcall(b->m, b->target, SPIRQ_H_EOI, b->eoi_args,
			     b->rets, NULL);
}

/* XIVE MSI: the device line, TIMA OS ACK, EOI by an ESB load at
 * SET_PQ_00 (Linux without StoreEOI), CPPR restore. */
CYCLE_FN void bench_cycle_xive_msi(struct bench *b);
void bench_cycle_xive_msi(struct bench *b)
{
	b->rc = spirq_set_irq(b->m, b->irq, 1);
	b->rc |= spirq_mmio_load(b->m, b->target, SPIRQ_REGION_TIMA,
				 TIMA_OS_ACK, 2, &b->ack);
	b->rc |= spirq_mmio_load(b->m, b->target, SPIRQ_REGION_ESB,
				 b->esb_eoi, 8, &b->pq);
	b->rc |= spirq_mmio_store(b->m, b->target, SPIRQ_REGION_TIMA,
				  TIMA_OS_CPPR, 1, 0xff);
}

/* XIVE IPI: an ESB store to the target's IPI trigger page, ACK, EOI,
 * CPPR restore (without it the ACK leaves the CPPR at the IPI's priority
 * and the next IPI is not presented; Linux restores it when it finds its
 * queue empty). */
CYCLE_FN void bench_cycle_xive_ipi(struct bench *b);
void bench_cycle_xive_ipi(struct bench *b)
{
	b->rc = spirq_mmio_store(b->m, b->sender, SPIRQ_REGION_ESB,
				 b->esb_trigger, 8, 0);
	b->rc |= spirq_mmio_load(b->m, b->target, SPIRQ_REGION_TIMA,
				 TIMA_OS_ACK, 2, &b->ack);
	b->rc |= spirq_mmio_load(b->m, b->target, SPIRQ_REGION_ESB,
				 b->esb_eoi, 8, &b->pq);
	b->rc |= spirq_mmio_store(b->m, b->target, SPIRQ_REGION_TIMA,
				  TIMA_OS_CPPR, 1, 0xff);
}

struct cycle {
	const char *name;
	const char *title;
	unsigned target;		/* instructions */
	bool xive;
	bool ipi;
	void (*run)(struct bench *b);
	int edges[MAX_EDGES];		/* the target's line, in order */
	unsigned nedges;
};

static const struct cycle cycles[] = {
	{ "xics-ipi", "XICS IPI: H_IPI(mfrr 5), H_XIRR, H_EOI", 250,
	  false, true, bench_cycle_xics_ipi, { 0, 1 }, 2 },
	{ "xics-ipi-linux",
	  "XICS IPI, Linux's order: H_IPI, H_XIRR, H_IPI(self, 0xff), H_EOI",
	  300, false, true, bench_cycle_xics_ipi_linux, { 1, 0 }, 2 },
	{ "xics-msi", "XICS MSI: device line, H_XIRR, H_EOI", 250,
	  false, false, bench_cycle_xics_msi, { 1, 0 }, 2 },
	{ "xive-msi", "XIVE MSI: device line, TIMA OS ACK, EOI by ESB load "
	  "at SET_PQ_00, CPPR restore", 350,
	  true, false, bench_cycle_xive_msi, { 1, 0 }, 2 },
	{ "xive-ipi", "XIVE IPI: ESB store trigger, ACK, EOI, CPPR restore",
	  350, true, true, bench_cycle_xive_ipi, { 1, 0 }, 2 },
};
#define NR_CYCLES (sizeof(cycles) / sizeof(cycles[0]))

static const struct cycle *find_cycle(const char *name)
{
	size_t i;

	for (i = 0; i < NR_CYCLES; i++)
		if (!strcmp(cycles[i].name, name))
			return &cycles[i];
	return NULL;
}

/* ---- set-up ---------------------------------------------------------- */

static int hcall0(struct bench *b, unsigned cpu, uint64_t opcode,
		  uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		  uint64_t a4)
{
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { a0, a1, a2, a3, a4 };
	uint64_t rets[SPIRQ_HCALL_MAX_RETS];
	int64_t rc = spirq_hcall(b->m, cpu, opcode, args, rets, NULL);

	if (rc != SPIRQ_H_SUCCESS) {
		fprintf(stderr, "spirq-bench: %s: %s\n",
			spirq_hcall_name(opcode), spirq_hcall_ret_name(rc));
		return -1;
	}
	return 0;
}

static int machine_new(struct bench *b, bool xive, unsigned cpus,
		       spirq_host_ops *ops)
{
	char machine[64], smp[32];
	const char *argv[] = { "-M", machine, "-smp", smp, "-m", "256M" };
	spirq_config cfg;
	spirq_error err;

	snprintf(machine, sizeof(machine), "pseries-7.2,ic-mode=%s",
		 xive ? "xive" : "xics");
	snprintf(smp, sizeof(smp), "%u", cpus);
	ops->version = SPIRQ_HOST_OPS_VERSION;
	ops->opaque = b;
	ops->read_guest = read_ram;
	ops->write_guest = write_ram;
	ops->log = log_line;
	if (spirq_config_from_args(6, argv, &cfg, &err) < 0 ||
	    spirq_machine_create(&cfg, ops, &b->m, &err) < 0) {
		fprintf(stderr, "spirq-bench: %s\n", err.message);
		return -1;
	}
	return 0;
}

/* XICS: the MSI at the target, priority 5; the target's CPPR open. */
static int setup_xics(struct bench *b, const struct cycle *c)
{
	uint32_t set[3] = { b->irq, b->target_id, XICS_PRIO }, st[1] = { 0 };

	if (!c->ipi && spirq_rtas(b->m, 0, SPIRQ_RTAS_SET_XIVE, 3, set, 1,
				  st) < 0)
		return -1;
	if (st[0])
		return -1;
	b->ipi_args[0] = b->target_id;
	b->ipi_args[1] = XICS_PRIO;
	b->self_args[0] = b->target_id;
	b->self_args[1] = 0xff;
	return hcall0(b, b->target, SPIRQ_H_CPPR, 0xff, 0, 0, 0, 0);
}

/* XIVE: a queue for the target at priority 6, the source routed to it
 * (its EISN is its number), enabled; the target's CPPR open. */
static int setup_xive(struct bench *b)
{
	uint64_t v;

	if (spirq_cas(b->m, 0x40, NULL, NULL) < 0 ||
	    hcall0(b, 0, SPIRQ_H_INT_SET_QUEUE_CONFIG, 1, b->target_id,
		   XIVE_PRIO, QUEUE_GPA, QUEUE_SHIFT) < 0 ||
	    hcall0(b, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, 2, b->irq,
		   b->target_id, XIVE_PRIO, b->irq) < 0)
		return -1;
	b->esb_trigger = (uint64_t)b->irq << SPIRQ_XIVE_ESB_SHIFT;
	b->esb_eoi = b->esb_trigger + ESB_EOI_PAGE + ESB_SET_PQ_00;
	b->qidx = 0;
	b->qgen = 1;
	if (spirq_mmio_load(b->m, 0, SPIRQ_REGION_ESB, b->esb_eoi, 8, &v) ||
	    spirq_mmio_store(b->m, b->target, SPIRQ_REGION_TIMA, TIMA_OS_CPPR,
			     1, 0xff))
		return -1;
	return 0;
}

/* A machine of @cpus vCPUs, every external source claimed, set up for
 * cycle @c on its last vCPU (sent from vCPU 0: itself with one vCPU). */
static int bench_init(struct bench *b, const struct cycle *c, unsigned cpus)
{
	spirq_host_ops ops = { 0 };
	uint32_t irq;

	memset(b, 0, sizeof(*b));
	b->ram = calloc(1, BENCH_RAM);
	if (!b->ram)
		return -1;
	ops.set_cpu_irq = set_cpu_irq;
	if (machine_new(b, c->xive, cpus, &ops) < 0)
		return -1;
	for (irq = SPIRQ_XIRQ_BASE; irq < SPIRQ_XIRQ_BASE + SPIRQ_NR_XIRQS;
	     irq++)
		if (spirq_irq_claim(b->m, irq, false, NULL) < 0)
			return -1;
	b->sender = 0;
	b->target = cpus - 1;
	b->target_id = spirq_vcpu_id(spirq_machine_config(b->m), b->target);
	/* the XIVE IPI of a vCPU is the source numbered by its vCPU id */
	b->irq = c->ipi && c->xive ? b->target_id : MSI_IRQ;
	if ((c->xive ? setup_xive(b) : setup_xics(b, c)) < 0) {
		fprintf(stderr, "spirq-bench: %s: set-up failed\n", c->name);
		return -1;
	}
	b->nedges = b->stray_edges = 0;
	return 0;
}

static void bench_fini(struct bench *b)
{
	spirq_machine_destroy(b->m);
	free(b->ram);
}

/* ---- checks ---------------------------------------------------------- */

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int check_edges(const struct bench *b, const struct cycle *c,
		       char *why, size_t len)
{
	unsigned i;

	if (b->stray_edges) {
		snprintf(why, len, "%u edges on other vCPUs", b->stray_edges);
		return -1;
	}
	if (b->nedges != c->nedges) {
		snprintf(why, len, "%u line edges, expected %u", b->nedges,
			 c->nedges);
		return -1;
	}
	for (i = 0; i < c->nedges; i++)
		if (b->edges[i] != c->edges[i]) {
			snprintf(why, len, "line edge %u: level %d, expected %d",
				 i, b->edges[i], c->edges[i]);
			return -1;
		}
	return 0;
}

/* The queue entry the cycle's delivery wrote: generation bit, EISN. */
static int check_queue(struct bench *b, char *why, size_t len)
{
	uint32_t want = b->qgen << 31 | b->irq;
	uint32_t got = be32_at(b->ram + QUEUE_GPA + 4 * b->qidx);

	if (got != want) {
		snprintf(why, len, "queue entry %u is 0x%08" PRIx32
			 ", expected 0x%08" PRIx32, b->qidx, got, want);
		return -1;
	}
	if (++b->qidx == QUEUE_ENTRIES) {
		b->qidx = 0;
		b->qgen ^= 1;
	}
	return 0;
}

static int check_cycle(struct bench *b, const struct cycle *c, char *why,
		       size_t len)
{
	uint64_t xirr = (uint64_t)0xff << 24 | (c->ipi ? 2 : b->irq);

	if (b->rc) {
		snprintf(why, len, "a call failed (return codes or'ed: %" PRId64
			 ")", b->rc);
		return -1;
	}
	if (check_edges(b, c, why, len) < 0)
		return -1;
	b->nedges = 0;
	if (!c->xive) {
		if (b->xirr == xirr)
			return 0;
		snprintf(why, len, "XIRR 0x%08" PRIx64 ", expected 0x%08"
			 PRIx64, b->xirr, xirr);
		return -1;
	}
	/* ACK: NSR with the OS exception bit, CPPR at the priority; the EOI
	 * load returns the PQ of a delivered source: P set, Q clear */
	if (b->ack != (0x80u << 8 | XIVE_PRIO) || b->pq != 2) {
		snprintf(why, len, "ACK 0x%04" PRIx64 ", PQ %" PRIu64
			 ", expected 0x%04x, 2", b->ack, b->pq,
			 0x80u << 8 | XIVE_PRIO);
		return -1;
	}
	return check_queue(b, why, len);
}

/* @k checked cycles; the counted loop when @measure. */
static int run_cycles(struct bench *b, const struct cycle *c, unsigned k,
		      bool measure, double *ns)
{
	char why[160];
	double t0 = now();
	unsigned i;

	if (measure)
		CALLGRIND_START_INSTRUMENTATION;
	for (i = 0; i < k; i++) {
		c->run(b);
		if (check_cycle(b, c, why, sizeof(why)) < 0) {
			if (measure)
				CALLGRIND_STOP_INSTRUMENTATION;
			fprintf(stderr, "spirq-bench: %s: cycle %u: %s\n",
				c->name, i, why);
			return -1;
		}
	}
	if (measure)
		CALLGRIND_STOP_INSTRUMENTATION;
	if (ns)
		*ns = (now() - t0) / k * 1e9;
	return 0;
}

/* The first XICS IPI cycle finds no IPI pending (the line rises at the
 * H_IPI): run it before the checked ones. */
static void prime(struct bench *b, const struct cycle *c)
{
	if (c->run == bench_cycle_xics_ipi) {
		c->run(b);
		b->nedges = 0;
	}
}

static int one_cycle(const struct cycle *c, unsigned cpus, unsigned k,
		     bool measure, double *ns)
{
	struct bench b;
	int ret = -1;

	if (bench_init(&b, c, cpus) == 0) {
		prime(&b, c);
		if (run_cycles(&b, c, 100, false, NULL) == 0 &&
		    run_cycles(&b, c, k, measure, ns) == 0)
			ret = 0;
	}
	bench_fini(&b);
	return ret;
}

/* ---- throughput ------------------------------------------------------ */

/* Thread t drives vCPUs 2t and 2t+1 of one machine: IPIs between them,
 * alternating the direction, every result checked.  XICS in Linux's order;
 * XIVE by the partner's IPI ESB trigger, ACK, EOI, CPPR restore, each vCPU
 * with its own queue.  Each thread's counters are on a cache line of their
 * own: the harness must not share a written line between the threads it
 * measures. */
struct pair {
	struct bench *b;
	bool xive;
	unsigned t;
	pthread_barrier_t *start;
	atomic_bool *stop;
	uint64_t cycles;
	uint64_t bad;
	double cpu_s;			/* the thread's CPU time */
} __attribute__((aligned(64)));

#define PAIR_VCPUS 4

static uint64_t queue_gpa(unsigned cpu)
{
	return QUEUE_GPA + ((uint64_t)cpu << QUEUE_SHIFT);
}

/* One XICS cycle from @from to @to; returns 0 when every result is right. */
static int pair_xics(spirq_machine *m, unsigned from, unsigned to,
		     const uint64_t *ipi, const uint64_t *self)
{
	static const uint64_t none[SPIRQ_HCALL_MAX_ARGS];
	uint64_t eoi[SPIRQ_HCALL_MAX_ARGS] = { 0 }, rets[SPIRQ_HCALL_MAX_RETS];
	int64_t rc;

	rc = spirq_hcall(m, from, SPIRQ_H_IPI, ipi, rets, NULL);
	rc |= spirq_hcall(m, to, SPIRQ_H_XIRR, none, rets, NULL);
	eoi[0] = rets[0];
	rc |= spirq_hcall(m, to, SPIRQ_H_IPI, self, rets, NULL);
	rc |= spirq_hcall(m, to, SPIRQ_H_EOI, eoi, rets, NULL);
	return rc != 0 || eoi[0] != 0xff000002u;
}

/* The next entry of a vCPU's queue and its generation bit. */
struct queue_pos {
	unsigned idx, gen;
};

/* One XIVE cycle from @from to @to (IPI source @irq, the next entry of
 * @to's queue at @q); returns 0 when every result is right. */
static int pair_xive(struct bench *b, unsigned from, unsigned to,
		     uint32_t irq, struct queue_pos *q)
{
	uint64_t trigger = (uint64_t)irq << SPIRQ_XIVE_ESB_SHIFT, ack, pq;
	const uint8_t *entry = b->ram + queue_gpa(to) + 4 * q->idx;
	int rc;

	rc = spirq_mmio_store(b->m, from, SPIRQ_REGION_ESB, trigger, 8, 0);
	rc |= spirq_mmio_load(b->m, to, SPIRQ_REGION_TIMA, TIMA_OS_ACK, 2,
			      &ack);
	rc |= spirq_mmio_load(b->m, to, SPIRQ_REGION_ESB,
			      trigger + ESB_EOI_PAGE + ESB_SET_PQ_00, 8, &pq);
	rc |= spirq_mmio_store(b->m, to, SPIRQ_REGION_TIMA, TIMA_OS_CPPR, 1,
			       0xff);
	rc |= be32_at(entry) != (q->gen << 31 | irq);
	if (++q->idx == QUEUE_ENTRIES) {
		q->idx = 0;
		q->gen ^= 1;
	}
	return rc || ack != (0x80u << 8 | XIVE_PRIO) || pq != 2;
}

static void *pair_thread(void *arg)
{
	struct pair *p = arg;
	const spirq_config *cfg = spirq_machine_config(p->b->m);
	uint64_t ipi[2][SPIRQ_HCALL_MAX_ARGS] = { { 0 } };
	uint64_t self[2][SPIRQ_HCALL_MAX_ARGS] = { { 0 } };
	unsigned cpu[2] = { 2 * p->t, 2 * p->t + 1 }, d;
	struct queue_pos q[2] = { { 0, 1 }, { 0, 1 } };
	uint32_t id[2];

	for (d = 0; d < 2; d++) {
		id[d] = spirq_vcpu_id(cfg, cpu[d]);
		/* direction d: cpu[d] sends to cpu[!d] */
		ipi[d][0] = spirq_vcpu_id(cfg, cpu[!d]);
		ipi[d][1] = XICS_PRIO;
		self[d][0] = ipi[d][0];
		self[d][1] = 0xff;
	}
	pthread_barrier_wait(p->start);
	p->cpu_s = thread_cpu();
	for (d = 0; !atomic_load_explicit(p->stop, memory_order_relaxed);
	     d ^= 1) {
		if (p->xive)
			p->bad += pair_xive(p->b, cpu[d], cpu[!d], id[!d],
					    &q[!d]);
		else
			p->bad += pair_xics(p->b->m, cpu[d], cpu[!d], ipi[d],
					    self[d]);
		p->cycles++;
	}
	p->cpu_s = thread_cpu() - p->cpu_s;
	return NULL;
}

/* Levels are not checked here; the values of every cycle are. */
static void no_irq(void *opaque, unsigned cpu_index, int level)
{
	(void)opaque;
	(void)cpu_index;
	(void)level;
}

/* Every vCPU: CPPR open; with XIVE, its queue at priority 6 and its IPI
 * routed to itself, enabled. */
static int pair_setup(struct bench *b, bool xive)
{
	const spirq_config *cfg = spirq_machine_config(b->m);
	unsigned cpu;
	uint64_t v;

	if (xive && spirq_cas(b->m, 0x40, NULL, NULL) < 0)
		return -1;
	for (cpu = 0; cpu < PAIR_VCPUS; cpu++) {
		uint32_t id = spirq_vcpu_id(cfg, cpu);
		uint64_t eoi = ((uint64_t)id << SPIRQ_XIVE_ESB_SHIFT) +
			       ESB_EOI_PAGE + ESB_SET_PQ_00;

		if (!xive) {
			if (hcall0(b, cpu, SPIRQ_H_CPPR, 0xff, 0, 0, 0, 0) < 0)
				return -1;
			continue;
		}
		if (hcall0(b, 0, SPIRQ_H_INT_SET_QUEUE_CONFIG, 1, id,
			   XIVE_PRIO, queue_gpa(cpu), QUEUE_SHIFT) < 0 ||
		    hcall0(b, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, 2, id, id,
			   XIVE_PRIO, id) < 0 ||
		    spirq_mmio_load(b->m, 0, SPIRQ_REGION_ESB, eoi, 8, &v) ||
		    spirq_mmio_store(b->m, cpu, SPIRQ_REGION_TIMA,
				     TIMA_OS_CPPR, 1, 0xff))
			return -1;
	}
	return 0;
}

/*
 * Cycles per second of @threads pairs for @ms milliseconds, and cycles per
 * second of CPU time the threads got (@cpu_rate): on a shared machine the
 * threads may not get a CPU each, but what they do with the CPU they get
 * shows whether they slow each other down (a shared cache line written
 * per cycle would).
 */
static int throughput_run(bool xive, unsigned threads, unsigned ms,
			  double *rate, double *cpu_rate)
{
	spirq_host_ops ops = { 0 };
	struct bench b;
	struct pair p[2];
	pthread_t tid[2];
	pthread_barrier_t start;
	atomic_bool stop = false;
	struct timespec pause = { ms / 1000, (long)(ms % 1000) * 1000000 };
	uint64_t total = 0, bad = 0;
	double t0, cpu = 0;
	unsigned t;

	memset(&b, 0, sizeof(b));
	b.ram = calloc(1, BENCH_RAM);
	ops.set_cpu_irq = no_irq;
	if (!b.ram || machine_new(&b, xive, PAIR_VCPUS, &ops) < 0 ||
	    pair_setup(&b, xive) < 0) {
		fprintf(stderr, "spirq-bench: throughput: set-up failed\n");
		bench_fini(&b);
		return -1;
	}
	pthread_barrier_init(&start, NULL, threads + 1);
	for (t = 0; t < threads; t++) {
		p[t] = (struct pair){ &b, xive, t, &start, &stop, 0, 0, 0 };
		pthread_create(&tid[t], NULL, pair_thread, &p[t]);
	}
	pthread_barrier_wait(&start);
	t0 = now();
	nanosleep(&pause, NULL);
	atomic_store(&stop, true);
	for (t = 0; t < threads; t++) {
		pthread_join(tid[t], NULL);
		total += p[t].cycles;
		bad += p[t].bad;
		cpu += p[t].cpu_s;
	}
	*rate = total / (now() - t0);
	*cpu_rate = cpu > 0 ? total / cpu : 0;
	pthread_barrier_destroy(&start);
	bench_fini(&b);
	if (bad) {
		fprintf(stderr, "spirq-bench: throughput: %" PRIu64
			" cycles gave a wrong result\n", bad);
		return -1;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int parse_uint(const char *s, unsigned min, unsigned max,
		      unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* The median cycles/s of 1 and 2 threads, their ratio; false when below
 * the target. */
static int throughput(bool xive, unsigned runs, unsigned ms, bool *low)
{
	double rate[2][15], cpu_rate[2][15], median[2], cpu_median[2];
	unsigned t, r;

	for (r = 0; r < runs; r++)
		for (t = 0; t < 2; t++)
			if (throughput_run(xive, t + 1, ms, &rate[t][r],
					   &cpu_rate[t][r]) < 0)
				return -1;
	for (t = 0; t < 2; t++) {
		qsort(rate[t], runs, sizeof(double), cmp_double);
		qsort(cpu_rate[t], runs, sizeof(double), cmp_double);
		median[t] = rate[t][runs / 2];
		cpu_median[t] = cpu_rate[t][runs / 2];
	}
	printf("%-16s %12.0f %12.0f %8.2f %10.2f\n", xive ? "XIVE IPI" :
	       "XICS IPI (Linux)", median[0], median[1], median[1] / median[0],
	       cpu_median[0] > 0 ? cpu_median[1] / cpu_median[0] : 0);
	*low = median[1] / median[0] < SCALING_TARGET;
	return 0;
}

static int cmd_throughput(int argc, char **argv)
{
	unsigned runs = 5, ms = 500;
	bool gate = false, low[2];
	int i;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc &&
		    !parse_uint(argv[i + 1], 1, 15, &runs))
			i++;
		else if (!strcmp(argv[i], "--ms") && i + 1 < argc &&
			 !parse_uint(argv[i + 1], 1, 60000, &ms))
			i++;
		else if (!strcmp(argv[i], "--gate"))
			gate = true;
		else {
			fprintf(stderr, "usage: spirq-bench throughput "
				"[--runs 1..15] [--ms MS] [--gate]\n");
			return 2;
		}
	}
	printf("IPI cycles/s, thread t driving vCPUs 2t and 2t+1 of one "
	       "machine,\nmedian of %u runs of %u ms; target: 2 threads >= "
	       "%.2f x 1 thread%s\n", runs, ms, SCALING_TARGET,
	       gate ? "" : " (not gating)");
	printf("(per-CPU: cycles per CPU-second of 2 threads / of 1; 1.00 when\n"
	       "the threads do not slow each other down, whatever the load)\n");
	printf("%-16s %12s %12s %8s %10s\n", "cycle", "1 thread", "2 threads",
	       "ratio", "per-CPU");
	if (throughput(false, runs, ms, &low[0]) < 0 ||
	    throughput(true, runs, ms, &low[1]) < 0)
		return 1;
	if (gate && (low[0] || low[1])) {
		printf("FAIL: 2 threads deliver less than %.2f times the "
		       "cycles of one\n", SCALING_TARGET);
		return 1;
	}
	return 0;
}

/* ---- commands -------------------------------------------------------- */

static int cmd_cycle(int argc, char **argv)
{
	const struct cycle *c = argc > 2 ? find_cycle(argv[2]) : NULL;
	unsigned cpus, k = 1000;
	double ns;

	if (!c || argc < 4 || argc > 5 ||
	    parse_uint(argv[3], 1, 1u << 20, &cpus) < 0 ||
	    (argc == 5 && parse_uint(argv[4], 1, 1u << 24, &k) < 0)) {
		fprintf(stderr, "usage: spirq-bench cycle NAME CPUS [K]\n");
		return 2;
	}
	if (one_cycle(c, cpus, k, true, &ns) < 0)
		return 1;
	printf("%s %u vCPUs: %u cycles checked, %.1f ns/cycle\n", c->name,
	       cpus, k, ns);
	return 0;
}

static int cmd_check(void)
{
	static const unsigned sizes[] = { 1, 16, 256, 4096 };
	size_t i, j;
	int ret = 0;

	for (i = 0; i < NR_CYCLES; i++)
		for (j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			if (one_cycle(&cycles[i], sizes[j], 200, false,
				      NULL) < 0)
				ret = 1;
			else
				printf("%s at %u vCPUs: ok\n", cycles[i].name,
				       sizes[j]);
		}
	return ret;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc >= 2 && !strcmp(argv[1], "list")) {
		for (i = 0; i < NR_CYCLES; i++)
			printf("%s %u %s\n", cycles[i].name, cycles[i].target,
			       cycles[i].title);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "cycle"))
		return cmd_cycle(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "check"))
		return cmd_check();
	if (argc >= 2 && !strcmp(argv[1], "throughput"))
		return cmd_throughput(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "callgrind"))
		return BENCH_HAVE_CALLGRIND ? 0 : 1;
	fprintf(stderr, "usage: spirq-bench list | cycle NAME CPUS [K] | check"
		" | throughput [--runs N] [--ms MS] [--gate] | callgrind\n");
	return 2;
}
