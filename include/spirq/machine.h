/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirq - the interrupt subsystem of one pseries machine
 *
 * A struct spirq_machine is the interrupt controller of one virtual
 * machine: XICS, XIVE or both ("dual"), with one presenter per vCPU, the
 * claim registry, the MSI allocator, CAS negotiation and reset.  The
 * embedder (a VMM) creates it from a resolved configuration and a table
 * of host callbacks, then forwards to it:
 *
 *   device lines          spirq_irq_claim/free, spirq_set_irq, spirq_msi_*
 *   guest hcalls          spirq_hcall (H_CPPR ... H_INT_RESET)
 *   guest RTAS calls      spirq_rtas (ibm,set-xive ... ibm,int-on)
 *   guest MMIO            spirq_mmio_load/store (XIVE ESB pages and TIMA)
 *   firmware events       spirq_cas, spirq_reset
 *   CPU hot-plug          spirq_cpu_plug/unplug
 *
 * Everything a guest controls is validated: a bad argument gets the
 * architected answer (an H_* code, an RTAS status, an all-ones load) and a
 * rate-limited log line, never a crash.
 *
 * Threading: every entry point may be called from any thread, at any
 * time, for any vCPU.  Machines share nothing.  Inside one machine:
 *
 *   run in parallel       what the guest does at every interrupt, for
 *                         different vCPUs: the XICS H_XIRR, H_EOI, H_CPPR
 *                         and H_IPI (H_IPI: of different target vCPUs),
 *                         the TIMA accesses, 8-byte ESB loads at
 *                         SET_PQ_xx, and 8-byte stores to an MSI's ESB
 *                         trigger page (of sources routed to different
 *                         vCPUs).  Each takes the lock of the vCPU whose
 *                         presenter it changes (the caller's; H_IPI's
 *                         target's; for an ESB trigger, only that of the
 *                         vCPU the source is routed to), and nothing
 *                         shared by all vCPUs.
 *   one at a time         device lines (spirq_set_irq), RTAS calls, the
 *                         other ESB accesses, the H_INT_* hcalls but
 *                         H_INT_RESET (each costs the same whatever the
 *                         number of vCPUs), and the calls above when
 *                         they reach a source (an XICS rejection or resend,
 *                         an LSI, an ESB EOI that forwards) or find
 *                         another thread's lock in their way: they share
 *                         the machine's sources lock, and take a vCPU's
 *                         lock only to deliver to it.  A device line of an
 *                         MSI runs in parallel with the vCPUs' calls of
 *                         the first kind, except the target vCPU's.
 *   alone                 claims and frees, the MSI allocator, CAS, reset,
 *                         hot-plug, save and restore, info pic, the device
 *                         tree, and H_INT_RESET: they wait for every other
 *                         call.  (An ESB trigger store racing with an
 *                         H_INT_SET_SOURCE_CONFIG of its source follows
 *                         the old route or the new one, as on hardware.)
 *
 * Whatever runs in parallel, each call takes effect as a whole, in some
 * order consistent with the calls' own order on each thread (the result
 * is as if the calls had been made one after the other).  Host callbacks
 * are called with the locks of the call held, so they too may run in
 * several threads at once: write_guest and map_guest for the event queues
 * of different vCPUs, log for guest errors; the set_cpu_irq callback of a vCPU is
 * always called with that vCPU's lock held, so the levels the host is
 * told about one vCPU arrive in order.
 *
 * Re-entry: a call made by a thread that holds one of the locks it needs
 * (that is, from inside a host callback of the same machine) would wait
 * for itself forever.  spirq detects it and refuses the call instead:
 * functions returning an int return -SPIRQ_ERR_STATE (with the reason in
 * their spirq_error, when they take one), spirq_hcall() returns
 * SPIRQ_H_HARDWARE, and nothing changes.  The first refusal is logged as
 * a SPIRQ_LOG_WARNING line "FUNCTION called from a host callback of the
 * same machine: refused (it would deadlock)", once per machine.  A call
 * from a callback that needs only locks the thread does not hold is not
 * refused, but it may deadlock against another thread: defer the work
 * until the callback has returned.  spirq_machine_destroy() must never be
 * called from a callback of the machine it destroys, nor while another
 * thread is inside an entry point of that machine.
 *
 * Errors: a function that takes a spirq_error leaves it cleared (code 0,
 * empty message) when it succeeds.
 */
