/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The test VMM of make check-kvm (see vmm.h): a book3s HV VM, its RAM, its
 * vCPUs, and the KVM_RUN loop.  POWER only; runs inside the L1 Linux.
 */
#define _GNU_SOURCE
#include "vmm.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kvm/kvm-ppc-abi.h"

#define VMM_MAX_VCPUS 8

/* MSR of a guest at entry: 64-bit, machine checks on, recoverable,
   little-endian; translation and external interrupts off */
#define MSR_SF (1ULL << 63)
#define MSR_ME (1ULL << 12)
#define MSR_RI (1ULL << 1)
#define MSR_LE (1ULL << 0)
/* interrupts taken little-endian */
#define LPCR_ILE (1ULL << 25)

#define H_FUNCTION ((uint64_t)-2)

/* how often a running vCPU's thread is interrupted to check its deadline */
#define VMM_TICK_MS 100

struct vmm_vcpu {
    struct vmm *vm;
    unsigned int id;
    int fd;
    struct kvm_run *run;
    size_t run_size;
};

struct vmm {
    int kvm_fd;
    int vm_fd;
    uint8_t *ram;
    size_t ram_size;
    struct vmm_vcpu *vcpus[VMM_MAX_VCPUS];
    unsigned int nr_vcpus;
    unsigned int nr_memslots;
};

/* ---- host type ---------------------------------------------------------- */

enum vmm_host vmm_host_type(void)
{
    FILE *cpuinfo = fopen("/proc/cpuinfo", "r");
    char line[256];
    enum vmm_host host = VMM_HOST_UNKNOWN;

    if (!cpuinfo)
        return host;
    while (fgets(line, sizeof(line), cpuinfo)) {
        if (strncmp(line, "platform", 8) != 0)
            continue;
        if (strstr(line, "pSeries"))
            host = VMM_HOST_PSERIES;
        else if (strstr(line, "PowerNV"))
            host = VMM_HOST_POWERNV;
        break;
    }
    fclose(cpuinfo);
    return host;
}

const char *vmm_host_name(enum vmm_host host)
{
    switch (host) {
    case VMM_HOST_PSERIES:
        return "pseries (nested HV)";
    case VMM_HOST_POWERNV:
        return "powernv (bare-metal HV)";
    default:
        return "unknown";
    }
}

/* ---- VM ----------------------------------------------------------------- */

/*
 * Every 0x20 bytes of the vector area, a stub that reports its own
 * address: li r30,ADDR; std r30,VMM_MAILBOX_TRAP(0); lis r31,MMIO@h;
 * stw r30,4(r31); b .   An unexpected interrupt then ends the run as
 * VMM_STOP_TRAP instead of running wild.
 */
static void vmm_write_trap_stubs(struct vmm *vm)
{
    for (uint32_t addr = 0; addr < VMM_GUEST_DATA; addr += 0x20) {
        uint32_t stub[5] = {
            (14u << 26) | (30u << 21) | addr,                         /* li */
            (62u << 26) | (30u << 21) | VMM_MAILBOX_TRAP,             /* std */
            (15u << 26) | (31u << 21) | (VMM_MMIO_BASE >> 16),        /* lis */
            (36u << 26) | (30u << 21) | (31u << 16) | 4,              /* stw */
            0x48000000u,                                              /* b . */
        };
        memcpy(vm->ram + addr, stub, sizeof(stub));
    }
}

static int vmm_set_memslot(struct vmm *vm, unsigned int slot, uint64_t gpa,
                           void *host, size_t size)
{
    struct kvm_userspace_memory_region region;

    memset(&region, 0, sizeof(region));
    region.slot = slot;
    region.guest_phys_addr = gpa;
    region.memory_size = size;
    region.userspace_addr = (uintptr_t)host;
    return ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0 ? -errno : 0;
}

int vmm_add_memslot(struct vmm *vm, uint64_t gpa, void *host, size_t size)
{
    int r = vmm_set_memslot(vm, vm->nr_memslots, gpa, host, size);

    if (r < 0) {
        fprintf(stderr, "vmm: memslot %u at 0x%llx (0x%zx bytes): %s\n",
                vm->nr_memslots, (unsigned long long)gpa, size, strerror(-r));
        return r;
    }
    return (int)vm->nr_memslots++;
}

