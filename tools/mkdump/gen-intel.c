/*
 * gen-intel: x86 paging (IA-32 with PSE-36, PAE, IA-32e 4-level and
 * 5-level) and an IDT with valid gates whose handlers lie in kernel text.
 */
#include "autoconfig.h"

#include "gen.h"

#include <inttypes.h>
#include <string.h>

/* Entry bits (Intel SDM vol. 3, 4.3-4.5). */
#define X86_P (1ULL << 0)
#define X86_RW (1ULL << 1)
#define X86_US (1ULL << 2)
#define X86_PWT (1ULL << 3)
#define X86_PCD (1ULL << 4)
#define X86_A (1ULL << 5)
#define X86_D (1ULL << 6)
#define X86_PS (1ULL << 7)
#define X86_G (1ULL << 8)
#define X86_XD (1ULL << 63)
#define PSE36_HIGH_SHIFT 13     /* PDE-4M bits 16..13 hold PA[35..32] */
#define PSE_RESERVED_BIT 21

#define CR4_PSE (1ULL << 4)
#define CR4_PAE (1ULL << 5)
#define CR4_PGE (1ULL << 7)
#define CR4_OSFXSR (1ULL << 9)
#define CR4_LA57 (1ULL << 12)
#define CR4_PCIDE (1ULL << 17)
#define CR3_NOFLUSH (1ULL << 63)

enum { MODE_IA32, MODE_PAE, MODE_IA64, MODE_LA57 };

static const struct mkdump_mode intel_modes[] = {
	{"ia32", 32},
	{"pae", 32},
	{"ia64", 64},
	{"la57", 64},
};

#define LEAF(s) (1ULL << (s))

static const struct tree_geom geom_ia32 = {
	"unified", 2, 4, 4096, 0, 0xffffffffULL, 0,
	{{22, 1024, LEAF(22)}, {12, 1024, LEAF(12)}},
};
static const struct tree_geom geom_pae = {
	"unified", 3, 8, 32, 0, 0xffffffffULL, 0,
	{{30, 4, 0}, {21, 512, LEAF(21)}, {12, 512, LEAF(12)}},
};
static const struct tree_geom geom_ia64 = {
	"unified", 4, 8, 4096, 0, UINT64_MAX, 47,
	{{39, 512, 0}, {30, 512, LEAF(30)}, {21, 512, LEAF(21)}, {12, 512, LEAF(12)}},
};
static const struct tree_geom geom_la57 = {
	"unified", 5, 8, 4096, 0, UINT64_MAX, 56,
	{{48, 512, 0}, {39, 512, 0}, {30, 512, LEAF(30)}, {21, 512, LEAF(21)}, {12, 512, LEAF(12)}},
};

/* Per mode: geometry, address widths, windows and the IDT. */
static const struct intel_mode {
	const struct tree_geom *geom;
	unsigned m_phy;
	uint64_t alloc_limit;           /* 32-bit CR3 and PTEs address the low 4 GiB */
	uint64_t device_page, device_min;
	uint64_t user_end, kernel_first;
	uint64_t idt_va;
	uint64_t cr4;
} intel_params[] = {
	[MODE_IA32] = {&geom_ia32, 36, 1ULL << 32, 4ULL << 20, 16ULL << 30, 0xc0000000ULL, 0xc0000000ULL,
		       0xffbfe000ULL, CR4_PSE | CR4_PGE},
	[MODE_PAE] = {&geom_pae, 36, 1ULL << 32, 2ULL << 20, 4ULL << 30, 0xc0000000ULL, 0xc0000000ULL,
		      0xffbfe000ULL, CR4_PAE | CR4_PGE},
	[MODE_IA64] = {&geom_ia64, 39, 0, 1ULL << 30, 256ULL << 30, 1ULL << 47, 0xffff800000000000ULL,
		       0xfffffe0000000000ULL, CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_PCIDE},
	[MODE_LA57] = {&geom_la57, 46, 0, 1ULL << 30, 1ULL << 40, 1ULL << 56, 0xff00000000000000ULL,
		       0xfffffe0000000000ULL, CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_PCIDE | CR4_LA57},
};

static bool is_ia32(const struct gen *g)
{
	return g->mode == MODE_IA32;
}

/* Address bits of a 64-bit-format entry mapping 2^shift bytes: bits m_phy-1..shift. */
static uint64_t addr_mask(const struct gen *g, unsigned shift)
{
	return mask_bits(g->m_phy - 1, shift);
}

