// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: XICS through the public API.
 *
 * Every XICS hcall (H_CPPR, H_EOI, H_IPI, H_XIRR, H_XIRR_X, H_IPOLL) and
 * RTAS call (ibm,set-xive, ibm,get-xive, ibm,int-off, ibm,int-on) with its
 * outputs and error paths, and the semantics of QEMU 7.2's emulated XICS:
 * MSI delivery, rejection and resend, masked-pending MSIs, LSI levels,
 * IPIs, CPPR changes, accept, "info pic", free and reset.
 *
 * Every expected value below follows from QEMU 7.2 (hw/intc/xics.c,
 * hw/intc/xics_spapr.c, hw/ppc/spapr_irq.c); the comments give the rule
 * each step exercises.  Reminders:
 *   - priorities: 0 most favoured, 0xff masked; an interrupt is presented
 *     when its priority is below the CPPR and below the priority already
 *     presented, else rejected back to its source;
 *   - after reset the CPPR is 0 (everything rejected), the MFRR 0xff and
 *     every source masked (0xff) on server 0;
 *   - source status bits: 01 asserted, 02 sent, 04 rejected, 08
 *     masked-pending.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <spirq/spirq.h>

#define XICS_MACHINE	"pseries-7.2,ic-mode=xics"
#define DUAL_MACHINE	"pseries-7.2,ic-mode=dual"
#define XIVE_MACHINE	"pseries-7.2,ic-mode=xive"

#define MAX_VCPUS	8
#define RET_POISON	0x5a5a5a5a5a5a5a5aull
#define RTAS_POISON	0xa5a5a5a5u
#define TB_BASE		0x7000000000ull

/* Test fixture: one machine and what its host callbacks saw. */
struct fx {
	spirq_machine *m;
	/* interrupt line of each vCPU, and how often it changed */
	int level[MAX_VCPUS];
	unsigned raised[MAX_VCPUS];
	unsigned lowered[MAX_VCPUS];
	unsigned spurious;		/* callbacks that changed nothing */
	/* timebase callback */
	unsigned tb_calls;
	unsigned tb_cpu;
	uint64_t tb_last;
	/* log callback */
	unsigned nlogs;
	char last_log[256];
	/* last hcall */
	uint64_t rets[SPIRQ_HCALL_MAX_RETS];
	unsigned nrets;
	/* last RTAS call */
	uint32_t rr[8];
	/* last info pic */
	char **pic;
	unsigned npic;
};

/* ---- host callbacks ------------------------------------------------------ */

static void host_set_cpu_irq(void *opaque, unsigned cpu, int level)
{
	struct fx *f = opaque;

	if (cpu >= MAX_VCPUS)
		return;
	if (f->level[cpu] == level)
		f->spurious++;
	f->level[cpu] = level;
	if (level)
		f->raised[cpu]++;
	else
		f->lowered[cpu]++;
}

static uint64_t host_timebase(void *opaque, unsigned cpu)
{
	struct fx *f = opaque;

	f->tb_calls++;
	f->tb_cpu = cpu;
	f->tb_last = TB_BASE + f->tb_calls * 0x100 + cpu;
	return f->tb_last;
}

static void host_log(void *opaque, spirq_log_level level, const char *msg)
{
	struct fx *f = opaque;

	(void)level;
	f->nlogs++;
	snprintf(f->last_log, sizeof(f->last_log), "%s", msg);
}

/* ---- fixture ------------------------------------------------------------- */

static void free_pic(struct fx *f)
{
	unsigned i;

	for (i = 0; i < f->npic; i++)
		free(f->pic[i]);
	free(f->pic);
	f->pic = NULL;
	f->npic = 0;
}

static int stop(void **state)
{
	struct fx *f = *state;

	if (f) {
		spirq_machine_destroy(f->m);
		free_pic(f);
		free(f);
	}
	*state = NULL;
	return 0;
}

static struct fx *start(void **state, const char *machine, const char *smp)
{
	const char *argv[] = { "-M", (char *)machine, "-smp", (char *)smp };
	struct fx *f = calloc(1, sizeof(*f));
	spirq_host_ops ops = {
		.version = SPIRQ_HOST_OPS_VERSION,
		.set_cpu_irq = host_set_cpu_irq,
		.timebase = host_timebase,
		.log = host_log,
	};
	spirq_config cfg;
	spirq_error err;

	assert_non_null(f);
	*state = f;
	ops.opaque = f;
	assert_int_equal(spirq_config_from_args(4, argv, &cfg, &err), 0);
	assert_int_equal(spirq_machine_create(&cfg, &ops, &f->m, &err), 0);
	/* creation resets the presenters: no line is raised */
	assert_int_equal(f->raised[0], 0);
	return f;
}

/* ---- guest calls --------------------------------------------------------- */

/* An hcall with up to two arguments; outputs in f->rets, f->nrets. */
static int64_t hc(struct fx *f, unsigned cpu, uint64_t opcode, uint64_t a0,
		  uint64_t a1)
{
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { a0, a1 };
	unsigned i;

	for (i = 0; i < SPIRQ_HCALL_MAX_RETS; i++)
		f->rets[i] = RET_POISON;
	f->nrets = 99;
	return spirq_hcall(f->m, cpu, opcode, args, f->rets, &f->nrets);
}

/* An RTAS call; the return cells in f->rr; returns spirq_rtas's value. */
static int rtas(struct fx *f, unsigned cpu, uint32_t token, uint32_t nargs,
		uint32_t nret, uint32_t a0, uint32_t a1, uint32_t a2)
{
	uint32_t args[4] = { a0, a1, a2, 0x12345678 };
	unsigned i;

	for (i = 0; i < 8; i++)
		f->rr[i] = RTAS_POISON;
	return spirq_rtas(f->m, cpu, token, nargs, args, nret, f->rr);
}

/* The RTAS status of a call that spirq handled. */
static int32_t rtas_status(struct fx *f, unsigned cpu, uint32_t token,
			   uint32_t nargs, uint32_t nret, uint32_t a0,
			   uint32_t a1, uint32_t a2)
{
	assert_int_equal(rtas(f, cpu, token, nargs, nret, a0, a1, a2), 0);
	return (int32_t)f->rr[0];
}

/*
 * Checking helpers are macros, so that a failure reports the line of the
 * test that made the call.
 */
#define ASSERT_HCALL_OK(f, cpu, op, a0, a1, n) do {			\
	assert_int_equal(hc((f), (cpu), (op), (a0), (a1)), SPIRQ_H_SUCCESS); \
	assert_int_equal((f)->nrets, (n));				\
	assert_true((f)->rets[(n)] == RET_POISON);			\
} while (0)

/* An error answer: no output register is defined or written. */
#define ASSERT_HCALL_RC(f, cpu, op, a0, a1, rc) do {			\
	assert_int_equal(hc((f), (cpu), (op), (a0), (a1)), (rc));	\
	assert_int_equal((f)->nrets, 0);				\
	assert_true((f)->rets[0] == RET_POISON);			\
} while (0)

#define CPPR(f, cpu, v)	ASSERT_HCALL_OK(f, cpu, SPIRQ_H_CPPR, v, 0, 0)
#define EOI(f, cpu, v)	ASSERT_HCALL_OK(f, cpu, SPIRQ_H_EOI, v, 0, 0)
#define IPI(f, cpu, server, mfrr) \
	ASSERT_HCALL_OK(f, cpu, SPIRQ_H_IPI, server, mfrr, 0)

/* H_XIRR from @cpu must answer @xirr. */
#define XIRR(f, cpu, xirr) do {						\
	ASSERT_HCALL_OK(f, cpu, SPIRQ_H_XIRR, 0, 0, 1);			\
	assert_int_equal((f)->rets[0], (xirr));				\
} while (0)

/* H_IPOLL of @server (from vCPU 0) must answer @xirr and @mfrr. */
#define POLL(f, server, xirr, mfrr) do {				\
	ASSERT_HCALL_OK(f, 0, SPIRQ_H_IPOLL, server, 0, 2);		\
	assert_int_equal((f)->rets[0], (xirr));				\
	assert_int_equal((f)->rets[1], (mfrr));				\
} while (0)

#define SET_XIVE(f, irq, server, prio)					\
	assert_int_equal(rtas_status((f), 0, SPIRQ_RTAS_SET_XIVE, 3, 1,	\
				     (irq), (server), (prio)), 0)

#define INT_OFF(f, irq)							\
	assert_int_equal(rtas_status((f), 0, SPIRQ_RTAS_INT_OFF, 1, 1,	\
				     (irq), 0, 0), 0)

#define INT_ON(f, irq)							\
	assert_int_equal(rtas_status((f), 0, SPIRQ_RTAS_INT_ON, 1, 1,	\
				     (irq), 0, 0), 0)

/* ibm,get-xive of @irq must answer @server and @prio. */
#define GET_XIVE(f, irq, server, prio) do {				\
	assert_int_equal(rtas_status((f), 0, SPIRQ_RTAS_GET_XIVE, 1, 3,	\
				     (irq), 0, 0), 0);			\
	assert_int_equal((f)->rr[1], (server));				\
	assert_int_equal((f)->rr[2], (prio));				\
} while (0)

#define LINE(f, cpu, lvl)	assert_int_equal((f)->level[cpu], (lvl))

static void claim(struct fx *f, uint32_t irq, bool lsi)
{
	assert_int_equal(spirq_irq_claim(f->m, irq, lsi, NULL), 0);
}

