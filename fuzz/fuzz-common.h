/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirq fuzz targets: what they share.
 *
 *   - a reader of the input bytes (past the end it reads zeros, so every
 *     input is a valid program);
 *   - the table of machine configurations the targets pick from;
 *   - a host (guest RAM, vCPU interrupt lines, log, timebase) whose
 *     callbacks check what the library promises its embedder;
 *   - the decoders of guest calls (hcall, RTAS, MMIO) and device events,
 *     with the checks of the public API's contracts.
 *
 * The record formats below are also written by fuzz-seed.c, which turns
 * the project's scenarios into seed inputs: change both together.
 *
 * A broken promise is reported by fz_fail(): a message on stderr, then
 * abort(), which libFuzzer records as a crash.
 */
#ifndef SPIRQ_FUZZ_COMMON_H
#define SPIRQ_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <spirq/spirq.h>

/* Guest RAM of the fuzz configurations ("-m 16M"). */
#define FZ_RAM_SIZE		(16ull << 20)

/* Largest RTAS argument/return cell count the decoder produces. */
#define FZ_RTAS_MAX_CELLS	4096u

/*
 * The harness's own bookkeeping and checks (the input reader, the host's
 * callbacks, the checks after each operation, the wrappers that check a
 * call's contract -- hcall, save, restore, info pic, errors --, stream
 * comparisons, the snapshots of fuzz-snapshot.c, built without
 * instrumentation) are left
 * out of libFuzzer's coverage: their branches and comparisons say nothing
 * about the library, and the comparison hooks in their loops cost about a
 * fifth of fuzz-machine's time.  The input decoders stay instrumented:
 * their branches follow the input.
 */
#define FZ_UNTRACED __attribute__((no_sanitize("coverage")))

void fz_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));

#define FZ_ASSERT(cond, ...)						\
	do {								\
		if (!(cond))						\
			fz_fail(__FILE__, __LINE__, __VA_ARGS__);	\
	} while (0)

/* Is environment variable @name set to something other than "" or "0"? */
bool fz_env_set(const char *name);

/*
 * SPIRQ_FUZZ_TRACE=1 in the environment: every operation is printed on
 * stderr before it runs, as a scenario line (docs/scenario.md) where the
 * language can say it, as a "# " comment otherwise.  Reproduce a crash
 * with it to get a scenario for a regression test.
 */
extern bool fz_trace;
void fz_trace_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define FZ_TRACE(...)						\
	do {							\
		if (fz_trace)					\
			fz_trace_line(__VA_ARGS__);		\
	} while (0)

/* ---- input -------------------------------------------------------------- */

struct fz_in {
	const uint8_t *p;
	size_t n;
};

static inline bool fz_more(const struct fz_in *in)
{
	return in->n != 0;
}

uint8_t fz_u8(struct fz_in *in);
uint16_t fz_u16(struct fz_in *in);	/* big-endian, as all multi-byte */
uint32_t fz_u32(struct fz_in *in);
uint64_t fz_u64(struct fz_in *in);

/* ---- configurations ----------------------------------------------------- */

struct fz_config {
	const char *machine;	/* -M */
	const char *smp;	/* -smp */
	const char *memory;	/* -m */
	const char *accel;	/* -accel, or NULL */
	const char *cpu;	/* -cpu, or NULL */
};

/* The guest-call targets' table: every ic-mode, before and after CAS is
 * the target's business; FZ_NR_CONFIGS entries. */
#define FZ_NR_CONFIGS 16
extern const struct fz_config fz_configs[FZ_NR_CONFIGS];

/* ---- host --------------------------------------------------------------- */

struct fz_snapshot;

/* Guest RAM is tracked in chunks of 64 KiB that may be non-zero. */
#define FZ_RAM_CHUNK_SHIFT	16

struct fz_host {
	spirq_machine *m;
	spirq_config cfg;
	uint8_t *ram;			/* cfg.ram_size bytes, zero at start */
	uint8_t line[SPIRQ_MAX_CPUS];	/* levels the host was told */
	uint64_t timebase;
	unsigned long logs;
	unsigned walks;			/* FZ_MAX_TABLE_WALKS */
	/* guest RAM written since the start: a flag per chunk, their list */
	uint8_t *dirty;
	uint32_t *dirty_list;
	size_t nr_dirty;
	/* fz_host_snapshot(): the machine, the host, the RAM chunks */
	struct fz_snapshot *snap;
	uint8_t snap_line[SPIRQ_MAX_CPUS];
	uint64_t snap_timebase;
	unsigned long snap_logs;
	uint8_t *snap_ram;		/* copies of the dirty chunks */
	size_t snap_nr_dirty;		/* the first ones of dirty_list */
};

