#include "autoconfig.h"

#include "physmem.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

void (*physmem_fault_hook)(void);

/* The open physmems' regions, for the SIGBUS handler; a slot is free when its regions are NULL. */
#define FAULT_SLOTS 64
static _Atomic(const struct physmem_region *) slot_regions[FAULT_SLOTS];
static atomic_size_t slot_count[FAULT_SLOTS];
static struct sigaction previous_sigbus;

/* Appends s to buf[*at..size) for the handler, where printf may not be called. */
static void put_str(char *buf, size_t size, size_t *at, const char *s)
{
	while (*s && *at + 1 < size)
		buf[(*at)++] = *s++;
}

static void put_hex(char *buf, size_t size, size_t *at, uint64_t v)
{
	char digits[19] = "0x";
	int n = 2;
	for (int shift = 60; shift >= 0; shift -= 4)
		if (v >> shift || shift == 0 || n > 2)
			digits[n++] = "0123456789abcdef"[(v >> shift) & 15];
	digits[n] = '\0';
	put_str(buf, size, at, digits);
}

static void report_fault(const struct physmem_region *r, const uint8_t *addr)
{
	char msg[4608];
	size_t at = 0;
	const uint8_t *map = r->map;
	put_str(msg, sizeof(msg), &at, "mmushell: dump file '");
	put_str(msg, sizeof(msg) - 512, &at, r->path); /* a path of over 4 KiB is cut; the rest always fits */
	put_str(msg, sizeof(msg), &at, "': cannot read offset ");
	put_hex(msg, sizeof(msg), &at, r->map_offset + (uint64_t)(addr - map));
	if (addr >= r->data) {
		put_str(msg, sizeof(msg), &at, " (physical address ");
		put_hex(msg, sizeof(msg), &at, r->start + (uint64_t)(addr - r->data));
		put_str(msg, sizeof(msg), &at, ")");
	}
	put_str(msg, sizeof(msg), &at, ": the file became shorter while open, or its disk failed to read it\n");
	if (write(STDERR_FILENO, msg, at) < 0) {
		/* Nothing more can be said from here. */
	}
}

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	const uint8_t *addr = si->si_addr;
	for (size_t s = 0; s < FAULT_SLOTS; s++) {
		const struct physmem_region *r = atomic_load(&slot_regions[s]);
		size_t n = atomic_load(&slot_count[s]);
		for (size_t i = 0; r && i < n; i++) {
			const uint8_t *map = r[i].map;
			if (addr < map || addr >= map + r[i].map_len)
				continue;
			/* One message: another thread's fault waits here for the exit. */
			static atomic_flag reporting = ATOMIC_FLAG_INIT;
			while (atomic_flag_test_and_set(&reporting))
				pause();
			if (physmem_fault_hook)
				physmem_fault_hook();
			report_fault(&r[i], addr);
			_exit(1);
		}
	}
	/* Not a dump's page: as if this handler were not there.  A fault returns to run its access again. */
	sigaction(SIGBUS, &previous_sigbus, NULL);
	if (si->si_code <= 0)
		raise(sig);
}

static void watch_faults(const struct physmem *pm)
{
	static atomic_flag installed = ATOMIC_FLAG_INIT;
	if (!atomic_flag_test_and_set(&installed)) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_SIGINFO;
		sa.sa_sigaction = on_sigbus;
		sigaction(SIGBUS, &sa, &previous_sigbus);
	}
	/* A free slot's count is 0 (unwatch_faults clears it first), so the handler never pairs these regions with another count. */
	for (size_t s = 0; s < FAULT_SLOTS; s++) {
		const struct physmem_region *none = NULL;
		if (atomic_compare_exchange_strong(&slot_regions[s], &none, pm->regions)) {
			atomic_store(&slot_count[s], pm->nregions);
			return;
		}
	}
	/* All slots taken (64 dumps open at once): a fault in this one is reported as a plain SIGBUS. */
}

