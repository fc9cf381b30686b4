/*
 * AArch64 register recovery: site scan vectors, region starts and the
 * end-to-end vectors V1-V4 of algo-arm-aarch64.md 7.10 (words as GNU as
 * assembles them, little-endian, at physical 0x40080000).
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "memfix.h"
#include "regrec.h"
#include "unit.h"

static const struct regrec_ops *a64(void)
{
	return arch_find("aarch64")->regrec;
}

static const char *sysreg(const struct regrec_site *s)
{
	return s->sysreg == RR_NO_SYSREG ? "-" : a64()->sysregs[s->sysreg].name;
}

static void test_scan(void)
{
	static const uint32_t words[] = {
		0xD518204A, /* msr tcr_el1, x10 */
		0xD51D204A, /* msr tcr_el12, x10 */
		0xD5182001, /* msr ttbr0_el1, x1 */
		0xD5182021, /* msr ttbr1_el1, x1 */
		0xD5385200, /* mrs x0, esr_el1 */
		0xD5386000, /* mrs x0, far_el1 */
		0xD5384020, /* mrs x0, elr_el1 (not in the original) */
		0xD5380705, /* mrs x5, id_aa64mmfr0_el1 */
		0xD65F03C0, /* ret */
		0xD65F0060, /* ret x3 */
		0xD69F03E0, /* eret */
		0xD61F0060, /* br x3 */
		0xD63F0060, /* blr x3 */
		0xD518205F, /* msr tcr_el1, xzr: not a site */
		0xD5380000, /* mrs x0, midr_el1: not in the table */
		0x12345678,
	};
	static const struct {
		const char *reg;
		uint8_t kind, src;
	} want[] = {
		{"tcr_el1", RR_WRITE, 10}, {"tcr_el12", RR_WRITE, 10}, {"ttbr0_el1", RR_WRITE, 1}, {"ttbr1_el1", RR_WRITE, 1},
		{"esr_el1", RR_READ, 0},   {"far_el1", RR_READ, 0},    {"elr_el1", RR_READ, 0},   {"id_aa64mmfr0_el1", RR_READ, 5},
		{"-", RR_RET, DF_REG_NONE}, {"-", RR_RET, DF_REG_NONE}, {"-", RR_ERET, DF_REG_NONE}, {"-", RR_BR, DF_REG_NONE},
		{"-", RR_BLR, DF_REG_NONE},
	};
	uint8_t buf[4 + sizeof(words)];
	for (int big = 0; big < 2; big++) {
		for (size_t off = 0; off <= 4; off += 4) {
			memset(buf, 0, sizeof(buf));
			for (size_t i = 0; i < ARRAY_LEN(words); i++)
				wr32(buf + off + 4 * i, words[i], false);
			struct regrec_sites out = {0};
			/* A64 words are little-endian even when instr_big asks otherwise. */
			struct regrec_scan_opts o = {.instr_big = big};
			regrec_scan_buffer(a64(), &o, 0x1000, buf, sizeof(buf), &out);
			CU_ASSERT_EQUAL_FATAL(out.n, ARRAY_LEN(want));
			for (size_t i = 0; i < out.n; i++) {
				CU_ASSERT_EQUAL(out.v[i].addr, 0x1000 + off + 4 * i);
				ASSERT_STR_EQ(sysreg(&out.v[i]), want[i].reg);
				CU_ASSERT_EQUAL(out.v[i].kind, want[i].kind);
				CU_ASSERT_EQUAL(out.v[i].src, want[i].src);
			}
			free(out.v);
		}
	}
	/* Unaligned buffer start: words counted from the next aligned address. */
	memset(buf, 0, sizeof(buf));
	wr32(buf + 2, 0xD518204A, false);
	struct regrec_sites out = {0};
	regrec_scan_buffer(a64(), &(struct regrec_scan_opts){0}, 0x0FFE, buf, 8, &out);
	CU_ASSERT_EQUAL(out.n, 1);
	if (out.n)
		CU_ASSERT_EQUAL(out.v[0].addr, 0x1000);
	free(out.v);
}

