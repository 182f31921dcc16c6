// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the interrupt part of the device tree (spirq_fdt_populate,
 * spirq_fdt_create) -- trees after CAS and after reset, hot-plugged
 * vCPUs, a buffer too small, updates of an embedder's tree, refusals, and
 * property values read back with fdt_getprop (no dtc needed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libfdt.h>

#include <spirq/spirq.h>

#define BIG (256 << 10)

static spirq_machine *machine(const char *m, const char *smp,
			      const char *cpu, const char *accel)
{
	const char *argv[] = { "-M", (char *)m, "-smp", (char *)smp, "-cpu",
			 (char *)cpu, "-accel", (char *)accel };
	spirq_machine *mach;
	spirq_config cfg;
	spirq_error err;

	assert_int_equal(spirq_config_from_args(8, argv, &cfg, &err), 0);
	assert_int_equal(spirq_machine_create(&cfg, NULL, &mach, &err), 0);
	return mach;
}

static void *tree(spirq_machine *m, unsigned flags)
{
	void *fdt = malloc(BIG);

	assert_non_null(fdt);
	assert_int_equal(spirq_fdt_create(m, fdt, BIG, flags), 0);
	assert_int_equal(fdt_check_full(fdt, fdt_totalsize(fdt)), 0);
	return fdt;
}

/* An empty tree as an embedder starts it: root cells 2/2, nothing else. */
static void *embedder_tree(int size)
{
	void *fdt = malloc((size_t)size);

	assert_non_null(fdt);
	assert_int_equal(fdt_create_empty_tree(fdt, size), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#size-cells", 2), 0);
	return fdt;
}

/* Exact child of the root (libfdt's path lookup ignores unit addresses). */
static int root_node(const void *fdt, const char *path)
{
	int node;

	fdt_for_each_subnode(node, fdt, 0)
		if (!strcmp(fdt_get_name(fdt, node, NULL), path + 1))
			return node;
	return -1;
}

static const void *prop(const void *fdt, const char *path, const char *name,
			int *len)
{
	/* a child of the root: exact name; deeper: libfdt's lookup */
	int node = path[1] && !strchr(path + 1, '/') ?
			   root_node(fdt, path) : fdt_path_offset(fdt, path);

	if (node < 0)
		return NULL;
	return fdt_getprop(fdt, node, name, len);
}

/* A copy of the whole buffer, to check that nothing changed. */
static void *snapshot(const void *fdt, size_t size)
{
	void *copy = malloc(size);

	assert_non_null(copy);
	memcpy(copy, fdt, size);
	return copy;
}

/* Property @name of @path is exactly the cells given. */
static void assert_cells(const void *fdt, const char *path, const char *name,
			 unsigned n, ...)
{
	const fdt32_t *v;
	va_list ap;
	unsigned i;
	int len;

	v = prop(fdt, path, name, &len);
	assert_non_null(v);
	assert_int_equal(len, 4 * n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_int_equal(fdt32_to_cpu(v[i]), va_arg(ap, unsigned));
	va_end(ap);
}

static void assert_string(const void *fdt, const char *path,
			  const char *name, const char *want)
{
	int len;
	const char *v = prop(fdt, path, name, &len);

	assert_non_null(v);
	assert_int_equal(len, strlen(want) + 1);
	assert_string_equal(v, want);
}

static void assert_no_prop(const void *fdt, const char *path,
			   const char *name)
{
	assert_null(prop(fdt, path, name, NULL));
}

static void assert_ov5(const void *fdt, uint8_t byte23, uint8_t byte24)
{
	const uint8_t want[8] = { 23, byte23, 24, byte24, 25, 0, 26, 0x40 };
	int len;
	const void *v = prop(fdt, "/chosen", "ibm,arch-vec-5-platform-support",
			     &len);

	assert_non_null(v);
	assert_int_equal(len, 8);
	assert_memory_equal(v, want, 8);
}

static void assert_xics_node(const void *fdt, unsigned servers)
{
	assert_true(root_node(fdt, SPIRQ_FDT_XICS_PATH) >= 0);
	assert_true(root_node(fdt, SPIRQ_FDT_XIVE_PATH) < 0);
	assert_string(fdt, SPIRQ_FDT_XICS_PATH, "device_type",
		      "PowerPC-External-Interrupt-Presentation");
	assert_string(fdt, SPIRQ_FDT_XICS_PATH, "compatible", "IBM,ppc-xicp");
	assert_cells(fdt, SPIRQ_FDT_XICS_PATH, "ibm,interrupt-server-ranges",
		     2, 0, servers);
	assert_cells(fdt, SPIRQ_FDT_XICS_PATH, "#interrupt-cells", 1, 2);
	assert_cells(fdt, SPIRQ_FDT_XICS_PATH, "phandle", 1, 0x1111);
	assert_cells(fdt, SPIRQ_FDT_XICS_PATH, "linux,phandle", 1, 0x1111);
	assert_no_prop(fdt, "/", "ibm,plat-res-int-priorities");
}

static void assert_xive_node(const void *fdt, unsigned lisns)
{
	int len;

	assert_true(root_node(fdt, SPIRQ_FDT_XIVE_PATH) >= 0);
	assert_true(root_node(fdt, SPIRQ_FDT_XICS_PATH) < 0);
	assert_string(fdt, SPIRQ_FDT_XIVE_PATH, "device_type", "power-ivpe");
	assert_string(fdt, SPIRQ_FDT_XIVE_PATH, "compatible",
		      "ibm,power-ivpe");
	assert_cells(fdt, SPIRQ_FDT_XIVE_PATH, "reg", 8, 0x60302, 0x31b0000,
		     0, 0x10000, 0x60302, 0x31a0000, 0, 0x10000);
	assert_cells(fdt, SPIRQ_FDT_XIVE_PATH, "ibm,xive-eq-sizes", 1, 16);
	assert_cells(fdt, SPIRQ_FDT_XIVE_PATH, "ibm,xive-lisn-ranges", 2, 0,
		     lisns);
	assert_non_null(prop(fdt, SPIRQ_FDT_XIVE_PATH, "interrupt-controller",
			     &len));
	assert_int_equal(len, 0);
	assert_cells(fdt, SPIRQ_FDT_XIVE_PATH, "phandle", 1, 0x1111);
	assert_cells(fdt, "/", "ibm,plat-res-int-priorities", 2, 7, 0xf8);
}

static void assert_rtas_tokens(const void *fdt, bool present)
{
	if (!present) {
		assert_no_prop(fdt, "/rtas", "ibm,set-xive");
		assert_no_prop(fdt, "/rtas", "ibm,int-on");
		return;
	}
	assert_cells(fdt, "/rtas", "ibm,set-xive", 1, 0x200a);
	assert_cells(fdt, "/rtas", "ibm,get-xive", 1, 0x200b);
	assert_cells(fdt, "/rtas", "ibm,int-off", 1, 0x200c);
	assert_cells(fdt, "/rtas", "ibm,int-on", 1, 0x200d);
}

/* Copy a tree into a buffer of @size (fdt_open_into). */
static void *reopen(const void *fdt, int size)
{
	void *copy = malloc((size_t)size);

	assert_non_null(copy);
	assert_int_equal(fdt_open_into(fdt, copy, size), 0);
	return copy;
}

/* The same tree, up to the order of nodes and properties? */
static bool same_props(const void *a, int na, const void *b, int nb);

static bool node_in(const void *a, int na, const void *b, int nb)
{
	int pa, ca;

	fdt_for_each_property_offset(pa, a, na) {
		const char *name;
		int la, lb;
		const void *va = fdt_getprop_by_offset(a, pa, &name, &la);
		const void *vb = fdt_getprop(b, nb, name, &lb);

		if (!va || !vb || la != lb || memcmp(va, vb, (size_t)la))
			return false;
	}
	fdt_for_each_subnode(ca, a, na) {
		const char *name = fdt_get_name(a, ca, NULL);
		int cb;

		fdt_for_each_subnode(cb, b, nb)
			if (!strcmp(fdt_get_name(b, cb, NULL), name))
				break;
		if (cb < 0 || !same_props(a, ca, b, cb))
			return false;
	}
	return true;
}

static bool same_props(const void *a, int na, const void *b, int nb)
{
	return node_in(a, na, b, nb) && node_in(b, nb, a, na);
}

/* ---- dual: reset, CAS XIVE, reset, CAS XICS ----------------------------- */

static void test_dual_cas_and_reset(void **state)
{
	spirq_machine *m = machine("pseries-7.2,ic-mode=dual", "2,maxcpus=4",
				   "POWER9", "tcg");
	spirq_ic_mode mode;
	void *fdt, *t;

	/* reset-time tree: XICS, dual offered ("either"), TCG MMU byte */
	fdt = tree(m, 0);
	assert_xics_node(fdt, 4);
	assert_ov5(fdt, 0x80, 0xc0);
	assert_rtas_tokens(fdt, true);

	/* the guest asks for XIVE: the same tree, updated */
	assert_int_equal(spirq_cas(m, 0x40, &mode, NULL), 0);
	assert_int_equal(mode, SPIRQ_IC_MODE_XIVE);
	t = reopen(fdt, BIG);
	assert_int_equal(spirq_fdt_populate(m, t, SPIRQ_FDT_AFTER_CAS), 0);
	assert_int_equal(fdt_check_full(t, fdt_totalsize(t)), 0);
	assert_xive_node(t, 4);
	assert_no_prop(t, "/chosen", "ibm,arch-vec-5-platform-support");
	assert_rtas_tokens(t, true);	/* the machine still has XICS */
	assert_cells(t, "/cpus/PowerPC,POWER9@1", "reg", 1, 1);
	free(t);

	/* a fresh CAS tree is the same */
	t = tree(m, SPIRQ_FDT_AFTER_CAS);
	assert_xive_node(t, 4);
	assert_no_prop(t, "/chosen", "ibm,arch-vec-5-platform-support");
	free(t);

	/* with VOF the CAS tree keeps the platform support */
	t = tree(m, SPIRQ_FDT_AFTER_CAS | SPIRQ_FDT_VOF);
	assert_xive_node(t, 4);
	assert_ov5(t, 0x80, 0xc0);
	free(t);

	/* machine reset: back to XICS, in the CAS tree too */
	assert_int_equal(spirq_reset(m), 0);
	t = tree(m, SPIRQ_FDT_AFTER_CAS);
	assert_xics_node(t, 4);
	assert_int_equal(spirq_fdt_populate(m, t, 0), -SPIRQ_ERR_NOSPACE);
	free(t);
	t = reopen(fdt, BIG);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_int_equal(spirq_fdt_populate(m, t, SPIRQ_FDT_AFTER_CAS), 0);
	assert_int_equal(spirq_reset(m), 0);
	assert_int_equal(spirq_fdt_populate(m, t, 0), 0);
	assert_xics_node(t, 4);
	assert_ov5(t, 0x80, 0xc0);
	assert_true(same_props(t, 0, fdt, 0));

	/* a legacy CAS keeps XICS; the tree has no platform support */
	assert_int_equal(spirq_cas(m, 0x00, &mode, NULL), 0);
	assert_int_equal(mode, SPIRQ_IC_MODE_XICS);
	assert_int_equal(spirq_fdt_populate(m, t, SPIRQ_FDT_AFTER_CAS), 0);
	assert_xics_node(t, 4);
	assert_no_prop(t, "/chosen", "ibm,arch-vec-5-platform-support");
	free(t);
	free(fdt);
	spirq_machine_destroy(m);
}

static void test_xics_and_xive_only(void **state)
{
	spirq_machine *m = machine("pseries-7.2,ic-mode=xive", "2,maxcpus=4",
				   "POWER10", "tcg");
	void *fdt = tree(m, 0);

	assert_xive_node(fdt, 4);
	assert_ov5(fdt, 0x40, 0xc0);
	assert_rtas_tokens(fdt, false);
	assert_cells(fdt, "/cpus/PowerPC,POWER10@1",
		     "ibm,ppc-interrupt-server#s", 1, 1);
	/* no XICS: a legacy CAS is refused and nothing changes */
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), -SPIRQ_ERR_CAS);
	free(fdt);
	spirq_machine_destroy(m);

	m = machine("pseries-7.2,ic-mode=xics", "1", "POWER9", "tcg");
	fdt = tree(m, 0);
	assert_xics_node(fdt, 1);
	assert_ov5(fdt, 0x00, 0xc0);
	assert_rtas_tokens(fdt, true);
	free(fdt);
	spirq_machine_destroy(m);
}

/* ---- property values ---------------------------------------------------- */

static void test_lisn_ranges_seed000(void **state)
{
	spirq_machine *m;
	void *fdt;

	/* >= 6.0, vsmt 8 != threads 1: <0 max_cpus>, QEMU says <0 32> */
	m = machine("pseries-7.2,ic-mode=xive,vsmt=8", "2,maxcpus=4",
		    "POWER9", "tcg");
	fdt = tree(m, 0);
	assert_xive_node(fdt, 4);
	assert_cells(fdt, "/cpus/PowerPC,POWER9@8", "reg", 1, 8);
	assert_cells(fdt, "/cpus/PowerPC,POWER9@8",
		     "ibm,ppc-interrupt-gserver#s", 2, 8, 0);
	free(fdt);
	spirq_machine_destroy(m);

	/* before 6.0: the vCPU-id bound, as QEMU */
	m = machine("pseries-5.2,ic-mode=xive,vsmt=8", "2,maxcpus=4",
		    "POWER9", "tcg");
	fdt = tree(m, 0);
	assert_xive_node(fdt, 32);
	free(fdt);
	spirq_machine_destroy(m);

	/* XICS servers: the vCPU-id bound, always */
	m = machine("pseries-7.2,ic-mode=xics,vsmt=8", "2,maxcpus=4",
		    "POWER9", "tcg");
	fdt = tree(m, 0);
	assert_xics_node(fdt, 32);
	free(fdt);
	spirq_machine_destroy(m);
}

static void test_platform_support(void **state)
{
	spirq_machine *m;
	void *fdt;

	/* KVM: both MMUs */
	m = machine("pseries-7.2", "2", "POWER9", "kvm");
	fdt = tree(m, 0);
	assert_ov5(fdt, 0x80, 0x80);
	free(fdt);
	spirq_machine_destroy(m);

	/* pre-POWER9 compat: legacy interrupts, hash */
	m = machine("pseries-7.2,ic-mode=dual,max-cpu-compat=power8", "2",
		    "POWER9", "tcg");
	fdt = tree(m, 0);
	assert_ov5(fdt, 0x00, 0x00);
	assert_xics_node(fdt, 2);
	free(fdt);
	spirq_machine_destroy(m);

	m = machine("pseries-7.2,ic-mode=xics", "2", "POWER8", "kvm");
	fdt = tree(m, 0);
	assert_ov5(fdt, 0x00, 0x00);
	free(fdt);
	spirq_machine_destroy(m);
}

static void test_server_counts(void **state)
{
	spirq_machine *m;
	void *fdt;
	int len;

	/* threads 8, no compat: 8 servers; ids 0..7, node only for thread 0 */
	m = machine("pseries-7.2", "16,threads=8", "POWER9", "kvm");
	fdt = tree(m, 0);
	assert_cells(fdt, "/cpus/PowerPC,POWER9@8",
		     "ibm,ppc-interrupt-server#s", 8, 8, 9, 10, 11, 12, 13,
		     14, 15);
	assert_non_null(prop(fdt, "/cpus/PowerPC,POWER9@8",
			     "ibm,ppc-interrupt-gserver#s", &len));
	assert_int_equal(len, 64);
	assert_true(fdt_path_offset(fdt, "/cpus/PowerPC,POWER9@1") < 0);
	free(fdt);
	spirq_machine_destroy(m);

	/* POWER7 compat: 4 servers */
	m = machine("pseries-7.2,max-cpu-compat=power7", "8,threads=8",
		    "POWER9", "kvm");
	fdt = tree(m, 0);
	assert_cells(fdt, "/cpus/PowerPC,POWER9@0",
		     "ibm,ppc-interrupt-server#s", 4, 0, 1, 2, 3);
	assert_cells(fdt, "/cpus/PowerPC,POWER9@0",
		     "ibm,ppc-interrupt-gserver#s", 8, 0, 0, 1, 0, 2, 0, 3, 0);
	free(fdt);
	spirq_machine_destroy(m);

	/* POWER7 CPU, no compat: 8 at reset, the POWER7 mode's 4 after CAS */
	m = machine("pseries-7.2", "8,threads=8", "POWER7", "kvm");
	fdt = tree(m, 0);
	assert_non_null(prop(fdt, "/cpus/PowerPC,POWER7@0",
			     "ibm,ppc-interrupt-server#s", &len));
	assert_int_equal(len, 32);
	free(fdt);
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), 0);
	fdt = tree(m, SPIRQ_FDT_AFTER_CAS);
	assert_cells(fdt, "/cpus/PowerPC,POWER7@0",
		     "ibm,ppc-interrupt-server#s", 4, 0, 1, 2, 3);
	free(fdt);
	spirq_machine_destroy(m);
}

