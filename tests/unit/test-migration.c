// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: migration streams -- round trips, the source/destination
 * compatibility matrix (seed 003) for current and pre-4.2 machine types,
 * refusal of every truncation and every single-byte corruption with the
 * destination unchanged, and validation of well-formed but wrong streams.
 */
#include "test-spapr-harness.h"

static spirq_machine *make(struct host *h, const char *machine,
			   const char *smp)
{
	return machine_new(h, "-M", machine, "-smp", smp, "-m", "256M", NULL);
}

struct blob {
	uint8_t *data;
	size_t len;
};

static struct blob save(spirq_machine *m)
{
	struct blob b;

	b.data = stream_save(m, &b.len);
	return b;
}

static bool same_blob(struct blob a, struct blob b)
{
	return a.len == b.len && !memcmp(a.data, b.data, a.len);
}

static int64_t hcall_named(spirq_machine *m, unsigned cpu, const char *name,
			   ...)
{
	uint64_t args[SPIRQ_HCALL_MAX_ARGS] = { 0 }, rets[SPIRQ_HCALL_MAX_RETS];
	va_list ap;
	int n = 0;
	int64_t a;

	va_start(ap, name);
	while (n < 5 && (a = va_arg(ap, int64_t)) != -1)
		args[n++] = (uint64_t)a;
	va_end(ap);
	return spirq_hcall(m, cpu, (uint64_t)spirq_hcall_opcode(name), args,
			   rets, NULL);
}

#define END_ARGS ((int64_t)-1)

static void claim_devices(spirq_machine *m)
{
	assert_int_equal(spirq_irq_claim(m, 0x1000, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(m, 0x1200, true, NULL), 0);
}

/* Interrupts in flight on a XIVE machine: queued PQ, IPB, asserted LSI. */
static void xive_traffic(spirq_machine *m)
{
	uint64_t v;

	assert_int_equal(spirq_cas(m, 0x40, NULL, NULL), 0);
	assert_int_equal(hcall_named(m, 0, "H_INT_SET_QUEUE_CONFIG",
				     1, 0, 6, 0x100000, 16, END_ARGS), 0);
	assert_int_equal(hcall_named(m, 0, "H_INT_SET_SOURCE_CONFIG",
				     2, 0x1100, 0, 6, 0x42, END_ARGS), 0);
	assert_int_equal(hcall_named(m, 0, "H_INT_SET_SOURCE_CONFIG",
				     2, 0x1200, 0, 5, 0x43, END_ARGS), 0);
	assert_int_equal(spirq_mmio_load(m, 0, SPIRQ_REGION_ESB,
					 (0x1100ull << 17) + 0x10c00, 8, &v), 0);
	assert_int_equal(spirq_mmio_store(m, 0, SPIRQ_REGION_TIMA, 0x20011, 1,
					  0xff), 0);
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);	/* P */
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);	/* Q */
	assert_int_equal(spirq_set_irq(m, 0x1200, 1), 0);	/* asserted */
}

/* Interrupts in flight on a XICS machine: presented XISR, rejected MSI. */
static void xics_traffic(spirq_machine *m)
{
	uint32_t args[3] = { 0x1100, 0, 5 }, rets[3];

	assert_int_equal(spirq_rtas(m, 0, SPIRQ_RTAS_SET_XIVE, 3, args, 1, rets), 0);
	args[0] = 0x1000;
	args[2] = 6;
	assert_int_equal(spirq_rtas(m, 0, SPIRQ_RTAS_SET_XIVE, 3, args, 1, rets), 0);
	assert_int_equal(hcall_named(m, 0, "H_CPPR", 0xff, END_ARGS), 0);
	assert_int_equal(spirq_set_irq(m, 0x1100, 1), 0);	/* presented */
	assert_int_equal(spirq_set_irq(m, 0x1000, 1), 0);	/* rejected */
	assert_int_equal(spirq_set_irq(m, 0x1200, 1), 0);	/* masked LSI */
	assert_int_equal(hcall_named(m, 0, "H_IPI", 0, 3, END_ARGS), 0);
}

