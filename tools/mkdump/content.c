/*
 * content: the bytes of every frame that is not built in memory, generated
 * from the frame's address and the seed (so the dump is deterministic and
 * can be written in any order), and the noise that fills free memory.
 */
#include "autoconfig.h"

#include "gen.h"

#include <string.h>

/* Words of the text pages, with their lengths (128 entries: an index is 7 random bits). */
#define W(s) {s, sizeof(s) - 1}
static const struct word {
	const char *s;
	size_t n;
} words[128] = {
	W("the"), W("of"), W("and"), W("to"), W("in"), W("is"), W("that"), W("for"), W("it"), W("as"),
	W("was"), W("with"), W("be"), W("by"), W("on"), W("not"), W("he"), W("this"), W("are"), W("or"),
	W("his"), W("from"), W("at"), W("which"), W("but"), W("have"), W("an"), W("had"), W("they"), W("you"),
	W("were"), W("their"), W("one"), W("all"), W("we"), W("can"), W("her"), W("has"), W("there"),
	W("been"), W("if"), W("more"), W("when"), W("will"), W("would"), W("who"), W("so"), W("no"),
	W("memory"), W("page"), W("table"), W("kernel"), W("process"), W("error"), W("file"), W("device"),
	W("user"), W("system"), W("config"), W("value"), W("return"), W("static"), W("struct"), W("int"),
	W("void"), W("char"), W("const"), W("mount"), W("proc"), W("sys"), W("usr"), W("lib"), W("bin"),
	W("etc"), W("var"), W("log"), W("tmp"), W("home"), W("root"), W("network"), W("interface"),
	W("address"), W("buffer"), W("request"), W("response"), W("GET"), W("HTTP/1.1"), W("Content-Type:"),
	W("text/html"), W("utf-8"), W("localhost"), W("127.0.0.1"), W("PATH=/usr/local/bin:/usr/bin"),
	W("LANG=C.UTF-8"), W("time"), W("data"), W("name"), W("type"), W("size"), W("path"), W("open"),
	W("read"), W("write"), W("close"), W("start"), W("stop"), W("failed"), W("success"), W("warning"),
	W("info"), W("debug"), W("timeout"), W("session"), W("client"), W("server"), W("query"), W("select"),
	W("from"), W("where"), W("insert"), W("update"), W("delete"), W("index"), W("count"), W("total"),
	W("list"), W("map"), W("new"),
};

static void fill_text(struct rng *r, uint8_t *buf, size_t len)
{
	struct rng_bits b = {r, 0, 0};
	size_t at = 0, line = 0;
	while (at < len) {
		const struct word *w = &words[rng_take(&b, 7)];
		size_t n = MMU_MIN(w->n, len - at);
		memcpy(buf + at, w->s, n);
		at += n;
		line += n + 1;
		if (at < len)
			buf[at++] = line > 64 + rng_take(&b, 4) ? '\n' : ' ';
		if (line > 64)
			line = 0;
	}
}

static void fill_random(struct rng *r, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i + 8 <= len; i += 8) {
		uint64_t v = rng_next(r);
		memcpy(buf + i, &v, 8);
	}
}

static inline void store_word(uint8_t *p, unsigned w, uint64_t v, bool big)
{
	if (!big && w == 8)
		memcpy(p, &v, 8);   /* the common case, without a call per word (hosts are little-endian) */
	else if (w == 8)
		wr64(p, v, big);
	else
		wr32(p, (uint32_t)v, big);
}

/* Which value a structure word holds, by 7 random bits: zeros, pointers, small numbers, random, strings. */
enum { SW_ZERO, SW_POINTER, SW_SMALL, SW_RANDOM, SW_STRING };
static const struct {
	uint8_t below, what;
} struct_mix[] = {{51, SW_ZERO}, {83, SW_POINTER}, {109, SW_SMALL}, {118, SW_RANDOM}, {128, SW_STRING}};

