/*
 * Ground-truth pane ('t'): two aligned columns, what the analysis found
 * and what the ground-truth file says, one row per item: matches (TP) on
 * both sides, false positives on the left only, false negatives and
 * boot-time roots on the right only.  Roots first, then the
 * architecture's findings (findings.h: PowerPC hash tables, Intel IDTs),
 * then each recovered register: the logged values, the candidate
 * matching each, and their fields side by side — wrapped over as many
 * rows as the width needs, aligned field for field, those that differ
 * highlighted and listed.  Enter opens a root's tree, a finding in the
 * tree view, or a register value's first code site.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "app.h"
#include "regrec.h"

enum gt_row_kind {
	GR_ROOT, GR_FIND_HEAD, GR_FIND, GR_FIND_NOTE, GR_REG_HEAD, GR_REG_LOGGED, GR_REG_FIELDS, GR_REG_DIFF, GR_REG_FP
};

struct gt_row {
	enum gt_row_kind kind;
	size_t i, k;             /* root item; finding row; or register and logged value / candidate */
	size_t part;             /* GR_REG_FIELDS: which row of the wrapped fields */
};

/* Fields of one register value, as its layout names them: "T0SZ:0x10", "IPS:?". */
#define GT_MAX_FIELDS 64
struct fieldlist {
	size_t n;
	bool aligned;            /* the other side has the same layout: field i faces field i */
	char text[GT_MAX_FIELDS][24];
	bool differs[GT_MAX_FIELDS];
};

struct gt_pane {
	struct app *app;
	struct gt_row *rows;
	size_t n, cap;
	struct ui_list list;
	char pat[256];
	int digits;
	int side;                /* columns of each half: the field rows wrap to it */
};

static void *gt_init(struct app *app)
{
	struct gt_pane *g = xcalloc(1, sizeof(*g));
	g->app = app;
	g->digits = 8;
	g->side = 38;
	return g;
}

static void gt_free(void *st)
{
	struct gt_pane *g = st;
	free(g->rows);
	free(g);
}

static void add_part(struct gt_pane *g, enum gt_row_kind kind, size_t i, size_t k, size_t part)
{
	struct gt_row r = {kind, i, k, part};
	VEC_PUSH(g->rows, g->n, g->cap, r);
}

static void add(struct gt_pane *g, enum gt_row_kind kind, size_t i, size_t k)
{
	add_part(g, kind, i, k, 0);
}

/* ---- register fields, side by side ---- */

static void list_fields(const struct regrec_reg *r, uint64_t value, uint64_t unknown, struct fieldlist *out)
{
	const struct regrec_layout *l = regrec_layout_of(r, value);
	out->n = 0;
	for (size_t i = 0; i < l->nfields && out->n < GT_MAX_FIELDS; i++) {
		const struct regrec_field *f = &l->fields[i];
		if (f->flags & RF_RES0)
			continue;
		char *t = out->text[out->n];
		if (unknown & mask_bits(f->hi, f->lo))
			snprintf(t, sizeof(out->text[0]), "%s:?", f->name);
		else
			snprintf(t, sizeof(out->text[0]), "%s:0x%llx", f->name,
				 (unsigned long long)bits_get(value, f->hi, f->lo));
		out->differs[out->n++] = false;
	}
}

/* The value found for logged value k (a candidate, or the partial one beside a false negative). */
static bool found_value(const struct ui_reg *u, size_t k, uint64_t *value, uint64_t *unknown)
{
	const struct ui_reg_logged *l = &u->logged[k];
	if (l->cand >= 0) {
		*value = u->cands[l->cand].value;
		*unknown = u->cands[l->cand].unknown;
		return true;
	}
	if (l->cls == UC_FN && u->has_partial) {
		*value = u->partial_value;
		*unknown = u->partial_unknown;
		return true;
	}
	return false;
}

/* Both sides of logged value k of register u; a field differs when unknown or unequal. */
static bool field_sides(const struct ui_reg *u, size_t k, struct fieldlist *left, struct fieldlist *right)
{
	uint64_t v, unk;
	list_fields(u->reg, u->logged[k].value, 0, right);
	left->n = 0;
	left->aligned = right->aligned = false;
	if (!found_value(u, k, &v, &unk))
		return false;
	list_fields(u->reg, v, unk, left);
	left->aligned = right->aligned =
		regrec_layout_of(u->reg, v) == regrec_layout_of(u->reg, u->logged[k].value) && left->n == right->n;
	for (size_t i = 0; left->aligned && i < left->n; i++)
		left->differs[i] = right->differs[i] = strcmp(left->text[i], right->text[i]) != 0;
	return true;
}