static void round_trip(spirq_machine *m, struct host *h)
{
	struct blob a = save(m), b;
	int lines[64];

	memcpy(lines, h->line, sizeof(lines));
	assert_int_equal(spirq_restore(m, a.data, a.len, NULL), 0);
	b = save(m);
	assert_true(same_blob(a, b));
	assert_memory_equal(lines, h->line, sizeof(lines));
	free(a.data);
	free(b.data);
}

static void test_round_trips(void **state)
{
	static const char *const modes[] = {
		"pseries-7.2,ic-mode=xics", "pseries-7.2,ic-mode=xive",
		"pseries-7.2,ic-mode=dual", "pseries-4.1,ic-mode=dual",
		"pseries-2.12", "pseries-5.2,vsmt=8",
	};
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct host h = { 0 };
		spirq_machine *m = make(&h, modes[i], "2,maxcpus=4");
		const spirq_config *cfg = spirq_machine_config(m);

		claim_devices(m);
		round_trip(m, &h);			/* idle */
		if (cfg->cap_xics && cfg->ic_mode != SPIRQ_IC_MODE_XIVE) {
			xics_traffic(m);
			round_trip(m, &h);
		}
		if (cfg->cap_xive) {
			xive_traffic(m);		/* dual: after CAS */
			round_trip(m, &h);
		}
		if (cfg->cpu_hotplug) {
			assert_int_equal(spirq_cpu_plug(m, 3, NULL), 0);
			round_trip(m, &h);
		}
		spirq_machine_destroy(m);
		host_release(&h);
	}
}

/* Restoring into another machine gives the same state and the same lines. */
static void test_restore_elsewhere(void **state)
{
	struct host h1 = { 0 }, h2 = { 0 };
	spirq_machine *src = make(&h1, "pseries-7.2", "2,maxcpus=4");
	spirq_machine *dst = make(&h2, "pseries-7.2", "1,maxcpus=4");
	struct blob a, b;

	claim_devices(src);
	claim_devices(dst);		/* the same devices */
	xive_traffic(src);
	assert_int_equal(spirq_cpu_plug(src, 2, NULL), 0);
	a = save(src);
	memcpy(h2.ram.bytes, h1.ram.bytes, h1.ram.size);	/* the VMM migrates the RAM */
	assert_int_equal(spirq_restore(dst, a.data, a.len, NULL), 0);
	b = save(dst);
	assert_true(same_blob(a, b));
	assert_int_equal(h2.line[0], h1.line[0]);
	assert_int_equal(h2.line[0], 1);	/* EO pending on vCPU 0 */
	free(a.data);
	free(b.data);
	spirq_machine_destroy(src);
	spirq_machine_destroy(dst);
	host_release(&h1);
	host_release(&h2);
}

struct pair {
	const char *src, *dst;
	const char *refusal;	/* NULL: accepted */
};

static const struct pair matrix[] = {
	{ "xics", "xics", NULL },
	{ "xics", "dual", NULL },
	{ "xive", "xive", NULL },
	{ "xive", "dual", NULL },
	{ "dual", "dual", NULL },
	{ "xics", "xive", "cap-xics higher level (1) in incoming stream than on destination (0)" },
	{ "xive", "xics", "cap-xive higher level (1) in incoming stream than on destination (0)" },
	{ "dual", "xics", "cap-xive higher level (1) in incoming stream than on destination (0)" },
	{ "dual", "xive", "cap-xics higher level (1) in incoming stream than on destination (0)" },
};

