/*
 * Register recovery and PowerPC hash tables on generated dumps
 * (tools/mkdump): every value the kernel code writes (expected.yaml
 * code_registers) is recovered and ranked first; the ground-truth
 * comparison has no false negative; on PowerPC the hash table is found,
 * nothing else is, its pages translate through resolve, and a reference
 * hash walk written here (not the analysis code) agrees with expected.yaml.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "commands.h"
#include "fixtures.h"
#include "mkdump/expected.h"
#include "mkdump/mkdump.h"
#include "mpfix.h"
#include "ppc.h"
#include "regrec.h"
#include "unit.h"

struct rcase {
	const char *arch, *mode, *endian;
	unsigned granule;
	int t0sz, t1sz, ttbcr_n;
	unsigned ram_mib;
};

struct gdump {
	char *dir;
	struct analysis a;
	struct expected ex;
};

static int gen_open(const struct rcase *c, uint64_t seed, unsigned noise, struct gdump *d)
{
	struct mkdump_opts o;
	struct err e = {{0}};
	mkdump_opts_init(&o);
	o.arch = c->arch;
	o.mode = c->mode;
	o.endian = c->endian;
	o.granule = c->granule;
	o.t0sz = c->t0sz;
	o.t1sz = c->t1sz;
	o.ttbcr_n = c->ttbcr_n;
	o.ram = (uint64_t)c->ram_mib << 20;
	o.processes = 4;
	o.seed = seed;
	o.noise = noise;
	o.outdir = d->dir = fx_tmpdir();
	char *yaml = path_join(d->dir, "machine.yaml"), *gt = path_join(d->dir, "gtruth.yaml"),
	     *ex = path_join(d->dir, "expected.yaml");
	struct analysis_opts ao = {.threads = 2, .gtruth_path = gt};
	int rc = mkdump_generate(&o, &e) || expected_load(ex, &d->ex, &e) || analysis_open(&d->a, yaml, &ao, &e) ? -1 : 0;
	if (rc)
		fprintf(stderr, "\n%s/%s: %s\n", c->arch, c->mode, e.msg);
	free(yaml);
	free(gt);
	free(ex);
	return rc;
}

static void gen_close(struct gdump *d)
{
	analysis_close(&d->a);
	expected_free(&d->ex);
}

/* Every code_registers value is the first candidate, exact, from at least its sites. */
static void check_registers(struct gdump *d, const char *what)
{
	char *j = mpfix_cmd(&d->a, "find_registers_values", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	free(j);
	CU_ASSERT(d->ex.ncode_regs > 0);
	for (size_t i = 0; i < d->ex.ncode_regs; i++) {
		const struct exp_code_reg *x = &d->ex.code_regs[i];
		const struct regrec_regres *rr = mpfix_reg(&d->a, x->name);
		bool ok = rr && rr->ncands && rr->cands[0].value == x->value && !rr->cands[0].unknown &&
			  rr->cands[0].sites >= x->sites;
		if (!ok)
			fprintf(stderr, "\n%s: %s 0x%llx (%u sites) not first: %s 0x%llx\n", what, x->name,
				(unsigned long long)x->value, x->sites, rr && rr->ncands ? "got" : "no candidate",
				rr && rr->ncands ? (unsigned long long)rr->cands[0].value : 0ULL);
		CU_ASSERT_TRUE(ok);
	}
	/* Against the ground truth: nothing missed. */
	j = mpfix_cmd(&d->a, "show_registers_gtruth", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	const char *fn = strstr(j, "\"fn\": 0}");
	if (!fn || fn[strlen("\"fn\": 0}")])
		fprintf(stderr, "\n%s: %s\n", what, j);
	CU_ASSERT_TRUE(fn && !fn[strlen("\"fn\": 0}")]);
	free(j);
}

static void run_case(const struct rcase *c)
{
	char what[96];
	snprintf(what, sizeof(what), "%s/%s%s%s", c->arch, c->mode, c->endian ? " " : "", c->endian ? c->endian : "");
	for (uint64_t seed = 3; seed < 5; seed++) {
		struct gdump d;
		if (gen_open(c, seed, 2, &d)) {
			CU_FAIL("generation");
			return;
		}
		check_registers(&d, what);
		gen_close(&d);
	}
}

static void test_arm(void)
{
	static const struct rcase cases[] = {
		{"arm", "short", NULL, 0, -1, -1, 0, 16}, {"arm", "short", NULL, 0, -1, -1, 2, 16},
		{"arm", "long", NULL, 0, -1, -1, -1, 16}, {"arm", "long", NULL, 0, 1, 1, -1, 16},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		run_case(&cases[i]);
}

static void test_aarch64(void)
{
	static const struct rcase cases[] = {
		{"aarch64", "long", NULL, 4096, -1, -1, -1, 16},
		{"aarch64", "long", NULL, 16384, 17, 28, -1, 16},
		{"aarch64", "long", NULL, 65536, 39, 33, -1, 32},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		run_case(&cases[i]);
}

static void test_mips(void)
{
	static const struct rcase cases[] = {
		{"mips", "mips32", "little", 0, -1, -1, -1, 16},
		{"mips", "mips32", "big", 0, -1, -1, -1, 16},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		run_case(&cases[i]);
}

/* ---- PowerPC ---- */

static uint32_t be32_at(const struct analysis *a, uint64_t pa)
{
	uint8_t b[4] = {0};
	physmem_read(&a->pm, pa, b, 4);
	return rd32(b, true);
}

/*
 * The reference walk (PowerPC OEA 7.6, written here from the manual, not
 * taken from src/arch): both PTE groups of (VSID, EA) in the table, the PTE
 * whose first word matches, its RPN.
 */
static bool ref_translate(const struct analysis *a, uint64_t sdr1, uint32_t vsid, uint32_t ea, uint64_t *pa)
{
	uint32_t pi = ea >> 12 & 0xFFFF, org = (uint32_t)(sdr1 >> 16), mask = sdr1 & 0x1FF;
	for (uint32_t h = 0; h < 2; h++) {
		uint32_t hash = ((vsid & 0x7FFFF) ^ pi) ^ (h ? 0x7FFFF : 0);
		uint64_t pteg = (uint64_t)(org >> 9) << 25 | (uint64_t)((org & 0x1FF) | ((hash >> 10) & mask)) << 16 |
				(uint64_t)(hash & 0x3FF) << 6;
		uint32_t want = 1u << 31 | vsid << 7 | h << 6 | pi >> 10;
		for (int i = 0; i < 8; i++)
			if (be32_at(a, pteg + 8 * i) == want) {
				*pa = (uint64_t)(be32_at(a, pteg + 8 * i + 4) >> 12) << 12 | (ea & 0xFFF);
				return true;
			}
	}
	return false;
}

static void check_ppc(unsigned ram_mib, uint64_t seed, unsigned noise)
{
	struct rcase c = {"ppc", "ppc32", NULL, 0, -1, -1, -1, ram_mib};
	struct gdump d;
	char what[64];
	snprintf(what, sizeof(what), "ppc %u MiB seed %llu", ram_mib, (unsigned long long)seed);
	if (gen_open(&c, seed, noise, &d)) {
		CU_FAIL("generation");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(d.ex.nhtabs, 1);
	const struct exp_htab *x = &d.ex.htabs[0];
	/* The generator's self-check: every sampled page is where the hash says. */
	CU_ASSERT(d.ex.nhpages > 8);
	for (size_t i = 0; i < d.ex.nhpages; i++) {
		uint64_t pa = 0;
		CU_ASSERT_TRUE(ref_translate(&d.a, x->sdr1, (uint32_t)d.ex.hpages[i].vsid, (uint32_t)d.ex.hpages[i].va, &pa));
		CU_ASSERT_EQUAL(pa, d.ex.hpages[i].pa);
	}
	/* parse_memory: that table, nothing else (the near-miss decoys are not tables). */
	char *text, *j = mpfix_cmd(&d.a, "parse_memory", NULL);
	free(j);
	const struct htab_state *st = d.a.arch_state;
	CU_ASSERT_EQUAL(st->n, 1);
	for (size_t i = 0; i < st->n; i++) {
		bool ok = st->v[i].addr == x->addr && st->v[i].size == x->size && st->v[i].ptes == x->ptes;
		if (!ok)
			fprintf(stderr, "\n%s: table 0x%llx+0x%llx (%u PTEs), expected 0x%llx+0x%llx (%llu)\n", what,
				(unsigned long long)st->v[i].addr, (unsigned long long)st->v[i].size, st->v[i].ptes,
				(unsigned long long)x->addr, (unsigned long long)x->size, (unsigned long long)x->ptes);
		CU_ASSERT_TRUE(ok);
	}
	check_registers(&d, what);
	j = mpfix_cmd(&d.a, "show_hashtables", NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"sdr1\": true}], \"count\": 1}"));
	free(j);
	j = mpfix_cmd(&d.a, "show_hashtables_gtruth", NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"tp\": 1, \"fp\": 0, \"fn\": 0, \"size_mismatch\": 0, \"boot_only\": 1}"));
	free(j);
	/* resolve through the table with each page's VSID; kernel addresses through the BATs. */
	for (size_t i = 0; i < d.ex.nhpages; i++) {
		char line[64], want[48];
		snprintf(line, sizeof(line), "resolve 0x%llx 0x%llx", (unsigned long long)d.ex.hpages[i].va,
			 (unsigned long long)d.ex.hpages[i].vsid);
		snprintf(want, sizeof(want), "\"physical_address\": \"0x%llx\"", (unsigned long long)d.ex.hpages[i].pa);
		j = mpfix_cmd(&d.a, line, NULL);
		CU_ASSERT_PTR_NOT_NULL(j && strstr(j, want));
		free(j);
	}
	j = mpfix_cmd(&d.a, "resolve 0xc0004010", &text);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"via\": \"bat\", \"bat\": \"dbat0\", \"ok\": true, \"physical_address\": \"0x4010\""));
	free(j);
	free(text);
	gen_close(&d);
}

static void test_ppc(void)
{
	check_ppc(16, 3, 2);   /* a 64 KiB table: not hash-checkable, confirmed by SDR1 */
	check_ppc(64, 4, 2);   /* 128 KiB */
	check_ppc(256, 5, 3);  /* 512 KiB, more decoys */
}

void register_generated_regs_tests(void)
{
	static const struct unit_test tests[] = {
		{"arm TTBCR", test_arm},
		{"aarch64 TCR_EL1", test_aarch64},
		{"mips CP0, both byte orders", test_mips},
		{"ppc SDR1, BATs, SRs, hash tables, resolve", test_ppc},
	};
	unit_add_suite("generated_regs", tests, ARRAY_LEN(tests));
}
