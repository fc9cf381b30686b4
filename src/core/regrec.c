#include "autoconfig.h"

#include "regrec.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "config.h"
#include "gtruth.h"
#include "physmem.h"
#include "progress.h"
#include "scan.h"
#include "session.h"

const struct regrec_ops *regrec_ops_of(const struct analysis *a)
{
	return a->cfg.arch ? a->cfg.arch->regrec : NULL;
}

/* ---- register descriptions ---- */

const struct regrec_reg *regrec_reg_find(const struct regrec_ops *ops, const char *name)
{
	for (size_t i = 0; ops && i < ops->nregs; i++)
		if (!strcasecmp_ascii(ops->regs[i].name, name))
			return &ops->regs[i];
	return NULL;
}

const struct regrec_reg *regrec_reg_by_set_command(const struct regrec_ops *ops, const char *cmd)
{
	for (size_t i = 0; ops && i < ops->nregs; i++)
		if (ops->regs[i].set_command && !strcmp(ops->regs[i].set_command, cmd))
			return &ops->regs[i];
	return NULL;
}

const struct regrec_layout *regrec_layout_of(const struct regrec_reg *r, uint64_t value)
{
	if (r->selector && (value & r->selector) && r->layouts[1])
		return r->layouts[1];
	return r->layouts[0];
}

static uint64_t field_mask(const struct regrec_field *f)
{
	return mask_bits(f->hi, f->lo);
}

static uint64_t layout_bits(const struct regrec_layout *l, unsigned flags)
{
	uint64_t m = 0;
	for (size_t i = 0; i < l->nfields; i++)
		if (l->fields[i].flags & flags)
			m |= field_mask(&l->fields[i]);
	return m;
}

uint64_t regrec_needed(const struct regrec_reg *r, uint64_t value, uint64_t unknown)
{
	if (r->selector && (unknown & r->selector))
		return ~0ULL;
	return r->selector | layout_bits(regrec_layout_of(r, value), RF_KEY);
}

/* Bits that decide MMU equivalence, for grouping. */
static uint64_t equiv_bits(const struct regrec_reg *r, uint64_t value, uint64_t unknown)
{
	if (r->selector && (unknown & r->selector)) {
		uint64_t m = r->selector;
		for (int i = 0; i < 2; i++)
			if (r->layouts[i])
				m |= layout_bits(r->layouts[i], RF_KEY | RF_EQUIV);
		return m;
	}
	return r->selector | layout_bits(regrec_layout_of(r, value), RF_KEY | RF_EQUIV);
}

const char *regrec_check(const struct regrec_reg *r, uint64_t value, uint64_t unknown)
{
	static _Thread_local char why[96];
	if (r->bits < 64 && (value & ~tnum_wmask(r->bits)))
		return "wider than the register";
	const struct regrec_layout *l = regrec_layout_of(r, value);
	uint64_t res0 = layout_bits(l, RF_RES0) & value & ~unknown;
	if (res0) {
		snprintf(why, sizeof(why), "reserved bits set (0x%llx)", (unsigned long long)res0);
		return why;
	}
	return l->check ? l->check(value, unknown) : NULL;
}

const char *regrec_check_machine(const struct regrec_reg *r, const struct machine_config *cfg, uint64_t value,
				 uint64_t unknown)
{
	const char *why = regrec_check(r, value, unknown);
	const struct regrec_layout *l = regrec_layout_of(r, value);
	return why || !cfg || !l->check_machine ? why : l->check_machine(cfg, value, unknown);
}

const char *regrec_unusable(const struct regrec_reg *r, const struct machine_config *cfg, uint64_t value,
			    uint64_t unknown)
{
	const struct regrec_layout *l = regrec_layout_of(r, value);
	return l->unusable ? l->unusable(cfg, value, unknown) : NULL;
}

int regrec_selected(const struct regrec_regres *rr)
{
	for (size_t i = 0; i < rr->ncands; i++)
		if (rr->cands[i].usable)
			return (int)i;
	return -1;
}

uint64_t regrec_cand_unknown(const struct regrec_cand *k)
{
	uint64_t u = 0;
	for (size_t i = 0; i < k->nelems; i++)
		u |= k->elems[i].unknown;
	return k->nelems ? u : k->unknown;
}

uint64_t regrec_cand_differing(const struct regrec_cand *k)
{
	return k->unknown & ~regrec_cand_unknown(k);
}

#define CLASS_VALUES_SHOWN 4

void regrec_format_class(const struct regrec_reg *r, const struct regrec_cand *k, struct sbuf *out)
{
	const struct regrec_layout *l = regrec_layout_of(r, k->value);
	sbuf_printf(out, "%zu values, equal in ", k->nelems);
	bool first = true;
	for (size_t i = 0; i < l->nfields; i++)
		if (l->fields[i].flags & (RF_KEY | RF_EQUIV)) {
			sbuf_printf(out, "%s%s", first ? "" : ", ", l->fields[i].name);
			first = false;
		}
	for (size_t i = 0; i < k->nelems && i < CLASS_VALUES_SHOWN; i++)
		sbuf_printf(out, "%s0x%llx", i ? ", " : ": ", (unsigned long long)k->elems[i].value);
	if (k->nelems > CLASS_VALUES_SHOWN)
		sbuf_printf(out, ", ...");
}

size_t regrec_field_list(const struct regrec_reg *r, uint64_t value, uint64_t unknown,
			 struct regrec_field_val out[REGREC_MAX_FIELDS])
{
	const struct regrec_layout *l = regrec_layout_of(r, value);
	size_t n = 0;
	for (size_t i = 0; i < l->nfields && n < REGREC_MAX_FIELDS; i++) {
		const struct regrec_field *f = &l->fields[i];
		if (f->flags & RF_RES0)
			continue;
		uint64_t m = field_mask(f);
		bool known = !(unknown & m);
		out[n++] = (struct regrec_field_val){f->name, m, known ? bits_get(value, f->hi, f->lo) : 0, known, f->flags};
	}
	return n;
}

int regrec_field_text(const struct regrec_field_val *f, char *buf, size_t len)
{
	if (!f->known)
		return snprintf(buf, len, "%s:?", f->name);
	return snprintf(buf, len, "%s:0x%llx", f->name, (unsigned long long)f->value);
}

