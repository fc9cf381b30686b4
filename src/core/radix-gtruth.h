/*
 * radix-gtruth: the trees found against the roots the ground truth names
 * (through each tree kind's root register).  Ground-truth roots failing
 * the tool's own tests stay false negatives, with the reason.
 */
#ifndef MMU_RADIX_GTRUTH_H
#define MMU_RADIX_GTRUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct analysis;

enum gt_class { GT_TP, GT_FN, GT_BOOT, GT_FP };

struct gt_item {
	uint64_t root;
	unsigned space;
	enum gt_class cls;
	double first, last;     /* ground-truth times (TP, FN, BOOT); NAN when inferred */
	bool inferred;          /* named only as an inferred root (a KPTI partner), never sampled */
	uint64_t count;
	const char *reason;     /* FN, BOOT: why it was not found (static text) */
	bool invalid;           /* FN: fails the tool's own root tests */
	bool kernel_only;       /* FP: the tree maps no user page */
	int tree;               /* index in radix_state.trees, -1 if not found */
};

struct radix_gt {
	struct gt_item *items;  /* TP, then FN, then boot-only, then FP */
	size_t n, cap;
	size_t tp, fp, fn, fn_invalid, fp_kernel_only, boot, gt_roots, gt_inferred;
};

int radix_gtruth_compare(struct analysis *a, struct radix_gt *out, struct err *e);
void radix_gt_free(struct radix_gt *g);
/* Class of a found tree (TP or FP), for the UI's colours. */
enum gt_class radix_gt_class_of_tree(const struct radix_gt *g, size_t tree);
const char *gt_class_name(enum gt_class c);

#endif