static void check_matrix(const char *version)
{
	size_t i;

	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
		const struct pair *p = &matrix[i];
		struct host h1 = { 0 }, h2 = { 0 };
		char src_opt[64], dst_opt[64];
		spirq_machine *src, *dst;
		spirq_error err;
		struct blob a, before, after;
		int ret;

		snprintf(src_opt, sizeof(src_opt), "%s,ic-mode=%s", version, p->src);
		snprintf(dst_opt, sizeof(dst_opt), "%s,ic-mode=%s", version, p->dst);
		print_message("%s -> %s\n", src_opt, dst_opt);
		src = make(&h1, src_opt, "2");
		dst = make(&h2, dst_opt, "2");
		claim_devices(src);
		claim_devices(dst);
		a = save(src);
		before = save(dst);
		ret = spirq_restore(dst, a.data, a.len, &err);
		after = save(dst);
		if (p->refusal) {
			assert_int_equal(ret, -SPIRQ_ERR_INCOMPAT);
			assert_string_equal(err.message, p->refusal);
			assert_true(same_blob(before, after));
		} else {
			if (ret)
				fail_msg("refused: %s", err.message);
			/* a second save equals the source's when the sets match */
			if (!strcmp(p->src, p->dst))
				assert_true(same_blob(a, after));
		}
		free(a.data);
		free(before.data);
		free(after.data);
		spirq_machine_destroy(src);
		spirq_machine_destroy(dst);
		host_release(&h1);
		host_release(&h2);
	}
}

static void test_matrix_current(void **state)
{
	check_matrix("pseries-7.2");
}

/* Streams of pseries-4.1 carry no configuration record (seed 003). */
static void test_matrix_pre_4_2(void **state)
{
	check_matrix("pseries-4.1");
}

static void test_config_level_check(void **state)
{
	spirq_config a, b;
	spirq_error err;
	const char *src[] = { "-M", "pseries-4.1,ic-mode=xics", "-smp", "2" };
	const char *dst[] = { "-M", "pseries-4.1", "-smp", "2" };
	const char *other[] = { "-M", "pseries-4.1,vsmt=2", "-smp", "2" };

	assert_int_equal(spirq_config_from_args(4, src, &a, NULL), 0);
	assert_int_equal(spirq_config_from_args(4, dst, &b, NULL), 0);
	assert_int_equal(spirq_migration_check(&a, &b, &err), 0);
	assert_int_equal(spirq_migration_check(&b, &a, &err), -SPIRQ_ERR_INCOMPAT);
	assert_string_equal(err.message,
			    "cap-xive higher level (1) in incoming stream than on destination (0)");
	assert_int_equal(spirq_config_from_args(4, other, &a, NULL), 0);
	assert_int_equal(spirq_migration_check(&b, &a, &err), -SPIRQ_ERR_INCOMPAT);
	assert_string_equal(err.message,
			    "vCPU topology differs: maxcpus 2, threads 1, vsmt 8 on the source; 2, 1, 2 on the destination");
}

/* A busy dual machine after CAS, and its stream. */
static spirq_machine *busy_machine(struct host *h, struct blob *stream)
{
	spirq_machine *m = make(h, "pseries-7.2", "2,maxcpus=4");

	claim_devices(m);
	xive_traffic(m);
	assert_int_equal(spirq_cpu_plug(m, 2, NULL), 0);
	*stream = save(m);
	return m;
}

