// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Client-architecture-support: the guest's choice of interrupt mode,
 * option vector 5 byte 23.
 *
 *   byte 23   meaning                       platform offers it when
 *   0x00      legacy XICS                   XICS present
 *   0x40      XIVE exploitation             XIVE present
 *   0x80      "either": platform only       (a guest setting it is wrong)
 *
 * The negotiated byte is the guest's, restricted to what the platform
 * offers (XIVE bit only when XIVE is present).  dual switches the active
 * controller in place, both ways, keeping the inactive one's state.
 *
 * The CPU compat mode is negotiated in the same call (QEMU's
 * cas_check_pvr()): the guest lists the logical PVRs it supports and gets
 * the highest one the CPU and max-cpu-compat allow.  spirq is not given
 * that list and takes the highest mode allowed, which is what a Linux
 * guest that knows the CPU negotiates; the migration stream records it.
 *
 * QEMU exits when the guest asks for a mode the machine does not have;
 * spirq answers an error to the caller and changes nothing, so the VMM
 * can stop the guest cleanly.
 */
#include "common/error-internal.h"
#include "spapr/irq-internal.h"

static int check_request(const spirq_machine *m, uint8_t byte23,
			 spirq_error *err)
{
	if (byte23 & OV5_XIVE_BOTH)
		return spirq__error_set(err, SPIRQ_ERR_CAS,
			"guest requested an invalid interrupt mode");
	if ((byte23 & OV5_XIVE_EXPLOIT) && !m->xive)
		return spirq__error_set(err, SPIRQ_ERR_CAS,
			"Guest requested unavailable interrupt mode (XIVE), try the ic-mode=xive or ic-mode=dual machine property");
	if (!(byte23 & OV5_XIVE_EXPLOIT) && !m->ics)
		return spirq__error_set(err, SPIRQ_ERR_CAS,
			"Guest requested unavailable interrupt mode (XICS), either don't set the ic-mode machine property or try ic-mode=xics or ic-mode=dual");
	return 0;
}

int spirq_cas(spirq_machine *m, uint8_t byte23, spirq_ic_mode *chosen,
	      spirq_error *err)
{
	spirq_error local;
	int ret;

	spirq_error_clear(err);
	ret = spapr_lock(m, __func__, err);
	if (ret)
		return ret;
	ret = check_request(m, byte23, &local);
	if (ret) {
		spapr_guest_error(m, GE_CAS, "CAS refused: %s", local.message);
		if (err)
			*err = local;
	} else {
		m->ov5_cas = byte23 & (m->xive ? OV5_XIVE_EXPLOIT : 0);
		m->compat_pvr = spapr_compat_pvr(m->cfg.compat);
		spapr_irq_switch(m, spapr_irq_wanted(m));
		if (chosen)
			*chosen = spapr_xive_negotiated(m) ? SPIRQ_IC_MODE_XIVE :
							     SPIRQ_IC_MODE_XICS;
	}
	spapr_unlock(m);
	return ret;
}
