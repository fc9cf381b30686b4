/* Intel x86: IA-32 (PSE), PAE, IA-32e 4-level and 5-level (LA57) paging. */
#include "autoconfig.h"

#include "arch.h"
#include "config.h"

static const struct mmu_mode_info intel_modes[] = {
	{"ia32", "IA-32 2-level paging, 4 KiB and 4 MiB (PSE) pages", 0},
	{"pae", "PAE 3-level paging, 4 KiB and 2 MiB pages", 0},
	{"ia64", "IA-32e 4-level paging, 4 KiB, 2 MiB and 1 GiB pages", 64},
	{"la57", "IA-32e 5-level paging (LA57), 57-bit virtual addresses", 64},
};

/* MAXPHYADDR is what bounds every physical address field. */
static int intel_check_config(const struct machine_config *cfg, struct err *e)
{
	const struct config_kv *m = config_feature(cfg, "m_phy");
	if (!m)
		return config_error_at(cfg, cfg->pos_features, e,
				       "architecture intel needs cpu.processor_features.m_phy (MAXPHYADDR, e.g. 36 or 39)");
	if (!m->is_int || m->value == 0 || m->value >= 53)
		return config_error_at(cfg, m->pos, e, "cpu.processor_features.m_phy must be between 1 and 52 (got %s)",
				       m->text);
	return 0;
}

const struct arch_ops arch_intel = {
	.name = "intel",
	.about = "Intel x86 (IA-32, PAE, IA-32e)",
	.endians = 1u << ENDIAN_LITTLE,
	.modes = intel_modes,
	.nmodes = ARRAY_LEN(intel_modes),
	.check_config = intel_check_config,
};
