#include "autoconfig.h"

#include "radix.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "scan.h"

/* ---- limits ------------------------------------------------------------ */

struct radix_limits radix_limits = {
	/*
	 * Tiny root tables make many candidates: a real Linux PAE dump has 1.1
	 * candidate 32-byte PDPTs per 4 KiB frame (every page table holds
	 * PDPT-looking groups).  One per 256 bytes keeps the records (9 bytes
	 * each) under 4% of the dump.
	 */
	.cand_bytes = 256,
	.cand_min = 1u << 16,
	/*
	 * A real address space merges into thousands of ranges, a kernel's into
	 * at most a few hundred thousand (65847 on a 512 MiB Linux x86_64 dump).
	 * One per 512 bytes of RAM leaves room for pages mapped one by one, yet
	 * an 8 MiB hostile dump can no longer make 4M ranges (1.5 GB printed).
	 */
	.vas_max_ranges = 1u << 22,
	.vas_range_bytes = 512,
	.vas_min_ranges = 1u << 16,
	/* A 64 GiB direct map in 4 KiB pages is 16M entries; this is 16 times that (a few seconds). */
	.vas_max_entries = 1u << 28,
	/* Linux has one IDT, Windows one per CPU. */
	.idt_max = 4096,
	/* 64 IDTs and 10000 processes of 30 handler pages take a tenth of it (seconds). */
	.idt_work = 1u << 26,
};

uint64_t radix_max_candidates(const struct analysis *a)
{
	return MMU_MAX(radix_limits.cand_min, a->pm.ram_bytes / radix_limits.cand_bytes);
}

/* ---- permissions ------------------------------------------------------ */

void perm_str(unsigned perms, char out[7])
{
	static const char letters[] = "RWXrwx";
	for (int i = 0; i < 6; i++)
		out[i] = perms & (1u << (5 - i)) ? letters[i] : '-';
	out[6] = '\0';
}

int perm_parse(const char *s)
{
	static const char letters[] = "RWXrwx";
	unsigned p = 0;
	if (!s || strlen(s) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (s[i] == letters[i])
			p |= 1u << (5 - i);
		else if (s[i] != '-')
			return -1;
	}
	return (int)p;
}

/* ---- entries ----------------------------------------------------------- */

uint64_t radix_entries(const struct radix_space *sp, unsigned level)
{
	return sp->shape.table_size[level] / sp->shape.entry_size;
}

uint64_t radix_root_end(const struct radix_space *sp)
{
	const struct radix_shape *s = &sp->shape;
	uint64_t n = radix_entries(sp, 0);
	if (!s->va_limit)
		return n;
	uint64_t span = 1ULL << s->va_shift[0];
	return MMU_MIN(n, (s->va_limit + span - 1) / span);
}

/* First entry past the ones hardware uses at this level. */
static uint64_t level_end(const struct radix_space *sp, unsigned level)
{
	return level == 0 ? radix_root_end(sp) : radix_entries(sp, level);
}

static uint64_t level_first(const struct radix_space *sp, unsigned level)
{
	return level == 0 ? sp->shape.top_skip : 0;
}

void radix_page_piece(const struct radix_space *sp, unsigned level, uint64_t i, const struct pte *p, uint64_t *pa,
		      uint64_t *len)
{
	unsigned shift = sp->shape.va_shift[level];
	uint64_t span = 1ULL << shift;
	*pa = p->addr;
	*len = p->size;
	if (p->size > span) {
		*pa = p->addr + ((i << shift) & (p->size - 1));
		*len = span;
	}
}

static uint64_t entry_at(const uint8_t *p, unsigned size, bool big)
{
	return size == 8 ? rd64(p, big) : rd32(p, big);
}

int radix_table_fits(const struct analysis *a, const struct radix_space *sp, uint64_t addr, unsigned level,
		     struct err *e)
{
	uint64_t size = sp->shape.table_size[level];
	if (addr % size)
		return err_set(e, "0x%llx is not aligned to a level-%u table (%llu bytes)", (unsigned long long)addr,
			       level, (unsigned long long)size);
	if (!physmem_range_is_ram(&a->pm, addr, size))
		return err_set(e, "0x%llx is not in RAM", (unsigned long long)addr);
	return 0;
}

bool radix_read_entry(const struct analysis *a, const struct radix_space *sp, uint64_t table, uint64_t i,
		      uint64_t *raw)
{
	uint8_t b[8];
	unsigned es = sp->shape.entry_size;
	uint64_t at = table + i * es;
	if (at < table || physmem_read(&a->pm, at, b, es) != es)
		return false;
	*raw = entry_at(b, es, a->pm.big_endian);
	return true;
}

/*
 * The bytes of a whole table: straight from the mapped dump, or copied
 * into *copy (allocated, caller frees) when the table spans two adjacent
 * regions.  NULL when part of it is not in RAM.
 */
static const uint8_t *table_bytes(const struct analysis *a, const struct radix_space *sp, uint64_t table,
				  unsigned level, uint8_t **copy)
{
	uint64_t size = sp->shape.table_size[level];
	const uint8_t *p = physmem_ptr(&a->pm, table, size);
	*copy = NULL;
	if (p)
		return p;
	if (!physmem_range_is_ram(&a->pm, table, size))
		return NULL;
	*copy = xmalloc(size);
	physmem_read(&a->pm, table, *copy, size);
	return *copy;
}

void radix_decode(const struct analysis *a, const struct radix_space *sp, unsigned level, uint64_t raw,
		  struct pte *out)
{
	memset(out, 0, sizeof(*out));
	a->cfg.arch->radix->decode(&sp->shape, level + sp->shape.level_offset, raw, out);
	out->raw = raw;
	if (out->kind == PTE_TABLE && physmem_is_not_valid(&a->pm, out->addr)) {
		out->kind = PTE_INVALID;
		out->why = "points into not-RAM (MMIO)";
	}
}

/* ---- candidates -------------------------------------------------------- */

