// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: machine reset of the interrupt subsystem.
 *
 * - what a reset leaves (QEMU 7.2): dual back to XICS and the negotiation
 *   forgotten, every valid EAS masked, ENDs invalid, PQ 01, ICS sources
 *   masked with no status, ICP and thread-context registers reset, claims
 *   and guest RAM kept;
 * - the reset phases (seed 001), run one by one through the internal API
 *   with device lines raised between every pair of phases: nothing reaches
 *   a controller while none is active, the held events reach the
 *   controller activated at the end, and nothing crashes.
 */
#include "test-spapr-harness.h"

#include "spapr/irq-internal.h"
#include "xics/xics-internal.h"
#include "xive/xive-internal.h"

/* ---- what a reset leaves ---------------------------------------------- */

static void test_dual_after_cas_back_to_xics(void **state)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	const uint64_t q0 = 0x100000, q1 = 0x101000;
	struct pic *p = pic_new();
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=dual",
				       "-smp", "2", "-m", "256M", NULL);
	unsigned lisn;

	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1200, true, NULL), 0);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);

	/* a guest at work: queues, routed sources, an event pending */
	xive_queue(m, 0, 0, 6, q0);
	xive_queue(m, 1, 1, 6, q1);
	xive_route(m, 0x1100, 1, 6, 0x1100);
	xive_route(m, 0x1200, 0, 6, 0x1200);
	xive_route(m, 1, 1, 6, 0x10);		/* vCPU 1's IPI */
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);
	assert_int_equal(h.line[1], 1);
	assert_int_equal(queue_entry(&h, q1, 0), 0x80001100);

	assert_int_equal(spirq_reset(m), 0);

	/* the presenters were reset: the line is down */
	assert_int_equal(h.line[1], 0);
	/* back to XICS, in its reset state, claims kept */
	assert_string_equal(info_pic(m, p),
			    "CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "CPU 1 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "ICS 1000..1fff 0x1\n"
			    "  1100 MSI ff 00\n"
			    "  1200 LSI ff 00\n"
			    "irqchip: emulated\n");
	/* negotiation forgotten: H_INT_* refused, XICS answers */
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_QUEUE_INFO, NULL, 0, 0, 6),
			 SPIRQ_H_FUNCTION);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPOLL, rets, 1), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0);
	assert_int_equal(rets[1], 0xff);

	/* the guest negotiates XIVE again and finds it reset */
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_string_equal(info_pic(m, p),
		"CPU[0000]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2\n"
		"CPU[0000]: USER    00   00  00    00   00  00  00   00  00000000\n"
		"CPU[0000]:   OS    00   00  00    ff   ff  00  ff   ff  80000400\n"
		"CPU[0000]: POOL    00   00  00    00   00  00  00   00  00000000\n"
		"CPU[0000]: PHYS    00   00  00    00   00  00  00   ff  00000000\n"
		"CPU[0001]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2\n"
		"CPU[0001]: USER    00   00  00    00   00  00  00   00  00000000\n"
		"CPU[0001]:   OS    00   00  00    ff   ff  00  ff   ff  80000401\n"
		"CPU[0001]: POOL    00   00  00    00   00  00  00   00  00000000\n"
		"CPU[0001]: PHYS    00   00  00    00   00  00  00   ff  00000000\n"
		"  LISN         PQ    EISN     CPU/PRIO EQ\n"
		"  00000000 MSI -Q  M 00000000\n"
		"  00000001 MSI -Q  M 00000000\n"
		"  00001100 MSI -Q  M 00000000\n"
		"  00001200 LSI -Q  M 00000000\n"
		"irqchip: emulated\n");
	/* ENDs invalid */
	for (lisn = 0; lisn < 2; lisn++) {
		assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_QUEUE_CONFIG, rets,
				       XIVE_END_DEBUG, lisn, 6),
				 SPIRQ_H_SUCCESS);
		assert_int_equal(rets[1], 0);
		assert_int_equal(rets[2], 0);
		assert_int_equal(rets[3], 0);
		assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_QUEUE_INFO, rets,
				       0, lisn, 6), SPIRQ_H_SUCCESS);
		assert_int_equal(rets[1], 0);
	}
	/* EAS masked, routed nowhere (D6), EISN cleared; PQ 01 */
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_CONFIG, rets, 0,
			       0x1100), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0xffffffff);
	assert_int_equal(rets[1], 0xff);
	assert_int_equal(rets[2], 0);
	assert_int_equal(xive_pq(m, 0x1100), 1);
	assert_int_equal(xive_pq(m, 0x1200), 1);
	assert_int_equal(xive_pq(m, 1), 1);
	/* claims kept exactly: the LSI is still an LSI, 0x1101 not claimed */
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_INFO, rets, 0,
			       0x1200), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0xc);
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_INFO, rets, 0,
			       0x1101), SPIRQ_H_P2);
	/* thread context: CPPR 0, nothing pending, the CAM line loaded */
	assert_int_equal(mmio_load(m, 1, SPIRQ_REGION_TIMA, TIMA_OS_WORD0, 4),
			 0x000000ff);
	assert_int_equal(mmio_load(m, 1, SPIRQ_REGION_TIMA, TIMA_OS_WORD0, 8),
			 0x000000ffff0000ffull);
	/* guest RAM is the guest's: the old queue page is untouched */
	assert_int_equal(queue_entry(&h, q1, 0), 0x80001100);
	/* a masked source stays quiet */
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);
	assert_int_equal(h.line[1], 0);

	machine_free(&h, m);
	free(p);
}

