#include "autoconfig.h"

#include "json.h"

#include <math.h>
#include <string.h>

void json_init(struct json *j)
{
	memset(j, 0, sizeof(*j));
	j->first[0] = true;
}

void json_free(struct json *j)
{
	sbuf_free(&j->b);
}

void json_quote(struct sbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	sbuf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			sbuf_append(b, "\\\"", 2);
			break;
		case '\\':
			sbuf_append(b, "\\\\", 2);
			break;
		case '\n':
			sbuf_append(b, "\\n", 2);
			break;
		case '\t':
			sbuf_append(b, "\\t", 2);
			break;
		case '\r':
			sbuf_append(b, "\\r", 2);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				char u[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
				sbuf_append(b, u, 6);
			} else {
				sbuf_putc(b, (char)*p);
			}
		}
	}
	sbuf_putc(b, '"');
}

static void prefix(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		sbuf_append(&j->b, ", ", 2);
	j->first[j->depth] = false;
	if (key) {
		json_quote(&j->b, key);
		sbuf_append(&j->b, ": ", 2);
	}
}

static void open_(struct json *j, const char *key, char c)
{
	prefix(j, key);
	sbuf_putc(&j->b, c);
	if (j->depth + 1 >= JSON_MAX_DEPTH)
		fatal("JSON output nested too deeply");
	j->first[++j->depth] = true;
}

void json_obj_begin(struct json *j, const char *key)
{
	open_(j, key, '{');
}

void json_obj_end(struct json *j)
{
	j->depth--;
	sbuf_putc(&j->b, '}');
}

void json_arr_begin(struct json *j, const char *key)
{
	open_(j, key, '[');
}

void json_arr_end(struct json *j)
{
	j->depth--;
	sbuf_putc(&j->b, ']');
}

void json_str(struct json *j, const char *key, const char *val)
{
	prefix(j, key);
	if (val)
		json_quote(&j->b, val);
	else
		sbuf_append(&j->b, "null", 4);
}

void json_u64(struct json *j, const char *key, uint64_t val)
{
	prefix(j, key);
	sbuf_printf(&j->b, "%llu", (unsigned long long)val);
}

void json_i64(struct json *j, const char *key, int64_t val)
{
	prefix(j, key);
	sbuf_printf(&j->b, "%lld", (long long)val);
}

void json_double(struct json *j, const char *key, double val)
{
	prefix(j, key);
	if (isfinite(val))
		sbuf_printf(&j->b, "%.6g", val);
	else
		sbuf_append(&j->b, "null", 4);
}

void json_hex(struct json *j, const char *key, uint64_t val)
{
	prefix(j, key);
	sbuf_printf(&j->b, "\"0x%llx\"", (unsigned long long)val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	prefix(j, key);
	sbuf_printf(&j->b, "%s", val ? "true" : "false");
}

void json_null(struct json *j, const char *key)
{
	prefix(j, key);
	sbuf_append(&j->b, "null", 4);
}

void json_raw(struct json *j, const char *key, const char *text)
{
	prefix(j, key);
	sbuf_printf(&j->b, "%s", text);
}
