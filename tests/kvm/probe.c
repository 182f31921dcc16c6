/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The first check-kvm test, without libspirq: what the L1 host's KVM
 * offers, and the whole chain L1 kernel -> L2 guest -> hcalls -> in-kernel
 * XICS device.  Expectations per host type (the reference's measured
 * facts, ../shared/reference/kvm-under-tcg.md):
 *   pseries L1 (nested HV): KVM's XICS emulation, no XIVE device;
 *   powernv L1 (bare-metal HV): XICS-on-XIVE, and the XIVE native device.
 * Prints one line per check, then "N passed, N failed".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "kvm/kvm-ppc-abi.h"
#include "vmm.h"

#define PROBE_SOURCE    0x1200u
#define PROBE_PRIORITY  5u
#define PROBE_TIMEOUT_MS 10000u
/* the stuck guest's run: long enough for a few timer ticks */
#define PROBE_STUCK_MS  1000u
/* after connecting: CPPR 0, no XISR, MFRR 0xff, pending priority 0xff */
#define ICP_AT_CONNECT  0x00000000ffff0000ULL
/* the emulation, CPPR 0xff, PROBE_SOURCE raised at PROBE_PRIORITY */
#define ICP_RAISED      0xff001200ff050000ULL
/* after the guest's H_EOI: CPPR 0xff, nothing pending */
#define ICP_AT_END      0xff000000ffff0000ULL

extern const unsigned char probe_guest_start[], probe_guest_end[];
extern const unsigned char probe_mmio_exit_start[], probe_mmio_exit_end[];
extern const unsigned char probe_trap_start[], probe_trap_end[];
extern const unsigned char probe_stuck_start[], probe_stuck_end[];
extern const unsigned char probe_ipi_start[], probe_ipi_end[];

struct probe {
    struct kvm_checks checks;
    enum vmm_host host;
    struct vmm *vm;
    int xics_fd;
    /* what the VMM_H_STEP hook saw */
    int raise_rc;
    uint64_t icp_raised;
    int icp_raised_rc;
    unsigned int steps;
};

static void probe_dev_kvm(struct probe *p)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

    kvm_check(&p->checks, fd >= 0, "/dev/kvm opens%s%s",
              fd < 0 ? ": " : "", fd < 0 ? strerror(errno) : "");
    if (fd >= 0)
        close(fd);
}

static void probe_cap(struct probe *p, const char *name, unsigned int cap,
                      long expected_min, long expected_max)
{
    long value = vmm_check_extension(p->vm, cap);

    kvm_check(&p->checks, value >= expected_min && value <= expected_max,
              "KVM_CHECK_EXTENSION(%s = %u) = %ld, expected %ld%s", name, cap,
              value, expected_min,
              expected_max > expected_min ? " or more" : "");
}

static void probe_caps(struct probe *p)
{
    int powernv = p->host == VMM_HOST_POWERNV;

    probe_cap(p, "KVM_CAP_PPC_PAPR", SPIRQ_KVM_CAP_PPC_PAPR, 1, 1);
    probe_cap(p, "KVM_CAP_IRQ_XICS", SPIRQ_KVM_CAP_IRQ_XICS, 1, 1);
    probe_cap(p, "KVM_CAP_PPC_IRQ_XIVE", SPIRQ_KVM_CAP_PPC_IRQ_XIVE,
              powernv, powernv);
    probe_cap(p, "KVM_CAP_DEVICE_CTRL", SPIRQ_KVM_CAP_DEVICE_CTRL, 1, 1);
    probe_cap(p, "KVM_CAP_PPC_SMT", SPIRQ_KVM_CAP_PPC_SMT, 1, 8);
    kvm_info("KVM_CAP_PPC_SMT_POSSIBLE = %ld, KVM_CAP_PPC_NESTED_HV = %ld, "
             "KVM_CAP_PPC_ENABLE_HCALL = %ld",
             vmm_check_extension(p->vm, SPIRQ_KVM_CAP_PPC_SMT_POSSIBLE),
             vmm_check_extension(p->vm, SPIRQ_KVM_CAP_PPC_NESTED_HV),
             vmm_check_extension(p->vm, SPIRQ_KVM_CAP_PPC_ENABLE_HCALL));
}

/* the XIVE native device, in a VM of its own (one irqchip per VM) */
static void probe_xive_device(struct probe *p)
{
    struct vmm *vm = vmm_create(0);
    int fd;

    if (!kvm_check(&p->checks, vm != NULL, "a second VM for the XIVE device"))
        return;
    fd = vmm_create_device(vm, SPIRQ_KVM_DEV_TYPE_XIVE);
    if (p->host == VMM_HOST_POWERNV)
        kvm_check(&p->checks, fd >= 0, "KVM_CREATE_DEVICE(XIVE) works: %s",
                  fd >= 0 ? "fd" : strerror(-fd));
    else
        kvm_check(&p->checks, fd == -ENODEV,
                  "KVM_CREATE_DEVICE(XIVE) fails with ENODEV: %s",
                  fd >= 0 ? "it worked" : strerror(-fd));
    if (fd >= 0)
        close(fd);
    vmm_destroy(vm);
}

