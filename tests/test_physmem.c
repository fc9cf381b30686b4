#include "autoconfig.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "fixtures.h"
#include "physmem.h"
#include "unit.h"

/* AddressSanitizer has a SIGBUS handler of its own (GCC says so one way, clang another). */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

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

/*
 * Runs child in a process of its own with stderr to a pipe; returns its wait
 * status and what it wrote (allocated).
 */
static int in_child(void (*child)(const char *), const char *arg, char **err)
{
	int p[2];
	if (pipe(p)) {
		*err = xstrdup("");
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		child(arg);
		_exit(0);
	}
	close(p[1]);
	struct sbuf b = {0};
	char chunk[512];
	ssize_t n;
	while ((n = read(p[0], chunk, sizeof(chunk))) > 0)
		sbuf_append(&b, chunk, (size_t)n);
	close(p[0]);
	int status = -1;
	waitpid(pid, &status, 0);
	*err = sbuf_take(&b);
	return status;
}

/* In a child: the dump yaml describes, mapped; else its message and exit status 3. */
static void child_open(const char *yaml, struct machine_config *c, struct physmem *m)
{
	struct err e = {{0}};
	if (config_load(yaml, c, &e) || physmem_open(m, c, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		_exit(3);
	}
}

/* Maps the dump, then it shrinks under the mapping (another program truncates it): the read faults. */
static void read_after_truncate(const char *yaml)
{
	struct machine_config c;
	struct physmem m;
	child_open(yaml, &c, &m);
	if (truncate(c.ram[0].path, 0x1000))
		_exit(4);
	uint64_t v;
	physmem_read_u64(&m, 0x80002000, &v);
	_exit(5); /* not reached: the read faults */
}

/* A SIGBUS that is not a dump's (another file mapped and truncated): what it would do without physmem's handler. */
static void sigbus_elsewhere(const char *yaml)
{
	struct machine_config c;
	struct physmem m;
	child_open(yaml, &c, &m);
	char *other = xasprintf("%s.other", c.ram[0].path);
	int fd = open(other, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 0x2000))
		_exit(4);
	const volatile uint8_t *p = mmap(NULL, 0x2000, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED || ftruncate(fd, 0))
		_exit(4);
	unlink(other);
	setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0}); /* no core file in the build folder */
	(void)p[0x1000];
	_exit(5); /* not reached */
}

/*
 * bad-input D06
 * A dump file that becomes shorter while mapped: one message naming the file,
 * the offset and the physical address, and exit status 1, not a crash.
 */
static void test_shrunk_file(void)
{
	char *dir = fx_tmpdir();
	const char *bin = fx_pattern_file(dir, "ram.bin", 0x4000, 1);
	const char *yaml = fx_write(dir, "m.yaml",
				    "cpu: {architecture: riscv, endianness: little, bits: 64}\n"
				    "mmu: {mode: sv39}\n"
				    "memspace:\n"
				    "  ram:\n"
				    "    - {start: 0x80000000, end: 0x80003fff, dumpfile: ram.bin}\n");
	/* Killed by the signal (or reported by AddressSanitizer's handler, in a sanitized build): never our message. */
	char *err;
	int status = in_child(sigbus_elsewhere, yaml, &err);
	CU_ASSERT_PTR_NULL(strstr(err, "dump file"));
#ifdef UNDER_ASAN
	CU_ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 5));
#else
	CU_ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
#endif
	free(err);
	/* Last: it leaves the dump shorter. */
	status = in_child(read_after_truncate, yaml, &err);
	CU_ASSERT_TRUE(WIFEXITED(status));
	CU_ASSERT_EQUAL(WEXITSTATUS(status), 1);
	char *want = xasprintf("mmushell: dump file '%s': cannot read offset 0x2000 (physical address 0x80002000): "
			       "the file became shorter while open, or its disk failed to read it\n", bin);
	ASSERT_STR_EQ(err, want);
	free(want);
	free(err);
}

void register_physmem_tests(void)
{
	static const struct unit_test t[] = {
		{"reads", test_reads}, {"predicates", test_predicates}, {"frames", test_frames},
		{"shrunk_file", test_shrunk_file},
	};
	unit_add_suite("physmem", t, ARRAY_LEN(t));
}
