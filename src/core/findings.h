/*
 * findings: what an architecture finds besides page-table trees (PowerPC
 * hash tables, Intel IDTs), as nodes a reader browses like a tree, and
 * its comparison with the ground truth as rows found / logged.  The
 * architecture formats every line; a reader (the explorer) only lays
 * them out, opens nodes and shows the bytes they stand for.
 *
 * findings_list and findings_gtruth read the analysis results: call them
 * while no step runs.  Children are computed from the parent node, the
 * dump, the machine description and the context findings_list left in
 * the set (a copy of what they need of the results), so a tree of
 * findings can be browsed while a step replaces the results.
 */
#ifndef MMU_FINDINGS_H
#define MMU_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "radix-gtruth.h"
#include "util.h"

struct analysis;

#define FINDING_TEXT 128
#define FINDING_NOTE 96

/* One node: a hash table, a PTE group, a PTE, an IDT, a gate... */
struct finding {
	char text[FINDING_TEXT];   /* one line, columns as the set's header names them */
	char note[FINDING_NOTE];   /* after the ground-truth class: evidence, why a ghost was not found */
	uint64_t addr, size;       /* the physical bytes it stands for (size 0: just a place) */
	bool expandable;           /* it has children (fetched when asked) */
	bool has_page;             /* a translation: Enter shows the page */
	uint64_t page;             /* physical address of that page */
	bool classed;              /* cls applies (top-level nodes, with a ground truth) */
	enum gt_class cls;
	bool ghost;                /* only in the ground truth: not found by the analysis */
	unsigned kind;             /* the architecture's: what the node is, for its children */
	uint64_t base;             /* the architecture's: the top node's address, for its children */
};

struct finding_list {
	struct finding *v;
	size_t n, cap;
};

struct findings_ops;

/* The top-level findings (found ones first, then ground-truth ghosts) and what their children need. */
struct findings {
	const struct findings_ops *ops;
	struct finding_list top;
	size_t found;              /* top.v[0..found) were found; the rest are ghosts */
	char header[FINDING_TEXT]; /* column names over the top nodes' text */
	void *ctx;                 /* the architecture's copy of the results children need; may be NULL */
};

/* One row of the comparison: left what was found, right what was logged. */
struct finding_gt_row {
	char found[FINDING_TEXT];  /* "" when nothing was found (FN, boot) */
	char found_note[FINDING_NOTE];
	char truth[FINDING_TEXT];  /* "" when the ground truth does not know it (FP) */
	char truth_note[FINDING_NOTE];
	bool classed;              /* false: not compared (an IDTR base the root does not map) */
	enum gt_class cls;
	bool has_node;             /* the top node this row is about: same addr and size */
	uint64_t addr, size;
};

struct finding_gt {
	struct finding_gt_row *v;
	size_t n, cap;
	size_t tp, fp, fn, boot;
	char found_head[FINDING_TEXT];   /* "hash tables: 2 found" */
	char truth_head[FINDING_TEXT];   /* "sdr1: 2 tables logged (first-last seen, s)" */
	char note[FINDING_TEXT];         /* a line after the rows (what boot-only means...), may be "" */
};

struct findings_ops {
	const char *name;          /* plural, for headings: "hash tables", "IDTs" */
	const char *one;           /* singular, for titles: "hash table", "IDT" */
	char map_mark;             /* the memory map's mark for a band holding one found */
	/* The top nodes (classed when a ground truth is loaded); -1 with the reason (no scan yet). */
	int (*list)(struct analysis *a, struct findings *out, struct err *e);
	/* Appends parent's children to out: reads only the dump, the configuration and ctx (may be NULL). */
	void (*children)(const struct analysis *a, const void *ctx, const struct finding *parent,
			 struct finding_list *out);
	void (*ctx_free)(void *ctx);
	/* The comparison with the ground truth; -1 with the reason when there is none. */
	int (*gtruth)(struct analysis *a, struct finding_gt *out, struct err *e);
};

/* The architecture's findings, or NULL when it offers none. */
const struct findings_ops *findings_ops_of(const struct analysis *a);

/* out is cleared first; on error it stays empty (findings_free is still harmless). */
int findings_list(struct analysis *a, struct findings *out, struct err *e);
void findings_free(struct findings *f);
/* Children of a node of f (its ctx); out is cleared first.  Bounded by the architecture. */
void findings_children(const struct analysis *a, const struct findings *f, const struct finding *parent,
		       struct finding_list *out);
/* The top node a row or a reader names by its bytes, or NULL. */
const struct finding *findings_find(const struct findings *f, uint64_t addr, uint64_t size);

int findings_gtruth(struct analysis *a, struct finding_gt *out, struct err *e);
void finding_gt_free(struct finding_gt *g);

/* Builders for the architectures: a zeroed node / row with printf-formatted text. */
struct finding *finding_add(struct finding_list *l, const char *fmt, ...) MMU_PRINTF(2, 3);
void finding_list_free(struct finding_list *l);
/* A zeroed row, its class counted in g's totals when classed. */
struct finding_gt_row *finding_gt_add(struct finding_gt *g, bool classed, enum gt_class cls);

#endif
