/*
 * PowerPC 32-bit register recovery: the mtspr/mtsr/mtsrin site scan, the
 * 32-bit big-endian front-end of the dataflow engine and the SDR1, BAT and
 * segment register layouts (algo-mips-ppc-gtruth.md 3.2, 3.6, 6.1-6.7).
 *
 * Semantics come from the instruction word (PowerPC Operating Environment
 * Architecture, Book I/III): Capstone 4 shows immediates unsigned, folds
 * aliases (li, lis, mr, slwi...) and drops the BAT number of mtibatu, so it
 * only decides which words are instructions.  Fields are given the IBM way
 * in the manuals (bit 0 = most significant); the macros below are LSB-0.
 * Code addresses are physical, as the original's.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "physmem.h"
#include "ppc.h"
#include "regrec.h"
#include "util.h"

/* ---- registers ---- */

#define SPR_LR 8
#define SPR_CTR 9
#define SPR_SDR1 25
#define SPR_IBAT0U 528
#define SPR_DBAT3L 543
/* Key of a segment register for mfsr reads (SPR keys are below 1024). */
#define SR_KEY(n) (0x10000u | (n))

static const struct {
	uint32_t spr;
	const char *name;
} other_sprs[] = {
	{1, "xer"},      {18, "dsisr"},   {19, "dar"},    {22, "dec"},    {26, "srr0"},  {27, "srr1"},
	{272, "sprg0"},  {273, "sprg1"},  {274, "sprg2"}, {275, "sprg3"}, {287, "pvr"},  {1008, "hid0"},
	{1009, "hid1"},  {1010, "iabr"},  {1013, "dabr"},
};

/* Register indexes in ppc_regs (and the site sysregs that feed them). */
#define REG_SDR1 0
#define REG_BAT0 1          /* ibat0u .. dbat3l: 16 registers in SPR order */
#define REG_SR0 17          /* sr0 .. sr15 */
#define NREGS 33
#define SYS_MTSRIN NREGS    /* the sysreg of mtsrin, indexed by rB >> 28 */

static const char *const bat_names[16] = {
	"ibat0u", "ibat0l", "ibat1u", "ibat1l", "ibat2u", "ibat2l", "ibat3u", "ibat3l",
	"dbat0u", "dbat0l", "dbat1u", "dbat1l", "dbat2u", "dbat2l", "dbat3u", "dbat3l",
};
static const char *const sr_names[16] = {
	"sr0", "sr1", "sr2", "sr3", "sr4", "sr5", "sr6", "sr7", "sr8", "sr9", "sr10", "sr11", "sr12", "sr13", "sr14", "sr15",
};

static const char *ppc_sysreg_name(uint32_t key, char *buf, size_t len)
{
	if (key == SPR_SDR1)
		return "sdr1";
	if (key >= SPR_IBAT0U && key <= SPR_DBAT3L)
		return bat_names[key - SPR_IBAT0U];
	if ((key & ~0xFu) == SR_KEY(0))
		return sr_names[key & 0xF];
	for (size_t i = 0; i < ARRAY_LEN(other_sprs); i++)
		if (other_sprs[i].spr == key)
			return other_sprs[i].name;
	snprintf(buf, len, "spr%u", key);
	return buf;
}

/* ---- layouts (3.2) ---- */

/* A power-of-two size as "128 KiB". */
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

static const struct regrec_field sdr1_fields[] = {
	{"HTABMASK", 8, 0, RF_KEY},
	{"RES0", 15, 9, RF_RES0},
	{"HTABORG", 31, 16, RF_KEY},
};

/* The architecture's rules the original does not check: a 2^n - 1 mask and a table aligned on its size. */
static const char *sdr1_check(uint64_t v, uint64_t unknown)
{
	(void)unknown;
	uint64_t mask = v & SDR1_HTABMASK, org = v >> SDR1_HTABORG_SHIFT;
	if (mask & (mask + 1))
		return "HTABMASK is not 2^n - 1";
	if (org & mask)
		return "HTABORG not aligned on its size";
	return NULL;
}

static void sdr1_describe(uint64_t v, uint64_t unknown, struct sbuf *out)
{
	if (unknown)
		return;
	sbuf_printf(out, "table 0x%llx, ", (unsigned long long)sdr1_table_addr((uint32_t)v));
	pow2_size(sdr1_table_size((uint32_t)v), out);
}

static const struct regrec_field batu_fields[] = {
	{"Vp", 0, 0, RF_KEY}, {"Vs", 1, 1, RF_KEY}, {"BL", 12, 2, RF_KEY}, {"RES0", 16, 13, RF_RES0},
	{"BEPI", 31, 17, RF_KEY},
};

static const char *batu_check(uint64_t v, uint64_t unknown)
{
	(void)unknown;
	uint64_t bl = (v >> BATU_BL_SHIFT) & BATU_BL_MASK, bepi = v >> BAT_BEPI_SHIFT;
	if (bl & (bl + 1))
		return "BL is not 2^k - 1";
	if (bepi & bl)
		return "BEPI not aligned on the block size";
	return NULL;
}

