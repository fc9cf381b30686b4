/* util: allocation wrappers, error buffers, number parsing, small helpers. */
#ifndef MMU_UTIL_H
#define MMU_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MMU_MIN(a, b) ((a) < (b) ? (a) : (b))
#define MMU_MAX(a, b) ((a) > (b) ? (a) : (b))
#define MMU_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Core never exits: it fills one of these and returns -1; main/ui decide. */
struct err {
	char msg[1024];
};

int err_set(struct err *e, const char *fmt, ...) MMU_PRINTF(2, 3);
int err_vset(struct err *e, const char *fmt, va_list ap) MMU_PRINTF(2, 0);
/* Prepends "prefix: " to the message already in e (e.g. a file name). */
int err_prefix(struct err *e, const char *fmt, ...) MMU_PRINTF(2, 3);

/* Allocation failure is fatal: a message on stderr and exit(2). */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) MMU_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) MMU_PRINTF(1, 0);
_Noreturn void fatal(const char *fmt, ...) MMU_PRINTF(1, 2);
/* Called by fatal() before exiting so the UI can restore the terminal. */
extern void (*fatal_hook)(void);

/* Grows *p (of *cap elements of elsize bytes) so it holds at least need. */
void xgrow(void *pp, size_t *cap, size_t need, size_t elsize);
#define VEC_PUSH(arr, n, cap, val)                                  \
	do {                                                        \
		xgrow(&(arr), &(cap), (n) + 1, sizeof(*(arr)));     \
		(arr)[(n)++] = (val);                               \
	} while (0)

/* Growable text buffer. */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sbuf_printf(struct sbuf *b, const char *fmt, ...) MMU_PRINTF(2, 3);
void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap) MMU_PRINTF(2, 0);
void sbuf_putc(struct sbuf *b, char c);
void sbuf_append(struct sbuf *b, const char *s, size_t n);
void sbuf_reset(struct sbuf *b);
void sbuf_free(struct sbuf *b);
/* Returns the string, leaves b empty; never NULL. */
char *sbuf_take(struct sbuf *b);

/*
 * Parses a whole unsigned number: decimal or 0x/0X hexadecimal, optional '_'
 * separators in hex.  Returns 0, or -1 on junk or overflow.
 */
int parse_u64(const char *s, uint64_t *out);
/* Parses sizes such as 4096, 0x1000, 64K, 512M, 4G, 1T (binary units). */
int parse_size(const char *s, uint64_t *out);
/* Formats a byte count as "1.9 GiB" / "512 B" into buf (>= 16 bytes). */
const char *fmt_size(uint64_t bytes, char *buf, size_t len);

/* Path of dir + rel unless rel is absolute; dir may be NULL. */
char *path_join(const char *dir, const char *rel);
/* Directory part of a path ("." if none). */
char *path_dirname(const char *path);

int strcasecmp_ascii(const char *a, const char *b);
uint64_t mask_bits(unsigned hi, unsigned lo);  /* bits hi..lo set */
/* qsort/bsearch order of uint64_t values. */
int cmp_u64_asc(const void *a, const void *b);
/* Sorts v[0..n) and drops repeats; returns the new count. */
size_t sort_unique_u64(uint64_t *v, size_t n);
static inline uint64_t bits_get(uint64_t v, unsigned hi, unsigned lo)
{
	return (v >> lo) & (hi - lo >= 63 ? ~0ULL : ((1ULL << (hi - lo + 1)) - 1));
}
static inline uint64_t align_down(uint64_t v, uint64_t size)
{
	return v & ~(size - 1);
}
static inline int log2_u64(uint64_t v)
{
	return v ? 63 - __builtin_clzll(v) : -1;
}
/* Sign-extends v from bit 'bit' (that bit and above copied). */
static inline uint64_t sign_extend(uint64_t v, unsigned bit)
{
	if (bit >= 63)
		return v;
	uint64_t m = 1ULL << bit;
	v &= (m << 1) - 1;
	return (v ^ m) - m;
}

/* Byte-order loads and stores; inline because scans call them per entry. */
static inline uint16_t rd16(const void *p, bool big)
{
	const uint8_t *b = p;
	return big ? (uint16_t)(b[0] << 8 | b[1]) : (uint16_t)(b[1] << 8 | b[0]);
}

static inline uint32_t rd32(const void *p, bool big)
{
	uint32_t v;
	__builtin_memcpy(&v, p, 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return big ? __builtin_bswap32(v) : v;
#else
	return big ? v : __builtin_bswap32(v);
#endif
}

static inline uint64_t rd64(const void *p, bool big)
{
	uint64_t v;
	__builtin_memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return big ? __builtin_bswap64(v) : v;
#else
	return big ? v : __builtin_bswap64(v);
#endif
}

void wr16(void *p, uint16_t v, bool big);
void wr32(void *p, uint32_t v, bool big);
void wr64(void *p, uint64_t v, bool big);

/* Monotonic seconds. */
double now_seconds(void);
/*
 * The message for getopt_long's ':' (missing argument) or '?' (unknown
 * option) result, prefixed with the program name; call right after it.
 */
void getopt_error(const char *prog, int c, char **argv, int optind_now, int optopt_now);

/* Resident anonymous memory of this process (heap, stacks; not the mapped dump), 0 if unknown. */
uint64_t anon_memory_kib(void);
/* Number of online CPUs, at least 1. */
int online_cpus(void);

#endif
