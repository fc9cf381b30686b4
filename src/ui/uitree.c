#include "autoconfig.h"

#include "uitree.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "util.h"

void uitree_init(struct uitree *t, const struct uitree_ops *ops, void *ctx)
{
	memset(t, 0, sizeof(*t));
	t->ops = ops;
	t->ctx = ctx;
}

static void free_node(struct uitree *t, struct uitree_node *n)
{
	/* Iterative over siblings, recursive over depth: depth is bounded by the tree's levels. */
	for (size_t i = 0; i < n->nkid; i++)
		free_node(t, n->kid[i]);
	free(n->kid);
	if (t->ops->free_data)
		t->ops->free_data(t->ctx, n->data);
	free(n);
}

void uitree_clear(struct uitree *t)
{
	if (t->root)
		free_node(t, t->root);
	free(t->line);
	t->root = NULL;
	t->line = NULL;
	t->nline = t->capline = t->cur = t->top = 0;
}

static void push_line(struct uitree *t, struct uitree_node *n)
{
	VEC_PUSH(t->line, t->nline, t->capline, n);
}

static void add_visible(struct uitree *t, struct uitree_node *n)
{
	push_line(t, n);
	if (n->expanded)
		for (size_t i = 0; i < n->nkid; i++)
			add_visible(t, n->kid[i]);
}

/* Rebuilds the visible rows, keeping the cursor on the same node (or its shown ancestor). */
static void relist(struct uitree *t, struct uitree_node *keep)
{
	t->nline = 0;
	if (t->root)
		add_visible(t, t->root);
	t->cur = 0;
	for (struct uitree_node *k = keep; k; k = k->parent) {
		bool shown = true;
		for (struct uitree_node *p = k->parent; p; p = p->parent)
			shown &= p->expanded;
		if (!shown)
			continue;
		for (size_t i = 0; i < t->nline; i++)
			if (t->line[i] == k) {
				t->cur = i;
				return;
			}
	}
}

struct uitree_node *uitree_set_root(struct uitree *t, void *data, bool expandable)
{
	uitree_clear(t);
	t->root = xcalloc(1, sizeof(*t->root));
	t->root->data = data;
	t->root->expandable = expandable;
	relist(t, t->root);
	return t->root;
}

struct uitree_node *uitree_add(struct uitree *t, struct uitree_node *parent, void *data, bool expandable)
{
	(void)t;
	struct uitree_node *n = xcalloc(1, sizeof(*n));
	n->parent = parent;
	n->depth = parent->depth + 1;
	n->data = data;
	n->expandable = expandable;
	VEC_PUSH(parent->kid, parent->nkid, parent->capkid, n);
	return n;
}

struct uitree_node *uitree_cursor(const struct uitree *t)
{
	return t->nline ? t->line[t->cur] : NULL;
}

void uitree_expand(struct uitree *t, struct uitree_node *n)
{
	if (!n->expandable || n->expanded)
		return;
	if (!n->populated) {
		n->populated = true;
		t->ops->populate(t->ctx, t, n);
	}
	n->expanded = true;
	relist(t, uitree_cursor(t));
}

void uitree_collapse(struct uitree *t, struct uitree_node *n)
{
	if (!n->expanded)
		return;
	n->expanded = false;
	relist(t, uitree_cursor(t));
}

void uitree_select(struct uitree *t, struct uitree_node *n)
{
	bool changed = false;
	for (struct uitree_node *p = n->parent; p; p = p->parent)
		if (!p->expanded) {
			p->expanded = true;
			changed = true;
		}
	if (changed)
		relist(t, n);
	for (size_t i = 0; i < t->nline; i++)
		if (t->line[i] == n)
			t->cur = i;
}

static size_t sub_sat(size_t a, size_t b)
{
	return a > b ? a - b : 0;
}

