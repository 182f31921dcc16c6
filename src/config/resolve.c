// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirq_config_resolve(): from the options a user gave to the effective
 * configuration, refusing what QEMU 7.2 refuses, with its texts, in the
 * order QEMU checks them:
 *
 *   1. -smp topology            (hw/core/machine-smp.c)
 *   2. KVM's vCPU limit         (kvm_init)
 *   3. CPU model, "-cpu host"   (parse_cpu_option)
 *   4. interrupt caps           (ic-mode / cap-xics / cap-xive)
 *   5. RAM for the firmware     (spapr_rma_size)
 *   6. vsmt and KVM's SMT mode  (spapr_set_vsmt_mode)
 *   7. interrupt controllers    (spapr_irq_init / spapr_irq_check)
 *   8. RAM alignment            (spapr_validate_node_memory)
 *   9. CPUs                     (spapr_init_cpus, CPU compat mode)
 *  10. memory hot-plug slots    (spapr_machine_init)
 *  11. cap-htm, cap-large-decr  (spapr_caps_apply, TCG, at the first reset)
 *  12. kernel-irqchip plan      (spirq: decided before the guest starts)
 *
 * The -m syntax and maxmem/slots consistency are checked when the option
 * is parsed (as QEMU checks them when it sets the machine's properties).
 * Checks QEMU makes for reasons spirq cannot know (firmware files, host
 * memory, the capabilities other than cap-htm and cap-large-decr) are not
 * made: see spirq(1).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/error-internal.h"
#include "config/config-internal.h"

/* Source numbers below the external range are the XIVE IPIs. */
#define NR_IPI_LISNS 0x1000u

/* The least RAM SLOF runs in (MIN_RMA_SLOF), and LMB granularity. */
#define MIN_RMA_BYTES (128ull << 20)
#define LMB_BYTES (256ull << 20)

/* Hot-plug memory slots of a pseries machine (SPAPR_MAX_RAM_SLOTS), and
 * with KVM half of the host's memory slots (512 on ppc64 Linux). */
#define MAX_RAM_SLOTS 32u
#define KVM_MAX_RAM_SLOTS 256u

const char *spirq_ic_mode_name(spirq_ic_mode mode)
{
	switch (mode) {
	case SPIRQ_IC_MODE_XICS: return "xics";
	case SPIRQ_IC_MODE_XIVE: return "xive";
	case SPIRQ_IC_MODE_DUAL: return "dual";
	}
	return "?";
}

const char *spirq_cpu_model_name(spirq_cpu_model cpu)
{
	switch (cpu) {
	case SPIRQ_CPU_POWER6: return "POWER6";
	case SPIRQ_CPU_POWER7: return "POWER7";
	case SPIRQ_CPU_POWER8: return "POWER8";
	case SPIRQ_CPU_POWER9: return "POWER9";
	case SPIRQ_CPU_POWER10: return "POWER10";
	}
	return "?";
}

const char *spirq_kernel_irqchip_name(spirq_kernel_irqchip kic)
{
	switch (kic) {
	case SPIRQ_KIC_ALLOWED: return "allowed";
	case SPIRQ_KIC_OFF: return "off";
	case SPIRQ_KIC_ON: return "on";
	case SPIRQ_KIC_SPLIT: return "split";
	}
	return "?";
}

/* Logical PVR of a compat mode, as QEMU's messages print it. */
static unsigned compat_pvr(spirq_cpu_model cpu)
{
	return 0x0f000002u + (unsigned)(cpu - SPIRQ_CPU_POWER6);
}

static void topology_string(const spirq_config *cfg, char *buf, size_t size)
{
	snprintf(buf, size, "sockets (%u) * cores (%u) * threads (%u)",
		 cfg->sockets, cfg->cores, cfg->threads);
}

/*
 * QEMU 7.2's machine_parse_smp_config(): fill in what -smp omitted (cores
 * first since pseries-6.2, sockets first before), then check the product.
 */
static int resolve_smp(const spirq_options *o,
		       const struct machine_version *mv, spirq_config *cfg,
		       spirq_error *err)
{
	unsigned cpus = o->smp_cpus, maxcpus = o->max_cpus;
	unsigned sockets = o->sockets, cores = o->cores, threads = o->threads;
	char topo[96];

	if (cpus == 0 && maxcpus == 0) {
		sockets = sockets ? sockets : 1;
		cores = cores ? cores : 1;
		threads = threads ? threads : 1;
	} else {
		maxcpus = maxcpus ? maxcpus : cpus;
		if (mv->flags & MV_PREFER_SOCKETS) {
			if (!sockets) {
				cores = cores ? cores : 1;
				threads = threads ? threads : 1;
				sockets = maxcpus / (cores * threads);
			} else if (!cores) {
				threads = threads ? threads : 1;
				cores = maxcpus / (sockets * threads);
			}
		} else {
			if (!cores) {
				sockets = sockets ? sockets : 1;
				threads = threads ? threads : 1;
				cores = maxcpus / (sockets * threads);
			} else if (!sockets) {
				threads = threads ? threads : 1;
				sockets = maxcpus / (cores * threads);
			}
		}
		if (!threads)
			threads = maxcpus / (sockets * cores);
	}
	if (!maxcpus)
		maxcpus = sockets * cores * threads;
	if (!cpus)
		cpus = maxcpus;

	cfg->smp_cpus = cpus;
	cfg->max_cpus = maxcpus;
	cfg->sockets = sockets;
	cfg->cores = cores;
	cfg->threads = threads;
	topology_string(cfg, topo, sizeof(topo));

	if ((uint64_t)sockets * cores * threads != maxcpus)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"Invalid CPU topology: product of the hierarchy must match maxcpus: %s != maxcpus (%u)",
			topo, maxcpus);
	if (maxcpus < cpus)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"Invalid CPU topology: maxcpus must be equal to or greater than smp: %s == maxcpus (%u) < smp_cpus (%u)",
			topo, maxcpus, cpus);
	if (maxcpus > SPIRQ_MAX_CPUS)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"Invalid SMP CPUs %u. The max CPUs supported by machine '%s' is %u",
			maxcpus, mv->name, SPIRQ_MAX_CPUS);
	return 0;
}

