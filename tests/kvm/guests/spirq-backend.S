/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * L2 guest of tests/kvm/spirq-backend.c: XICS traffic while its VMM moves
 * the interrupt state between libspirq's in-kernel backend and its
 * emulated one, as a migration does, between two of the guest's hcalls.
 *
 *   H_CPPR(0xff)
 *   STEP 1   the VMM raises 0x1200 (in the kernel)
 *   H_XIRR, H_EOI                          answered by the kernel
 *   STEP 2   the VMM raises 0x1200, then moves kernel -> emulated
 *   H_XIRR, H_EOI                          answered by spirq (emulated)
 *   STEP 3   the VMM raises 0x1200, then moves emulated -> kernel
 *   H_XIRR, H_EOI                          answered by the kernel
 *   H_XIRR                                 nothing left
 *
 * Results (u64 at VMM_GUEST_DATA): +0x00 H_CPPR rc; for each of the four
 * H_XIRR n (0..3) rc at +0x08 + 0x18 n, xirr at +0x10 + 0x18 n, and the
 * H_EOI rc that follows at +0x18 + 0x18 n.  Exit code 0x600d.
 */
#include "guest.h"

GUEST_BEGIN(spirq_backend_guest)
    li      %r4, 0xff
    HCALL(H_CPPR)
    std     %r3, VMM_GUEST_DATA + 0x00(0)

    li      %r4, 1
    HCALL(VMM_H_STEP)
    XIRR_EOI(0x08)

    li      %r4, 2
    HCALL(VMM_H_STEP)
    XIRR_EOI(0x20)

    li      %r4, 3
    HCALL(VMM_H_STEP)
    XIRR_EOI(0x38)

    XIRR(0x50)

    GUEST_EXIT(0x600d)
GUEST_END(spirq_backend_guest)

/*
 * spirq_backend_ipi: two vCPUs, each entered with its server number in r3,
 * on the XICS device spirq created.  Results at VMM_GUEST_DATA + 0x200:
 *   vCPU 1: H_CPPR(0xff), flag +0x200 = 1, then H_XIRR until it returns
 *           the IPI (XISR 2; at most 200000 tries): xirr at +0x210;
 *           H_IPI(1, 0xff) to clear its MFRR, H_EOI: rc at +0x218.
 *           Exit 0x21 (0xdead21 without the IPI).
 *   vCPU 0: waits for the flag, H_IPI(1, 4): rc at +0x208.  Exit 0x20
 *           (0xdead20 when the flag never comes).
 * r20/r21 keep their values across the hcalls.
 */
GUEST_BEGIN(spirq_backend_ipi)
    cmpdi   %r3, 1
    beq     20f

    LOADI(%r20, 100000000)
10: ld      %r5, VMM_GUEST_DATA + 0x200(0)
    cmpdi   %r5, 1
    beq     11f
    addi    %r20, %r20, -1
    cmpdi   %r20, 0
    bne     10b
    GUEST_EXIT(0xdead20)
11: li      %r4, 1
    li      %r5, 4
    HCALL(H_IPI)
    std     %r3, VMM_GUEST_DATA + 0x208(0)
    GUEST_EXIT(0x20)

20: li      %r4, 0xff
    HCALL(H_CPPR)
    li      %r5, 1
    std     %r5, VMM_GUEST_DATA + 0x200(0)
    sync
    LOADI(%r20, 200000)
21: HCALL(H_XIRR)
    clrldi  %r6, %r4, 40
    cmpdi   %r6, 2
    beq     22f
    addi    %r20, %r20, -1
    cmpdi   %r20, 0
    bne     21b
    GUEST_EXIT(0xdead21)
22: std     %r4, VMM_GUEST_DATA + 0x210(0)
    mr      %r21, %r4
    li      %r4, 1
    li      %r5, 0xff
    HCALL(H_IPI)
    mr      %r4, %r21
    HCALL(H_EOI)
    std     %r3, VMM_GUEST_DATA + 0x218(0)
    GUEST_EXIT(0x21)
GUEST_END(spirq_backend_ipi)

/*
 * spirq_backend_lines: an LSI and RTAS masking, on the kernel's XICS with
 * spirq writing the sources.  Results (u64) at VMM_GUEST_DATA + 0x300:
 *   STEP 1   the VMM asserts LSI 0x1201
 *   +0x300   H_XIRR (the LSI)
 *            H_EOI while still asserted
 *   +0x308   H_XIRR (the LSI again: a level)
 *   STEP 2   the VMM deasserts it
 *            H_EOI
 *   +0x310   H_XIRR (nothing)
 *   STEP 3   the VMM masks MSI 0x1200 (ibm,int-off), then raises it
 *   +0x318   H_XIRR (nothing: masked)
 *   STEP 4   the VMM unmasks it (ibm,int-on)
 *   +0x320   H_XIRR (the MSI, kept while masked)
 *            H_EOI
 *   +0x328   H_XIRR (nothing)
 * Exit 0x600d.
 */
#define XIRR_AT(off)                                    \
    HCALL(H_XIRR);                                      \
    std     %r4, VMM_GUEST_DATA + (off)(0)

#define STEP(n)                                         \
    li      %r4, n;                                     \
    HCALL(VMM_H_STEP)

GUEST_BEGIN(spirq_backend_lines)
    li      %r4, 0xff
    HCALL(H_CPPR)
    STEP(1)
    XIRR_AT(0x300)
    HCALL(H_EOI)
    XIRR_AT(0x308)
    mr      %r21, %r4
    STEP(2)
    mr      %r4, %r21
    HCALL(H_EOI)
    XIRR_AT(0x310)
    STEP(3)
    XIRR_AT(0x318)
    STEP(4)
    XIRR_AT(0x320)
    HCALL(H_EOI)
    XIRR_AT(0x328)
    GUEST_EXIT(0x600d)