static void test_xics_reset(void **state)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	struct pic *p = pic_new();
	uint32_t server, prio;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=xics",
				       "-smp", "2", "-m", "256M", NULL);

	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1200, true, NULL), 0);
	assert_int_equal(set_xive(m, 0x1100, 1, 5), 0);
	assert_int_equal(int_onoff(m, 0x1100, false), 0);	/* saved 5 */
	assert_int_equal(set_xive(m, 0x1200, 1, 4), 0);
	assert_int_equal(hcall(m, 1, SPIRQ_H_CPPR, NULL, 0xff), SPIRQ_H_SUCCESS);
	assert_int_equal(spirq_set_irq(m, 0x1200, 1), 0);	/* presented */
	assert_int_equal(h.line[1], 1);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPI, NULL, 0, 3), SPIRQ_H_SUCCESS);

	assert_int_equal(spirq_reset(m), 0);
	assert_int_equal(h.line[1], 0);
	assert_string_equal(info_pic(m, p),
			    "CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "CPU 1 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "ICS 1000..1fff 0x1\n"
			    "  1100 MSI ff 00\n"
			    "  1200 LSI ff 00\n"
			    "irqchip: emulated\n");
	/* server 0, priority and saved priority 0xff */
	assert_int_equal(get_xive(m, 0x1100, &server, &prio), 0);
	assert_int_equal(server, 0);
	assert_int_equal(prio, 0xff);
	assert_int_equal(int_onoff(m, 0x1100, true), 0);
	assert_int_equal(get_xive(m, 0x1100, &server, &prio), 0);
	assert_int_equal(prio, 0xff);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPOLL, rets, 0), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0);
	assert_int_equal(rets[1], 0xff);
	/* XICS stays, CAS still possible */
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), 0);
	machine_free(&h, m);
	free(p);
}

static void test_xive_reset(void **state)
{
	const uint64_t q = 0x100000;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=xive",
				       "-m", "256M", NULL);

	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	xive_queue(m, 0, 0, 6, q);
	xive_route(m, 0x1100, 0, 6, 0x1100);
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);
	assert_int_equal(h.line[0], 1);

	assert_int_equal(spirq_reset(m), 0);
	/*
	 * The vCPU line should be down now, as after a CPU reset in QEMU;
	 * without XICS nothing lowers it: see pending-spapr-xive-reset-line.c.
	 */
	/* XIVE stays active (no XICS), the negotiation is forgotten */
	assert_false(pic_is_xics(m));
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_INFO, NULL, 0,
			       0x1100), SPIRQ_H_FUNCTION);
	assert_int_equal(mmio_load(m, 0, SPIRQ_REGION_ESB,
				   ESB_MGMT(0x1100) + ESB_GET, 8), 1);
	assert_true(pic_has(m, "  00001100 MSI -Q  M 00000000"));
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_INFO, NULL, 0,
			       0x1100), SPIRQ_H_SUCCESS);
	machine_free(&h, m);
}

