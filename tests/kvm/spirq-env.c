/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The embedder's part shared by the check-kvm programs that embed
 * libspirq (spirq-env.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm/kvm-ppc-abi.h"
#include "spirq-env.h"

/* ---- the embedder's callbacks ---------------------------------------------- */

static int read_guest(void *opaque, uint64_t gpa, void *buf, size_t len)
{
    struct env *e = opaque;
    void *p = gpa + len <= RAM_SIZE ? vmm_ram(e->vm, gpa, len) : NULL;

    if (!p)
        return -1;
    memcpy(buf, p, len);
    return 0;
}

static int write_guest(void *opaque, uint64_t gpa, const void *buf,
               size_t len)
{
    struct env *e = opaque;
    void *p = gpa + len <= RAM_SIZE ? vmm_ram(e->vm, gpa, len) : NULL;

    if (!p)
        return -1;
    memcpy(p, buf, len);
    return 0;
}

static void log_line(void *opaque, spirq_log_level level, const char *msg)
{
    struct env *e = opaque;

    kvm_info("spirq log %d: %s", (int)level, msg);
    if (level == SPIRQ_LOG_WARNING && e->nwarn < 8)
        snprintf(e->warn[e->nwarn++], sizeof(e->warn[0]), "%s", msg);
}

static int vm_fd(void *opaque)
{
    return vmm_vm_fd(((struct env *)opaque)->vm);
}

static int vcpu_fd(void *opaque, unsigned cpu)
{
    struct env *e = opaque;

    if (cpu == 1 && e->vcpu1_fd >= 0)
        return e->vcpu1_fd;
    return cpu < NR_VCPUS && e->vcpu[cpu] ? vmm_vcpu_fd(e->vcpu[cpu]) : -1;
}

/*
 * The emulated backend's external interrupt line to a vCPU, given to KVM
 * as QEMU does without an in-kernel irqchip: KVM_INTERRUPT, level
 * triggered.  The L2 guests here run with MSR[EE] off and poll, so the
 * line is only counted; delivering it keeps the VMM a faithful one.
 */
static void set_cpu_irq(void *opaque, unsigned cpu, int level)
{
    struct env *e = opaque;
    struct kvm_interrupt irq = {
        .irq = level ? SPIRQ_KVM_INTERRUPT_SET_LEVEL : SPIRQ_KVM_INTERRUPT_UNSET,
    };
    int fd = vcpu_fd(e, cpu);

    e->cpu_irq_changes++;
    if (fd >= 0 && ioctl(fd, KVM_INTERRUPT, &irq) < 0 && !e->cpu_irq_error)
        e->cpu_irq_error = errno;
}

int env_move_out(struct env *e, spirq_machine *m, uint8_t **buf,
                 size_t *len)
{
    unsigned cpu;
    int ret;

    *len = 0;
    spirq_save(m, NULL, 0, len);
    *buf = malloc(*len);
    ret = *buf ? spirq_save(m, *buf, *len, len) : -SPIRQ_ERR_NOMEM;
    spirq_machine_destroy(m);
    for (cpu = 0; cpu < NR_VCPUS; cpu++)
        if (vcpu_fd(e, cpu) >= 0)
            set_cpu_irq(e, cpu, 0);
    return ret;
}

bool warned(const struct env *e, const char *text)
{
    unsigned i;

    for (i = 0; i < e->nwarn; i++)
        if (strstr(e->warn[i], text))
            return true;
    return false;
}

unsigned open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    unsigned n = 0;

    if (!d)
        return 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

/* ---- machines ------------------------------------------------------------------ */

bool env_vm(struct env *e)
{
    unsigned i;

    e->vm = vmm_create(RAM_SIZE);
    if (!e->vm)
        return false;
    for (i = 0; i < (e->boot_vcpus ? e->boot_vcpus : NR_VCPUS); i++) {
        e->vcpu[i] = vmm_vcpu_create(e->vm, i);
        if (!e->vcpu[i])
            return false;
    }
    e->nwarn = 0;
    return true;
}

void env_end(struct env *e)
{
    vmm_destroy(e->vm);
    memset(e->vcpu, 0, sizeof(e->vcpu));
    e->vm = NULL;
}

int machine(struct env *e, const char *m_opt, bool with_kvm,
           spirq_machine **out, spirq_error *err)
{
    spirq_host_ops ops = {
        .version = SPIRQ_HOST_OPS_VERSION,
        .opaque = e,
        .read_guest = read_guest,
        .write_guest = write_guest,
        .log = log_line,
        .kvm_vm_fd = with_kvm ? vm_fd : NULL,
        .kvm_vcpu_fd = with_kvm ? vcpu_fd : NULL,
        .set_cpu_irq = with_kvm ? NULL : set_cpu_irq,
    };
    const char *argv[] = { "-M", m_opt, "-accel", "kvm", "-smp",
                           e->smp ? e->smp : "2", "-m", "256M" };
    spirq_config cfg;
    int ret;

    *out = NULL;
    ret = spirq_config_from_args(8, argv, &cfg, err);
    if (!ret)
        ret = spirq_machine_create(&cfg, &ops, out, err);
    return ret;
}

static void pic_line(void *opaque, const char *line)
{
    struct env *e = opaque;
    size_t n = strlen(line);

    if (e->piclen + n + 2 > sizeof(e->pic))
        return;
    memcpy(e->pic + e->piclen, line, n);
    e->piclen += n;
    e->pic[e->piclen++] = '\n';
    e->pic[e->piclen] = 0;
}

const char *info_pic(struct env *e, spirq_machine *m)
{
    e->piclen = 0;
    e->pic[0] = 0;
    if (spirq_info_pic(m, pic_line, e))
        return "(info pic failed)";
    return e->pic;
}

/* info pic, one information line each (the console is read by line) */
/*
 * e->pic quoted, one information line each (the console is read by line),
 * but for lines holding e->pic_skip[] (what a test never looks at: the
 * console of an L1 under TCG takes a few KB a second).
 */
static void quote_pic(struct env *e)
{
    char *line, *next;
    unsigned i;

    for (line = e->pic; *line; line = next) {
        next = strchr(line, '\n');
        if (!next)
            break;
        *next++ = 0;
        for (i = 0; e->pic_skip && e->pic_skip[i]; i++)
            if (strstr(line, e->pic_skip[i]))
                break;
        if (!e->pic_skip || !e->pic_skip[i])
            kvm_info("  %s", line);
    }
}

void show_pic(struct env *e, spirq_machine *m)
{
    info_pic(e, m);
    quote_pic(e);
}

bool show_pic_has(struct env *e, spirq_machine *m, const char *line)
{
    bool found = strstr(info_pic(e, m), line) != NULL;

    quote_pic(e);
    return found;
}

bool pic_has(struct env *e, spirq_machine *m, const char *line)
{
    return strstr(info_pic(e, m), line) != NULL;
}

bool irqchip_is(struct env *e, spirq_machine *m, const char *what)
{
    char want[64];
    const char *pic = info_pic(e, m);
    size_t len;

    snprintf(want, sizeof(want), "irqchip: %s\n", what);
    len = strlen(pic);
    return len >= strlen(want) && !strcmp(pic + len - strlen(want), want);
}

int32_t rtas(spirq_machine *m, uint32_t token, uint32_t nargs,
            const uint32_t *args)
{
    uint32_t rets[4] = { 0 };
    int ret = spirq_rtas(m, 0, token, nargs, args, spirq_rtas_nret(token),
                 rets);

    return ret ? -99 : (int32_t)rets[0];
}

int64_t hcall(spirq_machine *m, uint64_t op, uint64_t *rets,
             uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
             uint64_t a4)
{
    uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { a0, a1, a2, a3, a4 };
    uint64_t r[SPIRQ_HCALL_MAX_RETS] = { 0 };

    return spirq_hcall(m, 0, op, args, rets ? rets : r, NULL);
}

/*
 * An hcall KVM handed to the VMM, answered by spirq (its emulated
 * backend, or the H_INT_* calls of its in-kernel XIVE): the return code in
 * r3, the outputs from r4, for the vCPU that made it.
 */
enum vmm_hook_result spirq_answers(spirq_machine *m,
                                          struct vmm_vcpu *vcpu,
                                          struct kvm_run *run)
{
    uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };
    unsigned i, n = 0;

    run->papr_hcall.ret = (uint64_t)spirq_hcall(m, vmm_vcpu_id(vcpu),
                                                run->papr_hcall.nr,
                                                run->papr_hcall.args, rets, &n);
    for (i = 0; i < n; i++)
        run->papr_hcall.args[i] = rets[i];
    return VMM_HOOK_RESUME;
}
/* ---- the XIVE pages: MMIO exits to spirq, or the kernel's pages mapped ------- */

