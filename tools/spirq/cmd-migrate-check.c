// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirq migrate-check [--json] SRC-OPTIONS -- DST-OPTIONS: can a VM started
 * with the source options migrate to a machine started with the
 * destination options?  Answers without a stream, from the configurations.
 */
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: spirq migrate-check [--json] SRC-MACHINE-OPTIONS -- DST-MACHINE-OPTIONS\n"
		"  --json  the answer (or the error) as one JSON object\n");
}

/* Parse the machine options of one side into a resolved configuration. */
static int side(const char *which, bool json, int argc, char **argv,
		spirq_config *cfg)
{
	spirq_options opts;
	spirq_error err;
	int i, ret;

	spirq_options_init(&opts);
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			continue;
		ret = cli_machine_option("migrate-check", json, &opts, argc,
					 argv, &i);
		if (ret != CLI_OK)
			return ret;
	}
	if (spirq_config_resolve(&opts, cfg, &err) < 0) {
		if (json)
			return cli_fail(json, "spirq", CLI_REFUSED,
					"%s configuration refused: %s", which,
					err.message);
		printf("%s configuration refused: %s\n", which, err.message);
		return CLI_REFUSED;
	}
	return CLI_OK;
}

static void json_side(const char *key, const spirq_config *cfg)
{
	printf("\"%s\": {\"machine\": ", key);
	cli_json_string(stdout, cfg->machine_name);
	printf(", \"ic_mode\": \"%s\"}", spirq_ic_mode_name(cfg->ic_mode));
}

/* The answer: {"migrate": BOOL, ["reason": TEXT, "exit": 1,] SIDES}. */
static void print_json(const spirq_config *src, const spirq_config *dst,
		       const char *refusal)
{
	printf("{\"migrate\": %s, ", refusal ? "false" : "true");
	if (refusal) {
		fputs("\"reason\": ", stdout);
		cli_json_string(stdout, refusal);
		printf(", \"exit\": %d, ", CLI_REFUSED);
	}
	json_side("source", src);
	fputs(", ", stdout);
	json_side("destination", dst);
	fputs("}\n", stdout);
}

int cmd_migrate_check(int argc, char **argv)
{
	spirq_config src, dst;
	spirq_error err;
	bool json;
	int sep, ret;

	for (sep = 1; sep < argc && strcmp(argv[sep], "--"); sep++)
		;
	json = cli_find_flag(argc, argv, "--json") ||
	       cli_find_flag(argc - sep, argv + sep, "--json");
	if (cli_wants_help(argc, argv) ||
	    cli_wants_help(argc - sep, argv + sep)) {
		usage(stdout);
		return CLI_OK;
	}
	if (sep == argc) {
		if (json)
			return cli_fail(json, "spirq migrate-check", CLI_USAGE,
					"no '--' between the source and the destination options");
		usage(stderr);
		return CLI_USAGE;
	}
	ret = side("source", json, sep - 1, argv + 1, &src);
	if (ret == CLI_OK)
		ret = side("destination", json, argc - sep - 1, argv + sep + 1,
			   &dst);
	if (ret != CLI_OK)
		return ret;
	ret = spirq_migration_check(&src, &dst, &err);
	if (json) {
		print_json(&src, &dst, ret < 0 ? err.message : NULL);
		return ret < 0 ? CLI_REFUSED : CLI_OK;
	}
	if (ret < 0) {
		printf("no: %s\n", err.message);
		return CLI_REFUSED;
	}
	printf("yes: %s (%s) can migrate to %s (%s)\n", src.machine_name,
	       spirq_ic_mode_name(src.ic_mode), dst.machine_name,
	       spirq_ic_mode_name(dst.ic_mode));
	return CLI_OK;
}
