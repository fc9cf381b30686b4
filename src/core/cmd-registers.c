/*
 * Register recovery commands: find_registers_values, show_registers,
 * show_registers_gtruth, set_tcr, set_ttbcr (regrec.c does the work).
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "radix.h"
#include "regrec.h"
#include "table.h"

static int not_applicable(const struct analysis *a, struct err *e)
{
	return err_set(e, "does not apply to architecture %s (its MMU registers are found from page tables)",
		       a->cfg.arch->name);
}

static const struct regrec_ops *ops_or_fail(const struct analysis *a, struct err *e)
{
	const struct regrec_ops *ops = regrec_ops_of(a);
	if (!ops)
		not_applicable(a, e);
	return ops;
}

static const struct reg_results *found_or_fail(const struct analysis *a, struct err *e)
{
	if (!a->regs || !a->regs->found) {
		err_set(e, "no register values yet: run find_registers_values first");
		return NULL;
	}
	return a->regs;
}

static const char *const outcome_keys[DF_STATUS_COUNT] = {
	[DF_OK] = "ok",
	[DF_SOURCE_UNKNOWN] = "source_unknown",
	[DF_NO_START] = "no_region_start",
	[DF_SITE_UNDECODABLE] = "site_undecodable",
	[DF_REGION_TOO_LARGE] = "region_too_large",
	[DF_BUDGET] = "budget_exceeded",
	[DF_NOT_REACHED] = "not_reached",
	[DF_RUN_BUDGET] = "run_budget_exhausted",
};

static void json_fields(struct json *j, const struct regrec_reg *r, uint64_t v, uint64_t unknown)
{
	struct regrec_field_val f[REGREC_MAX_FIELDS];
	size_t n = regrec_field_list(r, v, unknown, f);
	json_obj_begin(j, "fields");
	for (size_t i = 0; i < n; i++) {
		if (f[i].known)
			json_u64(j, f[i].name, f[i].value);
		else
			json_null(j, f[i].name);
	}
	json_obj_end(j);
}

/* Text shows the fields that decide the MMU shape (JSON has them all). */
static void text_fields(struct sbuf *b, const struct regrec_reg *r, uint64_t v, uint64_t unknown)
{
	const struct regrec_layout *l = regrec_layout_of(r, v);
	regrec_format_fields(r, v, unknown, true, b);
	if (l->describe) {
		struct sbuf d = {0};
		l->describe(v, unknown, &d);
		if (d.len)
			sbuf_printf(b, " (%s)", d.s);
		sbuf_free(&d);
	}
}

/* ---- find_registers_values ---- */

/* " (the RAM below 512 MiB)" when the scan leaves RAM out (MIPS: kseg0 reaches 512 MiB), else "". */
static const char *scan_limit_note(const struct analysis *a, char *buf, size_t len)
{
	const struct reg_results *res = a->regs;
	char sz[32];
	buf[0] = 0;
	if (res->ops->max_addr && res->scanned_bytes < a->pm.ram_bytes)
		snprintf(buf, len, " (the RAM below %s)", fmt_size(res->ops->max_addr, sz, sizeof(sz)));
	return buf;
}

static void json_scan_limit(struct json *j, const struct reg_results *res)
{
	if (res->ops->max_addr)
		json_hex(j, "scan_limit", res->ops->max_addr);
	else
		json_null(j, "scan_limit");
}

