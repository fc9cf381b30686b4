#include "autoconfig.h"

#include <stdlib.h>

#include "unit.h"
#include "util.h"

static void test_parse_u64(void)
{
	uint64_t v;
	CU_ASSERT_EQUAL(parse_u64("0", &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(parse_u64("4096", &v), 0);
	CU_ASSERT_EQUAL(v, 4096);
	CU_ASSERT_EQUAL(parse_u64("0x1000", &v), 0);
	CU_ASSERT_EQUAL(v, 0x1000);
	CU_ASSERT_EQUAL(parse_u64("0XfFfF", &v), 0);
	CU_ASSERT_EQUAL(v, 0xffff);
	CU_ASSERT_EQUAL(parse_u64("0xffff_ffff_ffff_ffff", &v), 0);
	CU_ASSERT_EQUAL(v, UINT64_MAX);
	CU_ASSERT_EQUAL(parse_u64("18446744073709551615", &v), 0);
	CU_ASSERT_EQUAL(v, UINT64_MAX);
	CU_ASSERT_EQUAL(parse_u64("18446744073709551616", &v), -1);
	CU_ASSERT_EQUAL(parse_u64("0x10000000000000000", &v), -1);
	CU_ASSERT_EQUAL(parse_u64("", &v), -1);
	CU_ASSERT_EQUAL(parse_u64("0x", &v), -1);
	CU_ASSERT_EQUAL(parse_u64("12a", &v), -1);
	CU_ASSERT_EQUAL(parse_u64("-1", &v), -1);
	CU_ASSERT_EQUAL(parse_u64(" 1", &v), -1);
	CU_ASSERT_EQUAL(parse_u64("0x_1", &v), -1);
}

static void test_parse_size(void)
{
	uint64_t v;
	CU_ASSERT_EQUAL(parse_size("64K", &v), 0);
	CU_ASSERT_EQUAL(v, 64 << 10);
	CU_ASSERT_EQUAL(parse_size("512m", &v), 0);
	CU_ASSERT_EQUAL(v, 512ULL << 20);
	CU_ASSERT_EQUAL(parse_size("4G", &v), 0);
	CU_ASSERT_EQUAL(v, 4ULL << 30);
	CU_ASSERT_EQUAL(parse_size("0x1000", &v), 0);
	CU_ASSERT_EQUAL(v, 0x1000);
	CU_ASSERT_EQUAL(parse_size("G", &v), -1);
	CU_ASSERT_EQUAL(parse_size("17179869184G", &v), -1);
}

static void test_bits(void)
{
	CU_ASSERT_EQUAL(mask_bits(51, 12), 0x000ffffffffff000ULL);
	CU_ASSERT_EQUAL(mask_bits(63, 0), UINT64_MAX);
	CU_ASSERT_EQUAL(mask_bits(3, 4), 0);
	CU_ASSERT_EQUAL(bits_get(0xabcd, 11, 4), 0xbc);
	CU_ASSERT_EQUAL(bits_get(UINT64_MAX, 63, 0), UINT64_MAX);
	CU_ASSERT_EQUAL(sign_extend(0x0000800000000000ULL, 47), 0xffff800000000000ULL);
	CU_ASSERT_EQUAL(sign_extend(0x00007fffffffffffULL, 47), 0x00007fffffffffffULL);
	CU_ASSERT_EQUAL(sign_extend(0x4000000000ULL, 38), 0xffffffc000000000ULL);
	CU_ASSERT_EQUAL(log2_u64(4096), 12);
	CU_ASSERT_EQUAL(align_down(0x12345, 0x1000), 0x12000);
}

static void test_byte_order(void)
{
	uint8_t b[8];
	wr32(b, 0x11223344, false);
	CU_ASSERT_EQUAL(b[0], 0x44);
	CU_ASSERT_EQUAL(rd32(b, false), 0x11223344);
	CU_ASSERT_EQUAL(rd32(b, true), 0x44332211);
	wr64(b, 0x0102030405060708ULL, true);
	CU_ASSERT_EQUAL(b[0], 0x01);
	CU_ASSERT_EQUAL(rd64(b, true), 0x0102030405060708ULL);
	CU_ASSERT_EQUAL(rd64(b, false), 0x0807060504030201ULL);
	wr16(b, 0xabcd, false);
	CU_ASSERT_EQUAL(rd16(b, false), 0xabcd);
	CU_ASSERT_EQUAL(rd16(b, true), 0xcdab);
}

static void test_text(void)
{
	char buf[32];
	ASSERT_STR_EQ(fmt_size(512, buf, sizeof(buf)), "512 B");
	ASSERT_STR_EQ(fmt_size(1536, buf, sizeof(buf)), "1.5 KiB");
	ASSERT_STR_EQ(fmt_size(4ULL << 30, buf, sizeof(buf)), "4.0 GiB");
	char *p = path_join("/a/b", "c.dump");
	ASSERT_STR_EQ(p, "/a/b/c.dump");
	free(p);
	p = path_join("/a/b", "/abs/c.dump");
	ASSERT_STR_EQ(p, "/abs/c.dump");
	free(p);
	p = path_dirname("dir/m.yaml");
	ASSERT_STR_EQ(p, "dir");
	free(p);
	p = path_dirname("m.yaml");
	ASSERT_STR_EQ(p, ".");
	free(p);
	struct sbuf b = {0};
	sbuf_printf(&b, "%d-%s", 7, "x");
	sbuf_putc(&b, '!');
	ASSERT_STR_EQ(b.s, "7-x!");
	sbuf_free(&b);
}

static void test_sort_unique(void)
{
	uint64_t v[] = {5, UINT64_MAX, 1, 5, 0, 1, UINT64_MAX};
	size_t n = sort_unique_u64(v, ARRAY_LEN(v));
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT(v[0] == 0 && v[1] == 1 && v[2] == 5 && v[3] == UINT64_MAX);
	CU_ASSERT_EQUAL(sort_unique_u64(NULL, 0), 0);
	uint64_t key = 5;
	CU_ASSERT_PTR_EQUAL(bsearch(&key, v, n, sizeof(*v), cmp_u64_asc), &v[2]);
}

void register_util_tests(void)
{
	static const struct unit_test t[] = {
		{"parse_u64", test_parse_u64}, {"parse_size", test_parse_size}, {"bits", test_bits},
		{"byte_order", test_byte_order}, {"text", test_text}, {"sort_unique_u64", test_sort_unique},
	};
	unit_add_suite("util", t, ARRAY_LEN(t));
}
