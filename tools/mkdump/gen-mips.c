/*
 * gen-mips: a MIPS32 machine (Malta-like: RAM from physical 0, the kernel
 * at 0x80100000 in kseg0) whose kernel code writes the MMU's CP0 registers
 * (MIPS32 Volume III): PageMask, PageGrain, Wired, Config and the hardware
 * page walker's PWBase, PWField, PWSize and PWCtl.  MIPS has no page-table
 * format of its own to generate (the TLB is refilled by software), so the
 * dump holds code, data and noise; expected.yaml lists what the code
 * writes.  Either byte order (--endian).
 */
#include "autoconfig.h"

#include "gen.h"
#include "insn.h"

#include <inttypes.h>
#include <string.h>

static const struct mkdump_mode mips_modes[] = {
	{"mips32", 32},
};

#define MiB (1ULL << 20)
#define KSEG0 0x80000000ULL
#define KERNEL_PA 0x100000ULL      /* Linux/Malta loads the kernel at 0x80100000 */
#define KSEG_WINDOW (512 * MiB)

/* CP0 register numbers (rd, sel). */
#define CP0_PAGEMASK 5, 0
#define CP0_PAGEGRAIN 5, 1
#define CP0_PWBASE 5, 5
#define CP0_PWFIELD 5, 6
#define CP0_PWSIZE 5, 7
#define CP0_WIRED 6, 0
#define CP0_PWCTL 6, 6
#define CP0_CONFIG 16, 0

/* Config: M, BE, AR = 1 (Release 2), MT = 1 (TLB), K0 = 3 (cacheable, write-back). */
#define CONFIG_M (1u << 31)
#define CONFIG_BE (1u << 15)
#define CONFIG_AR_R2 (1u << 10)
#define CONFIG_MT_TLB (1u << 7)
#define CONFIG_K0_MASK 7u
#define CONFIG_K0_CWB 3u
#define PAGEMASK_16K 0x6000u          /* Mask = 3 */
#define PAGEMASK_1M 0x1FE000u         /* Mask = 0xFF: the decoy's */
#define PAGEGRAIN_RIE_XIE 0xC0000000u
#define PWFIELD_2LEVEL 0x16000306u    /* GDI 22, PTI 12, PTEI 6 (Linux, 4 KiB PTEs, 2 levels) */
#define PWSIZE_2LEVEL 0x0A000280u     /* GDW 10, PTW 10 */
#define PWCTL_ON 0x80000040u          /* PWEn, HugePg */

struct mips_state {
	uint32_t config, pagemask, pagegrain, wired, pwbase, pwfield, pwsize, pwctl;
	uint64_t pgd_ptr_pa;              /* a kernel variable holding another pgd (decoy load) */
};

static int mips_setup(struct gen *g, struct err *e)
{
	if (gen_check_options(g, 0, e))
		return -1;
	g->m_phy = 32;
	g->ram_base = 0;
	struct mips_state *st = xcalloc(1, sizeof(*st));
	g->arch_data = st;
	st->config = CONFIG_M | (g->big_endian ? CONFIG_BE : 0) | CONFIG_AR_R2 | CONFIG_MT_TLB | CONFIG_K0_CWB;
	st->pagemask = PAGEMASK_16K;
	st->pagegrain = PAGEGRAIN_RIE_XIE;
	st->wired = 0;
	st->pwfield = PWFIELD_2LEVEL;
	st->pwsize = PWSIZE_2LEVEL;
	st->pwctl = PWCTL_ON;
	/* The original's format needs Config in the machine description (algo-mips-ppc-gtruth.md 2.3). */
	sbuf_printf(&g->cpu_yaml, "  registers_values: {Config: 0x%x}\n", st->config);
	return 0;
}

/* rt = v as compilers build it: ori alone, lui alone, or lui + ori. */
static void mips_const(struct code_fn *f, unsigned rt, uint32_t v)
{
	if (!(v >> 16)) {
		fn_put(f, mips_ori(rt, MIPS_ZERO, v));
		return;
	}
	fn_put(f, mips_lui(rt, v >> 16));
	if (v & 0xFFFF)
		fn_put(f, mips_ori(rt, rt, v & 0xFFFF));
}

