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
	size_t val;              /* GR_REG_FIELDS, GR_REG_DIFF: index into the pane's vals */
};

/* One field of a register value, as drawn: "T0SZ:0x10", "IPS:?", and where. */
struct gt_field {
	const char *name;        /* the layout's (static) */
	char text[48];
	int width;
	bool differs;            /* unknown or unequal to the field it faces (aligned sides only) */
	size_t row;              /* wrapped row at the pane's width */
	int col;
};

/*
 * A logged value of a register and the value found for it (a candidate,
 * or the partial value beside a false negative): both field lists placed
 * side by side at the pane's width, built with the rows and drawn from.
 */
struct gt_pair {
	size_t first[2], n[2];   /* [0] found, [1] logged: runs of the pane's fields */
	bool aligned;            /* one layout on both sides: field i faces field i */
	size_t rows;             /* rows the taller side takes */
	char *diff;              /* "   differ (found / logged): ...", NULL when none differs */
};

struct gt_pane {
	struct app *app;
	struct gt_row *rows;
	size_t n, cap;
	struct gt_field *fields;
	size_t nfields, capfields;
	struct gt_pair *vals;
	size_t nvals, capvals;
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

static void clear_values(struct gt_pane *g)
{
	for (size_t i = 0; i < g->nvals; i++)
		free(g->vals[i].diff);
	g->nvals = g->nfields = 0;
}

static void gt_free(void *st)
{
	struct gt_pane *g = st;
	clear_values(g);
	free(g->vals);
	free(g->fields);
	free(g->rows);
	free(g);
}

static void add_part(struct gt_pane *g, enum gt_row_kind kind, size_t i, size_t k, size_t part, size_t val)
{
	struct gt_row r = {kind, i, k, part, val};
	VEC_PUSH(g->rows, g->n, g->cap, r);
}

static void add(struct gt_pane *g, enum gt_row_kind kind, size_t i, size_t k)
{
	add_part(g, kind, i, k, 0, 0);
}

/* ---- register fields, side by side ---- */

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

static struct gt_field *side_field(const struct gt_pane *g, const struct gt_pair *x, int s, size_t i)
{
	return &g->fields[x->first[s] + i];
}

/* Rows and columns of side s (aligned: the wider of two facing fields sets the column), wrapping at width. */
static size_t place_side(struct gt_pane *g, const struct gt_pair *x, int s, int width)
{
	size_t rows = 1;
	int at = 0;
	for (size_t i = 0; i < x->n[s]; i++) {
		struct gt_field *f = side_field(g, x, s, i);
		int w = f->width;
		if (x->aligned && i < x->n[1 - s])
			w = MMU_MAX(w, side_field(g, x, 1 - s, i)->width);
		if (at && at + w > width) {
			rows++;
			at = 0;
		}
		f->row = rows - 1;
		f->col = at;
		at += w + 2;
	}
	return rows;
}

/* A field's value as its text shows it: "0x10", "?". */
static const char *value_of(const struct gt_field *f)
{
	size_t skip = strlen(f->name) + 1;
	return f->text + MMU_MIN(skip, strlen(f->text));
}

/* "   differ (found / logged): IPS ? / 0x4, NFD1 ? / 0x1", or NULL when no field differs. */
static char *diff_text(const struct gt_pane *g, const struct gt_pair *x)
{
	struct sbuf b = {0};
	size_t n = 0;
	for (size_t i = 0; x->aligned && i < x->n[0]; i++) {
		const struct gt_field *l = side_field(g, x, 0, i), *r = side_field(g, x, 1, i);
		if (!l->differs)
			continue;
		sbuf_printf(&b, "%s %s %s / %s", n++ ? "," : "   differ (found / logged):", l->name, value_of(l),
			    value_of(r));
	}
	return n ? sbuf_take(&b) : NULL;
}

/*
 * Logged value k of register u and the value found for it: their fields,
 * which differ (as regrec_score compares: a field unknown or unequal on
 * its bits), their places at the current width and the differences in a
 * sentence.  Returns the value's index in g->vals.
 */
static size_t add_value(struct gt_pane *g, const struct ui_reg *u, size_t k)
{
	struct regrec_field_val f[2][REGREC_MAX_FIELDS];
	uint64_t truth = u->logged[k].value, v = 0, unk = 0;
	bool found = found_value(u, k, &v, &unk);
	size_t n[2] = {found ? regrec_field_list(u->reg, v, unk, f[0]) : 0,
		       regrec_field_list(u->reg, truth, 0, f[1])};
	struct gt_pair x = {.aligned = found && n[0] == n[1] &&
					regrec_layout_of(u->reg, v) == regrec_layout_of(u->reg, truth)};
	for (int s = 0; s < 2; s++) {
		x.first[s] = g->nfields;
		x.n[s] = n[s];
		for (size_t i = 0; i < n[s]; i++) {
			uint64_t m = f[s][i].mask;
			struct gt_field fl = {.name = f[s][i].name};
			fl.differs = x.aligned && ((unk & m) || ((v ^ truth) & m));
			fl.width = MMU_MIN(regrec_field_text(&f[s][i], fl.text, sizeof(fl.text)), (int)sizeof(fl.text) - 1);
			VEC_PUSH(g->fields, g->nfields, g->capfields, fl);
		}
	}
	int width = g->side - 4;
	x.rows = MMU_MAX(place_side(g, &x, 0, width), place_side(g, &x, 1, width));
	x.diff = diff_text(g, &x);
	VEC_PUSH(g->vals, g->nvals, g->capvals, x);
	return g->nvals - 1;
}

/* Side s of a value as one line, for '/': "T0SZ:0x10, T1SZ:0x10, ...". */
static void side_text(const struct gt_pane *g, const struct gt_pair *x, int s, char *buf, size_t len)
{
	size_t at = (size_t)snprintf(buf, len, "%s", x->n[s] ? "   " : "");
	for (size_t i = 0; i < x->n[s] && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "", side_field(g, x, s, i)->text);
}

/* The rows, for the snapshot and the width; the cursor stays on its item. */
static void build_rows(struct gt_pane *g)
{
	const struct ui_snap *s = app_snap(g->app);
	uint64_t max = 0;
	struct gt_row keep = g->list.cur < g->n ? g->rows[g->list.cur] : (struct gt_row){GR_ROOT, 0, 0, 0, 0};
	bool keeping = g->list.cur < g->n;
	g->n = 0;
	clear_values(g);
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
			size_t v = add_value(g, u, k);
			for (size_t p = 0; p < g->vals[v].rows; p++)
				add_part(g, GR_REG_FIELDS, r, k, p, v);
			if (g->vals[v].diff)
				add_part(g, GR_REG_DIFF, r, k, 0, v);
		}
		for (size_t c = 0; c < u->ncands; c++)
			if (u->cands[c].cls == UC_FP)
				add(g, GR_REG_FP, r, c);
	}
	g->list.n = g->n;
	g->digits = ui_addr_digits(max, UI_ADDR_MIN_DIGITS);
	for (size_t i = 0; keeping && i < g->n; i++)
		if (g->rows[i].kind == keep.kind && g->rows[i].i == keep.i && g->rows[i].k == keep.k &&
		    g->rows[i].part <= keep.part)
			g->list.cur = i;
	ui_list_fit(&g->list, g->list.height);
}

