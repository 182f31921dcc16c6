// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: XIVE interrupt sources, the ESB pages and their PQ state
 * machine, LSI levels, device lines, and the MMIO mapping of the XIVE
 * regions.
 *
 * Every operation of the management page is applied to a source in each
 * of the four PQ states; the new PQ, the value a load returns and whether
 * an event reached the router are checked.  An event that reaches the
 * router is seen as an entry written to the event queue of the END the
 * source is routed to.
 */
#include "test-xive.h"

#define LISN	0x1000u		/* MSI to vCPU 0, priority 6 */
#define EISN	0x4d2u
#define QADDR	0x100000ull	/* 4 KiB queue */
#define LSI	0x1200u

/* PQ values */
#define PQ_00	0u	/* ready */
#define PQ_01	1u	/* off */
#define PQ_10	2u	/* pending */
#define PQ_11	3u	/* queued */

#define ALL_ONES 0xffffffffffffffffull

/* A XIVE machine with LISN routed to vCPU 0's priority-6 queue. */
static void setup_routed(struct xt *t)
{
	xt_start_xive(t, "2");
	xt_claim(t, LISN, false);
	xt_queue(t, 0, 6, QADDR, 12, true);
	xt_set_cppr(t, 0, 0xff);
	xt_route(t, LISN, 0, 6, EISN);
}

/* Events the router has written to the queue so far. */
static uint32_t events(struct xt *t)
{
	return xt_qindex(t, 0, 6, NULL);
}

struct esb_op {
	const char *what;
	bool store;
	uint64_t offset;	/* from the source's even (trigger) page */
	unsigned next[4];	/* new PQ, indexed by the old PQ */
	uint64_t ret[4];	/* a load's value, indexed by the old PQ */
	unsigned fwd[4];	/* events forwarded, indexed by the old PQ */
};

#define M(off)	(0x10000 + (off))	/* management page */
#define T(off)	(off)			/* trigger page */

#define SAME	{ PQ_00, PQ_01, PQ_10, PQ_11 }
#define TO(pq)	{ pq, pq, pq, pq }
#define OLD	{ PQ_00, PQ_01, PQ_10, PQ_11 }
#define NONE	{ 0, 0, 0, 0 }