static void test_truncation_and_corruption(void **state)
{
	struct host h = { 0 }, h2 = { 0 };
	struct blob good, before, after;
	spirq_machine *src = busy_machine(&h, &good);
	spirq_machine *dst = make(&h2, "pseries-7.2", "1,maxcpus=4");
	uint8_t *copy = malloc(good.len);
	size_t len, pos;
	unsigned value;

	claim_devices(dst);
	memcpy(h2.ram.bytes, h.ram.bytes, h.ram.size);
	before = save(dst);
	for (len = 0; len < good.len; len++) {
		spirq_error err;

		assert_int_equal(spirq_restore(dst, good.data, len, &err),
				 -SPIRQ_ERR_STREAM);
		/* a cut stream is reported as cut, not as damaged */
		if (!strstr(err.message, "truncated") &&
		    !(len < 8 && strstr(err.message, "bad magic")))
			fail_msg("%zu bytes: %s", len, err.message);
	}
	for (pos = 0; pos < good.len; pos++) {
		for (value = 0; value < 256; value++) {
			int ret;

			if (value == good.data[pos])
				continue;
			memcpy(copy, good.data, good.len);
			copy[pos] = (uint8_t)value;
			ret = spirq_restore(dst, copy, good.len, NULL);
			if (ret != -SPIRQ_ERR_STREAM && ret != -SPIRQ_ERR_INCOMPAT)
				fail_msg("byte %zu = 0x%02x accepted (%d)", pos,
					 value, ret);
		}
	}
	after = save(dst);
	assert_true(same_blob(before, after));
	/* and the good stream still loads */
	assert_int_equal(spirq_restore(dst, good.data, good.len, NULL), 0);
	free(after.data);
	after = save(dst);
	assert_true(same_blob(good, after));
	free(copy);
	free(good.data);
	free(before.data);
	free(after.data);
	spirq_machine_destroy(src);
	spirq_machine_destroy(dst);
	host_release(&h);
	host_release(&h2);
}

/*
 * Offsets of the source's backends in the configuration record of a
 * pseries-7.2 stream: they describe the source host, and a destination
 * writes its own.
 */
#define CONFIG_BACKEND_XICS	59
#define CONFIG_BACKEND_XIVE	60

/*
 * Every single-bit change of a resealed stream (valid CRC): refused, or
 * accepted as a state that saves back to exactly the same stream.
 */
static void test_resealed_corruption(void **state)
{
	struct host h = { 0 }, h2 = { 0 };
	struct blob good, probe;
	spirq_machine *src = busy_machine(&h, &good);
	spirq_machine *dst = make(&h2, "pseries-7.2", "1,maxcpus=4");
	size_t pos;
	unsigned bit, accepted = 0, refused = 0;

	claim_devices(dst);
	memcpy(h2.ram.bytes, h.ram.bytes, h.ram.size);
	probe.len = good.len;
	probe.data = malloc(good.len);
	for (pos = 0; pos + 4 < good.len; pos++) {
		for (bit = 0; bit < 8; bit++) {
			struct blob again;
			int ret;

			memcpy(probe.data, good.data, good.len);
			probe.data[pos] ^= (uint8_t)(1u << bit);
			stream_reseal(probe.data, probe.len);
			ret = spirq_restore(dst, probe.data, probe.len, NULL);
			if (ret) {
				refused++;
				continue;
			}
			/* accepted: the state must save back to the same bytes */
			accepted++;
			again = save(dst);
			if (pos != CONFIG_BACKEND_XICS &&
			    pos != CONFIG_BACKEND_XIVE &&
			    !same_blob(probe, again))
				fail_msg("byte %zu bit %u: accepted, saves back differently",
					 pos, bit);
			free(again.data);
		}
	}
	print_message("resealed single-bit changes: %u refused, %u accepted\n",
		      refused, accepted);
	assert_true(refused > accepted);
	free(probe.data);
	free(good.data);
	spirq_machine_destroy(src);
	spirq_machine_destroy(dst);
	host_release(&h);
	host_release(&h2);
}

/*
 * Every single-bit flip of a real stream breaks its CRC-32 (which detects
 * all single-bit errors), so every one must be reported as corruption:
 * never as a truncation, a bad header or a field out of range.  The
 * integrity check comes before any parsing.
 */
