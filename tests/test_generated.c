/*
 * The radix engine on generated dumps (tools/mkdump): for every mode,
 * every expected root is found, nothing else is, decoys are not roots,
 * each address space equals expected.yaml range for range, sampled
 * addresses resolve, and the ground-truth comparison is clean.
 */
#include "autoconfig.h"

#include <stdlib.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "mkdump/expected.h"
#include "fixtures.h"
#include "mkdump/mkdump.h"
#include "radix-gtruth.h"
#include "radix.h"
#include "testlib.h"
#include "unit.h"

struct gen_case {
	const char *arch, *mode;
	unsigned granule;
	int t0sz, t1sz, ttbcr_n;
};

static const struct gen_case cases[] = {
	{"intel", "ia32", 0, -1, -1, -1}, {"intel", "pae", 0, -1, -1, -1}, {"intel", "ia64", 0, -1, -1, -1},
	{"intel", "la57", 0, -1, -1, -1}, {"riscv", "sv32", 0, -1, -1, -1}, {"riscv", "sv39", 0, -1, -1, -1},
	{"riscv", "sv48", 0, -1, -1, -1}, {"riscv", "sv57", 0, -1, -1, -1},
};

/* "RWXrwx" strings are the common language of the two permission encodings. */
static bool same_range(const struct vrange *v, const struct exp_range *x)
{
	char a[7], b[7];
	perm_str(v->perms, a);
	expected_perm_string(x->perms, b);
	return v->va == x->va && v->size == x->size && v->pa == x->pa && !strcmp(a, b);
}

static void check_vas(struct analysis *a, const struct radix_space *sp, const struct exp_root *x, const char *what)
{
	struct vas v;
	radix_vas(a, sp, x->root, &v);
	bool ok = v.n == x->nranges;
	for (size_t i = 0; ok && i < v.n; i++)
		ok = same_range(&v.r[i], &x->ranges[i]);
	if (!ok) {
		fprintf(stderr, "\n%s: root 0x%llx: %zu ranges, expected %zu\n", what, (unsigned long long)x->root, v.n,
			x->nranges);
		for (size_t i = 0; i < MMU_MAX(v.n, x->nranges) && i < 400; i++) {
			char a1[7] = "", b1[7] = "";
			if (i < v.n)
				perm_str(v.r[i].perms, a1);
			if (i < x->nranges)
				expected_perm_string(x->ranges[i].perms, b1);
			if (i < v.n && i < x->nranges && same_range(&v.r[i], &x->ranges[i]))
				continue;
			fprintf(stderr, "  [%zu] got 0x%llx+0x%llx->0x%llx %s | want 0x%llx+0x%llx->0x%llx %s\n", i,
				i < v.n ? (unsigned long long)v.r[i].va : 0, i < v.n ? (unsigned long long)v.r[i].size : 0,
				i < v.n ? (unsigned long long)v.r[i].pa : 0, a1,
				i < x->nranges ? (unsigned long long)x->ranges[i].va : 0,
				i < x->nranges ? (unsigned long long)x->ranges[i].size : 0,
				i < x->nranges ? (unsigned long long)x->ranges[i].pa : 0, b1);
			break;
		}
	}
	CU_ASSERT_TRUE(ok);
	vas_free(&v);
	/* Sampled walks: first and last byte of some ranges. */
	for (size_t i = 0; i < x->nranges; i += 1 + x->nranges / 16) {
		const struct exp_range *r = &x->ranges[i];
		uint64_t probes[2] = {r->va, r->va + r->size - 1};
		for (int k = 0; k < 2; k++) {
			struct radix_walk w;
			radix_resolve(a, sp, x->root, probes[k], &w);
			CU_ASSERT_TRUE(w.ok);
			CU_ASSERT_EQUAL(w.pa, r->pa + (probes[k] - r->va));
		}
	}
}

/* The space whose trees the root register names. */
static int space_of(const struct analysis *a, const char *reg)
{
	for (unsigned i = 0; i < a->radix->nspaces; i++)
		if (!strcmp(a->radix->space[i].shape.root_register, reg))
			return (int)i;
	return a->radix->nspaces == 1 ? 0 : -1;
}

/* How a case's dump is made besides its mode. */
struct gen_size {
	uint64_t ram, seed;
	unsigned processes, regions, noise;
};

static const struct gen_size default_size = {16 << 20, 7, 4, 0, 2};

