// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the sPAPR XIVE hcalls (H_INT_*): every output of a
 * successful call and every error path, in QEMU 7.2's order of checks
 * (H_FUNCTION before XIVE is negotiated, H_PARAMETER for reserved flags,
 * then the arguments in turn), QEMU's argument widths (priorities 8 bits,
 * targets 32 bits, LISNs and queue sizes 64 bits), and the deliberate
 * differences D1 (END index by dense vCPU index), D2 (H_INT_ESB inside
 * the management page), D3 (H_INT_RESET resets), D4 (queues in RAM) and
 * D6 (target of a masked, unrouted source).
 */
#include "test-xive.h"

#define H_SUCCESS	SPIRQ_H_SUCCESS
#define H_HARDWARE	SPIRQ_H_HARDWARE
#define H_FUNCTION	SPIRQ_H_FUNCTION
#define H_PARAMETER	SPIRQ_H_PARAMETER
#define H_P2		SPIRQ_H_P2
#define H_P3		SPIRQ_H_P3
#define H_P4		SPIRQ_H_P4
#define H_P5		SPIRQ_H_P5

#define GET_SOURCE_INFO		SPIRQ_H_INT_GET_SOURCE_INFO
#define SET_SOURCE_CONFIG	SPIRQ_H_INT_SET_SOURCE_CONFIG
#define GET_SOURCE_CONFIG	SPIRQ_H_INT_GET_SOURCE_CONFIG
#define GET_QUEUE_INFO		SPIRQ_H_INT_GET_QUEUE_INFO
#define SET_QUEUE_CONFIG	SPIRQ_H_INT_SET_QUEUE_CONFIG
#define GET_QUEUE_CONFIG	SPIRQ_H_INT_GET_QUEUE_CONFIG
#define SET_OS_REPORTING_LINE	SPIRQ_H_INT_SET_OS_REPORTING_LINE
#define GET_OS_REPORTING_LINE	SPIRQ_H_INT_GET_OS_REPORTING_LINE
#define INT_ESB			SPIRQ_H_INT_ESB
#define INT_SYNC		SPIRQ_H_INT_SYNC
#define INT_RESET		SPIRQ_H_INT_RESET

#define MSI	0x1000u
#define LSI	0x1200u
#define QADDR	0x100000ull
#define QADDR1	0x200000ull

#define VC_BASE		0x0006010000000000ull
#define ALL_ONES	0xffffffffffffffffull
#define NOT_WRITTEN	0x5a5a5a5a5a5a5a5aull
#define NO_TARGET	0xffffffffull	/* D6 */
#define END_0_TARGET	0xfffffc00ull	/* NVT 0 - 0x400, 32 bits */

/* END ESB page of an END index, as H_INT_GET_QUEUE_INFO answers it. */
#define END_ESB(idx)	(XT_END_BASE + ((uint64_t)(idx) << 17))

static const uint64_t xive_hcalls[] = {
	GET_SOURCE_INFO, SET_SOURCE_CONFIG, GET_SOURCE_CONFIG, GET_QUEUE_INFO,
	SET_QUEUE_CONFIG, GET_QUEUE_CONFIG, SET_OS_REPORTING_LINE,
	GET_OS_REPORTING_LINE, INT_ESB, INT_SYNC, INT_RESET,
};

/* Every H_INT_* hcall, with arguments that succeed once negotiated. */
static void assert_all_h_function(struct xt *t)
{
	size_t i;

	for (i = 0; i < sizeof(xive_hcalls) / sizeof(xive_hcalls[0]); i++) {
		uint64_t op = xive_hcalls[i];
		int64_t rc;

		if (op == SET_QUEUE_CONFIG)
			rc = HC(t, 0, op, 0, 0, 6, QADDR, 12);
		else if (op == GET_QUEUE_INFO || op == GET_QUEUE_CONFIG)
			rc = HC(t, 0, op, 0, 0, 6);
		else if (op == SET_SOURCE_CONFIG)
			rc = HC(t, 0, op, 0, 0, 0, 6, 0);
		else
			rc = HC(t, 0, op, 0, 0);
		if (rc != H_FUNCTION)
			fail_msg("%s: %lld", spirq_hcall_name(op),
				 (long long)rc);
		assert_int_equal(t->nrets, 0);
		assert_int_equal(t->rets[0], NOT_WRITTEN);
	}
}

