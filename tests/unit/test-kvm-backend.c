// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The in-kernel backend against a fake kernel (test-kvm-fake.h): the
 * capability query feeding the kernel-irqchip decision, the sequences of
 * ioctls (create, connect, sources, lines; CAS switches destroying and
 * creating devices; save syncing and restore pushing), error injection at
 * every ioctl, and fds that never leak.
 */
#include "test-spapr-harness.h"
#include "test-kvm-fake.h"

#include "spapr/irq-internal.h"

#define IK_REAL	"irqchip: in-kernel"
#define EMU	"irqchip: emulated"

/* A VMM with a (fake) KVM VM: the harness's host plus the two fds. */
struct kvm_vmm {
	struct host h;			/* first: the RAM callbacks' opaque */
	struct fake_kvm k;
	struct spapr_kvm_sys sys;
	bool no_vm_fd;
};

static int vmm_vm_fd(void *opaque)
{
	struct kvm_vmm *v = opaque;

	return v->no_vm_fd ? -1 : FK_VM_FD;
}

static int vmm_vcpu_fd(void *opaque, unsigned cpu)
{
	return cpu < FK_MAX_CPUS ? FK_VCPU_FD + (int)cpu : -1;
}

static void vmm_init(struct kvm_vmm *v, bool xics, bool xive)
{
	memset(v, 0, sizeof(*v));
	fk_init(&v->k, xics, xive);
	v->sys = fk_sys(&v->k);
}

/* Create a machine on the fake kernel; returns spirq_machine_create's code. */
static int vmm_create(struct kvm_vmm *v, spirq_machine **m, spirq_error *err,
		      const char *machine, const char *accel)
{
	spirq_host_ops ops = {
		.version = SPIRQ_HOST_OPS_VERSION,
		.opaque = v,
		.read_guest = test_ram_read,
		.write_guest = test_ram_write,
		.set_cpu_irq = host_set_cpu_irq,
		.timebase = host_timebase,
		.log = host_log,
		.kvm_vm_fd = vmm_vm_fd,
		.kvm_vcpu_fd = vmm_vcpu_fd,
	};
	const char *argv[] = { "-M", machine, "-accel", accel, "-m", "256M",
			       "-smp", "2,maxcpus=4" };
	spirq_config cfg;

	assert_int_equal(spirq_config_from_args(8, argv, &cfg, err), 0);
	if (!v->h.ram.size)
		assert_int_equal(test_ram_alloc(&v->h.ram, cfg.ram_size), 0);
	return spapr_machine_create_sys(&cfg, &ops, &v->sys, m, err);
}

static spirq_machine *vmm_new(struct kvm_vmm *v, const char *machine,
			      const char *accel)
{
	spirq_machine *m = NULL;
	spirq_error err;
	int ret = vmm_create(v, &m, &err, machine, accel);

	if (ret)
		print_message("refused: %s\n", err.message);
	assert_int_equal(ret, 0);
	return m;
}

static void vmm_free(struct kvm_vmm *v, spirq_machine *m)
{
	spirq_machine_destroy(m);
	assert_int_equal(v->k.open_fds, 0);	/* no fd leaked */
	assert_int_equal(v->k.mmaps, 0);
	host_release(&v->h);
}

static void last_line(spirq_machine *m, char *buf, size_t size)
{
	pic_last_line(m, buf, size);
}

static void assert_irqchip(spirq_machine *m, const char *want)
{
	char last[128];

	last_line(m, last, sizeof(last));
	assert_string_equal(last, want);
}

/* ---- the host ops table -------------------------------------------------- */

/* A version-1 table, exactly as long as version 1 was, still works. */
static void test_host_ops_v1(void **state)
{
	size_t size = offsetof(spirq_host_ops, kvm_vm_fd);
	unsigned char *raw = calloc(1, size);	/* ASan: no byte more */
	const char *argv[] = { "-M", "pseries-7.2", "-accel", "kvm" };
	unsigned version = 1;
	spirq_machine *m;
	spirq_config cfg;

	assert_non_null(raw);
	memcpy(raw + offsetof(spirq_host_ops, version), &version,
	       sizeof(version));
	assert_int_equal(spirq_config_from_args(4, argv, &cfg, NULL), 0);
	assert_int_equal(spirq_machine_create(&cfg, (const void *)raw, &m,
					      NULL), 0);
	free(raw);
	assert_true(pic_has(m, "irqchip: in-kernel (simulated host)"));
	spirq_machine_destroy(m);
}

/* Version 2 without a VM fd is the simulated host, as before. */
static void test_no_vm_fd(void **state)
{
	struct kvm_vmm v;
	spirq_machine *m;

	vmm_init(&v, false, false);
	v.no_vm_fd = true;
	m = vmm_new(&v, "pseries-7.2,ic-mode=xics", "kvm");
	assert_irqchip(m, "irqchip: in-kernel (simulated host)");
	assert_int_equal(v.k.nioctls, 0);
	vmm_free(&v, m);
}

/* ---- the decision from the real host -------------------------------------- */

struct host_case {
	bool xics, xive, sticky;
	const char *machine;
	const char *accel;
	int ret;			/* of spirq_machine_create */
	const char *message;		/* its error, or a warning at CAS 0x40 */
	const char *boot, *after_cas;	/* last line of info pic */
};

