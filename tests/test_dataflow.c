/*
 * The dataflow engine without ARM: tnum algebra against brute force, value
 * sets, and the engine's delay-slot / branch-likely / walk rules through a
 * small MIPS32 test front-end (the vectors of algo-mips-ppc-gtruth.md 6.9
 * that exercise the engine), plus robustness on random bytes for every
 * front-end the architectures register.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "dataflow.h"
#include "memfix.h"
#include "regrec.h"
#include "tnum.h"
#include "unit.h"

/* ---- tnum against brute force ---- */

/* Every tnum of width w, in a fixed order. */
static size_t all_tnums(unsigned w, struct tnum *out)
{
	size_t n = 0;
	uint64_t lim = 1ULL << w;
	for (uint64_t m = 0; m < lim; m++)
		for (uint64_t v = 0; v < lim; v++)
			if (!(v & m))
				out[n++] = (struct tnum){v, m};
	return n;
}

/* The members of t (t.v with every submask of t.m); at most 256 for the widths tested. */
static size_t members(struct tnum t, uint64_t *out)
{
	size_t n = 0;
	uint64_t sub = 0;
	do {
		out[n++] = t.v | sub;
		sub = (sub - t.m) & t.m;
	} while (sub);
	return n;
}

static bool well_formed(struct tnum r, unsigned w)
{
	uint64_t k = tnum_wmask(w);
	return !(r.v & r.m) && !(r.v & ~k) && !(r.m & ~k);
}

enum bop { B_AND, B_OR, B_XOR, B_ADD, B_SUB, B_MUL, B_LTS, B_LTU, B_INS, B_COUNT };

static uint64_t concrete_b(enum bop op, uint64_t x, uint64_t y, unsigned w)
{
	uint64_t k = tnum_wmask(w);
	int64_t sx = (int64_t)(x << (64 - w)) >> (64 - w), sy = (int64_t)(y << (64 - w)) >> (64 - w);
	switch (op) {
	case B_AND: return x & y;
	case B_OR: return x | y;
	case B_XOR: return x ^ y;
	case B_ADD: return (x + y) & k;
	case B_SUB: return (x - y) & k;
	case B_MUL: return (x * y) & k;
	case B_LTS: return sx < sy;
	case B_LTU: return x < y;
	case B_INS: return ((x & ~(3ULL << 1)) | ((y & 3) << 1)) & k;
	default: return 0;
	}
}

static struct tnum abstract_b(enum bop op, struct tnum a, struct tnum b, unsigned w)
{
	switch (op) {
	case B_AND: return tnum_and(a, b, w);
	case B_OR: return tnum_or(a, b, w);
	case B_XOR: return tnum_xor(a, b, w);
	case B_ADD: return tnum_add(a, b, w);
	case B_SUB: return tnum_sub(a, b, w);
	case B_MUL: return tnum_mul(a, b, w);
	case B_LTS: return tnum_lt(a, b, true, w);
	case B_LTU: return tnum_lt(a, b, false, w);
	case B_INS: return tnum_insert(a, b, 1, 2, w);
	default: return tnum_unknown(w);
	}
}

/* Every concrete result must be a member; constants must give the exact constant. */
static unsigned check_binary(struct tnum a, struct tnum b, unsigned w)
{
	unsigned bad = 0;
	for (int op = 0; op < B_COUNT; op++) {
		struct tnum r = abstract_b(op, a, b, w);
		if (!well_formed(r, w))
			bad++;
		uint64_t xs[256], ys[256];
		size_t nx = members(a, xs), ny = members(b, ys);
		for (size_t i = 0; i < nx; i++)
			for (size_t k = 0; k < ny; k++)
				bad += !tnum_contains(r, concrete_b(op, xs[i], ys[k], w));
		if (!a.m && !b.m && (r.m || r.v != concrete_b(op, a.v, b.v, w)))
			bad++;
	}
	return bad;
}

