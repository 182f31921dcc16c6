// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scn-compare: compare the output of "spirq run" with an expected output,
 * by the rules of the recorded conformance data:
 *
 *   - lines starting with "# " in the output are informational: skipped
 *   - trailing blanks are ignored
 *   - an expected token "*" matches any one token
 *   - host pointers of the XICS "info pic" are ignored: the third token of
 *     "ICS 1000..1fff <ptr>" and the "(<ptr>)" token of "CPU n XIRR=..."
 *
 * With --attested (recorded guest sessions), the expected file holds only
 * the lines QEMU attests: loads, cas, XICS H_XIRR results and info pic;
 * the output's other hcall and rtas lines are dropped before comparing.
 *
 * usage: scn-compare [--attested] ACTUAL EXPECTED
 * exit:  0 same, 1 different (first difference printed), 2 usage/I-O
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 4096
#define MAX_TOKENS 64

struct lines {
	char **v;
	size_t n;
};

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' ||
		     s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* Lines of the output that QEMU does not attest in a recorded session. */
static bool unattested(const char *line)
{
	const char *name;

	if (!strncmp(line, "rtas ", 5))
		return true;
	if (strncmp(line, "hcall ", 6))
		return false;
	name = strchr(line + 6, ' ');
	return !name || strncmp(name, " H_XIRR ->", 10) != 0;
}

static int load(const char *path, bool output, bool attested,
		struct lines *l)
{
	char buf[MAX_LINE];
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		return -1;
	}
	l->v = NULL;
	l->n = 0;
	while (fgets(buf, sizeof(buf), f)) {
		chomp(buf);
		if (output && !strncmp(buf, "# ", 2))
			continue;
		if (output && attested && unattested(buf))
			continue;
		l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n++] = strdup(buf);
	}
	fclose(f);
	return 0;
}

static size_t tokenize(char *s, char **tok)
{
	size_t n = 0;

	for (char *t = strtok(s, " \t"); t && n < MAX_TOKENS;
	     t = strtok(NULL, " \t"))
		tok[n++] = t;
	return n;
}

/* Is token @i of the expected line a host pointer? */
static bool is_pointer(char **tok, size_t n, size_t i)
{
	if (n >= 3 && !strcmp(tok[0], "ICS") && i == 2)
		return true;
	if (n >= 4 && !strcmp(tok[0], "CPU") && !strncmp(tok[2], "XIRR=", 5) &&
	    i == 3)
		return true;
	return false;
}

static bool same_line(const char *actual, const char *expected)
{
	char a[MAX_LINE], e[MAX_LINE];
	char *at[MAX_TOKENS], *et[MAX_TOKENS];
	size_t an, en, i;

	if (!strcmp(actual, expected))
		return true;
	snprintf(a, sizeof(a), "%s", actual);
	snprintf(e, sizeof(e), "%s", expected);
	an = tokenize(a, at);
	en = tokenize(e, et);
	if (an != en)
		return false;
	for (i = 0; i < en; i++) {
		if (!strcmp(et[i], "*") || is_pointer(et, en, i))
			continue;
		if (strcmp(at[i], et[i]))
			return false;
	}
	return true;
}

static void release(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int compare(const struct lines *act, const struct lines *exp)
{
	size_t i;

	for (i = 0; i < act->n && i < exp->n; i++) {
		if (!same_line(act->v[i], exp->v[i])) {
			printf("line %zu differs:\n  expected: %s\n  actual:   %s\n",
			       i + 1, exp->v[i], act->v[i]);
			return 1;
		}
	}
	if (act->n != exp->n) {
		printf("%zu lines expected, %zu produced\n", exp->n, act->n);
		if (i < exp->n)
			printf("  first missing: %s\n", exp->v[i]);
		else
			printf("  first extra: %s\n", act->v[i]);
		return 1;
	}
	printf("%zu lines match\n", exp->n);
	return 0;
}

int main(int argc, char **argv)
{
	bool attested = false;
	struct lines act, exp;
	int arg = 1, ret;

	if (argc > 1 && !strcmp(argv[1], "--attested")) {
		attested = true;
		arg++;
	}
	if (argc - arg != 2) {
		fprintf(stderr, "usage: %s [--attested] ACTUAL EXPECTED\n",
			argv[0]);
		return 2;
	}
	if (load(argv[arg], true, attested, &act) ||
	    load(argv[arg + 1], false, false, &exp))
		return 2;
	ret = compare(&act, &exp);
	release(&act);
	release(&exp);
	return ret;
}
