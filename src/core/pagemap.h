/*
 * pagemap: one bit per RAM block of a fixed size (the smallest table size
 * of a tree shape).  Blocks are numbered like frameset frames, so a 4 GiB
 * dump with 4 KiB blocks costs 128 KiB per map.
 */
#ifndef MMU_PAGEMAP_H
#define MMU_PAGEMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "physmem.h"

struct pagemap {
	struct frameset fs;
	uint64_t *bits;
};

void pagemap_init(struct pagemap *m, const struct physmem *pm, uint64_t block_size);
void pagemap_free(struct pagemap *m);
/* Block index of addr, or -1 when addr is in no whole RAM block. */
int64_t pagemap_index(const struct pagemap *m, uint64_t addr);
/* Not thread-safe across threads writing the same 64-block word: see pagemap_set_atomic. */
void pagemap_set(struct pagemap *m, uint64_t addr);
void pagemap_set_atomic(struct pagemap *m, uint64_t addr);
bool pagemap_test(const struct pagemap *m, uint64_t addr);
/* True when some block overlapping [addr, addr+len) is set. */
bool pagemap_any(const struct pagemap *m, uint64_t addr, uint64_t len);
/* True when every block of [addr, addr+len) is in RAM and set. */
bool pagemap_all(const struct pagemap *m, uint64_t addr, uint64_t len);
uint64_t pagemap_count(const struct pagemap *m);

#endif
