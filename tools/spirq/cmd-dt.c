// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli.h"

int cmd_dt(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "error: unsupported: dt\n");
	return CLI_UNSUPPORTED;
}
