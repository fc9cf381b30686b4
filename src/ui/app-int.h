/*
 * app-int: the explorer's own state, shared by app.c (event loop, keys,
 * prompts), layout.c (frame, status and command lines) and help.c.
 * Panes do not include this: they go through app.h.
 */
#ifndef MMU_UI_APP_INT_H
#define MMU_UI_APP_INT_H

#include <curses.h>
#include <stdbool.h>

#include "app.h"
#include "script.h"

struct analysis;
struct job;

enum prompt_kind { PR_NONE, PR_COMMAND, PR_GOTO, PR_SEARCH, PR_SAVE, PR_CONFIRM_QUIT, PR_CONFIRM_RUN };

#define EDIT_MAX 480
#define HISTORY_MAX 100

struct lineedit {
	char buf[EDIT_MAX + 1];
	size_t len, pos;
};

struct app {
	struct analysis *a;
	struct job *job;
	const struct ui_opts *opts;
	bool headless;
	struct script script;
	bool waiting_idle;       /* script: wait-idle in progress */

	bool can_color, color, colors_started;
	int rows, cols;
	struct pane pane[P_COUNT];
	enum pane_id focus;
	bool show_gt, show_log;
	bool show_regs;          /* the architecture recovers registers: their pane is shown */
	bool show_trees;         /* it has trees or findings: candidates and tree panes are shown */
	bool tabbed;             /* small terminal: one pane at a time */
	WINDOW *win_status, *win_cmd, *win_help;
	bool help;               /* '?' overlay shown */
	size_t help_top;
	int help_rows;           /* lines in the overlay, for scrolling */

	bool pending_g;          /* 'g' in a pane without addresses: a second 'g' is "first row" */
	enum prompt_kind prompt;
	struct lineedit edit;
	char *history[HISTORY_MAX];
	size_t nhistory, hist_at;
	char prompt_text[160];
	char confirm_line[EDIT_MAX + 1];  /* the command PR_CONFIRM_RUN asks about */
	enum pane_id prompt_pane;  /* pane a goto/search prompt is for */
	char last_search[EDIT_MAX + 1];
	enum pane_id search_pane;

	struct sbuf err_line;    /* stderr text not yet a whole line */
	char msg[320];
	bool msg_error;

	struct ui_snap snap;
	bool dirty;              /* results not saved (read at sync time) */
	bool quit;
	int exit_signal;         /* SIGTERM/SIGHUP that ended the run, else 0 */
	bool redraw;
};

/* layout.c */
void layout_update(struct app *app);
void layout_free(struct app *app);
void layout_draw(struct app *app);
/*
 * Whether pane p has a place on this architecture: the registers where
 * registers are recovered, the candidates and the tree where there are
 * trees or findings; the others always (t and L show or hide the ground
 * truth and the log).
 */
bool layout_pane_exists(const struct app *app, enum pane_id p);
/* Whether the focused pane decides the layout: tabbed (the one shown), or rows scarce (its band taller). */
bool layout_follows_focus(const struct app *app);
/* Panes in Tab order among those shown. */
size_t layout_order(const struct app *app, enum pane_id *out);
/* The pane focus goes back to when its pane closes: the candidates, or the registers without trees. */
enum pane_id layout_home(const struct app *app);

/* help.c */
void help_draw(struct app *app);
bool help_key(struct app *app, int key);

#endif
