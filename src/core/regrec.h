/*
 * regrec: MMU register recovery from the kernel's code (find_registers_values).
 *
 *   site scan   every RAM frame, in parallel: the architecture's bit
 *               patterns find the instructions that write or read MMU
 *               registers (and, for the tree filters, returns, exception
 *               returns and indirect branches); no disassembler
 *   analysis    every write of an analysed register (TTBCR, TCR_EL1...):
 *               the value of its source register just before the write,
 *               by the dataflow engine (dataflow.h), in parallel
 *   candidates  per register: values whose needed fields are known, valid,
 *               merged by MMU equivalence, ranked; the best is selected
 *
 * Architectures describe all of this with data: a struct regrec_ops (in
 * src/arch/) lists the instruction sets, the system registers the scan
 * recognises, and the analysed registers with their field layouts.
 *
 * Adding an architecture (MIPS, PowerPC), in src/arch/<arch>-regrec.c:
 *   - a struct df_isa per instruction set and byte order (dataflow.h):
 *     Capstone arch/mode, registers and their cpu.registers_values names,
 *     decode() filling a struct df_insn from the instruction word (flow,
 *     delay slots, likely, stop and stop_skip, micro-operations, clobbers,
 *     compares), and where needed prev(), code_phys() / data_phys() (MIPS
 *     kseg0/1), sysreg_name() (mfc0/mfspr reads by name)
 *   - the scan: scan() on raw words appends struct regrec_site records
 *     (kind, index into sysregs, isa index, source registers; src2 is
 *     analysed too and comes back in val[1], for mtsrin's segment number)
 *   - a struct regrec_reg per recovered register: fields (RF_KEY are needed,
 *     compared and scored; RF_RES0 must be 0), check(), plausibility(),
 *     ground-truth names, reset value
 *   - frame_size, max_addr (MIPS: 512 MiB), code_addr (MIPS: PA -> kseg0)
 *   - .regrec = &<arch>_regrec in the architecture's struct arch_ops.
 * find_registers_values, show_registers and show_registers_gtruth then work
 * unchanged; parse_memory may call regrec_find() itself.
 */
#ifndef MMU_REGREC_H
#define MMU_REGREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataflow.h"
#include "util.h"

struct analysis;
struct cmd_out;
struct gtruth;
struct machine_config;
struct session_section;

enum regrec_kind {
	RR_WRITE,        /* MSR, MCR, MTC0, mtspr...: src holds the value written */
	RR_READ,         /* MRS, MRC...: src is the destination */
	RR_WRITE64,      /* MCRR: src = low word, src2 = high word */
	RR_READ64,       /* MRRC */
	RR_RET,
	RR_ERET,
	RR_BR,           /* indirect jump */
	RR_BLR,          /* indirect call */
	RR_KIND_COUNT
};

#define RR_NO_SYSREG 0xFFFF

struct regrec_site {
	uint64_t addr;       /* physical address of the instruction */
	uint16_t sysreg;     /* index into ops->sysregs, RR_NO_SYSREG for control-flow kinds */
	uint8_t kind;        /* enum regrec_kind */
	uint8_t isa;         /* index into ops->isas */
	uint8_t src, src2;   /* engine register numbers, DF_REG_NONE when absent */
};

struct regrec_sites {
	struct regrec_site *v;
	size_t n, cap;
};

/* A system register the site scan recognises. */
struct regrec_sysreg {
	const char *name;    /* lower case, as the manual spells it: "tcr_el12" */
	int8_t analysed;     /* index into ops->regs that its writes feed, or -1 */
	/*
	 * index_bits > 0: the register written is chosen at run time by src2
	 * (PowerPC mtsrin: SR[rB >> 28]): analysed + ((src2 >> index_shift) &
	 * (2^index_bits - 1)), once per known index in src2's value set.
	 */
	uint8_t index_shift, index_bits;
};

