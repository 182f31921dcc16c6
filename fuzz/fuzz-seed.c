// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-seed: seed inputs for the fuzz targets, made from the project's
 * scenarios (run by scripts/fuzz.sh; nothing it writes is committed).
 *
 *   fuzz-seed encode TARGET OUTDIR FILE.scn...
 *	Encode each scenario's operations in the binary input format of
 *	TARGET (hcall, rtas, mmio, machine; see fuzz-common.h), one file
 *	per scenario (and, for long ones, prefixes of it) in OUTDIR.
 *
 *   fuzz-seed streams OUTDIR FILE.scn...
 *	Run each scenario, as it is and under each configuration of the
 *	fuzz table (16 MiB of RAM), with "save" inserted half-way and at
 *	the end, and write the migration streams in OUTDIR: seeds of
 *	fuzz-restore.
 *
 *   fuzz-seed storm OUTDIR
 *	Write inputs of random bytes for fuzz-storm (a fixed generator and
 *	seeds: the same files every time), each machine kind, several
 *	lengths.
 *
 * Values are written in their raw forms (FZ_REG_U64, raw IRQs and
 * offsets); event-queue pages are folded into the fuzz machines' 16 MiB
 * of guest RAM.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "scenario.h"
#include "fuzz-common.h"

#define MAX_LINE 4096

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void put_u8(struct buf *b, uint8_t v)
{
	if (b->len == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 4096;
		b->p = realloc(b->p, b->cap);
		FZ_ASSERT(b->p, "out of memory");
	}
	b->p[b->len++] = v;
}

static void put_u16(struct buf *b, uint16_t v)
{
	put_u8(b, (uint8_t)(v >> 8));
	put_u8(b, (uint8_t)v);
}

static void put_u32(struct buf *b, uint32_t v)
{
	put_u16(b, (uint16_t)(v >> 16));
	put_u16(b, (uint16_t)v);
}

static void put_u64(struct buf *b, uint64_t v)
{
	put_u32(b, (uint32_t)(v >> 32));
	put_u32(b, (uint32_t)v);
}

static void put_reg(struct buf *b, uint64_t v)
{
	put_u8(b, FZ_REG_U64);
	put_u64(b, v);
}

static void put_cpu(struct buf *b, uint64_t cpu)
{
	if (cpu < 0xf0) {
		put_u8(b, (uint8_t)cpu);
	} else {
		put_u8(b, FZ_CPU_RAW);
		put_u32(b, (uint32_t)cpu);
	}
}

static void put_irq(struct buf *b, uint64_t irq)
{
	put_u8(b, FZ_IRQ_RAW);
	put_u32(b, (uint32_t)irq);
}

/* ---- reading scenarios -------------------------------------------------- */

struct line {
	char text[MAX_LINE];		/* as written */
	struct scn_cmd cmd;		/* parsed (its text fields unusable) */
	uint32_t token;			/* rtas */
};

struct scenario {
	const char *path;
	char name[256];			/* file name without .scn */
	struct line *lines;
	size_t n;
	char machine[MAX_LINE], smp[MAX_LINE];
};

