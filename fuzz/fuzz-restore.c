// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: spirq_restore() on arbitrary bytes.
 *
 * The input is a migration stream.  It is restored as it is, and once
 * more with its last 4 bytes replaced by the CRC-32 of the rest, so that
 * mutations get past the integrity check and reach the validators.  The
 * destinations are the machines of a small table whose machine type is
 * the one the stream names (or the first one, to exercise the refusals).
 *
 * Checks:
 *   - a refused stream leaves the destination exactly as it was (its
 *     saved stream is unchanged) and comes with an error message;
 *   - an accepted stream saves back to the same bytes, but for the two
 *     backend bytes of the configuration record and the CPU model (they
 *     describe the source's host; canonical streams), and the version
 *     and CPU record of a format version 1 stream;
 *   - the restored machine then survives guest calls, device events and
 *     a reset, and accepts the same stream again.
 *
 * A destination first claims the sources the stream's CLAIMS section
 * lists, as the destination VMM's devices would (a claim mismatch is
 * refused).  Destination machines are kept from one input to the next
 * while they are pristine (a refused restore changes nothing, which is
 * checked).
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzz-common.h"

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

struct dest {
	const struct fz_config *config;
	struct fz_host h;
	bool live;
	uint8_t *pristine;		/* its stream before any restore */
	size_t pristine_len;
};

static struct dest dests[NR_DESTS];

static void dest_start(struct dest *d)
{
	if (d->live)
		return;
	fz_host_start(&d->h, d->config);
	d->live = true;
}

static void dest_stop(struct dest *d)
{
	fz_host_stop(&d->h);
	free(d->pristine);
	d->pristine = NULL;
	d->live = false;
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
 * claim on @d what the stream's CLAIMS section lists, when there is one.
 * returns: whether anything was claimed.
 */
static bool claim_like(struct dest *d, const uint8_t *buf, size_t len)
{
	size_t at = len > 13 ? 13 + (size_t)buf[12] : len;
	bool claimed = false;

	while (at + 5 <= len && buf[at] != 4) {
		uint32_t n = be32_at(buf + at + 1);

		if (buf[at] == 0xff || n > len - at - 5)
			return false;
		at += 5 + n;
	}
	if (at + 9 <= len) {
		uint32_t plen = be32_at(buf + at + 1);
		uint32_t count = be32_at(buf + at + 5), i;
		size_t rec = at + 9;

		for (i = 0; i < count && plen <= len - at - 5 &&
			    rec + 6 <= at + 5 + plen; i++, rec += 6)
			claimed |= spirq_irq_claim(d->h.m, be32_at(buf + rec),
						   buf[rec + 4] == 2, NULL) == 0;
	}
	return claimed;
}

/*
 * @check_atomic: compare the destination's stream after a refusal (a save
 * costs a walk of every table: one destination per input is enough).
 */
static void try_restore(struct dest *d, const uint8_t *buf, size_t len,
			bool check_atomic)
{
	spirq_error err;
	uint8_t *out;
	size_t out_len;
	bool claimed;
	int ret;

	dest_start(d);
	claimed = claim_like(d, buf, len);
	if (claimed) {
		free(d->pristine);
		d->pristine = NULL;
	}
	if (check_atomic && !d->pristine)
		d->pristine = fz_save(&d->h, &d->pristine_len);
	ret = spirq_restore(d->h.m, buf, len, &err);
	FZ_ASSERT(ret == 0 || ret == -SPIRQ_ERR_STREAM ||
		  ret == -SPIRQ_ERR_INCOMPAT || ret == -SPIRQ_ERR_NOMEM,
		  "restore: %d", ret);
	fz_host_check(&d->h);
	if (ret) {
		fz_check_error(&err, ret);
		if (check_atomic) {
			out = fz_save(&d->h, &out_len);
			FZ_ASSERT(out_len == d->pristine_len &&
				  !memcmp(out, d->pristine, out_len),
				  "refused stream (%s) changed the destination",
				  err.message);
			free(out);
		}
		if (claimed)		/* no longer the pristine machine */
			dest_stop(d);
		return;
	}
	/*
	 * Accepted: canonical (a stream of another shape saves the
	 * destination's, which must then be canonical), and independent of
	 * the destination's state.
	 */
	if (fz_stream_fits(buf, len, &d->h.cfg)) {
		fz_check_saved_back(&d->h, buf, len, "accepted stream");
		probe(&d->h);
		fz_restore_exact(&d->h, buf, len,
				 "stream restored after activity");
	} else {
		out = fz_save(&d->h, &out_len);
		fz_restore_exact(&d->h, out, out_len,
				 "stream of another shape, saved back");
		probe(&d->h);
		ret = spirq_restore(d->h.m, buf, len, &err);
		FZ_ASSERT(ret == 0, "stream accepted, then refused: %s",
			  err.message);
		fz_host_check(&d->h);
		free(out);
	}
	dest_stop(d);
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

static void restore_everywhere(const uint8_t *buf, size_t len)
{
	char name[256];
	bool tried = false;
	size_t i;

	stream_machine(buf, len, name, sizeof(name));
	for (i = 0; i < NR_DESTS; i++) {
		struct dest *d = &dests[i];

		dest_start(d);
		if (strcmp(d->h.cfg.machine_name, name))
			continue;
		try_restore(d, buf, len, !tried);
		tried = true;
	}
	if (!tried)
		try_restore(&dests[0], buf, len, true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;
	uLong crc;
	size_t i;

	if (!dests[0].config) {
		for (i = 0; i < FZ_NR_CONFIGS; i++)
			dests[i].config = &fz_configs[i];
		for (i = 0; i < ARRAY_SIZE(scenario_configs); i++)
			dests[FZ_NR_CONFIGS + i].config = &scenario_configs[i];
	}
	/* a copy of exactly the input's size: ASan sees any overread */
	copy = malloc(size ? size : 1);
	FZ_ASSERT(copy, "out of memory");
	memcpy(copy, data, size);
	restore_everywhere(copy, size);
	if (size >= 4) {
		crc = crc32(crc32(0L, Z_NULL, 0), copy, (uInt)(size - 4));
		copy[size - 4] = (uint8_t)(crc >> 24);
		copy[size - 3] = (uint8_t)(crc >> 16);
		copy[size - 2] = (uint8_t)(crc >> 8);
		copy[size - 1] = (uint8_t)crc;
		if (memcmp(copy, data, size))
			restore_everywhere(copy, size);
	}
	free(copy);
	return 0;
}
