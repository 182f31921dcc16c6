// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: vCPU core hot-plug and unplug.
 *
 * QEMU 7.2's refusals and their texts; presenters created in every
 * present controller ("info pic" lists the new vCPU, its XIVE CAM line is
 * 0x80000400 + vCPU id); a hot-plugged vCPU takes IPIs and configures its
 * own queue; unplug masks the sources still aimed at the vCPU (XICS:
 * priority 0xff with the old one saved, a rejected MSI kept as
 * masked-pending; XIVE: EAS masked and the vCPU's ENDs reset); whole
 * cores with threads > 1 (KVM: TCG refuses SMT).
 */
#include "test-spapr-harness.h"

static void expect_error(int ret, int code, const spirq_error *err,
			 const char *message)
{
	assert_int_equal(ret, -code);
	assert_int_equal(err->code, code);
	assert_string_equal(err->message, message);
}

static void test_refusals(void **state)
{
	spirq_error err;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2",
				       "-smp", "1,maxcpus=4", "-m", "256M", NULL);

	assert_int_equal(spirq_cpu_plug(m, 1, &err), 0);
	expect_error(spirq_cpu_plug(m, 1, &err), SPIRQ_ERR_BUSY, &err,
		     "core 1 already populated");
	expect_error(spirq_cpu_plug(m, 0, &err), SPIRQ_ERR_BUSY, &err,
		     "core 0 already populated");
	expect_error(spirq_cpu_plug(m, 4, &err), SPIRQ_ERR_INVAL, &err,
		     "core id 4 out of range");
	expect_error(spirq_cpu_plug(m, 0xffffffff, &err), SPIRQ_ERR_INVAL,
		     &err, "core id 4294967295 out of range");
	expect_error(spirq_cpu_unplug(m, 0, &err), SPIRQ_ERR_STATE, &err,
		     "Boot CPU core may not be unplugged");
	expect_error(spirq_cpu_unplug(m, 2, &err), SPIRQ_ERR_NOTFOUND, &err,
		     "Unable to find CPU core with core-id: 2");
	expect_error(spirq_cpu_unplug(m, 9, &err), SPIRQ_ERR_NOTFOUND, &err,
		     "Unable to find CPU core with core-id: 9");
	assert_int_equal(spirq_cpu_unplug(m, 1, &err), 0);
	expect_error(spirq_cpu_unplug(m, 1, &err), SPIRQ_ERR_NOTFOUND, &err,
		     "Unable to find CPU core with core-id: 1");
	/* err may be NULL */
	assert_int_equal(spirq_cpu_plug(m, 7, NULL), -SPIRQ_ERR_INVAL);
	machine_free(&h, m);
}

/* Cores of two threads: core ids are multiples of 2. */
static void test_refusals_smt(void **state)
{
	spirq_error err;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2",
				       "-smp", "2,maxcpus=6,threads=2",
				       "-accel", "kvm", "-m", "256M", NULL);

	expect_error(spirq_cpu_plug(m, 1, &err), SPIRQ_ERR_INVAL, &err,
		     "invalid core id 1");
	expect_error(spirq_cpu_plug(m, 3, &err), SPIRQ_ERR_INVAL, &err,
		     "invalid core id 3");
	/* QEMU checks the alignment before the range */
	expect_error(spirq_cpu_plug(m, 7, &err), SPIRQ_ERR_INVAL, &err,
		     "invalid core id 7");
	expect_error(spirq_cpu_plug(m, 6, &err), SPIRQ_ERR_INVAL, &err,
		     "core id 6 out of range");
	expect_error(spirq_cpu_plug(m, 0, &err), SPIRQ_ERR_BUSY, &err,
		     "core 0 already populated");
	expect_error(spirq_cpu_unplug(m, 3, &err), SPIRQ_ERR_NOTFOUND, &err,
		     "Unable to find CPU core with core-id: 3");
	expect_error(spirq_cpu_unplug(m, 0, &err), SPIRQ_ERR_STATE, &err,
		     "Boot CPU core may not be unplugged");
	machine_free(&h, m);
}