static int read_scenario(const char *path, struct scenario *s)
{
	char text[MAX_LINE], work[MAX_LINE], why[160];
	const char *base = strrchr(path, '/');
	FILE *f = fopen(path, "r");
	size_t cap = 0;

	if (!f) {
		fprintf(stderr, "fuzz-seed: %s: %s\n", path, strerror(errno));
		return -1;
	}
	memset(s, 0, sizeof(*s));
	s->path = path;
	snprintf(s->name, sizeof(s->name), "%s", base ? base + 1 : path);
	s->name[strcspn(s->name, ".")] = '\0';
	while (fgets(text, sizeof(text), f)) {
		struct line *l;
		int ret;

		memcpy(work, text, sizeof(work));
		if (s->n == cap) {
			cap = cap ? 2 * cap : 256;
			s->lines = realloc(s->lines, cap * sizeof(*s->lines));
			FZ_ASSERT(s->lines, "out of memory");
		}
		l = &s->lines[s->n];
		ret = scn_parse_line(work, &l->cmd, why, sizeof(why));
		if (ret < 0) {
			fprintf(stderr, "fuzz-seed: %s: %s\n", path, why);
			fclose(f);
			return -1;
		}
		if (!ret)
			continue;
		memcpy(l->text, text, sizeof(l->text));
		l->text[strcspn(l->text, "\r\n")] = '\0';
		l->token = l->cmd.kind == SCN_RTAS ?
			spirq_rtas_token(l->cmd.text) : 0;
		if (l->cmd.kind == SCN_MACHINE)
			snprintf(s->machine, sizeof(s->machine), "%s",
				 l->cmd.text);
		if (l->cmd.kind == SCN_SMP)
			snprintf(s->smp, sizeof(s->smp), "%s", l->cmd.text);
		l->cmd.text = NULL;
		s->n++;
	}
	fclose(f);
	return 0;
}

/* The fuzz configuration closest to the scenario's. */
static unsigned pick_config(const struct scenario *s)
{
	static const char *const modes[] = {
		"ic-mode=xics", "ic-mode=xive", "ic-mode=dual",
	};
	unsigned i;

	for (i = 0; i < FZ_NR_CONFIGS; i++)
		if (!strcmp(fz_configs[i].machine, s->machine) &&
		    !strcmp(fz_configs[i].smp, s->smp))
			return i;
	for (i = 0; i < FZ_NR_CONFIGS; i++)
		if (!strcmp(fz_configs[i].machine, s->machine))
			return i;
	for (i = 0; i < 3; i++)
		if (strstr(s->machine, modes[i]))
			return i;
	return 2;
}

/* ---- encoding ----------------------------------------------------------- */

static void put_hcall(struct buf *b, const struct scn_cmd *c)
{
	unsigned i, n = c->nargs < SPIRQ_HCALL_MAX_ARGS ? c->nargs :
						 SPIRQ_HCALL_MAX_ARGS;

	for (i = 0; i < FZ_NR_HCALLS && fz_hcalls[i] != c->opcode; i++)
		;
	if (i < FZ_NR_HCALLS) {
		put_u8(b, (uint8_t)i);
	} else if (c->opcode < 0x400 && !(c->opcode & 3)) {
		put_u8(b, FZ_HCALL_SMALL);
		put_u8(b, (uint8_t)(c->opcode / 4));
	} else {
		put_u8(b, FZ_HCALL_RAW);
		put_u64(b, c->opcode);
	}
	put_cpu(b, c->cpu);
	put_u8(b, (uint8_t)n);
	for (i = 0; i < n; i++) {
		uint64_t v = c->args[i];

		/* the fuzz machines have 16 MiB of RAM: fold queue pages */
		if (c->opcode == SPIRQ_H_INT_SET_QUEUE_CONFIG && i == 3)
			v &= FZ_RAM_SIZE - 1;
		put_reg(b, v);
	}
}

static void put_count(struct buf *b, unsigned n)
{
	if (n < 8) {
		put_u8(b, (uint8_t)n);
	} else {
		put_u8(b, 0xf0);
		put_u16(b, (uint16_t)n);
	}
}

static void put_rtas(struct buf *b, const struct line *l)
{
	const struct scn_cmd *c = &l->cmd;
	unsigned i, nret = spirq_rtas_nret(l->token);

	put_u8(b, (uint8_t)(l->token - SPIRQ_RTAS_SET_XIVE));
	put_cpu(b, c->cpu);
	put_count(b, c->nargs);
	put_count(b, nret ? nret : 1);
	for (i = 0; i < c->nargs; i++)
		put_reg(b, c->args[i]);
}

