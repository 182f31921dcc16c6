// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirq migrate-check SRC-OPTIONS -- DST-OPTIONS: can a VM started with the
 * source options migrate to a machine started with the destination
 * options?  Answers without a stream, from the configurations.
 */
#include <string.h>

#include "cli.h"

/* Parse machine options argv[from .. to) into a resolved configuration. */
static int side(const char *which, int argc, char **argv, spirq_config *cfg)
{
	spirq_options opts;
	spirq_error err;
	int i, ret;

	spirq_options_init(&opts);
	for (i = 0; i < argc; i++) {
		ret = cli_machine_option("migrate-check", &opts, argc, argv,
					 &i);
		if (ret != CLI_OK)
			return ret;
	}
	if (spirq_config_resolve(&opts, cfg, &err) < 0) {
		printf("%s configuration refused: %s\n", which, err.message);
		return CLI_REFUSED;
	}
	return CLI_OK;
}

int cmd_migrate_check(int argc, char **argv)
{
	spirq_config src, dst;
	spirq_error err;
	int sep, ret;

	for (sep = 1; sep < argc && strcmp(argv[sep], "--"); sep++)
		;
	if (sep == argc || (argc > 1 && !strcmp(argv[1], "--help"))) {
		fprintf(sep == argc ? stderr : stdout,
			"usage: spirq migrate-check SRC-MACHINE-OPTIONS -- DST-MACHINE-OPTIONS\n");
		return sep == argc ? CLI_USAGE : CLI_OK;
	}
	ret = side("source", sep - 1, argv + 1, &src);
	if (ret == CLI_OK)
		ret = side("destination", argc - sep - 1, argv + sep + 1, &dst);
	if (ret != CLI_OK)
		return ret;
	if (spirq_migration_check(&src, &dst, &err) < 0) {
		printf("no: %s\n", err.message);
		return CLI_REFUSED;
	}
	printf("yes: %s (%s) can migrate to %s (%s)\n", src.machine_name,
	       spirq_ic_mode_name(src.ic_mode), dst.machine_name,
	       spirq_ic_mode_name(dst.ic_mode));
	return CLI_OK;
}
