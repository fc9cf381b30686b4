/*
 * layout: where each pane goes, the frame around them (one shared set of
 * ACS lines, junctions computed from a line map), the tab bar of small
 * terminals, the status line and the command line.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "app-int.h"
#include "job.h"

/* Smallest terminal that gets the grid; below it one pane at a time. */
#define GRID_MIN_COLS 80
#define GRID_MIN_ROWS 24
#define BAND_MIN_INNER 3
/* Below this many rows a band on average, the focused band gets twice its share. */
#define BAND_ROOMY 6

static const enum pane_id tab_order[] = {P_MAP, P_CANDS, P_REGS, P_GTRUTH, P_TREE, P_HEX, P_LOG};

struct band {
	enum pane_id id[2];
	int n;
	int weight;
};

bool layout_pane_exists(const struct app *app, enum pane_id p)
{
	if (p == P_REGS)
		return app->show_regs;
	if (p == P_CANDS || p == P_TREE)
		return app->show_trees;
	return true;
}

static bool pane_in_layout(const struct app *app, enum pane_id p)
{
	if (p == P_GTRUTH)
		return app->show_gt;
	if (p == P_LOG)
		return app->show_log;
	return layout_pane_exists(app, p);
}

enum pane_id layout_home(const struct app *app)
{
	return app->show_trees || !app->show_regs ? P_CANDS : P_REGS;
}

size_t layout_order(const struct app *app, enum pane_id *out)
{
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_LEN(tab_order); i++)
		if (pane_in_layout(app, tab_order[i]))
			out[n++] = tab_order[i];
	return n;
}

/*
 * Bands top to bottom.  An architecture without trees or findings (MIPS)
 * has no candidates or tree to show: the map sits beside the hex view and
 * the registers, its results, take the room.
 */
static int bands_of(const struct app *app, struct band *b)
{
	int n = 0;
	if (app->show_trees)
		b[n++] = (struct band){{P_MAP, P_CANDS}, 2, 4};
	else
		b[n++] = (struct band){{P_MAP, P_HEX}, 2, 4};
	if (app->show_regs)
		b[n++] = (struct band){{P_REGS, P_REGS}, 1, app->show_trees ? 3 : 6};
	if (app->show_gt)
		b[n++] = (struct band){{P_GTRUTH, P_GTRUTH}, 1, 3};
	if (app->show_trees)
		b[n++] = (struct band){{P_TREE, P_HEX}, 2, 5};
	if (app->show_log)
		b[n++] = (struct band){{P_LOG, P_LOG}, 1, 3};
	return n;
}

/*
 * Where band b's panes go across: the outer box of each (x, width; two
 * panes share the line between them).  Map narrow beside the candidates.
 * Hex: 8 bytes a row (53 columns fit 16-digit virtual addresses), 16 when
 * the terminal is wide; below 110 columns 8 bytes without their characters
 * (35 at 80 columns), so that the tree, whose rows are long, keeps what it
 * needs to show an entry's index, size, permissions and both addresses.
 */
static void band_columns(const struct app *app, const struct band *b, int x[2], int w[2])
{
	if (b->n == 1) {
		x[0] = x[1] = 0;
		w[0] = w[1] = app->cols;
		return;
	}
	int hex = app->cols >= 160 ? 80 : app->cols >= 110 ? 53 : MMU_MIN(45, 35 + (app->cols - 80) / 2);
	int split = b->id[0] == P_MAP ? MMU_MAX(26, MMU_MIN(44, app->cols / 3)) : app->cols - hex;
	x[0] = 0;
	w[0] = split + 1;
	x[1] = split;
	w[1] = app->cols - split;
}

