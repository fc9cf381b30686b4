/*
 * MIPS32 register recovery: the MTC0 site scan, the MIPS32 front-end of the
 * dataflow engine (both byte orders, Release 6 too) and the CP0 register
 * layouts (algo-mips-ppc-gtruth.md 2.2-2.5, 6.1-6.7).
 *
 * Semantics come from the instruction word's fields (MIPS32 Volume II):
 * Capstone 4 only says whether a word is an instruction and, in Release 6
 * mode, which compact branch it is.  Code is analysed at kseg0 addresses;
 * kseg0 and kseg1 are unmapped windows onto the low 512 MiB, so code and
 * kernel data are read at VA & 0x1FFFFFFF without any translation.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "regrec.h"
#include "util.h"

/* ---- CP0 registers ---- */

/* Key of a CP0 register: rd (register number) and sel. */
#define CP0(rd, sel) ((rd) << 3 | (sel))

/* Recorded by the site scan, in the order of mips_regs (sysreg i feeds reg i). */
static const uint32_t site_keys[] = {
	CP0(5, 0),  /* PageMask */
	CP0(5, 1),  /* PageGrain */
	CP0(6, 0),  /* Wired */
	CP0(16, 0), /* Config */
	CP0(16, 5), /* Config5 */
	CP0(4, 1),  /* ContextConfig */
	CP0(5, 2),  /* SegCtl0 */
	CP0(5, 3),  /* SegCtl1 */
	CP0(5, 4),  /* SegCtl2 */
	CP0(5, 5),  /* PWBase */
	CP0(5, 6),  /* PWField */
	CP0(5, 7),  /* PWSize */
	CP0(6, 6),  /* PWCtl */
};

/* Named for cpu.registers_values lookups of mfc0 reads only. */
static const struct {
	uint32_t key;
	const char *name;
} other_cp0[] = {
	{CP0(0, 0), "index"},    {CP0(1, 0), "random"},   {CP0(2, 0), "entrylo0"}, {CP0(3, 0), "entrylo1"},
	{CP0(4, 0), "context"},  {CP0(7, 0), "hwrena"},   {CP0(8, 0), "badvaddr"}, {CP0(9, 0), "count"},
	{CP0(10, 0), "entryhi"}, {CP0(11, 0), "compare"}, {CP0(12, 0), "status"},  {CP0(13, 0), "cause"},
	{CP0(14, 0), "epc"},     {CP0(15, 0), "prid"},    {CP0(15, 1), "ebase"},   {CP0(16, 1), "config1"},
	{CP0(16, 2), "config2"}, {CP0(16, 3), "config3"}, {CP0(16, 4), "config4"}, {CP0(17, 0), "lladdr"},
	{CP0(31, 2), "kscratch1"}, {CP0(31, 3), "kscratch2"}, {CP0(31, 4), "kscratch3"},
	{CP0(31, 5), "kscratch4"}, {CP0(31, 6), "kscratch5"}, {CP0(31, 7), "kscratch6"},
};

static int site_sysreg(uint32_t key)
{
	for (size_t i = 0; i < ARRAY_LEN(site_keys); i++)
		if (site_keys[i] == key)
			return (int)i;
	return -1;
}

/* ---- register layouts (2.5) ---- */

/* Zero, or one run of set bits. */
static bool contiguous(uint64_t v)
{
	if (!v)
		return true;
	uint64_t x = v >> __builtin_ctzll(v);
	return (x & (x + 1)) == 0;
}

#define PAGEMASK_MASK_LO 13
#define PAGEMASK_MASK_HI 28
#define PAGEMASK_MASKX_LO 11
#define PAGEMASK_MASKX_HI 12
#define WIRED_WIRED_HI 15
#define WIRED_LIMIT_LO 16
#define PWSIZE_PS (1ULL << 30)
#define CONFIG_M (1ULL << 31)
#define CONFIG_MT_LO 7
#define CONFIG_MT_HI 9
#define CONFIG_AR_LO 10
#define CONFIG_AR_HI 12
#define CONFIG_AR_RELEASE6 2
#define PAGEGRAIN_ESP (1ULL << 28)

static const struct regrec_field contextconfig_fields[] = {{"VirtualIndex", 31, 0, RF_KEY}};

static const char *contextconfig_check(uint64_t v, uint64_t unknown)
{
	(void)unknown;
	return contiguous(v) ? NULL : "VirtualIndex is not one contiguous run of bits";
}

static const struct regrec_field pagemask_fields[] = {
	{"RES0", 10, 0, RF_RES0},
	{"MaskX", PAGEMASK_MASKX_HI, PAGEMASK_MASKX_LO, RF_KEY},
	{"Mask", PAGEMASK_MASK_HI, PAGEMASK_MASK_LO, RF_KEY},
	{"RES0", 31, 29, RF_RES0},
};

/* The architecture's page sizes only: Mask 4^k - 1 (4 KiB .. 256 MiB), MaskX 0 or 3. */
static const char *pagemask_check(uint64_t v, uint64_t unknown)
{
	(void)unknown;
	uint64_t mask = bits_get(v, PAGEMASK_MASK_HI, PAGEMASK_MASK_LO), maskx = bits_get(v, PAGEMASK_MASKX_HI, PAGEMASK_MASKX_LO);
	if (!contiguous(mask) || (mask & 1) != (mask != 0) || __builtin_popcountll(mask) % 2)
		return "Mask is not a page size (0, 0x3, 0xf, ... 0xffff)";
	if (maskx != 0 && maskx != 3)
		return "MaskX is neither 0 nor 3";
	return NULL;
}

/* A power-of-two size as "16 KiB". */
static void pow2_size(uint64_t bytes, struct sbuf *out)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB"};
	unsigned u = 0;
	while (bytes >= 1024 && !(bytes % 1024) && u + 1 < ARRAY_LEN(units)) {
		bytes /= 1024;
		u++;
	}
	sbuf_printf(out, "%llu %s", (unsigned long long)bytes, units[u]);
}

