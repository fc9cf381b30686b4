/*
 * gen-arm: ARMv7-A short descriptors (TTBCR.N = 0 or a TTBR0/TTBR1 split)
 * and long descriptors (LPAE, T0SZ/T1SZ).  ARM DDI 0406C, B3.5 and B3.6.
 */
#include "autoconfig.h"

#include "gen.h"
#include "insn.h"

#include <inttypes.h>
#include <string.h>

enum { MODE_SHORT, MODE_LONG };

static const struct mkdump_mode arm_modes[] = {
	{"short", 32},
	{"long", 32},
};

#define LEAF(s) (1ULL << (s))
#define KERNEL_VA 0xc0000000ULL         /* PAGE_OFFSET of a 3G/1G split */
#define TTB_ATTRS 0x6aULL               /* TTBR walk attributes Linux uses (IRGN, S, RGN, NOS) */

/* Geometries depend on TTBCR, so they live here, filled by the setup. */
struct arm_state {
	struct tree_geom user, kernel;
	unsigned n, t0sz, t1sz;
	uint32_t ttbcr;
};

/* ---- short descriptors ---- */

#define SD_TYPE_MASK 3ULL
#define SD_PTP 1ULL
#define SD_SECTION 2ULL
#define SD_PXN (1ULL << 0)              /* sections: bit 0; page-table pointers: bit 2 */
#define SD_PTP_PXN (1ULL << 2)
#define SD_PTP_BIT4 (1ULL << 4)         /* SBZ, yet Linux sets it */
#define SD_B (1ULL << 2)
#define SD_C (1ULL << 3)
#define SD_SEC_XN (1ULL << 4)
#define SD_DOMAIN_SHIFT 5
#define SD_IMPDEF (1ULL << 9)
#define SD_SEC_AP_SHIFT 10
#define SD_SEC_TEX_SHIFT 12
#define SD_SEC_AP2 (1ULL << 15)
#define SD_SEC_S (1ULL << 16)
#define SD_SEC_NG (1ULL << 17)
#define SD_SUPER (1ULL << 18)
#define SD_SMALL_XN (1ULL << 0)
#define SD_SMALL (1ULL << 1)
#define SD_PG_AP_SHIFT 4
#define SD_SMALL_TEX_SHIFT 6
#define SD_PG_AP2 (1ULL << 9)
#define SD_PG_S (1ULL << 10)
#define SD_PG_NG (1ULL << 11)
#define SD_LARGE_TEX_SHIFT 12
#define SD_LARGE_XN (1ULL << 15)
#define DOMAIN_KERNEL 0
#define DOMAIN_USER 1

static bool is_short(const struct gen *g)
{
	return g->mode == MODE_SHORT;
}

/* AP[2:0] for the access asked (SCTLR.AFE = 0): user pages give the kernel the same or more. */
static unsigned short_ap(unsigned attr)
{
	if (attr & MA_USER)
		return attr & MA_WRITE ? 3 : 7;
	return attr & MA_WRITE ? 1 : 5;
}

/* TEX/C/B: normal memory write-back (TEX 001, C, B) or shared device (B). */
static uint64_t short_memtype(unsigned attr, unsigned tex_shift)
{
	return attr & MA_DEVICE ? SD_B : (1ULL << tex_shift) | SD_C | SD_B;
}

static uint64_t short_table_entry(unsigned attr, unsigned tflags, uint64_t pa)
{
	uint64_t e = SD_PTP | SD_PTP_BIT4 | (pa & 0xfffffc00ULL);
	e |= (uint64_t)(attr & MA_USER ? DOMAIN_USER : DOMAIN_KERNEL) << SD_DOMAIN_SHIFT;
	if (tflags & TF_NO_KEXEC)
		e |= SD_PTP_PXN;
	return e;
}

