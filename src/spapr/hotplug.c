// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vCPU core hot-plug and unplug: presenters created and reset in every
 * present controller, destroyed on unplug.
 *
 * Sources still aimed at a vCPU that goes away are masked, not lost:
 *   XICS  priority 0xff, the old priority kept as saved priority (so
 *         ibm,int-on restores it) and a rejected MSI kept pending as
 *         masked-pending, delivered once the guest retargets and unmasks it;
 *   XIVE  the EAS is masked; the vCPU's ENDs are reset (their queues
 *         belonged to the departed vCPU: its END group is freed, see
 *         src/xive/spapr-xive.c), so a vCPU plugged again in that slot
 *         starts clean.
 * QEMU leaves them in place; a later delivery to the missing server would
 * dereference a missing presenter.
 */
#include <string.h>

#include <spirq/topology.h>

#include "common/error-internal.h"
#include "kvm/kvm.h"
#include "spapr/irq-internal.h"
#include "xics/xics-internal.h"
#include "xive/xive-internal.h"

int spapr_cpu_plug_locked(spirq_machine *m, unsigned cpu)
{
	struct vcpu_slot *v = &m->vcpus[cpu];
	const struct spapr_intc_ops *ops;
	int i, ret;

	v->vcpu_id = spirq_vcpu_id(&m->cfg, cpu);
	v->hot->line = 0;
	for_each_intc(m, ops, i) {
		ret = ops->cpu_create(m, cpu);
		if (ret)
			goto undo;
	}
	v->present = true;
	m->vcpus_changed = true;
	m->plug_order[m->nr_plugged++] = cpu;
	for_each_intc(m, ops, i)
		ops->cpu_reset(m, cpu);
	ret = spapr_kvm_cpu_plugged(m, cpu);
	if (ret)
		spapr_cpu_unplug_locked(m, cpu);
	return ret;
undo:
	for_each_intc(m, ops, i)
		if ((ops == &spapr_xics_ops && v->icp) ||
		    (ops == &spapr_xive_ops && v->tctx))
			ops->cpu_destroy(m, cpu);
	return ret;
}

static void mask_xics_sources(spirq_machine *m, unsigned cpu)
{
	struct icp *icp = m->vcpus[cpu].icp;
	uint32_t server = m->vcpus[cpu].vcpu_id;
	uint32_t srcno;

	/* what the departing ICP presents goes back to its source */
	if (icp_xisr(icp) && icp->xisr_from_ics)
		ics_reject(m->ics, icp_xisr(icp));
	icp->xisr_from_ics = false;
	/* the others are in reset state: masked, nothing rejected */
	bitmap_for_each_set(srcno, m->ics->live, m->ics->nr_irqs)
		if (m->ics->irqs[srcno].server == server)
			ics_mask_source(m, srcno);
}

static void mask_xive_sources(spirq_machine *m, unsigned cpu)
{
	struct spapr_xive *xive = m->xive;
	uint32_t first = spirq_xive_end_slot(&m->cfg, cpu) * 8;
	uint32_t lisn;

	/* a valid EAS is live */
	bitmap_for_each_set(lisn, xive->source.live, xive->source.nr_irqs) {
		xive_eas *eas = &xive->eat[lisn];
		uint32_t idx = (uint32_t)xive_get_field64(EAS_END_INDEX, eas->w);

		if (xive_eas_is_valid(eas) && idx >= first && idx < first + 8)
			xive_eas_store(xive, lisn,
				       eas->w | host_to_be64(EAS_MASKED));
	}
	/* the ENDs are reset when xive_cpu_destroy() frees their group */
}

void spapr_cpu_unplug_locked(spirq_machine *m, unsigned cpu)
{
	struct vcpu_slot *v = &m->vcpus[cpu];
	const struct spapr_intc_ops *ops;
	unsigned i;
	int c;

	spapr_kvm_cpu_unplugging(m);
	if (m->ics)
		mask_xics_sources(m, cpu);
	if (m->xive)
		mask_xive_sources(m, cpu);
	spapr_cpu_set_line(m, cpu, 0);
	for_each_intc(m, ops, c)
		ops->cpu_destroy(m, cpu);
	v->present = false;
	m->vcpus_changed = true;
	for (i = 0; i < m->nr_plugged; i++) {
		if (m->plug_order[i] == cpu) {
			memmove(&m->plug_order[i], &m->plug_order[i + 1],
				(m->nr_plugged - i - 1) *
				sizeof(*m->plug_order));
			m->nr_plugged--;
			break;
		}
	}
	spapr_kvm_cpu_unplugged(m);
}

/* QEMU's checks of a core id, with its messages. */
static int check_core(const spirq_machine *m, unsigned core_id, bool plug,
		      spirq_error *err)
{
	if (!m->cfg.cpu_hotplug)
		return spirq__error_set(err, SPIRQ_ERR_STATE, plug ?
			"CPU hotplug not supported for this machine" :
			"CPU hot unplug not supported on this machine");
	if (plug && core_id % m->cfg.threads)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"invalid core id %u", core_id);
	if (core_id >= m->cfg.max_cpus || core_id % m->cfg.threads) {
		if (plug)
			return spirq__error_set(err, SPIRQ_ERR_INVAL,
						"core id %u out of range", core_id);
		return spirq__error_set(err, SPIRQ_ERR_NOTFOUND,
			"Unable to find CPU core with core-id: %u", core_id);
	}
	return 0;
}

int spirq_cpu_plug(spirq_machine *m, unsigned core_id, spirq_error *err)
{
	unsigned t;
	int ret;

	spirq_error_clear(err);
	ret = spapr_lock(m, __func__, err);
	if (ret)
		return ret;
	ret = check_core(m, core_id, true, err);
	if (!ret && m->vcpus[core_id].present)
		ret = spirq__error_set(err, SPIRQ_ERR_BUSY,
				       "core %u already populated", core_id);
	for (t = 0; !ret && t < m->cfg.threads; t++) {
		ret = spapr_cpu_plug_locked(m, core_id + t);
		if (ret) {
			while (t--)
				spapr_cpu_unplug_locked(m, core_id + t);
			if (ret == -SPIRQ_ERR_KERNEL)
				spapr_kvm_error(m, err);
			else
				spirq__error_set(err, -ret, "out of memory");
		}
	}
	spapr_unlock(m);
	return ret;
}

int spirq_cpu_unplug(spirq_machine *m, unsigned core_id, spirq_error *err)
{
	unsigned t;
	int ret;

	spirq_error_clear(err);
	ret = spapr_lock(m, __func__, err);
	if (ret)
		return ret;
	ret = check_core(m, core_id, false, err);
	if (!ret && !m->vcpus[core_id].present)
		ret = spirq__error_set(err, SPIRQ_ERR_NOTFOUND,
			"Unable to find CPU core with core-id: %u", core_id);
	if (!ret && core_id == 0)
		ret = spirq__error_set(err, SPIRQ_ERR_STATE,
				       "Boot CPU core may not be unplugged");
	for (t = 0; !ret && t < m->cfg.threads; t++)
		spapr_cpu_unplug_locked(m, core_id + t);
	spapr_unlock(m);
	return ret;
}
