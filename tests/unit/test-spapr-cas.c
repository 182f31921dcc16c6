// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: client-architecture-support (option vector 5, byte 23).
 *
 * Every outcome for ic-mode xics/xive/dual and the bytes a guest can send
 * (QEMU 7.2's messages; QEMU exits where spirq refuses and changes
 * nothing), dual switching in place both ways with the inactive
 * controller's state kept, the H_INT_* gate (H_FUNCTION until XIVE is
 * negotiated, also with ic-mode=xive), the XICS gate (H_HARDWARE / RTAS -1
 * once XIVE is negotiated) and the pre-POWER9 compat machine whose dual
 * mode became xics.
 */
#include "test-spapr-harness.h"

#define MSG_INVALID "guest requested an invalid interrupt mode"
#define MSG_NO_XIVE "Guest requested unavailable interrupt mode (XIVE), try the ic-mode=xive or ic-mode=dual machine property"
#define MSG_NO_XICS "Guest requested unavailable interrupt mode (XICS), either don't set the ic-mode machine property or try ic-mode=xics or ic-mode=dual"

#define REFUSED (-1)

struct cas_row {
	const char *machine;
	const char *cpu;	/* NULL: the machine's default */
	uint8_t byte23;
	int chosen;		/* spirq_ic_mode, or REFUSED */
	const char *message;
};

static const struct cas_row cas_rows[] = {
	{ "pseries-7.2,ic-mode=xics", NULL, 0x00, SPIRQ_IC_MODE_XICS },
	{ "pseries-7.2,ic-mode=xics", NULL, 0x40, REFUSED, MSG_NO_XIVE },
	{ "pseries-7.2,ic-mode=xics", NULL, 0x80, REFUSED, MSG_INVALID },
	{ "pseries-7.2,ic-mode=xics", NULL, 0xc0, REFUSED, MSG_INVALID },
	{ "pseries-7.2,ic-mode=xive", NULL, 0x00, REFUSED, MSG_NO_XICS },
	{ "pseries-7.2,ic-mode=xive", NULL, 0x40, SPIRQ_IC_MODE_XIVE },
	{ "pseries-7.2,ic-mode=xive", NULL, 0x80, REFUSED, MSG_INVALID },
	{ "pseries-7.2,ic-mode=xive", NULL, 0xc0, REFUSED, MSG_INVALID },
	{ "pseries-7.2,ic-mode=dual", NULL, 0x00, SPIRQ_IC_MODE_XICS },
	{ "pseries-7.2,ic-mode=dual", NULL, 0x40, SPIRQ_IC_MODE_XIVE },
	{ "pseries-7.2,ic-mode=dual", NULL, 0x80, REFUSED, MSG_INVALID },
	{ "pseries-7.2,ic-mode=dual", NULL, 0xc0, REFUSED, MSG_INVALID },
	/* bits of byte 23 the platform does not offer are ignored */
	{ "pseries-7.2,ic-mode=dual", NULL, 0x3f, SPIRQ_IC_MODE_XICS },
	{ "pseries-7.2,ic-mode=dual", NULL, 0x7f, SPIRQ_IC_MODE_XIVE },
	{ "pseries-7.2,ic-mode=xive", NULL, 0x3f, REFUSED, MSG_NO_XICS },
	/* the default of pseries-7.2 is dual */
	{ "pseries-7.2", NULL, 0x40, SPIRQ_IC_MODE_XIVE },
	{ "pseries", NULL, 0x00, SPIRQ_IC_MODE_XICS },
	/* pseries-4.0 defaults to xics; pseries-3.0 is legacy XICS */
	{ "pseries-4.0", NULL, 0x40, REFUSED, MSG_NO_XIVE },
	{ "pseries-3.0", NULL, 0x00, SPIRQ_IC_MODE_XICS },
	{ "pseries-3.0", NULL, 0x40, REFUSED, MSG_NO_XIVE },
	/* pre-POWER9 compat turns dual into xics: XIVE is not there */
	{ "pseries-7.2,ic-mode=dual,max-cpu-compat=power8", NULL, 0x40,
	  REFUSED, MSG_NO_XIVE },
	{ "pseries-7.2,ic-mode=dual,max-cpu-compat=power8", NULL, 0x00,
	  SPIRQ_IC_MODE_XICS },
	{ "pseries-7.2", "POWER8", 0x40, REFUSED, MSG_NO_XIVE },
	{ "pseries-7.2", "POWER8", 0x80, REFUSED, MSG_INVALID },
	{ "pseries-7.2", "POWER8", 0x00, SPIRQ_IC_MODE_XICS },
};