int vmm_del_memslot(struct vmm *vm, unsigned int slot)
{
    /* a slot of size 0 is a deleted one; its number is not reused */
    int r = vmm_set_memslot(vm, slot, 0, NULL, 0);

    if (r < 0)
        fprintf(stderr, "vmm: deleting memslot %u: %s\n", slot, strerror(-r));
    return r;
}

static int vmm_create_ram(struct vmm *vm, size_t ram_size)
{

    vm->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (vm->ram == MAP_FAILED) {
        vm->ram = NULL;
        fprintf(stderr, "vmm: mmap of %zu bytes of guest RAM: %s\n",
                ram_size, strerror(errno));
        return -1;
    }
    vm->ram_size = ram_size;
    if (vmm_add_memslot(vm, 0, vm->ram, ram_size) < 0)
        return -1;
    vmm_write_trap_stubs(vm);
    return 0;
}

struct vmm *vmm_create(size_t ram_size)
{
    struct vmm *vm = calloc(1, sizeof(*vm));
    int version;

    if (!vm)
        return NULL;
    vm->vm_fd = -1;
    vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (vm->kvm_fd < 0) {
        fprintf(stderr, "vmm: open /dev/kvm: %s\n", strerror(errno));
        goto fail;
    }
    version = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
    if (version != KVM_API_VERSION) {
        fprintf(stderr, "vmm: KVM API version %d, expected %d\n", version,
                KVM_API_VERSION);
        goto fail;
    }
    /* book3s HV explicitly: the stock kernel has no PR, and HV is what
       production hosts run */
    vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, SPIRQ_KVM_VM_PPC_HV);
    if (vm->vm_fd < 0) {
        fprintf(stderr, "vmm: KVM_CREATE_VM(HV): %s\n", strerror(errno));
        goto fail;
    }
    if (vmm_create_ram(vm, ram_size ? ram_size : VMM_RAM_SIZE_DEFAULT) < 0)
        goto fail;
    return vm;
fail:
    vmm_destroy(vm);
    return NULL;
}

static void vmm_vcpu_destroy(struct vmm_vcpu *vcpu)
{
    if (vcpu->run)
        munmap(vcpu->run, vcpu->run_size);
    if (vcpu->fd >= 0)
        close(vcpu->fd);
    free(vcpu);
}

void vmm_destroy(struct vmm *vm)
{
    if (!vm)
        return;
    for (unsigned int i = 0; i < vm->nr_vcpus; i++)
        vmm_vcpu_destroy(vm->vcpus[i]);
    if (vm->vm_fd >= 0)
        close(vm->vm_fd);
    if (vm->ram)
        munmap(vm->ram, vm->ram_size);
    if (vm->kvm_fd >= 0)
        close(vm->kvm_fd);
    free(vm);
}

int vmm_kvm_fd(const struct vmm *vm)
{
    return vm->kvm_fd;
}

int vmm_vm_fd(const struct vmm *vm)
{
    return vm->vm_fd;
}

long vmm_check_extension(const struct vmm *vm, unsigned int cap)
{
    int r = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, (unsigned long)cap);

    return r < 0 ? -errno : r;
}

/* ---- KVM devices ------------------------------------------------------------ */

int vmm_create_device(struct vmm *vm, uint32_t type)
{
    struct kvm_create_device create = { .type = type };

    if (ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &create) < 0)
        return -errno;
    return (int)create.fd;
}

static int vmm_device_attr(int device_fd, unsigned long request, uint32_t group,
                           uint64_t attr, const void *value)
{
    struct kvm_device_attr device_attr = {
        .group = group,
        .attr = attr,
        .addr = (uintptr_t)value,
    };

    return ioctl(device_fd, request, &device_attr) < 0 ? -errno : 0;
}

int vmm_device_set(int device_fd, uint32_t group, uint64_t attr, const void *value)
{
    return vmm_device_attr(device_fd, KVM_SET_DEVICE_ATTR, group, attr, value);
}

