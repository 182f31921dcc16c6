// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The in-kernel backend's contact with the kernel: the system-call table,
 * ioctls with their error reports, device fds, vCPU connection, and the
 * capability query that feeds the kernel-irqchip decision.
 *
 * A kernel error is reported three ways: the VMM's log gets a warning
 * naming the operation and the kernel's errno text, the entry point
 * returns -SPIRQ_ERR_KERNEL, and its spirq_error (when given) carries the
 * same text.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <spirq/kvm.h>

#include "common/alloc.h"
#include "common/bitmap.h"
#include "common/error-internal.h"
#include "kvm/kvm-internal.h"

/* ---- the real system calls ------------------------------------------------ */

static long real_ioctl(void *opaque, int fd, unsigned long request, void *arg)
{
	long ret;

	(void)opaque;
	ret = ioctl(fd, request, arg);
	return ret < 0 ? -errno : ret;
}

static void *real_mmap(void *opaque, size_t len, int fd, uint64_t offset,
		       int *error)
{
	void *addr;

	(void)opaque;
	addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    (off_t)offset);
	if (addr == MAP_FAILED) {
		*error = errno;
		return NULL;
	}
	return addr;
}

static int real_munmap(void *opaque, void *addr, size_t len)
{
	(void)opaque;
	return munmap(addr, len) ? -errno : 0;
}

static int real_close(void *opaque, int fd)
{
	(void)opaque;
	return close(fd) ? -errno : 0;
}

/* ESB pages are device memory: one 8-byte access, never merged or split */
static uint64_t real_mmio(void *opaque, volatile void *addr, bool store,
			  uint64_t value)
{
	volatile uint64_t *word = addr;

	(void)opaque;
	if (store) {
		*word = value;
		return 0;
	}
	return *word;
}

const struct spapr_kvm_sys spapr_kvm_real_sys = {
	.ioctl = real_ioctl,
	.mmap = real_mmap,
	.munmap = real_munmap,
	.close = real_close,
	.mmio = real_mmio,
	.page_size = 0,		/* sysconf() when used */
};

/* ---- errors ----------------------------------------------------------------- */

static int kernel_error(spirq_machine *m, int errnum, const char *what,
			spirq_error *err)
{
	char text[128];

	/* strerror_r's GNU variant may return a static string */
	snprintf(text, sizeof(text), "%s", strerror(errnum));
	/* a long operation name is cut: its start says what failed */
	if (snprintf(m->kvm->last_error, sizeof(m->kvm->last_error),
		     "in-kernel backend: %s failed: the kernel returned -%d (%s)",
		     what, errnum, text) >= (int)sizeof(m->kvm->last_error))
		m->kvm->last_error[sizeof(m->kvm->last_error) - 2] = '.';
	spapr_log(m, SPIRQ_LOG_WARNING, "%s", m->kvm->last_error);
	return spirq__error_set(err, SPIRQ_ERR_KERNEL, "%s",
				m->kvm->last_error);
}

long kvm_ioctl(spirq_machine *m, int fd, unsigned long request, void *arg,
	       const char *what, spirq_error *err)
{
	const struct spapr_kvm_sys *sys = m->kvm->sys;
	long ret = sys->ioctl(sys->opaque, fd, request, arg);

	if (ret < 0)
		return kernel_error(m, (int)-ret, what, err);
	return ret;
}

static int device_attr(spirq_machine *m, unsigned long request,
		       uint32_t group, uint64_t attr, const void *val,
		       const char *what, spirq_error *err)
{
	struct spirq_kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (uint64_t)(uintptr_t)val,
	};
	char name[96];

	if (m->kvm->dev_fd < 0)
		return kernel_error(m, ENODEV, what, err);
	snprintf(name, sizeof(name), "%s (group %u, attr 0x%llx)", what, group,
		 (unsigned long long)attr);
	return kvm_ioctl(m, m->kvm->dev_fd, request, &a, name, err) < 0 ?
	       -SPIRQ_ERR_KERNEL : 0;
}

int kvm_set_attr(spirq_machine *m, uint32_t group, uint64_t attr,
		 const void *val, const char *what, spirq_error *err)
{
	return device_attr(m, SPIRQ_KVM_SET_DEVICE_ATTR, group, attr, val, what,
			   err);
}

