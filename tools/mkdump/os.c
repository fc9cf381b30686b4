/*
 * os: a Linux-like system on top of any radix MMU.  One kernel tree holds
 * the kernel half (direct map of RAM with large pages, kernel image,
 * vmalloc, modules, device mappings); every process tree links the same
 * lower-level kernel tables (unified modes) or the kernel half lives in its
 * own tree (split modes: TTBR1).  User halves differ per process: program,
 * heap, stack, shared libraries, anonymous and file mappings, a few large
 * pages, and small areas whose pointer entries restrict what they map so
 * the permission hierarchy is exercised.  A boot-time tree maps the kernel
 * image only.
 */
#include "autoconfig.h"

#include "gen.h"

#include <string.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* Where data comes from when a run of pages is allocated. */
struct kind_mix {
	uint8_t kinds[4];
	uint8_t percent[4];
};

static const struct kind_mix mix_code = {{FK_CODE}, {100}};
static const struct kind_mix mix_struct = {{FK_STRUCT}, {100}};
static const struct kind_mix mix_heap = {{FK_STRUCT, FK_TEXT, FK_RANDOM, FK_ZERO}, {40, 25, 20, 15}};
static const struct kind_mix mix_file = {{FK_TEXT, FK_STRUCT}, {80, 20}};
static const struct kind_mix mix_anon = {{FK_RANDOM, FK_STRUCT, FK_ZERO}, {50, 35, 15}};