#ifndef SPIRQ_MACHINE_H
#define SPIRQ_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <spirq/export.h>
#include <spirq/config.h>
#include <spirq/error.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct spirq_machine spirq_machine;

/* ---------------------------------------------------------------------- */
/* Host callbacks                                                          */
/* ---------------------------------------------------------------------- */

/** Severity of a log message. */
typedef enum spirq_log_level {
	SPIRQ_LOG_GUEST_ERROR = 0,	/* the guest did something invalid */
	SPIRQ_LOG_WARNING = 1,		/* the host should know */
	SPIRQ_LOG_INFO = 2,		/* state changes (mode switches) */
} spirq_log_level;

/** Current version of struct spirq_host_ops (1: up to @log; 2: KVM). */
#define SPIRQ_HOST_OPS_VERSION 2

/**
 * struct spirq_host_ops - what spirq needs from the embedder
 * @version:     SPIRQ_HOST_OPS_VERSION; later versions append members
 * @opaque:      passed back as the first argument of every callback
 * @read_guest:  read @len bytes of guest physical memory at @gpa; return 0,
 *               or non-zero when the range is not accessible RAM.  May be
 *               NULL (guest memory then reads as inaccessible).
 * @write_guest: write guest physical memory (XIVE event queues); same
 *               conventions.  May be NULL.
 * @set_cpu_irq: raise (@level 1) or lower (@level 0) the external
 *               interrupt input of the vCPU @cpu_index.  Called only when
 *               the level changes.  May be NULL.
 * @timebase:    the vCPU's timebase, returned by H_XIRR_X.  May be NULL
 *               (then 0).
 * @log:         one line of text, no newline.  May be NULL.
 *
 * Version 2 adds the in-kernel backend (a real Linux KVM on a POWER host)
 * and direct access to guest RAM:
 * @kvm_vm_fd:   the VM fd (from KVM_CREATE_VM), or a negative value when
 *               there is none.  Called once, by spirq_machine_create(),
 *               and only for a configuration with "-accel kvm" and a
 *               kernel-irqchip other than off.  With a VM fd, the host
 *               description of the configuration ("-accel kvm,xics=,
 *               xive=,xics-destroy=") is replaced by the real host's
 *               answers (spirq_kvm_host_caps()), and the kernel-irqchip
 *               plan is made again from them: kernel-irqchip=on then
 *               fails the creation with QEMU's message where the host
 *               lacks a device, kernel-irqchip=allowed falls back to
 *               emulation with QEMU's warning.  May be NULL (no KVM: the
 *               described host is simulated, as with version 1).
 * @kvm_vcpu_fd: the fd of the vCPU @cpu_index (KVM_CREATE_VCPU), or a
 *               negative value if it has none.  Called whenever spirq
 *               connects a vCPU to a kernel device.  May be NULL only
 *               when @kvm_vm_fd is.
 *
 * @map_guest:   direct access to guest RAM: a host pointer to the @len
 *               bytes of guest physical memory at @gpa, or NULL when the
 *               range is not accessible RAM.  The pointer must stay valid
 *               and keep designating that guest memory until the machine
 *               is destroyed (as when a VMM's RAM is mapped once, or KVM
 *               pins a queue page).  spirq asks it once per XIVE event
 *               queue configured and then writes queue entries through
 *               the pointer, with aligned 4-byte stores, instead of
 *               calling @write_guest for each event.  May be NULL (then
 *               @write_guest is used), and a NULL return for a range
 *               falls back to @write_guest for that queue.
 *
 * The order of calls against KVM's own, with a VM fd:
 *
 *   1. KVM_CREATE_VM, then for each boot vCPU: KVM_CREATE_VCPU and
 *      KVM_ENABLE_CAP(KVM_CAP_PPC_PAPR) -- the kernel refuses to connect
 *      a vCPU that is not in PAPR mode (EINVAL), and spirq reports that
 *      failure as the kernel's;
 *   2. spirq_machine_create(): it queries the host (it creates and closes
 *      a XICS device to see whether one can be created again, in dual
 *      mode), then creates the kernel device of the active controller
 *      and connects every boot vCPU to it (KVM_ENABLE_CAP(KVM_CAP_IRQ_XICS
 *      or KVM_CAP_PPC_IRQ_XIVE) on the vCPU fd);
 *   3. for XIVE, spirq_kvm_mmio_region() tells which device fd ranges to
 *      map into the guest (ESB pages, TIMA) -- map them again after every
 *      spirq_cas() and spirq_reset() that changes the device
 *      (spirq_kvm_device_fd() changes);
 *   4. KVM_RUN.  The kernel handles the XICS hcalls (H_XIRR, H_EOI,
 *      H_CPPR, H_IPI, H_IPOLL) and the TIMA itself; RTAS calls, H_INT_*
 *      hcalls, device lines, CAS, reset, hot-plug, save and restore still
 *      go to spirq, which carries them out on the kernel device;
 *   5. CPU hot-plug: KVM_CREATE_VCPU (or the parked fd of an unplugged
 *      vCPU) and KVM_CAP_PPC_PAPR first, then spirq_cpu_plug().  An
 *      unplugged vCPU stays connected: KVM cannot destroy vCPUs.  A vCPU
 *      not in PAPR mode makes the plug fail (-SPIRQ_ERR_KERNEL, EINVAL,
 *      the message says so), although the kernel linked it: enable
 *      KVM_CAP_PPC_PAPR on the same fd and plug again;
 *   6. spirq_machine_destroy() closes the kernel device, before the
 *      embedder closes its vCPU and VM fds.
 *
 * While a kernel device is the active controller, set_cpu_irq is not
 * called: the kernel drives the vCPUs' interrupt inputs.
 *
 * Callbacks run with the machine's lock held; see the threading note at
 * the top of this file.
 */
