/*
 * AArch64 register recovery: the MSR/MRS site scan, the A64 front-end of
 * the dataflow engine and the TCR_EL1 field layout (algo-arm-aarch64.md 5.1,
 * 6.3, 7.2-7.8).
 *
 * The modelled instructions are decoded from the instruction word (the
 * encoding classes of the ARMv8-A manual, C4.1): one bitfield-move case
 * covers lsl/lsr/asr/ubfx/ubfiz/bfi/bfxil/sxtw..., whatever alias Capstone
 * prints.  Capstone decides validity, and its operand list drives the
 * conservative rule for everything not modelled.  A64 instructions are
 * little-endian whatever the data byte order.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "aarch64-tcr.h"
#include "regrec.h"
#include "util.h"

/* ---- system registers ---- */

/* Capstone's packing of op0:op1:CRn:CRm:op2 (TCR_EL1 = 0xC102). */
#define SYSKEY(op0, op1, crn, crm, op2) ((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))

/* Recorded by the site scan, in this order (struct regrec_site.sysreg indexes it). */
#define A64_SITE_SYSREGS(X)                                  \
	X(SYSKEY(3, 0, 2, 0, 2), "tcr_el1", 0)              \
	X(SYSKEY(3, 5, 2, 0, 2), "tcr_el12", 0)             \
	X(SYSKEY(3, 6, 2, 0, 2), "tcr_el3", -1)             \
	X(SYSKEY(3, 0, 2, 0, 0), "ttbr0_el1", -1)           \
	X(SYSKEY(3, 5, 2, 0, 0), "ttbr0_el12", -1)          \
	X(SYSKEY(3, 0, 2, 0, 1), "ttbr1_el1", -1)           \
	X(SYSKEY(3, 5, 2, 0, 1), "ttbr1_el12", -1)          \
	X(SYSKEY(3, 0, 5, 2, 0), "esr_el1", -1)             \
	X(SYSKEY(3, 0, 6, 0, 0), "far_el1", -1)             \
	X(SYSKEY(3, 0, 4, 0, 1), "elr_el1", -1)             \
	X(SYSKEY(3, 5, 4, 0, 1), "elr_el12", -1)            \
	X(SYSKEY(3, 0, 4, 0, 0), "spsr_el1", -1)            \
	X(SYSKEY(3, 5, 4, 0, 0), "spsr_el12", -1)           \
	X(SYSKEY(3, 0, 1, 0, 0), "sctlr_el1", -1)           \
	X(SYSKEY(3, 5, 1, 0, 0), "sctlr_el12", -1)          \
	X(SYSKEY(3, 6, 1, 0, 0), "sctlr_el3", -1)           \
	X(SYSKEY(3, 4, 4, 1, 0), "sp_el1", -1)              \
	X(SYSKEY(3, 6, 4, 0, 0), "spsr_el3", -1)            \
	X(SYSKEY(3, 0, 12, 0, 0), "vbar_el1", -1)           \
	X(SYSKEY(3, 6, 12, 0, 0), "vbar_el3", -1)           \
	X(SYSKEY(3, 0, 13, 0, 1), "contextidr_el1", -1)     \
	X(SYSKEY(3, 0, 10, 2, 0), "mair_el1", -1)           \
	X(SYSKEY(3, 0, 0, 7, 0), "id_aa64mmfr0_el1", -1)

/* Only named for cpu.registers_values lookups of MRS reads. */
#define A64_OTHER_SYSREGS(X)                                 \
	X(SYSKEY(3, 0, 0, 7, 1), "id_aa64mmfr1_el1", -1)    \
	X(SYSKEY(3, 0, 0, 7, 2), "id_aa64mmfr2_el1", -1)    \
	X(SYSKEY(3, 0, 0, 0, 0), "midr_el1", -1)            \
	X(SYSKEY(3, 0, 0, 0, 5), "mpidr_el1", -1)           \
	X(SYSKEY(3, 0, 0, 4, 0), "id_aa64pfr0_el1", -1)     \
	X(SYSKEY(3, 0, 0, 4, 1), "id_aa64pfr1_el1", -1)     \
	X(SYSKEY(3, 0, 0, 6, 0), "id_aa64isar0_el1", -1)    \
	X(SYSKEY(3, 0, 0, 6, 1), "id_aa64isar1_el1", -1)    \
	X(SYSKEY(3, 0, 4, 2, 2), "currentel", -1)           \
	X(SYSKEY(3, 4, 1, 1, 0), "hcr_el2", -1)             \
	X(SYSKEY(3, 4, 2, 0, 2), "tcr_el2", -1)             \
	X(SYSKEY(3, 0, 1, 0, 2), "cpacr_el1", -1)           \
	X(SYSKEY(3, 0, 13, 0, 4), "tpidr_el1", -1)          \
	X(SYSKEY(3, 4, 13, 0, 2), "tpidr_el2", -1)

#define KEY_OF(k, n, a) k,
#define SYSREG_OF(k, n, a) {.name = n, .analysed = a},
#define NAME_OF(k, n, a) n,

