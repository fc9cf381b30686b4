/*
 * The radix engine on hand-built trees (tests/tablebuild.c): each defect
 * of the original named in the spec has a test here, plus hostile input.
 */
#include "autoconfig.h"

#include <stdlib.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "fixtures.h"
#include "radix.h"
#include "tablebuild.h"
#include "testlib.h"
#include "unit.h"

#define INTEL64 "{architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 39}}"
#define INTEL32(mphy) "{architecture: intel, endianness: little, bits: 32, processor_features: {m_phy: " mphy "}}"
#define RISCV64 "{architecture: riscv, endianness: little, bits: 64}"

static int analyse(struct analysis *a)
{
	if (tl_run(a, "parse_memory", NULL, NULL) || tl_run(a, "find_radix_trees", NULL, NULL))
		return -1;
	return 0;
}

static bool has_tree(const struct analysis *a, uint64_t root)
{
	return radix_tree_index(a->radix, root, -1) >= 0;
}

/*
 * IA-32e: XD honoured, user and kernel halves apart (sign extension),
 * permissions ANDed over every level, kernel half shared by two roots.
 */
static void test_ia64_permissions(void)
{
	struct tb t;
	const struct tb_mode *m = &tb_ia64;
	tb_init(&t, 0, 8 << 20, 1);
	uint64_t big = tb_alloc(&t, 2 << 20, 2 << 20);
	tb_fill_random(&t, big, 2 << 20);
	uint64_t r1 = tb_alloc(&t, 4096, 4096), r2 = tb_alloc(&t, 4096, 4096);
	uint64_t ktext = tb_data_page(&t, 4096), kdata = tb_data_page(&t, 4096);
	uint64_t code = tb_data_page(&t, 4096), data = tb_data_page(&t, 4096), p3 = tb_data_page(&t, 4096),
		 p4 = tb_data_page(&t, 4096), code2 = tb_data_page(&t, 4096);
	const uint64_t K = 0xffff800000000000ULL;
	tb_map(&t, m, r1, K + 0x200000, ktext, 3, TB_P | TB_RW, TB_P | TB_RW);
	tb_map(&t, m, r1, K + 0x201000, kdata, 3, TB_P | TB_RW | TB_XD, TB_P | TB_RW);
	tb_map(&t, m, r1, K + 0x40000000, big, 2, TB_P | TB_RW, TB_P | TB_RW);
	tb_map(&t, m, r1, K + 0xc0000000, 0x40000000, 1, TB_P, TB_P | TB_RW);
	tb_map(&t, m, r1, 0x400000, code, 3, TB_P | TB_US, TB_P | TB_RW | TB_US);
	tb_map(&t, m, r1, 0x401000, data, 3, TB_P | TB_RW | TB_US | TB_XD, TB_P | TB_RW | TB_US);
	/* User leaf under a supervisor PDPTE: a kernel page. */
	tb_map(&t, m, r1, 0x40000000, p3, 3, TB_P | TB_RW | TB_US, TB_P | TB_RW);
	/* Writable leaf under a read-only PDPTE: read-only. */
	tb_map(&t, m, r1, 0x80000000, p4, 3, TB_P | TB_RW | TB_US, TB_P | TB_US);
	/* Process 2: its own user half, the same kernel half. */
	tb_put(&t, m, r2 + 256 * 8, tb_get(&t, m, r1 + 256 * 8));
	tb_map(&t, m, r2, 0x400000, code2, 3, TB_P | TB_US, TB_P | TB_RW | TB_US);
	/*
	 * Restrictions at each pointer level apart, the last one (the PDE) too:
	 * a walk that skipped any level's flags (the original skipped the
	 * last) would give these pages more rights.
	 */
	uint64_t lv[3], vas[3] = {0x600000, 0x800000, 0xa00000};
	static const uint64_t strip[3] = {TB_RW, TB_US, TB_RW};
	for (int k = 0; k < 3; k++) {
		lv[k] = tb_data_page(&t, 4096);
		tb_map(&t, m, r2, vas[k], lv[k], 3, TB_P | TB_RW | TB_US, TB_P | TB_RW | TB_US);
	}
	uint64_t pml4e = tb_get(&t, m, r2), pdpte = tb_get(&t, m, (pml4e & 0xffffff000ULL));
	uint64_t pd = pdpte & 0xffffff000ULL;
	for (int k = 0; k < 3; k++) { /* PDEs 3, 4, 5 of the first PD */
		uint64_t pde = pd + (vas[k] >> 21) * 8;
		tb_put(&t, m, pde, (tb_get(&t, m, pde) & ~strip[k]) | (k == 2 ? TB_XD : 0));
	}

	char *dir = fx_tmpdir();
	const char *yaml = tb_write(&t, dir, INTEL64, "ia64", NULL);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_EQUAL(a.radix->ntrees, 2);
	CU_ASSERT_TRUE(has_tree(&a, r1));
	CU_ASSERT_TRUE(has_tree(&a, r2));

	struct vas v;
	radix_vas(&a, &a.radix->space[0], r1, &v);
	CU_ASSERT_EQUAL_FATAL(v.n, 8);
	tl_expect_range(&v, 0, 0x400000, 0x1000, code, "---r-x");
	tl_expect_range(&v, 1, 0x401000, 0x1000, data, "---rw-");
	tl_expect_range(&v, 2, 0x40000000, 0x1000, p3, "RWX---");
	tl_expect_range(&v, 3, 0x80000000, 0x1000, p4, "---r-x");
	tl_expect_range(&v, 4, K + 0x200000, 0x1000, ktext, "RWX---");
	tl_expect_range(&v, 5, K + 0x201000, 0x1000, kdata, "RW----");
	tl_expect_range(&v, 6, K + 0x40000000, 0x200000, big, "RWX---");
	tl_expect_range(&v, 7, K + 0xc0000000, 0x40000000, 0x40000000, "R-X---");
	vas_free(&v);

	int ti = radix_tree_index(a.radix, r1, 0);
	CU_ASSERT_EQUAL(a.radix->trees[ti].user_bytes, 4 * 4096); /* by the leaves' own U bits */
	CU_ASSERT_EQUAL(a.radix->trees[ti].kernel_bytes, 2 * 4096 + (2 << 20) + (1ULL << 30));

	struct radix_walk w;
	radix_resolve(&a, &a.radix->space[0], r2, 0x400abc, &w);
	CU_ASSERT_TRUE(w.ok);
	CU_ASSERT_EQUAL(w.pa, code2 + 0xabc);
	CU_ASSERT_EQUAL(w.nsteps, 4);
	radix_resolve(&a, &a.radix->space[0], r2, 0x600010, &w);
	CU_ASSERT_TRUE(w.ok);
	CU_ASSERT_EQUAL(w.pa, lv[0] + 0x10);
	CU_ASSERT_EQUAL(w.perms, PERM_UR | PERM_UX); /* the PDE is read-only */
	radix_resolve(&a, &a.radix->space[0], r2, 0x800010, &w);
	CU_ASSERT_TRUE(w.ok);
	CU_ASSERT_EQUAL(w.perms, PERM_KR | PERM_KW | PERM_KX); /* the PDE is supervisor-only */
	radix_resolve(&a, &a.radix->space[0], r2, 0xa00010, &w);
	CU_ASSERT_TRUE(w.ok);
	CU_ASSERT_EQUAL(w.perms, PERM_UR); /* the PDE is read-only and XD */
	radix_resolve(&a, &a.radix->space[0], r2, K + 0x40012345, &w);
	CU_ASSERT_TRUE(w.ok);
	CU_ASSERT_EQUAL(w.pa, big + 0x12345);
	radix_resolve(&a, &a.radix->space[0], r1, 0x0000800000000000ULL, &w);
	CU_ASSERT_FALSE(w.ok);
	ASSERT_STR_EQ(w.why, "not an address this tree translates (not canonical)");
	radix_resolve(&a, &a.radix->space[0], r1, 0x402000, &w);
	CU_ASSERT_FALSE(w.ok);
	ASSERT_STR_EQ(w.why, "not mapped (empty entry)");

	char *json, *msg;
	char *cmd = xasprintf("resolve 0x%llx 0x401010", (unsigned long long)r1);
	CU_ASSERT_EQUAL(tl_run(&a, cmd, &json, NULL), 0);
	char *want = xasprintf("\"mapped\": true, \"paddr\": \"0x%llx\", \"perms\": \"---rw-\"", (unsigned long long)(data + 0x10));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, want));
	free(want);
	free(json);
	free(cmd);
	CU_ASSERT_EQUAL(tl_run(&a, "show_vas 0x7000000", NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "0x7000000 is not in RAM");
	free(msg);
	analysis_close(&a);
	tb_free(&t);
}

