#include "autoconfig.h"

#include "fz.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "export.h"
#include "findings.h"
#include "mkdump/mkdump.h"
#include "radix.h"
#include "regrec.h"

uint8_t fz_u8(struct fz_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

uint16_t fz_u16(struct fz_in *in)
{
	uint16_t v = fz_u8(in);
	return (uint16_t)(v | fz_u8(in) << 8);
}

uint32_t fz_u32(struct fz_in *in)
{
	uint32_t v = fz_u16(in);
	return v | (uint32_t)fz_u16(in) << 16;
}

uint64_t fz_u64(struct fz_in *in)
{
	uint64_t v = fz_u32(in);
	return v | (uint64_t)fz_u32(in) << 32;
}

_Noreturn void fz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, what);
	abort();
}

/* ---- scratch files ---- */

static char *scratch;
static char *names[8], *paths[8];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void fz_remove(const char *path)
{
	/* Depth first, not following links: the generated machines are folders of their own. */
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_scratch(void)
{
	fz_remove(scratch);
	free(scratch);
	scratch = NULL;
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		free(names[i]);
		free(paths[i]);
		names[i] = paths[i] = NULL;
	}
}

const char *fz_dir(void)
{
	if (scratch)
		return scratch;
	struct stat st;
	const char *base = getenv("TMPDIR");
	/* Thousands of small writes a second: tmpfs when there is one. */
	if (!base || !*base)
		base = !stat("/dev/shm", &st) && S_ISDIR(st.st_mode) && !access("/dev/shm", W_OK) ? "/dev/shm" : "/tmp";
	scratch = xasprintf("%s/mmushell-fuzz-XXXXXX", base);
	if (!mkdtemp(scratch))
		fatal("cannot create a scratch folder %s", scratch);
	atexit(remove_scratch);
	return scratch;
}

