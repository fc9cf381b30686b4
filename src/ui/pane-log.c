/* Log pane: every command run and its output, scrollable and searchable (L). */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "panes.h"

/* Oldest lines go beyond this: the log is a view, not an archive. */
#define LOG_MAX_LINES 50000

struct log_line {
	int kind;
	char *text;
};

struct log_pane {
	struct app *app;
	struct log_line *v;
	size_t n, cap;
	struct ui_list list;
	size_t match;            /* line of the last search match, or SIZE_MAX */
	char pat[256];
};

static void *log_init(struct app *app)
{
	struct log_pane *l = xcalloc(1, sizeof(*l));
	l->app = app;
	l->list.no_cursor = true;
	l->match = SIZE_MAX;
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

bool log_pane_at_end(void *st)
{
	struct log_pane *l = st;
	size_t rows = l->list.height > 0 ? (size_t)l->list.height : 1;
	return l->list.top + rows >= l->n;
}

static void push(struct log_pane *l, int kind, const char *s, size_t len)
{
	if (l->n == LOG_MAX_LINES) {
		size_t drop = LOG_MAX_LINES / 10;
		for (size_t i = 0; i < drop; i++)
			free(l->v[i].text);
		memmove(l->v, l->v + drop, (l->n - drop) * sizeof(*l->v));
		l->n -= drop;
		l->list.top = l->list.top > drop ? l->list.top - drop : 0;
		l->match = SIZE_MAX;
	}
	struct log_line x = {kind, xstrndup(s, len)};
	VEC_PUSH(l->v, l->n, l->cap, x);
}

void log_pane_add(void *st, int kind, const char *text)
{
	struct log_pane *l = st;
	bool follow = log_pane_at_end(l);
	const char *p = text;
	while (*p) {
		size_t k = strcspn(p, "\n");
		push(l, kind, p, k);
		p += k;
		if (*p == '\n')
			p++;
	}
	l->list.n = l->n;
	if (follow) {
		size_t rows = l->list.height > 0 ? (size_t)l->list.height : 1;
		l->list.top = l->n > rows ? l->n - rows : 0;
	}
}

static void log_draw(void *st, WINDOW *w, int h, int wd, bool focused)
{
	struct log_pane *l = st;
	static const enum ui_style kind_style[] = {ST_TITLE, ST_NORMAL, ST_ERROR, ST_DIM};
	(void)focused;
	l->list.n = l->n;
	ui_list_fit(&l->list, h);
	if (!l->n) {
		ui_put(w, 0, 1, wd - 1, ui_style(l->app, ST_DIM), "No commands yet: ':' runs one, r runs the next step.");
		return;
	}
	for (int r = 0; r < h && l->list.top + (size_t)r < l->n; r++) {
		size_t i = l->list.top + (size_t)r;
		attr_t a = ui_style(l->app, kind_style[l->v[i].kind]);
		if (i == l->match)
			a = ui_style(l->app, ST_CURSOR);
		ui_put(w, r, 0, wd, a, l->v[i].text);
	}
}

static bool log_key(void *st, int key)
{
	struct log_pane *l = st;
	l->list.n = l->n;
	return ui_list_key(&l->list, key);
}

static void log_title(void *st, char *buf, size_t len)
{
	struct log_pane *l = st;
	snprintf(buf, len, "Log (%zu lines)", l->n);
}

static int log_search(void *st, const char *pat, int dir, char *msg, size_t len)
{
	struct log_pane *l = st;
	if (pat)
		snprintf(l->pat, sizeof(l->pat), "%s", pat);
	size_t from = l->match != SIZE_MAX ? l->match : l->list.top;
	for (size_t k = pat && l->match == SIZE_MAX ? 0 : 1; k <= l->n; k++) {
		size_t i = dir > 0 ? from + k : from - k;
		if (dir > 0 ? i >= l->n : k > from)
			break;
		if (strcasestr(l->v[i].text, l->pat)) {
			l->match = i;
			ui_list_set(&l->list, i);
			return 0;
		}
	}
	snprintf(msg, len, "'%s' not found %s in the log", l->pat, dir > 0 ? "below" : "above");
	return -1;
}

static const char *const log_help[] = {
	"j k PgUp PgDn", "scroll the log",
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
