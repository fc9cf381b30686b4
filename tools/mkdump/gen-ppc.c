/*
 * gen-ppc: a 32-bit PowerPC machine as Linux sets it up (PowerPC OEA, the
 * 60x/7xx MMU): the kernel at physical 0 seen at KERNELBASE 0xC0000000,
 * lowmem mapped by BAT pairs, a hashed page table sized by RAM at an
 * address aligned on its size, and segment registers.  The table holds the
 * PTEs of every process (VSIDs from context numbers) and of the kernel's
 * vmalloc and ioremap areas, each in its primary PTE group or, when that
 * is full (or the entry was evicted there), its secondary one.  Kernel code
 * writes SDR1, the BATs and the segment registers; near-miss tables (one
 * rule broken) are the decoys.
 */
#include "autoconfig.h"

#include "gen.h"
#include "insn.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const struct mkdump_mode ppc_modes[] = {
	{"ppc32", 32},
};

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define KERNELBASE 0xC0000000u
#define TEXT_PA 0x4000ULL               /* after the exception vectors */
#define LOWMEM_MAX (768 * MiB)
#define BAT_MAX (256 * MiB)
#define BAT_MIN (128 * KiB)

/* SDR1, BATs, segment registers and PTEs (PowerPC OEA, 7.4-7.6). */
#define HTAB_MIN (64 * KiB)
#define HTAB_MAX (32 * MiB)
#define PTEG_BYTES 64
#define PTE0_V (1u << 31)
#define PTE0_H (1u << 6)
#define PTE1_R (1u << 8)
#define PTE1_C (1u << 7)
#define WIMG_M 0x2u                     /* memory coherence: RAM */
#define WIMG_IG 0x5u                    /* caching inhibited, guarded: devices */
#define PP_KERNEL 0u                    /* with Ks = 0: supervisor read/write */
#define PP_USER_RW 2u
#define PP_USER_RO 3u
#define BATU_VS 2u
#define BATL_M_RW 0x12u                 /* WIMG = M, PP = read/write */
#define SR_KS (1u << 30)
#define SR_KP (1u << 29)
#define USER_SEGMENTS 12
#define SPR_SDR1 PPC_SPR_SDR1
#define SPR_BAT(kind, n, lower) (PPC_SPR_IBAT0U + 8 * (kind) + 2 * (n) + (lower))   /* kind 0: I, 1: D */

#define SAMPLES 64

struct sample {
	uint32_t ea, vsid;
	uint64_t pa;
};

struct ppc_state {
	uint32_t sdr1, boot_sdr1;
	uint64_t htab, htab_size;
	unsigned nbats;
	uint32_t batu[4], batl[4];          /* IBATn = DBATn: one pair per block of lowmem */
	uint32_t sr[16];                    /* context 0 (the kernel's) */
	uint64_t sdr1_var, bats_var;        /* physical addresses of _SDR1 and BATS */
	uint64_t ptes, dropped;
	struct sample samples[SAMPLES];
	uint64_t seen;
};

/* Linux's CTX_TO_VSID: contexts spread over the VSID space, segments 0x111 apart. */
static uint32_t vsid_of(unsigned ctx, unsigned seg)
{
	return (uint32_t)(ctx * 897u * 16u + seg * 0x111u) & 0xFFFFFFu;
}

static uint32_t sr_value(unsigned ctx, unsigned seg)
{
	return (seg < USER_SEGMENTS ? SR_KS | SR_KP : SR_KP) | vsid_of(ctx, seg);
}

static int ppc_setup(struct gen *g, struct err *e)
{
	if (gen_check_options(g, 0, e))
		return -1;
	g->m_phy = 32;
	g->ram_base = 0;
	g->arch_data = xcalloc(1, sizeof(struct ppc_state));
	/* Kernel data is read through kernel virtual addresses (algo-mips-ppc-gtruth.md 6.2). */
	sbuf_printf(&g->cpu_yaml, "  processor_features: {kernel_base: 0x%x}\n", KERNELBASE);
	return 0;
}

static void put32(struct gen *g, uint64_t pa, uint32_t v)
{
	wr32(phys_bytes(g, pa), v, true);
}

static uint32_t get32(struct gen *g, uint64_t pa)
{
	return rd32(phys_bytes(g, pa), true);
}