static uint64_t short_section(uint64_t pa, unsigned page_shift, unsigned attr)
{
	unsigned ap = short_ap(attr);
	uint64_t e = SD_SECTION | short_memtype(attr, SD_SEC_TEX_SHIFT) | (uint64_t)(ap & 3) << SD_SEC_AP_SHIFT;
	if (ap & 4)
		e |= SD_SEC_AP2;
	if (!(attr & MA_DEVICE))
		e |= SD_SEC_S;
	if (attr & MA_USER)
		e |= SD_SEC_NG | SD_PXN;
	if (!(attr & MA_EXEC))
		e |= SD_SEC_XN | SD_PXN;
	if (page_shift == 24)
		return e | SD_SUPER | (pa & 0xff000000ULL) | ((pa >> 32) & 0xf) << 20 | ((pa >> 36) & 0xf) << 5;
	return e | (uint64_t)(attr & MA_USER ? DOMAIN_USER : DOMAIN_KERNEL) << SD_DOMAIN_SHIFT | (pa & 0xfff00000ULL);
}

static uint64_t short_page(uint64_t pa, unsigned page_shift, unsigned attr)
{
	unsigned ap = short_ap(attr);
	uint64_t e = (uint64_t)(ap & 3) << SD_PG_AP_SHIFT | (ap & 4 ? SD_PG_AP2 : 0);
	if (!(attr & MA_DEVICE))
		e |= SD_PG_S;
	if (attr & MA_USER)
		e |= SD_PG_NG;
	if (page_shift == 16)
		return e | SD_PTP | short_memtype(attr, SD_LARGE_TEX_SHIFT) | (attr & MA_EXEC ? 0 : SD_LARGE_XN) |
		       (pa & 0xffff0000ULL);
	return e | SD_SMALL | short_memtype(attr, SD_SMALL_TEX_SHIFT) | (attr & MA_EXEC ? 0 : SD_SMALL_XN) |
	       (pa & 0xfffff000ULL);
}

static void short_decode(unsigned level, uint64_t raw, struct entry_info *out)
{
	uint64_t type = raw & SD_TYPE_MASK;
	memset(out, 0, sizeof(*out));
	if (!type)
		return;
	if (level == 0 && type == SD_PTP) {
		out->kind = ENT_TABLE;
		out->addr = raw & 0xfffffc00ULL;
		return;
	}
	out->kind = ENT_LEAF;
	if (level == 0 && (raw & SD_SUPER)) {
		out->page_shift = 24;
		out->addr = (raw & 0xff000000ULL) | ((raw >> 20) & 0xf) << 32 | ((raw >> 5) & 0xf) << 36;
	} else if (level == 0) {
		out->page_shift = 20;
		out->addr = raw & 0xfff00000ULL;
	} else if (type == SD_PTP) {
		out->page_shift = 16;
		out->addr = raw & 0xffff0000ULL;
	} else {
		out->page_shift = 12;
		out->addr = raw & 0xfffff000ULL;
	}
}

/* Access by AP[2:0] with SCTLR.AFE = 0: bit 0 kernel read, 1 kernel write, 2 user read, 3 user write. */
static const uint8_t short_access[8] = {0x0, 0x3, 0x7, 0xf, 0x0, 0x1, 0x5, 0x5};

static unsigned short_perms(unsigned level, uint64_t raw, unsigned tflags)
{
	bool page = level == 1, large = page && (raw & SD_TYPE_MASK) == SD_PTP;
	unsigned ap = page ? (unsigned)((raw >> SD_PG_AP_SHIFT) & 3) | (raw & SD_PG_AP2 ? 4 : 0)
			   : (unsigned)((raw >> SD_SEC_AP_SHIFT) & 3) | (raw & SD_SEC_AP2 ? 4 : 0);
	bool xn = page ? (raw & (large ? SD_LARGE_XN : SD_SMALL_XN)) != 0 : (raw & SD_SEC_XN) != 0;
	bool pxn = page ? (tflags & TF_NO_KEXEC) != 0 : (raw & SD_PXN) != 0;
	unsigned acc = short_access[ap], p = 0;
	if (acc & 1)
		p |= PERM_KR | (acc & 2 ? PERM_KW : 0) | (!xn && !pxn ? PERM_KX : 0);
	if (acc & 4)
		p |= PERM_UR | (acc & 8 ? PERM_UW : 0) | (!xn ? PERM_UX : 0);
	return p;
}

