// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the XIVE thread interrupt management area (TIMA) as a guest
 * sees it: the OS page's special operations (set CPPR, acknowledge, set
 * pending), its raw register view (access map), the USER page, the HW and
 * HV pages refused to the guest (D7), and the vCPU interrupt line.
 */
#include "test-xive.h"

#define ALL_ONES 0xffffffffffffffffull

/* OS ring after reset: LSMFB, ACK#, AGE and PIPR 0xff; AGE reads 0 */
#define RING_RESET 0x000000ffff0000ffull

/* The OS ring raw view: NSR, CPPR, IPB, LSMFB, ACK#, INC, 0, PIPR. */
static uint64_t ring(unsigned nsr, unsigned cppr, unsigned ipb,
		     unsigned pipr)
{
	return (uint64_t)nsr << 56 | (uint64_t)cppr << 48 |
	       (uint64_t)ipb << 40 | 0xffull << 32 | 0xffull << 24 | pipr;
}

static void set_pending(struct xt *t, unsigned cpu, uint8_t prio)
{
	TM_STORE(t, cpu, TM_OS_PENDING, 1, prio);
}

static void test_reset_state_raw_view(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "2");
	assert_int_equal(TM_LOAD(&t, 0, TM_OS + 0x10, 8), RING_RESET);
	assert_int_equal(TM_LOAD(&t, 1, TM_OS + 0x10, 8), RING_RESET);
	/* NSR CPPR IPB LSMFB */
	assert_int_equal(TM_LOAD(&t, 0, TM_OS + 0x10, 4), 0x000000ff);
	/* ACK# INC AGE(not readable) PIPR */
	assert_int_equal(TM_LOAD(&t, 0, TM_OS + 0x14, 4), 0xff0000ff);
	/* the 64-byte context repeats below 0x800, bits 12-15 ignored */
	assert_int_equal(TM_LOAD(&t, 0, TM_OS + 0x50, 4), 0x000000ff);
	assert_int_equal(TM_LOAD(&t, 0, TM_OS + 0x7d0, 8), RING_RESET);
	assert_int_equal(TM_LOAD(&t, 0, TM_OS + 0x1010, 8), RING_RESET);
	assert_int_equal(TM_LOAD(&t, 0, TM_OS + 0xf014, 4), 0xff0000ff);
	xt_stop(&t);
}

/* Raw reads: 4 and 8 bytes only, never the USER ring, map-filtered. */
static void test_raw_read_refused(void **state)
{
	static const struct {
		uint32_t off;
		unsigned size;
	} bad[] = {
		{ 0x10, 1 }, { 0x11, 1 }, { 0x12, 1 }, { 0x17, 1 },
		{ 0x10, 2 }, { 0x12, 2 }, { 0x16, 2 },
		/* USER ring; OS W2-W3 (no readable byte) */
		{ 0x00, 4 }, { 0x00, 8 }, { 0x08, 4 }, { 0x0c, 4 },
		{ 0x18, 4 }, { 0x18, 8 }, { 0x1c, 4 },
		{ 0x20, 4 }, { 0x20, 8 }, { 0x28, 8 },	/* POOL */
		{ 0x30, 4 }, { 0x30, 8 }, { 0x38, 8 },	/* PHYS */
		{ 0x60, 8 }, { 0x78, 4 },		/* aliases of them */
	};
	struct xt t;
	size_t i;

	(void)state;
	xt_start_xive(&t, "1");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t want = bad[i].size == 8 ? ALL_ONES :
				(1ull << (8 * bad[i].size)) - 1;
		uint64_t got = TM_LOAD(&t, 0, TM_OS + bad[i].off, bad[i].size);

		if (got != want)
			fail_msg("load 0x%x size %u: 0x%llx", bad[i].off,
				 bad[i].size, (unsigned long long)got);
	}
	assert_int_equal(xt_os_ring(&t, 0), RING_RESET);
	xt_stop(&t);
}

