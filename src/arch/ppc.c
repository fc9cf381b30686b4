/*
 * PowerPC 32-bit: hashed page tables, BATs and segment registers.
 * parse_memory scans the code for MMU register writes and RAM for hash
 * tables; the commands here show the tables, compare them with the ground
 * truth, and translate addresses through BATs, segment registers and a
 * table (resolve).
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "config.h"
#include "gtruth.h"
#include "physmem.h"
#include "ppc.h"
#include "regrec.h"
#include "session.h"
#include "table.h"

/* Register recovery from code: ppc-regrec.c. */
extern const struct regrec_ops ppc_regrec;

static const struct mmu_mode_info ppc_modes[] = {
	{"ppc32", "PowerPC 32-bit hashed page table (HTAB), BATs, segment registers", 32},
};

static struct htab_state *htabs(const struct analysis *a)
{
	return a->arch_state_free == htab_state_free ? a->arch_state : NULL;
}

const struct htab_state *ppc_htabs(const struct analysis *a)
{
	return htabs(a);
}

static int ppc_parse_memory(struct analysis *a, struct err *e)
{
	if (regrec_scan(a, e))
		return -1;
	if (!htabs(a)) {
		if (a->arch_state_free)
			a->arch_state_free(a->arch_state);
		a->arch_state = xcalloc(1, sizeof(struct htab_state));
		a->arch_state_free = htab_state_free;
	}
	return htab_scan(a, htabs(a), e);
}

/* ---- SDR1 values that confirm a table ---- */

struct sdr1_set {
	uint32_t v[64];
	size_t n;
};

static void sdr1_add(struct sdr1_set *s, uint64_t v)
{
	if (s->n < ARRAY_LEN(s->v) && !regrec_check(&ppc_regrec.regs[0], v, 0))
		s->v[s->n++] = (uint32_t)v;
}

/* Every valid SDR1 value recovered from code, configured or set. */
static void sdr1_known(const struct analysis *a, struct sdr1_set *s)
{
	s->n = 0;
	const struct config_kv *kv = config_register(&a->cfg, "SDR1");
	if (kv && kv->is_int)
		sdr1_add(s, kv->value);
	const struct reg_results *r = a->regs;
	if (!r)
		return;
	const struct regrec_regres *rr = &r->regs[0];
	if (rr->overridden)
		sdr1_add(s, rr->override);
	for (size_t i = 0; r->found && i < rr->ncands; i++)
		if (!rr->cands[i].unknown)
			sdr1_add(s, rr->cands[i].value);
}

static bool names_table(const struct sdr1_set *s, const struct htab *t)
{
	for (size_t i = 0; i < s->n; i++)
		if (sdr1_table_addr(s->v[i]) == t->addr && sdr1_table_size(s->v[i]) == t->size)
			return true;
	return false;
}

uint32_t ppc_implied_sdr1(const struct htab *t)
{
	return (uint32_t)(t->addr | (t->size / HTAB_MIN - 1));
}

static uint32_t sdr1_of(const struct htab *t)
{
	return ppc_implied_sdr1(t);
}

static const char *htab_evidence(const struct sdr1_set *s, const struct htab *t)
{
	return names_table(s, t) ? "SDR1 names it" : t->checked ? "hash-checked" : "64 KiB, not hash-checkable";
}

/* Display order: confirmed by SDR1, then hash-checked, then 64 KiB tables; larger first. */
static int rank_of(const struct sdr1_set *s, const struct htab *t)
{
	return names_table(s, t) ? 0 : t->checked ? 1 : 2;
}

static size_t ranked(const struct analysis *a, const struct htab_state *st, size_t *order)
{
	struct sdr1_set s;
	sdr1_known(a, &s);
	size_t n = 0;
	for (int r = 0; r < 3; r++)
		for (size_t i = st->n; i-- > 0;)
			if (rank_of(&s, &st->v[i]) == r)
				order[n++] = i;
	return n;
}

size_t ppc_htab_ranked(const struct analysis *a, size_t *order, const char **evidence)
{
	const struct htab_state *st = htabs(a);
	struct sdr1_set s;
	if (!st)
		return 0;
	sdr1_known(a, &s);
	size_t n = ranked(a, st, order);
	for (size_t k = 0; evidence && k < n; k++)
		evidence[k] = htab_evidence(&s, &st->v[order[k]]);
	return n;
}

