/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compile-time checks, in the ppc64le build of make check-kvm only: every
 * value of src/kvm/kvm-ppc-abi.h (copied so that libspirq builds on every
 * host) equals the cross toolchain's POWER kernel headers, and the hcall
 * numbers of tests/kvm/guest.h equal include/spirq/papr.h's.  Nothing to
 * run: a mismatch does not compile.
 */
#include <stddef.h>

#include <linux/kvm.h>

#include "guest.h"
#include "kvm/kvm-ppc-abi.h"
#include "spirq/papr.h"

#define SAME(name) _Static_assert(SPIRQ_##name == (name), #name " differs")

SAME(KVM_VM_PPC_HV);
SAME(KVM_CAP_PPC_IRQ_LEVEL);
SAME(KVM_CAP_PPC_SMT);
SAME(KVM_CAP_PPC_PAPR);
SAME(KVM_CAP_DEVICE_CTRL);
SAME(KVM_CAP_IRQ_XICS);
SAME(KVM_CAP_PPC_ENABLE_HCALL);
SAME(KVM_CAP_CHECK_EXTENSION_VM);
SAME(KVM_CAP_PPC_SMT_POSSIBLE);
SAME(KVM_CAP_PPC_NESTED_HV);
SAME(KVM_CAP_PPC_IRQ_XIVE);
SAME(KVM_DEV_TYPE_XICS);
SAME(KVM_DEV_TYPE_XIVE);
SAME(KVM_INTERRUPT_SET);
SAME(KVM_INTERRUPT_UNSET);
SAME(KVM_INTERRUPT_SET_LEVEL);
SAME(KVM_REG_PPC);
SAME(KVM_REG_SIZE_U64);
SAME(KVM_REG_SIZE_U128);
SAME(KVM_REG_PPC_ICP_STATE);
SAME(KVM_REG_PPC_ICP_CPPR_SHIFT);
SAME(KVM_REG_PPC_ICP_CPPR_MASK);
SAME(KVM_REG_PPC_ICP_XISR_SHIFT);
SAME(KVM_REG_PPC_ICP_XISR_MASK);
SAME(KVM_REG_PPC_ICP_MFRR_SHIFT);
SAME(KVM_REG_PPC_ICP_MFRR_MASK);
SAME(KVM_REG_PPC_ICP_PPRI_SHIFT);
SAME(KVM_REG_PPC_ICP_PPRI_MASK);
SAME(KVM_REG_PPC_VP_STATE);
SAME(KVM_REG_PPC_LPCR_64);
SAME(KVM_DEV_XICS_GRP_SOURCES);
SAME(KVM_DEV_XICS_GRP_CTRL);
SAME(KVM_DEV_XICS_NR_SERVERS);
SAME(KVM_XICS_DESTINATION_SHIFT);
SAME(KVM_XICS_DESTINATION_MASK);
SAME(KVM_XICS_PRIORITY_SHIFT);
SAME(KVM_XICS_PRIORITY_MASK);
SAME(KVM_XICS_LEVEL_SENSITIVE);
SAME(KVM_XICS_MASKED);
SAME(KVM_XICS_PENDING);
SAME(KVM_XICS_PRESENTED);
SAME(KVM_XICS_QUEUED);
SAME(KVM_DEV_XIVE_GRP_CTRL);
SAME(KVM_DEV_XIVE_RESET);
SAME(KVM_DEV_XIVE_EQ_SYNC);
SAME(KVM_DEV_XIVE_NR_SERVERS);
SAME(KVM_DEV_XIVE_GRP_SOURCE);
SAME(KVM_DEV_XIVE_GRP_SOURCE_CONFIG);
SAME(KVM_DEV_XIVE_GRP_EQ_CONFIG);
SAME(KVM_DEV_XIVE_GRP_SOURCE_SYNC);
SAME(KVM_XIVE_LEVEL_SENSITIVE);
SAME(KVM_XIVE_LEVEL_ASSERTED);
SAME(KVM_XIVE_SOURCE_PRIORITY_SHIFT);
SAME(KVM_XIVE_SOURCE_PRIORITY_MASK);
SAME(KVM_XIVE_SOURCE_SERVER_SHIFT);
SAME(KVM_XIVE_SOURCE_SERVER_MASK);
SAME(KVM_XIVE_SOURCE_MASKED_SHIFT);
SAME(KVM_XIVE_SOURCE_MASKED_MASK);
SAME(KVM_XIVE_SOURCE_EISN_SHIFT);
SAME(KVM_XIVE_SOURCE_EISN_MASK);
SAME(KVM_XIVE_EQ_PRIORITY_SHIFT);
SAME(KVM_XIVE_EQ_PRIORITY_MASK);
SAME(KVM_XIVE_EQ_SERVER_SHIFT);
SAME(KVM_XIVE_EQ_SERVER_MASK);
SAME(KVM_XIVE_EQ_ALWAYS_NOTIFY);
SAME(KVM_XIVE_TIMA_PAGE_OFFSET);
SAME(KVM_XIVE_ESB_PAGE_OFFSET);
/* what the in-kernel backend passes: ioctl numbers (POWER's encoding)
 * and the layouts behind them */
SAME(KVM_CREATE_DEVICE_TEST);
SAME(KVM_CHECK_EXTENSION);
SAME(KVM_IRQ_LINE);
SAME(KVM_ENABLE_CAP);
SAME(KVM_GET_ONE_REG);
SAME(KVM_SET_ONE_REG);
SAME(KVM_CREATE_DEVICE);
SAME(KVM_SET_DEVICE_ATTR);
SAME(KVM_GET_DEVICE_ATTR);
SAME(KVM_HAS_DEVICE_ATTR);
_Static_assert(sizeof(struct spirq_kvm_ppc_xive_eq) == sizeof(struct kvm_ppc_xive_eq) &&
               offsetof(struct spirq_kvm_ppc_xive_eq, qindex) ==
               offsetof(struct kvm_ppc_xive_eq, qindex), "kvm_ppc_xive_eq differs");
_Static_assert(sizeof(struct spirq_kvm_enable_cap) == sizeof(struct kvm_enable_cap) &&
               offsetof(struct spirq_kvm_enable_cap, args) ==
               offsetof(struct kvm_enable_cap, args), "kvm_enable_cap differs");
_Static_assert(sizeof(struct spirq_kvm_device_attr) == sizeof(struct kvm_device_attr),
               "kvm_device_attr differs");
_Static_assert(sizeof(struct spirq_kvm_create_device) == sizeof(struct kvm_create_device),
               "kvm_create_device differs");

#define SAME_FIELD(field) \
    _Static_assert(offsetof(struct spirq_kvm_ppc_xive_eq, field) == \
                   offsetof(struct kvm_ppc_xive_eq, field), #field " moved")
_Static_assert(sizeof(struct spirq_kvm_ppc_xive_eq) == sizeof(struct kvm_ppc_xive_eq),
               "struct kvm_ppc_xive_eq size differs");
SAME_FIELD(flags);
SAME_FIELD(qshift);
SAME_FIELD(qaddr);
SAME_FIELD(qtoggle);
SAME_FIELD(qindex);

#define SAME_HCALL(name) _Static_assert((name) == SPIRQ_##name, #name " differs")
SAME_HCALL(H_SUCCESS);
SAME_HCALL(H_EOI);
SAME_HCALL(H_CPPR);
SAME_HCALL(H_IPI);
SAME_HCALL(H_IPOLL);
SAME_HCALL(H_XIRR);

/* ISO C wants a translation unit to declare something */
extern const int spirq_kvm_abi_checked;
const int spirq_kvm_abi_checked = 1;
