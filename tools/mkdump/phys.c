/*
 * phys: the machine's physical memory.  RAM regions separated by MMIO
 * windows, one kind byte per 4 KiB frame, and bytes held in memory only for
 * frames whose content is built (tables, IDT, decoys); everything else is
 * generated from the frame address when the dump is written.  Allocations
 * land at random free places so tables end up spread through RAM.
 */
#include "autoconfig.h"

#include "gen.h"

#include <stdlib.h>
#include <string.h>

#define MiB (1ULL << 20)
#define PROBES 64

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

int layout_ram(struct gen *g, struct err *e)
{
	unsigned n = g->o->regions;
	uint64_t each = align_down(g->o->ram / n, 2 * MiB), at = g->ram_base;
	for (unsigned i = 0; i < n; i++) {
		struct gen_region *r = &g->regions[i];
		r->start = at;
		r->size = i + 1 < n ? each : g->o->ram - each * (n - 1);
		r->first_frame = g->nframes;
		g->nframes += r->size / GEN_FRAME;
		at += r->size;
		if (i + 1 < n) {
			/* An MMIO window of 2 to 32 MiB, as PCI holes and device BARs leave. */
			uint64_t gap = (2 * MiB) << rng_below(&g->rng, 5);
			g->windows[g->nwindows++] = (struct gen_window){at, gap};
			at += gap;
		}
	}
	g->nregions = n;
	if (g->device_page) {
		uint64_t start = align_up(MMU_MAX(at + 64 * MiB, g->device_min), g->device_page);
		g->device_window = start;
		g->windows[g->nwindows++] = (struct gen_window){start, g->device_page};
		at = start + g->device_page;
	}
	if (g->m_phy < 64 && at > (1ULL << g->m_phy))
		return err_set(e, "--ram %llu MiB does not fit below the %u-bit physical address limit of %s %s",
			       (unsigned long long)(g->o->ram >> 20), g->m_phy, g->arch->name,
			       g->arch->modes[g->mode].name);
	g->kind = xcalloc(g->nframes, 1);
	g->store = xcalloc(g->nframes, sizeof(*g->store));
	return 0;
}

uint64_t phys_frame(const struct gen *g, uint64_t pa)
{
	for (unsigned i = 0; i < g->nregions; i++) {
		const struct gen_region *r = &g->regions[i];
		if (pa >= r->start && pa - r->start < r->size)
			return r->first_frame + ((pa - r->start) >> GEN_FRAME_SHIFT);
	}
	return UINT64_MAX;
}

uint64_t phys_frame_addr(const struct gen *g, uint64_t frame)
{
	for (unsigned i = 0; i < g->nregions; i++) {
		const struct gen_region *r = &g->regions[i];
		if (frame - r->first_frame < r->size / GEN_FRAME)
			return r->start + ((frame - r->first_frame) << GEN_FRAME_SHIFT);
	}
	return UINT64_MAX;
}

bool phys_is_ram(const struct gen *g, uint64_t pa)
{
	return phys_frame(g, pa) != UINT64_MAX;
}

/* True when [pa, pa+bytes) is free RAM of one region, below the allocation limit. */
static bool run_free(const struct gen *g, const struct gen_region *r, uint64_t pa, uint64_t bytes)
{
	if (pa < r->start || pa + bytes > r->start + r->size)
		return false;
	if (g->alloc_limit && pa + bytes > g->alloc_limit)
		return false;
	uint64_t f = r->first_frame + ((pa - r->start) >> GEN_FRAME_SHIFT);
	for (uint64_t i = 0; i < bytes / GEN_FRAME; i++)
		if (g->kind[f + i] != FK_FREE)
			return false;
	return true;
}

static void take(struct gen *g, uint64_t pa, uint64_t bytes, enum frame_kind kind)
{
	uint64_t f = phys_frame(g, pa);
	for (uint64_t i = 0; i < bytes / GEN_FRAME; i++) {
		g->kind[f + i] = (uint8_t)kind;
		if (kind == FK_STORED)
			g->store[f + i] = xcalloc(1, GEN_FRAME);
	}
}

int phys_alloc_at(struct gen *g, uint64_t pa, uint64_t bytes, enum frame_kind kind)
{
	for (unsigned i = 0; i < g->nregions; i++)
		if (run_free(g, &g->regions[i], pa, bytes)) {
			take(g, pa, bytes, kind);
			return 0;
		}
	return -1;
}

