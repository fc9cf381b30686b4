/*
 * Hostile input (issue 10, doc/bad-input.md): the limits that keep a dump
 * made to exhaust memory or time within bounds, each with its message, and
 * the regressions the fuzz targets found (tests/fuzz/README.md).
 */
#include "autoconfig.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "config.h"
#include "dataflow.h"
#include "fixtures.h"
#include "gtruth.h"
#include "intel.h"
#include "iomem.h"
#include "memfix.h"
#include "mpfix.h"
#include "mkdump/expected.h"
#include "radix-gtruth.h"
#include "radix.h"
#include "regrec.h"
#include "session.h"
#include "tablebuild.h"
#include "unit.h"

#define INTEL64 "{architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 39}}"
#define RISCV64 "{architecture: riscv, endianness: little, bits: 64}"

static int open_yaml(struct analysis *a, const char *yaml)
{
	struct err e = {{0}};
	struct analysis_opts o = {.threads = 2};
	if (analysis_open(a, yaml, &o, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	return 0;
}

/* Runs a command line: its status, the text it printed and its error (both owned by the caller). */
static int run(struct analysis *a, const char *line, char **text, char **errmsg)
{
	struct cmd_out o;
	struct err e = {{0}};
	char *name;
	cmd_out_init(&o);
	int rc = command_run_line(a, line, &o, &name, &e);
	if (text)
		*text = xstrdup(o.text.s ? o.text.s : "");
	if (errmsg)
		*errmsg = xstrdup(e.msg);
	free(name);
	cmd_out_free(&o);
	return rc;
}

static bool contains(const char *s, const char *part)
{
	if (!s || !strstr(s, part)) {
		fprintf(stderr, "\n  expected to contain: \"%s\"\n  actual: \"%s\"\n", part, s ? s : "(null)");
		return false;
	}
	return true;
}

/* ---- YAML files: size and nesting ---- */

static void test_yaml_nesting(void)
{
	/* bad-input Y03 */
	char *dir = fx_tmpdir();
	/* 200 KiB of '{a: ': minutes of libyaml's time without the depth limit. */
	struct sbuf b = {0};
	sbuf_printf(&b, "cpu: ");
	for (int i = 0; i < 50000; i++)
		sbuf_printf(&b, "{a: ");
	const char *path = fx_write(dir, "deep.yaml", b.s);
	struct machine_config cfg;
	struct err e = {{0}};
	double t0 = now_seconds();
	CU_ASSERT_EQUAL(config_load(path, &cfg, &e), -1);
	CU_ASSERT(now_seconds() - t0 < 5);
	char *want = xasprintf("%s:1:258: YAML nested deeper than 64 levels", path);
	ASSERT_STR_EQ(e.msg, want);
	free(want);
	config_free(&cfg);

	/* The same limit in every YAML loader. */
	struct gtruth gt;
	sbuf_reset(&b);
	sbuf_printf(&b, "format: mmushell-gtruth/1\nregisters: ");
	for (int i = 0; i < 1000; i++)
		sbuf_putc(&b, '[');
	path = fx_write(dir, "deep-gt.yaml", b.s);
	CU_ASSERT_EQUAL(gtruth_load(path, &gt, &e), -1);
	CU_ASSERT(contains(e.msg, ":2:75: YAML nested deeper than 64 levels"));
	struct expected ex;
	path = fx_write(dir, "deep-ex.yaml", b.s);
	CU_ASSERT_EQUAL(expected_load(path, &ex, &e), -1);
	CU_ASSERT(contains(e.msg, ":2:75: YAML nested deeper than 64 levels"));

	/* 64 levels are fine (and then not a machine description). */
	sbuf_reset(&b);
	sbuf_printf(&b, "cpu: ");
	for (int i = 0; i < 63; i++)
		sbuf_putc(&b, '[');
	for (int i = 0; i < 63; i++)
		sbuf_putc(&b, ']');
	path = fx_write(dir, "ok.yaml", b.s);
	CU_ASSERT_EQUAL(config_load(path, &cfg, &e), -1);
	CU_ASSERT(contains(e.msg, ":1:6: 'cpu' must be a mapping, not a list"));
	config_free(&cfg);
	sbuf_free(&b);
}

static void test_yaml_size(void)
{
	/* bad-input Y04 */
	char *dir = fx_tmpdir();
	const char *path = fx_write(dir, "big.yaml", "");
	/* Sparse: 17 MiB of zeros read back in a few milliseconds. */
	CU_ASSERT_EQUAL(truncate(path, 17 << 20), 0);
	struct machine_config cfg;
	struct err e = {{0}};
	CU_ASSERT_EQUAL(config_load(path, &cfg, &e), -1);
	char *want = xasprintf("%s: too large for a machine description (more than 16 MiB)", path);
	ASSERT_STR_EQ(e.msg, want);
	free(want);
	config_free(&cfg);
	/* bad-input G11 */
	const char *gtp = fx_write(dir, "big-gt.yaml", "");
	CU_ASSERT_EQUAL(truncate(gtp, 65 << 20), 0);
	struct gtruth gt;
	CU_ASSERT_EQUAL(gtruth_load(gtp, &gt, &e), -1);
	want = xasprintf("%s: too large for a ground-truth file (more than 64 MiB)", gtp);
	ASSERT_STR_EQ(e.msg, want);
	free(want);
	/* Only the first document is read: junk after it changes nothing. */
	const char *two = fx_write(dir, "two.yaml", "cpu: 1\n---\n[[[\n");
	CU_ASSERT_EQUAL(config_load(two, &cfg, &e), -1);
	CU_ASSERT(contains(e.msg, "two.yaml:1:6: 'cpu' must be a mapping, not a scalar"));
	config_free(&cfg);
}

/* A dump file that is a FIFO is refused at once, not waited on. */
static void test_dumpfile_fifo(void)
{
	/* bad-input D02 */
	char *dir = fx_tmpdir();
	char *fifo = path_join(dir, "fifo");
	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
	const char *path = fx_write(dir, "m.yaml", "cpu: " RISCV64 "\nmmu: {mode: sv39}\nmemspace:\n"
						   "  ram: [{start: 0, end: 0xfff, dumpfile: fifo}]\n");
	struct machine_config cfg;
	struct err e = {{0}};
	CU_ASSERT_EQUAL(config_load(path, &cfg, &e), -1);
	char *want = xasprintf("%s:4:9: dump file '%s' is not a regular file", path, fifo);
	ASSERT_STR_EQ(e.msg, want);
	free(want);
	config_free(&cfg);
	unlink(fifo);
	free(fifo);
}

/* ---- regressions found by the fuzz targets ---- */

/*
 * fuzz-dataflow: the copies of the delay slots of MIPS branch-likely
 * instructions were blocks beyond max_blocks (5 of 4 in the fuzzer's input).
 */
static void test_dataflow_likely_blocks(void)
{
	struct memfix m;
	struct analysis a;
	memfix_init(&m, 0, 0x10000, 0);
	/* beq zero, zero, +1; nop; then beql zero, zero, +1; nop twice; mtc0 a0, PageMask */
	uint32_t code[7] = {0x10000001, 0, 0x50000001, 0, 0x50000001, 0, 0x40842800};
	memfix_words(&m, 0x1000, code, ARRAY_LEN(code));
	CU_ASSERT_EQUAL_FATAL(memfix_open(&m, "mips", "mips32", 32, NULL, NULL, &a), 0);
	const struct regrec_ops *ops = a.cfg.arch->regrec;
	struct df_env env = {.pm = &a.pm, .cfg = &a.cfg, .isa = ops->isas[0], .lim = df_default_limits};
	struct df_worker *w = df_worker_new();
	struct df_result r;
	uint8_t q[1] = {4};
	uint64_t site = ops->code_addr ? ops->code_addr(0x1018) : 0x1018;
	CU_ASSERT_EQUAL(df_analyse(w, &env, site, q, 1, &r), DF_SOURCE_UNKNOWN);
	CU_ASSERT_EQUAL(r.blocks, 5);
	/* Under a tighter limit a copy was one block too many (2 of 1, 4 of 3). */
	for (unsigned limit = 1; limit < 5; limit++) {
		env.lim.max_blocks = limit;
		CU_ASSERT_EQUAL(df_analyse(w, &env, site, q, 1, &r), DF_REGION_TOO_LARGE);
		CU_ASSERT(r.blocks <= limit);
	}
	df_worker_free(w);
	analysis_close(&a);
	memfix_free(&m);
}


/* fuzz-radix-intel: find_radix_trees finding no tree sorted a NULL array (UBSan: qsort nonnull). */
static void test_no_trees_sort(void)
{
	struct radix_state r;
	memset(&r, 0, sizeof(r));
	radix_sort_trees(&r);
	CU_ASSERT_EQUAL(r.ntrees, 0);
}

/* fuzz-iomem: a listing of blank lines sorted a NULL array. */
static void test_iomem_blank(void)
{
	struct iomem_map m;
	struct err e = {{0}};
	CU_ASSERT_EQUAL(iomem_parse("\n\n  \n", 5, "blank", &m, &e), -1);
	ASSERT_STR_EQ(e.msg, "blank: no \"System RAM\" range");
	CU_ASSERT_EQUAL(iomem_parse("", 0, "empty", &m, &e), -1);
	ASSERT_STR_EQ(e.msg, "empty: no \"System RAM\" range");
}

/*
 * fuzz-dataflow: a site whose region was too large reported the block
 * count of the worker's previous site, and a site over budget one
 * evaluation more than the budget.
 */
static void test_dataflow_counts(void)
{
	struct memfix m;
	struct analysis a;
	memfix_init(&m, 0x40000000, 0x10000, 0);
	/* ret; movz x1, #0; add x1, x1, #1; cmp x1, x2; b.ne -2; msr tcr_el1, x1 */
	static const uint32_t code[] = {0xD65F03C0, 0xD2800001, 0x91000421, 0xEB02003F, 0x54FFFFC1, 0xD5182041};
	memfix_words(&m, 0x40001000, code, 6);
	CU_ASSERT_EQUAL_FATAL(memfix_open(&m, "aarch64", "long", 64, NULL, NULL, &a), 0);
	struct df_env env = {.pm = &a.pm, .cfg = &a.cfg, .isa = a.cfg.arch->regrec->isas[0], .lim = df_default_limits};
	struct df_worker *w = df_worker_new();
	struct df_result r;
	uint8_t q[1] = {1};
	df_analyse(w, &env, 0x40001014, q, 1, &r);
	CU_ASSERT(r.blocks > 1);
	env.lim.max_insns = 2;
	CU_ASSERT_EQUAL(df_analyse(w, &env, 0x40001014, q, 1, &r), DF_REGION_TOO_LARGE);
	CU_ASSERT_EQUAL(r.blocks, 0);
	env.lim = df_default_limits;
	env.lim.budget = 3;
	CU_ASSERT_EQUAL(df_analyse(w, &env, 0x40001014, q, 1, &r), DF_BUDGET);
	CU_ASSERT_EQUAL(r.evals, 3);
	df_worker_free(w);
	analysis_close(&a);
	memfix_free(&m);
}

/*
 * 64 KiB of PowerPC code cycling mtspr SDR1 / IBATs / DBATs and mtsr 0..15:
 * 16384 sites, each with the whole dump before it as its region (over
 * 100 s before the run's budget).  The analyses together stay within the
 * budget, the sites left out are counted with their own outcome, and which
 * ones does not depend on the number of threads.
 */
static void test_run_budget(void)
{
	/* bad-input H08 */
	uint32_t pat[33];
	size_t n = 0;
	pat[n++] = 0x7C6003A6 | 25u << 16;   /* mtspr SDR1, r3 */
	for (uint32_t spr = 528; spr < 544; spr++)   /* mtspr IBAT0U..DBAT3L, r4 */
		pat[n++] = 0x7C8003A6 | (spr & 31) << 16 | (spr >> 5) << 11;
	for (uint32_t sr = 0; sr < 16; sr++)   /* mtsr sr, r3 */
		pat[n++] = 0x7C6001A4 | sr << 16;
	struct mpfix m;
	mpfix_init(&m, 0, 0x10000, true);
	for (size_t i = 0; i < m.len / 4; i++)
		mpfix_words(&m, 4 * i, &pat[i % n], 1);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(mpfix_open(&m, "ppc", "ppc32", NULL, NULL, NULL, &a), 0);
	double t0 = now_seconds();
	char *text;
	char *j = mpfix_cmd(&a, "find_registers_values", &text);
	CU_ASSERT(now_seconds() - t0 < 30);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	const struct reg_results *res = a.regs;
	CU_ASSERT_EQUAL(res->nres, 16384);
	CU_ASSERT_EQUAL(res->run_budget, RR_RUN_FLOOR);
	uint64_t work = 0;
	uint32_t left = 0, counted = 0;
	for (size_t i = 0; i < res->nres; i++) {
		work += res->res[i].r.insns + res->res[i].r.evals;
		left += res->res[i].r.status == DF_RUN_BUDGET;
	}
	for (size_t r = 0; r < res->ops->nregs; r++)
		counted += res->regs[r].outcome[DF_RUN_BUDGET];
	CU_ASSERT_EQUAL(work, res->run_used);
	CU_ASSERT(work <= res->run_budget + RR_RUN_CHUNKS * (uint64_t)(df_default_limits.max_insns + df_default_limits.budget));
	CU_ASSERT(left > 0 && left < res->nres);
	CU_ASSERT_EQUAL(left, res->budget_skipped);
	CU_ASSERT_EQUAL(counted, left);
	char want[200];
	snprintf(want, sizeof(want),
		 "%u write sites not analysed: the run's budget of 16777216 instructions decoded and evaluated is used up", left);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"run_budget_exhausted\": "));
	free(text);
	free(j);
	/* The same sites are left out with one thread. */
	uint8_t *st = xmalloc(res->nres);
	for (size_t i = 0; i < res->nres; i++)
		st[i] = (uint8_t)res->res[i].r.status;
	a.threads = 1;
	free(mpfix_cmd(&a, "find_registers_values", NULL));
	CU_ASSERT_EQUAL_FATAL(a.regs->nres, 16384);
	size_t same = 0;
	for (size_t i = 0; i < a.regs->nres; i++)
		same += st[i] == a.regs->res[i].r.status;
	CU_ASSERT_EQUAL(same, a.regs->nres);
	free(st);
	analysis_close(&a);
	mpfix_free(&m);
}

