/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake Linux KVM for the in-kernel backend's unit tests: it answers the
 * backend's system calls (struct spapr_kvm_sys) the way the real kernel
 * 6.1 does in the facts measured in ../shared/reference/kvm-under-tcg.md
 * (ICP_STATE 0x00000000ffff0000 after connect, PQ 01 after GRP_SOURCE,
 * EINVAL from a connect before KVM_CAP_PPC_PAPR, EEXIST for a second
 * device), records every call, counts open fds and mappings, and can fail
 * the Nth ioctl with an errno.
 *
 * The ESB pages are never touched as memory: the fake's mmap returns an
 * address range it decodes in its mmio hook.
 */
#ifndef TEST_KVM_FAKE_H
#define TEST_KVM_FAKE_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kvm/kvm-internal.h"
#include "xive/xive-regs.h"

#define FK_VM_FD	100
#define FK_VCPU_FD	200		/* + cpu_index */
#define FK_MAX_CPUS	16
#define FK_NR_IRQS	0x2000
#define FK_LOG_MAX	4096
#define FK_ESB_BASE	((uintptr_t)0x100000000000ull)

struct fake_kvm {
	/* the host */
	bool has_xics, has_xive;
	bool xics_sticky;		/* a closed XICS device stays (old KVM) */
	bool has_nr_servers;		/* XIVE: CTRL/NR_SERVERS */
	bool xics_on_xive;		/* XICS lines queue, ICPs show no XISR */
	/* error injection: fail ioctl number fail_at (1-based) */
	unsigned fail_at;
	int fail_errno;
	unsigned nioctls;
	/* fds */
	int next_fd;
	int open_fds;
	int dev_fd;			/* live device, -1 */
	int dev_type;
	bool xics_ever;			/* a XICS device was created */
	int mmaps;
	/* vCPUs */
	bool papr[FK_MAX_CPUS];
	bool connected[FK_MAX_CPUS];
	uint32_t server[FK_MAX_CPUS];
	uint64_t icp[FK_MAX_CPUS];
	uint64_t vp[FK_MAX_CPUS][2];
	/* XICS sources, XIVE sources */
	uint64_t src[FK_NR_IRQS];
	bool src_set[FK_NR_IRQS];
	uint64_t src_cfg[FK_NR_IRQS];
	uint8_t pq[FK_NR_IRQS];
	unsigned eq_sets;
	struct spirq_kvm_ppc_xive_eq eq[FK_MAX_CPUS * 8];
	uint32_t nr_servers;
	unsigned triggers;
	bool refuse_vp;			/* SET_ONE_REG(VP_STATE): EINVAL */
	/* the record: one line per call */
	unsigned nlog;
	char log[FK_LOG_MAX][96];
};