static const struct host_case host_cases[] = {
	/* the nested pseries L1: XICS emulation only */
	{ true, false, false, "pseries-7.2,ic-mode=dual,kernel-irqchip=on",
	  "kvm", -SPIRQ_ERR_CONFIG,
	  "ic-mode=dual,kernel-irqchip=on requires an in-kernel XIVE, which this host lacks", NULL, NULL },
	{ true, false, false, "pseries-7.2,ic-mode=dual", "kvm", 0,
	  "kernel_irqchip allowed but unavailable: IRQ_XIVE capability must be present for KVM",
	  IK_REAL, EMU },
	{ true, false, false, "pseries-7.2,ic-mode=xics,kernel-irqchip=on",
	  "kvm", 0, NULL, IK_REAL, IK_REAL },
	{ true, false, false, "pseries-7.2,ic-mode=xive,kernel-irqchip=on",
	  "kvm", -SPIRQ_ERR_CONFIG,
	  "kernel_irqchip requested but unavailable: IRQ_XIVE capability must be present for KVM", NULL, NULL },
	/* powernv9: both */
	{ true, true, false, "pseries-7.2,ic-mode=dual,kernel-irqchip=on",
	  "kvm", 0, NULL, IK_REAL, IK_REAL },
	/* no XICS at all */
	{ false, true, false, "pseries-7.2,ic-mode=xics,kernel-irqchip=on",
	  "kvm", -SPIRQ_ERR_CONFIG,
	  "kernel_irqchip requested but unavailable: KVM and IRQ_XICS capability must be present for in-kernel XICS", NULL, NULL },
	/* an old KVM whose XICS device cannot come back */
	{ true, true, true, "pseries-7.2,ic-mode=dual,kernel-irqchip=on",
	  "kvm", -SPIRQ_ERR_CONFIG,
	  "KVM is incompatible with ic-mode=dual,kernel-irqchip=on", NULL, NULL },
	/* the described host is replaced by the real one */
	{ false, false, false, "pseries-7.2,ic-mode=dual", "kvm", 0,
	  "kernel_irqchip allowed but unavailable: KVM and IRQ_XICS capability must be present for in-kernel XICS",
	  EMU, EMU },
	/* kernel-irqchip=off: the fd is not even asked for */
	{ true, true, false, "pseries-7.2,ic-mode=dual,kernel-irqchip=off",
	  "kvm", 0, NULL, EMU, EMU },
};

static void test_real_host_decides(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(host_cases) / sizeof(host_cases[0]); i++) {
		const struct host_case *c = &host_cases[i];
		spirq_machine *m = NULL;
		struct kvm_vmm v;
		spirq_error err;
		int ret;

		print_message("xics=%d xive=%d sticky=%d -M %s\n", c->xics,
			      c->xive, c->sticky, c->machine);
		vmm_init(&v, c->xics, c->xive);
		v.k.xics_sticky = c->sticky;
		ret = vmm_create(&v, &m, &err, c->machine, c->accel);
		assert_int_equal(ret, c->ret);
		if (ret) {
			assert_null(m);
			assert_non_null(strstr(err.message, c->message));
			assert_int_equal(v.k.open_fds, 0);
			host_release(&v.h);
			continue;
		}
		assert_irqchip(m, c->boot);
		assert_int_equal(spirq_cas(m, strstr(c->machine, "=xics") ?
					   0x00 : 0x40, NULL, NULL), 0);
		assert_irqchip(m, c->after_cas);
		if (c->message)
			assert_int_equal(host_log_count(&v.h, 0,
				SPIRQ_LOG_WARNING, c->message), 1);
		vmm_free(&v, m);
	}
}

/* spirq_kvm_host_caps() on something that is not a VM fd. */
static void test_host_caps_bad_fd(void **state)
{
	spirq_host_caps caps = { .smt = 4 };
	spirq_error err;

	assert_int_equal(spirq_kvm_host_caps(-1, &caps, &err),
			 -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_kvm_host_caps(0, &caps, &err),
			 -SPIRQ_ERR_KERNEL);
	assert_non_null(strstr(err.message, "KVM_CHECK_EXTENSION"));
	assert_int_equal(caps.smt, 4);
}

/* ---- XICS ------------------------------------------------------------------- */

static spirq_machine *xics_machine(struct kvm_vmm *v)
{
	vmm_init(v, true, false);
	return vmm_new(v, "pseries-7.2,ic-mode=xics,kernel-irqchip=on", "kvm");
}

