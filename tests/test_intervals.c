#include "autoconfig.h"

#include "intervals.h"
#include "unit.h"
#include "util.h"

static void expect(const struct ivset *s, const struct interval *want, size_t n)
{
	CU_ASSERT_EQUAL_FATAL(s->n, n);
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(s->v[i].start, want[i].start);
		CU_ASSERT_EQUAL(s->v[i].last, want[i].last);
	}
}

static void test_add_merge(void)
{
	struct ivset s;
	ivset_init(&s);
	ivset_add(&s, 0x3000, 0x3fff);
	ivset_add(&s, 0x1000, 0x1fff);
	ivset_add(&s, 0x5000, 0x5fff);
	const struct interval w1[] = {{0x1000, 0x1fff}, {0x3000, 0x3fff}, {0x5000, 0x5fff}};
	expect(&s, w1, 3);
	ivset_add(&s, 0x2000, 0x2fff); /* touches both neighbours: one interval */
	const struct interval w2[] = {{0x1000, 0x3fff}, {0x5000, 0x5fff}};
	expect(&s, w2, 2);
	ivset_add(&s, 0x0, 0x10000); /* swallows everything */
	const struct interval w3[] = {{0x0, 0x10000}};
	expect(&s, w3, 1);
	ivset_add(&s, 5, 4); /* empty: ignored */
	expect(&s, w3, 1);
	ivset_free(&s);
}

static void test_top_of_space(void)
{
	struct ivset s;
	ivset_init(&s);
	ivset_add(&s, 0xfffffffffffff000ULL, UINT64_MAX);
	ivset_add(&s, 0xffffffffffffe000ULL, 0xffffffffffffefffULL);
	const struct interval w[] = {{0xffffffffffffe000ULL, UINT64_MAX}};
	expect(&s, w, 1);
	CU_ASSERT_TRUE(ivset_contains(&s, UINT64_MAX));
	CU_ASSERT_EQUAL(ivset_total(&s), 0x2000);
	ivset_add(&s, 0, UINT64_MAX);
	CU_ASSERT_EQUAL(ivset_total(&s), UINT64_MAX);
	ivset_remove(&s, 1, UINT64_MAX);
	const struct interval w2[] = {{0, 0}};
	expect(&s, w2, 1);
	ivset_free(&s);
}

static void test_remove_split(void)
{
	struct ivset s;
	ivset_init(&s);
	ivset_add(&s, 0x0, 0xffff);
	ivset_remove(&s, 0x1000, 0x1fff);
	const struct interval w1[] = {{0x0, 0xfff}, {0x2000, 0xffff}};
	expect(&s, w1, 2);
	ivset_remove(&s, 0x0, 0x2fff);
	const struct interval w2[] = {{0x3000, 0xffff}};
	expect(&s, w2, 1);
	ivset_remove(&s, 0xf000, 0x20000);
	const struct interval w3[] = {{0x3000, 0xefff}};
	expect(&s, w3, 1);
	ivset_free(&s);
}

static void test_queries(void)
{
	struct ivset s;
	ivset_init(&s);
	ivset_add(&s, 0x1000, 0x1fff);
	ivset_add(&s, 0x8000, 0x8fff);
	CU_ASSERT_FALSE(ivset_contains(&s, 0xfff));
	CU_ASSERT_TRUE(ivset_contains(&s, 0x1000));
	CU_ASSERT_TRUE(ivset_contains(&s, 0x1fff));
	CU_ASSERT_FALSE(ivset_contains(&s, 0x2000));
	CU_ASSERT_EQUAL(ivset_find(&s, 0x8800), 1);
	CU_ASSERT_EQUAL(ivset_find(&s, 0x9000), -1);
	CU_ASSERT_TRUE(ivset_covers(&s, 0x1000, 0x1fff));
	CU_ASSERT_FALSE(ivset_covers(&s, 0x1000, 0x2000));
	CU_ASSERT_TRUE(ivset_overlaps(&s, 0x0, 0x1000));
	CU_ASSERT_FALSE(ivset_overlaps(&s, 0x2000, 0x7fff));
	CU_ASSERT_EQUAL(ivset_total(&s), 0x2000);
	ivset_free(&s);
}

static void test_algebra(void)
{
	struct ivset a, b, u, d, x;
	ivset_init(&a);
	ivset_init(&b);
	ivset_init(&u);
	ivset_init(&d);
	ivset_init(&x);
	ivset_add(&a, 0, 99);
	ivset_add(&a, 200, 299);
	ivset_add(&b, 50, 249);
	ivset_add(&b, 300, 310);
	ivset_union(&u, &a, &b);
	const struct interval wu[] = {{0, 310}};
	expect(&u, wu, 1);
	ivset_difference(&d, &a, &b);
	const struct interval wd[] = {{0, 49}, {250, 299}};
	expect(&d, wd, 2);
	ivset_intersect(&x, &a, &b);
	const struct interval wx[] = {{50, 99}, {200, 249}};
	expect(&x, wx, 2);
	/* Algebra identities: (a - b) u (a n b) == a. */
	ivset_union(&u, &d, &x);
	CU_ASSERT_TRUE(ivset_equal(&u, &a));
	ivset_free(&a);
	ivset_free(&b);
	ivset_free(&u);
	ivset_free(&d);
	ivset_free(&x);
}

void register_intervals_tests(void)
{
	static const struct unit_test t[] = {
		{"add_merge", test_add_merge}, {"top_of_space", test_top_of_space},
		{"remove_split", test_remove_split}, {"queries", test_queries}, {"algebra", test_algebra},
	};
	unit_add_suite("intervals", t, ARRAY_LEN(t));
}