/* A BAT the OS enabled ranks above the disabled pair written just before loading it. */
static unsigned batu_plausibility(uint64_t v, uint64_t unknown)
{
	return !(unknown & (BATU_VS | BATU_VP)) && (v & (BATU_VS | BATU_VP));
}

static void batu_describe(uint64_t v, uint64_t unknown, struct sbuf *out)
{
	if (unknown)
		return;
	if (!(v & (BATU_VS | BATU_VP))) {
		sbuf_printf(out, "disabled");
		return;
	}
	sbuf_printf(out, "EA 0x%llx, ", (unsigned long long)(v & BAT_BEPI_MASK));
	pow2_size(bat_block_size((uint32_t)v), out);
	sbuf_printf(out, "%s%s", v & BATU_VS ? ", supervisor" : "", v & BATU_VP ? ", user" : "");
}

static const struct regrec_field batl_fields[] = {
	{"PP", 1, 0, RF_KEY}, {"RES0", 2, 2, RF_RES0}, {"WIMG", 6, 3, RF_KEY}, {"RES0", 16, 7, RF_RES0},
	{"BRPN", 31, 17, RF_KEY},
};

static void batl_describe(uint64_t v, uint64_t unknown, struct sbuf *out)
{
	static const char *const pp[] = {"no access", "read-only", "read/write", "read-only"};
	if (!unknown)
		sbuf_printf(out, "PA 0x%llx, %s", (unsigned long long)(v & BAT_BEPI_MASK), pp[v & 3]);
}

static const struct regrec_field sr_fields[] = {
	{"VSID", 23, 0, RF_KEY}, {"RES0", 27, 24, RF_RES0}, {"N", 28, 28, RF_KEY}, {"Kp", 29, 29, RF_KEY},
	{"Ks", 30, 30, RF_KEY},  {"T", 31, 31, RF_KEY},
};

/* Direct-store segments (T = 1) have another layout and no page table: Linux never uses them. */
static const char *sr_check(uint64_t v, uint64_t unknown)
{
	(void)unknown;
	return v & SR_T ? "direct-store segment (T = 1)" : NULL;
}

static void sr_describe(uint64_t v, uint64_t unknown, struct sbuf *out)
{
	if (!(unknown & SR_VSID_MASK))
		sbuf_printf(out, "VSID 0x%llx", (unsigned long long)(v & SR_VSID_MASK));
}

static const struct regrec_layout l_sdr1 = {.name = "sdr1", .fields = sdr1_fields, .nfields = ARRAY_LEN(sdr1_fields),
					   .check = sdr1_check, .describe = sdr1_describe};
static const struct regrec_layout l_batu = {.name = "batu", .fields = batu_fields, .nfields = ARRAY_LEN(batu_fields),
					   .check = batu_check, .plausibility = batu_plausibility,
					   .describe = batu_describe};
static const struct regrec_layout l_batl = {.name = "batl", .fields = batl_fields, .nfields = ARRAY_LEN(batl_fields),
					   .describe = batl_describe};
static const struct regrec_layout l_sr = {.name = "sr", .fields = sr_fields, .nfields = ARRAY_LEN(sr_fields),
					 .check = sr_check, .describe = sr_describe};

#define GT(...) ((const char *const[]){__VA_ARGS__, NULL})
#define BAT(n, d, lay) {.name = n, .display = d, .bits = 32, .layouts = {&lay, NULL}, .gt_names = GT(n)}
/* Segment registers change at every context switch: any logged value counts. */
#define SR(n, d) {.name = n, .display = d, .bits = 32, .layouts = {&l_sr, NULL}, .gt_names = GT(n), .gt_any = true}

static const struct regrec_reg ppc_regs[NREGS] = {
	{.name = "sdr1", .display = "SDR1", .bits = 32, .layouts = {&l_sdr1, NULL}, .gt_names = GT("sdr1")},
	BAT("ibat0u", "IBAT0U", l_batu), BAT("ibat0l", "IBAT0L", l_batl), BAT("ibat1u", "IBAT1U", l_batu),
	BAT("ibat1l", "IBAT1L", l_batl), BAT("ibat2u", "IBAT2U", l_batu), BAT("ibat2l", "IBAT2L", l_batl),
	BAT("ibat3u", "IBAT3U", l_batu), BAT("ibat3l", "IBAT3L", l_batl), BAT("dbat0u", "DBAT0U", l_batu),
	BAT("dbat0l", "DBAT0L", l_batl), BAT("dbat1u", "DBAT1U", l_batu), BAT("dbat1l", "DBAT1L", l_batl),
	BAT("dbat2u", "DBAT2U", l_batu), BAT("dbat2l", "DBAT2L", l_batl), BAT("dbat3u", "DBAT3U", l_batu),
	BAT("dbat3l", "DBAT3L", l_batl),
	SR("sr0", "SR0"), SR("sr1", "SR1"), SR("sr2", "SR2"), SR("sr3", "SR3"), SR("sr4", "SR4"), SR("sr5", "SR5"),
	SR("sr6", "SR6"), SR("sr7", "SR7"), SR("sr8", "SR8"), SR("sr9", "SR9"), SR("sr10", "SR10"), SR("sr11", "SR11"),
	SR("sr12", "SR12"), SR("sr13", "SR13"), SR("sr14", "SR14"), SR("sr15", "SR15"),
};

