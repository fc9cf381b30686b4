/*
 * The generator's hand-written instruction encodings (tools/mkdump/insn.h)
 * disassembled with Capstone: each must decode to the instruction meant,
 * in each byte order its architecture uses.
 */
#include "autoconfig.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <string.h>

#include "mkdump/insn.h"
#include "unit.h"
#include "util.h"

struct enc {
	uint32_t w;
	const char *mnemonic, *ops;
};

/* Decodes w at 0x1000 and compares the text with what the encoder meant. */
static void check(cs_arch arch, cs_mode mode, bool big, const struct enc *v, size_t n)
{
	csh h;
	CU_ASSERT_EQUAL_FATAL(cs_open(arch, mode, &h), CS_ERR_OK);
	for (size_t i = 0; i < n; i++) {
		uint8_t b[4];
		wr32(b, v[i].w, big);
		cs_insn *ci;
		size_t got = cs_disasm(h, b, 4, 0x1000, 1, &ci);
		CU_ASSERT_EQUAL(got, 1);
		if (got != 1) {
			fprintf(stderr, "\n  0x%08x does not decode (%s)\n", v[i].w, v[i].mnemonic);
			continue;
		}
		if (strcmp(ci->mnemonic, v[i].mnemonic) || strcmp(ci->op_str, v[i].ops))
			fprintf(stderr, "\n  0x%08x: \"%s %s\", meant \"%s %s\"\n", v[i].w, ci->mnemonic, ci->op_str,
				v[i].mnemonic, v[i].ops);
		ASSERT_STR_EQ(ci->mnemonic, v[i].mnemonic);
		ASSERT_STR_EQ(ci->op_str, v[i].ops);
		cs_free(ci, got);
	}
	cs_close(&h);
}

static void test_a32(void)
{
	const struct enc v[] = {
		{a32_movw(4, 0x3500), "movw", "r4, #0x3500"},
		{a32_movt(4, 0xb502), "movt", "r4, #0xb502"},
		{a32_mov_imm(4, 2, 0), "mov", "r4, #2"},
		{a32_orr_imm(3, 3, 7, 0), "orr", "r3, r3, #7"},
		{a32_bic_imm(3, 3, 7, 0), "bic", "r3, r3, #7"},
		{a32_mov_reg(5, 0), "mov", "r5, r0"},
		{a32_mcr_ttbcr(4), "mcr", "p15, #0, r4, c2, c0, #2"},
		{a32_mrc_ttbcr(3), "mrc", "p15, #0, r3, c2, c0, #2"},
		{a32_push(1u << 4 | 1u << 14), "push", "{r4, lr}"},
		{a32_pop(1u << 4 | 1u << 15), "pop", "{r4, pc}"},
		{a32_isb(), "isb", "sy"},
		{a32_bx_lr(), "bx", "lr"},
		{a32_b(16), "b", "#0x1010"},
		{a32_bl(0x40), "bl", "#0x1040"},
		{a32_mrc_dfsr(1), "mrc", "p15, #0, r1, c5, c0, #0"},
		{a32_mrc_ifsr(1), "mrc", "p15, #0, r1, c5, c0, #1"},
		{a32_mrc_dfar(0), "mrc", "p15, #0, r0, c6, c0, #0"},
		{a32_mrc_ifar(0), "mrc", "p15, #0, r0, c6, c0, #2"},
		{a32_blx_reg(3), "blx", "r3"},
	};
	check(CS_ARCH_ARM, CS_MODE_ARM, false, v, ARRAY_LEN(v));
}

static void test_a64(void)
{
	const struct enc v[] = {
		{a64_movz(10, 0x3519, 0), "movz", "x10, #0x3519"},
		{a64_movk(10, 0xb519, 1), "movk", "x10, #0xb519, lsl #16"},
		{a64_movk(10, 0x32, 2), "movk", "x10, #0x32, lsl #32"},
		{a64_msr_tcr_el1(10), "msr", "tcr_el1, x10"},
		{a64_stp_fp_lr(), "stp", "x29, x30, [sp, #-0x10]!"},
		{a64_mov_fp_sp(), "mov", "x29, sp"},
		{a64_ldp_fp_lr(), "ldp", "x29, x30, [sp], #0x10"},
		{a64_ret(), "ret", ""},
		{a64_isb(), "isb", ""},
		{a64_b(24), "b", "#0x1018"},
		{a64_bl(0x80), "bl", "#0x1080"},
		{a64_mov_reg(19, 0), "mov", "x19, x0"},
		{a64_mrs_esr_el1(1), "mrs", "x1, esr_el1"},
		{a64_mrs_far_el1(2), "mrs", "x2, far_el1"},
		{a64_eret(), "eret", ""},
		{a64_br(16), "br", "x16"},
		{a64_blr(3), "blr", "x3"},
	};
	check(CS_ARCH_ARM64, CS_MODE_ARM, false, v, ARRAY_LEN(v));
}

