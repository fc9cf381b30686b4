/* CUnit runner for every unit suite; exit status non-zero on any failure. */
#include "autoconfig.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixtures.h"
#include "unit.h"

void unit_add_suite(const char *name, const struct unit_test *tests, size_t n)
{
	CU_pSuite s = CU_add_suite(name, NULL, NULL);
	if (!s) {
		fprintf(stderr, "CUnit: cannot add suite %s\n", name);
		exit(2);
	}
	for (size_t i = 0; i < n; i++)
		if (!CU_add_test(s, tests[i].name, tests[i].fn)) {
			fprintf(stderr, "CUnit: cannot add test %s\n", tests[i].name);
			exit(2);
		}
}

int main(int argc, char **argv)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	register_util_tests();
	register_intervals_tests();
	register_config_tests();
	register_physmem_tests();
	register_commands_tests();
	register_gtruth_tests();
	register_scan_tests();
	register_dataflow_tests();
	register_regrec_aarch64_tests();
	register_regrec_arm_tests();
	register_regrec_mips_tests();
	register_regrec_ppc_tests();
	register_cmd_registers_tests();
	register_radix_tests();
	register_arm_tables_tests();
	register_session_tests();
	register_generated_tests();
	register_dumpfmt_tests();
	register_acquire_tests();
	register_mkdump_tests();
	register_hardening_tests();
	register_badinput_tests();
	register_mkcode_tests();
	register_generated_regs_tests();
	register_job_tests();
	register_findings_tests();
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (argc > 1) {
		/* Run one suite by name, for debugging. */
		CU_pSuite s = CU_get_suite(argv[1]);
		if (!s) {
			fprintf(stderr, "no suite named %s\n", argv[1]);
			return 2;
		}
		CU_basic_run_suite(s);
	} else {
		CU_basic_run_tests();
	}
	unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	unsigned ran = CU_get_number_of_tests_run();
	CU_cleanup_registry();
	fx_cleanup();
	if (ran == 0) {
		fprintf(stderr, "no tests ran\n");
		return 1;
	}
	return failed ? 1 : 0;
}