static void test_bit_flips_are_corruption(void **state)
{
	struct host h = { 0 }, h2 = { 0 };
	struct blob good, before, after;
	spirq_machine *src = busy_machine(&h, &good);
	spirq_machine *dst = make(&h2, "pseries-7.2", "1,maxcpus=4");
	uint8_t *copy = malloc(good.len);
	unsigned bit, other = 0;
	size_t pos;

	claim_devices(dst);
	before = save(dst);
	for (pos = 0; pos < good.len; pos++) {
		for (bit = 0; bit < 8; bit++) {
			spirq_error err;
			int ret;

			memcpy(copy, good.data, good.len);
			copy[pos] ^= (uint8_t)(1u << bit);
			ret = spirq_restore(dst, copy, good.len, &err);
			if (ret == -SPIRQ_ERR_STREAM &&
			    !strcmp(err.message,
				    "migration stream: integrity check failed (CRC-32 mismatch)"))
				continue;
			print_message("byte %zu bit %u: %d %s\n", pos, bit, ret,
				      ret ? err.message : "accepted");
			other++;
		}
	}
	print_message("%zu single-bit flips, %u not reported as corruption\n",
		      good.len * 8, other);
	assert_int_equal(other, 0);
	after = save(dst);
	assert_true(same_blob(before, after));
	free(copy);
	free(good.data);
	free(before.data);
	free(after.data);
	spirq_machine_destroy(src);
	spirq_machine_destroy(dst);
	host_release(&h);
	host_release(&h2);
}

/* spirq_save() with no buffer and no size pointer: the documented error. */
static void test_save_without_buffer(void **state)
{
	struct host h = { 0 };
	spirq_machine *m = make(&h, "pseries-7.2", "2");
	uint8_t small[8];
	size_t used = 0;

	assert_int_equal(spirq_save(m, NULL, 0, NULL), -SPIRQ_ERR_NOSPACE);
	assert_int_equal(spirq_save(m, small, sizeof(small), NULL),
			 -SPIRQ_ERR_NOSPACE);
	assert_int_equal(spirq_save(m, NULL, 0, &used), -SPIRQ_ERR_NOSPACE);
	assert_true(used > sizeof(small));
	spirq_machine_destroy(m);
	host_release(&h);
}

/* Offset of the section of @type in a stream, or 0. */
static size_t section_offset(struct blob b, uint8_t type)
{
	size_t at = 13 + b.data[12];

	while (at + 5 <= b.len && b.data[at] != 0xff) {
		uint32_t n = (uint32_t)b.data[at + 1] << 24 |
			     (uint32_t)b.data[at + 2] << 16 |
			     (uint32_t)b.data[at + 3] << 8 | b.data[at + 4];

		if (b.data[at] == type)
			return at;
		at += 5 + n;
	}
	return 0;
}

/*
 * Restore @src's stream into @dst: refused with @refusal (the destination
 * unchanged), or accepted when @refusal is NULL.
 */
static void expect_restore(spirq_machine *src, spirq_machine *dst,
			   const char *refusal)
{
	struct blob a = save(src), before = save(dst), after;
	char want[256];
	spirq_error err;
	int ret;

	ret = spirq_restore(dst, a.data, a.len, &err);
	after = save(dst);
	if (refusal) {
		snprintf(want, sizeof(want),
			 "migration stream, section CLAIMS at offset 0x%zx: %s",
			 section_offset(a, 4), refusal);
		assert_int_equal(ret, -SPIRQ_ERR_INCOMPAT);
		assert_string_equal(err.message, want);
		assert_true(same_blob(before, after));
	} else {
		if (ret)
			fail_msg("refused: %s", err.message);
		assert_true(same_blob(a, after));
	}
	free(a.data);
	free(before.data);
	free(after.data);
}

/*
 * The destination's devices are the truth: a source claimed on one side
 * only, or with another type, is refused and named; the guest's MSIs
 * (allocated by ibm,change-msi, guest state) come from the stream.
 */