static void pagemask_describe(uint64_t v, uint64_t unknown, struct sbuf *out)
{
	if (unknown & mask_bits(PAGEMASK_MASK_HI, PAGEMASK_MASK_LO))
		return;
	pow2_size((bits_get(v, PAGEMASK_MASK_HI, PAGEMASK_MASK_LO) + 1) << 12, out);
	sbuf_printf(out, " pages");
}

static const struct regrec_field pagegrain_fields[] = {
	{"MCCause", 4, 0, 0}, {"RES0", 7, 5, RF_RES0}, {"ASE", 12, 8, 0}, {"RES0", 25, 13, RF_RES0},
	{"S32", 26, 26, 0},   {"IEC", 27, 27, 0},      {"ESP", 28, 28, RF_KEY}, {"ELPA", 29, 29, RF_KEY},
	{"XIE", 30, 30, RF_KEY}, {"RIE", 31, 31, RF_KEY},
};

static const struct regrec_field segctl0_fields[] = {{"CFG0", 15, 0, RF_KEY}, {"RES0", 8, 7, RF_RES0},
						     {"CFG1", 31, 16, RF_KEY}, {"RES0", 24, 23, RF_RES0}};
static const struct regrec_field segctl1_fields[] = {{"CFG2", 15, 0, RF_KEY}, {"RES0", 8, 7, RF_RES0},
						     {"CFG3", 31, 16, RF_KEY}, {"RES0", 24, 23, RF_RES0}};
static const struct regrec_field segctl2_fields[] = {{"CFG4", 15, 0, RF_KEY}, {"RES0", 8, 7, RF_RES0},
						     {"CFG5", 31, 16, RF_KEY}, {"RES0", 24, 23, RF_RES0}};

static const struct regrec_field pwbase_fields[] = {{"PWBase", 31, 0, RF_KEY}};

static const struct regrec_field pwfield_fields[] = {
	{"PTEI", 5, 0, RF_KEY},  {"PTI", 11, 6, RF_KEY},  {"MDI", 17, 12, RF_KEY},
	{"UDI", 23, 18, RF_KEY}, {"GDI", 29, 24, RF_KEY}, {"RES0", 31, 30, RF_RES0},
};

static const struct regrec_field pwsize_fields[] = {
	{"PTEW", 5, 0, RF_KEY},  {"PTW", 11, 6, RF_KEY},  {"MDW", 17, 12, RF_KEY}, {"UDW", 23, 18, RF_KEY},
	{"GDW", 29, 24, RF_KEY}, {"PS", 30, 30, RF_KEY},  {"RES0", 31, 31, RF_RES0},
};

static bool release6(const struct machine_config *cfg);

/* Release 6 walker: every directory index at bit 12 or above (a page at least). */
static const char *pwfield_r6(const struct machine_config *cfg, uint64_t v, uint64_t unknown)
{
	(void)unknown;
	if (!release6(cfg))
		return NULL;
	for (unsigned lo = 6; lo <= 24; lo += 6)
		if (bits_get(v, lo + 5, lo) < 12)
			return "Release 6: PTI, MDI, UDI and GDI must be 12 or more";
	return NULL;
}

/* Release 6 walker: PTW = 1 (two PTEs per entry, even and odd pages). */
static const char *pwsize_r6(const struct machine_config *cfg, uint64_t v, uint64_t unknown)
{
	(void)unknown;
	return release6(cfg) && bits_get(v, 11, 6) != 1 ? "Release 6: PTW must be 1" : NULL;
}

/* MIPS32 directories hold 32-bit pointers. */
static const char *pwsize_check(uint64_t v, uint64_t unknown)
{
	(void)unknown;
	return v & PWSIZE_PS ? "PS = 1 (64-bit directory pointers) needs MIPS64" : NULL;
}

static const struct regrec_field wired_fields[] = {{"Wired", WIRED_WIRED_HI, 0, RF_KEY},
						   {"Limit", 31, WIRED_LIMIT_LO, RF_KEY}};

/* Cores before Release 6 have no Limit field (it reads 0): any Wired goes then. */
static const char *wired_check(uint64_t v, uint64_t unknown)
{
	(void)unknown;
	uint64_t wired = bits_get(v, WIRED_WIRED_HI, 0), limit = v >> WIRED_LIMIT_LO;
	return limit && wired > limit ? "Wired above Limit" : NULL;
}

static void wired_describe(uint64_t v, uint64_t unknown, struct sbuf *out)
{
	if (!(unknown & mask_bits(WIRED_WIRED_HI, 0)))
		sbuf_printf(out, "%llu wired TLB entries", (unsigned long long)bits_get(v, WIRED_WIRED_HI, 0));
}

static const struct regrec_field pwctl_fields[] = {
	{"Psn", 5, 0, RF_KEY}, {"HugePg", 6, 6, RF_KEY}, {"DPH", 7, 7, RF_KEY}, {"RES0", 30, 8, RF_RES0},
	{"PWEn", 31, 31, RF_KEY},
};

static const struct regrec_field config_fields[] = {
	{"K0", 2, 0, RF_KEY},  {"VI", 3, 3, 0},         {"RES0", 6, 4, RF_RES0},
	{"MT", CONFIG_MT_HI, CONFIG_MT_LO, RF_KEY},     {"AR", CONFIG_AR_HI, CONFIG_AR_LO, 0},
	{"AT", 14, 13, 0},     {"BE", 15, 15, 0},       {"KU", 27, 25, RF_KEY},
	{"K23", 30, 28, RF_KEY}, {"M", 31, 31, RF_KEY},
};

/* M = 1: Config1 exists, which every MIPS32 core has. */
static const char *config_check(uint64_t v, uint64_t unknown)
{
	(void)unknown;
	return v & CONFIG_M ? NULL : "M = 0 (Config1 must exist)";
}

