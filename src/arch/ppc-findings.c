/*
 * PowerPC findings (findings.h): the hash tables parse_memory kept, best
 * first, then the tables the ground truth's SDR1 values name that were
 * not found (ghosts).  A table opens on its PTE groups (tables above
 * 64 KiB first on their 64 KiB chunks, so that one expansion never lists
 * more than 1024 rows), a group on its valid PTEs, decoded.
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "findings.h"
#include "physmem.h"
#include "ppc.h"

enum ppc_node { HT_TABLE, HT_CHUNK, HT_PTEG, HT_PTE };

#define PTEGS_PER_CHUNK ((uint64_t)(HTAB_MIN / PTEG_SIZE))

/* Valid PTEs of the PTEG at p (64 bytes). */
static unsigned pteg_valid(const uint8_t *p)
{
	unsigned n = 0;
	for (int i = 0; i < 8; i++)
		n += (rd32(p + PTE_SIZE * i, true) & PTE0_V) != 0;
	return n;
}

/* The ground-truth item naming found table i exactly, else the one at its address. */
static const struct htab_gt_item *gt_of_found(const struct htab_gt *g, const struct htab *t)
{
	const struct htab_gt_item *same_addr = NULL;
	for (size_t k = 0; k < g->n; k++) {
		if (g->v[k].cls == HG_FP || g->v[k].addr != t->addr)
			continue;
		if (g->v[k].size == t->size)
			return &g->v[k];
		same_addr = &g->v[k];
	}
	return same_addr;
}

/* Address, size and PTEs: short enough for the candidates list, words enough for a tree's first line. */
static struct finding *add_top(struct findings *out, uint64_t addr, uint64_t size, const char *ptes)
{
	char sz[24];
	snprintf(sz, sizeof(sz), "size 0x%" PRIx64, size);
	struct finding *f = finding_add(&out->top, "0x%08" PRIx64 " %-14s %6s PTEs", addr, sz, ptes);
	f->addr = f->base = addr;
	f->size = size;
	f->kind = HT_TABLE;
	return f;
}

static void add_table(struct findings *out, const struct htab *t, const char *evidence, const struct htab_gt *g)
{
	char ptes[16];
	snprintf(ptes, sizeof(ptes), "%u", t->ptes);
	struct finding *f = add_top(out, t->addr, t->size, ptes);
	f->expandable = true;
	snprintf(f->note, sizeof(f->note), "implied SDR1 0x%08x (%s), %u VSIDs, %u RPNs", ppc_implied_sdr1(t), evidence,
		 t->vsids, t->rpns);
	if (!g)
		return;
	const struct htab_gt_item *it = gt_of_found(g, t);
	f->classed = true;
	f->cls = it && it->size == t->size ? GT_TP : GT_FP;
	if (it && it->size != t->size)
		snprintf(f->note, sizeof(f->note), "implied SDR1 0x%08x, but SDR1 0x%08x was logged (size 0x%" PRIx64 ")",
			 ppc_implied_sdr1(t), it->sdr1, it->size);
}

static void add_ghost(const struct analysis *a, struct findings *out, const struct htab_gt_item *it,
		      const struct htab_state *st)
{
	struct finding *f = add_top(out, it->addr, it->size, "-");
	f->ghost = true;
	f->classed = true;
	f->cls = it->cls == HG_BOOT ? GT_BOOT : GT_FN;
	/* Its bytes can still be browsed: what is there now. */
	f->expandable = physmem_range_is_ram(&a->pm, it->addr, it->size);
	if (it->cls == HG_SIZE_MISMATCH)
		snprintf(f->note, sizeof(f->note), "logged SDR1 0x%08x; found with size 0x%" PRIx64, it->sdr1,
			 st->v[it->found].size);
	else if (it->cls == HG_BOOT)
		snprintf(f->note, sizeof(f->note), "logged SDR1 0x%08x; used while booting (superseded)", it->sdr1);
	else
		snprintf(f->note, sizeof(f->note), "logged SDR1 0x%08x; not found%s", it->sdr1,
			 f->expandable ? "" : ": not in RAM");
}

