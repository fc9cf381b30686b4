/*
 * mmushell-acquire's library: the memory map parser, the sources (a
 * kcore-style ELF built here with p_vaddr on a fake direct map, a file
 * indexed by physical address), the machine guess, and whole acquisitions
 * in every format loaded back through mmushell's own loader.
 */
#include "autoconfig.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acquire.h"
#include "config.h"
#include "dumpfmt.h"
#include "elfcore.h"
#include "fixtures.h"
#include "physmem.h"
#include "unit.h"

static const char iomem[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-002fffff : System RAM\n"
	"  00100000-0010ffff : Kernel code\n"
	"fec00000-fec003ff : IOAPIC 0\n"
	"100000000-1000fffff : System RAM\n";

/* What the fixture memory holds: pattern bytes per RAM range; the last one only half in the source. */
static const struct {
	uint64_t start, size, in_source;
	unsigned seed;
} ram[] = {
	{0x1000, 0x9ec00, 0x9ec00, 1},
	{0x100000, 0x200000, 0x200000, 2},
	{0x100000000ULL, 0x100000, 0x80000, 3},
};

#define DIRECT_MAP 0xffff888000000000ULL

static void test_iomem_parse(void)
{
	struct iomem_map m;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(iomem_parse(iomem, strlen(iomem), "iomem", &m, &e), 0);
	CU_ASSERT_EQUAL(m.n, 6);
	CU_ASSERT_EQUAL(m.nram, 3);
	CU_ASSERT_EQUAL(m.ram_bytes, 0x9ec00 + 0x200000 + 0x100000);
	CU_ASSERT_TRUE(m.v[1].ram);
	CU_ASSERT_EQUAL(m.v[1].end, 0x9fbff);
	ASSERT_STR_EQ(m.v[2].name, "Reserved");
	CU_ASSERT_EQUAL(m.v[5].start, 0x100000000ULL);
	iomem_free(&m);

	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"00001000-0009fbff : System RAM\nzzz\n", "iomem:2: not a /proc/iomem line (START-END : NAME): 'zzz'"},
		{"00001000-0009fbff System RAM\n", "iomem:1: not a /proc/iomem line (START-END : NAME): '00001000-0009fbff System RAM'"},
		{"00002000-00001000 : System RAM\n", "iomem:1: range end 0x1000 is below its start 0x2000"},
		{"00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n",
		 "iomem: every range reads 0-0: the kernel hides the addresses from users without root"},
		{"00001000-00001fff : System RAM\n00001800-00002fff : PCI Bus\n",
		 "iomem: top-level ranges 0x1000-0x1fff (System RAM) and 0x1800-0x2fff (PCI Bus) overlap"},
		{"00001000-00001fff : Reserved\n", "iomem: no \"System RAM\" range"},
		{"11111111111111111-2 : System RAM\n",
		 "iomem:1: not a /proc/iomem line (START-END : NAME): '11111111111111111-2 : System RAM'"},
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		CU_ASSERT_EQUAL(iomem_parse(bad[i].text, strlen(bad[i].text), "iomem", &m, &e), -1);
		ASSERT_STR_EQ(e.msg, bad[i].msg);
	}
}

/* Hotplugged RAM sits under its device (virtio-mem, dax kmem): it is RAM, the rest of the device's range is not. */
static void test_iomem_nested_ram(void)
{
	static const char text[] =
		"00001000-0009fbff : System RAM\n"
		"100000000-13fffffff : virtio0\n"
		"  100000000-107ffffff : System RAM (virtio_mem)\n"
		"    100000000-1000fffff : Kernel data\n"
		"  110000000-13fffffff : System RAM (virtio_mem)\n"
		"140000000-17fffffff : Persistent Memory\n"
		"  140000000-17fffffff : namespace0.0\n"
		"    148000000-17fffffff : dax0.0\n"
		"      148000000-17fffffff : System RAM (kmem)\n"
		"180000000-1bfffffff : System RAM (kmem)\n";
	static const struct {
		uint64_t start, end;
		bool ram;
		const char *name;
	} want[] = {
		{0x1000, 0x9fbff, true, "System RAM"},
		{0x100000000ULL, 0x107ffffffULL, true, "System RAM (virtio_mem)"},
		{0x108000000ULL, 0x10fffffffULL, false, "virtio0"},
		{0x110000000ULL, 0x13fffffffULL, true, "System RAM (virtio_mem)"},
		{0x140000000ULL, 0x147ffffffULL, false, "Persistent Memory"},
		{0x148000000ULL, 0x17fffffffULL, true, "System RAM (kmem)"},
		{0x180000000ULL, 0x1bfffffffULL, true, "System RAM (kmem)"},
	};
	struct iomem_map m;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(iomem_parse(text, strlen(text), "iomem", &m, &e), 0);
	CU_ASSERT_EQUAL_FATAL(m.n, ARRAY_LEN(want));
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		CU_ASSERT_EQUAL(m.v[i].start, want[i].start);
		CU_ASSERT_EQUAL(m.v[i].end, want[i].end);
		CU_ASSERT_EQUAL(m.v[i].ram, want[i].ram);
		ASSERT_STR_EQ(m.v[i].name, want[i].name);
	}
	CU_ASSERT_EQUAL(m.nram, 5);
	CU_ASSERT_EQUAL(m.ram_bytes, 0x9ec00 + 0x8000000 + 0x30000000 + 0x38000000 + 0x40000000ULL);
	iomem_free(&m);
	/* "System RAMBO" is no RAM */
	static const char other[] = "00001000-0009fbff : System RAM\n00100000-001fffff : System RAMBO\n";
	CU_ASSERT_EQUAL_FATAL(iomem_parse(other, strlen(other), "iomem", &m, &e), 0);
	CU_ASSERT_EQUAL(m.nram, 1);
	iomem_free(&m);
}

