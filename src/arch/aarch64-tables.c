/*
 * AArch64 page tables (VMSAv8-64 stage 1, ARM DDI 0487 D8) and the
 * long-descriptor format it shares with ARMv7 LPAE (ARM DDI 0406C B3.6).
 * Tree shapes come from TCR_EL1: TTBR1_EL1 ("kernel", T1SZ/TG1) and
 * TTBR0_EL1 ("user", T0SZ/TG0).
 */
#include "autoconfig.h"

#include <string.h>

#include "aarch64-tcr.h"
#include "analysis.h"
#include "arch.h"
#include "arm-tables.h"
#include "config.h"
#include "radix.h"
#include "regrec.h"

/* ---- descriptors ------------------------------------------------------- */

#define LD_VALID (1ULL << 0)
#define LD_TABLE (1ULL << 1)        /* with VALID: table (levels 0-2) or page (level 3) */
#define LD_ATTRINDX_SHIFT 2
#define LD_NS (1ULL << 5)
#define LD_AP1 (1ULL << 6)          /* AP[1]: EL0/PL0 access */
#define LD_AP2 (1ULL << 7)          /* AP[2]: read-only */
#define LD_SH_SHIFT 8
#define LD_SH_RESERVED 1u
#define LD_AF (1ULL << 10)
#define LD_NG (1ULL << 11)
#define LD_NT (1ULL << 16)          /* FEAT_BBM, AArch64 blocks */
#define LD_GP (1ULL << 50)
#define LD_DBM (1ULL << 51)
#define LD_CONTIGUOUS (1ULL << 52)
#define LD_PXN_SHIFT 53
#define LD_XN_SHIFT 54              /* XN (LPAE) / UXN (AArch64) */
#define LD_TABLE_ATTR_SHIFT 59      /* PXNTable, XNTable, APTable[0], APTable[1], NSTable */
#define LD_LAST_LEVEL 3

/* pte.attr of a table entry: bits 63..59. */
#define T_PXN (1u << 0)
#define T_XN (1u << 1)
#define T_NOUSER (1u << 2)
#define T_NOWRITE (1u << 3)
#define T_NS (1u << 4)
/* pte.attr of a block or page. */
#define L_AP1 (1u << 0)
#define L_AP2 (1u << 1)
#define L_PXN (1u << 2)
#define L_XN (1u << 3)

/* Bits hi..lo (hi < 63): the decoder runs per entry of RAM, so no call. */
static inline uint64_t field_mask(unsigned hi, unsigned lo)
{
	return ((2ULL << hi) - 1) & ~((1ULL << lo) - 1);
}

static unsigned granule_of(const struct radix_shape *s)
{
	return (unsigned)s->param[ARMT_GRANULE];
}

/* VA bits one entry covers at an architectural level. */
static unsigned level_shift(unsigned g, unsigned level)
{
	return g + (g - 3) * (LD_LAST_LEVEL - level);
}

/* Levels with block descriptors (without FEAT_LPA/LPA2): 4 KiB 1 and 2; 16 and 64 KiB 2. */
static bool block_allowed(unsigned g, unsigned level)
{
	return level == 2 || (g == 12 && level == 1);
}

void ld_decode(const struct radix_shape *s, unsigned level, uint64_t raw, struct pte *p)
{
	unsigned g = granule_of(s), pa_bits = (unsigned)s->param[ARMT_PA_BITS];
	bool lpae = s->param[ARMT_FORMAT] == ARMT_LPAE;
	if (!(raw & LD_VALID)) {
		p->kind = PTE_EMPTY;
		return;
	}
	p->kind = PTE_INVALID;
	/*
	 * An address bit beyond the output size is an address size fault.
	 * Bits 51..48 are RES0 in AArch64 tables, but GP and DBM (51..50) in
	 * blocks and pages; LPAE has bits 51..40 SBZ everywhere.
	 */
	bool table = level < LD_LAST_LEVEL && (raw & LD_TABLE);
	if (raw & field_mask(table || lpae ? 51 : 49, pa_bits)) {
		p->why = "output address beyond the physical address size";
		return;
	}
	if (table) {
		if (g > 12 && (raw & field_mask(g - 1, 12))) {
			p->why = "table address not aligned to the granule";
			return;
		}
		p->kind = PTE_TABLE;
		p->addr = raw & field_mask(47, g);
		p->attr = (uint32_t)(raw >> LD_TABLE_ATTR_SHIFT);
		return;
	}
	if (level == LD_LAST_LEVEL && !(raw & LD_TABLE)) {
		p->why = "reserved descriptor (0b01) at the last level";
		return;
	}
	if (level < LD_LAST_LEVEL && !block_allowed(g, level)) {
		p->why = "block descriptor at a level without blocks";
		return;
	}
	if ((raw >> LD_SH_SHIFT & 3) == LD_SH_RESERVED) {
		p->why = "reserved shareability (SH = 0b01)";
		return;
	}
	unsigned shift = level_shift(g, level);
	uint64_t res0 = shift > 12 ? field_mask(shift - 1, 12) : 0;
	if (!lpae && level < LD_LAST_LEVEL)
		res0 &= ~LD_NT;
	if (raw & res0) {
		p->why = "reserved bits set below the output address";
		return;
	}
	p->kind = PTE_PAGE;
	p->addr = raw & field_mask(47, shift);
	p->size = 1ULL << shift;
	p->user = raw & LD_AP1;
	p->attr = (raw & LD_AP1 ? L_AP1 : 0) | (raw & LD_AP2 ? L_AP2 : 0) | (raw >> LD_PXN_SHIFT & 1 ? L_PXN : 0) |
		  (raw >> LD_XN_SHIFT & 1 ? L_XN : 0);
}

