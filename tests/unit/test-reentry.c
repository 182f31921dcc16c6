// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A host callback runs with the machine lock held.  One that calls back
 * into the same machine used to deadlock, silently, on the lock its own
 * thread held.  Every entry point that takes the lock now refuses such a
 * call (-SPIRQ_ERR_STATE, H_HARDWARE for spirq_hcall) and the machine logs
 * it once.  Another machine can still be used from a callback.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <spirq/spirq.h>

enum entry {
	E_CLAIM, E_FREE, E_SET_IRQ, E_MSI_ALLOC, E_MSI_FREE, E_CAS, E_RESET,
	E_CPU_PLUG, E_CPU_UNPLUG, E_HCALL, E_RTAS, E_MMIO_LOAD, E_MMIO_STORE,
	E_INFO_PIC, E_FDT_CREATE, E_FDT_POPULATE, E_SAVE, E_RESTORE,
	E_NR
};

struct host {
	spirq_machine *m;		/* the machine the callbacks re-enter */
	spirq_machine *other;		/* another machine */
	bool reentered;
	int64_t ret[E_NR];
	int err_code[E_NR];		/* spirq_error.code, where there is one */
	int other_ret;
	unsigned nlog;
	char log[8][256];
};

static void host_log(void *opaque, spirq_log_level level, const char *msg)
{
	struct host *h = opaque;

	if (h->nlog < 8)
		snprintf(h->log[h->nlog], sizeof(h->log[0]), "%d %s",
			 (int)level, msg);
	h->nlog++;
}

static void ignore_line(void *opaque, const char *line)
{
}

/* Every entry point that takes the lock, from inside a callback. */
static void reenter(struct host *h)
{
	spirq_machine *m = h->m;
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { 0xff };
	uint64_t rets[SPIRQ_HCALL_MAX_RETS], value;
	uint32_t cells[4] = { 0x1100 }, first, rcells[3];
	uint8_t buf[4096];
	spirq_error err[E_NR];
	size_t used;
	unsigned i;

	for (i = 0; i < E_NR; i++)
		err[i].code = -1;
	h->ret[E_CLAIM] = spirq_irq_claim(m, 0x1101, false, &err[E_CLAIM]);
	h->ret[E_FREE] = spirq_irq_free(m, 0x1100);
	h->ret[E_SET_IRQ] = spirq_set_irq(m, 0x1100, 1);
	h->ret[E_MSI_ALLOC] = spirq_msi_alloc(m, 1, true, &first,
					      &err[E_MSI_ALLOC]);
	h->ret[E_MSI_FREE] = spirq_msi_free(m, 0x1300, 1);
	h->ret[E_CAS] = spirq_cas(m, 0x00, NULL, &err[E_CAS]);
	h->ret[E_RESET] = spirq_reset(m);
	h->ret[E_CPU_PLUG] = spirq_cpu_plug(m, 1, &err[E_CPU_PLUG]);
	h->ret[E_CPU_UNPLUG] = spirq_cpu_unplug(m, 1, &err[E_CPU_UNPLUG]);
	h->ret[E_HCALL] = spirq_hcall(m, 0, SPIRQ_H_CPPR, args, rets, NULL);
	h->ret[E_RTAS] = spirq_rtas(m, 0, SPIRQ_RTAS_INT_OFF, 1, cells, 1,
				    rcells);
	h->ret[E_MMIO_LOAD] = spirq_mmio_load(m, 0, SPIRQ_REGION_TIMA, 0x20810,
					      2, &value);
	h->ret[E_MMIO_STORE] = spirq_mmio_store(m, 0, SPIRQ_REGION_TIMA,
						0x20011, 1, 0xff);
	h->ret[E_INFO_PIC] = spirq_info_pic(m, ignore_line, NULL);
	h->ret[E_FDT_CREATE] = spirq_fdt_create(m, buf, sizeof(buf), 0);
	h->ret[E_FDT_POPULATE] = spirq_fdt_populate(m, buf, 0);
	h->ret[E_SAVE] = spirq_save(m, buf, sizeof(buf), &used);
	h->ret[E_RESTORE] = spirq_restore(m, buf, sizeof(buf), &err[E_RESTORE]);
	for (i = 0; i < E_NR; i++)
		h->err_code[i] = err[i].code;
	if (h->other)
		h->other_ret = spirq_set_irq(h->other, 0x1100, 1);
}