void regrec_format_fields(const struct regrec_reg *r, uint64_t value, uint64_t unknown, bool key_only, struct sbuf *out)
{
	struct regrec_field_val f[REGREC_MAX_FIELDS];
	size_t n = regrec_field_list(r, value, unknown, f);
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (key_only && !(f[i].flags & (RF_KEY | RF_EQUIV)))
			continue;
		char t[96];
		regrec_field_text(&f[i], t, sizeof(t));
		sbuf_printf(out, "%s%s", first ? "" : ", ", t);
		first = false;
	}
}

unsigned regrec_score(const struct regrec_reg *r, uint64_t value, uint64_t unknown, uint64_t truth, unsigned *of)
{
	const struct regrec_layout *l = regrec_layout_of(r, truth);
	unsigned n = 0, k = 0;
	for (size_t i = 0; i < l->nfields; i++) {
		const struct regrec_field *f = &l->fields[i];
		if (!(f->flags & RF_KEY))
			continue;
		k++;
		uint64_t m = field_mask(f);
		if (!(unknown & m) && !((value ^ truth) & m))
			n++;
	}
	if (of)
		*of = k;
	return n;
}

/* ---- site scan ---- */

/* Address first; the rest only makes the order total (the cap keeps a prefix of it). */
static int cmp_site(const void *a, const void *b)
{
	const struct regrec_site *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->isa != y->isa)
		return x->isa - y->isa;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	if (x->sysreg != y->sysreg)
		return x->sysreg < y->sysreg ? -1 : 1;
	if (x->src != y->src)
		return x->src - y->src;
	return x->src2 - y->src2;
}

void regrec_scan_buffer(const struct regrec_ops *ops, const struct regrec_scan_opts *o, uint64_t addr,
			const uint8_t *p, size_t len, struct regrec_sites *out)
{
	ops->scan(o, addr, p, len, NULL, 0, out);
}

/*
 * A dump made of nothing but site patterns must not make the site list
 * larger than a small fraction of the dump: register accesses and
 * control-flow sites (returns, branches: far more common) have separate
 * caps, and what is over them is counted, not kept.  The cap keeps the
 * first sites by address, applied once to the merged list, so the result
 * never depends on the number of threads.
 *
 * Each scan worker covers a contiguous range of frames, in address order,
 * and so only needs the sites a cap this size could keep: it leaves out a
 * frame's sites of one class when the lower workers' ranges and its own
 * earlier frames already hold a cap's worth of them (those all come
 * first).  A worker thus keeps at most its cap plus one frame, and worker
 * i about cap/(i+1) when all are full: the caps times log(threads) in all.
 */
enum { SITE_REG, SITE_FLOW, SITE_CLASSES };

struct worker_sites {
	struct regrec_sites s;
	size_t found[SITE_CLASSES];         /* sites the scan found, kept or not */
	size_t lower[SITE_CLASSES];         /* a past sum of the lower workers' published counts */
	unsigned frames;                    /* scanned so far */
	atomic_size_t published[SITE_CLASSES]; /* found[], for the higher workers */
};

struct scan_ctx {
	const struct regrec_ops *ops;
	const struct physmem *pm;
	struct regrec_scan_opts o;
	struct worker_sites *per_worker;    /* the scan workers, then one for the region edges */
	unsigned nworkers;                  /* scan workers */
	size_t cap[SITE_CLASSES];
};

/* The lower workers' counts are re-read this often (a stale sum only keeps more). */
#define SITE_LOWER_EVERY 64

static int site_class(uint8_t kind)
{
	return kind == RR_RET || kind == RR_ERET || kind == RR_BR || kind == RR_BLR ? SITE_FLOW : SITE_REG;
}

static void refresh_lower(struct scan_ctx *c, unsigned w)
{
	struct worker_sites *ws = &c->per_worker[w];
	if (w >= c->nworkers || ws->frames++ % SITE_LOWER_EVERY)
		return;
	for (int k = 0; k < SITE_CLASSES; k++) {
		size_t sum = 0;
		for (unsigned j = 0; j < w && sum < c->cap[k]; j++)
			sum += atomic_load_explicit(&c->per_worker[j].published[k], memory_order_relaxed);
		ws->lower[k] = sum;
	}
}

/* The sites from index 'from' on came from one frame (or edge piece) after all the worker's earlier ones. */
static void keep_needed(struct scan_ctx *c, unsigned w, size_t from)
{
	struct worker_sites *ws = &c->per_worker[w];
	bool keep[SITE_CLASSES];
	refresh_lower(c, w);
	for (int k = 0; k < SITE_CLASSES; k++)
		keep[k] = ws->lower[k] + ws->found[k] < c->cap[k];
	size_t n = from;
	for (size_t i = from; i < ws->s.n; i++) {
		int k = site_class(ws->s.v[i].kind);
		ws->found[k]++;
		if (keep[k])
			ws->s.v[n++] = ws->s.v[i];
	}
	ws->s.n = n;
	for (int k = 0; k < SITE_CLASSES; k++)
		atomic_store_explicit(&ws->published[k], ws->found[k], memory_order_relaxed);
}

static void scan_one(void *arg, unsigned worker, uint64_t addr, const uint8_t *frame)
{
	struct scan_ctx *c = arg;
	struct worker_sites *ws = &c->per_worker[worker];
	uint64_t fs = c->ops->frame_size;
	uint8_t next[4];
	size_t nn = physmem_read(c->pm, addr + fs, next, sizeof(next)), n0 = ws->s.n;
	c->ops->scan(&c->o, addr, frame, fs, nn ? next : NULL, nn, &ws->s);
	keep_needed(c, worker, n0);
}

static void scan_piece(struct scan_ctx *c, uint64_t from, uint64_t to, uint8_t *buf)
{
	uint64_t fs = c->ops->frame_size;
	struct worker_sites *ws = &c->per_worker[c->nworkers];
	for (uint64_t a = from; a < to;) {
		uint64_t n = MMU_MIN(fs, to - a);
		size_t got = physmem_read(c->pm, a, buf, (size_t)n + 4), n0 = ws->s.n;
		if (got < n)
			return;
		c->ops->scan(&c->o, a, buf, (size_t)n, got > n ? buf + n : NULL, got - (size_t)n, &ws->s);
		keep_needed(c, c->nworkers, n0);
		a += n;
	}
}

