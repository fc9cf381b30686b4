/*
 * Findings (src/core/findings.h): the builders and wrappers, then the two
 * architectures that offer them — a PowerPC hash table built here at the
 * places its hash puts each PTE (a table -> 64 KiB chunks -> PTE groups ->
 * decoded PTEs, ghosts for the SDR1 values not found) and an Intel IDT
 * (gates, the IDTR comparison) — checked against what was written.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "findings.h"
#include "fixtures.h"
#include "mpfix.h"
#include "ppc.h"
#include "radix.h"
#include "tablebuild.h"
#include "testlib.h"
#include "unit.h"

/* ---- core ---- */

static void test_builders(void)
{
	struct finding_list l = {0};
	struct finding *f = finding_add(&l, "PTEG 0x%05x", 0x2bf);
	ASSERT_STR_EQ(f->text, "PTEG 0x002bf");
	CU_ASSERT_FALSE(f->expandable || f->has_page || f->classed || f->ghost || f->size);
	/* A line longer than the node holds is cut, never overflows. */
	char big[400];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	f = finding_add(&l, "%s", big);
	CU_ASSERT_EQUAL(strlen(f->text), FINDING_TEXT - 1);
	CU_ASSERT_EQUAL(l.n, 2);
	finding_list_free(&l);
	CU_ASSERT_PTR_NULL(l.v);

	struct finding_gt g;
	memset(&g, 0, sizeof(g));
	finding_gt_add(&g, true, GT_TP);
	finding_gt_add(&g, true, GT_FN);
	finding_gt_add(&g, true, GT_FP);
	finding_gt_add(&g, true, GT_BOOT);
	finding_gt_add(&g, true, GT_TP);
	struct finding_gt_row *r = finding_gt_add(&g, false, GT_FN);
	CU_ASSERT_FALSE(r->classed || r->has_node || r->found[0] || r->truth[0]);
	CU_ASSERT_EQUAL(g.n, 6);
	CU_ASSERT_TRUE(g.tp == 2 && g.fn == 1 && g.fp == 1 && g.boot == 1);
	finding_gt_free(&g);
	CU_ASSERT_TRUE(!g.v && !g.n && !g.tp);
}

/* An architecture without findings says so; findings_find matches address and size. */
static void test_wrappers(void)
{
	struct tb t;
	tb_init(&t, 0, 1 << 20, 9);
	char *dir = fx_tmpdir();
	struct analysis a;
	struct findings f;
	struct finding_gt g;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, tb_write(&t, dir, "{architecture: riscv, endianness: little, bits: 64}",
						   "sv39", NULL),
				      NULL, NULL),
			      0);
	CU_ASSERT_PTR_NULL(findings_ops_of(&a));
	CU_ASSERT_EQUAL(findings_list(&a, &f, &e), -1);
	ASSERT_STR_EQ(e.msg, "architecture riscv has no findings besides page-table trees");
	CU_ASSERT_EQUAL(f.top.n, 0);
	findings_free(&f);
	CU_ASSERT_EQUAL(findings_gtruth(&a, &g, &e), -1);
	ASSERT_STR_EQ(e.msg, "architecture riscv has no findings to compare with a ground truth");
	analysis_close(&a);
	tb_free(&t);

	memset(&f, 0, sizeof(f));
	struct finding *x = finding_add(&f.top, "a");
	x->addr = 0x1000;
	x->size = 0x10000;
	x = finding_add(&f.top, "b");
	x->addr = 0x1000;
	x->size = 0x20000;
	CU_ASSERT_PTR_EQUAL(findings_find(&f, 0x1000, 0x20000), &f.top.v[1]);
	CU_ASSERT_PTR_NULL(findings_find(&f, 0x1000, 0x30000));
	/* Children of a node that does not expand: none, whatever the architecture. */
	struct finding_list kids = {0};
	findings_children(NULL, &f, &f.top.v[0], &kids);
	CU_ASSERT_EQUAL(kids.n, 0);
	findings_free(&f);
	CU_ASSERT_EQUAL(f.top.n, 0);
}

/* ---- PowerPC ---- */

#define RAM16 (16ULL << 20)
#define SDR1_128K 0x00FE0001u
#define SDR1_64K 0x00FE0000u

