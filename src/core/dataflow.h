/*
 * dataflow: the value a register holds at one instruction of the kernel's
 * code, recovered by forward abstract interpretation over the code before it.
 *
 *   region start  walk backwards from the site to the first instruction that
 *                 ends straight-line flow (return, call, unconditional jump,
 *                 undecodable word...): the region starts after it
 *   region CFG    decode forward from the start, following branches, until
 *                 the site; the site ends its block with no successor
 *   fixpoint      each register holds a vset (tnum.h); blocks are evaluated
 *                 until their entry states stop changing (widened, budgeted)
 *
 * The engine knows no instruction set.  A front-end (struct df_isa, one per
 * instruction set, in src/arch/) decodes one instruction into a struct
 * df_insn: its length, its control flow, whether it stops the backward walk,
 * and its effect as a few micro-operations (struct df_op) on numbered
 * registers.  Capstone decides which words are instructions (one handle per
 * thread and instruction set, opened by the engine); how a front-end gets the
 * operands (Capstone's detail or the instruction word's fields) is its own
 * business.  Delay slots (MIPS), branch-likely, predicated instructions
 * (ARM conditions, Thumb IT blocks) and calls are handled here.
 *
 * Everything is bounded (backward steps, instructions, blocks, distance from
 * the site, evaluations), so a hostile dump never hangs an analysis.
 */
#ifndef MMU_DATAFLOW_H
#define MMU_DATAFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capstone/capstone.h>

#include "tnum.h"

struct physmem;
struct machine_config;

/*
 * Register numbers: 0 .. isa->nregs - 1 belong to the front-end (nregs <=
 * DF_CMP_A).  DF_CMP_A/B hold the operands of the last compare (sign-extended
 * to 64 bits), the engine's model of condition flags: front-ends write them
 * with df_emit_cmp() and make them unknown (df_emit_flags_lost()) for any
 * other flag-setting instruction.  Temporaries do not survive a block.
 */
#define DF_MAX_REGS 48
#define DF_CMP_A 42
#define DF_CMP_B 43
#define DF_FLAGS_MASK (1ULL << DF_CMP_A | 1ULL << DF_CMP_B)
#define DF_TMP0 44          /* four scratch registers for multi-step instructions */
#define DF_TMP1 45
#define DF_TMP2 46
#define DF_TMP3 47
#define DF_REG_NONE 0xFF    /* a destination whose write is discarded (zero registers) */

enum df_opcode {
	DF_OP_SET,       /* d = a */
	DF_OP_NOT,       /* d = ~a */
	DF_OP_NEG,       /* d = -a */
	DF_OP_AND,       /* d = a & b */
	DF_OP_OR,
	DF_OP_XOR,
	DF_OP_ANDN,      /* d = a & ~b */
	DF_OP_ORN,       /* d = a | ~b */
	DF_OP_XORN,      /* d = a ^ ~b */
	DF_OP_ADD,
	DF_OP_SUB,       /* d = a - b */
	DF_OP_MUL,
	DF_OP_SHL,       /* d = a << b; b >= width gives 0 */
	DF_OP_LSR,
	DF_OP_ASR,       /* b >= width gives copies of the sign bit */
	DF_OP_ROR,       /* b taken modulo the width */
	DF_OP_EXTRACT,   /* d = bits [p1 + p2 - 1 .. p1] of a, zero-extended */
	DF_OP_SEXTRACT,  /* the same, sign-extended */
	DF_OP_INSERT,    /* d = d with bits [p1 + p2 - 1 .. p1] <- bits [p2 - 1 .. 0] of a */
	DF_OP_CLZ,       /* d = leading zero bits of a (width for 0) */
	DF_OP_SLT,       /* d = a < b ? 1 : 0, signed */
	DF_OP_SLTU,      /* unsigned */
	DF_OP_SELECT,    /* d = cond p1 ? a : b; either when the condition is undecided (or p1 = DF_CC_NONE) */
	DF_OP_LOAD,      /* d = p1 bytes of memory at a + b; DF_OPF_SIGNED / DF_OPF_REVERSED */
	DF_OP_SYSREG,    /* d = system/coprocessor register a.imm (key of the front-end) */
	DF_OP_UNKNOWN,   /* d = unknown */
};