/* Rows band b's content needs at the widths it gets (at least the minimum), or 0 when it can use any. */
static int band_wants(const struct app *app, const struct band *b)
{
	int want = 0, x[2], cols[2];
	band_columns(app, b, x, cols);
	for (int k = 0; k < b->n; k++) {
		const struct pane *p = &app->pane[b->id[k]];
		/* The pane's inner width: its box less the two lines. */
		int w = p->ops->rows_wanted ? p->ops->rows_wanted(p->st, cols[k] - 2) : 0;
		if (!w)
			return 0;
		want = MMU_MAX(want, w);
	}
	return MMU_MAX(want, BAND_MIN_INNER);
}

/* Rows inside the frame for nb bands: all but the status and command lines, less nb + 1 lines of the frame. */
static int inner_rows(const struct app *app, int nb)
{
	return app->rows - 2 - (nb + 1);
}

/* Rows so scarce that the focused band weighs double. */
static bool rows_scarce(int inner, int nb)
{
	return inner < BAND_ROOMY * nb;
}

bool layout_follows_focus(const struct app *app)
{
	struct band b[5];
	int nb = bands_of(app, b);
	return app->tabbed || rows_scarce(inner_rows(app, nb), nb);
}

/*
 * Heights: every band its minimum, then the rows left shared by weight
 * (largest remainders get the odd rows), no band beyond what its content
 * needs while another can use the rows.  When rows are scarce the focused
 * band weighs double, so the pane being read is not left with three rows.
 */
static void band_heights(const struct app *app, const struct band *b, int nb, int inner, int *h)
{
	int weight[5], want[5], pool = inner;
	bool tight = rows_scarce(inner, nb);
	for (int i = 0; i < nb; i++) {
		weight[i] = b[i].weight;
		if (tight && (b[i].id[0] == app->focus || (b[i].n == 2 && b[i].id[1] == app->focus)))
			weight[i] *= 2;
		want[i] = band_wants(app, &b[i]);
		h[i] = BAND_MIN_INNER;
		pool -= h[i];
	}
	while (pool > 0) {
		int wsum = 0, given = 0, share[5] = {0};
		long rem[5] = {0};
		for (int i = 0; i < nb; i++)
			if (!want[i] || h[i] < want[i])
				wsum += weight[i];
		if (!wsum)
			break;
		for (int i = 0; i < nb; i++) {
			if (want[i] && h[i] >= want[i])
				continue;
			share[i] = pool * weight[i] / wsum;
			rem[i] = (long)pool * weight[i] % wsum;
		}
		/* The odd rows to the largest remainders. */
		for (int left = pool - (share[0] + share[1] + share[2] + share[3] + share[4]); left > 0; left--) {
			int best = -1;
			for (int i = 0; i < nb; i++)
				if ((!want[i] || h[i] < want[i]) && (best < 0 || rem[i] > rem[best]))
					best = i;
			share[best]++;
			rem[best] = -1;
		}
		for (int i = 0; i < nb; i++) {
			int take = want[i] ? MMU_MIN(share[i], want[i] - h[i]) : share[i];
			h[i] += take;
			given += take;
		}
		pool -= given;
		if (!given)
			break;
	}
	/* Every band's content fits: the rows left go to the last band. */
	if (pool > 0 && nb)
		h[nb - 1] += pool;
}

void layout_free(struct app *app)
{
	for (int i = 0; i < P_COUNT; i++) {
		if (app->pane[i].win)
			delwin(app->pane[i].win);
		app->pane[i].win = NULL;
	}
	if (app->win_status)
		delwin(app->win_status);
	if (app->win_cmd)
		delwin(app->win_cmd);
	if (app->win_help)
		delwin(app->win_help);
	app->win_status = app->win_cmd = app->win_help = NULL;
}

static void place(struct app *app, enum pane_id id, int y, int x, int h, int w)
{
	struct pane *p = &app->pane[id];
	/* y, x, h, w: the outer box; the pane gets what is inside the lines. */
	p->y = y + 1;
	p->x = x + 1;
	p->h = h - 2;
	p->w = w - 2;
	if (p->h > 0 && p->w > 0)
		p->win = newwin(p->h, p->w, p->y, p->x);
}