static void table_json(struct json *j, const struct htab *t, bool sdr1)
{
	json_obj_begin(j, NULL);
	json_hex(j, "address", t->addr);
	json_u64(j, "size", t->size);
	json_u64(j, "ptes", t->ptes);
	json_u64(j, "vsids", t->vsids);
	json_u64(j, "rpns", t->rpns);
	json_double(j, "entropy", t->entropy);
	json_bool(j, "hash_checked", t->checked);
	json_hex(j, "implied_sdr1", sdr1_of(t));
	json_bool(j, "sdr1", sdr1);
	json_obj_end(j);
}

static void ppc_parse_report(struct analysis *a, struct cmd_out *o)
{
	const struct htab_state *st = htabs(a);
	struct json *j = &o->json;
	json_obj_begin(j, NULL);
	regrec_report_sites(a, o);
	if (st) {
		sbuf_printf(&o->text, "Hash tables: %zu found in %.2f s (%llu chunks of 64 KiB, %llu look like PTE groups, "
				      "%llu of them hold PTEs)\n",
			    st->n, st->seconds, (unsigned long long)st->chunks, (unsigned long long)st->fragments,
			    (unsigned long long)st->nonempty);
		json_obj_begin(j, "hash_tables");
		json_double(j, "seconds", st->seconds);
		json_u64(j, "chunks", st->chunks);
		json_u64(j, "fragments", st->fragments);
		json_u64(j, "fragments_with_ptes", st->nonempty);
		json_u64(j, "found", st->n);
		json_obj_end(j);
	}
	json_obj_end(j);
}

/* ---- show_hashtables ---- */

static const struct htab_state *parsed_or_fail(const struct analysis *a, struct err *e)
{
	const struct htab_state *st = htabs(a);
	if (!st)
		err_set(e, "no hash tables yet: run parse_memory first");
	return st;
}

static int run_show_hashtables(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	(void)argc, (void)argv;
	static const char *const head[] = {"Address", "Size", "PTEs", "VSIDs", "RPNs", "Entropy", "Implied SDR1", "Evidence"};
	const struct htab_state *st = parsed_or_fail(a, e);
	if (!st)
		return -1;
	struct sdr1_set s;
	sdr1_known(a, &s);
	size_t *order = xcalloc(st->n + 1, sizeof(*order)), n = ranked(a, st, order);
	struct table t;
	table_init(&t, 8, head);
	t.right_align = 0xFEu;
	struct json *j = &o->json;
	json_obj_begin(j, NULL);
	json_arr_begin(j, "hash_tables");
	for (size_t k = 0; k < n; k++) {
		const struct htab *h = &st->v[order[k]];
		bool named = names_table(&s, h);
		table_json(j, h, named);
		table_cell(&t, "0x%08" PRIx64, h->addr);
		table_cell(&t, "0x%" PRIx64, h->size);
		table_cell(&t, "%u", h->ptes);
		table_cell(&t, "%u", h->vsids);
		table_cell(&t, "%u", h->rpns);
		table_cell(&t, "%.2f", h->entropy);
		table_cell(&t, "0x%08x", sdr1_of(h));
		table_cell(&t, "%s", htab_evidence(&s, h));
	}
	json_arr_end(j);
	json_u64(j, "count", n);
	json_obj_end(j);
	if (n)
		table_render(&t, &o->text);
	sbuf_printf(&o->text, "%zu hash table%s\n", n, n == 1 ? "" : "s");
	table_free(&t);
	free(order);
	return 0;
}

const struct command cmd_show_hashtables = {
	.name = "show_hashtables",
	.usage = "",
	.summary = "PowerPC hash tables found by parse_memory: address, size, PTEs, the SDR1 each implies",
	.max_args = 0,
	.run = run_show_hashtables,
};

/* ---- show_hashtable ADDRESS SIZE ---- */

void ppc_srs_known(const struct analysis *a, struct ppc_srs *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned sr = 0; sr < 16; sr++) {
		char name[8];
		uint64_t v;
		const char *origin;
		snprintf(name, sizeof(name), "sr%u", sr);
		/* T = 1: a direct-store segment, no VSID. */
		if (!registers_value(a, name, &v, &origin) && !(v & SR_T)) {
			s->v[sr] = (uint32_t)v;
			s->known |= (uint16_t)(1u << sr);
		}
	}
}

