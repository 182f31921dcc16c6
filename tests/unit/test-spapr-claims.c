// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the claim registry shared by both controllers, device
 * lines on claimed and unclaimed sources, and the MSI block allocator
 * (ibm,change-msi).
 *
 * Claims follow QEMU 7.2 ("IRQ %d is not free"; a freed XICS source is
 * cleared, priority 0; a freed XIVE source keeps its routing and its LSI
 * type).  The allocator is first fit over 0x1300..0x1fff with MSI-X
 * blocks 2-aligned as in QEMU and multi-message MSI blocks aligned to
 * their power-of-two size (spirq's fix of QEMU's inverted flag); legacy
 * machine types allocate among the free sources of 0x1000..0x13ff.
 */
#include "test-spapr-harness.h"

/* ---- claims -------------------------------------------------------------- */

static void test_double_claim(void **state)
{
	spirq_error err;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2", "-m", "256M",
				       NULL);

	assert_int_equal(spirq_irq_claim(m, 0x1100, false, &err), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1100, false, &err),
			 -SPIRQ_ERR_BUSY);
	assert_int_equal(err.code, SPIRQ_ERR_BUSY);
	assert_string_equal(err.message, "IRQ 4352 is not free");
	/* the type does not matter */
	assert_int_equal(spirq_irq_claim(m, 0x1100, true, &err),
			 -SPIRQ_ERR_BUSY);
	assert_string_equal(err.message, "IRQ 4352 is not free");
	/* the first claim is intact: still an MSI */
	assert_true(pic_has(m, "  1100 MSI ff 00"));
	assert_int_equal(spirq_irq_claim(m, 0x1fff, true, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1fff, true, NULL),
			 -SPIRQ_ERR_BUSY);
	machine_free(&h, m);
}

static void test_out_of_range(void **state)
{
	spirq_error err;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2", "-m", "256M",
				       NULL);

	assert_int_equal(spirq_irq_claim(m, 0xfff, false, &err),
			 -SPIRQ_ERR_INVAL);
	assert_string_equal(err.message,
			    "IRQ 4095 is outside the external sources 0x1000..0x1fff");
	/* the XIVE IPIs are the machine's, never a device's */
	assert_int_equal(spirq_irq_claim(m, 0, false, NULL), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_irq_claim(m, 0x2000, false, &err),
			 -SPIRQ_ERR_INVAL);
	assert_string_equal(err.message,
			    "IRQ 8192 is outside the external sources 0x1000..0x1fff");
	assert_int_equal(spirq_irq_claim(m, 0xffffffff, true, NULL),
			 -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_irq_free(m, 0xfff), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_irq_free(m, 0x2000), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_set_irq(m, 0x2000, 1), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_set_irq(m, 1, 1), -SPIRQ_ERR_INVAL);
	machine_free(&h, m);

	/* legacy machine types have 0x400 external sources */
	m = machine_new(&h, "-M", "pseries-3.0", "-m", "256M", NULL);
	assert_int_equal(spirq_irq_claim(m, 0x13ff, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1400, false, &err),
			 -SPIRQ_ERR_INVAL);
	assert_string_equal(err.message,
			    "IRQ 5120 is outside the external sources 0x1000..0x13ff");
	assert_true(pic_has(m, "ICS 1000..13ff 0x1"));
	machine_free(&h, m);
}

static void test_set_irq_unclaimed(void **state)
{
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2", "-m", "256M",
				       NULL);

	assert_int_equal(spirq_set_irq(m, 0x1100, 1), -SPIRQ_ERR_NOTFOUND);
	assert_false(pic_has(m, "  1100 MSI ff 08"));
	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);
	assert_true(pic_has(m, "  1100 MSI ff 08"));
	assert_int_equal(spirq_irq_free(m, 0x1100), 0);
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), -SPIRQ_ERR_NOTFOUND);
	machine_free(&h, m);
}

