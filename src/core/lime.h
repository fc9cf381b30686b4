/*
 * lime: LiME memory dumps.  A LiME file is a sequence of ranges, each a
 * 32-byte header (magic 0x4C694D45, version 1, start, inclusive end, 8
 * reserved bytes) followed by end - start + 1 bytes of memory.  LiME writes
 * the header in the byte order of the machine it ran on; the reader accepts
 * either and reports which one it saw.
 */
#ifndef MMU_LIME_H
#define MMU_LIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fdout.h"
#include "util.h"

#define LIME_MAGIC 0x4C694D45u
#define LIME_VERSION 1u
#define LIME_HEADER_SIZE 32u

struct lime_range {
	uint64_t start, end;    /* inclusive physical range */
	uint64_t offset;        /* file offset of the range's first byte */
	uint64_t hdr_offset;    /* file offset of its header */
};

/* True when the 4 bytes at p are a LiME magic in either byte order. */
bool lime_magic(const uint8_t *p);

/*
 * Reads every range header of a LiME file (sorted by start on return).
 * Truncated or malformed headers, ranges running past the end of the file
 * and overlapping ranges fail with the file name and offset.
 */
int lime_read(const char *path, struct lime_range **ranges, size_t *n, bool *big_endian, struct err *e);

/* The writer: lime_range_begin, then exactly the range's bytes, and so on. */
struct limew {
	struct fdout out;
	bool big_endian;
	uint64_t remaining;     /* bytes the current range still expects */
};

void limew_init(struct limew *w, int fd, const char *name, bool big_endian);
int limew_range_begin(struct limew *w, uint64_t start, uint64_t end, struct err *e);
int limew_write(struct limew *w, const void *data, size_t len, struct err *e);
int limew_write_zeros(struct limew *w, uint64_t len, struct err *e);
/* Checks the last range is complete and flushes; does not close fd. */
int limew_finish(struct limew *w, struct err *e);
void limew_free(struct limew *w);

#endif
