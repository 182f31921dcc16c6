/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device-tree generation internals shared by src/fdt/ files.  Every
 * function here runs with the machine lock held.
 */
#ifndef SPIRQ_FDT_INTERNAL_H
#define SPIRQ_FDT_INTERNAL_H

#include <stdint.h>

#include <spirq/fdt.h>

#include "spapr/spapr-internal.h"

/* Translate a libfdt result: >= 0 -> 0, NOSPACE -> NOSPACE, else INVAL. */
int spirq__fdt_error(int fdt_err);

/*
 * Get a writable value of exactly @len bytes for property @name of @node:
 * the existing value when it has that size (in place, nothing moves),
 * else a new or resized property.
 */
int spirq__fdt_prop_buffer(void *fdt, int node, const char *name, int len,
			   void **val);

/* Number of entries of a cpu node's ibm,ppc-interrupt-server#s. */
unsigned spirq__fdt_cpu_servers(const spirq_config *cfg, unsigned flags);

/* Does the plugged vCPU @cpu get a cpu node? (thread 0 of its core) */
bool spirq__fdt_cpu_has_node(const spirq_machine *m, unsigned cpu);

/*
 * Sequential-write part of spirq_fdt_create(): /cpus with the cpu node
 * of every plugged thread-0 vCPU, in plug order, with spirq's properties.
 * returns: 0 or a libfdt error.
 */
int spirq__fdt_cpus_sw(spirq_machine *m, void *fdt, unsigned flags);

/*
 * Read-write part: create /cpus if missing (or complete its cells), set
 * spirq's properties in the existing nodes (one pass) and create the
 * missing ones, in reverse plug order so that they end up in plug order.
 * @seen is a zeroed bitmap of max_cpus bits.
 * returns: 0 or -SPIRQ_ERR_*.
 */
int spirq__fdt_cpus_rw(spirq_machine *m, void *fdt, unsigned flags,
		       uint64_t *seen);

/*
 * Check /cpus before anything changes: absent, or #address-cells <1> and
 * #size-cells <0> (each may be missing).
 * returns: 0 or -SPIRQ_ERR_INVAL.
 */
int spirq__fdt_cpus_check(const void *fdt);

#endif /* SPIRQ_FDT_INTERNAL_H */