static const struct esb_op esb_ops[] = {
	/* loads 0x000-0x7ff: EOI, 1 when it forwards the queued event */
	{ "load EOI 0x000", false, M(0x000), { PQ_00, PQ_01, PQ_00, PQ_10 },
	  { 0, 0, 0, 1 }, { 0, 0, 0, 1 } },
	{ "load EOI 0x3f8", false, M(0x3f8), { PQ_00, PQ_01, PQ_00, PQ_10 },
	  { 0, 0, 0, 1 }, { 0, 0, 0, 1 } },
	{ "load EOI 0x400", false, M(0x400), { PQ_00, PQ_01, PQ_00, PQ_10 },
	  { 0, 0, 0, 1 }, { 0, 0, 0, 1 } },
	{ "load EOI 0x7f8", false, M(0x7f8), { PQ_00, PQ_01, PQ_00, PQ_10 },
	  { 0, 0, 0, 1 }, { 0, 0, 0, 1 } },
	/* 0x800-0xbff: GET */
	{ "load GET 0x800", false, M(0x800), SAME, OLD, NONE },
	{ "load GET 0xbf8", false, M(0xbf8), SAME, OLD, NONE },
	/* 0xc00-0xfff: SET_PQ_xx, returns the old PQ, never forwards */
	{ "load SET_PQ_00", false, M(0xc00), TO(PQ_00), OLD, NONE },
	{ "load SET_PQ_00 0xcf8", false, M(0xcf8), TO(PQ_00), OLD, NONE },
	{ "load SET_PQ_01", false, M(0xd00), TO(PQ_01), OLD, NONE },
	{ "load SET_PQ_10", false, M(0xe00), TO(PQ_10), OLD, NONE },
	{ "load SET_PQ_11", false, M(0xf00), TO(PQ_11), OLD, NONE },
	{ "load SET_PQ_11 0xff8", false, M(0xff8), TO(PQ_11), OLD, NONE },
	/* only offset & 0xfff selects the operation */
	{ "load 0x1c00 = SET_PQ_00", false, M(0x1c00), TO(PQ_00), OLD, NONE },
	{ "load 0xf800 = GET", false, M(0xf800), SAME, OLD, NONE },
	{ "load 0x8000 = EOI", false, M(0x8000), { PQ_00, PQ_01, PQ_00, PQ_10 },
	  { 0, 0, 0, 1 }, { 0, 0, 0, 1 } },

	/* stores 0x000-0x3ff: trigger */
	{ "store trigger 0x000", true, M(0x000), { PQ_10, PQ_01, PQ_11, PQ_11 },
	  NONE, { 1, 0, 0, 0 } },
	{ "store trigger 0x3f8", true, M(0x3f8), { PQ_10, PQ_01, PQ_11, PQ_11 },
	  NONE, { 1, 0, 0, 0 } },
	/* 0x400-0x7ff: Store EOI, not offered by sPAPR sources */
	{ "store EOI 0x400", true, M(0x400), SAME, NONE, NONE },
	{ "store EOI 0x7f8", true, M(0x7f8), SAME, NONE, NONE },
	/* 0x800-0xbff: inject, forwards whatever the PQ */
	{ "store inject 0x800", true, M(0x800), SAME, NONE, { 1, 1, 1, 1 } },
	{ "store inject 0xbf8", true, M(0xbf8), SAME, NONE, { 1, 1, 1, 1 } },
	/* 0xc00-0xfff: SET_PQ_xx */
	{ "store SET_PQ_00", true, M(0xc00), TO(PQ_00), NONE, NONE },
	{ "store SET_PQ_01", true, M(0xd00), TO(PQ_01), NONE, NONE },
	{ "store SET_PQ_10", true, M(0xe00), TO(PQ_10), NONE, NONE },
	{ "store SET_PQ_11", true, M(0xf00), TO(PQ_11), NONE, NONE },
	{ "store SET_PQ_11 0xff8", true, M(0xff8), TO(PQ_11), NONE, NONE },
	{ "store 0x4c00 = SET_PQ_00", true, M(0x4c00), TO(PQ_00), NONE, NONE },

	/* trigger page: any store triggers, whatever the offset */
	{ "store trigger page 0x0", true, T(0x0),
	  { PQ_10, PQ_01, PQ_11, PQ_11 }, NONE, { 1, 0, 0, 0 } },
	{ "store trigger page 0xc00", true, T(0xc00),
	  { PQ_10, PQ_01, PQ_11, PQ_11 }, NONE, { 1, 0, 0, 0 } },
	{ "store trigger page 0xfff8", true, T(0xfff8),
	  { PQ_10, PQ_01, PQ_11, PQ_11 }, NONE, { 1, 0, 0, 0 } },
	/* ... and a load there is invalid: all ones, no effect */
	{ "load trigger page 0x0", false, T(0x0), SAME,
	  { ALL_ONES, ALL_ONES, ALL_ONES, ALL_ONES }, NONE },
	{ "load trigger page 0x800", false, T(0x800), SAME,
	  { ALL_ONES, ALL_ONES, ALL_ONES, ALL_ONES }, NONE },
	{ "load trigger page 0xc00", false, T(0xc00), SAME,
	  { ALL_ONES, ALL_ONES, ALL_ONES, ALL_ONES }, NONE },
};

