/*
 * The bad-input catalogue (doc/bad-input.md) for what a shell script cannot
 * easily write: ELF cores and LiME files with one field wrong, sessions
 * with one section field wrong, and the dataflow engine's bounds.  Each
 * check names its entry ("bad-input ID"); messages are the ones mmushell
 * prints after "mmushell: ".  The command line, YAML, ground truth,
 * iomem, whole session files and commands are in tests/bad-input.sh.
 */
#include "autoconfig.h"

#include <lzma.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "dataflow.h"
#include "fixtures.h"
#include "lime.h"
#include "memfix.h"
#include "radix.h"
#include "regrec.h"
#include "session.h"
#include "tablebuild.h"
#include "unit.h"

/* Opens path with the given container options; the message, or "" when it opens (caller frees). */
static char *open_msg(const char *path, const char *arch, const char *mode, unsigned m_phy)
{
	struct analysis a;
	struct err e = {{0}};
	struct analysis_opts o = {.threads = 1, .input = {.arch = arch, .mode = mode, .m_phy = m_phy}};
	if (analysis_open(&a, path, &o, &e))
		return xstrdup(e.msg);
	analysis_close(&a);
	return xstrdup("");
}

/* Checks that opening gives "PATH" followed by want. */
static void expect_open(const char *path, const char *arch, const char *mode, unsigned m_phy, const char *want)
{
	char *got = open_msg(path, arch, mode, m_phy), *full = xasprintf("%s%s", path, want);
	ASSERT_STR_EQ(got, full);
	free(got);
	free(full);
}

/* ---- ELF cores ---- */