static int ppc_list(struct analysis *a, struct findings *out, struct err *e)
{
	const struct htab_state *st = ppc_htabs(a);
	struct htab_gt g;
	struct err ge = {{0}};
	if (!st)
		return err_set(e, "no hash tables yet: run parse_memory first");
	bool has_gt = a->has_gt && !ppc_htab_gtruth(a, &g, &ge);
	size_t *order = xcalloc(st->n + 1, sizeof(*order));
	const char **evidence = xcalloc(st->n + 1, sizeof(*evidence));
	size_t n = ppc_htab_ranked(a, order, evidence);
	snprintf(out->header, sizeof(out->header), "%-10s %-14s %11s", "address", "size", "PTEs");
	for (size_t k = 0; k < n; k++)
		add_table(out, &st->v[order[k]], evidence[k], has_gt ? &g : NULL);
	out->found = out->top.n;
	for (size_t k = 0; has_gt && k < g.n; k++)
		if (g.v[k].cls == HG_SIZE_MISMATCH || g.v[k].cls == HG_BOOT || g.v[k].cls == HG_FN)
			add_ghost(a, out, &g.v[k], st);
	struct ppc_srs *srs = xcalloc(1, sizeof(*srs));
	ppc_srs_known(a, srs);
	out->ctx = srs;
	free(order);
	free(evidence);
	if (has_gt)
		ppc_htab_gt_free(&g);
	return 0;
}

/* A row that says why there is nothing to open. */
static void add_note(struct finding_list *out, const char *why)
{
	finding_add(out, "(%s)", why);
}

/* The 64 KiB chunks of a larger table. */
static void add_chunks(const struct analysis *a, const struct finding *t, struct finding_list *out)
{
	for (uint64_t at = t->addr; at - t->addr < t->size; at += HTAB_MIN) {
		const uint8_t *p = physmem_ptr(&a->pm, at, HTAB_MIN);
		unsigned ptes = 0;
		for (uint64_t off = 0; p && off < HTAB_MIN; off += PTEG_SIZE)
			ptes += pteg_valid(p + off);
		uint64_t first = (at - t->addr) / PTEG_SIZE;
		struct finding *f = finding_add(out, "PTEGs 0x%05" PRIx64 "-0x%05" PRIx64 " @0x%08" PRIx64 "  %s%u PTE%s",
						first, first + PTEGS_PER_CHUNK - 1, at, p ? "" : "not in RAM, ", ptes,
						ptes == 1 ? "" : "s");
		f->addr = at;
		f->size = HTAB_MIN;
		f->base = t->base;
		f->kind = HT_CHUNK;
		f->expandable = ptes > 0;
	}
}

/* The PTE groups of [addr, addr + size) that hold a valid PTE. */
static void add_ptegs(const struct analysis *a, const struct finding *parent, struct finding_list *out)
{
	uint8_t g[PTEG_SIZE];
	for (uint64_t at = parent->addr; at - parent->addr < parent->size; at += PTEG_SIZE) {
		if (physmem_read(&a->pm, at, g, sizeof(g)) != sizeof(g))
			continue;
		unsigned n = pteg_valid(g);
		if (!n)
			continue;
		struct finding *f = finding_add(out, "PTEG 0x%05" PRIx64 " @0x%08" PRIx64 "  %u PTE%s",
						(at - parent->base) / PTEG_SIZE, at, n, n == 1 ? "" : "s");
		f->addr = at;
		f->size = PTEG_SIZE;
		f->base = parent->base;
		f->kind = HT_PTEG;
		f->expandable = true;
	}
	if (!out->n)
		add_note(out, physmem_range_is_ram(&a->pm, parent->addr, parent->size) ? "no valid PTE" : "not in RAM");
}

/* One PTE decoded: VSID, API, which hash, RPN, WIMG, PP, R, C, and the EA when an SR holds the VSID. */
static void add_pte(const struct ppc_srs *srs, const struct finding *pteg, unsigned slot, uint32_t w0, uint32_t w1,
		    struct finding_list *out)
{
	uint64_t at = pteg->addr + PTE_SIZE * slot, ea;
	unsigned wimg = (w1 >> PTE1_WIMG_SHIFT) & 0xF;
	char ea_s[16] = "?";
	if (ppc_pte_ea(srs, pteg->base, w0, at, &ea))
		snprintf(ea_s, sizeof(ea_s), "0x%08" PRIx64, ea);
	struct finding *f = finding_add(out, "[%u] VSID 0x%06x API 0x%02x %s RPN 0x%05x WIMG %u%u%u%u PP %u %c%c EA %s",
					slot, pte_vsid(w0), w0 & PTE0_API_MASK, w0 & PTE0_H ? "sec" : "pri", pte_rpn(w1),
					wimg >> 3 & 1, wimg >> 2 & 1, wimg >> 1 & 1, wimg & 1, w1 & PTE1_PP_MASK,
					w1 & PTE1_R ? 'R' : '-', w1 & PTE1_C ? 'C' : '-', ea_s);
	f->addr = at;
	f->size = PTE_SIZE;
	f->base = pteg->base;
	f->kind = HT_PTE;
	f->has_page = true;
	f->page = (uint64_t)pte_rpn(w1) << PAGE_SHIFT;
}

