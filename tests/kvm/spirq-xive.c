/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * XIVE native on libspirq's in-kernel backend, seen by an L2 guest
 * (powernv L1 only; the pseries L1 has no in-kernel XIVE): the guest
 * (guests/spirq-xive.S) runs scripts of H_INT_* hcalls, ESB and TIMA
 * accesses and queue reads the test writes in its memory, and the VMM
 * acts between two of its steps.  Four scenarios, each on a fresh VM:
 *
 *   migration  traffic while the interrupt state moves between the
 *              in-kernel backend and the emulated one, starting on
 *              either: the queue's index and toggle (a wrap crosses a
 *              move), the source's PQ and the vCPU's presenter go along,
 *              and the device pages are mapped again for the kernel;
 *   retarget   H_INT_SET_SOURCE_CONFIG by the guest moves the source to
 *              vCPU 1's queue: vCPU 1 takes it, vCPU 0 sees nothing; and
 *              back;
 *   hot-plug   vCPU 1 plugged into the running machine (connected to the
 *              kernel's device with KVM_CAP_PPC_IRQ_XIVE), then given the
 *              source;
 *   reset      H_INT_RESET: the source masked, the queue gone; the guest
 *              sets up again and receives.
 *
 * Each scenario but the migration runs on both backends and every value
 * the guest saw is compared (the differential); the migration compares
 * its two starting points.  info pic is quoted after every step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <spirq/spirq.h>

#include "check.h"
#include "kvm/kvm-ppc-abi.h"
#include "spirq-env.h"
#include "vmm.h"

#define XIVE_ON         "pseries-7.2,ic-mode=xive,kernel-irqchip=on"
#define XIVE_OFF        "pseries-7.2,ic-mode=xive,kernel-irqchip=off"
#define LISN            0x1200u
/*
 * 64K queues: Linux's KVM takes no other size (its xive-native device
 * refuses a 4K queue with EINVAL, measured; spirq then answers
 * H_HARDWARE, as QEMU does), and Linux guests use 64K.
 */
#define Q0              0x100000ull     /* vCPU 0's queue: 16384 entries */
#define Q1              0x110000ull     /* vCPU 1's */
#define Q2              0x120000ull     /* vCPU 0's after H_INT_RESET */
#define QSHIFT          16
#define QENTRIES        16384u
#define PRIO            6

extern const unsigned char spirq_xive_script_start[], spirq_xive_script_end[];

/* ---- the script (guests/spirq-xive.S) ------------------------------------------- */

#define XS_OPS          0x2000ull
#define XS_RESULTS      0x4000ull
#define XS_MAX          48
#define XS_WORDS        8               /* r3 .. r10 of an hcall */

enum { XS_END, XS_HCALL, XS_LOAD64, XS_LOAD16, XS_STORE8, XS_STORE64, XS_LOAD32,
       XS_STEP, XS_FILL };

struct xs_op {
    uint64_t op, a[7];
};

struct script {
    struct xs_op op[XS_MAX];
    const char *what[XS_MAX];
    bool check[XS_MAX];         /* word 0 of the result must be want */
    uint64_t want[XS_MAX];
    /* a documented difference: what the in-kernel backend gives, and why */
    bool kernel_differs[XS_MAX];
    uint64_t want_kernel[XS_MAX];
    const char *why[XS_MAX];
    unsigned outs[XS_MAX];      /* hcall outputs compared (r4 ...) */
    unsigned n;
    uint64_t page;              /* the host's page: the ESB and TIMA layout */
};

static void xs_init(struct script *s)
{
    memset(s, 0, sizeof(*s));
    s->page = (uint64_t)sysconf(_SC_PAGESIZE);
}

static unsigned xs_add(struct script *s, uint64_t op, const char *what, bool check,
                       uint64_t want, uint64_t a0, uint64_t a1, uint64_t a2)
{
    unsigned i = s->n < XS_MAX - 1 ? s->n++ : XS_MAX - 2;

    s->op[i] = (struct xs_op){ .op = op, .a = { a0, a1, a2 } };
    s->what[i] = what;
    s->check[i] = check;
    s->want[i] = want;
    return i;
}

static uint64_t tima_os(const struct script *s)
{
    return SPIRQ_XIVE_TM_BASE + 2 * s->page;
}

static uint64_t esb_trigger_page(const struct script *s)
{
    return SPIRQ_XIVE_VC_BASE + LISN * 2 * s->page;
}

static uint64_t esb_eoi_page(const struct script *s)
{
    return esb_trigger_page(s) + s->page;
}

/* an hcall with up to 5 arguments, its return code checked */
static unsigned xs_hcall(struct script *s, const char *what, int64_t want, uint64_t nr,
                         uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    unsigned i = xs_add(s, XS_HCALL, what, true, (uint64_t)want, nr, a0, a1);

    s->op[i].a[3] = a2;
    s->op[i].a[4] = a3;
    s->op[i].a[5] = a4;
    return i;
}

static void xs_set_queue(struct script *s, const char *what, int64_t want, unsigned server,
                         uint64_t qpage)
{
    xs_hcall(s, what, want, SPIRQ_H_INT_SET_QUEUE_CONFIG, SPIRQ_XIVE_END_ALWAYS_NOTIFY,
             server, PRIO, qpage, QSHIFT);
}

static void xs_route(struct script *s, const char *what, unsigned server)
{
    xs_hcall(s, what, SPIRQ_H_SUCCESS, SPIRQ_H_INT_SET_SOURCE_CONFIG, SPIRQ_XIVE_SRC_SET_EISN,
             LISN, server, PRIO, LISN);
}

/* an ESB management load at @off of the source's EOI page */
static void xs_esb(struct script *s, const char *what, uint64_t want, uint64_t off)
{
    xs_add(s, XS_LOAD64, what, true, want, esb_eoi_page(s) + off, 0, 0);
}

/* TIMA ACK_OS_REG: NSR << 8 | CPPR (0x8006: priority 6 acknowledged) */
static void xs_ack(struct script *s, const char *what, uint64_t want)
{
    xs_add(s, XS_LOAD16, what, true, want, tima_os(s) + 0x810, 0, 0);
}

static void xs_cppr(struct script *s, uint8_t cppr)
{
    xs_add(s, XS_STORE8, "CPPR", false, 0, tima_os(s) + 0x11, cppr, 0);
}

/* queue entry @idx of the queue at @qpage (big-endian in RAM) */
static void xs_entry(struct script *s, const char *what, uint64_t want, uint64_t qpage,
                     unsigned idx)
{
    xs_add(s, XS_LOAD32, what, true, want, qpage + 4ull * idx, 0, 0);
}

static void xs_step(struct script *s, unsigned n)
{
    xs_add(s, XS_STEP, "step", true, SPIRQ_H_SUCCESS, n, 0, 0);
}

/* The set-up Linux makes for a source on @server's priority 6 queue. */
static void xs_setup(struct script *s, unsigned server, uint64_t qpage,
                     uint64_t old_pq)
{
    unsigned i = xs_hcall(s, "H_INT_GET_SOURCE_INFO", SPIRQ_H_SUCCESS,
                          SPIRQ_H_INT_GET_SOURCE_INFO, 0, LISN, 0, 0, 0);

    s->outs[i] = 4;     /* flags, EOI page, trigger page, shift */
    xs_set_queue(s, "H_INT_SET_QUEUE_CONFIG", SPIRQ_H_SUCCESS, server, qpage);
    xs_route(s, "H_INT_SET_SOURCE_CONFIG", server);
    xs_esb(s, "ESB SET_PQ_00: the old PQ", old_pq, 0xc00);
}

/*
 * One interrupt taken as Linux takes it: ACK in the TIMA, the queue
 * entry (toggle | EISN), the PQ before the EOI (10: presented, not
 * EOIed), the EOI load, CPPR back to 0xff.
 */
static void xs_take(struct script *s, const char *what, uint64_t qpage, unsigned idx,
                    unsigned toggle)
{
    xs_ack(s, what, 0x8006);
    xs_entry(s, "the queue entry", (uint64_t)toggle << 31 | LISN, qpage, idx);
    xs_esb(s, "ESB GET before the EOI: PQ 10", 2, 0x800);
    xs_esb(s, "ESB EOI load", 0, 0x000);
    xs_cppr(s, 0xff);
}

/* ---- one VM, its machine, the guest's runs -------------------------------------------- */

struct region_map {
    void *p;
    uint64_t len;
    int slot;
};

struct xrun {
    struct env *e;
    spirq_machine *m;
    bool kernel;                /* the backend now */
    const char *mopt;           /* -M */
    struct region_map esb, tima;
    /* the VMM's share of step @n: 0 or an error */
    int (*step)(struct xrun *r, uint64_t n);
    const void *plan;
    int step_rc;
    char step_err[256];
    unsigned spirq_hcalls, spirq_mmio;
    int mmio_rc;
    uint64_t res[XS_MAX][XS_WORDS];
};

static const char *backend_name(bool kernel)
{
    return kernel ? "in-kernel" : "emulated";
}

static enum vmm_hook_result xr_hcall(void *opaque, struct vmm_vcpu *vcpu,
                                     struct kvm_run *run)
{
    struct xrun *r = opaque;

    if (run->papr_hcall.nr == VMM_H_STEP) {
        int ret = r->step ? r->step(r, run->papr_hcall.args[0]) : 0;

        if (ret && !r->step_rc)
            r->step_rc = ret;
        run->papr_hcall.ret = H_SUCCESS;
        return VMM_HOOK_RESUME;
    }
    if (!r->m)
        return VMM_HOOK_UNHANDLED;
    r->spirq_hcalls++;
    return spirq_answers(r->m, vcpu, run);
}

static enum vmm_hook_result xr_mmio(void *opaque, struct vmm_vcpu *vcpu,
                                    struct kvm_run *run)
{
    struct xrun *r = opaque;
    enum vmm_hook_result ret;

    if (r->kernel)
        return VMM_HOOK_UNHANDLED;      /* the device pages are memslots */
    ret = spirq_mmio(r->m, vcpu, run, &r->mmio_rc);
    if (ret == VMM_HOOK_RESUME)
        r->spirq_mmio++;
    return ret;
}

static void xr_unmap(struct xrun *r)
{
    unmap_region(r->e, r->esb.p, r->esb.len, r->esb.slot);
    unmap_region(r->e, r->tima.p, r->tima.len, r->tima.slot);
    memset(&r->esb, 0, sizeof(r->esb));
    memset(&r->tima, 0, sizeof(r->tima));
}

/* The kernel's ESB and TIMA pages given to the guest (none when emulated). */
static int xr_map(struct xrun *r)
{
    if (!r->kernel)
        return 0;
    r->esb.p = map_region(r->e, r->m, SPIRQ_REGION_ESB, SPIRQ_XIVE_VC_BASE, &r->esb.len,
                          &r->esb.slot);
    r->tima.p = map_region(r->e, r->m, SPIRQ_REGION_TIMA, SPIRQ_XIVE_TM_BASE, &r->tima.len,
                           &r->tima.slot);
    return r->esb.p && r->tima.p ? 0 : -SPIRQ_ERR_KERNEL;
}

/*
 * spirq's machine on @kernel's backend, for the VM of r->e: XIVE
 * negotiated, the guest's source claimed, the pages mapped.
 */
static int xr_machine(struct xrun *r, bool kernel, const uint8_t *stream, size_t len,
                      spirq_error *err)
{
    int ret = machine(r->e, r->mopt, kernel, &r->m, err);

    r->kernel = kernel;
    if (!ret)
        ret = spirq_cas(r->m, 0x40, NULL, err);
    if (!ret)
        ret = spirq_irq_claim(r->m, LISN, false, err);
    if (!ret && stream)
        ret = spirq_restore(r->m, stream, len, err);
    if (!ret)
        ret = xr_map(r);
    return ret;
}

/* A fresh VM and its machine, checked. */
static bool xr_start(struct xrun *r, struct env *e, bool kernel, const char *label)
{
    spirq_error err = { 0 };
    int ret;

    r->e = e;
    if (!r->mopt)
        r->mopt = kernel ? XIVE_ON : XIVE_OFF;
    if (!env_vm(e))
        return false;
    ret = xr_machine(r, kernel, NULL, 0, &err);
    if (!ret)
        ret = vmm_load(e->vm, VMM_GUEST_LOAD, spirq_xive_script_start,
                       spirq_xive_script_end);
    /* a machine that moves keeps kernel-irqchip=on: without the VM fd
     * its backend is the emulated one, shown as the simulated host */
    return kvm_check(e->checks, ret == 0 && irqchip_is(e, r->m, "in-kernel") == kernel,
                     "%s (%s): XIVE machine, 0x%x claimed, %s%s%s", label,
                     backend_name(kernel), LISN,
                     kernel ? "the kernel's ESB and TIMA pages mapped" :
                              "ESB and TIMA as MMIO exits to spirq",
                     ret ? ": " : "", ret ? err.message : "");
}

static void xr_end(struct xrun *r)
{
    xr_unmap(r);
    spirq_machine_destroy(r->m);
    r->m = NULL;
    env_end(r->e);
}

/* The script run on vCPU @cpu, its results read back; false when it did not end. */
static bool xr_run(struct xrun *r, unsigned cpu, struct script *s, const char *label)
{
    struct vmm_hooks hooks = { .hcall = xr_hcall, .mmio = xr_mmio, .opaque = r };
    struct vmm_result res = { 0 };
    unsigned i, w;
    int ret;

    if (!kvm_check(r->e->checks, r->e->vcpu[cpu] != NULL, "%s (%s): vCPU %u exists", label,
                   backend_name(r->kernel), cpu))
        return false;
    s->op[s->n].op = XS_END;
    for (i = 0; i <= s->n; i++)
        for (w = 0; w < 8; w++)
            vmm_ram_write64(r->e->vm, XS_OPS + 64 * i + 8 * w,
                            w ? s->op[i].a[w - 1] : s->op[i].op);
    memset(vmm_ram(r->e->vm, XS_RESULTS, XS_MAX * 64), 0, XS_MAX * 64);
    ret = vmm_vcpu_reset(r->e->vcpu[cpu], VMM_GUEST_LOAD, 0);
    if (!ret)
        ret = vmm_run(r->e->vcpu[cpu], &hooks, 30000, &res);
    for (i = 0; i < s->n; i++)
        for (w = 0; w < XS_WORDS; w++)
            r->res[i][w] = vmm_ram_read64(r->e->vm, XS_RESULTS + 64 * i + 8 * w);
    return kvm_check(r->e->checks, ret == 0 && res.stop == VMM_STOP_EXIT &&
                     res.code == 0x600d && !r->step_rc && !r->mmio_rc,
                     "%s (%s): vCPU %u ran its %u steps to the end (%s, code 0x%llx, "
                     "VMM rc %d%s%s, MMIO rc %d)", label, backend_name(r->kernel), cpu, s->n,
                     vmm_stop_name(res.stop), (unsigned long long)res.code, r->step_rc,
                     r->step_err[0] ? ": " : "", r->step_err, r->mmio_rc);
}

/* Every step with an expectation, one check line each. */
static void xr_check(struct xrun *r, const struct script *s, const char *label)
{
    unsigned i;

    for (i = 0; i < s->n; i++) {
        bool differs = r->kernel && s->kernel_differs[i];

        if (s->check[i])
            kvm_check(r->e->checks, r->res[i][0] == (differs ? s->want_kernel[i] : s->want[i]),
                      "%s (%s) step %u: %s: 0x%llx%s%s", label, backend_name(r->kernel), i,
                      s->what[i], (unsigned long long)r->res[i][0],
                      differs ? ", as the kernel does: " : "", differs ? s->why[i] : "");
    }
}

/* info pic quoted, and one line looked for */
static void xr_pic(struct xrun *r, const char *label, const char *line)
{
    kvm_check(r->e->checks, show_pic_has(r->e, r->m, line), "%s (%s): info pic shows \"%s\"",
              label, backend_name(r->kernel), line);
}

/*
 * The differential: every value the guest saw in the two runs of a
 * script, word 0 of each step (the loaded value, the hcall's return
 * code) and the hcall outputs it names; equal, or the documented pair of
 * a step marked kernel_differs.
 */
static void xr_compare(struct env *e, const char *guest, const struct script *s,
                       const uint64_t a[][XS_WORDS], const uint64_t b[][XS_WORDS])
{
    static const char *const outs[] = { "r4", "r5", "r6", "r7" };
    unsigned i, w;

    for (i = 0; i < s->n; i++) {
        const char *what[XS_WORDS];
        uint64_t ka[XS_WORDS], kb[XS_WORDS];
        unsigned n = 1 + s->outs[i];

        if (s->op[i].op == XS_STORE8 || s->op[i].op == XS_STORE64 || s->op[i].op == XS_FILL)
            continue;       /* nothing seen */

        what[0] = s->what[i];
        for (w = 0; w < n; w++) {
            if (w)
                what[w] = outs[w - 1];
            ka[w] = a[i][w];
            kb[w] = b[i][w];
        }
        struct expected_diff diff = {
            VMM_HOST_POWERNV, guest, (unsigned)(XS_RESULTS + 64 * i), s->want_kernel[i],
            s->want[i], s->why[i],
        };
        compare_runs(e, guest, (unsigned)(XS_RESULTS + 64 * i), n, what, ka, kb, &diff,
                     s->kernel_differs[i] ? 1 : 0);
    }
}

/* ---- 1. migration in the middle of traffic -------------------------------------------- */

/*
 * After the first interrupt (entry 0), the guest's own triggers fill the
 * queue up to 2 entries short of its end, on the kernel's pages (fast:
 * no exit), so that the next 4 interrupts of the traffic take its last 2
 * entries (generation 1), then entries 0 and 1 (generation 0): the toggle
 * flips in the middle, with a move on each side of it.
 */
#define FILL            (QENTRIES - 3)
#define MIG_ROUNDS      5

struct mig_plan {
    const char *name;
    bool start_kernel;
    int to[MIG_ROUNDS + 1];     /* after step n's raise: move to kernel (1),
                                   emulated (0), or stay (-1) */
};

static const struct mig_plan mig_plans[] = {
    { "xive migration from in-kernel", true, { -1, -1, -1, 0, 1, -1 } },
    { "xive migration from emulated", false, { -1, 1, -1, 0, 1, -1 } },
};

/* Save, destroy, create the other backend, restore, map: a migration. */
static int xr_move(struct xrun *r, bool to_kernel)
{
    spirq_error err = { 0 };
    uint8_t *buf = NULL;
    size_t len = 0;
    int ret;

    xr_unmap(r);
    ret = env_move_out(r->e, r->m, &buf, &len);
    r->m = NULL;
    if (!ret)
        ret = xr_machine(r, to_kernel, buf, len, &err);
    if (ret)
        snprintf(r->step_err, sizeof(r->step_err), "%.200s", err.message);
    free(buf);
    return ret;
}

/* The queue entry and generation of round @n's interrupt. */
static unsigned mig_entry(unsigned n)
{
    return n == 1 ? 0 : (FILL + n - 1) % QENTRIES;
}

static unsigned mig_generation(unsigned n)
{
    return n == 1 || FILL + n - 1 < QENTRIES ? 1 : 0;
}

static int mig_step(struct xrun *r, uint64_t n)
{
    const struct mig_plan *p = r->plan;
    unsigned next;
    char line[96];
    int ret;

    if (n < 1 || n > MIG_ROUNDS)
        return -SPIRQ_ERR_INVAL;
    ret = spirq_set_irq(r->m, LISN, 1);
    if (!ret && p->to[n] >= 0)
        ret = xr_move(r, p->to[n] == 1);
    kvm_info("%s, step %u: raised%s, now %s", p->name, (unsigned)n,
             p->to[n] < 0 ? "" : p->to[n] ? ", moved to the kernel" : ", moved to the emulation",
             backend_name(r->kernel));
    if (ret)
        return ret;
    /* the source pending (P), the queue's index and toggle past the entry */
    next = (mig_entry((unsigned)n) + 1) % QENTRIES;
    snprintf(line, sizeof(line), "00001200 MSI P-    00001200   0/6 %6u/%u @100000 ^%u", next,
             QENTRIES, next ? mig_generation((unsigned)n) : !mig_generation((unsigned)n));
    xr_pic(r, p->name, line);
    return 0;
}

static void mig_script(struct script *s)
{
    static const char *const what[MIG_ROUNDS + 1] = {
        NULL, "interrupt 1 (entry 0): ACK", "interrupt 2 (entry 16382): ACK",
        "interrupt 3 (entry 16383): ACK", "interrupt 4 (entry 0 again, toggle flipped): ACK",
        "interrupt 5 (entry 1): ACK",
    };
    unsigned n;

    xs_init(s);
    xs_setup(s, 0, Q0, 1);
    xs_cppr(s, 0xff);
    for (n = 1; n <= MIG_ROUNDS; n++) {
        xs_step(s, n);
        xs_take(s, what[n], Q0, mig_entry(n), mig_generation(n));
        if (n != 1)
            continue;
        /* the fill, at CPPR 0: queued, not presented */
        xs_cppr(s, 0);
        xs_add(s, XS_FILL, "the fill", false, 0, esb_trigger_page(s), esb_eoi_page(s), FILL);
        xs_cppr(s, 0xff);
        xs_ack(s, "CPPR 0xff after the fill: priority 6 presented, acknowledged", 0x8006);
        xs_cppr(s, 0xff);
    }
    xs_ack(s, "nothing more to ACK", 0x00ff);
    xs_entry(s, "entry 2 still the fill's (generation 1): nothing lost, nothing doubled",
             0x80000000u | LISN, Q0, 2);
}

static void test_migration(struct env *e, const struct mig_plan *p,
                           uint64_t res[XS_MAX][XS_WORDS], struct script *s)
{
    struct xrun r = { .mopt = XIVE_ON, .step = mig_step, .plan = p };
    unsigned i, fill_ok = 0;

    mig_script(s);
    if (!xr_start(&r, e, p->start_kernel, p->name))
        goto out;
    if (!xr_run(&r, 0, s, p->name))
        goto out;
    xr_check(&r, s, p->name);
    for (i = 2; i <= FILL; i++)
        fill_ok += be32toh(vmm_ram_read32(e->vm, Q0 + 4 * i)) == (0x80000000u | LISN);
    kvm_check(e->checks, fill_ok == FILL - 1,
              "%s: the fill's entries 2-%u untouched (%u of %u)", p->name, FILL, fill_ok,
              FILL - 1);
    kvm_check(e->checks, r.spirq_mmio > 0,
              "%s: %u ESB and TIMA accesses reached spirq while emulated, %u hcalls",
              p->name, r.spirq_mmio, r.spirq_hcalls);
out:
    memcpy(res, r.res, sizeof(r.res));
    xr_end(&r);
}

static void test_migrations(struct env *e)
{
    static uint64_t from_kernel[XS_MAX][XS_WORDS], from_emulated[XS_MAX][XS_WORDS];
    struct script s;

    test_migration(e, &mig_plans[0], from_kernel, &s);
    test_migration(e, &mig_plans[1], from_emulated, &s);
    xr_compare(e, "xive migration (from in-kernel; from emulated)", &s,
               (const uint64_t (*)[XS_WORDS])from_kernel,
               (const uint64_t (*)[XS_WORDS])from_emulated);
}

/* ---- steps that raise the source, with the info pic line to see ------------------------ */

struct raise_plan {
    const char *name;
    const char *pic[4];         /* after step n's raise (NULL: no raise) */
};

static int raise_step(struct xrun *r, uint64_t n)
{
    const struct raise_plan *p = r->plan;
    int ret;

    if (n < 1 || n > 3)
        return -SPIRQ_ERR_INVAL;
    ret = spirq_set_irq(r->m, LISN, 1);
    if (!ret)
        xr_pic(r, p->name, p->pic[n]);
    return ret;
}

/*
 * Scripts run one after the other (@cpus[i] runs @s[i]), each checked,
 * their results kept for the differential.
 */
static void run_scripts(struct xrun *r, unsigned nruns, const unsigned cpus[],
                        struct script s[], uint64_t res[][XS_MAX][XS_WORDS],
                        void (*between)(struct xrun *r, unsigned after))
{
    const struct raise_plan *p = r->plan;
    unsigned i;

    for (i = 0; i < nruns; i++) {
        bool ran = xr_run(r, cpus[i], &s[i], p->name);

        memcpy(res[i], r->res, sizeof(r->res));
        if (!ran)
            return;
        xr_check(r, &s[i], p->name);
        if (between)
            between(r, i);
    }
}

/* ---- 2. retargeting seen by the guest on vCPU 1 ----------------------------------------- */

#define RT_RUNS 4

static const struct raise_plan rt_plan = {
    "xive retarget guest",
    { NULL, "00001200 MSI P-    00001200   0/6", "00001200 MSI P-    00001200   1/6",
      "00001200 MSI P-    00001200   0/6" },
};

static void rt_scripts(struct script s[RT_RUNS])
{
    unsigned i;

    for (i = 0; i < RT_RUNS; i++)
        xs_init(&s[i]);
    /* vCPU 0: its queue, the source to it, one interrupt taken */
    xs_setup(&s[0], 0, Q0, 1);
    xs_cppr(&s[0], 0xff);
    xs_step(&s[0], 1);
    xs_take(&s[0], "vCPU 0 takes it: ACK", Q0, 0, 1);
    /* vCPU 1: a 4K queue first, that only the emulation takes */
    i = xs_hcall(&s[1], "vCPU 1: H_INT_SET_QUEUE_CONFIG of a 4K queue", SPIRQ_H_SUCCESS,
                 SPIRQ_H_INT_SET_QUEUE_CONFIG, SPIRQ_XIVE_END_ALWAYS_NOTIFY, 1, PRIO, Q1, 12);
    s[1].kernel_differs[i] = true;
    s[1].want_kernel[i] = (uint64_t)SPIRQ_H_HARDWARE;
    s[1].why[i] = "Linux's xive-native takes 64K queues only (EINVAL), "
                  "and spirq answers H_HARDWARE as QEMU does";
    /* its own queue, then H_INT_SET_SOURCE_CONFIG to itself */
    xs_set_queue(&s[1], "vCPU 1: H_INT_SET_QUEUE_CONFIG of its own queue", SPIRQ_H_SUCCESS,
                 1, Q1);
    xs_cppr(&s[1], 0xff);
    xs_route(&s[1], "vCPU 1: H_INT_SET_SOURCE_CONFIG(0x1200 -> vCPU 1)", 1);
    xs_step(&s[1], 2);
    xs_take(&s[1], "vCPU 1 takes it in its queue: ACK", Q1, 0, 1);
    /* vCPU 0: nothing came; the source back to it */
    xs_ack(&s[2], "vCPU 0 while the source was on vCPU 1: nothing to ACK", 0x00ff);
    xs_entry(&s[2], "vCPU 0's queue: no entry", 0, Q0, 1);
    xs_route(&s[2], "vCPU 0: H_INT_SET_SOURCE_CONFIG(0x1200 -> vCPU 0)", 0);
    xs_step(&s[2], 3);
    xs_take(&s[2], "vCPU 0 takes it: ACK", Q0, 1, 1);
    /* vCPU 1: nothing more */
    xs_ack(&s[3], "vCPU 1 after the move back: nothing to ACK", 0x00ff);
    xs_entry(&s[3], "vCPU 1's queue: no second entry", 0, Q1, 1);
}

static void test_retarget(struct env *e, bool kernel, struct script s[RT_RUNS],
                          uint64_t res[RT_RUNS][XS_MAX][XS_WORDS])
{
    static const unsigned cpus[RT_RUNS] = { 0, 1, 0, 1 };
    struct xrun r = { .step = raise_step, .plan = &rt_plan };

    rt_scripts(s);
    memset(res, 0, RT_RUNS * sizeof(res[0]));
    if (xr_start(&r, e, kernel, rt_plan.name))
        run_scripts(&r, RT_RUNS, cpus, s, res, NULL);
    xr_end(&r);
}

static void test_retarget_differential(struct env *e)
{
    static uint64_t kernel[RT_RUNS][XS_MAX][XS_WORDS], emulated[RT_RUNS][XS_MAX][XS_WORDS];
    struct script s[RT_RUNS];
    unsigned i;

    test_retarget(e, true, s, kernel);
    test_retarget(e, false, s, emulated);
    for (i = 0; i < RT_RUNS; i++)
        xr_compare(e, "xive retarget guest", &s[i], (const uint64_t (*)[XS_WORDS])kernel[i],
                   (const uint64_t (*)[XS_WORDS])emulated[i]);
}

/* ---- 3. hot-plug: vCPU 1 plugged into the running machine ------------------------------- */

#define HP_RUNS 2

static const struct raise_plan hp_plan = {
    "xive hotplug",
    { NULL, "00001200 MSI P-    00001200   0/6", "00001200 MSI P-    00001200   1/6", NULL },
};

static void hp_scripts(struct script s[HP_RUNS])
{
    xs_init(&s[0]);
    xs_init(&s[1]);
    xs_setup(&s[0], 0, Q0, 1);
    xs_set_queue(&s[0], "H_INT_SET_QUEUE_CONFIG for vCPU 1, not plugged yet: H_P2", SPIRQ_H_P2,
                 1, Q1);
    xs_cppr(&s[0], 0xff);
    xs_step(&s[0], 1);
    xs_take(&s[0], "vCPU 0 takes it: ACK", Q0, 0, 1);
    xs_set_queue(&s[1], "plugged vCPU 1: H_INT_SET_QUEUE_CONFIG of its queue", SPIRQ_H_SUCCESS,
                 1, Q1);
    xs_cppr(&s[1], 0xff);
    xs_route(&s[1], "plugged vCPU 1: H_INT_SET_SOURCE_CONFIG(0x1200 -> vCPU 1)", 1);
    xs_step(&s[1], 2);
    xs_take(&s[1], "plugged vCPU 1 takes it in its queue: ACK", Q1, 0, 1);
    xs_ack(&s[1], "nothing more to ACK", 0x00ff);
}

/* Between the runs: vCPU 1 plugged (connected to the kernel's device) */
static void hp_plug(struct xrun *r, unsigned after)
{
    spirq_error err = { 0 };
    uint64_t vp[2] = { 0, 0 };
    int ret;

    if (after != 0)
        return;
    /* created now, as a VMM creates a hot-plugged vCPU, in PAPR mode */
    r->e->vcpu[1] = vmm_vcpu_create(r->e->vm, 1);
    if (!kvm_check(r->e->checks, r->e->vcpu[1] != NULL,
                   "xive hotplug (%s): vCPU 1 created in the running VM (KVM_CREATE_VCPU, "
                   "KVM_CAP_PPC_PAPR)", backend_name(r->kernel)))
        return;
    ret = spirq_cpu_plug(r->m, 1, &err);
    kvm_check(r->e->checks, ret == 0, "xive hotplug (%s): vCPU 1 plugged%s%s",
              backend_name(r->kernel), ret ? ": " : "", ret ? err.message : "");
    if (r->kernel) {
        ret = vmm_get_one_reg(r->e->vcpu[1], SPIRQ_KVM_REG_PPC_VP_STATE, vp);
        kvm_check(r->e->checks, ret == 0,
                  "xive hotplug (in-kernel): vCPU 1 connected with KVM_CAP_PPC_IRQ_XIVE, "
                  "VP_STATE 0x%016llx (%d)", (unsigned long long)vp[0], ret);
    }
    xr_pic(r, hp_plan.name, "CPU[0001]:   OS");
}

static void test_hotplug(struct env *e, bool kernel, struct script s[HP_RUNS],
                         uint64_t res[HP_RUNS][XS_MAX][XS_WORDS])
{
    static const unsigned cpus[HP_RUNS] = { 0, 1 };
    struct xrun r = { .step = raise_step, .plan = &hp_plan };

    hp_scripts(s);
    memset(res, 0, HP_RUNS * sizeof(res[0]));
    e->smp = "1,maxcpus=2";
    e->boot_vcpus = 1;
    if (xr_start(&r, e, kernel, hp_plan.name)) {
        kvm_check(e->checks, !show_pic_has(e, r.m, "CPU[0001]"),
                  "xive hotplug (%s): 1 of 2 vCPUs: no vCPU 1 in info pic", backend_name(kernel));
        run_scripts(&r, HP_RUNS, cpus, s, res, hp_plug);
    }
    xr_end(&r);
    e->smp = NULL;
    e->boot_vcpus = 0;
}

static void test_hotplug_differential(struct env *e)
{
    static uint64_t kernel[HP_RUNS][XS_MAX][XS_WORDS], emulated[HP_RUNS][XS_MAX][XS_WORDS];
    struct script s[HP_RUNS];
    unsigned i;

    test_hotplug(e, true, s, kernel);
    test_hotplug(e, false, s, emulated);
    for (i = 0; i < HP_RUNS; i++)
        xr_compare(e, "xive hotplug", &s[i], (const uint64_t (*)[XS_WORDS])kernel[i],
                   (const uint64_t (*)[XS_WORDS])emulated[i]);
}

/* ---- 4. H_INT_RESET, then the guest sets up again ------------------------------------------ */

static const struct raise_plan reset_plan = {
    "xive reset",
    { NULL, "00001200 MSI P-    00001200   0/6", "00001200 MSI -Q  M 00000000",
      "00001200 MSI P-    00001200   0/6" },
};

static void reset_script(struct script *s)
{
    unsigned i;

    xs_init(s);
    xs_setup(s, 0, Q0, 1);
    xs_cppr(s, 0xff);
    xs_step(s, 1);
    xs_take(s, "before the reset, taken: ACK", Q0, 0, 1);
    xs_hcall(s, "H_INT_RESET", SPIRQ_H_SUCCESS, SPIRQ_H_INT_RESET, 0, 0, 0, 0, 0);
    i = xs_hcall(s, "H_INT_GET_SOURCE_CONFIG after the reset", SPIRQ_H_SUCCESS,
                 SPIRQ_H_INT_GET_SOURCE_CONFIG, 0, LISN, 0, 0, 0);
    s->outs[i] = 3;     /* target, priority, EISN */
    i = xs_hcall(s, "H_INT_GET_QUEUE_CONFIG after the reset", SPIRQ_H_SUCCESS,
                 SPIRQ_H_INT_GET_QUEUE_CONFIG, 0, 0, PRIO, 0, 0);
    s->outs[i] = 3;     /* flags, queue page, size */
    xs_step(s, 2);
    xs_ack(s, "raised after the reset (masked): nothing to ACK", 0x00ff);
    xs_entry(s, "the old queue: no entry", 0, Q0, 1);
    /* PQ 01 (off) since the reset: the trigger while masked was dropped */
    xs_setup(s, 0, Q2, 1);
    xs_cppr(s, 0xff);
    xs_step(s, 3);
    xs_take(s, "set up again, taken in the new queue: ACK", Q2, 0, 1);
    xs_ack(s, "nothing more to ACK", 0x00ff);
    xs_entry(s, "the old queue: still no entry", 0, Q0, 1);
}

static void test_reset(struct env *e, bool kernel, struct script *s,
                       uint64_t res[XS_MAX][XS_WORDS])
{
    static const unsigned cpus[1] = { 0 };
    struct xrun r = { .step = raise_step, .plan = &reset_plan };

    reset_script(s);
    memset(res, 0, sizeof(r.res));
    if (xr_start(&r, e, kernel, reset_plan.name))
        run_scripts(&r, 1, cpus, s, (uint64_t (*)[XS_MAX][XS_WORDS])res, NULL);
    xr_end(&r);
}

static void test_reset_differential(struct env *e)
{
    static uint64_t kernel[XS_MAX][XS_WORDS], emulated[XS_MAX][XS_WORDS];
    struct script s;

    test_reset(e, true, &s, kernel);
    test_reset(e, false, &s, emulated);
    xr_compare(e, "xive reset", &s, (const uint64_t (*)[XS_WORDS])kernel,
               (const uint64_t (*)[XS_WORDS])emulated);
}

/* a scenario, and the time it took in the L1 (check-kvm's budget) */
static void timed(struct env *e, const char *name, void (*test)(struct env *e))
{
    struct timespec t0, t1;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    test(e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    kvm_info("%s: %.2f s", name,
             (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
}

int main(void)
{
    struct kvm_checks checks = { 0, 0 };
    static struct env e;

    /* the thread rings a guest does not use, and the IPIs nobody set up */
    static const char *const pic_skip[] = {
        "USER", "POOL", "PHYS", "00000000 MSI -Q  M 00000000", "00000001 MSI -Q  M 00000000",
        NULL,
    };

    e.vcpu1_fd = -1;
    e.pic_skip = pic_skip;
    e.checks = &checks;
    e.host = vmm_host_type();
    kvm_info("host: %s", vmm_host_name(e.host));
    if (e.host != VMM_HOST_POWERNV) {
        kvm_info("no in-kernel XIVE on this host: nothing to run");
        return kvm_checks_end(&checks);
    }
    timed(&e, "migration", test_migrations);
    timed(&e, "retarget", test_retarget_differential);
    timed(&e, "hotplug", test_hotplug_differential);
    timed(&e, "reset", test_reset_differential);
    return kvm_checks_end(&checks);
}
