// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The interrupt part of the guest's device tree, as QEMU 7.2's
 * spapr_build_fdt() writes it: the active controller's node, the cpu
 * nodes' server numbers (fdt-cpus.c), /chosen's platform support of
 * option vector 5 and the XICS RTAS tokens.
 *
 *   XICS  /interrupt-controller
 *           device_type "PowerPC-External-Interrupt-Presentation"
 *           compatible "IBM,ppc-xicp", interrupt-controller,
 *           ibm,interrupt-server-ranges <0 vCPU-id bound>
 *   XIVE  /interrupt-controller@<TIMA user page>
 *           device_type "power-ivpe", reg <user page, 64K, OS page, 64K>,
 *           compatible "ibm,power-ivpe", ibm,xive-eq-sizes <16>,
 *           ibm,xive-lisn-ranges <0 IPIs>, interrupt-controller
 *         / ibm,plat-res-int-priorities <7 0xf8>
 *   both  #interrupt-cells <2>, linux,phandle and phandle <0x1111>
 *
 * Which node: the controller the negotiation calls for (XIVE without
 * XICS, or once XIVE was negotiated at CAS; XICS otherwise).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "common/bitmap.h"
#include "fdt/fdt-internal.h"
#include "spapr/irq-internal.h"

#define KNOWN_FLAGS		(SPIRQ_FDT_AFTER_CAS | SPIRQ_FDT_VOF)

#define XIVE_TM_USER_PAGE	3
#define XIVE_TM_OS_PAGE		2
#define XIVE_EQ_SIZE_SHIFT	16	/* only 64 KiB queues are advertised */
#define XIVE_HV_PRIO		7	/* priorities 7 .. 0xfe: hypervisor */

/* option vector 5, byte 24: MMU */
#define OV5_MMU_HASH		0x00
#define OV5_MMU_BOTH_DYN	0xc0	/* TCG: hash and radix, switchable */
#define OV5_MMU_BOTH		0x80

static const char *const xics_rtas_names[] = {
	"ibm,set-xive", "ibm,get-xive", "ibm,int-off", "ibm,int-on",
};

static const uint32_t xics_rtas_tokens[] = {
	SPIRQ_RTAS_SET_XIVE, SPIRQ_RTAS_GET_XIVE, SPIRQ_RTAS_INT_OFF,
	SPIRQ_RTAS_INT_ON,
};

int spirq__fdt_error(int fdt_err)
{
	if (fdt_err >= 0)
		return 0;
	return fdt_err == -FDT_ERR_NOSPACE ? -SPIRQ_ERR_NOSPACE :
					     -SPIRQ_ERR_INVAL;
}

int spirq__fdt_prop_buffer(void *fdt, int node, const char *name, int len,
			   void **val)
{
	int oldlen, ret;
	void *p = fdt_getprop_w(fdt, node, name, &oldlen);

	if (p && oldlen == len) {
		*val = p;
		return 0;
	}
	ret = fdt_setprop_placeholder(fdt, node, name, len, val);
	return spirq__fdt_error(ret);
}

/* Set a property from cells (host order). */
static int set_cells(void *fdt, int node, const char *name,
		     const uint32_t *cells, unsigned n)
{
	void *val;
	unsigned i;
	int ret = spirq__fdt_prop_buffer(fdt, node, name, (int)(4 * n), &val);

	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		fdt32_st((char *)val + 4 * i, cells[i]);
	return 0;
}

static int set_u32(void *fdt, int node, const char *name, uint32_t v)
{
	return set_cells(fdt, node, name, &v, 1);
}

static int set_bytes(void *fdt, int node, const char *name, const void *v,
		     int len)
{
	void *val;
	int ret = spirq__fdt_prop_buffer(fdt, node, name, len, &val);

	if (ret)
		return ret;
	if (len)
		memcpy(val, v, (size_t)len);
	return 0;
}

static int set_string(void *fdt, int node, const char *name, const char *s)
{
	return set_bytes(fdt, node, name, s, (int)strlen(s) + 1);
}

static int del_prop(void *fdt, int node, const char *name)
{
	int ret = fdt_delprop(fdt, node, name);

	return ret == -FDT_ERR_NOTFOUND ? 0 : spirq__fdt_error(ret);
}

