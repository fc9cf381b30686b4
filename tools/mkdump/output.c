/*
 * output: the files of a generated dump.  Dump files are written sparsely
 * (ftruncate, then pwrite of the non-zero frames only, in large batches),
 * so zero memory costs neither time nor disk.
 */
#include "autoconfig.h"

#include "gen.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BATCH_FRAMES 256

static void describe_opts(const struct gen *g, struct sbuf *b)
{
	const struct mkdump_opts *o = g->o;
	sbuf_printf(b, "mmushell-mkdump --arch %s --mode %s --ram %lluM --regions %u --processes %u --seed %" PRIu64
		    " --noise %u", g->arch->name, g->arch->modes[g->mode].name, (unsigned long long)(o->ram >> 20),
		    o->regions, o->processes, o->seed, o->noise);
	if (o->granule)
		sbuf_printf(b, " --granule %uk", o->granule >> 10);
	if (o->t0sz >= 0)
		sbuf_printf(b, " --t0sz %d", o->t0sz);
	if (o->t1sz >= 0)
		sbuf_printf(b, " --t1sz %d", o->t1sz);
	if (o->ttbcr_n >= 0)
		sbuf_printf(b, " --ttbcr-n %d", o->ttbcr_n);
	if (g->arch->both_endians)
		sbuf_printf(b, " --endian %s", g->big_endian ? "big" : "little");
}

static int write_file(const struct gen *g, const char *name, const struct sbuf *text, struct err *e)
{
	char *path = path_join(g->o->outdir, name);
	FILE *f = fopen(path, "wb");
	int rc = 0;
	if (!f || (text->len && fwrite(text->s, 1, text->len, f) != text->len) || fclose(f)) {
		rc = err_set(e, "cannot write %s: %s", path, strerror(errno));
		if (f)
			fclose(f);
	}
	free(path);
	return rc;
}

static int write_machine(const struct gen *g, struct err *e)
{
	struct sbuf b = {0};
	sbuf_printf(&b, "# Synthetic dump: ");
	describe_opts(g, &b);
	sbuf_printf(&b, "\ncpu:\n  architecture: %s\n  endianness: %s\n  bits: %u\n", g->arch->name,
		    g->big_endian ? "big" : "little", g->bits);
	if (g->cpu_yaml.len)
		sbuf_append(&b, g->cpu_yaml.s, g->cpu_yaml.len);
	sbuf_printf(&b, "mmu:\n  mode: %s\nmemspace:\n  ram:\n", g->arch->modes[g->mode].name);
	for (unsigned i = 0; i < g->nregions; i++)
		sbuf_printf(&b, "    - {start: 0x%" PRIx64 ", end: 0x%" PRIx64 ", dumpfile: dump.%u}\n", g->regions[i].start,
			    g->regions[i].start + g->regions[i].size - 1, i);
	if (g->nwindows) {
		sbuf_printf(&b, "  not_ram:\n");
		for (unsigned i = 0; i < g->nwindows; i++)
			sbuf_printf(&b, "    - {start: 0x%" PRIx64 ", end: 0x%" PRIx64 "}\n", g->windows[i].start,
				    g->windows[i].start + g->windows[i].size - 1);
	}
	int rc = write_file(g, "machine.yaml", &b, e);
	sbuf_free(&b);
	return rc;
}

static void header(const struct gen *g, struct sbuf *b, const char *format)
{
	sbuf_printf(b, "format: %s\narchitecture: %s\nmmu_mode: %s\n", format, g->arch->name,
		    g->arch->modes[g->mode].name);
}

static void register_line(struct sbuf *b, const char *name, uint64_t value, double first, double last,
			  uint64_t count)
{
	sbuf_printf(b, "  - {name: %s, value: 0x%" PRIx64 ", first_seen: %.3f, last_seen: %.3f, count: %" PRIu64 "}\n",
		    name, value, first, last, count);
}

