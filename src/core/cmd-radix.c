/*
 * Page-table commands: parse_memory / find_tables, find_radix_trees,
 * show_radix_trees, show_table, resolve, show_vas.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "radix.h"
#include "table.h"

static const char *space_label(const struct radix_space *sp)
{
	return *sp->shape.name ? sp->shape.name : "all";
}

static int need_radix(struct analysis *a, bool found, struct err *e)
{
	if (radix_need_tables(a, e))
		return -1;
	if (found && !a->radix->found)
		return err_set(e, "no trees yet: run find_radix_trees first");
	return 0;
}

static void report_scan(struct analysis *a, struct cmd_out *o)
{
	const struct radix_state *r = a->radix;
	struct json *j = &o->json;
	char sz[32];
	double secs = r->scan_seconds + r->prune_seconds;
	sbuf_printf(&o->text, "Scanned %s of RAM in %.2f s (%.0f MiB/s, %d threads)\n",
		    fmt_size(a->pm.ram_bytes, sz, sizeof(sz)), secs,
		    secs > 0 ? (double)a->pm.ram_bytes / secs / 1048576.0 : 0.0, a->threads);
	json_obj_begin(j, NULL);
	json_double(j, "seconds", secs);
	json_u64(j, "ram_bytes", a->pm.ram_bytes);
	json_arr_begin(j, "spaces");
	for (unsigned i = 0; i < r->nspaces; i++) {
		const struct radix_space *sp = &r->space[i];
		uint64_t data = pagemap_count(&sp->data), empty = pagemap_count(&sp->empty);
		sbuf_printf(&o->text, "%s%s%sCandidate tables per level:", r->nspaces > 1 ? "[" : "",
			    r->nspaces > 1 ? space_label(sp) : "", r->nspaces > 1 ? "] " : "");
		for (unsigned k = 0; k < sp->shape.levels; k++)
			sbuf_printf(&o->text, " L%u %llu", k, (unsigned long long)sp->level_count[k]);
		sbuf_printf(&o->text, " (before pruning:");
		for (unsigned k = 0; k < sp->shape.levels; k++)
			sbuf_printf(&o->text, " %llu", (unsigned long long)sp->level_count_scan[k]);
		sbuf_printf(&o->text, ")\n  data pages %llu, empty tables %llu\n", (unsigned long long)data,
			    (unsigned long long)empty);
		json_obj_begin(j, NULL);
		json_str(j, "shape", space_label(sp));
		json_u64(j, "levels", sp->shape.levels);
		json_arr_begin(j, "candidates");
		for (unsigned k = 0; k < sp->shape.levels; k++)
			json_u64(j, NULL, sp->level_count[k]);
		json_arr_end(j);
		json_arr_begin(j, "candidates_before_pruning");
		for (unsigned k = 0; k < sp->shape.levels; k++)
			json_u64(j, NULL, sp->level_count_scan[k]);
		json_arr_end(j);
		json_u64(j, "data_pages", data);
		json_u64(j, "empty_tables", empty);
		json_obj_end(j);
	}
	json_arr_end(j);
	if (a->cfg.arch->radix->report_scan)
		a->cfg.arch->radix->report_scan(a, o);
	json_obj_end(j);
}

static int run_scan(struct analysis *a, int (*scan)(struct analysis *, struct err *),
		    struct cmd_out *o, struct err *e)
{
	if (!scan)
		return err_set(e, "does not apply to architecture %s%s", a->cfg.arch->name,
			       a->cfg.arch->find_tables ? " (use find_tables)"
			       : a->cfg.arch->parse_memory ? " (use parse_memory)" : "");
	if (scan(a, e))
		return -1;
	a->dirty = true;
	if (a->radix && a->radix->parsed && scan == radix_scan)
		report_scan(a, o);
	else if (scan == a->cfg.arch->parse_memory && a->cfg.arch->parse_memory_report)
		a->cfg.arch->parse_memory_report(a, o);
	return 0;
}

static int run_parse_memory(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	(void)argc, (void)argv;
	return run_scan(a, a->cfg.arch->parse_memory, o, e);
}

const struct command cmd_parse_memory = {
	.name = "parse_memory",
	.usage = "",
	.summary = "scan all RAM once: classify every frame, collect candidate tables (and IDTs, code sites)",
	.max_args = 0,
	.run = run_parse_memory,
};

static int run_find_tables(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	(void)argc, (void)argv;
	return run_scan(a, a->cfg.arch->find_tables, o, e);
}

const struct command cmd_find_tables = {
	.name = "find_tables",
	.usage = "",
	.summary = "scan all RAM for tables shaped by the TTBCR/TCR value in force",
	.max_args = 0,
	.run = run_find_tables,
};

static int run_find_radix_trees(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	(void)argc, (void)argv;
	if (radix_find_trees(a, e))
		return -1;
	a->dirty = true;
	const struct radix_state *r = a->radix;
	size_t kernel_only = 0;
	for (size_t i = 0; i < r->ntrees; i++)
		kernel_only += (r->trees[i].flags & RADIX_TREE_KERNEL_ONLY) != 0;
	sbuf_printf(&o->text, "Found %zu radix tree%s (%zu with user mappings, %zu kernel-only) in %.2f s\n",
		    r->ntrees, r->ntrees == 1 ? "" : "s", r->ntrees - kernel_only, kernel_only, r->find_seconds);
	if (*r->note)
		sbuf_printf(&o->text, "%s\n", r->note);
	if (*r->limit_note)
		sbuf_printf(&o->text, "%s\n", r->limit_note);
	if (*r->filter_note)
		sbuf_printf(&o->text, "%s\n", r->filter_note);
	json_obj_begin(&o->json, NULL);
	if (*r->note)
		json_str(&o->json, "note", r->note);
	if (*r->limit_note)
		json_str(&o->json, "limit", r->limit_note);
	if (*r->filter_note)
		json_str(&o->json, "filters", r->filter_note);
	json_u64(&o->json, "trees", r->ntrees);
	json_u64(&o->json, "with_user", r->ntrees - kernel_only);
	json_u64(&o->json, "kernel_only", kernel_only);
	json_double(&o->json, "seconds", r->find_seconds);
	json_obj_end(&o->json);
	return 0;
}

const struct command cmd_find_radix_trees = {
	.name = "find_radix_trees",
	.usage = "",
	.summary = "find the real page-table trees among the candidates (consistency and filters)",
	.max_args = 0,
	.run = run_find_radix_trees,
};

static int run_show_radix_trees(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	static const char *const head[] = {"Root", "Tree", "Levels", "Kernel size", "User size", "Kind"};
	uint64_t anchor = 0;
	if (need_radix(a, true, e))
		return -1;
	if (argc == 1 && cmd_arg_u64("the IDT address", argv[0], &anchor, e))
		return -1;
	const struct radix_state *r = a->radix;
	struct json *j = &o->json;
	struct table t;
	char ks[32], us[32];
	size_t shown = 0;
	table_init(&t, 6, head);
	t.right_align = 1u << 3 | 1u << 4;
	json_obj_begin(j, NULL);
	json_arr_begin(j, "radix_trees");
	for (size_t i = 0; i < r->ntrees; i++) {
		const struct radix_tree *tr = &r->trees[i];
		const struct radix_space *sp = &r->space[tr->space];
		if (argc == 1 && (!tr->has_anchor || tr->anchor != anchor))
			continue;
		bool konly = tr->flags & RADIX_TREE_KERNEL_ONLY;
		table_cell(&t, "0x%016llx", (unsigned long long)tr->root);
		table_cell(&t, "%s", space_label(sp));
		table_cell(&t, "%u", sp->shape.levels);
		table_cell(&t, "%s", fmt_size(tr->kernel_bytes, ks, sizeof(ks)));
		table_cell(&t, "%s", fmt_size(tr->user_bytes, us, sizeof(us)));
		table_cell(&t, "%s", konly ? "kernel-only" : "process");
		json_obj_begin(j, NULL);
		json_hex(j, "root", tr->root);
		json_u64(j, "first_level", 0);
		json_u64(j, "kernel_bytes", tr->kernel_bytes);
		json_u64(j, "user_bytes", tr->user_bytes);
		json_str(j, "tree", space_label(sp));
		json_u64(j, "levels", sp->shape.levels);
		json_bool(j, "kernel_only", konly);
		if (tr->has_anchor)
			json_hex(j, "idt", tr->anchor);
		json_obj_end(j);
		shown++;
	}
	json_arr_end(j);
	json_u64(j, "count", shown);
	char note[160] = "";
	if (argc == 1 && !shown)
		snprintf(note, sizeof(note), "no tree was confirmed by an IDT at 0x%llx (show_idtrs lists the IDTs and "
			 "their trees)", (unsigned long long)anchor);
	if (*note)
		json_str(j, "note", note);
	json_obj_end(j);
	table_render(&t, &o->text);
	sbuf_printf(&o->text, "%zu tree%s\n", shown, shown == 1 ? "" : "s");
	if (*note)
		sbuf_printf(&o->text, "%s\n", note);
	table_free(&t);
	return 0;
}

const struct command cmd_show_radix_trees = {
	.name = "show_radix_trees",
	.usage = "[IDT_ADDR]",
	.summary = "the trees found: root, levels, kernel and user bytes mapped (Intel: optionally one IDT's)",
	.max_args = 1,
	.run = run_show_radix_trees,
};

/* Picks the tree kind (space) of a root: the one that found it, else where it is a candidate. */
static int space_of_root(const struct analysis *a, uint64_t root, const char *name, struct err *e)
{
	const struct radix_state *r = a->radix;
	if (name) {
		for (unsigned i = 0; i < r->nspaces; i++)
			if (!strcmp(space_label(&r->space[i]), name))
				return (int)i;
		return err_set(e, "unknown tree kind '%s'", name);
	}
	int t = radix_tree_index(r, root, -1);
	if (t >= 0)
		return (int)r->trees[t].space;
	for (unsigned i = 0; i < r->nspaces; i++)
		if (radix_is_candidate(&r->space[i], root, 0))
			return (int)i;
	return 0;
}