static void test_pq_every_offset_and_state(void **state)
{
	struct xt t;
	size_t i;
	unsigned pq;

	(void)state;
	setup_routed(&t);
	for (i = 0; i < sizeof(esb_ops) / sizeof(esb_ops[0]); i++) {
		const struct esb_op *op = &esb_ops[i];

		for (pq = 0; pq < 4; pq++) {
			uint64_t addr = ESB_TRIG(LISN) + op->offset;
			uint32_t before, after;
			uint64_t ret = 0;

			xt_set_pq(&t, LISN, pq);
			assert_int_equal(xt_pq(&t, LISN), pq);
			before = events(&t);
			if (op->store)
				ESB_STORE(&t, addr);
			else
				ret = ESB_LOAD(&t, addr);
			after = events(&t);
			if (xt_pq(&t, LISN) != op->next[pq] ||
			    (!op->store && ret != op->ret[pq]) ||
			    after - before != op->fwd[pq])
				fail_msg("%s from PQ %u: PQ %u ret 0x%llx events %u, want PQ %u ret 0x%llx events %u",
					 op->what, pq, xt_pq(&t, LISN),
					 (unsigned long long)ret,
					 after - before, op->next[pq],
					 (unsigned long long)op->ret[pq],
					 op->fwd[pq]);
			/* what was forwarded is this source's event */
			if (op->fwd[pq])
				assert_int_equal(xt_eq(&t, QADDR, before),
						 0x80000000u | EISN);
		}
	}
	xt_stop(&t);
}

/* A forwarded event reaches the thread context: IPB, NSR and the line. */
static void test_trigger_reaches_tctx(void **state)
{
	struct xt t;
	uint64_t ring;

	(void)state;
	setup_routed(&t);
	xt_set_pq(&t, LISN, PQ_00);
	ESB_STORE(&t, ESB_TRIG(LISN));
	ring = xt_os_ring(&t, 0);
	assert_int_equal(RING_IPB(ring), 0x02);		/* priority 6 */
	assert_int_equal(RING_PIPR(ring), 6);
	assert_int_equal(RING_NSR(ring), 0x80);
	assert_int_equal(t.line[0], 1);
	assert_int_equal(t.line[1], 0);
	assert_int_equal(xt_ack(&t, 0), 0x8006);
	assert_int_equal(t.line[0], 0);
	/* the guest EOIs through the management page: PQ back to 00 */
	assert_int_equal(ESB_LOAD(&t, ESB_MGMT(LISN)), 0);
	assert_int_equal(xt_pq(&t, LISN), PQ_00);
	xt_stop(&t);
}

/* IPIs are sources like the others: vCPU 0 signals vCPU 1. */
static void test_ipi_to_other_vcpu(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "2");
	xt_queue(&t, 1, 6, QADDR, 12, true);
	xt_set_cppr(&t, 1, 0xff);
	xt_route(&t, 1, 1, 6, 1);		/* IPI LISN 1 -> vCPU 1 */
	xt_set_pq(&t, 1, PQ_00);
	xt_store(&t, 0, SPIRQ_REGION_ESB, ESB_TRIG(1), 8, 0);
	assert_int_equal(t.line[0], 0);
	assert_int_equal(t.line[1], 1);
	assert_int_equal(xt_eq(&t, QADDR, 0), 0x80000001u);
	assert_int_equal(RING_IPB(xt_os_ring(&t, 0)), 0);
	assert_int_equal(xt_ack(&t, 1), 0x8006);
	assert_int_equal(t.line[1], 0);
	xt_stop(&t);
}

/*
 * The ESB pages take 8-byte accesses only: QEMU's memory core refuses the
 * others before the device sees them (a load reads 0, even on the trigger
 * page; a store is dropped).
 */
static void test_non_8_byte_accesses(void **state)
{
	static const uint64_t offs[] = {
		M(0x000), M(0x400), M(0x800), M(0xc00), M(0xd00), M(0xf00),
		T(0x0),
	};
	static const unsigned sizes[] = { 1, 2, 4 };
	struct xt t;
	size_t i, j;

	(void)state;
	setup_routed(&t);
	xt_set_pq(&t, LISN, PQ_11);
	/* refused and logged */
	assert_int_equal(xt_load(&t, 0, SPIRQ_REGION_ESB, ESB_MGMT(LISN), 4),
			 0);
	assert_int_equal(t.guest_errors, 1);
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		for (j = 0; j < 3; j++) {
			uint64_t addr = ESB_TRIG(LISN) + offs[i];

			assert_int_equal(xt_load(&t, 0, SPIRQ_REGION_ESB, addr,
						 sizes[j]), 0);
			xt_store(&t, 0, SPIRQ_REGION_ESB, addr, sizes[j], 0);
			assert_int_equal(xt_pq(&t, LISN), PQ_11);
		}
	}
	xt_set_pq(&t, LISN, PQ_00);
	xt_store(&t, 0, SPIRQ_REGION_ESB, ESB_TRIG(LISN), 4, 0);
	assert_int_equal(xt_pq(&t, LISN), PQ_00);
	assert_int_equal(events(&t), 0);
	xt_stop(&t);
}