static void put(uint8_t *b, size_t off, uint64_t v, int size)
{
	for (int i = 0; i < size; i++)
		b[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}

#define NOTE_AT 0x100
#define LOAD_AT 0x1000
#define ELF_SIZE 0x2000
#define PH(i, f) (64 + 56 * (i) + (f))

/*
 * A valid ELF64 x86-64 core: PT_NOTE (an MMUSHELL note with the given
 * text) at 0x100, PT_LOAD of 4 KiB at 0x1000 holding physical 0x1000.
 */
static uint8_t *elf_core(const char *note)
{
	uint8_t *b = xcalloc(1, ELF_SIZE);
	memcpy(b, "\177ELF\002\001\001", 7);
	put(b, 0x10, 4, 2);       /* ET_CORE */
	put(b, 0x12, 62, 2);      /* EM_X86_64 */
	put(b, 0x14, 1, 4);
	put(b, 0x20, 64, 8);      /* e_phoff */
	put(b, 0x34, 64, 2);
	put(b, 0x36, 56, 2);
	put(b, 0x38, 2, 2);
	size_t len = strlen(note);
	put(b, NOTE_AT, 9, 4);    /* "MMUSHELL\0" */
	put(b, NOTE_AT + 4, len, 4);
	put(b, NOTE_AT + 8, 1, 4);
	memcpy(b + NOTE_AT + 12, "MMUSHELL", 9);
	memcpy(b + NOTE_AT + 24, note, len);
	put(b, PH(0, 0), 4, 4);   /* PT_NOTE */
	put(b, PH(0, 8), NOTE_AT, 8);
	put(b, PH(0, 0x20), 24 + ((len + 3) & ~(size_t)3), 8);
	put(b, PH(0, 0x30), 4, 8);
	put(b, PH(1, 0), 1, 4);   /* PT_LOAD */
	put(b, PH(1, 4), 6, 4);
	put(b, PH(1, 8), LOAD_AT, 8);
	put(b, PH(1, 0x18), 0x1000, 8);
	put(b, PH(1, 0x20), 0x1000, 8);
	put(b, PH(1, 0x28), 0x1000, 8);
	return b;
}

static const char *write_elf(const char *dir, const uint8_t *b, size_t len)
{
	return fx_write_bytes(dir, "core.elf", b, len);
}

static void test_elf(void)
{
	char *dir = fx_tmpdir();
	uint8_t *b = elf_core("mode ia64\nm_phy 39\n");
	const char *p = write_elf(dir, b, ELF_SIZE);
	char *ok = open_msg(p, NULL, NULL, 0);
	ASSERT_STR_EQ(ok, "");
	free(ok);
	/* bad-input E01 */
	expect_open(write_elf(dir, b, 12), NULL, NULL, 0, ": offset 0x0: truncated ELF header: the file has only 12 bytes");
	expect_open(write_elf(dir, b, 40), NULL, NULL, 0,
		    ": offset 0x0: truncated ELF header: the file has 40 bytes, an ELF64 header needs 64");
	/* bad-input E02 */
	b[4] = 3;
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0, ": offset 0x4: EI_CLASS is 3, neither ELFCLASS32 (1) nor ELFCLASS64 (2)");
	b[4] = 2;
	/* bad-input E03 */
	b[5] = 0;
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0, ": offset 0x5: EI_DATA is 0, neither ELFDATA2LSB (1) nor ELFDATA2MSB (2)");
	b[5] = 1;
	/* bad-input E04 */
	b[6] = 2;
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0, ": offset 0x6: EI_VERSION is 2, not EV_CURRENT (1)");
	b[6] = 1;
	/* bad-input E05 */
	put(b, 0x10, 3, 2);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x10: e_type is 3 (ET_DYN), not ET_CORE: this ELF file is not a memory dump");
	put(b, 0x10, 4, 2);
	/* bad-input E06 */
	put(b, 0x36, 32, 2);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x36: e_phentsize is 32, smaller than an ELF64 program header (56 bytes)");
	put(b, 0x36, 56, 2);
	/* bad-input E07 */
	put(b, 0x38, 0, 2);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x38: no program headers: a memory dump needs PT_LOAD segments");
	/* bad-input E08 */
	put(b, 0x38, 200, 2);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x20: the program header table (200 entries of 56 bytes at offset 0x40) runs past the end of the file (8192 bytes)");
	/* bad-input E09 */
	put(b, 0x38, 0xffff, 2);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x38: e_phnum is PN_XNUM (extended numbering) but e_shoff is 0: no section header holds the count");
	/* bad-input E10 */
	put(b, 0x28, 0x1800, 8);  /* section header 0, its sh_info the count */
	put(b, 0x3a, 64, 2);
	put(b, 0x1800 + 0x2c, 1u << 30, 4);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x38: 1073741824 program headers is more than the 16777216 this reader accepts");
	/* bad-input E11 */
	put(b, 0x3a, 10, 2);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x3a: e_shentsize is 10, smaller than an ELF64 section header (64 bytes)");
	put(b, 0x3a, 64, 2);
	put(b, 0x28, 0x1fe0, 8);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x28: section header 0 at offset 0x1fe0 runs past the end of the file (8192 bytes)");
	put(b, 0x28, 0, 8);
	put(b, 0x1800 + 0x2c, 0, 4);
	put(b, 0x38, 2, 2);
	/* bad-input E12 */
	put(b, PH(0, 8), 0x1fe0, 8);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x40: PT_NOTE (program header 0) data at 0x1fe0, 0x2c bytes, runs past the end of the file (8192 bytes)");
	put(b, PH(0, 8), NOTE_AT, 8);
	/* bad-input E13 */
	put(b, NOTE_AT + 4, 5000, 4);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x100: note with 9 name bytes and 5000 description bytes runs past the end of its PT_NOTE segment (32 bytes left)");
	put(b, NOTE_AT + 4, 19, 4);
	/* bad-input E14 */
	put(b, PH(1, 0x20), 0x2000, 8);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x78: PT_LOAD (program header 1) data at 0x1000, 0x2000 bytes, runs past the end of the file (8192 bytes)");
	put(b, PH(1, 0x20), 0x1000, 8);
	/* bad-input E15 */
	put(b, PH(1, 8), 16, 8);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x78: PT_LOAD (program header 1) data at 0x10 overlaps the ELF header");
	put(b, PH(1, 8), LOAD_AT, 8);
	/* bad-input E16 */
	put(b, PH(1, 0x18), 0xfffffffffffff800ULL, 8);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x78: PT_LOAD (program header 1) physical range 0xfffffffffffff800 + 0x1000 runs past the top of the address space");
	put(b, PH(1, 0x18), 0x1000, 8);
	/* bad-input E17 */
	put(b, PH(0, 0), 1, 4);   /* the note segment as a second PT_LOAD at physical 0x1800 */
	put(b, PH(0, 0x18), 0x1800, 8);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x40: PT_LOAD (program header 0) physical range 0x1800-0x182b overlaps PT_LOAD (program header 1) 0x1000-0x1fff");
	put(b, PH(1, 0), 4, 4);
	put(b, PH(0, 0), 4, 4);
	/* bad-input E18 */
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0, ": no PT_LOAD segment holds memory: nothing to analyse");
	put(b, PH(1, 0), 1, 4);
	put(b, PH(0, 0x18), 0, 8);
	/* bad-input E19 */
	put(b, 0x12, 0x1234, 2);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": offset 0x12: e_machine 4660 is not an architecture mmushell reads (give --arch to say which it is)");
	put(b, 0x12, 62, 2);
	/* bad-input E20 */
	expect_open(write_elf(dir, b, ELF_SIZE), "arm64", NULL, 0,
		    ": --arch arm64 does not match the file's e_machine EM_X86_64 (intel)");
	expect_open(write_elf(dir, b, ELF_SIZE), "i386", NULL, 0,
		    ": --arch i386 is 32-bit but the file's e_machine EM_X86_64 is 64-bit");
	expect_open(write_elf(dir, b, ELF_SIZE), "sparc", NULL, 0,
		    ": unknown architecture 'sparc' (--arch; known: intel, riscv, arm, aarch64, mips, ppc, x86_64, amd64, "
		    "i386, i486, i586, i686, x86, arm64, aarch64_be, armhf, armel, armv7l, armv6l, armeb, armv7b, riscv64, "
		    "riscv32, mipsel, mipseb, powerpc)");
	/* bad-input E21 */
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, "sv39", 0,
		    ": unknown MMU mode 'sv39' (--mode) for architecture intel (accepted: ia32, pae, ia64, la57)");
	free(b);
	b = elf_core("mode ia99\n");
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0,
		    ": MMU mode 'ia99' (from the MMUSHELL note) is unknown for architecture intel (accepted: ia32, pae, ia64, la57)");
	free(b);
	/* bad-input E22 */
	b = elf_core("mode ia64\nm_phy 99\n");
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0, ": offset 0x100: MMUSHELL note: bad m_phy line");
	free(b);
	b = elf_core("not_ram 0x2000 0x1000\n");
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 0, ": offset 0x100: MMUSHELL note: bad not_ram line");
	free(b);
	/* bad-input E23 */
	b = elf_core("mode ia64\n");
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, NULL, 12, ": m_phy 12 cannot address RAM up to 0x1fff (needs 13 bits)");
	/* bad-input E24 */
	put(b, 0x12, 183, 2);
	expect_open(write_elf(dir, b, ELF_SIZE), NULL, "long", 36,
		    ": --m-phy applies to intel machines only (this one is aarch64)");
	free(b);
}

