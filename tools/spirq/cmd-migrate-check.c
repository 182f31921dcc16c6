// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli.h"

int cmd_migrate_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "error: unsupported: migrate-check\n");
	return CLI_UNSUPPORTED;
}
