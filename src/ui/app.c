/*
 * app: the explorer's event loop.  One thread (this one) owns ncurses; it
 * polls the terminal, the job's wake-up pipe and the signal pipe, so a key
 * is answered at once even while a step runs.  Keys go first to a prompt
 * or the help overlay when one is open, then to the global bindings, then
 * to the focused pane.
 */
#include "autoconfig.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "app-int.h"
#include "arch.h"
#include "commands.h"
#include "draw.h"
#include "job.h"
#include "panes.h"
#include "regrec.h"
#include "snap.h"
#include "term.h"

static const struct pane_ops *const pane_table[P_COUNT] = {
	[P_MAP] = &pane_map_ops,   [P_CANDS] = &pane_cands_ops,     [P_REGS] = &pane_regs_ops,
	[P_GTRUTH] = &pane_gtruth_ops, [P_TREE] = &pane_tree_ops, [P_HEX] = &pane_hex_ops,
	[P_LOG] = &pane_log_ops,
};

/* Poll period while a step runs: the progress bar moves, keys still come at once. */
#define BUSY_REDRAW_MS 100

/* ---- services for the panes -------------------------------------------- */

struct analysis *app_analysis(struct app *app)
{
	return app->a;
}

const struct ui_snap *app_snap(const struct app *app)
{
	return &app->snap;
}

bool app_busy(const struct app *app)
{
	return job_busy(app->job);
}

attr_t ui_style(const struct app *app, enum ui_style s)
{
	return draw_style(app->color, s);
}

bool ui_colors(const struct app *app)
{
	return app->color;
}

const char *ui_class_label(const struct app *app, enum ui_class c)
{
	return draw_class_label(app->color, c);
}

void app_msg(struct app *app, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(app->msg, sizeof(app->msg), fmt, ap);
	va_end(ap);
	app->msg_error = error;
	app->redraw = true;
}

void *app_pane_state(struct app *app, enum pane_id p)
{
	return app->pane[p].st;
}

int app_pane_width(const struct app *app, enum pane_id p)
{
	return app->pane[p].win ? app->pane[p].w : 0;
}

bool app_echo_if_cut(struct app *app, enum pane_id p, const char *text, int indent, const char *echo)
{
	int width = app_pane_width(app, p);
	if (!width || indent + (int)strlen(text) <= width)
		return false;
	app_msg(app, false, "%s", echo ? echo : text);
	return true;
}

void app_focus(struct app *app, enum pane_id p)
{
	if (!app->pane[p].shown)
		return;
	/*
	 * Tabbed, the focused pane is the one shown; in a tight grid its band
	 * is the tallest.  A roomy grid keeps its windows (no full repaint).
	 */
	bool relayout = app->focus != p && layout_follows_focus(app);
	app->focus = p;
	if (relayout)
		layout_update(app);
	app->redraw = true;
}

void app_open_tree(struct app *app, uint64_t root, unsigned space, bool focus)
{
	tree_pane_open(app->pane[P_TREE].st, root, space);
	hex_pane_set_root(app->pane[P_HEX].st, root, space);
	if (focus)
		app_focus(app, P_TREE);
}

void app_open_finding(struct app *app, const struct finding *f, bool focus)
{
	tree_pane_open_finding(app->pane[P_TREE].st, f);
	if (focus)
		app_focus(app, P_TREE);
}

void app_show_phys(struct app *app, uint64_t pa, bool focus)
{
	hex_pane_show_phys(app->pane[P_HEX].st, pa);
	if (focus)
		app_focus(app, P_HEX);
}

void app_show_virt(struct app *app, uint64_t va, bool focus)
{
	char msg[160];
	if (!hex_pane_show_virt(app->pane[P_HEX].st, va, msg, sizeof(msg)))
		app_msg(app, true, "%s", msg);
	else if (focus)
		app_focus(app, P_HEX);
}

void app_highlight(struct app *app, uint64_t pa, uint64_t len, bool follow)
{
	hex_pane_highlight(app->pane[P_HEX].st, pa, len, follow);
}

void app_log(struct app *app, int kind, const char *text)
{
	log_pane_add(app->pane[P_LOG].st, kind, text);
}

