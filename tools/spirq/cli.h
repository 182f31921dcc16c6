/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirq command-line tool: shared declarations of the subcommands.
 */
#ifndef SPIRQ_CLI_H
#define SPIRQ_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <spirq/spirq.h>

/* Exit statuses of the tool (scenario.md fixes 0 to 3 for "run"). */
enum {
	CLI_OK = 0,
	CLI_REFUSED = 1,	/* configuration refused */
	CLI_EXPECT = 2,		/* an expect failed */
	CLI_USAGE = 3,		/* syntax error, unknown command or option */
	CLI_UNSUPPORTED = 4,	/* the machinery does not exist yet */
	CLI_FAILURE = 5,	/* I/O error or another failure of the tool */
};

/*
 * Machine options shared by describe, dt and migrate-check: QEMU's
 * -M/-machine, -smp, -cpu, -m, -accel.  cli_take_machine_option() consumes
 * argv[*i] (and its value) when it is one of them.
 *
 * returns: 1 when consumed, 0 when argv[*i] is not a machine option,
 * CLI_OPT_USAGE when its value is missing, CLI_OPT_REFUSED when the value
 * is refused (explanation in @err in both cases; nothing printed).
 */
#define CLI_OPT_USAGE (-1)
#define CLI_OPT_REFUSED (-2)
int cli_take_machine_option(spirq_options *opts, int argc, char **argv,
			    int *i, spirq_error *err);

/* ---- what the tool echoes (output.c) ------------------------------------- */

/*
 * Copy @src to @dst (@size bytes, NUL included) with every byte outside
 * printable ASCII written as \xNN, so that text read from a file or the
 * command line cannot drive the terminal; truncated at an escape
 * boundary.  returns: the length written.
 */
size_t cli_escape(char *dst, size_t size, const char *src);

/* fputs() of @s, escaped as cli_escape() does. */
void cli_put_escaped(FILE *f, const char *s);

/* @s as a JSON string literal (quotes, escapes, valid UTF-8 only). */
void cli_json_string(FILE *f, const char *s);

/* Is @flag one of argv[1 ..], before a "--" if there is one? */
bool cli_find_flag(int argc, char **argv, const char *flag);

/* Was --help or -h given (before a "--")? */
bool cli_wants_help(int argc, char **argv);

/*
 * Report a failure and return @status: "WHO: MESSAGE" (escaped) on
 * standard error, or with --json (@json) the object
 * {"error": "MESSAGE", "exit": STATUS} on one line of standard output and
 * nothing on standard error.
 */
int cli_fail(bool json, const char *who, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Where "spirq run" gets its machine and gives it back, if not from
 * spirq_machine_create() and spirq_machine_destroy(): the scenario fuzz
 * target keeps machines and rolls them back.  @create must do what
 * spirq_machine_create() does, return codes and host callbacks included.
 */
struct cli_machines {
	int (*create)(void *opaque, const spirq_config *cfg,
		      const spirq_host_ops *ops, spirq_machine **out,
		      spirq_error *err);
	void (*destroy)(void *opaque, spirq_machine *m);
	void *opaque;
};

/* Options of a scenario run. */
struct cli_run_options {
	bool verbose;		/* print "# " informational lines */
	bool files_in_memory;	/* save/restore use one in-memory slot
				 * instead of files (fuzzing) */
	const struct cli_machines *machines;	/* NULL: the library's */
};

/* Execute a scenario read from @in; returns the exit status. */
int cli_run_stream(FILE *in, const struct cli_run_options *o);

/*
 * cli_take_machine_option() for a command's argument loop: CLI_OK when
 * argv[*i] was a machine option, else the exit status (unknown option,
 * missing value, refused value), reported with cli_fail().
 */
int cli_machine_option(const char *cmd, bool json, spirq_options *opts,
		       int argc, char **argv, int *i);

int cmd_bench(int argc, char **argv);
int cmd_describe(int argc, char **argv);
int cmd_dt(int argc, char **argv);
int cmd_migrate_check(int argc, char **argv);
int cmd_run(int argc, char **argv);

#endif /* SPIRQ_CLI_H */