static uint64_t probe_source_value(void)
{
    return (uint64_t)PROBE_PRIORITY << SPIRQ_KVM_XICS_PRIORITY_SHIFT |
           0u << SPIRQ_KVM_XICS_DESTINATION_SHIFT;
}

/* the XICS device, the source the guest will see, vCPU 0 connected */
static struct vmm_vcpu *probe_xics_setup(struct probe *p)
{
    struct vmm_vcpu *vcpu;
    uint64_t source = probe_source_value();
    uint64_t readback = 0;
    uint64_t icp = 0;
    int r;

    p->xics_fd = vmm_create_device(p->vm, SPIRQ_KVM_DEV_TYPE_XICS);
    if (!kvm_check(&p->checks, p->xics_fd >= 0, "KVM_CREATE_DEVICE(XICS) works%s%s",
                   p->xics_fd < 0 ? ": " : "",
                   p->xics_fd < 0 ? strerror(-p->xics_fd) : ""))
        return NULL;

    /* a fact that tells the two kernel implementations apart */
    r = vmm_device_has(p->xics_fd, SPIRQ_KVM_DEV_XICS_GRP_CTRL,
                       SPIRQ_KVM_DEV_XICS_NR_SERVERS);
    if (p->host == VMM_HOST_POWERNV)
        kvm_check(&p->checks, r == 0, "XICS-on-XIVE has CTRL/NR_SERVERS: %s",
                  r == 0 ? "yes" : strerror(-r));
    else
        kvm_check(&p->checks, r == -ENXIO,
                  "the XICS emulation has no CTRL/NR_SERVERS (ENXIO): %s",
                  r == 0 ? "it has" : strerror(-r));

    vcpu = vmm_vcpu_create(p->vm, 0);
    if (!kvm_check(&p->checks, vcpu != NULL, "vCPU 0 created, KVM_CAP_PPC_PAPR enabled"))
        return NULL;
    r = vmm_vcpu_enable_cap(vcpu, SPIRQ_KVM_CAP_IRQ_XICS, (uint64_t)p->xics_fd, 0);
    if (!kvm_check(&p->checks, r == 0, "vCPU 0 connected to XICS as server 0%s%s",
                   r ? ": " : "", r ? strerror(-r) : ""))
        return NULL;
    r = vmm_get_one_reg(vcpu, SPIRQ_KVM_REG_PPC_ICP_STATE, &icp);
    kvm_check(&p->checks, r == 0 && icp == ICP_AT_CONNECT,
              "KVM_REG_PPC_ICP_STATE after connecting = 0x%016llx (rc %d), expected 0x%016llx",
              (unsigned long long)icp, r, ICP_AT_CONNECT);

    r = vmm_device_set(p->xics_fd, SPIRQ_KVM_DEV_XICS_GRP_SOURCES, PROBE_SOURCE, &source);
    kvm_check(&p->checks, r == 0, "source 0x%x set: server 0, priority %u, MSI%s%s",
              PROBE_SOURCE, PROBE_PRIORITY, r ? ": " : "", r ? strerror(-r) : "");
    r = vmm_device_get(p->xics_fd, SPIRQ_KVM_DEV_XICS_GRP_SOURCES, PROBE_SOURCE, &readback);
    kvm_check(&p->checks, r == 0 && readback == source,
              "source 0x%x reads back 0x%llx (rc %d), expected 0x%llx", PROBE_SOURCE,
              (unsigned long long)readback, r, (unsigned long long)source);
    return vcpu;
}

/* VMM_H_STEP 1: the guest has CPPR 0xff; raise the source now */
static enum vmm_hook_result probe_hcall(void *opaque, struct vmm_vcpu *vcpu,
                                        struct kvm_run *run)
{
    struct probe *p = opaque;

    if (run->papr_hcall.nr != VMM_H_STEP)
        return VMM_HOOK_UNHANDLED;
    p->steps++;
    p->raise_rc = vmm_irq_line(p->vm, PROBE_SOURCE, SPIRQ_KVM_INTERRUPT_SET);
    p->icp_raised_rc = vmm_get_one_reg(vcpu, SPIRQ_KVM_REG_PPC_ICP_STATE,
                                       &p->icp_raised);
    run->papr_hcall.ret = H_SUCCESS;
    return VMM_HOOK_RESUME;
}