/* APTable, PXNTable and (U)XNTable only ever take rights away below them. */
uint32_t ld_descend(const struct radix_shape *s, uint32_t acc, const struct pte *t)
{
	(void)s;
	return acc | (t->attr & (T_PXN | T_XN | T_NOUSER | T_NOWRITE));
}

/*
 * AP[2:1]: EL0/PL0 access when AP[1], read-only when AP[2]; privileged
 * code always reads.  LPAE XN stops both levels; AArch64 UXN only EL0,
 * and EL1 never executes what EL0 may write.
 */
unsigned ld_leaf_perms(const struct radix_shape *s, uint32_t acc, const struct pte *p)
{
	bool lpae = s->param[ARMT_FORMAT] == ARMT_LPAE;
	bool user = (p->attr & L_AP1) && !(acc & T_NOUSER);
	bool write = !(p->attr & L_AP2) && !(acc & T_NOWRITE);
	bool xn = (p->attr & L_XN) || (acc & T_XN);
	bool pxn = (p->attr & L_PXN) || (acc & T_PXN);
	unsigned perms = PERM_KR | (write ? PERM_KW : 0);
	if (user)
		perms |= PERM_UR | (write ? PERM_UW : 0) | (!xn ? PERM_UX : 0);
	if (!pxn && !(lpae && xn) && !(!lpae && (perms & PERM_UW)))
		perms |= PERM_KX;
	return perms;
}

void ld_describe(const struct radix_shape *s, unsigned level, const struct pte *p, struct sbuf *out)
{
	bool lpae = s->param[ARMT_FORMAT] == ARMT_LPAE;
	uint64_t r = p->raw;
	if (p->kind == PTE_TABLE) {
		sbuf_printf(out, "TABLE");
		if (r >> LD_TABLE_ATTR_SHIFT & T_PXN)
			sbuf_printf(out, " PXNTable");
		if (r >> LD_TABLE_ATTR_SHIFT & T_XN)
			sbuf_printf(out, lpae ? " XNTable" : " UXNTable");
		if (r >> LD_TABLE_ATTR_SHIFT & T_NOUSER)
			sbuf_printf(out, " APTable:no-EL0");
		if (r >> LD_TABLE_ATTR_SHIFT & T_NOWRITE)
			sbuf_printf(out, " APTable:read-only");
		if (r >> LD_TABLE_ATTR_SHIFT & T_NS)
			sbuf_printf(out, " NSTable");
		return;
	}
	if (p->kind != PTE_PAGE)
		return;
	sbuf_printf(out, "%s AttrIndx=%u AP=%u%u SH=%u", level == LD_LAST_LEVEL ? "PAGE" : "BLOCK",
		    (unsigned)bits_get(r, 4, 2), (unsigned)(r >> 7 & 1), (unsigned)(r >> 6 & 1), (unsigned)(r >> 8 & 3));
	static const struct {
		uint64_t bit;
		const char *name;
	} flags[] = {{LD_NS, "NS"}, {LD_AF, "AF"}, {LD_NG, "nG"}, {LD_GP, "GP"}, {LD_DBM, "DBM"},
		     {LD_CONTIGUOUS, "Contiguous"}, {1ULL << LD_PXN_SHIFT, "PXN"}};
	for (size_t i = 0; i < ARRAY_LEN(flags); i++)
		if ((r & flags[i].bit) && !(lpae && (flags[i].bit == LD_GP || flags[i].bit == LD_DBM)))
			sbuf_printf(out, " %s", flags[i].name);
	if (r >> LD_XN_SHIFT & 1)
		sbuf_printf(out, lpae ? " XN" : " UXN");
}

