// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parsing of QEMU-style options into struct spirq_options.
 *
 * Only syntax and value ranges are checked here, with QEMU's texts; how
 * the options combine is checked by spirq_config_resolve().
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
	opts->max_cpu_compat = SPIRQ_UNSET;
	opts->kernel_irqchip = SPIRQ_UNSET;
	opts->cpu = SPIRQ_UNSET;
	opts->accel = SPIRQ_UNSET;
	opts->host.xics = opts->host.xive = opts->host.xics_destroy = true;
}

/*
 * Iterate over "key=value" items of a comma-separated list.  @rest points
 * into @buf, which the caller owns; items are split in place.
 */
struct kv_iter {
	char *rest;
	char *key;
	char *value;	/* NULL for an item without '=' */
};

static bool kv_next(struct kv_iter *it)
{
	char *item, *comma, *eq;

	if (!it->rest)
		return false;
	item = it->rest;
	comma = strchr(item, ',');
	if (comma) {
		*comma = '\0';
		it->rest = comma + 1;
	} else {
		it->rest = NULL;
	}
	eq = strchr(item, '=');
	if (eq)
		*eq = '\0';
	it->key = item;
	it->value = eq ? eq + 1 : NULL;
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

	for (i = 0; value && i < sizeof(yes) / sizeof(yes[0]); i++) {
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
				"Invalid compatibility mode \"%s\"",
				value ? value : "");
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

static int machine_property(spirq_options *opts,
			    const struct machine_version *mv, const char *key,
			    const char *value, spirq_error *err)
{
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
	if (!strcmp(key, "cap-xics"))
		return parse_bool_param(key, value, &opts->cap_xics, err);
	if (!strcmp(key, "cap-xive"))
		return parse_bool_param(key, value, &opts->cap_xive, err);
	return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Property '%s-machine.%s' not found", mv->name,
				key);
}

int spirq_options_parse_machine(spirq_options *opts, const char *text,
				spirq_error *err)
{
	const struct machine_version *mv;
	char buf[256];
	struct kv_iter it;
	int ret;

	spirq_error_clear(err);
	ret = copy_text(buf, sizeof(buf), text, err);
	if (ret)
		return ret;
	it.rest = buf;
	if (!kv_next(&it) || it.value)	/* the type comes first, no '=' */
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"unsupported machine type");
	mv = spirq__machine_version_find(it.key);
	if (!mv)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"unsupported machine type");
	ret = copy_text(opts->machine, sizeof(opts->machine), it.key, err);
	if (ret)
		return ret;

	while (kv_next(&it)) {
		if (!it.key[0] && !it.value)
			continue;	/* "pseries," */
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
	struct kv_iter it;
	bool first = true;
	int ret = 0;

	spirq_error_clear(err);
	ret = copy_text(buf, sizeof(buf), text, err);
	if (ret)
		return ret;
	it.rest = buf;
	while (kv_next(&it)) {
		const char *key = it.key, *value = it.value;
		unsigned dummy = 0;

		if (first && !value) {	/* the bare count: "-smp 4" */
			key = "cpus";
			value = it.key;
		}
		first = false;
		if (!value)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Expected '=' after parameter '%s'", key);
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
					       "Invalid parameter '%s'", key);
		if (ret)
			return ret;
	}
	return 0;
}

int spirq_options_parse_cpu(spirq_options *opts, const char *text,
			    spirq_error *err)
{
	/* CPU families a pseries machine runs, longest names first */
	static const struct {
		const char *name;
		spirq_cpu_model cpu;
	} models[] = {
		{ "power8nvl", SPIRQ_CPU_POWER8 },
		{ "power10", SPIRQ_CPU_POWER10 },
		{ "power7+", SPIRQ_CPU_POWER7 },
		{ "power8e", SPIRQ_CPU_POWER8 },
		{ "power7", SPIRQ_CPU_POWER7 },
		{ "power8", SPIRQ_CPU_POWER8 },
		{ "power9", SPIRQ_CPU_POWER9 },
	};
	size_t i;

	spirq_error_clear(err);
	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		size_t len = strlen(models[i].name);

		/* "POWER9", "power9_v2.0", ... */
		if (!strncasecmp(text, models[i].name, len) &&
		    (text[len] == '\0' || text[len] == '_')) {
			opts->cpu = models[i].cpu;
			return 0;
		}
	}
	return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"unable to find CPU model '%s'", text);
}

int spirq_options_parse_memory(spirq_options *opts, const char *text,
			       spirq_error *err)
{
	uint64_t value, unit = 1;
	char digits[32];
	size_t len = strlen(text);

	spirq_error_clear(err);
	if (len > 0 && len < sizeof(digits)) {
		memcpy(digits, text, len + 1);
		switch (digits[len - 1]) {
		case 'K': case 'k': unit = 1ull << 10; break;
		case 'M': case 'm': unit = 1ull << 20; break;
		case 'G': case 'g': unit = 1ull << 30; break;
		default: break;
		}
		if (unit != 1)
			digits[len - 1] = '\0';
		if (parse_u64(digits, &value) && value &&
		    value <= UINT64_MAX / unit) {
			opts->ram_size = value * unit;
			return 0;
		}
	}
	return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"Invalid RAM size '%s'", text);
}

static int accel_property(spirq_options *opts, const char *key,
			  const char *value, spirq_error *err)
{
	int v, ret;

	if (strcmp(key, "xics") && strcmp(key, "xive") &&
	    strcmp(key, "xics-destroy"))
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
			"Property 'kvm-accel.%s' not found", key);
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
	char buf[128];
	struct kv_iter it;
	int ret;

	spirq_error_clear(err);
	ret = copy_text(buf, sizeof(buf), text, err);
	if (ret)
		return ret;
	it.rest = buf;
	if (!kv_next(&it) || it.value)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"invalid accelerator %s", text);
	if (!strcmp(it.key, "tcg")) {
		opts->accel = SPIRQ_ACCEL_TCG;
		if (it.rest)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"the tcg accelerator takes no host properties");
		return 0;
	}
	if (strcmp(it.key, "kvm"))
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"invalid accelerator %s", it.key);
	opts->accel = SPIRQ_ACCEL_KVM;
	while (kv_next(&it)) {
		ret = accel_property(opts, it.key, it.value, err);
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
	return spirq__error_set(err, SPIRQ_ERR_INVAL, "unknown option '%s'",
				opt);
}

int spirq_config_from_args(int argc, char *const argv[], spirq_config *cfg,
			   spirq_error *err)
{
	spirq_options opts;
	int i, ret;

	spirq_error_clear(err);
	spirq_options_init(&opts);
	for (i = 0; i < argc; i += 2) {
		if (i + 1 >= argc)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
				"option '%s' requires an argument", argv[i]);
		ret = apply_arg(&opts, argv[i], argv[i + 1], err);
		if (ret)
			return ret;
	}
	return spirq_config_resolve(&opts, cfg, err);
}
