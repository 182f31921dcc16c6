/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scenario language of "spirq run": lexing and parsing of one line
 * into a struct scn_cmd.  The grammar is spec/scenario.md's:
 *
 *   line     := [command] ["#" comment]
 *   command  := name { WS word }
 *   number   := decimal | "0x" hex            (up to 64 bits)
 *   size     := number ["K" | "M" | "G"]      (memory only)
 */
#ifndef SPIRQ_SCENARIO_H
#define SPIRQ_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCN_MAX_ARGS 12		/* hcall and rtas arguments */

enum scn_kind {
	/* configuration: before the machine starts, each at most once */
	SCN_MACHINE,
	SCN_SMP,
	SCN_CPU,
	SCN_MEMORY,
	SCN_ACCEL,
	SCN_START,
	/* machine and devices */
	SCN_CLAIM,
	SCN_FREE,
	SCN_IRQ,
	SCN_CAS,
	SCN_RESET,
	SCN_HOTPLUG,
	SCN_UNPLUG,
	SCN_SAVE,
	SCN_RESTORE,
	/* guest */
	SCN_HCALL,
	SCN_RTAS,
	SCN_LOAD,
	SCN_STORE,
	/* inspection */
	SCN_INFO_PIC,
	SCN_EXPECT,
	SCN_NR_KINDS
};

enum scn_region {
	SCN_REGION_ESB,
	SCN_REGION_TIMA,
};

struct scn_cmd {
	enum scn_kind kind;
	const char *text;	/* option text, file name, expect text,
				 * hcall/rtas name as written */
	uint64_t cpu;		/* hcall, rtas, load, store, hotplug, unplug */
	uint64_t irq;		/* claim, free, irq */
	bool lsi;		/* claim */
	uint64_t level;		/* irq */
	uint64_t byte23;	/* cas */
	uint64_t opcode;	/* hcall: resolved number */
	unsigned nargs;		/* hcall, rtas */
	uint64_t args[SCN_MAX_ARGS];
	enum scn_region region;	/* load, store */
	uint64_t offset;
	unsigned size;		/* 1, 2, 4 or 8 */
	uint64_t value;		/* store */
};

/* Is this a configuration command (allowed only before start)? */
static inline bool scn_is_config(enum scn_kind kind)
{
	return kind <= SCN_START;
}

/*
 * Parse one line, in place (@line is modified; cmd->text points into it).
 * returns: 1 for a command, 0 for a blank or comment line, -1 on a syntax
 * error (explanation in @why).
 */
int scn_parse_line(char *line, struct scn_cmd *cmd, char *why,
		   size_t why_size);

/* Parse a number of the language: decimal or 0x-hex, up to 64 bits. */
bool scn_parse_number(const char *word, uint64_t *out);

/* The command's name ("info pic" for SCN_INFO_PIC). */
const char *scn_kind_name(enum scn_kind kind);

#endif /* SPIRQ_SCENARIO_H */
