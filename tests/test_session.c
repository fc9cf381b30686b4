/*
 * Sessions (save_data / --session) and address-space export (export_vas,
 * export_all): round trips give the same answers; every kind of bad
 * session file gives its message.
 */
#include "autoconfig.h"

#include <dirent.h>
#include <elf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "elfcore.h"
#include "export.h"
#include "fixtures.h"
#include "mkdump/mkdump.h"
#include "radix.h"
#include "session.h"
#include "tablebuild.h"
#include "testlib.h"
#include "unit.h"

#define INTEL64 "{architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 39}}"

static int open_yaml(struct analysis *a, const char *yaml, const char *session, struct err *e)
{
	struct analysis_opts o = {.threads = 2, .session_path = session};
	return analysis_open(a, yaml, &o, e);
}

/* Every command that shows results answers the same from a session as from the analysis. */
static void same_answers(struct analysis *x, struct analysis *y, uint64_t root)
{
	char cmd[128];
	const char *cmds[] = {"show_radix_trees", "show_idtrs", "show_table 0x%llx", "show_vas 0x%llx",
			      "resolve 0x%llx 0x400010"};
	for (size_t i = 0; i < ARRAY_LEN(cmds); i++) {
		snprintf(cmd, sizeof(cmd), cmds[i], (unsigned long long)root);
		char *a = tl_json(x, cmd), *b = tl_json(y, cmd);
		if (strcmp(a, b))
			fprintf(stderr, "\n%s differs:\n  %s\n  %s\n", cmd, a, b);
		CU_ASSERT_STRING_EQUAL(a, b);
		CU_ASSERT_TRUE(strlen(a) > 20);
		free(a);
		free(b);
	}
}

/* Opens yaml and finds its trees, as a session or an export needs. */
static int open_found(struct analysis *a, const char *yaml)
{
	struct err e = {{0}};
	if (open_yaml(a, yaml, NULL, &e)) {
		fprintf(stderr, "\n%s\n", e.msg);
		return -1;
	}
	free(tl_json(a, "parse_memory"));
	free(tl_json(a, "find_radix_trees"));
	return 0;
}

static const char *build(char *dir, struct tb_ia64_idt *b)
{
	struct tb t;
	tb_build_ia64_idt(&t, b);
	const char *yaml = tb_write(&t, dir, INTEL64, "ia64", NULL);
	tb_free(&t);
	return yaml;
}

static void test_round_trip(void)
{
	char *dir = fx_tmpdir();
	struct tb_ia64_idt b;
	const char *yaml = build(dir, &b);
	char *sess = xasprintf("%s/s.mmu", dir);
	struct analysis x, y;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(open_found(&x, yaml), 0);
	CU_ASSERT_TRUE(x.dirty);
	char *cmd = xasprintf("save_data %s", sess);
	char *j = tl_json(&x, cmd);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"version\": 1"));
	CU_ASSERT_FALSE(x.dirty);
	free(j);
	free(cmd);
	if (open_yaml(&y, yaml, sess, &e))
		fprintf(stderr, "%s\n", e.msg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(y.radix);
	CU_ASSERT_TRUE(y.radix->found);
	CU_ASSERT_EQUAL(y.radix->ntrees, 2);
	same_answers(&x, &y, b.r1);
	/* The loaded state goes on working: checks recompute from the candidates. */
	CU_ASSERT_PTR_NULL(radix_root_problem(&y, &y.radix->space[0], b.r2));
	analysis_close(&x);
	analysis_close(&y);
	free(sess);
}

static void expect_load_error(const char *yaml, const char *sess, const char *tail)
{
	struct analysis a;
	struct err e = {{0}};
	CU_ASSERT_EQUAL(open_yaml(&a, yaml, sess, &e), -1);
	char *want = xasprintf("%s: %s", sess, tail);
	ASSERT_STR_EQ(e.msg, want);
	free(want);
}

/* The whole file, NUL-terminated; empty (and a failed assertion) when it cannot be opened. */
static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL(f);
	*len = 0;
	if (f) {
		fseek(f, 0, SEEK_END);
		*len = (size_t)ftell(f);
		fseek(f, 0, SEEK_SET);
	}
	uint8_t *b = xcalloc(*len + 1, 1);
	if (f) {
		CU_ASSERT_EQUAL(fread(b, 1, *len, f), *len);
		fclose(f);
	}
	return b;
}

