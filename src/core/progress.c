#include "autoconfig.h"

#include "progress.h"

#include <time.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void progress_start(struct progress *p, const char *step, uint64_t total)
{
	if (!p)
		return;
	atomic_store(&p->done, 0);
	atomic_store(&p->total, total);
	atomic_store(&p->step, step);
	atomic_store(&p->started_ns, now_ns());
	atomic_store(&p->running, 1);
}

void progress_finish(struct progress *p)
{
	if (p)
		atomic_store(&p->running, 0);
}

double progress_elapsed(const struct progress *p)
{
	uint64_t s = atomic_load(&p->started_ns);
	return s ? (double)(now_ns() - s) / 1e9 : 0.0;
}
