// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: XIVE MMIO, the ESB pages and the TIMA.
 *
 * Input: configuration byte (among the configurations with XIVE), CAS
 * byte, then records, t % 8: an MMIO load or store (fz_do_mmio: any
 * offset, sizes 1/2/4/8 and invalid ones, any value, any vCPU), an hcall,
 * a structured XIVE configuration hcall (source routing, event queues in
 * guest RAM) or a device line, so that the routing paths (EAS, END,
 * queue writes, thread-context exceptions) are reached.  The
 * configuration byte's high bits are FZ_CONFIG_INFO_PIC; the machine comes
 * from the cache of machines, as new.
 */
#include "fuzz-common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned xive_configs[FZ_NR_CONFIGS];
static unsigned nr_xive_configs;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fz_host h;
	unsigned i;

	(void)argc;
	(void)argv;
	for (i = 0; i < FZ_NR_CONFIGS; i++) {
		fz_host_start(&h, &fz_configs[i]);
		if (h.cfg.cap_xive)
			xive_configs[nr_xive_configs++] = i;
		fz_host_stop(&h);
	}
	return 0;
}

static struct fz_host *run(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	uint8_t c = fz_u8(&in);
	unsigned config = xive_configs[(c & 0x0f) % nr_xive_configs];
	struct fz_host *h;

	h = fz_acquire_started(&in, &fz_configs[config]);
	while (fz_more(&in)) {
		switch (fz_u8(&in) % 8) {
		case FZ_MMIO_REC_HCALL:
			fz_do_hcall(&in, h);
			break;
		case FZ_MMIO_REC_SETUP:
			fz_do_xive_setup(&in, h);
			break;
		case FZ_MMIO_REC_IRQ:
			fz_do_irq(&in, h);
			break;
		default:
			fz_do_mmio(&in, h);
			break;
		}
	}
	if (FZ_WANTS_INFO_PIC(c))
		fz_info_pic(h);
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run(data, size, run);
}
