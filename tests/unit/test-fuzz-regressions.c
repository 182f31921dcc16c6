// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: regressions found by the libFuzzer targets (fuzz/), one test
 * per bug, each with the input that showed it, reduced.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <cmocka.h>

#include <spirq/spirq.h>

#include "test-guest-ram.h"

#define RAM_SIZE (16u << 20)

struct host {
	struct test_ram ram;		/* first: the RAM callbacks' opaque */
	unsigned line_calls;
	int line[8];
};

static void host_line(void *opaque, unsigned cpu, int level)
{
	struct host *h = opaque;

	h->line_calls++;
	if (cpu < 8)
		h->line[cpu] = level;
}

static spirq_machine *make(struct host *h, const char *machine,
			   const char *smp)
{
	char *argv[] = { "-M", (char *)machine, "-smp", (char *)smp, "-m", "16M" };
	spirq_host_ops ops = {
		.version = SPIRQ_HOST_OPS_VERSION,
		.opaque = h,
		.read_guest = test_ram_read,
		.write_guest = test_ram_write,
		.set_cpu_irq = host_line,
	};
	spirq_config cfg;
	spirq_machine *m;
	spirq_error err;

	if (!h->ram.bytes)
		assert_int_equal(test_ram_alloc(&h->ram, RAM_SIZE), 0);
	if (spirq_config_from_args(6, argv, &cfg, &err) < 0)
		fail_msg("config %s %s: %s", machine, smp, err.message);
	assert_int_equal(spirq_machine_create(&cfg, &ops, &m, &err), 0);
	return m;
}

static uint8_t *save(spirq_machine *m, size_t *len)
{
	uint8_t *buf;

	assert_int_equal(spirq_save(m, NULL, 0, len), -SPIRQ_ERR_NOSPACE);
	buf = malloc(*len);
	assert_non_null(buf);
	assert_int_equal(spirq_save(m, buf, *len, len), 0);
	return buf;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void reseal(uint8_t *buf, size_t len)
{
	uLong crc = crc32(crc32(0L, Z_NULL, 0), buf, (uInt)(len - 4));

	put_be32(buf + len - 4, (uint32_t)crc);
}

/*
 * fuzz-restore: the configuration record of a stream without XIVE
 * carried an END count (0x1000000) and was accepted by a XICS machine,
 * which then saved 0 there: a non-canonical stream was accepted.  The
 * XIVE sizes of a record without XIVE must be 0.
 */
static void test_config_xive_sizes_without_xive(void **state)
{
	/* record: caps, ic-mode, maxcpus, threads, vsmt, id bound, sources,
	 * IPIs (offset 24 + 5 + 22), ENDs (+ 26) */
	static const size_t ipis_at = 24 + 5 + 22, ends_at = 24 + 5 + 26;
	struct host h = { 0 };
	spirq_machine *m = make(&h, "pseries-7.2,ic-mode=xics", "2,maxcpus=4");
	spirq_error err;
	uint8_t *good, *bad;
	size_t len;

	(void)state;
	good = save(m, &len);
	assert_int_equal(good[24], 1);			/* CONFIG */
	assert_int_equal(good[29], 1);			/* caps: XICS */
	bad = malloc(len);
	assert_non_null(bad);

	memcpy(bad, good, len);
	put_be32(bad + ends_at, 0x1000000);
	reseal(bad, len);
	assert_int_equal(spirq_restore(m, bad, len, &err), -SPIRQ_ERR_STREAM);
	assert_non_null(strstr(err.message, "without XIVE"));

	memcpy(bad, good, len);
	put_be32(bad + ipis_at, 4);
	reseal(bad, len);
	assert_int_equal(spirq_restore(m, bad, len, &err), -SPIRQ_ERR_STREAM);

	/* the machine is unchanged and its own stream still goes back in */
	assert_int_equal(spirq_restore(m, good, len, &err), 0);
	free(bad);
	free(good);
	spirq_machine_destroy(m);
	free(h.ram.bytes);
}

/*
 * fuzz-*: spirq_machine_destroy() ran the unplug path of every vCPU:
 * O(vCPUs x sources) work and a set_cpu_irq callback (line down) while
 * the embedder tears its VM down.  Destroying only frees.
 */
static void test_destroy_calls_no_host_callback(void **state)
{
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { 0 };
	uint64_t rets[SPIRQ_HCALL_MAX_RETS];
	struct host h = { 0 };
	spirq_machine *m = make(&h, "pseries-7.2,ic-mode=xics", "2");
	unsigned calls;

	(void)state;
	args[0] = 0xff;		/* CPPR: accept everything */
	assert_int_equal(spirq_hcall(m, 0, SPIRQ_H_CPPR, args, rets, NULL),
			 SPIRQ_H_SUCCESS);
	args[0] = 0;		/* server 0 */
	args[1] = 0x5;		/* MFRR: an IPI more favoured than CPPR 0xff */
	assert_int_equal(spirq_hcall(m, 0, SPIRQ_H_IPI, args, rets, NULL),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(h.line[0], 1);
	calls = h.line_calls;
	spirq_machine_destroy(m);
	assert_int_equal(h.line_calls, calls);
	free(h.ram.bytes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_xive_sizes_without_xive),
		cmocka_unit_test(test_destroy_calls_no_host_callback),
	};

	return cmocka_run_group_tests_name("fuzz-regressions", tests, NULL,
					   NULL);
}
