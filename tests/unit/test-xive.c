// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the XIVE router and event queues (entries in guest memory,
 * index wrap and generation bit, masked sources, END coalescing without
 * ALWAYS_NOTIFY, priorities), delivery to vCPUs that come and go, "info
 * pic", and XIVE in a dual machine across CAS and reset.
 */
#include "test-xive.h"

#define MSI	0x1000u
#define MSI2	0x1001u
#define LSI	0x1200u
#define QADDR	0x100000ull
#define QADDR2	0x110000ull

/* One event of MSI through its device line, then the EOI from the guest. */
static void msi_event(struct xt *t, uint32_t lisn)
{
	assert_int_equal(spirq_set_irq(t->m, lisn, 1), 0);
	assert_int_equal(ESB_LOAD(t, ESB_MGMT(lisn)), 0);	/* EOI */
}

/* Every line of the last info pic, trailing blanks removed. */
static char *pic_text(const struct xt *t)
{
	char *out = malloc(t->pic_len + 1);
	const char *p = t->pic;
	size_t n = 0;

	assert_non_null(out);
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = (size_t)(end - p);

		while (len && p[len - 1] == ' ')
			len--;
		memcpy(out + n, p, len);
		n += len;
		out[n++] = '\n';
		p = end + 1;
	}
	out[n] = '\0';
	return out;
}

#define assert_pic_text(t, want) do {					\
	char *got_ = pic_text(t);					\
	assert_string_equal(got_, (want));				\
	free(got_);							\
} while (0)

static void test_queue_entry_layout(void **state)
{
	struct xt t;
	const uint8_t *b;

	(void)state;
	xt_start_xive(&t, "1");
	xt_claim(&t, MSI, false);
	xt_queue(&t, 0, 6, QADDR, 12, true);
	xt_route(&t, MSI, 0, 6, 0x12345678);
	xt_set_pq(&t, MSI, 0);
	msi_event(&t, MSI);
	xt_route(&t, MSI, 0, 6, 0x7fffffff);
	msi_event(&t, MSI);
	/* (generation 1 << 31) | EISN, big-endian, at qaddr + 4 * index */
	b = t.ram + QADDR;
	assert_int_equal(b[0], 0x92);
	assert_int_equal(b[1], 0x34);
	assert_int_equal(b[2], 0x56);
	assert_int_equal(b[3], 0x78);
	assert_int_equal(xt_eq(&t, QADDR, 1), 0xffffffffu);
	assert_int_equal(xt_eq(&t, QADDR, 2), 0);
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 2);
	/* nothing written before the queue */
	assert_int_equal(xt_eq(&t, QADDR - 4, 0), 0);
	xt_stop(&t);
}

/*
 * A 4 KiB queue holds 1024 entries: the index wraps to 0 after the
 * 1024th event and the generation bit flips, so the guest tells the new
 * entries from the old ones.
 */