static void make_line_windows(struct app *app)
{
	app->win_status = newwin(1, app->cols, app->rows - 2, 0);
	app->win_cmd = newwin(1, app->cols, app->rows - 1, 0);
	keypad(app->win_cmd, TRUE);
	nodelay(app->win_cmd, TRUE);
}

void layout_update(struct app *app)
{
	struct band b[5];
	int nb = bands_of(app, b);
	int inner = inner_rows(app, nb);

	layout_free(app);
	for (int i = 0; i < P_COUNT; i++)
		app->pane[i].shown = pane_in_layout(app, (enum pane_id)i);
	if (!app->pane[app->focus].shown)
		app->focus = layout_home(app);
	app->tabbed = app->cols < GRID_MIN_COLS || app->rows < GRID_MIN_ROWS || inner < BAND_MIN_INNER * nb;
	if (app->rows >= 3)
		make_line_windows(app);
	if (app->tabbed) {
		/* Row 0: tab bar; the focused pane's box below it. */
		if (app->rows >= 6 && app->cols >= 10)
			place(app, app->focus, 1, 0, app->rows - 3, app->cols);
		return;
	}
	int hs[5];
	band_heights(app, b, nb, inner, hs);
	int y = 0;
	for (int i = 0; i < nb; i++) {
		int x[2], w[2];
		band_columns(app, &b[i], x, w);
		for (int k = 0; k < b[i].n; k++)
			place(app, b[i].id[k], y, x[k], hs[i] + 2, w[k]);
		y += hs[i] + 1;
	}
}

/* ---- frame ------------------------------------------------------------- */

enum { LN_U = 1, LN_D = 2, LN_L = 4, LN_R = 8 };

struct linemap {
	unsigned char *m;
	int rows, cols;
};

static void lm_h(struct linemap *lm, int y, int x0, int x1)
{
	for (int x = x0; x <= x1; x++) {
		if (y < 0 || y >= lm->rows || x < 0 || x >= lm->cols)
			continue;
		unsigned char *c = &lm->m[y * lm->cols + x];
		if (x > x0)
			*c |= LN_L;
		if (x < x1)
			*c |= LN_R;
	}
}

static void lm_v(struct linemap *lm, int x, int y0, int y1)
{
	for (int y = y0; y <= y1; y++) {
		if (y < 0 || y >= lm->rows || x < 0 || x >= lm->cols)
			continue;
		unsigned char *c = &lm->m[y * lm->cols + x];
		if (y > y0)
			*c |= LN_U;
		if (y < y1)
			*c |= LN_D;
	}
}

static chtype lm_char(unsigned char m)
{
	switch (m) {
	case LN_L | LN_R:
	case LN_L:
	case LN_R:
		return ACS_HLINE;
	case LN_U | LN_D:
	case LN_U:
	case LN_D:
		return ACS_VLINE;
	case LN_D | LN_R:
		return ACS_ULCORNER;
	case LN_D | LN_L:
		return ACS_URCORNER;
	case LN_U | LN_R:
		return ACS_LLCORNER;
	case LN_U | LN_L:
		return ACS_LRCORNER;
	case LN_U | LN_D | LN_R:
		return ACS_LTEE;
	case LN_U | LN_D | LN_L:
		return ACS_RTEE;
	case LN_L | LN_R | LN_D:
		return ACS_TTEE;
	case LN_L | LN_R | LN_U:
		return ACS_BTEE;
	default:
		return ACS_PLUS;
	}
}

static void draw_box_lines(struct linemap *lm, const struct pane *p)
{
	int y0 = p->y - 1, x0 = p->x - 1, y1 = p->y + p->h, x1 = p->x + p->w;
	lm_h(lm, y0, x0, x1);
	lm_h(lm, y1, x0, x1);
	lm_v(lm, x0, y0, y1);
	lm_v(lm, x1, y0, y1);
}

