/*
 * ARM 32-bit register recovery: the CP15 MCR/MRC/MCRR site scan (A32 and
 * Thumb-2), the A32 and T32 front-ends of the dataflow engine, and the
 * TTBCR field layouts, short and long descriptor (algo-arm-aarch64.md 3.1,
 * 4.1, 6.2, 7.2-7.8).
 *
 * Both front-ends read Capstone's operand detail, which is the same for A32
 * and T32: one semantic table indexed by instruction id covers both.
 * Destinations come from that table, never from Capstone's access flags
 * (wrong in Capstone 4 for MRC).  Instructions are read little-endian (BE8
 * and ARMv7 fetch them so even on big-endian systems).
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "physmem.h"
#include "regrec.h"
#include "util.h"

/* ---- system registers ---- */

/* Key of a coprocessor register: coproc:opc1:CRn:CRm:opc2. */
#define CPKEY(cp, opc1, crn, crm, opc2) ((cp) << 16 | (opc1) << 12 | (crn) << 8 | (crm) << 4 | (opc2))

/* Recorded by the site scan (index = struct regrec_site.sysreg); MCRR/MRRC use ttbr0/ttbr1. */
#define ARM_SITE_SYSREGS(X)                           \
	X(CPKEY(15, 0, 1, 0, 0), "sctlr", -1)        \
	X(CPKEY(15, 0, 2, 0, 0), "ttbr0", -1)        \
	X(CPKEY(15, 0, 2, 0, 1), "ttbr1", -1)        \
	X(CPKEY(15, 0, 2, 0, 2), "ttbcr", 0)         \
	X(CPKEY(15, 0, 3, 0, 0), "dacr", -1)         \
	X(CPKEY(15, 0, 5, 0, 0), "dfsr", -1)         \
	X(CPKEY(15, 0, 5, 0, 1), "ifsr", -1)

#define SYS_TTBR0 1
#define SYS_TTBR1 2

/* Only named for cpu.registers_values lookups of MRC reads. */
#define ARM_OTHER_SYSREGS(X)                          \
	X(CPKEY(15, 0, 0, 0, 0), "midr", -1)         \
	X(CPKEY(15, 0, 0, 0, 1), "ctr", -1)          \
	X(CPKEY(15, 0, 0, 0, 5), "mpidr", -1)        \
	X(CPKEY(15, 0, 0, 1, 4), "id_mmfr0", -1)     \
	X(CPKEY(15, 1, 0, 0, 0), "ccsidr", -1)       \
	X(CPKEY(15, 1, 0, 0, 1), "clidr", -1)        \
	X(CPKEY(15, 2, 0, 0, 0), "csselr", -1)       \
	X(CPKEY(15, 0, 1, 0, 1), "actlr", -1)        \
	X(CPKEY(15, 0, 1, 0, 2), "cpacr", -1)        \
	X(CPKEY(15, 0, 6, 0, 0), "dfar", -1)         \
	X(CPKEY(15, 0, 6, 0, 2), "ifar", -1)         \
	X(CPKEY(15, 0, 10, 2, 0), "prrr", -1)        \
	X(CPKEY(15, 0, 10, 2, 1), "nmrr", -1)        \
	X(CPKEY(15, 0, 12, 0, 0), "vbar", -1)        \
	X(CPKEY(15, 0, 13, 0, 1), "contextidr", -1)  \
	X(CPKEY(15, 0, 13, 0, 2), "tpidrurw", -1)    \
	X(CPKEY(15, 0, 13, 0, 3), "tpidruro", -1)    \
	X(CPKEY(15, 0, 13, 0, 4), "tpidrprw", -1)

#define KEY_OF(k, n, a) k,
#define SYSREG_OF(k, n, a) {.name = n, .analysed = a},
#define NAME_OF(k, n, a) n,

static const uint32_t site_keys[] = {ARM_SITE_SYSREGS(KEY_OF)};
static const struct regrec_sysreg site_sysregs[] = {ARM_SITE_SYSREGS(SYSREG_OF)};
static const uint32_t other_keys[] = {ARM_OTHER_SYSREGS(KEY_OF)};
static const char *const other_names[] = {ARM_OTHER_SYSREGS(NAME_OF)};

static int site_sysreg(uint32_t key)
{
	for (size_t i = 0; i < ARRAY_LEN(site_keys); i++)
		if (site_keys[i] == key)
			return (int)i;
	return -1;
}

static const char *arm_sysreg_name(uint32_t key, char *buf, size_t len)
{
	int i = site_sysreg(key);
	if (i >= 0)
		return site_sysregs[i].name;
	for (size_t k = 0; k < ARRAY_LEN(other_keys); k++)
		if (other_keys[k] == key)
			return other_names[k];
	snprintf(buf, len, "p%u_%u_c%u_c%u_%u", key >> 16, (key >> 12) & 15, (key >> 8) & 15, (key >> 4) & 15, key & 15);
	return buf;
}

/* ---- TTBCR ---- */

#define TTBCR_EAE (1ULL << 31)
#define TTBCR_PD0 (1ULL << 4)
#define TTBCR_PD1 (1ULL << 5)
#define TTBCR_EPD0 (1ULL << 7)
#define TTBCR_EPD1 (1ULL << 23)
#define TTBCR_SH0_SHIFT 12
#define TTBCR_SH1_SHIFT 28
#define TTBCR_SH_RESERVED 1
#define TTBCR_T0SZ_MASK 7ULL
#define TTBCR_T1SZ_MASK (7ULL << 16)

/* Short-descriptor layout (EAE = 0): the original's validity, bits 30..6 and 3 zero. */
static const struct regrec_field ttbcr_short_fields[] = {
	{"N", 2, 0, RF_KEY}, {"RES0", 3, 3, RF_RES0}, {"PD0", 4, 4, 0}, {"PD1", 5, 5, 0},
	{"RES0", 30, 6, RF_RES0}, {"EAE", 31, 31, RF_KEY},
};

