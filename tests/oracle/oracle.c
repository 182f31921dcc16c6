// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The conservation oracle: see oracle.h for what it promises.
 *
 * The model is deliberately plain: arrays indexed by IRQ number and by
 * cpu_index, the rules of PAPR's XICS and of the XIVE ESB/router/TIMA
 * written out once each, and a ledger (owed) of the MSI events of each
 * source that are somewhere between the device and the guest.  Only
 * claimed sources are ever visited (a sorted list), so the model stays
 * cheap enough to follow a million-operation storm.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

#define XICS_IPI		0x2
#define XISR_MASK		0x00ffffffu
#define CPPR_SHIFT		24

/* XICS source status (PAPR's source states, as QEMU names them) */
#define ST_ASSERTED		0x1	/* LSI line high */
#define ST_SENT			0x2	/* LSI presented, not EOI'd */
#define ST_REJECTED		0x4	/* MSI refused by its ICP: resend later */
#define ST_MASKED_PENDING	0x8	/* MSI raised while masked */

/* XIVE ESB states */
#define PQ_RESET		0x0
#define PQ_OFF			0x1
#define PQ_PENDING		0x2
#define PQ_QUEUED		0x3
#define NSR_EO			0x80

enum claim { FREE = 0, MSI = 1, LSI = 2, IPI = 3 /* XIVE IPI LISN */ };

struct source {
	uint8_t claim;
	bool level;		/* device line (LSI) */
	bool held;		/* MSI edge held during a reset */
	uint32_t owed;		/* MSI events between device and guest */
	/* XICS ICS */
	uint32_t server;
	uint8_t prio, saved_prio, status;
	/* XIVE ESB and EAS */
	uint8_t pq;
	bool asserted;
	bool eas_valid, eas_masked;
	unsigned eas_cpu;
	uint8_t eas_prio;
	uint32_t eisn;
};

struct icp {
	uint32_t xirr;		/* CPPR << 24 | XISR */
	uint8_t pending_prio;
	uint8_t mfrr;
	bool from_ics;		/* the XISR came from a source */
};

struct queue {
	bool valid;
	unsigned head, count;
	uint32_t fifo[ORACLE_QUEUE_MAX];
	uint32_t irq[ORACLE_QUEUE_MAX];	/* source of each entry */
};

struct tctx {
	uint8_t cppr, ipb, nsr;
};

struct vcpu {
	bool plugged;
	uint32_t vcpu_id;
	int line;
	struct icp icp;
	struct tctx tctx;
	struct queue q[ORACLE_NR_PRIOS];
};

struct oracle {
	bool has_xics, has_xive;
	enum oracle_intc default_intc;
	bool active_set;		/* false during a reset */
	enum oracle_intc active;
	struct source src[ORACLE_NR_IRQS];
	/* the sources src_of() handed out since the last oracle_init() */
	uint64_t touched[ORACLE_NR_IRQS / 64];
	bool sources_ready;		/* src[] was reset once: see touched */
	uint32_t claimed[ORACLE_NR_IRQS];	/* sorted */
	unsigned nr_claimed;
	struct vcpu cpu[ORACLE_MAX_CPUS];
	struct oracle_counts n;
	char error[512];
};

/* ---- bookkeeping ---------------------------------------------------------- */

/*
 * Source @irq, which the caller may change: every such access goes
 * through here, so that oracle_init() resets only these (a fuzz input
 * reinitialises the oracle; the const readers index src[] directly).
 */
static inline __attribute__((always_inline)) struct source *
src_of(struct oracle *o, uint32_t irq)
{
	o->touched[irq / 64] |= 1ull << (irq % 64);
	return &o->src[irq];
}

static bool violation(struct oracle *o, uint64_t *counter, const char *fmt,
		      ...) __attribute__((format(printf, 3, 4)));

