// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conformance: for every configuration QEMU 7.2 was run with (dtb/), the
 * tree spirq_fdt_create() builds holds, property by property, the values
 * QEMU put in the properties spirq owns:
 *
 *   /interrupt-controller[@60302031b0000]   (every property)
 *   /ibm,plat-res-int-priorities
 *   /chosen/ibm,arch-vec-5-platform-support
 *   /rtas/ibm,set-xive, ibm,get-xive, ibm,int-off, ibm,int-on
 *   /cpus/<cpu>/reg, ibm,ppc-interrupt-server#s, ibm,ppc-interrupt-gserver#s
 *
 * -- nothing missing, nothing extra -- except the seed-000 change
 * (>= pseries-6.0 with vsmt != threads: ibm,xive-lisn-ranges is
 * <0 max_cpus>).  Values are printed as "dtc -s -I dtb -O dts" prints
 * them, which is the form of QEMU's extracts.  Configurations QEMU refused
 * are refused with QEMU's message.
 *
 * Every tree built (reset-time, and after each CAS the machine accepts)
 * passes fdt_check_full().  After a XIVE CAS, a dual machine's tree has
 * the XIVE node QEMU gives the same configuration in ic-mode=xive.
 *
 * usage: test-dtb-tree DTB-DIR
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <spirq/spirq.h>

#include "dtb-data.h"

#define TREE_SIZE (1 << 20)
#define LISN_PROP SPIRQ_FDT_XIVE_PATH "/ibm,xive-lisn-ranges"

static int failures;
static unsigned checked_props;

struct tree_props {
	size_t n;
	struct dtb_prop props[DTB_MAX_PROPS];
};

static void fail(const char *id, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(const char *id, const char *fmt, ...)
{
	va_list ap;

	printf("not ok: %s: ", id);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures++;
}

/* ---- the properties spirq owns ------------------------------------------ */

static bool owned(const char *path)
{
	static const char *const exact[] = {
		"/ibm,plat-res-int-priorities",
		"/chosen/ibm,arch-vec-5-platform-support",
		"/rtas/ibm,set-xive", "/rtas/ibm,get-xive",
		"/rtas/ibm,int-off", "/rtas/ibm,int-on",
	};
	const char *slash;
	size_t i;

	for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (!strcmp(path, exact[i]))
			return true;
	if (!strncmp(path, SPIRQ_FDT_XICS_PATH "/",
		     strlen(SPIRQ_FDT_XICS_PATH "/")) ||
	    !strncmp(path, SPIRQ_FDT_XIVE_PATH "/",
		     strlen(SPIRQ_FDT_XIVE_PATH "/")))
		return true;
	if (strncmp(path, "/cpus/", 6))
		return false;
	slash = strchr(path + 6, '/');
	if (!slash || strchr(slash + 1, '/'))
		return false;
	return !strcmp(slash + 1, "reg") ||
	       !strcmp(slash + 1, "ibm,ppc-interrupt-server#s") ||
	       !strcmp(slash + 1, "ibm,ppc-interrupt-gserver#s");
}

/* ---- values as dtc prints them ------------------------------------------ */

static void append(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
}

static bool is_string_char(char c)
{
	return isprint((unsigned char)c) || c == '\0' ||
	       strchr("\a\b\t\n\v\f\r", c);
}

static void format_value(const unsigned char *v, int len, char *buf,
			 size_t size)
{
	int i, nul = 0, notstring = 0;

	buf[0] = '\0';
	for (i = 0; i < len; i++) {
		if (!is_string_char((char)v[i]))
			notstring++;
		if (!v[i])
			nul++;
	}
	if (!v[len - 1] && !notstring && nul <= len - nul) {
		append(buf, size, "\"");
		for (i = 0; i + 1 < len; i++) {
			if (!v[i])
				append(buf, size, "\\0");
			else if (v[i] == '"' || v[i] == '\\')
				append(buf, size, "\\%c", v[i]);
			else if (isprint(v[i]))
				append(buf, size, "%c", v[i]);
			else
				append(buf, size, "\\x%02x", v[i]);
		}
		append(buf, size, "\"");
	} else if (len % 4 == 0) {
		append(buf, size, "<");
		for (i = 0; i < len; i += 4)
			append(buf, size, "%s0x%02x", i ? " " : "",
			       (unsigned)v[i] << 24 | (unsigned)v[i + 1] << 16 |
			       (unsigned)v[i + 2] << 8 | v[i + 3]);
		append(buf, size, ">");
	} else {
		append(buf, size, "[");
		for (i = 0; i < len; i++)
			append(buf, size, "%s%02x", i ? " " : "", v[i]);
		append(buf, size, "]");
	}
}

/* Flatten the owned properties of the tree under @node ("" = root). */
static int flatten(const void *fdt, int node, const char *path,
		   struct tree_props *t)
{
	char sub[sizeof(t->props[0].path)];
	int prop, child;

	fdt_for_each_property_offset(prop, fdt, node) {
		const char *name;
		int len;
		const void *v = fdt_getprop_by_offset(fdt, prop, &name, &len);
		struct dtb_prop *p;

		if (!v)
			return -1;
		snprintf(sub, sizeof(sub), "%s/%s", path, name);
		if (!owned(sub))
			continue;
		if (t->n >= DTB_MAX_PROPS)
			return -1;
		p = &t->props[t->n++];
		snprintf(p->path, sizeof(p->path), "%s", sub);
		p->has_value = len > 0;
		p->value[0] = '\0';
		if (len > 0)
			format_value(v, len, p->value, sizeof(p->value));
	}
	fdt_for_each_subnode(child, fdt, node) {
		snprintf(sub, sizeof(sub), "%s/%s", path,
			 fdt_get_name(fdt, child, NULL));
		if (flatten(fdt, child, sub, t))
			return -1;
	}
	return 0;
}

static const struct dtb_prop *find(const struct dtb_prop *props, size_t n,
				   const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(props[i].path, path))
			return &props[i];
	return NULL;
}