/* Resolve @c and create its machine; a refused table entry aborts. */
void fz_host_start(struct fz_host *h, const struct fz_config *c);
void fz_host_stop(struct fz_host *h);

/*
 * Remember the state of the machine and of the host (lines, timebase,
 * guest RAM); fz_host_rollback() goes back to it, so that one machine
 * serves many inputs as if each had a new one (fuzz-snapshot.c).
 */
void fz_host_snapshot(struct fz_host *h);
void fz_host_rollback(struct fz_host *h);

/* The internal part (fuzz-snapshot.c): the machine's state only. */
struct fz_snapshot *fz_snapshot_take(const spirq_machine *m);
void fz_snapshot_rollback(spirq_machine *m, const struct fz_snapshot *s);
void fz_snapshot_free(struct fz_snapshot *s);
/* Give @m other host callbacks (a rolled-back machine serving a new host). */
void fz_machine_set_ops(spirq_machine *m, const spirq_host_ops *ops);
/* Is the state of @m exactly that of @s (every table and register)? */
bool fz_snapshot_same(const spirq_machine *m, const struct fz_snapshot *s);
/*
 * Are the table entries a machine does not mark live in reset state?
 * (The library's resets and saves, and the snapshots, skip them.)
 */
bool fz_snapshot_check_live(const spirq_machine *m);

/*
 * A machine of configuration @c as fz_host_start() and then @setup (may
 * be NULL) leave it, for one input; @slot tells apart the machines an
 * input uses at once.  The first call creates it and keeps a snapshot;
 * fz_host_release() gives it back and rolls it back to the snapshot
 * (within the input, which then frees what it allocated), later calls
 * return it as it is.  With SPIRQ_FUZZ_FRESH=1 in the environment (or
 * fz_fresh set), every call creates a new machine instead.
 */
extern bool fz_fresh;
struct fz_host *fz_host_acquire(const struct fz_config *c,
				void (*setup)(struct fz_host *h),
				unsigned slot);
void fz_host_release(struct fz_host *h);

/*
 * Machines kept by configuration, for targets whose machines are created
 * by a runner with its own host callbacks (the storm, the scenario
 * runner): each kept with the snapshot of its state when new, rolled back
 * to it when given back, so that the next one to get it finds it as new.
 */
#define FZ_CACHE_SIZE 8

struct fz_cached {
	spirq_config cfg;
	spirq_machine *m;		/* NULL: a free entry */
	struct fz_snapshot *snap;
	unsigned long last_use;
	bool busy;
};

struct fz_machine_cache {
	struct fz_cached e[FZ_CACHE_SIZE];
	unsigned long uses;
};

/* An idle machine of @cfg, given @ops and marked busy: its entry, or NULL. */
struct fz_cached *fz_cache_get(struct fz_machine_cache *c,
			       const spirq_config *cfg,
			       const spirq_host_ops *ops);
/* Where a new machine goes: a free entry, else the least recently used
 * idle one, its machine destroyed; NULL when every entry is busy. */
struct fz_cached *fz_cache_slot(struct fz_machine_cache *c);
/* Keep @m, of @cfg and as new, in entry @e (from fz_cache_slot), busy. */
void fz_cache_keep(struct fz_machine_cache *c, struct fz_cached *e,
		   const spirq_config *cfg, spirq_machine *m);
/* Give @m back: rolled back to its snapshot when cached, else destroyed
 * (now, not at the next use: what an input allocated is freed within it,
 * which libFuzzer would otherwise run again for a leak check). */
void fz_cache_put(struct fz_machine_cache *c, spirq_machine *m);

/*
 * Run a target's work on an input.  @fn returns the host it leaves (not
 * yet released; NULL if none).  With SPIRQ_FUZZ_VERIFY=1, @fn runs three
 * times: twice on cached machines, once on new ones; the saved streams,
 * the guest RAM and the counts of log lines of the three must agree (a
 * rollback that forgets some state shows there).
 */
typedef struct fz_host *(*fz_target_fn)(const uint8_t *data, size_t size);
extern bool fz_verify;		/* SPIRQ_FUZZ_VERIFY: costlier checks too */
int fz_run(const uint8_t *data, size_t size, fz_target_fn fn);

/* After every operation: lines the host knows = lines the machine drives,
 * no line up on a vCPU that is not plugged. */
void fz_host_check(const struct fz_host *h);

bool fz_cpu_present(const struct fz_host *h, unsigned cpu);