static void draw_title(struct app *app, const struct pane *p, bool focused)
{
	char t[256];
	int room = p->w - 2;
	if (room < 3)
		return;
	p->ops->title(p->st, t, sizeof(t), room - 2);
	char full[260];
	snprintf(full, sizeof(full), " %s ", t);
	ui_put(stdscr, p->y - 1, p->x + 1, room, ui_style(app, focused ? ST_TITLE_FOCUS : ST_TITLE), full);
}

static const char *tab_name(const struct app *app, enum pane_id p, bool shorter)
{
	const struct pane_ops *ops = app->pane[p].ops;
	return shorter && ops->tab ? ops->tab : ops->name;
}

/* Columns the tabs first..last take, separators included. */
static int tabs_width(const struct app *app, const enum pane_id *ord, size_t first, size_t last, bool shorter)
{
	int w = 0;
	for (size_t i = first; i <= last; i++)
		w += (int)strlen(tab_name(app, ord[i], shorter)) + 2 + (i < last);
	return w;
}

/*
 * One tab per pane shown; the focused one must always be visible: full
 * names when they fit, else short ones, else a window of the tabs around
 * the focused one with < and > saying more lie beyond.
 */
static void draw_tabs(struct app *app)
{
	enum pane_id ord[P_COUNT];
	size_t n = layout_order(app, ord), focus = 0, first = 0, last;
	attr_t base = ui_style(app, ST_STATUS);
	ui_fill(stdscr, 0, 0, app->cols, base);
	if (!n)
		return;
	while (focus + 1 < n && ord[focus] != app->focus)
		focus++;
	bool shorter = tabs_width(app, ord, 0, n - 1, false) > app->cols;
	last = n - 1;
	if (tabs_width(app, ord, 0, n - 1, shorter) > app->cols) {
		/* Room for the markers; the window grows right of the focused tab, then left. */
		int room = app->cols - 2;
		first = last = focus;
		while (last + 1 < n && tabs_width(app, ord, first, last + 1, shorter) <= room)
			last++;
		while (first > 0 && tabs_width(app, ord, first - 1, last, shorter) <= room)
			first--;
	}
	int x = 0;
	if (first > 0) {
		ui_put(stdscr, 0, x, app->cols - x, base, "<");
		x++;
	}
	for (size_t i = first; i <= last && x < app->cols; i++) {
		char t[40];
		snprintf(t, sizeof(t), " %s ", tab_name(app, ord[i], shorter));
		enum ui_style s = ord[i] == app->focus ? ST_TITLE_FOCUS : ST_STATUS;
		ui_put(stdscr, 0, x, app->cols - x, ui_style(app, s), t);
		x += (int)strlen(t);
		if (i < last && x < app->cols) {
			ui_put(stdscr, 0, x, 1, base, "|");
			x++;
		}
	}
	if (last + 1 < n && x < app->cols)
		ui_put(stdscr, 0, app->cols - 1, 1, base, ">");
}

static void draw_frame(struct app *app)
{
	struct linemap lm = {xcalloc((size_t)app->rows * (size_t)app->cols, 1), app->rows, app->cols};
	for (int i = 0; i < P_COUNT; i++)
		if (app->pane[i].win)
			draw_box_lines(&lm, &app->pane[i]);
	for (int y = 0; y < lm.rows; y++)
		for (int x = 0; x < lm.cols; x++)
			if (lm.m[y * lm.cols + x])
				mvaddch(y, x, lm_char(lm.m[y * lm.cols + x]));
	free(lm.m);
	for (int i = 0; i < P_COUNT; i++)
		if (app->pane[i].win)
			draw_title(app, &app->pane[i], i == (int)app->focus);
}

/* ---- status line ------------------------------------------------------- */