/* Sysreg i < NREGS feeds register i; the last one is mtsrin's. */
#define SYS(n, i) {.name = n, .analysed = i}
static const struct regrec_sysreg site_sysregs[NREGS + 1] = {
	SYS("sdr1", 0),    SYS("ibat0u", 1),  SYS("ibat0l", 2),  SYS("ibat1u", 3),  SYS("ibat1l", 4),
	SYS("ibat2u", 5),  SYS("ibat2l", 6),  SYS("ibat3u", 7),  SYS("ibat3l", 8),  SYS("dbat0u", 9),
	SYS("dbat0l", 10), SYS("dbat1u", 11), SYS("dbat1l", 12), SYS("dbat2u", 13), SYS("dbat2l", 14),
	SYS("dbat3u", 15), SYS("dbat3l", 16), SYS("sr0", 17),    SYS("sr1", 18),    SYS("sr2", 19),
	SYS("sr3", 20),    SYS("sr4", 21),    SYS("sr5", 22),    SYS("sr6", 23),    SYS("sr7", 24),
	SYS("sr8", 25),    SYS("sr9", 26),    SYS("sr10", 27),   SYS("sr11", 28),   SYS("sr12", 29),
	SYS("sr13", 30),   SYS("sr14", 31),   SYS("sr15", 32),
	{.name = "sr[rB]", .analysed = REG_SR0, .index_shift = 28, .index_bits = 4},
};

/* ---- the PowerPC front-end (6.4, 6.5) ---- */

#define R_LR 32
#define R_CTR 33
#define PPC_NREGS 34
/* SysV ABI: r0, r3-r12 and CTR do not survive a call (LR was just set). */
#define PPC_CALL_CLOBBER (1ULL | 0x1FF8ULL | 1ULL << R_CTR)

static const char *const ppc_reg_names[PPC_NREGS] = {
	"R0",  "R1",  "R2",  "R3",  "R4",  "R5",  "R6",  "R7",  "R8",  "R9",  "R10", "R11",
	"R12", "R13", "R14", "R15", "R16", "R17", "R18", "R19", "R20", "R21", "R22", "R23",
	"R24", "R25", "R26", "R27", "R28", "R29", "R30", "R31", "LR",  "CTR",
};

/* Instruction fields, LSB-0 (IBM bits in the comments). */
#define OPCD(w) ((w) >> 26)             /* 0..5 */
#define RD(w) (((w) >> 21) & 31)        /* 6..10: rD, rS, BO */
#define RA(w) (((w) >> 16) & 31)        /* 11..15: rA, BI */
#define RB(w) (((w) >> 11) & 31)        /* 16..20: rB, SH */
#define MB(w) (((w) >> 6) & 31)         /* 21..25 */
#define ME(w) (((w) >> 1) & 31)         /* 26..30 */
#define XO(w) (((w) >> 1) & 0x3FF)      /* 21..30 */
#define XO9(w) (((w) >> 1) & 0x1FF)     /* 22..30, XO-form arithmetic (OE is bit 21) */
#define UIMM(w) ((w) & 0xFFFF)
#define SIMM(w) ((uint32_t)(int32_t)(int16_t)((w) & 0xFFFF))
#define AA(w) (((w) >> 1) & 1)
#define LK(w) ((w) & 1)
#define SPR(w) ((((w) >> 11) & 31) << 5 | (((w) >> 16) & 31))   /* the halves are swapped */
#define BO_ALWAYS(bo) (((bo) & 0x14) == 0x14)
#define BO_NO_CTR(bo) ((bo) & 0x04)

enum {
	OP_TWI = 3, OP_MULLI = 7, OP_SUBFIC = 8, OP_CMPLI = 10, OP_CMPI = 11, OP_ADDIC = 12, OP_ADDIC_RC = 13,
	OP_ADDI = 14, OP_ADDIS = 15, OP_BC = 16, OP_SC = 17, OP_B = 18, OP_XL = 19, OP_RLWIMI = 20, OP_RLWINM = 21,
	OP_RLWNM = 23, OP_ORI = 24, OP_ORIS = 25, OP_XORI = 26, OP_XORIS = 27, OP_ANDI_RC = 28, OP_ANDIS_RC = 29,
	OP_X = 31, OP_LWZ = 32, OP_LWZU = 33, OP_LBZ = 34, OP_LBZU = 35, OP_STW = 36, OP_STWU = 37, OP_STB = 38,
	OP_STBU = 39, OP_LHZ = 40, OP_LHZU = 41, OP_LHA = 42, OP_LHAU = 43, OP_STH = 44, OP_STHU = 45, OP_LMW = 46,
	OP_STMW = 47, OP_LFS = 48, OP_LFSU = 49, OP_LFD = 50, OP_LFDU = 51, OP_STFS = 52, OP_STFSU = 53,
	OP_STFD = 54, OP_STFDU = 55, OP_FP_S = 59, OP_FP_D = 63,
};