/* Long-descriptor layout (EAE = 1, LPAE): ARM DDI 0406C B4.1.153. */
static const struct regrec_field ttbcr_long_fields[] = {
	{"T0SZ", 2, 0, RF_KEY},   {"RES0", 6, 3, RF_RES0}, {"EPD0", 7, 7, RF_EQUIV}, {"IRGN0", 9, 8, 0},
	{"ORGN0", 11, 10, 0},     {"SH0", 13, 12, 0},      {"RES0", 15, 14, RF_RES0}, {"T1SZ", 18, 16, RF_KEY},
	{"RES0", 21, 19, RF_RES0}, {"A1", 22, 22, 0},      {"EPD1", 23, 23, RF_EQUIV}, {"IRGN1", 25, 24, 0},
	{"ORGN1", 27, 26, 0},     {"SH1", 29, 28, 0},      {"IMP", 30, 30, 0},        {"EAE", 31, 31, RF_KEY},
};

static unsigned ttbcr_short_plausibility(uint64_t v, uint64_t unknown)
{
	return (!(unknown & TTBCR_PD0) && !(v & TTBCR_PD0)) + (!(unknown & TTBCR_PD1) && !(v & TTBCR_PD1));
}

static const char *ttbcr_long_check(uint64_t v, uint64_t unknown)
{
	uint64_t sh0 = 3ULL << TTBCR_SH0_SHIFT, sh1 = 3ULL << TTBCR_SH1_SHIFT;
	if (!(unknown & sh0) && ((v & sh0) >> TTBCR_SH0_SHIFT) == TTBCR_SH_RESERVED)
		return "SH0 = 01 is reserved";
	if (!(unknown & sh1) && ((v & sh1) >> TTBCR_SH1_SHIFT) == TTBCR_SH_RESERVED)
		return "SH1 = 01 is reserved";
	return NULL;
}

/*
 * Walks enabled, and the address space split between TTBR0 and TTBR1: an OS
 * with a kernel/user split uses both (Linux LPAE sets T1SZ = 2 whenever RAM
 * lies below PAGE_OFFSET, the usual case); T0SZ = T1SZ = 0 leaves TTBR1 unused.
 */
static unsigned ttbcr_long_plausibility(uint64_t v, uint64_t unknown)
{
	uint64_t sz = TTBCR_T0SZ_MASK | TTBCR_T1SZ_MASK;
	return (!(unknown & TTBCR_EPD0) && !(v & TTBCR_EPD0)) + (!(unknown & TTBCR_EPD1) && !(v & TTBCR_EPD1)) +
	       (!(unknown & sz) && (v & sz));
}

/* TTBCR.EAE chooses the descriptor format: only the layout of mmu.mode drives the table search. */
static const char *ttbcr_short_unusable(const struct machine_config *cfg, uint64_t v, uint64_t unknown)
{
	(void)v, (void)unknown;
	return cfg && strcmp(config_mode_name(cfg), "short") ? "EAE 0 selects short descriptors, mmu.mode is long" : NULL;
}

static const char *ttbcr_long_unusable(const struct machine_config *cfg, uint64_t v, uint64_t unknown)
{
	(void)v, (void)unknown;
	return cfg && strcmp(config_mode_name(cfg), "long") ? "EAE 1 selects long descriptors, mmu.mode is short" : NULL;
}

static const struct regrec_layout ttbcr_short = {
	.name = "short",
	.fields = ttbcr_short_fields,
	.nfields = ARRAY_LEN(ttbcr_short_fields),
	.plausibility = ttbcr_short_plausibility,
	.unusable = ttbcr_short_unusable,
};

static const struct regrec_layout ttbcr_long = {
	.name = "long",
	.fields = ttbcr_long_fields,
	.nfields = ARRAY_LEN(ttbcr_long_fields),
	.check = ttbcr_long_check,
	.plausibility = ttbcr_long_plausibility,
	.unusable = ttbcr_long_unusable,
};

/* The secure bank too; not HTCR or other *TCR* names (the original's substring rule). */
static const char *const ttbcr_gt_names[] = {"ttbcr", "ttbcr_s", NULL};

static const struct regrec_reg arm_regs[] = {
	{
		.name = "ttbcr",
		.display = "TTBCR",
		.set_command = "set_ttbcr",
		.bits = 32,
		.selector = TTBCR_EAE,
		.layouts = {&ttbcr_short, &ttbcr_long},
		.gt_names = ttbcr_gt_names,
		.has_reset = true,
		.reset = 0,
	},
};

/* ---- A32 / T32 front-ends ---- */

#define ARM_SP 13
#define ARM_LR 14
#define ARM_PC 15
#define ARM_NREGS 16
/* AAPCS: r0-r3, r12 and lr do not survive a call. */
#define ARM_CALL_CLOBBER (0xFULL | 1ULL << 12 | 1ULL << ARM_LR | DF_FLAGS_MASK)

/* Capstone condition -> engine condition (MI PL VS VC test single flags: not tracked). */
static const uint8_t cc_map[] = {
	[ARM_CC_INVALID] = DF_CC_ALWAYS, [ARM_CC_EQ] = DF_CC_EQ, [ARM_CC_NE] = DF_CC_NE, [ARM_CC_HS] = DF_CC_HS,
	[ARM_CC_LO] = DF_CC_LO, [ARM_CC_MI] = DF_CC_NONE, [ARM_CC_PL] = DF_CC_NONE, [ARM_CC_VS] = DF_CC_NONE,
	[ARM_CC_VC] = DF_CC_NONE, [ARM_CC_HI] = DF_CC_HI, [ARM_CC_LS] = DF_CC_LS, [ARM_CC_GE] = DF_CC_GE,
	[ARM_CC_LT] = DF_CC_LT, [ARM_CC_GT] = DF_CC_GT, [ARM_CC_LE] = DF_CC_LE, [ARM_CC_AL] = DF_CC_ALWAYS,
};

static const char *const arm_reg_names[ARM_NREGS] = {
	"R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15",
};

enum arm_class {
	C_OTHER = 0,   /* not modelled: every register operand becomes unknown */
	C_NONE,        /* writes no general register */
	C_DP,          /* Rd = Rn op Operand2 (Rd op= Operand2 with two operands) */
	C_RSB,         /* Rd = Operand2 - Rn */
	C_MOV,
	C_MVN,
	C_MOVW,
	C_MOVT,
	C_SHIFT,       /* LSL LSR ASR ROR */
	C_ADR,         /* Thumb ADR: Rd = Align(PC, 4) + imm */
	C_PCREL,       /* ADDW/SUBW: PC as Rn reads Align(PC, 4) */
	C_MUL,
	C_BFX,         /* UBFX, SBFX */
	C_BFI,
	C_BFC,
	C_EXT,         /* UXTB UXTH SXTB SXTH */
	C_LOAD,
	C_LOAD2,       /* LDRD, LDREXD: two destinations, unknown */
	C_LDM,         /* base, then the register list */
	C_POP,
	C_STORE,       /* writeback only */
	C_STM,
	C_STREX,       /* status register written */
	C_MRC,
	C_MRRC,
	C_B,
	C_BL,
	C_BX,
	C_CBZ,
	C_TBB,
	C_EXCRET,      /* ERET, RFE*: no successor */
	C_UDF,
	C_IT,
	C_CMP,
};

