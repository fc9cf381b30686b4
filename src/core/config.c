#include "autoconfig.h"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "arch.h"
#include "yamlfile.h"

/* A machine description is a few hundred bytes; a file far bigger is not one. */
#define CONFIG_MAX_BYTES (16u << 20)

/* Parsing context: the document and where errors go. */
struct ycx {
	const char *file;
	yaml_document_t doc;
	struct err *e;
};

static struct yaml_pos node_pos(const yaml_node_t *n)
{
	struct yaml_pos p = {0, 0};
	if (n) {
		p.line = (int)n->start_mark.line + 1;
		p.col = (int)n->start_mark.column + 1;
	}
	return p;
}

static int verr_at(const char *file, struct yaml_pos pos, struct err *e, const char *fmt, va_list ap)
{
	char msg[768];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (pos.line > 0)
		return err_set(e, "%s:%d:%d: %s", file, pos.line, pos.col, msg);
	return err_set(e, "%s: %s", file, msg);
}

MMU_PRINTF(3, 4)
static int yerr(struct ycx *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr_at(c->file, node_pos(n), c->e, fmt, ap);
	va_end(ap);
	return -1;
}

int config_error_at(const struct machine_config *cfg, struct yaml_pos pos, struct err *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr_at(cfg->path, pos, e, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static bool is_null_scalar(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = scalar(n);
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

static yaml_node_t *map_get(struct ycx *c, yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
		if (k && k->type == YAML_SCALAR_NODE && !strcmp(scalar(k), key))
			return yaml_document_get_node(&c->doc, p->value);
	}
	return NULL;
}

struct key_at {
	const char *key;
	const yaml_node_t *node;
};

static int cmp_key_at(const void *a, const void *b)
{
	const struct key_at *x = a, *y = b;
	int d = strcmp(x->key, y->key);
	if (d)
		return d;
	return x->node->start_mark.index < y->node->start_mark.index ? -1 : 1;
}

/*
 * A key given twice in one mapping is an error: which one counts is a guess
 * (PyYAML keeps the last, map_get the first).  Sorted, so a huge map stays cheap.
 */
static int check_duplicate_keys(struct ycx *c)
{
	for (yaml_node_t *m = c->doc.nodes.start; m < c->doc.nodes.top; m++) {
		if (m->type != YAML_MAPPING_NODE)
			continue;
		size_t n = 0, cap = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
		if (cap < 2)
			continue;
		struct key_at *keys = xcalloc(cap, sizeof(*keys));
		for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
			if (k && k->type == YAML_SCALAR_NODE)
				keys[n++] = (struct key_at){scalar(k), k};
		}
		qsort(keys, n, sizeof(*keys), cmp_key_at);
		for (size_t i = 1; i < n; i++)
			if (!strcmp(keys[i].key, keys[i - 1].key)) {
				struct yaml_pos first = node_pos(keys[i - 1].node);
				yerr(c, keys[i].node, "duplicate key '%s' (first at %d:%d)", keys[i].key, first.line, first.col);
				free(keys);
				return -1;
			}
		free(keys);
	}
	return 0;
}

/* Fetches parent.key, which must exist (when required) and be of type t. */
static int get_typed(struct ycx *c, yaml_node_t *parent, const char *path, const char *key,
		     yaml_node_type_t t, bool required, yaml_node_t **out)
{
	yaml_node_t *n = map_get(c, parent, key);
	*out = NULL;
	if (!n || is_null_scalar(n)) {
		if (required)
			return yerr(c, parent, "missing required key '%s%s%s'", path, *path ? "." : "", key);
		return 0;
	}
	if (n->type != t) {
		const char *want = t == YAML_SCALAR_NODE ? "a scalar" : t == YAML_SEQUENCE_NODE ? "a list" : "a mapping";
		return yerr(c, n, "'%s%s%s' must be %s, not %s", path, *path ? "." : "", key, want, node_kind(n));
	}
	*out = n;
	return 0;
}

/* True when n is a plain (unquoted) scalar that parses as an integer: a
 * quoted "0x1" is a string, whatever it spells. */
static bool plain_u64(yaml_node_t *n, uint64_t *out)
{
	return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       !parse_u64(scalar(n), out);
}

static int scalar_u64(struct ycx *c, yaml_node_t *n, const char *what, uint64_t *out)
{
	if (plain_u64(n, out))
		return 0;
	if (n->type != YAML_SCALAR_NODE)
		return yerr(c, n, "'%s' must be an integer, not %s", what, node_kind(n));
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return yerr(c, n, "'%s' must be an integer, not a quoted string ('%s')", what, scalar(n));
	if (*scalar(n) == '-')
		return yerr(c, n, "'%s' must be a non-negative integer (got '%s')", what, scalar(n));
	return yerr(c, n, "'%s' must be an integer, decimal or 0x hexadecimal (got '%s')", what, scalar(n));
}

static int get_u64(struct ycx *c, yaml_node_t *parent, const char *path, const char *key, uint64_t *out)
{
	yaml_node_t *n = map_get(c, parent, key);
	char what[128];
	if (!n || is_null_scalar(n))
		return yerr(c, parent, "missing required key '%s.%s'", path, key);
	snprintf(what, sizeof(what), "%s.%s", path, key);
	return scalar_u64(c, n, what, out);
}

static int get_str(struct ycx *c, yaml_node_t *parent, const char *path, const char *key, const char **out)
{
	yaml_node_t *n;
	if (get_typed(c, parent, path, key, YAML_SCALAR_NODE, true, &n))
		return -1;
	if (!*scalar(n))
		return yerr(c, n, "'%s.%s' must not be empty", path, key);
	*out = scalar(n);
	return 0;
}

/* processor_features / registers_values: name -> scalar (integers where they parse). */
static int read_kv_map(struct ycx *c, yaml_node_t *map, const char *path, bool ints_only,
		       struct config_kv **out, size_t *nout)
{
	size_t cap = 0;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&c->doc, p->value);
		if (!k || !v || k->type != YAML_SCALAR_NODE)
			return yerr(c, k ? k : map, "'%s' keys must be names", path);
		struct config_kv kv = {0};
		kv.pos = node_pos(v);
		if (v->type != YAML_SCALAR_NODE) {
			if (ints_only)
				return yerr(c, v, "'%s.%s' must be an integer, not %s", path, scalar(k), node_kind(v));
			continue; /* nested feature maps are ignored, as unknown keys are */
		}
		kv.is_int = plain_u64(v, &kv.value);
		if (ints_only && !kv.is_int) {
			char what[160];
			snprintf(what, sizeof(what), "%s.%s", path, scalar(k));
			return scalar_u64(c, v, what, &kv.value);
		}
		kv.name = xstrdup(scalar(k));
		kv.text = xstrdup(scalar(v));
		VEC_PUSH(*out, *nout, cap, kv);
	}
	return 0;
}

