/*
 * ui: the full-screen explorer (ncurses).  The only part of mmushell that
 * calls ncurses; it reads core results between analysis steps and never
 * computes them (steps run on the job thread, see job.h).
 */
#ifndef MMU_UI_H
#define MMU_UI_H

#include <stdbool.h>

#include "util.h"

struct analysis;

struct ui_opts {
	bool no_color;            /* --no-color (NO_COLOR is read by ui_run) */
	const char *keys_path;    /* --keys FILE: scripted mode, no terminal needed */
	const char *dump_path;    /* --dump-screen FILE: the last screen as text, at exit */
	const char *title;        /* shown in the help header, e.g. "demo intel/ia64" */
	const char *session_default;  /* file name 's' offers */
};

/*
 * Runs the explorer on an open analysis until the user quits; on the real
 * terminal, once ui_check_terminal has accepted it.  Returns 0, or -1 with
 * a message in e (bad --keys file, no usable terminal...).
 * The terminal is restored before it returns, whatever happened.
 */
int ui_run(struct analysis *a, const struct ui_opts *o, struct err *e);

/*
 * Whether the terminal on standard output can show the explorer: 0, or -1
 * with a message in e (no terminfo entry, no cursor addressing as with
 * TERM=dumb).  Writes nothing to the terminal.
 */
int ui_check_terminal(struct err *e);

/*
 * Puts the terminal back in its normal state if the explorer holds it;
 * harmless otherwise.  For fatal_hook (util.h) and exit paths.
 */
void ui_restore_terminal(void);

/*
 * Called after the terminal is restored when the explorer crashes (SIGSEGV,
 * SIGABRT...), before the signal is re-raised: async-signal-safe code only.
 */
extern void (*ui_crash_hook)(void);

#endif
