// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirq_restore(): load a migration stream, atomically.
 *
 *   1. parse    integrity (CRC-32) first, then the structure, every read
 *               bounds-checked, into an image in memory (restore-frame.c,
 *               each section's decoder in restore-spapr/xics/xive.c)
 *   2. check    the image against the destination: machine type, CPU,
 *               caps (seed 003), sizes, device claims (restore-compat.c),
 *               every index, id and field range, queue addresses inside
 *               guest RAM (each section's file)
 *   3. build    a fresh machine with the destination's configuration,
 *               its tables in reset state and no vCPU but the image's
 *               (spapr_machine_create_bare), and load the image into it
 *               (each section's loader)
 *   4. commit   swap the built state into the destination, then tell the
 *               host about interrupt lines that changed (here)
 *
 * Steps 1-3 never touch the destination: any error leaves it as it was.
 */
#include <stdlib.h>
#include <string.h>

#include <spirq/migration.h>

#include "common/error-internal.h"
#include "kvm/kvm.h"
#include "migration/restore-internal.h"
#include "xics/xics-internal.h"
#include "xive/xive-internal.h"

/* Step 2: every check against the destination, before anything changes. */
static int check(struct restore_ctx *c, const spirq_machine *m,
		 const struct image *img)
{
	uint8_t *present = calloc(m->cfg.max_cpus, 1);
	uint8_t *claim = calloc(m->nr_irqs, 1);
	int ret;

	if (!present || !claim)
		ret = restore_fail(c, SPIRQ_ERR_NOMEM, "out of memory");
	else
		ret = restore_check_compat(c, m, img);
	if (!ret)
		ret = restore_check_machine(c, m, img);
	if (!ret)
		ret = restore_check_cpus(c, m, img, present);
	if (!ret)
		ret = restore_check_claims(c, m, img, claim);
	if (!ret)
		ret = restore_check_device_claims(c, m, img, claim);
	if (!ret)
		ret = restore_check_xics(c, m, img, present);
	if (!ret)
		ret = restore_check_xive(c, m, img, present, claim);
	free(present);
	free(claim);
	c->section = NULL;
	return ret;
}

/* Interrupt line of a vCPU as the restored presenters drive it. */
static int line_of(const spirq_machine *s, unsigned cpu)
{
	const struct vcpu_slot *v = &s->vcpus[cpu];

	if (!v->present)
		return 0;
	if (spapr_xics_is_active(s))
		return icp_xisr(v->icp) != 0;
	return !!(v->tctx->regs[TM_QW1_OS + TM_NSR] & TM_QW1_NSR_EO);
}

static int build(const spirq_machine *m, const struct image *img,
		 spirq_machine **out, spirq_error *err)
{
	spirq_machine *s = spapr_machine_create_bare(&m->cfg);
	unsigned i;
	int ret = 0;

	if (!s)
		return spirq__error_set(err, SPIRQ_ERR_NOMEM, "out of memory");
	for (i = 0; i < img->cpus.n && !ret; i++)
		ret = spapr_cpu_plug_locked(s, img->cpus.v[i]);
	if (!ret) {
		restore_load_claims(s, img);
		if (s->ics)
			restore_load_xics(s, img);
		if (s->xive)
			ret = restore_load_xive(s, img);
	}
	if (ret) {
		spirq_machine_destroy(s);
		return spirq__error_set(err, SPIRQ_ERR_NOMEM, "out of memory");
	}
	s->ov5_cas = img->ov5;
	/* version 1 streams: the mode a booted guest negotiates here */
	s->compat_pvr = img->has_cpu ? img->compat_pvr :
				       spapr_compat_pvr(s->cfg.compat);
	s->xive_was_active = img->xive_was_active;
	spapr_irq_restore_active(s);
	/*
	 * The presenters are restored exactly as they were saved, so nothing
	 * is resent (QEMU's XICS post-load resends, which can present again
	 * what was waiting: a restored machine would then differ from the
	 * one saved).  Only the lines are rebuilt from the presenters.
	 */
	for (i = 0; i < s->cfg.max_cpus; i++)
		s->vcpus[i].hot->line = line_of(s, i);
	*out = s;
	return 0;
}

/* ---- step 4: commit -------------------------------------------------------------- */

/*
 * Swap the built state in, then tell the host about the lines that changed:
 * the swap leaves each machine its own lines (what its host was told),
 * @s keeps the levels its presenters drive.
 */
static void commit(spirq_machine *m, spirq_machine *s)
{
	unsigned cpu;

	spapr_machine_swap(m, s);
	for (cpu = 0; cpu < m->cfg.max_cpus; cpu++)
		spapr_cpu_set_line(m, cpu, s->vcpus[cpu].hot->line);
}

/*
 * The kernel refused the committed state: the old one back, in spirq (the
 * lines from its presenters) and, as far as it takes it, in the kernel.
 */
static void rollback(spirq_machine *m, spirq_machine *s)
{
	unsigned cpu;

	spapr_machine_swap(m, s);
	for (cpu = 0; cpu < m->cfg.max_cpus; cpu++)
		spapr_cpu_set_line(m, cpu, line_of(m, cpu));
	spapr_kvm_activate(m, m->active);
}

int spirq_restore(spirq_machine *m, const void *buf, size_t len,
		  spirq_error *err)
{
	struct restore_ctx c = { .err = err };
	struct image img;
	spirq_machine *s = NULL;
	int ret;

	memset(&img, 0, sizeof(img));
	spirq_error_clear(err);
	if (!buf)
		return restore_fail(&c, SPIRQ_ERR_STREAM, "no stream");
	ret = spapr_lock(m, __func__, err);
	if (ret)
		return ret;
	/* what a refused restore goes back to is the kernel's state */
	spapr_kvm_sync(m, NULL);
	ret = restore_parse(&c, buf, len, &img);
	if (!ret)
		ret = check(&c, m, &img);
	if (!ret)
		ret = build(m, &img, &s, err);
	if (!ret) {
		commit(m, s);
		ret = spapr_kvm_restored(m, err);
		if (ret)
			rollback(m, s);
	}
	spapr_unlock(m);
	spirq_machine_destroy(s);
	restore_image_free(&img);
	return ret;
}
