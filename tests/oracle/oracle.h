/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The conservation oracle: an independent reference model of what a
 * pseries guest must see of its interrupts, written from the architecture
 * (PAPR's XICS, the XIVE ESB/EAS/END/TIMA rules) and QEMU 7.2's documented
 * behaviour, not from spirq's sources.
 *
 * A driver (the stress test, a fuzz target) does something to a spirq
 * machine and tells the oracle what it did; it reads what the guest sees
 * (H_XIRR values, event-queue entries, TIMA acknowledges, the vCPU lines)
 * and asks the oracle whether that is right.  The oracle predicts every
 * observation exactly, keeps a per-source ledger of the events raised and
 * of the routing each was raised with, and classifies a wrong observation:
 *
 *   lost        an event the guest should have seen is missing
 *   misrouted   an event reached a vCPU, queue or priority it was not
 *               routed to
 *   duplicated  the guest saw an event more often than it was raised
 *   masked      a delivery at a priority the vCPU's CPPR masks
 *   mismatch    any other difference (a wrong PQ value, a wrong line)
 *
 * Exactly-once.  Every MSI edge (a device trigger, an ESB trigger store)
 * that reaches an unmasked, routed source is delivered exactly once, to the
 * vCPU and priority its routing names at the time of delivery to the
 * presenter, except where the architecture coalesces it with an event of
 * the same source that is still pending:
 *
 *   XIVE  an edge finding PQ = 10 sets Q (it will be forwarded at EOI);
 *         an edge finding PQ = 11 is absorbed: "coalesced"
 *   XICS  an edge finding the source's REJECTED or MASKED_PENDING bit
 *         already set is absorbed into that one: "coalesced"; an edge
 *         finding the source presented (in some XISR) is not: the new one
 *         is rejected and resent after
 *
 * Legitimate loss, counted and never a failure:
 *
 *   dropped    raised while the source is masked (XIVE PQ 01 or a masked
 *              EAS; an EAS whose END has no queue), or still waiting for a
 *              resend when the guest masked it (XICS drops a rejected MSI of
 *              a masked source at the next resend)
 *   discarded  delivered to an event queue, then thrown away by the guest
 *              or the machine before the guest read it: the queue
 *              reconfigured, the vCPU unplugged, a machine reset; or left
 *              in the controller a CAS switch made inactive
 *
 * Level-sensitive sources are not counted in edges: an asserted LSI is
 * presented (again after each EOI) for as long as the device holds the
 * line, whatever controller is active; a reset lowers every device line
 * (devices reset with the machine), and the lines a device raises after
 * that are the ones the controller sees.
 *
 * The oracle keeps its state per cpu_index; the driver translates server
 * numbers.  It allocates nothing after oracle_new().
 */
#ifndef SPIRQ_TESTS_ORACLE_H
#define SPIRQ_TESTS_ORACLE_H

#include <stdbool.h>
#include <stdint.h>

#define ORACLE_MAX_CPUS		16
#define ORACLE_NR_IRQS		0x2000	/* XIVE IPIs 0..0xfff, then 0x1000.. */
#define ORACLE_NR_PRIOS		8
#define ORACLE_QUEUE_MAX	4096	/* events a queue may hold unread */

enum oracle_intc { ORACLE_XICS = 0, ORACLE_XIVE = 1 };

/* What happened to the events raised so far. */
struct oracle_counts {
	uint64_t raised;	/* MSI edges and trigger stores reaching a source */
	uint64_t delivered;	/* events the guest took (XIRR, queue entries) */
	uint64_t coalesced;	/* absorbed by a pending event of the source */
	uint64_t dropped;	/* legitimately lost: masked, see above */
	uint64_t discarded;	/* legitimately lost: reset, reconfiguration */
	uint64_t lsi_presented;	/* LSI presentations (not edges) */
	uint64_t lost;		/* violations, each class */
	uint64_t misrouted;
	uint64_t duplicated;
	uint64_t masked;
	uint64_t mismatch;
};

struct oracle;

/*
 * A model of a machine with the given controllers (XICS, XIVE or both);
 * @default_intc is active after creation and after every reset.  Every
 * vCPU starts unplugged: call oracle_plug() for the boot vCPUs.
 */
struct oracle *oracle_new(bool has_xics, bool has_xive,
			  enum oracle_intc default_intc);
void oracle_free(struct oracle *o);
/* @o as oracle_new() makes it, its memory reused (a fuzz input each). */
void oracle_init(struct oracle *o, bool has_xics, bool has_xive,
		 enum oracle_intc default_intc);

/* The first violation, "" if none. */
const char *oracle_error(const struct oracle *o);
const struct oracle_counts *oracle_counts(const struct oracle *o);
enum oracle_intc oracle_active(const struct oracle *o);

/* ---- machine ------------------------------------------------------------ */

void oracle_plug(struct oracle *o, unsigned cpu, uint32_t vcpu_id);
void oracle_unplug(struct oracle *o, unsigned cpu);
bool oracle_plugged(const struct oracle *o, unsigned cpu);
void oracle_claim(struct oracle *o, uint32_t irq, bool lsi);
void oracle_free_irq(struct oracle *o, uint32_t irq);

/*
 * Machine reset in its phases: oracle_reset_begin() quiesces (device lines
 * reset); device events may follow (oracle_line), held by the machine;
 * oracle_reset_end() resets the controllers, activates the default one
 * and gives it the held events.
 */
void oracle_reset_begin(struct oracle *o);
void oracle_reset_end(struct oracle *o);
/* CAS (also repeated): @intc becomes active, in place. */
void oracle_cas(struct oracle *o, enum oracle_intc intc);
/* A save and restore happened (into this or a fresh machine). */
void oracle_restored(struct oracle *o);

/* ---- devices ---------------------------------------------------------------- */

void oracle_line(struct oracle *o, uint32_t irq, int level);

/* ---- XICS guest ---------------------------------------------------------------- */

/* ibm,set-xive to a plugged vCPU (prio 0xff masks), int-off, int-on */
void oracle_xics_set_xive(struct oracle *o, uint32_t irq, unsigned cpu,
			  uint8_t prio);
void oracle_xics_int_off(struct oracle *o, uint32_t irq);
void oracle_xics_int_on(struct oracle *o, uint32_t irq);
void oracle_xics_cppr(struct oracle *o, unsigned cpu, uint8_t cppr);
void oracle_xics_ipi(struct oracle *o, unsigned cpu, uint8_t mfrr);
/* H_XIRR's value on @cpu: checked, then the acceptance is modelled */
bool oracle_xics_xirr(struct oracle *o, unsigned cpu, uint32_t xirr);
void oracle_xics_eoi(struct oracle *o, unsigned cpu, uint32_t xirr);
/* The XIRR the model expects H_XIRR to return on @cpu. */
uint32_t oracle_xics_peek(const struct oracle *o, unsigned cpu);

/* ---- XIVE guest ---------------------------------------------------------------- */

/* H_INT_SET_SOURCE_CONFIG with SET_EISN: routed to (cpu, prio) or masked */
void oracle_xive_route(struct oracle *o, uint32_t irq, unsigned cpu,
		       uint8_t prio, uint32_t eisn);
void oracle_xive_mask(struct oracle *o, uint32_t irq);
/* H_INT_SET_QUEUE_CONFIG: a queue (always notify) or none */
void oracle_xive_queue(struct oracle *o, unsigned cpu, uint8_t prio,
		       bool enabled);
/* a store to the source's trigger page */
void oracle_xive_trigger(struct oracle *o, uint32_t irq);
/* a management-page load at @op (EOI, GET, SET_PQ_xx) and its value */
bool oracle_xive_esb_load(struct oracle *o, uint32_t irq, uint32_t op,
			  uint64_t value);
void oracle_xive_cppr(struct oracle *o, unsigned cpu, uint8_t cppr);
/* TIMA ACK_OS_REG's 16-bit value on @cpu */
bool oracle_xive_ack(struct oracle *o, unsigned cpu, uint16_t value);
/* The guest read one event (EISN @data) from its queue (cpu, prio). */
bool oracle_xive_entry(struct oracle *o, unsigned cpu, uint8_t prio,
		       uint32_t data);
/* Events of (cpu, prio) the guest has not read yet. */
unsigned oracle_xive_backlog(const struct oracle *o, unsigned cpu,
			     uint8_t prio);

/* ---- checks ---------------------------------------------------------------------- */

/*
 * Events still held somewhere legitimately: a source's Q bit, a rejected
 * or masked-pending bit, an XISR, an unread queue entry -- in either
 * controller.  raised = delivered + coalesced + dropped + discarded +
 * pending, always.
 */
uint64_t oracle_pending(const struct oracle *o);

/* Every plugged vCPU's interrupt line (@line[cpu_index]) is right. */
bool oracle_check_lines(struct oracle *o, const int *line);
/*
 * The guest has taken everything it could: nothing may be left owed by
 * the active controller (no event waiting anywhere for an unmasked,
 * routed source, no unread queue entry).
 */
bool oracle_check_drained(struct oracle *o);

#endif /* SPIRQ_TESTS_ORACLE_H */
