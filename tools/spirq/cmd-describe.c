// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirq describe: what a guest will see with these options, before it
 * starts -- effective configuration, vCPU numbering, interrupt-controller
 * sizes and the kernel-irqchip plan.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "cli.h"

/* Sizes of the guest-visible interrupt resources, spirq's and QEMU's. */
struct sizes {
	unsigned server_range;		/* ibm,interrupt-server-ranges count */
	unsigned lisn_range;		/* ibm,xive-lisn-ranges count */
	unsigned ipis;			/* IPIs claimed */
	unsigned ends;			/* END entries */
	unsigned qemu_ipis;		/* what QEMU 7.2 would claim */
	unsigned qemu_ends;
	size_t footprint;		/* spirq_machine_footprint(), 0: unknown */
};

static double factor(unsigned count, unsigned max_cpus)
{
	return max_cpus ? (double)count / max_cpus : 0.0;
}

/*
 * What QEMU 7.2 does with the configuration.  It claims IPIs 0 .. vCPU-id
 * bound - 1 on its XIVE (hw/ppc/spapr_irq.c), whose sources end at
 * 0x1000 + nr_xirqs.  IPIs from 0x1000 on take the device sources, so its
 * first device claim, the EPOW source 0x1000, fails; an IPI beyond the
 * last source fails an assertion in spapr_xive_claim_irq(), after the END
 * table has been allocated.  (Checked with Debian's qemu-system-ppc
 * 1:7.2+dfsg-7+deb12u18: vsmt=8, maxcpus 512 starts, 513 is refused, 1025
 * aborts.)
 */
enum qemu_outcome { QEMU_STARTS, QEMU_REFUSES, QEMU_ABORTS };

#define QEMU_REFUSAL "IRQ 4096 is not free"
#define QEMU_ASSERTION \
	"../../hw/intc/spapr_xive.c:581: spapr_xive_claim_irq: Assertion `lisn < xive->nr_irqs' failed."

static enum qemu_outcome qemu_outcome(const spirq_config *cfg)
{
	if (!cfg->cap_xive || cfg->vcpu_id_bound <= SPIRQ_XIRQ_BASE)
		return QEMU_STARTS;
	if (cfg->vcpu_id_bound <= SPIRQ_XIRQ_BASE + cfg->nr_xirqs)
		return QEMU_REFUSES;
	return QEMU_ABORTS;
}

static const char *qemu_outcome_name(enum qemu_outcome o)
{
	return o == QEMU_ABORTS ? "aborts" : o == QEMU_REFUSES ? "refuses" :
								"starts";
}

static const char *qemu_message(enum qemu_outcome o)
{
	return o == QEMU_ABORTS ? QEMU_ASSERTION :
	       o == QEMU_REFUSES ? QEMU_REFUSAL : "";
}

/* The memory of the machine, measured: created with its boot vCPUs. */
static size_t machine_footprint(const spirq_config *cfg)
{
	spirq_machine *m;
	size_t bytes;

	if (spirq_machine_create(cfg, NULL, &m, NULL))
		return 0;
	bytes = spirq_machine_footprint(m);
	spirq_machine_destroy(m);
	return bytes;
}

static void compute_sizes(const spirq_config *cfg, struct sizes *s)
{
	memset(s, 0, sizeof(*s));
	if (cfg->cap_xics)
		s->server_range = cfg->vcpu_id_bound;
	if (cfg->cap_xive) {
		s->lisn_range = cfg->nr_ipis;
		s->ipis = cfg->nr_ipis;
		s->ends = cfg->nr_ends;
		s->qemu_ipis = cfg->vcpu_id_bound;
		s->qemu_ends = cfg->vcpu_id_bound * 8;
	}
	s->footprint = machine_footprint(cfg);
}

