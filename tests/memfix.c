#include "autoconfig.h"

#include "memfix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "util.h"

void memfix_init(struct memfix *m, uint64_t base, size_t len, int big)
{
	m->mem = xcalloc(1, len);
	m->base = base;
	m->len = len;
	m->big = big;
}

void memfix_free(struct memfix *m)
{
	free(m->mem);
	memset(m, 0, sizeof(*m));
}

void memfix_words(struct memfix *m, uint64_t addr, const uint32_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wr32(m->mem + (addr - m->base) + 4 * i, w[i], false);
}

void memfix_u32(struct memfix *m, uint64_t addr, uint32_t v)
{
	wr32(m->mem + (addr - m->base), v, m->big);
}

void memfix_u64(struct memfix *m, uint64_t addr, uint64_t v)
{
	wr64(m->mem + (addr - m->base), v, m->big);
}

int memfix_open(const struct memfix *m, const char *arch, const char *mode, int bits, const char *cpu_extra,
		const char *gtruth, struct analysis *a)
{
	char *dir = fx_tmpdir();
	fx_write_bytes(dir, "ram.bin", m->mem, m->len);
	char *yaml = xasprintf("cpu:\n  architecture: %s\n  endianness: %s\n  bits: %d\n%s"
			       "mmu: {mode: %s}\nmemspace:\n  ram:\n    - {start: 0x%llx, end: 0x%llx, dumpfile: ram.bin}\n",
			       arch, m->big ? "big" : "little", bits, cpu_extra ? cpu_extra : "", mode,
			       (unsigned long long)m->base, (unsigned long long)(m->base + m->len - 1));
	const char *path = fx_write(dir, "m.yaml", yaml);
	free(yaml);
	struct analysis_opts o = {.threads = 2};
	if (gtruth)
		o.gtruth_path = fx_write(dir, "gt.yaml", gtruth);
	struct err e = {{0}};
	if (analysis_open(a, path, &o, &e)) {
		fprintf(stderr, "memfix: %s\n", e.msg);
		return -1;
	}
	return 0;
}
