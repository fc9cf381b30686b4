/*
 * Machines for the MIPS and PowerPC tests: one RAM region from bytes built
 * at test time (words in either byte order), optional not_ram ranges, and
 * helpers to read the recovered values.
 */
#ifndef MMU_TEST_MPFIX_H
#define MMU_TEST_MPFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "regrec.h"

struct mpfix {
	uint8_t *mem;
	uint64_t base;
	size_t len;
	bool big;
};

void mpfix_init(struct mpfix *m, uint64_t base, size_t len, bool big);
void mpfix_free(struct mpfix *m);
/* 32-bit words in the machine's byte order from addr on. */
void mpfix_words(struct mpfix *m, uint64_t addr, const uint32_t *w, size_t n);
/*
 * Writes dump and YAML and opens them.  cpu_extra: lines under cpu: (may be
 * NULL); not_ram: "    - {start: .., end: ..}\n" lines (may be NULL); gtruth:
 * a ground-truth YAML body (may be NULL).  0, or -1 with a message on stderr.
 */
int mpfix_open(const struct mpfix *m, const char *arch, const char *mode, const char *cpu_extra, const char *not_ram,
	       const char *gtruth, struct analysis *a);

/* The register's results after find_registers_values (by lower-case name). */
const struct regrec_regres *mpfix_reg(const struct analysis *a, const char *name);
/* True when the valid candidates of name are exactly values[0..n) (any order). */
bool mpfix_cands_are(const struct analysis *a, const char *name, const uint64_t *values, size_t n);
/* The result of the analysed site at physical address pa, or NULL. */
const struct regrec_site_res *mpfix_site(const struct analysis *a, uint64_t pa);
/* Runs a command line; returns its JSON (free it) or NULL on error (message on stderr). */
char *mpfix_cmd(struct analysis *a, const char *line, char **text);

#endif