/* Column each field starts at (aligned: the wider of the two facing fields sets it), wrapping at width. */
static size_t field_rows(const struct fieldlist *a, const struct fieldlist *b, int width, size_t *row_of, int *col)
{
	size_t rows = 1;
	int x = 0;
	for (size_t i = 0; i < a->n; i++) {
		int w = (int)strlen(a->text[i]);
		if (a->aligned && i < b->n)
			w = MMU_MAX(w, (int)strlen(b->text[i]));
		if (x && x + w > width) {
			rows++;
			x = 0;
		}
		row_of[i] = rows - 1;
		col[i] = x;
		x += w + 2;
	}
	return rows;
}

/* Rows the fields of logged value k take at the current width. */
static size_t fields_height(const struct gt_pane *g, const struct ui_reg *u, size_t k)
{
	struct fieldlist l, r;
	size_t row_of[GT_MAX_FIELDS];
	int col[GT_MAX_FIELDS];
	field_sides(u, k, &l, &r);
	int width = g->side - 4;
	return MMU_MAX(field_rows(&l, &r, width, row_of, col), field_rows(&r, &l, width, row_of, col));
}

static bool any_differs(const struct ui_reg *u, size_t k)
{
	struct fieldlist l, r;
	if (!field_sides(u, k, &l, &r) || !l.aligned)
		return false;
	for (size_t i = 0; i < l.n; i++)
		if (l.differs[i])
			return true;
	return false;
}

/* "IPS ? / 0x4, NFD1 ? / 0x1": the fields found and logged differently. */
static void diff_text(const struct ui_reg *u, size_t k, char *buf, size_t len)
{
	struct fieldlist l, r;
	size_t at = 0;
	buf[0] = '\0';
	field_sides(u, k, &l, &r);
	at += (size_t)snprintf(buf, len, "   differ (found / logged):");
	for (size_t i = 0; i < l.n && at < len; i++) {
		if (!l.differs[i])
			continue;
		const char *lv = strchr(l.text[i], ':'), *rv = strchr(r.text[i], ':');
		at += (size_t)snprintf(buf + at, len - at, " %.*s %s / %s,", (int)(lv - l.text[i]), l.text[i], lv + 1,
				       rv + 1);
	}
	if (at && at < len && buf[at - 1] == ',')
		buf[at - 1] = '\0';
}

/* The rows, for the snapshot and the width; the cursor stays on its item. */
static void build_rows(struct gt_pane *g)
{
	const struct ui_snap *s = app_snap(g->app);
	uint64_t max = 0;
	struct gt_row keep = g->list.cur < g->n ? g->rows[g->list.cur] : (struct gt_row){GR_ROOT, 0, 0, 0};
	bool keeping = g->list.cur < g->n;
	g->n = 0;
	for (size_t i = 0; s->gt_ok && i < s->gt.n; i++) {
		add(g, GR_ROOT, i, 0);
		max = MMU_MAX(max, s->gt.items[i].root);
	}
	if (s->find_gt_ok && s->find_gt.n) {
		add(g, GR_FIND_HEAD, 0, 0);
		for (size_t i = 0; i < s->find_gt.n; i++)
			add(g, GR_FIND, i, 0);
		if (s->find_gt.note[0])
			add(g, GR_FIND_NOTE, 0, 0);
	}
	for (size_t r = 0; r < s->nregs; r++) {
		const struct ui_reg *u = &s->regs[r];
		if (!u->compared)
			continue;
		add(g, GR_REG_HEAD, r, 0);
		for (size_t k = 0; k < u->nlogged; k++) {
			add(g, GR_REG_LOGGED, r, k);
			for (size_t p = 0, h = fields_height(g, u, k); p < h; p++)
				add_part(g, GR_REG_FIELDS, r, k, p);
			if (any_differs(u, k))
				add(g, GR_REG_DIFF, r, k);
		}
		for (size_t c = 0; c < u->ncands; c++)
			if (u->cands[c].cls == UC_FP)
				add(g, GR_REG_FP, r, c);
	}
	g->list.n = g->n;
	g->digits = ui_addr_digits(max);
	for (size_t i = 0; keeping && i < g->n; i++)
		if (g->rows[i].kind == keep.kind && g->rows[i].i == keep.i && g->rows[i].k == keep.k &&
		    g->rows[i].part <= keep.part)
			g->list.cur = i;
	ui_list_fit(&g->list, g->list.height);
}

