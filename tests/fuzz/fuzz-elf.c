/*
 * Fuzz target: ELF core input (elfcore_open, the notes, PT_LOAD to RAM
 * regions, mode hints, the MMUSHELL note), as MACHINE_CONFIG: the input's
 * last byte picks the options (--arch, --mode, --m-phy, --iomem), the rest
 * is the file.  A machine that loads is mapped and shown.
 */
#include "autoconfig.h"

#include "fz.h"

static const char *const arches[8] = {NULL, "x86_64", "i386", "arm64", "armhf", "riscv64", "mipseb", "bogus"};
static const char *const modes[8] = {NULL, NULL, "ia64", "la57", "pae", "sv48", "long", "short"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char iomem[] = "00000000-0000ffff : System RAM\n00010000-0001ffff : PCI Bus\n"
				    "00020000-7fffffff : System RAM\n  00100000-001fffff : Kernel code\n";
	if (size < 1)
		return 0;
	uint8_t opt = data[size - 1];
	struct analysis_opts o = {.threads = 1};
	o.input.arch = arches[opt & 7];
	o.input.mode = modes[opt >> 3 & 7];
	o.input.m_phy = opt & 0x40 ? 39 : 0;
	o.input.iomem = opt & 0x80 ? fz_file("iomem", iomem, sizeof(iomem) - 1) : NULL;
	const char *path = fz_file("core.elf", data, size - 1);
	struct analysis a;
	struct err e = {{0}};
	if (analysis_open(&a, path, &o, &e)) {
		FZ_CHECK(e.msg[0] != '\0');
		return 0;
	}
	FZ_CHECK(a.pm.nregions == a.cfg.nram && a.pm.nregions > 0);
	fz_command(&a, "show_machine");
	fz_command(&a, "show_memory_map");
	analysis_close(&a);
	return 0;
}