static int read_cpu(struct ycx *c, yaml_node_t *root, struct machine_config *cfg)
{
	yaml_node_t *cpu, *n;
	const char *s;
	uint64_t bits;
	char names[256];

	if (get_typed(c, root, "", "cpu", YAML_MAPPING_NODE, true, &cpu))
		return -1;
	cfg->pos_cpu = node_pos(cpu);
	if (get_str(c, cpu, "cpu", "architecture", &s))
		return -1;
	cfg->pos_arch = node_pos(map_get(c, cpu, "architecture"));
	cfg->arch = arch_find(s);
	if (get_str(c, cpu, "cpu", "endianness", &s))
		return -1;
	n = map_get(c, cpu, "endianness");
	cfg->pos_endian = node_pos(n);
	if (!strcasecmp_ascii(s, "little"))
		cfg->endian = ENDIAN_LITTLE;
	else if (!strcasecmp_ascii(s, "big"))
		cfg->endian = ENDIAN_BIG;
	else
		return yerr(c, n, "'cpu.endianness' must be little or big (got '%s')", s);
	if (get_u64(c, cpu, "cpu", "bits", &bits))
		return -1;
	if (bits != 32 && bits != 64)
		return yerr(c, map_get(c, cpu, "bits"), "'cpu.bits' must be 32 or 64 (got %llu)",
			    (unsigned long long)bits);
	cfg->bits = (int)bits;
	if (get_typed(c, cpu, "cpu", "processor_features", YAML_MAPPING_NODE, false, &n))
		return -1;
	if (n) {
		cfg->pos_features = node_pos(n);
		if (read_kv_map(c, n, "cpu.processor_features", false, &cfg->features, &cfg->nfeatures))
			return -1;
	} else {
		cfg->pos_features = cfg->pos_cpu;
	}
	if (get_typed(c, cpu, "cpu", "registers_values", YAML_MAPPING_NODE, false, &n))
		return -1;
	if (n && read_kv_map(c, n, "cpu.registers_values", true, &cfg->registers, &cfg->nregisters))
		return -1;
	if (!cfg->arch)
		return yerr(c, map_get(c, cpu, "architecture"), "unknown architecture '%s' (known: %s)",
			    scalar(map_get(c, cpu, "architecture")), arch_list_names(names, sizeof(names)));
	return 0;
}