static void put_mmio(struct buf *b, const struct scn_cmd *c)
{
	unsigned log2 = c->size == 1 ? 0 : c->size == 2 ? 1 :
			c->size == 4 ? 2 : 3;

	put_u8(b, (uint8_t)((c->kind == SCN_STORE ? FZ_MMIO_STORE : 0) |
			    (c->region == SCN_REGION_TIMA ? FZ_MMIO_TIMA : 0)));
	put_cpu(b, c->cpu);
	put_u8(b, FZ_MMIO_RAW_OFFSET);
	put_u64(b, c->offset);
	put_u8(b, (uint8_t)log2);
	if (c->kind == SCN_STORE)
		put_reg(b, c->value);
}

static void put_line_irq(struct buf *b, const struct scn_cmd *c)
{
	put_irq(b, c->irq);
	put_u8(b, c->level ? 1 : 0);
}

/* The CAS the scenario makes first, as fz_start_cas() reads it. */
static void put_start_cas(struct buf *b, const struct scenario *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct scn_cmd *c = &s->lines[i].cmd;

		if (c->kind != SCN_CAS)
			continue;
		if (c->byte23 == 0x00) {
			put_u8(b, 1);
		} else if (c->byte23 == 0x40) {
			put_u8(b, 2);
		} else {
			put_u8(b, 3);
			put_u8(b, (uint8_t)c->byte23);
		}
		return;
	}
	put_u8(b, 0);
}

static void encode_machine(struct buf *b, const struct scenario *s, size_t n)
{
	size_t i;

	put_u8(b, (uint8_t)pick_config(s));
	for (i = 0; i < n; i++) {
		const struct line *l = &s->lines[i];
		const struct scn_cmd *c = &l->cmd;

		switch (c->kind) {
		case SCN_CLAIM:
			put_u8(b, fz_op_encode(FZ_OP_CLAIM));
			put_irq(b, c->irq);
			put_u8(b, c->lsi);
			break;
		case SCN_FREE:
			put_u8(b, fz_op_encode(FZ_OP_FREE));
			put_irq(b, c->irq);
			break;
		case SCN_IRQ:
			put_u8(b, fz_op_encode(FZ_OP_IRQ));
			put_line_irq(b, c);
			break;
		case SCN_CAS:
			put_u8(b, fz_op_encode(FZ_OP_CAS));
			put_u8(b, (uint8_t)c->byte23);
			break;
		case SCN_RESET:
			put_u8(b, fz_op_encode(FZ_OP_RESET));
			break;
		case SCN_HOTPLUG:
		case SCN_UNPLUG:
			put_u8(b, fz_op_encode(c->kind == SCN_HOTPLUG ?
					       FZ_OP_PLUG : FZ_OP_UNPLUG));
			put_u8(b, FZ_CORE_RAW);
			put_u32(b, (uint32_t)c->cpu);
			break;
		case SCN_HCALL:
			put_u8(b, fz_op_encode(FZ_OP_HCALL));
			put_hcall(b, c);
			break;
		case SCN_RTAS:
			put_u8(b, fz_op_encode(FZ_OP_RTAS));
			put_rtas(b, l);
			break;
		case SCN_LOAD:
		case SCN_STORE:
			put_u8(b, fz_op_encode(FZ_OP_MMIO));
			put_mmio(b, c);
			break;
		case SCN_INFO_PIC:
			put_u8(b, fz_op_encode(FZ_OP_INFO_PIC));
			break;
		case SCN_SAVE:
			put_u8(b, fz_op_encode(FZ_OP_SAVE));
			break;
		case SCN_RESTORE:
			put_u8(b, fz_op_encode(FZ_OP_RESTORE));
			break;
		default:
			break;
		}
	}
}

