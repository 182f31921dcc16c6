/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Line printer for "info pic": formats lines and hands them, one by one, to
 * the embedder's callback.
 */
#ifndef SPIRQ_COMMON_PRINTER_H
#define SPIRQ_COMMON_PRINTER_H

#include <spirq/machine.h>

struct spirq_printer {
	spirq_print_fn fn;
	void *opaque;
};

/* Format one line (no newline) and emit it. */
void pr_line(struct spirq_printer *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* SPIRQ_COMMON_PRINTER_H */