/* create -> connect (each vCPU once, its presenter loaded) -> sources -> lines */
static void test_xics_sequence(void **state)
{
	struct kvm_vmm v;
	spirq_machine *m = xics_machine(&v);
	const struct fake_kvm *k = &v.k;
	int create, c0, c1;

	create = fk_find(k, 0, "CREATE_DEVICE XICS");
	c0 = fk_find(k, 0, "ENABLE_CAP IRQ_XICS vcpu=0 server=0");
	c1 = fk_find(k, 0, "ENABLE_CAP IRQ_XICS vcpu=1 server=1");
	assert_true(create >= 0 && c0 > create && c1 > create);
	assert_true(fk_find(k, (unsigned)c0, "SET_ONE_REG vcpu=0 ICP_STATE") > c0);
	assert_int_equal(fk_count(k, "ENABLE_CAP"), 2);
	assert_int_equal(k->open_fds, 1);
	/* spirq's reset presenter: CPPR 0, MFRR 0xff, nothing pending */
	assert_int_equal(k->icp[0], 0x00000000ffff0000ull);

	/* a claim writes the source: MSI, masked, server 0 */
	assert_int_equal(spirq_irq_claim(m, 0x1200, false, NULL), 0);
	assert_int_equal(k->src[0x1200], SPIRQ_KVM_XICS_MASKED |
					 (0xffull << 32));
	assert_int_equal(spirq_irq_claim(m, 0x1201, true, NULL), 0);
	assert_true(k->src[0x1201] & SPIRQ_KVM_XICS_LEVEL_SENSITIVE);

	/* RTAS reads the kernel's source, then writes the new routing */
	{
		unsigned from = k->nlog;

		assert_int_equal(set_xive(m, 0x1200, 0, 5), 0);
		assert_true(fk_find(k, from, "GET XICS source 0x1200") >= 0);
		assert_int_equal(k->src[0x1200], 5ull << 32);
	}

	/* lines: an MSI fires once, an LSI follows its level */
	v.k.icp[0] = 0xff000000ffff0000ull;	/* the guest set CPPR 0xff */
	assert_int_equal(spirq_set_irq(m, 0x1200, 1), 0);
	assert_int_equal(spirq_set_irq(m, 0x1200, 0), 0);
	assert_int_equal(fk_count(k, "IRQ_LINE 0x1200 0xffffffff"), 1);
	assert_int_equal(fk_count(k, "IRQ_LINE 0x1200"), 1);
	assert_int_equal(k->icp[0], 0xff001200ff050000ull);	/* measured */
	assert_int_equal(spirq_set_irq(m, 0x1201, 1), 0);
	assert_int_equal(spirq_set_irq(m, 0x1201, 0), 0);
	assert_int_equal(fk_count(k, "IRQ_LINE 0x1201 0xfffffffd"), 1);
	assert_int_equal(fk_count(k, "IRQ_LINE 0x1201 0xfffffffe"), 1);

	/* info pic syncs first: the presenter the kernel holds */
	assert_true(pic_has(m, "CPU 0 XIRR=ff001200 (0x1) PP=05 MFRR=ff"));
	assert_irqchip(m, IK_REAL);
	/* the guest's XICS hcalls are the kernel's; others are no one's */
	assert_int_equal(hcall(m, 0, SPIRQ_H_XIRR, NULL, 0), SPIRQ_H_HARDWARE);
	assert_int_equal(hcall(m, 0, SPIRQ_H_IPI, NULL, 1, 5),
			 SPIRQ_H_HARDWARE);
	assert_int_equal(hcall(m, 0, 0x4, NULL, 0), SPIRQ_H_FUNCTION);
	/* a freed source stays in the kernel, masked */
	assert_int_equal(spirq_irq_free(m, 0x1200), 0);
	assert_true(k->src[0x1200] & SPIRQ_KVM_XICS_MASKED);
	assert_int_equal(k->src[0x1200] >> 32 & 0xff, 0xff);
	vmm_free(&v, m);
}

/* Without KVM_CAP_PPC_PAPR on a vCPU, the kernel refuses the connection. */
static void test_connect_before_papr(void **state)
{
	spirq_machine *m = NULL;
	struct kvm_vmm v;
	spirq_error err;

	vmm_init(&v, true, false);
	v.k.papr[1] = false;
	assert_int_equal(vmm_create(&v, &m, &err,
			 "pseries-7.2,ic-mode=xics,kernel-irqchip=on", "kvm"),
			 -SPIRQ_ERR_KERNEL);
	assert_null(m);
	assert_non_null(strstr(err.message, "KVM_ENABLE_CAP(KVM_CAP_IRQ_XICS) of vCPU 1"));
	assert_non_null(strstr(err.message, "KVM_CAP_PPC_PAPR must be enabled"));
	assert_non_null(strstr(err.message, "-22 (Invalid argument)"));
	assert_int_equal(host_log_count(&v.h, 0, SPIRQ_LOG_WARNING,
					"-22 (Invalid argument)"), 1);
	assert_int_equal(v.k.open_fds, 0);
	host_release(&v.h);

	/* "allowed": the guest runs on the emulated XICS, told why */
	vmm_init(&v, true, false);
	v.k.papr[1] = false;
	m = vmm_new(&v, "pseries-7.2,ic-mode=xics", "kvm");
	assert_irqchip(m, EMU);
	assert_int_equal(host_log_count(&v.h, 0, SPIRQ_LOG_WARNING,
					"could not be set up, xics runs emulated"), 1);
	assert_int_equal(v.k.open_fds, 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_CPPR, NULL, 0xff), SPIRQ_H_SUCCESS);
	vmm_free(&v, m);
}

/* Hot-plug connects the new vCPUs; an unplugged one stays connected. */
static void test_xics_hotplug(void **state)
{
	struct kvm_vmm v;
	spirq_machine *m;

	vmm_init(&v, true, false);
	m = vmm_new(&v, "pseries-7.2,ic-mode=xics,kernel-irqchip=on",
		    "kvm");
	assert_int_equal(spirq_cpu_plug(m, 2, NULL), 0);
	assert_int_equal(fk_count(&v.k, "ENABLE_CAP IRQ_XICS vcpu=2"), 1);
	assert_int_equal(spirq_irq_claim(m, 0x1300, false, NULL), 0);
	assert_int_equal(set_xive(m, 0x1300, 2, 4), 0);
	assert_int_equal(spirq_cpu_unplug(m, 2, NULL), 0);
	/* the source aimed at it is masked in the kernel too */
	assert_true(v.k.src[0x1300] & SPIRQ_KVM_XICS_MASKED);
	assert_int_equal(spirq_cpu_plug(m, 2, NULL), 0);
	assert_int_equal(fk_count(&v.k, "ENABLE_CAP IRQ_XICS vcpu=2"), 1);

	/* a vCPU not in PAPR mode: refused, not plugged */
	{
		spirq_error err;

		v.k.papr[3] = false;
		assert_int_equal(spirq_cpu_plug(m, 3, &err), -SPIRQ_ERR_KERNEL);
		assert_non_null(strstr(err.message, "KVM_CAP_PPC_PAPR must be enabled"));
		assert_non_null(strstr(err.message, "Invalid argument"));
		assert_false(pic_has(m, "CPU 3 XIRR"));
		/* the embedder puts it in PAPR mode and plugs it again: the
		 * kernel's link (EBUSY now) is taken as made */
		v.k.papr[3] = true;
		assert_int_equal(spirq_cpu_plug(m, 3, &err), 0);
		assert_true(pic_has(m, "CPU 3 XIRR=00000000 ((nil)) PP=ff MFRR=ff"));
		assert_int_equal(v.k.icp[3], 0x00000000ffff0000ull);
	}
	vmm_free(&v, m);
}