enum regrec_field_flags {
	RF_KEY = 1,          /* needed (must be known), compared for MMU equivalence and ground-truth score */
	RF_EQUIV = 2,        /* compared for MMU equivalence only */
	RF_RES0 = 4,         /* reserved: a known 1 makes the value invalid */
};

struct regrec_field {
	const char *name;    /* as in the manual: "T0SZ" */
	uint8_t hi, lo;
	uint8_t flags;
};

struct regrec_layout {
	const char *name;    /* "short", "long"; shown as the layout of a value */
	const struct regrec_field *fields;
	size_t nfields;
	/* Checks beyond RES0 fields: NULL when valid, else the reason.  Unknown bits are in unknown. */
	const char *(*check)(uint64_t value, uint64_t unknown);
	/* Ranking points: how many plausibility rules the value meets (7.8 of the spec). */
	unsigned (*plausibility)(uint64_t value, uint64_t unknown);
	/* What the value means in one phrase ("table 0xfe0000, 128 KiB"), or NULL. */
	void (*describe)(uint64_t value, uint64_t unknown, struct sbuf *out);
	/* Checks that depend on the machine (MIPS Release 6 rules, from the configured Config), or NULL. */
	const char *(*check_machine)(const struct machine_config *cfg, uint64_t value, uint64_t unknown);
	/*
	 * Why a valid value cannot drive the table search on this machine (a
	 * TTBCR layout other than mmu.mode, a TxSZ below what find_tables
	 * supports), or NULL.  Such values stay candidates but are never
	 * selected, and set_* refuses them.  NULL: every valid value is usable.
	 */
	const char *(*unusable)(const struct machine_config *cfg, uint64_t value, uint64_t unknown);
};

/* A register whose value is recovered and shown. */
struct regrec_reg {
	const char *name;         /* lower case, as in the ground truth: "tcr_el1", "ttbcr" */
	const char *display;      /* "TCR_EL1" */
	const char *set_command;  /* "set_tcr" */
	uint8_t bits;
	uint64_t selector;        /* bit selecting layouts[1] (TTBCR.EAE); 0: layouts[0] only */
	const struct regrec_layout *layouts[2];
	const char *const *gt_names;  /* ground-truth names compared, NULL-terminated */
	bool has_reset;           /* architectural reset value (--assume-reset) */
	uint64_t reset;
	/*
	 * The OS changes it all the time (PowerPC user segment registers):
	 * a candidate equal to any logged value is a true positive, not only
	 * to the latest.
	 */
	bool gt_any;
};

struct regrec_scan_opts {
	const struct machine_config *cfg;  /* may be NULL (tests) */
	bool data_big;            /* the machine's byte order (MIPS reads instruction words in it) */
	bool thumb;               /* also look for Thumb-2 encodings (ARM) */
	bool instr_big;           /* ARM: A32 instruction words big-endian (legacy BE32) */
};

struct regrec_ops {
	const struct df_isa *const *isas;
	size_t nisas;
	const struct regrec_sysreg *sysregs;
	size_t nsysregs;
	const struct regrec_reg *regs;
	size_t nregs;
	uint64_t frame_size;      /* scan frame (power of two) */
	uint64_t max_addr;        /* scan only below this physical address; 0: everywhere */
	/*
	 * Appends the sites starting in [addr, addr + len) to out.  next points
	 * to bytes following the frame (NULL at the end of RAM), nnext of them,
	 * for instructions that straddle the frame end.
	 */
	void (*scan)(const struct regrec_scan_opts *o, uint64_t addr, const uint8_t *p, size_t len,
		     const uint8_t *next, size_t nnext, struct regrec_sites *out);
	/* Physical address of a site -> the engine's code address; NULL: identity. */
	uint64_t (*code_addr)(uint64_t phys);
	/* One line added to show_registers when no candidate is usable (how to seed), or NULL. */
	const char *hint;
	/*
	 * Ground truth as the original does it for MIPS and PowerPC: a register
	 * not logged is compared with its cpu.registers_values default, a
	 * register in neither is not compared, and the false positives of a
	 * false-negative register count in fp_all only.
	 */
	bool gt_config_fallback;
};

