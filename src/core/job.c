#include "autoconfig.h"

#include "job.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "radix.h"
#include "regrec.h"

enum job_state { JOB_IDLE, JOB_PENDING, JOB_RUNNING, JOB_FINISHED };

#define JOB_MAX_STEPS 32

struct job {
	struct analysis *a;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int pipe[2];             /* [0] polled by the UI, [1] written when a command ends */
	enum job_state state;    /* under lock */
	bool quit;               /* under lock */
	char *line;              /* under lock: the pending or running command */
	struct job_result result; /* under lock once FINISHED */
	atomic_bool cancelling;
	_Atomic double started;  /* now_seconds() when the command began */
	/* Pipeline position: touched only by the submitting thread (job_take). */
	const char *const *steps;
	unsigned nsteps;
	bool step_done[JOB_MAX_STEPS];
};

static void wake(struct job *j)
{
	char c = 1;
	/* A full pipe already wakes the reader: EAGAIN is fine. */
	while (write(j->pipe[1], &c, 1) < 0 && errno == EINTR)
		;
}

static void run_one(struct job *j, const char *line, struct job_result *r)
{
	struct analysis *a = j->a;
	struct cmd_out out;
	struct err e = {{0}};
	char *name = NULL;
	double t0 = now_seconds();

	/* Fresh counters so the status line never shows the previous step's. */
	atomic_store(&a->progress.done, 0);
	atomic_store(&a->progress.total, 0);
	atomic_store(&a->progress.step, NULL);
	atomic_store(&a->progress.running, 0);
	atomic_store(&a->progress.started_ns, 0);
	atomic_store(&j->started, t0);

	cmd_out_init(&out);
	int rc = command_run_line(a, line, &out, &name, &e);
	memset(r, 0, sizeof(*r));
	r->line = xstrdup(line);
	r->name = name ? name : xstrdup("");
	r->ok = rc == 0;
	r->cancelled = rc != 0 && atomic_load(&j->cancelling);
	r->text = out.text.s ? sbuf_take(&out.text) : xstrdup("");
	r->json = rc == 0 && out.json.b.len ? sbuf_take(&out.json.b) : NULL;
	r->error = rc ? xstrdup(e.msg[0] ? e.msg : "failed") : NULL;
	r->seconds = now_seconds() - t0;
	cmd_out_free(&out);
	atomic_store(&a->progress.running, 0);
	atomic_store(&a->progress.cancel, 0);
}

static void *worker(void *arg)
{
	struct job *j = arg;
	pthread_mutex_lock(&j->lock);
	for (;;) {
		while (!j->quit && j->state != JOB_PENDING)
			pthread_cond_wait(&j->cond, &j->lock);
		if (j->quit)
			break;
		j->state = JOB_RUNNING;
		char *line = xstrdup(j->line);
		pthread_mutex_unlock(&j->lock);

		struct job_result r;
		run_one(j, line, &r);
		free(line);

		pthread_mutex_lock(&j->lock);
		j->result = r;
		j->state = JOB_FINISHED;
		wake(j);
	}
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

/* Whether the analysis holds a step's results: 1 or 0, -1 for a step whose results it cannot tell. */
static int step_results(const struct job *j, const char *step)
{
	const struct analysis *a = j->a;
	const char *tables = analysis_table_step(a);
	if (!strcmp(step, "find_registers_values"))
		return a->regs && a->regs->found;
	if (!strcmp(step, "find_radix_trees"))
		return a->radix && a->radix->found;
	if (tables && !strcmp(step, tables))
		return a->radix && a->radix->parsed;
	return -1;
}

/*
 * The position follows the results: a step whose results were dropped
 * (a register value in force that gives other table shapes, a re-scan
 * cancelled half-way) is to run again, and one whose results are still
 * there is done.  A step the results cannot tell about (MIPS and PowerPC
 * parse_memory) is done when a later step has results (they were built
 * on it, or loaded with --session), and undone when an earlier step is.
 */
static void pipeline_follow(struct job *j)
{
	unsigned built_on = 0;   /* steps before the last one with results */
	for (unsigned i = 0; i < j->nsteps; i++)
		if (step_results(j, j->steps[i]) > 0)
			built_on = i;
	bool earlier_done = true;
	for (unsigned i = 0; i < j->nsteps; i++) {
		int have = step_results(j, j->steps[i]);
		if (have >= 0)
			j->step_done[i] = have;
		else if (i < built_on)
			j->step_done[i] = true;
		else if (!earlier_done)
			j->step_done[i] = false;
		earlier_done = earlier_done && j->step_done[i];
	}
}

struct job *job_start(struct analysis *a, struct err *e)
{
	struct job *j = xcalloc(1, sizeof(*j));
	j->a = a;
	j->pipe[0] = j->pipe[1] = -1;
	if (pipe(j->pipe)) {
		err_set(e, "cannot create the worker's wake-up pipe: %s", strerror(errno));
		free(j);
		return NULL;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(j->pipe[i], F_SETFD, FD_CLOEXEC);
		fcntl(j->pipe[i], F_SETFL, O_NONBLOCK);
	}
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->cond, NULL);
	const char *const *p = a->cfg.arch ? a->cfg.arch->pipeline : NULL;
	j->steps = p;
	while (p && p[j->nsteps] && j->nsteps < JOB_MAX_STEPS)
		j->nsteps++;
	pipeline_follow(j);
	int rc = pthread_create(&j->thread, NULL, worker, j);
	if (rc) {
		err_set(e, "cannot start the worker thread: %s", strerror(rc));
		close(j->pipe[0]);
		close(j->pipe[1]);
		pthread_mutex_destroy(&j->lock);
		pthread_cond_destroy(&j->cond);
		free(j);
		return NULL;
	}
	return j;
}

