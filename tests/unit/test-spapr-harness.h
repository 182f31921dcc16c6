/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small VMM for the unit tests: a recording host-ops table (guest RAM,
 * vCPU interrupt lines, log), guest-side helpers (hcalls, RTAS, MMIO,
 * "info pic" capture) and migration-stream helpers, all on the public
 * API.
 *
 * Include it after <cmocka.h>'s prerequisites; every helper is static
 * inline, so a test uses what it needs.
 */
#ifndef TEST_SPAPR_HARNESS_H
#define TEST_SPAPR_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <cmocka.h>

#include <spirq/spirq.h>

#include "test-guest-ram.h"

#define HOST_MAX_CPUS	64
#define HOST_LOG_MAX	128
#define HOST_LOG_LEN	256
#define PIC_MAX		(256 * 1024)

/* What the embedder saw. */
struct host {
	struct test_ram ram;			/* first: the RAM callbacks' opaque */
	int line[HOST_MAX_CPUS];		/* current vCPU line levels */
	unsigned line_calls[HOST_MAX_CPUS];	/* set_cpu_irq calls per vCPU */
	unsigned nlog;
	spirq_log_level log_level[HOST_LOG_MAX];
	char log[HOST_LOG_MAX][HOST_LOG_LEN];
};

/* Guest-visible constants of the sPAPR XIVE (PAPR, QEMU 7.2). */
#define XIVE_SRC_SET_EISN	0x2ull	/* H_INT_SET_SOURCE_CONFIG flags */
#define XIVE_SRC_MASK		0x1ull
#define XIVE_END_ALWAYS_NOTIFY	0x1ull	/* H_INT_SET_QUEUE_CONFIG flags */
#define XIVE_END_DEBUG		0x1ull	/* H_INT_GET_QUEUE_CONFIG flags */
#define XIVE_ESB_STORE		0x1ull	/* H_INT_ESB flags */
#define ESB_MGMT(lisn)		(((uint64_t)(lisn) << SPIRQ_XIVE_ESB_SHIFT) + 0x10000)
#define ESB_TRIGGER(lisn)	((uint64_t)(lisn) << SPIRQ_XIVE_ESB_SHIFT)
#define ESB_GET			0x800
#define ESB_SET_PQ_00		0xc00
#define TIMA_OS_CPPR		0x20011	/* store 1 byte */
#define TIMA_OS_ACK		0x20810	/* load 2 bytes */
#define TIMA_OS_WORD0		0x20010	/* load 4 or 8: NSR CPPR IPB LSMFB ... */

/* ---- host callbacks -------------------------------------------------- */

static inline void host_set_cpu_irq(void *opaque, unsigned cpu, int level)
{
	struct host *h = opaque;

	assert_true(cpu < HOST_MAX_CPUS);
	/* spirq promises to call only on changes */
	assert_int_not_equal(h->line[cpu], level);
	h->line[cpu] = level;
	h->line_calls[cpu]++;
}

/* set_cpu_irq calls over all vCPUs. */
static inline unsigned host_line_calls_total(const struct host *h)
{
	unsigned cpu, n = 0;

	for (cpu = 0; cpu < HOST_MAX_CPUS; cpu++)
		n += h->line_calls[cpu];
	return n;
}

static inline uint64_t host_timebase(void *opaque, unsigned cpu)
{
	return 0x1000 + cpu;
}

static inline void host_log(void *opaque, spirq_log_level level,
			    const char *msg)
{
	struct host *h = opaque;

	if (h->nlog >= HOST_LOG_MAX)
		return;
	h->log_level[h->nlog] = level;
	snprintf(h->log[h->nlog], HOST_LOG_LEN, "%s", msg);
	h->nlog++;
}

/* How many logged lines of @level contain @needle (from line @from). */
static inline unsigned host_log_count(const struct host *h, unsigned from,
				      spirq_log_level level,
				      const char *needle)
{
	unsigned i, n = 0;

	for (i = from; i < h->nlog; i++)
		if (h->log_level[i] == level && strstr(h->log[i], needle))
			n++;
	return n;
}

/* ---- machines ---------------------------------------------------------- */

/* Resolve QEMU-style arguments (NULL-terminated list). */
static inline int config_args(spirq_config *cfg, spirq_error *err,
			      va_list ap)
{
	const char *argv[16];
	int argc = 0;

	while (argc < 16 && (argv[argc] = va_arg(ap, const char *)))
		argc++;
	return spirq_config_from_args(argc, argv, cfg, err);
}

/*
 * Create a machine from QEMU-style arguments (NULL-terminated), with a
 * fresh host; fails the test if the configuration is refused.
 */
