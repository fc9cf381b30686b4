/* expected: loading expected.yaml (mmushell-expected/1) with libyaml, and lookups in it. */
#include "autoconfig.h"

#include "expected.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "yamlfile.h"

struct ex_parse {
	const char *path;
	yaml_document_t doc;
	struct err *e;
};

static const char perm_letters[] = "RWXrwx";
static const char *const kind_names[] = {"process", "kernel", "user"};

const char *expected_perm_string(unsigned perms, char buf[7])
{
	for (int i = 0; i < 6; i++)
		buf[i] = perms & (1u << i) ? perm_letters[i] : '-';
	buf[6] = '\0';
	return buf;
}

int expected_parse_perms(const char *s, unsigned *perms)
{
	*perms = 0;
	if (!s || strlen(s) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (s[i] == perm_letters[i])
			*perms |= 1u << i;
		else if (s[i] != '-')
			return -1;
	}
	return 0;
}

const char *expected_kind_name(enum exp_kind kind)
{
	return (size_t)kind < ARRAY_LEN(kind_names) ? kind_names[kind] : "?";
}

static int perr(struct ex_parse *p, const yaml_node_t *n, const char *fmt, ...) MMU_PRINTF(3, 4);
static int perr(struct ex_parse *p, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n)
		return err_set(p->e, "%s:%d:%d: %s", p->path, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1,
			       msg);
	return err_set(p->e, "%s: %s", p->path, msg);
}

static yaml_node_t *get(struct ex_parse *p, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *kv = map->data.mapping.pairs.start; kv < map->data.mapping.pairs.top; kv++) {
		yaml_node_t *k = yaml_document_get_node(&p->doc, kv->key);
		if (k && k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value, key))
			return yaml_document_get_node(&p->doc, kv->value);
	}
	return NULL;
}

static const char *sval(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static char *sdup(yaml_node_t *n)
{
	return sval(n) ? xstrdup(sval(n)) : NULL;
}

/* map.key as an integer; required keys must be present. */
static int get_u64(struct ex_parse *p, yaml_node_t *map, const char *key, bool required, uint64_t *out)
{
	yaml_node_t *n = get(p, map, key);
	if (!n) {
		if (required)
			return perr(p, map, "missing '%s'", key);
		return 0;
	}
	if (!sval(n) || parse_u64(sval(n), out))
		return perr(p, n, "'%s' must be an integer", key);
	return 0;
}

static yaml_node_t *list(struct ex_parse *p, yaml_node_t *map, const char *key)
{
	yaml_node_t *n = get(p, map, key);
	if (!n || n->type != YAML_SEQUENCE_NODE) {
		perr(p, n ? n : map, "'%s' must be a list", key);
		return NULL;
	}
	return n;
}

static int read_range(struct ex_parse *p, yaml_node_t *n, struct exp_range *r)
{
	if (!n || n->type != YAML_MAPPING_NODE)
		return perr(p, n, "a range must be a mapping {va, size, pa, perms}");
	if (get_u64(p, n, "va", true, &r->va) || get_u64(p, n, "size", true, &r->size) ||
	    get_u64(p, n, "pa", true, &r->pa))
		return -1;
	yaml_node_t *perms = get(p, n, "perms");
	if (!perms || expected_parse_perms(sval(perms), &r->perms))
		return perr(p, perms ? perms : n, "'perms' must be 6 characters like \"RW-r--\"");
	if (!r->size || r->va + (r->size - 1) < r->va)
		return perr(p, n, "range size must be positive and stay below 2^64");
	return 0;
}

static int read_ranges(struct ex_parse *p, yaml_node_t *seq, struct exp_root *root)
{
	size_t cap = 0;
	for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(&p->doc, *it);
		struct exp_range r;
		if (read_range(p, n, &r))
			return -1;
		if (root->nranges) {
			const struct exp_range *prev = &root->ranges[root->nranges - 1];
			if (r.va <= prev->va + (prev->size - 1))
				return perr(p, n, "ranges must be sorted by va and must not overlap");
		}
		VEC_PUSH(root->ranges, root->nranges, cap, r);
	}
	return 0;
}