static bool is_found_tree(const struct analysis *a, unsigned space, uint64_t root)
{
	return a->radix->found && radix_tree_index(a->radix, root, (int)space) >= 0;
}

/* Splits "ADDR [LEVEL] [KIND]" style arguments: numbers in order, one optional word. */
static bool is_tree_kind(const struct analysis *a, const char *w)
{
	for (unsigned i = 0; i < a->radix->nspaces; i++)
		if (!strcmp(space_label(&a->radix->space[i]), w))
			return true;
	return false;
}

/*
 * A word that is neither a number nor a tree of this dump: once every
 * number is there it can only be a TREE, and the error lists the trees.
 */
static int bad_tree(const struct analysis *a, const char *w, struct err *e)
{
	const struct radix_state *r = a->radix;
	if (r->nspaces < 2)
		return err_set(e, "this dump has one tree: no TREE argument (got '%s')", w);
	struct sbuf names = {0};
	for (unsigned i = 0; i < r->nspaces; i++)
		sbuf_printf(&names, "%s%s", i ? ", " : "", space_label(&r->space[i]));
	err_set(e, "unknown tree '%s' (this dump has: %s)", w, names.s);
	sbuf_free(&names);
	return -1;
}

static int split_args(const struct analysis *a, int argc, char **argv, uint64_t *nums, int maxnums, int *nnums, const char **word,
		      const char *const *what, struct err *e)
{
	*nnums = 0;
	*word = NULL;
	for (int i = 0; i < argc; i++) {
		uint64_t v;
		const char *w = argv[i];
		bool numeric = (*w >= '0' && *w <= '9') || *w == '-' || *w == '+';
		if (!parse_u64(w, &v)) {
			if (*nnums >= maxnums)
				return err_set(e, "too many numbers (got '%s')", w);
			nums[(*nnums)++] = v;
		} else if (is_tree_kind(a, w)) {
			if (*word)
				return err_set(e, "one TREE argument at most (got '%s' and '%s')", *word, w);
			*word = w;
		} else if (*nnums >= maxnums && !numeric) {
			return bad_tree(a, w, e);
		} else if (*nnums >= maxnums) {
			return err_set(e, "too many numbers (got '%s')", w);
		} else {
			return err_set(e, "%s must be a number, decimal or 0x hexadecimal (got '%s')", what[*nnums], w);
		}
	}
	return 0;
}

