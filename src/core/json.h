/*
 * json: a small streaming writer for the --json output.  Addresses are
 * written as "0x..." strings (json_hex) so 64-bit values survive every
 * JSON parser; counts and sizes are plain numbers.
 */
#ifndef MMU_JSON_H
#define MMU_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

#define JSON_MAX_DEPTH 32

struct json {
	struct sbuf b;
	int depth;
	bool first[JSON_MAX_DEPTH];
};

void json_init(struct json *j);
void json_free(struct json *j);
/* key is NULL inside arrays and at the top level. */
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val);   /* NULL writes null */
void json_u64(struct json *j, const char *key, uint64_t val);
void json_i64(struct json *j, const char *key, int64_t val);
void json_double(struct json *j, const char *key, double val);
void json_hex(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);
/* Inserts already-formatted JSON text as a value. */
void json_raw(struct json *j, const char *key, const char *text);
/* Appends s as a JSON string literal (quotes and escapes) to b. */
void json_quote(struct sbuf *b, const char *s);

#endif
