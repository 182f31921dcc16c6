/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirq - the interrupt part of the guest's device tree (libfdt)
 *
 * A pseries guest learns about its interrupt controllers from the device
 * tree (FDT) the VMM builds at machine reset and again as the answer to
 * client-architecture-support (CAS).  spirq writes the part it owns, as
 * QEMU 7.2's spapr_build_fdt() does:
 *
 *   /interrupt-controller                  XICS node (ic-mode=xics, or dual
 *                                          before CAS or after a XICS CAS)
 *   /interrupt-controller@60302031b0000    XIVE node (ic-mode=xive, or dual
 *                                          after a XIVE CAS), with the root's
 *                                          ibm,plat-res-int-priorities
 *   /cpus/PowerPC,<CPU>@<vCPU id hex>      reg, ibm,ppc-interrupt-server#s,
 *                                          ibm,ppc-interrupt-gserver#s of the
 *                                          plugged thread-0 vCPUs
 *   /chosen/ibm,arch-vec-5-platform-support
 *   /rtas/ibm,set-xive, ibm,get-xive, ibm,int-off, ibm,int-on  (with XICS)
 *
 * Both controller nodes carry phandle 0x1111 (SPIRQ_FDT_PHANDLE_INTC), the
 * value the embedder uses in interrupt-map and interrupt-parent.
 *
 * Not written by spirq: /chosen/ibm,architecture-vec-5.  QEMU writes the
 * whole negotiated option vector 5 there (memory, MMU, hot-plug and
 * interrupt bits), of which spirq knows only the interrupt byte 23 (the
 * byte spirq_cas() accepted); the embedder, which negotiates the rest,
 * writes it.  Nor the machine's other interrupt users: /vdevice,
 * /event-sources, PHB interrupt-map, "interrupts" of devices, the RTAS
 * MSI calls and ibm,hypertas-functions.
 *
 * One deliberate difference from QEMU 7.2 (seed 000): for machine types
 * from pseries-6.0 whose vsmt differs from the threads per core,
 * ibm,xive-lisn-ranges is <0 max_cpus> (the IPIs spirq claims) where QEMU
 * writes the vCPU-id bound.
 *
 * The functions follow libfdt's conventions: they work on a tree in a
 * caller-provided buffer, opened for writing (fdt_open_into() semantics:
 * version 17, blocks in the standard order, free space at the end), and
 * return 0 or a negative error code.
 */
#ifndef SPIRQ_FDT_H
#define SPIRQ_FDT_H

#include <spirq/export.h>
#include <spirq/machine.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Phandle of the interrupt controller node (QEMU's PHANDLE_INTC). */
#define SPIRQ_FDT_PHANDLE_INTC		0x1111u

/** Path of the XICS node. */
#define SPIRQ_FDT_XICS_PATH		"/interrupt-controller"

/** Path of the XIVE node: the unit address is the TIMA user page. */
#define SPIRQ_FDT_XIVE_PATH		"/interrupt-controller@60302031b0000"

/**
 * SPIRQ_FDT_AFTER_CAS - the tree answers the guest's CAS call
 *
 * QEMU rebuilds the whole tree after CAS.  With its default firmware,
 * SLOF, that tree has no /chosen/ibm,arch-vec-5-platform-support (an
 * existing one is removed), and the cpu nodes' server lists follow the
 * compat mode the guest negotiated (spirq assumes the highest the machine
 * allows, max-cpu-compat or the CPU model, as a Linux guest picks).
 * Without the flag the tree is the one built at machine reset.
 * The interrupt controller node is always the machine's current one.
 */
#define SPIRQ_FDT_AFTER_CAS		0x1u

/**
 * SPIRQ_FDT_VOF - the firmware is QEMU's built-in VOF (x-vof=on)
 *
 * With SPIRQ_FDT_AFTER_CAS: the CAS tree keeps
 * /chosen/ibm,arch-vec-5-platform-support, as QEMU builds it like the
 * reset-time tree when VOF is the firmware.  No effect otherwise.
 */
#define SPIRQ_FDT_VOF			0x2u