enum df_arg_kind { DF_ARG_NONE, DF_ARG_REG, DF_ARG_IMM };

/*
 * Conditions on a compare "a - b" (DF_CMP_A, DF_CMP_B, or an instruction's
 * own operands): decided when every combination of the operands' values
 * agrees.  Conditions on the sign or overflow alone (ARM MI/PL/VS/VC) are
 * DF_CC_NONE: never decided.
 */
enum df_cond {
	DF_CC_NONE,
	DF_CC_EQ, DF_CC_NE,
	DF_CC_HS, DF_CC_LO, DF_CC_HI, DF_CC_LS,   /* unsigned >=, <, >, <= */
	DF_CC_GE, DF_CC_LT, DF_CC_GT, DF_CC_LE,   /* signed */
	DF_CC_ALWAYS,
};

struct df_arg {
	uint8_t kind;
	uint8_t reg;
	uint64_t imm;
};

#define DF_OPF_SIGNED   1u   /* LOAD: sign-extend to the width */
#define DF_OPF_REVERSED 2u   /* LOAD: byte order opposite to the data byte order */

struct df_op {
	uint8_t opc;
	uint8_t width;      /* 1..64 */
	uint8_t dst;
	uint8_t p1, p2;
	uint8_t flags;
	struct df_arg a, b;
};

/* Control flow of an instruction, for the CFG. */
enum df_flow {
	DF_FLOW_NEXT,     /* falls through */
	DF_FLOW_JUMP,     /* goes to target only */
	DF_FLOW_BRANCH,   /* target or fall-through */
	DF_FLOW_CALL,     /* returns to the fall-through; clobber applies */
	DF_FLOW_END,      /* no successor (return, indirect jump, exception return) */
};

#define DF_MAX_OPS 6

#define DF_IF_VALID     0x01u  /* Capstone decoded it (else the rest is meaningless) */
#define DF_IF_COND      0x02u  /* predicated: each destination keeps its old value as an alternative */
#define DF_IF_STOP      0x04u  /* ends the backward walk */
#define DF_IF_TARGET    0x08u  /* target is meaningful */
#define DF_IF_LIKELY    0x10u  /* branch-likely: the delay slot runs on the taken edge only */
#define DF_IF_OVERFLOW  0x20u  /* the front-end needed more than DF_MAX_OPS: destinations in clobber */
#define DF_IF_OWN_CMP   0x40u  /* cc compares ca with cb (cbz, MIPS beq...), not the flag registers */

struct df_insn {
	uint64_t addr;
	uint64_t target;
	/*
	 * Registers (bit i = register i) that become unknown after the
	 * instruction: the conservative rule for unmodelled instructions, and
	 * the caller-saved registers of a call (applied after the delay slot).
	 */
	uint64_t clobber;
	uint8_t len;
	uint8_t flow;
	uint8_t flags;
	uint8_t delay;       /* delay slots after a control transfer: 0 or 1 */
	uint8_t stop_skip;   /* a stop: the region starts this many bytes after addr (0: len) */
	uint8_t pred_next;   /* Thumb IT: the next pred_next instructions are predicated */
	/*
	 * Condition (enum df_cond) of a predicated instruction (DF_IF_COND) or
	 * of a DF_FLOW_BRANCH's taken edge; DF_CC_NONE: not tracked.  With
	 * DF_IF_OWN_CMP the compare is ca - cb, evaluated after the ops.
	 */
	uint8_t cc;
	uint8_t nops;
	struct df_arg ca, cb;
	struct df_op ops[DF_MAX_OPS];
};

struct df_env;
struct df_dec {
	csh cs;
	cs_insn *ci;
	const struct df_env *env;
};

/*
 * One instruction set.  A front-end fills one of these as a const table in
 * src/arch/ (the ISA's decode function is all the engine calls per word).
 */
