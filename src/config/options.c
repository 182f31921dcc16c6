// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parsing of QEMU-style options into struct spirq_options.
 *
 * Only syntax and value ranges are checked here, with QEMU's texts (and,
 * for -m, the size/maxmem/slots consistency QEMU checks when it sets the
 * option on the machine); how the options combine is checked by
 * spirq_config_resolve().  Properties QEMU 7.2 accepts that do not
 * concern interrupts are checked the way QEMU checks them, then listed in
 * opts->ignored.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/error-internal.h"
#include "config/config-internal.h"

void spirq_options_init(spirq_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->ic_mode = SPIRQ_UNSET;
	opts->cap_xics = SPIRQ_UNSET;
	opts->cap_xive = SPIRQ_UNSET;
	opts->cap_htm = SPIRQ_UNSET;
	opts->cap_large_decr = SPIRQ_UNSET;
	opts->max_cpu_compat = SPIRQ_UNSET;
	opts->kernel_irqchip = SPIRQ_UNSET;
	opts->cpu = SPIRQ_UNSET;
	opts->accel = SPIRQ_UNSET;
	opts->ram_slots = SPIRQ_UNSET;
	opts->host.xics = opts->host.xive = opts->host.xics_destroy = true;
	opts->host.smt = SPIRQ_KVM_SMT_DEFAULT;
	opts->host.smt_possible = SPIRQ_KVM_SMT_POSSIBLE_DEFAULT;
}

/*
 * Iterate over "key=value" items of a comma-separated list, as QEMU's
 * option parsers split them: ",," inside a value is one literal comma, and
 * the first item may omit its key (the "implied" key: the machine type,
 * the accelerator, the CPU count, the RAM size).  @rest points into a
 * buffer the caller owns; items are split and unescaped in place.
 */
struct kv_iter {
	char *rest;
	const char *implied;	/* key of a first item without '=' */
	const char *key;
	char *value;		/* NULL for an item without '=' */
};

/* Cut a value at the first single comma, turning ",," into ','. */
static char *kv_take_value(char *text, char **rest)
{
	char *in = text, *out = text;

	*rest = NULL;
	while (*in) {
		if (*in == ',') {
			if (in[1] != ',') {
				*rest = in + 1;
				break;
			}
			in++;
		}
		*out++ = *in++;
	}
	*out = '\0';
	return text;
}

static bool kv_next(struct kv_iter *it)
{
	char *item = it->rest;
	size_t len;

	if (!item)
		return false;
	len = strcspn(item, "=,");
	if (it->implied && len && item[len] != '=') {
		it->key = it->implied;
		it->value = kv_take_value(item, &it->rest);
	} else if (item[len] == '=') {
		item[len] = '\0';
		it->key = item;
		it->value = kv_take_value(item + len + 1, &it->rest);
	} else {
		it->rest = item[len] ? item + len + 1 : NULL;
		item[len] = '\0';
		it->key = item;
		it->value = NULL;
	}
	it->implied = NULL;
	return true;
}

static int copy_text(char *buf, size_t size, const char *text,
		     spirq_error *err)
{
	size_t len = strlen(text);

	if (len >= size)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"option text too long: %.40s...", text);
	memcpy(buf, text, len + 1);
	return 0;
}

/* Unsigned integer, decimal or 0x-prefixed hexadecimal, as QEMU's keyval. */
static bool parse_u64(const char *text, uint64_t *out)
{
	char *end;

	if (!text || !*text || *text == '-' || isspace((unsigned char)*text))
		return false;
	errno = 0;
	*out = strtoull(text, &end, 0);
	return errno == 0 && *end == '\0';
}

static int parse_u32_param(const char *name, const char *value,
			   unsigned *out, spirq_error *err)
{
	uint64_t v;

	if (!value)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
			"Expected '=' after parameter '%s'", name);
	if (!parse_u64(value, &v))
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"Parameter '%s' expects integer", name);
	if (v > UINT32_MAX)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"Parameter '%s' expects uint32_t", name);
	*out = (unsigned)v;
	return 0;
}