/* One distinct value (element of a value set) a candidate class holds. */
struct regrec_elem {
	uint64_t value, unknown;
	uint32_t sites, paths;
};

/* A class of MMU-equivalent values. */
struct regrec_cand {
	uint64_t value, unknown;  /* join of the class's values (unknown bits are 0 in value) */
	uint32_t sites;           /* distinct code sites producing it */
	uint32_t paths;           /* value-set elements producing it */
	uint64_t first_site;      /* lowest such site (physical; shown as regrec_code_addr) */
	bool config;              /* cpu.registers_values gives it */
	bool valid;
	char why[96];             /* reason when invalid */
	bool usable;              /* valid and usable on this machine (regrec_unusable) */
	char unusable[96];        /* reason when valid but not usable */
	unsigned plaus;
	struct regrec_elem *elems;
	size_t nelems;
};

struct regrec_regres {
	struct regrec_cand *cands;     /* valid classes, ranked best first; the first usable one is selected */
	size_t ncands;
	struct regrec_cand *invalid;   /* reserved bits set, impossible sizes */
	size_t ninvalid;
	struct regrec_cand *partial;   /* needed bits unknown: not usable */
	size_t npartial;
	uint32_t sites;                /* write sites analysed */
	uint32_t skipped;              /* write sites over RR_MAX_ANALYSED, not analysed */
	uint32_t outcome[DF_STATUS_COUNT];
	bool overridden;               /* set_tcr / set_ttbcr */
	uint64_t override;
};

struct regrec_site_res {
	uint32_t site;                 /* index into sites */
	uint16_t reg;                  /* index into ops->regs */
	struct df_result r;            /* val[0]: the source register; val[1]: src2 when the site has one */
};

struct reg_results {
	const struct regrec_ops *ops;
	bool found;                    /* find_registers_values ran */
	bool assume_reset;
	struct regrec_sites sites;     /* sorted by address */
	struct regrec_site_res *res;
	size_t nres;
	struct regrec_regres *regs;    /* ops->nregs entries */
	double scan_seconds, analyse_seconds;
	uint64_t scanned_bytes;         /* RAM scanned: below ops->max_addr when it is not 0 (MIPS: 512 MiB, kseg0's reach) */
	uint64_t dropped_sites;        /* over the scan's caps (a dump full of site patterns) */
	uint32_t unrouted;             /* indexed writes (mtsrin) whose register number stayed unknown */
	uint64_t run_budget;           /* instructions decoded and evaluated the run may spend */
	uint64_t run_used;             /* ... and spent */
	uint32_t budget_skipped;       /* write sites not analysed when it ran out (outcome DF_RUN_BUDGET) */
	unsigned threads;
	const struct machine_config *cfg;  /* defaults for the ground-truth fallback */
};

/* Write sites analysed per register at most (an evenly spread subset beyond). */
#define RR_MAX_ANALYSED 4096

/*
 * The run's budget: instructions decoded and evaluated by all the analyses
 * together.  Each analysis is bounded by df_limits, but a dump made of site
 * patterns has thousands of sites sharing one large region, and its cost
 * grows with the square of their density.  RR_RUN_PER_WORD per 32-bit word
 * of scanned code, at least RR_RUN_FLOOR; real kernels use well under a
 * hundredth of it.  The sites are cut into RR_RUN_CHUNKS pieces in address
 * order, each with its share of the budget, so which sites are left out
 * (outcome DF_RUN_BUDGET) does not depend on the threads' number or timing.
 * A piece starts a site while it has budget left, so the run may go over by
 * at most RR_RUN_CHUNKS sites' own limits.
 */
#define RR_RUN_PER_WORD 4
#define RR_RUN_FLOOR (1ULL << 24)
#define RR_RUN_CHUNKS 64

