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

    HCALL(H_XIRR)
    std     %r3, VMM_GUEST_DATA + 0x08(0)
    std     %r4, VMM_GUEST_DATA + 0x10(0)

    /* r4 still holds the xirr */
    HCALL(H_EOI)
    std     %r3, VMM_GUEST_DATA + 0x18(0)

    HCALL(H_XIRR)
    std     %r3, VMM_GUEST_DATA + 0x20(0)
    std     %r4, VMM_GUEST_DATA + 0x28(0)

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
