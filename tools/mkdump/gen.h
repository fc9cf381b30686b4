/*
 * gen: the generator's inside, shared by the framework (gen.c, phys.c,
 * radix.c, os.c, content.c, output.c) and the architecture files
 * (gen-<arch>.c).
 *
 * An architecture is one const struct mkdump_arch: its modes, its physical
 * layout, and for radix-tree MMUs a struct radix_ops that encodes and
 * decodes entries.  The framework builds a Linux-like system on top: one
 * kernel tree shared by every process, user address spaces, a boot-time
 * tree, noise and decoys.  Content that only one architecture has (the
 * Intel IDT, machine code that loads MMU registers, the PowerPC hash
 * table) comes from the architecture's extras (struct mkdump_extra), which
 * run at fixed points of the build and use the helpers declared below.
 *
 * Writing an extra:
 *   - list it in the architecture's extras[] with PHASE_KERNEL (kernel
 *     mappings made then reach every process) or PHASE_LATE (after all
 *     trees);
 *   - kernel code: phys_bytes(g, g->k.text_pa + off) gives the bytes of a
 *     kernel text page (mapped kernel R-X at g->k.text_va + off in every
 *     tree), already filled with code-like noise around what is written;
 *   - new pages: phys_alloc(), then gen_map_kernel() to map them;
 *   - registers: gen_add_register(); machine.yaml cpu lines: g->cpu_yaml;
 *     top-level expected.yaml keys: g->expected_yaml (document them in
 *     doc/formats.md);
 *   - an architecture without page-table trees (MIPS, PowerPC hash) sets
 *     .radix = NULL: its setup fills the physical layout and its extras
 *     build everything; add it to archs[] in gen.c.
 */
#ifndef MMU_MKDUMP_GEN_H
#define MMU_MKDUMP_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expected.h"
#include "mkdump.h"
#include "util.h"

/* ---- pseudo-random numbers: xoshiro256** seeded through splitmix64 ---- */

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
static inline uint64_t rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}
static inline uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rng_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return result;
}
/* Uniform in [0, n); n > 0.  Multiply-shift: no division, bias negligible here. */
static inline uint64_t rng_below(struct rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}
/* Random bits handed out a few at a time (content generation calls the PRNG less). */
struct rng_bits {
	struct rng *r;
	uint64_t pool;
	unsigned left;
};
static inline unsigned rng_take(struct rng_bits *b, unsigned n)
{
	if (b->left < n) {
		b->pool = rng_next(b->r);
		b->left = 64;
	}
	unsigned v = (unsigned)(b->pool & ((1u << n) - 1));
	b->pool >>= n;
	b->left -= n;
	return v;
}
/* Uniform in [lo, hi]. */
uint64_t rng_range(struct rng *r, uint64_t lo, uint64_t hi);
/* True with probability percent/100. */
bool rng_chance(struct rng *r, unsigned percent);
/* Mixes a seed with a value into a new seed (independent streams per frame, per process...). */
uint64_t rng_mix(uint64_t seed, uint64_t v);

/* ---- permissions: the 6 characters "RWXrwx" of expected.yaml ---- */

enum {
	PERM_KR = EXP_PERM_KR,
	PERM_KW = EXP_PERM_KW,
	PERM_KX = EXP_PERM_KX,
	PERM_UR = EXP_PERM_UR,
	PERM_UW = EXP_PERM_UW,
	PERM_UX = EXP_PERM_UX,
};

/* What a mapping asks for; each architecture turns it into entry bits. */
enum {
	MA_USER = 1u << 0,    /* user accessible */
	MA_WRITE = 1u << 1,
	MA_EXEC = 1u << 2,
	MA_DEVICE = 1u << 3,  /* MMIO: uncached attributes */
};

/*
 * Restrictions a table (pointer) entry may put on everything below it.
 * Encoders honour the ones their architecture has; the walk decodes the
 * bits actually written, so expected.yaml is exact either way.
 */
enum {
	TF_NO_USER = 1u << 0,
	TF_NO_WRITE = 1u << 1,
	TF_NO_UEXEC = 1u << 2,
	TF_NO_KEXEC = 1u << 3,
};

/* ---- tree geometry ---- */

#define GEN_MAX_LEVELS 5

struct level_geom {
	unsigned shift;         /* an entry of this level covers 2^shift bytes of VA */
	uint32_t entries;       /* entries in one table of this level */
	uint64_t leaf_shifts;   /* bit s set: a leaf of a 2^s-byte page may sit here */
};

struct tree_geom {
	const char *name;       /* "unified", "user" or "kernel" */
	unsigned levels;
	unsigned entry_bytes;   /* 4 or 8 */
	unsigned top_align;     /* alignment of the top table (>= its size) */
	uint64_t va_first, va_last;  /* canonical VA range the tree translates */
	unsigned sign_bit;      /* VAs sign-extend from this bit; 0 = not at all */
	struct level_geom lv[GEN_MAX_LEVELS];
};