/* ---- long descriptors (LPAE), also the AArch64 4 KiB format with a 40-bit address ---- */

#define LD_VALID 1ULL
#define LD_TABLE 3ULL
#define LD_BLOCK 1ULL
#define LD_ATTRIDX_SHIFT 2
#define LD_AP_RO (1ULL << 7)            /* AP[2] */
#define LD_AP_USER (1ULL << 6)          /* AP[1] */
#define LD_SH_INNER (3ULL << 8)
#define LD_AF (1ULL << 10)
#define LD_NG (1ULL << 11)
#define LD_PXN (1ULL << 53)
#define LD_XN (1ULL << 54)
#define LD_PXNTABLE (1ULL << 59)
#define LD_XNTABLE (1ULL << 60)
#define LD_APT_NOUSER (1ULL << 61)
#define LD_APT_NOWRITE (1ULL << 62)
#define LD_RESERVED_BIT 45              /* bits 51..40 must be zero with a 40-bit address */
#define LD_ATTR_NORMAL 4
#define LD_ATTR_DEVICE 1
#define TTBCR_EAE (1ULL << 31)
#define TTBCR_WALK_ATTRS 0x35003500ULL  /* IRGN, ORGN write-back, inner shareable, both halves */

static uint64_t lpae_addr(uint64_t raw, unsigned shift)
{
	return raw & mask_bits(39, shift);
}

static uint64_t long_table_entry(unsigned attr, unsigned tflags, uint64_t pa)
{
	uint64_t e = LD_TABLE | lpae_addr(pa, 12);
	/* Linux marks user tables PXNTable: the kernel never runs user code. */
	if ((attr & MA_USER) || (tflags & TF_NO_KEXEC))
		e |= LD_PXNTABLE;
	if (tflags & TF_NO_UEXEC)
		e |= LD_XNTABLE;
	if (tflags & TF_NO_USER)
		e |= LD_APT_NOUSER;
	if (tflags & TF_NO_WRITE)
		e |= LD_APT_NOWRITE;
	return e;
}

static uint64_t long_leaf_entry(bool last, uint64_t pa, unsigned page_shift, unsigned attr)
{
	uint64_t e = (last ? LD_TABLE : LD_BLOCK) | LD_AF | lpae_addr(pa, page_shift);
	e |= (uint64_t)(attr & MA_DEVICE ? LD_ATTR_DEVICE : LD_ATTR_NORMAL) << LD_ATTRIDX_SHIFT;
	if (!(attr & MA_DEVICE))
		e |= LD_SH_INNER;
	if (!(attr & MA_WRITE))
		e |= LD_AP_RO;
	if (attr & MA_USER)
		e |= LD_AP_USER | LD_NG | LD_PXN;
	if (!(attr & MA_EXEC))
		e |= LD_XN | LD_PXN;
	return e;
}

static void long_decode(const struct tree_geom *t, unsigned level, uint64_t raw, struct entry_info *out)
{
	memset(out, 0, sizeof(*out));
	if (!(raw & LD_VALID))
		return;
	bool last = level + 1 == t->levels, table_bit = (raw & LD_TABLE) == LD_TABLE;
	if (last && !table_bit)
		return;     /* reserved encoding at the last level: a fault */
	if (!last && table_bit) {
		out->kind = ENT_TABLE;
		out->addr = lpae_addr(raw, 12);
		return;
	}
	out->kind = ENT_LEAF;
	out->page_shift = t->lv[level].shift;
	out->addr = lpae_addr(raw, out->page_shift);
}

static unsigned long_restrictions(uint64_t raw)
{
	return (raw & LD_APT_NOUSER ? TF_NO_USER : 0) | (raw & LD_APT_NOWRITE ? TF_NO_WRITE : 0) |
	       (raw & LD_XNTABLE ? TF_NO_UEXEC | TF_NO_KEXEC : 0) | (raw & LD_PXNTABLE ? TF_NO_KEXEC : 0);
}