/* rt = v with lui + a sign-extended addiu (%hi/%lo of a symbol). */
static void mips_la(struct code_fn *f, unsigned rt, uint32_t v)
{
	fn_put(f, mips_lui(rt, (v + 0x8000) >> 16));
	fn_put(f, mips_addiu(rt, rt, (int16_t)(v & 0xFFFF)));
}

/* The previous function's return (jr ra with its delay slot), then a frame. */
static void fn_begin(struct code_fn *f)
{
	f->n = 0;
	fn_put(f, mips_jr(MIPS_RA));
	fn_put(f, mips_nop());
	fn_put(f, mips_addiu(MIPS_SP, MIPS_SP, -32));
	fn_put(f, mips_sw(MIPS_RA, 28, MIPS_SP));
	fn_put(f, mips_sw(MIPS_S0, 24, MIPS_SP));
}

/* Epilogue with the stack adjustment in the return's delay slot, as gcc schedules it. */
static void fn_end(struct code_fn *f)
{
	fn_put(f, mips_lw(MIPS_S0, 24, MIPS_SP));
	fn_put(f, mips_lw(MIPS_RA, 28, MIPS_SP));
	fn_put(f, mips_jr(MIPS_RA));
	fn_put(f, mips_addiu(MIPS_SP, MIPS_SP, 32));
}

static void mtc0(struct code_fn *f, unsigned rt, unsigned rd, unsigned sel)
{
	fn_put(f, mips_mtc0(rt, rd, sel));
	fn_put(f, mips_ehb());
}

/* Config.K0 set by read-modify-write (Linux change_c0_config): exact given the configured Config. */
static void config_k0(struct code_fn *f, const struct mips_state *st)
{
	fn_put(f, mips_mfc0(MIPS_T0, CP0_CONFIG));
	fn_put(f, mips_addiu(MIPS_T1, MIPS_ZERO, -(int32_t)(CONFIG_K0_MASK + 1)));
	fn_put(f, mips_and(MIPS_T0, MIPS_T0, MIPS_T1));
	fn_put(f, mips_ori(MIPS_T0, MIPS_T0, st->config & CONFIG_K0_MASK));
	mtc0(f, MIPS_T0, CP0_CONFIG);
}

/*
 * Two functions write every register (CPU probe at boot, TLB setup on
 * resume, shaped differently); decoys: a setter taking its value as an
 * argument, dead code after a jump writing a 1 MiB PageMask, PWBase loaded
 * from another pgd pointer, and the MTC0 words of PageMask in kernel data.
 */
