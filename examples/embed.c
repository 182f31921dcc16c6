// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A minimal embedding of libspirq: a VMM's interrupt controller in a few
 * dozen lines.  Guest RAM is a plain buffer here; a real VMM passes its
 * own memory accessors and drives its vCPUs' interrupt inputs.  Every
 * call is checked: a VMM must know when the library refused something.
 *
 * build: cc embed.c $(pkg-config --cflags --libs libspirq)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spirq/spirq.h>

#define RAM_SIZE	(256u << 20)
#define DEVICE_IRQ	SPIRQ_IRQ_VIO		/* a VIO device's source */
#define QUEUE_GPA	0x100000u		/* vCPU 0's event queue */
#define QUEUE_SHIFT	16			/* 64 KiB */
#define PRIORITY	6

static unsigned char ram[RAM_SIZE];

static int read_guest(void *opaque, uint64_t gpa, void *buf, size_t len)
{
	(void)opaque;
	if (gpa > sizeof(ram) || len > sizeof(ram) - gpa)
		return -1;
	memcpy(buf, ram + gpa, len);
	return 0;
}

static int write_guest(void *opaque, uint64_t gpa, const void *buf,
		       size_t len)
{
	(void)opaque;
	if (gpa > sizeof(ram) || len > sizeof(ram) - gpa)
		return -1;
	memcpy(ram + gpa, buf, len);
	return 0;
}

static void set_cpu_irq(void *opaque, unsigned cpu, int level)
{
	(void)opaque;
	printf("vCPU %u external interrupt %s\n", cpu,
	       level ? "raised" : "lowered");
}

static void log_line(void *opaque, spirq_log_level level, const char *msg)
{
	(void)opaque;
	(void)level;
	fprintf(stderr, "spirq: %s\n", msg);
}

static void fail(const char *what, int ret, const spirq_error *err)
{
	fprintf(stderr, "embed: %s: %s%s%s\n", what, spirq_strerror(ret),
		err && err->message[0] ? ": " : "",
		err && err->message[0] ? err->message : "");
	exit(1);
}

/* A guest hcall from vCPU @cpu (a cpu_index); must succeed. */
static void hcall(spirq_machine *m, unsigned cpu, uint64_t opcode,
		  const uint64_t *args)
{
	uint64_t rets[SPIRQ_HCALL_MAX_RETS];
	int64_t rc = spirq_hcall(m, cpu, opcode, args, rets, NULL);

	if (rc != SPIRQ_H_SUCCESS) {
		fprintf(stderr, "embed: %s: %s\n", spirq_hcall_name(opcode),
			spirq_hcall_ret_name(rc) ? spirq_hcall_ret_name(rc) :
						   "unknown return code");
		exit(1);
	}
}

static uint64_t mmio_load(spirq_machine *m, unsigned cpu,
			  spirq_region region, uint64_t offset, unsigned size)
{
	uint64_t value;
	int ret = spirq_mmio_load(m, cpu, region, offset, size, &value);

	if (ret < 0)
		fail("MMIO load", ret, NULL);
	return value;
}

static void mmio_store(spirq_machine *m, unsigned cpu, spirq_region region,
		       uint64_t offset, unsigned size, uint64_t value)
{
	int ret = spirq_mmio_store(m, cpu, region, offset, size, value);

	if (ret < 0)
		fail("MMIO store", ret, NULL);
}

int main(void)
{
	const char *args[] = { "-M", "pseries-7.2,ic-mode=xive", "-smp", "2",
			       "-m", "256M" };
	spirq_host_ops ops = {
		.version = SPIRQ_HOST_OPS_VERSION,
		.read_guest = read_guest,
		.write_guest = write_guest,
		.set_cpu_irq = set_cpu_irq,
		.log = log_line,
	};
	uint64_t in[SPIRQ_HCALL_MAX_ARGS] = { 0 };
	uint32_t vcpu0;		/* vCPU id of cpu_index 0, for the guest */
	spirq_ic_mode mode;
	spirq_config cfg;
	spirq_machine *m;
	spirq_error err;
	uint64_t ack;
	int ret;

	ret = spirq_config_from_args(6, args, &cfg, &err);
	if (ret < 0)
		fail("configuration", ret, &err);
	vcpu0 = spirq_vcpu_id(&cfg, 0);
	ret = spirq_machine_create(&cfg, &ops, &m, &err);
	if (ret < 0)
		fail("machine", ret, &err);
	printf("map the ESB window at 0x%llx (%llu MiB) and the TIMA at 0x%llx (%llu KiB)\n",
	       (unsigned long long)SPIRQ_XIVE_VC_BASE,
	       (unsigned long long)(SPIRQ_XIVE_ESB_WINDOW_SIZE >> 20),
	       (unsigned long long)SPIRQ_XIVE_TM_BASE,
	       (unsigned long long)(SPIRQ_XIVE_TM_WINDOW_SIZE >> 10));
	ret = spirq_irq_claim(m, DEVICE_IRQ, false, &err);	/* a device */
	if (ret < 0)
		fail("claim", ret, &err);
	ret = spirq_cas(m, 0x40, &mode, &err);	/* the guest asks for XIVE */
	if (ret < 0)
		fail("CAS", ret, &err);

	/* what a Linux guest does: a 64 KiB queue for vCPU 0, priority 6 */
	in[0] = SPIRQ_XIVE_END_ALWAYS_NOTIFY;
	in[1] = vcpu0;
	in[2] = PRIORITY;
	in[3] = QUEUE_GPA;
	in[4] = QUEUE_SHIFT;
	hcall(m, 0, SPIRQ_H_INT_SET_QUEUE_CONFIG, in);
	mmio_store(m, 0, SPIRQ_REGION_TIMA,
		   SPIRQ_TM_OS_PAGE + SPIRQ_TM_QW1_OS + SPIRQ_TM_CPPR, 1, 0xff);
	/* route the device's source to vCPU 0, EISN 0x42, and unmask it */
	memset(in, 0, sizeof(in));
	in[0] = SPIRQ_XIVE_SRC_SET_EISN;
	in[1] = DEVICE_IRQ;
	in[2] = vcpu0;
	in[3] = PRIORITY;
	in[4] = 0x42;
	hcall(m, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, in);
	mmio_load(m, 0, SPIRQ_REGION_ESB,
		  SPIRQ_XIVE_ESB_MGMT_PAGE(DEVICE_IRQ) +
			  SPIRQ_XIVE_ESB_SET_PQ_00, 8);

	ret = spirq_set_irq(m, DEVICE_IRQ, 1);		/* the device fires */
	if (ret < 0)
		fail("device interrupt", ret, NULL);
	ack = mmio_load(m, 0, SPIRQ_REGION_TIMA,
			SPIRQ_TM_OS_PAGE + SPIRQ_TM_SPC_ACK_OS_REG, 2);
	printf("acknowledged: NSR/CPPR 0x%04llx, queue entry 0x%02x%02x%02x%02x\n",
	       (unsigned long long)ack, ram[QUEUE_GPA], ram[QUEUE_GPA + 1],
	       ram[QUEUE_GPA + 2], ram[QUEUE_GPA + 3]);
	if (!(ack >> 8 & SPIRQ_TM_QW1_NSR_EO)) {
		fprintf(stderr, "embed: no interrupt was presented\n");
		return 1;
	}
	spirq_machine_destroy(m);
	return 0;
}
