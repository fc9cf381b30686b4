/*
 * demo: `mmushell --demo [ARCH/MODE]` — a synthetic dump with its ground
 * truth (tools/mkdump) in a private temporary folder, removed again on
 * every way out: normal exit, fatal error, SIGINT/SIGTERM/SIGHUP/SIGQUIT,
 * a broken pipe, a crash.
 */
#ifndef MMU_DEMO_H
#define MMU_DEMO_H

#include "util.h"

struct demo {
	char *dir;
	char *config;    /* dir/machine.yaml */
	char *gtruth;    /* dir/gtruth.yaml */
	char *title;     /* "demo intel/ia64" */
	char *session;   /* a file name in the current folder for 's' */
};

/* The architectures and modes --demo knows, as "intel/ia32 intel/pae ..." (static buffer). */
const char *demo_choices(void);

/* spec: "ARCH" or "ARCH/MODE", NULL for the default (intel/ia64). */
int demo_create(struct demo *d, const char *spec, struct err *e);
/* Removes the folder and frees d; idempotent. */
void demo_remove(struct demo *d);
/* Async-signal-safe removal of the files of the demo being shown (crash paths). */
void demo_remove_now(void);

#endif