/* The A64 vectors, contiguous as assembled. */
static const uint32_t v_all[] = {
	/* V1 0x40080000 */ 0xd286a32a, 0xf2b6a20a, 0xf2c0002a, 0xd518204a,
	/* V2 0x40080010 */ 0xd286a00a, 0xf2b6a20a, 0xb0000009, 0xf9400129, 0xb340152a, 0xd5380705, 0xd34008a5,
	0xd28000a6, 0xeb0600bf, 0x9a8580c5, 0xb36008aa, 0xd518204a, 0xd65f03c0,
	/* V3 0x40080044 */ 0xd2800321, 0xb4000040, 0xd2800201, 0xb2610021, 0xd5182041,
	/* 0x40080058 */ 0xd65f03c0,
	/* V4 0x4008005c */ 0x58000122, 0x52800043, 0xd3628463, 0xaa030042, 0x9260f442, 0x8a240042, 0xd5182042,
};

#define V1_SITE 0x4008000CULL
#define V2_SITE 0x4008003CULL
#define V3_SITE 0x40080054ULL
#define V4_SITE 0x40080074ULL

static int open_vectors(struct analysis *a, const char *cpu_extra)
{
	struct memfix m;
	memfix_init(&m, 0x40080000, 0x2000, 0);
	memfix_words(&m, 0x40080000, v_all, ARRAY_LEN(v_all));
	memfix_u64(&m, 0x40080080, 0x0000000080100010ULL);   /* V4's literal */
	memfix_u64(&m, 0x40081000, 0x19);                    /* V2's idmap_t0sz */
	int rc = memfix_open(&m, "aarch64", "long", 64, cpu_extra, NULL, a);
	memfix_free(&m);
	return rc;
}

static struct df_result site(struct analysis *a, uint64_t addr, uint8_t reg)
{
	struct df_env env = {.pm = &a->pm, .cfg = &a->cfg, .isa = a64()->isas[0], .lim = df_default_limits};
	df_env_seed_from_config(&env);
	struct df_worker *w = df_worker_new();
	struct df_result r;
	uint8_t q[1] = {reg};
	df_analyse(w, &env, addr, q, 1, &r);
	df_worker_free(w);
	return r;
}

static bool has(const struct vset *s, uint64_t v, uint64_t m)
{
	for (uint8_t i = 0; i < s->n; i++)
		if (s->t[i].v == v && s->t[i].m == m)
			return true;
	return false;
}

static void test_region_start(void)
{
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(open_vectors(&a, NULL), 0);
	struct df_env env = {.pm = &a.pm, .isa = a64()->isas[0], .lim = df_default_limits};
	struct df_worker *w = df_worker_new();
	uint64_t start;
	unsigned steps;
	/* The word before 0x40080000 lies outside RAM. */
	CU_ASSERT_EQUAL(df_region_start(w, &env, V1_SITE, &start, &steps), DF_OK);
	CU_ASSERT_EQUAL(start, 0x40080000);
	/* The msr at 0x4008000c is not a stop: V2 starts at 0x40080000 too. */
	CU_ASSERT_EQUAL(df_region_start(w, &env, V2_SITE, &start, &steps), DF_OK);
	CU_ASSERT_EQUAL(start, 0x40080000);
	/* ret stops. */
	CU_ASSERT_EQUAL(df_region_start(w, &env, V3_SITE, &start, &steps), DF_OK);
	CU_ASSERT_EQUAL(start, 0x40080044);
	CU_ASSERT_EQUAL(df_region_start(w, &env, V4_SITE, &start, &steps), DF_OK);
	CU_ASSERT_EQUAL(start, 0x4008005C);
	/* An undecodable word (0) stops: the zero words after V4. */
	CU_ASSERT_EQUAL(df_region_start(w, &env, 0x40080100, &start, &steps), DF_SITE_UNDECODABLE);
	df_worker_free(w);
	analysis_close(&a);

	/* A long run without a stop: 10001 nops before the site -> no start. */
	struct memfix m;
	memfix_init(&m, 0x40000000, 0x10000, 0);
	for (size_t i = 0; i < 10001; i++)
		memfix_words(&m, 0x40000000 + 4 * i, (const uint32_t[]){0xD503201F}, 1);
	memfix_words(&m, 0x40000000 + 4 * 10001, (const uint32_t[]){0xD518204A}, 1);
	CU_ASSERT_EQUAL_FATAL(memfix_open(&m, "aarch64", "long", 64, NULL, NULL, &a), 0);
	env.pm = &a.pm;
	w = df_worker_new();
	CU_ASSERT_EQUAL(df_region_start(w, &env, 0x40000000 + 4 * 10001, &start, &steps), DF_NO_START);
	/* 9999 of them are fine. */
	CU_ASSERT_EQUAL(df_region_start(w, &env, 0x40000000 + 4 * 10001 - 4 * 9999, &start, &steps), DF_OK);
	df_worker_free(w);
	analysis_close(&a);
	memfix_free(&m);
}

