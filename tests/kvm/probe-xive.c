/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The XIVE native device of the powernv L1, driven from the VMM side only
 * (no L2 code runs): the set-up sequence of the reference
 * (../shared/reference/kvm-under-tcg.md), the ESB pages mmap'd from the
 * device fd and mapped into the guest through a memslot, one trigger, and
 * the event in the guest's queue.  It shows that the L1 gives a VMM what
 * the XIVE tests need.  On the pseries L1 (no in-kernel XIVE) it checks
 * that the capability is absent and stops.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "kvm/kvm-ppc-abi.h"
#include "vmm.h"

#define XIVE_SOURCE     0x1200u
#define XIVE_PRIORITY   6u
#define XIVE_QUEUE_GPA  0x100000u   /* 64 KiB, aligned to its size */
#define XIVE_QSHIFT     16u
#define XIVE_ESB_GPA    0x2000000u  /* the source's two ESB pages, in the guest */
/* ESB management loads (offsets in the second page) */
#define ESB_SET_PQ_00   0xc00u
#define ESB_GET         0x800u
/* source config: priority 6, server 0, EISN 0x1200 (the reference's value) */
#define XIVE_SOURCE_CONFIG 0x240000000006ULL

struct xive_probe {
    struct kvm_checks checks;
    struct vmm *vm;
    int xive_fd;
    struct vmm_vcpu *vcpu;
    size_t page_size;
    uint8_t *esb;           /* the mapping from the ESB page offset */
    size_t esb_size;
};

static bool xive_ok(struct xive_probe *x, int r, const char *what)
{
    return kvm_check(&x->checks, r == 0, "%s%s%s", what, r ? ": " : "",
                     r ? strerror(-r) : "");
}

static uint64_t xive_eq_id(void)
{
    return 0u << SPIRQ_KVM_XIVE_EQ_SERVER_SHIFT |
           XIVE_PRIORITY << SPIRQ_KVM_XIVE_EQ_PRIORITY_SHIFT;
}

/* NR_SERVERS, vCPU 0 connected, the source, its EQ and its routing */
static bool xive_setup(struct xive_probe *x)
{
    uint32_t nr_servers = 1;
    uint64_t source = 0;     /* MSI */
    uint64_t config = XIVE_SOURCE_CONFIG;
    struct spirq_kvm_ppc_xive_eq eq = {
        .flags = SPIRQ_KVM_XIVE_EQ_ALWAYS_NOTIFY,
        .qshift = XIVE_QSHIFT,
        .qaddr = XIVE_QUEUE_GPA,
        /* the generation bit the hardware writes first, as QEMU sets it for
           a fresh queue (the guest's toggle starts at 0).  With 0 here the
           first entry reads 0x00001200: measured. */
        .qtoggle = 1,
    };
    struct vmm_vcpu *vcpu;

    x->xive_fd = vmm_create_device(x->vm, SPIRQ_KVM_DEV_TYPE_XIVE);
    if (!kvm_check(&x->checks, x->xive_fd >= 0, "KVM_CREATE_DEVICE(XIVE)%s%s",
                   x->xive_fd < 0 ? ": " : "",
                   x->xive_fd < 0 ? strerror(-x->xive_fd) : ""))
        return false;
    if (!xive_ok(x, vmm_device_set(x->xive_fd, SPIRQ_KVM_DEV_XIVE_GRP_CTRL,
                                   SPIRQ_KVM_DEV_XIVE_NR_SERVERS, &nr_servers),
                 "CTRL/NR_SERVERS = 1"))
        return false;
    vcpu = vmm_vcpu_create(x->vm, 0);
    if (!kvm_check(&x->checks, vcpu != NULL, "vCPU 0 created, KVM_CAP_PPC_PAPR enabled"))
        return false;
    if (!xive_ok(x, vmm_vcpu_enable_cap(vcpu, SPIRQ_KVM_CAP_PPC_IRQ_XIVE,
                                        (uint64_t)x->xive_fd, 0),
                 "vCPU 0 connected to XIVE as server 0"))
        return false;
    x->vcpu = vcpu;
    if (!xive_ok(x, vmm_device_set(x->xive_fd, SPIRQ_KVM_DEV_XIVE_GRP_SOURCE,
                                   XIVE_SOURCE, &source),
                 "GRP_SOURCE 0x1200 (MSI)"))
        return false;
    if (!xive_ok(x, vmm_device_set(x->xive_fd, SPIRQ_KVM_DEV_XIVE_GRP_EQ_CONFIG,
                                   xive_eq_id(), &eq),
                 "GRP_EQ_CONFIG server 0 priority 6: 64 KiB queue at 0x100000"))
        return false;
    return xive_ok(x, vmm_device_set(x->xive_fd, SPIRQ_KVM_DEV_XIVE_GRP_SOURCE_CONFIG,
                                     XIVE_SOURCE, &config),
                   "GRP_SOURCE_CONFIG 0x1200 = 0x240000000006 (priority 6, server 0, EISN 0x1200)");
}