/* ---- CAS switches and reset ---------------------------------------------------- */

static void test_cas_switch(void **state)
{
	struct kvm_vmm v;
	spirq_machine *m;
	uint64_t off, size;
	int fd;

	vmm_init(&v, true, true);
	m = vmm_new(&v, "pseries-7.2,ic-mode=dual,kernel-irqchip=on", "kvm");
	assert_int_equal(v.k.dev_type, SPIRQ_KVM_DEV_TYPE_XICS);
	assert_int_equal(spirq_kvm_mmio_region(m, SPIRQ_REGION_ESB, &fd, &off,
					       &size), -SPIRQ_ERR_NOTFOUND);

	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_int_equal(v.k.dev_type, SPIRQ_KVM_DEV_TYPE_XIVE);
	assert_int_equal(v.k.open_fds, 1);
	assert_int_equal(v.k.mmaps, 1);
	assert_true(fk_find(&v.k, 0, "CLOSE") <
		    fk_find(&v.k, 0, "CREATE_DEVICE XIVE"));
	/* NR_SERVERS (seed-000 sizing) before the vCPUs are connected */
	assert_true(fk_find(&v.k, 0, "XIVE CTRL 3") <
		    fk_find(&v.k, 0, "ENABLE_CAP PPC_IRQ_XIVE vcpu=0"));
	assert_int_equal(v.k.nr_servers, 4);
	assert_int_equal(spirq_kvm_mmio_region(m, SPIRQ_REGION_ESB, &fd, &off,
					       &size), 0);
	assert_int_equal(fd, v.k.dev_fd);
	assert_int_equal(off, 4 * 65536);
	assert_int_equal(size, (uint64_t)SPIRQ_XIVE_NR_SOURCES << 17);
	assert_int_equal(spirq_kvm_mmio_region(m, SPIRQ_REGION_TIMA, &fd, &off,
					       &size), 0);
	assert_int_equal(off, 0);
	assert_int_equal(size, SPIRQ_XIVE_TM_WINDOW_SIZE);
	assert_irqchip(m, IK_REAL);

	/* reset: back to XICS, XIVE destroyed (the first two XICS devices
	 * were the start-up probe of dual + kernel-irqchip=on) */
	assert_int_equal(fk_count(&v.k, "CREATE_DEVICE XICS"), 3);
	assert_int_equal(spirq_reset(m), 0);
	assert_int_equal(v.k.dev_type, SPIRQ_KVM_DEV_TYPE_XICS);
	assert_int_equal(v.k.open_fds, 1);
	assert_int_equal(v.k.mmaps, 0);
	assert_int_equal(fk_count(&v.k, "CREATE_DEVICE XICS"), 4);
	/* a reset that keeps XICS keeps its device */
	assert_int_equal(spirq_reset(m), 0);
	assert_int_equal(fk_count(&v.k, "CREATE_DEVICE XICS"), 4);
	vmm_free(&v, m);
}

/* ---- XIVE native ------------------------------------------------------------------ */

static spirq_machine *xive_machine(struct kvm_vmm *v)
{
	spirq_machine *m;

	vmm_init(v, true, true);
	m = vmm_new(v, "pseries-7.2,ic-mode=xive,kernel-irqchip=on", "kvm");
	assert_int_equal(v->k.dev_type, SPIRQ_KVM_DEV_TYPE_XIVE);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	return m;
}

