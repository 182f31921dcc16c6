// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The XIVE fast paths with a host that maps guest RAM (map_guest), where
 * an event goes through the END's cache (src/xive/xive-fast.h): whatever
 * changes an END's configuration -- H_INT_SET_QUEUE_CONFIG, its reset,
 * H_INT_RESET, a machine reset, a restore -- must leave no cache behind
 * that still writes to the old queue or delivers through an END that is
 * no longer valid.  Each test makes the cache by delivering once, changes
 * the END, then delivers again, by an ESB trigger store from vCPU 1 and by
 * a device line.
 */
#include "test-xive.h"

#define LISN	0x1000u		/* MSI to vCPU 0, priority 6 */
#define EISN	0x4d2u
#define QA	0x100000ull	/* 4 KiB queues */
#define QB	0x200000ull
#define ENTRY(gen, eisn)	((uint32_t)(gen) << 31 | (eisn))

#define PQ_00	0u

/* A XIVE machine, RAM mapped, LISN routed to vCPU 0's priority 6 at QA. */
static void setup(struct xt *t)
{
	xt_start_host(t, "pseries-7.2,ic-mode=xive", "2", "256M", true);
	xt_cas(t, 0x40, SPIRQ_IC_MODE_XIVE);
	xt_claim(t, LISN, false);
	xt_queue(t, 0, 6, QA, 12, true);
	xt_set_cppr(t, 0, 0xff);
	xt_route(t, LISN, 0, 6, EISN);
	xt_set_pq(t, LISN, PQ_00);
}

/* vCPU 0's ACK, EOI and CPPR restore, as Linux does: the ACK's value
 * (0 when nothing came). */
static unsigned take(struct xt *t)
{
	unsigned ack = xt_ack(t, 0);

	xt_load(t, 0, SPIRQ_REGION_ESB, ESB_MGMT(LISN) + 0xc00, 8);
	xt_set_cppr(t, 0, 0xff);
	return ack;
}

/* An ESB trigger store from vCPU 1, then take(). */
static unsigned deliver_store(struct xt *t)
{
	xt_store(t, 1, SPIRQ_REGION_ESB, ESB_TRIG(LISN), 8, 0);
	return take(t);
}

/* The same through the device line. */
static unsigned deliver_line(struct xt *t)
{
	assert_int_equal(spirq_set_irq(t->m, LISN, 1), 0);
	return take(t);
}

/* A new queue: the next events go there, none to the old one. */
static void test_new_queue(void **state)
{
	struct xt t;

	(void)state;
	setup(&t);
	assert_int_equal(deliver_store(&t), 0x8006);
	assert_int_equal(xt_eq(&t, QA, 0), ENTRY(1, EISN));
	xt_queue(&t, 0, 6, QB, 12, true);
	assert_int_equal(deliver_store(&t), 0x8006);
	assert_int_equal(deliver_line(&t), 0x8006);
	assert_int_equal(xt_eq(&t, QB, 0), ENTRY(1, EISN));
	assert_int_equal(xt_eq(&t, QB, 1), ENTRY(1, EISN));
	assert_int_equal(xt_eq(&t, QA, 1), 0);
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 2);
	xt_stop(&t);
}

/* A queue reset (size 0): the END is invalid, no event gets through. */
static void test_queue_reset(void **state)
{
	struct xt t;

	(void)state;
	setup(&t);
	assert_int_equal(deliver_line(&t), 0x8006);
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_SET_QUEUE_CONFIG, 0, 0, 6, 0,
			    0), SPIRQ_H_SUCCESS);
	xt_store(&t, 1, SPIRQ_REGION_ESB, ESB_TRIG(LISN), 8, 0);
	assert_int_equal(t.line[0], 0);
	assert_int_equal(xt_eq(&t, QA, 1), 0);
	assert_int_equal(t.guest_errors, 1);	/* "END ... is invalid" */
	xt_stop(&t);
}

