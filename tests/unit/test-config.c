// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: option parsing, the machine version table and every
 * validation message of spirq_config_resolve().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <spirq/spirq.h>

/* Resolve a QEMU-style argument list; returns the resolve status. */
static int resolve(spirq_config *cfg, spirq_error *err, ...)
{
	const char *argv[16];
	int argc = 0;
	va_list ap;

	va_start(ap, err);
	while (argc < 16 && (argv[argc] = va_arg(ap, const char *)))
		argc++;
	va_end(ap);
	return spirq_config_from_args(argc, argv, cfg, err);
}

static void assert_refused(const char *message, int ret,
			   const spirq_error *err)
{
	assert_true(ret < 0);
	assert_string_equal(err->message, message);
}

static void test_defaults_latest(void **state)
{
	spirq_config cfg;
	spirq_error err;

	assert_int_equal(resolve(&cfg, &err, NULL), 0);
	assert_string_equal(cfg.machine_name, "pseries-7.2");
	assert_int_equal(cfg.ic_mode, SPIRQ_IC_MODE_DUAL);
	assert_true(cfg.cap_xics && cfg.cap_xive);
	assert_int_equal(cfg.cpu, SPIRQ_CPU_POWER9);
	assert_int_equal(cfg.smp_cpus, 1);
	assert_int_equal(cfg.max_cpus, 1);
	assert_int_equal(cfg.vsmt, 1);
	assert_int_equal(cfg.vcpu_id_bound, 1);
	assert_int_equal(cfg.nr_xirqs, 0x1000);
	assert_int_equal(cfg.ram_size, 1ull << 30);
	assert_int_equal(cfg.accel, SPIRQ_ACCEL_TCG);
	assert_true(cfg.xive_by_max_cpus);
}

struct version_row {
	const char *machine;
	spirq_ic_mode ic_mode;
	bool legacy;
	unsigned vsmt_for_threads_1;
	spirq_cpu_model cpu;
	unsigned nr_xirqs;
	bool by_max_cpus;
	bool hotplug;
};

static const struct version_row version_rows[] = {
	{ "pseries-2.1", SPIRQ_IC_MODE_XICS, true, 8, SPIRQ_CPU_POWER7, 0x400, false, false },
	{ "pseries-2.6", SPIRQ_IC_MODE_XICS, true, 8, SPIRQ_CPU_POWER7, 0x400, false, false },
	{ "pseries-2.7", SPIRQ_IC_MODE_XICS, true, 8, SPIRQ_CPU_POWER7, 0x400, false, true },
	{ "pseries-2.12-sxxm", SPIRQ_IC_MODE_XICS, true, 8, SPIRQ_CPU_POWER8, 0x400, false, true },
	{ "pseries-3.0", SPIRQ_IC_MODE_XICS, true, 8, SPIRQ_CPU_POWER8, 0x400, false, true },
	{ "pseries-3.1", SPIRQ_IC_MODE_XICS, false, 8, SPIRQ_CPU_POWER8, 0x1000, false, true },
	{ "pseries-4.0", SPIRQ_IC_MODE_XICS, false, 8, SPIRQ_CPU_POWER9, 0x1000, false, true },
	{ "pseries-4.1", SPIRQ_IC_MODE_DUAL, false, 8, SPIRQ_CPU_POWER9, 0x1000, false, true },
	{ "pseries-4.2", SPIRQ_IC_MODE_DUAL, false, 1, SPIRQ_CPU_POWER9, 0x1000, false, true },
	{ "pseries-5.2", SPIRQ_IC_MODE_DUAL, false, 1, SPIRQ_CPU_POWER9, 0x1000, false, true },
	{ "pseries-6.0", SPIRQ_IC_MODE_DUAL, false, 1, SPIRQ_CPU_POWER9, 0x1000, true, true },
	{ "pseries-7.1", SPIRQ_IC_MODE_DUAL, false, 1, SPIRQ_CPU_POWER9, 0x1000, true, true },
	{ "pseries", SPIRQ_IC_MODE_DUAL, false, 1, SPIRQ_CPU_POWER9, 0x1000, true, true },
};

