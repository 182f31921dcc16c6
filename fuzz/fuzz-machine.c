// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: a whole machine driven by an operation stream.
 *
 * Input: configuration byte, then operations (enum fz_op in
 * fuzz-common.h) until the input ends: CAS with any byte 23, reset, core
 * hot-plug and unplug, claims and frees, device lines, MSI blocks, info
 * pic, save and restore into the same machine, migration to a twin
 * machine, and the guest calls of the other targets.  The operations
 * that visit every live table entry run at most MAX_RESETS (resets) or
 * MAX_HEAVY_OPS (info pic, save, restore, twin) times per input; later
 * ones are skipped; a device claims at most MAX_BLOCK_CLAIMS sources of
 * an MSI block, an input at most MAX_CLAIMS sources.  The machine (and
 * the twin) come from the cache of machines, as new.
 *
 * Beyond the host's checks, the target checks that
 *   - a stream spirq_save() wrote is accepted by spirq_restore() on a
 *     machine of the same configuration (this one, or a new twin), and
 *     saves back to the same bytes;
 *   - MSI blocks lie in the MSI range, are aligned as documented and do
 *     not overlap live blocks (legacy machines: the claims are the
 *     allocation, blocks are not tracked);
 *   - plug and unplug answer their documented codes and leave the
 *     core's vCPUs present or absent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_BLOCKS 16
/* sources of an allocated MSI block a device claims (blocks go to 65535) */
#define MAX_BLOCK_CLAIMS 16
/*
 * Claims an input makes (saves, restores and info pic list the claimed
 * sources: inputs of hundreds of claims made them the target's cost)
 */
#define MAX_CLAIMS 64
#define MAX_HEAVY_OPS 3		/* info pic, save, restore, twin */
#define MAX_RESETS 16		/* FZ_MAX_TABLE_WALKS: CAS, unplug */

struct state {
	struct fz_host *hp;
	const struct fz_config *config;
	uint8_t *slot;			/* the last save */
	size_t slot_len;
	uint8_t *slot_claims;		/* the claims then */
	struct {
		uint32_t first;
		unsigned num;
	} blocks[MAX_BLOCKS];		/* MSI blocks known to be allocated */
	unsigned nr_blocks;
	unsigned claims;		/* made by the input: MAX_CLAIMS */
};

static unsigned core_arg(struct fz_in *in, const struct fz_host *h)
{
	unsigned cores = h->cfg.max_cpus / h->cfg.threads;
	uint8_t b = fz_u8(in);

	if (b < FZ_CORE_RAW)
		return (b % (cores + 1)) * h->cfg.threads;
	return fz_u32(in);
}

static void plug(struct fz_in *in, struct state *s, bool on)
{
	struct fz_host *h = s->hp;
	unsigned core = core_arg(in, h), t;
	spirq_error err;
	int ret;

	/* an unplug visits every live source */
	if (!on && h->walks++ >= FZ_MAX_TABLE_WALKS) {
		FZ_TRACE("# unplug %u skipped (FZ_MAX_TABLE_WALKS)", core);
		return;
	}
	FZ_TRACE("%s %u", on ? "hotplug" : "unplug", core);
	if (on) {
		ret = spirq_cpu_plug(h->m, core, &err);
		FZ_ASSERT(ret == 0 || ret == -SPIRQ_ERR_STATE ||
			  ret == -SPIRQ_ERR_INVAL || ret == -SPIRQ_ERR_BUSY ||
			  ret == -SPIRQ_ERR_NOMEM, "plug %u: %d", core, ret);
	} else {
		ret = spirq_cpu_unplug(h->m, core, &err);
		FZ_ASSERT(ret == 0 || ret == -SPIRQ_ERR_STATE ||
			  ret == -SPIRQ_ERR_NOTFOUND, "unplug %u: %d", core,
			  ret);
	}
	if (ret)
		fz_check_error(&err, ret);
	else
		for (t = 0; t < h->cfg.threads; t++)
			FZ_ASSERT(fz_cpu_present(h, core + t) == on,
				  "%s core %u: vCPU %u %s",
				  on ? "plug" : "unplug", core, core + t,
				  on ? "absent" : "still present");
	fz_host_check(h);
}