static size_t cand_lower_bound(const struct radix_space *sp, uint64_t addr)
{
	size_t lo = 0, hi = sp->ncand;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sp->cand_addr[mid] < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static long cand_find(const struct radix_space *sp, uint64_t addr)
{
	size_t i = cand_lower_bound(sp, addr);
	return i < sp->ncand && sp->cand_addr[i] == addr ? (long)i : -1;
}

bool radix_is_candidate(const struct radix_space *sp, uint64_t addr, unsigned level)
{
	long i = cand_find(sp, addr);
	return i >= 0 && (sp->cand_levels[i] >> level & 1);
}

size_t radix_candidates_at(const struct radix_space *sp, unsigned level, uint64_t **out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	for (size_t i = 0; i < sp->ncand; i++)
		if (sp->cand_levels[i] >> level & 1)
			VEC_PUSH(*out, n, cap, sp->cand_addr[i]);
	return n;
}

/* ---- the scan ---------------------------------------------------------- */

struct cand_vec {
	uint64_t *addr;
	uint8_t *levels;
	size_t n, cap_a, cap_l;
};

struct unit_info {
	bool invalid, empty;
	uint8_t mask;      /* AND of the level masks of its present entries */
};

struct space_scan {
	struct radix_space *sp;
	uint64_t max_cand;         /* radix_max_candidates */
	_Atomic uint64_t ncand;    /* candidates found by all workers */
	atomic_bool over;          /* max_cand was exceeded: the scan of this kind stops */
	uint64_t unit;             /* classification unit: smallest block looked at */
	unsigned unit_shift;       /* log2(unit): the scan's inner loops avoid divisions */
	uint64_t root_first, root_end;  /* units of the root table hardware uses */
	uint8_t all_levels;
	struct cand_vec *per_worker;
};

struct scan_ctx {
	struct analysis *a;
	struct space_scan s[RADIX_MAX_SHAPES];
	unsigned nspaces;
	uint64_t frame;
	void *extra;
	struct unit_info **units;  /* per worker, frame/min_unit entries */
	_Atomic uint64_t data_blocks, empty_blocks;
};

static void cand_push(struct cand_vec *v, uint64_t addr, uint8_t levels)
{
	xgrow(&v->addr, &v->cap_a, v->n + 1, sizeof(*v->addr));
	xgrow(&v->levels, &v->cap_l, v->n + 1, sizeof(*v->levels));
	v->addr[v->n] = addr;
	v->levels[v->n] = levels;
	v->n++;
}

/* Level mask of one entry: bit k when it is a table pointer or a page at level k. */
static uint8_t entry_mask(const struct analysis *a, const struct radix_space *sp, uint64_t raw, bool *empty)
{
	const struct radix_shape *s = &sp->shape;
	uint8_t mask = 0;
	struct pte p;
	*empty = false;
	for (unsigned k = 0; k < s->levels; k++) {
		memset(&p, 0, sizeof(p));
		a->cfg.arch->radix->decode(s, k + s->level_offset, raw, &p);
		if (p.kind == PTE_EMPTY) {
			*empty = true;
			return 0;
		}
		if (p.kind == PTE_PAGE || (p.kind == PTE_TABLE && !physmem_is_not_valid(&a->pm, p.addr)))
			mask |= (uint8_t)(1u << k);
	}
	return mask;
}

static bool all_zero(const uint8_t *p, uint64_t len)
{
	uint64_t acc = 0;
	for (uint64_t i = 0; i + 8 <= len; i += 8) {
		uint64_t q;
		memcpy(&q, p + i, 8);
		acc |= q;
	}
	return acc == 0;
}

static void classify_units(const struct analysis *a, const struct space_scan *ss, const uint8_t *frame,
			   uint64_t frame_len, struct unit_info *u)
{
	/* Zero frames are most of a dump, and every entry in them is empty. */
	if (all_zero(frame, frame_len)) {
		for (uint64_t i = 0; i < frame_len / ss->unit; i++)
			u[i] = (struct unit_info){false, true, ss->all_levels};
		return;
	}
	const struct radix_space *sp = ss->sp;
	unsigned es = sp->shape.entry_size;
	uint64_t per_unit = ss->unit / es, nunits = frame_len / ss->unit;
	bool big = a->pm.big_endian;
	uint64_t prev_raw = 0;
	uint8_t prev_mask = 0;
	bool prev_empty = true, have_prev = true; /* raw 0 is empty on every architecture */

	for (uint64_t i = 0; i < nunits; i++) {
		struct unit_info *ui = &u[i];
		const uint8_t *p = frame + i * ss->unit;
		ui->invalid = false;
		ui->empty = true;
		ui->mask = ss->all_levels;
		for (uint64_t j = 0; j < per_unit; j++, p += es) {
			uint64_t raw = entry_at(p, es, big);
			bool empty;
			uint8_t m;
			if (have_prev && raw == prev_raw) {
				empty = prev_empty;
				m = prev_mask;
			} else {
				m = entry_mask(a, sp, raw, &empty);
				prev_raw = raw;
				prev_mask = m;
				prev_empty = empty;
			}
			if (empty)
				continue;
			ui->empty = false;
			if (!m) {
				ui->invalid = true;
				break; /* the unit is data: no need to look further */
			}
			ui->mask &= m;
		}
	}
}

/* Combines the units of [first, first+count) into one block verdict. */
static struct unit_info combine(const struct unit_info *u, uint64_t first, uint64_t count, uint8_t all)
{
	struct unit_info r = {false, true, all};
	for (uint64_t i = first; i < first + count; i++) {
		if (u[i].invalid)
			return (struct unit_info){true, false, 0};
		r.empty &= u[i].empty;
		r.mask &= u[i].mask;
	}
	return r;
}

/* combine() remembering its last answer: blocks and tables of one size cover the same units. */
struct combine_cache {
	uint64_t first, count;
	struct unit_info r;
};

static struct unit_info combine_cached(struct combine_cache *cc, const struct unit_info *u, uint64_t first,
				       uint64_t count, uint8_t all)
{
	if (cc->count != count || cc->first != first) {
		cc->first = first;
		cc->count = count;
		cc->r = combine(u, first, count, all);
	}
	return cc->r;
}

static void scan_space_frame(struct scan_ctx *c, struct space_scan *ss, unsigned worker, uint64_t addr,
			     const uint8_t *frame)
{
	struct radix_space *sp = ss->sp;
	const struct radix_shape *s = &sp->shape;
	struct unit_info *u = c->units[worker];
	uint64_t F = c->frame, unit = ss->unit;
	uint64_t min_table = F;
	struct combine_cache cc = {0, 0, {false, false, 0}};

	if (atomic_load_explicit(&ss->over, memory_order_relaxed))
		return; /* radix_scan fails: no need to look further */
	classify_units(c->a, ss, frame, F, u);

	/* Empty and data blocks. */
	uint64_t upb = sp->block / unit;
	bool all_data = true;
	uint64_t dpb = sp->data_block / sp->block, run = 0, data_blocks = 0, empty_blocks = 0;
	for (uint64_t b = 0; b < F / sp->block; b++) {
		struct unit_info bi = combine_cached(&cc, u, b * upb, upb, ss->all_levels);
		bool is_data = bi.invalid || (!bi.empty && !(bi.mask & ss->all_levels));
		uint64_t at = addr + b * sp->block;
		if (bi.empty && !bi.invalid) {
			pagemap_set_atomic(&sp->empty, at);
			empty_blocks++;
		}
		all_data &= is_data;
		if (++run == dpb) {
			if (all_data) {
				pagemap_set_atomic(&sp->data, at - (dpb - 1) * sp->block);
				data_blocks++;
			}
			all_data = true;
			run = 0;
		}
	}
	atomic_fetch_add_explicit(&c->data_blocks, data_blocks, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->empty_blocks, empty_blocks, memory_order_relaxed);

	/* Candidates, in address order. */
	for (unsigned k = 0; k < s->levels; k++)
		if (s->table_size[k] < min_table)
			min_table = s->table_size[k];
	for (uint64_t off = 0; off < F; off += min_table) {
		uint8_t levels = 0;
		for (unsigned k = 0; k < s->levels; k++) {
			uint64_t T = s->table_size[k];
			if (off & (T - 1))
				continue;
			uint64_t skip = k == 0 ? ss->root_first : 0;
			uint64_t end = k == 0 ? ss->root_end : T / unit;
			struct unit_info bi = combine_cached(&cc, u, (off >> ss->unit_shift) + skip, end - skip, ss->all_levels);
			if (!bi.invalid && !bi.empty && (bi.mask >> k & 1))
				levels |= (uint8_t)(1u << k);
		}
		if (!levels)
			continue;
		if (atomic_fetch_add_explicit(&ss->ncand, 1, memory_order_relaxed) >= ss->max_cand) {
			atomic_store_explicit(&ss->over, true, memory_order_relaxed);
			return;
		}
		cand_push(&ss->per_worker[worker], addr + off, levels);
	}
}

static void scan_frame(void *ctx, unsigned worker, uint64_t addr, const uint8_t *frame)
{
	struct scan_ctx *c = ctx;
	for (unsigned i = 0; i < c->nspaces; i++)
		scan_space_frame(c, &c->s[i], worker, addr, frame);
	if (c->extra)
		c->a->cfg.arch->radix->scan_frame(c->extra, worker, addr, frame, c->frame);
}

/* The unit divides every table and the used part of the root table. */
static uint64_t space_unit(const struct radix_space *sp)
{
	const struct radix_shape *s = &sp->shape;
	uint64_t u = sp->block, end = radix_root_end(sp);
	for (unsigned k = 0; k < s->levels; k++)
		u = MMU_MIN(u, s->table_size[k]);
	if (s->top_skip)
		u = MMU_MIN(u, (uint64_t)1 << __builtin_ctzll((uint64_t)s->top_skip * s->entry_size));
	if (end && end < radix_entries(sp, 0))
		u = MMU_MIN(u, (uint64_t)1 << __builtin_ctzll(end * s->entry_size));
	return MMU_MAX(u, (uint64_t)s->entry_size);
}

static void merge_candidates(struct radix_space *sp, struct cand_vec *v, unsigned workers)
{
	size_t total = 0, at = 0;
	for (unsigned w = 0; w < workers; w++)
		total += v[w].n;
	sp->cand_addr = xreallocarray(NULL, total, sizeof(uint64_t));
	sp->cand_levels = xmalloc(total ? total : 1);
	/* Workers took consecutive address ranges: concatenation keeps the order. */
	for (unsigned w = 0; w < workers; w++) {
		if (v[w].n) {
			memcpy(sp->cand_addr + at, v[w].addr, v[w].n * sizeof(uint64_t));
			memcpy(sp->cand_levels + at, v[w].levels, v[w].n);
		}
		at += v[w].n;
		free(v[w].addr);
		free(v[w].levels);
	}
	sp->ncand = total;
}

static void count_levels(struct radix_space *sp, uint64_t *out)
{
	memset(out, 0, sizeof(uint64_t) * RADIX_MAX_LEVELS);
	for (size_t i = 0; i < sp->ncand; i++)
		for (unsigned k = 0; k < sp->shape.levels; k++)
			out[k] += sp->cand_levels[i] >> k & 1;
}

static void prune(struct analysis *a, struct radix_space *sp);

/* Shapes that classify memory alike (see struct radix_shape). */
static bool same_scan(const struct radix_shape *x, const struct radix_shape *y)
{
	bool same = x->levels == y->levels && x->entry_size == y->entry_size && x->level_offset == y->level_offset &&
		    x->classifier == y->classifier && x->va_bits == y->va_bits && x->top_skip == y->top_skip &&
		    x->va_limit == y->va_limit;
	for (unsigned k = 0; same && k < RADIX_MAX_LEVELS; k++)
		same = x->table_size[k] == y->table_size[k] && x->va_shift[k] == y->va_shift[k];
	for (unsigned k = 0; same && k < ARRAY_LEN(x->param); k++)
		same = x->param[k] == y->param[k];
	return same;
}

static void pagemap_copy(struct pagemap *dst, const struct pagemap *src, const struct physmem *pm)
{
	pagemap_init(dst, pm, src->fs.frame_size);
	memcpy(dst->bits, src->bits, (size_t)(src->fs.total / 64 + 1) * sizeof(uint64_t));
}

/* Gives space dst the scan results of the equivalent space src. */
static void space_copy_scan(struct radix_space *dst, const struct radix_space *src, const struct physmem *pm)
{
	dst->ncand = src->ncand;
	dst->cand_addr = xreallocarray(NULL, src->ncand + 1, sizeof(uint64_t));
	dst->cand_levels = xmalloc(src->ncand + 1);
	if (src->ncand) {
		memcpy(dst->cand_addr, src->cand_addr, src->ncand * sizeof(uint64_t));
		memcpy(dst->cand_levels, src->cand_levels, src->ncand);
	}
	memcpy(dst->level_count, src->level_count, sizeof(dst->level_count));
	memcpy(dst->level_count_scan, src->level_count_scan, sizeof(dst->level_count_scan));
	pagemap_copy(&dst->empty, &src->empty, pm);
	pagemap_copy(&dst->data, &src->data, pm);
}

static int check_shape(const struct radix_shape *s, struct err *e)
{
	if (s->levels == 0 || s->levels > RADIX_MAX_LEVELS || (s->entry_size != 4 && s->entry_size != 8))
		return err_set(e, "internal: bad tree shape '%s'", s->name);
	for (unsigned k = 0; k < s->levels; k++)
		if (s->table_size[k] < s->entry_size || (s->table_size[k] & (s->table_size[k] - 1)))
			return err_set(e, "internal: bad table size at level %u of shape '%s'", k, s->name);
	return 0;
}

void radix_space_geometry(struct radix_space *sp)
{
	const struct radix_shape *s = &sp->shape;
	sp->block = s->levels > 1 ? s->table_size[1] : s->table_size[0];
	for (unsigned k = 2; k < s->levels; k++)
		sp->block = MMU_MIN(sp->block, s->table_size[k]);
	sp->data_block = MMU_MAX(sp->block, (uint64_t)4096);
}

int radix_scan(struct analysis *a, struct err *e)
{
	const struct radix_ops *ops = a->cfg.arch->radix;
	struct radix_shape shapes[RADIX_MAX_SHAPES];
	unsigned n = RADIX_MAX_SHAPES;
	double t0 = now_seconds();

	if (!ops)
		return err_set(e, "architecture %s has no page-table trees", a->cfg.arch->name);
	memset(shapes, 0, sizeof(shapes));
	if (ops->shapes(a, shapes, &n, e))
		return -1;
	for (unsigned i = 0; i < n; i++)
		if (check_shape(&shapes[i], e))
			return -1;
	if (a->radix) {
		radix_state_free(a->radix);
		free(a->radix);
	}
	struct radix_state *r = a->radix = xcalloc(1, sizeof(*r));
	struct scan_ctx c = {.a = a};
	unsigned workers = (unsigned)a->threads;
	uint64_t min_unit = UINT64_MAX;
	int same_as[RADIX_MAX_SHAPES];  /* an earlier space scanned for this one, or -1 */

	r->nspaces = n;
	c.frame = 4096;
	for (unsigned i = 0; i < n; i++) {
		struct radix_space *sp = &r->space[i];
		const struct radix_shape *s = &shapes[i];
		sp->shape = *s;
		radix_space_geometry(sp);
		same_as[i] = -1;
		for (unsigned j = 0; j < i && same_as[i] < 0; j++)
			if (same_as[j] < 0 && same_scan(&shapes[j], s))
				same_as[i] = (int)j;
		if (same_as[i] >= 0)
			continue;
		c.frame = MMU_MAX(c.frame, sp->data_block);
		for (unsigned k = 0; k < s->levels; k++)
			c.frame = MMU_MAX(c.frame, s->table_size[k]);
		struct space_scan *ss = &c.s[c.nspaces++];
		ss->sp = sp;
		ss->max_cand = radix_max_candidates(a);
		ss->unit = space_unit(sp);
		ss->unit_shift = (unsigned)log2_u64(ss->unit);
		ss->root_first = (uint64_t)s->top_skip * s->entry_size / ss->unit;
		ss->root_end = radix_root_end(sp) * s->entry_size / ss->unit;
		ss->all_levels = (uint8_t)((1u << s->levels) - 1);
		ss->per_worker = xcalloc(workers, sizeof(struct cand_vec));
		min_unit = MMU_MIN(min_unit, ss->unit);
		pagemap_init(&sp->empty, &a->pm, sp->block);
		pagemap_init(&sp->data, &a->pm, sp->data_block);
	}
	c.units = xcalloc(workers, sizeof(*c.units));
	for (unsigned w = 0; w < workers; w++)
		c.units[w] = xcalloc(c.frame / min_unit, sizeof(struct unit_info));
	if (ops->scan_begin)
		c.extra = ops->scan_begin(a, workers);

	struct scan_job job = {.pm = &a->pm, .frame_size = c.frame, .workers = workers, .fn = scan_frame,
			       .ctx = &c, .progress = &a->progress};
	progress_start(&a->progress, "parse_memory", a->pm.ram_bytes);
	int rc = scan_frames(&job, e);
	for (unsigned w = 0; w < workers; w++)
		free(c.units[w]);
	free(c.units);
	for (unsigned i = 0; i < c.nspaces; i++) {
		merge_candidates(c.s[i].sp, c.s[i].per_worker, workers);
		free(c.s[i].per_worker);
	}
	if (ops->scan_end && ops->scan_end(a, c.extra, rc ? NULL : e))
		rc = -1;
	for (unsigned i = 0; !rc && i < c.nspaces; i++)
		if (atomic_load(&c.s[i].over)) {
			const struct radix_shape *s = &c.s[i].sp->shape;
			rc = err_set(e,
				     "more than %llu candidate tables for %s%s%s (at most one per %llu bytes of RAM, or %llu): "
				     "a dump this full of table-like data does not hold mode %s page tables, or was made "
				     "to exhaust memory",
				     (unsigned long long)c.s[i].max_cand, *s->name ? "the " : "", s->name,
				     *s->name ? " trees" : "the trees", (unsigned long long)radix_limits.cand_bytes,
				     (unsigned long long)radix_limits.cand_min, config_mode_name(&a->cfg));
		}
	r->data_blocks = atomic_load(&c.data_blocks);
	r->empty_blocks = atomic_load(&c.empty_blocks);
	r->scan_seconds = now_seconds() - t0;
	if (rc) {
		progress_finish(&a->progress);
		radix_state_free(r);
		free(r);
		a->radix = NULL;
		return -1;
	}
	t0 = now_seconds();
	for (unsigned i = 0; i < n; i++) {
		if (same_as[i] >= 0) {
			space_copy_scan(&r->space[i], &r->space[same_as[i]], &a->pm);
			continue;
		}
		count_levels(&r->space[i], r->space[i].level_count_scan);
		prune(a, &r->space[i]);
		count_levels(&r->space[i], r->space[i].level_count);
	}
	r->prune_seconds = now_seconds() - t0;
	r->parsed = true;
	progress_finish(&a->progress);
	return 0;
}

/* Every field a tree depends on: the scan's, and where its VAs and roots lie. */
static bool same_shape(const struct radix_shape *x, const struct radix_shape *y)
{
	return same_scan(x, y) && x->va_signed == y->va_signed && x->va_upper == y->va_upper &&
	       !strcmp(x->name ? x->name : "", y->name ? y->name : "") &&
	       !strcmp(x->root_register ? x->root_register : "", y->root_register ? y->root_register : "");
}

bool radix_drop_stale(struct analysis *a)
{
	const struct radix_ops *ops = a->cfg.arch->radix;
	struct radix_shape shapes[RADIX_MAX_SHAPES];
	unsigned n = RADIX_MAX_SHAPES;
	struct err e = {{0}};
	if (!ops || !a->radix)
		return false;
	memset(shapes, 0, sizeof(shapes));
	/* No shapes at all now (no register value in force): what was found belongs to another value too. */
	bool same = !ops->shapes(a, shapes, &n, &e) && n == a->radix->nspaces;
	for (unsigned i = 0; same && i < n; i++)
		same = same_shape(&shapes[i], &a->radix->space[i].shape);
	if (same)
		return false;
	radix_state_free(a->radix);
	free(a->radix);
	a->radix = NULL;
	a->dirty = true;
	return true;
}

/* ---- pruning ----------------------------------------------------------- */

static bool is_empty_table(const struct radix_space *sp, uint64_t addr, unsigned level)
{
	uint64_t T = sp->shape.table_size[level];
	if (T <= sp->block)
		return pagemap_test(&sp->empty, align_down(addr, sp->block)) && !(addr & (T - 1));
	return pagemap_all(&sp->empty, addr, T);
}

/*
 * Does every table pointer of the level-k candidate lead to a level-k+1
 * candidate or an empty table?  When it does, the candidates it points to
 * are marked in referenced_bits (if given).
 */
static bool pointers_ok(struct analysis *a, const struct radix_space *sp, uint64_t table, unsigned k,
			uint64_t *referenced_bits)
{
	size_t refs[4096], nrefs = 0; /* at most one per entry of a 32 KiB table of 8-byte entries */
	uint64_t n = level_end(sp, k);
	uint64_t first = level_first(sp, k);
	struct pte p;
	uint8_t *copy;
	const uint8_t *bytes = table_bytes(a, sp, table, k, &copy);
	bool ok = bytes != NULL;
	for (uint64_t i = first; ok && i < n; i++) {
		uint64_t raw = entry_at(bytes + i * sp->shape.entry_size, sp->shape.entry_size, a->pm.big_endian);
		if (!raw)
			continue;
		radix_decode(a, sp, k, raw, &p);
		if (p.kind != PTE_TABLE)
			continue;
		long j = cand_find(sp, p.addr);
		if (j >= 0 && (sp->cand_levels[j] >> (k + 1) & 1)) {
			if (nrefs < ARRAY_LEN(refs))
				refs[nrefs++] = (size_t)j;
			else if (referenced_bits) /* huge table: mark as we go (a superset, still sound) */
				referenced_bits[j / 64] |= 1ULL << (j % 64);
		} else if (!is_empty_table(sp, p.addr, k + 1)) {
			ok = false;
		}
	}
	free(copy);
	for (size_t i = 0; ok && referenced_bits && i < nrefs; i++)
		referenced_bits[refs[i] / 64] |= 1ULL << (refs[i] % 64);
	return ok;
}

/*
 * Removes level-k candidates with a pointer to neither a level-k+1
 * candidate nor an empty table, and level-k+1 candidates no level-k
 * candidate points to; repeated until nothing changes (the original made
 * one pass).  Only an optimisation: radix_check re-verifies every tree.
 */
static void prune(struct analysis *a, struct radix_space *sp)
{
	unsigned L = sp->shape.levels;
	size_t words = sp->ncand / 64 + 1;
	uint64_t *ref = xcalloc(words, sizeof(uint64_t));
	bool changed = true;
	for (unsigned pass = 0; changed && pass < 4 * RADIX_MAX_LEVELS; pass++) {
		changed = false;
		for (unsigned k = 0; k + 1 < L; k++) {
			/* References count from surviving tables only (pointers_ok marks them only when it passes). */
			memset(ref, 0, words * sizeof(uint64_t));
			for (size_t i = 0; i < sp->ncand; i++) {
				if (!(sp->cand_levels[i] >> k & 1))
					continue;
				if (!pointers_ok(a, sp, sp->cand_addr[i], k, ref)) {
					sp->cand_levels[i] &= (uint8_t)~(1u << k);
					changed = true;
				}
			}
			for (size_t i = 0; i < sp->ncand; i++)
				if ((sp->cand_levels[i] >> (k + 1) & 1) && !(ref[i / 64] >> (i % 64) & 1)) {
					sp->cand_levels[i] &= (uint8_t)~(1u << (k + 1));
					changed = true;
				}
		}
	}
	free(ref);
	/* Compact: drop records with no level left. */
	size_t w = 0;
	for (size_t i = 0; i < sp->ncand; i++)
		if (sp->cand_levels[i]) {
			sp->cand_addr[w] = sp->cand_addr[i];
			sp->cand_levels[w] = sp->cand_levels[i];
			w++;
		}
	sp->ncand = w;
}

/* ---- memoised subtree checks ------------------------------------------ */

struct memo_slot {
	uint64_t addr;
	uint8_t level;
	uint8_t used;
	struct radix_check chk;
};

static uint64_t memo_hash(uint64_t addr, unsigned level)
{
	uint64_t h = (addr >> 2) ^ ((uint64_t)level << 58);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static struct memo_slot *memo_find(struct radix_space *sp, uint64_t addr, unsigned level, bool insert);

static void memo_grow(struct radix_space *sp)
{
	struct memo_slot *old = sp->memo;
	size_t oldcap = sp->memo_cap;
	sp->memo_cap = oldcap ? oldcap * 2 : 1024;
	sp->memo = xcalloc(sp->memo_cap, sizeof(*sp->memo));
	sp->memo_used = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].used) {
			struct memo_slot *s = memo_find(sp, old[i].addr, old[i].level, true);
			s->chk = old[i].chk;
		}
	free(old);
}

