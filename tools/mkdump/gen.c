/* gen: option checks and the order of the generator's stages. */
#include "autoconfig.h"

#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct mkdump_arch *const archs[] = {
	&mkdump_arch_intel,
	&mkdump_arch_riscv,
	&mkdump_arch_arm,
	&mkdump_arch_aarch64,
	&mkdump_arch_mips,
	&mkdump_arch_ppc,
};

#define MKDUMP_MIN_RAM (4ULL << 20)
#define MKDUMP_MAX_RAM (64ULL << 30)
#define MKDUMP_MAX_RAM_32 (4ULL << 30)
#define MKDUMP_MAX_PROCESSES 4096u

void mkdump_opts_init(struct mkdump_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->ram = MKDUMP_DEFAULT_RAM;
	o->regions = MKDUMP_DEFAULT_REGIONS;
	o->processes = MKDUMP_DEFAULT_PROCESSES;
	o->seed = MKDUMP_DEFAULT_SEED;
	o->noise = MKDUMP_DEFAULT_NOISE;
	o->t0sz = o->t1sz = o->ttbcr_n = -1;
}

size_t mkdump_arch_count(void)
{
	return ARRAY_LEN(archs);
}

const char *mkdump_arch_name(size_t i)
{
	return i < ARRAY_LEN(archs) ? archs[i]->name : NULL;
}

const char *mkdump_mode_name(size_t arch, size_t mode)
{
	if (arch >= ARRAY_LEN(archs) || mode >= archs[arch]->nmodes)
		return NULL;
	return archs[arch]->modes[mode].name;
}

static void list_archs(struct sbuf *b)
{
	for (size_t i = 0; i < ARRAY_LEN(archs); i++)
		sbuf_printf(b, "%s%s", i ? ", " : "", archs[i]->name);
}

static void list_modes(const struct mkdump_arch *a, struct sbuf *b)
{
	for (size_t i = 0; i < a->nmodes; i++)
		sbuf_printf(b, "%s%s", i ? ", " : "", a->modes[i].name);
}

static int find_arch(struct gen *g, const struct mkdump_opts *o, struct err *e)
{
	struct sbuf b = {0};
	if (!o->arch || !*o->arch) {
		list_archs(&b);
		err_set(e, "missing --arch (one of: %s)", b.s);
		sbuf_free(&b);
		return -1;
	}
	for (size_t i = 0; i < ARRAY_LEN(archs); i++)
		if (!strcasecmp_ascii(o->arch, archs[i]->name))
			g->arch = archs[i];
	if (!g->arch) {
		list_archs(&b);
		err_set(e, "unknown architecture '%s' (known: %s)", o->arch, b.s);
		sbuf_free(&b);
		return -1;
	}
	if (!o->mode || !*o->mode) {
		g->mode = 0;
		return 0;
	}
	for (size_t i = 0; i < g->arch->nmodes; i++)
		if (!strcasecmp_ascii(o->mode, g->arch->modes[i].name)) {
			g->mode = (unsigned)i;
			return 0;
		}
	list_modes(g->arch, &b);
	err_set(e, "unknown mode '%s' for architecture %s (known: %s)", o->mode, g->arch->name, b.s);
	sbuf_free(&b);
	return -1;
}

static int check_numbers(const struct gen *g, const struct mkdump_opts *o, struct err *e)
{
	char a[32], b[32];
	uint64_t max = g->arch->modes[g->mode].bits == 32 ? MKDUMP_MAX_RAM_32 : MKDUMP_MAX_RAM;
	if (o->ram < MKDUMP_MIN_RAM || o->ram > max || o->ram % (2ULL << 20))
		return err_set(e, "--ram must be a multiple of 2 MiB from %s to %s for %s %s (got %llu bytes)",
			       fmt_size(MKDUMP_MIN_RAM, a, sizeof(a)), fmt_size(max, b, sizeof(b)), g->arch->name,
			       g->arch->modes[g->mode].name, (unsigned long long)o->ram);
	if (o->regions < 1 || o->regions > GEN_MAX_REGIONS)
		return err_set(e, "--regions must be from 1 to %d (got %u)", GEN_MAX_REGIONS, o->regions);
	if (o->ram / o->regions < (2ULL << 20))
		return err_set(e, "--ram %s is too small for %u regions: each needs at least 2 MiB",
			       fmt_size(o->ram, a, sizeof(a)), o->regions);
	if (o->processes < 1 || o->processes > MKDUMP_MAX_PROCESSES)
		return err_set(e, "--processes must be from 1 to %u (got %u)", MKDUMP_MAX_PROCESSES, o->processes);
	if (o->noise > MKDUMP_MAX_NOISE)
		return err_set(e, "--noise must be from 0 to %d (got %u)", MKDUMP_MAX_NOISE, o->noise);
	if (!o->outdir || !*o->outdir)
		return err_set(e, "missing output folder (-o DIR)");
	return 0;
}

