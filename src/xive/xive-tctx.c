// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * XIVE thread interrupt context and its MMIO window, the TIMA.
 *
 * A guest reaches two of the four TIMA pages (deliberate difference D7:
 * QEMU maps all four, letting a guest pull or push its own OS context):
 *
 *   page        reachable   what the guest can do
 *   0 HW        no          loads read all ones, stores ignored (logged)
 *   1 HV        no          same
 *   2 OS        yes         special operations below, raw 4/8-byte access
 *                           filtered by the OS access map
 *   3 USER      yes         nothing valid (the USER ring is never accessed)
 *
 * OS-page special operations (exact offset and size):
 *
 *   0x011 store 1   set CPPR: values above 7 become 0xff, then notify
 *   0x810 load 2    ACK: lower the line; if NSR.EO, CPPR := PIPR and clear
 *                   that IPB bit; returns old NSR << 8 | CPPR
 *   0x812 store 1   set the IPB bit of a priority, then notify
 *
 * Any other offset with bit 11 set is invalid.  Below 0x800 the access is a
 * raw register access: 4 or 8 bytes within the 64-byte context (checked
 * here, whatever the caller), never to the USER ring, each byte
 * filtered by the access map (non-readable bytes read 0, non-writable bytes
 * are not written); raw accesses have no side effect.
 *
 * Notify: if PIPR < CPPR, set NSR.EO and raise the vCPU's line (lowering
 * is the ACK's job).
 */
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/printer.h"
#include "xive/xive-internal.h"

/* The tables of xive-regs.h, each of its 256 bytes an expression. */
#define XIVE_BYTES4(f, b)	f(b), f((b) + 1), f((b) + 2), f((b) + 3)
#define XIVE_BYTES16(f, b)	XIVE_BYTES4(f, b), XIVE_BYTES4(f, (b) + 4), \
				XIVE_BYTES4(f, (b) + 8), \
				XIVE_BYTES4(f, (b) + 12)
#define XIVE_BYTES64(f, b)	XIVE_BYTES16(f, b), \
				XIVE_BYTES16(f, (b) + 16), \
				XIVE_BYTES16(f, (b) + 32), \
				XIVE_BYTES16(f, (b) + 48)
#define XIVE_BYTES256(f)	XIVE_BYTES64(f, 0), XIVE_BYTES64(f, 64), \
				XIVE_BYTES64(f, 128), XIVE_BYTES64(f, 192)

#define IPB_OF(p)	((p) > XIVE_PRIORITY_MAX ? 0 : 0x80 >> ((p) & 7))
#define PIPR_OF(b)	((b) & 0x80 ? 0 : (b) & 0x40 ? 1 : (b) & 0x20 ? 2 : \
			 (b) & 0x10 ? 3 : (b) & 0x08 ? 4 : (b) & 0x04 ? 5 : \
			 (b) & 0x02 ? 6 : (b) & 0x01 ? 7 : 0xff)

const uint8_t xive_ipb_of_priority[256] = { XIVE_BYTES256(IPB_OF) };
const uint8_t xive_pipr_of_ipb[256] = { XIVE_BYTES256(PIPR_OF) };

/* Access map: 1 write, 2 read, 3 both; rows are the bytes of a ring. */
#define TM_R	2
#define TM_W	1
#define TM_RW	3