static spirq_machine *row_machine(struct host *h, const struct cas_row *r)
{
	if (r->cpu)
		return machine_new(h, "-M", r->machine, "-cpu", r->cpu,
				   "-smp", "2", "-m", "256M", NULL);
	return machine_new(h, "-M", r->machine, "-smp", "2", "-m", "256M",
			   NULL);
}

/*
 * A fingerprint of what the guest sees without changing anything: the
 * answers of read-only hcalls and RTAS calls, and whether the XIVE MMIO
 * is mapped.
 */
struct probe {
	int64_t ipoll, source_info, queue_info, source_config;
	uint64_t ipoll_rets[2], queue_info_rets[2];
	int32_t get_xive;
	uint32_t server, prio;
	int mmio;
};

static void probe(spirq_machine *m, struct probe *p)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS];
	uint64_t v;

	memset(p, 0, sizeof(*p));
	memset(rets, 0, sizeof(rets));
	p->ipoll = hcall(m, 0, SPIRQ_H_IPOLL, rets, 0);
	memcpy(p->ipoll_rets, rets, sizeof(p->ipoll_rets));
	p->source_info = hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_INFO, NULL, 0,
			       0x1100);
	memset(rets, 0, sizeof(rets));
	p->queue_info = hcall(m, 0, SPIRQ_H_INT_GET_QUEUE_INFO, rets, 0, 0, 6);
	memcpy(p->queue_info_rets, rets, sizeof(p->queue_info_rets));
	p->source_config = hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_CONFIG, NULL, 0,
				 0x1100);
	p->get_xive = get_xive(m, 0x1100, &p->server, &p->prio);
	p->mmio = spirq_mmio_load(m, 0, SPIRQ_REGION_ESB,
				  ESB_MGMT(0x1100) + ESB_GET, 8, &v);
}

static void assert_probe_equal(const struct probe *a, const struct probe *b)
{
	assert_int_equal(a->ipoll, b->ipoll);
	assert_memory_equal(a->ipoll_rets, b->ipoll_rets, sizeof(a->ipoll_rets));
	assert_int_equal(a->source_info, b->source_info);
	assert_int_equal(a->queue_info, b->queue_info);
	assert_memory_equal(a->queue_info_rets, b->queue_info_rets,
			    sizeof(a->queue_info_rets));
	assert_int_equal(a->source_config, b->source_config);
	assert_int_equal(a->get_xive, b->get_xive);
	assert_int_equal(a->server, b->server);
	assert_int_equal(a->prio, b->prio);
	assert_int_equal(a->mmio, b->mmio);
}

/*
 * Every row: the answer, the message, and after a refusal the machine
 * exactly as before (same "info pic", same answers to the guest).
 */
