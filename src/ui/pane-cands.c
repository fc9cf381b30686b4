/*
 * Candidates pane: the page-table roots — the trees found, with what they
 * map and their ground-truth class, plus the ground truth's roots that
 * were not found as ghost rows.  Before trees are searched, the root-table
 * candidates of the scan.  On an architecture without trees (PowerPC) the
 * architecture's findings instead: its hash tables, lines as it formats
 * them (findings.h), ghosts after.  Sortable (o, O) and filterable by
 * class (f).
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "panes.h"

enum sort_key { SORT_ROOT, SORT_LEVEL, SORT_KERNEL, SORT_USER, SORT_CLASS, SORT_COUNT };
/* Findings sort on what every node has; first in the architecture's order (best first, ghosts last). */
enum fsort_key { FSORT_RANK, FSORT_ADDR, FSORT_SIZE, FSORT_CLASS, FSORT_COUNT };
enum filter { FILTER_ALL, FILTER_TP, FILTER_FP, FILTER_FN, FILTER_BOOT, FILTER_COUNT };

static const char *const sort_names[] = {"root", "lvl", "kernel", "user", "gtruth"};
static const char *const fsort_names[] = {"rank", "address", "size", "gtruth"};
static const char *const filter_names[] = {"all", "TP", "FP", "FN", "boot"};
static const enum ui_class filter_class[] = {UC_NONE, UC_TP, UC_FP, UC_FN, UC_BOOT};

struct cands_pane {
	struct app *app;
	bool fmode;              /* the rows are the architecture's findings (no trees) */
	size_t *idx;             /* snapshot rows shown, in display order */
	size_t n;
	struct ui_list list;
	int sort;                /* enum sort_key, or enum fsort_key in fmode */
	bool reverse;
	enum filter filter;
	int digits;
	char pat[256];
	uint64_t keep_root;      /* the root under the cursor, kept across rebuilds */
	unsigned keep_space;
	uint64_t keep_size;      /* fmode: the size of the finding under the cursor */
};

static const struct finding *finding_at_snap(const struct cands_pane *c, size_t i)
{
	return &app_snap(c->app)->find.top.v[i];
}

static enum ui_class finding_class(const struct finding *f)
{
	return f->classed ? ui_class_of(f->cls) : UC_NONE;
}

static int sort_count(const struct cands_pane *c)
{
	return c->fmode ? FSORT_COUNT : SORT_COUNT;
}

static const char *sort_name(const struct cands_pane *c)
{
	return c->fmode ? fsort_names[c->sort] : sort_names[c->sort];
}

/* qsort has no context argument: the pane being sorted. */
static const struct cands_pane *sorting;

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_findings(const void *x, const void *y)
{
	const struct finding *a = finding_at_snap(sorting, *(const size_t *)x),
			     *b = finding_at_snap(sorting, *(const size_t *)y);
	int c = 0;
	if (sorting->sort == FSORT_RANK)
		c = cmp_u64(*(const size_t *)x, *(const size_t *)y);
	else if (sorting->sort == FSORT_SIZE)
		c = cmp_u64(a->size, b->size);
	else if (sorting->sort == FSORT_CLASS)
		c = (int)finding_class(a) - (int)finding_class(b);
	if (!c)
		c = cmp_u64(a->addr, b->addr);
	if (!c)
		c = cmp_u64(a->size, b->size);
	return sorting->reverse ? -c : c;
}

/* The level the walk starts at, in the architecture's numbering (AArch64 with 39-bit VAs: 1). */
static unsigned first_level(const struct ui_snap *s, const struct ui_root *r)
{
	return r->space < s->nspaces ? s->space[r->space].shape.level_offset : 0;
}

static int cmp_rows(const void *x, const void *y)
{
	const struct ui_snap *s = app_snap(sorting->app);
	const struct ui_root *a = &s->roots[*(const size_t *)x], *b = &s->roots[*(const size_t *)y];
	int c = 0;
	switch (sorting->sort) {
	case SORT_LEVEL:
		c = (int)first_level(s, a) - (int)first_level(s, b);
		break;
	case SORT_KERNEL:
		c = cmp_u64(a->kernel_bytes, b->kernel_bytes);
		break;
	case SORT_USER:
		c = cmp_u64(a->user_bytes, b->user_bytes);
		break;
	case SORT_CLASS:
		c = (int)a->cls - (int)b->cls;
		break;
	case SORT_ROOT:
	case SORT_COUNT:
		break;
	}
	if (!c)
		c = cmp_u64(a->root, b->root);
	if (!c)
		c = (int)a->space - (int)b->space;
	return sorting->reverse ? -c : c;
}

