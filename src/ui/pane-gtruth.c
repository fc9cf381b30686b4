/*
 * Ground-truth pane ('t'): two aligned columns, what the analysis found
 * and what the ground-truth file says, one row per root: matches (TP) on
 * both sides, false positives on the left only, false negatives and
 * boot-time roots on the right only.  Enter opens the row's tree.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "app.h"

struct gt_pane {
	struct app *app;
	struct ui_list list;
	char pat[256];
	const char *regname[RADIX_MAX_SHAPES];  /* root register of each tree kind */
	int digits;
};

static void *gt_init(struct app *app)
{
	struct gt_pane *g = xcalloc(1, sizeof(*g));
	g->app = app;
	g->digits = 8;
	return g;
}

static void gt_free(void *st)
{
	free(st);
}

static void gt_sync(void *st)
{
	struct gt_pane *g = st;
	const struct ui_snap *s = app_snap(g->app);
	uint64_t max = 0;
	g->list.n = s->gt_ok ? s->gt.n : 0;
	for (size_t i = 0; i < g->list.n; i++)
		max = MMU_MAX(max, s->gt.items[i].root);
	g->digits = ui_addr_digits(max);
	for (unsigned i = 0; i < s->nspaces; i++)
		g->regname[i] = s->space[i].shape.root_register;
	ui_list_fit(&g->list, g->list.height);
}

static bool found_side(enum gt_class c)
{
	return c == GT_TP || c == GT_FP;
}

static bool truth_side(enum gt_class c)
{
	return c != GT_FP;
}

/* The two halves of a row, each at most half wide. */
static void row_halves(const struct gt_pane *g, const struct gt_item *it, char *left, char *right, size_t len)
{
	const struct ui_snap *s = app_snap(g->app);
	const char *kind = s->nspaces > 1 ? s->space[it->space].shape.name : "";
	const char *label = ui_class_label(g->app, ui_class_of(it->cls));
	left[0] = right[0] = '\0';
	if (found_side(it->cls))
		snprintf(left, len, "0x%0*llx %-6s %s%s%s", g->digits, (unsigned long long)it->root, label, kind,
			 *kind ? " " : "", it->kernel_only ? "kernel-only" : "");
	if (truth_side(it->cls))
		snprintf(right, len, "0x%0*llx %-6s %6.2f-%-6.2f %s", g->digits, (unsigned long long)it->root,
			 found_side(it->cls) ? "" : label, it->first, it->last, it->reason ? it->reason : "");
}

static void gt_draw(void *st, WINDOW *w, int h, int wd, bool focused)
{
	struct gt_pane *g = st;
	const struct ui_snap *s = app_snap(g->app);
	char left[256], right[256];
	int half = wd / 2;
	if (!s->gt_loaded) {
		ui_put(w, 0, 1, wd - 1, ui_style(g->app, ST_DIM),
		       "No ground truth loaded: start mmushell with --gtruth FILE (an emulator's register log).");
		return;
	}
	if (!s->gt_ok) {
		ui_putf(w, 0, 1, wd - 1, ui_style(g->app, ST_DIM), "Nothing to compare yet: %s", s->gt_why);
		return;
	}
	ui_putf(w, 0, 0, half - 1, ui_style(g->app, ST_HEADER), "found by mmushell (%zu trees)", s->ntrees);
	ui_putf(w, 0, half + 1, wd - half - 1, ui_style(g->app, ST_HEADER), "ground truth: %zu %s values (seen, s)",
		s->gt.gt_roots, g->regname[0] ? g->regname[0] : "root");
	ui_list_fit(&g->list, h - 1);
	for (int row = 0; row + 1 < h && g->list.top + (size_t)row < g->list.n; row++) {
		size_t i = g->list.top + (size_t)row;
		const struct gt_item *it = &s->gt.items[i];
		bool cur = focused && i == g->list.cur;
		attr_t a = ui_style(g->app, ui_class_style(ui_class_of(it->cls)));
		if (cur)
			a = ui_style(g->app, ST_CURSOR) | (a & A_COLOR);
		row_halves(g, it, left, right, sizeof(left));
		if (cur)
			ui_fill(w, row + 1, 0, wd, a);
		ui_put(w, row + 1, 0, half - 1, a, left);
		mvwaddch(w, row + 1, half - 1, ACS_VLINE);
		ui_put(w, row + 1, half + 1, wd - half - 1, a, right);
	}
	if (s->gt.boot && g->list.n < (size_t)h - 1)
		ui_putf(w, (int)g->list.n + 1, 0, wd, ui_style(g->app, ST_DIM),
			"(boot-only roots: last seen in the first %.0f s, not counted as FN)", GTRUTH_BOOT_SECONDS);
}

static bool gt_key(void *st, int key)
{
	struct gt_pane *g = st;
	const struct ui_snap *s = app_snap(g->app);
	if (key == UIK_ENTER || key == ' ') {
		if (!g->list.n)
			return true;
		const struct gt_item *it = &s->gt.items[g->list.cur];
		app_open_tree(g->app, it->root, it->space, key == UIK_ENTER);
		return true;
	}
	return ui_list_key(&g->list, key);
}

static void gt_title(void *st, char *buf, size_t len)
{
	struct gt_pane *g = st;
	const struct ui_snap *s = app_snap(g->app);
	if (!s->gt_ok)
		snprintf(buf, len, "Ground truth");
	else
		snprintf(buf, len, "Ground truth: %zu TP, %zu FP, %zu FN%s", s->gt.tp, s->gt.fp, s->gt.fn,
			 s->gt.boot ? ", boot-only below" : "");
	(void)g;
}

static int gt_go(void *st, const char *arg, char *msg, size_t len)
{
	struct gt_pane *g = st;
	const struct ui_snap *s = app_snap(g->app);
	uint64_t addr;
	if (parse_u64(arg, &addr)) {
		snprintf(msg, len, "not an address: '%s'", arg);
		return -1;
	}
	for (size_t i = 0; i < g->list.n; i++)
		if (s->gt.items[i].root == addr) {
			ui_list_set(&g->list, i);
			return 0;
		}
	snprintf(msg, len, "no root 0x%llx in the comparison", (unsigned long long)addr);
	return -1;
}

static int gt_search(void *st, const char *pat, int dir, char *msg, size_t len)
{
	struct gt_pane *g = st;
	const struct ui_snap *s = app_snap(g->app);
	char left[256], right[256];
	if (pat)
		snprintf(g->pat, sizeof(g->pat), "%s", pat);
	for (size_t k = 1; k <= g->list.n; k++) {
		size_t i = (g->list.cur + (dir > 0 ? k : g->list.n * 2 - k)) % g->list.n;
		row_halves(g, &s->gt.items[i], left, right, sizeof(left));
		if (strcasestr(left, g->pat) || strcasestr(right, g->pat)) {
			ui_list_set(&g->list, i);
			return 0;
		}
	}
	snprintf(msg, len, "'%s' not found in the ground-truth comparison", g->pat);
	return -1;
}

static const char *const gt_help[] = {
	"Enter", "open the row's root in the tree view",
	"Space", "show it in the tree view, stay here",
	NULL,
};

const struct pane_ops pane_gtruth_ops = {
	.name = "Ground truth",
	.init = gt_init,
	.free = gt_free,
	.sync = gt_sync,
	.draw = gt_draw,
	.key = gt_key,
	.title = gt_title,
	.go = gt_go,
	.search = gt_search,
	.help = gt_help,
	.go_prompt = "go to root: ",
};