static void trigger(struct fx *f, uint32_t irq, int level)
{
	assert_int_equal(spirq_set_irq(f->m, irq, level), 0);
}

/* ---- info pic ------------------------------------------------------------ */

static void pic_line(void *opaque, const char *line)
{
	struct fx *f = opaque;

	f->pic = realloc(f->pic, (f->npic + 1) * sizeof(*f->pic));
	assert_non_null(f->pic);
	f->pic[f->npic] = strdup(line);
	assert_non_null(f->pic[f->npic]);
	f->npic++;
}

static void pic(struct fx *f)
{
	free_pic(f);
	assert_int_equal(spirq_info_pic(f->m, pic_line, f), 0);
}

/* The line of the last "info pic" that starts with @prefix, or NULL. */
static const char *pic_find(struct fx *f, const char *prefix)
{
	unsigned i;

	for (i = 0; i < f->npic; i++)
		if (!strncmp(f->pic[i], prefix, strlen(prefix)))
			return f->pic[i];
	return NULL;
}

/*
 * Does @line match @pattern token by token?  A pattern token "*" matches
 * any one token: QEMU prints host pointers there.
 */
static bool tokens_match(const char *line, const char *pattern)
{
	char l[256], p[256];
	char *ls, *ps, *lt, *pt;

	snprintf(l, sizeof(l), "%s", line);
	snprintf(p, sizeof(p), "%s", pattern);
	lt = strtok_r(l, " ", &ls);
	pt = strtok_r(p, " ", &ps);
	while (lt && pt) {
		if (strcmp(pt, "*") && strcmp(pt, lt))
			return false;
		lt = strtok_r(NULL, " ", &ls);
		pt = strtok_r(NULL, " ", &ps);
	}
	return !lt && !pt;
}

/* "info pic" shows source @irq as @text ("  1300 MSI 05 04"). */
#define PIC_SRC(f, irq, text) do {					\
	char _prefix[16];						\
	const char *_l;							\
	pic(f);								\
	snprintf(_prefix, sizeof(_prefix), "  %4x ", (unsigned)(irq));	\
	_l = pic_find((f), _prefix);					\
	assert_non_null(_l);						\
	assert_string_equal(_l, (text));				\
} while (0)

/*
 * "info pic" shows the presenter of @cpu with XIRR @xirr, pending priority
 * @pp and MFRR @mfrr; @owned: the XISR came from the ICS (QEMU prints the
 * ICS address, else "(nil)").
 */
#define PIC_CPU(f, cpu, xirr, pp, mfrr, owned) do {			\
	char _prefix[16], _want[96];					\
	const char *_l;							\
	pic(f);								\
	snprintf(_prefix, sizeof(_prefix), "CPU %u ", (unsigned)(cpu));	\
	_l = pic_find((f), _prefix);					\
	assert_non_null(_l);						\
	snprintf(_want, sizeof(_want),					\
		 "CPU %u XIRR=%08x %s PP=%02x MFRR=%02x",		\
		 (unsigned)(cpu), (unsigned)(xirr),			\
		 (owned) ? "*" : "((nil))", (unsigned)(pp),		\
		 (unsigned)(mfrr));					\
	if (!tokens_match(_l, _want))					\
		fail_msg("info pic: got \"%s\", want \"%s\"", _l, _want); \
	if (owned)							\
		assert_null(strstr(_l, "(nil)"));			\
} while (0)

static const uint64_t xics_hcalls[] = {
	SPIRQ_H_CPPR, SPIRQ_H_EOI, SPIRQ_H_IPI,
	SPIRQ_H_XIRR, SPIRQ_H_XIRR_X, SPIRQ_H_IPOLL,
};
#define NR_XICS_HCALLS (sizeof(xics_hcalls) / sizeof(xics_hcalls[0]))

/* ======================================================================== */
/* hcalls                                                                   */
/* ======================================================================== */

/* Output registers of each call, on a machine just after reset. */
static void test_hcall_outputs(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "2");

	/* reset presenter: XIRR 0 (CPPR 0, XISR 0), MFRR 0xff */
	POLL(f, 0, 0, 0xff);
	POLL(f, 1, 0, 0xff);
	/* the calls without outputs define no register */
	CPPR(f, 0, 0xff);
	IPI(f, 0, 0, 0xff);
	EOI(f, 0, 0xff000000);
	/* H_XIRR: R4 only; nothing presented: CPPR << 24 */
	XIRR(f, 0, 0xff000000);
	/* H_XIRR_X: R4 and the host timebase of the calling vCPU in R5 */
	CPPR(f, 1, 0xff);
	ASSERT_HCALL_OK(f, 1, SPIRQ_H_XIRR_X, 0, 0, 2);
	assert_int_equal(f->rets[0], 0xff000000);
	assert_int_equal(f->tb_calls, 1);
	assert_int_equal(f->tb_cpu, 1);
	assert_int_equal(f->rets[1], f->tb_last);
	/* a NULL nrets is allowed */
	assert_int_equal(spirq_hcall(f->m, 0, SPIRQ_H_IPOLL,
				     (uint64_t[SPIRQ_HCALL_MAX_ARGS]){ 1 },
				     f->rets, NULL), SPIRQ_H_SUCCESS);
	assert_int_equal(f->rets[0], 0xff000000);
	assert_int_equal(f->spurious, 0);
	LINE(f, 0, 0);
	LINE(f, 1, 0);
}

/* H_CPPR takes the low 8 bits of R4. */
static void test_h_cppr(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "2");

	CPPR(f, 0, 0x1ff);
	POLL(f, 0, 0xff000000, 0xff);
	CPPR(f, 0, 0xffffffffffffff05ull);
	POLL(f, 0, 0x05000000, 0xff);
	CPPR(f, 0, 0x100);
	POLL(f, 0, 0, 0xff);
	/* only the calling vCPU's presenter */
	CPPR(f, 1, 0x42);
	POLL(f, 1, 0x42000000, 0xff);
	POLL(f, 0, 0, 0xff);
}

/*
 * H_IPI: the server is the low 32 bits of R4 taken as a signed int (QEMU
 * passes it as an int vCPU id): 0x100000001 is server 1, 0xffffffff is -1
 * and names no vCPU.  The MFRR is the low 8 bits of R5.
 */
static void test_h_ipi(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "2,maxcpus=4");

	IPI(f, 0, 0x100000001ull, 0x05);
	/* CPPR 0 after reset: stored, not presented */
	POLL(f, 1, 0, 0x05);
	LINE(f, 1, 0);
	ASSERT_HCALL_RC(f, 0, SPIRQ_H_IPI, 0xffffffffull, 0x5,
			SPIRQ_H_PARAMETER);
	ASSERT_HCALL_RC(f, 0, SPIRQ_H_IPI, 0xffffffffffffffffull, 0x5,
			SPIRQ_H_PARAMETER);
	ASSERT_HCALL_RC(f, 0, SPIRQ_H_IPI, 0x80000000ull, 0x5,
			SPIRQ_H_PARAMETER);
	/* within maxcpus but not plugged, and beyond maxcpus */
	ASSERT_HCALL_RC(f, 0, SPIRQ_H_IPI, 2, 0x5, SPIRQ_H_PARAMETER);
	ASSERT_HCALL_RC(f, 0, SPIRQ_H_IPI, 4, 0x5, SPIRQ_H_PARAMETER);
	/* the refused calls changed nothing */
	POLL(f, 0, 0, 0xff);
	POLL(f, 1, 0, 0x05);
	/* 0x100000000 is server 0; any vCPU may set any MFRR */
	IPI(f, 1, 0x100000000ull, 0x07);
	POLL(f, 0, 0, 0x07);
	/* MFRR truncated to 8 bits */
	IPI(f, 0, 1, 0x1ff);
	POLL(f, 1, 0, 0xff);
	IPI(f, 0, 1, 0xffffffffffffff03ull);
	POLL(f, 1, 0, 0x03);
	POLL(f, 0, 0, 0x07);
}

/* H_IPOLL: same server rules as H_IPI; no side effect. */
static void test_h_ipoll(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "2,maxcpus=4");

	ASSERT_HCALL_RC(f, 0, SPIRQ_H_IPOLL, 2, 0, SPIRQ_H_PARAMETER);
	ASSERT_HCALL_RC(f, 0, SPIRQ_H_IPOLL, 4, 0, SPIRQ_H_PARAMETER);
	ASSERT_HCALL_RC(f, 0, SPIRQ_H_IPOLL, 0xffffffffull, 0,
			SPIRQ_H_PARAMETER);
	ASSERT_HCALL_RC(f, 1, SPIRQ_H_IPOLL, 0xfffffffeull, 0,
			SPIRQ_H_PARAMETER);
	POLL(f, 0x100000001ull, 0, 0xff);

	/* an IPI presented on vCPU 1, polled twice */
	CPPR(f, 1, 0xff);
	IPI(f, 0, 1, 0x05);
	LINE(f, 1, 1);
	POLL(f, 1, 0xff000002, 0x05);
	POLL(f, 1, 0xff000002, 0x05);
	ASSERT_HCALL_OK(f, 1, SPIRQ_H_IPOLL, 1, 0, 2);
	assert_int_equal(f->rets[0], 0xff000002);
	/* still presented, line never lowered */
	LINE(f, 1, 1);
	assert_int_equal(f->raised[1], 1);
	assert_int_equal(f->lowered[1], 0);
	XIRR(f, 1, 0xff000002);
	LINE(f, 1, 0);
}