/* Rows of the snapshot the pane lists: its roots, or its findings (fmode). */
static size_t source_rows(const struct cands_pane *c)
{
	const struct ui_snap *s = app_snap(c->app);
	if (c->fmode)
		return s->find_ok ? s->find.top.n : 0;
	return s->nroots;
}

static enum ui_class source_class(const struct cands_pane *c, size_t i)
{
	return c->fmode ? finding_class(finding_at_snap(c, i)) : app_snap(c->app)->roots[i].cls;
}

/* Whether source row i is the one remembered under the cursor. */
static bool is_kept(const struct cands_pane *c, size_t i)
{
	if (c->fmode)
		return finding_at_snap(c, i)->addr == c->keep_root && finding_at_snap(c, i)->size == c->keep_size;
	const struct ui_root *r = &app_snap(c->app)->roots[i];
	return r->root == c->keep_root && r->space == c->keep_space;
}

/* Rebuilds the shown rows (filter, sort), keeping the cursor on the same root when it is still shown. */
static void rebuild(struct cands_pane *c, bool keep)
{
	size_t total = source_rows(c);
	free(c->idx);
	c->idx = xcalloc(total + 1, sizeof(size_t));
	c->n = 0;
	for (size_t i = 0; i < total; i++)
		if (c->filter == FILTER_ALL || source_class(c, i) == filter_class[c->filter])
			c->idx[c->n++] = i;
	sorting = c;
	qsort(c->idx, c->n, sizeof(size_t), c->fmode ? cmp_findings : cmp_rows);
	sorting = NULL;
	c->list.n = c->n;
	c->list.cur = 0;
	for (size_t i = 0; keep && i < c->n; i++)
		if (is_kept(c, c->idx[i]))
			c->list.cur = i;
	ui_list_fit(&c->list, c->list.height);
}

/* Remembers the row under the cursor (the snapshot may be rebuilt under it). */
static void remember(struct cands_pane *c)
{
	if (!c->n || c->list.cur >= c->n)
		return;
	if (c->fmode) {
		const struct finding *f = finding_at_snap(c, c->idx[c->list.cur]);
		c->keep_root = f->addr;
		c->keep_size = f->size;
		return;
	}
	const struct ui_root *r = &app_snap(c->app)->roots[c->idx[c->list.cur]];
	c->keep_root = r->root;
	c->keep_space = r->space;
}

static const struct ui_root *row_at(const struct cands_pane *c, size_t i)
{
	return &app_snap(c->app)->roots[c->idx[i]];
}

static const struct finding *finding_row(const struct cands_pane *c, size_t i)
{
	return finding_at_snap(c, c->idx[i]);
}

static uint64_t row_addr(const struct cands_pane *c, size_t i)
{
	return c->fmode ? finding_row(c, i)->addr : row_at(c, i)->root;
}

static void *cands_init(struct app *app)
{
	struct cands_pane *c = xcalloc(1, sizeof(*c));
	c->app = app;
	return c;
}

static void cands_free(void *st)
{
	struct cands_pane *c = st;
	free(c->idx);
	free(c);
}

static void cands_sync(void *st)
{
	struct cands_pane *c = st;
	const struct ui_snap *s = app_snap(c->app);
	bool fmode = !s->radix && s->has_findings;
	uint64_t max = 0;
	if (fmode != c->fmode) {
		c->fmode = fmode;
		c->sort = 0;
		c->reverse = false;
	}
	for (size_t i = 0; i < source_rows(c); i++)
		max = MMU_MAX(max, c->fmode ? finding_at_snap(c, i)->addr : s->roots[i].root);
	c->digits = ui_addr_digits(max, UI_ADDR_MIN_DIGITS);
	rebuild(c, true);
	if (tree_pane_is_open(app_pane_state(c->app, P_TREE)) || !c->n)
		return;
	/* Found just now and nothing open yet: show the first, so the lower panes are not empty. */
	if (!c->fmode && s->found && s->ntrees)
		app_open_tree(c->app, row_at(c, c->list.cur)->root, row_at(c, c->list.cur)->space, false);
	else if (c->fmode && s->find.found)
		app_open_finding(c->app, &s->find.top.v[0], false);
}

