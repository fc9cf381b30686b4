#include "autoconfig.h"

#include "mpfix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "fixtures.h"
#include "util.h"

void mpfix_init(struct mpfix *m, uint64_t base, size_t len, bool big)
{
	m->mem = xcalloc(1, len);
	m->base = base;
	m->len = len;
	m->big = big;
}

void mpfix_free(struct mpfix *m)
{
	free(m->mem);
	memset(m, 0, sizeof(*m));
}

void mpfix_words(struct mpfix *m, uint64_t addr, const uint32_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wr32(m->mem + (addr - m->base) + 4 * i, w[i], m->big);
}

int mpfix_open(const struct mpfix *m, const char *arch, const char *mode, const char *cpu_extra, const char *not_ram,
	       const char *gtruth, struct analysis *a)
{
	char *dir = fx_tmpdir();
	fx_write_bytes(dir, "ram.bin", m->mem, m->len);
	char *yaml = xasprintf("cpu:\n  architecture: %s\n  endianness: %s\n  bits: 32\n%s"
			       "mmu: {mode: %s}\nmemspace:\n  ram:\n    - {start: 0x%llx, end: 0x%llx, dumpfile: ram.bin}\n%s%s",
			       arch, m->big ? "big" : "little", cpu_extra ? cpu_extra : "", mode,
			       (unsigned long long)m->base, (unsigned long long)(m->base + m->len - 1),
			       not_ram ? "  not_ram:\n" : "", not_ram ? not_ram : "");
	const char *path = fx_write(dir, "m.yaml", yaml);
	free(yaml);
	struct analysis_opts o = {.threads = 2};
	if (gtruth)
		o.gtruth_path = fx_write(dir, "gt.yaml", gtruth);
	struct err e = {{0}};
	if (analysis_open(a, path, &o, &e)) {
		fprintf(stderr, "mpfix: %s\n", e.msg);
		return -1;
	}
	return 0;
}

const struct regrec_regres *mpfix_reg(const struct analysis *a, const char *name)
{
	if (!a->regs)
		return NULL;
	const struct regrec_reg *r = regrec_reg_find(a->regs->ops, name);
	return r ? &a->regs->regs[r - a->regs->ops->regs] : NULL;
}

bool mpfix_cands_are(const struct analysis *a, const char *name, const uint64_t *values, size_t n)
{
	const struct regrec_regres *rr = mpfix_reg(a, name);
	if (!rr || rr->ncands != n) {
		fprintf(stderr, "\n%s: %zu candidates, expected %zu:", name, rr ? rr->ncands : 0, n);
		for (size_t i = 0; rr && i < rr->ncands; i++)
			fprintf(stderr, " 0x%llx/0x%llx", (unsigned long long)rr->cands[i].value,
				(unsigned long long)rr->cands[i].unknown);
		fprintf(stderr, "\n");
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < rr->ncands; k++)
			found |= rr->cands[k].value == values[i] && !rr->cands[k].unknown;
		if (!found) {
			fprintf(stderr, "\n%s: 0x%llx not among the candidates\n", name, (unsigned long long)values[i]);
			return false;
		}
	}
	return true;
}

const struct regrec_site_res *mpfix_site(const struct analysis *a, uint64_t pa)
{
	for (size_t i = 0; a->regs && i < a->regs->nres; i++)
		if (a->regs->sites.v[a->regs->res[i].site].addr == pa)
			return &a->regs->res[i];
	return NULL;
}

char *mpfix_cmd(struct analysis *a, const char *line, char **text)
{
	struct cmd_out o;
	struct err e = {{0}};
	char *name;
	cmd_out_init(&o);
	int rc = command_run_line(a, line, &o, &name, &e);
	free(name);
	char *json = NULL;
	if (rc)
		fprintf(stderr, "\n%s: %s\n", line, e.msg);
	else
		json = xstrdup(o.json.b.s ? o.json.b.s : "");
	if (text)
		*text = rc ? NULL : xstrdup(o.text.s ? o.text.s : "");
	cmd_out_free(&o);
	return json;
}
