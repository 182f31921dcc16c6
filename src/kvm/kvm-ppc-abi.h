/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The part of Linux KVM's user ABI that is specific to POWER (book3s HV):
 * capability numbers, device types, ONE_REG ids and the attribute layouts
 * of the in-kernel XICS and XIVE devices.  Constants and layouts only.
 *
 * Why a copy: libspirq is built on every host, and an x86-64 or s390x
 * <linux/kvm.h> has the generic ioctls but not <asm/kvm.h>'s POWER
 * definitions.  The names carry a SPIRQ_ prefix so that this header can sit
 * next to any architecture's kernel headers without a redefinition.
 *
 * The values are those of Linux 6.1's include/uapi/linux/kvm.h and
 * arch/powerpc/include/uapi/asm/kvm.h.  tests/kvm/abi-check.c, built only
 * for ppc64le (make check-kvm), checks every one of them against the
 * cross toolchain's kernel headers at compile time.
 *
 * The ioctl request numbers themselves (KVM_CREATE_DEVICE, ...) are not
 * here: their encoding differs between architectures, and only a POWER
 * build can talk to a POWER KVM.
 */
#ifndef SPIRQ_KVM_PPC_ABI_H
#define SPIRQ_KVM_PPC_ABI_H

#include <stdint.h>

/* ---- KVM_CREATE_VM machine type ---------------------------------------- */
#define SPIRQ_KVM_VM_PPC_HV                 1   /* book3s HV, not PR */

/* ---- capabilities (KVM_CHECK_EXTENSION, KVM_ENABLE_CAP) ----------------- */
#define SPIRQ_KVM_CAP_PPC_IRQ_LEVEL         58
#define SPIRQ_KVM_CAP_PPC_SMT               64
#define SPIRQ_KVM_CAP_PPC_PAPR              68  /* enable on each vCPU first */
#define SPIRQ_KVM_CAP_DEVICE_CTRL           89
#define SPIRQ_KVM_CAP_IRQ_XICS              92  /* args: XICS device fd, server */
#define SPIRQ_KVM_CAP_PPC_ENABLE_HCALL      104
#define SPIRQ_KVM_CAP_CHECK_EXTENSION_VM    105
#define SPIRQ_KVM_CAP_PPC_SMT_POSSIBLE      147
#define SPIRQ_KVM_CAP_PPC_NESTED_HV         160
#define SPIRQ_KVM_CAP_PPC_IRQ_XIVE          169 /* args: XIVE device fd, server */

/* ---- KVM_CREATE_DEVICE types ------------------------------------------- */
#define SPIRQ_KVM_DEV_TYPE_XICS             3
#define SPIRQ_KVM_DEV_TYPE_XIVE             9

/* ---- KVM_IRQ_LINE levels for a XICS source (struct kvm_irq_level) ------ */
#define SPIRQ_KVM_INTERRUPT_SET             0xffffffffu /* MSI: one event */
#define SPIRQ_KVM_INTERRUPT_UNSET           0xfffffffeu /* LSI: deassert */
#define SPIRQ_KVM_INTERRUPT_SET_LEVEL       0xfffffffdu /* LSI: assert */

/* ---- ONE_REG ids -------------------------------------------------------- */
#define SPIRQ_KVM_REG_PPC                   0x1000000000000000ULL
#define SPIRQ_KVM_REG_SIZE_U64              0x0030000000000000ULL
#define SPIRQ_KVM_REG_SIZE_U128             0x0040000000000000ULL

/* the XICS presenter of a vCPU, one u64 */
#define SPIRQ_KVM_REG_PPC_ICP_STATE \
    (SPIRQ_KVM_REG_PPC | SPIRQ_KVM_REG_SIZE_U64 | 0x8c)
#define SPIRQ_KVM_REG_PPC_ICP_CPPR_SHIFT    56
#define SPIRQ_KVM_REG_PPC_ICP_CPPR_MASK     0xffULL
#define SPIRQ_KVM_REG_PPC_ICP_XISR_SHIFT    32
#define SPIRQ_KVM_REG_PPC_ICP_XISR_MASK     0xffffffULL
#define SPIRQ_KVM_REG_PPC_ICP_MFRR_SHIFT    24
#define SPIRQ_KVM_REG_PPC_ICP_MFRR_MASK     0xffULL
#define SPIRQ_KVM_REG_PPC_ICP_PPRI_SHIFT    16
#define SPIRQ_KVM_REG_PPC_ICP_PPRI_MASK     0xffULL

/*
 * The XIVE thread context of a vCPU, two u64: word 0 is the raw
 * big-endian image of TIMA QW1 (OS ring) bytes 0-7, loaded as a native u64
 * (on a little-endian host the NSR is its least significant byte).
 */
#define SPIRQ_KVM_REG_PPC_VP_STATE \
    (SPIRQ_KVM_REG_PPC | SPIRQ_KVM_REG_SIZE_U128 | 0x8d)