const char *fz_file(const char *name, const void *data, size_t len)
{
	size_t i;
	for (i = 0; i < ARRAY_LEN(names) && names[i] && strcmp(names[i], name); i++)
		;
	if (i == ARRAY_LEN(names))
		fatal("fz_file: too many scratch file names");
	if (!names[i]) {
		names[i] = xstrdup(name);
		paths[i] = path_join(fz_dir(), name);
	}
	int fd = open(paths[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t done = 0;
	while (fd >= 0 && done < len) {
		ssize_t k = write(fd, (const uint8_t *)data + done, len - done);
		if (k <= 0)
			break;
		done += (size_t)k;
	}
	if (fd < 0 || done != len || close(fd))
		fatal("cannot write scratch file %s", paths[i]);
	return paths[i];
}

bool fz_contains(const uint8_t *data, size_t size, const char *const *words)
{
	for (; *words; words++) {
		size_t k = strlen(*words);
		for (size_t i = 0; k <= size && i <= size - k; i++)
			if (!memcmp(data + i, *words, k))
				return true;
	}
	return false;
}

/* ---- in-memory machines ---- */

void fz_feature(struct analysis *a, const char *name, uint64_t value)
{
	struct machine_config *cfg = &a->cfg;
	for (size_t i = 0; i < cfg->nfeatures; i++)
		if (!strcasecmp_ascii(cfg->features[i].name, name)) {
			free(cfg->features[i].text);
			cfg->features[i].text = xasprintf("%llu", (unsigned long long)value);
			cfg->features[i].value = value;
			return;
		}
	size_t cap = cfg->nfeatures;
	struct config_kv kv = {.name = xstrdup(name), .text = xasprintf("%llu", (unsigned long long)value),
			       .value = value, .is_int = true};
	VEC_PUSH(cfg->features, cfg->nfeatures, cap, kv);
}

void fz_machine(struct analysis *a, const char *arch, int mode, bool big, int bits, const struct fz_region *r,
		size_t nr, uint64_t not_ram_start, uint64_t not_ram_end)
{
	struct machine_config *cfg = &a->cfg;
	struct physmem *pm = &a->pm;
	memset(a, 0, sizeof(*a));
	cfg->path = xstrdup("fuzz-input");
	cfg->format = "yaml";
	cfg->arch = arch_find(arch);
	if (!cfg->arch)
		fatal("fz_machine: no architecture %s", arch);
	cfg->mode = (int)((unsigned)mode % cfg->arch->nmodes);
	cfg->endian = big ? ENDIAN_BIG : ENDIAN_LITTLE;
	cfg->bits = bits;
	cfg->ram = xcalloc(nr, sizeof(*cfg->ram));
	pm->regions = xcalloc(nr, sizeof(*pm->regions));
	pm->big_endian = big;
	for (size_t i = 0; i < nr; i++) {
		uint64_t end = r[i].start + (r[i].len - 1);
		cfg->ram[i] = (struct ram_region){.start = r[i].start, .end = end, .dumpfile = xstrdup("input"),
						  .path = xstrdup("input")};
		pm->regions[i] = (struct physmem_region){.start = r[i].start, .end = end, .data = r[i].data,
							 .path = cfg->ram[i].path};
		pm->ram_bytes += r[i].len;
		ivset_add(&pm->ram, r[i].start, end);
	}
	cfg->nram = pm->nregions = nr;
	if (not_ram_end >= not_ram_start && not_ram_end) {
		cfg->not_ram = xcalloc(1, sizeof(*cfg->not_ram));
		cfg->not_ram[0] = (struct phys_range){.start = not_ram_start, .end = not_ram_end};
		cfg->nnot_ram = 1;
		ivset_add(&pm->not_ram, not_ram_start, not_ram_end);
	}
	ivset_difference(&pm->not_valid, &pm->not_ram, &pm->ram);
	a->threads = 1;
}

void fz_machine_close(struct analysis *a)
{
	/* Nothing was mapped: physmem_close must not unmap the caller's buffers. */
	a->pm.nregions = 0;
	analysis_close(a);
}

bool fz_pick_big(const char *arch, bool want_big)
{
	const struct arch_ops *o = arch_find(arch);
	unsigned want = want_big ? 1u << ENDIAN_BIG : 1u << ENDIAN_LITTLE;
	return (o->endians & want) ? want_big : !want_big;
}

int fz_pick_bits(const char *arch, int mode, bool want_64)
{
	const struct arch_ops *o = arch_find(arch);
	int need = o->modes[(unsigned)mode % o->nmodes].bits;
	return need ? need : want_64 ? 64 : 32;
}

void fz_small_limits(void)
{
	radix_limits.vas_max_entries = 1u << 16;
	radix_limits.vas_max_ranges = 1u << 8;   /* show_vas formats every range: most of an input's time */
	export_min_bytes = 1u << 20;             /* 16 times the 4 MiB machines' RAM, then: 64 MiB at most */
}

/* ---- generated machines ---- */

static struct analysis *std[FZ_STD_COUNT];

static void close_std(void)
{
	for (unsigned i = 0; i < FZ_STD_COUNT; i++)
		if (std[i]) {
			analysis_close(std[i]);
			free(std[i]);
			std[i] = NULL;
		}
}

struct analysis *fz_std_machine(unsigned which)
{
	static const struct {
		const char *arch, *mode, *reg;
	} kinds[FZ_STD_COUNT] = {
		[FZ_STD_INTEL] = {"intel", "ia64", NULL},
		[FZ_STD_RISCV] = {"riscv", "sv39", NULL},
		[FZ_STD_ARM] = {"arm", "short", "ttbcr"},
		[FZ_STD_AARCH64] = {"aarch64", "long", "tcr_el1"},
		[FZ_STD_MIPS] = {"mips", "mips32", NULL},
		[FZ_STD_PPC] = {"ppc", "ppc32", NULL},
	};
	which %= FZ_STD_COUNT;
	if (std[which])
		return std[which];
	struct mkdump_opts o;
	struct err e = {{0}};
	mkdump_opts_init(&o);
	o.arch = kinds[which].arch;
	o.mode = kinds[which].mode;
	o.ram = 4ULL << 20;
	o.regions = 1;
	o.processes = 2;
	o.noise = 1;
	char *dir = xasprintf("%s/std-%s", fz_dir(), o.arch);
	o.outdir = dir;
	if (mkdump_generate(&o, &e))
		fatal("fz_std_machine: %s", e.msg);
	char *yaml = path_join(dir, "machine.yaml"), *gt = path_join(dir, "gtruth.yaml");
	struct analysis_opts ao = {.threads = 1, .gtruth_path = gt};
	struct analysis *a = xcalloc(1, sizeof(*a));
	if (analysis_open(a, yaml, &ao, &e))
		fatal("fz_std_machine: %s", e.msg);
	if (kinds[which].reg) {
		const struct gt_value *v = gtruth_latest(&a->gt, kinds[which].reg);
		if (!v)
			fatal("fz_std_machine: no %s in the ground truth", kinds[which].reg);
		config_set_register(&a->cfg, kinds[which].reg, v->value);
	}
	free(yaml);
	free(gt);
	free(dir);
	bool first = true;
	for (unsigned i = 0; i < FZ_STD_COUNT; i++)
		first &= !std[i];
	if (first)
		atexit(close_std);
	std[which] = a;
	return a;
}

void fz_std_reset(struct analysis *a)
{
	if (a->radix) {
		radix_state_free(a->radix);
		free(a->radix);
		a->radix = NULL;
	}
	reg_results_free(a->regs);
	a->regs = NULL;
	a->dirty = false;
}

/* ---- findings ---- */

void fz_browse_findings(struct analysis *a)
{
	struct findings f;
	struct finding_gt g;
	struct finding_list kids = {0}, grand = {0};
	struct err e = {{0}};
	memset(&g, 0, sizeof(g));
	if (findings_list(a, &f, &e) == 0) {
		for (size_t i = 0; i < f.top.n && i < 4; i++) {
			const struct finding *t = &f.top.v[i];
			FZ_CHECK(findings_find(&f, t->addr, t->size) != NULL);
			if (!t->expandable)
				continue;
			findings_children(a, &f, t, &kids);
			for (size_t k = 0; k < kids.n && k < 4; k++)
				if (kids.v[k].expandable)
					findings_children(a, &f, &kids.v[k], &grand);
		}
	}
	findings_free(&f);
	finding_list_free(&kids);
	finding_list_free(&grand);
	if (findings_gtruth(a, &g, &e) == 0)
		FZ_CHECK(g.tp + g.fp + g.fn + g.boot <= g.n);
	finding_gt_free(&g);
}

/* ---- commands ---- */

static FILE *null_out;

int fz_command(struct analysis *a, const char *fmt, ...)
{
	va_list ap;
	struct err e = {{0}};
	struct cmd_out o;
	char *name = NULL;
	va_start(ap, fmt);
	char *line = xvasprintf(fmt, ap);
	va_end(ap);
	if (!null_out && !(null_out = fopen("/dev/null", "w")))
		fatal("cannot open /dev/null");
	cmd_out_init(&o);
	int rc = command_run_line(a, line, &o, &name, &e);
	/* What batch mode prints, so its formatting runs on hostile results too. */
	command_write_json(null_out, name, rc == 0, rc ? e.msg : NULL, rc ? NULL : o.json.b.s);
	fputs(o.text.s ? o.text.s : "", null_out);
	free(name);
	free(line);
	cmd_out_free(&o);
	return rc;
}