/* A random aligned place in a random region (weighted by size). */
static bool probe(struct gen *g, uint64_t bytes, uint64_t align, uint64_t *pa)
{
	uint64_t f = rng_below(&g->rng, g->nframes);
	for (unsigned i = 0; i < g->nregions; i++) {
		const struct gen_region *r = &g->regions[i];
		if (f - r->first_frame >= r->size / GEN_FRAME)
			continue;
		uint64_t at = align_down(r->start + ((f - r->first_frame) << GEN_FRAME_SHIFT), align);
		if (run_free(g, r, at, bytes)) {
			*pa = at;
			return true;
		}
		return false;
	}
	return false;
}

/* Every aligned place, from a random region onwards: slow, used only when probing fails. */
static bool scan(struct gen *g, uint64_t bytes, uint64_t align, uint64_t *pa)
{
	unsigned first = (unsigned)rng_below(&g->rng, g->nregions);
	for (unsigned k = 0; k < g->nregions; k++) {
		const struct gen_region *r = &g->regions[(first + k) % g->nregions];
		for (uint64_t at = align_up(r->start, align); at + bytes <= r->start + r->size; at += align)
			if (run_free(g, r, at, bytes)) {
				*pa = at;
				return true;
			}
	}
	return false;
}

static int alloc(struct gen *g, uint64_t bytes, uint64_t align, enum frame_kind kind, uint64_t *pa, bool thorough)
{
	align = MMU_MAX(align, GEN_FRAME);
	bytes = align_up(bytes, GEN_FRAME);
	for (int i = 0; i < PROBES; i++)
		if (probe(g, bytes, align, pa)) {
			take(g, *pa, bytes, kind);
			return 0;
		}
	if (!thorough || !scan(g, bytes, align, pa))
		return -1;
	take(g, *pa, bytes, kind);
	return 0;
}

int phys_alloc(struct gen *g, uint64_t bytes, uint64_t align, enum frame_kind kind, uint64_t *pa)
{
	return alloc(g, bytes, align, kind, pa, true);
}

int phys_alloc_quick(struct gen *g, uint64_t bytes, uint64_t align, enum frame_kind kind, uint64_t *pa)
{
	return alloc(g, bytes, align, kind, pa, false);
}

int phys_alloc_table(struct gen *g, uint64_t bytes, uint64_t align, uint64_t *pa)
{
	uint64_t slot = MMU_MAX(bytes, align);
	if (slot >= GEN_FRAME)
		return phys_alloc(g, bytes, slot, FK_STORED, pa);
	/* Small tables share frames, as a kernel's slab caches pack them. */
	int sz = log2_u64(slot);
	if (!g->slab_frame[sz] || g->slab_used[sz] >= GEN_FRAME / slot) {
		if (phys_alloc(g, GEN_FRAME, GEN_FRAME, FK_STORED, &g->slab_frame[sz]))
			return -1;
		g->slab_used[sz] = 0;
	}
	*pa = g->slab_frame[sz] + slot * g->slab_used[sz]++;
	return 0;
}

uint8_t *phys_bytes(struct gen *g, uint64_t pa)
{
	uint64_t f = phys_frame(g, pa);
	if (f == UINT64_MAX)
		return NULL;
	if (!g->store[f]) {
		g->store[f] = xmalloc(GEN_FRAME);
		content_fill(g, (enum frame_kind)g->kind[f], align_down(pa, GEN_FRAME), g->store[f]);
		g->kind[f] = FK_STORED;
	}
	return g->store[f] + (pa & (GEN_FRAME - 1));
}

uint64_t phys_read_entry(const struct gen *g, uint64_t pa, unsigned entry_bytes)
{
	uint64_t f = phys_frame(g, pa);
	if (f == UINT64_MAX || !g->store[f])
		return 0;
	const uint8_t *p = g->store[f] + (pa & (GEN_FRAME - 1));
	return entry_bytes == 4 ? rd32(p, g->big_endian) : rd64(p, g->big_endian);
}

void phys_write_entry(struct gen *g, uint64_t pa, unsigned entry_bytes, uint64_t v)
{
	uint8_t *p = phys_bytes(g, pa);
	if (entry_bytes == 4)
		wr32(p, (uint32_t)v, g->big_endian);
	else
		wr64(p, v, g->big_endian);
}
