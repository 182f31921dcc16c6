/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal KVM VMM for the tests of make check-kvm: it runs inside the L1
 * Linux (a KVM host under QEMU TCG, POWER only) and runs tiny hand-written
 * L2 guests in real mode, little-endian, one flat binary each.
 *
 * What it does: open /dev/kvm, create a book3s HV VM with one RAM memslot
 * at guest physical 0, create vCPUs (KVM_CAP_PPC_PAPR enabled first, as
 * QEMU does: HV refuses KVM_CAP_IRQ_XICS and KVM_RUN without it), load a
 * guest, and run a vCPU until the guest exits.
 *
 * What it leaves to the caller: the interrupt controller.  The VM fd and
 * every vCPU fd are exposed, so that a test (or libspirq's in-kernel
 * backend) creates the KVM device and connects the vCPUs itself, and the
 * hcalls and MMIO accesses that reach userspace go to the caller's hooks.
 *
 * Guest conventions (tests/kvm/guest.h for the assembly side):
 *  - the guest runs with MSR = SF | ME | RI | LE, translation off, external
 *    interrupts off; LPCR[ILE] is set so that an unexpected interrupt
 *    lands, little-endian, in a stub of the vector area that reports it;
 *  - it ends with the hcall VMM_H_EXIT (r4 = code), or, should that
 *    return, a 4-byte store of the code to VMM_MMIO_EXIT;
 *  - it stores its results in RAM, where the test reads them
 *    (vmm_ram_read64);
 *  - every vmm_run is bounded by a timer: a stuck guest makes the run fail
 *    with VMM_STOP_TIMEOUT, not hang.
 */
#ifndef SPIRQ_TESTS_KVM_VMM_H
#define SPIRQ_TESTS_KVM_VMM_H

#include <stddef.h>
#include <stdint.h>

#include <linux/kvm.h>

#include "guest.h"

/* guest RAM: one memslot at guest physical 0 */
#define VMM_RAM_SIZE_DEFAULT  (16u << 20)

/* ---- host type, from /proc/cpuinfo ---------------------------------- */
enum vmm_host {
    VMM_HOST_UNKNOWN,
    VMM_HOST_PSERIES,   /* nested HV: KVM's XICS emulation, no XIVE */
    VMM_HOST_POWERNV,   /* bare-metal HV: XICS-on-XIVE and XIVE native */
};
enum vmm_host vmm_host_type(void);
const char *vmm_host_name(enum vmm_host host);

/* ---- VM -------------------------------------------------------------- */
struct vmm;
struct vmm_vcpu;

/*
 * vmm_create: open /dev/kvm, create an HV VM and its RAM (ram_size bytes,
 * 0 for VMM_RAM_SIZE_DEFAULT).  Returns NULL with a message on stderr.
 */
struct vmm *vmm_create(size_t ram_size);
/* closes every vCPU, the VM and /dev/kvm; NULL is fine */
void vmm_destroy(struct vmm *vm);

int vmm_kvm_fd(const struct vmm *vm);
int vmm_vm_fd(const struct vmm *vm);

/* KVM_CHECK_EXTENSION on the VM fd (the HV answer); < 0: -errno */
long vmm_check_extension(const struct vmm *vm, unsigned int cap);

/* guest RAM: copy a guest into it, read and write results */
int vmm_load(struct vmm *vm, uint64_t gpa, const void *start, const void *end);
uint64_t vmm_ram_read64(const struct vmm *vm, uint64_t gpa);
uint32_t vmm_ram_read32(const struct vmm *vm, uint64_t gpa);
void vmm_ram_write64(struct vmm *vm, uint64_t gpa, uint64_t value);
void *vmm_ram(struct vmm *vm, uint64_t gpa, size_t size);

/*
 * vmm_add_memslot: one more memslot, size bytes of the caller's mapping at
 * host (page-aligned, e.g. a device fd's ESB or TIMA pages) at guest
 * physical gpa.  Returns the slot number, or -errno.
 */
int vmm_add_memslot(struct vmm *vm, uint64_t gpa, void *host, size_t size);
/* vmm_del_memslot: a slot of vmm_add_memslot() taken away; 0 or -errno */
int vmm_del_memslot(struct vmm *vm, unsigned int slot);

/* ---- KVM devices (for tests that drive one directly) ------------------- */
/* KVM_CREATE_DEVICE: the device fd, or -errno */
int vmm_create_device(struct vmm *vm, uint32_t type);
/* KVM_SET_DEVICE_ATTR, KVM_GET_DEVICE_ATTR, KVM_HAS_DEVICE_ATTR on a
   device fd, value pointing to the attribute's data; 0 or -errno */