struct regrec_opts {
	bool assume_reset;             /* a read of the analysed register gives its reset value */
	bool no_thumb;
	bool be32;                     /* ARM: A32 instruction words big-endian (legacy BE32) */
	bool cross_zeros;              /* parity: zero runs do not end the backward walk */
};

/*
 * The code address of a site at physical address phys, as the engine and
 * every command show it (region starts too): MIPS kseg0 (PA + 0x80000000),
 * the physical address elsewhere.
 */
uint64_t regrec_code_addr(const struct regrec_ops *ops, uint64_t phys);

/* The architecture's recovery table, or NULL when it has none (Intel, RISC-V). */
const struct regrec_ops *regrec_ops_of(const struct analysis *a);

/* The site scan alone (MIPS and PowerPC parse_memory); forgets earlier results (set_* overrides stay). */
int regrec_scan(struct analysis *a, struct err *e);
/* parse_memory's report of the sites found by regrec_scan (cmd-registers.c). */
void regrec_report_sites(const struct analysis *a, struct cmd_out *o);

/* Scan + analysis + candidates; replaces earlier results (set_* overrides stay). */
int regrec_find(struct analysis *a, const struct regrec_opts *o, struct err *e);
/* The results, created empty when absent (for set_* before find_registers_values). */
struct reg_results *regrec_results(struct analysis *a);
void reg_results_free(struct reg_results *r);

/* Sites of a buffer (tests, and other scans that want them). */
void regrec_scan_buffer(const struct regrec_ops *ops, const struct regrec_scan_opts *o, uint64_t addr,
			const uint8_t *p, size_t len, struct regrec_sites *out);

/* Register descriptions. */
const struct regrec_reg *regrec_reg_find(const struct regrec_ops *ops, const char *name);
/* The register a set_* command sets ("set_tcr": TCR_EL1), or NULL (ops may be NULL). */
const struct regrec_reg *regrec_reg_by_set_command(const struct regrec_ops *ops, const char *cmd);
const struct regrec_layout *regrec_layout_of(const struct regrec_reg *r, uint64_t value);
/* Bits that must be known (key fields and the selector); all ones when the selector is unknown. */
uint64_t regrec_needed(const struct regrec_reg *r, uint64_t value, uint64_t unknown);
/* NULL when valid, else why. */
const char *regrec_check(const struct regrec_reg *r, uint64_t value, uint64_t unknown);
/* The same with the machine's own rules (cfg may be NULL: none). */
const char *regrec_check_machine(const struct regrec_reg *r, const struct machine_config *cfg, uint64_t value,
				 uint64_t unknown);
/*
 * A class merges MMU-equivalent values: the bits its members know but do
 * not agree on (shown as "N values, equal in ...", not as unknown bits),
 * and the bits some member does not know.
 */
uint64_t regrec_cand_differing(const struct regrec_cand *k);
uint64_t regrec_cand_unknown(const struct regrec_cand *k);
/* "2 values, equal in T0SZ, TG0, T1SZ, TG1: 0x80100010, 0x580100010" for such a class. */
void regrec_format_class(const struct regrec_reg *r, const struct regrec_cand *k, struct sbuf *out);
/* NULL when the machine can use a valid value (find_tables), else why (struct regrec_layout.unusable). */
const char *regrec_unusable(const struct regrec_reg *r, const struct machine_config *cfg, uint64_t value,
			    uint64_t unknown);
/* Index of the selected candidate: the best ranked usable one; -1 when none. */
int regrec_selected(const struct regrec_regres *rr);
/* One field of a register value: its name, its value (shifted down) and whether every bit of it is known. */
struct regrec_field_val {
	const char *name;
	uint64_t mask;            /* the field's bits in the register */
	uint64_t value;           /* 0 when not known */
	bool known;
	uint8_t flags;            /* the layout's RF_KEY / RF_EQUIV */
};

/* Fields are disjoint bit ranges of a register of at most 64 bits. */
#define REGREC_MAX_FIELDS 64

