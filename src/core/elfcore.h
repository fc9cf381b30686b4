/*
 * elfcore: reading and writing ELF core files, ELF32 and ELF64, either byte
 * order.
 *
 * The reader checks the ELF header, the program header table (with extended
 * numbering) and the notes against the file's size, so a hostile file gives
 * one message naming the file and the offset, never a crash.  It does not
 * judge the PT_LOAD segments: what they mean (physical RAM for a memory dump,
 * kernel virtual ranges for /proc/kcore) is the caller's business.
 *
 * The writer streams: declare the notes and PT_LOAD segments, then call
 * elfw_start() (headers and notes go out), then the segments' bytes in
 * declaration order.  It never seeks, so the output may be a pipe, and no
 * segment's data is held in memory.
 */
#ifndef MMU_ELFCORE_H
#define MMU_ELFCORE_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Older C libraries lack these. */
#ifndef EM_AARCH64
#define EM_AARCH64 183
#endif
#ifndef EM_RISCV
#define EM_RISCV 243
#endif
#ifndef PN_XNUM
#define PN_XNUM 0xffff
#endif

struct elfcore_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
	uint64_t hdr_offset;    /* where this program header is in the file, for messages */
};

struct elfcore_note {
	char *name;             /* owner, NUL-terminated ("CORE", "QEMU", "VMCOREINFO") */
	uint32_t type;
	const uint8_t *desc;    /* descsz bytes, inside the reader's note buffer */
	uint32_t descsz;
	uint64_t offset;        /* file offset of the note's header */
};

struct elfcore {
	char *path;
	int fd;
	uint64_t size;          /* file size */
	int elfclass;           /* 32 or 64 */
	bool big_endian;
	uint16_t type, machine;
	uint32_t flags;
	struct elfcore_phdr *phdrs;
	size_t nphdrs;
	struct elfcore_note *notes;
	size_t nnotes;
	uint8_t **note_bufs;    /* one per PT_NOTE segment */
	size_t nnote_bufs;
};

/*
 * Opens an ELF core (e_type ET_CORE) read-only, reads its headers and notes.
 * The descriptor stays open for elfcore_pread until elfcore_close.
 */
int elfcore_open(struct elfcore *ec, const char *path, struct err *e);
void elfcore_close(struct elfcore *ec);

/* Reads exactly len bytes at off, or fails naming the file and offset. */
int elfcore_pread(const struct elfcore *ec, uint64_t off, void *buf, size_t len, struct err *e);

/*
 * The first note with this owner and type after 'after' (NULL: from the
 * start); NULL when there is none.
 */
const struct elfcore_note *elfcore_find_note(const struct elfcore *ec, const char *name, uint32_t type,
					     const struct elfcore_note *after);

/* "EM_X86_64" and the like, or NULL for a machine this file does not name. */
const char *elfcore_machine_name(uint16_t machine);

/* The writer. */
struct elfw_opts {
	int elfclass;           /* 32 or 64 */
	bool big_endian;
	uint16_t machine;       /* e_machine */
	uint16_t type;          /* e_type; 0 means ET_CORE */
	uint32_t flags;         /* e_flags */
	uint64_t align;         /* alignment of PT_LOAD data in the file, a power of two; 0 means 4096 */
};

struct elfw;

struct elfw *elfw_new(const struct elfw_opts *o);
void elfw_free(struct elfw *w);

/* Adds a note to the PT_NOTE segment (one segment holds them all). */
void elfw_add_note(struct elfw *w, const char *name, uint32_t type, const void *desc, size_t descsz);
/*
 * Declares a PT_LOAD of filesz bytes of data (memsz >= filesz; the rest is
 * not in the file); flags are PF_R/PF_W/PF_X.  Returns its index among the
 * PT_LOADs.  Data is written later, in declaration order.
 */
size_t elfw_add_load(struct elfw *w, uint64_t paddr, uint64_t vaddr, uint64_t filesz, uint64_t memsz,
		     uint32_t flags);
size_t elfw_nloads(const struct elfw *w);

/*
 * Lays the file out and writes the ELF header, the program headers (with
 * extended numbering past 65534 of them) and the notes to fd.  Fails when
 * an ELF32 file cannot hold an address, size or offset.  name is for messages.
 */
int elfw_start(struct elfw *w, int fd, const char *name, struct err *e);
/* Appends segment data; a write may run across the end of one PT_LOAD into the next. */
int elfw_write(struct elfw *w, const void *data, size_t len, struct err *e);
int elfw_write_zeros(struct elfw *w, uint64_t len, struct err *e);
/* Bytes of PT_LOAD data still expected. */
uint64_t elfw_remaining(const struct elfw *w);
/* File offset of PT_LOAD number i's data (valid after elfw_start). */
uint64_t elfw_load_offset(const struct elfw *w, size_t i);
/* Checks every declared byte was written and flushes.  Does not close fd. */
int elfw_finish(struct elfw *w, struct err *e);

#endif
