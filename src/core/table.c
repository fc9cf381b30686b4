#include "autoconfig.h"

#include "table.h"

#include <stdlib.h>
#include <string.h>

void table_init(struct table *t, size_t ncols, const char *const *headers)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	for (size_t i = 0; i < ncols; i++)
		VEC_PUSH(t->cells, t->ncells, t->cap, xstrdup(headers[i]));
}

void table_cell(struct table *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	VEC_PUSH(t->cells, t->ncells, t->cap, s);
}

size_t table_rows(const struct table *t)
{
	return t->ncells / t->ncols - 1;
}

void table_render(const struct table *t, struct sbuf *out)
{
	size_t *w = xcalloc(t->ncols, sizeof(*w));
	for (size_t i = 0; i < t->ncells; i++) {
		size_t l = strlen(t->cells[i]);
		if (l > w[i % t->ncols])
			w[i % t->ncols] = l;
	}
	for (size_t i = 0; i < t->ncells; i++) {
		size_t c = i % t->ncols;
		bool last = c == t->ncols - 1 || i == t->ncells - 1;
		int width = (int)w[c];
		if (t->right_align & (1u << c))
			sbuf_printf(out, "%*s", width, t->cells[i]);
		else if (last)
			sbuf_printf(out, "%s", t->cells[i]);
		else
			sbuf_printf(out, "%-*s", width, t->cells[i]);
		sbuf_printf(out, last ? "\n" : "  ");
	}
	free(w);
}

void table_free(struct table *t)
{
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