/* H_EOI takes the low 32 bits of R4: CPPR in bits 31..24, XISR below. */
static void test_h_eoi(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "1");

	claim(f, 0x1200, true);
	SET_XIVE(f, 0x1200, 0, 5);
	CPPR(f, 0, 0xff);
	trigger(f, 0x1200, 1);
	XIRR(f, 0, 0xff001200);
	POLL(f, 0, 0x05000000, 0xff);
	/* upper half ignored: CPPR 0xff, EOI of 0x1200 (still asserted,
	 * so presented again by the resend) */
	EOI(f, 0, 0xabcdef01ff001200ull);
	POLL(f, 0, 0xff001200, 0xff);
	LINE(f, 0, 1);
	XIRR(f, 0, 0xff001200);
	trigger(f, 0x1200, 0);
	/* 0x100000000 is XIRR 0: CPPR 0, XISR 0 (no source EOIed) */
	EOI(f, 0, 0x100000000ull);
	POLL(f, 0, 0, 0xff);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 02");
	/* EOI of an XISR outside the ICS: only the CPPR changes */
	EOI(f, 0, 0x06000fffull);
	POLL(f, 0, 0x06000000, 0xff);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 02");
	EOI(f, 0, 0x05001200);
	POLL(f, 0, 0x05000000, 0xff);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 00");
	LINE(f, 0, 0);
}

/*
 * Dual mode after the guest negotiated XIVE: every XICS hcall answers
 * H_HARDWARE before looking at its arguments, RTAS calls answer -1, and
 * nothing changes (spirq D5: a refused H_XIRR does not accept).  Back to
 * XICS with a second CAS, the XICS state is as it was.
 */
static void test_refused_after_xive_cas(void **state)
{
	struct fx *f = start(state, DUAL_MACHINE, "2");
	spirq_ic_mode mode;
	unsigned i, cpu;

	claim(f, 0x1300, false);
	SET_XIVE(f, 0x1300, 0, 5);
	CPPR(f, 0, 0xff);
	trigger(f, 0x1300, 1);
	IPI(f, 0, 1, 0x03);
	POLL(f, 0, 0xff001300, 0xff);
	POLL(f, 1, 0, 0x03);
	LINE(f, 0, 1);

	assert_int_equal(spirq_cas(f->m, 0x40, &mode, NULL), 0);
	assert_int_equal(mode, SPIRQ_IC_MODE_XIVE);

	f->nlogs = 0;
	ASSERT_HCALL_RC(f, 0, SPIRQ_H_CPPR, 0xff, 0, SPIRQ_H_HARDWARE);
	assert_int_equal(f->nlogs, 1);
	assert_string_equal(f->last_log,
		"pseries: h_cppr must only be called for emulated XICS");
	ASSERT_HCALL_RC(f, 0, SPIRQ_H_XIRR, 0, 0, SPIRQ_H_HARDWARE);
	assert_string_equal(f->last_log,
		"pseries: h_xirr must only be called for emulated XICS");
	for (cpu = 0; cpu < 2; cpu++) {
		for (i = 0; i < NR_XICS_HCALLS; i++)
			ASSERT_HCALL_RC(f, cpu, xics_hcalls[i], 1, 0xff,
					SPIRQ_H_HARDWARE);
		/* refused before the server is looked at */
		ASSERT_HCALL_RC(f, cpu, SPIRQ_H_IPI, 0xffffffff, 0,
				SPIRQ_H_HARDWARE);
		ASSERT_HCALL_RC(f, cpu, SPIRQ_H_IPOLL, 7, 0,
				SPIRQ_H_HARDWARE);
		ASSERT_HCALL_RC(f, cpu, SPIRQ_H_EOI, 0xff001300, 0,
				SPIRQ_H_HARDWARE);
	}
	/* RTAS: -1 before the argument counts are checked */
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 1, 0x1300,
				     0, 1), -1);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 2, 1, 0x1300,
				     0, 1), -1);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_GET_XIVE, 1, 3, 0x1300,
				     0, 0), -1);
	assert_true(f->rr[1] == RTAS_POISON);
	assert_int_equal(rtas_status(f, 1, SPIRQ_RTAS_GET_XIVE, 1, 3, 0x2000,
				     0, 0), -1);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_INT_OFF, 1, 1, 0x1300,
				     0, 0), -1);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_INT_ON, 1, 1, 0x1300,
				     0, 0), -1);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_INT_ON, 0, 1, 0, 0, 0),
			 -1);
	/* the refused H_XIRR did not accept: the line is still up */
	LINE(f, 0, 1);
	assert_int_equal(f->lowered[0], 0);

	assert_int_equal(spirq_cas(f->m, 0x00, &mode, NULL), 0);
	assert_int_equal(mode, SPIRQ_IC_MODE_XICS);
	POLL(f, 0, 0xff001300, 0xff);
	POLL(f, 1, 0, 0x03);
	GET_XIVE(f, 0x1300, 0, 5);
	PIC_CPU(f, 0, 0xff001300, 0x05, 0xff, true);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 00");
	assert_string_equal(f->pic[f->npic - 1], "irqchip: emulated");
	XIRR(f, 0, 0xff001300);
	LINE(f, 0, 0);
}

/* ic-mode=xive: no XICS, the hcalls are not implemented, no RTAS call. */
static void test_no_xics(void **state)
{
	static const uint32_t tokens[] = {
		SPIRQ_RTAS_SET_XIVE, SPIRQ_RTAS_GET_XIVE,
		SPIRQ_RTAS_INT_OFF, SPIRQ_RTAS_INT_ON,
	};
	struct fx *f = start(state, XIVE_MACHINE, "2");
	unsigned i, pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < NR_XICS_HCALLS; i++)
			ASSERT_HCALL_RC(f, 0, xics_hcalls[i], 0, 0xff,
					SPIRQ_H_FUNCTION);
		ASSERT_HCALL_RC(f, 1, SPIRQ_H_IPI, 7, 0, SPIRQ_H_FUNCTION);
		for (i = 0; i < 4; i++) {
			assert_int_equal(rtas(f, 0, tokens[i],
					      tokens[i] == SPIRQ_RTAS_SET_XIVE ?
					      3 : 1,
					      spirq_rtas_nret(tokens[i]),
					      0x1000, 0, 5),
					 -SPIRQ_ERR_NOTFOUND);
			assert_true(f->rr[0] == RTAS_POISON);
		}
		/* the same once the guest negotiated XIVE */
		assert_int_equal(spirq_cas(f->m, 0x40, NULL, NULL), 0);
	}
}

/* A cpu_index that is not a plugged vCPU: H_HARDWARE, RTAS refused. */
static void test_unplugged_cpu(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "1,maxcpus=2");
	unsigned i;

	for (i = 0; i < NR_XICS_HCALLS; i++) {
		ASSERT_HCALL_RC(f, 1, xics_hcalls[i], 0, 0xff,
				SPIRQ_H_HARDWARE);
		ASSERT_HCALL_RC(f, 2, xics_hcalls[i], 0, 0xff,
				SPIRQ_H_HARDWARE);
		ASSERT_HCALL_RC(f, 1000, xics_hcalls[i], 0, 0xff,
				SPIRQ_H_HARDWARE);
	}
	assert_int_equal(rtas(f, 1, SPIRQ_RTAS_GET_XIVE, 1, 3, 0x1000, 0, 0),
			 -SPIRQ_ERR_INVAL);
	assert_int_equal(rtas(f, 5, SPIRQ_RTAS_INT_ON, 1, 1, 0x1000, 0, 0),
			 -SPIRQ_ERR_INVAL);
	/* its server number names no presenter either */
	ASSERT_HCALL_RC(f, 0, SPIRQ_H_IPI, 1, 5, SPIRQ_H_PARAMETER);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 1, 0x1000,
				     1, 5), -3);

	/* plugged: a reset presenter */
	assert_int_equal(spirq_cpu_plug(f->m, 1, NULL), 0);
	ASSERT_HCALL_OK(f, 1, SPIRQ_H_IPOLL, 1, 0, 2);
	assert_int_equal(f->rets[0], 0);
	assert_int_equal(f->rets[1], 0xff);
	IPI(f, 0, 1, 5);
	CPPR(f, 1, 0xff);
	LINE(f, 1, 1);
	XIRR(f, 1, 0xff000002);

	assert_int_equal(spirq_cpu_unplug(f->m, 1, NULL), 0);
	for (i = 0; i < NR_XICS_HCALLS; i++)
		ASSERT_HCALL_RC(f, 1, xics_hcalls[i], 0, 0xff,
				SPIRQ_H_HARDWARE);
	ASSERT_HCALL_RC(f, 0, SPIRQ_H_IPOLL, 1, 0, SPIRQ_H_PARAMETER);
}

/* ======================================================================== */
/* RTAS                                                                     */
/* ======================================================================== */

