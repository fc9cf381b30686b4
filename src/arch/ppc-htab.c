/*
 * PowerPC hashed page tables in physical memory (algo-mips-ppc-gtruth.md
 * 3.5), with the C rules of section 7 item 5:
 *
 *   fragments  every 64 KiB chunk aligned on 64 KiB and wholly in RAM
 *              whose valid entries all look like PTEs: RPN in RAM or
 *              not_ram, not "changed but never referenced", no two equal
 *              first words in one PTEG (in parallel over RAM)
 *   glue       aligned runs of 2^n fragments, 64 KiB to 32 MiB, with PTEs
 *   filter     largest first; a table starting inside an accepted one is
 *              skipped; tables above 64 KiB must place every PTE where its
 *              hash bits say (the only position check a PTE allows); at
 *              least two VSIDs and two RPNs; 64 KiB tables cannot be
 *              hash-checked: they are kept, marked, when their RPN entropy
 *              reaches 0.8 of the best table's (the original's cut, which
 *              no longer applies to checked tables)
 *
 * Only (address, size, counters) are kept per candidate: the entries are
 * read again from the dump when a candidate is judged.
 */
#include "autoconfig.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "physmem.h"
#include "ppc.h"
#include "progress.h"
#include "scan.h"

#define CHUNK HTAB_MIN
#define ENTROPY_CUT 0.8

struct frag {
	uint64_t addr;
	uint32_t ptes;
};

struct frag_list {
	struct frag *v;
	size_t n, cap;
};

/* An RPN must name defined memory: RAM or a declared not-RAM range. */
static bool rpn_defined(const struct physmem *pm, uint32_t w1)
{
	uint64_t pa = (uint64_t)pte_rpn(w1) << PAGE_SHIFT;
	return physmem_is_ram(pm, pa) || physmem_is_not_ram(pm, pa);
}

/* The fragment rules on one PTEG; returns the number of PTEs, or -1 and why. */
static int pteg_check(const struct physmem *pm, const uint8_t *p, const char **why)
{
	uint32_t w0[8];
	int n = 0;
	for (int i = 0; i < 8; i++) {
		uint32_t a = rd32(p + PTE_SIZE * i, true), b = rd32(p + PTE_SIZE * i + 4, true);
		if (!(a & PTE0_V))
			continue;
		if (!rpn_defined(pm, b)) {
			*why = "a PTE's RPN is neither RAM nor not_ram";
			return -1;
		}
		if (!(b & PTE1_R) && (b & PTE1_C)) {
			*why = "a PTE is changed but not referenced";
			return -1;
		}
		for (int k = 0; k < n; k++)
			if (w0[k] == a) {
				*why = "two PTEs of one PTEG translate the same page";
				return -1;
			}
		w0[n++] = a;
	}
	return n;
}

/* A 64 KiB chunk: -1 when it is no fragment, else its PTE count. */
static long chunk_check(const struct physmem *pm, const uint8_t *p, const char **why)
{
	long total = 0;
	for (size_t off = 0; off < CHUNK; off += PTEG_SIZE) {
		int n = pteg_check(pm, p + off, why);
		if (n < 0)
			return -1;
		total += n;
	}
	return total;
}

struct scan_ctx {
	const struct physmem *pm;
	struct frag_list *per_worker;
};

static void scan_chunk(void *arg, unsigned worker, uint64_t addr, const uint8_t *frame)
{
	struct scan_ctx *c = arg;
	const char *why;
	long n = chunk_check(c->pm, frame, &why);
	if (n >= 0) {
		struct frag_list *l = &c->per_worker[worker];
		VEC_PUSH(l->v, l->n, l->cap, ((struct frag){addr, (uint32_t)n}));
	}
}

