#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "config.h"
#include "fixtures.h"
#include "unit.h"

/* Writes two dump files (64 KiB each) and the YAML; returns the YAML path. */
static const char *setup(const char *dir, const char *yaml)
{
	fx_pattern_file(dir, "ram0.bin", 0x10000, 1);
	fx_pattern_file(dir, "ram1.bin", 0x10000, 2);
	return fx_write(dir, "machine.yaml", yaml);
}

#define GOOD_CPU \
	"cpu:\n" \
	"  architecture: intel\n" \
	"  endianness: little\n" \
	"  bits: 64\n" \
	"  processor_features:\n" \
	"    m_phy: 39\n"
#define GOOD_MMU "mmu:\n  mode: ia64\n"
#define GOOD_MEM \
	"memspace:\n" \
	"  ram:\n" \
	"    - start: 0x20000\n" \
	"      end: 0x2ffff\n" \
	"      dumpfile: ram1.bin\n" \
	"    - start: 0x0\n" \
	"      end: 0xffff\n" \
	"      dumpfile: ram0.bin\n" \
	"  not_ram:\n" \
	"    - start: 0x10000\n" \
	"      end: 0x1ffff\n"

/* Loads yaml and checks the error is exactly "<path>:<expected_tail>". */
static void expect_error(const char *yaml, const char *expected_tail)
{
	char *dir = fx_tmpdir();
	const char *path = setup(dir, yaml);
	struct machine_config cfg;
	struct err e = {{0}};
	int rc = config_load(path, &cfg, &e);
	CU_ASSERT_EQUAL(rc, -1);
	char *want = xasprintf("machine.yaml:%s", expected_tail);
	(void)path;
	char *got = xstrdup(e.msg);
	/* Dump file paths inside messages are absolute: make them relative to dir. */
	char *full = xasprintf("%s/", dir);
	for (char *p; (p = strstr(got, full));)
		memmove(p, p + strlen(full), strlen(p + strlen(full)) + 1);
	ASSERT_STR_EQ(got, want);
	free(full);
	free(got);
	free(want);
	config_free(&cfg);
}

static void test_good(void)
{
	char *dir = fx_tmpdir();
	const char *path = setup(dir, GOOD_CPU
				 "  unknown_key: [1, 2]\n"
				 "  registers_values:\n"
				 "    TTBCR: 0x80000000\n"
				 "    x4: 17\n" GOOD_MMU GOOD_MEM "extra: ignored\n");
	struct machine_config cfg;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(config_load(path, &cfg, &e), 0);
	ASSERT_STR_EQ(cfg.arch->name, "intel");
	ASSERT_STR_EQ(config_mode_name(&cfg), "ia64");
	CU_ASSERT_EQUAL(cfg.bits, 64);
	CU_ASSERT_EQUAL(cfg.endian, ENDIAN_LITTLE);
	CU_ASSERT_EQUAL_FATAL(cfg.nram, 2);
	/* Sorted by address whatever the YAML order. */
	CU_ASSERT_EQUAL(cfg.ram[0].start, 0x0);
	CU_ASSERT_EQUAL(cfg.ram[1].start, 0x20000);
	ASSERT_STR_EQ(cfg.ram[0].dumpfile, "ram0.bin");
	char *want = xasprintf("%s/ram0.bin", dir);
	ASSERT_STR_EQ(cfg.ram[0].path, want);
	free(want);
	CU_ASSERT_EQUAL(cfg.nnot_ram, 1);
	const struct config_kv *m = config_feature(&cfg, "M_PHY");
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->value, 39);
	const struct config_kv *t = config_register(&cfg, "ttbcr");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->value, 0x80000000);
	CU_ASSERT_EQUAL(config_register(&cfg, "X4")->value, 17);
	config_set_register(&cfg, "TCR_EL1", 0x1234);
	CU_ASSERT_EQUAL(config_register(&cfg, "tcr_el1")->value, 0x1234);
	config_free(&cfg);
}

/* The YAML's folder, not the current directory, anchors dump paths. */
static void test_relative_to_yaml(void)
{
	char *dir = fx_tmpdir();
	const char *path = setup(dir, GOOD_CPU GOOD_MMU GOOD_MEM);
	char cwd[4096];
	CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(cwd, sizeof(cwd)));
	CU_ASSERT_EQUAL_FATAL(chdir("/"), 0);
	struct machine_config cfg;
	struct err e = {{0}};
	CU_ASSERT_EQUAL(config_load(path, &cfg, &e), 0);
	config_free(&cfg);
	CU_ASSERT_EQUAL(chdir(cwd), 0);
}