static void test_h_function_until_negotiated(void **state)
{
	struct xt t;

	(void)state;
	/* dual: before CAS, after a CAS for XICS, after a reset */
	xt_start(&t, "pseries-7.2", "2");
	assert_all_h_function(&t);
	xt_cas(&t, 0x00, SPIRQ_IC_MODE_XICS);
	assert_all_h_function(&t);
	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, 0), H_SUCCESS);
	spirq_reset(t.m);
	assert_all_h_function(&t);
	xt_stop(&t);

	/* XIVE only: XIVE is active, yet the hcalls wait for CAS */
	xt_start(&t, "pseries-7.2,ic-mode=xive", "2");
	assert_all_h_function(&t);
	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, 0), H_SUCCESS);
	assert_int_equal(t.nrets, 4);
	/* the OS reporting line is not implemented */
	assert_int_equal(HC(&t, 0, SET_OS_REPORTING_LINE, 0, 0), H_FUNCTION);
	assert_int_equal(HC(&t, 0, GET_OS_REPORTING_LINE, 0), H_FUNCTION);
	assert_int_equal(HC(&t, 1, GET_OS_REPORTING_LINE, 1), H_FUNCTION);
	/* a vCPU that is not plugged */
	assert_int_equal(HC(&t, 2, GET_SOURCE_INFO, 0, 0), H_HARDWARE);
	xt_stop(&t);

	/* no XIVE */
	xt_start(&t, "pseries-7.2,ic-mode=xics", "1");
	assert_all_h_function(&t);
	xt_stop(&t);
}

/* Reserved flags: H_PARAMETER, before any other argument is looked at. */
static void test_h_parameter(void **state)
{
	static const uint64_t high = 0x8000000000000000ull;
	struct xt t;

	(void)state;
	xt_start_xive(&t, "2");
	xt_claim(&t, MSI, false);

	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 1, MSI), H_PARAMETER);
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, high, 0x5000),
			 H_PARAMETER);
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0x4, MSI, 0, 6, 0),
			 H_PARAMETER);
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, high | 0x3, 0x5000, 99,
			    0xff, 0), H_PARAMETER);
	assert_int_equal(HC(&t, 0, GET_SOURCE_CONFIG, 1, MSI), H_PARAMETER);
	assert_int_equal(HC(&t, 0, GET_SOURCE_CONFIG, 0x800, 0x3fff),
			 H_PARAMETER);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 1, 0, 6), H_PARAMETER);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, high, 99, 7), H_PARAMETER);
	assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 0x2, 0, 6, QADDR, 12),
			 H_PARAMETER);
	assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, high | 1, 99, 7, 1, 13),
			 H_PARAMETER);
	assert_int_equal(HC(&t, 0, GET_QUEUE_CONFIG, 0x2, 0, 6), H_PARAMETER);
	assert_int_equal(HC(&t, 0, GET_QUEUE_CONFIG, high, 99, 7),
			 H_PARAMETER);
	assert_int_equal(HC(&t, 0, INT_ESB, 0x2, MSI, 0x800, 0), H_PARAMETER);
	assert_int_equal(HC(&t, 0, INT_ESB, high, 0x5000, 0x20000, 0),
			 H_PARAMETER);
	assert_int_equal(HC(&t, 0, INT_SYNC, 1, MSI), H_PARAMETER);
	assert_int_equal(HC(&t, 0, INT_RESET, 1), H_PARAMETER);
	assert_int_equal(HC(&t, 0, INT_RESET, high), H_PARAMETER);
	assert_int_equal(t.rets[0], NOT_WRITTEN);
	/* the defined flags are accepted */
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0x3, MSI, 0, 0xff, 0),
			 H_SUCCESS);
	assert_int_equal(HC(&t, 0, GET_QUEUE_CONFIG, 1, 0, 6), H_SUCCESS);
	assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 1, 0, 6, 0, 0),
			 H_SUCCESS);
	assert_int_equal(HC(&t, 0, INT_ESB, 1, MSI, 0xc00, 0), H_SUCCESS);
	xt_stop(&t);
}

/* LISN checks: beyond the sources (64-bit compare), or not claimed. */
static void test_lisn_checks(void **state)
{
	static const uint64_t bad[] = {
		0x1001,			/* external, not claimed */
		2,			/* IPI beyond nr_ipis (2 vCPUs) */
		0x1fff,			/* last source, not claimed */
		XT_NR_IRQS,		/* beyond */
		0x100001000ull,		/* no truncation to 32 bits */
		ALL_ONES,
		MSI,			/* after it is freed, below */
	};
	struct xt t;
	size_t i;

	(void)state;
	xt_start_xive(&t, "2");
	xt_claim(&t, MSI, false);
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, MSI), H_SUCCESS);
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, 0), H_SUCCESS);
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, 1), H_SUCCESS);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t lisn = bad[i];

		if (lisn == MSI)
			assert_int_equal(spirq_irq_free(t.m, MSI), 0);
		assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, lisn), H_P2);
		/* before the priority (H_P4) and target (H_P3) checks */
		assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0, lisn, 99, 7,
				    0), H_P2);
		assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0, lisn, 0, 0xff,
				    0), H_P2);
		assert_int_equal(HC(&t, 0, GET_SOURCE_CONFIG, 0, lisn), H_P2);
		/* before the offset check (H_P3) */
		assert_int_equal(HC(&t, 0, INT_ESB, 0, lisn, 0x20000, 0), H_P2);
		assert_int_equal(HC(&t, 0, INT_ESB, 1, lisn, 0x800, 0), H_P2);
		assert_int_equal(HC(&t, 0, INT_SYNC, 0, lisn), H_P2);
		assert_int_equal(t.nrets, 0);
	}
	xt_stop(&t);
}