/* The RAM the site scan covers: below ops->max_addr when it is not 0. */
static void scanned_ram(const struct physmem *pm, const struct regrec_ops *ops, struct ivset *out)
{
	ivset_init(out);
	ivset_copy(out, &pm->ram);
	if (ops->max_addr)
		ivset_remove(out, ops->max_addr, UINT64_MAX);
}

/* RAM (the scanned part) the frame scan does not cover: the ends of regions not aligned to frames. */
static void scan_edges(struct scan_ctx *c, const struct ivset *ram)
{
	uint64_t fs = c->ops->frame_size;
	uint8_t *buf = xmalloc(fs + 4);
	for (size_t i = 0; i < ram->n; i++) {
		uint64_t s = ram->v[i].start, l = ram->v[i].last;
		if (l == UINT64_MAX)
			l--;
		uint64_t first = (s + fs - 1) & ~(fs - 1), end = (l + 1) & ~(fs - 1);
		if (first < s || first >= end) {
			scan_piece(c, s, l + 1, buf);
			continue;
		}
		scan_piece(c, s, first, buf);
		scan_piece(c, end, l + 1, buf);
	}
	free(buf);
}

/* Sorted sites -> the first cap[k] of each class; returns how many were left out. */
static size_t cap_sites(struct regrec_sites *v, const size_t cap[SITE_CLASSES])
{
	size_t kept[SITE_CLASSES] = {0}, n = 0;
	for (size_t i = 0; i < v->n; i++) {
		int k = site_class(v->v[i].kind);
		if (kept[k] < cap[k]) {
			kept[k]++;
			v->v[n++] = v->v[i];
		}
	}
	size_t left = v->n - n;
	v->n = n;
	return left;
}

static int scan_sites(struct analysis *a, const struct regrec_ops *ops, const struct regrec_scan_opts *o,
		      const struct ivset *ram, struct regrec_sites *out, uint64_t *dropped, struct err *e)
{
	unsigned n = (unsigned)(a->threads > 0 ? a->threads : 1);
	/* 16 bytes a site: at most about 0.4% (registers) and 6% (control flow) of the dump. */
	struct scan_ctx c = {.ops = ops, .pm = &a->pm, .o = *o, .nworkers = n,
			     .per_worker = xcalloc(n + 1, sizeof(struct worker_sites)),
			     .cap = {[SITE_REG] = (size_t)MMU_MAX((uint64_t)1 << 16, a->pm.ram_bytes >> 12),
				     [SITE_FLOW] = (size_t)MMU_MAX((uint64_t)1 << 20, a->pm.ram_bytes >> 8)}};
	struct scan_job job = {.pm = &a->pm, .frame_size = ops->frame_size, .max_addr = ops->max_addr, .workers = n,
			       .fn = scan_one, .ctx = &c, .progress = &a->progress};
	int rc = scan_frames(&job, e);
	if (!rc)
		scan_edges(&c, ram);
	uint64_t found = 0;
	for (unsigned i = 0; i <= n; i++) {
		struct worker_sites *ws = &c.per_worker[i];
		for (size_t k = 0; k < ws->s.n; k++)
			VEC_PUSH(out->v, out->n, out->cap, ws->s.v[k]);
		free(ws->s.v);
		found += ws->found[SITE_REG] + ws->found[SITE_FLOW];
	}
	free(c.per_worker);
	if (rc)
		return rc;
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_site);
	cap_sites(out, c.cap);
	*dropped = found - out->n;
	return 0;
}

/* ---- per-site analysis ---- */

struct rr_env {
	struct df_env env;
	const struct analysis *a;
	const struct regrec_ops *ops;
	bool assume_reset;
};

/* The YAML's value, else (--assume-reset) the reset value of an analysed register. */
static bool sysreg_value(const struct df_env *env, uint32_t key, uint64_t *value)
{
	const struct rr_env *r = env->ctx;
	if (df_sysreg_from_config(env, key, value))
		return true;
	char buf[48];
	const char *name = env->isa->sysreg_name ? env->isa->sysreg_name(key, buf, sizeof(buf)) : NULL;
	const struct regrec_reg *reg = r->assume_reset && name ? regrec_reg_find(r->ops, name) : NULL;
	if (!reg || !reg->has_reset)
		return false;
	*value = reg->reset;
	return true;
}

struct job {
	const struct regrec_site *site;
	struct regrec_site_res *res;
};

/*
 * Decoded instructions a worker keeps between sites: at most the code
 * within the region distance limit (64 KiB of 2-byte Thumb), and no more
 * than the run's sites can decode (max_insns each: a site's walk back to
 * its region start reads code its analysis decodes again).
 */
#define RR_CODE_CACHE 32768

struct pool {
	const struct regrec_ops *ops;
	struct rr_env *envs;      /* one per ISA */
	struct job *jobs;
	size_t njobs;
	uint64_t budget;          /* of the whole run */
	struct chunk *chunks;
	size_t nchunks;
	size_t code_cache;        /* entries of each worker's decode cache */
	atomic_size_t next;       /* next chunk to take */
	struct progress *progress;
};

struct chunk {
	size_t first, end;
	uint64_t budget, used;
	uint32_t skipped;         /* sites left out when the budget ran out */
};

/*
 * One chunk, in address order: each walk can stop where the previous site's
 * walk began (df_hint), and neighbouring sites share decoded code.
 */
static void run_chunk(struct pool *p, struct chunk *c, struct df_worker *w)
{
	struct df_hint *hint = xcalloc(p->ops->nisas, sizeof(*hint));
	bool *have = xcalloc(p->ops->nisas, sizeof(*have));
	for (size_t i = c->first; i < c->end && !progress_cancelled(p->progress); i++) {
		const struct regrec_site *s = p->jobs[i].site;
		struct df_result *r = &p->jobs[i].res->r;
		progress_add(p->progress, 1);
		if (c->used >= c->budget) {
			memset(r, 0, sizeof(*r));
			r->status = DF_RUN_BUDGET;
			c->skipped++;
			continue;
		}
		uint64_t at = regrec_code_addr(p->ops, s->addr);
		uint8_t q[2] = {s->src, s->src2};
		df_analyse_hinted(w, &p->envs[s->isa].env, at, q, s->src2 == DF_REG_NONE ? 1 : 2,
				  have[s->isa] ? &hint[s->isa] : NULL, r);
		c->used += (uint64_t)r->insns + r->evals;
		/* Every outcome but an undecodable site comes from a finished walk. */
		if (r->status != DF_SITE_UNDECODABLE) {
			hint[s->isa] = (struct df_hint){at, r->start, r->walk_steps, r->status == DF_NO_START ? DF_NO_START : DF_OK};
			have[s->isa] = true;
		}
	}
	free(hint);
	free(have);
}

