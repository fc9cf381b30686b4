/*
 * Fuzz target: the session loader.  Byte 0 picks one of the generated
 * machines (fz_std_machine) and the layer fuzzed:
 *
 *   bit 7 clear  the rest follows the machine block session_save writes for
 *                that machine: the section list and the sections (REGS,
 *                RADX with the architecture's extras), read by
 *                session_load_data, so the fuzzer spends no time on xz
 *   bit 7 set    the rest is a whole session file for session_load: magic,
 *                version, the xz stream
 *
 * A session that loads is then used: what it claims (candidates, trees,
 * IDTs, register values) must not crash the commands that trust it.
 */
#include "autoconfig.h"

#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "fz.h"
#include "radix.h"
#include "session.h"

/* The machine block of each machine: a fresh session's contents without its section count. */
static uint8_t *prefix[FZ_STD_COUNT];
static size_t prefix_len[FZ_STD_COUNT];

static void free_prefixes(void)
{
	for (unsigned i = 0; i < FZ_STD_COUNT; i++)
		free(prefix[i]);
}

static void make_prefix(unsigned which)
{
	struct analysis *a = fz_std_machine(which);
	struct err e = {{0}};
	char *path = xasprintf("%s/prefix.session", fz_dir());
	if (session_save(a, path, &e))
		fatal("fuzz-session: %s", e.msg);
	FILE *f = fopen(path, "rb");
	static uint8_t file[1 << 16], out[1 << 16];
	size_t n = f ? fread(file, 1, sizeof(file), f) : 0;
	if (f)
		fclose(f);
	size_t in_pos = 24, out_pos = 0;
	uint64_t memlimit = UINT64_MAX;
	if (n <= 24 || lzma_stream_buffer_decode(&memlimit, 0, NULL, file, &in_pos, n, out, &out_pos, sizeof(out)) != LZMA_OK ||
	    out_pos < 4)
		fatal("fuzz-session: cannot read back %s", path);
	prefix_len[which] = out_pos - 4;
	prefix[which] = xmalloc(prefix_len[which]);
	memcpy(prefix[which], out, prefix_len[which]);
	remove(path);
	free(path);
}

/* What a loaded session feeds: listings, walks of its trees, the next steps. */
static void use(struct analysis *a)
{
	fz_command(a, "show_radix_trees");
	fz_command(a, "show_registers --verbose");
	fz_command(a, "show_registers_gtruth");
	fz_command(a, "show_radix_trees_gtruth");
	if (a->cfg.arch->radix && !strcmp(a->cfg.arch->name, "intel")) {
		fz_command(a, "show_idtrs");
		fz_command(a, "show_idtrs_gtruth");
	}
	if (!strcmp(a->cfg.arch->name, "ppc")) {
		fz_command(a, "show_hashtables");
		fz_command(a, "show_hashtables_gtruth");
		fz_command(a, "resolve 0xc0001000");
	}
	if (a->cfg.arch->findings)
		fz_browse_findings(a);
	for (size_t i = 0; a->radix && i < a->radix->ntrees && i < 2; i++) {
		const struct radix_tree *t = &a->radix->trees[i];
		const char *kind = a->radix->space[t->space].shape.name;
		fz_command(a, "show_table 0x%llx 0 %s", (unsigned long long)t->root, kind);
		fz_command(a, "resolve 0x%llx 0x%llx %s", (unsigned long long)t->root, (unsigned long long)t->root, kind);
		fz_command(a, "show_vas 0x%llx %s", (unsigned long long)t->root, kind);
	}
	if (a->radix)
		fz_command(a, "find_radix_trees");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fz_small_limits();
	unsigned which = (data[0] & 0x7f) % FZ_STD_COUNT;
	struct analysis *a = fz_std_machine(which);
	struct err e = {{0}};
	int rc;
	if (!prefix[which]) {
		bool first = true;
		for (unsigned i = 0; i < FZ_STD_COUNT; i++)
			first &= !prefix[i];
		make_prefix(which);
		if (first)
			atexit(free_prefixes);
	}
	if (data[0] & 0x80) {
		rc = session_load(a, fz_file("s.session", data + 1, size - 1), &e);
	} else {
		size_t n = prefix_len[which] + size - 1;
		uint8_t *p = xmalloc(n);
		memcpy(p, prefix[which], prefix_len[which]);
		if (size > 1)
			memcpy(p + prefix_len[which], data + 1, size - 1);
		rc = session_load_data(a, p, n, &e);
		free(p);
	}
	if (rc)
		FZ_CHECK(e.msg[0] != '\0');
	else
		use(a);
	fz_std_reset(a);
	return 0;
}