/* Opcode 19 (XL-form) functions. */
enum { XL_BCLR = 16, XL_RFI = 50, XL_BCCTR = 528 };

/* Opcode 31 functions used below. */
enum {
	X_CMP = 0, X_TW = 4, X_MFCR = 19, X_LWARX = 20, X_LWZX = 23, X_SLW = 24, X_CNTLZW = 26, X_AND = 28,
	X_CMPL = 32, X_DCBST = 54, X_LWZUX = 55, X_ANDC = 60, X_MFMSR = 83, X_DCBF = 86, X_LBZX = 87,
	X_LBZUX = 119, X_NOR = 124, X_MTCRF = 144, X_MTMSR = 146, X_STWCX = 150, X_STWX = 151, X_STWUX = 183,
	X_MTSR = 210, X_STBX = 215, X_MTSRIN = 242, X_DCBTST = 246, X_STBUX = 247, X_DCBT = 278, X_LHZX = 279,
	X_EQV = 284, X_TLBIE = 306, X_LHZUX = 311, X_XOR = 316, X_MFSPR = 339, X_LHAX = 343, X_TLBIA = 370,
	X_MFTB = 371, X_LHAUX = 375, X_STHX = 407, X_ORC = 412, X_STHUX = 439, X_OR = 444, X_MTSPR = 467,
	X_DCBI = 470, X_NAND = 476, X_LSWX = 533, X_LWBRX = 534, X_LFSX = 535, X_SRW = 536, X_TLBSYNC = 566,
	X_LFSUX = 567, X_MFSR = 595, X_LSWI = 597, X_SYNC = 598, X_LFDX = 599, X_LFDUX = 631, X_MFSRIN = 659,
	X_STSWX = 661, X_STWBRX = 662, X_STFSX = 663, X_STFSUX = 695, X_STSWI = 725, X_STFDX = 727,
	X_STFDUX = 759, X_LHBRX = 790, X_SRAW = 792, X_SRAWI = 824, X_EIEIO = 854, X_STHBRX = 918,
	X_EXTSH = 922, X_EXTSB = 954, X_TLBLD = 978, X_ICBI = 982, X_TLBLI = 1010, X_DCBZ = 1014,
};

/* XO-form arithmetic (9-bit function). */
enum { XO_SUBFC = 8, XO_ADDC = 10, XO_MULHWU = 11, XO_SUBF = 40, XO_MULHW = 75, XO_NEG = 104, XO_SUBFE = 136,
       XO_ADDE = 138, XO_SUBFZE = 200, XO_ADDZE = 202, XO_SUBFME = 232, XO_ADDME = 234, XO_MULLW = 235,
       XO_ADD = 266, XO_DIVWU = 459, XO_DIVW = 491 };

struct pctx {
	struct df_insn *in;
	uint32_t w;
	uint64_t addr;
};

static struct df_arg reg(unsigned r)
{
	return df_reg((uint8_t)r);
}

/* (rA|0): register 0 as a base or addend reads as zero. */
static struct df_arg ra0(uint32_t w)
{
	return RA(w) ? reg(RA(w)) : df_imm(0);
}

static void op2(struct df_insn *in, uint8_t opc, unsigned d, struct df_arg a, struct df_arg b)
{
	df_emit(in, opc, 32, (uint8_t)d, a, b);
}

/* MASK(mb, me) in IBM bit numbering; wraps when mb > me. */
static uint32_t ppc_mask(unsigned mb, unsigned me)
{
	uint32_t a = 0xFFFFFFFFu >> mb, b = 0xFFFFFFFFu << (31 - me);
	return mb <= me ? a & b : a | b;
}

/* TMP0 = ROTL(rS, n) for a constant n: a right rotation by 32 - n. */
static void rotl_imm(struct df_insn *in, unsigned rs, unsigned n)
{
	df_emit(in, DF_OP_ROR, 32, DF_TMP0, reg(rs), df_imm((32 - n) & 31));
}