/*
 * Free then claim again.  XICS: QEMU clears the whole source, so the new
 * claim finds server 0 and priority 0.  XIVE: the EAS keeps its routing
 * and EISN, masked; an LSI stays an LSI.
 */
static void test_free_and_claim_again(void **state)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	uint32_t server, prio;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2", "-smp", "2",
				       "-m", "256M", NULL);

	assert_int_equal(spirq_irq_free(m, 0x1100), 0);	/* never claimed */
	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1200, true, NULL), 0);
	assert_int_equal(set_xive(m, 0x1100, 1, 5), 0);
	assert_int_equal(spirq_set_irq(m, 0x1200, 1), 0);
	assert_true(pic_has(m, "  1200 LSI ff 01"));

	assert_int_equal(spirq_irq_free(m, 0x1100), 0);
	assert_int_equal(spirq_irq_free(m, 0x1200), 0);
	assert_false(pic_has(m, "  1100 MSI 05 00"));
	/* freed sources leave "info pic" */
	assert_false(pic_has(m, "  1200 LSI ff 01"));
	assert_int_equal(spirq_irq_free(m, 0x1200), 0);	/* twice */

	/* claimed again, the other way round */
	assert_int_equal(spirq_irq_claim(m, 0x1100, true, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1200, false, NULL), 0);
	assert_true(pic_has(m, "  1100 LSI 00 00"));
	assert_true(pic_has(m, "  1200 MSI 00 00"));
	assert_int_equal(get_xive(m, 0x1100, &server, &prio), 0);
	assert_int_equal(server, 0);
	assert_int_equal(prio, 0);
	/* the line level was forgotten with the claim */
	assert_int_equal(spirq_set_irq(m, 0x1100, 0), 0);
	assert_true(pic_has(m, "  1100 LSI 00 00"));

	/* XIVE: route, free, claim again */
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, NULL,
			       XIVE_SRC_SET_EISN, 0x1200, 1, 5, 0x99),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(spirq_irq_free(m, 0x1200), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_INFO, NULL, 0,
			       0x1200), SPIRQ_H_P2);
	assert_false(pic_has(m, "  00001200 MSI -Q    00000099"));
	assert_int_equal(spirq_irq_claim(m, 0x1200, false, NULL), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_CONFIG, rets, 0,
			       0x1200), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[1], 0xff);	/* masked */
	assert_int_equal(rets[2], 0x99);	/* EISN kept */
	/* 0x1100 was an MSI in XIVE once: now it is an LSI for good */
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_INFO, rets, 0,
			       0x1100), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0xc);
	/* and 0x1200, an LSI once, stays one in XIVE (QEMU) */
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_INFO, rets, 0,
			       0x1200), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0xc);
	machine_free(&h, m);
}

