/*
 * ARM short/long descriptors and AArch64 page tables on hand-built trees:
 * descriptor vectors of spec 7.10 (item 6), supersections and large pages,
 * TTBCR.N with top_skip, 32-byte LPAE roots with the TTBR0 limit, 16 and
 * 64 KiB granules, shared scans, kinds, ground-truth register names.
 * Entries are written from the manuals (ARM DDI 0406C B3, DDI 0487 D8),
 * not with src/arch.
 */
#include "autoconfig.h"

#include <stdlib.h>

#include "analysis.h"
#include "arch.h"
#include "arm-tables.h"
#include "commands.h"
#include "fixtures.h"
#include "mkdump/expected.h"
#include "mkdump/mkdump.h"
#include "radix-gtruth.h"
#include "radix.h"
#include "regrec.h"
#include "tablebuild.h"
#include "testlib.h"
#include "unit.h"

#define RAM_BASE 0x40000000ULL

static int analyse(struct analysis *a)
{
	return tl_run(a, "find_tables", NULL, NULL) || tl_run(a, "find_radix_trees", NULL, NULL) ? -1 : 0;
}

static void put32(struct tb *t, uint64_t pa, uint32_t v)
{
	wr32(t->ram + (pa - t->base), v, false);
}

static void put64(struct tb *t, uint64_t pa, uint64_t v)
{
	wr64(t->ram + (pa - t->base), v, false);
}

static uint64_t resolve(struct analysis *a, unsigned space, uint64_t root, uint64_t va, const char **why)
{
	struct radix_walk w;
	radix_resolve(a, &a->radix->space[space], root, va, &w);
	if (why)
		*why = w.why;
	return w.ok ? w.pa : UINT64_MAX;
}

static bool found(const struct analysis *a, uint64_t root, int space)
{
	return radix_tree_index(a->radix, root, space) >= 0;
}

static bool kernel_only(const struct analysis *a, uint64_t root, int space)
{
	int i = radix_tree_index(a->radix, root, space);
	return i >= 0 && (a->radix->trees[i].flags & RADIX_TREE_KERNEL_ONLY);
}

/* TP, FP and FN against the ground truth (-1: not checked). */
static void expect_gt(struct analysis *a, int tp, int fp, int fn)
{
	struct radix_gt g;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(radix_gtruth_compare(a, &g, &e), 0);
	if ((tp >= 0 && g.tp != (size_t)tp) || (fp >= 0 && g.fp != (size_t)fp) || (fn >= 0 && g.fn != (size_t)fn))
		fprintf(stderr, "\n  ground truth: TP %zu FP %zu FN %zu, want %d %d %d\n", g.tp, g.fp, g.fn, tp, fp, fn);
	if (tp >= 0)
		CU_ASSERT_EQUAL(g.tp, (size_t)tp);
	if (fp >= 0)
		CU_ASSERT_EQUAL(g.fp, (size_t)fp);
	if (fn >= 0)
		CU_ASSERT_EQUAL(g.fn, (size_t)fn);
	radix_gt_free(&g);
}

/* ---- descriptor vectors (spec 7.10 item 6) ---- */

static void decode(const struct radix_ops *ops, const struct radix_shape *s, unsigned level, uint64_t raw,
		   struct pte *p)
{
	memset(p, 0, sizeof(*p));
	ops->decode(s, level, raw, p);
}

static void test_vectors(void)
{
	struct radix_shape s = {0};
	struct pte p;
	s.param[ARMT_FORMAT] = ARMT_SHORT;
	decode(&arm_radix, &s, 0, 0x0040040E, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_PAGE);
	CU_ASSERT_EQUAL(p.addr, 0x00400000);
	CU_ASSERT_EQUAL(p.size, 1 << 20);
	decode(&arm_radix, &s, 1, 0x0040040E, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_PAGE);
	CU_ASSERT_EQUAL(p.addr, 0x00400000);
	CU_ASSERT_EQUAL(p.size, 4096);
	decode(&arm_radix, &s, 0, 0x80004001, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_TABLE);
	CU_ASSERT_EQUAL(p.addr, 0x80004000);
	decode(&arm_radix, &s, 1, 0x80004001, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_PAGE);
	CU_ASSERT_EQUAL(p.addr, 0x80000000);
	CU_ASSERT_EQUAL(p.size, 64 << 10);
	/* Supersection: PA[31:24] bits 31..24, PA[35:32] bits 23..20, PA[39:36] bits 8..5. */
	decode(&arm_radix, &s, 0, 0x12340000 | 1u << 18 | 0x5u << 5 | 2, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_PAGE);
	CU_ASSERT_EQUAL(p.addr, 0x5312000000ULL);
	CU_ASSERT_EQUAL(p.size, 16 << 20);
	/* Bit 9 (IMPLEMENTATION DEFINED) and the reserved TEX/C/B heuristic. */
	decode(&arm_radix, &s, 0, 0x80004201, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_INVALID);
	decode(&arm_radix, &s, 0, 0x00401008 | 2, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_INVALID);
	decode(&arm_radix, &s, 1, 0x00400048 | 2, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_INVALID);
	/* Large page with bits 8..6 set. */
	decode(&arm_radix, &s, 1, 0x80000041, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_INVALID);

	/* AArch64 0x0060000040080713: pointer at levels 0-2, page at level 3, every granule. */
	static const unsigned granules[] = {12, 14, 16};
	for (size_t i = 0; i < ARRAY_LEN(granules); i++) {
		struct radix_shape a = {0};
		a.param[ARMT_FORMAT] = ARMT_AARCH64;
		a.param[ARMT_GRANULE] = granules[i];
		a.param[ARMT_PA_BITS] = 48;
		for (unsigned lv = 0; lv < 3; lv++) {
			decode(&aarch64_radix, &a, lv, 0x0060000040080713ULL, &p);
			CU_ASSERT_EQUAL(p.kind, PTE_TABLE);
			CU_ASSERT_EQUAL(p.addr, 0x40080000);
		}
		decode(&aarch64_radix, &a, 3, 0x0060000040080713ULL, &p);
		CU_ASSERT_EQUAL(p.kind, PTE_PAGE);
		CU_ASSERT_EQUAL(p.addr, 0x40080000);
		CU_ASSERT_EQUAL(p.size, 1ULL << granules[i]);
		/* bits[1..0] = 10: invalid, so empty (the original took it for a page or pointer). */
		decode(&aarch64_radix, &a, 3, 0x0060000040080712ULL, &p);
		CU_ASSERT_EQUAL(p.kind, PTE_EMPTY);
		/* 0b01 at the last level is reserved. */
		decode(&aarch64_radix, &a, 3, 0x0060000040080711ULL, &p);
		CU_ASSERT_EQUAL(p.kind, PTE_INVALID);
	}
	struct radix_shape a = {0};
	a.param[ARMT_FORMAT] = ARMT_AARCH64;
	a.param[ARMT_GRANULE] = 12;
	a.param[ARMT_PA_BITS] = 40;
	/* Output address above IPS; DBM and GP (bits 51, 50) are attributes, not address bits. */
	decode(&aarch64_radix, &a, 3, 0x0000100040080703ULL, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_INVALID);
	decode(&aarch64_radix, &a, 3, 0x00e8000040080f43ULL, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_PAGE);
	/* Blocks: 1 GiB at level 1, 2 MiB at level 2 with clean low bits; none at level 0. */
	decode(&aarch64_radix, &a, 1, 0x40000701ULL, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_PAGE);
	CU_ASSERT_EQUAL(p.size, 1ULL << 30);
	decode(&aarch64_radix, &a, 2, 0x40201701ULL, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_INVALID);
	decode(&aarch64_radix, &a, 0, 0x40000701ULL, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_INVALID);
	/* Reserved shareability. */
	decode(&aarch64_radix, &a, 3, 0x40080503ULL, &p);
	CU_ASSERT_EQUAL(p.kind, PTE_INVALID);
}

/* ---- ARM short descriptors ---- */

