/*
 * Fuzz target: the Intel IDT gate decoder and validator, on the input as
 * gates (byte 0: bit 0 selects 16-byte gates), then the same bytes as the
 * RAM of an IA-32e (16-byte gates) or PAE machine whose IDT scan runs,
 * with show_idtrs and show_idt on what it finds.
 */
#include "autoconfig.h"

#include "fz.h"
#include "intel.h"
#include "radix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	bool wide = data[0] & 1;
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

	struct fz_region r = {0x100000, g, len};
	struct analysis a;
	fz_machine(&a, "intel", wide ? 2 : 1, false, wide ? 64 : 32, &r, 1, 0, 0);
	fz_feature(&a, "m_phy", 36);
	if (fz_command(&a, "parse_memory") == 0) {
		const struct intel_idts *x = intel_idts(&a);
		FZ_CHECK(x != NULL);
		for (size_t i = 0; i < x->n && i < 4; i++) {
			FZ_CHECK(x->idt[i].gates > 0 && x->idt[i].gates <= 256);
			fz_command(&a, "show_idt 0x%llx", (unsigned long long)x->idt[i].addr);
		}
		fz_command(&a, "show_idtrs");
		fz_command(&a, "show_idt 0x100000");
	}
	fz_machine_close(&a);
	return 0;
}