static void test_get_source_info(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "2");
	xt_claim(&t, MSI, false);
	xt_claim(&t, LSI, true);
	/* MSI: 2-page ESB, management (EOI) page, trigger page, shift 16 */
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, MSI), H_SUCCESS);
	assert_int_equal(t.nrets, 4);
	assert_int_equal(t.rets[0], 0);
	assert_int_equal(t.rets[1], VC_BASE + 0x20010000ull);
	assert_int_equal(t.rets[2], VC_BASE + 0x20000000ull);
	assert_int_equal(t.rets[3], 16);
	/* IPI 1 */
	assert_int_equal(HC(&t, 1, GET_SOURCE_INFO, 0, 1), H_SUCCESS);
	assert_int_equal(t.rets[0], 0);
	assert_int_equal(t.rets[1], VC_BASE + 0x30000);
	assert_int_equal(t.rets[2], VC_BASE + 0x20000);
	assert_int_equal(t.rets[3], 16);
	/* LSI: H_INT_ESB | LSI, no pages */
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, LSI), H_SUCCESS);
	assert_int_equal(t.nrets, 4);
	assert_int_equal(t.rets[0], 0xc);
	assert_int_equal(t.rets[1], ALL_ONES);
	assert_int_equal(t.rets[2], ALL_ONES);
	assert_int_equal(t.rets[3], 16);
	/* the LSI type outlives the claim, as in QEMU */
	assert_int_equal(spirq_irq_free(t.m, LSI), 0);
	xt_claim(&t, LSI, false);
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, LSI), H_SUCCESS);
	assert_int_equal(t.rets[0], 0xc);
	xt_stop(&t);
}

static void assert_source_config(struct xt *t, uint32_t lisn,
				 uint64_t target, uint64_t prio, uint64_t eisn)
{
	assert_int_equal(HC(t, 0, GET_SOURCE_CONFIG, 0, lisn), H_SUCCESS);
	assert_int_equal(t->nrets, 3);
	assert_int_equal(t->rets[0], target);
	assert_int_equal(t->rets[1], prio);
	assert_int_equal(t->rets[2], eisn);
}

static void test_set_get_source_config(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "2");
	xt_claim(&t, MSI, false);
	xt_claim(&t, LSI, true);
	xt_queue(&t, 1, 5, QADDR, 12, true);
	xt_set_cppr(&t, 1, 0xff);

	/* D6: claimed, never configured: masked, routed nowhere */
	assert_source_config(&t, MSI, NO_TARGET, 0xff, 0);
	assert_source_config(&t, LSI, NO_TARGET, 0xff, 0);
	assert_source_config(&t, 0, NO_TARGET, 0xff, 0);

	/* EISN is 31 bits */
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, SRC_SET_EISN, MSI, 1, 5,
			    0xffffffffull), H_SUCCESS);
	assert_int_equal(t.nrets, 0);
	assert_source_config(&t, MSI, 1, 5, 0x7fffffff);
	/* without SET_EISN the EISN is kept */
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, SRC_MASK, MSI, 1, 5, 3),
			 H_SUCCESS);
	assert_source_config(&t, MSI, 1, 0xff, 0x7fffffff);
	/*
	 * unmasked, to an END without a queue: QEMU reads that END as it is
	 * (NVT 0, priority 0); D6 covers masked sources only
	 */
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0, MSI, 0, 3, 0),
			 H_SUCCESS);
	assert_source_config(&t, MSI, END_0_TARGET, 0, 0x7fffffff);
	/* priority 0xff: masked, routing and EISN dropped (D6 answer) */
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, SRC_SET_EISN, MSI, 1,
			    0xff, 9), H_SUCCESS);
	assert_source_config(&t, MSI, NO_TARGET, 0xff, 0);
	/* ... whatever the target, which is not looked at */
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0, MSI, 99, 0xff, 0),
			 H_SUCCESS);
	assert_source_config(&t, MSI, NO_TARGET, 0xff, 0);

	/* priorities are 8 bits: 0x105 is 5 ... */
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, SRC_SET_EISN, MSI, 1,
			    0x105, 7), H_SUCCESS);
	assert_source_config(&t, MSI, 1, 5, 7);
	xt_set_pq(&t, MSI, 0);
	ESB_STORE(&t, ESB_TRIG(MSI));
	assert_int_equal(xt_eq(&t, QADDR, 0), 0x80000007u);
	assert_int_equal(RING_IPB(xt_os_ring(&t, 1)), 0x04);
	assert_int_equal(t.line[1], 1);
	/* ... 7, 0x107 and 0x1ff are reserved (0xff is special only whole) */
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0, MSI, 1, 7, 0), H_P4);
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0, MSI, 1, 0x107, 0),
			 H_P4);
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0, MSI, 1, 0x1ff, 0),
			 H_P4);
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0, MSI, 1, 0xfe, 0),
			 H_P4);
	/* the priority is checked before the target */
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0, MSI, 99, 7, 0), H_P4);
	/* targets: vCPU ids of plugged vCPUs, 32 bits */
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0, MSI, 2, 5, 0), H_P3);
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0, MSI, 0xffffffffull, 5,
			    0), H_P3);
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0, MSI, 0x400, 5, 0),
			 H_P3);
	/* a refused call changes nothing */
	assert_source_config(&t, MSI, 1, 5, 7);
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, SRC_MASK, MSI,
			    0x100000001ull, 5, 0), H_SUCCESS);
	assert_source_config(&t, MSI, 1, 0xff, 7);
	/* masked: a trigger is lost, the source PQ still moves */
	xt_set_pq(&t, MSI, 0);
	ESB_STORE(&t, ESB_TRIG(MSI));
	assert_int_equal(xt_pq(&t, MSI), 2);
	assert_int_equal(xt_qindex(&t, 1, 5, NULL), 1);
	xt_stop(&t);
}