/* ---- LiME ---- */

static void lime_header(uint8_t *h, uint64_t start, uint64_t end, bool big)
{
	memset(h, 0, 32);
	wr32(h, LIME_MAGIC, big);
	wr32(h + 4, 1, big);
	wr64(h + 8, start, big);
	wr64(h + 16, end, big);
}

static void test_lime(void)
{
	char *dir = fx_tmpdir();
	uint8_t b[2 * 32 + 0x200] = {0};
	lime_header(b, 0x1000, 0x10ff, false);
	lime_header(b + 32 + 0x100, 0x2000, 0x20ff, false);
	const char *p = fx_write_bytes(dir, "m.lime", b, sizeof(b));
	char *ok = open_msg(p, "x86_64", NULL, 0);
	ASSERT_STR_EQ(ok, "");
	free(ok);
	/* bad-input L01 */
	expect_open(fx_write_bytes(dir, "m.lime", b, 32 + 0x100 + 20), "x86_64", NULL, 0,
		    ": offset 0x120: truncated LiME header (20 bytes left, a header needs 32)");
	/* bad-input L02 */
	b[32 + 0x100] = 'X';
	expect_open(fx_write_bytes(dir, "m.lime", b, sizeof(b)), "x86_64", NULL, 0,
		    ": offset 0x120: bad LiME magic 0x4c694d58 (expected 0x4c694d45)");
	/* bad-input L03 */
	lime_header(b + 32 + 0x100, 0x2000, 0x20ff, true);
	expect_open(fx_write_bytes(dir, "m.lime", b, sizeof(b)), "x86_64", NULL, 0,
		    ": offset 0x120: LiME header in big-endian order after little-endian ones");
	lime_header(b + 32 + 0x100, 0x2000, 0x20ff, false);
	/* bad-input L04 */
	b[4] = 2;
	expect_open(fx_write_bytes(dir, "m.lime", b, sizeof(b)), "x86_64", NULL, 0, ": offset 0x4: LiME version 2 (only version 1 is known)");
	b[4] = 1;
	/* bad-input L05 */
	lime_header(b, 0x1000, 0xfff, false);
	expect_open(fx_write_bytes(dir, "m.lime", b, sizeof(b)), "x86_64", NULL, 0,
		    ": offset 0x10: LiME range end 0xfff is below its start 0x1000");
	/* bad-input L06 */
	lime_header(b, 0x1000, 0x1fff, false);
	expect_open(fx_write_bytes(dir, "m.lime", b, sizeof(b)), "x86_64", NULL, 0,
		    ": offset 0x0: LiME range 0x1000-0x1fff needs 0x1000 bytes but the file has 0x220 after the header");
	/* bad-input L07 */
	lime_header(b, 0x2080, 0x217f, false);
	expect_open(fx_write_bytes(dir, "m.lime", b, sizeof(b)), "x86_64", NULL, 0,
		    ": offset 0x120: LiME range 0x2080-0x217f overlaps the range 0x2000-0x20ff at offset 0x0");
	lime_header(b, 0x1000, 0x10ff, false);
	p = fx_write_bytes(dir, "m.lime", b, sizeof(b));
	/* bad-input L08 */
	expect_open(p, NULL, NULL, 0,
		    ": a LiME file does not say which machine it comes from: give --arch (one of intel, riscv, arm, aarch64, "
		    "mips, ppc, x86_64, amd64, i386, i486, i586, i686, x86, arm64, aarch64_be, armhf, armel, armv7l, armv6l, "
		    "armeb, armv7b, riscv64, riscv32, mipsel, mipseb, powerpc) and, if the default does not fit, --mode");
	/* bad-input L09 */
	expect_open(p, "riscv", "sv64", 0,
		    ": unknown MMU mode 'sv64' (--mode) for architecture riscv (accepted: sv32, sv39, sv48, sv57)");
	expect_open(p, "i386", "ia64", 0, ": MMU mode ia64 needs a 64-bit machine, but this one is 32-bit");
}