static struct memo_slot *memo_find(struct radix_space *sp, uint64_t addr, unsigned level, bool insert)
{
	if (insert && (sp->memo_used + 1) * 2 > sp->memo_cap)
		memo_grow(sp);
	if (!sp->memo_cap)
		return NULL;
	size_t mask = sp->memo_cap - 1;
	for (size_t i = memo_hash(addr, level) & mask;; i = (i + 1) & mask) {
		struct memo_slot *s = &sp->memo[i];
		if (!s->used) {
			if (!insert)
				return NULL;
			s->used = 1;
			s->addr = addr;
			s->level = (uint8_t)level;
			sp->memo_used++;
			return s;
		}
		if (s->addr == addr && s->level == level)
			return s;
	}
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static void check_table(struct analysis *a, struct radix_space *sp, uint64_t addr, unsigned level,
			struct radix_check *c)
{
	const struct radix_shape *s = &sp->shape;
	uint64_t n = level_end(sp, level);
	struct pte p;

	memset(c, 0, sizeof(*c));
	c->consistent = true;
	if (!radix_is_candidate(sp, addr, level)) {
		c->consistent = false;
		c->why = "not a candidate table at this level";
		c->bad_table = addr;
		return;
	}
	uint8_t *copy;
	const uint8_t *bytes = table_bytes(a, sp, addr, level, &copy);
	if (!bytes) {
		c->consistent = false;
		c->why = "table not wholly in RAM";
		c->bad_table = addr;
		return;
	}
	for (uint64_t i = level_first(sp, level); i < n; i++) {
		uint64_t raw = entry_at(bytes + i * s->entry_size, s->entry_size, a->pm.big_endian);
		if (!raw)
			continue;
		radix_decode(a, sp, level, raw, &p);
		if (p.kind == PTE_EMPTY)
			continue;
		if (p.kind == PTE_PAGE) {
			uint64_t pa, len, group = p.size >> s->va_shift[level];
			/*
			 * A page spanning several entries (ARM supersection, large
			 * page) is written in each of its aligned group: software
			 * must repeat the descriptor, and stray words rarely do.
			 */
			if (group > 1 && (group > n || entry_at(bytes + (i & ~(group - 1)) * s->entry_size, s->entry_size,
								   a->pm.big_endian) != raw)) {
				c->consistent = false;
				c->why = "a page spanning several entries is not repeated in all of them";
				c->bad_table = addr;
				break;
			}
			radix_page_piece(sp, level, i, &p, &pa, &len);
			if (p.user)
				c->user_bytes = sat_add(c->user_bytes, len);
			else
				c->kernel_bytes = sat_add(c->kernel_bytes, len);
			c->maps_data |= pagemap_any(&sp->data, pa, len);
			c->maps_empty |= pagemap_any(&sp->empty, pa, len);
			continue;
		}
		if (p.kind == PTE_INVALID || level + 1 >= s->levels) {
			c->consistent = false;
			c->why = p.why ? p.why : "invalid entry";
			c->bad_table = addr;
			break;
		}
		if (radix_is_candidate(sp, p.addr, level + 1)) {
			/* Copy: the memo may move while the child is checked. */
			struct radix_check sub = *radix_check(a, sp, p.addr, level + 1);
			if (!sub.consistent) {
				*c = sub;
				break;
			}
			c->kernel_bytes = sat_add(c->kernel_bytes, sub.kernel_bytes);
			c->user_bytes = sat_add(c->user_bytes, sub.user_bytes);
			c->maps_data |= sub.maps_data;
			c->maps_empty |= sub.maps_empty;
		} else if (!is_empty_table(sp, p.addr, level + 1)) {
			c->consistent = false;
			c->why = "points to a frame that is neither a next-level table nor empty";
			c->bad_table = addr;
			break;
		}
	}
	free(copy);
}

const struct radix_check *radix_check(struct analysis *a, struct radix_space *sp, uint64_t addr, unsigned level)
{
	struct memo_slot *s = memo_find(sp, addr, level, false);
	if (s)
		return &s->chk;
	struct radix_check c;
	check_table(a, sp, addr, level, &c);
	s = memo_find(sp, addr, level, true);
	s->chk = c;
	return &s->chk;
}

const char *radix_root_problem(struct analysis *a, struct radix_space *sp, uint64_t root)
{
	if (!radix_is_candidate(sp, root, 0))
		return is_empty_table(sp, root, 0) ? "an empty table: maps nothing, like any zeroed frame"
						   : "not a root-table candidate";
	const struct radix_check *c = radix_check(a, sp, root, 0);
	if (!c->consistent)
		return "inconsistent";
	if (!c->kernel_bytes && !c->user_bytes)
		return "maps nothing";
	return NULL;
}

/* ---- trees ------------------------------------------------------------- */

void radix_add_tree(struct radix_state *r, const struct radix_tree *t)
{
	VEC_PUSH(r->trees, r->ntrees, r->trees_cap, *t);
}

static int cmp_tree(const void *x, const void *y)
{
	const struct radix_tree *a = x, *b = y;
	if (a->space != b->space)
		return a->space < b->space ? -1 : 1;
	return a->root < b->root ? -1 : a->root > b->root;
}

void radix_sort_trees(struct radix_state *r)
{
	if (r->ntrees > 1) /* no tree: trees is NULL, which qsort must not get */
		qsort(r->trees, r->ntrees, sizeof(*r->trees), cmp_tree);
}

int radix_tree_index(const struct radix_state *r, uint64_t root, int space)
{
	for (size_t i = 0; r && i < r->ntrees; i++)
		if (r->trees[i].root == root && (space < 0 || (int)r->trees[i].space == space))
			return (int)i;
	return -1;
}

struct inner_walk {
	size_t cand;
	unsigned level;
};

/*
 * Drops the trees (from index first on, all of space si) whose root another
 * of them reaches below its own root: that table is part of the other tree.
 * Read one level up, a level-1 table whose one leaf happens to be aligned
 * for a larger page is a consistent tree of its own (RISC-V has no other
 * filter).  Every (table, level) is walked once, whatever number of trees
 * share it, so a link found marks its target whichever tree walks it
 * first: the only link that does not is a table's to itself (a self-map
 * entry in the root, read again one level down), which keeps the root.  A
 * root reached from a lower table of its own tree (a loop no OS builds)
 * is dropped: telling that apart from another tree sharing the lower table
 * would take a walk per tree.
 *
 * This reads the trees' tables again after radix_check did: recording
 * the links there would keep one per pointer entry of every candidate
 * checked (most never a tree's; a hostile dump may have one candidate per
 * 256 bytes of RAM), to save one read of the tables the trees reach.
 */
static void drop_nested_trees(struct analysis *a, unsigned si, size_t first)
{
	struct radix_state *r = a->radix;
	struct radix_space *sp = &r->space[si];
	unsigned L = sp->shape.levels;
	size_t words = sp->ncand / 64 + 1;
	uint64_t *inner = xcalloc(words, sizeof(uint64_t)), *seen = xcalloc(words * L, sizeof(uint64_t));
	struct inner_walk *stack = NULL;
	size_t n = 0, cap = 0;
	for (size_t t = first; t < r->ntrees; t++) {
		long rootc = cand_find(sp, r->trees[t].root);
		if (rootc < 0)
			continue;
		struct inner_walk w = {(size_t)rootc, 0};
		VEC_PUSH(stack, n, cap, w);
		while (n) {
			w = stack[--n];
			uint64_t bit = 1ULL << (w.cand % 64), *lvl_seen = seen + (size_t)w.level * words;
			if (lvl_seen[w.cand / 64] & bit || w.level + 1 >= L)
				continue;
			lvl_seen[w.cand / 64] |= bit;
			uint8_t *copy;
			const uint8_t *bytes = table_bytes(a, sp, sp->cand_addr[w.cand], w.level, &copy);
			for (uint64_t i = level_first(sp, w.level); bytes && i < level_end(sp, w.level); i++) {
				uint64_t raw = entry_at(bytes + i * sp->shape.entry_size, sp->shape.entry_size,
							a->pm.big_endian);
				struct pte p;
				if (!raw)
					continue;
				radix_decode(a, sp, w.level, raw, &p);
				long j = p.kind == PTE_TABLE ? cand_find(sp, p.addr) : -1;
				if (j < 0 || !(sp->cand_levels[j] >> (w.level + 1) & 1))
					continue;
				if ((size_t)j != w.cand)
					inner[j / 64] |= 1ULL << (j % 64);
				struct inner_walk child = {(size_t)j, w.level + 1};
				VEC_PUSH(stack, n, cap, child);
			}
			free(copy);
		}
	}
	size_t kept = first;
	for (size_t t = first; t < r->ntrees; t++) {
		long c = cand_find(sp, r->trees[t].root);
		if (c >= 0 && inner[c / 64] >> (c % 64) & 1)
			continue;
		r->trees[kept++] = r->trees[t];
	}
	r->ntrees = kept;
	free(stack);
	free(inner);
	free(seen);
}

int radix_select_generic(struct analysis *a, enum radix_start start, struct err *e)
{
	struct radix_state *r = a->radix;
	(void)e;
	for (unsigned si = 0; si < r->nspaces; si++) {
		struct radix_space *sp = &r->space[si];
		size_t first = r->ntrees;
		for (size_t i = 0; i < sp->ncand; i++) {
			if (!(sp->cand_levels[i] & 1))
				continue;
			uint64_t root = sp->cand_addr[i];
			if (radix_root_problem(a, sp, root))
				continue;
			const struct radix_check *c = radix_check(a, sp, root, 0);
			if (!c->maps_data && !(start == RADIX_START_DATA_OR_EMPTY && c->maps_empty))
				continue;
			struct radix_tree t = {.root = root, .space = si, .kernel_bytes = c->kernel_bytes,
					       .user_bytes = c->user_bytes};
			if (!c->user_bytes)
				t.flags |= RADIX_TREE_KERNEL_ONLY;
			radix_add_tree(r, &t);
		}
		drop_nested_trees(a, si, first);
		if (progress_cancelled(&a->progress))
			return err_set(e, "cancelled");
	}
	return 0;
}

int radix_need_tables(const struct analysis *a, struct err *e)
{
	if (!a->cfg.arch->radix)
		return err_set(e, "does not apply to architecture %s (it has no page-table trees)", a->cfg.arch->name);
	if (!a->radix || !a->radix->parsed)
		return err_set(e, "no tables yet: run %s first", analysis_table_step(a));
	return 0;
}

int radix_find_trees(struct analysis *a, struct err *e)
{
	struct radix_state *r = a->radix;
	double t0 = now_seconds();
	if (radix_need_tables(a, e))
		return -1;
	bool any_root = false;
	for (unsigned i = 0; i < r->nspaces; i++)
		any_root |= r->space[i].level_count[0] > 0;
	r->ntrees = 0;
	r->limit_note[0] = '\0';
	r->filter_note[0] = '\0';
	r->note[0] = '\0';
	if (!any_root) { /* zero trees, said plainly: not an error (the dump may hold none) */
		snprintf(r->note, sizeof(r->note), "no root-table candidates at all: is the MMU mode right?");
		r->found = true;
		r->find_seconds = now_seconds() - t0;
		return 0;
	}
	progress_start(&a->progress, "find_radix_trees", 0);
	int rc = a->cfg.arch->radix->select ? a->cfg.arch->radix->select(a, e)
					    : radix_select_generic(a, RADIX_START_DATA, e);
	progress_finish(&a->progress);
	if (rc)
		return -1;
	radix_sort_trees(r);
	r->found = true;
	r->find_seconds = now_seconds() - t0;
	return 0;
}

void radix_state_free(struct radix_state *r)
{
	for (unsigned i = 0; i < r->nspaces; i++) {
		struct radix_space *sp = &r->space[i];
		free(sp->cand_addr);
		free(sp->cand_levels);
		pagemap_free(&sp->empty);
		pagemap_free(&sp->data);
		free(sp->memo);
	}
	free(r->trees);
	if (r->extra && r->extra_free)
		r->extra_free(r->extra);
	memset(r, 0, sizeof(*r));
}

/* ---- physical coverage ------------------------------------------------- */

struct physq_slot {
	uint64_t key;       /* table | level, 0 when free */
	uint8_t maps;
};

static struct physq_slot *physq_slot(struct radix_physq *q, uint64_t key)
{
	if ((q->used + 1) * 2 > q->cap) {
		struct physq_slot *old = q->slots;
		size_t oldcap = q->cap;
		q->cap = oldcap ? oldcap * 2 : 256;
		q->slots = xcalloc(q->cap, sizeof(*q->slots));
		q->used = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].key)
				*physq_slot(q, old[i].key) = old[i];
		free(old);
	}
	for (size_t i = memo_hash(key, 0) & (q->cap - 1);; i = (i + 1) & (q->cap - 1)) {
		if (!q->slots[i].key) {
			q->slots[i].key = key;
			q->used++;
			return &q->slots[i];
		}
		if (q->slots[i].key == key)
			return &q->slots[i];
	}
}