typedef struct spirq_host_ops {
	unsigned version;
	void *opaque;
	int (*read_guest)(void *opaque, uint64_t gpa, void *buf, size_t len);
	int (*write_guest)(void *opaque, uint64_t gpa, const void *buf,
			   size_t len);
	void (*set_cpu_irq)(void *opaque, unsigned cpu_index, int level);
	uint64_t (*timebase)(void *opaque, unsigned cpu_index);
	void (*log)(void *opaque, spirq_log_level level, const char *msg);
	/* version 2 */
	int (*kvm_vm_fd)(void *opaque);
	int (*kvm_vcpu_fd)(void *opaque, unsigned cpu_index);
	void *(*map_guest)(void *opaque, uint64_t gpa, size_t len);
} spirq_host_ops;

/* ---------------------------------------------------------------------- */
/* Life cycle                                                              */
/* ---------------------------------------------------------------------- */

/**
 * spirq_machine_create - realize the interrupt subsystem of a machine
 * @cfg: a configuration from spirq_config_resolve() (copied)
 * @ops: host callbacks (copied); NULL for none
 * @out: receives the machine
 * @err: receives the explanation on failure (may be NULL)
 *
 * The machine starts as QEMU's does after machine reset: the default
 * controller active (XICS for xics and dual, XIVE for xive), the boot
 * vCPUs (cpu_index 0 .. smp_cpus-1) plugged, the XIVE IPIs claimed, no
 * other source claimed.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_INVAL if @cfg is not a resolved configuration or @ops has
 *		an unknown version
 *	-SPIRQ_ERR_NOMEM when out of memory
 *	-SPIRQ_ERR_CONFIG with a VM fd (host ops version 2), when the real
 *		host cannot run the configuration with kernel-irqchip=on
 *		(QEMU's message)
 *	-SPIRQ_ERR_KERNEL with a VM fd, when the kernel refuses to answer
 *		KVM_CHECK_EXTENSION, or (kernel-irqchip=on) to create the
 *		device or connect a vCPU; the message names the ioctl and the
 *		kernel's errno.  With kernel-irqchip=allowed such a failure
 *		leaves the controller emulated, with a warning in the log.
 */