bool ppc_pte_ea(const struct ppc_srs *s, uint64_t table, uint32_t w0, uint64_t pte_addr, uint64_t *ea)
{
	uint32_t hash = (uint32_t)((pte_addr - table) >> 6) & 0x3FF;
	if (w0 & PTE0_H)
		hash ^= 0x3FF;
	uint32_t vsid = pte_vsid(w0), pi = (w0 & PTE0_API_MASK) << API_SHIFT | ((hash ^ vsid) & 0x3FF);
	for (unsigned sr = 0; s && sr < 16; sr++)
		if ((s->known >> sr & 1) && (s->v[sr] & SR_VSID_MASK) == vsid) {
			*ea = (uint64_t)sr << 28 | (uint64_t)pi << PAGE_SHIFT;
			return true;
		}
	return false;
}

static int valid_size(uint64_t size)
{
	return size >= HTAB_MIN && size <= (1ULL << HTAB_MAX_SHIFT) && !(size & (size - 1));
}

static int run_show_hashtable(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	(void)argc;
	static const char *const head[] = {"Entry address", "VSID", "RPN", "API", "Secondary hash", "Referenced",
					   "Changed", "WIMG", "PP", "Virtual address"};
	uint64_t addr, size;
	if (cmd_arg_u64("ADDRESS", argv[0], &addr, e) || cmd_arg_u64("SIZE", argv[1], &size, e))
		return -1;
	if (!valid_size(size)) {
		struct sbuf b = {0};
		for (int s = HTAB_MIN_SHIFT; s <= HTAB_MAX_SHIFT; s++)
			sbuf_printf(&b, "%s%llu", s == HTAB_MIN_SHIFT ? "" : ", ", 1ULL << s);
		err_set(e, "Invalid order table. Valid sizes are [%s]", b.s);
		sbuf_free(&b);
		return -1;
	}
	if (addr % size || !physmem_range_is_ram(&a->pm, addr, size))
		return err_set(e, "0x%" PRIx64 " is not the start of %" PRIu64 " bytes of RAM aligned on their size", addr, size);
	uint64_t *ptes;
	size_t n;
	const char *why;
	struct json *j = &o->json;
	json_obj_begin(j, NULL);
	json_hex(j, "address", addr);
	json_u64(j, "size", size);
	if (htab_parse(&a->pm, addr, size, &ptes, &n, &why)) {
		sbuf_printf(&o->text, "Table not present or malformed: %s\n", why);
		json_bool(j, "present", false);
		json_str(j, "reason", why);
		json_obj_end(j);
		return 0;
	}
	json_bool(j, "present", true);
	json_arr_begin(j, "ptes");
	struct table t;
	table_init(&t, 10, head);
	struct ppc_srs srs;
	ppc_srs_known(a, &srs);
	for (size_t i = 0; i < n; i++) {
		uint32_t w0 = 0, w1 = 0;
		physmem_read_u32(&a->pm, ptes[i], &w0);
		physmem_read_u32(&a->pm, ptes[i] + 4, &w1);
		uint64_t ea = 0;
		bool has_ea = ppc_pte_ea(&srs, addr, w0, ptes[i], &ea);
		unsigned wimg = (w1 >> PTE1_WIMG_SHIFT) & 0xF;
		char bits[8];
		for (int b = 0; b < 4; b++)
			bits[b] = (char)('0' + ((wimg >> (3 - b)) & 1));
		bits[4] = '\0';
		table_cell(&t, "0x%08" PRIx64, ptes[i]);
		table_cell(&t, "0x%x", pte_vsid(w0));
		table_cell(&t, "0x%x", pte_rpn(w1));
		table_cell(&t, "0x%x", w0 & PTE0_API_MASK);
		table_cell(&t, "%s", w0 & PTE0_H ? "True" : "False");
		table_cell(&t, "%s", w1 & PTE1_R ? "True" : "False");
		table_cell(&t, "%s", w1 & PTE1_C ? "True" : "False");
		table_cell(&t, "0b%s", bits);
		table_cell(&t, "0x%x", w1 & PTE1_PP_MASK);
		if (has_ea)
			table_cell(&t, "0x%08" PRIx64, ea);
		else
			table_cell(&t, "-");
		json_obj_begin(j, NULL);
		json_hex(j, "entry", ptes[i]);
		json_hex(j, "vsid", pte_vsid(w0));
		json_hex(j, "rpn", pte_rpn(w1));
		json_hex(j, "api", w0 & PTE0_API_MASK);
		json_bool(j, "secondary", w0 & PTE0_H);
		json_bool(j, "referenced", w1 & PTE1_R);
		json_bool(j, "changed", w1 & PTE1_C);
		json_u64(j, "wimg", wimg);
		json_u64(j, "pp", w1 & PTE1_PP_MASK);
		if (has_ea)
			json_hex(j, "virtual_address", ea);
		else
			json_null(j, "virtual_address");
		json_obj_end(j);
	}
	json_arr_end(j);
	json_u64(j, "count", n);
	json_obj_end(j);
	table_render(&t, &o->text);
	sbuf_printf(&o->text, "%zu PTE%s\n", n, n == 1 ? "" : "s");
	table_free(&t);
	free(ptes);
	return 0;
}