static enum frame_kind pick_kind(struct gen *g, const struct kind_mix *m)
{
	unsigned roll = (unsigned)rng_below(&g->rng, 100), acc = 0;
	for (int i = 0; i < 4; i++) {
		acc += m->percent[i];
		if (roll < acc)
			return (enum frame_kind)m->kinds[i];
	}
	return (enum frame_kind)m->kinds[0];
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t page_size(const struct tree_geom *t)
{
	return 1ULL << geom_page_shift(t);
}

/* VA covered by one last-level table: an area aligned to it owns its table. */
static uint64_t table_span(const struct tree_geom *t)
{
	return t->levels >= 2 ? 1ULL << t->lv[t->levels - 2].shift : page_size(t);
}

/* Largest leaf shift of the tree that is at most max_shift (the base page at least). */
static unsigned largest_leaf(const struct tree_geom *t, unsigned max_shift)
{
	unsigned best = geom_page_shift(t);
	for (unsigned l = 0; l < t->levels; l++)
		for (unsigned s = best + 1; s <= max_shift; s++)
			if (t->lv[l].leaf_shifts & (1ULL << s))
				best = s;
	return best;
}

/* Smallest leaf shift above the base page, or 0. */
static unsigned second_leaf(const struct tree_geom *t)
{
	unsigned base = geom_page_shift(t), best = 0;
	for (unsigned l = 0; l < t->levels; l++)
		for (unsigned s = base + 1; s < 64; s++)
			if ((t->lv[l].leaf_shifts & (1ULL << s)) && (!best || s < best))
				best = s;
	return best;
}

/*
 * Maps npages base pages at va with physical runs of 1..16 pages (a buddy
 * allocator hands out such runs), each run filled from the mix.
 */
static int map_fresh(struct gen *g, size_t tree, uint64_t va, uint64_t npages, unsigned attr, unsigned tflags,
		     const struct kind_mix *mix, struct err *e)
{
	const struct tree_geom *t = g->trees[tree].geom;
	uint64_t page = page_size(t);
	while (npages) {
		uint64_t want = rng_range(&g->rng, 1, 16), run = MMU_MIN(npages, want), pa;
		enum frame_kind kind = pick_kind(g, mix);
		while (run > 1 && phys_alloc_quick(g, run * page, page, kind, &pa))
			run /= 2;
		if (run == 1 && phys_alloc(g, page, page, kind, &pa))
			return gen_out_of_ram(g, e);
		if (tree_map(g, tree, va, pa, run * page, geom_page_shift(t), attr, tflags))
			return err_set(e, "internal error: cannot map 0x%llx in tree %zu", (unsigned long long)va, tree);
		va += run * page;
		npages -= run;
	}
	return 0;
}

static int map_fixed(struct gen *g, size_t tree, uint64_t va, uint64_t pa, uint64_t size, unsigned shift,
		     unsigned attr, unsigned tflags, struct err *e)
{
	if (tree_map(g, tree, va, pa, size, shift, attr, tflags))
		return err_set(e, "internal error: cannot map 0x%llx -> 0x%llx in tree %zu", (unsigned long long)va,
			       (unsigned long long)pa, tree);
	return 0;
}

/* Maps a physically contiguous range with the largest pages that fit, up to max_shift. */
static int map_large(struct gen *g, size_t tree, uint64_t va, uint64_t pa, uint64_t size, unsigned max_shift,
		     unsigned attr, struct err *e)
{
	const struct tree_geom *t = g->trees[tree].geom;
	while (size) {
		unsigned s = tree_best_shift(t, va, pa, size, max_shift);
		if (map_fixed(g, tree, va, pa, 1ULL << s, s, attr, 0, e))
			return -1;
		va += 1ULL << s;
		pa += 1ULL << s;
		size -= 1ULL << s;
	}
	return 0;
}

int gen_map_kernel(struct gen *g, uint64_t va, uint64_t pa, uint64_t size, unsigned attr, unsigned tflags,
		   struct err *e)
{
	const struct tree_geom *t = g->kernel_geom;
	uint64_t page = page_size(t);
	if ((va | pa | size) & (page - 1))
		return err_set(e, "internal error: kernel mapping 0x%llx not aligned to the %llu-byte page",
			       (unsigned long long)va, (unsigned long long)page);
	return map_fixed(g, g->kernel_tree_index, va, pa, size, geom_page_shift(t), attr, tflags, e);
}

static void set_kind(struct gen *g, uint64_t pa, uint64_t size, enum frame_kind kind)
{
	for (uint64_t off = 0; off < size; off += GEN_FRAME)
		g->kind[phys_frame(g, pa + off)] = (uint8_t)kind;
}

/* ---- the kernel ---- */

struct kernel_plan {
	uint64_t window;        /* bytes in the kernel VA window */
	uint64_t page, span;
	uint64_t image_va;
	uint64_t vmalloc_va, vmalloc_end;
	unsigned restrict_ok;   /* TF_* the architecture can express in a pointer */
};

static int map_direct(struct gen *g, const struct kernel_plan *p, struct err *e)
{
	uint64_t max = g->bits == 32 ? p->window / 2 : p->window / 4;
	g->k.direct_va = g->kernel_first + (g->bits == 32 ? 0 : p->window / 16);
	g->k.direct_size = 0;
	for (unsigned i = 0; i < g->nregions; i++) {
		const struct gen_region *r = &g->regions[i];
		uint64_t off = r->start - g->regions[0].start;
		if (off >= max)
			break;
		uint64_t size = MMU_MIN(r->size, max - off);
		if (map_large(g, g->kernel_tree_index, g->k.direct_va + off, r->start, size, 30, MA_WRITE, e))
			return -1;
		g->k.direct_size = off + size;
	}
	return 0;
}

/*
 * Kernel image: text R-X, read-only data, data RW-, one contiguous physical
 * run as a real kernel is loaded.  Read-only data sits in its own last-level
 * table when the window allows; where the architecture has a "no write
 * below" pointer bit its leaves say RW and the pointer takes the write away.
 */
static int map_image(struct gen *g, struct kernel_plan *p, struct err *e)
{
	uint64_t page = p->page;
	uint64_t size = align_up(MMU_MAX(MMU_MIN(MMU_MIN(g->o->ram / 16, 16 * MiB), p->window / 16), 256 * 1024), page);
	uint64_t text = align_up(size / 2, page), ro = align_up(size / 5, page), data = size - text - ro, pa;
	if (data < page)
		data = page, size = text + ro + data;
	if (phys_alloc(g, size, MMU_MAX(page, size >= 8 * MiB ? 2 * MiB : page), FK_CODE, &pa))
		return gen_out_of_ram(g, e);
	set_kind(g, pa + text, ro, FK_TEXT);
	set_kind(g, pa + text + ro, data, FK_STRUCT);
	uint64_t span = p->span, va = p->image_va;
	bool own_tables = 3 * span + size <= p->window / 8;
	uint64_t ro_va = own_tables ? align_up(va + text, span) : va + text;
	uint64_t data_va = own_tables ? align_up(ro_va + ro, span) : ro_va + ro;
	bool ro_by_pointer = own_tables && (p->restrict_ok & TF_NO_WRITE);
	unsigned nx = p->restrict_ok & (TF_NO_KEXEC | TF_NO_UEXEC);
	if (map_fixed(g, g->kernel_tree_index, va, pa, text, geom_page_shift(g->kernel_geom), MA_EXEC, 0, e) ||
	    map_fixed(g, g->kernel_tree_index, ro_va, pa + text, ro, geom_page_shift(g->kernel_geom),
		      ro_by_pointer ? MA_WRITE : 0, ro_by_pointer ? TF_NO_WRITE | nx : 0, e) ||
	    map_fixed(g, g->kernel_tree_index, data_va, pa + text + ro, data, geom_page_shift(g->kernel_geom),
		      MA_WRITE, 0, e))
		return -1;
	g->k.text_va = va;
	g->k.text_pa = pa;
	g->k.text_size = text;
	g->k.data_va = data_va;
	g->k.data_pa = pa + text + ro;
	g->k.data_size = data;
	/* Modules: code and data pages scattered through RAM, after the image. */
	uint64_t mod = align_up(data_va + data, own_tables ? span : page) + page;
	unsigned nmods = (unsigned)rng_range(&g->rng, 2, 4);
	for (unsigned m = 0; m < nmods; m++) {
		uint64_t ncode = rng_range(&g->rng, 1, 6), ndata = rng_range(&g->rng, 1, 3);
		if (map_fresh(g, g->kernel_tree_index, mod, ncode, MA_EXEC, 0, &mix_code, e) ||
		    map_fresh(g, g->kernel_tree_index, mod + ncode * page, ndata, MA_WRITE, 0, &mix_struct, e))
			return -1;
		mod += (ncode + ndata + 1) * page;
	}
	return 0;
}

/* vmalloc: small areas of scattered pages with guard pages between them, and device mappings. */
static int map_vmalloc(struct gen *g, struct kernel_plan *p, struct err *e)
{
	uint64_t va = p->vmalloc_va, page = p->page;
	uint64_t room = (p->vmalloc_end - p->vmalloc_va) / 2 / (9 * page);   /* half for device mappings */
	unsigned areas = (unsigned)MMU_MIN(MMU_MIN(8 + g->o->ram / (16 * MiB), 64), room);
	for (unsigned a = 0; a < areas; a++) {
		uint64_t n = rng_range(&g->rng, 1, 8);
		if (map_fresh(g, g->kernel_tree_index, va, n, MA_WRITE, 0, &mix_struct, e))
			return -1;
		va += (n + 1) * page;
	}
	/* ioremap of the first pages of each MMIO window between RAM regions. */
	for (unsigned w = 0; w < g->nwindows; w++) {
		const struct gen_window *win = &g->windows[w];
		if (win->start == g->device_window && g->device_page)
			continue;
		uint64_t size = MMU_MIN(win->size, 4 * page);
		if (align_up(win->start, page) != win->start)
			continue;
		if (map_fixed(g, g->kernel_tree_index, va, win->start, align_down(size, page),
			      geom_page_shift(g->kernel_geom), MA_WRITE | MA_DEVICE, 0, e))
			return -1;
		va += align_down(size, page) + page;
	}
	/* One large device page (a PCI BAR mapped with a huge page): every leaf size gets used. */
	if (g->device_page) {
		uint64_t at = align_up(va, g->device_page);
		bool fits = at >= va && at - g->kernel_first + g->device_page <= p->vmalloc_end - g->kernel_first;
		if (fits &&
		    map_fixed(g, g->kernel_tree_index, at, g->device_window, g->device_page,
			      (unsigned)log2_u64(g->device_page), MA_WRITE | MA_DEVICE, 0, e))
			return -1;
	}
	return 0;
}

static int kernel_build(struct gen *g, struct err *e)
{
	const struct tree_geom *t = g->kernel_geom;
	struct kernel_plan p = {0};
	p.window = g->kernel_last - g->kernel_first + 1;
	p.page = page_size(t);
	p.span = table_span(t);
	p.restrict_ok = g->table_flags;
	p.vmalloc_va = g->kernel_first + p.window / 2;
	p.vmalloc_end = g->kernel_first + p.window / 2 + p.window / 4;
	p.image_va = p.window >= 16 * GiB ? g->kernel_last + 1 - 2 * GiB + 16 * MiB : g->kernel_first + p.window / 4 * 3;
	if (tree_new(g, t, "kernel", g->split ? g->kernel_reg : g->user_reg, &g->kernel_tree_index))
		return gen_out_of_ram(g, e);
	g->device_page = g->device_page ? 1ULL << largest_leaf(t, (unsigned)log2_u64(g->device_page)) : 0;
	return map_direct(g, &p, e) || map_image(g, &p, e) || map_vmalloc(g, &p, e) ? -1 : 0;
}

/* ---- processes ---- */

struct user_plan {
	uint64_t page, span;
	uint64_t pages;         /* budget of base pages */
	unsigned restrict_ok;
};

static uint64_t share(uint64_t budget, unsigned percent)
{
	return MMU_MAX(budget * percent / 100, 1);
}

static int map_shared(struct gen *g, size_t tree, uint64_t va, const uint64_t *pages, size_t n, unsigned attr,
		      struct err *e)
{
	const struct tree_geom *t = g->trees[tree].geom;
	for (size_t i = 0; i < n; i++)
		if (map_fixed(g, tree, va + i * page_size(t), pages[i], page_size(t), geom_page_shift(t), attr, 0, e))
			return -1;
	return 0;
}

/*
 * Small areas in their own last-level table whose pointer restricts the
 * leaves: RW leaves under "no write", executable leaves under "no
 * execute", and (in a few processes) user leaves under "no user access".
 */
static int map_restricted(struct gen *g, size_t tree, const struct user_plan *p, uint64_t *cursor, int process,
			  struct err *e)
{
	static const struct {
		unsigned attr, tflags;
	} areas[] = {
		{MA_USER | MA_WRITE, TF_NO_WRITE},
		{MA_USER | MA_EXEC, TF_NO_UEXEC | TF_NO_KEXEC},
		{MA_USER | MA_WRITE, TF_NO_USER},
	};
	for (size_t i = 0; i < ARRAY_LEN(areas); i++) {
		unsigned tflags = areas[i].tflags & p->restrict_ok;
		if (!tflags || (areas[i].tflags == TF_NO_USER && process % 4 != 1))
			continue;
		uint64_t n = rng_range(&g->rng, 1, 4), room = MMU_MAX(p->span, (n + 1) * p->page);
		if (*cursor < 2 * room)
			return 0;
		uint64_t at = align_down(*cursor - room, p->span);
		if (at < g->user_first + 64 * p->page)
			return 0;
		if (map_fresh(g, tree, at, n, areas[i].attr, tflags, &mix_anon, e))
			return -1;
		*cursor = at;
	}
	return 0;
}

/* A large user page (transparent huge page) when RAM has an aligned free run for it. */
static int map_user_large(struct gen *g, size_t tree, uint64_t *cursor, struct err *e)
{
	unsigned s = second_leaf(g->trees[tree].geom);
	uint64_t size = 1ULL << s, pa;
	if (!s || size > g->o->ram / 16 || *cursor < 2 * size)
		return 0;
	uint64_t at = align_down(*cursor - size, size);
	if (at < g->user_first + size || phys_alloc_quick(g, size, size, pick_kind(g, &mix_anon), &pa))
		return 0;
	if (map_fixed(g, tree, at, pa, size, s, MA_USER | MA_WRITE, 0, e))
		return -1;
	*cursor = at;
	return 0;
}

static int process_build(struct gen *g, int n, const struct user_plan *p, struct err *e)
{
	size_t tree;
	if (tree_new(g, g->user_geom, g->split ? "user" : "process", g->user_reg, &tree))
		return gen_out_of_ram(g, e);
	g->trees[tree].process = n;
	if (!g->split)
		tree_share_top(g, tree, g->kernel_tree_index, g->kernel_first, g->kernel_last);
	uint64_t page = p->page, end = g->user_end, b = p->pages;
	uint64_t text = share(b, 20), data = share(b, 8), heap = share(b, 25), stack = share(b, 7);
	uint64_t libdata = share(b, 10), anon = share(b, 20), file = share(b, 10);
	const unsigned urx = MA_USER | MA_EXEC, urw = MA_USER | MA_WRITE, ur = MA_USER;

	uint64_t prog = MMU_MAX(align_up(end >= GiB ? 0x400000 : 0x10000, page), g->user_first);
	uint64_t heap_va = prog + (text + data + rng_range(&g->rng, 0, 64)) * page;
	if (map_fresh(g, tree, prog, text, urx, 0, &mix_code, e) ||
	    map_fresh(g, tree, prog + text * page, data, urw, 0, &mix_struct, e) ||
	    map_fresh(g, tree, heap_va, heap, urw, 0, &mix_heap, e))
		return -1;
	uint64_t heap_end = heap_va + heap * page;

	uint64_t stack_top = align_down(end - rng_range(&g->rng, 1, 32) * page, page);
	uint64_t vdso = stack_top - (stack + 2) * page;
	if (map_fresh(g, tree, stack_top - stack * page, stack, urw, 0, &mix_struct, e) ||
	    map_shared(g, tree, vdso, g->shared_code, 1, urx, e))
		return -1;

	/* mmap area: grows down from below the stack. */
	uint64_t gap = MMU_MIN(MMU_MAX(end / 64, 8 * MiB), 1 * GiB);
	uint64_t cursor = align_down(vdso - gap, page);
	uint64_t libc = (g->nshared_code - 1) * page;
	cursor -= libc + libdata * page + page;
	if (cursor <= heap_end + 16 * page)
		return err_set(e, "internal error: user address space of %s %s too small", g->arch->name,
			       g->arch->modes[g->mode].name);
	if (map_shared(g, tree, cursor, g->shared_code + 1, g->nshared_code - 1, urx, e) ||
	    map_fresh(g, tree, cursor + libc, libdata, urw, 0, &mix_struct, e))
		return -1;
	cursor -= (anon + 1) * page;
	if (map_fresh(g, tree, cursor, anon, urw, 0, &mix_anon, e))
		return -1;
	cursor -= (file + 1) * page;
	if (map_fresh(g, tree, cursor, file, ur, 0, &mix_file, e))
		return -1;
	if (n % 2 == 0 && map_user_large(g, tree, &cursor, e))
		return -1;
	if (map_restricted(g, tree, p, &cursor, n, e))
		return -1;
	/* A mapping far up (a hinted mmap): the top-level index is not always the one of the stack. */
	uint64_t high = align_down(end / 2 + rng_below(&g->rng, end / 8), page);
	if (high > heap_end && high + 4 * page < cursor)
		return map_fresh(g, tree, high, rng_range(&g->rng, 1, 4), urw, 0, &mix_anon, e);
	return 0;
}

/* Pages every process maps at the same physical place: the vDSO and a C library's text. */
static int shared_pages(struct gen *g, uint64_t page, uint64_t budget, struct err *e)
{
	g->nshared_code = 1 + (size_t)MMU_MIN(MMU_MAX(budget / 8, 2), 64);
	g->shared_code = xcalloc(g->nshared_code, sizeof(uint64_t));
	for (size_t i = 0; i < g->nshared_code; i++)
		if (phys_alloc(g, page, page, FK_CODE, &g->shared_code[i]))
			return gen_out_of_ram(g, e);
	return 0;
}

/* Base pages each process gets: about half the RAM still free, shared out. */
static int user_budget(struct gen *g, const struct user_plan *p, uint64_t *pages, struct err *e)
{
	const struct tree_geom *t = g->user_geom;
	uint64_t free_bytes = 0;
	for (uint64_t f = 0; f < g->nframes; f++)
		if (g->kind[f] == FK_FREE && (!g->alloc_limit || phys_frame_addr(g, f) < g->alloc_limit))
			free_bytes += GEN_FRAME;
	uint64_t tables = 0;
	for (unsigned l = 0; l < t->levels; l++)
		tables += MMU_MAX(geom_table_bytes(t, l), GEN_FRAME) * (l ? 6 : 1);
	uint64_t per = free_bytes / 2 / g->o->processes;
	if (per < tables + 12 * p->page)
		return gen_out_of_ram(g, e);
	/* Small address spaces (aarch64 T0SZ 39) must still hold the layout. */
	uint64_t fit = (g->user_end - g->user_first) / p->page / 16;
	*pages = MMU_MIN(MMU_MIN((per - tables) / p->page, 2048), fit);
	return 0;
}

/* The boot-time tree: the kernel image only (plus an identity map in unified modes). */
static int boot_tree(struct gen *g, struct err *e)
{
	const struct tree_geom *t = g->split ? g->kernel_geom : g->user_geom;
	size_t tree;
	if (tree_new(g, t, "kernel", g->split ? g->kernel_reg : g->user_reg, &tree))
		return gen_out_of_ram(g, e);
	g->trees[tree].boot = true;
	unsigned ps = geom_page_shift(t);
	if (map_fixed(g, tree, g->k.text_va, g->k.text_pa, g->k.text_size, ps, MA_EXEC, 0, e) ||
	    map_fixed(g, tree, g->k.data_va, g->k.data_pa, g->k.data_size, ps, MA_WRITE, 0, e))
		return -1;
	if (!g->split && g->k.text_pa + g->k.text_size <= g->user_end && g->k.text_pa >= g->user_first)
		return map_fixed(g, tree, g->k.text_pa, g->k.text_pa, g->k.text_size, ps, MA_EXEC, 0, e);
	return 0;
}

/* Register values and when a CPU held them. */
static void assign_registers(struct gen *g)
{
	for (size_t i = 0; i < g->ntrees; i++) {
		struct gtree *t = &g->trees[i];
		if (t->boot) {
			t->first_seen = 0.05;
			t->last_seen = 0.6;
		} else if (t->process < 0) {
			t->first_seen = 0.6;
			t->last_seen = 59.5;
		} else {
			t->first_seen = 1.2 + (double)rng_below(&g->rng, 30000) / 1000.0;
			t->last_seen = t->first_seen + (double)rng_below(&g->rng, (uint64_t)((59.9 - t->first_seen) * 1000)) / 1000.0;
		}
		t->count = t->boot ? 1 : rng_range(&g->rng, 1, 500);
		t->reg_value = g->arch->radix->root_register(g, t);
	}
}

int os_build(struct gen *g, struct err *e)
{
	struct user_plan p = {0};
	p.page = page_size(g->user_geom);
	p.span = table_span(g->user_geom);
	p.restrict_ok = g->table_flags;
	if (kernel_build(g, e) || run_extras(g, PHASE_KERNEL, e))
		return -1;
	if (user_budget(g, &p, &p.pages, e) || shared_pages(g, p.page, p.pages, e))
		return -1;
	for (unsigned n = 0; n < g->o->processes; n++)
		if (process_build(g, (int)n, &p, e))
			return -1;
	if (boot_tree(g, e) || run_extras(g, PHASE_LATE, e))
		return -1;
	assign_registers(g);
	return 0;
}