static void test_rtas_set_xive(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "2,maxcpus=4");

	SET_XIVE(f, 0x1300, 1, 5);
	GET_XIVE(f, 0x1300, 1, 5);
	/* argument and return counts: 3 and 1 */
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 2, 1, 0x1300,
				     0, 1), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 4, 1, 0x1300,
				     0, 1), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 2, 0x1300,
				     0, 1), -3);
	assert_true(f->rr[1] == RTAS_POISON);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 3, 0x1300,
				     0, 1), -3);
	/* no return cell at all: nowhere to put a status */
	assert_int_equal(rtas(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 0, 0x1300, 0, 1),
			 -SPIRQ_ERR_INVAL);
	assert_true(f->rr[0] == RTAS_POISON);
	/* irq outside 0x1000..0x1fff */
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 1, 0xfff,
				     0, 1), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 1, 0x2000,
				     0, 1), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 1, 0,
				     0, 1), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 1,
				     0xffffffff, 0, 1), -3);
	/* server: not plugged, beyond maxcpus, -1 */
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 1, 0x1300,
				     2, 1), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 1, 0x1300,
				     4, 1), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 1, 0x1300,
				     0xffffffff, 1), -3);
	/* priority: a 32-bit cell, above 0xff refused (no truncation) */
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 1, 0x1300,
				     0, 0x100), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 1, 0x1300,
				     0, 0x80000005), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 1, 0x1300,
				     0, 0xffffffff), -3);
	/* nothing changed */
	GET_XIVE(f, 0x1300, 1, 5);
	/* 0xff is a valid priority (masked); set-xive also sets the saved
	 * priority, so int-on keeps it masked */
	SET_XIVE(f, 0x1300, 0, 0xff);
	GET_XIVE(f, 0x1300, 0, 0xff);
	INT_ON(f, 0x1300);
	GET_XIVE(f, 0x1300, 0, 0xff);
	/* any source of the range, claimed or not, from any vCPU */
	assert_int_equal(rtas_status(f, 1, SPIRQ_RTAS_SET_XIVE, 3, 1, 0x1fff,
				     1, 0), 0);
	GET_XIVE(f, 0x1fff, 1, 0);
	SET_XIVE(f, 0x1000, 1, 0xfe);
	GET_XIVE(f, 0x1000, 1, 0xfe);
}

static void test_rtas_get_xive(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "2");

	/* reset: server 0, masked */
	GET_XIVE(f, 0x1400, 0, 0xff);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_GET_XIVE, 0, 3, 0x1400,
				     0, 0), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_GET_XIVE, 2, 3, 0x1400,
				     0, 0), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_GET_XIVE, 1, 1, 0x1400,
				     0, 0), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_GET_XIVE, 1, 2, 0x1400,
				     0, 0), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_GET_XIVE, 1, 4, 0x1400,
				     0, 0), -3);
	assert_true(f->rr[1] == RTAS_POISON);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_GET_XIVE, 1, 3, 0xfff,
				     0, 0), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_GET_XIVE, 1, 3, 0x2000,
				     0, 0), -3);
	assert_true(f->rr[1] == RTAS_POISON);
	SET_XIVE(f, 0x1400, 1, 7);
	GET_XIVE(f, 0x1400, 1, 7);
	assert_int_equal(rtas_status(f, 1, SPIRQ_RTAS_GET_XIVE, 1, 3, 0x1400,
				     0, 0), 0);
	assert_int_equal(f->rr[1], 1);
	assert_int_equal(f->rr[2], 7);
	assert_true(f->rr[3] == RTAS_POISON);
}

static void test_rtas_int_off_on(void **state)
{
	static const uint32_t tokens[] = {
		SPIRQ_RTAS_INT_OFF, SPIRQ_RTAS_INT_ON,
	};
	struct fx *f = start(state, XICS_MACHINE, "2");
	unsigned i;

	SET_XIVE(f, 0x1300, 1, 5);
	for (i = 0; i < 2; i++) {
		assert_int_equal(rtas_status(f, 0, tokens[i], 0, 1, 0x1300,
					     0, 0), -3);
		assert_int_equal(rtas_status(f, 0, tokens[i], 2, 1, 0x1300,
					     0, 0), -3);
		assert_int_equal(rtas_status(f, 0, tokens[i], 1, 2, 0x1300,
					     0, 0), -3);
		assert_int_equal(rtas_status(f, 0, tokens[i], 1, 3, 0x1300,
					     0, 0), -3);
		assert_int_equal(rtas_status(f, 0, tokens[i], 1, 1, 0xfff,
					     0, 0), -3);
		assert_int_equal(rtas_status(f, 0, tokens[i], 1, 1, 0x2000,
					     0, 0), -3);
		assert_int_equal(rtas_status(f, 0, tokens[i], 1, 1, 0,
					     0, 0), -3);
	}
	GET_XIVE(f, 0x1300, 1, 5);

	/* int-off: masked, the priority saved; the server is kept */
	INT_OFF(f, 0x1300);
	GET_XIVE(f, 0x1300, 1, 0xff);
	INT_ON(f, 0x1300);
	GET_XIVE(f, 0x1300, 1, 5);
	/* int-on of an unmasked source: unchanged */
	INT_ON(f, 0x1300);
	GET_XIVE(f, 0x1300, 1, 5);
	/* QEMU: a second int-off saves the masked priority, int-on then
	 * leaves the source masked */
	INT_OFF(f, 0x1300);
	INT_OFF(f, 0x1300);
	INT_ON(f, 0x1300);
	GET_XIVE(f, 0x1300, 1, 0xff);
	/* a source never configured: saved priority 0xff after reset */
	INT_ON(f, 0x1301);
	GET_XIVE(f, 0x1301, 0, 0xff);
}

/* pseries-2.12: 1024 sources, 0x1000..0x13ff. */
static void test_legacy_range(void **state)
{
	struct fx *f = start(state, "pseries-2.12", "1");
	spirq_error err;

	SET_XIVE(f, 0x13ff, 0, 5);
	GET_XIVE(f, 0x13ff, 0, 5);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 1, 0x1400,
				     0, 5), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_GET_XIVE, 1, 3, 0x1400,
				     0, 0), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_INT_OFF, 1, 1, 0x1400,
				     0, 0), -3);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_INT_ON, 1, 1, 0x1400,
				     0, 0), -3);
	assert_int_equal(spirq_irq_claim(f->m, 0x1400, false, &err),
			 -SPIRQ_ERR_INVAL);
	claim(f, 0x13ff, false);
	pic(f);
	assert_int_equal(f->npic, 4);
	assert_string_equal(f->pic[0],
			    "CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=ff");
	assert_true(tokens_match(f->pic[1], "ICS 1000..13ff *"));
	assert_string_equal(f->pic[2], "  13ff MSI 05 00");
	assert_string_equal(f->pic[3], "irqchip: emulated");
}

/* ======================================================================== */
/* sources and presenters                                                   */
/* ======================================================================== */

static void test_msi_delivery(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "2");

	claim(f, 0x1300, false);
	SET_XIVE(f, 0x1300, 1, 5);
	CPPR(f, 1, 0xff);
	trigger(f, 0x1300, 1);
	LINE(f, 1, 1);
	LINE(f, 0, 0);
	assert_int_equal(f->raised[1], 1);
	POLL(f, 1, 0xff001300, 0xff);
	PIC_CPU(f, 1, 0xff001300, 0x05, 0xff, true);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 00");
	/* level 0 means nothing to an MSI */
	trigger(f, 0x1300, 0);
	POLL(f, 1, 0xff001300, 0xff);
	LINE(f, 1, 1);
	/* accept: the line drops, CPPR takes the priority */
	XIRR(f, 1, 0xff001300);
	LINE(f, 1, 0);
	POLL(f, 1, 0x05000000, 0xff);
	PIC_CPU(f, 1, 0x05000000, 0xff, 0xff, false);
	EOI(f, 1, 0xff001300);
	POLL(f, 1, 0xff000000, 0xff);
	LINE(f, 1, 0);
	assert_int_equal(f->raised[1], 1);

	/* vCPU 0 still has CPPR 0: its MSI is rejected */
	claim(f, 0x1301, false);
	SET_XIVE(f, 0x1301, 0, 5);
	trigger(f, 0x1301, 1);
	LINE(f, 0, 0);
	POLL(f, 0, 0, 0xff);
	PIC_SRC(f, 0x1301, "  1301 MSI 05 04");

	/* device lines of unclaimed or foreign sources */
	assert_int_equal(spirq_set_irq(f->m, 0x1302, 1), -SPIRQ_ERR_NOTFOUND);
	assert_int_equal(spirq_set_irq(f->m, 0x2000, 1), -SPIRQ_ERR_INVAL);
	assert_int_equal(spirq_set_irq(f->m, 0x0fff, 1), -SPIRQ_ERR_INVAL);
	assert_int_equal(f->spurious, 0);
}

/* Rejected by a more favoured (or equal) presented interrupt, resent at
 * the EOI that leaves the XISR empty. */