/* The cpu nodes, in tree order, are exactly the @n names given. */
static void assert_cpu_order(const void *fdt, int n, ...)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, i = 0;
	va_list ap;

	assert_true(cpus >= 0);
	va_start(ap, n);
	fdt_for_each_subnode(node, fdt, cpus) {
		assert_true(i++ < n);
		assert_string_equal(fdt_get_name(fdt, node, NULL),
				    va_arg(ap, const char *));
	}
	va_end(ap);
	assert_int_equal(i, n);
}

/* ---- hot-plug ----------------------------------------------------------- */

static void test_hotplug(void **state)
{
	spirq_machine *m = machine("pseries-7.2,vsmt=2", "2,maxcpus=4",
				   "POWER9", "tcg");
	void *fdt, *t;
	fdt = tree(m, 0);
	assert_true(fdt_path_offset(fdt, "/cpus/PowerPC,POWER9@4") < 0);
	assert_int_equal(spirq_cpu_plug(m, 3, NULL), 0);

	/* a new tree has the vCPU, in plug order */
	t = tree(m, 0);
	assert_cells(t, "/cpus/PowerPC,POWER9@6", "reg", 1, 6);
	assert_cells(t, "/cpus/PowerPC,POWER9@6",
		     "ibm,ppc-interrupt-server#s", 1, 6);
	assert_true(fdt_path_offset(t, "/cpus/PowerPC,POWER9@4") < 0);
	assert_cpu_order(t, 3, "PowerPC,POWER9@0", "PowerPC,POWER9@2",
			 "PowerPC,POWER9@6");
	free(t);

	/* so has an embedder's tree without cpu nodes */
	t = embedder_tree(BIG);
	assert_int_equal(spirq_fdt_populate(m, t, 0), 0);
	assert_cpu_order(t, 3, "PowerPC,POWER9@0", "PowerPC,POWER9@2",
			 "PowerPC,POWER9@6");
	free(t);

	/* the old tree, updated, gains it */
	t = reopen(fdt, BIG);
	assert_int_equal(spirq_fdt_populate(m, t, 0), 0);
	assert_cells(t, "/cpus/PowerPC,POWER9@6", "reg", 1, 6);
	free(t);

	/* unplugged: gone from new trees; spirq leaves existing nodes */
	assert_int_equal(spirq_cpu_unplug(m, 3, NULL), 0);
	t = tree(m, 0);
	assert_true(fdt_path_offset(t, "/cpus/PowerPC,POWER9@6") < 0);
	assert_true(same_props(t, 0, fdt, 0));
	free(t);
	free(fdt);
	spirq_machine_destroy(m);
}