/* ---- trees -------------------------------------------------------------- */

static void *build_tree(const char *id, spirq_machine *m, unsigned flags)
{
	void *fdt = malloc(TREE_SIZE);
	int ret;

	if (!fdt) {
		fail(id, "out of memory");
		return NULL;
	}
	ret = spirq_fdt_create(m, fdt, TREE_SIZE, flags);
	if (ret) {
		fail(id, "spirq_fdt_create: %s", spirq_strerror(ret));
		free(fdt);
		return NULL;
	}
	ret = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (ret) {
		fail(id, "fdt_check_full: %s", fdt_strerror(ret));
		free(fdt);
		return NULL;
	}
	return fdt;
}

/* QEMU's expected value of a property, seed 000 applied. */
static const char *expected_value(const spirq_config *cfg,
				  const struct dtb_prop *q, char *buf,
				  size_t size)
{
	if (!strcmp(q->path, LISN_PROP) && cfg->xive_by_max_cpus &&
	    cfg->vsmt != cfg->threads) {
		snprintf(buf, size, "<0x00 0x%02x>", cfg->max_cpus);
		return buf;
	}
	return q->value;
}

/* Compare spirq's owned properties with QEMU's, both ways. */
static void compare(const char *id, const spirq_config *cfg,
		    const struct tree_props *t, const struct dtb_case *q)
{
	char buf[64];
	size_t i;

	for (i = 0; i < q->nprops; i++) {
		const struct dtb_prop *qp = &q->props[i];
		const struct dtb_prop *sp;
		const char *want;

		if (!owned(qp->path))
			continue;
		checked_props++;
		sp = find(t->props, t->n, qp->path);
		if (!sp) {
			fail(id, "%s missing", qp->path);
			continue;
		}
		want = expected_value(cfg, qp, buf, sizeof(buf));
		if (sp->has_value != qp->has_value || strcmp(sp->value, want))
			fail(id, "%s = %s, want %s%s", qp->path, sp->value,
			     want, want == buf ? " (QEMU's, seed 000 applied)" :
						 "");
	}
	for (i = 0; i < t->n; i++)
		if (!find(q->props, q->nprops, t->props[i].path))
			fail(id, "%s = %s: QEMU has no such property",
			     t->props[i].path, t->props[i].value);
}

/* Exact name: libfdt's path lookup of "/interrupt-controller" would also
 * find "/interrupt-controller@60302031b0000". */
static bool has_node(const void *fdt, const char *path)
{
	int node;

	fdt_for_each_subnode(node, fdt, 0)
		if (!strcmp(fdt_get_name(fdt, node, NULL), path + 1))
			return true;
	return false;
}

static bool in_xive_part(const char *path)
{
	return !strncmp(path, SPIRQ_FDT_XIVE_PATH "/",
			strlen(SPIRQ_FDT_XIVE_PATH "/")) ||
	       !strcmp(path, "/ibm,plat-res-int-priorities");
}

/* Keep only the XIVE node and the root's priorities. */
static void keep_xive_part(struct dtb_prop *props, size_t *n)
{
	size_t i, k = 0;

	for (i = 0; i < *n; i++)
		if (in_xive_part(props[i].path))
			props[k++] = props[i];
	*n = k;
}

