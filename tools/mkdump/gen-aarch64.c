/*
 * gen-aarch64: VMSAv8-64 stage 1 (ARM DDI 0487, D8) with 4, 16 and 64 KiB
 * granules, any T0SZ/T1SZ from 16 to 39: TTBR0_EL1 user trees and one
 * TTBR1_EL1 kernel tree, block mappings where the granule has them.
 */
#include "autoconfig.h"

#include "gen.h"
#include "insn.h"

#include <string.h>

static const struct mkdump_mode aarch64_modes[] = {
	{"long", 64},
};

#define D_VALID 1ULL
#define D_TABLE 3ULL
#define D_BLOCK 1ULL
#define D_ATTRIDX_SHIFT 2
#define D_AP_USER (1ULL << 6)   /* AP[1] */
#define D_AP_RO (1ULL << 7)     /* AP[2] */
#define D_SH_SHIFT 8
#define D_SH_INNER (3ULL << D_SH_SHIFT)
#define D_SH_RESERVED (1ULL << D_SH_SHIFT)
#define D_AF (1ULL << 10)
#define D_NG (1ULL << 11)
#define D_DBM (1ULL << 51)
#define D_PXN (1ULL << 53)
#define D_UXN (1ULL << 54)
#define D_PXNTABLE (1ULL << 59)
#define D_UXNTABLE (1ULL << 60)
#define D_APT_NOUSER (1ULL << 61)
#define D_APT_NOWRITE (1ULL << 62)
#define MT_NORMAL 0
#define MT_DEVICE_NGNRE 4
#define PA_BITS 40

#define TCR_T1SZ_SHIFT 16
#define TCR_TG0_SHIFT 14
#define TCR_TG1_SHIFT 30
#define TCR_IPS_SHIFT 32
#define TCR_IPS_40BIT 2ULL
#define TCR_WALK_ATTRS 0x35003500ULL  /* IRGN/ORGN write-back, inner shareable, both halves */
#define TCR_AS (1ULL << 36)
#define TCR_TBI0 (1ULL << 37)
#define TXSZ_MIN 16
#define TXSZ_MAX 39

struct aarch64_state {
	struct tree_geom user, kernel;
	unsigned page_shift;
	uint64_t tcr;
};

/* TG0 and TG1 encode the granule differently. */
static const struct granule {
	unsigned shift;
	uint64_t tg0, tg1;
	unsigned block_arch_levels;     /* bit n: blocks allowed at architectural level n */
	unsigned default_txsz;
} granules[] = {
	{12, 0, 2, 1u << 1 | 1u << 2, 25},
	{14, 2, 1, 1u << 2, 17},
	{16, 1, 3, 1u << 2, 22},
};

static const struct granule *find_granule(unsigned bytes)
{
	for (size_t i = 0; i < ARRAY_LEN(granules); i++)
		if (bytes == 1u << granules[i].shift)
			return &granules[i];
	return NULL;
}

/* Levels, top-table size and shifts from the granule and TxSZ (D8.2). */
static void build_geom(struct tree_geom *t, const char *name, const struct granule *gr, unsigned txsz, bool upper)
{
	unsigned p = gr->shift, s = p - 3, v = 64 - txsz;
	unsigned levels = (v - p + s - 1) / s;
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->levels = levels;
	t->entry_bytes = 8;
	t->va_first = upper ? 0 - (1ULL << v) : 0;
	t->va_last = upper ? UINT64_MAX : (1ULL << v) - 1;
	for (unsigned k = 0; k < levels; k++) {
		unsigned arch_level = 4 - levels + k;
		t->lv[k].shift = p + s * (levels - 1 - k);
		t->lv[k].entries = k ? 1u << s : 1u << ((v - p) - (levels - 1) * s);
		if (k + 1 == levels)
			t->lv[k].leaf_shifts = 1ULL << p;
		else if (gr->block_arch_levels & (1u << arch_level))
			t->lv[k].leaf_shifts = 1ULL << t->lv[k].shift;
	}
	/* Tables smaller than 64 bytes are still 64-byte aligned (TTBR BADDR). */
	t->top_align = (unsigned)MMU_MAX(geom_table_bytes(t, 0), 64);
}

static uint64_t out_addr(uint64_t raw, unsigned shift)
{
	return raw & mask_bits(47, shift);
}

static const struct aarch64_state *state(const struct gen *g)
{
	return g->arch_data;
}