static void config_describe(uint64_t v, uint64_t unknown, struct sbuf *out)
{
	static const char *const mt[] = {"no MMU", "TLB", "BAT", "fixed mapping", "dual VTLB/FTLB", "MT 5", "MT 6", "MT 7"};
	uint64_t ar = bits_get(v, CONFIG_AR_HI, CONFIG_AR_LO);
	if (!(unknown & mask_bits(CONFIG_MT_HI, CONFIG_MT_LO)))
		sbuf_printf(out, "MMU: %s", mt[bits_get(v, CONFIG_MT_HI, CONFIG_MT_LO)]);
	if (!(unknown & mask_bits(CONFIG_AR_HI, CONFIG_AR_LO)))
		sbuf_printf(out, "%sRelease %s", unknown & mask_bits(CONFIG_MT_HI, CONFIG_MT_LO) ? "" : ", ",
			    ar == 0 ? "1" : ar == 1 ? "2-5" : ar == CONFIG_AR_RELEASE6 ? "6" : "?");
}

static const struct regrec_field config5_fields[] = {
	{"NFExists", 0, 0, 0}, {"RES0", 1, 1, RF_RES0},  {"UFR", 2, 2, 0},    {"MRP", 3, 3, RF_KEY},
	{"LLB", 4, 4, 0},      {"MVH", 5, 5, RF_KEY},    {"SBRI", 6, 6, 0},   {"VP", 7, 7, 0},
	{"FRE", 8, 8, 0},      {"UFE", 9, 9, 0},         {"L2C", 10, 10, 0},  {"DEC", 11, 11, 0},
	{"RES0", 12, 12, RF_RES0}, {"XNP", 13, 13, 0},  {"RES0", 26, 14, RF_RES0}, {"MSAEn", 27, 27, 0},
	{"EVA", 28, 28, RF_KEY}, {"CV", 29, 29, 0},     {"K", 30, 30, 0},    {"M", 31, 31, 0},
};

#define LAYOUT(var, f, chk, desc)                                                              \
	static const struct regrec_layout var = {.name = "mips32", .fields = f, .nfields = ARRAY_LEN(f), \
						 .check = chk, .describe = desc}
#define LAYOUT_R6(var, f, chk, r6)                                                             \
	static const struct regrec_layout var = {.name = "mips32", .fields = f, .nfields = ARRAY_LEN(f), \
						 .check = chk, .check_machine = r6}

LAYOUT(l_contextconfig, contextconfig_fields, contextconfig_check, NULL);
LAYOUT(l_pagemask, pagemask_fields, pagemask_check, pagemask_describe);
LAYOUT(l_pagegrain, pagegrain_fields, NULL, NULL);
LAYOUT(l_segctl0, segctl0_fields, NULL, NULL);
LAYOUT(l_segctl1, segctl1_fields, NULL, NULL);
LAYOUT(l_segctl2, segctl2_fields, NULL, NULL);
LAYOUT(l_pwbase, pwbase_fields, NULL, NULL);
LAYOUT_R6(l_pwfield, pwfield_fields, NULL, pwfield_r6);
LAYOUT_R6(l_pwsize, pwsize_fields, pwsize_check, pwsize_r6);
LAYOUT(l_wired, wired_fields, wired_check, wired_describe);
LAYOUT(l_pwctl, pwctl_fields, NULL, NULL);
LAYOUT(l_config, config_fields, config_check, config_describe);
LAYOUT(l_config5, config5_fields, NULL, NULL);

/* Names the QEMU logger and the harness use ("cp0_config0" is Config). */
#define GT(...) ((const char *const[]){__VA_ARGS__, NULL})

#define REG(n, d, l, ...) {.name = n, .display = d, .bits = 32, .layouts = {&l, NULL}, .gt_names = GT(__VA_ARGS__)}

static const struct regrec_reg mips_regs[] = {
	REG("pagemask", "PageMask", l_pagemask, "pagemask", "cp0_pagemask"),
	REG("pagegrain", "PageGrain", l_pagegrain, "pagegrain", "cp0_pagegrain"),
	REG("wired", "Wired", l_wired, "wired", "cp0_wired"),
	REG("config", "Config", l_config, "config", "config0", "cp0_config", "cp0_config0"),
	REG("config5", "Config5", l_config5, "config5", "cp0_config5"),
	REG("contextconfig", "ContextConfig", l_contextconfig, "contextconfig", "cp0_contextconfig"),
	REG("segctl0", "SegCtl0", l_segctl0, "segctl0", "cp0_segctl0"),
	REG("segctl1", "SegCtl1", l_segctl1, "segctl1", "cp0_segctl1"),
	REG("segctl2", "SegCtl2", l_segctl2, "segctl2", "cp0_segctl2"),
	REG("pwbase", "PWBase", l_pwbase, "pwbase", "cp0_pwbase"),
	REG("pwfield", "PWField", l_pwfield, "pwfield", "cp0_pwfield"),
	REG("pwsize", "PWSize", l_pwsize, "pwsize", "cp0_pwsize"),
	REG("pwctl", "PWCtl", l_pwctl, "pwctl", "cp0_pwctl"),
};

/* Sysreg i is written by MTC0 to site_keys[i] and feeds mips_regs[i]. */
static const struct regrec_sysreg site_sysregs[] = {
	{.name = "pagemask", .analysed = 0},      {.name = "pagegrain", .analysed = 1},
	{.name = "wired", .analysed = 2},         {.name = "config", .analysed = 3},
	{.name = "config5", .analysed = 4},       {.name = "contextconfig", .analysed = 5},
	{.name = "segctl0", .analysed = 6},       {.name = "segctl1", .analysed = 7},
	{.name = "segctl2", .analysed = 8},       {.name = "pwbase", .analysed = 9},
	{.name = "pwfield", .analysed = 10},      {.name = "pwsize", .analysed = 11},
	{.name = "pwctl", .analysed = 12},
};

