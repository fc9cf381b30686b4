/*
 * Tree pane: one radix tree as a collapsible tree — the root table, its
 * present entries, the next-level tables they point to, down to mapped
 * pages — with flags, effective kernel/user permissions (RWXrwx) and the
 * virtual address each node covers ('v' switches to a physical view:
 * entry address and raw value).  Entries are decoded from the dump only
 * when a table is opened, through a copy of the tree's shape, so browsing
 * never waits for (or disturbs) a running step.
 *
 * Or one of the architecture's findings (findings.h: a PowerPC hash table
 * -> PTE groups -> PTEs, an Intel IDT -> gates), its children fetched
 * from the architecture when a node is opened, the same way.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "app.h"
#include "arch.h"
#include "panes.h"
#include "uitree.h"

enum tnode_kind { TN_ROOT, TN_TABLE, TN_PAGE, TN_INVALID };

/* A finding's node larger than this (a hash table's 64 KiB chunk) is not highlighted whole. */
#define FIND_HIGHLIGHT_MAX 4096

struct tnode {
	enum tnode_kind kind;
	unsigned level;          /* level of the entry (root: 0, the table itself) */
	uint32_t index;
	uint64_t entry_addr, raw;
	uint64_t target;         /* next table, or page base */
	uint64_t size;           /* page bytes */
	uint64_t prefix;         /* VA bits selected so far (not yet canonical) */
	uint64_t va;             /* canonical VA of the first byte covered */
	uint32_t acc;            /* permission accumulator handed to the children */
	int kid_digits;          /* hex digits of the children's VAs: as wide as the largest, so siblings align */
	unsigned perms;          /* page: RWXrwx */
	char flags[64];
	const char *why;         /* invalid: the rule broken */
};

struct tree_pane {
	struct app *app;
	struct uitree t;
	bool open;
	bool fmode;              /* a finding is open, not a radix tree */
	struct finding froot;    /* that finding */
	uint64_t root;
	unsigned space;
	struct radix_space sp;   /* shape copy: the walks need nothing more */
	bool physical;           /* 'v': entry addresses and raw values instead of VAs */
	int pdigits, idigits;
	char pat[256];
};

static const struct radix_ops *ops_of(struct tree_pane *p)
{
	return app_analysis(p->app)->cfg.arch->radix;
}

static void add_entry(struct tree_pane *p, struct uitree_node *parent, const struct tnode *pn, unsigned level,
		      uint64_t table, uint64_t i)
{
	const struct analysis *a = app_analysis(p->app);
	const struct radix_shape *s = &p->sp.shape;
	const struct radix_ops *ops = ops_of(p);
	uint64_t raw;
	struct pte pte;
	if (!radix_read_entry(a, &p->sp, table, i, &raw) || !raw)
		return;
	radix_decode(a, &p->sp, level, raw, &pte);
	if (pte.kind == PTE_EMPTY)
		return;
	struct tnode *n = xcalloc(1, sizeof(*n));
	n->level = level;
	n->index = (uint32_t)i;
	n->entry_addr = table + i * s->entry_size;
	n->raw = raw;
	n->target = pte.addr;
	n->size = pte.size;
	n->prefix = pn->prefix | (i << s->va_shift[level]);
	n->va = radix_va(&p->sp, n->prefix);
	n->why = pte.why;
	bool expandable = false;
	switch (pte.kind) {
	case PTE_TABLE:
		n->kind = TN_TABLE;
		n->acc = ops->descend(s, pn->acc, &pte);
		expandable = level + 1 < s->levels;
		if (!expandable) {
			n->kind = TN_INVALID;
			n->why = "table pointer at the last level";
		}
		break;
	case PTE_PAGE:
		n->kind = TN_PAGE;
		n->perms = ops->leaf_perms(s, pn->acc, &pte);
		break;
	default:
		n->kind = TN_INVALID;
		break;
	}
	if (n->kind != TN_INVALID) {
		struct sbuf b = {0};
		ops->describe(s, level + s->level_offset, &pte, &b);
		snprintf(n->flags, sizeof(n->flags), "%s", b.s ? b.s : "");
		sbuf_free(&b);
	}
	uitree_add(&p->t, parent, n, expandable);
}

