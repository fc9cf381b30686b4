#include "autoconfig.h"

#include "commands.h"

#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"

extern const struct command cmd_help, cmd_show_machine, cmd_show_memory_map;
extern const struct command cmd_find_registers_values, cmd_show_registers, cmd_show_registers_gtruth,
	cmd_set_tcr, cmd_set_ttbcr;
extern const struct command cmd_parse_memory, cmd_find_tables, cmd_find_radix_trees, cmd_show_radix_trees,
	cmd_show_table, cmd_resolve, cmd_show_vas, cmd_show_radix_trees_gtruth;
extern const struct command cmd_save_data, cmd_export_vas, cmd_export_all;

const struct command *const command_table[] = {
	&cmd_help,
	&cmd_show_machine,
	&cmd_show_memory_map,
	&cmd_find_registers_values,
	&cmd_show_registers,
	&cmd_show_registers_gtruth,
	&cmd_set_tcr,
	&cmd_set_ttbcr,
	&cmd_parse_memory,
	&cmd_find_tables,
	&cmd_find_radix_trees,
	&cmd_show_radix_trees,
	&cmd_show_table,
	&cmd_resolve,
	&cmd_show_vas,
	&cmd_show_radix_trees_gtruth,
	&cmd_export_vas,
	&cmd_export_all,
	&cmd_save_data,
};
const size_t command_table_len = ARRAY_LEN(command_table);

const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < command_table_len; i++)
		if (!strcmp(command_table[i]->name, name))
			return command_table[i];
	return NULL;
}

const struct command *command_find_arch(const struct arch_ops *arch, const char *name)
{
	for (const struct command *const *c = arch ? arch->commands : NULL; c && *c; c++)
		if (!strcmp((*c)->name, name))
			return *c;
	return NULL;
}

/* The architecture that has a command of this name, for "does not apply" messages. */
static const struct arch_ops *command_owner(const char *name)
{
	for (size_t i = 0; i < arch_registry_len; i++)
		if (command_find_arch(arch_registry[i], name))
			return arch_registry[i];
	return NULL;
}

void cmd_out_init(struct cmd_out *o)
{
	memset(o, 0, sizeof(*o));
	json_init(&o->json);
}

void cmd_out_free(struct cmd_out *o)
{
	sbuf_free(&o->text);
	json_free(&o->json);
}

void command_free_argv(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

int command_split(const char *line, int *argc, char ***argv, struct err *e)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	const char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		struct sbuf w = {0};
		bool quoted = false;
		sbuf_append(&w, "", 0);
		for (; *p; p++) {
			if (*p == '"') {
				quoted = !quoted;
			} else if (*p == '\\' && p[1]) {
				sbuf_putc(&w, *++p);
			} else if (!quoted && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
				break;
			} else {
				sbuf_putc(&w, *p);
			}
		}
		if (quoted) {
			sbuf_free(&w);
			command_free_argv((int)n, v);
			return err_set(e, "unterminated quote in command line");
		}
		VEC_PUSH(v, n, cap, sbuf_take(&w));
	}
	*argc = (int)n;
	*argv = v;
	return 0;
}

static void list_commands(const struct arch_ops *arch, char *buf, size_t len)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < command_table_len && at < len; i++) {
		int k = snprintf(buf + at, len - at, "%s%s", i ? ", " : "", command_table[i]->name);
		if (k < 0)
			break;
		at += (size_t)k;
	}
	for (const struct command *const *c = arch ? arch->commands : NULL; c && *c && at < len; c++) {
		int k = snprintf(buf + at, len - at, ", %s", (*c)->name);
		if (k < 0)
			break;
		at += (size_t)k;
	}
}

int command_run_line(struct analysis *a, const char *line, struct cmd_out *o, char **name, struct err *e)
{
	int argc;
	char **argv;
	*name = NULL;
	if (command_split(line, &argc, &argv, e)) {
		*name = xstrdup(line);
		return -1;
	}
	if (argc == 0) {
		*name = xstrdup("");
		command_free_argv(argc, argv);
		return err_set(e, "empty command (try help)");
	}
	*name = xstrdup(argv[0]);
	const struct arch_ops *arch = a ? a->cfg.arch : NULL;
	const struct command *c = command_find(argv[0]);
	const struct arch_ops *owner;
	int rc;
	if (!c)
		c = command_find_arch(arch, argv[0]);
	if (!c && (owner = command_owner(argv[0]))) {
		rc = err_set(e, "does not apply to architecture %s (it is a command of %s)", arch ? arch->name : "?",
			     owner->name);
	} else if (!c) {
		char known[2048];
		list_commands(arch, known, sizeof(known));
		rc = err_set(e, "unknown command '%s' (known: %s)", argv[0], known);
	} else if (argc - 1 < c->min_args || (c->max_args >= 0 && argc - 1 > c->max_args)) {
		rc = err_set(e, "usage: %s%s%s", c->name, *c->usage ? " " : "", c->usage);
	} else {
		rc = c->run(a, argc - 1, argv + 1, o, e);
	}
	command_free_argv(argc, argv);
	return rc;
}

void command_write_json(FILE *f, const char *name, bool ok, const char *error, const char *result)
{
	struct sbuf b = {0};
	sbuf_append(&b, "{\"command\": ", 12);
	json_quote(&b, name);
	sbuf_printf(&b, ", \"ok\": %s, \"error\": ", ok ? "true" : "false");
	if (error)
		json_quote(&b, error);
	else
		sbuf_append(&b, "null", 4);
	sbuf_printf(&b, ", \"result\": %s}\n", result && *result ? result : "null");
	fputs(b.s, f);
	sbuf_free(&b);
}

int cmd_arg_u64(const char *what, const char *arg, uint64_t *out, struct err *e)
{
	if (parse_u64(arg, out))
		return err_set(e, "%s must be a number, decimal or 0x hexadecimal (got '%s')", what, arg);
	return 0;
}
