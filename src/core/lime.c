#include "autoconfig.h"

#include "lime.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool lime_magic(const uint8_t *p)
{
	return rd32(p, false) == LIME_MAGIC || rd32(p, true) == LIME_MAGIC;
}

static int read_at(int fd, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;
	errno = 0;
	while (done < len) {
		ssize_t n = pread(fd, (uint8_t *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct lime_range *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int parse_ranges(int fd, const char *path, uint64_t size, struct lime_range **out, size_t *nout, bool *big,
			struct err *e)
{
	uint64_t at = 0;
	size_t cap = 0;
	/* Each range takes at least a header and one byte, so the loop ends. */
	while (at < size) {
		uint8_t h[LIME_HEADER_SIZE];
		if (size - at < LIME_HEADER_SIZE)
			return err_set(e, "%s: offset 0x%llx: truncated LiME header (%llu bytes left, a header needs %u)",
				       path, (unsigned long long)at, (unsigned long long)(size - at), LIME_HEADER_SIZE);
		if (read_at(fd, at, h, sizeof(h)))
			return err_set(e, "%s: offset 0x%llx: read failed: %s", path, (unsigned long long)at,
				       errno ? strerror(errno) : "unexpected end of file");
		bool be = rd32(h, true) == LIME_MAGIC;
		if (!be && rd32(h, false) != LIME_MAGIC)
			return err_set(e, "%s: offset 0x%llx: bad LiME magic 0x%08x (expected 0x%08x)", path,
				       (unsigned long long)at, rd32(h, false), LIME_MAGIC);
		if (at == 0)
			*big = be;
		else if (be != *big)
			return err_set(e, "%s: offset 0x%llx: LiME header in %s-endian order after %s-endian ones", path,
				       (unsigned long long)at, be ? "big" : "little", *big ? "big" : "little");
		uint32_t version = rd32(h + 4, be);
		uint64_t s = rd64(h + 8, be), end = rd64(h + 16, be);
		if (version != LIME_VERSION)
			return err_set(e, "%s: offset 0x%llx: LiME version %u (only version %u is known)", path,
				       (unsigned long long)(at + 4), version, LIME_VERSION);
		if (end < s)
			return err_set(e, "%s: offset 0x%llx: LiME range end 0x%llx is below its start 0x%llx", path,
				       (unsigned long long)(at + 16), (unsigned long long)end, (unsigned long long)s);
		uint64_t len = end - s + 1;
		uint64_t data = at + LIME_HEADER_SIZE;
		if (len == 0 || len > size - data)
			return err_set(e,
				       "%s: offset 0x%llx: LiME range 0x%llx-0x%llx needs 0x%llx bytes but the file has 0x%llx after the header",
				       path, (unsigned long long)at, (unsigned long long)s, (unsigned long long)end,
				       (unsigned long long)(end - s) + 1, (unsigned long long)(size - data));
		struct lime_range r = {s, end, data, at};
		VEC_PUSH(*out, *nout, cap, r);
		at = data + len;
	}
	if (*nout == 0)
		return err_set(e, "%s: empty LiME file", path);
	qsort(*out, *nout, sizeof(**out), cmp_range);
	for (size_t i = 1; i < *nout; i++) {
		const struct lime_range *a = &(*out)[i - 1], *b = &(*out)[i];
		if (b->start <= a->end)
			return err_set(e, "%s: offset 0x%llx: LiME range 0x%llx-0x%llx overlaps the range 0x%llx-0x%llx at offset 0x%llx",
				       path, (unsigned long long)MMU_MAX(a->hdr_offset, b->hdr_offset),
				       (unsigned long long)b->start, (unsigned long long)b->end, (unsigned long long)a->start,
				       (unsigned long long)a->end, (unsigned long long)MMU_MIN(a->hdr_offset, b->hdr_offset));
	}
	return 0;
}

int lime_read(const char *path, struct lime_range **ranges, size_t *n, bool *big_endian, struct err *e)
{
	struct stat st;
	*ranges = NULL;
	*n = 0;
	*big_endian = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, "%s: cannot open: %s", path, strerror(errno));
	int rc;
	if (fstat(fd, &st))
		rc = err_set(e, "%s: cannot stat: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		rc = err_set(e, "%s: not a regular file", path);
	else
		rc = parse_ranges(fd, path, (uint64_t)st.st_size, ranges, n, big_endian, e);
	close(fd);
	if (rc) {
		free(*ranges);
		*ranges = NULL;
		*n = 0;
	}
	return rc;
}

void limew_init(struct limew *w, int fd, const char *name, bool big_endian)
{
	memset(w, 0, sizeof(*w));
	fdout_init(&w->out, fd, name);
	w->big_endian = big_endian;
}

int limew_range_begin(struct limew *w, uint64_t start, uint64_t end, struct err *e)
{
	uint8_t h[LIME_HEADER_SIZE] = {0};
	if (w->remaining)
		return err_set(e, "%s: LiME range started with 0x%llx bytes of the previous one missing", w->out.name,
			       (unsigned long long)w->remaining);
	if (end < start || end - start == UINT64_MAX)
		return err_set(e, "%s: LiME range 0x%llx-0x%llx is empty or too large", w->out.name,
			       (unsigned long long)start, (unsigned long long)end);
	wr32(h, LIME_MAGIC, w->big_endian);
	wr32(h + 4, LIME_VERSION, w->big_endian);
	wr64(h + 8, start, w->big_endian);
	wr64(h + 16, end, w->big_endian);
	w->remaining = end - start + 1;
	return fdout_write(&w->out, h, sizeof(h), e);
}

static int check_room(struct limew *w, uint64_t len, struct err *e)
{
	if (len > w->remaining)
		return err_set(e, "%s: 0x%llx bytes written where the LiME range expects 0x%llx", w->out.name,
			       (unsigned long long)len, (unsigned long long)w->remaining);
	w->remaining -= len;
	return 0;
}

int limew_write(struct limew *w, const void *data, size_t len, struct err *e)
{
	return check_room(w, len, e) || fdout_write(&w->out, data, len, e) ? -1 : 0;
}

int limew_write_zeros(struct limew *w, uint64_t len, struct err *e)
{
	return check_room(w, len, e) || fdout_zeros(&w->out, len, e) ? -1 : 0;
}

int limew_finish(struct limew *w, struct err *e)
{
	if (w->remaining)
		return err_set(e, "%s: the last LiME range misses 0x%llx bytes", w->out.name,
			       (unsigned long long)w->remaining);
	return fdout_flush(&w->out, e);
}

void limew_free(struct limew *w)
{
	fdout_free(&w->out);
}