static void print_qemu_text(const spirq_config *cfg, const struct sizes *s)
{
	switch (qemu_outcome(cfg)) {
	case QEMU_ABORTS:
		printf("      QEMU 7.2 aborts: it allocates %u END entries (%u bytes), then claiming IPI 0x%x fails an assertion:\n"
		       "        %s\n", s->qemu_ends, s->qemu_ends * 32,
		       SPIRQ_XIRQ_BASE + cfg->nr_xirqs, QEMU_ASSERTION);
		break;
	case QEMU_REFUSES:
		printf("      QEMU 7.2 refuses: its IPIs 0x0..0x%x take the device sources from 0x1000, its first device claim fails:\n"
		       "        %s\n", s->qemu_ipis - 1, QEMU_REFUSAL);
		break;
	case QEMU_STARTS:
		if (s->qemu_ipis != s->ipis)
			printf("      QEMU 7.2 would claim %u IPIs and %u END entries (%.2fx max_cpus)\n",
			       s->qemu_ipis, s->qemu_ends,
			       factor(s->qemu_ipis, cfg->max_cpus));
		break;
	}
}

static const char *backend_name(spirq_backend b)
{
	return b == SPIRQ_BACKEND_IN_KERNEL ? "in-kernel" : "emulated";
}

static const char *pack_status_name(spirq_kvm_pack_status st)
{
	switch (st) {
	case SPIRQ_KVM_PACK_OK: return "ok";
	case SPIRQ_KVM_PACK_ID_RANGE: return "refused";
	case SPIRQ_KVM_PACK_FAILED: return "failed";
	case SPIRQ_KVM_PACK_BAD_STRIDE: return "n/a";
	}
	return "?";
}

static void print_vcpus_text(const spirq_config *cfg)
{
	unsigned i;

	printf("vCPUs:\n  %-9s %-6s %-6s %-8s %-9s %-8s %s\n", "cpu_index",
	       "core", "thread", "vcpu_id", "xive_nvt", "kvm_vp", "state");
	for (i = 0; i < cfg->max_cpus; i++) {
		uint32_t id = spirq_vcpu_id(cfg, i), vp;
		spirq_kvm_pack_status st = spirq_kvm_pack_vcpu_id(
			id, cfg->kvm_smt, cfg->kvm_max_vcpus, &vp);
		char vpbuf[24];

		if (st == SPIRQ_KVM_PACK_OK)
			snprintf(vpbuf, sizeof(vpbuf), "%" PRIu32, vp);
		else
			snprintf(vpbuf, sizeof(vpbuf), "%s",
				 pack_status_name(st));
		printf("  %-9u %-6u %-6u %-8" PRIu32 " 0x%-7" PRIx32
		       " %-8s %s\n",
		       i, i / cfg->threads, i % cfg->threads, id,
		       spirq_xive_nvt_index(id), vpbuf,
		       i < cfg->smp_cpus ? "present" : "hot-pluggable");
	}
}

static void print_plan_text(const spirq_config *cfg)
{
	const spirq_irqchip_plan *p = &cfg->plan;

	if (cfg->accel == SPIRQ_ACCEL_TCG) {
		printf("kernel-irqchip: tcg: everything emulated (kernel-irqchip ignored)\n");
		return;
	}
	printf("kernel-irqchip: %s on a KVM host with xics=%s xive=%s xics-destroy=%s\n",
	       spirq_kernel_irqchip_name(cfg->kernel_irqchip),
	       cfg->host.xics ? "on" : "off", cfg->host.xive ? "on" : "off",
	       cfg->host.xics_destroy ? "on" : "off");
	if (cfg->cap_xics) {
		printf("  XICS (boot%s): %s\n",
		       cfg->cap_xive ? ", legacy guest" : "",
		       backend_name(p->xics));
		if (p->xics_warning[0])
			printf("    warning: %s\n", p->xics_warning);
	}
	if (cfg->cap_xive) {
		printf("  XIVE (%s): %s\n",
		       cfg->cap_xics ? "after CAS" : "boot",
		       backend_name(p->xive));
		if (p->xive_warning[0])
			printf("    warning: %s\n", p->xive_warning);
	}
	if (cfg->cap_xics && cfg->cap_xive) {
		printf("  XICS (after a reset that follows XIVE): %s\n",
		       backend_name(p->xics_again));
		if (p->xics_again_warning[0])
			printf("    warning: %s\n", p->xics_again_warning);
	}
}