/* Machine types before pseries-2.7 have no CPU hot-plug. */
static void test_no_hotplug_machine(void **state)
{
	spirq_config cfg;
	spirq_error err;
	struct host h;
	spirq_machine *m;

	/* QEMU refuses maxcpus > smp there */
	assert_int_equal(spirq_config_from_args(4, (const char *[]){ "-M",
				"pseries-2.6", "-smp", "1,maxcpus=2" }, &cfg,
				&err), -SPIRQ_ERR_CONFIG);
	assert_string_equal(err.message,
			    "This machine version does not support CPU hotplug");
	m = machine_new(&h, "-M", "pseries-2.6", "-smp", "1", "-m", "256M",
			NULL);

	expect_error(spirq_cpu_plug(m, 1, &err), SPIRQ_ERR_STATE, &err,
		     "CPU hotplug not supported for this machine");
	expect_error(spirq_cpu_unplug(m, 1, &err), SPIRQ_ERR_STATE, &err,
		     "CPU hot unplug not supported on this machine");
	/* even for the boot core: the machine check comes first */
	expect_error(spirq_cpu_unplug(m, 0, &err), SPIRQ_ERR_STATE, &err,
		     "CPU hot unplug not supported on this machine");
	machine_free(&h, m);

	/* pseries-2.7 has it */
	m = machine_new(&h, "-M", "pseries-2.7", "-smp", "1,maxcpus=2",
			"-m", "256M", NULL);
	assert_int_equal(spirq_cpu_plug(m, 1, &err), 0);
	assert_true(pic_has(m, "CPU 1 XIRR=00000000 ((nil)) PP=ff MFRR=ff"));
	machine_free(&h, m);
}

/*
 * A hot-plugged vCPU gets a presenter in both controllers of a dual
 * machine, reset, and a guest interface that works; a vCPU that is not
 * plugged answers nothing.
 */
static void test_presenters_in_every_controller(void **state)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	uint32_t cell = 0x1100, st[4];
	struct pic *p = pic_new();
	struct host h;
	/* vsmt 2: vCPU ids 0, 2, 4, 6 for cpu_index 0 .. 3 */
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,vsmt=2",
				       "-smp", "1,maxcpus=4", "-m", "256M", NULL);
	uint64_t v;

	/* not plugged yet */
	assert_int_equal(hcall(m, 2, SPIRQ_H_CPPR, NULL, 0xff),
			 SPIRQ_H_HARDWARE);
	assert_int_equal(spirq_rtas(m, 2, SPIRQ_RTAS_GET_XIVE, 1, &cell, 3, st),
			 -SPIRQ_ERR_INVAL);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPOLL, NULL, 4), SPIRQ_H_PARAMETER);

	assert_int_equal(spirq_cpu_plug(m, 2, NULL), 0);
	assert_string_equal(info_pic(m, p),
			    "CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "CPU 2 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "ICS 1000..1fff 0x1\n"
			    "irqchip: emulated\n");
	/* the server number is the vCPU id, 4 */
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPOLL, rets, 4), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[1], 0xff);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPOLL, NULL, 2), SPIRQ_H_PARAMETER);
	assert_int_equal(hcall(m, 2, SPIRQ_H_CPPR, NULL, 0xff), SPIRQ_H_SUCCESS);

	/* and the XIVE thread context exists: CAM line of NVT 0x400 + 4 */
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_string_equal(info_pic(m, p),
		"CPU[0000]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2\n"
		"CPU[0000]: USER    00   00  00    00   00  00  00   00  00000000\n"
		"CPU[0000]:   OS    00   00  00    ff   ff  00  ff   ff  80000400\n"
		"CPU[0000]: POOL    00   00  00    00   00  00  00   00  00000000\n"
		"CPU[0000]: PHYS    00   00  00    00   00  00  00   ff  00000000\n"
		"CPU[0002]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2\n"
		"CPU[0002]: USER    00   00  00    00   00  00  00   00  00000000\n"
		"CPU[0002]:   OS    00   00  00    ff   ff  00  ff   ff  80000404\n"
		"CPU[0002]: POOL    00   00  00    00   00  00  00   00  00000000\n"
		"CPU[0002]: PHYS    00   00  00    00   00  00  00   ff  00000000\n"
		"  LISN         PQ    EISN     CPU/PRIO EQ\n"
		"  00000000 MSI -Q  M 00000000\n"
		"  00000001 MSI -Q  M 00000000\n"
		"  00000002 MSI -Q  M 00000000\n"
		"  00000003 MSI -Q  M 00000000\n"
		"irqchip: emulated\n");
	assert_int_equal(spirq_mmio_load(m, 2, SPIRQ_REGION_TIMA, TIMA_OS_ACK,
					 2, &v), 0);
	/* a vCPU plugged after CAS gets both presenters too */
	assert_int_equal(spirq_cpu_plug(m, 1, NULL), 0);
	assert_true(pic_has(m, "CPU[0001]:   OS    00   00  00    ff   ff  00  ff   ff  80000402"));
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), 0);
	assert_string_equal(info_pic(m, p),
			    "CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "CPU 2 XIRR=ff000000 ((nil)) PP=ff MFRR=ff\n"
			    "CPU 1 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "ICS 1000..1fff 0x1\n"
			    "irqchip: emulated\n");
	machine_free(&h, m);
	free(p);
}