/* kvm_init(): the SMP count first, then the hot-pluggable maximum. */
static int resolve_kvm_limit(const spirq_config *cfg, spirq_error *err)
{
	if (cfg->accel != SPIRQ_ACCEL_KVM)
		return 0;
	if (cfg->smp_cpus > cfg->kvm_max_vcpus)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"Number of SMP cpus requested (%u) exceeds the maximum cpus supported by KVM (%u)",
			cfg->smp_cpus, cfg->kvm_max_vcpus);
	if (cfg->max_cpus > cfg->kvm_max_vcpus)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"Number of hotpluggable cpus requested (%u) exceeds the maximum cpus supported by KVM (%u)",
			cfg->max_cpus, cfg->kvm_max_vcpus);
	return 0;
}

/* spapr_rma_size(): SLOF needs 128 MiB of real-mode memory. */
static int resolve_rma(const spirq_config *cfg, spirq_error *err)
{
	/*
	 * QEMU's format string puts HWADDR_PRIx ("lx") before a stray
	 * "ld": 128 is printed in hexadecimal followed by "ld".  This is
	 * QEMU 7.2's text as users see it.
	 */
	if (cfg->ram_size < MIN_RMA_BYTES)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"pSeries SLOF firmware requires >= %llxldMiB guest RMA (Real Mode Area memory)",
			MIN_RMA_BYTES >> 20);
	return 0;
}

/* spapr_validate_node_memory(), from pseries-2.5 (memory hot-plug). */
static int resolve_ram_alignment(const spirq_config *cfg,
				 spirq_error *err)
{
	if (cfg->version_major == 2 && cfg->version_minor < 5)
		return 0;
	if (cfg->ram_size % LMB_BYTES)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"Memory size 0x%" PRIx64 " is not aligned to %llu MiB",
			cfg->ram_size, LMB_BYTES >> 20);
	/* QEMU prints the RAM size here, not the maximum */
	if (cfg->max_ram_size % LMB_BYTES)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"Maximum memory size 0x%" PRIx64 " is not aligned to %llu MiB",
			cfg->ram_size, LMB_BYTES >> 20);
	return 0;
}