static void gen_free(struct gen *g)
{
	if (g->store)
		for (uint64_t i = 0; i < g->nframes; i++)
			free(g->store[i]);
	free(g->store);
	free(g->kind);
	free(g->trees);
	free(g->regs);
	free(g->decoys);
	free(g->shared_code);
	free(g->arch_data);
	free(g->text_corpus);
	free(g->code_corpus);
	sbuf_free(&g->cpu_yaml);
	sbuf_free(&g->expected_yaml);
	memset(g, 0, sizeof(*g));
}

int run_extras(struct gen *g, enum mkdump_phase phase, struct err *e)
{
	for (size_t i = 0; i < g->arch->nextras; i++) {
		const struct mkdump_extra *x = &g->arch->extras[i];
		if (x->phase == phase && x->run(g, e))
			return err_prefix(e, "%s", x->name);
	}
	return 0;
}

static int generate(struct gen *g, struct err *e)
{
	if (output_prepare(g, e) || g->arch->setup(g, e) || layout_ram(g, e))
		return -1;
	content_prepare(g);
	if (g->arch->radix) {
		if (os_build(g, e))
			return -1;
	} else if (run_extras(g, PHASE_KERNEL, e) || run_extras(g, PHASE_LATE, e)) {
		return -1;
	}
	return decoys_build(g, e) || output_write(g, e) ? -1 : 0;
}

int mkdump_generate(const struct mkdump_opts *o, struct err *e)
{
	struct gen g;
	memset(&g, 0, sizeof(g));
	g.o = o;
	if (find_arch(&g, o, e) || check_numbers(&g, o, e))
		return -1;
	g.bits = g.arch->modes[g.mode].bits;
	g.big_endian = g.arch->big_endian;
	if (o->endian) {
		bool big = !strcasecmp_ascii(o->endian, "big");
		if (!big && strcasecmp_ascii(o->endian, "little"))
			return err_set(e, "--endian must be big or little (got '%s')", o->endian);
		if (big != g.arch->big_endian && !g.arch->both_endians)
			return err_set(e, "--endian %s does not apply to %s (it is %s-endian only here)", o->endian,
				       g.arch->name, g.arch->big_endian ? "big" : "little");
		g.big_endian = big;
	}
	rng_seed(&g.rng, o->seed);
	int rc = generate(&g, e);
	gen_free(&g);
	return rc;
}

int gen_check_options(const struct gen *g, unsigned allowed, struct err *e)
{
	const struct mkdump_opts *o = g->o;
	const char *what = g->arch->modes[g->mode].name;
	if (o->granule && !(allowed & OPT_GRANULE))
		return err_set(e, "--granule applies to aarch64 only (not %s %s)", g->arch->name, what);
	if ((o->t0sz >= 0 || o->t1sz >= 0) && !(allowed & OPT_TXSZ))
		return err_set(e, "--t0sz and --t1sz apply to aarch64 and arm long only (not %s %s)", g->arch->name, what);
	if (o->ttbcr_n >= 0 && !(allowed & OPT_TTBCR_N))
		return err_set(e, "--ttbcr-n applies to arm short only (not %s %s)", g->arch->name, what);
	return 0;
}

void gen_add_register(struct gen *g, const char *name, uint64_t value, double first_seen, double last_seen,
		      uint64_t count)
{
	struct gen_reg r = {name, value, first_seen, last_seen, count};
	VEC_PUSH(g->regs, g->nregs, g->regs_cap, r);
}

void gen_add_decoy(struct gen *g, uint64_t addr, const char *what)
{
	struct gen_decoy d = {addr, what};
	VEC_PUSH(g->decoys, g->ndecoys, g->decoys_cap, d);
}

/* A size as --ram accepts it: "96M", "4G". */
static const char *size_arg(uint64_t bytes, char *buf, size_t len)
{
	if (bytes % (1ULL << 30) == 0)
		snprintf(buf, len, "%lluG", (unsigned long long)(bytes >> 30));
	else
		snprintf(buf, len, "%lluM", (unsigned long long)(bytes >> 20));
	return buf;
}

int gen_out_of_ram(const struct gen *g, struct err *e)
{
	char a[32], b[32];
	uint64_t more = g->o->ram * 2;
	return err_set(e, "--ram %s is too small for %u processes on %s %s (try --ram %s or fewer --processes)",
		       size_arg(g->o->ram, a, sizeof(a)), g->o->processes, g->arch->name,
		       g->arch->modes[g->mode].name, size_arg(more, b, sizeof(b)));
}
