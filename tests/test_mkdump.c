/*
 * mmushell-mkdump self-check.  Every mode is generated small, loaded back
 * through config_load/physmem_open, and every expected root is walked with
 * the reference walkers below, written from the architecture manuals and
 * sharing no code with the generator: each range must translate exactly
 * (address and permissions) and the gaps between ranges must not.
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "fixtures.h"
#include "gtruth.h"
#include "mkdump/expected.h"
#include "mkdump/mkdump.h"
#include "physmem.h"
#include "unit.h"

/* ---- a loaded dump ---- */

struct dump {
	char *dir;
	struct machine_config cfg;
	struct physmem pm;
	struct gtruth gt;
	struct expected ex;
	const char *arch, *mode;
	unsigned m_phy;
	uint64_t ctl;           /* tcr_el1 or ttbcr */
};

struct xlat {
	uint64_t pa;
	unsigned perms;
};

/* The walk of one root: false when va does not translate. */
typedef bool (*walker)(const struct dump *d, const struct exp_root *r, uint64_t va, struct xlat *out);

static bool rd(const struct dump *d, uint64_t pa, unsigned size, uint64_t *v)
{
	uint32_t w;
	if (size == 8)
		return physmem_read_u64(&d->pm, pa, v);
	if (!physmem_read_u32(&d->pm, pa, &w))
		return false;
	*v = w;
	return true;
}

static uint64_t bits(uint64_t v, unsigned hi, unsigned lo)
{
	return (v >> lo) & (hi - lo == 63 ? ~0ULL : (1ULL << (hi - lo + 1)) - 1);
}

static uint64_t field_mask(unsigned hi, unsigned lo)
{
	return bits(~0ULL, hi - lo, 0) << lo;
}

/* The half of the permission string: user pages in "rwx", supervisor pages in "RWX". */
static unsigned half(bool user, bool r, bool w, bool x)
{
	unsigned p = (r ? EXP_PERM_KR : 0) | (w ? EXP_PERM_KW : 0) | (x ? EXP_PERM_KX : 0);
	return user ? p << 3 : p;
}

/* ---- Intel (SDM vol. 3A, 4.3-4.5) ---- */

static bool walk_ia32(const struct dump *d, const struct exp_root *r, uint64_t va, struct xlat *out)
{
	uint64_t pde, pte, base = r->value & 0xfffff000ULL;
	if (va > 0xffffffffULL || !rd(d, base + bits(va, 31, 22) * 4, 4, &pde) || !(pde & 1))
		return false;
	bool user = pde & 4, write = pde & 2;
	if (pde & 0x80) {
		/* PSE-36: PA[35..32] in bits 16..13 with MAXPHYADDR 36. */
		out->pa = (pde & 0xffc00000ULL) | bits(pde, 16, 13) << 32 | bits(va, 21, 0);
		out->perms = half(user, true, write, true);
		return true;
	}
	if (!rd(d, (pde & 0xfffff000ULL) + bits(va, 21, 12) * 4, 4, &pte) || !(pte & 1))
		return false;
	user = user && (pte & 4);
	write = write && (pte & 2);
	out->pa = (pte & 0xfffff000ULL) | bits(va, 11, 0);
	out->perms = half(user, true, write, true);
	return true;
}

static bool walk_pae(const struct dump *d, const struct exp_root *r, uint64_t va, struct xlat *out)
{
	uint64_t pdpte, e, amask = field_mask(d->m_phy - 1, 12);
	if (va > 0xffffffffULL || !rd(d, (r->value & 0xffffffe0ULL) + bits(va, 31, 30) * 8, 8, &pdpte) || !(pdpte & 1))
		return false;
	/* PDPTEs carry no access rights. */
	uint64_t table = pdpte & amask;
	bool user = true, write = true, nx = false;
	for (unsigned shift = 21;; shift -= 9) {
		if (!rd(d, table + bits(va, shift + 8, shift) * 8, 8, &e) || !(e & 1))
			return false;
		user = user && (e & 4);
		write = write && (e & 2);
		nx = nx || (e >> 63);
		if (shift == 12 || (e & 0x80)) {
			out->pa = (e & field_mask(d->m_phy - 1, shift)) | bits(va, shift - 1, 0);
			out->perms = half(user, true, write, !nx);
			return true;
		}
		table = e & amask;
	}
}

