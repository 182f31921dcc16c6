/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test harness shared by the XIVE unit tests (tests/unit/test-xive*.c).
 *
 * Every test drives the public API only, as an embedder would: a machine
 * created from QEMU-style arguments with 64 MiB of guest RAM owned by the
 * test (so the event queues can be read back, big-endian, as the guest
 * sees them), interrupt-line changes and log lines recorded, then hcalls,
 * ESB and TIMA loads and stores, device lines, CAS and reset.
 *
 * The expected values come from QEMU 7.2's behaviour (hw/intc/xive.c,
 * hw/intc/spapr_xive.c) as adjusted by the deliberate differences D1-D7 of
 * docs/design.md, never from spirq's output.
 */
#ifndef TEST_XIVE_H
#define TEST_XIVE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <spirq/spirq.h>

#define XT_RAM_SIZE	(256ull << 20)
#define XT_MAX_CPUS	16

/* XIVE numbers of QEMU 7.2 the tests check against */
/* END ESB base: vc_base + (0x2000 << 17) */
#define XT_END_BASE	0x0006010040000000ull
#define XT_NR_IRQS	0x2000u

/* TIMA pages (offsets from the TIMA base) and OS-page registers */
#define TM_HW		0x00000u
#define TM_HV		0x10000u
#define TM_OS		0x20000u
#define TM_USER		0x30000u
/* OS ring: NSR CPPR IPB LSMFB ACK# INC AGE PIPR */
#define TM_OS_RING	(TM_OS + 0x10)
#define TM_OS_CPPR	(TM_OS + 0x11)	/* store 1: set CPPR */
#define TM_OS_ACK	(TM_OS + 0x810)	/* load 2: acknowledge */
#define TM_OS_PENDING	(TM_OS + 0x812)	/* store 1: set pending */

/* hcall flags (PAPR bit 63 is 0x1) */
#define SRC_SET_EISN	0x2ull
#define SRC_MASK	0x1ull
#define END_ALWAYS_NOTIFY 0x1ull
#define END_DEBUG	0x1ull
#define ESB_FLAG_STORE	0x1ull

/* ESB page addresses of a source (offsets from the ESB region base) */
#define ESB_TRIG(lisn)	((uint64_t)(lisn) << 17)
#define ESB_MGMT(lisn)	(ESB_TRIG(lisn) + 0x10000)

struct xt {
	spirq_machine *m;
	uint8_t *ram;
	uint64_t ram_ok;	/* the host accepts accesses below this */
	int line[XT_MAX_CPUS];
	unsigned raised[XT_MAX_CPUS];
	unsigned lowered[XT_MAX_CPUS];
	unsigned guest_errors;
	char last_log[256];
	uint64_t rets[SPIRQ_HCALL_MAX_RETS];
	unsigned nrets;
	char *pic;		/* the last "info pic", one line per '\n' */
	size_t pic_len;
};

static inline int xt_read_guest(void *opaque, uint64_t gpa, void *buf,
				size_t len)
{
	struct xt *t = opaque;

	if (gpa >= t->ram_ok || len > t->ram_ok - gpa)
		return -1;
	memcpy(buf, t->ram + gpa, len);
	return 0;
}

static inline int xt_write_guest(void *opaque, uint64_t gpa,
				 const void *buf, size_t len)
{
	struct xt *t = opaque;

	if (gpa >= t->ram_ok || len > t->ram_ok - gpa)
		return -1;
	memcpy(t->ram + gpa, buf, len);
	return 0;
}

static inline void xt_set_cpu_irq(void *opaque, unsigned cpu, int level)
{
	struct xt *t = opaque;

	assert_true(cpu < XT_MAX_CPUS);
	/* spirq reports changes only */
	assert_int_not_equal(t->line[cpu], level);
	t->line[cpu] = level;
	if (level)
		t->raised[cpu]++;
	else
		t->lowered[cpu]++;
}

static inline void xt_log(void *opaque, spirq_log_level level,
			  const char *msg)
{
	struct xt *t = opaque;

	if (level == SPIRQ_LOG_GUEST_ERROR)
		t->guest_errors++;
	snprintf(t->last_log, sizeof(t->last_log), "%s", msg);
}

/* map_guest, for the tests of the paths that write queues directly. */
static inline void *xt_map_guest(void *opaque, uint64_t gpa, size_t len)
{
	struct xt *t = opaque;

	if (gpa >= t->ram_ok || len > t->ram_ok - gpa)
		return NULL;
	return t->ram + gpa;
}

