// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirq dt: the interrupt part of the device tree a pseries guest gets, at
 * machine reset or as the answer to CAS, as a DTB or as DTS text.
 *
 * The DTS is printed here, the way "dtc -I dtb -O dts" prints a blob
 * (same value guessing, same layout), so no dtc is needed.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Flattened device tree format (devicetree specification, chapter 5). */
#define DTB_MAGIC	0xd00dfeedu
#define DTB_BEGIN_NODE	1u
#define DTB_END_NODE	2u
#define DTB_PROP	3u
#define DTB_NOP		4u
#define DTB_END		9u

/* Largest tree tried: 16384 vCPUs need about 2 MiB. */
#define DT_MAX_SIZE	(256 << 20)

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* ---- DTS printing ------------------------------------------------------- */

struct blob {
	const uint8_t *base;
	uint32_t size;
	uint32_t struct_off, struct_size;
	uint32_t strings_off, strings_size;
	uint32_t rsv_off;
};

static int blob_open(struct blob *b, const void *fdt, size_t len)
{
	const uint8_t *p = fdt;

	if (len < 40 || be32(p) != DTB_MAGIC)
		return -1;
	b->base = p;
	b->size = be32(p + 4);
	b->struct_off = be32(p + 8);
	b->strings_off = be32(p + 12);
	b->rsv_off = be32(p + 16);
	b->strings_size = be32(p + 32);
	b->struct_size = be32(p + 36);
	if (b->size > len || b->struct_off > b->size ||
	    b->struct_size > b->size - b->struct_off ||
	    b->strings_off > b->size ||
	    b->strings_size > b->size - b->strings_off ||
	    b->rsv_off > b->size)
		return -1;
	return 0;
}

static bool is_string_char(char c)
{
	return isprint((unsigned char)c) || c == '\0' ||
	       strchr("\a\b\t\n\v\f\r", c);
}

static void print_string_char(FILE *out, char c)
{
	switch (c) {
	case '\a': fputs("\\a", out); break;
	case '\b': fputs("\\b", out); break;
	case '\t': fputs("\\t", out); break;
	case '\n': fputs("\\n", out); break;
	case '\v': fputs("\\v", out); break;
	case '\f': fputs("\\f", out); break;
	case '\r': fputs("\\r", out); break;
	case '\\': fputs("\\\\", out); break;
	case '"': fputs("\\\"", out); break;
	case '\0': fputs("\\0", out); break;
	default:
		if (isprint((unsigned char)c))
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", (unsigned)(unsigned char)c);
	}
}

/* dtc's guess: strings, else cells when the length allows, else bytes. */
static void print_value(FILE *out, const uint8_t *v, uint32_t len)
{
	uint32_t i, nul = 0, notstring = 0;

	for (i = 0; i < len; i++) {
		if (!is_string_char((char)v[i]))
			notstring++;
		if (!v[i])
			nul++;
	}
	if (!v[len - 1] && !notstring && nul <= len - nul) {
		fputc('"', out);
		for (i = 0; i + 1 < len; i++)
			print_string_char(out, (char)v[i]);
		fputc('"', out);
	} else if (len % 4 == 0) {
		fputc('<', out);
		for (i = 0; i < len; i += 4)
			fprintf(out, "%s0x%02" PRIx32, i ? " " : "",
				be32(v + i));
		fputc('>', out);
	} else {
		fputc('[', out);
		for (i = 0; i < len; i++)
			fprintf(out, "%s%02x", i ? " " : "", (unsigned)v[i]);
		fputc(']', out);
	}
}

static void indent(FILE *out, int depth)
{
	while (depth-- > 0)
		fputc('\t', out);
}

