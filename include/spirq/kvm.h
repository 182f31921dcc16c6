/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirq - the in-kernel backend (Linux KVM on a POWER host)
 *
 * With a real KVM VM fd in its host callbacks (struct spirq_host_ops
 * version 2, <spirq/machine.h>), a machine runs its active interrupt
 * controller in the kernel: KVM_DEV_TYPE_XICS (the XICS emulation of
 * POWER8 and nested hosts, or XICS-on-XIVE on POWER9/10) and
 * KVM_DEV_TYPE_XIVE (XIVE native, POWER9/10).  The backend is built on
 * every host, and active only where the embedder gives a VM fd.
 */
#ifndef SPIRQ_KVM_H_PUBLIC
#define SPIRQ_KVM_H_PUBLIC

#include <stdint.h>

#include <spirq/export.h>
#include <spirq/config.h>
#include <spirq/error.h>
#include <spirq/machine.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * spirq_kvm_host_caps - what a real KVM host offers the interrupt layer
 * @vm_fd: a KVM VM fd, with no interrupt device created yet
 * @caps:  receives @xics (KVM_CAP_IRQ_XICS, and a test KVM_CREATE_DEVICE
 *         of KVM_DEV_TYPE_XICS succeeds), @xive (KVM_CAP_PPC_IRQ_XIVE and
 *         KVM_DEV_TYPE_XIVE likewise) and @xics_destroy (a XICS device,
 *         created and closed, can be created again: the probe creates two
 *         and closes them); @smt and @smt_possible are left as they were
 * @err:   receives the explanation on failure (may be NULL)
 *
 * These are the answers spirq_machine_create() uses, with a VM fd, in
 * place of the host described by "-accel kvm,xics=,xive=,xics-destroy=".
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_INVAL if @vm_fd is negative or @caps is NULL
 *	-SPIRQ_ERR_KERNEL if KVM_CHECK_EXTENSION fails (not a KVM VM fd; the
 *		message has the kernel's errno)
 */
SPIRQ_API int spirq_kvm_host_caps(int vm_fd, spirq_host_caps *caps,
				  spirq_error *err);

/**
 * spirq_kvm_mmio_region - where the embedder maps a XIVE region of the
 * in-kernel device into the guest
 * @m:      the machine
 * @region: SPIRQ_REGION_ESB (at SPIRQ_XIVE_VC_BASE) or SPIRQ_REGION_TIMA
 *          (at SPIRQ_XIVE_TM_BASE)
 * @fd:     receives the device fd to mmap (MAP_SHARED, read-write)
 * @offset: receives the offset in that fd
 * @size:   receives the length to map: for the ESB, the pages of every
 *          source; for the TIMA, its four pages
 *
 * The guest's accesses to these pages then go to the kernel, not to
 * spirq_mmio_load/store.  The fd changes when the device is created
 * again (CAS or reset switching between XICS and XIVE): ask again after
 * those calls, and unmap the old ranges.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_NOTFOUND when no in-kernel XIVE device is active
 *	-SPIRQ_ERR_INVAL for an unknown @region
 *	-SPIRQ_ERR_STATE when called from a host callback of @m
 */
SPIRQ_API int spirq_kvm_mmio_region(spirq_machine *m, spirq_region region,
				    int *fd, uint64_t *offset,
				    uint64_t *size);

#ifdef __cplusplus
}
#endif

#endif /* SPIRQ_KVM_H_PUBLIC */