/* ---- buffer sizes ------------------------------------------------------- */

static void test_nospace(void **state)
{
	spirq_machine *m = machine("pseries-7.2,ic-mode=dual", "64,maxcpus=64",
				   "POWER9", "tcg");
	void *ref = tree(m, 0), *t, *grown;
	int size, need = fdt_totalsize(ref);
	char *buf;

	/* spirq_fdt_create: every size below the packed size fails */
	buf = malloc(BIG);
	assert_non_null(buf);
	for (size = 0; size < need; size += 97)
		assert_int_equal(spirq_fdt_create(m, buf, size, 0),
				 -SPIRQ_ERR_NOSPACE);
	assert_int_equal(spirq_fdt_create(m, buf, need + 256, 0), 0);
	assert_int_equal(fdt_totalsize(buf), need);
	assert_memory_equal(buf, ref, need);

	/*
	 * spirq_fdt_populate into an embedder's tree that runs out of
	 * space at every possible point: the tree stays valid, and calling
	 * again with more room completes it.
	 */
	for (size = 256; size < need + 4096; size += 211) {
		t = embedder_tree(size);
		if (spirq_fdt_populate(m, t, 0) == 0) {
			assert_true(same_props(t, 0, ref, 0));
			free(t);
			continue;
		}
		assert_int_equal(fdt_check_full(t, fdt_totalsize(t)), 0);
		grown = reopen(t, BIG);
		assert_int_equal(spirq_fdt_populate(m, grown, 0), 0);
		assert_true(same_props(grown, 0, ref, 0));
		free(grown);
		free(t);
	}

	/* a packed tree has no room for anything new */
	t = embedder_tree(BIG);
	assert_int_equal(fdt_pack(t), 0);
	assert_int_equal(spirq_fdt_populate(m, t, 0), -SPIRQ_ERR_NOSPACE);
	free(t);

	/* but an up-to-date packed tree needs none: everything in place */
	memcpy(buf, ref, need);
	assert_int_equal(spirq_fdt_populate(m, buf, 0), 0);
	assert_memory_equal(buf, ref, need);

	free(buf);
	free(ref);
	spirq_machine_destroy(m);
}

