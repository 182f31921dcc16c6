/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * L2 guest of tests/kvm/spirq-xive.c: a XIVE guest whose steps the test
 * writes in guest memory, so that each scenario (migration in the middle
 * of traffic, retargeting to another vCPU, hot-plug, H_INT_RESET) is a
 * table in C while the accesses themselves are the guest's, as Linux makes
 * them: hcalls with sc 1, byte-reversed loads and stores to the ESB and
 * TIMA pages (big-endian registers; TIMA loads 2 bytes, ESB loads 8
 * bytes, CPPR a byte store), its event queue read from its own RAM.
 *
 * The script: XS_OPS, 64 bytes an operation, { op, a0 .. a6 } (u64, the
 * guest's little-endian order).  Each result: XS_RESULTS + 64 n, r3 ..
 * r10 after an hcall, the value at + 0 after a load or a step.  Nothing
 * is read from registers at entry: a vCPU that last exited at an hcall
 * gets that hcall's results in r3-r12 when it runs again.
 *
 *   XS_END      exit 0x600d
 *   XS_HCALL    hcall a0 with a1 .. a6 in r4 .. r9
 *   XS_LOAD64   ldbrx at a0 (an ESB management load)
 *   XS_LOAD16   lhbrx at a0 (TIMA ACK_OS_REG)
 *   XS_STORE8   stb a1 at a0 (TIMA CPPR)
 *   XS_STORE64  std a1 at a0 (an ESB trigger)
 *   XS_LOAD32   lwbrx at a0 (a queue entry, big-endian in RAM)
 *   XS_STEP     VMM_H_STEP a0: the test acts (raises, migrates, ...)
 *   XS_FILL     a2 times: a trigger store at a0, an EOI load at a1
 * r14-r17 and r29-r31 keep their values across the hcalls.
 */
#include "guest.h"

#define XS_OPS          0x2000
#define XS_RESULTS      0x4000

GUEST_BEGIN(spirq_xive_script)
    LOADI(%r30, XS_OPS)
    LOADI(%r29, XS_RESULTS)
1:  ld      %r14, 0(%r30)
    ld      %r15, 8(%r30)
    ld      %r16, 16(%r30)
    ld      %r17, 24(%r30)
    cmpdi   %r14, 0
    beq     90f
    cmpdi   %r14, 1
    beq     10f
    cmpdi   %r14, 2
    beq     20f
    cmpdi   %r14, 3
    beq     30f
    cmpdi   %r14, 4
    beq     40f
    cmpdi   %r14, 5
    beq     50f
    cmpdi   %r14, 6
    beq     60f
    cmpdi   %r14, 7
    beq     70f
    cmpdi   %r14, 8
    beq     85f
    GUEST_EXIT(0xbad0)

10: mr      %r3, %r15
    mr      %r4, %r16
    mr      %r5, %r17
    ld      %r6, 32(%r30)
    ld      %r7, 40(%r30)
    ld      %r8, 48(%r30)
    ld      %r9, 56(%r30)
    sc      1
    std     %r3, 0(%r29)
    std     %r4, 8(%r29)
    std     %r5, 16(%r29)
    std     %r6, 24(%r29)
    std     %r7, 32(%r29)
    std     %r8, 40(%r29)
    std     %r9, 48(%r29)
    std     %r10, 56(%r29)
    b       80f

20: sync
    ldbrx   %r10, 0, %r15
    sync
    std     %r10, 0(%r29)
    b       80f

30: sync
    lhbrx   %r10, 0, %r15
    sync
    std     %r10, 0(%r29)
    b       80f

40: sync
    stb     %r16, 0(%r15)
    sync
    b       80f

50: sync
    std     %r16, 0(%r15)
    sync
    b       80f

60: sync
    lwbrx   %r10, 0, %r15
    std     %r10, 0(%r29)
    b       80f

70: mr      %r4, %r15
    LOADI(%r3, VMM_H_STEP)
    sc      1
    std     %r3, 0(%r29)
    b       80f

85: cmpdi   %r17, 0
    beq     80f
    mtctr   %r17
86: sync
    std     %r15, 0(%r15)
    sync
    ldbrx   %r10, 0, %r16
    bdnz    86b

80: addi    %r30, %r30, 64
    addi    %r29, %r29, 64
    b       1b

90: GUEST_EXIT(0x600d)
GUEST_END(spirq_xive_script)