static int read_mmu(struct ycx *c, yaml_node_t *root, struct machine_config *cfg)
{
	yaml_node_t *mmu;
	const char *mode;
	char modes[256];
	if (get_typed(c, root, "", "mmu", YAML_MAPPING_NODE, true, &mmu) || get_str(c, mmu, "mmu", "mode", &mode))
		return -1;
	cfg->pos_mmu_mode = node_pos(map_get(c, mmu, "mode"));
	cfg->mode = arch_find_mode(cfg->arch, mode);
	if (cfg->mode < 0)
		return yerr(c, map_get(c, mmu, "mode"), "unknown MMU mode '%s' for architecture %s (accepted: %s)", mode,
			    cfg->arch->name, arch_list_modes(cfg->arch, modes, sizeof(modes)));
	int need = cfg->arch->modes[cfg->mode].bits;
	if (need && need != cfg->bits)
		return yerr(c, map_get(c, mmu, "mode"), "MMU mode %s needs cpu.bits %d (got %d)", mode, need, cfg->bits);
	if (!(cfg->arch->endians & (1u << cfg->endian)))
		return config_error_at(cfg, cfg->pos_endian, c->e, "architecture %s does not run %s-endian",
				       cfg->arch->name, cfg->endian == ENDIAN_BIG ? "big" : "little");
	return 0;
}

