/*
 * script: the explorer's scripted mode (as tig does it).  --keys FILE
 * holds one key name per line ("j", "Enter", "C-d", "S-Tab"...) plus a few
 * directives:
 *   wait-idle          wait until the running step has finished
 *   type TEXT          types TEXT, character by character
 *   resize COLSxROWS   resizes the virtual screen
 * Blank lines and lines starting with '#' are ignored.  --dump-screen FILE
 * writes the last screen as plain text (line drawing as + - |).
 */
#ifndef MMU_UI_SCRIPT_H
#define MMU_UI_SCRIPT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

enum script_op { SC_KEY, SC_WAIT_IDLE, SC_RESIZE };

struct script_item {
	enum script_op op;
	int key;             /* SC_KEY: a curses key code */
	int rows, cols;      /* SC_RESIZE */
};

struct script {
	struct script_item *v;
	size_t n, cap, next;
};

/* Reads and checks the whole file first, so a typo fails before the screen opens. */
int script_load(struct script *s, const char *path, struct err *e);
void script_free(struct script *s);

/* A key name ("Enter", "C-x", "q") to its code, or -1. */
int script_key_code(const char *name);
/* A key code to its name ("Enter", "C-x", "F5"; a printable character as itself), in buf if needed; NULL: none. */
const char *script_key_name(int code, char *buf, size_t len);

/* Writes the screen (curscr) as text, one line per row, trailing spaces removed. */
int script_dump_screen(const char *path, struct err *e);

#endif