/*
 * A kcore-style ELF: direct-map p_vaddr, a kernel-text alias whose second half
 * reads as zeros (kcore's view of freed __init pages through the kernel-image
 * mapping), a segment with no physical address.
 */
static char *write_kcore(const char *dir)
{
	struct elfw_opts o = {.elfclass = 64, .machine = EM_X86_64};
	struct elfw *w = elfw_new(&o);
	struct err e = {{0}};
	elfw_add_load(w, 0x100000, 0xffffffff81000000ULL, 0x10000, 0x10000, PF_R | PF_X);
	for (size_t i = 0; i < ARRAY_LEN(ram); i++)
		elfw_add_load(w, ram[i].start, DIRECT_MAP + ram[i].start, ram[i].in_source, ram[i].in_source, PF_R | PF_W);
	elfw_add_load(w, UINT64_MAX, 0xffffc90000000000ULL, 0x1000, 0x1000, PF_R | PF_W);
	char *path = path_join(dir, "kcore");
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(elfw_start(w, fd, path, &e), 0);
	uint8_t *b = xmalloc(0x200000);
	for (uint64_t k = 0; k < 0x10000; k++)
		b[k] = k < 0x8000 ? fx_pattern_byte(k, 2) : 0;
	CU_ASSERT_EQUAL(elfw_write(w, b, 0x10000, &e), 0);
	for (size_t i = 0; i < ARRAY_LEN(ram); i++) {
		for (uint64_t k = 0; k < ram[i].in_source; k++)
			b[k] = fx_pattern_byte(k, ram[i].seed);
		CU_ASSERT_EQUAL(elfw_write(w, b, (size_t)ram[i].in_source, &e), 0);
	}
	CU_ASSERT_EQUAL(elfw_write_zeros(w, 0x1000, &e), 0);
	CU_ASSERT_EQUAL(elfw_finish(w, &e), 0);
	elfw_free(w);
	close(fd);
	free(b);
	return path;
}