static void run_sized(const struct gen_case *c, const struct gen_size *z)
{
	char what[96];
	snprintf(what, sizeof(what), "%s/%s seed %llu noise %u", c->arch, c->mode, (unsigned long long)z->seed,
		 z->noise);
	struct mkdump_opts o;
	struct err e = {{0}};
	mkdump_opts_init(&o);
	o.arch = c->arch;
	o.mode = c->mode;
	o.ram = z->ram;
	o.processes = z->processes;
	o.seed = z->seed;
	o.noise = z->noise;
	if (z->regions)
		o.regions = z->regions;
	o.granule = c->granule;
	o.t0sz = c->t0sz;
	o.t1sz = c->t1sz;
	o.ttbcr_n = c->ttbcr_n;
	o.outdir = fx_tmpdir();
	if (mkdump_generate(&o, &e)) {
		fprintf(stderr, "\n%s: %s\n", what, e.msg);
		CU_FAIL("mkdump");
		return;
	}
	char *yaml = xasprintf("%s/machine.yaml", o.outdir), *gt = xasprintf("%s/gtruth.yaml", o.outdir),
	     *exp = xasprintf("%s/expected.yaml", o.outdir);
	struct analysis a;
	struct expected x;
	struct analysis_opts ao = {.threads = 2, .gtruth_path = gt};
	CU_ASSERT_EQUAL_FATAL(analysis_open(&a, yaml, &ao, &e), 0);
	CU_ASSERT_EQUAL_FATAL(expected_load(exp, &x, &e), 0);
	for (const char *const *s = a.cfg.arch->pipeline; *s; s++)
		CU_ASSERT_EQUAL_FATAL(tl_run(&a, *s, NULL, NULL), 0);

	size_t missing = 0, extra = 0;
	for (size_t i = 0; i < x.nroots; i++) {
		const struct exp_root *r = &x.roots[i];
		int sp = space_of(&a, r->reg);
		if (r->boot)
			continue;
		CU_ASSERT_TRUE_FATAL(sp >= 0);
		if (radix_tree_index(a.radix, r->root, sp) < 0) {
			fprintf(stderr, "\n%s: expected root 0x%llx (%s) not found\n", what, (unsigned long long)r->root,
				r->reg);
			missing++;
			continue;
		}
		check_vas(&a, &a.radix->space[sp], r, what);
	}
	for (size_t i = 0; i < a.radix->ntrees; i++)
		if (!expected_root(&x, a.radix->trees[i].root)) {
			fprintf(stderr, "\n%s: false root 0x%llx%s\n", what, (unsigned long long)a.radix->trees[i].root,
				expected_is_decoy(&x, a.radix->trees[i].root) ? " (a decoy)" : "");
			extra++;
		}
	CU_ASSERT_EQUAL(missing, 0);
	CU_ASSERT_EQUAL(extra, 0);
	struct radix_gt g;
	CU_ASSERT_EQUAL_FATAL(radix_gtruth_compare(&a, &g, &e), 0);
	CU_ASSERT_EQUAL(g.fn, 0);
	CU_ASSERT_EQUAL(g.fp, 0);
	CU_ASSERT_TRUE(g.tp > 0);
	radix_gt_free(&g);
	expected_free(&x);
	analysis_close(&a);
	free(yaml);
	free(gt);
	free(exp);
}

static void run_case(const struct gen_case *c)
{
	run_sized(c, &default_size);
}

#define CASE(i)                                 \
	static void test_case_##i(void)         \
	{                                       \
		run_case(&cases[i]);            \
	}
CASE(0)
CASE(1)
CASE(2)
CASE(3)
CASE(4)
CASE(5)
CASE(6)
CASE(7)

/*
 * Every mode with the most noise, several seeds and regions: rarer shapes
 * (riscv sv39 seed 3 and sv32 seed 51 once gave a false root: a level-1
 * table read as a tree of its own).
 */
static void test_noise_sweep(void)
{
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		for (uint64_t seed = 1; seed <= 4; seed++) {
			struct gen_size z = {32 << 20, seed, 10, 3, 3};
			run_sized(&cases[i], &z);
		}
	static const struct {
		size_t c;
		struct gen_size z;
	} known[] = {{5, {48 << 20, 3, 10, 3, 3}}, {4, {64 << 20, 51, 24, 3, 3}}};
	for (size_t i = 0; i < ARRAY_LEN(known); i++)
		run_sized(&cases[known[i].c], &known[i].z);
}

void register_generated_tests(void)
{
	static const struct unit_test t[] = {
		{"intel_ia32", test_case_0}, {"intel_pae", test_case_1}, {"intel_ia64", test_case_2},
		{"intel_la57", test_case_3}, {"riscv_sv32", test_case_4}, {"riscv_sv39", test_case_5},
		{"riscv_sv48", test_case_6}, {"riscv_sv57", test_case_7}, {"noise 3, seeds 1-4, 3 regions", test_noise_sweep},
	};
	unit_add_suite("generated", t, ARRAY_LEN(t));
}
