// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: vCPU numbering and Linux's KVM vCPU-id packing, including
 * every worked example of the packing design (N = 2048).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <spirq/spirq.h>

static void config(spirq_config *cfg, const char *machine, const char *smp,
		   const char *accel)
{
	const char *argv[] = { "-M", (char *)machine, "-smp", (char *)smp,
			 "-accel", (char *)accel };
	spirq_error err;

	assert_int_equal(spirq_config_from_args(6, argv, cfg, &err), 0);
}

static void test_vcpu_ids(void **state)
{
	spirq_config cfg;

	config(&cfg, "pseries-7.2,vsmt=8", "4,maxcpus=8", "tcg");
	assert_int_equal(spirq_vcpu_id(&cfg, 0), 0);
	assert_int_equal(spirq_vcpu_id(&cfg, 1), 8);
	assert_int_equal(spirq_vcpu_id(&cfg, 3), 24);
	assert_int_equal(spirq_vcpu_id(&cfg, 7), 56);
	assert_int_equal(cfg.vcpu_id_bound, 64);
	assert_int_equal(spirq_vcpu_index(&cfg, 24), 3);
	assert_int_equal(spirq_vcpu_index(&cfg, 25), -SPIRQ_ERR_NOTFOUND);
	assert_int_equal(spirq_vcpu_index(&cfg, 64), -SPIRQ_ERR_NOTFOUND);
	assert_int_equal(spirq_vcpu_index(&cfg, 0xffffffffffffull),
			 -SPIRQ_ERR_NOTFOUND);
	assert_true(spirq_vcpu_is_thread0(&cfg, 2));
	assert_int_equal(spirq_xive_nvt_index(8), 0x408);
	/* seed 000: END slots are dense on >= 6.0 ... */
	assert_int_equal(spirq_xive_end_slot(&cfg, 3), 3);
	/* ... and vCPU ids on older machine types */
	config(&cfg, "pseries-5.2,vsmt=8", "4,maxcpus=8", "tcg");
	assert_int_equal(spirq_xive_end_slot(&cfg, 3), 24);
}

static void test_vcpu_ids_threads(void **state)
{
	spirq_config cfg;
	unsigned i;

	config(&cfg, "pseries-7.2,vsmt=8", "8,maxcpus=8,threads=2", "kvm");
	/* ids 8c + t */
	assert_int_equal(spirq_vcpu_id(&cfg, 0), 0);
	assert_int_equal(spirq_vcpu_id(&cfg, 1), 1);
	assert_int_equal(spirq_vcpu_id(&cfg, 2), 8);
	assert_int_equal(spirq_vcpu_id(&cfg, 5), 17);
	assert_int_equal(cfg.vcpu_id_bound, 32);
	assert_false(spirq_vcpu_is_thread0(&cfg, 1));
	assert_true(spirq_vcpu_is_thread0(&cfg, 4));
	for (i = 0; i < cfg.max_cpus; i++)
		assert_int_equal(spirq_vcpu_index(&cfg, spirq_vcpu_id(&cfg, i)), i);
	assert_int_equal(spirq_vcpu_index(&cfg, 2), -SPIRQ_ERR_NOTFOUND);

	/* non-power-of-two vsmt under TCG (QEMU 7.2 accepts it) */
	config(&cfg, "pseries-7.2,vsmt=3", "4,maxcpus=6", "tcg");
	assert_int_equal(spirq_vcpu_id(&cfg, 3), 9);
	assert_int_equal(cfg.vcpu_id_bound, 0x12);
}

struct pack_case {
	unsigned stride;
	uint32_t id;
	spirq_kvm_pack_status status;
	uint32_t packed;
};

/* reference: linux-papr-xive.md section 1.4 */
static const struct pack_case pack_cases[] = {
	{ 1, 5, SPIRQ_KVM_PACK_OK, 5 },
	{ 1, 2047, SPIRQ_KVM_PACK_OK, 2047 },
	{ 1, 2048, SPIRQ_KVM_PACK_ID_RANGE, 0 },
	{ 2, 6, SPIRQ_KVM_PACK_OK, 6 },
	{ 2, 2048, SPIRQ_KVM_PACK_OK, 1 },
	{ 2, 4094, SPIRQ_KVM_PACK_OK, 2047 },
	{ 4, 2048, SPIRQ_KVM_PACK_OK, 2 },
	{ 4, 4096, SPIRQ_KVM_PACK_OK, 1 },
	{ 4, 6144, SPIRQ_KVM_PACK_OK, 3 },
	{ 4, 8188, SPIRQ_KVM_PACK_OK, 2047 },
	{ 8, 8, SPIRQ_KVM_PACK_OK, 8 },
	{ 8, 2048, SPIRQ_KVM_PACK_OK, 4 },
	{ 8, 2392, SPIRQ_KVM_PACK_OK, 348 },
	{ 8, 4096, SPIRQ_KVM_PACK_OK, 2 },
	{ 8, 6144, SPIRQ_KVM_PACK_OK, 6 },
	{ 8, 8192, SPIRQ_KVM_PACK_OK, 1 },
	{ 8, 10240, SPIRQ_KVM_PACK_OK, 5 },
	{ 8, 12288, SPIRQ_KVM_PACK_OK, 3 },
	{ 8, 14336, SPIRQ_KVM_PACK_OK, 7 },
	{ 8, 16376, SPIRQ_KVM_PACK_OK, 2047 },
	{ 8, 16384, SPIRQ_KVM_PACK_ID_RANGE, 0 },
	{ 8, 4095, SPIRQ_KVM_PACK_FAILED, 0 },
	{ 3, 5, SPIRQ_KVM_PACK_BAD_STRIDE, 0 },
};

