/*
 * session: everything the analysis found, saved to and loaded from one
 * file (save_data FILE, --session FILE), so a later run shows the results
 * at once.  Format (doc/formats.md):
 *
 *   "MMUSHELL-SESSION" (16 bytes), u32 version, u32 flags   -- plain
 *   an .xz stream (liblzma, CRC64) holding:
 *     the machine: architecture, mode, byte order, bits, RAM regions,
 *     a fingerprint of sampled dump pages;
 *     tagged sections {u32 tag, u64 length, bytes}, one per module.
 *
 * All integers little-endian.  Every read is bounds-checked: a truncated,
 * corrupted, foreign or newer file gives one clear error.  Files are
 * written to a temporary name and renamed into place.
 */
#ifndef MMU_SESSION_H
#define MMU_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct analysis;

#define SESSION_MAGIC "MMUSHELL-SESSION"
#define SESSION_VERSION 1u

struct sess_w {
	struct sbuf b;
};

void sw_u8(struct sess_w *w, uint8_t v);
void sw_u32(struct sess_w *w, uint32_t v);
void sw_u64(struct sess_w *w, uint64_t v);
void sw_f64(struct sess_w *w, double v);
void sw_bytes(struct sess_w *w, const void *p, size_t n);
void sw_str(struct sess_w *w, const char *s);   /* NULL allowed */

/* A reader over one section: after any short read 'bad' is set and every later read gives zeros. */
struct sess_r {
	const uint8_t *p;
	size_t n, at;
	bool bad;
};

uint8_t sr_u8(struct sess_r *r);
uint32_t sr_u32(struct sess_r *r);
uint64_t sr_u64(struct sess_r *r);
double sr_f64(struct sess_r *r);
bool sr_bytes(struct sess_r *r, void *out, size_t n);
/* Pointer to n bytes in place, or NULL (and bad). */
const uint8_t *sr_view(struct sess_r *r, size_t n);
/* Allocated string, or NULL for a NULL string (and on error, with bad set). */
char *sr_str(struct sess_r *r);
/* A count of items of at least 'item' bytes each that the rest of the section can hold. */
uint64_t sr_count(struct sess_r *r, size_t item);

/* One module's part of a session. */
struct session_section {
	uint32_t tag;
	const char *name;
	bool (*present)(const struct analysis *a);
	void (*save)(const struct analysis *a, struct sess_w *w);
	/* Reads r into a; on error fills e (without the file name) and returns -1. */
	int (*load)(struct analysis *a, struct sess_r *r, struct err *e);
};

#define SESSION_TAG(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

/* An architecture's own section (arch-session.c), delegating to arch_ops.session. */
extern const struct session_section arch_session_section;

int session_save(struct analysis *a, const char *path, struct err *e);
int session_load(struct analysis *a, const char *path, struct err *e);
/* What session_load reads past the header and the xz layer: the machine block, then the sections. */
int session_load_data(struct analysis *a, const uint8_t *data, size_t len, struct err *e);

/* A hash of sampled dump pages: tells a session's dump from another quickly. */
uint64_t session_fingerprint(const struct analysis *a);

#endif