/* 0x011, 1-byte store: set CPPR, values above 7 mean 0xff. */
static void test_set_cppr(void **state)
{
	static const uint8_t in[] = { 0, 5, 7, 8, 0x10, 0x80, 0xfe, 0xff, 3 };
	static const uint8_t out[] = { 0, 5, 7, 0xff, 0xff, 0xff, 0xff, 0xff,
				       3 };
	struct xt t;
	size_t i;

	(void)state;
	xt_start_xive(&t, "2");
	for (i = 0; i < sizeof(in); i++) {
		xt_set_cppr(&t, 0, in[i]);
		assert_int_equal(RING_CPPR(xt_os_ring(&t, 0)), out[i]);
	}
	/* bits 12-15 of the offset do not matter */
	TM_STORE(&t, 0, TM_OS + 0x3011, 1, 6);
	assert_int_equal(RING_CPPR(xt_os_ring(&t, 0)), 6);
	/* the other vCPU's context is its own */
	assert_int_equal(RING_CPPR(xt_os_ring(&t, 1)), 0);
	xt_set_cppr(&t, 1, 0xff);
	assert_int_equal(RING_CPPR(xt_os_ring(&t, 0)), 6);
	assert_int_equal(RING_CPPR(xt_os_ring(&t, 1)), 0xff);
	/* a 1-byte load there is a raw read of 1 byte: invalid */
	assert_int_equal(TM_LOAD(&t, 0, TM_OS_CPPR, 1), 0xff);
	xt_stop(&t);
}

/*
 * Raw 4/8-byte stores: only the CPPR byte is writable on the OS page,
 * stored as is (no clamping) and without side effect (no notification).
 */
static void test_raw_write(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "1");
	set_pending(&t, 0, 3);		/* CPPR 0: nothing signalled */
	assert_int_equal(xt_os_ring(&t, 0), ring(0, 0, 0x10, 3));
	assert_int_equal(t.line[0], 0);

	TM_STORE(&t, 0, TM_OS + 0x10, 4, 0x11223344);
	assert_int_equal(xt_os_ring(&t, 0), ring(0, 0x22, 0x10, 3));
	assert_int_equal(t.line[0], 0);
	TM_STORE(&t, 0, TM_OS + 0x10, 8, 0x01ff030405060708ull);
	assert_int_equal(xt_os_ring(&t, 0), ring(0, 0xff, 0x10, 3));
	/* PIPR 3 < CPPR, yet quiet */
	assert_int_equal(t.line[0], 0);
	/* the store must be 4 or 8 bytes and hit a writable byte */
	TM_STORE(&t, 0, TM_OS + 0x10, 2, 0x0011);
	TM_STORE(&t, 0, TM_OS + 0x14, 4, 0);
	TM_STORE(&t, 0, TM_OS + 0x18, 8, 0);
	TM_STORE(&t, 0, TM_OS + 0x00, 8, ALL_ONES);	/* USER ring */
	TM_STORE(&t, 0, TM_OS + 0x20, 8, ALL_ONES);
	TM_STORE(&t, 0, TM_OS + 0x30, 8, ALL_ONES);
	assert_int_equal(xt_os_ring(&t, 0), ring(0, 0xff, 0x10, 3));
	assert_int_equal(t.line[0], 0);
	/* an alias below 0x800 writes the same byte */
	TM_STORE(&t, 0, TM_OS + 0x750, 4, 0x00040000);
	assert_int_equal(RING_CPPR(xt_os_ring(&t, 0)), 4);
	/* the special operation notifies */
	xt_set_cppr(&t, 0, 0xff);
	assert_int_equal(xt_os_ring(&t, 0), ring(0x80, 0xff, 0x10, 3));
	assert_int_equal(t.line[0], 1);
	/* the W2 word (CAM line) is not the OS's to write: still delivered */
	TM_STORE(&t, 0, TM_OS + 0x18, 4, 0);
	xt_info_pic(&t);
	assert_pic_line(&t,
		"CPU[0000]:   OS    80   ff  10    ff   ff  00  ff   03  80000400");
	xt_stop(&t);
}

/* 0x812, 1-byte store: IPB |= bit of the priority, then notify. */
static void test_set_os_pending(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "2");
	xt_set_cppr(&t, 0, 0xff);
	set_pending(&t, 0, 5);
	assert_int_equal(xt_os_ring(&t, 0), ring(0x80, 0xff, 0x04, 5));
	assert_int_equal(t.line[0], 1);
	assert_int_equal(t.line[1], 0);
	set_pending(&t, 0, 2);
	assert_int_equal(xt_os_ring(&t, 0), ring(0x80, 0xff, 0x24, 2));
	/* no bit above priority 7 */
	set_pending(&t, 0, 8);
	set_pending(&t, 0, 0xff);
	assert_int_equal(xt_os_ring(&t, 0), ring(0x80, 0xff, 0x24, 2));
	assert_int_equal(t.raised[0], 1);
	/* other sizes are not the operation */
	TM_STORE(&t, 1, TM_OS_PENDING, 2, 0x0001);
	TM_STORE(&t, 1, TM_OS + 0x810, 4, 1);
	assert_int_equal(xt_os_ring(&t, 1), RING_RESET);
	/* priority 0 with CPPR 0 is pending but not signalled */
	set_pending(&t, 1, 0);
	assert_int_equal(xt_os_ring(&t, 1), ring(0, 0, 0x80, 0));
	assert_int_equal(t.line[1], 0);
	xt_stop(&t);
}

