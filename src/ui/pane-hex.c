/*
 * Hex pane: the dump's bytes by physical address, or by virtual address
 * through the open tree ('v').  The view is a list of segments — RAM
 * ranges, or the tree's mapped ranges — with one line marking each gap,
 * so scrolling never crawls through holes or unmapped space.  The entry
 * under the tree cursor is highlighted; '/' searches bytes or text a
 * slice per loop turn, so the screen stays live on large dumps.
 */
#include "autoconfig.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "app.h"
#include "panes.h"

/* Search work per loop turn; a turn must stay well under the 50 ms key budget. */
#define SEARCH_SLICE (32ULL << 20)
#define SEARCH_CHUNK (1ULL << 20)
#define NEEDLE_MAX 128

struct seg {
	uint64_t start, len;     /* view addresses [start, start + len) */
	uint64_t pa;             /* physical address of start */
	bool absent;             /* maps physical addresses outside RAM (MMIO): no bytes */
};

/* A row of the view: bytes of a segment, or the gap line just before segment 'seg'. */
struct rowpos {
	size_t seg;
	uint64_t addr;           /* row start (aligned to the row width) */
	bool gap;
};

struct hex_pane {
	struct app *app;
	struct seg *phys;
	size_t nphys;
	bool virt;
	bool has_root;
	uint64_t root;
	unsigned space;
	struct radix_space sp;
	struct seg *vseg;        /* the open tree's mapped ranges */
	size_t nvseg;
	bool vas_stale;          /* vseg is not the open tree's yet */
	bool vas_truncated;
	uint64_t cur;            /* cursor (view address) */
	struct rowpos top;
	int bpr;                 /* bytes per row */
	bool ascii;              /* the characters column is shown */
	int height;
	int pdigits;
	bool hl;
	uint64_t hl_pa, hl_len;
	/* search */
	uint8_t needle[NEEDLE_MAX];
	size_t nlen;
	char pat[256];
	bool searching;
	int sdir;
	size_t sseg;
	uint64_t sat;            /* next view address the search examines */
	bool has_match;
	uint64_t match;
	uint8_t *buf;
};

static const struct seg *segs(const struct hex_pane *h, size_t *n)
{
	*n = h->virt ? h->nvseg : h->nphys;
	return h->virt ? h->vseg : h->phys;
}

static uint64_t seg_last(const struct seg *s)
{
	return s->start + s->len - 1;
}

