/*
 * radix: the architecture-independent page-table engine.
 *
 * An architecture describes its trees as "shapes" (levels, table sizes,
 * virtual-address split) and decodes one entry at a time (struct
 * radix_ops).  The engine then
 *   1. scans every RAM frame once, in parallel, classifying each block as
 *      empty, data, or a candidate table of some levels (radix_scan);
 *   2. prunes candidates whose pointers lead nowhere, to a fixpoint;
 *   3. checks candidate roots top-down (consistency, sizes, what they map)
 *      with memoisation per (table, level), and keeps the trees that pass
 *      the filters (radix_find_trees, or the architecture's own select);
 *   4. answers walks: resolve, address spaces, table dumps.
 * Candidates are compact records re-decoded from the mapped dump when
 * needed: heap use stays a small fraction of the dump.
 */
#ifndef MMU_RADIX_H
#define MMU_RADIX_H

#include <stdbool.h>
#include <stdint.h>

#include "pagemap.h"
#include "util.h"

struct analysis;
struct cmd_out;
struct sbuf;
struct sess_r;
struct sess_w;

#define RADIX_MAX_LEVELS 6
#define RADIX_MAX_SHAPES 2

enum pte_kind { PTE_EMPTY, PTE_TABLE, PTE_PAGE, PTE_INVALID };

/* Effective permissions of a mapping, printed "RWXrwx" (kernel, then user). */
enum {
	PERM_KR = 1u << 5,
	PERM_KW = 1u << 4,
	PERM_KX = 1u << 3,
	PERM_UR = 1u << 2,
	PERM_UW = 1u << 1,
	PERM_UX = 1u << 0,
	PERM_USER = PERM_UR | PERM_UW | PERM_UX,
	PERM_KERNEL = PERM_KR | PERM_KW | PERM_KX,
};
/* Writes 6 characters and a NUL. */
void perm_str(unsigned perms, char out[7]);
/* Parses "RW-rw-"; -1 on a malformed string. */
int perm_parse(const char *s);

/* One decoded entry at one level. */
struct pte {
	enum pte_kind kind;
	uint64_t raw;
	uint64_t addr;      /* TABLE: next table; PAGE: page base */
	uint64_t size;      /* PAGE: page size; an entry maps at most its VA span of it (radix_page_piece) */
	bool user;          /* PAGE: the entry's own user-access bit (size columns) */
	uint32_t attr;      /* architecture bits carried down the hierarchy */
	const char *why;    /* INVALID: the rule it breaks (static text) */
};

/*
 * Two shapes that differ only in name, root_register, va_signed and
 * va_upper classify memory alike (decode must not read those fields): the
 * scan classifies RAM once for both (AArch64 TTBR0/TTBR1 with one granule
 * and size).
 */
struct radix_shape {
	const char *name;           /* "" for a mode's only tree kind, else "kernel"/"user" */
	/* Ground-truth registers naming these roots, comma-separated: "cr3", "ttbr0,ttbr0_s,ttbr0_64". */
	const char *root_register;
	unsigned levels;            /* tree levels: level 0 is the root table */
	unsigned entry_size;        /* 4 or 8 */
	unsigned level_offset;      /* decode() is called with level + level_offset */
	unsigned classifier;        /* shapes with equal (classifier, level_offset+level) decode alike */
	uint64_t table_size[RADIX_MAX_LEVELS];
	unsigned va_shift[RADIX_MAX_LEVELS];  /* VA bit of index 0 at each level */
	unsigned va_bits;           /* VA width translated */
	bool va_signed;             /* canonical VAs sign-extend bit va_bits-1 */
	uint64_t va_upper;          /* set above va_bits (AArch64 TTBR1 range), else 0 */
	unsigned top_skip;          /* root-table entries hardware never uses (ARM TTBR1 with N > 0) */
	/*
	 * VAs (before va_upper) at or above it go to the other root, 0 = none
	 * (LPAE TTBR0 with T0SZ = 0 and T1SZ > 0): root entries from there on
	 * are never used, and walks stop there.
	 */
	uint64_t va_limit;
	uint64_t param[4];          /* architecture-private (MAXPHYADDR, granule...) */
};