static void test_absolute_dumpfile(void)
{
	char *dir = fx_tmpdir();
	char *other = fx_tmpdir();
	const char *dump = fx_pattern_file(other, "abs.bin", 0x1000, 3);
	char *yaml = xasprintf("cpu: {architecture: riscv, endianness: little, bits: 64}\n"
			       "mmu: {mode: SV39}\n"
			       "memspace:\n  ram: [{start: 4096, end: 8191, dumpfile: %s}]\n",
			       dump);
	const char *path = fx_write(dir, "m.yaml", yaml);
	free(yaml);
	struct machine_config cfg;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(config_load(path, &cfg, &e), 0);
	ASSERT_STR_EQ(cfg.ram[0].path, dump);
	ASSERT_STR_EQ(config_mode_name(&cfg), "sv39");
	CU_ASSERT_EQUAL(cfg.nnot_ram, 0);
	config_free(&cfg);
}

static void test_missing_key(void)
{
	expect_error("cpu:\n  architecture: intel\n  endianness: little\n" GOOD_MMU GOOD_MEM,
		     "2:3: missing required key 'cpu.bits'");
	expect_error(GOOD_CPU GOOD_MEM, "1:1: missing required key 'mmu'");
	expect_error(GOOD_CPU GOOD_MMU "memspace:\n  not_ram: []\n", "10:3: missing required key 'memspace.ram'");
	expect_error(GOOD_CPU GOOD_MMU "memspace:\n  ram:\n    - {start: 0, end: 0xffff}\n",
		     "11:7: missing required key 'memspace.ram[0].dumpfile'");
}

static void test_wrong_type(void)
{
	expect_error("cpu:\n  architecture: intel\n  endianness: little\n  bits: [64]\n" GOOD_MMU GOOD_MEM,
		     "4:9: 'cpu.bits' must be an integer, not a list");
	expect_error("cpu:\n  architecture: intel\n  endianness: little\n  bits: sixty\n" GOOD_MMU GOOD_MEM,
		     "4:9: 'cpu.bits' must be an integer, decimal or 0x hexadecimal (got 'sixty')");
	expect_error("cpu: intel\n" GOOD_MMU GOOD_MEM, "1:6: 'cpu' must be a mapping, not a scalar");
	expect_error(GOOD_CPU GOOD_MMU "memspace:\n  ram: {start: 0}\n",
		     "10:8: 'memspace.ram' must be a list, not a mapping");
	expect_error(GOOD_CPU GOOD_MMU "memspace:\n  ram:\n    - {start: -5, end: 0xffff, dumpfile: ram0.bin}\n",
		     "11:15: 'memspace.ram[0].start' must be a non-negative integer (got '-5')");
	expect_error(GOOD_CPU "  registers_values: {TTBCR: high}\n" GOOD_MMU GOOD_MEM,
		     "7:29: 'cpu.registers_values.TTBCR' must be an integer, decimal or 0x hexadecimal (got 'high')");
	expect_error(GOOD_CPU GOOD_MMU "memspace:\n  ram:\n    - 42\n",
		     "11:7: 'memspace.ram[0]' must be a mapping with start and end, not a scalar");
}

static void test_bits(void)
{
	expect_error("cpu:\n  architecture: intel\n  endianness: little\n  bits: 16\n" GOOD_MMU GOOD_MEM,
		     "4:9: 'cpu.bits' must be 32 or 64 (got 16)");
	expect_error("cpu:\n  architecture: intel\n  endianness: little\n  bits: 32\n"
		     "  processor_features: {m_phy: 36}\n" GOOD_MMU GOOD_MEM,
		     "7:9: MMU mode ia64 needs cpu.bits 64 (got 32)");
}

static void test_unknown_arch_mode(void)
{
	expect_error("cpu:\n  architecture: sparc\n  endianness: big\n  bits: 64\n" GOOD_MMU GOOD_MEM,
		     "2:17: unknown architecture 'sparc' (known: intel, riscv, arm, aarch64, mips, ppc)");
	expect_error(GOOD_CPU "mmu:\n  mode: ia128\n" GOOD_MEM,
		     "8:9: unknown MMU mode 'ia128' for architecture intel (accepted: ia32, pae, ia64, la57)");
	expect_error("cpu: {architecture: riscv, endianness: little, bits: 64}\nmmu: {mode: cpu}\n" GOOD_MEM,
		     "2:13: unknown MMU mode 'cpu' for architecture riscv (accepted: sv32, sv39, sv48, sv57)");
	expect_error("cpu: {architecture: ppc, endianness: little, bits: 32}\nmmu: {mode: ppc32}\n" GOOD_MEM,
		     "1:38: architecture ppc does not run little-endian");
	expect_error("cpu:\n  architecture: intel\n  endianness: middle\n  bits: 64\n" GOOD_MMU GOOD_MEM,
		     "3:15: 'cpu.endianness' must be little or big (got 'middle')");
}

