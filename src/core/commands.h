/*
 * commands: the command table shared by batch mode (-e) and the
 * explorer's ':' line.  Each command fills both a human-readable text and
 * a JSON result, so the two outputs can never disagree.  One command (or a
 * small family) per cmd-*.c file.
 */
#ifndef MMU_COMMANDS_H
#define MMU_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

#include "json.h"
#include "util.h"

struct analysis;

struct cmd_out {
	struct sbuf text;   /* what a person reads */
	struct json json;   /* the "result" value of the JSON line */
};

struct command {
	const char *name;
	const char *usage;      /* arguments, e.g. "ADDR [LEVEL]" */
	const char *summary;    /* one line */
	int min_args, max_args; /* max_args -1: no limit */
	/*
	 * Fills o and returns 0, or fills e and returns -1.  Messages do not
	 * repeat the command name: callers prefix it.
	 */
	int (*run)(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e);
};

extern const struct command *const command_table[];
extern const size_t command_table_len;

struct arch_ops;

/* A core command, or NULL. */
const struct command *command_find(const char *name);
/* A command of this architecture only, or NULL. */
const struct command *command_find_arch(const struct arch_ops *arch, const char *name);

void cmd_out_init(struct cmd_out *o);
void cmd_out_free(struct cmd_out *o);

/* Splits a command line into words; double quotes group, backslash escapes. */
int command_split(const char *line, int *argc, char ***argv, struct err *e);
void command_free_argv(int argc, char **argv);

/*
 * Runs one command line.  *name gets the command word (or the whole line
 * when it has none), for the JSON "command" field; free it.
 */
int command_run_line(struct analysis *a, const char *line, struct cmd_out *o, char **name, struct err *e);

/* One JSON line: {"command": ..., "ok": ..., "error": ..., "result": ...}. */
void command_write_json(FILE *f, const char *name, bool ok, const char *error, const char *result);

/* Helpers for argument parsing with uniform messages. */
int cmd_arg_u64(const char *what, const char *arg, uint64_t *out, struct err *e);

#endif
