#include "autoconfig.h"

#include "yamlfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_all(const char *path, const char *what, uint64_t max_bytes, struct sbuf *b, struct err *e)
{
	/* Read to the end rather than trust a size: the path may be a pipe (mmushell <(...)). */
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;
	if (!f)
		return err_set(e, "%s: cannot open: %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (b->len + n > max_bytes) {
			fclose(f);
			return err_set(e, "%s: too large for %s (more than %llu MiB)", path, what,
				       (unsigned long long)(max_bytes >> 20));
		}
		sbuf_append(b, buf, n);
	}
	int bad = ferror(f), saved = errno;
	fclose(f);
	if (bad)
		return err_set(e, "%s: cannot read: %s", path, strerror(saved));
	return 0;
}

static int malformed(const char *path, const yaml_parser_t *p, bool with_context, struct err *e)
{
	return err_set(e, "%s:%d:%d: malformed YAML: %s%s%s", path, (int)p->problem_mark.line + 1,
		       (int)p->problem_mark.column + 1, p->problem ? p->problem : "parse error",
		       with_context && p->context ? " " : "", with_context && p->context ? p->context : "");
}

/* The event pass: syntax errors and the nesting limit, at a cost linear in the size. */
static int check_depth(const char *path, const uint8_t *text, size_t len, bool with_context, struct err *e)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, rc = 0;
	if (!yaml_parser_initialize(&p))
		return err_set(e, "%s: cannot initialise the YAML parser", path);
	yaml_parser_set_input_string(&p, len ? text : (const uint8_t *)"", len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = malformed(path, &p, with_context, e);
			break;
		}
		yaml_event_type_t t = ev.type;
		if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) {
			if (++depth > YAMLFILE_MAX_DEPTH) {
				rc = err_set(e, "%s:%d:%d: YAML nested deeper than %d levels", path,
					     (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1, YAMLFILE_MAX_DEPTH);
				yaml_event_delete(&ev);
				break;
			}
		} else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) {
			depth--;
		}
		yaml_event_delete(&ev);
		/* Only the first document is loaded: what follows it is not looked at either. */
		if (t == YAML_DOCUMENT_END_EVENT || t == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&p);
	return rc;
}

int yamlfile_load(const char *path, const char *what, uint64_t max_bytes, bool with_context, yaml_document_t *doc,
		  struct err *e)
{
	struct sbuf b = {0};
	yaml_parser_t p;
	int rc = -1;
	memset(doc, 0, sizeof(*doc));
	if (read_all(path, what, max_bytes, &b, e) || check_depth(path, (const uint8_t *)b.s, b.len, with_context, e))
		goto out;
	if (!yaml_parser_initialize(&p)) {
		err_set(e, "%s: cannot initialise the YAML parser", path);
		goto out;
	}
	yaml_parser_set_input_string(&p, (const uint8_t *)(b.s ? b.s : ""), b.len);
	if (!yaml_parser_load(&p, doc)) {
		malformed(path, &p, with_context, e);
		memset(doc, 0, sizeof(*doc));
	} else {
		rc = 0;
	}
	yaml_parser_delete(&p);
out:
	sbuf_free(&b);
	return rc;
}