/* PTE group of a hash (algo-mips-ppc-gtruth.md 3.4). */
static uint64_t pteg_of(uint32_t sdr1, uint32_t hash)
{
	uint32_t org = sdr1 >> 16, mask = sdr1 & 0x1FF;
	return (uint64_t)(org >> 9) << 25 | (uint64_t)((org & 0x1FF) | ((hash >> 10) & mask)) << 16 | (uint64_t)(hash & 0x3FF) << 6;
}

/* A free slot in the group, or 0. */
static uint64_t free_slot(struct gen *g, uint64_t pteg)
{
	for (int i = 0; i < 8; i++)
		if (!(get32(g, pteg + 8 * i) & PTE0_V))
			return pteg + 8 * i;
	return 0;
}

/*
 * The PTE of a page: primary group, or the secondary one when the primary
 * is full or (one time in 16) the entry went there on an earlier eviction.
 */
static void map_page(struct gen *g, uint32_t sdr1, uint32_t vsid, uint32_t ea, uint64_t pa, unsigned wimg, unsigned pp,
		     bool changed)
{
	struct ppc_state *st = g->arch_data;
	uint32_t pi = (ea >> 12) & 0xFFFF, hash = ((vsid & 0x7FFFF) ^ pi) & 0x7FFFF;
	uint64_t slot = 0;
	int h = rng_chance(&g->rng, 6) ? 1 : 0;
	for (int k = 0; k < 2 && !slot; k++, h ^= 1)
		slot = free_slot(g, pteg_of(sdr1, h ? hash ^ 0x7FFFF : hash));
	if (!slot) {
		st->dropped++;
		return;
	}
	h ^= 1;
	put32(g, slot, PTE0_V | vsid << 7 | (h ? PTE0_H : 0) | pi >> 10);
	put32(g, slot + 4, (uint32_t)(pa >> 12) << 12 | PTE1_R | (changed ? PTE1_C : 0) | wimg << 3 | pp);
	/* Reservoir sampling: every PTE equally likely to be checked by the tests. */
	uint64_t k = st->seen++;
	if (k < SAMPLES)
		st->samples[k] = (struct sample){ea, vsid, pa};
	else if ((k = rng_below(&g->rng, k + 1)) < SAMPLES)
		st->samples[k] = (struct sample){ea, vsid, pa};
	st->ptes++;
}

/* npages fresh pages of kind at ea upward (step: +4 KiB or -4 KiB). */
static int map_fresh(struct gen *g, uint32_t vsid, uint32_t ea, int64_t step, unsigned n, enum frame_kind kind,
		     unsigned wimg, unsigned pp, bool changed, struct err *e)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t pa;
		if (phys_alloc(g, GEN_FRAME, GEN_FRAME, kind, &pa))
			return gen_out_of_ram(g, e);
		map_page(g, ((const struct ppc_state *)g->arch_data)->sdr1, vsid, (uint32_t)((int64_t)ea + step * (int64_t)i),
			 pa, wimg, pp, changed);
	}
	return 0;
}

/* Lowmem mapped from KERNELBASE with BAT blocks of 128 KiB .. 256 MiB (Linux mmu_mapin_ram). */
static void plan_bats(struct gen *g, struct ppc_state *st)
{
	uint64_t lowmem = MMU_MIN(g->regions[0].size, LOWMEM_MAX), at = 0;
	while (at < lowmem && st->nbats < 4) {
		uint64_t size = BAT_MAX;
		while (size > BAT_MIN && (size > lowmem - at || at % size))
			size /= 2;
		if (size > lowmem - at)
			break;
		st->batu[st->nbats] = (uint32_t)(KERNELBASE + at) | (uint32_t)((size >> 17) - 1) << 2 | BATU_VS;
		st->batl[st->nbats] = (uint32_t)at | BATL_M_RW;
		st->nbats++;
		at += size;
	}
}

