/*
 * physmem: the dump as physical memory.  Each RAM region's file is mapped
 * read-only (opened O_RDONLY, PROT_READ): the dump is never written.
 * Reads are by physical address and continue across adjacent regions;
 * bytes in holes or not-RAM ranges are "absent", never invented.
 */
#ifndef MMU_PHYSMEM_H
#define MMU_PHYSMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "intervals.h"
#include "util.h"

struct machine_config;

struct physmem_region {
	uint64_t start, end;    /* inclusive physical range */
	const uint8_t *data;    /* byte of 'start' */
	void *map;
	size_t map_len;
	uint64_t map_offset;    /* offset in the file of map's first byte */
	const char *path;
};

struct physmem {
	struct physmem_region *regions;   /* sorted, disjoint */
	size_t nregions;
	struct ivset ram;        /* RAM regions, touching ones merged */
	struct ivset not_ram;    /* not_ram as declared */
	struct ivset not_valid;  /* not_ram minus ram: no table pointer may land here */
	bool big_endian;
	uint64_t ram_bytes;
};

int physmem_open(struct physmem *pm, const struct machine_config *cfg, struct err *e);
void physmem_close(struct physmem *pm);

/*
 * A dump file that becomes shorter while mapped (another program truncates
 * it) or whose disk fails a read raises SIGBUS at the access.  From the first
 * physmem_open on, a handler turns that into one message naming the file and
 * offset and exit status 1; a SIGBUS outside the dumps goes to the handler
 * that was there before.  The hook runs first, in the signal handler: it must
 * be async-signal-safe (main removes a demo's files with it).
 */
extern void (*physmem_fault_hook)(void);

/* Pointer to len bytes at addr if they all lie in one region, else NULL. */
const uint8_t *physmem_ptr(const struct physmem *pm, uint64_t addr, size_t len);
/*
 * Copies up to len bytes from addr; returns how many leading bytes were
 * present (a read stops at the first absent byte, crossing adjacent regions).
 */
size_t physmem_read(const struct physmem *pm, uint64_t addr, void *buf, size_t len);
/* Reads a word in the machine's byte order; false if any byte is absent. */
bool physmem_read_u32(const struct physmem *pm, uint64_t addr, uint32_t *out);
bool physmem_read_u64(const struct physmem *pm, uint64_t addr, uint64_t *out);

static inline bool physmem_is_ram(const struct physmem *pm, uint64_t addr)
{
	return ivset_contains(&pm->ram, addr);
}
bool physmem_range_is_ram(const struct physmem *pm, uint64_t addr, uint64_t len);
bool physmem_is_not_ram(const struct physmem *pm, uint64_t addr);
bool physmem_is_not_valid(const struct physmem *pm, uint64_t addr);

/*
 * The frames of one size, aligned to that size in absolute terms, lying
 * wholly in RAM and (if max_addr is not 0) below max_addr.  Frames are
 * numbered 0..total-1 in address order so work splits evenly by index.
 */
struct frame_run {
	uint64_t start;         /* address of the run's first frame */
	uint64_t count;
	uint64_t first_index;
};

struct frameset {
	uint64_t frame_size;
	struct frame_run *runs;
	size_t nruns;
	uint64_t total;
};

void frameset_build(struct frameset *fs, const struct physmem *pm, uint64_t frame_size, uint64_t max_addr);
void frameset_free(struct frameset *fs);
/* Address of frame number idx (< total). */
uint64_t frameset_addr(const struct frameset *fs, uint64_t idx);
/* Index range [*first, *end) of chunk i out of n even chunks. */
void frameset_chunk(const struct frameset *fs, unsigned n, unsigned i, uint64_t *first, uint64_t *end);

struct frame_cursor {
	const struct frameset *fs;
	size_t run;
	uint64_t idx, end;
};

void frame_cursor_init(struct frame_cursor *c, const struct frameset *fs, uint64_t first, uint64_t end);
/* Next frame address; false at the end. */
bool frame_cursor_next(struct frame_cursor *c, uint64_t *addr);

#endif