static void test_xive_sequence(void **state)
{
	struct kvm_vmm v;
	spirq_machine *m = xive_machine(&v);
	uint64_t rets[SPIRQ_HCALL_MAX_RETS];

	/* the IPIs exist in the kernel, at the model's PQ (01) */
	assert_true(v.k.src_set[0]);
	assert_int_equal(v.k.pq[0], 1);
	/* a claimed MSI: source, then its routing */
	assert_int_equal(spirq_irq_claim(m, 0x1200, false, NULL), 0);
	assert_true(v.k.src_set[0x1200]);
	assert_int_equal(v.k.src[0x1200], 0);
	/* the guest's queue and routing, carried out on the device */
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_SET_QUEUE_CONFIG, NULL,
			       0, 0, 6, 0x100000, 16), SPIRQ_H_SUCCESS);
	assert_int_equal(v.k.eq[6].qshift, 16);
	assert_int_equal(v.k.eq[6].qaddr, 0x100000);
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, NULL,
			       XIVE_SRC_SET_EISN, 0x1200, 0, 6, 0x1200),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(v.k.src_cfg[0x1200], 0x240000000006ull); /* measured */
	/* PQ 00 through H_INT_ESB, on the device's page */
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_ESB, rets, 0, 0x1200, 0xc00, 0),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 1);
	assert_int_equal(v.k.pq[0x1200], 0);
	/* an MSI line is an ESB trigger */
	assert_int_equal(spirq_set_irq(m, 0x1200, 1), 0);
	assert_int_equal(v.k.triggers, 1);
	/* the kernel moved the queue: GET_QUEUE_CONFIG sees it */
	v.k.eq[6].qindex = 1;
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_QUEUE_CONFIG, rets,
			       1 /* debug */, 0, 6), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[3] & 0xffffffff, 1);
	/* XICS hcalls and unknown ones: H_FUNCTION, the kernel's XIVE
	 * device leaving them to spirq (which has no XICS here) */
	assert_int_equal(hcall(m, 0, SPIRQ_H_XIRR, NULL, 0), SPIRQ_H_FUNCTION);
	assert_int_equal(hcall(m, 0, SPIRQ_H_CPPR, NULL, 0xff),
			 SPIRQ_H_FUNCTION);
	assert_int_equal(hcall(m, 0, 0x4, NULL, 0), SPIRQ_H_FUNCTION);
	/* the guest's TIMA is the kernel's */
	assert_int_equal(spirq_mmio_load(m, 0, SPIRQ_REGION_TIMA, 0x20010, 4,
					 &rets[0]), -SPIRQ_ERR_NOTFOUND);
	/* a kernel refusing a routing leaves the model's */
	v.k.fail_at = v.k.nioctls + 1;
	v.k.fail_errno = EIO;
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_SET_SOURCE_CONFIG, NULL,
			       XIVE_SRC_SET_EISN, 0x1200, 0, 5, 0x99),
			 SPIRQ_H_HARDWARE);
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_GET_SOURCE_CONFIG, rets,
			       0, 0x1200), SPIRQ_H_SUCCESS);
	assert_int_equal(rets[1], 6);
	assert_int_equal(rets[2], 0x1200);
	/* a freed LISN stays routed in the kernel, masked */
	assert_int_equal(spirq_irq_free(m, 0x1200), 0);
	assert_int_equal(v.k.src_cfg[0x1200],
			 0x240000000006ull | SPIRQ_KVM_XIVE_SOURCE_MASKED_MASK);
	vmm_free(&v, m);
}

/*
 * An LSI's EOI through H_INT_ESB: the kernel's ESB knows no level, so
 * spirq resets PQ and triggers again while KVM_IRQ_LINE holds it high.
 */
static void test_xive_lsi_eoi(void **state)
{
	struct kvm_vmm v;
	spirq_machine *m = xive_machine(&v);
	uint64_t rets[SPIRQ_HCALL_MAX_RETS];

	(void)state;
	assert_int_equal(spirq_irq_claim(m, 0x1201, true, NULL), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_ESB, rets, 0, 0x1201, 0xc00, 0),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(spirq_set_irq(m, 0x1201, 1), 0);
	assert_true(fk_find(&v.k, 0, "IRQ_LINE 0x1201") >= 0);
	/* the level is the model's too: info pic shows it (A; not routed) */
	assert_true(pic_has(m, "  00001201 LSI --A M 00000000"));
	/* EOI while asserted: PQ 00, then a trigger */
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_ESB, rets, 0, 0x1201, 0, 0),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 1);
	assert_int_equal(v.k.triggers, 1);
	assert_int_equal(v.k.pq[0x1201], 2);
	/* deasserted: the EOI only resets PQ */
	assert_int_equal(spirq_set_irq(m, 0x1201, 0), 0);
	assert_int_equal(hcall(m, 0, SPIRQ_H_INT_ESB, rets, 0, 0x1201, 0, 0),
			 SPIRQ_H_SUCCESS);
	assert_int_equal(rets[0], 0);
	assert_int_equal(v.k.triggers, 1);
	assert_int_equal(v.k.pq[0x1201], 0);
	vmm_free(&v, m);
}

/*
 * The IPIs' status bytes are stored transposed (xive_status()): the
 * kernel's PQ of IPI 1 lands on IPI 1, not on the byte at index 1 (IPI
 * 64's), when info pic reads the sources back.
 */
static void test_xive_sync_ipi_pq(void **state)
{
	struct kvm_vmm v;
	spirq_machine *m = xive_machine(&v);

	(void)state;
	v.k.pq[1] = 2;		/* P: triggered, the guest masked it */
	assert_true(pic_has(m, "  00000001 MSI P-  M 00000000"));
	assert_true(pic_has(m, "  00000000 MSI -Q  M 00000000"));
	vmm_free(&v, m);
}

/* VP state: word 0 is the raw TIMA QW1 image, both ways. */
static void test_xive_vp_state(void **state)
{
	struct kvm_vmm v;
	spirq_machine *m = xive_machine(&v);
	uint8_t *buf;
	size_t len;

	/* after the guest acknowledged priority 6 (measured) */
	v.k.vp[0][0] = fk_vp_word((const uint8_t[8]){ 0, 6, 0, 0, 0xff, 0, 0,
						      0xff });
	/* the bytes a guest changes: NSR, CPPR, IPB, PIPR (the kernel's
	 * LSMFB and AGE, 0, are not the model's) */
	assert_true(pic_has(m, "CPU[0000]:   OS    00   06  00    ff   ff  00  ff   ff  80000400"));
	buf = stream_save(m, &len);
	assert_true(fk_find(&v.k, 0, "GET_ONE_REG vcpu=0 VP_STATE") >= 0);
	v.k.vp[0][0] = 0;
	{
		spirq_error err;
		int ret = spirq_restore(m, buf, len, &err);

		if (ret)
			print_message("restore: %s\n", err.message);
		assert_int_equal(ret, 0);
	}
	assert_int_equal(v.k.vp[0][0],
			 fk_vp_word((const uint8_t[8]){ 0, 6, 0, 0xff, 0xff, 0,
							0xff, 0xff }));

	/* a VP state the kernel refuses: the restore is refused whole */
	{
		uint8_t *before, *after;
		size_t blen, alen;
		spirq_error err;

		v.k.vp[0][0] = fk_vp_word(FK_VP_CONNECT);
		before = stream_save(m, &blen);
		v.k.refuse_vp = true;
		assert_int_equal(spirq_restore(m, buf, len, &err),
				 -SPIRQ_ERR_KERNEL);
		assert_non_null(strstr(err.message, "VP_STATE"));
		v.k.refuse_vp = false;
		after = stream_save(m, &alen);
		assert_int_equal(alen, blen);
		assert_memory_equal(after, before, blen);
		assert_int_equal(v.k.vp[0][0], fk_vp_word(FK_VP_CONNECT));
		free(after);
		free(before);
	}
	free(buf);
	vmm_free(&v, m);
}