static bool walk_ia32e(const struct dump *d, const struct exp_root *r, uint64_t va, struct xlat *out)
{
	unsigned levels = strcmp(d->mode, "la57") ? 4 : 5, top = 12 + 9 * levels;
	uint64_t table = r->value & field_mask(d->m_phy - 1, 12), e;
	/* Canonical: bits 63..top-1 all equal. */
	uint64_t high = va >> (top - 1);
	if (high != 0 && high != (~0ULL >> (top - 1)))
		return false;
	bool user = true, write = true, nx = false;
	for (unsigned shift = top - 9;; shift -= 9) {
		if (!rd(d, table + bits(va, shift + 8, shift) * 8, 8, &e) || !(e & 1))
			return false;
		user = user && (e & 4);
		write = write && (e & 2);
		nx = nx || (e >> 63);
		bool large = (shift == 21 || shift == 30) && (e & 0x80);
		if (shift == 12 || large) {
			out->pa = (e & field_mask(d->m_phy - 1, shift)) | bits(va, shift - 1, 0);
			out->perms = half(user, true, write, !nx);
			return true;
		}
		table = e & field_mask(d->m_phy - 1, 12);
	}
}

/* ---- RISC-V (privileged spec 4.3.2) ---- */

static bool walk_riscv(const struct dump *d, const struct exp_root *r, uint64_t va, struct xlat *out)
{
	bool sv32 = !strcmp(d->mode, "sv32");
	unsigned levels = sv32 ? 2 : !strcmp(d->mode, "sv39") ? 3 : !strcmp(d->mode, "sv48") ? 4 : 5;
	unsigned vpn_bits = sv32 ? 10 : 9, pte_size = sv32 ? 4 : 8, va_bits = 12 + vpn_bits * levels;
	uint64_t a = sv32 ? bits(r->value, 21, 0) << 12 : bits(r->value, 43, 0) << 12, pte;
	if (!sv32) {
		uint64_t high = va >> (va_bits - 1);
		if (high != 0 && high != (~0ULL >> (va_bits - 1)))
			return false;
	} else if (va > 0xffffffffULL) {
		return false;
	}
	for (int i = (int)levels - 1; i >= 0; i--) {
		unsigned shift = 12 + vpn_bits * (unsigned)i;
		if (!rd(d, a + bits(va, shift + vpn_bits - 1, shift) * pte_size, pte_size, &pte))
			return false;
		bool v = pte & 1, rr = pte & 2, w = pte & 4, x = pte & 8, u = pte & 16;
		if (!v || (!rr && w))
			return false;
		uint64_t ppn = sv32 ? bits(pte, 31, 10) : bits(pte, 53, 10);
		if (rr || x) {
			if (ppn & ((1ULL << (shift - 12)) - 1))
				return false;   /* misaligned superpage */
			out->pa = (ppn << 12) | bits(va, shift - 1, 0);
			out->perms = half(u, rr, w, x);
			return true;
		}
		a = ppn << 12;
	}
	return false;
}

/* ---- ARM short descriptors (ARM DDI 0406C, B3.5) ---- */

/* AP[2:0] -> {kernel read, kernel write, user read, user write} with SCTLR.AFE = 0. */
static const bool ap_table[8][4] = {
	{0, 0, 0, 0}, {1, 1, 0, 0}, {1, 1, 1, 0}, {1, 1, 1, 1},
	{0, 0, 0, 0}, {1, 0, 0, 0}, {1, 0, 1, 0}, {1, 0, 1, 0},
};

static unsigned arm_ap_perms(unsigned ap, bool xn, bool pxn)
{
	const bool *a = ap_table[ap];
	return half(false, a[0], a[1], a[0] && !xn && !pxn) | half(true, a[2], a[3], a[2] && !xn);
}

static bool walk_short(const struct dump *d, const struct exp_root *r, uint64_t va, struct xlat *out)
{
	unsigned n = (unsigned)bits(d->ctl, 2, 0);
	bool ttbr1 = n && va >= (1ULL << (32 - n));
	if (va > 0xffffffffULL || ttbr1 != !strcmp(r->reg, "ttbr1"))
		return false;
	uint64_t base = ttbr1 || !n ? r->value & 0xffffc000ULL : r->value & field_mask(31, 14 - n);
	uint64_t l1, l2, index = ttbr1 || !n ? bits(va, 31, 20) : bits(va, 31 - n, 20);
	if (!rd(d, base + index * 4, 4, &l1))
		return false;
	switch (l1 & 3) {
	case 0:
		return false;
	case 1:
		if (!rd(d, (l1 & 0xfffffc00ULL) + bits(va, 19, 12) * 4, 4, &l2) || !(l2 & 3))
			return false;
		if ((l2 & 3) == 1) {
			out->pa = (l2 & 0xffff0000ULL) | bits(va, 15, 0);
			out->perms = arm_ap_perms((unsigned)(bits(l2, 5, 4) | bits(l2, 9, 9) << 2), l2 >> 15 & 1, l1 >> 2 & 1);
		} else {
			out->pa = (l2 & 0xfffff000ULL) | bits(va, 11, 0);
			out->perms = arm_ap_perms((unsigned)(bits(l2, 5, 4) | bits(l2, 9, 9) << 2), l2 & 1, l1 >> 2 & 1);
		}
		return true;
	default:
		if (l1 & (1ULL << 18))
			out->pa = (l1 & 0xff000000ULL) | bits(l1, 23, 20) << 32 | bits(l1, 8, 5) << 36 | bits(va, 23, 0);
		else
			out->pa = (l1 & 0xfff00000ULL) | bits(va, 19, 0);
		out->perms = arm_ap_perms((unsigned)(bits(l1, 11, 10) | bits(l1, 15, 15) << 2), l1 >> 4 & 1, l1 & 1);
		return true;
	}
}

