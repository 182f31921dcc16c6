// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Migration compatibility: which source configurations a destination can
 * take (seed 003), with or without a stream.
 *
 *   source \ destination   xics   xive   dual
 *   xics                   yes    no     yes
 *   xive                   no     yes    yes
 *   dual                   no     no     yes
 *
 * The rule behind the table: the destination must offer every interrupt
 * controller the source offered, because the guest may reboot and
 * negotiate any mode the source let it.  A refusal names the first missing
 * capability as QEMU's capability check does.
 */
#include <string.h>

#include <spirq/migration.h>
#include <spirq/topology.h>

#include "common/error-internal.h"
#include "migration/migration-internal.h"
#include "xive/xive-internal.h"

int check_caps(unsigned src_caps, unsigned dst_caps, spirq_error *err)
{
	static const struct {
		unsigned bit;
		const char *name;
	} caps[] = { { CAP_XICS, "xics" }, { CAP_XIVE, "xive" } };
	size_t i;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		unsigned src = !!(src_caps & caps[i].bit);
		unsigned dst = !!(dst_caps & caps[i].bit);

		if (src > dst)
			return spirq__error_set(err, SPIRQ_ERR_INCOMPAT,
				"cap-%s higher level (%u) in incoming stream than on destination (%u)",
				caps[i].name, src, dst);
	}
	return 0;
}

int check_cpu_compat(spirq_cpu_model src_cpu, uint32_t src_compat_pvr,
		     spirq_cpu_model dst_cpu, spirq_error *err)
{
	if (!src_compat_pvr && src_cpu != dst_cpu)
		return spirq__error_set(err, SPIRQ_ERR_INCOMPAT,
			"the vCPUs run in raw %s mode (no compat mode negotiated yet), which needs a %s CPU on the destination, not %s",
			spirq_cpu_model_name(src_cpu),
			spirq_cpu_model_name(src_cpu),
			spirq_cpu_model_name(dst_cpu));
	if (src_compat_pvr > spapr_compat_pvr(dst_cpu))
		return spirq__error_set(err, SPIRQ_ERR_INCOMPAT,
			"Compatibility PVR 0x%08x not valid for CPU",
			src_compat_pvr);
	return 0;
}

static unsigned config_caps(const spirq_config *cfg)
{
	return (cfg->cap_xics ? CAP_XICS : 0) | (cfg->cap_xive ? CAP_XIVE : 0);
}

int spirq_migration_check(const spirq_config *src, const spirq_config *dst,
			  spirq_error *err)
{
	int ret;

	spirq_error_clear(err);
	if (strcmp(src->machine_name, dst->machine_name))
		return spirq__error_set(err, SPIRQ_ERR_INCOMPAT,
			"machine type %s on the source, %s on the destination",
			src->machine_name, dst->machine_name);
	/* a booted guest: CAS negotiated the highest compat mode allowed */
	ret = check_cpu_compat(src->cpu, spapr_compat_pvr(src->compat),
			       dst->cpu, err);
	if (ret)
		return ret;
	ret = check_caps(config_caps(src), config_caps(dst), err);
	if (ret)
		return ret;
	if (src->max_cpus != dst->max_cpus || src->threads != dst->threads ||
	    src->vsmt != dst->vsmt)
		return spirq__error_set(err, SPIRQ_ERR_INCOMPAT,
			"vCPU topology differs: maxcpus %u, threads %u, vsmt %u on the source; %u, %u, %u on the destination",
			src->max_cpus, src->threads, src->vsmt, dst->max_cpus,
			dst->threads, dst->vsmt);
	if (src->ram_size != dst->ram_size)
		return spirq__error_set(err, SPIRQ_ERR_INCOMPAT,
			"guest RAM differs: %llu bytes on the source, %llu on the destination",
			(unsigned long long)src->ram_size,
			(unsigned long long)dst->ram_size);
	return 0;
}

uint64_t eas_default(const spirq_machine *m, uint32_t lisn)
{
	bool claimed = lisn < SPIRQ_XIRQ_BASE ? lisn < m->cfg.nr_ipis :
		       lisn < m->nr_irqs && m->claims[lisn] != CLAIM_FREE;

	return claimed ? EAS_VALID | EAS_MASKED : 0;
}

void tctx_reset_image(const spirq_machine *m, unsigned cpu, uint8_t *regs)
{
	struct xive_tctx tmp = { .cpu = cpu };

	xive_tctx_reset(&tmp, spirq_vcpu_id(&m->cfg, cpu));
	memcpy(regs, tmp.regs, sizeof(tmp.regs));
}

const char *stream_section_name(unsigned type)
{
	static const char *const names[] = {
		[SEC_CONFIG] = "CONFIG", [SEC_MACHINE] = "MACHINE",
		[SEC_CPUS] = "CPUS", [SEC_CLAIMS] = "CLAIMS",
		[SEC_MSI] = "MSI", [SEC_ICS] = "ICS", [SEC_ICP] = "ICP",
		[SEC_XIVE_SOURCES] = "XIVE-SOURCES",
		[SEC_XIVE_EAS] = "XIVE-EAS", [SEC_XIVE_ENDS] = "XIVE-ENDS",
		[SEC_XIVE_TCTX] = "XIVE-TCTX",
	};

	if (type == SEC_END)
		return "END";
	return type < sizeof(names) / sizeof(names[0]) && names[type] ?
		names[type] : "unknown";
}