struct df_isa {
	const char *name;         /* "a64", "a32", "t32", "mips32"... */
	cs_arch cs_arch;
	cs_mode cs_mode;          /* byte order included */
	bool cs_detail;           /* the decoder reads Capstone's detail */
	uint8_t align;            /* instruction alignment in bytes */
	uint8_t min_len, max_len;
	uint8_t reg_bits;         /* general register width: 32 or 64 */
	uint8_t nregs;            /* general (and pseudo) registers, <= DF_CMP_A */
	const char *const *reg_names;  /* upper case, as in cpu.registers_values: "X4", "R4" */
	/* A run of this many zero words ends the backward walk (0: never). */
	uint8_t zero_run_stop;
	/* The walk goes on past a stop whose region start lies beyond the site (site in its delay slot). */
	bool walk_past_delay_site;
	/* Register 0 always reads 0 (MIPS $zero): queries of it give 0; decode() discards writes to it. */
	bool reg0_zero;
	/*
	 * Decodes the instruction at code address addr from code[0..avail).
	 * Fills *in (in->flags without DF_IF_VALID when it is not an
	 * instruction).  d->ci holds Capstone's decoding when it succeeded.
	 */
	void (*decode)(struct df_dec *d, uint64_t addr, const uint8_t *code, size_t avail, struct df_insn *in);
	/* Start of the instruction ending at addr, or false when it cannot be told; NULL: addr - min_len. */
	bool (*prev)(const struct df_env *env, uint64_t addr, uint64_t *out);
	/* Code address -> physical address; NULL: identity. */
	bool (*code_phys)(const struct df_env *env, uint64_t addr, uint64_t *pa);
	/* Data address -> physical address for loads; NULL: identity. */
	bool (*data_phys)(const struct df_env *env, uint64_t addr, uint64_t *pa);
	/* Name of system register key (for registers_values lookups); NULL: none known. */
	const char *(*sysreg_name)(uint32_t key, char *buf, size_t len);
};

struct df_limits {
	unsigned walk_steps;     /* backward walk (10000) */
	unsigned max_insns;      /* decoded per region (4096) */
	unsigned max_blocks;     /* per region (256) */
	uint64_t max_distance;   /* farthest code from the site (64 KiB) */
	unsigned budget;         /* instruction evaluations per site (20000) */
	unsigned collapse_after; /* block entries before sets collapse (8) */
	unsigned widen_after;    /* block entries before changing registers become unknown (16) */
};

extern const struct df_limits df_default_limits;

/* Everything the engine reads besides code: memory, byte order, initial values. */
struct df_env {
	const struct physmem *pm;
	const struct machine_config *cfg;   /* may be NULL */
	const struct df_isa *isa;
	bool data_big;            /* byte order of data loads */
	bool cross_zeros;         /* parity: zero runs do not stop the walk */
	struct df_limits lim;
	/* Initial values: registers in seed_mask hold seed[i]; the others are unknown. */
	uint64_t seed_mask;
	uint64_t seed[DF_MAX_REGS];
	/* Value of a system register read; false: unknown.  NULL: df_sysreg_from_config. */
	bool (*sysreg_value)(const struct df_env *env, uint32_t key, uint64_t *value);
	const void *ctx;          /* for the callbacks */
};

enum df_status {
	DF_OK,                 /* at least one element of the value is not fully unknown */
	DF_SOURCE_UNKNOWN,     /* analysed, but the register is fully unknown at the site */
	DF_NO_START,           /* the backward walk hit its step limit */
	DF_SITE_UNDECODABLE,
	DF_REGION_TOO_LARGE,   /* more instructions or blocks than the limits */
	DF_BUDGET,             /* evaluation budget exceeded before the fixpoint */
	DF_NOT_REACHED,        /* the site is not reachable from the region start */
	DF_RUN_BUDGET,         /* not analysed: the whole run's budget was used up (set by the caller) */
	DF_STATUS_COUNT
};

const char *df_status_name(enum df_status s);   /* "ok", "source unknown", ... */

#define DF_MAX_QUERY 2

