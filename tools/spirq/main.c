// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirq - predict, check and replay what a pseries guest sees of its
 * interrupt controllers.  The tool is built on libspirq's public API only.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "describe", cmd_describe,
	  "effective configuration, vCPU ids, table sizes, backend plan" },
	{ "dt", cmd_dt,
	  "the interrupt nodes of the device tree, as DTB or DTS" },
	{ "migrate-check", cmd_migrate_check,
	  "can a VM migrate from one configuration to another?" },
	{ "run", cmd_run,
	  "execute a scenario file (see spirq(1), SCENARIOS)" },
	{ "bench", cmd_bench,
	  "cost of an interrupt round trip and memory, by machine size" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: spirq COMMAND [ARGS...]\n"
		"       spirq --help | --version\n\n"
		"commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-14s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out,
		"\nmachine options (QEMU 7.2 syntax), for describe, dt and migrate-check:\n"
		"  -M, -machine [type=]pseries[-X.Y][,ic-mode=xics|xive|dual][,vsmt=N]\n"
		"               [,max-cpu-compat=power6..power10][,kernel-irqchip=on|off|split]\n"
		"               [,accel=kvm|tcg]; other pseries properties (usb, cap-htm,\n"
		"               x-vof, ...) are checked and ignored: not interrupt-related\n"
		"  -smp N[,maxcpus=M][,sockets=S][,cores=C][,threads=T]\n"
		"  -cpu POWER7|POWER8|POWER9|POWER10 (QEMU 7.2 names, any case), max, host\n"
		"  -m [size=]SIZE[,slots=N,maxmem=SIZE]  guest RAM; no unit = MiB, default 1G\n"
		"  -accel tcg | kvm[,kernel-irqchip=...]\n"
		"  describe also takes a whole command line: -- qemu-system-ppc64 ARGS...\n"
		"\nspirq extensions, not QEMU syntax (QEMU refuses them):\n"
		"  -M ...,cap-xics=on|off,cap-xive=on|off   (seed 003's proposal)\n"
		"  -accel kvm,xics=on|off,xive=on|off,xics-destroy=on|off  describe the KVM\n"
		"               host's in-kernel controllers (default on)\n"
		"  -accel kvm,max-vcpus=N,smt=N,smt-possible=MASK  its KVM_MAX_VCPUS\n"
		"               (2048), SMT mode (1) and KVM_CAP_PPC_SMT_POSSIBLE (0xf)\n"
		"\nSee spirq(1) for details.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return CLI_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("spirq %s\n", spirq_version());
		return CLI_OK;
	}
	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	cli_fail(false, "spirq", CLI_USAGE, "unknown command '%.40s%s'",
		 argv[1], strlen(argv[1]) > 40 ? "..." : "");
	usage(stderr);
	return CLI_USAGE;
}