/* A PTE for (vsid, ea) in the first free slot of its primary group, as the MMU would look for it (3.4). */
static uint64_t pte_at_hash(struct mpfix *m, uint32_t sdr1, uint32_t vsid, uint32_t ea, uint32_t rpn, uint32_t w1_flags)
{
	uint32_t pi = ea >> PAGE_SHIFT & PI_MASK;
	uint64_t g = htab_pteg(sdr1, htab_hash(vsid, pi));
	for (uint64_t at = g; at < g + PTEG_SIZE; at += PTE_SIZE)
		if (!(rd32(m->mem + at, true) & PTE0_V)) {
			wr32(m->mem + at, PTE0_V | vsid << PTE0_VSID_SHIFT | pi >> API_SHIFT, true);
			wr32(m->mem + at + 4, rpn << PTE1_RPN_SHIFT | w1_flags, true);
			return at;
		}
	return 0;
}

/* 120 PTEs of three VSIDs; the first one's place and words are known. */
static uint64_t fill_table(struct mpfix *m, uint32_t sdr1)
{
	static const uint32_t vsid[] = {0xABC, 0x5123, 0x777};
	/* WIMG 0010 (M), PP 2, referenced and changed. */
	uint32_t flags = PTE1_R | PTE1_C | 2u << PTE1_WIMG_SHIFT | 2u;
	uint64_t first = pte_at_hash(m, sdr1, 0xABC, 0x10003000, 0x234, flags);
	for (uint32_t v = 0; v < 3; v++)
		for (uint32_t p = 1; p <= 40; p++)
			pte_at_hash(m, sdr1, vsid[v], (v + 1) << 28 | p << 14, 0x300 + 64 * v + p, flags);
	return first;
}

static int open_ppc(struct mpfix *m, const char *gt, struct analysis *a)
{
	if (mpfix_open(m, "ppc", "ppc32", "  registers_values: {SR1: 0xABC}\n", NULL, gt, a))
		return -1;
	char *j = mpfix_cmd(a, "parse_memory", NULL);
	free(j);
	return j ? 0 : -1;
}

static const char gt_boot[] = "format: mmushell-gtruth/1\narchitecture: ppc\nmmu_mode: ppc32\nregisters:\n"
			      "  - {name: sdr1, value: 0x003F0000, first_seen: 0.1, last_seen: 0.4, count: 1}\n"
			      "  - {name: sdr1, value: 0x00FE0001, first_seen: 0.5, last_seen: 60, count: 9}\n";

/* The child of n whose text starts with prefix. */
static const struct finding *child(const struct finding_list *l, const char *prefix)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strncmp(l->v[i].text, prefix, strlen(prefix)))
			return &l->v[i];
	return NULL;
}

