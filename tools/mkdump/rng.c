/* rng: xoshiro256** (fast, good quality) seeded through splitmix64. */
#include "autoconfig.h"

#include "gen.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

uint64_t rng_mix(uint64_t seed, uint64_t v)
{
	uint64_t x = seed ^ (v * 0xd1b54a32d192ed03ULL);
	return splitmix64(&x);
}

uint64_t rng_range(struct rng *r, uint64_t lo, uint64_t hi)
{
	return hi - lo == UINT64_MAX ? rng_next(r) : lo + rng_below(r, hi - lo + 1);
}

bool rng_chance(struct rng *r, unsigned percent)
{
	return rng_below(r, 100) < percent;
}