/* AP[2:1] and APTable as in VMSAv8-64; XN stops both levels, PXN the kernel's. */
static unsigned long_perms(uint64_t raw, unsigned tflags)
{
	bool user = (raw & LD_AP_USER) && !(tflags & TF_NO_USER);
	bool write = !(raw & LD_AP_RO) && !(tflags & TF_NO_WRITE);
	bool xn = (raw & LD_XN) != 0;
	unsigned p = PERM_KR | (write ? PERM_KW : 0);
	if (!xn && !(raw & LD_PXN) && !(tflags & TF_NO_KEXEC))
		p |= PERM_KX;
	if (user)
		p |= PERM_UR | (write ? PERM_UW : 0) | (!xn && !(tflags & TF_NO_UEXEC) ? PERM_UX : 0);
	return p;
}

/* ---- radix ops: one table for both formats ---- */

static uint64_t arm_table_entry(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t pa,
				unsigned attr, unsigned tflags)
{
	(void)t, (void)level;
	return is_short(g) ? short_table_entry(attr, tflags, pa) : long_table_entry(attr, tflags, pa);
}

static uint64_t arm_leaf_entry(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t pa,
			       unsigned page_shift, unsigned attr)
{
	if (!is_short(g))
		return long_leaf_entry(level + 1 == t->levels, pa, page_shift, attr);
	return level == 0 ? short_section(pa, page_shift, attr) : short_page(pa, page_shift, attr);
}

static void arm_decode(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
		       struct entry_info *out)
{
	if (is_short(g))
		short_decode(level, raw, out);
	else
		long_decode(t, level, raw, out);
}

static unsigned arm_table_restrictions(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw)
{
	(void)t, (void)level;
	if (is_short(g))
		return raw & SD_PTP_PXN ? TF_NO_KEXEC : 0;
	return long_restrictions(raw);
}

static unsigned arm_leaf_perms(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
			       unsigned tflags)
{
	(void)t;
	return is_short(g) ? short_perms(level, raw, tflags) : long_perms(raw, tflags);
}

/* Short: the IMPLEMENTATION DEFINED bit 9 (no OS sets it); long: an output address bit above 39. */
static uint64_t arm_corrupt(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
			    struct rng *r)
{
	(void)t, (void)level, (void)r;
	return is_short(g) ? raw | SD_IMPDEF : raw | 1ULL << LD_RESERVED_BIT;
}

static uint64_t arm_root_register(struct gen *g, const struct gtree *tree)
{
	if (is_short(g))
		return tree->root | TTB_ATTRS;
	uint64_t asid = tree->process >= 0 ? ((uint64_t)tree->process + 1) & 0xff : 0;
	return tree->root | asid << 48;
}

static const struct radix_ops arm_radix = {
	.table_entry = arm_table_entry,
	.leaf_entry = arm_leaf_entry,
	.decode = arm_decode,
	.table_restrictions = arm_table_restrictions,
	.leaf_perms = arm_leaf_perms,
	.corrupt = arm_corrupt,
	.root_register = arm_root_register,
};

/* ---- setup ---- */

static void short_geom(struct tree_geom *t, const char *name, unsigned n, uint64_t first, uint64_t last)
{
	*t = (struct tree_geom){name, 2, 4, 16384u >> n, first, last, 0,
				{{20, 4096u >> n, LEAF(20) | LEAF(24)}, {12, 256, LEAF(12) | LEAF(16)}}};
}

/* LPAE tree for a TTBR whose size field is s: 3 levels from level 1, or 2 from level 2. */
static void long_geom(struct tree_geom *t, const char *name, unsigned s, uint64_t first, uint64_t last)
{
	if (s < 2)
		*t = (struct tree_geom){name, 3, 8, 8u << (2 - s), first, last, 0,
					{{30, 1u << (2 - s), LEAF(30)}, {21, 512, LEAF(21)}, {12, 512, LEAF(12)}}};
	else
		*t = (struct tree_geom){name, 2, 8, 8u << (11 - s), first, last, 0,
					{{21, 1u << (11 - s), LEAF(21)}, {12, 512, LEAF(12)}}};
}