static int run_find(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	struct regrec_opts opts = {0};
	const struct regrec_ops *ops = ops_or_fail(a, e);
	if (!ops)
		return -1;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--assume-reset"))
			opts.assume_reset = true;
		else if (!strcmp(argv[i], "--no-thumb"))
			opts.no_thumb = true;
		else if (!strcmp(argv[i], "--be32"))
			opts.be32 = true;
		else if (!strcmp(argv[i], "--cross-zeros"))
			opts.cross_zeros = true;
		else
			return err_set(e, "unknown option '%s' (known: --assume-reset, --no-thumb, --be32, --cross-zeros)",
				       argv[i]);
	}
	int rc = regrec_find(a, &opts, e);
	/* The value in force may have changed (or gone, after a failure): tables of another value are dropped. */
	bool dropped = radix_drop_stale(a);
	if (rc)
		return -1;
	if (dropped)
		sbuf_printf(&o->text, "The value in force changed: the tables and trees found with the previous one are "
				      "dropped (run find_tables again).\n");
	const struct reg_results *res = a->regs;
	unsigned kinds[RR_KIND_COUNT] = {0};
	for (size_t i = 0; i < res->sites.n; i++)
		kinds[res->sites.v[i].kind]++;
	char sz[32], lim[64];
	sbuf_printf(&o->text, "Scanned %s%s in %.2f s: %zu MMU-related instruction%s; %zu register write%s analysed in %.2f s (%u thread%s)\n",
		    fmt_size(res->scanned_bytes, sz, sizeof(sz)), scan_limit_note(a, lim, sizeof(lim)), res->scan_seconds, res->sites.n,
		    res->sites.n == 1 ? "" : "s", res->nres, res->nres == 1 ? "" : "s", res->analyse_seconds, res->threads,
		    res->threads == 1 ? "" : "s");
	struct json *j = &o->json;
	json_obj_begin(j, NULL);
	json_u64(j, "scanned_bytes", res->scanned_bytes);
	json_scan_limit(j, res);
	json_double(j, "scan_seconds", res->scan_seconds);
	json_double(j, "analyse_seconds", res->analyse_seconds);
	json_u64(j, "sites", res->sites.n);
	static const char *const kind_keys[RR_KIND_COUNT] = {"write", "read", "write64", "read64", "ret", "eret", "br", "blr"};
	json_obj_begin(j, "site_kinds");
	for (unsigned k = 0; k < RR_KIND_COUNT; k++)
		json_u64(j, kind_keys[k], kinds[k]);
	json_obj_end(j);
	json_u64(j, "analysed_sites", res->nres);
	json_u64(j, "dropped_sites", res->dropped_sites);
	json_bool(j, "assume_reset", res->assume_reset);
	json_u64(j, "unrouted_sites", res->unrouted);
	json_u64(j, "run_budget", res->run_budget);
	json_u64(j, "run_used", res->run_used);
	json_u64(j, "budget_exhausted_sites", res->budget_skipped);
	if (res->budget_skipped)
		sbuf_printf(&o->text,
			    "%u write site%s not analysed: the run's budget of %llu instructions decoded and evaluated "
			    "is used up (a dump dense with site patterns; limits: doc/formats.md)\n",
			    res->budget_skipped, res->budget_skipped == 1 ? "" : "s", (unsigned long long)res->run_budget);
	if (res->dropped_sites)
		sbuf_printf(&o->text, "%llu more site%s not kept: the dump is full of site patterns (limits: doc/formats.md)\n",
			    (unsigned long long)res->dropped_sites, res->dropped_sites == 1 ? "" : "s");
	if (res->unrouted)
		sbuf_printf(&o->text, "%u indexed write%s (mtsrin) with an unknown register number\n", res->unrouted,
			    res->unrouted == 1 ? "" : "s");
	json_arr_begin(j, "registers");
	for (size_t ri = 0; ri < ops->nregs; ri++) {
		const struct regrec_reg *r = &ops->regs[ri];
		const struct regrec_regres *rr = &res->regs[ri];
		sbuf_printf(&o->text, "%s values recovered: %zu (from %u write site%s; %zu partial, %zu invalid)\n",
			    r->display, rr->ncands, rr->sites, rr->sites == 1 ? "" : "s", rr->npartial, rr->ninvalid);
		if (rr->skipped)
			sbuf_printf(&o->text, "  %u more write site%s not analysed (at most %d per register)\n", rr->skipped,
				    rr->skipped == 1 ? "" : "s", RR_MAX_ANALYSED);
		int sel = regrec_selected(rr);
		size_t shown = MMU_MIN(rr->ncands, (size_t)MMU_MAX(5, sel + 1));
		for (size_t c = 0; c < shown; c++) {
			const struct regrec_cand *k = &rr->cands[c];
			uint64_t unk = regrec_cand_unknown(k);
			sbuf_printf(&o->text, "  #%zu %s ", c + 1, r->display);
			if (regrec_cand_differing(k))
				regrec_format_class(r, k, &o->text);
			else
				sbuf_printf(&o->text, "0x%llx", (unsigned long long)k->value);
			if (unk)
				sbuf_printf(&o->text, " (unknown 0x%llx)", (unsigned long long)unk);
			sbuf_printf(&o->text, " => ");
			text_fields(&o->text, r, k->value, k->unknown);
			sbuf_printf(&o->text, "; %u site%s", k->sites, k->sites == 1 ? "" : "s");
			if (!k->usable)
				sbuf_printf(&o->text, "  [not usable: %s]", k->unusable);
			sbuf_printf(&o->text, "%s\n", (int)c == sel ? "  [selected]" : "");
		}
		if (rr->ncands > shown)
			sbuf_printf(&o->text, "  ... %zu more (show_registers)\n", rr->ncands - shown);
		if (rr->ncands && sel < 0)
			sbuf_printf(&o->text, "  None is usable on this machine: %s VALUE chooses one\n", r->set_command);
		if (!rr->ncands && ops->hint)
			sbuf_printf(&o->text, "  No usable value. %s\n", ops->hint);
		json_obj_begin(j, NULL);
		json_str(j, "name", r->name);
		json_u64(j, "analysed_sites", rr->sites);
		json_u64(j, "skipped_sites", rr->skipped);
		json_u64(j, "candidates", rr->ncands);
		json_u64(j, "partial", rr->npartial);
		json_u64(j, "invalid", rr->ninvalid);
		if (sel >= 0)
			json_hex(j, "selected", rr->cands[sel].value);
		else
			json_null(j, "selected");
		json_obj_begin(j, "outcomes");
		for (unsigned s = 0; s < DF_STATUS_COUNT; s++)
			json_u64(j, outcome_keys[s], rr->outcome[s]);
		json_obj_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	return 0;
}