#define SHORT_CPU(ttbcr) "{architecture: arm, endianness: little, bits: 32, registers_values: {TTBCR: " ttbcr "}}"
/* Section: AP[1:0] bits 11..10, AP[2] bit 15, XN bit 4, PXN bit 0. */
#define SEC(pa, ap, xn) ((uint32_t)(pa) | ((ap) & 3u) << 10 | ((ap) & 4u) << 13 | (xn) << 4 | 2u)
/* Small page: AP[1:0] bits 5..4, AP[2] bit 9, XN bit 0. */
#define SMALL(pa, ap, xn) ((uint32_t)(pa) | ((ap) & 3u) << 4 | ((ap) & 4u) << 7 | (xn) | 2u)
/* Large page: XN bit 15. */
#define LARGE(pa, ap, xn) ((uint32_t)(pa) | ((ap) & 3u) << 4 | ((ap) & 4u) << 7 | (xn) << 15 | 1u)
#define PTP(pa, pxn) ((uint32_t)(pa) | (pxn) << 2 | 1u)

/*
 * TTBCR.N = 0: one combined tree per process.  Sections, a supersection
 * (16 entries, one descriptor), small and large pages, PXN inherited from
 * the pointer, kernel-only trees, decoys.
 */
static void test_short(void)
{
	struct tb t;
	tb_init(&t, RAM_BASE, 8 << 20, 3);
	uint64_t r1 = tb_alloc(&t, 16384, 16384), r2 = tb_alloc(&t, 16384, 16384), bad = tb_alloc(&t, 16384, 16384);
	uint64_t l2 = tb_alloc(&t, 1024, 1024);
	uint64_t small = tb_data_page(&t, 4096), large = tb_data_page(&t, 65536);
	/* Kernel: 0xC0000000 -> RAM start, kernel RWX (AP 001). */
	put32(&t, r1 + 0xc00 * 4, SEC(RAM_BASE, 1, 0));
	/* Supersection at 0xD0000000 -> PA 0x2_4000_0000 (beyond 4 GiB), kernel read-only (AP 101), XN. */
	for (unsigned i = 0; i < 16; i++)
		put32(&t, r1 + (0xd00 + i) * 4, 0x40000000u | 2u << 20 | 1u << 18 | 1u << 15 | 1u << 10 | 1u << 4 | 2u);
	/* User: 0x00400000 small RW-rw- (AP 011, XN), 0x00410000 large page r-x for the user (AP 010). */
	put32(&t, r1 + 4 * 4, PTP(l2, 1));
	put32(&t, l2 + 0, SMALL(small, 3, 1));
	for (unsigned i = 16; i < 32; i++)
		put32(&t, l2 + i * 4, LARGE(large, 2, 0));
	/* A kernel-only tree: the kernel section alone. */
	put32(&t, r2 + 0xc00 * 4, SEC(RAM_BASE, 1, 0));
	/* A decoy: r1's entries with one IMPLEMENTATION DEFINED bit set. */
	memcpy(t.ram + (bad - t.base), t.ram + (r1 - t.base), 16384);
	put32(&t, bad + 4 * 4, PTP(l2, 1) | 1u << 9);

	char *dir = fx_tmpdir();
	const char *yaml = tb_write(&t, dir, SHORT_CPU("0"), "short", NULL);
	const char *gt = fx_write(dir, "gt.yaml",
				  "format: mmushell-gtruth/1\nregisters:\n"
				  "  - {name: ttbr0, value: 0x4000006a, first_seen: 1, last_seen: 40}\n"
				  "  - {name: ttbr0_64, value: 0x4000006a, first_seen: 2, last_seen: 41}\n"
				  "  - {name: ttbr1, value: 0x4000406a, first_seen: 1, last_seen: 41}\n");
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, gt, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_EQUAL(a.radix->nspaces, 1);
	CU_ASSERT_EQUAL(a.radix->space[0].shape.table_size[0], 16384);
	CU_ASSERT_EQUAL(a.radix->space[0].shape.table_size[1], 1024);
	CU_ASSERT_TRUE(found(&a, r1, 0));
	CU_ASSERT_FALSE(kernel_only(&a, r1, 0));
	CU_ASSERT_TRUE(found(&a, r2, 0));
	CU_ASSERT_TRUE(kernel_only(&a, r2, 0));
	CU_ASSERT_FALSE(found(&a, bad, 0));
	CU_ASSERT_EQUAL(a.radix->ntrees, 2);

	/* Each supersection entry maps its own MiB: 16 MiB once, not 16 times. */
	const struct radix_check *c = radix_check(&a, &a.radix->space[0], r1, 0);
	CU_ASSERT_EQUAL(c->kernel_bytes, (1ULL << 20) + (16ULL << 20));
	CU_ASSERT_EQUAL(c->user_bytes, 4096 + 65536);

	struct vas v;
	radix_vas(&a, &a.radix->space[0], r1, &v);
	CU_ASSERT_EQUAL_FATAL(v.n, 4);
	tl_expect_range(&v, 0, 0x00400000, 4096, small, "RW-rw-");
	tl_expect_range(&v, 1, 0x00410000, 65536, large, "RW-r-x");
	tl_expect_range(&v, 2, 0xc0000000, 1 << 20, RAM_BASE, "RWX---");
	tl_expect_range(&v, 3, 0xd0000000, 16 << 20, 0x240000000ULL, "R-----");
	vas_free(&v);
	CU_ASSERT_EQUAL(resolve(&a, 0, r1, 0x00418123, NULL), large + 0x8123);
	CU_ASSERT_EQUAL(resolve(&a, 0, r1, 0xd0a12345, NULL), 0x240a12345ULL);
	CU_ASSERT_EQUAL(resolve(&a, 0, r1, 0xc0012345, NULL), RAM_BASE + 0x12345);
	CU_ASSERT_EQUAL(resolve(&a, 0, r1, 0x00401000, NULL), UINT64_MAX);

	/* Ground truth: ttbr0 and its 64-bit view name one root. */
	expect_gt(&a, 1, 1, 0);
	analysis_close(&a);
	tb_free(&t);
}

/* TTBCR.N = 2: 4 KiB TTBR0 tables below 1 GiB, TTBR1 16 KiB tables whose low quarter hardware ignores. */
static void test_short_split(void)
{
	struct tb t;
	tb_init(&t, RAM_BASE, 4 << 20, 4);
	uint64_t k = tb_alloc(&t, 16384, 16384), u = tb_alloc(&t, 4096, 4096), l2 = tb_alloc(&t, 1024, 1024);
	uint64_t data = tb_data_page(&t, 4096), code = tb_data_page(&t, 4096);
	for (unsigned i = 0; i < 1024; i++)
		put32(&t, k + i * 4, 0xdead0200u | 1u);  /* never read: would be invalid (bit 9) */
	put32(&t, k + 0xc00 * 4, SEC(RAM_BASE, 1, 0));
	put32(&t, u + 4 * 4, PTP(l2, 1));
	put32(&t, l2, SMALL(data, 3, 1));
	put32(&t, l2 + 4, SMALL(code, 6, 0));

	char *dir = fx_tmpdir();
	const char *yaml = tb_write(&t, dir, SHORT_CPU("2"), "short", NULL);
	char *gtext = xasprintf("format: mmushell-gtruth/1\nregisters:\n"
				"  - {name: ttbr0, value: 0x%llx, first_seen: 1, last_seen: 40}\n"
				"  - {name: ttbr1, value: 0x%llx, first_seen: 1, last_seen: 40}\n",
				(unsigned long long)(u | 0x6a), (unsigned long long)(k | 0x6a));
	const char *gt = fx_write(dir, "gt.yaml", gtext);
	free(gtext);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, gt, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_EQUAL_FATAL(a.radix->nspaces, 2);
	ASSERT_STR_EQ(a.radix->space[0].shape.name, "kernel");
	CU_ASSERT_EQUAL(a.radix->space[0].shape.top_skip, 1024);
	CU_ASSERT_EQUAL(a.radix->space[1].shape.table_size[0], 4096);
	CU_ASSERT_TRUE(found(&a, k, 0));
	CU_ASSERT_TRUE(found(&a, u, 1));
	CU_ASSERT_FALSE(found(&a, u, 0));

	struct vas v;
	radix_vas(&a, &a.radix->space[0], k, &v);
	CU_ASSERT_EQUAL_FATAL(v.n, 1);
	tl_expect_range(&v, 0, 0xc0000000, 1 << 20, RAM_BASE, "RWX---");
	vas_free(&v);
	const char *why;
	CU_ASSERT_EQUAL(resolve(&a, 0, k, 0x00001000, &why), UINT64_MAX);
	CU_ASSERT_EQUAL(resolve(&a, 1, u, 0x00400010, NULL), data + 0x10);

	/* A TREE argument that is not one of the dump's trees. */
	char *cmd = xasprintf("show_vas 0x%llx bogus", (unsigned long long)k), *msg;
	CU_ASSERT_EQUAL(tl_run(&a, cmd, NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "unknown tree 'bogus' (this dump has: kernel, user)");
	free(msg);
	free(cmd);
	cmd = xasprintf("resolve 0x%llx 0x400010 users", (unsigned long long)u);
	CU_ASSERT_EQUAL(tl_run(&a, cmd, NULL, &msg), -1);
	ASSERT_STR_EQ(msg, "unknown tree 'users' (this dump has: kernel, user)");
	free(msg);
	free(cmd);

	expect_gt(&a, 2, -1, 0);
	analysis_close(&a);
	tb_free(&t);
}

/* Without a TTBCR value find_tables says how to get one; a TTBCR against the mode is refused. */
static void test_no_register(void)
{
	struct tb t;
	tb_init(&t, RAM_BASE, 1 << 20, 5);
	char *dir = fx_tmpdir();
	struct analysis a;
	char *msg;
	const char *yaml = tb_write(&t, dir, "{architecture: arm, endianness: little, bits: 32}", "short", NULL);
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_NOT_EQUAL(tl_run(&a, "find_tables", NULL, &msg), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "find_registers_values"));
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "set_ttbcr"));
	free(msg);
	analysis_close(&a);

	yaml = tb_write(&t, dir, SHORT_CPU("0x80000000"), "short", NULL);
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_NOT_EQUAL(tl_run(&a, "find_tables", NULL, &msg), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "long descriptors"));
	free(msg);
	analysis_close(&a);

	yaml = tb_write(&t, dir, "{architecture: aarch64, endianness: little, bits: 64}", "long", NULL);
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_NOT_EQUAL(tl_run(&a, "find_tables", NULL, &msg), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "set_tcr"));
	free(msg);
	analysis_close(&a);
	tb_free(&t);
}