static void test_msi_reject_resend_on_eoi(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "1");

	claim(f, 0x1300, false);
	claim(f, 0x1301, false);
	SET_XIVE(f, 0x1300, 0, 5);
	SET_XIVE(f, 0x1301, 0, 5);
	CPPR(f, 0, 0xff);
	trigger(f, 0x1300, 1);
	/* equal priority: the presented one stays, 0x1301 is rejected */
	trigger(f, 0x1301, 1);
	POLL(f, 0, 0xff001300, 0xff);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 00");
	PIC_SRC(f, 0x1301, "  1301 MSI 05 04");
	XIRR(f, 0, 0xff001300);
	LINE(f, 0, 0);
	/* the XISR is empty but the CPPR is 5 after the accept: an EOI that
	 * keeps CPPR 5 resends, the resend is refused again */
	EOI(f, 0, 0x05001300);
	POLL(f, 0, 0x05000000, 0xff);
	PIC_SRC(f, 0x1301, "  1301 MSI 05 04");
	LINE(f, 0, 0);
	EOI(f, 0, 0xff001300);
	POLL(f, 0, 0xff001301, 0xff);
	PIC_SRC(f, 0x1301, "  1301 MSI 05 00");
	LINE(f, 0, 1);

	/* more favoured: the presented 0x1301 goes back to its source */
	SET_XIVE(f, 0x1300, 0, 3);
	trigger(f, 0x1300, 1);
	POLL(f, 0, 0xff001300, 0xff);
	PIC_CPU(f, 0, 0xff001300, 0x03, 0xff, true);
	PIC_SRC(f, 0x1301, "  1301 MSI 05 04");
	LINE(f, 0, 1);
	assert_int_equal(f->raised[0], 2);	/* no new edge: stayed up */
	XIRR(f, 0, 0xff001300);
	POLL(f, 0, 0x03000000, 0xff);
	EOI(f, 0, 0xff001300);
	POLL(f, 0, 0xff001301, 0xff);
	XIRR(f, 0, 0xff001301);
	EOI(f, 0, 0xff001301);
	POLL(f, 0, 0xff000000, 0xff);
	PIC_SRC(f, 0x1300, "  1300 MSI 03 00");
	PIC_SRC(f, 0x1301, "  1301 MSI 05 00");
	LINE(f, 0, 0);

	/* an EOI while something is presented does not resend */
	trigger(f, 0x1300, 1);
	trigger(f, 0x1301, 1);
	PIC_SRC(f, 0x1301, "  1301 MSI 05 04");
	EOI(f, 0, 0xff000000);
	PIC_SRC(f, 0x1301, "  1301 MSI 05 04");
	POLL(f, 0, 0xff001300, 0xff);
	XIRR(f, 0, 0xff001300);
	EOI(f, 0, 0xff001300);
	POLL(f, 0, 0xff001301, 0xff);
	PIC_SRC(f, 0x1301, "  1301 MSI 05 00");
	assert_int_equal(f->spurious, 0);
}

/* Rejected by the CPPR, resent when the CPPR becomes less favoured or
 * is written with the same value. */
static void test_msi_resend_on_cppr(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "1");

	claim(f, 0x1300, false);
	SET_XIVE(f, 0x1300, 0, 5);
	CPPR(f, 0, 4);
	trigger(f, 0x1300, 1);
	LINE(f, 0, 0);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	/* still refused at CPPR 5 */
	CPPR(f, 0, 5);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	LINE(f, 0, 0);
	CPPR(f, 0, 6);
	POLL(f, 0, 0x06001300, 0xff);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 00");
	LINE(f, 0, 1);
	XIRR(f, 0, 0x06001300);
	EOI(f, 0, 0x04001300);

	/* rejected at CPPR 4; a new priority alone does not resend it (an
	 * MSI that is not masked-pending is left alone), rewriting the same
	 * CPPR does */
	trigger(f, 0x1300, 1);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	SET_XIVE(f, 0x1300, 0, 3);
	PIC_SRC(f, 0x1300, "  1300 MSI 03 04");
	LINE(f, 0, 0);
	CPPR(f, 0, 4);
	POLL(f, 0, 0x04001300, 0xff);
	PIC_SRC(f, 0x1300, "  1300 MSI 03 00");
	LINE(f, 0, 1);
}

static void test_masked_pending(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "1");

	claim(f, 0x1300, false);
	CPPR(f, 0, 0xff);
	/* masked since reset: the trigger is remembered */
	trigger(f, 0x1300, 1);
	PIC_SRC(f, 0x1300, "  1300 MSI ff 08");
	GET_XIVE(f, 0x1300, 0, 0xff);
	trigger(f, 0x1300, 1);
	PIC_SRC(f, 0x1300, "  1300 MSI ff 08");
	/* still masked */
	SET_XIVE(f, 0x1300, 0, 0xff);
	PIC_SRC(f, 0x1300, "  1300 MSI ff 08");
	LINE(f, 0, 0);
	/* unmasked: delivered once */
	SET_XIVE(f, 0x1300, 0, 5);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 00");
	POLL(f, 0, 0xff001300, 0xff);
	LINE(f, 0, 1);
	XIRR(f, 0, 0xff001300);
	EOI(f, 0, 0xff001300);
	POLL(f, 0, 0xff000000, 0xff);
	LINE(f, 0, 0);

	/* int-off, trigger, int-on */
	INT_OFF(f, 0x1300);
	trigger(f, 0x1300, 1);
	PIC_SRC(f, 0x1300, "  1300 MSI ff 08");
	LINE(f, 0, 0);
	INT_ON(f, 0x1300);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 00");
	POLL(f, 0, 0xff001300, 0xff);
	LINE(f, 0, 1);
	XIRR(f, 0, 0xff001300);
	EOI(f, 0, 0xff001300);

	/* unmasked while the CPPR refuses it: now rejected */
	CPPR(f, 0, 3);
	INT_OFF(f, 0x1300);
	trigger(f, 0x1300, 1);
	INT_ON(f, 0x1300);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	LINE(f, 0, 0);
	CPPR(f, 0, 0xff);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 00");
	POLL(f, 0, 0xff001300, 0xff);
	XIRR(f, 0, 0xff001300);
	EOI(f, 0, 0xff001300);

	/* QEMU: a rejected MSI masked before the resend is dropped (the
	 * resend clears REJECTED and skips masked sources) */
	CPPR(f, 0, 3);
	trigger(f, 0x1300, 1);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	INT_OFF(f, 0x1300);
	PIC_SRC(f, 0x1300, "  1300 MSI ff 04");
	CPPR(f, 0, 0xff);
	PIC_SRC(f, 0x1300, "  1300 MSI ff 00");
	INT_ON(f, 0x1300);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 00");
	POLL(f, 0, 0xff000000, 0xff);
	LINE(f, 0, 0);
	assert_int_equal(f->spurious, 0);
}

static void test_lsi_assert_deassert(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "1");

	claim(f, 0x1200, true);
	SET_XIVE(f, 0x1200, 0, 5);
	CPPR(f, 0, 0xff);
	trigger(f, 0x1200, 1);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 03");
	PIC_CPU(f, 0, 0xff001200, 0x05, 0xff, true);
	LINE(f, 0, 1);
	/* asserting again: already sent */
	trigger(f, 0x1200, 1);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 03");
	assert_int_equal(f->raised[0], 1);
	/* deassert while presented: stays presented */
	trigger(f, 0x1200, 0);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 02");
	POLL(f, 0, 0xff001200, 0xff);
	LINE(f, 0, 1);
	XIRR(f, 0, 0xff001200);
	LINE(f, 0, 0);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 02");
	EOI(f, 0, 0xff001200);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 00");
	POLL(f, 0, 0xff000000, 0xff);
	LINE(f, 0, 0);

	/* deassert after the accept */
	trigger(f, 0x1200, 1);
	XIRR(f, 0, 0xff001200);
	trigger(f, 0x1200, 0);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 02");
	EOI(f, 0, 0xff001200);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 00");
	POLL(f, 0, 0xff000000, 0xff);
	assert_int_equal(f->raised[0], 2);
	assert_int_equal(f->spurious, 0);
}

/* An LSI still asserted at its EOI is presented again. */
static void test_lsi_reassert_after_eoi(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "1");

	claim(f, 0x1200, true);
	SET_XIVE(f, 0x1200, 0, 5);
	CPPR(f, 0, 0xff);
	trigger(f, 0x1200, 1);
	XIRR(f, 0, 0xff001200);
	LINE(f, 0, 0);
	EOI(f, 0, 0xff001200);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 03");
	POLL(f, 0, 0xff001200, 0xff);
	LINE(f, 0, 1);
	assert_int_equal(f->raised[0], 2);
	/* and again */
	XIRR(f, 0, 0xff001200);
	EOI(f, 0, 0xff001200);
	POLL(f, 0, 0xff001200, 0xff);
	assert_int_equal(f->raised[0], 3);
	/* the device is serviced before the EOI: done */
	XIRR(f, 0, 0xff001200);
	trigger(f, 0x1200, 0);
	EOI(f, 0, 0xff001200);
	POLL(f, 0, 0xff000000, 0xff);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 00");
	LINE(f, 0, 0);
	assert_int_equal(f->raised[0], 3);
}

/* An asserted LSI that is masked, refused or rejected is sent again
 * when it can be. */
