#include "autoconfig.h"

#include "snap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "regrec.h"

void snap_free(struct ui_snap *s)
{
	unsigned gen = s->gen;
	for (size_t i = 0; i < s->nregs; i++) {
		free(s->regs[i].cands);
		free(s->regs[i].bad);
		free(s->regs[i].logged);
	}
	free(s->regs);
	findings_free(&s->find);
	finding_gt_free(&s->find_gt);
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
				    .kernel_only = t->flags & RADIX_TREE_KERNEL_ONLY, .has_anchor = t->has_anchor,
				    .anchor = t->anchor};
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

static void fields_of(const struct regrec_reg *r, uint64_t value, uint64_t unknown, char *out, size_t len)
{
	struct sbuf b = {0};
	regrec_format_fields(r, value, unknown, false, &b);
	snprintf(out, len, "%s", b.s ? b.s : "");
	sbuf_free(&b);
}

static void add_bad(struct ui_reg *u, size_t *cap, const struct regrec_cand *c, bool partial)
{
	struct ui_reg_bad b = {.value = c->value, .unknown = c->unknown, .first_site = c->first_site,
			       .partial = partial};
	snprintf(b.why, sizeof(b.why), "%s", partial ? "needed bits unknown" : c->why);
	VEC_PUSH(u->bad, u->nbad, *cap, b);
}

/* The ground truth of one register: classes of its candidates, and each logged value with its match. */
static void reg_gtruth(struct ui_snap *s, struct ui_reg *u, const struct analysis *a, size_t i)
{
	struct regrec_gt_reg g;
	/* Without a ground truth only the MIPS/PowerPC way (config defaults) compares anything. */
	if (!a->has_gt && !a->regs->ops->gt_config_fallback)
		return;
	regrec_gt_compare(a->regs, &a->gt, i, &g);
	u->compared = g.compared;
	if (!g.compared) {
		regrec_gt_free(&g);
		return;
	}
	u->tp = g.tp;
	u->fp = g.fp;
	u->fn = g.fn;
	s->reg_tp += g.tp;
	s->reg_fp += g.fp;
	s->reg_fn += g.fn;
	for (size_t c = 0; c < u->ncands; c++)
		u->cands[c].cls = g.cand_match && g.cand_match[c] ? UC_TP : UC_FP;
	if (g.best < 0 && g.best_partial >= 0) {
		const struct regrec_cand *k = &a->regs->regs[i].partial[g.best_partial];
		u->has_partial = true;
		u->partial_value = k->value;
		u->partial_unknown = k->unknown;
		u->partial_score = g.best_partial_score;
		u->partial_of = g.of;
		u->partial_agrees = g.best_partial_agrees;
	}
	u->logged = xcalloc(g.nlogged + 1, sizeof(*u->logged));
	u->nlogged = g.nlogged;
	for (size_t k = 0; k < g.nlogged; k++) {
		struct ui_reg_logged *l = &u->logged[k];
		l->value = g.logged[k].value;
		l->first = g.logged[k].first_seen;
		l->last = g.logged[k].last_seen;
		l->found = g.logged[k].found;
		l->exact = g.logged[k].exact;
		l->cand = -1;
		for (size_t c = 0; l->found && l->cand < 0 && c < u->ncands; c++) {
			unsigned of = 0;
			unsigned sc = regrec_score(u->reg, u->cands[c].value, u->cands[c].unknown, l->value, &of);
			if (sc == of)
				l->cand = (int)c;
		}
	}
	/*
	 * Scored as the core scores it: the latest value, when no candidate
	 * matches, is the false negative; an older value not found is history
	 * (boot-time when it ended in the first second).
	 */
	size_t latest = 0;
	for (size_t k = 1; k < u->nlogged; k++)
		if (u->logged[k].last > u->logged[latest].last)
			latest = k;
	for (size_t k = 0; k < u->nlogged; k++) {
		struct ui_reg_logged *l = &u->logged[k];
		if (l->found)
			l->cls = UC_TP;
		else if (k == latest && !u->tp)
			l->cls = UC_FN;
		else
			l->cls = l->last < GTRUTH_BOOT_SECONDS ? UC_BOOT : UC_NONE;
	}
	regrec_gt_free(&g);
}