static void test_kcore_source(void)
{
	char *dir = fx_tmpdir();
	char *kc = write_kcore(dir);
	struct acq_source s;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(acq_source_open(&s, ACQ_SRC_KCORE, kc, &e), 0);
	/* the vmalloc-like segment has no physical address; the text alias lies inside RAM's */
	CU_ASSERT_EQUAL(s.nsegs, 3);
	uint8_t b[0x3000];
	const char *why = NULL;
	/* Where the text alias reads zeros, and past it: the direct map's bytes. */
	CU_ASSERT_EQUAL(acq_source_read(&s, 0x10e000, b, sizeof(b), &why), 0);
	CU_ASSERT_EQUAL(b[0], fx_pattern_byte(0xe000, 2));
	CU_ASSERT_EQUAL(b[0x2fff], fx_pattern_byte(0x10fff, 2));
	CU_ASSERT_EQUAL(acq_source_read(&s, 0x9f000, b, 0x1000, &why), -1);
	ASSERT_STR_EQ(why, "not mapped by any kcore PT_LOAD");
	CU_ASSERT_EQUAL(acq_source_read(&s, 0x10007f000ULL, b, 0x1000, &why), 0);
	CU_ASSERT_EQUAL(acq_source_read(&s, 0x10007f000ULL, b, 0x2000, &why), -1);

	/* The machine: x86_64 from e_machine, 4-level (direct map at 0xffff888...), m_phy from cpuinfo. */
	struct iomem_map m;
	struct acq_machine mc;
	CU_ASSERT_EQUAL_FATAL(iomem_parse(iomem, strlen(iomem), "iomem", &m, &e), 0);
	CU_ASSERT_EQUAL_FATAL(acq_machine_detect(&mc, NULL, NULL, "processor\t: 0\naddress sizes\t: 39 bits physical, 48 bits virtual\n",
						 &s, &m, &e), 0);
	ASSERT_STR_EQ(mc.arch, "intel");
	ASSERT_STR_EQ(mc.mode, "ia64");
	CU_ASSERT_EQUAL(mc.bits, 64);
	CU_ASSERT_EQUAL(mc.m_phy, 39);
	CU_ASSERT_EQUAL(mc.e_machine, EM_X86_64);
	/* No cpuinfo: the default, raised to cover RAM. */
	CU_ASSERT_EQUAL(acq_machine_detect(&mc, NULL, NULL, NULL, &s, &m, &e), 0);
	CU_ASSERT_EQUAL(mc.m_phy, 40);
	CU_ASSERT_EQUAL(acq_machine_detect(&mc, "riscv64", NULL, "mmu\t\t: sv48\n", &s, &m, &e), 0);
	ASSERT_STR_EQ(mc.mode, "sv48");
	CU_ASSERT_EQUAL(mc.m_phy, 0);
	CU_ASSERT_EQUAL(acq_machine_detect(&mc, "x86_64", "sv39", NULL, &s, &m, &e), -1);
	ASSERT_STR_EQ(e.msg, "unknown MMU mode 'sv39' for architecture intel (--mode; accepted: ia64, la57, pae, ia32)");
	CU_ASSERT_EQUAL(acq_machine_detect(&mc, "vax", NULL, NULL, &s, &m, &e), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "unknown machine 'vax' (--machine; known: intel, riscv"));
	acq_source_close(&s);

	/* Without a kcore, the CPU's la57 flag says 5-level. */
	CU_ASSERT_EQUAL(acq_machine_detect(&mc, "x86_64", NULL, "flags\t\t: fpu la57 pae\n", NULL, &m, &e), 0);
	ASSERT_STR_EQ(mc.mode, "la57");
	CU_ASSERT_EQUAL(acq_machine_detect(&mc, "i686", NULL, "flags\t\t: fpu la57x pae\n", NULL, &m, &e), 0);
	ASSERT_STR_EQ(mc.mode, "pae");
	CU_ASSERT_EQUAL(mc.m_phy, 36);
	iomem_free(&m);
	free(kc);
}

/* The reference: the same memory as raw files + YAML (unreadable bytes zero). */
static const char *reference_yaml(const char *dir)
{
	struct sbuf y = {0};
	sbuf_printf(&y, "cpu: {architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 39}}\n"
			"mmu: {mode: ia64}\nmemspace:\n  ram:\n");
	for (size_t i = 0; i < ARRAY_LEN(ram); i++) {
		uint8_t *b = xcalloc(1, (size_t)ram[i].size);
		for (uint64_t k = 0; k < ram[i].in_source; k++)
			b[k] = fx_pattern_byte(k, ram[i].seed);
		char name[16];
		snprintf(name, sizeof(name), "ref.%zu", i);
		fx_write_bytes(dir, name, b, (size_t)ram[i].size);
		free(b);
		sbuf_printf(&y, "    - {start: 0x%llx, end: 0x%llx, dumpfile: %s}\n", (unsigned long long)ram[i].start,
			    (unsigned long long)(ram[i].start + ram[i].size - 1), name);
	}
	sbuf_printf(&y, "  not_ram:\n    - {start: 0x0, end: 0xfff}\n    - {start: 0x9fc00, end: 0xfffff}\n"
			"    - {start: 0xfec00000, end: 0xfec003ff}\n");
	const char *p = fx_write(dir, "ref.yaml", y.s);
	sbuf_free(&y);
	return p;
}

struct loaded {
	struct machine_config cfg;
	struct physmem pm;
};

