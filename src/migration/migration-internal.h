/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Migration internals shared by save, restore and the compatibility check.
 */
#ifndef SPIRQ_MIGRATION_INTERNAL_H
#define SPIRQ_MIGRATION_INTERNAL_H

#include "migration/stream.h"
#include "spapr/irq-internal.h"

/* Interrupt capabilities, as in the configuration record */
#define CAP_XICS	0x1
#define CAP_XIVE	0x2

/* Active controller, as in the MACHINE section */
enum { ACTIVE_NONE = 0, ACTIVE_XICS = 1, ACTIVE_XIVE = 2 };

/*
 * Machine types older than pseries-4.2 write no configuration record, as
 * QEMU's did not carry the interrupt caps (seed 003).
 */
static inline bool stream_has_config(const spirq_config *cfg)
{
	return cfg->version_major > 4 ||
	       (cfg->version_major == 4 && cfg->version_minor >= 2);
}

/* EAS word of a LISN in the reset state: claimed -> valid and masked. */
uint64_t eas_default(const spirq_machine *m, uint32_t lisn);

/* The 64 context bytes of a vCPU's thread context after a reset. */
void tctx_reset_image(const spirq_machine *m, unsigned cpu, uint8_t *regs);

/*
 * Seed 003: every capability the source offered must be offered by the
 * destination.  @src_caps/@dst_caps are CAP_* masks.
 * returns: 0, or -SPIRQ_ERR_INCOMPAT with QEMU's message.
 */
int check_caps(unsigned src_caps, unsigned dst_caps, spirq_error *err);

/*
 * Can a destination with a @dst_cpu CPU run the source's vCPUs: in the
 * compat mode @src_compat_pvr (a logical PVR) if the CPU can run it, in
 * raw mode (@src_compat_pvr 0) only if it is the same CPU model (QEMU's
 * cpu_post_load()).
 * returns: 0, or -SPIRQ_ERR_INCOMPAT with QEMU's message.
 */
int check_cpu_compat(spirq_cpu_model src_cpu, uint32_t src_compat_pvr,
		     spirq_cpu_model dst_cpu, spirq_error *err);

#endif /* SPIRQ_MIGRATION_INTERNAL_H */
