// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MSI block allocator, for the embedder's ibm,change-msi: blocks of
 * consecutive source numbers in 0x1300 .. 0x1fff, first fit.
 *
 *   MSI   (multi-message)  aligned to the block size rounded up to a power
 *                          of two: the device ORs the vector number into
 *                          the low bits of the message data, which is the
 *                          source number.
 *   MSI-X                  aligned to 2, as QEMU's allocator does (so the
 *                          numbers a guest sees match QEMU's).
 *
 * QEMU 7.2 inverts its alignment flag (a boolean decremented into a mask):
 * multi-message MSI blocks are not aligned there, and can deliver to the
 * wrong source.  Legacy machine types (<= pseries-3.0) allocate from the
 * free sources of 0x1000 .. 0x13ff instead, as QEMU's legacy allocator did.
 */
#include "common/error-internal.h"
#include "spapr/irq-internal.h"

static unsigned block_alignment(unsigned num, bool msix, bool legacy)
{
	unsigned align = 1;

	if (msix)
		return legacy ? 1 : 2;
	while (align < num)
		align <<= 1;
	return align;
}

/* Is the block of @num sources at position @pos of the allocator free? */
static bool block_is_free(const spirq_machine *m, unsigned pos, unsigned num,
			  bool legacy)
{
	unsigned i;

	for (i = 0; i < num; i++) {
		if (legacy ? m->claims[SPIRQ_XIRQ_BASE + pos + i] != CLAIM_FREE :
			     bitmap_test(m->msi_map, pos + i))
			return false;
	}
	return true;
}

int spirq_msi_alloc(spirq_machine *m, unsigned num, bool msix,
		    uint32_t *first, spirq_error *err)
{
	bool legacy = m->cfg.legacy_xics;
	unsigned base = legacy ? SPIRQ_XIRQ_BASE : SPIRQ_IRQ_MSI;
	unsigned nbits = legacy ? m->cfg.nr_xirqs : SPIRQ_NR_MSIS;
	unsigned align, i, pos;
	int ret;

	spirq_error_clear(err);
	if (num == 0 || num > nbits)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"can't find a free %u-IRQ block", num);
	align = block_alignment(num, msix, legacy);
	ret = spapr_lock(m, __func__, err);
	if (ret)
		return ret;
	ret = -SPIRQ_ERR_BUSY;
	for (pos = 0; pos + num <= nbits; pos += align) {
		if (!block_is_free(m, pos, num, legacy))
			continue;
		if (!legacy)
			for (i = 0; i < num; i++)
				bitmap_set(m->msi_map, pos + i);
		*first = base + pos;
		ret = 0;
		break;
	}
	spapr_unlock(m);
	if (ret)
		spirq__error_set(err, SPIRQ_ERR_BUSY,
				 "can't find a free %u-IRQ block", num);
	return ret;
}

int spirq_msi_free(spirq_machine *m, uint32_t first, unsigned num)
{
	unsigned i;
	int ret;

	if (m->cfg.legacy_xics)
		return 0;	/* the claims are the allocation */
	if (first < SPIRQ_IRQ_MSI || num > SPIRQ_NR_MSIS ||
	    first - SPIRQ_IRQ_MSI > SPIRQ_NR_MSIS - num)
		return -SPIRQ_ERR_INVAL;
	ret = spapr_lock(m, __func__, NULL);
	if (ret)
		return ret;
	for (i = 0; i < num; i++)
		bitmap_clear(m->msi_map, first - SPIRQ_IRQ_MSI + i);
	spapr_unlock(m);
	return 0;
}