static uint64_t intel_table_entry(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t pa,
				  unsigned attr, unsigned tflags)
{
	(void)t;
	/* PAE PDPTEs have no R/W, U/S or XD; Linux sets the accessed bit in them. */
	if (g->mode == MODE_PAE && level == 0)
		return X86_P | X86_A | (pa & addr_mask(g, 12));
	uint64_t e = X86_P | X86_RW | X86_A | X86_D | (pa & (is_ia32(g) ? 0xfffff000ULL : addr_mask(g, 12)));
	if ((attr & MA_USER) && !(tflags & TF_NO_USER))
		e |= X86_US;
	if (tflags & TF_NO_WRITE)
		e &= ~X86_RW;
	if (!is_ia32(g) && (tflags & (TF_NO_UEXEC | TF_NO_KEXEC)))
		e |= X86_XD;
	return e;
}

static uint64_t intel_leaf_entry(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t pa,
				 unsigned page_shift, unsigned attr)
{
	uint64_t e = X86_P | X86_A;
	if (attr & MA_WRITE)
		e |= X86_RW | X86_D;
	e |= attr & MA_USER ? X86_US : X86_G;
	if (attr & MA_DEVICE)
		e |= X86_PCD | X86_PWT;
	if (!is_ia32(g) && !(attr & MA_EXEC))
		e |= X86_XD;
	if (level + 1 < t->levels)
		e |= X86_PS;
	if (is_ia32(g) && page_shift == 22)
		return e | (pa & 0xffc00000ULL) | ((pa >> 32) & 0xf) << PSE36_HIGH_SHIFT;
	if (is_ia32(g))
		return e | (pa & 0xfffff000ULL);
	return e | (pa & addr_mask(g, page_shift));
}

static void intel_decode(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
			 struct entry_info *out)
{
	memset(out, 0, sizeof(*out));
	if (!(raw & X86_P))
		return;
	bool last = level + 1 == t->levels;
	bool pdpte_pae = g->mode == MODE_PAE && level == 0;
	if (!last && !pdpte_pae && !(raw & X86_PS)) {
		out->kind = ENT_TABLE;
		out->addr = raw & (is_ia32(g) ? 0xfffff000ULL : addr_mask(g, 12));
		return;
	}
	if (pdpte_pae) {
		out->kind = ENT_TABLE;
		out->addr = raw & addr_mask(g, 12);
		return;
	}
	out->kind = ENT_LEAF;
	out->page_shift = t->lv[level].shift;
	if (is_ia32(g))
		out->addr = last ? raw & 0xfffff000ULL
				 : (raw & 0xffc00000ULL) | ((raw >> PSE36_HIGH_SHIFT) & 0xf) << 32;
	else
		out->addr = raw & addr_mask(g, out->page_shift);
}

static unsigned intel_table_restrictions(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw)
{
	(void)t;
	if (g->mode == MODE_PAE && level == 0)
		return 0;
	unsigned tf = 0;
	if (!(raw & X86_US))
		tf |= TF_NO_USER;
	if (!(raw & X86_RW))
		tf |= TF_NO_WRITE;
	if (!is_ia32(g) && (raw & X86_XD))
		tf |= TF_NO_UEXEC | TF_NO_KEXEC;
	return tf;
}

/* User only if U/S at every level; writable only if R/W at every level; executable unless XD anywhere. */
static unsigned intel_leaf_perms(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
				 unsigned tflags)
{
	(void)t, (void)level;
	bool user = (raw & X86_US) && !(tflags & TF_NO_USER);
	bool write = (raw & X86_RW) && !(tflags & TF_NO_WRITE);
	bool exec = is_ia32(g) || (!(raw & X86_XD) && !(tflags & TF_NO_UEXEC));
	unsigned half = PERM_KR | (write ? PERM_KW : 0) | (exec ? PERM_KX : 0);
	return user ? half << 3 : half;
}

/* A reserved bit: above MAXPHYADDR, or a 4 MiB page with a PSE reserved bit. */
static uint64_t intel_corrupt(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
			      struct rng *r)
{
	(void)t, (void)level;
	if (is_ia32(g))
		return raw | X86_PS | (1ULL << PSE_RESERVED_BIT);
	return raw | 1ULL << rng_range(r, g->m_phy, 51);
}