/* ---- results ----------------------------------------------------------- */

static void sync_all(struct app *app)
{
	snap_build(&app->snap, app->a);
	app->dirty = app->a->dirty;
	for (int i = 0; i < P_COUNT; i++)
		if (app->pane[i].ops->sync)
			app->pane[i].ops->sync(app->pane[i].st);
	/* Bands are sized by what their panes hold: new results, new heights. */
	layout_update(app);
	app->redraw = true;
}

static void show_log(struct app *app, bool on)
{
	if (app->show_log == on)
		return;
	app->show_log = on;
	if (!on && app->focus == P_LOG)
		app->focus = layout_home(app);
	layout_update(app);
}

static void take_results(struct app *app)
{
	struct job_result r;
	for (;;) {
		unsigned done_before = job_pipeline_done(app->job);
		if (!job_take(app->job, &r))
			break;
		char tail[128];
		if (r.ok) {
			app_log(app, LOG_OUT, r.text);
		} else {
			char *m = xasprintf("%s: %s", r.name, r.cancelled ? "cancelled" : r.error);
			app_log(app, LOG_ERR, m);
			free(m);
		}
		snprintf(tail, sizeof(tail), "(%s after %.2f s)", r.ok ? "done" : "failed", r.seconds);
		app_log(app, LOG_INFO, tail);
		sync_all(app);

		const char *next = job_next_step(app->job);
		bool step = false;
		for (const char *const *p = app->a->cfg.arch->pipeline; p && *p; p++)
			step |= !strcmp(*p, r.name);
		const struct regrec_reg *reg = regrec_reg_by_set_command(regrec_ops_of(app->a), r.name);
		if (!r.ok)
			app_msg(app, !r.cancelled, "%s: %s", r.name, r.cancelled ? "cancelled" : r.error);
		else if (!step && next && job_pipeline_done(app->job) < done_before)
			/* A value in force changed under the results (set_tcr): the steps built on it run again. */
			app_msg(app, false, "%s changed: r runs %s again (what it found before is dropped)",
				reg ? reg->display : r.name, next);
		else if (step && next)
			app_msg(app, false, "%s done; next step: %s (r)", r.name, next);
		else if (step)
			app_msg(app, false, "%s done; all analysis steps ran", r.name);
		else
			app_msg(app, false, "%s: done (output in the log, L)", r.name);
		/* A ':' command's output is the point: show it; and an error too long for the message line. */
		if (!step && ((r.ok && r.text[0]) || (!r.ok && (int)strlen(app->msg) > app->cols)))
			show_log(app, true);
		job_result_free(&r);
	}
}

static void submit(struct app *app, const char *line)
{
	struct err e = {{0}};
	if (job_submit(app->job, line, &e)) {
		app_msg(app, true, "%s", e.msg);
		return;
	}
	char *m = xasprintf("> %s", line);
	app_log(app, LOG_CMD, m);
	free(m);
	app_msg(app, false, "running %s ... (x cancels)", line);
}

static void prompt_open(struct app *app, enum prompt_kind k, const char *text, const char *init);

/*
 * Running a pipeline step again replaces its results (and later steps'),
 * and cancelling it half-way leaves none: ask first.  True when it asked.
 */
static bool confirm_rerun(struct app *app, const char *line)
{
	char word[64];
	size_t n = strcspn(line, " \t");
	snprintf(word, sizeof(word), "%.*s", (int)MMU_MIN(n, sizeof(word) - 1), line);
	if (!job_step_has_results(app->job, word))
		return false;
	prompt_open(app, PR_CONFIRM_RUN, "", NULL);
	snprintf(app->confirm_line, sizeof(app->confirm_line), "%s", line);
	snprintf(app->prompt_text, sizeof(app->prompt_text), "%s already ran: run it again and drop its results? [y/N] ",
		 word);
	if ((int)strlen(app->prompt_text) >= app->cols)
		snprintf(app->prompt_text, sizeof(app->prompt_text), "%s again, dropping its results? [y/N] ", word);
	return true;
}