/*
 * Closed form of the walk (D8.2): p = granule shift, s = p - 3 bits per
 * level; L = ceil((va_bits - p) / s) levels; the top table resolves what
 * is left.  Lower tables are one granule.
 */
bool ld_shape(struct radix_shape *s, unsigned g, unsigned va_bits)
{
	unsigned bpl = g - 3;
	if (va_bits <= g || va_bits > 48)
		return false;
	unsigned levels = (va_bits - g + bpl - 1) / bpl;
	if (levels > 4)
		return false;
	unsigned top_bits = (va_bits - g) - (levels - 1) * bpl;
	s->levels = levels;
	s->entry_size = 8;
	s->level_offset = LD_LAST_LEVEL + 1 - levels;
	s->va_bits = va_bits;
	for (unsigned k = 0; k < levels; k++) {
		s->table_size[k] = k ? 1ULL << g : 8ULL << top_bits;
		s->va_shift[k] = level_shift(g, s->level_offset + k);
	}
	s->param[ARMT_GRANULE] = g;
	return true;
}

/* ---- TCR_EL1 ----------------------------------------------------------- */

#define TCR_RES0 (1ULL << 6 | 1ULL << 35)

/*
 * IPS: 32, 36, 40, 42, 44, 48 bits; 52 (FEAT_LPA) is checked as 48, and
 * so is an IPS recovery left unknown (Linux computes it at run time).
 */
static unsigned ips_bits(uint64_t tcr, uint64_t unknown)
{
	static const unsigned b[8] = {32, 36, 40, 42, 44, 48, 48, 48};
	if (unknown >> TCR_IPS_SHIFT & 7)
		return 48;
	return b[tcr >> TCR_IPS_SHIFT & 7];
}

static int aarch64_shapes(struct analysis *a, struct radix_shape *out, unsigned *n, struct err *e)
{
	uint64_t tcr, unknown;
	const char *origin, *why;
	if (armt_register(a, "tcr_el1", &tcr, &unknown, &origin, e))
		return -1;
	if (tcr & TCR_RES0)
		return err_set(e, "TCR_EL1 0x%llx (%s) has reserved bits set", (unsigned long long)tcr, origin);
	unsigned t0sz = tcr_t0sz(tcr), t1sz = tcr_t1sz(tcr), g0, g1;
	tcr_granules(tcr, &g0, &g1);
	if (!g0)
		return err_set(e, "TCR_EL1 0x%llx (%s): both TG0 and TG1 are reserved", (unsigned long long)tcr, origin);
	if ((why = armt_unusable(a, "tcr_el1", tcr, unknown)))
		return err_set(e, "TCR_EL1 0x%llx (%s): %s", (unsigned long long)tcr, origin, why);

	struct radix_shape *k = &out[0], *u = &out[1];
	memset(out, 0, 2 * sizeof(*out));
	if (!ld_shape(k, g1, 64 - t1sz) || !ld_shape(u, g0, 64 - t0sz))
		return err_set(e, "TCR_EL1 0x%llx (%s): T0SZ %u / T1SZ %u give no translation with these granules",
			       (unsigned long long)tcr, origin, t0sz, t1sz);
	k->name = "kernel";
	k->root_register = "ttbr1_el1,ttbr1_el1_s";
	k->va_upper = ~((1ULL << k->va_bits) - 1);
	u->name = "user";
	u->root_register = "ttbr0_el1,ttbr0_el1_s";
	for (int i = 0; i < 2; i++) {
		out[i].param[ARMT_FORMAT] = ARMT_AARCH64;
		out[i].param[ARMT_PA_BITS] = ips_bits(tcr, unknown);
	}
	*n = 2;
	return 0;
}

/* BADDR bits 47..x, x = log2 of the top table (D8.2.2); ASID and CnP dropped. */
static bool aarch64_root_of(const struct radix_shape *s, uint64_t ttbr, uint64_t *root)
{
	*root = ttbr & mask_bits(47, (unsigned)MMU_MAX(log2_u64(s->table_size[0]), 1));
	return true;
}

static void aarch64_decode(const struct radix_shape *s, unsigned level, uint64_t raw, struct pte *p)
{
	ld_decode(s, level, raw, p);
}

const struct radix_ops aarch64_radix = {
	.shapes = aarch64_shapes,
	.decode = aarch64_decode,
	.root_attr = 0,
	.descend = ld_descend,
	.leaf_perms = ld_leaf_perms,
	.root_of = aarch64_root_of,
	.describe = ld_describe,
	.select = armt_select,
};