int kvm_get_attr(spirq_machine *m, uint32_t group, uint64_t attr, void *val,
		 const char *what, spirq_error *err)
{
	return device_attr(m, SPIRQ_KVM_GET_DEVICE_ATTR, group, attr, val, what,
			   err);
}

int kvm_vcpu_fd(spirq_machine *m, unsigned cpu, spirq_error *err)
{
	int fd = m->ops.kvm_vcpu_fd ? m->ops.kvm_vcpu_fd(m->ops.opaque, cpu)
				    : -1;
	char what[64];

	if (fd >= 0)
		return fd;
	snprintf(what, sizeof(what), "kvm_vcpu_fd(%u) callback", cpu);
	return kernel_error(m, EBADF, what, err);
}

int kvm_vcpu_reg(spirq_machine *m, unsigned cpu, uint64_t id, void *val,
		 bool set, spirq_error *err)
{
	struct spirq_kvm_one_reg reg = { .id = id,
					 .addr = (uint64_t)(uintptr_t)val };
	int fd = kvm_vcpu_fd(m, cpu, err);
	char what[96];

	if (fd < 0)
		return fd;
	snprintf(what, sizeof(what), "KVM_%s_ONE_REG(%s) of vCPU %u",
		 set ? "SET" : "GET",
		 id == SPIRQ_KVM_REG_PPC_ICP_STATE ? "ICP_STATE" : "VP_STATE",
		 cpu);
	return kvm_ioctl(m, fd, set ? SPIRQ_KVM_SET_ONE_REG :
				      SPIRQ_KVM_GET_ONE_REG,
			 &reg, what, err) < 0 ? -SPIRQ_ERR_KERNEL : 0;
}

/* ---- devices ---------------------------------------------------------------- */

int kvm_device_create(spirq_machine *m, uint32_t type, enum kvm_dev_kind kind,
		      spirq_error *err)
{
	struct spirq_kvm_create_device cd = { .type = type };
	struct spapr_kvm *k = m->kvm;

	if (kvm_ioctl(m, k->vm_fd, SPIRQ_KVM_CREATE_DEVICE, &cd,
		      type == SPIRQ_KVM_DEV_TYPE_XICS ?
		      "KVM_CREATE_DEVICE(XICS)" : "KVM_CREATE_DEVICE(XIVE)",
		      err) < 0)
		return -SPIRQ_ERR_KERNEL;
	k->dev_fd = (int)cd.fd;
	k->xics_on_xive = false;
	__atomic_store_n(&k->kind, kind, __ATOMIC_RELAXED);
	memset(k->connected, 0, BITS_TO_WORDS(m->cfg.max_cpus) * sizeof(uint64_t));
	return 0;
}

void kvm_device_close(spirq_machine *m)
{
	struct spapr_kvm *k = m->kvm;
	int ret;

	if (k->dev_fd < 0)
		return;
	/* closing the last reference releases the device and unlinks
	 * its vCPUs (kernels since 5.2; older ones refuse to re-create it,
	 * which the xics_destroy probe found before the guest started) */
	ret = k->sys->close(k->sys->opaque, k->dev_fd);
	if (ret < 0)
		kernel_error(m, -ret, "close of the device fd", NULL);
	k->dev_fd = -1;
	__atomic_store_n(&k->kind, KVM_DEV_NONE, __ATOMIC_RELAXED);
	memset(k->connected, 0, BITS_TO_WORDS(m->cfg.max_cpus) * sizeof(uint64_t));
}

int kvm_connect_vcpu(spirq_machine *m, unsigned cpu, uint32_t cap,
		     spirq_error *err)
{
	struct spapr_kvm *k = m->kvm;
	struct spirq_kvm_enable_cap ec = { .cap = cap };
	char what[192];
	long ret;
	int fd;

	/* a vCPU unplugged and plugged again is still linked (KVM cannot
	 * destroy vCPUs: the embedder parks and reuses the fd) */
	if (bitmap_test(k->connected, cpu))
		return 0;
	fd = kvm_vcpu_fd(m, cpu, err);
	if (fd < 0)
		return fd;
	ec.args[0] = (uint64_t)k->dev_fd;
	ec.args[1] = m->vcpus[cpu].vcpu_id;
	snprintf(what, sizeof(what),
		 "KVM_ENABLE_CAP(%s) of vCPU %u (server %u; KVM_CAP_PPC_PAPR must be enabled on the vCPU first)",
		 cap == SPIRQ_KVM_CAP_IRQ_XICS ? "KVM_CAP_IRQ_XICS" :
						 "KVM_CAP_PPC_IRQ_XIVE",
		 cpu, m->vcpus[cpu].vcpu_id);
	/*
	 * Without KVM_CAP_PPC_PAPR the kernel links the vCPU, then answers
	 * EINVAL (its sanity check); once the embedder has put the vCPU in
	 * PAPR mode and plugs it again, the link is there: EBUSY.  The
	 * device is the VM's only one, so that link is to this device.
	 */
	ret = k->sys->ioctl(k->sys->opaque, fd, SPIRQ_KVM_ENABLE_CAP, &ec);
	if (ret < 0 && ret != -EBUSY)
		return kernel_error(m, (int)-ret, what, err);
	bitmap_set(k->connected, cpu);
	return 0;
}