static void arm_common(struct gen *g, struct arm_state *st, uint64_t user_end, uint64_t kernel_first)
{
	g->user_geom = &st->user;
	g->kernel_geom = g->split ? &st->kernel : &st->user;
	g->user_first = 0;
	g->user_end = MMU_MIN(user_end, KERNEL_VA);
	g->kernel_first = MMU_MAX(kernel_first, KERNEL_VA);
	g->kernel_last = 0xffffffffULL;
}

static int setup_short(struct gen *g, struct arm_state *st, struct err *e)
{
	if (gen_check_options(g, OPT_TTBCR_N, e))
		return -1;
	if (g->o->ttbcr_n > 7)
		return err_set(e, "--ttbcr-n must be from 0 to 7 (got %d)", g->o->ttbcr_n);
	st->n = g->o->ttbcr_n > 0 ? (unsigned)g->o->ttbcr_n : 0;
	uint64_t split = st->n ? 1ULL << (32 - st->n) : 1ULL << 32;
	g->split = st->n != 0;
	g->device_page = 16ULL << 20;   /* a supersection */
	g->table_flags = TF_NO_KEXEC;
	if (g->split) {
		short_geom(&st->user, "user", st->n, 0, split - 1);
		short_geom(&st->kernel, "kernel", 0, split, 0xffffffffULL);
	} else {
		short_geom(&st->user, "unified", 0, 0, 0xffffffffULL);
	}
	arm_common(g, st, split, g->split ? split : KERNEL_VA);
	g->user_reg = "ttbr0";
	g->kernel_reg = g->split ? "ttbr1" : "ttbr0";
	st->ttbcr = st->n;
	gen_add_register(g, "ttbcr", st->n, 0.02, 59.9, 3);
	return 0;
}

static int check_size_field(const char *name, int v, struct err *e)
{
	if (v > 7)
		return err_set(e, "--%s must be from 0 to 7 for arm long (got %d)", name, v);
	return 0;
}

/* TTBR0 covers [0, lo), TTBR1 [hi, 4 GiB) (ARM DDI 0406C, B3.6.4). */
static int setup_long(struct gen *g, struct arm_state *st, struct err *e)
{
	if (gen_check_options(g, OPT_TXSZ, e) || check_size_field("t0sz", g->o->t0sz, e) ||
	    check_size_field("t1sz", g->o->t1sz, e))
		return -1;
	/* Linux with a 3G/1G split: T0SZ 0, T1SZ 2 (TTBR1 starts at level 2). */
	st->t0sz = g->o->t0sz >= 0 ? (unsigned)g->o->t0sz : 0;
	st->t1sz = g->o->t1sz >= 0 ? (unsigned)g->o->t1sz : 2;
	g->split = st->t0sz || st->t1sz;
	g->device_page = 1ULL << 30;
	g->table_flags = TF_NO_USER | TF_NO_WRITE | TF_NO_UEXEC | TF_NO_KEXEC;
	uint64_t lo = 1ULL << 32, hi = 1ULL << 32;
	if (st->t0sz)
		lo = hi = 1ULL << (32 - st->t0sz);
	if (st->t1sz) {
		hi = (1ULL << 32) - (1ULL << (32 - st->t1sz));
		if (!st->t0sz)
			lo = hi;
	}
	if (g->split) {
		long_geom(&st->user, "user", st->t0sz, 0, lo - 1);
		long_geom(&st->kernel, "kernel", st->t1sz, hi, 0xffffffffULL);
	} else {
		long_geom(&st->user, "unified", 0, 0, 0xffffffffULL);
	}
	arm_common(g, st, lo, g->split ? hi : KERNEL_VA);
	g->user_reg = "ttbr0";
	g->kernel_reg = g->split ? "ttbr1" : "ttbr0";
	uint64_t ttbcr = TTBCR_EAE | TTBCR_WALK_ATTRS | (uint64_t)st->t1sz << 16 | st->t0sz;
	st->ttbcr = (uint32_t)ttbcr;
	gen_add_register(g, "ttbcr", ttbcr, 0.02, 59.9, 3);
	return 0;
}

