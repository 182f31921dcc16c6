/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The interrupt storm: one spirq machine driven the way devices, a Linux
 * guest and its VMM would, at random, with the conservation oracle
 * (oracle.h) checking every observation.
 *
 * The storm mixes device lines (MSI edges, LSI levels), guest work on
 * every vCPU (XICS H_XIRR/H_EOI, CPPR changes, H_IPI; XIVE TIMA ACK,
 * event-queue reads, ESB EOIs, trigger stores to IPIs), retargeting
 * (ibm,set-xive, H_INT_SET_SOURCE_CONFIG), masking, machine resets that
 * do not wait for a drain (with device events between the reset phases),
 * CAS switches with interrupts in flight, hot-plug and unplug of targeted
 * vCPUs, and save/restore (into the same machine, or a fresh one as a
 * migration).  Drains happen at random too, each followed by the
 * oracle's "nothing owed" check.
 *
 * Its random choices come from a seeded generator or, for fuzzing, from
 * the bytes of an input.
 */
#ifndef SPIRQ_TESTS_STORM_H
#define SPIRQ_TESTS_STORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <spirq/spirq.h>

#include "oracle.h"

/*
 * Where a storm's machines come from, if not spirq_machine_create() and
 * spirq_machine_destroy(): a fuzz target keeps them and rolls them back.
 * @create returns a machine exactly as spirq_machine_create() makes it
 * (same codes), then, with @claims_sources, as storm_claim_sources()
 * leaves it (a cache keeps the claims: each takes every lock); @destroy
 * takes it back.
 */
struct storm_machines {
	int (*create)(void *opaque, const spirq_config *cfg,
		      const spirq_host_ops *ops, spirq_machine **out,
		      spirq_error *err);
	void (*destroy)(void *opaque, spirq_machine *m);
	void *opaque;
	bool claims_sources;
};

/* Claim on @m the device sources every storm machine has (returns 0 or
 * spirq_irq_claim()'s code). */
int storm_claim_sources(spirq_machine *m, spirq_error *err);

struct storm_config {
	const char *machine;	/* -M value, e.g. "pseries-7.2,ic-mode=dual" */
	uint64_t ops;		/* operations to run */
	uint64_t seed;		/* for the generator, when no bytes */
	const uint8_t *bytes;	/* fuzz input: choices read from it */
	size_t nbytes;
	struct storm_pool *pool;	/* NULL, or what runs reuse */
	const struct storm_machines *machines;	/* NULL: the library's */
	/*
	 * 0, or the save/restores (and migrations) the storm does at most;
	 * later ones are skipped.  Each builds a machine in spirq_restore():
	 * a fuzz input's work stays bounded with a few.
	 */
	unsigned max_save_restores;
};

struct storm_result {
	uint64_t ops;		/* operations run */
	uint64_t resets, cas_switches, plugs, unplugs, migrations, drains;
	struct oracle_counts counts;
	uint64_t pending;	/* events still held at the end (legitimately) */
	char error[600];	/* "" when the oracle found nothing */
};

/* 0 when every check held; -1 with res->error set otherwise. */
int storm_run(const struct storm_config *cfg, struct storm_result *res);

/*
 * Allocations many storm_run() calls reuse (a fuzz target's inputs): the
 * oracle, the hosts' guest RAM (zeroed where it was written), the
 * resolved configurations (by -M value: give each machine string one
 * lifetime as long as the pool's).  One thread at a time.
 */
struct storm_pool;
struct storm_pool *storm_pool_new(void);
void storm_pool_free(struct storm_pool *pool);

/*
 * Several threads at once on one machine: device threads raise MSIs,
 * vCPU threads take them, a control thread pauses everyone now and then
 * for a CAS switch, a reset or a save/restore.  Each source carries one
 * event at a time (the device waits for its delivery), so that every
 * event must be delivered exactly once, on the vCPU it is routed to,
 * whatever the interleaving.  @machine as above; @rounds control pauses.
 */
int storm_threads(const char *machine, unsigned rounds,
		  struct storm_result *res);

#endif /* SPIRQ_TESTS_STORM_H */