static void test_intel_m_phy(void)
{
	expect_error("cpu:\n  architecture: intel\n  endianness: little\n  bits: 64\n" GOOD_MMU GOOD_MEM,
		     "2:3: architecture intel needs cpu.processor_features.m_phy (MAXPHYADDR, e.g. 36 or 39)");
	expect_error("cpu:\n  architecture: intel\n  endianness: little\n  bits: 64\n"
		     "  processor_features: {m_phy: 60}\n" GOOD_MMU GOOD_MEM,
		     "5:31: cpu.processor_features.m_phy must be between 1 and 52 (got 60)");
	/* A quoted feature value is text, never the integer it spells. */
	expect_error("cpu:\n  architecture: intel\n  endianness: little\n  bits: 64\n"
		     "  processor_features: {m_phy: '39'}\n" GOOD_MMU GOOD_MEM,
		     "5:31: cpu.processor_features.m_phy must be between 1 and 52 (got 39)");
}

static void test_ranges(void)
{
	expect_error(GOOD_CPU GOOD_MMU "memspace:\n  ram:\n    - {start: 0x2000, end: 0x1fff, dumpfile: ram0.bin}\n",
		     "11:28: memspace.ram[0]: end 0x1fff is below start 0x2000");
	expect_error(GOOD_CPU GOOD_MMU
		     "memspace:\n  ram:\n"
		     "    - {start: 0x0, end: 0xffff, dumpfile: ram0.bin}\n"
		     "    - {start: 0x8000, end: 0x17fff, dumpfile: ram1.bin}\n",
		     "12:7: memspace.ram[1] [0x8000-0x17fff] overlaps memspace.ram[0] [0x0-0xffff]");
	expect_error(GOOD_CPU GOOD_MMU "memspace:\n  ram: []\n",
		     "10:8: 'memspace.ram' is empty: at least one RAM region is needed");
	expect_error(GOOD_CPU GOOD_MMU "memspace:\n  ram: [{start: 0, end: 0xffff, dumpfile: ram0.bin}]\n"
		     "  not_ram: [{start: 5, end: 4}]\n",
		     "11:29: memspace.not_ram[0]: end 0x4 is below start 0x5");
}

static void test_dump_files(void)
{
	expect_error(GOOD_CPU GOOD_MMU "memspace:\n  ram:\n    - {start: 0x0, end: 0xffff, dumpfile: nothere.bin}\n",
		     "11:7: cannot open dump file 'nothere.bin': No such file or directory");
	expect_error(GOOD_CPU GOOD_MMU "memspace:\n  ram:\n    - {start: 0x0, end: 0x1ffff, dumpfile: ram0.bin}\n",
		     "11:7: dump file 'ram0.bin' has 65536 bytes but the region 0x0-0x1ffff declares 131072 bytes");
	if (geteuid() != 0) { /* root reads everything: unreadable cannot be staged */
		char *dir = fx_tmpdir();
		const char *path = setup(dir, GOOD_CPU GOOD_MMU GOOD_MEM);
		char *dump = xasprintf("%s/ram0.bin", dir);
		CU_ASSERT_EQUAL(chmod(dump, 0), 0);
		struct machine_config cfg;
		struct err e = {{0}};
		CU_ASSERT_EQUAL(config_load(path, &cfg, &e), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "Permission denied"));
		config_free(&cfg);
		free(dump);
	}
}

static void test_malformed(void)
{
	expect_error("cpu: [1, 2\n", "2:1: malformed YAML: did not find expected ',' or ']' while parsing a flow sequence");
	expect_error("", " empty YAML document: a machine description needs cpu, mmu and memspace");
	expect_error("- 1\n- 2\n", "1:1: the machine description must be a mapping with cpu, mmu and memspace, not a list");
	char *dir = fx_tmpdir();
	char *path = xasprintf("%s/absent.yaml", dir);
	struct machine_config cfg;
	struct err e = {{0}};
	CU_ASSERT_EQUAL(config_load(path, &cfg, &e), -1);
	char *want = xasprintf("%s: cannot open: No such file or directory", path);
	ASSERT_STR_EQ(e.msg, want);
	free(want);
	free(path);
	config_free(&cfg);
}

void register_config_tests(void)
{
	static const struct unit_test t[] = {
		{"good", test_good},
		{"relative_to_yaml", test_relative_to_yaml},
		{"absolute_dumpfile", test_absolute_dumpfile},
		{"missing_key", test_missing_key},
		{"wrong_type", test_wrong_type},
		{"bits", test_bits},
		{"unknown_arch_mode", test_unknown_arch_mode},
		{"intel_m_phy", test_intel_m_phy},
		{"ranges", test_ranges},
		{"dump_files", test_dump_files},
		{"malformed", test_malformed},
	};
	unit_add_suite("config", t, ARRAY_LEN(t));
}