static inline uint64_t geom_table_bytes(const struct tree_geom *t, unsigned level)
{
	return (uint64_t)t->lv[level].entries * t->entry_bytes;
}
static inline unsigned geom_page_shift(const struct tree_geom *t)
{
	return t->lv[t->levels - 1].shift;
}

/* ---- entries ---- */

enum entry_kind { ENT_EMPTY, ENT_TABLE, ENT_LEAF };

struct entry_info {
	enum entry_kind kind;
	uint64_t addr;          /* next table, or the page base */
	unsigned page_shift;    /* leaves: log2 of the page size */
};

struct gen;
struct gtree;

struct radix_ops {
	/* A pointer to the table at pa, for a mapping with attributes attr. */
	uint64_t (*table_entry)(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t pa,
				unsigned attr, unsigned tflags);
	/* A leaf mapping the 2^page_shift page at pa. */
	uint64_t (*leaf_entry)(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t pa,
			       unsigned page_shift, unsigned attr);
	void (*decode)(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
		       struct entry_info *out);
	/* The TF_* restrictions a decoded table entry puts below itself. */
	unsigned (*table_restrictions)(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw);
	/* Effective PERM_* of a leaf under the restrictions accumulated above it. */
	unsigned (*leaf_perms)(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
			       unsigned tflags);
	/*
	 * A variant of a present entry that breaks one rule the architecture
	 * has (a reserved bit, a forbidden flag) for the adversarial pages;
	 * returns raw unchanged when it has none for that level.
	 */
	uint64_t (*corrupt)(const struct gen *g, const struct tree_geom *t, unsigned level, uint64_t raw,
			    struct rng *r);
	/* The value of the tree's root register (ASID, PCID, MODE bits...). */
	uint64_t (*root_register)(struct gen *g, const struct gtree *tree);
};

/* ---- architectures ---- */

struct mkdump_mode {
	const char *name;       /* as in mmu.mode */
	unsigned bits;          /* cpu.bits */
};

/* When an extra runs. */
enum mkdump_phase {
	PHASE_KERNEL,   /* after the kernel tree, before any process: kernel mappings made here reach every process */
	PHASE_LATE,     /* after every tree (processes, boot tree), before decoys and output */
};

struct mkdump_extra {
	const char *name;
	enum mkdump_phase phase;
	int (*run)(struct gen *g, struct err *e);
};

struct mkdump_arch {
	const char *name;
	const struct mkdump_mode *modes;
	size_t nmodes;
	bool big_endian;
	bool both_endians;      /* --endian may pick the other byte order */
	/* Rejects options that do not apply and fills the mode's geometry, layout and registers. */
	int (*setup)(struct gen *g, struct err *e);
	const struct radix_ops *radix;      /* NULL: no page-table trees (the extras build everything) */
	const struct mkdump_extra *extras;
	size_t nextras;
	/* Writes one plausible instruction-like word sequence for code pages; NULL = generic bytes. */
	void (*code_bytes)(struct rng *r, uint8_t *buf, size_t len, bool big_endian);
};

extern const struct mkdump_arch mkdump_arch_intel;
extern const struct mkdump_arch mkdump_arch_riscv;
extern const struct mkdump_arch mkdump_arch_arm;
extern const struct mkdump_arch mkdump_arch_aarch64;
extern const struct mkdump_arch mkdump_arch_mips;
extern const struct mkdump_arch mkdump_arch_ppc;

/* ---- physical memory ---- */

#define GEN_FRAME 4096ULL
#define GEN_FRAME_SHIFT 12
#define GEN_MAX_REGIONS 16

/* What fills a frame in the dump. */
enum frame_kind {
	FK_FREE,        /* noise, chosen by --noise when the dump is written */
	FK_STORED,      /* bytes held in memory: tables, IDT, decoys, extras */
	FK_ZERO,        /* allocated, all zero */
	FK_CODE,        /* instruction-like bytes */
	FK_TEXT,        /* ASCII text */
	FK_RANDOM,      /* random bytes */
	FK_STRUCT,      /* data structures: pointers, small integers, zeros */
};

struct gen_region {
	uint64_t start, size;
	uint64_t first_frame;   /* global frame number of start */
};

struct gen_window {         /* a not-RAM (MMIO) range */
	uint64_t start, size;
};

/* ---- trees and registers ---- */

struct gtree {
	const struct tree_geom *geom;
	uint64_t root;          /* physical address of the top table */
	const char *kind;       /* process, kernel or user (expected.yaml) */
	const char *reg;        /* root register name */
	uint64_t reg_value;
	double first_seen, last_seen;
	uint64_t count;
	bool boot;              /* only used while booting (last_seen < 1 s) */
	int process;            /* process number, or -1 */
};

