// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The XIVE fast paths from several threads at once: each vCPU thread sends
 * IPIs to the next vCPU by ESB trigger stores, takes its own interrupts
 * (TIMA ACK, its event queue, EOI by an ESB load at SET_PQ_00, triggered
 * again when Q was set, as Linux does, CPPR back), while a device thread
 * fires MSIs routed to every vCPU.  Deliveries race each other on the
 * same END (device line and IPI), on the same source (an EOI and a
 * trigger), and with the owner's ACK.  Nothing may be lost: once every
 * thread has stopped and the queues are drained, every source is back at
 * PQ 00 and every entry went to the queue of the vCPU its source is routed
 * to.  make check runs this test in a ThreadSanitizer build too.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <spirq/spirq.h>

#include "test-guest-ram.h"

#define NCPUS		4
#define PRIO		6
#define QUEUE_GPA	0x100000u
#define QUEUE_SHIFT	16
#define QUEUE_ENTRIES	((1u << QUEUE_SHIFT) / 4)
#define FIRST_MSI	0x1000u
#define NR_MSI		8		/* MSI i is routed to vCPU i % NCPUS */
#define ROUNDS		20000

#define TIMA_OS_ACK	0x20810u
#define TIMA_OS_CPPR	0x20011u
#define ESB_MGMT	0x10000u
#define ESB_SET_PQ_00	0xc00u
#define ESB_GET		0x800u

struct host {
	struct test_ram ram;		/* first: the RAM callbacks' opaque */
	spirq_machine *m;
	uint32_t id[NCPUS];
	atomic_uint wrong;		/* failed calls, misrouted entries */
	atomic_uint delivered;
	atomic_int stop;
};

struct queue {
	unsigned idx, gen;
};

static uint64_t trigger_page(uint32_t lisn)
{
	return (uint64_t)lisn << SPIRQ_XIVE_ESB_SHIFT;
}

static void check(struct host *h, int ok)
{
	if (!ok)
		atomic_fetch_add(&h->wrong, 1);
}

/* The vCPU a source is routed to. */
static unsigned owner_of(const struct host *h, uint32_t eisn)
{
	unsigned c;

	for (c = 0; c < NCPUS; c++)
		if (eisn == h->id[c])
			return c;
	return (eisn - FIRST_MSI) % NCPUS;
}

/* ACK, the queue read to its end (each event EOIed, triggered again when
 * Q was set), CPPR back; returns the events taken. */
static unsigned take(struct host *h, unsigned cpu, struct queue *q)
{
	const uint8_t *page = h->ram.bytes + QUEUE_GPA +
			      ((uint64_t)cpu << QUEUE_SHIFT);
	unsigned n = 0;
	uint64_t v;

	check(h, spirq_mmio_load(h->m, cpu, SPIRQ_REGION_TIMA, TIMA_OS_ACK, 2,
				 &v) == 0);
	for (;;) {
		uint32_t raw = __atomic_load_n((const uint32_t *)(page +
							4 * q->idx),
					       __ATOMIC_ACQUIRE);
		uint32_t entry, eisn;
		uint8_t b[4];

		memcpy(b, &raw, 4);	/* big-endian in guest RAM */
		entry = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
			(uint32_t)b[2] << 8 | b[3];
		if (entry >> 31 != q->gen)
			break;
		eisn = entry & 0x7fffffff;
		if (++q->idx == QUEUE_ENTRIES) {
			q->idx = 0;
			q->gen ^= 1;
		}
		n++;
		check(h, owner_of(h, eisn) == cpu);
		check(h, spirq_mmio_load(h->m, cpu, SPIRQ_REGION_ESB,
					 trigger_page(eisn) + ESB_MGMT +
					 ESB_SET_PQ_00, 8, &v) == 0);
		if (v & 1)	/* Q: one more event came meanwhile */
			check(h, spirq_mmio_store(h->m, cpu, SPIRQ_REGION_ESB,
						  trigger_page(eisn), 8, 0) == 0);
	}
	check(h, spirq_mmio_store(h->m, cpu, SPIRQ_REGION_TIMA, TIMA_OS_CPPR,
				  1, 0xff) == 0);
	atomic_fetch_add(&h->delivered, n);
	return n;
}

struct vcpu_arg {
	struct host *h;
	unsigned cpu;
	struct queue q;
};

static void *vcpu_thread(void *arg)
{
	struct vcpu_arg *a = arg;
	struct host *h = a->h;
	unsigned next = (a->cpu + 1) % NCPUS, i;

	for (i = 0; i < ROUNDS; i++) {
		check(h, spirq_mmio_store(h->m, a->cpu, SPIRQ_REGION_ESB,
					  trigger_page(h->id[next]), 8, 0) == 0);
		take(h, a->cpu, &a->q);
	}
	return NULL;
}

