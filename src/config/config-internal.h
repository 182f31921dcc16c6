/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Machine configuration internals: the machine version table and the
 * kernel-irqchip policy.
 */
#ifndef SPIRQ_CONFIG_INTERNAL_H
#define SPIRQ_CONFIG_INTERNAL_H

#include <spirq/config.h>

/* Flags of a machine version (struct machine_version.flags). */
#define MV_LEGACY_XICS		0x01	/* <= 3.0: legacy XICS, no ic-mode */
#define MV_VSMT_IS_THREADS	0x02	/* >= 4.2: default vsmt = threads */
#define MV_CPU_HOTPLUG		0x04	/* >= 2.7: hot-pluggable CPU cores */
#define MV_XIVE_BY_MAX_CPUS	0x08	/* >= 6.0: seed-000 XIVE sizing */
#define MV_PREFER_SOCKETS	0x10	/* <= 6.1: -smp fills sockets first */
#define MV_CAP_HTM		0x20	/* <= 2.11: cap-htm defaults to on */

/**
 * struct machine_version - one pseries machine type and its
 * interrupt-relevant defaults
 */
struct machine_version {
	const char *name;		/* "pseries-7.2" */
	unsigned char major, minor;
	unsigned char flags;		/* MV_* */
	spirq_ic_mode default_ic_mode;	/* meaningless with MV_LEGACY_XICS */
	spirq_cpu_model default_cpu;
	unsigned nr_xirqs;		/* external sources */
};

/* The newest machine type, what "pseries" stands for. */
const struct machine_version *spirq__machine_version_latest(void);

/* Look up "pseries-X.Y" or "pseries"; NULL when unknown. */
const struct machine_version *spirq__machine_version_find(const char *name);

/* Results of spirq__parse_size() other than 0. */
#define SIZE_INVALID (-1)
#define SIZE_TOO_BIG (-2)

/*
 * Parse a size in QEMU's syntax (qemu_strtosz): decimal (with an optional
 * fraction) or 0x-hexadecimal, optional B/K/M/G/T/P/E suffix.
 * returns: 0, SIZE_INVALID or SIZE_TOO_BIG.
 */
int spirq__parse_size(const char *text, uint64_t *out);

/*
 * Decide, for every state the machine can reach, whether each interrupt
 * controller runs in the kernel or is emulated.  Fills cfg->plan from the
 * other fields of cfg.
 *
 * returns: 0, or -SPIRQ_ERR_CONFIG (with err filled) for combinations in
 * which QEMU would exit, at start or later at CAS or reset.
 */
int spirq__irqchip_plan(spirq_config *cfg, spirq_error *err);

#endif /* SPIRQ_CONFIG_INTERNAL_H */