static void populate(void *ctx, struct uitree *t, struct uitree_node *node)
{
	struct tree_pane *p = ctx;
	struct tnode *pn = node->data;
	unsigned level = pn->kind == TN_ROOT ? 0 : pn->level + 1;
	uint64_t table = pn->target;
	uint64_t n = radix_entries(&p->sp, level);
	(void)t;
	for (uint64_t i = level == 0 ? p->sp.shape.top_skip : 0; i < n; i++)
		add_entry(p, node, pn, level, table, i);
	pn->kid_digits = 1;
	for (size_t k = 0; k < node->nkid; k++)
		pn->kid_digits = MMU_MAX(pn->kid_digits, ui_addr_digits(((const struct tnode *)node->kid[k]->data)->va, 1));
	if (!node->nkid) {
		/* An empty table still gets a row, so Enter visibly did something. */
		struct tnode *e = xcalloc(1, sizeof(*e));
		e->kind = TN_INVALID;
		e->level = level;
		e->why = physmem_range_is_ram(&app_analysis(p->app)->pm, table, p->sp.shape.table_size[level])
			 ? "no present entry" : "table not in RAM";
		e->index = UINT32_MAX;
		uitree_add(&p->t, node, e, false);
	}
}

static enum ui_class root_class(const struct tree_pane *p)
{
	const struct ui_snap *s = app_snap(p->app);
	for (size_t i = 0; i < s->nroots; i++)
		if (s->roots[i].root == p->root && s->roots[i].space == p->space)
			return s->roots[i].cls;
	return UC_NONE;
}

/*
 * A row: index, level or page size, permissions, virtual address, then
 * what the entry points to, then its flags — the parts that matter first,
 * no padding beyond aligning siblings, so a narrow pane still shows them.
 * vd: digits of the siblings' VAs.
 */
static void node_text(struct tree_pane *p, const struct tnode *n, int vd, char *buf, size_t len)
{
	char sz[16], ps[7];
	int pd = p->pdigits, id = p->idigits;
	switch (n->kind) {
	case TN_ROOT: {
		const char *label = ui_class_label(p->app, root_class(p));
		const char *kind = p->sp.shape.name;
		snprintf(buf, len, "L0 table 0x%0*llx%s%s%s%s", pd, (unsigned long long)n->target, *kind ? " " : "", kind,
			 *label ? "  " : "", label);
		return;
	}
	case TN_TABLE:
		if (p->physical)
			snprintf(buf, len, "[%*u] @0x%0*llx = 0x%llx -> L%u 0x%0*llx", id, n->index, pd,
				 (unsigned long long)n->entry_addr, (unsigned long long)n->raw, n->level + 1, pd,
				 (unsigned long long)n->target);
		else
			snprintf(buf, len, "[%*u] L%u 0x%0*llx -> 0x%0*llx %s", id, n->index, n->level + 1, vd,
				 (unsigned long long)n->va, pd, (unsigned long long)n->target, n->flags);
		return;
	case TN_PAGE:
		ui_short_size(n->size, sz, sizeof(sz));
		perm_str(n->perms, ps);
		if (p->physical)
			snprintf(buf, len, "[%*u] @0x%0*llx = 0x%llx -> %s 0x%0*llx", id, n->index, pd,
				 (unsigned long long)n->entry_addr, (unsigned long long)n->raw, sz, pd,
				 (unsigned long long)n->target);
		else
			snprintf(buf, len, "[%*u] %s %s 0x%0*llx -> 0x%0*llx %s", id, n->index, sz, ps, vd,
				 (unsigned long long)n->va, pd, (unsigned long long)n->target, n->flags);
		return;
	case TN_INVALID:
		if (n->index == UINT32_MAX)
			snprintf(buf, len, "(%s)", n->why);
		else
			snprintf(buf, len, "[%*u] invalid 0x%llx: %s", id, n->index, (unsigned long long)n->raw,
				 n->why ? n->why : "invalid entry");
		return;
	}
}

/* Digits of a row's VA: its siblings' width, from the parent. */
static int va_digits_of(const struct uitree_node *node)
{
	return node->parent ? ((const struct tnode *)node->parent->data)->kid_digits : 1;
}

