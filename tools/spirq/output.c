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

/* The bytes that shown_as_is() refuses (but the terminating NUL). */
static const char escaped_bytes[] =
	"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"
	"\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f"
	"\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f"
	"\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f"
	"\xa0\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xaf"
	"\xb0\xb1\xb2\xb3\xb4\xb5\xb6\xb7\xb8\xb9\xba\xbb\xbc\xbd\xbe\xbf"
	"\xc0\xc1\xc2\xc3\xc4\xc5\xc6\xc7\xc8\xc9\xca\xcb\xcc\xcd\xce\xcf"
	"\xd0\xd1\xd2\xd3\xd4\xd5\xd6\xd7\xd8\xd9\xda\xdb\xdc\xdd\xde\xdf"
	"\xe0\xe1\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea\xeb\xec\xed\xee\xef"
	"\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xfb\xfc\xfd\xfe\xff";

/*
 * A run of printable bytes at a time (strcspn): every line of a scenario
 * run's output goes through here, "info pic" tables included.
 */
size_t cli_escape(char *dst, size_t size, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t len = 0, run;

	if (!size)
		return 0;
	while (*s && len + 1 < size) {
		run = strcspn((const char *)s, escaped_bytes);
		if (!run) {
			if (len + 4 >= size)
				break;	/* truncated, never a half escape */
			snprintf(dst + len, 5, "\\x%02x", *s++);
			len += 4;
			continue;
		}
		if (run > size - 1 - len)
			run = size - 1 - len;
		memcpy(dst + len, s, run);
		len += run;
		s += run;
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
