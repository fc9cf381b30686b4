#include "autoconfig.h"

#include "gtruth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "yamlfile.h"

/* Tens of thousands of register values take a few MiB. */
#define GTRUTH_MAX_BYTES (64u << 20)

static int perr(const char *path, const yaml_node_t *n, struct err *e, const char *msg, const char *what)
{
	if (n)
		return err_set(e, "%s:%d:%d: %s%s", path, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1,
			       msg, what ? what : "");
	return err_set(e, "%s: %s%s", path, msg, what ? what : "");
}

static yaml_node_t *get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);
		if (k && k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value, key))
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static const char *sval(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int read_time(const char *s, double *out)
{
	char *end;
	if (!s)
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end ? -1 : 0;
}

/* Register names are compared in lower case, as the manuals spell them. */
static char *lower_dup(const char *s)
{
	char *d = xstrdup(s);
	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return d;
}

/* 'vsids: [{value, first_seen, last_seen}, ...]' (a bare integer is accepted for an entry): the values only. */
static int read_vsids(const char *path, yaml_document_t *d, yaml_node_t *list, struct gt_value *v, struct err *e)
{
	if (list->type != YAML_SEQUENCE_NODE)
		return perr(path, list, e, "'vsids' must be a list of {value, first_seen, last_seen}", NULL);
	size_t cap = 0;
	v->has_vsids = true;
	for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(d, *it);
		const char *s = n && n->type == YAML_MAPPING_NODE ? sval(get(d, n, "value")) : sval(n);
		uint64_t x;
		if (!s || parse_u64(s, &x))
			return perr(path, n ? n : list, e, "each vsids entry needs an integer value", NULL);
		VEC_PUSH(v->vsids, v->nvsids, cap, x);
	}
	v->nvsids = sort_unique_u64(v->vsids, v->nvsids);
	return 0;
}

static int read_value(const char *path, yaml_document_t *d, yaml_node_t *item, struct gt_value *v, struct err *e)
{
	memset(v, 0, sizeof(*v));
	const char *name = sval(get(d, item, "name")), *value = sval(get(d, item, "value"));
	if (!item || item->type != YAML_MAPPING_NODE)
		return perr(path, item, e, "each register entry must be a mapping {name, value, first_seen, last_seen}", NULL);
	if (!name || !*name)
		return perr(path, item, e, "register entry without a name", NULL);
	if (!value || parse_u64(value, &v->value))
		return perr(path, item, e, "register entry needs an integer value: ", name);
	v->first_seen = v->last_seen = 0;
	yaml_node_t *f = get(d, item, "first_seen"), *l = get(d, item, "last_seen"), *c = get(d, item, "count");
	if (f && read_time(sval(f), &v->first_seen))
		return perr(path, f, e, "first_seen must be a number of seconds", NULL);
	if (l && read_time(sval(l), &v->last_seen))
		return perr(path, l, e, "last_seen must be a number of seconds", NULL);
	if (!l)
		v->last_seen = v->first_seen;
	v->count = 1;
	if (c && parse_u64(sval(c) ? sval(c) : "", &v->count))
		return perr(path, c, e, "count must be an integer", NULL);
	yaml_node_t *vs = get(d, item, "vsids");
	if (vs && read_vsids(path, d, vs, v, e)) {
		free(v->vsids);
		return -1;
	}
	v->name = lower_dup(name);
	return 0;
}

/* One entry of 'roots': kept only when inferred (the rest repeat register values). */
static int read_root(const char *path, yaml_document_t *d, yaml_node_t *item, struct gtruth *gt, size_t *cap,
		     struct err *e)
{
	if (!item || item->type != YAML_MAPPING_NODE)
		return perr(path, item, e, "each roots entry must be a mapping {root, register, inferred}", NULL);
	yaml_node_t *inf = get(d, item, "inferred");
	const char *flag = sval(inf);
	if (!inf || (flag && !strcmp(flag, "false")))
		return 0;
	if (!flag || strcmp(flag, "true"))
		return perr(path, inf, e, "inferred must be true or false", NULL);
	const char *reg = sval(get(d, item, "register")), *root = sval(get(d, item, "root"));
	struct gt_root r;
	if (!reg || !*reg)
		return perr(path, item, e, "an inferred root needs the register it belongs to (register: cr3, ...)", NULL);
	if (!root || parse_u64(root, &r.root))
		return perr(path, item, e, "an inferred root needs an integer root: ", reg);
	r.reg = lower_dup(reg);
	VEC_PUSH(gt->inferred, gt->ninferred, *cap, r);
	return 0;
}