void radix_physq_init(struct radix_physq *q, uint64_t pa)
{
	memset(q, 0, sizeof(*q));
	q->pa = pa;
}

void radix_physq_free(struct radix_physq *q)
{
	free(q->slots);
	memset(q, 0, sizeof(*q));
}

/* Bounded by the level count; shared subtrees are answered from the cache. */
static bool maps_phys_rec(struct analysis *a, const struct radix_space *sp, struct radix_physq *q, uint64_t table,
			  unsigned level)
{
	/* Tables are at least 8-byte aligned: the level fits in the low bits; +1 keeps key 0 free. */
	uint64_t key = (table | level) + 1;
	struct physq_slot *slot = physq_slot(q, key);
	if (slot->maps)
		return slot->maps == 2;
	slot->maps = 1; /* provisional: a cycle cannot happen (levels only grow) */
	uint64_t n = level_end(sp, level);
	bool found = false;
	struct pte p;
	uint8_t *copy;
	const uint8_t *bytes = table_bytes(a, sp, table, level, &copy);
	for (uint64_t i = level_first(sp, level); bytes && i < n && !found; i++) {
		uint64_t raw = entry_at(bytes + i * sp->shape.entry_size, sp->shape.entry_size, a->pm.big_endian);
		if (!raw)
			continue;
		radix_decode(a, sp, level, raw, &p);
		if (p.kind == PTE_PAGE) {
			uint64_t pa, len;
			radix_page_piece(sp, level, i, &p, &pa, &len);
			found = q->pa >= pa && q->pa - pa < len;
		} else if (p.kind == PTE_TABLE && level + 1 < sp->shape.levels && radix_is_candidate(sp, p.addr, level + 1))
			found = maps_phys_rec(a, sp, q, p.addr, level + 1);
	}
	free(copy);
	physq_slot(q, key)->maps = found ? 2 : 1;
	return found;
}