struct radix_state;

struct radix_ops {
	/* Shapes of the configured mode (may read recovered registers). */
	int (*shapes)(struct analysis *a, struct radix_shape *out, unsigned *n, struct err *e);
	/* Decodes raw at 'level' (tree level + level_offset); never reads memory. */
	void (*decode)(const struct radix_shape *s, unsigned level, uint64_t raw, struct pte *out);
	/* Permission hierarchy: start from root_attr, fold each table entry in, finish at the page. */
	uint32_t root_attr;
	uint32_t (*descend)(const struct radix_shape *s, uint32_t acc, const struct pte *table_entry);
	unsigned (*leaf_perms)(const struct radix_shape *s, uint32_t acc, const struct pte *page);
	/* Root table named by a register value; false when it names none (satp bare...). */
	bool (*root_of)(const struct radix_shape *s, uint64_t reg_value, uint64_t *root);
	/* Flags of an entry for show_table, e.g. "P RW US A XD". */
	void (*describe)(const struct radix_shape *s, unsigned level, const struct pte *p, struct sbuf *out);
	/* Optional extra work during the single pass over memory (Intel: IDTs). */
	void *(*scan_begin)(struct analysis *a, unsigned workers);
	void (*scan_frame)(void *ctx, unsigned worker, uint64_t addr, const uint8_t *frame, uint64_t len);
	int (*scan_end)(struct analysis *a, void *ctx, struct err *e);
	/* Optional root selection replacing the generic filters. */
	int (*select)(struct analysis *a, struct err *e);
	/* Optional: adds architecture findings to parse_memory's output (inside its JSON object). */
	void (*report_scan)(struct analysis *a, struct cmd_out *o);
	/* Session support for the scan extras (radix_state.extra). */
	void (*extra_save)(const void *extra, struct sess_w *w);
	int (*extra_load)(struct analysis *a, struct radix_state *st, struct sess_r *r, struct err *e);
};

/* What a subtree maps, memoised per (table, level). */
struct radix_check {
	bool consistent;
	uint64_t kernel_bytes, user_bytes;   /* saturating; by the leaf's own user bit */
	bool maps_data;                      /* some leaf covers a data page */
	bool maps_empty;                     /* some leaf covers an empty block */
	const char *why;                     /* inconsistent: what failed */
	uint64_t bad_table;                  /* inconsistent: where */
};

struct memo_slot;

struct radix_space {
	struct radix_shape shape;
	uint64_t block;            /* smallest non-root table size: the empty-map granularity */
	uint64_t data_block;       /* data-page granularity: max(block, 4 KiB) */
	uint64_t *cand_addr;       /* sorted candidate table addresses */
	uint8_t *cand_levels;      /* bit k: candidate at level k */
	size_t ncand;
	uint64_t level_count[RADIX_MAX_LEVELS];
	uint64_t level_count_scan[RADIX_MAX_LEVELS];  /* before pruning */
	struct pagemap empty, data;
	struct memo_slot *memo;
	size_t memo_cap, memo_used;
};

#define RADIX_TREE_KERNEL_ONLY 1u

struct radix_tree {
	uint64_t root;
	unsigned space;            /* index into radix_state.space */
	uint64_t kernel_bytes, user_bytes;
	uint32_t flags;
	uint64_t anchor;           /* Intel: physical address of the IDT that confirmed it; else 0 */
	bool has_anchor;
	unsigned anchor_errors;    /* handler pages that did not resolve */
};

struct radix_state {
	struct radix_space space[RADIX_MAX_SHAPES];
	unsigned nspaces;
	bool parsed, found;
	struct radix_tree *trees;
	size_t ntrees, trees_cap;
	void *extra;               /* architecture scan results (IDTs) */
	void (*extra_free)(void *);
	double scan_seconds, prune_seconds, find_seconds;
	uint64_t frames, data_blocks, empty_blocks;
	char limit_note[192];      /* find_radix_trees stopped at a limit: what it left out */
	char note[96];             /* find_radix_trees had nothing to look at: no root candidate */
	char filter_note[320];     /* find_radix_trees left a filter off: which, and why */
};