static const uint32_t site_keys[] = {A64_SITE_SYSREGS(KEY_OF)};
static const struct regrec_sysreg site_sysregs[] = {A64_SITE_SYSREGS(SYSREG_OF)};
static const uint32_t other_keys[] = {A64_OTHER_SYSREGS(KEY_OF)};
static const char *const other_names[] = {A64_OTHER_SYSREGS(NAME_OF)};

static int site_sysreg(uint32_t key)
{
	for (size_t i = 0; i < ARRAY_LEN(site_keys); i++)
		if (site_keys[i] == key)
			return (int)i;
	return -1;
}

static const char *a64_sysreg_name(uint32_t key, char *buf, size_t len)
{
	int i = site_sysreg(key);
	if (i >= 0)
		return site_sysregs[i].name;
	for (size_t k = 0; k < ARRAY_LEN(other_keys); k++)
		if (other_keys[k] == key)
			return other_names[k];
	/* The generic name the assemblers accept, so any register can be seeded. */
	snprintf(buf, len, "s%u_%u_c%u_c%u_%u", key >> 14, (key >> 11) & 7, (key >> 7) & 15, (key >> 3) & 15, key & 7);
	return buf;
}

/* ---- TCR_EL1 (fields: aarch64-tcr.h) ---- */

static const struct regrec_field tcr_fields[] = {
	{"T0SZ", 5, 0, RF_KEY},   {"RES0", 6, 6, RF_RES0}, {"EPD0", 7, 7, 0},      {"IRGN0", 9, 8, 0},
	{"ORGN0", 11, 10, 0},     {"SH0", 13, 12, 0},      {"TG0", 15, 14, RF_KEY}, {"T1SZ", 21, 16, RF_KEY},
	{"A1", 22, 22, 0},        {"EPD1", 23, 23, 0},     {"IRGN1", 25, 24, 0},   {"ORGN1", 27, 26, 0},
	{"SH1", 29, 28, 0},       {"TG1", 31, 30, RF_KEY}, {"IPS", 34, 32, 0},     {"RES0", 35, 35, RF_RES0},
	{"AS", 36, 36, 0},        {"TBI0", 37, 37, 0},     {"TBI1", 38, 38, 0},    {"HA", 39, 39, 0},
	{"HD", 40, 40, 0},        {"HPD0", 41, 41, 0},     {"HPD1", 42, 42, 0},    {"HWU", 50, 43, 0},
	{"TBID0", 51, 51, 0},     {"TBID1", 52, 52, 0},    {"NFD0", 53, 53, 0},    {"NFD1", 54, 54, 0},
	{"E0PD0", 55, 55, 0},     {"E0PD1", 56, 56, 0},    {"TCMA0", 57, 57, 0},   {"TCMA1", 58, 58, 0},
	{"RES0", 63, 59, RF_RES0},
};

/*
 * Largest TxSZ (FEAT_TTST): 48 with 4 and 16 KiB granules, 47 with 64 KiB;
 * above it no table exists.  The smallest sizes are not architecture
 * errors (under the minimum the PE reads the minimum or faults): they are
 * valid, implausible and unusable (tcr_unusable).
 */
static const char *txsz_too_large(const char *name, unsigned txsz, unsigned g, char *buf, size_t len)
{
	unsigned max = g == 16 ? 47 : 48;
	if (txsz <= max)
		return NULL;
	snprintf(buf, len, "%s %u is above %u, the largest with a %u KiB granule", name, txsz, max, 1u << (g - 10));
	return buf;
}

static const char *tcr_check(uint64_t v, uint64_t unknown)
{
	static _Thread_local char why[80];
	(void)unknown;
	if (tcr_tg0(v) == TCR_TG0_RESERVED && tcr_tg1(v) == TCR_TG1_RESERVED)
		return "TG0 and TG1 both reserved";
	unsigned g0, g1;
	tcr_granules(v, &g0, &g1);
	const char *w = txsz_too_large("T0SZ", tcr_t0sz(v), g0, why, sizeof(why));
	return w ? w : txsz_too_large("T1SZ", tcr_t1sz(v), g1, why, sizeof(why));
}

static const char *txsz_too_small(const char *name, unsigned txsz, unsigned g, char *buf, size_t len)
{
	if (txsz >= TCR_TXSZ_MIN)
		return NULL;
	if (txsz >= 12 && g == 16)
		snprintf(buf, len, "%s %u means 52-bit VAs (FEAT_LVA), which are not supported", name, txsz);
	else
		snprintf(buf, len, "%s %u is below %u, the smallest size (48-bit VAs)", name, txsz, TCR_TXSZ_MIN);
	return buf;
}

static const char *tcr_unusable(const struct machine_config *cfg, uint64_t v, uint64_t unknown)
{
	static _Thread_local char why[80];
	(void)cfg, (void)unknown;
	unsigned g0, g1;
	tcr_granules(v, &g0, &g1);
	const char *w = txsz_too_small("T0SZ", tcr_t0sz(v), g0, why, sizeof(why));
	return w ? w : txsz_too_small("T1SZ", tcr_t1sz(v), g1, why, sizeof(why));
}