/* ---- long descriptors: LPAE (DDI 0406C B3.6) and VMSAv8-64 (DDI 0487 D8) ---- */

struct ld_walk {
	uint64_t table;
	unsigned levels;        /* levels walked */
	unsigned first_shift;   /* VA shift of the first level */
	uint64_t first_entries;
	unsigned page_shift;    /* granule */
	unsigned oa_top;        /* output address bits oa_top..shift */
	unsigned block_levels;  /* bit k: blocks allowed at walk step k */
	bool lpae;
};

static bool ld_walk(const struct dump *d, const struct ld_walk *w, uint64_t va, struct xlat *out)
{
	bool apt_nouser = false, apt_ro = false, pxnt = false, uxnt = false;
	uint64_t table = w->table, desc;
	unsigned s = w->page_shift - 3;
	for (unsigned k = 0; k < w->levels; k++) {
		unsigned shift = w->first_shift - s * k;
		uint64_t entries = k ? 1ULL << s : w->first_entries;
		if (!rd(d, table + (bits(va, 63, shift) & (entries - 1)) * 8, 8, &desc) || !(desc & 1))
			return false;
		bool last = k + 1 == w->levels, is_table = (desc & 3) == 3;
		if (!last && is_table) {
			apt_nouser |= desc >> 61 & 1;
			apt_ro |= desc >> 62 & 1;
			pxnt |= desc >> 59 & 1;
			uxnt |= desc >> 60 & 1;
			table = desc & field_mask(w->oa_top, w->page_shift);
			continue;
		}
		if (last ? !is_table : !(w->block_levels & (1u << k)))
			return false;
		bool user = (desc >> 6 & 1) && !apt_nouser, write = !(desc >> 7 & 1) && !apt_ro;
		bool xn = desc >> 54 & 1, pxn = desc >> 53 & 1;
		out->pa = (desc & field_mask(w->oa_top, shift)) | bits(va, shift - 1, 0);
		if (w->lpae) {
			/* XN and XNTable stop both levels; PXN and PXNTable the kernel's. */
			out->perms = half(false, true, write, !xn && !pxn && !uxnt && !pxnt) |
				     half(true, user, user && write, user && !xn && !uxnt);
		} else {
			/* UXN/PXN; memory writable at EL0 never executes at EL1. */
			bool uw = user && write;
			out->perms = half(false, true, write, !pxn && !pxnt && !uw) | half(true, user, uw, user && !xn && !uxnt);
		}
		return true;
	}
	return false;
}

static bool walk_lpae(const struct dump *d, const struct exp_root *r, uint64_t va, struct xlat *out)
{
	unsigned t0 = (unsigned)bits(d->ctl, 2, 0), t1 = (unsigned)bits(d->ctl, 18, 16);
	uint64_t end0 = t0 ? 1ULL << (32 - t0) : t1 ? (1ULL << 32) - (1ULL << (32 - t1)) : 1ULL << 32;
	uint64_t start1 = t1 ? (1ULL << 32) - (1ULL << (32 - t1)) : t0 ? 1ULL << (32 - t0) : 1ULL << 32;
	bool ttbr1 = va >= start1;
	if (va > 0xffffffffULL || (va >= end0 && !ttbr1) || ttbr1 != !strcmp(r->reg, "ttbr1"))
		return false;
	unsigned sz = ttbr1 ? t1 : t0;
	struct ld_walk w = {0};
	w.page_shift = 12;
	w.oa_top = 39;
	w.lpae = true;
	if (sz < 2) {
		w.levels = 3, w.first_shift = 30, w.first_entries = 1ULL << (2 - sz), w.block_levels = 3;
		w.table = r->value & field_mask(39, 5 - sz);
	} else {
		w.levels = 2, w.first_shift = 21, w.first_entries = 1ULL << (11 - sz), w.block_levels = 1;
		w.table = r->value & field_mask(39, 14 - sz);
	}
	return ld_walk(d, &w, va, out);
}