static void test_queue_wrap_and_generation(void **state)
{
	struct xt t;
	unsigned gen, i;

	(void)state;
	xt_start_xive(&t, "1");
	xt_claim(&t, MSI, false);
	xt_queue(&t, 0, 6, QADDR, 12, true);
	xt_set_cppr(&t, 0, 0xff);
	xt_route(&t, MSI, 0, 6, 0x100);
	xt_set_pq(&t, MSI, 0);

	for (i = 0; i < 1023; i++)
		msi_event(&t, MSI);
	assert_int_equal(xt_qindex(&t, 0, 6, &gen), 1023);
	assert_int_equal(gen, 1);
	msi_event(&t, MSI);
	assert_int_equal(xt_qindex(&t, 0, 6, &gen), 0);
	assert_int_equal(gen, 0);
	for (i = 0; i < 1024; i++)
		assert_int_equal(xt_eq(&t, QADDR, i), 0x80000100u);
	assert_int_equal(xt_eq(&t, QADDR, 1024), 0);	/* past the queue */

	/* three more, with another EISN: written with generation 0 */
	xt_route(&t, MSI, 0, 6, 0x200);
	for (i = 0; i < 3; i++)
		msi_event(&t, MSI);
	assert_int_equal(xt_qindex(&t, 0, 6, &gen), 3);
	assert_int_equal(gen, 0);
	assert_int_equal(xt_eq(&t, QADDR, 0), 0x00000200u);
	assert_int_equal(xt_eq(&t, QADDR, 2), 0x00000200u);
	assert_int_equal(xt_eq(&t, QADDR, 3), 0x80000100u);
	assert_int_equal(xt_eq(&t, QADDR, 1023), 0x80000100u);
	xt_info_pic(&t);
	assert_pic_line(&t, "  00001000 MSI --    00000200   0/6      3/ 1024 @100000 ^0 [ 80000100 80000100 00000200 00000200 00000200 ^80000100 ]");

	/* the second wrap flips it back */
	for (i = 0; i < 1021; i++)
		msi_event(&t, MSI);
	assert_int_equal(xt_qindex(&t, 0, 6, &gen), 0);
	assert_int_equal(gen, 1);
	assert_int_equal(xt_eq(&t, QADDR, 1023), 0x00000200u);
	msi_event(&t, MSI);
	assert_int_equal(xt_eq(&t, QADDR, 0), 0x80000200u);
	assert_int_equal(xt_eq(&t, QADDR, 1), 0x00000200u);
	xt_info_pic(&t);
	assert_pic_line(&t, "  00001000 MSI --    00000200   0/6      1/ 1024 @100000 ^1 [ 00000200 00000200 00000200 00000200 80000200 ^00000200 ]");
	xt_stop(&t);
}

/* A 64 KiB queue: 16384 entries, no wrap at 1024. */
static void test_queue_64k(void **state)
{
	struct xt t;
	unsigned gen, i;

	(void)state;
	xt_start_xive(&t, "1");
	xt_claim(&t, MSI, false);
	xt_queue(&t, 0, 3, 0x10000, 16, true);
	xt_route(&t, MSI, 0, 3, 0x55);
	for (i = 0; i < 1025; i++)
		ESB_STORE(&t, ESB_MGMT(MSI) + 0x800);	/* inject */
	assert_int_equal(xt_qindex(&t, 0, 3, &gen), 1025);
	assert_int_equal(gen, 1);
	assert_int_equal(xt_eq(&t, 0x10000, 1024), 0x80000055u);
	assert_int_equal(xt_eq(&t, 0x10000, 1025), 0);
	xt_info_pic(&t);
	assert_pic_line(&t, "  00001000 MSI -Q    00000055   0/3   1025/16384 @10000 ^1 [ 80000055 80000055 80000055 80000055 80000055 ^00000000 ]");
	xt_stop(&t);
}

/* A masked EAS drops the event after the source PQ moved. */
static void test_masked_source(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "1");
	xt_claim(&t, MSI, false);
	xt_queue(&t, 0, 6, QADDR, 12, true);
	xt_set_cppr(&t, 0, 0xff);
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG,
			    SRC_SET_EISN | SRC_MASK, MSI, 0, 6, 0x42),
			 SPIRQ_H_SUCCESS);
	xt_set_pq(&t, MSI, 0);
	assert_int_equal(spirq_set_irq(t.m, MSI, 1), 0);
	assert_int_equal(xt_pq(&t, MSI), 2);
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 0);
	assert_int_equal(xt_eq(&t, QADDR, 0), 0);
	assert_int_equal(RING_IPB(xt_os_ring(&t, 0)), 0);
	assert_int_equal(t.line[0], 0);
	/* unmasked: the lost event is not replayed; Q catches the next */
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, 0, MSI, 0, 6,
			    0), SPIRQ_H_SUCCESS);
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 0);
	assert_int_equal(spirq_set_irq(t.m, MSI, 1), 0);
	assert_int_equal(xt_pq(&t, MSI), 3);
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 0);
	assert_int_equal(ESB_LOAD(&t, ESB_MGMT(MSI)), 1);
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 1);
	assert_int_equal(xt_eq(&t, QADDR, 0), 0x80000042u);
	assert_int_equal(t.line[0], 1);
	xt_stop(&t);
}