static void test_every_outcome(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cas_rows) / sizeof(cas_rows[0]); i++) {
		const struct cas_row *r = &cas_rows[i];
		struct pic *before = pic_new(), *after = pic_new();
		spirq_ic_mode chosen = (spirq_ic_mode)77;
		struct probe p0, p1;
		spirq_error err;
		struct host h;
		spirq_machine *m = row_machine(&h, r);
		unsigned nlog;
		int ret;

		print_message("row %zu: -M %s%s%s, byte 23 0x%02x\n", i,
			      r->machine, r->cpu ? " -cpu " : "",
			      r->cpu ? r->cpu : "", r->byte23);
		assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
		info_pic(m, before);
		probe(m, &p0);
		nlog = h.nlog;

		ret = spirq_cas(m, r->byte23, &chosen, &err);
		if (r->chosen == REFUSED) {
			assert_int_equal(ret, -SPIRQ_ERR_CAS);
			assert_int_equal(err.code, SPIRQ_ERR_CAS);
			assert_string_equal(err.message, r->message);
			assert_int_equal(chosen, 77);
			/* the refusal is logged as a guest error */
			assert_int_equal(host_log_count(&h, nlog,
							SPIRQ_LOG_GUEST_ERROR,
							r->message), 1);
			info_pic(m, after);
			assert_string_equal(after->text, before->text);
			probe(m, &p1);
			assert_probe_equal(&p1, &p0);
		} else {
			assert_int_equal(ret, 0);
			assert_int_equal(chosen, r->chosen);
			assert_int_equal(pic_is_xics(m),
					 r->chosen == SPIRQ_IC_MODE_XICS);
			/* the H_INT_* gate follows the negotiation */
			assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_INFO,
					       NULL, 0, 0x1100),
					 r->chosen == SPIRQ_IC_MODE_XIVE ?
					 SPIRQ_H_SUCCESS : SPIRQ_H_FUNCTION);
		}
		machine_free(&h, m);
		free(before);
		free(after);
	}
}

/* @chosen and @err may be NULL. */
static void test_null_outputs(void **state)
{
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2", "-m", "256M",
				       NULL);

	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_false(pic_is_xics(m));
	assert_int_equal(spirq_cas(m, 0x80, NULL, NULL), -SPIRQ_ERR_CAS);
	assert_false(pic_is_xics(m));
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), 0);
	assert_true(pic_is_xics(m));
	machine_free(&h, m);
}

/*
 * A refusal after a successful negotiation keeps the negotiated mode:
 * dual in XIVE stays in XIVE (H_INT_* answer, XICS refused), and dual in
 * XICS stays in XICS.
 */
static void test_refusal_keeps_negotiation(void **state)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	struct pic *before = pic_new(), *after = pic_new();
	spirq_ic_mode chosen;
	spirq_error err;
	struct probe p0, p1;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=dual",
				       "-smp", "2", "-m", "256M", NULL);

	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_cas(m, 0x40, &chosen, &err), 0);
	xive_queue(m, 0, 0, 6, 0x100000);
	xive_route(m, 0x1100, 0, 6, 0x42);
	info_pic(m, before);
	probe(m, &p0);
	assert_int_equal(p0.queue_info, SPIRQ_H_SUCCESS);
	assert_int_equal(p0.ipoll, SPIRQ_H_HARDWARE);
	assert_int_equal(p0.get_xive, SPIRQ_RTAS_OUT_HW_ERROR);
	assert_int_equal(p0.mmio, 0);

	assert_int_equal(spirq_cas(m, 0x80, &chosen, &err), -SPIRQ_ERR_CAS);
	assert_string_equal(err.message, MSG_INVALID);
	assert_int_equal(spirq_cas(m, 0xc0, &chosen, &err), -SPIRQ_ERR_CAS);
	info_pic(m, after);
	assert_string_equal(after->text, before->text);
	probe(m, &p1);
	assert_probe_equal(&p1, &p0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_CONFIG, rets, 0,
			       0x1100), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0);
	assert_int_equal(rets[1], 6);
	assert_int_equal(rets[2], 0x42);

	/* the same in XICS after a legacy negotiation */
	assert_int_equal(spirq_cas(m, 0x00, &chosen, &err), 0);
	assert_int_equal(chosen, SPIRQ_IC_MODE_XICS);
	info_pic(m, before);
	probe(m, &p0);
	assert_int_equal(p0.ipoll, SPIRQ_H_SUCCESS);
	assert_int_equal(p0.queue_info, SPIRQ_H_FUNCTION);
	assert_int_equal(p0.mmio, -SPIRQ_ERR_NOTFOUND);
	assert_int_equal(spirq_cas(m, 0x80, &chosen, &err), -SPIRQ_ERR_CAS);
	info_pic(m, after);
	assert_string_equal(after->text, before->text);
	probe(m, &p1);
	assert_probe_equal(&p1, &p0);

	machine_free(&h, m);
	free(before);
	free(after);
}

