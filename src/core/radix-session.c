/*
 * Section RADX: candidate tables, empty/data maps and trees of every tree
 * kind, plus the architecture's scan extras (Intel IDTs).  Memoised checks
 * are not saved: they are recomputed on demand.  Shapes are not trusted
 * from the file: they are derived again and must match.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "radix-session.h"
#include "radix.h"

static bool present(const struct analysis *a)
{
	return a->radix && a->radix->parsed;
}

static void save_shape(struct sess_w *w, const struct radix_shape *s)
{
	sw_u32(w, s->levels);
	sw_u32(w, s->entry_size);
	for (unsigned k = 0; k < RADIX_MAX_LEVELS; k++) {
		sw_u64(w, s->table_size[k]);
		sw_u32(w, s->va_shift[k]);
	}
	sw_u32(w, s->va_bits);
	sw_u64(w, s->va_upper);
	sw_u32(w, s->top_skip);
}

static bool same_shape(struct sess_r *r, const struct radix_shape *s)
{
	bool same = sr_u32(r) == s->levels && sr_u32(r) == s->entry_size;
	for (unsigned k = 0; k < RADIX_MAX_LEVELS; k++) {
		same &= sr_u64(r) == s->table_size[k];
		same &= sr_u32(r) == s->va_shift[k];
	}
	same &= sr_u32(r) == s->va_bits;
	same &= sr_u64(r) == s->va_upper;
	same &= sr_u32(r) == s->top_skip;
	return same;
}

static void save_bits(struct sess_w *w, const struct pagemap *m)
{
	uint64_t words = m->fs.total / 64 + 1;
	sw_u64(w, words);
	for (uint64_t i = 0; i < words; i++)
		sw_u64(w, m->bits[i]);
}

static bool load_bits(struct sess_r *r, struct pagemap *m)
{
	uint64_t words = m->fs.total / 64 + 1;
	if (sr_count(r, 8) != words)
		return false;
	for (uint64_t i = 0; i < words; i++)
		m->bits[i] = sr_u64(r);
	return !r->bad;
}

static void save(const struct analysis *a, struct sess_w *w)
{
	const struct radix_state *st = a->radix;
	const struct radix_ops *ops = a->cfg.arch->radix;
	sw_u32(w, st->nspaces);
	sw_u8(w, st->found);
	sw_f64(w, st->scan_seconds);
	sw_f64(w, st->prune_seconds);
	sw_f64(w, st->find_seconds);
	sw_u64(w, st->data_blocks);
	sw_u64(w, st->empty_blocks);
	for (unsigned i = 0; i < st->nspaces; i++) {
		const struct radix_space *sp = &st->space[i];
		save_shape(w, &sp->shape);
		for (unsigned k = 0; k < RADIX_MAX_LEVELS; k++) {
			sw_u64(w, sp->level_count[k]);
			sw_u64(w, sp->level_count_scan[k]);
		}
		sw_u64(w, sp->ncand);
		/* Deltas: sorted addresses compress far better that way. */
		uint64_t prev = 0;
		for (size_t c = 0; c < sp->ncand; c++) {
			sw_u64(w, sp->cand_addr[c] - prev);
			prev = sp->cand_addr[c];
		}
		sw_bytes(w, sp->cand_levels, sp->ncand);
		save_bits(w, &sp->empty);
		save_bits(w, &sp->data);
	}
	sw_u64(w, st->ntrees);
	for (size_t i = 0; i < st->ntrees; i++) {
		const struct radix_tree *t = &st->trees[i];
		sw_u64(w, t->root);
		sw_u32(w, t->space);
		sw_u64(w, t->kernel_bytes);
		sw_u64(w, t->user_bytes);
		sw_u32(w, t->flags);
		sw_u64(w, t->anchor);
		sw_u8(w, t->has_anchor);
		sw_u32(w, t->anchor_errors);
	}
	bool extra = st->extra && ops->extra_save;
	sw_u8(w, extra);
	if (extra)
		ops->extra_save(st->extra, w);
}