static void json_pte(struct json *j, const struct pte *p, const char *flags, unsigned perms)
{
	static const char *const kinds[] = {"empty", "table", "page", "invalid"};
	char ps[7];
	json_str(j, "kind", kinds[p->kind]);
	json_hex(j, "raw", p->raw);
	if (p->kind == PTE_TABLE || p->kind == PTE_PAGE)
		json_hex(j, "address", p->addr);
	if (p->kind == PTE_PAGE) {
		json_u64(j, "size", p->size);
		perm_str(perms, ps);
		json_str(j, "perms", ps);
	}
	if (p->kind == PTE_INVALID)
		json_str(j, "why", p->why ? p->why : "invalid");
	json_str(j, "flags", flags);
}

static int run_show_table(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	static const char *const what[] = {"ADDR", "LEVEL"};
	static const char *const head[] = {"Index", "Entry address", "Raw", "Kind", "Points to", "Size", "Perms", "Flags"};
	static const char *const kinds[] = {"empty", "table", "page", "invalid"};
	uint64_t nums[2];
	int nn;
	const char *kind;
	if (need_radix(a, false, e) || split_args(a, argc, argv, nums, 2, &nn, &kind, what, e))
		return -1;
	if (nn < 1)
		return err_set(e, "usage: show_table ADDR [LEVEL] [TREE]");
	uint64_t addr = nums[0];
	int si = space_of_root(a, addr, kind, e);
	if (si < 0)
		return -1;
	struct radix_space *sp = &a->radix->space[si];
	const struct radix_shape *s = &sp->shape;
	unsigned level = 0;
	uint8_t cand_levels = 0;
	for (unsigned k = 0; k < s->levels; k++)
		cand_levels |= (uint8_t)(radix_is_candidate(sp, addr, k) << k);
	if (nn == 2) {
		if (nums[1] >= s->levels)
			return err_set(e, "LEVEL must be below %u for this tree", s->levels);
		level = (unsigned)nums[1];
	} else if (cand_levels) {
		level = (unsigned)__builtin_ctz(cand_levels);
	}
	if (radix_table_fits(a, sp, addr, level, e))
		return -1;

	const struct radix_ops *ops = a->cfg.arch->radix;
	struct json *j = &o->json;
	struct table t;
	uint64_t n = radix_entries(sp, level), invalid = 0, present = 0;
	table_init(&t, 8, head);
	t.right_align = 1u;
	json_obj_begin(j, NULL);
	json_hex(j, "table", addr);
	json_u64(j, "level", level);
	json_str(j, "tree", space_label(sp));
	json_arr_begin(j, "entries");
	for (uint64_t i = 0; i < n; i++) {
		uint64_t raw;
		struct pte p;
		struct sbuf flags = {0};
		char sz[32], ps[7] = "";
		if (!radix_read_entry(a, sp, addr, i, &raw) || !raw)
			continue;
		radix_decode(a, sp, level, raw, &p);
		if (p.kind == PTE_EMPTY)
			continue;
		present++;
		invalid += p.kind == PTE_INVALID;
		if (p.kind != PTE_INVALID)
			ops->describe(s, level + s->level_offset, &p, &flags);
		unsigned perms = p.kind == PTE_PAGE ? ops->leaf_perms(s, ops->root_attr, &p) : 0;
		if (p.kind == PTE_PAGE)
			perm_str(perms, ps);
		table_cell(&t, "%llu", (unsigned long long)i);
		table_cell(&t, "0x%llx", (unsigned long long)(addr + i * s->entry_size));
		table_cell(&t, "0x%0*llx", (int)s->entry_size * 2, (unsigned long long)raw);
		table_cell(&t, "%s", kinds[p.kind]);
		if (p.kind == PTE_TABLE || p.kind == PTE_PAGE)
			table_cell(&t, "0x%llx", (unsigned long long)p.addr);
		else
			table_cell(&t, "%s", p.why ? p.why : "");
		table_cell(&t, "%s", p.kind == PTE_PAGE ? fmt_size(p.size, sz, sizeof(sz)) : "");
		table_cell(&t, "%s", ps);
		table_cell(&t, "%s", flags.s ? flags.s : "");
		json_obj_begin(j, NULL);
		json_u64(j, "index", i);
		json_hex(j, "entry_address", addr + i * s->entry_size);
		json_pte(j, &p, flags.s ? flags.s : "", perms);
		json_obj_end(j);
		sbuf_free(&flags);
	}
	json_arr_end(j);
	json_u64(j, "present", present);
	json_u64(j, "invalid", invalid);
	json_arr_begin(j, "candidate_levels");
	for (unsigned k = 0; k < s->levels; k++)
		if (cand_levels >> k & 1)
			json_u64(j, NULL, k);
	json_arr_end(j);
	json_obj_end(j);
	sbuf_printf(&o->text, "Table 0x%llx read as level %u%s%s (%llu bytes)\n", (unsigned long long)addr, level,
		    a->radix->nspaces > 1 ? " of tree kind " : "", a->radix->nspaces > 1 ? space_label(sp) : "",
		    (unsigned long long)s->table_size[level]);
	table_render(&t, &o->text);
	sbuf_printf(&o->text, "Present entries: %llu, invalid at this level: %llu. Candidate at levels:",
		    (unsigned long long)present, (unsigned long long)invalid);
	if (!cand_levels)
		sbuf_printf(&o->text, " none");
	for (unsigned k = 0; k < s->levels; k++)
		if (cand_levels >> k & 1)
			sbuf_printf(&o->text, " %u", k);
	sbuf_printf(&o->text, "\n");
	table_free(&t);
	return 0;
}