static bool txsz_plausible(unsigned txsz, bool granule64k)
{
	return (txsz >= 16 && txsz <= 39) || (granule64k && txsz >= 12 && txsz <= 15);
}

/* A reserved granule leaves that half without a defined walk: it weighs twice. */
static unsigned tcr_plausibility(uint64_t v, uint64_t unknown)
{
	unsigned p = 0;
	p += 2 * (tcr_tg0(v) != TCR_TG0_RESERVED);
	p += 2 * (tcr_tg1(v) != TCR_TG1_RESERVED);
	p += txsz_plausible(tcr_t0sz(v), tcr_tg0(v) == TCR_TG0_64K);
	p += txsz_plausible(tcr_t1sz(v), tcr_tg1(v) == TCR_TG1_64K);
	p += !(unknown & TCR_EPD1) && !(v & TCR_EPD1);
	p += !(unknown & TCR_A1);
	p += !(unknown & (7ULL << TCR_IPS_SHIFT));
	return p;
}

static const struct regrec_layout tcr_layout = {
	.name = "vmsav8-64",
	.fields = tcr_fields,
	.nfields = ARRAY_LEN(tcr_fields),
	.check = tcr_check,
	.plausibility = tcr_plausibility,
	.unusable = tcr_unusable,
};

static const char *const tcr_gt_names[] = {"tcr_el1", NULL};

static const struct regrec_reg a64_regs[] = {
	{
		.name = "tcr_el1",
		.display = "TCR_EL1",
		.set_command = "set_tcr",
		.bits = 64,
		.layouts = {&tcr_layout, NULL},
		.gt_names = tcr_gt_names,
	},
};

/* ---- A64 front-end ---- */

#define A64_SP 31
#define A64_LR 30
#define A64_NREGS 32
/* AAPCS64 caller-saved: x0-x18 and the link register. */
#define A64_CALL_CLOBBER (((1ULL << 19) - 1) | 1ULL << A64_LR | DF_FLAGS_MASK)
/* SMC Calling Convention: x0-x17 may change across svc/hvc/smc. */
#define A64_SMCCC_CLOBBER (((1ULL << 18) - 1) | DF_FLAGS_MASK)

/* A64 condition field -> engine condition (MI PL VS VC test single flags: not tracked). */
static const uint8_t a64_cc[16] = {
	DF_CC_EQ, DF_CC_NE, DF_CC_HS, DF_CC_LO, DF_CC_NONE, DF_CC_NONE, DF_CC_NONE, DF_CC_NONE,
	DF_CC_HI, DF_CC_LS, DF_CC_GE, DF_CC_LT, DF_CC_GT, DF_CC_LE, DF_CC_ALWAYS, DF_CC_ALWAYS,
};

static const char *const a64_reg_names[A64_NREGS] = {
	"X0",  "X1",  "X2",  "X3",  "X4",  "X5",  "X6",  "X7",  "X8",  "X9",  "X10",
	"X11", "X12", "X13", "X14", "X15", "X16", "X17", "X18", "X19", "X20", "X21",
	"X22", "X23", "X24", "X25", "X26", "X27", "X28", "X29", "X30", "SP",
};

static inline unsigned fld(uint32_t w, unsigned hi, unsigned lo)
{
	return (unsigned)((w >> lo) & ((1u << (hi - lo + 1)) - 1));
}

/* Register 31 read as the zero register. */
static struct df_arg src_zr(unsigned r)
{
	return r == 31 ? df_imm(0) : df_reg((uint8_t)r);
}
/* Register 31 written as the zero register: the write is dropped. */
static uint8_t dst_zr(unsigned r)
{
	return r == 31 ? DF_REG_NONE : (uint8_t)r;
}

/* DecodeBitMasks of the manual (logical immediates); false for reserved encodings. */
static bool decode_bitmask(unsigned n, unsigned imms, unsigned immr, unsigned width, uint64_t *out)
{
	int len = log2_u64((uint64_t)(n << 6 | (~imms & 0x3F)));
	if (len < 1)
		return false;
	unsigned esize = 1u << len, levels = esize - 1;
	unsigned s = imms & levels, r = immr & levels;
	if (s == levels)
		return false;
	uint64_t welem = tnum_wmask(s + 1);
	uint64_t emask = tnum_wmask(esize);
	uint64_t elem = r ? ((welem >> r) | (welem << (esize - r))) & emask : welem;
	uint64_t v = 0;
	for (unsigned i = 0; i < width; i += esize)
		v |= elem << i;
	*out = v & tnum_wmask(width);
	return true;
}

static const uint8_t shift_ops[4] = {DF_OP_SHL, DF_OP_LSR, DF_OP_ASR, DF_OP_ROR};