static void test_bad_sessions(void)
{
	char *dir = fx_tmpdir();
	struct tb_ia64_idt b;
	const char *yaml = build(dir, &b);
	char *sess = xasprintf("%s/s.mmu", dir);
	struct analysis x;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(open_yaml(&x, yaml, NULL, &e), 0);
	free(tl_json(&x, "parse_memory"));
	CU_ASSERT_EQUAL_FATAL(session_save(&x, sess, &e), 0);
	analysis_close(&x);
	size_t len;
	uint8_t *good = slurp(sess, &len);

	const char *p = fx_write_bytes(dir, "trunc.mmu", good, len / 2);
	expect_load_error(yaml, p, "session file is truncated");
	p = fx_write_bytes(dir, "short.mmu", good, 10);
	expect_load_error(yaml, p, "not an mmushell session file");
	p = fx_write(dir, "text.mmu", "cpu: {architecture: intel}\n");
	expect_load_error(yaml, p, "not an mmushell session file");
	uint8_t *bad = xmalloc(len);
	memcpy(bad, good, len);
	bad[len / 2] ^= 0x55;
	p = fx_write_bytes(dir, "flip.mmu", bad, len);
	expect_load_error(yaml, p, "session data is corrupt (xz: compressed data is corrupt)");
	memcpy(bad, good, len);
	wr32(bad + 16, SESSION_VERSION + 1, false);
	p = fx_write_bytes(dir, "future.mmu", bad, len);
	expect_load_error(yaml, p, "session format version 2 is newer than this mmushell reads (1): update mmushell");
	/* bad-input S18 */
	memcpy(bad, good, len);
	wr32(bad + 20, 4, false);
	p = fx_write_bytes(dir, "flags.mmu", bad, len);
	expect_load_error(yaml, p, "session file uses features this mmushell does not know (flags 0x4): update mmushell");
	bad = xrealloc(bad, len + 3);
	memcpy(bad, good, len);
	memcpy(bad + len, "abc", 3);
	p = fx_write_bytes(dir, "tail.mmu", bad, len + 3);
	expect_load_error(yaml, p, "session data is corrupt (3 bytes after the end of the xz data)");
	memcpy(bad, good, 24);
	memcpy(bad + 24, "this is not xz data, just junk.", 32);
	p = fx_write_bytes(dir, "nojunk.mmu", bad, 56);
	expect_load_error(yaml, p, "not an mmushell session file (no xz data after the header)");
	free(bad);
	free(good);

	/* bad-input S19: the same dump with another m_phy or not_ram: results of another configuration. */
	const char *ram = "memspace:\n  ram:\n    - {start: 0x0, end: 0x3fffff, dumpfile: ram.bin}\n";
	char *y = xasprintf("cpu: {architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 38}}\n"
			    "mmu: {mode: ia64}\n%s", ram);
	expect_load_error(fx_write(dir, "m38.yaml", y), sess,
			  "section CONF: session belongs to another machine configuration: processor_features m_phy 39, "
			  "this one 38");
	free(y);
	y = xasprintf("cpu: %s\nmmu: {mode: ia64}\n%s  not_ram:\n    - {start: 0x10000000, end: 0x10000fff}\n", INTEL64, ram);
	expect_load_error(fx_write(dir, "mmio.yaml", y), sess,
			  "section CONF: session belongs to another machine configuration: not_ram 0x10000000-0x10000fff was "
			  "not in it");
	free(y);

	/* The same layout with other contents: another dump. */
	char *dir2 = fx_tmpdir();
	struct tb t;
	tb_init(&t, 0, 4 << 20, 99);
	tb_fill_random(&t, 0, 4 << 20);
	const char *other = tb_write(&t, dir2, INTEL64, "ia64", NULL);
	expect_load_error(other, sess, "session belongs to another dump: the memory contents differ (same layout)");
	const char *other_mode = tb_write(&t, dir2, INTEL64, "la57", NULL);
	expect_load_error(other_mode, sess,
			  "session belongs to another machine: intel ia64 64-bit little-endian, this dump is intel la57 "
			  "64-bit little-endian");
	tb_free(&t);
	free(sess);
}