static int parse_bool_param(const char *name, const char *value, int *out,
			    spirq_error *err)
{
	static const char *const yes[] = { "on", "yes", "true", "y" };
	static const char *const no[] = { "off", "no", "false", "n" };
	size_t i;

	if (!value)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
			"Expected '=' after parameter '" SPIRQ__CLIP_FMT "'",
			SPIRQ__CLIP(name));
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(value, yes[i])) {
			*out = 1;
			return 0;
		}
		if (!strcmp(value, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Parameter '%s' expects 'on' or 'off'", name);
}


static int parse_ic_mode(const char *value, int *out, spirq_error *err)
{
	if (value && !strcmp(value, "xics"))
		*out = SPIRQ_IC_MODE_XICS;
	else if (value && !strcmp(value, "xive"))
		*out = SPIRQ_IC_MODE_XIVE;
	else if (value && !strcmp(value, "dual"))
		*out = SPIRQ_IC_MODE_DUAL;
	else
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"Bad value for \"ic-mode\" property");
	return 0;
}

/* QEMU 7.2's compat modes (case-sensitive). */
static int parse_compat(const char *value, int *out, spirq_error *err)
{
	static const struct {
		const char *name;
		spirq_cpu_model compat;
	} modes[] = {
		{ "power6", SPIRQ_CPU_POWER6 },
		{ "power7", SPIRQ_CPU_POWER7 },
		{ "power7+", SPIRQ_CPU_POWER7 },
		{ "power8", SPIRQ_CPU_POWER8 },
		{ "power9", SPIRQ_CPU_POWER9 },
		{ "power10", SPIRQ_CPU_POWER10 },
	};
	size_t i;

	for (i = 0; value && i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!strcmp(value, modes[i].name)) {
			*out = modes[i].compat;
			return 0;
		}
	}
	if (value && !*value) {
		*out = SPIRQ_UNSET;
		return 0;
	}
	return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Invalid compatibility mode \"" SPIRQ__CLIP_FMT "\"",
				SPIRQ__CLIP(value ? value : ""));
}

/*
 * QEMU hands kernel-irqchip to the KVM accelerator, which alone parses
 * it: under TCG any value is ignored.  Keep an invalid one for
 * spirq_config_resolve(), which refuses it only with KVM.
 */
static int parse_kernel_irqchip(spirq_options *opts, const char *value)
{
	if (value && !strcmp(value, "on"))
		opts->kernel_irqchip = SPIRQ_KIC_ON;
	else if (value && !strcmp(value, "off"))
		opts->kernel_irqchip = SPIRQ_KIC_OFF;
	else if (value && !strcmp(value, "split"))
		opts->kernel_irqchip = SPIRQ_KIC_SPLIT;
	else {
		opts->kernel_irqchip = SPIRQ_KIC_INVALID;
		snprintf(opts->bad_kic, sizeof(opts->bad_kic), "%s",
			 value ? value : "");
	}
	return 0;
}

/* Remember an accepted, ignored option for "describe". */
static void note_ignored(spirq_options *opts, const char *key,
			 const char *value)
{
	size_t used = strlen(opts->ignored), room = sizeof(opts->ignored);
	int n;

	if (used >= 3 && !strcmp(opts->ignored + used - 3, "..."))
		return;		/* already full */
	n = snprintf(opts->ignored + used, room - used, "%s%s%s%s",
		     used ? "," : "", key, value ? "=" : "",
		     value ? value : "");
	if (n < 0 || (size_t)n >= room - used)
		memcpy(opts->ignored + room - 4, "...", 4);
}

/*
 * Properties of QEMU 7.2's pseries machine that do not concern interrupts:
 * accepted, checked as QEMU checks their value, and ignored.
 */
enum ignored_kind {
	IGN_ANY,	/* a string or number spirq does not check */
	IGN_BOOL,	/* on/off */
	IGN_CAP_MODE,	/* one of @modes, case-insensitive (spapr caps) */
	IGN_PAGESIZE,	/* a size, power of 2 */
	IGN_RESIZE_HPT,	/* default, disabled, enabled, required */
};

struct ignored_prop {
	const char *name;
	enum ignored_kind kind;
	const char *modes;	/* IGN_CAP_MODE: "|a|b|c|" */
};