/* ---- an embedder's tree ------------------------------------------------- */

static void test_embedder_tree(void **state)
{
	spirq_machine *m = machine("pseries-7.2,ic-mode=dual", "2,maxcpus=4",
				   "POWER9", "tcg");
	void *fdt = embedder_tree(BIG), *ref = tree(m, 0);
	int cpus, cpu, len;

	/* the embedder's own cpu node, with wrong servers and its props */
	cpus = fdt_add_subnode(fdt, 0, "cpus");
	assert_true(cpus >= 0);
	assert_int_equal(fdt_setprop_u32(fdt, cpus, "#address-cells", 1), 0);
	cpu = fdt_add_subnode(fdt, cpus, "PowerPC,POWER9@1");
	assert_true(cpu >= 0);
	assert_int_equal(fdt_setprop_string(fdt, cpu, "device_type", "cpu"),
			 0);
	assert_int_equal(fdt_setprop_u32(fdt, cpu,
					 "ibm,ppc-interrupt-server#s", 7), 0);
	assert_int_equal(fdt_setprop_u64(fdt, cpu,
					 "ibm,ppc-interrupt-gserver#s", 7), 0);
	/* a node of a vCPU that is not plugged, and a non-canonical one */
	assert_true(fdt_add_subnode(fdt, cpus, "PowerPC,POWER9@3") >= 0);
	assert_true(fdt_add_subnode(fdt, cpus, "PowerPC,POWER9@00") >= 0);
	/* a stale XIVE node and a tree-wide property of it */
	assert_true(fdt_add_subnode(fdt, 0, SPIRQ_FDT_XIVE_PATH + 1) >= 0);
	assert_int_equal(fdt_setprop_u64(fdt, 0, "ibm,plat-res-int-priorities",
					 7), 0);

	assert_int_equal(spirq_fdt_populate(m, fdt, 0), 0);
	assert_int_equal(fdt_check_full(fdt, fdt_totalsize(fdt)), 0);
	assert_xics_node(fdt, 4);
	assert_cells(fdt, "/cpus", "#size-cells", 1, 0);
	assert_string(fdt, "/cpus/PowerPC,POWER9@1", "device_type", "cpu");
	assert_cells(fdt, "/cpus/PowerPC,POWER9@1",
		     "ibm,ppc-interrupt-server#s", 1, 1);
	assert_cells(fdt, "/cpus/PowerPC,POWER9@1",
		     "ibm,ppc-interrupt-gserver#s", 2, 1, 0);
	assert_cells(fdt, "/cpus/PowerPC,POWER9@1", "reg", 1, 1);
	assert_cells(fdt, "/cpus/PowerPC,POWER9@0", "reg", 1, 0);
	assert_null(prop(fdt, "/cpus/PowerPC,POWER9@3", "reg", &len));
	assert_null(prop(fdt, "/cpus/PowerPC,POWER9@00", "reg", &len));
	/* a second call changes nothing */
	memcpy(ref, fdt, fdt_totalsize(fdt));
	assert_int_equal(spirq_fdt_populate(m, fdt, 0), 0);
	assert_memory_equal(ref, fdt, fdt_totalsize(fdt));
	free(ref);
	free(fdt);
	spirq_machine_destroy(m);
}