static bool xive_window(uint64_t gpa, spirq_region *region, uint64_t *off)
{
    if (gpa - SPIRQ_XIVE_VC_BASE < SPIRQ_XIVE_ESB_WINDOW_SIZE) {
        *region = SPIRQ_REGION_ESB;
        *off = gpa - SPIRQ_XIVE_VC_BASE;
        return true;
    }
    if (gpa - SPIRQ_XIVE_TM_BASE < SPIRQ_XIVE_TM_WINDOW_SIZE) {
        *region = SPIRQ_REGION_TIMA;
        *off = gpa - SPIRQ_XIVE_TM_BASE;
        return true;
    }
    return false;
}

/* The data of an MMIO exit is in memory order; XIVE registers are big-endian. */
enum vmm_hook_result spirq_mmio(spirq_machine *m, struct vmm_vcpu *vcpu,
                                struct kvm_run *run, int *rc)
{
    unsigned len = run->mmio.len, i, cpu = vmm_vcpu_id(vcpu);
    spirq_region region;
    uint64_t off, value = 0;
    int ret;

    if (len > 8 || !m || !xive_window(run->mmio.phys_addr, &region, &off))
        return VMM_HOOK_UNHANDLED;
    if (run->mmio.is_write) {
        for (i = 0; i < len; i++)
            value = value << 8 | run->mmio.data[i];
        ret = spirq_mmio_store(m, cpu, region, off, len, value);
    } else {
        ret = spirq_mmio_load(m, cpu, region, off, len, &value);
        for (i = 0; i < len; i++)
            run->mmio.data[i] = (uint8_t)(value >> 8 * (len - 1 - i));
    }
    if (ret && rc && !*rc)
        *rc = ret;
    return VMM_HOOK_RESUME;
}