static unsigned check_unary(struct tnum a, unsigned w)
{
	unsigned bad = 0;
	uint64_t k = tnum_wmask(w);
	for (unsigned n = 0; n <= w + 1; n++) {
		struct tnum r[7] = {tnum_shl(a, n, w), tnum_lsr(a, n, w), tnum_asr(a, n, w), tnum_ror(a, n, w),
				    tnum_extract(a, n % w, 3, false, w), tnum_extract(a, n % w, 3, true, w),
				    n == 0 ? tnum_not(a, w) : n == 1 ? tnum_neg(a, w) : tnum_clz(a, w)};
		for (int i = 0; i < 7; i++)
			bad += !well_formed(r[i], w);
		uint64_t xs[256];
		size_t nx = members(a, xs);
		for (size_t j = 0; j < nx; j++) {
			uint64_t x = xs[j];
			int64_t sx = (int64_t)(x << (64 - w)) >> (64 - w);
			unsigned rn = n % w, lsb = n % w;
			uint64_t ex = (x >> lsb) & 7;
			uint64_t sex = (uint64_t)((int64_t)(ex << 61) >> 61) & k;
			unsigned clz = 0;
			for (int b = (int)w - 1; b >= 0 && !((x >> b) & 1); b--)
				clz++;
			uint64_t want[7] = {n >= w ? 0 : (x << n) & k, n >= w ? 0 : x >> n,
					    (uint64_t)(sx >> (n >= w ? w - 1 : n)) & k,
					    rn ? ((x >> rn) | (x << (w - rn))) & k : x, ex, sex,
					    n == 0 ? ~x & k : n == 1 ? (0 - x) & k : clz};
			for (int i = 0; i < 7; i++)
				if (!tnum_contains(r[i], want[i]))
					bad++;
		}
	}
	return bad;
}

static void test_tnum_exhaustive_4bit(void)
{
	static struct tnum t[81];
	size_t n = all_tnums(4, t);
	CU_ASSERT_EQUAL_FATAL(n, 81);
	unsigned bad = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < n; k++)
			bad += check_binary(t[i], t[k], 4);
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_tnum_unary_8bit(void)
{
	static struct tnum t[6561];
	size_t n = all_tnums(8, t);
	CU_ASSERT_EQUAL_FATAL(n, 6561);
	unsigned bad = 0;
	for (size_t i = 0; i < n; i++)
		bad += check_unary(t[i], 8);
	CU_ASSERT_EQUAL(bad, 0);
}

static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static struct tnum random_tnum(uint64_t *s, unsigned w)
{
	uint64_t k = tnum_wmask(w), m = rng(s) & rng(s) & k;
	return (struct tnum){rng(s) & k & ~m, m};
}

