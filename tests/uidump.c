/*
 * uidump DIR: a tiny IA-32e dump for the explorer's screen tests, built
 * with the test table builder (not mkdump) so the expected screens only
 * change when the explorer does.  Writes DIR/ram.bin, DIR/m.yaml and
 * DIR/gt.yaml:
 *   - two process trees sharing a kernel half (true positives);
 *   - a kernel-only copy of the kernel half the ground truth does not name (a false positive);
 *   - a ground-truth root that is an empty page (a false negative);
 *   - a ground-truth root seen only while booting (a data page: not found);
 *   - the text "MMUSHELL-UI-TEST" at the start of the first user page.
 *
 * uidump DIR ppc: the same for PowerPC (4 MiB, big-endian), hash tables
 * of 64 KiB with their PTEs where the hash of the manual puts them:
 *   - the table the ground truth's latest SDR1 names (a true positive);
 *   - a second one no SDR1 names (a false positive);
 *   - an SDR1 logged before the latest was loaded, its table gone (boot-only);
 *   - an SDR1 still in use after that, its table gone (a false negative);
 *   - SR1 configured, so the first table's PTEs of its VSID show their
 *     effective addresses; "MMUSHELL-PPC-PAGE" at the start of the first
 *     PTE's page.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tablebuild.h"
#include "util.h"

#define INTEL64 "{architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 39}}"
#define KBASE 0xffff800000000000ULL

static void write_file(const char *dir, const char *name, const void *p, size_t len)
{
	char *path = path_join(dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f))
		fatal("cannot write %s", path);
	free(path);
}

/* PowerPC OEA: a PTE for (vsid, ea) in its primary PTE group of the 64 KiB table at org. */
static uint64_t ppc_pte(struct tb *t, uint64_t org, uint32_t vsid, uint32_t ea, uint32_t rpn)
{
	uint32_t pi = ea >> 12 & 0xFFFF, hash = ((vsid & 0x7FFFF) ^ pi) & 0x3FF;
	uint64_t g = org + (uint64_t)hash * 64;
	for (uint64_t at = g; at < g + 64; at += 8) {
		if (rd32(t->ram + at, true) >> 31)
			continue;
		/* V, VSID, H = 0, API; RPN, R, C, WIMG 0010, PP 2. */
		wr32(t->ram + at, 1u << 31 | vsid << 7 | pi >> 10, true);
		wr32(t->ram + at + 4, rpn << 12 | 0x100 | 0x80 | 0x10 | 2, true);
		return at;
	}
	return 0;
}

/* 48 PTEs of three VSIDs in the table at org, RPNs from rpn0 on; the VSIDs differ in the hash bits a PTE shows, so no larger table can hold them. */
static void ppc_table(struct tb *t, uint64_t org, uint32_t vsid0, uint32_t rpn0)
{
	for (uint32_t i = 0; i < 48; i++)
		ppc_pte(t, org, vsid0 + (i % 3) * 0x400, (i % 3 + 1) << 28 | (i / 3) << 12, rpn0 + i);
}

static int ppc_dump(const char *dir)
{
	struct tb t;
	tb_init(&t, 0, 4 << 20, 11);
	uint64_t tp = 0x100000, fp = 0x200000;
	ppc_table(&t, tp, 0xABC, 0x180);
	ppc_table(&t, fp, 0x5000, 0x1c0);
	uint64_t pte = tp + ((0xABC ^ 0x10000) & 0x3FF) * 64;
	memcpy(t.ram + (uint64_t)(rd32(t.ram + pte + 4, true) >> 12 << 12), "MMUSHELL-PPC-PAGE", 17);
	write_file(dir, "ram.bin", t.ram, t.size);
	char *y = xasprintf("cpu:\n  architecture: ppc\n  endianness: big\n  bits: 32\n  registers_values: {SR1: 0xABC}\n"
			    "mmu: {mode: ppc32}\nmemspace:\n  ram:\n    - {start: 0x0, end: 0x%llx, dumpfile: ram.bin}\n",
			    (unsigned long long)(t.size - 1));
	write_file(dir, "m.yaml", y, strlen(y));
	free(y);
	static const char gt[] = "format: mmushell-gtruth/1\narchitecture: ppc\nmmu_mode: ppc32\nsource: \"uidump ppc\"\n"
				 "registers:\n"
				 "  - {name: sdr1, value: 0x00300000, first_seen: 0.01, last_seen: 0.40, count: 1}\n"
				 "  - {name: sdr1, value: 0x00380000, first_seen: 0.45, last_seen: 30.0, count: 5}\n"
				 "  - {name: sdr1, value: 0x00100000, first_seen: 0.50, last_seen: 60.0, count: 90}\n";
	write_file(dir, "gt.yaml", gt, strlen(gt));
	printf("tp 0x%llx\nfp 0x%llx\npte 0x%llx\n", (unsigned long long)tp, (unsigned long long)fp,
	       (unsigned long long)pte);
	tb_free(&t);
	return 0;
}

