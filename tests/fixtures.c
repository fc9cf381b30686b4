#include "autoconfig.h"

#include "fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static char **dirs, **paths;
static size_t ndirs, dcap, npaths, pcap;

char *fx_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *t = xasprintf("%s/mmushell-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(t))
		fatal("mkdtemp %s failed", t);
	VEC_PUSH(dirs, ndirs, dcap, t);
	return t;
}

const char *fx_write_bytes(const char *dir, const char *name, const void *data, size_t len)
{
	char *p = path_join(dir, name);
	FILE *f = fopen(p, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f))
		fatal("cannot write fixture %s", p);
	VEC_PUSH(paths, npaths, pcap, p);
	return p;
}

const char *fx_write(const char *dir, const char *name, const char *text)
{
	return fx_write_bytes(dir, name, text, strlen(text));
}

uint8_t fx_pattern_byte(uint64_t i, unsigned seed)
{
	return (uint8_t)((i * 7 + seed) ^ (i >> 8));
}

const char *fx_pattern_file(const char *dir, const char *name, size_t len, unsigned seed)
{
	uint8_t *b = xmalloc(len);
	for (size_t i = 0; i < len; i++)
		b[i] = fx_pattern_byte(i, seed);
	const char *p = fx_write_bytes(dir, name, b, len);
	free(b);
	return p;
}

void fx_cleanup(void)
{
	for (size_t i = 0; i < npaths; i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
	for (size_t i = ndirs; i-- > 0;) {
		char *cmd = xasprintf("rm -rf '%s'", dirs[i]);
		if (system(cmd) != 0)
			fprintf(stderr, "warning: could not remove %s\n", dirs[i]);
		free(cmd);
		free(dirs[i]);
	}
	free(paths);
	free(dirs);
	paths = dirs = NULL;
	npaths = ndirs = pcap = dcap = 0;
}