static void test_lsi_masked_and_rejected(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "1");

	claim(f, 0x1200, true);
	claim(f, 0x1300, false);
	/* masked since reset: only the level is kept */
	trigger(f, 0x1200, 1);
	PIC_SRC(f, 0x1200, "  1200 LSI ff 01");
	/* unmasked while CPPR is 0: sent, rejected, not sent any more */
	SET_XIVE(f, 0x1200, 0, 5);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 01");
	LINE(f, 0, 0);
	CPPR(f, 0, 0xff);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 03");
	POLL(f, 0, 0xff001200, 0xff);
	LINE(f, 0, 1);
	/* a more favoured MSI takes its place */
	SET_XIVE(f, 0x1300, 0, 3);
	trigger(f, 0x1300, 1);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 01");
	POLL(f, 0, 0xff001300, 0xff);
	XIRR(f, 0, 0xff001300);
	EOI(f, 0, 0xff001300);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 03");
	POLL(f, 0, 0xff001200, 0xff);
	/* withdrawn by a CPPR raise: the LSI is no longer sent */
	CPPR(f, 0, 5);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 01");
	POLL(f, 0, 0x05000000, 0xff);
	LINE(f, 0, 0);
	CPPR(f, 0, 0xff);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 03");
	LINE(f, 0, 1);
	/* int-off of a sent LSI leaves it presented */
	INT_OFF(f, 0x1200);
	PIC_SRC(f, 0x1200, "  1200 LSI ff 03");
	POLL(f, 0, 0xff001200, 0xff);
	XIRR(f, 0, 0xff001200);
	/* masked at EOI: not sent again while masked ... */
	EOI(f, 0, 0xff001200);
	PIC_SRC(f, 0x1200, "  1200 LSI ff 01");
	POLL(f, 0, 0xff000000, 0xff);
	LINE(f, 0, 0);
	/* ... and sent by int-on */
	INT_ON(f, 0x1200);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 03");
	POLL(f, 0, 0xff001200, 0xff);
	LINE(f, 0, 1);
	/* deasserted while masked: nothing left */
	XIRR(f, 0, 0xff001200);
	INT_OFF(f, 0x1200);
	trigger(f, 0x1200, 0);
	EOI(f, 0, 0xff001200);
	INT_ON(f, 0x1200);
	PIC_SRC(f, 0x1200, "  1200 LSI 05 00");
	POLL(f, 0, 0xff000000, 0xff);
	LINE(f, 0, 0);
	assert_int_equal(f->spurious, 0);
}

/* The inter-processor interrupt: XISR 2, priority MFRR. */
static void test_ipi(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "2");

	/* CPPR 0 after reset: the MFRR is stored only */
	IPI(f, 0, 1, 5);
	POLL(f, 1, 0, 0x05);
	LINE(f, 1, 0);
	/* a less favoured CPPR resends: the IPI is presented */
	CPPR(f, 1, 0xff);
	POLL(f, 1, 0xff000002, 0x05);
	PIC_CPU(f, 1, 0xff000002, 0x05, 0x05, false);
	LINE(f, 1, 1);
	LINE(f, 0, 0);
	XIRR(f, 1, 0xff000002);
	POLL(f, 1, 0x05000000, 0x05);
	LINE(f, 1, 0);
	IPI(f, 1, 1, 0xff);
	EOI(f, 1, 0xff000002);
	POLL(f, 1, 0xff000000, 0xff);
	LINE(f, 1, 0);

	/* presented at once when MFRR < CPPR */
	IPI(f, 0, 1, 5);
	LINE(f, 1, 1);
	XIRR(f, 1, 0xff000002);
	/* EOI without clearing the MFRR: presented again */
	EOI(f, 1, 0xff000002);
	POLL(f, 1, 0xff000002, 0x05);
	LINE(f, 1, 1);
	/* clearing the MFRR does not withdraw a presented IPI */
	IPI(f, 0, 1, 0xff);
	POLL(f, 1, 0xff000002, 0xff);
	LINE(f, 1, 1);
	/* a more favoured MFRR updates the pending priority */
	IPI(f, 0, 1, 5);
	IPI(f, 0, 1, 3);
	PIC_CPU(f, 1, 0xff000002, 0x03, 0x03, false);
	/* a less favoured one does not */
	IPI(f, 0, 1, 4);
	PIC_CPU(f, 1, 0xff000002, 0x03, 0x04, false);
	IPI(f, 0, 1, 0xff);
	XIRR(f, 1, 0xff000002);
	POLL(f, 1, 0x03000000, 0xff);
	EOI(f, 1, 0xff000002);
	POLL(f, 1, 0xff000000, 0xff);

	/* MFRR equal to the CPPR: not presented until the CPPR drops */
	CPPR(f, 1, 4);
	IPI(f, 0, 1, 4);
	POLL(f, 1, 0x04000000, 0x04);
	LINE(f, 1, 0);
	IPI(f, 0, 1, 6);
	CPPR(f, 1, 7);
	POLL(f, 1, 0x07000002, 0x06);
	LINE(f, 1, 1);
	/* a vCPU may interrupt itself */
	CPPR(f, 0, 0xff);
	IPI(f, 0, 0, 0);
	POLL(f, 0, 0xff000002, 0x00);
	LINE(f, 0, 1);
	assert_int_equal(f->spurious, 0);
}

static void test_ipi_and_source(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "1");

	claim(f, 0x1300, false);
	SET_XIVE(f, 0x1300, 0, 5);
	CPPR(f, 0, 0xff);
	trigger(f, 0x1300, 1);
	/* a more favoured IPI rejects the presented MSI */
	IPI(f, 0, 0, 3);
	PIC_CPU(f, 0, 0xff000002, 0x03, 0x03, false);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	XIRR(f, 0, 0xff000002);
	IPI(f, 0, 0, 0xff);
	EOI(f, 0, 0xff000002);
	POLL(f, 0, 0xff001300, 0xff);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 00");
	/* an IPI of the presented priority waits */
	IPI(f, 0, 0, 5);
	POLL(f, 0, 0xff001300, 0x05);
	XIRR(f, 0, 0xff001300);
	EOI(f, 0, 0xff001300);
	POLL(f, 0, 0xff000002, 0x05);
	/* a more favoured MSI replaces the IPI, which nobody rejects ... */
	SET_XIVE(f, 0x1300, 0, 3);
	trigger(f, 0x1300, 1);
	PIC_CPU(f, 0, 0xff001300, 0x03, 0x05, true);
	PIC_SRC(f, 0x1300, "  1300 MSI 03 00");
	XIRR(f, 0, 0xff001300);
	/* ... and the MFRR presents again at the EOI */
	EOI(f, 0, 0xff001300);
	POLL(f, 0, 0xff000002, 0x05);
	/* an MSI of the IPI's priority is rejected */
	SET_XIVE(f, 0x1300, 0, 5);
	trigger(f, 0x1300, 1);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	POLL(f, 0, 0xff000002, 0x05);
	XIRR(f, 0, 0xff000002);
	IPI(f, 0, 0, 0xff);
	EOI(f, 0, 0xff000002);
	POLL(f, 0, 0xff001300, 0xff);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 00");
	LINE(f, 0, 1);
	/* with both waiting, the IPI is checked first at a resend */
	XIRR(f, 0, 0xff001300);
	CPPR(f, 0, 0);
	trigger(f, 0x1300, 1);
	IPI(f, 0, 0, 5);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	CPPR(f, 0, 0xff);
	POLL(f, 0, 0xff000002, 0x05);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	assert_int_equal(f->spurious, 0);
}

/* A more favoured CPPR withdraws what it masks; the line drops. */
static void test_cppr_raise_withdraws(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "1");

	claim(f, 0x1300, false);
	SET_XIVE(f, 0x1300, 0, 5);
	CPPR(f, 0, 0xff);
	trigger(f, 0x1300, 1);
	LINE(f, 0, 1);
	/* CPPR 6 still lets priority 5 through */
	CPPR(f, 0, 6);
	POLL(f, 0, 0x06001300, 0xff);
	LINE(f, 0, 1);
	/* CPPR 5: withdrawn, rejected to its source */
	CPPR(f, 0, 5);
	POLL(f, 0, 0x05000000, 0xff);
	PIC_CPU(f, 0, 0x05000000, 0xff, 0xff, false);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	LINE(f, 0, 0);
	assert_int_equal(f->lowered[0], 1);
	/* the same CPPR again: resent, refused again */
	CPPR(f, 0, 5);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	LINE(f, 0, 0);
	CPPR(f, 0, 6);
	POLL(f, 0, 0x06001300, 0xff);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 00");
	LINE(f, 0, 1);

	/* an IPI is withdrawn too; its MFRR stays */
	IPI(f, 0, 0, 2);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	CPPR(f, 0, 2);
	POLL(f, 0, 0x02000000, 0x02);
	LINE(f, 0, 0);
	PIC_CPU(f, 0, 0x02000000, 0xff, 0x02, false);
	/* CPPR 3: the IPI comes back, the MSI (5) is refused */
	CPPR(f, 0, 3);
	POLL(f, 0, 0x03000002, 0x02);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	LINE(f, 0, 1);
	/* the accepted XIRR is not withdrawn (nothing presented) */
	XIRR(f, 0, 0x03000002);
	CPPR(f, 0, 0);
	POLL(f, 0, 0, 0x02);
	LINE(f, 0, 0);
	assert_int_equal(f->spurious, 0);
}