static const struct ignored_prop ignored_machine_props[] = {
	/* generic machine properties */
	{ "kernel", IGN_ANY, NULL }, { "initrd", IGN_ANY, NULL },
	{ "append", IGN_ANY, NULL }, { "dtb", IGN_ANY, NULL },
	{ "dumpdtb", IGN_ANY, NULL }, { "boot", IGN_ANY, NULL },
	{ "phandle-start", IGN_ANY, NULL },
	{ "dt-compatible", IGN_ANY, NULL },
	{ "dump-guest-core", IGN_BOOL, NULL },
	{ "mem-merge", IGN_BOOL, NULL }, { "usb", IGN_BOOL, NULL },
	{ "graphics", IGN_BOOL, NULL }, { "firmware", IGN_ANY, NULL },
	{ "suppress-vmdesc", IGN_BOOL, NULL },
	{ "confidential-guest-support", IGN_ANY, NULL },
	{ "memory-encryption", IGN_ANY, NULL },
	{ "memory-backend", IGN_ANY, NULL },
	{ "nvdimm", IGN_BOOL, NULL },
	{ "nvdimm-persistence", IGN_ANY, NULL },
	{ "kvm-shadow-mem", IGN_ANY, NULL },
	/* pseries properties */
	{ "kvm-type", IGN_ANY, NULL },
	{ "modern-hotplug-events", IGN_BOOL, NULL },
	{ "resize-hpt", IGN_RESIZE_HPT, NULL },
	{ "vfio-no-msix-emulation", IGN_BOOL, NULL },
	{ "kernel-addr", IGN_ANY, NULL },
	{ "x-vof", IGN_BOOL, NULL },
	{ "host-model", IGN_ANY, NULL }, { "host-serial", IGN_ANY, NULL },
	/* pseries capabilities */
	{ "cap-htm", IGN_BOOL, NULL }, { "cap-vsx", IGN_BOOL, NULL },
	{ "cap-dfp", IGN_BOOL, NULL },
	{ "cap-cfpc", IGN_CAP_MODE, "|broken|workaround|fixed|" },
	{ "cap-sbbc", IGN_CAP_MODE, "|broken|workaround|fixed|" },
	{ "cap-ibs", IGN_CAP_MODE,
	  "|broken|workaround|fixed-ibs|fixed-ccd|fixed-na|" },
	{ "cap-hpt-max-page-size", IGN_PAGESIZE, NULL },
	{ "cap-nested-hv", IGN_BOOL, NULL },
	{ "cap-large-decr", IGN_BOOL, NULL },
	{ "cap-ccf-assist", IGN_BOOL, NULL },
	{ "cap-fwnmi", IGN_BOOL, NULL },
	{ "cap-rpt-invalidate", IGN_BOOL, NULL },
};

static bool cap_mode_is_valid(const char *modes, const char *value)
{
	const char *m = modes + 1;	/* after the leading '|' */
	size_t len = strlen(value);

	while (*m) {
		const char *bar = strchr(m, '|');

		if ((size_t)(bar - m) == len && !strncasecmp(m, value, len))
			return true;
		m = bar + 1;
	}
	return false;
}

static int check_ignored_value(const struct ignored_prop *p,
			       const char *value, spirq_error *err)
{
	uint64_t size;
	int dummy;

	switch (p->kind) {
	case IGN_ANY:
		break;
	case IGN_BOOL:
		return parse_bool_param(p->name, value, &dummy, err);
	case IGN_CAP_MODE:
		if (!value || !cap_mode_is_valid(p->modes, value))
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Invalid capability mode \"" SPIRQ__CLIP_FMT "\" for %s",
				SPIRQ__CLIP(value ? value : ""), p->name);
		break;
	case IGN_PAGESIZE:
		if (!value || spirq__parse_size(value, &size) < 0)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Parameter '%s' expects size", p->name);
		if (size & (size - 1) || !size)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"%s must be a power of 2", p->name);
		break;
	case IGN_RESIZE_HPT:
		if (!value || (strcmp(value, "default") &&
			       strcmp(value, "disabled") &&
			       strcmp(value, "enabled") &&
			       strcmp(value, "required")))
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Bad value for \"resize-hpt\" property");
		break;
	}
	return 0;
}

