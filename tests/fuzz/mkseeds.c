/*
 * Writes the generated part of the fuzz corpora: mkseeds DIR fills
 * DIR/TARGET/gen-* for every target, from the project's own writers (ELF
 * and LiME writers, session_save, mmushell-mkdump's files, the test table
 * builder), so seeds follow the formats as they change.  Files not named
 * gen-* (regressions: crashes and hangs found, kept as tests) are left alone.
 * Run by make fuzz-seeds; the output is committed (tests/fuzz/README.md).
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "elfcore.h"
#include "fz.h"
#include "lime.h"
#include "mkdump/expected.h"
#include "radix.h"
#include "regrec.h"
#include "session.h"
#include "../tablebuild.h"

static const char *out;

static void put(const char *target, const char *name, const void *data, size_t len)
{
	char *dir = xasprintf("%s/%s", out, target);
	if (mkdir(dir, 0755) && errno != EEXIST)
		fatal("cannot create %s: %s", dir, strerror(errno));
	char *path = xasprintf("%s/gen-%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f))
		fatal("cannot write %s", path);
	free(path);
	free(dir);
}

static void put_text(const char *target, const char *name, const char *text)
{
	put(target, name, text, strlen(text));
}

/* Reads a whole file (small) into b. */
static void slurp(const char *path, struct sbuf *b)
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;
	sbuf_reset(b);
	if (!f)
		fatal("cannot read %s", path);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sbuf_append(b, buf, n);
	fclose(f);
}

/* ---- text formats ---- */

static void seeds_config(void)
{
	put_text("config", "intel", "cpu:\n  architecture: intel\n  endianness: little\n  bits: 64\n"
				    "  processor_features: {m_phy: 39}\nmmu: {mode: ia64}\nmemspace:\n"
				    "  ram:\n    - {start: 0x0, end: 0xfff, dumpfile: d0}\n"
				    "  not_ram:\n    - {start: 0x1000, end: 0xffffffff}\n");
	put_text("config", "two-regions", "cpu: {architecture: riscv, endianness: little, bits: 64}\n"
					  "mmu: {mode: sv39}\nmemspace:\n  ram:\n"
					  "    - {start: 0x80002000, end: 0x80003fff, dumpfile: d1}\n"
					  "    - {start: 0x80000000, end: 0x80000fff, dumpfile: d0}\n");
	put_text("config", "arm-registers", "cpu:\n  architecture: arm\n  endianness: big\n  bits: 32\n"
					    "  registers_values: {TTBCR: 0x80000000, SCTLR: 0x20000000}\n"
					    "mmu:\n  mode: long\nmemspace:\n  ram: [{start: 0x40000000, end: 0x40000fff, dumpfile: d0}]\n");
	put_text("config", "aarch64-offset", "cpu: {architecture: aarch64, endianness: little, bits: 64,\n"
					     "      registers_values: {TCR_EL1: 0x32b5193519}}\nmmu: {mode: long}\n"
					     "memspace:\n  ram:\n    - {start: 0x1000, end: 0x1fff, dumpfile: d1, offset: 4096}\n");
	put_text("config", "anchors", "cpu: &c {architecture: mips, endianness: big, bits: 32}\nmmu: {mode: mips32}\n"
				      "memspace:\n  ram: [{start: 0, end: 4095, dumpfile: d0}]\n  not_ram: []\nextra: *c\n");
	put_text("config", "overlap", "cpu: {architecture: ppc, endianness: big, bits: 32}\nmmu: {mode: ppc32}\n"
				      "memspace:\n  ram:\n    - {start: 0, end: 0xfff, dumpfile: d0}\n"
				      "    - {start: 0x800, end: 0x17ff, dumpfile: d0}\n");
}