/* Derives block sizes of a space from its shape. */
void radix_space_geometry(struct radix_space *sp);
/* parse_memory / find_tables: scan, classify, prune. */
int radix_scan(struct analysis *a, struct err *e);
/*
 * The tables and trees were found with the shapes a register value gave
 * (ARM TTBCR, AArch64 TCR_EL1): when the values in force now give other
 * shapes (or none), drops them, so that no tree built with another value
 * passes for a current one.  True when it did; the scan must run again.
 */
bool radix_drop_stale(struct analysis *a);
/* find_radix_trees: the architecture's select, or the generic filters. */
int radix_find_trees(struct analysis *a, struct err *e);
void radix_state_free(struct radix_state *r);

/*
 * Bounds that keep a hostile dump (one crafted so that every block looks
 * like a table, or whose tables all point to one another) from exhausting
 * memory or time; doc/bad-input.md lists what each one says.  A variable
 * so that tests can lower them.
 */
struct radix_limits {
	/* Candidate tables of one tree kind: one per cand_bytes of RAM, and cand_min in any dump. */
	uint64_t cand_bytes, cand_min;
	uint64_t vas_max_ranges;   /* ranges of one address space (show_vas, export_vas), in any dump */
	uint64_t vas_range_bytes, vas_min_ranges;  /* and one range per vas_range_bytes of RAM (at least vas_min_ranges) */
	uint64_t vas_max_entries;  /* entries one address-space walk reads (tables shared many times over) */
	size_t idt_max;            /* Intel: IDT candidates kept, the first by address */
	uint64_t idt_work;         /* Intel: walks find_radix_trees spends on IDTs times roots */
};
extern struct radix_limits radix_limits;
/* The candidate tables one tree kind may have in this dump. */
uint64_t radix_max_candidates(const struct analysis *a);

/* Generic filters: level-0 candidate, consistent, not empty, maps a start page. */
enum radix_start { RADIX_START_DATA, RADIX_START_DATA_OR_EMPTY };
int radix_select_generic(struct analysis *a, enum radix_start start, struct err *e);
/* 0 when the architecture has trees and the table scan ran; else the message saying what to do. */
int radix_need_tables(const struct analysis *a, struct err *e);
void radix_add_tree(struct radix_state *r, const struct radix_tree *t);
void radix_sort_trees(struct radix_state *r);

/* Candidate lookups. */
bool radix_is_candidate(const struct radix_space *sp, uint64_t addr, unsigned level);
size_t radix_candidates_at(const struct radix_space *sp, unsigned level, uint64_t **out); /* allocated */

/*
 * Whether a table of this level can be at addr: aligned to its size and
 * wholly in RAM (an address a user gives: show_table, resolve, show_vas,
 * export_vas; any such table may be walked, an analyst may look at one the
 * filters left out).  0, or -1 with why.
 */
int radix_table_fits(const struct analysis *a, const struct radix_space *sp, uint64_t addr, unsigned level,
		     struct err *e);
/* Reads entry i of the table at addr; false when absent. */
bool radix_read_entry(const struct analysis *a, const struct radix_space *sp, uint64_t table, uint64_t i,
		      uint64_t *raw);
/* Decodes at a tree level, dropping table pointers into not-RAM (MMIO). */
void radix_decode(const struct analysis *a, const struct radix_space *sp, unsigned level, uint64_t raw,
		  struct pte *out);
uint64_t radix_entries(const struct radix_space *sp, unsigned level);
/* Root-table entries hardware uses: [top_skip, radix_root_end). */
uint64_t radix_root_end(const struct radix_space *sp);
/*
 * What entry i of a level maps of the page p decodes to: a page larger
 * than the entry's VA span (ARM supersections, large pages: 16 entries
 * repeat one descriptor) gives each entry the piece at its VA offset.
 */
