/*
 * decoys: adversarial pages that look almost like page tables and that a
 * correct analysis must not report as roots.  Three kinds:
 *   orphan   a last-level table with valid leaves, reachable from no root
 *   mmio     a copy of a process's top table with one pointer into an MMIO window
 *   corrupt  a copy of a process's top table with one entry breaking an
 *            architectural rule (a reserved bit, a forbidden flag)
 * Their addresses go to expected.yaml under decoys.
 */
#include "autoconfig.h"

#include "gen.h"

#include <string.h>

static unsigned decoy_count(const struct gen *g)
{
	static const unsigned base[] = {0, 3, 6, 16}, per_process_div[] = {0, 0, 4, 2}, max[] = {0, 3, 32, 128};
	unsigned n = g->o->noise;
	unsigned c = base[n] + (per_process_div[n] ? g->o->processes / per_process_div[n] : 0);
	return MMU_MIN(c, max[n]);
}

/* A user tree chosen at random (the trees a process switches to). */
static const struct gtree *pick_process(struct gen *g)
{
	size_t n = 0;
	for (size_t i = 0; i < g->ntrees; i++)
		n += g->trees[i].process >= 0;
	if (!n)
		return NULL;
	size_t k = rng_below(&g->rng, n);
	for (size_t i = 0; i < g->ntrees; i++)
		if (g->trees[i].process >= 0 && k-- == 0)
			return &g->trees[i];
	return NULL;
}

/* A page of data already in use (not zero, not a table), as a freed table's leaves would show. */
static uint64_t pick_data_page(struct gen *g, uint64_t page)
{
	for (int tries = 0; tries < 10000; tries++) {
		uint64_t f = rng_below(&g->rng, g->nframes), pa = align_down(phys_frame_addr(g, f), page);
		uint8_t k = g->kind[phys_frame(g, pa)];
		if (k == FK_CODE || k == FK_TEXT || k == FK_RANDOM)
			return pa;
	}
	return g->k.text_pa;
}

/* Room for a table of bytes in a frame of its own, at a random aligned slot. */
static int decoy_place(struct gen *g, uint64_t bytes, uint64_t align, uint64_t *pa)
{
	uint64_t frame;
	if (bytes >= GEN_FRAME)
		return phys_alloc(g, bytes, MMU_MAX(align, bytes), FK_STORED, pa);
	if (phys_alloc(g, GEN_FRAME, GEN_FRAME, FK_STORED, &frame))
		return -1;
	uint64_t slot = MMU_MAX(bytes, align);
	*pa = frame + slot * rng_below(&g->rng, GEN_FRAME / slot);
	return 0;
}

static int orphan(struct gen *g)
{
	const struct tree_geom *t = g->user_geom;
	unsigned last = t->levels - 1, ps = geom_page_shift(t);
	uint64_t bytes = geom_table_bytes(t, last), pa;
	/* In a one-level tree the last level is the top: an orphan would be a real root. */
	if (t->levels < 2 || decoy_place(g, bytes, bytes, &pa))
		return -1;
	unsigned n = (unsigned)rng_range(&g->rng, 8, MMU_MIN(64, t->lv[last].entries));
	for (unsigned i = 0; i < n; i++) {
		uint64_t idx = rng_below(&g->rng, t->lv[last].entries);
		uint64_t raw = g->arch->radix->leaf_entry(g, t, last, pick_data_page(g, 1ULL << ps), ps, MA_USER | MA_WRITE);
		phys_write_entry(g, pa + idx * t->entry_bytes, t->entry_bytes, raw);
	}
	gen_add_decoy(g, pa, "orphan");
	return 0;
}

/* A random present entry of a tree's top table, or -1. */
static long present_entry(struct gen *g, const struct gtree *tr)
{
	const struct tree_geom *t = tr->geom;
	long found = -1;
	unsigned seen = 0;
	for (uint32_t i = 0; i < t->lv[0].entries; i++)
		if (phys_read_entry(g, tr->root + (uint64_t)i * t->entry_bytes, t->entry_bytes) &&
		    rng_below(&g->rng, ++seen) == 0)
			found = (long)i;
	return found;
}

/*
 * A copy of the top table of src with entry i replaced by raw.  The copy is
 * made only once the bad entry is known: a plain copy would be a real root.
 */
static int copy_top_with(struct gen *g, const struct gtree *src, long i, uint64_t raw, const char *what)
{
	const struct tree_geom *t = src->geom;
	uint64_t bytes = geom_table_bytes(t, 0), pa;
	if (decoy_place(g, bytes, t->top_align, &pa))
		return -1;
	for (uint64_t off = 0; off < bytes; off += t->entry_bytes)
		phys_write_entry(g, pa + off, t->entry_bytes, phys_read_entry(g, src->root + off, t->entry_bytes));
	phys_write_entry(g, pa + (uint64_t)i * t->entry_bytes, t->entry_bytes, raw);
	gen_add_decoy(g, pa, what);
	return 0;
}

static int mmio_pointer(struct gen *g)
{
	const struct gtree *src = pick_process(g);
	long i = src ? present_entry(g, src) : -1;
	/* A one-level tree has no pointer: its entry would be a valid page of MMIO, not a decoy. */
	if (i < 0 || !g->nwindows || src->geom->levels < 2)
		return -1;
	const struct tree_geom *t = src->geom;
	/*
	 * A window the pointer can name: IA-32 pointers hold 32 address bits,
	 * and a window above 4 GiB would come out as a pointer into low RAM,
	 * making the "decoy" a valid tree.
	 */
	for (unsigned tries = 0; tries < 2 * g->nwindows; tries++) {
		const struct gen_window *w = &g->windows[rng_below(&g->rng, g->nwindows)];
		uint64_t target =
			w->start + align_down(rng_below(&g->rng, w->size), MMU_MAX(geom_table_bytes(t, 1), GEN_FRAME));
		uint64_t raw = g->arch->radix->table_entry(g, t, 0, target, MA_USER | MA_WRITE, 0);
		struct entry_info back;
		g->arch->radix->decode(g, t, 0, raw, &back);
		if (back.kind == ENT_TABLE && back.addr == target)
			return copy_top_with(g, src, i, raw, "mmio");
	}
	return -1;
}

static int corrupt(struct gen *g)
{
	const struct gtree *src = pick_process(g);
	long i = src ? present_entry(g, src) : -1;
	if (i < 0 || !g->arch->radix->corrupt)
		return -1;
	const struct tree_geom *t = src->geom;
	uint64_t raw = phys_read_entry(g, src->root + (uint64_t)i * t->entry_bytes, t->entry_bytes);
	uint64_t bad = g->arch->radix->corrupt(g, t, 0, raw, &g->rng);
	return bad == raw ? -1 : copy_top_with(g, src, i, bad, "corrupt");
}

int decoys_build(struct gen *g, struct err *e)
{
	static int (*const makers[])(struct gen *) = {orphan, mmio_pointer, corrupt};
	(void)e;
	if (!g->arch->radix)
		return 0;
	unsigned n = decoy_count(g);
	/* A maker that cannot work here (no MMIO window, no rule to break) is simply skipped. */
	for (unsigned i = 0; i < n; i++)
		(void)makers[i % ARRAY_LEN(makers)](g);
	return 0;
}