SPIRQ_API int spirq_machine_create(const spirq_config *cfg,
				   const spirq_host_ops *ops,
				   spirq_machine **out, spirq_error *err);

/**
 * spirq_machine_destroy - free a machine
 * @m: the machine, or NULL
 */
SPIRQ_API void spirq_machine_destroy(spirq_machine *m);

/**
 * spirq_machine_config - the configuration a machine was created with
 * @m: the machine
 */
SPIRQ_API const spirq_config *spirq_machine_config(const spirq_machine *m);

/**
 * spirq_machine_footprint - the memory a machine holds
 * @m: the machine
 *
 * The bytes spirq has allocated for @m and not freed: the sum of the sizes
 * it passed to malloc()/calloc(), which is what a host counting its
 * allocator's calls sees (the allocator's own bookkeeping and rounding are
 * not included).  It covers the machine, its source and routing tables,
 * and the presenters and XIVE END groups of the plugged vCPUs, so it
 * grows with spirq_cpu_plug() and shrinks with spirq_cpu_unplug(); what
 * grows with max_cpus alone is a few words per possible vCPU.  Buffers a
 * call allocates and frees before returning are not included.
 *
 * It takes no lock: it may be called from any thread, also from a host
 * callback, and returns the figure as of the last completed change.
 *
 * returns: the footprint in bytes (never 0)
 */
SPIRQ_API size_t spirq_machine_footprint(const spirq_machine *m);


/* ---------------------------------------------------------------------- */
/* Devices                                                                 */
/* ---------------------------------------------------------------------- */

/**
 * spirq_irq_claim - a device claims an external source (device realize)
 * @m:   the machine
 * @irq: source number, 0x1000 .. 0x1000 + nr_xirqs - 1
 * @lsi: level-sensitive (LSI) rather than message-signalled (MSI)
 * @err: receives the explanation on failure (may be NULL)
 *
 * The claim is recorded once for every present controller.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_BUSY if @irq is already claimed ("IRQ %d is not free")
 *	-SPIRQ_ERR_KERNEL if the in-kernel device refused the source (not
 *		claimed; the message has the kernel's errno)
 *	-SPIRQ_ERR_INVAL if @irq is outside the external source range
 *	-SPIRQ_ERR_STATE when called from a host callback of @m (see the
 *		threading note at the top of this file)
 */
SPIRQ_API int spirq_irq_claim(spirq_machine *m, uint32_t irq, bool lsi,
			      spirq_error *err);

/**
 * spirq_irq_free - a device releases a source
 * @m:   the machine
 * @irq: source number
 *
 * returns:
 *	0 on success (also when @irq was not claimed)
 *	-SPIRQ_ERR_INVAL if @irq is outside the external source range
 *	-SPIRQ_ERR_STATE when called from a host callback of @m (see the
 *		threading note at the top of this file)
 */
SPIRQ_API int spirq_irq_free(spirq_machine *m, uint32_t irq);

/**
 * spirq_set_irq - a device sets its interrupt line
 * @m:     the machine
 * @irq:   a claimed source
 * @level: for an MSI, non-zero triggers and 0 is ignored; for an LSI,
 *         non-zero asserts and 0 deasserts
 *
 * The level goes to the active controller.  During a CAS switch or a
 * reset, when no controller is ready, it is held and delivered as soon as
 * one is.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_INVAL if @irq is outside the external source range
 *	-SPIRQ_ERR_NOTFOUND if @irq is not claimed (nothing happens)
 *	-SPIRQ_ERR_KERNEL if the in-kernel device refused the line
 *		(KVM_IRQ_LINE failed; logged with the kernel's errno)
 *	-SPIRQ_ERR_STATE when called from a host callback of @m (see the
 *		threading note at the top of this file)
 */
SPIRQ_API int spirq_set_irq(spirq_machine *m, uint32_t irq, int level);

