// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vCPU numbering: cpu_index <-> vCPU id, thread-0 cores, END slots.
 *
 * Everything here is arithmetic on the configuration: spirq keeps no table
 * indexed by vCPU id, so memory never grows with the vCPU-id bound.
 */
#include <spirq/topology.h>

uint32_t spirq_vcpu_id(const spirq_config *cfg, unsigned cpu_index)
{
	return (cpu_index / cfg->threads) * cfg->vsmt +
	       cpu_index % cfg->threads;
}

int spirq_vcpu_index(const spirq_config *cfg, uint64_t vcpu_id)
{
	uint64_t core = vcpu_id / cfg->vsmt;
	uint64_t thread = vcpu_id % cfg->vsmt;
	uint64_t index;

	if (thread >= cfg->threads)
		return -SPIRQ_ERR_NOTFOUND;
	index = core * cfg->threads + thread;
	if (index >= cfg->max_cpus)
		return -SPIRQ_ERR_NOTFOUND;
	return (int)index;
}

bool spirq_vcpu_is_thread0(const spirq_config *cfg, unsigned cpu_index)
{
	return spirq_vcpu_id(cfg, cpu_index) % cfg->vsmt == 0;
}

uint32_t spirq_xive_end_slot(const spirq_config *cfg, unsigned cpu_index)
{
	if (cfg->xive_by_max_cpus)
		return cpu_index;
	return spirq_vcpu_id(cfg, cpu_index);
}