/* ---- long descriptors ---- */

#define LD_TABLE(pa) ((uint64_t)(pa) | 3u)
/* Block/page with AF, inner shareable; AP[1] user, AP[2] read-only, PXN 53, XN/UXN 54. */
#define LD_LEAF(pa, last, user, ro, pxn, xn)                                                            \
	((uint64_t)(pa) | ((last) ? 3u : 1u) | 1u << 10 | 3u << 8 | (uint64_t)(user) << 6 | (uint64_t)(ro) << 7 | \
	 (uint64_t)(pxn) << 53 | (uint64_t)(xn) << 54)

/*
 * LPAE with T0SZ = 0, T1SZ = 2 (Linux 3G/1G): TTBR0 32-byte tables whose
 * last entry hardware never reads (TTBR1 covers 0xC0000000 up), TTBR1
 * 4 KiB level-2 tables at 0xC0000000.
 */
static void test_lpae_split(void)
{
	struct tb t;
	tb_init(&t, RAM_BASE, 8 << 20, 6);
	uint64_t k = tb_alloc(&t, 4096, 4096), kl3 = tb_alloc(&t, 4096, 4096);
	uint64_t page = tb_alloc(&t, 4096, 4096), u = page + 0x280, clean = page + 0x2c0;
	uint64_t l2 = tb_alloc(&t, 4096, 4096), l3 = tb_alloc(&t, 4096, 4096);
	uint64_t kdata = tb_data_page(&t, 4096), data = tb_data_page(&t, 4096), junk = tb_data_page(&t, 4096);
	uint64_t code = tb_data_page(&t, 4096);
	/* Kernel: 2 MiB block at 0xC0000000 -> RAM start (RWX), a 4 KiB page at 0xC0200000. */
	put64(&t, k, LD_LEAF(RAM_BASE, 0, 0, 0, 0, 0));
	put64(&t, k + 8, LD_TABLE(kl3));
	put64(&t, kl3, LD_LEAF(kdata, 1, 0, 0, 1, 1));
	/* User: 0x00400000 RW-rw- (PXN, XN); entry 3 points at data (ignored: beyond the TTBR0 range). */
	put64(&t, u, LD_TABLE(l2));
	put64(&t, l2 + 2 * 8, LD_TABLE(l3));
	put64(&t, l3, LD_LEAF(data, 1, 1, 0, 1, 1));
	put64(&t, l3 + 8, LD_LEAF(code, 1, 1, 1, 1, 0));
	put64(&t, u + 24, LD_TABLE(junk));
	/* A stray word shaped like a pointer with IGNORED bits set: not a root. */
	put64(&t, clean + 8, LD_TABLE(l2) | 0x80c);

	char *dir = fx_tmpdir();
	const char *yaml = tb_write(&t, dir, "{architecture: arm, endianness: little, bits: 32, registers_values: "
				    "{TTBCR: 0xb5023500}}", "long", NULL);
	char *gtext = xasprintf("format: mmushell-gtruth/1\nregisters:\n"
				"  - {name: ttbr0_64, value: 0x%llx, first_seen: 1, last_seen: 40}\n"
				"  - {name: ttbr0, value: 0x%llx, first_seen: 1, last_seen: 40}\n"
				"  - {name: ttbr1_64, value: 0x%llx, first_seen: 1, last_seen: 40}\n",
				(unsigned long long)(u | 0x12ULL << 48), (unsigned long long)u,
				(unsigned long long)k);
	const char *gt = fx_write(dir, "gt.yaml", gtext);
	free(gtext);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, gt, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_EQUAL_FATAL(a.radix->nspaces, 2);
	const struct radix_shape *ks = &a.radix->space[0].shape, *us = &a.radix->space[1].shape;
	CU_ASSERT_EQUAL(ks->levels, 2);
	CU_ASSERT_EQUAL(ks->table_size[0], 4096);
	CU_ASSERT_EQUAL(ks->va_upper, 0xc0000000ULL);
	CU_ASSERT_EQUAL(us->levels, 3);
	CU_ASSERT_EQUAL(us->table_size[0], 32);
	CU_ASSERT_EQUAL(us->va_limit, 0xc0000000ULL);
	CU_ASSERT_TRUE(found(&a, k, 0));
	CU_ASSERT_TRUE(kernel_only(&a, k, 0));
	CU_ASSERT_TRUE(found(&a, u, 1));
	CU_ASSERT_FALSE(kernel_only(&a, u, 1));
	CU_ASSERT_FALSE(found(&a, clean, 1));

	struct vas v;
	radix_vas(&a, &a.radix->space[0], k, &v);
	CU_ASSERT_EQUAL_FATAL(v.n, 2);
	tl_expect_range(&v, 0, 0xc0000000, 2 << 20, RAM_BASE, "RWX---");
	tl_expect_range(&v, 1, 0xc0200000, 4096, kdata, "RW----");
	vas_free(&v);
	radix_vas(&a, &a.radix->space[1], u, &v);
	CU_ASSERT_EQUAL_FATAL(v.n, 2);
	tl_expect_range(&v, 0, 0x00400000, 4096, data, "RW-rw-");
	tl_expect_range(&v, 1, 0x00401000, 4096, code, "R--r-x");
	vas_free(&v);
	const char *why;
	CU_ASSERT_EQUAL(resolve(&a, 1, u, 0xc0000000, &why), UINT64_MAX);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "other root"));
	CU_ASSERT_EQUAL(resolve(&a, 0, k, 0xc0200abc, NULL), kdata + 0xabc);

	expect_gt(&a, 2, 0, 0);
	analysis_close(&a);
	tb_free(&t);
}

/*
 * AArch64, 4 KiB granule, T0SZ = T1SZ = 25 (3 levels, 4 KiB top tables):
 * both kinds classify memory alike (one scan); kernel trees map kernel
 * code, user trees user memory; kernel VAs get their upper bits.
 */