struct gen_reg {
	const char *name;
	uint64_t value;
	double first_seen, last_seen;
	uint64_t count;
};

struct gen_decoy {
	uint64_t addr;
	const char *what;
};

/* Where the kernel put things, for extras that reference them. */
struct gen_kernel {
	uint64_t text_va, text_pa, text_size;   /* kernel text: contiguous, kernel R-X */
	uint64_t data_va, data_pa, data_size;   /* kernel data: contiguous, kernel RW- */
	uint64_t direct_va, direct_size;        /* direct map of RAM from its lowest address */
};

struct gen {
	const struct mkdump_opts *o;
	const struct mkdump_arch *arch;
	unsigned mode;                  /* index in arch->modes */
	struct rng rng;
	bool big_endian;
	unsigned bits;
	unsigned m_phy;                 /* physical address bits (intel: MAXPHYADDR) */
	unsigned table_flags;           /* TF_* the mode's pointer entries can express */

	/* physical layout */
	uint64_t ram_base;              /* where RAM starts (arch setup) */
	uint64_t alloc_limit;           /* frames for tables and pages stay below this; 0 = none */
	uint64_t device_page;           /* size of the big device mapping (largest kernel leaf); 0 = none */
	uint64_t device_min;            /* lowest address for the device window */
	struct gen_region regions[GEN_MAX_REGIONS];
	unsigned nregions;
	struct gen_window windows[GEN_MAX_REGIONS + 2];
	unsigned nwindows;
	uint64_t device_window;         /* start of the big device window (also in windows[]) */
	uint64_t nframes;
	uint8_t *kind;                  /* enum frame_kind per frame */
	uint8_t **store;                /* FK_STORED bytes per frame */
	uint64_t slab_frame[13];        /* sub-frame tables: current frame per log2 size (0 = none) */
	uint32_t slab_used[13];

	/* virtual layout and trees (radix architectures) */
	const struct tree_geom *user_geom;     /* process (unified) or TTBR0 trees */
	const struct tree_geom *kernel_geom;   /* kernel tree; == user_geom when unified */
	bool split;                     /* kernel and user halves in different trees */
	uint64_t user_first, user_end;  /* user VA window [first, end) */
	uint64_t kernel_first;          /* kernel VA window [first, top of the address space] */
	uint64_t kernel_last;
	const char *user_reg, *kernel_reg;      /* root register names */
	struct gtree *trees;
	size_t ntrees, trees_cap;
	size_t kernel_tree_index;       /* the kernel tree in trees[] */
	struct gen_kernel k;
	uint64_t *shared_code;          /* shared library pages (physical), mapped by every process */
	size_t nshared_code;

	struct gen_reg *regs;
	size_t nregs, regs_cap;
	struct gen_decoy *decoys;
	size_t ndecoys, decoys_cap;
	/* Extra top-level YAML for machine.yaml's cpu section and for expected.yaml. */
	struct sbuf cpu_yaml;           /* lines under "cpu:" (processor_features...) */
	struct sbuf expected_yaml;      /* top-level keys appended to expected.yaml */
	void *arch_data;                /* the architecture's own state */
	uint64_t code_cursor;           /* kernel text offset after the last function placed (gen_place_code) */
	uint8_t *text_corpus, *code_corpus;     /* see content_prepare */
};

/* ---- framework helpers (for architecture files and extras) ---- */

/* Mode options an architecture accepts (the others are rejected with a clear message). */
enum {
	OPT_GRANULE = 1u << 0,
	OPT_TXSZ = 1u << 1,     /* --t0sz, --t1sz */
	OPT_TTBCR_N = 1u << 2,
};
int gen_check_options(const struct gen *g, unsigned allowed, struct err *e);

/* Frame number of pa, or UINT64_MAX when pa is not RAM. */
uint64_t phys_frame(const struct gen *g, uint64_t pa);
uint64_t phys_frame_addr(const struct gen *g, uint64_t frame);
bool phys_is_ram(const struct gen *g, uint64_t pa);
/*
 * Allocates bytes (a multiple of 4 KiB) aligned to align at a random free
 * place below alloc_limit and marks the frames with kind.  0, or -1 when no
 * such run is free.
 */
