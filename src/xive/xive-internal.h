/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * XIVE exploitation mode for sPAPR guests, as QEMU 7.2 emulates it.
 *
 *   device line / ESB store          router                    presenter
 *   +-----------------------+   +-------------------+   +---------------------+
 *   | source (ESB)          |   | EAS[lisn]         |   | thread context of   |
 *   |  PQ state machine     |-->|  -> END[index]    |-->| the END's NVT:      |
 *   |  trigger page, mgmt   |   |  enqueue to the   |   |  IPB |= prio, PIPR, |
 *   |  page (EOI, SET_PQ)   |   |  EQ in guest RAM  |   |  NSR.EO, line       |
 *   +-----------------------+   +-------------------+   +---------------------+
 *        xive-source.c              xive-router.c            xive-tctx.c
 *
 * sPAPR numbering (src/xive/spapr-xive.c): LISN 0 .. nr_irqs-1 (IPIs below
 * 0x1000), END index = slot * 8 + priority (slot: see spirq_xive_end_slot),
 * NVT index = 0x400 + vCPU id, block 0 everywhere.  The guest reaches only
 * the OS and USER pages of the TIMA.
 */
#ifndef SPIRQ_XIVE_INTERNAL_H
#define SPIRQ_XIVE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "spapr/spapr-internal.h"
#include <spirq/topology.h>

#include "common/bitmap.h"
#include "xive/xive-regs.h"

/* Source status byte: PQ in bits 0-1, LSI line level in bit 2. */
#define XIVE_STATUS_ASSERTED	0x4

#define XIVE_NR_IRQS		SPIRQ_XIVE_NR_SOURCES
#define XIVE_HV_PRIO		7	/* reserved for the hypervisor */
#define XIVE_BLOCK_ID		0

/* MMIO layout */
#define XIVE_ESB_PAGE_SIZE	(1ull << SPIRQ_XIVE_ESB_PAGE_SHIFT)
#define XIVE_END_BASE(nr_irqs)	(SPIRQ_XIVE_VC_BASE + \
				 ((uint64_t)(nr_irqs) << SPIRQ_XIVE_ESB_SHIFT))

struct xive_source {
	uint32_t nr_irqs;
	uint8_t *status;	/* [nr_irqs] */
	uint64_t *lsi_map;	/* bitmap: level-sensitive sources */
	/*
	 * Bitmap: the LISNs whose status may differ from OFF or whose EAS
	 * (struct spapr_xive) may differ from 0.  Set on every change of
	 * either, cleared by a reset that leaves both so: the resets, saves,
	 * unplugs and "info pic" visit only these.
	 */
	uint64_t *live;
};

struct xive_tctx {
	uint8_t regs[TM_RING_COUNT * TM_RING_SIZE];
	unsigned cpu;		/* cpu_index */
};

/* The 8 ENDs (one per priority) of a vCPU slot. */
#define XIVE_END_GROUP		8

/*
 * The END table is allocated by groups: a slot's group exists while its
 * vCPU is plugged (or a restored stream gave one of its ENDs a state),
 * and a missing group's ENDs are reset ENDs.  So the memory follows the
 * plugged vCPUs, not max_cpus; what the guest and the migration stream
 * see is the full table of nr_ends entries.
 */
struct spapr_xive {
	struct xive_source source;
	xive_eas *eat;		/* [source.nr_irqs] */
	xive_end **end_groups;	/* [nr_ends / 8], NULL: all 8 in reset state */
	uint32_t nr_ends;
	xive_end end_reset;	/* what the ENDs of a missing group read as */
};

/* ---- source (xive-source.c) ---------------------------------------------- */

/* @footprint: the owning machine's allocation count (common/alloc.h) */
int xive_source_init(struct xive_source *src, uint32_t nr_irqs,
		     size_t *footprint);
void xive_source_fini(struct xive_source *src, size_t *footprint);

/* @lisn's status or EAS is about to change (see struct xive_source.live). */
static inline void xive_source_mark_live(struct xive_source *src,
					 uint32_t lisn)
{
	bitmap_set(src->live, lisn);
}