static void test_version_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(version_rows) / sizeof(version_rows[0]); i++) {
		const struct version_row *r = &version_rows[i];
		spirq_config cfg;
		spirq_error err;

		assert_int_equal(resolve(&cfg, &err, "-M", r->machine, NULL), 0);
		assert_int_equal(cfg.ic_mode, r->ic_mode);
		assert_int_equal(cfg.legacy_xics, r->legacy);
		assert_int_equal(cfg.vsmt, r->vsmt_for_threads_1);
		assert_int_equal(cfg.cpu, r->cpu);
		assert_int_equal(cfg.nr_xirqs, r->nr_xirqs);
		assert_int_equal(cfg.xive_by_max_cpus, r->by_max_cpus);
		assert_int_equal(cfg.cpu_hotplug, r->hotplug);
	}
	assert_string_equal(spirq_machine_version_name(0), "pseries-2.1");
	assert_null(spirq_machine_version_name(1000));
}

static void test_every_version_resolves(void **state)
{
	const char *name;
	unsigned i;

	for (i = 0; (name = spirq_machine_version_name(i)); i++) {
		spirq_config cfg;
		spirq_error err;
		char with_htm_off[64];

		/* under TCG pseries-2.8 ... 2.11 need cap-htm=off */
		snprintf(with_htm_off, sizeof(with_htm_off), "%s,cap-htm=off",
			 name);
		assert_int_equal(resolve(&cfg, &err, "-M", with_htm_off, NULL), 0);
		assert_string_equal(cfg.machine_name, name);
		assert_int_equal(resolve(&cfg, &err, "-M", name, "-accel", "kvm",
					 NULL), 0);
	}
	assert_int_equal(i, 27);
}

/*
 * A second -M without a type keeps the first one's (found by fuzz-scenario:
 * the type was copied onto itself, which ASan reports).
 */
static void test_machine_props_keep_type(void **state)
{
	spirq_options o;

	spirq_options_init(&o);
	assert_int_equal(spirq_options_parse_machine(&o, "pseries-4.1", NULL), 0);
	assert_int_equal(spirq_options_parse_machine(&o, "ic-mode=xics", NULL), 0);
	assert_string_equal(o.machine, "pseries-4.1");
	assert_int_equal(o.ic_mode, SPIRQ_IC_MODE_XICS);
}

