// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Restore, compatibility: can this destination take this stream?  The
 * machine type, the interrupt capabilities (seed 003), the configuration
 * record's sizes, which sections a stream of this kind holds, the CPU
 * (the compat mode the vCPUs run in) and the sources the destination's
 * devices claimed.
 */
#include <string.h>

#include <spirq/migration.h>
#include <spirq/topology.h>

#include "common/error-internal.h"
#include "migration/restore-internal.h"

unsigned restore_image_caps(const struct image *img)
{
	if (image_has(img, SEC_CONFIG))
		return img->config.caps;
	/* no record (machine types before 4.2): the sections tell */
	return (image_has(img, SEC_ICS) ? CAP_XICS : 0) |
	       (image_has(img, SEC_XIVE_SOURCES) ? CAP_XIVE : 0);
}

static int check_layout(struct restore_ctx *c, const spirq_machine *m,
			const struct image *img)
{
	bool want_config = stream_has_config(&m->cfg);
	unsigned caps = restore_image_caps(img);
	static const enum section_type xics[] = { SEC_ICS, SEC_ICP };
	static const enum section_type xive[] = {
		SEC_XIVE_SOURCES, SEC_XIVE_EAS, SEC_XIVE_ENDS, SEC_XIVE_TCTX
	};
	size_t i;

	if (!!(img->flags & STREAM_FLAG_CONFIG) != image_has(img, SEC_CONFIG))
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "header and configuration record disagree");
	if (image_has(img, SEC_CONFIG) != want_config)
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "%s streams %s a configuration record",
				    m->cfg.machine_name,
				    want_config ? "carry" : "do not carry");
	for (i = 0; i < 2; i++)
		if (image_has(img, xics[i]) != !!(caps & CAP_XICS))
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "XICS sections do not match the caps");
	for (i = 0; i < 4; i++)
		if (image_has(img, xive[i]) != !!(caps & CAP_XIVE))
			return restore_fail(c, SPIRQ_ERR_STREAM,
					    "XIVE sections do not match the caps");
	if (!caps || !image_has(img, SEC_MACHINE) || !image_has(img, SEC_CPUS) ||
	    !image_has(img, SEC_CLAIMS) || !image_has(img, SEC_MSI))
		return restore_fail(c, SPIRQ_ERR_STREAM, "a mandatory section is missing");
	return 0;
}

static int check_config(struct restore_ctx *c, const spirq_machine *m,
			const struct image *img)
{
	const struct rec_config *r = &img->config;
	const spirq_config *d = &m->cfg;

	if (!image_has(img, SEC_CONFIG))
		return 0;
	static const uint8_t mode_caps[] = {
		[SPIRQ_IC_MODE_XICS] = CAP_XICS,
		[SPIRQ_IC_MODE_XIVE] = CAP_XIVE,
		[SPIRQ_IC_MODE_DUAL] = CAP_XICS | CAP_XIVE,
	};

	if (r->caps & ~(CAP_XICS | CAP_XIVE) || r->ic_mode > SPIRQ_IC_MODE_DUAL ||
	    mode_caps[r->ic_mode] != r->caps ||
	    r->xics_backend > SPIRQ_BACKEND_IN_KERNEL ||
	    r->xive_backend > SPIRQ_BACKEND_IN_KERNEL)
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "configuration record holds undefined values");
	/* a source without XIVE writes no XIVE sizes (canonical streams) */
	if (!(r->caps & CAP_XIVE) && (r->nr_ipis || r->nr_ends))
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "XIVE sizes (%u IPIs, %u ENDs) without XIVE",
				    r->nr_ipis, r->nr_ends);
	if (r->max_cpus != d->max_cpus || r->threads != d->threads ||
	    r->vsmt != d->vsmt || r->vcpu_id_bound != d->vcpu_id_bound)
		return restore_fail(c, SPIRQ_ERR_INCOMPAT,
				    "vCPU topology: maxcpus %u, threads %u, vsmt %u in the stream; %u, %u, %u on the destination",
				    r->max_cpus, r->threads, r->vsmt, d->max_cpus,
				    d->threads, d->vsmt);
	if (r->nr_xirqs != d->nr_xirqs)
		return restore_fail(c, SPIRQ_ERR_INCOMPAT,
				    "%u external sources in the stream, %u on the destination",
				    r->nr_xirqs, d->nr_xirqs);
	if ((r->caps & CAP_XIVE) && d->cap_xive &&
	    (r->nr_ipis != d->nr_ipis || r->nr_ends != d->nr_ends))
		return restore_fail(c, SPIRQ_ERR_INCOMPAT,
				    "XIVE sizes: %u IPIs and %u ENDs in the stream, %u and %u on the destination",
				    r->nr_ipis, r->nr_ends, d->nr_ipis, d->nr_ends);
	if (r->ram_size != d->ram_size)
		return restore_fail(c, SPIRQ_ERR_INCOMPAT,
				    "guest RAM: %llu bytes in the stream, %llu on the destination",
				    (unsigned long long)r->ram_size,
				    (unsigned long long)d->ram_size);
	return 0;
}