/* Reads an exported ELF back: every byte of every PT_LOAD is what the tree maps there. */
static void check_export(struct analysis *a, const char *path, uint64_t root, size_t want_loads)
{
	struct elfcore ec;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(elfcore_open(&ec, path, &e), 0);
	CU_ASSERT_EQUAL(ec.machine, EM_X86_64);
	CU_ASSERT_EQUAL(ec.elfclass, 64);
	size_t loads = 0;
	for (size_t i = 0; i < ec.nphdrs; i++) {
		const struct elfcore_phdr *ph = &ec.phdrs[i];
		if (ph->type != PT_LOAD)
			continue;
		loads++;
		CU_ASSERT_EQUAL(ph->offset % 4096, 0);
		for (uint64_t off = 0; off < ph->filesz; off += 4096) {
			uint8_t got[4096], want[4096];
			struct radix_walk w;
			radix_resolve(a, &a->radix->space[0], root, ph->vaddr + off, &w);
			CU_ASSERT_TRUE_FATAL(w.ok);
			CU_ASSERT_EQUAL(elfcore_pread(&ec, ph->offset + off, got, 4096, &e), 0);
			memset(want, 0, sizeof(want));
			physmem_read(&a->pm, w.pa, want, 4096);
			CU_ASSERT_EQUAL(memcmp(got, want, 4096), 0);
		}
	}
	CU_ASSERT_EQUAL(loads, want_loads);
	const struct elfcore_note *n = elfcore_find_note(&ec, EXPORT_NOTE_OWNER, EXPORT_NT_VAS, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	char *want = xasprintf("{\"root\": \"0x%llx\", \"architecture\": \"intel\", \"mode\": \"ia64\"",
			       (unsigned long long)root);
	CU_ASSERT_EQUAL(strncmp((const char *)n->desc, want, strlen(want)), 0);
	free(want);
	elfcore_close(&ec);
}

static void test_export(void)
{
	char *dir = fx_tmpdir();
	struct tb_ia64_idt b;
	const char *yaml = build(dir, &b);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(open_found(&a, yaml), 0);
	char *path = xasprintf("%s/r1.elf", dir);
	char *cmd = xasprintf("export_vas 0x%llx %s", (unsigned long long)b.r1, path);
	char *j = tl_json(&a, cmd);
	/* Two user pages with different permissions: two segments. */
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"segments\": 2, \"bytes\": 8192, \"absent_bytes\": 0, \"kernel_pages\": false"));
	check_export(&a, path, b.r1, 2);
	free(j);
	free(cmd);
	cmd = xasprintf("export_vas 0x%llx %s kernel", (unsigned long long)b.r1, path);
	j = tl_json(&a, cmd);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"segments\": 4, \"bytes\": 16384"));
	check_export(&a, path, b.r1, 4);
	free(j);
	free(cmd);
	char *out = xasprintf("%s/all", dir);
	cmd = xasprintf("export_all %s", out);
	j = tl_json(&a, cmd);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"written\": 2, \"skipped_kernel_only\": 0"));
	free(j);
	free(cmd);
	char *f2 = xasprintf("%s/all-0x%llx.elf", out, (unsigned long long)b.r2);
	struct stat st;
	CU_ASSERT_EQUAL(stat(f2, &st), 0);
	check_export(&a, f2, b.r2, 1);
	free(f2);
	free(out);
	free(path);
	analysis_close(&a);
}

/* Names in dir beginning with ".mmushell-": temporaries left behind. */
static unsigned leftovers(const char *dir)
{
	unsigned n = 0;
	DIR *d = opendir(dir);
	for (struct dirent *de; d && (de = readdir(d));)
		n += !strncmp(de->d_name, ".mmushell-", 10);
	if (d)
		closedir(d);
	return n;
}

/*
 * bad-input K22
 * A failed export or save leaves the file that was there as it was, and no
 * part of the new one: the write runs into a file-size limit (as a full disk).
 * A link is followed: the file it names is replaced, the link stays.
 */