static void claim(struct fz_in *in, struct state *s)
{
	uint32_t irq = fz_irq(in, s->hp);
	bool lsi = fz_u8(in) & 1;
	spirq_error err;
	int ret;

	if (s->claims++ >= MAX_CLAIMS) {
		FZ_TRACE("# claim 0x%x skipped (MAX_CLAIMS)", irq);
		return;
	}
	FZ_TRACE("claim 0x%x %s", irq, lsi ? "lsi" : "msi");
	ret = spirq_irq_claim(s->hp->m, irq, lsi, &err);

	FZ_ASSERT(ret == 0 || ret == -SPIRQ_ERR_BUSY || ret == -SPIRQ_ERR_INVAL,
		  "claim 0x%x: %d", irq, ret);
	if (ret)
		fz_check_error(&err, ret);
	fz_host_check(s->hp);
}

static void free_irq(struct fz_in *in, struct state *s)
{
	uint32_t irq = fz_irq(in, s->hp);
	int ret;

	FZ_TRACE("free 0x%x", irq);
	ret = spirq_irq_free(s->hp->m, irq);

	FZ_ASSERT(ret == 0 || ret == -SPIRQ_ERR_INVAL, "free 0x%x: %d", irq,
		  ret);
	fz_host_check(s->hp);
}

static bool overlaps(uint32_t a, unsigned na, uint32_t b, unsigned nb)
{
	return a < b + nb && b < a + na;
}

static void forget_blocks(struct state *s, uint32_t first, unsigned num)
{
	unsigned i = 0;

	while (i < s->nr_blocks) {
		if (overlaps(first, num, s->blocks[i].first, s->blocks[i].num))
			s->blocks[i] = s->blocks[--s->nr_blocks];
		else
			i++;
	}
}

static void msi_alloc(struct fz_in *in, struct state *s)
{
	struct fz_host *h = s->hp;
	uint8_t b = fz_u8(in), flags;
	unsigned num = b < 0xf0 ? b % 33u : fz_u16(in), i, align;
	uint32_t first = 0, lo, hi;
	spirq_error err;
	int ret;

	flags = fz_u8(in);
	FZ_TRACE("# msi_alloc %u %s", num, flags & 1 ? "msix" : "msi");
	ret = spirq_msi_alloc(h->m, num, flags & 1, &first, &err);
	FZ_ASSERT(ret == 0 || ret == -SPIRQ_ERR_BUSY || ret == -SPIRQ_ERR_INVAL,
		  "msi_alloc %u: %d", num, ret);
	if (ret) {
		fz_check_error(&err, ret);
		fz_host_check(h);
		return;
	}
	lo = h->cfg.legacy_xics ? SPIRQ_XIRQ_BASE : SPIRQ_IRQ_MSI;
	hi = SPIRQ_XIRQ_BASE + h->cfg.nr_xirqs;
	FZ_ASSERT(num && first >= lo && first <= hi && num <= hi - first,
		  "msi_alloc %u: block 0x%x outside 0x%x..0x%x", num, first,
		  lo, hi - 1);
	if (h->cfg.legacy_xics) {
		/* the claims are the allocation: nothing to track */
		if (flags & 2)
			for (i = 0; i < num && i < MAX_BLOCK_CLAIMS &&
				    s->claims++ < MAX_CLAIMS; i++)
				spirq_irq_claim(h->m, first + i, false, NULL);
		fz_host_check(h);
		return;
	}
	for (align = 1; !(flags & 1) && align < num; align <<= 1)
		;
	FZ_ASSERT(!((first - lo) % (flags & 1 ? 2 : align)),
		  "msi_alloc %u (%s): block 0x%x misaligned", num,
		  flags & 1 ? "MSI-X" : "MSI", first);
	for (i = 0; i < s->nr_blocks; i++)
		FZ_ASSERT(!overlaps(first, num, s->blocks[i].first,
				    s->blocks[i].num),
			  "msi_alloc %u: 0x%x overlaps the live block 0x%x+%u",
			  num, first, s->blocks[i].first, s->blocks[i].num);
	if (s->nr_blocks < MAX_BLOCKS) {
		s->blocks[s->nr_blocks].first = first;
		s->blocks[s->nr_blocks++].num = num;
	}
	if (flags & 2)
		for (i = 0; i < num && i < MAX_BLOCK_CLAIMS &&
			    s->claims++ < MAX_CLAIMS; i++)
			spirq_irq_claim(h->m, first + i, false, NULL);
	fz_host_check(h);
}