static void *pool_main(void *arg)
{
	struct pool *p = arg;
	struct df_worker *w = df_worker_new();
	df_worker_cache_code(w, p->code_cache);
	for (;;) {
		size_t k = atomic_fetch_add(&p->next, 1);
		if (k >= p->nchunks)
			break;
		run_chunk(p, &p->chunks[k], w);
	}
	df_worker_free(w);
	return NULL;
}

static void run_pool(struct pool *p, unsigned threads)
{
	p->nchunks = MMU_MIN(p->njobs, (size_t)RR_RUN_CHUNKS);
	p->chunks = p->nchunks ? xcalloc(p->nchunks, sizeof(*p->chunks)) : NULL;
	for (size_t i = 0; i < p->nchunks; i++) {
		struct chunk *c = &p->chunks[i];
		c->first = p->njobs * i / p->nchunks;
		c->end = p->njobs * (i + 1) / p->nchunks;
		c->budget = p->budget / p->njobs * (c->end - c->first) +
			    p->budget % p->njobs * (c->end - c->first) / p->njobs;
	}
	p->code_cache = (size_t)MMU_MIN((uint64_t)RR_CODE_CACHE, (uint64_t)p->njobs * df_default_limits.max_insns);
	atomic_init(&p->next, 0);
	if (threads > p->nchunks)
		threads = p->nchunks ? (unsigned)p->nchunks : 1;
	pthread_t *t = xcalloc(threads, sizeof(*t));
	for (unsigned i = 1; i < threads; i++)
		if (pthread_create(&t[i], NULL, pool_main, p))
			fatal("cannot start an analysis thread");
	pool_main(p);
	for (unsigned i = 1; i < threads; i++)
		pthread_join(t[i], NULL);
	free(t);
}

/* ---- candidates ---- */

struct cls {
	struct regrec_cand c;
	uint64_t key_v, key_m, key_bits;
	int layout;
	uint32_t last_site;
	size_t ecap;
	uint32_t *elem_last;
};

struct clist {
	struct cls *v;
	size_t n, cap;
};

static struct cls *cls_add(struct clist *l, const struct regrec_reg *r, uint64_t v, uint64_t m, uint64_t keybits,
			   uint32_t site, uint64_t site_addr)
{
	int layout = r->selector && !(m & r->selector) ? ((v & r->selector) != 0) : -1;
	struct cls *c = NULL;
	for (size_t i = 0; i < l->n && !c; i++)
		if (l->v[i].layout == layout && l->v[i].key_bits == keybits && l->v[i].key_v == (v & keybits) &&
		    l->v[i].key_m == (m & keybits))
			c = &l->v[i];
	if (!c) {
		xgrow(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
		c = &l->v[l->n++];
		memset(c, 0, sizeof(*c));
		c->layout = layout;
		c->key_bits = keybits;
		c->key_v = v & keybits;
		c->key_m = m & keybits;
		c->c.value = v;
		c->c.unknown = m;
		c->c.first_site = site_addr;
		(void)r;
		c->last_site = UINT32_MAX;
	}
	struct tnum j = tnum_join((struct tnum){c->c.value, c->c.unknown}, (struct tnum){v, m});
	c->c.value = j.v;
	c->c.unknown = j.m;
	c->c.paths++;
	if (site != UINT32_MAX && c->last_site != site) {
		c->c.sites++;
		c->last_site = site;
		if (site_addr < c->c.first_site || c->c.sites == 1)
			c->c.first_site = site_addr;
	}
	size_t e = 0;
	while (e < c->c.nelems && !(c->c.elems[e].value == v && c->c.elems[e].unknown == m))
		e++;
	if (e == c->c.nelems) {
		size_t cap = c->ecap;
		xgrow(&c->c.elems, &c->ecap, e + 1, sizeof(*c->c.elems));
		xgrow(&c->elem_last, &cap, e + 1, sizeof(*c->elem_last));
		c->c.elems[e] = (struct regrec_elem){v, m, 0, 0};
		c->elem_last[e] = UINT32_MAX;
		c->c.nelems++;
	}
	c->c.elems[e].paths++;
	if (site != UINT32_MAX && c->elem_last[e] != site) {
		c->c.elems[e].sites++;
		c->elem_last[e] = site;
	}
	return c;
}

static int cmp_cand(const void *a, const void *b)
{
	const struct regrec_cand *x = a, *y = b;
	if (x->sites != y->sites)
		return x->sites > y->sites ? -1 : 1;
	if (x->plaus != y->plaus)
		return x->plaus > y->plaus ? -1 : 1;
	int ux = __builtin_popcountll(x->unknown), uy = __builtin_popcountll(y->unknown);
	if (ux != uy)
		return ux < uy ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return 0;
}

static int cmp_elem(const void *a, const void *b)
{
	const struct regrec_elem *x = a, *y = b;
	if (x->sites != y->sites)
		return x->sites > y->sites ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

/* Moves a class list into a plain candidate array (ranked when asked). */
static struct regrec_cand *clist_take(struct clist *l, const struct regrec_reg *r, const struct machine_config *cfg,
				      size_t *n, bool rank)
{
	struct regrec_cand *v = l->n ? xcalloc(l->n, sizeof(*v)) : NULL;
	for (size_t i = 0; i < l->n; i++) {
		v[i] = l->v[i].c;
		free(l->v[i].elem_last);
		const struct regrec_layout *lay = regrec_layout_of(r, v[i].value);
		if (v[i].valid && lay->plausibility)
			v[i].plaus = lay->plausibility(v[i].value, v[i].unknown);
		const char *why = v[i].valid ? regrec_unusable(r, cfg, v[i].value, v[i].unknown) : NULL;
		v[i].usable = v[i].valid && !why;
		if (why)
			snprintf(v[i].unusable, sizeof(v[i].unusable), "%s", why);
		qsort(v[i].elems, v[i].nelems, sizeof(*v[i].elems), cmp_elem);
	}
	*n = l->n;
	free(l->v);
	memset(l, 0, sizeof(*l));
	if (rank && *n)
		qsort(v, *n, sizeof(*v), cmp_cand);
	return v;
}

static void classify(const struct machine_config *cfg, const struct regrec_reg *r, uint64_t v, uint64_t m,
		     uint32_t site, uint64_t addr, struct clist *valid, struct clist *invalid, struct clist *partial,
		     bool config)
{
	uint64_t w = tnum_wmask(r->bits);
	v &= w;
	m &= w;
	uint64_t needed = regrec_needed(r, v, m) & w;
	struct clist *to;
	const char *why = NULL;
	if (m & needed) {
		to = partial;
	} else {
		why = regrec_check_machine(r, cfg, v, m);
		to = why ? invalid : valid;
	}
	struct cls *c = cls_add(to, r, v, m, equiv_bits(r, v, m) & w, site, addr);
	c->c.valid = to == valid;
	if (why && !c->c.why[0])
		snprintf(c->c.why, sizeof(c->c.why), "%s", why);
	if (config)
		c->c.config = true;
}

static void free_cands(struct regrec_cand *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].elems);
	free(v);
}

