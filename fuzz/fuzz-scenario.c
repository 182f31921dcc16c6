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
 *
 * The runner's machines come from a cache (struct cli_machines): one per
 * configuration, its snapshot taken new (fuzz-snapshot.c), rolled back
 * when the runner gives it back; the log lines its creation sent are sent
 * again to each runner that gets it.  SPIRQ_FUZZ_VERIFY=1: each input
 * also runs on new machines and must print the same and end the same
 * way; SPIRQ_FUZZ_FRESH=1: new machines only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fuzz-common.h"

/* Log lines a creation may send and still be cached. */
#define MAX_CREATION_LOGS 4

/* What a cached machine's creation logged: sent again at each reuse. */
struct creation_logs {
	unsigned n;
	spirq_log_level level[MAX_CREATION_LOGS];
	char line[MAX_CREATION_LOGS][256];
};

/* The machines (the least recently used configuration goes), and the
 * logs of each entry's creation. */
struct machine_cache {
	struct fz_machine_cache machines;
	struct creation_logs logs[FZ_CACHE_SIZE];
};

/* A creation in progress: the runner's callbacks, what was logged. */
struct creation {
	const spirq_host_ops *ops;
	struct creation_logs *logs;
	bool uncacheable;	/* more logs, or another callback */
};

FZ_UNTRACED
static void creation_log(void *opaque, spirq_log_level level,
			 const char *msg)
{
	struct creation *c = opaque;
	struct creation_logs *l = c->logs;

	if (l->n < MAX_CREATION_LOGS && strlen(msg) < sizeof(l->line[0])) {
		l->level[l->n] = level;
		strcpy(l->line[l->n++], msg);
	} else {
		c->uncacheable = true;
	}
	if (c->ops->log)
		c->ops->log(c->ops->opaque, level, msg);
}

/* The others are not expected during a creation: forwarded, not cached. */
FZ_UNTRACED
static void creation_set_cpu_irq(void *opaque, unsigned cpu, int level)
{
	struct creation *c = opaque;

	c->uncacheable = true;
	c->ops->set_cpu_irq(c->ops->opaque, cpu, level);
}

FZ_UNTRACED
static int creation_read_guest(void *opaque, uint64_t gpa, void *buf,
			       size_t len)
{
	struct creation *c = opaque;

	c->uncacheable = true;
	return c->ops->read_guest(c->ops->opaque, gpa, buf, len);
}

FZ_UNTRACED
static int creation_write_guest(void *opaque, uint64_t gpa,
				const void *buf, size_t len)
{
	struct creation *c = opaque;

	c->uncacheable = true;
	return c->ops->write_guest(c->ops->opaque, gpa, buf, len);
}

FZ_UNTRACED
static uint64_t creation_timebase(void *opaque, unsigned cpu)
{
	struct creation *c = opaque;

	c->uncacheable = true;
	return c->ops->timebase(c->ops->opaque, cpu);
}

/* A new machine of @cfg, kept in the cache unless its creation did more
 * than log a few lines. */
FZ_UNTRACED
static int cache_fill(struct machine_cache *c, const spirq_config *cfg,
		      const spirq_host_ops *ops, spirq_machine **out,
		      spirq_error *err)
{
	struct fz_cached *e = fz_cache_slot(&c->machines);
	struct creation cr = { .ops = ops };
	spirq_host_ops spy = *ops;
	int ret;

	/* the runner gives every callback */
	FZ_ASSERT(ops->log && ops->set_cpu_irq && ops->read_guest &&
		  ops->write_guest && ops->timebase && !ops->map_guest &&
		  !ops->kvm_vm_fd, "runner host callbacks");
	FZ_ASSERT(e, "machine cache: every entry busy");
	cr.logs = &c->logs[e - c->machines.e];
	cr.logs->n = 0;
	spy.opaque = &cr;
	spy.log = creation_log;
	spy.set_cpu_irq = creation_set_cpu_irq;
	spy.read_guest = creation_read_guest;
	spy.write_guest = creation_write_guest;
	spy.timebase = creation_timebase;
	ret = spirq_machine_create(cfg, &spy, out, err);
	if (ret)
		return ret;
	fz_machine_set_ops(*out, ops);
	if (!cr.uncacheable)
		fz_cache_keep(&c->machines, e, cfg, *out);
	return 0;
}

