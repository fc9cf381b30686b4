/*
 * PowerPC 32-bit: the mtspr/mtsr/mtsrin scan, SDR1/BAT/SR validity, the
 * vectors P1-P11 and G5 of algo-mips-ppc-gtruth.md 6.9; the modelled
 * instructions of 6.4 one by one (encodings checked with Capstone, 6.1);
 * hash tables H1-H5,
 * their ground truth G3-G4, and resolve through BATs, segment registers and
 * a table.
 */
#include "autoconfig.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "commands.h"
#include "mpfix.h"
#include "ppc.h"
#include "regrec.h"
#include "unit.h"

#define CODE 0x3000ULL

static const struct regrec_ops *ppc(void)
{
	return arch_find("ppc")->regrec;
}

static const struct regrec_reg *reg(const char *name)
{
	return regrec_reg_find(ppc(), name);
}

static void test_scan(void)
{
	static const uint32_t words[] = {
		0x7C7903A6, /* mtspr SDR1, r3 */
		0x7C9083A6, /* mtspr IBAT0U, r4 */
		0x7CB183A6, /* mtspr IBAT0L, r5 */
		0x7C7983A6, /* mtspr DBAT0L, r3 */
		0x7C9F83A6, /* mtspr DBAT3L, r4 */
		0x7C6201A4, /* mtsr 2, r3 */
		0x7C6021E4, /* mtsrin r3, r4 */
		0x7C0803A6, /* mtlr r0: not an MMU register */
		0x7C7902A6, /* mfspr r3, SDR1: a read, not recorded */
		0x7C7903A7, /* Rc = 1: no such instruction */
		0x00000000,
	};
	static const struct {
		const char *reg;
		uint8_t src, src2;
	} want[] = {{"sdr1", 3, DF_REG_NONE},   {"ibat0u", 4, DF_REG_NONE}, {"ibat0l", 5, DF_REG_NONE},
		    {"dbat0l", 3, DF_REG_NONE}, {"dbat3l", 4, DF_REG_NONE}, {"sr2", 3, DF_REG_NONE},
		    {"sr[rB]", 3, 4}};
	uint8_t buf[sizeof(words)];
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		wr32(buf + 4 * i, words[i], true);
	struct regrec_sites out = {0};
	struct regrec_scan_opts o = {.data_big = true};
	regrec_scan_buffer(ppc(), &o, 0x3000, buf, sizeof(buf), &out);
	CU_ASSERT_EQUAL_FATAL(out.n, ARRAY_LEN(want));
	for (size_t i = 0; i < out.n; i++) {
		CU_ASSERT_EQUAL(out.v[i].addr, 0x3000 + 4 * i);
		ASSERT_STR_EQ(ppc()->sysregs[out.v[i].sysreg].name, want[i].reg);
		CU_ASSERT_EQUAL(out.v[i].src, want[i].src);
		CU_ASSERT_EQUAL(out.v[i].src2, want[i].src2);
	}
	free(out.v);
}

static void test_validity(void)
{
	CU_ASSERT_PTR_NULL(regrec_check(reg("sdr1"), 0x0FF0000F, 0));
	CU_ASSERT_PTR_NULL(regrec_check(reg("sdr1"), 0x00FE0001, 0));
	ASSERT_STR_EQ(regrec_check(reg("sdr1"), 0xFFFF0003, 0), "HTABORG not aligned on its size");
	ASSERT_STR_EQ(regrec_check(reg("sdr1"), 0x00FE0002, 0), "HTABMASK is not 2^n - 1");
	ASSERT_STR_EQ(regrec_check(reg("sdr1"), 0x12349000, 0), "reserved bits set (0x9000)");
	CU_ASSERT_PTR_NULL(regrec_check(reg("ibat0u"), 0xC0001FFE, 0));
	CU_ASSERT_PTR_NULL(regrec_check(reg("ibat0u"), 0, 0));
	ASSERT_STR_EQ(regrec_check(reg("ibat0u"), 0xC0001FF6, 0), "BL is not 2^k - 1");
	ASSERT_STR_EQ(regrec_check(reg("ibat0u"), 0xC0021FFE, 0), "BEPI not aligned on the block size");
	ASSERT_STR_EQ(regrec_check(reg("dbat1u"), 0xC0002FFE, 0), "reserved bits set (0x2000)");
	CU_ASSERT_PTR_NULL(regrec_check(reg("ibat0l"), 0x12, 0));
	ASSERT_STR_EQ(regrec_check(reg("ibat0l"), 0x16, 0), "reserved bits set (0x4)");
	ASSERT_STR_EQ(regrec_check(reg("ibat0l"), 0x192, 0), "reserved bits set (0x180)");
	CU_ASSERT_PTR_NULL(regrec_check(reg("sr3"), 0x60000123, 0));
	ASSERT_STR_EQ(regrec_check(reg("sr3"), 0x80000123, 0), "direct-store segment (T = 1)");
	ASSERT_STR_EQ(regrec_check(reg("sr3"), 0x01000123, 0), "reserved bits set (0x1000000)");
	/* SDR1's needed bits: HTABORG and HTABMASK (6.7). */
	CU_ASSERT_EQUAL(regrec_needed(reg("sdr1"), 0, 0), 0xFFFF01FFULL);
	CU_ASSERT_EQUAL(regrec_needed(reg("ibat0l"), 0, 0), 0xFFFE007BULL);
	/* The hash of 3.4. */
	CU_ASSERT_EQUAL(htab_pteg(0x00FE0001, htab_hash(0xABC, 3)), 0x00FEAFC0);
	CU_ASSERT_EQUAL(htab_pteg(0x00FE0001, htab_hash(0xABC, 3) ^ HASH_MASK), 0x00FF5000);
	CU_ASSERT_EQUAL(htab_pteg(0x00FE0001, htab_hash(0x400, 5)), 0x00FF0140);
	CU_ASSERT_EQUAL(sdr1_table_size(0x0FF0000F), 0x100000);
}