/* The hash table: 1 PTEG per 8 pages of RAM, at least 64 KiB (Linux MMU_init_hw), aligned on its size. */
static int place_htab(struct gen *g, struct ppc_state *st, struct err *e)
{
	uint64_t size = HTAB_MIN;
	while (size < g->o->ram / 512 && size < HTAB_MAX)
		size *= 2;
	if (phys_alloc(g, size, size, FK_STORED, &st->htab))
		return gen_out_of_ram(g, e);
	st->htab_size = size;
	st->sdr1 = (uint32_t)st->htab | (uint32_t)(size / HTAB_MIN - 1);
	/* The firmware's table, replaced at boot: its memory is reused since. */
	uint64_t boot = align_down(g->regions[0].size - g->regions[0].size / 4, HTAB_MIN);
	st->boot_sdr1 = (uint32_t)(boot == st->htab ? boot - HTAB_MIN : boot);
	return 0;
}

/* Every process's pages and the kernel's vmalloc and ioremap pages (primary or secondary groups). */
static int fill_htab(struct gen *g, struct ppc_state *st, struct err *e)
{
	uint64_t free_frames = 0;
	for (uint64_t f = 0; f < g->nframes; f++)
		free_frames += g->kind[f] == FK_FREE;
	unsigned per = (unsigned)MMU_MIN(free_frames / 4 / g->o->processes, 192);
	if (per < 8)
		return gen_out_of_ram(g, e);
	unsigned ntext = per / 4, ndata = per / 3, nstack = per / 8, nlib = per - ntext - ndata - nstack;
	uint64_t *lib = xcalloc(nlib, sizeof(*lib));
	for (unsigned i = 0; i < nlib; i++)
		if (phys_alloc(g, GEN_FRAME, GEN_FRAME, FK_CODE, &lib[i])) {
			free(lib);
			return gen_out_of_ram(g, e);
		}
	int rc = 0;
	for (unsigned p = 0; p < g->o->processes && !rc; p++) {
		unsigned ctx = p + 1;
		rc = map_fresh(g, vsid_of(ctx, 1), 0x10000000u, 4096, ntext, FK_CODE, WIMG_M, PP_USER_RO, false, e) ||
		     map_fresh(g, vsid_of(ctx, 1), 0x10400000u, 4096, ndata, FK_STRUCT, WIMG_M, PP_USER_RW, true, e) ||
		     map_fresh(g, vsid_of(ctx, 7), 0x7FFFF000u, -4096, nstack, FK_STRUCT, WIMG_M, PP_USER_RW, true, e);
		for (unsigned i = 0; i < nlib && !rc; i++)
			map_page(g, st->sdr1, vsid_of(ctx, 0), 0x0F800000u + 4096 * i, lib[i], WIMG_M, PP_USER_RO, false);
		/* Some processes also reach higher segments (mmap). */
		if (!rc && p % 2)
			rc = map_fresh(g, vsid_of(ctx, 4 + p % 6), (uint32_t)(4 + p % 6) << 28 | 0x100000u, 4096, 8,
				       FK_RANDOM, WIMG_M, PP_USER_RW, true, e);
	}
	free(lib);
	if (rc)
		return -1;
	/* vmalloc (segment 13) and ioremap of each MMIO window (segment 15), context 0. */
	if (map_fresh(g, vsid_of(0, 13), 0xD1000000u, 4096, 16 + (unsigned)(g->o->ram / (4 * MiB)) % 64, FK_STRUCT,
		      WIMG_M, PP_KERNEL, true, e))
		return -1;
	uint32_t io = 0xF1000000u;
	for (unsigned w = 0; w < g->nwindows; w++)
		for (unsigned i = 0; i < 4 && 4096ULL * i < g->windows[w].size; i++, io += 4096)
			map_page(g, st->sdr1, vsid_of(0, 15), io, g->windows[w].start + 4096ULL * i, WIMG_IG, PP_KERNEL, false);
	return 0;
}

/* ---- kernel code ---- */

static void ppc_const(struct code_fn *f, unsigned rd, uint32_t v)
{
	if (v <= 0x7FFF) {
		fn_put(f, ppc_addi(rd, 0, (int32_t)v));
		return;
	}
	fn_put(f, ppc_addis(rd, 0, v >> 16));
	if (v & 0xFFFF)
		fn_put(f, ppc_ori(rd, rd, v & 0xFFFF));
}

/* The previous function's blr, then a stack frame saving LR. */
static void fn_begin(struct code_fn *f)
{
	f->n = 0;
	fn_put(f, ppc_blr());
	fn_put(f, ppc_stwu(1, -16, 1));
	fn_put(f, ppc_mfspr(0, PPC_SPR_LR));
	fn_put(f, ppc_stw(0, 20, 1));
}