static void rotate(struct pctx *c)
{
	uint32_t w = c->w;
	struct df_insn *in = c->in;
	uint32_t m = ppc_mask(MB(w), ME(w));
	switch (OPCD(w)) {
	case OP_RLWINM:
		rotl_imm(in, RD(w), RB(w));
		op2(in, DF_OP_AND, RA(w), df_reg(DF_TMP0), df_imm(m));
		return;
	case OP_RLWNM:
		/* ROTL by rB & 31 = ROR by (-rB) & 31. */
		df_emit(in, DF_OP_NEG, 32, DF_TMP1, reg(RB(w)), df_imm(0));
		df_emit(in, DF_OP_AND, 32, DF_TMP1, df_reg(DF_TMP1), df_imm(31));
		df_emit(in, DF_OP_ROR, 32, DF_TMP0, reg(RD(w)), df_reg(DF_TMP1));
		op2(in, DF_OP_AND, RA(w), df_reg(DF_TMP0), df_imm(m));
		return;
	default:   /* rlwimi: rA = (ROTL(rS, SH) & M) | (rA & ~M) */
		rotl_imm(in, RD(w), RB(w));
		df_emit(in, DF_OP_AND, 32, DF_TMP0, df_reg(DF_TMP0), df_imm(m));
		df_emit(in, DF_OP_AND, 32, DF_TMP1, reg(RA(w)), df_imm(~m));
		op2(in, DF_OP_OR, RA(w), df_reg(DF_TMP0), df_reg(DF_TMP1));
		return;
	}
}

static void load(struct df_insn *in, unsigned d, struct df_arg base, struct df_arg off, unsigned size, uint8_t flags)
{
	df_emit_p(in, DF_OP_LOAD, 32, (uint8_t)d, base, off, (uint8_t)size, 0, flags);
}

/* lwzu and friends: the address is rA + d, then rA becomes it. */
static void load_update(struct pctx *c, unsigned size, uint8_t flags)
{
	uint32_t w = c->w;
	df_emit(c->in, DF_OP_ADD, 32, DF_TMP0, reg(RA(w)), df_imm(SIMM(w)));
	load(c->in, RD(w), df_reg(DF_TMP0), df_imm(0), size, flags);
	op2(c->in, DF_OP_SET, RA(w), df_reg(DF_TMP0), df_imm(0));
}

static void set_target(struct df_insn *in, uint64_t t)
{
	in->target = (uint32_t)t;
	in->flags |= DF_IF_TARGET;
}

/* A call: LR = the return address, the ABI's volatile registers lost (not for "bl next", which reads the PC). */
static void call(struct pctx *c, bool known_target, uint64_t target)
{
	struct df_insn *in = c->in;
	in->flow = DF_FLOW_CALL;
	op2(in, DF_OP_SET, R_LR, df_imm((uint32_t)(c->addr + 4)), df_imm(0));
	if (!(known_target && target == c->addr + 4))
		in->clobber |= PPC_CALL_CLOBBER;
}

/* Decrementing forms of bc, bclr: CTR - 1. */
static void ctr_decrement(struct pctx *c)
{
	if (!BO_NO_CTR(RD(c->w)))
		op2(c->in, DF_OP_SUB, R_CTR, reg(R_CTR), df_imm(1));
}

static void branch(struct pctx *c)
{
	uint32_t w = c->w;
	struct df_insn *in = c->in;
	bool always = OPCD(w) == OP_B || BO_ALWAYS(RD(w));
	uint64_t disp = OPCD(w) == OP_B ? sign_extend(w & 0x03FFFFFC, 25) : sign_extend(w & 0xFFFC, 15);
	uint64_t target = (uint32_t)((AA(w) ? 0 : c->addr) + disp);
	if (OPCD(w) == OP_BC)
		ctr_decrement(c);
	if (LK(w)) {
		call(c, true, target);
		/* Every unconditional call ends a "function" (1.3), except "bl next", which reads the PC. */
		if (always && target != c->addr + 4)
			in->flags |= DF_IF_STOP;
		return;
	}
	set_target(in, target);
	if (always) {
		in->flow = DF_FLOW_JUMP;
		if (AA(w))
			in->flags |= DF_IF_STOP;
	} else {
		in->flow = DF_FLOW_BRANCH;
	}
}

static void xl_form(struct pctx *c)
{
	uint32_t w = c->w;
	struct df_insn *in = c->in;
	bool always = BO_ALWAYS(RD(w));
	switch (XO(w)) {
	case XL_BCLR:
	case XL_BCCTR:
		if (XO(w) == XL_BCLR)
			ctr_decrement(c);
		if (LK(w)) {
			call(c, false, 0);
			if (always)
				in->flags |= DF_IF_STOP;
		} else if (always) {
			/* blr returns, bctr jumps through a register: no known successor. */
			in->flow = DF_FLOW_END;
			in->flags |= DF_IF_STOP;
		}
		/* A conditional return falls through when not taken. */
		return;
	case XL_RFI:
		in->flow = DF_FLOW_END;
		in->flags |= DF_IF_STOP;
		return;
	default:
		return;   /* isync, CR logic, mcrf: no GPR */
	}
}

static void unknown(struct df_insn *in, unsigned r)
{
	df_clobber(in, (uint8_t)r);
}

/* The destinations of instructions not modelled (6.4), by opcode-31 function. */
static const uint16_t xo_writes_rd[] = {X_MFCR, X_LWARX, X_LWZX, X_LWZUX, X_MFMSR, X_LBZX, X_LBZUX, X_LHZX,
					X_LHZUX, X_MFSPR, X_LHAX, X_MFTB, X_LHAUX, X_LWBRX, X_MFSR, X_MFSRIN,
					X_LHBRX};