static void test_v1_v4(void)
{
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(open_vectors(&a, NULL), 0);
	/* V1: a constant. */
	struct df_result r = site(&a, V1_SITE, 10);
	CU_ASSERT_EQUAL(r.status, DF_OK);
	CU_ASSERT(r.val[0].n == 1 && has(&r.val[0], 0x1B5103519ULL, 0));
	/* V2: T0SZ from memory, IPS from ID_AA64MMFR0_EL1 (unknown). */
	r = site(&a, V2_SITE, 10);
	CU_ASSERT_EQUAL(r.status, DF_OK);
	CU_ASSERT(r.val[0].n == 1 && has(&r.val[0], 0xB5103519ULL, 0x700000000ULL));
	/* V3: a branch join. */
	r = site(&a, V3_SITE, 1);
	CU_ASSERT(r.val[0].n == 2 && has(&r.val[0], 0x80000019, 0) && has(&r.val[0], 0x80000010, 0));
	/* V4: x4 unknown: bits 4 and 20 unknown. */
	r = site(&a, V4_SITE, 2);
	CU_ASSERT(r.val[0].n == 1 && has(&r.val[0], 0, 0x00100010));

	/* Candidates: V1 and V2 are one class (same T0SZ, T1SZ, TG0, TG1); V3 two more; V4 partial. */
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(regrec_find(&a, &(struct regrec_opts){0}, &e), 0);
	const struct regrec_regres *rr = &a.regs->regs[0];
	CU_ASSERT_EQUAL(rr->sites, 4);
	CU_ASSERT_EQUAL(rr->ncands, 3);
	CU_ASSERT_EQUAL(rr->npartial, 1);
	CU_ASSERT_EQUAL(rr->ninvalid, 0);
	CU_ASSERT_EQUAL_FATAL(rr->ncands, 3);
	const struct regrec_cand *c = &rr->cands[0];
	CU_ASSERT_EQUAL(c->sites, 2);
	CU_ASSERT_EQUAL(c->value, 0xB5103519ULL);
	CU_ASSERT_EQUAL(c->unknown, 0x700000000ULL);
	CU_ASSERT_EQUAL(c->first_site, V1_SITE);
	CU_ASSERT_EQUAL(c->nelems, 2);
	const struct regrec_reg *tcr = &a64()->regs[0];
	struct sbuf f = {0};
	regrec_format_fields(tcr, c->value, c->unknown, false, &f);
	CU_ASSERT_PTR_NOT_NULL(strstr(f.s, "T0SZ:0x19, "));
	CU_ASSERT_PTR_NOT_NULL(strstr(f.s, "TG0:0x0, T1SZ:0x10, "));
	CU_ASSERT_PTR_NOT_NULL(strstr(f.s, "TG1:0x2, IPS:?, "));
	sbuf_free(&f);
	/* The same fields as a list: name, value, known, and the bits each covers. */
	struct regrec_field_val fv[REGREC_MAX_FIELDS];
	size_t nf = regrec_field_list(tcr, c->value, c->unknown, fv);
	CU_ASSERT_FATAL(nf > 2);
	ASSERT_STR_EQ(fv[0].name, "T0SZ");
	CU_ASSERT(fv[0].known && fv[0].value == 0x19 && fv[0].mask == 0x3f);
	for (size_t i = 0; i < nf; i++)
		if (!strcmp(fv[i].name, "IPS"))
			CU_ASSERT(!fv[i].known && fv[i].mask == 0x700000000ULL);
	/* V3's: T1SZ 0 is implausible but valid; 0x80000010 (T0SZ 16) ranks above 0x80000019 (T0SZ 25)? Both in range: by value. */
	CU_ASSERT_EQUAL(rr->cands[1].value, 0x80000010);
	CU_ASSERT_EQUAL(rr->cands[2].value, 0x80000019);
	/* Valid, but find_tables cannot use T1SZ 0: never selected. */
	CU_ASSERT_TRUE(rr->cands[0].usable);
	CU_ASSERT_FALSE(rr->cands[1].usable || rr->cands[2].usable);
	ASSERT_STR_EQ(rr->cands[1].unusable, "T1SZ 0 is below 16, the smallest size (48-bit VAs)");
	CU_ASSERT_EQUAL(regrec_selected(rr), 0);
	uint64_t v;
	const char *origin;
	CU_ASSERT_EQUAL(registers_value(&a, "tcr_el1", &v, &origin), 0);
	CU_ASSERT_EQUAL(v, 0xB5103519ULL);
	ASSERT_STR_EQ(origin, "recovered");
	analysis_close(&a);
}

