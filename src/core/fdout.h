/*
 * fdout: a buffered, strictly sequential writer on a file descriptor.  It
 * never seeks, so the ELF and LiME writers built on it can stream to a pipe
 * as well as to a file.  Errors name the output and the offset they hit.
 */
#ifndef MMU_FDOUT_H
#define MMU_FDOUT_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct fdout {
	int fd;
	char *name;            /* for messages */
	uint64_t pos;          /* bytes accepted so far (buffered or written) */
	uint8_t *buf;
	size_t len, cap;
};

/* Takes no ownership of fd; name is copied. */
void fdout_init(struct fdout *o, int fd, const char *name);
int fdout_write(struct fdout *o, const void *data, size_t len, struct err *e);
int fdout_zeros(struct fdout *o, uint64_t len, struct err *e);
/* Zero bytes up to the next multiple of align (a power of two, or 0/1 for none). */
int fdout_pad(struct fdout *o, uint64_t align, struct err *e);
int fdout_flush(struct fdout *o, struct err *e);
/* Frees the buffer; does not flush or close fd. */
void fdout_free(struct fdout *o);

/*
 * An output file that a failed write does not spoil: a regular file (or a new
 * one) is written as a temporary beside it and renamed over it only once
 * complete, so an export that fails half-way (disk full) leaves the old file
 * as it was and no partial one.  Anything else at the path (a pipe, a device,
 * /dev/stdout) is written in place; a symbolic link is followed to its file.
 * A file that may not be written is refused, as opening it would be.
 */
struct outfile {
	int fd;
	char *path;            /* where the result goes (a link resolved) */
	char *tmp;             /* the temporary, NULL when written in place */
	unsigned mode;         /* the new file's permissions */
};

/* Errors read "NAME: cannot write: REASON", NAME being path as given. */
int outfile_open(struct outfile *f, const char *path, struct err *e);
/* Flushes to disk, closes and puts the file in place; on failure as outfile_abort. */
int outfile_commit(struct outfile *f, const char *name, struct err *e);
/* Closes and removes the temporary (nothing is removed for a file written in place). */
void outfile_abort(struct outfile *f);

#endif
