/* AArch64: VMSAv8-64 stage 1 with 4, 16 and 64 KiB granules. */
#include "autoconfig.h"

#include "arch.h"
#include "arm-tables.h"
#include "config.h"
#include "radix.h"

/* Register recovery from code: aarch64-regrec.c. */
extern const struct regrec_ops aarch64_regrec;

/* Register values first: they shape the tables (page tables: aarch64-tables.c). */
static const char *const table_pipeline[] = {"find_registers_values", "find_tables", "find_radix_trees", NULL};

static const struct mmu_mode_info aarch64_modes[] = {
	{"long", "VMSAv8-64 stage 1; granule and levels from TCR_EL1", 64},
};

const struct arch_ops arch_aarch64 = {
	.name = "aarch64",
	.about = "ARM 64-bit (ARMv8-A AArch64)",
	.endians = 1u << ENDIAN_LITTLE | 1u << ENDIAN_BIG,
	.modes = aarch64_modes,
	.nmodes = ARRAY_LEN(aarch64_modes),
	.regrec = &aarch64_regrec,
	.radix = &aarch64_radix,
	.find_tables = radix_scan,
	.pipeline = table_pipeline,
};
