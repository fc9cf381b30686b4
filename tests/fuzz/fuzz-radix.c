/*
 * Fuzz target, one per architecture with page-table trees (FUZZ_ARCH set
 * by the build): the entry classifier and the table walkers over arbitrary
 * frames.  The input's first 32 bytes are the machine, the rest its RAM:
 *
 *   0      MMU mode (modulo the mode count)
 *   1      flags: 0x01 big-endian (where the architecture runs it), 0x02 two
 *          worker threads, 0x04 64-bit (where the mode allows either),
 *          0x08 a not-RAM window after RAM, 0x10 RAM in two regions,
 *          0x20 a hole between them, 0x40 reserved register bits cleared,
 *          0x80 SCTLR given (ARM)
 *   2-3    where RAM splits (in 4 KiB frames)
 *   4-11   the control register: TTBCR (ARM), TCR_EL1 (AArch64); m_phy
 *          (Intel: 1 + byte 4 modulo 52)
 *   12-15  RAM base, in 4 KiB frames
 *   16-23  a virtual address to resolve
 *   24-31  SCTLR (ARM)
 *
 * Every entry word of the first frame is decoded at every level of every
 * tree kind; then the pipeline runs (parse_memory or find_tables,
 * find_radix_trees) and every walk command on the trees and root
 * candidates it found.
 */
#include "autoconfig.h"

#include <string.h>

#include "arch.h"
#include "config.h"
#include "fz.h"
#include "radix.h"

#ifndef FUZZ_ARCH
#error "FUZZ_ARCH names the architecture (set by Makefile.am)"
#endif

#define HEADER 32

static void check_pte(const struct radix_space *sp, const struct pte *p)
{
	FZ_CHECK(p->kind == PTE_EMPTY || p->kind == PTE_TABLE || p->kind == PTE_PAGE || p->kind == PTE_INVALID);
	if (p->kind == PTE_PAGE) {
		FZ_CHECK(p->size >= 1024 && !(p->size & (p->size - 1)));
		FZ_CHECK(!(p->addr & (MMU_MIN(p->size, 4096) - 1)));
	}
	if (p->kind == PTE_INVALID)
		FZ_CHECK(p->why != NULL);
	(void)sp;
}

/* The classifier alone: each word of the frame at each level, with its description and permissions. */
static void classify(struct analysis *a, const uint8_t *mem, size_t len)
{
	const struct radix_ops *ops = a->cfg.arch->radix;
	struct sbuf b = {0};
	for (unsigned si = 0; si < a->radix->nspaces; si++) {
		const struct radix_space *sp = &a->radix->space[si];
		unsigned es = sp->shape.entry_size;
		for (size_t off = 0; off + es <= MMU_MIN(len, (size_t)4096); off += es) {
			uint64_t raw = es == 8 ? rd64(mem + off, a->pm.big_endian) : rd32(mem + off, a->pm.big_endian);
			for (unsigned k = 0; k < sp->shape.levels; k++) {
				struct pte p;
				radix_decode(a, sp, k, raw, &p);
				check_pte(sp, &p);
				sbuf_reset(&b);
				/* Descriptions of the first 64 entries: formatting is slow and the same for the rest. */
				if ((p.kind == PTE_TABLE || p.kind == PTE_PAGE) && off < 64 * es)
					ops->describe(&sp->shape, k, &p, &b);
				if (p.kind == PTE_PAGE) {
					unsigned perms = ops->leaf_perms(&sp->shape, ops->root_attr, &p);
					FZ_CHECK(perms < 64);
				} else if (p.kind == PTE_TABLE) {
					ops->descend(&sp->shape, ops->root_attr, &p);
				}
			}
			uint64_t root;
			if (ops->root_of(&sp->shape, raw, &root))
				radix_is_candidate(sp, root, 0);
		}
	}
	sbuf_free(&b);
}

static void check_vas(const struct analysis *a, const struct radix_space *sp, uint64_t root)
{
	struct vas v;
	radix_vas(a, sp, root, &v);
	for (size_t i = 0; i < v.n; i++) {
		FZ_CHECK(v.r[i].size > 0);
		if (i + 1 < v.n && v.r[i].va + v.r[i].size > v.r[i].va)
			FZ_CHECK(v.r[i + 1].va >= v.r[i].va + v.r[i].size);
	}
	vas_free(&v);
}