static int cmp_ram(const void *a, const void *b)
{
	const struct ram_region *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* A RAM region's place in the file, for the overlap check. */
struct ram_order {
	uint64_t start, end;
	size_t idx;
};

static int cmp_order(const void *a, const void *b)
{
	const struct ram_order *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int read_ranges(struct ycx *c, yaml_node_t *list, const char *path, bool ram, const char *dir,
		       struct machine_config *cfg)
{
	size_t cap = 0, idx = 0;
	for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++, idx++) {
		yaml_node_t *item = yaml_document_get_node(&c->doc, *it);
		char ipath[64];
		uint64_t start, end;
		snprintf(ipath, sizeof(ipath), "%s[%zu]", path, idx);
		if (!item || item->type != YAML_MAPPING_NODE)
			return yerr(c, item ? item : list, "'%s' must be a mapping with start and end, not %s", ipath,
				    item ? node_kind(item) : "nothing");
		if (get_u64(c, item, ipath, "start", &start) || get_u64(c, item, ipath, "end", &end))
			return -1;
		if (end < start)
			return yerr(c, map_get(c, item, "end"), "%s: end 0x%llx is below start 0x%llx", ipath,
				    (unsigned long long)end, (unsigned long long)start);
		if (ram) {
			const char *df;
			if (get_str(c, item, ipath, "dumpfile", &df))
				return -1;
			struct ram_region r = {.start = start, .end = end, .pos = node_pos(item)};
			/* Extension: a region may start inside a bigger file (an ELF core, a LiME file). */
			if (map_get(c, item, "offset") && get_u64(c, item, ipath, "offset", &r.file_offset))
				return -1;
			r.dumpfile = xstrdup(df);
			r.path = path_join(dir, df);
			VEC_PUSH(cfg->ram, cfg->nram, cap, r);
		} else {
			struct phys_range r = {.start = start, .end = end, .pos = node_pos(item)};
			VEC_PUSH(cfg->not_ram, cfg->nnot_ram, cap, r);
		}
	}
	return 0;
}

static int read_memspace(struct ycx *c, yaml_node_t *root, struct machine_config *cfg)
{
	yaml_node_t *ms, *ram, *not_ram;
	if (get_typed(c, root, "", "memspace", YAML_MAPPING_NODE, true, &ms) ||
	    get_typed(c, ms, "memspace", "ram", YAML_SEQUENCE_NODE, true, &ram) ||
	    get_typed(c, ms, "memspace", "not_ram", YAML_SEQUENCE_NODE, false, &not_ram))
		return -1;
	if (ram->data.sequence.items.top == ram->data.sequence.items.start)
		return yerr(c, ram, "'memspace.ram' is empty: at least one RAM region is needed");
	char *dir = path_dirname(c->file);
	int rc = read_ranges(c, ram, "memspace.ram", true, dir, cfg);
	free(dir);
	if (rc || (not_ram && read_ranges(c, not_ram, "memspace.not_ram", false, NULL, cfg)))
		return -1;
	/*
	 * Overlaps, named by YAML index: sorted by start, any overlap shows
	 * between neighbours (pairwise checks took minutes on 300000 regions).
	 * Of those, the pair whose later region comes first in the file.
	 */
	struct ram_order *ord = xcalloc(cfg->nram, sizeof(*ord));
	size_t bi = SIZE_MAX, bj = SIZE_MAX;
	for (size_t i = 0; i < cfg->nram; i++)
		ord[i] = (struct ram_order){cfg->ram[i].start, cfg->ram[i].end, i};
	qsort(ord, cfg->nram, sizeof(*ord), cmp_order);
	for (size_t k = 1; k < cfg->nram; k++)
		if (ord[k].start <= ord[k - 1].end) {
			size_t i = MMU_MIN(ord[k - 1].idx, ord[k].idx), j = MMU_MAX(ord[k - 1].idx, ord[k].idx);
			if (j < bj || (j == bj && i < bi)) {
				bi = i;
				bj = j;
			}
		}
	free(ord);
	if (bj != SIZE_MAX) {
		const struct ram_region *a = &cfg->ram[bi], *b = &cfg->ram[bj];
		return yerr(c, yaml_document_get_node(&c->doc, ram->data.sequence.items.start[bj]),
			    "memspace.ram[%zu] [0x%llx-0x%llx] overlaps memspace.ram[%zu] [0x%llx-0x%llx]", bj,
			    (unsigned long long)b->start, (unsigned long long)b->end, bi, (unsigned long long)a->start,
			    (unsigned long long)a->end);
	}
	qsort(cfg->ram, cfg->nram, sizeof(*cfg->ram), cmp_ram);
	return 0;
}

int config_check_dumps(const struct machine_config *cfg, struct err *e)
{
	/* Each region is a mapping of its own: the system allows some 65000 per process. */
	if (cfg->nram > CONFIG_MAX_REGIONS)
		return config_error_at(cfg, (struct yaml_pos){0, 0}, e,
				       "%zu RAM regions: more than the %d mmushell maps (a machine's memory map has tens)",
				       cfg->nram, CONFIG_MAX_REGIONS);
	for (size_t i = 0; i < cfg->nram; i++) {
		const struct ram_region *r = &cfg->ram[i];
		struct stat st;
		/* Non-blocking: a FIFO named as a dump file must not hang the open (it is refused below). */
		int fd = open(r->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			return config_error_at(cfg, r->pos, e, "cannot open dump file '%s': %s", r->path, strerror(errno));
		int rc = fstat(fd, &st);
		int saved = errno;
		close(fd);
		if (rc)
			return config_error_at(cfg, r->pos, e, "cannot stat dump file '%s': %s", r->path, strerror(saved));
		if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
			return config_error_at(cfg, r->pos, e, "dump file '%s' is not a regular file", r->path);
		uint64_t want = r->end - r->start + 1; /* wraps to 0 for the whole 2^64 space */
		uint64_t have = (uint64_t)st.st_size;
		/* A raw file is exactly the region; a region inside a container (ELF, LiME) must fit. */
		bool bad = want == 0 || (r->file_offset == 0 ? have != want
				       : have < r->file_offset || have - r->file_offset < want);
		if (S_ISREG(st.st_mode) && bad && want == 0)
			return config_error_at(cfg, r->pos, e,
					       "dump file '%s' has %llu bytes but the region 0x%llx-0x%llx declares 2^64 bytes "
					       "(the whole address space)", r->path, (unsigned long long)st.st_size,
					       (unsigned long long)r->start, (unsigned long long)r->end);
		if (S_ISREG(st.st_mode) && bad)
			return config_error_at(cfg, r->pos, e,
					       "dump file '%s' has %llu bytes but the region 0x%llx-0x%llx declares %llu bytes",
					       r->path, (unsigned long long)st.st_size, (unsigned long long)r->start,
					       (unsigned long long)r->end, (unsigned long long)want);
	}
	return 0;
}

int config_load(const char *path, struct machine_config *cfg, struct err *e)
{
	struct ycx c = {.file = path, .e = e};
	int rc = -1;
	memset(cfg, 0, sizeof(*cfg));
	cfg->path = xstrdup(path);
	cfg->format = "yaml";

	if (yamlfile_load(path, "a machine description", CONFIG_MAX_BYTES, true, &c.doc, e))
		return -1;

	yaml_node_t *root = yaml_document_get_root_node(&c.doc);
	if (!root)
		err_set(e, "%s: empty YAML document: a machine description needs cpu, mmu and memspace", path);
	else if (root->type != YAML_MAPPING_NODE)
		yerr(&c, root, "the machine description must be a mapping with cpu, mmu and memspace, not %s",
		     node_kind(root));
	else if (!check_duplicate_keys(&c) && !read_cpu(&c, root, cfg) && !read_mmu(&c, root, cfg) && !read_memspace(&c, root, cfg) &&
		 !(cfg->arch->check_config && cfg->arch->check_config(cfg, e)) && !config_check_dumps(cfg, e))
		rc = 0;
	yaml_document_delete(&c.doc);
	return rc;
}

static void free_kvs(struct config_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kv[i].name);
		free(kv[i].text);
	}
	free(kv);
}