/* ---- register values ---------------------------------------------------- */

/*
 * A 64-bit register value or RTAS cell: a tag byte (taken modulo
 * FZ_NR_REG_TAGS) then the tag's bytes.
 */
enum fz_reg_tag {
	FZ_REG_ZERO,		/* 0 */
	FZ_REG_U8,		/* u8 */
	FZ_REG_U16,		/* u16 */
	FZ_REG_U32,		/* u32 */
	FZ_REG_U64,		/* u64: what fuzz-seed writes */
	FZ_REG_XIRQ,		/* u16: external source 0x1000 + n % nr_xirqs */
	FZ_REG_LISN,		/* u8: small LISN (XIVE IPIs) */
	FZ_REG_SERVER,		/* u8: vCPU id of cpu_index n % maxcpus */
	FZ_REG_PAGE4K,		/* u16: 4 KiB page of guest RAM */
	FZ_REG_PAGE64K,		/* u8: 64 KiB page of guest RAM */
	FZ_REG_PRIO,		/* u8: n % 8, or 0xff when n >= 0xf0 */
	FZ_REG_QSIZE,		/* u8: 0, 12, 16, 21, 24, or n */
	FZ_REG_ONES,		/* u8: ~n */
	FZ_REG_BIT,		/* u8: 1 << (n % 64) */
	FZ_REG_XIRR,		/* u8 u16: CPPR << 24 | source */
	FZ_REG_CPPR,		/* u8: 0, 5, 0xff ... from a table */
	FZ_NR_REG_TAGS
};

uint64_t fz_reg(struct fz_in *in, const struct fz_host *h);

/* ---- records ------------------------------------------------------------ */

/*
 * cpu_index: one byte b.  b < 0xf0: b % maxcpus (present or not);
 * 0xf0..0xfd: maxcpus + b - 0xf0 (invalid); 0xfe: u32; 0xff: UINT_MAX.
 */
#define FZ_CPU_RAW		0xfe
unsigned fz_cpu(struct fz_in *in, const struct fz_host *h);

/*
 * Source number: one byte b.  b < 0x80: 0x1000 + a usual offset (VIO,
 * PCI LSIs, the first MSIs); b < 0xe0: 0x1000 + u16 % nr_xirqs; else u32.
 */
#define FZ_IRQ_RAW		0xe0
uint32_t fz_irq(struct fz_in *in, const struct fz_host *h);

/*
 * hcall: selector, cpu, count, registers.
 *   selector s < 0xc0: the interrupt hcall fz_hcalls[s % FZ_NR_HCALLS];
 *   0xc0 .. 0xdf: 4 * u8 (any hcall number below 0x400);
 *   0xe0 .. 0xff: u64 (anything).
 *   count c: c % 10 registers r4 ..., each an fz_reg(); the rest 0.
 */
#define FZ_NR_HCALLS		17
#define FZ_HCALL_SMALL		0xc0
#define FZ_HCALL_RAW		0xe0
extern const uint64_t fz_hcalls[FZ_NR_HCALLS];
void fz_do_hcall(struct fz_in *in, struct fz_host *h);
/* The same, the selector byte already read. */
void fz_do_hcall_sel(struct fz_in *in, struct fz_host *h, uint8_t sel);

/*
 * Records of fuzz-hcall: a selector byte s; FZ_HCALL_REC_IRQ <= s <
 * FZ_HCALL_SMALL: a device line (fz_do_irq), so that XICS sources are
 * presented and XIVE events queued; else an hcall of selector s.
 */
#define FZ_HCALL_REC_IRQ	0xb0

/*
 * The configuration byte c of fuzz-hcall, -rtas and -mmio: the low 4 bits
 * select the configuration; (c & FZ_CONFIG_INFO_PIC) == FZ_CONFIG_INFO_PIC
 * asks for an "info pic" at the end (it walks every table: most inputs,
 * 15 in 16 of the random ones, go without).
 */
#define FZ_CONFIG_INFO_PIC	0xf0
#define FZ_WANTS_INFO_PIC(c)	(((c) & FZ_CONFIG_INFO_PIC) == FZ_CONFIG_INFO_PIC)

/*
 * RTAS: token selector, cpu, nargs, nret, nargs cells (fz_reg, 32 bits).
 *   token t < 0xc0: the XICS calls (t % 4); < 0xf0: another token from a
 *   table; else u32.
 *   nargs, nret n < 0xf0: n % 8; else u16 % (FZ_RTAS_MAX_CELLS + 1).
 */
