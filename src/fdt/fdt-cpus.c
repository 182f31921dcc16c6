// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The cpu nodes' interrupt properties.
 *
 * Only thread 0 of each virtual core has a node, named after the CPU
 * model and the vCPU id: /cpus/PowerPC,POWER9@8.  spirq owns three of its
 * properties:
 *
 *   reg                          <id>
 *   ibm,ppc-interrupt-server#s   <id id+1 ... id+n-1>
 *   ibm,ppc-interrupt-gserver#s  <id 0 id+1 0 ... id+n-1 0>
 *
 * with n = threads per core, limited by the compat mode the CPUs run:
 * at reset the max-cpu-compat mode when one is set (none: no limit),
 * after CAS the negotiated one.  POWER6 compat allows 2 threads, POWER7
 * 4, POWER8 and later 8.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <spirq/topology.h>

#include "common/bitmap.h"
#include "fdt/fdt-internal.h"

#define CPU_NODE_NAME_MAX 40

static unsigned compat_max_threads(spirq_cpu_model compat)
{
	return compat == SPIRQ_CPU_POWER6 ? 2 :
	       compat == SPIRQ_CPU_POWER7 ? 4 : 8;
}

unsigned spirq__fdt_cpu_servers(const spirq_config *cfg, unsigned flags)
{
	unsigned n = cfg->threads;

	if ((cfg->compat_set || (flags & SPIRQ_FDT_AFTER_CAS)) &&
	    n > compat_max_threads(cfg->compat))
		n = compat_max_threads(cfg->compat);
	return n;
}

bool spirq__fdt_cpu_has_node(const spirq_machine *m, unsigned cpu)
{
	return m->vcpus[cpu].present && spirq_vcpu_is_thread0(&m->cfg, cpu);
}

static void cpu_node_name(const spirq_machine *m, uint32_t id, char *buf,
			  size_t size)
{
	snprintf(buf, size, "PowerPC,%s@%x", spirq_cpu_model_name(m->cfg.cpu),
		 id);
}

static void fill_servers(void *servers, void *gservers, uint32_t id,
			 unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		fdt32_st((char *)servers + 4 * i, id + i);
		fdt32_st((char *)gservers + 8 * i, id + i);
		fdt32_st((char *)gservers + 8 * i + 4, 0);
	}
}

/* ---- sequential write (spirq_fdt_create) ------------------------------- */

static int cpu_node_sw(spirq_machine *m, void *fdt, unsigned cpu,
		       unsigned n)
{
	uint32_t id = m->vcpus[cpu].vcpu_id;
	char name[CPU_NODE_NAME_MAX];
	void *servers, *gservers;
	int ret;

	cpu_node_name(m, id, name, sizeof(name));
	ret = fdt_begin_node(fdt, name);
	if (!ret)
		ret = fdt_property_u32(fdt, "reg", id);
	if (!ret)
		ret = fdt_property_placeholder(fdt,
					       "ibm,ppc-interrupt-server#s",
					       (int)(4 * n), &servers);
	if (!ret)
		ret = fdt_property_placeholder(fdt,
					       "ibm,ppc-interrupt-gserver#s",
					       (int)(8 * n), &gservers);
	if (ret)
		return ret;
	fill_servers(servers, gservers, id, n);
	return fdt_end_node(fdt);
}

int spirq__fdt_cpus_sw(spirq_machine *m, void *fdt, unsigned flags)
{
	unsigned n = spirq__fdt_cpu_servers(&m->cfg, flags);
	unsigned i;
	int ret;

	ret = fdt_begin_node(fdt, "cpus");
	if (!ret)
		ret = fdt_property_u32(fdt, "#address-cells", 1);
	if (!ret)
		ret = fdt_property_u32(fdt, "#size-cells", 0);
	for (i = 0; !ret && i < m->nr_plugged; i++)
		if (spirq__fdt_cpu_has_node(m, m->plug_order[i]))
			ret = cpu_node_sw(m, fdt, m->plug_order[i], n);
	return ret ? ret : fdt_end_node(fdt);
}

/* ---- read-write update (spirq_fdt_populate) ---------------------------- */