static int resolve_ram_slots(const spirq_config *cfg, spirq_error *err)
{
	unsigned max = cfg->accel == SPIRQ_ACCEL_KVM ? KVM_MAX_RAM_SLOTS :
						      MAX_RAM_SLOTS;

	if (cfg->ram_size < cfg->max_ram_size && cfg->ram_slots > max)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"Specified number of memory slots %u exceeds max supported %u",
			cfg->ram_slots, max);
	return 0;
}

/*
 * spapr_caps_apply() at the first reset, for the two capabilities TCG
 * cannot provide.  Their defaults follow the CPU (default_caps_with_cpu):
 * off when the CPU or its compat mode lacks ISA 2.07 (HTM) or 3.00
 * (large decrementer).
 */
static int resolve_tcg_caps(const spirq_options *o,
			    const struct machine_version *mv,
			    const spirq_config *cfg, spirq_error *err)
{
	spirq_cpu_model level = cfg->compat < cfg->cpu ? cfg->compat :
							 cfg->cpu;
	bool htm = (mv->flags & MV_CAP_HTM) && level >= SPIRQ_CPU_POWER8;
	bool large_decr = (mv->major > 3 || (mv->major == 3 && mv->minor > 1)) &&
			  level >= SPIRQ_CPU_POWER9;

	if (cfg->accel != SPIRQ_ACCEL_TCG)
		return 0;
	if (o->cap_htm != SPIRQ_UNSET)
		htm = o->cap_htm;
	if (o->cap_large_decr != SPIRQ_UNSET)
		large_decr = o->cap_large_decr;
	if (htm)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"No Transactional Memory support in TCG");
	if (large_decr && level < SPIRQ_CPU_POWER9)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"Large decrementer only supported on POWER9");
	return 0;
}

/* ic-mode is an alias of the two caps; both may be given if they agree. */
static int resolve_caps(const spirq_options *o,
			const struct machine_version *mv, spirq_config *cfg,
			spirq_error *err)
{
	bool xics, xive;

	if (mv->flags & MV_LEGACY_XICS) {
		if (o->cap_xics == 0 || o->cap_xive == 1)
			return spirq__error_set(err, SPIRQ_ERR_CONFIG,
				"This machine only uses the legacy XICS backend, don't pass %s",
				o->cap_xics == 0 ? "cap-xics=off" : "cap-xive=on");
		cfg->ic_mode = SPIRQ_IC_MODE_XICS;
		cfg->cap_xics = true;
		cfg->cap_xive = false;
		return 0;
	}

	if (o->ic_mode != SPIRQ_UNSET) {
		xics = o->ic_mode != SPIRQ_IC_MODE_XIVE;
		xive = o->ic_mode != SPIRQ_IC_MODE_XICS;
		if ((o->cap_xics != SPIRQ_UNSET && o->cap_xics != xics) ||
		    (o->cap_xive != SPIRQ_UNSET && o->cap_xive != xive))
			return spirq__error_set(err, SPIRQ_ERR_CONFIG,
				"ic-mode=%s contradicts %s=%s",
				spirq_ic_mode_name(o->ic_mode),
				(o->cap_xics != SPIRQ_UNSET &&
				 o->cap_xics != xics) ? "cap-xics" : "cap-xive",
				(o->cap_xics != SPIRQ_UNSET &&
				 o->cap_xics != xics) ?
					(o->cap_xics ? "on" : "off") :
					(o->cap_xive ? "on" : "off"));
	} else {
		xics = mv->default_ic_mode != SPIRQ_IC_MODE_XIVE;
		xive = mv->default_ic_mode != SPIRQ_IC_MODE_XICS;
		if (o->cap_xics != SPIRQ_UNSET)
			xics = o->cap_xics;
		if (o->cap_xive != SPIRQ_UNSET)
			xive = o->cap_xive;
		if (!xics && !xive)
			return spirq__error_set(err, SPIRQ_ERR_CONFIG,
				"cap-xics=off and cap-xive=off leave the machine without an interrupt controller");
	}
	cfg->cap_xics = xics;
	cfg->cap_xive = xive;
	cfg->ic_mode = xics && xive ? SPIRQ_IC_MODE_DUAL :
		       xive ? SPIRQ_IC_MODE_XIVE : SPIRQ_IC_MODE_XICS;
	return 0;
}

