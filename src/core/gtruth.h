/*
 * gtruth: the ground-truth YAML (format mmushell-gtruth/1): every distinct
 * value an emulator saw in each MMU register, with first/last time seen.
 * Optional 'roots': the harness's list of roots; those marked inferred
 * (a KPTI partner never caught in a register while sampling) are read,
 * the others repeat register values.  Optional 'vsids' on PowerPC sdr1
 * entries: the VSIDs looked up in that table.  Other keys are ignored.
 */
#ifndef MMU_GTRUTH_H
#define MMU_GTRUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct gt_value {
	char *name;          /* lower case: cr3, satp, ttbr0_el1, tcr_el1, ... */
	uint64_t value;
	double first_seen, last_seen;
	uint64_t count;
	/*
	 * PowerPC sdr1 entries (optional 'vsids: [{value, first_seen,
	 * last_seen}]'): the VSIDs translated through this table, sorted,
	 * distinct; has_vsids tells an empty list from an absent one.
	 */
	uint64_t *vsids;
	size_t nvsids;
	bool has_vsids;
};

/* A root named without a register value (roots: entries with inferred: true). */
struct gt_root {
	char *reg;           /* the root register it would be loaded into: cr3, ttbr0_el1, ... */
	uint64_t root;
};

struct gtruth {
	char *path;
	char *architecture, *mmu_mode, *source;
	struct gt_value *values;
	size_t nvalues;
	struct gt_root *inferred;
	size_t ninferred;
	double last_time;    /* the largest last_seen: how long the capture ran */
};

int gtruth_load(const char *path, struct gtruth *gt, struct err *e);
void gtruth_free(struct gtruth *gt);

/*
 * Values whose last_seen is below this many seconds were only seen while
 * the OS booted; comparisons skip them (and say so) as boot-time values.
 */
#define GTRUTH_BOOT_SECONDS 1.0

/* Number of values named 'name'; fills out[] (may be NULL) with pointers to them. */
size_t gtruth_values(const struct gtruth *gt, const char *name, const struct gt_value **out, size_t max);
/* The value of 'name' with the largest last_seen, or NULL. */
const struct gt_value *gtruth_latest(const struct gtruth *gt, const char *name);

#endif