static void print_packing_text(const spirq_config *cfg,
			       const spirq_kvm_packing *k)
{
	if (!k->applicable) {
		printf("KVM packing: not applicable: vsmt %u is not a KVM SMT mode (1, 2, 4, 8)\n",
		       cfg->kvm_smt);
		return;
	}
	printf("KVM packing: KVM_MAX_VCPUS %u, stride %u, NR_SERVERS %u\n",
	       cfg->kvm_max_vcpus, cfg->kvm_smt, k->nr_servers);
	if (cfg->vsmt_warning[0])
		printf("  warning: %s: KVM keeps SMT mode %u\n",
		       cfg->vsmt_warning, cfg->kvm_smt);
	if (k->refused)
		printf("  warning: %u vCPU(s) have ids >= %u and cannot be created by KVM (first: cpu_index %d)\n",
		       k->refused, cfg->kvm_max_vcpus * cfg->kvm_smt,
		       k->first_problem);
	if (k->warned)
		printf("  warning: %u vCPU id(s) fail to pack (\"VCPU ID packing failed\")\n",
		       k->warned);
	if (k->collisions)
		printf("  warning: %u packed-id collision(s) (first: cpu_index %d collides with cpu_index %d)\n",
		       k->collisions, k->first_problem, k->first_peer);
	if (k->vp_overflow)
		printf("  warning: %u packed id(s) >= NR_SERVERS %u: the in-kernel XIVE refuses those vCPUs\n",
		       k->vp_overflow, k->nr_servers);
	if (!k->refused && !k->warned && !k->collisions && !k->vp_overflow)
		printf("  no collision, no overflow\n");
}

static void print_text(const spirq_config *cfg, const spirq_kvm_packing *k)
{
	struct sizes s;

	compute_sizes(cfg, &s);
	printf("machine: %s\n", cfg->machine_name);
	printf("ic-mode: %s (cap-xics=%s, cap-xive=%s)%s%s\n",
	       spirq_ic_mode_name(cfg->ic_mode), cfg->cap_xics ? "on" : "off",
	       cfg->cap_xive ? "on" : "off",
	       cfg->legacy_xics ? ", legacy XICS machine" : "",
	       cfg->ic_mode_downgraded ?
		       ", dual turned into xics by the pre-POWER9 compat mode" :
		       "");
	printf("cpu: %s, compat mode %s%s\n", spirq_cpu_model_name(cfg->cpu),
	       spirq_cpu_model_name(cfg->compat),
	       cfg->compat_set ? " (max-cpu-compat)" : "");
	printf("topology: smp %u, maxcpus %u = %u sockets x %u cores x %u threads, vsmt %u\n",
	       cfg->smp_cpus, cfg->max_cpus, cfg->sockets, cfg->cores,
	       cfg->threads, cfg->vsmt);
	printf("vCPU-id bound: %u (%.2fx max_cpus)\n", cfg->vcpu_id_bound,
	       factor(cfg->vcpu_id_bound, cfg->max_cpus));
	if (cfg->max_ram_size > cfg->ram_size)
		printf("guest RAM: %" PRIu64 " bytes, up to %" PRIu64 " with %u hot-plug slots\n",
		       cfg->ram_size, cfg->max_ram_size, cfg->ram_slots);
	else
		printf("guest RAM: %" PRIu64 " bytes\n", cfg->ram_size);
	if (cfg->cap_xics)
		printf("XICS: ibm,interrupt-server-ranges = <0 0x%x> (%.2fx max_cpus), sources 0x1000..0x%x\n",
		       s.server_range, factor(s.server_range, cfg->max_cpus),
		       0x1000 + cfg->nr_xirqs - 1);
	if (cfg->cap_xive) {
		printf("XIVE: ibm,xive-lisn-ranges = <0 0x%x> (%.2fx max_cpus), IPIs claimed 0x0..0x%x, END entries %u (%.2fx max_cpus * 8)\n",
		       s.lisn_range, factor(s.lisn_range, cfg->max_cpus),
		       s.ipis - 1, s.ends,
		       factor(s.ends, cfg->max_cpus * 8));
		print_qemu_text(cfg, &s);
	}
	if (s.footprint)
		printf("memory: %zu bytes allocated by spirq for this machine with its %u boot vCPU(s)\n",
		       s.footprint, cfg->smp_cpus);
	print_vcpus_text(cfg);
	print_packing_text(cfg, k);
	print_plan_text(cfg);
}