/* Status of @lisn after a reset (its line level kept or not). */
static inline uint8_t xive_source_reset_status(const struct xive_source *src,
					       uint32_t lisn,
					       bool keep_asserted)
{
	return (uint8_t)(XIVE_ESB_OFF |
			 (keep_asserted ?
			  src->status[lisn] & XIVE_STATUS_ASSERTED : 0));
}
bool xive_source_is_lsi(const struct xive_source *src, uint32_t srcno);
void xive_source_set_lsi(struct xive_source *src, uint32_t srcno);
uint8_t xive_source_pq(const struct xive_source *src, uint32_t srcno);
bool xive_source_is_asserted(const struct xive_source *src, uint32_t srcno);
void xive_source_set_irq(spirq_machine *m, uint32_t srcno, int level);
/* One 8-byte access to the management page of @srcno (@op: offset 0..0xfff). */
uint64_t xive_source_mgmt_load(spirq_machine *m, uint32_t srcno, uint32_t op);
void xive_source_mgmt_store(spirq_machine *m, uint32_t srcno, uint32_t op);
/* Guest MMIO on the ESB region (offset from SPIRQ_XIVE_VC_BASE). */
uint64_t xive_source_esb_read(spirq_machine *m, uint64_t offset,
			      unsigned size);
void xive_source_esb_write(spirq_machine *m, uint64_t offset, unsigned size);

/* ---- router (xive-router.c) ----------------------------------------------- */

void xive_router_notify(spirq_machine *m, uint32_t lisn);

/* ---- thread context and TIMA (xive-tctx.c) -------------------------------- */

struct xive_tctx *xive_tctx_create(unsigned cpu, size_t *footprint);
void xive_tctx_destroy(struct xive_tctx *tctx, size_t *footprint);
void xive_tctx_reset(struct xive_tctx *tctx, uint32_t vcpu_id);
void xive_tctx_ipb_update(spirq_machine *m, struct xive_tctx *tctx,
			  uint8_t ring, uint8_t ipb);
/* OS ACK and OS CPPR store, what the TIMA fast paths do (vCPU lock held). */
uint16_t xive_tctx_ack_os(spirq_machine *m, struct xive_tctx *tctx);
void xive_tctx_set_os_cppr(spirq_machine *m, struct xive_tctx *tctx,
			   uint8_t cppr);
uint64_t xive_tctx_tm_read(spirq_machine *m, struct xive_tctx *tctx,
			   uint64_t offset, unsigned size);
void xive_tctx_tm_write(spirq_machine *m, struct xive_tctx *tctx,
			uint64_t offset, unsigned size, uint64_t value);
void xive_tctx_print_info(const struct xive_tctx *tctx,
			  struct spirq_printer *p);

/* ---- sPAPR device (spapr-xive.c) ------------------------------------------ */

struct spapr_xive *spapr_xive_create(const spirq_config *cfg,
				     size_t *footprint);
void spapr_xive_destroy(struct spapr_xive *xive, size_t *footprint);
void spapr_xive_claim_ipis(spirq_machine *m);
/* Machine-reset state of the tables: EAS masked, ENDs reset, PQ 01. */
void spapr_xive_reset_tables(spirq_machine *m, bool keep_asserted);
void spapr_xive_end_reset(xive_end *end);

/* END @idx (< nr_ends) to read: a reset END when its group is missing. */
static inline const xive_end *spapr_xive_end_peek(const struct spapr_xive *xive,
						  uint32_t idx)
{
	const xive_end *group = xive->end_groups[idx / XIVE_END_GROUP];

	return group ? &group[idx % XIVE_END_GROUP] : &xive->end_reset;
}

/* END @idx (< nr_ends) to change, or NULL when its group is missing. */
static inline xive_end *spapr_xive_end(struct spapr_xive *xive, uint32_t idx)
{
	xive_end *group = xive->end_groups[idx / XIVE_END_GROUP];

	return group ? &group[idx % XIVE_END_GROUP] : NULL;
}

/* Give END group @group (< nr_ends / 8) memory, in reset state if it had
 * none.  returns: 0 or -SPIRQ_ERR_NOMEM */
int spapr_xive_end_group_alloc(struct spapr_xive *xive, uint32_t group,
			       size_t *footprint);
/* Free END group @group: its ENDs read as reset ENDs again. */
void spapr_xive_end_group_free(struct spapr_xive *xive, uint32_t group,
			       size_t *footprint);
/* END index of (vCPU, priority), or -1 if the target is not plugged. */
int64_t spapr_xive_target_to_end(spirq_machine *m, uint64_t target,
				 uint8_t priority);

/* ---- hcalls (spapr-xive-hcall.c) ----------------------------------------- */

int64_t spapr_xive_hcall(spirq_machine *m, unsigned cpu, uint64_t opcode,
			 const uint64_t *args, uint64_t *rets,
			 unsigned *nrets);

#endif /* SPIRQ_XIVE_INTERNAL_H */
