// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the tool echoes back: text from the command line or from a file is
 * escaped before it reaches a terminal, and with --json a failure is a
 * JSON object rather than a line on standard error.
 */
#include <stdarg.h>
#include <string.h>

#include "cli.h"

/* Printable ASCII goes out as is; anything else could drive a terminal. */
static bool shown_as_is(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

size_t cli_escape(char *dst, size_t size, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t len = 0;

	if (!size)
		return 0;
	for (; *s; s++) {
		size_t need = shown_as_is(*s) ? 1 : 4;

		if (len + need >= size)
			break;		/* truncated, never a half escape */
		if (need == 1)
			dst[len] = (char)*s;
		else
			snprintf(dst + len, 5, "\\x%02x", *s);
		len += need;
	}
	dst[len] = '\0';
	return len;
}

void cli_put_escaped(FILE *f, const char *s)
{
	const unsigned char *c = (const unsigned char *)s;

	for (; *c; c++) {
		if (shown_as_is(*c))
			putc(*c, f);
		else
			fprintf(f, "\\x%02x", *c);
	}
}

/*
 * Length of the well-formed UTF-8 sequence at @s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), 0 if there is none.
 */
static size_t utf8_sequence(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (*s >= 0xc2 && *s <= 0xdf)
		n = 2;
	else if (*s >= 0xe0 && *s <= 0xef)
		n = 3;
	else if (*s >= 0xf0 && *s <= 0xf4)
		n = 4;
	else
		return 0;
	if (*s == 0xe0)
		lo = 0xa0;
	else if (*s == 0xed)
		hi = 0x9f;
	else if (*s == 0xf0)
		lo = 0x90;
	else if (*s == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void cli_json_string(FILE *f, const char *s)
{
	const unsigned char *c = (const unsigned char *)s;

	putc('"', f);
	while (*c) {
		size_t n;

		if (*c == '"' || *c == '\\') {
			fprintf(f, "\\%c", *c++);
		} else if (*c < 0x20 || *c == 0x7f) {
			fprintf(f, "\\u%04x", *c++);
		} else if (*c < 0x80) {
			putc(*c++, f);
		} else if ((n = utf8_sequence(c)) != 0) {
			fwrite(c, 1, n, f);
			c += n;
		} else {
			/* JSON text is UTF-8: a stray byte becomes U+FFFD */
			fputs("\\ufffd", f);
			c++;
		}
	}
	putc('"', f);
}

bool cli_find_flag(int argc, char **argv, const char *flag)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], flag))
			return true;
	return false;
}

bool cli_wants_help(int argc, char **argv)
{
	return cli_find_flag(argc, argv, "--help") ||
	       cli_find_flag(argc, argv, "-h");
}

int cli_fail(bool json, const char *who, int status, const char *fmt, ...)
{
	char message[2 * SPIRQ_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (json) {
		fputs("{\"error\": ", stdout);
		cli_json_string(stdout, message);
		printf(", \"exit\": %d}\n", status);
		fflush(stdout);
		return status;
	}
	fflush(stdout);
	fprintf(stderr, "%s: ", who);
	cli_put_escaped(stderr, message);
	putc('\n', stderr);
	return status;
}
