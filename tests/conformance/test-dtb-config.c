// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conformance: for every configuration QEMU 7.2 was run with (dtb/), spirq
 * refuses what QEMU refused, with QEMU's message, and computes for the
 * others the cpu nodes, their interrupt server numbers and the server /
 * LISN ranges QEMU put in the device tree -- except the seed-000 change
 * (>= pseries-6.0 with vsmt != threads: the XIVE LISN range is max_cpus).
 *
 * usage: test-dtb-config DTB-DIR
 */
#include <stdio.h>
#include <string.h>

#include <spirq/spirq.h>

#include "dtb-data.h"

#define XIVE_NODE "/interrupt-controller@60302031b0000"

static int failures;

#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		if (!(cond)) {                                                \
			printf("not ok: %s: ", c->id);                        \
			printf(__VA_ARGS__);                                  \
			printf("\n");                                         \
			failures++;                                           \
			return;                                               \
		}                                                             \
	} while (0)

/*
 * Most threads a core may show at reset: only max-cpu-compat limits them
 * (QEMU's compat table), a CPU without compat mode shows them all.
 */
static unsigned compat_threads(const spirq_config *cfg)
{
	if (!cfg->compat_set)
		return cfg->threads;
	return cfg->compat == SPIRQ_CPU_POWER6 ? 2 :
	       cfg->compat == SPIRQ_CPU_POWER7 ? 4 : 8;
}

static void check_cpu_node(const struct dtb_case *c, const spirq_config *cfg,
			   unsigned cpu, unsigned *nodes)
{
	uint32_t id = spirq_vcpu_id(cfg, cpu);
	unsigned n = cfg->threads < compat_threads(cfg) ?
			     cfg->threads : compat_threads(cfg);
	unsigned cells[64];
	char path[200];
	const struct dtb_prop *p;
	int count;
	unsigned i;

	snprintf(path, sizeof(path), "/cpus/PowerPC,%s@%x/reg",
		 spirq_cpu_model_name(cfg->cpu), id);
	p = dtb_case_prop(c, path);
	CHECK(p, "no %s", path);
	CHECK(dtb_parse_cells(p->value, cells, 64) == 1 && cells[0] == id,
	      "%s = %s, want <%#x>", path, p->value, id);
	(*nodes)++;

	snprintf(path, sizeof(path), "/cpus/PowerPC,%s@%x/ibm,ppc-interrupt-server#s",
		 spirq_cpu_model_name(cfg->cpu), id);
	p = dtb_case_prop(c, path);
	CHECK(p, "no %s", path);
	count = dtb_parse_cells(p->value, cells, 64);
	CHECK(count == (int)n, "%s has %d servers, want %u", path, count, n);
	for (i = 0; i < n; i++)
		CHECK(cells[i] == id + i, "%s[%u] = %#x", path, i, cells[i]);

	snprintf(path, sizeof(path), "/cpus/PowerPC,%s@%x/ibm,ppc-interrupt-gserver#s",
		 spirq_cpu_model_name(cfg->cpu), id);
	p = dtb_case_prop(c, path);
	CHECK(p, "no %s", path);
	count = dtb_parse_cells(p->value, cells, 64);
	CHECK(count == (int)(2 * n), "%s has %d cells", path, count);
	for (i = 0; i < n; i++)
		CHECK(cells[2 * i] == id + i && cells[2 * i + 1] == 0,
		      "%s pair %u", path, i);
}

static void check_ranges(const struct dtb_case *c, const spirq_config *cfg)
{
	const struct dtb_prop *p;
	unsigned cells[4];

	if (cfg->ic_mode == SPIRQ_IC_MODE_XIVE) {
		unsigned want = cfg->vcpu_id_bound;

		p = dtb_case_prop(c, XIVE_NODE "/ibm,xive-lisn-ranges");
		CHECK(p, "no XIVE node");
		CHECK(dtb_parse_cells(p->value, cells, 4) == 2 && cells[0] == 0 &&
		      cells[1] == cfg->vcpu_id_bound,
		      "QEMU's lisn range %s is not the vCPU-id bound %#x",
		      p->value, cfg->vcpu_id_bound);
		if (cfg->xive_by_max_cpus && cfg->vsmt != cfg->threads)
			want = cfg->max_cpus;	/* seed 000 */
		CHECK(cfg->nr_ipis == want, "spirq's lisn range %#x, want %#x",
		      cfg->nr_ipis, want);
		return;
	}
	p = dtb_case_prop(c, "/interrupt-controller/ibm,interrupt-server-ranges");
	CHECK(p, "no XICS node");
	CHECK(dtb_parse_cells(p->value, cells, 4) == 2 && cells[0] == 0 &&
	      cells[1] == cfg->vcpu_id_bound,
	      "server range %s, spirq's bound %#x", p->value,
	      cfg->vcpu_id_bound);
}

static void check_case(const struct dtb_case *c)
{
	spirq_config cfg;
	spirq_error err;
	unsigned cpu, nodes = 0, qemu_nodes = 0;
	size_t i;
	int ret = spirq_config_from_args(c->argc, c->argv, &cfg, &err);

	if (c->rc != 0) {
		CHECK(ret < 0, "QEMU refused (%s), spirq accepted", c->refusal);
		CHECK(!strcmp(err.message, c->refusal),
		      "message \"%s\", QEMU's \"%s\"", err.message, c->refusal);
		printf("ok: %s (refused)\n", c->id);
		return;
	}
	CHECK(ret == 0, "refused: %s", err.message);
	for (cpu = 0; cpu < cfg.smp_cpus; cpu++) {
		int before = failures;

		if (!spirq_vcpu_is_thread0(&cfg, cpu))
			continue;
		check_cpu_node(c, &cfg, cpu, &nodes);
		if (failures != before)
			return;
	}
	for (i = 0; i < c->nprops; i++) {
		const char *path = c->props[i].path;
		size_t n = strlen(path);

		if (!strncmp(path, "/cpus/", 6) && n > 4 &&
		    !strcmp(path + n - 4, "/reg"))
			qemu_nodes++;
	}
	CHECK(nodes == qemu_nodes, "%u cpu nodes, QEMU has %u", nodes,
	      qemu_nodes);
	check_ranges(c, &cfg);
	printf("ok: %s\n", c->id);
}

int main(int argc, char **argv)
{
	static struct dtb_case c;
	unsigned index;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DTB-DIR\n", argv[0]);
		return 2;
	}
	for (index = 0; (ret = dtb_case_load(argv[1], index, &c)) == 1; index++)
		check_case(&c);
	if (ret < 0 || index == 0) {
		printf("cannot read the cases\n");
		return 1;
	}
	printf("%u cases, %d failed\n", index, failures);
	return failures ? 1 : 0;
}