/* "-machine accel=kvm": QEMU's legacy spelling of -accel. */
static int machine_accel(spirq_options *opts, const char *value,
			 spirq_error *err)
{
	/* "kvm:tcg" means the first that works; spirq describes the first */
	char first[8];
	size_t len = value ? strcspn(value, ":") : 0;

	if (len == 0 || len >= sizeof(first))
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
			"invalid accelerator " SPIRQ__CLIP_FMT,
			SPIRQ__CLIP(value ? value : ""));
	memcpy(first, value, len);
	first[len] = '\0';
	return spirq_options_parse_accel(opts, first, err);
}

static int machine_property(spirq_options *opts,
			    const struct machine_version *mv, const char *key,
			    const char *value, spirq_error *err)
{
	size_t i;

	if (!strcmp(key, "ic-mode")) {
		/* QEMU's property setter refuses before looking at the value */
		if (mv->flags & MV_LEGACY_XICS)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"This machine only uses the legacy XICS backend, don't pass ic-mode");
		return parse_ic_mode(value, &opts->ic_mode, err);
	}
	if (!strcmp(key, "vsmt"))
		return parse_u32_param("vsmt", value, &opts->vsmt, err);
	if (!strcmp(key, "max-cpu-compat"))
		return parse_compat(value, &opts->max_cpu_compat, err);
	if (!strcmp(key, "kernel-irqchip") || !strcmp(key, "kernel_irqchip"))
		return parse_kernel_irqchip(opts, value);
	/* spirq extensions (seed 003), not QEMU 7.2 properties */
	if (!strcmp(key, "cap-xics"))
		return parse_bool_param(key, value, &opts->cap_xics, err);
	if (!strcmp(key, "cap-xive"))
		return parse_bool_param(key, value, &opts->cap_xive, err);
	if (!strcmp(key, "accel"))
		return machine_accel(opts, value, err);
	/* not interrupt-related, but QEMU refuses some values under TCG */
	if (!strcmp(key, "cap-htm") || !strcmp(key, "cap-large-decr")) {
		int ret = parse_bool_param(key, value, !strcmp(key, "cap-htm") ?
					   &opts->cap_htm :
					   &opts->cap_large_decr, err);

		if (!ret)
			note_ignored(opts, key, value);
		return ret;
	}
	for (i = 0; i < sizeof(ignored_machine_props) /
			sizeof(ignored_machine_props[0]); i++) {
		const struct ignored_prop *p = &ignored_machine_props[i];

		if (strcmp(key, p->name))
			continue;
		if (!value)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Expected '=' after parameter '%s'", key);
		if (check_ignored_value(p, value, err) < 0)
			return -SPIRQ_ERR_INVAL;
		note_ignored(opts, key, value);
		return 0;
	}
	return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Property '%s-machine." SPIRQ__CLIP_FMT "' not found",
				mv->name, SPIRQ__CLIP(key));
}

/*
 * The machine type: the first item without a key, or "type=".  QEMU
 * creates the machine before it sets the other properties.
 */
static int machine_type(spirq_options *opts, const char *text,
			const struct machine_version **mv, spirq_error *err)
{
	char buf[1024];
	struct kv_iter it = { .rest = buf, .implied = "type" };
	const char *type = opts->machine;

	if (copy_text(buf, sizeof(buf), text, err))
		return -SPIRQ_ERR_INVAL;
	while (kv_next(&it))
		if (!strcmp(it.key, "type") && it.value)
			type = it.value;
	*mv = spirq__machine_version_find(type);
	if (!*mv || strlen(type) >= sizeof(opts->machine))
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"unsupported machine type");
	/* without a type here, @type is opts->machine itself */
	memmove(opts->machine, type, strlen(type) + 1);
	return 0;
}

int spirq_options_parse_machine(spirq_options *opts, const char *text,
				spirq_error *err)
{
	const struct machine_version *mv;
	char buf[1024];
	struct kv_iter it = { .rest = buf, .implied = "type" };
	int ret;

	ret = machine_type(opts, text, &mv, err);
	if (ret)
		return ret;
	memcpy(buf, text, strlen(text) + 1);	/* fits: machine_type() */
	while (kv_next(&it)) {
		if (!it.key[0] && !it.value)
			continue;	/* "pseries," */
		if (!strcmp(it.key, "type"))
			continue;
		ret = machine_property(opts, mv, it.key, it.value, err);
		if (ret)
			return ret;
	}
	return 0;
}