int vmm_device_get(int device_fd, uint32_t group, uint64_t attr, void *value)
{
    return vmm_device_attr(device_fd, KVM_GET_DEVICE_ATTR, group, attr, value);
}

int vmm_device_has(int device_fd, uint32_t group, uint64_t attr)
{
    return vmm_device_attr(device_fd, KVM_HAS_DEVICE_ATTR, group, attr, NULL);
}

int vmm_irq_line(struct vmm *vm, uint32_t irq, uint32_t level)
{
    struct kvm_irq_level line = { .irq = irq, .level = level };

    return ioctl(vm->vm_fd, KVM_IRQ_LINE, &line) < 0 ? -errno : 0;
}

/* ---- guest RAM -------------------------------------------------------------- */

static bool vmm_ram_has(const struct vmm *vm, uint64_t gpa, size_t size)
{
    if (gpa > vm->ram_size || size > vm->ram_size - gpa) {
        fprintf(stderr, "vmm: guest range 0x%llx+0x%zx is outside RAM\n",
                (unsigned long long)gpa, size);
        return false;
    }
    return true;
}

void *vmm_ram(struct vmm *vm, uint64_t gpa, size_t size)
{
    return vmm_ram_has(vm, gpa, size) ? vm->ram + gpa : NULL;
}

int vmm_load(struct vmm *vm, uint64_t gpa, const void *start, const void *end)
{
    size_t size = (size_t)((const uint8_t *)end - (const uint8_t *)start);
    void *dest = vmm_ram(vm, gpa, size);

    if (!dest)
        return -1;
    memcpy(dest, start, size);
    /* the vCPU fetches from this memory: make the copy visible first */
    __sync_synchronize();
    return 0;
}

uint64_t vmm_ram_read64(const struct vmm *vm, uint64_t gpa)
{
    uint64_t value = ~0ULL;
    if (vmm_ram_has(vm, gpa, sizeof(value)))
        memcpy(&value, vm->ram + gpa, sizeof(value));
    return value;
}

uint32_t vmm_ram_read32(const struct vmm *vm, uint64_t gpa)
{
    uint32_t value = ~0u;
    if (vmm_ram_has(vm, gpa, sizeof(value)))
        memcpy(&value, vm->ram + gpa, sizeof(value));
    return value;
}

void vmm_ram_write64(struct vmm *vm, uint64_t gpa, uint64_t value)
{
    void *dest = vmm_ram(vm, gpa, sizeof(value));

    if (dest)
        memcpy(dest, &value, sizeof(value));
}

/* ---- vCPUs ------------------------------------------------------------------ */

int vmm_get_one_reg(const struct vmm_vcpu *vcpu, uint64_t id, uint64_t *value)
{
    struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)value };

    return ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg) < 0 ? -errno : 0;
}

int vmm_set_one_reg(const struct vmm_vcpu *vcpu, uint64_t id, uint64_t value)
{
    struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };

    return ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg) < 0 ? -errno : 0;
}

int vmm_vcpu_enable_cap(const struct vmm_vcpu *vcpu, unsigned int cap,
                        uint64_t arg0, uint64_t arg1)
{
    struct kvm_enable_cap enable;

    memset(&enable, 0, sizeof(enable));
    enable.cap = cap;
    enable.args[0] = arg0;
    enable.args[1] = arg1;
    return ioctl(vcpu->fd, KVM_ENABLE_CAP, &enable) < 0 ? -errno : 0;
}

/* PAPR first (HV refuses KVM_CAP_IRQ_XICS and KVM_RUN without it), then
   little-endian interrupts for the trap stubs */
static int vmm_vcpu_setup(struct vmm_vcpu *vcpu)
{
    uint64_t lpcr;
    int r = vmm_vcpu_enable_cap(vcpu, SPIRQ_KVM_CAP_PPC_PAPR, 0, 0);

    if (r < 0) {
        fprintf(stderr, "vmm: vCPU %u: KVM_ENABLE_CAP(PPC_PAPR): %s\n",
                vcpu->id, strerror(-r));
        return -1;
    }
    r = vmm_get_one_reg(vcpu, SPIRQ_KVM_REG_PPC_LPCR_64, &lpcr);
    if (r == 0)
        r = vmm_set_one_reg(vcpu, SPIRQ_KVM_REG_PPC_LPCR_64, lpcr | LPCR_ILE);
    if (r < 0) {
        fprintf(stderr, "vmm: vCPU %u: LPCR[ILE]: %s\n", vcpu->id, strerror(-r));
        return -1;
    }
    return 0;
}