bool radix_physq_maps(struct analysis *a, const struct radix_space *sp, struct radix_physq *q, uint64_t root)
{
	return maps_phys_rec(a, sp, q, root, 0);
}

bool radix_maps_phys(struct analysis *a, const struct radix_space *sp, uint64_t root, uint64_t pa)
{
	struct radix_physq q;
	radix_physq_init(&q, pa);
	bool r = radix_physq_maps(a, sp, &q, root);
	radix_physq_free(&q);
	return r;
}

/* ---- summaries --------------------------------------------------------- */

struct sumq_slot {
	uint64_t table;
	uint32_t acc;
	uint8_t level;
	uint8_t state;      /* 0 free, 1 being computed, 2 computed */
	unsigned bits;
};

static uint64_t sumq_hash(uint64_t table, unsigned level, uint32_t acc)
{
	return memo_hash(table ^ ((uint64_t)acc << 40), level);
}

static struct sumq_slot *sumq_slot(struct radix_sumq *q, uint64_t table, unsigned level, uint32_t acc)
{
	if ((q->used + 1) * 2 > q->cap) {
		struct sumq_slot *old = q->slots;
		size_t oldcap = q->cap;
		q->cap = oldcap ? oldcap * 2 : 256;
		q->slots = xcalloc(q->cap, sizeof(*q->slots));
		q->used = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].state)
				*sumq_slot(q, old[i].table, old[i].level, old[i].acc) = old[i];
		free(old);
	}
	for (size_t i = sumq_hash(table, level, acc) & (q->cap - 1);; i = (i + 1) & (q->cap - 1)) {
		struct sumq_slot *sl = &q->slots[i];
		if (!sl->state) {
			*sl = (struct sumq_slot){table, acc, (uint8_t)level, 1, 0};
			q->used++;
			return sl;
		}
		if (sl->table == table && sl->level == level && sl->acc == acc)
			return sl;
	}
}

