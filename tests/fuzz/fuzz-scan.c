/*
 * Fuzz target, one per architecture without page-table trees (FUZZ_ARCH:
 * mips, ppc): parse_memory over arbitrary frames (the MMU-register site
 * scan; on PowerPC also the hash-table scan and its PTE-group checks),
 * the findings a reader browses, and the commands on what was found
 * (show_hashtables, show_hashtable, resolve through BATs, segment
 * registers and the hash table).  The input's first 16 bytes are the
 * machine, the rest its RAM:
 *
 *   0      flags: 0x01 big-endian (where the architecture runs it), 0x02
 *          two worker threads, 0x04 find_registers_values too, 0x08 bytes
 *          4-7 given as SDR1 (PowerPC) or Config (MIPS: AR = 2 makes the
 *          code MIPS32 Release 6)
 *   4-7    SDR1 or Config
 *   8-11   RAM base, in 4 KiB frames (below 4 GiB)
 *   12-15  an effective address to resolve (a VSID from bytes 1-3)
 */
#include "autoconfig.h"

#include <string.h>

#include "arch.h"
#include "config.h"
#include "fz.h"
#include "mkdump/expected.h"

#ifndef FUZZ_ARCH
#error "FUZZ_ARCH names the architecture (set by Makefile.am)"
#endif

#define HEADER 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *arch = FUZZ_ARCH;
	struct fz_in in = {data, MMU_MIN(size, (size_t)HEADER)};
	if (size <= HEADER)
		return 0;
	fz_small_limits();
	uint8_t flags = fz_u8(&in);
	uint32_t vsid = fz_u8(&in);
	vsid |= (uint32_t)fz_u16(&in) << 8;
	uint32_t given = fz_u32(&in);
	uint64_t base = (uint64_t)(fz_u32(&in) & 0xfffff) << 12;
	uint32_t ea = fz_u32(&in);
	struct fz_region r = {base, data + HEADER, size - HEADER};
	struct analysis a;
	fz_machine(&a, arch, 0, fz_pick_big(arch, flags & 0x01), 32, &r, 1, 0, 0);
	a.threads = flags & 0x02 ? 2 : 1;
	if (flags & 0x08)
		config_set_register(&a.cfg, strcmp(arch, "ppc") ? "Config" : "SDR1", given);
	if (fz_command(&a, "parse_memory") == 0) {
		fz_browse_findings(&a);
		if (!strcmp(arch, "ppc")) {
			fz_command(&a, "show_hashtables");
			fz_command(&a, "show_hashtable 0x%llx 0x10000", (unsigned long long)base);
			fz_command(&a, "resolve 0x%x", ea);
			fz_command(&a, "resolve 0x%x 0x%x", ea, vsid);
		}
		if (flags & 0x04) {
			fz_command(&a, "find_registers_values");
			fz_command(&a, "show_registers --verbose");
			if (!strcmp(arch, "ppc"))
				fz_command(&a, "resolve 0x%x", ea);
		}
	}
	fz_machine_close(&a);
	return 0;
}