static void gt_sync(void *st)
{
	build_rows(st);
}

static bool found_side(enum gt_class c)
{
	return c == GT_TP || c == GT_FP;
}

static bool truth_side(enum gt_class c)
{
	return c != GT_FP;
}

/* The two halves of a root row. */
static void root_halves(const struct gt_pane *g, const struct gt_item *it, char *left, char *right, size_t len)
{
	const struct ui_snap *s = app_snap(g->app);
	const char *kind = s->nspaces > 1 ? s->space[it->space].shape.name : "";
	const char *label = ui_class_label(g->app, ui_class_of(it->cls));
	if (found_side(it->cls))
		snprintf(left, len, "0x%0*llx %-6s %s%s%s", g->digits, (unsigned long long)it->root, label, kind,
			 *kind ? " " : "", it->kernel_only ? "kernel-only" : "");
	if (truth_side(it->cls) && it->inferred)
		snprintf(right, len, "0x%0*llx %-6s %-13s %s", g->digits, (unsigned long long)it->root,
			 found_side(it->cls) ? "" : label, "inferred", it->reason ? it->reason : "");
	else if (truth_side(it->cls))
		snprintf(right, len, "0x%0*llx %-6s %6.2f-%-6.2f %s", g->digits, (unsigned long long)it->root,
			 found_side(it->cls) ? "" : label, it->first, it->last, it->reason ? it->reason : "");
}

/* The two halves of a register row; returns its class. */
static enum ui_class reg_halves(const struct gt_pane *g, const struct gt_row *r, char *left, char *right, size_t len)
{
	const struct ui_reg *u = &app_snap(g->app)->regs[r->i];
	int d = u->reg->bits > 32 ? 16 : 8;
	const struct ui_reg_logged *l = r->kind == GR_REG_LOGGED || r->kind == GR_REG_FIELDS ? &u->logged[r->k] : NULL;
	const struct ui_reg_cand *c = l && l->cand >= 0 ? &u->cands[l->cand] : NULL;
	switch (r->kind) {
	case GR_REG_HEAD:
		snprintf(left, len, "%s: %zu candidate%s", u->reg->display, u->ncands, u->ncands == 1 ? "" : "s");
		snprintf(right, len, "%s: %zu logged value%s", u->reg->name, u->nlogged, u->nlogged == 1 ? "" : "s");
		return UC_NONE;
	case GR_REG_LOGGED:
		if (c)
			/* Core's "exact" is equal on every known bit: only no unknown bit makes it the same value. */
			snprintf(left, len, "#%d 0x%0*llx %-6s %s", l->cand + 1, d, (unsigned long long)c->value,
				 ui_class_label(g->app, UC_TP),
				 !l->exact ? "key fields equal" : c->unknown ? "known bits equal" : "exact");
		else if (l->cls == UC_FN && u->has_partial)
			snprintf(left, len, "partial 0x%0*llx %u/%u fields%s", d, (unsigned long long)u->partial_value,
				 u->partial_score, u->partial_of, u->partial_agrees ? ", known bits agree" : ", differs");
		snprintf(right, len, "0x%0*llx %-6s %6.2f-%-6.2f%s", d, (unsigned long long)l->value,
			 l->found ? "" : ui_class_label(g->app, l->cls), l->first, l->last,
			 l->cls == UC_NONE ? " (earlier value)" : "");
		return l->cls;
	case GR_REG_FIELDS:
		/* Drawn field by field (draw_fields); the whole lists for '/'. */
		if (c)
			snprintf(left, len, "   %s", c->fields);
		else if (l->cls == UC_FN && u->has_partial)
			snprintf(left, len, "   %s", u->partial_fields);
		snprintf(right, len, "   %s", l->fields);
		return UC_NONE;
	case GR_REG_DIFF:
		diff_text(u, r->k, left, len);
		return UC_NONE;
	case GR_REG_FP:
		snprintf(left, len, "#%zu 0x%0*llx %-6s", r->k + 1, d, (unsigned long long)u->cands[r->k].value,
			 ui_class_label(g->app, UC_FP));
		return UC_FP;
	case GR_ROOT:
	case GR_FIND_HEAD:
	case GR_FIND:
	case GR_FIND_NOTE:
		break;
	}
	return UC_NONE;
}