struct vmm_vcpu *vmm_vcpu_create(struct vmm *vm, unsigned int id)
{
    struct vmm_vcpu *vcpu;
    int size;

    if (vm->nr_vcpus == VMM_MAX_VCPUS) {
        fprintf(stderr, "vmm: more than %d vCPUs\n", VMM_MAX_VCPUS);
        return NULL;
    }
    vcpu = calloc(1, sizeof(*vcpu));
    if (!vcpu)
        return NULL;
    vcpu->vm = vm;
    vcpu->id = id;
    vcpu->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)id);
    if (vcpu->fd < 0) {
        fprintf(stderr, "vmm: KVM_CREATE_VCPU(%u): %s\n", id, strerror(errno));
        goto fail;
    }
    size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (size < (int)sizeof(struct kvm_run)) {
        fprintf(stderr, "vmm: KVM_GET_VCPU_MMAP_SIZE: %d\n", size);
        goto fail;
    }
    vcpu->run_size = (size_t)size;
    vcpu->run = mmap(NULL, vcpu->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                     vcpu->fd, 0);
    if (vcpu->run == MAP_FAILED) {
        vcpu->run = NULL;
        fprintf(stderr, "vmm: mmap of vCPU %u's kvm_run: %s\n", id, strerror(errno));
        goto fail;
    }
    if (vmm_vcpu_setup(vcpu) < 0)
        goto fail;
    vm->vcpus[vm->nr_vcpus++] = vcpu;
    return vcpu;
fail:
    vmm_vcpu_destroy(vcpu);
    return NULL;
}

int vmm_vcpu_fd(const struct vmm_vcpu *vcpu)
{
    return vcpu->fd;
}

unsigned int vmm_vcpu_id(const struct vmm_vcpu *vcpu)
{
    return vcpu->id;
}

struct vmm *vmm_vcpu_vm(const struct vmm_vcpu *vcpu)
{
    return vcpu->vm;
}

struct kvm_run *vmm_vcpu_run_area(const struct vmm_vcpu *vcpu)
{
    return vcpu->run;
}

int vmm_vcpu_reset(struct vmm_vcpu *vcpu, uint64_t entry, uint64_t arg)
{
    struct kvm_regs regs;

    if (ioctl(vcpu->fd, KVM_GET_REGS, &regs) < 0)
        return -errno;
    memset(regs.gpr, 0, sizeof(regs.gpr));
    regs.pc = entry;
    regs.msr = MSR_SF | MSR_ME | MSR_RI | MSR_LE;
    regs.gpr[1] = VMM_GUEST_STACK;
    regs.gpr[3] = arg;
    return ioctl(vcpu->fd, KVM_SET_REGS, &regs) < 0 ? -errno : 0;
}

/* ---- running ---------------------------------------------------------------- */

const char *vmm_stop_name(enum vmm_stop stop)
{
    static const char *const names[] = {
        [VMM_STOP_EXIT] = "exit",
        [VMM_STOP_HOOK] = "stopped by the test",
        [VMM_STOP_TRAP] = "unexpected interrupt",
        [VMM_STOP_TIMEOUT] = "timeout",
        [VMM_STOP_ERROR] = "error",
    };

    return (unsigned int)stop < sizeof(names) / sizeof(names[0]) ? names[stop] : "?";
}

/* SIGALRM only interrupts KVM_RUN (no SA_RESTART): the loop then looks
   at its deadline */
static void vmm_tick(int signo)
{
    (void)signo;
}

