// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Scenario lexer and parser.  Pure syntax: whether a CPU exists or an
 * hcall succeeds is the executor's business (cmd-run.c).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <spirq/spirq.h>

#include "scenario.h"

#define MAX_WORDS (SCN_MAX_ARGS + 4)

static const char *const kind_names[SCN_NR_KINDS] = {
	[SCN_MACHINE] = "machine",	[SCN_SMP] = "smp",
	[SCN_CPU] = "cpu",		[SCN_MEMORY] = "memory",
	[SCN_ACCEL] = "accel",		[SCN_START] = "start",
	[SCN_CLAIM] = "claim",		[SCN_FREE] = "free",
	[SCN_IRQ] = "irq",		[SCN_CAS] = "cas",
	[SCN_RESET] = "reset",		[SCN_HOTPLUG] = "hotplug",
	[SCN_UNPLUG] = "unplug",	[SCN_SAVE] = "save",
	[SCN_RESTORE] = "restore",	[SCN_HCALL] = "hcall",
	[SCN_RTAS] = "rtas",		[SCN_LOAD] = "load",
	[SCN_STORE] = "store",		[SCN_INFO_PIC] = "info",
	[SCN_EXPECT] = "expect",
};

const char *scn_kind_name(enum scn_kind kind)
{
	if (kind == SCN_INFO_PIC)
		return "info pic";
	return kind < SCN_NR_KINDS ? kind_names[kind] : "?";
}

bool scn_parse_number(const char *word, uint64_t *out)
{
	uint64_t value = 0;
	unsigned base = 10;
	const char *p = word;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p)
		return false;
	for (; *p; p++) {
		unsigned digit;

		if (isdigit((unsigned char)*p))
			digit = (unsigned)(*p - '0');
		else if (base == 16 && isxdigit((unsigned char)*p))
			digit = (unsigned)(tolower((unsigned char)*p) - 'a' + 10);
		else
			return false;
		if (value > (UINT64_MAX - digit) / base)
			return false;	/* more than 64 bits */
		value = value * base + digit;
	}
	*out = value;
	return true;
}

struct parser {
	char *words[MAX_WORDS];
	unsigned nwords;
	char *why;
	size_t why_size;
};

static int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, p->why_size, fmt, ap);
	va_end(ap);
	return -1;
}

static int want_words(struct parser *p, unsigned min, unsigned max)
{
	const char *name = p->words[0];

	if (p->nwords - 1 < min)
		return fail(p, "%s: missing argument", name);
	if (p->nwords - 1 > max)
		return fail(p, "%s: too many arguments", name);
	return 0;
}

static int number(struct parser *p, unsigned index, const char *what,
		  uint64_t *out)
{
	if (!scn_parse_number(p->words[index], out))
		return fail(p, "%s: bad %s '%s'", p->words[0], what,
			    p->words[index]);
	return 0;
}

static int parse_claim(struct parser *p, struct scn_cmd *cmd)
{
	const char *type;

	if (want_words(p, 2, 2) || number(p, 1, "IRQ", &cmd->irq))
		return -1;
	type = p->words[2];
	if (strcmp(type, "msi") && strcmp(type, "lsi"))
		return fail(p, "claim: type must be msi or lsi, not '%s'",
			    type);
	cmd->lsi = !strcmp(type, "lsi");
	return 0;
}

static int parse_call(struct parser *p, struct scn_cmd *cmd)
{
	unsigned i;

	if (p->nwords - 1 < 2)
		return fail(p, "%s: missing argument", p->words[0]);
	if (p->nwords - 3 > SCN_MAX_ARGS)
		return fail(p, "%s: more than %u arguments", p->words[0],
			    SCN_MAX_ARGS);
	if (number(p, 1, "CPU", &cmd->cpu))
		return -1;
	cmd->text = p->words[2];
	cmd->nargs = p->nwords - 3;
	for (i = 0; i < cmd->nargs; i++)
		if (number(p, 3 + i, "argument", &cmd->args[i]))
			return -1;
	if (cmd->kind == SCN_HCALL) {
		int64_t opcode = spirq_hcall_opcode(cmd->text);

		if (opcode >= 0)
			cmd->opcode = (uint64_t)opcode;
		else if (!scn_parse_number(cmd->text, &cmd->opcode))
			return fail(p, "hcall: unknown hcall '%s'", cmd->text);
	} else if (!spirq_rtas_token(cmd->text)) {
		return fail(p, "rtas: unknown RTAS call '%s'", cmd->text);
	}
	return 0;
}

