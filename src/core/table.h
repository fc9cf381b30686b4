/* table: aligned text tables for the human-readable output of commands. */
#ifndef MMU_TABLE_H
#define MMU_TABLE_H

#include <stddef.h>

#include "util.h"

struct table {
	size_t ncols;
	char **cells;     /* row-major, header row first */
	size_t ncells, cap;
	unsigned right_align;  /* bit i: column i right-aligned */
};

void table_init(struct table *t, size_t ncols, const char *const *headers);
/* Adds one cell; rows fill left to right. */
void table_cell(struct table *t, const char *fmt, ...) MMU_PRINTF(2, 3);
void table_render(const struct table *t, struct sbuf *out);
size_t table_rows(const struct table *t);  /* data rows */
void table_free(struct table *t);

#endif
