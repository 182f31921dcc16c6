/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * XIVE architected structures and registers, with the names of the XIVE
 * specification (as skiboot and QEMU use them) and IBM bit numbering:
 * bit 0 is the most significant bit of the word.
 *
 * The structures are kept big-endian in memory, as the hardware and the
 * migration stream see them, and are touched only through the field
 * helpers at the end of this file, so the code runs unchanged on big- and
 * little-endian hosts.
 *
 *   LISN --> EAS ------------> END --------------> NVT ----> thread context
 *            (route)           (event queue,       (virtual  (TIMA ring of
 *            block/index/data   priority, target)   target)   the vCPU)
 */
#ifndef SPIRQ_XIVE_REGS_H
#define SPIRQ_XIVE_REGS_H

#include <stdbool.h>
#include <stdint.h>

#include <spirq/papr.h>

#define PPC_BIT(b)		(0x8000000000000000ull >> (b))
#define PPC_BIT32(b)		(0x80000000u >> (b))
#define PPC_BIT8(b)		((uint8_t)(0x80u >> (b)))
#define PPC_BITMASK(bs, be)	((PPC_BIT(bs) - PPC_BIT(be)) | PPC_BIT(bs))
#define PPC_BITMASK32(bs, be)	((PPC_BIT32(bs) - PPC_BIT32(be)) | PPC_BIT32(bs))

/*
 * Event Assignment Structure: one 64-bit word per LISN.
 */
typedef struct xive_eas {
	uint64_t w;
#define EAS_VALID		PPC_BIT(0)
#define EAS_END_BLOCK		PPC_BITMASK(4, 7)	/* END block */
#define EAS_END_INDEX		PPC_BITMASK(8, 31)	/* END index */
#define EAS_MASKED		PPC_BIT(32)		/* drop events */
#define EAS_END_DATA		PPC_BITMASK(33, 63)	/* EISN */
} xive_eas;

/*
 * Event Notification Descriptor: eight 32-bit words per (vCPU, priority).
 */
typedef struct xive_end {
	uint32_t w0;
#define END_W0_VALID		PPC_BIT32(0)	/* "v" */
#define END_W0_ENQUEUE		PPC_BIT32(1)	/* "q": write events to the EQ */
#define END_W0_UCOND_NOTIFY	PPC_BIT32(2)	/* "n": notify on every event */
#define END_W0_BACKLOG		PPC_BIT32(3)	/* "b" */
#define END_W0_PRECL_ESC_CTL	PPC_BIT32(4)	/* "p" */
#define END_W0_ESCALATE_CTL	PPC_BIT32(5)	/* "e" */
#define END_W0_UNCOND_ESCALATE	PPC_BIT32(6)	/* "u" */
#define END_W0_SILENT_ESCALATE	PPC_BIT32(7)	/* "s" */
#define END_W0_QSIZE		PPC_BITMASK32(12, 15)	/* log2(bytes) - 12 */
#define END_W0_SW0		PPC_BIT32(16)
#define END_W0_HWDEP		PPC_BITMASK32(24, 31)
	uint32_t w1;
#define END_W1_ESn		PPC_BITMASK32(0, 1)	/* notification PQ */
#define END_W1_ESn_P		PPC_BIT32(0)
#define END_W1_ESn_Q		PPC_BIT32(1)
#define END_W1_ESe		PPC_BITMASK32(2, 3)	/* escalation PQ */
#define END_W1_ESe_P		PPC_BIT32(2)
#define END_W1_ESe_Q		PPC_BIT32(3)
#define END_W1_GENERATION	PPC_BIT32(9)
#define END_W1_PAGE_OFF		PPC_BITMASK32(10, 31)	/* queue index */
	uint32_t w2;
#define END_W2_MIGRATION_REG	PPC_BITMASK32(0, 3)
#define END_W2_OP_DESC_HI	PPC_BITMASK32(4, 31)	/* EQ address 59:32 */
	uint32_t w3;
#define END_W3_OP_DESC_LO	PPC_BITMASK32(0, 31)	/* EQ address 31:0 */
	uint32_t w4;
#define END_W4_ESC_END_BLOCK	PPC_BITMASK32(4, 7)
#define END_W4_ESC_END_INDEX	PPC_BITMASK32(8, 31)
	uint32_t w5;
#define END_W5_ESC_END_DATA	PPC_BITMASK32(1, 31)
	uint32_t w6;
#define END_W6_FORMAT_BIT	PPC_BIT32(8)
#define END_W6_NVT_BLOCK	PPC_BITMASK32(9, 12)
#define END_W6_NVT_INDEX	PPC_BITMASK32(13, 31)
	uint32_t w7;
#define END_W7_F0_IGNORE	PPC_BIT32(0)
#define END_W7_F0_BLK_GROUPING	PPC_BIT32(1)
#define END_W7_F0_PRIORITY	PPC_BITMASK32(8, 15)
#define END_W7_F1_WAKEZ		PPC_BIT32(0)
#define END_W7_F1_LOG_SERVER_ID	PPC_BITMASK32(1, 31)
} xive_end;