/* A claim is visible in both controllers, whenever it is made. */
static void test_claims_in_both_controllers(void **state)
{
	struct pic *p = pic_new();
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=dual",
				       "-m", "256M", NULL);

	assert_int_equal(spirq_irq_claim(m, 0x1000, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1001, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1200, true, NULL), 0);
	assert_string_equal(info_pic(m, p),
			    "CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "ICS 1000..1fff 0x1\n"
			    "  1000 MSI ff 00\n"
			    "  1001 MSI ff 00\n"
			    "  1200 LSI ff 00\n"
			    "irqchip: emulated\n");
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	/* claimed after the switch, freed after the switch */
	assert_int_equal(spirq_irq_claim(m, 0x1300, false, NULL), 0);
	assert_int_equal(spirq_irq_free(m, 0x1001), 0);
	assert_string_equal(info_pic(m, p),
		"CPU[0000]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2\n"
		"CPU[0000]: USER    00   00  00    00   00  00  00   00  00000000\n"
		"CPU[0000]:   OS    00   00  00    ff   ff  00  ff   ff  80000400\n"
		"CPU[0000]: POOL    00   00  00    00   00  00  00   00  00000000\n"
		"CPU[0000]: PHYS    00   00  00    00   00  00  00   ff  00000000\n"
		"  LISN         PQ    EISN     CPU/PRIO EQ\n"
		"  00000000 MSI -Q  M 00000000\n"
		"  00001000 MSI -Q  M 00000000\n"
		"  00001200 LSI -Q  M 00000000\n"
		"  00001300 MSI -Q  M 00000000\n"
		"irqchip: emulated\n");
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), 0);
	assert_string_equal(info_pic(m, p),
			    "CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "ICS 1000..1fff 0x1\n"
			    "  1000 MSI ff 00\n"
			    "  1200 LSI ff 00\n"
			    "  1300 MSI ff 00\n"
			    "irqchip: emulated\n");
	/* a claim made in XIVE is busy in XICS, and the other way round */
	assert_int_equal(spirq_irq_claim(m, 0x1300, false, NULL),
			 -SPIRQ_ERR_BUSY);
	assert_int_equal(spirq_irq_claim(m, 0x1001, true, NULL), 0);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_true(pic_has(m, "  00001001 LSI -Q  M 00000000"));
	assert_int_equal(spirq_irq_claim(m, 0x1001, true, NULL),
			 -SPIRQ_ERR_BUSY);
	/* and a reset keeps them all */
	assert_int_equal(spirq_reset(m), 0);
	assert_string_equal(info_pic(m, p),
			    "CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "ICS 1000..1fff 0x1\n"
			    "  1000 MSI ff 00\n"
			    "  1001 LSI ff 00\n"
			    "  1200 LSI ff 00\n"
			    "  1300 MSI ff 00\n"
			    "irqchip: emulated\n");
	machine_free(&h, m);
	free(p);
}

/* ---- MSI allocator ------------------------------------------------------ */

static uint32_t alloc_ok(spirq_machine *m, unsigned num, bool msix)
{
	spirq_error err;
	uint32_t first = 0;

	assert_int_equal(spirq_msi_alloc(m, num, msix, &first, &err), 0);
	return first;
}

static void test_msi_first_fit_and_alignment(void **state)
{
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2", "-m", "256M",
				       NULL);

	/*
	 * position:  0  1  2  3  4  5  6  7  8  9  a  b ... 10..17
	 *            A  -  C  -  B  B  B  -  D  D  D  - ... E
	 */
	assert_int_equal(alloc_ok(m, 1, false), 0x1300);	/* A */
	assert_int_equal(alloc_ok(m, 3, false), 0x1304);	/* B: 4-aligned */
	assert_int_equal(alloc_ok(m, 1, true), 0x1302);	/* C: 2-aligned */
	assert_int_equal(alloc_ok(m, 3, true), 0x1308);	/* D: 2-aligned */
	assert_int_equal(alloc_ok(m, 8, false), 0x1310);	/* E: 8-aligned */
	/* single vectors fill the holes, first fit */
	assert_int_equal(alloc_ok(m, 1, false), 0x1301);
	assert_int_equal(alloc_ok(m, 1, false), 0x1303);
	assert_int_equal(alloc_ok(m, 1, false), 0x1307);
	assert_int_equal(alloc_ok(m, 1, false), 0x130b);
	/* MSI-X never starts on an odd number */
	assert_int_equal(alloc_ok(m, 1, true), 0x130c);
	assert_int_equal(alloc_ok(m, 2, true), 0x130e);
	/* multi-message MSI: 5 vectors take an 8-aligned block */
	assert_int_equal(alloc_ok(m, 5, false), 0x1318);
	assert_int_equal(alloc_ok(m, 32, false), 0x1320);
	assert_int_equal(alloc_ok(m, 2, false), 0x131e);
	/* the hole left at 0x130d */
	assert_int_equal(alloc_ok(m, 1, false), 0x130d);
	machine_free(&h, m);
}

