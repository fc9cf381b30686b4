/* gen-riscv: RISC-V Sv32, Sv39, Sv48 and Sv57 page tables (privileged spec, 4.3-4.6). */
#include "autoconfig.h"

#include "gen.h"

#include <string.h>

#define PTE_V (1ULL << 0)
#define PTE_R (1ULL << 1)
#define PTE_W (1ULL << 2)
#define PTE_X (1ULL << 3)
#define PTE_U (1ULL << 4)
#define PTE_G (1ULL << 5)
#define PTE_A (1ULL << 6)
#define PTE_D (1ULL << 7)
#define PTE_PPN_SHIFT 10
#define PTE_RESERVED_BIT 60     /* bits 60..54 are reserved in RV64 PTEs */

enum { MODE_SV32, MODE_SV39, MODE_SV48, MODE_SV57 };

static const struct mkdump_mode riscv_modes[] = {
	{"sv32", 32},
	{"sv39", 64},
	{"sv48", 64},
	{"sv57", 64},
};

#define LEAF(s) (1ULL << (s))

static const struct tree_geom geom_sv32 = {
	"unified", 2, 4, 4096, 0, 0xffffffffULL, 0,
	{{22, 1024, LEAF(22)}, {12, 1024, LEAF(12)}},
};
static const struct tree_geom geom_sv39 = {
	"unified", 3, 8, 4096, 0, UINT64_MAX, 38,
	{{30, 512, LEAF(30)}, {21, 512, LEAF(21)}, {12, 512, LEAF(12)}},
};
static const struct tree_geom geom_sv48 = {
	"unified", 4, 8, 4096, 0, UINT64_MAX, 47,
	{{39, 512, LEAF(39)}, {30, 512, LEAF(30)}, {21, 512, LEAF(21)}, {12, 512, LEAF(12)}},
};
static const struct tree_geom geom_sv57 = {
	"unified", 5, 8, 4096, 0, UINT64_MAX, 56,
	{{48, 512, LEAF(48)}, {39, 512, LEAF(39)}, {30, 512, LEAF(30)}, {21, 512, LEAF(21)}, {12, 512, LEAF(12)}},
};

static const struct riscv_mode {
	const struct tree_geom *geom;
	unsigned m_phy;
	uint64_t device_page;
	uint64_t user_end, kernel_first;
	uint64_t satp_mode;     /* MODE field value */
} riscv_params[] = {
	[MODE_SV32] = {&geom_sv32, 34, 4ULL << 20, 0xc0000000ULL, 0xc0000000ULL, 1},
	[MODE_SV39] = {&geom_sv39, 56, 1ULL << 30, 1ULL << 38, 0xffffffc000000000ULL, 8},
	[MODE_SV48] = {&geom_sv48, 56, 1ULL << 30, 1ULL << 47, 0xffff800000000000ULL, 9},
	[MODE_SV57] = {&geom_sv57, 56, 1ULL << 30, 1ULL << 56, 0xff00000000000000ULL, 10},
};

static uint64_t ppn_mask(const struct gen *g)
{
	return g->mode == MODE_SV32 ? mask_bits(31, 10) : mask_bits(53, 10);
}

static uint64_t to_pte(const struct gen *g, uint64_t pa)
{
	return (pa >> 12 << PTE_PPN_SHIFT) & ppn_mask(g);
}

static uint64_t riscv_table_entry(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t pa,
				  unsigned attr, unsigned tflags)
{
	(void)t, (void)level, (void)tflags;
	/* Non-leaf PTEs must have U, A and D clear; the kernel's are global. */
	return PTE_V | (attr & MA_USER ? 0 : PTE_G) | to_pte(g, pa);
}

static uint64_t riscv_leaf_entry(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t pa,
				 unsigned page_shift, unsigned attr)
{
	(void)t, (void)level, (void)page_shift;
	uint64_t e = PTE_V | PTE_R | PTE_A | to_pte(g, pa);
	if (attr & MA_WRITE)
		e |= PTE_W | PTE_D;
	if (attr & MA_EXEC)
		e |= PTE_X;
	e |= attr & MA_USER ? PTE_U : PTE_G;
	return e;
}

