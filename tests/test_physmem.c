#include "autoconfig.h"

#include <stdlib.h>

#include "config.h"
#include "fixtures.h"
#include "physmem.h"
#include "unit.h"

/*
 * Layout: RAM A [0x0, 0x3fff] (seed 1), RAM B [0x4000, 0x5fff] (seed 2,
 * adjacent to A), hole, MMIO [0x8000, 0x8fff], RAM C [0x10000, 0x10fff]
 * (seed 3); not_ram also overlaps RAM A at [0x3000, 0x3fff].
 */
static struct machine_config cfg;
static struct physmem pm;

static int open_layout(void)
{
	char *dir = fx_tmpdir();
	fx_pattern_file(dir, "a.bin", 0x4000, 1);
	fx_pattern_file(dir, "b.bin", 0x2000, 2);
	fx_pattern_file(dir, "c.bin", 0x1000, 3);
	const char *yaml = fx_write(dir, "m.yaml",
				    "cpu: {architecture: riscv, endianness: little, bits: 64}\n"
				    "mmu: {mode: sv39}\n"
				    "memspace:\n"
				    "  ram:\n"
				    "    - {start: 0x10000, end: 0x10fff, dumpfile: c.bin}\n"
				    "    - {start: 0x0, end: 0x3fff, dumpfile: a.bin}\n"
				    "    - {start: 0x4000, end: 0x5fff, dumpfile: b.bin}\n"
				    "  not_ram:\n"
				    "    - {start: 0x8000, end: 0x8fff}\n"
				    "    - {start: 0x3000, end: 0x3fff}\n");
	struct err e = {{0}};
	if (config_load(yaml, &cfg, &e) || physmem_open(&pm, &cfg, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	return 0;
}

static void close_layout(void)
{
	physmem_close(&pm);
	config_free(&cfg);
}

static void test_reads(void)
{
	CU_ASSERT_EQUAL_FATAL(open_layout(), 0);
	uint8_t buf[16];
	/* Inside a region. */
	CU_ASSERT_EQUAL(physmem_read(&pm, 0x100, buf, 16), 16);
	CU_ASSERT_EQUAL(buf[0], fx_pattern_byte(0x100, 1));
	CU_ASSERT_EQUAL(buf[15], fx_pattern_byte(0x10f, 1));
	/* Across adjacent regions A -> B. */
	CU_ASSERT_EQUAL(physmem_read(&pm, 0x3ff8, buf, 16), 16);
	CU_ASSERT_EQUAL(buf[7], fx_pattern_byte(0x3fff, 1));
	CU_ASSERT_EQUAL(buf[8], fx_pattern_byte(0, 2));
	/* Running into a hole stops at the region's end. */
	CU_ASSERT_EQUAL(physmem_read(&pm, 0x5ffc, buf, 16), 4);
	CU_ASSERT_EQUAL(buf[3], fx_pattern_byte(0x1fff, 2));
	/* In a hole, in MMIO: absent. */
	CU_ASSERT_EQUAL(physmem_read(&pm, 0x6000, buf, 16), 0);
	CU_ASSERT_EQUAL(physmem_read(&pm, 0x8000, buf, 16), 0);
	CU_ASSERT_EQUAL(physmem_read(&pm, UINT64_MAX - 3, buf, 16), 0);
	/* Last region, last byte. */
	CU_ASSERT_EQUAL(physmem_read(&pm, 0x10fff, buf, 16), 1);
	CU_ASSERT_EQUAL(buf[0], fx_pattern_byte(0xfff, 3));
	/* Direct pointers only within one region. */
	CU_ASSERT_PTR_NOT_NULL(physmem_ptr(&pm, 0x3000, 0x1000));
	CU_ASSERT_PTR_NULL(physmem_ptr(&pm, 0x3ff8, 16));
	CU_ASSERT_PTR_NULL(physmem_ptr(&pm, 0x6000, 1));
	uint32_t w;
	CU_ASSERT_TRUE(physmem_read_u32(&pm, 0x10000, &w));
	CU_ASSERT_EQUAL(w & 0xff, fx_pattern_byte(0, 3));
	CU_ASSERT_FALSE(physmem_read_u32(&pm, 0x10ffe, &w));
	uint64_t q;
	CU_ASSERT_TRUE(physmem_read_u64(&pm, 0x3ffc, &q));
	CU_ASSERT_EQUAL(q >> 56, fx_pattern_byte(3, 2));
	close_layout();
}

static void test_predicates(void)
{
	CU_ASSERT_EQUAL_FATAL(open_layout(), 0);
	CU_ASSERT_TRUE(physmem_is_ram(&pm, 0x0));
	CU_ASSERT_TRUE(physmem_is_ram(&pm, 0x5fff));
	CU_ASSERT_FALSE(physmem_is_ram(&pm, 0x6000));
	CU_ASSERT_TRUE(physmem_range_is_ram(&pm, 0x3000, 0x3000));
	CU_ASSERT_FALSE(physmem_range_is_ram(&pm, 0x5000, 0x2000));
	CU_ASSERT_TRUE(physmem_is_not_ram(&pm, 0x8000));
	CU_ASSERT_TRUE(physmem_is_not_ram(&pm, 0x3000));  /* declared, though RAM too */
	CU_ASSERT_FALSE(physmem_is_not_ram(&pm, 0x6000)); /* hole */
	/* not-valid = not_ram minus RAM: MMIO only. */
	CU_ASSERT_TRUE(physmem_is_not_valid(&pm, 0x8abc));
	CU_ASSERT_FALSE(physmem_is_not_valid(&pm, 0x3000));
	CU_ASSERT_FALSE(physmem_is_not_valid(&pm, 0x6000));
	CU_ASSERT_EQUAL(pm.ram_bytes, 0x7000);
	CU_ASSERT_EQUAL(pm.ram.n, 2); /* A and B merged */
	close_layout();
}

static void test_frames(void)
{
	CU_ASSERT_EQUAL_FATAL(open_layout(), 0);
	struct frameset fs;
	frameset_build(&fs, &pm, 0x1000, 0);
	CU_ASSERT_EQUAL(fs.total, 7);
	CU_ASSERT_EQUAL(frameset_addr(&fs, 0), 0x0);
	CU_ASSERT_EQUAL(frameset_addr(&fs, 5), 0x5000);
	CU_ASSERT_EQUAL(frameset_addr(&fs, 6), 0x10000);
	/* Chunks cover every frame exactly once. */
	uint64_t seen = 0, count = 0;
	for (unsigned i = 0; i < 3; i++) {
		uint64_t first, end, addr;
		struct frame_cursor c;
		frameset_chunk(&fs, 3, i, &first, &end);
		CU_ASSERT_TRUE(end - first == 2 || end - first == 3);
		frame_cursor_init(&c, &fs, first, end);
		while (frame_cursor_next(&c, &addr)) {
			seen ^= addr;
			count++;
		}
	}
	CU_ASSERT_EQUAL(count, 7);
	CU_ASSERT_EQUAL(seen, 0x0 ^ 0x1000 ^ 0x2000 ^ 0x3000 ^ 0x4000 ^ 0x5000 ^ 0x10000);
	frameset_free(&fs);
	/* 16 KiB frames: only [0, 0x3fff] fits; 8 KiB frames: 0, 0x2000, 0x4000. */
	frameset_build(&fs, &pm, 0x4000, 0);
	CU_ASSERT_EQUAL(fs.total, 1);
	frameset_free(&fs);
	frameset_build(&fs, &pm, 0x2000, 0);
	CU_ASSERT_EQUAL(fs.total, 3);
	frameset_free(&fs);
	/* max address cuts the scan. */
	frameset_build(&fs, &pm, 0x1000, 0x2800);
	CU_ASSERT_EQUAL(fs.total, 2);
	frameset_free(&fs);
	close_layout();
}

void register_physmem_tests(void)
{
	static const struct unit_test t[] = {
		{"reads", test_reads}, {"predicates", test_predicates}, {"frames", test_frames},
	};
	unit_add_suite("physmem", t, ARRAY_LEN(t));
}