static int write_gtruth(const struct gen *g, struct err *e)
{
	struct sbuf b = {0};
	header(g, &b, "mmushell-gtruth/1");
	sbuf_printf(&b, "source: \"");
	describe_opts(g, &b);
	sbuf_printf(&b, "\"\nregisters:\n");
	for (size_t i = 0; i < g->ntrees; i++) {
		const struct gtree *t = &g->trees[i];
		register_line(&b, t->reg, t->reg_value, t->first_seen, t->last_seen, t->count);
	}
	for (size_t i = 0; i < g->nregs; i++)
		register_line(&b, g->regs[i].name, g->regs[i].value, g->regs[i].first_seen, g->regs[i].last_seen,
			      g->regs[i].count);
	int rc = write_file(g, "gtruth.yaml", &b, e);
	sbuf_free(&b);
	return rc;
}

static int write_expected(const struct gen *g, struct err *e)
{
	struct sbuf b = {0};
	header(g, &b, "mmushell-expected/1");
	sbuf_printf(&b, "generator: \"");
	describe_opts(g, &b);
	sbuf_printf(&b, "\"\n");
	if (g->expected_yaml.len)
		sbuf_append(&b, g->expected_yaml.s, g->expected_yaml.len);
	sbuf_printf(&b, "roots:%s\n", g->ntrees ? "" : " []");
	for (size_t i = 0; i < g->ntrees; i++) {
		const struct gtree *t = &g->trees[i];
		sbuf_printf(&b, "  - root: 0x%" PRIx64 "\n    kind: %s\n    register: %s\n    value: 0x%" PRIx64 "\n",
			    t->root, t->kind, t->reg, t->reg_value);
		if (t->process >= 0)
			sbuf_printf(&b, "    process: %d\n", t->process);
		if (t->boot)
			sbuf_printf(&b, "    boot: true\n");
		size_t before = b.len;
		sbuf_printf(&b, "    ranges:\n");
		size_t header_len = b.len;
		radix_write_ranges(g, t, &b);
		if (b.len == header_len) {
			b.len = before;
			sbuf_printf(&b, "    ranges: []\n");
		}
	}
	sbuf_printf(&b, "decoys:%s\n", g->ndecoys ? "" : " []");
	for (size_t i = 0; i < g->ndecoys; i++)
		sbuf_printf(&b, "  - {addr: 0x%" PRIx64 ", what: %s}\n", g->decoys[i].addr, g->decoys[i].what);
	int rc = write_file(g, "expected.yaml", &b, e);
	sbuf_free(&b);
	return rc;
}

/* The bytes of frame f into buf; false when they are all zero (nothing to write). */
static bool frame_bytes(const struct gen *g, uint64_t f, uint64_t pa, uint8_t *buf)
{
	enum frame_kind k = (enum frame_kind)g->kind[f];
	if (k == FK_STORED) {
		memcpy(buf, g->store[f], GEN_FRAME);
		for (size_t i = 0; i < GEN_FRAME; i++)
			if (buf[i])
				return true;
		return false;
	}
	if (k == FK_FREE)
		k = noise_kind(g, pa);
	if (k == FK_ZERO)
		return false;
	content_fill(g, k, pa, buf);
	return true;
}

/* One writer thread: frames [first, end) of a region, batched into large pwrites. */
struct writer {
	const struct gen *g;
	const struct gen_region *r;
	int fd;
	uint64_t first, end;
	int err;                /* errno of a failed write, or 0 */
};

static void *write_frames(void *arg)
{
	struct writer *w = arg;
	uint8_t *batch = xmalloc(BATCH_FRAMES * GEN_FRAME);
	uint64_t run_start = 0, run_len = 0;
	for (uint64_t k = w->first; k <= w->end && !w->err; k++) {
		bool data = k < w->end && frame_bytes(w->g, w->r->first_frame + k, w->r->start + k * GEN_FRAME,
						       batch + run_len * GEN_FRAME);
		if (data && run_len == 0)
			run_start = k;
		if (data)
			run_len++;
		if (run_len && (!data || run_len == BATCH_FRAMES)) {
			size_t len = run_len * GEN_FRAME;
			if (pwrite(w->fd, batch, len, (off_t)(run_start * GEN_FRAME)) != (ssize_t)len)
				w->err = errno ? errno : EIO;
			run_len = 0;
		}
	}
	free(batch);
	return NULL;
}

