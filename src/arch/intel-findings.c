/*
 * Intel findings (findings.h): the IDT candidates of parse_memory, then
 * the places the ground truth's IDTR bases translate to where no
 * candidate was found (ghosts); an IDT opens on its gates.  The
 * comparison rows are those of show_idtrs_gtruth (intel_idtr_gtruth).
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "findings.h"
#include "intel.h"
#include "radix.h"

enum intel_node { IN_IDT, IN_GATE };

#define IDT_GATES_MAX 256

static unsigned gate_size(const struct analysis *a)
{
	return a->cfg.bits == 64 ? 16 : 8;
}

static void add_idt(struct findings *out, const struct intel_idt *d, bool trees, const struct intel_idtr_gt *g,
		    size_t k)
{
	struct finding *f = finding_add(&out->top, "0x%08" PRIx64 " %3u gates", d->addr, d->gates);
	f->addr = f->base = d->addr;
	f->size = d->size;
	f->expandable = d->gates > 0;
	f->kind = IN_IDT;
	/* What find_radix_trees learnt of it, once it ran. */
	if (trees && d->has_va)
		snprintf(f->note, sizeof(f->note), "at 0x%016" PRIx64 " in %u tree%s%s", d->va, d->roots,
			 d->roots == 1 ? "" : "s", d->chosen ? ", confirms the trees kept" : "");
	else if (trees)
		snprintf(f->note, sizeof(f->note), "no tree maps it");
	if (g) {
		f->classed = true;
		f->cls = g->hit[k] ? GT_TP : GT_FP;
	}
}

/* Valid gates from pa on (the first invalid one ends an IDT). */
static size_t gates_at(const struct analysis *a, uint64_t pa)
{
	struct intel_gate gate[IDT_GATES_MAX];
	return intel_idt_gates(a, pa, gate, IDT_GATES_MAX);
}

static void add_ghost(const struct analysis *a, struct findings *out, const struct intel_idtr_gt_item *it)
{
	for (size_t i = out->found; i < out->top.n; i++)
		if (out->top.v[i].addr == it->pa)
			return;
	size_t n = gates_at(a, it->pa);
	struct finding *f = finding_add(&out->top, "0x%08" PRIx64 "   - gates", it->pa);
	/* Size 0: the IDTR limit is not logged; the gates are read up to the first invalid one. */
	f->addr = f->base = it->pa;
	f->expandable = n > 0;
	f->kind = IN_IDT;
	f->ghost = true;
	f->classed = true;
	f->cls = GT_FN;
	snprintf(f->note, sizeof(f->note), "IDTR base 0x%016" PRIx64 "; not a candidate, %zu valid gate%s there",
		 it->base, n, n == 1 ? "" : "s");
}

static int intel_list(struct analysis *a, struct findings *out, struct err *e)
{
	const struct intel_idts *x = intel_idts(a);
	struct intel_idtr_gt g;
	struct err ge = {{0}};
	if (!x)
		return err_set(e, "no IDT scan yet: run parse_memory first");
	/* Classes only when the ground truth logs IDTR bases: else every IDT would look false. */
	bool has_gt = a->has_gt && !intel_idtr_gtruth(a, &g, &ge);
	if (has_gt && !g.n) {
		intel_idtr_gt_free(&g);
		has_gt = false;
	}
	bool trees = a->radix && a->radix->found;
	snprintf(out->header, sizeof(out->header), "%-10s %9s", "address", "gates");
	for (size_t k = 0; k < x->n; k++)
		add_idt(out, &x->idt[k], trees, has_gt ? &g : NULL, k);
	out->found = out->top.n;
	for (size_t i = 0; has_gt && i < g.n; i++)
		if (g.v[i].resolved && g.v[i].idt < 0)
			add_ghost(a, out, &g.v[i]);
	if (has_gt)
		intel_idtr_gt_free(&g);
	return 0;
}

