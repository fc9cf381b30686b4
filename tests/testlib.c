#include "autoconfig.h"

#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>

#include "analysis.h"
#include "commands.h"
#include "radix.h"
#include "unit.h"

int tl_open(struct analysis *a, const char *yaml, const char *gt, const char *session)
{
	struct err e = {{0}};
	struct analysis_opts o = {.threads = 2, .gtruth_path = gt, .session_path = session};
	if (analysis_open(a, yaml, &o, &e)) {
		fprintf(stderr, "\n%s\n", e.msg);
		return -1;
	}
	return 0;
}

int tl_run(struct analysis *a, const char *line, char **json, char **error)
{
	struct cmd_out o;
	struct err e = {{0}};
	char *name;
	cmd_out_init(&o);
	int rc = command_run_line(a, line, &o, &name, &e);
	if (json)
		*json = xstrdup(o.json.b.s ? o.json.b.s : "");
	if (error)
		*error = xstrdup(e.msg);
	else if (rc)
		fprintf(stderr, "\n%s: %s\n", line, e.msg);
	free(name);
	cmd_out_free(&o);
	return rc;
}

char *tl_json(struct analysis *a, const char *line)
{
	char *json;
	tl_run(a, line, &json, NULL);
	return json;
}

char *tl_text(struct analysis *a, const char *line)
{
	struct cmd_out o;
	struct err e = {{0}};
	char *name;
	cmd_out_init(&o);
	if (command_run_line(a, line, &o, &name, &e))
		fprintf(stderr, "\n%s: %s\n", line, e.msg);
	char *text = xstrdup(o.text.s ? o.text.s : "");
	free(name);
	cmd_out_free(&o);
	return text;
}

char *tl_answer(struct analysis *a, const char *line)
{
	char *json, *error;
	int rc = tl_run(a, line, &json, &error);
	char *r = rc ? xasprintf("error %s", error) : xasprintf("ok %s", json);
	free(json);
	free(error);
	return r;
}

void tl_expect_range(const struct vas *v, size_t i, uint64_t va, uint64_t size, uint64_t pa, const char *perms)
{
	char ps[7];
	CU_ASSERT_FATAL(i < v->n);
	perm_str(v->r[i].perms, ps);
	if (v->r[i].va != va || v->r[i].size != size || v->r[i].pa != pa || strcmp(ps, perms))
		fprintf(stderr, "\n  range %zu: got va 0x%llx size 0x%llx pa 0x%llx %s; want 0x%llx 0x%llx 0x%llx %s\n", i,
			(unsigned long long)v->r[i].va, (unsigned long long)v->r[i].size, (unsigned long long)v->r[i].pa,
			ps, (unsigned long long)va, (unsigned long long)size, (unsigned long long)pa, perms);
	CU_ASSERT_EQUAL(v->r[i].va, va);
	CU_ASSERT_EQUAL(v->r[i].size, size);
	CU_ASSERT_EQUAL(v->r[i].pa, pa);
	ASSERT_STR_EQ(ps, perms);
}
