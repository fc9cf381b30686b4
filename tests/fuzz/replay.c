/*
 * The plain driver of a fuzz target (builds without --enable-fuzzing):
 * runs LLVMFuzzerTestOneInput once per file named on the command line,
 * folders taken file by file in name order, as libFuzzer does with files.
 * make check replays the committed corpora through it (tests/fuzz.sh).
 */
#include "autoconfig.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fz.h"
#include "util.h"

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return -1;
	}
	struct sbuf b = {0};
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sbuf_append(&b, buf, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		sbuf_free(&b);
		fprintf(stderr, "replay: cannot read %s\n", path);
		return -1;
	}
	/* An exact-size copy, so a read past the input's end is caught (ASan, valgrind). */
	size_t len = b.len;
	uint8_t *in = xmalloc(len);
	if (len)
		memcpy(in, b.s, len);
	sbuf_free(&b);
	LLVMFuzzerTestOneInput(in, len);
	free(in);
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	if (!d) {
		fprintf(stderr, "replay: cannot open folder %s\n", dir);
		return -1;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			VEC_PUSH(v, n, cap, path_join(dir, de->d_name));
	closedir(d);
	qsort(v, n, sizeof(*v), cmp_name);
	for (size_t i = 0; i < n; i++) {
		if (run_file(v[i]))
			rc = -1;
		else
			(*count)++;
		free(v[i]);
	}
	free(v);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int rc = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|FOLDER...  (runs the fuzz target once per file)\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (!stat(argv[i], &st) && S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i], &count))
				rc = 1;
		} else if (run_file(argv[i])) {
			rc = 1;
		} else {
			count++;
		}
	}
	fprintf(stderr, "replay: %zu inputs run\n", count);
	return rc;
}