static void test_aarch64_4k(void)
{
	struct tb t;
	tb_init(&t, RAM_BASE, 8 << 20, 7);
	uint64_t k = tb_alloc(&t, 4096, 4096), k1 = tb_alloc(&t, 4096, 4096), k2 = tb_alloc(&t, 4096, 4096);
	uint64_t u = tb_alloc(&t, 4096, 4096), u1 = tb_alloc(&t, 4096, 4096), u2 = tb_alloc(&t, 4096, 4096);
	uint64_t text = tb_data_page(&t, 4096), kdata = tb_data_page(&t, 4096), code = tb_data_page(&t, 4096),
		 data = tb_data_page(&t, 4096);
	const uint64_t KVA = 0xffffff8000000000ULL;
	/* Kernel: text R-X at KVA + 0x1000, data RW at KVA + 0x2000, a 1 GiB block at KVA + 1 GiB. */
	put64(&t, k, LD_TABLE(k1));
	put64(&t, k1, LD_TABLE(k2));
	put64(&t, k2 + 1 * 8, LD_LEAF(text, 1, 0, 1, 0, 1));
	put64(&t, k2 + 2 * 8, LD_LEAF(kdata, 1, 0, 0, 1, 1));
	put64(&t, k + 8, LD_LEAF(RAM_BASE, 0, 0, 0, 1, 1));
	/* User: code r-x at 0x400000, data rw- at 0x401000, both PXN; the table has PXNTable. */
	put64(&t, u, LD_TABLE(u1) | 1ULL << 59);
	put64(&t, u1 + 2 * 8, LD_TABLE(u2));
	put64(&t, u2, LD_LEAF(code, 1, 1, 1, 1, 0));
	put64(&t, u2 + 8, LD_LEAF(data, 1, 1, 0, 1, 1));

	char *dir = fx_tmpdir();
	/* T0SZ 25, TG0 4K, T1SZ 25, TG1 4K (0b10), IPS 40 bits. */
	const char *yaml = tb_write(&t, dir, "{architecture: aarch64, endianness: little, bits: 64, registers_values: "
				    "{TCR_EL1: 0x280190019}}", "long", NULL);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_EQUAL_FATAL(a.radix->nspaces, 2);
	const struct radix_space *ks = &a.radix->space[0], *us = &a.radix->space[1];
	ASSERT_STR_EQ(ks->shape.name, "kernel");
	CU_ASSERT_EQUAL(ks->shape.levels, 3);
	CU_ASSERT_EQUAL(ks->shape.level_offset, 1);
	CU_ASSERT_EQUAL(ks->shape.table_size[0], 4096);
	CU_ASSERT_EQUAL(ks->ncand, us->ncand);
	CU_ASSERT_EQUAL(memcmp(ks->cand_addr, us->cand_addr, ks->ncand * sizeof(uint64_t)), 0);
	CU_ASSERT_TRUE(found(&a, k, 0));
	CU_ASSERT_FALSE(found(&a, k, 1));
	CU_ASSERT_TRUE(found(&a, u, 1));
	CU_ASSERT_FALSE(found(&a, u, 0));
	CU_ASSERT_EQUAL(a.radix->ntrees, 2);

	struct vas v;
	radix_vas(&a, &a.radix->space[0], k, &v);
	CU_ASSERT_EQUAL_FATAL(v.n, 3);
	tl_expect_range(&v, 0, KVA + 0x1000, 4096, text, "R-X---");
	tl_expect_range(&v, 1, KVA + 0x2000, 4096, kdata, "RW----");
	tl_expect_range(&v, 2, KVA + (1ULL << 30), 1ULL << 30, RAM_BASE, "RW----");
	vas_free(&v);
	radix_vas(&a, &a.radix->space[1], u, &v);
	CU_ASSERT_EQUAL_FATAL(v.n, 2);
	tl_expect_range(&v, 0, 0x400000, 4096, code, "R--r-x");
	tl_expect_range(&v, 1, 0x401000, 4096, data, "RW-rw-");
	vas_free(&v);
	CU_ASSERT_EQUAL(resolve(&a, 0, k, KVA + 0x2345, NULL), kdata + 0x345);
	CU_ASSERT_EQUAL(resolve(&a, 0, k, 0x2345, NULL), UINT64_MAX);

	/*
	 * A TCR_EL1 value giving the same shapes (only cacheability differs)
	 * keeps the trees; one giving others (T1SZ 24) drops them, so that no
	 * tree built with another value passes for a current one: the scan runs again.
	 */
	char *j = tl_json(&a, "set_tcr 0x280193019");
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"tables_dropped\": false"));
	free(j);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a.radix);
	CU_ASSERT_EQUAL(a.radix->ntrees, 2);
	j = tl_json(&a, "set_tcr 0x280180019");
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"tables_dropped\": true"));
	free(j);
	CU_ASSERT_PTR_NULL(a.radix);
	char *err = NULL;
	CU_ASSERT_NOT_EQUAL(tl_run(&a, "find_radix_trees", NULL, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "run find_tables first"));
	free(err);
	char *said = tl_text(&a, "set_tcr 0x280190019");
	CU_ASSERT_PTR_NULL(strstr(said, "dropped"));
	free(said);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_EQUAL(a.radix->space[0].shape.va_bits, 39);
	CU_ASSERT_TRUE(found(&a, k, 0));
	analysis_close(&a);
	tb_free(&t);
}

/*
 * 16 KiB granule with T0SZ = 16 (4 levels, a 16-byte top table of two
 * entries) and 64 KiB with T1SZ = 16 (3 levels, 512-byte top table):
 * different shapes, scanned each; 32 MiB and 512 MiB blocks.
 */
static void test_aarch64_16k_64k(void)
{
	struct tb t;
	tb_init(&t, RAM_BASE, 16 << 20, 8);
	uint64_t k = tb_alloc(&t, 65536, 65536), k1 = tb_alloc(&t, 65536, 65536), k2 = tb_alloc(&t, 65536, 65536);
	uint64_t page = tb_alloc(&t, 16384, 16384), u = page + 0x40;
	uint64_t u1 = tb_alloc(&t, 16384, 16384), u2 = tb_alloc(&t, 16384, 16384), u3 = tb_alloc(&t, 16384, 16384);
	uint64_t ktext = tb_data_page(&t, 65536), ucode = tb_data_page(&t, 16384), udata = tb_data_page(&t, 16384);
	const uint64_t KVA = 0xffff000000000000ULL;
	/* Kernel (64 KiB): levels 1..3, shifts 42, 29, 16. Text at KVA + 0x10000, a 512 MiB block at KVA + 512 MiB. */
	put64(&t, k, LD_TABLE(k1));
	put64(&t, k1, LD_TABLE(k2));
	put64(&t, k2 + 8, LD_LEAF(ktext, 1, 0, 1, 0, 1));
	put64(&t, k1 + 8, LD_LEAF(0x40000000, 0, 0, 0, 1, 1));
	/* User (16 KiB): levels 0..3, shifts 47, 36, 25, 14.  Code at 0x4000, a 32 MiB block at 0x2000000. */
	put64(&t, u, LD_TABLE(u1));
	put64(&t, u1, LD_TABLE(u2));
	put64(&t, u2, LD_TABLE(u3));
	put64(&t, u3 + 8, LD_LEAF(ucode, 1, 1, 1, 1, 0));
	put64(&t, u2 + 8, LD_LEAF(0x42000000, 0, 1, 0, 1, 1));
	put64(&t, u3 + 16, LD_LEAF(udata, 1, 1, 0, 1, 1));

	char *dir = fx_tmpdir();
	/* T0SZ 16, TG0 16K (0b10), T1SZ 16, TG1 64K (0b11), IPS 48 bits. */
	const char *yaml = tb_write(&t, dir, "{architecture: aarch64, endianness: little, bits: 64, registers_values: "
				    "{TCR_EL1: 0x5c0108010}}", "long", NULL);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	const struct radix_shape *ks = &a.radix->space[0].shape, *us = &a.radix->space[1].shape;
	CU_ASSERT_EQUAL(ks->levels, 3);
	CU_ASSERT_EQUAL(ks->table_size[0], 512);
	CU_ASSERT_EQUAL(ks->table_size[1], 65536);
	CU_ASSERT_EQUAL(ks->va_shift[0], 42);
	CU_ASSERT_EQUAL(us->levels, 4);
	CU_ASSERT_EQUAL(us->table_size[0], 16);
	CU_ASSERT_EQUAL(us->table_size[1], 16384);
	CU_ASSERT_EQUAL(us->va_shift[0], 47);
	CU_ASSERT_TRUE(found(&a, k, 0));
	CU_ASSERT_TRUE(found(&a, u, 1));

	struct vas v;
	radix_vas(&a, &a.radix->space[0], k, &v);
	CU_ASSERT_EQUAL_FATAL(v.n, 2);
	tl_expect_range(&v, 0, KVA + 0x10000, 65536, ktext, "R-X---");
	tl_expect_range(&v, 1, KVA + (512ULL << 20), 512ULL << 20, 0x40000000, "RW----");
	vas_free(&v);
	radix_vas(&a, &a.radix->space[1], u, &v);
	CU_ASSERT_EQUAL_FATAL(v.n, 3);
	tl_expect_range(&v, 0, 0x4000, 16384, ucode, "R--r-x");
	tl_expect_range(&v, 1, 0x8000, 16384, udata, "RW-rw-");
	tl_expect_range(&v, 2, 0x2000000, 32 << 20, 0x42000000, "RW-rw-");
	vas_free(&v);
	CU_ASSERT_EQUAL(resolve(&a, 1, u, 0x2345678, NULL), 0x42345678);
	analysis_close(&a);
	tb_free(&t);
}

