// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: hcalls.
 *
 * Input: configuration byte (fz_configs; FZ_CONFIG_INFO_PIC), CAS byte
 * (fz_start_cas), then records until the input ends: hcalls
 * (fz_do_hcall: any opcode, biased towards the interrupt hcalls; any
 * registers; any cpu_index, invalid ones included) and device lines
 * (FZ_HCALL_REC_IRQ), so that sources are presented to the vCPUs the
 * hcalls then accept and EOI.  The machine has the usual devices'
 * sources claimed; it comes from the cache of machines, as new.
 */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fz_host *run(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	uint8_t c = fz_u8(&in);
	const struct fz_config *config = &fz_configs[c % FZ_NR_CONFIGS];
	struct fz_host *h = fz_acquire_started(&in, config);

	while (fz_more(&in)) {
		uint8_t sel = fz_u8(&in);

		if (sel >= FZ_HCALL_REC_IRQ && sel < FZ_HCALL_SMALL)
			fz_do_irq(&in, h);
		else
			fz_do_hcall_sel(&in, h, sel);
	}
	if (FZ_WANTS_INFO_PIC(c))
		fz_info_pic(h);
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run(data, size, run);
}