static void seeds_iomem(void)
{
	put_text("iomem", "qemu", "00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n"
				  "0009fc00-0009ffff : Reserved\n000a0000-000bffff : PCI Bus 0000:00\n"
				  "000f0000-000fffff : System ROM\n00100000-7ffdffff : System RAM\n"
				  "  01000000-01e01c86 : Kernel code\n  01e01c87-0248f2ff : Kernel data\n"
				  "fd000000-fdffffff : 0000:00:02.0\n  fd000000-fdffffff : bochs-drm\n"
				  "fee00000-fee00fff : Local APIC\n100000000-17fffffff : System RAM\n");
	put_text("iomem", "arm", "40000000-bfffffff : System RAM\n  40210000-4177ffff : Kernel code\n"
				 "09000000-09000fff : pl011@9000000\n");
}

static void seeds_gtruth_expected(void)
{
	struct sbuf b = {0};
	for (unsigned i = 0; i < FZ_STD_COUNT; i++) {
		struct analysis *a = fz_std_machine(i);
		char *dir = path_dirname(a->cfg.path), *p = path_join(dir, "gtruth.yaml");
		slurp(p, &b);
		put("gtruth", a->cfg.arch->name, b.s, b.len);
		free(p);
		if (i == FZ_STD_INTEL || i == FZ_STD_ARM) {
			/* expected.yaml of a whole dump is large: two architectures are enough. */
			p = path_join(dir, "expected.yaml");
			slurp(p, &b);
			put("expected", a->cfg.arch->name, b.s, b.len);
			free(p);
		}
		free(dir);
	}
	put_text("gtruth", "minimal", "format: mmushell-gtruth/1\nregisters:\n  - {name: CR3, value: 0x1000}\n"
				      "  - {name: cr3, value: 0x2000, first_seen: 1e-3, last_seen: 2.5, count: 7}\n");
	sbuf_free(&b);
}

/* ---- ELF cores and LiME files ---- */

static void elf_seed(const char *name, int elfclass, bool big, uint16_t machine, uint8_t opt, bool notes)
{
	const char *path = fz_file("seed.elf", "", 0);
	int fd = open(path, O_WRONLY | O_TRUNC);
	struct elfw_opts o = {.elfclass = elfclass, .big_endian = big, .machine = machine, .align = 256};
	struct elfw *w = elfw_new(&o);
	struct err e = {{0}};
	if (notes) {
		uint8_t cpu[8 + 18 * 8 + 10 * 24 + 5 * 8] = {0};
		wr32(cpu, 1, false);
		wr64(cpu + 8 + 18 * 8 + 10 * 24, 1ULL << 31, false);          /* CR0.PG */
		wr64(cpu + 8 + 18 * 8 + 10 * 24 + 32, 1ULL << 12, false);     /* CR4.LA57 */
		elfw_add_note(w, "QEMU", 0, cpu, sizeof(cpu));
		static const char info[] = "OSRELEASE=6.1.0\nNUMBER(pgtable_l5_enabled)=0\nCONFIG_X86_PAE=y\n";
		elfw_add_note(w, "VMCOREINFO", 0, info, sizeof(info) - 1);
		static const char mine[] = "mode ia64\nm_phy 39\nnot_ram 0x2000 0x2fff\n";
		elfw_add_note(w, DUMPFMT_NOTE_OWNER, DUMPFMT_NT_MACHINE, mine, sizeof(mine) - 1);
	}
	elfw_add_load(w, 0, elfclass == 64 ? 0xffff888000000000ULL : 0xc0000000, 1024, 1024, PF_R | PF_W);
	elfw_add_load(w, 0x1000, 0, 512, 4096, PF_R);
	if (fd < 0 || elfw_start(w, fd, path, &e))
		fatal("elf seed: %s", e.msg);
	uint8_t data[1536];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13);
	if (elfw_write(w, data, sizeof(data), &e) || elfw_finish(w, &e))
		fatal("elf seed: %s", e.msg);
	elfw_free(w);
	close(fd);
	struct sbuf b = {0};
	slurp(path, &b);
	sbuf_append(&b, (const char *)&opt, 1);
	put("elf", name, b.s, b.len);
	sbuf_free(&b);
}

