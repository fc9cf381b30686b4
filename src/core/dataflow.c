#include "autoconfig.h"

#include "dataflow.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "physmem.h"
#include "util.h"

const struct df_limits df_default_limits = {
	.walk_steps = 10000,
	.max_insns = 4096,
	.max_blocks = 256,
	.max_distance = 64 * 1024,
	.budget = 20000,
	.collapse_after = 8,
	.widen_after = 16,
};

static const char *const status_names[DF_STATUS_COUNT] = {
	[DF_OK] = "ok",
	[DF_SOURCE_UNKNOWN] = "source unknown",
	[DF_NO_START] = "no region start",
	[DF_SITE_UNDECODABLE] = "site undecodable",
	[DF_REGION_TOO_LARGE] = "region too large",
	[DF_BUDGET] = "analysis budget exceeded",
	[DF_NOT_REACHED] = "site not reached",
	[DF_RUN_BUDGET] = "run budget exhausted",
};

const char *df_status_name(enum df_status s)
{
	return (unsigned)s < DF_STATUS_COUNT ? status_names[s] : "?";
}

/* ---- emitting micro-operations (front-ends) ---- */

void df_emit_p(struct df_insn *in, uint8_t opc, uint8_t width, uint8_t dst, struct df_arg a, struct df_arg b,
	       uint8_t p1, uint8_t p2, uint8_t flags)
{
	if (dst == DF_REG_NONE)
		return;
	if (in->nops == DF_MAX_OPS) {
		/* Cannot model it all: the destination is lost, soundly. */
		in->flags |= DF_IF_OVERFLOW;
		df_clobber(in, dst);
		return;
	}
	in->ops[in->nops++] = (struct df_op){opc, width, dst, p1, p2, (uint8_t)flags, a, b};
}

void df_emit(struct df_insn *in, uint8_t opc, uint8_t width, uint8_t dst, struct df_arg a, struct df_arg b)
{
	df_emit_p(in, opc, width, dst, a, b, 0, 0, 0);
}

void df_emit_cmp(struct df_insn *in, uint8_t width, struct df_arg a, struct df_arg b)
{
	df_emit_p(in, DF_OP_SEXTRACT, 64, DF_CMP_A, a, df_imm(0), 0, width, 0);
	df_emit_p(in, DF_OP_SEXTRACT, 64, DF_CMP_B, b, df_imm(0), 0, width, 0);
}

void df_emit_flags_lost(struct df_insn *in)
{
	in->clobber |= 1ULL << DF_CMP_A;
}

/* ---- per-thread state ---- */

struct handle {
	const struct df_isa *isa;
	csh cs;
	cs_insn *ci;
	bool ok;
};

struct slot {
	uint64_t addr;
	int32_t idx;     /* into insns; -1: empty */
};

struct block {
	uint32_t first, count;   /* into bins */
	uint32_t nsucc;
	uint64_t succ_addr[2];
	int32_t succ[2];
	uint32_t visits;
	bool reached, queued, has_site, site_seen;
	bool copy;               /* a delay slot copied onto a branch-likely's taken edge */
	int8_t tk, ft;           /* successors of a conditional branch's taken / fall-through edges */
};

/* A decoded instruction kept for the next sites (df_worker_cache_code). */
struct cached {
	const struct df_env *env;   /* NULL: empty */
	bool present;               /* df_decode_at's result: the bytes were there */
	struct df_insn in;
};

struct df_worker {
	struct handle *h;
	size_t nh, hcap;
	struct cached *cache;    /* direct-mapped by instruction address; allocated on first use */
	size_t ncache;           /* entries (a power of two); 0: off */
	/* Region being analysed. */
	struct df_insn *insns;
	size_t ninsns, icap;
	struct slot *map;
	size_t mapsize;
	uint64_t *leaders;
	size_t nleaders, lcap;
	int32_t *lead_block;     /* block of each leader, -1 when none */
	size_t lbcap;
	uint64_t *stack;
	size_t nstack, scap;
	uint32_t *bins;
	size_t nbins, bcap;
	struct block *blocks;
	size_t nblocks, blcap;
	struct vset *states;     /* nblocks x DF_MAX_REGS entry states */
	size_t stcap;
	uint32_t *queue;
	size_t qcap;
	struct vset site_val[DF_MAX_QUERY];
};

struct df_worker *df_worker_new(void)
{
	return xcalloc(1, sizeof(struct df_worker));
}

void df_worker_free(struct df_worker *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nh; i++) {
		if (w->h[i].ci)
			cs_free(w->h[i].ci, 1);
		if (w->h[i].ok)
			cs_close(&w->h[i].cs);
	}
	free(w->h);
	free(w->cache);
	free(w->insns);
	free(w->map);
	free(w->leaders);
	free(w->lead_block);
	free(w->stack);
	free(w->bins);
	free(w->blocks);
	free(w->states);
	free(w->queue);
	free(w);
}

