/*
 * Log pane: every command run and its output, scrollable and searchable
 * (L).  Long lines wrap at the pane's width, so nothing is cut; the log
 * scrolls by screen rows.  It keeps a bounded number of lines and says
 * what it let go: the oldest lines (a notice on the first line) and the
 * middle of an output too long to keep whole (a marker between its head
 * and its tail, so the command and its headings stay).
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "panes.h"

/* Oldest lines go beyond this: the log is a view, not an archive. */
#define LOG_MAX_LINES 50000
/* One output longer than half the log keeps its first lines and its last ones. */
#define LOG_OUTPUT_MAX (LOG_MAX_LINES / 2)
#define LOG_OUTPUT_HEAD 200

struct log_line {
	int kind;
	char *text;
	size_t len;
};

struct log_pane {
	struct app *app;
	struct log_line *v;
	size_t n, cap;
	size_t dropped;          /* oldest lines let go; v[0] is then the notice saying so */
	/*
	 * Screen rows, for scrolling by rows with ui_list: end[i] is the rows
	 * lines 0..i take at width, counted for the first 'counted' lines (the
	 * others when needed; all again when the width changes or lines go).
	 */
	size_t *end;
	size_t cap_end, counted;
	int width;               /* when last drawn */
	struct ui_list list;     /* over the rows: top is the first row shown */
	bool follow;             /* at the end: new lines scroll into view */
	size_t match;            /* line of the last search match, or SIZE_MAX */
	char pat[256];
};

static void *log_init(struct app *app)
{
	struct log_pane *l = xcalloc(1, sizeof(*l));
	l->app = app;
	l->match = SIZE_MAX;
	l->follow = true;
	l->width = 1;
	l->list.no_cursor = true;
	l->list.height = 1;
	return l;
}

static void log_free(void *st)
{
	struct log_pane *l = st;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	free(l->end);
	free(l);
}

/* Screen rows line i takes at the last drawn width. */
static size_t rows_of(const struct log_pane *l, size_t i)
{
	size_t w = l->width > 0 ? (size_t)l->width : 1;
	return l->v[i].len ? (l->v[i].len + w - 1) / w : 1;
}

/* Counts the lines not counted yet; the list then spans every row. */
static void count_rows(struct log_pane *l)
{
	if (l->counted < l->n)
		xgrow(&l->end, &l->cap_end, l->n, sizeof(*l->end));
	for (size_t i = l->counted; i < l->n; i++)
		l->end[i] = (i ? l->end[i - 1] : 0) + rows_of(l, i);
	l->counted = l->n;
	l->list.n = l->n ? l->end[l->n - 1] : 0;
}

static size_t first_row(const struct log_pane *l, size_t line)
{
	return line ? l->end[line - 1] : 0;
}

/* The line screen row r belongs to (the last line for rows beyond): the first whose rows end after r. */
static size_t line_of_row(const struct log_pane *l, size_t r)
{
	size_t lo = 0, hi = l->n ? l->n - 1 : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->end[mid] > r)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* The last row is on the screen. */
static bool last_row_shown(const struct log_pane *l)
{
	size_t h = l->list.height > 0 ? (size_t)l->list.height : 1;
	return l->list.top + h >= l->list.n;
}

/* The top row where the last screenful starts (ui_list_fit keeps tops at or before it). */
static void scroll_to_end(struct log_pane *l)
{
	l->list.top = l->list.n;
	ui_list_fit(&l->list, l->list.height);
}

bool log_pane_at_end(void *st)
{
	struct log_pane *l = st;
	count_rows(l);
	return l->follow || last_row_shown(l);
}

/* The line the top row is on, and which of its rows it is. */
static void top_pos(struct log_pane *l, size_t *line, size_t *sub)
{
	count_rows(l);
	*line = l->n ? line_of_row(l, l->list.top) : 0;
	*sub = l->n ? l->list.top - first_row(l, *line) : 0;
}

/* Counts every line again (a new width, lines gone); the top row goes to row sub of line. */
static void recount_at(struct log_pane *l, size_t line, size_t sub)
{
	l->counted = 0;
	count_rows(l);
	if (l->n)
		l->list.top = first_row(l, line) + MMU_MIN(sub, rows_of(l, line) - 1);
}

static void set_line(struct log_line *x, int kind, const char *s, size_t len)
{
	free(x->text);
	x->kind = kind;
	x->text = xstrndup(s, len);
	x->len = strlen(x->text);
}

static void notice_dropped(struct log_pane *l)
{
	char t[160];
	snprintf(t, sizeof(t), "... %zu older line%s dropped (the log keeps the last %d)", l->dropped,
		 l->dropped == 1 ? "" : "s", LOG_MAX_LINES);
	set_line(&l->v[0], LOG_INFO, t, strlen(t));
}

/* Lets the oldest tenth go, keeping (or making) the notice on the first line. */
static void drop_oldest(struct log_pane *l)
{
	/* Once lines have gone v[0] is the notice: the oldest line kept comes after it. */
	size_t first = l->dropped ? 1 : 0, drop = LOG_MAX_LINES / 10;
	/* Where the top row is, in lines, before they move. */
	size_t line, sub;
	top_pos(l, &line, &sub);
	for (size_t i = first; i < first + drop; i++)
		free(l->v[i].text);
	memmove(l->v + first, l->v + first + drop, (l->n - first - drop) * sizeof(*l->v));
	l->n -= drop;
	/* The first time, the notice takes the place of one more old line. */
	l->dropped += drop + !first;
	notice_dropped(l);
	if (line > drop)
		recount_at(l, line - drop, sub);
	else
		recount_at(l, 0, 0);
	l->match = SIZE_MAX;
}