/* XICS: a hot-plugged vCPU receives IPIs and device interrupts. */
static void test_xics_ipi_to_hotplugged(void **state)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=xics",
				       "-smp", "1,maxcpus=2", "-m", "256M", NULL);

	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPI, NULL, 1, 5),
			 SPIRQ_H_PARAMETER);
	assert_int_equal(spirq_cpu_plug(m, 1, NULL), 0);
	assert_int_equal(hcall(m, 1, SPIRQ_H_CPPR, NULL, 0xff), SPIRQ_H_SUCCESS);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPI, NULL, 1, 5), SPIRQ_H_SUCCESS);
	assert_int_equal(h.line[1], 1);
	assert_int_equal(hcall(m, 1, SPIRQ_H_XIRR, rets, 0), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0xff000002);
	assert_int_equal(h.line[1], 0);
	assert_int_equal(hcall(m, 1, SPIRQ_H_IPI, NULL, 1, 0xff),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(hcall(m, 1, SPIRQ_H_EOI, NULL, 0xff000002),
			 SPIRQ_H_SUCCESS);
	/* a device interrupt routed to it */
	assert_int_equal(set_xive(m, 0x1100, 1, 5), 0);
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);
	assert_int_equal(h.line[1], 1);
	assert_int_equal(hcall(m, 1, SPIRQ_H_XIRR, rets, 0), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0xff001100);
	machine_free(&h, m);
}

/*
 * XIVE: a hot-plugged vCPU configures its queue and its IPI (LISN =
 * cpu_index, in the IPI range claimed by the machine) and receives it.
 */
static void test_xive_ipi_to_hotplugged(void **state)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	const uint64_t q = 0x400000;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,ic-mode=xive",
				       "-smp", "1,maxcpus=4", "-m", "256M", NULL);

	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	/* vCPU id 3 does not exist yet */
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_SET_QUEUE_CONFIG, NULL,
			       XIVE_END_ALWAYS_NOTIFY, 3, 6, q, 12),
			 SPIRQ_H_P2);
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, NULL,
			       XIVE_SRC_SET_EISN, 3, 3, 6, 0x33), SPIRQ_H_P3);

	assert_int_equal(spirq_cpu_plug(m, 3, NULL), 0);
	assert_int_equal(hcall(m, 3, SPIRQ_H_INT_GET_QUEUE_INFO, rets, 0, 3, 6),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(rets[1], 0);
	xive_queue(m, 3, 3, 6, q);
	xive_route(m, 3, 3, 6, 0x33);
	assert_true(pic_has(m, "  00000003 MSI --    00000033   3/6      0/ 1024 @400000 ^1 [ 00000000 00000000 00000000 00000000 00000000 ^00000000 ]"));

	/* vCPU 0 sends the IPI: a store to the IPI's trigger page */
	mmio_store(m, 0, SPIRQ_REGION_ESB, ESB_TRIGGER(3), 8, 0);
	assert_int_equal(h.line[3], 1);
	assert_int_equal(h.line[0], 0);
	assert_int_equal(queue_entry(&h, q, 0), 0x80000033);
	assert_int_equal(mmio_load(m, 3, SPIRQ_REGION_TIMA, TIMA_OS_ACK, 2),
			 0x8006);
	assert_int_equal(h.line[3], 0);
	/* EOI: PQ back to 00 */
	assert_int_equal(mmio_load(m, 3, SPIRQ_REGION_ESB, ESB_MGMT(3), 8), 0);
	assert_int_equal(xive_pq(m, 3), 0);
	machine_free(&h, m);
}