/* A claim marks the EAS valid and masked, keeping an old routing. */
static void test_reclaim_keeps_routing(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "2");
	xt_claim(&t, MSI, false);
	xt_queue(&t, 1, 4, QADDR, 12, true);
	xt_route(&t, MSI, 1, 4, 0x33);
	assert_int_equal(spirq_irq_free(t.m, MSI), 0);
	assert_int_equal(HC(&t, 0, GET_SOURCE_CONFIG, 0, MSI), H_P2);
	xt_claim(&t, MSI, false);
	assert_source_config(&t, MSI, 1, 0xff, 0x33);
	assert_int_equal(HC(&t, 0, SET_SOURCE_CONFIG, 0, MSI, 1, 4, 0),
			 H_SUCCESS);
	assert_source_config(&t, MSI, 1, 4, 0x33);
	xt_stop(&t);
}

static void test_get_queue_info(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "2");
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 0, 6), H_SUCCESS);
	assert_int_equal(t.nrets, 2);
	assert_int_equal(t.rets[0], END_ESB(6));
	assert_int_equal(t.rets[0], 0x60100400c0000ull);
	assert_int_equal(t.rets[1], 0);
	assert_int_equal(HC(&t, 1, GET_QUEUE_INFO, 0, 1, 0), H_SUCCESS);
	assert_int_equal(t.rets[0], END_ESB(8));
	assert_int_equal(t.rets[1], 0);
	xt_queue(&t, 1, 0, 0x10000, 16, false);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 1, 0), H_SUCCESS);
	assert_int_equal(t.rets[0], END_ESB(8));
	assert_int_equal(t.rets[1], 16);
	/* 8-bit priority, 32-bit target */
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 0x100000001ull, 0x300),
			 H_SUCCESS);
	assert_int_equal(t.rets[0], END_ESB(8));
	assert_int_equal(t.rets[1], 16);
	/* reserved priority: H_P3, checked before the target: H_P2 */
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 0, 7), H_P3);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 0, 0x107), H_P3);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 0, 0xff), H_P3);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 99, 7), H_P3);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 2, 6), H_P2);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 0x400, 6), H_P2);
	assert_int_equal(t.nrets, 0);
	xt_stop(&t);
}

static void assert_queue_config(struct xt *t, uint32_t target, uint64_t prio,
				uint64_t flags, uint64_t qpage, uint64_t qsize)
{
	assert_int_equal(HC(t, 0, GET_QUEUE_CONFIG, 0, target, prio),
			 H_SUCCESS);
	assert_int_equal(t->nrets, 4);
	assert_int_equal(t->rets[0], flags);
	assert_int_equal(t->rets[1], qpage);
	assert_int_equal(t->rets[2], qsize);
	assert_int_equal(t->rets[3], 0);
}