/*
 * A machine from -M MACHINE -smp SMP -m MEM (at most XT_RAM_SIZE), its
 * RAM mapped for spirq (map_guest) when @mapped.
 */
static inline void xt_start_host(struct xt *t, const char *machine,
				 const char *smp, const char *mem,
				 bool mapped)
{
	static const spirq_host_ops proto = {
		.version = SPIRQ_HOST_OPS_VERSION,
		.read_guest = xt_read_guest,
		.write_guest = xt_write_guest,
		.set_cpu_irq = xt_set_cpu_irq,
		.log = xt_log,
	};
	const char *argv[] = { "-M", (char *)machine, "-smp", (char *)smp,
			 "-m", (char *)mem };
	spirq_host_ops ops = proto;
	spirq_config cfg;
	spirq_error err;

	if (mapped)
		ops.map_guest = xt_map_guest;
	memset(t, 0, sizeof(*t));
	t->ram = calloc(1, XT_RAM_SIZE);
	assert_non_null(t->ram);
	t->ram_ok = XT_RAM_SIZE;
	ops.opaque = t;
	assert_int_equal(spirq_config_from_args(6, argv, &cfg, &err), 0);
	assert_int_equal(spirq_machine_create(&cfg, &ops, &t->m, &err), 0);
}

static inline void xt_start_mem(struct xt *t, const char *machine,
				const char *smp, const char *mem)
{
	xt_start_host(t, machine, smp, mem, false);
}

/* A machine from -M MACHINE -smp SMP -m 256M. */
static inline void xt_start(struct xt *t, const char *machine,
			    const char *smp)
{
	xt_start_mem(t, machine, smp, "256M");
}

static inline void xt_stop(struct xt *t)
{
	spirq_machine_destroy(t->m);
	free(t->ram);
	free(t->pic);
	t->m = NULL;
	t->ram = NULL;
	t->pic = NULL;
}

static inline void xt_cas(struct xt *t, uint8_t byte23, spirq_ic_mode want)
{
	spirq_ic_mode mode;
	spirq_error err;

	assert_int_equal(spirq_cas(t->m, byte23, &mode, &err), 0);
	assert_int_equal(mode, want);
}

/* A XIVE-only machine with XIVE negotiated. */
static inline void xt_start_xive(struct xt *t, const char *smp)
{
	xt_start(t, "pseries-7.2,ic-mode=xive", smp);
	xt_cas(t, 0x40, SPIRQ_IC_MODE_XIVE);
}

static inline int64_t xt_hcall(struct xt *t, unsigned cpu, uint64_t opcode,
			       const uint64_t *args)
{
	unsigned i;

	for (i = 0; i < SPIRQ_HCALL_MAX_RETS; i++)
		t->rets[i] = 0x5a5a5a5a5a5a5a5aull;	/* "not written" */
	t->nrets = 99;
	return spirq_hcall(t->m, cpu, opcode, args, t->rets, &t->nrets);
}

/* HC(t, cpu, H_INT_..., R4, R5, ...): the other input registers are 0. */
#define HC(t, cpu, op, ...) \
	xt_hcall((t), (cpu), (op), \
		 (const uint64_t[SPIRQ_HCALL_MAX_ARGS]){ __VA_ARGS__ })

static inline uint64_t xt_load(struct xt *t, unsigned cpu,
			       spirq_region region, uint64_t offset,
			       unsigned size)
{
	uint64_t value = 0x5a5a5a5a5a5a5a5aull;

	assert_int_equal(spirq_mmio_load(t->m, cpu, region, offset, size,
					 &value), 0);
	return value;
}

static inline void xt_store(struct xt *t, unsigned cpu, spirq_region region,
			    uint64_t offset, unsigned size, uint64_t value)
{
	assert_int_equal(spirq_mmio_store(t->m, cpu, region, offset, size,
					  value), 0);
}

#define ESB_LOAD(t, off)	xt_load((t), 0, SPIRQ_REGION_ESB, (off), 8)
#define ESB_STORE(t, off)	xt_store((t), 0, SPIRQ_REGION_ESB, (off), 8, 0)
#define TM_LOAD(t, cpu, off, size) \
	xt_load((t), (cpu), SPIRQ_REGION_TIMA, (off), (size))
#define TM_STORE(t, cpu, off, size, v) \
	xt_store((t), (cpu), SPIRQ_REGION_TIMA, (off), (size), (v))

/* PQ of a source, read through the management page (no side effect). */
static inline unsigned xt_pq(struct xt *t, uint32_t lisn)
{
	return (unsigned)ESB_LOAD(t, ESB_MGMT(lisn) + 0x800);
}

