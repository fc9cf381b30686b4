/* RISC-V: Sv32, Sv39, Sv48 and Sv57 page tables (privileged spec, "Supervisor-Level ISA"). */
#include "autoconfig.h"

#include "analysis.h"
#include "arch.h"
#include "config.h"
#include "radix.h"

enum riscv_mode { MODE_SV32, MODE_SV39, MODE_SV48, MODE_SV57 };

static const struct mmu_mode_info riscv_modes[] = {
	[MODE_SV32] = {"sv32", "Sv32 2-level, 4 KiB and 4 MiB pages", 32},
	[MODE_SV39] = {"sv39", "Sv39 3-level, 4 KiB, 2 MiB and 1 GiB pages", 64},
	[MODE_SV48] = {"sv48", "Sv48 4-level, up to 512 GiB pages", 64},
	[MODE_SV57] = {"sv57", "Sv57 5-level, up to 256 TiB pages", 64},
};

#define PTE_V (1ULL << 0)
#define PTE_R (1ULL << 1)
#define PTE_W (1ULL << 2)
#define PTE_X (1ULL << 3)
#define PTE_U (1ULL << 4)
#define PTE_G (1ULL << 5)
#define PTE_A (1ULL << 6)
#define PTE_D (1ULL << 7)
#define PTE_PPN_SHIFT 10
/* RV64: bits 60..54 reserved, 62..61 PBMT (Svpbmt), 63 N (Svnapot). */
#define PTE64_RESERVED 0x1fc0000000000000ULL
#define PTE64_PBMT_SHIFT 61
#define PTE64_N (1ULL << 63)
/* satp: RV32 MODE bit 31, PPN 21..0; RV64 MODE 63..60, PPN 43..0. */
#define SATP64_MODE_SHIFT 60
static const unsigned satp64_mode[] = {[MODE_SV39] = 8, [MODE_SV48] = 9, [MODE_SV57] = 10};

#define P_MODE 0

static int riscv_shapes(struct analysis *a, struct radix_shape *out, unsigned *n, struct err *e)
{
	static const struct radix_shape shapes[] = {
		[MODE_SV32] = {.levels = 2, .entry_size = 4, .table_size = {4096, 4096}, .va_shift = {22, 12},
			       .va_bits = 32},
		[MODE_SV39] = {.levels = 3, .entry_size = 8, .table_size = {4096, 4096, 4096},
			       .va_shift = {30, 21, 12}, .va_bits = 39, .va_signed = true},
		[MODE_SV48] = {.levels = 4, .entry_size = 8, .table_size = {4096, 4096, 4096, 4096},
			       .va_shift = {39, 30, 21, 12}, .va_bits = 48, .va_signed = true},
		[MODE_SV57] = {.levels = 5, .entry_size = 8, .table_size = {4096, 4096, 4096, 4096, 4096},
			       .va_shift = {48, 39, 30, 21, 12}, .va_bits = 57, .va_signed = true},
	};
	(void)e;
	*n = 1;
	out[0] = shapes[a->cfg.mode];
	out[0].name = "";
	out[0].root_register = "satp";
	out[0].param[P_MODE] = (uint64_t)a->cfg.mode;
	return 0;
}

