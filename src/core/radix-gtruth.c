#include "autoconfig.h"

#include "radix-gtruth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "radix.h"

const char *gt_class_name(enum gt_class c)
{
	static const char *const names[] = {"TP", "FN", "boot-only", "FP"};
	return names[c];
}

static void add(struct radix_gt *g, const struct gt_item *it)
{
	VEC_PUSH(g->items, g->n, g->cap, *it);
}

/* Whether name is one of the comma-separated register names of a shape. */
static bool names_register(const char *list, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == len && !strncmp(p, name, n))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* A root register value as a root of one tree kind, at its place in the ground truth. */
struct named_root {
	uint64_t root;
	unsigned space;
	size_t order;
	const struct gt_value *gv;  /* NULL: an inferred root */
};

static int cmp_named(const void *p, const void *q)
{
	const struct named_root *x = p, *y = q;
	if (x->space != y->space)
		return x->space < y->space ? -1 : 1;
	if (x->root != y->root)
		return x->root < y->root ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Where each distinct root was first named, to put them back in the ground truth's order. */
struct first_named {
	unsigned space;
	size_t order, slot;
};

static int cmp_first(const void *p, const void *q)
{
	const struct first_named *x = p, *y = q;
	if (x->space != y->space)
		return x->space < y->space ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * Distinct roots named by the root registers, with their widest time span,
 * kind by kind in the order the ground truth first names them.  Sorted, not
 * searched: a ground truth of 100000 values took over a minute.
 */
static size_t collect_roots(const struct analysis *a, struct gt_item **out)
{
	const struct radix_state *r = a->radix;
	struct named_root *all = NULL;
	size_t nall = 0, acap = 0, n = 0;
	for (unsigned si = 0; si < r->nspaces; si++) {
		const struct radix_shape *s = &r->space[si].shape;
		for (size_t i = 0; i < a->gt.nvalues; i++) {
			const struct gt_value *gv = &a->gt.values[i];
			uint64_t root;
			if (!names_register(s->root_register, gv->name) || !a->cfg.arch->radix->root_of(s, gv->value, &root))
				continue;
			struct named_root x = {root, si, i, gv};
			VEC_PUSH(all, nall, acap, x);
		}
		for (size_t i = 0; i < a->gt.ninferred; i++) {
			const struct gt_root *gr = &a->gt.inferred[i];
			uint64_t root;
			if (!names_register(s->root_register, gr->reg) || !a->cfg.arch->radix->root_of(s, gr->root, &root))
				continue;
			struct named_root x = {root, si, a->gt.nvalues + i, NULL};
			VEC_PUSH(all, nall, acap, x);
		}
	}
	if (nall > 1)
		qsort(all, nall, sizeof(*all), cmp_named);
	struct gt_item *v = xcalloc(nall + 1, sizeof(*v));
	struct first_named *firsts = xcalloc(nall + 1, sizeof(*firsts));
	/* Values sort before inferred roots (their order is larger): a root also sampled is not inferred. */
	for (size_t i = 0; i < nall; i++) {
		const struct gt_value *gv = all[i].gv;
		if (!i || all[i].root != all[i - 1].root || all[i].space != all[i - 1].space) {
			firsts[n] = (struct first_named){all[i].space, all[i].order, n};
			v[n++] = gv ? (struct gt_item){.root = all[i].root, .space = all[i].space, .first = gv->first_seen,
						       .last = gv->last_seen, .tree = -1}
				    : (struct gt_item){.root = all[i].root, .space = all[i].space, .first = NAN,
						       .last = NAN, .inferred = true, .tree = -1};
		}
		struct gt_item *it = &v[n - 1];
		if (!gv)
			continue;
		it->first = MMU_MIN(it->first, gv->first_seen);
		it->last = MMU_MAX(it->last, gv->last_seen);
		it->count += gv->count;
	}
	if (n > 1)
		qsort(firsts, n, sizeof(*firsts), cmp_first);
	struct gt_item *ordered = xcalloc(n + 1, sizeof(*ordered));
	for (size_t k = 0; k < n; k++)
		ordered[k] = v[firsts[k].slot];
	free(v);
	free(firsts);
	free(all);
	*out = ordered;
	return n;
}

/* A found tree's index by (kind, root), for lookups by bisection. */
struct tree_key {
	uint64_t root;
	unsigned space;
	int index;
};

static int cmp_tree_key(const void *p, const void *q)
{
	const struct tree_key *x = p, *y = q;
	if (x->space != y->space)
		return x->space < y->space ? -1 : 1;
	return x->root < y->root ? -1 : x->root > y->root;
}

int radix_gtruth_compare(struct analysis *a, struct radix_gt *g, struct err *e)
{
	memset(g, 0, sizeof(*g));
	if (!a->cfg.arch->radix)
		return err_set(e, "architecture %s has no page-table trees", a->cfg.arch->name);
	if (!a->has_gt)
		return err_set(e, "no ground truth: start mmushell with --gtruth FILE");
	if (!a->radix || !a->radix->found)
		return err_set(e, "no trees yet: run find_radix_trees first");

	struct radix_state *r = a->radix;
	struct gt_item *gt;
	size_t ngt = collect_roots(a, &gt);
	bool *matched = xcalloc(r->ntrees + 1, sizeof(bool));
	struct tree_key *keys = xcalloc(r->ntrees + 1, sizeof(*keys));
	for (size_t i = 0; i < r->ntrees; i++)
		keys[i] = (struct tree_key){r->trees[i].root, r->trees[i].space, (int)i};
	if (r->ntrees > 1)
		qsort(keys, r->ntrees, sizeof(*keys), cmp_tree_key);
	g->gt_roots = ngt;
	for (size_t i = 0; i < ngt; i++) {
		g->gt_inferred += gt[i].inferred;
		struct tree_key want = {gt[i].root, gt[i].space, -1};
		const struct tree_key *k = bsearch(&want, keys, r->ntrees, sizeof(*keys), cmp_tree_key);
		gt[i].tree = k ? k->index : -1;
		if (gt[i].tree >= 0) {
			gt[i].cls = GT_TP;
			matched[gt[i].tree] = true;
			g->tp++;
			continue;
		}
		const char *problem = radix_root_problem(a, &r->space[gt[i].space], gt[i].root);
		gt[i].reason = problem ? problem : "passes the root tests but was not selected by the filters";
		gt[i].invalid = problem != NULL;
		if (!gt[i].inferred && gt[i].last < GTRUTH_BOOT_SECONDS && a->gt.last_time >= GTRUTH_BOOT_SECONDS) {
			gt[i].cls = GT_BOOT;
			g->boot++;
		} else {
			gt[i].cls = GT_FN;
			g->fn++;
			g->fn_invalid += gt[i].invalid;
		}
	}
	for (enum gt_class c = GT_TP; c <= GT_BOOT; c++)
		for (size_t i = 0; i < ngt; i++)
			if (gt[i].cls == c)
				add(g, &gt[i]);
	for (size_t i = 0; i < r->ntrees; i++) {
		if (matched[i])
			continue;
		const struct radix_tree *tr = &r->trees[i];
		struct gt_item x = {.root = tr->root, .space = tr->space, .cls = GT_FP, .tree = (int)i,
				    .kernel_only = tr->flags & RADIX_TREE_KERNEL_ONLY};
		add(g, &x);
		g->fp++;
		g->fp_kernel_only += x.kernel_only;
	}
	free(matched);
	free(keys);
	free(gt);
	return 0;
}

enum gt_class radix_gt_class_of_tree(const struct radix_gt *g, size_t tree)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->items[i].tree == (int)tree)
			return g->items[i].cls;
	return GT_FP;
}

void radix_gt_free(struct radix_gt *g)
{
	free(g->items);
	memset(g, 0, sizeof(*g));
}
