/*
 * radix: building page-table trees through the architecture's encoders,
 * and walking them back (through its decoders) into the merged ranges of
 * expected.yaml.  The walk reads the bytes that were written, so whatever
 * the encoders did, expected.yaml says what the tables really map.
 */
#include "autoconfig.h"

#include "gen.h"

#include <inttypes.h>
#include <string.h>

uint64_t geom_canonical(const struct tree_geom *t, uint64_t va)
{
	return t->sign_bit ? sign_extend(va, t->sign_bit) : va;
}

static unsigned level_index(const struct tree_geom *t, unsigned level, uint64_t va)
{
	return (unsigned)((va >> t->lv[level].shift) & (t->lv[level].entries - 1));
}

int tree_new(struct gen *g, const struct tree_geom *geom, const char *kind, const char *reg, size_t *index)
{
	struct gtree tr = {0};
	if (phys_alloc_table(g, geom_table_bytes(geom, 0), geom->top_align, &tr.root))
		return -1;
	tr.geom = geom;
	tr.kind = kind;
	tr.reg = reg;
	tr.process = -1;
	tr.count = 1;
	*index = g->ntrees;
	VEC_PUSH(g->trees, g->ntrees, g->trees_cap, tr);
	return 0;
}

/* The table of the next level under entry slot, created when empty. */
static int next_table(struct gen *g, const struct tree_geom *t, unsigned level, uint64_t slot, unsigned attr,
		      unsigned tflags, uint64_t *child)
{
	struct entry_info ei;
	uint64_t raw = phys_read_entry(g, slot, t->entry_bytes);
	g->arch->radix->decode(g, t, level, raw, &ei);
	if (ei.kind == ENT_TABLE) {
		*child = ei.addr;
		return 0;
	}
	if (ei.kind != ENT_EMPTY)
		return -1;
	uint64_t bytes = geom_table_bytes(t, level + 1);
	if (phys_alloc_table(g, bytes, bytes, child))
		return -1;
	phys_write_entry(g, slot, t->entry_bytes, g->arch->radix->table_entry(g, t, level, *child, attr, tflags));
	return 0;
}

static int map_page(struct gen *g, const struct tree_geom *t, uint64_t table, uint64_t va, uint64_t pa,
		    unsigned page_shift, unsigned attr, unsigned tflags)
{
	for (unsigned l = 0; l < t->levels; l++) {
		const struct level_geom *lg = &t->lv[l];
		uint64_t slot = table + (uint64_t)level_index(t, l, va) * t->entry_bytes;
		if (page_shift < lg->shift) {
			/* Restrictions go on the pointer to the last-level table only, so they stay local. */
			unsigned tf = l + 2 == t->levels ? tflags : 0;
			if (l + 1 == t->levels || next_table(g, t, l, slot, attr, tf, &table))
				return -1;
			continue;
		}
		if (!(lg->leaf_shifts & (1ULL << page_shift)))
			return -1;
		/* Pages larger than one entry (ARM supersections, large pages) repeat the descriptor. */
		unsigned reps = 1u << (page_shift - lg->shift);
		uint64_t first = table + (uint64_t)(level_index(t, l, va) & ~(reps - 1)) * t->entry_bytes;
		uint64_t raw = g->arch->radix->leaf_entry(g, t, l, pa, page_shift, attr);
		for (unsigned r = 0; r < reps; r++) {
			if (phys_read_entry(g, first + (uint64_t)r * t->entry_bytes, t->entry_bytes))
				return -1;
			phys_write_entry(g, first + (uint64_t)r * t->entry_bytes, t->entry_bytes, raw);
		}
		return 0;
	}
	return -1;
}

int tree_map(struct gen *g, size_t tree, uint64_t va, uint64_t pa, uint64_t size, unsigned page_shift,
	     unsigned attr, unsigned tflags)
{
	const struct gtree *tr = &g->trees[tree];
	uint64_t page = 1ULL << page_shift;
	for (uint64_t off = 0; off < size; off += page)
		if (map_page(g, tr->geom, tr->root, va + off, pa + off, page_shift, attr, tflags))
			return -1;
	return 0;
}

