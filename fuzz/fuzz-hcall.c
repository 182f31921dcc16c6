// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: hcalls.
 *
 * Input: configuration byte (fz_configs), CAS byte (fz_start_cas), then
 * hcall records (fz_do_hcall) until the input ends: any opcode, biased
 * towards the interrupt hcalls; any registers; any cpu_index, invalid
 * ones included.  The machine has the usual devices' sources claimed.
 */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	static struct fz_host h;

	fz_host_start(&h, &fz_configs[fz_u8(&in) % FZ_NR_CONFIGS]);
	fz_claim_defaults(&h);
	fz_start_cas(&in, &h);
	while (fz_more(&in))
		fz_do_hcall(&in, &h);
	fz_info_pic(&h);
	fz_host_stop(&h);
	return 0;
}