static void riscv_decode(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
			 struct entry_info *out)
{
	memset(out, 0, sizeof(*out));
	if (!(raw & PTE_V))
		return;
	out->addr = (raw & ppn_mask(g)) >> PTE_PPN_SHIFT << 12;
	if (!(raw & (PTE_R | PTE_W | PTE_X))) {
		out->kind = level + 1 < t->levels ? ENT_TABLE : ENT_EMPTY;
		return;
	}
	out->kind = ENT_LEAF;
	out->page_shift = t->lv[level].shift;
}

static unsigned riscv_table_restrictions(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw)
{
	(void)g, (void)t, (void)level, (void)raw;
	return 0;   /* RISC-V permissions come from the leaf alone */
}

static unsigned riscv_leaf_perms(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
				 unsigned tflags)
{
	(void)g, (void)t, (void)level, (void)tflags;
	unsigned half = (raw & PTE_R ? PERM_KR : 0) | (raw & PTE_W ? PERM_KW : 0) | (raw & PTE_X ? PERM_KX : 0);
	return raw & PTE_U ? half << 3 : half;
}

/* A pointer with U and A set (reserved in non-leaf PTEs), or a reserved high bit in an RV64 leaf. */
static uint64_t riscv_corrupt(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
			      struct rng *r)
{
	(void)t, (void)level, (void)r;
	if (!(raw & (PTE_R | PTE_W | PTE_X)))
		return raw | PTE_U | PTE_A;
	return g->mode == MODE_SV32 ? raw : raw | 1ULL << PTE_RESERVED_BIT;
}

static uint64_t riscv_root_register(struct gen *g, const struct gtree *tree)
{
	uint64_t mode = riscv_params[g->mode].satp_mode, ppn = tree->root >> 12;
	uint64_t asid = tree->process >= 0 ? (uint64_t)tree->process + 1 : 0;
	if (g->mode == MODE_SV32)
		return mode << 31 | (asid & 0x1ff) << 22 | (ppn & 0x3fffff);
	return mode << 60 | (asid & 0xffff) << 44 | (ppn & mask_bits(43, 0));
}

static const struct radix_ops riscv_radix = {
	.table_entry = riscv_table_entry,
	.leaf_entry = riscv_leaf_entry,
	.decode = riscv_decode,
	.table_restrictions = riscv_table_restrictions,
	.leaf_perms = riscv_leaf_perms,
	.corrupt = riscv_corrupt,
	.root_register = riscv_root_register,
};

static int riscv_setup(struct gen *g, struct err *e)
{
	const struct riscv_mode *m = &riscv_params[g->mode];
	if (gen_check_options(g, 0, e))
		return -1;
	g->m_phy = m->m_phy;
	g->ram_base = 0x80000000ULL;    /* where QEMU's virt machine puts DRAM */
	g->device_page = m->device_page;
	g->user_geom = g->kernel_geom = m->geom;
	g->user_first = 0;
	g->user_end = m->user_end;
	g->kernel_first = m->kernel_first;
	g->kernel_last = g->bits == 32 ? 0xffffffffULL : UINT64_MAX;
	g->user_reg = g->kernel_reg = "satp";
	return 0;
}

/* RV32I/RV64I instructions with random register and immediate fields. */
static const struct code_template riscv_insns[] = {
	{0x00000013, 0xffff8f80},       /* addi */
	{0x00003003, 0xffff8f80},       /* ld */
	{0x00003023, 0xfe0f8f80},       /* sd */
	{0x00002003, 0xffff8f80},       /* lw */
	{0x0000006f, 0xfffff000},       /* jal */
	{0x000000ef, 0xfffff000},       /* jal ra (call) */
	{0x00000063, 0xfe0ff080},       /* beq */
	{0x00001063, 0xfe0ff080},       /* bne */
	{0x00000037, 0xfffff000},       /* lui */
	{0x00000017, 0xfffff000},       /* auipc */
	{0x00000033, 0x01ff8f80},       /* add */
	{0x00008067, 0x00000000},       /* ret */
};

static void riscv_code(struct rng *r, uint8_t *buf, size_t len, bool big)
{
	code_words(r, buf, len, big, riscv_insns, ARRAY_LEN(riscv_insns));
}

const struct mkdump_arch mkdump_arch_riscv = {
	.name = "riscv",
	.modes = riscv_modes,
	.nmodes = ARRAY_LEN(riscv_modes),
	.big_endian = false,
	.setup = riscv_setup,
	.radix = &riscv_radix,
	.code_bytes = riscv_code,
};
