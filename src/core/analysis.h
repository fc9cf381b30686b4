/*
 * analysis: everything one open dump carries between commands: the
 * machine description, the mapped memory, options, and the results of the
 * steps run so far.  Commands (commands.h) read and extend it; the UI only
 * reads it between steps.
 */
#ifndef MMU_ANALYSIS_H
#define MMU_ANALYSIS_H

#include <stdbool.h>

#include "config.h"
#include "dumpfmt.h"
#include "gtruth.h"
#include "physmem.h"
#include "progress.h"
#include "util.h"

struct radix_state;
struct reg_results;

struct analysis_opts {
	int threads;             /* 0: one per online CPU */
	bool debug;
	const char *gtruth_path;
	const char *session_path;
	struct dumpfmt_opts input;   /* --arch, --mode, --m-phy for ELF core and LiME inputs */
};

struct analysis {
	struct machine_config cfg;
	struct physmem pm;
	int threads;
	bool debug;
	struct gtruth gt;        /* loaded when --gtruth was given */
	bool has_gt;
	struct progress progress;
	struct radix_state *radix;   /* page-table scan and trees (parse_memory, find_radix_trees) */
	struct reg_results *regs;    /* register recovery (find_registers_values, set_tcr...) */
	/* An architecture's own scan results (PowerPC hash tables), freed with arch_state_free. */
	void *arch_state;
	void (*arch_state_free)(void *state);
	bool dirty;              /* results not saved since the last step */
};

/* Loads the machine description (YAML, ELF core or LiME: see dumpfmt.h) and maps the dump. */
int analysis_open(struct analysis *a, const char *config_path, const struct analysis_opts *opts, struct err *e);
void analysis_close(struct analysis *a);

/*
 * The command that scans for page tables: find_tables where the
 * architecture has it (ARM, AArch64: tables shaped by the registers),
 * else parse_memory; NULL on an architecture without page-table trees
 * (MIPS, PowerPC, whose parse_memory scans code and hash tables).
 */
const char *analysis_table_step(const struct analysis *a);

#endif
