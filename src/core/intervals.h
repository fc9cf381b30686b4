/*
 * intervals: sorted sets of closed address intervals [start, last].
 * Closed intervals let a set reach 2^64-1 without overflow.  Every operation
 * keeps the array sorted, disjoint and with touching intervals merged, so
 * lookups are one bisection.
 */
#ifndef MMU_INTERVALS_H
#define MMU_INTERVALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct interval {
	uint64_t start, last;
};

struct ivset {
	struct interval *v;
	size_t n, cap;
};

void ivset_init(struct ivset *s);
void ivset_free(struct ivset *s);
void ivset_clear(struct ivset *s);
void ivset_copy(struct ivset *dst, const struct ivset *src);
/* Union with [start, last]; ignores start > last. */
void ivset_add(struct ivset *s, uint64_t start, uint64_t last);
/* Removes [start, last]. */
void ivset_remove(struct ivset *s, uint64_t start, uint64_t last);
bool ivset_contains(const struct ivset *s, uint64_t addr);
/* True when every address of [start, last] is in s. */
bool ivset_covers(const struct ivset *s, uint64_t start, uint64_t last);
bool ivset_overlaps(const struct ivset *s, uint64_t start, uint64_t last);
/* Index of the interval holding addr, or -1. */
long ivset_find(const struct ivset *s, uint64_t addr);
/* Index of the first interval whose last >= addr (n if none). */
size_t ivset_lower_bound(const struct ivset *s, uint64_t addr);
void ivset_union(struct ivset *out, const struct ivset *a, const struct ivset *b);
void ivset_difference(struct ivset *out, const struct ivset *a, const struct ivset *b);
void ivset_intersect(struct ivset *out, const struct ivset *a, const struct ivset *b);
/* Number of addresses in the set, saturated at UINT64_MAX. */
uint64_t ivset_total(const struct ivset *s);
bool ivset_equal(const struct ivset *a, const struct ivset *b);

#endif