static void test_set_queue_config(void **state)
{
	static const struct {
		uint64_t qpage;
		uint64_t qsize;
	} good[] = {
		{ 0x1000, 12 }, { 0x0, 12 }, { 0x10000, 16 },
		{ 0x200000, 21 }, { 0x1000000, 24 },
		{ XT_RAM_SIZE - 0x1000, 12 }, { XT_RAM_SIZE - 0x10000, 16 },
		{ XT_RAM_SIZE - 0x200000, 21 }, { XT_RAM_SIZE - 0x1000000, 24 },
	};
	static const uint64_t bad_sizes[] = {
		1, 11, 13, 15, 17, 20, 22, 23, 25, 32, 64, 0x10000000cull,
		ALL_ONES,
	};
	static const struct {
		uint64_t qpage;
		uint64_t qsize;
	} bad_pages[] = {
		/* not naturally aligned */
		{ 0x1800, 12 }, { 0x1004, 12 }, { 0x1000, 16 },
		{ 0x10000, 21 }, { 0x200000, 24 },
		/* D4: not inside guest RAM */
		{ XT_RAM_SIZE, 12 }, { XT_RAM_SIZE, 16 },
		{ XT_RAM_SIZE + 0x1000000, 24 }, { 1ull << 40, 12 },
		{ 0xf000000000000000ull, 12 },
	};
	struct xt t;
	size_t i;

	(void)state;
	xt_start_xive(&t, "2");
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, END_ALWAYS_NOTIFY,
				    1, 2, good[i].qpage, good[i].qsize),
				 H_SUCCESS);
		assert_int_equal(t.nrets, 0);
		assert_queue_config(&t, 1, 2, 1, good[i].qpage, good[i].qsize);
		assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 1, 2), H_SUCCESS);
		assert_int_equal(t.rets[1], good[i].qsize);
	}
	/* without ALWAYS_NOTIFY */
	xt_queue(&t, 1, 2, 0x3000, 12, false);
	assert_queue_config(&t, 1, 2, 0, 0x3000, 12);

	/* the size is checked first (H_P5), then the page (H_P4) */
	for (i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
		assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 0, 1, 2, 0x3000,
				    bad_sizes[i]), H_P5);
		assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 0, 1, 2, 0x1801,
				    bad_sizes[i]), H_P5);
	}
	for (i = 0; i < sizeof(bad_pages) / sizeof(bad_pages[0]); i++)
		assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 0, 1, 2,
				    bad_pages[i].qpage, bad_pages[i].qsize),
				 H_P4);
	/* refused calls left the END as it was */
	assert_queue_config(&t, 1, 2, 0, 0x3000, 12);

	/* priority (H_P3), then target (H_P2), then the queue */
	assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 0, 1, 7, 0x3000, 12),
			 H_P3);
	assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 0, 99, 0x2ff, 1, 13),
			 H_P3);
	assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 0, 2, 2, 1, 13), H_P2);
	assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 0, 0xffffffffull, 2,
			    0x3000, 12), H_P2);
	/* 8-bit priority, 32-bit target */
	assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 0, 0x100000000ull, 0x106,
			    0x4000, 12), H_SUCCESS);
	assert_queue_config(&t, 0, 6, 0, 0x4000, 12);

	/* size 0 resets the END, whatever the page */
	assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 0, 1, 2, 0x1801, 0),
			 H_SUCCESS);
	assert_queue_config(&t, 1, 2, 0, 0, 0);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 1, 2), H_SUCCESS);
	assert_int_equal(t.rets[1], 0);
	assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 1, 1, 2, ALL_ONES, 0),
			 H_SUCCESS);
	assert_queue_config(&t, 1, 2, 0, 0, 0);
	xt_stop(&t);
}

/*
 * D4 at the end of RAM.  QEMU's pseries RAM is a multiple of 256 MiB (from
 * pseries-2.5), so a naturally aligned queue never straddles the end: the
 * last queue of each size fits, the next one is outside.
 */
static void test_queue_across_ram_end(void **state)
{
	struct xt t;

	(void)state;
	xt_start_mem(&t, "pseries-7.2,ic-mode=xive", "1", "256M");
	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 0, 0, 6, 256ull << 20, 12),
			 H_P4);
	assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 0, 0, 6,
			    (256ull << 20) - 0x10000, 16), H_SUCCESS);
	assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 0, 0, 6,
			    (256ull << 20) - 0x200000, 21), H_SUCCESS);
	assert_int_equal(HC(&t, 0, SET_QUEUE_CONFIG, 0, 0, 6,
			    (256ull << 20) - (16ull << 20), 24), H_SUCCESS);
	xt_stop(&t);
}