/* Hot-plugged vCPUs are reset with the others. */
static void test_reset_hotplugged(void **state)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2",
				       "-smp", "1,maxcpus=2", "-m", "256M", NULL);

	assert_int_equal(spirq_cpu_plug(m, 1, NULL), 0);
	assert_int_equal(hcall(m, 1, SPIRQ_H_CPPR, NULL, 0xff), SPIRQ_H_SUCCESS);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPI, NULL, 1, 4), SPIRQ_H_SUCCESS);
	assert_int_equal(h.line[1], 1);
	assert_int_equal(spirq_reset(m), 0);
	assert_int_equal(h.line[1], 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPOLL, rets, 1), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0);
	assert_int_equal(rets[1], 0xff);
	assert_true(pic_has(m, "CPU 1 XIRR=00000000 ((nil)) PP=ff MFRR=ff"));
	machine_free(&h, m);
}

/* spirq_reset() is exactly the phases in order. */
static void test_reset_is_the_phases(void **state)
{
	struct pic *a = pic_new(), *b = pic_new();
	struct host ha, hb;
	spirq_machine *ma = machine_new(&ha, "-M", "pseries-7.2", "-smp", "2",
					"-m", "256M", NULL);
	spirq_machine *mb = machine_new(&hb, "-M", "pseries-7.2", "-smp", "2",
					"-m", "256M", NULL);
	int phase;

	assert_int_equal(spirq_irq_claim(ma, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(mb, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_cas(ma, 0x40, NULL, NULL), 0);
	assert_int_equal(spirq_cas(mb, 0x40, NULL, NULL), 0);
	xive_route(ma, 0x1100, 1, 5, 1);
	xive_route(mb, 0x1100, 1, 5, 1);

	assert_int_equal(spirq_reset(ma), 0);
	for (phase = 0; phase < RESET_NR_PHASES; phase++)
		spapr_reset_phase(mb, (enum spapr_reset_phase)phase);
	assert_string_equal(info_pic(ma, a), info_pic(mb, b));
	assert_int_equal(spirq_cas(ma, 0x40, NULL, NULL), 0);
	assert_int_equal(spirq_cas(mb, 0x40, NULL, NULL), 0);
	assert_string_equal(info_pic(ma, a), info_pic(mb, b));
	machine_free(&ha, ma);
	machine_free(&hb, mb);
	free(a);
	free(b);
}

/* ---- the reset phases (seed 001) --------------------------------------- */

#define MSI_A	0x1100	/* raised (twice) at every chance */
#define LSI_A	0x1200	/* asserted at every chance, stays asserted */
#define LSI_B	0x1201	/* asserted, then deasserted: a pulse */

/* Everything a delivery could change, in both controllers. */
struct snap {
	struct ics_irq *ics;
	uint64_t *resend;
	uint8_t *xsrc;
	xive_eas *eat;
	xive_end *endt;
	struct icp icp[2];
	uint8_t tctx[2][TM_RING_COUNT * TM_RING_SIZE];
	int line[2];
	unsigned line_calls[2];
};

static void *dup_mem(const void *p, size_t len)
{
	void *q = malloc(len);

	assert_non_null(q);
	memcpy(q, p, len);
	return q;
}

/* The whole END table as the guest sees it (missing groups: reset ENDs). */
static xive_end *dup_ends(const struct spapr_xive *xive)
{
	xive_end *ends = malloc(xive->nr_ends * sizeof(*ends));
	uint32_t i;

	assert_non_null(ends);
	for (i = 0; i < xive->nr_ends; i++)
		ends[i] = *spapr_xive_end_peek(xive, i);
	return ends;
}

static void snap_take(spirq_machine *m, const struct host *h, struct snap *s)
{
	unsigned cpu;

	memset(s, 0, sizeof(*s));
	if (m->ics) {
		s->ics = dup_mem(m->ics->irqs,
				 m->ics->nr_irqs * sizeof(*m->ics->irqs));
		s->resend = dup_mem(m->ics->resend,
				    BITS_TO_WORDS(m->ics->nr_irqs) * 8);
	}
	if (m->xive) {
		s->xsrc = dup_mem(m->xive->source.status,
				  m->xive->source.nr_irqs);
		s->eat = dup_mem(m->xive->eat,
				 m->xive->source.nr_irqs * sizeof(xive_eas));
		s->endt = dup_ends(m->xive);
	}
	for (cpu = 0; cpu < 2; cpu++) {
		if (m->vcpus[cpu].icp)
			s->icp[cpu] = *m->vcpus[cpu].icp;
		if (m->vcpus[cpu].tctx)
			memcpy(s->tctx[cpu], m->vcpus[cpu].tctx->regs,
			       sizeof(s->tctx[cpu]));
		s->line[cpu] = h->line[cpu];
		s->line_calls[cpu] = h->line_calls[cpu];
	}
}

static void snap_assert_same(spirq_machine *m, const struct host *h,
			     const struct snap *s)
{
	struct snap now;
	unsigned cpu;

	snap_take(m, h, &now);
	if (m->ics) {
		assert_memory_equal(now.ics, s->ics,
				    m->ics->nr_irqs * sizeof(*m->ics->irqs));
		assert_memory_equal(now.resend, s->resend,
				    BITS_TO_WORDS(m->ics->nr_irqs) * 8);
	}
	if (m->xive) {
		assert_memory_equal(now.xsrc, s->xsrc, m->xive->source.nr_irqs);
		assert_memory_equal(now.eat, s->eat,
				    m->xive->source.nr_irqs * sizeof(xive_eas));
		assert_memory_equal(now.endt, s->endt,
				    m->xive->nr_ends * sizeof(xive_end));
	}
	for (cpu = 0; cpu < 2; cpu++) {
		assert_memory_equal(&now.icp[cpu], &s->icp[cpu],
				    sizeof(s->icp[cpu]));
		assert_memory_equal(now.tctx[cpu], s->tctx[cpu],
				    sizeof(s->tctx[cpu]));
		assert_int_equal(now.line[cpu], s->line[cpu]);
		assert_int_equal(now.line_calls[cpu], s->line_calls[cpu]);
	}
	free(now.ics);
	free(now.resend);
	free(now.xsrc);
	free(now.eat);
	free(now.endt);
}

static void snap_free(struct snap *s)
{
	free(s->ics);
	free(s->resend);
	free(s->xsrc);
	free(s->eat);
	free(s->endt);
}

/*
 * What a device does while the machine resets: MSIs fire, one LSI goes
 * up and stays up, another pulses.  The test is single-threaded: the
 * internal entry points are called without the machine lock.
 */
static void raise_lines(spirq_machine *m)
{
	spapr_irq_set_locked(m, MSI_A, 1);
	spapr_irq_set_locked(m, MSI_A, 0);	/* ignored for an MSI */
	spapr_irq_set_locked(m, MSI_A, 1);
	spapr_irq_set_locked(m, LSI_A, 1);
	spapr_irq_set_locked(m, LSI_B, 1);
	spapr_irq_set_locked(m, LSI_B, 0);
}

enum kind { KIND_XICS, KIND_XIVE, KIND_DUAL_AFTER_CAS, KIND_NR };

static const char *const kind_names[] = { "xics", "xive", "dual after CAS" };

static spirq_machine *kind_machine(struct host *h, enum kind kind)
{
	static const char *const machines[] = {
		"pseries-7.2,ic-mode=xics",
		"pseries-7.2,ic-mode=xive",
		"pseries-7.2,ic-mode=dual",
	};
	spirq_machine *m = machine_new(h, "-M", machines[kind], "-smp", "2",
				       "-m", "256M", NULL);

	assert_int_equal(spirq_irq_claim(m, MSI_A, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, LSI_A, true, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, LSI_B, true, NULL), 0);
	if (kind == KIND_DUAL_AFTER_CAS) {
		assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
		/* a guest that routed everything to vCPU 1 */
		xive_queue(m, 1, 1, 6, 0x100000);
		xive_route(m, MSI_A, 1, 6, 1);
		xive_route(m, LSI_A, 1, 6, 2);
		xive_route(m, LSI_B, 1, 6, 3);
	} else if (kind == KIND_XICS) {
		assert_int_equal(set_xive(m, MSI_A, 1, 5), 0);
		assert_int_equal(set_xive(m, LSI_A, 1, 5), 0);
	}
	return m;
}

/*
 * Run the reset phase by phase; before phase i (i = RESET_NR_PHASES:
 * after the last) raise the lines if bit i of @gaps is set.  While no
 * controller is active, raising must change nothing anywhere.
 */
static void phased_reset(spirq_machine *m, struct host *h, unsigned gaps)
{
	int phase;

	for (phase = 0; phase <= RESET_NR_PHASES; phase++) {
		if (gaps & (1u << phase)) {
			if (!m->active) {
				struct snap s;

				snap_take(m, h, &s);
				raise_lines(m);
				snap_assert_same(m, h, &s);
				snap_free(&s);
			} else {
				raise_lines(m);
			}
		}
		if (phase < RESET_NR_PHASES) {
			spapr_reset_phase(m, (enum spapr_reset_phase)phase);
			/* only the last phase activates a controller */
			assert_int_equal(m->active == NULL,
					 phase != RESET_ACTIVATE);
		}
	}
}

/* Raised at any chance from QUIESCE on, held events reach the new one. */
#define GAPS_INACTIVE	((1u << RESET_FORGET_CAS) | (1u << RESET_STATE) | \
			 (1u << RESET_ACTIVATE))
#define GAP_BEFORE	(1u << RESET_QUIESCE)
#define GAP_AFTER	(1u << RESET_NR_PHASES)

static void check_after_reset(spirq_machine *m, struct host *h,
			      enum kind kind, bool raised)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };

	/* nothing reached a vCPU: every source is masked after a reset */
	assert_int_equal(h->line[0], 0);
	assert_int_equal(h->line[1], 0);
	if (kind == KIND_XIVE) {
		assert_false(pic_is_xics(m));
		/* an MSI finds PQ 01 and is dropped; LSI_A is asserted */
		assert_true(pic_has(m, "  00001100 MSI -Q  M 00000000"));
		assert_true(pic_has(m, raised ?
				    "  00001200 LSI -QA M 00000000" :
				    "  00001200 LSI -Q  M 00000000"));
		assert_true(pic_has(m, "  00001201 LSI -Q  M 00000000"));
		return;
	}
	/* XICS is active (the default of dual after a reset) */
	assert_true(pic_is_xics(m));
	assert_true(pic_has(m, raised ? "  1100 MSI ff 08" : "  1100 MSI ff 00"));
	assert_true(pic_has(m, raised ? "  1200 LSI ff 01" : "  1200 LSI ff 00"));
	assert_true(pic_has(m, "  1201 LSI ff 00"));
	assert_true(pic_has(m, "CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=ff"));
	assert_true(pic_has(m, "CPU 1 XIRR=00000000 ((nil)) PP=ff MFRR=ff"));
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_INFO, NULL, 0,
			       MSI_A), SPIRQ_H_FUNCTION);

	/* the guest unmasks: the held MSI and the asserted LSI arrive */
	assert_int_equal(hcall(m, 1, SPIRQ_H_CPPR, NULL, 0xff), SPIRQ_H_SUCCESS);
	assert_int_equal(set_xive(m, MSI_A, 1, 5), 0);
	assert_int_equal(h->line[1], raised);
	if (raised) {
		assert_int_equal(hcall(m, 1, SPIRQ_H_XIRR, rets, 0),
				 SPIRQ_H_SUCCESS);
		assert_int_equal(rets[0], 0xff000000 | MSI_A);
		assert_int_equal(hcall(m, 1, SPIRQ_H_EOI, NULL,
				       0xff000000 | MSI_A), SPIRQ_H_SUCCESS);
	}
	assert_int_equal(set_xive(m, LSI_A, 1, 5), 0);
	assert_int_equal(h->line[1], raised);
	if (raised) {
		assert_int_equal(hcall(m, 1, SPIRQ_H_XIRR, rets, 0),
				 SPIRQ_H_SUCCESS);
		assert_int_equal(rets[0], 0xff000000 | LSI_A);
	}
	/* the pulse is gone: LSI_B is not asserted */
	assert_int_equal(set_xive(m, LSI_B, 0, 5), 0);
	assert_true(pic_has(m, "  1201 LSI 05 00"));

	if (kind == KIND_DUAL_AFTER_CAS) {
		/* the level follows a later switch to XIVE */
		assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
		assert_true(pic_has(m, raised ?
				    "  00001200 LSI -QA M 00000000" :
				    "  00001200 LSI -Q  M 00000000"));
		assert_true(pic_has(m, "  00001100 MSI -Q  M 00000000"));
		assert_true(pic_has(m, "  00001201 LSI -Q  M 00000000"));
	}
}