#define FZ_RTAS_OTHER		0xc0
#define FZ_RTAS_RAW		0xf0
void fz_do_rtas(struct fz_in *in, struct fz_host *h);

/*
 * MMIO: kind, cpu, offset, size[, value].
 *   kind k: bit 0 store, bit 1 TIMA (else ESB); k >= 0xf8: an invalid
 *   region number.
 *   offset o < 0xc0: structured (ESB: LISN byte, page/op byte; TIMA:
 *   page, special-op range, register byte); else u64.
 *   size s < 0xf0: 1, 2, 4, 8 (s % 4); else an invalid size.
 *   value: fz_reg().
 */
#define FZ_MMIO_STORE		0x01
#define FZ_MMIO_TIMA		0x02
#define FZ_MMIO_RAW_OFFSET	0xc0
void fz_do_mmio(struct fz_in *in, struct fz_host *h);

/* Device line: source, then level byte l (l < 0x80: l & 1; else (int8_t)l). */
void fz_do_irq(struct fz_in *in, struct fz_host *h);

/* A structured XIVE configuration hcall (source or queue). */
void fz_do_xive_setup(struct fz_in *in, struct fz_host *h);

/*
 * CAS at start: one byte c, c % 4: 0 none, 1 legacy (0x00), 2 XIVE (0x40),
 * 3 the next byte as byte 23.
 */
void fz_start_cas(struct fz_in *in, struct fz_host *h);

/*
 * The machine of configuration @c with the usual claims
 * (fz_claim_defaults), then the CAS at start read from @in as
 * fz_start_cas() does: from the cache of machines (the usual CAS already
 * done there), as new.
 */
struct fz_host *fz_acquire_started(struct fz_in *in,
				   const struct fz_config *c);

/*
 * Calls that walk every table (CAS, H_INT_RESET) run at most this many
 * times per input (fz_host.walks); later ones are skipped.
 */
#define FZ_MAX_TABLE_WALKS	8

/* Claims of a usual machine: EPOW, hot-plug, VIO (MSI), PCI LSIs. */
void fz_claim_defaults(struct fz_host *h);

/* Claim on @dst the sources claimed on @src (a migration's destination). */
void fz_claim_like(struct fz_host *dst, const struct fz_host *src);
/* The first claimed source at or after @irq, or the number of sources. */
uint32_t fz_next_claimed(const struct fz_host *h, uint32_t irq);

/*
 * The claims of @h's machine (malloc'ed), and making them so again (frees
 * and claims): the devices of a VMM that restores a stream it saved are
 * those it had then.
 */
uint8_t *fz_claims_get(const struct fz_host *h);
void fz_claims_set(struct fz_host *h, const uint8_t *claims);

/* hcall with the API's checks; returns the hcall's return code. */
int64_t fz_hcall(struct fz_host *h, unsigned cpu, uint64_t opcode,
		 const uint64_t *args, uint64_t *rets, unsigned *nrets);

/* CAS with the API's checks. */
void fz_cas(struct fz_host *h, uint8_t byte23);

/* "info pic" into a sink that checks the lines. */
void fz_info_pic(struct fz_host *h);

/*
 * Operations of fuzz-machine: one byte, then the operation's record.
 * FZ_OP_HEAVY and the next few bytes select the operations that walk
 * every table (reset, info pic, save, restore, migration to a twin), so
 * that these stay rare (and runs of 0x00 or 0xff, which mutations like,
 * stay cheap); every other byte selects among the cheap operations.
 *   CAS byte23 | RESET | PLUG core | UNPLUG core (core byte c < 0xf0:
 *   (c % (cores + 1)) * threads, else u32) | CLAIM irq flags (bit 0 LSI) |
 *   FREE irq | IRQ irq level | MSI_ALLOC count flags (count n < 0xf0:
 *   n % 33, else u16; flags bit 0 MSI-X, bit 1 claim them) | MSI_FREE sel
 *   (s < 0xf0: a block allocated before, else first u32, count u16) |
 *   INFO_PIC | SAVE | RESTORE (the last save, into the same machine) |
 *   HCALL, RTAS, MMIO, XIVE_SETUP records | TWIN (migrate to a new machine
 *   of the same configuration and compare).
 */