static int load_space(struct analysis *a, struct sess_r *r, struct radix_space *sp, struct err *e)
{
	if (!same_shape(r, &sp->shape))
		return r->bad ? -1 : err_set(e, "tree shapes differ from this configuration (registers changed?)");
	for (unsigned k = 0; k < RADIX_MAX_LEVELS; k++) {
		sp->level_count[k] = sr_u64(r);
		sp->level_count_scan[k] = sr_u64(r);
	}
	uint64_t n = sr_count(r, 9);
	if (r->bad)
		return -1;
	sp->ncand = (size_t)n;
	sp->cand_addr = xreallocarray(NULL, n + 1, sizeof(uint64_t));
	sp->cand_levels = xmalloc(n + 1);
	uint64_t prev = 0;
	uint8_t all = (uint8_t)((1u << sp->shape.levels) - 1);
	for (size_t c = 0; c < n; c++) {
		uint64_t d = sr_u64(r);
		/* Strictly increasing, or lookups by bisection would lie. */
		if ((c && d == 0) || prev + d < prev)
			return err_set(e, "candidate tables out of order");
		sp->cand_addr[c] = prev += d;
	}
	if (!sr_bytes(r, sp->cand_levels, n))
		return -1;
	for (size_t c = 0; c < n; c++)
		if (!sp->cand_levels[c] || (sp->cand_levels[c] & ~all))
			return err_set(e, "candidate table with impossible levels");
	pagemap_init(&sp->empty, &a->pm, sp->block);
	pagemap_init(&sp->data, &a->pm, sp->data_block);
	if (!load_bits(r, &sp->empty) || !load_bits(r, &sp->data))
		return r->bad ? -1 : err_set(e, "page maps do not fit this dump");
	return 0;
}

static int load(struct analysis *a, struct sess_r *r, struct err *e)
{
	const struct radix_ops *ops = a->cfg.arch->radix;
	struct radix_shape shapes[RADIX_MAX_SHAPES];
	unsigned n = RADIX_MAX_SHAPES;
	if (!ops)
		return err_set(e, "page tables saved for an architecture without them");
	memset(shapes, 0, sizeof(shapes));
	if (ops->shapes(a, shapes, &n, e))
		return -1;
	struct radix_state *st = xcalloc(1, sizeof(*st));
	int rc = -1;
	if (sr_u32(r) != n) {
		err_set(e, "tree kinds differ from this configuration");
		goto fail;
	}
	st->nspaces = n;
	st->parsed = true;
	st->found = sr_u8(r);
	st->scan_seconds = sr_f64(r);
	st->prune_seconds = sr_f64(r);
	st->find_seconds = sr_f64(r);
	st->data_blocks = sr_u64(r);
	st->empty_blocks = sr_u64(r);
	for (unsigned i = 0; i < n; i++) {
		struct radix_space *sp = &st->space[i];
		sp->shape = shapes[i];
		radix_space_geometry(sp);
		if (load_space(a, r, sp, e)) {
			if (r->bad)
				err_set(e, "cut short");
			goto fail;
		}
	}
	uint64_t nt = sr_count(r, 45);
	for (uint64_t i = 0; i < nt && !r->bad; i++) {
		struct radix_tree t = {0};
		t.root = sr_u64(r);
		t.space = sr_u32(r);
		t.kernel_bytes = sr_u64(r);
		t.user_bytes = sr_u64(r);
		t.flags = sr_u32(r);
		t.anchor = sr_u64(r);
		t.has_anchor = sr_u8(r);
		t.anchor_errors = sr_u32(r);
		if (t.space >= n) {
			err_set(e, "tree of an unknown kind");
			goto fail;
		}
		radix_add_tree(st, &t);
	}
	if (sr_u8(r)) {
		if (!ops->extra_load) {
			err_set(e, "architecture scan results this version cannot read");
			goto fail;
		}
		if (ops->extra_load(a, st, r, e))
			goto fail;
	}
	if (r->bad) {
		err_set(e, "cut short");
		goto fail;
	}
	if (a->radix) {
		radix_state_free(a->radix);
		free(a->radix);
	}
	a->radix = st;
	return 0;
fail:
	radix_state_free(st);
	free(st);
	return rc;
}

const struct session_section radix_session_section = {
	.tag = SESSION_TAG('R', 'A', 'D', 'X'),
	.name = "RADX (page tables)",
	.present = present,
	.save = save,
	.load = load,
};