static void fn_end(struct code_fn *f)
{
	fn_put(f, ppc_lwz(0, 20, 1));
	fn_put(f, ppc_mtspr(PPC_SPR_LR, 0));
	fn_put(f, ppc_addi(1, 1, 16));
	fn_put(f, ppc_blr());
}

static uint32_t ha(uint32_t va)
{
	return (va + 0x8000) >> 16;
}

static int32_t lo(uint32_t va)
{
	return (int16_t)(va & 0xFFFF);
}

static int place(struct gen *g, const struct code_fn *f, struct err *e)
{
	uint64_t pa;
	return gen_place_code(g, f, true, &pa, e);
}

/*
 * SDR1: a constant (early hash-table setup) and a load of the _SDR1
 * variable through its physical address (load_up_mmu).  BATs: cleared all
 * (clear_bats), loaded from the BATS array through a kernel address, and
 * set again from constants on resume.  Segment registers: Linux's mtsrin
 * loop (not exact: loop-carried), then an unrolled restore for context 0.
 * Decoys: switch_mmu_context's VSIDs from its argument, and dead code after
 * a jump writing the firmware's SDR1.
 */
static int ppc_code(struct gen *g, struct ppc_state *st, struct err *e)
{
	struct code_fn f;
	fn_begin(&f);
	ppc_const(&f, 3, st->sdr1);
	fn_put(&f, ppc_mtspr(SPR_SDR1, 3));
	fn_put(&f, ppc_isync());
	fn_end(&f);
	if (place(g, &f, e))
		return -1;

	uint32_t sdr1_va = KERNELBASE + (uint32_t)st->sdr1_var, bats_va = KERNELBASE + (uint32_t)st->bats_var;
	f.n = 0;
	fn_put(&f, ppc_blr());
	fn_put(&f, ppc_addis(6, 0, ha(sdr1_va)));
	fn_put(&f, ppc_addis(6, 6, (uint32_t)-(KERNELBASE >> 16) & 0xFFFF));   /* tophys */
	fn_put(&f, ppc_lwz(6, lo(sdr1_va), 6));
	fn_put(&f, ppc_mtspr(SPR_SDR1, 6));
	fn_put(&f, ppc_addis(3, 0, ha(bats_va)));
	fn_put(&f, ppc_addi(3, 3, lo(bats_va)));
	for (unsigned n = 0; n < st->nbats; n++)
		for (unsigned kind = 0; kind < 2; kind++) {
			fn_put(&f, ppc_lwz(4, (int32_t)(16 * n + 8 * kind), 3));
			fn_put(&f, ppc_lwz(5, (int32_t)(16 * n + 8 * kind + 4), 3));
			fn_put(&f, ppc_mtspr(SPR_BAT(kind, n, 0), 4));
			fn_put(&f, ppc_mtspr(SPR_BAT(kind, n, 1), 5));
		}
	fn_put(&f, ppc_isync());
	fn_put(&f, ppc_blr());
	if (place(g, &f, e))
		return -1;

	f.n = 0;
	fn_put(&f, ppc_blr());
	fn_put(&f, ppc_addi(10, 0, 0));
	for (unsigned spr = 0; spr < 16; spr++)
		fn_put(&f, ppc_mtspr(PPC_SPR_IBAT0U + spr, 10));
	fn_put(&f, ppc_blr());
	if (place(g, &f, e))
		return -1;

	fn_begin(&f);
	for (unsigned n = 0; n < st->nbats; n++)
		for (unsigned kind = 0; kind < 2; kind++) {
			ppc_const(&f, 4, st->batu[n]);
			fn_put(&f, ppc_mtspr(SPR_BAT(kind, n, 0), 4));
			ppc_const(&f, 4, st->batl[n]);
			fn_put(&f, ppc_mtspr(SPR_BAT(kind, n, 1), 4));
		}
	fn_put(&f, ppc_isync());
	fn_end(&f);
	if (place(g, &f, e))
		return -1;

	/* load_segment_registers: li r0,12; mtctr r0; li r3,0; oris r3,r3,0x6000; li r4,0; 1: mtsrin; addi; addis; bdnz 1b */
	f.n = 0;
	fn_put(&f, ppc_blr());
	fn_put(&f, ppc_addi(0, 0, USER_SEGMENTS));
	fn_put(&f, ppc_mtspr(9, 0));
	fn_put(&f, ppc_addi(3, 0, 0));
	fn_put(&f, ppc_oris(3, 3, (SR_KS | SR_KP) >> 16));
	fn_put(&f, ppc_addi(4, 0, 0));
	fn_put(&f, ppc_mtsrin(3, 4));
	fn_put(&f, ppc_addi(3, 3, 0x111));
	fn_put(&f, ppc_addis(4, 4, 0x1000));
	fn_put(&f, ppc_bdnz(-12));
	fn_put(&f, ppc_blr());
	if (place(g, &f, e))
		return -1;

	/* __restore_segments (context 0), unrolled. */
	fn_begin(&f);
	for (unsigned seg = 0; seg < 16; seg++) {
		if (seg == 0 || seg == USER_SEGMENTS)
			ppc_const(&f, 3, st->sr[seg]);
		else
			fn_put(&f, ppc_addi(3, 3, 0x111));
		fn_put(&f, ppc_mtsr(seg, 3));
	}
	fn_put(&f, ppc_isync());
	fn_end(&f);
	if (place(g, &f, e))
		return -1;

	/* switch_mmu_context(next context): VSIDs from the argument. */
	f.n = 0;
	fn_put(&f, ppc_blr());
	fn_put(&f, ppc_d(7, 3, 3, 897 * 16));    /* mulli r3, r3, 897*16 */
	fn_put(&f, ppc_rlwinm(3, 3, 0, 8, 31));
	fn_put(&f, ppc_oris(3, 3, (SR_KS | SR_KP) >> 16));
	fn_put(&f, ppc_addi(4, 0, 0));
	fn_put(&f, ppc_mtsrin(3, 4));
	fn_put(&f, ppc_isync());
	fn_put(&f, ppc_blr());
	if (place(g, &f, e))
		return -1;

	/* Dead code after a jump: the firmware's table. */
	fn_begin(&f);
	size_t jump = f.n;
	fn_put(&f, 0);
	ppc_const(&f, 3, st->boot_sdr1);
	fn_put(&f, ppc_mtspr(SPR_SDR1, 3));
	f.w[jump] = ppc_b((int32_t)(4 * (f.n - jump)));
	fn_end(&f);
	return place(g, &f, e);
}

