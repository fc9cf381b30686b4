/*
 * ELF core and LiME inputs: files written at test time with the writers
 * (ELF32/ELF64, both byte orders, extended numbering) must give the same
 * machine and the same bytes as raw files + YAML; hand-made malformed files
 * must give their exact message.
 */
#include "autoconfig.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "config.h"
#include "dumpfmt.h"
#include "elfcore.h"
#include "fixtures.h"
#include "lime.h"
#include "physmem.h"
#include "unit.h"

/* The test memory: three regions, the first two touching. */
struct region {
	uint64_t start, size;
	unsigned seed;
};
static const struct region layout[] = {
	{0x0, 0x4000, 1},
	{0x4000, 0x2000, 2},
	{0x10000, 0x1000, 3},
};

static uint8_t mem_byte(const struct region *r, uint64_t i)
{
	return fx_pattern_byte(i, r->seed);
}

/* Raw files + YAML for the layout; returns the YAML path. */
static const char *write_yaml(const char *dir, const char *cpu_mmu)
{
	struct sbuf y = {0};
	sbuf_printf(&y, "%smemspace:\n  ram:\n", cpu_mmu);
	for (size_t i = 0; i < ARRAY_LEN(layout); i++) {
		char name[32];
		snprintf(name, sizeof(name), "r%zu.bin", i);
		fx_pattern_file(dir, name, (size_t)layout[i].size, layout[i].seed);
		sbuf_printf(&y, "    - {start: 0x%llx, end: 0x%llx, dumpfile: %s}\n", (unsigned long long)layout[i].start,
			    (unsigned long long)(layout[i].start + layout[i].size - 1), name);
	}
	const char *p = fx_write(dir, "m.yaml", y.s);
	sbuf_free(&y);
	return p;
}

/* Paths built here live until the end of the run (the files go with their folder). */
static const char *keep(char *path)
{
	static char **v;
	static size_t n, cap;
	VEC_PUSH(v, n, cap, path);
	return path;
}

static int create_out(const char *path)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

