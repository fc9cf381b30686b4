/*
 * Memory map pane: the physical address space as RAM bands, not-RAM
 * (MMIO) ranges and holes; each RAM band shows how many candidate tables
 * the scan found in it, as a bar relative to the densest band.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "app.h"

/* About this many RAM bands, whatever the RAM size: enough to see where tables cluster. */
#define MAP_TARGET_BANDS 48
#define MAP_MIN_BAND (64ULL << 10)

enum band_kind { BK_RAM, BK_MMIO, BK_HOLE };

struct band {
	uint64_t start, last;
	enum band_kind kind;
	uint64_t tables;         /* candidate tables (every level and tree kind) */
	uint64_t roots;          /* trees found with their root here */
	uint64_t finds;          /* findings here (Intel IDTs, PowerPC hash tables) */
};

struct map_pane {
	struct app *app;
	struct band *v;
	size_t n, cap;
	uint64_t band_size, max_tables, max_addr;
	bool counted;            /* tables known (after a scan) */
	char mark;               /* the findings' mark ('I', 'H') */
	struct ui_list list;
};

static void add(struct map_pane *m, uint64_t start, uint64_t last, enum band_kind k)
{
	struct band b = {start, last, k, 0, 0, 0};
	VEC_PUSH(m->v, m->n, m->cap, b);
}

static void add_ram(struct map_pane *m, uint64_t start, uint64_t last)
{
	uint64_t at = start;
	while (at <= last) {
		uint64_t end = align_down(at, m->band_size) + m->band_size - 1;
		if (end < at || end > last)
			end = last;
		add(m, at, end, BK_RAM);
		if (end == UINT64_MAX)
			break;
		at = end + 1;
	}
}

/* RAM, not-RAM and the holes between, in address order. */
static void build_bands(struct map_pane *m)
{
	const struct physmem *pm = &app_analysis(m->app)->pm;
	const struct ivset *ram = &pm->ram, *io = &pm->not_valid;
	uint64_t total = ivset_total(ram);
	size_t i = 0, k = 0;
	uint64_t at = 0;
	bool done = false;
	m->band_size = MAP_MIN_BAND;
	while (m->band_size < total / MAP_TARGET_BANDS && m->band_size < (1ULL << 62))
		m->band_size <<= 1;
	m->max_addr = 0;
	while (!done && (i < ram->n || k < io->n)) {
		bool take_ram = k >= io->n || (i < ram->n && ram->v[i].start < io->v[k].start);
		const struct interval *iv = take_ram ? &ram->v[i++] : &io->v[k++];
		if (iv->start > at)
			add(m, at, iv->start - 1, BK_HOLE);
		if (take_ram)
			add_ram(m, iv->start, iv->last);
		else
			add(m, iv->start, iv->last, BK_MMIO);
		m->max_addr = iv->last;
		done = iv->last == UINT64_MAX;
		at = iv->last + 1;
	}
	m->list.n = m->n;
}