static void test_get_queue_config_debug(void **state)
{
	struct xt t;
	unsigned i;

	(void)state;
	xt_start_xive(&t, "2");
	xt_claim(&t, MSI, false);
	/* a reset END: no queue, generation 0 */
	assert_int_equal(HC(&t, 0, GET_QUEUE_CONFIG, END_DEBUG, 0, 3),
			 H_SUCCESS);
	assert_int_equal(t.nrets, 4);
	assert_int_equal(t.rets[0], 0);
	assert_int_equal(t.rets[1], 0);
	assert_int_equal(t.rets[2], 0);
	assert_int_equal(t.rets[3], 0);
	/* a new queue: generation 1 (R4 bit 1), index 0 */
	xt_queue(&t, 0, 3, QADDR, 12, false);
	assert_int_equal(HC(&t, 0, GET_QUEUE_CONFIG, END_DEBUG, 0, 3),
			 H_SUCCESS);
	assert_int_equal(t.rets[0], 0x4000000000000000ull);
	assert_int_equal(t.rets[1], QADDR);
	assert_int_equal(t.rets[2], 12);
	assert_int_equal(t.rets[3], 0);
	xt_route(&t, MSI, 0, 3, 0x99);
	for (i = 0; i < 5; i++)
		ESB_STORE(&t, ESB_MGMT(MSI) + 0x800);	/* inject */
	assert_int_equal(HC(&t, 0, GET_QUEUE_CONFIG, END_DEBUG, 0, 3),
			 H_SUCCESS);
	assert_int_equal(t.rets[0], 0x4000000000000000ull);
	assert_int_equal(t.rets[3], 5);
	/* without DEBUG: neither generation nor index */
	assert_queue_config(&t, 0, 3, 0, QADDR, 12);
	/* with ALWAYS_NOTIFY: bit 63 too; a new configuration restarts */
	xt_queue(&t, 0, 3, QADDR, 12, true);
	assert_int_equal(HC(&t, 0, GET_QUEUE_CONFIG, END_DEBUG, 0, 3),
			 H_SUCCESS);
	assert_int_equal(t.rets[0], 0x4000000000000001ull);
	assert_int_equal(t.rets[3], 0);
	/* errors */
	assert_int_equal(HC(&t, 0, GET_QUEUE_CONFIG, 0, 0, 7), H_P3);
	assert_int_equal(HC(&t, 0, GET_QUEUE_CONFIG, 0, 99, 0x7), H_P3);
	assert_int_equal(HC(&t, 0, GET_QUEUE_CONFIG, 1, 2, 0), H_P2);
	assert_int_equal(HC(&t, 0, GET_QUEUE_CONFIG, 1, 0x1000000000ull, 0),
			 H_SUCCESS);
	xt_stop(&t);
}

/* D2: H_INT_ESB reaches the management page only, architected values. */
static void test_h_int_esb(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "2");
	xt_claim(&t, MSI, false);
	xt_queue(&t, 0, 6, QADDR, 12, true);
	xt_route(&t, MSI, 0, 6, MSI);

	/* loads: GET, SET_PQ, EOI */
	assert_int_equal(HC(&t, 0, INT_ESB, 0, MSI, 0x800, 0), H_SUCCESS);
	assert_int_equal(t.nrets, 1);
	assert_int_equal(t.rets[0], 1);			/* PQ 01 */
	assert_int_equal(HC(&t, 0, INT_ESB, 0, MSI, 0xc00, 0), H_SUCCESS);
	assert_int_equal(t.rets[0], 1);
	assert_int_equal(xt_pq(&t, MSI), 0);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, MSI, 0xf00, 0), H_SUCCESS);
	assert_int_equal(t.rets[0], 0);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, MSI, 0x000, 0), H_SUCCESS);
	assert_int_equal(t.rets[0], 1);		/* 11: forwarded */
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 1);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, MSI, 0x400, 0), H_SUCCESS);
	assert_int_equal(t.rets[0], 0);			/* 10 -> 00 */
	/* stores answer -1: trigger, Store EOI (ignored), inject */
	assert_int_equal(HC(&t, 0, INT_ESB, ESB_FLAG_STORE, MSI, 0, 0x1234),
			 H_SUCCESS);
	assert_int_equal(t.nrets, 1);
	assert_int_equal(t.rets[0], ALL_ONES);
	assert_int_equal(xt_pq(&t, MSI), 2);
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 2);
	assert_int_equal(HC(&t, 0, INT_ESB, ESB_FLAG_STORE, MSI, 0x400, 0),
			 H_SUCCESS);
	assert_int_equal(xt_pq(&t, MSI), 2);
	assert_int_equal(HC(&t, 0, INT_ESB, ESB_FLAG_STORE, MSI, 0x800, 0),
			 H_SUCCESS);
	assert_int_equal(xt_pq(&t, MSI), 2);
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 3);
	assert_int_equal(HC(&t, 0, INT_ESB, ESB_FLAG_STORE, MSI, 0xd00, 0),
			 H_SUCCESS);
	assert_int_equal(xt_pq(&t, MSI), 1);
	/* offset & 0xfff selects the operation; the last 8 bytes are in */
	assert_int_equal(HC(&t, 0, INT_ESB, 0, MSI, 0x1c00, 0), H_SUCCESS);
	assert_int_equal(t.rets[0], 1);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, MSI, 0xfff8, 0), H_SUCCESS);
	assert_int_equal(t.rets[0], 0);
	assert_int_equal(xt_pq(&t, MSI), 3);

	/* D2: offset + 8 beyond the management page: H_P3 */
	assert_int_equal(HC(&t, 0, INT_ESB, 0, MSI, 0xfff9, 0), H_P3);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, MSI, 0xfffc, 0), H_P3);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, MSI, 0x10000, 0), H_P3);
	assert_int_equal(HC(&t, 0, INT_ESB, 1, MSI, 0x10000, 0), H_P3);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, MSI, 0x20000, 0), H_P3);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, MSI, ALL_ONES, 0), H_P3);
	/* not 8-byte aligned: the pieces are refused, H_HARDWARE */
	assert_int_equal(HC(&t, 0, INT_ESB, 0, MSI, 0xc04, 0), H_HARDWARE);
	assert_int_equal(HC(&t, 0, INT_ESB, 1, MSI, 0x001, 0), H_HARDWARE);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, MSI, 0xfff0 + 2, 0),
			 H_HARDWARE);
	assert_int_equal(t.nrets, 0);
	assert_int_equal(xt_pq(&t, MSI), 3);
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 3);
	xt_stop(&t);
}

