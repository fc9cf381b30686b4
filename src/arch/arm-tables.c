/*
 * ARM 32-bit page tables: short descriptors (ARM DDI 0406C B3.5: 16 KiB
 * first-level tables, 1 KiB second-level, TTBCR.N split) and long
 * descriptors (LPAE, B3.6, decoded by aarch64-tables.c); the root
 * selection shared with AArch64.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "arm-tables.h"
#include "config.h"
#include "radix.h"
#include "regrec.h"

/* ---- the control registers in force ------------------------------------ */

int armt_register(const struct analysis *a, const char *name, uint64_t *value, uint64_t *unknown,
		  const char **origin, struct err *e)
{
	const char *why;
	if (!registers_value_unknown(a, name, value, unknown, origin, &why))
		return 0;
	const struct regrec_reg *r = regrec_reg_find(regrec_ops_of(a), name);
	if (why)
		return err_set(e, "no usable %s value: the best candidate, 0x%llx, cannot be used (%s); "
				  "%s VALUE, or give cpu.registers_values.%s in the machine YAML",
			       r->display, (unsigned long long)*value, why, r->set_command, r->display);
	return err_set(e, "no %s value: run find_registers_values, or %s VALUE, or give "
			  "cpu.registers_values.%s in the machine YAML", r->display, r->set_command, r->display);
}

const char *armt_unusable(const struct analysis *a, const char *name, uint64_t value, uint64_t unknown)
{
	return regrec_unusable(regrec_reg_find(regrec_ops_of(a), name), &a->cfg, value, unknown);
}

/* ---- short descriptors -------------------------------------------------- */

#define SD_TYPE(raw) ((raw) & 3u)
#define SD_FAULT 0u
#define SD_L1_PTP 1u                /* first level: page-table pointer */
#define SD_L2_LARGE 1u              /* second level: 64 KiB large page */
#define SD_B (1u << 2)
#define SD_C (1u << 3)
#define SD_PTP_PXN (1u << 2)
#define SD_PTP_NS (1u << 3)
#define SD_DOMAIN_SHIFT 5
#define SD_IMPDEF (1u << 9)
#define SD_SEC_PXN (1u << 0)
#define SD_SEC_XN (1u << 4)
#define SD_SEC_AP_SHIFT 10          /* AP[1:0]; AP[2] is bit 15 */
#define SD_SEC_TEX_SHIFT 12
#define SD_SEC_AP2 (1u << 15)
#define SD_SEC_S (1u << 16)
#define SD_SEC_NG (1u << 17)
#define SD_SUPERSECTION (1u << 18)
#define SD_SEC_NS (1u << 19)
#define SD_PG_AP_SHIFT 4            /* AP[1:0]; AP[2] is bit 9 */
#define SD_PG_AP2 (1u << 9)
#define SD_PG_S (1u << 10)
#define SD_PG_NG (1u << 11)
#define SD_SMALL_XN (1u << 0)
#define SD_SMALL_TEX_SHIFT 6
#define SD_LARGE_TEX_SHIFT 12
#define SD_LARGE_XN (1u << 15)
#define SD_LARGE_SBZ 0x1c0u         /* bits 8..6 */
#define SD_L1_ENTRIES 4096u
#define SD_L1_BYTES 16384u
#define SD_L2_BYTES 1024u

/* pte.attr of a leaf: AP[2:0], XN, PXN (a section's own; pages inherit their pointer's). */
#define S_AP_MASK 7u
#define S_XN (1u << 3)
#define S_PXN (1u << 4)
/* pte.attr of a pointer, and the inherited state. */
#define S_INHERIT_PXN (1u << 0)

/*
 * TEX[1:0] = 01 with C = 1, B = 0: IMPLEMENTATION DEFINED without TEX
 * remap, unused by Linux with it.  The original rejects it, and results
 * depend on that heuristic (spec 3.4).
 */
static bool reserved_tex(uint32_t raw, unsigned tex_shift)
{
	return (raw >> tex_shift & 3) == 1 && (raw & SD_C) && !(raw & SD_B);
}