/* H_XIRR: returns the XIRR, CPPR := pending priority, XISR := 0. */
static void test_accept(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "1");

	/* nothing pending: the CPPR becomes 0xff */
	CPPR(f, 0, 5);
	XIRR(f, 0, 0x05000000);
	POLL(f, 0, 0xff000000, 0xff);
	assert_int_equal(f->lowered[0], 0);

	claim(f, 0x1300, false);
	SET_XIVE(f, 0x1300, 0, 5);
	trigger(f, 0x1300, 1);
	PIC_CPU(f, 0, 0xff001300, 0x05, 0xff, true);
	XIRR(f, 0, 0xff001300);
	PIC_CPU(f, 0, 0x05000000, 0xff, 0xff, false);
	LINE(f, 0, 0);
	assert_int_equal(f->lowered[0], 1);
	/* a second accept finds nothing: the CPPR is lost (0xff) */
	XIRR(f, 0, 0x05000000);
	POLL(f, 0, 0xff000000, 0xff);
	/* the source was not told: an MSI has no EOI state */
	PIC_SRC(f, 0x1300, "  1300 MSI 05 00");
	EOI(f, 0, 0xff001300);
	POLL(f, 0, 0xff000000, 0xff);
	/* H_XIRR_X accepts the same way */
	trigger(f, 0x1300, 1);
	ASSERT_HCALL_OK(f, 0, SPIRQ_H_XIRR_X, 0, 0, 2);
	assert_int_equal(f->rets[0], 0xff001300);
	assert_int_equal(f->rets[1], f->tb_last);
	POLL(f, 0, 0x05000000, 0xff);
	LINE(f, 0, 0);
}

/* Among sources waiting with equal priority, the resend presents the
 * lowest source number; the scan goes once in ascending order. */
static void test_resend_order(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "1");
	uint32_t irq;

	for (irq = 0x1300; irq <= 0x1302; irq++) {
		claim(f, irq, false);
		SET_XIVE(f, irq, 0, 5);
	}
	/* CPPR 0: all rejected, triggered in descending order */
	trigger(f, 0x1302, 1);
	trigger(f, 0x1301, 1);
	trigger(f, 0x1300, 1);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	CPPR(f, 0, 0xff);
	POLL(f, 0, 0xff001300, 0xff);
	PIC_SRC(f, 0x1301, "  1301 MSI 05 04");
	PIC_SRC(f, 0x1302, "  1302 MSI 05 04");
	XIRR(f, 0, 0xff001300);
	EOI(f, 0, 0xff001300);
	XIRR(f, 0, 0xff001301);
	EOI(f, 0, 0xff001301);
	XIRR(f, 0, 0xff001302);
	EOI(f, 0, 0xff001302);
	XIRR(f, 0, 0xff000000);

	/*
	 * 0x1300 at priority 6: the scan presents 0x1300, then 0x1301 (5)
	 * replaces it (0x1300 rejected behind the scan), 0x1302 (5) is
	 * rejected by 0x1301.
	 */
	SET_XIVE(f, 0x1300, 0, 6);
	CPPR(f, 0, 0);
	trigger(f, 0x1300, 1);
	trigger(f, 0x1301, 1);
	trigger(f, 0x1302, 1);
	CPPR(f, 0, 0xff);
	PIC_CPU(f, 0, 0xff001301, 0x05, 0xff, true);
	PIC_SRC(f, 0x1300, "  1300 MSI 06 04");
	PIC_SRC(f, 0x1302, "  1302 MSI 05 04");
	XIRR(f, 0, 0xff001301);
	/* 0x1300 presented, then replaced by 0x1302 */
	EOI(f, 0, 0xff001301);
	PIC_CPU(f, 0, 0xff001302, 0x05, 0xff, true);
	PIC_SRC(f, 0x1300, "  1300 MSI 06 04");
	XIRR(f, 0, 0xff001302);
	EOI(f, 0, 0xff001302);
	XIRR(f, 0, 0xff001300);
	EOI(f, 0, 0xff001300);
	XIRR(f, 0, 0xff000000);
}

/*
 * About a hundred sources spread over the whole ICS (every resend-bitmap
 * word, the last source included), MSIs and LSIs, triggered in a
 * scrambled order while the CPPR refuses them: each resend presents the
 * lowest one still waiting, so the guest accepts them in ascending order.
 */
static void test_resend_order_many(void **state)
{
	enum { N = 100 };
	struct fx *f = start(state, XICS_MACHINE, "1");
	uint32_t irqs[N], order[N];
	unsigned i, j;
	char want[32];

	for (i = 0; i < N; i++) {
		irqs[i] = 0x1000 + (i == N - 1 ? 0xfff : i * 41);
		claim(f, irqs[i], i % 7 == 3);
		SET_XIVE(f, irqs[i], 0, 5);
		order[i] = i;
	}
	/* a fixed scramble (LCG-driven Fisher-Yates) */
	for (i = N - 1, j = 12345; i > 0; i--) {
		unsigned k, t;

		j = j * 1103515245u + 12345u;
		k = (j >> 8) % (i + 1);
		t = order[i];
		order[i] = order[k];
		order[k] = t;
	}
	for (i = 0; i < N; i++)
		trigger(f, irqs[order[i]], 1);
	pic(f);
	for (i = 0; i < N; i++) {
		snprintf(want, sizeof(want), "  %4x %s 05 %s", irqs[i],
			 i % 7 == 3 ? "LSI" : "MSI", i % 7 == 3 ? "01" : "04");
		assert_string_equal(f->pic[2 + i], want);
	}
	LINE(f, 0, 0);

	CPPR(f, 0, 0xff);
	for (i = 0; i < N; i++) {
		XIRR(f, 0, 0xff000000 | irqs[i]);
		if (i % 7 == 3)
			trigger(f, irqs[i], 0);	/* device serviced */
		EOI(f, 0, 0xff000000 | irqs[i]);
	}
	XIRR(f, 0, 0xff000000);
	pic(f);
	for (i = 0; i < N; i++)
		assert_string_equal(f->pic[2 + i] + 14, "00");
	assert_int_equal(f->spurious, 0);
}

/* A resend from any presenter scans every source (QEMU: "FIXME: filter
 * by server#"): a rejected MSI retargeted by ibm,set-xive is delivered to
 * its new server when that server's CPPR drops. */
static void test_resend_any_server(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "2");

	claim(f, 0x1300, false);
	SET_XIVE(f, 0x1300, 0, 5);
	trigger(f, 0x1300, 1);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	SET_XIVE(f, 0x1300, 1, 5);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	CPPR(f, 1, 0xff);
	POLL(f, 1, 0xff001300, 0xff);
	LINE(f, 1, 1);
	LINE(f, 0, 0);
	XIRR(f, 1, 0xff001300);
	EOI(f, 1, 0xff001300);

	/*
	 * 0x1300 rejected by vCPU 0 (0x1301 at priority 3 presented), which
	 * then accepts 0x1301: CPPR 3, nothing presented, no resend.  Made
	 * more favoured than 3, 0x1300 reaches vCPU 0 through vCPU 1's
	 * resend.
	 */
	claim(f, 0x1301, false);
	SET_XIVE(f, 0x1301, 0, 3);
	SET_XIVE(f, 0x1300, 0, 5);
	CPPR(f, 0, 0xff);
	trigger(f, 0x1301, 1);
	trigger(f, 0x1300, 1);
	PIC_SRC(f, 0x1300, "  1300 MSI 05 04");
	XIRR(f, 0, 0xff001301);
	LINE(f, 0, 0);
	SET_XIVE(f, 0x1300, 0, 1);
	PIC_SRC(f, 0x1300, "  1300 MSI 01 04");
	LINE(f, 0, 0);
	CPPR(f, 1, 0xff);
	POLL(f, 0, 0x03001300, 0xff);
	PIC_CPU(f, 0, 0x03001300, 0x01, 0xff, true);
	PIC_SRC(f, 0x1300, "  1300 MSI 01 00");
	LINE(f, 0, 1);
	POLL(f, 1, 0xff000000, 0xff);
}

static void test_info_pic(void **state)
{
	struct fx *f = start(state, DUAL_MACHINE, "2");

	pic(f);
	assert_int_equal(f->npic, 4);
	assert_string_equal(f->pic[0],
			    "CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=ff");
	assert_string_equal(f->pic[1],
			    "CPU 1 XIRR=00000000 ((nil)) PP=ff MFRR=ff");
	assert_true(tokens_match(f->pic[2], "ICS 1000..1fff *"));
	assert_string_equal(f->pic[3], "irqchip: emulated");

	/* claimed sources only, in source order */
	claim(f, 0x1fff, false);
	claim(f, 0x1001, true);
	claim(f, 0x1000, false);
	SET_XIVE(f, 0x1001, 1, 0x1a);
	CPPR(f, 1, 0xff);
	trigger(f, 0x1001, 1);
	IPI(f, 0, 0, 0x80);
	pic(f);
	assert_int_equal(f->npic, 7);
	assert_string_equal(f->pic[0],
			    "CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=80");
	assert_true(tokens_match(f->pic[1],
				 "CPU 1 XIRR=ff001001 * PP=1a MFRR=ff"));
	assert_null(strstr(f->pic[1], "(nil)"));
	assert_true(tokens_match(f->pic[2], "ICS 1000..1fff *"));
	assert_string_equal(f->pic[3], "  1000 MSI ff 00");
	assert_string_equal(f->pic[4], "  1001 LSI 1a 03");
	assert_string_equal(f->pic[5], "  1fff MSI ff 00");
	assert_string_equal(f->pic[6], "irqchip: emulated");
}

/*
 * QEMU's free clears the whole source state (memset): server 0, priority
 * 0, saved priority 0, status 0.  Claimed again, the source is unmasked
 * at the most favoured priority.
 */