/* The two halves of a finding's row (the architecture's texts, the class between). */
static enum ui_class find_halves(const struct gt_pane *g, const struct gt_row *r, char *left, char *right, size_t len)
{
	const struct finding_gt *fg = &app_snap(g->app)->find_gt;
	if (r->kind == GR_FIND_HEAD) {
		snprintf(left, len, "%s", fg->found_head);
		snprintf(right, len, "%s", fg->truth_head);
		return UC_NONE;
	}
	if (r->kind == GR_FIND_NOTE) {
		snprintf(left, len, "%s", fg->note);
		return UC_NONE;
	}
	const struct finding_gt_row *fr = &fg->v[r->i];
	enum ui_class cls = fr->classed ? ui_class_of(fr->cls) : UC_NONE;
	const char *label = ui_class_label(g->app, cls);
	if (fr->found[0])
		snprintf(left, len, "%s %-6s %s", fr->found, label, fr->found_note);
	if (fr->truth[0])
		snprintf(right, len, "%s %-6s %s", fr->truth, fr->found[0] ? "" : label, fr->truth_note);
	return cls;
}

static enum ui_class row_halves(const struct gt_pane *g, const struct gt_row *r, char *left, char *right, size_t len)
{
	const struct ui_snap *s = app_snap(g->app);
	left[0] = right[0] = '\0';
	if (r->kind == GR_FIND_HEAD || r->kind == GR_FIND || r->kind == GR_FIND_NOTE)
		return find_halves(g, r, left, right, len);
	if (r->kind != GR_ROOT)
		return reg_halves(g, r, left, right, len);
	root_halves(g, &s->gt.items[r->i], left, right, len);
	return ui_class_of(s->gt.items[r->i].cls);
}

/* One row of a value's fields on both sides; the fields that differ highlighted. */
static void draw_fields(struct gt_pane *g, WINDOW *w, int y, int half, int wd, const struct gt_row *r, attr_t a)
{
	const struct ui_reg *u = &app_snap(g->app)->regs[r->i];
	struct fieldlist side[2];
	size_t row_of[GT_MAX_FIELDS];
	int col[GT_MAX_FIELDS];
	field_sides(u, r->k, &side[0], &side[1]);
	int x0[2] = {3, half + 4}, room[2] = {half - 4, wd - half - 4};
	for (int s = 0; s < 2; s++) {
		field_rows(&side[s], &side[1 - s], g->side - 4, row_of, col);
		for (size_t i = 0; i < side[s].n; i++) {
			if (row_of[i] != r->part || col[i] >= room[s])
				continue;
			attr_t fa = side[s].differs[i] ? ui_style(g->app, ST_HIGHLIGHT) | A_BOLD : a;
			ui_put(w, y, x0[s] + col[i], room[s] - col[i], fa, side[s].text[i]);
			if (i + 1 < side[s].n && row_of[i + 1] == r->part)
				ui_put(w, y, x0[s] + col[i] + (int)strlen(side[s].text[i]),
				       room[s] - col[i] - (int)strlen(side[s].text[i]), a, ",");
		}
	}
}

