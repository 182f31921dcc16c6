// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: spirq_restore() on arbitrary bytes.
 *
 * The input is a migration stream.  It is restored as it is, and once
 * more with its last 4 bytes replaced by the CRC-32 of the rest, so that
 * mutations get past the integrity check and reach the validators.  Each
 * time into two destinations of the configuration the stream names (a
 * small table; the first entry when no machine type matches, to exercise
 * the refusals): one as new, one with live state (live_setup: a
 * negotiated mode, events queued and presented, an LSI asserted).
 *
 * Checks:
 *   - a refused stream leaves the destination exactly as it was (its
 *     saved stream, which holds the negotiated mode, is unchanged) and
 *     comes with an error message;
 *   - an accepted stream saves back to the same bytes, but for the two
 *     backend bytes of the configuration record and the CPU model (they
 *     describe the source's host; canonical streams), and the version
 *     and CPU record of a format version 1 stream;
 *   - on the new destination, the restored machine then survives guest
 *     calls, device events and a reset, and accepts the same stream
 *     again.
 *
 * A destination first claims the sources the stream's CLAIMS section
 * lists, as the destination VMM's devices would (a claim mismatch is
 * refused).  Destinations come from the cache of machines, as new (or as
 * live_setup leaves them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzz-common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Where the seed streams come from: the fuzz configurations, and those of
 * the project's scenarios (1 GiB of RAM). */
static const struct fz_config scenario_configs[] = {
	{ "pseries-7.2,ic-mode=xics", "2", "1G", NULL, NULL },
	{ "pseries-7.2,ic-mode=xive", "2", "1G", NULL, NULL },
	{ "pseries-7.2,ic-mode=dual", "2", "1G", NULL, NULL },
	{ "pseries-7.2,ic-mode=dual,vsmt=2", "2,maxcpus=4", "1G", NULL, NULL },
	{ "pseries-7.2,ic-mode=xics,vsmt=8", "2,maxcpus=4", "1G", NULL, NULL },
	{ "pseries-7.2,ic-mode=xive", "1,maxcpus=2", "1G", NULL, NULL },
};

#define NR_DESTS (FZ_NR_CONFIGS + ARRAY_SIZE(scenario_configs))

static const struct fz_config *dest_config(size_t i)
{
	return i < FZ_NR_CONFIGS ? &fz_configs[i] :
				   &scenario_configs[i - FZ_NR_CONFIGS];
}

/* The machine types of the destinations, resolved once. */
static char dest_machine[NR_DESTS][64];
static spirq_config dest_cfg[NR_DESTS];

/*
 * A destination with live state: the usual sources claimed, the mode
 * negotiated (XIVE where there is XIVE), a source routed to vCPU 0 and
 * fired (an event in a queue in guest RAM, or presented by the ICP), an
 * LSI asserted.  A refused restore must leave all of it, the negotiated
 * mode included (which "info pic" does not show: the saved streams are
 * compared).
 */
static void live_setup(struct fz_host *h)
{
	uint32_t server = spirq_vcpu_id(&h->cfg, 0);
	uint32_t cells[3] = { SPIRQ_IRQ_VIO, server, 5 }, ret[1];

	fz_claim_defaults(h);
	if (h->cfg.cap_xive) {
		fz_cas(h, 0x40);
		/* queue of priority 5 at 64 KiB, 64 KiB long; route VIO */
		{
			uint64_t args[SPIRQ_HCALL_MAX_ARGS] = {
				0, server, 5, 0x10000, 16,
			};
			uint64_t rets[SPIRQ_HCALL_MAX_RETS];

			fz_hcall(h, 0, SPIRQ_H_INT_SET_QUEUE_CONFIG, args,
				 rets, NULL);
		}
		{
			uint64_t args[SPIRQ_HCALL_MAX_ARGS] = {
				0, SPIRQ_IRQ_VIO, server, 5, 0x1100,
			};
			uint64_t rets[SPIRQ_HCALL_MAX_RETS];

			fz_hcall(h, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, args,
				 rets, NULL);
		}
	} else {
		fz_cas(h, 0x00);
		spirq_rtas(h->m, 0, SPIRQ_RTAS_SET_XIVE, 3, cells, 1, ret);
		fz_host_check(h);
	}
	spirq_set_irq(h->m, SPIRQ_IRQ_VIO, 1);
	spirq_set_irq(h->m, SPIRQ_IRQ_VIO, 0);
	spirq_set_irq(h->m, SPIRQ_IRQ_PCI_LSI, 1);
	fz_host_check(h);
}

/* Guest and device activity on a restored machine. */
static void probe(struct fz_host *h)
{
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { 0 };
	uint64_t rets[SPIRQ_HCALL_MAX_RETS], value;
	const spirq_config *c = &h->cfg;
	unsigned cpu, prio, n;
	uint32_t irq;

	fz_info_pic(h);
	for (cpu = 0; cpu < c->max_cpus; cpu++) {
		uint32_t id = spirq_vcpu_id(c, cpu);

		args[0] = id;
		fz_hcall(h, cpu, SPIRQ_H_IPOLL, args, rets, NULL);
		if (fz_hcall(h, cpu, SPIRQ_H_XIRR, args, rets, &n) ==
		    SPIRQ_H_SUCCESS && n && rets[0]) {
			args[0] = rets[0];
			fz_hcall(h, cpu, SPIRQ_H_EOI, args, rets, NULL);
		}
		for (prio = 0; prio < 8; prio++) {
			args[0] = 1;
			args[1] = id;
			args[2] = prio;
			fz_hcall(h, cpu, SPIRQ_H_INT_GET_QUEUE_CONFIG, args,
				 rets, NULL);
			args[0] = 0;
			fz_hcall(h, cpu, SPIRQ_H_INT_GET_QUEUE_INFO, args,
				 rets, NULL);
		}
		spirq_mmio_load(h->m, cpu, SPIRQ_REGION_TIMA, 0x20010, 8,
				&value);
		spirq_mmio_load(h->m, cpu, SPIRQ_REGION_TIMA, 0x20810, 2,
				&value);
		fz_host_check(h);
	}
	memset(args, 0, sizeof(args));
	for (irq = 0; irq < SPIRQ_XIRQ_BASE + c->nr_xirqs; irq++) {
		uint32_t o = irq - SPIRQ_XIRQ_BASE;

		/* the IPIs, and the sources devices and MSIs usually take */
		if (irq >= SPIRQ_XIRQ_BASE && (o & 0xff) >= 0x10 &&
		    (o < 0x300 || o >= 0x340))
			continue;
		if (irq < c->nr_ipis || irq >= SPIRQ_XIRQ_BASE) {
			args[1] = irq;
			fz_hcall(h, 0, SPIRQ_H_INT_GET_SOURCE_CONFIG, args,
				 rets, NULL);
			spirq_mmio_load(h->m, 0, SPIRQ_REGION_ESB,
					((uint64_t)irq << SPIRQ_XIVE_ESB_SHIFT) +
					0x10800, 8, &value);
		}
		if (irq >= SPIRQ_XIRQ_BASE &&
		    spirq_set_irq(h->m, irq, 1) == 0)
			spirq_set_irq(h->m, irq, 0);
		fz_host_check(h);
	}
	for (cpu = 0; cpu < c->max_cpus; cpu++)
		fz_hcall(h, cpu, SPIRQ_H_XIRR, args, rets, NULL);
	fz_info_pic(h);
	FZ_ASSERT(spirq_reset(h->m) == 0, "reset");
	fz_host_check(h);
	fz_info_pic(h);
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/*
 * The destination VMM has the source's devices, which claim their sources
 * before the stream comes (spirq_restore() refuses a claim mismatch):
 * claim on @h what the stream's CLAIMS section lists, when there is one.
 */
static void claim_like(struct fz_host *h, const uint8_t *buf, size_t len)
{
	size_t at = len > 13 ? 13 + (size_t)buf[12] : len;

	while (at + 5 <= len && buf[at] != 4) {
		uint32_t n = be32_at(buf + at + 1);

		if (buf[at] == 0xff || n > len - at - 5)
			return;
		at += 5 + n;
	}
	if (at + 9 <= len) {
		uint32_t plen = be32_at(buf + at + 1);
		uint32_t count = be32_at(buf + at + 5), i;
		size_t rec = at + 9;

		for (i = 0; i < count && plen <= len - at - 5 &&
			    rec + 6 <= at + 5 + plen; i++, rec += 6)
			spirq_irq_claim(h->m, be32_at(buf + rec),
					buf[rec + 4] == 2, NULL);
	}
	fz_host_check(h);
}

/*
 * A refused restore leaves the destination exactly as it was: its whole
 * state (every table and register, the negotiated mode, the lines; what
 * its saved stream is made of) and, with SPIRQ_FUZZ_VERIFY, its saved
 * stream itself.
 */
static void refused(struct fz_host *h, const struct fz_snapshot *before,
		    const uint8_t *before_stream, size_t before_len,
		    const spirq_error *err, int ret)
{
	uint8_t *out;
	size_t out_len;

	fz_check_error(err, ret);
	FZ_ASSERT(fz_snapshot_same(h->m, before),
		  "refused stream (%s) changed the destination (-M %s)",
		  err->message, h->cfg.machine_name);
	if (!before_stream)
		return;
	out = fz_save(h, &out_len);
	FZ_ASSERT(out_len == before_len &&
		  !memcmp(out, before_stream, out_len),
		  "refused stream (%s) changed the destination's stream (-M %s)",
		  err->message, h->cfg.machine_name);
	free(out);
}

/*
 * Accepted: canonical (a stream of another shape saves the destination's,
 * which must then be canonical), and independent of the destination's
 * state; @probe: then guest activity and a reset, and the stream again.
 */
static void accepted(struct fz_host *h, const uint8_t *buf, size_t len,
		     bool probe_it)
{
	spirq_error err;
	uint8_t *out;
	size_t out_len;
	int ret;

	if (fz_stream_fits(buf, len, &h->cfg)) {
		fz_check_saved_back(h, buf, len, "accepted stream");
		if (!probe_it)
			return;
		probe(h);
		fz_restore_exact(h, buf, len,
				 "stream restored after activity");
		return;
	}
	out = fz_save(h, &out_len);
	fz_restore_exact(h, out, out_len,
			 "stream of another shape, saved back");
	if (probe_it) {
		probe(h);
		ret = spirq_restore(h->m, buf, len, &err);
		FZ_ASSERT(ret == 0, "stream accepted, then refused: %s",
			  err.message);
		fz_host_check(h);
	}
	free(out);
}

/* Restore @buf into @h (after its claims), then the checks above. */
static void try_restore(struct fz_host *h, const uint8_t *buf, size_t len,
			bool probe_it)
{
	struct fz_snapshot *before;
	spirq_error err;
	uint8_t *stream = NULL;
	size_t stream_len = 0;
	int ret;

	claim_like(h, buf, len);
	before = fz_snapshot_take(h->m);
	if (fz_verify)
		stream = fz_save(h, &stream_len);
	ret = spirq_restore(h->m, buf, len, &err);
	FZ_ASSERT(ret == 0 || ret == -SPIRQ_ERR_STREAM ||
		  ret == -SPIRQ_ERR_INCOMPAT || ret == -SPIRQ_ERR_NOMEM,
		  "restore: %d", ret);
	fz_host_check(h);
	if (ret)
		refused(h, before, stream, stream_len, &err, ret);
	else
		accepted(h, buf, len, probe_it);
	fz_snapshot_free(before);
	free(stream);
}

/* The machine type a stream names, or "". */
static void stream_machine(const uint8_t *buf, size_t len, char *name,
			   size_t size)
{
	size_t n;

	name[0] = '\0';
	if (len < 13 || memcmp(buf, "SPIRQMIG", 8))
		return;
	n = buf[12];
	if (n >= size || 13 + n > len)
		return;
	memcpy(name, buf + 13, n);
	name[n] = '\0';
}

/*
 * The destination of a stream: the first of its machine type and shape,
 * else the first of its machine type, else the first of all (to exercise
 * the refusals).
 */
static size_t pick_dest(const uint8_t *buf, size_t len)
{
	char name[256];
	size_t i, same_type = NR_DESTS;

	stream_machine(buf, len, name, sizeof(name));
	for (i = 0; i < NR_DESTS; i++) {
		if (strcmp(dest_machine[i], name))
			continue;
		if (same_type == NR_DESTS)
			same_type = i;
		if (fz_stream_fits(buf, len, &dest_cfg[i]))
			return i;
	}
	return same_type < NR_DESTS ? same_type : 0;
}

/*
 * One destination as new (the one the stream names), one with live state
 * (its twin): at most two restores of each stream, whatever the stream.
 */
static struct fz_host *restore_twice(const uint8_t *buf, size_t len)
{
	size_t i = pick_dest(buf, len);
	struct fz_host *h;

	h = fz_host_acquire(dest_config(i), NULL, 0);
	try_restore(h, buf, len, true);
	fz_host_release(h);
	h = fz_host_acquire(dest_config(i), live_setup, 1);
	try_restore(h, buf, len, false);
	return h;
}

static void init_dests(void)
{
	struct fz_host h;
	size_t i;

	for (i = 0; i < NR_DESTS; i++) {
		fz_host_start(&h, dest_config(i));
		snprintf(dest_machine[i], sizeof(dest_machine[i]), "%s",
			 h.cfg.machine_name);
		dest_cfg[i] = h.cfg;
		fz_host_stop(&h);
	}
}

static struct fz_host *run(const uint8_t *data, size_t size)
{
	struct fz_host *h;
	uint8_t *copy;
	uLong crc;

	/* a copy of exactly the input's size: ASan sees any overread */
	copy = malloc(size ? size : 1);
	FZ_ASSERT(copy, "out of memory");
	memcpy(copy, data, size);
	h = restore_twice(copy, size);
	if (size >= 4) {
		crc = crc32(crc32(0L, Z_NULL, 0), copy, (uInt)(size - 4));
		copy[size - 4] = (uint8_t)(crc >> 24);
		copy[size - 3] = (uint8_t)(crc >> 16);
		copy[size - 2] = (uint8_t)(crc >> 8);
		copy[size - 1] = (uint8_t)crc;
		if (memcmp(copy, data, size)) {
			fz_host_release(h);
			h = restore_twice(copy, size);
		}
	}
	free(copy);
	return h;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	init_dests();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run(data, size, run);
}
