/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * L2 guest of tests/kvm/probe.c: the XICS presentation path through the
 * in-kernel device, as Linux's XICS driver uses it.
 *
 *   H_CPPR(0xff)               accept every priority
 *   VMM_H_STEP(1)              the test raises source 0x1200 (KVM_IRQ_LINE)
 *   H_XIRR                     accept it: 0xff001200 expected
 *   H_EOI(that xirr)           end it, CPPR back to 0xff
 *   H_XIRR                     nothing left: 0xff000000 expected
 *
 * Results (u64, guest physical): DATA+0x00 H_CPPR's rc, +0x08/+0x10 the
 * first H_XIRR's rc/xirr, +0x18 H_EOI's rc, +0x20/+0x28 the second
 * H_XIRR's rc/xirr.  Exit code 0x600d when it got to the end.
 */
#include "guest.h"

GUEST_BEGIN(probe_guest)
    li      %r4, 0xff
    HCALL(H_CPPR)
    std     %r3, VMM_GUEST_DATA + 0x00(0)

    li      %r4, 1
    HCALL(VMM_H_STEP)

    XIRR_EOI(0x08)
    XIRR(0x20)

    GUEST_EXIT(0x600d)
GUEST_END(probe_guest)

/*
 * The VMM's two other ways out, which every guest relies on.
 * probe_mmio_exit: the fallback exit alone (code 0x77 through the mailbox
 * and a store to VMM_MMIO_EXIT).
 * probe_trap: a trap instruction: the program interrupt lands, in
 * little-endian (LPCR[ILE]), in the stub at 0x700, which reports it.
 */
GUEST_BEGIN(probe_mmio_exit)
    li      %r4, 0x77
    std     %r4, VMM_MAILBOX_CODE(0)
    lis     %r31, VMM_MMIO_BASE@h
    stw     %r4, 0(%r31)
    b       .
GUEST_END(probe_mmio_exit)

GUEST_BEGIN(probe_trap)
    trap
    GUEST_EXIT(0xbad)
GUEST_END(probe_trap)

/* probe_stuck: never exits; the run must end at its timeout */
GUEST_BEGIN(probe_stuck)
    b       .
GUEST_END(probe_stuck)

/*
 * probe_ipi: two vCPUs, each entered with its server number in r3.
 *   vCPU 1: H_CPPR(0xff), then raises the flag at DATA+0x100 and polls
 *           H_XIRR (at most 100000 times) until the IPI (XISR 2) comes;
 *           stores that xirr (+0x110) and the polls left (+0x118), clears
 *           its MFRR with H_IPI(1, 0xff), H_EOI(xirr) (rc at +0x120).
 *           Exit 0x11, or 0xdead1 when no IPI came.
 *   vCPU 0: waits for the flag, then H_IPI(1, 5) (rc at +0x108).
 *           Exit 0x10, or 0xdead0 when the flag never rose.
 * r20 and r21 survive the hcalls (r3-r12 do not).
 */
GUEST_BEGIN(probe_ipi)
    cmpdi   %r3, 0
    bne     10f

    LOADI(%r20, 100000000)
1:  ld      %r6, VMM_GUEST_DATA + 0x100(0)
    cmpdi   %r6, 1
    beq     2f
    addi    %r20, %r20, -1
    cmpdi   %r20, 0
    bne     1b
    GUEST_EXIT(0xdead0)
2:  li      %r4, 1
    li      %r5, 5
    HCALL(H_IPI)
    std     %r3, VMM_GUEST_DATA + 0x108(0)
    GUEST_EXIT(0x10)

10: li      %r4, 0xff
    HCALL(H_CPPR)
    li      %r6, 1
    std     %r6, VMM_GUEST_DATA + 0x100(0)
    sync
    LOADI(%r20, 100000)
11: HCALL(H_XIRR)
    rlwinm  %r7, %r4, 0, 8, 31
    cmpdi   %r7, 2
    beq     12f
    addi    %r20, %r20, -1
    cmpdi   %r20, 0
    bne     11b
    GUEST_EXIT(0xdead1)
12: std     %r4, VMM_GUEST_DATA + 0x110(0)
    std     %r20, VMM_GUEST_DATA + 0x118(0)
    mr      %r21, %r4
    li      %r4, 1
    li      %r5, 0xff
    HCALL(H_IPI)
    mr      %r4, %r21
    HCALL(H_EOI)
    std     %r3, VMM_GUEST_DATA + 0x120(0)
    GUEST_EXIT(0x11)
GUEST_END(probe_ipi)