static void gt_draw(void *st, WINDOW *w, int h, int wd, bool focused)
{
	struct gt_pane *g = st;
	const struct ui_snap *s = app_snap(g->app);
	char left[512], right[512];
	int half = wd / 2;
	if (half - 1 != g->side) {
		/* Field rows wrap to the width: a new width, new rows. */
		g->side = half - 1;
		build_rows(g);
	}
	if (!s->gt_loaded && !g->n) {
		ui_put(w, 0, 1, wd - 1, ui_style(g->app, ST_DIM),
		       "No ground truth loaded: start mmushell with --gtruth FILE (an emulator's register log).");
		return;
	}
	if (!g->n) {
		ui_putf(w, 0, 1, wd - 1, ui_style(g->app, ST_DIM), "Nothing to compare yet: %s", s->gt_why);
		return;
	}
	char head[2][96];
	int room = wd - half - 1;
	if (s->radix) {
		snprintf(head[0], sizeof(head[0]), "found by mmushell (%zu trees)", s->ntrees);
		snprintf(head[1], sizeof(head[1]), "ground truth: %zu roots (first-last seen, s)", s->gt.gt_roots);
		if ((int)strlen(head[1]) > room)
			snprintf(head[1], sizeof(head[1]), "ground truth: %zu roots (seen, s)", s->gt.gt_roots);
		if ((int)strlen(head[1]) > room)
			snprintf(head[1], sizeof(head[1]), "ground truth: %zu roots", s->gt.gt_roots);
	} else {
		snprintf(head[0], sizeof(head[0]), "found by mmushell");
		snprintf(head[1], sizeof(head[1]), "ground truth (first-last seen, s)");
		if ((int)strlen(head[1]) > room)
			snprintf(head[1], sizeof(head[1]), "ground truth (seen, s)");
	}
	ui_put(w, 0, 0, half - 1, ui_style(g->app, ST_HEADER), head[0]);
	ui_put(w, 0, half + 1, room, ui_style(g->app, ST_HEADER), head[1]);
	ui_list_fit(&g->list, h - 1);
	for (int row = 0; row + 1 < h && g->list.top + (size_t)row < g->n; row++) {
		size_t i = g->list.top + (size_t)row;
		const struct gt_row *r = &g->rows[i];
		bool cur = focused && i == g->list.cur;
		enum ui_class cls = row_halves(g, r, left, right, sizeof(left));
		attr_t a = ui_style(g->app, ui_class_style(cls));
		if (r->kind == GR_REG_HEAD || r->kind == GR_FIND_HEAD)
			a = ui_style(g->app, ST_TITLE);
		else if (r->kind == GR_REG_FIELDS || r->kind == GR_FIND_NOTE)
			a = ui_style(g->app, ST_DIM);
		if (cur)
			a = ui_style(g->app, ST_CURSOR) | (a & A_COLOR);
		if (cur)
			ui_fill(w, row + 1, 0, wd, a);
		if (r->kind == GR_FIND_NOTE || r->kind == GR_REG_DIFF) {
			/* A sentence, not a column. */
			ui_put(w, row + 1, 0, wd, r->kind == GR_REG_DIFF ? a | A_BOLD : a, left);
			continue;
		}
		if (r->kind == GR_REG_FIELDS) {
			mvwaddch(w, row + 1, half - 1, ACS_VLINE);
			draw_fields(g, w, row + 1, half, wd, r, a);
			continue;
		}
		ui_put(w, row + 1, 0, half - 1, a, left);
		mvwaddch(w, row + 1, half - 1, ACS_VLINE);
		ui_put(w, row + 1, half + 1, wd - half - 1, a, right);
	}
	if (s->gt.boot && g->n < (size_t)h - 1)
		ui_putf(w, (int)g->n + 1, 0, wd, ui_style(g->app, ST_DIM),
			"(boot-only roots: last seen in the first %.0f s, not counted as FN)", GTRUTH_BOOT_SECONDS);
}

/* Text with runs of spaces made one (columns do not matter on the message line). */
static void squeeze(char *s)
{
	char *o = s;
	for (const char *p = s; *p; p++)
		if (*p != ' ' || (o > s && o[-1] != ' '))
			*o++ = *p;
	while (o > s && o[-1] == ' ')
		o--;
	*o = '\0';
}

/* The selected row, whole on the message line when a half of it is cut. */
static void echo_row(struct gt_pane *g)
{
	char left[512], right[512];
	if (!g->n || g->list.cur >= g->n || g->rows[g->list.cur].kind == GR_REG_FIELDS)
		return;
	row_halves(g, &g->rows[g->list.cur], left, right, sizeof(left));
	bool whole = g->rows[g->list.cur].kind == GR_FIND_NOTE || g->rows[g->list.cur].kind == GR_REG_DIFF;
	if ((int)strlen(left) <= (whole ? 2 * g->side : g->side) && (int)strlen(right) <= g->side)
		return;
	squeeze(left);
	squeeze(right);
	app_msg(g->app, false, "%s%s%s", left, *left && *right ? " | " : "", right);
}