struct df_result {
	enum df_status status;
	uint64_t start;           /* region start (valid unless DF_NO_START / DF_SITE_UNDECODABLE) */
	unsigned walk_steps;
	unsigned insns, blocks, evals;
	unsigned cut_edges;       /* branch targets not followed (too far from the site) */
	struct vset val[DF_MAX_QUERY];  /* value of each queried register just before the site */
};

/* Per-thread decoding state: Capstone handles opened on first use. */
struct df_worker;
struct df_worker *df_worker_new(void);
void df_worker_free(struct df_worker *w);
/*
 * Keeps up to entries (rounded up to a power of two; 0: off) decoded
 * instructions from one site's analysis to the next: neighbouring sites
 * share most of their code, and decoding is most of an analysis's time.
 * The table is allocated when the worker first decodes.  Only for a
 * worker whose envs and memory do not change while it lives.
 */
void df_worker_cache_code(struct df_worker *w, size_t entries);

/* A system register's value from cpu.registers_values, by isa->sysreg_name (case-insensitive). */
bool df_sysreg_from_config(const struct df_env *env, uint32_t key, uint64_t *value);
/* Fills env->seed / seed_mask from cpu.registers_values (names as in isa->reg_names). */
void df_env_seed_from_config(struct df_env *env);

/*
 * Decodes one instruction (engine view: Capstone validity plus the
 * front-end).  Returns false when the bytes are absent (outside RAM).
 */
bool df_decode_at(struct df_worker *w, const struct df_env *env, uint64_t addr, struct df_insn *in);

/*
 * A finished backward walk from another site of the same instruction set.
 * A walk that reaches hint->addr goes on exactly as that one did (a site is
 * never a stop), so its result is reused: sites analysed in address order
 * walk each instruction once, even in a run of thousands of sites.
 */
struct df_hint {
	uint64_t addr;         /* the other site */
	uint64_t start;
	unsigned steps;
	enum df_status status; /* DF_OK or DF_NO_START */
};

/* The backward walk alone: region start of the site.  Returns DF_OK, DF_NO_START or DF_SITE_UNDECODABLE. */
enum df_status df_region_start(struct df_worker *w, const struct df_env *env, uint64_t site, uint64_t *start,
			       unsigned *steps);
enum df_status df_region_start_hinted(struct df_worker *w, const struct df_env *env, uint64_t site,
				      const struct df_hint *hint, uint64_t *start, unsigned *steps);

/* Whole analysis of one site: values of regs[0..nregs) (nregs <= DF_MAX_QUERY) just before it. */
enum df_status df_analyse(struct df_worker *w, const struct df_env *env, uint64_t site, const uint8_t *regs,
			  size_t nregs, struct df_result *out);
/* The same, reusing a walk (hint may be NULL). */
enum df_status df_analyse_hinted(struct df_worker *w, const struct df_env *env, uint64_t site, const uint8_t *regs,
				 size_t nregs, const struct df_hint *hint, struct df_result *out);

/* Helpers for front-ends filling a struct df_insn. */
static inline struct df_arg df_reg(uint8_t r)
{
	return (struct df_arg){DF_ARG_REG, r, 0};
}
static inline struct df_arg df_imm(uint64_t v)
{
	return (struct df_arg){DF_ARG_IMM, 0, v};
}
/* Appends an op; past DF_MAX_OPS the instruction degrades to clobbering dst. */
void df_emit(struct df_insn *in, uint8_t opc, uint8_t width, uint8_t dst, struct df_arg a, struct df_arg b);
void df_emit_p(struct df_insn *in, uint8_t opc, uint8_t width, uint8_t dst, struct df_arg a, struct df_arg b,
	       uint8_t p1, uint8_t p2, uint8_t flags);
/* A compare of a with b at width bits: sets DF_CMP_A/B (sign-extended so one test serves every width). */
void df_emit_cmp(struct df_insn *in, uint8_t width, struct df_arg a, struct df_arg b);
/* The instruction sets the flags some other way: nothing is known about them. */
void df_emit_flags_lost(struct df_insn *in);
static inline void df_clobber(struct df_insn *in, uint8_t reg)
{
	if (reg < 64)
		in->clobber |= 1ULL << reg;
}

#endif
