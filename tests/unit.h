/* Unit test registration: each test_*.c adds one CUnit suite. */
#ifndef MMU_TEST_UNIT_H
#define MMU_TEST_UNIT_H

#include <CUnit/CUnit.h>
#include <string.h>

void register_util_tests(void);
void register_intervals_tests(void);
void register_config_tests(void);
void register_physmem_tests(void);
void register_commands_tests(void);
void register_gtruth_tests(void);
void register_scan_tests(void);
void register_dataflow_tests(void);
void register_regrec_aarch64_tests(void);
void register_regrec_arm_tests(void);
void register_regrec_mips_tests(void);
void register_regrec_ppc_tests(void);
void register_cmd_registers_tests(void);
void register_radix_tests(void);
void register_arm_tables_tests(void);
void register_session_tests(void);
void register_generated_tests(void);
void register_dumpfmt_tests(void);
void register_acquire_tests(void);
void register_mkdump_tests(void);
void register_hardening_tests(void);
void register_badinput_tests(void);
void register_mkcode_tests(void);
void register_generated_regs_tests(void);
void register_job_tests(void);
void register_findings_tests(void);

/* Adds a suite with its tests; aborts the run if CUnit fails. */
struct unit_test {
	const char *name;
	void (*fn)(void);
};
void unit_add_suite(const char *name, const struct unit_test *tests, size_t n);

#define ASSERT_STR_EQ(actual, expected)                                                          \
	do {                                                                                     \
		const char *a_ = (actual), *e_ = (expected);                                    \
		if (!a_ || strcmp(a_, e_))                                                       \
			fprintf(stderr, "\n  expected: \"%s\"\n  actual:   \"%s\"\n", e_, a_ ? a_ : "(null)"); \
		CU_ASSERT_STRING_EQUAL(a_ ? a_ : "(null)", e_);                                  \
	} while (0)

#endif
