/*
 * Fuzz target: the Intel IDT gate decoder and validator, on the input as
 * gates, then the same bytes as the RAM of an IA-32e (16-byte gates) or PAE
 * machine whose IDT scan runs, with show_idtrs and show_idt on what it
 * finds.  Byte 0: bit 0 selects 16-byte gates; bit 1 puts the RAM's first
 * frame in a region of its own, so that a table crossing it is read across
 * two regions.  The scan reads whole 4 KiB frames: the RAM is the input
 * zero-padded to the next frame boundary.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "fz.h"
#include "intel.h"
#include "radix.h"

/* Where the RAM starts, and its frame size (the scan reads whole frames). */
#define RAM_BASE 0x100000
#define FRAME 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	bool wide = data[0] & 1, split = data[0] & 2;
	const uint8_t *g = data + 1;
	size_t len = size - 1, gs = wide ? 16 : 8;
	for (size_t off = 0; off + gs <= len; off += gs) {
		struct intel_gate x;
		intel_gate_decode(g + off, wide, &x);
		FZ_CHECK(x.kind >= GATE_INVALID && x.kind <= GATE_TRAP && x.dpl < 4 && x.type < 16);
		FZ_CHECK(intel_gate_kind_name(x.kind)[0] != '?');
	}
	unsigned n = intel_idt_validate(g, len, wide);
	FZ_CHECK(n <= 256 && n * gs <= len);

	size_t ram_len = (len + FRAME - 1) / FRAME * FRAME;
	uint8_t *ram = xcalloc(1, ram_len);
	memcpy(ram, g, len);
	struct fz_region r[2] = {{RAM_BASE, ram, ram_len}};
	size_t nr = 1;
	if (split && ram_len > FRAME) {
		r[0].len = FRAME;
		r[1] = (struct fz_region){RAM_BASE + FRAME, ram + FRAME, ram_len - FRAME};
		nr = 2;
	}
	struct analysis a;
	fz_machine(&a, "intel", wide ? 2 : 1, false, wide ? 64 : 32, r, nr, 0, 0);
	fz_feature(&a, "m_phy", 36);
	if (fz_command(&a, "parse_memory") == 0) {
		const struct intel_idts *x = intel_idts(&a);
		FZ_CHECK(x != NULL);
		for (size_t i = 0; i < x->n && i < 4; i++) {
			/* A table found is the validator's verdict on the RAM at its address. */
			uint64_t off = x->idt[i].addr - RAM_BASE;
			FZ_CHECK(x->idt[i].addr >= RAM_BASE && off < ram_len && off % 4 == 0);
			FZ_CHECK(x->idt[i].gates ==
				 intel_idt_validate(ram + off, MMU_MIN(ram_len - off, (size_t)256 * gs), wide));
			fz_command(&a, "show_idt 0x%llx", (unsigned long long)x->idt[i].addr);
		}
		fz_command(&a, "show_idtrs");
		fz_command(&a, "show_idt 0x%x", RAM_BASE);
	}
	fz_machine_close(&a);
	free(ram);
	return 0;
}