static void regres_clear(struct regrec_regres *rr)
{
	free_cands(rr->cands, rr->ncands);
	free_cands(rr->invalid, rr->ninvalid);
	free_cands(rr->partial, rr->npartial);
	bool o = rr->overridden;
	uint64_t ov = rr->override;
	uint32_t skipped = rr->skipped;
	memset(rr, 0, sizeof(*rr));
	rr->overridden = o;
	rr->override = ov;
	rr->skipped = skipped;
}

#define RR_MAX_TARGETS 16

size_t regrec_site_targets(const struct reg_results *res, size_t i, uint16_t *out, size_t max)
{
	const struct regrec_site_res *s = &res->res[i];
	const struct regrec_site *site = &res->sites.v[s->site];
	const struct regrec_sysreg *sr =
		site->sysreg < res->ops->nsysregs ? &res->ops->sysregs[site->sysreg] : NULL;
	if (!max)
		return 0;
	if (!sr || !sr->index_bits) {
		out[0] = s->reg;
		return 1;
	}
	size_t n = 0;
	if (s->r.status != DF_OK && s->r.status != DF_SOURCE_UNKNOWN)
		return 0;
	uint64_t m = tnum_wmask(sr->index_bits);
	for (uint8_t k = 0; k < s->r.val[1].n; k++) {
		struct tnum t = s->r.val[1].t[k];
		if ((t.m >> sr->index_shift) & m)
			continue;
		uint64_t reg = s->reg + ((t.v >> sr->index_shift) & m);
		bool dup = false;
		for (size_t x = 0; x < n; x++)
			dup |= out[x] == reg;
		if (!dup && reg < res->ops->nregs && n < max)
			out[n++] = (uint16_t)reg;
	}
	return n;
}

static void build_candidates(struct analysis *a, struct reg_results *res)
{
	const struct regrec_ops *ops = res->ops;
	struct clist *lists = xcalloc(3 * ops->nregs, sizeof(*lists));
	for (size_t ri = 0; ri < ops->nregs; ri++)
		regres_clear(&res->regs[ri]);
	res->unrouted = 0;
	for (size_t i = 0; i < res->nres; i++) {
		const struct regrec_site_res *s = &res->res[i];
		uint16_t to[RR_MAX_TARGETS];
		size_t nt = regrec_site_targets(res, i, to, RR_MAX_TARGETS);
		if (!nt)
			res->unrouted++;
		for (size_t x = 0; x < nt; x++) {
			const struct regrec_reg *r = &ops->regs[to[x]];
			struct regrec_regres *rr = &res->regs[to[x]];
			struct clist *l = &lists[3 * to[x]];
			/* The index alone being known does not make the value known. */
			enum df_status st = s->r.status;
			if (st == DF_OK && vset_is_unknown(&s->r.val[0], r->bits))
				st = DF_SOURCE_UNKNOWN;
			rr->sites++;
			rr->outcome[st]++;
			if (st != DF_OK)
				continue;
			for (uint8_t k = 0; k < s->r.val[0].n; k++) {
				struct tnum t = s->r.val[0].t[k];
				/* A path where nothing is known tells nothing: not even a partial value. */
				if ((t.m & tnum_wmask(r->bits)) == tnum_wmask(r->bits))
					continue;
				classify(&a->cfg, r, t.v, t.m, s->site, res->sites.v[s->site].addr, &l[0], &l[1], &l[2],
					 false);
			}
		}
	}
	for (size_t ri = 0; ri < ops->nregs; ri++) {
		const struct regrec_reg *r = &ops->regs[ri];
		struct regrec_regres *rr = &res->regs[ri];
		struct clist *l = &lists[3 * ri];
		const struct config_kv *kv = config_register(&a->cfg, r->display);
		if (kv && kv->is_int)
			classify(&a->cfg, r, kv->value, 0, UINT32_MAX, 0, &l[0], &l[1], &l[2], true);
		rr->cands = clist_take(&l[0], r, &a->cfg, &rr->ncands, true);
		rr->invalid = clist_take(&l[1], r, &a->cfg, &rr->ninvalid, true);
		rr->partial = clist_take(&l[2], r, &a->cfg, &rr->npartial, true);
	}
	free(lists);
}

struct reg_results *regrec_results(struct analysis *a)
{
	if (!a->regs) {
		const struct regrec_ops *ops = regrec_ops_of(a);
		if (!ops)
			return NULL;
		a->regs = xcalloc(1, sizeof(*a->regs));
		a->regs->ops = ops;
		a->regs->regs = xcalloc(ops->nregs, sizeof(*a->regs->regs));
		a->regs->cfg = &a->cfg;
	}
	return a->regs;
}

void reg_results_free(struct reg_results *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->regs && i < r->ops->nregs; i++)
		regres_clear(&r->regs[i]);
	free(r->regs);
	free(r->sites.v);
	free(r->res);
	free(r);
}