static const char *mips_sysreg_name(uint32_t key, char *buf, size_t len)
{
	int i = site_sysreg(key);
	if (i >= 0)
		return site_sysregs[i].name;
	for (size_t k = 0; k < ARRAY_LEN(other_cp0); k++)
		if (other_cp0[k].key == key)
			return other_cp0[k].name;
	snprintf(buf, len, "cp0_%u_%u", key >> 3, key & 7);
	return buf;
}

/* ---- the MIPS32 front-end (6.4, 6.5) ---- */

#define MIPS_NREGS 32
#define R_AT 1
#define R_RA 31
/* o32: at, v0-v1, a0-a3, t0-t9 do not survive a call (ra was just set). */
#define MIPS_CALL_CLOBBER (0xFFFEULL | 1ULL << 24 | 1ULL << 25)

static const char *const mips_reg_names[MIPS_NREGS] = {
	"ZERO", "AT", "V0", "V1", "A0", "A1", "A2", "A3", "T0", "T1", "T2", "T3", "T4", "T5", "T6", "T7",
	"S0",   "S1", "S2", "S3", "S4", "S5", "S6", "S7", "T8", "T9", "K0", "K1", "GP", "SP", "FP", "RA",
};

/* Instruction fields (MIPS32 Volume II, 3.2). */
#define OP(w) ((w) >> 26)
#define RS(w) (((w) >> 21) & 31)
#define RT(w) (((w) >> 16) & 31)
#define RD(w) (((w) >> 11) & 31)
#define SA(w) (((w) >> 6) & 31)
#define FUNCT(w) ((w) & 63)
#define IMM(w) ((w) & 0xFFFF)
#define SIMM(w) ((uint32_t)(int32_t)(int16_t)((w) & 0xFFFF))

/* Opcodes (bits 31..26). */
enum {
	OP_SPECIAL = 0x00, OP_REGIMM = 0x01, OP_J = 0x02, OP_JAL = 0x03, OP_BEQ = 0x04, OP_BNE = 0x05,
	OP_BLEZ = 0x06, OP_BGTZ = 0x07, OP_ADDI = 0x08, OP_ADDIU = 0x09, OP_SLTI = 0x0A, OP_SLTIU = 0x0B,
	OP_ANDI = 0x0C, OP_ORI = 0x0D, OP_XORI = 0x0E, OP_LUI = 0x0F, OP_COP0 = 0x10, OP_COP1 = 0x11,
	OP_COP2 = 0x12, OP_BEQL = 0x14, OP_BNEL = 0x15, OP_BLEZL = 0x16, OP_BGTZL = 0x17,
	OP_SPECIAL2 = 0x1C, OP_JALX = 0x1D, OP_SPECIAL3 = 0x1F, OP_LB = 0x20, OP_LH = 0x21, OP_LWL = 0x22,
	OP_LW = 0x23, OP_LBU = 0x24, OP_LHU = 0x25, OP_LWR = 0x26, OP_SB = 0x28, OP_SH = 0x29, OP_SWL = 0x2A,
	OP_SW = 0x2B, OP_SWR = 0x2E, OP_CACHE = 0x2F, OP_LL = 0x30, OP_PREF = 0x33, OP_SC = 0x38,
	OP_PCREL = 0x3B,
};

/* SPECIAL functions (bits 5..0). */
enum {
	F_SLL = 0x00, F_SRL = 0x02, F_SRA = 0x03, F_SLLV = 0x04, F_SRLV = 0x06, F_SRAV = 0x07, F_JR = 0x08,
	F_JALR = 0x09, F_MOVZ = 0x0A, F_MOVN = 0x0B, F_SYSCALL = 0x0C, F_BREAK = 0x0D, F_SYNC = 0x0F,
	F_MTHI = 0x11, F_MTLO = 0x13, F_MULT = 0x18, F_DIVU = 0x1B, F_ADD = 0x20, F_ADDU = 0x21, F_SUB = 0x22,
	F_SUBU = 0x23, F_AND = 0x24, F_OR = 0x25, F_XOR = 0x26, F_NOR = 0x27, F_SLT = 0x2A, F_SLTU = 0x2B,
	F_TGE = 0x30, F_TNE = 0x36,
};

/* REGIMM rt values. */
enum { RI_BLTZ = 0x00, RI_BGEZ = 0x01, RI_BLTZL = 0x02, RI_BGEZL = 0x03, RI_BLTZAL = 0x10, RI_BGEZAL = 0x11,
       RI_BLTZALL = 0x12, RI_BGEZALL = 0x13 };

/* COP0 rs values, and functions with the CO bit (25) set. */
enum { C0_MF = 0x00, C0_MFH = 0x02, C0_MT = 0x04, C0_MTH = 0x06, C0_RDPGPR = 0x0A, C0_MFMC0 = 0x0B };
#define C0_CO (1u << 25)
enum { C0F_ERET = 0x18, C0F_DERET = 0x1F };

/* SPECIAL3 functions and BSHFL forms (sa field). */
enum { F3_EXT = 0x00, F3_INS = 0x04, F3_SC_R6 = 0x26, F3_CACHE_R6 = 0x25, F3_BSHFL = 0x20, F3_PREF_R6 = 0x35,
       F3_LL_R6 = 0x36, F3_RDHWR = 0x3B };
enum { BS_WSBH = 0x02, BS_SEB = 0x10, BS_SEH = 0x18 };

/* SPECIAL2 functions. */
enum { F2_MADD = 0x00, F2_MADDU = 0x01, F2_MUL = 0x02, F2_MSUB = 0x04, F2_MSUBU = 0x05, F2_CLZ = 0x20,
       F2_CLO = 0x21, F2_SDBBP = 0x3F };

