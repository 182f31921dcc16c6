// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: regressions found by the libFuzzer targets (fuzz/), one test
 * per bug, each with the input that showed it, reduced.
 */
#include "test-spapr-harness.h"

/*
 * fuzz-restore: the configuration record of a stream without XIVE
 * carried an END count (0x1000000) and was accepted by a XICS machine,
 * which then saved 0 there: a non-canonical stream was accepted.  The
 * XIVE sizes of a record without XIVE must be 0.
 */
static void test_config_xive_sizes_without_xive(void **state)
{
	/* record: caps, ic-mode, maxcpus, threads, vsmt, id bound, sources,
	 * IPIs (offset 24 + 5 + 22), ENDs (+ 26) */
	static const size_t ipis_at = 24 + 5 + 22, ends_at = 24 + 5 + 26;
	struct host h = { 0 };
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=xics",
				       "-smp", "2,maxcpus=4", NULL);
	spirq_error err;
	uint8_t *good, *bad;
	size_t len;

	(void)state;
	good = stream_save(m, &len);
	assert_int_equal(good[24], 1);			/* CONFIG */
	assert_int_equal(good[29], 1);			/* caps: XICS */
	bad = malloc(len);
	assert_non_null(bad);

	memcpy(bad, good, len);
	put_be32(bad + ends_at, 0x1000000);
	stream_reseal(bad, len);
	assert_int_equal(spirq_restore(m, bad, len, &err), -SPIRQ_ERR_STREAM);
	assert_non_null(strstr(err.message, "without XIVE"));

	memcpy(bad, good, len);
	put_be32(bad + ipis_at, 4);
	stream_reseal(bad, len);
	assert_int_equal(spirq_restore(m, bad, len, &err), -SPIRQ_ERR_STREAM);

	/* the machine is unchanged and its own stream still goes back in */
	assert_int_equal(spirq_restore(m, good, len, &err), 0);
	free(bad);
	free(good);
	spirq_machine_destroy(m);
	host_release(&h);
}

/*
 * fuzz-*: spirq_machine_destroy() ran the unplug path of every vCPU:
 * O(vCPUs x sources) work and a set_cpu_irq callback (line down) while
 * the embedder tears its VM down.  Destroying only frees.
 */
static void test_destroy_calls_no_host_callback(void **state)
{
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { 0 };
	uint64_t rets[SPIRQ_HCALL_MAX_RETS];
	struct host h = { 0 };
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=xics",
				       "-smp", "2", NULL);
	unsigned calls;

	(void)state;
	args[0] = 0xff;		/* CPPR: accept everything */
	assert_int_equal(spirq_hcall(m, 0, SPIRQ_H_CPPR, args, rets, NULL),
			 SPIRQ_H_SUCCESS);
	args[0] = 0;		/* server 0 */
	args[1] = 0x5;		/* MFRR: an IPI more favoured than CPPR 0xff */
	assert_int_equal(spirq_hcall(m, 0, SPIRQ_H_IPI, args, rets, NULL),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(h.line[0], 1);
	calls = host_line_calls_total(&h);
	spirq_machine_destroy(m);
	assert_int_equal(host_line_calls_total(&h), calls);
	host_release(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_xive_sizes_without_xive),
		cmocka_unit_test(test_destroy_calls_no_host_callback),
	};

	return cmocka_run_group_tests_name("fuzz-regressions", tests, NULL,
					   NULL);
}
