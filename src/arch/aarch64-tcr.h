/*
 * TCR_EL1 (ARM DDI 0487 D19.2.139): the fields and the granule rule that
 * the register recovery (aarch64-regrec.c: validity, usability) and the
 * table search (aarch64-tables.c: tree shapes) both read.
 */
#ifndef MMU_AARCH64_TCR_H
#define MMU_AARCH64_TCR_H

#include <stdint.h>

#define TCR_T0SZ_SHIFT 0
#define TCR_TG0_SHIFT 14
#define TCR_T1SZ_SHIFT 16
#define TCR_A1 (1ULL << 22)
#define TCR_EPD1 (1ULL << 23)
#define TCR_TG1_SHIFT 30
#define TCR_IPS_SHIFT 32
#define TCR_TXSZ_MASK 0x3fULL
#define TCR_TG_MASK 3ULL
#define TCR_TG0_RESERVED 3   /* TG0: 00 4K, 01 64K, 10 16K */
#define TCR_TG1_RESERVED 0   /* TG1: 01 16K, 10 4K, 11 64K */
#define TCR_TG0_64K 1
#define TCR_TG1_64K 3
/* find_tables walks 48-bit VAs at most: smaller TxSZ needs FEAT_LVA/LPA2, not modelled. */
#define TCR_TXSZ_MIN 16

static inline unsigned tcr_t0sz(uint64_t v)
{
	return (unsigned)(v >> TCR_T0SZ_SHIFT & TCR_TXSZ_MASK);
}

static inline unsigned tcr_t1sz(uint64_t v)
{
	return (unsigned)(v >> TCR_T1SZ_SHIFT & TCR_TXSZ_MASK);
}

static inline unsigned tcr_tg0(uint64_t v)
{
	return (unsigned)(v >> TCR_TG0_SHIFT & TCR_TG_MASK);
}

static inline unsigned tcr_tg1(uint64_t v)
{
	return (unsigned)(v >> TCR_TG1_SHIFT & TCR_TG_MASK);
}

/*
 * Page shift of each half's granule.  A reserved granule behaves as
 * another one (IMPLEMENTATION DEFINED): it takes the other half's.  Both
 * 0 when both are reserved.
 */
static inline void tcr_granules(uint64_t v, unsigned *g0, unsigned *g1)
{
	static const unsigned tg0[4] = {12, 16, 14, 0}, tg1[4] = {0, 14, 12, 16};
	*g0 = tg0[tcr_tg0(v)];
	*g1 = tg1[tcr_tg1(v)];
	*g0 = *g0 ? *g0 : *g1;
	*g1 = *g1 ? *g1 : *g0;
}

#endif