static int open_code(struct analysis *a, const uint32_t *w, size_t n, const char *cpu_extra, const char *gt)
{
	struct mpfix m;
	mpfix_init(&m, 0, 0x10000, true);
	mpfix_words(&m, CODE, w, n);
	mpfix_words(&m, 0x5000, (const uint32_t[]){0x00FE0001}, 1);
	int rc = mpfix_open(&m, "ppc", "ppc32", cpu_extra, NULL, gt, a);
	mpfix_free(&m);
	if (rc)
		return rc;
	struct err e = {{0}};
	rc = regrec_find(a, &(struct regrec_opts){0}, &e);
	if (rc)
		fprintf(stderr, "find_registers_values: %s\n", e.msg);
	return rc;
}

#define VEC(...) ((const uint32_t[]){__VA_ARGS__}), sizeof((const uint32_t[]){__VA_ARGS__}) / 4
#define VALS(...) ((const uint64_t[]){__VA_ARGS__}), sizeof((const uint64_t[]){__VA_ARGS__}) / 8

static void test_p1_p6(void)
{
	struct analysis a;
	/* P1 */
	CU_ASSERT_EQUAL_FATAL(open_code(&a, VEC(0x4E800020, 0x3C600FF0, 0x6063000F, 0x7C7903A6, 0x4C00012C, 0x4E800020),
					NULL, NULL),
			      0);
	CU_ASSERT_EQUAL(mpfix_site(&a, 0x300C)->r.start, 0x3004);
	CU_ASSERT_TRUE(mpfix_cands_are(&a, "sdr1", VALS(0x0FF0000F)));
	char *text, *j = mpfix_cmd(&a, "show_registers", &text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "HTABMASK:0xf, HTABORG:0xff0 (table 0xff00000, 1 MiB)"));
	free(j);
	free(text);
	analysis_close(&a);
	/* P2: lwz through a kernel address that wraps to the physical one. */
	CU_ASSERT_EQUAL_FATAL(open_code(&a, VEC(0x4E800020, 0x3CC0C000, 0x3CC64000, 0x80C65000, 0x7CD903A6, 0x4E800020),
					NULL, NULL),
			      0);
	CU_ASSERT_TRUE(mpfix_cands_are(&a, "sdr1", VALS(0x00FE0001)));
	analysis_close(&a);
	/* P3: the BAT number comes from the word (Capstone prints mtibatu 0, r4). */
	CU_ASSERT_EQUAL_FATAL(
		open_code(&a, VEC(0x4E800020, 0x3C80C000, 0x60841FFE, 0x7C9083A6, 0x38A00012, 0x7CB183A6, 0x4E800020), NULL,
			  NULL),
		0);
	CU_ASSERT_TRUE(mpfix_cands_are(&a, "ibat0u", VALS(0xC0001FFE)));
	CU_ASSERT_TRUE(mpfix_cands_are(&a, "ibat0l", VALS(0x12)));
	analysis_close(&a);
	/* P4: mtsr and mtsrin (segment number from rB's value). */
	CU_ASSERT_EQUAL_FATAL(
		open_code(&a, VEC(0x4E800020, 0x38600123, 0x7C6201A4, 0x3C803000, 0x7C6021E4, 0x4E800020), NULL, NULL), 0);
	CU_ASSERT_TRUE(mpfix_cands_are(&a, "sr2", VALS(0x123)));
	CU_ASSERT_TRUE(mpfix_cands_are(&a, "sr3", VALS(0x123)));
	CU_ASSERT_EQUAL(a.regs->unrouted, 0);
	analysis_close(&a);
	/* P5: rlwinm, ori, mr: 0xFFFF0003, not aligned on its size (C). */
	CU_ASSERT_EQUAL_FATAL(open_code(&a,
					VEC(0x4E800020, 0x3860FFFF, 0x5463001E, 0x60630003, 0x7C671B78, 0x7CF903A6,
					    0x4E800020),
					NULL, NULL),
			      0);
	CU_ASSERT_EQUAL(mpfix_reg(&a, "sdr1")->ncands, 0);
	CU_ASSERT_EQUAL_FATAL(mpfix_reg(&a, "sdr1")->ninvalid, 1);
	CU_ASSERT_EQUAL(mpfix_reg(&a, "sdr1")->invalid[0].value, 0xFFFF0003);
	ASSERT_STR_EQ(mpfix_reg(&a, "sdr1")->invalid[0].why, "HTABORG not aligned on its size");
	analysis_close(&a);
	/* P6: li is addi with rA = 0: 0, not r0's value. */
	CU_ASSERT_EQUAL_FATAL(open_code(&a, VEC(0x4E800020, 0x3C001234, 0x38600010, 0x7C7983A6, 0x4E800020), NULL, NULL),
			      0);
	CU_ASSERT_TRUE(mpfix_cands_are(&a, "dbat0l", VALS(0x10)));
	analysis_close(&a);
}

static void test_p7_p11(void)
{
	struct analysis a;
	/* P7: mr r3, r4: an argument. */
	CU_ASSERT_EQUAL_FATAL(open_code(&a, VEC(0x4E800020, 0x7C832378, 0x7C7903A6, 0x4E800020), NULL, NULL), 0);
	CU_ASSERT_EQUAL(mpfix_site(&a, 0x3008)->r.status, DF_SOURCE_UNKNOWN);
	CU_ASSERT_EQUAL(mpfix_reg(&a, "sdr1")->ncands, 0);
	analysis_close(&a);
	/* P8: bl stops the walk. */
	CU_ASSERT_EQUAL_FATAL(
		open_code(&a, VEC(0x4E800020, 0x3C600FF0, 0x48000101, 0x6063000F, 0x7C7903A6, 0x4E800020), NULL, NULL), 0);
	CU_ASSERT_EQUAL(mpfix_site(&a, 0x3010)->r.start, 0x300C);
	CU_ASSERT_EQUAL(mpfix_reg(&a, "sdr1")->ncands, 0);
	analysis_close(&a);
	/* P9: a loop counter is no exact value. */
	CU_ASSERT_EQUAL_FATAL(open_code(&a,
					VEC(0x4E800020, 0x38600000, 0x38630001, 0x2C030004, 0x4082FFF8, 0x7C7903A6,
					    0x4E800020),
					NULL, NULL),
			      0);
	CU_ASSERT_EQUAL(mpfix_reg(&a, "sdr1")->ncands, 0);
	analysis_close(&a);
	/* P10: two paths, plain b is not a stop. */
	CU_ASSERT_EQUAL_FATAL(open_code(&a,
					VEC(0x4E800020, 0x2C040000, 0x41820010, 0x3C600FF0, 0x6063000F, 0x48000008,
					    0x3C600100, 0x7C7903A6, 0x4E800020),
					NULL, NULL),
			      0);
	CU_ASSERT_EQUAL(mpfix_site(&a, 0x301C)->r.start, 0x3004);
	CU_ASSERT_TRUE(mpfix_cands_are(&a, "sdr1", VALS(0x0FF0000F, 0x01000000)));
	analysis_close(&a);
	/* P11: addi sign-extends; the value has a reserved bit. */
	CU_ASSERT_EQUAL_FATAL(open_code(&a, VEC(0x4E800020, 0x3C601235, 0x38639000, 0x7C7903A6, 0x4E800020), NULL, NULL), 0);
	CU_ASSERT_EQUAL(mpfix_reg(&a, "sdr1")->ncands, 0);
	CU_ASSERT_EQUAL_FATAL(mpfix_reg(&a, "sdr1")->ninvalid, 1);
	CU_ASSERT_EQUAL(mpfix_reg(&a, "sdr1")->invalid[0].value, 0x12349000);
	analysis_close(&a);
}

