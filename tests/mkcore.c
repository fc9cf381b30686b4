/*
 * mkcore: writes test memory images with the project's own writers, for the
 * script tests.  Each RANGE is START:SIZE:SEED[:VALID]: SIZE bytes at
 * physical START, byte i being fx_pattern_byte(i, SEED) for i < VALID
 * (default SIZE) and 0 after.
 *
 *   mkcore elf64le|elf64be|elf32le|elf32be OUT [--machine N] [--vaddr-offset X] [--kcore]
 *          [--split N] [--align N] RANGE...
 *   mkcore lime|limebe OUT RANGE...
 *   mkcore raw PREFIX RANGE...          PREFIX.0, PREFIX.1, ... one per range
 *   mkcore mem OUT [--size N] RANGE...  one file indexed by physical address (sparse), cut at N bytes
 *
 * --vaddr-offset gives p_vaddr = p_paddr + X, as /proc/kcore's direct map
 * does; --kcore adds what /proc/kcore has besides RAM: a PT_LOAD without a
 * physical address (p_paddr all ones, like vmalloc) and a kernel-text
 * PT_LOAD over the first 1 MiB boundary inside a range (else the second
 * page of the first range) that reads as zeros (as kcore shows freed __init
 * pages through the kernel-image mapping).  --split cuts each range
 * into PT_LOADs of N bytes (many program headers from one argument);
 * --align sets the file alignment of PT_LOAD data (default 4096).
 */
#include "autoconfig.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfcore.h"
#include "fixtures.h"
#include "lime.h"
#include "util.h"

struct range {
	uint64_t start, size, valid;
	unsigned seed;
};

static _Noreturn void die(const char *msg)
{
	fprintf(stderr, "mkcore: %s\n", msg);
	exit(2);
}

static void parse_range(const char *s, struct range *r)
{
	char *copy = xstrdup(s), *save = NULL;
	char *f[4] = {0};
	int n = 0;
	for (char *t = strtok_r(copy, ":", &save); t && n < 4; t = strtok_r(NULL, ":", &save))
		f[n++] = t;
	uint64_t seed;
	if (n < 3 || parse_u64(f[0], &r->start) || parse_u64(f[1], &r->size) || parse_u64(f[2], &seed) || !r->size)
		die("a range is START:SIZE:SEED[:VALID]");
	r->seed = (unsigned)seed;
	r->valid = r->size;
	if (n == 4 && (parse_u64(f[3], &r->valid) || r->valid > r->size))
		die("VALID must not exceed SIZE");
	free(copy);
}

static uint8_t byte_at(const struct range *r, uint64_t i)
{
	return i < r->valid ? fx_pattern_byte(i, r->seed) : 0;
}

/* Fills buf with bytes [at, at + n) of range r. */
static void fill(const struct range *r, uint64_t at, uint8_t *buf, size_t n)
{
	for (size_t k = 0; k < n; k++)
		buf[k] = byte_at(r, at + k);
}

static int create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die("cannot create the output");
	return fd;
}

typedef int (*write_fn)(void *w, const void *p, size_t n, struct err *e);

static void stream(const struct range *r, write_fn fn, void *w)
{
	uint8_t buf[65536];
	struct err e = {{0}};
	for (uint64_t at = 0; at < r->size; at += sizeof(buf)) {
		size_t n = (size_t)MMU_MIN((uint64_t)sizeof(buf), r->size - at);
		fill(r, at, buf, n);
		if (fn(w, buf, n, &e))
			die(e.msg);
	}
}

static int elf_write(void *w, const void *p, size_t n, struct err *e)
{
	return elfw_write(w, p, n, e);
}

static int lime_write(void *w, const void *p, size_t n, struct err *e)
{
	return limew_write(w, p, n, e);
}