unsigned tree_best_shift(const struct tree_geom *t, uint64_t va, uint64_t pa, uint64_t size, unsigned max_shift)
{
	unsigned best = geom_page_shift(t);
	for (unsigned l = 0; l < t->levels; l++)
		for (unsigned s = best + 1; s <= max_shift && s < 64; s++) {
			uint64_t m = (1ULL << s) - 1;
			if ((t->lv[l].leaf_shifts & (1ULL << s)) && !(va & m) && !(pa & m) && size > m)
				best = s;
		}
	return best;
}

void tree_share_top(struct gen *g, size_t dst, size_t src, uint64_t va_first, uint64_t va_last)
{
	const struct tree_geom *t = g->trees[src].geom;
	unsigned eb = t->entry_bytes;
	for (unsigned i = level_index(t, 0, va_first); i <= level_index(t, 0, va_last); i++) {
		uint64_t raw = phys_read_entry(g, g->trees[src].root + (uint64_t)i * eb, eb);
		if (raw)
			phys_write_entry(g, g->trees[dst].root + (uint64_t)i * eb, eb, raw);
	}
}

/* ---- the walk ---- */

struct range_out {
	struct sbuf *out;
	bool open;
	uint64_t va, size, pa;
	unsigned perms;
};

static void flush(struct range_out *r)
{
	char p[7];
	if (r->open)
		sbuf_printf(r->out, "      - {va: 0x%" PRIx64 ", size: 0x%" PRIx64 ", pa: 0x%" PRIx64 ", perms: \"%s\"}\n",
			    r->va, r->size, r->pa, expected_perm_string(r->perms, p));
	r->open = false;
}

/* Adjacent pieces merge iff contiguous virtually and physically with equal permissions. */
static void add_piece(struct range_out *r, uint64_t va, uint64_t size, uint64_t pa, unsigned perms)
{
	if (r->open && r->va + r->size == va && r->pa + r->size == pa && r->perms == perms) {
		r->size += size;
		return;
	}
	flush(r);
	*r = (struct range_out){r->out, true, va, size, pa, perms};
}

static void walk(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t table, uint64_t prefix,
		 unsigned tflags, struct range_out *r)
{
	const struct radix_ops *ops = g->arch->radix;
	const struct level_geom *lg = &t->lv[level];
	for (uint32_t i = 0; i < lg->entries; i++) {
		uint64_t raw = phys_read_entry(g, table + (uint64_t)i * t->entry_bytes, t->entry_bytes);
		uint64_t va = prefix | ((uint64_t)i << lg->shift);
		struct entry_info ei;
		ops->decode(g, t, level, raw, &ei);
		if (ei.kind == ENT_EMPTY)
			continue;
		if (ei.kind == ENT_TABLE) {
			if (level + 1 < t->levels)
				walk(g, t, level + 1, ei.addr, va, tflags | ops->table_restrictions(g, t, level, raw), r);
			continue;
		}
		uint64_t canon = geom_canonical(t, va), span = 1ULL << lg->shift;
		if (canon < t->va_first || canon + (span - 1) > t->va_last)
			continue;  /* outside the VA range this tree translates: hardware never reads it */
		uint64_t pa = ei.addr + (va & ((1ULL << ei.page_shift) - 1) & ~(span - 1));
		add_piece(r, canon, span, pa, ops->leaf_perms(g, t, level, raw, tflags));
	}
}

void radix_write_ranges(const struct gen *g, const struct gtree *tree, struct sbuf *out)
{
	const struct tree_geom *t = tree->geom;
	struct range_out r = {out, false, 0, 0, 0, 0};
	uint64_t cover_bits = t->lv[0].shift + (unsigned)log2_u64(t->lv[0].entries);
	uint64_t base = cover_bits >= 64 ? 0 : t->va_first & ~((1ULL << cover_bits) - 1);
	if (t->sign_bit)
		base = 0;
	walk(g, t, 0, tree->root, base, 0, &r);
	flush(&r);
}