struct arm_sem {
	uint8_t cls;
	uint8_t op;      /* DF_OP_* for C_DP / C_SHIFT / C_BFX; load size for C_LOAD */
	uint8_t arg;     /* C_LOAD: DF_OPF_SIGNED; C_EXT: field width */
};

static const struct arm_sem arm_sem[ARM_INS_ENDING] = {
	[ARM_INS_AND] = {C_DP, DF_OP_AND, 0},       [ARM_INS_ORR] = {C_DP, DF_OP_OR, 0},
	[ARM_INS_EOR] = {C_DP, DF_OP_XOR, 0},       [ARM_INS_BIC] = {C_DP, DF_OP_ANDN, 0},
	[ARM_INS_ORN] = {C_DP, DF_OP_ORN, 0},       [ARM_INS_ADD] = {C_DP, DF_OP_ADD, 0},
	[ARM_INS_SUB] = {C_DP, DF_OP_SUB, 0},       [ARM_INS_RSB] = {C_RSB, DF_OP_SUB, 0},
	[ARM_INS_ADDW] = {C_PCREL, DF_OP_ADD, 0},   [ARM_INS_SUBW] = {C_PCREL, DF_OP_SUB, 0},
	[ARM_INS_MOV] = {C_MOV, 0, 0},              [ARM_INS_MVN] = {C_MVN, 0, 0},
	[ARM_INS_MOVW] = {C_MOVW, 0, 0},            [ARM_INS_MOVT] = {C_MOVT, 0, 0},
	[ARM_INS_LSL] = {C_SHIFT, DF_OP_SHL, 0},    [ARM_INS_LSR] = {C_SHIFT, DF_OP_LSR, 0},
	[ARM_INS_ASR] = {C_SHIFT, DF_OP_ASR, 0},    [ARM_INS_ROR] = {C_SHIFT, DF_OP_ROR, 0},
	[ARM_INS_ADR] = {C_ADR, 0, 0},              [ARM_INS_MUL] = {C_MUL, 0, 0},
	[ARM_INS_UBFX] = {C_BFX, DF_OP_EXTRACT, 0}, [ARM_INS_SBFX] = {C_BFX, DF_OP_SEXTRACT, 0},
	[ARM_INS_BFI] = {C_BFI, 0, 0},              [ARM_INS_BFC] = {C_BFC, 0, 0},
	[ARM_INS_UXTB] = {C_EXT, DF_OP_EXTRACT, 8}, [ARM_INS_UXTH] = {C_EXT, DF_OP_EXTRACT, 16},
	[ARM_INS_SXTB] = {C_EXT, DF_OP_SEXTRACT, 8}, [ARM_INS_SXTH] = {C_EXT, DF_OP_SEXTRACT, 16},
	[ARM_INS_LDR] = {C_LOAD, 4, 0},             [ARM_INS_LDRT] = {C_LOAD, 4, 0},
	[ARM_INS_LDREX] = {C_LOAD, 4, 0},           [ARM_INS_LDA] = {C_LOAD, 4, 0},
	[ARM_INS_LDAEX] = {C_LOAD, 4, 0},           [ARM_INS_LDRB] = {C_LOAD, 1, 0},
	[ARM_INS_LDRBT] = {C_LOAD, 1, 0},           [ARM_INS_LDREXB] = {C_LOAD, 1, 0},
	[ARM_INS_LDAB] = {C_LOAD, 1, 0},            [ARM_INS_LDAEXB] = {C_LOAD, 1, 0},
	[ARM_INS_LDRH] = {C_LOAD, 2, 0},            [ARM_INS_LDRHT] = {C_LOAD, 2, 0},
	[ARM_INS_LDREXH] = {C_LOAD, 2, 0},          [ARM_INS_LDAH] = {C_LOAD, 2, 0},
	[ARM_INS_LDAEXH] = {C_LOAD, 2, 0},          [ARM_INS_LDRSB] = {C_LOAD, 1, DF_OPF_SIGNED},
	[ARM_INS_LDRSBT] = {C_LOAD, 1, DF_OPF_SIGNED}, [ARM_INS_LDRSH] = {C_LOAD, 2, DF_OPF_SIGNED},
	[ARM_INS_LDRSHT] = {C_LOAD, 2, DF_OPF_SIGNED},
	[ARM_INS_LDRD] = {C_LOAD2, 0, 0},           [ARM_INS_LDREXD] = {C_LOAD2, 0, 0},
	[ARM_INS_LDAEXD] = {C_LOAD2, 0, 0},
	[ARM_INS_LDM] = {C_LDM, 0, 0},              [ARM_INS_LDMDA] = {C_LDM, 0, 0},
	[ARM_INS_LDMDB] = {C_LDM, 0, 0},            [ARM_INS_LDMIB] = {C_LDM, 0, 0},
	[ARM_INS_POP] = {C_POP, 0, 0},
	[ARM_INS_STR] = {C_STORE, 0, 0},            [ARM_INS_STRB] = {C_STORE, 0, 0},
	[ARM_INS_STRH] = {C_STORE, 0, 0},           [ARM_INS_STRD] = {C_STORE, 0, 0},
	[ARM_INS_STRT] = {C_STORE, 0, 0},           [ARM_INS_STRBT] = {C_STORE, 0, 0},
	[ARM_INS_STRHT] = {C_STORE, 0, 0},          [ARM_INS_STL] = {C_STORE, 0, 0},
	[ARM_INS_STLB] = {C_STORE, 0, 0},           [ARM_INS_STLH] = {C_STORE, 0, 0},
	[ARM_INS_STM] = {C_STM, 0, 0},              [ARM_INS_STMDA] = {C_STM, 0, 0},
	[ARM_INS_STMDB] = {C_STM, 0, 0},            [ARM_INS_STMIB] = {C_STM, 0, 0},
	[ARM_INS_PUSH] = {C_STM, 0, 0},
	[ARM_INS_STREX] = {C_STREX, 0, 0},          [ARM_INS_STREXB] = {C_STREX, 0, 0},
	[ARM_INS_STREXH] = {C_STREX, 0, 0},         [ARM_INS_STREXD] = {C_STREX, 0, 0},
	[ARM_INS_STLEX] = {C_STREX, 0, 0},          [ARM_INS_STLEXB] = {C_STREX, 0, 0},
	[ARM_INS_STLEXH] = {C_STREX, 0, 0},         [ARM_INS_STLEXD] = {C_STREX, 0, 0},
	[ARM_INS_MRC] = {C_MRC, 0, 0},              [ARM_INS_MRRC] = {C_MRRC, 0, 0},
	[ARM_INS_MCR] = {C_NONE, 0, 0},             [ARM_INS_MCRR] = {C_NONE, 0, 0},
	[ARM_INS_CMP] = {C_CMP, 0, 0},             [ARM_INS_CMN] = {C_NONE, 0, 0},
	[ARM_INS_TST] = {C_NONE, 0, 0},             [ARM_INS_TEQ] = {C_NONE, 0, 0},
	[ARM_INS_DSB] = {C_NONE, 0, 0},             [ARM_INS_DMB] = {C_NONE, 0, 0},
	[ARM_INS_ISB] = {C_NONE, 0, 0},             [ARM_INS_NOP] = {C_NONE, 0, 0},
	[ARM_INS_WFI] = {C_NONE, 0, 0},             [ARM_INS_WFE] = {C_NONE, 0, 0},
	[ARM_INS_SEV] = {C_NONE, 0, 0},             [ARM_INS_SEVL] = {C_NONE, 0, 0},
	[ARM_INS_YIELD] = {C_NONE, 0, 0},           [ARM_INS_HINT] = {C_NONE, 0, 0},
	[ARM_INS_CPS] = {C_NONE, 0, 0},             [ARM_INS_PLD] = {C_NONE, 0, 0},
	[ARM_INS_PLDW] = {C_NONE, 0, 0},            [ARM_INS_PLI] = {C_NONE, 0, 0},
	[ARM_INS_SVC] = {C_NONE, 0, 0},             [ARM_INS_BKPT] = {C_NONE, 0, 0},
	[ARM_INS_SETEND] = {C_NONE, 0, 0},          [ARM_INS_CLREX] = {C_NONE, 0, 0},
	[ARM_INS_DBG] = {C_NONE, 0, 0},             [ARM_INS_SMC] = {C_NONE, 0, 0},
	[ARM_INS_HVC] = {C_NONE, 0, 0},             [ARM_INS_MSR] = {C_NONE, 0, 0},
	[ARM_INS_SRSDA] = {C_NONE, 0, 0},           [ARM_INS_SRSDB] = {C_NONE, 0, 0},
	[ARM_INS_SRSIA] = {C_NONE, 0, 0},           [ARM_INS_SRSIB] = {C_NONE, 0, 0},
	[ARM_INS_VMSR] = {C_NONE, 0, 0},            [ARM_INS_VPUSH] = {C_NONE, 0, 0},
	[ARM_INS_VSTR] = {C_NONE, 0, 0},            [ARM_INS_VSTMIA] = {C_NONE, 0, 0},
	[ARM_INS_VSTMDB] = {C_NONE, 0, 0},          [ARM_INS_VLDR] = {C_NONE, 0, 0},
	[ARM_INS_B] = {C_B, 0, 0},                  [ARM_INS_BL] = {C_BL, 0, 0},
	[ARM_INS_BLX] = {C_BL, 0, 0},               [ARM_INS_BX] = {C_BX, 0, 0},
	[ARM_INS_BXJ] = {C_BX, 0, 0},               [ARM_INS_CBZ] = {C_CBZ, 0, 0},
	[ARM_INS_CBNZ] = {C_CBZ, 0, 0},             [ARM_INS_TBB] = {C_TBB, 0, 0},
	[ARM_INS_TBH] = {C_TBB, 0, 0},              [ARM_INS_ERET] = {C_EXCRET, 0, 0},
	[ARM_INS_RFEDA] = {C_EXCRET, 0, 0},         [ARM_INS_RFEDB] = {C_EXCRET, 0, 0},
	[ARM_INS_RFEIA] = {C_EXCRET, 0, 0},         [ARM_INS_RFEIB] = {C_EXCRET, 0, 0},
	[ARM_INS_UDF] = {C_UDF, 0, 0},              [ARM_INS_IT] = {C_IT, 0, 0},
};

