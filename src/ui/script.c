#include "autoconfig.h"

#include "script.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int code;
} key_names[] = {
	{"Enter", '\r'},     {"Tab", '\t'},         {"S-Tab", KEY_BTAB},   {"BTab", KEY_BTAB},
	{"Esc", 27},         {"Space", ' '},        {"Backspace", KEY_BACKSPACE},
	{"Del", KEY_DC},     {"Up", KEY_UP},        {"Down", KEY_DOWN},    {"Left", KEY_LEFT},
	{"Right", KEY_RIGHT}, {"PgUp", KEY_PPAGE},  {"PgDn", KEY_NPAGE},   {"Home", KEY_HOME},
	{"End", KEY_END},    {"Hash", '#'},
};

int script_key_code(const char *name)
{
	size_t n = strlen(name);
	if (n == 1)
		return (unsigned char)name[0];
	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (!strcmp(key_names[i].name, name))
			return key_names[i].code;
	if (n == 3 && name[0] == 'C' && name[1] == '-' && isalpha((unsigned char)name[2]))
		return tolower((unsigned char)name[2]) & 0x1f;
	if (name[0] == 'F' && n <= 3 && isdigit((unsigned char)name[1])) {
		int f = atoi(name + 1);
		if (f >= 1 && f <= 12)
			return KEY_F(f);
	}
	return -1;
}

const char *script_key_name(int code, char *buf, size_t len)
{
	if (code > ' ' && code < 0x7f) {
		snprintf(buf, len, "%c", code);
		return buf;
	}
	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (key_names[i].code == code)
			return key_names[i].name;
	if (code >= 1 && code <= 26) {
		snprintf(buf, len, "C-%c", 'a' + code - 1);
		return buf;
	}
	if (code >= KEY_F(1) && code <= KEY_F(12)) {
		snprintf(buf, len, "F%d", code - KEY_F(0));
		return buf;
	}
	return NULL;
}

static void push(struct script *s, struct script_item it)
{
	VEC_PUSH(s->v, s->n, s->cap, it);
}

static char *trim(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	size_t n = strlen(p);
	while (n && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
		p[--n] = '\0';
	return p;
}

int script_load(struct script *s, const char *path, struct err *e)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;
	memset(s, 0, sizeof(*s));
	if (!f)
		return err_set(e, "%s: cannot open: %s", path, strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		/* "type" keeps its text as written, spaces included. */
		if (!strncmp(line, "type ", 5)) {
			char *t = line + 5;
			t[strcspn(t, "\r\n")] = '\0';
			for (; *t; t++)
				push(s, (struct script_item){SC_KEY, (unsigned char)*t, 0, 0});
			continue;
		}
		char *p = trim(line);
		if (!*p || *p == '#')
			continue;
		if (!strcmp(p, "wait-idle")) {
			push(s, (struct script_item){SC_WAIT_IDLE, 0, 0, 0});
			continue;
		}
		if (!strncmp(p, "resize ", 7)) {
			int c, r;
			char extra;
			if (sscanf(p + 7, "%dx%d%c", &c, &r, &extra) != 2 || c < 10 || r < 5 || c > 1000 || r > 1000) {
				rc = err_set(e, "%s:%u: resize needs COLSxROWS, e.g. resize 60x20 (got '%s')", path,
					     lineno, p + 7);
				break;
			}
			push(s, (struct script_item){SC_RESIZE, 0, r, c});
			continue;
		}
		int k = script_key_code(p);
		if (k < 0) {
			rc = err_set(e, "%s:%u: unknown key name '%s' (a character, Enter, Tab, S-Tab, Esc, Space, "
					"Backspace, Del, Up, Down, Left, Right, PgUp, PgDn, Home, End, C-a..C-z, F1..F12, "
					"wait-idle, type TEXT, resize COLSxROWS)", path, lineno, p);
			break;
		}
		push(s, (struct script_item){SC_KEY, k, 0, 0});
	}
	free(line);
	fclose(f);
	if (rc)
		script_free(s);
	return rc;
}

void script_free(struct script *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Line-drawing characters as ASCII, so dumps compare on any terminal. */
static char acs_ascii(chtype c)
{
	chtype ch = c & A_CHARTEXT;
	if (!(c & A_ALTCHARSET))
		return ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	switch (ch) {
	case 'q':
		return '-';
	case 'x':
		return '|';
	case 'a':
		return '#';
	default:
		return '+';
	}
}

int script_dump_screen(const char *path, struct err *e)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return err_set(e, "%s: cannot write: %s", path, strerror(errno));
	int rows = getmaxy(curscr), cols = getmaxx(curscr);
	char *buf = xmalloc((size_t)cols + 2);
	for (int y = 0; y < rows; y++) {
		int n = 0;
		for (int x = 0; x < cols; x++)
			buf[n++] = acs_ascii(mvwinch(curscr, y, x));
		while (n && buf[n - 1] == ' ')
			n--;
		buf[n++] = '\n';
		fwrite(buf, 1, (size_t)n, f);
	}
	free(buf);
	if (fclose(f))
		return err_set(e, "%s: cannot write: %s", path, strerror(errno));
	return 0;
}