/* ---- sessions: one field of a section wrong ---- */

/* A saved session's contents (past the header and xz), and where its sections start. */
struct saved {
	uint8_t *p;
	size_t n, sections;     /* offset of the section count */
};

static void save_plain(struct analysis *a, const char *dir, struct saved *s)
{
	char *path = path_join(dir, "s.session");
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(session_save(a, path, &e), 0);
	FILE *f = fopen(path, "rb");
	static uint8_t file[1 << 20];
	size_t n = fread(file, 1, sizeof(file), f);
	fclose(f);
	free(path);
	size_t cap = 8 << 20, in_pos = 24, out_pos = 0;
	uint64_t memlimit = UINT64_MAX;
	s->p = xmalloc(cap);
	CU_ASSERT_EQUAL_FATAL(lzma_stream_buffer_decode(&memlimit, 0, NULL, file, &in_pos, n, s->p, &out_pos, cap), LZMA_OK);
	s->n = out_pos;
	size_t at = 0;
	for (int k = 0; k < 2; k++)
		at += 4 + rd32(s->p + at, false);
	at += 2;
	at += 8 + 16 * rd64(s->p + at, false) + 8;
	s->sections = at;
}

/* Offset of the body of the section with this tag. */
static size_t section(const struct saved *s, const char *tag)
{
	size_t at = s->sections + 4;
	for (uint32_t i = 0; i < rd32(s->p + s->sections, false); i++) {
		if (!memcmp(s->p + at, tag, 4))
			return at + 12;
		at += 12 + rd64(s->p + at + 4, false);
	}
	CU_FAIL("section missing");
	return 0;
}

/* Loads the contents with the byte at off set to v (off beyond n: unchanged), cut to n bytes; the message. */
static char *load_patched(struct analysis *a, const struct saved *s, size_t off, uint8_t v, size_t n)
{
	uint8_t *p = xmalloc(s->n);
	memcpy(p, s->p, s->n);
	if (off < s->n)
		p[off] = v;
	struct err e = {{0}};
	char *msg = session_load_data(a, p, n, &e) ? xstrdup(e.msg) : xstrdup("");
	free(p);
	return msg;
}

static void expect_load(struct analysis *a, const struct saved *s, size_t off, uint8_t v, size_t n, const char *want)
{
	char *got = load_patched(a, s, off, v, n);
	ASSERT_STR_EQ(got, want);
	free(got);
}

