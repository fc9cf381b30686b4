/* Intel-only commands: show_idtrs, show_idt, show_idtrs_gtruth. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "intel.h"
#include "radix.h"
#include "table.h"

static int need_scan(const struct analysis *a, struct err *e)
{
	if (!intel_idts(a))
		return err_set(e, "no IDT scan yet: run parse_memory first");
	return 0;
}

static int run_show_idtrs(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	static const char *const head[] = {"Address", "Size", "Gates", "Virtual address", "Trees",
					   "Unresolved handler pages", "Used"};
	(void)argc, (void)argv;
	if (need_scan(a, e))
		return -1;
	const struct intel_idts *x = intel_idts(a);
	bool found = a->radix->found;
	struct json *j = &o->json;
	struct table t;
	table_init(&t, 7, head);
	t.right_align = 1u << 1 | 1u << 2 | 1u << 4;
	json_obj_begin(j, NULL);
	json_arr_begin(j, "idts");
	for (size_t i = 0; i < x->n; i++) {
		const struct intel_idt *d = &x->idt[i];
		table_cell(&t, "0x%016llx", (unsigned long long)d->addr);
		table_cell(&t, "%llu", (unsigned long long)d->size);
		table_cell(&t, "%u", d->gates);
		if (found && d->has_va)
			table_cell(&t, "0x%016llx", (unsigned long long)d->va);
		else
			table_cell(&t, "-");
		table_cell(&t, "%s", found ? "" : "-");
		if (found)
			t.cells[t.ncells - 1] = (free(t.cells[t.ncells - 1]), xasprintf("%u", d->roots));
		if (found && d->roots)
			table_cell(&t, "%u", d->min_errors);
		else
			table_cell(&t, "-");
		table_cell(&t, "%s", d->chosen ? "yes" : "");
		json_obj_begin(j, NULL);
		json_hex(j, "address", d->addr);
		json_u64(j, "size", d->size);
		json_u64(j, "gates", d->gates);
		if (found) {
			if (d->has_va)
				json_hex(j, "virtual_address", d->va);
			json_u64(j, "trees", d->roots);
			if (d->roots)
				json_u64(j, "unresolved_handler_pages", d->min_errors);
			json_bool(j, "used", d->chosen);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	json_u64(j, "count", x->n);
	json_obj_end(j);
	table_render(&t, &o->text);
	sbuf_printf(&o->text, "%zu IDT candidate%s%s\n", x->n, x->n == 1 ? "" : "s",
		    found ? "" : " (run find_radix_trees to see which trees map them)");
	if (x->dropped)
		sbuf_printf(&o->text, "%llu more not kept (the limit is %zu)\n", (unsigned long long)x->dropped,
			    radix_limits.idt_max);
	if (found && x->unexamined)
		sbuf_printf(&o->text, "the last %zu not examined by find_radix_trees (its limit on walks)\n", x->unexamined);
	table_free(&t);
	return 0;
}

static const struct command cmd_show_idtrs = {
	.name = "show_idtrs",
	.usage = "",
	.summary = "the IDT candidates found by parse_memory, and the trees that map them",
	.max_args = 0,
	.run = run_show_idtrs,
};

static int run_show_idt(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	static const char *const head[] = {"Vector", "Kind", "DPL", "Selector", "Handler", "IST/Size"};
	uint64_t addr;
	(void)argc;
	if (cmd_arg_u64("ADDR", argv[0], &addr, e))
		return -1;
	if (!physmem_is_ram(&a->pm, addr))
		return err_set(e, "0x%llx is not in RAM", (unsigned long long)addr);
	struct intel_gate g[256];
	size_t n = intel_idt_gates(a, addr, g, 256);
	bool wide = a->cfg.bits == 64;
	struct json *j = &o->json;
	struct table t;
	table_init(&t, 6, head);
	t.right_align = 1u;
	json_obj_begin(j, NULL);
	json_hex(j, "address", addr);
	json_arr_begin(j, "gates");
	for (size_t i = 0; i < n; i++) {
		const char *kind = intel_gate_kind_name(g[i].kind);
		table_cell(&t, "%zu", i);
		table_cell(&t, "%s", kind);
		if (g[i].kind == GATE_EMPTY) {
			for (int c = 0; c < 4; c++)
				table_cell(&t, "%s", "");
		} else {
			table_cell(&t, "%u", g[i].dpl);
			table_cell(&t, "0x%04x", g[i].selector);
			table_cell(&t, "0x%0*llx", wide ? 16 : 8, (unsigned long long)g[i].handler);
			if (wide)
				table_cell(&t, "%u", g[i].ist);
			else
				table_cell(&t, "%s", g[i].kind == GATE_TASK ? "" : g[i].size32 ? "32" : "16");
		}
		json_obj_begin(j, NULL);
		json_u64(j, "vector", i);
		json_str(j, "kind", kind);
		if (g[i].kind != GATE_EMPTY) {
			json_u64(j, "dpl", g[i].dpl);
			json_u64(j, "selector", g[i].selector);
			json_hex(j, "handler", g[i].handler);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	json_u64(j, "count", n);
	json_obj_end(j);
	table_render(&t, &o->text);
	sbuf_printf(&o->text, "%zu gate%s before the first invalid one\n", n, n == 1 ? "" : "s");
	table_free(&t);
	return 0;
}

static const struct command cmd_show_idt = {
	.name = "show_idt",
	.usage = "ADDR",
	.summary = "decode the interrupt gates at physical address ADDR",
	.min_args = 1,
	.max_args = 1,
	.run = run_show_idt,
};

static int by_last_seen(const void *x, const void *y)
{
	const struct gt_value *a = *(const struct gt_value *const *)x, *b = *(const struct gt_value *const *)y;
	return a->last_seen < b->last_seen ? -1 : a->last_seen > b->last_seen;
}

/*
 * IDTR bases are virtual: translate them through the newest ground-truth
 * CR3 that is a tree found, else the newest that is at least a valid tree.
 */