static void fmt_secs(double s, char *buf, size_t len)
{
	if (s < 60)
		snprintf(buf, len, "%.0fs", s < 1 ? 1 : s);
	else if (s < 3600)
		snprintf(buf, len, "%dm%02ds", (int)s / 60, (int)s % 60);
	else
		snprintf(buf, len, "%dh%02dm", (int)s / 3600, (int)s % 3600 / 60);
}

/* The progress bar: its cells, between brackets, a space after. */
#define BAR_CELLS 20

/* The left part of the status line while a step runs. */
struct busy_line {
	char step[128];          /* what the scan reports, else the command line */
	bool bar;                /* the total is known: a bar, the fraction done */
	double done;
	char tail[256];          /* after it: "45%  12 MiB/s  eta 3s", "| running 5s", "cancelling..." */
	int tail_min;            /* columns of the tail that must show: the percentage, else all */
};

/* What a running step shows; false when none runs. */
static bool busy_line(struct app *app, struct busy_line *b)
{
	struct job_status st;
	char sz[32], eta[32];
	job_status(app->job, &st);
	if (!st.busy)
		return false;
	memset(b, 0, sizeof(*b));
	snprintf(b->step, sizeof(b->step), "%s", st.step ? st.step : st.line);
	if (st.cancelling) {
		b->tail_min = snprintf(b->tail, sizeof(b->tail), "cancelling...");
	} else if (st.total) {
		b->bar = true;
		b->done = st.done >= st.total ? 1.0 : (double)st.done / (double)st.total;
		b->tail_min = snprintf(b->tail, sizeof(b->tail), "%3.0f%%", b->done * 100);
		if (st.rate > 0)
			snprintf(b->tail + strlen(b->tail), sizeof(b->tail) - strlen(b->tail), "  %s/s",
				 fmt_size((uint64_t)st.rate, sz, sizeof(sz)));
		if (st.eta >= 0) {
			fmt_secs(st.eta, eta, sizeof(eta));
			snprintf(b->tail + strlen(b->tail), sizeof(b->tail) - strlen(b->tail), "  eta %s", eta);
		}
	} else {
		static const char spin[] = "|/-\\";
		fmt_secs(st.elapsed, eta, sizeof(eta));
		b->tail_min = snprintf(b->tail, sizeof(b->tail), "%c running %s", spin[(int)(st.elapsed * 8) % 4], eta);
	}
	return true;
}

/* Columns the left part takes (whole: all of it; else the step, the bar and the percentage). */
static int busy_width(const struct busy_line *b, bool whole)
{
	int tail = whole ? (int)strlen(b->tail) : b->tail_min;
	return 1 + (int)strlen(b->step) + 2 + (b->bar ? BAR_CELLS + 3 : 0) + tail;
}

/* Left part while a step runs: step, bar, percentage, throughput, ETA. */
static void status_busy(struct app *app, WINDOW *w, int width, const struct busy_line *b)
{
	attr_t base = ui_style(app, ST_STATUS);
	int x = 1;
	ui_putf(w, 0, x, width - x, base | A_BOLD, "%s", b->step);
	x += (int)strlen(b->step) + 2;
	if (b->bar && x + BAR_CELLS + 2 <= width) {
		int fill = (int)(b->done * BAR_CELLS);
		ui_put(w, 0, x, 1, base, "[");
		for (int i = 0; i < BAR_CELLS; i++)
			ui_put(w, 0, x + 1 + i, 1, i < fill ? ui_style(app, ST_BAR) : base, i < fill ? "#" : ".");
		ui_put(w, 0, x + 1 + BAR_CELLS, 1, base, "]");
		x += BAR_CELLS + 3;
	}
	ui_put(w, 0, x, width - x, base, b->tail);
}