void radix_sumq_init(struct radix_sumq *q, unsigned (*leaf)(void *, uint64_t, uint64_t, unsigned), void *ctx,
		     unsigned all)
{
	memset(q, 0, sizeof(*q));
	q->leaf = leaf;
	q->ctx = ctx;
	q->all = all;
}

void radix_sumq_free(struct radix_sumq *q)
{
	free(q->slots);
	memset(q, 0, sizeof(*q));
}

/* Walks candidate tables only, like radix_check: what a consistent tree maps. */
static unsigned sumq_rec(const struct analysis *a, const struct radix_space *sp, struct radix_sumq *q,
			 uint64_t table, unsigned level, uint32_t acc)
{
	struct sumq_slot *slot = sumq_slot(q, table, level, acc);
	if (slot->state == 2)
		return slot->bits;
	const struct radix_shape *s = &sp->shape;
	const struct radix_ops *ops = a->cfg.arch->radix;
	uint64_t n = level_end(sp, level);
	unsigned bits = 0;
	struct pte p;
	uint8_t *copy;
	const uint8_t *bytes = table_bytes(a, sp, table, level, &copy);
	for (uint64_t i = level_first(sp, level); bytes && i < n && (bits & q->all) != q->all; i++) {
		uint64_t raw = entry_at(bytes + i * s->entry_size, s->entry_size, a->pm.big_endian);
		if (!raw)
			continue;
		radix_decode(a, sp, level, raw, &p);
		if (p.kind == PTE_PAGE) {
			uint64_t pa, len;
			radix_page_piece(sp, level, i, &p, &pa, &len);
			bits |= q->leaf(q->ctx, pa, len, ops->leaf_perms(s, acc, &p));
		} else if (p.kind == PTE_TABLE && level + 1 < s->levels && radix_is_candidate(sp, p.addr, level + 1)) {
			bits |= sumq_rec(a, sp, q, p.addr, level + 1, ops->descend(s, acc, &p));
		}
	}
	free(copy);
	/* Look the slot up again: the recursion may have moved the table. */
	slot = sumq_slot(q, table, level, acc);
	slot->state = 2;
	slot->bits = bits;
	return bits;
}