/* Structures: zeros, kernel pointers, small integers, random words and short strings. */
static void fill_struct(const struct gen *g, struct rng *r, uint8_t *buf, size_t len)
{
	uint8_t pick[128];
	unsigned w = g->bits / 8, k = 0;
	for (unsigned roll = 0; roll < 128; roll++) {
		while (roll >= struct_mix[k].below)
			k++;
		pick[roll] = struct_mix[k].what;
	}
	uint64_t base = g->k.direct_va, span = MMU_MAX(g->k.direct_size, GEN_FRAME);
	uint64_t ptr_mask = ((1ULL << log2_u64(span)) - 1) & ~7ULL;   /* pointers land in the direct map */
	for (size_t i = 0; i + w <= len; i += w) {
		/* Every candidate is computed and one is picked: no unpredictable branch per word. */
		uint64_t x = rng_next(r);
		uint64_t v[5] = {0, base + (x & ptr_mask), x & 1023, x * 0x9e3779b97f4a7c15ULL,
				 0x6e72656b00000000ULL | (x & 0x3f3f3f3f)};
		store_word(buf + i, w, v[pick[x >> 57]], g->big_endian);
	}
}

void code_words_weighted(struct rng *r, uint8_t *buf, size_t len, bool big, const struct code_template *t,
			 const unsigned *weight, size_t n)
{
	uint64_t total = 0;
	for (size_t k = 0; k < n; k++)
		total += weight ? weight[k] : 1;
	for (size_t i = 0; i + 4 <= len; i += 4) {
		uint64_t x = rng_next(r), pick = (x >> 32) * total >> 32;
		size_t k = 0;
		for (; k + 1 < n; k++) {
			unsigned w = weight ? weight[k] : 1;
			if (pick < w)
				break;
			pick -= w;
		}
		const struct code_template *c = &t[k];
		wr32(buf + i, (c->bits & ~c->random) | ((uint32_t)x & c->random), big);
	}
}

void code_words(struct rng *r, uint8_t *buf, size_t len, bool big, const struct code_template *t, size_t n)
{
	code_words_weighted(r, buf, len, big, t, NULL, n);
}

#define CORPUS_BYTES (512 * 1024)

void content_prepare(struct gen *g)
{
	struct rng r;
	rng_seed(&r, rng_mix(g->o->seed, 0x636f72707573ULL));
	g->text_corpus = xmalloc(CORPUS_BYTES);
	g->code_corpus = xmalloc(CORPUS_BYTES);
	fill_text(&r, g->text_corpus, CORPUS_BYTES);
	if (g->arch->code_bytes)
		g->arch->code_bytes(&r, g->code_corpus, CORPUS_BYTES, g->big_endian);
	else
		fill_random(&r, g->code_corpus, CORPUS_BYTES);
}

/* Text and code pages are windows of a corpus made once: generating them per page is slow. */
static void from_corpus(struct rng *r, const uint8_t *corpus, uint8_t *buf)
{
	uint64_t at = rng_below(r, (CORPUS_BYTES - GEN_FRAME) / 4) * 4;
	memcpy(buf, corpus + at, GEN_FRAME);
}

void content_fill(const struct gen *g, enum frame_kind kind, uint64_t pa, uint8_t *buf)
{
	struct rng r;
	rng_seed(&r, rng_mix(g->o->seed ^ 0x6d6b64756d70ULL, pa));
	switch (kind) {
	case FK_TEXT:
		from_corpus(&r, g->text_corpus, buf);
		break;
	case FK_RANDOM:
		fill_random(&r, buf, GEN_FRAME);
		break;
	case FK_STRUCT:
		fill_struct(g, &r, buf, GEN_FRAME);
		break;
	case FK_CODE:
		from_corpus(&r, g->code_corpus, buf);
		break;
	default:
		memset(buf, 0, GEN_FRAME);
		break;
	}
}

/* What free memory holds at each noise level, in percent of free frames. */
struct noise_share {
	uint8_t zero, text, random, strct;  /* the rest is code */
};

static const struct noise_share noise_mix[MKDUMP_MAX_NOISE + 1] = {
	{100, 0, 0, 0},
	{60, 15, 10, 10},
	{40, 20, 15, 15},
	{20, 25, 20, 20},
};

enum frame_kind noise_kind(const struct gen *g, uint64_t pa)
{
	struct rng r;
	rng_seed(&r, rng_mix(g->o->seed ^ 0x6e6f697365ULL, pa));
	unsigned roll = (unsigned)rng_below(&r, 100);
	const struct noise_share *m = &noise_mix[g->o->noise];
	if (roll < m->zero)
		return FK_ZERO;
	roll -= m->zero;
	if (roll < m->text)
		return FK_TEXT;
	roll -= m->text;
	if (roll < m->random)
		return FK_RANDOM;
	roll -= m->random;
	return roll < m->strct ? FK_STRUCT : FK_CODE;
}
