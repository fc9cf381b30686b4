#include "autoconfig.h"

#include "findings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"

const struct findings_ops *findings_ops_of(const struct analysis *a)
{
	return a->cfg.arch ? a->cfg.arch->findings : NULL;
}

struct finding *finding_add(struct finding_list *l, const char *fmt, ...)
{
	struct finding f;
	va_list ap;
	memset(&f, 0, sizeof(f));
	va_start(ap, fmt);
	vsnprintf(f.text, sizeof(f.text), fmt, ap);
	va_end(ap);
	VEC_PUSH(l->v, l->n, l->cap, f);
	return &l->v[l->n - 1];
}

void finding_list_free(struct finding_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int findings_list(struct analysis *a, struct findings *out, struct err *e)
{
	const struct findings_ops *ops = findings_ops_of(a);
	memset(out, 0, sizeof(*out));
	if (!ops)
		return err_set(e, "architecture %s has no findings besides page-table trees", a->cfg.arch->name);
	out->ops = ops;
	if (ops->list(a, out, e)) {
		findings_free(out);
		out->ops = ops;
		return -1;
	}
	if (out->found > out->top.n)
		out->found = out->top.n;
	return 0;
}

void findings_free(struct findings *f)
{
	if (f->ctx && f->ops && f->ops->ctx_free)
		f->ops->ctx_free(f->ctx);
	finding_list_free(&f->top);
	memset(f, 0, sizeof(*f));
}

void findings_children(const struct analysis *a, const struct findings *f, const struct finding *parent,
		       struct finding_list *out)
{
	out->n = 0;
	if (f->ops && parent->expandable)
		f->ops->children(a, f->ctx, parent, out);
}

const struct finding *findings_find(const struct findings *f, uint64_t addr, uint64_t size)
{
	for (size_t i = 0; i < f->top.n; i++)
		if (f->top.v[i].addr == addr && f->top.v[i].size == size)
			return &f->top.v[i];
	return NULL;
}

int findings_gtruth(struct analysis *a, struct finding_gt *out, struct err *e)
{
	const struct findings_ops *ops = findings_ops_of(a);
	memset(out, 0, sizeof(*out));
	if (!ops || !ops->gtruth)
		return err_set(e, "architecture %s has no findings to compare with a ground truth", a->cfg.arch->name);
	if (!a->has_gt)
		return err_set(e, "no ground truth: start mmushell with --gtruth FILE");
	if (ops->gtruth(a, out, e)) {
		finding_gt_free(out);
		return -1;
	}
	return 0;
}

void finding_gt_free(struct finding_gt *g)
{
	free(g->v);
	memset(g, 0, sizeof(*g));
}

struct finding_gt_row *finding_gt_add(struct finding_gt *g, bool classed, enum gt_class cls)
{
	struct finding_gt_row r;
	memset(&r, 0, sizeof(r));
	r.classed = classed;
	r.cls = cls;
	VEC_PUSH(g->v, g->n, g->cap, r);
	if (classed) {
		size_t *count[] = {[GT_TP] = &g->tp, [GT_FN] = &g->fn, [GT_BOOT] = &g->boot, [GT_FP] = &g->fp};
		(*count[cls])++;
	}
	return &g->v[g->n - 1];
}