static int print_dts(FILE *out, const void *fdt, size_t len)
{
	struct blob b;
	uint32_t off, end;
	int depth = 0;

	if (blob_open(&b, fdt, len))
		return -1;
	fprintf(out, "/dts-v1/;\n\n");
	for (off = b.rsv_off; off + 16 <= b.size; off += 16) {
		uint64_t addr = be64(b.base + off);
		uint64_t size = be64(b.base + off + 8);

		if (!addr && !size)
			break;
		fprintf(out, "/memreserve/\t0x%016" PRIx64 " 0x%016" PRIx64
			";\n", addr, size);
	}
	off = b.struct_off;
	end = b.struct_off + b.struct_size;
	while (off + 4 <= end) {
		uint32_t tag = be32(b.base + off);

		off += 4;
		if (tag == DTB_BEGIN_NODE) {
			const char *name = (const char *)b.base + off;
			size_t n = strnlen(name, end - off);

			if (n == end - off)
				return -1;
			if (depth)
				fputc('\n', out);
			indent(out, depth);
			fprintf(out, "%s {\n", n ? name : "/");
			depth++;
			off += (uint32_t)(n + 4) & ~3u;
		} else if (tag == DTB_END_NODE) {
			if (!depth)
				return -1;
			depth--;
			indent(out, depth);
			fprintf(out, "};\n");
		} else if (tag == DTB_PROP) {
			uint32_t plen, nameoff;
			const char *pname;

			if (off + 8 > end)
				return -1;
			plen = be32(b.base + off);
			nameoff = be32(b.base + off + 4);
			off += 8;
			if (plen > end - off || nameoff >= b.strings_size ||
			    !memchr(b.base + b.strings_off + nameoff, '\0',
				    b.strings_size - nameoff))
				return -1;
			pname = (const char *)b.base + b.strings_off + nameoff;
			indent(out, depth);
			fputs(pname, out);
			if (plen) {
				fputs(" = ", out);
				print_value(out, b.base + off, plen);
			}
			fputs(";\n", out);
			off += (plen + 3) & ~3u;
		} else if (tag == DTB_END) {
			return depth ? -1 : 0;
		} else if (tag != DTB_NOP) {
			return -1;
		}
	}
	return -1;
}

/* ---- the command -------------------------------------------------------- */

static void usage(FILE *out)
{
	fprintf(out,
		"usage: spirq dt [MACHINE-OPTIONS] [-o FILE] [--dts]\n"
		"                [--after-cas xics|xive]\n"
		"  -o FILE             write to FILE rather than standard output;\n"
		"                      a DTB goes to a terminal only with -o -\n"
		"  --dts               DTS text rather than a DTB blob\n"
		"  --after-cas MODE    the tree QEMU gives a guest (SLOF) that asked\n"
		"                      for MODE at CAS, rather than the reset-time tree\n");
}