/* COP1 (and COP2) rs values: moves to GPRs, and the branches on coprocessor conditions. */
enum { C1_MF = 0x00, C1_CF = 0x02, C1_MFH = 0x03, C1_BC = 0x08, C1_BC1EQZ = 0x09, C1_BC1NEZ = 0x0D };

struct mctx {
	struct df_insn *in;
	uint32_t w;
	uint64_t addr;
	bool r6;
};

/* Writes to $zero vanish; reads of $zero are 0. */
static uint8_t dst(unsigned r)
{
	return r ? (uint8_t)r : DF_REG_NONE;
}

static struct df_arg src(unsigned r)
{
	return r ? df_reg((uint8_t)r) : df_imm(0);
}

static void unknown(struct df_insn *in, unsigned r)
{
	if (r)
		df_clobber(in, (uint8_t)r);
}

static void op2(struct df_insn *in, uint8_t opc, unsigned d, struct df_arg a, struct df_arg b)
{
	df_emit(in, opc, 32, dst(d), a, b);
}

static uint64_t rel16(const struct mctx *c)
{
	return (uint32_t)(c->addr + 4 + (SIMM(c->w) << 2));
}

/* A control transfer with one delay slot; stop_skip 8: a region never starts in a delay slot. */
static void transfer(struct mctx *c, uint8_t flow, uint64_t target, bool has_target, bool stop)
{
	struct df_insn *in = c->in;
	in->flow = flow;
	in->delay = 1;
	if (has_target) {
		in->target = target;
		in->flags |= DF_IF_TARGET;
	}
	if (stop) {
		in->flags |= DF_IF_STOP;
		in->stop_skip = 8;
	}
}

/* A call: the link register gets the return address; the ABI's caller-saved registers are lost. */
static void call(struct mctx *c, unsigned link, uint64_t ret, uint64_t target, bool has_target, bool stop)
{
	transfer(c, DF_FLOW_CALL, target, has_target, stop);
	op2(c->in, DF_OP_SET, link, df_imm(ret), df_imm(0));
	/* bal to the next instruction only reads the PC: nothing is called. */
	if (!(has_target && target == ret))
		c->in->clobber |= MIPS_CALL_CLOBBER & ~(1ULL << link);
}

static void load(struct mctx *c, unsigned size, bool sign)
{
	df_emit_p(c->in, DF_OP_LOAD, 32, dst(RT(c->w)), src(RS(c->w)), df_imm(SIMM(c->w)), (uint8_t)size, 0,
		  sign ? DF_OPF_SIGNED : 0);
}

static void special(struct mctx *c)
{
	uint32_t w = c->w;
	struct df_insn *in = c->in;
	unsigned rs = RS(w), rt = RT(w), rd = RD(w), sa = SA(w);
	static const uint8_t alu[64] = {
		[F_ADD] = DF_OP_ADD, [F_ADDU] = DF_OP_ADD, [F_SUB] = DF_OP_SUB, [F_SUBU] = DF_OP_SUB,
		[F_AND] = DF_OP_AND, [F_OR] = DF_OP_OR,   [F_XOR] = DF_OP_XOR, [F_SLT] = DF_OP_SLT,
		[F_SLTU] = DF_OP_SLTU,
	};
	switch (FUNCT(w)) {
	case F_SLL:
		op2(in, DF_OP_SHL, rd, src(rt), df_imm(sa));
		return;
	case F_SRL:
		op2(in, rs == 1 ? DF_OP_ROR : DF_OP_LSR, rd, src(rt), df_imm(sa));
		return;
	case F_SRA:
		op2(in, DF_OP_ASR, rd, src(rt), df_imm(sa));
		return;
	case F_SLLV:
	case F_SRLV:
	case F_SRAV: {
		uint8_t opc = FUNCT(w) == F_SLLV ? DF_OP_SHL : FUNCT(w) == F_SRAV ? DF_OP_ASR : sa == 1 ? DF_OP_ROR : DF_OP_LSR;
		df_emit(in, DF_OP_AND, 32, DF_TMP0, src(rs), df_imm(31));
		op2(in, opc, rd, src(rt), df_reg(DF_TMP0));
		return;
	}
	case F_JR:
		/* jr ra returns, any other jr is an indirect jump: no known successor either way. */
		transfer(c, DF_FLOW_END, 0, false, true);
		return;
	case F_JALR:
		if (!rd)
			transfer(c, DF_FLOW_END, 0, false, true);   /* Release 6 jr */
		else
			call(c, rd, c->addr + 8, 0, false, true);
		return;
	case F_MOVZ:
	case F_MOVN:
		if (c->r6)
			break;
		/* The condition is not tracked: the old value or rs. */
		df_emit_p(in, DF_OP_SELECT, 32, dst(rd), src(rs), src(rd), DF_CC_NONE, 0, 0);
		return;
	case F_SYSCALL:
	case F_BREAK:
	case F_SYNC:
	case F_MTHI:
	case F_MTLO:
		return;
	case F_NOR:
		op2(in, DF_OP_OR, rd, src(rs), src(rt));
		op2(in, DF_OP_NOT, rd, src(rd), df_imm(0));
		return;
	default:
		break;
	}
	unsigned f = FUNCT(w);
	if (alu[f]) {
		op2(in, alu[f], rd, src(rs), src(rt));
		return;
	}
	/* HI/LO only before Release 6; traps write nothing. */
	if ((f >= F_MULT && f <= F_DIVU && !c->r6) || (f >= F_TGE && f <= F_TNE))
		return;
	unknown(in, rd);
}

static void regimm(struct mctx *c)
{
	uint32_t w = c->w;
	unsigned rt = RT(w);
	switch (rt) {
	case RI_BLTZ:
	case RI_BGEZ:
		transfer(c, DF_FLOW_BRANCH, rel16(c), true, false);
		return;
	case RI_BLTZL:
	case RI_BGEZL:
		transfer(c, DF_FLOW_BRANCH, rel16(c), true, false);
		c->in->flags |= DF_IF_LIKELY;
		return;
	case RI_BLTZAL:
	case RI_BGEZAL:
	case RI_BLTZALL:
	case RI_BGEZALL:
		/* bal (bgezal $0) always calls: a stop, like a jump. */
		call(c, R_RA, c->addr + 8, rel16(c), true, rt == RI_BGEZAL && RS(w) == 0 && rel16(c) != c->addr + 8);
		return;
	default:
		return;   /* traps, synci */
	}
}