/*
 * The child of @parent named exactly @name (libfdt's lookup would also
 * match "interrupt-controller@..." when asked for "interrupt-controller").
 */
static int exact_subnode(const void *fdt, int parent, const char *name)
{
	int node;

	fdt_for_each_subnode(node, fdt, parent) {
		const char *nm = fdt_get_name(fdt, node, NULL);

		if (nm && !strcmp(nm, name))
			return node;
	}
	return node;
}

/* Find or create the child @name of the root. */
static int root_child(void *fdt, const char *name)
{
	int node = exact_subnode(fdt, 0, name);

	if (node == -FDT_ERR_NOTFOUND)
		node = fdt_add_subnode(fdt, 0, name);
	return node < 0 ? spirq__fdt_error(node) : node;
}

/* ---- checks before anything changes ------------------------------------ */

static bool is_intc_node(const void *fdt, int node)
{
	const char *nm;

	if (fdt_parent_offset(fdt, node) != 0)
		return false;
	nm = fdt_get_name(fdt, node, NULL);
	return nm && (!strcmp(nm, &SPIRQ_FDT_XICS_PATH[1]) ||
		      !strcmp(nm, &SPIRQ_FDT_XIVE_PATH[1]));
}

/* Does a node other than spirq's controller nodes use phandle 0x1111? */
static int check_phandle(const void *fdt)
{
	static const char *const props[] = { "phandle", "linux,phandle" };
	fdt32_t want = cpu_to_fdt32(SPIRQ_FDT_PHANDLE_INTC);
	unsigned i;
	int node;

	for (i = 0; i < 2; i++) {
		node = -1;
		for (;;) {
			node = fdt_node_offset_by_prop_value(fdt, node,
							     props[i], &want,
							     sizeof(want));
			if (node == -FDT_ERR_NOTFOUND)
				break;
			if (node < 0)
				return -SPIRQ_ERR_INVAL;
			if (!is_intc_node(fdt, node))
				return -SPIRQ_ERR_BUSY;
		}
	}
	return 0;
}

static int check_tree(const void *fdt)
{
	int ret;

	if (fdt_check_header(fdt) || fdt_version(fdt) < 17 ||
	    fdt_check_full(fdt, fdt_totalsize(fdt)))
		return -SPIRQ_ERR_INVAL;
	if (fdt_address_cells(fdt, 0) != 2 || fdt_size_cells(fdt, 0) != 2)
		return -SPIRQ_ERR_INVAL;
	ret = spirq__fdt_cpus_check(fdt);
	return ret ? ret : check_phandle(fdt);
}

/* ---- the controller node ------------------------------------------------ */

static int intc_common(void *fdt, int node)
{
	int ret = set_u32(fdt, node, "#interrupt-cells", 2);

	if (!ret)
		ret = set_u32(fdt, node, "linux,phandle",
			      SPIRQ_FDT_PHANDLE_INTC);
	if (!ret)
		ret = set_u32(fdt, node, "phandle", SPIRQ_FDT_PHANDLE_INTC);
	return ret;
}

static int xics_node(spirq_machine *m, void *fdt)
{
	uint32_t ranges[2] = { 0, m->cfg.vcpu_id_bound };
	int node, ret;

	node = root_child(fdt, &SPIRQ_FDT_XICS_PATH[1]);
	if (node < 0)
		return node;
	ret = set_string(fdt, node, "device_type",
			 "PowerPC-External-Interrupt-Presentation");
	if (!ret)
		ret = set_string(fdt, node, "compatible", "IBM,ppc-xicp");
	if (!ret)
		ret = set_bytes(fdt, node, "interrupt-controller", NULL, 0);
	if (!ret)
		ret = set_cells(fdt, node, "ibm,interrupt-server-ranges",
				ranges, 2);
	return ret ? ret : intc_common(fdt, node);
}

/* The IPI range: seed 000 sizes it by max_cpus (QEMU: the vCPU-id bound). */
static uint32_t xive_lisn_count(const spirq_config *cfg)
{
	if (cfg->xive_by_max_cpus && cfg->vsmt != cfg->threads)
		return cfg->max_cpus;
	return cfg->vcpu_id_bound;
}