enum uitree_event uitree_key(struct uitree *t, int key)
{
	struct uitree_node *n = uitree_cursor(t);
	size_t page = t->height > 1 ? (size_t)t->height - 1 : 1;
	size_t old = t->cur;
	if (!n)
		return UT_IGNORED;
	switch (key) {
	case KEY_UP:
		t->cur = sub_sat(t->cur, 1);
		break;
	case KEY_DOWN:
		t->cur++;
		break;
	case KEY_PPAGE:
		t->cur = sub_sat(t->cur, page);
		t->top = sub_sat(t->top, page);
		break;
	case KEY_NPAGE:
		t->cur += page;
		t->top += page;
		break;
	case UIK_HALF_UP:
		t->cur = sub_sat(t->cur, page / 2 ? page / 2 : 1);
		break;
	case UIK_HALF_DOWN:
		t->cur += page / 2 ? page / 2 : 1;
		break;
	case KEY_HOME:
		t->cur = 0;
		break;
	case KEY_END:
		t->cur = t->nline - 1;
		break;
	case KEY_RIGHT:
		if (n->expandable && !n->expanded) {
			uitree_expand(t, n);
			return UT_CHANGED;
		}
		if (n->expanded && n->nkid)
			t->cur++;
		break;
	case KEY_LEFT:
		if (n->expanded) {
			uitree_collapse(t, n);
			return UT_CHANGED;
		}
		if (n->parent)
			uitree_select(t, n->parent);
		break;
	case UIK_ENTER:
	case ' ':
		if (!n->expandable)
			return key == UIK_ENTER ? UT_ACTIVATE : UT_IGNORED;
		if (n->expanded)
			uitree_collapse(t, n);
		else
			uitree_expand(t, n);
		return UT_CHANGED;
	default:
		return UT_IGNORED;
	}
	if (t->cur >= t->nline)
		t->cur = t->nline - 1;
	return t->cur != old ? UT_MOVED : UT_IGNORED;
}

/* A narrow pane indents a level by one column, not two: deep rows keep their text. */
static int indent_of(int width, const struct uitree_node *n)
{
	int step = width < 60 ? 1 : 2;
	return (int)MMU_MIN(n->depth * (unsigned)step, (unsigned)width / 2);
}

int uitree_text_column(const struct uitree *t, const struct uitree_node *n)
{
	return indent_of(t->width, n) + 2;
}

void uitree_draw(struct uitree *t, WINDOW *w, int h, int width, bool focused, attr_t cursor_attr)
{
	size_t rows = h > 0 ? (size_t)h : 1;
	t->height = h;
	t->width = width;
	if (t->cur >= t->nline)
		t->cur = t->nline ? t->nline - 1 : 0;
	if (t->cur < t->top)
		t->top = t->cur;
	if (t->cur >= t->top + rows)
		t->top = t->cur - rows + 1;
	if (t->top + rows > t->nline)
		t->top = t->nline > rows ? t->nline - rows : 0;
	for (size_t r = 0; r < rows && t->top + r < t->nline; r++) {
		const struct uitree_node *n = t->line[t->top + r];
		bool cur = focused && t->top + r == t->cur;
		int indent = indent_of(width, n);
		char mark = n->expandable ? (n->expanded ? 'v' : '>') : '-';
		attr_t a = cur ? cursor_attr : A_NORMAL;
		if (cur)
			ui_fill(w, (int)r, 0, width, a);
		char head[2] = {mark, 0};
		ui_put(w, (int)r, indent, width - indent, a, head);
		if (width - indent - 2 > 0)
			t->ops->draw(t->ctx, n, w, (int)r, indent + 2, width - indent - 2, cur);
	}
}

bool uitree_search(struct uitree *t, const char *pat, int dir)
{
	char buf[512];
	if (!t->nline || !*pat)
		return false;
	for (size_t k = 1; k < t->nline; k++) {
		size_t i = dir > 0 ? t->cur + k : t->cur - k;
		if (dir > 0 ? i >= t->nline : k > t->cur)
			break;
		t->ops->text(t->ctx, t->line[i], buf, sizeof(buf));
		if (strcasestr(buf, pat)) {
			t->cur = i;
			return true;
		}
	}
	return false;
}
