// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirq run: execute a scenario (spec: docs/scenario.md) against one
 * machine built with the public API, playing both the VMM (guest RAM,
 * device lines, CPU interrupt lines) and the guest (hcalls, RTAS, MMIO).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cli.h"
#include "scenario.h"

/* Longest line, newline excluded, plus its NUL (docs/scenario.md). */
#define RUN_LINE_MAX 4096

struct runner {
	unsigned lineno;
	bool verbose;
	bool files_in_memory;		/* save/restore: one buffer, no files */
	uint8_t *saved;			/* that buffer */
	size_t saved_len;

	spirq_options opts;
	bool seen[SCN_NR_KINDS];	/* configuration commands given */
	bool started;
	spirq_machine *m;
	const struct cli_machines *machines;	/* or NULL */

	uint8_t *ram;			/* guest RAM, mapped lazily */
	uint64_t ram_size;
	uint64_t timebase;

	char last[1024];		/* previous output line */
	bool have_last;

	char *input;			/* getline()'s buffer */
	size_t input_size;
};

/* ---- output ------------------------------------------------------------------ */

static void out(struct runner *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * One output line; trailing blanks dropped, remembered for "expect".  Text
 * echoed from the scenario (file names, option values in messages) is
 * escaped: the file may be binary.
 */
static void out(struct runner *r, const char *fmt, ...)
{
	char raw[sizeof(r->last)];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	n = cli_escape(r->last, sizeof(r->last), raw);
	while (n && (r->last[n - 1] == ' ' || r->last[n - 1] == '\t'))
		r->last[--n] = '\0';
	r->have_last = true;
	puts(r->last);
}

/* Informational lines start with "# " and are not compared. */
static void note(struct runner *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct runner *r, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!r->verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fputs("# ", stdout);
	cli_put_escaped(stdout, line);
	putchar('\n');
}

static int syntax_error(struct runner *r, const char *why)
{
	fflush(stdout);
	fprintf(stderr, "error: line %u: ", r->lineno);
	cli_put_escaped(stderr, why);
	putc('\n', stderr);
	return CLI_USAGE;
}

/* ---- host callbacks ------------------------------------------------------ */

static bool ram_range(const struct runner *r, uint64_t gpa, size_t len)
{
	return r->ram && gpa < r->ram_size && len <= r->ram_size - gpa;
}

static int host_read(void *opaque, uint64_t gpa, void *buf, size_t len)
{
	struct runner *r = opaque;

	if (!ram_range(r, gpa, len))
		return -1;
	memcpy(buf, r->ram + gpa, len);
	return 0;
}

static int host_write(void *opaque, uint64_t gpa, const void *buf, size_t len)
{
	struct runner *r = opaque;

	if (!ram_range(r, gpa, len))
		return -1;
	memcpy(r->ram + gpa, buf, len);
	return 0;
}

static void host_set_cpu_irq(void *opaque, unsigned cpu, int level)
{
	note(opaque, "cpu %u interrupt line %s", cpu, level ? "up" : "down");
}

/* A made-up timebase: the comparisons ignore H_XIRR_X's R5. */
static uint64_t host_timebase(void *opaque, unsigned cpu)
{
	struct runner *r = opaque;

	(void)cpu;
	return r->timebase += 0x1000;
}

static void host_log(void *opaque, spirq_log_level level, const char *msg)
{
	static const char *const names[] = { "guest error", "warning", "info" };

	note(opaque, "%s: %s", names[level], msg);
}

/* ---- configuration ----------------------------------------------------------- */

static int configure(struct runner *r, const struct scn_cmd *cmd)
{
	char why[96];

	if (r->started) {
		snprintf(why, sizeof(why), "%s after the machine started",
			 scn_kind_name(cmd->kind));
		return syntax_error(r, why);
	}
	if (r->seen[cmd->kind]) {
		snprintf(why, sizeof(why), "%s given twice",
			 scn_kind_name(cmd->kind));
		return syntax_error(r, why);
	}
	r->seen[cmd->kind] = true;
	return CLI_OK;
}

/* Parse the recorded option texts the way QEMU's command line would. */
static int parse_options(struct runner *r, const char **texts,
			 spirq_error *err)
{
	static const enum scn_kind kinds[] = {
		SCN_MACHINE, SCN_SMP, SCN_CPU, SCN_MEMORY, SCN_ACCEL,
	};
	static int (*const parse[])(spirq_options *, const char *,
				    spirq_error *) = {
		spirq_options_parse_machine, spirq_options_parse_smp,
		spirq_options_parse_cpu, spirq_options_parse_memory,
		spirq_options_parse_accel,
	};
	const char *mem = texts[SCN_MEMORY];
	char bytes[64];
	size_t i;

	/*
	 * A scenario's size without a unit is in bytes (docs/scenario.md),
	 * where QEMU's -m reads MiB: say so with QEMU's "B" suffix.
	 */
	if (mem && *mem && strlen(mem) < sizeof(bytes) - 1 &&
	    isdigit((unsigned char)mem[strlen(mem) - 1])) {
		snprintf(bytes, sizeof(bytes), "%sB", mem);
		texts[SCN_MEMORY] = bytes;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (texts[kinds[i]] &&
		    parse[i](&r->opts, texts[kinds[i]], err) < 0)
			return -1;
	texts[SCN_MEMORY] = mem;
	return 0;
}

static int map_ram(struct runner *r, uint64_t size)
{
	void *p;

	r->ram_size = size;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "spirq: cannot map %" PRIu64 " bytes of guest RAM: %s\n",
			size, strerror(errno));
		return -1;
	}
	r->ram = p;
	return 0;
}

