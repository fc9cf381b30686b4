#include "autoconfig.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "config.h"
#include "fixtures.h"
#include "scan.h"
#include "unit.h"

struct seen {
	atomic_ullong sum, count, bytes_ok;
	unsigned workers_used;
};

static void on_frame(void *ctx, unsigned worker, uint64_t addr, const uint8_t *frame)
{
	struct seen *s = ctx;
	atomic_fetch_add(&s->sum, addr);
	atomic_fetch_add(&s->count, 1);
	/* The frame's bytes are those at its physical address. */
	bool ok = true;
	for (uint64_t off = 0; off < 0x1000; off += 0x100) {
		uint64_t pa = addr + off;
		uint8_t want = pa < 0x2800 ? fx_pattern_byte(pa, 0) : fx_pattern_byte(pa - 0x2800, 0);
		ok &= frame[off] == want;
	}
	if (ok)
		atomic_fetch_add(&s->bytes_ok, 1);
	__atomic_fetch_or(&s->workers_used, 1u << worker, __ATOMIC_RELAXED);
}

static void test_parallel_scan(void)
{
	char *dir = fx_tmpdir();
	/* Two adjacent regions split mid-frame at 0x2800: that frame spans both. */
	fx_pattern_file(dir, "a.bin", 0x2800, 0);
	fx_pattern_file(dir, "b.bin", 0x5800, 0);
	const char *y = fx_write(dir, "m.yaml",
				 "cpu: {architecture: riscv, endianness: little, bits: 64}\nmmu: {mode: sv39}\n"
				 "memspace:\n  ram:\n    - {start: 0, end: 0x27ff, dumpfile: a.bin}\n"
				 "    - {start: 0x2800, end: 0x7fff, dumpfile: b.bin}\n");
	struct machine_config cfg;
	struct physmem pm;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(config_load(y, &cfg, &e), 0);
	CU_ASSERT_EQUAL_FATAL(physmem_open(&pm, &cfg, &e), 0);
	struct progress prog = {0};
	struct seen s = {0};
	struct scan_job job = {.pm = &pm, .frame_size = 0x1000, .workers = 3, .fn = on_frame, .ctx = &s,
			       .progress = &prog};
	progress_start(&prog, "test", 0x8000);
	CU_ASSERT_EQUAL(scan_frames(&job, &e), 0);
	CU_ASSERT_EQUAL(atomic_load(&s.count), 8);
	CU_ASSERT_EQUAL(atomic_load(&s.sum), 0x1c000); /* 0 + 0x1000 + ... + 0x7000 */
	CU_ASSERT_EQUAL(atomic_load(&s.bytes_ok), 8);
	CU_ASSERT_EQUAL(s.workers_used, 7);
	CU_ASSERT_EQUAL(atomic_load(&prog.done), 0x8000);
	/* A cancelled scan says so. */
	atomic_store(&prog.cancel, 1);
	CU_ASSERT_EQUAL(scan_frames(&job, &e), -1);
	ASSERT_STR_EQ(e.msg, "cancelled");
	physmem_close(&pm);
	config_free(&cfg);
}

void register_scan_tests(void)
{
	static const struct unit_test t[] = {{"parallel_scan", test_parallel_scan}};
	unit_add_suite("scan", t, ARRAY_LEN(t));
}