bool app_run(struct app *app, const char *line)
{
	if (job_busy(app->job)) {
		app_msg(app, true, "a step is running: wait for it or cancel it with x");
		return false;
	}
	if (!confirm_rerun(app, line))
		submit(app, line);
	return true;
}

/* ---- prompts ----------------------------------------------------------- */

static void prompt_open(struct app *app, enum prompt_kind k, const char *text, const char *init)
{
	app->prompt = k;
	app->prompt_pane = app->focus;
	snprintf(app->prompt_text, sizeof(app->prompt_text), "%s", text);
	snprintf(app->edit.buf, sizeof(app->edit.buf), "%s", init ? init : "");
	app->edit.len = app->edit.pos = strlen(app->edit.buf);
	app->hist_at = app->nhistory;
	app->msg[0] = '\0';
}

static void history_add(struct app *app, const char *line)
{
	if (app->nhistory && !strcmp(app->history[app->nhistory - 1], line))
		return;
	if (app->nhistory == HISTORY_MAX) {
		free(app->history[0]);
		memmove(app->history, app->history + 1, (HISTORY_MAX - 1) * sizeof(char *));
		app->nhistory--;
	}
	app->history[app->nhistory++] = xstrdup(line);
}

static void edit_set(struct lineedit *ed, const char *s)
{
	snprintf(ed->buf, sizeof(ed->buf), "%s", s);
	ed->len = ed->pos = strlen(ed->buf);
}

static void edit_insert(struct lineedit *ed, char c)
{
	if (ed->len >= EDIT_MAX)
		return;
	memmove(ed->buf + ed->pos + 1, ed->buf + ed->pos, ed->len - ed->pos + 1);
	ed->buf[ed->pos++] = c;
	ed->len++;
}

static void edit_delete(struct lineedit *ed, size_t from, size_t to)
{
	memmove(ed->buf + from, ed->buf + to, ed->len - to + 1);
	ed->len -= to - from;
	ed->pos = from;
}

/* The i-th command of the shared table then of the architecture's own, NULL after the last. */
static const struct command *command_at(const struct app *app, size_t i)
{
	const struct command *const *arch_cmds = app->a->cfg.arch->commands;
	if (i < command_table_len)
		return command_table[i];
	return arch_cmds ? arch_cmds[i - command_table_len] : NULL;
}

/* Completes the command word; when several commands fit, lists them (shown above the prompt). */
static void complete(struct app *app)
{
	struct lineedit *ed = &app->edit;
	struct sbuf names = {0};
	const char *match = NULL;
	size_t common = 0, n = 0;
	if (memchr(ed->buf, ' ', ed->pos))
		return;
	for (size_t i = 0; command_at(app, i); i++) {
		const struct command *c = command_at(app, i);
		if (strncmp(c->name, ed->buf, ed->pos))
			continue;
		if (!match) {
			match = c->name;
			common = strlen(match);
		} else {
			size_t k = 0;
			while (k < common && match[k] == c->name[k])
				k++;
			common = k;
		}
		sbuf_printf(&names, "%s%s", n ? " " : "", c->name);
		n++;
	}
	if (match) {
		char word[EDIT_MAX + 1];
		snprintf(word, sizeof(word), "%.*s%s%s", (int)common, match, n == 1 ? " " : "", ed->buf + ed->pos);
		size_t pos = common + (n == 1);
		edit_set(ed, word);
		ed->pos = MMU_MIN(pos, ed->len);
	}
	if (n > 1)
		app_msg(app, false, "%s", names.s);
	else if (!n)
		app_msg(app, true, "no command starts with '%.*s'", (int)ed->pos, ed->buf);
	sbuf_free(&names);
}

static void do_quit(struct app *app, bool ask);