static bool gt_key(void *st, int key)
{
	struct gt_pane *g = st;
	const struct ui_snap *s = app_snap(g->app);
	if (key != UIK_ENTER && key != ' ') {
		if (!ui_list_key(&g->list, key))
			return false;
		echo_row(g);
		return true;
	}
	if (!g->n)
		return true;
	const struct gt_row *r = &g->rows[g->list.cur];
	if (r->kind == GR_ROOT) {
		const struct gt_item *it = &s->gt.items[r->i];
		app_open_tree(g->app, it->root, it->space, key == UIK_ENTER);
		return true;
	}
	if (r->kind == GR_FIND) {
		const struct finding_gt_row *fr = &s->find_gt.v[r->i];
		const struct finding *f = fr->has_node ? findings_find(&s->find, fr->addr, fr->size) : NULL;
		if (f)
			app_open_finding(g->app, f, key == UIK_ENTER);
		else
			app_msg(g->app, false, "nothing to open: %s",
				fr->has_node ? "not among the findings" : "no address");
		return true;
	}
	if (r->kind == GR_FIND_HEAD || r->kind == GR_FIND_NOTE) {
		app_msg(g->app, false, "nothing to open on a %s row", r->kind == GR_FIND_HEAD ? "heading" : "note");
		return true;
	}
	const struct ui_reg *u = &s->regs[r->i];
	int c = r->kind == GR_REG_FP ? (int)r->k
		: r->kind == GR_REG_LOGGED || r->kind == GR_REG_FIELDS || r->kind == GR_REG_DIFF ? u->logged[r->k].cand
		: -1;
	if (c >= 0)
		app_show_phys(g->app, u->cands[c].first_site, key == UIK_ENTER);
	else if (r->kind == GR_REG_HEAD)
		app_msg(g->app, false, "nothing to open on a heading: Enter on a value shows its code site");
	else
		app_msg(g->app, false, "no candidate matches this value: no code site to show");
	return true;
}

/* The header, the rows, and the boot-only note under them. */
static int gt_rows_wanted(void *st)
{
	struct gt_pane *g = st;
	const struct ui_snap *s = app_snap(g->app);
	return (int)MMU_MIN(g->n, 10000) + 1 + (s->gt_ok && s->gt.boot) + (g->n ? 0 : 1);
}

static void gt_title(void *st, char *buf, size_t len, int room)
{
	(void)room;
	struct gt_pane *g = st;
	const struct ui_snap *s = app_snap(g->app);
	size_t tp, fp, fn;
	ui_snap_totals(s, &tp, &fp, &fn);
	if (!g->n)
		snprintf(buf, len, "Ground truth");
	else
		snprintf(buf, len, "Ground truth: %zu TP, %zu FP, %zu FN%s", tp, fp, fn,
			 s->gt_ok && s->gt.boot ? ", boot-only below" : "");
}

static int gt_go(void *st, const char *arg, char *msg, size_t len)
{
	struct gt_pane *g = st;
	const struct ui_snap *s = app_snap(g->app);
	uint64_t addr;
	if (ui_parse_addr(arg, &addr)) {
		snprintf(msg, len, "not a hex address: \'%s\'", arg);
		return -1;
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct gt_row *r = &g->rows[i];
		if ((r->kind == GR_ROOT && s->gt.items[r->i].root == addr) ||
		    (r->kind == GR_FIND && s->find_gt.v[r->i].has_node && s->find_gt.v[r->i].addr == addr)) {
			ui_list_set(&g->list, i);
			return 0;
		}
	}
	snprintf(msg, len, "no root, IDT or hash table at 0x%llx in the comparison", (unsigned long long)addr);
	return -1;
}

static int gt_search(void *st, const char *pat, int dir, char *msg, size_t len)
{
	struct gt_pane *g = st;
	char left[512], right[512];
	if (pat)
		snprintf(g->pat, sizeof(g->pat), "%s", pat);
	for (size_t k = 1; g->n && k <= g->n; k++) {
		size_t i = (g->list.cur + (dir > 0 ? k : g->n * 2 - k)) % g->n;
		row_halves(g, &g->rows[i], left, right, sizeof(left));
		if (strcasestr(left, g->pat) || strcasestr(right, g->pat)) {
			ui_list_set(&g->list, i);
			return 0;
		}
	}
	snprintf(msg, len, "'%s' not found in the ground-truth comparison", g->pat);
	return -1;
}

static const char *const gt_help[] = {
	"Enter", "open the row in the tree view (a register value: its code site)",
	"Space", "the same, staying here",
	"g", "go to the row of a root, hash table or IDT address",
	"/ n N", "search the rows",
	NULL,
};

const struct pane_ops pane_gtruth_ops = {
	.name = "Ground truth",
	.tab = "GT",
	.init = gt_init,
	.free = gt_free,
	.sync = gt_sync,
	.draw = gt_draw,
	.key = gt_key,
	.title = gt_title,
	.rows_wanted = gt_rows_wanted,
	.go = gt_go,
	.search = gt_search,
	.help = gt_help,
	.go_prompt = "go to address (hex): ",
};