/* Calls (LR, volatile registers), "bl next" reading the PC, mtlr/mflr, update loads. */
static void test_calls(void)
{
	struct analysis a;
	/* li r31,0x10; bl; mr r3,r31 (r31 survives); li r4,0x12 ... (r4 after a call is lost) */
	CU_ASSERT_EQUAL_FATAL(open_code(&a,
					VEC(0x4E800020, 0x3BE00010, 0x38800012, 0x48000101, 0x7FE3FB78, 0x7C7983A6,
					    0x7C9B83A6, 0x4E800020),
					NULL, NULL),
			      0);
	/* bl stops the walk: the region starts after it, r31 unknown there too. */
	CU_ASSERT_EQUAL(mpfix_site(&a, 0x3014)->r.start, 0x3010);
	analysis_close(&a);
	/* bl next; mflr r3; lwzu r4, 0x1FF4(r3) reads 0x5000; mtspr SDR1, r4 */
	CU_ASSERT_EQUAL_FATAL(open_code(&a, VEC(0x4E800020, 0x48000005, 0x7C6802A6, 0x84831FF8, 0x7C9903A6, 0x4E800020),
					NULL, NULL),
			      0);
	CU_ASSERT_EQUAL(mpfix_site(&a, 0x3010)->r.start, 0x3004);
	CU_ASSERT_TRUE(mpfix_cands_are(&a, "sdr1", VALS(0x00FE0001)));
	analysis_close(&a);
}

/* G5: BAT registers against a logged pair; the seven unlogged pairs are not compared. */
static void test_g5(void)
{
	static const char gt[] = "format: mmushell-gtruth/1\narchitecture: ppc\nmmu_mode: ppc32\nregisters:\n"
				 "  - {name: ibat0u, value: 0xC0001FFE, first_seen: 2, last_seen: 30, count: 0, pair: 1}\n"
				 "  - {name: ibat0l, value: 0x12, first_seen: 2, last_seen: 30, count: 0, pair: 1}\n";
	struct analysis a;
	/* li r4,0; mtspr IBAT0U,r4; lis r4,0xc000; ori r4,r4,0x1ffe; mtspr IBAT0U,r4; li r5,0x12; mtspr IBAT0L,r5 */
	CU_ASSERT_EQUAL_FATAL(open_code(&a,
					VEC(0x4E800020, 0x38800000, 0x7C9083A6, 0x3C80C000, 0x60841FFE, 0x7C9083A6,
					    0x38A00012, 0x7CB183A6, 0x4E800020),
					NULL, gt),
			      0);
	/* The enabled BAT ranks above the disabled one written first. */
	const struct regrec_regres *rr = mpfix_reg(&a, "ibat0u");
	CU_ASSERT_EQUAL_FATAL(rr->ncands, 2);
	CU_ASSERT_EQUAL(rr->cands[0].value, 0xC0001FFE);
	CU_ASSERT_EQUAL(rr->cands[1].value, 0);
	char *text, *j = mpfix_cmd(&a, "show_registers_gtruth", &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"fp_all\": 1, \"not_compared\": 31, \"tp\": 2, \"fp\": 1, \"fn\": 0}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "IBAT0U (ground-truth names compared: ibat0u)"));
	free(j);
	free(text);
	analysis_close(&a);
}

/* Segment registers: any logged value counts (a context switch changes them). */
static void test_sr_gtruth(void)
{
	static const char gt[] = "format: mmushell-gtruth/1\narchitecture: ppc\nmmu_mode: ppc32\nregisters:\n"
				 "  - {name: sr2, value: 0x123, first_seen: 0.1, last_seen: 3, count: 0}\n"
				 "  - {name: sr2, value: 0x456, first_seen: 3, last_seen: 50, count: 0}\n";
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(
		open_code(&a, VEC(0x4E800020, 0x38600123, 0x7C6201A4, 0x3C803000, 0x7C6021E4, 0x4E800020), NULL, gt), 0);
	char *j = mpfix_cmd(&a, "show_registers_gtruth", NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"tp\": 1, \"fp\": 0, \"fn\": 0"));
	free(j);
	analysis_close(&a);
}

/* ---- hash tables ---- */

#define RAM16 (16ULL << 20)
#define NOT_RAM "    - {start: 0xF0000000, end: 0xFFFFFFFF}\n"
#define H1_SDR1 0x00FE0001u

/* Puts a PTE for (vsid, ea) where the hash puts it (secondary when asked or when the group is full). */
static uint64_t put_pte(struct mpfix *m, uint32_t sdr1, uint32_t vsid, uint32_t ea, uint32_t rpn, bool secondary)
{
	uint32_t pi = (ea >> PAGE_SHIFT) & PI_MASK;
	for (int h = secondary; h < 2; h++) {
		uint64_t pteg = htab_pteg(sdr1, htab_hash(vsid, pi) ^ (h ? HASH_MASK : 0));
		for (int i = 0; i < 8; i++) {
			uint8_t *p = m->mem + pteg + PTE_SIZE * i;
			if (rd32(p, true) & PTE0_V)
				continue;
			wr32(p, PTE0_V | vsid << PTE0_VSID_SHIFT | (h ? PTE0_H : 0) | pi >> API_SHIFT, true);
			wr32(p + 4, rpn << PTE1_RPN_SHIFT | PTE1_R | PTE1_C | 2u << PTE1_WIMG_SHIFT | 2, true);
			return pteg + PTE_SIZE * i;
		}
	}
	return 0;
}