/* Sv48 works (the original could not run it); satp decoded with the RV64 layout. */
static void test_sv48_satp(void)
{
	struct tb t;
	const struct tb_mode *m = &tb_sv48;
	tb_init(&t, 0x80000000, 1 << 20, 2);
	uint64_t root = tb_alloc(&t, 4096, 4096);
	uint64_t upage = tb_data_page(&t, 4096), kpage = tb_data_page(&t, 4096);
	tb_map(&t, m, root, 0x10000, upage, 3, TB_V | TB_R | TB_X | TB_U | TB_AD, TB_V);
	tb_map(&t, m, root, 0xffff800000001000ULL, kpage, 3, TB_V | TB_R | TB_W | TB_AD, TB_V);
	tb_map(&t, m, root, 0x40000000, 0xc0000000, 1, TB_V | TB_R | TB_W | TB_U | TB_AD, TB_V);
	char *dir = fx_tmpdir();
	const char *yaml = tb_write(&t, dir, RISCV64, "sv48", NULL);
	char *gtext = xasprintf("format: mmushell-gtruth/1\nregisters:\n"
				"  - {name: satp, value: 0x%llx, first_seen: 2, last_seen: 30}\n"
				"  - {name: satp, value: 0x0, first_seen: 0, last_seen: 0.2}\n",
				(unsigned long long)(9ULL << 60 | 0x1234ULL << 44 | root >> 12));
	const char *gt = fx_write(dir, "gt.yaml", gtext);
	free(gtext);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, gt, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_EQUAL(a.radix->ntrees, 1);
	CU_ASSERT_TRUE(has_tree(&a, root));
	struct vas v;
	radix_vas(&a, &a.radix->space[0], root, &v);
	CU_ASSERT_EQUAL_FATAL(v.n, 3);
	tl_expect_range(&v, 0, 0x10000, 0x1000, upage, "---r-x");
	tl_expect_range(&v, 1, 0x40000000, 0x40000000, 0xc0000000, "---rw-");
	tl_expect_range(&v, 2, 0xffff800000001000ULL, 0x1000, kpage, "RW----");
	vas_free(&v);
	char *json;
	CU_ASSERT_EQUAL(tl_run(&a, "show_radix_trees_gtruth", &json, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"tp\": 1, \"fp\": 0, \"fn\": 0"));
	free(json);
	analysis_close(&a);
	tb_free(&t);
}