/*
 * Unaligned accesses are split as QEMU's TCG does for MMIO: a load into
 * the two aligned loads of the same size that cover it, a store into
 * single bytes.  Below 8 bytes every piece is refused by the ESB.
 */
static void test_unaligned_small(void **state)
{
	struct xt t;

	(void)state;
	setup_routed(&t);
	xt_set_pq(&t, LISN, PQ_11);
	assert_int_equal(xt_load(&t, 0, SPIRQ_REGION_ESB,
				 ESB_MGMT(LISN) + 0xc02, 4), 0);
	assert_int_equal(xt_load(&t, 0, SPIRQ_REGION_ESB,
				 ESB_MGMT(LISN) + 0x001, 2), 0);
	assert_int_equal(xt_pq(&t, LISN), PQ_11);
	/* 8-byte stores become byte stores: nothing happens */
	xt_set_pq(&t, LISN, PQ_00);
	xt_store(&t, 0, SPIRQ_REGION_ESB, ESB_TRIG(LISN) + 4, 8, 0);
	xt_store(&t, 0, SPIRQ_REGION_ESB, ESB_MGMT(LISN) + 0xf04, 8, 0);
	xt_store(&t, 0, SPIRQ_REGION_ESB, ESB_MGMT(LISN) + 0x802, 4, 0);
	assert_int_equal(xt_pq(&t, LISN), PQ_00);
	assert_int_equal(events(&t), 0);
	xt_stop(&t);
}

/*
 * An unaligned 8-byte load is two aligned 8-byte loads, each a full ESB
 * operation, combined big-endian: (first << 32) | (second >> 32) for an
 * offset of 4.
 */
static void test_unaligned_8_byte_load(void **state)
{
	struct xt t;

	(void)state;
	setup_routed(&t);
	/* SET_PQ_00 at 0xc00 (old PQ 10), then at 0xc08 (old PQ 00) */
	xt_set_pq(&t, LISN, PQ_10);
	assert_int_equal(ESB_LOAD(&t, ESB_MGMT(LISN) + 0xc04),
			 (uint64_t)PQ_10 << 32);
	assert_int_equal(xt_pq(&t, LISN), PQ_00);
	/* two EOIs: the first forwards the queued event, the second not */
	xt_set_pq(&t, LISN, PQ_11);
	assert_int_equal(ESB_LOAD(&t, ESB_MGMT(LISN) + 0x004), 1ull << 32);
	assert_int_equal(xt_pq(&t, LISN), PQ_00);
	assert_int_equal(events(&t), 1);
	xt_stop(&t);
}