/* Field rows wrap to half the pane: a new width, new rows. */
static void set_width(struct gt_pane *g, int wd)
{
	if (wd / 2 - 1 == g->side)
		return;
	g->side = wd / 2 - 1;
	build_rows(g);
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
		/* Drawn field by field (draw_fields); the whole lists for '/' (a candidate's with its notes). */
		if (c)
			snprintf(left, len, "   %s", c->fields);
		else
			side_text(g, &g->vals[r->val], 0, left, len);
		side_text(g, &g->vals[r->val], 1, right, len);
		return UC_NONE;
	case GR_REG_DIFF:
		snprintf(left, len, "%s", g->vals[r->val].diff);
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
	const struct gt_pair *x = &g->vals[r->val];
	int x0[2] = {3, half + 4}, room[2] = {half - 4, wd - half - 4};
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < x->n[s]; i++) {
			const struct gt_field *f = side_field(g, x, s, i);
			if (f->row != r->part || f->col >= room[s])
				continue;
			attr_t fa = f->differs ? ui_style(g->app, ST_HIGHLIGHT) | A_BOLD : a;
			ui_put(w, y, x0[s] + f->col, room[s] - f->col, fa, f->text);
			if (i + 1 < x->n[s] && side_field(g, x, s, i + 1)->row == r->part)
				ui_put(w, y, x0[s] + f->col + f->width, room[s] - f->col - f->width, a, ",");
		}
	}
}

static void gt_draw(void *st, WINDOW *w, int h, int wd, bool focused)
{
	struct gt_pane *g = st;
	const struct ui_snap *s = app_snap(g->app);
	char left[512], right[512];
	int half = wd / 2;
	set_width(g, wd);
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
	char left[512], right[512], l[512], r[512], echo[1100];
	if (!g->n || g->list.cur >= g->n || g->rows[g->list.cur].kind == GR_REG_FIELDS)
		return;
	row_halves(g, &g->rows[g->list.cur], left, right, sizeof(left));
	snprintf(l, sizeof(l), "%s", left);
	snprintf(r, sizeof(r), "%s", right);
	squeeze(l);
	squeeze(r);
	snprintf(echo, sizeof(echo), "%s%s%s", l, *l && *r ? " | " : "", r);
	/* As gt_draw places them: a sentence across the pane, else a half each side of the line. */
	int wd = app_pane_width(g->app, P_GTRUTH), half = wd / 2;
	if (g->rows[g->list.cur].kind == GR_FIND_NOTE || g->rows[g->list.cur].kind == GR_REG_DIFF)
		app_echo_if_cut(g->app, P_GTRUTH, left, 0, echo);
	else if (!app_echo_if_cut(g->app, P_GTRUTH, right, half + 1, echo))
		app_echo_if_cut(g->app, P_GTRUTH, left, wd - (half - 1), echo);
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

/* The header, the rows (field rows wrapped at that width), and the boot-only note under them. */
static int gt_rows_wanted(void *st, int width)
{
	struct gt_pane *g = st;
	set_width(g, width);
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
