/*
 * insn: the instruction encodings the generator's kernel code uses, written
 * from the architecture manuals (ARM DDI 0406C A8 and DDI 0487 C6 for A32
 * and A64, MIPS32 Volume II, PowerPC Book I/III).  Each function returns the
 * 32-bit instruction word; the caller stores it in the right byte order.
 * tests/test_mkcode.c disassembles every one of them with Capstone.
 */
#ifndef MMU_MKDUMP_INSN_H
#define MMU_MKDUMP_INSN_H

#include <stdint.h>

/* ---- A32 (condition AL) ---- */

#define A32_AL 0xE0000000u
#define A32_SP 13
#define A32_LR 14
#define A32_PC 15

/* movw rd, #imm16 (A8.8.102, encoding A2) */
static inline uint32_t a32_movw(unsigned rd, uint32_t imm16)
{
	return A32_AL | 0x03000000u | (imm16 >> 12 & 0xF) << 16 | rd << 12 | (imm16 & 0xFFF);
}
/* movt rd, #imm16 (A8.8.106) */
static inline uint32_t a32_movt(unsigned rd, uint32_t imm16)
{
	return A32_AL | 0x03400000u | (imm16 >> 12 & 0xF) << 16 | rd << 12 | (imm16 & 0xFFF);
}
/* mov rd, #imm8 ror 2*rot (A8.8.102, encoding A1) */
static inline uint32_t a32_mov_imm(unsigned rd, uint32_t imm8, unsigned rot)
{
	return A32_AL | 0x03A00000u | rd << 12 | rot << 8 | (imm8 & 0xFF);
}
/* orr rd, rn, #imm8 ror 2*rot */
static inline uint32_t a32_orr_imm(unsigned rd, unsigned rn, uint32_t imm8, unsigned rot)
{
	return A32_AL | 0x03800000u | rn << 16 | rd << 12 | rot << 8 | (imm8 & 0xFF);
}
/* bic rd, rn, #imm8 ror 2*rot */
static inline uint32_t a32_bic_imm(unsigned rd, unsigned rn, uint32_t imm8, unsigned rot)
{
	return A32_AL | 0x03C00000u | rn << 16 | rd << 12 | rot << 8 | (imm8 & 0xFF);
}
/* mov rd, rm */
static inline uint32_t a32_mov_reg(unsigned rd, unsigned rm)
{
	return A32_AL | 0x01A00000u | rd << 12 | rm;
}
/* mcr p15, 0, rt, c2, c0, 2 (TTBCR) and the matching mrc */
static inline uint32_t a32_mcr_ttbcr(unsigned rt)
{
	return A32_AL | 0x0E020F50u | rt << 12;
}
static inline uint32_t a32_mrc_ttbcr(unsigned rt)
{
	return A32_AL | 0x0E120F50u | rt << 12;
}
/* mrc p15, 0, rt, c5, c0, 0 (DFSR), c5, c0, 1 (IFSR), c6, c0, 0 (DFAR), c6, c0, 2 (IFAR): A8.8.108 */
static inline uint32_t a32_mrc_cp15(unsigned rt, unsigned crn, unsigned crm, unsigned opc2)
{
	return A32_AL | 0x0E100F10u | (crn & 0xF) << 16 | rt << 12 | (opc2 & 7) << 5 | (crm & 0xF);
}
static inline uint32_t a32_mrc_dfsr(unsigned rt)
{
	return a32_mrc_cp15(rt, 5, 0, 0);
}
static inline uint32_t a32_mrc_ifsr(unsigned rt)
{
	return a32_mrc_cp15(rt, 5, 0, 1);
}
static inline uint32_t a32_mrc_dfar(unsigned rt)
{
	return a32_mrc_cp15(rt, 6, 0, 0);
}
static inline uint32_t a32_mrc_ifar(unsigned rt)
{
	return a32_mrc_cp15(rt, 6, 0, 2);
}
/* blx rm (A8.8.26): an indirect call */
static inline uint32_t a32_blx_reg(unsigned rm)
{
	return A32_AL | 0x012FFF30u | rm;
}
/* push {list} = stmdb sp!, {list}; pop {list} = ldmia sp!, {list} */
static inline uint32_t a32_push(uint32_t list)
{
	return A32_AL | 0x092D0000u | (list & 0xFFFF);
}
static inline uint32_t a32_pop(uint32_t list)
{
	return A32_AL | 0x08BD0000u | (list & 0xFFFF);
}
/* isb sy */
static inline uint32_t a32_isb(void)
{
	return 0xF57FF06Fu;
}
static inline uint32_t a32_bx_lr(void)
{
	return A32_AL | 0x012FFF10u | A32_LR;
}
/* b / bl to a byte offset from this instruction (PC reads 8 ahead) */
static inline uint32_t a32_b(int32_t off)
{
	return A32_AL | 0x0A000000u | ((uint32_t)((off - 8) >> 2) & 0xFFFFFF);
}
static inline uint32_t a32_bl(int32_t off)
{
	return A32_AL | 0x0B000000u | ((uint32_t)((off - 8) >> 2) & 0xFFFFFF);
}