/* The last column: why a ghost was not found, else kernel-only and the confirming IDT. */
static void root_note(const struct ui_root *r, char *note, size_t len)
{
	if (r->ghost)
		snprintf(note, len, "%s", r->reason ? r->reason : "not found");
	else
		snprintf(note, len, "%s%s%.0llx", r->kernel_only ? "kernel-only " : "", r->has_anchor ? "IDT 0x" : "",
			 r->has_anchor ? (unsigned long long)r->anchor : 0ULL);
}

/* Appends note to the row in buf (at at); returns where the note starts. */
static const char *add_note(char *buf, size_t len, int at, const char *note)
{
	size_t from = MMU_MIN((size_t)MMU_MAX(at, 0), len - 1);
	snprintf(buf + from, len - from, "%s", note);
	return buf + from;
}

/* Columns: root, [tree kind], lvl, kernel, user, gtruth, note; returns where the note starts. */
static const char *row_text(const struct cands_pane *c, const struct ui_root *r, char *buf, size_t len, bool marker)
{
	const struct ui_snap *s = app_snap(c->app);
	char ks[32] = "-", us[32] = "-", kind[16] = "";
	if (r->sized) {
		fmt_size(r->kernel_bytes, ks, sizeof(ks));
		fmt_size(r->user_bytes, us, sizeof(us));
	}
	if (s->nspaces > 1)
		snprintf(kind, sizeof(kind), "%-6s ", s->space[r->space].shape.name);
	const char *label = marker ? ui_class_label(c->app, r->cls) : "";
	char note[160];
	root_note(r, note, sizeof(note));
	int at = snprintf(buf, len, "0x%0*llx %s%3u %10s %10s  %-6s ", c->digits, (unsigned long long)r->root, kind,
			  first_level(s, r), ks, us, *label ? label : (s->gt_ok ? "" : "-"));
	return add_note(buf, len, at, note);
}

/* A finding: the architecture's line, then the class and its note; returns where the note starts. */
static const char *finding_text(const struct cands_pane *c, const struct finding *f, char *buf, size_t len, bool marker)
{
	const char *label = marker ? ui_class_label(c->app, finding_class(f)) : "";
	int at = snprintf(buf, len, "%s  %-6s ", f->text, *label ? label : (app_snap(c->app)->find_gt_ok ? "" : "-"));
	return add_note(buf, len, at, f->note);
}

/* Row i as drawn; returns where its note (the last column) starts. */
static const char *any_row_text(const struct cands_pane *c, size_t i, char *buf, size_t len)
{
	if (c->fmode)
		return finding_text(c, finding_row(c, i), buf, len, true);
	return row_text(c, row_at(c, i), buf, len, true);
}

/* Column names; the sorted one marked ^ (ascending) or v, the class filter after "gtruth". */
static void header_text(const struct cands_pane *c, char *buf, size_t len)
{
	const struct ui_snap *s = app_snap(c->app);
	if (c->fmode) {
		/* The architecture's columns cannot carry the sort mark: the title says the order. */
		snprintf(buf, len, "%s  gtruth%s%s note", s->find.header, c->filter ? "=" : "",
			 c->filter ? filter_names[c->filter] : "");
		return;
	}
	char name[SORT_COUNT][24], gt[40];
	for (int i = 0; i < SORT_COUNT; i++)
		snprintf(name[i], sizeof(name[i]), "%s%s", sort_names[i], i == (int)c->sort ? (c->reverse ? "v" : "^") : "");
	snprintf(gt, sizeof(gt), "%s%s%s", name[SORT_CLASS], c->filter ? "=" : "", c->filter ? filter_names[c->filter] : "");
	/* "lvl^" takes a column of the space before the kernel size: the sizes stay right-aligned. */
	snprintf(buf, len, "%-*s %s%3s%*s %10s  %-6s %s", c->digits + 2, name[SORT_ROOT], s->nspaces > 1 ? "tree   " : "",
		 name[SORT_LEVEL], 14 - (int)MMU_MAX(strlen(name[SORT_LEVEL]), 3), name[SORT_KERNEL], name[SORT_USER], gt,
		 "note");
}