static void riscv_decode(const struct radix_shape *s, unsigned level, uint64_t raw, struct pte *p)
{
	bool rv64 = s->param[P_MODE] != MODE_SV32;
	if (!(raw & PTE_V)) {
		p->kind = PTE_EMPTY;
		return;
	}
	uint64_t ppn = rv64 ? bits_get(raw, 53, 10) : bits_get(raw, 31, 10);
	bool leaf = raw & (PTE_R | PTE_W | PTE_X);
	p->kind = PTE_INVALID;
	if (rv64 && (raw & (PTE64_RESERVED | PTE64_N))) {
		p->why = "reserved bits (60..54) or Svnapot set";
		return;
	}
	if (rv64 && (raw >> PTE64_PBMT_SHIFT & 3) && (!leaf || (raw >> PTE64_PBMT_SHIFT & 3) == 3)) {
		p->why = "reserved page-based memory type";
		return;
	}
	p->addr = ppn << 12;
	if (!leaf) {
		if (raw & (PTE_U | PTE_A | PTE_D))
			p->why = "U, A or D set in a pointer";
		else if (level + 1 >= s->levels)
			p->why = "pointer at the last level";
		else
			p->kind = PTE_TABLE;
		return;
	}
	unsigned shift = s->va_shift[level];
	if (ppn & ((1ULL << (shift - 12)) - 1)) {
		p->why = "misaligned superpage";
		return;
	}
	p->kind = PTE_PAGE;
	p->size = 1ULL << shift;
	p->user = raw & PTE_U;
	p->attr = (uint32_t)(raw & (PTE_R | PTE_W | PTE_X | PTE_U));
}

/* Only the leaf's own bits count: RISC-V pointers carry no permissions. */
static uint32_t riscv_descend(const struct radix_shape *s, uint32_t acc, const struct pte *t)
{
	(void)s, (void)t;
	return acc;
}

static unsigned riscv_leaf_perms(const struct radix_shape *s, uint32_t acc, const struct pte *p)
{
	(void)s, (void)acc;
	unsigned r = (p->attr & PTE_R ? 4 : 0) | (p->attr & PTE_W ? 2 : 0) | (p->attr & PTE_X ? 1 : 0);
	return p->attr & PTE_U ? r : r << 3;
}

static bool riscv_root_of(const struct radix_shape *s, uint64_t satp, uint64_t *root)
{
	enum riscv_mode mode = (enum riscv_mode)s->param[P_MODE];
	if (mode == MODE_SV32) {
		if (!(satp >> 31 & 1))
			return false; /* bare */
		*root = (satp & 0x3fffffULL) << 12;
		return true;
	}
	if (satp >> SATP64_MODE_SHIFT != satp64_mode[mode])
		return false;
	*root = (satp & mask_bits(43, 0)) << 12;
	return true;
}

static void riscv_describe(const struct radix_shape *s, unsigned level, const struct pte *p, struct sbuf *out)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} flags[] = {{PTE_V, "V"}, {PTE_R, "R"}, {PTE_W, "W"}, {PTE_X, "X"}, {PTE_U, "U"},
		     {PTE_G, "G"}, {PTE_A, "A"}, {PTE_D, "D"}};
	static const char *const pbmt[] = {"", "NC", "IO", "?"};
	(void)level;
	for (size_t i = 0; i < ARRAY_LEN(flags); i++)
		if (p->raw & flags[i].bit)
			sbuf_printf(out, "%s%s", out->len ? " " : "", flags[i].name);
	if (s->param[P_MODE] != MODE_SV32 && (p->raw >> PTE64_PBMT_SHIFT & 3))
		sbuf_printf(out, " PBMT=%s", pbmt[p->raw >> PTE64_PBMT_SHIFT & 3]);
}

static const struct radix_ops riscv_radix = {
	.shapes = riscv_shapes,
	.decode = riscv_decode,
	.root_attr = 0,
	.descend = riscv_descend,
	.leaf_perms = riscv_leaf_perms,
	.root_of = riscv_root_of,
	.describe = riscv_describe,
};

static const char *const riscv_pipeline[] = {"parse_memory", "find_radix_trees", NULL};

const struct arch_ops arch_riscv = {
	.name = "riscv",
	.about = "RISC-V (Sv32, Sv39, Sv48, Sv57)",
	.endians = 1u << ENDIAN_LITTLE,
	.modes = riscv_modes,
	.nmodes = ARRAY_LEN(riscv_modes),
	.radix = &riscv_radix,
	.parse_memory = radix_scan,
	.pipeline = riscv_pipeline,
};