/* Idle text, from the most detailed (level 0) to the shortest (3); the unsaved mark in each. */
static void idle_text(struct app *app, int level, char *buf, size_t len)
{
	const char *next = job_next_step(app->job);
	unsigned n = job_pipeline_len(app->job), done = job_pipeline_done(app->job);
	const char *unsaved = !app->dirty ? "" : level ? " [unsaved]" : "  [unsaved]";
	if (next) {
		static const char *const fmt[] = {" ready  next step: %s (r)  [%u/%u done]%s", " next step: %s (r) %u/%u%s",
						  " next: %s (r)%s", " r: %s%s"};
		if (level < 2)
			snprintf(buf, len, fmt[level], next, done, n, unsaved);
		else
			snprintf(buf, len, fmt[level], next, unsaved);
	} else if (n) {
		static const char *const fmt[] = {" ready  all %u steps done%s", " all %u steps done%s", " all done%s",
						  " done%s"};
		if (level < 2)
			snprintf(buf, len, fmt[level], n, unsaved);
		else
			snprintf(buf, len, fmt[level], unsaved);
	} else {
		snprintf(buf, len, " ready%s", unsaved);
	}
}

/* Ground-truth totals, level 0 "| gtruth: 10 TP 0 FP 0 FN", 1 "| 10 TP 0 FP 0 FN"; false without any. */
static bool gtruth_parts(const struct app *app, int level, char part[4][32])
{
	const struct ui_snap *s = &app->snap;
	bool regs = s->reg_tp + s->reg_fp + s->reg_fn > 0;
	size_t tp, fp, fn;
	if (!s->gt_ok && !regs && !s->find_gt_ok)
		return false;
	/* Roots, findings and registers together: what the analysis got right and wrong. */
	ui_snap_totals(s, &tp, &fp, &fn);
	snprintf(part[0], sizeof(part[0]), "%s", level ? "|" : "| gtruth:");
	snprintf(part[1], sizeof(part[1]), "%zu TP", tp);
	snprintf(part[2], sizeof(part[2]), "%zu FP", fp);
	snprintf(part[3], sizeof(part[3]), "%zu FN", fn);
	return true;
}

static int parts_width(char part[4][32])
{
	return (int)(strlen(part[0]) + strlen(part[1]) + strlen(part[2]) + strlen(part[3])) + 4;
}

/* Right part: the totals, coloured by class (or plain with markers); returns where it starts. */
static int status_gtruth(struct app *app, WINDOW *w, int width, int level)
{
	attr_t base = ui_style(app, ST_STATUS);
	char part[4][32];
	if (level > 1 || !gtruth_parts(app, level, part))
		return width;
	int x = width - parts_width(part);
	int start = x;
	ui_put(w, 0, x, width - x, base, part[0]);
	x += (int)strlen(part[0]) + 1;
	static const enum ui_style st[3] = {ST_TP, ST_FP, ST_FN};
	for (int i = 0; i < 3; i++) {
		attr_t a = ui_colors(app) ? ui_style(app, st[i]) | A_BOLD : base;
		ui_put(w, 0, x, width - x, a, part[i + 1]);
		x += (int)strlen(part[i + 1]) + 1;
	}
	return start;
}

static const int level_pairs[][2] = {{0, 0}, {1, 0}, {1, 1}, {2, 1}, {3, 1}, {1, 2}, {2, 2}, {3, 2}};

/* The first levels (idle text, totals) with which the left part fits beside the totals; busy: its columns. */
static bool fit_levels(struct app *app, int busy, int *idle, int *gt)
{
	char part[4][32], buf[200];
	for (size_t i = 0; i < ARRAY_LEN(level_pairs); i++) {
		int right = level_pairs[i][1] < 2 && gtruth_parts(app, level_pairs[i][1], part) ? parts_width(part) : 0;
		idle_text(app, level_pairs[i][0], buf, sizeof(buf));
		int left = busy ? busy : (int)strlen(buf);
		if (left + (right ? right + 1 : 0) <= app->cols) {
			*idle = level_pairs[i][0];
			*gt = level_pairs[i][1];
			return true;
		}
	}
	return false;
}