static void lime_seed(const char *name, bool big, uint8_t opt)
{
	const char *path = fz_file("seed.lime", "", 0);
	int fd = open(path, O_WRONLY | O_TRUNC);
	struct limew w;
	struct err e = {{0}};
	uint8_t data[512];
	memset(data, 0x5a, sizeof(data));
	limew_init(&w, fd, path, big);
	if (limew_range_begin(&w, 0x2000, 0x21ff, &e) || limew_write(&w, data, 512, &e) ||
	    limew_range_begin(&w, 0x1000, 0x10ff, &e) || limew_write(&w, data, 256, &e) || limew_finish(&w, &e))
		fatal("lime seed: %s", e.msg);
	limew_free(&w);
	close(fd);
	struct sbuf b = {0};
	slurp(path, &b);
	sbuf_append(&b, (const char *)&opt, 1);
	put("lime", name, b.s, b.len);
	sbuf_free(&b);
}

/* ---- page tables ---- */

/* The radix targets' 32-byte header (fuzz-radix.c). */
static void radix_header(uint8_t *h, unsigned mode, uint8_t flags, uint64_t reg, uint64_t base, uint64_t va)
{
	memset(h, 0, 32);
	h[0] = (uint8_t)mode;
	h[1] = flags;
	wr64(h + 4, reg, false);
	wr32(h + 12, (uint32_t)(base >> 12), false);
	wr64(h + 16, va, false);
}

static void put_radix(const char *target, const char *name, const uint8_t *h, const struct tb *t)
{
	uint8_t *b = xmalloc(32 + t->size);
	memcpy(b, h, 32);
	memcpy(b + 32, t->ram, t->size);
	put(target, name, b, 32 + t->size);
	free(b);
}

/* 16-byte interrupt gates, #BP and #OF callable from user mode. */
static void idt_gates(uint8_t *g, unsigned n, uint64_t handler, bool wide)
{
	for (unsigned i = 0; i < n; i++, g += wide ? 16 : 8) {
		unsigned dpl = i == 3 || i == 4 ? 3 : 0;
		wr32(g, (uint32_t)(handler & 0xffff) | 0x10u << 16, false);
		wr32(g + 4, (uint32_t)(handler & 0xffff0000u) | 1u << 15 | dpl << 13 | (wide ? 14u : 6u | 8u) << 8, false);
		if (wide) {
			wr32(g + 8, (uint32_t)(handler >> 32), false);
			wr32(g + 12, 0, false);
		}
	}
}