static void *device_thread(void *arg)
{
	struct host *h = arg;
	unsigned i;

	for (i = 0; !atomic_load(&h->stop); i++)
		check(h, spirq_set_irq(h->m, FIRST_MSI + i % NR_MSI, 1) == 0);
	return NULL;
}

static void hcall(struct host *h, uint64_t opcode, uint64_t a0, uint64_t a1,
		  uint64_t a2, uint64_t a3, uint64_t a4)
{
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { a0, a1, a2, a3, a4 };
	uint64_t rets[SPIRQ_HCALL_MAX_RETS];

	assert_int_equal(spirq_hcall(h->m, 0, opcode, args, rets, NULL),
			 SPIRQ_H_SUCCESS);
}

/* A source routed to @cpu, its EISN its number, PQ 00. */
static void route(struct host *h, uint32_t lisn, unsigned cpu)
{
	uint64_t v;

	hcall(h, SPIRQ_H_INT_SET_SOURCE_CONFIG, 2, lisn, h->id[cpu], PRIO,
	      lisn);
	assert_int_equal(spirq_mmio_load(h->m, 0, SPIRQ_REGION_ESB,
					 trigger_page(lisn) + ESB_MGMT +
					 ESB_SET_PQ_00, 8, &v), 0);
}

static void setup(struct host *h, spirq_host_ops *ops)
{
	const char *argv[] = { "-M", "pseries-7.2,ic-mode=xive", "-smp", "4",
			       "-m", "256M" };
	spirq_config cfg;
	unsigned c, i;

	assert_int_equal(test_ram_alloc(&h->ram, 256u << 20), 0);
	ops->version = SPIRQ_HOST_OPS_VERSION;
	ops->opaque = h;
	ops->read_guest = test_ram_read;
	ops->write_guest = test_ram_write;
	assert_int_equal(spirq_config_from_args(6, argv, &cfg, NULL), 0);
	assert_int_equal(spirq_machine_create(&cfg, ops, &h->m, NULL), 0);
	assert_int_equal(spirq_cas(h->m, 0x40, NULL, NULL), 0);
	for (i = 0; i < NR_MSI; i++)
		assert_int_equal(spirq_irq_claim(h->m, FIRST_MSI + i, false,
						 NULL), 0);
	for (c = 0; c < NCPUS; c++) {
		h->id[c] = spirq_vcpu_id(&cfg, c);
		hcall(h, SPIRQ_H_INT_SET_QUEUE_CONFIG, 1, h->id[c], PRIO,
		      QUEUE_GPA + ((uint64_t)c << QUEUE_SHIFT), QUEUE_SHIFT);
	}
	for (c = 0; c < NCPUS; c++) {
		route(h, h->id[c], c);
		assert_int_equal(spirq_mmio_store(h->m, c, SPIRQ_REGION_TIMA,
						  TIMA_OS_CPPR, 1, 0xff), 0);
	}
	for (i = 0; i < NR_MSI; i++)
		route(h, FIRST_MSI + i, i % NCPUS);
}

static uint64_t pq_of(struct host *h, uint32_t lisn)
{
	uint64_t v = ~0ull;

	assert_int_equal(spirq_mmio_load(h->m, 0, SPIRQ_REGION_ESB,
					 trigger_page(lisn) + ESB_MGMT +
					 ESB_GET, 8, &v), 0);
	return v;
}

static void test_ipis_and_msis(void **state)
{
	static struct host h;
	spirq_host_ops ops = { 0 };
	struct vcpu_arg a[NCPUS];
	pthread_t vcpu[NCPUS], dev;
	unsigned c, i, taken;

	(void)state;
	setup(&h, &ops);
	pthread_create(&dev, NULL, device_thread, &h);
	for (c = 0; c < NCPUS; c++) {
		a[c] = (struct vcpu_arg){ &h, c, { 0, 1 } };
		pthread_create(&vcpu[c], NULL, vcpu_thread, &a[c]);
	}
	for (c = 0; c < NCPUS; c++)
		pthread_join(vcpu[c], NULL);
	atomic_store(&h.stop, 1);
	pthread_join(dev, NULL);

	/* drain: whatever was triggered again is taken too */
	do {
		taken = 0;
		for (c = 0; c < NCPUS; c++)
			taken += take(&h, c, &a[c].q);
	} while (taken);
	print_message("%u events delivered\n", atomic_load(&h.delivered));
	assert_int_equal(atomic_load(&h.wrong), 0);
	/* triggers coalesce (PQ 11): how many are delivered depends on the
	 * threads' timing, that none is lost does not */
	assert_true(atomic_load(&h.delivered) > 0);
	for (c = 0; c < NCPUS; c++)
		assert_int_equal(pq_of(&h, h.id[c]), 0);
	for (i = 0; i < NR_MSI; i++)
		assert_int_equal(pq_of(&h, FIRST_MSI + i), 0);
	spirq_machine_destroy(h.m);
	test_ram_free(&h.ram);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipis_and_msis),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
