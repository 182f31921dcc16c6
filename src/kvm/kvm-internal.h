/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The in-kernel backend: Linux KVM's XICS and XIVE native devices, driven
 * for a machine whose embedder gave spirq a real KVM VM fd.
 *
 * spirq keeps its emulated model of the active controller as the
 * reference copy of the state, and mirrors it into the kernel device:
 *
 *   activation      create the device, connect the plugged vCPUs, push
 *                   the model (sources, routing, queues, presenters)
 *   management      claims, RTAS, H_INT_*, hot-plug, reset: change the
 *                   model, then push what changed
 *   device lines    straight to the kernel (KVM_IRQ_LINE, ESB trigger)
 *   read-outs       info pic, save, deactivation: sync the model from the
 *                   kernel first (the guest changed the state there)
 *
 * So the migration stream, "info pic" and a fall-back to emulation all
 * work from the same model, whatever backend runs, and a kernel failure
 * never loses state: the model still holds the last good copy.
 *
 * Every system call goes through struct spapr_kvm_sys, one table per
 * machine: the unit tests put a fake kernel there.
 */
#ifndef SPIRQ_KVM_INTERNAL_H
#define SPIRQ_KVM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kvm/kvm-ppc-abi.h"
#include "spapr/spapr-internal.h"

/*
 * The system calls of the backend.  Each returns what the system call
 * returns on success and -errno on failure (mmap: NULL, *error = errno).
 * spirq never opens a file: the VM and vCPU fds are the embedder's, the
 * device fds come from KVM_CREATE_DEVICE.
 */
struct spapr_kvm_sys {
	void *opaque;
	long (*ioctl)(void *opaque, int fd, unsigned long request, void *arg);
	void *(*mmap)(void *opaque, size_t len, int fd, uint64_t offset,
		      int *error);
	int (*munmap)(void *opaque, void *addr, size_t len);
	int (*close)(void *opaque, int fd);
	/* an 8-byte load or store on a mapped device page (ESB), raw */
	uint64_t (*mmio)(void *opaque, volatile void *addr, bool store,
			 uint64_t value);
	size_t page_size;	/* the host's, for mmap offsets; 0: sysconf */
};

/* The real system calls. */
extern const struct spapr_kvm_sys spapr_kvm_real_sys;

enum kvm_dev_kind {
	KVM_DEV_NONE = 0,
	KVM_DEV_XICS,
	KVM_DEV_XIVE,
};

struct spapr_kvm {
	const struct spapr_kvm_sys *sys;
	int vm_fd;
	spirq_host_caps caps;		/* the real host's answers */
	enum kvm_dev_kind kind;		/* the live device, or none */
	bool xics_on_xive;		/* the XICS device is the kernel's XICS
					 * on XIVE (POWER9/10 hosts) */
	int dev_fd;			/* -1 without a device */
	uint64_t *connected;		/* [max_cpus] bits: vCPUs connected
					 * to the live device */
	void *esb;			/* XIVE: the device's ESB pages */
	size_t esb_len;
	size_t tima_len;		/* XIVE: what the embedder maps */
	char last_error[256];		/* the last kernel error, logged */
	/* the embedder's set_cpu_irq, set aside while the kernel drives
	 * the lines */
	void (*host_set_cpu_irq)(void *opaque, unsigned cpu_index, int level);
};

/* ---- kvm-host.c: fds, system calls, capabilities -------------------------- */

/*
 * One ioctl; on failure the error is logged as a warning naming @what and
 * the kernel's errno text, and also set in @err when given.
 * returns: the ioctl's result (>= 0) or -SPIRQ_ERR_KERNEL
 */
long kvm_ioctl(spirq_machine *m, int fd, unsigned long request, void *arg,
	       const char *what, spirq_error *err);

/* KVM_SET/GET_DEVICE_ATTR on the live device. returns: 0 or -SPIRQ_ERR_KERNEL */
int kvm_set_attr(spirq_machine *m, uint32_t group, uint64_t attr,
		 const void *val, const char *what, spirq_error *err);
int kvm_get_attr(spirq_machine *m, uint32_t group, uint64_t attr, void *val,
		 const char *what, spirq_error *err);
/* ONE_REG on vCPU @cpu's fd. returns: 0 or -SPIRQ_ERR_KERNEL */
int kvm_vcpu_reg(spirq_machine *m, unsigned cpu, uint64_t id, void *val,
		 bool set, spirq_error *err);
/* The embedder's fd of vCPU @cpu, or -SPIRQ_ERR_KERNEL (logged). */
int kvm_vcpu_fd(spirq_machine *m, unsigned cpu, spirq_error *err);

/* KVM_CREATE_DEVICE (not a test) of @type. returns: 0 or -SPIRQ_ERR_KERNEL */
int kvm_device_create(spirq_machine *m, uint32_t type, enum kvm_dev_kind kind,
		      spirq_error *err);
/* Close the live device: the kernel releases it and its vCPU links. */
void kvm_device_close(spirq_machine *m);

/* Connect vCPU @cpu with KVM_ENABLE_CAP(@cap, fd, server) once per device. */
int kvm_connect_vcpu(spirq_machine *m, unsigned cpu, uint32_t cap,
		     spirq_error *err);

/* The capabilities of a VM fd (spirq_kvm_host_caps() with a sys table). */
int kvm_query_host(const struct spapr_kvm_sys *sys, int vm_fd, bool probe_destroy,
		   spirq_host_caps *caps, spirq_error *err);

/* ---- kvm-xics.c ------------------------------------------------------------ */

int kvm_xics_activate(spirq_machine *m, spirq_error *err);
struct ics_irq;
/* Write @irq's state as source @srcno of the kernel device. */
int kvm_xics_write_source(spirq_machine *m, uint32_t srcno,
			  const struct ics_irq *irq, spirq_error *err);
int kvm_xics_push_source(spirq_machine *m, uint32_t srcno, spirq_error *err);
int kvm_xics_push_sources(spirq_machine *m, spirq_error *err);
int kvm_xics_sync_source(spirq_machine *m, uint32_t srcno, spirq_error *err);
int kvm_xics_push_all(spirq_machine *m, spirq_error *err);
int kvm_xics_sync_all(spirq_machine *m, spirq_error *err);
int kvm_xics_push_cpu(spirq_machine *m, unsigned cpu, spirq_error *err);
int kvm_xics_set_irq(spirq_machine *m, uint32_t irq, int level);

/* ---- kvm-xive.c ------------------------------------------------------------ */

int kvm_xive_activate(spirq_machine *m, spirq_error *err);
void kvm_xive_deactivate(spirq_machine *m);
int kvm_xive_push_all(spirq_machine *m, spirq_error *err);
int kvm_xive_push_source(spirq_machine *m, uint32_t lisn, spirq_error *err);
void kvm_xive_mask_source(spirq_machine *m, uint32_t lisn);
int kvm_xive_sync_all(spirq_machine *m, spirq_error *err);
int kvm_xive_push_cpu(spirq_machine *m, unsigned cpu, spirq_error *err);
int kvm_xive_set_irq(spirq_machine *m, uint32_t irq, int level);
int64_t kvm_xive_hcall(spirq_machine *m, unsigned cpu, uint64_t opcode,
		       const uint64_t *args, uint64_t *rets, unsigned *nrets);
int kvm_xive_esb(spirq_machine *m, uint64_t offset, bool store,
		 uint64_t *value);

#endif /* SPIRQ_KVM_INTERNAL_H */
