/*
 * arch: the interface every architecture in src/arch/ fills, one const
 * struct arch_ops each.  Core code reaches architecture specifics only
 * through this table; there is no switch on the architecture elsewhere.
 */
#ifndef MMU_ARCH_H
#define MMU_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct machine_config;
struct analysis;
struct radix_ops;
struct regrec_ops;
struct command;
struct cmd_out;
struct session_section;
struct findings_ops;

struct mmu_mode_info {
	const char *name;   /* as written in mmu.mode, compared case-insensitively */
	const char *about;  /* one line for show_machine and --help */
	int bits;           /* cpu.bits the mode needs; 0 for either */
};

struct arch_ops {
	const char *name;   /* cpu.architecture value */
	const char *about;
	/* Byte orders the architecture supports: bit ENDIAN_LITTLE / ENDIAN_BIG. */
	unsigned endians;
	const struct mmu_mode_info *modes;
	size_t nmodes;
	/*
	 * Architecture-specific configuration checks (Intel's m_phy, byte
	 * order restrictions...).  Reports with config_error_at() so the
	 * message names the YAML file and position.  May be NULL.
	 */
	int (*check_config)(const struct machine_config *cfg, struct err *e);
	/* Page-table trees (NULL: the architecture has none, e.g. MIPS). */
	const struct radix_ops *radix;
	/* MMU register recovery from code (regrec.h; NULL: registers come from tables, e.g. Intel). */
	const struct regrec_ops *regrec;
	/*
	 * The memory scans: parse_memory (Intel, RISC-V: tables; MIPS, PowerPC:
	 * code and hash tables) and find_tables (ARM, AArch64: tables shaped by
	 * the recovered TTBCR/TCR).  NULL where the command does not apply.
	 */
	int (*parse_memory)(struct analysis *a, struct err *e);
	int (*find_tables)(struct analysis *a, struct err *e);
	/* What parse_memory found, for architectures without trees (MIPS, PowerPC); NULL: nothing to say. */
	void (*parse_memory_report)(struct analysis *a, struct cmd_out *o);
	/*
	 * resolve for an MMU without page-table trees (PowerPC: BATs, segment
	 * registers and the hash table); NULL: the radix resolve.
	 */
	int (*resolve)(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e);
	/* The analysis steps in order, as command names; the explorer's 'r' runs the next one. */
	const char *const *pipeline;
	/* Its own results in sessions (section ARCH, arch-session.c); NULL: none. */
	const struct session_section *session;
	/* Commands only this architecture has (show_idtrs...), NULL-terminated. */
	const struct command *const *commands;
	/* Findings besides trees (findings.h: PowerPC hash tables, Intel IDTs); NULL: none. */
	const struct findings_ops *findings;
};

/* Every architecture, in a fixed order; defined in src/arch/registry.c. */
extern const struct arch_ops *const arch_registry[];
extern const size_t arch_registry_len;

const struct arch_ops *arch_find(const char *name);
/* Index of the mode in a->modes, or -1. */
int arch_find_mode(const struct arch_ops *a, const char *name);
/* "intel, riscv, ..." or "ia32, pae, ia64" into buf. */
const char *arch_list_names(char *buf, size_t len);
const char *arch_list_modes(const struct arch_ops *a, char *buf, size_t len);

#endif
