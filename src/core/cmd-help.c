/* help [COMMAND]: the command list, or one command's usage. */
#include "autoconfig.h"

#include <string.h>

#include "commands.h"

static void describe(const struct command *c, struct cmd_out *o)
{
	json_obj_begin(&o->json, NULL);
	json_str(&o->json, "name", c->name);
	json_str(&o->json, "usage", c->usage);
	json_str(&o->json, "summary", c->summary);
	json_obj_end(&o->json);
}

static int run(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	(void)a;
	json_obj_begin(&o->json, NULL);
	json_arr_begin(&o->json, "commands");
	if (argc == 1) {
		const struct command *c = command_find(argv[0]);
		if (!c)
			return err_set(e, "unknown command '%s'", argv[0]);
		sbuf_printf(&o->text, "%s %s\n    %s\n", c->name, c->usage, c->summary);
		describe(c, o);
	} else {
		size_t w = 0;
		for (size_t i = 0; i < command_table_len; i++) {
			size_t l = strlen(command_table[i]->name) + 1 + strlen(command_table[i]->usage);
			if (l > w)
				w = l;
		}
		for (size_t i = 0; i < command_table_len; i++) {
			const struct command *c = command_table[i];
			char head[128];
			snprintf(head, sizeof(head), "%s %s", c->name, c->usage);
			sbuf_printf(&o->text, "  %-*s  %s\n", (int)w, head, c->summary);
			describe(c, o);
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