static int reg_index(unsigned r)
{
	if (r >= ARM_REG_R0 && r <= ARM_REG_R12)
		return (int)(r - ARM_REG_R0);
	if (r == ARM_REG_SP)
		return ARM_SP;
	if (r == ARM_REG_LR)
		return ARM_LR;
	if (r == ARM_REG_PC)
		return ARM_PC;
	return -1;
}

struct ctx {
	struct df_insn *in;
	const cs_arm *a;
	uint64_t pc;       /* PC read as an operand */
	uint64_t lit;      /* base of PC-relative loads and ADR */
	bool writes_pc;
};

static struct df_arg reg_arg(struct ctx *c, unsigned r, uint8_t tmp)
{
	int i = reg_index(r);
	if (i == ARM_PC)
		return df_imm(c->pc);
	if (i < 0) {
		df_emit(c->in, DF_OP_UNKNOWN, 32, tmp, df_imm(0), df_imm(0));
		return df_reg(tmp);
	}
	return df_reg((uint8_t)i);
}

static const uint8_t shift_of[] = {
	[ARM_SFT_ASR] = DF_OP_ASR, [ARM_SFT_LSL] = DF_OP_SHL, [ARM_SFT_LSR] = DF_OP_LSR, [ARM_SFT_ROR] = DF_OP_ROR,
	[ARM_SFT_ASR_REG] = DF_OP_ASR, [ARM_SFT_LSL_REG] = DF_OP_SHL, [ARM_SFT_LSR_REG] = DF_OP_LSR,
	[ARM_SFT_ROR_REG] = DF_OP_ROR,
};