static void short_decode(const struct radix_shape *s, unsigned level, uint64_t raw64, struct pte *p)
{
	(void)s;
	uint32_t raw = (uint32_t)raw64;
	unsigned type = SD_TYPE(raw);
	if (type == SD_FAULT) {
		p->kind = PTE_EMPTY;
		return;
	}
	p->kind = PTE_INVALID;
	if (level == 0) {
		if (raw & SD_IMPDEF) {
			p->why = "IMPLEMENTATION DEFINED bit 9 set";
			return;
		}
		if (type == SD_L1_PTP) {
			p->kind = PTE_TABLE;
			p->addr = raw & 0xfffffc00u;
			p->attr = raw & SD_PTP_PXN ? S_INHERIT_PXN : 0;
			return;
		}
		if (reserved_tex(raw, SD_SEC_TEX_SHIFT)) {
			p->why = "reserved TEX/C/B";
			return;
		}
		p->kind = PTE_PAGE;
		if (raw & SD_SUPERSECTION) {
			/* PA[31:24] bits 31..24, PA[35:32] bits 23..20, PA[39:36] bits 8..5. */
			p->addr = (raw & 0xff000000u) | (uint64_t)bits_get(raw, 23, 20) << 32 |
				  (uint64_t)bits_get(raw, 8, 5) << 36;
			p->size = 16ULL << 20;
		} else {
			p->addr = raw & 0xfff00000u;
			p->size = 1ULL << 20;
		}
		p->attr = (uint32_t)(bits_get(raw, 11, SD_SEC_AP_SHIFT) | (raw & SD_SEC_AP2 ? 4 : 0)) |
			  (raw & SD_SEC_XN ? S_XN : 0) | (raw & SD_SEC_PXN ? S_PXN : 0);
	} else if (type == SD_L2_LARGE) {
		if (raw & SD_LARGE_SBZ) {
			p->why = "large page with bits 8..6 set";
			return;
		}
		if (reserved_tex(raw, SD_LARGE_TEX_SHIFT)) {
			p->why = "reserved TEX/C/B";
			return;
		}
		p->kind = PTE_PAGE;
		p->addr = raw & 0xffff0000u;
		p->size = 64ULL << 10;
		p->attr = (uint32_t)(bits_get(raw, 5, SD_PG_AP_SHIFT) | (raw & SD_PG_AP2 ? 4 : 0)) |
			  (raw & SD_LARGE_XN ? S_XN : 0);
	} else {
		if (reserved_tex(raw, SD_SMALL_TEX_SHIFT)) {
			p->why = "reserved TEX/C/B";
			return;
		}
		p->kind = PTE_PAGE;
		p->addr = raw & 0xfffff000u;
		p->size = 4096;
		p->attr = (uint32_t)(bits_get(raw, 5, SD_PG_AP_SHIFT) | (raw & SD_PG_AP2 ? 4 : 0)) |
			  (raw & SD_SMALL_XN ? S_XN : 0);
	}
	/* AP[1] = 1 means PL0 access in both permission models. */
	p->user = p->attr & 2;
}

static uint32_t short_descend(const struct radix_shape *s, uint32_t acc, const struct pte *t)
{
	(void)s;
	return acc | t->attr;
}

/*
 * Access by AP (B3.7.1): with SCTLR.AFE = 0 the 3-bit AP[2:0]; with
 * AFE = 1 AP[0] is the access flag and AP[2:1] alone decide.  Bits:
 * 1 PL1 read, 2 PL1 write, 4 PL0 read, 8 PL0 write.  Domains (DACR) are not
 * modelled.
 */
static unsigned short_access(const struct radix_shape *s, unsigned ap)
{
	static const uint8_t afe0[8] = {0x0, 0x3, 0x7, 0xf, 0x0, 0x1, 0x5, 0x5};
	static const uint8_t afe1[4] = {0x3, 0xf, 0x1, 0x5};
	return s->param[ARMT_AFE] ? afe1[ap >> 1] : afe0[ap];
}

static unsigned short_leaf_perms(const struct radix_shape *s, uint32_t acc, const struct pte *p)
{
	unsigned access = short_access(s, p->attr & S_AP_MASK), perms = 0;
	bool xn = p->attr & S_XN, pxn = (p->attr & S_PXN) || (acc & S_INHERIT_PXN);
	if (access & 1)
		perms |= PERM_KR | (access & 2 ? PERM_KW : 0) | (!xn && !pxn ? PERM_KX : 0);
	if (access & 4)
		perms |= PERM_UR | (access & 8 ? PERM_UW : 0) | (!xn ? PERM_UX : 0);
	return perms;
}

