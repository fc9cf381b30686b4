/* save_data FILE: the whole analysis state as a session file (--session FILE loads it). */
#include "autoconfig.h"

#include "analysis.h"
#include "commands.h"
#include "session.h"

static int run(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	(void)argc;
	if (session_save(a, argv[0], e))
		return -1;
	sbuf_printf(&o->text, "Session saved to %s\n", argv[0]);
	json_obj_begin(&o->json, NULL);
	json_str(&o->json, "file", argv[0]);
	json_u64(&o->json, "version", SESSION_VERSION);
	json_obj_end(&o->json);
	return 0;
}

const struct command cmd_save_data = {
	.name = "save_data",
	.usage = "FILE",
	.summary = "save everything found so far to a session file (reload with --session FILE)",
	.min_args = 1,
	.max_args = 1,
	.run = run,
};