/* 0x810, 2-byte load: acknowledge; returns old NSR << 8 | new CPPR. */
static void test_ack(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "2");
	xt_set_cppr(&t, 0, 0xff);
	/* nothing pending */
	assert_int_equal(xt_ack(&t, 0), 0x00ff);
	assert_int_equal(t.lowered[0], 0);

	set_pending(&t, 0, 6);
	set_pending(&t, 0, 3);
	assert_int_equal(t.line[0], 1);
	assert_int_equal(xt_ack(&t, 0), 0x8003);
	assert_int_equal(xt_os_ring(&t, 0), ring(0, 3, 0x02, 6));
	assert_int_equal(t.line[0], 0);
	/* no exception: CPPR returned, nothing else changes */
	assert_int_equal(xt_ack(&t, 0), 0x0003);
	assert_int_equal(xt_os_ring(&t, 0), ring(0, 3, 0x02, 6));
	/* the guest's EOI restores CPPR: priority 6 is signalled */
	xt_set_cppr(&t, 0, 0xff);
	assert_int_equal(xt_os_ring(&t, 0), ring(0x80, 0xff, 0x02, 6));
	assert_int_equal(t.line[0], 1);
	assert_int_equal(xt_ack(&t, 0), 0x8006);
	assert_int_equal(xt_os_ring(&t, 0), ring(0, 6, 0, 0xff));
	assert_int_equal(t.line[0], 0);
	assert_int_equal(t.raised[0], 2);
	assert_int_equal(t.lowered[0], 2);
	/* vCPU 1 untouched */
	assert_int_equal(xt_os_ring(&t, 1), RING_RESET);
	xt_stop(&t);
}

/* CPPR changes only raise: a lower CPPR does not take a signal back. */
static void test_cppr_and_signal(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "1");
	xt_set_cppr(&t, 0, 4);
	set_pending(&t, 0, 5);
	assert_int_equal(xt_os_ring(&t, 0), ring(0, 4, 0x04, 5));
	xt_set_cppr(&t, 0, 5);			/* PIPR 5 < 5: no */
	assert_int_equal(t.line[0], 0);
	xt_set_cppr(&t, 0, 6);
	assert_int_equal(xt_os_ring(&t, 0), ring(0x80, 6, 0x04, 5));
	assert_int_equal(t.line[0], 1);
	/* back to 2: the exception and the line stay */
	xt_set_cppr(&t, 0, 2);
	assert_int_equal(xt_os_ring(&t, 0), ring(0x80, 2, 0x04, 5));
	assert_int_equal(t.line[0], 1);
	/* and the ACK takes priority 5 regardless of CPPR 2 */
	assert_int_equal(xt_ack(&t, 0), 0x8005);
	assert_int_equal(xt_os_ring(&t, 0), ring(0, 5, 0, 0xff));
	assert_int_equal(t.line[0], 0);
	xt_stop(&t);
}

/* Offsets with bit 11 set that are no operation of the OS page. */
static void test_invalid_special_offsets(void **state)
{
	static const struct {
		uint32_t off;
		unsigned size;
	} bad[] = {
		{ 0x800, 8 }, { 0x808, 8 }, { 0x810, 1 }, { 0x810, 4 },
		{ 0x810, 8 }, { 0x811, 1 }, { 0x812, 1 }, { 0x812, 2 },
		{ 0x818, 4 }, { 0x818, 8 },	/* PULL_OS_CTX: HV page */
		{ 0x828, 4 }, { 0x828, 8 },	/* PULL_POOL_CTX */
		{ 0x830, 2 },			/* ACK_HV_REG */
		{ 0xc00, 8 }, { 0xc10, 2 }, { 0xff8, 8 }, { 0xffc, 4 },
	};
	struct xt t;
	size_t i;

	(void)state;
	xt_start_xive(&t, "1");
	xt_set_cppr(&t, 0, 0xff);
	set_pending(&t, 0, 4);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t want = bad[i].size == 8 ? ALL_ONES :
				(1ull << (8 * bad[i].size)) - 1;
		uint64_t got = TM_LOAD(&t, 0, TM_OS + bad[i].off, bad[i].size);

		if (got != want)
			fail_msg("load 0x%x size %u: 0x%llx", bad[i].off,
				 bad[i].size, (unsigned long long)got);
		/* as a store, 0x812 size 1 is SET_OS_PENDING */
		if (bad[i].off != 0x812 || bad[i].size != 1)
			TM_STORE(&t, 0, TM_OS + bad[i].off, bad[i].size, 3);
	}
	/* nothing acknowledged, pulled or set */
	assert_int_equal(xt_os_ring(&t, 0), ring(0x80, 0xff, 0x08, 4));
	assert_int_equal(t.line[0], 1);
	xt_info_pic(&t);
	assert_pic_line(&t,
		"CPU[0000]:   OS    80   ff  08    ff   ff  00  ff   04  80000400");
	xt_stop(&t);
}