/*
 * The idle text (or a running step's line) and the totals share the line:
 * the most detail that fits without the two touching.  Shorter idle texts
 * first, then shorter totals, then no totals (the ground-truth pane's
 * title keeps them).  A running step's whole line first, else its bar and
 * percentage (the rate and time left cut).  busy: NULL when idle.
 */
static void choose_levels(struct app *app, const struct busy_line *busy, int *idle, int *gt)
{
	if (busy ? fit_levels(app, busy_width(busy, true), idle, gt) || fit_levels(app, busy_width(busy, false), idle, gt)
		 : fit_levels(app, 0, idle, gt))
		return;
	*idle = level_pairs[ARRAY_LEN(level_pairs) - 1][0];
	*gt = level_pairs[ARRAY_LEN(level_pairs) - 1][1];
}

static void draw_status(struct app *app)
{
	WINDOW *w = app->win_status;
	char buf[200];
	struct busy_line busy;
	int idle, gt;
	if (!w)
		return;
	werase(w);
	ui_fill(w, 0, 0, app->cols, ui_style(app, ST_STATUS));
	if (app->prompt != PR_NONE && app->msg[0]) {
		/* While a prompt has the bottom line, its messages (completions...) go here. */
		ui_put(w, 0, 1, app->cols - 1, ui_style(app, ST_STATUS), app->msg);
		wnoutrefresh(w);
		return;
	}
	bool running = busy_line(app, &busy);
	choose_levels(app, running ? &busy : NULL, &idle, &gt);
	int right = status_gtruth(app, w, app->cols, gt);
	/* One column between the left part and the totals. */
	if (running) {
		status_busy(app, w, right - 1, &busy);
	} else {
		idle_text(app, idle, buf, sizeof(buf));
		ui_put(w, 0, 0, right - 1, ui_style(app, ST_STATUS), buf);
	}
	wnoutrefresh(w);
}

static void draw_cmdline(struct app *app)
{
	WINDOW *w = app->win_cmd;
	if (!w)
		return;
	werase(w);
	if (app->prompt != PR_NONE) {
		int pl = (int)strlen(app->prompt_text);
		int room = app->cols - pl - 1;
		size_t start = 0;
		if (room < 1)
			room = 1;
		if (app->edit.pos > (size_t)room)
			start = app->edit.pos - (size_t)room;
		ui_put(w, 0, 0, app->cols, A_NORMAL, app->prompt_text);
		ui_put(w, 0, pl, room, A_NORMAL, app->edit.buf + start);
		wmove(w, 0, MMU_MIN(pl + (int)(app->edit.pos - start), app->cols - 1));
		curs_set(1);
	} else {
		if (app->msg[0])
			ui_put(w, 0, 0, app->cols, app->msg_error ? ui_style(app, ST_ERROR) : A_NORMAL, app->msg);
		else
			ui_put(w, 0, 0, app->cols, ui_style(app, ST_DIM),
			       "? help  Tab pane  r run step  : command  t ground truth  L log  q quit");
		curs_set(0);
	}
	wnoutrefresh(w);
}

void layout_draw(struct app *app)
{
	werase(stdscr);
	if (app->tabbed) {
		draw_tabs(app);
		if (!app->pane[app->focus].win && app->rows > 3)
			ui_put(stdscr, 1, 0, app->cols, A_NORMAL, "terminal too small");
	}
	draw_frame(app);
	wnoutrefresh(stdscr);
	for (int i = 0; i < P_COUNT; i++) {
		struct pane *p = &app->pane[i];
		if (!p->win)
			continue;
		werase(p->win);
		p->ops->draw(p->st, p->win, p->h, p->w, i == (int)app->focus);
		wnoutrefresh(p->win);
	}
	draw_status(app);
	if (app->help)
		help_draw(app);
	draw_cmdline(app);
	doupdate();
}
