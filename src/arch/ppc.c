/* PowerPC 32-bit: hashed page tables, BATs and segment registers. */
#include "autoconfig.h"

#include "arch.h"
#include "config.h"

static const struct mmu_mode_info ppc_modes[] = {
	{"ppc32", "PowerPC 32-bit hashed page table (HTAB), BATs, segment registers", 32},
};

const struct arch_ops arch_ppc = {
	.name = "ppc",
	.about = "PowerPC 32-bit",
	.endians = 1u << ENDIAN_BIG,
	.modes = ppc_modes,
	.nmodes = ARRAY_LEN(ppc_modes),
};