static void test_seeds(void)
{
	struct analysis a;
	/* With ID_AA64MMFR0_EL1 the compare decides the csel: IPS 5 exactly. With X4: 0, V4 is accepted. */
	CU_ASSERT_EQUAL_FATAL(open_vectors(&a, "  registers_values: {ID_AA64MMFR0_EL1: 0x5, X4: 0}\n"), 0);
	struct df_result r = site(&a, V2_SITE, 10);
	CU_ASSERT(r.val[0].n == 1 && has(&r.val[0], 0x5B5103519ULL, 0));
	r = site(&a, V4_SITE, 2);
	CU_ASSERT(r.val[0].n == 1 && has(&r.val[0], 0x00100010, 0));
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(regrec_find(&a, &(struct regrec_opts){0}, &e), 0);
	const struct regrec_regres *rr = &a.regs->regs[0];
	CU_ASSERT_EQUAL(rr->npartial, 0);
	CU_ASSERT_EQUAL_FATAL(rr->ncands, 4);
	/* TG1 = 00 is reserved: accepted, ranked last among the one-site classes. */
	CU_ASSERT_EQUAL(rr->cands[3].value, 0x00100010);
	CU_ASSERT(rr->cands[3].plaus < rr->cands[1].plaus);
	analysis_close(&a);

	/* A value in the YAML is a candidate marked config; the code's class wins on sites. */
	CU_ASSERT_EQUAL_FATAL(open_vectors(&a, "  registers_values: {TCR_EL1: 0x80000010}\n"), 0);
	CU_ASSERT_EQUAL_FATAL(regrec_find(&a, &(struct regrec_opts){0}, &e), 0);
	rr = &a.regs->regs[0];
	CU_ASSERT_EQUAL_FATAL(rr->ncands, 3);
	CU_ASSERT(rr->cands[1].config && rr->cands[1].value == 0x80000010);
	analysis_close(&a);
}

/*
 * One instruction (or idiom) at a time, as llvm-mc -triple=aarch64
 * assembles it: each case is "ret; ...; msr tcr_el1, x1; ret" followed by
 * the literals 0x80000010 (a doubleword) and 0x1122334455667788, and the
 * value of x1 at the msr is checked.  rel: the value is an address, an
 * offset from the case's first word.
 */
struct insn_case {
	const char *name;
	uint32_t w[12];
	uint64_t v[2];
	uint8_t nv;
	bool rel;
};