static void unwatch_faults(const struct physmem *pm)
{
	for (size_t s = 0; pm->regions && s < FAULT_SLOTS; s++)
		if (atomic_load(&slot_regions[s]) == pm->regions) {
			atomic_store(&slot_count[s], 0);
			atomic_store(&slot_regions[s], NULL);
			return;
		}
}

int physmem_open(struct physmem *pm, const struct machine_config *cfg, struct err *e)
{
	memset(pm, 0, sizeof(*pm));
	pm->big_endian = cfg->endian == ENDIAN_BIG;
	pm->regions = xcalloc(cfg->nram, sizeof(*pm->regions));
	long page = sysconf(_SC_PAGESIZE);
	for (size_t i = 0; i < cfg->nram; i++) {
		const struct ram_region *r = &cfg->ram[i];
		struct physmem_region *pr = &pm->regions[pm->nregions];
		uint64_t len = r->end - r->start + 1;
		int fd = open(r->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			config_error_at(cfg, r->pos, e, "cannot open dump file '%s': %s", r->path, strerror(errno));
			goto fail;
		}
		uint64_t off = align_down(r->file_offset, (uint64_t)page);
		uint64_t skip = r->file_offset - off;
		if (len == 0 || len > SIZE_MAX - skip) {
			close(fd);
			config_error_at(cfg, r->pos, e, "region 0x%llx-0x%llx is too large to map on this machine",
					(unsigned long long)r->start, (unsigned long long)r->end);
			goto fail;
		}
		void *m = mmap(NULL, (size_t)(len + skip), PROT_READ, MAP_PRIVATE | MAP_NORESERVE, fd, (off_t)off);
		int saved = errno;
		close(fd);
		if (m == MAP_FAILED) {
			config_error_at(cfg, r->pos, e, "cannot map dump file '%s': %s", r->path, strerror(saved));
			goto fail;
		}
		pr->start = r->start;
		pr->end = r->end;
		pr->map = m;
		pr->map_len = (size_t)(len + skip);
		pr->map_offset = off;
		pr->data = (const uint8_t *)m + skip;
		pr->path = r->path;
		pm->nregions++;
		pm->ram_bytes += len;
		ivset_add(&pm->ram, r->start, r->end);
	}
	for (size_t i = 0; i < cfg->nnot_ram; i++)
		ivset_add(&pm->not_ram, cfg->not_ram[i].start, cfg->not_ram[i].end);
	ivset_difference(&pm->not_valid, &pm->not_ram, &pm->ram);
	watch_faults(pm);
	return 0;
fail:
	physmem_close(pm);
	return -1;
}

void physmem_close(struct physmem *pm)
{
	unwatch_faults(pm);
	for (size_t i = 0; i < pm->nregions; i++)
		munmap(pm->regions[i].map, pm->regions[i].map_len);
	free(pm->regions);
	ivset_free(&pm->ram);
	ivset_free(&pm->not_ram);
	ivset_free(&pm->not_valid);
	memset(pm, 0, sizeof(*pm));
}

static const struct physmem_region *region_of(const struct physmem *pm, uint64_t addr)
{
	size_t lo = 0, hi = pm->nregions;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pm->regions[mid].end < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < pm->nregions && pm->regions[lo].start <= addr)
		return &pm->regions[lo];
	return NULL;
}

const uint8_t *physmem_ptr(const struct physmem *pm, uint64_t addr, size_t len)
{
	const struct physmem_region *r = region_of(pm, addr);
	if (!r || len == 0 || r->end - addr < len - 1)
		return NULL;
	return r->data + (addr - r->start);
}

size_t physmem_read(const struct physmem *pm, uint64_t addr, void *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		const struct physmem_region *r = region_of(pm, addr);
		if (!r)
			break;
		uint64_t avail = r->end - addr; /* bytes after addr in this region, minus one */
		size_t n = len - done;
		if (avail < n - 1)
			n = (size_t)avail + 1;
		memcpy((uint8_t *)buf + done, r->data + (addr - r->start), n);
		done += n;
		if (r->end == UINT64_MAX)
			break;
		addr = r->end + 1; /* the next region may start right here */
	}
	return done;
}

