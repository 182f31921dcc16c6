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

/** Version of the stream format spirq writes (and the newest it reads). */
#define SPIRQ_STREAM_VERSION 1

/**
 * spirq_save - write the migration stream of a machine
 * @m:    the machine
 * @buf:  destination buffer, or NULL to learn the size only
 * @size: size of @buf
 * @used: receives the size of the stream (also when @buf is too small)
 *
 * The stream is deterministic: the same state always gives the same bytes.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_NOSPACE when @buf is NULL or smaller than *@used
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
 * The whole stream is parsed and validated against the destination
 * (integrity, sizes, vCPU ids and indexes, queue addresses inside guest
 * RAM, every field's range) before anything changes: on any error the
 * machine is exactly as it was.  On success the machine is the one that
 * was saved: the active controller follows the negotiated mode of the
 * stream and every vCPU's interrupt line follows its presenter (an XICS
 * XISR presented, a XIVE exception pending); the host is told about the
 * lines that changed.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_STREAM for a malformed, truncated or corrupt stream
 *	-SPIRQ_ERR_INCOMPAT for a well-formed stream the destination cannot
 *		take (interrupt capabilities, machine type, topology, sizes,
 *		guest RAM)
 *	-SPIRQ_ERR_NOMEM when out of memory (the machine is unchanged)
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
 * configurations: the same machine type, interrupt capabilities (seed 003),
 * the same vCPU topology (maxcpus, threads, vsmt: the vCPU ids and the
 * table sizes follow from them) and the same guest RAM size.
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