/*
 * Event queue entry, 32 bits big-endian in guest memory:
 *
 *    0  1                                                      31
 *   +--+--------------------------------------------------------+
 *   |G |              EISN (END data, 31 bits)                  |
 *   +--+--------------------------------------------------------+
 *
 * G is the generation bit: it flips each time the write index wraps, so
 * the consumer tells new entries from old ones without clearing them.
 */
#define EQ_ENTRY_GENERATION	PPC_BIT32(0)
#define EQ_ENTRY_DATA		PPC_BITMASK32(1, 31)

/*
 * Thread Interrupt Management Area.  Four 64 KiB pages, each a view of
 * the accessing vCPU's 64-byte context with more or less privilege:
 *
 *   page  0 HW   1 HV   2 OS   3 USER       (offset bits 16-17)
 *
 * The context is four 16-byte rings ("quad words"):
 */
/* The architected values a VMM also needs are public (<spirq/papr.h>). */
#define TM_SHIFT		SPIRQ_XIVE_TM_PAGE_SHIFT
#define TM_PAGE_HW		SPIRQ_TM_PAGE_HW
#define TM_PAGE_HV		SPIRQ_TM_PAGE_HV
#define TM_PAGE_OS		SPIRQ_TM_PAGE_OS
#define TM_PAGE_USER		SPIRQ_TM_PAGE_USER

#define TM_QW0_USER		SPIRQ_TM_QW0_USER
#define TM_QW1_OS		SPIRQ_TM_QW1_OS
#define TM_QW2_HV_POOL		SPIRQ_TM_QW2_HV_POOL
#define TM_QW3_HV_PHYS		SPIRQ_TM_QW3_HV_PHYS
#define TM_RING_SIZE		0x10
#define TM_RING_COUNT		4

/* Byte offsets inside a ring                          QW0 QW1 QW2 QW3 */
#define TM_NSR			SPIRQ_TM_NSR		/*  +   +   -   +  */
#define TM_CPPR			SPIRQ_TM_CPPR		/*  -   +   -   +  */
#define TM_IPB			SPIRQ_TM_IPB		/*  -   +   +   +  */
#define TM_LSMFB		SPIRQ_TM_LSMFB		/*  -   +   +   +  */
#define TM_ACK_CNT		SPIRQ_TM_ACK_CNT	/*  -   +   -   -  */
#define TM_INC			SPIRQ_TM_INC		/*  -   +   -   +  */
#define TM_AGE			SPIRQ_TM_AGE		/*  -   +   -   +  */
#define TM_PIPR			SPIRQ_TM_PIPR		/*  -   +   -   +  */
#define TM_WORD2		SPIRQ_TM_WORD2
#define   TM_QW0W2_VU		PPC_BIT32(0)
#define   TM_QW1W2_VO		PPC_BIT32(0)
#define   TM_QW1W2_OS_CAM	PPC_BITMASK32(8, 31)
#define   TM_QW2W2_VP		PPC_BIT32(0)
#define   TM_QW3W2_VT		PPC_BIT32(0)

#define TM_QW1_NSR_EO		((uint8_t)SPIRQ_TM_QW1_NSR_EO)	/* bit 0 */

/* Special operations (offsets within a page, bit 11 set) */
#define TM_SPC_ACK_OS_REG	SPIRQ_TM_SPC_ACK_OS_REG
#define TM_SPC_SET_OS_PENDING	SPIRQ_TM_SPC_SET_OS_PENDING
#define TM_SPC_PULL_OS_CTX	SPIRQ_TM_SPC_PULL_OS_CTX
#define TM_SPC_PULL_POOL_CTX	SPIRQ_TM_SPC_PULL_POOL_CTX
#define TM_SPC_ACK_HV_REG	SPIRQ_TM_SPC_ACK_HV_REG

/* NVT "CAM line": what a thread context ring holds to match an END. */
static inline uint32_t xive_nvt_cam_line(uint8_t blk, uint32_t idx)
{
	return (uint32_t)blk << 19 | idx;
}

/* ---- field helpers (values in host order, words big-endian) ------------- */

static inline unsigned mask_shift64(uint64_t mask)
{
	return (unsigned)__builtin_ctzll(mask);
}

static inline unsigned mask_shift32(uint32_t mask)
{
	return (unsigned)__builtin_ctz(mask);
}