static void probe_guest_results(struct probe *p)
{
    const struct vmm *vm = p->vm;
    uint64_t xirr1 = vmm_ram_read64(vm, VMM_GUEST_DATA + 0x10);
    uint64_t xirr2 = vmm_ram_read64(vm, VMM_GUEST_DATA + 0x28);

    kvm_check(&p->checks, vmm_ram_read64(vm, VMM_GUEST_DATA + 0x00) == H_SUCCESS,
              "L2 H_CPPR(0xff) = H_SUCCESS");
    kvm_check(&p->checks, p->steps == 1 && p->raise_rc == 0,
              "KVM_IRQ_LINE(0x%x, KVM_INTERRUPT_SET) while L2 waits: rc %d",
              PROBE_SOURCE, p->raise_rc);
    if (p->host == VMM_HOST_PSERIES)
        kvm_check(&p->checks, p->icp_raised_rc == 0 && p->icp_raised == ICP_RAISED,
                  "the emulation presents it: ICP_STATE 0x%016llx, expected 0x%016llx",
                  (unsigned long long)p->icp_raised, ICP_RAISED);
    else
        kvm_info("XICS-on-XIVE ICP_STATE after the raise: 0x%016llx "
                 "(shows no pending XISR, by design)",
                 (unsigned long long)p->icp_raised);
    kvm_check(&p->checks,
              vmm_ram_read64(vm, VMM_GUEST_DATA + 0x08) == H_SUCCESS && xirr1 == 0xff001200,
              "L2 H_XIRR = 0x%llx, expected 0xff001200", (unsigned long long)xirr1);
    kvm_check(&p->checks, vmm_ram_read64(vm, VMM_GUEST_DATA + 0x18) == H_SUCCESS,
              "L2 H_EOI(0x%llx) = H_SUCCESS", (unsigned long long)xirr1);
    kvm_check(&p->checks,
              vmm_ram_read64(vm, VMM_GUEST_DATA + 0x20) == H_SUCCESS && xirr2 == 0xff000000,
              "L2 second H_XIRR = 0x%llx, expected 0xff000000 (nothing left)",
              (unsigned long long)xirr2);
}

static void probe_l2(struct probe *p, struct vmm_vcpu *vcpu)
{
    const struct vmm_hooks hooks = { .hcall = probe_hcall, .opaque = p };
    struct vmm_result result;
    uint64_t icp = 0;
    int r;

    if (vmm_load(p->vm, VMM_GUEST_LOAD, probe_guest_start, probe_guest_end) < 0 ||
        vmm_vcpu_reset(vcpu, VMM_GUEST_LOAD, 0) < 0) {
        kvm_check(&p->checks, false, "L2 guest loaded");
        return;
    }
    r = vmm_run(vcpu, &hooks, PROBE_TIMEOUT_MS, &result);
    if (!kvm_check(&p->checks, r == 0 && result.stop == VMM_STOP_EXIT &&
                   result.code == 0x600d,
                   "L2 guest ran to its end: %s, code 0x%llx",
                   vmm_stop_name(result.stop), (unsigned long long)result.code))
        return;
    /* H_CPPR, H_XIRR and H_EOI are the kernel's: only ours come out */
    kvm_check(&p->checks, result.hcall_exits == 2,
              "the XICS hcalls stayed in the kernel: %u hcalls reached the VMM, "
              "expected 2 (the step and the exit)", result.hcall_exits);
    probe_guest_results(p);
    r = vmm_get_one_reg(vcpu, SPIRQ_KVM_REG_PPC_ICP_STATE, &icp);
    kvm_check(&p->checks, r == 0 && icp == ICP_AT_END,
              "KVM_REG_PPC_ICP_STATE at the end = 0x%016llx, expected 0x%016llx",
              (unsigned long long)icp, ICP_AT_END);
}

/* run a guest on vCPU 0 again, from the start */
static int probe_rerun(struct probe *p, struct vmm_vcpu *vcpu,
                       const unsigned char *start, const unsigned char *end,
                       unsigned int timeout_ms, struct vmm_result *result)
{
    memset(result, 0, sizeof(*result));
    result->stop = VMM_STOP_ERROR;
    if (vmm_load(p->vm, VMM_GUEST_LOAD, start, end) < 0 ||
        vmm_vcpu_reset(vcpu, VMM_GUEST_LOAD, 0) < 0)
        return -1;
    return vmm_run(vcpu, NULL, timeout_ms, result);
}