/**
 * spirq_msi_alloc - allocate a block of MSI sources (ibm,change-msi)
 * @m:     the machine
 * @num:   number of vectors
 * @msix:  MSI-X (blocks aligned to 2, as QEMU) rather than multi-message
 *         MSI (blocks aligned to their size rounded up to a power of 2)
 * @first: receives the first source number of the block
 * @err:   receives the explanation on failure (may be NULL)
 *
 * First fit in 0x1300 .. 0x1fff (legacy machine types: among the free
 * sources of 0x1000 .. 0x13ff).  The caller then claims each source.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_BUSY when no block fits ("can't find a free %d-IRQ block")
 *	-SPIRQ_ERR_INVAL when @num is 0 or larger than the range
 *	-SPIRQ_ERR_STATE when called from a host callback of @m (see the
 *		threading note at the top of this file)
 */
SPIRQ_API int spirq_msi_alloc(spirq_machine *m, unsigned num, bool msix,
			      uint32_t *first, spirq_error *err);

/**
 * spirq_msi_free - release a block of MSI sources
 * @m:     the machine
 * @first: first source number of the block
 * @num:   number of vectors
 *
 * On legacy machine types (<= pseries-3.0) the claims are the allocation:
 * there is nothing to release and any block is accepted.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_INVAL when the block is outside the MSI range (machine
 *		types from pseries-3.1)
 *	-SPIRQ_ERR_STATE when called from a host callback of @m (see the
 *		threading note at the top of this file)
 */
SPIRQ_API int spirq_msi_free(spirq_machine *m, uint32_t first, unsigned num);

/* ---------------------------------------------------------------------- */
/* Firmware events and CPU hot-plug                                        */
/* ---------------------------------------------------------------------- */

/**
 * spirq_cas - the guest's client-architecture-support call
 * @m:      the machine
 * @byte23: byte 23 of the guest's option vector 5: 0x40 asks for XIVE
 *          exploitation, 0x00 for legacy XICS; 0x80 is invalid
 * @chosen: receives SPIRQ_IC_MODE_XICS or SPIRQ_IC_MODE_XIVE (may be NULL)
 * @err:    receives QEMU's message when the request is refused
 *
 * In dual mode the active controller is switched in place.  A request
 * the machine cannot honour is refused and changes nothing (QEMU exits).
 * With the in-kernel backend the device of the old controller is closed
 * and the other one created; if the kernel refuses, the new controller
 * runs emulated (a warning names the ioctl and errno) and the call
 * succeeds.
 * The vCPUs' compat mode, which QEMU negotiates in the same call from the
 * guest's PVR list, is taken to be the highest the CPU and max-cpu-compat
 * allow (what a guest that knows the CPU negotiates); the migration
 * stream records it, and spirq_reset() forgets it (max-cpu-compat, or
 * raw mode, until the next CAS).
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_CAS when the request is refused
 *	-SPIRQ_ERR_STATE when called from a host callback of @m (see the
 *		threading note at the top of this file)
 */
SPIRQ_API int spirq_cas(spirq_machine *m, uint8_t byte23,
			spirq_ic_mode *chosen, spirq_error *err);

/**
 * spirq_reset - machine reset of the interrupt subsystem
 * @m: the machine
 *
 * Runs, under the machine lock, the phases: delivery stopped (device
 * lines reset, new events held), negotiation forgotten, sources, tables
 * and presenters reset (claims kept), default controller activated and
 * held events delivered.  The embedder resets its devices before.  With
 * the in-kernel backend the reset state is written to the kernel device
 * (created again when the default controller is the other one; on a
 * kernel refusal, emulated, as for spirq_cas()).
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_STATE when called from a host callback of @m (see the
 *		threading note at the top of this file)
 */
SPIRQ_API int spirq_reset(spirq_machine *m);

/**
 * spirq_cpu_plug - hot-plug a vCPU core
 * @m:       the machine
 * @core_id: cpu_index of the core's first thread (a multiple of threads,
 *           below maxcpus)
 * @err:     receives QEMU's message on failure (may be NULL)
 *
 * Creates and resets the presenters of every thread of the core in every
 * present controller.  Raising the hot-plug event source is the
 * embedder's business.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_STATE when the machine type has no CPU hot-plug
 *	-SPIRQ_ERR_INVAL for a core id that is not a core's first thread or
 *		is beyond maxcpus
 *	-SPIRQ_ERR_BUSY when the core is already plugged
 *	-SPIRQ_ERR_NOMEM when out of memory
 *	-SPIRQ_ERR_KERNEL when the in-kernel device refused to connect a
 *		vCPU (its fd missing, or KVM_CAP_PPC_PAPR not enabled on it
 *		first: EINVAL); the core is not plugged
 *	-SPIRQ_ERR_STATE also when called from a host callback of @m
 */