/* ---- refusals ----------------------------------------------------------- */

static void test_refusals(void **state)
{
	spirq_machine *m = machine("pseries-7.2", "1", "POWER9", "tcg");
	char junk[256] = "not a device tree";
	void *fdt, *copy;
	int node;

	fdt = embedder_tree(BIG);
	assert_int_equal(spirq_fdt_populate(NULL, fdt, 0), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_fdt_populate(m, NULL, 0), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_fdt_populate(m, fdt, 0x80), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_fdt_populate(m, junk, 0), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_fdt_create(m, NULL, 100, 0), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_fdt_create(m, junk, -1, 0), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_fdt_create(NULL, junk, 256, 0),
			 -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_fdt_create(m, junk, 256, 4), -SPIRQ_ERR_INVAL);
	free(fdt);

	/* root cells other than 2/2 (libfdt's defaults are 2/1) */
	fdt = malloc(BIG);
	assert_non_null(fdt);
	assert_int_equal(fdt_create_empty_tree(fdt, BIG), 0);
	copy = snapshot(fdt, BIG);
	assert_int_equal(spirq_fdt_populate(m, fdt, 0), -SPIRQ_ERR_INVAL);
	assert_memory_equal(fdt, copy, BIG);
	free(copy);
	free(fdt);

	/* /cpus with two address cells */
	fdt = embedder_tree(BIG);
	node = fdt_add_subnode(fdt, 0, "cpus");
	assert_int_equal(fdt_setprop_u32(fdt, node, "#address-cells", 2), 0);
	assert_int_equal(spirq_fdt_populate(m, fdt, 0), -SPIRQ_ERR_INVAL);
	free(fdt);

	/* another node already has phandle 0x1111 */
	fdt = embedder_tree(BIG);
	node = fdt_add_subnode(fdt, 0, "vdevice");
	assert_int_equal(fdt_setprop_u32(fdt, node, "phandle", 0x1111), 0);
	copy = snapshot(fdt, BIG);
	assert_int_equal(spirq_fdt_populate(m, fdt, 0), -SPIRQ_ERR_BUSY);
	assert_memory_equal(fdt, copy, BIG);
	free(copy);
	free(fdt);

	/* a version 16 blob is not open for writing */
	fdt = tree(m, 0);
	fdt_set_version(fdt, 16);
	assert_int_equal(spirq_fdt_populate(m, fdt, 0), -SPIRQ_ERR_INVAL);
	free(fdt);
	spirq_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dual_cas_and_reset),
		cmocka_unit_test(test_xics_and_xive_only),
		cmocka_unit_test(test_lisn_ranges_seed000),
		cmocka_unit_test(test_platform_support),
		cmocka_unit_test(test_server_counts),
		cmocka_unit_test(test_hotplug),
		cmocka_unit_test(test_nospace),
		cmocka_unit_test(test_embedder_tree),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests_name("fdt", tests, NULL, NULL);
}