static uint64_t a64_table_entry(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t pa,
				unsigned attr, unsigned tflags)
{
	(void)t, (void)level;
	uint64_t e = D_TABLE | out_addr(pa, state(g)->page_shift);
	/* As Linux: user tables PXNTable, kernel tables UXNTable. */
	e |= attr & MA_USER ? D_PXNTABLE : D_UXNTABLE;
	if (tflags & TF_NO_KEXEC)
		e |= D_PXNTABLE;
	if (tflags & TF_NO_UEXEC)
		e |= D_UXNTABLE;
	if (tflags & TF_NO_USER)
		e |= D_APT_NOUSER;
	if (tflags & TF_NO_WRITE)
		e |= D_APT_NOWRITE;
	return e;
}

static uint64_t a64_leaf_entry(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t pa,
			       unsigned page_shift, unsigned attr)
{
	(void)g;
	uint64_t e = (level + 1 == t->levels ? D_TABLE : D_BLOCK) | D_AF | out_addr(pa, page_shift);
	if (attr & MA_DEVICE)
		e |= (uint64_t)MT_DEVICE_NGNRE << D_ATTRIDX_SHIFT;
	else
		e |= (uint64_t)MT_NORMAL << D_ATTRIDX_SHIFT | D_SH_INNER;
	if (attr & MA_WRITE)
		e |= attr & MA_DEVICE ? 0 : D_DBM;
	else
		e |= D_AP_RO;
	if (attr & MA_USER)
		e |= D_AP_USER | D_NG | D_PXN | (attr & MA_EXEC ? 0 : D_UXN);
	else
		e |= D_UXN | (attr & MA_EXEC ? 0 : D_PXN);
	return e;
}

static void a64_decode(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
		       struct entry_info *out)
{
	memset(out, 0, sizeof(*out));
	if (!(raw & D_VALID))
		return;
	bool last = level + 1 == t->levels, table_bit = (raw & D_TABLE) == D_TABLE;
	if (last ? !table_bit : !table_bit && !t->lv[level].leaf_shifts)
		return;     /* reserved encodings fault */
	if (!last && table_bit) {
		out->kind = ENT_TABLE;
		out->addr = out_addr(raw, state(g)->page_shift);
		return;
	}
	out->kind = ENT_LEAF;
	out->page_shift = t->lv[level].shift;
	out->addr = out_addr(raw, out->page_shift);
}

static unsigned a64_table_restrictions(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw)
{
	(void)g, (void)t, (void)level;
	return (raw & D_APT_NOUSER ? TF_NO_USER : 0) | (raw & D_APT_NOWRITE ? TF_NO_WRITE : 0) |
	       (raw & D_UXNTABLE ? TF_NO_UEXEC : 0) | (raw & D_PXNTABLE ? TF_NO_KEXEC : 0);
}

/* D8.4: AP[2:1] with APTable, UXN/PXN with their table bits; EL0-writable memory never executes at EL1. */
static unsigned a64_leaf_perms(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
			       unsigned tflags)
{
	(void)g, (void)t, (void)level;
	bool user = (raw & D_AP_USER) && !(tflags & TF_NO_USER);
	bool write = !(raw & D_AP_RO) && !(tflags & TF_NO_WRITE);
	unsigned p = PERM_KR | (write ? PERM_KW : 0);
	if (user)
		p |= PERM_UR | (write ? PERM_UW : 0) | (!(raw & D_UXN) && !(tflags & TF_NO_UEXEC) ? PERM_UX : 0);
	if (!(raw & D_PXN) && !(tflags & TF_NO_KEXEC) && !(p & PERM_UW))
		p |= PERM_KX;
	return p;
}

/* An output address above the 40-bit IPS (address size fault), with the reserved SH value too. */
static uint64_t a64_corrupt(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
			    struct rng *r)
{
	(void)g, (void)t, (void)level, (void)r;
	return (raw & ~D_SH_INNER) | D_SH_RESERVED | 1ULL << 47;
}

static uint64_t a64_root_register(struct gen *g, const struct gtree *tree)
{
	(void)g;
	uint64_t asid = tree->process >= 0 ? ((uint64_t)tree->process + 1) & 0xffff : 0;
	return tree->root | asid << 48;
}

static const struct radix_ops a64_radix = {
	.table_entry = a64_table_entry,
	.leaf_entry = a64_leaf_entry,
	.decode = a64_decode,
	.table_restrictions = a64_table_restrictions,
	.leaf_perms = a64_leaf_perms,
	.corrupt = a64_corrupt,
	.root_register = a64_root_register,
};

static int check_txsz(const char *name, int v, struct err *e)
{
	if (v >= 0 && (v < TXSZ_MIN || v > TXSZ_MAX))
		return err_set(e, "--%s must be from %d to %d for aarch64 (got %d)", name, TXSZ_MIN, TXSZ_MAX, v);
	return 0;
}