#define INTEL64 "{architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 39}}"

static void test_session_sections(void)
{
	struct tb t;
	struct tb_ia64_idt x;
	struct analysis a;
	struct err e = {{0}};
	char *dir = fx_tmpdir();
	tb_build_ia64_idt(&t, &x);
	struct analysis_opts o = {.threads = 1};
	CU_ASSERT_EQUAL_FATAL(analysis_open(&a, tb_write(&t, dir, INTEL64, "ia64", NULL), &o, &e), 0);
	struct cmd_out out;
	char *name;
	cmd_out_init(&out);
	CU_ASSERT_EQUAL_FATAL(command_run_line(&a, "parse_memory", &out, &name, &e), 0);
	free(name);
	CU_ASSERT_EQUAL_FATAL(command_run_line(&a, "find_radix_trees", &out, &name, &e), 0);
	free(name);
	cmd_out_free(&out);
	struct saved s;
	save_plain(&a, dir, &s);
	size_t radx = section(&s, "RADX");
	expect_load(&a, &s, SIZE_MAX, 0, s.n, "");
	/* bad-input S12 */
	expect_load(&a, &s, SIZE_MAX, 0, 10, "session data is corrupt (machine description)");
	/* bad-input S13 */
	expect_load(&a, &s, SIZE_MAX, 0, s.n - 5, "session data is corrupt (section 2 of 2 is cut short)");
	/* bad-input S14: the first shape's level count */
	expect_load(&a, &s, radx + 45, 5, s.n,
		    "section RADX (page tables): tree shapes differ from this configuration (registers changed?)");
	/* bad-input S15: the candidates (after counts, shape and level counts): a repeated address, no level, bitmaps */
	size_t cands = radx + 45 + 96 + 96;
	uint64_t ncand = rd64(s.p + cands, false);
	CU_ASSERT_FATAL(ncand > 2);
	memset(s.p + cands + 16, 0, 8);
	expect_load(&a, &s, SIZE_MAX, 0, s.n, "section RADX (page tables): candidate tables out of order");
	free(s.p);
	save_plain(&a, dir, &s);
	expect_load(&a, &s, cands + 8 + 8 * ncand, 0, s.n, "section RADX (page tables): candidate table with impossible levels");
	expect_load(&a, &s, cands + 8 + 9 * ncand, 9, s.n, "section RADX (page tables): page maps do not fit this dump");
	free(s.p);
	analysis_close(&a);
	tb_free(&t);
}

/* bad-input S08 */
/* An xz bomb: a few KiB that decompress to more than a session of this dump could hold. */
static void test_session_bomb(void)
{
	struct memfix m;
	struct analysis a;
	char *dir = fx_tmpdir();
	memfix_init(&m, 0, 0x10000, 0);
	CU_ASSERT_EQUAL_FATAL(memfix_open(&m, "riscv", "sv39", 64, NULL, NULL, &a), 0);
	size_t n = (65u << 20), cap = 1u << 20, out = 0;
	uint8_t *zeros = xcalloc(1, n), *xz = xmalloc(24 + cap);
	memcpy(xz, SESSION_MAGIC, 16);
	wr32(xz + 16, SESSION_VERSION, false);
	wr32(xz + 20, 0, false);
	CU_ASSERT_EQUAL_FATAL(lzma_easy_buffer_encode(0, LZMA_CHECK_CRC64, NULL, zeros, n, xz + 24, &out, cap), LZMA_OK);
	const char *p = fx_write_bytes(dir, "bomb.session", xz, 24 + out);
	struct err e = {{0}};
	CU_ASSERT_EQUAL(session_load(&a, p, &e), -1);
	char *want = xasprintf("%s: session data is larger than this dump could need: corrupt", p);
	ASSERT_STR_EQ(e.msg, want);
	free(want);
	free(zeros);
	free(xz);
	analysis_close(&a);
	memfix_free(&m);
}