/*
 * Without ALWAYS_NOTIFY the END's ESn PQ pair coalesces notifications:
 * every event is enqueued, only the first is presented (sPAPR has no END
 * ESB page to re-arm ESn; a new queue configuration resets it).
 */
static void test_end_coalescing(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "1");
	xt_claim(&t, MSI, false);
	xt_queue(&t, 0, 5, QADDR, 12, false);
	xt_set_cppr(&t, 0, 0xff);
	xt_route(&t, MSI, 0, 5, 0x77);
	xt_set_pq(&t, MSI, 0);

	msi_event(&t, MSI);
	assert_int_equal(xt_qindex(&t, 0, 5, NULL), 1);
	assert_int_equal(RING_IPB(xt_os_ring(&t, 0)), 0x04);
	assert_int_equal(t.line[0], 1);
	assert_int_equal(xt_ack(&t, 0), 0x8005);
	xt_set_cppr(&t, 0, 0xff);

	msi_event(&t, MSI);
	msi_event(&t, MSI);
	assert_int_equal(xt_qindex(&t, 0, 5, NULL), 3);
	assert_int_equal(xt_eq(&t, QADDR, 2), 0x80000077u);
	assert_int_equal(RING_IPB(xt_os_ring(&t, 0)), 0);
	assert_int_equal(t.line[0], 0);
	assert_int_equal(t.raised[0], 1);

	xt_queue(&t, 0, 5, QADDR, 12, false);
	msi_event(&t, MSI);
	assert_int_equal(xt_qindex(&t, 0, 5, NULL), 1);
	assert_int_equal(RING_IPB(xt_os_ring(&t, 0)), 0x04);
	assert_int_equal(t.line[0], 1);
	xt_stop(&t);
}

/* Each priority has its END; the most favoured is presented first. */
static void test_priorities(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "1");
	xt_claim(&t, MSI, false);
	xt_claim(&t, MSI2, false);
	xt_queue(&t, 0, 4, QADDR, 12, true);
	xt_queue(&t, 0, 1, QADDR2, 12, true);
	xt_set_cppr(&t, 0, 0xff);
	xt_route(&t, MSI, 0, 4, 4);
	xt_route(&t, MSI2, 0, 1, 1);
	xt_set_pq(&t, MSI, 0);
	xt_set_pq(&t, MSI2, 0);

	assert_int_equal(spirq_set_irq(t.m, MSI, 1), 0);
	assert_int_equal(spirq_set_irq(t.m, MSI2, 1), 0);
	assert_int_equal(xt_eq(&t, QADDR, 0), 0x80000004u);
	assert_int_equal(xt_eq(&t, QADDR2, 0), 0x80000001u);
	assert_int_equal(xt_os_ring(&t, 0), 0x80ff48ffff000001ull);
	assert_int_equal(xt_ack(&t, 0), 0x8001);
	assert_int_equal(t.line[0], 0);
	/* Linux: EOI the source, then CPPR back to 0xff: 4 is signalled */
	assert_int_equal(ESB_LOAD(&t, ESB_MGMT(MSI2)), 0);
	xt_set_cppr(&t, 0, 0xff);
	assert_int_equal(t.line[0], 1);
	assert_int_equal(xt_ack(&t, 0), 0x8004);
	assert_int_equal(ESB_LOAD(&t, ESB_MGMT(MSI)), 0);
	/* CPPR 2: priority 4 waits, priority 1 gets through */
	xt_set_cppr(&t, 0, 2);
	assert_int_equal(spirq_set_irq(t.m, MSI, 1), 0);
	assert_int_equal(xt_os_ring(&t, 0), 0x000208ffff000004ull);
	assert_int_equal(t.line[0], 0);
	assert_int_equal(spirq_set_irq(t.m, MSI2, 1), 0);
	assert_int_equal(xt_os_ring(&t, 0), 0x800248ffff000001ull);
	assert_int_equal(t.line[0], 1);
	xt_stop(&t);
}

