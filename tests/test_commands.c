#include "autoconfig.h"

#include <stdlib.h>

#include "analysis.h"
#include "commands.h"
#include "fixtures.h"
#include "unit.h"

static void test_split(void)
{
	int argc;
	char **argv;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(command_split("  show_table  0x1000 \"a b\" c\\ d ", &argc, &argv, &e), 0);
	CU_ASSERT_EQUAL_FATAL(argc, 4);
	ASSERT_STR_EQ(argv[0], "show_table");
	ASSERT_STR_EQ(argv[1], "0x1000");
	ASSERT_STR_EQ(argv[2], "a b");
	ASSERT_STR_EQ(argv[3], "c d");
	command_free_argv(argc, argv);
	CU_ASSERT_EQUAL(command_split("save_data \"x", &argc, &argv, &e), -1);
	ASSERT_STR_EQ(e.msg, "unterminated quote in command line");
	CU_ASSERT_EQUAL(command_split("   ", &argc, &argv, &e), 0);
	CU_ASSERT_EQUAL(argc, 0);
	command_free_argv(argc, argv);
}

static struct analysis a;

static int open_analysis(void)
{
	char *dir = fx_tmpdir();
	fx_pattern_file(dir, "lo.bin", 0x9f000, 1);
	fx_pattern_file(dir, "hi.bin", 0x100000, 2);
	const char *yaml = fx_write(dir, "m.yaml",
				    "cpu: {architecture: intel, endianness: little, bits: 32,"
				    " processor_features: {m_phy: 36}}\n"
				    "mmu: {mode: pae}\n"
				    "memspace:\n"
				    "  ram:\n"
				    "    - {start: 0x0, end: 0x9efff, dumpfile: lo.bin}\n"
				    "    - {start: 0x100000, end: 0x1fffff, dumpfile: hi.bin}\n"
				    "  not_ram:\n"
				    "    - {start: 0xa0000, end: 0xbffff}\n");
	struct err e = {{0}};
	struct analysis_opts o = {.threads = 2};
	if (analysis_open(&a, yaml, &o, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	return 0;
}

static int run(const char *line, struct cmd_out *o, struct err *e)
{
	char *name;
	cmd_out_init(o);
	int rc = command_run_line(&a, line, o, &name, e);
	free(name);
	return rc;
}

static void test_memory_map(void)
{
	CU_ASSERT_EQUAL_FATAL(open_analysis(), 0);
	struct cmd_out o;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(run("show_memory_map", &o, &e), 0);
	const char *j = o.json.b.s;
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "{\"start\": \"0x0\", \"end\": \"0x9efff\", \"size\": 651264, \"kind\": \"ram\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "{\"start\": \"0x9f000\", \"end\": \"0x9ffff\", \"size\": 4096, \"kind\": \"hole\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "{\"start\": \"0xa0000\", \"end\": \"0xbffff\", \"size\": 131072, \"kind\": \"not_ram\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "{\"start\": \"0xc0000\", \"end\": \"0xfffff\", \"size\": 262144, \"kind\": \"hole\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"ram_bytes\": 1699840, \"not_ram_bytes\": 131072, \"hole_bytes\": 266240}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.text.s, "RAM 1.6 MiB, not-RAM 128.0 KiB, holes 260.0 KiB"));
	cmd_out_free(&o);
	CU_ASSERT_EQUAL_FATAL(run("show_machine", &o, &e), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.json.b.s, "\"architecture\": \"intel\", \"mode\": \"pae\", \"endianness\": \"little\", \"bits\": 32"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.json.b.s, "\"processor_features\": {\"m_phy\": 36}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.text.s, "MMU mode:     pae"));
	cmd_out_free(&o);
	analysis_close(&a);
}

static void test_errors(void)
{
	CU_ASSERT_EQUAL_FATAL(open_analysis(), 0);
	struct cmd_out o;
	struct err e = {{0}};
	CU_ASSERT_EQUAL(run("no_such_command 1", &o, &e), -1);
	CU_ASSERT_EQUAL(strncmp(e.msg, "unknown command 'no_such_command' (known: help, show_machine, ", 61), 0);
	cmd_out_free(&o);
	CU_ASSERT_EQUAL(run("show_machine extra", &o, &e), -1);
	ASSERT_STR_EQ(e.msg, "usage: show_machine");
	cmd_out_free(&o);
	CU_ASSERT_EQUAL(run("help nope", &o, &e), -1);
	ASSERT_STR_EQ(e.msg, "unknown command 'nope' (known: help, show_machine, show_memory_map, find_registers_values, "
			     "show_registers, show_registers_gtruth, set_tcr, set_ttbcr, parse_memory, find_tables, "
			     "find_radix_trees, show_radix_trees, show_table, resolve, show_vas, show_radix_trees_gtruth, "
			     "export_vas, export_all, save_data, show_idtrs, show_idt, show_idtrs_gtruth)");
	cmd_out_free(&o);
	CU_ASSERT_EQUAL(run("help show_memory_map", &o, &e), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.json.b.s, "\"name\": \"show_memory_map\""));
	cmd_out_free(&o);
	analysis_close(&a);
}

static void test_json_line(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	command_write_json(f, "show \"x\"", false, "bad\nthing", NULL);
	command_write_json(f, "help", true, NULL, "{\"a\": 1}");
	fclose(f);
	ASSERT_STR_EQ(buf, "{\"command\": \"show \\\"x\\\"\", \"ok\": false, \"error\": \"bad\\nthing\", \"result\": null}\n"
			   "{\"command\": \"help\", \"ok\": true, \"error\": null, \"result\": {\"a\": 1}}\n");
	free(buf);
}

/* Touching RAM regions stay one row each: each names its own dump file. */
static void test_memory_map_touching(void)
{
	char *dir = fx_tmpdir();
	fx_pattern_file(dir, "a.bin", 0x1000, 1);
	fx_pattern_file(dir, "b.bin", 0x1000, 2);
	const char *yaml = fx_write(dir, "t.yaml",
				    "cpu: {architecture: riscv, endianness: little, bits: 64}\n"
				    "mmu: {mode: sv39}\n"
				    "memspace:\n"
				    "  ram: [{start: 0x0, end: 0xfff, dumpfile: a.bin}, {start: 0x1000, end: 0x1fff, dumpfile: b.bin}]\n");
	struct analysis t;
	struct err e = {{0}};
	struct analysis_opts opts = {.threads = 1};
	CU_ASSERT_EQUAL_FATAL(analysis_open(&t, yaml, &opts, &e), 0);
	struct cmd_out o;
	char *name;
	cmd_out_init(&o);
	CU_ASSERT_EQUAL(command_run_line(&t, "show_memory_map", &o, &name, &e), 0);
	char *want = xasprintf("{\"regions\": [{\"start\": \"0x0\", \"end\": \"0xfff\", \"size\": 4096, \"kind\": \"ram\", "
			       "\"dumpfile\": \"%s/a.bin\"}, {\"start\": \"0x1000\", \"end\": \"0x1fff\", \"size\": 4096, "
			       "\"kind\": \"ram\", \"dumpfile\": \"%s/b.bin\"}], \"ram_bytes\": 8192", dir, dir);
	if (!strstr(o.json.b.s, want))
		fprintf(stderr, "\n%s\n", o.json.b.s);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.json.b.s, want));
	free(want);
	free(name);
	cmd_out_free(&o);
	analysis_close(&t);
}

void register_commands_tests(void)
{
	static const struct unit_test t[] = {
		{"split", test_split},
		{"memory_map", test_memory_map},
		{"memory_map_touching", test_memory_map_touching},
		{"errors", test_errors},
		{"json_line", test_json_line},
	};
	unit_add_suite("commands", t, ARRAY_LEN(t));
}