/* Register values over time for gtruth.yaml, and what the code gives for expected.yaml. */
static void ppc_registers(struct gen *g, struct ppc_state *st)
{
	static const char *const bat_names[2][4][2] = {
		{{"ibat0u", "ibat0l"}, {"ibat1u", "ibat1l"}, {"ibat2u", "ibat2l"}, {"ibat3u", "ibat3l"}},
		{{"dbat0u", "dbat0l"}, {"dbat1u", "dbat1l"}, {"dbat2u", "dbat2l"}, {"dbat3u", "dbat3l"}},
	};
	static const char *const sr_names[16] = {"sr0", "sr1", "sr2",  "sr3",  "sr4",  "sr5",  "sr6",  "sr7",
						 "sr8", "sr9", "sr10", "sr11", "sr12", "sr13", "sr14", "sr15"};
	gen_add_register(g, "sdr1", st->boot_sdr1, 0.01, 0.45, 1);
	gen_add_register(g, "sdr1", st->sdr1, 0.5, 59.9, 500);
	gen_expect_code_register(g, "sdr1", st->sdr1, 2);
	for (unsigned k = 0; k < 2; k++)
		for (unsigned n = 0; n < 4; n++)
			for (unsigned l = 0; l < 2; l++) {
				const char *name = bat_names[k][n][l];
				bool used = n < st->nbats;
				gen_add_register(g, name, 0, 0.3, used ? 0.3 : 59.9, 1);
				if (used) {
					uint32_t v = l ? st->batl[n] : st->batu[n];
					gen_add_register(g, name, v, 0.4, 59.9, 2);
					gen_expect_code_register(g, name, v, 2);
				} else {
					gen_expect_code_register(g, name, 0, 1);
				}
			}
	for (unsigned seg = 0; seg < 16; seg++) {
		gen_add_register(g, sr_names[seg], st->sr[seg], 0.5, seg < USER_SEGMENTS ? 1.2 : 59.9, 1);
		gen_expect_code_register(g, sr_names[seg], st->sr[seg], 1);
		for (unsigned p = 0; seg < USER_SEGMENTS && p < g->o->processes; p++) {
			double first = 1.2 + 50.0 * p / g->o->processes;
			gen_add_register(g, sr_names[seg], sr_value(p + 1, seg), first, first + 8.0, 40);
		}
	}
}