/* Index of the segment holding addr, else of the first one after it (n if none). */
static size_t seg_find(const struct seg *v, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (seg_last(&v[mid]) < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint64_t row_of(const struct hex_pane *h, uint64_t a)
{
	return align_down(a, (uint64_t)h->bpr);
}

static bool gap_before(const struct seg *v, size_t i)
{
	return i > 0 && seg_last(&v[i - 1]) + 1 != v[i].start;
}

static bool row_next(const struct hex_pane *h, struct rowpos *p)
{
	size_t n;
	const struct seg *v = segs(h, &n);
	if (p->seg >= n)
		return false;
	if (p->gap) {
		p->gap = false;
		p->addr = row_of(h, v[p->seg].start);
		return true;
	}
	if (p->addr < row_of(h, seg_last(&v[p->seg]))) {
		p->addr += (uint64_t)h->bpr;
		return true;
	}
	if (p->seg + 1 >= n)
		return false;
	p->seg++;
	p->gap = gap_before(v, p->seg);
	p->addr = row_of(h, v[p->seg].start);
	return true;
}

static bool row_prev(const struct hex_pane *h, struct rowpos *p)
{
	size_t n;
	const struct seg *v = segs(h, &n);
	if (p->seg >= n)
		return false;
	if (p->gap) {
		p->gap = false;
		p->seg--;
		p->addr = row_of(h, seg_last(&v[p->seg]));
		return true;
	}
	if (p->addr > row_of(h, v[p->seg].start)) {
		p->addr -= (uint64_t)h->bpr;
		return true;
	}
	if (p->seg == 0)
		return false;
	if (gap_before(v, p->seg)) {
		p->gap = true;
		return true;
	}
	p->seg--;
	p->addr = row_of(h, seg_last(&v[p->seg]));
	return true;
}

static int pos_cmp(const struct rowpos *a, const struct rowpos *b)
{
	if (a->seg != b->seg)
		return a->seg < b->seg ? -1 : 1;
	if (a->gap != b->gap)
		return a->gap ? -1 : 1;
	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

static struct rowpos cursor_pos(const struct hex_pane *h)
{
	size_t n;
	const struct seg *v = segs(h, &n);
	struct rowpos p = {seg_find(v, n, h->cur), row_of(h, h->cur), false};
	return p;
}

/* Moves 'top' so the cursor row is on screen; after a jump, a third of the way down. */
static void fit(struct hex_pane *h, bool jumped)
{
	size_t n;
	segs(h, &n);
	if (!n)
		return;
	int rows = h->height > 0 ? h->height : 1;
	struct rowpos c = cursor_pos(h);
	bool top_ok = h->top.seg < n;
	if (top_ok && !h->top.gap)
		h->top.addr = row_of(h, h->top.addr);
	if (!jumped && top_ok && pos_cmp(&c, &h->top) >= 0) {
		struct rowpos p = h->top;
		for (int i = 0; i < rows; i++) {
			if (!pos_cmp(&p, &c))
				return;
			if (!row_next(h, &p))
				break;
		}
		h->top = c;
		for (int i = 0; i < rows - 1 && row_prev(h, &h->top); i++)
			;
		return;
	}
	h->top = c;
	if (!jumped && top_ok)
		return;
	for (int i = 0; i < rows / 3 && row_prev(h, &h->top); i++)
		;
}

/* Puts the cursor at addr, or the next byte in the view; false when nothing is at or after it. */
static bool place(struct hex_pane *h, uint64_t addr)
{
	size_t n;
	const struct seg *v = segs(h, &n);
	size_t i = seg_find(v, n, addr);
	if (i >= n)
		return false;
	h->cur = addr < v[i].start ? v[i].start : addr;
	fit(h, true);
	return true;
}

/* The row of addr is on screen now. */
static bool row_shown(const struct hex_pane *h, uint64_t addr)
{
	size_t n;
	segs(h, &n);
	if (h->top.seg >= n)
		return false;
	struct rowpos p = h->top, c = {seg_find(segs(h, &n), n, addr), row_of(h, addr), false};
	for (int i = 0; i < h->height; i++) {
		if (!pos_cmp(&p, &c))
			return true;
		if (!row_next(h, &p))
			break;
	}
	return false;
}

/* Like place, without scrolling when the address is already in view (following the tree cursor). */
static void place_soft(struct hex_pane *h, uint64_t addr)
{
	if (row_shown(h, addr))
		h->cur = addr;
	else
		place(h, addr);
}

static void build_phys(struct hex_pane *h)
{
	const struct physmem *pm = &app_analysis(h->app)->pm;
	h->nphys = pm->ram.n;
	h->phys = xcalloc(h->nphys + 1, sizeof(*h->phys));
	for (size_t i = 0; i < pm->ram.n; i++) {
		const struct interval *iv = &pm->ram.v[i];
		h->phys[i] = (struct seg){iv->start, iv->last - iv->start + 1, iv->start, false};
	}
	uint64_t max = pm->ram.n ? pm->ram.v[pm->ram.n - 1].last : 0;
	h->pdigits = ui_addr_digits(max, UI_ADDR_MIN_DIGITS);
}

static void *hex_init(struct app *app)
{
	struct hex_pane *h = xcalloc(1, sizeof(*h));
	h->app = app;
	h->bpr = 16;
	h->buf = xmalloc(SEARCH_CHUNK + NEEDLE_MAX);
	build_phys(h);
	if (h->nphys)
		h->cur = h->phys[0].start;
	h->top = cursor_pos(h);
	return h;
}

static void hex_free(void *st)
{
	struct hex_pane *h = st;
	free(h->phys);
	free(h->vseg);
	free(h->buf);
	free(h);
}

static void add_vseg(struct hex_pane *h, size_t *cap, uint64_t va, uint64_t len, uint64_t pa, bool absent)
{
	struct seg x = {va, len, pa, absent};
	VEC_PUSH(h->vseg, h->nvseg, *cap, x);
}

/*
 * The open tree's address space as segments (one walk of the whole tree
 * per root), split where the physical side leaves RAM so that reads and
 * searches only ever see whole present or whole absent segments.
 */
static void build_virt(struct hex_pane *h)
{
	const struct physmem *pm = &app_analysis(h->app)->pm;
	struct vas v;
	size_t cap = 0;
	free(h->vseg);
	h->vseg = NULL;
	h->nvseg = 0;
	radix_vas(app_analysis(h->app), &h->sp, h->root, &v);
	for (size_t i = 0; i < v.n; i++) {
		uint64_t va = v.r[i].va, pa = v.r[i].pa, left = v.r[i].size;
		while (left) {
			size_t k = ivset_lower_bound(&pm->ram, pa);
			uint64_t take;
			bool absent;
			if (k < pm->ram.n && pm->ram.v[k].start <= pa) {
				take = MMU_MIN(left, pm->ram.v[k].last - pa + 1);
				absent = false;
			} else {
				uint64_t next = k < pm->ram.n ? pm->ram.v[k].start : UINT64_MAX;
				take = next - pa < left ? next - pa : left;
				absent = true;
			}
			if (!take)
				take = left;
			add_vseg(h, &cap, va, take, pa, absent);
			va += take;
			pa += take;
			left -= take;
		}
	}
	h->vas_truncated = v.truncated;
	vas_free(&v);
}

static void stop_search(struct hex_pane *h)
{
	h->searching = false;
}

static void set_mode(struct hex_pane *h, bool virt)
{
	if (h->virt == virt)
		return;
	/* The address space is walked only when someone looks at it virtually. */
	if (virt && h->vas_stale) {
		build_virt(h);
		h->vas_stale = false;
	}
	stop_search(h);
	h->has_match = false;
	h->virt = virt;
	h->top = (struct rowpos){SIZE_MAX, 0, false};
}

void hex_pane_set_root(void *st, uint64_t root, unsigned space)
{
	struct hex_pane *h = st;
	const struct ui_snap *s = app_snap(h->app);
	if (space >= s->nspaces)
		return;
	if (h->has_root && h->root == root && h->space == space && !memcmp(&h->sp.shape, &s->space[space].shape,
									  sizeof(h->sp.shape)))
		return;
	h->has_root = true;
	h->root = root;
	h->space = space;
	memset(&h->sp, 0, sizeof(h->sp));
	h->sp.shape = s->space[space].shape;
	h->vas_stale = true;
	if (h->virt) {
		build_virt(h);
		h->vas_stale = false;
		stop_search(h);
		h->has_match = false;
		h->top = (struct rowpos){SIZE_MAX, 0, false};
		if (!place(h, h->cur))
			place(h, 0);
	}
}

void hex_pane_show_phys(void *st, uint64_t pa)
{
	struct hex_pane *h = st;
	set_mode(h, false);
	if (!place(h, pa))
		app_msg(h->app, true, "0x%llx: no RAM at or after it", (unsigned long long)pa);
}

bool hex_pane_show_virt(void *st, uint64_t va, char *msg, size_t len)
{
	struct hex_pane *h = st;
	if (!h->has_root) {
		snprintf(msg, len, "no tree open: virtual addresses need one");
		return false;
	}
	set_mode(h, true);
	if (!place(h, va)) {
		snprintf(msg, len, "0x%llx: nothing mapped at or after it", (unsigned long long)va);
		return false;
	}
	return true;
}

void hex_pane_show_page(void *st, uint64_t va, uint64_t pa)
{
	struct hex_pane *h = st;
	char msg[160];
	if (h->virt && hex_pane_show_virt(h, va, msg, sizeof(msg)))
		return;
	hex_pane_show_phys(h, pa);
}

void hex_pane_highlight(void *st, uint64_t pa, uint64_t len, bool follow)
{
	struct hex_pane *h = st;
	h->hl = len > 0;
	h->hl_pa = pa;
	h->hl_len = len;
	if (follow && !h->virt && !h->searching)
		place_soft(h, pa);
}

/* Physical address of a view address inside segment i. */
static uint64_t pa_of(const struct seg *s, uint64_t a)
{
	return s->pa + (a - s->start);
}

/* Virtual addresses go through a tree: when its tables are dropped or reshaped, not through the old shape. */
static void hex_sync(void *st)
{
	struct hex_pane *h = st;
	const struct ui_snap *s = app_snap(h->app);
	if (!h->has_root)
		return;
	if (h->space < s->nspaces) {
		hex_pane_set_root(h, h->root, h->space);
		return;
	}
	h->has_root = false;
	if (h->virt) {
		uint64_t pa = 0;
		size_t i = seg_find(h->vseg, h->nvseg, h->cur);
		if (i < h->nvseg && h->cur >= h->vseg[i].start && !h->vseg[i].absent)
			pa = pa_of(&h->vseg[i], h->cur);
		set_mode(h, false);
		if (!place(h, pa))
			place(h, h->nphys ? h->phys[0].start : 0);
	}
}

/* Columns a row takes: address, bytes (a gap every 8), and the characters when shown. */
static int row_width(int digits, int bpr, bool ascii)
{
	return digits + 2 + bpr * 3 + (bpr > 8 ? bpr / 8 - 1 : 0) + (ascii ? 1 + bpr : -1);
}

/*
 * The widest row that fits: 16 bytes, 8, 8 without characters (a page
 * table's entry a row in a narrow pane), then 4.
 */
static void row_format(int digits, int wd, int *bpr, bool *ascii)
{
	static const struct {
		int bpr;
		bool ascii;
	} fmt[] = {{16, true}, {8, true}, {8, false}, {4, true}, {4, false}};
	for (size_t i = 0; i < ARRAY_LEN(fmt); i++) {
		*bpr = fmt[i].bpr;
		*ascii = fmt[i].ascii;
		if (row_width(digits, *bpr, *ascii) <= wd)
			return;
	}
}

static void draw_gap(struct hex_pane *h, WINDOW *w, int y, int wd, const struct seg *v, size_t i)
{
	const struct physmem *pm = &app_analysis(h->app)->pm;
	uint64_t from = seg_last(&v[i - 1]) + 1, to = v[i].start - 1;
	char sz[32];
	const char *what = h->virt ? "not mapped" : physmem_is_not_ram(pm, from) ? "not RAM (MMIO)" : "hole";
	ui_putf(w, y, 0, wd, ui_style(h->app, ST_DIM), "~~ 0x%llx-0x%llx %s (%s) ~~", (unsigned long long)from,
		(unsigned long long)to, what, fmt_size(to - from + 1, sz, sizeof(sz)));
}

static void draw_row(struct hex_pane *h, WINDOW *w, int y, int wd, const struct seg *s, uint64_t row, int digits,
		     bool focused)
{
	const struct physmem *pm = &app_analysis(h->app)->pm;
	uint8_t b[16];
	size_t have = 0;
	uint64_t lo = MMU_MAX(row, s->start), hi = MMU_MIN(row + (uint64_t)h->bpr - 1, seg_last(s));
	if (hi >= lo && !s->absent)
		have = physmem_read(pm, pa_of(s, lo), b + (lo - row), (size_t)(hi - lo + 1));
	ui_putf(w, y, 0, wd, A_NORMAL, "%0*llx", digits, (unsigned long long)row);
	int x = digits + 2, ax = row_width(digits, h->bpr, true) - h->bpr;
	for (int i = 0; i < h->bpr; i++) {
		uint64_t a = row + (uint64_t)i;
		bool in = a >= lo && a <= hi, present = in && a - lo < have;
		char hx[4] = "  ", asc[2] = " ";
		if (present) {
			snprintf(hx, sizeof(hx), "%02x", b[i]);
			asc[0] = isprint(b[i]) ? (char)b[i] : '.';
		} else if (in) {
			snprintf(hx, sizeof(hx), "--");
		}
		attr_t at = A_NORMAL;
		uint64_t pa = in ? pa_of(s, a) : 0;
		if (in && h->hl && pa >= h->hl_pa && pa - h->hl_pa < h->hl_len)
			at = ui_style(h->app, ST_HIGHLIGHT);
		if (in && h->has_match && a >= h->match && a - h->match < h->nlen)
			at = ui_style(h->app, ST_MATCH);
		if (a == h->cur)
			at = focused ? ui_style(h->app, ST_CURSOR) : A_UNDERLINE;
		ui_put(w, y, x, wd - x, at, hx);
		if (h->ascii)
			ui_put(w, y, ax + i, wd - ax - i, at, asc);
		x += 3 + (i % 8 == 7 && i + 1 < h->bpr ? 1 : 0);
	}
}

static int view_digits(const struct hex_pane *h)
{
	return h->virt ? ui_va_digits(&h->sp.shape) : h->pdigits;
}

static void hex_draw(void *st, WINDOW *w, int hgt, int wd, bool focused)
{
	struct hex_pane *h = st;
	size_t n;
	const struct seg *v = segs(h, &n);
	int digits = view_digits(h), bpr;
	row_format(digits, wd, &bpr, &h->ascii);
	if (bpr != h->bpr) {
		h->bpr = bpr;
		h->top = (struct rowpos){SIZE_MAX, 0, false};
	}
	h->height = hgt;
	if (!n) {
		ui_put(w, 0, 1, wd - 1, ui_style(h->app, ST_DIM), h->virt ? "The tree maps nothing." : "No RAM.");
		return;
	}
	if (h->top.seg >= n)
		fit(h, true);
	else
		fit(h, false);
	struct rowpos p = h->top;
	for (int y = 0; y < hgt; y++) {
		if (p.gap)
			draw_gap(h, w, y, wd, v, p.seg);
		else
			draw_row(h, w, y, wd, &v[p.seg], p.addr, digits, focused);
		if (!row_next(h, &p))
			break;
	}
}

/* ---- cursor movement ----------------------------------------------------- */

static void move_bytes(struct hex_pane *h, int dir)
{
	size_t n;
	const struct seg *v = segs(h, &n);
	size_t i = seg_find(v, n, h->cur);
	if (i >= n)
		return;
	if (dir > 0) {
		if (h->cur < seg_last(&v[i]))
			h->cur++;
		else if (i + 1 < n)
			h->cur = v[i + 1].start;
	} else {
		if (h->cur > v[i].start)
			h->cur--;
		else if (i > 0)
			h->cur = seg_last(&v[i - 1]);
	}
}

static void move_rows(struct hex_pane *h, int dir)
{
	size_t n;
	const struct seg *v = segs(h, &n);
	size_t i = seg_find(v, n, h->cur);
	uint64_t col = h->cur % (uint64_t)h->bpr, bpr = (uint64_t)h->bpr;
	if (i >= n)
		return;
	if (dir > 0) {
		if (seg_last(&v[i]) - h->cur >= bpr)
			h->cur += bpr;
		else if (row_of(h, h->cur) != row_of(h, seg_last(&v[i])))
			h->cur = seg_last(&v[i]);
		else if (i + 1 < n)
			h->cur = MMU_MIN(MMU_MAX(row_of(h, v[i + 1].start) + col, v[i + 1].start), seg_last(&v[i + 1]));
	} else {
		if (h->cur - v[i].start >= bpr)
			h->cur -= bpr;
		else if (row_of(h, h->cur) != row_of(h, v[i].start))
			h->cur = v[i].start;
		else if (i > 0)
			h->cur = MMU_MAX(MMU_MIN(row_of(h, seg_last(&v[i - 1])) + col, seg_last(&v[i - 1])), v[i - 1].start);
	}
}

/* 'v': the same byte in the other addressing when it has one there, else the start. */
static void toggle_mode(struct hex_pane *h)
{
	size_t n;
	const struct seg *v = segs(h, &n);
	size_t i = seg_find(v, n, h->cur);
	bool on = i < n && h->cur >= v[i].start;
	uint64_t pa = on ? pa_of(&v[i], h->cur) : 0;
	if (!h->virt) {
		if (!h->has_root) {
			app_msg(h->app, true, "no tree open: open one (Enter on a candidate) to address virtually");
			return;
		}
		set_mode(h, true);
		uint64_t va = h->nvseg ? h->vseg[0].start : 0;
		for (size_t k = 0; on && k < h->nvseg; k++)
			if (!h->vseg[k].absent && pa >= h->vseg[k].pa && pa - h->vseg[k].pa < h->vseg[k].len) {
				va = h->vseg[k].start + (pa - h->vseg[k].pa);
				break;
			}
		place(h, va);
		app_msg(h->app, false, "virtual addresses through the tree at 0x%llx%s", (unsigned long long)h->root,
			h->vas_truncated ? " (too many ranges: truncated)" : "");
	} else {
		set_mode(h, false);
		if (!on || v[i].absent || !place(h, pa))
			place(h, h->nphys ? h->phys[0].start : 0);
		app_msg(h->app, false, "physical addresses");
	}
}

static bool hex_key(void *st, int key)
{
	struct hex_pane *h = st;
	size_t n;
	const struct seg *v = segs(h, &n);
	int rows = h->height > 1 ? h->height - 1 : 1;
	if (key == 'v') {
		toggle_mode(h);
		return true;
	}
	if ((key == 'x' || key == UIK_ESC) && h->searching) {
		stop_search(h);
		app_msg(h->app, false, "search cancelled");
		return true;
	}
	if (!n)
		return false;
	switch (key) {
	case KEY_LEFT:
		move_bytes(h, -1);
		break;
	case KEY_RIGHT:
		move_bytes(h, 1);
		break;
	case KEY_UP:
		move_rows(h, -1);
		break;
	case KEY_DOWN:
		move_rows(h, 1);
		break;
	case KEY_PPAGE:
	case UIK_HALF_UP:
		for (int i = 0; i < (key == KEY_PPAGE ? rows : rows / 2 + 1); i++)
			move_rows(h, -1);
		break;
	case KEY_NPAGE:
	case UIK_HALF_DOWN:
		for (int i = 0; i < (key == KEY_NPAGE ? rows : rows / 2 + 1); i++)
			move_rows(h, 1);
		break;
	case KEY_HOME:
		h->cur = v[0].start;
		break;
	case KEY_END:
		h->cur = seg_last(&v[n - 1]);
		break;
	default:
		return false;
	}
	fit(h, false);
	return true;
}

static void hex_title(void *st, char *buf, size_t len, int room)
{
	struct hex_pane *h = st;
	size_t n;
	const struct seg *v = segs(h, &n);
	size_t i = seg_find(v, n, h->cur);
	const char *busy = h->searching ? " (searching)" : "";
	if (!h->virt) {
		snprintf(buf, len, "Hex: paddr 0x%llx%s", (unsigned long long)h->cur, busy);
		return;
	}
	if (i >= n) {
		snprintf(buf, len, "Hex: virtual via 0x%llx", (unsigned long long)h->root);
		return;
	}
	/* The cursor's two addresses matter most: the root goes first, then the words. */
	unsigned long long va = h->cur, pa = pa_of(&v[i], h->cur);
	snprintf(buf, len, "Hex: vaddr 0x%llx -> paddr 0x%llx via 0x%llx%s", va, pa, (unsigned long long)h->root, busy);
	if ((int)strlen(buf) > room)
		snprintf(buf, len, "Hex: vaddr 0x%llx -> paddr 0x%llx%s", va, pa, busy);
	if ((int)strlen(buf) > room)
		snprintf(buf, len, "Hex: v 0x%llx -> p 0x%llx%s", va, pa, busy);
	if ((int)strlen(buf) > room)
		snprintf(buf, len, "v 0x%llx -> p 0x%llx", va, pa);
}

static int hex_go(void *st, const char *arg, char *msg, size_t len)
{
	struct hex_pane *h = st;
	uint64_t a;
	size_t n;
	const struct seg *v = segs(h, &n);
	if (ui_parse_addr(arg, &a)) {
		snprintf(msg, len, "not a hex address: \'%s\'", arg);
		return -1;
	}
	size_t i = seg_find(v, n, a);
	if (i >= n) {
		snprintf(msg, len, "0x%llx: %s at or after it", (unsigned long long)a, h->virt ? "nothing mapped" : "no RAM");
		return -1;
	}
	place(h, a);
	if (a < v[i].start)
		snprintf(msg, len, "0x%llx is %s: showing the next byte there, 0x%llx", (unsigned long long)a,
			 h->virt ? "not mapped" : "not in RAM", (unsigned long long)v[i].start);
	return 0;
}

/* ---- search -------------------------------------------------------------- */

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

/* "27 a0 12" or "27a012": hex bytes; "text" in quotes or anything else: the text's bytes. */
static size_t parse_needle(const char *pat, uint8_t *out, size_t max, bool *bytes)
{
	size_t n = 0;
	const char *p = pat;
	*bytes = true;
	while (*p && n < max) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (hexval((unsigned char)p[0]) < 0 || !p[1] || hexval((unsigned char)p[1]) < 0) {
			*bytes = false;
			break;
		}
		out[n++] = (uint8_t)(hexval((unsigned char)p[0]) << 4 | hexval((unsigned char)p[1]));
		p += 2;
	}
	if (*bytes && n && !*p)
		return n;
	*bytes = false;
	size_t len = strlen(pat);
	if (len >= 2 && pat[0] == '"' && pat[len - 1] == '"') {
		pat++;
		len -= 2;
	}
	len = MMU_MIN(len, max);
	memcpy(out, pat, len);
	return len;
}

static void found(struct hex_pane *h, uint64_t at)
{
	h->searching = false;
	h->has_match = true;
	h->match = at;
	h->cur = at;
	fit(h, true);
	app_msg(h->app, false, "'%s' at 0x%llx", h->pat, (unsigned long long)at);
}

/* Forward: the first match at or after h->sat, in whole present segments. */
static bool step_forward(struct hex_pane *h, const struct seg *v, size_t n, uint64_t *budget)
{
	const struct physmem *pm = &app_analysis(h->app)->pm;
	while (h->sseg < n && *budget) {
		const struct seg *s = &v[h->sseg];
		uint64_t at = MMU_MAX(h->sat, s->start);
		if (s->absent || at > seg_last(s) || seg_last(s) - at + 1 < h->nlen) {
			h->sseg++;
			continue;
		}
		uint64_t len = MMU_MIN(seg_last(s) - at + 1, SEARCH_CHUNK + h->nlen - 1);
		size_t got = physmem_read(pm, pa_of(s, at), h->buf, (size_t)len);
		const uint8_t *m = got >= h->nlen ? memmem(h->buf, got, h->needle, h->nlen) : NULL;
		if (m) {
			found(h, at + (uint64_t)(m - h->buf));
			return true;
		}
		if (got < len) {
			/* Cannot happen in a present segment; never loop on it. */
			h->sseg++;
			continue;
		}
		/* The next chunk overlaps this one by the needle less a byte: no match falls between. */
		uint64_t adv = len - (h->nlen - 1);
		h->sat = at + adv;
		*budget -= MMU_MIN(*budget, adv);
	}
	return false;
}

static void back_to_prev_seg(struct hex_pane *h, const struct seg *v)
{
	if (h->sseg == 0) {
		h->sseg = SIZE_MAX;
		return;
	}
	h->sseg--;
	h->sat = seg_last(&v[h->sseg]);
}

/* Backward: the last match starting at or before h->sat. */
static bool step_backward(struct hex_pane *h, const struct seg *v, uint64_t *budget)
{
	const struct physmem *pm = &app_analysis(h->app)->pm;
	while (h->sseg != SIZE_MAX && *budget) {
		const struct seg *s = &v[h->sseg];
		if (s->absent || s->len < h->nlen || h->sat < s->start) {
			back_to_prev_seg(h, v);
			continue;
		}
		/* Matches may start in [lo, end]; the window reads nlen - 1 bytes past end. */
		uint64_t end = MMU_MIN(h->sat, seg_last(s) - (h->nlen - 1));
		if (end < s->start) {
			back_to_prev_seg(h, v);
			continue;
		}
		uint64_t lo = end - s->start >= SEARCH_CHUNK ? end - SEARCH_CHUNK + 1 : s->start;
		size_t got = physmem_read(pm, pa_of(s, lo), h->buf, (size_t)(end - lo + h->nlen));
		const uint8_t *last = NULL, *p = h->buf;
		while (p + h->nlen <= h->buf + got) {
			const uint8_t *m = memmem(p, (size_t)(h->buf + got - p), h->needle, h->nlen);
			if (!m)
				break;
			last = m;
			p = m + 1;
		}
		if (last) {
			found(h, lo + (uint64_t)(last - h->buf));
			return true;
		}
		*budget -= MMU_MIN(*budget, end - lo + 1);
		if (lo == s->start)
			back_to_prev_seg(h, v);
		else
			h->sat = lo - 1;
	}
	return false;
}

static bool hex_tick(void *st)
{
	struct hex_pane *h = st;
	size_t n;
	const struct seg *v = segs(h, &n);
	uint64_t budget = SEARCH_SLICE;
	if (!h->searching)
		return false;
	bool hit = h->sdir > 0 ? step_forward(h, v, n, &budget) : step_backward(h, v, &budget);
	if (hit)
		return false;
	if (h->sdir > 0 ? h->sseg >= n : h->sseg == SIZE_MAX) {
		h->searching = false;
		app_msg(h->app, true, "'%s' not found %s 0x%llx", h->pat, h->sdir > 0 ? "after" : "before",
			(unsigned long long)h->cur);
		return false;
	}
	return true;
}

static int hex_search(void *st, const char *pat, int dir, char *msg, size_t len)
{
	struct hex_pane *h = st;
	size_t n;
	const struct seg *v = segs(h, &n);
	if (pat) {
		bool bytes;
		h->nlen = parse_needle(pat, h->needle, NEEDLE_MAX, &bytes);
		snprintf(h->pat, sizeof(h->pat), "%s", pat);
		if (!h->nlen) {
			snprintf(msg, len, "nothing to search for");
			return -1;
		}
	}
	if (!h->nlen || !n) {
		snprintf(msg, len, "nothing to search");
		return -1;
	}
	h->sdir = dir;
	size_t i = seg_find(v, n, h->cur);
	if (dir > 0) {
		h->sseg = i;
		h->sat = h->cur + 1;
	} else {
		if (h->cur == 0 || i >= n) {
			snprintf(msg, len, "'%s' not found before 0x%llx", h->pat, (unsigned long long)h->cur);
			return -1;
		}
		h->sseg = i;
		h->sat = h->cur - 1;
	}
	h->searching = true;
	snprintf(msg, len, "searching for '%s'... (x cancels)", h->pat);
	return 0;
}

static const char *const hex_help[] = {
	"arrows h j k l", "move by byte / row",
	"v", "physical / virtual addresses (through the open tree)",
	"g", "go to an address",
	"/", "search: hex bytes (27 a0 12) or text (\"text\" or any non-hex)",
	"n N", "next / previous match",
	"x Esc", "stop a search",
	NULL,
};

const struct pane_ops pane_hex_ops = {
	.name = "Hex",
	.init = hex_init,
	.free = hex_free,
	.sync = hex_sync,
	.draw = hex_draw,
	.key = hex_key,
	.title = hex_title,
	.go = hex_go,
	.search = hex_search,
	.tick = hex_tick,
	.help = hex_help,
	.go_prompt = "go to address (hex): ",
};