/*
 * QEMU asks KVM to use vsmt as its SMT mode (the vCPU-id stride).  KVM
 * takes a mode of its KVM_CAP_PPC_SMT_POSSIBLE set and refuses others
 * (EINVAL).  QEMU then carries on with KVM's current mode when that mode
 * holds the threads of a core and divides vsmt, and fails otherwise.
 */
static int resolve_kvm_smt(spirq_config *cfg, spirq_error *err)
{
	unsigned kvm_smt = cfg->host.smt, vsmt = cfg->vsmt, mode;

	if (vsmt == kvm_smt)
		return 0;
	for (mode = 0; mode < 32; mode++)
		if ((cfg->host.smt_possible >> mode & 1) && vsmt == 1u << mode)
			return 0;	/* KVM accepts the mode */
	cfg->kvm_smt = kvm_smt;
	if (kvm_smt >= cfg->threads && vsmt % kvm_smt == 0) {
		snprintf(cfg->vsmt_warning, sizeof(cfg->vsmt_warning),
			 "Failed to set KVM's VSMT mode to %u (errno -22)",
			 vsmt);
		return 0;
	}
	return spirq__error_set(err, SPIRQ_ERR_CONFIG,
		"Failed to set KVM's VSMT mode to %u (errno -22)", vsmt);
}

/* QEMU 7.2's spapr_set_vsmt_mode(). */
static int resolve_vsmt(const spirq_options *o,
			const struct machine_version *mv, spirq_config *cfg,
			spirq_error *err)
{
	unsigned threads = cfg->threads;

	if (cfg->accel == SPIRQ_ACCEL_TCG && threads > 1)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"TCG cannot support more than 1 thread/core on a pseries machine");
	if (threads & (threads - 1))
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"Cannot support %u threads/core on a pseries machine because it must be a power of 2",
			threads);
	if (o->vsmt) {
		if (o->vsmt < threads)
			return spirq__error_set(err, SPIRQ_ERR_CONFIG,
				"Cannot support VSMT mode %u because it must be >= threads/core (%u)",
				o->vsmt, threads);
		cfg->vsmt = o->vsmt;
	} else if (mv->flags & MV_VSMT_IS_THREADS) {
		cfg->vsmt = threads;
	} else {
		cfg->vsmt = threads > 8 ? threads : 8;
	}
	cfg->kvm_smt = cfg->vsmt;
	if (cfg->accel == SPIRQ_ACCEL_KVM)
		return resolve_kvm_smt(cfg, err);
	return 0;
}

/* QEMU 7.2's spapr_irq_check(), then spirq's sizing of the tables. */
static int resolve_irq(spirq_config *cfg, spirq_error *err)
{
	uint64_t bound;
	unsigned slots;

	if (cfg->accel == SPIRQ_ACCEL_KVM &&
	    cfg->kernel_irqchip == SPIRQ_KIC_SPLIT)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"kernel_irqchip split mode not supported on pseries");

	/*
	 * No XIVE without a CPU that supports ISA 3.00 and a compat mode that
	 * allows it (ppc_type_check_compat): checked before the vCPUs, so
	 * before a compat mode the CPU cannot run.
	 */
	if (cfg->compat < SPIRQ_CPU_POWER9 || cfg->cpu < SPIRQ_CPU_POWER9) {
		if (cfg->ic_mode == SPIRQ_IC_MODE_XIVE)
			return spirq__error_set(err, SPIRQ_ERR_CONFIG,
				"XIVE-only machines require a POWER9 CPU");
		if (cfg->ic_mode == SPIRQ_IC_MODE_DUAL) {
			cfg->ic_mode = SPIRQ_IC_MODE_XICS;
			cfg->cap_xive = false;
			cfg->ic_mode_downgraded = true;
		}
	}
	if (cfg->accel == SPIRQ_ACCEL_KVM &&
	    cfg->ic_mode == SPIRQ_IC_MODE_DUAL &&
	    cfg->kernel_irqchip == SPIRQ_KIC_ON && !cfg->host.xics_destroy)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"KVM is incompatible with ic-mode=dual,kernel-irqchip=on");

	bound = ((uint64_t)cfg->max_cpus * cfg->vsmt + cfg->threads - 1) /
		cfg->threads;
	if (bound > UINT32_MAX)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"vCPU ids up to %llu do not fit in 32 bits",
			(unsigned long long)bound);
	cfg->vcpu_id_bound = (unsigned)bound;

	if (!cfg->cap_xive)
		return 0;
	slots = cfg->xive_by_max_cpus ? cfg->max_cpus : cfg->vcpu_id_bound;
	if (slots > NR_IPI_LISNS)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"XIVE cannot claim %u IPIs: the IPI range holds %u (lower maxcpus%s)",
			slots, NR_IPI_LISNS,
			cfg->xive_by_max_cpus ? "" : " or vsmt");
	cfg->nr_ipis = slots;
	cfg->nr_end_vcpus = slots;
	cfg->nr_ends = slots * 8;
	return 0;
}