static void seeds_intel(void)
{
	const uint64_t text = 0xffffffff80000000ULL, idt_va = 0xfffffe0000000000ULL;
	uint8_t h[32];
	struct tb t;
	/* IA-32e: a kernel tree mapping the IDT and its handler page, a user page. */
	tb_init(&t, 0, 16 * 4096, 1);
	uint64_t root = tb_alloc(&t, 4096, 4096);
	uint64_t idt = tb_alloc(&t, 4096, 4096), handler = tb_data_page(&t, 4096), user = tb_data_page(&t, 4096);
	idt_gates(t.ram + idt, 32, text, true);
	tb_map(&t, &tb_ia64, root, idt_va, idt, 3, TB_P | TB_RW, TB_P | TB_RW | TB_US);
	tb_map(&t, &tb_ia64, root, text, handler, 3, TB_P, TB_P | TB_RW | TB_US);
	tb_map(&t, &tb_ia64, root, 0x400000, user, 3, TB_P | TB_US | TB_RW, TB_P | TB_RW | TB_US);
	radix_header(h, 2, 0, 38, 0, text);
	put_radix("radix-intel", "ia64", h, &t);
	tb_free(&t);
	/* PAE: a 32-byte PDPT; RAM in two regions. */
	tb_init(&t, 0x100000, 6 * 4096, 2);
	root = tb_alloc(&t, 32, 32);
	uint64_t page = tb_data_page(&t, 4096);
	tb_map(&t, &tb_pae, root, 0xc0000000, page, 2, TB_P | TB_RW, TB_P);
	tb_map(&t, &tb_pae, root, 0x08048000, page, 2, TB_P | TB_US, TB_P | TB_RW | TB_US);
	radix_header(h, 1, 0x10, 35, 0x100000, 0xc0000000);
	h[2] = 2;
	put_radix("radix-intel", "pae-split", h, &t);
	tb_free(&t);
	/* IA-32 with a 4 MiB PSE page. */
	tb_init(&t, 0, 4 * 4096, 3);
	root = tb_alloc(&t, 4096, 4096);
	page = tb_data_page(&t, 4096);
	tb_map(&t, &tb_ia32, root, 0xc0000000, page, 1, TB_P | TB_RW, TB_P | TB_RW);
	tb_put(&t, &tb_ia32, root + 4 * (0xc0400000 >> 22), 0x00400000 | TB_P | TB_PS);
	radix_header(h, 0, 0x08, 31, 0, 0xc0001000);
	put_radix("radix-intel", "ia32", h, &t);
	tb_free(&t);

	/* The IDT target: one table of each gate size. */
	uint8_t g[1 + 32 * 16];
	g[0] = 1;
	idt_gates(g + 1, 32, text, true);
	put("idt", "wide", g, sizeof(g));
	g[0] = 0;
	idt_gates(g + 1, 32, 0xc0100000, false);
	put("idt", "narrow", g, 1 + 32 * 8);
	/* A table across the first frame's end, that frame a region of its own. */
	uint8_t *two = xcalloc(1, 1 + 2 * 4096);
	two[0] = 3;
	idt_gates(two + 1 + 0xf00, 32, text, true);
	put("idt", "wide-split", two, 1 + 2 * 4096);
	free(two);
}

static void seeds_riscv(void)
{
	uint8_t h[32];
	struct tb t;
	tb_init(&t, 0x80000000, 6 * 4096, 4);
	uint64_t root = tb_alloc(&t, 4096, 4096), page = tb_data_page(&t, 4096);
	tb_map(&t, &tb_sv39, root, 0xffffffff80000000ULL, page, 2, TB_V | TB_R | TB_X | TB_AD, TB_V);
	tb_map(&t, &tb_sv39, root, 0x10000, page, 2, TB_V | TB_R | TB_W | TB_U | TB_AD, TB_V);
	tb_map(&t, &tb_sv39, root, 0x40000000, 0, 0, TB_V | TB_R | TB_W | TB_AD, TB_V);
	radix_header(h, 1, 0, 0, 0x80000000, 0x10000);
	put_radix("radix-riscv", "sv39", h, &t);
	tb_free(&t);
	tb_init(&t, 0x80000000, 6 * 4096, 5);
	root = tb_alloc(&t, 4096, 4096);
	page = tb_data_page(&t, 4096);
	tb_map(&t, &tb_sv48, root, 0x7fff0000, page, 3, TB_V | TB_R | TB_W | TB_U | TB_AD, TB_V);
	radix_header(h, 2, 0x02, 0, 0x80000000, 0x7fff0123);
	put_radix("radix-riscv", "sv48", h, &t);
	tb_free(&t);
}

/* Long descriptors with a 4 KiB granule: 3 levels of 512 entries (39-bit VAs). */
static uint64_t ld_ptr(uint64_t pa, uint64_t flags)
{
	return pa | 3 | flags;
}

static uint64_t ld_leaf(uint64_t pa, unsigned level, unsigned levels, uint64_t flags)
{
	/* AF, inner shareable; pages are 0b11 at the last level, blocks 0b01 above it. */
	return pa | 1u << 10 | 3u << 8 | (level + 1 < levels ? 1 : 3) | flags;
}