static bool walk_aarch64(const struct dump *d, const struct exp_root *r, uint64_t va, struct xlat *out)
{
	static const unsigned tg0_shift[4] = {12, 16, 14, 0}, tg1_shift[4] = {0, 14, 12, 16};
	unsigned t0 = (unsigned)bits(d->ctl, 5, 0), t1 = (unsigned)bits(d->ctl, 21, 16);
	bool ttbr1;
	if (bits(va, 63, 64 - t0) == 0)
		ttbr1 = false;
	else if (bits(va, 63, 64 - t1) == bits(~0ULL, t1 - 1, 0))
		ttbr1 = true;
	else
		return false;
	if (ttbr1 != !strcmp(r->reg, "ttbr1_el1"))
		return false;
	unsigned txsz = ttbr1 ? t1 : t0;
	unsigned p = ttbr1 ? tg1_shift[bits(d->ctl, 31, 30)] : tg0_shift[bits(d->ctl, 15, 14)];
	unsigned s = p - 3, v = 64 - txsz, levels = (v - p + s - 1) / s;
	unsigned top_bits = (v - p) - (levels - 1) * s;     /* index bits of the first level */
	struct ld_walk w = {0};
	w.page_shift = p;
	w.oa_top = 47;
	w.levels = levels;
	w.first_shift = p + s * (levels - 1);
	w.first_entries = 1ULL << top_bits;
	w.table = r->value & field_mask(47, top_bits + 3);
	/* Blocks: 4K granule at levels 1 and 2, 16K and 64K at level 2 (no LPA). */
	for (unsigned k = 0; k + 1 < levels; k++) {
		unsigned level = 4 - levels + k;
		if (level == 2 || (level == 1 && p == 12))
			w.block_levels |= 1u << k;
	}
	return ld_walk(d, &w, va, out);
}

/* ---- the checks ---- */

static walker pick_walker(const struct dump *d)
{
	if (!strcmp(d->arch, "intel"))
		return !strcmp(d->mode, "ia32") ? walk_ia32 : !strcmp(d->mode, "pae") ? walk_pae : walk_ia32e;
	if (!strcmp(d->arch, "riscv"))
		return walk_riscv;
	if (!strcmp(d->arch, "arm"))
		return !strcmp(d->mode, "short") ? walk_short : walk_lpae;
	return walk_aarch64;
}

static uint64_t sample_state = 88172645463325252ULL;

static uint64_t sample(uint64_t n)
{
	sample_state ^= sample_state << 13;
	sample_state ^= sample_state >> 7;
	sample_state ^= sample_state << 17;
	return n ? sample_state % n : 0;
}

static unsigned failures;

static void report(const struct dump *d, const struct exp_root *r, uint64_t va, const char *what)
{
	if (++failures <= 10)
		fprintf(stderr, "\n  %s %s root 0x%" PRIx64 " (%s) va 0x%" PRIx64 ": %s", d->arch, d->mode, r->root, r->reg,
			va, what);
}

static void expect_translates(const struct dump *d, walker walk, const struct exp_root *r,
			      const struct exp_range *g, uint64_t off)
{
	struct xlat x;
	char want[7], got[7];
	if (!walk(d, r, g->va + off, &x)) {
		report(d, r, g->va + off, "does not translate");
		return;
	}
	if (x.pa != g->pa + off) {
		char msg[96];
		snprintf(msg, sizeof(msg), "translates to 0x%" PRIx64 ", expected 0x%" PRIx64, x.pa, g->pa + off);
		report(d, r, g->va + off, msg);
	} else if (x.perms != g->perms) {
		char msg[64];
		snprintf(msg, sizeof(msg), "perms %s, expected %s", expected_perm_string(x.perms, got),
			 expected_perm_string(g->perms, want));
		report(d, r, g->va + off, msg);
	}
}

static void expect_fault(const struct dump *d, walker walk, const struct exp_root *r, uint64_t va)
{
	struct xlat x;
	if (walk(d, r, va, &x))
		report(d, r, va, "translates but is outside every expected range");
}

