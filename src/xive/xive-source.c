// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * XIVE interrupt sources: the ESB (Event State Buffer) PQ state machine and
 * its MMIO pages.
 *
 *   old PQ        trigger              EOI
 *   00 RESET      -> 10, forward       -> 00
 *   10 PENDING    -> 11                -> 00
 *   11 QUEUED     -> 11                -> 10, forward
 *   01 OFF        -> 01                -> 01
 *
 * Each source has two 64 KiB pages (ESB shift 17):
 *
 *   even page (trigger)   any 8-byte store triggers; loads are invalid
 *   odd page (management), operation chosen by offset & 0xfff:
 *
 *   offset         8-byte load                  8-byte store
 *   0x000-0x3ff    EOI, 1 if it forwarded       trigger
 *   0x400-0x7ff    EOI, 1 if it forwarded       Store EOI (not offered:
 *                                               logged, no effect)
 *   0x800-0xbff    PQ                           forward unconditionally
 *   0xc00-0xfff    PQ := (offset >> 8) & 3,     PQ := (offset >> 8) & 3
 *                  returns the old PQ
 *
 * Level-sensitive sources (LSI) keep the line level in the status byte:
 * asserting triggers only from 00, and an EOI re-triggers while the line
 * is still asserted.
 */
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/bitmap.h"
#include "xive/xive-internal.h"

int xive_source_init(struct xive_source *src, uint32_t nr_irqs,
		     size_t *footprint)
{
	src->nr_irqs = nr_irqs;
	src->status = spirq__calloc(footprint, nr_irqs, 1);
	src->lsi_map = spirq__calloc(footprint, BITS_TO_WORDS(nr_irqs),
				     sizeof(uint64_t));
	src->asserted = spirq__calloc(footprint, BITS_TO_WORDS(nr_irqs),
				      sizeof(uint64_t));
	src->live = spirq__calloc(footprint, BITS_TO_WORDS(nr_irqs),
				  sizeof(uint64_t));
	if (!src->status || !src->lsi_map || !src->asserted || !src->live) {
		xive_source_fini(src, footprint);
		return -SPIRQ_ERR_NOMEM;
	}
	/* every source OFF, none live */
	memset(src->status, XIVE_ESB_OFF, nr_irqs);
	return 0;
}

void xive_source_fini(struct xive_source *src, size_t *footprint)
{
	spirq__free(footprint, src->status, src->nr_irqs, 1);
	spirq__free(footprint, src->lsi_map, BITS_TO_WORDS(src->nr_irqs),
		    sizeof(uint64_t));
	spirq__free(footprint, src->asserted, BITS_TO_WORDS(src->nr_irqs),
		    sizeof(uint64_t));
	spirq__free(footprint, src->live, BITS_TO_WORDS(src->nr_irqs),
		    sizeof(uint64_t));
	src->status = NULL;
	src->lsi_map = NULL;
	src->asserted = NULL;
	src->live = NULL;
}

void xive_source_set_lsi(struct xive_source *src, uint32_t srcno)
{
	bitmap_set(src->lsi_map, srcno);
}

uint8_t xive_source_pq(const struct xive_source *src, uint32_t srcno)
{
	return xive_status_load(xive_status(src, srcno));
}

bool xive_source_is_asserted(const struct xive_source *src, uint32_t srcno)
{
	return __atomic_load_n(&src->asserted[srcno / 64], __ATOMIC_RELAXED) >>
	       (srcno % 64) & 1;
}

uint8_t xive_source_state(const struct xive_source *src, uint32_t srcno)
{
	return (uint8_t)(xive_source_pq(src, srcno) |
			 (xive_source_is_asserted(src, srcno) ?
			  XIVE_STATUS_ASSERTED : 0));
}

void xive_source_set_state(struct xive_source *src, uint32_t srcno,
			   uint8_t state)
{
	xive_source_mark_live(src, srcno);
	*xive_status(src, srcno) = state & 0x3;
	xive_source_set_asserted(src, srcno, state & XIVE_STATUS_ASSERTED);
}

/* PQ := @pq, atomically (see "PQ transitions"); returns the old PQ. */
static uint8_t set_pq(struct xive_source *src, uint32_t srcno, uint8_t pq)
{
	xive_source_mark_live(src, srcno);
	return xive_status_set_pq(xive_status(src, srcno), pq);
}

/* The PQ state machine; returns true when the event is forwarded. */
static bool esb_trigger(struct xive_source *src, uint32_t srcno)
{
	return xive_status_trigger(xive_status(src, srcno));
}

static bool esb_eoi(struct xive_source *src, uint32_t srcno)
{
	uint8_t *status = xive_status(src, srcno);
	uint8_t old = xive_status_load(status), pq;
	bool forward;

	do
		pq = xive_pq_after_eoi(old, &forward);
	while (!xive_status_cas(status, &old, pq));
	return forward;
}

static bool source_trigger(spirq_machine *m, uint32_t srcno)
{
	struct xive_source *src = &m->xive->source;
	bool forward = esb_trigger(src, srcno);

	if (xive_source_is_lsi(src, srcno) &&
	    xive_source_pq(src, srcno) == XIVE_ESB_QUEUED)
		spapr_guest_error(m, GE_ESB,
				  "XIVE: queued an event on LSI IRQ %u", srcno);
	return forward;
}

