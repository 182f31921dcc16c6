/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reader of the QEMU 7.2 device-tree data (dtb/manifest.tsv and the
 * flattened "/path/prop = value;" extracts in dtb/out/).
 */
#ifndef SPIRQ_TESTS_DTB_DATA_H
#define SPIRQ_TESTS_DTB_DATA_H

#include <stdbool.h>
#include <stddef.h>

#define DTB_MAX_ARGS 16
#define DTB_MAX_PROPS 256

struct dtb_prop {
	char path[160];		/* "/cpus/PowerPC,POWER9@8/reg" */
	char value[400];	/* "<0x08>", "\"IBM,ppc-xicp\"", "" (no value) */
	bool has_value;
};

struct dtb_case {
	char id[160];
	int rc;			/* QEMU's exit status */
	int argc;		/* QEMU arguments, -nographic dropped */
	const char *argv[DTB_MAX_ARGS];
	char argbuf[512];
	char refusal[400];	/* QEMU's message without its prefix */
	size_t nprops;
	struct dtb_prop props[DTB_MAX_PROPS];
};

/*
 * Load case number @index of the manifest under @dir (the dtb/ folder).
 * returns: 1 loaded, 0 past the end, -1 on error (message printed).
 */
int dtb_case_load(const char *dir, unsigned index, struct dtb_case *c);

/* The property at @path, or NULL. */
const struct dtb_prop *dtb_case_prop(const struct dtb_case *c,
				     const char *path);

/*
 * Parse a cell list "<0x00 0x20>" into @cells.
 * returns: number of cells, or -1 when @value is not a cell list.
 */
int dtb_parse_cells(const char *value, unsigned *cells, int max);

#endif /* SPIRQ_TESTS_DTB_DATA_H */