/* QEMU 7.2's -m, -M, -cpu and -accel syntax (issue 11). */
static void test_qemu_syntax(void **state)
{
	spirq_options o;
	spirq_config cfg;
	spirq_error err;

	spirq_options_init(&o);
	/* -m: no unit = MiB; units any case; fractions; size=/maxmem=/slots= */
	assert_int_equal(spirq_options_parse_memory(&o, "1.5G", &err), 0);
	assert_int_equal(o.ram_size, 3ull << 29);
	assert_int_equal(spirq_options_parse_memory(&o, "4194304k", &err), 0);
	assert_int_equal(o.ram_size, 4ull << 30);
	assert_int_equal(spirq_options_parse_memory(&o, "1t", &err), 0);
	assert_int_equal(o.ram_size, 1ull << 40);
	assert_int_equal(spirq_options_parse_memory(&o, "0x10", &err), 0);
	assert_int_equal(o.ram_size, 16ull << 20);
	assert_int_equal(spirq_options_parse_memory(&o, "268435456B", &err), 0);
	assert_int_equal(o.ram_size, 256ull << 20);
	assert_int_equal(spirq_options_parse_memory(&o,
			 "size=2G,slots=4,maxmem=8G", &err), 0);
	assert_int_equal(o.ram_size, 2ull << 30);
	assert_int_equal(o.max_ram_size, 8ull << 30);
	assert_int_equal(o.ram_slots, 4);
	assert_refused("slots specified but no max-size",
		       spirq_options_parse_memory(&o, "2G,slots=2", &err), &err);
	assert_refused("Parameter 'size' expects a non-negative number below 2^64",
		       spirq_options_parse_memory(&o, "1.5", &err), &err);
	assert_refused("Value '99999999999999999999' is out of range for parameter 'size'",
		       spirq_options_parse_memory(&o, "99999999999999999999", &err),
		       &err);
	assert_refused("Invalid parameter 'cpus'",
		       spirq_options_parse_memory(&o, "2G,cpus=2", &err), &err);
	assert_refused("pSeries SLOF firmware requires >= 80ldMiB guest RMA (Real Mode Area memory)",
		       resolve(&cfg, &err, "-m", "64", NULL), &err);
	assert_refused("Memory size 0x28000000 is not aligned to 256 MiB",
		       resolve(&cfg, &err, "-m", "640M", "-M", "pseries-2.5", NULL),
		       &err);
	assert_int_equal(resolve(&cfg, &err, "-m", "768M", NULL), 0);
	assert_int_equal(resolve(&cfg, &err, "-m", "200M", "-M", "pseries-2.4",
				 NULL), 0);
	assert_refused("Specified number of memory slots 33 exceeds max supported 32",
		       resolve(&cfg, &err, "-m", "1G,slots=33,maxmem=2G", NULL),
		       &err);

	/* -M: ",," is a comma in a value; type=; ignored properties */
	assert_refused("unsupported machine type",
		       resolve(&cfg, &err, "-M", "pseries,,ic-mode=xics", NULL),
		       &err);
	spirq_options_init(&o);
	assert_int_equal(spirq_options_parse_machine(&o,
			 "type=pseries-5.2,usb=off,x-vof=on,host-model=a,,b", &err), 0);
	assert_string_equal(o.machine, "pseries-5.2");
	assert_string_equal(o.ignored, "usb=off,x-vof=on,host-model=a,b");
	/* a second -M without a type keeps the first one's (fuzz-scenario
	 * found it copied onto itself: ASan's strcpy-param-overlap) */
	assert_int_equal(spirq_options_parse_machine(&o, "ic-mode=xics", &err),
			 0);
	assert_string_equal(o.machine, "pseries-5.2");
	assert_refused("Parameter 'usb' expects 'on' or 'off'",
		       spirq_options_parse_machine(&o, "pseries,usb=maybe", &err),
		       &err);
	assert_refused("Invalid capability mode \"on\" for cap-ibs",
		       spirq_options_parse_machine(&o, "pseries,cap-ibs=on", &err),
		       &err);
	assert_refused("cap-hpt-max-page-size must be a power of 2",
		       spirq_options_parse_machine(&o,
				"pseries,cap-hpt-max-page-size=3k", &err), &err);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries,accel=kvm", NULL), 0);
	assert_int_equal(cfg.accel, SPIRQ_ACCEL_KVM);

	/* -cpu: QEMU 7.2's names only; host needs KVM; max = default */
	assert_refused("unable to find CPU model 'power9_v2.2'",
		       resolve(&cfg, &err, "-cpu", "power9_v2.2", NULL), &err);
	assert_refused("unable to find CPU model 'host'",
		       resolve(&cfg, &err, "-cpu", "host", NULL), &err);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries-3.1", "-cpu", "max",
				 NULL), 0);
	assert_int_equal(cfg.cpu, SPIRQ_CPU_POWER8);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries-3.1", "-cpu", "host",
				 "-accel", "kvm", NULL), 0);
	assert_int_equal(cfg.cpu, SPIRQ_KVM_HOST_CPU);

	/* -accel kvm: QEMU's kernel-irqchip; spirq's host description */
	assert_int_equal(resolve(&cfg, &err, "-accel", "kvm,kernel-irqchip=on",
				 NULL), 0);
	assert_int_equal(cfg.kernel_irqchip, SPIRQ_KIC_ON);
	assert_int_equal(resolve(&cfg, &err, "-accel", "kvm,max-vcpus=8",
				 "-smp", "8", NULL), 0);
	assert_int_equal(cfg.kvm_max_vcpus, 8);
	assert_refused("Number of SMP cpus requested (9) exceeds the maximum cpus supported by KVM (8)",
		       resolve(&cfg, &err, "-accel", "kvm,max-vcpus=8", "-smp", "9",
			       NULL), &err);
	/* a host description left at 0 means the default POWER9 host */
	spirq_options_init(&o);
	o.accel = SPIRQ_ACCEL_KVM;
	o.host.smt = o.host.smt_possible = 0;
	o.vsmt = 3;
	assert_int_equal(spirq_config_resolve(&o, &cfg, &err), 0);
	assert_int_equal(cfg.kvm_smt, SPIRQ_KVM_SMT_DEFAULT);
	assert_int_equal(cfg.host.smt_possible, SPIRQ_KVM_SMT_POSSIBLE_DEFAULT);
	assert_refused("Property 'tcg-accel.xics' not found",
		       resolve(&cfg, &err, "-accel", "tcg,xics=on", NULL), &err);
}