unsigned radix_sumq_tree(const struct analysis *a, const struct radix_space *sp, struct radix_sumq *q, uint64_t root)
{
	return sumq_rec(a, sp, q, root, 0, a->cfg.arch->radix->root_attr);
}

/* ---- walks ------------------------------------------------------------- */

uint64_t radix_va(const struct radix_space *sp, uint64_t va)
{
	const struct radix_shape *s = &sp->shape;
	if (s->va_bits < 64)
		va &= (1ULL << s->va_bits) - 1;
	if (s->va_signed)
		return sign_extend(va, s->va_bits - 1);
	return va | s->va_upper;
}

uint64_t radix_va_last(const struct radix_space *sp)
{
	const struct radix_shape *s = &sp->shape;
	if (s->va_bits >= 64 || s->va_signed || s->va_upper)
		return UINT64_MAX;
	return (1ULL << s->va_bits) - 1;
}

static bool va_canonical(const struct radix_space *sp, uint64_t va)
{
	return radix_va(sp, va) == va;
}

void radix_resolve(const struct analysis *a, const struct radix_space *sp, uint64_t root, uint64_t va,
		   struct radix_walk *w)
{
	const struct radix_shape *s = &sp->shape;
	const struct radix_ops *ops = a->cfg.arch->radix;
	uint64_t table = root;
	uint32_t acc = ops->root_attr;