static int start(struct runner *r, const char **texts)
{
	spirq_host_ops ops = {
		.version = SPIRQ_HOST_OPS_VERSION,
		.opaque = r,
		.read_guest = host_read,
		.write_guest = host_write,
		.set_cpu_irq = host_set_cpu_irq,
		.timebase = host_timebase,
		.log = host_log,
	};
	spirq_config cfg;
	spirq_error err;

	r->started = true;
	spirq_options_init(&r->opts);
	if (parse_options(r, texts, &err) < 0 ||
	    spirq_config_resolve(&r->opts, &cfg, &err) < 0) {
		out(r, "error: %s", err.message);
		return CLI_REFUSED;
	}
	if (map_ram(r, cfg.ram_size) < 0)
		return CLI_FAILURE;
	if ((r->machines ?
	     r->machines->create(r->machines->opaque, &cfg, &ops, &r->m, &err) :
	     spirq_machine_create(&cfg, &ops, &r->m, &err)) < 0) {
		out(r, "error: %s", err.message);
		return CLI_REFUSED;
	}
	return CLI_OK;
}

/* ---- machine and device commands ---------------------------------------- */

static int run_claim(struct runner *r, const struct scn_cmd *cmd)
{
	spirq_error err;

	if (cmd->irq > UINT32_MAX) {
		out(r, "error: IRQ %" PRIu64 " is out of range", cmd->irq);
		return CLI_OK;
	}
	if (spirq_irq_claim(r->m, (uint32_t)cmd->irq, cmd->lsi, &err) < 0)
		out(r, "error: %s", err.message);
	return CLI_OK;
}

static int run_free(struct runner *r, const struct scn_cmd *cmd)
{
	if (cmd->irq > UINT32_MAX ||
	    spirq_irq_free(r->m, (uint32_t)cmd->irq) < 0)
		out(r, "error: IRQ %" PRIu64 " is out of range", cmd->irq);
	return CLI_OK;
}

static int run_irq(struct runner *r, const struct scn_cmd *cmd)
{
	int ret = -SPIRQ_ERR_INVAL;

	if (cmd->irq <= UINT32_MAX)
		ret = spirq_set_irq(r->m, (uint32_t)cmd->irq, cmd->level != 0);
	if (ret < 0)
		note(r, "irq 0x%" PRIx64 " %s: ignored", cmd->irq,
		     ret == -SPIRQ_ERR_NOTFOUND ? "is not claimed" :
						  "is out of range");
	return CLI_OK;
}

static int run_cas(struct runner *r, const struct scn_cmd *cmd)
{
	spirq_ic_mode mode;
	spirq_error err;

	if (spirq_cas(r->m, (uint8_t)cmd->byte23, &mode, &err) < 0)
		out(r, "cas -> error: %s", err.message);
	else
		out(r, "cas -> %s", spirq_ic_mode_name(mode));
	return CLI_OK;
}

static int run_hotplug(struct runner *r, const struct scn_cmd *cmd)
{
	spirq_error err;
	int ret;

	if (cmd->cpu > UINT32_MAX) {
		out(r, "error: core id %" PRIu64 " out of range", cmd->cpu);
		return CLI_OK;
	}
	if (cmd->kind == SCN_HOTPLUG)
		ret = spirq_cpu_plug(r->m, (unsigned)cmd->cpu, &err);
	else
		ret = spirq_cpu_unplug(r->m, (unsigned)cmd->cpu, &err);
	if (ret < 0)
		out(r, "error: %s", err.message);
	return CLI_OK;
}