static void host_set_cpu_irq(void *opaque, unsigned cpu, int level)
{
	struct host *h = opaque;

	if (level && !h->reentered) {
		h->reentered = true;
		reenter(h);
	}
}

static spirq_machine *machine(struct host *h, const char *type)
{
	spirq_host_ops ops = {
		.version = SPIRQ_HOST_OPS_VERSION,
		.opaque = h,
		.set_cpu_irq = host_set_cpu_irq,
		.log = host_log,
	};
	spirq_options opts;
	spirq_config cfg;
	spirq_machine *m;

	spirq_options_init(&opts);
	assert_int_equal(spirq_options_parse_machine(&opts, type, NULL), 0);
	assert_int_equal(spirq_options_parse_smp(&opts, "1,maxcpus=2", NULL), 0);
	assert_int_equal(spirq_options_parse_memory(&opts, "1G", NULL), 0);
	assert_int_equal(spirq_config_resolve(&opts, &cfg, NULL), 0);
	assert_int_equal(spirq_machine_create(&cfg, h ? &ops : NULL, &m, NULL),
			 0);
	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	return m;
}

/* XICS: route 0x1100 to vCPU 0 and open its CPPR; the trigger raises. */
static void xics_route(spirq_machine *m)
{
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { 0xff };
	uint64_t rets[SPIRQ_HCALL_MAX_RETS];
	uint32_t cells[3] = { 0x1100, 0, 5 }, status;

	assert_int_equal(spirq_hcall(m, 0, SPIRQ_H_CPPR, args, rets, NULL),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(spirq_rtas(m, 0, SPIRQ_RTAS_SET_XIVE, 3, cells, 1,
				    &status), 0);
	assert_int_equal(status, 0);
}

static void test_callback_reentry_refused(void **state)
{
	struct host h = { 0 };
	unsigned i;

	h.m = machine(&h, "pseries-7.2,ic-mode=xics");
	h.other = machine(NULL, "pseries-7.2,ic-mode=xics");
	xics_route(h.m);
	assert_int_equal(spirq_set_irq(h.m, 0x1100, 1), 0);
	assert_true(h.reentered);

	for (i = 0; i < E_NR; i++) {
		int64_t want = i == E_HCALL ? SPIRQ_H_HARDWARE :
					      -SPIRQ_ERR_STATE;

		if (h.ret[i] != want)
			fail_msg("entry %u returned %lld", i,
				 (long long)h.ret[i]);
	}
	assert_int_equal(h.err_code[E_CLAIM], SPIRQ_ERR_STATE);
	assert_int_equal(h.err_code[E_MSI_ALLOC], SPIRQ_ERR_STATE);
	assert_int_equal(h.err_code[E_CAS], SPIRQ_ERR_STATE);
	assert_int_equal(h.err_code[E_CPU_PLUG], SPIRQ_ERR_STATE);
	assert_int_equal(h.err_code[E_CPU_UNPLUG], SPIRQ_ERR_STATE);
	assert_int_equal(h.err_code[E_RESTORE], SPIRQ_ERR_STATE);
	/* another machine is fine */
	assert_int_equal(h.other_ret, 0);

	/* logged once, as a warning naming the first refused entry point */
	assert_int_equal(h.nlog, 1);
	assert_string_equal(h.log[0],
		"1 spirq_irq_claim called from a host callback of the same machine: refused (it would deadlock)");

	/* the machine is unchanged and usable: the source is still claimed */
	assert_int_equal(spirq_set_irq(h.m, 0x1100, 0), 0);
	assert_int_equal(spirq_irq_claim(h.m, 0x1101, false, NULL), 0);
	assert_int_equal(spirq_reset(h.m), 0);
	spirq_machine_destroy(h.other);
	spirq_machine_destroy(h.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_callback_reentry_refused),
	};

	return cmocka_run_group_tests_name("reentry", tests, NULL, NULL);
}
