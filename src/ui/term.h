/*
 * term: owning the terminal.  Opens ncurses on the real terminal or, for
 * scripted runs, on a virtual screen of a fixed size; routes SIGWINCH,
 * SIGINT, SIGTERM and SIGHUP into a self-pipe the event loop polls; and
 * restores the terminal on every way out, including crashes (with
 * async-signal-safe writes of sequences prepared in advance).
 */
#ifndef MMU_UI_TERM_H
#define MMU_UI_TERM_H

#include <stdbool.h>

#include "util.h"

/* Whether the real terminal can show the explorer (cursor addressing); -1 with the reason. */
int term_check(struct err *e);
/*
 * Interactive: stdin/stdout must be a terminal that term_check accepted.
 * Headless: a rows x cols virtual screen.
 */
int term_open(bool headless, int rows, int cols, struct err *e);
/* Restores the terminal (idempotent); also called by ui_restore_terminal(). */
void term_close(void);
bool term_is_open(void);

/* Readable when a signal arrived; term_take_signal() returns it, or 0. */
int term_signal_fd(void);
int term_take_signal(void);
/* Readable when something wrote to stderr while the explorer holds the terminal; -1 headless. */
int term_stderr_fd(void);
/* Current size of the real terminal (false when unknown). */
bool term_size(int *rows, int *cols);

#endif