SPIRQ_API int spirq_cpu_plug(spirq_machine *m, unsigned core_id,
			     spirq_error *err);

/**
 * spirq_cpu_unplug - hot-unplug a vCPU core
 * @m:       the machine
 * @core_id: cpu_index of the core's first thread
 * @err:     receives QEMU's message on failure (may be NULL)
 *
 * Sources still aimed at the core's vCPUs are masked (XICS: priority 0xff,
 * the old one saved; XIVE: EAS masked and the vCPUs' ENDs reset), and the
 * presenters are destroyed.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_STATE for the boot core, or a machine type without CPU
 *		hot-plug
 *	-SPIRQ_ERR_NOTFOUND when no such core is plugged
 *	-SPIRQ_ERR_STATE also when called from a host callback of @m
 */
SPIRQ_API int spirq_cpu_unplug(spirq_machine *m, unsigned core_id,
			       spirq_error *err);

/* ---------------------------------------------------------------------- */
/* Guest entry points                                                      */
/* ---------------------------------------------------------------------- */

/**
 * spirq_hcall - an interrupt hcall from a vCPU
 * @m:     the machine
 * @cpu:   cpu_index of the calling vCPU (not its vCPU id)
 * @opcode: hcall number (r3)
 * @args:  input registers r4 ..., SPIRQ_HCALL_MAX_ARGS of them (missing
 *         ones must be 0); the guest names vCPUs in them by vCPU id (the
 *         server of H_IPI, the target of the H_INT_* calls: the table is
 *         in <spirq/papr.h>)
 * @rets:  receives the output registers r4 ... (SPIRQ_HCALL_MAX_RETS)
 * @nrets: receives how many output registers the call defines (the
 *         others are left as they were); may be NULL
 *
 * Unknown opcodes answer H_FUNCTION, as a hypervisor does for hcalls it
 * does not implement; spirq_hcall_name() tells which opcodes spirq owns.
 *
 * returns:
 *	the hcall return code (r3): SPIRQ_H_SUCCESS, SPIRQ_H_PARAMETER, ...
 *	SPIRQ_H_HARDWARE also when @cpu is not a plugged vCPU, or when
 *		called from a host callback of @m (nothing done, *@nrets 0;
 *		see the threading note at the top of this file)
 */
SPIRQ_API int64_t spirq_hcall(spirq_machine *m, unsigned cpu,
			      uint64_t opcode, const uint64_t *args,
			      uint64_t *rets, unsigned *nrets);

/**
 * spirq_rtas - an interrupt RTAS call from a vCPU
 * @m:     the machine
 * @cpu:   cpu_index of the calling vCPU (not its vCPU id)
 * @token: RTAS token (SPIRQ_RTAS_SET_XIVE ...)
 * @nargs: number of argument cells the guest passed
 * @args:  the argument cells (the server of ibm,set-xive is a vCPU id)
 * @nret:  number of return cells the guest provided
 * @rets:  receives the return cells, status first (up to @nret)
 *
 * returns:
 *	0 when the call was handled (its status is in rets[0])
 *	-SPIRQ_ERR_NOTFOUND when the machine has no such RTAS call (no XICS:
 *		the token is absent from the device tree); the embedder's
 *		RTAS dispatcher answers as for any unknown token
 *	-SPIRQ_ERR_INVAL when @nret is 0 or @cpu is not a plugged vCPU
 *	-SPIRQ_ERR_KERNEL when the in-kernel XICS refused to read or write
 *		the source (rets[0] is then -1, hardware error, and the
 *		source is as it was)
 *	-SPIRQ_ERR_STATE when called from a host callback of @m (see the
 *		threading note at the top of this file)
 */
