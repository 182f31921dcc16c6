// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the scenario language, end to end.
 *
 * The input is a scenario text, run by the CLI's runner (cli_run_stream)
 * with save/restore in one in-memory slot (never files: the input must
 * not name files).  Its output goes to /dev/null; run with
 * -close_fd_mask=2 to silence its syntax errors as well (stderr is made
 * fully buffered: they come out in blocks, if at all).
 *
 * Check: the exit status is one of those docs/scenario.md defines (0 to
 * 3), 4 (machinery not provided) or 5 (the tool's own failure, e.g. a
 * guest RAM size that cannot be mapped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz-common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/*
	 * The runner reports syntax errors on stderr, which is unbuffered:
	 * a write(2) a character (cli_put_escaped), most inputs having one.
	 * Fully buffered, a write per 64 KiB (scripts/fuzz.sh closes the
	 * descriptor anyway: -close_fd_mask=2; fz_fail() flushes).
	 */
	static char err_buf[1 << 16];

	(void)argc;
	(void)argv;
	if (!freopen("/dev/null", "w", stdout))
		abort();
	setvbuf(stderr, err_buf, _IOFBF, sizeof(err_buf));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli_run_options o = { .verbose = true, .files_in_memory = true };
	char *copy;
	FILE *in;
	int ret;

	if (!size)
		return 0;
	copy = malloc(size);
	FZ_ASSERT(copy, "out of memory");
	memcpy(copy, data, size);
	in = fmemopen(copy, size, "r");
	FZ_ASSERT(in, "fmemopen");
	ret = cli_run_stream(in, &o);
	fclose(in);
	free(copy);
	FZ_ASSERT(ret >= CLI_OK && ret <= CLI_FAILURE,
		  "spirq run: exit status %d", ret);
	return 0;
}
