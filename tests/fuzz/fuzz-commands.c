/*
 * Fuzz target: the batch command parser (command_split, command_run_line)
 * and every command's argument parsing (addresses, numbers, levels, tree
 * kinds, options), on a generated machine whose pipeline has run.  Byte 0
 * picks the machine (fz_std_machine); the rest is command lines, one per
 * line, as batch mode reads them from standard input.
 *
 * Commands writing files (export_vas, export_all, save_data) are skipped:
 * their argument is a path the fuzzer would fill the disk with.  After a
 * command that changes the results, the machine is reset for the next input.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "fz.h"
#include "radix.h"

#define MAX_LINES 16

static const char *const writers[] = {"export_vas", "export_all", "save_data", NULL};
static const char *const changers[] = {"parse_memory", "find_tables", "find_radix_trees", "find_registers_values",
				       "set_tcr", "set_ttbcr", NULL};

static bool listed(const char *const *list, const char *word)
{
	for (; *list; list++)
		if (!strcmp(*list, word))
			return true;
	return false;
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
			bool skip = argc > 0 && listed(writers, argv[0]);
			changed |= argc > 0 && listed(changers, argv[0]);
			for (int i = 0; i < argc; i++)
				FZ_CHECK(argv[i] != NULL);
			command_free_argv(argc, argv);
			if (!skip)
				fz_command(a, "%s", line);
		} else {
			FZ_CHECK(strstr(e.msg, "quote") != NULL);
			fz_command(a, "%s", line);
		}
		line = next;
	}
	free(text);
	if (changed)
		fz_std_reset(a);
	return 0;
}
