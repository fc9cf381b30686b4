/* The architectures mmushell knows, in the order messages list them. */
#include "autoconfig.h"

#include "arch.h"

extern const struct arch_ops arch_intel, arch_riscv, arch_arm, arch_aarch64, arch_mips, arch_ppc;

const struct arch_ops *const arch_registry[] = {
	&arch_intel, &arch_riscv, &arch_arm, &arch_aarch64, &arch_mips, &arch_ppc,
};
const size_t arch_registry_len = ARRAY_LEN(arch_registry);
