#include "autoconfig.h"

#include "scan.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct worker {
	const struct scan_job *job;
	const struct frameset *fs;
	unsigned index;
	uint64_t first, end;
	bool cancelled;
};

/* Progress is published every this many frames: cheap, and fine-grained enough for the UI. */
#define PROGRESS_BATCH 64

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	const struct scan_job *job = w->job;
	struct frame_cursor c;
	uint64_t addr, pending = 0;
	uint8_t *buf = NULL;

	frame_cursor_init(&c, w->fs, w->first, w->end);
	while (frame_cursor_next(&c, &addr)) {
		const uint8_t *p = physmem_ptr(job->pm, addr, job->frame_size);
		if (!p) {
			/* Spans two adjacent regions: copy it whole. */
			if (!buf)
				buf = xmalloc(job->frame_size);
			if (physmem_read(job->pm, addr, buf, job->frame_size) != job->frame_size)
				continue;
			p = buf;
		}
		job->fn(job->ctx, w->index, addr, p);
		if (++pending == PROGRESS_BATCH) {
			progress_add(job->progress, pending * job->frame_size);
			pending = 0;
			if (progress_cancelled(job->progress)) {
				w->cancelled = true;
				break;
			}
		}
	}
	progress_add(job->progress, pending * job->frame_size);
	free(buf);
	return NULL;
}

int scan_frames(const struct scan_job *job, struct err *e)
{
	struct frameset fs;
	unsigned n = job->workers ? job->workers : 1;
	frameset_build(&fs, job->pm, job->frame_size, job->max_addr);
	if (fs.total < n)
		n = fs.total ? (unsigned)fs.total : 1;
	struct worker *w = xcalloc(n, sizeof(*w));
	pthread_t *tid = xcalloc(n, sizeof(*tid));
	for (unsigned i = 0; i < n; i++) {
		w[i] = (struct worker){.job = job, .fs = &fs, .index = i};
		frameset_chunk(&fs, n, i, &w[i].first, &w[i].end);
	}
	/* Worker 0 runs on this thread: one thread less to start. */
	for (unsigned i = 1; i < n; i++)
		if (pthread_create(&tid[i], NULL, worker_main, &w[i]))
			fatal("cannot start a scan thread");
	worker_main(&w[0]);
	bool cancelled = w[0].cancelled;
	for (unsigned i = 1; i < n; i++) {
		pthread_join(tid[i], NULL);
		cancelled |= w[i].cancelled;
	}
	free(tid);
	free(w);
	frameset_free(&fs);
	if (cancelled || progress_cancelled(job->progress))
		return err_set(e, "cancelled");
	return 0;
}
