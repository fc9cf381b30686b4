#include "autoconfig.h"

#include "tnum.h"

static inline uint64_t low_bits(unsigned n)
{
	return tnum_wmask(n);
}

struct tnum tnum_trunc(struct tnum a, unsigned w)
{
	uint64_t k = tnum_wmask(w);
	return (struct tnum){a.v & k, a.m & k};
}

struct tnum tnum_join(struct tnum a, struct tnum b)
{
	uint64_t mu = a.m | b.m | (a.v ^ b.v);
	return (struct tnum){a.v & ~mu, mu};
}

struct tnum tnum_and(struct tnum a, struct tnum b, unsigned w)
{
	uint64_t alpha = a.v | a.m, beta = b.v | b.m, v = a.v & b.v;
	return tnum_trunc((struct tnum){v, alpha & beta & ~v}, w);
}

struct tnum tnum_or(struct tnum a, struct tnum b, unsigned w)
{
	uint64_t v = a.v | b.v;
	return tnum_trunc((struct tnum){v, (a.m | b.m) & ~v}, w);
}

struct tnum tnum_xor(struct tnum a, struct tnum b, unsigned w)
{
	uint64_t m = a.m | b.m;
	return tnum_trunc((struct tnum){(a.v ^ b.v) & ~m, m}, w);
}

struct tnum tnum_not(struct tnum a, unsigned w)
{
	return tnum_trunc((struct tnum){~a.v & ~a.m, a.m}, w);
}

/*
 * Carry propagation: the bits where the sum of the smallest members and the
 * sum of the largest ones differ, and the unknown input bits, are unknown.
 * Computing on 64 bits and truncating is exact for narrower widths because
 * carries only move upwards.
 */
struct tnum tnum_add(struct tnum a, struct tnum b, unsigned w)
{
	uint64_t sm = a.m + b.m, sv = a.v + b.v;
	uint64_t chi = (sm + sv) ^ sv;
	uint64_t mu = chi | a.m | b.m;
	return tnum_trunc((struct tnum){sv & ~mu, mu}, w);
}

struct tnum tnum_sub(struct tnum a, struct tnum b, unsigned w)
{
	uint64_t dv = a.v - b.v;
	uint64_t chi = (dv + a.m) ^ (dv - b.m);
	uint64_t mu = chi | a.m | b.m;
	return tnum_trunc((struct tnum){dv & ~mu, mu}, w);
}

struct tnum tnum_neg(struct tnum a, unsigned w)
{
	return tnum_sub(tnum_const(0), a, w);
}

/* Long multiplication: every partial product of a known-1 bit adds b's unknown bits, of an unknown bit all of b. */
struct tnum tnum_mul(struct tnum a, struct tnum b, unsigned w)
{
	a = tnum_trunc(a, w);
	b = tnum_trunc(b, w);
	uint64_t acc_v = a.v * b.v;
	struct tnum acc_m = tnum_const(0);
	for (unsigned i = 0; i < 64 && (a.v || a.m); i++) {
		if (a.v & 1)
			acc_m = tnum_add(acc_m, (struct tnum){0, b.m}, 64);
		else if (a.m & 1)
			acc_m = tnum_add(acc_m, (struct tnum){0, b.v | b.m}, 64);
		a = (struct tnum){a.v >> 1, a.m >> 1};
		b = (struct tnum){b.v << 1, b.m << 1};
	}
	return tnum_add(tnum_const(acc_v), acc_m, w);
}

struct tnum tnum_shl(struct tnum a, unsigned n, unsigned w)
{
	if (n >= w)
		return tnum_const(0);
	return tnum_trunc((struct tnum){a.v << n, a.m << n}, w);
}

struct tnum tnum_lsr(struct tnum a, unsigned n, unsigned w)
{
	if (n >= w)
		return tnum_const(0);
	a = tnum_trunc(a, w);
	return (struct tnum){a.v >> n, a.m >> n};
}

/* Sign-extends a w-bit word to 64 bits; an unknown sign bit makes the copies unknown too. */
static struct tnum sext64(struct tnum a, unsigned w)
{
	if (w >= 64)
		return a;
	uint64_t sb = 1ULL << (w - 1);
	a = tnum_trunc(a, w);
	return (struct tnum){(a.v ^ sb) - sb, (a.m ^ sb) - sb};
}

struct tnum tnum_asr(struct tnum a, unsigned n, unsigned w)
{
	struct tnum s = sext64(a, w);
	if (n >= w)
		n = w - 1;
	return tnum_trunc((struct tnum){(uint64_t)((int64_t)s.v >> n), (uint64_t)((int64_t)s.m >> n)}, w);
}