static void test_ppc_tree(void)
{
	struct mpfix m;
	struct analysis a;
	struct findings f;
	struct err e = {{0}};
	mpfix_init(&m, 0, RAM16, true);
	uint64_t pte = fill_table(&m, SDR1_128K);
	CU_ASSERT_EQUAL(pte, 0x00FEAFC0);
	CU_ASSERT_EQUAL_FATAL(open_ppc(&m, gt_boot, &a), 0);
	CU_ASSERT_EQUAL_FATAL(findings_list(&a, &f, &e), 0);
	ASSERT_STR_EQ(f.header, "address    size                  PTEs");
	/* The table found (TP), then the boot-time one as a ghost. */
	CU_ASSERT_EQUAL_FATAL(f.top.n, 2);
	CU_ASSERT_EQUAL(f.found, 1);
	const struct finding *t = &f.top.v[0];
	ASSERT_STR_EQ(t->text, "0x00fe0000 size 0x20000      121 PTEs");
	ASSERT_STR_EQ(t->note, "implied SDR1 0x00fe0001 (hash-checked), 3 VSIDs, 121 RPNs");
	CU_ASSERT_TRUE(t->classed && t->cls == GT_TP && !t->ghost && t->expandable);
	CU_ASSERT_TRUE(t->addr == 0xFE0000 && t->size == 0x20000);
	const struct finding *b = &f.top.v[1];
	ASSERT_STR_EQ(b->text, "0x003f0000 size 0x10000        - PTEs");
	ASSERT_STR_EQ(b->note, "logged SDR1 0x003f0000; used while booting (superseded)");
	CU_ASSERT_TRUE(b->ghost && b->classed && b->cls == GT_BOOT && b->expandable);

	/* 128 KiB: two 64 KiB chunks, then the PTE groups holding PTEs, then the PTEs. */
	struct finding_list chunks = {0}, groups = {0}, ptes = {0};
	findings_children(&a, &f, t, &chunks);
	CU_ASSERT_EQUAL_FATAL(chunks.n, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(chunks.v[0].text, "PTEGs 0x00000-0x003ff @0x00fe0000  "));
	CU_ASSERT_PTR_NOT_NULL(strstr(chunks.v[1].text, "PTEGs 0x00400-0x007ff @0x00ff0000  "));
	CU_ASSERT_TRUE(chunks.v[0].expandable && chunks.v[0].size == 0x10000);
	findings_children(&a, &f, &chunks.v[0], &groups);
	const struct finding *g = child(&groups, "PTEG 0x002bf @0x00feafc0  ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_TRUE(g->expandable && g->addr == 0xFEAFC0 && g->size == PTEG_SIZE);
	for (size_t i = 0; i < groups.n; i++)
		CU_ASSERT_TRUE(groups.v[i].addr >= 0xFE0000 && groups.v[i].addr < 0xFF0000);
	findings_children(&a, &f, g, &ptes);
	CU_ASSERT_FATAL(ptes.n >= 1);
	/* SR1 holds VSID 0xABC: the effective address is known. */
	ASSERT_STR_EQ(ptes.v[0].text, "[0] VSID 0x000abc API 0x00 pri RPN 0x00234 WIMG 0010 PP 2 RC EA 0x10003000");
	CU_ASSERT_TRUE(ptes.v[0].has_page && ptes.v[0].page == 0x234000);
	CU_ASSERT_TRUE(ptes.v[0].addr == 0xFEAFC0 && ptes.v[0].size == PTE_SIZE && !ptes.v[0].expandable);
	/* A VSID no segment register holds: no effective address. */
	const struct finding *other = NULL;
	for (size_t i = 0; i < groups.n && !other; i++) {
		struct finding_list p = {0};
		findings_children(&a, &f, &groups.v[i], &p);
		for (size_t k = 0; k < p.n; k++)
			if (strstr(p.v[k].text, "VSID 0x005123")) {
				CU_ASSERT_PTR_NOT_NULL(strstr(p.v[k].text, " EA ?"));
				other = &groups.v[i];
			}
		finding_list_free(&p);
	}
	CU_ASSERT_PTR_NOT_NULL(other);
	/* The boot-time table's bytes are zeros: nothing valid to list. */
	findings_children(&a, &f, b, &groups);
	CU_ASSERT_EQUAL(groups.n, 1);
	ASSERT_STR_EQ(groups.v[0].text, "(no valid PTE)");
	CU_ASSERT_FALSE(groups.v[0].expandable || groups.v[0].size);
	finding_list_free(&chunks);
	finding_list_free(&groups);
	finding_list_free(&ptes);
	findings_free(&f);
	CU_ASSERT_PTR_NULL(f.ctx);
	analysis_close(&a);
	mpfix_free(&m);
}

static void test_ppc_gtruth(void)
{
	struct mpfix m;
	struct analysis a;
	struct findings f;
	struct finding_gt g;
	struct err e = {{0}};
	mpfix_init(&m, 0, RAM16, true);
	fill_table(&m, SDR1_128K);
	CU_ASSERT_EQUAL_FATAL(open_ppc(&m, gt_boot, &a), 0);
	CU_ASSERT_EQUAL_FATAL(findings_gtruth(&a, &g, &e), 0);
	CU_ASSERT_TRUE(g.tp == 1 && g.fp == 0 && g.fn == 0 && g.boot == 1);
	CU_ASSERT_EQUAL_FATAL(g.n, 2);
	/* As show_hashtables_gtruth lists them: the logged tables by address, then the false positives. */
	const struct finding_gt_row *r = &g.v[0];
	CU_ASSERT_TRUE(r->classed && r->cls == GT_BOOT && !r->found[0]);
	ASSERT_STR_EQ(r->truth, "0x003f0000 0x10000 ");
	ASSERT_STR_EQ(r->truth_note, "  0.10-0.40   SDR1 0x003f0000");
	r = &g.v[1];
	CU_ASSERT_TRUE(r->classed && r->cls == GT_TP);
	ASSERT_STR_EQ(r->found, "0x00fe0000 0x20000 ");
	ASSERT_STR_EQ(r->found_note, "121 PTEs");
	ASSERT_STR_EQ(r->truth_note, "  0.50-60.00  SDR1 0x00fe0001");
	ASSERT_STR_EQ(g.found_head, "hash tables: 1 found");
	ASSERT_STR_EQ(g.truth_head, "sdr1: 2 tables logged");
	CU_ASSERT_PTR_NOT_NULL(strstr(g.note, "boot-only"));
	/* Each row names the node it is about. */
	CU_ASSERT_EQUAL_FATAL(findings_list(&a, &f, &e), 0);
	CU_ASSERT_PTR_EQUAL(findings_find(&f, g.v[0].addr, g.v[0].size), &f.top.v[1]);
	CU_ASSERT_PTR_EQUAL(findings_find(&f, g.v[1].addr, g.v[1].size), &f.top.v[0]);
	findings_free(&f);
	finding_gt_free(&g);
	analysis_close(&a);

	/* Without a ground truth: nodes without classes, no comparison. */
	CU_ASSERT_EQUAL_FATAL(open_ppc(&m, NULL, &a), 0);
	CU_ASSERT_EQUAL_FATAL(findings_list(&a, &f, &e), 0);
	CU_ASSERT_TRUE(f.top.n == 1 && f.found == 1 && !f.top.v[0].classed);
	findings_free(&f);
	CU_ASSERT_EQUAL(findings_gtruth(&a, &g, &e), -1);
	ASSERT_STR_EQ(e.msg, "no ground truth: start mmushell with --gtruth FILE");
	analysis_close(&a);
	mpfix_free(&m);

	/* A 64 KiB table where the log says 128 KiB: the logged one a ghost (FN), the one found FP. */
	mpfix_init(&m, 0, RAM16, true);
	fill_table(&m, SDR1_64K);
	CU_ASSERT_EQUAL_FATAL(open_ppc(&m, gt_boot, &a), 0);
	CU_ASSERT_EQUAL_FATAL(findings_list(&a, &f, &e), 0);
	CU_ASSERT_EQUAL_FATAL(f.top.n, 3);
	CU_ASSERT_TRUE(f.top.v[0].cls == GT_FP && f.top.v[0].size == 0x10000);
	ASSERT_STR_EQ(f.top.v[0].note, "implied SDR1 0x00fe0000, but SDR1 0x00fe0001 was logged (size 0x20000)");
	const struct finding *ghost = findings_find(&f, 0xFE0000, 0x20000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ghost);
	CU_ASSERT_TRUE(ghost->ghost && ghost->cls == GT_FN);
	ASSERT_STR_EQ(ghost->note, "logged SDR1 0x00fe0001; found with size 0x10000");
	CU_ASSERT_EQUAL_FATAL(findings_gtruth(&a, &g, &e), 0);
	CU_ASSERT_TRUE(g.tp == 0 && g.fp == 1 && g.fn == 1 && g.boot == 1 && g.n == 3);
	CU_ASSERT_TRUE(g.v[1].cls == GT_FN && !g.v[1].found[0] && g.v[1].size == 0x20000);
	ASSERT_STR_EQ(g.v[1].truth_note, "  0.50-60.00  SDR1 0x00fe0001, found with another size");
	CU_ASSERT_TRUE(g.v[2].cls == GT_FP && !g.v[2].truth[0] && g.v[2].size == 0x10000);
	finding_gt_free(&g);
	findings_free(&f);
	analysis_close(&a);
	mpfix_free(&m);
}

/* ---- Intel ---- */

#define INTEL64 "{architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 39}}"

static void test_intel(void)
{
	struct tb t;
	struct tb_ia64_idt b;
	struct findings f;
	struct finding_gt g;
	struct err e = {{0}};
	tb_build_ia64_idt(&t, &b);
	char *dir = fx_tmpdir();
	/* The IDT's base, a user page that is no IDT (FN), an address no tree maps (not compared). */
	char *gtext = xasprintf("format: mmushell-gtruth/1\nregisters:\n"
				"  - {name: cr3, value: 0x%llx, first_seen: 1, last_seen: 40}\n"
				"  - {name: idtr_base, value: 0x%llx, first_seen: 0.5, last_seen: 42}\n"
				"  - {name: idtr_base, value: 0x400000, first_seen: 0.2, last_seen: 0.3}\n"
				"  - {name: idtr_base, value: 0x7000000000, first_seen: 0.1, last_seen: 0.2}\n",
				(unsigned long long)b.r1, (unsigned long long)TB_IDT_VA);
	const char *gt = fx_write(dir, "gt.yaml", gtext);
	free(gtext);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, tb_write(&t, dir, INTEL64, "ia64", NULL), gt, NULL), 0);
	CU_ASSERT_EQUAL(findings_list(&a, &f, &e), -1);
	ASSERT_STR_EQ(e.msg, "no IDT scan yet: run parse_memory first");
	CU_ASSERT_EQUAL_FATAL(tl_run(&a, "parse_memory", NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(tl_run(&a, "find_radix_trees", NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(findings_list(&a, &f, &e), 0);
	CU_ASSERT_EQUAL(f.found, 1);
	CU_ASSERT_EQUAL_FATAL(f.top.n, 2);
	const struct finding *idt = &f.top.v[0];
	char *want = xasprintf("0x%08llx 256 gates", (unsigned long long)b.idt);
	ASSERT_STR_EQ(idt->text, want);
	free(want);
	ASSERT_STR_EQ(idt->note, "at 0xfffffe0000000000 in 2 trees, confirms the trees kept");
	CU_ASSERT_TRUE(idt->classed && idt->cls == GT_TP && idt->expandable && idt->addr == b.idt && idt->size == 4096);
	/* The user page the second base translates to: a ghost, no gate there. */
	const struct finding *ghost = &f.top.v[1];
	CU_ASSERT_TRUE(ghost->ghost && ghost->cls == GT_FN && ghost->addr == b.upage1 && !ghost->size);
	CU_ASSERT_PTR_NOT_NULL(strstr(ghost->note, "IDTR base 0x0000000000400000; not a candidate"));

	struct finding_list gates = {0};
	findings_children(&a, &f, idt, &gates);
	CU_ASSERT_EQUAL_FATAL(gates.n, 256);
	ASSERT_STR_EQ(gates.v[3].text, "[  3] interrupt DPL3 sel 0x0010 -> 0xffffffff80000030 IST 0");
	CU_ASSERT_TRUE(gates.v[3].addr == b.idt + 48 && gates.v[3].size == 16 && !gates.v[3].expandable);
	finding_list_free(&gates);

	CU_ASSERT_EQUAL_FATAL(findings_gtruth(&a, &g, &e), 0);
	CU_ASSERT_TRUE(g.tp == 1 && g.fn == 1 && g.fp == 0);
	CU_ASSERT_EQUAL_FATAL(g.n, 3);
	/* By last seen, as show_idtrs_gtruth lists them. */
	CU_ASSERT_FALSE(g.v[0].classed);
	ASSERT_STR_EQ(g.v[0].truth, "0x0000007000000000 -> ?");
	CU_ASSERT_FALSE(g.v[0].has_node);
	CU_ASSERT_TRUE(g.v[1].cls == GT_FN && !g.v[1].found[0] && g.v[1].has_node);
	CU_ASSERT_PTR_EQUAL(findings_find(&f, g.v[1].addr, g.v[1].size), ghost);
	CU_ASSERT_TRUE(g.v[2].cls == GT_TP && g.v[2].has_node);
	ASSERT_STR_EQ(g.v[2].found_note, "256 gates, at this base");
	CU_ASSERT_PTR_EQUAL(findings_find(&f, g.v[2].addr, g.v[2].size), idt);
	ASSERT_STR_EQ(g.found_head, "IDTs: 1 candidate");
	ASSERT_STR_EQ(g.truth_head, "idtr_base: 3 logged values");
	/* The command tells the same (it runs the same comparison). */
	char *json;
	CU_ASSERT_EQUAL(tl_run(&a, "show_idtrs_gtruth", &json, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"tp\": 1, \"fp\": 0, \"fn\": 1, \"unresolved\": 1"));
	free(json);
	finding_gt_free(&g);
	findings_free(&f);
	analysis_close(&a);
	tb_free(&t);
}

void register_findings_tests(void)
{
	static const struct unit_test tests[] = {
		{"builders: nodes, rows, class totals", test_builders},
		{"wrappers: no findings, lookup", test_wrappers},
		{"ppc: table -> chunks -> PTE groups -> PTEs, ghosts", test_ppc_tree},
		{"ppc: ground-truth rows, size mismatch", test_ppc_gtruth},
		{"intel: IDT -> gates, IDTR rows", test_intel},
	};
	unit_add_suite("findings", tests, ARRAY_LEN(tests));
}
