#include "autoconfig.h"

#include "intervals.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void ivset_init(struct ivset *s)
{
	memset(s, 0, sizeof(*s));
}

void ivset_free(struct ivset *s)
{
	free(s->v);
	ivset_init(s);
}

void ivset_clear(struct ivset *s)
{
	s->n = 0;
}

void ivset_copy(struct ivset *dst, const struct ivset *src)
{
	dst->n = 0;
	xgrow(&dst->v, &dst->cap, src->n, sizeof(*dst->v));
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	dst->n = src->n;
}

size_t ivset_lower_bound(const struct ivset *s, uint64_t addr)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid].last < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long ivset_find(const struct ivset *s, uint64_t addr)
{
	size_t i = ivset_lower_bound(s, addr);
	if (i < s->n && s->v[i].start <= addr)
		return (long)i;
	return -1;
}

bool ivset_contains(const struct ivset *s, uint64_t addr)
{
	return ivset_find(s, addr) >= 0;
}

bool ivset_covers(const struct ivset *s, uint64_t start, uint64_t last)
{
	long i = ivset_find(s, start);
	return i >= 0 && s->v[i].last >= last;
}

bool ivset_overlaps(const struct ivset *s, uint64_t start, uint64_t last)
{
	size_t i = ivset_lower_bound(s, start);
	return i < s->n && s->v[i].start <= last;
}

/* Touching means [a] ends right before [b] starts; careful at 2^64-1. */
static bool touches_or_overlaps(uint64_t last, uint64_t start)
{
	return last == UINT64_MAX || last + 1 >= start;
}

void ivset_add(struct ivset *s, uint64_t start, uint64_t last)
{
	if (start > last)
		return;
	/* First interval that may merge: its last + 1 >= start. */
	size_t i = ivset_lower_bound(s, start ? start - 1 : 0);
	size_t j = i;
	while (j < s->n && (last == UINT64_MAX || s->v[j].start <= last + 1)) {
		if (s->v[j].start < start)
			start = s->v[j].start;
		if (s->v[j].last > last)
			last = s->v[j].last;
		j++;
	}
	if (j == i) {
		xgrow(&s->v, &s->cap, s->n + 1, sizeof(*s->v));
		memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
		s->n++;
	} else if (j > i + 1) {
		memmove(&s->v[i + 1], &s->v[j], (s->n - j) * sizeof(*s->v));
		s->n -= j - i - 1;
	}
	s->v[i].start = start;
	s->v[i].last = last;
}

void ivset_remove(struct ivset *s, uint64_t start, uint64_t last)
{
	if (start > last)
		return;
	size_t i = ivset_lower_bound(s, start);
	while (i < s->n && s->v[i].start <= last) {
		struct interval cur = s->v[i];
		bool keep_left = cur.start < start, keep_right = cur.last > last;
		if (keep_left && keep_right) {
			xgrow(&s->v, &s->cap, s->n + 1, sizeof(*s->v));
			memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
			s->n++;
			s->v[i].last = start - 1;
			s->v[i + 1].start = last + 1;
			return;
		}
		if (keep_left) {
			s->v[i].last = start - 1;
			i++;
		} else if (keep_right) {
			s->v[i].start = last + 1;
			return;
		} else {
			memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(*s->v));
			s->n--;
		}
	}
}

void ivset_union(struct ivset *out, const struct ivset *a, const struct ivset *b)
{
	struct ivset r;
	ivset_init(&r);
	size_t i = 0, j = 0;
	while (i < a->n || j < b->n) {
		struct interval next;
		if (j >= b->n || (i < a->n && a->v[i].start <= b->v[j].start))
			next = a->v[i++];
		else
			next = b->v[j++];
		if (r.n && touches_or_overlaps(r.v[r.n - 1].last, next.start)) {
			if (next.last > r.v[r.n - 1].last)
				r.v[r.n - 1].last = next.last;
		} else {
			VEC_PUSH(r.v, r.n, r.cap, next);
		}
	}
	ivset_free(out);
	*out = r;
}

void ivset_intersect(struct ivset *out, const struct ivset *a, const struct ivset *b)
{
	struct ivset r;
	ivset_init(&r);
	size_t i = 0, j = 0;
	while (i < a->n && j < b->n) {
		uint64_t s = MMU_MAX(a->v[i].start, b->v[j].start);
		uint64_t l = MMU_MIN(a->v[i].last, b->v[j].last);
		if (s <= l) {
			struct interval iv = {s, l};
			VEC_PUSH(r.v, r.n, r.cap, iv);
		}
		if (a->v[i].last < b->v[j].last)
			i++;
		else
			j++;
	}
	ivset_free(out);
	*out = r;
}

void ivset_difference(struct ivset *out, const struct ivset *a, const struct ivset *b)
{
	struct ivset r;
	ivset_init(&r);
	ivset_copy(&r, a);
	for (size_t j = 0; j < b->n; j++)
		ivset_remove(&r, b->v[j].start, b->v[j].last);
	ivset_free(out);
	*out = r;
}

uint64_t ivset_total(const struct ivset *s)
{
	uint64_t t = 0;
	for (size_t i = 0; i < s->n; i++) {
		uint64_t len = s->v[i].last - s->v[i].start;
		if (len == UINT64_MAX || t > UINT64_MAX - len - 1)
			return UINT64_MAX;
		t += len + 1;
	}
	return t;
}

bool ivset_equal(const struct ivset *a, const struct ivset *b)
{
	return a->n == b->n && (!a->n || !memcmp(a->v, b->v, a->n * sizeof(*a->v)));
}
