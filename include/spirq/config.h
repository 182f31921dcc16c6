/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirq - machine configuration
 *
 * A configuration is built in two steps:
 *
 *   1. struct spirq_options collects what the user asked for, in QEMU's
 *      option syntax (-M/-machine, -smp, -cpu, -m, -accel).  Every field
 *      starts "unset"; the parse functions fill them in.
 *
 *   2. spirq_config_resolve() validates the options against the machine
 *      version table and computes the effective configuration (struct
 *      spirq_config): machine version, interrupt-controller caps, CPU and
 *      compat mode, topology, vCPU-id bound, XIVE table sizes and the
 *      kernel-irqchip plan.  Refusals carry QEMU 7.2's message text where
 *      QEMU refuses the same thing.
 *
 * Neither step allocates memory or touches global state.
 */
#ifndef SPIRQ_CONFIG_H
#define SPIRQ_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include <spirq/error.h>

#include <spirq/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Interrupt controller modes ("ic-mode"). */
typedef enum spirq_ic_mode {
	SPIRQ_IC_MODE_XICS = 0,		/* XICS only (cap-xics=on, cap-xive=off) */
	SPIRQ_IC_MODE_XIVE = 1,		/* XIVE only (cap-xics=off, cap-xive=on) */
	SPIRQ_IC_MODE_DUAL = 2,		/* both, the guest picks at CAS */
} spirq_ic_mode;

/**
 * CPU models and compat modes, in architecture order (a later model can
 * run an earlier model's compat mode).  POWER6 exists only as a compat
 * mode (max-cpu-compat=power6); "power7+" is POWER7's compat level for
 * everything interrupt-related and maps to SPIRQ_CPU_POWER7.
 */
typedef enum spirq_cpu_model {
	SPIRQ_CPU_POWER6 = 0,	/* ISA 2.05, compat mode only */
	SPIRQ_CPU_POWER7 = 1,	/* ISA 2.06 */
	SPIRQ_CPU_POWER8 = 2,	/* ISA 2.07 */
	SPIRQ_CPU_POWER9 = 3,	/* ISA 3.00: the first with XIVE */
	SPIRQ_CPU_POWER10 = 4,	/* ISA 3.10 */
} spirq_cpu_model;

/** kernel-irqchip machine property. */
typedef enum spirq_kernel_irqchip {
	SPIRQ_KIC_ALLOWED = 0,	/* use in-kernel if possible (default) */
	SPIRQ_KIC_OFF = 1,	/* always emulate */
	SPIRQ_KIC_ON = 2,	/* in-kernel required */
	SPIRQ_KIC_SPLIT = 3,	/* not supported on pseries with KVM */
} spirq_kernel_irqchip;

/** An unparsable kernel-irqchip value, kept until the accelerator is known. */
#define SPIRQ_KIC_INVALID 0x100

/** Accelerator. */
typedef enum spirq_accel {
	SPIRQ_ACCEL_TCG = 0,	/* everything emulated */
	SPIRQ_ACCEL_KVM = 1,	/* a KVM host described by spirq_host_caps */
} spirq_accel;

/** Where an interrupt controller runs. */
typedef enum spirq_backend {
	SPIRQ_BACKEND_EMULATED = 0,
	SPIRQ_BACKEND_IN_KERNEL = 1,
} spirq_backend;

/** Value of an option that was not given. */
#define SPIRQ_UNSET (-1)

/** Most vCPUs (maxcpus) a pseries machine can have (QEMU 7.2.22: 4096). */
#define SPIRQ_MAX_CPUS 4096u

/** Default KVM_MAX_VCPUS (NR_CPUS of distribution ppc64 kernels). */
#define SPIRQ_KVM_MAX_VCPUS_DEFAULT 2048u

/**
 * The described KVM host is a POWER9: the SMT modes its KVM can run
 * (KVM_CAP_PPC_SMT_POSSIBLE: 1, 2, 4 or 8 threads) and the mode of a new
 * VM (KVM_CAP_PPC_SMT: 1, each vCPU is its own virtual core).
 */
#define SPIRQ_KVM_SMT_POSSIBLE_DEFAULT 0xfu
#define SPIRQ_KVM_SMT_DEFAULT 1u

/** -cpu values that name no model by themselves (spirq_options.cpu). */
#define SPIRQ_CPU_OPT_HOST 0x100	/* "host": the KVM host's CPU */
#define SPIRQ_CPU_OPT_MAX 0x101	/* "max": the machine's default CPU */

/** The CPU of the described KVM host ("-cpu host", and QEMU's default
 * CPU with KVM). */