int phys_alloc(struct gen *g, uint64_t bytes, uint64_t align, enum frame_kind kind, uint64_t *pa);
/* Takes [pa, pa+bytes) (4 KiB multiples) at that exact place; -1 when it is not free RAM. */
int phys_alloc_at(struct gen *g, uint64_t pa, uint64_t bytes, enum frame_kind kind);
/* Like phys_alloc but gives up after a few random probes (for optional contiguity). */
int phys_alloc_quick(struct gen *g, uint64_t bytes, uint64_t align, enum frame_kind kind, uint64_t *pa);
/* A table of bytes (any power of two >= 8), packing small ones several per frame. */
int phys_alloc_table(struct gen *g, uint64_t bytes, uint64_t align, uint64_t *pa);
/* Writable bytes of the frame holding pa (made FK_STORED, keeping any generated content). */
uint8_t *phys_bytes(struct gen *g, uint64_t pa);
/* Reads/writes an entry of entry_bytes at pa in the machine's byte order. */
uint64_t phys_read_entry(const struct gen *g, uint64_t pa, unsigned entry_bytes);
void phys_write_entry(struct gen *g, uint64_t pa, unsigned entry_bytes, uint64_t v);
/* Builds the text and code corpora content_fill copies from (once, after the setup). */
void content_prepare(struct gen *g);
/* Fills buf with the content of frame kind (deterministic in the frame address). */
void content_fill(const struct gen *g, enum frame_kind kind, uint64_t pa, uint8_t *buf);
/* What a free frame holds at the chosen noise level. */
enum frame_kind noise_kind(const struct gen *g, uint64_t pa);
/* Instruction-like words: fixed bits with some fields random. */
struct code_template {
	uint32_t bits, random;
};
void code_words(struct rng *r, uint8_t *buf, size_t len, bool big, const struct code_template *t, size_t n);
/* The same with template k drawn in proportion to weight[k] (code_words: all 1). */
void code_words_weighted(struct rng *r, uint8_t *buf, size_t len, bool big, const struct code_template *t,
			 const unsigned *weight, size_t n);
/* The message for running out of RAM. */
int gen_out_of_ram(const struct gen *g, struct err *e);

/* Creates a tree with an empty top table; returns its index in g->trees. */
int tree_new(struct gen *g, const struct tree_geom *geom, const char *kind, const char *reg, size_t *index);
/*
 * Maps [va, va+size) to [pa, pa+size) with pages of 2^page_shift bytes
 * (va, pa and size aligned to it).  New pointer entries get tflags.
 */
int tree_map(struct gen *g, size_t tree, uint64_t va, uint64_t pa, uint64_t size, unsigned page_shift,
	     unsigned attr, unsigned tflags);
/* Largest leaf page shift the tree allows for va/pa/size alignment (the base page at least). */
unsigned tree_best_shift(const struct tree_geom *t, uint64_t va, uint64_t pa, uint64_t size, unsigned max_shift);
/* Copies the top-table entries covering [va_first, va_last] from tree src into tree dst. */
void tree_share_top(struct gen *g, size_t dst, size_t src, uint64_t va_first, uint64_t va_last);

/* Maps kernel pages in the kernel tree (before processes exist, so every process sees them). */
int gen_map_kernel(struct gen *g, uint64_t va, uint64_t pa, uint64_t size, unsigned attr, unsigned tflags,
		   struct err *e);
/*
 * Kernel code (code.c).  A function is a list of 32-bit words; placed in
 * the kernel text (g->k.text_*) after the previous one with a random gap,
 * in the byte order given.  Returns its physical address in *pa.
 */
#define CODE_FN_MAX 512
struct code_fn {
	uint32_t w[CODE_FN_MAX];
	size_t n;
};
static inline void fn_put(struct code_fn *f, uint32_t w)
{
	if (f->n < CODE_FN_MAX)
		f->w[f->n++] = w;
}
int gen_place_code(struct gen *g, const struct code_fn *f, bool big, uint64_t *pa, struct err *e);
/* An expected.yaml code_registers line: a value kernel code writes exactly, from this many sites. */
void gen_expect_code_register(struct gen *g, const char *name, uint64_t value, unsigned sites);
/* Records a register value for gtruth.yaml. */
void gen_add_register(struct gen *g, const char *name, uint64_t value, double first_seen, double last_seen,
		      uint64_t count);
void gen_add_decoy(struct gen *g, uint64_t addr, const char *what);
/* Canonical form of a VA of tree t (sign extension). */
uint64_t geom_canonical(const struct tree_geom *t, uint64_t va);

/* ---- framework stages (gen.c drives them) ---- */

int layout_ram(struct gen *g, struct err *e);
int os_build(struct gen *g, struct err *e);
int decoys_build(struct gen *g, struct err *e);
int run_extras(struct gen *g, enum mkdump_phase phase, struct err *e);
/* Creates the output folder (early, so a bad -o fails before any work). */
int output_prepare(const struct gen *g, struct err *e);
int output_write(struct gen *g, struct err *e);
/* Walks tree i and appends its merged ranges as expected.yaml lines. */
void radix_write_ranges(const struct gen *g, const struct gtree *tree, struct sbuf *out);

#endif