static void cop0(struct mctx *c)
{
	uint32_t w = c->w;
	struct df_insn *in = c->in;
	if (w & C0_CO) {
		if (FUNCT(w) == C0F_ERET || FUNCT(w) == C0F_DERET) {
			in->flow = DF_FLOW_END;
			in->flags |= DF_IF_STOP;
		}
		return;   /* tlbwi, tlbwr, wait...: no register */
	}
	switch (RS(w)) {
	case C0_MF:
		df_emit(in, DF_OP_SYSREG, 32, dst(RT(w)), df_imm(CP0(RD(w), w & 7)), df_imm(0));
		return;
	case C0_MFH:
	case C0_MFMC0:
		unknown(in, RT(w));
		return;
	case C0_RDPGPR:
		unknown(in, RD(w));
		return;
	default:
		return;
	}
}

static void cop1(struct mctx *c)
{
	uint32_t w = c->w;
	unsigned rs = RS(w);
	if (rs == C1_MF || rs == C1_CF || rs == C1_MFH) {
		unknown(c->in, RT(w));
	} else if (rs == C1_BC && !c->r6) {
		transfer(c, DF_FLOW_BRANCH, rel16(c), true, false);
		if (w & (1u << 17))   /* nd: branch likely */
			c->in->flags |= DF_IF_LIKELY;
	} else if (c->r6 && (rs == C1_BC1EQZ || rs == C1_BC1NEZ)) {
		transfer(c, DF_FLOW_BRANCH, rel16(c), true, false);
	}
}

static void special2(struct mctx *c)
{
	switch (FUNCT(c->w)) {
	case F2_MUL:
		op2(c->in, DF_OP_MUL, RD(c->w), src(RS(c->w)), src(RT(c->w)));
		return;
	case F2_CLZ:
		op2(c->in, DF_OP_CLZ, RD(c->w), src(RS(c->w)), df_imm(0));
		return;
	case F2_CLO:
		unknown(c->in, RD(c->w));
		return;
	case F2_MADD:
	case F2_MADDU:
	case F2_MSUB:
	case F2_MSUBU:
	case F2_SDBBP:
		return;
	default:
		unknown(c->in, RT(c->w));
		unknown(c->in, RD(c->w));
		return;
	}
}

static void special3(struct mctx *c)
{
	uint32_t w = c->w;
	struct df_insn *in = c->in;
	unsigned rs = RS(w), rt = RT(w), rd = RD(w), sa = SA(w);
	switch (FUNCT(w)) {
	case F3_EXT:
		/* pos = sa, size - 1 = rd */
		if (sa + rd + 1 <= 32) {
			df_emit_p(in, DF_OP_EXTRACT, 32, dst(rt), src(rs), df_imm(0), (uint8_t)sa, (uint8_t)(rd + 1), 0);
			return;
		}
		break;
	case F3_INS:
		/* lsb = sa, msb = rd */
		if (rd >= sa) {
			df_emit_p(in, DF_OP_INSERT, 32, dst(rt), src(rs), df_imm(0), (uint8_t)sa, (uint8_t)(rd - sa + 1), 0);
			return;
		}
		break;
	case F3_BSHFL:
		if (sa == BS_SEB || sa == BS_SEH) {
			df_emit_p(in, DF_OP_SEXTRACT, 32, dst(rd), src(rt), df_imm(0), 0, sa == BS_SEB ? 8 : 16, 0);
			return;
		}
		if (sa == BS_WSBH) {
			/* Bytes swapped in each halfword: ((rt >> 8) & 0x00FF00FF) | ((rt << 8) & 0xFF00FF00). */
			df_emit(in, DF_OP_LSR, 32, DF_TMP0, src(rt), df_imm(8));
			df_emit(in, DF_OP_AND, 32, DF_TMP0, df_reg(DF_TMP0), df_imm(0x00FF00FF));
			df_emit(in, DF_OP_SHL, 32, DF_TMP1, src(rt), df_imm(8));
			df_emit(in, DF_OP_AND, 32, DF_TMP1, df_reg(DF_TMP1), df_imm(0xFF00FF00));
			op2(in, DF_OP_OR, rd, df_reg(DF_TMP0), df_reg(DF_TMP1));
			return;
		}
		unknown(in, rd);
		return;
	case F3_RDHWR:
		unknown(in, rt);
		return;
	case F3_LL_R6:
	case F3_SC_R6:
		if (c->r6) {
			unknown(in, rt);
			return;
		}
		break;
	case F3_CACHE_R6:
	case F3_PREF_R6:
		if (c->r6)
			return;
		break;
	default:
		break;
	}
	unknown(in, rt);
	unknown(in, rd);
}

/* Release 6 PC-relative forms (op 0x3B). */
static void pcrel(struct mctx *c)
{
	uint32_t w = c->w;
	uint64_t off19 = sign_extend(w & 0x7FFFF, 18) << 2;
	switch ((w >> 19) & 3) {
	case 0:   /* addiupc */
		op2(c->in, DF_OP_SET, RS(w), df_imm((uint32_t)(c->addr + off19)), df_imm(0));
		return;
	case 1:   /* lwpc */
		df_emit_p(c->in, DF_OP_LOAD, 32, dst(RS(w)), df_imm((uint32_t)(c->addr + off19)), df_imm(0), 4, 0, 0);
		return;
	default:
		break;
	}
	switch (RT(w)) {
	case 0x1E:   /* auipc */
		op2(c->in, DF_OP_SET, RS(w), df_imm((uint32_t)(c->addr + ((uint64_t)IMM(w) << 16))), df_imm(0));
		return;
	case 0x1F:   /* aluipc */
		op2(c->in, DF_OP_SET, RS(w), df_imm((uint32_t)(c->addr + ((uint64_t)IMM(w) << 16)) & ~0xFFFFu), df_imm(0));
		return;
	default:
		unknown(c->in, RS(w));
		return;
	}
}