/*
 * A level-1 table whose one pointer leads to a table with one 4 KiB leaf
 * that happens to be 2 MiB-aligned reads, one level up, as a consistent
 * tree of its own: it is part of the real tree, not a root.
 */
static void test_nested_not_root(void)
{
	struct tb t;
	const struct tb_mode *m = &tb_sv39;
	tb_init(&t, 0x80000000, 4 << 20, 12);
	uint64_t root = tb_alloc(&t, 4096, 4096);
	uint64_t aligned = 0x80200000; /* 2 MiB-aligned, past the builder's allocations */
	tb_fill_random(&t, aligned, 4096);
	tb_map(&t, m, root, 0x1000, aligned, 2, TB_V | TB_R | TB_U | TB_AD, TB_V);
	tb_map(&t, m, root, 0xffffffc000000000ULL, tb_data_page(&t, 4096), 2, TB_V | TB_R | TB_W | TB_AD, TB_V);
	uint64_t l1 = tb_get(&t, m, root) >> 10 << 12; /* entry 0 of the root: the level-1 table of va 0x1000 */
	char *dir = fx_tmpdir();
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, tb_write(&t, dir, RISCV64, "sv39", NULL), NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	/* The level-1 table passes the root tests on its own... */
	CU_ASSERT_TRUE(radix_is_candidate(&a.radix->space[0], l1, 0));
	CU_ASSERT_PTR_NULL(radix_root_problem(&a, &a.radix->space[0], l1));
	/* ...but it is not a tree: the real root reaches it. */
	CU_ASSERT_EQUAL(a.radix->ntrees, 1);
	CU_ASSERT_TRUE(has_tree(&a, root));
	CU_ASSERT_FALSE(has_tree(&a, l1));
	analysis_close(&a);
	tb_free(&t);
}