/* An operand as a value: immediates as Capstone expands them, registers after their shift. */
static struct df_arg operand(struct ctx *c, const cs_arm_op *op, uint8_t tmp)
{
	if (op->type == ARM_OP_IMM || op->type == ARM_OP_PIMM || op->type == ARM_OP_CIMM)
		return df_imm((uint32_t)op->imm);
	if (op->type != ARM_OP_REG) {
		df_emit(c->in, DF_OP_UNKNOWN, 32, tmp, df_imm(0), df_imm(0));
		return df_reg(tmp);
	}
	struct df_arg v = reg_arg(c, op->reg, tmp);
	unsigned t = op->shift.type;
	if (t == ARM_SFT_INVALID)
		return v;
	if (t == ARM_SFT_RRX || t == ARM_SFT_RRX_REG || t >= ARRAY_LEN(shift_of)) {
		/* Rotates the carry flag in: not tracked. */
		df_emit(c->in, DF_OP_UNKNOWN, 32, tmp, df_imm(0), df_imm(0));
		return df_reg(tmp);
	}
	struct df_arg amount = df_imm(op->shift.value);
	if (t >= ARM_SFT_ASR_REG) {
		/* The bottom byte of the register is the amount. */
		df_emit(c->in, DF_OP_AND, 32, DF_TMP3, reg_arg(c, op->shift.value, DF_TMP3), df_imm(0xFF));
		amount = df_reg(DF_TMP3);
	}
	df_emit(c->in, shift_of[t], 32, tmp, v, amount);
	return df_reg(tmp);
}

/* Destination register number; PC (a branch) is noted and dropped. */
static uint8_t dest(struct ctx *c, const cs_arm_op *op)
{
	if (op->type != ARM_OP_REG)
		return DF_REG_NONE;
	int i = reg_index(op->reg);
	if (i == ARM_PC) {
		c->writes_pc = true;
		return DF_REG_NONE;
	}
	if (i < 0)
		return DF_REG_NONE;
	return (uint8_t)i;
}

static void unknown_dest(struct ctx *c, const cs_arm_op *op)
{
	uint8_t d = dest(c, op);
	if (d != DF_REG_NONE)
		df_clobber(c->in, d);
}

/* Base register update of a pre- or post-indexed access. */
static void writeback(struct ctx *c, const cs_arm_op *mem, const cs_arm_op *post)
{
	int b = reg_index(mem->mem.base);
	if (b < 0 || b == ARM_PC)
		return;
	if (post && post->type == ARM_OP_IMM) {
		uint64_t d = post->subtracted ? (uint64_t)-(int64_t)post->imm : (uint64_t)(int64_t)post->imm;
		df_emit(c->in, DF_OP_ADD, 32, (uint8_t)b, df_reg((uint8_t)b), df_imm(d));
	} else if (!post && mem->mem.index == ARM_REG_INVALID) {
		df_emit(c->in, DF_OP_ADD, 32, (uint8_t)b, df_reg((uint8_t)b), df_imm((uint64_t)(int64_t)mem->mem.disp));
	} else {
		df_clobber(c->in, (uint8_t)b);
	}
}

static void do_load(struct ctx *c, const struct arm_sem *s)
{
	const cs_arm *a = c->a;
	if (a->op_count < 2 || a->operands[1].type != ARM_OP_MEM)
		return;
	const cs_arm_op *mem = &a->operands[1];
	const cs_arm_op *post = a->op_count > 2 ? &a->operands[2] : NULL;
	uint8_t d = dest(c, &a->operands[0]);
	if (mem->mem.index != ARM_REG_INVALID) {
		if (d != DF_REG_NONE)
			df_emit(c->in, DF_OP_UNKNOWN, 32, d, df_imm(0), df_imm(0));
	} else {
		struct df_arg base = mem->mem.base == ARM_REG_PC ? df_imm(c->lit) : reg_arg(c, mem->mem.base, DF_TMP0);
		uint64_t off = post ? 0 : (uint64_t)(int64_t)mem->mem.disp;
		df_emit_p(c->in, DF_OP_LOAD, 32, d, base, df_imm(off), s->op, 0, s->arg);
	}
	if (a->writeback || post)
		writeback(c, mem, post);
}

/* Registers in a list (LDM, POP) become unknown; PC among them is a return. */
static void list_unknown(struct ctx *c, uint8_t from)
{
	for (uint8_t i = from; i < c->a->op_count; i++)
		unknown_dest(c, &c->a->operands[i]);
}

static void conservative(struct ctx *c)
{
	const cs_arm *a = c->a;
	c->in->nops = 0;
	for (uint8_t i = 0; i < a->op_count; i++) {
		const cs_arm_op *op = &a->operands[i];
		if (op->type == ARM_OP_REG)
			unknown_dest(c, op);
		else if (op->type == ARM_OP_MEM && a->writeback && reg_index(op->mem.base) >= 0 &&
			 reg_index(op->mem.base) != ARM_PC)
			df_clobber(c->in, (uint8_t)reg_index(op->mem.base));
	}
	/* A listed PC is as likely a source as a destination: only op 0 counts as a write. */
	c->writes_pc = a->op_count && a->operands[0].type == ARM_OP_REG && a->operands[0].reg == ARM_REG_PC;
}