static void ppc_children(const struct analysis *a, const void *ctx, const struct finding *parent,
			 struct finding_list *out)
{
	uint8_t g[PTEG_SIZE];
	switch (parent->kind) {
	case HT_TABLE:
		if (parent->size > HTAB_MIN)
			add_chunks(a, parent, out);
		else
			add_ptegs(a, parent, out);
		return;
	case HT_CHUNK:
		add_ptegs(a, parent, out);
		return;
	case HT_PTEG:
		if (physmem_read(&a->pm, parent->addr, g, sizeof(g)) != sizeof(g)) {
			add_note(out, "not in RAM");
			return;
		}
		for (unsigned i = 0; i < 8; i++) {
			uint32_t w0 = rd32(g + PTE_SIZE * i, true), w1 = rd32(g + PTE_SIZE * i + 4, true);
			if (w0 & PTE0_V)
				add_pte(ctx, parent, i, w0, w1, out);
		}
		return;
	default:
		return;
	}
}

/* ---- ground truth: the rows of show_hashtables_gtruth ---- */

static void size_text(uint64_t size, char *buf, size_t len)
{
	snprintf(buf, len, "0x%" PRIx64, size);
}

static int ppc_gtruth(struct analysis *a, struct finding_gt *out, struct err *e)
{
	struct htab_gt g;
	if (ppc_htab_gtruth(a, &g, e))
		return -1;
	const struct htab_state *st = ppc_htabs(a);
	size_t logged = 0;
	for (size_t k = 0; k < g.n; k++) {
		const struct htab_gt_item *it = &g.v[k];
		static const enum gt_class cls[] = {[HG_TP] = GT_TP, [HG_SIZE_MISMATCH] = GT_FN, [HG_BOOT] = GT_BOOT,
						    [HG_FN] = GT_FN, [HG_FP] = GT_FP};
		struct finding_gt_row *r = finding_gt_add(out, true, cls[it->cls]);
		char sz[24];
		/* A size mismatch shows on the right only: the table found has its own FP row. */
		if (it->found >= 0 && it->cls != HG_SIZE_MISMATCH) {
			const struct htab *t = &st->v[it->found];
			size_text(t->size, sz, sizeof(sz));
			snprintf(r->found, sizeof(r->found), "0x%08" PRIx64 " %-8s", t->addr, sz);
			if (it->vsids_logged >= 0)
				snprintf(r->found_note, sizeof(r->found_note), "%u PTEs, %d/%d logged VSIDs", t->ptes,
					 it->vsids_in_table, it->vsids_logged);
			else
				snprintf(r->found_note, sizeof(r->found_note), "%u PTEs", t->ptes);
		}
		r->has_node = true;
		r->addr = it->addr;
		r->size = it->size;
		if (it->cls == HG_FP)
			continue;
		logged++;
		size_text(it->size, sz, sizeof(sz));
		snprintf(r->truth, sizeof(r->truth), "0x%08" PRIx64 " %-8s", it->addr, sz);
		snprintf(r->truth_note, sizeof(r->truth_note), "%6.2f-%-6.2f SDR1 0x%08x%s", it->first, it->last, it->sdr1,
			 it->cls == HG_SIZE_MISMATCH ? ", found with another size" : "");
	}
	snprintf(out->found_head, sizeof(out->found_head), "hash tables: %zu found", st->n);
	snprintf(out->truth_head, sizeof(out->truth_head), "sdr1: %zu table%s logged", logged, logged == 1 ? "" : "s");
	if (g.boot)
		snprintf(out->note, sizeof(out->note),
			 "(boot-only tables: superseded before the newest SDR1 was first seen, not counted as FN)");
	ppc_htab_gt_free(&g);
	return 0;
}

const struct findings_ops ppc_findings = {
	.name = "hash tables",
	.one = "hash table",
	.map_mark = 'H',
	.list = ppc_list,
	.children = ppc_children,
	.ctx_free = free,
	.gtruth = ppc_gtruth,
};