const struct command cmd_find_registers_values = {
	.name = "find_registers_values",
	.usage = "[--assume-reset] [--no-thumb] [--be32] [--cross-zeros]",
	.summary = "find the code writing MMU registers (TTBCR, TCR_EL1, MIPS CP0, PowerPC SDR1/BATs/SRs) and recover their values",
	.max_args = 4,
	.run = run_find,
};

/* ---- show_registers ---- */

static void json_cand(struct json *j, const struct regrec_ops *ops, const struct regrec_reg *r,
		      const struct regrec_cand *k, size_t rank, bool selected)
{
	json_obj_begin(j, NULL);
	if (rank)
		json_u64(j, "rank", rank);
	json_hex(j, "value", k->value);
	json_u64(j, "sites", k->sites);
	json_hex(j, "unknown", k->unknown);
	json_u64(j, "paths", k->paths);
	if (k->sites)
		json_hex(j, "first_site", regrec_code_addr(ops, k->first_site));
	else
		json_null(j, "first_site");
	json_bool(j, "valid", k->valid);
	if (!k->valid && k->why[0])
		json_str(j, "reason", k->why);
	json_u64(j, "plausibility", k->plaus);
	if (k->valid) {
		json_bool(j, "usable", k->usable);
		if (!k->usable)
			json_str(j, "unusable_reason", k->unusable);
	}
	json_bool(j, "config", k->config);
	if (rank)
		json_bool(j, "selected", selected);
	if (!(r->selector & k->unknown))
		json_str(j, "layout", regrec_layout_of(r, k->value)->name);
	json_fields(j, r, k->value, k->unknown);
	const struct regrec_layout *lay = regrec_layout_of(r, k->value);
	if (lay->describe) {
		struct sbuf d = {0};
		lay->describe(k->value, k->unknown, &d);
		if (d.len)
			json_str(j, "meaning", d.s);
		sbuf_free(&d);
	}
	/* Known in every member of the class, not equal in all: part of unknown, yet no bit is unknown. */
	json_hex(j, "differing", regrec_cand_differing(k));
	json_arr_begin(j, "values");
	for (size_t i = 0; i < k->nelems; i++) {
		json_obj_begin(j, NULL);
		json_hex(j, "value", k->elems[i].value);
		json_hex(j, "unknown", k->elems[i].unknown);
		json_u64(j, "sites", k->elems[i].sites);
		json_u64(j, "paths", k->elems[i].paths);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void text_cands(struct sbuf *out, const struct regrec_ops *ops, const struct regrec_reg *r,
		       const struct regrec_cand *v, size_t n, bool ranked, int sel)
{
	static const char *const head[] = {"Rank", "Value", "Unknown", "Sites", "Paths", "First site", "Fields"};
	struct table t;
	table_init(&t, 7, head);
	t.right_align = 1u << 0 | 1u << 3 | 1u << 4;
	for (size_t i = 0; i < n; i++) {
		const struct regrec_cand *k = &v[i];
		struct sbuf f = {0};
		text_fields(&f, r, k->value, k->unknown);
		if (!k->valid && k->why[0])
			sbuf_printf(&f, " (%s)", k->why);
		if (k->valid && !k->usable)
			sbuf_printf(&f, " (not usable: %s)", k->unusable);
		if (regrec_cand_differing(k)) {
			sbuf_printf(&f, " [");
			regrec_format_class(r, k, &f);
			sbuf_printf(&f, "]");
		}
		if (k->config)
			sbuf_printf(&f, " [config]");
		if (ranked)
			table_cell(&t, "%s%zu", (int)i == sel ? "*" : "", i + 1);
		else
			table_cell(&t, "-");
		/* Members that differ in known bits: not one value with unknown bits (the note says which). */
		if (regrec_cand_differing(k))
			table_cell(&t, "%zu values", k->nelems);
		else
			table_cell(&t, "0x%0*llx", r->bits / 4, (unsigned long long)k->value);
		table_cell(&t, "0x%0*llx", r->bits / 4, (unsigned long long)regrec_cand_unknown(k));
		table_cell(&t, "%u", k->sites);
		table_cell(&t, "%u", k->paths);
		if (k->sites)
			table_cell(&t, "0x%016llx", (unsigned long long)regrec_code_addr(ops, k->first_site));
		else
			table_cell(&t, "%s", "config");
		table_cell(&t, "%s", f.s ? f.s : "");
		sbuf_free(&f);
	}
	table_render(&t, out);
	table_free(&t);
}

static void verbose_sites(struct analysis *a, const struct reg_results *res, size_t ri, struct json *j, struct sbuf *out)
{
	static const char *const head[] = {"Site", "ISA", "Source", "Region start", "Blocks", "Insns", "Outcome", "Values"};
	const struct regrec_ops *ops = res->ops;
	struct table t;
	(void)a;
	table_init(&t, 8, head);
	t.right_align = 1u << 4 | 1u << 5;
	json_arr_begin(j, "site_results");
	for (size_t i = 0; i < res->nres; i++) {
		const struct regrec_site_res *s = &res->res[i];
		uint16_t to[16];
		size_t nt = regrec_site_targets(res, i, to, ARRAY_LEN(to)), x = 0;
		while (x < nt && to[x] != ri)
			x++;
		if (x == nt)
			continue;
		const struct regrec_site *site = &res->sites.v[s->site];
		const struct df_isa *isa = ops->isas[site->isa];
		const char *src = site->src < isa->nregs ? isa->reg_names[site->src] : "?";
		bool started = s->r.status != DF_NO_START && s->r.status != DF_SITE_UNDECODABLE;
		struct sbuf vals = {0};
		json_obj_begin(j, NULL);
		json_hex(j, "address", regrec_code_addr(ops, site->addr));
		json_str(j, "isa", isa->name);
		json_str(j, "register", ops->sysregs[site->sysreg].name);
		json_str(j, "source", src);
		if (started)
			json_hex(j, "region_start", s->r.start);
		else
			json_null(j, "region_start");
		json_u64(j, "walk_steps", s->r.walk_steps);
		json_u64(j, "blocks", s->r.blocks);
		json_u64(j, "instructions", s->r.insns);
		json_u64(j, "evaluations", s->r.evals);
		json_u64(j, "cut_edges", s->r.cut_edges);
		json_str(j, "outcome", outcome_keys[s->r.status]);
		json_arr_begin(j, "values");
		if (s->r.status == DF_OK)
			for (uint8_t k = 0; k < s->r.val[0].n; k++) {
				json_obj_begin(j, NULL);
				json_hex(j, "value", s->r.val[0].t[k].v);
				json_hex(j, "unknown", s->r.val[0].t[k].m);
				json_obj_end(j);
				sbuf_printf(&vals, "%s0x%llx", k ? " " : "", (unsigned long long)s->r.val[0].t[k].v);
				if (s->r.val[0].t[k].m)
					sbuf_printf(&vals, "/?0x%llx", (unsigned long long)s->r.val[0].t[k].m);
			}
		json_arr_end(j);
		json_obj_end(j);
		table_cell(&t, "0x%016llx", (unsigned long long)regrec_code_addr(ops, site->addr));
		table_cell(&t, "%s", isa->name);
		table_cell(&t, "%s", src);
		if (started)
			table_cell(&t, "0x%016llx", (unsigned long long)s->r.start);
		else
			table_cell(&t, "%s", "-");
		table_cell(&t, "%u", s->r.blocks);
		table_cell(&t, "%u", s->r.insns);
		table_cell(&t, "%s", df_status_name(s->r.status));
		table_cell(&t, "%s", vals.s ? vals.s : "");
		sbuf_free(&vals);
	}
	json_arr_end(j);
	sbuf_printf(out, "Sites:\n");
	table_render(&t, out);
	table_free(&t);
}

static int run_show(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	bool verbose = false;
	const struct regrec_ops *ops = ops_or_fail(a, e);
	if (!ops)
		return -1;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v"))
			verbose = true;
		else
			return err_set(e, "unknown option '%s' (known: --verbose)", argv[i]);
	}
	const struct reg_results *res = found_or_fail(a, e);
	if (!res)
		return -1;
	struct json *j = &o->json;
	json_obj_begin(j, NULL);
	json_arr_begin(j, "registers");
	for (size_t ri = 0; ri < ops->nregs; ri++) {
		const struct regrec_reg *r = &ops->regs[ri];
		const struct regrec_regres *rr = &res->regs[ri];
		uint64_t v, unk;
		const char *origin;
		bool in_force = !registers_value_unknown(a, r->name, &v, &unk, &origin, NULL);
		json_obj_begin(j, NULL);
		json_str(j, "name", r->name);
		json_arr_begin(j, "candidates");
		int sel = rr->overridden ? -1 : regrec_selected(rr);
		for (size_t c = 0; c < rr->ncands; c++)
			json_cand(j, ops, r, &rr->cands[c], c + 1, (int)c == sel);
		json_arr_end(j);
		if (in_force) {
			json_obj_begin(j, "in_force");
			json_hex(j, "value", v);
			json_hex(j, "unknown", unk);
			json_str(j, "origin", origin);
			json_obj_end(j);
		} else {
			json_null(j, "in_force");
		}
		json_arr_begin(j, "partial");
		for (size_t c = 0; c < rr->npartial; c++)
			json_cand(j, ops, r, &rr->partial[c], 0, false);
		json_arr_end(j);
		json_arr_begin(j, "invalid");
		for (size_t c = 0; c < rr->ninvalid; c++)
			json_cand(j, ops, r, &rr->invalid[c], 0, false);
		json_arr_end(j);
		json_u64(j, "analysed_sites", rr->sites);
		json_u64(j, "skipped_sites", rr->skipped);
		json_obj_begin(j, "outcomes");
		for (unsigned s = 0; s < DF_STATUS_COUNT; s++)
			json_u64(j, outcome_keys[s], rr->outcome[s]);
		json_obj_end(j);

		sbuf_printf(&o->text, "%s: %zu candidate%s from %u write site%s", r->display, rr->ncands,
			    rr->ncands == 1 ? "" : "s", rr->sites, rr->sites == 1 ? "" : "s");
		const struct regrec_cand *in_class = in_force && sel >= 0 && !rr->overridden ? &rr->cands[sel] : NULL;
		if (in_class && regrec_cand_differing(in_class)) {
			sbuf_printf(&o->text, "; in force: #%d (%s), %zu values differing in 0x%llx", sel + 1, origin,
				    in_class->nelems, (unsigned long long)regrec_cand_differing(in_class));
			if (regrec_cand_unknown(in_class))
				sbuf_printf(&o->text, ", unknown bits 0x%llx", (unsigned long long)regrec_cand_unknown(in_class));
		} else if (in_force) {
			sbuf_printf(&o->text, "; in force: 0x%llx (%s)", (unsigned long long)v, origin);
			if (unk)
				sbuf_printf(&o->text, ", unknown bits 0x%llx", (unsigned long long)unk);
		}
		sbuf_printf(&o->text, "\n");
		if (rr->ncands)
			text_cands(&o->text, ops, r, rr->cands, rr->ncands, true, sel);
		else if (ops->hint)
			sbuf_printf(&o->text, "No usable value. %s\n", ops->hint);
		if (rr->npartial) {
			sbuf_printf(&o->text, "Partial, not usable (a needed field is unknown):\n");
			text_cands(&o->text, ops, r, rr->partial, rr->npartial, false, -1);
		}
		if (rr->ninvalid) {
			sbuf_printf(&o->text, "Invalid:\n");
			text_cands(&o->text, ops, r, rr->invalid, rr->ninvalid, false, -1);
		}
		sbuf_printf(&o->text, "Site outcomes:");
		for (unsigned s = 0; s < DF_STATUS_COUNT; s++)
			if (rr->outcome[s])
				sbuf_printf(&o->text, " %s %u;", df_status_name((enum df_status)s), rr->outcome[s]);
		sbuf_printf(&o->text, "\n");
		if (verbose)
			verbose_sites(a, res, ri, j, &o->text);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	return 0;
}

const struct command cmd_show_registers = {
	.name = "show_registers",
	.usage = "[--verbose]",
	.summary = "recovered register values ranked best first, with fields; --verbose lists every analysed site",
	.max_args = 1,
	.run = run_show,
};

/* ---- show_registers_gtruth ---- */

static void gt_names(struct sbuf *b, const struct regrec_reg *r, struct json *j)
{
	json_arr_begin(j, "compared_names");
	for (const char *const *n = r->gt_names; n && *n; n++) {
		sbuf_printf(b, "%s%s", n == r->gt_names ? "" : ", ", *n);
		json_str(j, NULL, *n);
	}
	json_arr_end(j);
}

static int run_gtruth(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	(void)argc, (void)argv;
	const struct regrec_ops *ops = ops_or_fail(a, e);
	if (!ops)
		return -1;
	if (!a->has_gt)
		return err_set(e, "no ground truth: start mmushell with --gtruth FILE");
	const struct reg_results *res = found_or_fail(a, e);
	if (!res)
		return -1;
	struct json *j = &o->json;
	unsigned tp = 0, fp = 0, fn = 0, fp_all = 0, skipped = 0;
	json_obj_begin(j, NULL);
	json_arr_begin(j, "registers");
	for (size_t ri = 0; ri < ops->nregs; ri++) {
		const struct regrec_reg *r = &ops->regs[ri];
		const struct regrec_regres *rr = &res->regs[ri];
		struct regrec_gt_reg g;
		regrec_gt_compare(res, &a->gt, ri, &g);
		tp += g.tp;
		fp += g.fp;
		fn += g.fn;
		fp_all += g.fp_all;
		json_obj_begin(j, NULL);
		json_str(j, "name", r->name);
		struct sbuf names = {0};
		gt_names(&names, r, j);
		if (!g.compared) {
			json_bool(j, "compared", false);
			/* Neither logged nor configured: nothing to say, one line (PowerPC has 33 such registers). */
			skipped++;
			json_obj_end(j);
			sbuf_free(&names);
			regrec_gt_free(&g);
			continue;
		}
		if (ops->gt_config_fallback)
			sbuf_printf(&o->text, "%s (ground-truth names compared: %s)\n", r->display, names.s);
		else
			sbuf_printf(&o->text, "%s (ground-truth names compared: %s only; other *tcr* registers such as EL2/EL3 "
					      "and virtualisation ones are left out)\n", r->display, names.s);
		sbuf_free(&names);
		json_bool(j, "has_ground_truth", g.has_gt);
		if (!g.has_gt) {
			sbuf_printf(&o->text, "  No %s value in the ground truth; every candidate counts as a false positive.\n",
				    r->display);
			json_null(j, "latest");
		} else {
			json_hex(j, "latest", g.latest);
			sbuf_printf(&o->text, "  Correct %s value (%s): 0x%llx => ", r->display,
				    g.from_config ? "cpu.registers_values, not logged" : r->gt_any ? "newest logged; any logged value counts" : "newest logged",
				    (unsigned long long)g.latest);
			text_fields(&o->text, r, g.latest, 0);
			sbuf_printf(&o->text, "\n");
			if (g.best >= 0) {
				const struct regrec_cand *k = &rr->cands[g.best];
				sbuf_printf(&o->text, "  Best found: #%d 0x%llx", g.best + 1, (unsigned long long)k->value);
				if (k->unknown)
					sbuf_printf(&o->text, " (unknown 0x%llx)", (unsigned long long)k->unknown);
				sbuf_printf(&o->text, ", fields %u/%u%s\n", g.best_score, g.of,
					    g.exact ? ", exact match on every known bit" : "");
				json_obj_begin(j, "best");
				json_u64(j, "rank", (uint64_t)g.best + 1);
				json_hex(j, "value", k->value);
				json_hex(j, "unknown", k->unknown);
				json_u64(j, "score", g.best_score);
				json_u64(j, "of", g.of);
				json_obj_end(j);
			} else {
				sbuf_printf(&o->text, "  No candidate: fields 0/%u\n", g.of);
				json_null(j, "best");
			}
			if (g.best < 0 && g.best_partial >= 0) {
				const struct regrec_cand *k = &rr->partial[g.best_partial];
				sbuf_printf(&o->text, "  Best partial value (not usable): 0x%llx (unknown 0x%llx), fields %u/%u known "
						      "and equal%s\n", (unsigned long long)k->value, (unsigned long long)k->unknown,
					    g.best_partial_score, g.of,
					    g.best_partial_agrees ? ", every known bit agrees" : ", some known bits differ");
				json_obj_begin(j, "best_partial");
				json_hex(j, "value", k->value);
				json_hex(j, "unknown", k->unknown);
				json_u64(j, "score", g.best_partial_score);
				json_u64(j, "of", g.of);
				json_bool(j, "agrees", g.best_partial_agrees);
				json_obj_end(j);
			}
			json_bool(j, "exact", g.exact);
		}
		sbuf_printf(&o->text, "  TP: %u  FP: %u  FN: %u", g.tp, g.fp, g.fn);
		if (g.fp_all != g.fp)
			sbuf_printf(&o->text, "  (FP counting this false negative's values: %u)", g.fp_all);
		sbuf_printf(&o->text, "\n");
		json_u64(j, "tp", g.tp);
		json_u64(j, "fp", g.fp);
		json_u64(j, "fn", g.fn);
		static const char *const cls[] = {"true_positives", "false_positives"};
		for (int c = 0; c < 2; c++) {
			json_arr_begin(j, cls[c]);
			for (size_t k = 0; k < rr->ncands; k++) {
				if (g.cand_match[k] != (c == 0))
					continue;
				json_obj_begin(j, NULL);
				json_u64(j, "rank", k + 1);
				json_hex(j, "value", rr->cands[k].value);
				json_hex(j, "unknown", rr->cands[k].unknown);
				json_u64(j, "score", g.has_gt ? regrec_score(r, rr->cands[k].value, rr->cands[k].unknown, g.latest, NULL) : 0);
				json_obj_end(j);
			}
			json_arr_end(j);
		}
		json_arr_begin(j, "false_negatives");
		if (g.fn)
			json_hex(j, NULL, g.latest);
		json_arr_end(j);
		if (g.nlogged)
			sbuf_printf(&o->text, "  Logged values:\n");
		json_arr_begin(j, "logged");
		for (size_t i = 0; i < g.nlogged; i++) {
			const struct regrec_gt_logged *l = &g.logged[i];
			sbuf_printf(&o->text, "    %-8s 0x%llx  first %.2f s  last %.2f s  %s\n", l->name, (unsigned long long)l->value,
				    l->first_seen, l->last_seen, l->exact ? "found (exact)" : l->found ? "found (key fields)" : "not found");
			json_obj_begin(j, NULL);
			json_str(j, "name", l->name);
			json_hex(j, "value", l->value);
			json_double(j, "first_seen", l->first_seen);
			json_double(j, "last_seen", l->last_seen);
			json_bool(j, "found", l->found);
			json_bool(j, "exact", l->exact);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_bool(j, "compared", true);
		json_bool(j, "from_config", g.from_config);
		json_u64(j, "fp_all", g.fp_all);
		json_obj_end(j);
		regrec_gt_free(&g);
	}
	json_arr_end(j);
	json_u64(j, "fp_all", fp_all);
	json_u64(j, "not_compared", skipped);
	json_u64(j, "tp", tp);
	json_u64(j, "fp", fp);
	json_u64(j, "fn", fn);
	json_obj_end(j);
	if (skipped)
		sbuf_printf(&o->text, "%u register%s with no ground truth and no cpu.registers_values default: not compared\n",
			    skipped, skipped == 1 ? "" : "s");
	sbuf_printf(&o->text, "TP: %u  FP: %u  FN: %u", tp, fp, fn);
	if (fp_all != fp)
		sbuf_printf(&o->text, "  FP (all): %u", fp_all);
	sbuf_printf(&o->text, "\n");
	return 0;
}

const struct command cmd_show_registers_gtruth = {
	.name = "show_registers_gtruth",
	.usage = "",
	.summary = "recovered register values (TTBCR, TCR_EL1, CP0, SDR1, BATs, SRs) against the ground truth: TP/FP/FN",
	.max_args = 0,
	.run = run_gtruth,
};

/* ---- set_tcr, set_ttbcr ---- */

static int set_register(struct analysis *a, const char *cmd, const char *arg, struct cmd_out *o, struct err *e)
{
	const struct regrec_ops *ops = regrec_ops_of(a);
	const struct regrec_reg *r = regrec_reg_by_set_command(ops, cmd);
	if (!r) {
		if (!ops)
			return not_applicable(a, e);
		for (size_t i = 0; i < ops->nregs; i++)
			if (ops->regs[i].set_command)
				return err_set(e, "does not apply to architecture %s (use %s)", a->cfg.arch->name,
					       ops->regs[i].set_command);
		return not_applicable(a, e);
	}
	struct reg_results *res = regrec_results(a);
	struct regrec_regres *rr = &res->regs[r - ops->regs];
	uint64_t v;
	if (arg[0] == '#') {
		uint64_t k;
		if (parse_u64(arg + 1, &k) || k == 0)
			return err_set(e, "'%s': a candidate is chosen as #1, #2 ... (rank in show_registers)", arg);
		if (!res->found)
			return err_set(e, "no candidates yet: run find_registers_values first, or give a value");
		if (k > rr->ncands)
			return err_set(e, "no candidate #%llu: %s has %zu", (unsigned long long)k, r->display, rr->ncands);
		v = rr->cands[k - 1].value;
	} else if (cmd_arg_u64(r->display, arg, &v, e)) {
		return -1;
	}
	const char *why = regrec_check_machine(r, &a->cfg, v, 0);
	if (why)
		return err_set(e, "invalid %s value 0x%llx: %s", r->display, (unsigned long long)v, why);
	why = regrec_unusable(r, &a->cfg, v, 0);
	if (why)
		return err_set(e, "%s value 0x%llx cannot be used by find_tables: %s", r->display, (unsigned long long)v,
			       why);
	rr->overridden = true;
	rr->override = v;
	a->dirty = true;
	bool dropped = radix_drop_stale(a);
	sbuf_printf(&o->text, "%s set to 0x%llx => ", r->display, (unsigned long long)v);
	text_fields(&o->text, r, v, 0);
	sbuf_printf(&o->text, "\n");
	if (dropped)
		sbuf_printf(&o->text, "The tables and trees found with the previous value give other shapes: dropped "
				      "(run find_tables again).\n");
	struct json *j = &o->json;
	json_obj_begin(j, NULL);
	json_str(j, "name", r->name);
	json_hex(j, "value", v);
	json_str(j, "layout", regrec_layout_of(r, v)->name);
	json_fields(j, r, v, 0);
	json_bool(j, "tables_dropped", dropped);
	json_str(j, "origin", cmd);
	json_obj_end(j);
	return 0;
}

static int run_set_tcr(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	(void)argc;
	return set_register(a, "set_tcr", argv[0], o, e);
}

static int run_set_ttbcr(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	(void)argc;
	return set_register(a, "set_ttbcr", argv[0], o, e);
}

const struct command cmd_set_tcr = {
	.name = "set_tcr",
	.usage = "VALUE|#RANK",
	.summary = "AArch64: use this TCR_EL1 value (or the candidate of that rank) instead of the selected one",
	.min_args = 1,
	.max_args = 1,
	.run = run_set_tcr,
};

const struct command cmd_set_ttbcr = {
	.name = "set_ttbcr",
	.usage = "VALUE|#RANK",
	.summary = "ARM: use this TTBCR value (or the candidate of that rank) instead of the selected one",
	.min_args = 1,
	.max_args = 1,
	.run = run_set_ttbcr,
};

/* ---- parse_memory on MIPS and PowerPC: the sites found ---- */

void regrec_report_sites(const struct analysis *a, struct cmd_out *o)
{
	const struct reg_results *res = a->regs;
	const struct regrec_ops *ops = res ? res->ops : NULL;
	struct json *j = &o->json;
	char sz[32];
	if (!ops)
		return;
	size_t n = ops->nsysregs;
	unsigned *w = xcalloc(n + 1, sizeof(*w)), *r = xcalloc(n + 1, sizeof(*r));
	for (size_t i = 0; i < res->sites.n; i++) {
		const struct regrec_site *s = &res->sites.v[i];
		size_t k = s->sysreg < n ? s->sysreg : n;
		if (s->kind == RR_WRITE || s->kind == RR_WRITE64)
			w[k]++;
		else if (s->kind == RR_READ || s->kind == RR_READ64)
			r[k]++;
	}
	char lim[64];
	sbuf_printf(&o->text, "Scanned %s of code%s in %.2f s: %zu MMU register access%s\n",
		    fmt_size(res->scanned_bytes, sz, sizeof(sz)), scan_limit_note(a, lim, sizeof(lim)), res->scan_seconds,
		    res->sites.n, res->sites.n == 1 ? "" : "es");
	json_obj_begin(j, "code");
	json_u64(j, "scanned_bytes", res->scanned_bytes);
	json_scan_limit(j, res);
	json_double(j, "seconds", res->scan_seconds);
	json_u64(j, "sites", res->sites.n);
	json_u64(j, "dropped_sites", res->dropped_sites);
	json_arr_begin(j, "registers");
	for (size_t k = 0; k < n; k++) {
		if (!w[k] && !r[k])
			continue;
		sbuf_printf(&o->text, "  %-14s %u write%s, %u read%s\n", ops->sysregs[k].name, w[k], w[k] == 1 ? "" : "s",
			    r[k], r[k] == 1 ? "" : "s");
		json_obj_begin(j, NULL);
		json_str(j, "name", ops->sysregs[k].name);
		json_u64(j, "writes", w[k]);
		json_u64(j, "reads", r[k]);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	free(w);
	free(r);
}
