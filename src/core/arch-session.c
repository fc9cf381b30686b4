/*
 * The session section of an architecture's own results (arch_ops.session:
 * PowerPC hash tables), so that session.c needs no architecture names.
 */
#include "autoconfig.h"

#include "analysis.h"
#include "arch.h"
#include "session.h"

static bool present(const struct analysis *a)
{
	const struct session_section *s = a->cfg.arch ? a->cfg.arch->session : NULL;
	return s && s->present(a);
}

static void save(const struct analysis *a, struct sess_w *w)
{
	a->cfg.arch->session->save(a, w);
}

static int load(struct analysis *a, struct sess_r *r, struct err *e)
{
	const struct session_section *s = a->cfg.arch ? a->cfg.arch->session : NULL;
	if (!s)
		return err_set(e, "results saved for another architecture than %s", a->cfg.arch ? a->cfg.arch->name : "?");
	return s->load(a, r, e);
}

const struct session_section arch_session_section = {
	.tag = SESSION_TAG('A', 'R', 'C', 'H'),
	.name = "ARCH",
	.present = present,
	.save = save,
	.load = load,
};