#define SPIRQ_KVM_HOST_CPU SPIRQ_CPU_POWER9

/**
 * struct spirq_host_caps - what spirq knows of a KVM host (the spirq
 * extension "-accel kvm,xics=,xive=,xics-destroy=,smt=,smt-possible=",
 * not QEMU syntax)
 * @xics:         KVM_CAP_IRQ_XICS: in-kernel XICS (or XICS-on-XIVE) device
 * @xive:         KVM_CAP_PPC_IRQ_XIVE: in-kernel XIVE native device
 * @xics_destroy: the XICS device can be destroyed and created again
 *                (false on old kernels and for nested KVM)
 * @smt:          KVM_CAP_PPC_SMT of a new VM: KVM's vCPU-id stride until
 *                QEMU changes it (0 = SPIRQ_KVM_SMT_DEFAULT)
 * @smt_possible: KVM_CAP_PPC_SMT_POSSIBLE, a bitmap of the SMT modes KVM
 *                can be set to (bit n = 2^n threads; 0 = the default
 *                SPIRQ_KVM_SMT_POSSIBLE_DEFAULT)
 */
typedef struct spirq_host_caps {
	bool xics;
	bool xive;
	bool xics_destroy;
	unsigned smt;
	unsigned smt_possible;
} spirq_host_caps;

/**
 * struct spirq_options - options as given, QEMU syntax
 *
 * Integer fields hold SPIRQ_UNSET (or 0 for counts) until set.  Use
 * spirq_options_init() and the spirq_options_parse_*() functions rather
 * than filling it by hand.
 */
typedef struct spirq_options {
	char machine[32];	/* "pseries" or "pseries-X.Y"; "" = pseries */
	int ic_mode;		/* spirq_ic_mode or SPIRQ_UNSET */
	int cap_xics;		/* 0/1 or SPIRQ_UNSET */
	int cap_xive;		/* 0/1 or SPIRQ_UNSET */
	int cap_htm;		/* 0/1 or SPIRQ_UNSET: checked only for
				 * QEMU's refusals under TCG */
	int cap_large_decr;	/* 0/1 or SPIRQ_UNSET: same */
	unsigned vsmt;		/* 0 = unset */
	int max_cpu_compat;	/* spirq_cpu_model or SPIRQ_UNSET */
	int kernel_irqchip;	/* spirq_kernel_irqchip, SPIRQ_UNSET, or
				 * SPIRQ_KIC_INVALID (text in bad_kic) */
	char bad_kic[24];	/* an invalid kernel-irqchip value: QEMU
				 * ignores it under TCG, refuses it with KVM */
	unsigned smp_cpus;	/* 0 = unset, for all five */
	unsigned max_cpus;
	unsigned sockets;
	unsigned cores;
	unsigned threads;
	int cpu;		/* spirq_cpu_model, SPIRQ_CPU_OPT_HOST,
				 * SPIRQ_CPU_OPT_MAX or SPIRQ_UNSET */
	uint64_t ram_size;	/* bytes; 0 = default (1 GiB) */
	uint64_t max_ram_size;	/* -m maxmem=, bytes; 0 = not given */
	int ram_slots;		/* -m slots=, or SPIRQ_UNSET */
	int accel;		/* spirq_accel or SPIRQ_UNSET */
	spirq_host_caps host;	/* meaningful with SPIRQ_ACCEL_KVM */
	unsigned kvm_max_vcpus;	/* KVM_MAX_VCPUS of the host ("-accel
				 * kvm,max-vcpus=N");
				 * 0 = SPIRQ_KVM_MAX_VCPUS_DEFAULT */
	char ignored[256];	/* options QEMU accepts that do not concern
				 * interrupts, accepted and ignored:
				 * "usb=off,x-vof=on" ("..." at the end when
				 * more did not fit), "" if none */
} spirq_options;

/** Default guest RAM size. */
#define SPIRQ_RAM_SIZE_DEFAULT (1ull << 30)

/**
 * struct spirq_irqchip_plan - the kernel-irqchip decision, made before the
 * guest starts, for every state the machine can reach
 * @xics:          backend of XICS when it is active at boot or after a
 *                 legacy CAS
 * @xive:          backend of XIVE when it becomes active
 * @xics_again:    backend of XICS when it is activated again after XIVE
 *                 was active (machine reset of a dual machine)
 * @xics_warning:  warning printed when XICS falls back to emulation, or ""
 * @xive_warning:  same for XIVE
 * @xics_again_warning: same for the re-activation of XICS
 *
 * Fields for a controller the machine does not have are EMULATED and "".
 * With TCG everything is emulated.
 */