static int load(struct loaded *l, const char *path, const struct dumpfmt_opts *o)
{
	struct err e = {{0}};
	memset(l, 0, sizeof(*l));
	if (dumpfmt_load(path, o, &l->cfg, &e) || physmem_open(&l->pm, &l->cfg, &e)) {
		fprintf(stderr, "\n  %s\n", e.msg);
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

static void assert_same(const char *path, const struct dumpfmt_opts *o, const char *ref, bool with_not_ram)
{
	struct loaded a, b;
	CU_ASSERT_EQUAL_FATAL(load(&a, path, o), 0);
	CU_ASSERT_EQUAL_FATAL(load(&b, ref, NULL), 0);
	CU_ASSERT_PTR_EQUAL(a.cfg.arch, b.cfg.arch);
	CU_ASSERT_EQUAL(a.cfg.mode, b.cfg.mode);
	CU_ASSERT_EQUAL(a.cfg.bits, b.cfg.bits);
	CU_ASSERT_EQUAL(config_feature(&a.cfg, "m_phy")->value, 39);
	CU_ASSERT_EQUAL_FATAL(a.pm.ram.n, b.pm.ram.n);
	for (size_t i = 0; i < a.pm.ram.n; i++) {
		CU_ASSERT_EQUAL(a.pm.ram.v[i].start, b.pm.ram.v[i].start);
		CU_ASSERT_EQUAL(a.pm.ram.v[i].last, b.pm.ram.v[i].last);
	}
	if (with_not_ram) {
		CU_ASSERT_EQUAL_FATAL(a.pm.not_valid.n, b.pm.not_valid.n);
		for (size_t i = 0; i < a.pm.not_valid.n; i++)
			CU_ASSERT_EQUAL(a.pm.not_valid.v[i].start, b.pm.not_valid.v[i].start);
	}
	static uint8_t x[0x10000], y[0x10000];
	for (size_t i = 0; i < ARRAY_LEN(ram); i++)
		for (uint64_t at = 0; at < ram[i].size; at += sizeof(x)) {
			size_t n = (size_t)MMU_MIN((uint64_t)sizeof(x), ram[i].size - at);
			CU_ASSERT_EQUAL(physmem_read(&a.pm, ram[i].start + at, x, n), n);
			CU_ASSERT_EQUAL(physmem_read(&b.pm, ram[i].start + at, y, n), n);
			if (memcmp(x, y, n)) {
				CU_FAIL("acquired bytes differ from the source");
				break;
			}
		}
	unload(&a);
	unload(&b);
}

static void acquire_to(const char *src_path, enum acq_source_kind kind, enum acq_format f, const char *ref)
{
	char *out = fx_tmpdir();
	struct iomem_map m;
	struct acq_source s;
	struct acq_machine mc;
	struct acq_result r;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(iomem_parse(iomem, strlen(iomem), "iomem", &m, &e), 0);
	CU_ASSERT_EQUAL_FATAL(acq_source_open(&s, kind, src_path, &e), 0);
	CU_ASSERT_EQUAL_FATAL(acq_machine_detect(&mc, "x86_64", NULL, "address sizes : 39 bits physical\n", &s, &m, &e), 0);
	struct acq_opts o = {.outdir = out, .format = f, .page_size = 4096, .map_name = "iomem"};
	if (acq_run(&m, &s, &mc, &o, &r, &e))
		fprintf(stderr, "\n  %s\n", e.msg);
	CU_ASSERT_EQUAL(r.unreadable_pages, 0x80);
	CU_ASSERT_EQUAL(r.ram_bytes, m.ram_bytes);
	/* The YAML, whatever the format, describes RAM and not-RAM like the reference. */
	assert_same(r.yaml_path, NULL, ref, true);
	if (f == ACQ_ELF) /* alone, thanks to its MMUSHELL note */
		assert_same(r.dump_path, NULL, ref, true);
	if (f == ACQ_LIME) {
		struct dumpfmt_opts lo = {.arch = "x86_64", .m_phy = 39};
		assert_same(r.dump_path, &lo, ref, false);
	}
	char *log = NULL;
	FILE *lf = fopen(r.log_path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(lf);
	struct sbuf lb = {0};
	char line[512];
	while (fgets(line, sizeof(line), lf))
		sbuf_printf(&lb, "%s", line);
	fclose(lf);
	log = sbuf_take(&lb);
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "unreadable 0x100080000-0x1000fffff (128 pages, zero-filled): "));
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "skipped 0xfec00000-0xfec003ff 1.0 KiB (IOAPIC 0)"));
	free(log);
	/* Never overwrites: a second run into the same folder fails on the first file. */
	struct acq_result r2;
	CU_ASSERT_EQUAL(acq_run(&m, &s, &mc, &o, &r2, &e), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "cannot create: File exists (choose an empty output folder)"));
	acq_result_free(&r);
	acq_source_close(&s);
	iomem_free(&m);
}