static void test_msi_exhaustion_and_reuse(void **state)
{
	spirq_error err;
	uint32_t first = 0;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2", "-m", "256M",
				       NULL);

	/* the whole range at once */
	assert_int_equal(alloc_ok(m, 0xd00, true), 0x1300);
	assert_int_equal(spirq_msi_alloc(m, 1, false, &first, &err),
			 -SPIRQ_ERR_BUSY);
	assert_int_equal(err.code, SPIRQ_ERR_BUSY);
	assert_string_equal(err.message, "can't find a free 1-IRQ block");
	assert_int_equal(spirq_msi_alloc(m, 4, true, &first, &err),
			 -SPIRQ_ERR_BUSY);
	assert_string_equal(err.message, "can't find a free 4-IRQ block");

	/* free a hole: it is reused, first fit */
	assert_int_equal(spirq_msi_free(m, 0x1305, 3), 0);
	assert_int_equal(spirq_msi_alloc(m, 4, false, &first, &err),
			 -SPIRQ_ERR_BUSY);	/* 0x1304 is busy */
	assert_int_equal(alloc_ok(m, 2, false), 0x1306);
	assert_int_equal(alloc_ok(m, 1, false), 0x1305);
	assert_int_equal(spirq_msi_alloc(m, 1, false, &first, NULL),
			 -SPIRQ_ERR_BUSY);
	/* the last source of the range */
	assert_int_equal(spirq_msi_free(m, 0x1fff, 1), 0);
	assert_int_equal(alloc_ok(m, 1, false), 0x1fff);
	assert_int_equal(spirq_msi_free(m, 0x1300, 0xd00), 0);
	assert_int_equal(alloc_ok(m, 0xd00, false), 0x1300);
	machine_free(&h, m);
}

static void test_msi_bad_requests(void **state)
{
	spirq_error err;
	uint32_t first = 0;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2", "-m", "256M",
				       NULL);

	assert_int_equal(spirq_msi_alloc(m, 0, false, &first, &err),
			 -SPIRQ_ERR_INVAL);
	assert_string_equal(err.message, "can't find a free 0-IRQ block");
	assert_int_equal(spirq_msi_alloc(m, 0xd01, true, &first, &err),
			 -SPIRQ_ERR_INVAL);
	assert_string_equal(err.message, "can't find a free 3329-IRQ block");
	/*
	 * A multi-message request above 2^31 vectors never returns (the
	 * alignment loop overflows): see test-spapr-msi.c.
	 */
	assert_int_equal(spirq_msi_alloc(m, 0xffffffff, true, &first, NULL),
			 -SPIRQ_ERR_INVAL);
	/* blocks outside 0x1300..0x1fff */
	assert_int_equal(spirq_msi_free(m, 0x12ff, 1), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_msi_free(m, 0x1fff, 2), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_msi_free(m, 0x2000, 1), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_msi_free(m, 0x1300, 0xd01), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_msi_free(m, 0xffffffff, 0xffffffff),
			 -SPIRQ_ERR_INVAL);
	/* nothing was allocated by the failures */
	assert_int_equal(alloc_ok(m, 0xd00, false), 0x1300);
	machine_free(&h, m);
}

/*
 * The allocator and the claims are separate, as in QEMU: the caller
 * claims each source of the block, and a source claimed by someone else
 * makes that claim fail (ibm,change-msi then frees the block).
 */
static void test_msi_then_claims(void **state)
{
	spirq_error err;
	uint32_t first, i;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2", "-m", "256M",
				       NULL);

	first = alloc_ok(m, 4, false);
	assert_int_equal(first, 0x1300);
	for (i = 0; i < 4; i++)
		assert_int_equal(spirq_irq_claim(m, first + i, false, NULL), 0);
	assert_true(pic_has(m, "  1303 MSI ff 00"));

	assert_int_equal(spirq_irq_claim(m, 0x1305, false, NULL), 0);
	first = alloc_ok(m, 2, true);
	assert_int_equal(first, 0x1304);
	assert_int_equal(spirq_irq_claim(m, first, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, first + 1, false, &err),
			 -SPIRQ_ERR_BUSY);
	assert_string_equal(err.message, "IRQ 4869 is not free");
	assert_int_equal(spirq_irq_free(m, first), 0);
	assert_int_equal(spirq_msi_free(m, first, 2), 0);
	/* a reset does not touch the allocator (devices free their MSIs) */
	assert_int_equal(spirq_reset(m), 0);
	assert_int_equal(alloc_ok(m, 1, false), 0x1304);
	machine_free(&h, m);
}

