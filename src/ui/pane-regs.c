/*
 * Registers pane (architectures that recover MMU registers from code:
 * ARM, AArch64, ...): per analysed register the value in force and where
 * it comes from, then the recovered candidates ranked best first with
 * their code sites and fields, coloured by ground truth; the unusable
 * ones (invalid, partial) after them.  Enter shows a candidate's first
 * code site in the hex view; u makes it the value in force (set_tcr...).
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "regrec.h"

enum row_kind { RK_HEAD, RK_CAND, RK_BAD, RK_NOTE };

struct row {
	enum row_kind kind;
	size_t reg, item;
};

struct regs_pane {
	struct app *app;
	struct row *rows;
	size_t n, cap;
	struct ui_list list;
	char pat[256];
};

static void add(struct regs_pane *p, enum row_kind k, size_t reg, size_t item)
{
	struct row r = {k, reg, item};
	VEC_PUSH(p->rows, p->n, p->cap, r);
}

static void *regs_init(struct app *app)
{
	struct regs_pane *p = xcalloc(1, sizeof(*p));
	p->app = app;
	return p;
}

static void regs_free(void *st)
{
	struct regs_pane *p = st;
	free(p->rows);
	free(p);
}

static void regs_sync(void *st)
{
	struct regs_pane *p = st;
	const struct ui_snap *s = app_snap(p->app);
	p->n = 0;
	for (size_t i = 0; i < s->nregs; i++) {
		const struct ui_reg *u = &s->regs[i];
		add(p, RK_HEAD, i, 0);
		if (!s->regs_found)
			add(p, RK_NOTE, i, 0);
		for (size_t c = 0; c < u->ncands; c++)
			add(p, RK_CAND, i, c);
		for (size_t b = 0; b < u->nbad; b++)
			add(p, RK_BAD, i, b);
	}
	p->list.n = p->n;
	ui_list_fit(&p->list, p->list.height);
}

static int value_digits(const struct ui_reg *u)
{
	return u->reg->bits > 32 ? 16 : 8;
}

static void row_text(const struct regs_pane *p, const struct row *r, char *buf, size_t len)
{
	const struct ui_snap *s = app_snap(p->app);
	const struct ui_reg *u = &s->regs[r->reg];
	int d = value_digits(u);
	switch (r->kind) {
	case RK_HEAD: {
		char v[48] = "none";
		if (u->has_value)
			snprintf(v, sizeof(v), "0x%0*llx (%s)", d, (unsigned long long)u->value, u->origin);
		snprintf(buf, len, "%s  in force: %s  %zu candidate%s, %zu unusable, %u write site%s%s", u->reg->display, v,
			 u->ncands, u->ncands == 1 ? "" : "s", u->nbad, u->sites, u->sites == 1 ? "" : "s",
			 u->skipped ? " (some skipped)" : "");
		return;
	}
	case RK_NOTE:
		snprintf(buf, len, "  not recovered yet: r runs find_registers_values; ':%s VALUE' sets one",
			 u->reg->set_command ? u->reg->set_command : "set_...");
		return;
	case RK_CAND: {
		const struct ui_reg_cand *c = &u->cands[r->item];
		snprintf(buf, len, "  #%-2zu 0x%0*llx %-6s %3u site%s %3u path%s plaus %u  @0x%llx  %s", r->item + 1, d,
			 (unsigned long long)c->value, ui_class_label(p->app, c->cls), c->sites, c->sites == 1 ? " " : "s",
			 c->paths, c->paths == 1 ? " " : "s", c->plaus, (unsigned long long)c->first_site, c->fields);
		return;
	}
	case RK_BAD: {
		const struct ui_reg_bad *b = &u->bad[r->item];
		snprintf(buf, len, "  %-7s 0x%0*llx unknown 0x%llx  @0x%llx  %s", b->partial ? "partial" : "invalid", d,
			 (unsigned long long)b->value, (unsigned long long)b->unknown, (unsigned long long)b->first_site,
			 b->why);
		return;
	}
	}
}

static void regs_draw(void *st, WINDOW *w, int h, int wd, bool focused)
{
	struct regs_pane *p = st;
	const struct ui_snap *s = app_snap(p->app);
	char buf[512];
	if (!s->regrec) {
		ui_put(w, 0, 1, wd - 1, ui_style(p->app, ST_DIM), "This architecture's registers come from its tables.");
		return;
	}
	ui_list_fit(&p->list, h);
	for (int y = 0; y < h && p->list.top + (size_t)y < p->n; y++) {
		size_t i = p->list.top + (size_t)y;
		const struct row *r = &p->rows[i];
		attr_t a = A_NORMAL;
		if (r->kind == RK_HEAD)
			a = ui_style(p->app, ST_TITLE);
		else if (r->kind == RK_CAND)
			a = ui_style(p->app, ui_class_style(s->regs[r->reg].cands[r->item].cls));
		else
			a = ui_style(p->app, ST_DIM);
		if (focused && i == p->list.cur) {
			a = ui_style(p->app, ST_CURSOR) | (a & A_COLOR);
			ui_fill(w, y, 0, wd, a);
		}
		row_text(p, r, buf, sizeof(buf));
		ui_put(w, y, 0, wd, a, buf);
	}
}

static bool regs_key(void *st, int key)
{
	struct regs_pane *p = st;
	const struct ui_snap *s = app_snap(p->app);
	if (!p->n)
		return false;
	const struct row *r = &p->rows[p->list.cur];
	const struct ui_reg *u = &s->regs[r->reg];
	switch (key) {
	case UIK_ENTER:
		if (r->kind == RK_CAND)
			app_show_phys(p->app, u->cands[r->item].first_site, true);
		else if (r->kind == RK_BAD)
			app_show_phys(p->app, u->bad[r->item].first_site, true);
		else
			app_msg(p->app, false, "Enter on a value shows its first code site");
		return true;
	case 'u': {
		if (r->kind != RK_CAND || !u->reg->set_command) {
			app_msg(p->app, false, "u on a candidate value makes it the one in force");
			return true;
		}
		char line[96];
		snprintf(line, sizeof(line), "%s 0x%llx", u->reg->set_command, (unsigned long long)u->cands[r->item].value);
		app_run(p->app, line);
		return true;
	}
	default:
		return ui_list_key(&p->list, key);
	}
}

static int regs_rows_wanted(void *st, int width)
{
	(void)width;
	struct regs_pane *p = st;
	return p->n ? (int)p->n : 1;
}

static void regs_title(void *st, char *buf, size_t len, int room)
{
	(void)room;
	struct regs_pane *p = st;
	const struct ui_snap *s = app_snap(p->app);
	size_t n = 0;
	for (size_t i = 0; i < s->nregs; i++)
		n += s->regs[i].ncands;
	if (!s->regs_found)
		snprintf(buf, len, "Registers");
	else
		snprintf(buf, len, "Registers (%zu candidate%s)", n, n == 1 ? "" : "s");
}

static int regs_search(void *st, const char *pat, int dir, char *msg, size_t len)
{
	struct regs_pane *p = st;
	char buf[512];
	if (pat)
		snprintf(p->pat, sizeof(p->pat), "%s", pat);
	for (size_t k = 1; p->n && k <= p->n; k++) {
		size_t i = (p->list.cur + (dir > 0 ? k : p->n * 2 - k)) % p->n;
		row_text(p, &p->rows[i], buf, sizeof(buf));
		if (strcasestr(buf, p->pat)) {
			ui_list_set(&p->list, i);
			return 0;
		}
	}
	snprintf(msg, len, "'%s' not found among the registers", p->pat);
	return -1;
}

static const char *const regs_help[] = {
	"Enter", "show the value's first code site in the hex view",
	"u", "use this value (runs set_tcr / set_ttbcr ...)",
	"/ n N", "search the rows (names, values, fields)",
	NULL,
};

const struct pane_ops pane_regs_ops = {
	.name = "Registers",
	.tab = "Regs",
	.init = regs_init,
	.free = regs_free,
	.sync = regs_sync,
	.draw = regs_draw,
	.key = regs_key,
	.title = regs_title,
	.rows_wanted = regs_rows_wanted,
	.search = regs_search,
	.help = regs_help,
};
