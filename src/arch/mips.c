/* MIPS32: software-refilled TLB; MMU registers recovered from kernel code. */
#include "autoconfig.h"

#include "arch.h"
#include "commands.h"
#include "config.h"
#include "regrec.h"

/* Register recovery from code: mips-regrec.c. */
extern const struct regrec_ops mips_regrec;

static const struct mmu_mode_info mips_modes[] = {
	{"mips32", "MIPS32 TLB; CP0 register values from kernel code", 32},
};

/* No table to find: parse_memory is the MTC0 site scan (algo-mips-ppc-gtruth.md 2.1, 2.4). */
static void mips_parse_report(struct analysis *a, struct cmd_out *o)
{
	json_obj_begin(&o->json, NULL);
	regrec_report_sites(a, o);
	json_obj_end(&o->json);
}

static const char *const mips_pipeline[] = {"parse_memory", "find_registers_values", NULL};

const struct arch_ops arch_mips = {
	.name = "mips",
	.about = "MIPS32",
	.endians = 1u << ENDIAN_LITTLE | 1u << ENDIAN_BIG,
	.modes = mips_modes,
	.nmodes = ARRAY_LEN(mips_modes),
	.regrec = &mips_regrec,
	.parse_memory = regrec_scan,
	.parse_memory_report = mips_parse_report,
	.pipeline = mips_pipeline,
};
