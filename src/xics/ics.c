// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * XICS interrupt source controller (ICS).
 *
 *   event                 MSI                          LSI
 *   set_irq(1)            masked: MASKED_PENDING       ASSERTED, then
 *                         else deliver                 resend-LSI
 *   set_irq(0)            ignored                      clear ASSERTED,
 *                                                      resend-LSI
 *   write_xive            MASKED_PENDING and now       resend-LSI
 *                         unmasked: deliver
 *   reject (by the ICP)   REJECTED                     clear SENT
 *   resend                REJECTED: clear it and,      resend-LSI
 *                         unless masked, deliver
 *   EOI                   nothing                      clear SENT
 *
 *   resend-LSI: unmasked, ASSERTED and not SENT -> SENT, deliver
 */
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/bitmap.h"
#include "common/printer.h"
#include "xics/xics-internal.h"

static const struct ics_irq reset_irq = {
	.priority = 0xff,
	.saved_priority = 0xff,
};

/*
 * Every entry in reset state (none live), by doubling copies: a new
 * machine costs a few copies, not a step per source.
 */
static void fill_reset(struct ics *ics)
{
	uint32_t done = 1;

	ics->irqs[0] = reset_irq;
	while (done < ics->nr_irqs) {
		uint32_t n = done < ics->nr_irqs - done ? done :
			     ics->nr_irqs - done;

		memcpy(&ics->irqs[done], ics->irqs, n * sizeof(*ics->irqs));
		done += n;
	}
}

struct ics *ics_create(uint32_t nr_irqs, size_t *footprint)
{
	struct ics *ics = spirq__calloc(footprint, 1, sizeof(*ics));

	if (!ics)
		return NULL;
	ics->offset = SPIRQ_XIRQ_BASE;
	ics->nr_irqs = nr_irqs;
	ics->irqs = spirq__calloc(footprint, nr_irqs, sizeof(*ics->irqs));
	ics->resend = spirq__calloc(footprint, BITS_TO_WORDS(nr_irqs),
				    sizeof(uint64_t));
	ics->live = spirq__calloc(footprint, BITS_TO_WORDS(nr_irqs),
				  sizeof(uint64_t));
	if (!ics->irqs || !ics->resend || !ics->live) {
		ics_destroy(ics, footprint);
		return NULL;
	}
	fill_reset(ics);
	return ics;
}

void ics_destroy(struct ics *ics, size_t *footprint)
{
	if (!ics)
		return;
	spirq__free(footprint, ics->irqs, ics->nr_irqs, sizeof(*ics->irqs));
	spirq__free(footprint, ics->resend, BITS_TO_WORDS(ics->nr_irqs),
		    sizeof(uint64_t));
	spirq__free(footprint, ics->live, BITS_TO_WORDS(ics->nr_irqs),
		    sizeof(uint64_t));
	spirq__free(footprint, ics, 1, sizeof(*ics));
}

static bool is_lsi(const struct ics_irq *irq)
{
	return irq->flags & XICS_FLAGS_IRQ_LSI;
}

/*
 * Keep the resend set in step with a source's status: it holds exactly the
 * sources on which QEMU's resend scan would act (an unclaimed source counts
 * as an MSI there).
 */
static void update_resend(struct ics *ics, uint32_t srcno)
{
	const struct ics_irq *irq = &ics->irqs[srcno];
	unsigned word = srcno / 64;
	bool waiting;

	if (is_lsi(irq))
		waiting = (irq->status & XICS_STATUS_ASSERTED) &&
			  !(irq->status & XICS_STATUS_SENT);
	else
		waiting = irq->status & XICS_STATUS_REJECTED;

	bitmap_set(ics->live, srcno);
	if (waiting)
		bitmap_set(ics->resend, srcno);
	else
		bitmap_clear(ics->resend, srcno);
	/* the vCPUs' lock-free paths peek at the summary word */
	if (ics->resend[word])
		__atomic_store_n(&ics->resend_words,
				 ics->resend_words | 1ull << word,
				 __ATOMIC_RELAXED);
	else
		__atomic_store_n(&ics->resend_words,
				 ics->resend_words & ~(1ull << word),
				 __ATOMIC_RELAXED);
}