/*
 * The CPU record: the source's CPU model and the compat mode its vCPUs
 * run in.  Version 1 streams have none: nothing to check.
 */
static int check_cpu(struct restore_ctx *c, const spirq_machine *m,
		     const struct image *img)
{
	uint32_t pvr = img->compat_pvr;

	if (!img->has_cpu)
		return 0;
	restore_at(c, img, SEC_MACHINE);
	if (img->cpu < SPIRQ_CPU_POWER7 || img->cpu > SPIRQ_CPU_POWER10 ||
	    (pvr && (pvr < spapr_compat_pvr(SPIRQ_CPU_POWER6) ||
		     pvr > spapr_compat_pvr(img->cpu))))
		return restore_fail(c, SPIRQ_ERR_STREAM,
				    "CPU model %u with compat PVR 0x%08x", img->cpu,
				    pvr);
	c->section = NULL;
	return check_cpu_compat(img->cpu, pvr, m->cfg.cpu, c->err);
}

int restore_check_compat(struct restore_ctx *c, const spirq_machine *m,
			 const struct image *img)
{
	unsigned dst_caps = (m->ics ? CAP_XICS : 0) | (m->xive ? CAP_XIVE : 0);
	int ret;

	if (strcmp(img->machine, m->cfg.machine_name))
		return restore_fail(c, SPIRQ_ERR_INCOMPAT,
				    "machine type %s in the stream, the destination is %s",
				    img->machine, m->cfg.machine_name);
	ret = check_cpu(c, m, img);
	if (!ret)
		ret = check_layout(c, m, img);
	if (!ret)
		ret = check_caps(restore_image_caps(img), dst_caps, c->err);
	if (!ret)
		ret = check_config(c, m, img);
	return ret;
}

static const char *claim_name(uint8_t type)
{
	return type == CLAIM_LSI ? "LSI" : "MSI";
}

/* Is @irq inside one of the stream's allocated MSI blocks? */
static bool in_msi_block(const struct image *img, uint32_t irq)
{
	uint32_t i;

	for (i = 0; i < img->msi.n; i++)
		if (irq >= SPIRQ_IRQ_MSI + img->msi.v[i].first &&
		    irq - SPIRQ_IRQ_MSI - img->msi.v[i].first < img->msi.v[i].num)
			return true;
	return false;
}

/*
 * A source the stream claims and the destination does not may only be one
 * of the guest's MSIs (ibm,change-msi: guest state, which the stream
 * carries).  Legacy machine types allocate MSIs among the claims, with no
 * allocator to tell them from devices' MSIs.
 */
static bool guest_msi(const spirq_machine *m, const struct image *img,
		      uint32_t irq, uint8_t type)
{
	return type == CLAIM_MSI &&
	       (m->cfg.legacy_xics || in_msi_block(img, irq));
}

#define SAME_BLOCK 64

int restore_check_device_claims(struct restore_ctx *c, const spirq_machine *m,
				const struct image *img, const uint8_t *claim)
{
	uint32_t irq;

	restore_at(c, img, SEC_CLAIMS);
	for (irq = SPIRQ_XIRQ_BASE; irq < m->nr_irqs; irq++) {
		uint8_t here = m->claims[irq], there = claim[irq];

		/* mostly the same: a comparison per block first */
		if (irq % SAME_BLOCK == 0 && irq + SAME_BLOCK <= m->nr_irqs &&
		    !memcmp(&m->claims[irq], &claim[irq], SAME_BLOCK)) {
			irq += SAME_BLOCK - 1;
			continue;
		}
		if (here == there)
			continue;
		if (here == CLAIM_FREE && guest_msi(m, img, irq, there))
			continue;
		if (here == CLAIM_FREE)
			return restore_fail(c, SPIRQ_ERR_INCOMPAT,
					    "IRQ 0x%x is claimed as %s in the stream but not on the destination",
					    irq, claim_name(there));
		if (there == CLAIM_FREE)
			return restore_fail(c, SPIRQ_ERR_INCOMPAT,
					    "IRQ 0x%x is claimed as %s on the destination but not in the stream",
					    irq, claim_name(here));
		return restore_fail(c, SPIRQ_ERR_INCOMPAT,
				    "IRQ 0x%x is claimed as %s on the destination but %s in the stream",
				    irq, claim_name(here), claim_name(there));
	}
	return 0;
}
