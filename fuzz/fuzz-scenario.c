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

/* Configurations cached at once (the least recently used one goes). */
#define MAX_MACHINES 8
/* Log lines a creation may send and still be cached. */
#define MAX_CREATION_LOGS 4

struct cached_machine {
	spirq_config cfg;
	spirq_machine *m;		/* NULL: a free entry */
	struct fz_snapshot *snap;	/* as spirq_machine_create() made it */
	unsigned nr_logs;		/* what it logged then */
	spirq_log_level level[MAX_CREATION_LOGS];
	char log[MAX_CREATION_LOGS][256];
	unsigned long last_use;
	bool busy;
};

struct machine_cache {
	struct cached_machine e[MAX_MACHINES];
	unsigned long uses;
};

/* A creation in progress: the runner's callbacks, what was logged. */
struct creation {
	const spirq_host_ops *ops;
	struct cached_machine *e;
	bool uncacheable;	/* more logs, or another callback */
};

FZ_UNTRACED
static void creation_log(void *opaque, spirq_log_level level,
			 const char *msg)
{
	struct creation *c = opaque;
	struct cached_machine *e = c->e;

	if (e->nr_logs < MAX_CREATION_LOGS &&
	    strlen(msg) < sizeof(e->log[0])) {
		e->level[e->nr_logs] = level;
		strcpy(e->log[e->nr_logs++], msg);
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

/* A new machine into entry @e (its old one destroyed), or not cached. */
FZ_UNTRACED
static int cache_fill(struct cached_machine *e, const spirq_config *cfg,
		      const spirq_host_ops *ops, spirq_machine **out,
		      spirq_error *err)
{
	struct creation c = { .ops = ops, .e = e };
	spirq_host_ops spy = *ops;
	int ret;

	/* the runner gives every callback */
	FZ_ASSERT(ops->log && ops->set_cpu_irq && ops->read_guest &&
		  ops->write_guest && ops->timebase && !ops->map_guest &&
		  !ops->kvm_vm_fd, "runner host callbacks");
	spy.opaque = &c;
	spy.log = creation_log;
	spy.set_cpu_irq = creation_set_cpu_irq;
	spy.read_guest = creation_read_guest;
	spy.write_guest = creation_write_guest;
	spy.timebase = creation_timebase;
	if (e->m) {
		spirq_machine_destroy(e->m);
		fz_snapshot_free(e->snap);
		e->m = NULL;
	}
	e->nr_logs = 0;
	ret = spirq_machine_create(cfg, &spy, out, err);
	if (ret)
		return ret;
	fz_machine_set_ops(*out, ops);
	if (c.uncacheable)
		return 0;
	e->cfg = *cfg;
	e->m = *out;
	e->snap = fz_snapshot_take(e->m);
	e->busy = true;
	return 0;
}

FZ_UNTRACED
static int cache_create(void *opaque, const spirq_config *cfg,
			const spirq_host_ops *ops, spirq_machine **out,
			spirq_error *err)
{
	struct machine_cache *c = opaque;
	struct cached_machine *e, *lru = NULL;
	unsigned i, k;

	for (i = 0; i < MAX_MACHINES; i++) {
		e = &c->e[i];
		if (e->busy)
			continue;
		if (e->m && !memcmp(&e->cfg, cfg, sizeof(*cfg))) {
			/* rolled back when it was given back */
			spirq_error_clear(err);
			fz_machine_set_ops(e->m, ops);
			for (k = 0; k < e->nr_logs; k++)
				ops->log(ops->opaque, e->level[k], e->log[k]);
			e->busy = true;
			e->last_use = ++c->uses;
			*out = e->m;
			return 0;
		}
		if (!lru || !e->m || (lru->m && e->last_use < lru->last_use))
			lru = e;
	}
	FZ_ASSERT(lru, "machine cache: every entry busy");
	lru->last_use = ++c->uses;
	return cache_fill(lru, cfg, ops, out, err);
}

FZ_UNTRACED
static void cache_destroy(void *opaque, spirq_machine *m)
{
	struct machine_cache *c = opaque;
	unsigned i;

	for (i = 0; i < MAX_MACHINES; i++) {
		if (c->e[i].m == m) {
			fz_snapshot_rollback(m, c->e[i].snap);
			c->e[i].busy = false;
			return;
		}
	}
	spirq_machine_destroy(m);
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
		verify = getenv("SPIRQ_FUZZ_VERIFY") &&
			 strcmp(getenv("SPIRQ_FUZZ_VERIFY"), "") != 0;
		fz_fresh = getenv("SPIRQ_FUZZ_FRESH") &&
			   strcmp(getenv("SPIRQ_FUZZ_FRESH"), "") != 0;
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