/* The LSI path Linux uses: H_INT_ESB for EOI, re-firing while asserted. */
static void test_h_int_esb_lsi(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "1");
	xt_claim(&t, LSI, true);
	xt_queue(&t, 0, 6, QADDR, 12, true);
	xt_route(&t, LSI, 0, 6, LSI);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, LSI, 0xc00, 0), H_SUCCESS);
	assert_int_equal(spirq_set_irq(t.m, LSI, 1), 0);
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 1);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, LSI, 0x000, 0), H_SUCCESS);
	assert_int_equal(t.rets[0], 1);
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 2);
	assert_int_equal(spirq_set_irq(t.m, LSI, 0), 0);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, LSI, 0x000, 0), H_SUCCESS);
	assert_int_equal(t.rets[0], 0);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, LSI, 0x800, 0), H_SUCCESS);
	assert_int_equal(t.rets[0], 0);
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 2);
	xt_stop(&t);
}

static void test_h_int_sync(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "1");
	xt_claim(&t, LSI, true);
	assert_int_equal(HC(&t, 0, INT_SYNC, 0, LSI), H_SUCCESS);
	assert_int_equal(t.nrets, 0);
	assert_int_equal(HC(&t, 0, INT_SYNC, 0, 0), H_SUCCESS);
	assert_int_equal(HC(&t, 0, INT_SYNC, 0, 1), H_P2);
	assert_int_equal(HC(&t, 0, INT_SYNC, 0, MSI), H_P2);
	assert_int_equal(HC(&t, 0, INT_SYNC, 2, LSI), H_PARAMETER);
	xt_stop(&t);
}

/*
 * D3: H_INT_RESET resets the routing as a machine reset does (every
 * claimed EAS valid and masked, ENDs reset, every PQ 01) but keeps the
 * claims, the thread contexts, the asserted LSI levels and the
 * negotiated mode.  (QEMU 7.2 does nothing.)
 */
static void test_h_int_reset(void **state)
{
	struct xt t;
	uint64_t ring0, ring1;

	(void)state;
	xt_start_xive(&t, "2");
	xt_claim(&t, MSI, false);
	xt_claim(&t, LSI, true);
	xt_queue(&t, 0, 6, QADDR, 12, true);
	xt_queue(&t, 1, 5, QADDR1, 16, true);
	xt_set_cppr(&t, 0, 0xff);
	xt_set_cppr(&t, 1, 3);
	xt_route(&t, MSI, 0, 6, 0x10);
	xt_route(&t, LSI, 1, 5, 0x20);
	xt_set_pq(&t, MSI, 0);
	xt_set_pq(&t, LSI, 0);
	xt_set_pq(&t, 0x1234, 0);
	ESB_STORE(&t, ESB_TRIG(MSI));
	assert_int_equal(spirq_set_irq(t.m, LSI, 1), 0);
	ring0 = xt_os_ring(&t, 0);
	ring1 = xt_os_ring(&t, 1);
	assert_int_equal(ring0, 0x80ff02ffff000006ull);	/* 6 signalled */
	assert_int_equal(ring1, 0x000304ffff000005ull);	/* 5 > CPPR 3 */
	assert_int_equal(t.line[0], 1);

	assert_int_equal(HC(&t, 1, INT_RESET, 0), H_SUCCESS);
	assert_int_equal(t.nrets, 0);

	/* routing reset */
	assert_source_config(&t, MSI, NO_TARGET, 0xff, 0);
	assert_source_config(&t, LSI, NO_TARGET, 0xff, 0);
	assert_queue_config(&t, 0, 6, 0, 0, 0);
	assert_queue_config(&t, 1, 5, 0, 0, 0);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 1, 5), H_SUCCESS);
	assert_int_equal(t.rets[1], 0);
	/* every source off */
	assert_int_equal(xt_pq(&t, MSI), 1);
	assert_int_equal(xt_pq(&t, LSI), 1);
	assert_int_equal(xt_pq(&t, 0), 1);
	assert_int_equal(xt_pq(&t, 0x1234), 1);
	/* claims kept, unclaimed stay unclaimed */
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, MSI), H_SUCCESS);
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, LSI), H_SUCCESS);
	assert_int_equal(t.rets[0], 0xc);
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, 1), H_SUCCESS);
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, 0x1234), H_P2);
	/* thread contexts and the line untouched */
	assert_int_equal(xt_os_ring(&t, 0), ring0);
	assert_int_equal(xt_os_ring(&t, 1), ring1);
	assert_int_equal(t.line[0], 1);
	/* the LSI is still asserted */
	xt_info_pic(&t);
	assert_pic_line(&t, "  00001200 LSI -QA M 00000000");
	assert_pic_line(&t, "  00001000 MSI -Q  M 00000000");

	/* the guest sets up again: the asserted LSI fires at its EOI */
	xt_queue(&t, 1, 5, QADDR1, 16, true);
	xt_route(&t, LSI, 1, 5, 0x21);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, LSI, 0xc00, 0), H_SUCCESS);
	assert_int_equal(xt_qindex(&t, 1, 5, NULL), 0);
	assert_int_equal(HC(&t, 0, INT_ESB, 0, LSI, 0x000, 0), H_SUCCESS);
	assert_int_equal(t.rets[0], 1);
	assert_int_equal(xt_qindex(&t, 1, 5, NULL), 1);
	assert_int_equal(xt_eq(&t, QADDR1, 0), 0x80000021u);
	xt_stop(&t);
}

