/* panes: the calls one pane makes into another, through app.c. */
#ifndef MMU_UI_PANES_H
#define MMU_UI_PANES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Tree view: show the tree at root (space: tree kind) from its root table. */
void tree_pane_open(void *st, uint64_t root, unsigned space);
/* Tree view: browse a finding (findings.h) and its children. */
struct finding;
void tree_pane_open_finding(void *st, const struct finding *f);
bool tree_pane_is_open(void *st);

/* Hex view. */
void hex_pane_set_root(void *st, uint64_t root, unsigned space);
void hex_pane_show_phys(void *st, uint64_t pa);
/* false when the open tree does not map va (message in msg). */
bool hex_pane_show_virt(void *st, uint64_t va, char *msg, size_t len);
/* A page the tree shows: by its virtual address when the hex view addresses virtually. */
void hex_pane_show_page(void *st, uint64_t va, uint64_t pa);
/* The entry under the tree cursor (len 0: none); follow scrolls a physical view to pa. */
void hex_pane_highlight(void *st, uint64_t pa, uint64_t len, bool follow);

/* Log. */
void log_pane_add(void *st, int kind, const char *text);
bool log_pane_at_end(void *st);

#endif