static const struct tb_mode tb_ld39 = {3, 8, {30, 21, 12}, {4096, 4096, 4096}, ld_ptr, ld_leaf};
/* LPAE with TTBCR.T0SZ = 0: a 4-entry first level. */
static const struct tb_mode tb_lpae = {3, 8, {30, 21, 12}, {32, 4096, 4096}, ld_ptr, ld_leaf};

/* Short descriptors: 16 KiB first level, 1 KiB second level. */
static uint64_t sd_ptr(uint64_t pa, uint64_t flags)
{
	return pa | 1 | flags;
}

static uint64_t sd_leaf(uint64_t pa, unsigned level, unsigned levels, uint64_t flags)
{
	(void)levels;
	return level == 0 ? pa | 2 | 1u << 10 | flags : pa | 2 | 1u << 4 | flags;
}

static const struct tb_mode tb_short = {2, 4, {20, 12}, {16384, 1024}, sd_ptr, sd_leaf};

static void seeds_arm(void)
{
	uint8_t h[32];
	struct tb t;
	tb_init(&t, 0x40000000, 8 * 4096, 6);
	uint64_t root = tb_alloc(&t, 16384, 16384), page = tb_data_page(&t, 4096);
	tb_map(&t, &tb_short, root, 0xc0000000, 0x40000000, 0, 0, 0);
	tb_map(&t, &tb_short, root, 0x00010000, page, 1, 1u << 5, 0);
	radix_header(h, 0, 0x40, 0, 0x40000000, 0xc0000123);
	put_radix("radix-arm", "short", h, &t);
	tb_free(&t);
	tb_init(&t, 0x80000000, 8 * 4096, 7);
	root = tb_alloc(&t, 32, 32);
	page = tb_data_page(&t, 4096);
	tb_map(&t, &tb_lpae, root, 0xc0000000, page, 2, 0, 0);
	tb_map(&t, &tb_lpae, root, 0x00400000, page, 2, 1u << 6, 0);
	radix_header(h, 1, 0x40, 0x80000000, 0x80000000, 0x00400010);
	put_radix("radix-arm", "lpae", h, &t);
	tb_free(&t);
}

static void seeds_aarch64(void)
{
	uint8_t h[32];
	struct tb t;
	tb_init(&t, 0x40000000, 6 * 4096, 8);
	uint64_t root = tb_alloc(&t, 4096, 4096), page = tb_data_page(&t, 4096);
	tb_map(&t, &tb_ld39, root, 0x0000000000400000ULL, page, 2, 1u << 6, 0);
	tb_map(&t, &tb_ld39, root, 0x40000000, 0x40000000, 1, 0, 0);
	/* TCR_EL1: T0SZ = T1SZ = 25, TG1 4 KiB, IPS 40 bits. */
	radix_header(h, 0, 0, 0x280190019ULL, 0x40000000, 0x400008);
	put_radix("radix-aarch64", "4k-39", h, &t);
	radix_header(h, 0, 0x12, 0x280190019ULL, 0x40000000, 0xffffff8000001000ULL);
	h[2] = 1;
	put_radix("radix-aarch64", "4k-39-split", h, &t);
	tb_free(&t);
}

/* ---- code ---- */

static void put_code(const char *arch, unsigned isa, uint8_t flags, uint8_t reg, unsigned site, const uint32_t *w,
		     size_t n, bool big_words, const char *name)
{
	uint8_t b[16 + 64 * 4] = {0};
	unsigned idx = 0, k = 0;
	for (size_t i = 0; i < arch_registry_len; i++)
		if (arch_registry[i]->regrec) {
			if (!strcmp(arch_registry[i]->name, arch))
				idx = k;
			k++;
		}
	b[0] = (uint8_t)idx;
	b[1] = (uint8_t)isa;
	b[2] = flags;
	b[3] = reg;
	wr16(b + 5, (uint16_t)site, false);
	wr64(b + 8, 0x40000000, false);
	for (size_t i = 0; i < n && i < 64; i++)
		wr32(b + 16 + 4 * i, w[i], big_words);
	put("dataflow", name, b, 16 + 4 * MMU_MIN(n, (size_t)64));
}

