#include "autoconfig.h"

#include "tablebuild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "util.h"

static uint64_t x86_ptr(uint64_t pa, uint64_t flags)
{
	return pa | flags;
}

static uint64_t x86_leaf(uint64_t pa, unsigned level, unsigned levels, uint64_t flags)
{
	return pa | flags | (level + 1 < levels ? TB_PS : 0);
}

static uint64_t rv_ptr(uint64_t pa, uint64_t flags)
{
	return (pa >> 12) << 10 | flags;
}

static uint64_t rv_leaf(uint64_t pa, unsigned level, unsigned levels, uint64_t flags)
{
	(void)level, (void)levels;
	return (pa >> 12) << 10 | flags;
}

const struct tb_mode tb_ia64 = {4, 8, {39, 30, 21, 12}, {4096, 4096, 4096, 4096}, x86_ptr, x86_leaf};
const struct tb_mode tb_pae = {3, 8, {30, 21, 12}, {32, 4096, 4096}, x86_ptr, x86_leaf};
const struct tb_mode tb_ia32 = {2, 4, {22, 12}, {4096, 4096}, x86_ptr, x86_leaf};
const struct tb_mode tb_sv39 = {3, 8, {30, 21, 12}, {4096, 4096, 4096}, rv_ptr, rv_leaf};
const struct tb_mode tb_sv48 = {4, 8, {39, 30, 21, 12}, {4096, 4096, 4096, 4096}, rv_ptr, rv_leaf};

void tb_init(struct tb *t, uint64_t base, uint64_t size, uint64_t seed)
{
	t->ram = xcalloc(size, 1);
	t->base = base;
	t->size = size;
	t->next = base;
	t->seed = seed;
}

void tb_free(struct tb *t)
{
	free(t->ram);
	t->ram = NULL;
}

uint64_t tb_alloc(struct tb *t, uint64_t size, uint64_t align)
{
	uint64_t at = (t->next + align - 1) & ~(align - 1);
	if (at + size > t->base + t->size)
		fatal("test RAM exhausted");
	t->next = at + size;
	memset(t->ram + (at - t->base), 0, size);
	return at;
}

void tb_fill_random(struct tb *t, uint64_t pa, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++) {
		t->seed = t->seed * 6364136223846793005ULL + 1442695040888963407ULL;
		t->ram[pa - t->base + i] = (uint8_t)(t->seed >> 56);
	}
}

uint64_t tb_data_page(struct tb *t, uint64_t size)
{
	uint64_t pa = tb_alloc(t, size, size);
	tb_fill_random(t, pa, size);
	return pa;
}

void tb_put(struct tb *t, const struct tb_mode *m, uint64_t pa, uint64_t entry)
{
	if (m->entry_size == 8)
		wr64(t->ram + (pa - t->base), entry, false);
	else
		wr32(t->ram + (pa - t->base), (uint32_t)entry, false);
}

uint64_t tb_get(const struct tb *t, const struct tb_mode *m, uint64_t pa)
{
	return m->entry_size == 8 ? rd64(t->ram + (pa - t->base), false) : rd32(t->ram + (pa - t->base), false);
}

/* Target of a pointer entry, decoded the builder's way. */
static uint64_t ptr_target(const struct tb_mode *m, uint64_t e)
{
	if (m->ptr == rv_ptr)
		return (e >> 10 & ((1ULL << 44) - 1)) << 12;
	return e & (m->entry_size == 8 ? 0x000ffffffffff000ULL : 0xfffff000ULL);
}

uint64_t tb_map(struct tb *t, const struct tb_mode *m, uint64_t root, uint64_t va, uint64_t pa, unsigned leaf_level,
		uint64_t leaf_flags, uint64_t ptr_flags)
{
	uint64_t table = root;
	for (unsigned k = 0;; k++) {
		uint64_t entries = m->table_size[k] / m->entry_size;
		uint64_t idx = (va >> m->va_shift[k]) & (entries - 1);
		uint64_t at = table + idx * m->entry_size;
		if (k == leaf_level) {
			tb_put(t, m, at, m->leaf(pa, k, m->levels, leaf_flags));
			return at;
		}
		uint64_t e = tb_get(t, m, at);
		if (!e) {
			uint64_t next = tb_alloc(t, m->table_size[k + 1], m->table_size[k + 1]);
			e = m->ptr(next, ptr_flags);
			tb_put(t, m, at, e);
		}
		table = ptr_target(m, e);
	}
}

const char *tb_write(const struct tb *t, const char *dir, const char *cpu_yaml, const char *mode, const char *extra_yaml)
{
	fx_write_bytes(dir, "ram.bin", t->ram, t->size);
	char *y = xasprintf("cpu: %s\nmmu: {mode: %s}\nmemspace:\n  ram:\n    - {start: 0x%llx, end: 0x%llx, dumpfile: ram.bin}\n%s",
			    cpu_yaml, mode, (unsigned long long)t->base, (unsigned long long)(t->base + t->size - 1),
			    extra_yaml ? extra_yaml : "");
	const char *p = fx_write(dir, "m.yaml", y);
	free(y);
	return p;
}

/* 16-byte interrupt gate (SDM 6.14.1). */
static void put_gate(struct tb *t, uint64_t at, uint64_t handler, unsigned dpl)
{
	uint8_t *g = t->ram + (at - t->base);
	wr32(g, (uint32_t)(handler & 0xffff) | 0x10u << 16, false);
	wr32(g + 4, (uint32_t)(handler & 0xffff0000u) | 1u << 15 | dpl << 13 | 14u << 8, false);
	wr32(g + 8, (uint32_t)(handler >> 32), false);
	wr32(g + 12, 0, false);
}

void tb_build_ia64_idt(struct tb *t, struct tb_ia64_idt *o)
{
	const struct tb_mode *m = &tb_ia64;
	tb_init(t, 0, 4 << 20, 8);
	o->r1 = tb_alloc(t, 4096, 4096);
	o->r2 = tb_alloc(t, 4096, 4096);
	o->orphan = tb_alloc(t, 4096, 4096);
	o->text = tb_data_page(t, 4096);
	o->idt = tb_alloc(t, 4096, 4096);
	for (unsigned v = 0; v < 256; v++)
		put_gate(t, o->idt + 16 * v, TB_KERNEL_TEXT + 0x10 * v, v == 3 || v == 4 ? 3 : 0);
	tb_map(t, m, o->r1, TB_KERNEL_TEXT, o->text, 3, TB_P, TB_P | TB_RW);
	tb_map(t, m, o->r1, TB_IDT_VA, o->idt, 3, TB_P | TB_XD, TB_P | TB_RW);
	tb_put(t, m, o->r2 + 511 * 8, tb_get(t, m, o->r1 + 511 * 8));
	tb_put(t, m, o->r2 + 508 * 8, tb_get(t, m, o->r1 + 508 * 8));
	o->upage1 = tb_data_page(t, 4096);
	tb_map(t, m, o->r1, 0x400000, o->upage1, 3, TB_P | TB_US, TB_P | TB_US | TB_RW);
	tb_map(t, m, o->r1, 0x401000, tb_data_page(t, 4096), 3, TB_P | TB_US | TB_RW | TB_XD, TB_P | TB_US | TB_RW);
	tb_map(t, m, o->r2, 0x400000, tb_data_page(t, 4096), 3, TB_P | TB_US, TB_P | TB_US | TB_RW);
	tb_map(t, m, o->orphan, 0x400000, tb_data_page(t, 4096), 3, TB_P | TB_US, TB_P | TB_US | TB_RW);
}
