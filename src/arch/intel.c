/*
 * Intel x86: IA-32 (PSE), PAE, IA-32e 4-level and 5-level (LA57) paging,
 * plus the IDT scan that confirms which trees are real: every real
 * address space maps the IDT and its handlers (algo-core 10.5-10.6).
 */
#include "autoconfig.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "config.h"
#include "intel.h"
#include "radix.h"
#include "session.h"

enum intel_mode { MODE_IA32, MODE_PAE, MODE_IA64, MODE_LA57 };

static const struct mmu_mode_info intel_modes[] = {
	[MODE_IA32] = {"ia32", "IA-32 2-level paging, 4 KiB and 4 MiB (PSE) pages", 0},
	[MODE_PAE] = {"pae", "PAE 3-level paging, 4 KiB and 2 MiB pages", 0},
	[MODE_IA64] = {"ia64", "IA-32e 4-level paging, 4 KiB, 2 MiB and 1 GiB pages", 64},
	[MODE_LA57] = {"la57", "IA-32e 5-level paging (LA57), 57-bit virtual addresses", 64},
};

/* Entry bits (SDM Vol. 3A 4.3-4.5). */
#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_US (1ULL << 2)
#define PTE_PWT (1ULL << 3)
#define PTE_PCD (1ULL << 4)
#define PTE_A (1ULL << 5)
#define PTE_D (1ULL << 6)
#define PTE_PS (1ULL << 7)
#define PTE_G (1ULL << 8)
#define PTE_XD (1ULL << 63)

/* Hierarchy accumulator: user, writable, executable along the path. */
#define ACC_U 1u
#define ACC_W 2u
#define ACC_X 4u

/* shape->param: [0] MAXPHYADDR, [1] mode. */
#define P_MPHY 0
#define P_MODE 1

static int intel_check_config(const struct machine_config *cfg, struct err *e)
{
	const struct config_kv *m = config_feature(cfg, "m_phy");
	if (!m)
		return config_error_at(cfg, cfg->pos_features, e,
				       "architecture intel needs cpu.processor_features.m_phy (MAXPHYADDR, e.g. 36 or 39)");
	if (!m->is_int || m->value == 0 || m->value >= 53)
		return config_error_at(cfg, m->pos, e, "cpu.processor_features.m_phy must be between 1 and 52 (got %s)",
				       m->text);
	return 0;
}

static unsigned m_phy_of(const struct analysis *a, enum intel_mode mode)
{
	const struct config_kv *m = config_feature(&a->cfg, "m_phy");
	unsigned v = m ? (unsigned)m->value : 36;
	/* IA-32 PSE-36/40 gives 32..40 physical bits whatever the CPU reports. */
	if (mode == MODE_IA32)
		v = v < 32 ? 32 : v > 40 ? 40 : v;
	return v;
}

static int intel_shapes(struct analysis *a, struct radix_shape *out, unsigned *n, struct err *e)
{
	static const struct radix_shape shapes[] = {
		[MODE_IA32] = {.levels = 2, .entry_size = 4, .table_size = {4096, 4096}, .va_shift = {22, 12},
			       .va_bits = 32},
		[MODE_PAE] = {.levels = 3, .entry_size = 8, .table_size = {32, 4096, 4096}, .va_shift = {30, 21, 12},
			      .va_bits = 32},
		[MODE_IA64] = {.levels = 4, .entry_size = 8, .table_size = {4096, 4096, 4096, 4096},
			       .va_shift = {39, 30, 21, 12}, .va_bits = 48, .va_signed = true},
		[MODE_LA57] = {.levels = 5, .entry_size = 8, .table_size = {4096, 4096, 4096, 4096, 4096},
			       .va_shift = {48, 39, 30, 21, 12}, .va_bits = 57, .va_signed = true},
	};
	enum intel_mode mode = (enum intel_mode)a->cfg.mode;
	(void)e;
	*n = 1;
	out[0] = shapes[mode];
	out[0].name = "";
	out[0].root_register = "cr3";
	out[0].param[P_MPHY] = m_phy_of(a, mode);
	out[0].param[P_MODE] = mode;
	return 0;
}

static void page(struct pte *p, uint64_t raw, uint64_t addr, uint64_t size)
{
	p->kind = PTE_PAGE;
	p->addr = addr;
	p->size = size;
	p->user = raw & PTE_US;
}