static void prompt_accept(struct app *app)
{
	char line[EDIT_MAX + 1];
	enum prompt_kind k = app->prompt;
	struct pane *p = &app->pane[app->prompt_pane];
	char msg[200] = "";
	snprintf(line, sizeof(line), "%s", app->edit.buf);
	app->prompt = PR_NONE;
	char *s = line + strspn(line, " \t");
	switch (k) {
	case PR_COMMAND:
		if (!*s)
			return;
		history_add(app, s);
		if (!strcmp(s, "q") || !strcmp(s, "quit") || !strcmp(s, "exit"))
			do_quit(app, true);
		else
			app_run(app, s);
		return;
	case PR_GOTO:
		if (*s && p->ops->go && p->ops->go(p->st, s, msg, sizeof(msg)))
			app_msg(app, true, "%s", msg);
		else if (msg[0])
			app_msg(app, false, "%s", msg);
		return;
	case PR_SEARCH:
		if (!*s)
			return;
		snprintf(app->last_search, sizeof(app->last_search), "%s", s);
		app->search_pane = app->prompt_pane;
		if (p->ops->search(p->st, s, 1, msg, sizeof(msg)))
			app_msg(app, true, "%s", msg);
		else if (msg[0])
			app_msg(app, false, "%s", msg);
		return;
	case PR_SAVE: {
		if (!*s)
			return;
		struct sbuf b = {0};
		sbuf_printf(&b, "save_data \"");
		for (const char *c = s; *c; c++) {
			if (*c == '"' || *c == '\\')
				sbuf_putc(&b, '\\');
			sbuf_putc(&b, *c);
		}
		sbuf_putc(&b, '"');
		submit(app, b.s);
		sbuf_free(&b);
		return;
	}
	case PR_CONFIRM_QUIT:
	case PR_CONFIRM_RUN:
	case PR_NONE:
		return;
	}
}

static void prompt_key(struct app *app, int ch)
{
	struct lineedit *ed = &app->edit;
	if (app->prompt == PR_CONFIRM_QUIT) {
		app->prompt = PR_NONE;
		if (ch == 'y' || ch == 'Y')
			app->quit = true;
		else
			app_msg(app, false, "quit cancelled");
		return;
	}
	if (app->prompt == PR_CONFIRM_RUN) {
		app->prompt = PR_NONE;
		if (ch == 'y' || ch == 'Y')
			submit(app, app->confirm_line);
		else
			app_msg(app, false, "not run: the results stay");
		return;
	}
	switch (ch) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		prompt_accept(app);
		return;
	case 27:
	case UIK_CTRL('c'):
	case UIK_CTRL('g'):
		app->prompt = PR_NONE;
		app->msg[0] = '\0';
		return;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (!ed->len) {
			app->prompt = PR_NONE;
			app->msg[0] = '\0';
			return;
		}
		if (ed->pos)
			edit_delete(ed, ed->pos - 1, ed->pos);
		return;
	case KEY_DC:
	case UIK_CTRL('d'):
		if (ed->pos < ed->len)
			edit_delete(ed, ed->pos, ed->pos + 1);
		return;
	case KEY_LEFT:
	case UIK_CTRL('b'):
		if (ed->pos)
			ed->pos--;
		return;
	case KEY_RIGHT:
	case UIK_CTRL('f'):
		if (ed->pos < ed->len)
			ed->pos++;
		return;
	case KEY_HOME:
	case UIK_CTRL('a'):
		ed->pos = 0;
		return;
	case KEY_END:
	case UIK_CTRL('e'):
		ed->pos = ed->len;
		return;
	case UIK_CTRL('u'):
		edit_delete(ed, 0, ed->pos);
		return;
	case UIK_CTRL('w'): {
		size_t p = ed->pos;
		while (p && ed->buf[p - 1] == ' ')
			p--;
		while (p && ed->buf[p - 1] != ' ')
			p--;
		edit_delete(ed, p, ed->pos);
		return;
	}
	case KEY_UP:
		if (app->prompt == PR_COMMAND && app->hist_at > 0)
			edit_set(ed, app->history[--app->hist_at]);
		return;
	case KEY_DOWN:
		if (app->prompt == PR_COMMAND && app->hist_at < app->nhistory) {
			app->hist_at++;
			edit_set(ed, app->hist_at < app->nhistory ? app->history[app->hist_at] : "");
		}
		return;
	case '\t':
		if (app->prompt == PR_COMMAND)
			complete(app);
		return;
	default:
		break;
	}
	/* "g g" is "first row": a 'g' at the start of the goto prompt means that. */
	if (app->prompt == PR_GOTO && ch == 'g' && !ed->len) {
		struct pane *p = &app->pane[app->prompt_pane];
		app->prompt = PR_NONE;
		p->ops->key(p->st, KEY_HOME);
		return;
	}
	if (ch >= 0x20 && ch < 0x7f)
		edit_insert(ed, (char)ch);
}