/* Capabilities QEMU applies at the first reset and TCG cannot provide. */
static void test_tcg_caps(void **state)
{
	spirq_config cfg;
	spirq_error err;

	/* cap-htm is on up to pseries-2.11, for a CPU with ISA 2.07 */
	assert_refused("No Transactional Memory support in TCG",
		       resolve(&cfg, &err, "-M", "pseries-2.8", NULL), &err);
	assert_refused("No Transactional Memory support in TCG",
		       resolve(&cfg, &err, "-M", "pseries-2.6", "-cpu", "POWER8",
			       NULL), &err);
	assert_refused("No Transactional Memory support in TCG",
		       resolve(&cfg, &err, "-M", "pseries-7.2,cap-htm=on", NULL),
		       &err);
	/* pseries-2.7 runs a POWER7 by default: no HTM */
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries-2.7", NULL), 0);
	assert_int_equal(cfg.cpu, SPIRQ_CPU_POWER7);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries-2.11,cap-htm=off",
				 NULL), 0);
	assert_int_equal(resolve(&cfg, &err, "-M",
				 "pseries-2.11,max-cpu-compat=power7", NULL), 0);
	/* the large decrementer: on by default only where it works */
	assert_int_equal(resolve(&cfg, &err, "-cpu", "POWER8", NULL), 0);
	assert_refused("Large decrementer only supported on POWER9",
		       resolve(&cfg, &err, "-M", "pseries,cap-large-decr=on",
			       "-cpu", "POWER8", NULL), &err);
}