/* Every H_INT_* opcode answers H_FUNCTION until XIVE is negotiated. */
static const uint64_t xive_hcalls[] = {
	SPIRQ_H_INT_GET_SOURCE_INFO, SPIRQ_H_INT_SET_SOURCE_CONFIG,
	SPIRQ_H_INT_GET_SOURCE_CONFIG, SPIRQ_H_INT_GET_QUEUE_INFO,
	SPIRQ_H_INT_SET_QUEUE_CONFIG, SPIRQ_H_INT_GET_QUEUE_CONFIG,
	SPIRQ_H_INT_SET_OS_REPORTING_LINE, SPIRQ_H_INT_GET_OS_REPORTING_LINE,
	SPIRQ_H_INT_ESB, SPIRQ_H_INT_SYNC, SPIRQ_H_INT_RESET,
};

static void assert_all_xive_hcalls(spirq_machine *m, int64_t want)
{
	size_t i;

	for (i = 0; i < sizeof(xive_hcalls) / sizeof(xive_hcalls[0]); i++)
		assert_int_equal(hcall(m, 0, xive_hcalls[i], NULL, 0, 0x1100),
				 want);
}

static void test_xive_mode_gate(void **state)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=xive",
				       "-m", "256M", NULL);

	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	/* XIVE is the only controller, active from the start ... */
	assert_false(pic_is_xics(m));
	assert_int_equal(mmio_load(m, 0, SPIRQ_REGION_ESB,
				   ESB_MGMT(0x1100) + ESB_GET, 8), 1);
	/* ... but the hcalls wait for the guest to negotiate it */
	assert_all_xive_hcalls(m, SPIRQ_H_FUNCTION);
	/* XICS does not exist: no hcalls (H_FUNCTION), no RTAS tokens */
	assert_int_equal(hcall(m, 0, SPIRQ_H_CPPR, NULL, 0xff),
			 SPIRQ_H_FUNCTION);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPOLL, NULL, 0), SPIRQ_H_FUNCTION);
	assert_int_equal(set_xive(m, 0x1100, 0, 5), SPIRQ_RTAS_OUT_PARAM_ERROR);

	/* a refused legacy request changes nothing */
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), -SPIRQ_ERR_CAS);
	assert_all_xive_hcalls(m, SPIRQ_H_FUNCTION);

	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_INFO, rets, 0,
			       0x1100), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[1], SPIRQ_XIVE_VC_BASE + ESB_MGMT(0x1100));
	assert_int_equal(rets[2], SPIRQ_XIVE_VC_BASE + ESB_TRIGGER(0x1100));
	assert_int_equal(rets[3], 16);
	/* the OS reporting line is not implemented (QEMU 7.2) */
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_OS_REPORTING_LINE, NULL,
			       0, 0), SPIRQ_H_FUNCTION);
	machine_free(&h, m);
}

