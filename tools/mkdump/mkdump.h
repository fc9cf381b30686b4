/*
 * mkdump: synthetic physical memory dumps with exact ground truth.
 *
 * mkdump_generate() writes into opts->outdir:
 *   machine.yaml    the machine description (the original tool's format)
 *   dump.0 dump.1.. one raw file per RAM region
 *   gtruth.yaml     MMU register values a CPU would have held (mmushell-gtruth/1)
 *   expected.yaml   every page-table root and what it maps (mmushell-expected/1)
 *
 * The same options always give byte-identical files.  The library never
 * exits or prints: every failure comes back as one message in struct err.
 */
#ifndef MMU_MKDUMP_H
#define MMU_MKDUMP_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct mkdump_opts {
	const char *arch;       /* intel riscv arm aarch64 mips ppc */
	const char *mode;       /* MMU mode of that architecture; NULL = its first */
	uint64_t ram;           /* bytes of RAM in total */
	unsigned regions;       /* RAM regions, separated by MMIO windows */
	unsigned processes;     /* user address spaces */
	uint64_t seed;
	unsigned noise;         /* 0 (free memory is zero) .. 3 (much noise, many decoys) */
	unsigned granule;       /* aarch64: 4096, 16384 or 65536; 0 = 4096 */
	int t0sz, t1sz;         /* aarch64 TCR_EL1 / arm long TTBCR size fields; -1 = mode default */
	int ttbcr_n;            /* arm short TTBCR.N; -1 = 0 */
	const char *endian;     /* "big" or "little"; NULL = the architecture's usual one */
	const char *outdir;
};

#define MKDUMP_DEFAULT_RAM (64ULL << 20)
#define MKDUMP_DEFAULT_REGIONS 2
#define MKDUMP_DEFAULT_PROCESSES 8
#define MKDUMP_DEFAULT_SEED 1
#define MKDUMP_DEFAULT_NOISE 2
#define MKDUMP_MAX_NOISE 3

/* Fills o with the defaults above (arch, mode and outdir NULL). */
void mkdump_opts_init(struct mkdump_opts *o);

/* Generates the dump; 0, or -1 with a message in e. */
int mkdump_generate(const struct mkdump_opts *o, struct err *e);

/* The architectures and modes the generator knows, for --help and --demo. */
size_t mkdump_arch_count(void);
const char *mkdump_arch_name(size_t i);
/* Mode names of architecture i, NULL after the last. */
const char *mkdump_mode_name(size_t arch, size_t mode);

#endif