int main(int argc, char **argv)
{
	struct tb t;
	const struct tb_mode *m = &tb_ia64;
	if (argc == 3 && !strcmp(argv[2], "ppc"))
		return ppc_dump(argv[1]);
	if (argc != 2) {
		fprintf(stderr, "usage: uidump DIR [ppc]\n");
		return 1;
	}
	tb_init(&t, 0, 4 << 20, 7);
	uint64_t big = tb_alloc(&t, 2 << 20, 2 << 20);
	tb_fill_random(&t, big, 2 << 20);
	uint64_t r1 = tb_alloc(&t, 4096, 4096), r2 = tb_alloc(&t, 4096, 4096);
	uint64_t lost = tb_alloc(&t, 4096, 4096), spare = tb_alloc(&t, 4096, 4096);
	uint64_t ktext = tb_data_page(&t, 4096), kdata = tb_data_page(&t, 4096);
	uint64_t code = tb_data_page(&t, 4096), data = tb_data_page(&t, 4096), code2 = tb_data_page(&t, 4096);
	memcpy(t.ram + code, "MMUSHELL-UI-TEST", 16);
	tb_map(&t, m, r1, KBASE + 0x200000, ktext, 3, TB_P | TB_RW, TB_P | TB_RW);
	tb_map(&t, m, r1, KBASE + 0x201000, kdata, 3, TB_P | TB_RW | TB_XD, TB_P | TB_RW);
	tb_map(&t, m, r1, KBASE + 0x40000000, big, 2, TB_P | TB_RW, TB_P | TB_RW);
	tb_map(&t, m, r1, 0x400000, code, 3, TB_P | TB_US, TB_P | TB_RW | TB_US);
	tb_map(&t, m, r1, 0x401000, data, 3, TB_P | TB_RW | TB_US | TB_XD, TB_P | TB_RW | TB_US);
	/* Process 2: its own user half, the same kernel half. */
	tb_put(&t, m, r2 + 256 * 8, tb_get(&t, m, r1 + 256 * 8));
	tb_map(&t, m, r2, 0x400000, code2, 3, TB_P | TB_US, TB_P | TB_RW | TB_US);
	/* A tree of the kernel half alone, unknown to the ground truth. */
	tb_put(&t, m, spare + 256 * 8, tb_get(&t, m, r1 + 256 * 8));

	write_file(argv[1], "ram.bin", t.ram, t.size);
	char *y = xasprintf("cpu: " INTEL64 "\nmmu: {mode: ia64}\nmemspace:\n  ram:\n"
			    "    - {start: 0x0, end: 0x%llx, dumpfile: ram.bin}\n  not_ram:\n"
			    "    - {start: 0xfec00000, end: 0xfec00fff}\n", (unsigned long long)(t.size - 1));
	write_file(argv[1], "m.yaml", y, strlen(y));
	free(y);
	char *gt = xasprintf("format: mmushell-gtruth/1\narchitecture: intel\nmmu_mode: ia64\nsource: \"uidump\"\n"
			     "registers:\n"
			     "  - {name: cr3, value: 0x%llx, first_seen: 1.0, last_seen: 50.0, count: 40}\n"
			     "  - {name: cr3, value: 0x%llx, first_seen: 2.5, last_seen: 40.0, count: 12}\n"
			     "  - {name: cr3, value: 0x%llx, first_seen: 10.0, last_seen: 20.0, count: 3}\n"
			     "  - {name: cr3, value: 0x%llx, first_seen: 0.01, last_seen: 0.5, count: 1}\n",
			     (unsigned long long)r1, (unsigned long long)r2, (unsigned long long)lost,
			     (unsigned long long)kdata);
	write_file(argv[1], "gt.yaml", gt, strlen(gt));
	free(gt);
	printf("r1 0x%llx\nr2 0x%llx\nlost 0x%llx\nspare 0x%llx\ncode 0x%llx\ncode2 0x%llx\n", (unsigned long long)r1,
	       (unsigned long long)r2, (unsigned long long)lost, (unsigned long long)spare, (unsigned long long)code,
	       (unsigned long long)code2);
	tb_free(&t);
	return 0;
}