/*
 * The modelled instructions of 6.4, one at a time: a few words setting the
 * inputs, the instruction, then mtspr SDR1, r3.  Each case gives the value
 * r3 must hold at the site, and the mnemonic Capstone must give the last
 * word before the site (6.1).  Data word 0x8091A2B3 at 0x5004.
 */
struct model_case {
	const char *mnemonic;
	uint32_t w[7];
	uint8_t n;
	uint32_t want;
};

#define MODEL_DATA 0x8091A2B3u

static const char *cs_mnemonic(uint32_t w, char *buf, size_t len)
{
	csh h;
	snprintf(buf, len, "(invalid)");
	if (cs_open(CS_ARCH_PPC, CS_MODE_32 | CS_MODE_BIG_ENDIAN, &h) != CS_ERR_OK)
		return buf;
	uint8_t b[4];
	wr32(b, w, true);
	cs_insn *ci;
	if (cs_disasm(h, b, 4, CODE, 1, &ci) == 1) {
		snprintf(buf, len, "%s", ci->mnemonic);
		cs_free(ci, 1);
	}
	cs_close(&h);
	return buf;
}

static void model_check(const struct model_case *c)
{
	char mn[32];
	ASSERT_STR_EQ(cs_mnemonic(c->w[c->n - 1], mn, sizeof(mn)), c->mnemonic);
	uint32_t w[12];
	size_t n = 0;
	w[n++] = 0x4E800020;   /* blr */
	for (size_t i = 0; i < c->n; i++)
		w[n++] = c->w[i];
	w[n++] = 0x7C7903A6;   /* mtspr SDR1, r3 */
	w[n++] = 0x4E800020;
	struct mpfix m;
	struct analysis a;
	mpfix_init(&m, 0, 0x10000, true);
	mpfix_words(&m, CODE, w, n);
	mpfix_words(&m, 0x5004, (const uint32_t[]){MODEL_DATA}, 1);
	CU_ASSERT_EQUAL_FATAL(mpfix_open(&m, "ppc", "ppc32", NULL, NULL, NULL, &a), 0);
	mpfix_free(&m);
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(regrec_find(&a, &(struct regrec_opts){0}, &e), 0);
	const struct regrec_site_res *s = mpfix_site(&a, CODE + 4 * (1 + c->n));
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	bool ok = s->r.status == DF_OK && s->r.val[0].n == 1 && !s->r.val[0].t[0].m && s->r.val[0].t[0].v == c->want;
	if (!ok)
		fprintf(stderr, "\n%s: %s, %u values, first 0x%llx/0x%llx, meant 0x%x\n", c->mnemonic,
			df_status_name(s->r.status), s->r.val[0].n, (unsigned long long)s->r.val[0].t[0].v,
			(unsigned long long)s->r.val[0].t[0].m, c->want);
	CU_ASSERT_TRUE(ok);
	analysis_close(&a);
}

/* Inputs: lis/ori pairs and li. */
#define R3_AAAAAAAA 0x3C60AAAA, 0x6063AAAA
#define R4_12345678 0x3C801234, 0x60845678
#define R4_87654321 0x3C808765, 0x60844321
#define R4_0F0F0F0F 0x3C800F0F, 0x60840F0F
#define R5_00FF00FF 0x38A000FF, 0x64A500FF
#define LI_R4(v) (0x38800000u | (v))
#define LI_R5(v) (0x38A00000u | (v))