static void table(struct pte *p, uint64_t addr)
{
	p->kind = PTE_TABLE;
	p->addr = addr;
}

static void invalid(struct pte *p, const char *why)
{
	p->kind = PTE_INVALID;
	p->why = why;
}

static void attr_of(struct pte *p, uint64_t raw, bool has_xd)
{
	p->attr = (raw & PTE_US ? ACC_U : 0) | (raw & PTE_RW ? ACC_W : 0) |
		  (has_xd && (raw & PTE_XD) ? 0 : ACC_X);
}

static void decode_ia32(unsigned m_phy, unsigned level, uint64_t raw, struct pte *p)
{
	if (level == 0 && (raw & PTE_PS)) {
		/* 4 MiB page: PSE-36/40 puts physical bits 32.. in bits 13..; bits 21..(m_phy-19) reserved. */
		uint64_t rsv = mask_bits(21, m_phy - 19);
		if (raw & rsv)
			return invalid(p, "reserved bits of a 4 MiB page set");
		uint64_t hi = bits_get(raw, 13 + (m_phy - 32) - 1, 13);
		if (m_phy == 32)
			hi = 0;
		return page(p, raw, (raw & 0xffc00000ULL) | hi << 32, 4ULL << 20);
	}
	if (level == 0)
		return table(p, raw & 0xfffff000ULL);
	page(p, raw, raw & 0xfffff000ULL, 4096);
}

/* PAE and IA-32e share the 64-bit entry format; 'top' is the PDPT/PML4/PML5 levels. */
static void decode_64(enum intel_mode mode, unsigned m_phy, unsigned level, unsigned levels, uint64_t raw,
		      struct pte *p)
{
	uint64_t addr_mask = mask_bits(m_phy - 1, 12);
	unsigned from_leaf = levels - 1 - level; /* 0: PT, 1: PD, 2: PDPT, 3: PML4, 4: PML5 */
	if (raw & mask_bits(mode == MODE_PAE ? 62 : 51, m_phy))
		return invalid(p, "physical address bits above MAXPHYADDR set");
	if (mode == MODE_PAE && level == 0) {
		/*
		 * PDPTE: bits 2..1, 7 and 63 are reserved (a CPU faults on them);
		 * Linux leaves A (bit 5) set, which CPUs and QEMU accept.
		 */
		if (raw & (PTE_RW | PTE_US | PTE_PS | PTE_XD))
			return invalid(p, "reserved bits of a PDPTE set");
		return table(p, raw & addr_mask);
	}
	if (from_leaf == 0)
		return page(p, raw, raw & addr_mask, 4096);
	if (!(raw & PTE_PS))
		return table(p, raw & addr_mask);
	if (from_leaf == 1) {
		if (raw & mask_bits(20, 13))
			return invalid(p, "reserved bits of a 2 MiB page set");
		return page(p, raw, raw & mask_bits(m_phy - 1, 21), 2ULL << 20);
	}
	if (from_leaf == 2 && mode != MODE_PAE) {
		if (raw & mask_bits(29, 13))
			return invalid(p, "reserved bits of a 1 GiB page set");
		return page(p, raw, raw & mask_bits(m_phy - 1, 30), 1ULL << 30);
	}
	invalid(p, "page-size bit set where no large page exists");
}

static void intel_decode(const struct radix_shape *s, unsigned level, uint64_t raw, struct pte *p)
{
	enum intel_mode mode = (enum intel_mode)s->param[P_MODE];
	unsigned m_phy = (unsigned)s->param[P_MPHY];
	if (!(raw & PTE_P)) {
		p->kind = PTE_EMPTY;
		return;
	}
	if (mode == MODE_IA32)
		decode_ia32(m_phy, level, raw, p);
	else
		decode_64(mode, m_phy, level, s->levels, raw, p);
	attr_of(p, raw, mode != MODE_IA32);
	if (mode == MODE_PAE && level == 0)
		p->attr = ACC_U | ACC_W | ACC_X; /* PDPTEs carry no permissions */
}

static uint32_t intel_descend(const struct radix_shape *s, uint32_t acc, const struct pte *t)
{
	(void)s;
	return acc & t->attr;
}

static unsigned intel_leaf_perms(const struct radix_shape *s, uint32_t acc, const struct pte *p)
{
	(void)s;
	uint32_t eff = acc & p->attr;
	unsigned r = 4 | (eff & ACC_W ? 2 : 0) | (eff & ACC_X ? 1 : 0);
	return eff & ACC_U ? r : r << 3;
}