static const struct insn_case a64_cases[] = {
	{"movn", {0xd65f03c0, 0x92824681, 0xd5182041, 0xd65f03c0}, {0xFFFFFFFFFFFFEDCBULL}, 1, false},
	{"movn w1, #0x1234, lsl #16", {0xd65f03c0, 0x12a24681, 0xd5182041, 0xd65f03c0}, {0xEDCBFFFF}, 1, false},
	{"eor register", {0xd65f03c0, 0xd29fe002, 0xd281fe03, 0xca030041, 0xd5182041, 0xd65f03c0}, {0xf0f0}, 1, false},
	{"eor immediate", {0xd65f03c0, 0xd29fe002, 0xd2401c41, 0xd5182041, 0xd65f03c0}, {0xffff}, 1, false},
	{"orn", {0xd65f03c0, 0xd2802002, 0x928001e3, 0xaa230041, 0xd5182041, 0xd65f03c0}, {0x10f}, 1, false},
	{"asr X", {0xd65f03c0, 0x92801fe2, 0x9344fc41, 0xd5182041, 0xd65f03c0}, {0xFFFFFFFFFFFFFFF0ULL}, 1, false},
	{"asr W", {0xd65f03c0, 0x52b00002, 0x13047c41, 0xd5182041, 0xd65f03c0}, {0xF8000000}, 1, false},
	{"lslv (amount mod 64)", {0xd65f03c0, 0xd2800062, 0xd2800883, 0x9ac32041, 0xd5182041, 0xd65f03c0}, {0x30}, 1, false},
	{"lsrv W (amount mod 32)", {0xd65f03c0, 0x52b00002, 0xd2800423, 0x1ac32441, 0xd5182041, 0xd65f03c0}, {0x40000000}, 1,
	 false},
	{"ubfiz", {0xd65f03c0, 0xd29579a2, 0xd3780c41, 0xd5182041, 0xd65f03c0}, {0xd00}, 1, false},
	{"sbfx", {0xd65f03c0, 0xd281f002, 0x93442c41, 0xd5182041, 0xd65f03c0}, {0xFFFFFFFFFFFFFFF8ULL}, 1, false},
	{"sxtw", {0xd65f03c0, 0x52b00002, 0x93407c41, 0xd5182041, 0xd65f03c0}, {0xFFFFFFFF80000000ULL}, 1, false},
	{"uxtw (ubfx #0, #32)", {0xd65f03c0, 0x92800002, 0xd3407c41, 0xd5182041, 0xd65f03c0}, {0xFFFFFFFF}, 1, false},
	{"add with a uxtw operand", {0xd65f03c0, 0x92800002, 0xd2800203, 0x8b224061, 0xd5182041, 0xd65f03c0},
	 {0x10000000FULL}, 1, false},
	{"add with a sxtw operand", {0xd65f03c0, 0x92800002, 0xd2800203, 0x8b22c061, 0xd5182041, 0xd65f03c0}, {0xF}, 1,
	 false},
	{"adr", {0xd65f03c0, 0x10000101, 0xd5182041, 0xd65f03c0}, {0x24}, 1, true},
	{"ldrsw literal", {0xd65f03c0, 0x98000061, 0xd5182041, 0xd65f03c0, 0x80000010, 0}, {0xFFFFFFFF80000010ULL}, 1, false},
	{"ldr [Xn, #imm]",
	 {0xd65f03c0, 0x100000a2, 0xf9400441, 0xd5182041, 0xd65f03c0, 0xd503201f, 0x80000010, 0, 0x55667788, 0x11223344},
	 {0x1122334455667788ULL}, 1, false},
	{"ldr W [Xn, #imm]",
	 {0xd65f03c0, 0x100000a2, 0xb9400c41, 0xd5182041, 0xd65f03c0, 0xd503201f, 0x80000010, 0, 0x55667788, 0x11223344},
	 {0x11223344}, 1, false},
	/* Writeback: the base moves by 16 (the pair itself is not read). */
	{"ldp pre-index writeback", {0xd65f03c0, 0x100000a1, 0xa9c11023, 0xd5182041, 0xd65f03c0, 0xd503201f}, {0x28}, 1,
	 true},
	{"ldp post-index writeback", {0xd65f03c0, 0x100000a1, 0xa8c11023, 0xd5182041, 0xd65f03c0, 0xd503201f}, {0x28}, 1,
	 true},
	/* Flags unknown: x2 or x3 + 1. */
	{"csinc", {0xd65f03c0, 0xd28000a2, 0xd28000e3, 0xf100001f, 0x9a830441, 0xd5182041, 0xd65f03c0}, {5, 8}, 2, false},
	/* The counter never settles; the value written after the loop is a constant. */
	{"loop, cmp x1, x0; b.ne", {0xd65f03c0, 0xd2800001, 0x91000421, 0xeb00003f, 0x54ffffc1, 0xd2800041, 0xd5182041,
				     0xd65f03c0},
	 {2}, 1, false},
	{"loop, cmp x1, #5; b.lt", {0xd65f03c0, 0xd2800001, 0x91000421, 0xf100143f, 0x54ffffcb, 0xd2800041, 0xd5182041,
				     0xd65f03c0},
	 {2}, 1, false},
};

#define CASE_BASE 0x40100000ULL
#define CASE_STRIDE 0x100

