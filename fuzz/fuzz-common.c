// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirq fuzz targets: input reader, configurations, the checking host and
 * the guest-call decoders (see fuzz-common.h).
 *
 * The host reads two internal fields of the machine (a vCPU's presence
 * and the line level the machine believes it drives) to check the line
 * callbacks; everything else goes through the public API.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <zlib.h>

#include "fuzz-common.h"
#include "common/bitmap.h"
#include "spapr/spapr-internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void fz_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\n*** spirq fuzz: broken promise at %s:%d: ", file,
		line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);		/* fuzz-scenario buffers it */
	abort();
}

bool fz_trace;

bool fz_env_set(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0");
}

void fz_trace_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- input -------------------------------------------------------------- */

FZ_UNTRACED
uint8_t fz_u8(struct fz_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

FZ_UNTRACED
uint16_t fz_u16(struct fz_in *in)
{
	uint16_t hi = fz_u8(in);

	return (uint16_t)(hi << 8 | fz_u8(in));
}

FZ_UNTRACED
uint32_t fz_u32(struct fz_in *in)
{
	uint32_t hi = fz_u16(in);

	return hi << 16 | fz_u16(in);
}

FZ_UNTRACED
uint64_t fz_u64(struct fz_in *in)
{
	uint64_t hi = fz_u32(in);

	return hi << 32 | fz_u32(in);
}

/* ---- configurations ----------------------------------------------------- */

const struct fz_config fz_configs[FZ_NR_CONFIGS] = {
	{ "pseries-7.2,ic-mode=xics", "2,maxcpus=4", "256M", NULL, NULL },
	{ "pseries-7.2,ic-mode=xive", "2,maxcpus=4", "256M", NULL, NULL },
	{ "pseries-7.2,ic-mode=dual", "2,maxcpus=4", "256M", NULL, NULL },
	{ "pseries-7.2,ic-mode=dual,vsmt=8", "2,maxcpus=4", "256M", NULL, NULL },
	{ "pseries-7.2,ic-mode=xics,vsmt=8", "2,maxcpus=4", "256M", NULL, NULL },
	/* SMT needs KVM; the in-kernel plans are simulated */
	{ "pseries-7.2,ic-mode=dual,vsmt=8", "2,maxcpus=4,threads=2", "256M",
	  "kvm", NULL },
	{ "pseries-7.2,ic-mode=xive,vsmt=4", "4,maxcpus=8,threads=4", "256M",
	  "kvm", "POWER10" },
	/* before pseries-6.0: END slots by vCPU id */
	{ "pseries-5.2,ic-mode=dual,vsmt=2", "2,maxcpus=4", "256M", NULL, NULL },
	{ "pseries-5.2,ic-mode=dual,vsmt=8,kernel-irqchip=off",
	  "2,maxcpus=4,threads=2", "256M", "kvm", NULL },
	/* legacy XICS: 0x400 sources */
	{ "pseries-2.12", "2,maxcpus=4", "256M", NULL, NULL },
	{ "pseries-7.2,ic-mode=dual,kernel-irqchip=on", "2,maxcpus=4", "256M",
	  "kvm", NULL },
	{ "pseries-7.2,ic-mode=dual", "2,maxcpus=4", "256M", "kvm,xive=off",
	  NULL },
	/* no configuration record in the stream */
	{ "pseries-4.1,ic-mode=dual", "1,maxcpus=2", "256M", NULL, NULL },
	/* no CPU hot-plug */
	{ "pseries-2.6", "2", "256M", NULL, NULL },
	/* dual turned into xics by the compat mode */
	{ "pseries-7.2,max-cpu-compat=power8", "1,maxcpus=2", "256M", NULL,
	  NULL },
	{ "pseries-7.2,ic-mode=xive", "1,maxcpus=2", "256M", NULL, NULL },
};

/* ---- host --------------------------------------------------------------- */

FZ_UNTRACED
static int host_read(void *opaque, uint64_t gpa, void *buf, size_t len)
{
	struct fz_host *h = opaque;

	FZ_ASSERT(len && gpa < h->cfg.ram_size && len <= h->cfg.ram_size - gpa,
		  "read_guest(0x%llx, %zu) outside guest RAM",
		  (unsigned long long)gpa, len);
	memcpy(buf, h->ram + gpa, len);
	return 0;
}

FZ_UNTRACED
static int host_write(void *opaque, uint64_t gpa, const void *buf, size_t len)
{
	struct fz_host *h = opaque;

	uint64_t chunk, last;

	FZ_ASSERT(len && gpa < h->cfg.ram_size && len <= h->cfg.ram_size - gpa,
		  "write_guest(0x%llx, %zu) outside guest RAM",
		  (unsigned long long)gpa, len);
	memcpy(h->ram + gpa, buf, len);
	last = (gpa + len - 1) >> FZ_RAM_CHUNK_SHIFT;
	for (chunk = gpa >> FZ_RAM_CHUNK_SHIFT; chunk <= last; chunk++) {
		if (!h->dirty[chunk]) {
			h->dirty[chunk] = 1;
			h->dirty_list[h->nr_dirty++] = (uint32_t)chunk;
		}
	}
	return 0;
}

FZ_UNTRACED
bool fz_cpu_present(const struct fz_host *h, unsigned cpu)
{
	return h->m && cpu < h->cfg.max_cpus && h->m->vcpus[cpu].present;
}

FZ_UNTRACED
static void host_set_cpu_irq(void *opaque, unsigned cpu, int level)
{
	struct fz_host *h = opaque;

	FZ_ASSERT(cpu < h->cfg.max_cpus, "set_cpu_irq(%u): maxcpus is %u",
		  cpu, h->cfg.max_cpus);
	FZ_ASSERT(level == 0 || level == 1, "set_cpu_irq(%u, %d)", cpu,
		  level);
	FZ_ASSERT(level != h->line[cpu],
		  "set_cpu_irq(%u, %d): the line is already at that level",
		  cpu, level);
	FZ_ASSERT(!level || fz_cpu_present(h, cpu),
		  "set_cpu_irq(%u, 1): vCPU not plugged", cpu);
	h->line[cpu] = (uint8_t)level;
}

FZ_UNTRACED
static uint64_t host_timebase(void *opaque, unsigned cpu)
{
	struct fz_host *h = opaque;

	FZ_ASSERT(fz_cpu_present(h, cpu), "timebase(%u): vCPU not plugged",
		  cpu);
	return h->timebase += 0x1000;
}

FZ_UNTRACED
static void host_log(void *opaque, spirq_log_level level, const char *msg)
{
	struct fz_host *h = opaque;

	FZ_ASSERT(level == SPIRQ_LOG_GUEST_ERROR ||
		  level == SPIRQ_LOG_WARNING || level == SPIRQ_LOG_INFO,
		  "log level %d", (int)level);
	FZ_ASSERT(msg && strnlen(msg, 1024) < 1024 && !strchr(msg, '\n'),
		  "log message not one line");
	h->logs++;
}

static const spirq_host_ops fz_host_ops = {
	.version = SPIRQ_HOST_OPS_VERSION,
	.read_guest = host_read,
	.write_guest = host_write,
	.set_cpu_irq = host_set_cpu_irq,
	.timebase = host_timebase,
	.log = host_log,
};

#define CHUNK_SIZE ((size_t)1 << FZ_RAM_CHUNK_SHIFT)

FZ_UNTRACED
static size_t nr_chunks(const struct fz_host *h)
{
	return (size_t)((h->cfg.ram_size + CHUNK_SIZE - 1) >>
			FZ_RAM_CHUNK_SHIFT);
}

FZ_UNTRACED
static size_t chunk_len(const struct fz_host *h, uint32_t chunk)
{
	uint64_t at = (uint64_t)chunk << FZ_RAM_CHUNK_SHIFT;

	return h->cfg.ram_size - at < CHUNK_SIZE ?
	       (size_t)(h->cfg.ram_size - at) : CHUNK_SIZE;
}

void fz_host_start(struct fz_host *h, const struct fz_config *c)
{
	const char *argv[10];
	spirq_host_ops ops = fz_host_ops;
	spirq_error err;
	void *ram;
	int argc = 0;

	memset(h, 0, sizeof(*h));
	fz_trace = getenv("SPIRQ_FUZZ_TRACE") != NULL;
	/* a trace must show every operation: no cached machines */
	fz_fresh |= fz_trace || fz_env_set("SPIRQ_FUZZ_FRESH");
	FZ_TRACE("# new machine\nmachine %s\nsmp %s\nmemory %s", c->machine,
		 c->smp, c->memory);
	if (c->accel)
		FZ_TRACE("accel %s", c->accel);
	if (c->cpu)
		FZ_TRACE("cpu %s", c->cpu);
	argv[argc++] = "-M";
	argv[argc++] = c->machine;
	argv[argc++] = "-smp";
	argv[argc++] = c->smp;
	argv[argc++] = "-m";
	argv[argc++] = c->memory;
	if (c->accel) {
		argv[argc++] = "-accel";
		argv[argc++] = c->accel;
	}
	if (c->cpu) {
		argv[argc++] = "-cpu";
		argv[argc++] = c->cpu;
	}
	if (spirq_config_from_args(argc, argv, &h->cfg, &err))
		fz_fail(__FILE__, __LINE__, "configuration -M %s -smp %s refused: %s",
			c->machine, c->smp, err.message);
	/* untouched pages cost nothing and read as zeros */
	ram = mmap(NULL, h->cfg.ram_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	FZ_ASSERT(ram != MAP_FAILED, "cannot map guest RAM");
	h->ram = ram;
	h->dirty = calloc(nr_chunks(h), 1);
	h->dirty_list = calloc(nr_chunks(h), sizeof(*h->dirty_list));
	FZ_ASSERT(h->dirty && h->dirty_list, "out of memory");
	ops.opaque = h;
	if (spirq_machine_create(&h->cfg, &ops, &h->m, &err))
		fz_fail(__FILE__, __LINE__, "machine -M %s: %s", c->machine,
			err.message);
	fz_host_check(h);
}

void fz_host_stop(struct fz_host *h)
{
	spirq_machine_destroy(h->m);
	h->m = NULL;
	if (h->ram)
		munmap(h->ram, h->cfg.ram_size);
	h->ram = NULL;
	free(h->dirty);
	free(h->dirty_list);
	h->dirty = NULL;
	h->dirty_list = NULL;
	fz_snapshot_free(h->snap);
	h->snap = NULL;
	free(h->snap_ram);
	h->snap_ram = NULL;
}

FZ_UNTRACED
void fz_host_snapshot(struct fz_host *h)
{
	size_t i;

	fz_snapshot_free(h->snap);
	free(h->snap_ram);
	h->snap = fz_snapshot_take(h->m);
	memcpy(h->snap_line, h->line, sizeof(h->line));
	h->snap_timebase = h->timebase;
	h->snap_logs = h->logs;
	/* what the setup wrote in guest RAM (usually nothing) */
	h->snap_ram = malloc(h->nr_dirty * CHUNK_SIZE + 1);
	FZ_ASSERT(h->snap_ram, "out of memory");
	for (i = 0; i < h->nr_dirty; i++)
		memcpy(h->snap_ram + i * CHUNK_SIZE,
		       h->ram + ((size_t)h->dirty_list[i] << FZ_RAM_CHUNK_SHIFT),
		       chunk_len(h, h->dirty_list[i]));
	h->snap_nr_dirty = h->nr_dirty;
}

FZ_UNTRACED
void fz_host_rollback(struct fz_host *h)
{
	size_t i;

	fz_snapshot_rollback(h->m, h->snap);
	memcpy(h->line, h->snap_line, sizeof(h->line));
	h->timebase = h->snap_timebase;
	h->logs = h->snap_logs;
	h->walks = 0;
	for (i = 0; i < h->nr_dirty; i++) {
		uint32_t chunk = h->dirty_list[i];
		uint8_t *p = h->ram + ((size_t)chunk << FZ_RAM_CHUNK_SHIFT);

		if (i < h->snap_nr_dirty) {
			memcpy(p, h->snap_ram + i * CHUNK_SIZE,
			       chunk_len(h, chunk));
		} else {
			memset(p, 0, chunk_len(h, chunk));
			h->dirty[chunk] = 0;
		}
	}
	h->nr_dirty = h->snap_nr_dirty;
	fz_host_check(h);
}

/* ---- the cache of machines ---------------------------------------------- */

bool fz_fresh;

#define MAX_CACHED 64

struct cached {
	const struct fz_config *config;
	void (*setup)(struct fz_host *h);
	unsigned slot;
	struct fz_host *h;
	bool busy;
};

static struct cached cache[MAX_CACHED];
static unsigned nr_cached;

FZ_UNTRACED
static struct fz_host *new_host(const struct fz_config *c,
				void (*setup)(struct fz_host *h))
{
	struct fz_host *h = calloc(1, sizeof(*h));

	FZ_ASSERT(h, "out of memory");
	fz_host_start(h, c);
	if (setup)
		setup(h);
	h->snap_logs = h->logs;		/* fz_run() counts the input's */
	h->walks = 0;
	return h;
}

FZ_UNTRACED
struct fz_host *fz_host_acquire(const struct fz_config *c,
				void (*setup)(struct fz_host *h),
				unsigned slot)
{
	struct cached *e;
	unsigned i;

	if (fz_fresh)
		return new_host(c, setup);
	for (i = 0; i < nr_cached; i++) {
		e = &cache[i];
		if (e->config == c && e->setup == setup && e->slot == slot) {
			FZ_ASSERT(!e->busy, "cached machine acquired twice");
			e->busy = true;
			/* rolled back when it was released */
			FZ_TRACE("# a cached machine, as new\nmachine %s\nsmp %s\nmemory %s",
				 c->machine, c->smp, c->memory);
			return e->h;
		}
	}
	FZ_ASSERT(nr_cached < MAX_CACHED, "machine cache full");
	e = &cache[nr_cached++];
	e->config = c;
	e->setup = setup;
	e->slot = slot;
	e->h = new_host(c, setup);
	fz_host_snapshot(e->h);
	e->busy = true;
	return e->h;
}

FZ_UNTRACED
void fz_host_release(struct fz_host *h)
{
	unsigned i;

	if (!h)
		return;
	for (i = 0; i < nr_cached; i++) {
		if (cache[i].h == h) {
			/*
			 * Now rather than at the next acquire: what the input
			 * allocated (presenters of the vCPUs it plugged, END
			 * groups) is freed within the input.  libFuzzer runs
			 * again, for a leak check, every input that leaves
			 * more allocations than it found.
			 */
			fz_host_rollback(h);
			cache[i].busy = false;
			return;
		}
	}
	fz_host_stop(h);
	free(h);
}

/* ---- machines by configuration (fz_cache_*) ----------------------------- */

FZ_UNTRACED
struct fz_cached *fz_cache_get(struct fz_machine_cache *c,
			       const spirq_config *cfg,
			       const spirq_host_ops *ops)
{
	struct fz_cached *e;

	for (e = c->e; e < c->e + FZ_CACHE_SIZE; e++) {
		if (e->busy || !e->m || memcmp(&e->cfg, cfg, sizeof(*cfg)))
			continue;
		fz_machine_set_ops(e->m, ops);
		e->busy = true;
		e->last_use = ++c->uses;
		return e;
	}
	return NULL;
}

FZ_UNTRACED
struct fz_cached *fz_cache_slot(struct fz_machine_cache *c)
{
	struct fz_cached *e, *lru = NULL;

	for (e = c->e; e < c->e + FZ_CACHE_SIZE; e++) {
		if (!e->m)
			return e;
		if (!e->busy && (!lru || e->last_use < lru->last_use))
			lru = e;
	}
	if (lru) {
		spirq_machine_destroy(lru->m);
		fz_snapshot_free(lru->snap);
		lru->m = NULL;
		lru->snap = NULL;
	}
	return lru;
}

FZ_UNTRACED
void fz_cache_keep(struct fz_machine_cache *c, struct fz_cached *e,
		   const spirq_config *cfg, spirq_machine *m)
{
	e->cfg = *cfg;
	e->m = m;
	e->snap = fz_snapshot_take(m);
	e->busy = true;
	e->last_use = ++c->uses;
}

FZ_UNTRACED
void fz_cache_put(struct fz_machine_cache *c, spirq_machine *m)
{
	struct fz_cached *e;

	for (e = c->e; e < c->e + FZ_CACHE_SIZE; e++) {
		if (e->m == m) {
			fz_snapshot_rollback(m, e->snap);
			e->busy = false;
			return;
		}
	}
	spirq_machine_destroy(m);
}

/* ---- determinism -------------------------------------------------------- */

struct outcome {
	uint8_t *stream;
	size_t len;
	unsigned long ram_crc, logs;
};

FZ_UNTRACED
static void outcome_of(struct fz_host *h, struct outcome *o)
{
	size_t chunk;

	memset(o, 0, sizeof(*o));
	if (!h)
		return;
	FZ_ASSERT(fz_snapshot_check_live(h->m),
		  "a table entry changed but is not marked live");
	o->stream = fz_save(h, &o->len);
	o->logs = h->logs - h->snap_logs;
	o->ram_crc = crc32(0L, Z_NULL, 0);
	for (chunk = 0; chunk < nr_chunks(h); chunk++) {
		const uint8_t *p = h->ram + (chunk << FZ_RAM_CHUNK_SHIFT);
		size_t len = chunk_len(h, (uint32_t)chunk), i;

		if (!h->dirty[chunk])
			continue;
		for (i = 0; i < len && !p[i]; i++)
			;
		if (i == len)
			continue;
		o->ram_crc = crc32(o->ram_crc, (const Bytef *)&chunk,
				   sizeof(chunk));
		o->ram_crc = crc32(o->ram_crc, p, (uInt)len);
	}
}

FZ_UNTRACED
static void same_outcome(const struct outcome *a, const struct outcome *b,
			 const char *what)
{
	FZ_ASSERT(a->len == b->len && (!a->len ||
		  !memcmp(a->stream, b->stream, a->len)),
		  "determinism: %s saves a different stream", what);
	FZ_ASSERT(a->ram_crc == b->ram_crc,
		  "determinism: %s leaves different guest RAM", what);
	FZ_ASSERT(a->logs == b->logs,
		  "determinism: %s logs %lu lines, not %lu", what, b->logs,
		  a->logs);
}

bool fz_verify;

FZ_UNTRACED
int fz_run(const uint8_t *data, size_t size, fz_target_fn fn)
{
	static bool started;
	struct outcome first, again, fresh;
	bool was_fresh = fz_fresh;

	if (!started) {
		fz_verify = fz_env_set("SPIRQ_FUZZ_VERIFY");
		started = true;
	}
	if (!fz_verify) {
		fz_host_release(fn(data, size));
		return 0;
	}
	fz_fresh = false;
	{
		struct fz_host *h = fn(data, size);

		outcome_of(h, &first);
		fz_host_release(h);
		h = fn(data, size);
		outcome_of(h, &again);
		fz_host_release(h);
		fz_fresh = true;
		h = fn(data, size);
		outcome_of(h, &fresh);
		fz_host_release(h);
	}
	fz_fresh = was_fresh;
	same_outcome(&first, &again, "the same input on a rolled-back machine");
	same_outcome(&first, &fresh, "an input on a new machine");
	free(first.stream);
	free(again.stream);
	free(fresh.stream);
	return 0;
}

FZ_UNTRACED
void fz_host_check(const struct fz_host *h)
{
	unsigned cpu;

	for (cpu = 0; cpu < h->cfg.max_cpus; cpu++) {
		const struct vcpu_slot *v = &h->m->vcpus[cpu];

		FZ_ASSERT(v->hot->line == h->line[cpu],
			  "vCPU %u: the machine drives its line at %d, the host was told %d",
			  cpu, v->hot->line, h->line[cpu]);
		FZ_ASSERT(v->present || !h->line[cpu],
			  "vCPU %u is not plugged but its line is up", cpu);
	}
}

/* ---- register values ---------------------------------------------------- */

uint64_t fz_reg(struct fz_in *in, const struct fz_host *h)
{
	static const uint64_t cpprs[] = {
		0x00, 0x01, 0x05, 0x06, 0x07, 0x08, 0x7f, 0xfe, 0xff, 0x100,
		0x1ff, 0xffffffff, 0x80000000, 0x100000005, 0x02, 0x04,
	};
	static const uint64_t qsizes[] = { 0, 12, 16, 21, 24, 11, 13, 64 };
	uint64_t ram_pages4k = h->cfg.ram_size >> 12;
	uint8_t b;

	switch (fz_u8(in) % FZ_NR_REG_TAGS) {
	case FZ_REG_ZERO:
		return 0;
	case FZ_REG_U8:
		return fz_u8(in);
	case FZ_REG_U16:
		return fz_u16(in);
	case FZ_REG_U32:
		return fz_u32(in);
	case FZ_REG_U64:
		return fz_u64(in);
	case FZ_REG_XIRQ:
		return SPIRQ_XIRQ_BASE + fz_u16(in) % h->cfg.nr_xirqs;
	case FZ_REG_LISN:
		return fz_u8(in);
	case FZ_REG_SERVER:
		return spirq_vcpu_id(&h->cfg, fz_u8(in) % h->cfg.max_cpus);
	case FZ_REG_PAGE4K:
		return (fz_u16(in) % ram_pages4k) << 12;
	case FZ_REG_PAGE64K:
		return ((uint64_t)fz_u8(in) << 16) % h->cfg.ram_size;
	case FZ_REG_PRIO:
		b = fz_u8(in);
		return b >= 0xf0 ? 0xff : b % 8;
	case FZ_REG_QSIZE:
		b = fz_u8(in);
		return b < 0xf0 ? qsizes[b % ARRAY_SIZE(qsizes)] : b;
	case FZ_REG_ONES:
		return ~(uint64_t)fz_u8(in);
	case FZ_REG_BIT:
		return 1ull << (fz_u8(in) % 64);
	case FZ_REG_XIRR:
		b = fz_u8(in);
		return (uint64_t)b << 24 |
		       (SPIRQ_XIRQ_BASE + fz_u16(in) % h->cfg.nr_xirqs);
	default:
		return cpprs[fz_u8(in) % ARRAY_SIZE(cpprs)];
	}
}

/* ---- records ------------------------------------------------------------ */

unsigned fz_cpu(struct fz_in *in, const struct fz_host *h)
{
	uint8_t b = fz_u8(in);

	if (b < 0xf0)
		return b % h->cfg.max_cpus;
	if (b < FZ_CPU_RAW)
		return h->cfg.max_cpus + (b - 0xf0);
	if (b == FZ_CPU_RAW)
		return fz_u32(in);
	return ~0u;
}

uint32_t fz_irq(struct fz_in *in, const struct fz_host *h)
{
	static const uint16_t usual[] = {
		0x000, 0x001, 0x100, 0x101, 0x102, 0x200, 0x201, 0x202,
		0x203, 0x300, 0x301, 0x302, 0x303, 0x304, 0x3ff, 0xfff,
	};
	uint8_t b = fz_u8(in);

	if (b < 0x80)
		return SPIRQ_XIRQ_BASE + usual[b % ARRAY_SIZE(usual)];
	if (b < FZ_IRQ_RAW)
		return SPIRQ_XIRQ_BASE + fz_u16(in) % h->cfg.nr_xirqs;
	return fz_u32(in);
}

const uint64_t fz_hcalls[FZ_NR_HCALLS] = {
	SPIRQ_H_EOI, SPIRQ_H_CPPR, SPIRQ_H_IPI, SPIRQ_H_IPOLL, SPIRQ_H_XIRR,
	SPIRQ_H_XIRR_X, SPIRQ_H_INT_GET_SOURCE_INFO,
	SPIRQ_H_INT_SET_SOURCE_CONFIG, SPIRQ_H_INT_GET_SOURCE_CONFIG,
	SPIRQ_H_INT_GET_QUEUE_INFO, SPIRQ_H_INT_SET_QUEUE_CONFIG,
	SPIRQ_H_INT_GET_QUEUE_CONFIG, SPIRQ_H_INT_SET_OS_REPORTING_LINE,
	SPIRQ_H_INT_GET_OS_REPORTING_LINE, SPIRQ_H_INT_ESB, SPIRQ_H_INT_SYNC,
	SPIRQ_H_INT_RESET,
};

#define CANARY 0xa5a5a5a5a5a5a5a5ull

FZ_UNTRACED
int64_t fz_hcall(struct fz_host *h, unsigned cpu, uint64_t opcode,
		 const uint64_t *args, uint64_t *rets, unsigned *nrets)
{
	bool present = fz_cpu_present(h, cpu);
	unsigned i, n = ~0u;
	int64_t ret;

	if (fz_trace) {
		char line[512];
		int len = snprintf(line, sizeof(line), "hcall %u 0x%llx", cpu,
				   (unsigned long long)opcode);

		for (i = SPIRQ_HCALL_MAX_ARGS; i > 0 && !args[i - 1]; i--)
			;
		for (n = 0; n < i; n++)
			len += snprintf(line + len, sizeof(line) - (size_t)len,
					" 0x%llx", (unsigned long long)args[n]);
		FZ_TRACE("%s", line);
		n = ~0u;
	}
	for (i = 0; i < SPIRQ_HCALL_MAX_RETS; i++)
		rets[i] = CANARY;
	ret = spirq_hcall(h->m, cpu, opcode, args, rets, &n);
	FZ_ASSERT(spirq_hcall_ret_name(ret),
		  "hcall 0x%llx: return code %lld is not an H_* code",
		  (unsigned long long)opcode, (long long)ret);
	FZ_ASSERT(present || ret == SPIRQ_H_HARDWARE,
		  "hcall 0x%llx from absent vCPU %u: %lld, not H_HARDWARE",
		  (unsigned long long)opcode, cpu, (long long)ret);
	FZ_ASSERT(!present || spirq_hcall_name(opcode) ||
		  ret == SPIRQ_H_FUNCTION,
		  "unknown hcall 0x%llx answered %lld, not H_FUNCTION",
		  (unsigned long long)opcode, (long long)ret);
	FZ_ASSERT(n <= SPIRQ_HCALL_MAX_RETS && (ret == SPIRQ_H_SUCCESS || !n),
		  "hcall 0x%llx: %u output registers with return code %lld",
		  (unsigned long long)opcode, n, (long long)ret);
	for (i = n; i < SPIRQ_HCALL_MAX_RETS; i++)
		FZ_ASSERT(rets[i] == CANARY,
			  "hcall 0x%llx (%lld) wrote R%u beyond its %u outputs",
			  (unsigned long long)opcode, (long long)ret, 4 + i, n);
	if (nrets)
		*nrets = n;
	fz_host_check(h);
	return ret;
}

void fz_do_hcall(struct fz_in *in, struct fz_host *h)
{
	fz_do_hcall_sel(in, h, fz_u8(in));
}

void fz_do_hcall_sel(struct fz_in *in, struct fz_host *h, uint8_t sel)
{
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { 0 };
	uint64_t rets[SPIRQ_HCALL_MAX_RETS];
	uint64_t opcode;
	unsigned cpu, i, n;

	if (sel < FZ_HCALL_SMALL)
		opcode = fz_hcalls[sel % FZ_NR_HCALLS];
	else if (sel < FZ_HCALL_RAW)
		opcode = 4u * fz_u8(in);
	else
		opcode = fz_u64(in);
	cpu = fz_cpu(in, h);
	n = fz_u8(in) % (SPIRQ_HCALL_MAX_ARGS + 1);
	for (i = 0; i < n; i++)
		args[i] = fz_reg(in, h);
	if (opcode == SPIRQ_H_INT_RESET && h->walks++ >= FZ_MAX_TABLE_WALKS) {
		FZ_TRACE("# H_INT_RESET skipped (FZ_MAX_TABLE_WALKS)");
		return;
	}
	fz_hcall(h, cpu, opcode, args, rets, NULL);
}

static uint32_t rtas_count(struct fz_in *in)
{
	uint8_t b = fz_u8(in);

	if (b < 0xf0)
		return b % 8;
	return fz_u16(in) % (FZ_RTAS_MAX_CELLS + 1);
}

void fz_do_rtas(struct fz_in *in, struct fz_host *h)
{
	static const uint32_t xics[] = {
		SPIRQ_RTAS_SET_XIVE, SPIRQ_RTAS_GET_XIVE, SPIRQ_RTAS_INT_OFF,
		SPIRQ_RTAS_INT_ON,
	};
	static const uint32_t others[] = {
		0, 1, 0x2000, 0x2009, 0x200e, 0x200f, 0x1000a, 0xffffffff,
	};
	uint32_t token, nargs, nret, i;
	uint32_t *args = NULL, *rets = NULL;
	unsigned cpu;
	bool present;
	uint8_t t = fz_u8(in);
	int ret;

	if (t < FZ_RTAS_OTHER)
		token = xics[t % ARRAY_SIZE(xics)];
	else if (t < FZ_RTAS_RAW)
		token = others[t % ARRAY_SIZE(others)];
	else
		token = fz_u32(in);
	cpu = fz_cpu(in, h);
	present = fz_cpu_present(h, cpu);
	nargs = rtas_count(in);
	nret = rtas_count(in);
	/* exactly the cells the call may touch: ASan sees one more */
	if (nargs) {
		args = malloc(nargs * sizeof(*args));
		FZ_ASSERT(args, "out of memory");
		for (i = 0; i < nargs; i++)
			args[i] = fz_more(in) ? (uint32_t)fz_reg(in, h) : 0;
	}
	if (nret) {
		rets = malloc(nret * sizeof(*rets));
		FZ_ASSERT(rets, "out of memory");
		memset(rets, 0xa5, nret * sizeof(*rets));
	}
	if (fz_trace) {
		static const char *const names[] = {
			"ibm,set-xive", "ibm,get-xive", "ibm,int-off",
			"ibm,int-on",
		};
		bool named = token >= SPIRQ_RTAS_SET_XIVE &&
			     token <= SPIRQ_RTAS_INT_ON && nargs <= 12 &&
			     nret == spirq_rtas_nret(token);
		char line[512];
		int len = snprintf(line, sizeof(line), "%srtas %u %s", named ?
				   "" : "# ", cpu, named ?
				   names[token - SPIRQ_RTAS_SET_XIVE] : "");

		if (!named)
			len += snprintf(line + len, sizeof(line) - (size_t)len,
					"token 0x%x nargs %u nret %u", token,
					nargs, nret);
		for (i = 0; i < nargs && i < 12; i++)
			len += snprintf(line + len, sizeof(line) - (size_t)len,
					" 0x%x", args[i]);
		FZ_TRACE("%s", line);
	}
	ret = spirq_rtas(h->m, cpu, token, nargs, args, nret, rets);
	FZ_ASSERT(ret == 0 || ret == -SPIRQ_ERR_NOTFOUND ||
		  ret == -SPIRQ_ERR_INVAL,
		  "rtas 0x%x: %d", token, ret);
	FZ_ASSERT(spirq_rtas_nret(token) || ret == -SPIRQ_ERR_NOTFOUND,
		  "unknown RTAS token 0x%x answered %d", token, ret);
	FZ_ASSERT(nret || ret, "rtas 0x%x with nret 0 handled", token);
	FZ_ASSERT(present || ret,
		  "rtas 0x%x from absent vCPU %u handled", token, cpu);
	if (ret == 0) {
		int32_t status = (int32_t)rets[0];

		FZ_ASSERT(status == SPIRQ_RTAS_OUT_SUCCESS ||
			  status == SPIRQ_RTAS_OUT_HW_ERROR ||
			  status == SPIRQ_RTAS_OUT_PARAM_ERROR,
			  "rtas 0x%x: status %d", token, status);
		FZ_ASSERT(status || nret == spirq_rtas_nret(token),
			  "rtas 0x%x succeeded with nret %u", token, nret);
	} else {
		for (i = 0; i < nret; i++)
			FZ_ASSERT(rets[i] == 0xa5a5a5a5,
				  "rtas 0x%x refused (%d) but wrote cell %u",
				  token, ret, i);
	}
	free(args);
	free(rets);
	fz_host_check(h);
}

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static uint64_t esb_offset(struct fz_in *in, const struct fz_host *h,
			   uint8_t sel)
{
	static const uint16_t ops[] = {
		0x000, 0x400, 0x800, 0xc00, 0xd00, 0xe00, 0xf00, 0x010,
	};
	uint64_t lisn;
	uint8_t b = fz_u8(in), op = fz_u8(in);

	if (b < 0x40)
		lisn = b;	/* the IPIs, then nothing */
	else
		lisn = SPIRQ_XIRQ_BASE + (uint64_t)(b - 0x40) % 0x10 +
		       ((sel >> 1) & 3) * 0x100;
	if (lisn >= SPIRQ_XIRQ_BASE + h->cfg.nr_xirqs)
		lisn = SPIRQ_XIRQ_BASE;
	/* op: low bits the operation, high bits a misalignment */
	return lisn << SPIRQ_XIVE_ESB_SHIFT | (uint64_t)(sel & 1) << 16 |
	       ops[op % ARRAY_SIZE(ops)] | (uint64_t)(op >> 5);
}

static uint64_t tima_offset(struct fz_in *in, uint8_t sel)
{
	static const uint16_t ranges[] = { 0x000, 0x000, 0x800, 0xc00 };

	return (uint64_t)(sel & 3) << SPIRQ_XIVE_TM_PAGE_SHIFT |
	       ranges[(sel >> 2) & 3] | fz_u8(in);
}

void fz_do_mmio(struct fz_in *in, struct fz_host *h)
{
	static const unsigned bad_sizes[] = { 0, 3, 5, 6, 7, 16, 9, ~0u };
	uint8_t kind = fz_u8(in), sel, s;
	spirq_region region;
	uint64_t offset, value = 0;
	unsigned cpu, size;
	bool store = kind & FZ_MMIO_STORE, valid;
	int ret;

	region = kind & FZ_MMIO_TIMA ? SPIRQ_REGION_TIMA : SPIRQ_REGION_ESB;
	if (kind >= 0xf8)
		region = (spirq_region)(2 + (kind & 7) * 0x1111);
	cpu = fz_cpu(in, h);
	sel = fz_u8(in);
	if (sel >= FZ_MMIO_RAW_OFFSET)
		offset = fz_u64(in);
	else if (region == SPIRQ_REGION_TIMA)
		offset = tima_offset(in, sel);
	else
		offset = esb_offset(in, h, sel);
	s = fz_u8(in);
	size = s < 0xf0 ? 1u << (s % 4) : bad_sizes[s % 8];
	valid = size == 1 || size == 2 || size == 4 || size == 8;
	if (store)
		value = fz_reg(in, h);
	if (fz_trace) {
		const char *name = region == SPIRQ_REGION_ESB ? "esb" :
				   region == SPIRQ_REGION_TIMA ? "tima" :
								  "region?";
		const char *c = valid && region <= SPIRQ_REGION_TIMA ? "" :
								       "# ";

		if (store)
			FZ_TRACE("%sstore %u %s 0x%llx %u 0x%llx", c, cpu, name,
				 (unsigned long long)offset, size,
				 (unsigned long long)value);
		else
			FZ_TRACE("%sload %u %s 0x%llx %u", c, cpu, name,
				 (unsigned long long)offset, size);
	}
	if (store) {
		ret = spirq_mmio_store(h->m, cpu, region, offset, size, value);
	} else {
		value = 0x5a5a5a5a5a5a5a5aull;
		ret = spirq_mmio_load(h->m, cpu, region, offset, size, &value);
	}
	FZ_ASSERT(ret == 0 || ret == -SPIRQ_ERR_NOTFOUND ||
		  ret == -SPIRQ_ERR_INVAL, "mmio: %d", ret);
	FZ_ASSERT(valid || ret == -SPIRQ_ERR_INVAL,
		  "mmio of size %u accepted (%d)", size, ret);
	FZ_ASSERT(fz_cpu_present(h, cpu) || ret,
		  "mmio from absent vCPU %u accepted", cpu);
	FZ_ASSERT(region <= SPIRQ_REGION_TIMA || ret == -SPIRQ_ERR_INVAL,
		  "mmio to region %d: %d", (int)region, ret);
	if (!store && !ret)
		FZ_ASSERT(!(value & ~size_mask(size)),
			  "load of %u bytes at 0x%llx returned 0x%llx", size,
			  (unsigned long long)offset, (unsigned long long)value);
	if (!store && ret)
		FZ_ASSERT(value == 0x5a5a5a5a5a5a5a5aull,
			  "refused load (%d) wrote its value", ret);
	fz_host_check(h);
}

void fz_do_irq(struct fz_in *in, struct fz_host *h)
{
	uint32_t irq = fz_irq(in, h);
	uint8_t l = fz_u8(in);
	int level = l < 0x80 ? l & 1 : (int8_t)l;
	int ret;

	FZ_TRACE("irq 0x%x %d", irq, level);
	ret = spirq_set_irq(h->m, irq, level);

	FZ_ASSERT(ret == 0 || ret == -SPIRQ_ERR_INVAL ||
		  ret == -SPIRQ_ERR_NOTFOUND, "set_irq(0x%x): %d", irq, ret);
	FZ_ASSERT(irq >= SPIRQ_XIRQ_BASE || ret == -SPIRQ_ERR_INVAL,
		  "set_irq(0x%x) below the external sources: %d", irq, ret);
	fz_host_check(h);
}

void fz_do_xive_setup(struct fz_in *in, struct fz_host *h)
{
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { 0 };
	uint64_t rets[SPIRQ_HCALL_MAX_RETS];
	static const uint64_t qsizes[] = { 12, 16, 21, 24 };
	uint8_t which = fz_u8(in), b;
	unsigned cpu = fz_cpu(in, h);
	uint64_t opcode;

	args[0] = which >> 1 & 3;	/* flags */
	if (which & 1) {
		opcode = SPIRQ_H_INT_SET_SOURCE_CONFIG;
		b = fz_u8(in);
		args[1] = b < 0x40 ? b : SPIRQ_XIRQ_BASE +
			  fz_u16(in) % h->cfg.nr_xirqs;
		args[2] = spirq_vcpu_id(&h->cfg, fz_u8(in) % h->cfg.max_cpus);
		b = fz_u8(in);
		args[3] = b >= 0xf0 ? 0xff : b % 8;
		args[4] = fz_u32(in);
	} else {
		opcode = SPIRQ_H_INT_SET_QUEUE_CONFIG;
		args[0] &= 1;
		args[1] = spirq_vcpu_id(&h->cfg, fz_u8(in) % h->cfg.max_cpus);
		args[2] = fz_u8(in) % 8;
		b = fz_u8(in);
		args[4] = b >= 0xf0 ? 0 : qsizes[b % 4];
		args[3] = args[4] ? (((uint64_t)fz_u16(in) << args[4]) %
				     h->cfg.ram_size) : 0;
	}
	fz_hcall(h, cpu, opcode, args, rets, NULL);
}

void fz_cas(struct fz_host *h, uint8_t byte23)
{
	spirq_ic_mode mode = (spirq_ic_mode)-1;
	spirq_error err;
	int ret;

	if (h->walks++ >= FZ_MAX_TABLE_WALKS) {
		FZ_TRACE("# cas 0x%x skipped (FZ_MAX_TABLE_WALKS)", byte23);
		return;
	}
	FZ_TRACE("cas 0x%x", byte23);
	ret = spirq_cas(h->m, byte23, &mode, &err);

	FZ_ASSERT(ret == 0 || ret == -SPIRQ_ERR_CAS, "cas 0x%x: %d", byte23,
		  ret);
	if (ret)
		fz_check_error(&err, ret);
	else
		FZ_ASSERT(mode == SPIRQ_IC_MODE_XICS ||
			  mode == SPIRQ_IC_MODE_XIVE,
			  "cas 0x%x chose mode %d", byte23, (int)mode);
	fz_host_check(h);
}

static void setup_cas_legacy(struct fz_host *h)
{
	fz_claim_defaults(h);
	fz_cas(h, 0x00);
}

static void setup_cas_xive(struct fz_host *h)
{
	fz_claim_defaults(h);
	fz_cas(h, 0x40);
}

struct fz_host *fz_acquire_started(struct fz_in *in,
				   const struct fz_config *c)
{
	struct fz_host *h;

	switch (fz_u8(in) % 4) {
	case 1:
		return fz_host_acquire(c, setup_cas_legacy, 0);
	case 2:
		return fz_host_acquire(c, setup_cas_xive, 0);
	case 3:
		h = fz_host_acquire(c, fz_claim_defaults, 0);
		fz_cas(h, fz_u8(in));
		return h;
	default:
		return fz_host_acquire(c, fz_claim_defaults, 0);
	}
}

void fz_start_cas(struct fz_in *in, struct fz_host *h)
{
	switch (fz_u8(in) % 4) {
	case 1:
		fz_cas(h, 0x00);
		break;
	case 2:
		fz_cas(h, 0x40);
		break;
	case 3:
		fz_cas(h, fz_u8(in));
		break;
	}
}

void fz_claim_defaults(struct fz_host *h)
{
	static const struct {
		uint32_t irq;
		bool lsi;
	} claims[] = {
		{ SPIRQ_IRQ_EPOW, false }, { SPIRQ_IRQ_HOTPLUG, false },
		{ SPIRQ_IRQ_VIO, false }, { SPIRQ_IRQ_VIO + 1, false },
		{ SPIRQ_IRQ_PCI_LSI, true }, { SPIRQ_IRQ_PCI_LSI + 1, true },
		{ SPIRQ_IRQ_PCI_LSI + 2, true }, { SPIRQ_IRQ_PCI_LSI + 3, true },
		{ SPIRQ_IRQ_MSI, false }, { SPIRQ_IRQ_MSI + 1, false },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(claims); i++) {
		int ret;

		FZ_TRACE("claim 0x%x %s", claims[i].irq,
			 claims[i].lsi ? "lsi" : "msi");
		ret = spirq_irq_claim(h->m, claims[i].irq, claims[i].lsi, NULL);

		/* legacy machines have 0x400 sources: no 0x1300 */
		FZ_ASSERT(!ret || claims[i].irq >= SPIRQ_XIRQ_BASE +
			  h->cfg.nr_xirqs, "claim 0x%x: %d", claims[i].irq,
			  ret);
	}
	fz_host_check(h);
}

FZ_UNTRACED
uint32_t fz_next_claimed(const struct fz_host *h, uint32_t irq)
{
	return (uint32_t)bytes_next_nonzero(h->m->claims, h->m->nr_irqs, irq);
}

FZ_UNTRACED
void fz_claim_like(struct fz_host *dst, const struct fz_host *src)
{
	const spirq_machine *m = src->m;
	uint32_t irq;

	for (irq = fz_next_claimed(src, SPIRQ_XIRQ_BASE); irq < m->nr_irqs;
	     irq = fz_next_claimed(src, irq + 1))
		FZ_ASSERT(spirq_irq_claim(dst->m, irq,
						  m->claims[irq] == CLAIM_LSI,
						  NULL) == 0,
				  "claim 0x%x on the destination", irq);
	fz_host_check(dst);
}

FZ_UNTRACED
uint8_t *fz_claims_get(const struct fz_host *h)
{
	uint8_t *claims = malloc(h->m->nr_irqs);

	FZ_ASSERT(claims, "out of memory");
	memcpy(claims, h->m->claims, h->m->nr_irqs);
	return claims;
}

FZ_UNTRACED
void fz_claims_set(struct fz_host *h, const uint8_t *claims)
{
	const spirq_machine *m = h->m;
	uint32_t irq;

	for (irq = SPIRQ_XIRQ_BASE; irq < m->nr_irqs; irq++) {
		/* mostly the same: a comparison per block first */
		if (irq % 64 == 0 && irq + 64 <= m->nr_irqs &&
		    !memcmp(&m->claims[irq], &claims[irq], 64)) {
			irq += 63;
			continue;
		}
		if (m->claims[irq] == claims[irq])
			continue;
		if (m->claims[irq] != CLAIM_FREE) {
			FZ_TRACE("free 0x%x", irq);
			spirq_irq_free(h->m, irq);
		}
		if (claims[irq] == CLAIM_FREE)
			continue;
		FZ_TRACE("claim 0x%x %s", irq,
			 claims[irq] == CLAIM_LSI ? "lsi" : "msi");
		FZ_ASSERT(spirq_irq_claim(h->m, irq, claims[irq] == CLAIM_LSI,
					  NULL) == 0, "claim 0x%x again", irq);
	}
	fz_host_check(h);
}

FZ_UNTRACED
static void check_line(void *opaque, const char *line)
{
	FZ_ASSERT(line && strnlen(line, 4096) < 4096 && !strchr(line, '\n'),
		  "info pic: not one line");
	(void)opaque;
}

FZ_UNTRACED
void fz_info_pic(struct fz_host *h)
{
	FZ_TRACE("info pic");
	FZ_ASSERT(spirq_info_pic(h->m, check_line, NULL) == 0, "info pic");
	fz_host_check(h);
}

/* ---- migration ---------------------------------------------------------- */

/*
 * One walk of the tables, not two: a buffer of the size the last stream
 * of this size class needed (the size query is checked when the buffer
 * is too small, and always under SPIRQ_FUZZ_VERIFY).
 */
FZ_UNTRACED
uint8_t *fz_save(struct fz_host *h, size_t *len)
{
	static size_t hint = 1u << 16;
	size_t size = hint, used = 0;
	uint8_t *buf;
	int ret;

	if (fz_verify) {
		FZ_ASSERT(spirq_save(h->m, NULL, 0, &size) ==
			  -SPIRQ_ERR_NOSPACE && size, "save: size query");
	}
	buf = malloc(size);
	FZ_ASSERT(buf, "out of memory");
	ret = spirq_save(h->m, buf, size, &used);
	if (ret == -SPIRQ_ERR_NOSPACE) {
		FZ_ASSERT(used > size, "save: %zu bytes do not hold %zu", size,
			  used);
		size = used;
		if (size > hint)
			hint = size;
		free(buf);
		buf = malloc(size);
		FZ_ASSERT(buf, "out of memory");
		ret = spirq_save(h->m, buf, size, &used);
	}
	FZ_ASSERT(ret == 0 && used && used <= size,
		  "save: %d, %zu bytes in a buffer of %zu", ret, used, size);
	FZ_ASSERT(!fz_verify || used == size,
		  "save: %zu bytes announced, %zu written", size, used);
	*len = used;
	fz_host_check(h);
	return buf;
}

FZ_UNTRACED
void fz_backend_bytes(const uint8_t *s, size_t len, long *a, long *b)
{
	size_t hdr;

	*a = *b = -1;
	if (len < 13 || !(s[11] & 1))
		return;
	hdr = 13 + (size_t)s[12];
	/* section CONFIG: type, length, caps, mode, 7 words, backends */
	if (hdr + 5 + 32 > len || s[hdr] != 1)
		return;
	*a = (long)(hdr + 5 + 30);
	*b = (long)(hdr + 5 + 31);
}

/* Walk a stream's sections: offset of the next one, or 0 at the end. */
FZ_UNTRACED
static size_t next_section(const uint8_t *s, size_t len, size_t at,
			   uint8_t *type, size_t *payload, size_t *plen)
{
	uint32_t n;

	if (at + 5 > len)
		return 0;
	n = (uint32_t)s[at + 1] << 24 | (uint32_t)s[at + 2] << 16 |
	    (uint32_t)s[at + 3] << 8 | s[at + 4];
	if (n > len - at - 5)
		return 0;
	*type = s[at];
	*payload = at + 5;
	*plen = n;
	return at + 5 + n;
}

FZ_UNTRACED
unsigned fz_stream_diff(const uint8_t *a, size_t a_len, const uint8_t *b,
			size_t b_len)
{
	size_t ha, hb, pa, pb, la, lb, i;
	unsigned diff = 0;
	uint8_t ta, tb;
	long ba, bb, dummy;
	bool v1;

	if (a_len < 13 || b_len < 13)
		return FZ_DIFF_LAYOUT;
	ha = 13 + (size_t)a[12];
	hb = 13 + (size_t)b[12];
	v1 = a[8] == 0 && a[9] == 1;
	if (ha != hb || ha > a_len || ha > b_len || memcmp(a, b, 8) ||
	    (!v1 && memcmp(a + 8, b + 8, 2)) || memcmp(a + 10, b + 10, ha - 10))
		return FZ_DIFF_LAYOUT;
	fz_backend_bytes(a, a_len, &ba, &bb);
	fz_backend_bytes(b, b_len, &dummy, &dummy);
	for (;;) {
		size_t na = next_section(a, a_len, ha, &ta, &pa, &la);
		size_t nb = next_section(b, b_len, hb, &tb, &pb, &lb);

		if (!na || !nb)
			return diff | (na || nb ? FZ_DIFF_LAYOUT : 0);
		if (ta != tb)
			return diff | FZ_DIFF_LAYOUT;
		if (ta == 0xff)	/* END: the CRC */
			return diff | (na != a_len || nb != b_len ?
				       FZ_DIFF_LAYOUT : 0);
		if (ta == 2 && (v1 ? la == 3 && lb == 8 : la == 8 && lb == 8)) {
			/* MACHINE: 3 bytes, then the CPU model (not compared)
			 * and the compat PVR (version 2) */
			if (memcmp(a + pa, b + pb, 3) ||
			    (!v1 && memcmp(a + pa + 4, b + pb + 4, 4)))
				diff |= 1u << ta;
		} else if (la != lb) {
			diff |= ta < 32 ? 1u << ta : FZ_DIFF_LAYOUT;
		} else {
			for (i = 0; i < la; i++)
				if (a[pa + i] != b[pb + i] &&
				    (long)(pa + i) != ba &&
				    (long)(pa + i) != bb)
					diff |= ta < 32 ? 1u << ta :
							  FZ_DIFF_LAYOUT;
		}
		ha = na;
		hb = nb;
	}
}

FZ_UNTRACED
int fz_same_stream(const uint8_t *in, size_t in_len, const uint8_t *out,
		   size_t out_len)
{
	unsigned diff = fz_stream_diff(in, in_len, out, out_len);

	if (!diff)
		return 0;
	if (FZ_TOLERATE_XICS_RESEND && !getenv("SPIRQ_FUZZ_STRICT") &&
	    !(diff & ~(FZ_DIFF_ICS | FZ_DIFF_ICP)))
		return 1;
	return -1;
}

FZ_UNTRACED
static size_t first_difference(const uint8_t *a, size_t na, const uint8_t *b,
			       size_t nb)
{
	size_t i;

	for (i = 0; i < na && i < nb && a[i] == b[i]; i++)
		;
	return i;
}

FZ_UNTRACED
void fz_check_saved_back(struct fz_host *h, const uint8_t *buf, size_t len,
			 const char *what)
{
	spirq_error err;
	uint8_t *out, *again;
	size_t out_len, again_len;
	int ret;

	out = fz_save(h, &out_len);
	ret = fz_same_stream(buf, len, out, out_len);
	FZ_ASSERT(ret >= 0,
		  "%s: the restored machine saves a different stream (%zu bytes, then %zu, first difference at %zu, sections 0x%x) on -M %s",
		  what, len, out_len, first_difference(buf, len, out, out_len),
		  fz_stream_diff(buf, len, out, out_len),
		  h->cfg.machine_name);
	if (ret == 1) {
		/* the tolerated resend: what it leaves must be stable */
		ret = spirq_restore(h->m, out, out_len, &err);
		FZ_ASSERT(ret == 0, "%s: the stream saved after the resend is refused: %s",
			  what, err.message);
		fz_host_check(h);
		again = fz_save(h, &again_len);
		FZ_ASSERT(again_len == out_len && !memcmp(again, out, out_len),
			  "%s: the state after the resend does not save back the same",
			  what);
		free(again);
	}
	free(out);
}

FZ_UNTRACED
void fz_restore_exact(struct fz_host *h, const uint8_t *buf, size_t len,
		      const char *what)
{
	spirq_error err;
	int ret = spirq_restore(h->m, buf, len, &err);

	FZ_ASSERT(ret == 0, "%s: refused: %s", what, err.message);
	fz_host_check(h);
	fz_check_saved_back(h, buf, len, what);
}

FZ_UNTRACED
bool fz_stream_fits(const uint8_t *s, size_t len, const spirq_config *cfg)
{
	size_t at, payload, plen;
	bool ics = false, xive = false;
	uint8_t type;

	if (len < 13)
		return false;
	at = 13 + (size_t)s[12];
	while ((at = next_section(s, len, at, &type, &payload, &plen))) {
		if (type == 1)		/* CONFIG: caps, ic-mode */
			return plen >= 2 &&
			       s[payload] == ((cfg->cap_xics ? 1 : 0) |
					      (cfg->cap_xive ? 2 : 0)) &&
			       s[payload + 1] == (uint8_t)cfg->ic_mode;
		ics |= type == 6;
		xive |= type == 8;
	}
	return ics == cfg->cap_xics && xive == cfg->cap_xive;
}

FZ_UNTRACED
void fz_check_error(const spirq_error *err, int ret)
{
	size_t n = strnlen(err->message, sizeof(err->message));

	FZ_ASSERT(n < sizeof(err->message), "error message not terminated");
	FZ_ASSERT(n > 0, "error %d without a message", ret);
	FZ_ASSERT(err->code == -ret, "error code %d, returned %d", err->code,
		  ret);
}