/* With dual, XICS answers until XIVE is negotiated, then refuses. */
static void test_dual_xics_gate(void **state)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	uint32_t server, prio;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2", "-smp", "2",
				       "-m", "256M", NULL);
	unsigned nlog;

	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	assert_true(pic_is_xics(m));
	assert_all_xive_hcalls(m, SPIRQ_H_FUNCTION);
	/* no XIVE MMIO while XICS is active */
	assert_int_equal(spirq_mmio_load(m, 0, SPIRQ_REGION_TIMA, TIMA_OS_ACK,
					 2, rets), -SPIRQ_ERR_NOTFOUND);
	assert_int_equal(set_xive(m, 0x1100, 1, 5), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPOLL, rets, 1), SPIRQ_H_SUCCESS);

	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	nlog = h.nlog;
	assert_int_equal(hcall(m, 0, SPIRQ_H_CPPR, NULL, 0xff),
			 SPIRQ_H_HARDWARE);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPI, NULL, 1, 5),
			 SPIRQ_H_HARDWARE);
	assert_int_equal(hcall(m, 0, SPIRQ_H_XIRR, NULL, 0), SPIRQ_H_HARDWARE);
	assert_int_equal(hcall(m, 0, SPIRQ_H_XIRR_X, NULL, 0),
			 SPIRQ_H_HARDWARE);
	assert_int_equal(hcall(m, 0, SPIRQ_H_EOI, NULL, 0xff001100),
			 SPIRQ_H_HARDWARE);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPOLL, NULL, 0), SPIRQ_H_HARDWARE);
	assert_int_equal(get_xive(m, 0x1100, &server, &prio),
			 SPIRQ_RTAS_OUT_HW_ERROR);
	assert_int_equal(set_xive(m, 0x1100, 0, 3), SPIRQ_RTAS_OUT_HW_ERROR);
	assert_int_equal(int_onoff(m, 0x1100, false), SPIRQ_RTAS_OUT_HW_ERROR);
	assert_int_equal(int_onoff(m, 0x1100, true), SPIRQ_RTAS_OUT_HW_ERROR);
	/* QEMU's message for each refused call */
	assert_int_equal(host_log_count(&h, nlog, SPIRQ_LOG_GUEST_ERROR,
		"pseries: h_cppr must only be called for emulated XICS"), 1);
	assert_int_equal(host_log_count(&h, nlog, SPIRQ_LOG_GUEST_ERROR,
		"pseries: rtas_get_xive must only be called for emulated XICS"),
		1);
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_INFO, NULL, 0,
			       0x1100), SPIRQ_H_SUCCESS);

	/* back to XICS: the source kept its server and priority */
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), 0);
	assert_int_equal(get_xive(m, 0x1100, &server, &prio), 0);
	assert_int_equal(server, 1);
	assert_int_equal(prio, 5);
	assert_all_xive_hcalls(m, SPIRQ_H_FUNCTION);
	machine_free(&h, m);
}

/*
 * dual switches in place both ways, and the controller that is not
 * active keeps its whole state: sources, presenters, routing, queues.
 */
static void test_dual_switch_keeps_state(void **state)
{
	struct pic *xics = pic_new(), *xive = pic_new(), *now = pic_new();
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	const uint64_t qpage = 0x200000;
	spirq_ic_mode chosen;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=dual",
				       "-smp", "2", "-m", "256M", NULL);
	unsigned nlog;

	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1101, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1200, true, NULL), 0);

	/* XICS state: a masked-pending MSI, a source with a saved priority,
	 * a CPPR and an MFRR */
	assert_int_equal(set_xive(m, 0x1100, 1, 5), 0);
	assert_int_equal(int_onoff(m, 0x1100, false), 0);
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);
	assert_int_equal(set_xive(m, 0x1101, 0, 3), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_CPPR, NULL, 0x80),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPI, NULL, 1, 0xa),
			 SPIRQ_H_SUCCESS);
	info_pic(m, xics);
	assert_true(text_has_line(xics->text, "  1100 MSI ff 08"));
	assert_true(text_has_line(xics->text, "  1101 MSI 03 00"));
	assert_true(text_has_line(xics->text,
				  "CPU 0 XIRR=80000000 ((nil)) PP=ff MFRR=ff"));
	assert_true(text_has_line(xics->text,
				  "CPU 1 XIRR=00000000 ((nil)) PP=ff MFRR=0a"));

	/* to XIVE: an event through a queue */
	nlog = h.nlog;
	assert_int_equal(spirq_cas(m, 0x40, &chosen, NULL), 0);
	assert_int_equal(chosen, SPIRQ_IC_MODE_XIVE);
	assert_int_equal(host_log_count(&h, nlog, SPIRQ_LOG_INFO,
					"interrupt controller: xive"), 1);
	xive_queue(m, 0, 0, 6, qpage);
	xive_route(m, 0x1101, 0, 6, 0x1101);
	assert_int_equal(spirq_set_irq(m, 0x1101, 1), 0);
	assert_int_equal(h.line[0], 1);
	assert_int_equal(mmio_load(m, 0, SPIRQ_REGION_TIMA, TIMA_OS_ACK, 2),
			 0x8006);
	assert_int_equal(h.line[0], 0);
	assert_int_equal(queue_entry(&h, qpage, 0), 0x80001101);
	info_pic(m, xive);

	/* back to XICS: exactly as it was */
	nlog = h.nlog;
	assert_int_equal(spirq_cas(m, 0x00, &chosen, NULL), 0);
	assert_int_equal(chosen, SPIRQ_IC_MODE_XICS);
	assert_int_equal(host_log_count(&h, nlog, SPIRQ_LOG_INFO,
					"interrupt controller: xics"), 1);
	assert_string_equal(info_pic(m, now), xics->text);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPOLL, rets, 1), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0);
	assert_int_equal(rets[1], 0xa);

	/* and to XIVE again: exactly as it was */
	assert_int_equal(spirq_cas(m, 0x40, &chosen, NULL), 0);
	assert_string_equal(info_pic(m, now), xive->text);
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_QUEUE_CONFIG, rets,
			       XIVE_END_DEBUG, 0, 6), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[1], qpage);
	assert_int_equal(rets[2], 12);
	assert_int_equal(rets[3], 1);	/* one event written */

	/* a CAS that asks for the active mode changes nothing */
	nlog = h.nlog;
	assert_int_equal(spirq_cas(m, 0x40, &chosen, NULL), 0);
	assert_string_equal(info_pic(m, now), xive->text);
	assert_int_equal(host_log_count(&h, nlog, SPIRQ_LOG_INFO,
					"interrupt controller"), 0);

	machine_free(&h, m);
	free(xics);
	free(xive);
	free(now);
}