/* An asserted LSI triggers only from RESET. */
static bool lsi_trigger(struct xive_source *src, uint32_t srcno)
{
	uint8_t old = XIVE_ESB_RESET;

	xive_source_set_asserted(src, srcno, true);
	return xive_status_cas(xive_status(src, srcno), &old,
			       XIVE_ESB_PENDING);
}

static bool source_eoi(struct xive_source *src, uint32_t srcno)
{
	bool forward = esb_eoi(src, srcno);

	/* a level still high fires again */
	if (xive_source_is_lsi(src, srcno) &&
	    xive_source_is_asserted(src, srcno))
		forward = lsi_trigger(src, srcno);
	return forward;
}

/*
 * Record the level of LSI @srcno without acting on it: the in-kernel
 * backend's kernel delivers it, spirq keeps it for EOI, info pic and
 * migration.
 */
void xive_source_set_asserted(struct xive_source *src, uint32_t srcno,
			      bool asserted)
{
	uint64_t *word = &src->asserted[srcno / 64], bit = 1ull << (srcno % 64);

	xive_source_mark_live(src, srcno);
	if (asserted)
		__atomic_fetch_or(word, bit, __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(word, ~bit, __ATOMIC_RELAXED);
}

void xive_source_set_irq(spirq_machine *m, uint32_t srcno, int level)
{
	struct xive_source *src = &m->xive->source;
	bool forward;

	if (xive_source_is_lsi(src, srcno)) {
		if (!level) {
			xive_source_set_asserted(src, srcno, false);
			return;
		}
		forward = lsi_trigger(src, srcno);
	} else {
		if (!level)
			return;
		forward = esb_trigger(src, srcno);
	}
	if (forward)
		xive_router_notify(m, srcno);
}

uint64_t xive_source_mgmt_load(spirq_machine *m, uint32_t srcno, uint32_t op)
{
	struct xive_source *src = &m->xive->source;

	switch (op & 0xf00) {
	case 0x000: case 0x100: case 0x200: case 0x300:
	case 0x400: case 0x500: case 0x600: case 0x700:
		if (source_eoi(src, srcno)) {
			xive_router_notify(m, srcno);
			return 1;
		}
		return 0;
	case 0x800: case 0x900: case 0xa00: case 0xb00:
		return xive_source_pq(src, srcno);
	default:	/* 0xc00 .. 0xfff: SET_PQ_xx */
		return set_pq(src, srcno, (uint8_t)((op >> 8) & 0x3));
	}
}

void xive_source_mgmt_store(spirq_machine *m, uint32_t srcno, uint32_t op)
{
	struct xive_source *src = &m->xive->source;

	switch (op & 0xf00) {
	case 0x000: case 0x100: case 0x200: case 0x300:
		if (source_trigger(m, srcno))
			xive_router_notify(m, srcno);
		break;
	case 0x400: case 0x500: case 0x600: case 0x700:
		/* sPAPR sources do not offer Store EOI */
		spapr_guest_error(m, GE_ESB,
				  "XIVE: invalid Store EOI for IRQ %u", srcno);
		break;
	case 0x800: case 0x900: case 0xa00: case 0xb00:
		xive_router_notify(m, srcno);	/* INJECT */
		break;
	default:
		set_pq(src, srcno, (uint8_t)((op >> 8) & 0x3));
		break;
	}
}

/*
 * The ESB pages accept only 8-byte accesses; QEMU's memory core refuses
 * the others before the device sees them (loads read 0).  Accesses reach
 * here aligned (see spirq_mmio_load).
 */
static bool esb_access_ok(spirq_machine *m, uint64_t offset, unsigned size,
			  bool write)
{
	if (size == 8)
		return true;
	spapr_guest_error(m, GE_ESB,
			  "Invalid %s at addr 0x%llX, size %u, region 'xive.esb-emulated', reason: invalid size (min:8 max:8)",
			  write ? "write" : "read", (unsigned long long)offset,
			  size);
	return false;
}

uint64_t xive_source_esb_read(spirq_machine *m, uint64_t offset,
			      unsigned size)
{
	uint32_t srcno = (uint32_t)(offset >> SPIRQ_XIVE_ESB_SHIFT);

	if (!esb_access_ok(m, offset, size, false))
		return 0;
	if (!((offset >> 16) & 1)) {
		spapr_guest_error(m, GE_ESB,
				  "XIVE: invalid load on IRQ %u trigger page at 0x%llx",
				  srcno, (unsigned long long)offset);
		return ~0ull;
	}
	return xive_source_mgmt_load(m, srcno, (uint32_t)(offset & 0xfff));
}

void xive_source_esb_write(spirq_machine *m, uint64_t offset, unsigned size)
{
	uint32_t srcno = (uint32_t)(offset >> SPIRQ_XIVE_ESB_SHIFT);

	if (!esb_access_ok(m, offset, size, true))
		return;
	if (!((offset >> 16) & 1)) {
		if (source_trigger(m, srcno))
			xive_router_notify(m, srcno);
		return;
	}
	xive_source_mgmt_store(m, srcno, (uint32_t)(offset & 0xfff));
}