uint64_t regrec_code_addr(const struct regrec_ops *ops, uint64_t phys)
{
	return ops->code_addr ? ops->code_addr(phys) : phys;
}

/* Forgets earlier sites and results, then scans RAM for sites. */
static int rescan(struct analysis *a, const struct regrec_ops *ops, const struct regrec_opts *o, const char *what,
		  struct err *e)
{
	struct reg_results *res = regrec_results(a);
	free(res->sites.v);
	free(res->res);
	memset(&res->sites, 0, sizeof(res->sites));
	res->res = NULL;
	res->nres = 0;
	res->found = false;
	res->unrouted = 0;
	res->assume_reset = o && o->assume_reset;
	for (size_t i = 0; i < ops->nregs; i++) {
		regres_clear(&res->regs[i]);
		res->regs[i].skipped = 0;
	}
	res->threads = (unsigned)(a->threads > 0 ? a->threads : 1);

	struct regrec_scan_opts so = {.cfg = &a->cfg, .data_big = a->cfg.endian == ENDIAN_BIG,
				      .thumb = !(o && o->no_thumb), .instr_big = o && o->be32};
	struct ivset ram;
	scanned_ram(&a->pm, ops, &ram);
	double t0 = now_seconds();
	progress_start(&a->progress, what, a->pm.ram_bytes);
	int rc = scan_sites(a, ops, &so, &ram, &res->sites, &res->dropped_sites, e);
	progress_finish(&a->progress);
	res->scan_seconds = now_seconds() - t0;
	res->scanned_bytes = ivset_total(&ram);
	ivset_free(&ram);
	return rc;
}

int regrec_scan(struct analysis *a, struct err *e)
{
	const struct regrec_ops *ops = regrec_ops_of(a);
	if (!ops)
		return err_set(e, "does not apply to architecture %s (its MMU registers are found from page tables)",
			       a->cfg.arch->name);
	if (rescan(a, ops, NULL, "parse_memory: scanning code", e))
		return -1;
	a->dirty = true;
	return 0;
}

int regrec_find(struct analysis *a, const struct regrec_opts *o, struct err *e)
{
	const struct regrec_ops *ops = regrec_ops_of(a);
	if (!ops)
		return err_set(e, "does not apply to architecture %s (its MMU registers are found from page tables)",
			       a->cfg.arch->name);
	struct reg_results *res = regrec_results(a);
	int rc = rescan(a, ops, o, "find_registers_values: scanning code", e);
	if (rc)
		return rc;

	/*
	 * Jobs: the writes of analysed registers.  Past RR_MAX_ANALYSED sites
	 * of one register (real kernels have tens), an evenly spread subset.
	 */
	struct job *jobs = NULL;
	size_t njobs = 0, jcap = 0;
	size_t *count = xcalloc(ops->nregs, sizeof(*count)), *seen = xcalloc(ops->nregs, sizeof(*seen));
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < res->sites.n; i++) {
			const struct regrec_site *s = &res->sites.v[i];
			if (s->kind != RR_WRITE || s->sysreg == RR_NO_SYSREG || s->sysreg >= ops->nsysregs ||
			    ops->sysregs[s->sysreg].analysed < 0 || s->src == DF_REG_NONE || s->isa >= ops->nisas)
				continue;
			size_t r = (size_t)ops->sysregs[s->sysreg].analysed;
			if (pass == 0) {
				count[r]++;
				continue;
			}
			size_t stride = (count[r] + RR_MAX_ANALYSED - 1) / RR_MAX_ANALYSED;
			if (seen[r]++ % stride)
				res->regs[r].skipped++;
			else
				VEC_PUSH(jobs, njobs, jcap, ((struct job){s, NULL}));
		}
	}
	free(count);
	free(seen);
	res->res = njobs ? xcalloc(njobs, sizeof(*res->res)) : NULL;
	res->nres = njobs;
	for (size_t i = 0; i < njobs; i++) {
		res->res[i].site = (uint32_t)(jobs[i].site - res->sites.v);
		res->res[i].reg = (uint16_t)ops->sysregs[jobs[i].site->sysreg].analysed;
		jobs[i].res = &res->res[i];
	}
	struct rr_env *envs = xcalloc(ops->nisas, sizeof(*envs));
	for (size_t i = 0; i < ops->nisas; i++) {
		struct df_env *env = &envs[i].env;
		env->pm = &a->pm;
		env->cfg = &a->cfg;
		env->isa = ops->isas[i];
		env->data_big = a->cfg.endian == ENDIAN_BIG;
		env->cross_zeros = o && o->cross_zeros;
		env->lim = df_default_limits;
		env->sysreg_value = sysreg_value;
		env->ctx = &envs[i];
		envs[i].a = a;
		envs[i].ops = ops;
		envs[i].assume_reset = res->assume_reset;
		df_env_seed_from_config(env);
	}
	double t0 = now_seconds();
	progress_start(&a->progress, "find_registers_values: recovering values", njobs);
	res->run_budget = MMU_MAX(RR_RUN_FLOOR, res->scanned_bytes / 4 * RR_RUN_PER_WORD);
	struct pool p = {.ops = ops, .envs = envs, .jobs = jobs, .njobs = njobs, .budget = res->run_budget,
			 .progress = &a->progress};
	run_pool(&p, res->threads);
	progress_finish(&a->progress);
	res->analyse_seconds = now_seconds() - t0;
	res->run_used = 0;
	res->budget_skipped = 0;
	for (size_t i = 0; i < p.nchunks; i++) {
		res->run_used += p.chunks[i].used;
		res->budget_skipped += p.chunks[i].skipped;
	}
	free(p.chunks);
	free(envs);
	free(jobs);
	if (progress_cancelled(&a->progress))
		return err_set(e, "cancelled");
	build_candidates(a, res);
	res->found = true;
	a->dirty = true;
	return 0;
}

/* ---- values for other steps ---- */