struct tnum tnum_ror(struct tnum a, unsigned n, unsigned w)
{
	a = tnum_trunc(a, w);
	n %= w;
	if (n == 0)
		return a;
	uint64_t k = tnum_wmask(w);
	return (struct tnum){((a.v >> n) | (a.v << (w - n))) & k, ((a.m >> n) | (a.m << (w - n))) & k};
}

struct tnum tnum_extract(struct tnum a, unsigned lsb, unsigned len, bool sign, unsigned w)
{
	if (lsb >= 64 || len == 0)
		return tnum_const(0);
	if (lsb + len > 64)
		len = 64 - lsb;
	struct tnum f = {(a.v >> lsb) & low_bits(len), (a.m >> lsb) & low_bits(len)};
	if (sign)
		f = sext64(f, len);
	return tnum_trunc(f, w);
}

struct tnum tnum_insert(struct tnum d, struct tnum s, unsigned lsb, unsigned len, unsigned w)
{
	if (lsb >= 64 || len == 0)
		return tnum_trunc(d, w);
	uint64_t k = low_bits(len) << lsb;
	return tnum_trunc((struct tnum){(d.v & ~k) | ((s.v << lsb) & k), (d.m & ~k) | ((s.m << lsb) & k)}, w);
}

struct tnum tnum_range(uint64_t lo, uint64_t hi)
{
	if (lo > hi) {
		uint64_t t = lo;
		lo = hi;
		hi = t;
	}
	if (lo == hi)
		return tnum_const(lo);
	/* Every bit below the highest one where lo and hi differ takes both values in between. */
	uint64_t m = ~0ULL >> __builtin_clzll(lo ^ hi);
	return (struct tnum){lo & ~m, m};
}

static unsigned clz_w(uint64_t x, unsigned w)
{
	x &= tnum_wmask(w);
	return x ? (unsigned)__builtin_clzll(x) - (64 - w) : w;
}

/* Fewest leading zeros with every unknown bit 1, most with every unknown bit 0. */
struct tnum tnum_clz(struct tnum a, unsigned w)
{
	a = tnum_trunc(a, w);
	return tnum_range(clz_w(a.v | a.m, w), clz_w(a.v, w));
}

struct tnum tnum_lt(struct tnum a, struct tnum b, bool sign, unsigned w)
{
	a = tnum_trunc(a, w);
	b = tnum_trunc(b, w);
	if (sign) {
		/* Flipping the sign bit maps signed order onto unsigned order. */
		struct tnum sb = tnum_const(1ULL << (w - 1));
		a = tnum_xor(a, sb, w);
		b = tnum_xor(b, sb, w);
	}
	uint64_t amin = a.v, amax = a.v | a.m, bmin = b.v, bmax = b.v | b.m;
	if (amax < bmin)
		return tnum_const(1);
	if (amin >= bmax)
		return tnum_const(0);
	return (struct tnum){0, 1};
}

void vset_add(struct vset *s, struct tnum t)
{
	uint8_t k = 0;
	for (uint8_t i = 0; i < s->n; i++) {
		if (tnum_includes(s->t[i], t))
			return;
	}
	for (uint8_t i = 0; i < s->n; i++)
		if (!tnum_includes(t, s->t[i]))
			s->t[k++] = s->t[i];
	s->n = k;
	if (s->n < VSET_MAX) {
		s->t[s->n++] = t;
		return;
	}
	/* Too many ways: keep what they have in common. */
	struct tnum j = t;
	for (uint8_t i = 0; i < s->n; i++)
		j = tnum_join(j, s->t[i]);
	s->n = 1;
	s->t[0] = j;
}

void vset_union(struct vset *s, const struct vset *o)
{
	for (uint8_t i = 0; i < o->n; i++)
		vset_add(s, o->t[i]);
}

struct tnum vset_join(const struct vset *s)
{
	struct tnum j = s->t[0];
	for (uint8_t i = 1; i < s->n; i++)
		j = tnum_join(j, s->t[i]);
	return j;
}

bool vset_eq(const struct vset *a, const struct vset *b)
{
	if (a->n != b->n)
		return false;
	for (uint8_t i = 0; i < a->n; i++) {
		bool found = false;
		for (uint8_t k = 0; k < b->n && !found; k++)
			found = tnum_eq(a->t[i], b->t[k]);
		if (!found)
			return false;
	}
	return true;
}

bool vset_const(const struct vset *s, uint64_t *v)
{
	if (s->n != 1 || s->t[0].m)
		return false;
	*v = s->t[0].v;
	return true;
}

bool vset_is_unknown(const struct vset *s, unsigned w)
{
	uint64_t k = tnum_wmask(w);
	for (uint8_t i = 0; i < s->n; i++)
		if ((s->t[i].m & k) == k)
			return true;
	return false;
}