enum fz_op {
	/* cheap */
	FZ_OP_CAS,
	FZ_OP_PLUG,
	FZ_OP_UNPLUG,
	FZ_OP_CLAIM,
	FZ_OP_FREE,
	FZ_OP_IRQ,
	FZ_OP_MSI_ALLOC,
	FZ_OP_MSI_FREE,
	FZ_OP_HCALL,
	FZ_OP_RTAS,
	FZ_OP_MMIO,
	FZ_OP_XIVE_SETUP,
	/* heavy */
	FZ_OP_RESET,
	FZ_OP_INFO_PIC,
	FZ_OP_SAVE,
	FZ_OP_RESTORE,
	FZ_OP_TWIN,
	FZ_NR_OPS
};
#define FZ_NR_CHEAP_OPS		FZ_OP_RESET
#define FZ_OP_HEAVY		0xe8
#define FZ_CORE_RAW		0xf0

static inline enum fz_op fz_op_decode(uint8_t b)
{
	if (b >= FZ_OP_HEAVY && b < FZ_OP_HEAVY + FZ_NR_OPS - FZ_NR_CHEAP_OPS)
		return (enum fz_op)(FZ_NR_CHEAP_OPS + b - FZ_OP_HEAVY);
	return (enum fz_op)(b % FZ_NR_CHEAP_OPS);
}

static inline uint8_t fz_op_encode(enum fz_op op)
{
	if (op < FZ_NR_CHEAP_OPS)
		return (uint8_t)op;
	return (uint8_t)(FZ_OP_HEAVY + op - FZ_NR_CHEAP_OPS);
}

/* Record types of fuzz-rtas (first byte t). */
#define FZ_RTAS_REC_IRQ		0xd0	/* t < 0xd0: RTAS; then irq */
#define FZ_RTAS_REC_HCALL	0xe8	/* then hcall */

/* Record types of fuzz-mmio (first byte t, t % 8). */
enum fz_mmio_rec {
	FZ_MMIO_REC_MMIO = 0,		/* 0..3, 7 */
	FZ_MMIO_REC_HCALL = 4,
	FZ_MMIO_REC_SETUP = 5,
	FZ_MMIO_REC_IRQ = 6,
};

/* ---- migration ---------------------------------------------------------- */

/* spirq_save into a malloc'ed buffer (never fails but for memory). */
uint8_t *fz_save(struct fz_host *h, size_t *len);

/* Offsets of the configuration record's two backend bytes, or -1. */
void fz_backend_bytes(const uint8_t *s, size_t len, long *a, long *b);

/*
 * Where two streams differ: a bit per section type (1 << type) whose
 * payload differs, FZ_DIFF_LAYOUT when the header or the list of
 * sections differs.  The two backend bytes of the configuration record
 * and the CPU model of the MACHINE section (they describe the source's
 * host) and the CRC are not compared.  @a may be a format version 1
 * stream and @b its version 2 save: the version and the CPU record that
 * version 1 lacks are then not compared either.
 */
#define FZ_DIFF_LAYOUT		1u
#define FZ_DIFF_ICS		(1u << 6)
#define FZ_DIFF_ICP		(1u << 7)
unsigned fz_stream_diff(const uint8_t *a, size_t a_len, const uint8_t *b,
			size_t b_len);

/*
 * spirq_restore() reproduces the saved machine exactly, so a restored
 * stream must save back to the same bytes.  Building with
 * -DFZ_TOLERATE_XICS_RESEND=1 tolerates differences confined to the ICS
 * and ICP sections (a restore that resends, as QEMU's post-load does);
 * SPIRQ_FUZZ_STRICT=1 overrides that at run time.
 */
#ifndef FZ_TOLERATE_XICS_RESEND
#define FZ_TOLERATE_XICS_RESEND 0
#endif

/*
 * Is @out what a restore of @in must save back?  0: yes; 1: only the
 * tolerated XICS resend difference (check that @out is a fixpoint);
 * -1: no.
 */
int fz_same_stream(const uint8_t *in, size_t in_len, const uint8_t *out,
		   size_t out_len);

/*
 * Restore @buf into @h: it must be accepted and save back to @buf (see
 * fz_same_stream); @what names the check in the failure message.
 */
void fz_restore_exact(struct fz_host *h, const uint8_t *buf, size_t len,
		      const char *what);

/* The same check, @buf having just been restored into @h. */
void fz_check_saved_back(struct fz_host *h, const uint8_t *buf, size_t len,
			 const char *what);

/*
 * Was the stream written by a machine of @cfg's shape (controllers and
 * ic-mode), so that it must save back the same?  A stream of another
 * compatible shape (xics -> dual ...) saves the destination's shape.
 */
bool fz_stream_fits(const uint8_t *s, size_t len, const spirq_config *cfg);

/* Check the error returned with a failed call. */
void fz_check_error(const spirq_error *err, int ret);

#endif /* SPIRQ_FUZZ_COMMON_H */