static void test_model_alu(void)
{
	static const struct model_case cases[] = {
		/* rlwimi r3, r4, 8, 16, 23: (ROTL(r4, 8) & 0xFF00) | (r3 & ~0xFF00) */
		{"rlwimi", {R3_AAAAAAAA, R4_12345678, 0x5083442E}, 5, 0xAAAA78AA},
		/* rlwnm r3, r4, r5, 4, 27 with r5 = 44: rotation by 44 & 31 = 12, mask 0x0FFFFFF0 */
		{"rlwnm", {R4_12345678, LI_R5(44), 0x5C832936}, 4, 0x05678120},
		{"srawi", {R4_87654321, 0x7C832670}, 3, 0xF8765432},
		/* shifts by rB & 63: 32 and more give 0, or the sign for sraw */
		{"slw", {R4_12345678, LI_R5(8), 0x7C832830}, 4, 0x34567800},
		{"slw", {R4_12345678, LI_R5(40), 0x7C832830}, 4, 0},
		{"slw", {R4_12345678, LI_R5(0x44), 0x7C832830}, 4, 0x23456780},   /* 0x44 & 63 = 4 */
		{"srw", {R4_12345678, LI_R5(8), 0x7C832C30}, 4, 0x00123456},
		{"srw", {R4_12345678, LI_R5(40), 0x7C832C30}, 4, 0},
		{"sraw", {R4_87654321, LI_R5(8), 0x7C832E30}, 4, 0xFF876543},
		{"sraw", {R4_87654321, LI_R5(32), 0x7C832E30}, 4, 0xFFFFFFFF},
		{"sraw", {R4_12345678, LI_R5(40), 0x7C832E30}, 4, 0},
		/* lis r4, 0x1234; ori r4, r4, 0x5680 / 0x8001 */
		{"extsb", {0x3C801234, 0x60845680, 0x7C830774}, 3, 0xFFFFFF80},
		{"extsh", {0x3C801234, 0x60848001, 0x7C830734}, 3, 0xFFFF8001},
		{"extsb", {0x3C801234, 0x6084567F, 0x7C830774}, 3, 0x7F},
		{"nand", {R4_0F0F0F0F, R5_00FF00FF, 0x7C832BB8}, 5, 0xFFF0FFF0},
		{"eqv", {R4_0F0F0F0F, R5_00FF00FF, 0x7C832A38}, 5, 0xF00FF00F},
		{"andc", {R4_0F0F0F0F, R5_00FF00FF, 0x7C832878}, 5, 0x0F000F00},
		{"orc", {R4_0F0F0F0F, R5_00FF00FF, 0x7C832B38}, 5, 0xFF0FFF0F},
		/* subfic r3, r4, 0x100 / -1: the immediate minus r4 */
		{"subfic", {LI_R4(0x10), 0x20640100}, 2, 0xF0},
		{"subfic", {LI_R4(0x10), 0x2064FFFF}, 2, 0xFFFFFFEF},
		/* mulli r3, r4, -3 */
		{"mulli", {LI_R4(0x1000), 0x1C64FFFD}, 2, 0xFFFFD000},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		model_check(&cases[i]);
}

static void test_model_loads(void)
{
	/* mr r3, r4 after an update load: rA holds the address. */
#define MR_R3_R4 0x7C832378
	static const struct model_case cases[] = {
		/* lwbrx r3, 0, r5: the word byte-reversed */
		{"lwbrx", {LI_R5(0x5004), 0x7C602C2C}, 2, 0xB3A29180},
		{"lwzx", {LI_R4(0x5000), LI_R5(4), 0x7C64282E}, 3, MODEL_DATA},
		/* lwzx r3, 0, r5 with r0 = 0x100: rA = 0 reads as 0, not as r0 */
		{"lwzx", {0x38000100, LI_R5(0x5004), 0x7C60282E}, 3, MODEL_DATA},
		{"lbzx", {LI_R4(0x5000), LI_R5(5), 0x7C6428AE}, 3, 0x91},
		{"lhzx", {LI_R4(0x5000), LI_R5(4), 0x7C642A2E}, 3, 0x8091},
		{"lhax", {LI_R4(0x5000), LI_R5(4), 0x7C642AAE}, 3, 0xFFFF8091},
		{"lhax", {LI_R4(0x5000), LI_R5(6), 0x7C642AAE}, 3, 0xFFFFA2B3},
		{"lha", {LI_R4(0x5000), 0xA8640006}, 2, 0xFFFFA2B3},
		/* lwzu r3, 4(r4) and friends: rD from rA + d, then rA = rA + d */
		{"lwzu", {LI_R4(0x5000), 0x84640004}, 2, MODEL_DATA},
		{"lbzu", {LI_R4(0x5000), 0x8C640005}, 2, 0x91},
		{"lhzu", {LI_R4(0x5000), 0xA4640004}, 2, 0x8091},
		{"lhau", {LI_R4(0x5000), 0xAC640004}, 2, 0xFFFF8091},
		{"mr", {LI_R4(0x5000), 0x84640004, MR_R3_R4}, 3, 0x5004},
		{"mr", {LI_R4(0x5000), 0x8C640005, MR_R3_R4}, 3, 0x5005},
		{"mr", {LI_R4(0x5000), 0xAC640004, MR_R3_R4}, 3, 0x5004},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		model_check(&cases[i]);
}

/* 6.1: every modelled encoding of 6.4 and the control flow of 6.5 is what Capstone says. */
static void test_model_mnemonics(void)
{
	static const struct {
		uint32_t w;
		const char *mnemonic;
	} v[] = {
		{0x3864FFF8, "addi"},   {0x38600010, "li"},     {0x3C641234, "addis"},  {0x3C601234, "lis"},
		{0x30640001, "addic"},  {0x34640001, "addic."}, {0x20640100, "subfic"}, {0x1C64FFFD, "mulli"},
		{0x6083000F, "ori"},    {0x6483000F, "oris"},   {0x6883000F, "xori"},   {0x6C83000F, "xoris"},
		{0x7083000F, "andi."},  {0x7483000F, "andis."}, {0x54831936, "rlwinm"}, {0x54832036, "slwi"},
		{0x5483E13E, "srwi"},   {0x5483043E, "clrlwi"}, {0x5483403E, "rotlwi"}, {0x5083442E, "rlwimi"},
		{0x5C832936, "rlwnm"},  {0x5C83283E, "rotlw"},  {0x7C832B78, "or"},     {0x7C832378, "mr"},
		{0x7C832838, "and"},    {0x7C832A78, "xor"},    {0x7C8328F8, "nor"},    {0x7C832878, "andc"},
		{0x7C832B38, "orc"},    {0x7C832BB8, "nand"},   {0x7C832A38, "eqv"},    {0x7C832830, "slw"},
		{0x7C832C30, "srw"},    {0x7C832E30, "sraw"},   {0x7C832670, "srawi"},  {0x7C830774, "extsb"},
		{0x7C830734, "extsh"},  {0x7C642A14, "add"},    {0x7C642850, "subf"},   {0x7C6400D0, "neg"},
		{0x7C6429D6, "mullw"},  {0x80640008, "lwz"},    {0x88640008, "lbz"},    {0xA0640008, "lhz"},
		{0xA8640008, "lha"},    {0x84640004, "lwzu"},   {0x8C640005, "lbzu"},   {0xA4640004, "lhzu"},
		{0xAC640004, "lhau"},   {0x7C64282E, "lwzx"},   {0x7C6428AE, "lbzx"},   {0x7C642A2E, "lhzx"},
		{0x7C642AAE, "lhax"},   {0x7C602C2C, "lwbrx"},  {0x7C7902A6, "mfspr"},  {0x7C7082A6, "mfibatu"},
		{0x7C6802A6, "mflr"},   {0x7C6803A6, "mtlr"},   {0x7C6902A6, "mfctr"},  {0x7C6903A6, "mtctr"},
		{0x7C6204A6, "mfsr"},   {0x48000100, "b"},      {0x48000101, "bl"},     {0x48000102, "ba"},
		{0x40820010, "bne"},    {0x41820010, "beq"},    {0x42000010, "bdnz"},   {0x4E800020, "blr"},
		{0x4E800420, "bctr"},   {0x4E800421, "bctrl"},  {0x4C000064, "rfi"},    {0x44000002, "sc"},
		{0x7C7903A6, "mtspr"},  {0x7C6201A4, "mtsr"},   {0x7C6021E4, "mtsrin"}, {0x7C9083A6, "mtibatu"},
	};
	char mn[32];
	for (size_t i = 0; i < ARRAY_LEN(v); i++) {
		cs_mnemonic(v[i].w, mn, sizeof(mn));
		if (strcmp(mn, v[i].mnemonic))
			fprintf(stderr, "\n0x%08x: %s, meant %s\n", v[i].w, mn, v[i].mnemonic);
		ASSERT_STR_EQ(mn, v[i].mnemonic);
	}
}

/* H1: the table of 3.4 (0x00FE0000, 128 KiB) with 200 PTEs of four VSIDs. */
static void h1(struct mpfix *m)
{
	static const uint32_t vsids[] = {0xABC, 0x400, 0x123456, 0x777};
	CU_ASSERT_EQUAL(put_pte(m, H1_SDR1, 0xABC, 0x10003000, 0x234, false), 0x00FEAFC0);
	CU_ASSERT_EQUAL(put_pte(m, H1_SDR1, 0xABC, 0x10003000, 0x235, true), 0x00FF5000);
	CU_ASSERT_EQUAL(put_pte(m, H1_SDR1, 0x400, 0x20005000, 0x236, false), 0x00FF0140);
	uint32_t rpn = 0x300;
	for (size_t v = 0; v < ARRAY_LEN(vsids); v++)
		for (uint32_t p = 0; p < 50; p++)
			put_pte(m, H1_SDR1, vsids[v], (uint32_t)(v << 28) | ((p * 0x401000) & 0x0FFFF000), rpn++, false);
}

static int open_tables(struct mpfix *m, const char *cpu_extra, const char *gt, struct analysis *a)
{
	int rc = mpfix_open(m, "ppc", "ppc32", cpu_extra, NOT_RAM, gt, a);
	if (rc)
		return rc;
	char *j = mpfix_cmd(a, "parse_memory", NULL);
	free(j);
	return j ? 0 : -1;
}

static size_t tables(const struct analysis *a, const struct htab **out)
{
	const struct htab_state *st = a->arch_state;
	*out = st->v;
	return st->n;
}

static void test_h1_h2(void)
{
	struct mpfix m;
	struct analysis a;
	const struct htab *t;
	mpfix_init(&m, 0, RAM16, true);
	h1(&m);
	CU_ASSERT_EQUAL_FATAL(open_tables(&m, NULL, NULL, &a), 0);
	CU_ASSERT_EQUAL_FATAL(tables(&a, &t), 1);
	CU_ASSERT_EQUAL(t[0].addr, 0x00FE0000);
	CU_ASSERT_EQUAL(t[0].size, 0x20000);
	CU_ASSERT_EQUAL(t[0].ptes, 203);
	CU_ASSERT_EQUAL(t[0].vsids, 4);
	CU_ASSERT_TRUE(t[0].checked);
	char *text, *j = mpfix_cmd(&a, "show_hashtables", &text);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"address\": \"0xfe0000\", \"size\": 131072, \"ptes\": 203, \"vsids\": 4"));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"implied_sdr1\": \"0xfe0001\", \"sdr1\": false"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "hash-checked"));
	free(j);
	free(text);
	analysis_close(&a);

	/* H2: a stale copy of the upper half at 4 MiB: a 64 KiB table, not hash-checkable, ranked below. */
	memcpy(m.mem + 0x400000, m.mem + 0xFF0000, 0x10000);
	/* And code recovering SDR1 = 0x00FE0001: only the real table is confirmed. */
	mpfix_words(&m, CODE, VEC(0x4E800020, 0x3C6000FE, 0x60630001, 0x7C7903A6, 0x4E800020));
	CU_ASSERT_EQUAL_FATAL(open_tables(&m, NULL, NULL, &a), 0);
	CU_ASSERT_EQUAL_FATAL(tables(&a, &t), 2);
	CU_ASSERT_EQUAL(t[0].addr, 0x400000);
	CU_ASSERT_EQUAL(t[0].size, 0x10000);
	CU_ASSERT_FALSE(t[0].checked);
	free(mpfix_cmd(&a, "find_registers_values", NULL));
	j = mpfix_cmd(&a, "show_hashtables", &text);
	const char *real = strstr(j, "\"address\": \"0xfe0000\""), *stale = strstr(j, "\"address\": \"0x400000\"");
	CU_ASSERT_TRUE(real && stale && real < stale);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"implied_sdr1\": \"0xfe0001\", \"sdr1\": true"));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"implied_sdr1\": \"0x400000\", \"sdr1\": false"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "SDR1 names it"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "64 KiB, not hash-checkable"));
	free(j);
	free(text);
	analysis_close(&a);
	mpfix_free(&m);
}