/* The walks on one root of one tree kind; with commands, also as a user runs them (formatting is slow). */
static void walk(struct analysis *a, unsigned si, uint64_t root, uint64_t va, bool commands)
{
	struct radix_space *sp = &a->radix->space[si];
	const char *kind = sp->shape.name;
	struct radix_walk w;
	radix_resolve(a, sp, root, va, &w);
	FZ_CHECK(w.nsteps <= sp->shape.levels);
	if (w.ok)
		FZ_CHECK(w.nsteps > 0 && w.step[w.nsteps - 1].pte.kind == PTE_PAGE);
	else
		FZ_CHECK(w.why != NULL);
	check_vas(a, sp, root);
	radix_maps_phys(a, sp, root, a->pm.regions[0].start);
	if (!commands)
		return;
	fz_command(a, "show_table 0x%llx 0 %s", (unsigned long long)root, kind);
	fz_command(a, "resolve 0x%llx 0x%llx %s", (unsigned long long)root, (unsigned long long)va, kind);
	fz_command(a, "show_vas 0x%llx %s", (unsigned long long)root, kind);
	/* The first table the root points to, at level 1. */
	if (w.nsteps > 1)
		fz_command(a, "show_table 0x%llx 1 %s", (unsigned long long)w.step[1].table, kind);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *arch = FUZZ_ARCH;
	struct fz_in in = {data, MMU_MIN(size, (size_t)HEADER)};
	fz_small_limits();
	if (size <= HEADER)
		return 0;
	const uint8_t *mem = data + HEADER;
	size_t len = size - HEADER;
	int mode = fz_u8(&in);
	uint8_t flags = fz_u8(&in);
	uint64_t split = (uint64_t)fz_u16(&in) * 4096;
	uint64_t reg = fz_u64(&in);
	uint64_t base = (uint64_t)fz_u32(&in) << 12;
	uint64_t va = fz_u64(&in);
	uint64_t sctlr = fz_u64(&in);
	bool big = fz_pick_big(arch, flags & 0x01);
	int bits = fz_pick_bits(arch, mode, flags & 0x04);
	if (bits == 32 || !strcmp(arch, "arm"))
		base &= 0xffffffffULL >> 1; /* RAM and its not-RAM window stay below 4 GiB */

	struct fz_region r[2] = {{base, mem, len}};
	size_t nr = 1;
	if ((flags & 0x10) && split && split < len) {
		r[0].len = split;
		r[1] = (struct fz_region){base + split + (flags & 0x20 ? 0x10000 : 0), mem + split, len - split};
		nr = 2;
	}
	uint64_t top = r[nr - 1].start + r[nr - 1].len;
	struct analysis a;
	fz_machine(&a, arch, mode, big, bits, r, nr, flags & 0x08 ? top : 0, flags & 0x08 ? top + 0xfffff : 0);
	a.threads = flags & 0x02 ? 2 : 1;
	if (!strcmp(arch, "intel")) {
		fz_feature(&a, "m_phy", 1 + (reg & 0xff) % 52);
	} else if (!strcmp(arch, "arm")) {
		uint64_t ttbcr = reg & 0xffffffffULL;
		if (flags & 0x40) /* EAE as the mode says, reserved bits clear */
			ttbcr = a.cfg.mode ? (ttbcr & 0x00770077ULL) | 0x80000000ULL : ttbcr & 7;
		config_set_register(&a.cfg, "TTBCR", ttbcr);
		if (flags & 0x80)
			config_set_register(&a.cfg, "SCTLR", sctlr & 0xffffffffULL);
	} else if (!strcmp(arch, "aarch64")) {
		uint64_t tcr = reg;
		if (flags & 0x40) /* reserved bits clear, sizes in range */
			tcr = (tcr & ~(1ULL << 6 | 1ULL << 35)) | 0x100010ULL;
		config_set_register(&a.cfg, "TCR_EL1", tcr);
	}

	const struct arch_ops *ops = a.cfg.arch;
	if (fz_command(&a, ops->parse_memory ? "parse_memory" : "find_tables") == 0) {
		FZ_CHECK(a.radix && a.radix->parsed);
		classify(&a, mem, len);
		if (!strcmp(arch, "intel"))
			fz_command(&a, "show_idtrs");
		if (fz_command(&a, "find_radix_trees") == 0) {
			fz_command(&a, "show_radix_trees");
			for (size_t i = 0; i < a.radix->ntrees && i < 4; i++) {
				const struct radix_tree *t = &a.radix->trees[i];
				FZ_CHECK(t->space < a.radix->nspaces);
				FZ_CHECK(!radix_root_problem(&a, &a.radix->space[t->space], t->root));
				walk(&a, t->space, t->root, va, true);
			}
			if (!strcmp(arch, "intel")) {
				fz_command(&a, "show_idtrs");
				fz_browse_findings(&a);
			}
		}
		/* Root candidates that are not trees get walked too: the walkers must not trust a check. */
		for (unsigned si = 0; si < a.radix->nspaces; si++) {
			const struct radix_space *sp = &a.radix->space[si];
			unsigned n = 0;
			for (size_t i = 0; i < sp->ncand && n < 2; i++)
				if (sp->cand_levels[i] & 1) {
					walk(&a, si, sp->cand_addr[i], va, false);
					n++;
				}
			FZ_CHECK(sp->ncand == 0 || sp->cand_addr[0] >= base);
			for (size_t i = 1; i < sp->ncand; i++)
				FZ_CHECK(sp->cand_addr[i - 1] < sp->cand_addr[i]);
		}
		/* A table anywhere: the start of RAM, walked as a root whatever it holds. */
		walk(&a, 0, base, va, true);
	}
	fz_machine_close(&a);
	return 0;
}
