/* Fuzz target: mmushell-mkdump's expected.yaml loader (expected_load) and its lookups. */
#include "autoconfig.h"

#include "mkdump/expected.h"
#include "fz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fz_file("expected.yaml", data, size);
	struct expected ex;
	struct err e = {{0}};
	if (expected_load(path, &ex, &e)) {
		FZ_CHECK(e.msg[0] != '\0');
		return 0;
	}
	char perms[7];
	for (size_t i = 0; i < ex.nroots; i++) {
		const struct exp_root *r = &ex.roots[i];
		FZ_CHECK(expected_root(&ex, r->root) != NULL);
		for (size_t k = 0; k < r->nranges; k++) {
			FZ_CHECK(expected_lookup(r, r->ranges[k].va) != NULL);
			expected_perm_string(r->ranges[k].perms, perms);
		}
		expected_kind_name(r->kind);
	}
	for (size_t i = 0; i < ex.ndecoys; i++)
		FZ_CHECK(expected_is_decoy(&ex, ex.decoys[i].addr));
	expected_free(&ex);
	return 0;
}
