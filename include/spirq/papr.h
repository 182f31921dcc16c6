/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirq - PAPR constants of the interrupt subsystem: hcall numbers and
 * return codes, RTAS tokens and statuses, the sPAPR IRQ number space and
 * the XIVE MMIO layout.
 *
 * Flag bits of hcall arguments use PAPR's numbering of a 64-bit register:
 * "bit 63" is the least significant bit (0x1).
 */
#ifndef SPIRQ_PAPR_H
#define SPIRQ_PAPR_H

#include <stdint.h>

#include <spirq/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/* hcall return codes (r3) */
#define SPIRQ_H_SUCCESS		0
#define SPIRQ_H_HARDWARE	(-1)
#define SPIRQ_H_FUNCTION	(-2)
#define SPIRQ_H_PRIVILEGE	(-3)
#define SPIRQ_H_PARAMETER	(-4)
#define SPIRQ_H_P2		(-55)
#define SPIRQ_H_P3		(-56)
#define SPIRQ_H_P4		(-57)
#define SPIRQ_H_P5		(-58)

/* hcall numbers (r3 on entry) */
#define SPIRQ_H_EOI			0x64
#define SPIRQ_H_CPPR			0x68
#define SPIRQ_H_IPI			0x6c
#define SPIRQ_H_IPOLL			0x70
#define SPIRQ_H_XIRR			0x74
#define SPIRQ_H_XIRR_X			0x2fc
#define SPIRQ_H_INT_GET_SOURCE_INFO	0x3a8
#define SPIRQ_H_INT_SET_SOURCE_CONFIG	0x3ac
#define SPIRQ_H_INT_GET_SOURCE_CONFIG	0x3b0
#define SPIRQ_H_INT_GET_QUEUE_INFO	0x3b4
#define SPIRQ_H_INT_SET_QUEUE_CONFIG	0x3b8
#define SPIRQ_H_INT_GET_QUEUE_CONFIG	0x3bc
#define SPIRQ_H_INT_SET_OS_REPORTING_LINE 0x3c0
#define SPIRQ_H_INT_GET_OS_REPORTING_LINE 0x3c4
#define SPIRQ_H_INT_ESB			0x3c8
#define SPIRQ_H_INT_SYNC		0x3cc
#define SPIRQ_H_INT_RESET		0x3d0

/** Most input registers (r4 ...) an interrupt hcall reads. */
#define SPIRQ_HCALL_MAX_ARGS	9
/** Most output registers (r4 ...) an interrupt hcall writes. */
#define SPIRQ_HCALL_MAX_RETS	4

/* RTAS tokens QEMU 7.2 gives the XICS calls (device tree /rtas) */
#define SPIRQ_RTAS_SET_XIVE	0x200a
#define SPIRQ_RTAS_GET_XIVE	0x200b
#define SPIRQ_RTAS_INT_OFF	0x200c
#define SPIRQ_RTAS_INT_ON	0x200d

/* RTAS statuses */
#define SPIRQ_RTAS_OUT_SUCCESS		0
#define SPIRQ_RTAS_OUT_HW_ERROR		(-1)
#define SPIRQ_RTAS_OUT_PARAM_ERROR	(-3)

/* sPAPR IRQ number space */
#define SPIRQ_IRQ_IPI		0x0000	/* XIVE IPIs 0x0000 ... */
#define SPIRQ_XIRQ_BASE		0x1000	/* first external source */
#define SPIRQ_IRQ_EPOW		0x1000
#define SPIRQ_IRQ_HOTPLUG	0x1001
#define SPIRQ_IRQ_VIO		0x1100
#define SPIRQ_IRQ_PCI_LSI	0x1200
#define SPIRQ_IRQ_MSI		0x1300	/* dynamic MSIs 0x1300 .. 0x1fff */
#define SPIRQ_NR_XIRQS		0x1000
#define SPIRQ_NR_MSIS		(SPIRQ_XIRQ_BASE + SPIRQ_NR_XIRQS - SPIRQ_IRQ_MSI)

/* XIVE MMIO (guest physical addresses) */
#define SPIRQ_XIVE_VC_BASE	0x0006010000000000ull	/* source ESBs */
#define SPIRQ_XIVE_TM_BASE	0x0006030203180000ull	/* TIMA */
#define SPIRQ_XIVE_ESB_SHIFT	17	/* 2 x 64 KiB pages per source */
#define SPIRQ_XIVE_TM_PAGE_SHIFT 16	/* 4 TIMA pages: HW, HV, OS, USER */

/**
 * spirq_hcall_opcode - number of an interrupt hcall
 * @name: "H_CPPR" ... "H_INT_RESET"
 *
 * returns: the hcall number, or -1 for an unknown name
 */
SPIRQ_API int64_t spirq_hcall_opcode(const char *name);

/**
 * spirq_hcall_name - name of an interrupt hcall
 * @opcode: hcall number
 *
 * returns: "H_CPPR" ..., or NULL when spirq does not implement @opcode
 */
SPIRQ_API const char *spirq_hcall_name(uint64_t opcode);

/**
 * spirq_hcall_ret_name - symbolic name of an hcall return code
 * @ret: return code
 *
 * returns: "H_SUCCESS", "H_HARDWARE", ..., or NULL for other values
 */
SPIRQ_API const char *spirq_hcall_ret_name(int64_t ret);

/**
 * spirq_rtas_token - token of an interrupt RTAS call
 * @name: "ibm,set-xive", "ibm,get-xive", "ibm,int-off", "ibm,int-on"
 *
 * returns: the token, or 0 for an unknown name
 */
SPIRQ_API uint32_t spirq_rtas_token(const char *name);

/**
 * spirq_rtas_nret - architected number of return cells of an RTAS call
 * @token: a token from spirq_rtas_token()
 *
 * returns: 3 for ibm,get-xive, 1 for the others, 0 for unknown tokens
 */
SPIRQ_API unsigned spirq_rtas_nret(uint32_t token);

#ifdef __cplusplus
}
#endif

#endif /* SPIRQ_PAPR_H */