int registers_value_unknown(const struct analysis *a, const char *name, uint64_t *value, uint64_t *unknown,
			    const char **origin, const char **unusable)
{
	const struct regrec_ops *ops = regrec_ops_of(a);
	const struct regrec_reg *r = regrec_reg_find(ops, name);
	const struct regrec_regres *rr = r && a->regs ? &a->regs->regs[r - ops->regs] : NULL;
	*unknown = 0;
	if (unusable)
		*unusable = NULL;
	if (rr) {
		if (rr->overridden) {
			*value = rr->override;
			*origin = r->set_command;
			return 0;
		}
		/* Never a value find_tables would refuse (another layout than mmu.mode, an unsupported size). */
		int sel = a->regs->found ? regrec_selected(rr) : -1;
		if (sel >= 0) {
			*value = rr->cands[sel].value;
			*unknown = rr->cands[sel].unknown;
			*origin = rr->cands[sel].sites ? "recovered" : "config";
			return 0;
		}
	}
	const struct config_kv *kv = config_register(&a->cfg, name);
	if (kv && kv->is_int) {
		*value = kv->value;
		*origin = "config";
		return 0;
	}
	/* The search found candidates, none of them usable: the best, and why not. */
	if (rr && a->regs->found && rr->ncands && unusable) {
		*value = rr->cands[0].value;
		*unusable = rr->cands[0].unusable;
	}
	return -1;
}

int registers_value(const struct analysis *a, const char *name, uint64_t *value, const char **origin)
{
	uint64_t unknown;
	return registers_value_unknown(a, name, value, &unknown, origin, NULL);
}

bool regrec_has_site(const struct reg_results *r, uint64_t lo, uint64_t hi, unsigned kinds, const char *const *names)
{
	if (!r)
		return false;
	size_t a = 0, b = r->sites.n;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (r->sites.v[m].addr < lo)
			a = m + 1;
		else
			b = m;
	}
	for (size_t i = a; i < r->sites.n && r->sites.v[i].addr <= hi; i++) {
		const struct regrec_site *s = &r->sites.v[i];
		if (!(kinds & (1u << s->kind)))
			continue;
		if (!names)
			return true;
		if (s->sysreg == RR_NO_SYSREG || s->sysreg >= r->ops->nsysregs)
			continue;
		for (const char *const *n = names; *n; n++)
			if (!strcasecmp_ascii(*n, r->ops->sysregs[s->sysreg].name))
				return true;
	}
	return false;
}

/* ---- ground truth ---- */

static bool gt_name_matches(const struct regrec_reg *r, const char *name)
{
	for (const char *const *n = r->gt_names; n && *n; n++)
		if (!strcasecmp_ascii(*n, name))
			return true;
	return false;
}

/* A candidate matches a value when every key field is known and equal. */
static bool cand_matches(const struct regrec_reg *r, const struct regrec_cand *k, uint64_t truth)
{
	unsigned of;
	return regrec_score(r, k->value, k->unknown, truth, &of) == of;
}

static bool cand_exact(const struct regrec_reg *r, const struct regrec_cand *k, uint64_t truth)
{
	return !((k->value ^ truth) & ~k->unknown & tnum_wmask(r->bits));
}

void regrec_gt_compare(const struct reg_results *res, const struct gtruth *gt, size_t reg, struct regrec_gt_reg *out)
{
	const struct regrec_reg *r = &res->ops->regs[reg];
	const struct regrec_regres *rr = &res->regs[reg];
	memset(out, 0, sizeof(*out));
	out->reg = r;
	out->best = out->best_partial = -1;
	out->compared = true;
	const struct gt_value *latest = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < gt->nvalues; i++) {
		const struct gt_value *g = &gt->values[i];
		if (!gt_name_matches(r, g->name))
			continue;
		if (!latest || g->last_seen > latest->last_seen)
			latest = g;
		struct regrec_gt_logged l = {g->name, g->value, g->first_seen, g->last_seen, false, false};
		VEC_PUSH(out->logged, out->nlogged, cap, l);
	}
	out->cand_match = rr->ncands ? xcalloc(rr->ncands, sizeof(bool)) : NULL;
	if (latest) {
		out->latest = latest->value;
	} else {
		const struct config_kv *kv =
			res->ops->gt_config_fallback && res->cfg ? config_register(res->cfg, r->display) : NULL;
		if (!kv || !kv->is_int) {
			out->compared = !res->ops->gt_config_fallback;
			out->fp = out->fp_all = out->compared ? (unsigned)rr->ncands : 0;
			return;
		}
		out->latest = kv->value;
		out->from_config = true;
	}
	out->has_gt = true;
	regrec_score(r, 0, ~0ULL, out->latest, &out->of);
	unsigned miss = 0;
	for (size_t c = 0; c < rr->ncands; c++) {
		const struct regrec_cand *k = &rr->cands[c];
		unsigned s = regrec_score(r, k->value, k->unknown, out->latest, NULL);
		if (out->best < 0 || s > out->best_score) {
			out->best = (int)c;
			out->best_score = s;
		}
		out->cand_match[c] = s == out->of;
		if (cand_exact(r, k, out->latest))
			out->exact = true;
		for (size_t i = 0; i < out->nlogged; i++) {
			struct regrec_gt_logged *l = &out->logged[i];
			if (cand_matches(r, k, l->value)) {
				l->found = true;
				if (cand_exact(r, k, l->value))
					l->exact = true;
				if (r->gt_any)
					out->cand_match[c] = true;
			}
		}
		if (out->cand_match[c])
			out->tp = 1;
		else
			miss++;
	}
	/* What the partial values say, for a register the kernel only changes field by field. */
	for (size_t c = 0; c < rr->npartial; c++) {
		const struct regrec_cand *k = &rr->partial[c];
		unsigned s = regrec_score(r, k->value, k->unknown, out->latest, NULL);
		if (out->best_partial < 0 || s > out->best_partial_score) {
			out->best_partial = (int)c;
			out->best_partial_score = s;
			out->best_partial_agrees = cand_exact(r, k, out->latest);
		}
	}
	out->fn = out->tp ? 0 : 1;
	out->fp_all = miss;
	out->fp = out->fn && res->ops->gt_config_fallback ? 0 : miss;
}

void regrec_gt_free(struct regrec_gt_reg *g)
{
	free(g->cand_match);
	free(g->logged);
	memset(g, 0, sizeof(*g));
}

/* ---- session section ---- */

#define REGS_SECTION_VERSION 1u