static inline uint64_t be64_to_host(uint64_t be)
{
	const uint8_t *b = (const uint8_t *)&be;

	return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 |
	       (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
	       (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 |
	       (uint64_t)b[6] << 8 | b[7];
}

static inline uint64_t host_to_be64(uint64_t v)
{
	uint64_t be;
	uint8_t *b = (uint8_t *)&be;
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	return be;
}

static inline uint32_t be32_to_host(uint32_t be)
{
	const uint8_t *b = (const uint8_t *)&be;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static inline uint32_t host_to_be32(uint32_t v)
{
	uint32_t be;
	uint8_t *b = (uint8_t *)&be;

	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
	return be;
}

/* Read field @mask of the big-endian word @word. */
static inline uint64_t xive_get_field64(uint64_t mask, uint64_t word)
{
	return (be64_to_host(word) & mask) >> mask_shift64(mask);
}

/* Return big-endian @word with field @mask set to @value. */
static inline uint64_t xive_set_field64(uint64_t mask, uint64_t word,
					uint64_t value)
{
	uint64_t w = be64_to_host(word);

	w = (w & ~mask) | ((value << mask_shift64(mask)) & mask);
	return host_to_be64(w);
}

static inline uint32_t xive_get_field32(uint32_t mask, uint32_t word)
{
	return (be32_to_host(word) & mask) >> mask_shift32(mask);
}

static inline uint32_t xive_set_field32(uint32_t mask, uint32_t word,
					uint32_t value)
{
	uint32_t w = be32_to_host(word);

	w = (w & ~mask) | ((value << mask_shift32(mask)) & mask);
	return host_to_be32(w);
}

/* Whole-bit tests and updates on big-endian words. */
static inline bool xive_test64(uint64_t bit, uint64_t word)
{
	return be64_to_host(word) & bit;
}

static inline bool xive_test32(uint32_t bit, uint32_t word)
{
	return be32_to_host(word) & bit;
}

static inline uint32_t xive_put32(uint32_t bit, uint32_t word, bool on)
{
	return xive_set_field32(bit, word, on);
}

static inline bool xive_eas_is_valid(const xive_eas *eas)
{
	return xive_test64(EAS_VALID, eas->w);
}

static inline bool xive_eas_is_masked(const xive_eas *eas)
{
	return xive_test64(EAS_MASKED, eas->w);
}

static inline bool xive_end_is_valid(const xive_end *end)
{
	return xive_test32(END_W0_VALID, end->w0);
}

static inline bool xive_end_is_enqueue(const xive_end *end)
{
	return xive_test32(END_W0_ENQUEUE, end->w0);
}

/* EQ address: 28 bits of w2 and the 32 of w3 (60 bits). */
static inline uint64_t xive_end_qaddr(const xive_end *end)
{
	return (uint64_t)xive_get_field32(END_W2_OP_DESC_HI, end->w2) << 32 |
	       xive_get_field32(END_W3_OP_DESC_LO, end->w3);
}

/* ---- priorities ------------------------------------------------------------ */

#define XIVE_PRIORITY_MAX	SPIRQ_XIVE_PRIORITY_MAX

/*
 * Both conversions are tables (src/xive/xive-tctx.c): the presenter
 * looks them up at every interrupt, and a load is cheaper than the
 * branches.
 */
extern const uint8_t xive_ipb_of_priority[256];
extern const uint8_t xive_pipr_of_ipb[256];

/* IPB bit of a priority: 0 -> 0x80 ... 7 -> 0x01; none above 7. */
static inline uint8_t xive_priority_to_ipb(uint8_t priority)
{
	return xive_ipb_of_priority[priority];
}

/* Most favoured pending priority of an IPB, 0xff when empty. */
static inline uint8_t xive_ipb_to_pipr(uint8_t ipb)
{
	return xive_pipr_of_ipb[ipb];
}

/* ---- ESB PQ bits -------------------------------------------------------------- */

#define XIVE_ESB_VAL_P		SPIRQ_XIVE_ESB_VAL_P
#define XIVE_ESB_VAL_Q		SPIRQ_XIVE_ESB_VAL_Q
#define XIVE_ESB_RESET		0x0	/* ready */
#define XIVE_ESB_PENDING	0x2	/* event forwarded, EOI expected */
#define XIVE_ESB_QUEUED		0x3	/* another event arrived meanwhile */
#define XIVE_ESB_OFF		0x1	/* masked at the source */

/* Management-page operations (offset & 0xfff) */
#define XIVE_ESB_LOAD_EOI	SPIRQ_XIVE_ESB_LOAD_EOI
#define XIVE_ESB_STORE_EOI	SPIRQ_XIVE_ESB_STORE_EOI
#define XIVE_ESB_GET		SPIRQ_XIVE_ESB_GET
#define XIVE_ESB_INJECT		SPIRQ_XIVE_ESB_INJECT
#define XIVE_ESB_SET_PQ_00	SPIRQ_XIVE_ESB_SET_PQ_00
#define XIVE_ESB_SET_PQ_01	SPIRQ_XIVE_ESB_SET_PQ_01
#define XIVE_ESB_SET_PQ_10	SPIRQ_XIVE_ESB_SET_PQ_10
#define XIVE_ESB_SET_PQ_11	SPIRQ_XIVE_ESB_SET_PQ_11

#endif /* SPIRQ_XIVE_REGS_H */
