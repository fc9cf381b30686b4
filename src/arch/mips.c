/* MIPS32: software-refilled TLB; MMU registers recovered from kernel code. */
#include "autoconfig.h"

#include "arch.h"
#include "config.h"

static const struct mmu_mode_info mips_modes[] = {
	{"mips32", "MIPS32 TLB; CP0 register values from kernel code", 32},
};

const struct arch_ops arch_mips = {
	.name = "mips",
	.about = "MIPS32",
	.endians = 1u << ENDIAN_LITTLE | 1u << ENDIAN_BIG,
	.modes = mips_modes,
	.nmodes = ARRAY_LEN(mips_modes),
};