static inline spirq_machine *machine_new(struct host *h, ...)
{
	spirq_host_ops ops = {
		.version = SPIRQ_HOST_OPS_VERSION,
		.opaque = h,
		.read_guest = test_ram_read,
		.write_guest = test_ram_write,
		.set_cpu_irq = host_set_cpu_irq,
		.timebase = host_timebase,
		.log = host_log,
	};
	spirq_machine *m = NULL;
	spirq_config cfg;
	spirq_error err;
	va_list ap;
	int ret;

	memset(h, 0, sizeof(*h));
	va_start(ap, h);
	ret = config_args(&cfg, &err, ap);
	va_end(ap);
	if (ret)
		print_message("configuration refused: %s\n", err.message);
	assert_int_equal(ret, 0);
	assert_int_equal(test_ram_alloc(&h->ram, cfg.ram_size), 0);
	assert_int_equal(spirq_machine_create(&cfg, &ops, &m, &err), 0);
	return m;
}

/* Release the guest RAM of a host whose machine is gone. */
static inline void host_release(struct host *h)
{
	test_ram_free(&h->ram);
}

static inline void machine_free(struct host *h, spirq_machine *m)
{
	spirq_machine_destroy(m);
	host_release(h);
}

/* ---- migration streams ------------------------------------------------ */

/* The machine's migration stream, malloc'ed; its length in *len. */
static inline uint8_t *stream_save(spirq_machine *m, size_t *len)
{
	uint8_t *buf;

	assert_int_equal(spirq_save(m, NULL, 0, len), -SPIRQ_ERR_NOSPACE);
	buf = malloc(*len);
	assert_non_null(buf);
	assert_int_equal(spirq_save(m, buf, *len, len), 0);
	return buf;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Recompute the CRC of a patched stream, so that the validators see it. */
static inline void stream_reseal(uint8_t *buf, size_t len)
{
	uLong crc = crc32(crc32(0L, Z_NULL, 0), buf, (uInt)(len - 4));

	put_be32(buf + len - 4, (uint32_t)crc);
}

/* ---- guest calls -------------------------------------------------------- */

static inline int64_t hcall_v(spirq_machine *m, unsigned cpu, uint64_t op,
			      uint64_t *rets, const uint64_t *args)
{
	uint64_t dummy[SPIRQ_HCALL_MAX_RETS];

	return spirq_hcall(m, cpu, op, args, rets ? rets : dummy, NULL);
}

/* hcall(m, cpu, opcode, rets-or-NULL, R4, R5, ...): at least one arg */
#define hcall(m, cpu, op, rets, ...)					\
	hcall_v((m), (cpu), (op), (rets),				\
		(const uint64_t[SPIRQ_HCALL_MAX_ARGS]){ __VA_ARGS__ })

/* The RTAS status of an interrupt RTAS call; @rets gets the cells. */
static inline int32_t rtas_v(spirq_machine *m, unsigned cpu, uint32_t token,
			     uint32_t nargs, const uint32_t *args,
			     uint32_t *rets)
{
	uint32_t r[4] = { 0 };
	int ret = spirq_rtas(m, cpu, token, nargs, args, spirq_rtas_nret(token),
			     rets ? rets : r);

	if (ret == -SPIRQ_ERR_NOTFOUND)
		return SPIRQ_RTAS_OUT_PARAM_ERROR;	/* no such token */
	assert_int_equal(ret, 0);
	return (int32_t)(rets ? rets[0] : r[0]);
}

static inline int32_t set_xive(spirq_machine *m, uint32_t irq,
			       uint32_t server, uint32_t prio)
{
	const uint32_t args[] = { irq, server, prio };

	return rtas_v(m, 0, SPIRQ_RTAS_SET_XIVE, 3, args, NULL);
}

/* ibm,get-xive: status; *server and *prio on success */
static inline int32_t get_xive(spirq_machine *m, uint32_t irq,
			       uint32_t *server, uint32_t *prio)
{
	uint32_t rets[4] = { 0 };
	int32_t st = rtas_v(m, 0, SPIRQ_RTAS_GET_XIVE, 1, &irq, rets);

	*server = rets[1];
	*prio = rets[2];
	return st;
}

static inline int32_t int_onoff(spirq_machine *m, uint32_t irq, bool on)
{
	return rtas_v(m, 0, on ? SPIRQ_RTAS_INT_ON : SPIRQ_RTAS_INT_OFF, 1,
		      &irq, NULL);
}

static inline uint64_t mmio_load(spirq_machine *m, unsigned cpu,
				 spirq_region region, uint64_t offset,
				 unsigned size)
{
	uint64_t v = 0;

	assert_int_equal(spirq_mmio_load(m, cpu, region, offset, size, &v), 0);
	return v;
}

static inline void mmio_store(spirq_machine *m, unsigned cpu,
			      spirq_region region, uint64_t offset,
			      unsigned size, uint64_t value)
{
	assert_int_equal(spirq_mmio_store(m, cpu, region, offset, size,
					  value), 0);
}

/* ---- XIVE guest recipes (what Linux does) ------------------------------ */

/* A 4 KiB always-notify queue for (target, prio), CPPR opened by @cpu. */
static inline void xive_queue(spirq_machine *m, unsigned cpu,
			      uint32_t target, uint8_t prio, uint64_t qpage)
{
	assert_int_equal(hcall(m, cpu, SPIRQ_H_INT_SET_QUEUE_CONFIG, NULL,
			       XIVE_END_ALWAYS_NOTIFY, target, prio, qpage, 12),
			 SPIRQ_H_SUCCESS);
	mmio_store(m, cpu, SPIRQ_REGION_TIMA, TIMA_OS_CPPR, 1, 0xff);
}

/* Route @lisn to (target, prio) with @eisn, unmasked, PQ 00. */
static inline void xive_route(spirq_machine *m, uint32_t lisn,
			      uint32_t target, uint8_t prio, uint32_t eisn)
{
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, NULL,
			       XIVE_SRC_SET_EISN, lisn, target, prio, eisn),
			 SPIRQ_H_SUCCESS);
	mmio_load(m, 0, SPIRQ_REGION_ESB, ESB_MGMT(lisn) + ESB_SET_PQ_00, 8);
}