/* Conservative rule: every general register Capstone lists becomes unknown. */
static void clobber_operands(const struct df_dec *d, struct df_insn *in)
{
	const cs_arm64 *a = &d->ci->detail->arm64;
	for (uint8_t i = 0; i < a->op_count; i++) {
		const cs_arm64_op *op = &a->operands[i];
		unsigned reg = op->type == ARM64_OP_REG ? op->reg : op->type == ARM64_OP_MEM ? op->mem.base : 0;
		if (op->type == ARM64_OP_MEM && !a->writeback)
			continue;
		if (reg >= ARM64_REG_X0 && reg <= ARM64_REG_X28)
			df_clobber(in, (uint8_t)(reg - ARM64_REG_X0));
		else if (reg >= ARM64_REG_W0 && reg <= ARM64_REG_W30)
			df_clobber(in, (uint8_t)(reg - ARM64_REG_W0));
		else if (reg == ARM64_REG_X29)
			df_clobber(in, 29);
		else if (reg == ARM64_REG_X30)
			df_clobber(in, 30);
		else if (reg == ARM64_REG_SP || reg == ARM64_REG_WSP)
			df_clobber(in, A64_SP);
	}
}

static void branch(struct df_insn *in, uint8_t flow, uint64_t target)
{
	in->flow = flow;
	in->target = target;
	in->flags |= DF_IF_TARGET;
}

/* Branches, exception generation, system instructions: C4.1.3.  Returns false when not in the class. */
static bool dec_branch_sys(uint32_t w, uint64_t pc, struct df_insn *in)
{
	if ((w & 0x7C000000) == 0x14000000) {        /* B, BL */
		uint64_t t = pc + (sign_extend(fld(w, 25, 0), 25) << 2);
		in->flags |= DF_IF_STOP;
		if (w >> 31) {
			branch(in, DF_FLOW_CALL, t);
			in->clobber |= A64_CALL_CLOBBER;
		} else {
			branch(in, DF_FLOW_JUMP, t);
		}
		return true;
	}
	if ((w & 0xFF000010) == 0x54000000) {        /* B.cond */
		branch(in, DF_FLOW_BRANCH, pc + (sign_extend(fld(w, 23, 5), 18) << 2));
		in->cc = a64_cc[w & 15];
		return true;
	}
	if ((w & 0x7E000000) == 0x34000000) {        /* CBZ/CBNZ: compare with zero, flags untouched */
		branch(in, DF_FLOW_BRANCH, pc + (sign_extend(fld(w, 23, 5), 18) << 2));
		df_emit_p(in, DF_OP_EXTRACT, 64, DF_TMP0, src_zr(fld(w, 4, 0)), df_imm(0), 0, w >> 31 ? 64 : 32, 0);
		in->flags |= DF_IF_OWN_CMP;
		in->cc = fld(w, 24, 24) ? DF_CC_NE : DF_CC_EQ;
		in->ca = df_reg(DF_TMP0);
		in->cb = df_imm(0);
		return true;
	}
	if ((w & 0x7E000000) == 0x36000000) {        /* TBZ/TBNZ: test one bit */
		branch(in, DF_FLOW_BRANCH, pc + (sign_extend(fld(w, 18, 5), 13) << 2));
		df_emit_p(in, DF_OP_EXTRACT, 64, DF_TMP0, src_zr(fld(w, 4, 0)), df_imm(0),
			  (uint8_t)(fld(w, 31, 31) << 5 | fld(w, 23, 19)), 1, 0);
		in->flags |= DF_IF_OWN_CMP;
		in->cc = fld(w, 24, 24) ? DF_CC_NE : DF_CC_EQ;
		in->ca = df_reg(DF_TMP0);
		in->cb = df_imm(0);
		return true;
	}
	if ((w & 0xFF000000) == 0xD4000000) {        /* SVC HVC SMC BRK HLT DCPSn */
		in->flags |= DF_IF_STOP;
		unsigned opc = fld(w, 23, 21);
		if (opc == 0) {
			in->clobber |= A64_SMCCC_CLOBBER;
		} else {
			in->flow = DF_FLOW_END;
		}
		return true;
	}
	if ((w & 0xFE000000) == 0xD6000000) {        /* BR BLR RET ERET DRPS and PAC forms */
		unsigned opc = fld(w, 24, 21);
		in->flags |= DF_IF_STOP;
		if (opc == 1 || opc == 9) {
			in->flow = DF_FLOW_CALL;
			in->clobber |= A64_CALL_CLOBBER;
		} else {
			in->flow = DF_FLOW_END;
		}
		return true;
	}
	if ((w & 0xFFC00000) == 0xD5000000) {        /* system */
		unsigned rt = fld(w, 4, 0);
		if ((w & 0xFFF00000) == 0xD5300000) {    /* MRS */
			df_emit(in, DF_OP_SYSREG, 64, dst_zr(rt), df_imm(0x8000 | fld(w, 19, 5)), df_imm(0));
		} else if ((w & 0xFFF80000) == 0xD5280000) { /* SYSL */
			df_emit(in, DF_OP_UNKNOWN, 64, dst_zr(rt), df_imm(0), df_imm(0));
		} else if (w == 0xD503205F || w == 0xD503207F) { /* WFE, WFI */
			in->flags |= DF_IF_STOP;
		} else if ((w & 0xFFFFFFE0) == 0xD51B4200 || (w & 0xFFF8F01F) == 0xD500401F) {
			/* MSR NZCV, and MSR (immediate) forms such as CFINV/AXFLAG */
			df_emit_flags_lost(in);
		}
		return true;
	}
	return false;
}