static int xive_node(spirq_machine *m, void *fdt)
{
	uint64_t page = 1ull << SPIRQ_XIVE_TM_PAGE_SHIFT;
	uint64_t user = SPIRQ_XIVE_TM_BASE + XIVE_TM_USER_PAGE * page;
	uint64_t os = SPIRQ_XIVE_TM_BASE + XIVE_TM_OS_PAGE * page;
	uint32_t reg[8] = {
		(uint32_t)(user >> 32), (uint32_t)user,
		(uint32_t)(page >> 32), (uint32_t)page,
		(uint32_t)(os >> 32), (uint32_t)os,
		(uint32_t)(page >> 32), (uint32_t)page,
	};
	uint32_t lisns[2] = { SPIRQ_IRQ_IPI,
			      SPIRQ_IRQ_IPI + xive_lisn_count(&m->cfg) };
	uint32_t prios[2] = { XIVE_HV_PRIO, 0xff - XIVE_HV_PRIO };
	int node, ret;

	node = root_child(fdt, &SPIRQ_FDT_XIVE_PATH[1]);
	if (node < 0)
		return node;
	ret = set_string(fdt, node, "device_type", "power-ivpe");
	if (!ret)
		ret = set_cells(fdt, node, "reg", reg, 8);
	if (!ret)
		ret = set_string(fdt, node, "compatible", "ibm,power-ivpe");
	if (!ret)
		ret = set_u32(fdt, node, "ibm,xive-eq-sizes",
			      XIVE_EQ_SIZE_SHIFT);
	if (!ret)
		ret = set_cells(fdt, node, "ibm,xive-lisn-ranges", lisns, 2);
	if (!ret)
		ret = set_bytes(fdt, node, "interrupt-controller", NULL, 0);
	if (!ret)
		ret = intc_common(fdt, node);
	if (!ret)
		ret = set_cells(fdt, 0, "ibm,plat-res-int-priorities", prios,
				2);
	return ret;
}

static int del_root_child(void *fdt, const char *name)
{
	int node = exact_subnode(fdt, 0, name);

	if (node == -FDT_ERR_NOTFOUND)
		return 0;
	if (node >= 0)
		node = fdt_del_node(fdt, node);
	return spirq__fdt_error(node);
}

static int intc_rw(spirq_machine *m, void *fdt)
{
	int ret;

	if (spapr_irq_wanted(m) == &spapr_xive_ops) {
		ret = del_root_child(fdt, &SPIRQ_FDT_XICS_PATH[1]);
		return ret ? ret : xive_node(m, fdt);
	}
	ret = del_root_child(fdt, &SPIRQ_FDT_XIVE_PATH[1]);
	if (!ret)
		ret = del_prop(fdt, 0, "ibm,plat-res-int-priorities");
	return ret ? ret : xics_node(m, fdt);
}

/* ---- /chosen and /rtas -------------------------------------------------- */

static int chosen_rw(spirq_machine *m, void *fdt, unsigned flags)
{
	const spirq_config *cfg = &m->cfg;
	uint8_t ov5[8] = {
		23, 0x00,	/* interrupt mode */
		24, 0x00,	/* MMU */
		25, 0x00,	/* hash: no segment tables, no GTSE */
		26, 0x40,	/* radix: GTSE */
	};
	int node = root_child(fdt, "chosen");

	if (node < 0)
		return node;
	if ((flags & SPIRQ_FDT_AFTER_CAS) && !(flags & SPIRQ_FDT_VOF))
		return del_prop(fdt, node, "ibm,arch-vec-5-platform-support");

	if (cfg->cap_xics && cfg->cap_xive)
		ov5[1] = OV5_XIVE_BOTH;
	else if (cfg->cap_xive)
		ov5[1] = OV5_XIVE_EXPLOIT;
	if (cfg->compat < SPIRQ_CPU_POWER9) {
		/* pre-POWER9 compat mode: legacy interrupts and hash MMU */
		ov5[1] = 0x00;
		ov5[3] = OV5_MMU_HASH;
	} else if (cfg->accel == SPIRQ_ACCEL_KVM) {
		/* spirq_host_caps does not describe the host's MMU: the
		 * default host offers both hash and radix */
		ov5[3] = OV5_MMU_BOTH;
	} else {
		ov5[3] = OV5_MMU_BOTH_DYN;
	}
	return set_bytes(fdt, node, "ibm,arch-vec-5-platform-support", ov5,
			 (int)sizeof(ov5));
}