static void seeds_dataflow(void)
{
	/* A64: ret; movz x1, #0x19; movk x1, #0x19, lsl 16; msr tcr_el1, x1; isb; ret */
	static const uint32_t a64[] = {0xD65F03C0, 0xD2800321, 0xF2A00321, 0xD5182041, 0xD5033FDF, 0xD65F03C0};
	put_code("aarch64", 0, 0, 1, 3, a64, ARRAY_LEN(a64), false, "a64");
	put_code("aarch64", 0, 0x04, 1, 3, a64, ARRAY_LEN(a64), false, "a64-pipeline");
	/* A32: bx lr; mov r1, #0; cmp r0, #1; movne r1, #0x80000000; mcr p15, 0, r1, c2, c0, 2; bx lr */
	static const uint32_t a32[] = {0xE12FFF1E, 0xE3A01000, 0xE3500001, 0x13A01102, 0xEE021F50, 0xE12FFF1E};
	put_code("arm", 0, 0, 1, 4, a32, ARRAY_LEN(a32), false, "a32");
	put_code("arm", 2, 0x11, 1, 4, a32, ARRAY_LEN(a32), true, "a32-be32");
	put_code("arm", 0, 0x04, 1, 4, a32, ARRAY_LEN(a32), false, "a32-pipeline");
	/* T32: bx lr; movs r1, #0; mcr p15, 0, r1, c2, c0, 2; bx lr (halfword pairs). */
	static const uint32_t t32[] = {0x21004770, 0x1F50EE02, 0x00004770};
	put_code("arm", 1, 0, 1, 2, t32, ARRAY_LEN(t32), false, "t32");
	/* Every other front-end: a few words of a counting pattern, both byte orders. */
	for (size_t i = 0; i < arch_registry_len; i++) {
		const struct arch_ops *a = arch_registry[i];
		if (!a->regrec || !strcmp(a->name, "arm") || !strcmp(a->name, "aarch64"))
			continue;
		uint32_t w[16];
		for (unsigned k = 0; k < 16; k++)
			w[k] = 0x24080000u + k * 0x01010101u;
		for (size_t isa = 0; isa < a->regrec->nisas; isa++) {
			char *name = xasprintf("%s-%s", a->name, a->regrec->isas[isa]->name);
			put_code(a->name, (unsigned)isa, isa & 1 ? 0x01 : 0x04, 8, 8, w, 16, isa & 1, name);
			free(name);
		}
	}
}

/* ---- MIPS and PowerPC scans ---- */

/* fuzz-scan.c's 16-byte header. */
static void scan_header(uint8_t *h, uint8_t flags, uint32_t sdr1, uint64_t base, uint32_t ea)
{
	memset(h, 0, 16);
	h[0] = flags;
	h[1] = 0x12;
	wr32(h + 4, sdr1, false);
	wr32(h + 8, (uint32_t)(base >> 12), false);
	wr32(h + 12, ea, false);
}