/* After H_INT_RESET, and after a machine reset, the ENDs are reset:
 * routed again, the source reaches no queue. */
static void check_ends_reset(struct xt *t)
{
	xt_route(t, LISN, 0, 6, EISN);
	xt_set_pq(t, LISN, PQ_00);
	xt_store(t, 1, SPIRQ_REGION_ESB, ESB_TRIG(LISN), 8, 0);
	assert_int_equal(spirq_set_irq(t->m, LISN, 1), 0);
	assert_int_equal(t->line[0], 0);
	assert_int_equal(xt_eq(t, QA, 1), 0);
	/* configured again, at QB: there */
	xt_queue(t, 0, 6, QB, 12, true);
	xt_set_cppr(t, 0, 0xff);
	xt_set_pq(t, LISN, PQ_00);
	assert_int_equal(deliver_store(t), 0x8006);
	assert_int_equal(xt_eq(t, QB, 0), ENTRY(1, EISN));
	assert_int_equal(xt_eq(t, QA, 1), 0);
}

static void test_int_reset(void **state)
{
	struct xt t;

	(void)state;
	setup(&t);
	assert_int_equal(deliver_store(&t), 0x8006);
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_RESET, 0), SPIRQ_H_SUCCESS);
	check_ends_reset(&t);
	xt_stop(&t);
}

static void test_machine_reset(void **state)
{
	struct xt t;

	(void)state;
	setup(&t);
	assert_int_equal(deliver_store(&t), 0x8006);
	assert_int_equal(spirq_reset(t.m), 0);
	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	check_ends_reset(&t);
	xt_stop(&t);
}

/* A restored stream's queue (QB) replaces the one events went to. */
static void test_restore(void **state)
{
	struct xt t, u;
	static uint8_t stream[1 << 16];
	size_t len = 0;
	spirq_error err;

	(void)state;
	setup(&t);
	assert_int_equal(deliver_store(&t), 0x8006);
	setup(&u);
	xt_queue(&u, 0, 6, QB, 12, true);
	assert_int_equal(spirq_save(u.m, stream, sizeof(stream), &len), 0);
	assert_int_equal(spirq_restore(t.m, stream, len, &err), 0);
	assert_int_equal(deliver_store(&t), 0x8006);
	assert_int_equal(deliver_line(&t), 0x8006);
	assert_int_equal(xt_eq(&t, QB, 0), ENTRY(1, EISN));
	assert_int_equal(xt_eq(&t, QB, 1), ENTRY(1, EISN));
	assert_int_equal(xt_eq(&t, QA, 1), 0);
	xt_stop(&u);
	xt_stop(&t);
}

/*
 * The queue's index and generation: entries wrap at the queue's end with
 * the generation flipped (a 4 KiB queue holds 1024), on the fast path as
 * on the full one.
 */
static void test_queue_wraps(void **state)
{
	struct xt t;
	unsigned i, gen;

	(void)state;
	setup(&t);
	for (i = 0; i < 1024 + 3; i++)
		assert_int_equal(i % 2 ? deliver_line(&t) : deliver_store(&t),
				 0x8006);
	assert_int_equal(xt_eq(&t, QA, 1023), ENTRY(1, EISN));
	assert_int_equal(xt_eq(&t, QA, 0), ENTRY(0, EISN));
	assert_int_equal(xt_eq(&t, QA, 2), ENTRY(0, EISN));
	assert_int_equal(xt_eq(&t, QA, 3), ENTRY(1, EISN));
	assert_int_equal(xt_qindex(&t, 0, 6, &gen), 3);
	assert_int_equal(gen, 0);
	xt_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_queue),
		cmocka_unit_test(test_queue_reset),
		cmocka_unit_test(test_int_reset),
		cmocka_unit_test(test_machine_reset),
		cmocka_unit_test(test_restore),
		cmocka_unit_test(test_queue_wraps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