/*
 * Roots reached through a table two trees share.  Tree A's PDPT Y links
 * back to A's root (read as a page directory), and tree B's PML4 points to
 * Y too: B reaches A's root, so A is part of B, whichever of them walks Y
 * first (A did, and skipped Y's link to its own root, so B found Y
 * walked and kept A).  Tree C's PML4 maps itself, as Windows does: a
 * table's links to itself keep it.
 */
static void test_nested_through_shared(void)
{
	struct tb t;
	const struct tb_mode *m = &tb_ia64;
	tb_init(&t, 0, 1 << 20, 13);
	uint64_t ra = tb_alloc(&t, 4096, 4096), rb = tb_alloc(&t, 4096, 4096), rc = tb_alloc(&t, 4096, 4096);
	const uint64_t ptr = TB_P | TB_RW | TB_US;
	tb_map(&t, m, ra, 0x400000, tb_data_page(&t, 4096), 3, TB_P | TB_US, ptr);
	uint64_t y = tb_get(&t, m, ra) & 0xffffff000ULL;
	tb_put(&t, m, y + 5 * 8, m->ptr(ra, ptr));   /* Y -> A's root */
	tb_put(&t, m, rb + 1 * 8, m->ptr(y, ptr));   /* B -> Y */
	tb_map(&t, m, rb, 0x1000, tb_data_page(&t, 4096), 3, TB_P | TB_US, ptr);
	tb_map(&t, m, rc, 0x400000, tb_data_page(&t, 4096), 3, TB_P | TB_US, ptr);
	tb_put(&t, m, rc + 0x1ed * 8, m->ptr(rc, TB_P | TB_RW));
	char *dir = fx_tmpdir();
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, tb_write(&t, dir, INTEL64, "ia64", NULL), NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_PTR_NULL(radix_root_problem(&a, &a.radix->space[0], ra));
	CU_ASSERT_FALSE(has_tree(&a, ra));
	CU_ASSERT_TRUE(has_tree(&a, rb));
	CU_ASSERT_TRUE(has_tree(&a, rc));
	analysis_close(&a);
	tb_free(&t);
}

/* Sv39 satp with a root above 16 GiB: the PPN is 44 bits, not 22. */
static void test_sv39_high_root(void)
{
	struct tb t;
	const struct tb_mode *m = &tb_sv39;
	tb_init(&t, 0x480000000ULL, 1 << 20, 3);
	uint64_t root = tb_alloc(&t, 4096, 4096);
	tb_map(&t, m, root, 0x1000, tb_data_page(&t, 4096), 2, TB_V | TB_R | TB_U | TB_AD, TB_V);
	char *dir = fx_tmpdir();
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, tb_write(&t, dir, RISCV64, "sv39", NULL), NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	uint64_t got;
	CU_ASSERT_TRUE(a.cfg.arch->radix->root_of(&a.radix->space[0].shape, 8ULL << 60 | root >> 12, &got));
	CU_ASSERT_EQUAL(got, root);
	CU_ASSERT_FALSE(a.cfg.arch->radix->root_of(&a.radix->space[0].shape, root >> 12, &got)); /* bare */
	CU_ASSERT_TRUE(has_tree(&a, root));
	analysis_close(&a);
	tb_free(&t);
}

/* PAE: 32-byte PDPT inside a page, a PDPTE with the accessed bit set (as Linux leaves it). */
static void test_pae_pdpt(void)
{
	struct tb t;
	const struct tb_mode *m = &tb_pae;
	tb_init(&t, 0, 2 << 20, 4);
	uint64_t page = tb_data_page(&t, 4096);
	uint64_t pdpt = page + 0x40;
	memset(t.ram + pdpt, 0, 32);
	uint64_t u = tb_data_page(&t, 4096), k = tb_data_page(&t, 4096);
	tb_map(&t, m, pdpt, 0x08048000, u, 2, TB_P | TB_US | TB_XD, TB_P | TB_RW | TB_US);
	tb_map(&t, m, pdpt, 0xc0100000, k, 2, TB_P | TB_RW, TB_P | TB_RW);
	/* PDPTEs carry only P (and A): drop the builder's RW/US there. */
	for (int i = 0; i < 4; i++) {
		uint64_t e = tb_get(&t, m, pdpt + 8 * i);
		if (e)
			tb_put(&t, m, pdpt + 8 * i, (e & ~0xfffULL) | TB_P | 0x20);
	}
	char *dir = fx_tmpdir();
	char *gtext = xasprintf("format: mmushell-gtruth/1\nregisters:\n  - {name: cr3, value: 0x%llx, first_seen: 2, last_seen: 9}\n",
				(unsigned long long)(pdpt | 0x18));
	const char *gt = fx_write(dir, "gt.yaml", gtext);
	free(gtext);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, tb_write(&t, dir, INTEL32("36"), "pae", NULL), gt, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_TRUE(has_tree(&a, pdpt));
	struct radix_walk w;
	radix_resolve(&a, &a.radix->space[0], pdpt, 0x08048123, &w);
	CU_ASSERT_TRUE(w.ok);
	CU_ASSERT_EQUAL(w.pa, u + 0x123);
	CU_ASSERT_EQUAL(w.perms, PERM_UR); /* XD honoured in PAE too */
	char *json;
	CU_ASSERT_EQUAL(tl_run(&a, "show_radix_trees_gtruth", &json, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"tp\": 1"));
	free(json);
	analysis_close(&a);
	tb_free(&t);
}