/* ---- capabilities ------------------------------------------------------------ */

static long sys_check_extension(const struct spapr_kvm_sys *sys, int vm_fd,
				uint32_t cap)
{
	return sys->ioctl(sys->opaque, vm_fd, SPIRQ_KVM_CHECK_EXTENSION,
			  (void *)(uintptr_t)cap);
}

static bool device_creatable(const struct spapr_kvm_sys *sys, int vm_fd,
			     uint32_t type)
{
	struct spirq_kvm_create_device cd = {
		.type = type,
		.flags = SPIRQ_KVM_CREATE_DEVICE_TEST,
	};

	return sys->ioctl(sys->opaque, vm_fd, SPIRQ_KVM_CREATE_DEVICE, &cd) >= 0;
}

/*
 * Can a XICS device be created again once closed?  Old kernels and some
 * nested hosts keep it until the VM dies: the second creation fails with
 * EEXIST (QEMU's xics_kvm_has_broken_disconnect()).
 */
static bool xics_recreatable(const struct spapr_kvm_sys *sys, int vm_fd)
{
	struct spirq_kvm_create_device cd = { .type = SPIRQ_KVM_DEV_TYPE_XICS };
	long ret;
	int i;

	for (i = 0; i < 2; i++) {
		cd.fd = 0;
		ret = sys->ioctl(sys->opaque, vm_fd, SPIRQ_KVM_CREATE_DEVICE, &cd);
		if (ret < 0)
			return ret != -EEXIST;
		sys->close(sys->opaque, (int)cd.fd);
	}
	return true;
}

int kvm_query_host(const struct spapr_kvm_sys *sys, int vm_fd,
		   bool probe_destroy, spirq_host_caps *caps, spirq_error *err)
{
	long xics, xive;

	xics = sys_check_extension(sys, vm_fd, SPIRQ_KVM_CAP_IRQ_XICS);
	if (xics < 0)
		return spirq__error_set(err, SPIRQ_ERR_KERNEL,
			"KVM_CHECK_EXTENSION(KVM_CAP_IRQ_XICS) on fd %d failed: the kernel returned -%ld (%s); is it a KVM VM fd?",
			vm_fd, -xics, strerror((int)-xics));
	xive = sys_check_extension(sys, vm_fd, SPIRQ_KVM_CAP_PPC_IRQ_XIVE);
	if (xive < 0)
		xive = 0;
	caps->xics = xics > 0 &&
		     device_creatable(sys, vm_fd, SPIRQ_KVM_DEV_TYPE_XICS);
	caps->xive = xive > 0 &&
		     device_creatable(sys, vm_fd, SPIRQ_KVM_DEV_TYPE_XIVE);
	caps->xics_destroy = caps->xics &&
			     (!probe_destroy || xics_recreatable(sys, vm_fd));
	return 0;
}

int spirq_kvm_host_caps(int vm_fd, spirq_host_caps *caps, spirq_error *err)
{
	spirq_host_caps found = { 0 };
	int ret;

	spirq_error_clear(err);
	if (vm_fd < 0 || !caps)
		return spirq__error_set(err, SPIRQ_ERR_INVAL,
					"no VM fd or no result to fill");
	ret = kvm_query_host(&spapr_kvm_real_sys, vm_fd, true, &found, err);
	if (ret)
		return ret;
	found.smt = caps->smt;
	found.smt_possible = caps->smt_possible;
	*caps = found;
	return 0;
}
