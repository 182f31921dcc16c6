// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QEMU-style machine options on the spirq command line.
 */
#include <string.h>

#include "cli.h"

int cli_take_machine_option(spirq_options *opts, int argc, char **argv,
			    int *i, spirq_error *err)
{
	static const struct {
		const char *names[3];
		int (*parse)(spirq_options *, const char *, spirq_error *);
	} table[] = {
		{ { "-M", "-machine", "--machine" }, spirq_options_parse_machine },
		{ { "-smp", "--smp", NULL }, spirq_options_parse_smp },
		{ { "-cpu", "--cpu", NULL }, spirq_options_parse_cpu },
		{ { "-m", "--memory", NULL }, spirq_options_parse_memory },
		{ { "-accel", "--accel", NULL }, spirq_options_parse_accel },
	};
	const char *arg = argv[*i];
	size_t t, n;

	for (t = 0; t < sizeof(table) / sizeof(table[0]); t++) {
		for (n = 0; n < 3 && table[t].names[n]; n++) {
			if (strcmp(arg, table[t].names[n]))
				continue;
			if (*i + 1 >= argc) {
				snprintf(err->message, sizeof(err->message),
					 "%s needs a value", arg);
				return CLI_OPT_USAGE;
			}
			if (table[t].parse(opts, argv[*i + 1], err) < 0)
				return CLI_OPT_REFUSED;
			*i += 1;
			return 1;
		}
	}
	return 0;
}

int cli_machine_option(const char *cmd, bool json, spirq_options *opts,
		       int argc, char **argv, int *i)
{
	spirq_error err;
	int ret = cli_take_machine_option(opts, argc, argv, i, &err);
	char who[32];

	snprintf(who, sizeof(who), "spirq %s", cmd);
	if (ret == 0)
		return cli_fail(json, who, CLI_USAGE, "unknown option '%.40s%s'",
				argv[*i], strlen(argv[*i]) > 40 ? "..." : "");
	if (ret < 0)
		return cli_fail(json, "spirq",
				ret == CLI_OPT_USAGE ? CLI_USAGE : CLI_REFUSED,
				"%s", err.message);
	return CLI_OK;
}