/*
 * Device events follow the switch: before it they reach XICS only, after
 * it XIVE only.
 */
static void test_events_follow_switch(void **state)
{
	struct pic *xics = pic_new(), *now = pic_new();
	const uint64_t qpage = 0x300000;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=dual",
				       "-m", "256M", NULL);

	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	xive_queue(m, 0, 0, 5, qpage);
	xive_route(m, 0x1100, 0, 5, 0x77);
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), 0);

	/* in XICS the source is masked: masked-pending, no XIVE event */
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);
	info_pic(m, xics);
	assert_true(text_has_line(xics->text, "  1100 MSI ff 08"));
	assert_int_equal(h.line[0], 0);

	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_int_equal(queue_entry(&h, qpage, 0), 0);
	assert_int_equal(xive_pq(m, 0x1100), 0);
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);
	assert_int_equal(queue_entry(&h, qpage, 0), 0x80000077);
	assert_int_equal(h.line[0], 1);
	assert_int_equal(xive_pq(m, 0x1100), 2);

	/* and XICS did not see that one */
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), 0);
	assert_string_equal(info_pic(m, now), xics->text);
	machine_free(&h, m);
	free(xics);
	free(now);
}

/* The compat-downgraded machine is a plain XICS machine. */
static void test_compat_downgraded_dual(void **state)
{
	const spirq_config *cfg;
	spirq_error err;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M",
				       "pseries-7.2,ic-mode=dual,max-cpu-compat=power8",
				       "-m", "256M", NULL);

	cfg = spirq_machine_config(m);
	assert_int_equal(cfg->ic_mode, SPIRQ_IC_MODE_XICS);
	assert_true(cfg->ic_mode_downgraded);
	assert_false(cfg->cap_xive);
	assert_true(pic_is_xics(m));
	assert_int_equal(spirq_cas(m, 0x40, NULL, &err), -SPIRQ_ERR_CAS);
	assert_string_equal(err.message, MSG_NO_XIVE);
	assert_true(pic_is_xics(m));
	/* no XIVE at all: the H_INT_* hcalls do not exist */
	assert_all_xive_hcalls(m, SPIRQ_H_FUNCTION);
	assert_int_equal(hcall(m, 0, SPIRQ_H_CPPR, NULL, 0xff),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_CPPR, NULL, 0xff),
			 SPIRQ_H_SUCCESS);
	machine_free(&h, m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_outcome),
		cmocka_unit_test(test_null_outputs),
		cmocka_unit_test(test_refusal_keeps_negotiation),
		cmocka_unit_test(test_xive_mode_gate),
		cmocka_unit_test(test_dual_xics_gate),
		cmocka_unit_test(test_dual_switch_keeps_state),
		cmocka_unit_test(test_events_follow_switch),
		cmocka_unit_test(test_compat_downgraded_dual),
	};

	return cmocka_run_group_tests_name("spapr-cas", tests, NULL, NULL);
}
