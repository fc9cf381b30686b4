/* ARM 32-bit: short descriptors and long descriptors (LPAE). */
#include "autoconfig.h"

#include "arch.h"
#include "arm-tables.h"
#include "config.h"
#include "radix.h"

/* Register recovery from code: arm-regrec.c. */
extern const struct regrec_ops arm_regrec;

/* Register values first: they shape the tables (page tables: arm-tables.c). */
static const char *const table_pipeline[] = {"find_registers_values", "find_tables", "find_radix_trees", NULL};

static const struct mmu_mode_info arm_modes[] = {
	{"short", "ARMv7 short descriptors: 16 KiB / 1 KiB tables, sections and pages", 32},
	{"long", "ARMv7 long descriptors (LPAE): 3 levels, 40-bit physical addresses", 32},
};

const struct arch_ops arch_arm = {
	.name = "arm",
	.about = "ARM 32-bit (ARMv7-A)",
	.endians = 1u << ENDIAN_LITTLE | 1u << ENDIAN_BIG,
	.modes = arm_modes,
	.nmodes = ARRAY_LEN(arm_modes),
	.regrec = &arm_regrec,
	.radix = &arm_radix,
	.find_tables = radix_scan,
	.pipeline = table_pipeline,
};