static struct handle *handle_for(struct df_worker *w, const struct df_isa *isa)
{
	for (size_t i = 0; i < w->nh; i++)
		if (w->h[i].isa == isa)
			return &w->h[i];
	struct handle h = {.isa = isa};
	if (cs_open(isa->cs_arch, isa->cs_mode, &h.cs) == CS_ERR_OK) {
		h.ok = true;
		if (isa->cs_detail)
			cs_option(h.cs, CS_OPT_DETAIL, CS_OPT_ON);
		h.ci = cs_malloc(h.cs);
	}
	VEC_PUSH(w->h, w->nh, w->hcap, h);
	return &w->h[w->nh - 1];
}

/* ---- reading code and data ---- */

static bool code_read(const struct df_env *env, uint64_t addr, uint8_t *buf, size_t len, size_t *got)
{
	uint64_t pa = addr;
	if (env->isa->code_phys && !env->isa->code_phys(env, addr, &pa))
		return false;
	*got = physmem_read(env->pm, pa, buf, len);
	return *got > 0;
}

void df_worker_cache_code(struct df_worker *w, size_t entries)
{
	size_t n = 1;
	while (n < entries)
		n <<= 1;
	free(w->cache);
	w->cache = NULL;
	w->ncache = entries ? n : 0;
}

static bool decode_uncached(struct df_worker *w, const struct df_env *env, uint64_t addr, struct df_insn *in);

bool df_decode_at(struct df_worker *w, const struct df_env *env, uint64_t addr, struct df_insn *in)
{
	if (!w->ncache)
		return decode_uncached(w, env, addr, in);
	if (!w->cache)
		w->cache = xcalloc(w->ncache, sizeof(*w->cache));
	struct cached *c = &w->cache[(addr / env->isa->align) & (w->ncache - 1)];
	if (c->env != env || c->in.addr != addr) {
		c->present = decode_uncached(w, env, addr, &c->in);
		c->env = env;
	}
	*in = c->in;
	return c->present;
}

static bool decode_uncached(struct df_worker *w, const struct df_env *env, uint64_t addr, struct df_insn *in)
{
	const struct df_isa *isa = env->isa;
	uint8_t buf[16];
	size_t got;
	memset(in, 0, offsetof(struct df_insn, ops));
	in->addr = addr;
	in->len = isa->min_len;
	in->flow = DF_FLOW_END;
	if (addr % isa->align || !code_read(env, addr, buf, isa->max_len, &got) || got < isa->min_len)
		return false;
	struct handle *h = handle_for(w, isa);
	if (!h->ok)
		return true;
	bool ok;
	cs_insn *ci = h->ci;
	if (isa->cs_arch == CS_ARCH_ARM && (isa->cs_mode & CS_MODE_THUMB)) {
		/*
		 * Capstone 4 carries Thumb IT state from one cs_disasm_iter call to
		 * the next; cs_disasm starts afresh, so each word decodes alone.
		 */
		cs_insn *tmp;
		ok = cs_disasm(h->cs, buf, got, addr, 1, &tmp) == 1;
		if (ok) {
			cs_detail *keep = ci->detail;
			*ci = *tmp;
			ci->detail = keep;
			if (keep && tmp->detail)
				*keep = *tmp->detail;
			cs_free(tmp, 1);
		}
	} else {
		const uint8_t *p = buf;
		size_t n = got;
		uint64_t a = addr;
		ok = cs_disasm_iter(h->cs, &p, &n, &a, ci);
	}
	if (!ok)
		return true;
	in->len = (uint8_t)ci->size;
	in->flags = DF_IF_VALID;
	in->flow = DF_FLOW_NEXT;
	struct df_dec d = {h->cs, ci, env};
	isa->decode(&d, addr, buf, got, in);
	if (!(in->flags & DF_IF_VALID)) {
		in->flow = DF_FLOW_END;
		in->nops = 0;
	}
	return true;
}

static bool data_read(const struct df_env *env, uint64_t addr, unsigned size, bool reversed, uint64_t *out)
{
	uint64_t pa = addr;
	uint8_t b[8];
	if (size == 0 || size > 8)
		return false;
	if (env->isa->data_phys && !env->isa->data_phys(env, addr, &pa))
		return false;
	if (physmem_read(env->pm, pa, b, size) != size)
		return false;
	bool big = env->data_big != reversed;
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v = big ? v << 8 | b[i] : v | (uint64_t)b[i] << (8 * i);
	*out = v;
	return true;
}

void df_env_seed_from_config(struct df_env *env)
{
	env->seed_mask = 0;
	if (!env->cfg || !env->isa->reg_names)
		return;
	for (unsigned r = 0; r < env->isa->nregs && r < 64; r++) {
		const struct config_kv *kv = config_register(env->cfg, env->isa->reg_names[r]);
		if (kv && kv->is_int) {
			env->seed_mask |= 1ULL << r;
			env->seed[r] = kv->value & tnum_wmask(env->isa->reg_bits);
		}
	}
}

bool df_sysreg_from_config(const struct df_env *env, uint32_t key, uint64_t *value)
{
	char buf[48];
	const char *name = env->isa->sysreg_name ? env->isa->sysreg_name(key, buf, sizeof(buf)) : NULL;
	const struct config_kv *kv = name && env->cfg ? config_register(env->cfg, name) : NULL;
	if (!kv || !kv->is_int)
		return false;
	*value = kv->value;
	return true;
}

/* ---- region start ---- */