/*
 * XICS unplug: every source aimed at the vCPU is masked with its old
 * priority saved; what the vCPU presented, or had rejected, is kept as
 * masked-pending and reaches another vCPU once the guest retargets it.
 */
static void test_xics_unplug_masks(void **state)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	struct pic *p = pic_new();
	uint32_t server, prio;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2",
				       "-smp", "1,maxcpus=2", "-m", "256M", NULL);
	unsigned nlog;

	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1101, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1102, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1200, true, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1201, false, NULL), 0);
	assert_int_equal(spirq_cpu_plug(m, 1, NULL), 0);

	/* 0x1100: rejected by vCPU 1 (its CPPR is 0 after reset) */
	assert_int_equal(set_xive(m, 0x1100, 1, 5), 0);
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);
	assert_true(pic_has(m, "  1100 MSI 05 04"));
	/* 0x1101: aimed at vCPU 1, idle */
	assert_int_equal(set_xive(m, 0x1101, 1, 4), 0);
	/* 0x1102: presented by vCPU 1 */
	assert_int_equal(hcall(m, 1, SPIRQ_H_CPPR, NULL, 0xff), SPIRQ_H_SUCCESS);
	assert_int_equal(set_xive(m, 0x1102, 1, 3), 0);
	assert_int_equal(spirq_set_irq(m, 0x1102, 1), 0);
	assert_true(pic_has(m, "CPU 1 XIRR=ff001102 (0x1) PP=03 MFRR=ff"));
	assert_int_equal(h.line[1], 1);
	/* 0x1200: an asserted LSI aimed at vCPU 1, rejected (priority 6 is
	 * less favoured than the presented 3) */
	assert_int_equal(set_xive(m, 0x1200, 1, 6), 0);
	assert_int_equal(spirq_set_irq(m, 0x1200, 1), 0);
	/* 0x1201: aimed at vCPU 0, must not move */
	assert_int_equal(set_xive(m, 0x1201, 0, 5), 0);

	nlog = h.nlog;
	assert_int_equal(spirq_cpu_unplug(m, 1, NULL), 0);
	assert_int_equal(h.line[1], 0);
	assert_string_equal(info_pic(m, p),
			    "CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=ff\n"
			    "ICS 1000..1fff 0x1\n"
			    "  1100 MSI ff 08\n"
			    "  1101 MSI ff 00\n"
			    "  1102 MSI ff 08\n"
			    "  1200 LSI ff 01\n"
			    "  1201 MSI 05 00\n"
			    "irqchip: emulated\n");
	/* server kept, priority 0xff */
	assert_int_equal(get_xive(m, 0x1101, &server, &prio), 0);
	assert_int_equal(server, 1);
	assert_int_equal(prio, 0xff);
	/* the saved priority comes back with ibm,int-on */
	assert_int_equal(int_onoff(m, 0x1101, true), 0);
	assert_int_equal(get_xive(m, 0x1101, &server, &prio), 0);
	assert_int_equal(prio, 4);
	/* no guest error while unplugging */
	assert_int_equal(host_log_count(&h, nlog, SPIRQ_LOG_GUEST_ERROR, ""),
			 0);

	/* the guest moves the pending ones to vCPU 0 and opens its CPPR */
	assert_int_equal(hcall(m, 0, SPIRQ_H_CPPR, NULL, 0xff), SPIRQ_H_SUCCESS);
	assert_int_equal(set_xive(m, 0x1102, 0, 3), 0);
	assert_int_equal(h.line[0], 1);
	assert_int_equal(hcall(m, 0, SPIRQ_H_XIRR, rets, 0), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0xff001102);
	assert_int_equal(hcall(m, 0, SPIRQ_H_EOI, NULL, 0xff001102),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(set_xive(m, 0x1100, 0, 5), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_XIRR, rets, 0), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0xff001100);
	assert_int_equal(hcall(m, 0, SPIRQ_H_EOI, NULL, 0xff001100),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(set_xive(m, 0x1200, 0, 6), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_XIRR, rets, 0), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0xff001200);
	/* the device lowers its line: nothing is left to deliver */
	assert_int_equal(spirq_set_irq(m, 0x1200, 0), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_EOI, NULL, 0xff001200),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(h.line[0], 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_XIRR, rets, 0), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0xff000000);

	/* plugged again: a fresh presenter; the sources stay masked */
	assert_int_equal(spirq_cpu_plug(m, 1, NULL), 0);
	assert_true(pic_has(m, "CPU 1 XIRR=00000000 ((nil)) PP=ff MFRR=ff"));
	assert_int_equal(get_xive(m, 0x1101, &server, &prio), 0);
	assert_int_equal(prio, 4);
	machine_free(&h, m);
	free(p);
}