/* An END reset by a queue size of 0 is invalid: events are dropped. */
static void test_end_reset_drops(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "1");
	xt_claim(&t, MSI, false);
	xt_queue(&t, 0, 6, QADDR, 12, true);
	xt_set_cppr(&t, 0, 0xff);
	xt_route(&t, MSI, 0, 6, 0x66);
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_SET_QUEUE_CONFIG, 0, 0, 6, 0, 0),
			 SPIRQ_H_SUCCESS);
	xt_set_pq(&t, MSI, 0);
	t.last_log[0] = '\0';
	assert_int_equal(spirq_set_irq(t.m, MSI, 1), 0);
	assert_int_equal(xt_pq(&t, MSI), 2);
	assert_int_equal(xt_eq(&t, QADDR, 0), 0);
	assert_int_equal(xt_os_ring(&t, 0), 0x00ff00ffff0000ffull);
	assert_string_equal(t.last_log, "XIVE: END 0/6 is invalid");
	/* info pic shows no queue for it */
	xt_info_pic(&t);
	assert_pic_line(&t, "  00001000 MSI P-    00000066");
	xt_stop(&t);
}

/*
 * The host refuses the queue write (the page is not accessible RAM on its
 * side): the index does not move, the vCPU is still notified.
 */
static void test_queue_write_refused_by_host(void **state)
{
	struct xt t;

	(void)state;
	xt_start_xive(&t, "1");
	t.ram_ok = 32ull << 20;
	xt_claim(&t, MSI, false);
	xt_queue(&t, 0, 6, 48ull << 20, 12, true);
	xt_set_cppr(&t, 0, 0xff);
	xt_route(&t, MSI, 0, 6, 0x66);
	xt_set_pq(&t, MSI, 0);
	assert_int_equal(spirq_set_irq(t.m, MSI, 1), 0);
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 0);
	assert_int_equal(xt_os_ring(&t, 0), 0x80ff02ffff000006ull);
	assert_int_equal(t.line[0], 1);
	/* info pic stops where the queue cannot be read */
	xt_info_pic(&t);
	assert_pic_line(&t, "  00001000 MSI P-    00000066   0/6      0/ 1024 @3000000 ^1 [");
	xt_stop(&t);
}

/*
 * A vCPU unplugged with sources still aimed at it: spirq masks them and
 * resets the vCPU's ENDs (QEMU would keep routing to a missing NVT); the
 * guest can no longer name it; plugged again, it starts clean.
 */
