// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * XICS hcalls and RTAS calls, with QEMU 7.2's argument handling.
 *
 * Argument widths are QEMU's: H_CPPR and H_IPI take the low 8 bits of
 * their priority, H_EOI the low 32 bits of its XIRR, H_IPI and H_IPOLL
 * the low 32 bits of the server (a signed int in QEMU, so 0xffffffff is
 * server -1 and 0x100000001 is server 1).  RTAS arguments are 32-bit
 * cells.
 *
 * All of them are refused (H_HARDWARE, RTAS -1) once the guest negotiated
 * XIVE at CAS.  QEMU's H_XIRR and H_XIRR_X accept the interrupt before
 * that check, mutating the inactive ICP; spirq's refused calls change
 * nothing (deliberate difference D5).
 */
#include "xics/xics-internal.h"

/*
 * QEMU only reaches its XICS handlers when XICS is emulated and active;
 * once XIVE is negotiated they answer an error (and QEMU prints
 * "pseries: <handler> must only be called for emulated XICS").
 */
static bool xics_usable(spirq_machine *m, const char *func)
{
	if (!spapr_xive_negotiated(m))
		return true;
	spapr_guest_error(m, GE_XICS,
			  "pseries: %s must only be called for emulated XICS",
			  func);
	return false;
}

static struct icp *server_icp(spirq_machine *m, uint64_t server)
{
	/* QEMU passes the register as an int: keep the low 32 bits */
	int cpu = spapr_cpu_by_server(m, (uint32_t)server);

	return cpu < 0 ? NULL : m->vcpus[cpu].icp;
}

/*
 * Parameters: Input: R4 "cppr"
 */
static int64_t h_cppr(spirq_machine *m, unsigned cpu, const uint64_t *args)
{
	if (!xics_usable(m, "h_cppr"))
		return SPIRQ_H_HARDWARE;
	icp_set_cppr(m, m->vcpus[cpu].icp, (uint8_t)args[0]);
	return SPIRQ_H_SUCCESS;
}

/*
 * Parameters: Input: R4 "server", R5 "mfrr"
 */
static int64_t h_ipi(spirq_machine *m, const uint64_t *args)
{
	struct icp *icp;

	if (!xics_usable(m, "h_ipi"))
		return SPIRQ_H_HARDWARE;
	icp = server_icp(m, args[0]);
	if (!icp)
		return SPIRQ_H_PARAMETER;
	icp_set_mfrr(m, icp, (uint8_t)args[1]);
	return SPIRQ_H_SUCCESS;
}

/*
 * Parameters: Output: R4 "xirr" (H_XIRR_X: R5 "timebase")
 */
static int64_t h_xirr(spirq_machine *m, unsigned cpu, bool with_tb,
		      uint64_t *rets, unsigned *nrets)
{
	if (!xics_usable(m, with_tb ? "h_xirr_x" : "h_xirr"))
		return SPIRQ_H_HARDWARE;
	rets[0] = icp_accept(m, m->vcpus[cpu].icp);
	*nrets = 1;
	if (with_tb) {
		rets[1] = spapr_timebase(m, cpu);
		*nrets = 2;
	}
	return SPIRQ_H_SUCCESS;
}

/*
 * Parameters: Input: R4 "xirr"
 */
static int64_t h_eoi(spirq_machine *m, unsigned cpu, const uint64_t *args)
{
	if (!xics_usable(m, "h_eoi"))
		return SPIRQ_H_HARDWARE;
	icp_eoi(m, m->vcpus[cpu].icp, (uint32_t)args[0]);
	return SPIRQ_H_SUCCESS;
}

/*
 * Parameters: Input: R4 "server"; Output: R4 "xirr", R5 "mfrr"
 */
static int64_t h_ipoll(spirq_machine *m, const uint64_t *args,
		       uint64_t *rets, unsigned *nrets)
{
	struct icp *icp;

	if (!xics_usable(m, "h_ipoll"))
		return SPIRQ_H_HARDWARE;
	icp = server_icp(m, args[0]);
	if (!icp)
		return SPIRQ_H_PARAMETER;
	rets[0] = icp->xirr;
	rets[1] = icp->mfrr;
	*nrets = 2;
	return SPIRQ_H_SUCCESS;
}