static int cmp_frag(const void *a, const void *b)
{
	const struct frag *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Distinct values of a sorted array, and the entropy of their histogram. */
static uint32_t distinct(const uint32_t *v, size_t n, double *entropy)
{
	uint32_t d = 0;
	double h = 0;
	for (size_t i = 0; i < n;) {
		size_t k = i;
		while (k < n && v[k] == v[i])
			k++;
		double p = (double)(k - i) / (double)n;
		h -= p * log2(p);
		d++;
		i = k;
	}
	if (entropy)
		*entropy = h;
	return d;
}

struct judge {
	uint32_t *vsid, *rpn;
	size_t n, cap;
};

/*
 * Reads the PTEs of candidate (addr, size) made of fragments f[0..nf) and
 * fills t; false when a PTE sits where its hash cannot put it.
 */
static bool judge(const struct physmem *pm, const struct frag *f, size_t nf, uint64_t addr, uint64_t size,
		  struct judge *j, struct htab *t)
{
	uint32_t m = (uint32_t)(size / CHUNK - 1);
	j->n = 0;
	for (size_t i = 0; i < nf; i++) {
		if (!f[i].ptes)
			continue;
		const uint8_t *p = physmem_ptr(pm, f[i].addr, CHUNK);
		if (!p)
			return false;
		uint32_t idx = (uint32_t)((f[i].addr - addr) / CHUNK);
		for (size_t off = 0; off < CHUNK; off += PTE_SIZE) {
			uint32_t w0 = rd32(p + off, true);
			if (!(w0 & PTE0_V))
				continue;
			if ((pte_hash9(w0) & m) != idx)
				return false;
			if (j->n == j->cap) {
				j->cap = j->cap ? 2 * j->cap : 1024;
				j->vsid = xrealloc(j->vsid, j->cap * sizeof(uint32_t));
				j->rpn = xrealloc(j->rpn, j->cap * sizeof(uint32_t));
			}
			j->vsid[j->n] = pte_vsid(w0);
			j->rpn[j->n++] = pte_rpn(rd32(p + off + 4, true));
		}
	}
	qsort(j->vsid, j->n, sizeof(uint32_t), cmp_u32);
	qsort(j->rpn, j->n, sizeof(uint32_t), cmp_u32);
	*t = (struct htab){addr, size, (uint32_t)j->n, distinct(j->vsid, j->n, NULL), 0, 0, m > 0};
	t->rpns = distinct(j->rpn, j->n, &t->entropy);
	return true;
}

static int cmp_table(const void *a, const void *b)
{
	const struct htab *x = a, *y = b;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Candidates, sizes descending then addresses ascending; judged in that order. */
static void filter(const struct physmem *pm, const struct frag *f, size_t nf, struct htab_state *st)
{
	struct judge j = {0};
	struct htab *kept = NULL;
	size_t nkept = 0, cap = 0;
	for (int shift = HTAB_MAX_SHIFT; shift >= HTAB_MIN_SHIFT; shift--) {
		uint64_t size = 1ULL << shift, need = size / CHUNK;
		for (size_t i = 0; i + need <= nf; i++) {
			uint64_t a = f[i].addr;
			if (a % size || f[i + need - 1].addr != a + size - CHUNK)
				continue;
			uint64_t ptes = 0;
			for (size_t k = 0; k < need; k++)
				ptes += f[i + k].ptes;
			if (!ptes)
				continue;
			bool inside = false;
			for (size_t k = 0; k < nkept && !inside; k++)
				inside = a >= kept[k].addr && a < kept[k].addr + kept[k].size;
			struct htab t;
			if (inside || !judge(pm, f + i, need, a, size, &j, &t) || t.vsids < 2 || t.rpns < 2)
				continue;
			VEC_PUSH(kept, nkept, cap, t);
		}
	}
	double best = 0;
	for (size_t k = 0; k < nkept; k++)
		best = MMU_MAX(best, kept[k].entropy);
	st->n = 0;
	for (size_t k = 0; k < nkept; k++)
		if (kept[k].checked || kept[k].entropy >= ENTROPY_CUT * best)
			kept[st->n++] = kept[k];
	st->v = kept;
	if (st->n)
		qsort(st->v, st->n, sizeof(*st->v), cmp_table);
	free(j.vsid);
	free(j.rpn);
}

void htab_state_free(void *p)
{
	struct htab_state *st = p;
	if (!st)
		return;
	free(st->v);
	free(st);
}

int htab_scan(struct analysis *a, struct htab_state *st, struct err *e)
{
	unsigned n = (unsigned)(a->threads > 0 ? a->threads : 1);
	struct scan_ctx c = {&a->pm, xcalloc(n, sizeof(struct frag_list))};
	struct scan_job job = {.pm = &a->pm, .frame_size = CHUNK, .workers = n, .fn = scan_chunk, .ctx = &c,
			       .progress = &a->progress};
	double t0 = now_seconds();
	progress_start(&a->progress, "parse_memory: hash tables", a->pm.ram_bytes);
	int rc = scan_frames(&job, e);
	progress_finish(&a->progress);
	struct frag_list all = {0};
	for (unsigned i = 0; i < n; i++) {
		for (size_t k = 0; k < c.per_worker[i].n; k++)
			VEC_PUSH(all.v, all.n, all.cap, c.per_worker[i].v[k]);
		free(c.per_worker[i].v);
	}
	free(c.per_worker);
	free(st->v);
	memset(st, 0, sizeof(*st));
	if (!rc) {
		if (all.n)
			qsort(all.v, all.n, sizeof(*all.v), cmp_frag);
		struct frameset fs;
		frameset_build(&fs, &a->pm, CHUNK, 0);
		st->chunks = fs.total;
		frameset_free(&fs);
		st->fragments = all.n;
		for (size_t i = 0; i < all.n; i++)
			st->nonempty += all.v[i].ptes > 0;
		filter(&a->pm, all.v, all.n, st);
	}
	free(all.v);
	st->seconds = now_seconds() - t0;
	return rc;
}

int htab_parse(const struct physmem *pm, uint64_t addr, uint64_t size, uint64_t **ptes, size_t *n, const char **why)
{
	size_t cap = 0;
	*ptes = NULL;
	*n = 0;
	for (uint64_t at = addr; at < addr + size; at += CHUNK) {
		const uint8_t *p = physmem_ptr(pm, at, CHUNK);
		if (!p) {
			*why = "not in RAM";
			goto bad;
		}
		if (chunk_check(pm, p, why) < 0)
			goto bad;
		for (size_t off = 0; off < CHUNK; off += PTE_SIZE)
			if (rd32(p + off, true) & PTE0_V)
				VEC_PUSH(*ptes, *n, cap, at + off);
	}
	if (*n)
		qsort(*ptes, *n, sizeof(**ptes), cmp_u64_asc);
	return 0;
bad:
	free(*ptes);
	*ptes = NULL;
	*n = 0;
	return -1;
}