/* Samples of every range (ends, middle, random) and of every gap between ranges. */
static void check_root(const struct dump *d, walker walk, const struct exp_root *r)
{
	for (size_t i = 0; i < r->nranges; i++) {
		const struct exp_range *g = &r->ranges[i];
		uint64_t offs[] = {0, g->size - 1, g->size / 2, sample(g->size), sample(g->size)};
		for (size_t k = 0; k < ARRAY_LEN(offs); k++)
			expect_translates(d, walk, r, g, offs[k]);
		if (i + 1 < r->nranges) {
			uint64_t end = g->va + g->size, next = r->ranges[i + 1].va;
			CU_ASSERT_TRUE(end <= next);
			/* Merged means nothing adjacent could have been merged. */
			if (end == next && g->pa + g->size == r->ranges[i + 1].pa && g->perms == r->ranges[i + 1].perms)
				report(d, r, next, "adjacent ranges should have been merged");
			if (end < next) {
				expect_fault(d, walk, r, end);
				expect_fault(d, walk, r, next - 1);
				expect_fault(d, walk, r, end + sample(next - end));
			}
		}
	}
	if (r->nranges && r->ranges[0].va)
		expect_fault(d, walk, r, r->ranges[0].va - 1);
	if (r->nranges) {
		const struct exp_range *l = &r->ranges[r->nranges - 1];
		if (l->va + l->size)
			expect_fault(d, walk, r, l->va + l->size);
	}
}

/* The root register value names the root (PCID, ASID, MODE and attribute bits aside). */
static void check_register(const struct dump *d, const struct exp_root *r)
{
	const struct gt_value *v[4096];
	size_t n = gtruth_values(&d->gt, r->reg, v, ARRAY_LEN(v)), hits = 0;
	for (size_t i = 0; i < n && i < ARRAY_LEN(v); i++)
		hits += v[i]->value == r->value;
	CU_ASSERT_EQUAL(hits, 1);
}

static bool any_user(const struct exp_root *r)
{
	for (size_t i = 0; i < r->nranges; i++)
		if (r->ranges[i].perms & EXP_PERM_USER)
			return true;
	return false;
}

static void check_shape(const struct dump *d)
{
	size_t processes = 0, kernels = 0, boots = 0;
	for (size_t i = 0; i < d->ex.nroots; i++) {
		const struct exp_root *r = &d->ex.roots[i];
		CU_ASSERT_TRUE(r->nranges > 0);
		CU_ASSERT_TRUE(physmem_is_ram(&d->pm, r->root));
		bool kernel = r->kind == EXP_KERNEL;
		kernels += kernel;
		processes += !kernel;
		CU_ASSERT_EQUAL(any_user(r), !kernel);
		boots += r->boot;
		check_register(d, r);
	}
	CU_ASSERT_TRUE(processes >= 1);
	CU_ASSERT_TRUE(kernels >= 2);
	CU_ASSERT_EQUAL(boots, 1);
	/* The boot-time value is the only one gone before one second. */
	size_t early = 0;
	for (size_t i = 0; i < d->gt.nvalues; i++)
		early += d->gt.values[i].last_seen < GTRUTH_BOOT_SECONDS;
	CU_ASSERT_EQUAL(early, 1);
	for (size_t i = 0; i < d->ex.ndecoys; i++) {
		CU_ASSERT_PTR_NULL(expected_root(&d->ex, d->ex.decoys[i].addr));
		CU_ASSERT_TRUE(physmem_is_ram(&d->pm, d->ex.decoys[i].addr));
	}
}

/* SDM 6.14.1 / 6.11: 256 present gates, DPL 3 only where user code may trap in. */
static bool gate_ok(const struct dump *d, unsigned v, uint64_t *handler, bool *task)
{
	uint64_t lo, hi, w2, w3;
	bool is64 = d->cfg.bits == 64;
	uint64_t at = d->ex.idt_pa + v * (is64 ? 16 : 8);
	if (!rd(d, at, 4, &lo) || !rd(d, at + 4, 4, &hi))
		return false;
	unsigned type = (unsigned)bits(hi, 11, 8), dpl = (unsigned)bits(hi, 14, 13);
	bool user_vector = v == 3 || v == 4 || v == 0x80;
	if (!(hi >> 15 & 1) || bits(hi, 7, 5) || (hi >> 12 & 1) || dpl != (user_vector ? 3u : 0u))
		return false;
	*task = type == 5;
	*handler = bits(hi, 31, 16) << 16 | bits(lo, 15, 0);
	if (!is64)
		return type == 5 || type == 0xe || type == 0xf;
	if (!rd(d, at + 8, 4, &w2) || !rd(d, at + 12, 4, &w3) || w3 || type < 14)
		return false;
	*handler |= w2 << 32;
	return bits(*handler, 63, 47) == 0x1ffff;
}