bool physmem_read_u32(const struct physmem *pm, uint64_t addr, uint32_t *out)
{
	uint8_t b[4];
	if (physmem_read(pm, addr, b, 4) != 4)
		return false;
	*out = rd32(b, pm->big_endian);
	return true;
}

bool physmem_read_u64(const struct physmem *pm, uint64_t addr, uint64_t *out)
{
	uint8_t b[8];
	if (physmem_read(pm, addr, b, 8) != 8)
		return false;
	*out = rd64(b, pm->big_endian);
	return true;
}

bool physmem_range_is_ram(const struct physmem *pm, uint64_t addr, uint64_t len)
{
	if (len == 0)
		return true;
	if (addr + (len - 1) < addr)
		return false;
	return ivset_covers(&pm->ram, addr, addr + (len - 1));
}

bool physmem_is_not_ram(const struct physmem *pm, uint64_t addr)
{
	return ivset_contains(&pm->not_ram, addr);
}

bool physmem_is_not_valid(const struct physmem *pm, uint64_t addr)
{
	return ivset_contains(&pm->not_valid, addr);
}

void frameset_build(struct frameset *fs, const struct physmem *pm, uint64_t frame_size, uint64_t max_addr)
{
	size_t cap = 0;
	memset(fs, 0, sizeof(*fs));
	fs->frame_size = frame_size;
	for (size_t i = 0; i < pm->ram.n; i++) {
		uint64_t s = pm->ram.v[i].start, l = pm->ram.v[i].last;
		if (max_addr && s >= max_addr)
			break;
		if (max_addr && l >= max_addr)
			l = max_addr - 1;
		uint64_t first = (s + frame_size - 1) & ~(frame_size - 1);
		if (first < s || first > l || l - first < frame_size - 1)
			continue;
		uint64_t count = (l - first - (frame_size - 1)) / frame_size + 1;
		struct frame_run run = {first, count, fs->total};
		VEC_PUSH(fs->runs, fs->nruns, cap, run);
		fs->total += count;
	}
}

void frameset_free(struct frameset *fs)
{
	free(fs->runs);
	memset(fs, 0, sizeof(*fs));
}

static size_t run_of(const struct frameset *fs, uint64_t idx)
{
	size_t lo = 0, hi = fs->nruns;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (fs->runs[mid].first_index <= idx)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

uint64_t frameset_addr(const struct frameset *fs, uint64_t idx)
{
	const struct frame_run *r = &fs->runs[run_of(fs, idx)];
	return r->start + (idx - r->first_index) * fs->frame_size;
}

void frameset_chunk(const struct frameset *fs, unsigned n, unsigned i, uint64_t *first, uint64_t *end)
{
	uint64_t base = fs->total / n, extra = fs->total % n;
	*first = base * i + MMU_MIN((uint64_t)i, extra);
	*end = *first + base + (i < extra ? 1 : 0);
}

void frame_cursor_init(struct frame_cursor *c, const struct frameset *fs, uint64_t first, uint64_t end)
{
	c->fs = fs;
	c->idx = first;
	c->end = end;
	c->run = fs->nruns ? run_of(fs, first) : 0;
}

bool frame_cursor_next(struct frame_cursor *c, uint64_t *addr)
{
	if (c->idx >= c->end || c->run >= c->fs->nruns)
		return false;
	const struct frame_run *r = &c->fs->runs[c->run];
	while (c->idx >= r->first_index + r->count) {
		if (++c->run >= c->fs->nruns)
			return false;
		r = &c->fs->runs[c->run];
	}
	*addr = r->start + (c->idx - r->first_index) * c->fs->frame_size;
	c->idx++;
	return true;
}