static void push(struct log_pane *l, int kind, const char *s, size_t len)
{
	if (l->n == LOG_MAX_LINES)
		drop_oldest(l);
	struct log_line x = {kind, NULL, 0};
	set_line(&x, kind, s, len);
	VEC_PUSH(l->v, l->n, l->cap, x);
}

static size_t count_lines(const char *text)
{
	size_t n = 0;
	for (const char *p = text; *p; n++) {
		p += strcspn(p, "\n");
		if (*p == '\n')
			p++;
	}
	return n;
}

void log_pane_add(void *st, int kind, const char *text)
{
	struct log_pane *l = st;
	bool follow = log_pane_at_end(l);
	size_t total = count_lines(text), skip_from = SIZE_MAX, skip_to = 0;
	if (total > LOG_OUTPUT_MAX) {
		/* Head and tail: the command's headings and its summary both stay. */
		skip_from = LOG_OUTPUT_HEAD;
		skip_to = total - (LOG_OUTPUT_MAX - LOG_OUTPUT_HEAD);
	}
	const char *p = text;
	for (size_t i = 0; *p; i++) {
		size_t k = strcspn(p, "\n");
		if (i == skip_from) {
			char t[160];
			snprintf(t, sizeof(t), "... %zu lines of this output not kept (the log keeps %d lines)",
				 skip_to - skip_from, LOG_MAX_LINES);
			push(l, LOG_INFO, t, strlen(t));
		}
		if (i < skip_from || i >= skip_to)
			push(l, kind, p, k);
		p += k;
		if (*p == '\n')
			p++;
	}
	count_rows(l);
	if (follow) {
		l->follow = true;
		scroll_to_end(l);
	}
}

static void log_draw(void *st, WINDOW *w, int h, int wd, bool focused)
{
	struct log_pane *l = st;
	static const enum ui_style kind_style[] = {ST_TITLE, ST_NORMAL, ST_ERROR, ST_DIM};
	(void)focused;
	if (wd != l->width) {
		size_t line, sub;
		top_pos(l, &line, &sub);
		l->width = wd;
		recount_at(l, line, sub);
	}
	count_rows(l);
	l->list.height = h;
	if (!l->n) {
		ui_put(w, 0, 1, wd - 1, ui_style(l->app, ST_DIM), "No commands yet: ':' runs one, r runs the next step.");
		return;
	}
	if (l->follow)
		l->list.top = l->list.n;
	ui_list_fit(&l->list, h);
	size_t i = line_of_row(l, l->list.top), r = l->list.top - first_row(l, i);
	/* Wrapped, not cut: a long line takes the rows it needs. */
	for (int y = 0; y < h && i < l->n; y++) {
		attr_t a = ui_style(l->app, i == l->match ? ST_CURSOR : kind_style[l->v[i].kind]);
		ui_put(w, y, 0, wd, a, l->v[i].text + r * (size_t)wd);
		if (++r == rows_of(l, i)) {
			i++;
			r = 0;
		}
	}
}

static bool log_key(void *st, int key)
{
	struct log_pane *l = st;
	count_rows(l);
	if (!ui_list_key(&l->list, key))
		return false;
	l->follow = last_row_shown(l);
	return true;
}

static void log_title(void *st, char *buf, size_t len, int room)
{
	(void)room;
	struct log_pane *l = st;
	if (l->dropped)
		snprintf(buf, len, "Log (%zu lines, %zu older dropped)", l->n - 1, l->dropped);
	else
		snprintf(buf, len, "Log (%zu lines)", l->n);
}

static int log_search(void *st, const char *pat, int dir, char *msg, size_t len)
{
	struct log_pane *l = st;
	if (pat)
		snprintf(l->pat, sizeof(l->pat), "%s", pat);
	count_rows(l);
	size_t from = l->match != SIZE_MAX ? l->match : line_of_row(l, l->list.top);
	for (size_t k = pat && l->match == SIZE_MAX ? 0 : 1; k <= l->n; k++) {
		size_t i = dir > 0 ? from + k : from - k;
		if (dir > 0 ? i >= l->n : k > from)
			break;
		if (strcasestr(l->v[i].text, l->pat)) {
			l->match = i;
			ui_list_set(&l->list, first_row(l, i));
			l->follow = false;
			return 0;
		}
	}
	snprintf(msg, len, "'%s' not found %s in the log", l->pat, dir > 0 ? "below" : "above");
	return -1;
}

static const char *const log_help[] = {
	"j k PgUp PgDn", "scroll the log (long lines wrap)",
	"/ n N", "search the log",
	NULL,
};

const struct pane_ops pane_log_ops = {
	.name = "Log",
	.init = log_init,
	.free = log_free,
	.draw = log_draw,
	.key = log_key,
	.title = log_title,
	.search = log_search,
	.help = log_help,
};