static bool pick_root(struct analysis *a, uint64_t *root)
{
	const struct gt_value **v = xcalloc(a->gt.nvalues + 1, sizeof(*v));
	size_t n = gtruth_values(&a->gt, "cr3", v, a->gt.nvalues);
	bool ok = false;
	qsort(v, n, sizeof(*v), by_last_seen);
	for (int pass = 0; pass < 2 && !ok; pass++)
		for (size_t i = n; i-- > 0 && !ok;) {
			uint64_t r;
			a->cfg.arch->radix->root_of(&a->radix->space[0].shape, v[i]->value, &r);
			if (pass == 0 ? radix_tree_index(a->radix, r, 0) >= 0 : !radix_root_problem(a, &a->radix->space[0], r)) {
				*root = r;
				ok = true;
			}
		}
	free(v);
	return ok;
}

int intel_idtr_gtruth(struct analysis *a, struct intel_idtr_gt *g, struct err *e)
{
	memset(g, 0, sizeof(*g));
	if (!a->has_gt)
		return err_set(e, "no ground truth: start mmushell with --gtruth FILE");
	if (need_scan(a, e))
		return -1;
	if (!pick_root(a, &g->root))
		return err_set(e, "no ground-truth cr3 names a valid tree: cannot translate the IDTR bases");
	const struct intel_idts *x = intel_idts(a);
	const struct gt_value **v = xcalloc(a->gt.nvalues + 1, sizeof(*v));
	size_t n = gtruth_values(&a->gt, "idtr_base", v, a->gt.nvalues);
	qsort(v, n, sizeof(*v), by_last_seen);
	g->v = xcalloc(n + 1, sizeof(*g->v));
	g->hit = xcalloc(x->n + 1, sizeof(bool));
	g->nidts = x->n;
	for (size_t i = 0; i < n; i++) {
		struct intel_idtr_gt_item *it = &g->v[g->n++];
		struct radix_walk w;
		radix_resolve(a, &a->radix->space[0], g->root, v[i]->value, &w);
		*it = (struct intel_idtr_gt_item){.base = v[i]->value, .first = v[i]->first_seen, .last = v[i]->last_seen,
						  .resolved = w.ok, .pa = w.ok ? w.pa : 0, .idt = -1};
		for (size_t k = 0; w.ok && k < x->n; k++)
			if (x->idt[k].addr == w.pa) {
				if (it->idt < 0)
					it->idt = (int)k;
				g->hit[k] = true;
			}
		for (size_t k = 0; k < x->n; k++)
			it->vmatch |= x->idt[k].chosen && x->idt[k].has_va && x->idt[k].va == it->base;
		g->tp += it->idt >= 0;
		g->fn += w.ok && it->idt < 0;
		g->unresolved += !w.ok;
	}
	for (size_t k = 0; k < x->n; k++)
		g->fp += !g->hit[k];
	free(v);
	return 0;
}