/* A 64 KiB chunk of PTEs at pa with one flaw chosen by kind. */
static void flawed_chunk(struct mpfix *m, uint64_t pa, int kind)
{
	uint32_t sdr1 = (uint32_t)pa;   /* a 64 KiB table there */
	for (uint32_t i = 0; i < 40; i++) {
		uint32_t vsid = kind == 0 ? 0x55 : 0x55 + (i & 3), rpn = kind == 1 ? 0x321 : 0x400 + i;
		put_pte(m, sdr1, vsid, (i & 3) << 28 | i << 14, rpn, false);
	}
	uint64_t pte = put_pte(m, sdr1, kind == 0 ? 0x55 : 0x99, 0x7000, kind == 1 ? 0x321 : 0x500, false);
	if (kind == 2)
		wr32(m->mem + pte + 4, 0x500 << PTE1_RPN_SHIFT | PTE1_C, true);
	if (kind == 3)
		wr32(m->mem + pte + 4, 0x20000 << PTE1_RPN_SHIFT | PTE1_R, true);
	if (kind == 4)
		memcpy(m->mem + pte + 8, m->mem + pte, 8);
}

/* H3: one VSID, one RPN, changed-not-referenced, RPN nowhere, a PTE twice: none is a table. */
static void test_h3(void)
{
	static const char *const why[] = {NULL, NULL, "a PTE is changed but not referenced",
					  "a PTE's RPN is neither RAM nor not_ram", "two PTEs of one PTEG translate the same page"};
	struct mpfix m;
	struct analysis a;
	const struct htab *t;
	mpfix_init(&m, 0, RAM16, true);
	for (int k = 0; k < 5; k++)
		flawed_chunk(&m, 0x200000 + 0x100000 * (uint64_t)k, k);
	CU_ASSERT_EQUAL_FATAL(open_tables(&m, NULL, NULL, &a), 0);
	CU_ASSERT_EQUAL(tables(&a, &t), 0);
	for (int k = 2; k < 5; k++) {
		char line[64], *text;
		snprintf(line, sizeof(line), "show_hashtable 0x%x 65536", 0x200000 + 0x100000 * k);
		char *j = mpfix_cmd(&a, line, &text);
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "Table not present or malformed"));
		CU_ASSERT_PTR_NOT_NULL(strstr(text, why[k]));
		free(j);
		free(text);
	}
	analysis_close(&a);
	mpfix_free(&m);
}