/* Device lines of MSIs: 1 triggers, 0 is ignored. */
static void test_msi_device_line(void **state)
{
	struct xt t;

	(void)state;
	setup_routed(&t);
	xt_set_pq(&t, LISN, PQ_00);
	assert_int_equal(spirq_set_irq(t.m, LISN, 0), 0);
	assert_int_equal(xt_pq(&t, LISN), PQ_00);
	assert_int_equal(events(&t), 0);
	assert_int_equal(spirq_set_irq(t.m, LISN, 1), 0);
	assert_int_equal(xt_pq(&t, LISN), PQ_10);
	assert_int_equal(events(&t), 1);
	assert_int_equal(spirq_set_irq(t.m, LISN, 1), 0);
	assert_int_equal(xt_pq(&t, LISN), PQ_11);
	assert_int_equal(spirq_set_irq(t.m, LISN, 0), 0);
	assert_int_equal(xt_pq(&t, LISN), PQ_11);
	assert_int_equal(events(&t), 1);
	/* EOI forwards the queued one */
	assert_int_equal(ESB_LOAD(&t, ESB_MGMT(LISN)), 1);
	assert_int_equal(events(&t), 2);
	/* not claimed, or not an external source */
	assert_int_equal(spirq_set_irq(t.m, 0x1001, 1), -SPIRQ_ERR_NOTFOUND);
	assert_int_equal(spirq_set_irq(t.m, 0x0fff, 1), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_set_irq(t.m, 0x2000, 1), -SPIRQ_ERR_INVAL);
	/* after a reset the source is off (PQ 01): a trigger is dropped */
	spirq_reset(t.m);
	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(xt_pq(&t, LISN), PQ_01);
	assert_int_equal(spirq_set_irq(t.m, LISN, 1), 0);
	assert_int_equal(xt_pq(&t, LISN), PQ_01);
	xt_stop(&t);
}

/* A XIVE machine with an LSI routed to vCPU 0's priority-6 queue. */
static void setup_lsi(struct xt *t)
{
	xt_start_xive(t, "1");
	xt_claim(t, LSI, true);
	xt_queue(t, 0, 6, QADDR, 12, true);
	xt_set_cppr(t, 0, 0xff);
	xt_route(t, LSI, 0, 6, LSI);
}

static uint32_t lsi_events(struct xt *t)
{
	return xt_qindex(t, 0, 6, NULL);
}

static void test_lsi_levels(void **state)
{
	struct xt t;

	(void)state;
	setup_lsi(&t);
	xt_set_pq(&t, LSI, PQ_00);

	/* assert from 00: 10, forwarded */
	assert_int_equal(spirq_set_irq(t.m, LSI, 1), 0);
	assert_int_equal(xt_pq(&t, LSI), PQ_10);
	assert_int_equal(lsi_events(&t), 1);
	assert_int_equal(xt_eq(&t, QADDR, 0), 0x80000000u | LSI);
	/* asserting again changes nothing: LSIs never set Q */
	assert_int_equal(spirq_set_irq(t.m, LSI, 1), 0);
	assert_int_equal(xt_pq(&t, LSI), PQ_10);
	assert_int_equal(lsi_events(&t), 1);
	/* EOI while still asserted: 00, then re-triggered: 10, forwarded */
	assert_int_equal(ESB_LOAD(&t, ESB_MGMT(LSI)), 1);
	assert_int_equal(xt_pq(&t, LSI), PQ_10);
	assert_int_equal(lsi_events(&t), 2);
	/* deassert: the PQ stays; the next EOI just returns to 00 */
	assert_int_equal(spirq_set_irq(t.m, LSI, 0), 0);
	assert_int_equal(xt_pq(&t, LSI), PQ_10);
	assert_int_equal(ESB_LOAD(&t, ESB_MGMT(LSI) + 0x400), 0);
	assert_int_equal(xt_pq(&t, LSI), PQ_00);
	assert_int_equal(lsi_events(&t), 2);
	assert_int_equal(spirq_set_irq(t.m, LSI, 0), 0);
	assert_int_equal(xt_pq(&t, LSI), PQ_00);
	assert_int_equal(lsi_events(&t), 2);
	xt_stop(&t);
}