static void short_describe(const struct radix_shape *s, unsigned level, const struct pte *p, struct sbuf *out)
{
	(void)s;
	uint32_t r = (uint32_t)p->raw;
	if (p->kind == PTE_TABLE) {
		sbuf_printf(out, "PTP Domain=%u%s%s", (unsigned)bits_get(r, 8, 5), r & SD_PTP_NS ? " NS" : "",
			    r & SD_PTP_PXN ? " PXN" : "");
		return;
	}
	if (p->kind != PTE_PAGE)
		return;
	if (level == 0) {
		bool super = r & SD_SUPERSECTION;
		sbuf_printf(out, "%s AP=%u TEX=%u%s%s%s%s%s%s%s", super ? "SUPERSECTION" : "SECTION", p->attr & S_AP_MASK,
			    (unsigned)bits_get(r, 14, 12), r & SD_C ? " C" : "", r & SD_B ? " B" : "",
			    r & SD_SEC_S ? " S" : "", r & SD_SEC_NG ? " nG" : "", r & SD_SEC_NS ? " NS" : "",
			    r & SD_SEC_XN ? " XN" : "", r & SD_SEC_PXN ? " PXN" : "");
		if (!super)
			sbuf_printf(out, " Domain=%u", (unsigned)bits_get(r, 8, 5));
		return;
	}
	bool large = SD_TYPE(r) == SD_L2_LARGE;
	sbuf_printf(out, "%s AP=%u TEX=%u%s%s%s%s%s", large ? "LARGE" : "SMALL", p->attr & S_AP_MASK,
		    (unsigned)(large ? bits_get(r, 14, 12) : bits_get(r, 8, 6)), r & SD_C ? " C" : "",
		    r & SD_B ? " B" : "", r & SD_PG_S ? " S" : "", r & SD_PG_NG ? " nG" : "",
		    p->attr & S_XN ? " XN" : "");
}

/* ---- TTBCR and the tree shapes ------------------------------------------ */

#define TTBCR_N_MASK 7u
#define TTBCR_EAE (1ULL << 31)
#define TTBCR_T0SZ_SHIFT 0
#define TTBCR_T1SZ_SHIFT 16
#define TTBCR_TXSZ_MASK 7u
#define TTBCR_SHORT_RES0 0x7fffffc8ULL              /* bits 30..6 and 3 */
#define TTBCR_LONG_RES0 (0x78ULL | 0xc000ULL | 0x380000ULL)  /* bits 6..3, 15..14, 21..19 */
#define SCTLR_AFE (1ULL << 29)
#define LPAE_PA_BITS 40
#define LPAE_GRANULE 12

static const char *const ttbr0_names = "ttbr0,ttbr0_s,ttbr0_64,ttbr0_el1,ttbr0_el1_s";
static const char *const ttbr1_names = "ttbr1,ttbr1_s,ttbr1_64,ttbr1_el1,ttbr1_el1_s";

static void short_geometry(struct radix_shape *s, unsigned n, uint64_t afe)
{
	s->levels = 2;
	s->entry_size = 4;
	s->table_size[0] = SD_L1_BYTES >> n;
	s->table_size[1] = SD_L2_BYTES;
	s->va_shift[0] = 20;
	s->va_shift[1] = 12;
	s->va_bits = 32 - n;
	s->param[ARMT_FORMAT] = ARMT_SHORT;
	s->param[ARMT_AFE] = afe;
}

/*
 * LPAE tree of a TTBR with size field sz (B3.6.6): sz 0-1 starts at level 1
 * with 4 or 2 entries, sz 2-7 at level 2 with 2^(11-sz) entries.
 */
static void lpae_geometry(struct radix_shape *s, unsigned sz)
{
	ld_shape(s, LPAE_GRANULE, 32 - sz);
	s->param[ARMT_FORMAT] = ARMT_LPAE;
	s->param[ARMT_PA_BITS] = LPAE_PA_BITS;
}

