/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirq - migration of the interrupt subsystem
 *
 * spirq_save() writes the whole state of a machine's interrupt subsystem
 * as a versioned, self-describing, integrity-checked stream (format:
 * docs/migration-format.md); spirq_restore() loads one into a machine
 * started with a compatible configuration.  Streams are big-endian: big-
 * and little-endian hosts read each other's.
 *
 * Compatibility (seed 003): the destination must offer every interrupt
 * controller the source offered (cap-xics, cap-xive); xics -> xics,
 * xics -> dual, xive -> xive, xive -> dual and dual -> dual are accepted,
 * the others refused with "cap-%s higher level (%d) in incoming stream
 * than on destination (%d)".  Streams of machine types older than
 * pseries-4.2 carry no configuration record, as history had it; the
 * destination then infers the source's controllers from the sections the
 * stream holds, never from its own defaults.
 *
 * The stream also records the CPU model and the compat mode the vCPUs run
 * in (QEMU refuses a destination CPU that cannot run it), and the sources
 * claimed, which must be those the destination's devices claimed.
 */
#ifndef SPIRQ_MIGRATION_H
#define SPIRQ_MIGRATION_H

#include <stddef.h>
#include <stdint.h>

#include <spirq/export.h>
#include <spirq/config.h>
#include <spirq/error.h>
#include <spirq/machine.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Version of the stream format spirq writes (and the newest it reads; it
 * reads every version from 1). */
#define SPIRQ_STREAM_VERSION 2

/**
 * spirq_save - write the migration stream of a machine
 * @m:    the machine
 * @buf:  destination buffer, or NULL to learn the size only
 * @size: size of @buf
 * @used: receives the size of the stream, also when @buf is too small
 *        (may be NULL when the caller does not need it)
 *
 * The stream is deterministic: the same state always gives the same bytes.
 * To size the buffer, call it first with @buf NULL and @size 0.  When @buf
 * is too small, its first @size bytes are overwritten with a prefix of
 * the stream, which is not a stream.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_NOSPACE when @buf is NULL or smaller than the stream
 *		(whatever @used is)
 *	-SPIRQ_ERR_KERNEL when the in-kernel backend cannot read the
 *		kernel device's state (nothing written, *@used 0)
 *	-SPIRQ_ERR_STATE when called from a host callback of @m (see
 *		<spirq/machine.h>); *@used is then 0
 */
SPIRQ_API int spirq_save(spirq_machine *m, void *buf, size_t size,
			 size_t *used);

/**
 * spirq_restore - load a migration stream into a machine
 * @m:   the destination machine, already created
 * @buf: the stream
 * @len: its length
 * @err: receives what is wrong and where (may be NULL)
 *
 * The integrity (CRC-32) is checked first: a damaged stream is reported
 * as such ("integrity check failed (CRC-32 mismatch)").  The whole stream
 * is then parsed and validated against the destination (the CPU, sizes,
 * vCPU ids and indexes, device claims, queue addresses inside guest RAM,
 * every field's range) before anything changes: on any error the machine
 * is exactly as it was.
 *
 * The CPU: the destination's CPU must be able to run the compat mode the
 * stream's vCPUs run in ("Compatibility PVR 0x0f000005 not valid for
 * CPU"), or be the same model when they run in raw mode.  Streams of
 * format version 1 carry no CPU record and are taken without this check.
 *
 * The claims: the destination's devices have claimed their sources; each
 * must be claimed in the stream with the same type, and the stream may
 * claim more only for the guest's MSIs (inside its allocated MSI blocks;
 * on legacy machine types, any MSI).  A mismatch is refused, naming the
 * source ("IRQ 0x1200 is claimed as LSI on the destination but MSI in
 * the stream").  On success the machine is the one that
 * was saved: the active controller follows the negotiated mode of the
 * stream and every vCPU's interrupt line follows its presenter (an XICS
 * XISR presented, a XIVE exception pending); the host is told about the
 * lines that changed.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_STREAM for a malformed, truncated or corrupt stream
 *	-SPIRQ_ERR_INCOMPAT for a well-formed stream the destination cannot
 *		take (machine type, CPU compat mode, interrupt capabilities,
 *		topology, sizes, guest RAM, device claims), or of a format
 *		version this library does not read
 *	-SPIRQ_ERR_NOMEM when out of memory (the machine is unchanged)
 *	-SPIRQ_ERR_KERNEL when the in-kernel device refuses the loaded
 *		state (a VP state, a source, a queue): the machine, and as
 *		far as it takes it the kernel, get their state back
 *	-SPIRQ_ERR_STATE when called from a host callback of @m (see
 *		<spirq/machine.h>); nothing is changed
 */
SPIRQ_API int spirq_restore(spirq_machine *m, const void *buf, size_t len,
			    spirq_error *err);

/**
 * spirq_migration_check - can a VM started with @src migrate to @dst?
 * @src: the source configuration
 * @dst: the destination configuration
 * @err: receives the reason when it cannot (may be NULL)
 *
 * Checks, without a stream, what spirq_restore() would check of the
 * configurations: the same machine type, a destination CPU able to run
 * the compat mode of a booted guest (the highest @src's CPU and
 * max-cpu-compat allow: "Compatibility PVR 0x%08x not valid for CPU"),
 * interrupt capabilities (seed 003), the same vCPU topology (maxcpus,
 * threads, vsmt: the vCPU ids and the table sizes follow from them) and
 * the same guest RAM size.  Device claims are not part of a
 * configuration: spirq_restore() checks them.
 *
 * returns:
 *	0 when the migration is possible
 *	-SPIRQ_ERR_INCOMPAT when it is not
 */
SPIRQ_API int spirq_migration_check(const spirq_config *src,
				    const spirq_config *dst,
				    spirq_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SPIRQ_MIGRATION_H */