static const uint16_t xo_writes_ra[] = {X_SLW, X_CNTLZW, X_AND, X_ANDC, X_NOR, X_EQV, X_XOR, X_ORC, X_OR,
					X_SRW, X_SRAW, X_SRAWI, X_NAND, X_EXTSH, X_EXTSB};
static const uint16_t xo_update_ra[] = {X_LWZUX, X_LBZUX, X_STWUX, X_STBUX, X_LHZUX, X_LHAUX, X_STHUX,
					X_LFSUX, X_LFDUX, X_STFSUX, X_STFDUX};
static const uint16_t xo_writes_none[] = {X_CMP, X_CMPL, X_TW, X_DCBST, X_DCBF, X_DCBTST, X_DCBT, X_DCBI,
					  X_ICBI, X_DCBZ, X_MTCRF, X_MTMSR, X_STWCX, X_STWX, X_STBX, X_STHX,
					  X_STWBRX, X_STHBRX, X_STSWX, X_STSWI, X_MTSR, X_MTSRIN, X_TLBIE, X_TLBIA,
					  X_MTSPR, X_TLBSYNC, X_SYNC, X_EIEIO, X_LFSX, X_LFDX, X_STFSX, X_STFDX,
					  X_TLBLD, X_TLBLI, X_STWUX, X_STBUX, X_STHUX, X_LFSUX, X_LFDUX, X_STFSUX,
					  X_STFDUX};
static const uint16_t xo9_writes_rd[] = {XO_SUBFC, XO_ADDC, XO_MULHWU, XO_SUBF, XO_MULHW, XO_NEG, XO_SUBFE,
					 XO_ADDE, XO_SUBFZE, XO_ADDZE, XO_SUBFME, XO_ADDME, XO_MULLW, XO_ADD,
					 XO_DIVWU, XO_DIVW};

static bool in_list(const uint16_t *l, size_t n, unsigned v)
{
	for (size_t i = 0; i < n; i++)
		if (l[i] == v)
			return true;
	return false;
}

#define IN(l, v) in_list(l, ARRAY_LEN(l), v)

/* Modelled opcode-31 instructions; false when the conservative rule applies. */
static bool x_modelled(struct pctx *c)
{
	uint32_t w = c->w;
	struct df_insn *in = c->in;
	unsigned rs = RD(w), ra = RA(w), rb = RB(w);
	static const struct {
		uint16_t xo;
		uint8_t opc, neg;
	} logic[] = {
		{X_AND, DF_OP_AND, 0}, {X_OR, DF_OP_OR, 0},     {X_XOR, DF_OP_XOR, 0},  {X_ANDC, DF_OP_ANDN, 0},
		{X_ORC, DF_OP_ORN, 0}, {X_EQV, DF_OP_XORN, 0},  {X_NOR, DF_OP_OR, 1},   {X_NAND, DF_OP_AND, 1},
	};
	for (size_t i = 0; i < ARRAY_LEN(logic); i++)
		if (XO(w) == logic[i].xo) {
			op2(in, logic[i].opc, ra, reg(rs), reg(rb));
			if (logic[i].neg)
				op2(in, DF_OP_NOT, ra, reg(ra), df_imm(0));
			return true;
		}
	switch (XO(w)) {
	case X_SLW:
	case X_SRW:
	case X_SRAW:
		/* Shift amounts are rB & 63: 32 and more give 0 (sraw: the sign). */
		df_emit(in, DF_OP_AND, 32, DF_TMP0, reg(rb), df_imm(63));
		op2(in, XO(w) == X_SLW ? DF_OP_SHL : XO(w) == X_SRW ? DF_OP_LSR : DF_OP_ASR, ra, reg(rs), df_reg(DF_TMP0));
		return true;
	case X_SRAWI:
		op2(in, DF_OP_ASR, ra, reg(rs), df_imm(rb));
		return true;
	case X_CNTLZW:
		op2(in, DF_OP_CLZ, ra, reg(rs), df_imm(0));
		return true;
	case X_EXTSB:
	case X_EXTSH:
		df_emit_p(in, DF_OP_SEXTRACT, 32, (uint8_t)ra, reg(rs), df_imm(0), 0, XO(w) == X_EXTSB ? 8 : 16, 0);
		return true;
	case X_LWZX:
		load(in, rs, ra0(w), reg(rb), 4, 0);
		return true;
	case X_LBZX:
		load(in, rs, ra0(w), reg(rb), 1, 0);
		return true;
	case X_LHZX:
		load(in, rs, ra0(w), reg(rb), 2, 0);
		return true;
	case X_LHAX:
		load(in, rs, ra0(w), reg(rb), 2, DF_OPF_SIGNED);
		return true;
	case X_LWBRX:
		load(in, rs, ra0(w), reg(rb), 4, DF_OPF_REVERSED);
		return true;
	case X_MFSPR:
		if (SPR(w) == SPR_LR || SPR(w) == SPR_CTR)
			op2(in, DF_OP_SET, rs, reg(SPR(w) == SPR_LR ? R_LR : R_CTR), df_imm(0));
		else
			op2(in, DF_OP_SYSREG, rs, df_imm(SPR(w)), df_imm(0));
		return true;
	case X_MTSPR:
		if (SPR(w) == SPR_LR || SPR(w) == SPR_CTR)
			op2(in, DF_OP_SET, SPR(w) == SPR_LR ? R_LR : R_CTR, reg(rs), df_imm(0));
		return true;
	case X_MFSR:
		op2(in, DF_OP_SYSREG, rs, df_imm(SR_KEY(ra & 0xF)), df_imm(0));
		return true;
	case X_TW:
		in->flags |= DF_IF_STOP;
		return true;
	case X_LSWI:
	case X_LSWX:
		/* Several registers from rD on, wrapping: all of them, to be safe. */
		in->clobber |= 0xFFFFFFFFULL;
		return true;
	default:
		break;
	}
	if (IN(xo_writes_none, XO(w))) {
		if (IN(xo_update_ra, XO(w)))
			unknown(in, ra);
		return true;
	}
	if (IN(xo_writes_rd, XO(w)) || IN(xo_writes_ra, XO(w))) {
		unknown(in, IN(xo_writes_rd, XO(w)) ? rs : ra);
		if (IN(xo_update_ra, XO(w)))
			unknown(in, ra);
		return true;
	}
	switch (XO9(w)) {
	case XO_ADD:
		op2(in, DF_OP_ADD, rs, reg(ra), reg(rb));
		return true;
	case XO_SUBF:
		op2(in, DF_OP_SUB, rs, reg(rb), reg(ra));
		return true;
	case XO_NEG:
		op2(in, DF_OP_NEG, rs, reg(ra), df_imm(0));
		return true;
	case XO_MULLW:
		op2(in, DF_OP_MUL, rs, reg(ra), reg(rb));
		return true;
	default:
		if (IN(xo9_writes_rd, XO9(w))) {
			unknown(in, rs);
			return true;
		}
		return false;
	}
}