/* ---- guest commands ---------------------------------------------------------- */

static bool cpu_arg(struct runner *r, uint64_t cpu)
{
	const spirq_config *cfg = spirq_machine_config(r->m);

	if (cpu < cfg->max_cpus)
		return true;
	out(r, "error: no vCPU %" PRIu64 " (maxcpus is %u)", cpu,
	    cfg->max_cpus);
	return false;
}

static void print_hret(char *buf, size_t size, int64_t ret)
{
	const char *name = spirq_hcall_ret_name(ret);

	if (name)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%" PRId64, ret);
}

static int run_hcall(struct runner *r, const struct scn_cmd *cmd)
{
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { 0 };
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	char line[512], rc[24];
	unsigned i, nrets = 0;
	size_t len;
	int64_t ret;

	if (!cpu_arg(r, cmd->cpu))
		return CLI_OK;
	for (i = 0; i < cmd->nargs && i < SPIRQ_HCALL_MAX_ARGS; i++)
		args[i] = cmd->args[i];
	ret = spirq_hcall(r->m, (unsigned)cmd->cpu, cmd->opcode, args, rets,
			  &nrets);
	print_hret(rc, sizeof(rc), ret);
	len = (size_t)snprintf(line, sizeof(line), "hcall %" PRIu64 " %s -> %s",
			       cmd->cpu, cmd->text, rc);
	for (i = 0; i < nrets && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					" 0x%" PRIx64, rets[i]);
	out(r, "%s", line);
	return CLI_OK;
}

static int run_rtas(struct runner *r, const struct scn_cmd *cmd)
{
	uint32_t token = spirq_rtas_token(cmd->text);
	uint32_t nret = spirq_rtas_nret(token), rets[4] = { 0 };
	uint32_t args[SCN_MAX_ARGS];
	char line[256];
	size_t len;
	unsigned i;
	int ret;

	if (!cpu_arg(r, cmd->cpu))
		return CLI_OK;
	for (i = 0; i < cmd->nargs; i++)
		args[i] = (uint32_t)cmd->args[i];	/* 32-bit cells */
	ret = spirq_rtas(r->m, (unsigned)cmd->cpu, token, cmd->nargs, args,
			 nret, rets);
	if (ret == -SPIRQ_ERR_NOTFOUND)		/* no such call: no XICS */
		rets[0] = (uint32_t)SPIRQ_RTAS_OUT_PARAM_ERROR;
	else if (ret < 0)
		rets[0] = (uint32_t)SPIRQ_RTAS_OUT_HW_ERROR;
	len = (size_t)snprintf(line, sizeof(line), "rtas %" PRIu64 " %s -> %d",
			       cmd->cpu, cmd->text, (int32_t)rets[0]);
	for (i = 1; rets[0] == 0 && i < nret && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %u",
					rets[i]);
	out(r, "%s", line);
	return CLI_OK;
}

static int run_mmio(struct runner *r, const struct scn_cmd *cmd)
{
	spirq_region region = cmd->region == SCN_REGION_ESB ?
		SPIRQ_REGION_ESB : SPIRQ_REGION_TIMA;
	const char *name = cmd->region == SCN_REGION_ESB ? "esb" : "tima";
	uint64_t value = 0;
	int ret;

	if (!cpu_arg(r, cmd->cpu))
		return CLI_OK;
	if (cmd->kind == SCN_STORE) {
		ret = spirq_mmio_store(r->m, (unsigned)cmd->cpu, region,
				       cmd->offset, cmd->size, cmd->value);
		if (ret < 0)
			note(r, "store to unassigned %s address 0x%" PRIx64,
			     name, cmd->offset);
		return CLI_OK;
	}
	ret = spirq_mmio_load(r->m, (unsigned)cmd->cpu, region, cmd->offset,
			      cmd->size, &value);
	if (ret < 0) {
		/* unassigned guest physical memory reads as 0 */
		note(r, "load from unassigned %s address 0x%" PRIx64, name,
		     cmd->offset);
		value = 0;
	}
	out(r, "load %" PRIu64 " %s 0x%" PRIx64 " %u -> 0x%" PRIx64, cmd->cpu,
	    name, cmd->offset, cmd->size, value);
	return CLI_OK;
}