/* The fields of value's layout but the reserved ones, in the layout's order; returns how many. */
size_t regrec_field_list(const struct regrec_reg *r, uint64_t value, uint64_t unknown,
			 struct regrec_field_val out[REGREC_MAX_FIELDS]);
/* One field as the lists show it: "T0SZ:0x10", "IPS:?"; returns its length (snprintf's). */
int regrec_field_text(const struct regrec_field_val *f, char *buf, size_t len);
/* "T0SZ:0x10, T1SZ:0x10, ..." (unknown fields as '?'); key_only: the fields that decide MMU equivalence. */
void regrec_format_fields(const struct regrec_reg *r, uint64_t value, uint64_t unknown, bool key_only, struct sbuf *out);
/* Field-by-field key comparison: equal key fields of a candidate against a full value. */
unsigned regrec_score(const struct regrec_reg *r, uint64_t value, uint64_t unknown, uint64_t truth, unsigned *of);

/*
 * The value in force for a register (lower-case name): a set_* override,
 * else the best candidate selected after find_registers_values, else
 * cpu.registers_values from the machine YAML.  origin: "set_tcr" /
 * "set_ttbcr" (the command that set it), "recovered" or "config".
 * Returns 0, or -1 when none.
 */
int registers_value(const struct analysis *a, const char *name, uint64_t *value, const char **origin);
/*
 * The same with the unknown bits of a recovered value (0 otherwise).  When
 * there is none and find_registers_values recovered candidates for name
 * but none is usable on this machine, *value is the best ranked one and
 * *unusable why not (for find_tables' message); *unusable is NULL
 * otherwise.  unusable may be NULL.
 */
int registers_value_unknown(const struct analysis *a, const char *name, uint64_t *value, uint64_t *unknown,
			    const char **origin, const char **unusable);

/*
 * The registers (indexes into ops->regs) the analysed site res->res[i]
 * feeds: one, or for an indexed sysreg one per known index; 0 when none is
 * known.  out has room for max entries.
 */
size_t regrec_site_targets(const struct reg_results *res, size_t i, uint16_t *out, size_t max);

/* Whether a site of one of the kinds (bit mask of 1 << RR_*) lies in [lo, hi]; names: NULL-terminated, NULL = any. */
bool regrec_has_site(const struct reg_results *r, uint64_t lo, uint64_t hi, unsigned kinds, const char *const *names);

/*
 * Section "REGS" of a session (save_data): sites, per-site results and
 * set_* overrides; candidates are derived again on load.
 */
extern const struct session_section regrec_session_section;

/* Ground truth against candidates (show_registers_gtruth). */
struct regrec_gt_logged {
	const char *name;
	uint64_t value;
	double first_seen, last_seen;
	bool found;                    /* a candidate matches it on every key field */
	bool exact;                    /* ... and on every known bit */
};

struct regrec_gt_reg {
	const struct regrec_reg *reg;
	bool has_gt;
	uint64_t latest;               /* the logged value with the largest last_seen */
	int best;                      /* candidate with the highest score, -1 */
	unsigned best_score, of;
	int best_partial;              /* partial (unusable) value with the highest score, -1 */
	unsigned best_partial_score;
	bool best_partial_agrees;      /* every known bit of it equals the truth */
	bool exact;
	unsigned tp, fp, fn;
	bool compared;                 /* false: no ground truth and no default (gt_config_fallback) */
	bool from_config;              /* the truth is the cpu.registers_values default */
	unsigned fp_all;               /* fp plus the candidates of a false-negative register */
	bool *cand_match;              /* per candidate: matches the latest value (gt_any: any value) */
	struct regrec_gt_logged *logged;
	size_t nlogged;
};

void regrec_gt_compare(const struct reg_results *res, const struct gtruth *gt, size_t reg, struct regrec_gt_reg *out);
void regrec_gt_free(struct regrec_gt_reg *g);

#endif