static int arm_shapes(struct analysis *a, struct radix_shape *out, unsigned *n, struct err *e)
{
	uint64_t ttbcr, sctlr = 0, unknown, sunknown;
	const char *origin, *sorigin, *why;
	if (armt_register(a, "ttbcr", &ttbcr, &unknown, &origin, e))
		return -1;
	if ((why = armt_unusable(a, "ttbcr", ttbcr, unknown)))
		return err_set(e, "TTBCR 0x%llx (%s): %s", (unsigned long long)ttbcr, origin, why);
	bool eae = ttbcr & TTBCR_EAE;
	memset(out, 0, 2 * sizeof(*out));
	if (!eae) {
		if (ttbcr & TTBCR_SHORT_RES0)
			return err_set(e, "TTBCR 0x%llx (%s) has reserved bits set", (unsigned long long)ttbcr, origin);
		unsigned nsplit = (unsigned)(ttbcr & TTBCR_N_MASK);
		uint64_t afe = !registers_value_unknown(a, "sctlr", &sctlr, &sunknown, &sorigin, NULL) && (sctlr & SCTLR_AFE);
		if (!nsplit) {
			short_geometry(&out[0], 0, afe);
			out[0].name = "";
			out[0].root_register = ttbr0_names;
			*n = 1;
			return 0;
		}
		/* TTBR1 keeps a 16 KiB table whose entries below 2^(32-N) hardware never reads. */
		short_geometry(&out[0], 0, afe);
		out[0].name = "kernel";
		out[0].root_register = ttbr1_names;
		out[0].top_skip = SD_L1_ENTRIES >> nsplit;
		short_geometry(&out[1], nsplit, afe);
		out[1].name = "user";
		out[1].root_register = ttbr0_names;
		*n = 2;
		return 0;
	}
	if (ttbcr & TTBCR_LONG_RES0)
		return err_set(e, "TTBCR 0x%llx (%s) has reserved bits set", (unsigned long long)ttbcr, origin);
	unsigned t0sz = (unsigned)(ttbcr >> TTBCR_T0SZ_SHIFT & TTBCR_TXSZ_MASK);
	unsigned t1sz = (unsigned)(ttbcr >> TTBCR_T1SZ_SHIFT & TTBCR_TXSZ_MASK);
	if (!t0sz && !t1sz) {
		lpae_geometry(&out[0], 0);
		out[0].name = "";
		out[0].root_register = ttbr0_names;
		*n = 1;
		return 0;
	}
	/* B3.6.4: TTBR1 covers the top 2^(32-T1SZ) bytes, or with T1SZ = 0 all above TTBR0's. */
	struct radix_shape *k = &out[0], *u = &out[1];
	lpae_geometry(k, t1sz);
	k->name = "kernel";
	k->root_register = ttbr1_names;
	if (t1sz)
		k->va_upper = mask_bits(31, 32 - t1sz);
	else
		k->top_skip = (unsigned)((1ULL << (32 - t0sz)) >> k->va_shift[0]);
	lpae_geometry(u, t0sz);
	u->name = "user";
	u->root_register = ttbr0_names;
	if (!t0sz)
		u->va_limit = (1ULL << 32) - (1ULL << (32 - t1sz));
	*n = 2;
	return 0;
}

/* Short: TTBR bits 31..14-N (the table's alignment); long: BADDR bits 39..x, x = log2 of the table. */
static bool arm_root_of(const struct radix_shape *s, uint64_t ttbr, uint64_t *root)
{
	unsigned x = (unsigned)log2_u64(s->table_size[0]);
	if (s->param[ARMT_FORMAT] == ARMT_SHORT)
		*root = ttbr & mask_bits(31, x);
	else
		*root = ttbr & mask_bits(LPAE_PA_BITS - 1, x);
	return true;
}

static void arm_decode(const struct radix_shape *s, unsigned level, uint64_t raw, struct pte *p)
{
	if (s->param[ARMT_FORMAT] == ARMT_SHORT)
		short_decode(s, level, raw, p);
	else
		ld_decode(s, level, raw, p);
}