static void ppc_decode(struct df_dec *d, uint64_t addr, const uint8_t *code, size_t avail, struct df_insn *in)
{
	(void)avail, (void)d;
	struct pctx c = {in, rd32(code, true), addr};
	uint32_t w = c.w;
	unsigned rd = RD(w), ra = RA(w);
	static const uint8_t imm_logic[64] = {
		[OP_ORI] = DF_OP_OR,   [OP_ORIS] = DF_OP_OR,       [OP_XORI] = DF_OP_XOR,
		[OP_XORIS] = DF_OP_XOR, [OP_ANDI_RC] = DF_OP_AND,  [OP_ANDIS_RC] = DF_OP_AND,
	};
	switch (OPCD(w)) {
	case OP_TWI:
	case OP_SC:
		/* Traps and system calls end a "function" (1.3) but fall through. */
		in->flags |= DF_IF_STOP;
		return;
	case OP_MULLI:
		op2(in, DF_OP_MUL, rd, reg(ra), df_imm(SIMM(w)));
		return;
	case OP_SUBFIC:
		op2(in, DF_OP_SUB, rd, df_imm(SIMM(w)), reg(ra));
		return;
	case OP_CMPLI:
	case OP_CMPI:
		return;
	case OP_ADDIC:
	case OP_ADDIC_RC:
		op2(in, DF_OP_ADD, rd, reg(ra), df_imm(SIMM(w)));
		return;
	case OP_ADDI:
		op2(in, DF_OP_ADD, rd, ra0(w), df_imm(SIMM(w)));
		return;
	case OP_ADDIS:
		op2(in, DF_OP_ADD, rd, ra0(w), df_imm((uint32_t)UIMM(w) << 16));
		return;
	case OP_BC:
	case OP_B:
		branch(&c);
		return;
	case OP_XL:
		xl_form(&c);
		return;
	case OP_RLWIMI:
	case OP_RLWINM:
	case OP_RLWNM:
		rotate(&c);
		return;
	case OP_ORI:
	case OP_XORI:
	case OP_ANDI_RC:
		op2(in, imm_logic[OPCD(w)], ra, reg(rd), df_imm(UIMM(w)));
		return;
	case OP_ORIS:
	case OP_XORIS:
	case OP_ANDIS_RC:
		op2(in, imm_logic[OPCD(w)], ra, reg(rd), df_imm((uint32_t)UIMM(w) << 16));
		return;
	case OP_X:
		if (x_modelled(&c))
			return;
		break;
	case OP_LWZ:
		load(in, rd, ra0(w), df_imm(SIMM(w)), 4, 0);
		return;
	case OP_LBZ:
		load(in, rd, ra0(w), df_imm(SIMM(w)), 1, 0);
		return;
	case OP_LHZ:
		load(in, rd, ra0(w), df_imm(SIMM(w)), 2, 0);
		return;
	case OP_LHA:
		load(in, rd, ra0(w), df_imm(SIMM(w)), 2, DF_OPF_SIGNED);
		return;
	case OP_LWZU:
		load_update(&c, 4, 0);
		return;
	case OP_LBZU:
		load_update(&c, 1, 0);
		return;
	case OP_LHZU:
		load_update(&c, 2, 0);
		return;
	case OP_LHAU:
		load_update(&c, 2, DF_OPF_SIGNED);
		return;
	case OP_STWU:
	case OP_STBU:
	case OP_STHU:
	case OP_LFSU:
	case OP_LFDU:
	case OP_STFSU:
	case OP_STFDU:
		/* Stores are not modelled, their base update is (stwu r1,-n(r1) opens a stack frame). */
		op2(in, DF_OP_ADD, ra, reg(ra), df_imm(SIMM(w)));
		return;
	case OP_STW:
	case OP_STB:
	case OP_STH:
	case OP_STMW:
	case OP_LFS:
	case OP_LFD:
	case OP_STFS:
	case OP_STFD:
	case OP_FP_S:
	case OP_FP_D:
		return;
	case OP_LMW:
		for (unsigned r = rd; r < 32; r++)
			unknown(in, r);
		return;
	default:
		break;
	}
	unknown(in, rd);
	unknown(in, ra);
}