/*
 * XIVE unplug: the EAS of the sources routed to the vCPU are masked (the
 * EISN kept), its ENDs are reset; other vCPUs' routes do not move.
 */
static void test_xive_unplug_masks(void **state)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	const uint64_t q0 = 0x100000, q1 = 0x101000;
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2",
				       "-smp", "1,maxcpus=2", "-m", "256M", NULL);

	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1101, false, NULL), 0);
	assert_int_equal(spirq_cpu_plug(m, 1, NULL), 0);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	xive_queue(m, 0, 0, 6, q0);
	xive_queue(m, 1, 1, 6, q1);
	xive_queue(m, 1, 1, 5, q1 + 0x1000);
	xive_route(m, 0x1100, 1, 6, 0x1100);
	xive_route(m, 1, 1, 5, 0x10);		/* vCPU 1's IPI */
	xive_route(m, 0x1101, 0, 6, 0x1101);
	/* an event pending at vCPU 1 */
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);
	assert_int_equal(h.line[1], 1);

	assert_int_equal(spirq_cpu_unplug(m, 1, NULL), 0);
	assert_int_equal(h.line[1], 0);
	assert_true(pic_has(m, "  00000001 MSI --  M 00000010"));
	assert_true(pic_has(m, "  00001100 MSI P-  M 00001100"));
	assert_true(pic_has(m, "  00001101 MSI --    00001101   0/6      0/ 1024 @100000 ^1 [ 00000000 00000000 00000000 00000000 00000000 ^00000000 ]"));
	/* masked, no target (D6), EISN kept */
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_CONFIG, rets, 0,
			       0x1100), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0xffffffff);
	assert_int_equal(rets[1], 0xff);
	assert_int_equal(rets[2], 0x1100);
	/* vCPU 0's source untouched */
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_CONFIG, rets, 0,
			       0x1101), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0);
	assert_int_equal(rets[1], 6);
	/* vCPU id 1 is gone */
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_QUEUE_CONFIG, rets, 0, 1,
			       6), SPIRQ_H_P2);
	/* events to the masked source go nowhere, without a complaint */
	assert_int_equal(mmio_load(m, 0, SPIRQ_REGION_ESB,
				   ESB_MGMT(0x1100) + ESB_SET_PQ_00, 8), 2);
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);
	assert_int_equal(queue_entry(&h, q1, 1), 0);

	/* plugged again, the vCPU starts clean */
	assert_int_equal(spirq_cpu_plug(m, 1, NULL), 0);
	assert_int_equal(hcall(m, 1, SPIRQ_H_INT_GET_QUEUE_CONFIG, rets, 0, 1,
			       6), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[1], 0);
	assert_int_equal(rets[2], 0);
	assert_int_equal(hcall(m, 1, SPIRQ_H_INT_GET_QUEUE_CONFIG, rets, 0, 1,
			       5), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[2], 0);
	assert_true(pic_has(m, "CPU[0001]:   OS    00   00  00    ff   ff  00  ff   ff  80000401"));
	/* and can be routed to again */
	xive_queue(m, 1, 1, 6, q1);
	xive_route(m, 0x1100, 1, 6, 0x1100);
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);
	assert_int_equal(h.line[1], 1);
	machine_free(&h, m);
}

/*
 * Whole cores with two threads (KVM): both threads come and go together,
 * with vCPU ids spaced by vsmt.
 */
