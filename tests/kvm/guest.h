/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the L2 guests of tests/kvm/guests/ (assembly) and the test VMM
 * (tests/kvm/vmm.c) agree on: the guest memory map, the private hcalls,
 * and the PAPR hcall numbers the guests use.  Plain #defines, for C and
 * for assembly alike.  tests/kvm/abi-check.c checks the PAPR numbers
 * against include/spirq/papr.h.
 */
#ifndef SPIRQ_TESTS_KVM_GUEST_H
#define SPIRQ_TESTS_KVM_GUEST_H

/* ---- memory map (guest physical; the guest runs in real mode) ------- */
#define VMM_TRAP_STUBS        0x0         /* 0x20-byte stubs up to 0x1000 */
#define VMM_GUEST_DATA        0x1000      /* results; D-form reach */
#define VMM_MAILBOX_CODE      0x1ff0      /* exit code, before an MMIO exit */
#define VMM_MAILBOX_TRAP      0x1ff8      /* vector, written by a trap stub */
#define VMM_GUEST_STACK       0x8000      /* r1 at entry */
#define VMM_GUEST_LOAD        0x10000     /* where a guest's code goes */
/* outside every memslot: a store there is a KVM_EXIT_MMIO */
#define VMM_MMIO_BASE         0x40000000
#define VMM_MMIO_EXIT         (VMM_MMIO_BASE + 0x0)
#define VMM_MMIO_TRAP         (VMM_MMIO_BASE + 0x4)

/*
 * ---- private hcalls ----------------------------------------------------
 * Above every PAPR number and QEMU's KVMPPC_H_* (0xf000-0xf005), so that
 * KVM hands them to the VMM.  Measured on Linux 6.1 under both L1s: 0xf7fc
 * and below come out as KVM_EXIT_PAPR_HCALL, while 0xf800 and 0xf804 are
 * answered H_FUNCTION by the kernel and never reach userspace.
 */
#define VMM_H_EXIT            0xf100      /* r4: exit code; never returns */
#define VMM_H_STEP            0xf104      /* r4: step number, for the test */

/* ---- PAPR hcalls (return code in r3, outputs from r4) ---------------- */
#define H_SUCCESS             0
#define H_EOI                 0x64
#define H_CPPR                0x68
#define H_IPI                 0x6c
#define H_IPOLL               0x70
#define H_XIRR                0x74

#ifdef __ASSEMBLER__
/*
 * GUEST_EXIT code: end the guest.  The hcall first; should it come back
 * (nobody took it), the code goes to the mailbox and a store to
 * VMM_MMIO_EXIT ends the run through KVM_EXIT_MMIO.  Uses r3, r4, r31.
 */
#define GUEST_EXIT(code)                                \
    LOADI(%r4, code);                                   \
    LOADI(%r3, VMM_H_EXIT);                             \
    sc      1;                                          \
    LOADI(%r4, code);                                   \
    std     %r4, VMM_MAILBOX_CODE(0);                   \
    lis     %r31, VMM_MMIO_BASE@h;                      \
    stw     %r4, 0(%r31);                               \
    b       .

/* LOADI reg, value: any 32-bit unsigned value into reg */
#define LOADI(reg, value)                               \
    lis     reg, ((value) >> 16) & 0xffff;              \
    ori     reg, reg, (value) & 0xffff

/* HCALL nr: the hcall nr with the arguments already in r4..., r3 = rc */
#define HCALL(nr)                                       \
    LOADI(%r3, nr);                                     \
    sc      1

/* XIRR off: H_XIRR, its rc at VMM_GUEST_DATA + off, the xirr at + 8 */
#define XIRR(off)                                       \
    HCALL(H_XIRR);                                      \
    std     %r3, VMM_GUEST_DATA + (off)(0);             \
    std     %r4, VMM_GUEST_DATA + (off) + 8(0)

/* XIRR_EOI off: XIRR off, then H_EOI of that xirr (still in r4), its rc
   at VMM_GUEST_DATA + off + 16 */
#define XIRR_EOI(off)                                   \
    XIRR(off);                                          \
    HCALL(H_EOI);                                       \
    std     %r3, VMM_GUEST_DATA + (off) + 16(0)

/* GUEST_BEGIN name / GUEST_END name: a guest's code between two symbols
   (name_start, name_end) in .rodata: the test copies it to guest RAM. */
#define GUEST_BEGIN(name)                               \
    .section .rodata.guest_##name, "a";                 \
    .balign 4;                                          \
    .globl name##_start;                                \
name##_start:
#define GUEST_END(name)                                 \
    .globl name##_end;                                  \
name##_end:                                             \
    .section .note.GNU-stack, "", @progbits
#endif

#endif /* SPIRQ_TESTS_KVM_GUEST_H */