int spirq_options_parse_smp(spirq_options *opts, const char *text,
			    spirq_error *err)
{
	char buf[256];
	struct kv_iter it = { .rest = buf, .implied = "cpus" };
	int ret = 0;

	ret = copy_text(buf, sizeof(buf), text, err);
	if (ret)
		return ret;
	while (kv_next(&it)) {
		const char *key = it.key, *value = it.value;
		unsigned dummy = 0;

		if (!key[0] && !value)
			continue;
		if (!value)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Expected '=' after parameter '" SPIRQ__CLIP_FMT "'",
				SPIRQ__CLIP(key));
		if (!strcmp(key, "cpus"))
			ret = parse_u32_param(key, value, &opts->smp_cpus, err);
		else if (!strcmp(key, "maxcpus"))
			ret = parse_u32_param(key, value, &opts->max_cpus, err);
		else if (!strcmp(key, "sockets"))
			ret = parse_u32_param(key, value, &opts->sockets, err);
		else if (!strcmp(key, "cores"))
			ret = parse_u32_param(key, value, &opts->cores, err);
		else if (!strcmp(key, "threads"))
			ret = parse_u32_param(key, value, &opts->threads, err);
		else if (!strcmp(key, "dies") || !strcmp(key, "clusters")) {
			ret = parse_u32_param(key, value, &dummy, err);
			if (!ret && dummy > 1)
				ret = spirq__error_set(err, SPIRQ_ERR_INVAL,
					"%s not supported by this machine's CPU topology",
					key);
		} else
			ret = spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Invalid parameter '" SPIRQ__CLIP_FMT "'",
				SPIRQ__CLIP(key));
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * QEMU 7.2's ppc64 CPU models a pseries machine runs, lower case (QEMU
 * lowers the name before looking it up), and their family.  Models spirq
 * does not know (970, POWER5+, revisions QEMU 7.2 lacks such as
 * power9_v2.2) are refused.
 */
static const struct {
	const char *name;
	spirq_cpu_model cpu;
} cpu_models[] = {
	{ "power7", SPIRQ_CPU_POWER7 }, { "power7_v2.3", SPIRQ_CPU_POWER7 },
	{ "power7+", SPIRQ_CPU_POWER7 }, { "power7+_v2.1", SPIRQ_CPU_POWER7 },
	{ "power8e", SPIRQ_CPU_POWER8 }, { "power8e_v2.1", SPIRQ_CPU_POWER8 },
	{ "power8", SPIRQ_CPU_POWER8 }, { "power8_v2.0", SPIRQ_CPU_POWER8 },
	{ "power8nvl", SPIRQ_CPU_POWER8 },
	{ "power8nvl_v1.0", SPIRQ_CPU_POWER8 },
	{ "power9", SPIRQ_CPU_POWER9 }, { "power9_v1.0", SPIRQ_CPU_POWER9 },
	{ "power9_v2.0", SPIRQ_CPU_POWER9 },
	{ "power10", SPIRQ_CPU_POWER10 }, { "power10_v1.0", SPIRQ_CPU_POWER10 },
	{ "power10_v2.0", SPIRQ_CPU_POWER10 },
};

/* QEMU 7.2 models spirq does not implement. */
static bool cpu_model_is_qemus(const char *name)
{
	static const char *const others[] = {
		"970", "970_v2.2", "970fx", "970fx_v1.0", "970fx_v2.0",
		"970fx_v2.1", "970fx_v3.0", "970fx_v3.1", "970mp",
		"970mp_v1.0", "970mp_v1.1", "power5+", "power5+_v2.1",
		"power5gs", "ppc64",
	};
	size_t i;

	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (!strcasecmp(name, others[i]))
			return true;
	return false;
}