static bool intel_root_of(const struct radix_shape *s, uint64_t cr3, uint64_t *root)
{
	switch ((enum intel_mode)s->param[P_MODE]) {
	case MODE_IA32:
		*root = cr3 & 0xfffff000ULL;
		break;
	case MODE_PAE:
		*root = cr3 & 0xffffffe0ULL;
		break;
	default:
		/* Drops PCID (11..0), PWT/PCD and bit 63 (no-flush). */
		*root = cr3 & mask_bits((unsigned)s->param[P_MPHY] - 1, 12);
	}
	return true;
}

static void intel_describe(const struct radix_shape *s, unsigned level, const struct pte *p, struct sbuf *out)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} flags[] = {
		{PTE_P, "P"}, {PTE_RW, "RW"}, {PTE_US, "US"}, {PTE_PWT, "PWT"}, {PTE_PCD, "PCD"},
		{PTE_A, "A"}, {PTE_D, "D"}, {PTE_G, "G"},
	};
	bool leaf = p->kind == PTE_PAGE;
	for (size_t i = 0; i < ARRAY_LEN(flags); i++)
		if ((p->raw & flags[i].bit) && !(flags[i].bit == PTE_G && !leaf))
			sbuf_printf(out, "%s%s", out->len ? " " : "", flags[i].name);
	if (p->raw & PTE_PS)
		sbuf_printf(out, " %s", leaf && p->size == 4096 ? "PAT" : "PS");
	if (leaf && p->size > 4096 && (p->raw & (1ULL << 12)))
		sbuf_printf(out, " PAT");
	if (s->param[P_MODE] != MODE_IA32) {
		if (p->raw & PTE_XD)
			sbuf_printf(out, " XD");
		if (leaf && s->param[P_MODE] != MODE_PAE && bits_get(p->raw, 62, 59))
			sbuf_printf(out, " PK=%llu", (unsigned long long)bits_get(p->raw, 62, 59));
	}
	(void)level;
}

/* ---- IDT scan (algo-core 10.5, 10.6) ---------------------------------- */

static const char *const gate_names[] = {"invalid", "empty", "task", "interrupt", "trap"};

static const uint8_t required32[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14};
static const uint8_t required64[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 16, 17, 18, 19};

void intel_gate_decode(const uint8_t *g, bool wide, struct intel_gate *out)
{
	uint32_t lo = rd32(g, false), hi = rd32(g + 4, false);
	memset(out, 0, sizeof(*out));
	out->present = hi >> 15 & 1;
	out->dpl = hi >> 13 & 3;
	out->type = hi >> 8 & 0xf;
	out->selector = lo >> 16;
	out->handler = (uint64_t)(hi & 0xffff0000u) | (lo & 0xffff);
	if (!out->present) {
		out->kind = GATE_EMPTY;
		return;
	}
	out->kind = GATE_INVALID;
	if (wide) {
		uint32_t d2 = rd32(g + 8, false), d3 = rd32(g + 12, false);
		out->ist = hi & 7;
		out->handler |= (uint64_t)d2 << 32;
		if (d3 || (hi & 0x10f8) || out->type < 14 || out->dpl == 1 || out->dpl == 2)
			return;
		out->kind = out->type == 14 ? GATE_INTERRUPT : GATE_TRAP;
		return;
	}
	if ((hi & 0xff) || (hi & (1u << 12)) || !(hi & (1u << 10)) || out->dpl == 1 || out->dpl == 2)
		return;
	if (!(hi & (1u << 9))) {
		out->kind = GATE_TASK; /* Windows writes in a task gate's reserved fields: nothing more checked */
		return;
	}
	out->kind = (out->type & 7) == 6 ? GATE_INTERRUPT : GATE_TRAP;
	out->size32 = out->type >> 3 & 1;
}

const char *intel_gate_kind_name(int kind)
{
	return kind >= 0 && kind < (int)ARRAY_LEN(gate_names) ? gate_names[kind] : "?";
}

