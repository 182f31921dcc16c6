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

/*
 * Which numbers are which.  spirq_hcall(), spirq_rtas() and
 * spirq_mmio_load/store() take the calling vCPU as its cpu_index (dense,
 * 0 .. maxcpus-1, the VMM's own vCPU number).  Inside the guest's
 * registers and cells, vCPUs are named by vCPU id (the server number the
 * device tree gives, spirq_vcpu_id()):
 *
 *   H_IPI                    args[0] server          vCPU id
 *   H_INT_SET_SOURCE_CONFIG  args[2] target          vCPU id
 *   H_INT_GET_SOURCE_CONFIG  rets[0] target          vCPU id
 *   H_INT_GET_QUEUE_INFO,    args[1] target          vCPU id
 *   H_INT_SET_QUEUE_CONFIG,
 *   H_INT_GET_QUEUE_CONFIG
 *   ibm,set-xive             args[1] server          vCPU id
 *   ibm,get-xive             rets[1] server          vCPU id
 *
 * args[0] is r4, rets[0] is r4 on return; RTAS args[0] and rets[0] are
 * the first argument and the status cell.
 */

/* ---- XIVE MMIO: the two windows a VMM maps ------------------------------ */

/*
 * While XIVE is the active controller, the VMM forwards the guest's loads
 * and stores in these windows to spirq_mmio_load/store(), with the offset
 * from the window's base.  Both are mapped whole; spirq answers an access
 * it does not decode as the hardware does (all ones).
 */
#define SPIRQ_XIVE_VC_BASE	0x0006010000000000ull	/* source ESBs */
#define SPIRQ_XIVE_TM_BASE	0x0006030203180000ull	/* TIMA */
#define SPIRQ_XIVE_NR_SOURCES	0x2000	/* IPIs 0x0000.., external 0x1000.. */
#define SPIRQ_XIVE_ESB_SHIFT	17	/* 2 x 64 KiB pages per source */
#define SPIRQ_XIVE_ESB_PAGE_SHIFT 16	/* each of the two ESB pages */
#define SPIRQ_XIVE_TM_PAGE_SHIFT 16	/* 4 TIMA pages: HW, HV, OS, USER */
/** Size of the ESB window (SPIRQ_REGION_ESB at SPIRQ_XIVE_VC_BASE): 1 GiB */
#define SPIRQ_XIVE_ESB_WINDOW_SIZE \
	((uint64_t)SPIRQ_XIVE_NR_SOURCES << SPIRQ_XIVE_ESB_SHIFT)
/** Size of the TIMA window (SPIRQ_REGION_TIMA at SPIRQ_XIVE_TM_BASE): 256 KiB */
#define SPIRQ_XIVE_TM_WINDOW_SIZE (4ull << SPIRQ_XIVE_TM_PAGE_SHIFT)

/*
 * ESB pages of a source (offsets in the ESB window).  The even page
 * triggers on any store; the odd (management) page decodes the offset
 * inside it: a load at SPIRQ_XIVE_ESB_LOAD_EOI is an EOI (returns 1 when
 * it forwarded a new event), at SPIRQ_XIVE_ESB_GET it returns the PQ
 * bits, at SPIRQ_XIVE_ESB_SET_PQ_xx it sets them and returns the old ones.
 * ESB accesses are 8 bytes wide.
 */
#define SPIRQ_XIVE_ESB_TRIGGER_PAGE(lisn) \
	((uint64_t)(lisn) << SPIRQ_XIVE_ESB_SHIFT)
#define SPIRQ_XIVE_ESB_MGMT_PAGE(lisn) \
	(SPIRQ_XIVE_ESB_TRIGGER_PAGE(lisn) + (1ull << SPIRQ_XIVE_ESB_PAGE_SHIFT))
#define SPIRQ_XIVE_ESB_LOAD_EOI		0x000	/* load: EOI; store: trigger */
#define SPIRQ_XIVE_ESB_STORE_EOI	0x400	/* store: EOI (not offered) */
#define SPIRQ_XIVE_ESB_GET		0x800	/* load: PQ */
#define SPIRQ_XIVE_ESB_INJECT		0x800	/* store: forward unconditionally */
#define SPIRQ_XIVE_ESB_SET_PQ_00	0xc00	/* load/store: PQ = 00 (reset) */
#define SPIRQ_XIVE_ESB_SET_PQ_01	0xd00	/* PQ = 01 (off, masked) */
#define SPIRQ_XIVE_ESB_SET_PQ_10	0xe00	/* PQ = 10 (pending) */
#define SPIRQ_XIVE_ESB_SET_PQ_11	0xf00	/* PQ = 11 (queued) */
/* the PQ bits a load returns */
#define SPIRQ_XIVE_ESB_VAL_P		0x2
#define SPIRQ_XIVE_ESB_VAL_Q		0x1

