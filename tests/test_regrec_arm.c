/*
 * ARM 32-bit register recovery: CP15 site scan (A32, Thumb-2, BE32),
 * region starts, the end-to-end vectors A1-A3 of algo-arm-aarch64.md 7.10
 * with and without registers_values seeds, and Thumb-2 regions (32-bit
 * instructions, IT blocks).
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "memfix.h"
#include "regrec.h"
#include "unit.h"

static const struct regrec_ops *arm(void)
{
	return arch_find("arm")->regrec;
}

static const char *sysreg(const struct regrec_site *s)
{
	return s->sysreg == RR_NO_SYSREG ? "-" : arm()->sysregs[s->sysreg].name;
}

static void test_scan_a32(void)
{
	static const uint32_t words[] = {
		0xEE02AF50, /* mcr p15,0,r10,c2,c0,2: TTBCR */
		0x0E02AF50, /* mcreq: the condition is not checked */
		0xEE024F10, /* TTBR0 */
		0xEE024F30, /* TTBR1 */
		0xEE010F10, /* SCTLR */
		0xEE150F10, /* mrc DFSR */
		0xEE150F30, /* mrc IFSR */
		0xEC410F02, /* mcrr p15,0,r0,r1,c2: TTBR0, 64 bits */
		0xEE12AF50, /* mrc TTBCR (recorded in C) */
		0xFE02AF50, /* cond 1111: MCR2, not a CP15 transfer */
		0xEE07AF15, /* cache maintenance: not in the table */
		0xE3A0A000,
	};
	static const struct {
		const char *reg;
		uint8_t kind, src, src2;
	} want[] = {
		{"ttbcr", RR_WRITE, 10, DF_REG_NONE}, {"ttbcr", RR_WRITE, 10, DF_REG_NONE}, {"ttbr0", RR_WRITE, 4, DF_REG_NONE},
		{"ttbr1", RR_WRITE, 4, DF_REG_NONE},  {"sctlr", RR_WRITE, 0, DF_REG_NONE}, {"dfsr", RR_READ, 0, DF_REG_NONE},
		{"ifsr", RR_READ, 0, DF_REG_NONE},    {"ttbr0", RR_WRITE64, 0, 1},         {"ttbcr", RR_READ, 10, DF_REG_NONE},
	};
	uint8_t buf[sizeof(words)];
	for (int big = 0; big < 2; big++) {
		for (size_t i = 0; i < ARRAY_LEN(words); i++)
			wr32(buf + 4 * i, words[i], big);
		struct regrec_sites out = {0};
		/* big: legacy BE32 instruction words. */
		struct regrec_scan_opts o = {.thumb = false, .instr_big = big};
		regrec_scan_buffer(arm(), &o, 0x8000, buf, sizeof(buf), &out);
		CU_ASSERT_EQUAL_FATAL(out.n, ARRAY_LEN(want));
		for (size_t i = 0; i < out.n; i++) {
			CU_ASSERT_EQUAL(out.v[i].addr, 0x8000 + 4 * i);
			ASSERT_STR_EQ(sysreg(&out.v[i]), want[i].reg);
			CU_ASSERT_EQUAL(out.v[i].kind, want[i].kind);
			CU_ASSERT_EQUAL(out.v[i].src, want[i].src);
			CU_ASSERT_EQUAL(out.v[i].src2, want[i].src2);
			CU_ASSERT_EQUAL(out.v[i].isa, big ? 2 : 0);
		}
		free(out.v);
	}
}

