/*
 * show_radix_trees_gtruth: found trees against the roots named by the
 * ground truth's root registers (radix-gtruth.c does the comparison).
 */
#include "autoconfig.h"

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "radix-gtruth.h"
#include "radix.h"
#include "table.h"

static const char *label(const struct analysis *a, unsigned space)
{
	const char *n = a->radix->space[space].shape.name;
	return *n ? n : "all";
}

static int run(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	static const char *const head[] = {"Root", "Tree", "Class", "First seen", "Last seen", "Note"};
	static const char *const lists[] = {"true_positives", "false_negatives", "boot_only", "false_positives"};
	struct radix_gt g;
	struct json *j = &o->json;
	struct table t;
	(void)argc, (void)argv;
	if (!a->cfg.arch->radix)
		return err_set(e, "does not apply to architecture %s (it has no page-table trees)", a->cfg.arch->name);
	if (radix_gtruth_compare(a, &g, e))
		return -1;
	table_init(&t, 6, head);
	json_obj_begin(j, NULL);
	for (enum gt_class c = GT_TP; c <= GT_FP; c++) {
		json_arr_begin(j, lists[c]);
		for (size_t i = 0; i < g.n; i++) {
			const struct gt_item *it = &g.items[i];
			if (it->cls != c)
				continue;
			json_obj_begin(j, NULL);
			json_hex(j, "root", it->root);
			json_str(j, "tree", label(a, it->space));
			if (c == GT_FP) {
				json_bool(j, "kernel_only", it->kernel_only);
			} else {
				json_double(j, "first_seen", it->first);
				json_double(j, "last_seen", it->last);
				if (it->inferred)
					json_bool(j, "inferred", true);
			}
			if (it->reason)
				json_str(j, "reason", it->reason);
			json_obj_end(j);
			if (c == GT_BOOT)
				continue;
			table_cell(&t, "0x%016llx", (unsigned long long)it->root);
			table_cell(&t, "%s", label(a, it->space));
			table_cell(&t, "%s", gt_class_name(c));
			if (c == GT_FP) {
				table_cell(&t, "%s", "");
				table_cell(&t, "%s", "");
				table_cell(&t, "%s", it->kernel_only ? "kernel-only tree (no user mappings)" : "");
			} else if (it->inferred) {
				table_cell(&t, "%s", "-");
				table_cell(&t, "%s", "-");
				table_cell(&t, "inferred (never sampled)%s%s", it->reason ? "; " : "",
					   it->reason ? it->reason : "");
			} else {
				table_cell(&t, "%.2f", it->first);
				table_cell(&t, "%.2f", it->last);
				table_cell(&t, "%s", it->reason ? it->reason : "");
			}
		}
		json_arr_end(j);
	}
	json_u64(j, "tp", g.tp);
	json_u64(j, "fp", g.fp);
	json_u64(j, "fn", g.fn);
	json_u64(j, "fn_invalid", g.fn_invalid);
	json_u64(j, "fp_kernel_only", g.fp_kernel_only);
	json_u64(j, "boot_only_skipped", g.boot);
	json_u64(j, "ground_truth_roots", g.gt_roots);
	json_u64(j, "ground_truth_inferred", g.gt_inferred);
	json_obj_end(j);

	table_render(&t, &o->text);
	sbuf_printf(&o->text, "TP: %zu  FN: %zu  FP: %zu\n", g.tp, g.fn, g.fp);
	if (g.gt_inferred)
		sbuf_printf(&o->text, "%zu of the %zu ground-truth roots %s inferred by the capture (never sampled)\n",
			    g.gt_inferred, g.gt_roots, g.gt_inferred == 1 ? "is" : "are");
	if (g.fn_invalid)
		sbuf_printf(&o->text, "%zu false negative%s fail%s the tool's own root tests (the original would "
				      "have dropped %s)\n", g.fn_invalid, g.fn_invalid == 1 ? "" : "s",
			    g.fn_invalid == 1 ? "s" : "", g.fn_invalid == 1 ? "it" : "them");
	if (g.fp_kernel_only)
		sbuf_printf(&o->text, "%zu false positive%s %s kernel-only (no user mappings)\n", g.fp_kernel_only,
			    g.fp_kernel_only == 1 ? "" : "s", g.fp_kernel_only == 1 ? "is" : "are");
	if (g.boot)
		sbuf_printf(&o->text, "Skipped %zu boot-time root%s (last seen before %.1f s, not found)\n", g.boot,
			    g.boot == 1 ? "" : "s", GTRUTH_BOOT_SECONDS);
	table_free(&t);
	radix_gt_free(&g);
	return 0;
}

const struct command cmd_show_radix_trees_gtruth = {
	.name = "show_radix_trees_gtruth",
	.usage = "",
	.summary = "compare the trees found with the ground truth's roots: TP, FP, FN with reasons",
	.max_args = 0,
	.run = run,
};
