#include "autoconfig.h"

#include "snap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"

void snap_free(struct ui_snap *s)
{
	unsigned gen = s->gen;
	free(s->roots);
	radix_gt_free(&s->gt);
	memset(s, 0, sizeof(*s));
	s->gen = gen;
}

static void add_root(struct ui_snap *s, size_t *cap, const struct ui_root *r)
{
	VEC_PUSH(s->roots, s->nroots, *cap, *r);
}

/* Before trees exist, the root candidates are what there is to list. */
static void add_candidates(struct ui_snap *s, size_t *cap, const struct radix_state *r)
{
	for (unsigned i = 0; i < r->nspaces; i++) {
		uint64_t *v;
		size_t n = radix_candidates_at(&r->space[i], 0, &v);
		for (size_t k = 0; k < n; k++) {
			struct ui_root x = {.root = v[k], .space = i};
			add_root(s, cap, &x);
		}
		free(v);
	}
}

static void add_trees(struct ui_snap *s, size_t *cap, struct analysis *a)
{
	const struct radix_state *r = a->radix;
	struct err e = {{0}};
	for (size_t i = 0; i < r->ntrees; i++) {
		const struct radix_tree *t = &r->trees[i];
		struct ui_root x = {.root = t->root, .space = t->space, .kernel_bytes = t->kernel_bytes,
				    .user_bytes = t->user_bytes, .sized = true,
				    .kernel_only = t->flags & RADIX_TREE_KERNEL_ONLY};
		add_root(s, cap, &x);
	}
	s->ntrees = s->nroots;
	if (!a->has_gt)
		return;
	if (radix_gtruth_compare(a, &s->gt, &e)) {
		snprintf(s->gt_why, sizeof(s->gt_why), "%.150s", e.msg);
		return;
	}
	s->gt_ok = true;
	for (size_t i = 0; i < s->gt.n; i++) {
		const struct gt_item *it = &s->gt.items[i];
		if (it->tree >= 0 && (size_t)it->tree < s->ntrees) {
			struct ui_root *x = &s->roots[it->tree];
			x->cls = ui_class_of(it->cls);
			x->first = it->first;
			x->last = it->last;
			continue;
		}
		struct ui_root g = {.root = it->root, .space = it->space, .ghost = true, .cls = ui_class_of(it->cls),
				    .first = it->first, .last = it->last, .reason = it->reason};
		add_root(s, cap, &g);
	}
}

void snap_build(struct ui_snap *s, struct analysis *a)
{
	const struct radix_state *r = a->radix;
	size_t cap = 0;
	snap_free(s);
	s->gen++;
	s->radix = a->cfg.arch->radix != NULL;
	s->gt_loaded = a->has_gt;
	if (!s->radix) {
		snprintf(s->gt_why, sizeof(s->gt_why), "architecture %s has no page-table trees", a->cfg.arch->name);
		return;
	}
	if (!r || !r->parsed) {
		snprintf(s->gt_why, sizeof(s->gt_why), "no trees yet: run the analysis steps (r)");
		return;
	}
	s->parsed = true;
	s->found = r->found;
	s->nspaces = r->nspaces;
	for (unsigned i = 0; i < r->nspaces; i++) {
		/* Only the shape and block sizes: walks need nothing else. */
		memset(&s->space[i], 0, sizeof(s->space[i]));
		s->space[i].shape = r->space[i].shape;
		s->space[i].block = r->space[i].block;
		s->space[i].data_block = r->space[i].data_block;
	}
	if (r->found) {
		add_trees(s, &cap, a);
	} else {
		add_candidates(s, &cap, r);
		snprintf(s->gt_why, sizeof(s->gt_why), "no trees yet: run find_radix_trees (r)");
	}
}