/* The REGS section of an AArch64 machine with a site: unknown version, out-of-range sites and registers. */
static void test_session_regs(void)
{
	struct memfix m;
	struct analysis a;
	char *dir = fx_tmpdir();
	memfix_init(&m, 0x40000000, 0x10000, 0);
	/* ret; movz x1, #0x19; msr tcr_el1, x1; ret */
	static const uint32_t code[] = {0xD65F03C0, 0xD2800321, 0xD5182041, 0xD65F03C0};
	memfix_words(&m, 0x40001000, code, 4);
	CU_ASSERT_EQUAL_FATAL(memfix_open(&m, "aarch64", "long", 64, NULL, NULL, &a), 0);
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(regrec_find(&a, &(struct regrec_opts){0}, &e), 0);
	CU_ASSERT_FATAL(a.regs->sites.n >= 1 && a.regs->nres >= 1);
	struct saved s;
	save_plain(&a, dir, &s);
	size_t regs = section(&s, "REGS");
	/* bad-input S17 */
	expect_load(&a, &s, regs, 7, s.n, "section REGS: unknown version of the register section");
	size_t nregs_at = regs + 4 + 1 + 1 + 8 + 8 + 8 + 8 + 4;
	expect_load(&a, &s, nregs_at, 9, s.n, "section REGS: register list does not match architecture aarch64");
	size_t sites = nregs_at + 4 + rd32(s.p + nregs_at, false) * (1 + 8 + 4);
	/* The first site's kind, then the first result's site number. */
	expect_load(&a, &s, sites + 8 + 8 + 4, 200, s.n, "section REGS: site 0 is not one of this architecture's");
	size_t res = sites + 8 + rd64(s.p + sites, false) * 16;
	expect_load(&a, &s, res + 8 + 3, 0x7f, s.n, "section REGS: analysed site 0 is out of range");
	free(s.p);
	analysis_close(&a);
	memfix_free(&m);
}

/* ---- the dataflow engine's bounds ---- */

static void test_dataflow_bounds(void)
{
	struct memfix m;
	struct analysis a;
	memfix_init(&m, 0x40000000, 0x10000, 0);
	/* ret; then a loop adding to x1 until x2: add x1, x1, #1; cmp x1, x2; b.ne -2; msr tcr_el1, x1 */
	static const uint32_t code[] = {0xD65F03C0, 0xD2800001, 0x91000421, 0xEB02003F, 0x54FFFFC1, 0xD5182041};
	memfix_words(&m, 0x40001000, code, 6);
	CU_ASSERT_EQUAL_FATAL(memfix_open(&m, "aarch64", "long", 64, NULL, NULL, &a), 0);
	const struct regrec_ops *ops = a.cfg.arch->regrec;
	struct df_env env = {.pm = &a.pm, .cfg = &a.cfg, .isa = ops->isas[0], .lim = df_default_limits};
	struct df_worker *w = df_worker_new();
	struct df_result r;
	uint8_t q[1] = {1};
	/* bad-input H06 */
	env.lim.budget = 3;
	CU_ASSERT_EQUAL(df_analyse(w, &env, 0x40001014, q, 1, &r), DF_BUDGET);
	ASSERT_STR_EQ(df_status_name(DF_BUDGET), "analysis budget exceeded");
	env.lim = df_default_limits;
	env.lim.max_insns = 2;
	CU_ASSERT_EQUAL(df_analyse(w, &env, 0x40001014, q, 1, &r), DF_REGION_TOO_LARGE);
	ASSERT_STR_EQ(df_status_name(DF_REGION_TOO_LARGE), "region too large");
	env.lim = df_default_limits;
	env.lim.walk_steps = 2;
	CU_ASSERT_EQUAL(df_analyse(w, &env, 0x40001014, q, 1, &r), DF_NO_START);
	ASSERT_STR_EQ(df_status_name(DF_NO_START), "no region start");
	/* Within the default bounds the loop ends (widened), never hangs. */
	env.lim = df_default_limits;
	enum df_status st = df_analyse(w, &env, 0x40001014, q, 1, &r);
	CU_ASSERT(st == DF_OK || st == DF_SOURCE_UNKNOWN);
	CU_ASSERT(r.evals <= env.lim.budget);
	df_worker_free(w);
	analysis_close(&a);
	memfix_free(&m);
}

void register_badinput_tests(void)
{
	static const struct unit_test tests[] = {
		{"ELF cores: each header and segment field wrong", test_elf},
		{"LiME files: each header field wrong", test_lime},
		{"sessions: the page-table section wrong", test_session_sections},
		{"sessions: the register section wrong", test_session_regs},
		{"sessions: an xz bomb", test_session_bomb},
		{"dataflow: budgets reported, loops end", test_dataflow_bounds},
	};
	unit_add_suite("bad-input", tests, ARRAY_LEN(tests));
}