void *map_region(struct env *e, spirq_machine *m, spirq_region region,
                 uint64_t gpa, uint64_t *len, int *slot)
{
    uint64_t off = 0;
    void *p;
    int fd = -1;

    *len = 0;
    *slot = -1;
    if (spirq_kvm_mmio_region(m, region, &fd, &off, len))
        return NULL;
    p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);
    if (p == MAP_FAILED)
        return NULL;
    *slot = vmm_add_memslot(e->vm, gpa, p, *len);
    if (*slot < 0) {
        munmap(p, *len);
        return NULL;
    }
    return p;
}

/*
 * The slot goes first: the kernel releases a device when its last file
 * reference does, and a mapping is one (a new XIVE device cannot be
 * created while the old one lives).
 */
void unmap_region(struct env *e, void *p, uint64_t len, int slot)
{
    if (!p)
        return;
    if (slot >= 0 && e->vm)
        vmm_del_memslot(e->vm, (unsigned)slot);
    munmap(p, len);
}

/* ---- the differential --------------------------------------------------------- */

void compare_runs(struct env *e, const char *guest, unsigned base, unsigned n,
                  const char *const what[], const uint64_t kernel[],
                  const uint64_t emulated[], const struct expected_diff *diffs,
                  unsigned ndiffs)
{
    unsigned i, d;

    for (i = 0; i < n; i++) {
        unsigned off = base + 8 * i;

        for (d = 0; d < ndiffs; d++)
            if (diffs[d].host == e->host && diffs[d].off == off &&
                !strcmp(diffs[d].guest, guest))
                break;
        if (d < ndiffs)
            kvm_check(e->checks, kernel[i] == diffs[d].kernel &&
                      emulated[i] == diffs[d].emulated,
                      "differential %s +0x%x (%s): expected difference on %s: "
                      "in-kernel 0x%llx, emulated 0x%llx (%s)", guest, off, what[i],
                      vmm_host_name(e->host), (unsigned long long)kernel[i],
                      (unsigned long long)emulated[i], diffs[d].why);
        else
            kvm_check(e->checks, kernel[i] == emulated[i],
                      "differential %s +0x%x (%s): in-kernel 0x%llx, emulated 0x%llx",
                      guest, off, what[i], (unsigned long long)kernel[i],
                      (unsigned long long)emulated[i]);
    }
}