static void test_unplugged_vcpu(void **state)
{
	struct xt t;
	uint64_t v;

	(void)state;
	xt_start(&t, "pseries-7.2,ic-mode=xive", "1,maxcpus=2");
	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(spirq_cpu_plug(t.m, 1, NULL), 0);
	xt_claim(&t, MSI, false);
	xt_queue(&t, 1, 6, QADDR, 12, true);
	xt_set_cppr(&t, 1, 0xff);
	xt_route(&t, MSI, 1, 6, 0x61);
	xt_set_pq(&t, MSI, 0);
	msi_event(&t, MSI);
	assert_int_equal(t.line[1], 1);

	assert_int_equal(spirq_cpu_unplug(t.m, 1, NULL), 0);
	assert_int_equal(t.line[1], 0);
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_GET_SOURCE_CONFIG, 0, MSI),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(t.rets[0], 0xffffffffull);
	assert_int_equal(t.rets[1], 0xff);
	assert_int_equal(t.rets[2], 0x61);
	msi_event(&t, MSI);
	assert_int_equal(xt_eq(&t, QADDR, 1), 0);
	assert_int_equal(t.line[0], 0);
	assert_int_equal(t.line[1], 0);
	assert_int_equal(RING_IPB(xt_os_ring(&t, 0)), 0);
	/* the guest cannot name it any more */
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_SET_QUEUE_CONFIG, 0, 1, 6,
			    QADDR, 12), SPIRQ_H_P2);
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_GET_QUEUE_INFO, 0, 1, 6),
			 SPIRQ_H_P2);
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, 0, MSI, 1, 6,
			    0), SPIRQ_H_P3);
	assert_int_equal(HC(&t, 1, SPIRQ_H_INT_GET_SOURCE_INFO, 0, MSI),
			 SPIRQ_H_HARDWARE);
	assert_int_equal(spirq_mmio_load(t.m, 1, SPIRQ_REGION_TIMA,
					 TM_OS_RING, 8, &v), -SPIRQ_ERR_INVAL);

	/* plugged again: a fresh context, no queue */
	assert_int_equal(spirq_cpu_plug(t.m, 1, NULL), 0);
	assert_int_equal(xt_os_ring(&t, 1), 0x000000ffff0000ffull);
	assert_int_equal(t.line[1], 0);
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_GET_QUEUE_CONFIG, 0, 1, 6),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(t.rets[1], 0);
	assert_int_equal(t.rets[2], 0);
	xt_stop(&t);
}

static const char pic_after_start[] =
	"CPU[0000]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2\n"
	"CPU[0000]: USER    00   00  00    00   00  00  00   00  00000000\n"
	"CPU[0000]:   OS    00   00  00    ff   ff  00  ff   ff  80000400\n"
	"CPU[0000]: POOL    00   00  00    00   00  00  00   00  00000000\n"
	"CPU[0000]: PHYS    00   00  00    00   00  00  00   ff  00000000\n"
	"CPU[0001]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2\n"
	"CPU[0001]: USER    00   00  00    00   00  00  00   00  00000000\n"
	"CPU[0001]:   OS    00   00  00    ff   ff  00  ff   ff  80000401\n"
	"CPU[0001]: POOL    00   00  00    00   00  00  00   00  00000000\n"
	"CPU[0001]: PHYS    00   00  00    00   00  00  00   ff  00000000\n"
	"  LISN         PQ    EISN     CPU/PRIO EQ\n"
	"  00000000 MSI -Q  M 00000000\n"
	"  00000001 MSI -Q  M 00000000\n"
	"  00001000 MSI -Q  M 00000000\n"
	"  00001001 MSI -Q  M 00000000\n"
	"  00001200 LSI -Q  M 00000000\n"
	"irqchip: emulated\n";

static const char pic_after_setup[] =
	"CPU[0000]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2\n"
	"CPU[0000]: USER    00   00  00    00   00  00  00   00  00000000\n"
	"CPU[0000]:   OS    80   ff  02    ff   ff  00  ff   06  80000400\n"
	"CPU[0000]: POOL    00   00  00    00   00  00  00   00  00000000\n"
	"CPU[0000]: PHYS    00   00  00    00   00  00  00   ff  00000000\n"
	"CPU[0001]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2\n"
	"CPU[0001]: USER    00   00  00    00   00  00  00   00  00000000\n"
	"CPU[0001]:   OS    00   05  00    ff   ff  00  ff   ff  80000401\n"
	"CPU[0001]: POOL    00   00  00    00   00  00  00   00  00000000\n"
	"CPU[0001]: PHYS    00   00  00    00   00  00  00   ff  00000000\n"
	"  LISN         PQ    EISN     CPU/PRIO EQ\n"
	"  00000000 MSI -Q  M 00000000\n"
	"  00000001 MSI --    00000001   1/5      0/ 1024 @3000000 ^1 [\n"
	"  00001000 MSI P-    00001000   0/6      3/ 1024 @100000 ^1 [ 00000000 00000000 80001000 80001000 80001000 ^00000000 ]\n"
	"  00001001 MSI -Q    00000005\n"
	"  00001200 LSI -QA M 00000000\n"
	"irqchip: emulated\n";