static void test_tnum_binary_8bit(void)
{
	uint64_t seed = 0x9E3779B97F4A7C15ULL;
	unsigned bad = 0;
	for (int i = 0; i < 30000; i++)
		bad += check_binary(random_tnum(&seed, 8), random_tnum(&seed, 8), 8);
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_tnum_examples(void)
{
	/* The IPS case: a constant with a 3-bit field inserted from an unknown. */
	struct tnum r = tnum_insert(tnum_const(0xB5103519), tnum_extract(tnum_unknown(64), 0, 3, false, 64), 32, 3, 64);
	CU_ASSERT_EQUAL(r.v, 0xB5103519);
	CU_ASSERT_EQUAL(r.m, 0x700000000ULL);
	/* Carries out of an unknown low part make only the bits it can reach unknown. */
	r = tnum_add((struct tnum){0x100, 0x3}, tnum_const(1), 32);
	CU_ASSERT_EQUAL(r.v, 0x100);
	CU_ASSERT_EQUAL(r.m, 0x7);
	r = tnum_range(9, 12);
	CU_ASSERT_EQUAL(r.v, 8);
	CU_ASSERT_EQUAL(r.m, 7);
	r = tnum_clz(tnum_const(0x0000FFFFFFFFFFFFULL), 64);
	CU_ASSERT(tnum_eq(r, tnum_const(16)));
	r = tnum_clz((struct tnum){0x1000, 0x0FFF}, 32);
	CU_ASSERT(tnum_eq(r, tnum_const(19)));
	r = tnum_asr(tnum_const(0x80000000), 4, 32);
	CU_ASSERT(tnum_eq(r, tnum_const(0xF8000000)));
	r = tnum_mul(tnum_const(3), tnum_const(0x5555), 16);
	CU_ASSERT(tnum_eq(r, tnum_const(0xFFFF)));
}

static void test_vset(void)
{
	struct vset s = vset_of(tnum_const(5));
	vset_add(&s, tnum_const(5));
	CU_ASSERT_EQUAL(s.n, 1);
	vset_add(&s, tnum_const(7));
	CU_ASSERT_EQUAL(s.n, 2);
	/* A member including others replaces them. */
	vset_add(&s, (struct tnum){4, 3});
	CU_ASSERT_EQUAL(s.n, 1);
	CU_ASSERT(tnum_eq(s.t[0], ((struct tnum){4, 3})));
	s = vset_of(tnum_const(0x10));
	for (uint64_t v = 0x20; v <= 0x50; v += 0x10)
		vset_add(&s, tnum_const(v));
	/* Five ways collapse to their join. */
	CU_ASSERT_EQUAL(s.n, 1);
	CU_ASSERT(tnum_eq(s.t[0], ((struct tnum){0, 0x70})));
	struct vset a = vset_of(tnum_const(1)), b = vset_of(tnum_const(2));
	vset_add(&a, tnum_const(2));
	vset_add(&b, tnum_const(1));
	CU_ASSERT(vset_eq(&a, &b));
	uint64_t v;
	CU_ASSERT(!vset_const(&a, &v));
	CU_ASSERT(vset_const(&s, &v) == false);
	CU_ASSERT(vset_is_unknown(&(struct vset){1, {{0, 0xFFFFFFFF}}}, 32));
}

/* ---- a small MIPS32 front-end: delay slots and branch-likely ---- */

#define M_RA 31
#define M_CALL_CLOBBER (0xFF00ULL | 1ULL << 2)   /* t0-t7, v0 */

static uint8_t mdst(unsigned r)
{
	return r ? (uint8_t)r : DF_REG_NONE;
}

static struct df_arg msrc(unsigned r)
{
	return r ? df_reg((uint8_t)r) : df_imm(0);
}

static void mips_decode(struct df_dec *d, uint64_t addr, const uint8_t *code, size_t avail, struct df_insn *in)
{
	(void)d, (void)avail;
	bool big = d->env->isa->cs_mode & CS_MODE_BIG_ENDIAN;
	uint32_t w = rd32(code, big);
	unsigned op = w >> 26, rs = (w >> 21) & 31, rt = (w >> 16) & 31, rd = (w >> 11) & 31, fn = w & 63;
	uint64_t simm = sign_extend(w & 0xFFFF, 15);
	in->len = 4;
	switch (op) {
	case 0x0F:
		df_emit(in, DF_OP_SET, 32, mdst(rt), df_imm((w & 0xFFFF) << 16), df_imm(0));
		return;
	case 0x0D:
		df_emit(in, DF_OP_OR, 32, mdst(rt), msrc(rs), df_imm(w & 0xFFFF));
		return;
	case 0x09:
		df_emit(in, DF_OP_ADD, 32, mdst(rt), msrc(rs), df_imm(simm));
		return;
	case 0x04: case 0x05: case 0x14:            /* beq bne beql */
		in->flow = DF_FLOW_BRANCH;
		in->flags |= DF_IF_TARGET;
		in->target = addr + 4 + (simm << 2);
		in->delay = 1;
		if (op == 0x14) {
			in->flags |= DF_IF_LIKELY;   /* condition left untracked: both edges */
		} else {
			in->flags |= DF_IF_OWN_CMP;
			in->cc = op == 0x04 ? DF_CC_EQ : DF_CC_NE;
			in->ca = msrc(rs);
			in->cb = msrc(rt);
		}
		return;
	case 0x02: case 0x03:                        /* j jal */
		in->flow = op == 2 ? DF_FLOW_JUMP : DF_FLOW_CALL;
		in->flags |= DF_IF_TARGET | DF_IF_STOP;
		in->target = ((addr + 4) & 0xF0000000) | ((uint64_t)(w & 0x03FFFFFF) << 2);
		in->delay = 1;
		in->stop_skip = 8;
		if (op == 3) {
			df_emit(in, DF_OP_SET, 32, M_RA, df_imm(addr + 8), df_imm(0));
			in->clobber |= M_CALL_CLOBBER;
		}
		return;
	case 0x10:                                   /* mtc0: writes no GPR */
		return;
	case 0:
		if (fn == 8 || fn == 9) {            /* jr jalr */
			in->flow = fn == 8 ? DF_FLOW_END : DF_FLOW_CALL;
			in->flags |= DF_IF_STOP;
			in->delay = 1;
			in->stop_skip = 8;
			if (fn == 9) {
				df_emit(in, DF_OP_SET, 32, mdst(rd), df_imm(addr + 8), df_imm(0));
				in->clobber |= M_CALL_CLOBBER;
			}
			return;
		}
		if (fn == 0) {
			df_emit(in, DF_OP_SHL, 32, mdst(rd), msrc(rt), df_imm((w >> 6) & 31));
			return;
		}
		break;
	}
	if (rt)
		df_clobber(in, (uint8_t)rt);
	if (rd)
		df_clobber(in, (uint8_t)rd);
}

static const struct df_isa isa_mips_le = {
	.name = "mips-test", .cs_arch = CS_ARCH_MIPS, .cs_mode = CS_MODE_MIPS32 | CS_MODE_LITTLE_ENDIAN,
	.align = 4, .min_len = 4, .max_len = 4, .reg_bits = 32, .nregs = 32, .zero_run_stop = 4,
	.walk_past_delay_site = true, .decode = mips_decode,
};
static const struct df_isa isa_mips_be = {
	.name = "mips-test-be", .cs_arch = CS_ARCH_MIPS, .cs_mode = CS_MODE_MIPS32 | CS_MODE_BIG_ENDIAN,
	.align = 4, .min_len = 4, .max_len = 4, .reg_bits = 32, .nregs = 32, .zero_run_stop = 4,
	.walk_past_delay_site = true, .decode = mips_decode,
};

struct mrun {
	enum df_status st;
	uint64_t start;
	struct vset v;
};

/* Words from 0x1000 in a little- or big-endian RAM [0, 0x4000), site analysed for register reg. */
static struct mrun mips_run_reg(const uint32_t *w, size_t n, uint64_t site, bool big, uint8_t reg)
{
	struct memfix m;
	struct analysis a;
	struct mrun out = {0};
	memfix_init(&m, 0, 0x4000, big);
	for (size_t i = 0; i < n; i++)
		wr32(m.mem + 0x1000 + 4 * i, w[i], big);
	CU_ASSERT_EQUAL_FATAL(memfix_open(&m, "mips", "mips32", 32, NULL, NULL, &a), 0);
	struct df_env env = {.pm = &a.pm, .cfg = &a.cfg, .isa = big ? &isa_mips_be : &isa_mips_le, .data_big = big,
			     .lim = df_default_limits};
	struct df_worker *wk = df_worker_new();
	struct df_result r;
	uint8_t q[1] = {reg};
	out.st = df_analyse(wk, &env, site, q, 1, &r);
	out.start = r.start;
	out.v = r.val[0];
	df_worker_free(wk);
	analysis_close(&a);
	memfix_free(&m);
	return out;
}

/* The same for t0 (r8), the source of the vectors' mtc0. */
static struct mrun mips_run(const uint32_t *w, size_t n, uint64_t site, bool big)
{
	return mips_run_reg(w, n, site, big, 8);
}

static bool has(const struct vset *s, uint64_t v)
{
	for (uint8_t i = 0; i < s->n; i++)
		if (tnum_eq(s->t[i], tnum_const(v)))
			return true;
	return false;
}

static void test_mips_delay_slots(void)
{
	/* T1: jr ra; nop; ori t0,zero,0x6000; mtc0 t0,PageMask; ehb; jr ra; nop */
	static const uint32_t t1[] = {0x03E00008, 0, 0x34086000, 0x40882800, 0x000000C0, 0x03E00008, 0};
	for (int big = 0; big < 2; big++) {
		struct mrun r = mips_run(t1, ARRAY_LEN(t1), 0x100C, big);
		CU_ASSERT_EQUAL(r.st, DF_OK);
		CU_ASSERT_EQUAL(r.start, 0x1008);
		CU_ASSERT(r.v.n == 1 && has(&r.v, 0x6000));
	}
	/* T3: ori t0,0x2000; beqz a0,+2; nop; ori t0,0x6000; mtc0: both ways. */
	static const uint32_t t3[] = {0x03E00008, 0, 0x34082000, 0x10800002, 0, 0x34086000, 0x40882800, 0x03E00008, 0};
	struct mrun r = mips_run(t3, ARRAY_LEN(t3), 0x1018, false);
	CU_ASSERT_EQUAL(r.st, DF_OK);
	CU_ASSERT(r.v.n == 2 && has(&r.v, 0x2000) && has(&r.v, 0x6000));
	/* T3 with beqz zero (always taken): the compare decides, the fall-through path carries nothing. */
	static const uint32_t t3b[] = {0x03E00008, 0, 0x34082000, 0x10000002, 0, 0x34086000, 0x40882800, 0x03E00008, 0};
	r = mips_run(t3b, ARRAY_LEN(t3b), 0x1018, false);
	CU_ASSERT(r.v.n == 1 && has(&r.v, 0x2000));
	/* T11: the site in the delay slot of jr ra: the walk goes past that stop. */
	static const uint32_t t11[] = {0x03E00008, 0, 0x34086000, 0x03E00008, 0x40882800};
	r = mips_run(t11, ARRAY_LEN(t11), 0x1010, false);
	CU_ASSERT_EQUAL(r.st, DF_OK);
	CU_ASSERT_EQUAL(r.start, 0x1008);
	CU_ASSERT(r.v.n == 1 && has(&r.v, 0x6000));
	/* T12: beql t0,zero,+2 with ori t0,0x6000 in its slot: the slot runs on the taken edge only. */
	static const uint32_t t12[] = {0x03E00008, 0, 0x34082000, 0x51000002, 0x34086000, 0, 0x40882800, 0x03E00008, 0};
	r = mips_run(t12, ARRAY_LEN(t12), 0x1018, false);
	CU_ASSERT_EQUAL(r.st, DF_OK);
	CU_ASSERT(r.v.n == 2 && has(&r.v, 0x2000) && has(&r.v, 0x6000));
	/* T9: jalr t9 between is a stop: the region is the site alone. */
	static const uint32_t t9[] = {0x03E00008, 0, 0x34086000, 0x0320F809, 0, 0x40882800, 0x03E00008, 0};
	r = mips_run(t9, ARRAY_LEN(t9), 0x1014, false);
	CU_ASSERT_EQUAL(r.start, 0x1014);
	CU_ASSERT_EQUAL(r.st, DF_SOURCE_UNKNOWN);
	/*
	 * A call inside the region (reached by a jump past the site): its slot
	 * runs, then the caller-saved registers are lost.  beq zero,zero is
	 * always taken, so the fall-through into the site carries nothing.
	 */
	uint32_t call[] = {0x03E00008, 0, 0x34086000, 0x10000004, 0, 0x40882800, 0x03E00008, 0,
			   0x0C000C00, 0x34082000, 0x1000FFFA, 0};
	r = mips_run(call, ARRAY_LEN(call), 0x1014, false);
	CU_ASSERT_EQUAL(r.start, 0x1008);
	CU_ASSERT_EQUAL(r.st, DF_SOURCE_UNKNOWN);
	call[9] = 0x34102000;   /* the slot writes s0 instead, which survives calls */
	r = mips_run_reg(call, ARRAY_LEN(call), 0x1014, false, 16);
	CU_ASSERT_EQUAL(r.st, DF_OK);
	CU_ASSERT(r.v.n == 1 && has(&r.v, 0x2000));
}

static void test_mips_loop(void)
{
	/* T8: ori t0,0; loop: addiu t0,t0,1; bne t0,t1,loop; nop; mtc0 t0 -- widened, never exact, terminates. */
	static const uint32_t t8[] = {0x03E00008, 0, 0x34080000, 0x25080001, 0x1509FFFE, 0, 0x40882805, 0x03E00008};
	struct mrun r = mips_run(t8, ARRAY_LEN(t8), 0x1018, false);
	CU_ASSERT(r.st == DF_OK || r.st == DF_SOURCE_UNKNOWN);
	uint64_t v;
	CU_ASSERT(!vset_const(&r.v, &v));
}

/* ---- robustness: every registered front-end on random bytes ---- */

static void random_sites(const char *archname, const char *mode, int bits)
{
	const struct arch_ops *arch = arch_find(archname);
	const struct regrec_ops *ops = arch->regrec;
	CU_ASSERT_PTR_NOT_NULL_FATAL(ops);
	for (uint64_t seed = 1; seed <= 3; seed++) {
		struct memfix m;
		struct analysis a;
		uint64_t s = seed * 0x2545F4914F6CDD1DULL;
		memfix_init(&m, 0x80000000, 64 * 1024, 0);
		for (size_t i = 0; i < m.len; i += 8)
			wr64(m.mem + i, rng(&s), false);
		CU_ASSERT_EQUAL_FATAL(memfix_open(&m, archname, mode, bits, NULL, NULL, &a), 0);
		struct df_worker *wk = df_worker_new();
		/* A worker keeping decoded code between sites (small, so that entries are replaced) agrees. */
		struct df_worker *wc = df_worker_new();
		df_worker_cache_code(wc, 1000);
		unsigned bad = 0, differ = 0;
		struct df_env envs[4];
		CU_ASSERT_FATAL(ops->nisas <= ARRAY_LEN(envs));
		for (size_t isa = 0; isa < ops->nisas; isa++)
			envs[isa] = (struct df_env){.pm = &a.pm, .cfg = &a.cfg, .isa = ops->isas[isa], .lim = df_default_limits};
		for (int k = 0; k < 200; k++) {
			for (size_t isa = 0; isa < ops->nisas; isa++) {
				const struct df_env *env = &envs[isa];
				uint64_t at = 0x80000000 + (rng(&s) % m.len & ~(uint64_t)(ops->isas[isa]->align - 1));
				struct df_result r, rc;
				uint8_t q[2] = {(uint8_t)(rng(&s) % ops->isas[isa]->nregs), 0};
				enum df_status st = df_analyse(wk, env, at, q, 2, &r);
				bad += st >= DF_STATUS_COUNT || r.evals > env->lim.budget || r.insns > env->lim.max_insns ||
				       r.blocks > env->lim.max_blocks || r.walk_steps > env->lim.walk_steps;
				df_analyse(wc, env, at, q, 2, &rc);
				differ += rc.status != r.status || rc.start != r.start || rc.insns != r.insns ||
					  rc.blocks != r.blocks || rc.evals != r.evals || rc.walk_steps != r.walk_steps ||
					  !vset_eq(&rc.val[0], &r.val[0]) || !vset_eq(&rc.val[1], &r.val[1]);
			}
		}
		CU_ASSERT_EQUAL(bad, 0);
		CU_ASSERT_EQUAL(differ, 0);
		df_worker_free(wc);
		/* The whole pipeline too: scan, analyse, rank. */
		struct err e = {{0}};
		CU_ASSERT_EQUAL(regrec_find(&a, &(struct regrec_opts){0}, &e), 0);
		df_worker_free(wk);
		analysis_close(&a);
		memfix_free(&m);
	}
}

/* A dump made of nothing but "msr tcr_el1, x10": bounded memory and time, and it says so. */
static void test_hostile_sites(void)
{
	struct memfix m;
	struct analysis a;
	memfix_init(&m, 0x40000000, 512 * 1024, 0);
	for (size_t i = 0; i < m.len; i += 4)
		wr32(m.mem + i, 0xD518204A, false);
	CU_ASSERT_EQUAL_FATAL(memfix_open(&m, "aarch64", "long", 64, NULL, NULL, &a), 0);
	struct err e = {{0}};
	double t0 = now_seconds();
	CU_ASSERT_EQUAL_FATAL(regrec_find(&a, &(struct regrec_opts){0}, &e), 0);
	CU_ASSERT(now_seconds() - t0 < 60);
	CU_ASSERT_EQUAL(a.regs->sites.n, 65536);
	CU_ASSERT_EQUAL(a.regs->dropped_sites, 131072 - 65536);
	CU_ASSERT_EQUAL(a.regs->regs[0].sites, RR_MAX_ANALYSED);
	CU_ASSERT_EQUAL(a.regs->regs[0].skipped, 65536 - RR_MAX_ANALYSED);
	CU_ASSERT_EQUAL(a.regs->regs[0].ncands, 0);
	analysis_close(&a);
	memfix_free(&m);
}

static void test_random_aarch64(void)
{
	random_sites("aarch64", "long", 64);
}

static void test_random_arm(void)
{
	random_sites("arm", "short", 32);
}

void register_dataflow_tests(void)
{
	static const struct unit_test tests[] = {
		{"tnum: every binary op, 4-bit exhaustive", test_tnum_exhaustive_4bit},
		{"tnum: unary ops and shifts, 8-bit exhaustive", test_tnum_unary_8bit},
		{"tnum: binary ops, 8-bit random", test_tnum_binary_8bit},
		{"tnum: examples", test_tnum_examples},
		{"vset: subsumption, collapse, equality", test_vset},
		{"engine: delay slots, likely, calls (MIPS test front-end)", test_mips_delay_slots},
		{"engine: loops terminate", test_mips_loop},
		{"engine: a dump full of sites", test_hostile_sites},
		{"engine: random bytes, aarch64", test_random_aarch64},
		{"engine: random bytes, arm", test_random_arm},
	};
	unit_add_suite("dataflow", tests, ARRAY_LEN(tests));
}