static inline void xt_set_pq(struct xt *t, uint32_t lisn, unsigned pq)
{
	ESB_STORE(t, ESB_MGMT(lisn) + 0xc00 + (pq << 8));
}

/* The OS ring bytes 0-7 of a vCPU, raw 8-byte load (AGE reads 0). */
static inline uint64_t xt_os_ring(struct xt *t, unsigned cpu)
{
	return TM_LOAD(t, cpu, TM_OS_RING, 8);
}

#define RING_NSR(r)	((unsigned)((r) >> 56) & 0xff)
#define RING_CPPR(r)	((unsigned)((r) >> 48) & 0xff)
#define RING_IPB(r)	((unsigned)((r) >> 40) & 0xff)
#define RING_PIPR(r)	((unsigned)(r) & 0xff)

static inline void xt_set_cppr(struct xt *t, unsigned cpu, uint8_t cppr)
{
	TM_STORE(t, cpu, TM_OS_CPPR, 1, cppr);
}

static inline unsigned xt_ack(struct xt *t, unsigned cpu)
{
	return (unsigned)TM_LOAD(t, cpu, TM_OS_ACK, 2);
}

/* Event-queue entry @idx of the queue at @qaddr, big-endian in RAM. */
static inline uint32_t xt_eq(const struct xt *t, uint64_t qaddr,
			     uint32_t idx)
{
	const uint8_t *b = t->ram + qaddr + 4ull * idx;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static inline void xt_claim(struct xt *t, uint32_t irq, bool lsi)
{
	assert_int_equal(spirq_irq_claim(t->m, irq, lsi, NULL), 0);
}

/* H_INT_SET_QUEUE_CONFIG that must succeed. */
static inline void xt_queue(struct xt *t, uint32_t target, uint8_t prio,
			    uint64_t qaddr, unsigned qshift,
			    bool always_notify)
{
	assert_int_equal(HC(t, 0, SPIRQ_H_INT_SET_QUEUE_CONFIG,
			    always_notify ? END_ALWAYS_NOTIFY : 0, target,
			    prio, qaddr, qshift), SPIRQ_H_SUCCESS);
}

/* H_INT_SET_SOURCE_CONFIG, unmasked, with an EISN; must succeed. */
static inline void xt_route(struct xt *t, uint32_t lisn, uint32_t target,
			    uint8_t prio, uint32_t eisn)
{
	assert_int_equal(HC(t, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, SRC_SET_EISN,
			    lisn, target, prio, eisn), SPIRQ_H_SUCCESS);
}

/* Write index of a queue, from H_INT_GET_QUEUE_CONFIG with DEBUG. */
static inline uint32_t xt_qindex(struct xt *t, uint32_t target,
				 uint8_t prio, unsigned *generation)
{
	assert_int_equal(HC(t, 0, SPIRQ_H_INT_GET_QUEUE_CONFIG, END_DEBUG,
			    target, prio), SPIRQ_H_SUCCESS);
	if (generation)
		*generation = (unsigned)(t->rets[0] >> 62) & 1;
	return (uint32_t)t->rets[3];
}

static inline void xt_pic_line(void *opaque, const char *line)
{
	struct xt *t = opaque;
	size_t n = strlen(line);

	t->pic = realloc(t->pic, t->pic_len + n + 2);
	assert_non_null(t->pic);
	memcpy(t->pic + t->pic_len, line, n);
	t->pic_len += n;
	t->pic[t->pic_len++] = '\n';
	t->pic[t->pic_len] = '\0';
}

/* Run "info pic"; the text is in t->pic. */
static inline const char *xt_info_pic(struct xt *t)
{
	free(t->pic);
	t->pic = NULL;
	t->pic_len = 0;
	assert_int_equal(spirq_info_pic(t->m, xt_pic_line, t), 0);
	return t->pic;
}

/* Is @line (trailing blanks ignored) one of the lines of the last info pic? */
static inline bool xt_pic_has(const struct xt *t, const char *line)
{
	size_t n = strlen(line);
	const char *p = t->pic;

	while (p && *p) {
		const char *end = strchr(p, '\n');
		size_t len = (size_t)(end - p);

		while (len && p[len - 1] == ' ')
			len--;
		if (len == n && !memcmp(p, line, n))
			return true;
		p = end + 1;
	}
	return false;
}

#define assert_pic_line(t, line) do {					\
	if (!xt_pic_has((t), (line)))					\
		fail_msg("info pic lacks \"%s\":\n%s", (line), (t)->pic); \
} while (0)

#endif /* TEST_XIVE_H */