/* ---- global keys ------------------------------------------------------- */

static void do_quit(struct app *app, bool ask)
{
	bool busy = job_busy(app->job);
	if (!ask || (!busy && !app->dirty)) {
		app->quit = true;
		return;
	}
	prompt_open(app, PR_CONFIRM_QUIT, "", NULL);
	if (busy) {
		struct job_status st;
		job_status(app->job, &st);
		snprintf(app->prompt_text, sizeof(app->prompt_text), "A step is running (%.40s). Quit anyway? [y/N] ",
			 st.line);
	} else {
		snprintf(app->prompt_text, sizeof(app->prompt_text), "Results are not saved%s. Quit anyway? [y/N] ",
			 command_find("save_data") ? " (s saves them)" : "");
	}
}

/* Ctrl-C (the key, or SIGINT from outside) always confirms: it may be a slip. */
static void key_interrupt(struct app *app)
{
	if (app->prompt == PR_CONFIRM_QUIT)
		return;
	do_quit(app, true);
	if (!app->quit)
		return;
	app->quit = false;
	prompt_open(app, PR_CONFIRM_QUIT, "Quit mmushell? [y/N] ", NULL);
}

static void key_quit(struct app *app)
{
	do_quit(app, true);
}

static void key_next_pane(struct app *app)
{
	enum pane_id ord[P_COUNT];
	size_t n = layout_order(app, ord), i = 0;
	while (i < n && ord[i] != app->focus)
		i++;
	app_focus(app, ord[(i + 1) % n]);
}

static void key_prev_pane(struct app *app)
{
	enum pane_id ord[P_COUNT];
	size_t n = layout_order(app, ord), i = 0;
	while (i < n && ord[i] != app->focus)
		i++;
	app_focus(app, ord[(i + n - 1) % n]);
}

static void key_command(struct app *app)
{
	prompt_open(app, PR_COMMAND, ":", NULL);
}

static void key_run(struct app *app)
{
	const char *next = job_next_step(app->job);
	if (job_busy(app->job)) {
		app_msg(app, true, "a step is running: wait for it or cancel it with x");
		return;
	}
	if (!next) {
		app_msg(app, false, job_pipeline_len(app->job) ? "all analysis steps ran; ':' runs any command"
							 : "this architecture has no analysis steps; ':' runs commands");
		return;
	}
	/* The next step has no results by construction (the position follows them); asked anyway if it had. */
	app_run(app, next);
}

static void key_cancel(struct app *app)
{
	if (job_busy(app->job)) {
		job_cancel(app->job);
		app_msg(app, false, "cancelling...");
		return;
	}
	/* Else the work a pane does across loop turns (a hex search), wherever it runs. */
	for (int i = 0; i < P_COUNT; i++)
		if (app->pane[i].ops->tick && app->pane[i].ops->key(app->pane[i].st, 'x'))
			return;
	app_msg(app, false, "nothing to cancel");
}

static void key_gtruth(struct app *app)
{
	app->show_gt = !app->show_gt;
	if (app->show_gt)
		app->focus = P_GTRUTH;
	else if (app->focus == P_GTRUTH)
		app->focus = layout_home(app);
	layout_update(app);
	if (app->show_gt && !app->a->has_gt)
		app_msg(app, false, "no ground truth loaded: start mmushell with --gtruth FILE");
}

static void key_log(struct app *app)
{
	show_log(app, !app->show_log);
	if (app->show_log) {
		app->focus = P_LOG;
		layout_update(app);
	}
}

static void key_color(struct app *app)
{
	if (!app->can_color) {
		app_msg(app, false, "this terminal has no colours: classes show as [TP] [FP] [FN]");
		return;
	}
	app->color = !app->color;
	if (app->color && !app->colors_started) {
		draw_init_colors(true);
		app->colors_started = true;
	}
	app_msg(app, false, "colours %s", app->color ? "on" : "off: classes show as [TP] [FP] [FN]");
}