static void seeds_scan(void)
{
	uint8_t b[16 + 4 * 16];
	/* MIPS (T1): jr ra; nop; ori t0, zero, 0x6000; mtc0 t0, PageMask; ehb; jr ra; nop */
	static const uint32_t t1[] = {0x03E00008, 0, 0x34086000, 0x40882800, 0x000000C0, 0x03E00008, 0};
	for (int big = 0; big < 2; big++) {
		scan_header(b, (uint8_t)(big | 0x04), 0, 0x1000, 0);
		for (size_t i = 0; i < ARRAY_LEN(t1); i++)
			wr32(b + 16 + 4 * i, t1[i], big);
		put("scan-mips", big ? "mtc0-be" : "mtc0-le", b, 16 + 4 * ARRAY_LEN(t1));
	}
	/* Release 6 (Config.AR = 2): AUIPC t0, 1; MTC0 t0, PageMask; JIC ra, 0. */
	static const uint32_t r6[] = {0xED1E0001, 0x40882800, 0xD81F0000};
	scan_header(b, 0x04 | 0x08, 0x80000800, 0x1000, 0);
	for (size_t i = 0; i < ARRAY_LEN(r6); i++)
		wr32(b + 16 + 4 * i, r6[i], false);
	put("scan-mips", "release6", b, 16 + 4 * ARRAY_LEN(r6));
	/* PowerPC: the first 64 KiB of the generated machine's hash table, SDR1 given or not. */
	struct analysis *a = fz_std_machine(FZ_STD_PPC);
	char *dir = path_dirname(a->cfg.path), *p = path_join(dir, "expected.yaml");
	struct expected ex;
	struct err e = {{0}};
	if (expected_load(p, &ex, &e) || !ex.nhtabs)
		fatal("ppc seed: %s", ex.nhtabs ? e.msg : "no hash table in expected.yaml");
	size_t len = (size_t)MMU_MIN(ex.htabs[0].size, (uint64_t)65536);
	uint8_t *t = xmalloc(16 + len);
	if (physmem_read(&a->pm, ex.htabs[0].addr, t + 16, len) != len)
		fatal("ppc seed: the hash table is not in RAM");
	scan_header(t, 0x01 | 0x08, (uint32_t)ex.htabs[0].sdr1, ex.htabs[0].addr, 0xc0001000);
	put("scan-ppc", "htab-sdr1", t, 16 + len);
	scan_header(t, 0x01 | 0x04, 0, ex.htabs[0].addr, 0x10000000);
	put("scan-ppc", "htab", t, 16 + len);
	free(t);
	expected_free(&ex);
	free(p);
	free(dir);
}

/* ---- sessions and commands on the generated machines ---- */

/* A session file's contents after the machine block, behind byte 0 (the machine): fuzz-session's plain input. */
static void put_session_plain(const char *name, unsigned which, const struct sbuf *file)
{
	static uint8_t plain[1 << 20];
	size_t in_pos = 24, out_pos = 0;
	uint64_t memlimit = UINT64_MAX;
	if (lzma_stream_buffer_decode(&memlimit, 0, NULL, (const uint8_t *)file->s, &in_pos, file->len, plain, &out_pos,
				      sizeof(plain)) != LZMA_OK)
		fatal("session seed: cannot decode the session of %s", name);
	/* The machine block: two strings, two bytes, the regions, the fingerprint. */
	size_t at = 0;
	for (int s = 0; s < 2; s++)
		at += 4 + rd32(plain + at, false);
	at += 2;
	at += 8 + 16 * rd64(plain + at, false) + 8;
	plain[at - 1] = (uint8_t)which; /* the fingerprint's last byte is not part of the seed */
	put("session", name, plain + at - 1, out_pos - at + 1);
}