/* Flags of ADDS/SUBS: a compare for SUBS (CMP), lost for ADDS (CMN: carry rules differ). */
static void set_flags(struct df_insn *in, bool setflags, bool sub, unsigned width, struct df_arg a, struct df_arg b)
{
	if (!setflags)
		return;
	if (sub)
		df_emit_cmp(in, (uint8_t)width, a, b);
	else
		df_emit_flags_lost(in);
}

/* Data processing, immediate: C4.1.2. */
static bool dec_dp_imm(uint32_t w, uint64_t pc, struct df_insn *in)
{
	unsigned sf = w >> 31, width = sf ? 64 : 32, rd = fld(w, 4, 0), rn = fld(w, 9, 5);
	if ((w & 0x1F000000) == 0x10000000) {        /* ADR, ADRP */
		uint64_t imm = sign_extend(fld(w, 23, 5) << 2 | fld(w, 30, 29), 20);
		uint64_t v = sf ? (pc & ~0xFFFULL) + (imm << 12) : pc + imm;
		df_emit(in, DF_OP_SET, 64, dst_zr(rd), df_imm(v), df_imm(0));
		return true;
	}
	switch (w & 0x1F800000) {
	case 0x11000000: {                            /* ADD/SUB (immediate) */
		uint64_t imm = (uint64_t)fld(w, 21, 10) << (fld(w, 22, 22) ? 12 : 0);
		bool setflags = fld(w, 29, 29);
		uint8_t d = setflags ? dst_zr(rd) : (uint8_t)rd;
		set_flags(in, setflags, fld(w, 30, 30), width, df_reg((uint8_t)rn), df_imm(imm));
		df_emit(in, fld(w, 30, 30) ? DF_OP_SUB : DF_OP_ADD, (uint8_t)width, d, df_reg((uint8_t)rn), df_imm(imm));
		return true;
	}
	case 0x12000000: {                            /* logical (immediate) */
		static const uint8_t ops[4] = {DF_OP_AND, DF_OP_OR, DF_OP_XOR, DF_OP_AND};
		uint64_t imm;
		unsigned opc = fld(w, 30, 29);
		if (!decode_bitmask(fld(w, 22, 22), fld(w, 15, 10), fld(w, 21, 16), width, &imm))
			return false;
		uint8_t d = opc == 3 ? dst_zr(rd) : (uint8_t)rd;
		if (opc == 3)
			df_emit_flags_lost(in);
		df_emit(in, ops[opc], (uint8_t)width, d, src_zr(rn), df_imm(imm));
		return true;
	}
	case 0x12800000: {                            /* MOVN, MOVZ, MOVK */
		unsigned opc = fld(w, 30, 29), hw = fld(w, 22, 21);
		uint64_t imm = (uint64_t)fld(w, 20, 5);
		if (opc == 1 || (!sf && hw > 1))
			return false;
		if (opc == 3)
			df_emit_p(in, DF_OP_INSERT, (uint8_t)width, dst_zr(rd), df_imm(imm), df_imm(0), (uint8_t)(16 * hw), 16, 0);
		else
			df_emit(in, opc == 0 ? DF_OP_NOT : DF_OP_SET, (uint8_t)width, dst_zr(rd), df_imm(imm << (16 * hw)), df_imm(0));
		return true;
	}
	case 0x13000000: {                            /* SBFM, BFM, UBFM */
		unsigned opc = fld(w, 30, 29), r = fld(w, 21, 16), s = fld(w, 15, 10);
		if (opc == 3 || fld(w, 22, 22) != sf || (!sf && (r > 31 || s > 31)))
			return false;
		uint8_t d = dst_zr(rd);
		struct df_arg n = src_zr(rn);
		if (opc == 1) {                           /* BFXIL / BFI */
			if (s >= r) {
				df_emit_p(in, DF_OP_EXTRACT, 64, DF_TMP0, n, df_imm(0), (uint8_t)r, (uint8_t)(s - r + 1), 0);
				df_emit_p(in, DF_OP_INSERT, (uint8_t)width, d, df_reg(DF_TMP0), df_imm(0), 0, (uint8_t)(s - r + 1), 0);
			} else {
				df_emit_p(in, DF_OP_INSERT, (uint8_t)width, d, n, df_imm(0), (uint8_t)(width - r), (uint8_t)(s + 1), 0);
			}
			return true;
		}
		uint8_t ext = opc == 0 ? DF_OP_SEXTRACT : DF_OP_EXTRACT;
		if (s >= r) {                             /* xBFX, LSR, ASR, xXTx */
			df_emit_p(in, ext, (uint8_t)width, d, n, df_imm(0), (uint8_t)r, (uint8_t)(s - r + 1), 0);
		} else {                                  /* xBFIZ, LSL */
			df_emit_p(in, ext, (uint8_t)width, DF_TMP0, n, df_imm(0), 0, (uint8_t)(s + 1), 0);
			df_emit(in, DF_OP_SHL, (uint8_t)width, d, df_reg(DF_TMP0), df_imm(width - r));
		}
		return true;
	}
	case 0x13800000: {                            /* EXTR (ROR immediate) */
		unsigned lsb = fld(w, 15, 10), rm = fld(w, 20, 16);
		if (fld(w, 22, 22) != sf || (!sf && lsb > 31))
			return false;
		if (lsb == 0) {
			df_emit(in, DF_OP_SET, (uint8_t)width, dst_zr(rd), src_zr(rm), df_imm(0));
		} else {
			df_emit(in, DF_OP_LSR, (uint8_t)width, DF_TMP0, src_zr(rm), df_imm(lsb));
			df_emit(in, DF_OP_SHL, (uint8_t)width, DF_TMP1, src_zr(rn), df_imm(width - lsb));
			df_emit(in, DF_OP_OR, (uint8_t)width, dst_zr(rd), df_reg(DF_TMP0), df_reg(DF_TMP1));
		}
		return true;
	}
	}
	return false;
}