/*
 * A priority that became pending while the VP was not dispatched: the
 * kernel's VP_STATE has it in the IPB only, NSR 0 (measured on powernv9:
 * the MSI raised while the vCPU waited in the VMM).  The model signals it
 * (NSR EO), as the hardware does at dispatch, so that after a move to
 * the emulated backend the guest's ACK takes it and its line is up.
 */
static void test_xive_vp_pending_not_dispatched(void **state)
{
	struct kvm_vmm v;
	spirq_machine *m = xive_machine(&v);
	spirq_machine *emu;
	struct host h;
	uint64_t ack = 0;
	uint8_t *buf;
	size_t len;

	/* CPPR 0xff, IPB priority 6, NSR 0, the kernel's PIPR 0xff */
	v.k.vp[0][0] = fk_vp_word((const uint8_t[8]){ 0, 0xff, 0x02, 0, 0xff,
						      0, 0, 0xff });
	assert_true(pic_has(m, "CPU[0000]:   OS    80   ff  02    ff   ff  00  ff   06  80000400"));
	buf = stream_save(m, &len);
	emu = machine_new(&h, "-M", "pseries-7.2,ic-mode=xive", "-accel",
			  "kvm", "-m", "256M", "-smp", "2,maxcpus=4", NULL);
	assert_int_equal(spirq_cas(emu, 0x40, NULL, NULL), 0);
	assert_int_equal(spirq_restore(emu, buf, len, NULL), 0);
	assert_int_equal(h.line[0], 1);
	assert_int_equal(spirq_mmio_load(emu, 0, SPIRQ_REGION_TIMA,
					 (2ull << SPIRQ_XIVE_TM_PAGE_SHIFT) + 0x810,
					 2, &ack), 0);
	assert_int_equal(ack, 0x8006);
	free(buf);
	machine_free(&h, emu);
	vmm_free(&v, m);
}

/* ---- migration ---------------------------------------------------------------------- */

/* A stream saved in the kernel restores into the emulated model, and back. */
static void test_migration_both_ways(void **state)
{
	struct kvm_vmm v;
	spirq_machine *m = xics_machine(&v);
	spirq_machine *emu;
	struct host h;
	uint8_t *buf, *buf2;
	size_t len, len2;
	struct pic *a = pic_new(), *b = pic_new();
	const char *ta, *tb;

	assert_int_equal(spirq_irq_claim(m, 0x1200, false, NULL), 0);
	assert_int_equal(set_xive(m, 0x1200, 0, 5), 0);
	v.k.icp[0] = 0xff000000ffff0000ull;
	assert_int_equal(spirq_set_irq(m, 0x1200, 1), 0);
	buf = stream_save(m, &len);
	assert_true(fk_find(&v.k, 0, "GET_ONE_REG vcpu=0 ICP_STATE") >= 0);

	emu = machine_new(&h, "-M", "pseries-7.2,ic-mode=xics", "-accel",
			  "kvm", "-m", "256M", "-smp", "2,maxcpus=4", NULL);
	assert_int_equal(spirq_irq_claim(emu, 0x1200, false, NULL), 0);
	{
		spirq_error err;
		int ret = spirq_restore(emu, buf, len, &err);

		if (ret)
			print_message("restore: %s\n", err.message);
		assert_int_equal(ret, 0);
	}
	ta = info_pic(m, a);
	tb = info_pic(emu, b);
	/* the same state, but the irqchip line */
	assert_memory_equal(ta, tb, strlen(ta) - strlen(IK_REAL));
	assert_true(pic_has(emu, "CPU 0 XIRR=ff001200 (0x1) PP=05 MFRR=ff"));

	/* and back: the emulated one's stream pushed into the kernel */
	assert_int_equal(hcall(emu, 0, SPIRQ_H_XIRR, NULL, 0), SPIRQ_H_SUCCESS);
	buf2 = stream_save(emu, &len2);
	v.k.icp[0] = 0;
	{
		size_t footprint = spirq_machine_footprint(m);

		assert_int_equal(spirq_restore(m, buf2, len2, NULL), 0);
		/* the backend's bytes stay counted by its machine */
		assert_int_equal(spirq_machine_footprint(m), footprint);
	}
	/* accepted: CPPR 5, nothing pending */
	assert_int_equal(v.k.icp[0], 0x05000000ffff0000ull);
	free(buf);
	free(buf2);
	free(a);
	free(b);
	machine_free(&h, emu);
	vmm_free(&v, m);
}

/*
 * The emulated model's presented MSI (in vCPU 0's XISR) restored into
 * XICS-on-XIVE: vCPUs connected before any source is written (the kernel
 * routes a source to connected servers only), the source PENDING and not
 * PRESENTED, no XISR in ICP_STATE (what the kernel re-fires itself;
 * PRESENTED with the XISR is swallowed there, measured on powernv9).
 */
