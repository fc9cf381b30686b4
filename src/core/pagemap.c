#include "autoconfig.h"

#include "pagemap.h"

#include <stdlib.h>
#include <string.h>

void pagemap_init(struct pagemap *m, const struct physmem *pm, uint64_t block_size)
{
	frameset_build(&m->fs, pm, block_size, 0);
	m->bits = xcalloc((size_t)(m->fs.total / 64 + 1), sizeof(uint64_t));
}

void pagemap_free(struct pagemap *m)
{
	frameset_free(&m->fs);
	free(m->bits);
	m->bits = NULL;
}

int64_t pagemap_index(const struct pagemap *m, uint64_t addr)
{
	size_t lo = 0, hi = m->fs.nruns;
	uint64_t bs = m->fs.frame_size;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct frame_run *r = &m->fs.runs[mid];
		if (addr < r->start)
			hi = mid;
		else if ((addr - r->start) / bs >= r->count)
			lo = mid + 1;
		else
			return (int64_t)(r->first_index + (addr - r->start) / bs);
	}
	return -1;
}

void pagemap_set(struct pagemap *m, uint64_t addr)
{
	int64_t i = pagemap_index(m, addr);
	if (i >= 0)
		m->bits[i / 64] |= 1ULL << (i % 64);
}

void pagemap_set_atomic(struct pagemap *m, uint64_t addr)
{
	int64_t i = pagemap_index(m, addr);
	if (i >= 0)
		__atomic_fetch_or(&m->bits[i / 64], 1ULL << (i % 64), __ATOMIC_RELAXED);
}

bool pagemap_test(const struct pagemap *m, uint64_t addr)
{
	int64_t i = pagemap_index(m, addr);
	return i >= 0 && (m->bits[i / 64] >> (i % 64) & 1);
}

/* Any bit set in [first, end) of the bitmap. */
static bool bits_any(const uint64_t *b, uint64_t first, uint64_t end)
{
	while (first < end) {
		if (first % 64 == 0 && end - first >= 64) {
			if (b[first / 64])
				return true;
			first += 64;
			continue;
		}
		if (b[first / 64] >> (first % 64) & 1)
			return true;
		first++;
	}
	return false;
}

bool pagemap_any(const struct pagemap *m, uint64_t addr, uint64_t len)
{
	uint64_t bs = m->fs.frame_size;
	if (len == 0)
		return false;
	uint64_t last = addr + len - 1 < addr ? UINT64_MAX : addr + len - 1;
	if (align_down(addr, bs) == align_down(last, bs))
		return pagemap_test(m, addr); /* the common case: a page within one block */
	/* First run that may overlap: runs are sorted and disjoint. */
	size_t lo = 0, hi = m->fs.nruns;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct frame_run *run = &m->fs.runs[mid];
		if (run->start + run->count * bs - 1 < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t r = lo; r < m->fs.nruns; r++) {
		const struct frame_run *run = &m->fs.runs[r];
		uint64_t rlast = run->start + run->count * bs - 1;
		if (rlast < addr)
			continue;
		if (run->start > last)
			break;
		uint64_t s = addr > run->start ? (addr - run->start) / bs : 0;
		uint64_t e = last < rlast ? (last - run->start) / bs + 1 : run->count;
		if (bits_any(m->bits, run->first_index + s, run->first_index + e))
			return true;
	}
	return false;
}

bool pagemap_all(const struct pagemap *m, uint64_t addr, uint64_t len)
{
	uint64_t bs = m->fs.frame_size;
	for (uint64_t off = 0; off < len; off += bs) {
		int64_t i = pagemap_index(m, addr + off);
		if (i < 0 || !(m->bits[i / 64] >> (i % 64) & 1))
			return false;
	}
	return len > 0;
}

uint64_t pagemap_count(const struct pagemap *m)
{
	uint64_t n = 0;
	for (uint64_t i = 0; i < m->fs.total / 64 + 1; i++)
		n += (uint64_t)__builtin_popcountll(m->bits[i]);
	return n;
}
