/*
 * uitree: a collapsible tree widget (after tmux's mode-tree).  The client
 * supplies node data and three callbacks: populate a node's children on
 * first expansion (so a huge tree costs only what the user opens), draw a
 * row, and give a row's text for searching.  The widget owns the nodes,
 * the visible-row list, the cursor and scrolling.
 */
#ifndef MMU_UI_UITREE_H
#define MMU_UI_UITREE_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

struct uitree;

struct uitree_node {
	struct uitree_node *parent;
	struct uitree_node **kid;
	size_t nkid, capkid;
	unsigned depth;
	bool expandable, expanded, populated;
	void *data;              /* the client's, freed by ops->free_data */
};

struct uitree_ops {
	/* Adds n's children with uitree_add(); called once, on first expansion. */
	void (*populate)(void *ctx, struct uitree *t, struct uitree_node *n);
	/* Draws n's row after the indentation and marker, in width columns. */
	void (*draw)(void *ctx, const struct uitree_node *n, WINDOW *w, int y, int x, int width, bool cursor);
	/* The row as plain text, for '/'. */
	void (*text)(void *ctx, const struct uitree_node *n, char *buf, size_t len);
	void (*free_data)(void *ctx, void *data);
};

struct uitree {
	const struct uitree_ops *ops;
	void *ctx;
	struct uitree_node *root;
	struct uitree_node **line;   /* visible rows, in order */
	size_t nline, capline;
	size_t cur, top;
	int height;                  /* rows shown when last drawn (paging) */
	int width;                   /* columns when last drawn */
};

/* What a key did. */
enum uitree_event { UT_IGNORED, UT_MOVED, UT_CHANGED, UT_ACTIVATE };

void uitree_init(struct uitree *t, const struct uitree_ops *ops, void *ctx);
/* Frees every node (and its data). */
void uitree_clear(struct uitree *t);
struct uitree_node *uitree_set_root(struct uitree *t, void *data, bool expandable);
struct uitree_node *uitree_add(struct uitree *t, struct uitree_node *parent, void *data, bool expandable);

void uitree_expand(struct uitree *t, struct uitree_node *n);
void uitree_collapse(struct uitree *t, struct uitree_node *n);
struct uitree_node *uitree_cursor(const struct uitree *t);
/* Moves the cursor to n, expanding its ancestors. */
void uitree_select(struct uitree *t, struct uitree_node *n);

/*
 * Movement (normalised keys), Enter/Right expand, Left collapse or go to
 * the parent, Space toggles.  UT_ACTIVATE: Enter on a node that cannot expand.
 */
enum uitree_event uitree_key(struct uitree *t, int key);
void uitree_draw(struct uitree *t, WINDOW *w, int h, int width, bool focused, attr_t cursor_attr);
/* Column where n's row text starts (indentation and marker) at the last drawn width. */
int uitree_text_column(const struct uitree *t, const struct uitree_node *n);
/* Next (dir 1) or previous (-1) visible row after the cursor whose text contains pat. */
bool uitree_search(struct uitree *t, const char *pat, int dir);

#endif