const struct command cmd_show_hashtable = {
	.name = "show_hashtable",
	.usage = "ADDRESS SIZE",
	.summary = "PowerPC: the valid PTEs of a hash table, with the virtual address when a segment register is known",
	.min_args = 2,
	.max_args = 2,
	.run = run_show_hashtable,
};

/* ---- show_hashtables_gtruth (5.3) ---- */

const char *ppc_htab_gt_class_name(enum htab_gt_class c)
{
	static const char *const names[] = {"tp", "size_mismatch", "boot_only", "fn", "fp"};
	return names[c];
}

static void htab_gt_add(struct htab_gt *g, const struct htab_gt_item *it)
{
	VEC_PUSH(g->v, g->n, g->cap, *it);
}

/* A ground-truth sdr1 entry with VSIDs, by the table it names. */
struct sdr1_vsids {
	uint64_t addr, size;
	const struct gt_value *v;
};

static int cmp_sdr1_vsids(const void *a, const void *b)
{
	const struct sdr1_vsids *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

/*
 * 5.3: the VSIDs the ground truth logged for the table at it (every sdr1
 * entry naming it: log, sorted by table), and how many of them its PTEs hold.
 */
static void htab_gt_vsids(const struct analysis *a, const struct sdr1_vsids *log, size_t nlog, struct htab_gt_item *it)
{
	it->vsids_logged = -1;
	uint64_t *logged = NULL;
	size_t nl = 0, cap = 0, lo = 0, hi = nlog;
	const struct sdr1_vsids key = {it->addr, it->size, NULL};
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_sdr1_vsids(&log[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == nlog || cmp_sdr1_vsids(&log[lo], &key))
		return;
	for (size_t i = lo; i < nlog && !cmp_sdr1_vsids(&log[i], &key); i++)
		for (size_t k = 0; k < log[i].v->nvsids; k++)
			VEC_PUSH(logged, nl, cap, log[i].v->vsids[k]);
	nl = sort_unique_u64(logged, nl);
	uint64_t *ptes = NULL, *have = NULL;
	size_t n = 0;
	const char *why;
	unsigned in = 0;
	if (nl && !htab_parse(&a->pm, it->addr, it->size, &ptes, &n, &why)) {
		have = xcalloc(n ? n : 1, sizeof(*have));
		for (size_t i = 0; i < n; i++) {
			uint32_t w0 = 0;
			physmem_read_u32(&a->pm, ptes[i], &w0);
			have[i] = pte_vsid(w0);
		}
		size_t nh = sort_unique_u64(have, n);
		for (size_t k = 0; k < nl; k++)
			in += bsearch(&logged[k], have, nh, sizeof(*have), cmp_u64_asc) != NULL;
	}
	it->vsids_logged = (int)MMU_MIN(nl, (size_t)INT32_MAX);
	it->vsids_in_table = (int)in;
	free(ptes);
	free(have);
	free(logged);
}

int ppc_htab_gtruth(struct analysis *a, struct htab_gt *g, struct err *e)
{
	memset(g, 0, sizeof(*g));
	if (!a->has_gt)
		return err_set(e, "no ground truth: start mmushell with --gtruth FILE");
	const struct htab_state *st = parsed_or_fail(a, e);
	if (!st)
		return -1;
	/* Distinct valid SDR1 values, one table per address (a later value replaces an earlier one). */
	const struct gt_value *latest = gtruth_latest(&a->gt, "sdr1");
	struct sdr1_vsids *log = NULL;
	size_t ngt = 0, nlog = 0, logcap = 0;
	for (size_t i = 0; i < a->gt.nvalues; i++) {
		const struct gt_value *v = &a->gt.values[i];
		if (strcasecmp_ascii(v->name, "sdr1"))
			continue;
		if (v->has_vsids)
			VEC_PUSH(log, nlog, logcap,
				 ((struct sdr1_vsids){sdr1_table_addr((uint32_t)v->value), sdr1_table_size((uint32_t)v->value), v}));
		if (regrec_check(&ppc_regrec.regs[0], v->value, 0))
			continue;
		struct htab_gt_item t = {sdr1_table_addr((uint32_t)v->value), sdr1_table_size((uint32_t)v->value),
					 (uint32_t)v->value, v->first_seen, v->last_seen, -1, HG_FN, -1, 0};
		size_t k = 0;
		while (k < ngt && g->v[k].addr != t.addr)
			k++;
		if (k == ngt) {
			htab_gt_add(g, &t);
			ngt++;
		} else if (t.last > g->v[k].last) {
			g->v[k] = t;
		}
	}
	if (nlog)
		qsort(log, nlog, sizeof(*log), cmp_sdr1_vsids);
	for (size_t k = 0; k < ngt; k++) {
		struct htab_gt_item *it = &g->v[k];
		bool exact = false;
		for (size_t i = 0; i < st->n; i++)
			if (st->v[i].addr == it->addr && (it->found < 0 || !exact)) {
				exact = st->v[i].size == it->size;
				it->found = (int)i;
			}
		/* Superseded before the table in use was first loaded: only used while booting. */
		bool boot_only = latest && it->last < latest->first_seen;
		it->cls = exact ? HG_TP : it->found >= 0 ? HG_SIZE_MISMATCH : boot_only ? HG_BOOT : HG_FN;
		g->tp += exact;
		g->mismatch += it->cls == HG_SIZE_MISMATCH;
		g->fn += it->cls == HG_SIZE_MISMATCH || it->cls == HG_FN;
		g->boot += it->cls == HG_BOOT;
		if (exact)
			htab_gt_vsids(a, log, nlog, it);
	}
	free(log);
	for (size_t i = 0; i < st->n; i++) {
		bool pair = false;
		for (size_t k = 0; k < ngt; k++)
			pair |= g->v[k].addr == st->v[i].addr && g->v[k].size == st->v[i].size;
		if (pair)
			continue;
		struct htab_gt_item fp = {st->v[i].addr, st->v[i].size, 0, 0, 0, (int)i, HG_FP, -1, 0};
		htab_gt_add(g, &fp);
		g->fp++;
	}
	return 0;
}

void ppc_htab_gt_free(struct htab_gt *g)
{
	free(g->v);
	memset(g, 0, sizeof(*g));
}

/* The fraction of logged VSIDs the table holds (1 when none was logged: nothing is missing). */
static double vsid_fraction(const struct htab_gt_item *it)
{
	return it->vsids_logged > 0 ? (double)it->vsids_in_table / it->vsids_logged : 1.0;
}

static int run_hashtables_gtruth(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	(void)argc, (void)argv;
	static const char *const head[] = {"Address", "Size", "Found", "Correct size", "First seen", "Last seen", "Class"};
	struct htab_gt g;
	if (ppc_htab_gtruth(a, &g, e))
		return -1;
	struct table t;
	table_init(&t, 7, head);
	struct json *j = &o->json;
	json_obj_begin(j, NULL);
	json_arr_begin(j, "tables");
	for (size_t k = 0; k < g.n; k++) {
		const struct htab_gt_item *it = &g.v[k];
		const char *cls = ppc_htab_gt_class_name(it->cls);
		table_cell(&t, "0x%08" PRIx64, it->addr);
		table_cell(&t, "0x%" PRIx64, it->size);
		if (it->cls == HG_FP) {
			for (int c = 0; c < 4; c++)
				table_cell(&t, "%s", "");
			table_cell(&t, "%s", cls);
			json_obj_begin(j, NULL);
			json_hex(j, "address", it->addr);
			json_u64(j, "size", it->size);
			json_str(j, "class", cls);
			json_obj_end(j);
			continue;
		}
		table_cell(&t, "%s", it->found >= 0 ? "X" : "");
		table_cell(&t, "%s", it->cls == HG_TP ? "X" : "");
		table_cell(&t, "%.2f", it->first);
		table_cell(&t, "%.2f", it->last);
		table_cell(&t, "%s", cls);
		json_obj_begin(j, NULL);
		json_hex(j, "address", it->addr);
		json_u64(j, "size", it->size);
		json_hex(j, "sdr1", it->sdr1);
		json_double(j, "first_seen", it->first);
		json_double(j, "last_seen", it->last);
		json_str(j, "class", cls);
		if (it->vsids_logged >= 0) {
			json_u64(j, "vsids_logged", (uint64_t)it->vsids_logged);
			json_u64(j, "vsids_in_table", (uint64_t)it->vsids_in_table);
			json_double(j, "vsid_fraction", vsid_fraction(it));
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	json_u64(j, "tp", g.tp);
	json_u64(j, "fp", g.fp);
	json_u64(j, "fn", g.fn);
	json_u64(j, "size_mismatch", g.mismatch);
	json_u64(j, "boot_only", g.boot);
	json_obj_end(j);
	table_render(&t, &o->text);
	sbuf_printf(&o->text, "TP: %u  FP: %u  FN: %u", g.tp, g.fp, g.fn);
	if (g.mismatch)
		sbuf_printf(&o->text, "  (%u at the right address with the wrong size, counted as FN and FP)", g.mismatch);
	sbuf_printf(&o->text, "\n");
	if (g.boot)
		sbuf_printf(&o->text, "%u table%s used only while booting (superseded before the newest SDR1 was first "
				      "seen): not counted as false negative%s\n",
			    g.boot, g.boot == 1 ? "" : "s", g.boot == 1 ? "" : "s");
	for (size_t k = 0; k < g.n; k++)
		if (g.v[k].vsids_logged >= 0)
			sbuf_printf(&o->text, "Table 0x%08" PRIx64 ": %d of %d logged VSID%s among its PTEs (%.1f%%)\n", g.v[k].addr,
				    g.v[k].vsids_in_table, g.v[k].vsids_logged, g.v[k].vsids_logged == 1 ? "" : "s",
				    100 * vsid_fraction(&g.v[k]));
	table_free(&t);
	ppc_htab_gt_free(&g);
	return 0;
}

const struct command cmd_show_hashtables_gtruth = {
	.name = "show_hashtables_gtruth",
	.usage = "",
	.summary = "PowerPC hash tables against the SDR1 values of the ground truth: TP, FP, FN, size mismatch, boot-only",
	.max_args = 0,
	.run = run_hashtables_gtruth,
};

/* ---- resolve VADDR [VSID] ---- */

static bool reg_in_force(const struct analysis *a, const char *name, uint32_t *v)
{
	uint64_t x, unknown;
	const char *origin;
	if (registers_value_unknown(a, name, &x, &unknown, &origin, NULL) || unknown)
		return false;
	*v = (uint32_t)x;
	return true;
}

/* A BAT pair mapping ea (DBATs first: data accesses are what resolve is asked about). */
static bool bat_hit(const struct analysis *a, uint32_t ea, char *name, uint32_t *pa)
{
	static const char *const kinds[] = {"dbat", "ibat"};
	for (int k = 0; k < 2; k++)
		for (int n = 0; n < 4; n++) {
			char un[8], ln[8];
			uint32_t u, l;
			snprintf(un, sizeof(un), "%s%du", kinds[k], n);
			snprintf(ln, sizeof(ln), "%s%dl", kinds[k], n);
			if (!reg_in_force(a, un, &u) || !reg_in_force(a, ln, &l) || !(u & (BATU_VS | BATU_VP)))
				continue;
			uint32_t mask = (uint32_t)(bat_block_size(u) - 1);
			if ((ea & ~mask) != (u & BAT_BEPI_MASK & ~mask))
				continue;
			snprintf(name, 8, "%s%d", kinds[k], n);
			*pa = (l & BAT_BEPI_MASK & ~mask) | (ea & mask);
			return true;
		}
	return false;
}

/* The table to translate through: SDR1 in force when valid, else the best table parse_memory found. */
static bool table_in_force(const struct analysis *a, uint32_t *sdr1, const char **origin)
{
	uint64_t v;
	if (!registers_value(a, "sdr1", &v, origin) && !regrec_check(&ppc_regrec.regs[0], v, 0)) {
		*sdr1 = (uint32_t)v;
		return true;
	}
	const struct htab_state *st = htabs(a);
	if (!st || !st->n)
		return false;
	size_t *order = xcalloc(st->n, sizeof(*order));
	ranked(a, st, order);
	*sdr1 = sdr1_of(&st->v[order[0]]);
	free(order);
	*origin = "parse_memory";
	return true;
}

/* Searches one PTEG for the page; the entry's address, or 0. */
static uint64_t pteg_search(const struct analysis *a, uint64_t pteg, uint32_t want0, uint32_t *w1)
{
	for (int i = 0; i < 8; i++) {
		uint32_t w0;
		if (physmem_read_u32(&a->pm, pteg + PTE_SIZE * i, &w0) && w0 == want0 &&
		    physmem_read_u32(&a->pm, pteg + PTE_SIZE * i + 4, w1))
			return pteg + PTE_SIZE * i;
	}
	return 0;
}

static int ppc_resolve(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	uint64_t ea64, vsid64 = 0;
	if (argc > 2)
		return err_set(e, "usage: resolve VADDR [VSID]");
	if (cmd_arg_u64("VADDR", argv[0], &ea64, e) || (argc > 1 && cmd_arg_u64("VSID", argv[1], &vsid64, e)))
		return -1;
	if (ea64 > UINT32_MAX)
		return err_set(e, "0x%" PRIx64 " is not a 32-bit effective address", ea64);
	if (vsid64 > SR_VSID_MASK)
		return err_set(e, "a VSID has 24 bits (got 0x%" PRIx64 ")", vsid64);
	uint32_t ea = (uint32_t)ea64, pa;
	struct json *j = &o->json;
	char bat[8];
	json_obj_begin(j, NULL);
	json_hex(j, "virtual_address", ea);
	if (argc == 1 && bat_hit(a, ea, bat, &pa)) {
		json_str(j, "via", "bat");
		json_str(j, "bat", bat);
		json_bool(j, "ok", true);
		json_hex(j, "physical_address", pa);
		json_obj_end(j);
		sbuf_printf(&o->text, "0x%08x -> 0x%08x  (%s, block translation)\n", ea, pa, bat);
		return 0;
	}
	unsigned seg = ea >> 28;
	uint32_t sr, sdr1;
	const char *origin;
	if (argc > 1) {
		sr = (uint32_t)vsid64;
	} else {
		char name[8];
		snprintf(name, sizeof(name), "sr%u", seg);
		if (!reg_in_force(a, name, &sr) || (sr & SR_T)) {
			json_obj_end(j);
			return err_set(e, "SR%u is not known (find_registers_values, or cpu.registers_values): give the VSID",
				       seg);
		}
	}
	if (!table_in_force(a, &sdr1, &origin)) {
		json_obj_end(j);
		return err_set(e, "no hash table: run parse_memory or give SDR1 in cpu.registers_values");
	}
	uint32_t vsid = sr & SR_VSID_MASK, pi = (ea >> PAGE_SHIFT) & PI_MASK, api = pi >> API_SHIFT;
	uint32_t hash = htab_hash(vsid, pi);
	uint64_t pteg[2] = {htab_pteg(sdr1, hash), htab_pteg(sdr1, hash ^ HASH_MASK)}, at = 0;
	uint32_t w1 = 0, h = 0;
	for (h = 0; h < 2 && !at; h++)
		at = pteg_search(a, pteg[h], PTE0_V | vsid << PTE0_VSID_SHIFT | (h ? PTE0_H : 0) | api, &w1);
	json_str(j, "via", "hash_table");
	json_u64(j, "segment", seg);
	json_hex(j, "vsid", vsid);
	json_str(j, "vsid_origin", argc > 1 ? "given" : "segment_register");
	json_hex(j, "sdr1", sdr1);
	json_str(j, "sdr1_origin", origin);
	json_hex(j, "primary_pteg", pteg[0]);
	json_hex(j, "secondary_pteg", pteg[1]);
	/* A VSID typed by the user is not what SRn holds: say where it came from. */
	if (argc > 1)
		sbuf_printf(&o->text, "VSID 0x%x (given; segment %u); page index 0x%x; table 0x%" PRIx64 " (%s)\n", vsid, seg,
			    pi, sdr1_table_addr(sdr1), origin);
	else
		sbuf_printf(&o->text, "SR%u: VSID 0x%x; page index 0x%x; table 0x%" PRIx64 " (%s)\n", seg, vsid, pi,
			    sdr1_table_addr(sdr1), origin);
	sbuf_printf(&o->text, "primary PTEG 0x%08" PRIx64 ", secondary PTEG 0x%08" PRIx64 "\n", pteg[0], pteg[1]);
	json_bool(j, "ok", at != 0);
	if (at) {
		pa = pte_rpn(w1) << PAGE_SHIFT | (ea & ((1u << PAGE_SHIFT) - 1));
		json_hex(j, "pte", at);
		json_bool(j, "secondary", h == 2);
		json_hex(j, "physical_address", pa);
		json_u64(j, "wimg", (w1 >> PTE1_WIMG_SHIFT) & 0xF);
		json_u64(j, "pp", w1 & PTE1_PP_MASK);
		sbuf_printf(&o->text, "0x%08x -> 0x%08x  (PTE at 0x%08" PRIx64 ", %s hash, PP %u)%s\n", ea, pa, at,
			    h == 2 ? "secondary" : "primary", w1 & PTE1_PP_MASK,
			    physmem_is_ram(&a->pm, pa) ? "" : "  (not in RAM)");
	} else {
		json_null(j, "physical_address");
		sbuf_printf(&o->text, "0x%08x is not in the hash table (no PTE in either group)\n", ea);
	}
	json_obj_end(j);
	return 0;
}

/* ---- sessions: the hash tables parse_memory kept ---- */

#define HTAB_SECTION_VERSION 1u

static bool sess_present(const struct analysis *a)
{
	return htabs(a) != NULL;
}

static void sess_save(const struct analysis *a, struct sess_w *w)
{
	const struct htab_state *st = htabs(a);
	sw_u32(w, HTAB_SECTION_VERSION);
	sw_u64(w, st->chunks);
	sw_u64(w, st->fragments);
	sw_u64(w, st->nonempty);
	sw_f64(w, st->seconds);
	sw_u64(w, st->n);
	for (size_t i = 0; i < st->n; i++) {
		const struct htab *t = &st->v[i];
		sw_u64(w, t->addr);
		sw_u64(w, t->size);
		sw_u32(w, t->ptes);
		sw_u32(w, t->vsids);
		sw_u32(w, t->rpns);
		sw_f64(w, t->entropy);
		sw_u8(w, t->checked);
	}
}

static int sess_load(struct analysis *a, struct sess_r *r, struct err *e)
{
	if (sr_u32(r) != HTAB_SECTION_VERSION)
		return err_set(e, "unknown version of the hash-table section");
	struct htab_state *st = xcalloc(1, sizeof(*st));
	st->chunks = sr_u64(r);
	st->fragments = sr_u64(r);
	st->nonempty = sr_u64(r);
	st->seconds = sr_f64(r);
	uint64_t n = sr_count(r, 37);
	st->v = n ? xcalloc((size_t)n, sizeof(*st->v)) : NULL;
	for (uint64_t i = 0; i < n && !r->bad; i++) {
		struct htab *t = &st->v[st->n];
		t->addr = sr_u64(r);
		t->size = sr_u64(r);
		t->ptes = sr_u32(r);
		t->vsids = sr_u32(r);
		t->rpns = sr_u32(r);
		t->entropy = sr_f64(r);
		t->checked = sr_u8(r);
		if (!valid_size(t->size) || t->addr % t->size || t->ptes > t->size / PTE_SIZE) {
			htab_state_free(st);
			return err_set(e, "hash table %llu is malformed", (unsigned long long)i);
		}
		st->n++;
	}
	if (a->arch_state_free)
		a->arch_state_free(a->arch_state);
	a->arch_state = st;
	a->arch_state_free = htab_state_free;
	return 0;
}

static const struct session_section ppc_session = {
	.tag = SESSION_TAG('H', 'T', 'A', 'B'),
	.name = "HTAB",
	.present = sess_present,
	.save = sess_save,
	.load = sess_load,
};

static const struct command *const ppc_commands[] = {
	&cmd_show_hashtables, &cmd_show_hashtable, &cmd_show_hashtables_gtruth, NULL,
};

static const char *const ppc_pipeline[] = {"parse_memory", "find_registers_values", NULL};

const struct arch_ops arch_ppc = {
	.name = "ppc",
	.about = "PowerPC 32-bit",
	.endians = 1u << ENDIAN_BIG,
	.modes = ppc_modes,
	.nmodes = ARRAY_LEN(ppc_modes),
	.regrec = &ppc_regrec,
	.parse_memory = ppc_parse_memory,
	.parse_memory_report = ppc_parse_report,
	.resolve = ppc_resolve,
	.pipeline = ppc_pipeline,
	.session = &ppc_session,
	.commands = ppc_commands,
	.findings = &ppc_findings,
};
