/*
 * job: the explorer's background worker.  One thread runs one command
 * line at a time through the shared command table (commands.h), so the
 * explorer's steps and ':' commands behave exactly as in batch mode.
 *
 * The submitting thread (the UI) polls progress with job_status() at any
 * time, cancels with job_cancel(), and learns that a command finished when
 * job_fd() becomes readable; job_take() then hands the result over.  While
 * a command runs, the submitter must not read the analysis results: they
 * may be replaced under it.
 *
 * The job also keeps the architecture's pipeline position (arch->pipeline)
 * so "run the next step" needs no architecture knowledge in the UI.
 */
#ifndef MMU_JOB_H
#define MMU_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

struct analysis;
struct job;

/* A finished command, owned by the caller after job_take(). */
struct job_result {
	char *line;          /* the command line as submitted */
	char *name;          /* its command word */
	bool ok;
	bool cancelled;      /* stopped by job_cancel() */
	char *text;          /* human-readable output, never NULL (may be "") */
	char *json;          /* JSON "result" value, NULL when none */
	char *error;         /* message when !ok, else NULL */
	double seconds;
};

/* A snapshot of the running command, for the status line. */
struct job_status {
	bool busy;
	bool cancelling;     /* cancel requested, not finished yet */
	char line[128];      /* command line (truncated) */
	const char *step;    /* what the scan reports (static), else the command word */
	uint64_t done, total; /* progress units (bytes for scans); total 0 when unknown */
	double elapsed;      /* seconds since the command started */
	double rate;         /* units per second, 0 when unknown */
	double eta;          /* seconds left, negative when unknown */
};

/* Starts the worker thread; NULL with a message in e when it cannot. */
struct job *job_start(struct analysis *a, struct err *e);
/* Cancels what runs, joins the thread, frees everything (untaken results too). */
void job_stop(struct job *j);

/* Readable when a result is waiting: poll() it alongside the terminal. */
int job_fd(const struct job *j);

/* Queues one command line; -1 when a command is already running. */
int job_submit(struct job *j, const char *line, struct err *e);
/* A command is pending, running, or finished with its result not taken yet. */
bool job_busy(const struct job *j);
/* Asks the running command to stop (scans poll the flag between frames). */
void job_cancel(struct job *j);
void job_status(struct job *j, struct job_status *s);
/* Takes the finished command's result; false when none is waiting. */
bool job_take(struct job *j, struct job_result *out);
void job_result_free(struct job_result *r);

/*
 * The architecture's next pipeline step (a command word), or NULL when
 * every step has run.  A step that succeeds marks itself done and every
 * later step undone (re-running a scan invalidates what followed it); a
 * failed or cancelled step is undone with what follows.  Then, after
 * every command, the position follows the results the analysis holds:
 * a step whose results were dropped (set_tcr giving other table shapes)
 * is undone, one whose results are still valid stays done.
 */
const char *job_next_step(const struct job *j);
/*
 * Whether pipeline step 'step' has results that running it would replace
 * (false for a command that is no step).  Call it only while no command
 * runs (!job_busy): it reads the analysis.
 */
bool job_step_has_results(const struct job *j, const char *step);
/* Number of pipeline steps, and how many of the first ones are done. */
unsigned job_pipeline_len(const struct job *j);
unsigned job_pipeline_done(const struct job *j);

#endif