/* The layout of QEMU 7.2's "info pic" for sPAPR XIVE. */
static void test_info_pic_layout(void **state)
{
	struct xt t;
	unsigned i;

	(void)state;
	xt_start(&t, "pseries-7.2,ic-mode=xive", "2");
	xt_claim(&t, MSI, false);
	xt_claim(&t, MSI2, false);
	xt_claim(&t, LSI, true);
	xt_info_pic(&t);
	assert_pic_text(&t, pic_after_start);

	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	xt_set_cppr(&t, 0, 0xff);
	xt_set_cppr(&t, 1, 5);
	xt_queue(&t, 0, 6, QADDR, 12, true);
	xt_route(&t, MSI, 0, 6, MSI);
	xt_set_pq(&t, MSI, 0);
	for (i = 0; i < 2; i++)
		msi_event(&t, MSI);
	assert_int_equal(spirq_set_irq(t.m, MSI, 1), 0);	/* P stays */
	/* unmasked, to an END without a queue: nothing after the EISN */
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, SRC_SET_EISN,
			    MSI2, 1, 2, 5), SPIRQ_H_SUCCESS);
	/* an IPI to a queue that cannot be read: the window stops at once */
	xt_queue(&t, 1, 5, 48ull << 20, 12, true);
	t.ram_ok = 32ull << 20;
	xt_route(&t, 1, 1, 5, 1);
	xt_set_pq(&t, 1, 0);
	assert_int_equal(spirq_set_irq(t.m, LSI, 1), 0);	/* PQ 01 */
	xt_info_pic(&t);
	assert_pic_text(&t, pic_after_setup);
	xt_stop(&t);
}

/* cpu_index in hex; NVT CAM line of the vCPU id. */
static void test_info_pic_cpu_numbers(void **state)
{
	struct xt t;

	(void)state;
	xt_start(&t, "pseries-7.2,ic-mode=xive,vsmt=8", "12");
	xt_info_pic(&t);
	assert_pic_line(&t, "CPU[000b]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2");
	assert_pic_line(&t, "CPU[000b]:   OS    00   00  00    ff   ff  00  ff   ff  80000458");
	assert_pic_line(&t, "  0000000b MSI -Q  M 00000000");
	xt_stop(&t);
}

/* QEMU lists the vCPUs in creation order (hot-plugged ones last). */
static void test_info_pic_cpu_order(void **state)
{
	struct xt t;
	const char *p0, *p1, *p2, *p3;

	(void)state;
	xt_start(&t, "pseries-7.2,ic-mode=xive", "1,maxcpus=4");
	assert_int_equal(spirq_cpu_plug(t.m, 1, NULL), 0);
	assert_int_equal(spirq_cpu_plug(t.m, 2, NULL), 0);
	assert_int_equal(spirq_cpu_plug(t.m, 3, NULL), 0);
	assert_int_equal(spirq_cpu_unplug(t.m, 1, NULL), 0);
	xt_info_pic(&t);
	p0 = strstr(t.pic, "CPU[0000]:   QW");
	p2 = strstr(t.pic, "CPU[0002]:   QW");
	p3 = strstr(t.pic, "CPU[0003]:   QW");
	assert_true(p0 && p2 && p3 && !strstr(t.pic, "CPU[0001]"));
	assert_true(p0 < p2 && p2 < p3);
	/* plugged again: last */
	assert_int_equal(spirq_cpu_plug(t.m, 1, NULL), 0);
	xt_info_pic(&t);
	p0 = strstr(t.pic, "CPU[0000]:   QW");
	p2 = strstr(t.pic, "CPU[0002]:   QW");
	p3 = strstr(t.pic, "CPU[0003]:   QW");
	p1 = strstr(t.pic, "CPU[0001]:   QW");
	assert_true(p0 && p2 && p3 && p1);
	assert_true(p0 < p2 && p2 < p3 && p3 < p1);
	xt_stop(&t);
}

