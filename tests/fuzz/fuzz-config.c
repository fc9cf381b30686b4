/*
 * Fuzz target: the machine YAML loader (config_load through dumpfmt_load),
 * then the dump files of a valid description mapped and walked frame by
 * frame.  The scratch folder holds dump files d0 (4 KiB) and d1 (8 KiB)
 * for descriptions to name.
 */
#include "autoconfig.h"

#include <string.h>

#include "arch.h"
#include "config.h"
#include "dumpfmt.h"
#include "fz.h"
#include "physmem.h"

/*
 * The loader opens the files a description names.  Inputs that could
 * name devices or kernel files (directly, by climbing out of the scratch
 * folder, or through YAML escapes) are skipped: this runs as any user.
 */
static const char *const unsafe[] = {"/dev", "/proc", "/sys", "..", "\\x", "\\u", "\\U", "\\/", NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		static uint8_t d[8192];
		for (size_t i = 0; i < sizeof(d); i++)
			d[i] = (uint8_t)(i * 7 + (i >> 8));
		fz_file("d0", d, 4096);
		fz_file("d1", d, 8192);
		ready = true;
	}
	if (fz_contains(data, size, unsafe))
		return 0;
	const char *path = fz_file("m.yaml", data, size);
	struct machine_config cfg;
	struct err e = {{0}};
	if (dumpfmt_load(path, NULL, &cfg, &e) == 0) {
		struct physmem pm;
		FZ_CHECK(cfg.arch && cfg.mode >= 0 && (size_t)cfg.mode < cfg.arch->nmodes && cfg.nram > 0);
		for (size_t i = 1; i < cfg.nram; i++)
			FZ_CHECK(cfg.ram[i - 1].end < cfg.ram[i].start);
		if (physmem_open(&pm, &cfg, &e) == 0) {
			struct frameset fs;
			struct frame_cursor c;
			uint64_t addr, sum = 0;
			uint8_t b[8];
			frameset_build(&fs, &pm, 4096, 0);
			frame_cursor_init(&c, &fs, 0, fs.total);
			while (frame_cursor_next(&c, &addr)) {
				FZ_CHECK(physmem_read(&pm, addr, b, sizeof(b)) == sizeof(b));
				sum += b[0];
			}
			(void)sum;
			frameset_free(&fs);
			physmem_close(&pm);
		}
		config_feature(&cfg, "m_phy");
		config_register(&cfg, "ttbcr");
		config_mode_name(&cfg);
		config_free(&cfg);
	} else {
		FZ_CHECK(e.msg[0] != '\0');
		config_free(&cfg);
	}
	return 0;
}