/*
 * Ground-truth roots were collected with a search per value (100000
 * values: over a minute): now sorted, in the order the file first names
 * them, duplicates merged.
 */
static void test_gtruth_roots(void)
{
	struct tb t;
	struct tb_ia64_idt x;
	struct analysis a;
	char *dir = fx_tmpdir();
	tb_build_ia64_idt(&t, &x);
	char *gt = xasprintf("format: mmushell-gtruth/1\nregisters:\n"
			     "  - {name: cr3, value: 0x%llx, first_seen: 2, last_seen: 3}\n"
			     "  - {name: cr3, value: 0x5000, first_seen: 2, last_seen: 9}\n"
			     "  - {name: cr3, value: 0x%llx, first_seen: 2, last_seen: 5}\n"
			     "  - {name: cr3, value: 0x%llx, first_seen: 1, last_seen: 4, count: 3}\n",
			     (unsigned long long)x.r2, (unsigned long long)x.r1, (unsigned long long)x.r2);
	const char *gtp = fx_write(dir, "gt.yaml", gt);
	free(gt);
	struct err e = {{0}};
	struct analysis_opts o = {.threads = 1, .gtruth_path = gtp};
	CU_ASSERT_EQUAL_FATAL(analysis_open(&a, tb_write(&t, dir, INTEL64, "ia64", NULL), &o, &e), 0);
	CU_ASSERT_EQUAL_FATAL(run(&a, "parse_memory", NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(run(&a, "find_radix_trees", NULL, NULL), 0);
	struct radix_gt g;
	CU_ASSERT_EQUAL_FATAL(radix_gtruth_compare(&a, &g, &e), 0);
	CU_ASSERT_EQUAL(g.gt_roots, 3);
	CU_ASSERT_FATAL(g.n >= 3);
	CU_ASSERT_EQUAL(g.items[0].root, x.r2);
	CU_ASSERT_EQUAL(g.items[0].cls, GT_TP);
	CU_ASSERT_EQUAL(g.items[0].count, 4);
	CU_ASSERT(g.items[0].first == 1 && g.items[0].last == 4);
	CU_ASSERT_EQUAL(g.items[1].root, x.r1);
	CU_ASSERT_EQUAL(g.items[2].root, 0x5000);
	CU_ASSERT_EQUAL(g.items[2].cls, GT_FN);
	radix_gt_free(&g);
	analysis_close(&a);
	tb_free(&t);
}

/* ---- limits of the page-table engine ---- */

/* Every frame full of leaf entries: each one a candidate table at every level. */
static void test_candidate_limit(void)
{
	/* bad-input H02 */
	struct tb t;
	struct analysis a;
	char *dir = fx_tmpdir();
	tb_init(&t, 0x80000000, 64 * 4096, 1);
	for (uint64_t i = 0; i < t.size; i += 8)
		wr64(t.ram + i, TB_V | TB_R | TB_W | TB_AD, false);
	CU_ASSERT_EQUAL_FATAL(open_yaml(&a, tb_write(&t, dir, RISCV64, "sv39", NULL)), 0);
	struct radix_limits saved = radix_limits;
	radix_limits.cand_min = 16;
	radix_limits.cand_bytes = 1ULL << 40;
	char *err = NULL;
	CU_ASSERT_EQUAL(run(&a, "parse_memory", NULL, &err), -1);
	ASSERT_STR_EQ(err, "more than 16 candidate tables for the trees (at most one per 1099511627776 bytes of RAM, "
			   "or 16): a dump this full of table-like data does not hold mode sv39 page tables, or was made "
			   "to exhaust memory");
	free(err);
	CU_ASSERT_PTR_NULL(a.radix);
	/* Within the limit the same dump scans. */
	radix_limits.cand_min = 64;
	CU_ASSERT_EQUAL(run(&a, "parse_memory", NULL, NULL), 0);
	CU_ASSERT_EQUAL(a.radix->space[0].level_count_scan[0], 64);
	radix_limits = saved;
	CU_ASSERT_EQUAL(radix_max_candidates(&a), 65536);
	analysis_close(&a);
	tb_free(&t);
}

/*
 * One table per level, every entry pointing to the next: 512^3 pointers
 * reach the same page table, a walk of 2^36 entries without the entry
 * budget.  The tree is consistent (radix_check is memoised), so it is found.
 */
static void build_alias_tree(struct tb *t, uint64_t *root)
{
	tb_init(t, 0, 8 * 4096, 2);
	uint64_t tables[4];
	for (int k = 0; k < 4; k++)
		tables[k] = tb_alloc(t, 4096, 4096);
	uint64_t data = tb_data_page(t, 4096);
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < 512; i++)
			tb_put(t, &tb_ia64, tables[k] + 8 * i, tables[k + 1] | TB_P | TB_RW | TB_US);
	for (int i = 0; i < 512; i++)
		tb_put(t, &tb_ia64, tables[3] + 8 * i, data | TB_P | TB_RW | (i & 1 ? TB_US : 0));
	*root = tables[0];
}

static void test_vas_limits(void)
{
	/* bad-input H03 */
	struct tb t;
	struct analysis a;
	uint64_t root;
	char *dir = fx_tmpdir();
	build_alias_tree(&t, &root);
	CU_ASSERT_EQUAL_FATAL(open_yaml(&a, tb_write(&t, dir, INTEL64, "ia64", NULL)), 0);
	CU_ASSERT_EQUAL_FATAL(run(&a, "parse_memory", NULL, NULL), 0);
	struct vas v;
	struct radix_limits saved = radix_limits;
	radix_limits.vas_max_entries = 1u << 22; /* the default (2^28) takes seconds, more with sanitizers */
	radix_limits.vas_min_ranges = 1u << 22;  /* the entries run out first (this dump is small) */
	double t0 = now_seconds();
	radix_vas(&a, &a.radix->space[0], root, &v);
	CU_ASSERT(now_seconds() - t0 < 30);
	CU_ASSERT(v.truncated);
	ASSERT_STR_EQ(v.why, "too many entries to read");
	CU_ASSERT(v.entries <= radix_limits.vas_max_entries);
	vas_free(&v);

	radix_limits.vas_max_entries = 1u << 16;
	char *text = NULL, *cmd = xasprintf("show_vas 0x%llx", (unsigned long long)root);
	CU_ASSERT_EQUAL(run(&a, cmd, &text, NULL), 0);
	CU_ASSERT(contains(text, ", truncated: too many entries to read\n"));
	free(text);
	radix_limits.vas_max_ranges = 4;
	CU_ASSERT_EQUAL(run(&a, cmd, &text, NULL), 0);
	CU_ASSERT(contains(text, "4 ranges, 16.0 KiB mapped (8.0 KiB user-accessible), truncated: too many ranges\n"));
	free(text);
	/* The range limit follows the dump's size: one per vas_range_bytes of RAM, at least vas_min_ranges. */
	radix_limits.vas_max_ranges = 1u << 22;
	radix_limits.vas_min_ranges = 6;
	radix_limits.vas_range_bytes = a.pm.ram_bytes;
	CU_ASSERT_EQUAL(run(&a, cmd, &text, NULL), 0);
	CU_ASSERT(contains(text, "6 ranges, 24.0 KiB mapped (12.0 KiB user-accessible), truncated: too many ranges\n"));
	free(text);
	radix_limits.vas_min_ranges = 1;
	radix_limits.vas_range_bytes = a.pm.ram_bytes / 5;
	CU_ASSERT_EQUAL(run(&a, cmd, &text, NULL), 0);
	CU_ASSERT(contains(text, "5 ranges, 20.0 KiB mapped (8.0 KiB user-accessible), truncated: too many ranges\n"));
	free(text);
	free(cmd);
	radix_limits = saved;

	/* bad-input H04 */
	/* 2^20 entries read: some 2000 walks of the one page table, 4 GiB mapped from 20 KiB of tables. */
	radix_limits.vas_max_entries = 1u << 20;
	radix_limits.vas_min_ranges = 1u << 22;
	CU_ASSERT_EQUAL(run(&a, "find_radix_trees", NULL, NULL), 0);
	char *out = path_join(dir, "alias.elf"), *err = NULL;
	cmd = xasprintf("export_vas 0x%llx %s kernel", (unsigned long long)root, out);
	CU_ASSERT_EQUAL(run(&a, cmd, NULL, &err), -1);
	char *want = xasprintf("%s not written: the address space maps 4.0 GiB, more than the 1.0 GiB an export may hold "
			       "(16 times the dump's RAM, at least 1.0 GiB): its tables map the same pages over and over", out);
	ASSERT_STR_EQ(err, want);
	CU_ASSERT_NOT_EQUAL(access(out, F_OK), 0);
	free(want);
	free(err);
	/* An address space cut short by a limit is not exported as if it were whole. */
	radix_limits.vas_min_ranges = 16;
	radix_limits.vas_range_bytes = a.pm.ram_bytes;
	CU_ASSERT_EQUAL(run(&a, cmd, NULL, &err), -1);
	want = xasprintf("%s not written: the walk of the address space stopped at a limit (too many ranges): "
			 "its tables map the same pages over and over", out);
	ASSERT_STR_EQ(err, want);
	CU_ASSERT_NOT_EQUAL(access(out, F_OK), 0);
	free(want);
	free(err);
	free(cmd);
	free(out);
	radix_limits = saved;
	analysis_close(&a);
	tb_free(&t);
}

/* 16-byte interrupt gates, #BP and #OF callable from user mode. */
static void put_idt(struct tb *t, uint64_t at, unsigned n, uint64_t handler)
{
	for (unsigned i = 0; i < n; i++) {
		uint8_t *g = t->ram + (at - t->base) + 16 * i;
		unsigned dpl = i == 3 || i == 4 ? 3 : 0;
		wr32(g, (uint32_t)(handler & 0xffff) | 0x10u << 16, false);
		wr32(g + 4, (uint32_t)(handler & 0xffff0000u) | 1u << 15 | dpl << 13 | 14u << 8, false);
		wr32(g + 8, (uint32_t)(handler >> 32), false);
		wr32(g + 12, 0, false);
	}
}

static void test_idt_limit(void)
{
	/* bad-input H01 */
	/* bad-input S16 */
	struct tb t;
	struct analysis a;
	char *dir = fx_tmpdir();
	tb_init(&t, 0, 16 * 4096, 3);
	/* A page of back-to-back gates: every 16 bytes starts a valid run, all one table. */
	put_idt(&t, 0, 256, 0xffffffff81000000ULL);
	/* Four more tables, one per page. */
	for (int i = 1; i <= 4; i++)
		put_idt(&t, 4096 * (uint64_t)i, 32, 0xffffffff81000000ULL);
	/* A root candidate (pointing to an empty table), so that find_radix_trees runs. */
	tb_put(&t, &tb_ia64, 8 * 4096, 9 * 4096 | TB_P | TB_RW);
	CU_ASSERT_EQUAL_FATAL(open_yaml(&a, tb_write(&t, dir, INTEL64, "ia64", NULL)), 0);
	struct radix_limits saved = radix_limits;
	radix_limits.idt_max = 3;
	char *text = NULL;
	CU_ASSERT_EQUAL(run(&a, "parse_memory", &text, NULL), 0);
	CU_ASSERT(contains(text, "IDT candidates: 3\nIDT candidates not kept: 2 (only the first 3 by address are: a dump "
				 "this full of gate tables was made to slow the analysis)\n"));
	free(text);
	const struct intel_idts *x = intel_idts(&a);
	CU_ASSERT_EQUAL(x->n, 3);
	CU_ASSERT_EQUAL(x->idt[0].addr, 0);
	CU_ASSERT_EQUAL(x->idt[1].addr, 4096);
	CU_ASSERT_EQUAL(run(&a, "show_idtrs", &text, NULL), 0);
	CU_ASSERT(contains(text, "3 IDT candidates (run find_radix_trees to see which trees map them)\n"
				 "2 more not kept (the limit is 3)\n"));
	free(text);

	/* A session cannot bring in more than a scan keeps. */
	char *sess = path_join(dir, "s.session");
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(session_save(&a, sess, &e), 0);
	radix_limits.idt_max = 2;
	CU_ASSERT_EQUAL(session_load(&a, sess, &e), -1);
	char *want = xasprintf("%s: section RADX (page tables): 3 IDT candidates, more than the 2 a scan keeps", sess);
	ASSERT_STR_EQ(e.msg, want);
	free(want);
	free(sess);
	radix_limits = saved;

	/* bad-input H07 */
	/*
	 * The 3 IDTs the scan kept cost 18 walks each here (one root slot, one
	 * handler page, 16 virtual addresses): two fit in the first half of 72.
	 */
	radix_limits.idt_work = 72;
	CU_ASSERT_EQUAL(run(&a, "find_radix_trees", &text, NULL), 0);
	CU_ASSERT(contains(text, "\n1 IDT candidate not examined: the walks of IDT candidates times root candidates "
				 "reached their limit (a dump made to slow the analysis?)\n"));
	free(text);
	CU_ASSERT_EQUAL(run(&a, "show_idtrs", &text, NULL), 0);
	CU_ASSERT(contains(text, "the last 1 not examined by find_radix_trees (its limit on walks)\n"));
	free(text);
	radix_limits = saved;
	CU_ASSERT_EQUAL(run(&a, "find_radix_trees", &text, NULL), 0);
	CU_ASSERT_PTR_NULL(strstr(text, "not examined"));
	free(text);
	analysis_close(&a);
	tb_free(&t);
}

void register_hardening_tests(void)
{
	static const struct unit_test tests[] = {
		{"YAML nested deeper than the limit, every loader", test_yaml_nesting},
		{"YAML files over the size limit; the first document only", test_yaml_size},
		{"a FIFO as dump file", test_dumpfile_fifo},
		{"regression: no tree found (sort of an empty list)", test_no_trees_sort},
		{"regression: iomem of blank lines", test_iomem_blank},
		{"regression: dataflow counts of a failed site", test_dataflow_counts},
		{"regression: dataflow blocks of branch-likely slots", test_dataflow_likely_blocks},
		{"ground-truth roots: merged, in the file's order", test_gtruth_roots},
		{"limit: candidate tables per tree kind", test_candidate_limit},
		{"limit: address-space walks of shared tables", test_vas_limits},
		{"limit: IDT candidates, in a scan and in a session", test_idt_limit},
		{"limit: the run's budget of register analyses", test_run_budget},
	};
	unit_add_suite("hardening", tests, ARRAY_LEN(tests));
}