static void test_acquire_kcore(void)
{
	char *dir = fx_tmpdir();
	char *kc = write_kcore(dir);
	const char *ref = reference_yaml(dir);
	acquire_to(kc, ACQ_SRC_KCORE, ACQ_RAW, ref);
	acquire_to(kc, ACQ_SRC_KCORE, ACQ_ELF, ref);
	acquire_to(kc, ACQ_SRC_KCORE, ACQ_LIME, ref);
	free(kc);
}

/* /dev/mem-style: a file indexed by physical address, ending half-way through the last range. */
static void test_acquire_mem(void)
{
	char *dir = fx_tmpdir();
	const char *ref = reference_yaml(dir);
	char *mem = path_join(dir, "mem");
	int fd = open(mem, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CU_ASSERT_FATAL(fd >= 0);
	uint8_t *b = xmalloc(0x200000);
	for (size_t i = 0; i < ARRAY_LEN(ram); i++) {
		for (uint64_t k = 0; k < ram[i].in_source; k++)
			b[k] = fx_pattern_byte(k, ram[i].seed);
		CU_ASSERT_EQUAL(pwrite(fd, b, (size_t)ram[i].in_source, (off_t)ram[i].start), (ssize_t)ram[i].in_source);
	}
	close(fd);
	free(b);
	acquire_to(mem, ACQ_SRC_MEM, ACQ_ELF, ref);
	acquire_to(mem, ACQ_SRC_CRASH, ACQ_RAW, ref);
	unlink(mem);
	free(mem);
}

/* A source must read the RAM ranges that hold most of RAM: a STRICT_DEVMEM-like /dev/mem reads only the first one. */
static void test_source_probe(void)
{
	char *dir = fx_tmpdir();
	char *mem = path_join(dir, "mem");
	struct iomem_map m;
	struct acq_source s;
	struct err e = {{0}};
	char why[256];
	CU_ASSERT_EQUAL_FATAL(iomem_parse(iomem, strlen(iomem), "iomem", &m, &e), 0);
	/* Only the first range (below 1 MiB) reads. */
	int fd = open(mem, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(ftruncate(fd, 0xa0000), 0);
	CU_ASSERT_EQUAL_FATAL(acq_source_open(&s, ACQ_SRC_MEM, mem, &e), 0);
	CU_ASSERT_EQUAL(acq_source_probe(&s, &m, why, sizeof(why)), -1);
	ASSERT_STR_EQ(why, "reading RAM at 0x100000 failed (end of file); the RAM ranges it can read hold 635.0 KiB of 3.6 MiB");
	/* The first two: 2.6 of 3.6 MiB, enough even though the last range fails. */
	CU_ASSERT_EQUAL(ftruncate(fd, 0x300000), 0);
	CU_ASSERT_EQUAL(acq_source_probe(&s, &m, why, sizeof(why)), 0);
	acq_source_close(&s);
	/* The kcore fixture holds the start of every range. */
	char *kc = write_kcore(dir);
	CU_ASSERT_EQUAL_FATAL(acq_source_open(&s, ACQ_SRC_KCORE, kc, &e), 0);
	CU_ASSERT_EQUAL(acq_source_probe(&s, &m, why, sizeof(why)), 0);
	acq_source_close(&s);
	close(fd);
	unlink(mem);
	unlink(kc);
	free(kc);
	free(mem);
	iomem_free(&m);
}

static void test_outdir_checks(void)
{
	struct err e = {{0}};
	CU_ASSERT_EQUAL(acq_check_outdir("/proc/self", &e), -1);
	ASSERT_STR_EQ(e.msg, "/proc/self: refusing to write under /proc");
	CU_ASSERT_EQUAL(acq_check_outdir("/dev", &e), -1);
	ASSERT_STR_EQ(e.msg, "/dev: refusing to write under /dev");
	CU_ASSERT_EQUAL(acq_check_outdir(fx_tmpdir(), &e), 0);
}

void register_acquire_tests(void)
{
	static const struct unit_test tests[] = {
		{"iomem parsing", test_iomem_parse},
		{"iomem: RAM nested under a device", test_iomem_nested_ram},
		{"kcore source and machine", test_kcore_source},
		{"acquire from kcore, every format", test_acquire_kcore},
		{"acquire from a mem file", test_acquire_mem},
		{"source probe", test_source_probe},
		{"output folder checks", test_outdir_checks},
	};
	unit_add_suite("acquire", tests, ARRAY_LEN(tests));
}