static uint32_t arm_descend(const struct radix_shape *s, uint32_t acc, const struct pte *t)
{
	return s->param[ARMT_FORMAT] == ARMT_SHORT ? short_descend(s, acc, t) : ld_descend(s, acc, t);
}

static unsigned arm_leaf_perms(const struct radix_shape *s, uint32_t acc, const struct pte *p)
{
	return s->param[ARMT_FORMAT] == ARMT_SHORT ? short_leaf_perms(s, acc, p) : ld_leaf_perms(s, acc, p);
}

static void arm_describe(const struct radix_shape *s, unsigned level, const struct pte *p, struct sbuf *out)
{
	if (s->param[ARMT_FORMAT] == ARMT_SHORT)
		short_describe(s, level, p, out);
	else
		ld_describe(s, level, p, out);
}

const struct radix_ops arm_radix = {
	.shapes = arm_shapes,
	.decode = arm_decode,
	.root_attr = 0,
	.descend = arm_descend,
	.leaf_perms = arm_leaf_perms,
	.root_of = arm_root_of,
	.describe = arm_describe,
	.select = armt_select,
};

/* ---- root selection ------------------------------------------------------ */

/*
 * What a candidate tree maps: effective permissions, and the code sites
 * find_registers_values located.  A kernel tree maps kernel code; a
 * process maps user code and always memory it may write (its stack);
 * trees without are kernel-only (swapper, stale page directories of
 * exited processes, identity maps).
 */
enum {
	SUM_KX = 1u << 0,          /* a page the kernel may execute */
	SUM_UX = 1u << 1,          /* a page user code may execute */
	SUM_UW = 1u << 2,          /* a user-writable page */
	SUM_SITE_FAULT = 1u << 3,  /* code reading the fault registers: DFSR/IFSR, ESR/FAR/ELR_EL1 */
	SUM_SITE_MMU = 1u << 4,    /* code writing TTBR0/TTBR1/TTBCR/TCR */
	SUM_SITE_ERET = 1u << 5,   /* an exception return */
	SUM_SITE_BRANCH = 1u << 6, /* an indirect branch or call (BR/BLR) */
	SUM_ALL = (1u << 7) - 1,
};

static const char *const fault_regs[] = {"dfsr", "ifsr", "esr_el1", "far_el1", "elr_el1", "elr_el12", NULL};
static const char *const mmu_regs[] = {"ttbr0", "ttbr1", "ttbcr", "tcr_el1", "tcr_el12", "ttbr0_el1",
				       "ttbr0_el12", "ttbr1_el1", "ttbr1_el12", NULL};

/* perm: who runs that code (system register accesses and ERET are privileged, the branches user code's). */
static const struct site_class {
	unsigned bit, kinds, perm;
	const char *const *names;
	const char *what;
} site_classes[] = {
	{SUM_SITE_FAULT, 1u << RR_READ | 1u << RR_READ64, PERM_KX, fault_regs, "fault-register reads"},
	{SUM_SITE_MMU, 1u << RR_WRITE | 1u << RR_WRITE64, PERM_KX, mmu_regs, "MMU register writes"},
	{SUM_SITE_ERET, 1u << RR_ERET, PERM_KX, NULL, "ERET"},
	{SUM_SITE_BRANCH, 1u << RR_BR | 1u << RR_BLR, PERM_UX, NULL, "BR/BLR"},
};

struct summary_ctx {
	const struct reg_results *regs;   /* NULL: find_registers_values has not run */
	unsigned site_classes;            /* classes with a site somewhere in RAM */
};

/*
 * A code site counts only in a page the tree lets its code run from: the
 * kernel for privileged instructions, user code for the branches.  A
 * stray word with a site's bit pattern in data (the linear map, a heap, a
 * library's read-only data) is not that code.
 */
static unsigned leaf_summary(void *ctx, uint64_t pa, uint64_t len, unsigned perms)
{
	const struct summary_ctx *c = ctx;
	unsigned b = (perms & PERM_KX ? SUM_KX : 0) | (perms & PERM_UX ? SUM_UX : 0) | (perms & PERM_UW ? SUM_UW : 0);
	if (!(perms & (PERM_KX | PERM_UX)))
		return b;
	for (size_t i = 0; i < ARRAY_LEN(site_classes); i++)
		if ((c->site_classes & site_classes[i].bit) && (perms & site_classes[i].perm) &&
		    regrec_has_site(c->regs, pa, pa + len - 1, site_classes[i].kinds, site_classes[i].names))
			b |= site_classes[i].bit;
	return b;
}

