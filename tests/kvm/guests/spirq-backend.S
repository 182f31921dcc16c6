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