#define SPIRQ_KVM_REG_PPC_LPCR_64 \
    (SPIRQ_KVM_REG_PPC | SPIRQ_KVM_REG_SIZE_U64 | 0xb5)

/* ---- XICS device attributes (KVM_DEV_TYPE_XICS) ------------------------- */
#define SPIRQ_KVM_DEV_XICS_GRP_SOURCES      1   /* attr: source number, u64 */
#define SPIRQ_KVM_DEV_XICS_GRP_CTRL         2
#define SPIRQ_KVM_DEV_XICS_NR_SERVERS       1   /* GRP_CTRL attr, u32 */

/* the u64 of a source */
#define SPIRQ_KVM_XICS_DESTINATION_SHIFT    0
#define SPIRQ_KVM_XICS_DESTINATION_MASK     0xffffffffULL
#define SPIRQ_KVM_XICS_PRIORITY_SHIFT       32
#define SPIRQ_KVM_XICS_PRIORITY_MASK        0xffULL
#define SPIRQ_KVM_XICS_LEVEL_SENSITIVE      (1ULL << 40)
#define SPIRQ_KVM_XICS_MASKED               (1ULL << 41)
#define SPIRQ_KVM_XICS_PENDING              (1ULL << 42)
#define SPIRQ_KVM_XICS_PRESENTED            (1ULL << 43)
#define SPIRQ_KVM_XICS_QUEUED               (1ULL << 44)

/* ---- XIVE native device attributes (KVM_DEV_TYPE_XIVE) ----------------- */
#define SPIRQ_KVM_DEV_XIVE_GRP_CTRL         1
#define SPIRQ_KVM_DEV_XIVE_RESET            1   /* GRP_CTRL attrs */
#define SPIRQ_KVM_DEV_XIVE_EQ_SYNC          2
#define SPIRQ_KVM_DEV_XIVE_NR_SERVERS       3   /* u32 */
#define SPIRQ_KVM_DEV_XIVE_GRP_SOURCE       2   /* attr: source number */
#define SPIRQ_KVM_DEV_XIVE_GRP_SOURCE_CONFIG 3  /* attr: source number */
#define SPIRQ_KVM_DEV_XIVE_GRP_EQ_CONFIG    4   /* attr: EQ identifier */
#define SPIRQ_KVM_DEV_XIVE_GRP_SOURCE_SYNC  5   /* attr: source number */

/* GRP_SOURCE value */
#define SPIRQ_KVM_XIVE_LEVEL_SENSITIVE      (1ULL << 0)
#define SPIRQ_KVM_XIVE_LEVEL_ASSERTED       (1ULL << 1)

/* GRP_SOURCE_CONFIG value */
#define SPIRQ_KVM_XIVE_SOURCE_PRIORITY_SHIFT 0
#define SPIRQ_KVM_XIVE_SOURCE_PRIORITY_MASK 0x7ULL
#define SPIRQ_KVM_XIVE_SOURCE_SERVER_SHIFT  3
#define SPIRQ_KVM_XIVE_SOURCE_SERVER_MASK   0xfffffff8ULL
#define SPIRQ_KVM_XIVE_SOURCE_MASKED_SHIFT  32
#define SPIRQ_KVM_XIVE_SOURCE_MASKED_MASK   0x100000000ULL
#define SPIRQ_KVM_XIVE_SOURCE_EISN_SHIFT    33
#define SPIRQ_KVM_XIVE_SOURCE_EISN_MASK     0xfffffffe00000000ULL

/* GRP_EQ_CONFIG attr (the EQ identifier) */
#define SPIRQ_KVM_XIVE_EQ_PRIORITY_SHIFT    0
#define SPIRQ_KVM_XIVE_EQ_PRIORITY_MASK     0x7ULL
#define SPIRQ_KVM_XIVE_EQ_SERVER_SHIFT      3
#define SPIRQ_KVM_XIVE_EQ_SERVER_MASK       0xfffffff8ULL

/* GRP_EQ_CONFIG value: 64 bytes, host byte order */
struct spirq_kvm_ppc_xive_eq {
    uint32_t flags;         /* SPIRQ_KVM_XIVE_EQ_ALWAYS_NOTIFY */
    uint32_t qshift;        /* log2 of the queue size in bytes, 0: none */
    uint64_t qaddr;         /* guest physical address of the queue */
    uint32_t qtoggle;       /* generation bit the next entry carries */
    uint32_t qindex;        /* next entry the hardware writes */
    uint8_t pad[40];
};
#define SPIRQ_KVM_XIVE_EQ_ALWAYS_NOTIFY     0x00000001u

/* mmap() offsets of the device fd, in pages (of the host page size) */
#define SPIRQ_KVM_XIVE_TIMA_PAGE_OFFSET     0
#define SPIRQ_KVM_XIVE_ESB_PAGE_OFFSET      4

#endif /* SPIRQ_KVM_PPC_ABI_H */
