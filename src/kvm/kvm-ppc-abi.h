/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Linux KVM ABI of the ppc64 interrupt devices: constants and struct
 * layouts only, under spirq's own names so that this header can sit next
 * to any <linux/kvm.h> (an x86 build host's lacks the ppc parts; a ppc64
 * one defines them under the kernel's names).
 *
 * The values are those of the kernel's uapi (include/uapi/linux/kvm.h and
 * arch/powerpc/include/uapi/asm/kvm.h, as of Linux 6.1); the ioctl numbers
 * are built with the target's own _IO* macros, whose encoding differs
 * between architectures.  tests/unit/test-kvm-abi.c checks them against
 * the installed headers where those define them.
 */
#ifndef SPIRQ_KVM_PPC_ABI_H
#define SPIRQ_KVM_PPC_ABI_H

#include <stdint.h>
#include <linux/ioctl.h>

/* ---- generic KVM ------------------------------------------------------- */

#define SPIRQ_KVMIO			0xAE

/* capabilities (KVM_CHECK_EXTENSION, KVM_ENABLE_CAP) */
#define SPIRQ_KVM_CAP_PPC_PAPR		68
#define SPIRQ_KVM_CAP_IRQ_XICS		92
#define SPIRQ_KVM_CAP_PPC_IRQ_XIVE	169

/* device types (KVM_CREATE_DEVICE) */
#define SPIRQ_KVM_DEV_TYPE_XICS		3
#define SPIRQ_KVM_DEV_TYPE_XIVE		9
#define SPIRQ_KVM_CREATE_DEVICE_TEST	1	/* flags: probe only */

struct spirq_kvm_create_device {
	uint32_t type;
	uint32_t fd;		/* out */
	uint32_t flags;
};

struct spirq_kvm_device_attr {
	uint32_t flags;
	uint32_t group;
	uint64_t attr;
	uint64_t addr;		/* user address of the value */
};

struct spirq_kvm_enable_cap {
	uint32_t cap;
	uint32_t flags;
	uint64_t args[4];
	uint8_t pad[64];
};

struct spirq_kvm_irq_level {
	uint32_t irq;
	uint32_t level;
};

struct spirq_kvm_one_reg {
	uint64_t id;
	uint64_t addr;
};

#define SPIRQ_KVM_CHECK_EXTENSION	_IO(SPIRQ_KVMIO, 0x03)
#define SPIRQ_KVM_IRQ_LINE		_IOW(SPIRQ_KVMIO, 0x61, \
					     struct spirq_kvm_irq_level)
#define SPIRQ_KVM_ENABLE_CAP		_IOW(SPIRQ_KVMIO, 0xa3, \
					     struct spirq_kvm_enable_cap)
#define SPIRQ_KVM_GET_ONE_REG		_IOW(SPIRQ_KVMIO, 0xab, \
					     struct spirq_kvm_one_reg)
#define SPIRQ_KVM_SET_ONE_REG		_IOW(SPIRQ_KVMIO, 0xac, \
					     struct spirq_kvm_one_reg)
#define SPIRQ_KVM_CREATE_DEVICE		_IOWR(SPIRQ_KVMIO, 0xe0, \
					      struct spirq_kvm_create_device)
#define SPIRQ_KVM_SET_DEVICE_ATTR	_IOW(SPIRQ_KVMIO, 0xe1, \
					     struct spirq_kvm_device_attr)
#define SPIRQ_KVM_GET_DEVICE_ATTR	_IOW(SPIRQ_KVMIO, 0xe2, \
					     struct spirq_kvm_device_attr)
#define SPIRQ_KVM_HAS_DEVICE_ATTR	_IOW(SPIRQ_KVMIO, 0xe3, \
					     struct spirq_kvm_device_attr)

/* KVM_IRQ_LINE levels on ppc */
#define SPIRQ_KVM_INTERRUPT_SET		0xffffffffu	/* edge: one event */
#define SPIRQ_KVM_INTERRUPT_UNSET	0xfffffffeu	/* level low */
#define SPIRQ_KVM_INTERRUPT_SET_LEVEL	0xfffffffdu	/* level high */

/* ONE_REG ids */
#define SPIRQ_KVM_REG_PPC		0x1000000000000000ull
#define SPIRQ_KVM_REG_SIZE_U64		0x0030000000000000ull
#define SPIRQ_KVM_REG_SIZE_U128		0x0040000000000000ull
#define SPIRQ_KVM_REG_PPC_ICP_STATE	(SPIRQ_KVM_REG_PPC | \
					 SPIRQ_KVM_REG_SIZE_U64 | 0x8c)
#define SPIRQ_KVM_REG_PPC_VP_STATE	(SPIRQ_KVM_REG_PPC | \
					 SPIRQ_KVM_REG_SIZE_U128 | 0x8d)

/* ---- XICS device (KVM_DEV_TYPE_XICS) ----------------------------------- */

#define SPIRQ_KVM_DEV_XICS_GRP_SOURCES	1	/* attr: irq; u64 state */
#define SPIRQ_KVM_DEV_XICS_GRP_CTRL	2
#define SPIRQ_KVM_DEV_XICS_NR_SERVERS	1

