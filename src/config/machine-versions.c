// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pseries machine types and their interrupt-relevant defaults.
 *
 * One row per machine type.  What changed, and when (QEMU history):
 *
 *   <= 2.6   no CPU hot-plug: maxcpus must equal the boot CPU count
 *   <= 3.0   "legacy" XICS: 0x400 external sources (0x1000..0x13ff),
 *            no XIVE, and ic-mode is refused
 *   3.1, 4.0 ic-mode defaults to xics (XIVE arrived in 4.0)
 *   <= 2.7   default CPU POWER7 (power7_v2.3)
 *   <= 3.1   default CPU POWER8; POWER9 from 4.0
 *   >= 4.1   ic-mode defaults to dual
 *   <= 4.1   default vsmt = MAX(8, threads); threads from 4.2
 *   >= 6.0   per-vCPU XIVE resources sized by max_cpus (seed 000; a
 *            deliberate difference from QEMU, which never merged it)
 *   <= 6.1   -smp prefers filling sockets over cores
 *   <= 2.11  cap-htm defaults to on (for CPUs and compat modes that have
 *            ISA 2.07): QEMU refuses it under TCG
 */
#include <string.h>

#include "config/config-internal.h"

#define XICS SPIRQ_IC_MODE_XICS
#define DUAL SPIRQ_IC_MODE_DUAL
#define P7 SPIRQ_CPU_POWER7
#define P8 SPIRQ_CPU_POWER8
#define P9 SPIRQ_CPU_POWER9

#define LEGACY (MV_LEGACY_XICS | MV_PREFER_SOCKETS)
#define HOTPLUG_LEGACY (LEGACY | MV_CPU_HOTPLUG)
#define LEGACY_HTM (LEGACY | MV_CAP_HTM)
#define HOTPLUG_HTM (HOTPLUG_LEGACY | MV_CAP_HTM)
#define OLD (MV_CPU_HOTPLUG | MV_PREFER_SOCKETS)
#define NEW (OLD | MV_VSMT_IS_THREADS)
#define SIXTY (NEW | MV_XIVE_BY_MAX_CPUS)
#define LATEST (MV_CPU_HOTPLUG | MV_VSMT_IS_THREADS | MV_XIVE_BY_MAX_CPUS)

static const struct machine_version versions[] = {
	{ "pseries-2.1",  2,  1, LEGACY_HTM,     XICS, P7, 0x400 },
	{ "pseries-2.2",  2,  2, LEGACY_HTM,     XICS, P7, 0x400 },
	{ "pseries-2.3",  2,  3, LEGACY_HTM,     XICS, P7, 0x400 },
	{ "pseries-2.4",  2,  4, LEGACY_HTM,     XICS, P7, 0x400 },
	{ "pseries-2.5",  2,  5, LEGACY_HTM,     XICS, P7, 0x400 },
	{ "pseries-2.6",  2,  6, LEGACY_HTM,     XICS, P7, 0x400 },
	{ "pseries-2.7",  2,  7, HOTPLUG_HTM,    XICS, P7, 0x400 },
	{ "pseries-2.8",  2,  8, HOTPLUG_HTM,    XICS, P8, 0x400 },
	{ "pseries-2.9",  2,  9, HOTPLUG_HTM,    XICS, P8, 0x400 },
	{ "pseries-2.10", 2, 10, HOTPLUG_HTM,    XICS, P8, 0x400 },
	{ "pseries-2.11", 2, 11, HOTPLUG_HTM,    XICS, P8, 0x400 },
	{ "pseries-2.12", 2, 12, HOTPLUG_LEGACY, XICS, P8, 0x400 },
	{ "pseries-2.12-sxxm", 2, 12, HOTPLUG_LEGACY, XICS, P8, 0x400 },
	{ "pseries-3.0",  3,  0, HOTPLUG_LEGACY, XICS, P8, 0x400 },
	{ "pseries-3.1",  3,  1, OLD,            XICS, P8, 0x1000 },
	{ "pseries-4.0",  4,  0, OLD,            XICS, P9, 0x1000 },
	{ "pseries-4.1",  4,  1, OLD,            DUAL, P9, 0x1000 },
	{ "pseries-4.2",  4,  2, NEW,            DUAL, P9, 0x1000 },
	{ "pseries-5.0",  5,  0, NEW,            DUAL, P9, 0x1000 },
	{ "pseries-5.1",  5,  1, NEW,            DUAL, P9, 0x1000 },
	{ "pseries-5.2",  5,  2, NEW,            DUAL, P9, 0x1000 },
	{ "pseries-6.0",  6,  0, SIXTY,          DUAL, P9, 0x1000 },
	{ "pseries-6.1",  6,  1, SIXTY,          DUAL, P9, 0x1000 },
	{ "pseries-6.2",  6,  2, LATEST,         DUAL, P9, 0x1000 },
	{ "pseries-7.0",  7,  0, LATEST,         DUAL, P9, 0x1000 },
	{ "pseries-7.1",  7,  1, LATEST,         DUAL, P9, 0x1000 },
	{ "pseries-7.2",  7,  2, LATEST,         DUAL, P9, 0x1000 },
};

#define NR_VERSIONS (sizeof(versions) / sizeof(versions[0]))

const struct machine_version *spirq__machine_version_latest(void)
{
	return &versions[NR_VERSIONS - 1];
}

const struct machine_version *spirq__machine_version_find(const char *name)
{
	size_t i;

	if (!name[0] || !strcmp(name, "pseries"))
		return spirq__machine_version_latest();
	for (i = 0; i < NR_VERSIONS; i++)
		if (!strcmp(versions[i].name, name))
			return &versions[i];
	return NULL;
}

const char *spirq_machine_version_name(unsigned index)
{
	return index < NR_VERSIONS ? versions[index].name : NULL;
}