int spirq_options_parse_cpu(spirq_options *opts, const char *text,
			    spirq_error *err)
{
	char model[32];
	size_t i, len = strcspn(text, ",");

	/* "-cpu MODEL,feature=...": features are CPU properties */
	if (text[len])
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
			"CPU features are not supported by spirq: '" SPIRQ__CLIP_FMT "'",
			SPIRQ__CLIP(text + len + 1));
	if (len < sizeof(model)) {
		memcpy(model, text, len + 1);
		if (!strcmp(model, "host")) {
			opts->cpu = SPIRQ_CPU_OPT_HOST;
			return 0;
		}
		if (!strcmp(model, "max")) {
			opts->cpu = SPIRQ_CPU_OPT_MAX;
			return 0;
		}
		for (i = 0; i < sizeof(cpu_models) / sizeof(cpu_models[0]);
		     i++) {
			if (!strcasecmp(model, cpu_models[i].name)) {
				opts->cpu = cpu_models[i].cpu;
				return 0;
			}
		}
		if (cpu_model_is_qemus(model))
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"CPU model '%s' is not supported by spirq (POWER7 to POWER10)",
				model);
	}
	return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"unable to find CPU model '" SPIRQ__CLIP_FMT "'",
				SPIRQ__CLIP(text));
}

static int memory_limits(spirq_options *opts, uint64_t size, bool has_max,
			 uint64_t maxmem, bool has_slots, uint64_t slots,
			 spirq_error *err);

static int suffix_shift(char c)
{
	switch (c) {
	case 'B': case 'b': return 0;
	case 'K': case 'k': return 10;
	case 'M': case 'm': return 20;
	case 'G': case 'g': return 30;
	case 'T': case 't': return 40;
	case 'P': case 'p': return 50;
	case 'E': case 'e': return 60;
	}
	return -1;
}

/*
 * QEMU's size syntax (qemu_strtosz): a decimal number, possibly with a
 * fraction, or 0x-hexadecimal, then an optional B, K, M, G, T, P or E
 * suffix (powers of 1024, any case).  A fraction needs a suffix.
 *
 * returns: 0, -SPIRQ_ERR_INVAL (not a size) or SIZE_TOO_BIG (>= 2^64)
 */
int spirq__parse_size(const char *text, uint64_t *out)
{
	const char *p = text;
	uint64_t whole = 0, frac_num = 0, frac_den = 1, result;
	bool hex = text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
	int shift = 0;

	if (hex) {
		p += 2;
		if (!isxdigit((unsigned char)*p))
			return SIZE_INVALID;
		for (; isxdigit((unsigned char)*p); p++) {
			if (whole >> 60)
				return SIZE_TOO_BIG;
			whole = whole * 16 + (uint64_t)(isdigit((unsigned char)*p) ?
				*p - '0' : (tolower((unsigned char)*p) - 'a' + 10));
		}
	} else {
		if (!isdigit((unsigned char)*p))
			return SIZE_INVALID;
		for (; isdigit((unsigned char)*p); p++) {
			if (whole > (UINT64_MAX - 9) / 10)
				return SIZE_TOO_BIG;
			whole = whole * 10 + (uint64_t)(*p - '0');
		}
		if (*p == '.') {
			/* up to 18 fractional digits are exact enough */
			for (p++; isdigit((unsigned char)*p); p++) {
				if (frac_den < 1000000000000000000ull) {
					frac_num = frac_num * 10 +
						   (uint64_t)(*p - '0');
					frac_den *= 10;
				}
			}
			if (*p == '\0' || suffix_shift(*p) <= 0)
				return SIZE_INVALID;
		}
	}
	if (*p) {
		shift = suffix_shift(*p);
		if (shift < 0 || p[1])
			return SIZE_INVALID;
	}
	if (shift && whole > (UINT64_MAX >> shift))
		return SIZE_TOO_BIG;
	result = whole << shift;
	if (frac_num) {
		/* round half up, as QEMU does */
		unsigned __int128 f = ((unsigned __int128)frac_num << shift) +
				      frac_den / 2;

		f /= frac_den;
		if (result + (uint64_t)f < result)
			return SIZE_TOO_BIG;
		result += (uint64_t)f;
	}
	*out = result;
	return 0;
}

/* A QemuOpts size value ("-m size=, maxmem="), with QEMU's messages. */
static int memory_size_param(const char *name, const char *value,
			     uint64_t *out, spirq_error *err)
{
	int ret = spirq__parse_size(value, out);

	if (ret == SIZE_TOO_BIG)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
			"Value '" SPIRQ__CLIP_FMT "' is out of range for parameter '%s'",
			SPIRQ__CLIP(value), name);
	if (ret)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
			"Parameter '%s' expects a non-negative number below 2^64",
			name);
	return 0;
}

/*
 * The RAM size as QEMU 7.2's vl.c hands it to the machine: a size written
 * without a unit letter (it ends with a digit) is in MiB, "-m 0" is the
 * default, and the machine rounds up to 8 KiB.
 */
