/*
 * tnum: partially known machine words, and small sets of them.
 *
 * A tnum is (value, mask): bits set in mask are unknown, the others are
 * those of value (value & mask == 0).  A constant has mask 0; "unknown" has
 * every bit of its width in mask.  This is the domain of the Linux eBPF
 * verifier; it keeps the known fields of a register whose other fields are
 * computed at run time (TCR_EL1.IPS from ID_AA64MMFR0_EL1).
 *
 * Every operation takes the operation width w (1..64): inputs are read as
 * w-bit words, the result is truncated to w bits (zero-extended), so one
 * 64-bit representation serves 8-, 32- and 64-bit registers.  Each result
 * contains every concrete result of the operation on concrete members of the
 * inputs (soundness; tests/test_dataflow.c checks it by brute force).
 *
 * A vset is a set of at most VSET_MAX tnums: one element per way a value can
 * be built (branches, conditional instructions).  Past VSET_MAX elements the
 * set collapses to the join of its elements.
 */
#ifndef MMU_TNUM_H
#define MMU_TNUM_H

#include <stdbool.h>
#include <stdint.h>

struct tnum {
	uint64_t v, m;
};

static inline uint64_t tnum_wmask(unsigned w)
{
	return w >= 64 ? ~0ULL : (1ULL << w) - 1;
}
static inline struct tnum tnum_const(uint64_t v)
{
	return (struct tnum){v, 0};
}
static inline struct tnum tnum_unknown(unsigned w)
{
	return (struct tnum){0, tnum_wmask(w)};
}
static inline bool tnum_is_const(struct tnum t)
{
	return t.m == 0;
}
static inline bool tnum_eq(struct tnum a, struct tnum b)
{
	return a.v == b.v && a.m == b.m;
}
/* Every member of b is a member of a. */
static inline bool tnum_includes(struct tnum a, struct tnum b)
{
	return (b.m & ~a.m) == 0 && ((a.v ^ b.v) & ~a.m) == 0;
}
static inline bool tnum_contains(struct tnum a, uint64_t x)
{
	return ((a.v ^ x) & ~a.m) == 0;
}

struct tnum tnum_trunc(struct tnum a, unsigned w);
/* Smallest tnum holding both: a bit stays known if known and equal in both. */
struct tnum tnum_join(struct tnum a, struct tnum b);

struct tnum tnum_and(struct tnum a, struct tnum b, unsigned w);
struct tnum tnum_or(struct tnum a, struct tnum b, unsigned w);
struct tnum tnum_xor(struct tnum a, struct tnum b, unsigned w);
struct tnum tnum_not(struct tnum a, unsigned w);
struct tnum tnum_add(struct tnum a, struct tnum b, unsigned w);
struct tnum tnum_sub(struct tnum a, struct tnum b, unsigned w);
struct tnum tnum_neg(struct tnum a, unsigned w);
struct tnum tnum_mul(struct tnum a, struct tnum b, unsigned w);
/* Shifts by a constant n; n >= w gives 0 (shl, lsr) or the sign (asr); ror takes n mod w. */
struct tnum tnum_shl(struct tnum a, unsigned n, unsigned w);
struct tnum tnum_lsr(struct tnum a, unsigned n, unsigned w);
struct tnum tnum_asr(struct tnum a, unsigned n, unsigned w);
struct tnum tnum_ror(struct tnum a, unsigned n, unsigned w);
/* Bits [lsb + len - 1 .. lsb] of a, zero- or sign-extended to w bits. */
struct tnum tnum_extract(struct tnum a, unsigned lsb, unsigned len, bool sign, unsigned w);
/* d with bits [lsb + len - 1 .. lsb] replaced by the low len bits of s. */
struct tnum tnum_insert(struct tnum d, struct tnum s, unsigned lsb, unsigned len, unsigned w);
/* Leading zero bits of a as a w-bit word (w for 0). */
struct tnum tnum_clz(struct tnum a, unsigned w);
/* Smallest tnum holding every integer of [lo, hi]. */
struct tnum tnum_range(uint64_t lo, uint64_t hi);
/* 1 if a < b (signed or unsigned, as w-bit words), else 0; {0,1} when undecided. */
struct tnum tnum_lt(struct tnum a, struct tnum b, bool sign, unsigned w);

#define VSET_MAX 4

struct vset {
	uint8_t n;                   /* 1..VSET_MAX; 0 only in an unset slot */
	struct tnum t[VSET_MAX];
};

static inline struct vset vset_of(struct tnum t)
{
	struct vset s = {.n = 1};
	s.t[0] = t;
	return s;
}
/* Adds t, dropping members that another member includes; collapses past VSET_MAX. */
void vset_add(struct vset *s, struct tnum t);
/* s := s union o. */
void vset_union(struct vset *s, const struct vset *o);
/* The join of every member, as one tnum. */
struct tnum vset_join(const struct vset *s);
bool vset_eq(const struct vset *a, const struct vset *b);
/* One fully known value. */
bool vset_const(const struct vset *s, uint64_t *v);
bool vset_is_unknown(const struct vset *s, unsigned w);

#endif