/* IA-32 4 MiB pages with PSE-36 high address bits; reserved bits make the entry invalid. */
static void test_ia32_pse36(void)
{
	struct tb t;
	const struct tb_mode *m = &tb_ia32;
	tb_init(&t, 0, 1 << 20, 5);
	uint64_t root = tb_alloc(&t, 4096, 4096);
	uint64_t u = tb_data_page(&t, 4096);
	tb_map(&t, m, root, 0x08048000, u, 1, TB_P | TB_US, TB_P | TB_US);
	/* 4 MiB page at physical 0x3_0040_0000: bits 35..32 go in bits 16..13. */
	tb_put(&t, m, root + (0xc0000000 >> 22) * 4, 0x00400000 | 3ULL << 13 | TB_PS | TB_P | TB_RW);
	/* Bit 21 is reserved with MAXPHYADDR 36. */
	tb_put(&t, m, root + (0xc0400000 >> 22) * 4, 0x00800000 | 1ULL << 21 | TB_PS | TB_P | TB_RW);
	char *dir = fx_tmpdir();
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, tb_write(&t, dir, INTEL32("36"), "ia32", NULL), NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(tl_run(&a, "parse_memory", NULL, NULL), 0);
	struct radix_walk w;
	radix_resolve(&a, &a.radix->space[0], root, 0xc0123456, &w);
	CU_ASSERT_TRUE(w.ok);
	CU_ASSERT_EQUAL(w.pa, 0x300523456ULL);
	CU_ASSERT_EQUAL(w.perms, PERM_KR | PERM_KW | PERM_KX);
	radix_resolve(&a, &a.radix->space[0], root, 0xc0400000, &w);
	CU_ASSERT_FALSE(w.ok);
	ASSERT_STR_EQ(w.why, "reserved bits of a 4 MiB page set");
	/* That invalid entry keeps the table from being a root candidate. */
	CU_ASSERT_FALSE(radix_is_candidate(&a.radix->space[0], root, 0));
	analysis_close(&a);
	tb_free(&t);
}

/* A table spanning two adjacent RAM regions is read across the boundary. */
static void test_across_regions(void)
{
	struct tb t;
	const struct tb_mode *m = &tb_ia64;
	tb_init(&t, 0, 1 << 20, 6);
	uint64_t root = tb_alloc(&t, 4096, 4096);
	uint64_t u = tb_data_page(&t, 4096);
	tb_map(&t, m, root, 0x400000, u, 3, TB_P | TB_US, TB_P | TB_US | TB_RW);
	/* Put user pages high in the table so entries land after the split. */
	for (int i = 0; i < 8; i++)
		tb_map(&t, m, root, 0x7ffffff00000ULL + 0x1000ULL * (uint64_t)i, tb_data_page(&t, 4096), 3,
		       TB_P | TB_US | TB_RW, TB_P | TB_US | TB_RW);
	/* PML4 entry 256 sits right after the split. */
	uint64_t kpage = tb_data_page(&t, 4096);
	tb_map(&t, m, root, 0xffff800000000000ULL, kpage, 3, TB_P | TB_RW, TB_P | TB_RW);
	char *dir = fx_tmpdir();
	uint64_t split = root + 0x800; /* in the middle of the root table */
	fx_write_bytes(dir, "a.bin", t.ram, split);
	fx_write_bytes(dir, "b.bin", t.ram + split, t.size - split);
	char *y = xasprintf("cpu: " INTEL64 "\nmmu: {mode: ia64}\nmemspace:\n  ram:\n"
			    "    - {start: 0, end: 0x%llx, dumpfile: a.bin}\n    - {start: 0x%llx, end: 0x%llx, dumpfile: b.bin}\n",
			    (unsigned long long)split - 1, (unsigned long long)split, (unsigned long long)t.size - 1);
	const char *yaml = fx_write(dir, "m.yaml", y);
	free(y);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_TRUE(has_tree(&a, root));
	struct vas v;
	radix_vas(&a, &a.radix->space[0], root, &v);
	CU_ASSERT_EQUAL(v.pages, 10);
	CU_ASSERT_EQUAL(v.r[v.n - 1].va, 0xffff800000000000ULL);
	vas_free(&v);
	struct radix_walk w;
	radix_resolve(&a, &a.radix->space[0], root, 0xffff800000000042ULL, &w);
	CU_ASSERT_TRUE(w.ok);
	CU_ASSERT_EQUAL(w.pa, kpage + 0x42);
	analysis_close(&a);
	tb_free(&t);
}