typedef struct spirq_irqchip_plan {
	spirq_backend xics;
	spirq_backend xive;
	spirq_backend xics_again;
	char xics_warning[160];
	char xive_warning[160];
	char xics_again_warning[160];
} spirq_irqchip_plan;

/**
 * struct spirq_config - the effective, validated configuration
 *
 * Filled by spirq_config_resolve(); read-only afterwards.  vCPU "ids"
 * (server numbers, guest ABI) and vCPU "indexes" (dense, 0 .. max_cpus-1)
 * are distinct: see <spirq/topology.h>.
 */
typedef struct spirq_config {
	char machine_name[24];	/* "pseries-7.2" (the alias resolved) */
	unsigned version_major;	/* 7 */
	unsigned version_minor;	/* 2 */
	bool legacy_xics;	/* <= pseries-3.0: legacy XICS only */
	bool cpu_hotplug;	/* >= pseries-2.7 */
	bool xive_by_max_cpus;	/* >= pseries-6.0: the seed-000 sizing */

	spirq_ic_mode ic_mode;	/* effective mode */
	bool cap_xics;		/* XICS present */
	bool cap_xive;		/* XIVE present */
	bool ic_mode_downgraded; /* dual became xics (pre-POWER9 compat) */

	spirq_cpu_model cpu;	/* CPU model */
	spirq_cpu_model compat;	/* max compat mode (= cpu when unset) */
	bool compat_set;	/* max-cpu-compat was given */

	unsigned smp_cpus;	/* vCPUs present at start */
	unsigned max_cpus;	/* vCPUs possible (hot-plug included) */
	unsigned sockets;
	unsigned cores;		/* per socket */
	unsigned threads;	/* per core */
	unsigned vsmt;		/* vCPU-id stride between cores */
	unsigned kvm_smt;	/* KVM's vCPU-id stride (its SMT mode): vsmt,
				 * or with KVM the host's when QEMU could
				 * not set vsmt (see vsmt_warning) */
	char vsmt_warning[96];	/* QEMU's warning when KVM kept its own SMT
				 * mode, or "" */
	unsigned vcpu_id_bound;	/* DIV_ROUND_UP(max_cpus * vsmt, threads) */

	unsigned nr_xirqs;	/* external sources: 0x1000, 0x400 legacy */
	unsigned nr_ipis;	/* XIVE IPIs claimed by the machine, 0 if none */
	unsigned nr_end_vcpus;	/* vCPU slots of the XIVE END table */
	unsigned nr_ends;	/* END entries: nr_end_vcpus * 8, 0 if no XIVE */

	uint64_t ram_size;	/* guest RAM at guest physical address 0 */
	uint64_t max_ram_size;	/* with hot-pluggable memory (maxmem), or
				 * ram_size */
	unsigned ram_slots;	/* memory hot-plug slots (-m slots=) */

	spirq_accel accel;
	spirq_kernel_irqchip kernel_irqchip;
	spirq_host_caps host;
	unsigned kvm_max_vcpus;
	spirq_irqchip_plan plan;
} spirq_config;

/**
 * spirq_options_init - set every option to "unset"
 * @opts: the options to initialise
 */
SPIRQ_API void spirq_options_init(spirq_options *opts);

/**
 * spirq_options_parse_machine - parse the value of QEMU's -M/-machine
 * @opts: options to update
 * @text: "[type=]pseries[-X.Y][,prop=value...]" (",," is a comma in a
 *        value); properties: ic-mode, vsmt, max-cpu-compat,
 *        kernel-irqchip, accel; the spirq extensions cap-xics and
 *        cap-xive; and QEMU 7.2's properties that do not concern
 *        interrupts (usb, cap-htm, x-vof, ...), checked and recorded in
 *        opts->ignored
 * @err:  receives the explanation on failure (may be NULL)
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_INVAL for an unknown machine type, an unknown property or
 *		a value that does not parse
 */
SPIRQ_API int spirq_options_parse_machine(spirq_options *opts, const char *text,
				spirq_error *err);

/**
 * spirq_options_parse_smp - parse the value of QEMU's -smp
 * @opts: options to update
 * @text: "N[,maxcpus=M][,sockets=S][,cores=C][,threads=T]" (also "cpus=N")
 * @err:  receives the explanation on failure (may be NULL)
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_INVAL on a syntax error or an unknown key
 */
SPIRQ_API int spirq_options_parse_smp(spirq_options *opts, const char *text,
			    spirq_error *err);