static void node_draw(void *ctx, const struct uitree_node *node, WINDOW *w, int y, int x, int width, bool cursor)
{
	struct tree_pane *p = ctx;
	const struct tnode *n = node->data;
	char buf[300];
	attr_t a = A_NORMAL;
	node_text(p, n, va_digits_of(node), buf, sizeof(buf));
	if (n->kind == TN_ROOT)
		a = ui_style(p->app, ui_class_style(root_class(p))) | A_BOLD;
	else if (n->kind == TN_INVALID)
		a = ui_style(p->app, n->index == UINT32_MAX ? ST_DIM : ST_ERROR);
	else if (n->kind == TN_TABLE)
		a = A_BOLD;
	if (cursor)
		a = ui_style(p->app, ST_CURSOR) | (a & A_COLOR);
	ui_put(w, y, x, width, a, buf);
}

static void node_plain(void *ctx, const struct uitree_node *node, char *buf, size_t len)
{
	node_text(ctx, node->data, va_digits_of(node), buf, len);
}

static void node_free(void *ctx, void *data)
{
	(void)ctx;
	free(data);
}

static const struct uitree_ops tree_ops = {
	.populate = populate,
	.draw = node_draw,
	.text = node_plain,
	.free_data = node_free,
};

/* ---- a finding's tree ---- */

static struct uitree_node *fadd(struct tree_pane *p, struct uitree_node *parent, const struct finding *f)
{
	struct finding *k = xmalloc(sizeof(*k));
	*k = *f;
	return uitree_add(&p->t, parent, k, k->expandable);
}

static void fpopulate(void *ctx, struct uitree *t, struct uitree_node *node)
{
	struct tree_pane *p = ctx;
	struct finding_list kids = {0};
	(void)t;
	/* Children read the dump, the configuration and the snapshot's context only: safe while a step runs. */
	findings_children(app_analysis(p->app), &app_snap(p->app)->find, node->data, &kids);
	if (!kids.n)
		finding_add(&kids, "(nothing here)");
	for (size_t i = 0; i < kids.n; i++)
		fadd(p, node, &kids.v[i]);
	finding_list_free(&kids);
}

/* The open finding as the snapshot has it now (its class and evidence change when a step runs), or NULL. */
static const struct finding *froot_now(const struct tree_pane *p)
{
	return findings_find(&app_snap(p->app)->find, p->froot.addr, p->froot.size);
}

static enum ui_class froot_class(const struct tree_pane *p)
{
	const struct finding *f = froot_now(p);
	return f && f->classed ? ui_class_of(f->cls) : UC_NONE;
}

static void fnode_text(const struct tree_pane *p, const struct uitree_node *node, char *buf, size_t len)
{
	const struct finding *f = node->data;
	if (node->parent) {
		snprintf(buf, len, "%s", f->text);
		return;
	}
	const struct finding *now = froot_now(p);
	const char *label = ui_class_label(p->app, froot_class(p)), *note = now ? now->note : f->note;
	snprintf(buf, len, "%s%s%s%s%s", f->text, *label ? "  " : "", label, *note ? "  " : "", note);
}

static void fnode_draw(void *ctx, const struct uitree_node *node, WINDOW *w, int y, int x, int width, bool cursor)
{
	struct tree_pane *p = ctx;
	const struct finding *f = node->data;
	char buf[300];
	attr_t a = A_NORMAL;
	fnode_text(p, node, buf, sizeof(buf));
	if (!node->parent)
		a = ui_style(p->app, ui_class_style(froot_class(p))) | A_BOLD;
	else if (f->expandable)
		a = A_BOLD;
	else if (!f->size && !f->has_page)
		a = ui_style(p->app, ST_DIM);   /* a row that only says why there is nothing */
	if (cursor)
		a = ui_style(p->app, ST_CURSOR) | (a & A_COLOR);
	ui_put(w, y, x, width, a, buf);
}

static void fnode_plain(void *ctx, const struct uitree_node *node, char *buf, size_t len)
{
	fnode_text(ctx, node, buf, len);
}