static void hostile(const char *name, int fill)
{
	struct tb t;
	tb_init(&t, 0, 4 << 20, 7);
	if (fill >= 0)
		memset(t.ram, fill, t.size);
	else
		tb_fill_random(&t, 0, t.size);
	char *dir = fx_tmpdir();
	struct analysis a;
	static const struct {
		const char *cpu, *mode;
	} modes[] = {{INTEL64, "ia64"}, {INTEL64, "la57"}, {INTEL32("36"), "pae"}, {INTEL32("32"), "ia32"},
		     {RISCV64, "sv39"}, {RISCV64, "sv48"}, {RISCV64, "sv57"},
		     {"{architecture: riscv, endianness: little, bits: 32}", "sv32"}};
	for (size_t i = 0; i < ARRAY_LEN(modes); i++) {
		CU_ASSERT_EQUAL_FATAL(tl_open(&a, tb_write(&t, dir, modes[i].cpu, modes[i].mode, NULL), NULL, NULL), 0);
		CU_ASSERT_EQUAL(tl_run(&a, "parse_memory", NULL, NULL), 0);
		CU_ASSERT_EQUAL(tl_run(&a, "find_radix_trees", NULL, NULL), 0);
		CU_ASSERT_EQUAL(a.radix->ntrees, 0);
		if (a.radix->ntrees)
			fprintf(stderr, "%s %s: %zu trees\n", name, modes[i].mode, a.radix->ntrees);
		analysis_close(&a);
	}
	tb_free(&t);
}

static void test_hostile(void)
{
	hostile("zero", 0);
	hostile("ff", 0xff);
	hostile("random", -1);
}

