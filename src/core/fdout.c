#include "autoconfig.h"

#include "fdout.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Large enough that a page-by-page producer costs few system calls. */
#define FDOUT_BUF (1u << 20)

void fdout_init(struct fdout *o, int fd, const char *name)
{
	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->name = xstrdup(name ? name : "output");
	o->cap = FDOUT_BUF;
	o->buf = xmalloc(o->cap);
}

int fdout_flush(struct fdout *o, struct err *e)
{
	size_t done = 0;
	while (done < o->len) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int saved = n < 0 ? errno : ENOSPC;
			uint64_t at = o->pos - (o->len - done);
			o->len = 0;
			return err_set(e, "%s: write failed at offset 0x%llx: %s", o->name, (unsigned long long)at,
				       strerror(saved));
		}
		done += (size_t)n;
	}
	o->len = 0;
	return 0;
}

int fdout_write(struct fdout *o, const void *data, size_t len, struct err *e)
{
	const uint8_t *p = data;
	while (len) {
		if (o->len == o->cap && fdout_flush(o, e))
			return -1;
		size_t n = MMU_MIN(len, o->cap - o->len);
		memcpy(o->buf + o->len, p, n);
		o->len += n;
		o->pos += n;
		p += n;
		len -= n;
	}
	return 0;
}

int fdout_zeros(struct fdout *o, uint64_t len, struct err *e)
{
	while (len) {
		if (o->len == o->cap && fdout_flush(o, e))
			return -1;
		size_t n = (size_t)MMU_MIN(len, (uint64_t)(o->cap - o->len));
		memset(o->buf + o->len, 0, n);
		o->len += n;
		o->pos += n;
		len -= n;
	}
	return 0;
}

int fdout_pad(struct fdout *o, uint64_t align, struct err *e)
{
	if (align <= 1)
		return 0;
	uint64_t rem = o->pos & (align - 1);
	return rem ? fdout_zeros(o, align - rem, e) : 0;
}

void fdout_free(struct fdout *o)
{
	free(o->buf);
	free(o->name);
	memset(o, 0, sizeof(*o));
	o->fd = -1;
}

int outfile_open(struct outfile *f, const char *path, struct err *e)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	struct stat st;
	char *real = NULL;
	if (!lstat(path, &st) && S_ISLNK(st.st_mode) && !stat(path, &st) && S_ISREG(st.st_mode))
		real = realpath(path, NULL);
	bool exists = !stat(real ? real : path, &st);
	f->path = real ? real : xstrdup(path);
	if (exists && !S_ISREG(st.st_mode)) {
		f->fd = open(f->path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	} else if (exists && access(f->path, W_OK)) {
		/* Renaming over a file its owner made read-only would bypass that. */
		f->fd = -1;
	} else {
		mode_t mask = umask(0); /* the only way to read it; put straight back */
		umask(mask);
		f->mode = exists ? st.st_mode & 07777 : 0666 & ~mask;
		char *dir = path_dirname(f->path);
		f->tmp = xasprintf("%s/.mmushell-XXXXXX", dir);
		free(dir);
		f->fd = mkostemp(f->tmp, O_CLOEXEC);
	}
	if (f->fd < 0) {
		err_set(e, "%s: cannot write: %s", path, strerror(errno));
		free(f->tmp);
		free(f->path);
		memset(f, 0, sizeof(*f));
		f->fd = -1;
		return -1;
	}
	return 0;
}

static void outfile_free(struct outfile *f)
{
	free(f->tmp);
	free(f->path);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}

void outfile_abort(struct outfile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp)
		unlink(f->tmp);
	outfile_free(f);
}

int outfile_commit(struct outfile *f, const char *name, struct err *e)
{
	int failed = 0;
	/* fsync first: a rename that reaches the disk before the data can leave an empty file after a crash. */
	if (f->tmp && (fsync(f->fd) || fchmod(f->fd, (mode_t)f->mode)))
		failed = errno;
	if (close(f->fd) && !failed)
		failed = errno;
	f->fd = -1;
	if (!failed && f->tmp && rename(f->tmp, f->path))
		failed = errno;
	if (failed) {
		err_set(e, "%s: cannot write: %s", name, strerror(failed));
		outfile_abort(f);
		return -1;
	}
	outfile_free(f);
	return 0;
}
