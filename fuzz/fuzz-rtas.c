// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: RTAS calls.
 *
 * Input: configuration byte (FZ_CONFIG_INFO_PIC), CAS byte, then
 * records: t < 0xd0 an RTAS call (fz_do_rtas: the four XICS tokens and
 * others, nargs and nret from 0 to FZ_RTAS_MAX_CELLS, argument cells in
 * buffers of exactly that size), t < 0xe8 a device line (fz_do_irq),
 * else an hcall, so that the sources ibm,set-xive routes are delivered
 * and accepted.  The machine comes from the cache of machines, as new.
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
		uint8_t t = fz_u8(&in);

		if (t < FZ_RTAS_REC_IRQ)
			fz_do_rtas(&in, h);
		else if (t < FZ_RTAS_REC_HCALL)
			fz_do_irq(&in, h);
		else
			fz_do_hcall(&in, h);
	}
	if (FZ_WANTS_INFO_PIC(c))
		fz_info_pic(h);
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run(data, size, run);
}