/* The IDT filter keeps the trees that map the IDT; ground truth with PCID bits and a boot-time root. */
static void test_idt_and_gtruth(void)
{
	struct tb t;
	struct tb_ia64_idt b;
	tb_build_ia64_idt(&t, &b);
	uint64_t r1 = b.r1, r2 = b.r2, orphan = b.orphan, idt = b.idt;
	char *dir = fx_tmpdir();
	char *gtext = xasprintf("format: mmushell-gtruth/1\nregisters:\n"
				"  - {name: cr3, value: 0x%llx, first_seen: 1.5, last_seen: 40}\n"
				"  - {name: cr3, value: 0x%llx, first_seen: 2, last_seen: 41}\n"
				"  - {name: cr3, value: 0x%llx, first_seen: 3, last_seen: 42}\n"
				"  - {name: cr3, value: 0x3ff000, first_seen: 0.1, last_seen: 0.4}\n"
				"  - {name: idtr_base, value: 0x%llx, first_seen: 0, last_seen: 42}\n",
				(unsigned long long)(r1 | 0x5), (unsigned long long)(r2 | 1ULL << 63 | 0x3),
				(unsigned long long)orphan, (unsigned long long)TB_IDT_VA);
	const char *gt = fx_write(dir, "gt.yaml", gtext);
	free(gtext);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, tb_write(&t, dir, INTEL64, "ia64", NULL), gt, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_EQUAL(a.radix->ntrees, 2);
	CU_ASSERT_TRUE(has_tree(&a, r1));
	CU_ASSERT_TRUE(has_tree(&a, r2));
	CU_ASSERT_FALSE(has_tree(&a, orphan));
	char *json;
	CU_ASSERT_EQUAL(tl_run(&a, "show_idtrs", &json, NULL), 0);
	char *want = xasprintf("{\"address\": \"0x%llx\", \"size\": 4096, \"gates\": 256, "
			       "\"virtual_address\": \"0xfffffe0000000000\", \"trees\": 2, "
			       "\"unresolved_handler_pages\": 0, \"used\": true}", (unsigned long long)idt);
	if (!strstr(json, want))
		fprintf(stderr, "\n%s\n", json);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, want));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"count\": 1"));
	free(want);
	free(json);
	CU_ASSERT_EQUAL(tl_run(&a, "show_radix_trees_gtruth", &json, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"tp\": 2, \"fp\": 0, \"fn\": 1, \"fn_invalid\": 0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"boot_only_skipped\": 1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "passes the root tests but was not selected by the filters"));
	free(json);
	char *text = tl_text(&a, "show_radix_trees 0x1234");
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "0 trees\nno tree was confirmed by an IDT at 0x1234 (show_idtrs lists the IDTs "
					    "and their trees)\n"));
	free(text);
	CU_ASSERT_EQUAL(tl_run(&a, "show_idtrs_gtruth", &json, NULL), 0);
	if (!strstr(json, "\"tp\": 1, \"fp\": 0"))
		fprintf(stderr, "\n%s\n", json);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"tp\": 1, \"fp\": 0, \"fn\": 0, \"unresolved\": 0"));
	free(json);
	char *cmd = xasprintf("show_idt 0x%llx", (unsigned long long)idt);
	CU_ASSERT_EQUAL(tl_run(&a, cmd, &json, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "{\"vector\": 3, \"kind\": \"interrupt\", \"dpl\": 3, \"selector\": 16, "
					    "\"handler\": \"0xffffffff80000030\"}"));
	free(json);
	free(cmd);
	analysis_close(&a);
	tb_free(&t);
}

/* Inferred roots (the harness's KPTI partners, never sampled) are ground truth: TP when found, else FN, never boot-only. */
static void test_inferred_roots(void)
{
	struct tb t;
	struct tb_ia64_idt b;
	tb_build_ia64_idt(&t, &b);
	char *dir = fx_tmpdir();
	char *gtext = xasprintf("format: mmushell-gtruth/1\nregisters:\n"
				"  - {name: cr3, value: 0x%llx, first_seen: 1.5, last_seen: 40}\n"
				"roots:\n"
				"  - {root: 0x%llx, register: cr3, inferred: true}\n"
				"  - {root: 0x%llx, register: cr3, first_seen: null, inferred: true}\n"
				"  - {root: 0x3ff000, register: CR3, inferred: true}\n"
				"  - {root: 0x%llx, register: cr3, inferred: false}\n"
				"  - {root: 0x5000, register: satp, inferred: true}\n",
				(unsigned long long)b.r1, (unsigned long long)b.r1, (unsigned long long)b.r2,
				(unsigned long long)b.orphan);
	const char *gt = fx_write(dir, "gt.yaml", gtext);
	free(gtext);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, tb_write(&t, dir, INTEL64, "ia64", NULL), gt, NULL), 0);
	CU_ASSERT_EQUAL(a.gt.ninferred, 4);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	char *json, *text;
	CU_ASSERT_EQUAL(tl_run(&a, "show_radix_trees_gtruth", &json, NULL), 0);
	char *r1 = xasprintf("{\"root\": \"0x%llx\", \"tree\": \"all\", \"first_seen\": 1.5, \"last_seen\": 40}",
			     (unsigned long long)b.r1);
	char *r2 = xasprintf("{\"root\": \"0x%llx\", \"tree\": \"all\", \"first_seen\": null, \"last_seen\": null, "
			     "\"inferred\": true}", (unsigned long long)b.r2);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, r1));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, r2));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"false_negatives\": [{\"root\": \"0x3ff000\", \"tree\": \"all\", "
					    "\"first_seen\": null, \"last_seen\": null, \"inferred\": true"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"tp\": 2, \"fp\": 0, \"fn\": 1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"boot_only_skipped\": 0, \"ground_truth_roots\": 3, \"ground_truth_inferred\": 2"));
	free(r1);
	free(r2);
	free(json);
	text = tl_text(&a, "show_radix_trees_gtruth");
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "0x00000000003ff000  all   FN     -           -          inferred (never sampled); "));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "2 of the 3 ground-truth roots are inferred by the capture (never sampled)\n"));
	free(text);
	analysis_close(&a);
	tb_free(&t);
}

