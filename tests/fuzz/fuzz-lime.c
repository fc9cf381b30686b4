/*
 * Fuzz target: LiME input (lime_read, range headers to RAM regions) as
 * MACHINE_CONFIG: the input's last byte picks --arch (a LiME file needs
 * it), --mode and --iomem; the rest is the file.  A machine that loads is
 * mapped and shown.
 */
#include "autoconfig.h"

#include "fz.h"

static const char *const arches[8] = {"x86_64", "i386", "arm64", "armhf", "riscv64", "aarch64_be", NULL, "intel"};
static const char *const modes[4] = {NULL, "la57", "sv57", "long"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char iomem[] = "00001000-0009ffff : System RAM\n000a0000-000fffff : Video ROM\n"
				    "00100000-3fffffff : System RAM\n";
	if (size < 1)
		return 0;
	uint8_t opt = data[size - 1];
	struct analysis_opts o = {.threads = 1};
	o.input.arch = arches[opt & 7];
	o.input.mode = modes[opt >> 3 & 3];
	o.input.m_phy = opt & 0x20 ? 36 : 0;
	o.input.iomem = opt & 0x80 ? fz_file("iomem", iomem, sizeof(iomem) - 1) : NULL;
	const char *path = fz_file("dump.lime", data, size - 1);
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