void config_free(struct machine_config *cfg)
{
	free(cfg->path);
	free(cfg->format_about);
	for (size_t i = 0; i < cfg->norigins; i++) {
		free(cfg->origins[i].what);
		free(cfg->origins[i].how);
	}
	free(cfg->origins);
	free_kvs(cfg->features, cfg->nfeatures);
	free_kvs(cfg->registers, cfg->nregisters);
	for (size_t i = 0; i < cfg->nram; i++) {
		free(cfg->ram[i].dumpfile);
		free(cfg->ram[i].path);
	}
	free(cfg->ram);
	free(cfg->not_ram);
	memset(cfg, 0, sizeof(*cfg));
}

static const struct config_kv *kv_find(const struct config_kv *kv, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp_ascii(kv[i].name, name))
			return &kv[i];
	return NULL;
}

const struct config_kv *config_feature(const struct machine_config *cfg, const char *name)
{
	return kv_find(cfg->features, cfg->nfeatures, name);
}

const struct config_kv *config_register(const struct machine_config *cfg, const char *name)
{
	return kv_find(cfg->registers, cfg->nregisters, name);
}

void config_set_register(struct machine_config *cfg, const char *name, uint64_t value)
{
	struct config_kv *kv = (struct config_kv *)kv_find(cfg->registers, cfg->nregisters, name);
	if (!kv) {
		size_t cap = cfg->nregisters;
		struct config_kv n = {.name = xstrdup(name)};
		VEC_PUSH(cfg->registers, cfg->nregisters, cap, n);
		kv = &cfg->registers[cfg->nregisters - 1];
	}
	free(kv->text);
	kv->text = xasprintf("0x%llx", (unsigned long long)value);
	kv->value = value;
	kv->is_int = true;
}

const char *config_mode_name(const struct machine_config *cfg)
{
	return cfg->arch->modes[cfg->mode].name;
}

void config_add_origin(struct machine_config *cfg, const char *what, const char *fmt, ...)
{
	va_list ap;
	size_t cap = cfg->norigins;
	struct config_origin o = {.what = xstrdup(what)};
	va_start(ap, fmt);
	o.how = xvasprintf(fmt, ap);
	va_end(ap);
	VEC_PUSH(cfg->origins, cfg->norigins, cap, o);
}