static bool sess_present(const struct analysis *a)
{
	if (!a->regs)
		return false;
	bool any = a->regs->found;
	for (size_t i = 0; i < a->regs->ops->nregs; i++)
		any |= a->regs->regs[i].overridden;
	return any;
}

static void save_vset(struct sess_w *w, const struct vset *v)
{
	sw_u8(w, v->n);
	for (uint8_t i = 0; i < v->n && i < VSET_MAX; i++) {
		sw_u64(w, v->t[i].v);
		sw_u64(w, v->t[i].m);
	}
}

static bool load_vset(struct sess_r *r, struct vset *v)
{
	v->n = sr_u8(r);
	if (v->n > VSET_MAX)
		return false;
	for (uint8_t i = 0; i < v->n; i++) {
		v->t[i].v = sr_u64(r);
		v->t[i].m = sr_u64(r);
		if (v->t[i].v & v->t[i].m)
			return false;
	}
	return true;
}

static void sess_save(const struct analysis *a, struct sess_w *w)
{
	const struct reg_results *res = a->regs;
	sw_u32(w, REGS_SECTION_VERSION);
	sw_u8(w, res->found);
	sw_u8(w, res->assume_reset);
	sw_f64(w, res->scan_seconds);
	sw_f64(w, res->analyse_seconds);
	sw_u64(w, res->scanned_bytes);
	sw_u64(w, res->dropped_sites);
	sw_u32(w, res->threads);
	sw_u32(w, (uint32_t)res->ops->nregs);
	for (size_t i = 0; i < res->ops->nregs; i++) {
		sw_u8(w, res->regs[i].overridden);
		sw_u64(w, res->regs[i].override);
		sw_u32(w, res->regs[i].skipped);
	}
	sw_u64(w, res->sites.n);
	for (size_t i = 0; i < res->sites.n; i++) {
		const struct regrec_site *s = &res->sites.v[i];
		sw_u64(w, s->addr);
		sw_u32(w, s->sysreg);
		sw_u8(w, s->kind);
		sw_u8(w, s->isa);
		sw_u8(w, s->src);
		sw_u8(w, s->src2);
	}
	sw_u64(w, res->nres);
	for (size_t i = 0; i < res->nres; i++) {
		const struct regrec_site_res *s = &res->res[i];
		sw_u32(w, s->site);
		sw_u32(w, s->reg);
		sw_u8(w, (uint8_t)s->r.status);
		sw_u64(w, s->r.start);
		sw_u32(w, s->r.walk_steps);
		sw_u32(w, s->r.insns);
		sw_u32(w, s->r.blocks);
		sw_u32(w, s->r.evals);
		sw_u32(w, s->r.cut_edges);
		for (int q = 0; q < DF_MAX_QUERY; q++)
			save_vset(w, &s->r.val[q]);
	}
}

static int sess_load(struct analysis *a, struct sess_r *r, struct err *e)
{
	const struct regrec_ops *ops = regrec_ops_of(a);
	if (!ops)
		return err_set(e, "register values saved for an architecture without register recovery");
	if (sr_u32(r) != REGS_SECTION_VERSION)
		return err_set(e, "unknown version of the register section");
	struct reg_results *res = regrec_results(a);
	free(res->sites.v);
	free(res->res);
	memset(&res->sites, 0, sizeof(res->sites));
	res->res = NULL;
	res->nres = 0;
	bool found = sr_u8(r);
	res->assume_reset = sr_u8(r);
	res->scan_seconds = sr_f64(r);
	res->analyse_seconds = sr_f64(r);
	res->scanned_bytes = sr_u64(r);
	res->dropped_sites = sr_u64(r);
	res->threads = sr_u32(r);
	if (sr_u32(r) != ops->nregs)
		return err_set(e, "register list does not match architecture %s", a->cfg.arch->name);
	for (size_t i = 0; i < ops->nregs; i++) {
		res->regs[i].overridden = sr_u8(r);
		res->regs[i].override = sr_u64(r);
		res->regs[i].skipped = sr_u32(r);
	}
	uint64_t n = sr_count(r, 16);
	for (uint64_t i = 0; i < n && !r->bad; i++) {
		struct regrec_site s;
		s.addr = sr_u64(r);
		uint32_t sys = sr_u32(r);
		s.kind = sr_u8(r);
		s.isa = sr_u8(r);
		s.src = sr_u8(r);
		s.src2 = sr_u8(r);
		if ((sys != RR_NO_SYSREG && sys >= ops->nsysregs) || s.kind >= RR_KIND_COUNT || s.isa >= ops->nisas)
			return err_set(e, "site %llu is not one of this architecture's", (unsigned long long)i);
		s.sysreg = (uint16_t)sys;
		VEC_PUSH(res->sites.v, res->sites.n, res->sites.cap, s);
	}
	n = sr_count(r, 39);   /* smallest record: both value sets empty */
	res->res = n ? xcalloc((size_t)n, sizeof(*res->res)) : NULL;
	for (uint64_t i = 0; i < n && !r->bad; i++) {
		struct regrec_site_res *s = &res->res[i];
		s->site = sr_u32(r);
		uint32_t reg = sr_u32(r);
		uint8_t st = sr_u8(r);
		if (s->site >= res->sites.n || reg >= ops->nregs || st >= DF_STATUS_COUNT)
			return err_set(e, "analysed site %llu is out of range", (unsigned long long)i);
		s->reg = (uint16_t)reg;
		s->r.status = (enum df_status)st;
		s->r.start = sr_u64(r);
		s->r.walk_steps = sr_u32(r);
		s->r.insns = sr_u32(r);
		s->r.blocks = sr_u32(r);
		s->r.evals = sr_u32(r);
		s->r.cut_edges = sr_u32(r);
		for (int q = 0; q < DF_MAX_QUERY; q++)
			if (!load_vset(r, &s->r.val[q]))
				return err_set(e, "value set of analysed site %llu is malformed", (unsigned long long)i);
		res->nres++;
	}
	if (r->bad)
		return 0;   /* the caller reports the short section */
	if (found)
		build_candidates(a, res);
	res->found = found;
	return 0;
}

const struct session_section regrec_session_section = {
	.tag = SESSION_TAG('R', 'E', 'G', 'S'),
	.name = "REGS",
	.present = sess_present,
	.save = sess_save,
	.load = sess_load,
};