/* QEMU 7.2's spapr_init_cpus() checks. */
static int resolve_cpus(const spirq_config *cfg, spirq_error *err)
{
	if (!cfg->cpu_hotplug) {
		if (cfg->max_cpus != cfg->smp_cpus)
			return spirq__error_set(err, SPIRQ_ERR_CONFIG,
				"This machine version does not support CPU hotplug");
		return 0;
	}
	if (cfg->smp_cpus % cfg->threads)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"smp_cpus (%u) must be multiple of threads (%u)",
			cfg->smp_cpus, cfg->threads);
	if (cfg->max_cpus % cfg->threads)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"max_cpus (%u) must be multiple of threads (%u)",
			cfg->max_cpus, cfg->threads);
	return 0;
}

static void resolve_machine(const struct machine_version *mv,
			    spirq_config *cfg)
{
	snprintf(cfg->machine_name, sizeof(cfg->machine_name), "%s", mv->name);
	cfg->version_major = mv->major;
	cfg->version_minor = mv->minor;
	cfg->legacy_xics = mv->flags & MV_LEGACY_XICS;
	cfg->cpu_hotplug = mv->flags & MV_CPU_HOTPLUG;
	cfg->xive_by_max_cpus = mv->flags & MV_XIVE_BY_MAX_CPUS;
	cfg->nr_xirqs = mv->nr_xirqs;
}

/*
 * With KVM, QEMU's default CPU (and "max") is the host's; without, "max"
 * is the machine type's default CPU and "host" does not exist.
 */
static int resolve_cpu_model(const spirq_options *o,
			     const struct machine_version *mv,
			     spirq_config *cfg, spirq_error *err)
{
	bool kvm = cfg->accel == SPIRQ_ACCEL_KVM;

	if (o->cpu == SPIRQ_CPU_OPT_HOST && !kvm)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"unable to find CPU model 'host'");
	if (o->cpu == SPIRQ_UNSET || o->cpu == SPIRQ_CPU_OPT_MAX ||
	    o->cpu == SPIRQ_CPU_OPT_HOST)
		cfg->cpu = kvm ? SPIRQ_KVM_HOST_CPU : mv->default_cpu;
	else
		cfg->cpu = (spirq_cpu_model)o->cpu;
	cfg->compat_set = o->max_cpu_compat != SPIRQ_UNSET;
	cfg->compat = cfg->compat_set ? (spirq_cpu_model)o->max_cpu_compat :
					cfg->cpu;
	return 0;
}

/* Checked when QEMU realizes the vCPUs, after the interrupt controllers. */
static int check_compat(const spirq_config *cfg, spirq_error *err)
{
	if (cfg->compat > cfg->cpu)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
			"Compatibility PVR 0x%08x not valid for CPU",
			compat_pvr(cfg->compat));
	return 0;
}

