#include "autoconfig.h"

#include "demo.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mkdump/mkdump.h"

#define DEMO_DEFAULT_ARCH "intel"
#define DEMO_DEFAULT_MODE "ia64"
/* Enough paths for every file mkdump writes (a few per RAM region). */
#define DEMO_MAX_FILES 32

/*
 * Paths prepared in advance so a signal handler can remove them with
 * unlink()/rmdir() only (both async-signal-safe).
 */
static char safe_paths[DEMO_MAX_FILES][4096];
static volatile sig_atomic_t safe_n;
static char safe_dir[4096];
static volatile sig_atomic_t safe_active;
/* SIGPIPE: batch output into a pager or head that quits early. */
static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
static struct sigaction old_act[ARRAY_LEN(caught)];

void demo_remove_now(void)
{
	if (!safe_active)
		return;
	safe_active = 0;
	for (int i = 0; i < safe_n; i++)
		unlink(safe_paths[i]);
	rmdir(safe_dir);
}

static void on_signal(int sig)
{
	demo_remove_now();
	signal(sig, SIG_DFL);
	raise(sig);
}

const char *demo_choices(void)
{
	static char buf[512];
	size_t at = 0;
	buf[0] = '\0';
	for (size_t a = 0; a < mkdump_arch_count(); a++)
		for (size_t m = 0; mkdump_mode_name(a, m); m++) {
			int k = snprintf(buf + at, sizeof(buf) - at, "%s%s/%s", at ? " " : "", mkdump_arch_name(a),
					 mkdump_mode_name(a, m));
			if (k < 0 || (size_t)k >= sizeof(buf) - at)
				return buf;
			at += (size_t)k;
		}
	return buf;
}

/* Checks spec against what mkdump knows; fills arch and mode (static strings). */
static int parse_spec(const char *spec, const char **arch, const char **mode, struct err *e)
{
	char a[64];
	const char *slash = spec ? strchr(spec, '/') : NULL;
	if (!spec) {
		*arch = DEMO_DEFAULT_ARCH;
		*mode = DEMO_DEFAULT_MODE;
		return 0;
	}
	snprintf(a, sizeof(a), "%.*s", slash ? (int)(slash - spec) : (int)strlen(spec), spec);
	for (size_t i = 0; i < mkdump_arch_count(); i++) {
		if (strcmp(mkdump_arch_name(i), a))
			continue;
		*arch = mkdump_arch_name(i);
		if (!slash) {
			*mode = mkdump_mode_name(i, 0);
			return 0;
		}
		for (size_t m = 0; mkdump_mode_name(i, m); m++)
			if (!strcmp(mkdump_mode_name(i, m), slash + 1)) {
				*mode = mkdump_mode_name(i, m);
				return 0;
			}
	}
	return err_set(e, "no demo '%s': choose one of %s", spec, demo_choices());
}

static void arm_cleanup(const struct demo *d)
{
	DIR *dir = opendir(d->dir);
	struct dirent *de;
	safe_n = 0;
	snprintf(safe_dir, sizeof(safe_dir), "%s", d->dir);
	while (dir && (de = readdir(dir)) && safe_n < DEMO_MAX_FILES) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(safe_paths[safe_n], sizeof(safe_paths[0]), "%s/%s", d->dir, de->d_name);
		safe_n++;
	}
	if (dir)
		closedir(dir);
	safe_active = 1;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_LEN(caught); i++)
		sigaction(caught[i], &sa, &old_act[i]);
}

int demo_create(struct demo *d, const char *spec, struct err *e)
{
	const char *arch = NULL, *mode = NULL, *tmp = getenv("TMPDIR");
	struct mkdump_opts o;
	sigset_t block, old;
	memset(d, 0, sizeof(*d));
	if (parse_spec(spec, &arch, &mode, e))
		return -1;
	char *tmpl = xasprintf("%s/mmushell-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	/* No signal may leave a half-written folder behind: hold them until cleanup is armed. */
	sigemptyset(&block);
	for (size_t i = 0; i < ARRAY_LEN(caught); i++)
		sigaddset(&block, caught[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (!mkdtemp(tmpl)) {
		err_set(e, "cannot create a temporary folder from %s: %s", tmpl, strerror(errno));
		free(tmpl);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	d->dir = tmpl;
	mkdump_opts_init(&o);
	o.arch = arch;
	o.mode = mode;
	o.outdir = d->dir;
	int rc = mkdump_generate(&o, e);
	arm_cleanup(d);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		err_prefix(e, "generating the demo dump");
		demo_remove(d);
		return -1;
	}
	d->config = path_join(d->dir, "machine.yaml");
	d->gtruth = path_join(d->dir, "gtruth.yaml");
	d->title = xasprintf("demo %s/%s", arch, mode);
	d->session = xasprintf("mmushell-demo-%s-%s.session", arch, mode);
	return 0;
}

void demo_remove(struct demo *d)
{
	if (d->dir) {
		/* Re-list: the folder holds what mkdump wrote, nothing else. */
		DIR *dir = opendir(d->dir);
		struct dirent *de;
		while (dir && (de = readdir(dir))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char *p = path_join(d->dir, de->d_name);
			unlink(p);
			free(p);
		}
		if (dir)
			closedir(dir);
		rmdir(d->dir);
		if (safe_active) {
			safe_active = 0;
			for (size_t i = 0; i < ARRAY_LEN(caught); i++)
				sigaction(caught[i], &old_act[i], NULL);
		}
	}
	free(d->dir);
	free(d->config);
	free(d->gtruth);
	free(d->title);
	free(d->session);
	memset(d, 0, sizeof(*d));
}