#define MAX_WRITERS 16
#define MIN_FRAMES_PER_WRITER 4096

/* Frames are generated from their address alone, so threads can share a region in any order. */
static int write_frames_parallel(const struct gen *g, const struct gen_region *r, int fd)
{
	struct writer w[MAX_WRITERS];
	pthread_t th[MAX_WRITERS];
	uint64_t nframes = r->size / GEN_FRAME;
	unsigned n = (unsigned)MMU_MIN((uint64_t)MMU_MIN(online_cpus(), MAX_WRITERS),
				       MMU_MAX(nframes / MIN_FRAMES_PER_WRITER, 1));
	bool started[MAX_WRITERS] = {false};
	for (unsigned i = 0; i < n; i++) {
		w[i] = (struct writer){g, r, fd, nframes * i / n, nframes * (i + 1) / n, 0};
		started[i] = i > 0 && !pthread_create(&th[i], NULL, write_frames, &w[i]);
		if (i > 0 && !started[i])
			write_frames(&w[i]);
	}
	write_frames(&w[0]);
	int err = w[0].err;
	for (unsigned i = 1; i < n; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		if (!err)
			err = w[i].err;
	}
	return err;
}

static int write_region(const struct gen *g, unsigned i, struct err *e)
{
	const struct gen_region *r = &g->regions[i];
	char name[32];
	snprintf(name, sizeof(name), "dump.%u", i);
	char *path = path_join(g->o->outdir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644), rc = 0, err = 0;
	if (fd < 0 || ftruncate(fd, (off_t)r->size))
		err = errno;
	if (!err)
		err = write_frames_parallel(g, r, fd);
	if (fd >= 0 && close(fd) && !err)
		err = errno;
	if (err)
		rc = err_set(e, "cannot write %s: %s", path, strerror(err));
	free(path);
	return rc;
}

/* mkdir -p: the folder and any missing parents. */
static int make_dirs(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;
	for (char *s = p + 1; *s && !rc; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (!rc && mkdir(p, 0777) && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

static int make_dir(const char *dir, struct err *e)
{
	struct stat st;
	if (make_dirs(dir))
		return err_set(e, "cannot create folder %s: %s", dir, strerror(errno));
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return err_set(e, "%s is not a folder", dir);
	if (access(dir, W_OK))
		return err_set(e, "cannot write into folder %s: %s", dir, strerror(errno));
	return 0;
}

int output_prepare(const struct gen *g, struct err *e)
{
	return make_dir(g->o->outdir, e);
}

/* dump.N files of an earlier run with more regions: the folder must hold what the arguments say. */
static int remove_stale_regions(const struct gen *g, struct err *e)
{
	for (unsigned i = g->nregions;; i++) {
		char name[32];
		snprintf(name, sizeof(name), "dump.%u", i);
		char *path = path_join(g->o->outdir, name);
		struct stat st;
		int rc = lstat(path, &st) || !S_ISREG(st.st_mode) ? 1 : unlink(path) ? -1 : 0;
		if (rc < 0)
			err_set(e, "cannot remove %s, left by an earlier run: %s", path, strerror(errno));
		free(path);
		if (rc)
			return rc < 0 ? -1 : 0;
	}
}

int output_write(struct gen *g, struct err *e)
{
	if (write_machine(g, e) || remove_stale_regions(g, e))
		return -1;
	int rc = 0;
	for (unsigned i = 0; i < g->nregions && !rc; i++)
		rc = write_region(g, i, e);
	return rc || write_gtruth(g, e) || write_expected(g, e) ? -1 : 0;
}