static bool options_are_sane(const spirq_options *o)
{
	return (o->ic_mode == SPIRQ_UNSET ||
		(o->ic_mode >= 0 && o->ic_mode <= SPIRQ_IC_MODE_DUAL)) &&
	       o->cap_xics >= SPIRQ_UNSET && o->cap_xics <= 1 &&
	       o->cap_xive >= SPIRQ_UNSET && o->cap_xive <= 1 &&
	       o->cap_htm >= SPIRQ_UNSET && o->cap_htm <= 1 &&
	       o->cap_large_decr >= SPIRQ_UNSET && o->cap_large_decr <= 1 &&
	       o->max_cpu_compat >= SPIRQ_UNSET &&
	       o->max_cpu_compat <= SPIRQ_CPU_POWER10 &&
	       ((o->cpu >= SPIRQ_UNSET && o->cpu <= SPIRQ_CPU_POWER10) ||
		o->cpu == SPIRQ_CPU_OPT_HOST || o->cpu == SPIRQ_CPU_OPT_MAX) &&
	       (o->ram_slots == SPIRQ_UNSET || o->ram_slots >= 0) &&
	       ((o->kernel_irqchip >= SPIRQ_UNSET &&
		 o->kernel_irqchip <= SPIRQ_KIC_SPLIT) ||
		o->kernel_irqchip == SPIRQ_KIC_INVALID) &&
	       o->accel >= SPIRQ_UNSET && o->accel <= SPIRQ_ACCEL_KVM;
}

int spirq_config_resolve(const spirq_options *o, spirq_config *cfg,
			 spirq_error *err)
{
	const struct machine_version *mv;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	spirq_error_clear(err);
	if (!options_are_sane(o))
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"options hold values out of range");
	mv = spirq__machine_version_find(o->machine);
	if (!mv)
		return spirq__error_set(err, SPIRQ_ERR_CONFIG,
					"unsupported machine type");
	resolve_machine(mv, cfg);
	cfg->ram_size = o->ram_size ? o->ram_size : SPIRQ_RAM_SIZE_DEFAULT;
	cfg->max_ram_size = o->max_ram_size > cfg->ram_size ?
			    o->max_ram_size : cfg->ram_size;
	cfg->ram_slots = o->ram_slots > 0 ? (unsigned)o->ram_slots : 0;
	cfg->accel = o->accel == SPIRQ_ACCEL_KVM ? SPIRQ_ACCEL_KVM :
						  SPIRQ_ACCEL_TCG;
	cfg->host = o->host;
	if (!cfg->host.smt)
		cfg->host.smt = SPIRQ_KVM_SMT_DEFAULT;
	if (!cfg->host.smt_possible)
		cfg->host.smt_possible = SPIRQ_KVM_SMT_POSSIBLE_DEFAULT;
	if (o->kernel_irqchip == SPIRQ_KIC_INVALID) {
		if (cfg->accel == SPIRQ_ACCEL_KVM)
			return spirq__error_set(err, SPIRQ_ERR_CONFIG,
				"Parameter 'kernel-irqchip' does not accept value '%s'",
				o->bad_kic);
		cfg->kernel_irqchip = SPIRQ_KIC_ALLOWED;	/* TCG: ignored */
	} else {
		cfg->kernel_irqchip = o->kernel_irqchip != SPIRQ_UNSET ?
			(spirq_kernel_irqchip)o->kernel_irqchip :
			SPIRQ_KIC_ALLOWED;
	}
	cfg->kvm_max_vcpus = o->kvm_max_vcpus ? o->kvm_max_vcpus :
						SPIRQ_KVM_MAX_VCPUS_DEFAULT;

	ret = resolve_smp(o, mv, cfg, err);
	if (!ret)
		ret = resolve_kvm_limit(cfg, err);
	if (!ret)
		ret = resolve_cpu_model(o, mv, cfg, err);
	if (!ret)
		ret = resolve_caps(o, mv, cfg, err);
	if (!ret)
		ret = resolve_rma(cfg, err);
	if (!ret)
		ret = resolve_vsmt(o, mv, cfg, err);
	if (!ret)
		ret = resolve_irq(cfg, err);
	if (!ret)
		ret = resolve_ram_alignment(cfg, err);
	if (!ret)
		ret = resolve_cpus(cfg, err);
	if (!ret)
		ret = check_compat(cfg, err);
	if (!ret)
		ret = resolve_ram_slots(cfg, err);
	if (!ret)
		ret = resolve_tcg_caps(o, mv, cfg, err);
	if (!ret)
		ret = spirq__irqchip_plan(cfg, err);
	return ret;
}