static bool is_zero(const struct df_env *env, uint64_t addr, unsigned len)
{
	uint8_t b[16];
	size_t got;
	if (len > sizeof(b) || !code_read(env, addr, b, len, &got) || got < len)
		return false;
	for (unsigned i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/*
 * The other site sits in the delay slot of a stop the walk from it went
 * past: a walk from a later site must stop there instead, so that walk
 * cannot be reused.
 */
static bool delay_site(struct df_worker *w, const struct df_env *env, uint64_t addr)
{
	struct df_insn in;
	if (!env->isa->walk_past_delay_site || addr < env->isa->min_len)
		return false;
	uint64_t p = addr - env->isa->min_len;
	if (!df_decode_at(w, env, p, &in) || !(in.flags & DF_IF_STOP))
		return false;
	return p + (in.stop_skip ? in.stop_skip : in.len) > addr;
}

enum df_status df_region_start(struct df_worker *w, const struct df_env *env, uint64_t site, uint64_t *start,
			       unsigned *steps)
{
	return df_region_start_hinted(w, env, site, NULL, start, steps);
}

enum df_status df_region_start_hinted(struct df_worker *w, const struct df_env *env, uint64_t site,
				      const struct df_hint *hint, uint64_t *start, unsigned *steps)
{
	const struct df_isa *isa = env->isa;
	struct df_insn in;
	*steps = 0;
	*start = site;
	if (!df_decode_at(w, env, site, &in) || !(in.flags & DF_IF_VALID))
		return DF_SITE_UNDECODABLE;
	uint64_t cur = site, zero_end = 0;
	unsigned zeros = 0;
	for (;;) {
		if (*steps >= env->lim.walk_steps)
			return DF_NO_START;
		uint64_t p;
		if (isa->prev) {
			if (!isa->prev(env, cur, &p))
				break;
		} else {
			if (cur < isa->min_len)
				break;
			p = cur - isa->min_len;
		}
		if (hint && p == hint->addr && p != site && !delay_site(w, env, p)) {
			/* From here on the walk is the one already made from that site. */
			*steps += 1 + hint->steps;
			if (hint->status != DF_OK || *steps > env->lim.walk_steps)
				return DF_NO_START;
			*start = hint->start;
			return DF_OK;
		}
		if (!df_decode_at(w, env, p, &in) || !(in.flags & DF_IF_VALID))
			break;
		++*steps;
		if (isa->zero_run_stop && !env->cross_zeros) {
			if (is_zero(env, p, in.len)) {
				if (zeros++ == 0)
					zero_end = cur;
				if (zeros >= isa->zero_run_stop) {
					*start = zero_end;
					return DF_OK;
				}
			} else {
				zeros = 0;
			}
		}
		if (in.flags & DF_IF_STOP) {
			uint64_t s = p + (in.stop_skip ? in.stop_skip : in.len);
			if (!(s > site && isa->walk_past_delay_site)) {
				*start = s;
				return DF_OK;
			}
		}
		cur = p;
	}
	*start = cur;
	return DF_OK;
}

/* ---- region CFG ---- */

static void map_reset(struct df_worker *w, size_t want)
{
	size_t size = 64;
	while (size < want * 2)
		size <<= 1;
	if (size > w->mapsize) {
		free(w->map);
		w->map = xmalloc(size * sizeof(*w->map));
		w->mapsize = size;
	}
	for (size_t i = 0; i < w->mapsize; i++)
		w->map[i].idx = -1;
}

static size_t map_hash(uint64_t a, size_t size)
{
	a ^= a >> 29;
	a *= 0xbf58476d1ce4e5b9ULL;
	a ^= a >> 32;
	return (size_t)a & (size - 1);
}

static int32_t map_get(const struct df_worker *w, uint64_t addr)
{
	for (size_t i = map_hash(addr, w->mapsize);; i = (i + 1) & (w->mapsize - 1)) {
		if (w->map[i].idx < 0)
			return -1;
		if (w->map[i].addr == addr)
			return w->map[i].idx;
	}
}

static void map_put(struct df_worker *w, uint64_t addr, int32_t idx)
{
	size_t i = map_hash(addr, w->mapsize);
	while (w->map[i].idx >= 0)
		i = (i + 1) & (w->mapsize - 1);
	w->map[i] = (struct slot){addr, idx};
}

static uint64_t distance(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

static void push_addr(struct df_worker *w, uint64_t a)
{
	VEC_PUSH(w->stack, w->nstack, w->scap, a);
	VEC_PUSH(w->leaders, w->nleaders, w->lcap, a);
}

/* Decodes and records the instruction at addr; -1 when the region is too large. */
static int32_t decode_rec(struct df_worker *w, const struct df_env *env, uint64_t addr)
{
	int32_t idx = map_get(w, addr);
	if (idx >= 0)
		return idx;
	if (w->ninsns >= env->lim.max_insns)
		return -1;
	xgrow(&w->insns, &w->icap, w->ninsns + 1, sizeof(*w->insns));
	struct df_insn *in = &w->insns[w->ninsns];
	if (!df_decode_at(w, env, addr, in))
		in->flags = 0;  /* absent bytes: a dead end like an undecodable word */
	idx = (int32_t)w->ninsns++;
	map_put(w, addr, idx);
	return idx;
}

static uint64_t fallthrough(const struct df_insn *in)
{
	return in->addr + in->len + (uint64_t)in->delay * in->len;
}

/* Whether a lies in the delay slots of the control transfer in. */
static bool in_slot(const struct df_insn *in, uint64_t a)
{
	return a > in->addr && a < fallthrough(in);
}

static bool far(const struct df_env *env, uint64_t a, uint64_t site)
{
	return distance(a, site) > env->lim.max_distance;
}

/* Phase 1: every instruction reachable from start without passing the site. */
static enum df_status discover(struct df_worker *w, const struct df_env *env, uint64_t start, uint64_t site,
			       unsigned *cut)
{
	w->nstack = 0;
	w->nleaders = 0;
	push_addr(w, start);
	while (w->nstack) {
		uint64_t cur = w->stack[--w->nstack];
		if (map_get(w, cur) >= 0)
			continue;
		unsigned delay_left = 0;
		for (;;) {
			if (far(env, cur, site)) {
				++*cut;
				break;
			}
			bool known = map_get(w, cur) >= 0;
			int32_t idx = decode_rec(w, env, cur);
			if (idx < 0)
				return DF_REGION_TOO_LARGE;
			if (known && !delay_left) {
				/* Ran into code already decoded: the block boundary is there. */
				VEC_PUSH(w->leaders, w->nleaders, w->lcap, cur);
				break;
			}
			const struct df_insn *in = &w->insns[idx];
			if (cur == site || !(in->flags & DF_IF_VALID))
				break;
			if (delay_left) {
				if (--delay_left == 0)
					break;
				cur += in->len;
				continue;
			}
			/*
			 * A site in the delay slot ends the block there with no
			 * successor (7.4): the transfer's edges lead only past it.
			 */
			bool site_in_slot = in->delay && in->flow != DF_FLOW_NEXT && in_slot(in, site);
			if (!site_in_slot && (in->flags & DF_IF_TARGET) &&
			    (in->flow == DF_FLOW_JUMP || in->flow == DF_FLOW_BRANCH)) {
				if (far(env, in->target, site))
					++*cut;
				else
					push_addr(w, in->target);
			}
			if (!site_in_slot && (in->flow == DF_FLOW_BRANCH || (in->delay && in->flow == DF_FLOW_CALL)))
				push_addr(w, fallthrough(in));
			if (in->delay && in->flow != DF_FLOW_NEXT) {
				delay_left = in->delay;
				cur += in->len;
				continue;
			}
			if (in->flow != DF_FLOW_NEXT && in->flow != DF_FLOW_CALL)
				break;
			cur += in->len;
		}
	}
	return DF_OK;
}

static bool is_leader(const struct df_worker *w, uint64_t a)
{
	return bsearch(&a, w->leaders, w->nleaders, sizeof(uint64_t), cmp_u64_asc) != NULL;
}

static struct block *new_block(struct df_worker *w)
{
	xgrow(&w->blocks, &w->blcap, w->nblocks + 1, sizeof(*w->blocks));
	struct block *b = &w->blocks[w->nblocks++];
	memset(b, 0, sizeof(*b));
	b->first = (uint32_t)w->nbins;
	b->succ[0] = b->succ[1] = -1;
	b->tk = b->ft = -1;
	return b;
}

static void add_bin(struct df_worker *w, uint32_t idx)
{
	VEC_PUSH(w->bins, w->nbins, w->bcap, idx);
}

static void add_succ(struct block *b, uint64_t a)
{
	if (b->nsucc < 2)
		b->succ_addr[b->nsucc++] = a;
}

/* Block of a delay slot executed on the taken edge of a branch-likely only; returns its index. */
static int32_t likely_copy(struct df_worker *w, uint64_t slot, uint64_t target, uint64_t site)
{
	int32_t d = map_get(w, slot);
	if (d < 0)
		return -1;
	struct block *b = new_block(w);
	add_bin(w, (uint32_t)d);
	b->count = 1;
	b->copy = true;
	if (w->insns[d].addr == site)
		b->has_site = true;
	else
		add_succ(b, target);
	return (int32_t)(w->nblocks - 1);
}

/*
 * Appends the instructions of the block starting at instruction idx, along
 * fall-through, and records its successors by address.  Returns false when
 * the region is too large.
 */
static bool fill_block(struct df_worker *w, const struct df_env *env, size_t bi, int32_t idx, uint64_t site)
{
	size_t max_bins = (size_t)env->lim.max_insns * 4;
	for (;;) {
		if (w->nbins >= max_bins)
			return false;
		const struct df_insn *x = &w->insns[idx];
		add_bin(w, (uint32_t)idx);
		if (x->addr == site) {
			w->blocks[bi].has_site = true;
			return true;
		}
		if (!(x->flags & DF_IF_VALID))
			return true;
		if (x->delay && x->flow != DF_FLOW_NEXT) {
			uint64_t slot = x->addr + x->len, target = x->target;
			bool taken = (x->flags & DF_IF_TARGET) && (x->flow == DF_FLOW_JUMP || x->flow == DF_FLOW_BRANCH);
			if ((x->flags & DF_IF_LIKELY) && x->flow == DF_FLOW_BRANCH) {
				/* The slot runs on the taken edge only: a copy of it leads to the target. */
				if (taken && w->nblocks >= env->lim.max_blocks)
					return false; /* the copy is a block too */
				uint64_t ft = fallthrough(x);
				w->blocks[bi].count = (uint32_t)(w->nbins - w->blocks[bi].first);
				int32_t c = taken ? likely_copy(w, slot, target, site) : -1;
				struct block *b = &w->blocks[bi];
				if (!in_slot(x, site)) {
					b->ft = (int8_t)b->nsucc;
					add_succ(b, ft);
				}
				if (c >= 0) {
					b->tk = (int8_t)b->nsucc;
					b->succ_addr[b->nsucc] = slot;
					b->succ[b->nsucc++] = c;
				}
				return true;
			}
			int32_t d = map_get(w, slot);
			if (d < 0)
				return true;
			add_bin(w, (uint32_t)d);
			struct block *b = &w->blocks[bi];
			if (w->insns[d].addr == site) {
				b->has_site = true;
				return true;
			}
			if (taken) {
				if (x->flow == DF_FLOW_BRANCH)
					b->tk = (int8_t)b->nsucc;
				add_succ(b, target);
			}
			if (x->flow == DF_FLOW_BRANCH || x->flow == DF_FLOW_CALL) {
				if (x->flow == DF_FLOW_BRANCH)
					b->ft = (int8_t)b->nsucc;
				add_succ(b, fallthrough(x));
			}
			return true;
		}
		struct block *b = &w->blocks[bi];
		if (x->flow == DF_FLOW_JUMP || x->flow == DF_FLOW_BRANCH) {
			if (x->flags & DF_IF_TARGET) {
				if (x->flow == DF_FLOW_BRANCH)
					b->tk = (int8_t)b->nsucc;
				add_succ(b, x->target);
			}
			if (x->flow == DF_FLOW_BRANCH) {
				b->ft = (int8_t)b->nsucc;
				add_succ(b, x->addr + x->len);
			}
			return true;
		}
		if (x->flow == DF_FLOW_END)
			return true;
		uint64_t next = x->addr + x->len;
		int32_t n = map_get(w, next);
		if (n < 0)
			return true;
		if (is_leader(w, next)) {
			add_succ(b, next);
			return true;
		}
		idx = n;
	}
}

/* Phase 2: one block per decoded leader, along fall-through; successors resolved by leader. */
static enum df_status form_blocks(struct df_worker *w, const struct df_env *env, uint64_t site)
{
	w->nleaders = sort_unique_u64(w->leaders, w->nleaders);
	xgrow(&w->lead_block, &w->lbcap, w->nleaders + 1, sizeof(*w->lead_block));
	w->nblocks = 0;
	w->nbins = 0;
	for (size_t li = 0; li < w->nleaders; li++) {
		w->lead_block[li] = -1;
		int32_t idx = map_get(w, w->leaders[li]);
		if (idx < 0)
			continue;
		if (w->nblocks >= env->lim.max_blocks)
			return DF_REGION_TOO_LARGE;
		new_block(w);
		size_t bi = w->nblocks - 1;
		w->lead_block[li] = (int32_t)bi;
		if (!fill_block(w, env, bi, idx, site))
			return DF_REGION_TOO_LARGE;
		if (!w->blocks[bi].count)
			w->blocks[bi].count = (uint32_t)(w->nbins - w->blocks[bi].first);
	}
	for (size_t i = 0; i < w->nblocks; i++) {
		struct block *b = &w->blocks[i];
		for (uint32_t s = 0; s < b->nsucc; s++) {
			if (b->succ[s] >= 0)
				continue;
			const uint64_t *l = bsearch(&b->succ_addr[s], w->leaders, w->nleaders, sizeof(uint64_t), cmp_u64_asc);
			if (l)
				b->succ[s] = w->lead_block[l - w->leaders];
		}
	}
	return DF_OK;
}

/* ---- abstract evaluation ---- */

struct exec {
	const struct df_env *env;
	struct vset *r;    /* DF_MAX_REGS */
	unsigned rbits;
};

static struct vset arg_val(const struct exec *x, struct df_arg a)
{
	if (a.kind == DF_ARG_REG && a.reg < DF_MAX_REGS && x->r[a.reg].n)
		return x->r[a.reg];
	if (a.kind == DF_ARG_REG)
		return vset_of(tnum_unknown(64));
	return vset_of(tnum_const(a.kind == DF_ARG_IMM ? a.imm : 0));
}

/* 1 or 0 when every combination of the compared values agrees, else -1. */
static int cond_holds(uint8_t cc, const struct vset *a, const struct vset *b)
{
	if (cc == DF_CC_ALWAYS)
		return 1;
	if (cc == DF_CC_NONE || !a->n || !b->n)
		return -1;
	int r = -1;
	for (uint8_t i = 0; i < a->n; i++)
		for (uint8_t k = 0; k < b->n; k++) {
			if (a->t[i].m || b->t[k].m)
				return -1;
			uint64_t x = a->t[i].v, y = b->t[k].v;
			int64_t sx = (int64_t)x, sy = (int64_t)y;
			bool t;
			switch (cc) {
			case DF_CC_EQ: t = x == y; break;
			case DF_CC_NE: t = x != y; break;
			case DF_CC_HS: t = x >= y; break;
			case DF_CC_LO: t = x < y; break;
			case DF_CC_HI: t = x > y; break;
			case DF_CC_LS: t = x <= y; break;
			case DF_CC_GE: t = sx >= sy; break;
			case DF_CC_LT: t = sx < sy; break;
			case DF_CC_GT: t = sx > sy; break;
			case DF_CC_LE: t = sx <= sy; break;
			default: return -1;
			}
			if (r >= 0 && r != t)
				return -1;
			r = t;
		}
	return r;
}

static int flags_hold(const struct exec *x, uint8_t cc)
{
	return cond_holds(cc, &x->r[DF_CMP_A], &x->r[DF_CMP_B]);
}

static struct tnum shift_by(uint8_t opc, struct tnum a, struct tnum n, unsigned w)
{
	if (!tnum_is_const(n))
		return tnum_unknown(w);
	unsigned k = n.v > 255 ? 255 : (unsigned)n.v;
	switch (opc) {
	case DF_OP_SHL:
		return tnum_shl(a, k, w);
	case DF_OP_LSR:
		return tnum_lsr(a, k, w);
	case DF_OP_ASR:
		return tnum_asr(a, k, w);
	default:
		return tnum_ror(a, k, w);
	}
}

static struct tnum load(const struct exec *x, const struct df_op *op, struct tnum addr)
{
	uint64_t v;
	unsigned w = op->width;
	if (!tnum_is_const(addr) || !data_read(x->env, addr.v, op->p1, op->flags & DF_OPF_REVERSED, &v))
		return tnum_unknown(w);
	struct tnum t = tnum_const(v);
	if (op->flags & DF_OPF_SIGNED)
		return tnum_extract(t, 0, 8u * op->p1, true, w);
	return tnum_trunc(t, w);
}

static struct tnum binop(const struct exec *x, const struct df_op *op, struct tnum a, struct tnum b)
{
	unsigned w = op->width;
	switch (op->opc) {
	case DF_OP_SET:
		return tnum_trunc(a, w);
	case DF_OP_NOT:
		return tnum_not(a, w);
	case DF_OP_NEG:
		return tnum_neg(a, w);
	case DF_OP_AND:
		return tnum_and(a, b, w);
	case DF_OP_OR:
		return tnum_or(a, b, w);
	case DF_OP_XOR:
		return tnum_xor(a, b, w);
	case DF_OP_ANDN:
		return tnum_and(a, tnum_not(b, w), w);
	case DF_OP_ORN:
		return tnum_or(a, tnum_not(b, w), w);
	case DF_OP_XORN:
		return tnum_xor(a, tnum_not(b, w), w);
	case DF_OP_ADD:
		return tnum_add(a, b, w);
	case DF_OP_SUB:
		return tnum_sub(a, b, w);
	case DF_OP_MUL:
		return tnum_mul(a, b, w);
	case DF_OP_SHL:
	case DF_OP_LSR:
	case DF_OP_ASR:
	case DF_OP_ROR:
		return shift_by(op->opc, a, b, w);
	case DF_OP_EXTRACT:
		return tnum_extract(a, op->p1, op->p2, false, w);
	case DF_OP_SEXTRACT:
		return tnum_extract(a, op->p1, op->p2, true, w);
	case DF_OP_CLZ:
		return tnum_clz(a, w);
	case DF_OP_SLT:
		return tnum_lt(a, b, true, w);
	case DF_OP_SLTU:
		return tnum_lt(a, b, false, w);
	case DF_OP_LOAD:
		return load(x, op, tnum_add(a, b, x->rbits));
	default:
		return tnum_unknown(w);
	}
}

static void eval_op(struct exec *x, const struct df_op *op)
{
	struct vset res = {0};
	unsigned w = op->width ? op->width : x->rbits;
	struct df_op o = *op;
	o.width = (uint8_t)w;
	if (op->dst >= DF_MAX_REGS)
		return;
	switch (op->opc) {
	case DF_OP_UNKNOWN:
		res = vset_of(tnum_unknown(w));
		break;
	case DF_OP_SYSREG: {
		uint64_t v;
		bool (*get)(const struct df_env *, uint32_t, uint64_t *) =
			x->env->sysreg_value ? x->env->sysreg_value : df_sysreg_from_config;
		if (get(x->env, (uint32_t)op->a.imm, &v))
			res = vset_of(tnum_trunc(tnum_const(v), w));
		else
			res = vset_of(tnum_unknown(w));
		break;
	}
	case DF_OP_SELECT: {
		struct vset a = arg_val(x, op->a), b = arg_val(x, op->b);
		int h = flags_hold(x, op->p1);
		if (h != 0)
			for (uint8_t i = 0; i < a.n; i++)
				vset_add(&res, tnum_trunc(a.t[i], w));
		if (h != 1)
			for (uint8_t i = 0; i < b.n; i++)
				vset_add(&res, tnum_trunc(b.t[i], w));
		break;
	}
	case DF_OP_INSERT: {
		struct vset d = arg_val(x, df_reg(op->dst)), a = arg_val(x, op->a);
		for (uint8_t i = 0; i < d.n; i++)
			for (uint8_t k = 0; k < a.n; k++)
				vset_add(&res, tnum_insert(d.t[i], a.t[k], op->p1, op->p2, w));
		break;
	}
	default: {
		struct vset a = arg_val(x, op->a), b = arg_val(x, op->b);
		for (uint8_t i = 0; i < a.n; i++)
			for (uint8_t k = 0; k < b.n; k++)
				vset_add(&res, binop(x, &o, a.t[i], b.t[k]));
		break;
	}
	}
	x->r[op->dst] = res;
}

static void clobber(struct exec *x, uint64_t mask)
{
	for (unsigned r = 0; mask && r < 64 && r < DF_MAX_REGS; r++)
		if (mask & (1ULL << r)) {
			x->r[r] = vset_of(tnum_unknown(x->rbits));
			mask &= ~(1ULL << r);
		}
}

static void exec_insn(struct exec *x, const struct df_insn *in, bool pred, struct vset *saved)
{
	if (pred && (in->flags & DF_IF_COND) && in->cc && !(in->flags & DF_IF_OWN_CMP)) {
		/* A condition on known compared values: executed or not, no alternative. */
		int h = flags_hold(x, in->cc);
		if (h == 0)
			return;
		if (h == 1)
			pred = false;
	}
	if (pred)
		memcpy(saved, x->r, DF_MAX_REGS * sizeof(*saved));
	for (uint8_t i = 0; i < in->nops; i++)
		eval_op(x, &in->ops[i]);
	if (!in->delay)
		clobber(x, in->clobber);
	if (pred) {
		/* Not executed is as possible as executed. */
		for (unsigned r = 0; r < DF_MAX_REGS; r++)
			if (saved[r].n && !vset_eq(&saved[r], &x->r[r]))
				vset_union(&x->r[r], &saved[r]);
	}
}

static struct vset *state_of(struct df_worker *w, size_t b)
{
	return &w->states[b * DF_MAX_REGS];
}

/* Merges an exit state into block b's entry state; true when it changed. */
static bool merge_into(struct df_worker *w, const struct df_env *env, size_t b, const struct vset *src)
{
	struct block *blk = &w->blocks[b];
	struct vset *dst = state_of(w, b);
	unsigned nr = env->isa->nregs;
	if (!blk->reached) {
		memcpy(dst, src, DF_MAX_REGS * sizeof(*dst));
		blk->reached = true;
		return true;
	}
	bool changed = false;
	for (unsigned i = 0; i < nr + 2; i++) {
		unsigned r = i < nr ? i : DF_CMP_A + (i - nr);
		struct vset n = dst[r];
		vset_union(&n, &src[r]);
		if (blk->visits >= env->lim.collapse_after && n.n > 1)
			n = vset_of(vset_join(&n));
		/*
		 * Still changing after many passes (a loop-carried value): give up
		 * on it.  The compare operands are 64-bit whatever the registers'
		 * width (df_emit_cmp sign-extends them), and whether anything
		 * changed is decided on the widened value: a widened set that
		 * equals the stored one is settled, or the loop never ends.
		 */
		if (!vset_eq(&n, &dst[r]) && blk->visits >= env->lim.widen_after)
			n = vset_of(tnum_unknown(r >= DF_CMP_A ? 64 : env->isa->reg_bits));
		if (vset_eq(&n, &dst[r]))
			continue;
		dst[r] = n;
		changed = true;
	}
	return changed;
}

static enum df_status fixpoint(struct df_worker *w, const struct df_env *env, uint64_t start, uint64_t site,
			       const uint8_t *regs, size_t nregs, unsigned *evals)
{
	size_t nb = w->nblocks;
	xgrow(&w->states, &w->stcap, nb * DF_MAX_REGS, sizeof(*w->states));
	xgrow(&w->queue, &w->qcap, nb + 1, sizeof(*w->queue));
	memset(w->states, 0, nb * DF_MAX_REGS * sizeof(*w->states));
	struct vset *cur = xmalloc(2 * DF_MAX_REGS * sizeof(*cur)), *saved = cur + DF_MAX_REGS;
	struct exec x = {.env = env, .r = cur, .rbits = env->isa->reg_bits};
	enum df_status st = DF_NOT_REACHED;
	const uint64_t *l = bsearch(&start, w->leaders, w->nleaders, sizeof(uint64_t), cmp_u64_asc);
	if (!l || w->lead_block[l - w->leaders] < 0)
		goto out;
	size_t entry = (size_t)w->lead_block[l - w->leaders];
	for (unsigned r = 0; r < DF_MAX_REGS; r++) {
		bool seeded = r < 64 && (env->seed_mask & (1ULL << r));
		cur[r] = vset_of(seeded ? tnum_const(env->seed[r]) : tnum_unknown(env->isa->reg_bits));
		if (r == 0 && env->isa->reg0_zero)
			cur[r] = vset_of(tnum_const(0));
	}
	merge_into(w, env, entry, cur);
	/* FIFO queue over a ring of nb + 1 slots; a block is queued at most once. */
	size_t qh = 0, qt = 0, qn = nb + 1;
	w->queue[qt++] = (uint32_t)entry;
	w->blocks[entry].queued = true;
	while (qh != qt) {
		size_t b = w->queue[qh];
		qh = (qh + 1) % qn;
		struct block *blk = &w->blocks[b];
		blk->queued = false;
		blk->visits++;
		memcpy(cur, state_of(w, b), DF_MAX_REGS * sizeof(*cur));
		unsigned pred_left = 0;
		uint64_t pending = 0;
		bool dead = false;
		int decision = -1;   /* of the block's conditional branch: 1 taken, 0 not, -1 either */
		for (uint32_t i = 0; i < blk->count; i++) {
			const struct df_insn *in = &w->insns[w->bins[blk->first + i]];
			if (in->addr == site && blk->has_site) {
				for (size_t q = 0; q < nregs; q++) {
					struct vset v = cur[regs[q] < DF_MAX_REGS ? regs[q] : 0];
					if (blk->site_seen)
						vset_union(&w->site_val[q], &v);
					else
						w->site_val[q] = v;
				}
				blk->site_seen = true;
				dead = true;
				break;
			}
			if (!(in->flags & DF_IF_VALID)) {
				dead = true;
				break;
			}
			if (*evals >= env->lim.budget) {
				st = DF_BUDGET;   /* evals counts what ran: never more than the budget */
				goto out;
			}
			++*evals;
			bool pred = (in->flags & DF_IF_COND) || pred_left;
			if (pred_left)
				pred_left--;
			exec_insn(&x, in, pred, saved);
			if (in->flow == DF_FLOW_BRANCH && in->cc) {
				if (in->flags & DF_IF_OWN_CMP) {
					struct vset ca = arg_val(&x, in->ca), cb = arg_val(&x, in->cb);
					decision = cond_holds(in->cc, &ca, &cb);
				} else {
					decision = flags_hold(&x, in->cc);
				}
			}
			if (in->pred_next)
				pred_left = in->pred_next;
			if (pending && !in->delay) {
				clobber(&x, pending);
				pending = 0;
			}
			if (in->delay)
				pending = in->clobber;
		}
		if (pending)
			clobber(&x, pending);
		if (dead)
			continue;
		for (uint32_t s = 0; s < blk->nsucc; s++) {
			int32_t t = blk->succ[s];
			if (t < 0)
				continue;
			/* An edge the known compare rules out carries nothing. */
			if (decision == 1 && (int)s == blk->ft && blk->ft != blk->tk)
				continue;
			if (decision == 0 && (int)s == blk->tk && blk->ft != blk->tk)
				continue;
			if (merge_into(w, env, (size_t)t, cur) && !w->blocks[t].queued) {
				w->blocks[t].queued = true;
				w->queue[qt] = (uint32_t)t;
				qt = (qt + 1) % qn;
			}
		}
	}
	st = DF_NOT_REACHED;
	for (size_t i = 0; i < nb; i++)
		if (w->blocks[i].site_seen)
			st = DF_OK;
out:
	free(cur);
	return st;
}

enum df_status df_analyse(struct df_worker *w, const struct df_env *env, uint64_t site, const uint8_t *regs,
			  size_t nregs, struct df_result *out)
{
	return df_analyse_hinted(w, env, site, regs, nregs, NULL, out);
}

enum df_status df_analyse_hinted(struct df_worker *w, const struct df_env *env, uint64_t site, const uint8_t *regs,
				 size_t nregs, const struct df_hint *hint, struct df_result *out)
{
	memset(out, 0, sizeof(*out));
	if (nregs > DF_MAX_QUERY)
		nregs = DF_MAX_QUERY;
	out->status = df_region_start_hinted(w, env, site, hint, &out->start, &out->walk_steps);
	if (out->status != DF_OK)
		return out->status;
	/* The zero register needs no analysis (and a large region around it would fail for nothing). */
	bool all_zero = env->isa->reg0_zero && nregs > 0;
	for (size_t q = 0; q < nregs; q++)
		all_zero &= regs[q] == 0;
	if (all_zero) {
		for (size_t q = 0; q < nregs; q++)
			out->val[q] = vset_of(tnum_const(0));
		return out->status = DF_OK;
	}
	/* Blocks too: a region that fails before they are formed must not report the last site's. */
	w->ninsns = 0;
	w->nblocks = 0;
	map_reset(w, env->lim.max_insns);
	enum df_status st = discover(w, env, out->start, site, &out->cut_edges);
	if (st == DF_OK)
		st = form_blocks(w, env, site);
	out->insns = (unsigned)w->ninsns;
	out->blocks = (unsigned)w->nblocks;
	if (st == DF_OK)
		st = fixpoint(w, env, out->start, site, regs, nregs, &out->evals);
	if (st == DF_OK) {
		bool any = false;
		for (size_t q = 0; q < nregs; q++) {
			out->val[q] = w->site_val[q];
			for (uint8_t i = 0; i < out->val[q].n; i++)
				out->val[q].t[i] = tnum_trunc(out->val[q].t[i], env->isa->reg_bits);
			if (!vset_is_unknown(&out->val[q], env->isa->reg_bits))
				any = true;
		}
		if (!any)
			st = DF_SOURCE_UNKNOWN;
	}
	out->status = st;
	return st;
}