static void print_line(void *opaque, const char *line)
{
	out(opaque, "%s", line);
}

static int run_expect(struct runner *r, const struct scn_cmd *cmd)
{
	if (r->have_last && !strcmp(r->last, cmd->text))
		return CLI_OK;
	fflush(stdout);
	fputs("error: expect failed: wanted <", stderr);
	cli_put_escaped(stderr, cmd->text);
	fputs("> got <", stderr);
	cli_put_escaped(stderr, r->have_last ? r->last : "");
	fputs(">\n", stderr);
	return CLI_EXPECT;
}

/*
 * save and restore: a stream the library refuses is an answer (an error
 * line, the run goes on); a file that cannot be written or read is a
 * failure of the tool (exit status 5).
 */
static int io_error(struct runner *r, const char *path, int errnum)
{
	out(r, "error: %s: %s", path, strerror(errnum));
	return CLI_FAILURE;
}

static int write_file(const char *path, const void *buf, size_t size)
{
	FILE *f = fopen(path, "wb");
	int errnum;

	if (!f)
		return errno;
	errnum = fwrite(buf, 1, size, f) == size ? 0 : errno;
	if (fclose(f) && !errnum)
		errnum = errno;
	return errnum;
}

/* The whole file in *@buf (malloc'ed): 0 or an errno value. */
static int read_file(const char *path, char **buf, size_t *size)
{
	size_t cap = 1 << 16, len = 0;
	char *data = malloc(cap), *bigger;
	FILE *f = fopen(path, "rb");
	int errnum = 0;

	if (!f || !data) {
		errnum = f ? ENOMEM : errno;
		goto out;
	}
	for (;;) {
		if (len == cap) {
			bigger = realloc(data, cap * 2);
			if (!bigger) {
				errnum = ENOMEM;
				break;
			}
			data = bigger;
			cap *= 2;
		}
		/* short only at the end of the file or on an error */
		len += fread(data + len, 1, cap - len, f);
		if (ferror(f)) {
			errnum = errno ? errno : EIO;
			break;
		}
		if (feof(f))
			break;
	}
out:
	if (f)
		fclose(f);
	if (errnum) {
		free(data);
		return errnum;
	}
	*buf = data;
	*size = len;
	return 0;
}

static int run_save(struct runner *r, const struct scn_cmd *cmd)
{
	size_t size = 0;
	void *buf;
	int errnum;

	spirq_save(r->m, NULL, 0, &size);
	buf = malloc(size);
	if (!buf || spirq_save(r->m, buf, size, &size) < 0) {
		free(buf);
		return io_error(r, cmd->text, ENOMEM);
	}
	if (r->files_in_memory) {
		free(r->saved);
		r->saved = buf;
		r->saved_len = size;
		return CLI_OK;
	}
	errnum = write_file(cmd->text, buf, size);
	free(buf);
	return errnum ? io_error(r, cmd->text, errnum) : CLI_OK;
}

static int run_restore(struct runner *r, const struct scn_cmd *cmd)
{
	spirq_error err;
	size_t size;
	char *buf;
	int errnum;

	if (r->files_in_memory) {
		if (!r->saved)
			return io_error(r, cmd->text, ENOENT);
		if (spirq_restore(r->m, r->saved, r->saved_len, &err) < 0)
			out(r, "error: %s", err.message);
		return CLI_OK;
	}
	errnum = read_file(cmd->text, &buf, &size);
	if (errnum)
		return io_error(r, cmd->text, errnum);
	if (spirq_restore(r->m, buf, size, &err) < 0)
		out(r, "error: %s", err.message);
	free(buf);
	return CLI_OK;
}

static int execute(struct runner *r, const struct scn_cmd *cmd)
{
	switch (cmd->kind) {
	case SCN_CLAIM:
		return run_claim(r, cmd);
	case SCN_FREE:
		return run_free(r, cmd);
	case SCN_IRQ:
		return run_irq(r, cmd);
	case SCN_CAS:
		return run_cas(r, cmd);
	case SCN_RESET:
		spirq_reset(r->m);
		return CLI_OK;
	case SCN_HOTPLUG:
	case SCN_UNPLUG:
		return run_hotplug(r, cmd);
	case SCN_HCALL:
		return run_hcall(r, cmd);
	case SCN_RTAS:
		return run_rtas(r, cmd);
	case SCN_LOAD:
	case SCN_STORE:
		return run_mmio(r, cmd);
	case SCN_INFO_PIC:
		spirq_info_pic(r->m, print_line, r);
		return CLI_OK;
	case SCN_EXPECT:
		return run_expect(r, cmd);
	case SCN_SAVE:
		return run_save(r, cmd);
	case SCN_RESTORE:
		return run_restore(r, cmd);
	default:
		return CLI_FAILURE;
	}
}

