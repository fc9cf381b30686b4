/* RISC-V: Sv32, Sv39, Sv48 and Sv57 page tables. */
#include "autoconfig.h"

#include "arch.h"
#include "config.h"

static const struct mmu_mode_info riscv_modes[] = {
	{"sv32", "Sv32 2-level, 4 KiB and 4 MiB pages", 32},
	{"sv39", "Sv39 3-level, 4 KiB, 2 MiB and 1 GiB pages", 64},
	{"sv48", "Sv48 4-level, up to 512 GiB pages", 64},
	{"sv57", "Sv57 5-level, up to 256 TiB pages", 64},
};

const struct arch_ops arch_riscv = {
	.name = "riscv",
	.about = "RISC-V (Sv32, Sv39, Sv48, Sv57)",
	.endians = 1u << ENDIAN_LITTLE,
	.modes = riscv_modes,
	.nmodes = ARRAY_LEN(riscv_modes),
};
