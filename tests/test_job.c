/* The explorer's job thread: results through the wake-up pipe, busy refusals, cancellation, pipeline. */
#include "autoconfig.h"

#include <poll.h>
#include <stdlib.h>

#include "analysis.h"
#include "fixtures.h"
#include "job.h"
#include "mkdump/mkdump.h"
#include "regrec.h"
#include "unit.h"

/* A 4 MiB Intel 64-bit dump of pattern bytes: enough for a real scan. */
static int open_dump(struct analysis *a)
{
	char *dir = fx_tmpdir();
	fx_pattern_file(dir, "ram.bin", 4 << 20, 3);
	const char *yaml = fx_write(dir, "m.yaml",
				    "cpu: {architecture: intel, endianness: little, bits: 64,"
				    " processor_features: {m_phy: 39}}\n"
				    "mmu: {mode: ia64}\n"
				    "memspace:\n"
				    "  ram:\n"
				    "    - {start: 0x0, end: 0x3fffff, dumpfile: ram.bin}\n");
	struct err e = {{0}};
	struct analysis_opts o = {.threads = 1};
	if (analysis_open(a, yaml, &o, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	return 0;
}

/* Waits (bounded) for the wake-up pipe and takes the result. */
static bool wait_result(struct job *j, struct job_result *r)
{
	for (int i = 0; i < 200; i++) {
		struct pollfd fd = {job_fd(j), POLLIN, 0};
		poll(&fd, 1, 50);
		if (job_take(j, r))
			return true;
	}
	return false;
}

static void test_run_and_refuse(void)
{
	struct analysis a;
	struct err e = {{0}};
	struct job_result r;
	CU_ASSERT_EQUAL_FATAL(open_dump(&a), 0);
	struct job *j = job_start(&a, &e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_FALSE(job_busy(j));
	CU_ASSERT_FALSE(job_take(j, &r));
	ASSERT_STR_EQ(job_next_step(j), "parse_memory");
	CU_ASSERT_EQUAL(job_pipeline_len(j), 2);
	CU_ASSERT_EQUAL(job_pipeline_done(j), 0);

	CU_ASSERT_EQUAL(job_submit(j, "show_machine", &e), 0);
	/* Busy until the result is taken, whatever the thread is doing. */
	CU_ASSERT_TRUE(job_busy(j));
	CU_ASSERT_EQUAL(job_submit(j, "show_machine", &e), -1);
	ASSERT_STR_EQ(e.msg, "busy: 'show_machine' is still running (x cancels it)");
	CU_ASSERT_TRUE_FATAL(wait_result(j, &r));
	CU_ASSERT_TRUE(r.ok);
	CU_ASSERT_FALSE(r.cancelled);
	ASSERT_STR_EQ(r.name, "show_machine");
	ASSERT_STR_EQ(r.line, "show_machine");
	CU_ASSERT_PTR_NOT_NULL(strstr(r.text, "Architecture: intel"));
	CU_ASSERT_PTR_NOT_NULL(r.json);
	CU_ASSERT_PTR_NULL(r.error);
	job_result_free(&r);
	CU_ASSERT_FALSE(job_busy(j));

	/* A failing command: its message, no JSON. */
	CU_ASSERT_EQUAL(job_submit(j, "show_table", &e), 0);
	CU_ASSERT_TRUE_FATAL(wait_result(j, &r));
	CU_ASSERT_FALSE(r.ok);
	CU_ASSERT_FALSE(r.cancelled);
	ASSERT_STR_EQ(r.error, "usage: show_table ADDR [LEVEL] [TREE]");
	CU_ASSERT_PTR_NULL(r.json);
	job_result_free(&r);
	job_stop(j);
	analysis_close(&a);
}

static void test_pipeline_and_cancel(void)
{
	struct analysis a;
	struct err e = {{0}};
	struct job_result r;
	struct job_status st;
	CU_ASSERT_EQUAL_FATAL(open_dump(&a), 0);
	struct job *j = job_start(&a, &e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);

	/* Cancelled before the scan looks at a frame: it stops at once, and says so. */
	CU_ASSERT_EQUAL(job_submit(j, "parse_memory", &e), 0);
	job_cancel(j);
	job_status(j, &st);
	CU_ASSERT_TRUE(st.busy || job_busy(j));
	CU_ASSERT_TRUE_FATAL(wait_result(j, &r));
	CU_ASSERT_FALSE(r.ok);
	CU_ASSERT_TRUE(r.cancelled);
	job_result_free(&r);
	ASSERT_STR_EQ(job_next_step(j), "parse_memory");

	/* The cancel flag does not outlive the cancelled command. */
	CU_ASSERT_EQUAL(job_submit(j, "parse_memory", &e), 0);
	CU_ASSERT_TRUE_FATAL(wait_result(j, &r));
	CU_ASSERT_TRUE(r.ok);
	job_result_free(&r);
	ASSERT_STR_EQ(job_next_step(j), "find_radix_trees");
	CU_ASSERT_EQUAL(job_pipeline_done(j), 1);
	job_status(j, &st);
	CU_ASSERT_FALSE(st.busy);

	/* A step that fails (here, a bad argument) stays next. */
	CU_ASSERT_EQUAL(job_submit(j, "find_radix_trees now", &e), 0);
	CU_ASSERT_TRUE_FATAL(wait_result(j, &r));
	CU_ASSERT_FALSE(r.ok);
	job_result_free(&r);
	ASSERT_STR_EQ(job_next_step(j), "find_radix_trees");
	/* A pattern dump has no root candidates: zero trees, not a failure; the pipeline is done. */
	CU_ASSERT_EQUAL(job_submit(j, "find_radix_trees", &e), 0);
	CU_ASSERT_TRUE_FATAL(wait_result(j, &r));
	CU_ASSERT_TRUE(r.ok);
	job_result_free(&r);
	CU_ASSERT_EQUAL(job_pipeline_done(j), 2);

	/* Stopping with a result waiting frees it. */
	CU_ASSERT_EQUAL(job_submit(j, "show_machine", &e), 0);
	for (int i = 0; i < 100; i++) {
		struct pollfd fd = {job_fd(j), POLLIN, 0};
		if (poll(&fd, 1, 50) > 0)
			break;
	}
	job_stop(j);
	analysis_close(&a);
}

/* Runs line on the job and takes its result; its success. */
static bool run_line(struct job *j, const char *line)
{
	struct err e = {{0}};
	struct job_result r;
	CU_ASSERT_EQUAL_FATAL(job_submit(j, line, &e), 0);
	CU_ASSERT_TRUE_FATAL(wait_result(j, &r));
	bool ok = r.ok;
	if (!ok)
		fprintf(stderr, "\n%s: %s\n", line, r.error);
	job_result_free(&r);
	return ok;
}

/*
 * AArch64: a TCR_EL1 value giving other table shapes drops the tables and
 * trees (core), and the pipeline follows: find_tables is next again.  A
 * value giving the same shapes, or find_registers_values run again with
 * the value unchanged, leaves every step done.
 */
static void test_pipeline_follows_results(void)
{
	struct mkdump_opts o;
	struct err e = {{0}};
	struct analysis a;
	mkdump_opts_init(&o);
	o.arch = "aarch64";
	o.mode = "long";
	o.ram = 16 << 20;
	o.processes = 2;
	o.outdir = fx_tmpdir();
	CU_ASSERT_EQUAL_FATAL(mkdump_generate(&o, &e), 0);
	char *yaml = xasprintf("%s/machine.yaml", o.outdir);
	struct analysis_opts ao = {.threads = 1};
	CU_ASSERT_EQUAL_FATAL(analysis_open(&a, yaml, &ao, &e), 0);
	free(yaml);
	struct job *j = job_start(&a, &e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_EQUAL(job_pipeline_len(j), 3);
	ASSERT_STR_EQ(analysis_table_step(&a), "find_tables");
	CU_ASSERT_FALSE(job_step_has_results(j, "find_tables"));
	while (job_next_step(j)) {
		char *step = xstrdup(job_next_step(j));
		CU_ASSERT_TRUE_FATAL(run_line(j, step));
		free(step);
	}
	CU_ASSERT_TRUE(job_step_has_results(j, "find_tables"));
	CU_ASSERT_TRUE(job_step_has_results(j, "find_radix_trees"));
	CU_ASSERT_FALSE(job_step_has_results(j, "show_machine"));

	uint64_t tcr;
	const char *origin;
	CU_ASSERT_EQUAL_FATAL(registers_value(&a, "tcr_el1", &tcr, &origin), 0);
	char line[64];
	/* SH0 (shareability) only: the same shapes, the trees stay. */
	snprintf(line, sizeof(line), "set_tcr 0x%llx", (unsigned long long)(tcr ^ 0x1000));
	CU_ASSERT_TRUE(run_line(j, line));
	CU_ASSERT_PTR_NULL(job_next_step(j));
	/* T0SZ one less: user trees of another shape; tables and trees are dropped. */
	snprintf(line, sizeof(line), "set_tcr 0x%llx", (unsigned long long)(tcr - 1));
	CU_ASSERT_TRUE(run_line(j, line));
	CU_ASSERT_PTR_NULL(a.radix);
	ASSERT_STR_EQ(job_next_step(j), "find_tables");
	CU_ASSERT_EQUAL(job_pipeline_done(j), 1);
	CU_ASSERT_FALSE(job_step_has_results(j, "find_tables"));
	CU_ASSERT_TRUE(run_line(j, "find_tables"));
	CU_ASSERT_TRUE(run_line(j, "find_radix_trees"));
	CU_ASSERT_PTR_NULL(job_next_step(j));
	/* Recovery again, the value in force unchanged (set_tcr wins): nothing to run again. */
	CU_ASSERT_TRUE(run_line(j, "find_registers_values"));
	CU_ASSERT_PTR_NOT_NULL(a.radix);
	CU_ASSERT_PTR_NULL(job_next_step(j));
	job_stop(j);
	analysis_close(&a);
}

/*
 * MIPS: nothing tells whether parse_memory (a code scan) ran, but
 * registers recovered (a session given with --session) were built on it:
 * both steps count as done.  A new scan drops the registers: recovery is
 * next again.
 */
static void test_pipeline_from_results(void)
{
	struct analysis a;
	struct err e = {{0}};
	char *dir = fx_tmpdir();
	fx_pattern_file(dir, "ram.bin", 1 << 20, 5);
	const char *yaml = fx_write(dir, "m.yaml",
				    "cpu: {architecture: mips, endianness: little, bits: 32}\n"
				    "mmu: {mode: mips32}\n"
				    "memspace:\n"
				    "  ram:\n"
				    "    - {start: 0x0, end: 0xfffff, dumpfile: ram.bin}\n");
	struct analysis_opts o = {.threads = 1};
	CU_ASSERT_EQUAL_FATAL(analysis_open(&a, yaml, &o, &e), 0);
	CU_ASSERT_PTR_NULL(analysis_table_step(&a));
	regrec_results(&a)->found = true;
	struct job *j = job_start(&a, &e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_EQUAL(job_pipeline_len(j), 2);
	CU_ASSERT_EQUAL(job_pipeline_done(j), 2);
	CU_ASSERT_PTR_NULL(job_next_step(j));
	CU_ASSERT_TRUE(run_line(j, "parse_memory"));
	ASSERT_STR_EQ(job_next_step(j), "find_registers_values");
	CU_ASSERT_EQUAL(job_pipeline_done(j), 1);
	job_stop(j);
	analysis_close(&a);
	/* Where there are trees the table scan is parse_memory, or find_tables where the registers shape them. */
	CU_ASSERT_EQUAL_FATAL(open_dump(&a), 0);
	ASSERT_STR_EQ(analysis_table_step(&a), "parse_memory");
	analysis_close(&a);
}

void register_job_tests(void)
{
	static const struct unit_test tests[] = {
		{"command, result, busy refusal", test_run_and_refuse},
		{"pipeline position and cancellation", test_pipeline_and_cancel},
		{"pipeline position follows the results (set_tcr)", test_pipeline_follows_results},
		{"steps a session's results were built on are done", test_pipeline_from_results},
	};
	unit_add_suite("job", tests, ARRAY_LEN(tests));
}