static int aarch64_setup(struct gen *g, struct err *e)
{
	const struct mkdump_opts *o = g->o;
	const struct granule *gr = find_granule(o->granule ? o->granule : 4096);
	if (gen_check_options(g, OPT_GRANULE | OPT_TXSZ, e))
		return -1;
	if (!gr)
		return err_set(e, "--granule must be 4k, 16k or 64k (got %u bytes)", o->granule);
	if (check_txsz("t0sz", o->t0sz, e) || check_txsz("t1sz", o->t1sz, e))
		return -1;
	unsigned t0 = o->t0sz >= 0 ? (unsigned)o->t0sz : gr->default_txsz;
	unsigned t1 = o->t1sz >= 0 ? (unsigned)o->t1sz : gr->default_txsz;
	struct aarch64_state *st = xcalloc(1, sizeof(*st));
	g->arch_data = st;
	st->page_shift = gr->shift;
	build_geom(&st->user, "user", gr, t0, false);
	build_geom(&st->kernel, "kernel", gr, t1, true);
	g->m_phy = PA_BITS;
	g->ram_base = 0x40000000ULL;    /* QEMU virt */
	g->device_page = 1ULL << 30;
	g->device_min = 1ULL << 39;     /* a high PCIe window */
	g->user_geom = &st->user;
	g->kernel_geom = &st->kernel;
	g->split = true;
	g->user_first = 0;
	g->user_end = st->user.va_last + 1;
	g->kernel_first = st->kernel.va_first;
	g->kernel_last = UINT64_MAX;
	g->user_reg = "ttbr0_el1";
	g->kernel_reg = "ttbr1_el1";
	g->table_flags = TF_NO_USER | TF_NO_WRITE | TF_NO_UEXEC | TF_NO_KEXEC;
	uint64_t tcr = t0 | (uint64_t)t1 << TCR_T1SZ_SHIFT | gr->tg0 << TCR_TG0_SHIFT | gr->tg1 << TCR_TG1_SHIFT |
		       TCR_IPS_40BIT << TCR_IPS_SHIFT | TCR_WALK_ATTRS | TCR_AS | TCR_TBI0;
	st->tcr = tcr;
	gen_add_register(g, "tcr_el1", tcr, 0.02, 59.9, 3);
	return 0;
}

/*
 * A64 instructions with random register and immediate fields.  Indirect
 * branches are rarer than the rest (a few in a hundred instructions, as in
 * a kernel): each is a control-flow site the register search keeps.
 */
static const struct code_template a64_insns[] = {
	{0xa9bf7bfd, 0x003f8000},       /* stp x29, x30, [sp, #-n]! */
	{0x910003fd, 0x00000000},       /* mov x29, sp */
	{0xa8c17bfd, 0x003f8000},       /* ldp x29, x30, [sp], #n */
	{0xd65f03c0, 0x00000000},       /* ret */
	{0x94000000, 0x03ffffff},       /* bl */
	{0x14000000, 0x03ffffff},       /* b */
	{0x90000000, 0x60ffffff},       /* adrp */
	{0xf9400000, 0x003fffff},       /* ldr x, [x, #imm] */
	{0xf9000000, 0x003fffff},       /* str x, [x, #imm] */
	{0x91000000, 0x003fffff},       /* add x, x, #imm */
	{0xb4000000, 0x00ffffff},       /* cbz */
	{0x54000000, 0x00ffffef},       /* b.cond */
	{0x52800000, 0x001fffff},       /* mov w, #imm */
	{0xd503201f, 0x00000000},       /* nop */
	{0xd63f0000, 0x000003e0},       /* blr x (function pointers) */
	{0xd61f0000, 0x000003e0},       /* br x (PLT stubs, switch tables) */
};

/* Draws per template of a64_insns. */
static const unsigned a64_weights[] = {4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 1, 1};

static void a64_code(struct rng *r, uint8_t *buf, size_t len, bool big)
{
	(void)big;      /* A64 instructions are little-endian in both data byte orders */
	_Static_assert(ARRAY_LEN(a64_weights) == ARRAY_LEN(a64_insns), "a weight per template");
	code_words_weighted(r, buf, len, false, a64_insns, a64_weights, ARRAY_LEN(a64_insns));
}

/* ---- kernel code writing TCR_EL1 ---- */

/* xd = v with movz and a movk per further non-zero halfword, as compilers do. */
static void a64_const(struct code_fn *f, unsigned rd, uint64_t v)
{
	unsigned first = 0;
	while (first < 3 && !((v >> (16 * first)) & 0xFFFF))
		first++;
	fn_put(f, a64_movz(rd, (uint32_t)(v >> (16 * first)) & 0xFFFF, first));
	for (unsigned hw = first + 1; hw < 4; hw++)
		if ((v >> (16 * hw)) & 0xFFFF)
			fn_put(f, a64_movk(rd, (uint32_t)(v >> (16 * hw)) & 0xFFFF, hw));
}