/* H4: a PTE in the wrong half: the 128 KiB table fails the hash check, its halves remain. */
static void test_h4(void)
{
	struct mpfix m;
	struct analysis a;
	const struct htab *t;
	mpfix_init(&m, 0, RAM16, true);
	h1(&m);
	/* 0x00FEAFC0 (lower half, hash bit 0) moved to 0x00FFAFC0 (upper half). */
	memcpy(m.mem + 0xFFAFC0, m.mem + 0xFEAFC0, 8);
	memset(m.mem + 0xFEAFC0, 0, 8);
	CU_ASSERT_EQUAL_FATAL(open_tables(&m, NULL, NULL, &a), 0);
	CU_ASSERT_EQUAL_FATAL(tables(&a, &t), 2);
	CU_ASSERT_EQUAL(t[0].addr, 0xFE0000);
	CU_ASSERT_EQUAL(t[1].addr, 0xFF0000);
	CU_ASSERT_TRUE(t[0].size == 0x10000 && t[1].size == 0x10000 && !t[0].checked && !t[1].checked);
	analysis_close(&a);
	mpfix_free(&m);
}

/* H5: show_hashtable lists the PTEs by address; sizes must be 64 KiB .. 32 MiB powers of two. */
static void test_h5(void)
{
	struct mpfix m;
	struct analysis a;
	mpfix_init(&m, 0, RAM16, true);
	h1(&m);
	CU_ASSERT_EQUAL_FATAL(open_tables(&m, "  registers_values: {SR1: 0xABC}\n", NULL, &a), 0);
	char *text, *j = mpfix_cmd(&a, "show_hashtable 0x00FE0000 131072", &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"count\": 203"));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "{\"entry\": \"0xfeafc0\", \"vsid\": \"0xabc\", \"rpn\": \"0x234\", \"api\": \"0x0\", "
					 "\"secondary\": false, \"referenced\": true, \"changed\": true, \"wimg\": 2, "
					 "\"pp\": 2, \"virtual_address\": \"0x10003000\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "{\"entry\": \"0xff5000\", \"vsid\": \"0xabc\", \"rpn\": \"0x235\", \"api\": \"0x0\", "
					 "\"secondary\": true, \"referenced\": true, \"changed\": true, \"wimg\": 2, "
					 "\"pp\": 2, \"virtual_address\": \"0x10003000\"}"));
	const char *p1 = strstr(text, "0x00feafc0"), *p2 = strstr(text, "0x00ff0140"), *p3 = strstr(text, "0x00ff5000");
	CU_ASSERT_TRUE(p1 && p2 && p3 && p1 < p2 && p2 < p3);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "0b0010"));
	free(j);
	free(text);
	struct cmd_out o;
	struct err e = {{0}};
	char *name;
	cmd_out_init(&o);
	CU_ASSERT_NOT_EQUAL(command_run_line(&a, "show_hashtable 0x00FE0000 12345", &o, &name, &e), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "Invalid order table. Valid sizes are [65536, 131072,"));
	free(name);
	cmd_out_free(&o);
	analysis_close(&a);
	mpfix_free(&m);
}

/* G3 and G4: hash tables against the logged SDR1 values. */
static void test_g3_g4(void)
{
	static const char g3[] = "format: mmushell-gtruth/1\narchitecture: ppc\nmmu_mode: ppc32\nregisters:\n"
				 "  - {name: sdr1, value: 0x003F0000, first_seen: 1, last_seen: 4, count: 0}\n"
				 "  - {name: sdr1, value: 0x00FE0001, first_seen: 5, last_seen: 60, count: 0}\n";
	struct mpfix m;
	struct analysis a;
	mpfix_init(&m, 0, RAM16, true);
	h1(&m);
	CU_ASSERT_EQUAL_FATAL(open_tables(&m, NULL, g3, &a), 0);
	char *text, *j = mpfix_cmd(&a, "show_hashtables_gtruth", &text);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"tp\": 1, \"fp\": 0, \"fn\": 0, \"size_mismatch\": 0, \"boot_only\": 1}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "{\"address\": \"0x3f0000\", \"size\": 65536, \"sdr1\": \"0x3f0000\", "
					 "\"first_seen\": 1, \"last_seen\": 4, \"class\": \"boot_only\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "1 table used only while booting"));
	CU_ASSERT_PTR_NULL(strstr(text, "logged VSID"));
	CU_ASSERT_PTR_NULL(strstr(j, "vsids_logged"));
	free(j);
	free(text);
	analysis_close(&a);
	mpfix_free(&m);

	/*
	 * 5.3: with the VSIDs logged per SDR1 value, each true positive says how
	 * many of them its PTEs hold (H1 has 0xABC, 0x400, 0x123456, 0x777; the
	 * two entries of one table are merged, repeats counted once).
	 */
	static const char gv[] = "format: mmushell-gtruth/1\narchitecture: ppc\nmmu_mode: ppc32\nregisters:\n"
				 "  - {name: sdr1, value: 0x003F0000, first_seen: 1, last_seen: 4, vsids: [{value: 0xABC}]}\n"
				 "  - {name: sdr1, value: 0x00FE0001, first_seen: 5, last_seen: 30, vsids: [{value: 0xabc, "
				 "first_seen: 6, last_seen: 7}, {value: 0x999999, first_seen: 6, last_seen: 7}]}\n"
				 "  - {name: sdr1, value: 0x00FE0001, first_seen: 31, last_seen: 60, vsids: [0x400, 0xABC, 0x555]}\n";
	mpfix_init(&m, 0, RAM16, true);
	h1(&m);
	CU_ASSERT_EQUAL_FATAL(open_tables(&m, NULL, gv, &a), 0);
	j = mpfix_cmd(&a, "show_hashtables_gtruth", &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "Table 0x00fe0000: 2 of 4 logged VSIDs among its PTEs (50.0%)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"class\": \"tp\", \"vsids_logged\": 4, \"vsids_in_table\": 2, "
					 "\"vsid_fraction\": 0.5}"));
	/* The boot-only table is no true positive: nothing said about its VSIDs. */
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"class\": \"boot_only\"}"));
	free(j);
	free(text);
	analysis_close(&a);
	mpfix_free(&m);

	/* G4: a 64 KiB table where the log says 128 KiB: found with the wrong size (FN and FP). */
	mpfix_init(&m, 0, RAM16, true);
	static const uint32_t vsids[] = {0x11, 0x222, 0x3333, 0x4000};
	uint32_t rpn = 0x300;
	for (size_t v = 0; v < ARRAY_LEN(vsids); v++)
		for (uint32_t p = 0; p < 40; p++)
			put_pte(&m, 0x00FE0000, vsids[v], (uint32_t)(v << 28) | ((p * 0x401000) & 0x0FFFF000), rpn++, false);
	CU_ASSERT_EQUAL_FATAL(open_tables(&m, NULL, g3, &a), 0);
	j = mpfix_cmd(&a, "show_hashtables_gtruth", NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"tp\": 0, \"fp\": 1, \"fn\": 1, \"size_mismatch\": 1, \"boot_only\": 1}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"class\": \"size_mismatch\""));
	free(j);
	analysis_close(&a);
	mpfix_free(&m);
}