static void add_gate(const struct analysis *a, const struct finding *idt, size_t i, const struct intel_gate *g,
		     struct finding_list *out)
{
	bool wide = a->cfg.bits == 64;
	const char *kind = intel_gate_kind_name(g->kind);
	struct finding *f;
	if (g->kind == GATE_EMPTY)
		f = finding_add(out, "[%3zu] %s", i, kind);
	else if (g->kind == GATE_TASK)
		f = finding_add(out, "[%3zu] %-9s DPL%u sel 0x%04x%s", i, kind, g->dpl, g->selector,
				g->present ? "" : " not present");
	else
		f = finding_add(out, "[%3zu] %-9s DPL%u sel 0x%04x -> 0x%0*" PRIx64 " %s%u%s", i, kind, g->dpl, g->selector,
				wide ? 16 : 8, g->handler, wide ? "IST " : "", wide ? g->ist : g->size32 ? 32 : 16,
				g->present ? "" : " not present");
	f->addr = idt->addr + i * gate_size(a);
	f->size = gate_size(a);
	f->base = idt->base;
	f->kind = IN_GATE;
}

static void intel_children(const struct analysis *a, const void *ctx, const struct finding *parent,
			   struct finding_list *out)
{
	struct intel_gate g[IDT_GATES_MAX];
	(void)ctx;
	if (parent->kind != IN_IDT)
		return;
	size_t max = parent->size ? (size_t)MMU_MIN(parent->size / gate_size(a), IDT_GATES_MAX) : IDT_GATES_MAX;
	size_t n = intel_idt_gates(a, parent->addr, g, max);
	for (size_t i = 0; i < n; i++)
		add_gate(a, parent, i, &g[i], out);
	if (!n)
		finding_add(out, "(no valid gate)");
}

static int intel_gtruth(struct analysis *a, struct finding_gt *out, struct err *e)
{
	struct intel_idtr_gt g;
	if (intel_idtr_gtruth(a, &g, e))
		return -1;
	if (!g.n) {
		intel_idtr_gt_free(&g);
		return err_set(e, "the ground truth logs no idtr_base");
	}
	const struct intel_idts *x = intel_idts(a);
	for (size_t i = 0; i < g.n; i++) {
		const struct intel_idtr_gt_item *it = &g.v[i];
		struct finding_gt_row *r = finding_gt_add(out, it->resolved, it->idt >= 0 ? GT_TP : GT_FN);
		if (it->idt >= 0) {
			const struct intel_idt *d = &x->idt[it->idt];
			snprintf(r->found, sizeof(r->found), "0x%08" PRIx64, d->addr);
			snprintf(r->found_note, sizeof(r->found_note), "%u gates%s", d->gates,
				 it->vmatch ? ", at this base" : "");
			r->has_node = true;
			r->addr = d->addr;
			r->size = d->size;
		} else if (it->resolved) {
			r->has_node = true;
			r->addr = it->pa;
		}
		char pa[24] = "?";
		if (it->resolved)
			snprintf(pa, sizeof(pa), "0x%08" PRIx64, it->pa);
		snprintf(r->truth, sizeof(r->truth), "0x%016" PRIx64 " -> %s", it->base, pa);
		snprintf(r->truth_note, sizeof(r->truth_note), "%6.2f-%-6.2f%s", it->first, it->last,
			 it->resolved ? "" : " not mapped by the cr3 tree");
	}
	for (size_t k = 0; k < x->n; k++) {
		if (g.hit[k])
			continue;
		struct finding_gt_row *r = finding_gt_add(out, true, GT_FP);
		snprintf(r->found, sizeof(r->found), "0x%08" PRIx64, x->idt[k].addr);
		snprintf(r->found_note, sizeof(r->found_note), "%u gates", x->idt[k].gates);
		r->has_node = true;
		r->addr = x->idt[k].addr;
		r->size = x->idt[k].size;
	}
	snprintf(out->found_head, sizeof(out->found_head), "IDTs: %zu candidate%s", x->n, x->n == 1 ? "" : "s");
	snprintf(out->truth_head, sizeof(out->truth_head), "idtr_base: %zu logged value%s", g.n, g.n == 1 ? "" : "s");
	snprintf(out->note, sizeof(out->note), "(IDTR bases translated through the ground-truth cr3 tree 0x%" PRIx64 ")",
		 g.root);
	intel_idtr_gt_free(&g);
	return 0;
}

const struct findings_ops intel_findings = {
	.name = "IDTs",
	.one = "IDT",
	.map_mark = 'I',
	.list = intel_list,
	.children = intel_children,
	.gtruth = intel_gtruth,
};