static const struct uitree_ops find_ops = {
	.populate = fpopulate,
	.draw = fnode_draw,
	.text = fnode_plain,
	.free_data = node_free,
};

static void *tree_init(struct app *app)
{
	struct tree_pane *p = xcalloc(1, sizeof(*p));
	p->app = app;
	uitree_init(&p->t, &tree_ops, p);
	return p;
}

static void tree_free(void *st)
{
	struct tree_pane *p = st;
	uitree_clear(&p->t);
	free(p);
}

/* Tables live in RAM: its end sets the width of physical addresses. */
static uint64_t max_phys(const struct analysis *a)
{
	return a->pm.ram.n ? a->pm.ram.v[a->pm.ram.n - 1].last : 0;
}

/* Follows the cursor: the hex view highlights the entry (or shows the root table). */
static void publish(struct tree_pane *p)
{
	struct uitree_node *c = uitree_cursor(&p->t);
	if (!c)
		return;
	if (p->fmode) {
		const struct finding *f = c->data;
		/* A table or a chunk of one would light the whole view: show where it starts instead. */
		if (!c->parent || f->size)
			app_highlight(p->app, f->addr, c->parent && f->size <= FIND_HIGHLIGHT_MAX ? f->size : 0, true);
		return;
	}
	const struct tnode *n = c->data;
	if (n->kind == TN_ROOT)
		app_highlight(p->app, n->target, 0, true);
	else if (n->index != UINT32_MAX)
		app_highlight(p->app, n->entry_addr, p->sp.shape.entry_size, true);
}

/* The cursor's row, whole on the message line when the pane cuts it (deep rows of a narrow pane). */
static void echo_row(struct tree_pane *p)
{
	struct uitree_node *c = uitree_cursor(&p->t);
	char buf[300];
	if (!c)
		return;
	p->t.ops->text(p, c, buf, sizeof(buf));
	app_echo_if_cut(p->app, P_TREE, buf, uitree_text_column(&p->t, c), NULL);
}

void tree_pane_open(void *st, uint64_t root, unsigned space)
{
	struct tree_pane *p = st;
	const struct ui_snap *s = app_snap(p->app);
	const struct analysis *a = app_analysis(p->app);
	if (space >= s->nspaces) {
		app_msg(p->app, true, "no tree shapes yet: run the scan first (r)");
		return;
	}
	uitree_clear(&p->t);
	uitree_init(&p->t, &tree_ops, p);
	p->fmode = false;
	p->open = true;
	p->root = root;
	p->space = space;
	memset(&p->sp, 0, sizeof(p->sp));
	p->sp.shape = s->space[space].shape;
	p->pdigits = ui_addr_digits(max_phys(a), UI_ADDR_MIN_DIGITS);
	uint64_t n = 0;
	for (unsigned k = 0; k < p->sp.shape.levels; k++)
		n = MMU_MAX(n, radix_entries(&p->sp, k));
	p->idigits = n > 1000 ? 4 : n > 100 ? 3 : 2;
	struct tnode *r = xcalloc(1, sizeof(*r));
	r->kind = TN_ROOT;
	r->target = root;
	r->acc = ops_of(p)->root_attr;
	struct uitree_node *rn = uitree_set_root(&p->t, r, true);
	uitree_expand(&p->t, rn);
	publish(p);
}

void tree_pane_open_finding(void *st, const struct finding *f)
{
	struct tree_pane *p = st;
	uitree_clear(&p->t);
	uitree_init(&p->t, &find_ops, p);
	p->fmode = true;
	p->open = true;
	p->froot = *f;
	p->pdigits = ui_addr_digits(max_phys(app_analysis(p->app)), UI_ADDR_MIN_DIGITS);
	struct finding *r = xmalloc(sizeof(*r));
	*r = *f;
	struct uitree_node *rn = uitree_set_root(&p->t, r, r->expandable);
	uitree_expand(&p->t, rn);
	publish(p);
	/* A finding's first row carries its class and note: often longer than the pane. */
	echo_row(p);
}

bool tree_pane_is_open(void *st)
{
	return ((struct tree_pane *)st)->open;
}

