/* Drawing helpers shared by the panes: styles, clipped text, lists. */
#include "autoconfig.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "draw.h"

/* Colour pairs, one per style that has a colour; 0 means "attribute only". */
static const struct {
	short fg, bg;
	attr_t color_extra;  /* added to the pair with colours */
	attr_t mono;         /* used instead without colours */
} styles[ST_COUNT] = {
	[ST_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
	[ST_TP] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
	[ST_FP] = {COLOR_RED, -1, A_NORMAL, A_NORMAL},
	[ST_FN] = {COLOR_YELLOW, -1, A_NORMAL, A_NORMAL},
	[ST_BOOT] = {-1, -1, A_DIM, A_NORMAL},
	[ST_TITLE] = {-1, -1, A_BOLD, A_BOLD},
	[ST_TITLE_FOCUS] = {COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD},
	[ST_STATUS] = {COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE},
	[ST_BAR] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_BOLD},
	[ST_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
	[ST_DIM] = {-1, -1, A_DIM, A_NORMAL},
	[ST_CURSOR] = {-1, -1, A_REVERSE, A_REVERSE},
	[ST_HIGHLIGHT] = {COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_UNDERLINE | A_BOLD},
	[ST_MATCH] = {COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_BOLD},
	[ST_HEADER] = {-1, -1, A_BOLD | A_UNDERLINE, A_BOLD},
};

void draw_init_colors(bool on)
{
	if (!on)
		return;
	start_color();
	use_default_colors();
	for (int s = 1; s < ST_COUNT; s++)
		if (styles[s].fg != -1 || styles[s].bg != -1)
			init_pair((short)s, styles[s].fg, styles[s].bg);
}

attr_t draw_style(bool color, enum ui_style s)
{
	if (!color)
		return styles[s].mono;
	attr_t a = styles[s].color_extra;
	if (styles[s].fg != -1 || styles[s].bg != -1)
		a |= COLOR_PAIR(s);
	return a;
}

enum ui_class ui_class_of(enum gt_class c)
{
	switch (c) {
	case GT_TP:
		return UC_TP;
	case GT_FP:
		return UC_FP;
	case GT_FN:
		return UC_FN;
	case GT_BOOT:
		return UC_BOOT;
	}
	return UC_NONE;
}

enum ui_style ui_class_style(enum ui_class c)
{
	static const enum ui_style st[] = {ST_NORMAL, ST_TP, ST_FP, ST_FN, ST_BOOT};
	return st[c];
}

const char *draw_class_label(bool color, enum ui_class c)
{
	static const char *const plain[] = {"", "TP", "FP", "FN", "boot"};
	static const char *const marked[] = {"", "[TP]", "[FP]", "[FN]", "[boot]"};
	return color ? plain[c] : marked[c];
}

void ui_put(WINDOW *w, int y, int x, int width, attr_t attr, const char *s)
{
	if (width <= 0 || !s)
		return;
	wmove(w, y, x);
	wattr_set(w, attr, PAIR_NUMBER(attr), NULL);
	for (int i = 0; i < width && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		waddch(w, c >= 0x20 && c < 0x7f ? c : '.');
	}
	wattr_set(w, A_NORMAL, 0, NULL);
}

void ui_putf(WINDOW *w, int y, int x, int width, attr_t attr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ui_put(w, y, x, width, attr, buf);
}

void ui_fill(WINDOW *w, int y, int x, int width, attr_t attr)
{
	if (width <= 0)
		return;
	wmove(w, y, x);
	wattr_set(w, attr, PAIR_NUMBER(attr), NULL);
	for (int i = 0; i < width; i++)
		waddch(w, ' ');
	wattr_set(w, A_NORMAL, 0, NULL);
}

const char *ui_short_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	int u = -1;
	while (bytes >= 1024 && bytes % 1024 == 0 && u < 5) {
		bytes /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)bytes, units[u]);
	return buf;
}

int ui_parse_addr(const char *s, uint64_t *out)
{
	char buf[64];
	size_t n;
	s += strspn(s, " \t");
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n || n > 40)
		return -1;
	bool prefixed = n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	snprintf(buf, sizeof(buf), "%s%.*s", prefixed ? "" : "0x", (int)n, s);
	return parse_u64(buf, out);
}

int ui_va_digits(const struct radix_shape *s)
{
	if (s->va_signed || s->va_bits >= 64)
		return 16;
	return ui_addr_digits(s->va_upper | ((1ULL << s->va_bits) - 1), UI_ADDR_MIN_DIGITS);
}

int ui_addr_digits(uint64_t max, int min)
{
	int d = min;
	while (d < 16 && (max >> (4 * d)))
		d++;
	return d;
}

/* ---- lists ------------------------------------------------------------- */

void ui_list_fit(struct ui_list *l, int h)
{
	size_t rows = h > 0 ? (size_t)h : 1;
	l->height = h;
	if (l->n == 0) {
		l->cur = l->top = 0;
		return;
	}
	if (l->no_cursor) {
		size_t maxtop = l->n > rows ? l->n - rows : 0;
		if (l->top > maxtop)
			l->top = maxtop;
		l->cur = l->top;
		return;
	}
	if (l->cur >= l->n)
		l->cur = l->n - 1;
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur >= l->top + rows)
		l->top = l->cur - rows + 1;
	if (l->top + rows > l->n)
		l->top = l->n > rows ? l->n - rows : 0;
}

void ui_list_set(struct ui_list *l, size_t cur)
{
	l->cur = cur;
	if (l->no_cursor)
		l->top = cur;
	ui_list_fit(l, l->height);
}

static size_t sub_sat(size_t a, size_t b)
{
	return a > b ? a - b : 0;
}

bool ui_list_key(struct ui_list *l, int key)
{
	size_t page = l->height > 1 ? (size_t)l->height - 1 : 1, half = page / 2 ? page / 2 : 1;
	size_t *p = l->no_cursor ? &l->top : &l->cur;
	switch (key) {
	case KEY_UP:
		*p = sub_sat(*p, 1);
		break;
	case KEY_DOWN:
		*p += 1;
		break;
	case KEY_PPAGE:
		*p = sub_sat(*p, page);
		if (!l->no_cursor)
			l->top = sub_sat(l->top, page);
		break;
	case KEY_NPAGE:
		*p += page;
		if (!l->no_cursor)
			l->top += page;
		break;
	case UIK_HALF_UP:
		*p = sub_sat(*p, half);
		break;
	case UIK_HALF_DOWN:
		*p += half;
		break;
	case KEY_HOME:
		*p = 0;
		break;
	case KEY_END:
		*p = l->n ? l->n - 1 : 0;
		break;
	default:
		return false;
	}
	if (l->no_cursor && *p + 1 > l->n)
		*p = l->n ? l->n - 1 : 0;
	if (!l->no_cursor && l->n && l->cur >= l->n)
		l->cur = l->n - 1;
	ui_list_fit(l, l->height);
	return true;
}
