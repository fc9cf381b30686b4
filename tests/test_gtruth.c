#include "autoconfig.h"

#include <stdlib.h>

#include "fixtures.h"
#include "gtruth.h"
#include "unit.h"

static void test_load(void)
{
	char *dir = fx_tmpdir();
	const char *p = fx_write(dir, "gt.yaml",
				 "format: mmushell-gtruth/1\n"
				 "architecture: intel\n"
				 "mmu_mode: ia64\n"
				 "source: \"synthetic\"\n"
				 "registers:\n"
				 "  - {name: CR3, value: 0x3a2f000, first_seen: 1.25, last_seen: 47.9, count: 12}\n"
				 "  - {name: cr3, value: 0x1000, first_seen: 0.1, last_seen: 0.2}\n"
				 "  - {name: idtr_base, value: 0xfffffe0000000000, first_seen: 0.1, last_seen: 48.5, count: 90}\n"
				 "roots: [{root: 0x1000}, {root: 0x2000, register: cr3, inferred: false},\n"
				 "        {root: 0x3000, register: CR3, inferred: true}]\n"
				 "samples: []\n");
	struct gtruth gt;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(gtruth_load(p, &gt, &e), 0);
	ASSERT_STR_EQ(gt.architecture, "intel");
	ASSERT_STR_EQ(gt.mmu_mode, "ia64");
	CU_ASSERT_EQUAL(gt.nvalues, 3);
	const struct gt_value *v[4];
	CU_ASSERT_EQUAL(gtruth_values(&gt, "cr3", v, 4), 2);
	CU_ASSERT_EQUAL(v[0]->value, 0x3a2f000);
	CU_ASSERT_EQUAL(v[0]->count, 12);
	CU_ASSERT_DOUBLE_EQUAL(v[0]->first_seen, 1.25, 1e-9);
	CU_ASSERT_EQUAL(v[1]->count, 1);
	CU_ASSERT_EQUAL(gtruth_latest(&gt, "cr3")->value, 0x3a2f000);
	CU_ASSERT_PTR_NULL(gtruth_latest(&gt, "satp"));
	CU_ASSERT_DOUBLE_EQUAL(gt.last_time, 48.5, 1e-9);
	CU_ASSERT_EQUAL_FATAL(gt.ninferred, 1);
	ASSERT_STR_EQ(gt.inferred[0].reg, "cr3");
	CU_ASSERT_EQUAL(gt.inferred[0].root, 0x3000);
	gtruth_free(&gt);
}

static void expect_error(const char *text, const char *tail)
{
	char *dir = fx_tmpdir();
	const char *p = fx_write(dir, "gt.yaml", text);
	struct gtruth gt;
	struct err e = {{0}};
	CU_ASSERT_EQUAL(gtruth_load(p, &gt, &e), -1);
	char *want = xasprintf("%s:%s", p, tail);
	ASSERT_STR_EQ(e.msg, want);
	free(want);
}

static void test_errors(void)
{
	expect_error("a: 1\n", "1:1: not a ground-truth file: 'format' must be mmushell-gtruth/1");
	expect_error("format: mmushell-gtruth/9\nregisters: []\n", "1:9: unsupported ground-truth format version: mmushell-gtruth/9");
	expect_error("format: mmushell-gtruth/1\nregisters: 5\n",
		     "2:12: 'registers' must be a list of {name, value, first_seen, last_seen}");
	expect_error("format: mmushell-gtruth/1\nregisters:\n  - {name: cr3, value: zz}\n",
		     "3:5: register entry needs an integer value: cr3");
	expect_error("format: mmushell-gtruth/1\nregisters:\n  - {name: cr3, value: 1, last_seen: soon}\n",
		     "3:38: last_seen must be a number of seconds");
	expect_error("format: mmushell-gtruth/1\nregisters: []\nroots: {a: 1}\n",
		     "3:8: 'roots' must be a list of {root, register, inferred}");
	expect_error("format: mmushell-gtruth/1\nregisters: []\nroots:\n  - {root: 0x1000, register: cr3, inferred: maybe}\n",
		     "4:45: inferred must be true or false");
	expect_error("format: mmushell-gtruth/1\nregisters: []\nroots:\n  - {root: 0x1000, inferred: true}\n",
		     "4:5: an inferred root needs the register it belongs to (register: cr3, ...)");
	expect_error("format: mmushell-gtruth/1\nregisters: []\nroots:\n  - {root: soon, register: cr3, inferred: true}\n",
		     "4:5: an inferred root needs an integer root: cr3");
	expect_error("format: [\n", "2:1: malformed YAML: did not find expected node content");
}

void register_gtruth_tests(void)
{
	static const struct unit_test t[] = {{"load", test_load}, {"errors", test_errors}};
	unit_add_suite("gtruth", t, ARRAY_LEN(t));
}