/*
 * dual: XIVE's state survives a switch to XICS and back (a second CAS
 * switches in place), and device events go to the active controller
 * only; a machine reset returns to XICS and resets XIVE.
 */
static void test_dual_switch_and_reset(void **state)
{
	struct xt t;
	uint64_t v;

	(void)state;
	xt_start(&t, "pseries-7.2", "2");
	xt_claim(&t, MSI, false);
	xt_info_pic(&t);
	assert_true(!strncmp(t.pic, "CPU 0 XIRR=", 11));
	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	xt_info_pic(&t);
	assert_true(!strncmp(t.pic, "CPU[0000]:   QW", 15));
	xt_queue(&t, 0, 6, QADDR, 12, true);
	xt_set_cppr(&t, 0, 0xff);
	xt_route(&t, MSI, 0, 6, 0x10);
	xt_set_pq(&t, MSI, 0);
	msi_event(&t, MSI);
	assert_int_equal(xt_ack(&t, 0), 0x8006);
	xt_set_cppr(&t, 0, 0xff);

	xt_cas(&t, 0x00, SPIRQ_IC_MODE_XICS);
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_GET_QUEUE_CONFIG, 0, 0, 6),
			 SPIRQ_H_FUNCTION);
	assert_int_equal(spirq_mmio_load(t.m, 0, SPIRQ_REGION_ESB,
					 ESB_MGMT(MSI) + 0x800, 8, &v),
			 -SPIRQ_ERR_NOTFOUND);
	/* an event while XICS is active goes to XICS */
	assert_int_equal(spirq_set_irq(t.m, MSI, 1), 0);

	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(xt_qindex(&t, 0, 6, NULL), 1);
	assert_int_equal(xt_pq(&t, MSI), 0);
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_GET_SOURCE_CONFIG, 0, MSI),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(t.rets[0], 0);
	assert_int_equal(t.rets[1], 6);
	assert_int_equal(t.rets[2], 0x10);
	assert_int_equal(xt_os_ring(&t, 0), 0x00ff00ffff0000ffull);

	/* reset: XICS again, XIVE reset, claims kept */
	spirq_reset(t.m);
	xt_info_pic(&t);
	assert_true(!strncmp(t.pic, "CPU 0 XIRR=", 11));
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_GET_SOURCE_INFO, 0, MSI),
			 SPIRQ_H_FUNCTION);
	xt_cas(&t, 0x40, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_GET_SOURCE_CONFIG, 0, MSI),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(t.rets[0], 0xffffffffull);
	assert_int_equal(t.rets[1], 0xff);
	assert_int_equal(t.rets[2], 0);
	assert_int_equal(HC(&t, 0, SPIRQ_H_INT_GET_QUEUE_INFO, 0, 0, 6),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(t.rets[1], 0);
	assert_int_equal(xt_pq(&t, MSI), 1);
	assert_int_equal(xt_os_ring(&t, 0), 0x000000ffff0000ffull);
	assert_int_equal(xt_os_ring(&t, 1), 0x000000ffff0000ffull);
	xt_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_entry_layout),
		cmocka_unit_test(test_queue_wrap_and_generation),
		cmocka_unit_test(test_queue_64k),
		cmocka_unit_test(test_masked_source),
		cmocka_unit_test(test_end_coalescing),
		cmocka_unit_test(test_priorities),
		cmocka_unit_test(test_end_reset_drops),
		cmocka_unit_test(test_queue_write_refused_by_host),
		cmocka_unit_test(test_unplugged_vcpu),
		cmocka_unit_test(test_info_pic_layout),
		cmocka_unit_test(test_info_pic_cpu_numbers),
		cmocka_unit_test(test_info_pic_cpu_order),
		cmocka_unit_test(test_dual_switch_and_reset),
	};

	return cmocka_run_group_tests_name("xive", tests, NULL, NULL);
}