GUEST_END(spirq_backend_lines)

/*
 * spirq_backend_xive: XIVE driven by the guest itself, as Linux does, on
 * spirq's in-kernel XIVE device (powernv L1).  r3 at entry: the guest
 * physical address of the TIMA's OS page.  The ESB and TIMA pages are
 * device pages the VMM mapped with memslots; the guest runs in real mode
 * or translated, as the VMM starts it (see tests/kvm/spirq-backend.c).
 * +0x460 holds its MSR at entry.  Big-endian
 * registers are read with byte-reversed loads; TIMA loads are 2 bytes
 * (ACK) and ESB loads 8 bytes, as Linux does.  Results (u64) at
 * VMM_GUEST_DATA + 0x400:
 *   +0x400 H_INT_GET_SOURCE_INFO(0x1200) rc, +0x408 its EOI page,
 *   +0x410 its trigger page, +0x418 its ESB shift
 *   +0x420 H_INT_SET_QUEUE_CONFIG(ALWAYS_NOTIFY, server 0, priority 6,
 *          0x100000, 64K) rc
 *   +0x428 H_INT_SET_SOURCE_CONFIG(0x1200 -> 0/6, EISN 0x1200) rc
 *   +0x430 ESB load SET_PQ_00 (old PQ)
 *          TIMA: CPPR 0xff (byte store at 0x11)
 *   STEP 1   the VMM raises 0x1200
 *   +0x438 TIMA load ACK_OS_REG (0x810, 2 bytes): NSR << 8 | CPPR
 *   +0x440 the queue's first entry (u32)
 *   +0x448 ESB load EOI (0x000)
 *   +0x450 ESB load GET (0x800): PQ after the EOI
 *          TIMA: CPPR 0xff again
 *   +0x458 TIMA load ACK_OS_REG: nothing
 * Exit 0x600d.
 */
#define XIVE_DATA(off, reg)                             \
    std     reg, VMM_GUEST_DATA + (off)(0)

GUEST_BEGIN(spirq_backend_xive)
    mr      %r21, %r3                   /* TIMA OS page */
    mfmsr   %r10
    XIVE_DATA(0x460, %r10)
    li      %r4, 0
    li      %r5, 0x1200
    HCALL(0x3a8)                        /* H_INT_GET_SOURCE_INFO */
    XIVE_DATA(0x400, %r3)
    XIVE_DATA(0x408, %r5)
    XIVE_DATA(0x410, %r6)
    XIVE_DATA(0x418, %r7)
    mr      %r20, %r5                   /* EOI page */

    li      %r4, 1                      /* ALWAYS_NOTIFY, as Linux */
    li      %r5, 0
    li      %r6, 6
    lis     %r7, 0x10                   /* the queue: 0x100000 */
    li      %r8, 16
    HCALL(0x3b8)                        /* H_INT_SET_QUEUE_CONFIG */
    XIVE_DATA(0x420, %r3)

    li      %r4, 2                      /* SET_EISN */
    li      %r5, 0x1200
    li      %r6, 0
    li      %r7, 6
    li      %r8, 0x1200
    HCALL(0x3ac)                        /* H_INT_SET_SOURCE_CONFIG */
    XIVE_DATA(0x428, %r3)

    addi    %r9, %r20, 0xc00            /* SET_PQ_00 */
    sync
    ldbrx   %r10, 0, %r9
    XIVE_DATA(0x430, %r10)

    li      %r9, 0xff                   /* CPPR */
    stb     %r9, 0x11(%r21)
    sync

    STEP(1)

    addi    %r9, %r21, 0x810            /* ACK_OS_REG */
    sync
    lhbrx   %r10, 0, %r9
    XIVE_DATA(0x438, %r10)
    lis     %r9, 0x10
    lwbrx   %r10, 0, %r9
    XIVE_DATA(0x440, %r10)
    sync
    ldbrx   %r10, 0, %r20               /* EOI */
    XIVE_DATA(0x448, %r10)
    addi    %r9, %r20, 0x800            /* GET */
    sync
    ldbrx   %r10, 0, %r9
    XIVE_DATA(0x450, %r10)
    li      %r9, 0xff
    stb     %r9, 0x11(%r21)
    sync
    addi    %r9, %r21, 0x810
    lhbrx   %r10, 0, %r9
    XIVE_DATA(0x458, %r10)
    GUEST_EXIT(0x600d)
GUEST_END(spirq_backend_xive)

/*
 * spirq_backend_retarget: one step of RTAS retargeting, run on the vCPU
 * the test chooses, the step number n (0..7) at VMM_GUEST_DATA + 0x4f8
 * (not in r3: KVM_RUN writes the last hcall's results to r3-r12 when a
 * vCPU that exited at an hcall runs again).  H_CPPR(0xff), then
 * STEP n (the VMM may retarget and raise 0x1200), then H_XIRR: its value
 * at VMM_GUEST_DATA + 0x500 + 8 n, and H_EOI when it holds a source.
 * Exit 0x600d.
 */
GUEST_BEGIN(spirq_backend_retarget)
    ld      %r22, VMM_GUEST_DATA + 0x4f8(0)
    li      %r4, 0xff
    HCALL(H_CPPR)
    mr      %r4, %r22
    HCALL(VMM_H_STEP)
    HCALL(H_XIRR)
    sldi    %r6, %r22, 3
    addi    %r6, %r6, VMM_GUEST_DATA + 0x500
    stdx    %r4, 0, %r6
    clrldi  %r6, %r4, 40
    cmpdi   %r6, 0
    beq     1f
    HCALL(H_EOI)
1:  GUEST_EXIT(0x600d)
GUEST_END(spirq_backend_retarget)