static void check_idt(const struct dump *d, walker walk)
{
	CU_ASSERT_TRUE_FATAL(d->ex.has_idt);
	const struct gt_value *idtr = gtruth_latest(&d->gt, "idtr_base");
	CU_ASSERT_TRUE_FATAL(idtr != NULL);
	CU_ASSERT_EQUAL(idtr->value, d->ex.idt_va);
	CU_ASSERT_EQUAL(d->ex.idt_size, d->cfg.bits == 64 ? 4096u : 2048u);
	for (size_t i = 0; i < d->ex.nroots; i++) {
		const struct exp_root *r = &d->ex.roots[i];
		struct xlat x;
		if (r->boot)
			continue;
		CU_ASSERT_TRUE(walk(d, r, d->ex.idt_va, &x) && x.pa == d->ex.idt_pa);
		for (unsigned v = 0; v < 256; v++) {
			uint64_t h;
			bool task;
			if (!gate_ok(d, v, &h, &task)) {
				report(d, r, v, "invalid IDT gate");
				continue;
			}
			if (!task && (!walk(d, r, h, &x) || !(x.perms & EXP_PERM_KX)))
				report(d, r, h, "IDT handler not kernel-executable");
		}
	}
}

static int load_dump(struct dump *d, const char *dir, struct err *e)
{
	memset(d, 0, sizeof(*d));
	char *machine = path_join(dir, "machine.yaml"), *gt = path_join(dir, "gtruth.yaml");
	char *ex = path_join(dir, "expected.yaml");
	int rc = config_load(machine, &d->cfg, e) || config_check_dumps(&d->cfg, e) || physmem_open(&d->pm, &d->cfg, e) ||
		 gtruth_load(gt, &d->gt, e) || expected_load(ex, &d->ex, e);
	free(machine);
	free(gt);
	free(ex);
	if (rc)
		return -1;
	d->arch = d->ex.architecture;
	d->mode = d->ex.mmu_mode;
	const struct config_kv *m = config_feature(&d->cfg, "m_phy");
	d->m_phy = m ? (unsigned)m->value : 0;
	const struct gt_value *ctl = gtruth_latest(&d->gt, "tcr_el1");
	if (!ctl)
		ctl = gtruth_latest(&d->gt, "ttbcr");
	d->ctl = ctl ? ctl->value : 0;
	return 0;
}

static void unload_dump(struct dump *d)
{
	expected_free(&d->ex);
	gtruth_free(&d->gt);
	physmem_close(&d->pm);
	config_free(&d->cfg);
}

/* ---- every mode ---- */

struct variant {
	const char *arch, *mode;
	unsigned granule;
	int t0sz, t1sz, n;
	unsigned ram_mib, processes;
};

static const struct variant variants[] = {
	{"intel", "ia32", 0, -1, -1, -1, 16, 6},
	{"intel", "pae", 0, -1, -1, -1, 16, 6},
	{"intel", "ia64", 0, -1, -1, -1, 16, 6},
	{"intel", "la57", 0, -1, -1, -1, 16, 6},
	{"riscv", "sv32", 0, -1, -1, -1, 16, 6},
	{"riscv", "sv39", 0, -1, -1, -1, 16, 6},
	{"riscv", "sv48", 0, -1, -1, -1, 16, 6},
	{"riscv", "sv57", 0, -1, -1, -1, 16, 6},
	{"arm", "short", 0, -1, -1, 0, 16, 6},
	{"arm", "short", 0, -1, -1, 1, 16, 6},
	{"arm", "short", 0, -1, -1, 2, 16, 6},
	{"arm", "long", 0, -1, -1, -1, 16, 6},
	{"arm", "long", 0, 0, 0, -1, 16, 6},
	{"arm", "long", 0, 1, 1, -1, 16, 6},
	{"aarch64", "long", 4096, 25, 25, -1, 16, 6},
	{"aarch64", "long", 4096, 16, 16, -1, 16, 6},
	{"aarch64", "long", 4096, 33, 20, -1, 16, 6},
	{"aarch64", "long", 16384, 17, 17, -1, 16, 4},
	{"aarch64", "long", 16384, 16, 28, -1, 16, 4},
	{"aarch64", "long", 65536, 22, 22, -1, 32, 4},
	{"aarch64", "long", 65536, 16, 16, -1, 32, 4},
	{"aarch64", "long", 65536, 39, 33, -1, 32, 4},  /* one-level user trees */
};

static void opts_for(const struct variant *v, struct mkdump_opts *o, const char *dir, uint64_t seed)
{
	mkdump_opts_init(o);
	o->arch = v->arch;
	o->mode = v->mode;
	o->granule = v->granule;
	o->t0sz = v->t0sz;
	o->t1sz = v->t1sz;
	o->ttbcr_n = v->n;
	o->ram = (uint64_t)v->ram_mib << 20;
	o->regions = 2;
	o->processes = v->processes;
	o->noise = 2;
	o->seed = seed;
	o->outdir = dir;
}

