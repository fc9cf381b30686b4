/*
 * Fuzz target: the batch command parser (command_split, command_run_line)
 * and every command's argument parsing (addresses, numbers, levels, tree
 * kinds, options), on a generated machine whose pipeline has run.  Byte 0
 * picks the machine (fz_std_machine); the rest is command lines, one per
 * line, as batch mode reads them from standard input.
 *
 * Commands writing files (export_vas, export_all, save_data) write into the
 * scratch folder whatever path the input names (an input must not write
 * anywhere else), and what they wrote is removed after each input; exports
 * are bounded by fz_small_limits.  After a command that changes the
 * results, the machine is reset for the next input.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "fz.h"
#include "radix.h"

#define MAX_LINES 16

/* The commands writing files, and which argument is the path. */
static const struct {
	const char *name;
	int path_arg;
} writers[] = {{"export_vas", 2}, {"export_all", 1}, {"save_data", 1}};
static const char *const changers[] = {"parse_memory", "find_tables", "find_radix_trees", "find_registers_values",
				       "set_tcr", "set_ttbcr", NULL};

static bool listed(const char *const *list, const char *word)
{
	for (; *list; list++)
		if (!strcmp(*list, word))
			return true;
	return false;
}

static int writer_path_arg(const char *word)
{
	for (size_t i = 0; i < ARRAY_LEN(writers); i++)
		if (!strcmp(writers[i].name, word))
			return writers[i].path_arg;
	return -1;
}

/*
 * The line again with its path argument in the scratch folder, or NULL when
 * an argument would need quoting (the command then does not run).
 */
static char *redirect_writer(int argc, char **argv, int path_arg, const char *out)
{
	size_t len = 1;
	for (int i = 0; i < argc; i++) {
		if (strpbrk(argv[i], " \t\"'\\#") || !argv[i][0])
			return NULL;
		len += strlen(i == path_arg ? out : argv[i]) + 1;
	}
	char *line = xcalloc(1, len);
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(line, " ");
		strcat(line, i == path_arg ? out : argv[i]);
	}
	return line;
}

/* The pipeline of the architecture, once: most commands read its results. */
static void ready(struct analysis *a)
{
	if (a->radix && a->radix->found)
		return;
	fz_std_reset(a);
	for (const char *const *step = a->cfg.arch->pipeline; step && *step; step++)
		if (fz_command(a, "%s", *step))
			break;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fz_small_limits();
	struct analysis *a = fz_std_machine(data[0]);
	ready(a);
	char *text = xstrndup((const char *)data + 1, size - 1);
	char *out = path_join(fz_dir(), "out");
	bool changed = false;
	char *line = text;
	for (int n = 0; line && n < MAX_LINES; n++) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		int argc;
		char **argv;
		struct err e = {{0}};
		if (command_split(line, &argc, &argv, &e) == 0) {
			int path_arg = argc > 0 ? writer_path_arg(argv[0]) : -1;
			changed |= argc > 0 && listed(changers, argv[0]);
			for (int i = 0; i < argc; i++)
				FZ_CHECK(argv[i] != NULL);
			if (path_arg < 0) {
				fz_command(a, "%s", line);
			} else if (argc <= path_arg) {
				fz_command(a, "%s", line); /* the usage message */
			} else {
				char *redirected = redirect_writer(argc, argv, path_arg, out);
				if (redirected) {
					fz_command(a, "%s", redirected);
					fz_remove(out); /* the file, or the folder export_all filled */
					free(redirected);
				}
			}
			command_free_argv(argc, argv);
		} else {
			FZ_CHECK(strstr(e.msg, "quote") != NULL);
			fz_command(a, "%s", line);
		}
		line = next;
	}
	free(text);
	free(out);
	if (changed)
		fz_std_reset(a);
	return 0;
}