static void run_phases(enum kind kind, unsigned gaps, bool raised)
{
	struct host h;
	spirq_machine *m = kind_machine(&h, kind);

	print_message("%s machine, lines raised before phases 0x%x\n",
		      kind_names[kind], gaps);
	phased_reset(m, &h, gaps);
	check_after_reset(m, &h, kind, raised);
	machine_free(&h, m);
}

/* Raised between every pair of phases. */
static void test_phases_every_gap(void **state)
{
	int kind;

	for (kind = 0; kind < KIND_NR; kind++)
		run_phases((enum kind)kind, GAPS_INACTIVE | GAP_BEFORE |
			   GAP_AFTER, true);
}

/* Raised only between two given phases: each gap on its own. */
static void test_phases_each_gap(void **state)
{
	int kind, phase;

	for (kind = 0; kind < KIND_NR; kind++)
		for (phase = RESET_FORGET_CAS; phase <= RESET_NR_PHASES; phase++)
			run_phases((enum kind)kind, 1u << phase, true);
}

/*
 * Raised before the reset starts: the old controller receives them, then
 * the reset clears the device lines and the controllers' state.
 */
static void test_phases_before_reset(void **state)
{
	int kind;

	for (kind = 0; kind < KIND_NR; kind++)
		run_phases((enum kind)kind, GAP_BEFORE, false);
}