/*
 * A dual machine after a XIVE CAS: its XIVE node is the one QEMU gives
 * the same configuration in ic-mode=xive, when that one was recorded.
 */
static void compare_with_xive_case(const char *dir, const struct dtb_case *c,
				   const spirq_config *cfg, const void *fdt)
{
	static struct dtb_case x;
	static struct tree_props t;
	char id[sizeof(c->id)], *p;
	unsigned idx;
	int r;

	snprintf(id, sizeof(id), "%s", c->id);
	p = strstr(id, "_ic-dual_");
	if (!p)
		return;
	memcpy(p, "_ic-xive_", 9);
	for (idx = 0; (r = dtb_case_load(dir, idx, &x)) == 1; idx++)
		if (!strcmp(x.id, id))
			break;
	if (r != 1 || x.rc != 0)
		return;
	memset(&t, 0, sizeof(t));
	if (flatten(fdt, 0, "", &t)) {
		fail(c->id, "cannot walk the tree after CAS");
		return;
	}
	keep_xive_part(t.props, &t.n);
	keep_xive_part(x.props, &x.nprops);
	compare(c->id, cfg, &t, &x);
}

/* The trees after each CAS: right node, no platform support. */
static void check_after_cas(const char *dir, const struct dtb_case *c,
			    const spirq_config *cfg, spirq_machine *m)
{
	static const uint8_t modes[2] = { 0x00, 0x40 };
	spirq_error err;
	unsigned i;
	void *fdt;

	for (i = 0; i < 2; i++) {
		bool xive = modes[i] == 0x40;
		bool ok = xive ? cfg->cap_xive : cfg->cap_xics;
		int ret = spirq_cas(m, modes[i], NULL, &err);

		if (!ok) {
			if (ret != -SPIRQ_ERR_CAS)
				fail(c->id, "CAS %#x accepted without %s",
				     modes[i], xive ? "XIVE" : "XICS");
			continue;
		}
		if (ret) {
			fail(c->id, "CAS %#x refused: %s", modes[i],
			     err.message);
			continue;
		}
		fdt = build_tree(c->id, m, SPIRQ_FDT_AFTER_CAS);
		if (!fdt)
			continue;
		if (!has_node(fdt, xive ? SPIRQ_FDT_XIVE_PATH :
					  SPIRQ_FDT_XICS_PATH) ||
		    has_node(fdt, xive ? SPIRQ_FDT_XICS_PATH :
					 SPIRQ_FDT_XIVE_PATH))
			fail(c->id, "after CAS %#x: wrong controller node",
			     modes[i]);
		if (fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"),
				"ibm,arch-vec-5-platform-support", NULL))
			fail(c->id, "after CAS: platform support present");
		if (xive)
			compare_with_xive_case(dir, c, cfg, fdt);
		free(fdt);
	}
}

static void check_case(const char *dir, const struct dtb_case *c)
{
	static struct tree_props t;
	int before = failures;
	spirq_config cfg;
	spirq_machine *m;
	spirq_error err;
	void *fdt;
	int ret = spirq_config_from_args(c->argc, c->argv, &cfg, &err);

	if (c->rc != 0) {
		if (ret >= 0)
			fail(c->id, "QEMU refused (%s), spirq accepted",
			     c->refusal);
		else if (strcmp(err.message, c->refusal))
			fail(c->id, "message \"%s\", QEMU's \"%s\"",
			     err.message, c->refusal);
		else
			printf("ok: %s (refused)\n", c->id);
		return;
	}
	if (ret) {
		fail(c->id, "refused: %s", err.message);
		return;
	}
	if (spirq_machine_create(&cfg, NULL, &m, &err)) {
		fail(c->id, "spirq_machine_create: %s", err.message);
		return;
	}
	fdt = build_tree(c->id, m, 0);
	if (fdt) {
		memset(&t, 0, sizeof(t));
		if (flatten(fdt, 0, "", &t))
			fail(c->id, "cannot walk the tree");
		else
			compare(c->id, &cfg, &t, c);
		free(fdt);
	}
	check_after_cas(dir, c, &cfg, m);
	spirq_machine_destroy(m);
	if (failures == before)
		printf("ok: %s\n", c->id);
}

int main(int argc, char **argv)
{
	static struct dtb_case c;
	unsigned index;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DTB-DIR\n", argv[0]);
		return 2;
	}
	for (index = 0; (ret = dtb_case_load(argv[1], index, &c)) == 1;
	     index++)
		check_case(argv[1], &c);
	if (ret < 0 || index == 0) {
		printf("cannot read the cases\n");
		return 1;
	}
	printf("%u cases, %u QEMU properties compared, %d failed\n", index,
	       checked_props, failures);
	return failures ? 1 : 0;
}