static void test_instructions(void)
{
	struct memfix m;
	struct analysis a;
	memfix_init(&m, CASE_BASE, CASE_STRIDE * ARRAY_LEN(a64_cases), 0);
	for (size_t i = 0; i < ARRAY_LEN(a64_cases); i++)
		memfix_words(&m, CASE_BASE + CASE_STRIDE * i, a64_cases[i].w, ARRAY_LEN(a64_cases[i].w));
	CU_ASSERT_EQUAL_FATAL(memfix_open(&m, "aarch64", "long", 64, NULL, NULL, &a), 0);
	for (size_t i = 0; i < ARRAY_LEN(a64_cases); i++) {
		const struct insn_case *c = &a64_cases[i];
		uint64_t base = CASE_BASE + CASE_STRIDE * i, at = base;
		while (at < base + 4 * ARRAY_LEN(c->w) && c->w[(at - base) / 4] != 0xd5182041)
			at += 4;
		struct df_result r = site(&a, at, 1);
		bool ok = r.status == DF_OK && r.val[0].n == c->nv;
		for (uint8_t k = 0; k < c->nv; k++)
			ok &= has(&r.val[0], c->v[k] + (c->rel ? base : 0), 0);
		if (!ok)
			fprintf(stderr, "\n  %s: status %d, %u values, first 0x%llx (unknown 0x%llx)\n", c->name, r.status,
				r.val[0].n, (unsigned long long)r.val[0].t[0].v, (unsigned long long)r.val[0].t[0].m);
		CU_ASSERT(ok);
	}
	analysis_close(&a);
	memfix_free(&m);
}

static void test_validity(void)
{
	const struct regrec_reg *tcr = &a64()->regs[0];
	CU_ASSERT_PTR_NULL(regrec_check(tcr, 0x500074B5503510ULL, 0));
	ASSERT_STR_EQ(regrec_check(tcr, 0x40, 0), "reserved bits set (0x40)");
	ASSERT_STR_EQ(regrec_check(tcr, 1ULL << 60, 0), "reserved bits set (0x1000000000000000)");
	ASSERT_STR_EQ(regrec_check(tcr, 0xC000, 0), "TG0 and TG1 both reserved");
	/* TxSZ above the granule's largest (FEAT_TTST: 48, 47 with 64 KiB) has no table. */
	ASSERT_STR_EQ(regrec_check(tcr, 0x80004030, 0), "T0SZ 48 is above 47, the largest with a 64 KiB granule");
	CU_ASSERT_PTR_NULL(regrec_check(tcr, 0x80100030, 0));
	ASSERT_STR_EQ(regrec_check(tcr, 0xC0310010, 0), "T1SZ 49 is above 47, the largest with a 64 KiB granule");
	/* A reserved TG1 takes TG0's granule (16 KiB: 48 allowed). */
	CU_ASSERT_PTR_NULL(regrec_check(tcr, 0x00308010, 0));
	/* Below 16: valid (V3), not usable. */
	CU_ASSERT_PTR_NULL(regrec_check(tcr, 0x80000019, 0));
	ASSERT_STR_EQ(regrec_unusable(tcr, NULL, 0x80000019, 0), "T1SZ 0 is below 16, the smallest size (48-bit VAs)");
	ASSERT_STR_EQ(regrec_unusable(tcr, NULL, 0xC010400C, 0), "T0SZ 12 means 52-bit VAs (FEAT_LVA), which are not supported");
	CU_ASSERT_PTR_NULL(regrec_unusable(tcr, NULL, 0x80100010, 0));
	/* Unknown reserved bits are allowed. */
	CU_ASSERT_PTR_NULL(regrec_check(tcr, 0x80000010, 0x40));
	CU_ASSERT_EQUAL(regrec_needed(tcr, 0, 0), 0xC03FC03FULL);
	unsigned of;
	CU_ASSERT_EQUAL(regrec_score(tcr, 0x80100010, 0, 0x80100010, &of), 4);
	CU_ASSERT_EQUAL(of, 4);
	CU_ASSERT_EQUAL(regrec_score(tcr, 0x80100019, 0, 0x80100010, NULL), 3);
	CU_ASSERT_EQUAL(regrec_score(tcr, 0x80100010, 0x1, 0x80100010, NULL), 3);
}

void register_regrec_aarch64_tests(void)
{
	static const struct unit_test tests[] = {
		{"site scan vectors", test_scan},
		{"region start", test_region_start},
		{"vectors V1-V4", test_v1_v4},
		{"vectors with registers_values seeds", test_seeds},
		{"TCR_EL1 validity and score", test_validity},
		{"one instruction at a time, and loops", test_instructions},
	};
	unit_add_suite("regrec_aarch64", tests, ARRAY_LEN(tests));
}