static void encode_calls(struct buf *b, const struct scenario *s, size_t n,
			 const char *target, unsigned config)
{
	bool rtas = !strcmp(target, "rtas"), mmio = !strcmp(target, "mmio");
	bool pic = false;
	size_t i;

	for (i = 0; i < n; i++)
		pic |= s->lines[i].cmd.kind == SCN_INFO_PIC;
	/* an "info pic" at the end if the scenario has one */
	put_u8(b, (uint8_t)(config | (pic ? FZ_CONFIG_INFO_PIC : 0)));
	put_start_cas(b, s);
	for (i = 0; i < n; i++) {
		const struct line *l = &s->lines[i];
		const struct scn_cmd *c = &l->cmd;

		if (c->kind == SCN_HCALL) {
			if (rtas)
				put_u8(b, FZ_RTAS_REC_HCALL);
			else if (mmio)
				put_u8(b, FZ_MMIO_REC_HCALL);
			put_hcall(b, c);
		} else if (c->kind == SCN_RTAS && rtas) {
			put_u8(b, 0);
			put_rtas(b, l);
		} else if (c->kind == SCN_IRQ) {
			put_u8(b, rtas ? FZ_RTAS_REC_IRQ : mmio ?
				  FZ_MMIO_REC_IRQ : FZ_HCALL_REC_IRQ);
			put_line_irq(b, c);
		} else if ((c->kind == SCN_LOAD || c->kind == SCN_STORE) &&
			   mmio) {
			put_u8(b, FZ_MMIO_REC_MMIO);
			put_mmio(b, c);
		}
	}
}

/* fuzz-mmio's configuration byte selects among those with XIVE. */
static unsigned mmio_config(unsigned config)
{
	struct fz_host h;
	unsigned i, n = 0, found = 0;

	for (i = 0; i < FZ_NR_CONFIGS; i++) {
		fz_host_start(&h, &fz_configs[i]);
		if (h.cfg.cap_xive) {
			if (i == config)
				found = n;
			n++;
		}
		fz_host_stop(&h);
	}
	return found;
}

static int write_file(const char *dir, const char *name, const void *p,
		      size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "fuzz-seed: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int encode(const char *target, const char *dir,
		  const struct scenario *s)
{
	static const size_t prefixes[] = { 64, 256, 1024 };
	char name[300];
	size_t k;
	int ret = 0;

	for (k = 0; k <= sizeof(prefixes) / sizeof(prefixes[0]); k++) {
		size_t n = k ? prefixes[k - 1] : s->n;
		struct buf b = { 0 };

		if (k && n >= s->n)
			break;
		if (!strcmp(target, "machine"))
			encode_machine(&b, s, n);
		else if (!strcmp(target, "mmio"))
			encode_calls(&b, s, n, target,
				     mmio_config(pick_config(s)));
		else
			encode_calls(&b, s, n, target, pick_config(s));
		if (k)
			snprintf(name, sizeof(name), "%s-%zu.bin", s->name, n);
		else
			snprintf(name, sizeof(name), "%s.bin", s->name);
		ret |= write_file(dir, name, b.p, b.len);
		free(b.p);
	}
	return ret;
}

/* ---- streams ------------------------------------------------------------ */

/*
 * Run the scenario's body under @header (configuration lines; NULL: its
 * own), saving the state half-way and at the end.
 */
static void run_with_saves(const struct scenario *s, const char *header,
			   const char *tag)
{
	struct cli_run_options o = { 0 };
	size_t i, body = 0, seen = 0, every, len = 0;
	char *text;
	FILE *in;

	for (i = 0; i < s->n; i++)
		body += !scn_is_config(s->lines[i].cmd.kind);
	every = body / 2 + 1;
	text = malloc(MAX_LINE * (s->n + 16) + (header ? strlen(header) : 0));
	FZ_ASSERT(text, "out of memory");
	text[0] = '\0';
	if (header)
		len += (size_t)sprintf(text + len, "%s", header);
	for (i = 0; i < s->n; i++) {
		const struct line *l = &s->lines[i];
		enum scn_kind kind = l->cmd.kind;

		if (scn_is_config(kind)) {
			if (!header)
				len += (size_t)sprintf(text + len, "%s\n",
						       l->text);
			continue;
		}
		/* no comparisons, and only this run's own files */
		if (kind == SCN_EXPECT || kind == SCN_SAVE ||
		    kind == SCN_RESTORE)
			continue;
		len += (size_t)sprintf(text + len, "%s\n", l->text);
		if (++seen % every == 0)
			len += (size_t)sprintf(text + len,
					       "save %s-%s-%zu.bin\n",
					       s->name, tag, seen / every);
	}
	sprintf(text + len, "save %s-%s-end.bin\n", s->name, tag);
	in = fmemopen(text, strlen(text), "r");
	FZ_ASSERT(in, "fmemopen");
	cli_run_stream(in, &o);
	fclose(in);
	free(text);
}

