/*
 * expected: the loader of expected.yaml (format mmushell-expected/1), what
 * mmushell-mkdump knows a dump holds: every page-table root with the
 * virtual ranges it maps, the IDT (Intel) and the decoy tables that are not
 * roots.  Tests compare analysis results against it.
 */
#ifndef MMU_MKDUMP_EXPECTED_H
#define MMU_MKDUMP_EXPECTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Bits of the "RWXrwx" permission string: kernel read/write/execute, then user. */
enum {
	EXP_PERM_KR = 1u << 0,
	EXP_PERM_KW = 1u << 1,
	EXP_PERM_KX = 1u << 2,
	EXP_PERM_UR = 1u << 3,
	EXP_PERM_UW = 1u << 4,
	EXP_PERM_UX = 1u << 5,
};
#define EXP_PERM_USER (EXP_PERM_UR | EXP_PERM_UW | EXP_PERM_UX)

enum exp_kind {
	EXP_PROCESS,    /* a whole address space: user half and the shared kernel half */
	EXP_KERNEL,     /* kernel mappings only (swapper, TTBR1, boot-time tables) */
	EXP_USER,       /* the user half of a split MMU (TTBR0) */
};

struct exp_range {
	uint64_t va, size, pa;  /* va canonical (sign-extended) */
	unsigned perms;         /* EXP_PERM_* */
};

struct exp_root {
	uint64_t root;          /* physical address of the top table */
	uint64_t value;         /* the root register's value (ASID, PCID, MODE bits...) */
	enum exp_kind kind;
	char *reg;              /* cr3, satp, ttbr0, ttbr1, ttbr0_el1, ttbr1_el1 */
	int process;            /* process number, -1 for kernel trees */
	bool boot;              /* used only while booting */
	struct exp_range *ranges;   /* sorted by va, disjoint, merged */
	size_t nranges;
};

struct exp_decoy {
	uint64_t addr;
	char *what;             /* orphan, mmio, corrupt; htab-* (PowerPC near-miss tables), mtc0-in-data */
};

/* A register value kernel code in the dump writes exactly, from this many write sites. */
struct exp_code_reg {
	char *name;             /* lower case, as in the ground truth: ttbcr, tcr_el1, pagemask, sdr1, ibat0u, sr3 */
	uint64_t value;
	unsigned sites;
};

/* A PowerPC hashed page table, and pages it translates. */
struct exp_htab {
	uint64_t addr, size, sdr1, ptes;
};

struct exp_hpage {
	uint64_t va, vsid, pa;
};

struct expected {
	char *path;
	char *architecture, *mmu_mode, *generator;
	bool has_idt;
	uint64_t idt_va, idt_pa, idt_size;
	struct exp_root *roots;
	size_t nroots;
	struct exp_decoy *decoys;
	size_t ndecoys;
	struct exp_code_reg *code_regs;
	size_t ncode_regs;
	struct exp_htab *htabs;
	size_t nhtabs;
	struct exp_hpage *hpages;
	size_t nhpages;
};

/* Loads and checks the file; on error fills e ("FILE:LINE:COL: message") and returns -1. */
int expected_load(const char *path, struct expected *ex, struct err *e);
void expected_free(struct expected *ex);

/* The root whose top table is at root, or NULL. */
const struct exp_root *expected_root(const struct expected *ex, uint64_t root);
/* The range of r holding va, or NULL (bisection). */
const struct exp_range *expected_lookup(const struct exp_root *r, uint64_t va);
/* The code_registers entry of name, or NULL. */
const struct exp_code_reg *expected_code_reg(const struct expected *ex, const char *name);
/* True when addr is one of the decoys. */
bool expected_is_decoy(const struct expected *ex, uint64_t addr);

/* "RWXrwx" with '-' for absent bits into buf[7]. */
const char *expected_perm_string(unsigned perms, char buf[7]);
/* Parses such a string; 0, or -1 when it is not 6 valid characters. */
int expected_parse_perms(const char *s, unsigned *perms);
const char *expected_kind_name(enum exp_kind kind);

#endif