/* OS page: only the OS ring, and of it NSR..PIPR; CPPR is writable */
static const uint8_t tm_os_view[TM_RING_COUNT * TM_RING_SIZE] = {
	/* QW0 USER */ TM_RW, 0, 0, 0, 0, 0, 0, 0,
		       TM_RW, TM_RW, TM_RW, TM_RW, 0, 0, 0, 0,
	/* QW1 OS   */ TM_R, TM_RW, TM_R, TM_R, TM_R, TM_R, 0, TM_R,
		       0, 0, 0, 0, 0, 0, 0, 0,
	/* QW2 POOL */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* QW3 PHYS */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* USER page: only the USER ring's NSR, which is never reachable */
static const uint8_t tm_user_view[TM_RING_COUNT * TM_RING_SIZE] = {
	/* QW0 USER */ TM_RW, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

struct xive_tctx *xive_tctx_create(unsigned cpu, size_t *footprint)
{
	/* cache lines of its own: the vCPU's thread writes it */
	struct xive_tctx *tctx = spirq__calloc_aligned(footprint, 1,
						       sizeof(*tctx),
						       SPAPR_CACHE_LINE);

	if (tctx)
		tctx->cpu = cpu;
	return tctx;
}

void xive_tctx_destroy(struct xive_tctx *tctx, size_t *footprint)
{
	spirq__free_aligned(footprint, tctx, 1, sizeof(*tctx),
			    SPAPR_CACHE_LINE);
}

static uint8_t *ring(struct xive_tctx *tctx, uint8_t ring_offset)
{
	return &tctx->regs[ring_offset];
}

static uint32_t ring_word2(const struct xive_tctx *tctx, uint8_t ring_offset)
{
	const uint8_t *w = &tctx->regs[ring_offset + TM_WORD2];

	return (uint32_t)w[0] << 24 | (uint32_t)w[1] << 16 |
	       (uint32_t)w[2] << 8 | w[3];
}

/*
 * Reset: all zero, then the OS ring's LSMFB, ACK_CNT, AGE and PIPR (and
 * the PHYS PIPR) to 0xff; the sPAPR model then loads the OS CAM line of
 * the vCPU's NVT, valid.  CPPR 0 masks everything until the guest sets it.
 */
void xive_tctx_reset(struct xive_tctx *tctx, uint32_t vcpu_id)
{
	uint8_t *os = ring(tctx, TM_QW1_OS);
	uint32_t cam = TM_QW1W2_VO |
		       xive_nvt_cam_line(XIVE_BLOCK_ID,
					 SPIRQ_XIVE_NVT_BASE + vcpu_id);

	memset(tctx->regs, 0, sizeof(tctx->regs));
	os[TM_LSMFB] = 0xff;
	os[TM_ACK_CNT] = 0xff;
	os[TM_AGE] = 0xff;
	os[TM_PIPR] = xive_ipb_to_pipr(0);
	ring(tctx, TM_QW3_HV_PHYS)[TM_PIPR] = xive_ipb_to_pipr(0);
	os[TM_WORD2] = (uint8_t)(cam >> 24);
	os[TM_WORD2 + 1] = (uint8_t)(cam >> 16);
	os[TM_WORD2 + 2] = (uint8_t)(cam >> 8);
	os[TM_WORD2 + 3] = (uint8_t)cam;
}

static void set_cppr(spirq_machine *m, struct xive_tctx *tctx, uint8_t r,
		     uint8_t cppr)
{
	xive_tctx_set_cppr(m, tctx, r, cppr);
}

static uint64_t accept(spirq_machine *m, struct xive_tctx *tctx, uint8_t r)
{
	return xive_tctx_accept(m, tctx, r);
}

/* ---- TIMA ------------------------------------------------------------------- */

static const uint8_t *page_view(unsigned page)
{
	return page == TM_PAGE_OS ? tm_os_view : tm_user_view;
}

/* Byte mask of the raw access (big-endian byte order), 0 if none. */
static uint64_t raw_mask(unsigned page, uint64_t offset, unsigned size,
			 bool write)
{
	const uint8_t *view = page_view(page);
	unsigned reg = offset & 0x3f, i;
	uint64_t mask = 0;

	for (i = 0; i < size; i++)
		if (view[reg + i] & (write ? TM_W : TM_R))
			mask |= 0xffull << (8 * (size - 1 - i));
	return mask;
}

/*
 * The access must lie within the 64-byte context (and its access map):
 * checked here rather than trusted to the caller, which today splits
 * unaligned accesses into aligned ones before they get here.
 */
static bool raw_ok(unsigned page, uint64_t offset, unsigned size, bool write,
		   uint64_t *mask)
{
	unsigned reg = offset & 0x3f;

	if (size < 4 || size > 8 || reg + size > TM_RING_COUNT * TM_RING_SIZE ||
	    (offset & 0x30) == TM_QW0_USER)
		return false;
	*mask = raw_mask(page, offset, size, write);
	return *mask != 0;
}

static uint64_t all_ones(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static uint64_t raw_read(spirq_machine *m, struct xive_tctx *tctx,
			 unsigned page, uint64_t offset, unsigned size)
{
	unsigned reg = offset & 0x3f, i;
	uint64_t mask, value = 0;

	if (!raw_ok(page, offset, size, false, &mask)) {
		spapr_guest_error(m, GE_TIMA,
				  "XIVE: invalid read access at TIMA @%llx",
				  (unsigned long long)offset);
		return all_ones(size);
	}
	for (i = 0; i < size; i++)
		value |= (uint64_t)tctx->regs[reg + i] << (8 * (size - 1 - i));
	return value & mask;
}

static void raw_write(spirq_machine *m, struct xive_tctx *tctx,
		      unsigned page, uint64_t offset, unsigned size,
		      uint64_t value)
{
	unsigned reg = offset & 0x3f, i;
	uint64_t mask;

	if (!raw_ok(page, offset, size, true, &mask)) {
		spapr_guest_error(m, GE_TIMA,
				  "XIVE: invalid write access at TIMA @%llx",
				  (unsigned long long)offset);
		return;
	}
	for (i = 0; i < size; i++) {
		unsigned shift = 8 * (size - 1 - i);

		if ((mask >> shift) & 0xff)
			tctx->regs[reg + i] = (uint8_t)(value >> shift);
	}
}

/* Special operations the OS page offers (QEMU's table, OS entries). */
enum tm_op { TM_OP_NONE, TM_OP_SET_OS_CPPR, TM_OP_ACK_OS, TM_OP_SET_PENDING };

static enum tm_op find_op(unsigned page, uint64_t offset, unsigned size,
			  bool write)
{
	unsigned op = offset & 0xfff;

	if (page != TM_PAGE_OS)
		return TM_OP_NONE;	/* USER: no operation at all */
	if (write && op == TM_QW1_OS + TM_CPPR && size == 1)
		return TM_OP_SET_OS_CPPR;
	if (!write && op == TM_SPC_ACK_OS_REG && size == 2)
		return TM_OP_ACK_OS;
	if (write && op == TM_SPC_SET_OS_PENDING && size == 1)
		return TM_OP_SET_PENDING;
	return TM_OP_NONE;
}

/* D7: the HW and HV pages are not the guest's. */
static bool guest_page(spirq_machine *m, unsigned page, uint64_t offset,
		       bool write)
{
	if (page == TM_PAGE_OS || page == TM_PAGE_USER)
		return true;
	spapr_guest_error(m, GE_TIMA,
			  "XIVE: guest %s of the %s page of the TIMA @%llx refused",
			  write ? "store" : "load",
			  page == TM_PAGE_HW ? "HW" : "HV",
			  (unsigned long long)offset);
	return false;
}

/* The two TIMA operations of every interrupt, for the fast paths. */
uint16_t xive_tctx_ack_os(spirq_machine *m, struct xive_tctx *tctx)
{
	return (uint16_t)accept(m, tctx, TM_QW1_OS);
}

void xive_tctx_set_os_cppr(spirq_machine *m, struct xive_tctx *tctx,
			   uint8_t cppr)
{
	set_cppr(m, tctx, TM_QW1_OS, cppr);
}

uint64_t xive_tctx_tm_read(spirq_machine *m, struct xive_tctx *tctx,
			   uint64_t offset, unsigned size)
{
	unsigned page = (offset >> TM_SHIFT) & 3;

	if (!guest_page(m, page, offset, false))
		return all_ones(size);

	switch (find_op(page, offset, size, false)) {
	case TM_OP_ACK_OS:
		return accept(m, tctx, TM_QW1_OS);
	default:
		break;
	}
	if (offset & 0x800) {
		spapr_guest_error(m, GE_TIMA,
				  "XIVE: invalid read access to TIMA@%llx",
				  (unsigned long long)offset);
		return all_ones(size);
	}
	return raw_read(m, tctx, page, offset, size);
}

void xive_tctx_tm_write(spirq_machine *m, struct xive_tctx *tctx,
			uint64_t offset, unsigned size, uint64_t value)
{
	unsigned page = (offset >> TM_SHIFT) & 3;

	if (!guest_page(m, page, offset, true))
		return;

	switch (find_op(page, offset, size, true)) {
	case TM_OP_SET_OS_CPPR:
		set_cppr(m, tctx, TM_QW1_OS, (uint8_t)value);
		return;
	case TM_OP_SET_PENDING:
		xive_tctx_ipb_update(m, tctx, TM_QW1_OS,
				     xive_priority_to_ipb((uint8_t)value));
		return;
	default:
		break;
	}
	if (offset & 0x800) {
		spapr_guest_error(m, GE_TIMA,
				  "XIVE: invalid write access at TIMA @%llx",
				  (unsigned long long)offset);
		return;
	}
	raw_write(m, tctx, page, offset, size, value);
}

static const char *ring_name(unsigned r)
{
	static const char *const names[TM_RING_COUNT] = {
		"USER", "OS", "POOL", "PHYS"
	};

	return names[r];
}

void xive_tctx_print_info(const struct xive_tctx *tctx,
			  struct spirq_printer *p)
{
	unsigned r;

	pr_line(p, "CPU[%04x]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2",
		tctx->cpu);
	for (r = 0; r < TM_RING_COUNT; r++) {
		const uint8_t *regs = &tctx->regs[r * TM_RING_SIZE];

		pr_line(p,
			"CPU[%04x]: %4s    %02x   %02x  %02x    %02x   %02x  %02x  %02x   %02x  %08x",
			tctx->cpu, ring_name(r), regs[TM_NSR], regs[TM_CPPR],
			regs[TM_IPB], regs[TM_LSMFB], regs[TM_ACK_CNT],
			regs[TM_INC], regs[TM_AGE], regs[TM_PIPR],
			ring_word2(tctx, (uint8_t)(r * TM_RING_SIZE)));
	}
}