static void back_to_xics_on_xive(spirq_machine *emu)
{
	struct kvm_vmm v;
	spirq_machine *m;
	uint8_t *buf;
	size_t len;
	int connect, source;

	buf = stream_save(emu, &len);
	vmm_init(&v, true, true);
	v.k.xics_on_xive = true;
	m = vmm_new(&v, "pseries-7.2,ic-mode=xics,kernel-irqchip=on", "kvm");
	assert_int_equal(spirq_irq_claim(m, 0x1200, false, NULL), 0);
	v.k.nlog = 0;
	assert_int_equal(spirq_restore(m, buf, len, NULL), 0);
	assert_true(v.k.src[0x1200] & SPIRQ_KVM_XICS_PENDING);
	assert_false(v.k.src[0x1200] & SPIRQ_KVM_XICS_PRESENTED);
	assert_false(v.k.src[0x1200] & SPIRQ_KVM_XICS_MASKED);
	assert_int_equal(v.k.icp[0], 0xff000000ffff0000ull);
	free(buf);
	vmm_free(&v, m);

	/* a XICS device created when sources are claimed already (reset
	 * after XIVE was negotiated): the connects come before the sources */
	vmm_init(&v, true, true);
	v.k.xics_on_xive = true;
	m = vmm_new(&v, "pseries-7.2,ic-mode=dual,kernel-irqchip=on", "kvm");
	assert_int_equal(spirq_irq_claim(m, 0x1200, false, NULL), 0);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	v.k.nlog = 0;
	assert_int_equal(spirq_reset(m), 0);
	connect = fk_find(&v.k, 0, "ENABLE_CAP IRQ_XICS vcpu=0");
	source = fk_find(&v.k, 0, "SET XICS source 0x1200");
	assert_true(fk_find(&v.k, 0, "CREATE_DEVICE XICS") >= 0);
	assert_true(connect >= 0 && source > connect);
	vmm_free(&v, m);
}

/*
 * XICS-on-XIVE shows no XISR: what sits in the vCPU's queue is shown, and
 * migrated, as the presented interrupt the guest's next H_XIRR gets.
 */
static void test_xics_on_xive_presented(void **state)
{
	struct kvm_vmm v;
	spirq_machine *m, *emu;
	struct host h;
	uint8_t *buf;
	size_t len;

	vmm_init(&v, true, true);
	v.k.xics_on_xive = true;
	m = vmm_new(&v, "pseries-7.2,ic-mode=xics,kernel-irqchip=on", "kvm");
	assert_int_equal(spirq_irq_claim(m, 0x1200, false, NULL), 0);
	assert_int_equal(set_xive(m, 0x1200, 0, 5), 0);
	v.k.icp[0] = 0xff000000ffff0000ull;
	assert_int_equal(spirq_set_irq(m, 0x1200, 1), 0);
	assert_int_equal(v.k.icp[0], 0xff000000ffff0000ull);
	assert_true(pic_has(m, "CPU 0 XIRR=ff001200 (0x1) PP=05 MFRR=ff"));
	buf = stream_save(m, &len);
	emu = machine_new(&h, "-M", "pseries-7.2,ic-mode=xics", "-accel",
			  "kvm", "-m", "256M", "-smp", "2,maxcpus=4", NULL);
	assert_int_equal(spirq_irq_claim(emu, 0x1200, false, NULL), 0);
	assert_int_equal(spirq_restore(emu, buf, len, NULL), 0);
	back_to_xics_on_xive(emu);
	{
		uint64_t rets[SPIRQ_HCALL_MAX_RETS] = { 0 };

		assert_int_equal(hcall(emu, 0, SPIRQ_H_XIRR, rets, 0),
				 SPIRQ_H_SUCCESS);
		assert_int_equal(rets[0], 0xff001200);
	}
	free(buf);
	machine_free(&h, emu);
	vmm_free(&v, m);
}

/* ---- error injection ---------------------------------------------------------------- */

/* Each ioctl of a machine's life failing in turn: never a crash, never a
 * leaked fd, and every failure is an error code or an emulated fallback. */
static void test_every_ioctl_fails(void **state)
{
	unsigned n, total;
	struct kvm_vmm v;
	spirq_machine *m;

	/* count the ioctls of a scenario first */
	m = xics_machine(&v);
	assert_int_equal(spirq_cas(m, 0x00, NULL, NULL), 0);
	vmm_free(&v, m);

	vmm_init(&v, true, true);
	m = vmm_new(&v, "pseries-7.2,ic-mode=dual", "kvm");
	assert_int_equal(spirq_irq_claim(m, 0x1200, false, NULL), 0);
	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_int_equal(spirq_reset(m), 0);
	total = v.k.nioctls;
	vmm_free(&v, m);

	for (n = 1; n <= total + 2; n++) {
		spirq_error err;
		int ret;

		vmm_init(&v, true, true);
		v.k.fail_at = n;
		v.k.fail_errno = EIO;
		m = NULL;
		ret = vmm_create(&v, &m, &err, "pseries-7.2,ic-mode=dual",
				 "kvm");
		if (ret) {
			assert_int_equal(ret, -SPIRQ_ERR_KERNEL);
			assert_int_equal(v.k.open_fds, 0);
			host_release(&v.h);
			continue;
		}
		ret = spirq_irq_claim(m, 0x1200, false, &err);
		assert_true(ret == 0 || ret == -SPIRQ_ERR_KERNEL);
		if (ret)
			assert_non_null(strstr(err.message, "Input/output error"));
		assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
		assert_int_equal(spirq_reset(m), 0);
		assert_true(v.k.open_fds <= 1);
		vmm_free(&v, m);
	}
}