/**
 * spirq_options_parse_cpu - parse the value of QEMU's -cpu
 * @opts: options to update
 * @text: a QEMU 7.2 model of the POWER7 ... POWER10 families, any case
 *        ("POWER9", "power9_v2.0", "POWER8E", ...), "max" or "host" (KVM
 *        only, checked by spirq_config_resolve())
 * @err:  receives the explanation on failure (may be NULL)
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_INVAL for an unknown model
 */
SPIRQ_API int spirq_options_parse_cpu(spirq_options *opts, const char *text,
			    spirq_error *err);

/**
 * spirq_options_parse_memory - parse the value of QEMU's -m
 * @opts: options to update (ram_size, max_ram_size, ram_slots)
 * @text: "[size=]SIZE[,slots=N][,maxmem=SIZE]": a size without a unit
 *        letter is in MiB; units B, K, M, G, T, P, E (powers of 1024);
 *        "0" is the default; QEMU's maxmem/slots checks apply.  For bytes,
 *        write the "B" unit or set opts->ram_size.
 * @err:  receives the explanation on failure (may be NULL)
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_INVAL when @text does not parse or QEMU refuses the
 *		memory configuration (QEMU's message)
 */
SPIRQ_API int spirq_options_parse_memory(spirq_options *opts, const char *text,
			       spirq_error *err);

/**
 * spirq_options_parse_accel - parse the value of QEMU's -accel
 * @opts: options to update
 * @text: "tcg[,...]" or "kvm[,kernel-irqchip=on|off|split][,...]"; the
 *        spirq extensions (not QEMU syntax) "xics=, xive=, xics-destroy="
 *        (on|off, default on) describe the host's in-kernel interrupt
 *        controllers, "max-vcpus=N" its KVM_MAX_VCPUS, "smt=N" and
 *        "smt-possible=MASK" its KVM SMT modes (struct spirq_host_caps)
 * @err:  receives the explanation on failure (may be NULL)
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_INVAL on an unknown accelerator, key or value
 */
SPIRQ_API int spirq_options_parse_accel(spirq_options *opts, const char *text,
			      spirq_error *err);

/**
 * spirq_config_resolve - validate options and compute the configuration
 * @opts: the options
 * @cfg:  receives the effective configuration
 * @err:  receives the explanation on failure (may be NULL)
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_CONFIG when the configuration is refused; the message is
 *		QEMU 7.2's where QEMU refuses the same configuration (for
 *		interrupt, topology, CPU, KVM vCPU/SMT and RAM-size reasons,
 *		in QEMU's order), and
 *		spirq's own for configurations QEMU accepts but would kill at
 *		CAS or reset (e.g. ic-mode=dual,kernel-irqchip=on on a host
 *		without in-kernel XIVE)
 *	-SPIRQ_ERR_INVAL when @opts holds values no parser produces
 */
SPIRQ_API int spirq_config_resolve(const spirq_options *opts, spirq_config *cfg,
			 spirq_error *err);

/**
 * spirq_config_from_args - parse QEMU-style arguments and resolve them
 * @argc: number of arguments
 * @argv: arguments such as {"-M", "pseries-7.2,ic-mode=xive", "-smp", "2"};
 *        accepted: -M/-machine, -smp, -cpu, -m, -accel (nothing is
 *        written to them)
 * @cfg:  receives the effective configuration
 * @err:  receives the explanation on failure (may be NULL)
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_INVAL for an unknown or incomplete argument, or an
 *		option value that does not parse
 *	-SPIRQ_ERR_CONFIG when the configuration is refused
 */
SPIRQ_API int spirq_config_from_args(int argc, const char *const argv[],
				     spirq_config *cfg, spirq_error *err);

/** Name of an ic-mode: "xics", "xive", "dual". */
SPIRQ_API const char *spirq_ic_mode_name(spirq_ic_mode mode);

/** Name of a CPU model or compat mode: "POWER6" ... "POWER10". */
SPIRQ_API const char *spirq_cpu_model_name(spirq_cpu_model cpu);

/** Name of a kernel-irqchip value: "allowed", "off", "on", "split". */
SPIRQ_API const char *spirq_kernel_irqchip_name(spirq_kernel_irqchip kic);

/**
 * spirq_machine_version_name - list the machine types spirq knows
 * @index: 0, 1, ... ; the alias "pseries" is not listed
 *
 * returns:
 *	the name ("pseries-2.1" ... "pseries-7.2") or NULL past the end
 */
SPIRQ_API const char *spirq_machine_version_name(unsigned index);

#ifdef __cplusplus
}
#endif

#endif /* SPIRQ_CONFIG_H */
