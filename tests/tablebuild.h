/*
 * A tiny page-table builder for unit tests: RAM in a buffer, frames handed
 * out in order, entries written per the mode's encoding.  It is written
 * from the manuals independently of src/arch so tests can check the
 * analysis against it.
 */
#ifndef MMU_TEST_TABLEBUILD_H
#define MMU_TEST_TABLEBUILD_H

#include <stdbool.h>
#include <stdint.h>

struct tb_mode {
	unsigned levels, entry_size;
	unsigned va_shift[6];
	uint64_t table_size[6];
	/* Entry pointing to a next-level table at pa, with flags. */
	uint64_t (*ptr)(uint64_t pa, uint64_t flags);
	/* Entry mapping a page at pa at this level (leaf), with flags. */
	uint64_t (*leaf)(uint64_t pa, unsigned level, unsigned levels, uint64_t flags);
};

extern const struct tb_mode tb_ia64, tb_pae, tb_ia32, tb_sv39, tb_sv48;

/* Intel flags. */
#define TB_P 0x1ULL
#define TB_RW 0x2ULL
#define TB_US 0x4ULL
#define TB_PS 0x80ULL
#define TB_XD (1ULL << 63)
/* RISC-V flags. */
#define TB_V 0x1ULL
#define TB_R 0x2ULL
#define TB_W 0x4ULL
#define TB_X 0x8ULL
#define TB_U 0x10ULL
#define TB_AD 0xc0ULL

struct tb {
	uint8_t *ram;
	uint64_t base, size, next;
	uint64_t seed;
};

void tb_init(struct tb *t, uint64_t base, uint64_t size, uint64_t seed);
void tb_free(struct tb *t);
/* A zeroed block of size bytes aligned to align, from the bottom of RAM up. */
uint64_t tb_alloc(struct tb *t, uint64_t size, uint64_t align);
/* A page filled with pseudo-random bytes (data, never a table). */
uint64_t tb_data_page(struct tb *t, uint64_t size);
void tb_fill_random(struct tb *t, uint64_t pa, uint64_t len);
void tb_put(struct tb *t, const struct tb_mode *m, uint64_t pa, uint64_t entry);
uint64_t tb_get(const struct tb *t, const struct tb_mode *m, uint64_t pa);
/*
 * Maps va -> pa with a leaf at leaf_level under root, creating missing
 * tables (pointer entries get ptr_flags).  Returns the leaf entry address.
 */
uint64_t tb_map(struct tb *t, const struct tb_mode *m, uint64_t root, uint64_t va, uint64_t pa, unsigned leaf_level,
		uint64_t leaf_flags, uint64_t ptr_flags);
/*
 * An IA-32e machine with an IDT: two processes sharing the kernel half
 * (which maps the IDT and its handlers), each with a user page, and an
 * orphan tree mapping a user page but no kernel.  RAM 4 MiB at 0.
 */
struct tb_ia64_idt {
	uint64_t r1, r2, orphan, idt, text, upage1;
};
#define TB_KERNEL_TEXT 0xffffffff80000000ULL
#define TB_IDT_VA 0xfffffe0000000000ULL
void tb_build_ia64_idt(struct tb *t, struct tb_ia64_idt *out);

/* Writes RAM to dir/name and a machine YAML; returns the YAML path (fixture-owned). */
const char *tb_write(const struct tb *t, const char *dir, const char *cpu_yaml, const char *mode, const char *extra_yaml);

#endif