static void check_variant(const struct variant *v, uint64_t seed, unsigned noise)
{
	char *dir = fx_tmpdir();
	struct mkdump_opts o;
	struct err e = {{0}};
	struct dump d;
	opts_for(v, &o, dir, seed);
	o.noise = noise;
	if (mkdump_generate(&o, &e) || load_dump(&d, dir, &e)) {
		fprintf(stderr, "\n  %s %s: %s", v->arch, v->mode, e.msg);
		CU_FAIL("generation or loading failed");
		return;
	}
	unsigned before = failures;
	walker walk = pick_walker(&d);
	check_shape(&d);
	for (size_t i = 0; i < d.ex.nroots; i++)
		check_root(&d, walk, &d.ex.roots[i]);
	if (!strcmp(v->arch, "intel"))
		check_idt(&d, walk);
	CU_ASSERT_EQUAL(failures, before);
	unload_dump(&d);
}

static void test_all_modes(void)
{
	for (size_t i = 0; i < ARRAY_LEN(variants); i++)
		check_variant(&variants[i], 1, 2);
}

/* Other seeds (other layouts) and every noise level, 0 included. */
static void test_other_seeds(void)
{
	for (size_t i = 0; i < ARRAY_LEN(variants); i += 3)
		check_variant(&variants[i], 7 + i, (unsigned)(i / 3) % 4);
}

static bool same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	bool same = fa && fb;
	while (same) {
		int ca = fgetc(fa), cb = fgetc(fb);
		same = ca == cb;
		if (ca == EOF)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

static void test_deterministic(void)
{
	static const char *const files[] = {"machine.yaml", "dump.0", "dump.1", "gtruth.yaml", "expected.yaml"};
	const struct variant *v = &variants[2];
	char *a = fx_tmpdir(), *b = fx_tmpdir(), *c = fx_tmpdir();
	struct mkdump_opts o;
	struct err e = {{0}};
	opts_for(v, &o, a, 5);
	CU_ASSERT_EQUAL_FATAL(mkdump_generate(&o, &e), 0);
	opts_for(v, &o, b, 5);
	CU_ASSERT_EQUAL_FATAL(mkdump_generate(&o, &e), 0);
	opts_for(v, &o, c, 6);
	CU_ASSERT_EQUAL_FATAL(mkdump_generate(&o, &e), 0);
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		char *pa = path_join(a, files[i]), *pb = path_join(b, files[i]), *pc = path_join(c, files[i]);
		CU_ASSERT_TRUE(same_file(pa, pb));
		if (!strncmp(files[i], "dump", 4))
			CU_ASSERT_FALSE(same_file(pa, pc));
		free(pa);
		free(pb);
		free(pc);
	}
}

static void expect_error(struct mkdump_opts *o, const char *msg)
{
	struct err e = {{0}};
	CU_ASSERT_EQUAL(mkdump_generate(o, &e), -1);
	ASSERT_STR_EQ(e.msg, msg);
}

static void test_errors(void)
{
	char *dir = fx_tmpdir();
	struct mkdump_opts o;
	mkdump_opts_init(&o);
	o.outdir = dir;
	expect_error(&o, "missing --arch (one of: intel, riscv, arm, aarch64, mips, ppc)");
	o.arch = "vax";
	expect_error(&o, "unknown architecture 'vax' (known: intel, riscv, arm, aarch64, mips, ppc)");
	o.arch = "riscv";
	o.mode = "sv64";
	expect_error(&o, "unknown mode 'sv64' for architecture riscv (known: sv32, sv39, sv48, sv57)");
	o.arch = "intel";
	o.mode = "ia64";
	o.ram = 4ULL << 20;
	o.processes = 500;
	expect_error(&o, "--ram 4M is too small for 500 processes on intel ia64 (try --ram 8M or fewer --processes)");
	o.ram = 3ULL << 20;
	expect_error(&o, "--ram must be a multiple of 2 MiB from 4.0 MiB to 64.0 GiB for intel ia64 (got 3145728 bytes)");
	o.ram = 16ULL << 20;
	o.processes = 4;
	o.granule = 4096;
	expect_error(&o, "--granule applies to aarch64 only (not intel ia64)");
	o.granule = 0;
	o.ttbcr_n = 1;
	expect_error(&o, "--ttbcr-n applies to arm short only (not intel ia64)");
	o.ttbcr_n = -1;
	o.noise = 9;
	expect_error(&o, "--noise must be from 0 to 3 (got 9)");
	o.noise = 2;
	o.arch = "aarch64";
	o.mode = NULL;
	o.granule = 8192;
	expect_error(&o, "--granule must be 4k, 16k or 64k (got 8192 bytes)");
	o.granule = 0;
	o.t0sz = 12;
	expect_error(&o, "--t0sz must be from 16 to 39 for aarch64 (got 12)");
	o.t0sz = -1;
	/* A regular file where the folder should be. */
	const char *file = fx_write(dir, "plain", "x");
	char *sub = path_join(file, "out");
	o.outdir = sub;
	char want[1024];
	snprintf(want, sizeof(want), "cannot create folder %s: Not a directory", sub);
	expect_error(&o, want);
	free(sub);
}