/* XICS operations refused by the kernel change nothing in spirq. */
static void test_xics_errors_keep_state(void **state)
{
	struct kvm_vmm v;
	spirq_machine *m = xics_machine(&v);
	uint32_t server, prio, rets[4];
	const uint32_t args[] = { 0x1200, 1, 3 };
	spirq_error err;

	assert_int_equal(spirq_irq_claim(m, 0x1200, false, NULL), 0);
	assert_int_equal(set_xive(m, 0x1200, 0, 5), 0);

	/* claim */
	v.k.fail_at = v.k.nioctls + 1;
	v.k.fail_errno = ENOMEM;
	assert_int_equal(spirq_irq_claim(m, 0x1201, false, &err),
			 -SPIRQ_ERR_KERNEL);
	assert_non_null(strstr(err.message, "Cannot allocate memory"));
	assert_int_equal(spirq_set_irq(m, 0x1201, 1), -SPIRQ_ERR_NOTFOUND);
	assert_int_equal(spirq_irq_claim(m, 0x1201, false, NULL), 0);

	/* RTAS: the sync, then the write, refused */
	v.k.fail_at = v.k.nioctls + 2;
	assert_int_equal(spirq_rtas(m, 0, SPIRQ_RTAS_SET_XIVE, 3, args, 1,
				    rets), -SPIRQ_ERR_KERNEL);
	assert_int_equal((int32_t)rets[0], SPIRQ_RTAS_OUT_HW_ERROR);
	assert_int_equal(get_xive(m, 0x1200, &server, &prio), 0);
	assert_int_equal(server, 0);
	assert_int_equal(prio, 5);
	assert_int_equal(v.k.src[0x1200], 5ull << 32);

	/* a line */
	v.k.fail_at = v.k.nioctls + 1;
	assert_int_equal(spirq_set_irq(m, 0x1200, 1), -SPIRQ_ERR_KERNEL);

	/* save and info pic need the kernel's state */
	v.k.fail_at = v.k.nioctls + 1;
	assert_int_equal(spirq_save(m, NULL, 0, NULL), -SPIRQ_ERR_KERNEL);
	v.k.fail_at = v.k.nioctls + 1;
	{
		struct pic *p = pic_new();

		assert_int_equal(spirq_info_pic(m, pic_line, p),
				 -SPIRQ_ERR_KERNEL);
		free(p);
	}
	vmm_free(&v, m);
}

/* The constants agree with the installed <linux/kvm.h> (generic part). */
#include <linux/kvm.h>
static void test_abi_constants(void **state)
{
	assert_int_equal(SPIRQ_KVM_CHECK_EXTENSION, KVM_CHECK_EXTENSION);
	assert_int_equal(SPIRQ_KVM_CREATE_DEVICE, KVM_CREATE_DEVICE);
	assert_int_equal(SPIRQ_KVM_SET_DEVICE_ATTR, KVM_SET_DEVICE_ATTR);
	assert_int_equal(SPIRQ_KVM_GET_DEVICE_ATTR, KVM_GET_DEVICE_ATTR);
	assert_int_equal(SPIRQ_KVM_HAS_DEVICE_ATTR, KVM_HAS_DEVICE_ATTR);
	assert_int_equal(SPIRQ_KVM_ENABLE_CAP, KVM_ENABLE_CAP);
	assert_int_equal(SPIRQ_KVM_IRQ_LINE, KVM_IRQ_LINE);
	assert_int_equal(SPIRQ_KVM_GET_ONE_REG, KVM_GET_ONE_REG);
	assert_int_equal(SPIRQ_KVM_SET_ONE_REG, KVM_SET_ONE_REG);
	assert_int_equal(SPIRQ_KVM_CAP_IRQ_XICS, KVM_CAP_IRQ_XICS);
	assert_int_equal(SPIRQ_KVM_CAP_PPC_IRQ_XIVE, KVM_CAP_PPC_IRQ_XIVE);
	assert_int_equal(SPIRQ_KVM_CAP_PPC_PAPR, KVM_CAP_PPC_PAPR);
	assert_int_equal(SPIRQ_KVM_DEV_TYPE_XICS, KVM_DEV_TYPE_XICS);
	assert_int_equal(SPIRQ_KVM_DEV_TYPE_XIVE, KVM_DEV_TYPE_XIVE);
	assert_int_equal(SPIRQ_KVM_CREATE_DEVICE_TEST, KVM_CREATE_DEVICE_TEST);
	assert_int_equal(SPIRQ_KVM_REG_PPC, KVM_REG_PPC);
	assert_int_equal(SPIRQ_KVM_REG_SIZE_U64, KVM_REG_SIZE_U64);
	assert_int_equal(SPIRQ_KVM_REG_SIZE_U128, KVM_REG_SIZE_U128);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_abi_constants),
		cmocka_unit_test(test_host_ops_v1),
		cmocka_unit_test(test_no_vm_fd),
		cmocka_unit_test(test_real_host_decides),
		cmocka_unit_test(test_host_caps_bad_fd),
		cmocka_unit_test(test_xics_sequence),
		cmocka_unit_test(test_connect_before_papr),
		cmocka_unit_test(test_xics_hotplug),
		cmocka_unit_test(test_cas_switch),
		cmocka_unit_test(test_xive_sequence),
		cmocka_unit_test(test_xive_lsi_eoi),
		cmocka_unit_test(test_xive_sync_ipi_pq),
		cmocka_unit_test(test_xive_vp_state),
		cmocka_unit_test(test_xive_vp_pending_not_dispatched),
		cmocka_unit_test(test_migration_both_ways),
		cmocka_unit_test(test_xics_on_xive_presented),
		cmocka_unit_test(test_every_ioctl_fails),
		cmocka_unit_test(test_xics_errors_keep_state),
	};

	return cmocka_run_group_tests_name("kvm-backend", tests, NULL, NULL);
}
