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

/* A screen row of the log: a line, and a row of its wrapped text. */
struct lpos {
	size_t line, sub;
};

struct log_pane {
	struct app *app;
	struct log_line *v;
	size_t n, cap;
	size_t dropped;          /* oldest lines let go; v[0] is then the notice saying so */
	struct lpos top;         /* first row shown */
	bool follow;             /* at the end: new lines scroll into view */
	int height, width;       /* when last drawn */
	size_t match;            /* line of the last search match, or SIZE_MAX */
	char pat[256];
};

static void *log_init(struct app *app)
{
	struct log_pane *l = xcalloc(1, sizeof(*l));
	l->app = app;
	l->match = SIZE_MAX;
	l->follow = true;
	l->height = l->width = 1;
	return l;
}

static void log_free(void *st)
{
	struct log_pane *l = st;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	free(l);
}

/* Screen rows line i takes at the last drawn width. */
static size_t rows_of(const struct log_pane *l, size_t i)
{
	size_t w = l->width > 0 ? (size_t)l->width : 1;
	return l->v[i].len ? (l->v[i].len + w - 1) / w : 1;
}

static int pos_cmp(struct lpos a, struct lpos b)
{
	if (a.line != b.line)
		return a.line < b.line ? -1 : 1;
	return a.sub < b.sub ? -1 : a.sub > b.sub;
}

static void pos_back(const struct log_pane *l, struct lpos *p, size_t k)
{
	for (; k; k--) {
		if (p->sub)
			p->sub--;
		else if (p->line)
			p->sub = rows_of(l, --p->line) - 1;
		else
			return;
	}
}

static void pos_fwd(const struct log_pane *l, struct lpos *p, size_t k)
{
	for (; k; k--) {
		if (p->sub + 1 < rows_of(l, p->line))
			p->sub++;
		else if (p->line + 1 < l->n)
			*p = (struct lpos){p->line + 1, 0};
		else
			return;
	}
}

/* The first row of the last screenful: tops beyond it would leave rows empty. */
static struct lpos max_top(const struct log_pane *l)
{
	struct lpos p = {0, 0};
	size_t h = l->height > 0 ? (size_t)l->height : 1;
	if (!l->n)
		return p;
	p.line = l->n - 1;
	p.sub = rows_of(l, p.line) - 1;
	pos_back(l, &p, h - 1);
	return p;
}

bool log_pane_at_end(void *st)
{
	struct log_pane *l = st;
	return l->follow || pos_cmp(l->top, max_top(l)) >= 0;
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
	for (size_t i = first; i < first + drop; i++)
		free(l->v[i].text);
	memmove(l->v + first, l->v + first + drop, (l->n - first - drop) * sizeof(*l->v));
	l->n -= drop;
	/* The first time, the notice takes the place of one more old line. */
	l->dropped += drop + !first;
	notice_dropped(l);
	l->top = l->top.line > drop ? (struct lpos){l->top.line - drop, l->top.sub} : (struct lpos){0, 0};
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
	if (follow) {
		l->follow = true;
		l->top = max_top(l);
	}
}

static void log_draw(void *st, WINDOW *w, int h, int wd, bool focused)
{
	struct log_pane *l = st;
	static const enum ui_style kind_style[] = {ST_TITLE, ST_NORMAL, ST_ERROR, ST_DIM};
	(void)focused;
	l->height = h;
	l->width = wd;
	if (!l->n) {
		ui_put(w, 0, 1, wd - 1, ui_style(l->app, ST_DIM), "No commands yet: ':' runs one, r runs the next step.");
		return;
	}
	struct lpos mt = max_top(l);
	if (l->follow || pos_cmp(l->top, mt) > 0)
		l->top = mt;
	l->top.sub = MMU_MIN(l->top.sub, rows_of(l, l->top.line) - 1);
	int y = 0;
	for (size_t i = l->top.line; i < l->n && y < h; i++) {
		attr_t a = ui_style(l->app, kind_style[l->v[i].kind]);
		if (i == l->match)
			a = ui_style(l->app, ST_CURSOR);
		/* Wrapped, not cut: a long line takes the rows it needs. */
		size_t first = i == l->top.line ? l->top.sub : 0;
		for (size_t r = first; y < h && r < rows_of(l, i); r++, y++)
			ui_put(w, y, 0, wd, a, l->v[i].text + r * (size_t)wd);
	}
}

static bool log_key(void *st, int key)
{
	struct log_pane *l = st;
	size_t page = l->height > 1 ? (size_t)l->height - 1 : 1, half = page / 2 ? page / 2 : 1;
	struct lpos mt = max_top(l);
	switch (key) {
	case KEY_UP:
		pos_back(l, &l->top, 1);
		break;
	case KEY_DOWN:
		pos_fwd(l, &l->top, 1);
		break;
	case KEY_PPAGE:
		pos_back(l, &l->top, page);
		break;
	case KEY_NPAGE:
		pos_fwd(l, &l->top, page);
		break;
	case UIK_HALF_UP:
		pos_back(l, &l->top, half);
		break;
	case UIK_HALF_DOWN:
		pos_fwd(l, &l->top, half);
		break;
	case KEY_HOME:
		l->top = (struct lpos){0, 0};
		break;
	case KEY_END:
		l->top = mt;
		break;
	default:
		return false;
	}
	if (pos_cmp(l->top, mt) > 0)
		l->top = mt;
	l->follow = !pos_cmp(l->top, mt);
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
	size_t from = l->match != SIZE_MAX ? l->match : l->top.line;
	for (size_t k = pat && l->match == SIZE_MAX ? 0 : 1; k <= l->n; k++) {
		size_t i = dir > 0 ? from + k : from - k;
		if (dir > 0 ? i >= l->n : k > from)
			break;
		if (strcasestr(l->v[i].text, l->pat)) {
			l->match = i;
			struct lpos at = {i, 0}, mt = max_top(l);
			l->top = pos_cmp(at, mt) > 0 ? mt : at;
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
