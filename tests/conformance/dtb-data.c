// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtb-data.h"

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

static void split_args(struct dtb_case *c, const char *args)
{
	char *tok, *save = NULL;

	snprintf(c->argbuf, sizeof(c->argbuf), "%s", args);
	c->argc = 0;
	for (tok = strtok_r(c->argbuf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		if (!strcmp(tok, "-nographic"))
			continue;
		if (c->argc < DTB_MAX_ARGS)
			c->argv[c->argc++] = tok;
	}
}

/* "# stderr:" lines: the first that is not a warning or info is the error */
static void take_stderr_line(struct dtb_case *c, const char *line)
{
	const char *prefix = "#   qemu-system-ppc64: ";
	size_t n = strlen(prefix);

	if (strncmp(line, prefix, n) || c->refusal[0])
		return;
	line += n;
	if (!strncmp(line, "warning:", 8) || !strncmp(line, "info:", 5))
		return;
	snprintf(c->refusal, sizeof(c->refusal), "%s", line);
}

static void take_prop_line(struct dtb_case *c, char *line)
{
	struct dtb_prop *p;
	char *eq;
	size_t n = strlen(line);

	if (line[0] != '/' || n < 2 || line[n - 1] != ';' ||
	    c->nprops >= DTB_MAX_PROPS)
		return;
	line[n - 1] = '\0';
	p = &c->props[c->nprops++];
	eq = strstr(line, " = ");
	p->has_value = eq != NULL;
	if (eq) {
		*eq = '\0';
		snprintf(p->value, sizeof(p->value), "%s", eq + 3);
	} else {
		p->value[0] = '\0';
	}
	snprintf(p->path, sizeof(p->path), "%s", line);
}

static int load_extract(const char *dir, const char *file, struct dtb_case *c)
{
	char path[512], line[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		chomp(line);
		if (line[0] == '#')
			take_stderr_line(c, line);
		else
			take_prop_line(c, line);
	}
	fclose(f);
	return 0;
}

int dtb_case_load(const char *dir, unsigned index, struct dtb_case *c)
{
	char path[512], line[1024];
	unsigned row = 0;
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/manifest.tsv", dir);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return -1;
	}
	memset(c, 0, sizeof(*c));
	if (!fgets(line, sizeof(line), f)) {	/* header */
		fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *id, *rc, *file, *args, *save = NULL;

		chomp(line);
		if (row++ != index)
			continue;
		id = strtok_r(line, "\t", &save);
		rc = strtok_r(NULL, "\t", &save);
		file = strtok_r(NULL, "\t", &save);
		args = strtok_r(NULL, "\t", &save);
		if (!id || !rc || !file || !args) {
			ret = -1;
			break;
		}
		snprintf(c->id, sizeof(c->id), "%s", id);
		c->rc = atoi(rc);
		split_args(c, args);
		ret = load_extract(dir, file, c) ? -1 : 1;
		break;
	}
	fclose(f);
	return ret;
}

const struct dtb_prop *dtb_case_prop(const struct dtb_case *c,
				     const char *path)
{
	size_t i;

	for (i = 0; i < c->nprops; i++)
		if (!strcmp(c->props[i].path, path))
			return &c->props[i];
	return NULL;
}

int dtb_parse_cells(const char *value, unsigned *cells, int max)
{
	const char *s = value;
	int n = 0;

	if (*s++ != '<')
		return -1;
	for (;;) {
		char *end;
		unsigned long v;

		while (*s == ' ')
			s++;
		if (*s == '>')
			return n;
		v = strtoul(s, &end, 0);
		if (end == s || n >= max)
			return -1;
		cells[n++] = (unsigned)v;
		s = end;
	}
}
