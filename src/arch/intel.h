/* Intel-only results shared by the architecture file and its commands. */
#ifndef MMU_ARCH_INTEL_H
#define MMU_ARCH_INTEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct analysis;
struct cmd_out;
struct command;
struct err;
struct findings_ops;

enum gate_kind { GATE_INVALID, GATE_EMPTY, GATE_TASK, GATE_INTERRUPT, GATE_TRAP };

struct intel_gate {
	int kind;             /* enum gate_kind */
	bool present, size32;
	unsigned dpl, type, ist, selector;
	uint64_t handler;
};

struct intel_idt {
	uint64_t addr;        /* physical */
	uint64_t size;        /* bytes of the valid run */
	unsigned gates;
	unsigned roots;       /* trees that map it with the fewest unresolved handlers */
	unsigned min_errors;  /* handler pages the best of those trees could not resolve */
	uint64_t va;          /* the virtual address the trees map it at: the IDTR base */
	bool has_va;
	bool chosen;          /* it confirmed the trees that were kept */
};

struct intel_idts {
	struct intel_idt *idt;
	size_t n;
	bool wide;            /* 16-byte gates (cpu.bits 64) */
	uint64_t dropped;     /* candidates over radix_limits.idt_max, not kept */
	size_t unexamined;    /* the last ones, left out by find_radix_trees (radix_limits.idt_work) */
};

extern const struct arch_ops arch_intel;
extern const struct command *const intel_commands[];

void intel_gate_decode(const uint8_t *g, bool wide, struct intel_gate *out);
const char *intel_gate_kind_name(int kind);
/* Gates of a valid IDT at buf (len bytes), up to the first invalid one; 0 when it is not one. */
unsigned intel_idt_validate(const uint8_t *buf, size_t len, bool wide);
/* Gates at addr up to the first invalid one (at most max). */
size_t intel_idt_gates(const struct analysis *a, uint64_t addr, struct intel_gate *g, size_t max);
const struct intel_idts *intel_idts(const struct analysis *a);
/* Handler pages of idt that do not resolve through root. */
void intel_report_scan(struct analysis *a, struct cmd_out *o);
unsigned intel_unresolved_handlers(struct analysis *a, const struct intel_idt *idt, uint64_t root);

/* The ground truth's IDTR bases against the IDT candidates (intel-cmd.c, show_idtrs_gtruth). */
struct intel_idtr_gt_item {
	uint64_t base;           /* the logged IDTR base (virtual) */
	double first, last;
	bool resolved;           /* the root maps it: pa is its physical address */
	uint64_t pa;
	int idt;                 /* the candidate at pa (intel_idts), -1: none (FN) */
	bool vmatch;             /* a chosen IDT's inferred virtual address is this base */
};

struct intel_idtr_gt {
	uint64_t root;           /* the ground-truth CR3 tree the bases were translated through */
	struct intel_idtr_gt_item *v;   /* by last seen */
	size_t n;
	bool *hit;               /* per candidate: a base names it (else FP) */
	size_t nidts;
	size_t tp, fp, fn, unresolved;
};

int intel_idtr_gtruth(struct analysis *a, struct intel_idtr_gt *out, struct err *e);
void intel_idtr_gt_free(struct intel_idtr_gt *g);
/* "TP", "FN" or "unresolved", as show_idtrs_gtruth says. */
const char *intel_idtr_gt_class(const struct intel_idtr_gt_item *it);

/* IDT candidates -> gates, and the IDTR ground truth, for the explorer (intel-findings.c). */
extern const struct findings_ops intel_findings;

#endif