static int cmp_addr(const void *a, const void *b)
{
	const struct regrec_site *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void test_scan_thumb(void)
{
	static const uint8_t mcr[4] = {0x02, 0xEE, 0x50, 0xAF};   /* Thumb mcr p15,0,r10,c2,c0,2 */
	uint8_t buf[0x400] = {0};
	memcpy(buf + 0x100, mcr, 4);
	memcpy(buf + 0x10A, mcr, 4);
	/* Two A32 words in a row: a Thumb reading across them at 0x202 is dropped. */
	wr32(buf + 0x200, 0xEE024F10, false);
	wr32(buf + 0x204, 0xEE02AF50, false);
	/* Straddling the end of the buffer: needs the following bytes. */
	memcpy(buf + 0x3FE, mcr, 2);
	struct regrec_sites out = {0};
	struct regrec_scan_opts o = {.thumb = true};
	arm()->scan(&o, 0x1000, buf, sizeof(buf), mcr + 2, 2, &out);
	CU_ASSERT_EQUAL_FATAL(out.n, 5);
	qsort(out.v, out.n, sizeof(*out.v), cmp_addr);
	static const struct {
		uint64_t addr;
		uint8_t isa;
		const char *reg;
	} want[] = {{0x1100, 1, "ttbcr"}, {0x110A, 1, "ttbcr"}, {0x1200, 0, "ttbr0"}, {0x1204, 0, "ttbcr"}, {0x13FE, 1, "ttbcr"}};
	for (size_t i = 0; i < out.n; i++) {
		CU_ASSERT_EQUAL(out.v[i].addr, want[i].addr);
		CU_ASSERT_EQUAL(out.v[i].isa, want[i].isa);
		ASSERT_STR_EQ(sysreg(&out.v[i]), want[i].reg);
	}
	free(out.v);
	out = (struct regrec_sites){0};
	o.thumb = false;
	arm()->scan(&o, 0x1000, buf, sizeof(buf), mcr + 2, 2, &out);
	CU_ASSERT_EQUAL(out.n, 2);
	free(out.v);
}

/* A1-A3 as assembled, from 0x80008000. */
static const uint32_t a_all[] = {
	/* A1 */ 0xe12fff1e, 0xe3a0a000, 0xee07af15, 0xf57ff04f, 0xee02af50,
	/* 0x80008014 */ 0xe12fff1e,
	/* A2 */ 0xee125f50, 0xe3855102, 0xe3855a03, 0xe3855203, 0xe1500001, 0x93855802, 0xee025f50,
	/* 0x80008034 */ 0xe12fff1e,
	/* A3 */ 0xe59f2024, 0xe3003002, 0xe3403000, 0xe1822003, 0xe3e04007, 0xe0022004, 0xe2822001, 0xe2422001,
	0xe1a06002, 0xee026f50,
};

#define A1_SITE 0x80008010ULL
#define A2_SITE 0x80008030ULL
#define A3_SITE 0x8000805CULL
#define T1_SITE 0x8000900AULL
#define T2_SITE 0x80009026ULL

static void put_thumb(struct memfix *m, uint64_t addr, const uint16_t *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wr16(m->mem + (addr - m->base) + 2 * i, h[i], false);
}

static int open_vectors(struct analysis *a, const char *cpu_extra, uint32_t literal)
{
	/* bx lr; movs r3,#0; cmp r0,#1; it eq; moveq r3,#2; mcr p15,0,r3,c2,c0,2 */
	static const uint16_t t1[] = {0x4770, 0x2300, 0x2801, 0xBF08, 0x2302, 0xEE02, 0x3F50};
	/* bx lr; mov.w r10,#0; mcr p15,0,r10,c2,c0,2 */
	static const uint16_t t2[] = {0x4770, 0xF04F, 0x0A00, 0xEE02, 0xAF50};
	struct memfix m;
	memfix_init(&m, 0x80008000, 0x2000, 0);
	memfix_words(&m, 0x80008000, a_all, ARRAY_LEN(a_all));
	memfix_u32(&m, 0x80008064, literal);
	put_thumb(&m, 0x80009000, t1, ARRAY_LEN(t1));
	put_thumb(&m, 0x80009020, t2, ARRAY_LEN(t2));
	int rc = memfix_open(&m, "arm", "short", 32, cpu_extra, NULL, a);
	memfix_free(&m);
	return rc;
}

static struct df_result site(struct analysis *a, int isa, uint64_t addr, uint8_t reg)
{
	struct df_env env = {.pm = &a->pm, .cfg = &a->cfg, .isa = arm()->isas[isa], .lim = df_default_limits};
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
	CU_ASSERT_EQUAL_FATAL(open_vectors(&a, NULL, 5), 0);
	struct df_env env = {.pm = &a.pm, .isa = arm()->isas[0], .lim = df_default_limits};
	struct df_worker *w = df_worker_new();
	uint64_t start;
	unsigned steps;
	/* bx lr stops; the cache MCR and DSB are crossed. */
	CU_ASSERT_EQUAL(df_region_start(w, &env, A1_SITE, &start, &steps), DF_OK);
	CU_ASSERT_EQUAL(start, 0x80008004);
	/* orrls (conditional) and cmp do not stop. */
	CU_ASSERT_EQUAL(df_region_start(w, &env, A2_SITE, &start, &steps), DF_OK);
	CU_ASSERT_EQUAL(start, 0x80008018);
	/* Thumb: 16-bit and 32-bit instructions walked back to the bx lr. */
	env.isa = arm()->isas[1];
	CU_ASSERT_EQUAL(df_region_start(w, &env, T1_SITE, &start, &steps), DF_OK);
	CU_ASSERT_EQUAL(start, 0x80009002);
	CU_ASSERT_EQUAL(df_region_start(w, &env, T2_SITE, &start, &steps), DF_OK);
	CU_ASSERT_EQUAL(start, 0x80009022);
	df_worker_free(w);
	analysis_close(&a);

	/* beq does not stop; four zero words do (default), or are crossed (parity). */
	struct memfix m;
	memfix_init(&m, 0x80000000, 0x10000, 0);
	static const uint32_t seq[] = {0xe12fff1e, 0, 0, 0, 0, 0x0a000000, 0xe3a0a000, 0xee02af50};
	memfix_words(&m, 0x80000000, seq, ARRAY_LEN(seq));
	/* 10001 mov r0, r0 before a site further on: no start. */
	for (size_t i = 0; i < 10001; i++)
		memfix_words(&m, 0x80001000 + 4 * i, (const uint32_t[]){0xe1a00000}, 1);
	memfix_words(&m, 0x80001000 + 4 * 10001, (const uint32_t[]){0xee02af50}, 1);
	CU_ASSERT_EQUAL_FATAL(memfix_open(&m, "arm", "short", 32, NULL, NULL, &a), 0);
	env.pm = &a.pm;
	env.isa = arm()->isas[0];
	w = df_worker_new();
	CU_ASSERT_EQUAL(df_region_start(w, &env, 0x8000001C, &start, &steps), DF_OK);
	CU_ASSERT_EQUAL(start, 0x80000014);
	env.cross_zeros = true;
	CU_ASSERT_EQUAL(df_region_start(w, &env, 0x8000001C, &start, &steps), DF_OK);
	CU_ASSERT_EQUAL(start, 0x80000004);
	env.cross_zeros = false;
	CU_ASSERT_EQUAL(df_region_start(w, &env, 0x80001000 + 4 * 10001, &start, &steps), DF_NO_START);
	df_worker_free(w);
	analysis_close(&a);
	memfix_free(&m);
}

static void test_a1_a3(void)
{
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(open_vectors(&a, NULL, 5), 0);
	struct df_result r = site(&a, 0, A1_SITE, 10);
	CU_ASSERT_EQUAL(r.status, DF_OK);
	CU_ASSERT(r.val[0].n == 1 && has(&r.val[0], 0, 0));
	/* A2 without a TTBCR seed: EAE known, T0SZ not: partial. */
	r = site(&a, 0, A2_SITE, 5);
	CU_ASSERT_EQUAL(r.status, DF_OK);
	CU_ASSERT(r.val[0].n == 1 && has(&r.val[0], 0xB0003000, 0x4FFFCFFF));
	r = site(&a, 0, A3_SITE, 6);
	CU_ASSERT(r.val[0].n == 1 && has(&r.val[0], 0, 0));
	/* Thumb: the IT-predicated mov gives both values; mov.w gives 0. */
	r = site(&a, 1, T1_SITE, 3);
	CU_ASSERT(r.val[0].n == 2 && has(&r.val[0], 0, 0) && has(&r.val[0], 2, 0));
	r = site(&a, 1, T2_SITE, 10);
	CU_ASSERT(r.val[0].n == 1 && has(&r.val[0], 0, 0));

	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(regrec_find(&a, &(struct regrec_opts){0}, &e), 0);
	const struct regrec_regres *rr = &a.regs->regs[0];
	CU_ASSERT_EQUAL(rr->sites, 5);
	CU_ASSERT_EQUAL(rr->npartial, 1);
	/* 0 from A1, A3 and both Thumb sites; 2 (N = 2) from the IT path. */
	CU_ASSERT_EQUAL_FATAL(rr->ncands, 2);
	CU_ASSERT_EQUAL(rr->cands[0].value, 0);
	CU_ASSERT_EQUAL(rr->cands[0].sites, 4);
	CU_ASSERT_EQUAL(rr->cands[1].value, 2);
	analysis_close(&a);

	/* With the seed and the other literal: A2's two LPAE values, A3's 0x80000000. */
	CU_ASSERT_EQUAL_FATAL(open_vectors(&a, "  registers_values: {TTBCR: 0}\n", 0x80000005), 0);
	r = site(&a, 0, A2_SITE, 5);
	CU_ASSERT(r.val[0].n == 2 && has(&r.val[0], 0xB0003000, 0) && has(&r.val[0], 0xB0023000, 0));
	r = site(&a, 0, A3_SITE, 6);
	CU_ASSERT(r.val[0].n == 1 && has(&r.val[0], 0x80000000, 0));
	CU_ASSERT_EQUAL_FATAL(regrec_find(&a, &(struct regrec_opts){0}, &e), 0);
	rr = &a.regs->regs[0];
	CU_ASSERT_EQUAL(rr->npartial, 0);
	CU_ASSERT_EQUAL(rr->ninvalid, 0);
	CU_ASSERT_EQUAL_FATAL(rr->ncands, 4);
	/* 0: A1, both Thumb sites and the config. */
	CU_ASSERT_EQUAL(rr->cands[0].value, 0);
	CU_ASSERT_EQUAL(rr->cands[0].sites, 3);
	CU_ASSERT(rr->cands[0].config);
	/* A3's 0x80000000 and A2's 0xB0003000 differ only in SH/RGN: one MMU class (4.1). */
	CU_ASSERT_EQUAL(rr->cands[1].value, 0x80000000);
	CU_ASSERT_EQUAL(rr->cands[1].unknown, 0x30003000);
	CU_ASSERT_EQUAL(rr->cands[1].sites, 2);
	CU_ASSERT_EQUAL(rr->cands[1].nelems, 2);
	/* Then the one-site classes, the split LPAE one first. */
	CU_ASSERT_EQUAL(rr->cands[2].value, 0xB0023000);
	CU_ASSERT_EQUAL(rr->cands[3].value, 2);
	analysis_close(&a);

	/* --assume-reset: the mrc of TTBCR reads its reset value 0, as the seed does. */
	CU_ASSERT_EQUAL_FATAL(open_vectors(&a, NULL, 5), 0);
	CU_ASSERT_EQUAL_FATAL(regrec_find(&a, &(struct regrec_opts){.assume_reset = true}, &e), 0);
	CU_ASSERT_EQUAL(a.regs->regs[0].npartial, 0);
	CU_ASSERT_EQUAL(a.regs->regs[0].ncands, 4);
	analysis_close(&a);
}

/* Legacy BE32: A1 with big-endian instruction words, found and analysed with --be32 only. */
static void test_be32(void)
{
	static const uint32_t a1[] = {0xe12fff1e, 0xe3a0a000, 0xee07af15, 0xf57ff04f, 0xee02af50, 0xe12fff1e};
	struct memfix m;
	struct analysis a;
	memfix_init(&m, 0x80008000, 0x1000, 1);
	for (size_t i = 0; i < ARRAY_LEN(a1); i++)
		wr32(m.mem + 4 * i, a1[i], true);
	CU_ASSERT_EQUAL_FATAL(memfix_open(&m, "arm", "short", 32, NULL, NULL, &a), 0);
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(regrec_find(&a, &(struct regrec_opts){0}, &e), 0);
	CU_ASSERT_EQUAL(a.regs->regs[0].sites, 0);
	CU_ASSERT_EQUAL_FATAL(regrec_find(&a, &(struct regrec_opts){.be32 = true}, &e), 0);
	CU_ASSERT_EQUAL(a.regs->regs[0].sites, 1);
	CU_ASSERT_EQUAL_FATAL(a.regs->regs[0].ncands, 1);
	CU_ASSERT_EQUAL(a.regs->regs[0].cands[0].value, 0);
	CU_ASSERT_EQUAL(a.regs->res[0].r.start, 0x80008004);
	analysis_close(&a);
	memfix_free(&m);
}

/*
 * One instruction (or idiom) at a time, as llvm-mc -triple=armv7a (or
 * thumbv7a) assembles it: each case is "bx lr; ...; mcr p15, 0, r1, c2,
 * c0, 2; bx lr" followed by the literals 0x80000010 and 0x11223344, and
 * the value of r1 at the mcr is checked.  rel: the value is an address, an
 * offset from the case's first word.
 */
struct insn_case {
	const char *name;
	uint32_t w[10];
	uint32_t v;
	bool rel;
};

#define LIT 0x80000010, 0x11223344

static const struct insn_case a32_cases[] = {
	{"eor immediate", {0xe12fff1e, 0xe3a020ff, 0xe22210f0, 0xee021f50, 0xe12fff1e}, 0x0f, false},
	{"eor register", {0xe12fff1e, 0xe3a020ff, 0xe3a0300f, 0xe0221003, 0xee021f50, 0xe12fff1e}, 0xf0, false},
	{"bic", {0xe12fff1e, 0xe3e02000, 0xe3c210ff, 0xee021f50, 0xe12fff1e}, 0xffffff00, false},
	{"rsb", {0xe12fff1e, 0xe3a02003, 0xe2621010, 0xee021f50, 0xe12fff1e}, 13, false},
	{"orr with an lsl #4 operand", {0xe12fff1e, 0xe3a02001, 0xe3a03003, 0xe1821203, 0xee021f50, 0xe12fff1e}, 0x31, false},
	{"add with an lsr #1 operand", {0xe12fff1e, 0xe3a02001, 0xe3a03003, 0xe08210a3, 0xee021f50, 0xe12fff1e}, 2, false},
	{"add with an lsl register operand",
	 {0xe12fff1e, 0xe3a02001, 0xe3a03003, 0xe3a04002, 0xe0821413, 0xee021f50, 0xe12fff1e}, 13, false},
	{"mov with an asr #4 operand", {0xe12fff1e, 0xe3e030ff, 0xe1a01243, 0xee021f50, 0xe12fff1e}, 0xfffffff0, false},
	/* PC reads 8 ahead. */
	{"add r1, pc, #8 (ADR)", {0xe12fff1e, 0xe28f1008, 0xee021f50, 0xe12fff1e}, 0x14, true},
	{"sub r1, pc, #4 (ADR)", {0xe12fff1e, 0xe24f1004, 0xee021f50, 0xe12fff1e}, 0x8, true},
	{"ldr [Rn, #d]", {0xe12fff1e, 0xe28f2008, 0xe5921004, 0xee021f50, 0xe12fff1e, LIT}, 0x11223344, false},
	{"ldrb", {0xe12fff1e, 0xe28f2008, 0xe5d21005, 0xee021f50, 0xe12fff1e, LIT}, 0x33, false},
	{"ldrh", {0xe12fff1e, 0xe28f2008, 0xe1d210b6, 0xee021f50, 0xe12fff1e, LIT}, 0x1122, false},
	/* The counter never settles; the value written after the loop is a constant. */
	{"loop, cmp r1, r0; bne",
	 {0xe12fff1e, 0xe3a01000, 0xe2811001, 0xe1510000, 0x1afffffc, 0xe3a01002, 0xee021f50, 0xe12fff1e}, 2, false},
	{"loop, cmp r1, #5; blt",
	 {0xe12fff1e, 0xe3a01000, 0xe2811001, 0xe3510005, 0xbafffffc, 0xe3a01002, 0xee021f50, 0xe12fff1e}, 2, false},
};

/* Thumb-2 loops, in halfwords. */
static const struct {
	const char *name;
	uint16_t h[16];
} thumb_loops[] = {
	{"Thumb loop, cmp r1, #5; blt", {0x4770, 0x2100, 0x3101, 0x2905, 0xDBFC, 0x2102, 0xEE02, 0x1F50, 0x4770}},
	{"Thumb-2 loop, cmp.w r1, r0; bne.w",
	 {0x4770, 0xF04F, 0x0100, 0xF101, 0x0101, 0xEBB1, 0x0F00, 0xF47F, 0xAFFA, 0xF04F, 0x0102, 0xEE02, 0x1F50, 0x4770}},
};

#define CASE_BASE 0x80100000ULL
#define CASE_STRIDE 0x100

static void check_case(struct analysis *a, int isa, const char *name, uint64_t at, uint32_t want)
{
	struct df_result r = site(a, isa, at, 1);
	bool ok = r.status == DF_OK && r.val[0].n == 1 && has(&r.val[0], want, 0);
	if (!ok)
		fprintf(stderr, "\n  %s: status %d, %u values, first 0x%llx (unknown 0x%llx)\n", name, r.status, r.val[0].n,
			(unsigned long long)r.val[0].t[0].v, (unsigned long long)r.val[0].t[0].m);
	CU_ASSERT(ok);
}

static void test_instructions(void)
{
	struct memfix m;
	struct analysis a;
	size_t n = ARRAY_LEN(a32_cases) + ARRAY_LEN(thumb_loops);
	memfix_init(&m, CASE_BASE, CASE_STRIDE * n, 0);
	for (size_t i = 0; i < ARRAY_LEN(a32_cases); i++)
		memfix_words(&m, CASE_BASE + CASE_STRIDE * i, a32_cases[i].w, ARRAY_LEN(a32_cases[i].w));
	for (size_t i = 0; i < ARRAY_LEN(thumb_loops); i++)
		put_thumb(&m, CASE_BASE + CASE_STRIDE * (ARRAY_LEN(a32_cases) + i), thumb_loops[i].h,
			  ARRAY_LEN(thumb_loops[i].h));
	CU_ASSERT_EQUAL_FATAL(memfix_open(&m, "arm", "short", 32, NULL, NULL, &a), 0);
	for (size_t i = 0; i < ARRAY_LEN(a32_cases); i++) {
		const struct insn_case *c = &a32_cases[i];
		uint64_t base = CASE_BASE + CASE_STRIDE * i, at = base;
		while (at < base + 4 * ARRAY_LEN(c->w) && c->w[(at - base) / 4] != 0xee021f50)
			at += 4;
		check_case(&a, 0, c->name, at, c->v + (c->rel ? (uint32_t)base : 0));
	}
	for (size_t i = 0; i < ARRAY_LEN(thumb_loops); i++) {
		uint64_t base = CASE_BASE + CASE_STRIDE * (ARRAY_LEN(a32_cases) + i), at = base;
		while (thumb_loops[i].h[(at - base) / 2] != 0xEE02)
			at += 2;
		check_case(&a, 1, thumb_loops[i].name, at, 2);
	}
	analysis_close(&a);
	memfix_free(&m);
}

static void test_validity(void)
{
	const struct regrec_reg *t = &arm()->regs[0];
	CU_ASSERT_PTR_NULL(regrec_check(t, 0, 0));
	CU_ASSERT_PTR_NULL(regrec_check(t, 0xB5023500, 0));
	ASSERT_STR_EQ(regrec_check(t, 0x40, 0), "reserved bits set (0x40)");
	ASSERT_STR_EQ(regrec_check(t, 0x8, 0), "reserved bits set (0x8)");
	ASSERT_STR_EQ(regrec_check(t, 0x80001000, 0), "SH0 = 01 is reserved");
	ASSERT_STR_EQ(regrec_check(t, 0x80000078, 0), "reserved bits set (0x78)");
	/* EAE unknown: every bit is needed. */
	CU_ASSERT_EQUAL(regrec_needed(t, 0, 0x80000000), ~0ULL);
	CU_ASSERT_EQUAL(regrec_needed(t, 0, 0), 0x80000007ULL);
	CU_ASSERT_EQUAL(regrec_needed(t, 0x80000000, 0), 0x80070007ULL);
	ASSERT_STR_EQ(regrec_layout_of(t, 0x80000000)->name, "long");
	unsigned of;
	CU_ASSERT_EQUAL(regrec_score(t, 1, 0, 0, &of), 1);
	CU_ASSERT_EQUAL(of, 2);
	CU_ASSERT_EQUAL(regrec_score(t, 0xB5003500, 0, 0xB5023500, &of), 2);
	CU_ASSERT_EQUAL(of, 3);
}

void register_regrec_arm_tests(void)
{
	static const struct unit_test tests[] = {
		{"A32 site scan vectors, LE and BE32", test_scan_a32},
		{"Thumb-2 site scan", test_scan_thumb},
		{"region start", test_region_start},
		{"vectors A1-A3 and Thumb, with and without seeds", test_a1_a3},
		{"BE32 instruction words", test_be32},
		{"TTBCR validity, layouts, score", test_validity},
		{"one instruction at a time, and loops", test_instructions},
	};
	unit_add_suite("regrec_arm", tests, ARRAY_LEN(tests));
}