static int read_kind(struct ex_parse *p, yaml_node_t *n, enum exp_kind *kind)
{
	for (size_t i = 0; i < ARRAY_LEN(kind_names); i++)
		if (sval(n) && !strcmp(sval(n), kind_names[i])) {
			*kind = (enum exp_kind)i;
			return 0;
		}
	return perr(p, n, "'kind' must be process, kernel or user");
}

static int read_root(struct ex_parse *p, yaml_node_t *n, struct exp_root *r)
{
	memset(r, 0, sizeof(*r));
	r->process = -1;
	if (!n || n->type != YAML_MAPPING_NODE)
		return perr(p, n, "a root must be a mapping {root, kind, register, ranges}");
	uint64_t process = UINT64_MAX;
	if (get_u64(p, n, "root", true, &r->root) || get_u64(p, n, "value", false, &r->value) ||
	    get_u64(p, n, "process", false, &process) || read_kind(p, get(p, n, "kind"), &r->kind))
		return -1;
	if (process != UINT64_MAX)
		r->process = (int)process;
	if (!sval(get(p, n, "register")))
		return perr(p, n, "missing 'register'");
	r->reg = sdup(get(p, n, "register"));
	const char *boot = sval(get(p, n, "boot"));
	r->boot = boot && !strcmp(boot, "true");
	yaml_node_t *ranges = list(p, n, "ranges");
	return ranges ? read_ranges(p, ranges, r) : -1;
}

/* The optional lists: code_registers, hash_tables, hash_pages. */
static int read_extras(struct ex_parse *p, yaml_node_t *root, struct expected *ex)
{
	yaml_node_t *l;
	size_t cap = 0;
	if (get(p, root, "code_registers")) {
		if (!(l = list(p, root, "code_registers")))
			return -1;
		for (yaml_node_item_t *it = l->data.sequence.items.start; it < l->data.sequence.items.top; it++) {
			yaml_node_t *n = yaml_document_get_node(&p->doc, *it);
			struct exp_code_reg r = {NULL, 0, 0};
			uint64_t sites = 0;
			if (get_u64(p, n, "value", true, &r.value) || get_u64(p, n, "sites", true, &sites))
				return -1;
			if (!sval(get(p, n, "name")))
				return perr(p, n, "missing 'name'");
			r.name = sdup(get(p, n, "name"));
			r.sites = (unsigned)MMU_MIN(sites, UINT32_MAX);
			VEC_PUSH(ex->code_regs, ex->ncode_regs, cap, r);
		}
	}
	cap = 0;
	if (get(p, root, "hash_tables")) {
		if (!(l = list(p, root, "hash_tables")))
			return -1;
		for (yaml_node_item_t *it = l->data.sequence.items.start; it < l->data.sequence.items.top; it++) {
			yaml_node_t *n = yaml_document_get_node(&p->doc, *it);
			struct exp_htab t = {0, 0, 0, 0};
			if (get_u64(p, n, "address", true, &t.addr) || get_u64(p, n, "size", true, &t.size) ||
			    get_u64(p, n, "sdr1", true, &t.sdr1) || get_u64(p, n, "ptes", true, &t.ptes))
				return -1;
			VEC_PUSH(ex->htabs, ex->nhtabs, cap, t);
		}
	}
	cap = 0;
	if (get(p, root, "hash_pages")) {
		if (!(l = list(p, root, "hash_pages")))
			return -1;
		for (yaml_node_item_t *it = l->data.sequence.items.start; it < l->data.sequence.items.top; it++) {
			yaml_node_t *n = yaml_document_get_node(&p->doc, *it);
			struct exp_hpage h = {0, 0, 0};
			if (get_u64(p, n, "va", true, &h.va) || get_u64(p, n, "vsid", true, &h.vsid) ||
			    get_u64(p, n, "pa", true, &h.pa))
				return -1;
			VEC_PUSH(ex->hpages, ex->nhpages, cap, h);
		}
	}
	return 0;
}

static int read_idt(struct ex_parse *p, yaml_node_t *root, struct expected *ex)
{
	yaml_node_t *idt = get(p, root, "idt");
	if (!idt)
		return 0;
	ex->has_idt = true;
	return get_u64(p, idt, "va", true, &ex->idt_va) || get_u64(p, idt, "pa", true, &ex->idt_pa) ||
		       get_u64(p, idt, "size", true, &ex->idt_size)
		       ? -1
		       : 0;
}