/* Number of leading non-invalid gates (<= 256) in buf, and whether they form a valid IDT. */
static unsigned idt_validate(const uint8_t *buf, size_t len, bool wide)
{
	unsigned gs = wide ? 16 : 8, n = 0;
	struct intel_gate g[256];
	while (n < 256 && (size_t)(n + 1) * gs <= len) {
		intel_gate_decode(buf + (size_t)n * gs, wide, &g[n]);
		if (g[n].kind == GATE_INVALID)
			break;
		n++;
	}
	const uint8_t *req = wide ? required64 : required32;
	size_t nreq = wide ? ARRAY_LEN(required64) : ARRAY_LEN(required32);
	if (n <= req[nreq - 1])
		return 0;
	for (size_t i = 0; i < nreq; i++) {
		const struct intel_gate *x = &g[req[i]];
		if (x->kind == GATE_EMPTY)
			return 0;
		if (req[i] == 3 && x->dpl != 3)
			return 0;
		if (req[i] != 1 && req[i] != 3 && req[i] != 4 && req[i] != 5 && x->dpl != 0)
			return 0;
		if (wide && x->kind != GATE_TASK && (x->handler >> 47) != 0x1ffff)
			return 0;
	}
	return n;
}

unsigned intel_idt_validate(const uint8_t *buf, size_t len, bool wide)
{
	return idt_validate(buf, len, wide);
}

struct idt_scan {
	struct analysis *a;
	bool wide;
	struct intel_idt **found;
	size_t *n, *cap;
	uint64_t *dropped;
	unsigned workers;
};

/* Cheap test of gate 0 (divide error) at p: present, DPL 0, and for 64-bit an upper-half handler. */
static inline bool gate0_plausible(const uint8_t *p, bool wide)
{
	uint32_t hi = rd32(p + 4, false);
	if ((hi & 0xe000) != 0x8000)
		return false;
	if (wide)
		return rd32(p + 12, false) == 0 && rd32(p + 8, false) == 0xffffffffu && (hi & 0x10f8) == 0 &&
		       ((hi >> 8 & 0xf) >= 14);
	return (hi & 0x10ff) == 0 && (hi & (1u << 10));
}

static void *idt_scan_begin(struct analysis *a, unsigned workers)
{
	struct idt_scan *s = xcalloc(1, sizeof(*s));
	s->a = a;
	s->wide = a->cfg.bits == 64;
	s->workers = workers;
	s->found = xcalloc(workers, sizeof(*s->found));
	s->n = xcalloc(workers, sizeof(*s->n));
	s->cap = xcalloc(workers, sizeof(*s->cap));
	s->dropped = xcalloc(workers, sizeof(*s->dropped));
	return s;
}

static void idt_try(struct idt_scan *s, unsigned worker, uint64_t addr)
{
	unsigned gs = s->wide ? 16 : 8;
	size_t head = (s->wide ? 20 : 15) * (size_t)gs;
	uint8_t buf[256 * 16];
	/* Gate 0, then the required gates: most starts fail there, at a fraction of the copy. */
	size_t got = physmem_read(&s->a->pm, addr, buf, gs);
	if (got < gs || !gate0_plausible(buf, s->wide))
		return;
	got = physmem_read(&s->a->pm, addr, buf, head);
	if (got < head || !idt_validate(buf, got, s->wide))
		return;
	/* Reads past the frame (and across adjacent regions) to see the whole table. */
	got = physmem_read(&s->a->pm, addr, buf, (size_t)256 * gs);
	unsigned n = idt_validate(buf, got, s->wide);
	if (!n)
		return;
	struct intel_idt idt = {.addr = addr, .gates = n, .size = (uint64_t)n * gs};
	/*
	 * A worker finds starts in address order: one inside its last table,
	 * in step with its gates, is that table again (drop_suffixes), and
	 * memory full of gates would otherwise give a record every 16 bytes.
	 */
	size_t k = s->n[worker];
	if (k) {
		const struct intel_idt *prev = &s->found[worker][k - 1];
		if (addr - prev->addr < prev->size && (addr - prev->addr) % gs == 0)
			return;
	}
	if (k >= radix_limits.idt_max) {
		s->dropped[worker]++;
		return;
	}
	VEC_PUSH(s->found[worker], s->n[worker], s->cap[worker], idt);
}