static int arm_setup(struct gen *g, struct err *e)
{
	struct arm_state *st = xcalloc(1, sizeof(*st));
	g->arch_data = st;
	g->m_phy = 40;
	g->ram_base = 0x40000000ULL;    /* QEMU virt */
	g->alloc_limit = 1ULL << 32;    /* short descriptors and 32-bit TTBRs reach the low 4 GiB */
	return is_short(g) ? setup_short(g, st, e) : setup_long(g, st, e);
}

/* A32 instructions (condition AL) with random register and immediate fields. */
static const struct code_template arm_insns[] = {
	{0xe92d4000, 0x00000fff},       /* push {.., lr} */
	{0xe8bd8000, 0x00000fff},       /* pop {.., pc} */
	{0xe59f0000, 0x0000ffff},       /* ldr rX, [pc, #imm] */
	{0xe5900000, 0x000fffff},       /* ldr rX, [rY, #imm] */
	{0xe5800000, 0x000fffff},       /* str rX, [rY, #imm] */
	{0xe1a00000, 0x0000f00f},       /* mov rX, rY */
	{0xe3a00000, 0x0000ffff},       /* mov rX, #imm */
	{0xe2800000, 0x000fffff},       /* add rX, rY, #imm */
	{0xe3500000, 0x000f0fff},       /* cmp rX, #imm */
	{0xeb000000, 0x00ffffff},       /* bl */
	{0x0a000000, 0x00ffffff},       /* beq */
	{0x1a000000, 0x00ffffff},       /* bne */
	{0xe12fff1e, 0x00000000},       /* bx lr */
};

static void arm_code(struct rng *r, uint8_t *buf, size_t len, bool big)
{
	code_words(r, buf, len, big, arm_insns, ARRAY_LEN(arm_insns));
}

/* ---- kernel code writing TTBCR ---- */

/* rd = v as a compiler builds it: mov for a small immediate, else movw (+ movt). */
static void a32_const(struct code_fn *f, unsigned rd, uint32_t v)
{
	if (v < 256) {
		fn_put(f, a32_mov_imm(rd, v, 0));
		return;
	}
	fn_put(f, a32_movw(rd, v & 0xFFFF));
	if (v >> 16)
		fn_put(f, a32_movt(rd, v >> 16));
}

/* The end of the function before (a linker packs them), so the backward walk stops there. */
static void a32_begin(struct code_fn *f, uint32_t list)
{
	f->n = 0;
	fn_put(f, a32_bx_lr());
	fn_put(f, a32_push(list));
}

#define R(n) (1u << (n))

/*
 * Two real writes of the generator's TTBCR (CPU setup and resume: 2 sites),
 * and decoys as kernels have them: a setter taking its value as an
 * argument, dead code after a jump writing another value, and a
 * read-modify-write of TTBCR (partial without a configured TTBCR).
 */
