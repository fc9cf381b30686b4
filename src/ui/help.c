/* help: the '?' overlay, built from the key tables (global, then each pane's). */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "app-int.h"

/* Every global key, in the order of the spec (doc/mmushell.1 lists the same). */
static const char *const global_help[] = {
	"Tab / S-Tab", "next / previous pane",
	"arrows, h j k l", "move",
	"PgUp PgDn", "page up / down",
	"C-u C-d", "half a page up / down",
	"Home End, g g  G", "first / last row",
	"Enter", "open / expand",
	"Space", "toggle",
	"/  n  N", "search, next / previous match",
	"g", "go to an address (hexadecimal, 0x optional)",
	":", "run a command (any batch command; output in the log)",
	"r", "run the next analysis step",
	"x", "cancel the running step (or search)",
	"t", "ground truth side by side",
	"L", "log pane",
	"c", "colours on / off ([TP] [FP] [FN] markers without)",
	"s", "save session",
	"?", "this help",
	"q", "quit (asks if a step runs or results are unsaved)",
	"C-c", "quit, after confirming",
	"C-l", "redraw the screen",
	NULL,
};

static const char *const prompt_help[] = {
	"Enter / Esc", "accept / cancel",
	"Left Right, C-a C-e", "move in the line",
	"Backspace, C-w, C-u", "delete a character, a word, the line",
	"Up Down", "command history (':')",
	"Tab", "complete a command name (':')",
	NULL,
};

struct help_line {
	const char *key, *what;   /* key NULL: a heading in 'what' */
};

static size_t collect(const struct app *app, struct help_line *out, size_t max)
{
	size_t n = 0;
#define ADD(k, w)                                                   \
	do {                                                        \
		if (n < max)                                        \
			out[n] = (struct help_line){(k), (w)};      \
		n++;                                                \
	} while (0)
	ADD(NULL, "Everywhere");
	for (size_t i = 0; global_help[i]; i += 2)
		ADD(global_help[i], global_help[i + 1]);
	for (int p = 0; p < P_COUNT; p++) {
		const char *const *h = app->pane[p].ops->help;
		if (!h || !h[0] || !layout_pane_exists(app, (enum pane_id)p))
			continue;
		ADD(NULL, app->pane[p].ops->name);
		for (size_t i = 0; h[i]; i += 2)
			ADD(h[i], h[i + 1]);
	}
	ADD(NULL, "Prompts (: g / s)");
	for (size_t i = 0; prompt_help[i]; i += 2)
		ADD(prompt_help[i], prompt_help[i + 1]);
#undef ADD
	return n;
}

void help_draw(struct app *app)
{
	struct help_line lines[200];
	size_t n = collect(app, lines, ARRAY_LEN(lines));
	if (n > ARRAY_LEN(lines))
		n = ARRAY_LEN(lines);
	int h = MMU_MIN((int)n + 4, app->rows - 2), w = MMU_MIN(92, app->cols);
	if (h < 5 || w < 20)
		return;
	int y = (app->rows - 2 - h) / 2, x = (app->cols - w) / 2;
	if (app->win_help)
		delwin(app->win_help);
	app->win_help = newwin(h, w, y, x);
	WINDOW *win = app->win_help;
	int rows = h - 4;
	app->help_rows = rows;
	if (app->help_top + (size_t)rows > n)
		app->help_top = n > (size_t)rows ? n - (size_t)rows : 0;
	werase(win);
	box(win, 0, 0);
	char title[120];
	snprintf(title, sizeof(title), " mmushell keys%s%s ", app->opts->title ? " - " : "",
		 app->opts->title ? app->opts->title : "");
	ui_put(win, 0, 2, w - 4, ui_style(app, ST_TITLE_FOCUS), title);
	for (int r = 0; r < rows && app->help_top + (size_t)r < n; r++) {
		const struct help_line *l = &lines[app->help_top + (size_t)r];
		if (!l->key)
			ui_put(win, 2 + r, 2, w - 4, ui_style(app, ST_HEADER), l->what);
		else {
			ui_put(win, 2 + r, 4, 21, ui_style(app, ST_TITLE), l->key);
			ui_put(win, 2 + r, 26, w - 28, A_NORMAL, l->what);
		}
	}
	char foot[80];
	snprintf(foot, sizeof(foot), " %zu-%zu of %zu  j k PgUp PgDn scroll, ? q Esc close ", app->help_top + 1,
		 MMU_MIN(app->help_top + (size_t)rows, n), n);
	ui_put(win, h - 1, 2, w - 4, ui_style(app, ST_DIM), foot);
	wnoutrefresh(win);
}

bool help_key(struct app *app, int key)
{
	struct help_line lines[200];
	size_t n = collect(app, lines, ARRAY_LEN(lines));
	size_t page = app->help_rows > 1 ? (size_t)app->help_rows - 1 : 1;
	switch (key) {
	case '?':
	case 'q':
	case UIK_ESC:
	case UIK_ENTER:
		app->help = false;
		return true;
	case KEY_UP:
		if (app->help_top)
			app->help_top--;
		return true;
	case KEY_DOWN:
		app->help_top++;
		return true;
	case KEY_PPAGE:
	case UIK_HALF_UP:
		app->help_top = app->help_top > page ? app->help_top - page : 0;
		return true;
	case KEY_NPAGE:
	case UIK_HALF_DOWN:
	case ' ':
		app->help_top += page;
		return true;
	case KEY_HOME:
		app->help_top = 0;
		return true;
	case KEY_END:
		app->help_top = n;
		return true;
	default:
		return true;   /* the overlay is modal */
	}
}
