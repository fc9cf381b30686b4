#include "autoconfig.h"

#include "radix-gtruth.h"

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

/* Distinct roots named by the root registers, with their widest time span. */
static size_t collect_roots(const struct analysis *a, struct gt_item **out)
{
	const struct radix_state *r = a->radix;
	struct gt_item *v = NULL;
	size_t n = 0, cap = 0;
	for (unsigned si = 0; si < r->nspaces; si++) {
		const struct radix_shape *s = &r->space[si].shape;
		for (size_t i = 0; i < a->gt.nvalues; i++) {
			const struct gt_value *gv = &a->gt.values[i];
			uint64_t root;
			if (!names_register(s->root_register, gv->name) || !a->cfg.arch->radix->root_of(s, gv->value, &root))
				continue;
			size_t k;
			for (k = 0; k < n; k++)
				if (v[k].root == root && v[k].space == si)
					break;
			if (k == n) {
				struct gt_item x = {.root = root, .space = si, .first = gv->first_seen,
						    .last = gv->last_seen, .tree = -1};
				VEC_PUSH(v, n, cap, x);
			}
			v[k].first = MMU_MIN(v[k].first, gv->first_seen);
			v[k].last = MMU_MAX(v[k].last, gv->last_seen);
			v[k].count += gv->count;
		}
	}
	*out = v;
	return n;
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
	g->gt_roots = ngt;
	for (size_t i = 0; i < ngt; i++) {
		gt[i].tree = radix_tree_index(r, gt[i].root, (int)gt[i].space);
		if (gt[i].tree >= 0) {
			gt[i].cls = GT_TP;
			matched[gt[i].tree] = true;
			g->tp++;
			continue;
		}
		const char *problem = radix_root_problem(a, &r->space[gt[i].space], gt[i].root);
		gt[i].reason = problem ? problem : "passes the root tests but was not selected by the filters";
		gt[i].invalid = problem != NULL;
		if (gt[i].last < GTRUTH_BOOT_SECONDS && a->gt.last_time >= GTRUTH_BOOT_SECONDS) {
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