static void test_lsi_eoi_corner_cases(void **state)
{
	struct xt t;

	(void)state;
	setup_lsi(&t);

	/* asserted while off: remembered, nothing forwarded */
	assert_int_equal(xt_pq(&t, LSI), PQ_01);
	assert_int_equal(spirq_set_irq(t.m, LSI, 1), 0);
	assert_int_equal(xt_pq(&t, LSI), PQ_01);
	/* SET_PQ never forwards, even with the level high */
	xt_set_pq(&t, LSI, PQ_00);
	assert_int_equal(lsi_events(&t), 0);
	/* an EOI from 00 with the level high triggers */
	assert_int_equal(ESB_LOAD(&t, ESB_MGMT(LSI)), 1);
	assert_int_equal(xt_pq(&t, LSI), PQ_10);
	assert_int_equal(lsi_events(&t), 1);

	/*
	 * 11 and asserted: the EOI goes to 10 and would forward, but the
	 * level re-trigger finds 10 and answers "not forwarded"
	 */
	xt_set_pq(&t, LSI, PQ_11);
	assert_int_equal(ESB_LOAD(&t, ESB_MGMT(LSI)), 0);
	assert_int_equal(xt_pq(&t, LSI), PQ_10);
	assert_int_equal(lsi_events(&t), 1);

	/* EOI while off: stays off, even asserted */
	xt_set_pq(&t, LSI, PQ_01);
	assert_int_equal(ESB_LOAD(&t, ESB_MGMT(LSI)), 0);
	assert_int_equal(xt_pq(&t, LSI), PQ_01);
	assert_int_equal(lsi_events(&t), 1);
	xt_stop(&t);
}

/* An ESB store triggers an LSI like an MSI, and Q is logged. */
static void test_lsi_store_trigger(void **state)
{
	struct xt t;

	(void)state;
	setup_lsi(&t);
	xt_set_pq(&t, LSI, PQ_00);
	ESB_STORE(&t, ESB_TRIG(LSI));
	assert_int_equal(xt_pq(&t, LSI), PQ_10);
	assert_int_equal(lsi_events(&t), 1);
	t.last_log[0] = '\0';
	ESB_STORE(&t, ESB_TRIG(LSI));
	assert_int_equal(xt_pq(&t, LSI), PQ_11);
	assert_string_equal(t.last_log,
			    "XIVE: queued an event on LSI IRQ 4608");
	/* not asserted: the EOI forwards the queued event as for an MSI */
	assert_int_equal(ESB_LOAD(&t, ESB_MGMT(LSI)), 1);
	assert_int_equal(xt_pq(&t, LSI), PQ_10);
	assert_int_equal(lsi_events(&t), 2);
	xt_stop(&t);
}