static void json_string(const char *key, const char *value, bool comma)
{
	printf("  \"%s\": ", key);
	cli_json_string(stdout, value);
	printf("%s\n", comma ? "," : "");
}

static void json_uint(const char *key, uint64_t value, bool comma)
{
	printf("  \"%s\": %" PRIu64 "%s\n", key, value, comma ? "," : "");
}

static void json_bool(const char *key, bool value, bool comma)
{
	printf("  \"%s\": %s%s\n", key, value ? "true" : "false",
	       comma ? "," : "");
}

static void print_json_vcpus(const spirq_config *cfg)
{
	unsigned i;

	printf("  \"vcpus\": [\n");
	for (i = 0; i < cfg->max_cpus; i++) {
		uint32_t id = spirq_vcpu_id(cfg, i), vp;
		spirq_kvm_pack_status st = spirq_kvm_pack_vcpu_id(
			id, cfg->kvm_smt, cfg->kvm_max_vcpus, &vp);

		printf("    {\"cpu_index\": %u, \"core\": %u, \"thread\": %u, "
		       "\"vcpu_id\": %" PRIu32 ", \"xive_nvt\": %" PRIu32
		       ", \"kvm_vp\": %" PRIu32 ", \"kvm_pack\": \"%s\", "
		       "\"present\": %s, \"dt_node\": %s}%s\n",
		       i, i / cfg->threads, i % cfg->threads, id,
		       spirq_xive_nvt_index(id), vp, pack_status_name(st),
		       i < cfg->smp_cpus ? "true" : "false",
		       spirq_vcpu_is_thread0(cfg, i) ? "true" : "false",
		       i + 1 < cfg->max_cpus ? "," : "");
	}
	printf("  ],\n");
}

static void print_json(const spirq_config *cfg, const spirq_kvm_packing *k,
		       const spirq_options *opts, const char *skipped)
{
	char ignored[sizeof(opts->ignored) + 512];
	const spirq_irqchip_plan *p = &cfg->plan;
	struct sizes s;

	compute_sizes(cfg, &s);
	printf("{\n");
	json_string("machine", cfg->machine_name, true);
	json_string("ic_mode", spirq_ic_mode_name(cfg->ic_mode), true);
	json_bool("cap_xics", cfg->cap_xics, true);
	json_bool("cap_xive", cfg->cap_xive, true);
	json_bool("ic_mode_downgraded", cfg->ic_mode_downgraded, true);
	json_string("cpu", spirq_cpu_model_name(cfg->cpu), true);
	json_string("compat", spirq_cpu_model_name(cfg->compat), true);
	json_uint("smp_cpus", cfg->smp_cpus, true);
	json_uint("max_cpus", cfg->max_cpus, true);
	json_uint("sockets", cfg->sockets, true);
	json_uint("cores", cfg->cores, true);
	json_uint("threads", cfg->threads, true);
	json_uint("vsmt", cfg->vsmt, true);
	json_uint("vcpu_id_bound", cfg->vcpu_id_bound, true);
	json_uint("ram_size", cfg->ram_size, true);
	json_uint("nr_xirqs", cfg->nr_xirqs, true);
	json_uint("interrupt_server_range", s.server_range, true);
	json_uint("xive_lisn_range", s.lisn_range, true);
	json_uint("ipis_claimed", s.ipis, true);
	json_uint("end_entries", s.ends, true);
	json_uint("qemu_ipis_claimed", s.qemu_ipis, true);
	json_uint("qemu_end_entries", s.qemu_ends, true);
	json_string("qemu_outcome", qemu_outcome_name(qemu_outcome(cfg)), true);
	json_string("qemu_message", qemu_message(qemu_outcome(cfg)), true);
	json_uint("footprint_bytes", s.footprint, true);
	print_json_vcpus(cfg);
	printf("  \"kvm_packing\": {\"applicable\": %s, \"kvm_max_vcpus\": %u, "
	       "\"nr_servers\": %u, \"refused\": %u, \"failed\": %u, "
	       "\"collisions\": %u, \"vp_overflow\": %u},\n",
	       k->applicable ? "true" : "false", cfg->kvm_max_vcpus,
	       k->nr_servers, k->refused, k->warned, k->collisions,
	       k->vp_overflow);
	json_string("accel", cfg->accel == SPIRQ_ACCEL_KVM ? "kvm" : "tcg",
		    true);
	json_string("kernel_irqchip",
		    spirq_kernel_irqchip_name(cfg->kernel_irqchip), true);
	printf("  \"backends\": {\"xics\": \"%s\", \"xive\": \"%s\", "
	       "\"xics_after_xive\": \"%s\"},\n",
	       cfg->cap_xics ? backend_name(p->xics) : "absent",
	       cfg->cap_xive ? backend_name(p->xive) : "absent",
	       cfg->cap_xics && cfg->cap_xive ? backend_name(p->xics_again) :
						"absent");
	json_string("xics_warning", p->xics_warning, true);
	json_string("xive_warning", p->xive_warning, true);
	json_string("xics_after_xive_warning", p->xics_again_warning, true);
	json_string("vsmt_warning", cfg->vsmt_warning, true);
	snprintf(ignored, sizeof(ignored), "%s%s%s", opts->ignored,
		 opts->ignored[0] && skipped[0] ? " " : "", skipped);
	json_string("not_interrupt_related", ignored, false);
	printf("}\n");
}