SPIRQ_API int spirq_rtas(spirq_machine *m, unsigned cpu, uint32_t token,
			 uint32_t nargs, const uint32_t *args, uint32_t nret,
			 uint32_t *rets);

/**
 * MMIO regions of the XIVE, the two windows a VMM maps (offsets, sizes
 * and registers: <spirq/papr.h>).
 */
typedef enum spirq_region {
	SPIRQ_REGION_ESB = 0,	/* source ESB pages: SPIRQ_XIVE_VC_BASE,
				 * SPIRQ_XIVE_ESB_WINDOW_SIZE bytes */
	SPIRQ_REGION_TIMA = 1,	/* thread interrupt management area:
				 * SPIRQ_XIVE_TM_BASE,
				 * SPIRQ_XIVE_TM_WINDOW_SIZE bytes */
} spirq_region;

/**
 * spirq_mmio_load - a guest load from a XIVE MMIO region
 * @m:      the machine
 * @cpu:    cpu_index of the accessing vCPU (selects the TIMA context; not
 *          its vCPU id)
 * @region: SPIRQ_REGION_ESB or SPIRQ_REGION_TIMA
 * @offset: offset from the base of the region
 * @size:   1, 2, 4 or 8 bytes
 * @value:  receives the value (all ones for an invalid access)
 *
 * returns:
 *	0 when the access reached the region (valid or not: invalid accesses
 *		read all ones and are logged as guest errors)
 *	-SPIRQ_ERR_NOTFOUND when the region is not mapped: the machine has no
 *		XIVE, XIVE is not the active controller, or @offset is beyond
 *		the region; the embedder treats the address as unassigned.
 *		Also while the in-kernel XIVE is active: its pages are the
 *		kernel's, mapped into the guest by the embedder
 *		(spirq_kvm_mmio_region())
 *	-SPIRQ_ERR_INVAL for a bad @size or @cpu
 *	-SPIRQ_ERR_STATE when called from a host callback of @m (see the
 *		threading note at the top of this file)
 */
SPIRQ_API int spirq_mmio_load(spirq_machine *m, unsigned cpu,
			      spirq_region region, uint64_t offset,
			      unsigned size, uint64_t *value);

/**
 * spirq_mmio_store - a guest store to a XIVE MMIO region
 * @m:      the machine
 * @cpu:    cpu_index of the accessing vCPU
 * @region: SPIRQ_REGION_ESB or SPIRQ_REGION_TIMA
 * @offset: offset from the base of the region
 * @size:   1, 2, 4 or 8 bytes
 * @value:  the value stored (its low @size bytes)
 *
 * returns: as spirq_mmio_load()
 */
SPIRQ_API int spirq_mmio_store(spirq_machine *m, unsigned cpu,
			       spirq_region region, uint64_t offset,
			       unsigned size, uint64_t value);

/* ---------------------------------------------------------------------- */
/* Inspection                                                              */
/* ---------------------------------------------------------------------- */

/** Receives one line of text (no newline). */
typedef void (*spirq_print_fn)(void *opaque, const char *line);

/**
 * spirq_info_pic - the state of the active controller, as QEMU 7.2's
 * monitor command "info pic" prints it for a pseries machine
 * @m:      the machine
 * @fn:     called once per line
 * @opaque: passed to @fn
 *
 * The last line is "irqchip: emulated", "irqchip: in-kernel" (a real
 * kernel device, whose state is read first) or, for a configuration
 * whose plan puts the active controller in the kernel while spirq
 * emulates it (no VM fd), "irqchip: in-kernel (simulated host)".  Where
 * QEMU prints host pointers, spirq prints a stable token.
 *
 * returns:
 *	0 on success
 *	-SPIRQ_ERR_KERNEL when the kernel device's state cannot be read
 *		(nothing printed)
 *	-SPIRQ_ERR_STATE when called from a host callback of @m (see the
 *		threading note at the top of this file)
 */
SPIRQ_API int spirq_info_pic(spirq_machine *m, spirq_print_fn fn,
			     void *opaque);

#ifdef __cplusplus
}
#endif

#endif /* SPIRQ_MACHINE_H */