static void tree_sync(void *st)
{
	struct tree_pane *p = st;
	const struct ui_snap *s = app_snap(p->app);
	if (!p->open || p->fmode)
		return;
	/* The tables were dropped (a register value in force gave other shapes): the tree is no more. */
	if (p->space >= s->nspaces) {
		uitree_clear(&p->t);
		p->open = false;
		return;
	}
	/* A new scan may have new shapes (ARM: recovered TTBCR/TCR): reopen on them. */
	if (memcmp(&p->sp.shape, &s->space[p->space].shape, sizeof(p->sp.shape)))
		tree_pane_open(p, p->root, p->space);
}

static void tree_draw(void *st, WINDOW *w, int h, int wd, bool focused)
{
	struct tree_pane *p = st;
	const struct ui_snap *s = app_snap(p->app);
	if (!p->open) {
		if (!s->radix && s->has_findings && s->find.ops)
			ui_putf(w, 0, 1, wd - 1, ui_style(p->app, ST_DIM), "No %s open: Enter on a candidate opens one.",
				s->find.ops->one);
		else
			ui_put(w, 0, 1, wd - 1, ui_style(p->app, ST_DIM),
			       s->radix ? "No tree open: Enter on a candidate opens one."
					: "No page-table trees on this architecture (:help lists its commands).");
		return;
	}
	uitree_draw(&p->t, w, h, wd, focused, ui_style(p->app, ST_CURSOR));
}

/* Enter on a leaf: a PTE shows its page; anything else with bytes, those bytes. */
static void factivate(struct tree_pane *p)
{
	const struct finding *f = uitree_cursor(&p->t)->data;
	if (f->has_page)
		app_show_phys(p->app, f->page, true);
	else if (f->size)
		app_show_phys(p->app, f->addr, true);
}

static void activate(struct tree_pane *p)
{
	if (p->fmode) {
		factivate(p);
		return;
	}
	const struct tnode *n = uitree_cursor(&p->t)->data;
	if (n->kind == TN_PAGE) {
		hex_pane_show_page(app_pane_state(p->app, P_HEX), n->va, n->target);
		app_focus(p->app, P_HEX);
	} else if (n->kind == TN_INVALID) {
		app_msg(p->app, true, "%s", n->why ? n->why : "invalid entry");
	}
}

static bool tree_key(void *st, int key)
{
	struct tree_pane *p = st;
	if (!p->open)
		return false;
	if (key == 'v' && p->fmode) {
		app_msg(p->app, false, "no virtual view here: these rows are at physical addresses");
		return true;
	}
	if (key == 'v') {
		p->physical = !p->physical;
		app_msg(p->app, false, "tree view: %s", p->physical ? "entry addresses and raw values" : "virtual addresses");
		return true;
	}
	switch (uitree_key(&p->t, key)) {
	case UT_IGNORED:
		return false;
	case UT_ACTIVATE:
		activate(p);
		return true;
	case UT_MOVED:
	case UT_CHANGED:
		publish(p);
		echo_row(p);
		return true;
	}
	return true;
}

static void tree_title(void *st, char *buf, size_t len, int room)
{
	struct tree_pane *p = st;
	const struct findings_ops *ops = app_snap(p->app)->find.ops;
	if (!p->open)
		snprintf(buf, len, "Tree");
	else if (p->fmode) {
		snprintf(buf, len, "Tree: %s 0x%0*llx%s", ops ? ops->one : "finding", p->pdigits,
			 (unsigned long long)p->froot.addr, p->froot.ghost ? " (in the ground truth only)" : "");
		if ((int)strlen(buf) > room)
			snprintf(buf, len, "Tree: %s 0x%llx%s", ops ? ops->one : "finding", (unsigned long long)p->froot.addr,
				 p->froot.ghost ? " (gtruth only)" : "");
	}
	else
		snprintf(buf, len, "Tree: 0x%0*llx%s%s%s", p->pdigits, (unsigned long long)p->root,
			 *p->sp.shape.name ? " " : "", p->sp.shape.name, p->physical ? " (physical)" : "");
}