/* resolve: BATs first, then SR -> VSID -> PTEG (primary, then secondary). */
static void test_resolve(void)
{
	struct mpfix m;
	struct analysis a;
	mpfix_init(&m, 0, RAM16, true);
	h1(&m);
	/* A page of VSID 0x777 only in its secondary group. */
	put_pte(&m, H1_SDR1, 0x777, 0x30ABC000, 0x444, true);
	CU_ASSERT_EQUAL_FATAL(
		open_tables(&m, "  registers_values: {SR1: 0xABC, SR3: 0x60000777, DBAT0U: 0xC0001FFE, DBAT0L: 0x12}\n",
			    NULL, &a),
		0);
	char *text, *j = mpfix_cmd(&a, "resolve 0x10003123", &text);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"ok\": true, \"pte\": \"0xfeafc0\", \"secondary\": false, "
					 "\"physical_address\": \"0x234123\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"sdr1\": \"0xfe0001\", \"sdr1_origin\": \"parse_memory\""));
	free(j);
	free(text);
	j = mpfix_cmd(&a, "resolve 0x30ABC008", NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"secondary\": true, \"physical_address\": \"0x444008\""));
	free(j);
	j = mpfix_cmd(&a, "resolve 0xC0123456", &text);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"via\": \"bat\", \"bat\": \"dbat0\", \"ok\": true, \"physical_address\": \"0x123456\""));
	free(j);
	free(text);
	/* A VSID given by hand; a page that is not there. */
	j = mpfix_cmd(&a, "resolve 0x20005000 0x400", &text);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"physical_address\": \"0x236000\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"vsid\": \"0x400\", \"vsid_origin\": \"given\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "VSID 0x400 (given; segment 2); page index 0x5; "));
	CU_ASSERT_PTR_NULL(strstr(text, "SR2"));
	free(j);
	free(text);
	j = mpfix_cmd(&a, "resolve 0x10999000", &text);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"ok\": false"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "is not in the hash table"));
	free(j);
	free(text);
	struct cmd_out o;
	struct err e = {{0}};
	char *name;
	cmd_out_init(&o);
	CU_ASSERT_NOT_EQUAL(command_run_line(&a, "resolve 0x50000000", &o, &name, &e), 0);
	ASSERT_STR_EQ(e.msg, "SR5 is not known (find_registers_values, or cpu.registers_values): give the VSID");
	free(name);
	cmd_out_free(&o);
	analysis_close(&a);
	mpfix_free(&m);
}

/* Hostile memory: random words, PTE-looking chunks and site patterns; everything finishes. */
static void test_hostile(void)
{
	struct mpfix m;
	struct analysis a;
	mpfix_init(&m, 0, 4ULL << 20, true);
	uint64_t x = 0x2545F4914F6CDD1DULL;
	static const uint32_t spice[] = {0x7C7903A6, 0x7C6021E4, 0x4E800020, 0x48000001, 0x4BFFFFFC,
					 0x80630000, 0x4200FFFC, 0x7C0803A6, 0x4E800021};
	for (size_t i = 0; i < m.len / 4; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint32_t w = (x >> 61) < 3 ? spice[(x >> 32) % ARRAY_LEN(spice)] : (uint32_t)x;
		/* Half of RAM: PTE-like words pointing into RAM. */
		if (i >= m.len / 8 && (i & 1))
			w = (uint32_t)x & 0x003FF197;
		if (i >= m.len / 8 && !(i & 1))
			w |= PTE0_V;
		wr32(m.mem + 4 * i, w, true);
	}
	CU_ASSERT_EQUAL_FATAL(open_tables(&m, NULL, NULL, &a), 0);
	free(mpfix_cmd(&a, "find_registers_values", NULL));
	free(mpfix_cmd(&a, "show_hashtables", NULL));
	CU_ASSERT(a.regs->nres > 100);
	analysis_close(&a);
	mpfix_free(&m);
}

void register_regrec_ppc_tests(void)
{
	static const struct unit_test tests[] = {
		{"mtspr/mtsr/mtsrin scan", test_scan},
		{"SDR1, BAT, SR validity; the hash of 3.4", test_validity},
		{"P1-P6", test_p1_p6},
		{"P7-P11", test_p7_p11},
		{"calls, bl next, mflr, lwzu", test_calls},
		{"modelled ALU instructions", test_model_alu},
		{"modelled loads: indexed, byte-reversed, update", test_model_loads},
		{"modelled encodings decode to their mnemonic (6.1)", test_model_mnemonics},
		{"ground truth G5", test_g5},
		{"segment registers: any logged value", test_sr_gtruth},
		{"hash tables H1, H2", test_h1_h2},
		{"hash tables H3: near misses", test_h3},
		{"hash tables H4: a PTE out of place", test_h4},
		{"show_hashtable H5", test_h5},
		{"hash-table ground truth G3, G4", test_g3_g4},
		{"resolve through BAT, SR and HTAB", test_resolve},
		{"hostile memory", test_hostile},
	};
	unit_add_suite("regrec_ppc", tests, ARRAY_LEN(tests));
}