/* Build the tree, growing the buffer as needed; NULL on failure. */
static void *build(spirq_machine *m, unsigned flags, int *ret)
{
	int size = 64 << 10;
	void *buf = NULL, *nbuf;

	for (;;) {
		nbuf = realloc(buf, (size_t)size);
		if (!nbuf) {
			*ret = -SPIRQ_ERR_NOMEM;
			break;
		}
		buf = nbuf;
		*ret = spirq_fdt_create(m, buf, size, flags);
		if (*ret != -SPIRQ_ERR_NOSPACE || size >= DT_MAX_SIZE)
			break;
		size *= 2;
	}
	if (*ret) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * A DTB is binary: written to a terminal it is garbage at best, and its
 * bytes can drive the terminal.  Only "-o -" asks for it.
 */
static bool binary_to_terminal(const char *path, bool dts)
{
	return !path && !dts && isatty(STDOUT_FILENO);
}

/* @path NULL or "-": standard output. */
static int write_out(const char *path, const void *fdt, bool dts)
{
	FILE *out;
	size_t len = be32((const uint8_t *)fdt + 4);
	int bad;

	if (path && !strcmp(path, "-"))
		path = NULL;
	out = path ? fopen(path, dts ? "w" : "wb") : stdout;
	if (!out)
		return cli_fail(false, "spirq dt", CLI_FAILURE,
				"cannot open %s for writing: %s", path,
				strerror(errno));
	if (dts)
		bad = print_dts(out, fdt, len);
	else
		bad = fwrite(fdt, 1, len, out) != len;
	bad |= ferror(out);
	if (path)
		bad |= fclose(out) != 0;
	else
		bad |= fflush(out) != 0;
	if (bad)
		return cli_fail(false, "spirq dt", CLI_FAILURE,
				"write error on %s", path ? path : "standard output");
	return CLI_OK;
}

static int parse_cas(const char *mode, int *byte23)
{
	if (!strcmp(mode, "xics"))
		*byte23 = 0x00;
	else if (!strcmp(mode, "xive"))
		*byte23 = 0x40;
	else
		return -1;
	return 0;
}

struct dt_args {
	const char *path;	/* -o: NULL or "-" for standard output */
	bool dts;
	int cas;		/* --after-cas byte 23, -1 for none */
	spirq_options opts;
};

static int parse_args(int argc, char **argv, struct dt_args *a)
{
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dts")) {
			a->dts = true;
			continue;
		}
		if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--after-cas")) {
			if (i + 1 >= argc)
				return cli_fail(false, "spirq dt", CLI_USAGE,
						"%s needs a value", argv[i]);
			i++;
			if (argv[i - 1][1] == 'o')
				a->path = argv[i];
			else if (parse_cas(argv[i], &a->cas))
				return cli_fail(false, "spirq dt", CLI_USAGE,
						"--after-cas takes xics or xive, not '%.40s%s'",
						argv[i], strlen(argv[i]) > 40 ? "..." : "");
			continue;
		}
		ret = cli_machine_option("dt", false, &a->opts, argc, argv, &i);
		if (ret != CLI_OK)
			return ret;
	}
	return CLI_OK;
}

/* The machine the options describe, after CAS if asked; NULL if refused. */
static spirq_machine *make_machine(const struct dt_args *a, int *status)
{
	spirq_config cfg;
	spirq_machine *m;
	spirq_error err;
	int ret;

	*status = CLI_REFUSED;
	if (spirq_config_resolve(&a->opts, &cfg, &err) < 0) {
		cli_fail(false, "spirq", CLI_REFUSED, "%s", err.message);
		return NULL;
	}
	ret = spirq_machine_create(&cfg, NULL, &m, &err);
	if (ret < 0) {
		if (ret != -SPIRQ_ERR_CONFIG)
			*status = CLI_FAILURE;
		cli_fail(false, "spirq", *status, "%s", err.message);
		return NULL;
	}
	if (a->cas >= 0 && spirq_cas(m, (uint8_t)a->cas, NULL, &err) < 0) {
		cli_fail(false, "spirq", CLI_REFUSED, "%s", err.message);
		spirq_machine_destroy(m);
		return NULL;
	}
	return m;
}

int cmd_dt(int argc, char **argv)
{
	struct dt_args a = { .cas = -1 };
	spirq_machine *m;
	void *fdt;
	int ret;

	spirq_options_init(&a.opts);
	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return CLI_OK;
	}
	ret = parse_args(argc, argv, &a);
	if (ret != CLI_OK)
		return ret;
	if (binary_to_terminal(a.path, a.dts))
		return cli_fail(false, "spirq dt", CLI_USAGE,
				"not writing a binary DTB to a terminal: use --dts for text, -o FILE, or -o - to write it anyway");
	m = make_machine(&a, &ret);
	if (!m)
		return ret;
	fdt = build(m, a.cas >= 0 ? SPIRQ_FDT_AFTER_CAS : 0, &ret);
	spirq_machine_destroy(m);
	if (!fdt)
		return cli_fail(false, "spirq dt", CLI_FAILURE,
				"cannot build the tree: %s", spirq_strerror(ret));
	ret = write_out(a.path, fdt, a.dts);
	free(fdt);
	return ret;
}