static int mips_code(struct gen *g, struct mips_state *st, struct err *e)
{
	struct code_fn f;
	uint64_t pa;
	bool big = g->big_endian;

	/* cpu_probe: constants split over lui/ori, Wired from $zero, Config by read-modify-write. */
	fn_begin(&f);
	fn_put(&f, mips_or(MIPS_S0, MIPS_A0, MIPS_ZERO));
	mips_const(&f, MIPS_T0, st->pagemask);
	mtc0(&f, MIPS_T0, CP0_PAGEMASK);
	mips_const(&f, MIPS_T1, st->pagegrain);
	mtc0(&f, MIPS_T1, CP0_PAGEGRAIN);
	mtc0(&f, MIPS_ZERO, CP0_WIRED);
	config_k0(&f, st);
	mips_la(&f, MIPS_T0, st->pwbase);
	mtc0(&f, MIPS_T0, CP0_PWBASE);
	mips_const(&f, MIPS_T1, st->pwfield);
	mtc0(&f, MIPS_T1, CP0_PWFIELD);
	mips_const(&f, MIPS_T2, st->pwsize);
	mtc0(&f, MIPS_T2, CP0_PWSIZE);
	mips_const(&f, MIPS_T0, st->pwctl);
	mtc0(&f, MIPS_T0, CP0_PWCTL);
	fn_end(&f);
	if (gen_place_code(g, &f, big, &pa, e))
		return -1;

	/* tlb_setup: a call first, callee-saved s0 carrying one value, one write in a call's delay slot. */
	fn_begin(&f);
	fn_put(&f, mips_jal((uint32_t)(g->k.text_va + 0x40)));
	fn_put(&f, mips_nop());
	mips_const(&f, MIPS_S0, st->pagemask >> 13);
	fn_put(&f, mips_sll(MIPS_S0, MIPS_S0, 13));
	mips_const(&f, MIPS_T0, st->wired);
	fn_put(&f, mips_jal((uint32_t)(g->k.text_va + 0x80)));
	fn_put(&f, mips_mtc0(MIPS_T0, CP0_WIRED));
	fn_put(&f, mips_mtc0(MIPS_S0, CP0_PAGEMASK));
	fn_put(&f, mips_ehb());
	mips_const(&f, MIPS_T0, st->pagegrain);
	mtc0(&f, MIPS_T0, CP0_PAGEGRAIN);
	config_k0(&f, st);
	mips_la(&f, MIPS_T1, st->pwbase);
	mtc0(&f, MIPS_T1, CP0_PWBASE);
	mips_const(&f, MIPS_T0, st->pwfield);
	mtc0(&f, MIPS_T0, CP0_PWFIELD);
	mips_const(&f, MIPS_T0, st->pwsize);
	mtc0(&f, MIPS_T0, CP0_PWSIZE);
	mips_const(&f, MIPS_T0, st->pwctl);
	mtc0(&f, MIPS_T0, CP0_PWCTL);
	fn_end(&f);
	if (gen_place_code(g, &f, big, &pa, e))
		return -1;

	/* write_c0_pagemask(a0): the caller's value. */
	f.n = 0;
	fn_put(&f, mips_jr(MIPS_RA));
	fn_put(&f, mips_nop());
	fn_put(&f, mips_mtc0(MIPS_A0, CP0_PAGEMASK));
	fn_put(&f, mips_jr(MIPS_RA));
	fn_put(&f, mips_ehb());
	if (gen_place_code(g, &f, big, &pa, e))
		return -1;

	/* Dead code after a jump; then PWBase loaded from a pgd pointer variable (another table). */
	fn_begin(&f);
	fn_put(&f, mips_beq(MIPS_ZERO, MIPS_ZERO, 4));
	fn_put(&f, mips_nop());
	mips_const(&f, MIPS_T0, PAGEMASK_1M);
	mtc0(&f, MIPS_T0, CP0_PAGEMASK);
	fn_end(&f);
	/* b skips the dead block: fix the offset now that its length is known. */
	f.w[5] = mips_beq(MIPS_ZERO, MIPS_ZERO, (int32_t)(f.n - 4 - 6));
	if (gen_place_code(g, &f, big, &pa, e))
		return -1;
	fn_begin(&f);
	uint32_t var = (uint32_t)(KSEG0 + st->pgd_ptr_pa);
	fn_put(&f, mips_lui(MIPS_T0, (var + 0x8000) >> 16));
	fn_put(&f, mips_lw(MIPS_T0, (int16_t)(var & 0xFFFF), MIPS_T0));
	fn_put(&f, mips_nop());
	mtc0(&f, MIPS_T0, CP0_PWBASE);
	fn_end(&f);
	if (gen_place_code(g, &f, big, &pa, e))
		return -1;

	static const struct {
		const char *name;
		size_t off;
	} regs[] = {
		{"pagemask", offsetof(struct mips_state, pagemask)}, {"pagegrain", offsetof(struct mips_state, pagegrain)},
		{"wired", offsetof(struct mips_state, wired)},       {"config", offsetof(struct mips_state, config)},
		{"pwbase", offsetof(struct mips_state, pwbase)},     {"pwfield", offsetof(struct mips_state, pwfield)},
		{"pwsize", offsetof(struct mips_state, pwsize)},     {"pwctl", offsetof(struct mips_state, pwctl)},
	};
	for (size_t i = 0; i < ARRAY_LEN(regs); i++) {
		uint32_t v;
		memcpy(&v, (const uint8_t *)st + regs[i].off, sizeof(v));
		gen_add_register(g, regs[i].name, v, 0.01 + 0.001 * (double)i, 59.9, 2);
		gen_expect_code_register(g, regs[i].name, v, 2);
	}
	return 0;
}