static void key_save(struct app *app)
{
	if (!command_find("save_data")) {
		app_msg(app, true, "saving sessions is not available yet in this version (no save_data command)");
		return;
	}
	if (job_busy(app->job)) {
		app_msg(app, true, "a step is running: save when it has finished");
		return;
	}
	prompt_open(app, PR_SAVE, "save session to: ", app->opts->session_default);
}

static void key_help(struct app *app)
{
	app->help = true;
	app->help_top = 0;
}

static void key_search(struct app *app)
{
	struct pane *p = &app->pane[app->focus];
	if (!p->ops->search) {
		app_msg(app, true, "no search in the %s pane", p->ops->name);
		return;
	}
	prompt_open(app, PR_SEARCH, "/", NULL);
}

static void search_again(struct app *app, int dir)
{
	struct pane *p = &app->pane[app->focus];
	char msg[200] = "";
	if (!p->ops->search) {
		app_msg(app, true, "no search in the %s pane", p->ops->name);
		return;
	}
	if (!app->last_search[0]) {
		app_msg(app, true, "no previous search: / starts one");
		return;
	}
	const char *pat = app->search_pane == app->focus ? NULL : app->last_search;
	app->search_pane = app->focus;
	if (p->ops->search(p->st, pat, dir, msg, sizeof(msg)))
		app_msg(app, true, "%s", msg);
	else if (msg[0])
		app_msg(app, false, "%s", msg);
}

static void key_next_match(struct app *app)
{
	search_again(app, 1);
}

static void key_prev_match(struct app *app)
{
	search_again(app, -1);
}

static void key_goto(struct app *app)
{
	struct pane *p = &app->pane[app->focus];
	if (!p->ops->go) {
		/* No addresses here: no prompt that could only fail; 'g' only starts "g g". */
		app->pending_g = true;
		app_msg(app, false, "g: no addresses in the %s pane (g g goes to the first row)", p->ops->name);
		return;
	}
	const char *text = p->ops->go_prompt_of ? p->ops->go_prompt_of(p->st) : p->ops->go_prompt;
	prompt_open(app, PR_GOTO, text ? text : "goto: ", NULL);
}

static void key_redraw(struct app *app)
{
	clearok(curscr, TRUE);
	app->redraw = true;
}

static const struct {
	int key;
	void (*fn)(struct app *app);
} bindings[] = {
	{'\t', key_next_pane},   {UIK_BTAB, key_prev_pane}, {':', key_command},
	{'r', key_run},          {'x', key_cancel},         {'t', key_gtruth},
	{'L', key_log},          {'c', key_color},          {'s', key_save},
	{'?', key_help},         {'q', key_quit},           {UIK_CTRL('c'), key_interrupt},
	{'/', key_search},       {'n', key_next_match},     {'N', key_prev_match},
	{'g', key_goto},         {UIK_CTRL('l'), key_redraw},
};

/* Vim and less habits become the keys the panes understand. */
static int normalise(int ch)
{
	switch (ch) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		return UIK_ENTER;
	case 27:
		return UIK_ESC;
	case KEY_BTAB:
		return UIK_BTAB;
	case 'h':
		return KEY_LEFT;
	case 'j':
		return KEY_DOWN;
	case 'k':
		return KEY_UP;
	case 'l':
		return KEY_RIGHT;
	case 'G':
		return KEY_END;
	case UIK_CTRL('u'):
		return UIK_HALF_UP;
	case UIK_CTRL('d'):
		return UIK_HALF_DOWN;
	default:
		return ch;
	}
}

static bool is_movement(int k)
{
	switch (k) {
	case KEY_UP:
	case KEY_DOWN:
	case KEY_LEFT:
	case KEY_RIGHT:
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_HOME:
	case KEY_END:
	case UIK_HALF_UP:
	case UIK_HALF_DOWN:
		return true;
	default:
		return false;
	}
}