const struct command cmd_show_table = {
	.name = "show_table",
	.usage = "ADDR [LEVEL] [TREE]",
	.summary = "decode the entries of the table at ADDR (as LEVEL; TREE picks kernel/user where there are two)",
	.min_args = 1,
	.max_args = 3,
	.run = run_show_table,
};

static int run_resolve(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	static const char *const what[] = {"ROOT", "VADDR"};
	static const char *const kinds[] = {"empty", "table", "page", "invalid"};
	uint64_t nums[2];
	int nn;
	const char *kind;
	if (!a->cfg.arch->radix && a->cfg.arch->resolve)
		return a->cfg.arch->resolve(a, argc, argv, o, e);
	if (argc < 2)
		return err_set(e, "usage: resolve ROOT VADDR [TREE]");
	if (need_radix(a, false, e) || split_args(a, argc, argv, nums, 2, &nn, &kind, what, e))
		return -1;
	if (nn != 2)
		return err_set(e, "usage: resolve ROOT VADDR [TREE]");
	int si = space_of_root(a, nums[0], kind, e);
	if (si < 0)
		return -1;
	const struct radix_space *sp = &a->radix->space[si];
	if (radix_table_fits(a, sp, nums[0], 0, e))
		return -1;
	struct radix_walk w;
	struct json *j = &o->json;
	char ps[7];
	bool found = is_found_tree(a, (unsigned)si, nums[0]);
	radix_resolve(a, sp, nums[0], nums[1], &w);
	json_obj_begin(j, NULL);
	json_hex(j, "root", nums[0]);
	json_bool(j, "tree_found", found);
	json_hex(j, "vaddr", nums[1]);
	json_bool(j, "mapped", w.ok);
	if (w.ok) {
		perm_str(w.perms, ps);
		json_hex(j, "paddr", w.pa);
		json_str(j, "perms", ps);
		json_bool(j, "in_ram", physmem_is_ram(&a->pm, w.pa));
	} else {
		json_str(j, "why", w.why);
	}
	json_arr_begin(j, "walk");
	for (unsigned i = 0; i < w.nsteps; i++) {
		const struct radix_walk_step *st = &w.step[i];
		json_obj_begin(j, NULL);
		json_u64(j, "level", st->level);
		json_hex(j, "table", st->table);
		json_u64(j, "index", st->index);
		json_hex(j, "entry_address", st->entry_addr);
		json_hex(j, "raw", st->raw);
		json_str(j, "kind", kinds[st->pte.kind]);
		if (st->pte.kind == PTE_TABLE || st->pte.kind == PTE_PAGE)
			json_hex(j, "address", st->pte.addr);
		json_obj_end(j);
		sbuf_printf(&o->text, "L%u table 0x%llx [%llu] @0x%llx = 0x%llx  %s", st->level,
			    (unsigned long long)st->table, (unsigned long long)st->index,
			    (unsigned long long)st->entry_addr, (unsigned long long)st->raw, kinds[st->pte.kind]);
		if (st->pte.kind == PTE_TABLE || st->pte.kind == PTE_PAGE)
			sbuf_printf(&o->text, " -> 0x%llx", (unsigned long long)st->pte.addr);
		sbuf_printf(&o->text, "\n");
	}
	json_arr_end(j);
	json_obj_end(j);
	if (w.ok)
		sbuf_printf(&o->text, "0x%llx -> 0x%llx  %s%s\n", (unsigned long long)nums[1], (unsigned long long)w.pa, ps,
			    physmem_is_ram(&a->pm, w.pa) ? "" : "  (not in RAM)");
	else
		sbuf_printf(&o->text, "0x%llx is not mapped: %s\n", (unsigned long long)nums[1], w.why);
	if (!found && a->radix->found)
		sbuf_printf(&o->text, "(0x%llx is not one of the trees found: walked as a top-level table)\n",
			    (unsigned long long)nums[0]);
	return 0;
}

