/*
 * iomem: Linux's /proc/iomem, the physical memory map as the kernel sees
 * it.  Top-level "System RAM" ranges are RAM; every other top-level range
 * (reserved firmware memory, PCI windows, MMIO) is not.  Nested lines only
 * refine a top-level range and are not kept, except "System RAM (...)" under
 * a device (hotplugged virtio-mem, dax kmem): that range becomes RAM and the
 * device's range around it stays not RAM.  mmushell-acquire images the
 * RAM it lists; mmushell --iomem takes an ELF core's or LiME file's not-RAM
 * ranges from it.
 */
#ifndef MMU_IOMEM_H
#define MMU_IOMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct iomem_range {
	uint64_t start, end;    /* inclusive */
	bool ram;
	char *name;
};

struct iomem_map {
	struct iomem_range *v;  /* top-level ranges, sorted by start, disjoint */
	size_t n;
	size_t nram;
	uint64_t ram_bytes;
};

/* Parses /proc/iomem text; errors read "NAME:LINE: ..." or "NAME: ...". */
int iomem_parse(const char *text, size_t len, const char *name, struct iomem_map *m, struct err *e);
/* Reads a file (procfs files report size 0: read to the end, at most 16 MiB). */
int iomem_read(const char *path, struct iomem_map *m, struct err *e);
void iomem_free(struct iomem_map *m);

#endif