/* Release 6 compact branches (no delay slot), told apart by Capstone as 6.5 says. */
static bool compact(struct mctx *c, unsigned id)
{
	uint32_t w = c->w;
	struct df_insn *in = c->in;
	uint64_t t16 = rel16(c), t21 = (uint32_t)(c->addr + 4 + (sign_extend(w & 0x1FFFFF, 20) << 2)),
		 t26 = (uint32_t)(c->addr + 4 + (sign_extend(w & 0x3FFFFFF, 25) << 2));
	switch (id) {
	case MIPS_INS_BC:
		in->flow = DF_FLOW_JUMP;
		in->target = t26;
		in->flags |= DF_IF_TARGET | DF_IF_STOP;
		return true;
	case MIPS_INS_BALC:
		in->flow = DF_FLOW_CALL;
		in->flags |= DF_IF_STOP;
		op2(in, DF_OP_SET, R_RA, df_imm(c->addr + 4), df_imm(0));
		in->clobber |= MIPS_CALL_CLOBBER;
		return true;
	case MIPS_INS_JIC:
	case MIPS_INS_JRC:
		in->flow = DF_FLOW_END;
		in->flags |= DF_IF_STOP;
		return true;
	case MIPS_INS_JIALC:
	case MIPS_INS_JALRC:
		in->flow = DF_FLOW_CALL;
		in->flags |= DF_IF_STOP;
		op2(in, DF_OP_SET, R_RA, df_imm(c->addr + 4), df_imm(0));
		in->clobber |= MIPS_CALL_CLOBBER;
		return true;
	case MIPS_INS_BEQZC:
	case MIPS_INS_BNEZC:
		in->flow = DF_FLOW_BRANCH;
		in->target = t21;
		in->flags |= DF_IF_TARGET;
		return true;
	case MIPS_INS_BEQC: case MIPS_INS_BNEC: case MIPS_INS_BLTC: case MIPS_INS_BGEC: case MIPS_INS_BLTUC:
	case MIPS_INS_BGEUC: case MIPS_INS_BLEZC: case MIPS_INS_BGEZC: case MIPS_INS_BGTZC: case MIPS_INS_BLTZC:
	case MIPS_INS_BOVC: case MIPS_INS_BNVC:
		in->flow = DF_FLOW_BRANCH;
		in->target = t16;
		in->flags |= DF_IF_TARGET;
		return true;
	case MIPS_INS_BLEZALC: case MIPS_INS_BGEZALC: case MIPS_INS_BGTZALC: case MIPS_INS_BLTZALC:
	case MIPS_INS_BEQZALC: case MIPS_INS_BNEZALC:
		/* Conditional calls: the link is written either way. */
		in->flow = DF_FLOW_CALL;
		op2(in, DF_OP_SET, R_RA, df_imm(c->addr + 4), df_imm(0));
		in->clobber |= MIPS_CALL_CLOBBER;
		return true;
	default:
		return false;
	}
}

static void mips_decode(struct df_dec *d, uint64_t addr, const uint8_t *code, size_t avail, struct df_insn *in)
{
	(void)avail;
	const struct df_isa *isa = d->env->isa;
	struct mctx c = {in, rd32(code, (isa->cs_mode & CS_MODE_BIG_ENDIAN) != 0), addr,
			 (isa->cs_mode & CS_MODE_MIPS32R6) != 0};
	uint32_t w = c.w;
	unsigned rs = RS(w), rt = RT(w);
	if (c.r6 && compact(&c, d->ci->id))
		return;
	switch (OP(w)) {
	case OP_SPECIAL:
		special(&c);
		return;
	case OP_REGIMM:
		regimm(&c);
		return;
	case OP_J:
		transfer(&c, DF_FLOW_JUMP, ((addr + 4) & 0xF0000000u) | ((w & 0x03FFFFFFu) << 2), true, true);
		return;
	case OP_JAL:
		call(&c, R_RA, addr + 8, ((addr + 4) & 0xF0000000u) | ((w & 0x03FFFFFFu) << 2), true, false);
		return;
	case OP_JALX:
		call(&c, R_RA, addr + 8, 0, false, true);
		return;
	case OP_BEQ:
		if (!rs && !rt) {
			transfer(&c, DF_FLOW_JUMP, rel16(&c), true, true);   /* b */
			return;
		}
		/* fall through */
	case OP_BNE:
	case OP_BLEZ:
	case OP_BGTZ:
		transfer(&c, DF_FLOW_BRANCH, rel16(&c), true, false);
		return;
	case OP_BEQL:
	case OP_BNEL:
	case OP_BLEZL:
	case OP_BGTZL:
		transfer(&c, DF_FLOW_BRANCH, rel16(&c), true, false);
		in->flags |= DF_IF_LIKELY;
		return;
	case OP_ADDI:
	case OP_ADDIU:
		op2(in, DF_OP_ADD, rt, src(rs), df_imm(SIMM(w)));
		return;
	case OP_SLTI:
	case OP_SLTIU:
		op2(in, OP(w) == OP_SLTI ? DF_OP_SLT : DF_OP_SLTU, rt, src(rs), df_imm(SIMM(w)));
		return;
	case OP_ANDI:
		op2(in, DF_OP_AND, rt, src(rs), df_imm(IMM(w)));
		return;
	case OP_ORI:
		op2(in, DF_OP_OR, rt, src(rs), df_imm(IMM(w)));
		return;
	case OP_XORI:
		op2(in, DF_OP_XOR, rt, src(rs), df_imm(IMM(w)));
		return;
	case OP_LUI:
		/* rs is 0 for lui; Release 6 aui adds it. */
		op2(in, DF_OP_ADD, rt, src(rs), df_imm((uint32_t)IMM(w) << 16));
		return;
	case OP_COP0:
		cop0(&c);
		return;
	case OP_COP1:
	case OP_COP2:
		cop1(&c);
		return;
	case OP_SPECIAL2:
		special2(&c);
		return;
	case OP_SPECIAL3:
		special3(&c);
		return;
	case OP_LB:
	case OP_LBU:
		load(&c, 1, OP(w) == OP_LB);
		return;
	case OP_LH:
	case OP_LHU:
		load(&c, 2, OP(w) == OP_LH);
		return;
	case OP_LW:
		load(&c, 4, false);
		return;
	case OP_LWL:
	case OP_LWR:
	case OP_LL:
	case OP_SC:
		unknown(in, rt);
		return;
	case OP_SB:
	case OP_SH:
	case OP_SWL:
	case OP_SW:
	case OP_SWR:
	case OP_CACHE:
	case OP_PREF:
		return;
	case OP_PCREL:
		if (c.r6) {
			pcrel(&c);
			return;
		}
		break;
	default:
		/* FPU and coprocessor 2 loads and stores (0x31-0x3E) write no GPR. */
		if (OP(w) >= 0x31 && OP(w) != 0x38 && OP(w) != OP_PCREL)
			return;
		break;
	}
	unknown(in, rt);
	unknown(in, RD(w));
}