/* The regions are mapped only while XIVE is the active controller. */
static void test_regions_mapped_when_active(void **state)
{
	struct xt t;
	uint64_t v;

	(void)state;
	/* dual: XICS until the guest asks for XIVE */
	xt_start(&t, "pseries-7.2", "2");
	assert_int_equal(spirq_mmio_load(t.m, 0, SPIRQ_REGION_ESB,
					 ESB_MGMT(0) + 0x800, 8, &v),
			 -SPIRQ_ERR_NOTFOUND);
	assert_int_equal(spirq_mmio_store(t.m, 0, SPIRQ_REGION_ESB,
					  ESB_TRIG(0), 8, 0),
			 -SPIRQ_ERR_NOTFOUND);
	assert_int_equal(spirq_mmio_load(t.m, 0, SPIRQ_REGION_TIMA,
					 TM_OS_RING, 8, &v),
			 -SPIRQ_ERR_NOTFOUND);
	assert_int_equal(spirq_mmio_store(t.m, 0, SPIRQ_REGION_TIMA,
					  TM_OS_CPPR, 1, 0xff),
			 -SPIRQ_ERR_NOTFOUND);
	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(xt_pq(&t, 0), PQ_01);
	assert_int_equal(xt_os_ring(&t, 1), 0x000000ffff0000ffull);
	xt_cas(&t, 0x00, SPIRQ_IC_MODE_XICS);
	assert_int_equal(spirq_mmio_load(t.m, 0, SPIRQ_REGION_ESB,
					 ESB_MGMT(0) + 0x800, 8, &v),
			 -SPIRQ_ERR_NOTFOUND);
	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(xt_pq(&t, 0), PQ_01);
	spirq_reset(t.m);
	assert_int_equal(spirq_mmio_load(t.m, 0, SPIRQ_REGION_ESB,
					 ESB_MGMT(0) + 0x800, 8, &v),
			 -SPIRQ_ERR_NOTFOUND);
	assert_int_equal(spirq_mmio_load(t.m, 0, SPIRQ_REGION_TIMA,
					 TM_OS_RING, 8, &v),
			 -SPIRQ_ERR_NOTFOUND);
	xt_stop(&t);

	/* XIVE only: active from the start, before CAS */
	xt_start(&t, "pseries-7.2,ic-mode=xive", "1");
	assert_int_equal(xt_pq(&t, 0), PQ_01);
	assert_int_equal(xt_os_ring(&t, 0), 0x000000ffff0000ffull);
	/* beyond the regions: unassigned */
	assert_int_equal(spirq_mmio_load(t.m, 0, SPIRQ_REGION_ESB,
					 (uint64_t)XT_NR_IRQS << 17, 8, &v),
			 -SPIRQ_ERR_NOTFOUND);
	assert_int_equal(spirq_mmio_load(t.m, 0, SPIRQ_REGION_TIMA, 0x40000,
					 8, &v), -SPIRQ_ERR_NOTFOUND);
	assert_int_equal(spirq_mmio_load(t.m, 0, SPIRQ_REGION_ESB,
					 ((uint64_t)XT_NR_IRQS << 17) - 8, 8,
					 &v), 0);
	/* bad size, vCPU not plugged */
	assert_int_equal(spirq_mmio_load(t.m, 0, SPIRQ_REGION_ESB,
					 ESB_MGMT(0), 3, &v), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_mmio_load(t.m, 1, SPIRQ_REGION_TIMA,
					 TM_OS_RING, 8, &v), -SPIRQ_ERR_INVAL);
	xt_stop(&t);

	/* no XIVE at all */
	xt_start(&t, "pseries-7.2,ic-mode=xics", "1");
	assert_int_equal(spirq_mmio_load(t.m, 0, SPIRQ_REGION_ESB,
					 ESB_MGMT(0), 8, &v),
			 -SPIRQ_ERR_NOTFOUND);
	assert_int_equal(spirq_mmio_store(t.m, 0, SPIRQ_REGION_TIMA,
					  TM_OS_CPPR, 1, 0xff),
			 -SPIRQ_ERR_NOTFOUND);
	xt_stop(&t);
}

/* Events of an unclaimed LISN are dropped by the router (EAS invalid). */
static void test_unclaimed_source(void **state)
{
	struct xt t;

	(void)state;
	setup_routed(&t);
	/* the PQ machine works on any LISN of the region */
	xt_set_pq(&t, 0x1234, PQ_00);
	ESB_STORE(&t, ESB_TRIG(0x1234));
	assert_int_equal(xt_pq(&t, 0x1234), PQ_10);
	assert_int_equal(events(&t), 0);
	assert_int_equal(RING_IPB(xt_os_ring(&t, 0)), 0);
	/* freed: same */
	assert_int_equal(spirq_irq_free(t.m, LISN), 0);
	xt_set_pq(&t, LISN, PQ_00);
	ESB_STORE(&t, ESB_TRIG(LISN));
	assert_int_equal(xt_pq(&t, LISN), PQ_10);
	assert_int_equal(events(&t), 0);
	xt_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pq_every_offset_and_state),
		cmocka_unit_test(test_trigger_reaches_tctx),
		cmocka_unit_test(test_ipi_to_other_vcpu),
		cmocka_unit_test(test_non_8_byte_accesses),
		cmocka_unit_test(test_unaligned_small),
		cmocka_unit_test(test_unaligned_8_byte_load),
		cmocka_unit_test(test_msi_device_line),
		cmocka_unit_test(test_lsi_levels),
		cmocka_unit_test(test_lsi_eoi_corner_cases),
		cmocka_unit_test(test_lsi_store_trigger),
		cmocka_unit_test(test_regions_mapped_when_active),
		cmocka_unit_test(test_unclaimed_source),
	};

	return cmocka_run_group_tests_name("xive-esb", tests, NULL, NULL);
}