static int read_body(struct ex_parse *p, yaml_node_t *root, struct expected *ex)
{
	const char *fmt = sval(get(p, root, "format"));
	if (!root || root->type != YAML_MAPPING_NODE || !fmt || strncmp(fmt, "mmushell-expected/", 18))
		return perr(p, root, "not an expected-results file: 'format' must be mmushell-expected/1");
	if (strcmp(fmt, "mmushell-expected/1"))
		return perr(p, get(p, root, "format"), "unsupported expected-results format version: %s", fmt);
	ex->architecture = sdup(get(p, root, "architecture"));
	ex->mmu_mode = sdup(get(p, root, "mmu_mode"));
	ex->generator = sdup(get(p, root, "generator"));
	yaml_node_t *roots = list(p, root, "roots"), *decoys;
	if (!roots || read_idt(p, root, ex))
		return -1;
	ex->roots = xcalloc((size_t)(roots->data.sequence.items.top - roots->data.sequence.items.start) + 1,
			    sizeof(*ex->roots));
	for (yaml_node_item_t *it = roots->data.sequence.items.start; it < roots->data.sequence.items.top; it++)
		if (read_root(p, yaml_document_get_node(&p->doc, *it), &ex->roots[ex->nroots++]))
			return -1;
	if (read_extras(p, root, ex))
		return -1;
	if (!get(p, root, "decoys"))
		return 0;
	if (!(decoys = list(p, root, "decoys")))
		return -1;
	size_t cap = 0;
	for (yaml_node_item_t *it = decoys->data.sequence.items.start; it < decoys->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(&p->doc, *it);
		struct exp_decoy d = {0, NULL};
		if (get_u64(p, n, "addr", true, &d.addr))
			return -1;
		d.what = sdup(get(p, n, "what"));
		VEC_PUSH(ex->decoys, ex->ndecoys, cap, d);
	}
	return 0;
}

int expected_load(const char *path, struct expected *ex, struct err *e)
{
	struct ex_parse p;

	memset(ex, 0, sizeof(*ex));
	memset(&p, 0, sizeof(p));
	p.path = path;
	p.e = e;
	/* Every root's ranges of a 64 GiB dump fit in far less. */
	if (yamlfile_load(path, "an expected-results file", 256u << 20, false, &p.doc, e))
		return -1;
	ex->path = xstrdup(path);
	int rc = read_body(&p, yaml_document_get_root_node(&p.doc), ex);
	yaml_document_delete(&p.doc);
	if (rc)
		expected_free(ex);
	return rc;
}

void expected_free(struct expected *ex)
{
	for (size_t i = 0; i < ex->nroots; i++) {
		free(ex->roots[i].reg);
		free(ex->roots[i].ranges);
	}
	for (size_t i = 0; i < ex->ndecoys; i++)
		free(ex->decoys[i].what);
	for (size_t i = 0; i < ex->ncode_regs; i++)
		free(ex->code_regs[i].name);
	free(ex->code_regs);
	free(ex->htabs);
	free(ex->hpages);
	free(ex->roots);
	free(ex->decoys);
	free(ex->path);
	free(ex->architecture);
	free(ex->mmu_mode);
	free(ex->generator);
	memset(ex, 0, sizeof(*ex));
}

const struct exp_root *expected_root(const struct expected *ex, uint64_t root)
{
	for (size_t i = 0; i < ex->nroots; i++)
		if (ex->roots[i].root == root)
			return &ex->roots[i];
	return NULL;
}

const struct exp_range *expected_lookup(const struct exp_root *r, uint64_t va)
{
	size_t lo = 0, hi = r->nranges;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct exp_range *m = &r->ranges[mid];
		if (va < m->va)
			hi = mid;
		else if (va - m->va >= m->size)
			lo = mid + 1;
		else
			return m;
	}
	return NULL;
}

const struct exp_code_reg *expected_code_reg(const struct expected *ex, const char *name)
{
	for (size_t i = 0; i < ex->ncode_regs; i++)
		if (!strcmp(ex->code_regs[i].name, name))
			return &ex->code_regs[i];
	return NULL;
}

bool expected_is_decoy(const struct expected *ex, uint64_t addr)
{
	for (size_t i = 0; i < ex->ndecoys; i++)
		if (ex->decoys[i].addr == addr)
			return true;
	return false;
}