	memset(w, 0, sizeof(*w));
	if (!va_canonical(sp, va)) {
		w->why = "not an address this tree translates (not canonical)";
		return;
	}
	if (s->va_limit && (s->va_bits < 64 ? va & ((1ULL << s->va_bits) - 1) : va) >= s->va_limit) {
		w->why = "above the range this root translates (the other root's)";
		return;
	}
	for (unsigned k = 0; k < s->levels; k++) {
		struct radix_walk_step *st = &w->step[w->nsteps];
		uint64_t idx = (va >> s->va_shift[k]) & (radix_entries(sp, k) - 1);
		st->level = k;
		st->table = table;
		st->index = idx;
		st->entry_addr = table + idx * s->entry_size;
		if (k == 0 && idx < s->top_skip) {
			w->why = "below the range this root translates";
			return;
		}
		if (!radix_read_entry(a, sp, table, idx, &st->raw)) {
			w->why = "table not in RAM";
			return;
		}
		w->nsteps++;
		radix_decode(a, sp, k, st->raw, &st->pte);
		switch (st->pte.kind) {
		case PTE_EMPTY:
			w->why = "not mapped (empty entry)";
			return;
		case PTE_INVALID:
			w->why = st->pte.why ? st->pte.why : "invalid entry";
			return;
		case PTE_TABLE:
			if (k + 1 >= s->levels) {
				w->why = "table pointer at the last level";
				return;
			}
			acc = ops->descend(s, acc, &st->pte);
			table = st->pte.addr;
			break;
		case PTE_PAGE:
			w->ok = true;
			w->pa = st->pte.addr + (va & (st->pte.size - 1));
			w->perms = ops->leaf_perms(s, acc, &st->pte);
			return;
		}
	}
	w->why = "walk did not end at a page";
}

static void vas_add(struct vas *v, uint64_t va, uint64_t size, uint64_t pa, unsigned perms)
{
	v->pages++;
	if (v->n) {
		struct vrange *l = &v->r[v->n - 1];
		if (l->va + l->size == va && l->pa + l->size == pa && l->perms == perms) {
			l->size += size;
			return;
		}
	}
	if (v->n >= v->max_ranges) {
		v->truncated = true;
		v->why = "too many ranges";
		return;
	}
	struct vrange r = {va, size, pa, perms};
	VEC_PUSH(v->r, v->n, v->cap, r);
}

/* Recursion as deep as the levels; the entries read are bounded, as tables may be shared any number of times. */
static void vas_rec(const struct analysis *a, const struct radix_space *sp, uint64_t table, unsigned level,
		    uint64_t prefix, uint32_t acc, uint64_t max_entries, struct vas *v)
{
	const struct radix_shape *s = &sp->shape;
	const struct radix_ops *ops = a->cfg.arch->radix;
	uint64_t n = level_end(sp, level);
	struct pte p;
	uint8_t *copy;
	if (v->entries + n > max_entries) {
		v->truncated = true;
		v->why = "too many entries to read";
		return;
	}
	v->entries += n;
	const uint8_t *bytes = table_bytes(a, sp, table, level, &copy);
	for (uint64_t i = level_first(sp, level); bytes && i < n && !v->truncated; i++) {
		uint64_t raw = entry_at(bytes + i * s->entry_size, s->entry_size, a->pm.big_endian);
		if (!raw)
			continue;
		uint64_t va = prefix | (i << s->va_shift[level]);
		if (s->va_limit && va >= s->va_limit)
			break;
		radix_decode(a, sp, level, raw, &p);
		if (p.kind == PTE_PAGE) {
			uint64_t pa, len;
			radix_page_piece(sp, level, i, &p, &pa, &len);
			if (s->va_limit && s->va_limit - va < len)
				len = s->va_limit - va;
			vas_add(v, radix_va(sp, va), len, pa, ops->leaf_perms(s, acc, &p));
		} else if (p.kind == PTE_TABLE && level + 1 < s->levels)
			vas_rec(a, sp, p.addr, level + 1, va, ops->descend(s, acc, &p), max_entries, v);
	}
	free(copy);
}

void radix_vas_bounded(const struct analysis *a, const struct radix_space *sp, uint64_t root, uint64_t max_entries,
		       struct vas *out)
{
	memset(out, 0, sizeof(*out));
	out->max_ranges = MMU_MIN(radix_limits.vas_max_ranges,
				  MMU_MAX(radix_limits.vas_min_ranges, a->pm.ram_bytes / radix_limits.vas_range_bytes));
	if (physmem_range_is_ram(&a->pm, root, sp->shape.table_size[0]))
		vas_rec(a, sp, root, 0, 0, a->cfg.arch->radix->root_attr, max_entries, out);
}

void radix_vas(const struct analysis *a, const struct radix_space *sp, uint64_t root, struct vas *out)
{
	radix_vas_bounded(a, sp, root, radix_limits.vas_max_entries, out);
}

void vas_free(struct vas *v)
{
	free(v->r);
	memset(v, 0, sizeof(*v));
}