static void effects(struct ctx *c, const struct arm_sem *s, unsigned id)
{
	const cs_arm *a = c->a;
	const cs_arm_op *o = a->operands;
	unsigned n = a->op_count;
	struct df_insn *in = c->in;
	switch (s->cls) {
	case C_NONE:
		return;
	case C_CMP:
		if (n < 2)
			break;
		df_emit_cmp(in, 32, reg_arg(c, o[0].reg, DF_TMP1), operand(c, &o[1], DF_TMP0));
		return;
	case C_DP:
	case C_RSB:
	case C_PCREL: {
		if (n < 2)
			break;
		uint8_t d = dest(c, &o[0]);
		struct df_arg rn, op2;
		if (n == 2) {
			rn = reg_arg(c, o[0].reg, DF_TMP1);
			op2 = operand(c, &o[1], DF_TMP0);
		} else {
			rn = s->cls == C_PCREL && o[1].type == ARM_OP_REG && o[1].reg == ARM_REG_PC ? df_imm(c->lit)
												   : operand(c, &o[1], DF_TMP1);
			op2 = operand(c, &o[2], DF_TMP0);
		}
		if (s->cls == C_RSB)
			df_emit(in, DF_OP_SUB, 32, d, op2, rn);
		else
			df_emit(in, s->op, 32, d, rn, op2);
		return;
	}
	case C_MOV:
	case C_MVN:
		if (n < 2)
			break;
		df_emit(in, s->cls == C_MOV ? DF_OP_SET : DF_OP_NOT, 32, dest(c, &o[0]), operand(c, &o[1], DF_TMP0), df_imm(0));
		return;
	case C_MOVW:
		if (n < 2)
			break;
		df_emit(in, DF_OP_SET, 32, dest(c, &o[0]), df_imm((uint32_t)o[1].imm & 0xFFFF), df_imm(0));
		return;
	case C_MOVT:
		if (n < 2)
			break;
		df_emit_p(in, DF_OP_INSERT, 32, dest(c, &o[0]), df_imm((uint32_t)o[1].imm & 0xFFFF), df_imm(0), 16, 16, 0);
		return;
	case C_SHIFT: {
		if (n < 2)
			break;
		uint8_t d = dest(c, &o[0]);
		if (n == 2 && o[1].shift.type != ARM_SFT_INVALID) {
			/* A32 "lsl r0, r2, #2": the shift sits on the second operand. */
			df_emit(in, DF_OP_SET, 32, d, operand(c, &o[1], DF_TMP0), df_imm(0));
			return;
		}
		struct df_arg src = n == 2 ? reg_arg(c, o[0].reg, DF_TMP0) : operand(c, &o[1], DF_TMP0);
		const cs_arm_op *amt = n == 2 ? &o[1] : &o[2];
		struct df_arg k;
		if (amt->type == ARM_OP_IMM) {
			k = df_imm((uint32_t)amt->imm);
		} else {
			df_emit(in, DF_OP_AND, 32, DF_TMP1, reg_arg(c, amt->reg, DF_TMP1), df_imm(0xFF));
			k = df_reg(DF_TMP1);
		}
		df_emit(in, s->op, 32, d, src, k);
		return;
	}
	case C_ADR:
		if (n < 2)
			break;
		df_emit(in, DF_OP_SET, 32, dest(c, &o[0]), df_imm(c->lit + (uint64_t)(int64_t)o[1].imm), df_imm(0));
		return;
	case C_MUL:
		if (n < 2)
			break;
		df_emit(in, DF_OP_MUL, 32, dest(c, &o[0]), n == 2 ? reg_arg(c, o[0].reg, DF_TMP1) : reg_arg(c, o[1].reg, DF_TMP1),
			reg_arg(c, o[n - 1].reg, DF_TMP0));
		return;
	case C_BFX:
		if (n < 4)
			break;
		df_emit_p(in, s->op, 32, dest(c, &o[0]), reg_arg(c, o[1].reg, DF_TMP0), df_imm(0), (uint8_t)o[2].imm,
			  (uint8_t)o[3].imm, 0);
		return;
	case C_BFI:
		if (n < 4)
			break;
		df_emit_p(in, DF_OP_INSERT, 32, dest(c, &o[0]), reg_arg(c, o[1].reg, DF_TMP0), df_imm(0), (uint8_t)o[2].imm,
			  (uint8_t)o[3].imm, 0);
		return;
	case C_BFC:
		if (n < 3)
			break;
		df_emit_p(in, DF_OP_INSERT, 32, dest(c, &o[0]), df_imm(0), df_imm(0), (uint8_t)o[1].imm, (uint8_t)o[2].imm, 0);
		return;
	case C_EXT:
		if (n != 2)
			break;
		df_emit_p(in, s->op, 32, dest(c, &o[0]), operand(c, &o[1], DF_TMP0), df_imm(0), 0, s->arg, 0);
		return;
	case C_LOAD:
		do_load(c, s);
		return;
	case C_LOAD2:
		for (unsigned i = 0; i < n; i++) {
			if (o[i].type == ARM_OP_REG)
				unknown_dest(c, &o[i]);
			else if (o[i].type == ARM_OP_MEM && a->writeback && reg_index(o[i].mem.base) >= 0)
				df_clobber(in, (uint8_t)reg_index(o[i].mem.base));
		}
		return;
	case C_LDM:
		list_unknown(c, 1);
		if (a->writeback && n && reg_index(o[0].reg) >= 0)
			df_clobber(in, (uint8_t)reg_index(o[0].reg));
		return;
	case C_POP:
		list_unknown(c, 0);
		df_clobber(in, ARM_SP);
		return;
	case C_STORE:
		for (unsigned i = 1; i < n; i++)
			if (o[i].type == ARM_OP_MEM && (a->writeback || i + 1 < n))
				writeback(c, &o[i], i + 1 < n ? &o[i + 1] : NULL);
		return;
	case C_STM:
		if (id == ARM_INS_PUSH)
			df_clobber(in, ARM_SP);
		else if (a->writeback && n && reg_index(o[0].reg) >= 0)
			df_clobber(in, (uint8_t)reg_index(o[0].reg));
		return;
	case C_STREX:
		if (n)
			unknown_dest(c, &o[0]);
		return;
	case C_MRC: {
		if (n < 6 || o[2].type != ARM_OP_REG)
			break;
		uint32_t key = CPKEY((uint32_t)o[0].imm, (uint32_t)o[1].imm, (uint32_t)o[3].imm, (uint32_t)o[4].imm,
				     (uint32_t)o[5].imm);
		int r = reg_index(o[2].reg);
		/* mrc to PC sets the condition flags only. */
		if (r >= 0 && r != ARM_PC)
			df_emit(in, DF_OP_SYSREG, 32, (uint8_t)r, df_imm(key), df_imm(0));
		return;
	}
	case C_MRRC:
		if (n >= 4) {
			unknown_dest(c, &o[2]);
			unknown_dest(c, &o[3]);
		}
		return;
	default:
		return;
	}
	conservative(c);
}

/* Thumb IT: how many of the following instructions it predicates (from its mask, bits 3..0). */
static uint8_t it_count(const uint8_t *code)
{
	unsigned mask = rd16(code, false) & 0xF;
	return mask ? (uint8_t)(4 - __builtin_ctz(mask)) : 0;
}