/* Offset of the first 32-bit word at or after i (< n) equal to 0xffffffff, or n; w is 4-byte aligned data. */
static uint64_t next_all_ones(const uint8_t *w, uint64_t i, uint64_t n)
{
	/* Eight words at a time: a lane of q is all ones iff that lane of ~q is zero. */
	for (; i + 8 <= n; i += 8) {
		uint64_t any = 0;
		for (int k = 0; k < 4; k++) {
			uint64_t q;
			memcpy(&q, w + (i + 2 * (uint64_t)k) * 4, 8);
			any |= (~q - 0x0000000100000001ULL) & q & 0x8000000080000000ULL;
		}
		if (any)
			break;
	}
	for (; i < n; i++) {
		uint32_t v;
		memcpy(&v, w + i * 4, 4);
		if (v == 0xffffffffu)
			return i;
	}
	return n;
}

/*
 * Every 4-byte offset may start an IDT.  The scan keys on the one word
 * that rules out most memory: for 16-byte gates, the handler's upper half
 * (0xffffffff); for 8-byte gates, present with DPL 0.  Gates that run past
 * the frame's end are read through physical memory.
 */
static void idt_scan_frame(void *ctx, unsigned worker, uint64_t addr, const uint8_t *frame, uint64_t len)
{
	struct idt_scan *s = ctx;
	unsigned gs = s->wide ? 16 : 8;
	uint64_t inside = len - gs; /* last offset whose gate 0 lies in the frame */
	if (s->wide) {
		uint64_t nwords = (len - 8) / 4;
		for (uint64_t i = next_all_ones(frame + 8, 0, nwords); i <= inside / 4;
		     i = next_all_ones(frame + 8, i + 1, nwords))
			if (gate0_plausible(frame + i * 4, true))
				idt_try(s, worker, addr + i * 4);
	} else {
		for (uint64_t off = 0; off <= inside; off += 4)
			if ((frame[off + 5] & 0xe0) == 0x80 && gate0_plausible(frame + off, false))
				idt_try(s, worker, addr + off);
	}
	for (uint64_t off = inside + 4; off + 4 <= len; off += 4)
		idt_try(s, worker, addr + off);
}

static void intel_extra_free(void *p)
{
	struct intel_idts *x = p;
	free(x->idt);
	free(x);
}