/* u64 source state */
#define SPIRQ_KVM_XICS_DESTINATION_MASK	0xffffffffull
#define SPIRQ_KVM_XICS_PRIORITY_SHIFT	32
#define SPIRQ_KVM_XICS_PRIORITY_MASK	0xffull
#define SPIRQ_KVM_XICS_LEVEL_SENSITIVE	(1ull << 40)
#define SPIRQ_KVM_XICS_MASKED		(1ull << 41)
#define SPIRQ_KVM_XICS_PENDING		(1ull << 42)
#define SPIRQ_KVM_XICS_PRESENTED	(1ull << 43)
#define SPIRQ_KVM_XICS_QUEUED		(1ull << 44)

/* u64 presenter state (KVM_REG_PPC_ICP_STATE) */
#define SPIRQ_KVM_ICP_CPPR_SHIFT	56
#define SPIRQ_KVM_ICP_CPPR_MASK		0xffull
#define SPIRQ_KVM_ICP_XISR_SHIFT	32
#define SPIRQ_KVM_ICP_XISR_MASK		0xffffffull
#define SPIRQ_KVM_ICP_MFRR_SHIFT	24
#define SPIRQ_KVM_ICP_MFRR_MASK		0xffull
#define SPIRQ_KVM_ICP_PPRI_SHIFT	16
#define SPIRQ_KVM_ICP_PPRI_MASK		0xffull

/* ---- XIVE native device (KVM_DEV_TYPE_XIVE) ----------------------------- */

#define SPIRQ_KVM_DEV_XIVE_GRP_CTRL		1
#define SPIRQ_KVM_DEV_XIVE_RESET		1
#define SPIRQ_KVM_DEV_XIVE_EQ_SYNC		2
#define SPIRQ_KVM_DEV_XIVE_NR_SERVERS		3
#define SPIRQ_KVM_DEV_XIVE_GRP_SOURCE		2	/* attr: irq */
#define SPIRQ_KVM_DEV_XIVE_GRP_SOURCE_CONFIG	3	/* attr: irq */
#define SPIRQ_KVM_DEV_XIVE_GRP_EQ_CONFIG	4	/* attr: EQ id */
#define SPIRQ_KVM_DEV_XIVE_GRP_SOURCE_SYNC	5	/* attr: irq */

/* u64 GRP_SOURCE value */
#define SPIRQ_KVM_XIVE_LEVEL_SENSITIVE	(1ull << 0)
#define SPIRQ_KVM_XIVE_LEVEL_ASSERTED	(1ull << 1)

/* u64 GRP_SOURCE_CONFIG value */
#define SPIRQ_KVM_XIVE_SOURCE_PRIORITY_MASK	0x7ull
#define SPIRQ_KVM_XIVE_SOURCE_SERVER_SHIFT	3
#define SPIRQ_KVM_XIVE_SOURCE_SERVER_MASK	0xfffffff8ull
#define SPIRQ_KVM_XIVE_SOURCE_MASKED_SHIFT	32
#define SPIRQ_KVM_XIVE_SOURCE_MASKED_MASK	0x100000000ull
#define SPIRQ_KVM_XIVE_SOURCE_EISN_SHIFT	33
#define SPIRQ_KVM_XIVE_SOURCE_EISN_MASK		0xfffffffe00000000ull

/* GRP_EQ_CONFIG attr: priority | server << 3 */
#define SPIRQ_KVM_XIVE_EQ_PRIORITY_MASK	0x7ull
#define SPIRQ_KVM_XIVE_EQ_SERVER_SHIFT	3
#define SPIRQ_KVM_XIVE_EQ_SERVER_MASK	0xfffffff8ull

/* GRP_EQ_CONFIG value (64 bytes) */
struct spirq_kvm_ppc_xive_eq {
	uint32_t flags;
	uint32_t qshift;
	uint64_t qaddr;
	uint32_t qtoggle;
	uint32_t qindex;
	uint8_t pad[40];
};
#define SPIRQ_KVM_XIVE_EQ_ALWAYS_NOTIFY	0x1u

/* mmap offsets of the device fd, in host pages */
#define SPIRQ_KVM_XIVE_TIMA_PAGE_OFFSET	0
#define SPIRQ_KVM_XIVE_ESB_PAGE_OFFSET	4

_Static_assert(sizeof(struct spirq_kvm_create_device) == 12, "uapi layout");
_Static_assert(sizeof(struct spirq_kvm_device_attr) == 24, "uapi layout");
_Static_assert(sizeof(struct spirq_kvm_enable_cap) == 104, "uapi layout");
_Static_assert(sizeof(struct spirq_kvm_irq_level) == 8, "uapi layout");
_Static_assert(sizeof(struct spirq_kvm_one_reg) == 16, "uapi layout");
_Static_assert(sizeof(struct spirq_kvm_ppc_xive_eq) == 64, "uapi layout");

#endif /* SPIRQ_KVM_PPC_ABI_H */