void radix_page_piece(const struct radix_space *sp, unsigned level, uint64_t i, const struct pte *p, uint64_t *pa,
		      uint64_t *len);

/* Memoised subtree check of the candidate table at (addr, level). */
const struct radix_check *radix_check(struct analysis *a, struct radix_space *sp, uint64_t addr, unsigned level);
/* Root test shared by search and ground truth: candidate, consistent, not empty. */
const char *radix_root_problem(struct analysis *a, struct radix_space *sp, uint64_t root);
/* True when some page of the tree covers physical address pa. */
bool radix_maps_phys(struct analysis *a, const struct radix_space *sp, uint64_t root, uint64_t pa);
/* The same for many roots and one address: shared subtrees are walked once. */
struct physq_slot;
struct radix_physq {
	uint64_t pa;
	struct physq_slot *slots;
	size_t cap, used;
};
void radix_physq_init(struct radix_physq *q, uint64_t pa);
bool radix_physq_maps(struct analysis *a, const struct radix_space *sp, struct radix_physq *q, uint64_t root);
void radix_physq_free(struct radix_physq *q);

/*
 * A summary of what trees map, defined by the caller: leaf() returns bits
 * for one mapped piece (physical range, effective permissions) and a tree's
 * summary is their OR.  Memoised per (table, level, inherited permission
 * state): trees sharing subtrees walk them once per query.  A subtree walk
 * stops once it has every bit of 'all'.
 */
struct sumq_slot;
struct radix_sumq {
	unsigned (*leaf)(void *ctx, uint64_t pa, uint64_t len, unsigned perms);
	void *ctx;
	unsigned all;
	struct sumq_slot *slots;
	size_t cap, used;
};
void radix_sumq_init(struct radix_sumq *q, unsigned (*leaf)(void *, uint64_t, uint64_t, unsigned), void *ctx,
		     unsigned all);
unsigned radix_sumq_tree(const struct analysis *a, const struct radix_space *sp, struct radix_sumq *q, uint64_t root);
void radix_sumq_free(struct radix_sumq *q);

/* Walk of one virtual address. */
struct radix_walk_step {
	unsigned level;
	uint64_t table, index, entry_addr, raw;
	struct pte pte;
};
struct radix_walk {
	struct radix_walk_step step[RADIX_MAX_LEVELS];
	unsigned nsteps;
	bool ok;
	uint64_t pa;
	unsigned perms;
	const char *why;           /* !ok: why the walk stopped */
};
void radix_resolve(const struct analysis *a, const struct radix_space *sp, uint64_t root, uint64_t va,
		   struct radix_walk *w);

/* Canonical VA of an index path prefix. */
uint64_t radix_va(const struct radix_space *sp, uint64_t va);
/* Last VA the shape translates. */
uint64_t radix_va_last(const struct radix_space *sp);

/* A virtual address space: sorted ranges, merged when contiguous in VA and PA with equal perms. */
struct vrange {
	uint64_t va, size, pa;
	unsigned perms;
};
struct vas {
	struct vrange *r;
	size_t n, cap;
	uint64_t pages;            /* leaves visited */
	uint64_t entries;          /* entries read */
	uint64_t max_ranges;       /* the range limit for this dump (radix_limits) */
	bool truncated;            /* stopped at a limit (radix_limits) */
	const char *why;           /* truncated: "too many ranges" or "too many entries to read" */
};
void radix_vas(const struct analysis *a, const struct radix_space *sp, uint64_t root, struct vas *out);
/* The same, reading at most max_entries entries (a quick look: ARM identity maps). */
void radix_vas_bounded(const struct analysis *a, const struct radix_space *sp, uint64_t root, uint64_t max_entries,
		       struct vas *out);
void vas_free(struct vas *v);

/* Finds the space whose trees contain root (a found tree), or -1. */
int radix_tree_index(const struct radix_state *r, uint64_t root, int space);

#endif