/* QEMU 7.2 options that take no value (qemu-options.hx). */
static bool qemu_flag(const char *name)
{
	static const char *const flags[] = {
		"help", "version", "mem-prealloc", "audio-help", "snapshot",
		"usb", "nographic", "portrait", "full-screen", "win2k-hack",
		"no-fd-bootchk", "no-acpi", "no-hpet", "singlestep",
		"preconfig", "S", "s", "enable-kvm", "xen-attach",
		"xen-domid-restrict", "no-reboot", "no-shutdown", "daemonize",
		"only-migratable", "nodefaults", "semihosting", "old-param",
		"no-user-config", "async-teardown", "enable-sync-profile",
	};
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (!strcmp(name, flags[i]))
			return true;
	return false;
}

/* Add "-name" to the list of skipped options, once. */
static void note_skipped(char *list, size_t size, const char *opt)
{
	size_t used = strlen(list), len = strlen(opt);
	const char *p;

	for (p = strstr(list, opt); p; p = strstr(p + 1, opt))
		if ((p == list || p[-1] == ' ') && (p[len] == ' ' || !p[len]))
			return;
	if (used + len + 2 < size)
		snprintf(list + used, size - used, "%s%s", used ? " " : "",
			 opt);
}

/*
 * "-- qemu-system-ppc64 ARGS...": a whole QEMU command line.  Machine
 * options are taken, "-enable-kvm" is "-accel kvm", every other option is
 * skipped with its value.
 */
static int take_qemu_line(bool json, spirq_options *opts, int argc,
			  char **argv, int i, char *skipped, size_t size)
{
	spirq_error err;
	int ret;

	if (i < argc && argv[i][0] != '-')
		i++;			/* the program name */
	for (; i < argc; i++) {
		const char *name = argv[i] + (argv[i][1] == '-' ? 2 : 1);

		if (argv[i][0] != '-' || !argv[i][1])
			return cli_fail(json, "spirq describe", CLI_USAGE,
					"not a QEMU option: '%.40s%s'", argv[i],
					strlen(argv[i]) > 40 ? "..." : "");
		if (!strcmp(name, "enable-kvm")) {
			if (spirq_options_parse_accel(opts, "kvm", &err) < 0)
				return cli_fail(json, "spirq", CLI_REFUSED, "%s",
						err.message);
			continue;
		}
		ret = cli_take_machine_option(opts, argc, argv, &i, &err);
		if (ret < 0)
			return cli_fail(json, "spirq",
					ret == CLI_OPT_USAGE ? CLI_USAGE :
							       CLI_REFUSED,
					"%s", err.message);
		if (ret == 1)
			continue;
		note_skipped(skipped, size, argv[i]);
		if (!qemu_flag(name))
			i++;		/* its value */
	}
	return CLI_OK;
}