static void test_ic_mode_alias_and_caps(void **state)
{
	spirq_config cfg;
	spirq_error err;

	assert_int_equal(resolve(&cfg, &err, "-M", "pseries,ic-mode=xics", NULL), 0);
	assert_true(cfg.cap_xics && !cfg.cap_xive);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries,ic-mode=xive", NULL), 0);
	assert_true(!cfg.cap_xics && cfg.cap_xive);
	assert_int_equal(cfg.ic_mode, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries,cap-xics=off", NULL), 0);
	assert_int_equal(cfg.ic_mode, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries-4.0,cap-xive=on", NULL), 0);
	assert_int_equal(cfg.ic_mode, SPIRQ_IC_MODE_DUAL);
	assert_int_equal(resolve(&cfg, &err, "-M",
				 "pseries,ic-mode=dual,cap-xics=on,cap-xive=on", NULL), 0);
	assert_int_equal(cfg.ic_mode, SPIRQ_IC_MODE_DUAL);
	assert_refused("ic-mode=xics contradicts cap-xive=on",
		       resolve(&cfg, &err, "-M", "pseries,ic-mode=xics,cap-xive=on", NULL),
		       &err);
	assert_refused("ic-mode=xive contradicts cap-xics=on",
		       resolve(&cfg, &err, "-M", "pseries,cap-xics=on,ic-mode=xive", NULL),
		       &err);
	assert_refused("cap-xics=off and cap-xive=off leave the machine without an interrupt controller",
		       resolve(&cfg, &err, "-M", "pseries,cap-xics=off,cap-xive=off", NULL),
		       &err);
	assert_refused("This machine only uses the legacy XICS backend, don't pass cap-xive=on",
		       resolve(&cfg, &err, "-M", "pseries-3.0,cap-xive=on", NULL), &err);
}

static void test_parse_errors(void **state)
{
	spirq_config cfg;
	spirq_error err;

	assert_refused("unsupported machine type",
		       resolve(&cfg, &err, "-M", "pseries-1.0", NULL), &err);
	assert_refused("unsupported machine type",
		       resolve(&cfg, &err, "-M", "powernv9", NULL), &err);
	assert_refused("Bad value for \"ic-mode\" property",
		       resolve(&cfg, &err, "-M", "pseries,ic-mode=both", NULL), &err);
	assert_refused("This machine only uses the legacy XICS backend, don't pass ic-mode",
		       resolve(&cfg, &err, "-M", "pseries-3.0,ic-mode=xics", NULL), &err);
	assert_refused("This machine only uses the legacy XICS backend, don't pass ic-mode",
		       resolve(&cfg, &err, "-M", "pseries-2.12,ic-mode=bogus", NULL), &err);
	assert_refused("Property 'pseries-7.2-machine.foo' not found",
		       resolve(&cfg, &err, "-M", "pseries,foo=1", NULL), &err);
	assert_refused("Property 'pseries-5.0-machine.ic_mode' not found",
		       resolve(&cfg, &err, "-M", "pseries-5.0,ic_mode=xics", NULL), &err);
	assert_refused("Parameter 'vsmt' expects integer",
		       resolve(&cfg, &err, "-M", "pseries,vsmt=eight", NULL), &err);
	assert_refused("Invalid compatibility mode \"power11\"",
		       resolve(&cfg, &err, "-M", "pseries,max-cpu-compat=power11", NULL), &err);
	assert_refused("Parameter 'kernel-irqchip' does not accept value 'maybe'",
		       resolve(&cfg, &err, "-M", "pseries,kernel-irqchip=maybe",
			       "-accel", "kvm", NULL), &err);
	/* QEMU ignores kernel-irqchip under TCG, whatever its value */
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries,kernel-irqchip=maybe", NULL), 0);
	assert_int_equal(cfg.kernel_irqchip, SPIRQ_KIC_ALLOWED);
	assert_refused("unable to find CPU model 'POWER11'",
		       resolve(&cfg, &err, "-cpu", "POWER11", NULL), &err);
	assert_refused("Invalid parameter 'sockts'",
		       resolve(&cfg, &err, "-smp", "2,sockts=2", NULL), &err);
	assert_refused("Parameter 'size' expects a non-negative number below 2^64",
		       resolve(&cfg, &err, "-m", "12Q", NULL), &err);
	assert_refused("invalid accelerator hvf",
		       resolve(&cfg, &err, "-accel", "hvf", NULL), &err);
	assert_refused("Property 'kvm-accel.xen' not found",
		       resolve(&cfg, &err, "-accel", "kvm,xen=on", NULL), &err);
	assert_refused("option '-smp' requires an argument",
		       resolve(&cfg, &err, "-smp", NULL), &err);
	assert_refused("unknown option '-device'",
		       resolve(&cfg, &err, "-device", "x", NULL), &err);
}

static void test_parse_values(void **state)
{
	spirq_options o;
	spirq_error err;

	spirq_options_init(&o);
	assert_int_equal(spirq_options_parse_cpu(&o, "power9_v2.0", &err), 0);
	assert_int_equal(o.cpu, SPIRQ_CPU_POWER9);
	assert_int_equal(spirq_options_parse_cpu(&o, "POWER8E", &err), 0);
	assert_int_equal(o.cpu, SPIRQ_CPU_POWER8);
	assert_int_equal(spirq_options_parse_cpu(&o, "POWER10", &err), 0);
	assert_int_equal(o.cpu, SPIRQ_CPU_POWER10);
	assert_int_equal(spirq_options_parse_memory(&o, "2G", &err), 0);
	assert_int_equal(o.ram_size, 2ull << 30);
	assert_int_equal(spirq_options_parse_memory(&o, "512M", &err), 0);
	assert_int_equal(o.ram_size, 512ull << 20);
	/* QEMU's -m: a number without a unit is in MiB, "0" the default */
	assert_int_equal(spirq_options_parse_memory(&o, "4096", &err), 0);
	assert_int_equal(o.ram_size, 4096ull << 20);
	assert_int_equal(spirq_options_parse_memory(&o, "0", &err), 0);
	assert_int_equal(o.ram_size, 0);
	assert_int_equal(spirq_options_parse_smp(&o, "4,maxcpus=8,threads=2,cores=2", &err), 0);
	assert_int_equal(o.smp_cpus, 4);
	assert_int_equal(o.max_cpus, 8);
	assert_int_equal(o.threads, 2);
	assert_int_equal(o.cores, 2);
	assert_int_equal(spirq_options_parse_smp(&o, "cpus=0x6", &err), 0);
	assert_int_equal(o.smp_cpus, 6);
	assert_int_equal(spirq_options_parse_accel(&o, "kvm,xive=off,xics-destroy=no", &err), 0);
	assert_int_equal(o.accel, SPIRQ_ACCEL_KVM);
	assert_true(o.host.xics && !o.host.xive && !o.host.xics_destroy);
	assert_int_equal(spirq_options_parse_machine(&o, "pseries-6.1,vsmt=0x8,max-cpu-compat=power8,kernel-irqchip=off", &err), 0);
	assert_int_equal(o.vsmt, 8);
	assert_int_equal(o.max_cpu_compat, SPIRQ_CPU_POWER8);
	assert_int_equal(o.kernel_irqchip, SPIRQ_KIC_OFF);
	assert_string_equal(o.machine, "pseries-6.1");
}

static void test_smp_topology(void **state)
{
	spirq_config cfg;
	spirq_error err;

	/* 7.2 prefers cores */
	assert_int_equal(resolve(&cfg, &err, "-smp", "4,maxcpus=8", NULL), 0);
	assert_int_equal(cfg.sockets, 1);
	assert_int_equal(cfg.cores, 8);
	/* 6.1 prefers sockets */
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries-6.1", "-smp", "4,maxcpus=8", NULL), 0);
	assert_int_equal(cfg.sockets, 8);
	assert_int_equal(cfg.cores, 1);
	assert_int_equal(resolve(&cfg, &err, "-smp", "sockets=2,cores=3", NULL), 0);
	assert_int_equal(cfg.smp_cpus, 6);
	assert_int_equal(cfg.max_cpus, 6);
	assert_refused("Invalid CPU topology: maxcpus must be equal to or greater than smp: sockets (1) * cores (1) * threads (1) == maxcpus (1) < smp_cpus (4)",
		       resolve(&cfg, &err, "-M", "pseries-7.2", "-smp", "4,maxcpus=1", NULL), &err);
	assert_refused("Invalid CPU topology: product of the hierarchy must match maxcpus: sockets (2) * cores (3) * threads (1) != maxcpus (8)",
		       resolve(&cfg, &err, "-smp", "8,sockets=2,cores=3", NULL), &err);
	assert_refused("Invalid SMP CPUs 4097. The max CPUs supported by machine 'pseries-7.2' is 4096",
		       resolve(&cfg, &err, "-smp", "1,maxcpus=4097", NULL), &err);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries,ic-mode=xics", "-smp",
				 "1,maxcpus=4096", NULL), 0);
}