/* Data addresses: physical when in RAM, else virtual below processor_features.kernel_base (6.2). */
static bool ppc_data_phys(const struct df_env *env, uint64_t addr, uint64_t *pa)
{
	if (physmem_is_ram(env->pm, addr)) {
		*pa = addr;
		return true;
	}
	const struct config_kv *kb = env->cfg ? config_feature(env->cfg, "kernel_base") : NULL;
	if (!kb || !kb->is_int || addr < kb->value || !physmem_is_ram(env->pm, addr - kb->value))
		return false;
	*pa = addr - kb->value;
	return true;
}

static const struct df_isa isa_ppc32 = {
	.name = "ppc32",
	.cs_arch = CS_ARCH_PPC,
	.cs_mode = (cs_mode)(CS_MODE_32 | CS_MODE_BIG_ENDIAN),
	.align = 4,
	.min_len = 4,
	.max_len = 4,
	.reg_bits = 32,
	.nregs = PPC_NREGS,
	.reg_names = ppc_reg_names,
	.decode = ppc_decode,
	.data_phys = ppc_data_phys,
	.sysreg_name = ppc_sysreg_name,
};

static const struct df_isa *const ppc_isas[] = {&isa_ppc32};

/* ---- site scan (3.6, 6.3) ---- */

static void add_site(struct regrec_sites *out, uint64_t addr, unsigned sysreg, unsigned src, unsigned src2)
{
	struct regrec_site s = {addr, (uint16_t)sysreg, RR_WRITE, 0, (uint8_t)src, (uint8_t)src2};
	VEC_PUSH(out->v, out->n, out->cap, s);
}

void ppc_scan_word(uint32_t w, uint64_t addr, struct regrec_sites *out)
{
	if (OPCD(w) != OP_X || LK(w))
		return;
	switch (XO(w)) {
	case X_MTSPR: {
		unsigned spr = SPR(w);
		if (spr == SPR_SDR1)
			add_site(out, addr, REG_SDR1, RD(w), DF_REG_NONE);
		else if (spr >= SPR_IBAT0U && spr <= SPR_DBAT3L)
			add_site(out, addr, REG_BAT0 + spr - SPR_IBAT0U, RD(w), DF_REG_NONE);
		return;
	}
	case X_MTSR:
		/* IBM bit 11 and bits 16..20 are 0. */
		if (!(w & (1u << 20)) && !RB(w))
			add_site(out, addr, REG_SR0 + (RA(w) & 0xF), RD(w), DF_REG_NONE);
		return;
	case X_MTSRIN:
		if (!RA(w))
			add_site(out, addr, SYS_MTSRIN, RD(w), RB(w));
		return;
	default:
		return;
	}
}

static void ppc_scan(const struct regrec_scan_opts *o, uint64_t addr, const uint8_t *p, size_t len,
		     const uint8_t *next, size_t nnext, struct regrec_sites *out)
{
	(void)o, (void)next, (void)nnext;
	for (size_t i = (4 - (addr & 3)) & 3; i + 4 <= len; i += 4)
		ppc_scan_word(rd32(p + i, true), addr + i, out);
}

const struct regrec_ops ppc_regrec = {
	.isas = ppc_isas,
	.nisas = ARRAY_LEN(ppc_isas),
	.sysregs = site_sysregs,
	.nsysregs = ARRAY_LEN(site_sysregs),
	.regs = ppc_regs,
	.nregs = ARRAY_LEN(ppc_regs),
	.frame_size = 64 * 1024,
	.scan = ppc_scan,
	.hint = "the kernel may load this value from a variable or build it at run time; seed it in "
		"cpu.registers_values, or set processor_features.kernel_base for loads through kernel addresses",
	.gt_config_fallback = true,
};