/* Rm shifted by imm6 into TMP0 (or Rm itself). */
static struct df_arg shifted(struct df_insn *in, unsigned width, unsigned type, unsigned rm, unsigned amount)
{
	if (!amount)
		return src_zr(rm);
	df_emit(in, shift_ops[type], (uint8_t)width, DF_TMP0, src_zr(rm), df_imm(amount));
	return df_reg(DF_TMP0);
}

/* Data processing, register: C4.1.6. */
static bool dec_dp_reg(uint32_t w, struct df_insn *in)
{
	unsigned sf = w >> 31, width = sf ? 64 : 32, rd = fld(w, 4, 0), rn = fld(w, 9, 5), rm = fld(w, 20, 16);
	if ((w & 0x1F000000) == 0x0A000000) {        /* logical (shifted register) */
		static const uint8_t ops[2][4] = {{DF_OP_AND, DF_OP_OR, DF_OP_XOR, DF_OP_AND},
						  {DF_OP_ANDN, DF_OP_ORN, DF_OP_XORN, DF_OP_ANDN}};
		if (!sf && fld(w, 15, 15))
			return false;
		struct df_arg b = shifted(in, width, fld(w, 23, 22), rm, fld(w, 15, 10));
		if (fld(w, 30, 29) == 3)
			df_emit_flags_lost(in);
		df_emit(in, ops[fld(w, 21, 21)][fld(w, 30, 29)], (uint8_t)width, dst_zr(rd), src_zr(rn), b);
		return true;
	}
	if ((w & 0x1F200000) == 0x0B000000) {        /* ADD/SUB (shifted register) */
		if (fld(w, 23, 22) == 3 || (!sf && fld(w, 15, 15)))
			return false;
		struct df_arg b = shifted(in, width, fld(w, 23, 22), rm, fld(w, 15, 10));
		set_flags(in, fld(w, 29, 29), fld(w, 30, 30), width, src_zr(rn), b);
		df_emit(in, fld(w, 30, 30) ? DF_OP_SUB : DF_OP_ADD, (uint8_t)width, dst_zr(rd), src_zr(rn), b);
		return true;
	}
	if ((w & 0x1F200000) == 0x0B200000) {        /* ADD/SUB (extended register) */
		unsigned opt = fld(w, 15, 13), sh = fld(w, 12, 10);
		static const uint8_t sizes[4] = {8, 16, 32, 64};
		if (sh > 4 || fld(w, 23, 22))
			return false;
		df_emit_p(in, opt & 4 ? DF_OP_SEXTRACT : DF_OP_EXTRACT, (uint8_t)width, DF_TMP0, src_zr(rm), df_imm(0), 0,
			  sizes[opt & 3], 0);
		df_emit(in, DF_OP_SHL, (uint8_t)width, DF_TMP0, df_reg(DF_TMP0), df_imm(sh));
		uint8_t d = fld(w, 29, 29) ? dst_zr(rd) : (uint8_t)rd;
		set_flags(in, fld(w, 29, 29), fld(w, 30, 30), width, df_reg((uint8_t)rn), df_reg(DF_TMP0));
		df_emit(in, fld(w, 30, 30) ? DF_OP_SUB : DF_OP_ADD, (uint8_t)width, d, df_reg((uint8_t)rn), df_reg(DF_TMP0));
		return true;
	}
	if ((w & 0x1FE00000) == 0x1A800000) {        /* CSEL CSINC CSINV CSNEG */
		unsigned op = fld(w, 30, 30), op2 = fld(w, 11, 10);
		if (fld(w, 29, 29) || op2 > 1)
			return false;
		struct df_arg alt = src_zr(rm);
		if (op || op2) {
			uint8_t o = op2 == 0 ? DF_OP_NOT : op ? DF_OP_NEG : DF_OP_ADD;
			df_emit(in, o, (uint8_t)width, DF_TMP0, src_zr(rm), df_imm(1));
			alt = df_reg(DF_TMP0);
		}
		/* Rn when the condition holds; either when the compare is not known. */
		df_emit_p(in, DF_OP_SELECT, (uint8_t)width, dst_zr(rd), src_zr(rn), alt, a64_cc[fld(w, 15, 12)], 0, 0);
		return true;
	}
	if ((w & 0x5FE00000) == 0x1AC00000) {        /* data processing (2 source) */
		unsigned opc = fld(w, 15, 10);
		if (opc >= 8 && opc <= 11) {             /* LSLV LSRV ASRV RORV: amount modulo the width */
			df_emit(in, DF_OP_AND, (uint8_t)width, DF_TMP0, src_zr(rm), df_imm(width - 1));
			df_emit(in, shift_ops[opc - 8], (uint8_t)width, dst_zr(rd), src_zr(rn), df_reg(DF_TMP0));
		} else {
			df_emit(in, DF_OP_UNKNOWN, 64, dst_zr(rd), df_imm(0), df_imm(0));
		}
		return true;
	}
	if ((w & 0x1F000000) == 0x1B000000) {        /* data processing (3 source) */
		unsigned ra = fld(w, 14, 10);
		if (fld(w, 23, 21) == 0) {               /* MADD, MSUB */
			df_emit(in, DF_OP_MUL, (uint8_t)width, DF_TMP0, src_zr(rn), src_zr(rm));
			df_emit(in, fld(w, 15, 15) ? DF_OP_SUB : DF_OP_ADD, (uint8_t)width, dst_zr(rd), src_zr(ra), df_reg(DF_TMP0));
		} else {
			df_emit(in, DF_OP_UNKNOWN, 64, dst_zr(rd), df_imm(0), df_imm(0));
		}
		return true;
	}
	if ((w & 0x5FE00000) == 0x5AC00000 && fld(w, 20, 10) == 4) {  /* CLZ (Linux computes T0SZ with it) */
		df_emit(in, DF_OP_CLZ, (uint8_t)width, dst_zr(rd), src_zr(rn), df_imm(0));
		return true;
	}
	if ((w & 0x1FE00000) == 0x1A000000 || (w & 0x5FE00000) == 0x5AC00000) {
		/* ADC/SBC (carry unknown), RBIT/REV/CLS */
		if ((w & 0x1FE00000) == 0x1A000000 && fld(w, 29, 29))
			df_emit_flags_lost(in);
		df_emit(in, DF_OP_UNKNOWN, 64, dst_zr(rd), df_imm(0), df_imm(0));
		return true;
	}
	if ((w & 0x1FE00000) == 0x1A400000) {        /* CCMP/CCMN: flags only */
		df_emit_flags_lost(in);
		return true;
	}
	return false;
}