/**
 * spirq_fdt_populate - write the interrupt nodes and properties into a tree
 * @m:     the machine (its lock is taken)
 * @fdt:   a device tree opened for writing (e.g. with fdt_open_into()), in
 *         a buffer of fdt_totalsize(@fdt) bytes
 * @flags: 0 (the machine-reset tree) or SPIRQ_FDT_AFTER_CAS, optionally
 *         with SPIRQ_FDT_VOF
 *
 * Makes the interrupt part of @fdt match the machine's current state:
 * missing nodes are created (/cpus with #address-cells <1> and
 * #size-cells <0>, /chosen, /rtas, the controller node, the cpu nodes of
 * the plugged thread-0 vCPUs, in plug order when /cpus holds none yet),
 * spirq's properties are set (overwriting existing values, in place when
 * the size is unchanged), and what spirq owns but does not apply is
 * removed: the other controller's node, ibm,plat-res-int-priorities
 * without the XIVE node, the XICS RTAS tokens without XICS, the platform
 * support after CAS with SLOF.  Other nodes and properties are left alone;
 * spirq never removes a cpu node (the embedder removes those of unplugged
 * vCPUs).  Calling it again on the same tree changes nothing.
 *
 * The root must have #address-cells = <2> and #size-cells = <2> (as
 * every pseries tree); an existing /cpus must have #address-cells = <1>
 * and #size-cells = <0> or none (then they are added).
 *
 * Cost: the existing cpu nodes are found in one pass and updated in place
 * when their values have the right size; otherwise each property added
 * costs O(size of @fdt), as any libfdt update.  Creating cpu nodes costs
 * O(n^2) in their number (libfdt's node insertion): with thousands of
 * vCPUs, create them (the embedder adds its own properties to them
 * anyway) or use spirq_fdt_create().
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_NOSPACE when the buffer is too small; the tree is valid
 *		but may be partly updated: fdt_open_into() it into a larger
 *		buffer and call again, which completes the update
 *	-SPIRQ_ERR_INVAL when @m or @fdt is NULL, @flags has unknown bits,
 *		@fdt is not a valid tree opened for writing (bad magic,
 *		version below 17, truncated or misordered blocks), or the
 *		root or /cpus cell counts are not the ones above; nothing is
 *		changed
 *	-SPIRQ_ERR_BUSY when a node that is not a spirq controller node
 *		already has phandle (or linux,phandle) 0x1111; nothing is
 *		changed
 *	-SPIRQ_ERR_NOMEM when out of memory; nothing is changed
 *	-SPIRQ_ERR_STATE when called from a host callback of @m (see
 *		<spirq/machine.h>); nothing is changed
 */
SPIRQ_API int spirq_fdt_populate(spirq_machine *m, void *fdt,
				 unsigned flags);

/**
 * spirq_fdt_create - build a minimal standalone tree with the interrupt part
 * @m:       the machine (its lock is taken)
 * @buf:     receives the tree
 * @bufsize: size of @buf in bytes
 * @flags:   as for spirq_fdt_populate()
 *
 * The tree has a root with #address-cells = <2> and #size-cells = <2>,
 * /cpus (#address-cells = <1>, #size-cells = <0>), /chosen and /rtas, then
 * everything spirq_fdt_populate() writes.  It is packed:
 * fdt_totalsize(@buf) is its size.  This is what "spirq dt" prints.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_NOSPACE when @bufsize is too small (the contents of @buf
 *		are then undefined; retry with a larger buffer)
 *	-SPIRQ_ERR_INVAL when @m or @buf is NULL, @bufsize is negative or
 *		@flags has unknown bits
 *	-SPIRQ_ERR_NOMEM when out of memory
 *	-SPIRQ_ERR_STATE when called from a host callback of @m (see
 *		<spirq/machine.h>); nothing is changed
 */
SPIRQ_API int spirq_fdt_create(spirq_machine *m, void *buf, int bufsize,
			       unsigned flags);

#ifdef __cplusplus
}
#endif

#endif /* SPIRQ_FDT_H */
