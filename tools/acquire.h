/*
 * acquire: the logic of mmushell-acquire, apart from its command line so
 * the tests can call it.
 *
 * The method (after OSXPMem): read the platform's physical memory map
 * (/proc/iomem: "System RAM" is RAM, every other top-level range is not),
 * then copy each RAM range page by page from a physical memory interface
 * (/proc/kcore through its PT_LOAD headers, /dev/crash or /dev/mem), never
 * touching a non-RAM range, zero-filling and logging the pages that cannot
 * be read.  The output is a raw, ELF or LiME dump plus the machine YAML and
 * a log.  Sources are opened read-only; outputs are created, never
 * overwritten, and never under /proc, /dev or /sys.
 */
#ifndef MMU_ACQUIRE_H
#define MMU_ACQUIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elfcore.h"
#include "iomem.h"
#include "util.h"

enum acq_source_kind { ACQ_SRC_KCORE, ACQ_SRC_CRASH, ACQ_SRC_MEM };

/* A kcore PT_LOAD that maps physical memory. */
struct acq_seg {
	uint64_t paddr, size, offset, vaddr;
};

struct acq_source {
	enum acq_source_kind kind;
	char *path;
	int fd;
	struct elfcore ec;      /* kcore only */
	bool has_ec;
	struct acq_seg *segs;   /* kcore only: sorted by paddr */
	size_t nsegs;
};

const char *acq_source_name(enum acq_source_kind k);
/* Parses "kcore", "crash" or "mem"; -1 if none. */
int acq_source_parse(const char *s);
/* Default paths: /proc/kcore, /dev/crash, /dev/mem. */
const char *acq_source_default_path(enum acq_source_kind k);
int acq_source_open(struct acq_source *s, enum acq_source_kind kind, const char *path, struct err *e);
/*
 * Reads len bytes of physical memory at paddr.  On failure returns -1 and
 * sets *why to a short reason; the caller zero-fills.
 */
int acq_source_read(struct acq_source *s, uint64_t paddr, void *buf, size_t len, const char **why);
void acq_source_close(struct acq_source *s);
/*
 * Whether the source can read this RAM: the first page of each RAM range is
 * read, and the ranges that answer must hold at least half of the RAM.
 * Opening is not enough: a CONFIG_STRICT_DEVMEM /dev/mem opens, and reads
 * below 1 MiB, but refuses the rest of RAM.  On failure returns -1 with the
 * reason in why.
 */
int acq_source_probe(struct acq_source *s, const struct iomem_map *map, char *why, size_t len);

/* What the machine YAML says, and why. */
struct acq_machine {
	const char *arch;       /* mmushell architecture */
	int bits;
	int endian;             /* ENDIAN_LITTLE / ENDIAN_BIG */
	char mode[16];
	unsigned m_phy;         /* intel only */
	uint16_t e_machine;
	char why[512];          /* one line per decision, for the log */
};

/*
 * Decides the machine from the kernel's machine name (uname -m, or --machine),
 * /proc/cpuinfo's text (may be NULL), the source (a kcore's ELF header is the
 * running kernel's own description) and the RAM map.  mode may be NULL.
 */
int acq_machine_detect(struct acq_machine *m, const char *machine, const char *mode, const char *cpuinfo,
		       const struct acq_source *src, const struct iomem_map *map, struct err *e);

enum acq_format { ACQ_RAW, ACQ_ELF, ACQ_LIME };
const char *acq_format_name(enum acq_format f);
int acq_format_parse(const char *s);

struct acq_opts {
	const char *outdir;     /* must exist */
	enum acq_format format;
	size_t page_size;       /* 0: the system's */
	const char *map_name;   /* where the memory map came from, for the log */
	/* Called after every chunk; may be NULL. */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
};

struct acq_result {
	uint64_t ram_bytes;         /* bytes of RAM written */
	uint64_t unreadable_pages;  /* pages zero-filled */
	char *dump_path;            /* the ELF or LiME file, or the first raw file */
	char *yaml_path;
	char *log_path;
};

/* Refuses output folders under /proc, /dev and /sys. */
int acq_check_outdir(const char *dir, struct err *e);

/* Copies every RAM range of map from src into the chosen format, then writes the YAML and the log. */
int acq_run(const struct iomem_map *map, struct acq_source *src, const struct acq_machine *m, const struct acq_opts *o,
	    struct acq_result *r, struct err *e);
void acq_result_free(struct acq_result *r);

#endif