/*
 * After find_registers_values, trees must map the code of their kind:
 * the TCR_EL1 write (spec 7.10 vector V1) and an ERET for TTBR1, a BR for
 * TTBR0.  Look-alike trees mapping other code are found only without the
 * sites.  The TCR comes from the recovery itself: T1SZ 16 (4 levels), T0SZ 25.
 */
static void test_aarch64_sites(void)
{
	static const uint32_t ktext_words[] = {
		0xd65f03c0, /* ret: the region starts after it */
		0xd286a32a, /* movz x10, #0x3519 */
		0xf2b6a20a, /* movk x10, #0xb510, lsl #16 */
		0xf2c0002a, /* movk x10, #0x1, lsl #32 */
		0xd518204a, /* msr tcr_el1, x10 */
		0xd69f03e0, /* eret */
	};
	struct tb t;
	tb_init(&t, RAM_BASE, 8 << 20, 9);
	uint64_t k[4], d[4], u[3], du[3];
	for (int i = 0; i < 4; i++)
		k[i] = tb_alloc(&t, 4096, 4096), d[i] = tb_alloc(&t, 4096, 4096);
	for (int i = 0; i < 3; i++)
		u[i] = tb_alloc(&t, 4096, 4096), du[i] = tb_alloc(&t, 4096, 4096);
	uint64_t ktext = tb_alloc(&t, 4096, 4096), utext = tb_alloc(&t, 4096, 4096);
	uint64_t kdata = tb_data_page(&t, 4096), other = tb_data_page(&t, 4096), udata = tb_data_page(&t, 4096);
	for (size_t i = 0; i < ARRAY_LEN(ktext_words); i++)
		put32(&t, ktext + 0x100 + 4 * i, ktext_words[i]);
	put32(&t, utext + 0x40, 0xd61f0060); /* br x3 */
	/* Kernel trees (levels 0..3): text R-X at 0x1000, data RW at 0x2000. */
	for (int i = 0; i < 3; i++) {
		put64(&t, k[i], LD_TABLE(k[i + 1]));
		put64(&t, d[i], LD_TABLE(d[i + 1]));
	}
	put64(&t, k[3] + 8, LD_LEAF(ktext, 1, 0, 1, 0, 1));
	put64(&t, k[3] + 16, LD_LEAF(kdata, 1, 0, 0, 1, 1));
	put64(&t, d[3] + 8, LD_LEAF(other, 1, 0, 1, 0, 1));
	put64(&t, d[3] + 16, LD_LEAF(kdata, 1, 0, 0, 1, 1));
	/* User trees (levels 1..3): code r-x at 0x400000, data rw- at 0x401000. */
	for (int i = 0; i < 2; i++) {
		put64(&t, u[i] + (i ? 2 * 8 : 0), LD_TABLE(u[i + 1]));
		put64(&t, du[i] + (i ? 2 * 8 : 0), LD_TABLE(du[i + 1]));
	}
	put64(&t, u[2], LD_LEAF(utext, 1, 1, 1, 1, 0));
	put64(&t, u[2] + 8, LD_LEAF(udata, 1, 1, 0, 1, 1));
	put64(&t, du[2], LD_LEAF(other, 1, 1, 1, 1, 0));
	put64(&t, du[2] + 8, LD_LEAF(udata, 1, 1, 0, 1, 1));

	char *dir = fx_tmpdir();
	const char *yaml = tb_write(&t, dir, "{architecture: aarch64, endianness: little, bits: 64}", "long", NULL);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(tl_run(&a, "find_registers_values", NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_EQUAL(a.radix->space[0].shape.levels, 4);
	CU_ASSERT_EQUAL(a.radix->space[1].shape.levels, 3);
	CU_ASSERT_TRUE(found(&a, k[0], 0));
	CU_ASSERT_FALSE(found(&a, d[0], 0));
	CU_ASSERT_TRUE(found(&a, u[0], 1));
	CU_ASSERT_FALSE(found(&a, du[0], 1));
	CU_ASSERT_EQUAL(a.radix->ntrees, 2);
	analysis_close(&a);

	/* The same value set by hand: no sites, the look-alikes stay. */
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(tl_run(&a, "set_tcr 0x1b5103519", NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_TRUE(found(&a, d[0], 0));
	CU_ASSERT_TRUE(found(&a, du[0], 1));
	CU_ASSERT_EQUAL(a.radix->ntrees, 4);
	analysis_close(&a);
	tb_free(&t);
}

/*
 * Shortcuts need evidence (B2).  AArch64 with T0SZ 32 (TTBR0: 32-byte top
 * tables of 1 GiB entries) and T1SZ 39 (TTBR1: 128-byte level-2 tables):
 *   k    a kernel root whose entries 1 and 2 are 2 MiB blocks at PA
 *        0x40000000 and 0x80000000: read as a TTBR0 table, two 1 GiB
 *        blocks at VA = PA, an "identity map" that is a kernel root;
 *   n    16 bytes of noise: one identity 1 GiB block, no table;
 *   id   a real identity map: a table of 2 MiB identity blocks;
 *   u    a process.
 */
static void test_aarch64_identity_evidence(void)
{
	struct tb t;
	tb_init(&t, RAM_BASE, 8 << 20, 15);
	uint64_t k = tb_alloc(&t, 4096, 4096), kl3 = tb_alloc(&t, 4096, 4096);
	uint64_t page = tb_alloc(&t, 4096, 4096), n = page + 0x100, id = page + 0x200, u = page + 0x300;
	uint64_t id2 = tb_alloc(&t, 4096, 4096), u2 = tb_alloc(&t, 4096, 4096), u3 = tb_alloc(&t, 4096, 4096);
	uint64_t ktext = tb_data_page(&t, 4096), kdata = tb_data_page(&t, 4096), utext = tb_data_page(&t, 4096);
	uint64_t udata = tb_data_page(&t, 4096);
	put64(&t, k + 8, LD_LEAF(RAM_BASE, 0, 0, 0, 1, 1));
	put64(&t, k + 16, LD_LEAF(0x80000000ULL, 0, 0, 0, 1, 1));
	put64(&t, k + 4 * 8, LD_TABLE(kl3));
	put64(&t, kl3, LD_LEAF(ktext, 1, 0, 1, 0, 1));
	put64(&t, kl3 + 8, LD_LEAF(kdata, 1, 0, 0, 1, 1));
	put64(&t, n + 8, LD_LEAF(RAM_BASE, 0, 1, 0, 1, 0));
	put64(&t, id + 8, LD_TABLE(id2));
	put64(&t, id2, LD_LEAF(RAM_BASE, 0, 0, 1, 0, 1));
	put64(&t, id2 + 8, LD_LEAF(RAM_BASE + (2 << 20), 0, 0, 0, 1, 1));
	put64(&t, u, LD_TABLE(u2));
	put64(&t, u2 + 2 * 8, LD_TABLE(u3));
	put64(&t, u3, LD_LEAF(utext, 1, 1, 1, 1, 0));
	put64(&t, u3 + 8, LD_LEAF(udata, 1, 1, 0, 1, 1));

	char *dir = fx_tmpdir();
	const char *yaml = tb_write(&t, dir, "{architecture: aarch64, endianness: little, bits: 64, registers_values: "
				    "{TCR_EL1: 0x80270020}}", "long", NULL);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_EQUAL_FATAL(a.radix->nspaces, 2);
	CU_ASSERT_EQUAL(a.radix->space[1].shape.table_size[0], 32);
	CU_ASSERT_TRUE(found(&a, k, 0));
	CU_ASSERT_FALSE(found(&a, k, 1));
	CU_ASSERT_FALSE(found(&a, n, 1));
	CU_ASSERT_TRUE(found(&a, id, 1));
	CU_ASSERT_TRUE(found(&a, u, 1));
	analysis_close(&a);
	tb_free(&t);
}

/*
 * LPAE with T0SZ = T1SZ = 0: one combined tree of 32-byte roots.  32 bytes
 * holding one kernel RWX 1 GiB block map all of RAM, kernel code included:
 * not a root without a next-level table or more blocks.
 */
static void test_lpae_single_block(void)
{
	struct tb t;
	tb_init(&t, RAM_BASE, 8 << 20, 16);
	uint64_t page = tb_alloc(&t, 4096, 4096), r = page + 0x100, noise = page + 0x200;
	uint64_t l2 = tb_alloc(&t, 4096, 4096), l3 = tb_alloc(&t, 4096, 4096);
	uint64_t text = tb_data_page(&t, 4096), data = tb_data_page(&t, 4096), udata = tb_data_page(&t, 4096);
	/* The real tree: kernel text and data at 0xC0000000, a user page at 0x00400000. */
	put64(&t, r + 3 * 8, LD_TABLE(l2));
	put64(&t, l2, LD_TABLE(l3));
	put64(&t, l3, LD_LEAF(text, 1, 0, 1, 0, 0));
	put64(&t, l3 + 8, LD_LEAF(data, 1, 0, 0, 1, 1));
	put64(&t, l3 + 16, LD_LEAF(udata, 1, 1, 0, 1, 1));
	put64(&t, noise + 8, LD_LEAF(RAM_BASE, 0, 0, 0, 0, 0));

	char *dir = fx_tmpdir();
	const char *yaml = tb_write(&t, dir, "{architecture: arm, endianness: little, bits: 32, registers_values: "
				    "{TTBCR: 0xb5003500}}", "long", NULL);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_EQUAL_FATAL(a.radix->nspaces, 1);
	CU_ASSERT_TRUE(found(&a, r, 0));
	CU_ASSERT_FALSE(found(&a, noise, 0));
	analysis_close(&a);
	tb_free(&t);
}

/*
 * Code-site filters need evidence (B1): a site class seen only as stray
 * words, in no page a candidate may execute, filters nothing; and filters
 * that would drop every tree of a kind are left off.  Kernel trees: k maps
 * the TCR_EL1 write but no ERET, k2 an ERET but no MMU write.  User trees:
 * u and v map code without BR/BLR; the only BR is a stray word in v's data.
 */
static void test_aarch64_stray_sites(void)
{
	static const uint32_t ktext_words[] = {
		0xd65f03c0, /* ret */
		0xd286a32a, /* movz x10, #0x3519 */
		0xf2b6a20a, /* movk x10, #0xb510, lsl #16 */
		0xf2c0002a, /* movk x10, #0x1, lsl #32 */
		0xd518204a, /* msr tcr_el1, x10 */
		0xd65f03c0, /* ret */
	};
	struct tb t;
	tb_init(&t, RAM_BASE, 8 << 20, 12);
	uint64_t k[4], k2[4], u[3], v[3];
	for (int i = 0; i < 4; i++)
		k[i] = tb_alloc(&t, 4096, 4096), k2[i] = tb_alloc(&t, 4096, 4096);
	for (int i = 0; i < 3; i++)
		u[i] = tb_alloc(&t, 4096, 4096), v[i] = tb_alloc(&t, 4096, 4096);
	uint64_t ktext = tb_alloc(&t, 4096, 4096), ktext2 = tb_alloc(&t, 4096, 4096), utext = tb_alloc(&t, 4096, 4096);
	uint64_t kdata = tb_data_page(&t, 4096), udata = tb_data_page(&t, 4096), vdata = tb_data_page(&t, 4096);
	for (size_t i = 0; i < ARRAY_LEN(ktext_words); i++)
		put32(&t, ktext + 0x100 + 4 * i, ktext_words[i]);
	put32(&t, ktext2 + 0x80, 0xd65f03c0);   /* ret */
	put32(&t, ktext2 + 0x84, 0xd69f03e0);   /* eret */
	put32(&t, utext + 0x40, 0xd65f03c0);    /* ret */
	put32(&t, vdata + 0x200, 0xd61f0060);   /* "br x3" in data */
	for (int i = 0; i < 3; i++) {
		put64(&t, k[i], LD_TABLE(k[i + 1]));
		put64(&t, k2[i], LD_TABLE(k2[i + 1]));
	}
	put64(&t, k[3] + 8, LD_LEAF(ktext, 1, 0, 1, 0, 1));
	put64(&t, k[3] + 16, LD_LEAF(kdata, 1, 0, 0, 1, 1));
	put64(&t, k2[3] + 8, LD_LEAF(ktext2, 1, 0, 1, 0, 1));
	put64(&t, k2[3] + 16, LD_LEAF(kdata, 1, 0, 0, 1, 1));
	for (int i = 0; i < 2; i++) {
		put64(&t, u[i] + (i ? 2 * 8 : 0), LD_TABLE(u[i + 1]));
		put64(&t, v[i] + (i ? 2 * 8 : 0), LD_TABLE(v[i + 1]));
	}
	put64(&t, u[2], LD_LEAF(utext, 1, 1, 1, 1, 0));
	put64(&t, u[2] + 8, LD_LEAF(udata, 1, 1, 0, 1, 1));
	put64(&t, v[2], LD_LEAF(utext, 1, 1, 1, 1, 0));
	put64(&t, v[2] + 8, LD_LEAF(vdata, 1, 1, 0, 1, 1));

	char *dir = fx_tmpdir();
	const char *yaml = tb_write(&t, dir, "{architecture: aarch64, endianness: little, bits: 64}", "long", NULL);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(tl_run(&a, "find_registers_values", NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_TRUE(found(&a, k[0], 0));
	CU_ASSERT_TRUE(found(&a, k2[0], 0));
	CU_ASSERT_TRUE(found(&a, u[0], 1));
	CU_ASSERT_TRUE(found(&a, v[0], 1));
	CU_ASSERT_EQUAL(a.radix->ntrees, 4);
	ASSERT_STR_EQ(a.radix->filter_note,
		      "Code-site filters: kernel trees: MMU register writes, ERET mapped by none of the candidates that "
		      "pass the other tests: filter off; user trees: BR/BLR in no page a candidate executes them from: "
		      "filter off");
	char *json;
	CU_ASSERT_EQUAL(tl_run(&a, "find_radix_trees", &json, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(json && strstr(json, "\"filters\": \"Code-site filters: kernel trees: "));
	free(json);
	analysis_close(&a);
	tb_free(&t);
}

/* ARM short descriptors: a stray "mrceq p15, 0, sp, c5, c0, 1" (IFSR) word in free memory filters nothing. */
static void test_short_stray_site(void)
{
	static const uint32_t ktext_words[] = {
		0xe12fff1e, /* bx lr */
		0xe3a0a000, /* mov r10, #0 */
		0xee02af50, /* mcr p15, 0, r10, c2, c0, 2: TTBCR */
		0xe12fff1e, /* bx lr */
	};
	struct tb t;
	tb_init(&t, RAM_BASE, 4 << 20, 14);
	uint64_t k = tb_alloc(&t, 16384, 16384), kl2 = tb_alloc(&t, 1024, 1024);
	uint64_t ktext = tb_alloc(&t, 4096, 4096), kdata = tb_data_page(&t, 4096), other = tb_data_page(&t, 4096);
	for (size_t i = 0; i < ARRAY_LEN(ktext_words); i++)
		put32(&t, ktext + 0x200 + 4 * i, ktext_words[i]);
	put32(&t, other + 0x10, 0x0e15df30);
	put32(&t, k + 0xc00 * 4, PTP(kl2, 0));
	put32(&t, kl2, SMALL(ktext, 5, 0));
	put32(&t, kl2 + 4, SMALL(kdata, 1, 1));

	char *dir = fx_tmpdir();
	const char *yaml = tb_write(&t, dir, "{architecture: arm, endianness: little, bits: 32}", "short", NULL);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(tl_run(&a, "find_registers_values", NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_TRUE(found(&a, k, 0));
	ASSERT_STR_EQ(a.radix->filter_note,
		      "Code-site filters: all trees: fault-register reads in no page a candidate executes them from: "
		      "filter off");
	analysis_close(&a);
	tb_free(&t);

	/*
	 * The same word in a page only user code may run (PXN pointer, AP 010):
	 * not kernel code either.  Two processes share the kernel; one maps it.
	 */
	tb_init(&t, RAM_BASE, 4 << 20, 14);
	uint64_t p1 = tb_alloc(&t, 16384, 16384), p2 = tb_alloc(&t, 16384, 16384);
	uint64_t kl2b = tb_alloc(&t, 1024, 1024), ul2a = tb_alloc(&t, 1024, 1024), ul2b = tb_alloc(&t, 1024, 1024);
	uint64_t text = tb_alloc(&t, 4096, 4096), data = tb_data_page(&t, 4096);
	uint64_t ucode = tb_data_page(&t, 4096), ucode2 = tb_data_page(&t, 4096);
	for (size_t i = 0; i < ARRAY_LEN(ktext_words); i++)
		put32(&t, text + 0x200 + 4 * i, ktext_words[i]);
	put32(&t, ucode + 0x10, 0x0e15df30);
	put32(&t, kl2b, SMALL(text, 5, 0));
	put32(&t, kl2b + 4, SMALL(data, 1, 1));
	put32(&t, ul2a, SMALL(ucode, 2, 0));
	put32(&t, ul2b, SMALL(ucode2, 2, 0));
	put32(&t, p1 + 0xc00 * 4, PTP(kl2b, 0));
	put32(&t, p2 + 0xc00 * 4, PTP(kl2b, 0));
	put32(&t, p1 + 4 * 4, PTP(ul2a, 1));
	put32(&t, p2 + 4 * 4, PTP(ul2b, 1));
	yaml = tb_write(&t, dir, "{architecture: arm, endianness: little, bits: 32}", "short", NULL);
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(tl_run(&a, "find_registers_values", NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_TRUE(found(&a, p1, 0));
	CU_ASSERT_TRUE(found(&a, p2, 0));
	analysis_close(&a);
	tb_free(&t);
}

/* ARM short descriptors: combined trees must map a DFSR/IFSR read once the sites are known. */
static void test_short_sites(void)
{
	static const uint32_t ktext_words[] = {
		0xe12fff1e, /* bx lr */
		0xe3a0a000, /* mov r10, #0 */
		0xee02af50, /* mcr p15, 0, r10, c2, c0, 2: TTBCR */
		0xee150f10, /* mrc p15, 0, r0, c5, c0, 0: DFSR */
	};
	struct tb t;
	tb_init(&t, RAM_BASE, 4 << 20, 10);
	uint64_t k = tb_alloc(&t, 16384, 16384), d = tb_alloc(&t, 16384, 16384);
	uint64_t kl2 = tb_alloc(&t, 1024, 1024), dl2 = tb_alloc(&t, 1024, 1024);
	uint64_t ktext = tb_alloc(&t, 4096, 4096), kdata = tb_data_page(&t, 4096), other = tb_data_page(&t, 4096);
	for (size_t i = 0; i < ARRAY_LEN(ktext_words); i++)
		put32(&t, ktext + 0x200 + 4 * i, ktext_words[i]);
	/* 0xC0000000: text R-X (AP 101), 0xC0001000: data RW- (AP 001, XN). */
	put32(&t, k + 0xc00 * 4, PTP(kl2, 0));
	put32(&t, kl2, SMALL(ktext, 5, 0));
	put32(&t, kl2 + 4, SMALL(kdata, 1, 1));
	put32(&t, d + 0xc00 * 4, PTP(dl2, 0));
	put32(&t, dl2, SMALL(other, 5, 0));
	put32(&t, dl2 + 4, SMALL(kdata, 1, 1));

	char *dir = fx_tmpdir();
	const char *yaml = tb_write(&t, dir, "{architecture: arm, endianness: little, bits: 32}", "short", NULL);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(tl_run(&a, "find_registers_values", NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_TRUE(found(&a, k, 0));
	CU_ASSERT_FALSE(found(&a, d, 0));
	analysis_close(&a);
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(tl_run(&a, "set_ttbcr 0", NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	CU_ASSERT_TRUE(found(&a, k, 0));
	CU_ASSERT_TRUE(found(&a, d, 0));
	analysis_close(&a);
	tb_free(&t);
}

/* ---- generated dumps (tools/mkdump) ---- */

struct gen_case {
	const char *name, *arch, *mode;
	unsigned granule;
	int t0sz, t1sz, ttbcr_n;
};

static const struct gen_case gen_cases[] = {
	{"arm_short", "arm", "short", 0, -1, -1, -1},
	{"arm_short_n2", "arm", "short", 0, -1, -1, 2},
	{"arm_short_n5", "arm", "short", 0, -1, -1, 5},
	{"arm_long", "arm", "long", 0, -1, -1, -1},
	{"arm_long_0_0", "arm", "long", 0, 0, 0, -1},
	{"arm_long_1_1", "arm", "long", 0, 1, 1, -1},
	{"arm_long_2_0", "arm", "long", 0, 2, 0, -1},
	{"arm_long_3_5", "arm", "long", 0, 3, 5, -1},
	{"aarch64_4k", "aarch64", "long", 4096, -1, -1, -1},
	{"aarch64_4k_16", "aarch64", "long", 4096, 16, 16, -1},
	{"aarch64_4k_39_33", "aarch64", "long", 4096, 39, 33, -1},
	{"aarch64_16k", "aarch64", "long", 16384, -1, -1, -1},
	{"aarch64_16k_16_28", "aarch64", "long", 16384, 16, 28, -1},
	{"aarch64_64k", "aarch64", "long", 65536, -1, -1, -1},
	{"aarch64_64k_16_39", "aarch64", "long", 65536, 39, 16, -1},
};

static bool in_list(const char *list, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == len && !strncmp(p, name, n))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

static int space_named(const struct analysis *a, const char *reg)
{
	for (unsigned i = 0; i < a->radix->nspaces; i++)
		if (in_list(a->radix->space[i].shape.root_register, reg))
			return (int)i;
	return -1;
}

static bool same_range(const struct vrange *v, const struct exp_range *x)
{
	char a[7], b[7];
	perm_str(v->perms, a);
	expected_perm_string(x->perms, b);
	return v->va == x->va && v->size == x->size && v->pa == x->pa && !strcmp(a, b);
}

/* The address space equals expected.yaml range for range; the ends of some ranges resolve. */
static void check_space(struct analysis *a, const struct radix_space *sp, const struct exp_root *x, const char *what)
{
	struct vas v;
	radix_vas(a, sp, x->root, &v);
	size_t bad = v.n == x->nranges ? v.n : 0;
	for (size_t i = 0; i < v.n && i < x->nranges && bad == v.n; i++)
		if (!same_range(&v.r[i], &x->ranges[i]))
			bad = i;
	if (bad != v.n || v.n != x->nranges) {
		char p1[7] = "", p2[7] = "";
		if (bad < v.n)
			perm_str(v.r[bad].perms, p1);
		if (bad < x->nranges)
			expected_perm_string(x->ranges[bad].perms, p2);
		fprintf(stderr, "\n%s: root 0x%llx: %zu ranges, expected %zu; first difference [%zu]: 0x%llx+0x%llx->0x%llx %s"
			" | want 0x%llx+0x%llx->0x%llx %s\n", what, (unsigned long long)x->root, v.n, x->nranges, bad,
			bad < v.n ? (unsigned long long)v.r[bad].va : 0, bad < v.n ? (unsigned long long)v.r[bad].size : 0,
			bad < v.n ? (unsigned long long)v.r[bad].pa : 0, p1,
			bad < x->nranges ? (unsigned long long)x->ranges[bad].va : 0,
			bad < x->nranges ? (unsigned long long)x->ranges[bad].size : 0,
			bad < x->nranges ? (unsigned long long)x->ranges[bad].pa : 0, p2);
		CU_FAIL("address space differs from expected.yaml");
	}
	vas_free(&v);
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

/*
 * Every expected root found in the space its register names, no other
 * tree (decoys included), address spaces equal to expected.yaml, a clean
 * ground-truth comparison, with the code-site filters on (no filter left
 * off for lack of evidence).  The control register comes from set_ttbcr /
 * set_tcr with the ground truth's value (recovery has its own tests).
 */
static void run_gen_case(const struct gen_case *c)
{
	struct mkdump_opts o;
	struct err e = {{0}};
	mkdump_opts_init(&o);
	o.arch = c->arch;
	o.mode = c->mode;
	o.ram = 16 << 20;
	o.processes = 4;
	o.seed = 11;
	o.noise = 3;
	o.granule = c->granule;
	o.t0sz = c->t0sz;
	o.t1sz = c->t1sz;
	o.ttbcr_n = c->ttbcr_n;
	o.outdir = fx_tmpdir();
	if (mkdump_generate(&o, &e)) {
		fprintf(stderr, "\n%s: %s\n", c->name, e.msg);
		CU_FAIL("mkdump");
		return;
	}
	char *yaml = xasprintf("%s/machine.yaml", o.outdir), *gt = xasprintf("%s/gtruth.yaml", o.outdir),
	     *exp = xasprintf("%s/expected.yaml", o.outdir);
	struct analysis a;
	struct expected x;
	CU_ASSERT_EQUAL_FATAL(tl_open(&a, yaml, gt, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(expected_load(exp, &x, &e), 0);
	const char *reg = !strcmp(c->arch, "arm") ? "ttbcr" : "tcr_el1";
	char *set = NULL;
	for (size_t i = 0; i < a.gt.nvalues && !set; i++)
		if (!strcmp(a.gt.values[i].name, reg))
			set = xasprintf("%s 0x%llx", !strcmp(reg, "ttbcr") ? "set_ttbcr" : "set_tcr",
					(unsigned long long)a.gt.values[i].value);
	CU_ASSERT_PTR_NOT_NULL_FATAL(set);
	/* The code sites switch the filters of spec 3.9 / 5.10 on: the generator writes that code. */
	CU_ASSERT_EQUAL_FATAL(tl_run(&a, "find_registers_values", NULL, NULL), 0);
	static const char *const arm_faults[] = {"dfsr", "ifsr", NULL}, *const a64_faults[] = {"esr_el1", "far_el1", NULL};
	bool arm = !strcmp(c->arch, "arm");
	CU_ASSERT_TRUE(regrec_has_site(a.regs, 0, UINT64_MAX, 1u << RR_READ, arm ? arm_faults : a64_faults));
	if (!arm) {
		CU_ASSERT_TRUE(regrec_has_site(a.regs, 0, UINT64_MAX, 1u << RR_ERET, NULL));
		CU_ASSERT_TRUE(regrec_has_site(a.regs, 0, UINT64_MAX, 1u << RR_BR, NULL));
		CU_ASSERT_TRUE(regrec_has_site(a.regs, 0, UINT64_MAX, 1u << RR_BLR, NULL));
	}
	CU_ASSERT_EQUAL_FATAL(tl_run(&a, set, NULL, NULL), 0);
	free(set);
	CU_ASSERT_EQUAL_FATAL(analyse(&a), 0);
	if (*a.radix->filter_note)
		fprintf(stderr, "\n%s: %s\n", c->name, a.radix->filter_note);
	CU_ASSERT_EQUAL(a.radix->filter_note[0], '\0');

	size_t missing = 0, extra = 0;
	for (size_t i = 0; i < x.nroots; i++) {
		const struct exp_root *r = &x.roots[i];
		int sp = space_named(&a, r->reg);
		CU_ASSERT_TRUE_FATAL(sp >= 0);
		if (radix_tree_index(a.radix, r->root, sp) < 0) {
			if (!r->boot) {
				fprintf(stderr, "\n%s: expected root 0x%llx (%s) not found\n", c->name,
					(unsigned long long)r->root, r->reg);
				missing++;
			}
			continue;
		}
		/* Kernel-only exactly when the tree maps no user memory. */
		bool konly = a.radix->trees[radix_tree_index(a.radix, r->root, sp)].flags & RADIX_TREE_KERNEL_ONLY;
		CU_ASSERT_EQUAL(konly, r->kind == EXP_KERNEL);
		check_space(&a, &a.radix->space[sp], r, c->name);
	}
	for (size_t i = 0; i < a.radix->ntrees; i++)
		if (!expected_root(&x, a.radix->trees[i].root)) {
			fprintf(stderr, "\n%s: false root 0x%llx%s\n", c->name, (unsigned long long)a.radix->trees[i].root,
				expected_is_decoy(&x, a.radix->trees[i].root) ? " (a decoy)" : "");
			extra++;
		}
	CU_ASSERT_EQUAL(missing, 0);
	CU_ASSERT_EQUAL(extra, 0);
	expect_gt(&a, -1, 0, 0);
	expected_free(&x);
	analysis_close(&a);
	free(yaml);
	free(gt);
	free(exp);
}

#define GEN_CASE(i)                             \
	static void test_gen_##i(void)          \
	{                                       \
		run_gen_case(&gen_cases[i]);    \
	}
GEN_CASE(0)
GEN_CASE(1)
GEN_CASE(2)
GEN_CASE(3)
GEN_CASE(4)
GEN_CASE(5)
GEN_CASE(6)
GEN_CASE(7)
GEN_CASE(8)
GEN_CASE(9)
GEN_CASE(10)
GEN_CASE(11)
GEN_CASE(12)
GEN_CASE(13)
GEN_CASE(14)

void register_arm_tables_tests(void)
{
	static const struct unit_test tests[] = {
		{"descriptor vectors", test_vectors},
		{"short descriptors, N = 0", test_short},
		{"short descriptors, N = 2", test_short_split},
		{"no TTBCR/TCR value", test_no_register},
		{"LPAE 3G/1G split", test_lpae_split},
		{"AArch64 4 KiB, shared scan", test_aarch64_4k},
		{"AArch64 16 and 64 KiB granules", test_aarch64_16k_64k},
		{"AArch64 code-site filters", test_aarch64_sites},
		{"ARM code-site filters", test_short_sites},
		{"AArch64 code-site filters need evidence", test_aarch64_stray_sites},
		{"AArch64 identity maps need evidence, and are not kernel roots", test_aarch64_identity_evidence},
		{"LPAE: one block is not a root", test_lpae_single_block},
		{"ARM code-site filters: a stray site", test_short_stray_site},
		{"generated arm short", test_gen_0},
		{"generated arm short N=2", test_gen_1},
		{"generated arm short N=5", test_gen_2},
		{"generated arm long", test_gen_3},
		{"generated arm long T0SZ=0 T1SZ=0", test_gen_4},
		{"generated arm long T0SZ=1 T1SZ=1", test_gen_5},
		{"generated arm long T0SZ=2 T1SZ=0", test_gen_6},
		{"generated arm long T0SZ=3 T1SZ=5", test_gen_7},
		{"generated aarch64 4K", test_gen_8},
		{"generated aarch64 4K 48-bit", test_gen_9},
		{"generated aarch64 4K T0SZ=39 T1SZ=33", test_gen_10},
		{"generated aarch64 16K", test_gen_11},
		{"generated aarch64 16K T0SZ=16 T1SZ=28", test_gen_12},
		{"generated aarch64 64K", test_gen_13},
		{"generated aarch64 64K T0SZ=39 (one level) T1SZ=16", test_gen_14},
	};
	unit_add_suite("arm_tables", tests, ARRAY_LEN(tests));
}