static void test_pack_examples(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(pack_cases) / sizeof(pack_cases[0]); i++) {
		const struct pack_case *c = &pack_cases[i];
		uint32_t packed = 0xdead;

		assert_int_equal(spirq_kvm_pack_vcpu_id(c->id, c->stride, 2048,
							&packed),
				 c->status);
		assert_int_equal(packed, c->packed);
	}
}

/* The 2019 bug: ids 348 and 2392 (stride 8) share a VP. */
static void test_pack_collision_348_2392(void **state)
{
	uint32_t a, b;

	assert_int_equal(spirq_kvm_pack_vcpu_id(348, 8, 2048, &a), 0);
	assert_int_equal(spirq_kvm_pack_vcpu_id(2392, 8, 2048, &b), 0);
	assert_int_equal(a, b);
}

/* QEMU's layout with -smp 2048,threads=2 and the old default vsmt 8. */
static void test_pack_qemu_layout_injective(void **state)
{
	spirq_config cfg;
	spirq_kvm_packing k;

	config(&cfg, "pseries-4.1,ic-mode=xics", "2048,threads=2", "kvm");
	assert_int_equal(cfg.vsmt, 8);
	assert_int_equal(spirq_kvm_check_packing(&cfg, &k), 0);
	assert_true(k.applicable);
	assert_int_equal(k.nr_servers, 2048);
	assert_int_equal(k.collisions, 0);
	assert_int_equal(k.refused, 0);
	assert_int_equal(k.warned, 0);
	assert_int_equal(k.vp_overflow, 0);
	assert_int_equal(k.first_problem, -1);
}

static void test_pack_report_problems(void **state)
{
	spirq_config cfg;
	spirq_kvm_packing k;

	/*
	 * 2050 vCPUs in cores of 2, stride 8: core 1024 packs onto core 0.
	 * QEMU refuses to start more vCPUs than KVM_MAX_VCPUS: describe a
	 * bigger host, then pack as a 2048-vCPU one would.
	 */
	config(&cfg, "pseries-7.2,vsmt=8", "2050,threads=2", "kvm,max-vcpus=4096");
	cfg.kvm_max_vcpus = 2048;
	assert_int_equal(spirq_kvm_check_packing(&cfg, &k), 0);
	assert_true(k.collisions > 0);
	assert_int_equal(k.first_problem, 2048);
	assert_int_equal(k.first_peer, 1);

	/* one vCPU per core, stride 8, N = 16: ids 0 8 ... packed with offsets */
	config(&cfg, "pseries-7.2,vsmt=8", "20", "kvm");
	cfg.kvm_max_vcpus = 16;
	assert_int_equal(spirq_kvm_check_packing(&cfg, &k), 0);
	assert_int_equal(k.nr_servers, 16);
	assert_int_equal(k.refused, 4);		/* ids 128 .. 152 >= 16 * 8 */
	assert_int_equal(k.first_problem, 16);

	/* vsmt 3 is no KVM SMT mode: under TCG there is no KVM stride */
	config(&cfg, "pseries-7.2,vsmt=3", "2", "tcg");
	assert_int_equal(spirq_kvm_check_packing(&cfg, &k), 0);
	assert_false(k.applicable);

	/* with KVM, QEMU warns and KVM keeps its own mode (1 on POWER9) */
	config(&cfg, "pseries-7.2,vsmt=3", "2", "kvm");
	assert_int_equal(cfg.vsmt, 3);
	assert_int_equal(cfg.kvm_smt, 1);
	assert_string_equal(cfg.vsmt_warning,
			    "Failed to set KVM's VSMT mode to 3 (errno -22)");
	assert_int_equal(spirq_kvm_check_packing(&cfg, &k), 0);
	assert_true(k.applicable);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vcpu_ids),
		cmocka_unit_test(test_vcpu_ids_threads),
		cmocka_unit_test(test_pack_examples),
		cmocka_unit_test(test_pack_collision_348_2392),
		cmocka_unit_test(test_pack_qemu_layout_injective),
		cmocka_unit_test(test_pack_report_problems),
	};

	return cmocka_run_group_tests_name("topology", tests, NULL, NULL);
}