/* Site classes with at least one site: a class the scan never saw filters nothing. */
static void summary_init(const struct analysis *a, struct summary_ctx *c)
{
	c->regs = a->regs && a->regs->found ? a->regs : NULL;
	c->site_classes = 0;
	for (size_t i = 0; c->regs && i < ARRAY_LEN(site_classes); i++)
		if (regrec_has_site(c->regs, 0, UINT64_MAX, site_classes[i].kinds, site_classes[i].names))
			c->site_classes |= site_classes[i].bit;
}

enum tree_kind { KIND_ALL, KIND_KERNEL, KIND_USER };

static enum tree_kind kind_of(const struct radix_shape *s)
{
	if (!strcmp(s->name, "kernel"))
		return KIND_KERNEL;
	return !strcmp(s->name, "user") ? KIND_USER : KIND_ALL;
}

/*
 * The code sites a tree of a kind must map (spec 3.9, 5.10): ARM kernel
 * code reading the fault status registers, and with a split the code
 * writing TTBR0/TTBCR; AArch64 kernel trees the MMU register writes and an
 * exception return, user trees an indirect branch.
 */
static unsigned sites_needed(const struct radix_shape *s, enum tree_kind kind)
{
	if (s->param[ARMT_FORMAT] == ARMT_AARCH64)
		return kind == KIND_USER ? SUM_SITE_BRANCH : SUM_SITE_MMU | SUM_SITE_ERET;
	if (kind == KIND_USER)
		return 0;
	return SUM_SITE_FAULT | (kind == KIND_KERNEL ? SUM_SITE_MMU : 0);
}

/*
 * Long descriptors: the pointers of a root table have their IGNORED bits
 * 11..2 clear, as every OS writes them.  Tiny LPAE top tables (4 entries)
 * make any 32 bytes holding one stray word like "address | 0x80f" a
 * candidate root borrowing a real process's tables.
 */
static bool root_pointers_clean(const struct analysis *a, const struct radix_space *sp, uint64_t root)
{
	if (sp->shape.param[ARMT_FORMAT] == ARMT_SHORT)
		return true;
	for (uint64_t i = sp->shape.top_skip; i < radix_root_end(sp); i++) {
		uint64_t raw;
		struct pte p;
		if (!radix_read_entry(a, sp, root, i, &raw))
			return false;
		radix_decode(a, sp, 0, raw, &p);
		if (p.kind == PTE_TABLE && (raw & mask_bits(11, 2)))
			return false;
	}
	return true;
}

/*
 * What the root table holds, for the tests that stand in for user code:
 * whether it points to a next-level table (a process's memory is mapped
 * through page tables, while a handful of stray words in a tiny TTBR0
 * table, TTBCR.N up to 7: 32 entries, readily pass as sections), and how
 * many leaves it has.
 */
struct root_content {
	bool pointer;          /* to a candidate next-level table */
	unsigned leaves;
};

static struct root_content root_content(const struct analysis *a, const struct radix_space *sp, uint64_t root)
{
	struct root_content rc = {sp->shape.levels < 2, 0};
	for (uint64_t i = sp->shape.top_skip; i < radix_root_end(sp) && !rc.pointer; i++) {
		uint64_t raw;
		struct pte p;
		if (!radix_read_entry(a, sp, root, i, &raw))
			break;
		radix_decode(a, sp, 0, raw, &p);
		if (p.kind == PTE_TABLE && sp->shape.levels > 1 && radix_is_candidate(sp, p.addr, 1))
			rc.pointer = true;
		rc.leaves += p.kind == PTE_PAGE;
	}
	return rc;
}