static void test_command_errors(void)
{
	struct tb t;
	tb_init(&t, 0, 1 << 20, 9);
	char *dir = fx_tmpdir();
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, tb_write(&t, dir, RISCV64, "sv39", NULL), NULL, NULL), 0);
	char *msg;
	CU_ASSERT_EQUAL(tl_run(&a, "find_radix_trees", NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "no tables yet: run parse_memory first");
	free(msg);
	CU_ASSERT_EQUAL(tl_run(&a, "show_idtrs", NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "does not apply to architecture riscv (it is a command of intel)");
	free(msg);
	CU_ASSERT_EQUAL(tl_run(&a, "find_tables", NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "does not apply to architecture riscv (use parse_memory)");
	free(msg);
	CU_ASSERT_EQUAL(tl_run(&a, "parse_memory", NULL, NULL), 0);
	CU_ASSERT_EQUAL(tl_run(&a, "show_table 0x1000 9", NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "LEVEL must be below 3 for this tree");
	free(msg);
	CU_ASSERT_EQUAL(tl_run(&a, "show_table 0x1004", NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "0x1004 is not aligned to a level-0 table (4096 bytes)");
	free(msg);
	CU_ASSERT_EQUAL(tl_run(&a, "show_table zz", NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "ADDR must be a number, decimal or 0x hexadecimal (got 'zz')");
	free(msg);
	/* One tree kind: a TREE word is a mistake, not a misspelt number. */
	CU_ASSERT_EQUAL(tl_run(&a, "resolve 0x1000 0x2000 user", NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "this dump has one tree: no TREE argument (got 'user')");
	free(msg);
	CU_ASSERT_EQUAL(tl_run(&a, "show_vas 0x1000 bogus", NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "this dump has one tree: no TREE argument (got 'bogus')");
	free(msg);
	CU_ASSERT_EQUAL(tl_run(&a, "show_table 0x1000 0 7", NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "too many numbers (got '7')");
	free(msg);
	CU_ASSERT_EQUAL(tl_run(&a, "show_radix_trees_gtruth", NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "no ground truth: start mmushell with --gtruth FILE");
	free(msg);
	/* ROOT must hold a top table; one that is not a tree found is walked, and said so. */
	CU_ASSERT_EQUAL(tl_run(&a, "resolve 0x1004 0x0", NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "0x1004 is not aligned to a level-0 table (4096 bytes)");
	free(msg);
	CU_ASSERT_EQUAL(tl_run(&a, "show_vas 0x200000", NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "0x200000 is not in RAM");
	free(msg);
	CU_ASSERT_EQUAL(tl_run(&a, "resolve 0x200000 0x0", NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "0x200000 is not in RAM");
	free(msg);
	char *found;
	CU_ASSERT_EQUAL(tl_run(&a, "find_radix_trees", &found, NULL), 0);
	/* No candidate at all is a note, not a limit the search stopped at. */
	CU_ASSERT_PTR_NOT_NULL(strstr(found, "{\"note\": \"no root-table candidates at all: is the MMU mode right?\", "
					     "\"trees\": 0, "));
	CU_ASSERT_PTR_NULL(strstr(found, "\"limit\""));
	free(found);
	char *text = tl_text(&a, "resolve 0x1000 0x0");
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "(0x1000 is not one of the trees found: walked as a top-level table)\n"));
	free(text);
	char *json = tl_json(&a, "show_vas 0x1000");
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "{\"root\": \"0x1000\", \"tree_found\": false, \"ranges\": ["));
	free(json);
	analysis_close(&a);
	tb_free(&t);
}

void register_radix_tests(void)
{
	static const struct unit_test tests[] = {
		{"ia64_permissions", test_ia64_permissions},
		{"sv48_satp", test_sv48_satp},
		{"sv39_high_root", test_sv39_high_root},
		{"pae_pdpt", test_pae_pdpt},
		{"ia32_pse36", test_ia32_pse36},
		{"across_regions", test_across_regions},
		{"hostile", test_hostile},
		{"idt_and_gtruth", test_idt_and_gtruth},
		{"inferred_roots", test_inferred_roots},
		{"nested_not_root", test_nested_not_root},
		{"nested through a shared table", test_nested_through_shared},
		{"command_errors", test_command_errors},
	};
	unit_add_suite("radix", tests, ARRAY_LEN(tests));
}
