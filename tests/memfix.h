/* A one-region machine built from bytes at test time, for the register-recovery tests. */
#ifndef MMU_TEST_MEMFIX_H
#define MMU_TEST_MEMFIX_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"

struct memfix {
	uint8_t *mem;      /* len bytes, physical base .. base + len - 1 */
	uint64_t base;
	size_t len;
	int big;           /* data byte order of the machine */
};

void memfix_init(struct memfix *m, uint64_t base, size_t len, int big);
void memfix_free(struct memfix *m);
/* Stores 32-bit instruction words (little-endian, as A64/A32 fetch them) from addr on. */
void memfix_words(struct memfix *m, uint64_t addr, const uint32_t *w, size_t n);
/* Stores a data word in the machine's byte order. */
void memfix_u32(struct memfix *m, uint64_t addr, uint32_t v);
void memfix_u64(struct memfix *m, uint64_t addr, uint64_t v);
/*
 * Writes the dump and a machine YAML (cpu lines from cpu_extra, e.g.
 * "  registers_values: {TTBCR: 0}\n", may be NULL) and opens it; a
 * ground-truth YAML body is written and loaded when gtruth is not NULL.
 * Returns 0 or -1 (message on stderr).
 */
int memfix_open(const struct memfix *m, const char *arch, const char *mode, int bits, const char *cpu_extra,
		const char *gtruth, struct analysis *a);

#endif