static void ppc_expected(struct gen *g, const struct ppc_state *st)
{
	sbuf_printf(&g->expected_yaml, "hash_tables:\n  - {address: 0x%" PRIx64 ", size: 0x%" PRIx64 ", sdr1: 0x%x, ptes: %" PRIu64
				       "}\nhash_pages:\n",
		    st->htab, st->htab_size, st->sdr1, st->ptes);
	for (uint64_t i = 0; i < MMU_MIN(st->seen, SAMPLES); i++)
		sbuf_printf(&g->expected_yaml, "  - {va: 0x%x, vsid: 0x%x, pa: 0x%" PRIx64 "}\n", st->samples[i].ea,
			    st->samples[i].vsid, st->samples[i].pa);
}

static int ppc_kernel(struct gen *g, struct err *e)
{
	struct ppc_state *st = g->arch_data;
	uint64_t text = MMU_MIN(MMU_MAX(g->o->ram / 16, 256 * KiB), 4 * MiB), data = text / 2;
	if (TEXT_PA + text + data > g->regions[0].size || phys_alloc_at(g, 0, TEXT_PA, FK_CODE) ||
	    phys_alloc_at(g, TEXT_PA, text, FK_CODE) || phys_alloc_at(g, TEXT_PA + text, data, FK_STRUCT))
		return gen_out_of_ram(g, e);
	g->k.text_pa = TEXT_PA;
	g->k.text_va = KERNELBASE + TEXT_PA;
	g->k.text_size = text;
	g->k.data_pa = TEXT_PA + text;
	g->k.data_va = KERNELBASE + g->k.data_pa;
	g->k.data_size = data;
	g->k.direct_va = KERNELBASE;
	g->k.direct_size = MMU_MIN(g->regions[0].size, LOWMEM_MAX);
	plan_bats(g, st);
	for (unsigned seg = 0; seg < 16; seg++)
		st->sr[seg] = sr_value(0, seg);
	if (place_htab(g, st, e) || fill_htab(g, st, e))
		return -1;
	/* _SDR1 and BATS[] (IBATn then DBATn, upper then lower) in kernel data. */
	st->sdr1_var = g->k.data_pa + align_down(rng_below(&g->rng, data / 2), 4);
	st->bats_var = g->k.data_pa + data / 2 + align_down(rng_below(&g->rng, data / 4), 16);
	put32(g, st->sdr1_var, st->sdr1);
	for (unsigned n = 0; n < st->nbats; n++)
		for (unsigned kind = 0; kind < 2; kind++) {
			put32(g, st->bats_var + 16 * n + 8 * kind, st->batu[n]);
			put32(g, st->bats_var + 16 * n + 8 * kind + 4, st->batl[n]);
		}
	if (ppc_code(g, st, e))
		return -1;
	ppc_registers(g, st);
	ppc_expected(g, st);
	return 0;
}

/* ---- near-miss tables ---- */

enum { NM_ONE_VSID, NM_ONE_RPN, NM_CHANGED_NOT_REFERENCED, NM_RPN_NOWHERE, NM_DUPLICATE, NM_KINDS };

static const char *const nm_names[NM_KINDS] = {"htab-one-vsid", "htab-one-rpn", "htab-changed-not-referenced",
					       "htab-rpn-nowhere", "htab-duplicate-pte"};

/* A physical page number neither RAM nor a not-RAM window has. */
static uint32_t rpn_nowhere(const struct gen *g)
{
	uint64_t pa = 0xFFFFF000u;
	for (unsigned i = 0; i < g->nwindows; i++)
		if (pa >= g->windows[i].start && pa < g->windows[i].start + g->windows[i].size)
			pa = g->windows[i].start - GEN_FRAME;
	return (uint32_t)(pa >> 12);
}