static int arm_code_extra(struct gen *g, struct err *e)
{
	const struct arm_state *st = g->arch_data;
	struct code_fn f;
	uint64_t pa;
	uint32_t other = is_short(g) ? (st->ttbcr + 1) & 7 : st->ttbcr ^ (1u << 16);
	/* __v7_setup: r4 = TTBCR; mcr; isb. */
	a32_begin(&f, R(4) | R(A32_LR));
	fn_put(&f, a32_mov_reg(5, 0));
	a32_const(&f, 4, st->ttbcr);
	fn_put(&f, a32_mcr_ttbcr(4));
	fn_put(&f, a32_isb());
	fn_put(&f, a32_pop(R(4) | R(A32_PC)));
	if (gen_place_code(g, &f, false, &pa, e))
		return -1;
	/* cpu_resume: another register and a call before the value is built. */
	a32_begin(&f, R(4) | R(5) | R(6) | R(A32_LR));
	fn_put(&f, a32_mov_reg(5, 0));
	fn_put(&f, a32_bl(0x40));
	a32_const(&f, 6, st->ttbcr);
	fn_put(&f, a32_mcr_ttbcr(6));
	fn_put(&f, a32_isb());
	fn_put(&f, a32_mov_reg(0, 5));
	fn_put(&f, a32_pop(R(4) | R(5) | R(6) | R(A32_PC)));
	if (gen_place_code(g, &f, false, &pa, e))
		return -1;
	/* set_ttbcr(u32 v): the value is the caller's. */
	a32_begin(&f, R(A32_LR));
	fn_put(&f, a32_mcr_ttbcr(0));
	fn_put(&f, a32_isb());
	fn_put(&f, a32_pop(R(A32_PC)));
	if (gen_place_code(g, &f, false, &pa, e))
		return -1;
	/* Unreachable after an unconditional jump: another value, one site. */
	a32_begin(&f, R(4) | R(A32_LR));
	size_t jump = f.n;
	fn_put(&f, 0);
	a32_const(&f, 3, other);
	fn_put(&f, a32_mcr_ttbcr(3));
	f.w[jump] = a32_b((int32_t)(4 * (f.n - jump)));
	fn_put(&f, a32_pop(R(4) | R(A32_PC)));
	if (gen_place_code(g, &f, false, &pa, e))
		return -1;
	/* Read-modify-write: the fields kept come from TTBCR itself. */
	a32_begin(&f, R(A32_LR));
	fn_put(&f, a32_mrc_ttbcr(3));
	fn_put(&f, a32_bic_imm(3, 3, 7, 0));
	fn_put(&f, a32_orr_imm(3, 3, st->ttbcr & 7, 0));
	fn_put(&f, a32_mcr_ttbcr(3));
	fn_put(&f, a32_pop(R(A32_PC)));
	if (gen_place_code(g, &f, false, &pa, e))
		return -1;
	gen_expect_code_register(g, "ttbcr", st->ttbcr, 2);
	return 0;
}

/*
 * The abort handlers every kernel has (Linux v7_early_abort,
 * v7_pabort): fault status and address registers read, then the handler
 * called through a table (blx).  The tree filters of the spec (3.9) look
 * for the DFSR/IFSR reads.
 */
static int arm_abort_extra(struct gen *g, struct err *e)
{
	struct code_fn f;
	uint64_t pa;
	a32_begin(&f, R(4) | R(A32_LR));
	fn_put(&f, a32_mrc_dfar(0));
	fn_put(&f, a32_mrc_dfsr(1));
	fn_put(&f, a32_blx_reg(3));
	fn_put(&f, a32_pop(R(4) | R(A32_PC)));
	if (gen_place_code(g, &f, false, &pa, e))
		return -1;
	a32_begin(&f, R(4) | R(A32_LR));
	fn_put(&f, a32_mrc_ifar(0));
	fn_put(&f, a32_mrc_ifsr(1));
	fn_put(&f, a32_blx_reg(3));
	fn_put(&f, a32_pop(R(4) | R(A32_PC)));
	return gen_place_code(g, &f, false, &pa, e);
}

static const struct mkdump_extra arm_extras[] = {
	{"arm TTBCR code", PHASE_KERNEL, arm_code_extra},
	{"arm abort handlers", PHASE_KERNEL, arm_abort_extra},
};

const struct mkdump_arch mkdump_arch_arm = {
	.name = "arm",
	.modes = arm_modes,
	.nmodes = ARRAY_LEN(arm_modes),
	.big_endian = false,
	.setup = arm_setup,
	.radix = &arm_radix,
	.extras = arm_extras,
	.nextras = ARRAY_LEN(arm_extras),
	.code_bytes = arm_code,
};