static int memory_size(const char *value, uint64_t bytes, uint64_t *out,
		       spirq_error *err)
{
	size_t len = strlen(value);

	if (bytes == 0) {
		*out = 0;	/* the default */
		return 0;
	}
	if (isdigit((unsigned char)value[len - 1])) {
		if (bytes > UINT64_MAX >> 20)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Parameter 'memory.size' expects size");
		bytes <<= 20;
	}
	if (bytes > UINT64_MAX - 8191)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"ram size too large");
	*out = (bytes + 8191) & ~(uint64_t)8191;
	return 0;
}

int spirq_options_parse_memory(spirq_options *opts, const char *text,
			       spirq_error *err)
{
	char buf[256];
	struct kv_iter it = { .rest = buf, .implied = "size" };
	uint64_t size = 0, maxmem = 0, slots = 0, bytes;
	bool has_size = false, has_max = false, has_slots = false;
	int ret;

	ret = copy_text(buf, sizeof(buf), text, err);
	if (ret)
		return ret;
	while (kv_next(&it)) {
		if (!it.key[0] && !it.value)
			continue;
		if (!it.value)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Invalid parameter '" SPIRQ__CLIP_FMT "'",
				SPIRQ__CLIP(it.key));
		if (!strcmp(it.key, "size")) {
			ret = memory_size_param("size", it.value, &bytes, err);
			if (!ret)
				ret = memory_size(it.value, bytes, &size, err);
			has_size = true;
		} else if (!strcmp(it.key, "maxmem")) {
			ret = memory_size_param("maxmem", it.value, &maxmem,
						err);
			has_max = true;
		} else if (!strcmp(it.key, "slots")) {
			if (!parse_u64(it.value, &slots))
				ret = spirq__error_set(err, SPIRQ_ERR_INVAL,
					"Parameter 'slots' expects a number");
			has_slots = true;
		} else {
			ret = spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Invalid parameter '" SPIRQ__CLIP_FMT "'",
				SPIRQ__CLIP(it.key));
		}
		if (ret)
			return ret;
	}
	return memory_limits(opts, has_size ? size : opts->ram_size,
				    has_max, maxmem, has_slots, slots, err);
}

/*
 * hw/core/machine.c's checks of the memory configuration, done when QEMU
 * sets it on the machine (before the accelerator and the board).
 */
static int memory_limits(spirq_options *opts, uint64_t size, bool has_max,
			 uint64_t maxmem, bool has_slots, uint64_t slots,
			 spirq_error *err)
{
	uint64_t eff = size ? size : SPIRQ_RAM_SIZE_DEFAULT;

	if (has_max) {
		if (maxmem < eff)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"invalid value of maxmem: maximum memory size (0x%" PRIx64 ") must be at least the initial memory size (0x%" PRIx64 ")",
				maxmem, eff);
		if (has_slots && slots && maxmem == eff)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"invalid value of maxmem: memory slots were specified but maximum memory size (0x%" PRIx64 ") is equal to the initial memory size (0x%" PRIx64 ")",
				maxmem, eff);
	} else if (has_slots) {
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"slots specified but no max-size");
	}
	if (slots > INT32_MAX)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
			"Value '%" PRIu64 "' is too large for parameter 'slots'",
			slots);
	opts->ram_size = size;
	opts->max_ram_size = has_max ? maxmem : 0;
	opts->ram_slots = has_slots ? (int)slots : SPIRQ_UNSET;
	return 0;
}

static int set_host_uint(const char *key, const char *value, unsigned *out,
			 spirq_error *err)
{
	int ret = parse_u32_param(key, value, out, err);

	if (!ret && *out == 0)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
			"Parameter '%s' expects a number above 0", key);
	return ret;
}