/* ---- A64 ---- */

#define A64_FP 29
#define A64_LR 30

/* movz xd, #imm16, lsl #(16*hw) (C6.2.191) and movk (C6.2.189) */
static inline uint32_t a64_movz(unsigned rd, uint32_t imm16, unsigned hw)
{
	return 0xD2800000u | hw << 21 | (imm16 & 0xFFFF) << 5 | rd;
}
static inline uint32_t a64_movk(unsigned rd, uint32_t imm16, unsigned hw)
{
	return 0xF2800000u | hw << 21 | (imm16 & 0xFFFF) << 5 | rd;
}
/* msr tcr_el1, xt: op0 3, op1 0, CRn 2, CRm 0, op2 2 */
static inline uint32_t a64_msr_tcr_el1(unsigned rt)
{
	return 0xD5182040u | rt;
}
/* mrs xt, esr_el1 (op0 3, op1 0, CRn 5, CRm 2, op2 0) and far_el1 (3, 0, 6, 0, 0): C5.2 */
static inline uint32_t a64_mrs_esr_el1(unsigned rt)
{
	return 0xD5385200u | rt;
}
static inline uint32_t a64_mrs_far_el1(unsigned rt)
{
	return 0xD5386000u | rt;
}
/* eret; br xn; blr xn (C6.2.84, C6.2.37, C6.2.35) */
static inline uint32_t a64_eret(void)
{
	return 0xD69F03E0u;
}
static inline uint32_t a64_br(unsigned rn)
{
	return 0xD61F0000u | rn << 5;
}
static inline uint32_t a64_blr(unsigned rn)
{
	return 0xD63F0000u | rn << 5;
}
/* stp x29, x30, [sp, #-16]!; mov x29, sp; ldp x29, x30, [sp], #16 */
static inline uint32_t a64_stp_fp_lr(void)
{
	return 0xA9BF7BFDu;
}
static inline uint32_t a64_mov_fp_sp(void)
{
	return 0x910003FDu;
}
static inline uint32_t a64_ldp_fp_lr(void)
{
	return 0xA8C17BFDu;
}
static inline uint32_t a64_ret(void)
{
	return 0xD65F03C0u;
}
static inline uint32_t a64_isb(void)
{
	return 0xD5033FDFu;
}
/* b / bl to a byte offset from this instruction */
static inline uint32_t a64_b(int32_t off)
{
	return 0x14000000u | ((uint32_t)(off >> 2) & 0x3FFFFFF);
}
static inline uint32_t a64_bl(int32_t off)
{
	return 0x94000000u | ((uint32_t)(off >> 2) & 0x3FFFFFF);
}
/* mov xd, xm (orr xd, xzr, xm) */
static inline uint32_t a64_mov_reg(unsigned rd, unsigned rm)
{
	return 0xAA0003E0u | rm << 16 | rd;
}

/* ---- MIPS32 ---- */

enum { MIPS_ZERO = 0, MIPS_AT = 1, MIPS_V0 = 2, MIPS_A0 = 4, MIPS_A1 = 5, MIPS_T0 = 8, MIPS_T1 = 9, MIPS_T2 = 10,
       MIPS_S0 = 16, MIPS_SP = 29, MIPS_RA = 31 };

static inline uint32_t mips_i(unsigned op, unsigned rs, unsigned rt, uint32_t imm)
{
	return op << 26 | rs << 21 | rt << 16 | (imm & 0xFFFF);
}
static inline uint32_t mips_r(unsigned rs, unsigned rt, unsigned rd, unsigned sa, unsigned funct)
{
	return rs << 21 | rt << 16 | rd << 11 | sa << 6 | funct;
}
static inline uint32_t mips_lui(unsigned rt, uint32_t imm)
{
	return mips_i(0x0F, 0, rt, imm);
}
static inline uint32_t mips_ori(unsigned rt, unsigned rs, uint32_t imm)
{
	return mips_i(0x0D, rs, rt, imm);
}
static inline uint32_t mips_addiu(unsigned rt, unsigned rs, int32_t imm)
{
	return mips_i(0x09, rs, rt, (uint32_t)imm);
}
static inline uint32_t mips_lw(unsigned rt, int32_t off, unsigned base)
{
	return mips_i(0x23, base, rt, (uint32_t)off);
}
static inline uint32_t mips_sw(unsigned rt, int32_t off, unsigned base)
{
	return mips_i(0x2B, base, rt, (uint32_t)off);
}
static inline uint32_t mips_beq(unsigned rs, unsigned rt, int32_t insns)
{
	return mips_i(0x04, rs, rt, (uint32_t)insns);
}
static inline uint32_t mips_and(unsigned rd, unsigned rs, unsigned rt)
{
	return mips_r(rs, rt, rd, 0, 0x24);
}
static inline uint32_t mips_or(unsigned rd, unsigned rs, unsigned rt)
{
	return mips_r(rs, rt, rd, 0, 0x25);
}
static inline uint32_t mips_sll(unsigned rd, unsigned rt, unsigned sa)
{
	return mips_r(0, rt, rd, sa, 0x00);
}
static inline uint32_t mips_jr(unsigned rs)
{
	return mips_r(rs, 0, 0, 0, 0x08);
}
static inline uint32_t mips_jal(uint32_t target)
{
	return 0x0C000000u | (target >> 2 & 0x3FFFFFF);
}
static inline uint32_t mips_nop(void)
{
	return 0;
}
/* Execution hazard barrier after a CP0 write (sll $0, $0, 3). */
static inline uint32_t mips_ehb(void)
{
	return 0x000000C0u;
}
static inline uint32_t mips_mtc0(unsigned rt, unsigned rd, unsigned sel)
{
	return 0x40800000u | rt << 16 | rd << 11 | sel;
}
static inline uint32_t mips_mfc0(unsigned rt, unsigned rd, unsigned sel)
{
	return 0x40000000u | rt << 16 | rd << 11 | sel;
}