/* The kernel image in kseg0 (text, then data holding the page directory), then its code. */
static int mips_kernel(struct gen *g, struct err *e)
{
	struct mips_state *st = g->arch_data;
	uint64_t text = MMU_MIN(MMU_MAX(g->o->ram / 16, 256 * 1024), 4 * MiB), data = text / 2;
	if (KERNEL_PA + text + data > g->regions[0].size ||
	    phys_alloc_at(g, KERNEL_PA, text, FK_CODE) || phys_alloc_at(g, KERNEL_PA + text, data, FK_STRUCT))
		return gen_out_of_ram(g, e);
	g->k.text_pa = KERNEL_PA;
	g->k.text_va = KSEG0 + KERNEL_PA;
	g->k.text_size = text;
	g->k.data_pa = KERNEL_PA + text;
	g->k.data_va = KSEG0 + g->k.data_pa;
	g->k.data_size = data;
	g->k.direct_va = KSEG0;
	g->k.direct_size = MMU_MIN(g->regions[0].size, KSEG_WINDOW);
	/* swapper_pg_dir: a zeroed page of kernel data; PWBase holds its kseg0 address. */
	uint64_t pgd = g->k.data_pa + align_down(rng_below(&g->rng, data / 2), GEN_FRAME);
	memset(phys_bytes(g, pgd), 0, GEN_FRAME);
	st->pwbase = (uint32_t)(KSEG0 + pgd);
	/* pgd_current: a word of kernel data naming another directory. */
	st->pgd_ptr_pa = g->k.data_pa + data / 2 + align_down(rng_below(&g->rng, data / 4), 4);
	wr32(phys_bytes(g, st->pgd_ptr_pa), st->pwbase + 0x3000, g->big_endian);
	if (mips_code(g, st, e))
		return -1;
	/* Data that happens to hold MTC0 words (a table of opcodes, as uasm keeps): sites with no code around. */
	uint64_t at = g->k.data_pa + data - GEN_FRAME + 8 * rng_below(&g->rng, 64);
	wr32(phys_bytes(g, at), mips_mtc0(MIPS_T0, CP0_PAGEMASK), g->big_endian);
	gen_add_decoy(g, at, "mtc0-in-data");
	return 0;
}

/* MIPS32 instructions with random register and immediate fields (no COP0: no accidental MMU writes). */
static const struct code_template mips_insns[] = {
	{0x27BD0000, 0x0000FFFF},       /* addiu sp, sp, imm */
	{0x24000000, 0x03FFFFFF},       /* addiu */
	{0x8C000000, 0x03FFFFFF},       /* lw */
	{0xAC000000, 0x03FFFFFF},       /* sw */
	{0x3C000000, 0x001FFFFF},       /* lui */
	{0x34000000, 0x03FFFFFF},       /* ori */
	{0x0C000000, 0x03FFFFFF},       /* jal */
	{0x10000000, 0x03FFFFFF},       /* beq */
	{0x14000000, 0x03FFFFFF},       /* bne */
	{0x00000021, 0x03FFF800},       /* addu */
	{0x00000025, 0x03FFF800},       /* or */
	{0x00000000, 0x001FFFC0},       /* sll */
	{0x03E00008, 0x00000000},       /* jr ra */
	{0x00000000, 0x00000000},       /* nop */
};

static void mips_code_bytes(struct rng *r, uint8_t *buf, size_t len, bool big)
{
	code_words(r, buf, len, big, mips_insns, ARRAY_LEN(mips_insns));
}

static const struct mkdump_extra mips_extras[] = {
	{"mips kernel and CP0 code", PHASE_KERNEL, mips_kernel},
};

const struct mkdump_arch mkdump_arch_mips = {
	.name = "mips",
	.modes = mips_modes,
	.nmodes = ARRAY_LEN(mips_modes),
	.big_endian = false,
	.both_endians = true,
	.setup = mips_setup,
	.extras = mips_extras,
	.nextras = ARRAY_LEN(mips_extras),
	.code_bytes = mips_code_bytes,
};