static void test_write_failure_keeps_old_file(void)
{
	char *dir = fx_tmpdir();
	struct tb_ia64_idt b;
	const char *yaml = build(dir, &b);
	struct analysis a;
	CU_ASSERT_EQUAL_FATAL(open_found(&a, yaml), 0);
	const char *elf = fx_write(dir, "old.elf", "old export"), *sess = fx_write(dir, "old.mmu", "old session");
	size_t len;

	struct rlimit saved, small;
	CU_ASSERT_EQUAL_FATAL(getrlimit(RLIMIT_FSIZE, &saved), 0);
	small = saved;
	small.rlim_cur = 4096; /* under the 16 KiB export and the session's compressed state */
	void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
	fflush(NULL); /* the test log is a file too: nothing of it is written under the limit */
	CU_ASSERT_EQUAL_FATAL(setrlimit(RLIMIT_FSIZE, &small), 0);
	char *cmd = xasprintf("export_vas 0x%llx %s kernel", (unsigned long long)b.r1, elf), *err = NULL;
	int rc = tl_run(&a, cmd, NULL, &err);
	small.rlim_cur = 64; /* the session is smaller than the export */
	CU_ASSERT_EQUAL(setrlimit(RLIMIT_FSIZE, &small), 0);
	char *cmd2 = xasprintf("save_data %s", sess), *err2 = NULL;
	int rc2 = tl_run(&a, cmd2, NULL, &err2);
	CU_ASSERT_EQUAL_FATAL(setrlimit(RLIMIT_FSIZE, &saved), 0);
	signal(SIGXFSZ, old_handler);

	CU_ASSERT_EQUAL(rc, -1);
	char *want = xasprintf("%s: write failed at offset 0x1000: File too large", elf);
	ASSERT_STR_EQ(err, want);
	free(want);
	CU_ASSERT_EQUAL(rc2, -1);
	want = xasprintf("%s: cannot write: File too large", sess);
	ASSERT_STR_EQ(err2, want);
	free(want);
	uint8_t *text = slurp(elf, &len);
	CU_ASSERT_STRING_EQUAL((char *)text, "old export");
	free(text);
	text = slurp(sess, &len);
	CU_ASSERT_STRING_EQUAL((char *)text, "old session");
	free(text);
	CU_ASSERT_EQUAL(leftovers(dir), 0);

	/* Through a link: the export lands in the file linked to, with its permissions kept. */
	char *link = path_join(dir, "link.elf");
	CU_ASSERT_EQUAL_FATAL(chmod(elf, 0600), 0);
	CU_ASSERT_EQUAL_FATAL(symlink("old.elf", link), 0);
	free(cmd);
	cmd = xasprintf("export_vas 0x%llx %s kernel", (unsigned long long)b.r1, link);
	free(tl_json(&a, cmd));
	struct stat st;
	CU_ASSERT_EQUAL(lstat(link, &st), 0);
	CU_ASSERT_TRUE(S_ISLNK(st.st_mode));
	CU_ASSERT_EQUAL(stat(elf, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
	check_export(&a, elf, b.r1, 4);
	CU_ASSERT_EQUAL(leftovers(dir), 0);
	/* A session saved over the failed one's file. */
	free(tl_json(&a, cmd2));
	text = slurp(sess, &len);
	CU_ASSERT_TRUE_FATAL(len >= 16);
	CU_ASSERT_EQUAL(memcmp(text, SESSION_MAGIC, 16), 0);
	free(text);

	free(link);
	free(err);
	free(err2);
	free(cmd);
	free(cmd2);
	analysis_close(&a);
}

/*
 * Pages outside RAM are zero-filled and listed in the note: the first
 * EXPORT_ABSENT_LISTED ranges, and the count of them all.
 */
static void test_export_absent(void)
{
	char *dir = fx_tmpdir();
	struct tb t;
	struct tb_ia64_idt b;
	tb_build_ia64_idt(&t, &b);
	/* Each page its own range: physical pages two apart, beyond the 4 MiB of RAM. */
	const unsigned pages = EXPORT_ABSENT_LISTED + 4;
	for (unsigned i = 0; i < pages; i++)
		tb_map(&t, &tb_ia64, b.r1, 0x40000000ULL + 4096ULL * i, 0x10000000ULL + 8192ULL * i, 3, TB_P | TB_US,
		       TB_P | TB_RW | TB_US);
	const char *yaml = tb_write(&t, dir, INTEL64, "ia64", NULL);
	tb_free(&t);
	struct analysis a;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(open_yaml(&a, yaml, NULL, &e), 0);
	free(tl_json(&a, "parse_memory"));
	char *path = xasprintf("%s/absent.elf", dir);
	char *cmd = xasprintf("export_vas 0x%llx %s", (unsigned long long)b.r1, path);
	char *j = tl_json(&a, cmd);
	char *want = xasprintf("\"absent_bytes\": %llu,", 4096ULL * pages);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, want));
	free(want);
	struct elfcore ec;
	CU_ASSERT_EQUAL_FATAL(elfcore_open(&ec, path, &e), 0);
	const struct elfcore_note *n = elfcore_find_note(&ec, EXPORT_NOTE_OWNER, EXPORT_NT_VAS, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	const char *note = (const char *)n->desc;
	unsigned listed = 0;
	for (const char *p = note; (p = strstr(p, "[\"0x")); p++)
		listed++;
	CU_ASSERT_EQUAL(listed, EXPORT_ABSENT_LISTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(note, "[\"0x40000000\", 4096], [\"0x40001000\", 4096]"));
	want = xasprintf("], \"absent_ranges\": %u, \"absent_bytes\": %llu}", pages, 4096ULL * pages);
	CU_ASSERT_PTR_NOT_NULL(strstr(note, want));
	free(want);
	elfcore_close(&ec);
	analysis_close(&a);
	free(j);
	free(cmd);
	free(path);
}

/*
 * Round trip on a generated dump of each architecture: every result
 * command answers the same (ok or not) from the session as from the
 * analysis that saved it.
 */
static void round_trip_generated(const char *arch, const char *mode)
{
	static const char *const shows[] = {"show_radix_trees", "show_idtrs", "show_registers", "show_hashtables",
					    "show_radix_trees_gtruth", "show_registers_gtruth"};
	struct mkdump_opts o;
	struct err e = {{0}};
	mkdump_opts_init(&o);
	o.arch = arch;
	o.mode = mode;
	o.ram = 16 << 20;
	o.processes = 3;
	o.outdir = fx_tmpdir();
	if (mkdump_generate(&o, &e)) {
		fprintf(stderr, "\n%s/%s: %s\n", arch, mode, e.msg);
		CU_FAIL("mkdump");
		return;
	}
	char *yaml = xasprintf("%s/machine.yaml", o.outdir), *gt = xasprintf("%s/gtruth.yaml", o.outdir),
	     *sess = xasprintf("%s/s.mmu", o.outdir);
	struct analysis x, y;
	struct analysis_opts ox = {.threads = 2, .gtruth_path = gt}, oy = ox;
	oy.session_path = sess;
	CU_ASSERT_EQUAL_FATAL(analysis_open(&x, yaml, &ox, &e), 0);
	/* Steps may fail on an architecture (no register value yet): the session must say the same. */
	for (const char *const *s = x.cfg.arch->pipeline; *s; s++)
		free(tl_answer(&x, *s));
	CU_ASSERT_EQUAL_FATAL(session_save(&x, sess, &e), 0);
	if (analysis_open(&y, yaml, &oy, &e)) {
		fprintf(stderr, "\n%s/%s: %s\n", arch, mode, e.msg);
		CU_FAIL_FATAL("session load");
	}
	for (size_t i = 0; i < ARRAY_LEN(shows); i++) {
		char *a = tl_answer(&x, shows[i]), *b = tl_answer(&y, shows[i]);
		if (strcmp(a, b))
			fprintf(stderr, "\n%s/%s %s differs:\n  %s\n  %s\n", arch, mode, shows[i], a, b);
		CU_ASSERT_STRING_EQUAL(a, b);
		free(a);
		free(b);
	}
	analysis_close(&x);
	analysis_close(&y);
	free(yaml);
	free(gt);
	free(sess);
}

static void test_round_trip_all(void)
{
	for (size_t a = 0; a < mkdump_arch_count(); a++)
		for (size_t m = 0; mkdump_mode_name(a, m); m++)
			round_trip_generated(mkdump_arch_name(a), mkdump_mode_name(a, m));
}

void register_session_tests(void)
{
	static const struct unit_test t[] = {
		{"round_trip", test_round_trip},
		{"bad_sessions", test_bad_sessions},
		{"export", test_export},
		{"export_absent", test_export_absent},
		{"write_failure_keeps_old_file", test_write_failure_keeps_old_file},
		{"round_trip_all", test_round_trip_all},
	};
	unit_add_suite("session", t, ARRAY_LEN(t));
}