static int cmp_idt(const void *p, const void *q)
{
	const struct intel_idt *x = p, *y = q;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * A run of valid gates can also validate from a later gate (Linux's int
 * 0x80 gate has DPL 3, like #BP): such a start inside an earlier
 * candidate, in step with its gates, is the same table, not another.
 */
static void drop_suffixes(struct intel_idts *x)
{
	unsigned gs = x->wide ? 16 : 8;
	size_t w = 0;
	if (!x->n)
		return; /* qsort must not see the NULL array of an empty list */
	qsort(x->idt, x->n, sizeof(*x->idt), cmp_idt);
	for (size_t i = 0; i < x->n; i++) {
		if (w) {
			const struct intel_idt *prev = &x->idt[w - 1];
			uint64_t d = x->idt[i].addr - prev->addr;
			if (d < prev->size && d % gs == 0)
				continue;
		}
		x->idt[w++] = x->idt[i];
	}
	x->n = w;
}

static int idt_scan_end(struct analysis *a, void *ctx, struct err *e)
{
	struct idt_scan *s = ctx;
	struct intel_idts *x = xcalloc(1, sizeof(*x));
	size_t cap = 0;
	(void)e;
	for (unsigned w = 0; w < s->workers; w++) {
		for (size_t i = 0; i < s->n[w]; i++)
			VEC_PUSH(x->idt, x->n, cap, s->found[w][i]);
		free(s->found[w]);
		x->dropped += s->dropped[w];
	}
	x->wide = s->wide;
	drop_suffixes(x);
	/* The first by address: every later step is per IDT, so their number is bounded too. */
	if (x->n > radix_limits.idt_max) {
		x->dropped += x->n - radix_limits.idt_max;
		x->n = radix_limits.idt_max;
	}
	free(s->found);
	free(s->n);
	free(s->cap);
	free(s->dropped);
	free(s);
	if (a->radix) {
		a->radix->extra = x;
		a->radix->extra_free = intel_extra_free;
	} else {
		intel_extra_free(x);
	}
	return 0;
}

const struct intel_idts *intel_idts(const struct analysis *a)
{
	return a->radix && a->cfg.arch == &arch_intel ? a->radix->extra : NULL;
}

size_t intel_idt_gates(const struct analysis *a, uint64_t addr, struct intel_gate *g, size_t max)
{
	bool wide = a->cfg.bits == 64;
	unsigned gs = wide ? 16 : 8;
	uint8_t buf[256 * 16];
	size_t got = physmem_read(&a->pm, addr, buf, (size_t)MMU_MIN(max, 256) * gs), n = 0;
	while ((n + 1) * gs <= got) {
		intel_gate_decode(buf + n * gs, wide, &g[n]);
		if (g[n].kind == GATE_INVALID)
			break;
		n++;
	}
	return n;
}

/* Distinct handler pages of the present, non-task gates. */
static size_t handler_pages(const struct analysis *a, const struct intel_idt *idt, uint64_t *pages)
{
	struct intel_gate g[256];
	size_t n = intel_idt_gates(a, idt->addr, g, idt->gates), np = 0;
	for (size_t i = 0; i < n; i++) {
		if (g[i].kind != GATE_INTERRUPT && g[i].kind != GATE_TRAP)
			continue;
		uint64_t pg = align_down(g[i].handler, 4096);
		bool dup = false;
		for (size_t j = 0; j < np && !dup; j++)
			dup = pages[j] == pg;
		if (!dup)
			pages[np++] = pg;
	}
	return np;
}

unsigned intel_unresolved_handlers(struct analysis *a, const struct intel_idt *idt, uint64_t root)
{
	uint64_t pages[256];
	size_t np = handler_pages(a, idt, pages);
	unsigned errors = 0;
	for (size_t i = 0; i < np; i++) {
		struct radix_walk w;
		radix_resolve(a, &a->radix->space[0], root, pages[i], &w);
		errors += !w.ok;
	}
	return errors;
}

/*
 * The virtual address the IDT lives at.  IDTR is a per-CPU register that
 * a CR3 switch leaves alone, so every address space a CPU runs in maps
 * the IDT at the same virtual address: of the addresses where the
 * best-resolving tree maps it, the one most trees agree on.
 */
#define IDT_MAX_VIRTUAL 16

/* The address space of the last best root: IDTs mostly share it, and a walk may take seconds. */
struct vas_cache {
	uint64_t root;
	bool valid;
	struct vas v;
};

static bool idt_virtual(struct analysis *a, const struct intel_idt *idt, uint64_t best_root, const uint64_t *roots,
			size_t n, struct vas_cache *vc, uint64_t *va)
{
	const struct radix_space *sp = &a->radix->space[0];
	size_t best_count = 0, tried = 0;
	uint64_t best_span = UINT64_MAX;
	if (!vc->valid || vc->root != best_root) {
		if (vc->valid)
			vas_free(&vc->v);
		radix_vas(a, sp, best_root, &vc->v);
		vc->root = best_root;
		vc->valid = true;
	}
	const struct vas v = vc->v;
	for (size_t i = 0; i < v.n; i++) {
		if (idt->addr < v.r[i].pa || idt->addr - v.r[i].pa >= v.r[i].size)
			continue;
		/* A kernel maps its IDT at a handful of addresses; a tree mapping it everywhere is not worth n walks each. */
		if (++tried > IDT_MAX_VIRTUAL)
			break;
		uint64_t cand = v.r[i].va + (idt->addr - v.r[i].pa);
		size_t count = 0;
		for (size_t k = 0; k < n; k++) {
			struct radix_walk w;
			radix_resolve(a, sp, roots[k], cand, &w);
			count += w.ok && w.pa == idt->addr;
		}
		/*
		 * Ties (the direct map, the kernel image, a fixed mapping): the
		 * one in the smallest run of mapped pages.  Kernels give IDTR an
		 * address of its own (Linux: the CPU entry area, the fixmap), not
		 * a bulk linear map.
		 */
		size_t lo = i, hi = i;
		while (lo > 0 && v.r[lo - 1].va + v.r[lo - 1].size == v.r[lo].va)
			lo--;
		while (hi + 1 < v.n && v.r[hi].va + v.r[hi].size == v.r[hi + 1].va)
			hi++;
		uint64_t span = v.r[hi].va + v.r[hi].size - v.r[lo].va;
		if (count > best_count || (count == best_count && span <= best_span)) {
			best_count = count;
			best_span = span;
			*va = cand;
		}
	}
	return best_count > 0;
}

/*
 * The trees of one IDT: roots (consistent, not empty) that map it at its
 * virtual address (see idt_virtual) and resolve nearly as many handler
 * pages as the best of them.  The original kept only the best; but KPTI
 * user tables map the IDT and the entry code without every handler
 * (i386-pae: 1 of 3 handler pages missing), and they are real address
 * spaces.
 */
static void trees_of_idt(struct analysis *a, struct intel_idt *idt, const uint64_t *roots, size_t nroots,
			 struct vas_cache *vc, uint64_t *keep, unsigned *errors, size_t *nkeep)
{
	struct radix_space *sp = &a->radix->space[0];
	uint64_t pages[256];
	unsigned best = UINT32_MAX, slack = (unsigned)MMU_MAX(handler_pages(a, idt, pages) / 4, (size_t)1);
	struct radix_physq q;
	size_t n = 0, best_i = 0;
	radix_physq_init(&q, idt->addr);
	for (size_t i = 0; i < nroots; i++) {
		if (!radix_physq_maps(a, sp, &q, roots[i]))
			continue;
		keep[n] = roots[i];
		errors[n] = intel_unresolved_handlers(a, idt, roots[i]);
		if (errors[n] < best) {
			best = errors[n];
			best_i = n;
		}
		n++;
	}
	radix_physq_free(&q);
	*nkeep = 0;
	idt->min_errors = best;
	idt->has_va = n && idt_virtual(a, idt, keep[best_i], keep, n, vc, &idt->va);
	for (size_t i = 0; i < n; i++) {
		struct radix_walk w;
		if (errors[i] > best + slack)
			continue;
		if (idt->has_va) {
			radix_resolve(a, sp, keep[i], idt->va, &w);
			if (!w.ok || w.pa != idt->addr)
				continue;
		}
		keep[*nkeep] = keep[i];
		errors[(*nkeep)++] = errors[i];
	}
	idt->roots = (unsigned)*nkeep;
}

static int intel_select(struct analysis *a, struct err *e)
{
	struct radix_state *r = a->radix;
	struct intel_idts *x = r->extra;
	struct radix_space *sp = &r->space[0];
	if (!x || !x->n)
		return radix_select_generic(a, RADIX_START_DATA_OR_EMPTY, e);

	uint64_t *roots = NULL, *keep, pages[256];
	size_t nroots = 0, cap = 0;
	for (size_t i = 0; i < sp->ncand; i++)
		if ((sp->cand_levels[i] & 1) && !radix_root_problem(a, sp, sp->cand_addr[i]))
			VEC_PUSH(roots, nroots, cap, sp->cand_addr[i]);
	keep = xcalloc(nroots + 1, sizeof(*keep));
	unsigned *errors = xcalloc(nroots + 1, sizeof(*errors)), best = UINT32_MAX;
	bool *added = xcalloc(nroots + 1, sizeof(*added));
	struct vas_cache vc = {0, false, {0}};
	/*
	 * Each IDT costs walks in every root (its handler pages, its virtual
	 * addresses): IDTs are examined in address order while the total,
	 * counted both passes, stays within radix_limits.idt_work.
	 */
	uint64_t spent = 0;
	size_t examined = 0;
	int rc = 0;
	for (size_t j = 0; j < x->n; j++) {
		uint64_t cost = (uint64_t)(nroots + 1) * (handler_pages(a, &x->idt[j], pages) + 1 + IDT_MAX_VIRTUAL);
		if (spent + cost > radix_limits.idt_work / 2)
			break;
		spent += cost;
		examined++;
		size_t nkeep;
		trees_of_idt(a, &x->idt[j], roots, nroots, &vc, keep, errors, &nkeep);
		if (nkeep && x->idt[j].min_errors < best)
			best = x->idt[j].min_errors;
		if (progress_cancelled(&a->progress)) {
			rc = err_set(e, "cancelled");
			goto out;
		}
	}
	x->unexamined = x->n - examined;
	for (size_t j = examined; j < x->n; j++) {
		x->idt[j].roots = 0;
		x->idt[j].has_va = x->idt[j].chosen = false;
	}
	if (x->unexamined)
		snprintf(r->limit_note, sizeof(r->limit_note),
			 "%zu IDT candidate%s not examined: the walks of IDT candidates times root candidates reached their "
			 "limit (a dump made to slow the analysis?)",
			 x->unexamined, x->unexamined == 1 ? "" : "s");
	/*
	 * The IDTs that confirm trees: those whose handlers all resolve, or
	 * failing any, the least bad ones.
	 */
	for (size_t j = 0; j < examined; j++) {
		struct intel_idt *idt = &x->idt[j];
		idt->chosen = idt->roots && idt->min_errors == best;
		if (!idt->chosen)
			continue;
		size_t nkeep;
		trees_of_idt(a, idt, roots, nroots, &vc, keep, errors, &nkeep);
		for (size_t i = 0; i < nkeep; i++) {
			/* keep[] is a subset of the sorted roots: its index says whether it is a tree already. */
			const uint64_t *at = bsearch(&keep[i], roots, nroots, sizeof(*roots), cmp_u64_asc);
			if (!at || added[at - roots])
				continue;
			added[at - roots] = true;
			const struct radix_check *c = radix_check(a, sp, keep[i], 0);
			struct radix_tree t = {.root = keep[i], .kernel_bytes = c->kernel_bytes,
					       .user_bytes = c->user_bytes, .anchor = idt->addr, .has_anchor = true,
					       .anchor_errors = errors[i]};
			if (!c->user_bytes)
				t.flags |= RADIX_TREE_KERNEL_ONLY;
			radix_add_tree(r, &t);
		}
	}
out:
	if (vc.valid)
		vas_free(&vc.v);
	free(added);
	free(roots);
	free(keep);
	free(errors);
	return rc;
}

static void idt_save(const void *extra, struct sess_w *w)
{
	const struct intel_idts *x = extra;
	sw_u8(w, x->wide);
	sw_u64(w, x->n);
	for (size_t i = 0; i < x->n; i++) {
		const struct intel_idt *d = &x->idt[i];
		sw_u64(w, d->addr);
		sw_u64(w, d->size);
		sw_u32(w, d->gates);
		sw_u32(w, d->roots);
		sw_u32(w, d->min_errors);
		sw_u8(w, d->chosen);
		sw_u8(w, d->has_va);
		sw_u64(w, d->va);
	}
}

static int idt_load(struct analysis *a, struct radix_state *st, struct sess_r *r, struct err *e)
{
	struct intel_idts *x = xcalloc(1, sizeof(*x));
	x->wide = sr_u8(r);
	size_t n = (size_t)sr_count(r, 38);
	st->extra = x;
	st->extra_free = intel_extra_free;
	if (n > radix_limits.idt_max)
		return err_set(e, "%zu IDT candidates, more than the %zu a scan keeps", n, radix_limits.idt_max);
	x->n = n;
	x->idt = xcalloc(x->n + 1, sizeof(*x->idt));
	for (size_t i = 0; i < x->n; i++) {
		struct intel_idt *d = &x->idt[i];
		d->addr = sr_u64(r);
		d->size = sr_u64(r);
		d->gates = sr_u32(r);
		d->roots = sr_u32(r);
		d->min_errors = sr_u32(r);
		d->chosen = sr_u8(r);
		d->has_va = sr_u8(r);
		d->va = sr_u64(r);
	}
	if (x->wide != (a->cfg.bits == 64))
		return err_set(e, "IDT gate size does not match this machine");
	return r->bad ? -1 : 0;
}

static const struct radix_ops intel_radix = {
	.shapes = intel_shapes,
	.decode = intel_decode,
	.root_attr = ACC_U | ACC_W | ACC_X,
	.descend = intel_descend,
	.leaf_perms = intel_leaf_perms,
	.root_of = intel_root_of,
	.describe = intel_describe,
	.scan_begin = idt_scan_begin,
	.scan_frame = idt_scan_frame,
	.scan_end = idt_scan_end,
	.select = intel_select,
	.report_scan = intel_report_scan,
	.extra_save = idt_save,
	.extra_load = idt_load,
};

static const char *const intel_pipeline[] = {"parse_memory", "find_radix_trees", NULL};

const struct arch_ops arch_intel = {
	.name = "intel",
	.about = "Intel x86 (IA-32, PAE, IA-32e)",
	.endians = 1u << ENDIAN_LITTLE,
	.modes = intel_modes,
	.nmodes = ARRAY_LEN(intel_modes),
	.check_config = intel_check_config,
	.radix = &intel_radix,
	.parse_memory = radix_scan,
	.pipeline = intel_pipeline,
	.commands = intel_commands,
	.findings = &intel_findings,
};