static int fd_write(void *w, const void *p, size_t n, struct err *e)
{
	int fd = *(int *)w;
	if (write(fd, p, n) != (ssize_t)n)
		return err_set(e, "write failed");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		die("usage: mkcore FORMAT OUT [options] RANGE...");
	const char *fmt = argv[1], *out = argv[2];
	uint64_t machine = EM_X86_64, voff = 0, size = 0, split = 0, align = 0;
	bool kcore = false, have_size = false;
	struct range *r = NULL;
	size_t n = 0, cap = 0;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--machine") && i + 1 < argc) {
			if (parse_u64(argv[++i], &machine))
				die("bad --machine");
		} else if (!strcmp(argv[i], "--vaddr-offset") && i + 1 < argc) {
			if (parse_u64(argv[++i], &voff))
				die("bad --vaddr-offset");
		} else if (!strcmp(argv[i], "--size") && i + 1 < argc) {
			if (parse_u64(argv[++i], &size))
				die("bad --size");
			have_size = true;
		} else if (!strcmp(argv[i], "--split") && i + 1 < argc) {
			if (parse_u64(argv[++i], &split) || !split)
				die("bad --split");
		} else if (!strcmp(argv[i], "--align") && i + 1 < argc) {
			if (parse_u64(argv[++i], &align) || (align & (align - 1)))
				die("bad --align");
		} else if (!strcmp(argv[i], "--kcore")) {
			kcore = true;
		} else {
			struct range x;
			parse_range(argv[i], &x);
			VEC_PUSH(r, n, cap, x);
		}
	}
	if (!n)
		die("no range");
	struct err e = {{0}};
	if (!strncmp(fmt, "elf", 3)) {
		struct elfw_opts o = {.elfclass = !strncmp(fmt, "elf64", 5) ? 64 : 32,
				      .big_endian = !strcmp(fmt + 5, "be"),
				      .machine = (uint16_t)machine,
				      .align = align};
		struct elfw *w = elfw_new(&o);
		uint64_t none = o.elfclass == 64 ? UINT64_MAX : UINT32_MAX;
		if (kcore) {
			elfw_add_note(w, "CORE", 1, "kcore", 5);
			/* where a copy in 1 MiB chunks starts a read, inside a range (as the arm64 image is) */
			uint64_t text = r[0].start + 0x1000;
			for (size_t i = n; i-- > 0;) {
				uint64_t mib = (r[i].start | 0xfffff) + 1;
				if (mib - r[i].start < r[i].size && r[i].size - (mib - r[i].start) >= 0x1000)
					text = mib;
			}
			elfw_add_load(w, text, 0xffffffff81000000ULL & none, 0x1000, 0x1000, PF_R | PF_X);
		}
		for (size_t i = 0; i < n; i++) {
			uint64_t piece = split ? split : r[i].size;
			for (uint64_t at = 0; at < r[i].size; at += piece) {
				uint64_t len = MMU_MIN(piece, r[i].size - at);
				elfw_add_load(w, r[i].start + at, (r[i].start + at + voff) & none, len, len, PF_R | PF_W | PF_X);
			}
		}
		if (kcore)
			elfw_add_load(w, none, 0xffffc90000000000ULL & none, 0x1000, 0x1000, PF_R | PF_W);
		int fd = create(out);
		if (elfw_start(w, fd, out, &e))
			die(e.msg);
		/* zeros, as kcore shows a freed __init page through the kernel-image mapping */
		if (kcore && elfw_write_zeros(w, 0x1000, &e))
			die(e.msg);
		for (size_t i = 0; i < n; i++)
			stream(&r[i], elf_write, w);
		if (kcore && elfw_write_zeros(w, 0x1000, &e))
			die(e.msg);
		if (elfw_finish(w, &e))
			die(e.msg);
		elfw_free(w);
		close(fd);
	} else if (!strncmp(fmt, "lime", 4)) {
		struct limew w;
		int fd = create(out);
		limew_init(&w, fd, out, !strcmp(fmt, "limebe"));
		for (size_t i = 0; i < n; i++) {
			if (limew_range_begin(&w, r[i].start, r[i].start + r[i].size - 1, &e))
				die(e.msg);
			stream(&r[i], lime_write, &w);
		}
		if (limew_finish(&w, &e))
			die(e.msg);
		limew_free(&w);
		close(fd);
	} else if (!strcmp(fmt, "raw")) {
		for (size_t i = 0; i < n; i++) {
			char *p = xasprintf("%s.%zu", out, i);
			int fd = create(p);
			stream(&r[i], fd_write, &fd);
			close(fd);
			free(p);
		}
	} else if (!strcmp(fmt, "mem")) {
		int fd = create(out);
		for (size_t i = 0; i < n; i++) {
			if (lseek(fd, (off_t)r[i].start, SEEK_SET) < 0)
				die("seek failed");
			stream(&r[i], fd_write, &fd);
		}
		if (have_size && ftruncate(fd, (off_t)size))
			die("truncate failed");
		close(fd);
	} else {
		die("FORMAT is elf64le, elf64be, elf32le, elf32be, lime, limebe, raw or mem");
	}
	free(r);
	return 0;
}
