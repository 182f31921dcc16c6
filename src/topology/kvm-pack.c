// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Linux KVM's vCPU-id packing (kvmppc_pack_vcpu_id, Linux >= 4.19), used to
 * predict, before a guest starts, the VP ids a POWER9+ KVM host will use and
 * whether any two vCPUs collide.
 *
 * Ids below N = KVM_MAX_VCPUS are kept.  An id in [N, 2N) can only exist
 * when every core of stride s is at most half full, so it folds into the
 * upper half of a core; [2N, 4N) folds into the quarter slots, [4N, 8N)
 * (s = 8 only) into the odd slots.  The offsets are a 3-bit bit-reversal:
 *
 *	block (id / N) * (8 / s):  0  1  2  3  4  5  6  7
 *	offset added:              0  4  2  6  1  5  3  7
 */
#include <stdlib.h>

#include <spirq/topology.h>

static const uint8_t block_offsets[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

static bool stride_is_valid(unsigned stride)
{
	return stride == 1 || stride == 2 || stride == 4 || stride == 8;
}

spirq_kvm_pack_status spirq_kvm_pack_vcpu_id(uint32_t id, unsigned stride,
					     unsigned kvm_max_vcpus,
					     uint32_t *packed)
{
	uint64_t n = kvm_max_vcpus;
	uint64_t block, blk, result;

	*packed = 0;
	if (!stride_is_valid(stride) || n == 0)
		return SPIRQ_KVM_PACK_BAD_STRIDE;

	/*
	 * blk >= 8 exactly when id >= N * stride: KVM refuses to create such
	 * a vCPU before packing, and the packer itself would warn "VCPU ID
	 * too large to pack" and answer 0.
	 */
	block = id / n;
	blk = block * (8 / stride);
	if (blk >= 8)
		return SPIRQ_KVM_PACK_ID_RANGE;
	result = id % n + block_offsets[blk];
	if (result >= n)
		return SPIRQ_KVM_PACK_FAILED;
	*packed = (uint32_t)result;
	return SPIRQ_KVM_PACK_OK;
}

static void note_problem(spirq_kvm_packing *r, unsigned cpu, int peer)
{
	if (r->first_problem < 0) {
		r->first_problem = (int)cpu;
		r->first_peer = peer;
	}
}

/*
 * owner[] maps a packed id to 1 + the first cpu_index that packed to it;
 * only N entries exist, whatever the vCPU-id bound.
 */
int spirq_kvm_check_packing(const spirq_config *cfg, spirq_kvm_packing *r)
{
	unsigned n = cfg->kvm_max_vcpus;
	uint32_t *owner;
	unsigned cpu;

	r->applicable = stride_is_valid(cfg->kvm_smt) && n > 0;
	r->nr_servers = cfg->vcpu_id_bound < n ? cfg->vcpu_id_bound : n;
	r->refused = r->warned = r->collisions = r->vp_overflow = 0;
	r->first_problem = r->first_peer = -1;
	if (!r->applicable)
		return 0;

	owner = calloc(n, sizeof(*owner));
	if (!owner)
		return -SPIRQ_ERR_NOMEM;

	for (cpu = 0; cpu < cfg->max_cpus; cpu++) {
		uint32_t id = spirq_vcpu_id(cfg, cpu), packed;

		switch (spirq_kvm_pack_vcpu_id(id, cfg->kvm_smt, n, &packed)) {
		case SPIRQ_KVM_PACK_ID_RANGE:
			r->refused++;
			note_problem(r, cpu, -1);
			continue;
		case SPIRQ_KVM_PACK_FAILED:
			r->warned++;
			note_problem(r, cpu, -1);
			break;
		default:
			break;
		}
		if (owner[packed]) {
			r->collisions++;
			note_problem(r, cpu, (int)owner[packed] - 1);
		} else {
			owner[packed] = cpu + 1;
		}
		if (packed >= r->nr_servers) {
			r->vp_overflow++;
			note_problem(r, cpu, -1);
		}
	}
	free(owner);
	return 0;
}
