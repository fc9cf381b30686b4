/*
 * export: one rebuilt address space as an ELF core file: one PT_LOAD per
 * virtually contiguous range with the same permissions (p_vaddr virtual,
 * p_paddr the physical address of its first byte), bytes copied from the
 * dump, pages whose physical address is not in RAM zero-filled and listed
 * in a PT_NOTE (owner "MMUSHELL", type 0x4d4d5301) with the root, architecture and
 * mode.  Readable by readelf and gdb.
 */
#ifndef MMU_EXPORT_H
#define MMU_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

struct analysis;

#define EXPORT_NOTE_OWNER "MMUSHELL"
#define EXPORT_NT_VAS 0x4d4d5301u /* "MMS\1": not a type debuggers read as registers */

/*
 * An address space mapping more than this many times the dump's RAM (and
 * more than export_min_bytes, 1 GiB) is not written: tables that map the
 * same pages over and over would fill the disk (doc/bad-input.md H04).  The
 * fuzz targets lower the floor so that every input's exports stay small.
 */
#define EXPORT_RAM_MULTIPLE 16
/* The note lists the first this many zero-filled ranges, and counts them all. */
#define EXPORT_ABSENT_LISTED 4096
extern uint64_t export_min_bytes;

struct export_stats {
	uint64_t segments, bytes, absent_bytes, absent_ranges;
	bool kernel;            /* kernel-only pages included */
};

/* kernel: include supervisor-only pages (default: user-accessible pages only, as the original). */
int export_vas(struct analysis *a, unsigned space, uint64_t root, const char *path, bool kernel,
	       struct export_stats *st, struct err *e);

#endif