/* a periodic timer that signals this thread only */
static int vmm_timer_start(timer_t *timer)
{
    struct sigaction action;
    struct sigevent event;
    struct itimerspec period = {
        .it_value = { .tv_nsec = VMM_TICK_MS * 1000000L },
        .it_interval = { .tv_nsec = VMM_TICK_MS * 1000000L },
    };

    memset(&action, 0, sizeof(action));
    action.sa_handler = vmm_tick;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGALRM, &action, NULL) < 0)
        return -1;
    memset(&event, 0, sizeof(event));
    event.sigev_notify = SIGEV_THREAD_ID;
    event.sigev_signo = SIGALRM;
    /* glibc 2.36 has no sigev_notify_thread_id: the union member */
    event._sigev_un._tid = gettid();
    if (timer_create(CLOCK_MONOTONIC, &event, timer) < 0)
        return -1;
    if (timer_settime(*timer, 0, &period, NULL) < 0) {
        timer_delete(*timer);
        return -1;
    }
    return 0;
}

static uint64_t vmm_now_ms(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000;
}

/* one KVM_EXIT_PAPR_HCALL; returns 1 when the run ends */
static int vmm_on_hcall(struct vmm_vcpu *vcpu, const struct vmm_hooks *hooks,
                        struct vmm_result *result)
{
    struct kvm_run *run = vcpu->run;
    enum vmm_hook_result hook = VMM_HOOK_UNHANDLED;

    result->hcall_exits++;
    if (run->papr_hcall.nr == VMM_H_EXIT) {
        result->stop = VMM_STOP_EXIT;
        result->code = run->papr_hcall.args[0];
        return 1;
    }
    if (hooks && hooks->hcall)
        hook = hooks->hcall(hooks->opaque, vcpu, run);
    if (hook == VMM_HOOK_STOP) {
        result->stop = VMM_STOP_HOOK;
        return 1;
    }
    if (hook == VMM_HOOK_UNHANDLED) {
        fprintf(stderr, "vmm: vCPU %u: hcall 0x%llx unhandled: H_FUNCTION\n",
                vcpu->id, (unsigned long long)run->papr_hcall.nr);
        run->papr_hcall.ret = H_FUNCTION;
    }
    return 0;
}

/* one KVM_EXIT_MMIO; returns 1 when the run ends */
static int vmm_on_mmio(struct vmm_vcpu *vcpu, const struct vmm_hooks *hooks,
                       struct vmm_result *result)
{
    struct kvm_run *run = vcpu->run;
    uint64_t addr = run->mmio.phys_addr;
    enum vmm_hook_result hook = VMM_HOOK_UNHANDLED;

    result->mmio_exits++;
    /* the guest put the code in RAM first: no MMIO byte order to guess */
    if (addr == VMM_MMIO_EXIT && run->mmio.is_write) {
        result->stop = VMM_STOP_EXIT;
        result->code = vmm_ram_read64(vcpu->vm, VMM_MAILBOX_CODE);
        return 1;
    }
    if (addr == VMM_MMIO_TRAP && run->mmio.is_write) {
        result->stop = VMM_STOP_TRAP;
        result->code = vmm_ram_read64(vcpu->vm, VMM_MAILBOX_TRAP);
        return 1;
    }
    if (hooks && hooks->mmio)
        hook = hooks->mmio(hooks->opaque, vcpu, run);
    if (hook == VMM_HOOK_RESUME)
        return 0;
    if (hook == VMM_HOOK_STOP) {
        result->stop = VMM_STOP_HOOK;
        return 1;
    }
    fprintf(stderr, "vmm: vCPU %u: %s of %u bytes at 0x%llx unhandled\n",
            vcpu->id, run->mmio.is_write ? "store" : "load", run->mmio.len,
            (unsigned long long)addr);
    result->stop = VMM_STOP_ERROR;
    return 1;
}

/* one exit of KVM_RUN; returns 1 when the run ends */
static int vmm_on_exit(struct vmm_vcpu *vcpu, const struct vmm_hooks *hooks,
                       struct vmm_result *result)
{
    struct kvm_run *run = vcpu->run;