/* One general-register load at Rn + offset (or pc-relative when rn < 0). */
static void emit_load(struct df_insn *in, unsigned size, unsigned opc, unsigned rt, struct df_arg base, uint64_t off)
{
	unsigned bytes = 1u << size;
	if (opc == 1)
		df_emit_p(in, DF_OP_LOAD, 64, dst_zr(rt), base, df_imm(off), (uint8_t)bytes, 0, 0);
	else if (opc == 2 && size < 3)
		df_emit_p(in, DF_OP_LOAD, 64, dst_zr(rt), base, df_imm(off), (uint8_t)bytes, 0, DF_OPF_SIGNED);
	else if (opc == 3 && size < 2)
		df_emit_p(in, DF_OP_LOAD, 32, dst_zr(rt), base, df_imm(off), (uint8_t)bytes, 0, DF_OPF_SIGNED);
}

/* Loads and stores: C4.1.4.  Returns false for the classes left to the conservative rule. */
static bool dec_ldst(uint32_t w, uint64_t pc, struct df_insn *in)
{
	unsigned rt = fld(w, 4, 0), rn = fld(w, 9, 5), v = fld(w, 26, 26);
	if ((w & 0x3B000000) == 0x18000000) {        /* load register (literal) */
		unsigned opc = fld(w, 31, 30);
		uint64_t addr = pc + (sign_extend(fld(w, 23, 5), 18) << 2);
		if (v || opc == 3)
			return true;
		if (opc == 2)
			df_emit_p(in, DF_OP_LOAD, 64, dst_zr(rt), df_imm(addr), df_imm(0), 4, 0, DF_OPF_SIGNED);
		else
			df_emit_p(in, DF_OP_LOAD, 64, dst_zr(rt), df_imm(addr), df_imm(0), opc ? 8 : 4, 0, 0);
		return true;
	}
	if ((w & 0x3B000000) == 0x39000000) {        /* load/store register (unsigned immediate) */
		unsigned size = fld(w, 31, 30), opc = fld(w, 23, 22);
		if (!v && opc)
			emit_load(in, size, opc, rt, df_reg((uint8_t)rn), (uint64_t)fld(w, 21, 10) << size);
		return true;
	}
	if ((w & 0x3B200000) == 0x38000000) {        /* unscaled, post-index, unprivileged, pre-index */
		unsigned size = fld(w, 31, 30), opc = fld(w, 23, 22), idx = fld(w, 11, 10);
		uint64_t imm = sign_extend(fld(w, 20, 12), 8);
		if (!v && opc)
			emit_load(in, size, opc, rt, df_reg((uint8_t)rn), idx == 1 ? 0 : imm);
		if (idx == 1 || idx == 3)
			df_emit(in, DF_OP_ADD, 64, (uint8_t)rn, df_reg((uint8_t)rn), df_imm(imm));
		return true;
	}
	if ((w & 0x3B200C00) == 0x38200800) {        /* register offset */
		if (!v && fld(w, 23, 22))
			df_emit(in, DF_OP_UNKNOWN, 64, dst_zr(rt), df_imm(0), df_imm(0));
		return true;
	}
	if ((w & 0x3A000000) == 0x28000000) {        /* load/store pair */
		unsigned opc = fld(w, 31, 30), mode = fld(w, 24, 23), load = fld(w, 22, 22);
		unsigned scale = v ? 2 + opc : 2 + (opc >> 1);
		if (load && !v) {
			df_emit(in, DF_OP_UNKNOWN, 64, dst_zr(rt), df_imm(0), df_imm(0));
			df_emit(in, DF_OP_UNKNOWN, 64, dst_zr(fld(w, 14, 10)), df_imm(0), df_imm(0));
		}
		if (mode == 1 || mode == 3)
			df_emit(in, DF_OP_ADD, 64, (uint8_t)rn, df_reg((uint8_t)rn), df_imm(sign_extend(fld(w, 21, 15), 6) << scale));
		return true;
	}
	return false;
}