const struct command cmd_resolve = {
	.name = "resolve",
	.usage = "ROOT VADDR [TREE]  (PowerPC: VADDR [VSID])",
	.summary = "translate a virtual address through the tree at ROOT (PowerPC: BATs, segment registers, hash table)",
	.min_args = 1,
	.max_args = 3,
	.run = run_resolve,
};

static int run_show_vas(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	static const char *const what[] = {"ROOT"};
	static const char *const head[] = {"Virtual start", "Virtual end", "Size", "Physical", "Perms"};
	uint64_t root;
	int nn;
	const char *kind;
	if (need_radix(a, false, e) || split_args(a, argc, argv, &root, 1, &nn, &kind, what, e))
		return -1;
	if (nn != 1)
		return err_set(e, "usage: show_vas ROOT [TREE]");
	int si = space_of_root(a, root, kind, e);
	if (si < 0)
		return -1;
	const struct radix_space *sp = &a->radix->space[si];
	if (radix_table_fits(a, sp, root, 0, e))
		return -1;
	bool found = is_found_tree(a, (unsigned)si, root);
	struct vas v;
	struct json *j = &o->json;
	uint64_t total = 0, user = 0, max_pa = 0;
	char sz[32], ps[7];
	radix_vas(a, sp, root, &v);
	/* Fixed columns printed as they come: a table cell per field would cost more than the ranges. */
	for (size_t i = 0; i < v.n; i++)
		max_pa = MMU_MAX(max_pa, v.r[i].pa);
	int paw = snprintf(NULL, 0, "0x%llx", (unsigned long long)max_pa);
	paw = MMU_MAX(paw, (int)strlen(head[3]));
	sbuf_printf(&o->text, "%-18s  %-18s  %10s  %-*s  %s\n", head[0], head[1], head[2], paw, head[3], head[4]);
	json_obj_begin(j, NULL);
	json_hex(j, "root", root);
	json_bool(j, "tree_found", found);
	json_arr_begin(j, "ranges");
	for (size_t i = 0; i < v.n; i++) {
		const struct vrange *r = &v.r[i];
		char pa[24];
		perm_str(r->perms, ps);
		total += r->size;
		if (r->perms & PERM_USER)
			user += r->size;
		snprintf(pa, sizeof(pa), "0x%llx", (unsigned long long)r->pa);
		sbuf_printf(&o->text, "0x%016llx  0x%016llx  %10s  %-*s  %s\n", (unsigned long long)r->va,
			    (unsigned long long)(r->va + r->size - 1), fmt_size(r->size, sz, sizeof(sz)), paw, pa, ps);
		json_obj_begin(j, NULL);
		json_hex(j, "va", r->va);
		json_u64(j, "size", r->size);
		json_hex(j, "pa", r->pa);
		json_str(j, "perms", ps);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_u64(j, "total_bytes", total);
	json_u64(j, "user_bytes", user);
	json_bool(j, "truncated", v.truncated);
	json_obj_end(j);
	sbuf_printf(&o->text, "%zu range%s, %s mapped", v.n, v.n == 1 ? "" : "s", fmt_size(total, sz, sizeof(sz)));
	sbuf_printf(&o->text, " (%s user-accessible)%s%s\n", fmt_size(user, sz, sizeof(sz)),
		    v.truncated ? ", truncated: " : "", v.truncated ? v.why : "");
	if (!found && a->radix->found)
		sbuf_printf(&o->text, "(0x%llx is not one of the trees found: walked as a top-level table)\n",
			    (unsigned long long)root);
	vas_free(&v);
	return 0;
}

const struct command cmd_show_vas = {
	.name = "show_vas",
	.usage = "ROOT [TREE]",
	.summary = "the virtual address space of the tree at ROOT: ranges, physical addresses, RWXrwx",
	.min_args = 1,
	.max_args = 2,
	.run = run_show_vas,
};