static void seeds_sessions_commands(void)
{
	struct sbuf b = {0};
	for (unsigned i = 0; i < FZ_STD_COUNT; i++) {
		struct analysis *a = fz_std_machine(i);
		const char *name = a->cfg.arch->name;
		fz_std_reset(a);
		/* ARM and AArch64 recover their registers first (their tables need them); the others as the pipeline goes. */
		bool arm = !strcmp(name, "arm") || !strcmp(name, "aarch64");
		if (arm)
			fz_command(a, "find_registers_values");
		for (const char *const *step = a->cfg.arch->pipeline; *step; step++)
			if (!arm || strcmp(*step, "find_registers_values"))
				fz_command(a, "%s", *step);
		char *path = xasprintf("%s/seed.session", fz_dir());
		struct err e = {{0}};
		if (session_save(a, path, &e))
			fatal("session seed: %s", e.msg);
		slurp(path, &b);
		/* Whole file (session_load), and its contents after the machine block (session_load_data). */
		/* AArch64's register section alone is 200 KiB (thousands of sites): its file seed is enough. */
		if (i != FZ_STD_AARCH64)
			put_session_plain(name, i, &b);
		uint8_t *raw = xmalloc(b.len + 1);
		raw[0] = (uint8_t)(0x80 | i);
		memcpy(raw + 1, b.s, b.len);
		char *n = xasprintf("%s-file", name);
		put("session", n, raw, b.len + 1);
		free(n);
		free(raw);
		remove(path);
		free(path);

		/* Commands: the walks on the first tree, and arguments of every shape. */
		struct sbuf c = {0};
		sbuf_putc(&c, (char)i);
		uint64_t root = a->radix && a->radix->ntrees ? a->radix->trees[0].root : 0x1000;
		const char *kind = a->radix && a->radix->ntrees ? a->radix->space[a->radix->trees[0].space].shape.name : "";
		sbuf_printf(&c, "show_radix_trees\nshow_table 0x%llx 0 %s\nshow_table 0x%llx 1\nresolve 0x%llx 0xffffffff80001000 %s\n"
			    "show_vas %llu %s\nhelp resolve\nshow_machine\nshow_memory_map\n"
			    "export_vas 0x%llx as.elf kernel %s\nexport_all out %s\nsave_data s.session\n",
			    (unsigned long long)root, kind, (unsigned long long)root, (unsigned long long)root, kind,
			    (unsigned long long)root, kind, (unsigned long long)root, kind, kind);
		if (i == FZ_STD_INTEL)
			sbuf_printf(&c, "show_idtrs\nshow_idt 0x%llx\nshow_idtrs_gtruth\nshow_radix_trees_gtruth\n",
				    (unsigned long long)root);
		if (i == FZ_STD_ARM || i == FZ_STD_AARCH64)
			sbuf_printf(&c, "show_registers --verbose\nshow_registers_gtruth\n%s #1\n",
				    i == FZ_STD_ARM ? "set_ttbcr" : "set_tcr");
		if (i == FZ_STD_MIPS || i == FZ_STD_PPC)
			sbuf_printf(&c, "show_registers --verbose\nshow_registers_gtruth\n");
		if (i == FZ_STD_PPC)
			sbuf_printf(&c, "show_hashtables\nshow_hashtables_gtruth\nresolve 0xc0001000\nresolve 0x10000000 0x123\n");
		put("commands", name, c.s, c.len);
		sbuf_free(&c);
		fz_std_reset(a);
	}
	put_text("commands", "syntax", "\x01resolve \"0x1000\" 0x_ff\\ 1 kernel\nshow_table\nshow_table 0x1000 0 user extra\n"
				       "\"unterminated\n\n   \nbogus\nfind_radix_trees\nset_tcr 0x32b5193519\n");
	sbuf_free(&b);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds CORPUS_DIR\n");
		return 2;
	}
	out = argv[1];
	if (mkdir(out, 0755) && errno != EEXIST)
		fatal("cannot create %s: %s", out, strerror(errno));
	seeds_config();
	seeds_iomem();
	seeds_gtruth_expected();
	elf_seed("x86_64-notes", 64, false, EM_X86_64, 0x00, true);
	elf_seed("i386-iomem", 32, false, EM_386, 0x80 | 2 << 3, false);
	elf_seed("aarch64-be", 64, true, EM_AARCH64, 0x40, false);
	elf_seed("unknown-arch", 32, true, 0x1234, 0x04 | 7 << 3, true);
	lime_seed("x86_64", false, 0x00);
	lime_seed("arm-be-iomem", true, 0x80 | 0x03);
	seeds_intel();
	seeds_riscv();
	seeds_arm();
	seeds_aarch64();
	seeds_dataflow();
	seeds_scan();
	seeds_sessions_commands();
	return 0;
}