static void test_vsmt_and_threads(void **state)
{
	spirq_config cfg;
	spirq_error err;

	assert_refused("TCG cannot support more than 1 thread/core on a pseries machine",
		       resolve(&cfg, &err, "-smp", "2,threads=2", NULL), &err);
	assert_int_equal(resolve(&cfg, &err, "-smp", "4,threads=2", "-accel", "kvm", NULL), 0);
	assert_int_equal(cfg.vsmt, 2);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries-4.1", "-smp", "4,threads=2",
				 "-accel", "kvm", NULL), 0);
	assert_int_equal(cfg.vsmt, 8);
	assert_int_equal(cfg.vcpu_id_bound, 16);
	assert_refused("Cannot support 3 threads/core on a pseries machine because it must be a power of 2",
		       resolve(&cfg, &err, "-smp", "3,threads=3", "-accel", "kvm", NULL), &err);
	assert_refused("Cannot support VSMT mode 1 because it must be >= threads/core (2)",
		       resolve(&cfg, &err, "-M", "pseries,vsmt=1", "-smp", "2,threads=2",
			       "-accel", "kvm", NULL), &err);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries-7.2,vsmt=3", "-smp", "4,maxcpus=6", NULL), 0);
	assert_int_equal(cfg.vcpu_id_bound, 0x12);
	assert_refused("smp_cpus (3) must be multiple of threads (2)",
		       resolve(&cfg, &err, "-smp", "3,maxcpus=4,threads=2", "-accel", "kvm", NULL),
		       &err);
	assert_refused("This machine version does not support CPU hotplug",
		       resolve(&cfg, &err, "-M", "pseries-2.6", "-smp", "2,maxcpus=4", NULL), &err);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries-2.6", "-smp", "2", NULL), 0);
}