/* Streams the layout page by page through the ELF writer. */
static const char *write_elf(const char *dir, const char *name, int elfclass, bool big, uint16_t machine,
			     const char *note_owner, const void *note, size_t note_len)
{
	struct elfw_opts o = {.elfclass = elfclass, .big_endian = big, .machine = machine};
	struct elfw *w = elfw_new(&o);
	struct err e = {{0}};
	char *path = path_join(dir, name);
	if (note_owner)
		elfw_add_note(w, note_owner, 0, note, note_len);
	for (size_t i = 0; i < ARRAY_LEN(layout); i++)
		elfw_add_load(w, layout[i].start, 0xc0000000u + layout[i].start, layout[i].size, layout[i].size,
			      PF_R | PF_W | PF_X);
	int fd = create_out(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(elfw_start(w, fd, path, &e), 0);
	uint8_t page[4096];
	for (size_t i = 0; i < ARRAY_LEN(layout); i++)
		for (uint64_t at = 0; at < layout[i].size; at += sizeof(page)) {
			size_t n = (size_t)MMU_MIN((uint64_t)sizeof(page), layout[i].size - at);
			for (size_t k = 0; k < n; k++)
				page[k] = mem_byte(&layout[i], at + k);
			CU_ASSERT_EQUAL_FATAL(elfw_write(w, page, n, &e), 0);
		}
	CU_ASSERT_EQUAL(elfw_remaining(w), 0);
	if (elfw_finish(w, &e))
		CU_FAIL(e.msg);
	for (size_t i = 0; i < elfw_nloads(w); i++)
		CU_ASSERT_EQUAL(elfw_load_offset(w, i) % 4096, 0);
	elfw_free(w);
	close(fd);
	return keep(path);
}

static const char *write_lime(const char *dir, const char *name, bool big)
{
	struct limew w;
	struct err e = {{0}};
	char *path = path_join(dir, name);
	int fd = create_out(path);
	CU_ASSERT_FATAL(fd >= 0);
	limew_init(&w, fd, path, big);
	for (size_t i = 0; i < ARRAY_LEN(layout); i++) {
		CU_ASSERT_EQUAL_FATAL(limew_range_begin(&w, layout[i].start, layout[i].start + layout[i].size - 1, &e), 0);
		for (uint64_t k = 0; k < layout[i].size; k++) {
			uint8_t b = mem_byte(&layout[i], k);
			CU_ASSERT_EQUAL_FATAL(limew_write(&w, &b, 1, &e), 0);
		}
	}
	CU_ASSERT_EQUAL(limew_finish(&w, &e), 0);
	limew_free(&w);
	close(fd);
	return keep(path);
}

struct loaded {
	struct machine_config cfg;
	struct physmem pm;
};

static int load(struct loaded *l, const char *path, const struct dumpfmt_opts *o, struct err *e)
{
	memset(l, 0, sizeof(*l));
	if (dumpfmt_load(path, o, &l->cfg, e)) {
		config_free(&l->cfg);
		return -1;
	}
	if (physmem_open(&l->pm, &l->cfg, e)) {
		config_free(&l->cfg);
		return -1;
	}
	return 0;
}

static void unload(struct loaded *l)
{
	physmem_close(&l->pm);
	config_free(&l->cfg);
}

/* Same machine: architecture, mode, word size, byte order, m_phy, RAM map, and every byte. */
static void assert_same(const struct loaded *a, const struct loaded *b)
{
	CU_ASSERT_PTR_EQUAL(a->cfg.arch, b->cfg.arch);
	CU_ASSERT_EQUAL(a->cfg.mode, b->cfg.mode);
	CU_ASSERT_EQUAL(a->cfg.bits, b->cfg.bits);
	CU_ASSERT_EQUAL(a->cfg.endian, b->cfg.endian);
	const struct config_kv *ma = config_feature(&a->cfg, "m_phy"), *mb = config_feature(&b->cfg, "m_phy");
	CU_ASSERT_EQUAL(!ma, !mb);
	if (ma && mb)
		CU_ASSERT_EQUAL(ma->value, mb->value);
	CU_ASSERT_EQUAL_FATAL(a->pm.ram.n, b->pm.ram.n);
	for (size_t i = 0; i < a->pm.ram.n; i++) {
		CU_ASSERT_EQUAL(a->pm.ram.v[i].start, b->pm.ram.v[i].start);
		CU_ASSERT_EQUAL(a->pm.ram.v[i].last, b->pm.ram.v[i].last);
	}
	CU_ASSERT_EQUAL(a->pm.ram_bytes, b->pm.ram_bytes);
	/* Every byte from 0 to past the end, through physmem_read, in odd-sized steps. */
	uint8_t x[333], y[333];
	for (uint64_t at = 0; at < 0x12000; at += sizeof(x)) {
		size_t na = physmem_read(&a->pm, at, x, sizeof(x));
		size_t nb = physmem_read(&b->pm, at, y, sizeof(y));
		CU_ASSERT_EQUAL(na, nb);
		if (na == nb && memcmp(x, y, na)) {
			CU_FAIL("bytes differ");
			break;
		}
	}
}

static void expect_same(const char *elf_or_lime, const struct dumpfmt_opts *o, const char *yaml)
{
	struct loaded a, b;
	struct err e = {{0}};
	if (load(&a, elf_or_lime, o, &e)) {
		fprintf(stderr, "\n  %s\n", e.msg);
		CU_FAIL_FATAL("container did not load");
	}
	if (load(&b, yaml, NULL, &e)) {
		fprintf(stderr, "\n  %s\n", e.msg);
		unload(&a);
		CU_FAIL_FATAL("YAML did not load");
	}
	assert_same(&a, &b);
	unload(&a);
	unload(&b);
}

static const struct {
	int elfclass;
	bool big;
	uint16_t machine;
	const char *yaml_cpu;
} elf_variants[] = {
	{64, false, EM_X86_64,
	 "cpu: {architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 40}}\nmmu: {mode: ia64}\n"},
	{32, false, EM_386,
	 "cpu: {architecture: intel, endianness: little, bits: 32, processor_features: {m_phy: 36}}\nmmu: {mode: pae}\n"},
	{64, true, EM_AARCH64, "cpu: {architecture: aarch64, endianness: big, bits: 64}\nmmu: {mode: long}\n"},
	{32, true, EM_PPC, "cpu: {architecture: ppc, endianness: big, bits: 32}\nmmu: {mode: ppc32}\n"},
	{32, false, EM_ARM, "cpu: {architecture: arm, endianness: little, bits: 32}\nmmu: {mode: short}\n"},
	{32, true, EM_MIPS, "cpu: {architecture: mips, endianness: big, bits: 32}\nmmu: {mode: mips32}\n"},
	{64, false, EM_RISCV, "cpu: {architecture: riscv, endianness: little, bits: 64}\nmmu: {mode: sv39}\n"},
	{32, false, EM_RISCV, "cpu: {architecture: riscv, endianness: little, bits: 32}\nmmu: {mode: sv32}\n"},
};

static void test_elf_same_as_yaml(void)
{
	for (size_t i = 0; i < ARRAY_LEN(elf_variants); i++) {
		char *dir = fx_tmpdir();
		const char *yaml = write_yaml(dir, elf_variants[i].yaml_cpu);
		const char *elf = write_elf(dir, "core.elf", elf_variants[i].elfclass, elf_variants[i].big,
					    elf_variants[i].machine, "CORE", "x", 1);
		expect_same(elf, NULL, yaml);

		/* The reader sees what the writer wrote. */
		struct elfcore ec;
		struct err e = {{0}};
		CU_ASSERT_EQUAL_FATAL(elfcore_open(&ec, elf, &e), 0);
		CU_ASSERT_EQUAL(ec.elfclass, elf_variants[i].elfclass);
		CU_ASSERT_EQUAL(ec.big_endian, elf_variants[i].big);
		CU_ASSERT_EQUAL(ec.machine, elf_variants[i].machine);
		CU_ASSERT_EQUAL(ec.nphdrs, 4);
		CU_ASSERT_EQUAL(ec.phdrs[0].type, PT_NOTE);
		CU_ASSERT_EQUAL(ec.phdrs[2].paddr, 0x4000);
		CU_ASSERT_EQUAL(ec.phdrs[2].vaddr, 0xc0004000u);
		CU_ASSERT_EQUAL(ec.phdrs[2].flags, PF_R | PF_W | PF_X);
		CU_ASSERT_EQUAL(ec.nnotes, 1);
		const struct elfcore_note *n = elfcore_find_note(&ec, "CORE", 0, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(n);
		CU_ASSERT_EQUAL(n->descsz, 1);
		CU_ASSERT_EQUAL(n->desc[0], 'x');
		elfcore_close(&ec);
	}
}

/* Touching PT_LOADs that are also contiguous in the file become one region. */
static void test_elf_merges_neighbours(void)
{
	char *dir = fx_tmpdir();
	const char *elf = write_elf(dir, "core.elf", 64, false, EM_X86_64, NULL, NULL, 0);
	struct machine_config cfg;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(dumpfmt_load(elf, NULL, &cfg, &e), 0);
	CU_ASSERT_EQUAL(cfg.nram, 2);
	CU_ASSERT_EQUAL(cfg.ram[0].end, 0x5fff);
	ASSERT_STR_EQ(cfg.format, "elf");
	ASSERT_STR_EQ(config_mode_name(&cfg), "ia64");
	CU_ASSERT_EQUAL(config_feature(&cfg, "m_phy")->value, 40);
	config_free(&cfg);
}

/* Past 65534 program headers the count lives in section header 0. */
static void test_elf_extended_numbering(void)
{
	enum { N = 70000, SZ = 16 };
	char *dir = fx_tmpdir();
	char *path = path_join(dir, "many.elf");
	struct elfw_opts o = {.elfclass = 64, .machine = EM_X86_64, .align = 16};
	struct elfw *w = elfw_new(&o);
	struct err e = {{0}};
	for (unsigned i = 0; i < N; i++)
		elfw_add_load(w, 0x100000 + (uint64_t)i * SZ, 0, SZ, SZ, PF_R);
	int fd = create_out(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(elfw_start(w, fd, path, &e), 0);
	uint8_t b[SZ];
	for (unsigned i = 0; i < N; i++) {
		for (unsigned k = 0; k < SZ; k++)
			b[k] = fx_pattern_byte((uint64_t)i * SZ + k, 9);
		CU_ASSERT_EQUAL_FATAL(elfw_write(w, b, SZ, &e), 0);
	}
	CU_ASSERT_EQUAL(elfw_finish(w, &e), 0);
	elfw_free(w);
	close(fd);

	uint8_t eh[64];
	FILE *f = fopen(path, "rb");
	CU_ASSERT_FATAL(f && fread(eh, 1, 64, f) == 64);
	fclose(f);
	CU_ASSERT_EQUAL(rd16(eh + 0x38, false), PN_XNUM);

	struct elfcore ec;
	CU_ASSERT_EQUAL_FATAL(elfcore_open(&ec, path, &e), 0);
	CU_ASSERT_EQUAL(ec.nphdrs, N);
	CU_ASSERT_EQUAL(ec.phdrs[N - 1].paddr, 0x100000 + (uint64_t)(N - 1) * SZ);
	elfcore_close(&ec);

	struct loaded l;
	CU_ASSERT_EQUAL_FATAL(load(&l, path, NULL, &e), 0);
	CU_ASSERT_EQUAL(l.cfg.nram, 1);
	uint8_t x[SZ];
	CU_ASSERT_EQUAL(physmem_read(&l.pm, 0x100000 + 12345 * SZ, x, SZ), SZ);
	CU_ASSERT_EQUAL(x[3], fx_pattern_byte(12345 * SZ + 3, 9));
	unload(&l);
	free(path);
}

static void test_elf_writer_errors(void)
{
	char *dir = fx_tmpdir();
	char *path = path_join(dir, "bad.elf");
	struct err e = {{0}};
	struct elfw_opts o = {.elfclass = 32, .machine = EM_386};
	struct elfw *w = elfw_new(&o);
	elfw_add_load(w, 0x100000000ULL, 0, 0x1000, 0x1000, PF_R);
	int fd = create_out(path);
	CU_ASSERT_EQUAL(elfw_start(w, fd, path, &e), -1);
	char *want = xasprintf("%s: PT_LOAD 0 (paddr 0x100000000, vaddr 0x0, 0x1000 bytes at file offset 0x1000) does not fit in ELF32 fields; write ELF64",
			       path);
	ASSERT_STR_EQ(e.msg, want);
	free(want);
	elfw_free(w);
	close(fd);

	o.elfclass = 64;
	w = elfw_new(&o);
	elfw_add_load(w, 0, 0, 8, 8, PF_R);
	fd = create_out(path);
	CU_ASSERT_EQUAL_FATAL(elfw_start(w, fd, path, &e), 0);
	CU_ASSERT_EQUAL(elfw_write(w, "0123", 4, &e), 0);
	CU_ASSERT_EQUAL(elfw_finish(w, &e), -1);
	want = xasprintf("%s: 4 bytes of PT_LOAD data were not written", path);
	ASSERT_STR_EQ(e.msg, want);
	free(want);
	CU_ASSERT_EQUAL(elfw_write(w, "0123456789", 10, &e), -1);
	want = xasprintf("%s: more data than the PT_LOAD segments declare", path);
	ASSERT_STR_EQ(e.msg, want);
	free(want);
	elfw_free(w);
	close(fd);
	free(path);
}

static void test_lime_same_as_yaml(void)
{
	char *dir = fx_tmpdir();
	const char *yaml = write_yaml(
		dir, "cpu: {architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 40}}\nmmu: {mode: ia64}\n");
	const char *lime = write_lime(dir, "mem.lime", false);
	struct dumpfmt_opts o = {.arch = "x86_64"};
	expect_same(lime, &o, yaml);
	o.arch = "intel";
	expect_same(lime, &o, yaml);

	char *dir2 = fx_tmpdir();
	yaml = write_yaml(dir2, "cpu: {architecture: mips, endianness: big, bits: 32}\nmmu: {mode: mips32}\n");
	lime = write_lime(dir2, "mem.lime", true);
	/* Plain "mips" leaves the byte order to the LiME headers. */
	o.arch = "mips";
	expect_same(lime, &o, yaml);

	/* LiME ranges keep their file offsets: past each 32-byte header. */
	struct lime_range *r;
	size_t n;
	bool big;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(lime_read(lime, &r, &n, &big, &e), 0);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_TRUE(big);
	CU_ASSERT_EQUAL(r[0].offset, 32);
	CU_ASSERT_EQUAL(r[1].offset, 32 + 0x4000 + 32);
	free(r);
}

/* The YAML 'offset' extension points a region into a container file. */
static void test_yaml_offset(void)
{
	char *dir = fx_tmpdir();
	const char *elf = write_elf(dir, "core.elf", 64, false, EM_X86_64, NULL, NULL, 0);
	struct elfcore ec;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(elfcore_open(&ec, elf, &e), 0);
	char *yaml = xasprintf("cpu: {architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 40}}\n"
			       "mmu: {mode: ia64}\nmemspace:\n  ram:\n"
			       "    - {start: 0x0, end: 0x5fff, dumpfile: core.elf, offset: 0x%llx}\n"
			       "    - {start: 0x10000, end: 0x10fff, dumpfile: core.elf, offset: 0x%llx}\n",
			       (unsigned long long)ec.phdrs[0].offset, (unsigned long long)ec.phdrs[2].offset);
	elfcore_close(&ec);
	const char *ypath = fx_write(dir, "off.yaml", yaml);
	free(yaml);
	expect_same(elf, NULL, ypath);
}

/* ---- malformed inputs, written byte by byte ---- */

struct hand {
	uint8_t b[8192];
	size_t len;
	int c;      /* 1 for ELF64 */
	bool be;
};

static void put(struct hand *h, size_t at, uint64_t v, int size)
{
	if (size == 2)
		wr16(h->b + at, (uint16_t)v, h->be);
	else if (size == 4)
		wr32(h->b + at, (uint32_t)v, h->be);
	else
		wr64(h->b + at, v, h->be);
}

/* An ELF64 core header with n program headers at 0x40, data area from 0x400. */
static void hand_elf64(struct hand *h, uint16_t machine, unsigned n, bool be)
{
	memset(h, 0, sizeof(*h));
	h->c = 1;
	h->be = be;
	memcpy(h->b, be ? "\x7f" "ELF\x02\x02\x01" : "\x7f" "ELF\x02\x01\x01", 7);
	put(h, 0x10, ET_CORE, 2);
	put(h, 0x12, machine, 2);
	put(h, 0x14, 1, 4);
	put(h, 0x20, 0x40, 8);
	put(h, 0x34, 64, 2);
	put(h, 0x36, 56, 2);
	put(h, 0x38, n, 2);
	h->len = 0x400 + 0x1000;
}

static void hand_phdr64(struct hand *h, unsigned i, uint32_t type, uint64_t off, uint64_t paddr, uint64_t filesz,
			uint64_t memsz)
{
	size_t at = 0x40 + (size_t)i * 56;
	put(h, at, type, 4);
	put(h, at + 8, off, 8);
	put(h, at + 0x18, paddr, 8);
	put(h, at + 0x20, filesz, 8);
	put(h, at + 0x28, memsz, 8);
}

/* Same for ELF32: program headers at 0x34. */
static void hand_elf32(struct hand *h, uint16_t machine, unsigned n, bool be)
{
	memset(h, 0, sizeof(*h));
	h->be = be;
	memcpy(h->b, be ? "\x7f" "ELF\x01\x02\x01" : "\x7f" "ELF\x01\x01\x01", 7);
	put(h, 0x10, ET_CORE, 2);
	put(h, 0x12, machine, 2);
	put(h, 0x14, 1, 4);
	put(h, 0x1c, 0x34, 4);
	put(h, 0x28, 52, 2);
	put(h, 0x2a, 32, 2);
	put(h, 0x2c, n, 2);
	h->len = 0x400 + 0x1000;
}

static void hand_phdr32(struct hand *h, unsigned i, uint32_t type, uint32_t off, uint32_t paddr, uint32_t filesz)
{
	size_t at = 0x34 + (size_t)i * 32;
	put(h, at, type, 4);
	put(h, at + 4, off, 4);
	put(h, at + 0xc, paddr, 4);
	put(h, at + 0x10, filesz, 4);
	put(h, at + 0x14, filesz, 4);
}

static const char *hand_write(const char *dir, const struct hand *h)
{
	return fx_write_bytes(dir, "hand.elf", h->b, h->len);
}

/* Loads path with o and expects "PATH: " + want. */
static void expect_load_error(const char *path, const struct dumpfmt_opts *o, const char *want)
{
	struct machine_config cfg;
	struct err e = {{0}};
	int rc = dumpfmt_load(path, o, &cfg, &e);
	CU_ASSERT_EQUAL(rc, -1);
	char *full = xasprintf("%s: %s", path, want);
	ASSERT_STR_EQ(e.msg, full);
	free(full);
	config_free(&cfg);
}

static void expect_hand(const struct hand *h, const struct dumpfmt_opts *o, const char *want)
{
	char *dir = fx_tmpdir();
	expect_load_error(hand_write(dir, h), o, want);
}

static void test_elf_malformed_header(void)
{
	struct hand h;
	hand_elf64(&h, EM_X86_64, 1, false);
	hand_phdr64(&h, 0, PT_LOAD, 0x400, 0, 0x1000, 0x1000);
	{
		/* The reference file is good. */
		char *dir = fx_tmpdir();
		struct machine_config cfg;
		struct err e = {{0}};
		CU_ASSERT_EQUAL(dumpfmt_load(hand_write(dir, &h), NULL, &cfg, &e), 0);
		config_free(&cfg);
	}
	struct hand t = h;
	t.len = 10;
	expect_hand(&t, NULL, "offset 0x0: truncated ELF header: the file has only 10 bytes");
	t.len = 40;
	expect_hand(&t, NULL, "offset 0x0: truncated ELF header: the file has 40 bytes, an ELF64 header needs 64");
	t = h;
	t.b[4] = 3;
	expect_hand(&t, NULL, "offset 0x4: EI_CLASS is 3, neither ELFCLASS32 (1) nor ELFCLASS64 (2)");
	t = h;
	t.b[5] = 0;
	expect_hand(&t, NULL, "offset 0x5: EI_DATA is 0, neither ELFDATA2LSB (1) nor ELFDATA2MSB (2)");
	t = h;
	t.b[6] = 2;
	expect_hand(&t, NULL, "offset 0x6: EI_VERSION is 2, not EV_CURRENT (1)");
	t = h;
	put(&t, 0x10, ET_EXEC, 2);
	expect_hand(&t, NULL, "offset 0x10: e_type is 2 (ET_EXEC), not ET_CORE: this ELF file is not a memory dump");
	t = h;
	put(&t, 0x36, 40, 2);
	expect_hand(&t, NULL, "offset 0x36: e_phentsize is 40, smaller than an ELF64 program header (56 bytes)");
	t = h;
	put(&t, 0x38, 0, 2);
	expect_hand(&t, NULL, "offset 0x38: no program headers: a memory dump needs PT_LOAD segments");
	t = h;
	put(&t, 0x20, 0x13f0, 8);
	expect_hand(&t, NULL,
		    "offset 0x20: the program header table (1 entries of 56 bytes at offset 0x13f0) runs past the end of the file (5120 bytes)");
	t = h;
	put(&t, 0x38, PN_XNUM, 2);
	expect_hand(&t, NULL,
		    "offset 0x38: e_phnum is PN_XNUM (extended numbering) but e_shoff is 0: no section header holds the count");
	t = h;
	put(&t, 0x38, PN_XNUM, 2);
	put(&t, 0x28, 0x13f0, 8);
	put(&t, 0x3a, 64, 2);
	expect_hand(&t, NULL, "offset 0x28: section header 0 at offset 0x13f0 runs past the end of the file (5120 bytes)");
	t = h;
	put(&t, 0x12, 0x1234, 2);
	expect_hand(&t, NULL, "offset 0x12: e_machine 4660 is not an architecture mmushell reads (give --arch to say which it is)");
	/* --arch fills in an unknown e_machine. */
	{
		struct dumpfmt_opts o = {.arch = "riscv64"};
		char *dir = fx_tmpdir();
		struct machine_config cfg;
		struct err e = {{0}};
		CU_ASSERT_EQUAL(dumpfmt_load(hand_write(dir, &t), &o, &cfg, &e), 0);
		ASSERT_STR_EQ(config_mode_name(&cfg), "sv39");
		config_free(&cfg);
	}
}

static void test_elf_malformed_segments(void)
{
	struct hand h, t;
	hand_elf64(&h, EM_X86_64, 2, false);
	hand_phdr64(&h, 0, PT_LOAD, 0x400, 0, 0x800, 0x800);
	hand_phdr64(&h, 1, PT_LOAD, 0xc00, 0x1000, 0x800, 0x800);

	t = h;
	hand_phdr64(&t, 1, PT_LOAD, 0xc00, 0x1000, 0x900, 0x900);
	expect_hand(&t, NULL,
		    "offset 0x78: PT_LOAD (program header 1) data at 0xc00, 0x900 bytes, runs past the end of the file (5120 bytes)");
	t = h;
	hand_phdr64(&t, 1, PT_LOAD, 0xc00, 0x400, 0x800, 0x800);
	expect_hand(&t, NULL,
		    "offset 0x78: PT_LOAD (program header 1) physical range 0x400-0xbff overlaps PT_LOAD (program header 0) 0x0-0x7ff");
	t = h;
	hand_phdr64(&t, 0, PT_LOAD, 0x10, 0, 0x800, 0x800);
	expect_hand(&t, NULL, "offset 0x40: PT_LOAD (program header 0) data at 0x10 overlaps the ELF header");
	t = h;
	hand_phdr64(&t, 1, PT_LOAD, 0xc00, 0xfffffffffffffc00ULL, 0x800, 0x800);
	expect_hand(&t, NULL,
		    "offset 0x78: PT_LOAD (program header 1) physical range 0xfffffffffffffc00 + 0x800 runs past the top of the address space");
	t = h;
	hand_phdr64(&t, 0, PT_NOTE, 0x400, 0, 0x800, 0x800);
	hand_phdr64(&t, 1, PT_NOTE, 0x1000, 0, 0x800, 0x800);
	expect_hand(&t, NULL,
		    "offset 0x78: PT_NOTE (program header 1) data at 0x1000, 0x800 bytes, runs past the end of the file (5120 bytes)");
	t = h;
	hand_phdr64(&t, 0, PT_NOTE, 0x400, 0, 0x20, 0);
	put(&t, 0x400, 5, 4);
	put(&t, 0x404, 0x100, 4);
	expect_hand(&t, NULL,
		    "offset 0x400: note with 5 name bytes and 256 description bytes runs past the end of its PT_NOTE segment (20 bytes left)");
	t = h;
	hand_phdr64(&t, 0, PT_NOTE, 0x400, 0, 0, 0);
	hand_phdr64(&t, 1, PT_LOAD, 0xc00, 0x1000, 0, 0x800);
	expect_hand(&t, NULL, "no PT_LOAD segment holds memory: nothing to analyse");

	/* p_paddr all ones is /proc/kcore's "no physical address": skipped, not an error. */
	t = h;
	hand_phdr64(&t, 1, PT_LOAD, 0xc00, UINT64_MAX, 0x800, 0x800);
	{
		char *dir = fx_tmpdir();
		struct machine_config cfg;
		struct err e = {{0}};
		CU_ASSERT_EQUAL(dumpfmt_load(hand_write(dir, &t), NULL, &cfg, &e), 0);
		CU_ASSERT_EQUAL(cfg.nram, 1);
		config_free(&cfg);
	}

	/* p_memsz beyond p_filesz: the tail is a hole, not RAM. */
	t = h;
	hand_phdr64(&t, 0, PT_LOAD, 0x400, 0, 0x800, 0x1000);
	{
		char *dir = fx_tmpdir();
		struct loaded l;
		struct err e = {{0}};
		CU_ASSERT_EQUAL_FATAL(load(&l, hand_write(dir, &t), NULL, &e), 0);
		CU_ASSERT_FALSE(physmem_is_ram(&l.pm, 0x800));
		CU_ASSERT_TRUE(physmem_is_ram(&l.pm, 0x7ff));
		CU_ASSERT_TRUE(physmem_is_ram(&l.pm, 0x1000));
		unload(&l);
	}

	/* ELF32 big-endian: the same checks on the other layout. */
	hand_elf32(&h, EM_PPC, 2, true);
	hand_phdr32(&h, 0, PT_LOAD, 0x400, 0, 0x800);
	hand_phdr32(&h, 1, PT_LOAD, 0xc00, 0x700, 0x800);
	expect_hand(&h, NULL,
		    "offset 0x54: PT_LOAD (program header 1) physical range 0x700-0xeff overlaps PT_LOAD (program header 0) 0x0-0x7ff");
	hand_phdr32(&h, 0, PT_LOAD, 0x300, 0, 0x800);
	hand_phdr32(&h, 1, PT_LOAD, 0xc00, 0x800, 0x800);
	{
		char *dir = fx_tmpdir();
		struct loaded l;
		struct err e = {{0}};
		CU_ASSERT_EQUAL_FATAL(load(&l, hand_write(dir, &h), NULL, &e), 0);
		CU_ASSERT_EQUAL(l.cfg.endian, ENDIAN_BIG);
		CU_ASSERT_EQUAL(l.cfg.bits, 32);
		ASSERT_STR_EQ(l.cfg.arch->name, "ppc");
		/* Touching in memory but not in the file (0x300 + 0x800 != 0xc00): two regions. */
		CU_ASSERT_EQUAL(l.cfg.nram, 2);
		unload(&l);
	}
}

static void test_elf_options(void)
{
	struct hand h;
	hand_elf64(&h, EM_X86_64, 1, false);
	hand_phdr64(&h, 0, PT_LOAD, 0x400, 0x100000000ULL, 0x1000, 0x1000);
	struct dumpfmt_opts o = {.arch = "aarch64"};
	expect_hand(&h, &o, "--arch aarch64 does not match the file's e_machine EM_X86_64 (intel)");
	o = (struct dumpfmt_opts){.arch = "i386"};
	expect_hand(&h, &o, "--arch i386 is 32-bit but the file's e_machine EM_X86_64 is 64-bit");
	o = (struct dumpfmt_opts){.arch = "vax"};
	char names[512], *want;
	want = xasprintf("unknown architecture 'vax' (--arch; known: %s)", dumpfmt_machine_names(names, sizeof(names)));
	expect_hand(&h, &o, want);
	free(want);
	o = (struct dumpfmt_opts){.mode = "sv39"};
	expect_hand(&h, &o, "unknown MMU mode 'sv39' (--mode) for architecture intel (accepted: ia32, pae, ia64, la57)");
	o = (struct dumpfmt_opts){.m_phy = 30};
	expect_hand(&h, &o, "m_phy 30 cannot address RAM up to 0x100000fff (needs 33 bits)");
	struct hand be;
	hand_elf64(&be, EM_X86_64, 1, true);
	hand_phdr64(&be, 0, PT_LOAD, 0x400, 0, 0x1000, 0x1000);
	expect_hand(&be, NULL, "architecture intel does not run big-endian");
	{
		char *dir = fx_tmpdir();
		struct machine_config cfg;
		struct err e = {{0}};
		o = (struct dumpfmt_opts){.arch = "x86_64", .mode = "LA57", .m_phy = 46};
		CU_ASSERT_EQUAL_FATAL(dumpfmt_load(hand_write(dir, &h), &o, &cfg, &e), 0);
		ASSERT_STR_EQ(config_mode_name(&cfg), "la57");
		CU_ASSERT_EQUAL(config_feature(&cfg, "m_phy")->value, 46);
		config_free(&cfg);
	}

	struct hand r;
	hand_elf64(&r, EM_RISCV, 1, false);
	hand_phdr64(&r, 0, PT_LOAD, 0x400, 0x80000000, 0x1000, 0x1000);
	o = (struct dumpfmt_opts){.mode = "sv32"};
	expect_hand(&r, &o, "MMU mode sv32 needs a 32-bit machine, but this one is 64-bit");
	o = (struct dumpfmt_opts){.m_phy = 40};
	expect_hand(&r, &o, "--m-phy applies to intel machines only (this one is riscv)");

	/* A YAML says everything itself. */
	char *dir = fx_tmpdir();
	const char *yaml = write_yaml(dir, "cpu: {architecture: riscv, endianness: little, bits: 64}\nmmu: {mode: sv39}\n");
	o = (struct dumpfmt_opts){.mode = "sv48"};
	expect_load_error(yaml, &o,
			  "--mode applies to ELF core and LiME inputs; a machine YAML sets the architecture, MMU mode, m_phy and not_ram itself");
}

/* A note with the given owner, type and description, for hand-made cores. */
static size_t hand_note(struct hand *h, size_t at, const char *owner, uint32_t type, const void *desc, size_t len)
{
	size_t nl = strlen(owner) + 1;
	put(h, at, nl, 4);
	put(h, at + 4, len, 4);
	put(h, at + 8, type, 4);
	memcpy(h->b + at + 12, owner, nl);
	at += 12 + ((nl + 3) & ~(size_t)3);
	memcpy(h->b + at, desc, len);
	return at + ((len + 3) & ~(size_t)3);
}

static void qemu_cpu_note(uint8_t *d, uint64_t cr0, uint64_t cr4)
{
	memset(d, 0, 440);
	wr32(d, 1, false);
	wr32(d + 4, 440, false);
	wr64(d + 392, cr0, false);
	wr64(d + 424, cr4, false);
}

static void test_elf_notes_pick_mode(void)
{
	uint8_t d[440];
	struct hand h;
	struct machine_config cfg;
	struct err e = {{0}};

	/* QEMU x86_64 with CR4.LA57 set: 5-level paging. */
	hand_elf64(&h, EM_X86_64, 2, false);
	qemu_cpu_note(d, 0x80050033, 0x16f0);
	size_t end = hand_note(&h, 0x200, "QEMU", 0, d, sizeof(d));
	hand_phdr64(&h, 0, PT_NOTE, 0x200, 0, end - 0x200, 0);
	hand_phdr64(&h, 1, PT_LOAD, 0x800, 0, 0x800, 0x800);
	char *dir = fx_tmpdir();
	CU_ASSERT_EQUAL_FATAL(dumpfmt_load(hand_write(dir, &h), NULL, &cfg, &e), 0);
	ASSERT_STR_EQ(config_mode_name(&cfg), "la57");
	CU_ASSERT_PTR_NOT_NULL(strstr(cfg.format_about, "QEMU dump-guest-memory"));
	config_free(&cfg);

	/* QEMU i386 with CR4.PAE clear: 2-level paging; a CPU with paging off is ignored. */
	hand_elf64(&h, EM_386, 2, false);
	qemu_cpu_note(d, 0x10, 0);
	end = hand_note(&h, 0x200, "QEMU", 0, d, sizeof(d));
	qemu_cpu_note(d, 0x80000011, 0x10);
	end = hand_note(&h, end, "QEMU", 0, d, sizeof(d));
	hand_phdr64(&h, 0, PT_NOTE, 0x200, 0, end - 0x200, 0);
	hand_phdr64(&h, 1, PT_LOAD, 0x800, 0, 0x800, 0x800);
	dir = fx_tmpdir();
	CU_ASSERT_EQUAL_FATAL(dumpfmt_load(hand_write(dir, &h), NULL, &cfg, &e), 0);
	ASSERT_STR_EQ(config_mode_name(&cfg), "ia32");
	CU_ASSERT_EQUAL(cfg.bits, 32);
	CU_ASSERT_EQUAL(config_feature(&cfg, "m_phy")->value, 36);
	config_free(&cfg);

	/* kdump: VMCOREINFO says PAE; the kernel image PT_LOAD inside a RAM one is an alias. */
	static const char info[] = "OSRELEASE=6.1.0\nCONFIG_X86_PAE=y\n";
	hand_elf32(&h, EM_386, 3, false);
	end = hand_note(&h, 0x200, "VMCOREINFO", 0, info, sizeof(info) - 1);
	hand_phdr32(&h, 0, PT_NOTE, 0x200, 0, (uint32_t)(end - 0x200));
	hand_phdr32(&h, 1, PT_LOAD, 0x400, 0x100000, 0x100);
	hand_phdr32(&h, 2, PT_LOAD, 0x800, 0xff800, 0xc00);
	dir = fx_tmpdir();
	const char *path = hand_write(dir, &h);
	CU_ASSERT_EQUAL_FATAL(dumpfmt_load(path, NULL, &cfg, &e), 0);
	ASSERT_STR_EQ(config_mode_name(&cfg), "pae");
	CU_ASSERT_EQUAL(cfg.nram, 1);
	CU_ASSERT_EQUAL(cfg.ram[0].start, 0xff800);
	CU_ASSERT_PTR_NOT_NULL(strstr(cfg.format_about, "kdump"));
	config_free(&cfg);

	/* Without VMCOREINFO the same overlap is an error. */
	hand_phdr32(&h, 0, PT_NULL, 0, 0, 0);
	expect_hand(&h, NULL,
		    "offset 0x54: PT_LOAD (program header 1) physical range 0x100000-0x1000ff overlaps PT_LOAD (program header 2) 0xff800-0x1003ff");
}

static void test_elf_mmushell_note(void)
{
	struct hand h;
	struct sbuf t = {0};
	struct phys_range nr[2] = {{.start = 0xa0000, .end = 0xbffff}, {.start = 0xfec00000, .end = 0xfec00fff}};
	dumpfmt_note_text(&t, "pae", 36, nr, 2);
	hand_elf64(&h, EM_386, 2, false);
	size_t end = hand_note(&h, 0x200, DUMPFMT_NOTE_OWNER, DUMPFMT_NT_MACHINE, t.s, t.len);
	hand_phdr64(&h, 0, PT_NOTE, 0x200, 0, end - 0x200, 0);
	hand_phdr64(&h, 1, PT_LOAD, 0x800, 0, 0x800, 0x800);
	sbuf_free(&t);
	char *dir = fx_tmpdir();
	struct machine_config cfg;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(dumpfmt_load(hand_write(dir, &h), NULL, &cfg, &e), 0);
	ASSERT_STR_EQ(config_mode_name(&cfg), "pae");
	CU_ASSERT_EQUAL(config_feature(&cfg, "m_phy")->value, 36);
	CU_ASSERT_EQUAL_FATAL(cfg.nnot_ram, 2);
	CU_ASSERT_EQUAL(cfg.not_ram[1].start, 0xfec00000);
	CU_ASSERT_EQUAL(cfg.not_ram[1].end, 0xfec00fff);
	config_free(&cfg);

	dumpfmt_note_text(&t, NULL, 0, NULL, 0);
	sbuf_printf(&t, "not_ram 0x2000 0x1000\n");
	end = hand_note(&h, 0x200, DUMPFMT_NOTE_OWNER, DUMPFMT_NT_MACHINE, t.s, t.len);
	hand_phdr64(&h, 0, PT_NOTE, 0x200, 0, end - 0x200, 0);
	sbuf_free(&t);
	expect_hand(&h, NULL, "offset 0x200: MMUSHELL note: bad not_ram line");
}

/* --iomem: RAM clipped to System RAM, not_ram from the listing and from the dump's other ranges. */
static void test_elf_iomem(void)
{
	char *dir = fx_tmpdir();
	const char *elf = write_elf(dir, "core.elf", 64, false, EM_X86_64, NULL, NULL, 0);
	const char *io = fx_write(dir, "iomem",
				  "00000000-00000fff : Reserved\n"
				  "00001000-00005fff : System RAM\n"
				  "  00002000-00002fff : Kernel code\n"
				  "00010000-00010fff : System RAM\n"
				  "fec00000-fec003ff : IOAPIC 0\n");
	struct dumpfmt_opts o = {.iomem = io};
	struct loaded l;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(load(&l, elf, &o, &e), 0);
	CU_ASSERT_EQUAL_FATAL(l.cfg.nram, 2);
	CU_ASSERT_EQUAL(l.cfg.ram[0].start, 0x1000);
	CU_ASSERT_EQUAL(l.cfg.ram[0].end, 0x5fff);
	CU_ASSERT_FALSE(physmem_is_ram(&l.pm, 0xfff));
	CU_ASSERT_TRUE(physmem_is_not_valid(&l.pm, 0xfff));
	CU_ASSERT_TRUE(physmem_is_not_valid(&l.pm, 0xfec00010));
	uint8_t b[2];
	CU_ASSERT_EQUAL(physmem_read(&l.pm, 0x1000, b, 2), 2);
	CU_ASSERT_EQUAL(b[0], fx_pattern_byte(0x1000, 1));
	CU_ASSERT_EQUAL(physmem_read(&l.pm, 0x4000, b, 1), 1);
	CU_ASSERT_EQUAL(b[0], fx_pattern_byte(0, 2));
	unload(&l);

	o.iomem = fx_write(dir, "iomem2", "00100000-001fffff : System RAM\n");
	char *want = xasprintf("no RAM of the dump lies in the System RAM of --iomem %s", o.iomem);
	expect_load_error(elf, &o, want);
	free(want);
	/* A listing that cannot be read is named in the message. */
	o.iomem = "/nonexistent/iomem";
	struct machine_config cfg;
	CU_ASSERT_EQUAL(dumpfmt_load(elf, &o, &cfg, &e), -1);
	ASSERT_STR_EQ(e.msg, "/nonexistent/iomem: cannot open: No such file or directory");
	config_free(&cfg);

}

static void lime_header(uint8_t *p, uint32_t magic, uint32_t version, uint64_t s, uint64_t e)
{
	memset(p, 0, LIME_HEADER_SIZE);
	wr32(p, magic, false);
	wr32(p + 4, version, false);
	wr64(p + 8, s, false);
	wr64(p + 16, e, false);
}

static void expect_lime(const uint8_t *b, size_t len, const struct dumpfmt_opts *o, const char *want)
{
	char *dir = fx_tmpdir();
	expect_load_error(fx_write_bytes(dir, "hand.lime", b, len), o, want);
}

static void test_lime_malformed(void)
{
	uint8_t b[256] = {0};
	struct dumpfmt_opts o = {.arch = "x86_64"};
	lime_header(b, LIME_MAGIC, 1, 0x1000, 0x100f);
	lime_header(b + 48, LIME_MAGIC, 1, 0x2000, 0x200f);
	{
		char *dir = fx_tmpdir();
		struct machine_config cfg;
		struct err e = {{0}};
		CU_ASSERT_EQUAL(dumpfmt_load(fx_write_bytes(dir, "ok.lime", b, 96), &o, &cfg, &e), 0);
		CU_ASSERT_EQUAL(cfg.nram, 2);
		config_free(&cfg);
	}
	char names[512], *want;
	want = xasprintf("a LiME file does not say which machine it comes from: give --arch (one of %s) and, if the default does not fit, --mode",
			 dumpfmt_machine_names(names, sizeof(names)));
	expect_lime(b, 96, NULL, want);
	free(want);
	expect_lime(b, 90, &o, "offset 0x30: LiME range 0x2000-0x200f needs 0x10 bytes but the file has 0xa after the header");
	expect_lime(b, 60, &o, "offset 0x30: truncated LiME header (12 bytes left, a header needs 32)");
	uint8_t c[256];
	memcpy(c, b, sizeof(c));
	wr32(c + 48, 0x12345678, false);
	expect_lime(c, 96, &o, "offset 0x30: bad LiME magic 0x12345678 (expected 0x4c694d45)");
	memcpy(c, b, sizeof(c));
	wr32(c + 52, 2, false);
	expect_lime(c, 96, &o, "offset 0x34: LiME version 2 (only version 1 is known)");
	memcpy(c, b, sizeof(c));
	lime_header(c + 48, LIME_MAGIC, 1, 0x2000, 0x1fff);
	expect_lime(c, 96, &o, "offset 0x40: LiME range end 0x1fff is below its start 0x2000");
	memcpy(c, b, sizeof(c));
	lime_header(c + 48, LIME_MAGIC, 1, 0x1008, 0x1017);
	expect_lime(c, 96, &o,
		    "offset 0x30: LiME range 0x1008-0x1017 overlaps the range 0x1000-0x100f at offset 0x0");
	memcpy(c, b, sizeof(c));
	wr32(c + 48, LIME_MAGIC, true);
	expect_lime(c, 96, &o, "offset 0x30: LiME header in big-endian order after little-endian ones");
	/* ppc is big-endian whatever byte order the headers were written in. */
	{
		char *dir = fx_tmpdir();
		struct machine_config cfg;
		struct err e = {{0}};
		o.arch = "ppc";
		CU_ASSERT_EQUAL(dumpfmt_load(fx_write_bytes(dir, "ok.lime", b, 96), &o, &cfg, &e), 0);
		CU_ASSERT_EQUAL(cfg.endian, ENDIAN_BIG);
		config_free(&cfg);
	}
	o = (struct dumpfmt_opts){.arch = "arm", .mode = "sv39"};
	expect_lime(b, 96, &o, "unknown MMU mode 'sv39' (--mode) for architecture arm (accepted: short, long)");
	/* --mode implies the word size a generic --arch leaves open. */
	{
		char *dir = fx_tmpdir();
		struct machine_config cfg;
		struct err e = {{0}};
		o = (struct dumpfmt_opts){.arch = "intel", .mode = "pae"};
		CU_ASSERT_EQUAL_FATAL(dumpfmt_load(fx_write_bytes(dir, "ok.lime", b, 96), &o, &cfg, &e), 0);
		CU_ASSERT_EQUAL(cfg.bits, 32);
		CU_ASSERT_EQUAL(config_feature(&cfg, "m_phy")->value, 36);
		config_free(&cfg);
	}
}

/* Garbage must never crash the reader: flip bytes of a good core and load each. */
static void test_elf_fuzz(void)
{
	char *dir = fx_tmpdir();
	const char *elf = write_elf(dir, "core.elf", 64, false, EM_X86_64, "CORE", "abcdefgh", 8);
	FILE *f = fopen(elf, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	uint8_t head[0x200];
	CU_ASSERT_EQUAL_FATAL(fread(head, 1, sizeof(head), f), sizeof(head));
	fclose(f);
	unsigned seed = 12345;
	for (int round = 0; round < 300; round++) {
		uint8_t m[sizeof(head)];
		memcpy(m, head, sizeof(m));
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			m[(seed >> 8) % sizeof(m)] ^= (uint8_t)(1u << ((seed >> 4) % 8));
		}
		const char *p = fx_write_bytes(dir, "fuzz.elf", m, sizeof(m));
		struct machine_config cfg;
		struct err e = {{0}};
		if (dumpfmt_load(p, NULL, &cfg, &e) == 0)
			CU_ASSERT(cfg.nram > 0);
		config_free(&cfg);
	}
}

/* dumpfmt-names.c's mode table (all mmushell-acquire links) names exactly the architectures' modes. */
static void test_mode_table_matches_arches(void)
{
	char buf[256];
	for (size_t i = 0; i < arch_registry_len; i++) {
		const struct arch_ops *a = arch_registry[i];
		for (size_t k = 0; k < a->nmodes; k++) {
			const char *n = dumpfmt_mode_find(a->name, a->modes[k].name);
			CU_ASSERT_PTR_NOT_NULL(n);
			if (n)
				CU_ASSERT_STRING_EQUAL(n, a->modes[k].name);
			/* a mode tied to a word size has that size in both */
			if (a->modes[k].bits)
				CU_ASSERT_EQUAL(dumpfmt_mode_bits(a->name, a->modes[k].name), a->modes[k].bits);
		}
		/* and no other: the list has as many names as the architecture has modes */
		dumpfmt_mode_names(a->name, buf, sizeof(buf));
		size_t listed = buf[0] != '\0';
		for (const char *p = buf; *p; p++)
			listed += *p == ',';
		CU_ASSERT_EQUAL(listed, a->nmodes);
	}
	ASSERT_STR_EQ(dumpfmt_mode_find("intel", "LA57"), "la57");
	CU_ASSERT_PTR_NULL(dumpfmt_mode_find("intel", "sv39"));
	ASSERT_STR_EQ(dumpfmt_mode_names("riscv", buf, sizeof(buf)), "sv39, sv48, sv57, sv32");
}

void register_dumpfmt_tests(void)
{
	static const struct unit_test tests[] = {
		{"ELF cores equal raw files + YAML", test_elf_same_as_yaml},
		{"ELF neighbours merge", test_elf_merges_neighbours},
		{"ELF extended numbering", test_elf_extended_numbering},
		{"ELF writer errors", test_elf_writer_errors},
		{"LiME equals raw files + YAML", test_lime_same_as_yaml},
		{"YAML offset into a container", test_yaml_offset},
		{"ELF malformed headers", test_elf_malformed_header},
		{"ELF malformed segments", test_elf_malformed_segments},
		{"ELF options", test_elf_options},
		{"ELF notes pick the mode", test_elf_notes_pick_mode},
		{"ELF MMUSHELL note", test_elf_mmushell_note},
		{"ELF with --iomem", test_elf_iomem},
		{"LiME malformed", test_lime_malformed},
		{"ELF flipped bytes", test_elf_fuzz},
		{"mode table matches the architectures", test_mode_table_matches_arches},
	};
	unit_add_suite("dumpfmt", tests, ARRAY_LEN(tests));
}
