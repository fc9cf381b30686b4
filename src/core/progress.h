/*
 * progress: counters an analysis step updates and the UI polls.  Workers
 * only add to 'done'; nobody blocks on them.  'cancel' is polled by every
 * long loop so a step can be stopped within a frame or two of work.
 */
#ifndef MMU_PROGRESS_H
#define MMU_PROGRESS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct progress {
	_Atomic uint64_t done;      /* units processed (bytes for scans) */
	_Atomic uint64_t total;     /* units expected, 0 when unknown */
	atomic_int cancel;
	atomic_int running;
	_Atomic(const char *) step; /* static string naming the step */
	_Atomic uint64_t started_ns;
};

void progress_start(struct progress *p, const char *step, uint64_t total);
void progress_finish(struct progress *p);
static inline void progress_add(struct progress *p, uint64_t n)
{
	if (p)
		atomic_fetch_add_explicit(&p->done, n, memory_order_relaxed);
}
static inline bool progress_cancelled(const struct progress *p)
{
	return p && atomic_load_explicit(&p->cancel, memory_order_relaxed);
}
/* Seconds since the step started. */
double progress_elapsed(const struct progress *p);

#endif