static uint64_t intel_root_register(struct gen *g, const struct gtree *tree)
{
	uint64_t v = tree->root;
	if (g->mode < MODE_IA64 || tree->process < 0)
		return v;
	/* PCIDs in some processes' CR3, and one write with the no-flush bit. */
	if (tree->process % 3 != 0)
		v |= (uint64_t)(tree->process + 1) & 0xfff;
	if (tree->process == 1)
		v |= CR3_NOFLUSH;
	return v;
}

static const struct radix_ops intel_radix = {
	.table_entry = intel_table_entry,
	.leaf_entry = intel_leaf_entry,
	.decode = intel_decode,
	.table_restrictions = intel_table_restrictions,
	.leaf_perms = intel_leaf_perms,
	.corrupt = intel_corrupt,
	.root_register = intel_root_register,
};

static int intel_setup(struct gen *g, struct err *e)
{
	const struct intel_mode *m = &intel_params[g->mode];
	if (gen_check_options(g, 0, e))
		return -1;
	g->m_phy = m->m_phy;
	g->ram_base = 0;
	g->alloc_limit = m->alloc_limit;
	g->device_page = m->device_page;
	g->device_min = m->device_min;
	g->user_geom = g->kernel_geom = m->geom;
	g->split = false;
	g->user_first = 0;
	g->user_end = m->user_end;
	g->kernel_first = m->kernel_first;
	g->kernel_last = g->bits == 32 ? 0xffffffffULL : UINT64_MAX;
	g->user_reg = g->kernel_reg = "cr3";
	g->table_flags = TF_NO_USER | TF_NO_WRITE | (is_ia32(g) ? 0 : TF_NO_UEXEC | TF_NO_KEXEC);
	sbuf_printf(&g->cpu_yaml, "  processor_features: {m_phy: %u}\n", g->m_phy);
	gen_add_register(g, "cr4", m->cr4, 0.01, 59.9, 4);
	return 0;
}

/* ---- the IDT (SDM vol. 3, 6.11 and 6.14.1) ---- */

#define GATE_INTERRUPT 0xe
#define GATE_TRAP 0xf
#define GATE_TASK 0x5
#define GATE_PRESENT (1u << 15)
#define KERNEL_CS_32 0x60
#define KERNEL_CS_64 0x10
#define DOUBLEFAULT_TSS 0xf8
#define IDT_VECTORS 256

enum { VEC_DB = 1, VEC_NMI = 2, VEC_BP = 3, VEC_OF = 4, VEC_DF = 8, VEC_MC = 18, VEC_SYSCALL = 0x80 };

/* Interrupt stacks as Linux assigns them (64-bit). */
static unsigned gate_ist(unsigned v)
{
	return v == VEC_DF ? 1 : v == VEC_NMI ? 2 : v == VEC_DB ? 3 : v == VEC_MC ? 4 : 0;
}

static unsigned gate_dpl(unsigned v)
{
	return v == VEC_BP || v == VEC_OF || v == VEC_SYSCALL ? 3 : 0;
}

/* Handlers: exception entry points anywhere in text, interrupt stubs 8 bytes apart. */
static uint64_t handler(struct gen *g, unsigned v, uint64_t stubs)
{
	if (v >= 32)
		return stubs + (v - 32) * 8;
	return g->k.text_va + align_down(rng_below(&g->rng, g->k.text_size - 64), 16);
}

static void gate64(uint8_t *p, uint64_t off, unsigned v)
{
	uint32_t d1 = gate_ist(v) | GATE_INTERRUPT << 8 | gate_dpl(v) << 13 | GATE_PRESENT | (uint32_t)(off & 0xffff0000);
	wr32(p, (uint32_t)(off & 0xffff) | KERNEL_CS_64 << 16, false);
	wr32(p + 4, d1, false);
	wr32(p + 8, (uint32_t)(off >> 32), false);
	wr32(p + 12, 0, false);
}

static void gate32(uint8_t *p, uint64_t off, unsigned v)
{
	if (v == VEC_DF) {
		/* Linux i386 handles double faults with a task gate. */
		wr32(p, DOUBLEFAULT_TSS << 16, false);
		wr32(p + 4, GATE_TASK << 8 | GATE_PRESENT, false);
		return;
	}
	unsigned type = v == VEC_SYSCALL ? GATE_TRAP : GATE_INTERRUPT;
	wr32(p, (uint32_t)(off & 0xffff) | KERNEL_CS_32 << 16, false);
	wr32(p + 4, type << 8 | gate_dpl(v) << 13 | GATE_PRESENT | (uint32_t)(off & 0xffff0000), false);
}

