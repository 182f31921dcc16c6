// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A minimal embedding of libspirq: a VMM's interrupt controller in a few
 * dozen lines.  Guest RAM is a plain buffer here; a real VMM passes its
 * own memory accessors and drives its vCPUs' interrupt inputs.
 *
 * build: cc embed.c $(pkg-config --cflags --libs libspirq)
 */
#include <stdio.h>
#include <string.h>

#include <spirq/spirq.h>

static unsigned char ram[256 << 20];

static int read_guest(void *opaque, uint64_t gpa, void *buf, size_t len)
{
	if (gpa > sizeof(ram) || len > sizeof(ram) - gpa)
		return -1;
	memcpy(buf, ram + gpa, len);
	return 0;
}

static int write_guest(void *opaque, uint64_t gpa, const void *buf,
		       size_t len)
{
	if (gpa > sizeof(ram) || len > sizeof(ram) - gpa)
		return -1;
	memcpy(ram + gpa, buf, len);
	return 0;
}

static void set_cpu_irq(void *opaque, unsigned cpu, int level)
{
	printf("vCPU %u external interrupt %s\n", cpu, level ? "raised" : "lowered");
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
	};
	uint64_t in[SPIRQ_HCALL_MAX_ARGS] = { 0 }, out[SPIRQ_HCALL_MAX_RETS];
	spirq_ic_mode mode;
	spirq_config cfg;
	spirq_machine *m;
	spirq_error err;
	uint64_t ack;

	if (spirq_config_from_args(6, args, &cfg, &err) < 0 ||
	    spirq_machine_create(&cfg, &ops, &m, &err) < 0 ||
	    spirq_irq_claim(m, 0x1100, false, &err) < 0 ||	/* a device */
	    spirq_cas(m, 0x40, &mode, &err) < 0) {
		fprintf(stderr, "spirq: %s\n", err.message);
		return 1;
	}

	/* what a Linux guest does: a 64 KiB queue for vCPU 0, priority 6 */
	in[0] = 0x1; in[1] = 0; in[2] = 6; in[3] = 0x100000; in[4] = 16;
	spirq_hcall(m, 0, SPIRQ_H_INT_SET_QUEUE_CONFIG, in, out, NULL);
	spirq_mmio_store(m, 0, SPIRQ_REGION_TIMA, 0x20011, 1, 0xff); /* CPPR */
	/* route the device's source to vCPU 0, EISN 0x42, and unmask it */
	in[0] = 0x2; in[1] = 0x1100; in[2] = 0; in[3] = 6; in[4] = 0x42;
	spirq_hcall(m, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, in, out, NULL);
	spirq_mmio_load(m, 0, SPIRQ_REGION_ESB,
			(0x1100ull << SPIRQ_XIVE_ESB_SHIFT) + 0x10c00, 8, &ack);

	spirq_set_irq(m, 0x1100, 1);			/* the device fires */
	spirq_mmio_load(m, 0, SPIRQ_REGION_TIMA, 0x20810, 2, &ack);
	printf("acknowledged: NSR/CPPR 0x%04llx, queue entry 0x%02x%02x%02x%02x\n",
	       (unsigned long long)ack, ram[0x100000], ram[0x100001],
	       ram[0x100002], ram[0x100003]);
	spirq_machine_destroy(m);
	return 0;
}
