/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirq - vCPU numbering: indexes, ids (server numbers), XIVE identifiers
 * and Linux KVM's vCPU-id packing
 *
 * Three numbers name a vCPU and must never be mixed up (seed 000):
 *
 *   cpu_index   dense, 0 .. max_cpus-1, in creation order (QEMU's
 *               cpu_index; hot-plugged vCPUs continue the numbering).
 *               spirq sizes and indexes its per-vCPU tables with it.
 *
 *   vCPU id     the server number: the guest ABI (XICS server, XIVE
 *               "target", device-tree "reg", KVM vcpu id).
 *               id = (cpu_index / threads) * vsmt + cpu_index % threads
 *               Ids are sparse when vsmt > threads; their exclusive upper
 *               bound is DIV_ROUND_UP(max_cpus * vsmt, threads).
 *
 *   KVM VP id   what a POWER9+ KVM host derives from the vCPU id by
 *               "packing" it below KVM_MAX_VCPUS (Linux
 *               kvmppc_pack_vcpu_id, merged in v4.19).
 *
 *      cpu_index:  0   1   2   3          threads=1, vsmt=8
 *      vCPU id:    0   8  16  24
 *      KVM VP id:  0   8  16  24          (ids < KVM_MAX_VCPUS: identity)
 *
 * All functions are pure: no allocation, no global state.
 */
#ifndef SPIRQ_TOPOLOGY_H
#define SPIRQ_TOPOLOGY_H

#include <stdbool.h>
#include <stdint.h>

#include <spirq/config.h>

#include <spirq/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/** First XIVE NVT index of the sPAPR model: NVT = 0x400 + vCPU id. */
#define SPIRQ_XIVE_NVT_BASE 0x400u

/** Priorities per XIVE END group (per vCPU). */
#define SPIRQ_XIVE_PRIORITIES 8u

/**
 * spirq_vcpu_id - vCPU id (server number) of a vCPU
 * @cfg:       configuration
 * @cpu_index: dense index, < cfg->max_cpus
 *
 * returns:
 *	(cpu_index / threads) * vsmt + cpu_index % threads
 */
SPIRQ_API uint32_t spirq_vcpu_id(const spirq_config *cfg, unsigned cpu_index);

/**
 * spirq_vcpu_index - dense index of the vCPU that has a given id
 * @cfg:     configuration
 * @vcpu_id: a server number, as a guest passes it
 *
 * Computed arithmetically (O(1)): no table indexed by id exists.
 *
 * returns:
 *	the cpu_index (>= 0) of the vCPU that would have this id
 *	-SPIRQ_ERR_NOTFOUND if no possible vCPU (cpu_index < max_cpus) has it
 */
SPIRQ_API int spirq_vcpu_index(const spirq_config *cfg, uint64_t vcpu_id);

/**
 * spirq_vcpu_is_thread0 - does the vCPU start a virtual core?
 * @cfg:       configuration
 * @cpu_index: dense index
 *
 * Only those vCPUs get a device-tree cpu node (vcpu_id % vsmt == 0).
 */
SPIRQ_API bool spirq_vcpu_is_thread0(const spirq_config *cfg, unsigned cpu_index);

/** XIVE NVT index of a vCPU id (block 0): 0x400 + vcpu_id. */
static inline uint32_t spirq_xive_nvt_index(uint32_t vcpu_id)
{
	return SPIRQ_XIVE_NVT_BASE + vcpu_id;
}

/**
 * spirq_xive_end_slot - END-table slot (vCPU part of an END index)
 * @cfg:       configuration
 * @cpu_index: dense index
 *
 * END index = slot * 8 + priority.  With the seed-000 sizing
 * (cfg->xive_by_max_cpus) the slot is the dense index, so the table holds
 * max_cpus * 8 entries; older machine types keep QEMU's vCPU-id slot.
 */
SPIRQ_API uint32_t spirq_xive_end_slot(const spirq_config *cfg, unsigned cpu_index);

/** Result of packing one vCPU id. */
typedef enum spirq_kvm_pack_status {
	SPIRQ_KVM_PACK_OK = 0,		/* packed id valid */
	SPIRQ_KVM_PACK_ID_RANGE = 1,	/* id >= KVM_MAX_VCPUS * stride: KVM
					 * refuses to create the vCPU (the
					 * packer would warn "VCPU ID too
					 * large to pack" and answer 0) */
	SPIRQ_KVM_PACK_FAILED = 2,	/* "VCPU ID packing failed": 0 */
	SPIRQ_KVM_PACK_BAD_STRIDE = 3,	/* stride not 1, 2, 4 or 8 */
} spirq_kvm_pack_status;

/**
 * spirq_kvm_pack_vcpu_id - Linux's kvmppc_pack_vcpu_id(), as merged
 * @id:            vCPU id
 * @stride:        KVM's emulated SMT mode (QEMU sets it to vsmt): 1,2,4,8
 * @kvm_max_vcpus: KVM_MAX_VCPUS of the host kernel (N, e.g. 2048)
 * @packed:        receives the packed id (0 when the kernel would warn)
 *
 * block = id / N; with blk = block * (8 / stride):
 *	blk >= 8     -> (id >= N * stride) KVM refuses the vCPU; result 0
 *	packed = id % N + block_offsets[blk], offsets {0,4,2,6,1,5,3,7}
 *	packed >= N  -> warning "VCPU ID packing failed", result 0
 *
 * returns:
 *	a spirq_kvm_pack_status
 */
SPIRQ_API spirq_kvm_pack_status spirq_kvm_pack_vcpu_id(uint32_t id, unsigned stride,
					     unsigned kvm_max_vcpus,
					     uint32_t *packed);

/**
 * struct spirq_kvm_packing - prediction for a whole configuration
 * @applicable:    false when vsmt is not a valid KVM SMT mode (1,2,4,8)
 * @nr_servers:    what KVM's XIVE/XICS-on-XIVE device is told
 *                 (KVM_DEV_*_NR_SERVERS = vCPU-id bound), after KVM's
 *                 clamp to KVM_MAX_VCPUS
 * @refused:       vCPUs KVM cannot create (id >= N * stride)
 * @warned:        vCPUs whose packing fails ("VCPU ID packing failed",
 *                 result 0; unreachable with QEMU's id layout)
 * @collisions:    vCPUs whose packed id equals an earlier vCPU's
 * @vp_overflow:   vCPUs whose packed id is >= nr_servers (the XIVE VP
 *                 check "packed(server) < nr_servers" fails)
 * @first_problem: cpu_index of the first vCPU in any of the four groups,
 *                 or -1
 * @first_peer:    for a collision, the cpu_index it collides with, or -1
 */
typedef struct spirq_kvm_packing {
	bool applicable;
	unsigned nr_servers;
	unsigned refused;
	unsigned warned;
	unsigned collisions;
	unsigned vp_overflow;
	int first_problem;
	int first_peer;
} spirq_kvm_packing;

/**
 * spirq_kvm_check_packing - predict KVM's packing for every possible vCPU
 * @cfg:    configuration (stride = cfg->kvm_smt, KVM's SMT mode, N = cfg->kvm_max_vcpus)
 * @result: receives the counts
 *
 * Costs O(max_cpus) time and a temporary bitmap of N bits.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_NOMEM if the collision bitmap cannot be allocated
 */
SPIRQ_API int spirq_kvm_check_packing(const spirq_config *cfg,
			    spirq_kvm_packing *result);

#ifdef __cplusplus
}
#endif

#endif /* SPIRQ_TOPOLOGY_H */