static int intel_idt(struct gen *g, struct err *e)
{
	const struct intel_mode *m = &intel_params[g->mode];
	unsigned gate = g->bits == 64 ? 16 : 8;
	uint64_t pa, size = (uint64_t)IDT_VECTORS * gate;
	if (phys_alloc(g, GEN_FRAME, GEN_FRAME, FK_STORED, &pa))
		return gen_out_of_ram(g, e);
	uint8_t *idt = phys_bytes(g, pa);
	uint64_t stubs = g->k.text_va + align_down(rng_below(&g->rng, g->k.text_size - IDT_VECTORS * 8), 16);
	for (unsigned v = 0; v < IDT_VECTORS; v++) {
		uint64_t off = handler(g, v, stubs);
		if (gate == 16)
			gate64(idt + v * gate, off, v);
		else
			gate32(idt + v * gate, off, v);
	}
	/* Read-only alias, as Linux loads the IDTR with (cpu_entry_area / fixmap). */
	if (gen_map_kernel(g, m->idt_va, pa, GEN_FRAME, 0, 0, e))
		return -1;
	gen_add_register(g, "idtr_base", m->idt_va, 0.3, 59.9, 9);
	sbuf_printf(&g->expected_yaml, "idt: {va: 0x%" PRIx64 ", pa: 0x%" PRIx64 ", size: 0x%" PRIx64 "}\n", m->idt_va, pa,
		    size);
	return 0;
}

/* x86 code: common instructions with random operands. */
static const struct {
	uint8_t len, fixed;     /* bytes [fixed, len) are random */
	uint8_t b[7];
} x86_insns[16] = {
	{1, 1, {0x55}},                                 /* push rbp */
	{3, 3, {0x48, 0x89, 0xe5}},                     /* mov rbp, rsp */
	{4, 3, {0x48, 0x83, 0xec}},                     /* sub rsp, imm8 */
	{5, 1, {0xe8}},                                 /* call rel32 */
	{4, 3, {0x48, 0x8b, 0x45}},                     /* mov rax, [rbp+d8] */
	{3, 2, {0x89, 0x45}},                           /* mov [rbp+d8], eax */
	{2, 2, {0x31, 0xc0}},                           /* xor eax, eax */
	{2, 1, {0x74}},                                 /* je rel8 */
	{2, 1, {0x75}},                                 /* jne rel8 */
	{7, 3, {0x48, 0x8d, 0x05}},                     /* lea rax, [rip+d32] */
	{3, 3, {0x48, 0x85, 0xc0}},                     /* test rax, rax */
	{6, 2, {0x0f, 0x84}},                           /* je rel32 */
	{1, 1, {0x5d}},                                 /* pop rbp */
	{1, 1, {0xc3}},                                 /* ret */
	{5, 5, {0x0f, 0x1f, 0x44, 0x00, 0x00}},         /* nop */
	{1, 1, {0xcc}},                                 /* int3 padding */
};

static void intel_code(struct rng *r, uint8_t *buf, size_t len, bool big)
{
	(void)big;
	/* Random operand bytes everywhere first, then the opcodes over them. */
	for (size_t i = 0; i + 8 <= len; i += 8) {
		uint64_t v = rng_next(r);
		memcpy(buf + i, &v, 8);
	}
	struct rng_bits b = {r, 0, 0};
	for (size_t at = 0; at < len;) {
		unsigned k = rng_take(&b, 4);   /* 16 instructions */
		memcpy(buf + at, x86_insns[k].b, MMU_MIN((size_t)x86_insns[k].fixed, len - at));
		at += x86_insns[k].len;
	}
}

static const struct mkdump_extra intel_extras[] = {
	{"intel IDT", PHASE_KERNEL, intel_idt},
};

const struct mkdump_arch mkdump_arch_intel = {
	.name = "intel",
	.modes = intel_modes,
	.nmodes = ARRAY_LEN(intel_modes),
	.big_endian = false,
	.setup = intel_setup,
	.radix = &intel_radix,
	.extras = intel_extras,
	.nextras = ARRAY_LEN(intel_extras),
	.code_bytes = intel_code,
};