static void cands_draw(void *st, WINDOW *w, int h, int wd, bool focused)
{
	struct cands_pane *c = st;
	const struct ui_snap *s = app_snap(c->app);
	char buf[400];
	if (!s->radix && !c->fmode) {
		ui_put(w, 0, 1, wd - 1, ui_style(c->app, ST_DIM),
		       "No page-table trees on this architecture (:help lists its commands).");
		return;
	}
	if (c->fmode && !s->find_ok) {
		ui_putf(w, 0, 1, wd - 1, ui_style(c->app, ST_DIM), "No %s yet: r runs the analysis steps.",
			s->find.ops ? s->find.ops->name : "findings");
		return;
	}
	header_text(c, buf, sizeof(buf));
	ui_put(w, 0, 0, wd, ui_style(c->app, ST_HEADER), buf);
	if (!c->fmode && !s->parsed) {
		ui_put(w, 1, 1, wd - 1, ui_style(c->app, ST_DIM), "No scan yet: r runs the analysis steps.");
		return;
	}
	if (!c->n) {
		ui_putf(w, 1, 1, wd - 1, ui_style(c->app, ST_DIM), "%s",
			c->filter != FILTER_ALL ? "No row of this class (f changes the filter)."
			: c->fmode ? "None found." : "No root candidates.");
		return;
	}
	ui_list_fit(&c->list, h - 1);
	for (int row = 0; row + 1 < h && c->list.top + (size_t)row < c->n; row++) {
		size_t i = c->list.top + (size_t)row;
		bool ghost = c->fmode ? finding_row(c, i)->ghost : row_at(c, i)->ghost;
		enum ui_class cls = source_class(c, c->idx[i]);
		bool cur = focused && i == c->list.cur;
		attr_t a = ui_style(c->app, ui_class_style(cls));
		if (ghost)
			a |= A_DIM;
		if (cur)
			a = ui_style(c->app, ST_CURSOR) | (a & A_COLOR);
		any_row_text(c, i, buf, sizeof(buf));
		if (cur)
			ui_fill(w, row + 1, 0, wd, a);
		ui_put(w, row + 1, 0, wd, a, buf);
	}
}

/* The selected row's note, whole on the message line when the pane cuts it. */
static void echo_note(struct cands_pane *c)
{
	char buf[400], echo[440];
	if (!c->n || c->list.cur >= c->n)
		return;
	const char *note = any_row_text(c, c->list.cur, buf, sizeof(buf));
	if (!note[0])
		return;
	snprintf(echo, sizeof(echo), "0x%llx: %s", (unsigned long long)row_addr(c, c->list.cur), note);
	app_echo_if_cut(c->app, P_CANDS, buf, 0, echo);
}

static bool cands_key(void *st, int key)
{
	struct cands_pane *c = st;
	const struct ui_snap *s = app_snap(c->app);
	switch (key) {
	case UIK_ENTER:
	case ' ':
		if (!c->n) {
			app_msg(c->app, false, "nothing to open: the list is empty");
			return true;
		}
		if (c->fmode)
			app_open_finding(c->app, finding_row(c, c->list.cur), key == UIK_ENTER);
		else
			app_open_tree(c->app, row_at(c, c->list.cur)->root, row_at(c, c->list.cur)->space,
				      key == UIK_ENTER);
		return true;
	case 'o':
		remember(c);
		c->sort = (c->sort + 1) % sort_count(c);
		rebuild(c, true);
		app_msg(c->app, false, "sorted by %s%s", sort_name(c), c->reverse ? ", reversed" : "");
		return true;
	case 'O':
		remember(c);
		c->reverse = !c->reverse;
		rebuild(c, true);
		app_msg(c->app, false, "sorted by %s%s", sort_name(c), c->reverse ? ", reversed" : "");
		return true;
	case 'f':
		if (c->fmode ? !s->find_gt_ok : !s->gt_ok) {
			app_msg(c->app, false, "no ground-truth classes to filter by (%s)",
				c->fmode ? s->find_why : s->gt_why);
			return true;
		}
		remember(c);
		c->filter = (c->filter + 1) % FILTER_COUNT;
		rebuild(c, true);
		app_msg(c->app, false, "showing %s rows", filter_names[c->filter]);
		return true;
	default:
		if (!ui_list_key(&c->list, key))
			return false;
		remember(c);
		echo_note(c);
		return true;
	}
}