FZ_UNTRACED
static int cache_create(void *opaque, const spirq_config *cfg,
			const spirq_host_ops *ops, spirq_machine **out,
			spirq_error *err)
{
	struct machine_cache *c = opaque;
	struct fz_cached *e = fz_cache_get(&c->machines, cfg, ops);
	const struct creation_logs *l;
	unsigned k;

	if (!e)
		return cache_fill(c, cfg, ops, out, err);
	/* rolled back when it was given back */
	spirq_error_clear(err);
	l = &c->logs[e - c->machines.e];
	for (k = 0; k < l->n; k++)
		ops->log(ops->opaque, l->level[k], l->line[k]);
	*out = e->m;
	return 0;
}

FZ_UNTRACED
static void cache_destroy(void *opaque, spirq_machine *m)
{
	struct machine_cache *c = opaque;

	fz_cache_put(&c->machines, m);
}

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

/* The runner on @data; returns its exit status. */
FZ_UNTRACED
static int run(const uint8_t *data, size_t size,
	       const struct cli_machines *machines)
{
	struct cli_run_options o = { .verbose = true, .files_in_memory = true,
				     .machines = machines };
	char *copy = malloc(size);
	FILE *in;
	int ret;

	FZ_ASSERT(copy, "out of memory");
	memcpy(copy, data, size);
	in = fmemopen(copy, size, "r");
	FZ_ASSERT(in, "fmemopen");
	ret = cli_run_stream(in, &o);
	fclose(in);
	free(copy);
	FZ_ASSERT(ret >= CLI_OK && ret <= CLI_FAILURE,
		  "spirq run: exit status %d", ret);
	return ret;
}

/*
 * SPIRQ_FUZZ_VERIFY: standard output is a file (verify_start); what a run
 * printed, read back (malloc'ed, NUL-terminated).
 */
FZ_UNTRACED
static char *printed(size_t *len)
{
	long end;
	char *text;

	FZ_ASSERT(fflush(stdout) == 0 && (end = ftell(stdout)) >= 0,
		  "standard output");
	text = malloc((size_t)end + 1);
	FZ_ASSERT(text, "out of memory");
	FZ_ASSERT(pread(fileno(stdout), text, (size_t)end, 0) == end,
		  "standard output read back");
	text[end] = '\0';
	*len = (size_t)end;
	rewind(stdout);
	FZ_ASSERT(ftruncate(fileno(stdout), 0) == 0, "standard output");
	return text;
}

FZ_UNTRACED
static void verify_start(void)
{
	FILE *f = tmpfile();

	FZ_ASSERT(f && dup2(fileno(f), STDOUT_FILENO) == STDOUT_FILENO,
		  "temporary file for standard output");
	fclose(f);
	rewind(stdout);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct machine_cache cache;
	static const struct cli_machines cached = {
		cache_create, cache_destroy, &cache,
	};
	static int verify = -1;
	char *out, *again;
	size_t len, again_len;
	int ret;

	if (!size)
		return 0;
	if (verify < 0) {
		verify = fz_env_set("SPIRQ_FUZZ_VERIFY");
		fz_fresh = fz_env_set("SPIRQ_FUZZ_FRESH");
		if (verify)
			verify_start();
	}
	ret = run(data, size, fz_fresh ? NULL : &cached);
	if (!verify)
		return 0;
	out = printed(&len);
	FZ_ASSERT(run(data, size, NULL) == ret,
		  "determinism: a scenario on a cached machine ends differently than on a new one");
	again = printed(&again_len);
	FZ_ASSERT(len == again_len && !memcmp(out, again, len),
		  "determinism: a scenario on a cached machine prints differently than on a new one");
	free(out);
	free(again);
	return 0;
}