/*
 * Legacy machine types (<= pseries-3.0): no bitmap, the free sources of
 * the ICS (0x1000..0x13ff) are the allocation; the caller's claims
 * reserve them.
 */
static void test_msi_legacy(void **state)
{
	spirq_error err;
	uint32_t first = 0, i;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-3.0", "-m", "256M",
				       NULL);

	/* the machine's own sources, found one by one as QEMU does */
	assert_int_equal(alloc_ok(m, 1, false), 0x1000);
	assert_int_equal(spirq_irq_claim(m, 0x1000, false, NULL), 0);
	assert_int_equal(alloc_ok(m, 1, false), 0x1001);
	assert_int_equal(spirq_irq_claim(m, 0x1001, false, NULL), 0);
	/* not reserved until claimed */
	assert_int_equal(alloc_ok(m, 1, false), 0x1002);
	assert_int_equal(alloc_ok(m, 1, false), 0x1002);
	assert_int_equal(spirq_irq_claim(m, 0x1002, false, NULL), 0);
	/* multi-message MSI: aligned to the block size */
	assert_int_equal(alloc_ok(m, 4, false), 0x1004);
	for (i = 0; i < 4; i++)
		assert_int_equal(spirq_irq_claim(m, 0x1004 + i, false, NULL), 0);
	assert_int_equal(alloc_ok(m, 2, true), 0x1008);
	/* freeing is the claims' business */
	assert_int_equal(spirq_msi_free(m, 0x1004, 4), 0);
	assert_int_equal(alloc_ok(m, 4, false), 0x1008);
	assert_int_equal(spirq_irq_free(m, 0x1005), 0);
	assert_int_equal(alloc_ok(m, 1, false), 0x1003);
	assert_int_equal(spirq_irq_claim(m, 0x1003, false, NULL), 0);
	assert_int_equal(alloc_ok(m, 1, false), 0x1005);

	/* too big, then exhausted */
	assert_int_equal(spirq_msi_alloc(m, 0x401, false, &first, &err),
			 -SPIRQ_ERR_INVAL);
	assert_string_equal(err.message, "can't find a free 1025-IRQ block");
	for (i = 0x1000; i < 0x1400; i++)
		spirq_irq_claim(m, i, false, NULL);
	assert_int_equal(spirq_msi_alloc(m, 1, false, &first, &err),
			 -SPIRQ_ERR_BUSY);
	assert_string_equal(err.message, "can't find a free 1-IRQ block");
	assert_int_equal(spirq_irq_free(m, 0x13ff), 0);
	assert_int_equal(alloc_ok(m, 1, false), 0x13ff);
	assert_int_equal(spirq_msi_alloc(m, 2, false, &first, &err),
			 -SPIRQ_ERR_BUSY);
	machine_free(&h, m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_double_claim),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_set_irq_unclaimed),
		cmocka_unit_test(test_free_and_claim_again),
		cmocka_unit_test(test_claims_in_both_controllers),
		cmocka_unit_test(test_msi_first_fit_and_alignment),
		cmocka_unit_test(test_msi_exhaustion_and_reuse),
		cmocka_unit_test(test_msi_bad_requests),
		cmocka_unit_test(test_msi_then_claims),
		cmocka_unit_test(test_msi_legacy),
	};

	return cmocka_run_group_tests_name("spapr-claims", tests, NULL, NULL);
}