static void test_smt_cores(void **state)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2,vsmt=8",
				       "-smp", "2,maxcpus=6,threads=2",
				       "-accel", "kvm", "-m", "256M", NULL);

	assert_int_equal(spirq_cpu_plug(m, 4, NULL), 0);
	/* cpu_index 4 and 5: vCPU ids 16 and 17 */
	assert_int_equal(hcall(m, 5, SPIRQ_H_CPPR, NULL, 0xff), SPIRQ_H_SUCCESS);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPOLL, rets, 16), SPIRQ_H_SUCCESS);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPOLL, rets, 17), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0xff000000);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPOLL, rets, 8), SPIRQ_H_PARAMETER);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPI, NULL, 17, 5), SPIRQ_H_SUCCESS);
	assert_int_equal(h.line[5], 1);
	assert_int_equal(h.line[4], 0);
	assert_true(pic_has(m, "CPU 4 XIRR=00000000 ((nil)) PP=ff MFRR=ff"));
	assert_true(pic_has(m, "CPU 5 XIRR=ff000002 ((nil)) PP=05 MFRR=05"));
	assert_true(pic_has(m, "irqchip: in-kernel (simulated host)"));

	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_true(pic_has(m, "CPU[0004]:   OS    00   00  00    ff   ff  00  ff   ff  80000410"));
	assert_true(pic_has(m, "CPU[0005]:   OS    00   00  00    ff   ff  00  ff   ff  80000411"));
	/* the IPIs of a machine >= pseries-6.0 are counted by max_cpus */
	assert_true(pic_has(m, "  00000005 MSI -Q  M 00000000"));
	assert_false(pic_has(m, "  00000006 MSI -Q  M 00000000"));
	xive_queue(m, 5, 17, 6, 0x200000);
	xive_route(m, 5, 17, 6, 5);
	mmio_store(m, 0, SPIRQ_REGION_ESB, ESB_TRIGGER(5), 8, 0);
	assert_int_equal(queue_entry(&h, 0x200000, 0), 0x80000005);

	/* unplug the core: both threads go, the line drops */
	assert_int_equal(spirq_cpu_unplug(m, 4, NULL), 0);
	assert_int_equal(h.line[5], 0);
	assert_int_equal(hcall(m, 4, SPIRQ_H_INT_GET_QUEUE_INFO, NULL, 0, 0, 6),
			 SPIRQ_H_HARDWARE);
	assert_int_equal(hcall(m, 5, SPIRQ_H_INT_GET_QUEUE_INFO, NULL, 0, 0, 6),
			 SPIRQ_H_HARDWARE);
	assert_false(pic_has(m, "CPU[0004]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2"));
	assert_true(pic_has(m, "  00000005 MSI P-  M 00000005"));
	/* and the other core is untouched */
	assert_int_equal(hcall(m, 1, SPIRQ_H_INT_GET_QUEUE_INFO, NULL, 0, 1, 6),
			 SPIRQ_H_SUCCESS);
	machine_free(&h, m);
}

/* Many plug/unplug cycles: no leak, no stale presenter (ASan build). */
static void test_plug_cycles(void **state)
{
	struct host h;
	spirq_machine *m = machine_new(&h, "-M", "pseries-7.2",
				       "-smp", "1,maxcpus=8", "-m", "256M", NULL);
	unsigned i, cpu;

	for (i = 0; i < 50; i++) {
		for (cpu = 1; cpu < 8; cpu++)
			assert_int_equal(spirq_cpu_plug(m, cpu, NULL), 0);
		if (i % 2)
			assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
		for (cpu = 7; cpu >= 1; cpu--)
			assert_int_equal(spirq_cpu_unplug(m, cpu, NULL), 0);
		if (i % 3 == 0)
			assert_int_equal(spirq_reset(m), 0);
	}
	assert_int_equal(spirq_cpu_plug(m, 5, NULL), 0);
	/* destroy with a hot-plugged vCPU present */
	machine_free(&h, m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_refusals_smt),
		cmocka_unit_test(test_no_hotplug_machine),
		cmocka_unit_test(test_presenters_in_every_controller),
		cmocka_unit_test(test_xics_ipi_to_hotplugged),
		cmocka_unit_test(test_xive_ipi_to_hotplugged),
		cmocka_unit_test(test_xics_unplug_masks),
		cmocka_unit_test(test_xive_unplug_masks),
		cmocka_unit_test(test_smt_cores),
		cmocka_unit_test(test_plug_cycles),
	};

	return cmocka_run_group_tests_name("spapr-hotplug", tests, NULL, NULL);
}