    switch (run->exit_reason) {
    case KVM_EXIT_PAPR_HCALL:
        return vmm_on_hcall(vcpu, hooks, result);
    case KVM_EXIT_MMIO:
        return vmm_on_mmio(vcpu, hooks, result);
    case KVM_EXIT_INTR:
        return 0;
    case KVM_EXIT_FAIL_ENTRY:
        fprintf(stderr, "vmm: vCPU %u: KVM_EXIT_FAIL_ENTRY, reason 0x%llx\n",
                vcpu->id,
                (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
        break;
    default:
        fprintf(stderr, "vmm: vCPU %u: exit reason %u not handled\n",
                vcpu->id, run->exit_reason);
        break;
    }
    result->stop = VMM_STOP_ERROR;
    return 1;
}

static int vmm_run_loop(struct vmm_vcpu *vcpu, const struct vmm_hooks *hooks,
                        uint64_t deadline, struct vmm_result *result)
{
    for (;;) {
        if (vmm_now_ms() >= deadline) {
            result->stop = VMM_STOP_TIMEOUT;
            return 1;
        }
        if (ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            fprintf(stderr, "vmm: vCPU %u: KVM_RUN: %s\n", vcpu->id,
                    strerror(errno));
            result->stop = VMM_STOP_ERROR;
            return 1;
        }
        if (vmm_on_exit(vcpu, hooks, result))
            return 1;
    }
}

int vmm_run(struct vmm_vcpu *vcpu, const struct vmm_hooks *hooks,
            unsigned int timeout_ms, struct vmm_result *result)
{
    timer_t timer;

    memset(result, 0, sizeof(*result));
    if (vmm_timer_start(&timer) < 0) {
        fprintf(stderr, "vmm: vCPU %u: timer: %s\n", vcpu->id, strerror(errno));
        result->stop = VMM_STOP_ERROR;
        return -1;
    }
    vmm_run_loop(vcpu, hooks, vmm_now_ms() + timeout_ms, result);
    timer_delete(timer);

    switch (result->stop) {
    case VMM_STOP_EXIT:
    case VMM_STOP_HOOK:
        return 0;
    case VMM_STOP_TRAP:
        fprintf(stderr, "vmm: vCPU %u: unexpected interrupt at vector 0x%llx\n",
                vcpu->id, (unsigned long long)result->code);
        return -1;
    case VMM_STOP_TIMEOUT:
        fprintf(stderr, "vmm: vCPU %u: guest still running after %u ms\n",
                vcpu->id, timeout_ms);
        return -1;
    default:
        return -1;
    }
}

struct vmm_thread {
    struct vmm_vcpu *vcpu;
    const struct vmm_hooks *hooks;
    unsigned int timeout_ms;
    struct vmm_result *result;
    int rc;
};

static void *vmm_thread_main(void *opaque)
{
    struct vmm_thread *thread = opaque;

    thread->rc = vmm_run(thread->vcpu, thread->hooks, thread->timeout_ms,
                         thread->result);
    return NULL;
}

int vmm_run_parallel(struct vmm_vcpu *const vcpus[], unsigned int n,
                     const struct vmm_hooks *hooks, unsigned int timeout_ms,
                     struct vmm_result results[])
{
    struct vmm_thread threads[VMM_MAX_VCPUS];
    pthread_t ids[VMM_MAX_VCPUS];
    unsigned int started = 0;
    int rc = 0;

    if (n > VMM_MAX_VCPUS)
        return -1;
    for (unsigned int i = 0; i < n; i++) {
        memset(&results[i], 0, sizeof(results[i]));
        results[i].stop = VMM_STOP_ERROR;
        threads[i] = (struct vmm_thread){ vcpus[i], hooks, timeout_ms,
                                          &results[i], -1 };
    }
    for (; started < n; started++) {
        int err = pthread_create(&ids[started], NULL, vmm_thread_main,
                                 &threads[started]);
        if (err) {
            fprintf(stderr, "vmm: thread for vCPU %u: %s\n",
                    vcpus[started]->id, strerror(err));
            rc = -1;
            break;
        }
    }
    for (unsigned int i = 0; i < started; i++) {
        pthread_join(ids[i], NULL);
        if (threads[i].rc < 0)
            rc = -1;
    }
    return rc;
}
