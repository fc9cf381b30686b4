/*
 * show_radix_trees_gtruth: found trees against the roots named by the
 * ground truth's root registers.  Unlike the original, ground-truth roots
 * that fail the tool's own tests are not dropped: they are false negatives
 * with the reason, counted apart (fn_invalid) so figures stay comparable.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "radix.h"
#include "table.h"

struct gt_root {
	uint64_t root;
	unsigned space;
	double first, last;
	uint64_t count;
};

static size_t collect_roots(const struct analysis *a, struct gt_root **out)
{
	const struct radix_state *r = a->radix;
	struct gt_root *v = NULL;
	size_t n = 0, cap = 0;
	for (unsigned si = 0; si < r->nspaces; si++) {
		const struct radix_shape *s = &r->space[si].shape;
		for (size_t i = 0; i < a->gt.nvalues; i++) {
			const struct gt_value *g = &a->gt.values[i];
			uint64_t root;
			if (strcmp(g->name, s->root_register) || !a->cfg.arch->radix->root_of(s, g->value, &root))
				continue;
			size_t k;
			for (k = 0; k < n; k++)
				if (v[k].root == root && v[k].space == si)
					break;
			if (k == n) {
				struct gt_root x = {root, si, g->first_seen, g->last_seen, 0};
				VEC_PUSH(v, n, cap, x);
			}
			v[k].first = MMU_MIN(v[k].first, g->first_seen);
			v[k].last = MMU_MAX(v[k].last, g->last_seen);
			v[k].count += g->count;
		}
	}
	*out = v;
	return n;
}

static const char *label(const struct radix_space *sp)
{
	return *sp->shape.name ? sp->shape.name : "all";
}

static void json_root(struct json *j, const struct radix_space *sp, const struct gt_root *g, const char *reason)
{
	json_obj_begin(j, NULL);
	json_hex(j, "root", g->root);
	json_str(j, "tree", label(sp));
	json_double(j, "first_seen", g->first);
	json_double(j, "last_seen", g->last);
	if (reason)
		json_str(j, "reason", reason);
	json_obj_end(j);
}

static int run(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	static const char *const head[] = {"Root", "Tree", "Class", "First seen", "Last seen", "Note"};
	(void)argc, (void)argv;
	if (!a->cfg.arch->radix)
		return err_set(e, "show_radix_trees_gtruth does not apply to architecture %s", a->cfg.arch->name);
	if (!a->has_gt)
		return err_set(e, "no ground truth: start mmushell with --gtruth FILE");
	if (!a->radix || !a->radix->found)
		return err_set(e, "no trees yet: run find_radix_trees first");

	struct radix_state *r = a->radix;
	struct gt_root *gt;
	size_t ngt = collect_roots(a, &gt);
	size_t tp = 0, fn = 0, fn_invalid = 0, boot = 0, fp = 0, fp_konly = 0;
	bool *matched = xcalloc(r->ntrees + 1, sizeof(bool));
	char **reason = xcalloc(ngt + 1, sizeof(char *));
	enum { C_TP, C_FN, C_BOOT } *cls = xcalloc(ngt + 1, sizeof(*cls));
	struct json *j = &o->json;
	struct table t;

	for (size_t i = 0; i < ngt; i++) {
		struct radix_space *sp = &r->space[gt[i].space];
		int ti = radix_tree_index(r, gt[i].root, (int)gt[i].space);
		if (ti >= 0) {
			cls[i] = C_TP;
			matched[ti] = true;
			tp++;
			continue;
		}
		const char *problem = radix_root_problem(a, sp, gt[i].root);
		if (gt[i].last < GTRUTH_BOOT_SECONDS && a->gt.last_time >= GTRUTH_BOOT_SECONDS) {
			cls[i] = C_BOOT;
			boot++;
		} else {
			cls[i] = C_FN;
			fn++;
			fn_invalid += problem != NULL;
		}
		reason[i] = xstrdup(problem ? problem : "passes the root tests but was not selected by the filters");
	}

	table_init(&t, 6, head);
	json_obj_begin(j, NULL);
	json_arr_begin(j, "true_positives");
	for (size_t i = 0; i < ngt; i++)
		if (cls[i] == C_TP) {
			json_root(j, &r->space[gt[i].space], &gt[i], NULL);
			table_cell(&t, "0x%016llx", (unsigned long long)gt[i].root);
			table_cell(&t, "%s", label(&r->space[gt[i].space]));
			table_cell(&t, "TP");
			table_cell(&t, "%.2f", gt[i].first);
			table_cell(&t, "%.2f", gt[i].last);
			table_cell(&t, "%s", "");
		}
	json_arr_end(j);
	json_arr_begin(j, "false_negatives");
	for (size_t i = 0; i < ngt; i++)
		if (cls[i] == C_FN) {
			json_root(j, &r->space[gt[i].space], &gt[i], reason[i]);
			table_cell(&t, "0x%016llx", (unsigned long long)gt[i].root);
			table_cell(&t, "%s", label(&r->space[gt[i].space]));
			table_cell(&t, "FN");
			table_cell(&t, "%.2f", gt[i].first);
			table_cell(&t, "%.2f", gt[i].last);
			table_cell(&t, "%s", reason[i]);
		}
	json_arr_end(j);
	json_arr_begin(j, "false_positives");
	for (size_t i = 0; i < r->ntrees; i++) {
		if (matched[i])
			continue;
		const struct radix_tree *tr = &r->trees[i];
		bool konly = tr->flags & RADIX_TREE_KERNEL_ONLY;
		fp++;
		fp_konly += konly;
		json_obj_begin(j, NULL);
		json_hex(j, "root", tr->root);
		json_str(j, "tree", label(&r->space[tr->space]));
		json_bool(j, "kernel_only", konly);
		json_obj_end(j);
		table_cell(&t, "0x%016llx", (unsigned long long)tr->root);
		table_cell(&t, "%s", label(&r->space[tr->space]));
		table_cell(&t, "FP");
		table_cell(&t, "%s", "");
		table_cell(&t, "%s", "");
		table_cell(&t, "%s", konly ? "kernel-only tree (no user mappings)" : "");
	}
	json_arr_end(j);
	json_arr_begin(j, "boot_only");
	for (size_t i = 0; i < ngt; i++)
		if (cls[i] == C_BOOT)
			json_root(j, &r->space[gt[i].space], &gt[i], reason[i]);
	json_arr_end(j);
	json_u64(j, "tp", tp);
	json_u64(j, "fp", fp);
	json_u64(j, "fn", fn);
	json_u64(j, "fn_invalid", fn_invalid);
	json_u64(j, "fp_kernel_only", fp_konly);
	json_u64(j, "boot_only_skipped", boot);
	json_u64(j, "ground_truth_roots", ngt);
	json_obj_end(j);

	table_render(&t, &o->text);
	sbuf_printf(&o->text, "TP: %zu  FN: %zu  FP: %zu\n", tp, fn, fp);
	if (fn_invalid)
		sbuf_printf(&o->text, "%zu false negative%s fail%s the tool's own root tests (the original would "
				      "have dropped %s)\n", fn_invalid, fn_invalid == 1 ? "" : "s",
			    fn_invalid == 1 ? "s" : "", fn_invalid == 1 ? "it" : "them");
	if (fp_konly)
		sbuf_printf(&o->text, "%zu false positive%s %s kernel-only (no user mappings)\n", fp_konly,
			    fp_konly == 1 ? "" : "s", fp_konly == 1 ? "is" : "are");
	if (boot)
		sbuf_printf(&o->text, "Skipped %zu boot-time root%s (last seen before %.1f s, not found)\n", boot,
			    boot == 1 ? "" : "s", GTRUTH_BOOT_SECONDS);
	table_free(&t);
	for (size_t i = 0; i < ngt; i++)
		free(reason[i]);
	free(reason);
	free(cls);
	free(matched);
	free(gt);
	return 0;
}

const struct command cmd_show_radix_trees_gtruth = {
	.name = "show_radix_trees_gtruth",
	.usage = "",
	.summary = "compare the trees found with the ground truth's roots: TP, FP, FN with reasons",
	.max_args = 0,
	.run = run,
};