static bool violation(struct oracle *o, uint64_t *counter, const char *fmt,
		      ...)
{
	va_list ap;

	(*counter)++;
	if (!o->error[0]) {
		va_start(ap, fmt);
		vsnprintf(o->error, sizeof(o->error), fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool is_msi_event(const struct source *s)
{
	return s->claim == MSI || s->claim == IPI;
}

/* An event of @s leaves the ledger for @why. */
static void settle(struct source *s, uint64_t *why)
{
	if (!is_msi_event(s))
		return;
	if (s->owed)
		s->owed--;
	(*why)++;
}

static int cpu_of_server(const struct oracle *o, uint32_t server)
{
	unsigned c;

	for (c = 0; c < ORACLE_MAX_CPUS; c++)
		if (o->cpu[c].plugged && o->cpu[c].vcpu_id == server)
			return (int)c;
	return -1;
}

static void set_line(struct oracle *o, unsigned cpu, int level)
{
	o->cpu[cpu].line = level;
}

/* ---- XICS: the ICS and the ICPs --------------------------------------------- */

static uint8_t icp_cppr(const struct icp *icp)
{
	return (uint8_t)(icp->xirr >> CPPR_SHIFT);
}

static uint32_t icp_xisr(const struct icp *icp)
{
	return icp->xirr & XISR_MASK;
}

static bool ics_source(const struct oracle *o, uint32_t irq)
{
	return irq >= 0x1000 && irq < ORACLE_NR_IRQS &&
	       (o->src[irq].claim == MSI || o->src[irq].claim == LSI);
}

/* The ICP gives an event back to its source. */
static void ics_reject(struct oracle *o, uint32_t irq)
{
	struct source *s = src_of(o, irq);

	if (s->claim == MSI) {
		if (s->status & ST_REJECTED)
			settle(s, &o->n.coalesced);
		s->status |= ST_REJECTED;
	} else if (s->claim == LSI) {
		s->status &= (uint8_t)~ST_SENT;
	}
}

static void reject_presented(struct oracle *o, struct icp *icp)
{
	if (icp_xisr(icp) && icp->from_ics)
		ics_reject(o, icp_xisr(icp));
	icp->from_ics = false;
}

/* An interrupt (@irq, @prio) offered to the ICP of @server. */
static void icp_irq(struct oracle *o, uint32_t server, uint32_t irq,
		    uint8_t prio)
{
	int cpu = cpu_of_server(o, server);
	struct icp *icp;

	if (cpu < 0) {
		ics_reject(o, irq);
		return;
	}
	icp = &o->cpu[cpu].icp;
	if (prio >= icp_cppr(icp) ||
	    (icp_xisr(icp) && icp->pending_prio <= prio)) {
		ics_reject(o, irq);
		return;
	}
	reject_presented(o, icp);
	icp->xirr = (icp->xirr & ~XISR_MASK) | irq;
	icp->from_ics = true;
	icp->pending_prio = prio;
	set_line(o, (unsigned)cpu, 1);
}

static void ics_deliver(struct oracle *o, uint32_t irq)
{
	const struct source *s = src_of(o, irq);

	icp_irq(o, s->server, irq, s->prio);
}

static void ics_resend_lsi(struct oracle *o, uint32_t irq)
{
	struct source *s = src_of(o, irq);

	if (s->prio != 0xff && (s->status & ST_ASSERTED) &&
	    !(s->status & ST_SENT)) {
		s->status |= ST_SENT;
		ics_deliver(o, irq);
	}
}

static void ics_resend_msi(struct oracle *o, uint32_t irq)
{
	struct source *s = src_of(o, irq);

	if (!(s->status & ST_REJECTED))
		return;
	s->status &= (uint8_t)~ST_REJECTED;
	if (s->prio != 0xff)
		ics_deliver(o, irq);
	else
		settle(s, &o->n.dropped);	/* masked while waiting */
}

/* Every waiting source, in source order (as PAPR's resend scan). */
static void ics_resend(struct oracle *o)
{
	unsigned i;

	for (i = 0; i < o->nr_claimed; i++) {
		uint32_t irq = o->claimed[i];

		if (src_of(o, irq)->claim == LSI)
			ics_resend_lsi(o, irq);
		else if (src_of(o, irq)->claim == MSI)
			ics_resend_msi(o, irq);
	}
}

static void icp_check_ipi(struct oracle *o, unsigned cpu)
{
	struct icp *icp = &o->cpu[cpu].icp;

	if (icp_xisr(icp) && icp->pending_prio <= icp->mfrr)
		return;
	reject_presented(o, icp);
	icp->xirr = (icp->xirr & ~XISR_MASK) | XICS_IPI;
	icp->pending_prio = icp->mfrr;
	set_line(o, cpu, 1);
}

static void icp_resend(struct oracle *o, unsigned cpu)
{
	struct icp *icp = &o->cpu[cpu].icp;

	if (icp->mfrr < icp_cppr(icp))
		icp_check_ipi(o, cpu);
	ics_resend(o);
}

static void ics_set_irq(struct oracle *o, uint32_t irq, int level)
{
	struct source *s = src_of(o, irq);

	if (s->claim == LSI) {
		if (level)
			s->status |= ST_ASSERTED;
		else
			s->status &= (uint8_t)~ST_ASSERTED;
		ics_resend_lsi(o, irq);
		return;
	}
	if (!level)
		return;
	if (s->prio != 0xff) {
		ics_deliver(o, irq);
	} else {
		if (s->status & ST_MASKED_PENDING)
			settle(s, &o->n.coalesced);
		s->status |= ST_MASKED_PENDING;
	}
}

static void ics_write_xive(struct oracle *o, uint32_t irq, uint32_t server,
			   uint8_t prio, uint8_t saved_prio)
{
	struct source *s = src_of(o, irq);

	s->server = server;
	s->prio = prio;
	s->saved_prio = saved_prio;
	if (s->claim == LSI) {
		ics_resend_lsi(o, irq);
	} else if ((s->status & ST_MASKED_PENDING) && prio != 0xff) {
		s->status &= (uint8_t)~ST_MASKED_PENDING;
		ics_deliver(o, irq);
	}
}

static void icp_reset(struct oracle *o, unsigned cpu)
{
	struct icp *icp = &o->cpu[cpu].icp;

	if (icp_xisr(icp) && icp->from_ics)
		settle(src_of(o, icp_xisr(icp)), &o->n.discarded);
	*icp = (struct icp){ .pending_prio = 0xff, .mfrr = 0xff };
	set_line(o, cpu, 0);
}

static void ics_reset_source(struct oracle *o, struct source *s)
{
	if (s->status & ST_REJECTED)
		settle(s, &o->n.discarded);
	if (s->status & ST_MASKED_PENDING)
		settle(s, &o->n.discarded);
	s->server = 0;
	s->prio = s->saved_prio = 0xff;
	s->status = 0;
}

/* ---- XIVE: sources, router, thread contexts ------------------------------------ */

static uint8_t ipb_bit(uint8_t prio)
{
	return prio < ORACLE_NR_PRIOS ? (uint8_t)(1u << (7 - prio)) : 0;
}

static uint8_t pipr(const struct tctx *t)
{
	uint8_t p;

	for (p = 0; p < ORACLE_NR_PRIOS; p++)
		if (t->ipb & ipb_bit(p))
			return p;
	return 0xff;
}

static void tctx_notify(struct oracle *o, unsigned cpu)
{
	struct tctx *t = &o->cpu[cpu].tctx;

	if (pipr(t) < t->cppr) {
		t->nsr |= NSR_EO;
		set_line(o, cpu, 1);
	}
}

static void queue_discard(struct oracle *o, struct queue *q)
{
	while (q->count) {
		settle(src_of(o, q->irq[q->head]), &o->n.discarded);
		q->head = (q->head + 1) % ORACLE_QUEUE_MAX;
		q->count--;
	}
	q->head = 0;
}

/* The router: a forwarded event of @irq to its END's queue. */
static void xive_forward(struct oracle *o, uint32_t irq)
{
	struct source *s = src_of(o, irq);
	struct vcpu *v;
	struct queue *q;

	if (!s->eas_valid || s->eas_masked) {
		settle(s, &o->n.dropped);
		return;
	}
	v = &o->cpu[s->eas_cpu];
	q = &v->q[s->eas_prio];
	if (!v->plugged || !q->valid) {
		settle(s, &o->n.dropped);
		return;
	}
	if (q->count == ORACLE_QUEUE_MAX) {
		violation(o, &o->n.mismatch,
			  "the driver let queue %u/%u overflow", s->eas_cpu,
			  s->eas_prio);
		return;
	}
	q->fifo[(q->head + q->count) % ORACLE_QUEUE_MAX] = s->eisn & 0x7fffffff;
	q->irq[(q->head + q->count) % ORACLE_QUEUE_MAX] = irq;
	q->count++;
	v->tctx.ipb |= ipb_bit(s->eas_prio);
	tctx_notify(o, s->eas_cpu);
}

/* An LSI line high: it fires only from RESET (PQ 00). */
static bool xive_lsi_trigger(struct source *s)
{
	s->asserted = true;
	if (s->pq != PQ_RESET)
		return false;
	s->pq = PQ_PENDING;
	return true;
}

/* An MSI edge or a trigger store, through the PQ state machine. */
static void xive_edge(struct oracle *o, uint32_t irq)
{
	struct source *s = src_of(o, irq);

	if (is_msi_event(s)) {
		o->n.raised++;
		s->owed++;
	}
	switch (s->pq) {
	case PQ_RESET:
		s->pq = PQ_PENDING;
		xive_forward(o, irq);
		break;
	case PQ_PENDING:
		s->pq = PQ_QUEUED;		/* held in Q */
		break;
	case PQ_QUEUED:
		settle(s, &o->n.coalesced);
		break;
	default:
		settle(s, &o->n.dropped);	/* OFF */
		break;
	}
}

static void xive_set_irq(struct oracle *o, uint32_t irq, int level)
{
	struct source *s = src_of(o, irq);

	if (s->claim == LSI) {
		if (!level)
			s->asserted = false;
		else if (xive_lsi_trigger(s))
			xive_forward(o, irq);
		return;
	}
	if (level)
		xive_edge(o, irq);
}

/* EOI: returns whether an event was forwarded. */
static bool xive_eoi(struct oracle *o, uint32_t irq)
{
	struct source *s = src_of(o, irq);
	bool forward = false;

	if (s->pq == PQ_PENDING) {
		s->pq = PQ_RESET;
	} else if (s->pq == PQ_QUEUED) {
		s->pq = PQ_PENDING;
		forward = true;
	}
	if (s->claim == LSI && s->asserted)
		forward = xive_lsi_trigger(s);
	if (forward)
		xive_forward(o, irq);
	return forward;
}

/* SET_PQ_xx: an event held in Q and cleared by the guest is dropped. */
static uint8_t xive_set_pq(struct oracle *o, uint32_t irq, uint8_t pq)
{
	struct source *s = src_of(o, irq);
	uint8_t old = s->pq;

	if (old == PQ_QUEUED && pq != PQ_QUEUED)
		settle(s, &o->n.dropped);
	if (old != PQ_QUEUED && pq == PQ_QUEUED && is_msi_event(s))
		s->owed++, o->n.raised++;	/* the guest made one up */
	s->pq = pq;
	return old;
}

static void tctx_reset(struct oracle *o, unsigned cpu)
{
	o->cpu[cpu].tctx = (struct tctx){ 0 };
	set_line(o, cpu, 0);
}

static void xive_reset_source(struct oracle *o, struct source *s)
{
	if (s->pq == PQ_QUEUED)
		settle(s, &o->n.discarded);
	s->pq = PQ_OFF;
	s->asserted = false;
	s->eas_masked = true;
	s->eas_cpu = 0;
	s->eas_prio = 0;
	s->eisn = 0;
}

/* ---- the machine ---------------------------------------------------------------- */

/* An empty queue (its entries past the count are never read). */
static void queue_clear(struct queue *q)
{
	q->valid = false;
	q->head = q->count = 0;
	q->fifo[0] = q->irq[0] = 0;
}

static const struct source reset_source = {
	.prio = 0xff, .saved_prio = 0xff, .pq = PQ_OFF, .eas_masked = true,
};

/*
 * Every source unclaimed and masked: the first time all of them, by
 * doubling copies; then only those src_of() handed out since (a fuzz
 * input reinitialises the oracle: a few sources, not 8192).
 */
static void sources_reset(struct oracle *o)
{
	size_t done = 1, w;
	uint32_t irq;

	if (o->sources_ready) {
		for (w = 0; w < ORACLE_NR_IRQS / 64; w++)
			for (; o->touched[w]; o->touched[w] &= o->touched[w] - 1) {
				irq = (uint32_t)(w * 64 +
					(size_t)__builtin_ctzll(o->touched[w]));
				o->src[irq] = reset_source;
			}
		return;
	}
	o->src[0] = reset_source;
	while (done < ORACLE_NR_IRQS) {
		size_t n = done < ORACLE_NR_IRQS - done ? done :
			   ORACLE_NR_IRQS - done;

		memcpy(&o->src[done], o->src, n * sizeof(o->src[0]));
		done += n;
	}
	memset(o->touched, 0, sizeof(o->touched));
	o->sources_ready = true;
}

void oracle_init(struct oracle *o, bool has_xics, bool has_xive,
		 enum oracle_intc default_intc)
{
	unsigned c, p;

	o->has_xics = has_xics;
	o->has_xive = has_xive;
	o->default_intc = default_intc;
	o->active = default_intc;
	o->active_set = true;
	sources_reset(o);
	o->nr_claimed = 0;
	for (c = 0; c < ORACLE_MAX_CPUS; c++) {
		struct vcpu *v = &o->cpu[c];

		memset(v, 0, offsetof(struct vcpu, q));
		for (p = 0; p < ORACLE_NR_PRIOS; p++)
			queue_clear(&v->q[p]);
	}
	memset(&o->n, 0, sizeof(o->n));
	o->error[0] = '\0';
}

struct oracle *oracle_new(bool has_xics, bool has_xive,
			  enum oracle_intc default_intc)
{
	struct oracle *o = calloc(1, sizeof(*o));

	if (o)
		oracle_init(o, has_xics, has_xive, default_intc);
	return o;
}

void oracle_free(struct oracle *o)
{
	free(o);
}

const char *oracle_error(const struct oracle *o)
{
	return o->error;
}

const struct oracle_counts *oracle_counts(const struct oracle *o)
{
	return &o->n;
}

enum oracle_intc oracle_active(const struct oracle *o)
{
	return o->active;
}

bool oracle_plugged(const struct oracle *o, unsigned cpu)
{
	return cpu < ORACLE_MAX_CPUS && o->cpu[cpu].plugged;
}

void oracle_plug(struct oracle *o, unsigned cpu, uint32_t vcpu_id)
{
	struct vcpu *v = &o->cpu[cpu];
	unsigned p;

	v->plugged = true;
	v->vcpu_id = vcpu_id;
	icp_reset(o, cpu);
	tctx_reset(o, cpu);
	for (p = 0; p < ORACLE_NR_PRIOS; p++)
		queue_clear(&v->q[p]);
}

void oracle_unplug(struct oracle *o, unsigned cpu)
{
	struct vcpu *v = &o->cpu[cpu];
	unsigned i, p;

	if (o->has_xics) {
		/* what its ICP presents goes back to the source */
		reject_presented(o, &v->icp);
		for (i = 0; i < o->nr_claimed; i++) {
			struct source *s = src_of(o, o->claimed[i]);

			if (s->claim == IPI || s->server != v->vcpu_id)
				continue;
			if (s->prio != 0xff)
				ics_write_xive(o, o->claimed[i], s->server, 0xff,
					       s->prio);
			if (s->status & ST_REJECTED) {
				s->status &= (uint8_t)~ST_REJECTED;
				if (s->status & ST_MASKED_PENDING)
					settle(s, &o->n.coalesced);
				s->status |= ST_MASKED_PENDING;
			}
		}
	}
	if (o->has_xive) {
		for (i = 0; i < o->nr_claimed; i++) {
			struct source *s = src_of(o, o->claimed[i]);

			if (s->eas_valid && s->eas_cpu == cpu)
				s->eas_masked = true;
		}
		for (p = 0; p < ORACLE_NR_PRIOS; p++) {
			queue_discard(o, &v->q[p]);
			v->q[p].valid = false;
		}
	}
	set_line(o, cpu, 0);
	v->plugged = false;
}

void oracle_claim(struct oracle *o, uint32_t irq, bool lsi)
{
	struct source *s = src_of(o, irq);
	unsigned i;

	if (s->claim != FREE)
		return;
	s->claim = irq < 0x1000 ? IPI : lsi ? LSI : MSI;
	s->level = false;
	s->owed = 0;
	s->eas_valid = true;
	s->eas_masked = true;
	/* keep the list sorted: resends go in source order */
	for (i = o->nr_claimed; i > 0 && o->claimed[i - 1] > irq; i--)
		o->claimed[i] = o->claimed[i - 1];
	o->claimed[i] = irq;
	o->nr_claimed++;
}

void oracle_free_irq(struct oracle *o, uint32_t irq)
{
	struct source *s = src_of(o, irq);
	unsigned i;

	for (i = 0; i < o->nr_claimed; i++)
		if (o->claimed[i] == irq)
			break;
	if (i == o->nr_claimed)
		return;
	memmove(&o->claimed[i], &o->claimed[i + 1],
		(o->nr_claimed - i - 1) * sizeof(o->claimed[0]));
	o->nr_claimed--;
	/* QEMU clears the XICS source; XIVE keeps PQ and routing, not VALID */
	while (s->owed)
		settle(s, &o->n.discarded);
	s->claim = FREE;
	s->server = 0;
	s->prio = s->saved_prio = 0;
	s->status = 0;
	s->eas_valid = false;
}

/* Give the active controller the true LSI levels and the held edges. */
static void replay(struct oracle *o)
{
	unsigned i;

	for (i = 0; i < o->nr_claimed; i++) {
		uint32_t irq = o->claimed[i];
		struct source *s = src_of(o, irq);

		if (s->claim == LSI) {
			oracle_line(o, irq, s->level);
		} else if (s->held) {
			s->held = false;
			oracle_line(o, irq, 1);
		}
	}
}

void oracle_reset_begin(struct oracle *o)
{
	unsigned i;

	o->active_set = false;
	for (i = 0; i < o->nr_claimed; i++) {
		src_of(o, o->claimed[i])->level = false;	/* devices reset */
		src_of(o, o->claimed[i])->held = false;
	}
}

void oracle_reset_end(struct oracle *o)
{
	unsigned i, c, p;

	for (i = 0; i < o->nr_claimed; i++) {
		struct source *s = src_of(o, o->claimed[i]);

		if (o->has_xics && s->claim != IPI)
			ics_reset_source(o, s);
		if (o->has_xive)
			xive_reset_source(o, s);
	}
	for (c = 0; c < ORACLE_MAX_CPUS; c++) {
		if (!o->cpu[c].plugged)
			continue;
		for (p = 0; p < ORACLE_NR_PRIOS; p++) {
			queue_discard(o, &o->cpu[c].q[p]);
			o->cpu[c].q[p].valid = false;
		}
		if (o->has_xics)
			icp_reset(o, c);
		if (o->has_xive)
			tctx_reset(o, c);
	}
	o->active = o->default_intc;
	o->active_set = true;
	replay(o);
}

void oracle_cas(struct oracle *o, enum oracle_intc intc)
{
	if (intc == o->active)
		return;
	o->active = intc;
	replay(o);
}

void oracle_restored(struct oracle *o)
{
	unsigned c;

	/* the lines follow the restored presenters */
	for (c = 0; c < ORACLE_MAX_CPUS; c++) {
		struct vcpu *v = &o->cpu[c];

		if (!v->plugged)
			v->line = 0;
		else if (o->active == ORACLE_XICS)
			v->line = icp_xisr(&v->icp) != 0;
		else
			v->line = !!(v->tctx.nsr & NSR_EO);
	}
}

void oracle_line(struct oracle *o, uint32_t irq, int level)
{
	struct source *s = src_of(o, irq);

	if (s->claim == LSI)
		s->level = level != 0;
	if (!o->active_set) {
		if (s->claim != LSI && level) {
			if (s->held)
				o->n.raised++, o->n.coalesced++;
			s->held = true;
		}
		return;
	}
	if (o->active == ORACLE_XIVE) {
		xive_set_irq(o, irq, level);
		return;
	}
	if (s->claim == MSI && level) {
		o->n.raised++;
		s->owed++;
	}
	ics_set_irq(o, irq, level);
}

/* ---- XICS guest ---------------------------------------------------------------- */

void oracle_xics_set_xive(struct oracle *o, uint32_t irq, unsigned cpu,
			  uint8_t prio)
{
	ics_write_xive(o, irq, o->cpu[cpu].vcpu_id, prio, prio);
}

void oracle_xics_int_off(struct oracle *o, uint32_t irq)
{
	const struct source *s = src_of(o, irq);

	ics_write_xive(o, irq, s->server, 0xff, s->prio);
}

void oracle_xics_int_on(struct oracle *o, uint32_t irq)
{
	const struct source *s = src_of(o, irq);

	ics_write_xive(o, irq, s->server, s->saved_prio, s->saved_prio);
}

void oracle_xics_cppr(struct oracle *o, unsigned cpu, uint8_t cppr)
{
	struct icp *icp = &o->cpu[cpu].icp;
	uint8_t old = icp_cppr(icp);

	icp->xirr = (icp->xirr & XISR_MASK) | (uint32_t)cppr << CPPR_SHIFT;
	if (cppr < old) {
		/* more favoured: what the new CPPR masks is withdrawn */
		if (icp_xisr(icp) && cppr <= icp->pending_prio) {
			uint32_t xisr = icp_xisr(icp);
			bool from_ics = icp->from_ics;

			icp->xirr &= ~XISR_MASK;
			icp->pending_prio = 0xff;
			icp->from_ics = false;
			set_line(o, cpu, 0);
			if (from_ics)
				ics_reject(o, xisr);
		}
	} else if (!icp_xisr(icp)) {
		icp_resend(o, cpu);
	}
}

void oracle_xics_ipi(struct oracle *o, unsigned cpu, uint8_t mfrr)
{
	struct icp *icp = &o->cpu[cpu].icp;

	icp->mfrr = mfrr;
	if (mfrr < icp_cppr(icp))
		icp_check_ipi(o, cpu);
}

uint32_t oracle_xics_peek(const struct oracle *o, unsigned cpu)
{
	return o->cpu[cpu].icp.xirr;
}

/* Where the model keeps an event of @irq other than @cpu's XISR, or -1. */
static int xics_elsewhere(const struct oracle *o, uint32_t irq, unsigned cpu)
{
	const struct source *s = &o->src[irq];
	unsigned c;

	for (c = 0; c < ORACLE_MAX_CPUS; c++)
		if (c != cpu && o->cpu[c].plugged &&
		    icp_xisr(&o->cpu[c].icp) == irq && o->cpu[c].icp.from_ics)
			return (int)c;
	if (s->status & (ST_REJECTED | ST_MASKED_PENDING) ||
	    (s->claim == LSI && (s->status & ST_ASSERTED)))
		return cpu_of_server(o, s->server);
	return -1;
}

static bool xics_wrong_xirr(struct oracle *o, unsigned cpu, uint32_t got,
			    uint32_t want)
{
	uint32_t got_irq = got & XISR_MASK, want_irq = want & XISR_MASK;
	uint8_t cppr = icp_cppr(&o->cpu[cpu].icp);

	if (got_irq && ics_source(o, got_irq)) {
		const struct source *s = src_of(o, got_irq);
		int where = xics_elsewhere(o, got_irq, cpu);

		if (s->prio >= cppr && want_irq != got_irq)
			return violation(o, &o->n.masked,
				"cpu %u: H_XIRR 0x%08x delivers IRQ 0x%x at priority 0x%x, CPPR 0x%x masks it (expected 0x%08x)",
				cpu, got, got_irq, s->prio, cppr, want);
		if (where >= 0 && (unsigned)where != cpu)
			return violation(o, &o->n.misrouted,
				"cpu %u: H_XIRR 0x%08x delivers IRQ 0x%x, routed to cpu %d (expected 0x%08x)",
				cpu, got, got_irq, where, want);
		if (s->claim == MSI && !s->owed)
			return violation(o, &o->n.duplicated,
				"cpu %u: H_XIRR 0x%08x delivers IRQ 0x%x, which has no event left (expected 0x%08x)",
				cpu, got, got_irq, want);
	}
	if (want_irq && got_irq != want_irq)
		return violation(o, &o->n.lost,
			"cpu %u: H_XIRR 0x%08x, expected 0x%08x: IRQ 0x%x lost",
			cpu, got, want, want_irq);
	return violation(o, &o->n.mismatch,
			 "cpu %u: H_XIRR 0x%08x, expected 0x%08x", cpu, got,
			 want);
}

bool oracle_xics_xirr(struct oracle *o, unsigned cpu, uint32_t xirr)
{
	struct icp *icp = &o->cpu[cpu].icp;
	uint32_t want = icp->xirr, irq = icp_xisr(icp);

	if (xirr != want)
		return xics_wrong_xirr(o, cpu, xirr, want);
	/* acceptance: CPPR takes the pending priority, the XISR is taken */
	set_line(o, cpu, 0);
	if (irq && icp->from_ics) {
		if (src_of(o, irq)->claim == LSI)
			o->n.lsi_presented++;
		else
			settle(src_of(o, irq), &o->n.delivered);
	}
	icp->xirr = (uint32_t)icp->pending_prio << CPPR_SHIFT;
	icp->pending_prio = 0xff;
	icp->from_ics = false;
	return true;
}

void oracle_xics_eoi(struct oracle *o, unsigned cpu, uint32_t xirr)
{
	struct icp *icp = &o->cpu[cpu].icp;
	uint32_t irq = xirr & XISR_MASK;

	icp->xirr = (icp->xirr & XISR_MASK) | (xirr & ~XISR_MASK);
	if (ics_source(o, irq) && src_of(o, irq)->claim == LSI)
		src_of(o, irq)->status &= (uint8_t)~ST_SENT;
	if (!icp_xisr(icp))
		icp_resend(o, cpu);
}

/* ---- XIVE guest ---------------------------------------------------------------- */

void oracle_xive_route(struct oracle *o, uint32_t irq, unsigned cpu,
		       uint8_t prio, uint32_t eisn)
{
	struct source *s = src_of(o, irq);

	s->eas_masked = false;
	s->eas_cpu = cpu;
	s->eas_prio = prio;
	s->eisn = eisn;
}

void oracle_xive_mask(struct oracle *o, uint32_t irq)
{
	src_of(o, irq)->eas_masked = true;
}

void oracle_xive_queue(struct oracle *o, unsigned cpu, uint8_t prio,
		       bool enabled)
{
	struct queue *q = &o->cpu[cpu].q[prio];

	queue_discard(o, q);
	q->valid = enabled;
}

void oracle_xive_trigger(struct oracle *o, uint32_t irq)
{
	xive_edge(o, irq);
}

bool oracle_xive_esb_load(struct oracle *o, uint32_t irq, uint32_t op,
			  uint64_t value)
{
	uint64_t want;

	switch (op & 0xf00) {
	case 0x000: case 0x100: case 0x200: case 0x300:
	case 0x400: case 0x500: case 0x600: case 0x700:
		want = xive_eoi(o, irq);
		break;
	case 0x800: case 0x900: case 0xa00: case 0xb00:
		want = src_of(o, irq)->pq;
		break;
	default:
		want = xive_set_pq(o, irq, (uint8_t)((op >> 8) & 0x3));
		break;
	}
	if (value == want)
		return true;
	return violation(o, &o->n.mismatch,
			 "IRQ 0x%x: ESB load at 0x%x returned 0x%llx, expected 0x%llx",
			 irq, op, (unsigned long long)value,
			 (unsigned long long)want);
}

void oracle_xive_cppr(struct oracle *o, unsigned cpu, uint8_t cppr)
{
	o->cpu[cpu].tctx.cppr = cppr > 7 ? 0xff : cppr;
	tctx_notify(o, cpu);
}

bool oracle_xive_ack(struct oracle *o, unsigned cpu, uint16_t value)
{
	struct tctx *t = &o->cpu[cpu].tctx;
	uint8_t nsr = t->nsr;
	uint16_t want;

	set_line(o, cpu, 0);
	if (nsr & NSR_EO) {
		t->cppr = pipr(t);
		t->ipb &= (uint8_t)~ipb_bit(t->cppr);
		t->nsr &= (uint8_t)~NSR_EO;
	}
	want = (uint16_t)(nsr << 8 | t->cppr);
	if (value == want)
		return true;
	if ((value >> 8) & NSR_EO && !(nsr & NSR_EO))
		return violation(o, &o->n.masked,
			"cpu %u: TIMA ACK 0x%04x presents priority %u, nothing is pending below CPPR (expected 0x%04x)",
			cpu, value, value & 0xff, want);
	return violation(o, &o->n.mismatch,
			 "cpu %u: TIMA ACK 0x%04x, expected 0x%04x", cpu, value,
			 want);
}

unsigned oracle_xive_backlog(const struct oracle *o, unsigned cpu,
			     uint8_t prio)
{
	return o->cpu[cpu].q[prio].count;
}

/* Which queue holds an unread event with @data, other than (cpu, prio). */
static bool find_event(const struct oracle *o, uint32_t data, unsigned *cpu,
		       unsigned *prio)
{
	unsigned c, p, i;

	for (c = 0; c < ORACLE_MAX_CPUS; c++)
		for (p = 0; p < ORACLE_NR_PRIOS; p++) {
			const struct queue *q = &o->cpu[c].q[p];

			if (c == *cpu && p == *prio)
				continue;
			for (i = 0; i < q->count; i++)
				if (q->fifo[(q->head + i) % ORACLE_QUEUE_MAX] == data) {
					*cpu = c;
					*prio = p;
					return true;
				}
		}
	return false;
}

static bool xive_wrong_entry(struct oracle *o, unsigned cpu, uint8_t prio,
			     uint32_t data)
{
	const struct queue *q = &o->cpu[cpu].q[prio];
	unsigned oc = cpu, op = prio, i;

	for (i = 1; i < q->count; i++)
		if (q->fifo[(q->head + i) % ORACLE_QUEUE_MAX] == data)
			return violation(o, &o->n.lost,
				"cpu %u prio %u: queue entry 0x%x, but 0x%x was raised before it and is missing",
				cpu, prio, data, q->fifo[q->head]);
	if (find_event(o, data, &oc, &op))
		return violation(o, &o->n.misrouted,
			"cpu %u prio %u: queue entry 0x%x belongs to cpu %u prio %u",
			cpu, prio, data, oc, op);
	if (q->count)
		return violation(o, &o->n.duplicated,
			"cpu %u prio %u: queue entry 0x%x was not raised again (expected 0x%x)",
			cpu, prio, data, q->fifo[q->head]);
	return violation(o, &o->n.duplicated,
			 "cpu %u prio %u: queue entry 0x%x, nothing was raised for this queue",
			 cpu, prio, data);
}

bool oracle_xive_entry(struct oracle *o, unsigned cpu, uint8_t prio,
		       uint32_t data)
{
	struct queue *q = &o->cpu[cpu].q[prio];
	struct source *s;

	if (!q->count || q->fifo[q->head] != data)
		return xive_wrong_entry(o, cpu, prio, data);
	s = src_of(o, q->irq[q->head]);
	if (s->claim == LSI)
		o->n.lsi_presented++;
	else
		settle(s, &o->n.delivered);
	q->head = (q->head + 1) % ORACLE_QUEUE_MAX;
	q->count--;
	return true;
}

/* ---- checks ---------------------------------------------------------------------- */

bool oracle_check_lines(struct oracle *o, const int *line)
{
	unsigned c;

	for (c = 0; c < ORACLE_MAX_CPUS; c++) {
		if (!o->cpu[c].plugged || !line[c] == !o->cpu[c].line)
			continue;
		if (line[c])
			return violation(o, &o->n.mismatch,
				"cpu %u: interrupt line raised with nothing to present",
				c);
		return violation(o, &o->n.lost,
				 "cpu %u: interrupt line low with an interrupt to present",
				 c);
	}
	return true;
}

uint64_t oracle_pending(const struct oracle *o)
{
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < o->nr_claimed; i++)
		n += o->src[o->claimed[i]].owed;
	return n;
}

static bool xics_drained(struct oracle *o)
{
	unsigned c, i;

	for (c = 0; c < ORACLE_MAX_CPUS; c++)
		if (o->cpu[c].plugged && icp_xisr(&o->cpu[c].icp))
			return violation(o, &o->n.lost,
				"cpu %u: XISR 0x%x never taken", c,
				icp_xisr(&o->cpu[c].icp));
	for (i = 0; i < o->nr_claimed; i++) {
		const struct source *s = src_of(o, o->claimed[i]);

		if ((s->status & ST_REJECTED) && s->prio != 0xff)
			return violation(o, &o->n.lost,
				"IRQ 0x%x: rejected and never resent",
				o->claimed[i]);
	}
	return true;
}

static bool xive_drained(struct oracle *o)
{
	unsigned c, p;

	for (c = 0; c < ORACLE_MAX_CPUS; c++)
		for (p = 0; p < ORACLE_NR_PRIOS; p++) {
			const struct queue *q = &o->cpu[c].q[p];

			if (o->cpu[c].plugged && q->count)
				return violation(o, &o->n.lost,
					"cpu %u prio %u: %u events never appeared in the queue (first 0x%x)",
					c, p, q->count, q->fifo[q->head]);
		}
	return true;
}

bool oracle_check_drained(struct oracle *o)
{
	if (o->active == ORACLE_XICS)
		return xics_drained(o);
	return xive_drained(o);
}