/*
 * TIMA: four 64 KiB pages (offset bits 16-17), each a view of the
 * accessing vCPU's thread context; the guest uses the OS page.  In a
 * page, the context is four 16-byte rings; the OS ring holds the
 * registers below.  A guest sets its CPPR with a 1-byte store at
 * SPIRQ_TM_OS_PAGE + SPIRQ_TM_QW1_OS + SPIRQ_TM_CPPR and acknowledges
 * with a 2-byte load at SPIRQ_TM_OS_PAGE + SPIRQ_TM_SPC_ACK_OS_REG, which
 * returns (NSR << 8) | CPPR.
 */
#define SPIRQ_TM_PAGE_HW	0
#define SPIRQ_TM_PAGE_HV	1
#define SPIRQ_TM_PAGE_OS	2
#define SPIRQ_TM_PAGE_USER	3
#define SPIRQ_TM_OS_PAGE \
	((uint64_t)SPIRQ_TM_PAGE_OS << SPIRQ_XIVE_TM_PAGE_SHIFT)  /* 0x20000 */
/* rings (quad words) */
#define SPIRQ_TM_QW0_USER	0x00
#define SPIRQ_TM_QW1_OS		0x10
#define SPIRQ_TM_QW2_HV_POOL	0x20
#define SPIRQ_TM_QW3_HV_PHYS	0x30
/* byte offsets inside a ring */
#define SPIRQ_TM_NSR		0x0	/* notification source */
#define SPIRQ_TM_CPPR		0x1	/* current processor priority */
#define SPIRQ_TM_IPB		0x2	/* interrupt pending buffer */
#define SPIRQ_TM_LSMFB		0x3
#define SPIRQ_TM_ACK_CNT	0x4
#define SPIRQ_TM_INC		0x5
#define SPIRQ_TM_AGE		0x6
#define SPIRQ_TM_PIPR		0x7	/* pending interrupt priority */
#define SPIRQ_TM_WORD2		0x8
#define SPIRQ_TM_QW1_NSR_EO	0x80	/* NSR: OS exception pending */
/* special operations (offsets inside a page) */
#define SPIRQ_TM_SPC_ACK_OS_REG		0x810	/* load 2: acknowledge */
#define SPIRQ_TM_SPC_SET_OS_PENDING	0x812	/* store 1: set IPB bit */
#define SPIRQ_TM_SPC_PULL_OS_CTX	0x818	/* HV page */
#define SPIRQ_TM_SPC_PULL_POOL_CTX	0x828	/* HV page */
#define SPIRQ_TM_SPC_ACK_HV_REG		0x830	/* HV page */

/* ---- flags of the H_INT_* hcalls (PAPR bit 63 is 0x1) -------------------- */

/* H_INT_GET_SOURCE_INFO, rets[0] */
#define SPIRQ_XIVE_SRC_H_INT_ESB	0x8	/* drive the ESB with H_INT_ESB */
#define SPIRQ_XIVE_SRC_LSI		0x4	/* level-sensitive */
#define SPIRQ_XIVE_SRC_TRIGGER		0x2	/* one page: trigger = EOI page */
#define SPIRQ_XIVE_SRC_STORE_EOI	0x1	/* store EOI supported */
/* H_INT_SET_SOURCE_CONFIG, args[0] */
#define SPIRQ_XIVE_SRC_SET_EISN		0x2	/* set the EISN (args[4]) */
#define SPIRQ_XIVE_SRC_MASK		0x1	/* mask the source */
/* H_INT_SET_QUEUE_CONFIG args[0] and H_INT_GET_QUEUE_CONFIG rets[0] */
#define SPIRQ_XIVE_END_ALWAYS_NOTIFY	0x1
/* H_INT_GET_QUEUE_CONFIG, args[0]: also return the generation and index */
#define SPIRQ_XIVE_END_DEBUG		0x1
#define SPIRQ_XIVE_END_DEBUG_GEN_SHIFT	62	/* generation bit in rets[0] */
/* H_INT_ESB, args[0]: a store (else a load) */
#define SPIRQ_XIVE_ESB_STORE		0x1
/* priorities a guest may use: 0 .. SPIRQ_XIVE_PRIORITY_MAX - 1 (7 is the
 * hypervisor's); 0xff masks */
#define SPIRQ_XIVE_PRIORITY_MAX		7

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