/*
 * Evidence that a root table is one: a next-level table, or more than one
 * leaf.  A tiny LPAE top table (2 or 4 entries) is any 16 or 32 bytes of
 * RAM, and one stray word there is a 1 GiB block that maps all of RAM,
 * kernel code and data pages included; a page of zeros with one such word
 * passes as a level-2 table.  Kernels map themselves through tables or
 * with many blocks.  (A whole short-descriptor first-level table is
 * 16 KiB: one section in four zero pages is no such accident.  A TTBR0
 * table with TTBCR.N > 0 is smaller, down to 32 entries, and needs the
 * evidence.)  rc: the root's content when the caller has it, else NULL.
 */
static bool root_has_substance(const struct analysis *a, const struct radix_space *sp, uint64_t root,
			       const struct root_content *rc)
{
	if (sp->shape.param[ARMT_FORMAT] == ARMT_SHORT && sp->shape.table_size[0] == SD_L1_BYTES)
		return true;
	struct root_content own;
	if (!rc) {
		own = root_content(a, sp, root);
		rc = &own;
	}
	return rc->pointer || rc->leaves > 1;
}

/*
 * A tree mapping every page at the VA equal to its physical address (the
 * low va_bits of it) is an identity map, which only TTBR0's low range can
 * give (Linux idmap_pg_dir).
 */
#define IDENTITY_MAX_ENTRIES (1u << 20)

static bool identity_map(const struct analysis *a, const struct radix_space *sp, uint64_t root)
{
	struct vas v;
	uint64_t low = sp->shape.va_bits < 64 ? (1ULL << sp->shape.va_bits) - 1 : UINT64_MAX;
	bool same = true;
	/* Linux's identity map is a few tables: a bounded look (a tree sharing tables everywhere is not one). */
	radix_vas_bounded(a, sp, root, IDENTITY_MAX_ENTRIES, &v);
	for (size_t i = 0; i < v.n && same; i++)
		same = (v.r[i].va & low) == v.r[i].pa;
	same &= v.n > 0 && !v.truncated;
	vas_free(&v);
	return same;
}

/* The roots the kernel space kept, sorted: armt_select selects the kernel space's trees first. */
struct kernel_roots {
	uint64_t *v;
	size_t n, cap;
};

/* A root the kernel search kept: its table read as a TTBR0 one may look like an identity map. */
static bool kernel_root(const struct kernel_roots *k, uint64_t root)
{
	return k->n && bsearch(&root, k->v, k->n, sizeof(*k->v), cmp_u64_asc);
}

/*
 * The tests of a tree's kind other than the code sites.  The identity-map
 * exception of user trees takes a real identity map (tables, or several
 * blocks), not a kernel root whose first entries happen to map VA = PA.
 */
static bool keep_tree(const struct analysis *a, const struct radix_space *sp, enum tree_kind kind, uint64_t root,
		      unsigned b, const struct kernel_roots *kroots)
{
	if (kind == KIND_USER) {
		struct root_content rc = root_content(a, sp, root);
		if ((b & SUM_UX) && rc.pointer)
			return true;
		return root_has_substance(a, sp, root, &rc) && !kernel_root(kroots, root) && identity_map(a, sp, root);
	}
	if (!root_has_substance(a, sp, root, NULL))
		return false;
	if (kind == KIND_KERNEL)
		return (b & SUM_KX) && !(b & SUM_UW) && !identity_map(a, sp, root);
	return b & SUM_KX;
}

struct passed {
	uint64_t root;
	unsigned b;
	uint64_t kernel_bytes, user_bytes;
};

static void note_classes(struct sbuf *n, const char *kind, unsigned classes, const char *why)
{
	sbuf_printf(n, "%s%s trees: ", n->len ? "; " : "", kind);
	bool first = true;
	for (size_t i = 0; i < ARRAY_LEN(site_classes); i++)
		if (classes & site_classes[i].bit) {
			sbuf_printf(n, "%s%s", first ? "" : ", ", site_classes[i].what);
			first = false;
		}
	sbuf_printf(n, " %s", why);
}

/*
 * Which code-site filters a kind's trees must pass.  A site class counts
 * as evidence only when some tree of the kind that passes every other test
 * maps one of its sites in executable memory: otherwise the sites are
 * stray words (in data, in free memory) and the filter would drop the real
 * trees for them.  And a filter never drops every tree of a kind: when it
 * would, it is left off and the note says so.
 */