static struct uitree_node *child_at(struct uitree_node *n, uint64_t index)
{
	for (size_t i = 0; i < n->nkid; i++)
		if (((const struct tnode *)n->kid[i]->data)->index == index)
			return n->kid[i];
	return NULL;
}

/* 'g' ADDR on a finding: opens the nodes whose bytes hold the physical address ADDR, down to the smallest. */
static int fgo(struct tree_pane *p, uint64_t pa, char *msg, size_t len)
{
	struct uitree_node *n = p->t.root;
	const struct finding *f = n->data;
	if (pa < f->addr || pa - f->addr >= MMU_MAX(f->size, 1)) {
		snprintf(msg, len, "0x%llx is not in this %s", (unsigned long long)pa,
			 p->froot.ghost ? "ghost" : "finding");
		return -1;
	}
	/* Depth is the architecture's (table, group, entry): a few steps. */
	for (bool deeper = true; deeper;) {
		deeper = false;
		uitree_expand(&p->t, n);
		for (size_t i = 0; i < n->nkid; i++) {
			const struct finding *k = n->kid[i]->data;
			if (k->size && pa >= k->addr && pa - k->addr < k->size) {
				n = n->kid[i];
				deeper = n->expandable;
				break;
			}
		}
	}
	uitree_select(&p->t, n);
	publish(p);
	snprintf(msg, len, "0x%llx: %s", (unsigned long long)pa, ((const struct finding *)n->data)->text);
	return 0;
}

/* 'g' VADDR: opens the tables of its walk and puts the cursor on the last entry reached. */
static int tree_go(void *st, const char *arg, char *msg, size_t len)
{
	struct tree_pane *p = st;
	struct radix_walk w;
	uint64_t va;
	char ps[7];
	if (!p->open) {
		snprintf(msg, len, "no tree open");
		return -1;
	}
	if (ui_parse_addr(arg, &va)) {
		snprintf(msg, len, "not a hex address: \'%s\'", arg);
		return -1;
	}
	if (p->fmode)
		return fgo(p, va, msg, len);
	radix_resolve(app_analysis(p->app), &p->sp, p->root, va, &w);
	struct uitree_node *n = p->t.root;
	for (unsigned i = 0; i < w.nsteps && n; i++) {
		uitree_expand(&p->t, n);
		struct uitree_node *c = child_at(n, w.step[i].index);
		if (!c)
			break;
		n = c;
	}
	if (n)
		uitree_select(&p->t, n);
	publish(p);
	if (!w.ok) {
		snprintf(msg, len, "0x%llx is not mapped: %s", (unsigned long long)va, w.why);
		return -1;
	}
	perm_str(w.perms, ps);
	snprintf(msg, len, "0x%llx -> 0x%llx %s", (unsigned long long)va, (unsigned long long)w.pa, ps);
	return 0;
}

static int tree_search(void *st, const char *pat, int dir, char *msg, size_t len)
{
	struct tree_pane *p = st;
	if (pat)
		snprintf(p->pat, sizeof(p->pat), "%s", pat);
	if (p->open && uitree_search(&p->t, p->pat, dir)) {
		publish(p);
		return 0;
	}
	snprintf(msg, len, "'%s' not found %s among the open rows", p->pat, dir > 0 ? "below" : "above");
	return -1;
}

static const char *tree_go_prompt(void *st)
{
	return ((struct tree_pane *)st)->fmode ? "go to physical address (hex): " : "go to virtual address (hex): ";
}

static const char *const tree_help[] = {
	"Enter Right l", "open a table or group (a page or PTE: show it in the hex view)",
	"Left h", "close a table, or go to its parent",
	"Space", "open / close a table",
	"v", "virtual addresses / entry addresses and raw values",
	"g", "go to a virtual address (hash table, IDT: a physical one)",
	"/ n N", "search the open rows",
	NULL,
};

const struct pane_ops pane_tree_ops = {
	.name = "Tree",
	.init = tree_init,
	.free = tree_free,
	.sync = tree_sync,
	.draw = tree_draw,
	.key = tree_key,
	.title = tree_title,
	.go = tree_go,
	.search = tree_search,
	.help = tree_help,
	.go_prompt = "go to virtual address (hex): ",
	.go_prompt_of = tree_go_prompt,
};