static void msi_free(struct fz_in *in, struct state *s)
{
	uint8_t b = fz_u8(in);
	uint32_t first;
	unsigned num;
	int ret;

	if (b < 0xf0 && s->nr_blocks) {
		first = s->blocks[b % s->nr_blocks].first;
		num = s->blocks[b % s->nr_blocks].num;
	} else {
		first = fz_u32(in);
		num = fz_u16(in);
	}
	if (b & 1) {	/* the device goes away: its sources too */
		uint32_t nr_irqs = SPIRQ_XIRQ_BASE + s->hp->cfg.nr_xirqs;
		uint32_t end = first + (num < 0x1000 ? num : 0x1000), irq;

		if (end < first || end > nr_irqs)
			end = nr_irqs;

		/* the claimed ones (a free of another: FZ_OP_FREE) */
		for (irq = fz_next_claimed(s->hp, first); irq < end;
		     irq = fz_next_claimed(s->hp, irq + 1))
			spirq_irq_free(s->hp->m, irq);
	}
	FZ_TRACE("# msi_free 0x%x %u", first, num);
	ret = spirq_msi_free(s->hp->m, first, num);
	FZ_ASSERT(ret == 0 || ret == -SPIRQ_ERR_INVAL, "msi_free 0x%x+%u: %d",
		  first, num, ret);
	if (!ret)
		forget_blocks(s, first, num);
	fz_host_check(s->hp);
}

static void save(struct state *s)
{
	FZ_TRACE("save slot");
	free(s->slot);
	free(s->slot_claims);
	s->slot = fz_save(s->hp, &s->slot_len);
	s->slot_claims = fz_claims_get(s->hp);
}

static void restore(struct state *s)
{
	if (!s->slot)
		return;
	/* the devices are those of the save (a claim mismatch is refused) */
	fz_claims_set(s->hp, s->slot_claims);
	FZ_TRACE("restore slot");
	fz_restore_exact(s->hp, s->slot, s->slot_len, "restore");
	s->nr_blocks = 0;	/* the allocator is the stream's now */
}

static void twin(struct state *s)
{
	struct fz_host *t;
	uint8_t *buf;
	size_t len;

	FZ_TRACE("# migration to a twin machine");
	buf = fz_save(s->hp, &len);
	t = fz_host_acquire(s->config, NULL, 1);
	/* the destination's devices claim their sources first */
	fz_claim_like(t, s->hp);
	fz_restore_exact(t, buf, len, "migration to a twin");
	fz_info_pic(t);
	fz_host_release(t);
	free(buf);
}

static struct fz_host *run(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	static struct state s;
	unsigned heavy = 0, resets = 0;

	memset(&s, 0, sizeof(s));
	s.config = &fz_configs[fz_u8(&in) % FZ_NR_CONFIGS];
	s.hp = fz_host_acquire(s.config, NULL, 0);
	while (fz_more(&in)) {
		enum fz_op op = fz_op_decode(fz_u8(&in));

		/* each visits every live entry or more: a few per input */
		if (op == FZ_OP_RESET ? resets++ >= MAX_RESETS :
		    op >= FZ_NR_CHEAP_OPS && heavy++ >= MAX_HEAVY_OPS)
			continue;
		switch (op) {
		case FZ_OP_CAS:
			fz_cas(s.hp, fz_u8(&in));
			break;
		case FZ_OP_RESET:
			FZ_TRACE("reset");
			FZ_ASSERT(spirq_reset(s.hp->m) == 0, "reset");
			fz_host_check(s.hp);
			s.nr_blocks = 0;
			break;
		case FZ_OP_PLUG:
			plug(&in, &s, true);
			break;
		case FZ_OP_UNPLUG:
			plug(&in, &s, false);
			break;
		case FZ_OP_CLAIM:
			claim(&in, &s);
			break;
		case FZ_OP_FREE:
			free_irq(&in, &s);
			break;
		case FZ_OP_IRQ:
			fz_do_irq(&in, s.hp);
			break;
		case FZ_OP_MSI_ALLOC:
			msi_alloc(&in, &s);
			break;
		case FZ_OP_MSI_FREE:
			msi_free(&in, &s);
			break;
		case FZ_OP_INFO_PIC:
			fz_info_pic(s.hp);
			break;
		case FZ_OP_SAVE:
			save(&s);
			break;
		case FZ_OP_RESTORE:
			restore(&s);
			break;
		case FZ_OP_HCALL:
			fz_do_hcall(&in, s.hp);
			break;
		case FZ_OP_RTAS:
			fz_do_rtas(&in, s.hp);
			break;
		case FZ_OP_MMIO:
			fz_do_mmio(&in, s.hp);
			break;
		case FZ_OP_XIVE_SETUP:
			fz_do_xive_setup(&in, s.hp);
			break;
		default:
			twin(&s);
			break;
		}
	}
	free(s.slot);
	free(s.slot_claims);
	return s.hp;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run(data, size, run);
}
