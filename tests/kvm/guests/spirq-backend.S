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

#define XIRR_EOI(off)                                   \
    HCALL(H_XIRR);                                      \
    std     %r3, VMM_GUEST_DATA + (off)(0);             \
    std     %r4, VMM_GUEST_DATA + (off) + 8(0);         \
    HCALL(H_EOI);                                       \
    std     %r3, VMM_GUEST_DATA + (off) + 16(0)

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

    HCALL(H_XIRR)
    std     %r3, VMM_GUEST_DATA + 0x50(0)
    std     %r4, VMM_GUEST_DATA + 0x58(0)

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