static void set_status(struct ics *ics, uint32_t srcno, uint8_t set,
		       uint8_t clear)
{
	ics->irqs[srcno].status = (ics->irqs[srcno].status & ~clear) | set;
	update_resend(ics, srcno);
}

void ics_reset(struct ics *ics)
{
	uint32_t i;

	/* claims (flags) survive a reset; server 0, masked, no status */
	bitmap_for_each_set(i, ics->live, ics->nr_irqs) {
		uint8_t flags = ics->irqs[i].flags;

		ics->irqs[i] = reset_irq;
		ics->irqs[i].flags = flags;
		if (!flags)
			bitmap_clear(ics->live, i);
	}
	memset(ics->resend, 0, BITS_TO_WORDS(ics->nr_irqs) * sizeof(uint64_t));
	__atomic_store_n(&ics->resend_words, 0, __ATOMIC_RELAXED);
}

bool ics_valid_irq(const struct ics *ics, uint64_t irq)
{
	return irq >= ics->offset && irq < (uint64_t)ics->offset + ics->nr_irqs;
}

void ics_claim(struct ics *ics, uint32_t irq, bool lsi)
{
	ics->irqs[irq - ics->offset].flags |=
		lsi ? XICS_FLAGS_IRQ_LSI : XICS_FLAGS_IRQ_MSI;
	update_resend(ics, irq - ics->offset);
}

/* QEMU clears the whole source state: a later claim finds priority 0. */
void ics_free(struct ics *ics, uint32_t irq)
{
	uint32_t srcno = irq - ics->offset;

	memset(&ics->irqs[srcno], 0, sizeof(ics->irqs[srcno]));
	update_resend(ics, srcno);
}

static void deliver(spirq_machine *m, uint32_t srcno)
{
	const struct ics_irq *irq = &m->ics->irqs[srcno];

	icp_irq(m, irq->server, srcno + m->ics->offset, irq->priority);
}

static void resend_lsi(spirq_machine *m, uint32_t srcno)
{
	struct ics_irq *irq = &m->ics->irqs[srcno];

	if (irq->priority != 0xff && (irq->status & XICS_STATUS_ASSERTED) &&
	    !(irq->status & XICS_STATUS_SENT)) {
		set_status(m->ics, srcno, XICS_STATUS_SENT, 0);
		deliver(m, srcno);
	}
}

static void resend_msi(spirq_machine *m, uint32_t srcno)
{
	struct ics_irq *irq = &m->ics->irqs[srcno];

	if (irq->status & XICS_STATUS_REJECTED) {
		set_status(m->ics, srcno, 0, XICS_STATUS_REJECTED);
		if (irq->priority != 0xff)
			deliver(m, srcno);
	}
}

static void set_irq_msi(spirq_machine *m, uint32_t srcno, int level)
{
	if (!level)
		return;
	if (m->ics->irqs[srcno].priority == 0xff)
		set_status(m->ics, srcno, XICS_STATUS_MASKED_PENDING, 0);
	else
		deliver(m, srcno);
}

static void set_irq_lsi(spirq_machine *m, uint32_t srcno, int level)
{
	if (level)
		set_status(m->ics, srcno, XICS_STATUS_ASSERTED, 0);
	else
		set_status(m->ics, srcno, 0, XICS_STATUS_ASSERTED);
	resend_lsi(m, srcno);
}

void ics_set_irq(spirq_machine *m, uint32_t srcno, int level)
{
	if (is_lsi(&m->ics->irqs[srcno]))
		set_irq_lsi(m, srcno, level);
	else
		set_irq_msi(m, srcno, level);
}

void ics_write_xive(spirq_machine *m, uint32_t srcno, uint32_t server,
		    uint8_t priority, uint8_t saved_priority)
{
	struct ics_irq *irq = &m->ics->irqs[srcno];

	irq->server = server;
	irq->priority = priority;
	irq->saved_priority = saved_priority;
	bitmap_set(m->ics->live, srcno);

	if (is_lsi(irq)) {
		resend_lsi(m, srcno);
		return;
	}
	if ((irq->status & XICS_STATUS_MASKED_PENDING) && priority != 0xff) {
		set_status(m->ics, srcno, 0, XICS_STATUS_MASKED_PENDING);
		deliver(m, srcno);
	}
}