static void test_cpu_and_compat(void **state)
{
	spirq_config cfg;
	spirq_error err;

	assert_refused("XIVE-only machines require a POWER9 CPU",
		       resolve(&cfg, &err, "-M", "pseries,ic-mode=xive", "-cpu", "POWER8", NULL), &err);
	assert_refused("XIVE-only machines require a POWER9 CPU",
		       resolve(&cfg, &err, "-M", "pseries,ic-mode=xive,max-cpu-compat=power8", NULL),
		       &err);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries,ic-mode=dual,max-cpu-compat=power8", NULL), 0);
	assert_int_equal(cfg.ic_mode, SPIRQ_IC_MODE_XICS);
	assert_true(cfg.ic_mode_downgraded && cfg.cap_xics && !cfg.cap_xive);
	assert_int_equal(cfg.nr_ipis, 0);
	assert_int_equal(resolve(&cfg, &err, "-cpu", "POWER7", NULL), 0);
	assert_int_equal(cfg.ic_mode, SPIRQ_IC_MODE_XICS);
	assert_int_equal(resolve(&cfg, &err, "-cpu", "POWER7+", NULL), 0);
	assert_int_equal(cfg.cpu, SPIRQ_CPU_POWER7);
	assert_int_equal(resolve(&cfg, &err, "-cpu", "power8nvl_v1.0", NULL), 0);
	assert_int_equal(cfg.cpu, SPIRQ_CPU_POWER8);
	assert_refused("unable to find CPU model 'POWER6'",
		       resolve(&cfg, &err, "-cpu", "POWER6", NULL), &err);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries,max-cpu-compat=power6", NULL), 0);
	assert_int_equal(cfg.compat, SPIRQ_CPU_POWER6);
	assert_int_equal(cfg.ic_mode, SPIRQ_IC_MODE_XICS);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries,max-cpu-compat=power7+", NULL), 0);
	assert_int_equal(cfg.compat, SPIRQ_CPU_POWER7);
	assert_refused("Invalid compatibility mode \"POWER9\"",
		       resolve(&cfg, &err, "-M", "pseries,max-cpu-compat=POWER9", NULL), &err);
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries,ic-mode=xive", "-cpu", "POWER10", NULL), 0);
	assert_refused("Compatibility PVR 0x0f000005 not valid for CPU",
		       resolve(&cfg, &err, "-M", "pseries-7.2,max-cpu-compat=power9", "-cpu", "POWER8",
			       NULL), &err);
	assert_refused("Compatibility PVR 0x0f000006 not valid for CPU",
		       resolve(&cfg, &err, "-M", "pseries-7.2,max-cpu-compat=power10", NULL),
		       &err);
}

static void test_xive_sizes(void **state)
{
	spirq_config cfg;
	spirq_error err;

	/* seed 000: >= 6.0 sizes by max_cpus */
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries-7.2,vsmt=8", "-smp", "2,maxcpus=4", NULL), 0);
	assert_int_equal(cfg.vcpu_id_bound, 32);
	assert_int_equal(cfg.nr_ipis, 4);
	assert_int_equal(cfg.nr_ends, 32);
	/* older types keep the vCPU-id bound */
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries-5.2,vsmt=8", "-smp", "2,maxcpus=4", NULL), 0);
	assert_int_equal(cfg.nr_ipis, 32);
	assert_int_equal(cfg.nr_ends, 256);
	assert_refused("XIVE cannot claim 8192 IPIs: the IPI range holds 4096 (lower maxcpus or vsmt)",
		       resolve(&cfg, &err, "-M", "pseries-5.2,vsmt=8", "-smp", "1,maxcpus=1024", NULL),
		       &err);
	/* ... but XICS alone is fine */
	assert_int_equal(resolve(&cfg, &err, "-M", "pseries-5.2,vsmt=8,ic-mode=xics", "-smp",
				 "1,maxcpus=1024", NULL), 0);
	assert_int_equal(cfg.nr_ends, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_latest),
		cmocka_unit_test(test_version_table),
		cmocka_unit_test(test_every_version_resolves),
		cmocka_unit_test(test_tcg_caps),
		cmocka_unit_test(test_qemu_syntax),
		cmocka_unit_test(test_machine_props_keep_type),
		cmocka_unit_test(test_ic_mode_alias_and_caps),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_values),
		cmocka_unit_test(test_smp_topology),
		cmocka_unit_test(test_vsmt_and_threads),
		cmocka_unit_test(test_cpu_and_compat),
		cmocka_unit_test(test_xive_sizes),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