static void print_ignored_text(const spirq_options *opts,
			       const char *skipped)
{
	if (!opts->ignored[0] && !skipped[0])
		return;
	printf("not interrupt-related, ignored: ");
	cli_put_escaped(stdout, opts->ignored);
	printf("%s", opts->ignored[0] && skipped[0] ? " " : "");
	cli_put_escaped(stdout, skipped);
	printf("\n");
}

/*
 * --host-kvm: ask this machine's KVM (a new VM on /dev/kvm) what it has,
 * as spirq_machine_create() does with a VMM's VM fd, and describe the
 * machine on that host rather than on the one "-accel kvm,..." describes.
 */
static int query_host_kvm(bool json, spirq_options *opts)
{
	spirq_host_caps caps = opts->host;
	spirq_error err;
	int kvm, vm, ret;

	if (opts->accel == SPIRQ_ACCEL_TCG)
		return cli_fail(json, "spirq describe", CLI_USAGE,
				"--host-kvm describes a KVM machine: not with -accel tcg");
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return cli_fail(json, "spirq describe", CLI_FAILURE,
				"cannot open /dev/kvm: %s", strerror(errno));
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		ret = errno;
		close(kvm);
		return cli_fail(json, "spirq describe", CLI_FAILURE,
				"KVM_CREATE_VM failed: %s", strerror(ret));
	}
	ret = spirq_kvm_host_caps(vm, &caps, &err);
	close(vm);
	close(kvm);
	if (ret < 0)
		return cli_fail(json, "spirq describe", CLI_FAILURE, "%s",
				err.message);
	opts->accel = SPIRQ_ACCEL_KVM;
	opts->host = caps;
	if (!json)
		printf("KVM host (/dev/kvm): in-kernel XICS %s, in-kernel XIVE %s, XICS device re-creatable %s\n",
		       caps.xics ? "yes" : "no", caps.xive ? "yes" : "no",
		       caps.xics_destroy ? "yes" : "no");
	return CLI_OK;
}

int cmd_describe(int argc, char **argv)
{
	spirq_options opts;
	spirq_config cfg;
	spirq_kvm_packing packing;
	spirq_error err;
	char skipped[512] = "";
	bool json = cli_find_flag(argc, argv, "--json");
	bool host_kvm = false;
	int i, ret;

	spirq_options_init(&opts);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
			continue;
		}
		if (!strcmp(argv[i], "--host-kvm")) {
			host_kvm = true;
			continue;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: spirq describe [--json] [--host-kvm] MACHINE-OPTIONS\n"
			       "       spirq describe [--json] [--host-kvm] -- qemu-system-ppc64 QEMU-ARGS...\n"
			       "  --host-kvm  the KVM host is this machine's /dev/kvm (a POWER host):\n"
			       "              its answers replace -accel kvm,xics=,xive=,xics-destroy=\n");
			return CLI_OK;
		}
		if (!strcmp(argv[i], "--")) {
			ret = take_qemu_line(json, &opts, argc, argv, i + 1,
					     skipped, sizeof(skipped));
			if (ret != CLI_OK)
				return ret;
			break;
		}
		ret = cli_machine_option("describe", json, &opts, argc, argv,
					 &i);
		if (ret != CLI_OK)
			return ret;
	}
	if (host_kvm) {
		ret = query_host_kvm(json, &opts);
		if (ret != CLI_OK)
			return ret;
	}
	if (spirq_config_resolve(&opts, &cfg, &err) < 0)
		return cli_fail(json, "spirq", CLI_REFUSED, "%s", err.message);
	if (spirq_kvm_check_packing(&cfg, &packing) < 0)
		return cli_fail(json, "spirq", CLI_FAILURE, "out of memory");
	if (json) {
		print_json(&cfg, &packing, &opts, skipped);
	} else {
		print_text(&cfg, &packing);
		print_ignored_text(&opts, skipped);
	}
	return CLI_OK;
}
