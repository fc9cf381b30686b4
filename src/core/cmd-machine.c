/* show_machine and show_memory_map: what the machine description says. */
#include "autoconfig.h"

#include <stdlib.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "table.h"

static void json_kvs(struct json *j, const char *key, const struct config_kv *kv, size_t n)
{
	json_obj_begin(j, key);
	for (size_t i = 0; i < n; i++) {
		if (kv[i].is_int)
			json_u64(j, kv[i].name, kv[i].value);
		else
			json_str(j, kv[i].name, kv[i].text);
	}
	json_obj_end(j);
}

static int run_show_machine(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	(void)argc, (void)argv, (void)e;
	const struct machine_config *c = &a->cfg;
	const char *endian = c->endian == ENDIAN_BIG ? "big" : "little";
	char sz[32];

	sbuf_printf(&o->text, "Machine:      %s\n", c->path);
	if (c->format_about) {
		/* A container leaves values to options and defaults: say which. */
		sbuf_printf(&o->text, "Input:        %s\n", c->format_about);
		for (size_t i = 0; i < c->norigins; i++)
			sbuf_printf(&o->text, "  %-12s %s\n", c->origins[i].what, c->origins[i].how);
	}
	sbuf_printf(&o->text, "Architecture: %s (%s)\n", c->arch->name, c->arch->about);
	sbuf_printf(&o->text, "MMU mode:     %s (%s)\n", config_mode_name(c), c->arch->modes[c->mode].about);
	sbuf_printf(&o->text, "Endianness:   %s\n", endian);
	sbuf_printf(&o->text, "Bits:         %d\n", c->bits);
	sbuf_printf(&o->text, "RAM:          %s in %zu region%s\n", fmt_size(a->pm.ram_bytes, sz, sizeof(sz)), c->nram,
		    c->nram == 1 ? "" : "s");
	for (size_t i = 0; i < c->nram; i++) {
		sbuf_printf(&o->text, "  0x%016llx-0x%016llx  %s", (unsigned long long)c->ram[i].start,
			    (unsigned long long)c->ram[i].end, c->ram[i].path);
		if (c->ram[i].file_offset)
			sbuf_printf(&o->text, " at offset 0x%llx", (unsigned long long)c->ram[i].file_offset);
		sbuf_putc(&o->text, '\n');
	}
	if (c->nfeatures) {
		sbuf_printf(&o->text, "Processor features:\n");
		for (size_t i = 0; i < c->nfeatures; i++)
			sbuf_printf(&o->text, "  %s: %s\n", c->features[i].name, c->features[i].text);
	}
	if (c->nregisters) {
		sbuf_printf(&o->text, "Register values:\n");
		for (size_t i = 0; i < c->nregisters; i++)
			sbuf_printf(&o->text, "  %s: 0x%llx\n", c->registers[i].name,
				    (unsigned long long)c->registers[i].value);
	}

	struct json *j = &o->json;
	json_obj_begin(j, NULL);
	json_str(j, "config", c->path);
	json_str(j, "architecture", c->arch->name);
	json_str(j, "mode", config_mode_name(c));
	json_str(j, "endianness", endian);
	json_u64(j, "bits", (uint64_t)c->bits);
	json_u64(j, "ram_bytes", a->pm.ram_bytes);
	json_arr_begin(j, "ram");
	for (size_t i = 0; i < c->nram; i++) {
		json_obj_begin(j, NULL);
		json_hex(j, "start", c->ram[i].start);
		json_hex(j, "end", c->ram[i].end);
		json_u64(j, "size", c->ram[i].end - c->ram[i].start + 1);
		json_str(j, "dumpfile", c->ram[i].path);
		if (c->ram[i].file_offset)
			json_u64(j, "offset", c->ram[i].file_offset);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_arr_begin(j, "not_ram");
	for (size_t i = 0; i < c->nnot_ram; i++) {
		json_obj_begin(j, NULL);
		json_hex(j, "start", c->not_ram[i].start);
		json_hex(j, "end", c->not_ram[i].end);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_kvs(j, "processor_features", c->features, c->nfeatures);
	json_kvs(j, "registers_values", c->registers, c->nregisters);
	json_obj_begin(j, "input");
	json_str(j, "format", c->format ? c->format : "yaml");
	if (c->format_about)
		json_str(j, "about", c->format_about);
	json_obj_begin(j, "origins");
	for (size_t i = 0; i < c->norigins; i++)
		json_str(j, c->origins[i].what, c->origins[i].how);
	json_obj_end(j);
	json_obj_end(j);
	json_obj_end(j);
	return 0;
}

const struct command cmd_show_machine = {
	.name = "show_machine",
	.usage = "",
	.summary = "architecture, MMU mode, byte order, word size and dump files",
	.max_args = 0,
	.run = run_show_machine,
};

enum span_kind { SPAN_RAM, SPAN_NOT_RAM, SPAN_HOLE };
static const char *const span_names[] = {"ram", "not_ram", "hole"};

struct span {
	uint64_t start, last;
	enum span_kind kind;
	const char *file;       /* RAM: the region's dump file */
};

/* Cuts [0, top] into RAM regions (one span per dump file), not-RAM (minus RAM) and holes, in address order. */
static size_t memory_spans(const struct physmem *pm, struct span **out)
{
	struct ivset all;
	struct span *v = NULL;
	size_t n = 0, cap = 0;
	ivset_init(&all);
	ivset_union(&all, &pm->ram, &pm->not_valid);
	uint64_t top = all.n ? all.v[all.n - 1].last : 0;
	uint64_t at = 0;
	bool done = false;
	size_t ir = 0, iv = 0;
	while (!done) {
		uint64_t rs = ir < pm->nregions ? pm->regions[ir].start : UINT64_MAX;
		uint64_t vs = iv < pm->not_valid.n ? pm->not_valid.v[iv].start : UINT64_MAX;
		struct span s;
		if (ir < pm->nregions && rs == at) {
			s = (struct span){at, pm->regions[ir].end, SPAN_RAM, pm->regions[ir].path};
			ir++;
		} else if (iv < pm->not_valid.n && vs == at) {
			s = (struct span){at, pm->not_valid.v[iv++].last, SPAN_NOT_RAM, ""};
		} else {
			uint64_t next = MMU_MIN(rs, vs);
			if (next == UINT64_MAX && ir >= pm->nregions && iv >= pm->not_valid.n)
				break; /* nothing after: no trailing hole */
			s = (struct span){at, next - 1, SPAN_HOLE, ""};
		}
		VEC_PUSH(v, n, cap, s);
		if (s.last >= top || s.last == UINT64_MAX)
			done = true;
		else
			at = s.last + 1;
	}
	ivset_free(&all);
	*out = v;
	return n;
}

static int run_show_memory_map(struct analysis *a, int argc, char **argv, struct cmd_out *o, struct err *e)
{
	(void)argc, (void)argv, (void)e;
	static const char *const head[] = {"Start", "End", "Size", "Kind", "Dump file"};
	struct span *spans;
	size_t n = memory_spans(&a->pm, &spans);
	uint64_t totals[3] = {0, 0, 0};
	struct table t;
	struct json *j = &o->json;
	char sz[32];

	table_init(&t, 5, head);
	t.right_align = 1u << 2;
	json_obj_begin(j, NULL);
	json_arr_begin(j, "regions");
	for (size_t i = 0; i < n; i++) {
		uint64_t size = spans[i].last - spans[i].start + 1;
		const char *file = spans[i].file;
		totals[spans[i].kind] += size;
		table_cell(&t, "0x%016llx", (unsigned long long)spans[i].start);
		table_cell(&t, "0x%016llx", (unsigned long long)spans[i].last);
		table_cell(&t, "%s", fmt_size(size, sz, sizeof(sz)));
		table_cell(&t, "%s", span_names[spans[i].kind]);
		table_cell(&t, "%s", file);
		json_obj_begin(j, NULL);
		json_hex(j, "start", spans[i].start);
		json_hex(j, "end", spans[i].last);
		json_u64(j, "size", size);
		json_str(j, "kind", span_names[spans[i].kind]);
		if (*file)
			json_str(j, "dumpfile", file);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_u64(j, "ram_bytes", totals[SPAN_RAM]);
	json_u64(j, "not_ram_bytes", totals[SPAN_NOT_RAM]);
	json_u64(j, "hole_bytes", totals[SPAN_HOLE]);
	json_obj_end(j);
	table_render(&t, &o->text);
	sbuf_printf(&o->text, "RAM %s", fmt_size(totals[SPAN_RAM], sz, sizeof(sz)));
	sbuf_printf(&o->text, ", not-RAM %s", fmt_size(totals[SPAN_NOT_RAM], sz, sizeof(sz)));
	sbuf_printf(&o->text, ", holes %s\n", fmt_size(totals[SPAN_HOLE], sz, sizeof(sz)));
	table_free(&t);
	free(spans);
	return 0;
}

const struct command cmd_show_memory_map = {
	.name = "show_memory_map",
	.usage = "",
	.summary = "RAM, not-RAM (MMIO) and holes of the physical address space, with sizes",
	.max_args = 0,
	.run = run_show_memory_map,
};