/* the ESB pages from the device fd, up to and including the source's two */
static bool xive_map_esb(struct xive_probe *x)
{
    void *esb;

    x->esb_size = (XIVE_SOURCE + 1) * 2 * x->page_size;
    esb = mmap(NULL, x->esb_size, PROT_READ | PROT_WRITE, MAP_SHARED, x->xive_fd,
               (off_t)(SPIRQ_KVM_XIVE_ESB_PAGE_OFFSET * x->page_size));
    if (!kvm_check(&x->checks, esb != MAP_FAILED, "mmap of the ESB pages%s%s",
                   esb == MAP_FAILED ? ": " : "",
                   esb == MAP_FAILED ? strerror(errno) : ""))
        return false;
    x->esb = esb;
    /* what an L2 test does to reach them: a memslot over the mapping */
    return kvm_check(&x->checks,
                     vmm_add_memslot(x->vm, XIVE_ESB_GPA, x->esb + XIVE_SOURCE * 2 * x->page_size,
                                     2 * x->page_size) > 0,
                     "the source's ESB pages mapped into the guest at 0x%x",
                     XIVE_ESB_GPA);
}

/* an ESB management load: the old PQ in the low bits (big-endian) */
static uint64_t xive_esb_load(struct xive_probe *x, uint32_t offset)
{
    const volatile uint64_t *mgmt = (const volatile uint64_t *)
        (x->esb + (XIVE_SOURCE * 2 + 1) * x->page_size + offset);

    return be64toh(*mgmt);
}

static void xive_trigger(struct xive_probe *x)
{
    volatile uint64_t *trigger = (volatile uint64_t *)
        (x->esb + XIVE_SOURCE * 2 * x->page_size);

    *trigger = 0;
    __sync_synchronize();
}

static void xive_event(struct xive_probe *x)
{
    const struct vmm *vm = x->vm;
    struct spirq_kvm_ppc_xive_eq eq;
    uint32_t entry = 0;
    uint64_t pq = xive_esb_load(x, ESB_SET_PQ_00);
    int r;

    uint64_t vp_state[2] = { 0, 0 };

    r = vmm_get_one_reg(x->vcpu, SPIRQ_KVM_REG_PPC_VP_STATE, vp_state);
    kvm_check(&x->checks, r == 0 && vp_state[0] == 0x000000ff00000000ULL,
              "KVM_REG_PPC_VP_STATE word 0 = 0x%016llx, expected 0x000000ff00000000 (ACK# 0xff)",
              (unsigned long long)vp_state[0]);
    kvm_check(&x->checks, (pq & 3) == 1,
              "after GRP_SOURCE the PQ bits are 01 (the ESB load at SET_PQ_00 returns %llu)",
              (unsigned long long)(pq & 3));
    xive_trigger(x);
    /* the event is written by the (emulated) XIVE: give it a moment */
    for (int tries = 0; tries < 1000 && !entry; tries++) {
        entry = be32toh(vmm_ram_read32(vm, XIVE_QUEUE_GPA));
        if (!entry)
            usleep(1000);
    }
    kvm_check(&x->checks, entry == (0x80000000u | XIVE_SOURCE),
              "a trigger writes 0x%08x into the queue, expected 0x%08x",
              entry, 0x80000000u | XIVE_SOURCE);
    pq = xive_esb_load(x, ESB_GET);
    kvm_check(&x->checks, (pq & 3) == 2,
              "the source's PQ after the event: %llu, expected 2 (P set)",
              (unsigned long long)(pq & 3));
    memset(&eq, 0, sizeof(eq));
    r = vmm_device_get(x->xive_fd, SPIRQ_KVM_DEV_XIVE_GRP_EQ_CONFIG, xive_eq_id(), &eq);
    kvm_check(&x->checks, r == 0 && eq.qindex == 1 && eq.qtoggle == 1 &&
              eq.qaddr == XIVE_QUEUE_GPA,
              "GET_ATTR GRP_EQ_CONFIG: qindex %u (expected 1), toggle %u (1), qaddr 0x%llx",
              eq.qindex, eq.qtoggle, (unsigned long long)eq.qaddr);
}

int main(void)
{
    struct xive_probe x = { .xive_fd = -1, .page_size = (size_t)sysconf(_SC_PAGESIZE) };
    enum vmm_host host = vmm_host_type();

    setvbuf(stdout, NULL, _IOLBF, 0);
    kvm_info("host: %s, page size %zu", vmm_host_name(host), x.page_size);
    x.vm = vmm_create(0);
    if (!kvm_check(&x.checks, x.vm != NULL, "KVM_CREATE_VM(KVM_VM_PPC_HV)"))
        return kvm_checks_end(&x.checks);
    if (host != VMM_HOST_POWERNV) {
        kvm_check(&x.checks, vmm_check_extension(x.vm, SPIRQ_KVM_CAP_PPC_IRQ_XIVE) == 0,
                  "no in-kernel XIVE on this host: nothing more to check");
    } else if (xive_setup(&x) && xive_map_esb(&x)) {
        xive_event(&x);
    }
    if (x.esb)
        munmap(x.esb, x.esb_size);
    if (x.xive_fd >= 0)
        close(x.xive_fd);
    vmm_destroy(x.vm);
    return kvm_checks_end(&x.checks);
}
