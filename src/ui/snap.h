/*
 * snap: the part of the results the panes share (trees, ground-truth
 * classes, tree shapes), copied out of the analysis after each step so
 * that drawing never touches what the job thread may be replacing.
 */
#ifndef MMU_UI_SNAP_H
#define MMU_UI_SNAP_H

#include "app.h"

struct analysis;

/* Rebuilds s from a; call on the UI thread while no step runs. */
void snap_build(struct ui_snap *s, struct analysis *a);
void snap_free(struct ui_snap *s);

#endif