static size_t lower_bound(const uint64_t *v, size_t n, uint64_t x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void *map_init(struct app *app)
{
	struct map_pane *m = xcalloc(1, sizeof(*m));
	m->app = app;
	build_bands(m);
	return m;
}

static void map_free(void *st)
{
	struct map_pane *m = st;
	free(m->v);
	free(m);
}

static void map_sync(void *st)
{
	struct map_pane *m = st;
	const struct radix_state *r = app_analysis(m->app)->radix;
	const struct ui_snap *s = app_snap(m->app);
	m->max_tables = 0;
	m->counted = r && r->parsed;
	m->mark = s->find_ok && s->find.ops->map_mark ? s->find.ops->map_mark : ' ';
	for (size_t b = 0; b < m->n; b++) {
		struct band *bd = &m->v[b];
		bd->tables = bd->roots = bd->finds = 0;
		/* Ghosts were not found: no mark. */
		for (size_t t = 0; s->find_ok && bd->kind == BK_RAM && t < s->find.found; t++)
			bd->finds += s->find.top.v[t].addr >= bd->start && s->find.top.v[t].addr <= bd->last;
		if (!m->counted || bd->kind != BK_RAM)
			continue;
		for (unsigned i = 0; i < r->nspaces; i++) {
			const struct radix_space *sp = &r->space[i];
			size_t lo = lower_bound(sp->cand_addr, sp->ncand, bd->start);
			size_t hi = bd->last == UINT64_MAX ? sp->ncand : lower_bound(sp->cand_addr, sp->ncand, bd->last + 1);
			bd->tables += hi - lo;
		}
		for (size_t t = 0; t < s->ntrees; t++)
			bd->roots += s->roots[t].root >= bd->start && s->roots[t].root <= bd->last;
		m->max_tables = MMU_MAX(m->max_tables, bd->tables);
	}
}

static void map_draw(void *st, WINDOW *w, int h, int wd, bool focused)
{
	struct map_pane *m = st;
	static const char *const kind_name[] = {"RAM ", "MMIO", "hole"};
	int digits = ui_addr_digits(m->max_addr, UI_ADDR_MIN_DIGITS);
	char num[32];
	int count_w = snprintf(num, sizeof(num), "%llu", (unsigned long long)m->max_tables) + 1;
	int bar_x = 2 + digits + 1 + 4 + 1;
	int bar_w = wd - bar_x - count_w - 3;
	ui_putf(w, 0, 0, wd, ui_style(m->app, ST_HEADER), "%-*s %-4s %s", digits + 2, "address", "kind",
		bar_w >= 16 ? "candidate tables" : "tables");
	ui_list_fit(&m->list, h - 1);
	for (int row = 0; row + 1 < h && m->list.top + (size_t)row < m->n; row++) {
		size_t i = m->list.top + (size_t)row;
		const struct band *b = &m->v[i];
		bool cur = focused && i == m->list.cur;
		attr_t base = cur ? ui_style(m->app, ST_CURSOR) : b->kind == BK_RAM ? A_NORMAL : ui_style(m->app, ST_DIM);
		int y = row + 1;
		if (cur)
			ui_fill(w, y, 0, wd, base);
		ui_putf(w, y, 0, wd, base, "0x%0*llx %s", digits, (unsigned long long)b->start, kind_name[b->kind]);
		if (b->kind != BK_RAM) {
			char sz[32];
			ui_putf(w, y, bar_x, wd - bar_x, base, "%s", fmt_size(b->last - b->start + 1, sz, sizeof(sz)));
			continue;
		}
		if (!m->counted) {
			/* No table scan (PowerPC): the findings' marks alone. */
			if (b->finds)
				ui_putf(w, y, wd - count_w - 2, count_w + 2, base, "%*s %c", count_w - 1, "", m->mark);
			continue;
		}
		if (bar_w >= 2) {
			int fill = m->max_tables ? (int)((b->tables * (uint64_t)bar_w + m->max_tables - 1) / m->max_tables) : 0;
			for (int x = 0; x < bar_w; x++)
				ui_put(w, y, bar_x + x, 1, base, x < fill ? "#" : ".");
		}
		ui_putf(w, y, wd - count_w - 2, count_w + 2, base, "%*llu%s%c", count_w - 1, (unsigned long long)b->tables,
			b->roots ? "*" : " ", b->finds ? m->mark : ' ');
	}
}

static bool map_key(void *st, int key)
{
	struct map_pane *m = st;
	if (key == UIK_ENTER && m->n) {
		const struct band *b = &m->v[m->list.cur];
		if (b->kind != BK_RAM) {
			app_msg(m->app, false, "0x%llx is %s: no bytes in the dump", (unsigned long long)b->start,
				b->kind == BK_MMIO ? "not RAM (MMIO)" : "a hole");
			return true;
		}
		app_show_phys(m->app, b->start, true);
		return true;
	}
	return ui_list_key(&m->list, key);
}

static int map_rows_wanted(void *st, int width)
{
	(void)width;
	struct map_pane *m = st;
	return (int)MMU_MIN(m->n + 1, 10000);
}

static void map_title(void *st, char *buf, size_t len, int room)
{
	(void)room;
	struct map_pane *m = st;
	char sz[32];
	snprintf(buf, len, "Map: %s bands", ui_short_size(m->band_size, sz, sizeof(sz)));
}

static int map_go(void *st, const char *arg, char *msg, size_t len)
{
	struct map_pane *m = st;
	uint64_t addr;
	if (ui_parse_addr(arg, &addr)) {
		snprintf(msg, len, "not a hex address: \'%s\'", arg);
		return -1;
	}
	for (size_t i = 0; i < m->n; i++)
		if (addr >= m->v[i].start && addr <= m->v[i].last) {
			ui_list_set(&m->list, i);
			return 0;
		}
	snprintf(msg, len, "0x%llx is beyond the last range (0x%llx)", (unsigned long long)addr,
		 (unsigned long long)m->max_addr);
	return -1;
}

static const char *const map_help[] = {
	"Enter", "show the band in the hex view",
	"g", "go to the band of an address",
	"*  I  H", "after the count: a tree root / an IDT / a hash table is there",
	NULL,
};

const struct pane_ops pane_map_ops = {
	.name = "Map",
	.init = map_init,
	.free = map_free,
	.sync = map_sync,
	.draw = map_draw,
	.key = map_key,
	.title = map_title,
	.rows_wanted = map_rows_wanted,
	.go = map_go,
	.help = map_help,
	.go_prompt = "go to physical address (hex): ",
};
