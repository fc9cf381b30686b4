/*
 * Page tables of ARM 32-bit (short and long descriptors) and AArch64
 * (algo-arm-aarch64.md 3-5, 8.3-8.4): tree shapes from the TTBCR/TCR_EL1
 * value in force, entry decoding, permissions, and the root selection both
 * architectures share.
 */
#ifndef MMU_ARM_TABLES_H
#define MMU_ARM_TABLES_H

#include <stdbool.h>
#include <stdint.h>

#include "radix.h"

struct analysis;
struct sbuf;

extern const struct radix_ops arm_radix;
extern const struct radix_ops aarch64_radix;

/*
 * radix_shape.param[] of both architectures.  Decoding reads only these
 * (never the name or VA placement), so equal shapes share one scan.
 */
enum {
	ARMT_FORMAT,     /* enum armt_format */
	ARMT_GRANULE,    /* long descriptors: log2 of the granule (12, 14, 16) */
	ARMT_PA_BITS,    /* long descriptors: output addresses must fit */
	ARMT_AFE,        /* short descriptors: SCTLR.AFE (access-flag permission model) */
};

enum armt_format { ARMT_SHORT, ARMT_LPAE, ARMT_AARCH64 };

/* Long-descriptor format (LPAE and VMSAv8-64): level is the architectural level 0..3. */
void ld_decode(const struct radix_shape *s, unsigned level, uint64_t raw, struct pte *p);
uint32_t ld_descend(const struct radix_shape *s, uint32_t acc, const struct pte *t);
unsigned ld_leaf_perms(const struct radix_shape *s, uint32_t acc, const struct pte *p);
void ld_describe(const struct radix_shape *s, unsigned level, const struct pte *p, struct sbuf *out);
/*
 * Fills a shape for a long-descriptor tree translating 2^va_bits bytes with
 * the given granule: levels, tables, shifts, level_offset.  False when no
 * valid walk has that size.
 */
bool ld_shape(struct radix_shape *s, unsigned granule_shift, unsigned va_bits);

/*
 * The value in force of the control register the tree shapes come from
 * (ttbcr, tcr_el1): set_* override, else the best usable recovered
 * candidate, else cpu.registers_values (registers_value of regrec.h).
 * unknown: bits recovery could not fix.  Returns 0, or -1 with find_tables'
 * message (no value; or candidates, none usable here, and why).
 */
int armt_register(const struct analysis *a, const char *name, uint64_t *value, uint64_t *unknown,
		  const char **origin, struct err *e);
/*
 * NULL when find_tables can use value of that register on this machine,
 * else why not (regrec_unusable): a set_* override or a cpu.registers_values
 * entry may be one a search would not select.
 */
const char *armt_unusable(const struct analysis *a, const char *name, uint64_t value, uint64_t unknown);

/* Root selection of both architectures (filters of spec 3.9 / 5.10, see arm-tables.c). */
int armt_select(struct analysis *a, struct err *e);

#endif