int gtruth_load(const char *path, struct gtruth *gt, struct err *e)
{
	yaml_document_t doc;
	int rc = -1;
	size_t cap = 0;

	memset(gt, 0, sizeof(*gt));
	if (yamlfile_load(path, "a ground-truth file", GTRUTH_MAX_BYTES, false, &doc, e))
		return -1;

	yaml_node_t *root = yaml_document_get_root_node(&doc);
	const char *fmt = sval(get(&doc, root, "format"));
	yaml_node_t *regs = get(&doc, root, "registers");
	if (!root || root->type != YAML_MAPPING_NODE) {
		perr(path, root, e, "not a ground-truth file (a mapping with format: mmushell-gtruth/1 is expected)", NULL);
		goto out;
	}
	if (!fmt || strncmp(fmt, "mmushell-gtruth/", 16)) {
		perr(path, root, e, "not a ground-truth file: 'format' must be mmushell-gtruth/1", NULL);
		goto out;
	}
	if (strcmp(fmt, "mmushell-gtruth/1")) {
		perr(path, get(&doc, root, "format"), e, "unsupported ground-truth format version: ", fmt);
		goto out;
	}
	if (!regs || regs->type != YAML_SEQUENCE_NODE) {
		perr(path, regs ? regs : root, e, "'registers' must be a list of {name, value, first_seen, last_seen}", NULL);
		goto out;
	}
	gt->path = xstrdup(path);
	gt->architecture = sval(get(&doc, root, "architecture")) ? xstrdup(sval(get(&doc, root, "architecture"))) : NULL;
	gt->mmu_mode = sval(get(&doc, root, "mmu_mode")) ? xstrdup(sval(get(&doc, root, "mmu_mode"))) : NULL;
	gt->source = sval(get(&doc, root, "source")) ? xstrdup(sval(get(&doc, root, "source"))) : NULL;
	for (yaml_node_item_t *it = regs->data.sequence.items.start; it < regs->data.sequence.items.top; it++) {
		struct gt_value v;
		if (read_value(path, &doc, yaml_document_get_node(&doc, *it), &v, e))
			goto out;
		VEC_PUSH(gt->values, gt->nvalues, cap, v);
		if (v.last_seen > gt->last_time)
			gt->last_time = v.last_seen;
	}
	yaml_node_t *roots = get(&doc, root, "roots");
	if (roots && roots->type != YAML_SEQUENCE_NODE) {
		perr(path, roots, e, "'roots' must be a list of {root, register, inferred}", NULL);
		goto out;
	}
	cap = 0;
	for (yaml_node_item_t *it = roots ? roots->data.sequence.items.start : NULL;
	     roots && it < roots->data.sequence.items.top; it++)
		if (read_root(path, &doc, yaml_document_get_node(&doc, *it), gt, &cap, e))
			goto out;
	rc = 0;
out:
	yaml_document_delete(&doc);
	if (rc)
		gtruth_free(gt);
	return rc;
}

void gtruth_free(struct gtruth *gt)
{
	for (size_t i = 0; i < gt->nvalues; i++) {
		free(gt->values[i].name);
		free(gt->values[i].vsids);
	}
	free(gt->values);
	for (size_t i = 0; i < gt->ninferred; i++)
		free(gt->inferred[i].reg);
	free(gt->inferred);
	free(gt->path);
	free(gt->architecture);
	free(gt->mmu_mode);
	free(gt->source);
	memset(gt, 0, sizeof(*gt));
}

size_t gtruth_values(const struct gtruth *gt, const char *name, const struct gt_value **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < gt->nvalues; i++)
		if (!strcmp(gt->values[i].name, name)) {
			if (out && n < max)
				out[n] = &gt->values[i];
			n++;
		}
	return n;
}

const struct gt_value *gtruth_latest(const struct gtruth *gt, const char *name)
{
	const struct gt_value *best = NULL;
	for (size_t i = 0; i < gt->nvalues; i++)
		if (!strcmp(gt->values[i].name, name) && (!best || gt->values[i].last_seen > best->last_seen))
			best = &gt->values[i];
	return best;
}