/* the fallback exit and the trap stubs, which the other tests rely on */
static void probe_vmm_exits(struct probe *p, struct vmm_vcpu *vcpu)
{
    struct vmm_result result;

    probe_rerun(p, vcpu, probe_mmio_exit_start, probe_mmio_exit_end,
                PROBE_TIMEOUT_MS, &result);
    kvm_check(&p->checks, result.stop == VMM_STOP_EXIT && result.code == 0x77 &&
              result.mmio_exits == 1 && result.hcall_exits == 0,
              "an L2 store to VMM_MMIO_EXIT ends the run: %s, code 0x%llx, "
              "%u MMIO exit(s)", vmm_stop_name(result.stop),
              (unsigned long long)result.code, result.mmio_exits);
    probe_rerun(p, vcpu, probe_trap_start, probe_trap_end, PROBE_TIMEOUT_MS, &result);
    kvm_check(&p->checks, result.stop == VMM_STOP_TRAP && result.code == 0x700,
              "an L2 program interrupt is reported: %s at vector 0x%llx, expected 0x700",
              vmm_stop_name(result.stop), (unsigned long long)result.code);
    /* the timer must get a looping guest out of KVM_RUN */
    probe_rerun(p, vcpu, probe_stuck_start, probe_stuck_end, PROBE_STUCK_MS, &result);
    kvm_check(&p->checks, result.stop == VMM_STOP_TIMEOUT,
              "a looping L2 is stopped after %u ms: %s", PROBE_STUCK_MS,
              vmm_stop_name(result.stop));
}

/* vCPU 1 joins as server 1; vCPU 0 sends it an IPI, both running at once */
static void probe_ipi(struct probe *p, struct vmm_vcpu *vcpu0)
{
    struct vmm_vcpu *vcpus[2] = { vcpu0, vmm_vcpu_create(p->vm, 1) };
    struct vmm_result results[2];
    uint64_t xirr;
    int r;

    if (!kvm_check(&p->checks, vcpus[1] != NULL, "vCPU 1 created"))
        return;
    r = vmm_vcpu_enable_cap(vcpus[1], SPIRQ_KVM_CAP_IRQ_XICS, (uint64_t)p->xics_fd, 1);
    if (!kvm_check(&p->checks, r == 0, "vCPU 1 connected to XICS as server 1%s%s",
                   r ? ": " : "", r ? strerror(-r) : ""))
        return;
    if (vmm_load(p->vm, VMM_GUEST_LOAD, probe_ipi_start, probe_ipi_end) < 0 ||
        vmm_vcpu_reset(vcpus[0], VMM_GUEST_LOAD, 0) < 0 ||
        vmm_vcpu_reset(vcpus[1], VMM_GUEST_LOAD, 1) < 0) {
        kvm_check(&p->checks, false, "the IPI guest loaded on 2 vCPUs");
        return;
    }
    vmm_run_parallel(vcpus, 2, NULL, PROBE_TIMEOUT_MS, results);
    for (unsigned int i = 0; i < 2; i++)
        kvm_check(&p->checks, results[i].stop == VMM_STOP_EXIT &&
                  results[i].code == 0x10 + i && results[i].hcall_exits == 1,
                  "2 vCPUs at once: vCPU %u ran to its end: %s, code 0x%llx",
                  i, vmm_stop_name(results[i].stop),
                  (unsigned long long)results[i].code);
    kvm_check(&p->checks, vmm_ram_read64(p->vm, VMM_GUEST_DATA + 0x108) == H_SUCCESS,
              "vCPU 0: H_IPI(server 1, priority 5) = H_SUCCESS");
    xirr = vmm_ram_read64(p->vm, VMM_GUEST_DATA + 0x110);
    kvm_check(&p->checks, xirr == 0xff000002,
              "vCPU 1: H_XIRR = 0x%llx, expected 0xff000002 (the IPI), after %llu polls",
              (unsigned long long)xirr,
              100000ULL - vmm_ram_read64(p->vm, VMM_GUEST_DATA + 0x118));
    kvm_check(&p->checks, vmm_ram_read64(p->vm, VMM_GUEST_DATA + 0x120) == H_SUCCESS,
              "vCPU 1: H_EOI = H_SUCCESS");
}

int main(void)
{
    struct probe p = { .host = vmm_host_type(), .xics_fd = -1 };
    struct vmm_vcpu *vcpu;

    setvbuf(stdout, NULL, _IOLBF, 0);
    kvm_info("host: %s", vmm_host_name(p.host));
    kvm_check(&p.checks, p.host != VMM_HOST_UNKNOWN,
              "the L1 platform is pseries or powernv");
    probe_dev_kvm(&p);
    p.vm = vmm_create(0);
    if (!kvm_check(&p.checks, p.vm != NULL, "KVM_CREATE_VM(KVM_VM_PPC_HV) with 16 MiB of RAM"))
        return kvm_checks_end(&p.checks);
    probe_caps(&p);
    probe_xive_device(&p);
    vcpu = probe_xics_setup(&p);
    if (vcpu) {
        probe_l2(&p, vcpu);
        probe_vmm_exits(&p, vcpu);
        probe_ipi(&p, vcpu);
    }
    if (p.xics_fd >= 0)
        close(p.xics_fd);
    vmm_destroy(p.vm);
    return kvm_checks_end(&p.checks);
}