static int rtas_rw(spirq_machine *m, void *fdt)
{
	unsigned i;
	int node, ret = 0;

	if (!m->cfg.cap_xics) {
		node = exact_subnode(fdt, 0, "rtas");
		if (node == -FDT_ERR_NOTFOUND)
			return 0;
		if (node < 0)
			return spirq__fdt_error(node);
		for (i = 0; !ret && i < 4; i++)
			ret = del_prop(fdt, node, xics_rtas_names[i]);
		return ret;
	}
	node = root_child(fdt, "rtas");
	if (node < 0)
		return node;
	for (i = 0; !ret && i < 4; i++)
		ret = set_u32(fdt, node, xics_rtas_names[i],
			      xics_rtas_tokens[i]);
	return ret;
}

/* ---- entry points ------------------------------------------------------- */

static int populate_locked(spirq_machine *m, void *fdt, unsigned flags)
{
	uint64_t *seen;
	int ret;

	ret = check_tree(fdt);
	if (ret)
		return ret;
	seen = calloc(BITS_TO_WORDS(m->cfg.max_cpus), sizeof(*seen));
	if (!seen)
		return -SPIRQ_ERR_NOMEM;
	ret = intc_rw(m, fdt);
	if (!ret)
		ret = spirq__fdt_cpus_rw(m, fdt, flags, seen);
	if (!ret)
		ret = chosen_rw(m, fdt, flags);
	if (!ret)
		ret = rtas_rw(m, fdt);
	free(seen);
	return ret;
}

int spirq_fdt_populate(spirq_machine *m, void *fdt, unsigned flags)
{
	int ret;

	if (!m || !fdt || (flags & ~KNOWN_FLAGS))
		return -SPIRQ_ERR_INVAL;
	ret = spapr_lock(m, __func__, NULL);
	if (ret)
		return ret;
	ret = populate_locked(m, fdt, flags);
	spapr_unlock(m);
	return ret;
}

/* The skeleton, in one sequential pass (the cpu nodes cost O(n)). */
static int skeleton(spirq_machine *m, void *buf, int bufsize,
		    unsigned flags)
{
	int ret = fdt_create(buf, bufsize);

	if (!ret)
		ret = fdt_finish_reservemap(buf);
	if (!ret)
		ret = fdt_begin_node(buf, "");
	if (!ret)
		ret = fdt_property_u32(buf, "#address-cells", 2);
	if (!ret)
		ret = fdt_property_u32(buf, "#size-cells", 2);
	if (!ret)
		ret = spirq__fdt_cpus_sw(m, buf, flags);
	if (!ret)
		ret = fdt_begin_node(buf, "chosen");
	if (!ret)
		ret = fdt_end_node(buf);
	if (!ret)
		ret = fdt_begin_node(buf, "rtas");
	if (!ret)
		ret = fdt_end_node(buf);
	if (!ret)
		ret = fdt_end_node(buf);
	if (!ret)
		ret = fdt_finish(buf);
	if (!ret)
		ret = fdt_open_into(buf, buf, bufsize);
	return spirq__fdt_error(ret);
}

int spirq_fdt_create(spirq_machine *m, void *buf, int bufsize,
		     unsigned flags)
{
	int ret;

	if (!m || !buf || bufsize < 0 || (flags & ~KNOWN_FLAGS))
		return -SPIRQ_ERR_INVAL;
	ret = spapr_lock(m, __func__, NULL);
	if (ret)
		return ret;
	ret = skeleton(m, buf, bufsize, flags);
	if (!ret)
		ret = populate_locked(m, buf, flags);
	if (!ret)
		ret = spirq__fdt_error(fdt_pack(buf));
	spapr_unlock(m);
	return ret;
}