int vmm_device_set(int device_fd, uint32_t group, uint64_t attr, const void *value);
int vmm_device_get(int device_fd, uint32_t group, uint64_t attr, void *value);
int vmm_device_has(int device_fd, uint32_t group, uint64_t attr);
/* KVM_IRQ_LINE on the VM: irq number and level; 0 or -errno */
int vmm_irq_line(struct vmm *vm, uint32_t irq, uint32_t level);

/* ---- vCPUs ------------------------------------------------------------ */
/*
 * vmm_vcpu_create: KVM_CREATE_VCPU with this id (the vCPU id: the XICS
 * server number of a guest with one thread per core), KVM_CAP_PPC_PAPR
 * enabled, LPCR[ILE] set.  NULL on error (message on stderr).
 */
struct vmm_vcpu *vmm_vcpu_create(struct vmm *vm, unsigned int id);
int vmm_vcpu_fd(const struct vmm_vcpu *vcpu);
unsigned int vmm_vcpu_id(const struct vmm_vcpu *vcpu);
struct vmm *vmm_vcpu_vm(const struct vmm_vcpu *vcpu);
struct kvm_run *vmm_vcpu_run_area(const struct vmm_vcpu *vcpu);

/* set PC = entry, the MSR above, r1 = stack, r3 = arg; 0 or -errno */
int vmm_vcpu_reset(struct vmm_vcpu *vcpu, uint64_t entry, uint64_t arg);
/* KVM_GET_ONE_REG / KVM_SET_ONE_REG of a u64 register; 0 or -errno.  For
   a u128 id (KVM_REG_PPC_VP_STATE) get needs value[2]. */
int vmm_get_one_reg(const struct vmm_vcpu *vcpu, uint64_t id, uint64_t *value);
int vmm_set_one_reg(const struct vmm_vcpu *vcpu, uint64_t id, uint64_t value);
/* KVM_ENABLE_CAP on the vCPU fd; 0 or -errno */
int vmm_vcpu_enable_cap(const struct vmm_vcpu *vcpu, unsigned int cap,
                        uint64_t arg0, uint64_t arg1);

/* ---- running ---------------------------------------------------------- */
enum vmm_hook_result {
    VMM_HOOK_RESUME,      /* handled: run the guest on */
    VMM_HOOK_STOP,        /* handled: end vmm_run with VMM_STOP_HOOK */
    VMM_HOOK_UNHANDLED,   /* not mine: the VMM answers (H_FUNCTION, or a
                             failed run for an MMIO access) */
};

/*
 * The caller's share of the exits.  hcall sees every KVM_EXIT_PAPR_HCALL
 * except VMM_H_EXIT (run->papr_hcall: nr, args[]; it sets ret, which KVM
 * puts in the guest's r3).  mmio sees every KVM_EXIT_MMIO outside
 * VMM_MMIO_BASE's page (run->mmio; for a load it fills data).  Either may
 * be NULL.
 */
struct vmm_hooks {
    enum vmm_hook_result (*hcall)(void *opaque, struct vmm_vcpu *vcpu,
                                  struct kvm_run *run);
    enum vmm_hook_result (*mmio)(void *opaque, struct vmm_vcpu *vcpu,
                                 struct kvm_run *run);
    void *opaque;
};

enum vmm_stop {
    VMM_STOP_EXIT,        /* VMM_H_EXIT or the MMIO exit: code is set */
    VMM_STOP_HOOK,        /* a hook said VMM_HOOK_STOP */
    VMM_STOP_TRAP,        /* unexpected interrupt: code is the vector */
    VMM_STOP_TIMEOUT,     /* the guest ran past the timeout */
    VMM_STOP_ERROR,       /* KVM_RUN failed or an exit nobody handles */
};

struct vmm_result {
    enum vmm_stop stop;
    uint64_t code;
    unsigned int hcall_exits;   /* hcalls that reached userspace */
    unsigned int mmio_exits;
};

/*
 * vmm_run: KVM_RUN until the guest stops, at most timeout_ms.  Safe to
 * call from one thread per vCPU (the timer signals the calling thread
 * only).  Returns 0 when the guest exited (VMM_STOP_EXIT or
 * VMM_STOP_HOOK), -1 otherwise, with the reason in *result and a line on
 * stderr.
 */
int vmm_run(struct vmm_vcpu *vcpu, const struct vmm_hooks *hooks,
            unsigned int timeout_ms, struct vmm_result *result);
const char *vmm_stop_name(enum vmm_stop stop);

/*
 * vmm_run_parallel: vmm_run on each of the n vCPUs at once, one thread
 * each, results[i] for vcpus[i].  The hooks are then called from several
 * threads: they must lock what they share.  Returns 0 when every run
 * returned 0, -1 otherwise (or when a thread could not start).
 */
int vmm_run_parallel(struct vmm_vcpu *const vcpus[], unsigned int n,
                     const struct vmm_hooks *hooks, unsigned int timeout_ms,
                     struct vmm_result results[]);

#endif /* SPIRQ_TESTS_KVM_VMM_H */