static int streams(const char *dir, struct scenario *s, size_t n)
{
	char header[1024], tag[16];
	size_t i;
	unsigned c;

	if (chdir(dir)) {
		fprintf(stderr, "fuzz-seed: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (!freopen("/dev/null", "w", stdout))
		return -1;
	for (i = 0; i < n; i++) {
		run_with_saves(&s[i], NULL, "own");
		for (c = 0; c < FZ_NR_CONFIGS; c++) {
			const struct fz_config *f = &fz_configs[c];

			snprintf(header, sizeof(header),
				 "machine %s\nsmp %s\nmemory %s\n%s%s%s%s%s%s",
				 f->machine, f->smp, f->memory,
				 f->accel ? "accel " : "",
				 f->accel ? f->accel : "", f->accel ? "\n" : "",
				 f->cpu ? "cpu " : "", f->cpu ? f->cpu : "",
				 f->cpu ? "\n" : "");
			snprintf(tag, sizeof(tag), "c%u", c);
			run_with_saves(&s[i], header, tag);
		}
	}
	return 0;
}

/* fuzz-storm: the machine byte, then the storm's choices. */
static int storm_seeds(const char *dir)
{
	static const size_t lengths[] = { 64, 512, 2048, 8192 };
	uint64_t rng = 0x5eed5eed5eedull;
	char name[64];
	size_t k, i;
	int ret = 0;

	for (k = 0; k < 4 * sizeof(lengths) / sizeof(lengths[0]); k++) {
		size_t len = lengths[k / 4];
		uint8_t *p = malloc(len);

		FZ_ASSERT(p, "out of memory");
		p[0] = (uint8_t)(k % 4);
		for (i = 1; i < len; i++) {
			rng = rng * 6364136223846793005ull +
			      1442695040888963407ull;
			p[i] = (uint8_t)(rng >> 56);
		}
		snprintf(name, sizeof(name), "storm-m%zu-%zu.bin", k % 4, len);
		ret |= write_file(dir, name, p, len);
		free(p);
	}
	return ret;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: fuzz-seed encode hcall|rtas|mmio|machine OUTDIR FILE.scn...\n"
		"       fuzz-seed streams OUTDIR FILE.scn...\n"
		"       fuzz-seed storm OUTDIR\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct scenario *s;
	int i, first, ret = 0;
	size_t n = 0;

	if (argc < 3)
		usage();
	if (!strcmp(argv[1], "storm"))
		return storm_seeds(argv[2]) ? 1 : 0;
	if (!strcmp(argv[1], "encode")) {
		if (argc < 4 || (strcmp(argv[2], "hcall") &&
				 strcmp(argv[2], "rtas") &&
				 strcmp(argv[2], "mmio") &&
				 strcmp(argv[2], "machine")))
			usage();
		first = 4;
	} else if (!strcmp(argv[1], "streams")) {
		first = 3;
	} else {
		usage();
	}
	s = calloc((size_t)argc, sizeof(*s));
	FZ_ASSERT(s, "out of memory");
	for (i = first; i < argc; i++)
		if (!read_scenario(argv[i], &s[n]))
			n++;
		else
			ret = 1;
	if (!strcmp(argv[1], "streams")) {
		ret |= streams(argv[2], s, n) ? 1 : 0;
	} else {
		for (i = 0; i < (int)n; i++)
			ret |= encode(argv[2], argv[3], &s[i]) ? 1 : 0;
	}
	for (i = 0; i < (int)n; i++)
		free(s[i].lines);
	free(s);
	return ret;
}
