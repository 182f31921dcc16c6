// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirq bench: the cost of one interrupt round trip (device trigger,
 * guest acknowledge, EOI) and the memory of a machine, for growing vCPU
 * counts.  Per-operation cost must not grow with the number of vCPUs or
 * sources (no scans): the command fails when the largest machine is more
 * than --max-ratio times slower per operation than the smallest.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define BENCH_RAM (64ull << 20)
#define MAX_ROUNDS_TEXT "100000000"
#define MAX_ROUNDS 100000000u	/* MAX_ROUNDS_TEXT */

static uint8_t *bench_ram;

static int read_ram(void *opaque, uint64_t gpa, void *buf, size_t len)
{
	(void)opaque;
	if (gpa >= BENCH_RAM || len > BENCH_RAM - gpa)
		return -1;
	memcpy(buf, bench_ram + gpa, len);
	return 0;
}

static int write_ram(void *opaque, uint64_t gpa, const void *buf, size_t len)
{
	(void)opaque;
	if (gpa >= BENCH_RAM || len > BENCH_RAM - gpa)
		return -1;
	memcpy(bench_ram + gpa, buf, len);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A machine with @cpus vCPUs and every external source claimed. */
static spirq_machine *bench_machine(const char *mode, unsigned cpus,
				    size_t *bytes)
{
	char machine[64], smp[32];
	const char *argv[] = { "-M", machine, "-smp", smp, "-m", "256M" };
	spirq_host_ops ops = {
		.version = SPIRQ_HOST_OPS_VERSION,
		.read_guest = read_ram,
		.write_guest = write_ram,
	};
	spirq_config cfg;
	spirq_machine *m;
	spirq_error err;
	uint32_t irq;

	snprintf(machine, sizeof(machine), "pseries-7.2,ic-mode=%s", mode);
	snprintf(smp, sizeof(smp), "%u", cpus);
	if (spirq_config_from_args(6, argv, &cfg, &err) < 0 ||
	    spirq_machine_create(&cfg, &ops, &m, &err) < 0) {
		fprintf(stderr, "spirq bench: %s\n", err.message);
		return NULL;
	}
	for (irq = SPIRQ_XIRQ_BASE; irq < SPIRQ_XIRQ_BASE + SPIRQ_NR_XIRQS; irq++)
		spirq_irq_claim(m, irq, false, NULL);
	/* the library's own count: the allocator's statistics miss the
	 * blocks glibc serves with mmap */
	*bytes = spirq_machine_footprint(m);
	return m;
}

/* XICS: trigger, H_XIRR, H_EOI on the last vCPU. */
static double bench_xics(unsigned cpus, unsigned rounds, size_t *bytes)
{
	spirq_machine *m = bench_machine("xics", cpus, bytes);
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { 0 }, rets[SPIRQ_HCALL_MAX_RETS];
	unsigned cpu = cpus - 1, i;
	uint32_t set[3] = { 0x1fff, spirq_vcpu_id(spirq_machine_config(m), cpu),
			    5 }, st[1];
	double t0, t1;

	spirq_rtas(m, 0, SPIRQ_RTAS_SET_XIVE, 3, set, 1, st);
	args[0] = 0xff;
	spirq_hcall(m, cpu, SPIRQ_H_CPPR, args, rets, NULL);
	t0 = now();
	for (i = 0; i < rounds; i++) {
		spirq_set_irq(m, 0x1fff, 1);
		spirq_hcall(m, cpu, SPIRQ_H_XIRR, args, rets, NULL);
		args[0] = rets[0];
		spirq_hcall(m, cpu, SPIRQ_H_EOI, args, rets, NULL);
	}
	t1 = now();
	spirq_machine_destroy(m);
	return (t1 - t0) / rounds * 1e9;
}

/* XIVE: trigger, TIMA acknowledge, ESB EOI, CPPR on the last vCPU. */
static double bench_xive(unsigned cpus, unsigned rounds, size_t *bytes)
{
	spirq_machine *m = bench_machine("xive", cpus, bytes);
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { 0 }, rets[SPIRQ_HCALL_MAX_RETS];
	unsigned cpu = cpus - 1, i;
	uint32_t id = spirq_vcpu_id(spirq_machine_config(m), cpu);
	uint64_t mgmt = (0x1fffull << SPIRQ_XIVE_ESB_SHIFT) + 0x10000, v;
	double t0, t1;

	spirq_cas(m, 0x40, NULL, NULL);
	args[0] = 1; args[1] = id; args[2] = 6; args[3] = 0x100000; args[4] = 16;
	spirq_hcall(m, 0, SPIRQ_H_INT_SET_QUEUE_CONFIG, args, rets, NULL);
	args[0] = 2; args[1] = 0x1fff; args[2] = id; args[3] = 6; args[4] = 1;
	spirq_hcall(m, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, args, rets, NULL);
	spirq_mmio_load(m, 0, SPIRQ_REGION_ESB, mgmt + 0xc00, 8, &v);
	spirq_mmio_store(m, cpu, SPIRQ_REGION_TIMA, 0x20011, 1, 0xff);
	t0 = now();
	for (i = 0; i < rounds; i++) {
		spirq_set_irq(m, 0x1fff, 1);
		spirq_mmio_load(m, cpu, SPIRQ_REGION_TIMA, 0x20810, 2, &v);
		spirq_mmio_load(m, cpu, SPIRQ_REGION_ESB, mgmt, 8, &v);
		spirq_mmio_store(m, cpu, SPIRQ_REGION_TIMA, 0x20011, 1, 0xff);
	}
	t1 = now();
	spirq_machine_destroy(m);
	return (t1 - t0) / rounds * 1e9;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: spirq bench [--rounds N] [--max-ratio R]\n"
		     "  --rounds N     interrupt round trips per measure, 1 to %u\n"
		     "                 (default 200000)\n"
		     "  --max-ratio R  fail when the largest machine costs more than R\n"
		     "                 times the smallest per interrupt, R >= 1 (default 4)\n",
		MAX_ROUNDS);
}