/* A 64 KiB table that breaks one rule: a correct analysis must not report it. */
static int near_miss(struct gen *g, unsigned kind)
{
	uint64_t pa;
	if (phys_alloc(g, HTAB_MIN, HTAB_MIN, FK_STORED, &pa))
		return -1;
	uint32_t sdr1 = (uint32_t)pa, rpn0 = (uint32_t)(g->regions[0].start >> 12) + 0x100;
	unsigned n = (unsigned)rng_range(&g->rng, 32, 96);
	uint64_t last = 0;
	for (unsigned i = 0; i < n; i++) {
		uint32_t vsid = kind == NM_ONE_VSID ? 0x5A5 : vsid_of(i % 5 + 100, i % 3);
		uint32_t ea = (uint32_t)rng_below(&g->rng, 0x100000) << 12;
		uint32_t pi = (ea >> 12) & 0xFFFF, hash = ((vsid & 0x7FFFF) ^ pi) & 0x7FFFF;
		uint64_t slot = free_slot(g, pteg_of(sdr1, hash));
		if (!slot)
			continue;
		uint32_t rpn = kind == NM_ONE_RPN ? rpn0 : rpn0 + i;
		put32(g, slot, PTE0_V | vsid << 7 | pi >> 10);
		put32(g, slot + 4, rpn << 12 | PTE1_R | WIMG_M << 3 | PP_USER_RW);
		last = slot;
	}
	if (!last)
		return -1;
	if (kind == NM_CHANGED_NOT_REFERENCED)
		put32(g, last + 4, (get32(g, last + 4) & ~PTE1_R) | PTE1_C);
	if (kind == NM_RPN_NOWHERE)
		put32(g, last + 4, rpn_nowhere(g) << 12 | PTE1_R | WIMG_M << 3 | PP_USER_RW);
	if (kind == NM_DUPLICATE) {
		/* The same page twice in its group (another slot of the same 64-byte group). */
		uint64_t pteg = align_down(last, PTEG_BYTES), other = pteg + ((last - pteg + 8) % PTEG_BYTES);
		put32(g, other, get32(g, last));
		put32(g, other + 4, get32(g, last + 4));
	}
	gen_add_decoy(g, pa, nm_names[kind]);
	return 0;
}

static int ppc_decoys(struct gen *g, struct err *e)
{
	static const unsigned count[] = {0, 2, 5, 10};
	(void)e;
	for (unsigned i = 0; i < count[g->o->noise]; i++)
		(void)near_miss(g, i % NM_KINDS);
	return 0;
}

/* 32-bit PowerPC instructions with random register and immediate fields (no MMU register writes). */
static const struct code_template ppc_insns[] = {
	{0x9421FF00, 0x000000F0},       /* stwu r1, -n(r1) */
	{0x7C0802A6, 0x03E00000},       /* mflr */
	{0x7C0803A6, 0x03E00000},       /* mtlr */
	{0x80000000, 0x03FFFFFC},       /* lwz */
	{0x90000000, 0x03FFFFFC},       /* stw */
	{0x38000000, 0x03FFFFFF},       /* addi / li */
	{0x3C000000, 0x03FFFFFF},       /* addis / lis */
	{0x60000000, 0x03FFFFFF},       /* ori */
	{0x48000001, 0x00FFFFFC},       /* bl */
	{0x48000000, 0x00FFFFFC},       /* b */
	{0x41820000, 0x0000FFFC},       /* beq */
	{0x2C000000, 0x039FFFFF},       /* cmpwi */
	{0x54000000, 0x03FFFFFE},       /* rlwinm */
	{0x7C000378, 0x03FFF800},       /* or / mr */
	{0x4E800020, 0x00000000},       /* blr */
};

static void ppc_code_bytes(struct rng *r, uint8_t *buf, size_t len, bool big)
{
	code_words(r, buf, len, big, ppc_insns, ARRAY_LEN(ppc_insns));
}

static const struct mkdump_extra ppc_extras[] = {
	{"ppc kernel, hash table and MMU code", PHASE_KERNEL, ppc_kernel},
	{"ppc near-miss hash tables", PHASE_LATE, ppc_decoys},
};

const struct mkdump_arch mkdump_arch_ppc = {
	.name = "ppc",
	.modes = ppc_modes,
	.nmodes = ARRAY_LEN(ppc_modes),
	.big_endian = true,
	.setup = ppc_setup,
	.extras = ppc_extras,
	.nextras = ARRAY_LEN(ppc_extras),
	.code_bytes = ppc_code_bytes,
};