static inline void fk_log(struct fake_kvm *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline void fk_log(struct fake_kvm *k, const char *fmt, ...)
{
	va_list ap;

	if (k->nlog >= FK_LOG_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(k->log[k->nlog++], sizeof(k->log[0]), fmt, ap);
	va_end(ap);
}

static inline void fk_init(struct fake_kvm *k, bool xics, bool xive)
{
	unsigned i;

	memset(k, 0, sizeof(*k));
	k->has_xics = xics;
	k->has_xive = xive;
	k->has_nr_servers = true;
	k->next_fd = 300;
	k->dev_fd = -1;
	for (i = 0; i < FK_MAX_CPUS; i++)
		k->papr[i] = true;	/* the embedder did its part */
}

/* The index of the first record containing @needle from @from, or -1. */
static inline int fk_find(const struct fake_kvm *k, unsigned from,
			  const char *needle)
{
	unsigned i;

	for (i = from; i < k->nlog; i++)
		if (strstr(k->log[i], needle))
			return (int)i;
	return -1;
}

static inline unsigned fk_count(const struct fake_kvm *k, const char *needle)
{
	unsigned i, n = 0;

	for (i = 0; i < k->nlog; i++)
		if (strstr(k->log[i], needle))
			n++;
	return n;
}

/*
 * A VP_STATE word 0 from the TIMA QW1 bytes NSR, CPPR, IPB, LSMFB, ACK#,
 * INC, AGE, PIPR: their raw image, as the kernel loads it natively (so
 * the u64's value depends on the host's byte order).
 */
static inline uint64_t fk_vp_word(const uint8_t bytes[8])
{
	uint64_t w;

	memcpy(&w, bytes, sizeof(w));
	return w;
}

#define FK_VP_CONNECT	((const uint8_t[8]){ 0, 0, 0, 0, 0xff, 0, 0, 0 })

static inline void fk_dump(const struct fake_kvm *k)
{
	unsigned i;

	for (i = 0; i < k->nlog; i++)
		fprintf(stderr, "  fake kvm: %s\n", k->log[i]);
}

static inline int fk_vcpu(int fd)
{
	return fd >= FK_VCPU_FD && fd < FK_VCPU_FD + FK_MAX_CPUS ?
	       fd - FK_VCPU_FD : -1;
}

static inline long fk_create(struct fake_kvm *k,
			     struct spirq_kvm_create_device *cd)
{
	bool xics = cd->type == SPIRQ_KVM_DEV_TYPE_XICS;

	if ((xics && !k->has_xics) ||
	    (cd->type == SPIRQ_KVM_DEV_TYPE_XIVE && !k->has_xive) ||
	    (!xics && cd->type != SPIRQ_KVM_DEV_TYPE_XIVE))
		return -ENODEV;
	if (cd->flags & SPIRQ_KVM_CREATE_DEVICE_TEST)
		return 0;
	/* one interrupt controller per VM; an old KVM never frees XICS */
	if (k->dev_fd >= 0 || (xics && k->xics_sticky && k->xics_ever))
		return -EEXIST;
	cd->fd = (uint32_t)k->next_fd++;
	k->dev_fd = (int)cd->fd;
	k->dev_type = (int)cd->type;
	k->open_fds++;
	k->xics_ever |= xics;
	memset(k->connected, 0, sizeof(k->connected));
	memset(k->src_set, 0, sizeof(k->src_set));
	fk_log(k, "CREATE_DEVICE %s fd=%u", xics ? "XICS" : "XIVE", cd->fd);
	return 0;
}

static inline long fk_enable_cap(struct fake_kvm *k, int cpu,
				 const struct spirq_kvm_enable_cap *ec)
{
	if (ec->cap == SPIRQ_KVM_CAP_PPC_PAPR) {
		k->papr[cpu] = true;
		return 0;
	}
	if ((int)ec->args[0] != k->dev_fd)
		return -EBADF;
	if (k->connected[cpu])
		return -EBUSY;
	k->connected[cpu] = true;
	k->server[cpu] = (uint32_t)ec->args[1];
	k->icp[cpu] = 0x00000000ffff0000ull;	/* measured after connect */
	k->vp[cpu][0] = fk_vp_word(FK_VP_CONNECT);	/* measured: ACK# 0xff */
	k->vp[cpu][1] = 0;
	fk_log(k, "ENABLE_CAP %s vcpu=%d server=%u",
	       ec->cap == SPIRQ_KVM_CAP_IRQ_XICS ? "IRQ_XICS" : "PPC_IRQ_XIVE",
	       cpu, k->server[cpu]);
	/* measured: without PAPR mode, linked all the same, then EINVAL */
	return k->papr[cpu] ? 0 : -EINVAL;
}

/* The XICS emulation's delivery of an MSI to a server, as measured. */
static inline void fk_xics_fire(struct fake_kvm *k, uint32_t irq)
{
	uint64_t s = k->src[irq];
	uint32_t server = (uint32_t)s;
	uint8_t prio = (uint8_t)(s >> 32);
	unsigned cpu;

	for (cpu = 0; cpu < FK_MAX_CPUS; cpu++) {
		uint64_t *icp = &k->icp[cpu];
		uint8_t cppr = (uint8_t)(*icp >> 56);
		uint8_t ppri = (uint8_t)(*icp >> 16);

		if (!k->connected[cpu] || k->server[cpu] != server)
			continue;
		if (k->xics_on_xive) {	/* measured: in the queue, the
					 * source PENDING (and P) */
			k->src[irq] |= SPIRQ_KVM_XICS_PENDING |
				       SPIRQ_KVM_XICS_PRESENTED;
			return;
		}
		if (!(s & SPIRQ_KVM_XICS_MASKED) && prio < cppr && prio < ppri) {
			*icp = (*icp & 0xff000000ff000000ull) |
			       (uint64_t)irq << 32 | (uint64_t)prio << 16;
			return;
		}
	}
	k->src[irq] |= SPIRQ_KVM_XICS_PENDING;
}

static inline long fk_attr(struct fake_kvm *k, bool set,
			   const struct spirq_kvm_device_attr *a)
{
	uint64_t *val = (uint64_t *)(uintptr_t)a->addr;
	bool xics = k->dev_type == SPIRQ_KVM_DEV_TYPE_XICS;

	if (a->attr >= FK_NR_IRQS && a->group != SPIRQ_KVM_DEV_XIVE_GRP_EQ_CONFIG)
		return -EINVAL;
	if (xics && a->group == SPIRQ_KVM_DEV_XICS_GRP_SOURCES) {
		if (set) {
			k->src[a->attr] = *val;
			k->src_set[a->attr] = true;
			fk_log(k, "SET XICS source 0x%llx = 0x%016llx",
			       (unsigned long long)a->attr,
			       (unsigned long long)*val);
		} else {
			if (!k->src_set[a->attr])
				return -ENOENT;
			*val = k->src[a->attr];
			fk_log(k, "GET XICS source 0x%llx",
			       (unsigned long long)a->attr);
		}
		return 0;
	}
	if (xics)
		return -ENXIO;
	switch (a->group) {
	case SPIRQ_KVM_DEV_XIVE_GRP_CTRL:
		if (a->attr == SPIRQ_KVM_DEV_XIVE_NR_SERVERS)
			k->nr_servers = *(uint32_t *)(uintptr_t)a->addr;
		fk_log(k, "XIVE CTRL %llu", (unsigned long long)a->attr);
		return 0;
	case SPIRQ_KVM_DEV_XIVE_GRP_SOURCE:
		k->src[a->attr] = *val;
		k->src_set[a->attr] = true;
		k->pq[a->attr] = 1;	/* measured: a new source is at 01 */
		fk_log(k, "SET XIVE source 0x%llx = 0x%llx",
		       (unsigned long long)a->attr, (unsigned long long)*val);
		return 0;
	case SPIRQ_KVM_DEV_XIVE_GRP_SOURCE_CONFIG:
		if (!k->src_set[a->attr])
			return -ENOENT;
		k->src_cfg[a->attr] = *val;
		fk_log(k, "SET XIVE source config 0x%llx = 0x%llx",
		       (unsigned long long)a->attr, (unsigned long long)*val);
		return 0;
	case SPIRQ_KVM_DEV_XIVE_GRP_SOURCE_SYNC:
		return k->src_set[a->attr] ? 0 : -ENOENT;
	case SPIRQ_KVM_DEV_XIVE_GRP_EQ_CONFIG: {
		uint32_t server = (uint32_t)(a->attr >> 3);
		unsigned idx = server * 8 + (a->attr & 7);
		struct spirq_kvm_ppc_xive_eq *eq =
			(struct spirq_kvm_ppc_xive_eq *)(uintptr_t)a->addr;

		if (idx >= FK_MAX_CPUS * 8)
			return -ENOENT;
		if (set) {
			k->eq[idx] = *eq;
			k->eq_sets++;
			fk_log(k, "SET XIVE EQ server=%u prio=%u qshift=%u qaddr=0x%llx",
			       server, (unsigned)(a->attr & 7), eq->qshift,
			       (unsigned long long)eq->qaddr);
		} else {
			*eq = k->eq[idx];
		}
		return 0;
	}
	}
	return -ENXIO;
}

static inline long fk_one_reg(struct fake_kvm *k, int cpu, bool set,
			      const struct spirq_kvm_one_reg *r)
{
	uint64_t *val = (uint64_t *)(uintptr_t)r->addr;

	if (!k->connected[cpu])
		return -EINVAL;
	if (r->id == SPIRQ_KVM_REG_PPC_ICP_STATE) {
		if (set)
			k->icp[cpu] = *val;
		else
			*val = k->icp[cpu];
	} else if (r->id == SPIRQ_KVM_REG_PPC_VP_STATE) {
		if (set && k->refuse_vp && *val != k->vp[cpu][0])
			return -EINVAL;
		if (set)
			memcpy(k->vp[cpu], val, 16);
		else
			memcpy(val, k->vp[cpu], 16);
	} else {
		return -EINVAL;
	}
	fk_log(k, "%s_ONE_REG vcpu=%d %s", set ? "SET" : "GET", cpu,
	       r->id == SPIRQ_KVM_REG_PPC_ICP_STATE ? "ICP_STATE" : "VP_STATE");
	return 0;
}

static inline long fk_ioctl(void *opaque, int fd, unsigned long request,
			    void *arg)
{
	struct fake_kvm *k = opaque;
	int cpu = fk_vcpu(fd);

	k->nioctls++;
	if (k->fail_at && k->nioctls == k->fail_at) {
		fk_log(k, "FAILED ioctl #%u with %d", k->nioctls, k->fail_errno);
		return -k->fail_errno;
	}
	if (fd == FK_VM_FD) {
		if (request == SPIRQ_KVM_CHECK_EXTENSION) {
			uintptr_t cap = (uintptr_t)arg;

			return cap == SPIRQ_KVM_CAP_IRQ_XICS ? k->has_xics :
			       cap == SPIRQ_KVM_CAP_PPC_IRQ_XIVE ? k->has_xive : 0;
		}
		if (request == SPIRQ_KVM_CREATE_DEVICE)
			return fk_create(k, arg);
		if (request == SPIRQ_KVM_IRQ_LINE) {
			const struct spirq_kvm_irq_level *l = arg;

			fk_log(k, "IRQ_LINE 0x%x 0x%x", l->irq, l->level);
			if (l->level == SPIRQ_KVM_INTERRUPT_SET &&
			    k->dev_type == SPIRQ_KVM_DEV_TYPE_XICS)
				fk_xics_fire(k, l->irq);
			return 0;
		}
		return -ENOTTY;
	}
	if (cpu >= 0) {
		if (request == SPIRQ_KVM_ENABLE_CAP)
			return fk_enable_cap(k, cpu, arg);
		if (request == SPIRQ_KVM_SET_ONE_REG ||
		    request == SPIRQ_KVM_GET_ONE_REG)
			return fk_one_reg(k, cpu, request == SPIRQ_KVM_SET_ONE_REG,
					  arg);
		return -ENOTTY;
	}
	if (fd == k->dev_fd) {
		if (request == SPIRQ_KVM_HAS_DEVICE_ATTR &&
		    k->dev_type == SPIRQ_KVM_DEV_TYPE_XICS)	/* measured */
			return k->xics_on_xive ? 0 : -ENXIO;
		if (request == SPIRQ_KVM_HAS_DEVICE_ATTR)
			return k->has_nr_servers ? 0 : -ENXIO;
		if (request == SPIRQ_KVM_SET_DEVICE_ATTR ||
		    request == SPIRQ_KVM_GET_DEVICE_ATTR)
			return fk_attr(k, request == SPIRQ_KVM_SET_DEVICE_ATTR,
				       arg);
		return -ENOTTY;
	}
	return -EBADF;
}

static inline void *fk_mmap(void *opaque, size_t len, int fd, uint64_t off,
			    int *error)
{
	struct fake_kvm *k = opaque;

	if (fd != k->dev_fd || k->dev_type != SPIRQ_KVM_DEV_TYPE_XIVE) {
		*error = EINVAL;
		return NULL;
	}
	k->mmaps++;
	fk_log(k, "MMAP len=0x%zx off=0x%llx", len, (unsigned long long)off);
	return (void *)FK_ESB_BASE;
}

static inline int fk_munmap(void *opaque, void *addr, size_t len)
{
	struct fake_kvm *k = opaque;

	(void)len;
	if ((uintptr_t)addr != FK_ESB_BASE)
		return -EINVAL;
	k->mmaps--;
	return 0;
}

static inline int fk_close(void *opaque, int fd)
{
	struct fake_kvm *k = opaque;

	if (fd != k->dev_fd)
		return -EBADF;
	k->open_fds--;
	k->dev_fd = -1;
	memset(k->connected, 0, sizeof(k->connected));
	fk_log(k, "CLOSE fd=%d", fd);
	return 0;
}

/* ESB management loads/stores and triggers, decoded from the address. */
static inline uint64_t fk_mmio(void *opaque, volatile void *addr, bool store,
			       uint64_t value)
{
	struct fake_kvm *k = opaque;
	uintptr_t off = (uintptr_t)addr - FK_ESB_BASE;
	uint32_t lisn = (uint32_t)(off >> SPIRQ_XIVE_ESB_SHIFT);
	unsigned page = (unsigned)(off >> SPIRQ_XIVE_ESB_PAGE_SHIFT) & 1;
	unsigned op = (unsigned)(off & 0xfff);
	uint8_t old;

	(void)value;
	if (lisn >= FK_NR_IRQS)
		return ~0ull;
	old = k->pq[lisn];
	if (!page) {		/* trigger page */
		if (store) {
			k->triggers++;
			k->pq[lisn] = (uint8_t)(old ? 3 : 2);
			fk_log(k, "ESB trigger 0x%x", lisn);
		}
		return 0;
	}
	if (!store && op >= 0xc00)
		k->pq[lisn] = (uint8_t)((op >> 8) & 3);
	if (!store)
		fk_log(k, "ESB load 0x%x op=0x%x", lisn, op);
	return store ? 0 : host_to_be64(old);
}

static inline struct spapr_kvm_sys fk_sys(struct fake_kvm *k)
{
	struct spapr_kvm_sys sys = {
		.opaque = k,
		.ioctl = fk_ioctl,
		.mmap = fk_mmap,
		.munmap = fk_munmap,
		.close = fk_close,
		.mmio = fk_mmio,
		.page_size = 65536,
	};

	return sys;
}

#endif /* TEST_KVM_FAKE_H */