/* The USER page: no operation, and the USER ring is never accessible. */
static void test_user_page(void **state)
{
	static const struct {
		uint32_t off;
		unsigned size;
	} loads[] = {
		{ 0x00, 4 }, { 0x00, 8 }, { 0x08, 4 }, { 0x10, 4 }, { 0x10, 8 },
		{ 0x11, 1 }, { 0x810, 2 }, { 0x812, 1 },
	};
	struct xt t;
	size_t i;

	(void)state;
	xt_start_xive(&t, "1");
	xt_set_cppr(&t, 0, 0xff);
	for (i = 0; i < sizeof(loads) / sizeof(loads[0]); i++) {
		unsigned size = loads[i].size;
		uint64_t want = size == 8 ? ALL_ONES : (1ull << (8 * size)) - 1;

		assert_int_equal(TM_LOAD(&t, 0, TM_USER + loads[i].off, size),
				 want);
	}
	TM_STORE(&t, 0, TM_USER + 0x11, 1, 5);
	TM_STORE(&t, 0, TM_USER + 0x812, 1, 5);
	TM_STORE(&t, 0, TM_USER + 0x00, 4, 0x80000000);
	TM_STORE(&t, 0, TM_USER + 0x10, 8, 0);
	assert_int_equal(xt_os_ring(&t, 0), ring(0, 0xff, 0, 0xff));
	assert_int_equal(t.line[0], 0);
	xt_info_pic(&t);
	assert_pic_line(&t,
		"CPU[0000]: USER    00   00  00    00   00  00  00   00  00000000");
	xt_stop(&t);
}

/*
 * D7: the HW and HV pages are not the guest's.  QEMU lets a guest use
 * them (raw access to every ring, pull/push of its own OS context, HV
 * CPPR, and the OS operations from a more privileged page); spirq reads
 * all ones, ignores stores and logs.
 */
static void test_hw_hv_pages_refused(void **state)
{
	static const struct {
		uint32_t off;
		unsigned size;
	} loads[] = {
		{ TM_HV + 0x10, 8 }, { TM_HV + 0x10, 4 }, { TM_HV + 0x18, 4 },
		{ TM_HV + 0x30, 8 }, { TM_HV + 0x38, 1 },
		{ TM_HV + 0x818, 4 }, { TM_HV + 0x818, 8 },	/* pull OS */
		{ TM_HV + 0x828, 8 }, { TM_HV + 0x830, 2 },
		{ TM_HV + 0x810, 2 },			/* ACK OS */
		{ TM_HW + 0x10, 8 }, { TM_HW + 0x18, 4 }, { TM_HW + 0x810, 2 },
		{ TM_HW + 0x818, 4 },
	};
	static const struct {
		uint32_t off;
		unsigned size;
		uint64_t value;
	} stores[] = {
		{ TM_HW + 0x11, 1, 0 },			/* OS CPPR */
		{ TM_HV + 0x11, 1, 0 },
		{ TM_HV + 0x812, 1, 1 },		/* OS pending */
		{ TM_HV + 0x31, 1, 0x7 },		/* HV CPPR */
		{ TM_HV + 0x38, 1, 0x80 },		/* VT push */
		{ TM_HV + 0x18, 4, 0 },			/* push OS ctx */
		{ TM_HW + 0x10, 8, 0 },			/* raw */
		{ TM_HV + 0x20, 8, ALL_ONES },
		{ TM_HW + 0x28, 4, 0x80000401 },	/* POOL CAM */
	};
	struct xt t;
	size_t i;
	unsigned errors;

	(void)state;
	xt_start_xive(&t, "1");
	xt_claim(&t, 0x1000, false);
	xt_queue(&t, 0, 4, 0x100000, 12, true);
	xt_route(&t, 0x1000, 0, 4, 0x1000);
	xt_set_pq(&t, 0x1000, 0);
	xt_set_cppr(&t, 0, 0xff);
	set_pending(&t, 0, 6);
	assert_int_equal(t.line[0], 1);

	for (i = 0; i < sizeof(loads) / sizeof(loads[0]); i++) {
		unsigned size = loads[i].size;
		uint64_t want = size == 8 ? ALL_ONES : (1ull << (8 * size)) - 1;

		errors = t.guest_errors;
		t.last_log[0] = '\0';
		assert_int_equal(TM_LOAD(&t, 0, loads[i].off, size), want);
		if (i == 0) {
			assert_int_equal(t.guest_errors, errors + 1);
			assert_non_null(strstr(t.last_log, "refused"));
		}
	}
	for (i = 0; i < sizeof(stores) / sizeof(stores[0]); i++)
		TM_STORE(&t, 0, stores[i].off, stores[i].size,
			 stores[i].value);

	/* nothing changed: not acknowledged, CPPR kept, line still up */
	assert_int_equal(xt_os_ring(&t, 0), ring(0x80, 0xff, 0x02, 6));
	assert_int_equal(t.line[0], 1);
	xt_info_pic(&t);
	assert_pic_line(&t,
		"CPU[0000]:   OS    80   ff  02    ff   ff  00  ff   06  80000400");
	assert_pic_line(&t,
		"CPU[0000]: POOL    00   00  00    00   00  00  00   00  00000000");
	assert_pic_line(&t,
		"CPU[0000]: PHYS    00   00  00    00   00  00  00   ff  00000000");
	/* the OS context was not pulled: events still reach this vCPU */
	ESB_STORE(&t, ESB_TRIG(0x1000));
	assert_int_equal(xt_os_ring(&t, 0), ring(0x80, 0xff, 0x0a, 4));
	assert_int_equal(xt_ack(&t, 0), 0x8004);
	xt_stop(&t);
}