/*
 * D1: from pseries-6.0 the END table has a slot per dense vCPU index,
 * whatever vsmt: END index = cpu_index * 8 + priority.  Before, QEMU's
 * vCPU id * 8 + priority.  The guest still names vCPUs by id.
 */
static void test_d1_end_index(void **state)
{
	struct xt t;

	(void)state;
	/* vsmt 8, 1 thread per core: vCPU ids 0, 8, (16, 24) */
	xt_start(&t, "pseries-7.2,vsmt=8", "2,maxcpus=4");
	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 8, 6), H_SUCCESS);
	assert_int_equal(t.rets[0], END_ESB(1 * 8 + 6));
	assert_int_equal(t.rets[0], 0x60100401c0000ull);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 0, 6), H_SUCCESS);
	assert_int_equal(t.rets[0], END_ESB(6));
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 1, 6), H_P2);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 16, 6), H_P2);
	/* IPIs: one per possible vCPU */
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, 3), H_SUCCESS);
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, 4), H_P2);
	/* a hot-plugged vCPU: id 16, index 2 */
	assert_int_equal(spirq_cpu_plug(t.m, 2, NULL), 0);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 16, 6), H_SUCCESS);
	assert_int_equal(t.rets[0], END_ESB(2 * 8 + 6));
	/* delivery by vCPU id */
	xt_queue(&t, 8, 6, QADDR, 12, true);
	xt_set_cppr(&t, 1, 0xff);
	xt_route(&t, 2, 8, 6, 2);
	assert_source_config(&t, 2, 8, 6, 2);
	xt_set_pq(&t, 2, 0);
	ESB_STORE(&t, ESB_TRIG(2));
	assert_int_equal(t.line[1], 1);
	assert_int_equal(xt_eq(&t, QADDR, 0), 0x80000002u);
	assert_int_equal(xt_ack(&t, 1), 0x8006);
	xt_stop(&t);

	/* pseries-5.2: as QEMU, sized and indexed by vCPU id */
	xt_start(&t, "pseries-5.2,vsmt=8", "2,maxcpus=4");
	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 8, 6), H_SUCCESS);
	assert_int_equal(t.rets[0], END_ESB(8 * 8 + 6));
	assert_int_equal(t.rets[0], 0x60100408c0000ull);
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, 31), H_SUCCESS);
	assert_int_equal(HC(&t, 0, GET_SOURCE_INFO, 0, 32), H_P2);
	assert_int_equal(spirq_cpu_plug(t.m, 3, NULL), 0);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 24, 5), H_SUCCESS);
	assert_int_equal(t.rets[0], END_ESB(24 * 8 + 5));
	xt_stop(&t);

	/* vsmt = threads: ids are the indexes, both rules agree */
	xt_start(&t, "pseries-7.2", "4");
	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(HC(&t, 0, GET_QUEUE_INFO, 0, 3, 1), H_SUCCESS);
	assert_int_equal(t.rets[0], END_ESB(3 * 8 + 1));
	xt_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_h_function_until_negotiated),
		cmocka_unit_test(test_h_parameter),
		cmocka_unit_test(test_lisn_checks),
		cmocka_unit_test(test_get_source_info),
		cmocka_unit_test(test_set_get_source_config),
		cmocka_unit_test(test_reclaim_keeps_routing),
		cmocka_unit_test(test_get_queue_info),
		cmocka_unit_test(test_set_queue_config),
		cmocka_unit_test(test_queue_across_ram_end),
		cmocka_unit_test(test_get_queue_config_debug),
		cmocka_unit_test(test_h_int_esb),
		cmocka_unit_test(test_h_int_esb_lsi),
		cmocka_unit_test(test_h_int_sync),
		cmocka_unit_test(test_h_int_reset),
		cmocka_unit_test(test_d1_end_index),
	};

	return cmocka_run_group_tests_name("xive-hcall", tests, NULL, NULL);
}