static int accel_property(spirq_options *opts, bool kvm, const char *key,
			  const char *value, spirq_error *err)
{
	int v, ret;

	if (kvm && (!strcmp(key, "kernel-irqchip") ||
		    !strcmp(key, "kernel_irqchip")))
		return parse_kernel_irqchip(opts, value);
	if ((kvm && (!strcmp(key, "kvm-shadow-mem") ||
		     !strcmp(key, "dirty-ring-size"))) ||
	    (!kvm && (!strcmp(key, "thread") || !strcmp(key, "tb-size")))) {
		if (!value)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Expected '=' after parameter '%s'", key);
		note_ignored(opts, key, value);
		return 0;
	}
	if (!kvm && !strcmp(key, "split-wx")) {
		ret = parse_bool_param(key, value, &v, err);
		if (!ret)
			note_ignored(opts, key, value);
		return ret;
	}
	/* spirq extensions describing the KVM host, not QEMU 7.2 syntax */
	if (kvm && !strcmp(key, "max-vcpus"))
		return set_host_uint(key, value, &opts->kvm_max_vcpus, err);
	if (kvm && !strcmp(key, "smt"))
		return set_host_uint(key, value, &opts->host.smt, err);
	if (kvm && !strcmp(key, "smt-possible"))
		return set_host_uint(key, value, &opts->host.smt_possible,
				     err);
	if (!kvm || (strcmp(key, "xics") && strcmp(key, "xive") &&
		     strcmp(key, "xics-destroy")))
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
			"Property '%s-accel." SPIRQ__CLIP_FMT "' not found",
			kvm ? "kvm" : "tcg", SPIRQ__CLIP(key));
	ret = parse_bool_param(key, value, &v, err);
	if (ret)
		return ret;
	if (!strcmp(key, "xics"))
		opts->host.xics = v;
	else if (!strcmp(key, "xive"))
		opts->host.xive = v;
	else
		opts->host.xics_destroy = v;
	return 0;
}

int spirq_options_parse_accel(spirq_options *opts, const char *text,
			      spirq_error *err)
{
	char buf[256];
	struct kv_iter it = { .rest = buf, .implied = "accel" };
	bool kvm;
	int ret;

	ret = copy_text(buf, sizeof(buf), text, err);
	if (ret)
		return ret;
	if (!kv_next(&it) || strcmp(it.key, "accel") || !it.value)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
			"invalid accelerator " SPIRQ__CLIP_FMT, SPIRQ__CLIP(text));
	if (strcmp(it.value, "tcg") && strcmp(it.value, "kvm"))
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
			"invalid accelerator " SPIRQ__CLIP_FMT,
			SPIRQ__CLIP(it.value));
	kvm = !strcmp(it.value, "kvm");
	opts->accel = kvm ? SPIRQ_ACCEL_KVM : SPIRQ_ACCEL_TCG;
	while (kv_next(&it)) {
		if (!it.key[0] && !it.value)
			continue;
		ret = accel_property(opts, kvm, it.key, it.value, err);
		if (ret)
			return ret;
	}
	return 0;
}

/* Consume one "-opt value" pair of spirq_config_from_args(). */
static int apply_arg(spirq_options *opts, const char *opt, const char *value,
		     spirq_error *err)
{
	if (!strcmp(opt, "-M") || !strcmp(opt, "-machine") ||
	    !strcmp(opt, "--machine"))
		return spirq_options_parse_machine(opts, value, err);
	if (!strcmp(opt, "-smp") || !strcmp(opt, "--smp"))
		return spirq_options_parse_smp(opts, value, err);
	if (!strcmp(opt, "-cpu") || !strcmp(opt, "--cpu"))
		return spirq_options_parse_cpu(opts, value, err);
	if (!strcmp(opt, "-m") || !strcmp(opt, "--memory"))
		return spirq_options_parse_memory(opts, value, err);
	if (!strcmp(opt, "-accel") || !strcmp(opt, "--accel"))
		return spirq_options_parse_accel(opts, value, err);
	return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"unknown option '" SPIRQ__CLIP_FMT "'",
				SPIRQ__CLIP(opt));
}

int spirq_config_from_args(int argc, const char *const argv[],
			   spirq_config *cfg, spirq_error *err)
{
	spirq_options opts;
	int i, ret;

	spirq_options_init(&opts);
	for (i = 0; i < argc; i += 2) {
		if (i + 1 >= argc)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"option '" SPIRQ__CLIP_FMT "' requires an argument",
				SPIRQ__CLIP(argv[i]));
		ret = apply_arg(&opts, argv[i], argv[i + 1], err);
		if (ret)
			return ret;
	}
	return spirq_config_resolve(&opts, cfg, err);
}