/* Without any event, the phases leave what spirq_reset leaves. */
static void test_phases_quiet(void **state)
{
	int kind;

	for (kind = 0; kind < KIND_NR; kind++)
		run_phases((enum kind)kind, 0, false);
}

/*
 * A held MSI raised while XIVE is being replaced by XICS (dual after CAS)
 * never reaches XIVE: after a new CAS, XIVE has PQ 01 and an empty queue.
 */
static void test_held_event_goes_to_new_controller(void **state)
{
	struct host h;
	spirq_machine *m = kind_machine(&h, KIND_DUAL_AFTER_CAS);

	spapr_reset_phase(m, RESET_QUIESCE);
	assert_null(m->active);
	spapr_irq_set_locked(m, MSI_A, 1);
	assert_int_equal(m->xive->source.status[MSI_A] & 3, XIVE_ESB_RESET);
	spapr_reset_phase(m, RESET_FORGET_CAS);
	spapr_reset_phase(m, RESET_STATE);
	spapr_reset_phase(m, RESET_ACTIVATE);
	assert_ptr_equal(m->active, &spapr_xics_ops);
	assert_int_equal(m->ics->irqs[MSI_A - 0x1000].status,
			 XICS_STATUS_MASKED_PENDING);
	assert_int_equal(queue_entry(&h, 0x100000, 0), 0);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_int_equal(xive_pq(m, MSI_A), 1);
	assert_int_equal(queue_entry(&h, 0x100000, 0), 0);
	machine_free(&h, m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dual_after_cas_back_to_xics),
		cmocka_unit_test(test_xics_reset),
		cmocka_unit_test(test_xive_reset),
		cmocka_unit_test(test_reset_hotplugged),
		cmocka_unit_test(test_reset_is_the_phases),
		cmocka_unit_test(test_phases_every_gap),
		cmocka_unit_test(test_phases_each_gap),
		cmocka_unit_test(test_phases_before_reset),
		cmocka_unit_test(test_phases_quiet),
		cmocka_unit_test(test_held_event_goes_to_new_controller),
	};

	return cmocka_run_group_tests_name("spapr-reset", tests, NULL, NULL);
}