/* The previous function's ret, then a frame record. */
static void a64_begin(struct code_fn *f)
{
	f->n = 0;
	fn_put(f, a64_ret());
	fn_put(f, a64_stp_fp_lr());
	fn_put(f, a64_mov_fp_sp());
}

static void a64_end(struct code_fn *f)
{
	fn_put(f, a64_ldp_fp_lr());
	fn_put(f, a64_ret());
}

/*
 * Two real writes of the generator's TCR_EL1 (__cpu_setup and cpu_resume),
 * a setter taking the value as an argument, and dead code after a jump
 * writing a TCR with another T0SZ.
 */
static int a64_code_extra(struct gen *g, struct err *e)
{
	const struct aarch64_state *st = g->arch_data;
	struct code_fn f;
	uint64_t pa;
	uint64_t other = (st->tcr & ~(uint64_t)0x3F) | ((st->tcr & 0x3F) == 25 ? 24 : 25);
	a64_begin(&f);
	a64_const(&f, 10, st->tcr);
	fn_put(&f, a64_msr_tcr_el1(10));
	fn_put(&f, a64_isb());
	a64_end(&f);
	if (gen_place_code(g, &f, false, &pa, e))
		return -1;
	a64_begin(&f);
	fn_put(&f, a64_mov_reg(19, 0));
	fn_put(&f, a64_bl(0x80));
	a64_const(&f, 2, st->tcr);
	fn_put(&f, a64_msr_tcr_el1(2));
	fn_put(&f, a64_isb());
	fn_put(&f, a64_mov_reg(0, 19));
	a64_end(&f);
	if (gen_place_code(g, &f, false, &pa, e))
		return -1;
	a64_begin(&f);
	fn_put(&f, a64_msr_tcr_el1(0));
	fn_put(&f, a64_isb());
	a64_end(&f);
	if (gen_place_code(g, &f, false, &pa, e))
		return -1;
	a64_begin(&f);
	size_t jump = f.n;
	fn_put(&f, 0);
	a64_const(&f, 1, other);
	fn_put(&f, a64_msr_tcr_el1(1));
	f.w[jump] = a64_b((int32_t)(4 * (f.n - jump)));
	a64_end(&f);
	if (gen_place_code(g, &f, false, &pa, e))
		return -1;
	gen_expect_code_register(g, "tcr_el1", st->tcr, 2);
	return 0;
}

/*
 * The exception entry and return code every kernel has (Linux entry.S):
 * handlers reading ESR_EL1 and FAR_EL1 and calling through a table
 * (blr), kernel_exit ending in eret, and a veneer (br).  The tree filters
 * of the spec (5.10) look for them.
 */
static int a64_entry_extra(struct gen *g, struct err *e)
{
	struct code_fn f;
	uint64_t pa;
	/* el1_sync / el0_sync: syndrome and fault address, then the handler by table. */
	for (int i = 0; i < 2; i++) {
		a64_begin(&f);
		fn_put(&f, a64_mrs_esr_el1(1));
		fn_put(&f, a64_mrs_far_el1(2));
		fn_put(&f, a64_mov_reg(0, 19));
		fn_put(&f, a64_blr(3));
		a64_end(&f);
		if (gen_place_code(g, &f, false, &pa, e))
			return -1;
	}
	/* ret_to_user / el1 return: restore and eret. */
	for (int i = 0; i < 2; i++) {
		f.n = 0;
		fn_put(&f, a64_ret());
		fn_put(&f, a64_ldp_fp_lr());
		fn_put(&f, a64_isb());
		fn_put(&f, a64_eret());
		if (gen_place_code(g, &f, false, &pa, e))
			return -1;
	}
	/* A veneer: an indirect jump. */
	f.n = 0;
	fn_put(&f, a64_ret());
	fn_put(&f, a64_br(16));
	return gen_place_code(g, &f, false, &pa, e);
}

static const struct mkdump_extra a64_extras[] = {
	{"aarch64 TCR_EL1 code", PHASE_KERNEL, a64_code_extra},
	{"aarch64 exception entry code", PHASE_KERNEL, a64_entry_extra},
};

const struct mkdump_arch mkdump_arch_aarch64 = {
	.name = "aarch64",
	.modes = aarch64_modes,
	.nmodes = ARRAY_LEN(aarch64_modes),
	.big_endian = false,
	.setup = aarch64_setup,
	.radix = &a64_radix,
	.extras = a64_extras,
	.nextras = ARRAY_LEN(a64_extras),
	.code_bytes = a64_code,
};
