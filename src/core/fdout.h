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

#endif