static void a64_decode(struct df_dec *d, uint64_t addr, const uint8_t *code, size_t avail, struct df_insn *in)
{
	(void)avail;
	uint32_t w = rd32(code, false);
	in->len = 4;
	bool done;
	if ((w & 0x1C000000) == 0x14000000)
		done = dec_branch_sys(w, addr, in);
	else if ((w & 0x1C000000) == 0x10000000)
		done = dec_dp_imm(w, addr, in);
	else if ((w & 0x0E000000) == 0x0A000000)
		done = dec_dp_reg(w, in);
	else if ((w & 0x0A000000) == 0x08000000)
		done = dec_ldst(w, addr, in);
	else
		done = false;
	if (!done) {
		in->nops = 0;
		clobber_operands(d, in);
		df_emit_flags_lost(in);   /* FCMP and the like */
	}
}

static const struct df_isa isa_a64 = {
	.name = "a64",
	.cs_arch = CS_ARCH_ARM64,
	.cs_mode = CS_MODE_LITTLE_ENDIAN,
	.cs_detail = true,
	.align = 4,
	.min_len = 4,
	.max_len = 4,
	.reg_bits = 64,
	.nregs = A64_NREGS,
	.reg_names = a64_reg_names,
	.decode = a64_decode,
	.sysreg_name = a64_sysreg_name,
};

static const struct df_isa *const a64_isas[] = {&isa_a64};

/* ---- site scan (6.3, 7.2) ---- */

static void add_site(struct regrec_sites *out, uint64_t addr, uint16_t sysreg, uint8_t kind, uint8_t src)
{
	struct regrec_site s = {addr, sysreg, kind, 0, src, DF_REG_NONE};
	VEC_PUSH(out->v, out->n, out->cap, s);
}

static void a64_scan(const struct regrec_scan_opts *o, uint64_t addr, const uint8_t *p, size_t len,
		     const uint8_t *next, size_t nnext, struct regrec_sites *out)
{
	(void)o, (void)next, (void)nnext;
	size_t i = (4 - (addr & 3)) & 3;
	for (; i + 4 <= len; i += 4) {
		uint32_t w = rd32(p + i, false);
		if ((w & 0xFF800000) != 0xD5000000 && (w & 0xFE000000) != 0xD6000000)
			continue;                /* fast path: not system or branch-register */
		uint64_t a = addr + i;
		unsigned rt = w & 31;
		if ((w & 0xFFFFFC1F) == 0xD65F0000) {
			add_site(out, a, RR_NO_SYSREG, RR_RET, DF_REG_NONE);
		} else if (w == 0xD69F03E0) {
			add_site(out, a, RR_NO_SYSREG, RR_ERET, DF_REG_NONE);
		} else if ((w & 0xFFDFFC1F) == 0xD61F0000) {
			add_site(out, a, RR_NO_SYSREG, (w >> 21) & 1 ? RR_BLR : RR_BR, DF_REG_NONE);
		} else if (((w & 0xFFF00000) == 0xD5100000 || (w & 0xFFF00000) == 0xD5300000) && rt != 31) {
			int k = site_sysreg(0x8000 | ((w >> 5) & 0x7FFF));
			if (k >= 0)
				add_site(out, a, (uint16_t)k, (w >> 21) & 1 ? RR_READ : RR_WRITE, (uint8_t)rt);
		}
	}
}

const struct regrec_ops aarch64_regrec = {
	.isas = a64_isas,
	.nisas = ARRAY_LEN(a64_isas),
	.sysregs = site_sysregs,
	.nsysregs = ARRAY_LEN(site_sysregs),
	.regs = a64_regs,
	.nregs = ARRAY_LEN(a64_regs),
	.frame_size = 64 * 1024,
	.scan = a64_scan,
	.hint = "Linux computes IPS from ID_AA64MMFR0_EL1: seed it in cpu.registers_values to get it",
};