void intel_idtr_gt_free(struct intel_idtr_gt *g)
{
	free(g->v);
	free(g->hit);
	memset(g, 0, sizeof(*g));
}

const char *intel_idtr_gt_class(const struct intel_idtr_gt_item *it)
{
	return !it->resolved ? "unresolved" : it->idt >= 0 ? "TP" : "FN";
}

static int run_show_idtrs_gtruth(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	static const char *const head[] = {"IDTR base", "Physical", "Class", "First seen", "Last seen"};
	struct intel_idtr_gt g;
	(void)argc, (void)argv;
	if (intel_idtr_gtruth(a, &g, e))
		return -1;
	const struct intel_idts *x = intel_idts(a);
	struct json *j = &o->json;
	struct table t;
	table_init(&t, 5, head);
	json_obj_begin(j, NULL);
	json_hex(j, "cr3_root", g.root);
	json_arr_begin(j, "idtrs");
	for (size_t i = 0; i < g.n; i++) {
		const struct intel_idtr_gt_item *it = &g.v[i];
		const char *cls = intel_idtr_gt_class(it);
		table_cell(&t, "0x%016llx", (unsigned long long)it->base);
		if (it->resolved)
			table_cell(&t, "0x%llx", (unsigned long long)it->pa);
		else
			table_cell(&t, "?");
		table_cell(&t, "%s", cls);
		table_cell(&t, "%.2f", it->first);
		table_cell(&t, "%.2f", it->last);
		json_obj_begin(j, NULL);
		json_hex(j, "idtr_base", it->base);
		if (it->resolved)
			json_hex(j, "paddr", it->pa);
		else
			json_null(j, "paddr");
		json_str(j, "class", cls);
		json_bool(j, "inferred_base_matches", it->vmatch);
		json_double(j, "first_seen", it->first);
		json_double(j, "last_seen", it->last);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_arr_begin(j, "false_positives");
	for (size_t k = 0; k < x->n; k++)
		if (!g.hit[k])
			json_hex(j, NULL, x->idt[k].addr);
	json_arr_end(j);
	json_u64(j, "tp", g.tp);
	json_u64(j, "fp", g.fp);
	json_u64(j, "fn", g.fn);
	json_u64(j, "unresolved", g.unresolved);
	json_obj_end(j);
	sbuf_printf(&o->text, "IDTR bases translated through the ground-truth root 0x%llx\n", (unsigned long long)g.root);
	table_render(&t, &o->text);
	sbuf_printf(&o->text, "TP: %zu  FN: %zu  FP: %zu  unresolved: %zu\n", g.tp, g.fn, g.fp, g.unresolved);
	table_free(&t);
	intel_idtr_gt_free(&g);
	return 0;
}

static const struct command cmd_show_idtrs_gtruth = {
	.name = "show_idtrs_gtruth",
	.usage = "",
	.summary = "compare the IDT candidates with the ground truth's IDTR bases",
	.max_args = 0,
	.run = run_show_idtrs_gtruth,
};

const struct command *const intel_commands[] = {
	&cmd_show_idtrs,
	&cmd_show_idt,
	&cmd_show_idtrs_gtruth,
	NULL,
};

void intel_report_scan(struct analysis *a, struct cmd_out *o)
{
	const struct intel_idts *x = intel_idts(a);
	size_t n = x ? x->n : 0;
	json_u64(&o->json, "idts", n);
	sbuf_printf(&o->text, "IDT candidates: %zu\n", n);
	if (x && x->dropped) {
		json_u64(&o->json, "idts_dropped", x->dropped);
		sbuf_printf(&o->text, "IDT candidates not kept: %llu (only the first %zu by address are: a dump this full "
				      "of gate tables was made to slow the analysis)\n",
			    (unsigned long long)x->dropped, radix_limits.idt_max);
	}
}
