/*
 * scan: runs a function over every RAM frame of one size, split across
 * worker threads (even chunks by frame index, no locks in the loop).  Each
 * call gets the worker number so workers fill their own buffers, merged by
 * the caller afterwards.  Progress is reported in bytes; cancellation is
 * polled between frames.
 */
#ifndef MMU_SCAN_H
#define MMU_SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "physmem.h"
#include "progress.h"

/*
 * Called once per frame.  'frame' points to frame_size bytes (mapped dump,
 * or a worker buffer when the frame spans two adjacent regions).
 */
typedef void (*scan_frame_fn)(void *ctx, unsigned worker, uint64_t addr, const uint8_t *frame);

struct scan_job {
	const struct physmem *pm;
	uint64_t frame_size;     /* power of two */
	uint64_t max_addr;       /* 0: no limit */
	unsigned workers;        /* >= 1 */
	scan_frame_fn fn;
	void *ctx;
	struct progress *progress; /* may be NULL */
};

/* Returns 0, or -1 when cancelled (e says so). */
int scan_frames(const struct scan_job *job, struct err *e);

#endif