static int parse_mmio(struct parser *p, struct scn_cmd *cmd)
{
	bool store = cmd->kind == SCN_STORE;
	uint64_t size;

	if (want_words(p, store ? 5 : 4, store ? 5 : 4) ||
	    number(p, 1, "CPU", &cmd->cpu))
		return -1;
	if (!strcmp(p->words[2], "esb"))
		cmd->region = SCN_REGION_ESB;
	else if (!strcmp(p->words[2], "tima"))
		cmd->region = SCN_REGION_TIMA;
	else
		return fail(p, "%s: region must be esb or tima, not '%s'",
			    p->words[0], p->words[2]);
	if (number(p, 3, "offset", &cmd->offset) ||
	    number(p, 4, "size", &size))
		return -1;
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return fail(p, "%s: size must be 1, 2, 4 or 8", p->words[0]);
	cmd->size = (unsigned)size;
	if (store && number(p, 5, "value", &cmd->value))
		return -1;
	return 0;
}

/* Commands whose only argument is a piece of text. */
static int parse_text(struct parser *p, struct scn_cmd *cmd)
{
	if (want_words(p, 1, 1))
		return -1;
	cmd->text = p->words[1];
	return 0;
}

static int parse_number_arg(struct parser *p, const char *what,
			    uint64_t *out)
{
	return want_words(p, 1, 1) || number(p, 1, what, out) ? -1 : 0;
}

static int parse_words(struct parser *p, struct scn_cmd *cmd)
{
	switch (cmd->kind) {
	case SCN_MACHINE:
	case SCN_SMP:
	case SCN_CPU:
	case SCN_MEMORY:
	case SCN_ACCEL:
	case SCN_SAVE:
	case SCN_RESTORE:
		return parse_text(p, cmd);
	case SCN_START:
	case SCN_RESET:
		return want_words(p, 0, 0);
	case SCN_CLAIM:
		return parse_claim(p, cmd);
	case SCN_FREE:
		return parse_number_arg(p, "IRQ", &cmd->irq);
	case SCN_IRQ:
		if (want_words(p, 2, 2) || number(p, 1, "IRQ", &cmd->irq) ||
		    number(p, 2, "level", &cmd->level))
			return -1;
		return 0;
	case SCN_CAS:
		if (parse_number_arg(p, "BYTE23", &cmd->byte23))
			return -1;
		if (cmd->byte23 > 0xff)
			return fail(p, "cas: BYTE23 is one byte");
		return 0;
	case SCN_HOTPLUG:
	case SCN_UNPLUG:
		return parse_number_arg(p, "CPU", &cmd->cpu);
	case SCN_HCALL:
	case SCN_RTAS:
		return parse_call(p, cmd);
	case SCN_LOAD:
	case SCN_STORE:
		return parse_mmio(p, cmd);
	case SCN_INFO_PIC:
		if (want_words(p, 1, 1) || strcmp(p->words[1], "pic"))
			return fail(p, "info: only 'info pic' exists");
		return 0;
	case SCN_EXPECT:
	case SCN_NR_KINDS:
		break;
	}
	return fail(p, "internal parser error");
}

/* expect takes the rest of the line verbatim (trailing blanks dropped). */
static int parse_expect(char *rest, struct scn_cmd *cmd, struct parser *p)
{
	size_t n;

	while (*rest == ' ' || *rest == '\t')
		rest++;
	n = strlen(rest);
	while (n && (rest[n - 1] == ' ' || rest[n - 1] == '\t'))
		rest[--n] = '\0';
	if (!n)
		return fail(p, "expect: missing text");
	cmd->text = rest;
	return 1;
}

int scn_parse_line(char *line, struct scn_cmd *cmd, char *why,
		   size_t why_size)
{
	struct parser p = { .why = why, .why_size = why_size };
	char *hash, *s, *name_end;
	unsigned k;

	memset(cmd, 0, sizeof(*cmd));
	hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	s = line + strspn(line, " \t\r\n");
	if (!*s)
		return 0;
	name_end = s + strcspn(s, " \t\r\n");
	if (!strncmp(s, "expect", 6) && name_end == s + 6) {
		cmd->kind = SCN_EXPECT;
		s[strcspn(s, "\r\n")] = '\0';
		return parse_expect(s + 6, cmd, &p);
	}

	for (char *tok = strtok(s, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
		if (p.nwords == MAX_WORDS)
			return fail(&p, "too many words");
		p.words[p.nwords++] = tok;
	}
	for (k = 0; k < SCN_NR_KINDS; k++) {
		if (kind_names[k] && !strcmp(p.words[0], kind_names[k])) {
			cmd->kind = (enum scn_kind)k;
			return parse_words(&p, cmd) ? -1 : 1;
		}
	}
	return fail(&p, "unknown command '%s'", p.words[0]);
}