static void arm_decode(struct df_dec *d, uint64_t addr, const uint8_t *code, size_t avail, struct df_insn *in, bool thumb)
{
	(void)avail;
	const cs_insn *ci = d->ci;
	const cs_arm *a = &ci->detail->arm;
	unsigned id = ci->id;
	const struct arm_sem *s = id < ARM_INS_ENDING ? &arm_sem[id] : &arm_sem[0];
	bool al = a->cc == ARM_CC_AL || a->cc == ARM_CC_INVALID;
	struct ctx c = {in, a, thumb ? addr + 4 : addr + 8, thumb ? (addr + 4) & ~3ULL : addr + 8, false};

	/* In Thumb only branches carry their own condition; IT supplies the others (pred_next). */
	if (!al && !thumb) {
		in->flags |= DF_IF_COND;
		in->cc = a->cc < ARRAY_LEN(cc_map) ? cc_map[a->cc] : DF_CC_NONE;
	}
	/* Flag setters other than cmp (adds, tst, msr cpsr...) leave nothing known about the flags. */
	if ((a->update_flags && s->cls != C_CMP) || s->cls == C_OTHER || id == ARM_INS_MSR)
		df_emit_flags_lost(in);
	switch (s->cls) {
	case C_B:
		if (a->op_count && a->operands[0].type == ARM_OP_IMM) {
			in->target = (uint32_t)a->operands[0].imm;
			in->flags |= DF_IF_TARGET;
		}
		in->flow = al ? DF_FLOW_JUMP : DF_FLOW_BRANCH;
		in->flags &= ~DF_IF_COND;
		in->cc = al ? DF_CC_NONE : a->cc < ARRAY_LEN(cc_map) ? cc_map[a->cc] : DF_CC_NONE;
		if (al)
			in->flags |= DF_IF_STOP;
		return;
	case C_BL:
		in->flow = DF_FLOW_CALL;
		in->clobber |= ARM_CALL_CLOBBER;
		if (al)
			in->flags |= DF_IF_STOP;
		return;
	case C_BX:
		in->flow = al ? DF_FLOW_END : DF_FLOW_NEXT;
		if (al)
			in->flags |= DF_IF_STOP;
		return;
	case C_CBZ:
		if (a->op_count > 1 && a->operands[1].type == ARM_OP_IMM) {
			in->target = (uint32_t)a->operands[1].imm;
			in->flags |= DF_IF_TARGET;
			in->flags |= DF_IF_OWN_CMP;
			in->cc = id == ARM_INS_CBZ ? DF_CC_EQ : DF_CC_NE;
			in->ca = reg_arg(&c, a->operands[0].reg, DF_TMP0);
			in->cb = df_imm(0);
		}
		in->flow = DF_FLOW_BRANCH;
		return;
	case C_TBB:
		/* A jump table: the targets are data. */
		in->flow = DF_FLOW_END;
		in->flags |= DF_IF_STOP;
		return;
	case C_EXCRET:
	case C_UDF:
		in->flow = DF_FLOW_END;
		in->flags |= DF_IF_STOP;
		return;
	case C_IT:
		if (thumb)
			in->pred_next = it_count(code);
		return;
	case C_OTHER:
		conservative(&c);
		break;
	default:
		effects(&c, s, id);
		break;
	}
	if (c.writes_pc) {
		/* Any other write to PC (pop {pc}, ldr pc, mov pc, subs pc, lr): a return or indirect jump. */
		in->flow = al ? DF_FLOW_END : DF_FLOW_NEXT;
		if (al)
			in->flags |= DF_IF_STOP;
	}
}

static void a32_decode(struct df_dec *d, uint64_t addr, const uint8_t *code, size_t avail, struct df_insn *in)
{
	arm_decode(d, addr, code, avail, in, false);
}

static void t32_decode(struct df_dec *d, uint64_t addr, const uint8_t *code, size_t avail, struct df_insn *in)
{
	arm_decode(d, addr, code, avail, in, true);
}

/* First halfword of a 32-bit Thumb instruction: bits 15..11 are 11101, 11110 or 11111. */
static bool t32_prefix(uint16_t h)
{
	return (h >> 11) >= 0x1D;
}

static bool read_hw(const struct df_env *env, uint64_t addr, uint16_t *h)
{
	uint8_t b[2];
	if (physmem_read(env->pm, addr, b, 2) != 2)
		return false;
	*h = rd16(b, false);
	return true;
}

/*
 * The Thumb instruction ending at addr.  A halfword that cannot start a
 * 32-bit instruction always ends one, so the boundary after the last such
 * halfword is certain; the run of prefix-like halfwords after it pairs up
 * from there.  Past 64 halfwords of them the boundary is unknown: stop.
 */
static bool t32_prev(const struct df_env *env, uint64_t addr, uint64_t *out)
{
	unsigned run = 0;
	uint64_t p = addr;
	for (;;) {
		uint16_t h;
		if (p < 2 || !read_hw(env, p - 2, &h))
			break;
		if (!t32_prefix(h))
			break;
		if (++run > 64)
			return false;
		p -= 2;
	}
	if (run == 0) {
		/* addr - 2 holds a non-prefix halfword: the last one of some instruction. */
		uint16_t h, h2;
		if (addr < 4 || !read_hw(env, addr - 4, &h2) || !read_hw(env, addr - 2, &h))
			return false;
		if (!t32_prefix(h2)) {
			*out = addr - 2;
			return true;
		}
		/* addr - 4 is a prefix: count the run ending there. */
		unsigned r = 0;
		uint64_t q = addr - 2;
		while (q >= 2 && read_hw(env, q - 2, &h) && t32_prefix(h)) {
			if (++r > 64)
				return false;
			q -= 2;
		}
		*out = r % 2 ? addr - 4 : addr - 2;
		return true;
	}
	/* A run ending right before addr: it must pair up exactly, the last pair being the instruction. */
	if (run % 2)
		return false;
	*out = addr - 4;
	return true;
}

static const struct df_isa isa_a32 = {
	.name = "a32",
	.cs_arch = CS_ARCH_ARM,
	.cs_mode = CS_MODE_ARM,
	.cs_detail = true,
	.align = 4,
	.min_len = 4,
	.max_len = 4,
	.reg_bits = 32,
	.nregs = ARM_NREGS,
	.reg_names = arm_reg_names,
	.zero_run_stop = 4,
	.decode = a32_decode,
	.sysreg_name = arm_sysreg_name,
};

