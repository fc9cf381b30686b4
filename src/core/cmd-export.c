/* export_vas ROOT FILE and export_all DIR: address spaces as ELF core files. */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "export.h"
#include "radix.h"

static const char *label(const struct analysis *a, unsigned space)
{
	const char *n = a->radix->space[space].shape.name;
	return *n ? n : "all";
}


static void json_stats(struct json *j, const char *file, uint64_t root, const char *tree, const struct export_stats *st)
{
	json_obj_begin(j, NULL);
	json_str(j, "file", file);
	json_hex(j, "root", root);
	json_str(j, "tree", tree);
	json_u64(j, "segments", st->segments);
	json_u64(j, "bytes", st->bytes);
	json_u64(j, "absent_bytes", st->absent_bytes);
	json_bool(j, "kernel_pages", st->kernel);
	json_obj_end(j);
}

/*
 * Options after the path: the word "kernel", and a tree kind where there are
 * two.  A second "kernel" is the tree kind (ARM, AArch64 name one so), or that
 * tree could not be exported with kernel pages.
 */
static int parse_opts(const struct analysis *a, int argc, char **argv, bool *kernel, int *space, struct err *e)
{
	*kernel = false;
	*space = -1;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "kernel") && !*kernel) {
			*kernel = true;
			continue;
		}
		if (*space >= 0)
			return err_set(e, "'%s': one tree kind at most", argv[i]);
		bool known = false;
		for (unsigned s = 0; s < a->radix->nspaces; s++)
			if (!strcmp(argv[i], label(a, s))) {
				*space = (int)s;
				known = true;
			}
		if (!known)
			return err_set(e, "unknown option '%s' (expected 'kernel' or a tree kind)", argv[i]);
	}
	return 0;
}

static int run_export_vas(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	uint64_t root;
	bool kernel;
	int space;
	if (radix_need_tables(a, e) || cmd_arg_u64("ROOT", argv[0], &root, e) ||
	    parse_opts(a, argc - 2, argv + 2, &kernel, &space, e))
		return -1;
	if (space < 0) {
		int t = radix_tree_index(a->radix, root, -1);
		space = t >= 0 ? (int)a->radix->trees[t].space : 0;
	}
	if (radix_table_fits(a, &a->radix->space[space], root, 0, e))
		return -1;
	struct export_stats st;
	char sz[32];
	if (export_vas(a, (unsigned)space, root, argv[1], kernel, &st, e))
		return -1;
	sbuf_printf(&o->text, "Wrote %s: %llu segment%s, %s", argv[1], (unsigned long long)st.segments,
		    st.segments == 1 ? "" : "s", fmt_size(st.bytes, sz, sizeof(sz)));
	sbuf_printf(&o->text, "%s%s\n", st.kernel ? " (kernel pages included)" : " (user pages)",
		    st.absent_bytes ? ", some zero-filled: physical pages not in RAM" : "");
	json_stats(&o->json, argv[1], root, label(a, (unsigned)space), &st);
	return 0;
}

const struct command cmd_export_vas = {
	.name = "export_vas",
	.usage = "ROOT FILE [kernel] [TREE]",
	.summary = "write the address space of the tree at ROOT as an ELF core (user pages; 'kernel' adds the rest)",
	.min_args = 2,
	.max_args = 4,
	.run = run_export_vas,
};

static int run_export_all(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	bool kernel;
	int only;
	if (radix_need_tables(a, e) || parse_opts(a, argc - 1, argv + 1, &kernel, &only, e))
		return -1;
	if (!a->radix->found)
		return err_set(e, "no trees yet: run find_radix_trees first");
	if (mkdir(argv[0], 0755) && errno != EEXIST)
		return err_set(e, "%s: cannot create: %s", argv[0], strerror(errno));
	size_t written = 0, skipped = 0;
	json_obj_begin(&o->json, NULL);
	json_arr_begin(&o->json, "files");
	for (size_t i = 0; i < a->radix->ntrees; i++) {
		const struct radix_tree *t = &a->radix->trees[i];
		if (only >= 0 && (int)t->space != only)
			continue;
		if (!kernel && !t->user_bytes) {
			skipped++; /* nothing user-accessible to write */
			continue;
		}
		char *path = xasprintf("%s/%s-0x%llx.elf", argv[0], label(a, t->space), (unsigned long long)t->root);
		struct export_stats st;
		int rc = export_vas(a, t->space, t->root, path, kernel, &st, e);
		if (!rc) {
			json_stats(&o->json, path, t->root, label(a, t->space), &st);
			written++;
		}
		free(path);
		if (rc)
			return -1;
	}
	json_arr_end(&o->json);
	json_u64(&o->json, "written", written);
	json_u64(&o->json, "skipped_kernel_only", skipped);
	json_obj_end(&o->json);
	sbuf_printf(&o->text, "Wrote %zu address space%s to %s", written, written == 1 ? "" : "s", argv[0]);
	if (skipped)
		sbuf_printf(&o->text, " (%zu kernel-only tree%s skipped: add 'kernel' to include them)", skipped,
			    skipped == 1 ? "" : "s");
	sbuf_printf(&o->text, "\n");
	return 0;
}

const struct command cmd_export_all = {
	.name = "export_all",
	.usage = "DIR [kernel] [TREE]",
	.summary = "export_vas for every tree found, into DIR/<tree>-<root>.elf",
	.min_args = 1,
	.max_args = 3,
	.run = run_export_all,
};