/*
 * A source aimed at a vCPU being unplugged: masked (ibm,int-on restores
 * its priority), and a rejected MSI kept as masked-pending, not lost.
 */
void ics_mask_source(spirq_machine *m, uint32_t srcno)
{
	struct ics_irq *irq = &m->ics->irqs[srcno];
	uint8_t pending = irq->status & XICS_STATUS_REJECTED ?
		XICS_STATUS_MASKED_PENDING : 0;

	if (irq->priority != 0xff)
		ics_write_xive(m, srcno, irq->server, 0xff, irq->priority);
	set_status(m->ics, srcno, pending, XICS_STATUS_REJECTED);
}

void ics_reject(struct ics *ics, uint32_t irq)
{
	uint32_t srcno = irq - ics->offset;
	uint8_t flags = ics->irqs[srcno].flags;

	if (flags & XICS_FLAGS_IRQ_MSI)
		set_status(ics, srcno, XICS_STATUS_REJECTED, 0);
	else if (flags & XICS_FLAGS_IRQ_LSI)
		set_status(ics, srcno, 0, XICS_STATUS_SENT);
}

void ics_eoi(struct ics *ics, uint32_t irq)
{
	uint32_t srcno = irq - ics->offset;

	if (is_lsi(&ics->irqs[srcno]))
		set_status(ics, srcno, 0, XICS_STATUS_SENT);
}

/* Lowest waiting source at or after @from, or -1. */
static int64_t next_waiting(const struct ics *ics, uint32_t from)
{
	unsigned word = from / 64;
	uint64_t bits;

	if (from >= ics->nr_irqs)
		return -1;
	bits = ics->resend[word] & (~0ull << (from % 64));
	if (bits)
		return (int64_t)word * 64 + __builtin_ctzll(bits);
	word++;
	bits = word < 64 ? ics->resend_words & (~0ull << word) : 0;
	if (!bits)
		return -1;
	word = (unsigned)__builtin_ctzll(bits);
	return (int64_t)word * 64 + __builtin_ctzll(ics->resend[word]);
}

void ics_resend(spirq_machine *m)
{
	struct ics *ics = m->ics;
	int64_t srcno = next_waiting(ics, 0);

	while (srcno >= 0) {
		if (is_lsi(&ics->irqs[srcno]))
			resend_lsi(m, (uint32_t)srcno);
		else
			resend_msi(m, (uint32_t)srcno);
		srcno = next_waiting(ics, (uint32_t)srcno + 1);
	}
}

void ics_print_info(const struct ics *ics, struct spirq_printer *p)
{
	uint32_t i;

	/*
	 * QEMU prints the address of its ICS object here; spirq prints a
	 * stable token so that outputs compare byte for byte across runs.
	 */
	pr_line(p, "ICS %4x..%4x " ICS_TOKEN, ics->offset,
		ics->offset + ics->nr_irqs - 1);
	/* claimed sources are live */
	bitmap_for_each_set(i, ics->live, ics->nr_irqs) {
		const struct ics_irq *irq = &ics->irqs[i];

		if (!(irq->flags & XICS_FLAGS_IRQ_MASK))
			continue;
		pr_line(p, "  %4x %s %02x %02x", ics->offset + i,
			is_lsi(irq) ? "LSI" : "MSI", irq->priority,
			irq->status);
	}
}

/* Load a source's state from a migration stream (flags come from claims). */
void ics_load_source(struct ics *ics, uint32_t srcno, uint32_t server,
		     uint8_t priority, uint8_t saved_priority, uint8_t status)
{
	struct ics_irq *irq = &ics->irqs[srcno];

	irq->server = server;
	irq->priority = priority;
	irq->saved_priority = saved_priority;
	irq->status = status;
	update_resend(ics, srcno);
}