static void add_registers(struct ui_snap *s, struct analysis *a)
{
	const struct regrec_ops *ops = regrec_ops_of(a);
	const struct reg_results *r = a->regs;
	s->regrec = ops != NULL;
	if (!ops)
		return;
	s->regs_found = r && r->found;
	s->regs = xcalloc(ops->nregs + 1, sizeof(*s->regs));
	s->nregs = ops->nregs;
	for (size_t i = 0; i < ops->nregs; i++) {
		struct ui_reg *u = &s->regs[i];
		const struct regrec_regres *rr = r && r->regs ? &r->regs[i] : NULL;
		size_t cap = 0;
		u->reg = &ops->regs[i];
		u->has_value = !registers_value(a, u->reg->name, &u->value, &u->origin);
		if (!rr)
			continue;
		u->sites = rr->sites;
		u->skipped = rr->skipped;
		u->cands = xcalloc(rr->ncands + 1, sizeof(*u->cands));
		u->ncands = rr->ncands;
		for (size_t c = 0; c < rr->ncands; c++) {
			const struct regrec_cand *rc = &rr->cands[c];
			struct ui_reg_cand *uc = &u->cands[c];
			uc->value = rc->value;
			uc->unknown = rc->unknown;
			uc->first_site = rc->first_site;
			uc->sites = rc->sites;
			uc->paths = rc->paths;
			uc->plaus = rc->plaus;
			fields_of(u->reg, rc->value, rc->unknown, uc->fields, sizeof(uc->fields));
			if (!rc->usable) {
				size_t n = strlen(uc->fields);
				snprintf(uc->fields + n, sizeof(uc->fields) - n, " (not usable: %s)", rc->unusable);
			}
			if (regrec_cand_differing(rc)) {
				struct sbuf b = {0};
				regrec_format_class(u->reg, rc, &b);
				size_t n = strlen(uc->fields);
				snprintf(uc->fields + n, sizeof(uc->fields) - n, " [%s]", b.s);
				sbuf_free(&b);
			}
		}
		for (size_t c = 0; c < rr->ninvalid; c++)
			add_bad(u, &cap, &rr->invalid[c], false);
		for (size_t c = 0; c < rr->npartial; c++)
			add_bad(u, &cap, &rr->partial[c], true);
		if (r->found)
			reg_gtruth(s, u, a, i);
	}
}

void ui_snap_totals(const struct ui_snap *s, size_t *tp, size_t *fp, size_t *fn)
{
	*tp = s->reg_tp + (s->gt_ok ? s->gt.tp : 0) + (s->find_gt_ok ? s->find_gt.tp : 0);
	*fp = s->reg_fp + (s->gt_ok ? s->gt.fp : 0) + (s->find_gt_ok ? s->find_gt.fp : 0);
	*fn = s->reg_fn + (s->gt_ok ? s->gt.fn : 0) + (s->find_gt_ok ? s->find_gt.fn : 0);
}

/* Hash tables, IDTs: listed, and compared with the ground truth when there is one. */
static void add_findings(struct ui_snap *s, struct analysis *a)
{
	struct err e = {{0}};
	s->has_findings = findings_ops_of(a) != NULL;
	if (!s->has_findings)
		return;
	if (findings_list(a, &s->find, &e)) {
		snprintf(s->find_why, sizeof(s->find_why), "%.150s", e.msg);
		return;
	}
	s->find_ok = true;
	s->find_gt_ok = !findings_gtruth(a, &s->find_gt, &e);
	if (!s->find_gt_ok)
		snprintf(s->find_why, sizeof(s->find_why), "%.150s", e.msg);
}

void snap_build(struct ui_snap *s, struct analysis *a)
{
	const struct radix_state *r = a->radix;
	size_t cap = 0;
	snap_free(s);
	s->gen++;
	s->radix = a->cfg.arch->radix != NULL;
	s->gt_loaded = a->has_gt;
	add_registers(s, a);
	add_findings(s, a);
	if (!s->radix) {
		if (s->has_findings && !s->find_ok)
			snprintf(s->gt_why, sizeof(s->gt_why), "%s", s->find_why);
		else
			snprintf(s->gt_why, sizeof(s->gt_why), "architecture %s has no page-table trees",
				 a->cfg.arch->name);
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
