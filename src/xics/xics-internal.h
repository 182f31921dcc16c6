/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * XICS: the PAPR interrupt controller of POWER5 .. POWER8 guests, as
 * QEMU 7.2's pseries machine emulates it.
 *
 *   sources (ICS)                         presenters (ICP, one per vCPU)
 *   +-------------------------------+     +----------------------------+
 *   | irq 0x1000 + srcno            |     | XIRR = CPPR:8 | XISR:24    |
 *   |   server, priority,           |---->| pending priority, MFRR     |
 *   |   saved priority, status      |<----| reject / EOI               |
 *   +-------------------------------+     +----------------------------+
 *
 * Priorities: 0 is the most favoured, 0xff the least ("masked").  An
 * interrupt is presented to an ICP when its priority is more favoured
 * than the CPPR and than what the ICP already presents; otherwise it is
 * rejected back to its source and resent when the ICP's CPPR drops or the
 * presented interrupt is EOIed.  XISR 2 is the inter-processor interrupt,
 * driven by the MFRR.
 */
#ifndef SPIRQ_XICS_INTERNAL_H
#define SPIRQ_XICS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <spirq/topology.h>

#include "spapr/spapr-internal.h"

#define XISR_MASK	0x00ffffffu
#define CPPR_MASK	0xff000000u
#define XICS_IPI	0x2

/* What "info pic" prints where QEMU prints the ICS object's address. */
#define ICS_TOKEN	"0x1"

/* ICS source status bits (QEMU's ICSIRQState.status) */
#define XICS_STATUS_ASSERTED		0x1	/* LSI line high */
#define XICS_STATUS_SENT		0x2	/* LSI presented, awaiting EOI */
#define XICS_STATUS_REJECTED		0x4	/* MSI bounced by its ICP */
#define XICS_STATUS_MASKED_PENDING	0x8	/* MSI fired while masked */

/* ICS source flags (claim type) */
#define XICS_FLAGS_IRQ_LSI	0x1
#define XICS_FLAGS_IRQ_MSI	0x2
#define XICS_FLAGS_IRQ_MASK	0x3

struct ics_irq {
	uint32_t server;
	uint8_t priority;
	uint8_t saved_priority;
	uint8_t status;
	uint8_t flags;
};

/*
 * The source controller.  @resend holds the sources a resend may act on
 * (rejected MSIs, asserted LSIs not sent), with @resend_words marking its
 * non-zero words: a resend visits them in source order, as QEMU's scan of
 * every source does, at a cost proportional to the sources waiting.
 */
struct ics {
	uint32_t offset;		/* 0x1000 */
	uint32_t nr_irqs;		/* 0x1000, or 0x400 (legacy) */
	struct ics_irq *irqs;
	uint64_t *resend;		/* bitmap of nr_irqs bits */
	uint64_t resend_words;		/* bitmap of non-zero resend words */
	/*
	 * Bitmap of nr_irqs bits: the sources whose entry may differ from the
	 * reset state (server 0, priorities 0xff, no status, unclaimed).  Set
	 * on every change, cleared by a reset that leaves the entry so: the
	 * resets, saves, unplugs and "info pic" visit only these.
	 */
	uint64_t *live;
};

struct icp {
	uint32_t xirr;			/* CPPR << 24 | XISR */
	uint8_t pending_priority;	/* priority of the XISR, 0xff none */
	uint8_t mfrr;			/* IPI priority, 0xff none */
	bool xisr_from_ics;		/* XISR came from the ICS (not an IPI) */
	unsigned cpu;			/* cpu_index */
};

static inline uint8_t icp_cppr(const struct icp *icp)
{
	return icp->xirr >> 24;
}

static inline uint32_t icp_xisr(const struct icp *icp)
{
	return icp->xirr & XISR_MASK;
}

/*
 * The ICP's state changes of the IPI presented and of an accept, without
 * the line (their callers drive it): shared by the full paths (icp.c)
 * and the fast paths (xics-fast.h).
 */

/* Present the IPI (MFRR), nothing a source sent being in the XISR. */
static inline void icp_present_ipi_state(struct icp *icp)
{
	icp->xirr = (icp->xirr & ~XISR_MASK) | XICS_IPI;
	icp->pending_priority = icp->mfrr;
	icp->xisr_from_ics = false;
}

/* Accept what is presented: returns the XIRR, the XISR emptied. */
static inline uint32_t icp_accept_state(struct icp *icp)
{
	uint32_t xirr = icp->xirr;

	icp->xirr = (uint32_t)icp->pending_priority << 24;
	icp->pending_priority = 0xff;
	icp->xisr_from_ics = false;
	return xirr;
}

/* ---- ICS (src/xics/ics.c) ---------------------------------------------- */

/* @footprint: the owning machine's allocation count (common/alloc.h) */
struct ics *ics_create(uint32_t nr_irqs, size_t *footprint);
void ics_destroy(struct ics *ics, size_t *footprint);
void ics_reset(struct ics *ics);
bool ics_valid_irq(const struct ics *ics, uint64_t irq);
void ics_claim(struct ics *ics, uint32_t irq, bool lsi);
void ics_free(struct ics *ics, uint32_t irq);
void ics_set_irq(spirq_machine *m, uint32_t srcno, int level);
void ics_write_xive(spirq_machine *m, uint32_t srcno, uint32_t server,
		    uint8_t priority, uint8_t saved_priority);
void ics_mask_source(spirq_machine *m, uint32_t srcno);
void ics_reject(struct ics *ics, uint32_t irq);
void ics_eoi(struct ics *ics, uint32_t irq);
void ics_resend(spirq_machine *m);
void ics_print_info(const struct ics *ics, struct spirq_printer *p);
void ics_load_source(struct ics *ics, uint32_t srcno, uint32_t server,
		     uint8_t priority, uint8_t saved_priority, uint8_t status);

/* Does a resend have a source to visit?  Written under the sources lock,
 * peeked at by the vCPUs' fast paths. */
static inline bool ics_has_waiting(const struct ics *ics)
{
	return __atomic_load_n(&ics->resend_words, __ATOMIC_RELAXED) != 0;
}

/* ---- ICP (src/xics/icp.c) ---------------------------------------------- */

struct icp *icp_create(unsigned cpu, size_t *footprint);
void icp_destroy(struct icp *icp, size_t *footprint);
void icp_reset(spirq_machine *m, struct icp *icp);
void icp_irq(spirq_machine *m, uint32_t server, uint32_t irq,
	     uint8_t priority);
void icp_set_cppr(spirq_machine *m, struct icp *icp, uint8_t cppr);
void icp_set_mfrr(spirq_machine *m, struct icp *icp, uint8_t mfrr);
uint32_t icp_accept(spirq_machine *m, struct icp *icp);
void icp_eoi(spirq_machine *m, struct icp *icp, uint32_t xirr);
void icp_resend(spirq_machine *m, struct icp *icp);
void icp_print_info(const struct icp *icp, struct spirq_printer *p);


/* ---- calls (src/xics/xics-hcall.c) ------------------------------------- */

/* Every XICS hcall, with the sources lock and the presenter's held. */
int64_t xics_hcall(spirq_machine *m, unsigned cpu, uint64_t opcode,
		   const uint64_t *args, uint64_t *rets, unsigned *nrets);
void xics_rtas(spirq_machine *m, uint32_t token, uint32_t nargs,
	       const uint32_t *args, uint32_t nret, uint32_t *rets);

#endif /* SPIRQ_XICS_INTERNAL_H */