/* The header and the rows (or the line saying there are none). */
static int cands_rows_wanted(void *st, int width)
{
	(void)width;
	struct cands_pane *c = st;
	return (int)MMU_MIN(c->n + 1, 10000) + (c->n ? 0 : 1);
}

static void cands_title(void *st, char *buf, size_t len, int room)
{
	(void)room;
	struct cands_pane *c = st;
	const struct ui_snap *s = app_snap(c->app);
	size_t total = source_rows(c);
	if (c->filter != FILTER_ALL && total) {
		/* The count is of what the filter lets through: the title must not promise rows that are hidden. */
		bool ghosts = c->fmode ? s->find.top.n > s->find.found : s->nroots > s->ntrees;
		const char *what = ghosts ? "rows" : c->fmode ? s->find.ops->name : "trees";
		snprintf(buf, len, "Candidates (%zu of %zu %s, %s only)", c->n, total, what, filter_names[c->filter]);
		return;
	}
	if (c->fmode) {
		const struct findings_ops *ops = s->find.ops;
		size_t found = s->find.found, ghosts = s->find.top.n - found;
		char order[48] = "";
		if (c->sort || c->reverse)
			snprintf(order, sizeof(order), "; by %s%s", sort_name(c), c->reverse ? ", reversed" : "");
		if (!s->find_ok)
			snprintf(buf, len, "Candidates");
		else if (ghosts)
			snprintf(buf, len, "Candidates (%zu %s, +%zu in gtruth only%s)", found,
				 found == 1 ? ops->one : ops->name, ghosts, order);
		else
			snprintf(buf, len, "Candidates (%zu %s%s)", found, found == 1 ? ops->one : ops->name, order);
		return;
	}
	if (!s->parsed)
		snprintf(buf, len, "Candidates");
	else if (!s->found)
		snprintf(buf, len, "Candidates (%zu root tables; no trees yet)", s->nroots);
	else if (s->nroots > s->ntrees)
		snprintf(buf, len, "Candidates (%zu trees, +%zu in gtruth only)", s->ntrees, s->nroots - s->ntrees);
	else
		snprintf(buf, len, "Candidates (%zu trees)", s->ntrees);
}

static int cands_go(void *st, const char *arg, char *msg, size_t len)
{
	struct cands_pane *c = st;
	uint64_t addr;
	if (ui_parse_addr(arg, &addr)) {
		snprintf(msg, len, "not a hex address: \'%s\'", arg);
		return -1;
	}
	for (size_t i = 0; i < c->n; i++)
		if (row_addr(c, i) == addr) {
			ui_list_set(&c->list, i);
			return 0;
		}
	snprintf(msg, len, "0x%llx is not in the list%s", (unsigned long long)addr, c->filter ? " (filtered: f)" : "");
	return -1;
}

static int cands_search(void *st, const char *pat, int dir, char *msg, size_t len)
{
	struct cands_pane *c = st;
	char buf[400];
	if (pat)
		snprintf(c->pat, sizeof(c->pat), "%s", pat);
	for (size_t k = 1; k <= c->n; k++) {
		size_t i = (c->list.cur + (dir > 0 ? k : c->n * 2 - k)) % (c->n ? c->n : 1);
		any_row_text(c, i, buf, sizeof(buf));
		if (strcasestr(buf, c->pat)) {
			ui_list_set(&c->list, i);
			return 0;
		}
	}
	snprintf(msg, len, "'%s' not found among the candidates", c->pat);
	return -1;
}

static const char *const cands_help[] = {
	"Enter", "open the tree (PowerPC: the hash table) in the tree view",
	"Space", "show it, stay in the list",
	"o / O", "next sort column (root, lvl, kernel, user, gtruth) / reverse",
	"f", "filter by ground-truth class (all, TP, FP, FN, boot)",
	"g", "go to a root (a table's) address",
	NULL,
};

const struct pane_ops pane_cands_ops = {
	.name = "Candidates",
	.tab = "Cands",
	.init = cands_init,
	.free = cands_free,
	.sync = cands_sync,
	.draw = cands_draw,
	.key = cands_key,
	.title = cands_title,
	.rows_wanted = cands_rows_wanted,
	.go = cands_go,
	.search = cands_search,
	.help = cands_help,
	.go_prompt = "go to root address (hex): ",
};