int64_t xics_hcall(spirq_machine *m, unsigned cpu, uint64_t opcode,
		   const uint64_t *args, uint64_t *rets, unsigned *nrets)
{
	*nrets = 0;
	switch (opcode) {
	case SPIRQ_H_CPPR:
		return h_cppr(m, cpu, args);
	case SPIRQ_H_IPI:
		return h_ipi(m, args);
	case SPIRQ_H_XIRR:
		return h_xirr(m, cpu, false, rets, nrets);
	case SPIRQ_H_XIRR_X:
		return h_xirr(m, cpu, true, rets, nrets);
	case SPIRQ_H_EOI:
		return h_eoi(m, cpu, args);
	case SPIRQ_H_IPOLL:
		return h_ipoll(m, args, rets, nrets);
	}
	return SPIRQ_H_FUNCTION;
}

/* ---- RTAS ---------------------------------------------------------------- */

/*
 * Check order (QEMU): XICS usable, else -1; argument and return counts,
 * else -3; an ICS exists, else -1; then the arguments, else -3.
 */
static bool rtas_prologue(spirq_machine *m, const char *func, uint32_t nargs,
			  uint32_t want_nargs, uint32_t nret,
			  uint32_t want_nret, uint32_t *rets)
{
	if (!xics_usable(m, func)) {
		rets[0] = (uint32_t)SPIRQ_RTAS_OUT_HW_ERROR;
		return false;
	}
	if (nargs != want_nargs || nret != want_nret) {
		rets[0] = (uint32_t)SPIRQ_RTAS_OUT_PARAM_ERROR;
		return false;
	}
	return true;
}

/* ibm,set-xive (irq, server, priority) -> status */
static void rtas_set_xive(spirq_machine *m, uint32_t nargs,
			  const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	uint32_t irq, server, priority;

	if (!rtas_prologue(m, "rtas_set_xive", nargs, 3, nret, 1, rets))
		return;
	irq = args[0];
	server = args[1];
	priority = args[2];
	if (!ics_valid_irq(m->ics, irq) || !server_icp(m, server) ||
	    priority > 0xff) {
		rets[0] = (uint32_t)SPIRQ_RTAS_OUT_PARAM_ERROR;
		return;
	}
	ics_write_xive(m, irq - m->ics->offset, server, (uint8_t)priority,
		       (uint8_t)priority);
	rets[0] = SPIRQ_RTAS_OUT_SUCCESS;
}

/* ibm,get-xive (irq) -> status, server, priority */
static void rtas_get_xive(spirq_machine *m, uint32_t nargs,
			  const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	const struct ics_irq *irq;

	if (!rtas_prologue(m, "rtas_get_xive", nargs, 1, nret, 3, rets))
		return;
	if (!ics_valid_irq(m->ics, args[0])) {
		rets[0] = (uint32_t)SPIRQ_RTAS_OUT_PARAM_ERROR;
		return;
	}
	irq = &m->ics->irqs[args[0] - m->ics->offset];
	rets[0] = SPIRQ_RTAS_OUT_SUCCESS;
	rets[1] = irq->server;
	rets[2] = irq->priority;
}

/* ibm,int-off (irq) / ibm,int-on (irq) -> status */
static void rtas_int_onoff(spirq_machine *m, bool on, uint32_t nargs,
			   const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	const struct ics_irq *irq;
	uint32_t srcno;

	if (!rtas_prologue(m, on ? "rtas_int_on" : "rtas_int_off", nargs, 1,
			   nret, 1, rets))
		return;
	if (!ics_valid_irq(m->ics, args[0])) {
		rets[0] = (uint32_t)SPIRQ_RTAS_OUT_PARAM_ERROR;
		return;
	}
	srcno = args[0] - m->ics->offset;
	irq = &m->ics->irqs[srcno];
	if (on)
		ics_write_xive(m, srcno, irq->server, irq->saved_priority,
			       irq->saved_priority);
	else
		ics_write_xive(m, srcno, irq->server, 0xff, irq->priority);
	rets[0] = SPIRQ_RTAS_OUT_SUCCESS;
}

void xics_rtas(spirq_machine *m, uint32_t token, uint32_t nargs,
	       const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	switch (token) {
	case SPIRQ_RTAS_SET_XIVE:
		rtas_set_xive(m, nargs, args, nret, rets);
		break;
	case SPIRQ_RTAS_GET_XIVE:
		rtas_get_xive(m, nargs, args, nret, rets);
		break;
	case SPIRQ_RTAS_INT_OFF:
		rtas_int_onoff(m, false, nargs, args, nret, rets);
		break;
	case SPIRQ_RTAS_INT_ON:
		rtas_int_onoff(m, true, nargs, args, nret, rets);
		break;
	}
}
