/*
 * code: kernel functions written into the kernel text by the architecture
 * extras (machine code that loads MMU registers), one after the other with
 * random gaps of code-like bytes between them, as a linker lays out a
 * kernel image.
 */
#include "autoconfig.h"

#include "gen.h"

#include <inttypes.h>
#include <string.h>

#define GAP_MIN 64
#define GAP_MAX 4096
#define FN_ALIGN 16

int gen_place_code(struct gen *g, const struct code_fn *f, bool big, uint64_t *pa, struct err *e)
{
	uint64_t bytes = 4 * (uint64_t)f->n;
	if (!g->k.text_size || f->n >= CODE_FN_MAX)
		return err_set(e, "internal error: no kernel text for code");
	if (!g->code_cursor)
		g->code_cursor = align_down(rng_below(&g->rng, g->k.text_size / 8) + GAP_MIN, FN_ALIGN);
	uint64_t at = align_down(g->code_cursor + rng_range(&g->rng, GAP_MIN, GAP_MAX), FN_ALIGN);
	if (at + bytes > g->k.text_size)
		return err_set(e, "internal error: kernel text of %" PRIu64 " bytes too small for its MMU code",
			       g->k.text_size);
	for (size_t i = 0; i < f->n; i++) {
		/* Words are 4-byte aligned: never split across frames. */
		uint64_t a = g->k.text_pa + at + 4 * i;
		wr32(phys_bytes(g, a), f->w[i], big);
	}
	g->code_cursor = at + bytes;
	*pa = g->k.text_pa + at;
	return 0;
}

void gen_expect_code_register(struct gen *g, const char *name, uint64_t value, unsigned sites)
{
	static const char key[] = "code_registers:\n";
	if (!g->expected_yaml.len || !strstr(g->expected_yaml.s, key))
		sbuf_printf(&g->expected_yaml, "%s", key);
	sbuf_printf(&g->expected_yaml, "  - {name: %s, value: 0x%" PRIx64 ", sites: %u}\n", name, value, sites);
}