/* kseg0 and kseg1 map the low 512 MiB of physical memory, unmapped. */
#define KSEG0 0x80000000ULL
#define KSEG2 0xC0000000ULL
#define KSEG_PA_MASK 0x1FFFFFFFULL
#define KSEG_WINDOW (KSEG_PA_MASK + 1)

static bool kseg_phys(const struct df_env *env, uint64_t addr, uint64_t *pa)
{
	(void)env;
	if (addr < KSEG0 || addr >= KSEG2)
		return false;
	*pa = addr & KSEG_PA_MASK;
	return true;
}

static uint64_t mips_code_addr(uint64_t phys)
{
	return phys < KSEG_WINDOW ? phys + KSEG0 : phys;
}

#define MIPS_ISA(var, nm, mode)                                                                        \
	static const struct df_isa var = {                                                              \
		.name = nm, .cs_arch = CS_ARCH_MIPS, .cs_mode = (cs_mode)(mode), .align = 4, .min_len = 4, \
		.max_len = 4, .reg_bits = 32, .nregs = MIPS_NREGS, .reg_names = mips_reg_names,          \
		.zero_run_stop = 4, .walk_past_delay_site = true, .reg0_zero = true, .decode = mips_decode, \
		.code_phys = kseg_phys, .data_phys = kseg_phys, .sysreg_name = mips_sysreg_name,          \
	}

MIPS_ISA(isa_le, "mips32", CS_MODE_MIPS32 | CS_MODE_LITTLE_ENDIAN);
MIPS_ISA(isa_be, "mips32", CS_MODE_MIPS32 | CS_MODE_BIG_ENDIAN);
MIPS_ISA(isa_r6_le, "mips32r6", CS_MODE_MIPS32R6 | CS_MODE_LITTLE_ENDIAN);
MIPS_ISA(isa_r6_be, "mips32r6", CS_MODE_MIPS32R6 | CS_MODE_BIG_ENDIAN);

/* Index: 2 * release6 + big endian. */
static const struct df_isa *const mips_isas[] = {&isa_le, &isa_be, &isa_r6_le, &isa_r6_be};

/* ---- site scan (2.4, 6.3) ---- */

#define MTC0_TOP 0x204u   /* w >> 21: COP0, rs = MT */
#define MFC0_TOP 0x200u   /* COP0, rs = MF */

/* Release 6 when the configured Config says AR = 2 (2.3). */
static bool release6(const struct machine_config *cfg)
{
	const struct config_kv *kv = cfg ? config_register(cfg, "Config") : NULL;
	return kv && kv->is_int && bits_get(kv->value, CONFIG_AR_HI, CONFIG_AR_LO) >= CONFIG_AR_RELEASE6;
}

static void mips_scan(const struct regrec_scan_opts *o, uint64_t addr, const uint8_t *p, size_t len,
		      const uint8_t *next, size_t nnext, struct regrec_sites *out)
{
	(void)next, (void)nnext;
	uint8_t isa = (uint8_t)(2 * release6(o->cfg) + o->data_big);
	for (size_t i = (4 - (addr & 3)) & 3; i + 4 <= len; i += 4) {
		uint32_t w = rd32(p + i, o->data_big);
		uint32_t top = w >> 21;
		if ((top != MTC0_TOP && top != MFC0_TOP) || ((w >> 3) & 0xFF))
			continue;
		int k = site_sysreg(CP0(RD(w), w & 7));
		if (k < 0)
			continue;
		struct regrec_site s = {addr + i, (uint16_t)k, top == MTC0_TOP ? RR_WRITE : RR_READ, isa, (uint8_t)RT(w),
					DF_REG_NONE};
		VEC_PUSH(out->v, out->n, out->cap, s);
	}
}

const struct regrec_ops mips_regrec = {
	.isas = mips_isas,
	.nisas = ARRAY_LEN(mips_isas),
	.sysregs = site_sysregs,
	.nsysregs = ARRAY_LEN(site_sysregs),
	.regs = mips_regs,
	.nregs = ARRAY_LEN(mips_regs),
	.frame_size = 64 * 1024,
	.max_addr = KSEG_WINDOW,
	.scan = mips_scan,
	.code_addr = mips_code_addr,
	.hint = "the kernel may build this value from arguments or run-time state; seed it in cpu.registers_values",
	.gt_config_fallback = true,
};