static void test_claims_must_match(void **state)
{
	struct host h1 = { 0 }, h2 = { 0 };
	spirq_machine *src = make(&h1, "pseries-7.2", "2");
	spirq_machine *dst = make(&h2, "pseries-7.2", "2");
	uint32_t first, i;

	claim_devices(src);
	assert_int_equal(spirq_irq_claim(dst, 0x1000, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(dst, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(dst, 0x1200, false, NULL), 0);
	expect_restore(src, dst,
		       "IRQ 0x1200 is claimed as MSI on the destination but LSI in the stream");
	assert_int_equal(spirq_irq_free(dst, 0x1200), 0);
	expect_restore(src, dst,
		       "IRQ 0x1200 is claimed as LSI in the stream but not on the destination");
	assert_int_equal(spirq_irq_claim(dst, 0x1200, true, NULL), 0);
	assert_int_equal(spirq_irq_free(dst, 0x1100), 0);
	expect_restore(src, dst,
		       "IRQ 0x1100 is claimed as MSI in the stream but not on the destination");
	assert_int_equal(spirq_irq_claim(dst, 0x1100, false, NULL), 0);
	assert_int_equal(spirq_irq_claim(dst, 0x1180, true, NULL), 0);
	expect_restore(src, dst,
		       "IRQ 0x1180 is claimed as LSI on the destination but not in the stream");
	assert_int_equal(spirq_irq_free(dst, 0x1180), 0);
	/* the guest's MSIs travel in the stream */
	assert_int_equal(spirq_msi_alloc(src, 4, false, &first, NULL), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(spirq_irq_claim(src, first + i, false, NULL), 0);
	expect_restore(src, dst, NULL);
	assert_int_equal(spirq_set_irq(dst, first + 3, 1), 0);
	/* but not a claim outside the guest's MSI blocks */
	assert_int_equal(spirq_irq_claim(src, 0x1f00, false, NULL), 0);
	expect_restore(src, dst,
		       "IRQ 0x1f00 is claimed as MSI in the stream but not on the destination");
	spirq_machine_destroy(src);
	spirq_machine_destroy(dst);
	host_release(&h1);
	host_release(&h2);
}

/* Legacy machine types: MSIs are allocated among the claims. */
static void test_claims_legacy(void **state)
{
	struct host h1 = { 0 }, h2 = { 0 };
	spirq_machine *src = make(&h1, "pseries-2.12", "2");
	spirq_machine *dst = make(&h2, "pseries-2.12", "2");
	uint32_t first;

	assert_int_equal(spirq_irq_claim(src, 0x1200, true, NULL), 0);
	assert_int_equal(spirq_irq_claim(dst, 0x1200, true, NULL), 0);
	assert_int_equal(spirq_msi_alloc(src, 1, true, &first, NULL), 0);
	assert_int_equal(spirq_irq_claim(src, first, false, NULL), 0);
	expect_restore(src, dst, NULL);
	assert_int_equal(spirq_irq_claim(src, 0x1300, true, NULL), 0);
	expect_restore(src, dst,
		       "IRQ 0x1300 is claimed as LSI in the stream but not on the destination");
	spirq_machine_destroy(src);
	spirq_machine_destroy(dst);
	host_release(&h1);
	host_release(&h2);
}

static spirq_machine *make_cpu(struct host *h, const char *machine,
			       const char *cpu)
{
	return machine_new(h, "-M", machine, "-smp", "2", "-m", "256M", "-cpu",
			   cpu, NULL);
}

/* Restore @a into @dst: 0, or the refusal (@dst then unchanged). */
static int restore_checked(spirq_machine *dst, struct blob a, spirq_error *err)
{
	struct blob before = save(dst), after;
	int ret = spirq_restore(dst, a.data, a.len, err);

	after = save(dst);
	if (ret)
		assert_true(same_blob(before, after));
	free(before.data);
	free(after.data);
	return ret;
}

/*
 * The stream records the CPU model and the compat mode the vCPUs run in:
 * a destination whose CPU cannot run it refuses, with QEMU's message.
 * Before CAS, without max-cpu-compat, the vCPUs run in raw mode, which
 * needs the same CPU model.
 */
static void test_cpu_compat(void **state)
{
	struct host h1 = { 0 }, h2 = { 0 }, h3 = { 0 };
	spirq_machine *p9 = make_cpu(&h1, "pseries-7.2,ic-mode=xics", "POWER9");
	spirq_machine *p8 = make_cpu(&h2, "pseries-7.2,ic-mode=xics", "POWER8");
	spirq_machine *p10 = make_cpu(&h3, "pseries-7.2,ic-mode=xics", "POWER10");
	struct blob a, b;
	spirq_error err;

	/* before CAS: raw POWER9 */
	a = save(p9);
	assert_int_equal(restore_checked(p10, a, &err), -SPIRQ_ERR_INCOMPAT);
	assert_string_equal(err.message,
			    "the vCPUs run in raw POWER9 mode (no compat mode negotiated yet), which needs a POWER9 CPU on the destination, not POWER10");
	free(a.data);
	/* after CAS: POWER9 compat mode (0x0f000005) */
	assert_int_equal(spirq_cas(p9, 0x00, NULL, NULL), 0);
	a = save(p9);
	assert_int_equal(restore_checked(p8, a, &err), -SPIRQ_ERR_INCOMPAT);
	assert_string_equal(err.message,
			    "Compatibility PVR 0x0f000005 not valid for CPU");
	assert_int_equal(restore_checked(p10, a, &err), 0);
	/* the destination's CPU, the source's compat mode */
	b = save(p10);
	assert_int_equal(b.len, a.len);
	free(a.data);
	free(b.data);
	/* a POWER10 that ran POWER9 compat goes back to a POWER9 */
	a = save(p10);
	assert_int_equal(restore_checked(p9, a, &err), 0);
	free(a.data);
	/* after a reset, raw POWER10 again until CAS */
	assert_int_equal(spirq_reset(p10), 0);
	a = save(p10);
	assert_int_equal(restore_checked(p9, a, &err), -SPIRQ_ERR_INCOMPAT);
	free(a.data);
	spirq_machine_destroy(p9);
	spirq_machine_destroy(p8);
	spirq_machine_destroy(p10);
	host_release(&h1);
	host_release(&h2);
	host_release(&h3);
}

/* max-cpu-compat=power8 on a POWER9 goes to a POWER8, before and after CAS. */
static void test_cpu_compat_max(void **state)
{
	struct host h1 = { 0 }, h2 = { 0 };
	spirq_machine *src = make_cpu(&h1, "pseries-7.2,max-cpu-compat=power8",
				      "POWER9");
	spirq_machine *dst = make_cpu(&h2, "pseries-7.2", "POWER8");
	spirq_error err;
	struct blob a;

	a = save(src);
	assert_int_equal(restore_checked(dst, a, &err), 0);
	free(a.data);
	assert_int_equal(spirq_cas(src, 0x00, NULL, NULL), 0);
	a = save(src);
	assert_int_equal(restore_checked(dst, a, &err), 0);
	free(a.data);
	spirq_machine_destroy(src);
	spirq_machine_destroy(dst);
	host_release(&h1);
	host_release(&h2);
}

/*
 * Format version 1 streams have no CPU record: accepted without the CPU
 * check; the vCPUs then run the mode a booted guest negotiates there.
 */
static void test_version_1_stream(void **state)
{
	struct host h1 = { 0 }, h2 = { 0 };
	spirq_machine *src = make_cpu(&h1, "pseries-7.2,ic-mode=xics", "POWER9");
	spirq_machine *dst = make_cpu(&h2, "pseries-7.2,ic-mode=xics", "POWER8");
	struct blob a, v1, b;
	size_t at;
	spirq_error err;

	assert_int_equal(spirq_cas(src, 0x00, NULL, NULL), 0);
	a = save(src);
	at = section_offset(a, 2);		/* MACHINE: 3 + 5 bytes */
	assert_int_equal(a.data[at + 4], 8);
	v1.len = a.len - 5;
	v1.data = malloc(v1.len);
	memcpy(v1.data, a.data, at + 5 + 3);
	memcpy(v1.data + at + 5 + 3, a.data + at + 5 + 8, a.len - at - 5 - 8);
	v1.data[9] = 1;				/* version */
	v1.data[at + 4] = 3;
	stream_reseal(v1.data, v1.len);
	assert_int_equal(restore_checked(dst, v1, &err), 0);
	b = save(dst);
	assert_int_equal(b.data[9], 2);
	assert_int_equal(b.data[section_offset(b, 2) + 5 + 3], SPIRQ_CPU_POWER8);
	assert_memory_equal(b.data + section_offset(b, 2) + 5 + 4,
			    "\x0f\x00\x00\x04", 4);
	free(a.data);
	free(b.data);
	free(v1.data);
	spirq_machine_destroy(src);
	spirq_machine_destroy(dst);
	host_release(&h1);
	host_release(&h2);
}

static void test_refusals_say_what_and_where(void **state)
{
	struct host h = { 0 }, h2 = { 0 }, h3 = { 0 };
	struct blob good;
	spirq_machine *src = busy_machine(&h, &good);
	spirq_machine *small = make(&h2, "pseries-7.2", "1,maxcpus=2");
	spirq_machine *other = make(&h3, "pseries-7.1", "1,maxcpus=4");
	spirq_error err;

	assert_int_equal(spirq_restore(small, good.data, good.len, &err),
			 -SPIRQ_ERR_INCOMPAT);
	assert_non_null(strstr(err.message, "maxcpus 4"));
	assert_int_equal(spirq_restore(other, good.data, good.len, &err),
			 -SPIRQ_ERR_INCOMPAT);
	assert_string_equal(err.message,
			    "migration stream: machine type pseries-7.2 in the stream, the destination is pseries-7.1");
	assert_int_equal(spirq_restore(small, "#!/bin/sh\necho hello\n", 21,
				       &err), -SPIRQ_ERR_STREAM);
	assert_string_equal(err.message,
			    "migration stream: not a spirq migration stream (bad magic)");
	/* a damaged magic is damage like any other */
	good.data[0] ^= 0xff;
	assert_int_equal(spirq_restore(small, good.data, good.len, &err),
			 -SPIRQ_ERR_STREAM);
	assert_string_equal(err.message,
			    "migration stream: integrity check failed (CRC-32 mismatch)");
	good.data[0] ^= 0xff;
	assert_int_equal(spirq_restore(small, good.data, good.len - 1, &err),
			 -SPIRQ_ERR_STREAM);
	assert_non_null(strstr(err.message, "truncated at offset"));
	{
		uint8_t *longer = calloc(1, good.len + 3);

		memcpy(longer, good.data, good.len);
		assert_int_equal(spirq_restore(small, longer, good.len + 3, &err),
				 -SPIRQ_ERR_STREAM);
		assert_string_equal(err.message,
				    "migration stream: 3 bytes after the END section");
		free(longer);
	}
	good.data[good.len / 2] ^= 0x10;
	assert_int_equal(spirq_restore(small, good.data, good.len, &err),
			 -SPIRQ_ERR_STREAM);
	assert_string_equal(err.message,
			    "migration stream: integrity check failed (CRC-32 mismatch)");
	free(good.data);
	spirq_machine_destroy(src);
	spirq_machine_destroy(small);
	spirq_machine_destroy(other);
	host_release(&h);
	host_release(&h2);
	host_release(&h3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_restore_elsewhere),
		cmocka_unit_test(test_matrix_current),
		cmocka_unit_test(test_matrix_pre_4_2),
		cmocka_unit_test(test_config_level_check),
		cmocka_unit_test(test_truncation_and_corruption),
		cmocka_unit_test(test_resealed_corruption),
		cmocka_unit_test(test_refusals_say_what_and_where),
		cmocka_unit_test(test_bit_flips_are_corruption),
		cmocka_unit_test(test_save_without_buffer),
		cmocka_unit_test(test_claims_must_match),
		cmocka_unit_test(test_claims_legacy),
		cmocka_unit_test(test_cpu_compat),
		cmocka_unit_test(test_cpu_compat_max),
		cmocka_unit_test(test_version_1_stream),
	};

	return cmocka_run_group_tests_name("migration", tests, NULL, NULL);
}
