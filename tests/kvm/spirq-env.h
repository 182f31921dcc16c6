/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the check-kvm programs that embed libspirq share (spirq-backend,
 * spirq-xive): the embedder's callbacks over the test VMM (vmm.h), a
 * spirq machine on a fresh VM with the in-kernel backend (the VM fd given)
 * or the emulated one (none given), info pic captured and quoted, the
 * hcalls and XIVE MMIO exits a VMM without in-kernel irqchip hands to
 * spirq, the device pages a VMM with one maps into the guest, and the
 * differential's comparison of two runs.
 */
#ifndef SPIRQ_TESTS_KVM_SPIRQ_ENV_H
#define SPIRQ_TESTS_KVM_SPIRQ_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <spirq/spirq.h>

#include "check.h"
#include "vmm.h"

#define RAM_SIZE	(256u << 20)
#define NR_VCPUS	2

struct env {
    struct kvm_checks *checks;
    enum vmm_host host;
    struct vmm *vm;
    struct vmm_vcpu *vcpu[NR_VCPUS];
    unsigned nwarn;
    char warn[8][256];
    char pic[64 * 1024];
    size_t piclen;
    const char *smp;            /* -smp, default "2" */
    unsigned boot_vcpus;        /* vCPUs env_vm() creates (0: NR_VCPUS);
                                   the others are the test's to create */
    int vcpu1_fd;               /* >= 0: vCPU 1's fd (not the VMM's) */
    unsigned cpu_irq_changes;   /* emulated backend: set_cpu_irq calls */
    int cpu_irq_error;          /* ... the first KVM_INTERRUPT errno */
    const char *const *pic_skip; /* NULL-ended: info pic lines not quoted */
};

/* a fresh VM with e->boot_vcpus (or NR_VCPUS) vCPUs (false: none, e->vm
   NULL after env_end) */
bool env_vm(struct env *e);
void env_end(struct env *e);
/* the number of open fds of the process */
unsigned open_fds(void);
/* a warning spirq logged since env_vm() contains @text */
bool warned(const struct env *e, const char *text);

/*
 * A spirq machine for "-M @m_opt -accel kvm -smp (e->smp or 2) -m 256M" on
 * e->vm: with_kvm gives spirq the VM and vCPU fds (the in-kernel backend
 * where the plan says so); without, spirq's set_cpu_irq goes to the vCPU
 * as KVM_INTERRUPT.  0 or spirq's error.
 */
int machine(struct env *e, const char *m_opt, bool with_kvm,
            spirq_machine **out, spirq_error *err);
/*
 * Machine @m, whose state moves to another: its stream saved into a new
 * *buf of *len bytes (free() it), then @m destroyed and the external
 * interrupt line of every vCPU lowered, as a VMM does when the controller
 * that drove the lines through KVM_INTERRUPT goes away (a kernel device
 * drives them itself after the move).  0 or spirq_save()'s error.
 */
int env_move_out(struct env *e, spirq_machine *m, uint8_t **buf,
                 size_t *len);

/* info pic, whole; quoted as information lines; one line looked for */
const char *info_pic(struct env *e, spirq_machine *m);
void show_pic(struct env *e, spirq_machine *m);
bool pic_has(struct env *e, spirq_machine *m, const char *line);
/* info pic once (on the in-kernel backend each one syncs from the
   kernel): quoted, and whether it holds @line */
bool show_pic_has(struct env *e, spirq_machine *m, const char *line);
/* info pic's last line is "irqchip: @what" */
bool irqchip_is(struct env *e, spirq_machine *m, const char *what);

/* an RTAS call from vCPU 0: its status, -99 when spirq refused it */
int32_t rtas(spirq_machine *m, uint32_t token, uint32_t nargs,
             const uint32_t *args);
/* an hcall from vCPU 0 made by the VMM: its return code */
int64_t hcall(spirq_machine *m, uint64_t op, uint64_t *rets, uint64_t a0,
              uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

/* a guest's hcall answered by spirq, for the vCPU that made it */
enum vmm_hook_result spirq_answers(spirq_machine *m, struct vmm_vcpu *vcpu,
                                   struct kvm_run *run);
/*
 * A guest's access to the ESB or TIMA window as an MMIO exit (no memslot
 * there: the emulated backend), answered by spirq.  UNHANDLED outside the
 * windows; *rc gets spirq's error when it is the first.
 */
enum vmm_hook_result spirq_mmio(spirq_machine *m, struct vmm_vcpu *vcpu,
                                struct kvm_run *run, int *rc);

/*
 * The in-kernel backend's @region (spirq_kvm_mmio_region) mmap'd and
 * given to the guest at @gpa as a memslot: the mapping (*len bytes, its
 * slot in *slot), NULL when any step failed.
 */
void *map_region(struct env *e, spirq_machine *m, spirq_region region,
                 uint64_t gpa, uint64_t *len, int *slot);
/* the memslot taken away and the mapping undone (NULL: nothing) */
void unmap_region(struct env *e, void *p, uint64_t len, int slot);

/* a value where the in-kernel and emulated runs differ, and why */
struct expected_diff {
    enum vmm_host host;
    const char *guest;
    unsigned off;
    uint64_t kernel, emulated;
    const char *why;
};

/*
 * One check line per value a guest stored at @base + 8 i, in its order:
 * equal on both runs, or exactly the pair @diffs expects.
 */
void compare_runs(struct env *e, const char *guest, unsigned base, unsigned n,
                  const char *const what[], const uint64_t kernel[],
                  const uint64_t emulated[], const struct expected_diff *diffs,
                  unsigned ndiffs);

#endif /* SPIRQ_TESTS_KVM_SPIRQ_ENV_H */