/* A decimal integer from 1 to MAX_ROUNDS, nothing else. */
static int parse_rounds(const char *text, unsigned *rounds)
{
	unsigned long v;
	char *end;

	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end || v < 1 || v > MAX_ROUNDS)
		return -1;
	*rounds = (unsigned)v;
	return 0;
}

/* A finite number >= 1 (a ratio below 1 would fail any measure). */
static int parse_ratio(const char *text, double *ratio)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (end == text || *end || errno || !isfinite(v) || v < 1.0)
		return -1;
	*ratio = v;
	return 0;
}

static int bad_value(const char *option, const char *wants,
		     const char *value)
{
	return cli_fail(false, "spirq bench", CLI_USAGE,
			"%s takes %s, not '%.40s%s'", option, wants, value,
			strlen(value) > 40 ? "..." : "");
}

int cmd_bench(int argc, char **argv)
{
	static const unsigned sizes[] = { 1, 16, 256, 4096 };
	double max_ratio = 4.0, first[2] = { 0 }, last[2] = { 0 };
	unsigned rounds = 200000, k;
	int i;

	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return CLI_OK;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			if (parse_rounds(argv[++i], &rounds) < 0)
				return bad_value("--rounds",
						 "an integer from 1 to "
						 MAX_ROUNDS_TEXT,
						 argv[i]);
		} else if (!strcmp(argv[i], "--max-ratio") && i + 1 < argc) {
			if (parse_ratio(argv[++i], &max_ratio) < 0)
				return bad_value("--max-ratio",
						 "a number of at least 1",
						 argv[i]);
		} else {
			usage(stderr);
			return CLI_USAGE;
		}
	}
	bench_ram = calloc(1, BENCH_RAM);
	if (!bench_ram)
		return CLI_FAILURE;
	printf("%-6s %14s %14s %14s %14s\n", "vCPUs", "XICS ns/irq",
	       "XICS bytes", "XIVE ns/irq", "XIVE bytes");
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t xics_bytes, xive_bytes;
		double xics = bench_xics(sizes[k], rounds, &xics_bytes);
		double xive = bench_xive(sizes[k], rounds, &xive_bytes);

		printf("%-6u %14.1f %14zu %14.1f %14zu\n", sizes[k], xics,
		       xics_bytes, xive, xive_bytes);
		if (!k) {
			first[0] = xics;
			first[1] = xive;
		}
		last[0] = xics;
		last[1] = xive;
	}
	free(bench_ram);
	printf("cost ratio %u vCPUs / 1 vCPU: XICS %.2f, XIVE %.2f (limit %.1f)\n",
	       sizes[k - 1], last[0] / first[0], last[1] / first[1], max_ratio);
	if (last[0] / first[0] > max_ratio || last[1] / first[1] > max_ratio) {
		printf("FAIL: the cost per interrupt grows with the machine\n");
		return CLI_FAILURE;
	}
	return CLI_OK;
}