/* A key neither global nor the pane's: say so rather than nothing (movement at an edge stays quiet). */
static void key_unhandled(struct app *app, int k)
{
	char nb[16];
	const char *pane = app->pane[app->focus].ops->name;
	if (k == UIK_ESC || is_movement(k))
		return;
	/* Named as --keys files name it (Enter is '\r' there). */
	const char *name = script_key_name(k == UIK_ENTER ? '\r' : k, nb, sizeof(nb));
	app_msg(app, false, "%s: %s in the %s pane; ? lists the keys", name ? name : "that key",
		k == UIK_ENTER ? "nothing to open" : k == ' ' ? "nothing to toggle" : "no such key", pane);
}

static void handle_key(struct app *app, int ch)
{
	if (ch == KEY_RESIZE || ch == ERR)
		return;
	/* A step that just ended is over before the key decides anything. */
	take_results(app);
	app->redraw = true;
	if (app->prompt != PR_NONE) {
		prompt_key(app, ch);
		return;
	}
	int k = normalise(ch);
	if (app->help) {
		help_key(app, k);
		return;
	}
	app->msg[0] = '\0';
	struct pane *p = &app->pane[app->focus];
	if (app->pending_g) {
		app->pending_g = false;
		if (k == 'g') {
			p->ops->key(p->st, KEY_HOME);
			return;
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(bindings); i++)
		if (bindings[i].key == k) {
			bindings[i].fn(app);
			return;
		}
	if (!p->ops->key(p->st, k))
		key_unhandled(app, k);
}

/* ---- signals, resize ----------------------------------------------------- */

static void resize_to(struct app *app, int rows, int cols)
{
	resizeterm(rows, cols);
	app->rows = LINES;
	app->cols = COLS;
	layout_update(app);
	app->redraw = true;
}

static void handle_signals(struct app *app)
{
	int sig, rows, cols;
	while ((sig = term_take_signal()) != 0) {
		if (sig == SIGWINCH) {
			if (term_size(&rows, &cols))
				resize_to(app, rows, cols);
		} else if (sig == SIGINT) {
			key_interrupt(app);
			app->redraw = true;
		} else {
			app->exit_signal = sig;
			app->quit = true;
		}
	}
}

/* ---- loop ---------------------------------------------------------------- */

static bool panes_tick(struct app *app)
{
	bool more = false;
	for (int i = 0; i < P_COUNT; i++)
		if (app->pane[i].ops->tick && app->pane[i].ops->tick(app->pane[i].st)) {
			more = true;
			app->redraw = true;
		}
	return more;
}

static void wait_job(struct app *app, int ms)
{
	struct pollfd fd = {job_fd(app->job), POLLIN, 0};
	if (poll(&fd, 1, ms) < 0 && errno != EINTR)
		app->quit = true;
}

/* Scripted mode: the next key or directive, once what came before has settled. */
static void script_step(struct app *app, bool ticking)
{
	struct script *s = &app->script;
	if (ticking)
		return;
	if (app->waiting_idle || s->next >= s->n) {
		if (job_busy(app->job)) {
			wait_job(app, 50);
			return;
		}
		app->waiting_idle = false;
		if (s->next >= s->n) {
			app->quit = true;
			return;
		}
	}
	const struct script_item *it = &s->v[s->next++];
	switch (it->op) {
	case SC_KEY:
		handle_key(app, it->key);
		break;
	case SC_WAIT_IDLE:
		app->waiting_idle = true;
		break;
	case SC_RESIZE:
		resize_to(app, it->rows, it->cols);
		break;
	}
	app->redraw = true;
}

/* Diagnostics written to stderr meanwhile (--debug): into the log, whole lines. */
static void read_stderr(struct app *app)
{
	char buf[4096];
	ssize_t n;
	while ((n = read(term_stderr_fd(), buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		sbuf_append(&app->err_line, buf, (size_t)n);
	}
	char *nl = app->err_line.s ? strrchr(app->err_line.s, '\n') : NULL;
	if (!nl)
		return;
	*nl = '\0';
	app_log(app, LOG_INFO, app->err_line.s);
	char *rest = xstrdup(nl + 1);
	sbuf_reset(&app->err_line);
	sbuf_append(&app->err_line, rest, strlen(rest));
	free(rest);
	app->redraw = true;
}

static void read_keys(struct app *app)
{
	int ch;
	if (!app->win_cmd)
		return;
	while (!app->quit && (ch = wgetch(app->win_cmd)) != ERR)
		handle_key(app, ch);
}

static void loop(struct app *app)
{
	while (!app->quit) {
		take_results(app);
		bool ticking = panes_tick(app);
		if (app->redraw) {
			app->redraw = false;
			layout_draw(app);
		}
		if (app->headless) {
			script_step(app, ticking);
			continue;
		}
		struct pollfd fds[4] = {
			{STDIN_FILENO, POLLIN, 0},
			{job_fd(app->job), POLLIN, 0},
			{term_signal_fd(), POLLIN, 0},
			{term_stderr_fd(), POLLIN, 0},
		};
		bool busy = job_busy(app->job);
		int n = poll(fds, 4, ticking ? 0 : busy ? BUSY_REDRAW_MS : -1);
		if (n < 0 && errno != EINTR)
			break;
		if (busy)
			app->redraw = true;
		if (n <= 0)
			continue;
		if (fds[2].revents & POLLIN)
			handle_signals(app);
		if (fds[3].revents & POLLIN)
			read_stderr(app);
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			/* The terminal went away (ssh dropped): leave as on SIGHUP. */
			app->exit_signal = SIGHUP;
			app->quit = true;
		} else if (fds[0].revents & POLLIN) {
			read_keys(app);
		}
	}
}

/* ---- set-up -------------------------------------------------------------- */

static void app_free(struct app *app)
{
	for (int i = 0; i < P_COUNT; i++)
		if (app->pane[i].st)
			app->pane[i].ops->free(app->pane[i].st);
	layout_free(app);
	snap_free(&app->snap);
	script_free(&app->script);
	sbuf_free(&app->err_line);
	for (size_t i = 0; i < app->nhistory; i++)
		free(app->history[i]);
	free(app);
}

static void initial_size(int *rows, int *cols)
{
	const char *r = getenv("LINES"), *c = getenv("COLUMNS");
	*rows = r && atoi(r) >= 5 ? atoi(r) : 24;
	*cols = c && atoi(c) >= 10 ? atoi(c) : 80;
}

int ui_run(struct analysis *a, const struct ui_opts *o, struct err *e)
{
	struct app *app = xcalloc(1, sizeof(*app));
	int rows, cols, rc = 0;
	const char *nc = getenv("NO_COLOR");

	app->a = a;
	app->opts = o;
	app->headless = o->keys_path != NULL;
	if (app->headless && script_load(&app->script, o->keys_path, e)) {
		app_free(app);
		return -1;
	}
	initial_size(&rows, &cols);
	if (term_open(app->headless, rows, cols, e)) {
		app_free(app);
		return -1;
	}
	app->job = job_start(a, e);
	if (!app->job) {
		term_close();
		app_free(app);
		return -1;
	}
	app->can_color = has_colors();
	app->color = app->can_color && !o->no_color && !(nc && *nc);
	if (app->color) {
		draw_init_colors(true);
		app->colors_started = true;
	}
	app->rows = LINES;
	app->cols = COLS;
	for (int i = 0; i < P_COUNT; i++) {
		app->pane[i].ops = pane_table[i];
		app->pane[i].st = pane_table[i]->init(app);
	}
	app->show_gt = a->has_gt;
	app->show_regs = a->cfg.arch->regrec != NULL;
	app->show_trees = a->cfg.arch->radix != NULL || findings_ops_of(a) != NULL;
	app->focus = layout_home(app);
	sync_all(app);
	if (job_next_step(app->job))
		app_msg(app, false, "press r to run %s, ? for help", job_next_step(app->job));

	loop(app);

	if (o->dump_path) {
		/* The screen as the last key left it. */
		take_results(app);
		layout_draw(app);
		rc = script_dump_screen(o->dump_path, e);
	}
	job_stop(app->job);
	app->job = NULL;
	term_close();
	int sig = app->exit_signal;
	app_free(app);
	return rc ? rc : sig;
}

int ui_check_terminal(struct err *e)
{
	return term_check(e);
}

void ui_restore_terminal(void)
{
	term_close();
}