/* Legacy BE32 systems store A32 words big-endian (find_registers_values --be32). */
static const struct df_isa isa_a32_be32 = {
	.name = "a32-be32",
	.cs_arch = CS_ARCH_ARM,
	.cs_mode = CS_MODE_ARM | CS_MODE_BIG_ENDIAN,
	.cs_detail = true,
	.align = 4,
	.min_len = 4,
	.max_len = 4,
	.reg_bits = 32,
	.nregs = ARM_NREGS,
	.reg_names = arm_reg_names,
	.zero_run_stop = 4,
	.decode = a32_decode,
	.sysreg_name = arm_sysreg_name,
};

static const struct df_isa isa_t32 = {
	.name = "t32",
	.cs_arch = CS_ARCH_ARM,
	.cs_mode = CS_MODE_THUMB,
	.cs_detail = true,
	.align = 2,
	.min_len = 2,
	.max_len = 4,
	.reg_bits = 32,
	.nregs = ARM_NREGS,
	.reg_names = arm_reg_names,
	.zero_run_stop = 8,
	.decode = t32_decode,
	.prev = t32_prev,
	.sysreg_name = arm_sysreg_name,
};

#define ISA_A32 0
#define ISA_T32 1
#define ISA_A32_BE32 2

static const struct df_isa *const arm_isas[] = {&isa_a32, &isa_t32, &isa_a32_be32};

/* ---- site scan (6.2, 7.2) ---- */

static void add_site(struct regrec_sites *out, uint64_t addr, int sysreg, uint8_t kind, uint8_t isa, unsigned rt,
		     unsigned rt2)
{
	struct regrec_site s = {addr, (uint16_t)sysreg, kind, isa, (uint8_t)rt, (uint8_t)rt2};
	VEC_PUSH(out->v, out->n, out->cap, s);
}

/* MCR/MRC/MCRR/MRRC to CP15 in the A32 layout; false when w is none of them. */
static bool cp15_site(uint32_t w, uint64_t addr, uint8_t isa, struct regrec_sites *out)
{
	if ((w & 0x0F100F10) == 0x0E000F10 || (w & 0x0F100F10) == 0x0E100F10) {
		unsigned l = (w >> 20) & 1, crn = (w >> 16) & 15, opc1 = (w >> 21) & 7, crm = w & 15, opc2 = (w >> 5) & 7;
		int k = site_sysreg(CPKEY(15, opc1, crn, crm, opc2));
		if (k >= 0)
			add_site(out, addr, k, l ? RR_READ : RR_WRITE, isa, (w >> 12) & 15, DF_REG_NONE);
		return true;
	}
	if ((w & 0x0FE00F00) == 0x0C400F00 && (w & 15) == 2) {
		unsigned opc1 = (w >> 4) & 15;
		if (opc1 <= 1)
			add_site(out, addr, opc1 ? SYS_TTBR1 : SYS_TTBR0, (w >> 20) & 1 ? RR_READ64 : RR_WRITE64, isa,
				 (w >> 12) & 15, (w >> 16) & 15);
		return true;
	}
	return false;
}

static bool a32_match(uint32_t w)
{
	return (w >> 28) != 0xF &&
	       ((w & 0x0F100F10) == 0x0E000F10 || (w & 0x0F100F10) == 0x0E100F10 || (w & 0x0FE00F00) == 0x0C400F00);
}

/* The 4 bytes at offset off of the frame, continuing into next; NULL when they run out. */
static const uint8_t *bytes4(const uint8_t *p, size_t len, const uint8_t *next, size_t nnext, size_t off, uint8_t *buf)
{
	if (off + 4 <= len)
		return p + off;
	size_t in = off < len ? len - off : 0, skip = off > len ? off - len : 0;
	if (!next || nnext < skip + 4 - in)
		return NULL;
	memcpy(buf, p + off, in);
	memcpy(buf + in, next + skip, 4 - in);
	return buf;
}

static void arm_scan(const struct regrec_scan_opts *o, uint64_t addr, const uint8_t *p, size_t len,
		     const uint8_t *next, size_t nnext, struct regrec_sites *out)
{
	size_t i = (4 - (addr & 3)) & 3;
	for (; i + 4 <= len; i += 4) {
		uint32_t w = rd32(p + i, o->instr_big);
		if (a32_match(w))
			cp15_site(w, addr + i, o->instr_big ? ISA_A32_BE32 : ISA_A32, out);
	}
	/* No BE32 Thumb front-end: with --be32 only A32 is scanned. */
	if (!o->thumb || o->instr_big)
		return;
	for (i = addr & 1; i + 2 <= len; i += 2) {
		uint8_t b[4], nb[4];
		const uint8_t *q = bytes4(p, len, next, nnext, i, b);
		if (!q)
			break;
		uint32_t w = (uint32_t)rd16(q, false) << 16 | rd16(q + 2, false);
		/* Thumb-2 T1 encodings of MCR/MRC/MCRR/MRRC: bits 31..28 = 1110. */
		if ((w >> 28) != 0xE || !((w & 0x0F100F10) == 0x0E000F10 || (w & 0x0F100F10) == 0x0E100F10 ||
					  (w & 0x0FE00F00) == 0x0C400F00))
			continue;
		uint64_t a = addr + i;
		/*
		 * Two A32 coprocessor words in a row look like a Thumb one across
		 * them: trust the aligned A32 reading of the second when it matches.
		 */
		if ((a & 3) == 2) {
			const uint8_t *r = bytes4(p, len, next, nnext, i + 2, nb);
			if (r && a32_match(rd32(r, o->instr_big)))
				continue;
		}
		cp15_site(w, a, ISA_T32, out);
	}
}

const struct regrec_ops arm_regrec = {
	.isas = arm_isas,
	.nisas = ARRAY_LEN(arm_isas),
	.sysregs = site_sysregs,
	.nsysregs = ARRAY_LEN(site_sysregs),
	.regs = arm_regs,
	.nregs = ARRAY_LEN(arm_regs),
	.frame_size = 64 * 1024,
	.scan = arm_scan,
	.hint = "Linux LPAE kernels build TTBCR from its own value (mrc): seed TTBCR in cpu.registers_values "
		"or run find_registers_values --assume-reset",
};