static unsigned sites_applied(const struct passed *v, size_t n, unsigned need, const char *kind, struct sbuf *note)
{
	unsigned have = 0;
	for (size_t i = 0; i < n; i++)
		have |= v[i].b;
	unsigned apply = need & have;
	if (n && (need & ~have))
		note_classes(note, kind, need & ~have, "in no page a candidate executes them from: filter off");
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		kept += (v[i].b & apply) == apply;
	if (n && !kept) {
		note_classes(note, kind, apply, "mapped by none of the candidates that pass the other tests: filter off");
		apply = 0;
	}
	return apply;
}

/* Selects the trees of space si; a kernel space's kept roots go into kroots as well. */
static void select_space(struct analysis *a, unsigned si, struct summary_ctx *ctx, struct sbuf *note,
			 struct kernel_roots *kroots)
{
	struct radix_state *r = a->radix;
	struct radix_space *sp = &r->space[si];
	enum tree_kind kind = kind_of(&sp->shape);
	const char *label = *sp->shape.name ? sp->shape.name : "all";
	unsigned need = sites_needed(&sp->shape, kind) & ctx->site_classes;
	struct radix_sumq q;
	struct passed *v = NULL;
	size_t n = 0, cap = 0;
	radix_sumq_init(&q, leaf_summary, ctx, SUM_ALL);
	for (size_t i = 0; i < sp->ncand; i++) {
		if (!(sp->cand_levels[i] & 1))
			continue;
		uint64_t root = sp->cand_addr[i];
		if (radix_root_problem(a, sp, root))
			continue;
		const struct radix_check *c = radix_check(a, sp, root, 0);
		if (!c->maps_data || !root_pointers_clean(a, sp, root))
			continue;
		unsigned b = radix_sumq_tree(a, sp, &q, root);
		bool keep = keep_tree(a, sp, kind, root, b, kroots);
		if (a->debug)
			fprintf(stderr, "find_radix_trees: %s 0x%llx: summary 0x%x: %s\n", label,
				(unsigned long long)root, b, keep ? "passes" : "dropped");
		if (keep)
			VEC_PUSH(v, n, cap, ((struct passed){root, b, c->kernel_bytes, c->user_bytes}));
	}
	radix_sumq_free(&q);
	unsigned apply = sites_applied(v, n, need, label, note);
	if (a->debug)
		fprintf(stderr, "find_radix_trees: %s: sites needed 0x%x, applied 0x%x\n", label, need, apply);
	for (size_t i = 0; i < n; i++) {
		if ((v[i].b & apply) != apply)
			continue;
		struct radix_tree t = {.root = v[i].root, .space = si, .kernel_bytes = v[i].kernel_bytes,
				       .user_bytes = v[i].user_bytes};
		if (!(v[i].b & SUM_UW))
			t.flags |= RADIX_TREE_KERNEL_ONLY;
		radix_add_tree(r, &t);
		if (kind == KIND_KERNEL)
			VEC_PUSH(kroots->v, kroots->n, kroots->cap, v[i].root);
	}
	free(v);
}

/*
 * The kernel space goes first: the user space's identity-map test asks
 * whether a root is one the kernel space kept (both shape functions list
 * the kernel space first, so the trees keep their order).
 */
int armt_select(struct analysis *a, struct err *e)
{
	struct radix_state *r = a->radix;
	struct summary_ctx ctx;
	struct sbuf note = {0};
	struct kernel_roots kroots = {0};
	int rc = 0;
	summary_init(a, &ctx);
	for (int kernel_pass = 1; kernel_pass >= 0 && !rc; kernel_pass--) {
		for (unsigned si = 0; si < r->nspaces && !rc; si++) {
			if ((kind_of(&r->space[si].shape) == KIND_KERNEL) != kernel_pass)
				continue;
			select_space(a, si, &ctx, &note, &kroots);
			if (progress_cancelled(&a->progress))
				rc = err_set(e, "cancelled");
		}
		kroots.n = sort_unique_u64(kroots.v, kroots.n);
	}
	if (!rc && note.len)
		snprintf(r->filter_note, sizeof(r->filter_note), "Code-site filters: %s", note.s);
	sbuf_free(&note);
	free(kroots.v);
	return rc;
}