static void test_mips(void)
{
	const struct enc v[] = {
		{mips_lui(8, 0x8058), "lui", "$t0, 0x8058"},
		{mips_ori(8, 8, 0x6000), "ori", "$t0, $t0, 0x6000"},
		{mips_addiu(8, 8, -0x5000), "addiu", "$t0, $t0, -0x5000"},
		{mips_lw(8, 0x10, 29), "lw", "$t0, 0x10($sp)"},
		{mips_sw(31, 28, 29), "sw", "$ra, 0x1c($sp)"},
		{mips_beq(0, 0, 4), "b", "0x1014"},
		{mips_and(8, 8, 9), "and", "$t0, $t0, $t1"},
		{mips_or(16, 4, 0), "move", "$s0, $a0"},
		{mips_sll(16, 16, 13), "sll", "$s0, $s0, 0xd"},
		{mips_jr(31), "jr", "$ra"},
		/* jal keeps the top 4 bits of the PC (0x1000 here): 0x80100040 shows as 0x100040. */
		{mips_jal(0x80100040), "jal", "0x100040"},
		{mips_nop(), "nop", ""},
		{mips_ehb(), "ehb", ""},
		{mips_mtc0(8, 5, 0), "mtc0", "$t0, $a1, 0"},
		{mips_mfc0(8, 16, 0), "mfc0", "$t0, $s0, 0"},
		{mips_mtc0(9, 5, 5), "mtc0", "$t1, $a1, 5"},
	};
	check(CS_ARCH_MIPS, (cs_mode)(CS_MODE_MIPS32 | CS_MODE_LITTLE_ENDIAN), false, v, ARRAY_LEN(v));
	check(CS_ARCH_MIPS, (cs_mode)(CS_MODE_MIPS32 | CS_MODE_BIG_ENDIAN), true, v, ARRAY_LEN(v));
}

static void test_ppc(void)
{
	const struct enc v[] = {
		{ppc_addis(3, 0, 0x314), "lis", "r3, 0x314"},
		{ppc_addis(6, 6, 0x4000), "addis", "r6, r6, 0x4000"},
		{ppc_addi(3, 0, 0x10), "li", "r3, 0x10"},
		{ppc_addi(1, 1, 16), "addi", "r1, r1, 0x10"},
		{ppc_ori(3, 3, 1), "ori", "r3, r3, 1"},
		{ppc_oris(3, 3, 0x6000), "oris", "r3, r3, 0x6000"},
		{ppc_lwz(6, 0x5000, 6), "lwz", "r6, 0x5000(r6)"},
		{ppc_stw(0, 20, 1), "stw", "r0, 0x14(r1)"},
		{ppc_stwu(1, -16, 1), "stwu", "r1, -0x10(r1)"},
		{ppc_mr(7, 3), "mr", "r7, r3"},
		{ppc_rlwinm(3, 3, 0, 8, 31), "clrlwi", "r3, r3, 8"},
		{ppc_mtspr(25, 3), "mtspr", "0x19, r3"},
		{ppc_mtspr(528, 4), "mtibatu", "0, r4"},
		{ppc_mtspr(543, 4), "mtdbatl", "3, r4"},
		{ppc_mfspr(0, 8), "mflr", "r0"},
		{ppc_mtspr(8, 0), "mtlr", "r0"},
		{ppc_mtspr(9, 0), "mtctr", "r0"},
		{ppc_mtsr(12, 3), "mtsr", "0xc, r3"},
		{ppc_mtsrin(3, 4), "mtsrin", "r3, r4"},
		{ppc_isync(), "isync", ""},
		{ppc_sync(), "sync", "0"},
		{ppc_blr(), "blr", ""},
		{ppc_b(0x20), "b", "0x1020"},
		{ppc_bl(0x40), "bl", "0x1040"},
		{ppc_bdnz(-12), "bdnz", "0xff4"},
		{ppc_d(7, 3, 3, 897 * 16), "mulli", "r3, r3, 0x3810"},
	};
	check(CS_ARCH_PPC, (cs_mode)(CS_MODE_32 | CS_MODE_BIG_ENDIAN), true, v, ARRAY_LEN(v));
}

void register_mkcode_tests(void)
{
	static const struct unit_test tests[] = {
		{"A32 encodings", test_a32},
		{"A64 encodings", test_a64},
		{"MIPS32 encodings, both byte orders", test_mips},
		{"PowerPC encodings", test_ppc},
	};
	unit_add_suite("mkcode", tests, ARRAY_LEN(tests));
}