static void expect_load_error(const char *text, const char *tail)
{
	char *dir = fx_tmpdir();
	const char *p = fx_write(dir, "expected.yaml", text);
	struct expected ex;
	struct err e = {{0}};
	CU_ASSERT_EQUAL(expected_load(p, &ex, &e), -1);
	char *want = xasprintf("%s:%s", p, tail);
	ASSERT_STR_EQ(e.msg, want);
	free(want);
}

static void test_expected_loader(void)
{
	char *dir = fx_tmpdir();
	const char *p = fx_write(dir, "expected.yaml",
				 "format: mmushell-expected/1\narchitecture: riscv\nmmu_mode: sv39\n"
				 "roots:\n"
				 "  - root: 0x80001000\n    kind: process\n    register: satp\n    value: 0x8000000000080001\n"
				 "    process: 0\n    ranges:\n"
				 "      - {va: 0x10000, size: 0x2000, pa: 0x80100000, perms: \"---r-x\"}\n"
				 "      - {va: 0xffffffc000000000, size: 0x200000, pa: 0x80000000, perms: \"RW----\"}\n"
				 "  - {root: 0x80002000, kind: kernel, register: satp, boot: true, ranges: []}\n"
				 "decoys:\n  - {addr: 0x80003000, what: orphan}\n");
	struct expected ex;
	struct err e = {{0}};
	CU_ASSERT_EQUAL_FATAL(expected_load(p, &ex, &e), 0);
	CU_ASSERT_EQUAL(ex.nroots, 2);
	const struct exp_root *r = expected_root(&ex, 0x80001000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->kind, EXP_PROCESS);
	CU_ASSERT_EQUAL(r->value, 0x8000000000080001ULL);
	CU_ASSERT_EQUAL(r->process, 0);
	CU_ASSERT_EQUAL(r->ranges[0].perms, EXP_PERM_UR | EXP_PERM_UX);
	CU_ASSERT_PTR_EQUAL(expected_lookup(r, 0x11fff), &r->ranges[0]);
	CU_ASSERT_PTR_NULL(expected_lookup(r, 0x12000));
	CU_ASSERT_PTR_EQUAL(expected_lookup(r, 0xffffffc0001fffffULL), &r->ranges[1]);
	CU_ASSERT_TRUE(ex.roots[1].boot);
	CU_ASSERT_EQUAL(ex.roots[1].process, -1);
	CU_ASSERT_TRUE(expected_is_decoy(&ex, 0x80003000));
	CU_ASSERT_FALSE(ex.has_idt);
	char buf[7];
	ASSERT_STR_EQ(expected_perm_string(EXP_PERM_KR | EXP_PERM_KW | EXP_PERM_UR, buf), "RW-r--");
	expected_free(&ex);

	expect_load_error("format: mmushell-expected/2\nroots: []\n", "1:9: unsupported expected-results format version: mmushell-expected/2");
	expect_load_error("a: 1\n", "1:1: not an expected-results file: 'format' must be mmushell-expected/1");
	expect_load_error("format: mmushell-expected/1\nroots:\n  - {root: 0x1000, kind: both, register: cr3, ranges: []}\n",
			  "3:26: 'kind' must be process, kernel or user");
	expect_load_error("format: mmushell-expected/1\nroots:\n  - {root: 0x1000, kind: user, register: cr3, ranges: [\n"
			  "      {va: 0x2000, size: 0x1000, pa: 0, perms: \"---rw-\"},\n"
			  "      {va: 0x1000, size: 0x1000, pa: 0, perms: \"---rw-\"}]}\n",
			  "5:7: ranges must be sorted by va and must not overlap");
	expect_load_error("format: mmushell-expected/1\nroots:\n  - {root: 0x1000, kind: user, register: cr3, ranges: [\n"
			  "      {va: 0x2000, size: 0x1000, pa: 0, perms: \"rw\"}]}\n",
			  "4:48: 'perms' must be 6 characters like \"RW-r--\"");
}

void register_mkdump_tests(void)
{
	static const struct unit_test t[] = {
		{"all_modes", test_all_modes},
		{"other_seeds", test_other_seeds},
		{"deterministic", test_deterministic},
		{"errors", test_errors},
		{"expected_loader", test_expected_loader},
	};
	unit_add_suite("mkdump", t, ARRAY_LEN(t));
}