/* ---- the run loop ---------------------------------------------------------------- */

/*
 * Read the next line (its newline dropped) into @line of RUN_LINE_MAX
 * bytes.  A line that does not fit, or that holds a NUL byte, is a syntax
 * error: cut or truncated, its tail would run as a command or vanish.
 * returns: 1 for a line, 0 at the end of the input, -1 on an error
 * (printed).
 */
static int read_line(struct runner *r, FILE *in, char *line)
{
	ssize_t got = getline(&r->input, &r->input_size, in);
	const char *nul;
	size_t len;
	char why[64];

	if (got <= 0)
		return 0;
	len = (size_t)got - (r->input[got - 1] == '\n');
	r->lineno++;
	/* what a byte-by-byte reader meets first: a NUL up to the limit
	 * column, else the line's length */
	nul = memchr(r->input, '\0',
		     len < RUN_LINE_MAX ? len : RUN_LINE_MAX);
	if (nul) {
		snprintf(why, sizeof(why), "NUL byte at column %zu",
			 (size_t)(nul - r->input) + 1);
		syntax_error(r, why);
		return -1;
	}
	if (len > RUN_LINE_MAX - 1) {
		snprintf(why, sizeof(why), "line longer than %d characters",
			 RUN_LINE_MAX - 1);
		syntax_error(r, why);
		return -1;
	}
	memcpy(line, r->input, len);
	line[len] = '\0';
	return 1;
}

static int run_stream(struct runner *r, FILE *in)
{
	const char *texts[SCN_NR_KINDS] = { 0 };
	char *stored[SCN_NR_KINDS] = { 0 };
	char line[RUN_LINE_MAX], why[160];
	struct scn_cmd cmd;
	int ret = CLI_OK;
	size_t k;

	while (ret == CLI_OK) {
		int parsed = read_line(r, in, line);

		if (parsed <= 0) {
			ret = parsed ? CLI_USAGE : CLI_OK;
			break;
		}
		parsed = scn_parse_line(line, &cmd, why, sizeof(why));
		if (parsed < 0) {
			ret = syntax_error(r, why);
			break;
		}
		if (!parsed)
			continue;
		if (scn_is_config(cmd.kind)) {
			ret = configure(r, &cmd);
			if (ret == CLI_OK && cmd.kind == SCN_START)
				ret = start(r, texts);
			else if (ret == CLI_OK) {
				stored[cmd.kind] = strdup(cmd.text);
				texts[cmd.kind] = stored[cmd.kind];
			}
			continue;
		}
		if (!r->started)
			ret = start(r, texts);
		if (ret == CLI_OK)
			ret = execute(r, &cmd);
	}
	if (ret == CLI_OK && !r->started)
		ret = start(r, texts);	/* a file of configuration only */
	for (k = 0; k < SCN_NR_KINDS; k++)
		free(stored[k]);
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: spirq run [-v] FILE|-\n"
		   "  -v  print informational lines (\"# ...\"): interrupt\n"
		   "      lines, guest errors, warnings\n");
}

int cli_run_stream(FILE *in, const struct cli_run_options *o)
{
	struct runner r = { 0 };
	int ret;

	r.verbose = o->verbose;
	r.files_in_memory = o->files_in_memory;
	r.machines = o->machines;
	ret = run_stream(&r, in);
	if (r.machines && r.m)
		r.machines->destroy(r.machines->opaque, r.m);
	else
		spirq_machine_destroy(r.m);
	if (r.ram)
		munmap(r.ram, r.ram_size);
	free(r.saved);
	free(r.input);
	fflush(stdout);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct cli_run_options o = { 0 };
	const char *file;
	FILE *in;
	int i, ret;

	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return CLI_OK;
	}
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			o.verbose = true;
		} else {
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (i != argc - 1) {
		usage(stderr);
		return CLI_USAGE;
	}
	file = argv[i];
	in = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!in)
		return cli_fail(false, "spirq", CLI_FAILURE, "%s: %s", file,
				strerror(errno));
	ret = cli_run_stream(in, &o);
	if (in != stdin)
		fclose(in);
	return ret;
}