void job_result_free(struct job_result *r)
{
	free(r->line);
	free(r->name);
	free(r->text);
	free(r->json);
	free(r->error);
	memset(r, 0, sizeof(*r));
}

void job_stop(struct job *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->lock);
	j->quit = true;
	if (j->state == JOB_RUNNING)
		atomic_store(&j->a->progress.cancel, 1);
	pthread_cond_signal(&j->cond);
	pthread_mutex_unlock(&j->lock);
	pthread_join(j->thread, NULL);
	if (j->state == JOB_FINISHED)
		job_result_free(&j->result);
	atomic_store(&j->a->progress.cancel, 0);
	free(j->line);
	close(j->pipe[0]);
	close(j->pipe[1]);
	pthread_mutex_destroy(&j->lock);
	pthread_cond_destroy(&j->cond);
	free(j);
}

int job_fd(const struct job *j)
{
	return j->pipe[0];
}

int job_submit(struct job *j, const char *line, struct err *e)
{
	pthread_mutex_lock(&j->lock);
	if (j->state != JOB_IDLE) {
		char what[64];
		snprintf(what, sizeof(what), "%s", j->line ? j->line : "a command");
		pthread_mutex_unlock(&j->lock);
		return err_set(e, "busy: '%s' is still running (x cancels it)", what);
	}
	free(j->line);
	j->line = xstrdup(line);
	atomic_store(&j->cancelling, false);
	atomic_store(&j->a->progress.cancel, 0);
	atomic_store(&j->started, now_seconds());
	j->state = JOB_PENDING;
	pthread_cond_signal(&j->cond);
	pthread_mutex_unlock(&j->lock);
	return 0;
}

bool job_busy(const struct job *j)
{
	struct job *m = (struct job *)j;
	pthread_mutex_lock(&m->lock);
	/* A result not taken yet still counts: the step is not over for the caller. */
	bool busy = m->state != JOB_IDLE;
	pthread_mutex_unlock(&m->lock);
	return busy;
}

void job_cancel(struct job *j)
{
	pthread_mutex_lock(&j->lock);
	if (j->state == JOB_PENDING || j->state == JOB_RUNNING) {
		atomic_store(&j->cancelling, true);
		atomic_store(&j->a->progress.cancel, 1);
	}
	pthread_mutex_unlock(&j->lock);
}

void job_status(struct job *j, struct job_status *s)
{
	const struct progress *p = &j->a->progress;
	memset(s, 0, sizeof(*s));
	s->eta = -1;
	pthread_mutex_lock(&j->lock);
	s->busy = j->state == JOB_PENDING || j->state == JOB_RUNNING;
	if (s->busy && j->line)
		snprintf(s->line, sizeof(s->line), "%s", j->line);
	pthread_mutex_unlock(&j->lock);
	if (!s->busy)
		return;
	s->cancelling = atomic_load(&j->cancelling);
	s->elapsed = now_seconds() - atomic_load(&j->started);
	if (!atomic_load(&p->running))
		return;
	s->step = atomic_load(&p->step);
	s->done = atomic_load(&p->done);
	s->total = atomic_load(&p->total);
	double secs = progress_elapsed(p);
	/* Below a tenth of a second the rate is noise. */
	if (s->done && secs > 0.1) {
		s->rate = (double)s->done / secs;
		if (s->total >= s->done)
			s->eta = (double)(s->total - s->done) / s->rate;
	}
}

static void pipeline_note(struct job *j, const struct job_result *r)
{
	for (unsigned i = 0; i < j->nsteps; i++) {
		if (strcmp(j->steps[i], r->name))
			continue;
		j->step_done[i] = r->ok;
		for (unsigned k = i + 1; k < j->nsteps; k++)
			j->step_done[k] = false;
		return;
	}
}

bool job_take(struct job *j, struct job_result *out)
{
	char buf[64];
	while (read(j->pipe[0], buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&j->lock);
	if (j->state != JOB_FINISHED) {
		pthread_mutex_unlock(&j->lock);
		return false;
	}
	*out = j->result;
	memset(&j->result, 0, sizeof(j->result));
	j->state = JOB_IDLE;
	pthread_mutex_unlock(&j->lock);
	pipeline_note(j, out);
	pipeline_follow(j);
	return true;
}

bool job_step_has_results(const struct job *j, const char *step)
{
	for (unsigned i = 0; i < j->nsteps; i++)
		if (!strcmp(j->steps[i], step)) {
			int have = step_results(j, step);
			return have >= 0 ? have : j->step_done[i];
		}
	return false;
}

const char *job_next_step(const struct job *j)
{
	for (unsigned i = 0; i < j->nsteps; i++)
		if (!j->step_done[i])
			return j->steps[i];
	return NULL;
}

unsigned job_pipeline_len(const struct job *j)
{
	return j->nsteps;
}

unsigned job_pipeline_done(const struct job *j)
{
	unsigned n = 0;
	while (n < j->nsteps && j->step_done[n])
		n++;
	return n;
}