/* ---- PowerPC (32-bit) ---- */

#define PPC_SPR_LR 8
#define PPC_SPR_SDR1 25
#define PPC_SPR_IBAT0U 528

static inline uint32_t ppc_d(unsigned op, unsigned rt, unsigned ra, uint32_t imm)
{
	return op << 26 | rt << 21 | ra << 16 | (imm & 0xFFFF);
}
static inline uint32_t ppc_x(unsigned rs, unsigned ra, unsigned rb, unsigned xo)
{
	return 31u << 26 | rs << 21 | ra << 16 | rb << 11 | xo << 1;
}
/* addis rd, ra, imm (lis with ra = 0); addi (li with ra = 0) */
static inline uint32_t ppc_addis(unsigned rd, unsigned ra, uint32_t imm)
{
	return ppc_d(15, rd, ra, imm);
}
static inline uint32_t ppc_addi(unsigned rd, unsigned ra, int32_t imm)
{
	return ppc_d(14, rd, ra, (uint32_t)imm);
}
static inline uint32_t ppc_ori(unsigned ra, unsigned rs, uint32_t imm)
{
	return ppc_d(24, rs, ra, imm);
}
static inline uint32_t ppc_oris(unsigned ra, unsigned rs, uint32_t imm)
{
	return ppc_d(25, rs, ra, imm);
}
static inline uint32_t ppc_lwz(unsigned rd, int32_t d, unsigned ra)
{
	return ppc_d(32, rd, ra, (uint32_t)d);
}
static inline uint32_t ppc_stw(unsigned rs, int32_t d, unsigned ra)
{
	return ppc_d(36, rs, ra, (uint32_t)d);
}
static inline uint32_t ppc_stwu(unsigned rs, int32_t d, unsigned ra)
{
	return ppc_d(37, rs, ra, (uint32_t)d);
}
/* mr ra, rs = or ra, rs, rs */
static inline uint32_t ppc_mr(unsigned ra, unsigned rs)
{
	return ppc_x(rs, ra, rs, 444);
}
/* rlwinm ra, rs, sh, mb, me */
static inline uint32_t ppc_rlwinm(unsigned ra, unsigned rs, unsigned sh, unsigned mb, unsigned me)
{
	return 21u << 26 | rs << 21 | ra << 16 | sh << 11 | mb << 6 | me << 1;
}
/* mtspr spr, rs / mfspr rd, spr: the two 5-bit halves of the SPR number are swapped */
static inline uint32_t ppc_mtspr(unsigned spr, unsigned rs)
{
	return ppc_x(rs, spr & 31, spr >> 5, 467);
}
static inline uint32_t ppc_mfspr(unsigned rd, unsigned spr)
{
	return ppc_x(rd, spr & 31, spr >> 5, 339);
}
static inline uint32_t ppc_mtsr(unsigned sr, unsigned rs)
{
	return ppc_x(rs, sr & 15, 0, 210);
}
static inline uint32_t ppc_mtsrin(unsigned rs, unsigned rb)
{
	return ppc_x(rs, 0, rb, 242);
}
static inline uint32_t ppc_isync(void)
{
	return 0x4C00012Cu;
}
static inline uint32_t ppc_sync(void)
{
	return ppc_x(0, 0, 0, 598);
}
static inline uint32_t ppc_blr(void)
{
	return 0x4E800020u;
}
/* b / bl to a byte offset from this instruction */
static inline uint32_t ppc_b(int32_t off)
{
	return 18u << 26 | ((uint32_t)off & 0x03FFFFFCu);
}
static inline uint32_t ppc_bl(int32_t off)
{
	return ppc_b(off) | 1;
}
/* bdnz: bc 16, 0, off (decrement CTR, branch while not zero) */
static inline uint32_t ppc_bdnz(int32_t off)
{
	return 16u << 26 | 16u << 21 | ((uint32_t)off & 0xFFFCu);
}

#endif