static void test_free_reclaim(void **state)
{
	struct fx *f = start(state, XICS_MACHINE, "2");
	spirq_error err;

	claim(f, 0x1300, false);
	SET_XIVE(f, 0x1300, 1, 5);
	INT_OFF(f, 0x1300);
	trigger(f, 0x1300, 1);
	PIC_SRC(f, 0x1300, "  1300 MSI ff 08");
	assert_int_equal(spirq_irq_free(f->m, 0x1300), 0);
	pic(f);
	assert_null(pic_find(f, "  1300 "));
	assert_int_equal(f->npic, 4);
	GET_XIVE(f, 0x1300, 0, 0);
	/* a freed source has no device line */
	assert_int_equal(spirq_set_irq(f->m, 0x1300, 1), -SPIRQ_ERR_NOTFOUND);

	claim(f, 0x1300, true);
	PIC_SRC(f, 0x1300, "  1300 LSI 00 00");
	GET_XIVE(f, 0x1300, 0, 0);
	INT_ON(f, 0x1300);
	GET_XIVE(f, 0x1300, 0, 0);
	INT_OFF(f, 0x1300);
	GET_XIVE(f, 0x1300, 0, 0xff);
	INT_ON(f, 0x1300);
	GET_XIVE(f, 0x1300, 0, 0);
	assert_int_equal(spirq_irq_claim(f->m, 0x1300, false, &err),
			 -SPIRQ_ERR_BUSY);
	assert_string_equal(err.message, "IRQ 4864 is not free");
	PIC_SRC(f, 0x1300, "  1300 LSI 00 00");

	assert_int_equal(spirq_irq_free(f->m, 0x1300), 0);
	claim(f, 0x1300, false);
	PIC_SRC(f, 0x1300, "  1300 MSI 00 00");
	CPPR(f, 0, 0xff);
	trigger(f, 0x1300, 1);
	POLL(f, 0, 0xff001300, 0xff);
	PIC_CPU(f, 0, 0xff001300, 0x00, 0xff, true);
	LINE(f, 0, 1);
	/* freeing an unclaimed source is harmless */
	assert_int_equal(spirq_irq_free(f->m, 0x1500), 0);
	assert_int_equal(spirq_irq_free(f->m, 0x2000), -SPIRQ_ERR_INVAL);
}

/* Machine reset: sources and presenters back to their reset state,
 * claims kept, XICS active again in dual mode. */
static void test_reset(void **state)
{
	static const char *const reset_pic[] = {
		"CPU 0 XIRR=00000000 ((nil)) PP=ff MFRR=ff",
		"CPU 1 XIRR=00000000 ((nil)) PP=ff MFRR=ff",
		"ICS 1000..1fff *",
		"  1200 LSI ff 00",
		"  1300 MSI ff 00",
		"  1301 MSI ff 00",
		"  1302 MSI ff 00",
		"irqchip: emulated",
	};
	struct fx *f = start(state, DUAL_MACHINE, "2");
	unsigned pass, i;

	claim(f, 0x1200, true);
	claim(f, 0x1300, false);
	claim(f, 0x1301, false);
	claim(f, 0x1302, false);
	for (pass = 0; pass < 2; pass++) {
		SET_XIVE(f, 0x1300, 1, 5);
		SET_XIVE(f, 0x1301, 0, 3);
		SET_XIVE(f, 0x1200, 0, 4);
		CPPR(f, 0, 0xff);
		CPPR(f, 1, 0xff);
		trigger(f, 0x1300, 1);
		trigger(f, 0x1200, 1);
		trigger(f, 0x1301, 1);
		trigger(f, 0x1302, 1);
		IPI(f, 0, 1, 2);
		pic(f);
		assert_true(tokens_match(f->pic[0],
			"CPU 0 XIRR=ff001301 * PP=03 MFRR=ff"));
		assert_string_equal(f->pic[1],
			"CPU 1 XIRR=ff000002 ((nil)) PP=02 MFRR=02");
		assert_string_equal(f->pic[3], "  1200 LSI 04 01");
		assert_string_equal(f->pic[4], "  1300 MSI 05 04");
		assert_string_equal(f->pic[6], "  1302 MSI ff 08");
		LINE(f, 0, 1);
		LINE(f, 1, 1);
		if (pass == 1)	/* and with XIVE negotiated */
			assert_int_equal(spirq_cas(f->m, 0x40, NULL, NULL), 0);

		assert_int_equal(spirq_reset(f->m), 0);
		LINE(f, 0, 0);
		LINE(f, 1, 0);
		POLL(f, 0, 0, 0xff);
		POLL(f, 1, 0, 0xff);
		pic(f);
		assert_int_equal(f->npic, 8);
		for (i = 0; i < 8; i++)
			if (!tokens_match(f->pic[i], reset_pic[i]))
				fail_msg("info pic line %u: \"%s\"", i,
					 f->pic[i]);
		GET_XIVE(f, 0x1300, 0, 0xff);
		GET_XIVE(f, 0x1301, 0, 0xff);
		GET_XIVE(f, 0x1200, 0, 0xff);
		/* claims are kept */
		assert_int_equal(spirq_irq_claim(f->m, 0x1300, true, NULL),
				 -SPIRQ_ERR_BUSY);
		/* the saved priorities are reset too */
		INT_ON(f, 0x1300);
		GET_XIVE(f, 0x1300, 0, 0xff);
	}
	/* after reset an MSI is masked: pending */
	trigger(f, 0x1300, 1);
	PIC_SRC(f, 0x1300, "  1300 MSI ff 08");
	assert_int_equal(f->spurious, 0);
}

/* Server numbers are vCPU ids: with vsmt=8 and one thread per core,
 * cpu_index n is server 8n. */
static void test_vsmt_servers(void **state)
{
	struct fx *f = start(state, "pseries-7.2,ic-mode=xics,vsmt=8",
			     "2,maxcpus=4");

	ASSERT_HCALL_RC(f, 0, SPIRQ_H_IPI, 1, 5, SPIRQ_H_PARAMETER);
	ASSERT_HCALL_RC(f, 0, SPIRQ_H_IPOLL, 1, 0, SPIRQ_H_PARAMETER);
	ASSERT_HCALL_RC(f, 0, SPIRQ_H_IPOLL, 16, 0, SPIRQ_H_PARAMETER);
	POLL(f, 8, 0, 0xff);
	POLL(f, 0x100000008ull, 0, 0xff);
	assert_int_equal(rtas_status(f, 0, SPIRQ_RTAS_SET_XIVE, 3, 1, 0x1300,
				     1, 5), -3);
	SET_XIVE(f, 0x1300, 8, 5);
	GET_XIVE(f, 0x1300, 8, 5);
	claim(f, 0x1300, false);
	CPPR(f, 1, 0xff);
	trigger(f, 0x1300, 1);
	LINE(f, 1, 1);
	POLL(f, 8, 0xff001300, 0xff);
	PIC_CPU(f, 1, 0xff001300, 0x05, 0xff, true);
	IPI(f, 0, 8, 3);
	PIC_CPU(f, 1, 0xff000002, 0x03, 0x03, false);
	/* a hot-plugged core: cpu_index 2 is server 16 */
	assert_int_equal(spirq_cpu_plug(f->m, 2, NULL), 0);
	POLL(f, 16, 0, 0xff);
	SET_XIVE(f, 0x1300, 16, 5);
	PIC_CPU(f, 2, 0, 0xff, 0xff, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_hcall_outputs, stop),
		cmocka_unit_test_teardown(test_h_cppr, stop),
		cmocka_unit_test_teardown(test_h_ipi, stop),
		cmocka_unit_test_teardown(test_h_ipoll, stop),
		cmocka_unit_test_teardown(test_h_eoi, stop),
		cmocka_unit_test_teardown(test_refused_after_xive_cas, stop),
		cmocka_unit_test_teardown(test_no_xics, stop),
		cmocka_unit_test_teardown(test_unplugged_cpu, stop),
		cmocka_unit_test_teardown(test_rtas_set_xive, stop),
		cmocka_unit_test_teardown(test_rtas_get_xive, stop),
		cmocka_unit_test_teardown(test_rtas_int_off_on, stop),
		cmocka_unit_test_teardown(test_legacy_range, stop),
		cmocka_unit_test_teardown(test_msi_delivery, stop),
		cmocka_unit_test_teardown(test_msi_reject_resend_on_eoi, stop),
		cmocka_unit_test_teardown(test_msi_resend_on_cppr, stop),
		cmocka_unit_test_teardown(test_masked_pending, stop),
		cmocka_unit_test_teardown(test_lsi_assert_deassert, stop),
		cmocka_unit_test_teardown(test_lsi_reassert_after_eoi, stop),
		cmocka_unit_test_teardown(test_lsi_masked_and_rejected, stop),
		cmocka_unit_test_teardown(test_ipi, stop),
		cmocka_unit_test_teardown(test_ipi_and_source, stop),
		cmocka_unit_test_teardown(test_cppr_raise_withdraws, stop),
		cmocka_unit_test_teardown(test_accept, stop),
		cmocka_unit_test_teardown(test_resend_order, stop),
		cmocka_unit_test_teardown(test_resend_order_many, stop),
		cmocka_unit_test_teardown(test_resend_any_server, stop),
		cmocka_unit_test_teardown(test_info_pic, stop),
		cmocka_unit_test_teardown(test_free_reclaim, stop),
		cmocka_unit_test_teardown(test_reset, stop),
		cmocka_unit_test_teardown(test_vsmt_servers, stop),
	};

	return cmocka_run_group_tests_name("xics", tests, NULL, NULL);
}