/* PQ of @lisn through H_INT_ESB (works whether or not MMIO is mapped). */
static inline uint64_t xive_pq(spirq_machine *m, uint32_t lisn)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };

	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_ESB, rets, 0, lisn, ESB_GET),
			 SPIRQ_H_SUCCESS);
	return rets[0];
}

/* The 32-bit big-endian queue entry @index of the queue at @qpage. */
static inline uint32_t queue_entry(const struct host *h, uint64_t qpage,
				   unsigned index)
{
	const uint8_t *p = h->ram.bytes + qpage + 4ull * index;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* ---- info pic ----------------------------------------------------------- */

struct pic {
	char text[PIC_MAX];
	size_t len;
	unsigned lines;
};

/* One line, trailing blanks stripped (QEMU's XIVE lines end in one). */
static inline void pic_line(void *opaque, const char *line)
{
	struct pic *p = opaque;
	size_t n = strlen(line);

	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	assert_true(n + 1 < sizeof(p->text) - p->len);
	memcpy(p->text + p->len, line, n);
	p->len += n;
	p->text[p->len++] = '\n';
	p->text[p->len] = '\0';
	p->lines++;
}

/* Capture "info pic" into @p (heap: it is big) and return its text. */
static inline const char *info_pic(spirq_machine *m, struct pic *p)
{
	p->len = 0;
	p->lines = 0;
	p->text[0] = '\0';
	assert_int_equal(spirq_info_pic(m, pic_line, p), 0);
	return p->text;
}

static inline struct pic *pic_new(void)
{
	struct pic *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	return p;
}

/* Does @text hold this exact line? */
static inline bool text_has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *s = text;

	while (*s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (len == n && !memcmp(s, line, n))
			return true;
		if (!e)
			break;
		s = e + 1;
	}
	return false;
}

/* Does "info pic" hold this exact line? */
static inline bool pic_has(spirq_machine *m, const char *line)
{
	struct pic *p = pic_new();
	bool found = text_has_line(info_pic(m, p), line);

	free(p);
	return found;
}

/* The last line of "info pic" (the irqchip line), without newline. */
static inline void pic_last_line(spirq_machine *m, char *buf, size_t size)
{
	struct pic *p = pic_new();
	char *last;

	info_pic(m, p);
	assert_true(p->len > 0);
	p->text[p->len - 1] = '\0';
	last = strrchr(p->text, '\n');
	snprintf(buf, size, "%s", last ? last + 1 : p->text);
	free(p);
}

/* Is XICS (true) or XIVE (false) the controller "info pic" shows? */
static inline bool pic_is_xics(spirq_machine *m)
{
	struct pic *p = pic_new();
	bool xics;

	info_pic(m, p);
	xics = strstr(p->text, "\nICS 1000..") != NULL ||
	       !strncmp(p->text, "ICS 1000..", 10);
	assert_true(xics != (strstr(p->text, "  LISN         PQ") != NULL));
	free(p);
	return xics;
}

#endif /* TEST_SPAPR_HARNESS_H */