static int cpu_props_rw(spirq_machine *m, void *fdt, int node, unsigned cpu,
			unsigned n)
{
	uint32_t id = m->vcpus[cpu].vcpu_id;
	void *reg, *servers, *gservers;
	int ret;

	ret = spirq__fdt_prop_buffer(fdt, node, "reg", 4, &reg);
	if (ret)
		return ret;
	fdt32_st(reg, id);
	/* each call may move the other values: fill them at the end */
	ret = spirq__fdt_prop_buffer(fdt, node, "ibm,ppc-interrupt-server#s",
				     (int)(4 * n), &servers);
	if (ret)
		return ret;
	ret = spirq__fdt_prop_buffer(fdt, node, "ibm,ppc-interrupt-gserver#s",
				     (int)(8 * n), &gservers);
	if (ret)
		return ret;
	servers = fdt_getprop_w(fdt, node, "ibm,ppc-interrupt-server#s", NULL);
	if (!servers)
		return -SPIRQ_ERR_INVAL;
	fill_servers(servers, gservers, id, n);
	return 0;
}

/* The plugged thread-0 vCPU whose node has this name, or -1. */
static int cpu_of_node(const spirq_machine *m, const char *name)
{
	char want[CPU_NODE_NAME_MAX], prefix[CPU_NODE_NAME_MAX];
	unsigned long id;
	size_t plen;
	char *end;
	int cpu;

	plen = (size_t)snprintf(prefix, sizeof(prefix), "PowerPC,%s@",
				spirq_cpu_model_name(m->cfg.cpu));
	if (strncmp(name, prefix, plen))
		return -1;
	id = strtoul(name + plen, &end, 16);
	if (end == name + plen || *end || id > UINT32_MAX)
		return -1;
	/* only the canonical spelling ("@8", not "@08") is ours */
	cpu_node_name(m, (uint32_t)id, want, sizeof(want));
	if (strcmp(name, want))
		return -1;
	cpu = spirq_vcpu_index(&m->cfg, id);
	if (cpu < 0 || !spirq__fdt_cpu_has_node(m, (unsigned)cpu))
		return -1;
	return cpu;
}

int spirq__fdt_cpus_check(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	const fdt32_t *v;
	int len;

	if (cpus == -FDT_ERR_NOTFOUND)
		return 0;
	if (cpus < 0)
		return -SPIRQ_ERR_INVAL;
	v = fdt_getprop(fdt, cpus, "#address-cells", &len);
	if (v && (len != 4 || fdt32_to_cpu(*v) != 1))
		return -SPIRQ_ERR_INVAL;
	v = fdt_getprop(fdt, cpus, "#size-cells", &len);
	if (v && (len != 4 || fdt32_to_cpu(*v) != 0))
		return -SPIRQ_ERR_INVAL;
	return 0;
}

static int cpus_node_rw(void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int ret = 0;

	if (cpus == -FDT_ERR_NOTFOUND)
		cpus = fdt_add_subnode(fdt, 0, "cpus");
	if (cpus < 0)
		return spirq__fdt_error(cpus);
	if (!fdt_getprop(fdt, cpus, "#address-cells", NULL))
		ret = fdt_setprop_u32(fdt, cpus, "#address-cells", 1);
	if (!ret && !fdt_getprop(fdt, cpus, "#size-cells", NULL))
		ret = fdt_setprop_u32(fdt, cpus, "#size-cells", 0);
	return ret ? spirq__fdt_error(ret) : cpus;
}

int spirq__fdt_cpus_rw(spirq_machine *m, void *fdt, unsigned flags,
		       uint64_t *seen)
{
	unsigned n = spirq__fdt_cpu_servers(&m->cfg, flags);
	char name[CPU_NODE_NAME_MAX];
	int cpus, node, ret;
	unsigned i;

	cpus = cpus_node_rw(fdt);
	if (cpus < 0)
		return cpus;

	/*
	 * One pass over the existing nodes.  Updating a node moves what
	 * follows it, not the node itself, so the walk goes on from it.
	 */
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *nm = fdt_get_name(fdt, node, NULL);
		int cpu = nm ? cpu_of_node(m, nm) : -1;

		if (cpu < 0 || bitmap_test(seen, (unsigned)cpu))
			continue;
		bitmap_set(seen, (unsigned)cpu);
		ret = cpu_props_rw(m, fdt, node, (unsigned)cpu, n);
		if (ret)
			return ret;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return spirq__fdt_error(node);

	/* fdt_add_subnode() puts a new node first: go backwards */
	for (i = m->nr_plugged; i-- > 0;) {
		unsigned cpu = m->plug_order[i];

		if (!spirq__fdt_cpu_has_node(m, cpu) || bitmap_test(seen, cpu))
			continue;
		cpu_node_name(m, m->vcpus[cpu].vcpu_id, name, sizeof(name));
		node = fdt_add_subnode(fdt, cpus, name);
		if (node < 0)
			return spirq__fdt_error(node);
		ret = cpu_props_rw(m, fdt, node, cpu, n);
		if (ret)
			return ret;
	}
	return 0;
}