/*
 * Unaligned TIMA accesses are split as QEMU's TCG does: loads into two
 * aligned loads of the same size combined big-endian, stores into bytes
 * (each byte then being an access of its own, special or raw).
 */
static void test_unaligned(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "1");
	xt_set_cppr(&t, 0, 0xff);
	set_pending(&t, 0, 5);
	/* 4 bytes at 0x12: (NSR CPPR IPB LSMFB, ACK# INC 0 PIPR) -> IPB..INC */
	assert_int_equal(TM_LOAD(&t, 0, TM_OS + 0x12, 4), 0x04ffff00);
	/* 2 bytes at 0x811: ACK (0x8005) then an invalid 0x812 (0xffff) */
	assert_int_equal(TM_LOAD(&t, 0, TM_OS + 0x811, 2), 0x05ff);
	assert_int_equal(xt_os_ring(&t, 0), ring(0, 5, 0, 0xff));
	assert_int_equal(t.line[0], 0);
	/* 4 bytes at 0x11: byte 0x11 sets CPPR, the others are refused */
	TM_STORE(&t, 0, TM_OS + 0x11, 4, 0x07aabbccu);
	assert_int_equal(xt_os_ring(&t, 0), ring(0, 7, 0, 0xff));
	/* 2 bytes at 0x811: 0x811 refused, 0x812 sets priority 3 pending */
	TM_STORE(&t, 0, TM_OS + 0x811, 2, 0x0003);
	assert_int_equal(xt_os_ring(&t, 0), ring(0x80, 7, 0x10, 3));
	assert_int_equal(t.line[0], 1);
	xt_stop(&t);
}

static void test_unaligned_8_bytes(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "1");
	xt_set_cppr(&t, 0, 0xff);
	/* 8 bytes at 0x14: raw 0x10 (8) << 32 | invalid 0x18 (8) >> 32 */
	assert_int_equal(TM_LOAD(&t, 0, TM_OS + 0x14, 8),
			 0xff0000ffffffffffull);
	xt_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_state_raw_view),
		cmocka_unit_test(test_raw_read_refused),
		cmocka_unit_test(test_set_cppr),
		cmocka_unit_test(test_raw_write),
		cmocka_unit_test(test_set_os_pending),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_cppr_and_signal),
		cmocka_unit_test(test_invalid_special_offsets),
		cmocka_unit_test(test_user_page),
		cmocka_unit_test(test_hw_hv_pages_refused),
		cmocka_unit_test(test_unaligned),
		cmocka_unit_test(test_unaligned_8_bytes),
	};

	return cmocka_run_group_tests_name("xive-tima", tests, NULL, NULL);
}
