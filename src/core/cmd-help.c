/* help [COMMAND]: the command list, or one command's usage. */
#include "autoconfig.h"

#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"

static void describe(const struct command *c, struct cmd_out *o)
{
	json_obj_begin(&o->json, NULL);
	json_str(&o->json, "name", c->name);
	json_str(&o->json, "usage", c->usage);
	json_str(&o->json, "summary", c->summary);
	json_obj_end(&o->json);
}

/* Core commands, then the architecture's own. */
static size_t gather(const struct analysis *a, const struct command **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < command_table_len && n < max; i++)
		out[n++] = command_table[i];
	for (const struct command *const *c = a ? a->cfg.arch->commands : NULL; c && *c && n < max; c++)
		out[n++] = *c;
	return n;
}

static int run(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	const struct command *all[128];
	size_t n = gather(a, all, ARRAY_LEN(all));
	json_obj_begin(&o->json, NULL);
	json_arr_begin(&o->json, "commands");
	if (argc == 1) {
		const struct command *c = NULL;
		for (size_t i = 0; i < n && !c; i++)
			if (!strcmp(all[i]->name, argv[0]))
				c = all[i];
		if (!c) {
			struct sbuf known = {0};
			for (size_t i = 0; i < n; i++)
				sbuf_printf(&known, "%s%s", i ? ", " : "", all[i]->name);
			err_set(e, "unknown command '%s' (known: %s)", argv[0], known.s ? known.s : "");
			sbuf_free(&known);
			return -1;
		}
		sbuf_printf(&o->text, "%s %s\n    %s\n", c->name, c->usage, c->summary);
		describe(c, o);
	} else {
		size_t w = 0;
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(all[i]->name) + 1 + strlen(all[i]->usage);
			if (l > w)
				w = l;
		}
		for (size_t i = 0; i < n; i++) {
			char head[128];
			snprintf(head, sizeof(head), "%s %s", all[i]->name, all[i]->usage);
			sbuf_printf(&o->text, "  %-*s  %s\n", (int)w, head, all[i]->summary);
			describe(all[i], o);
		}
	}
	json_arr_end(&o->json);
	json_obj_end(&o->json);
	return 0;
}

const struct command cmd_help = {
	.name = "help",
	.usage = "[COMMAND]",
	.summary = "list the commands, or show how to use one",
	.min_args = 0,
	.max_args = 1,
	.run = run,
};
