#include "autoconfig.h"

#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "arch.h"
#include "fdout.h"
#include "radix-session.h"
#include "regrec.h"

static const struct session_section conf_section;

/* Load order matters: the configuration is checked first; tree shapes depend on recovered registers. */
static const struct session_section *const sections[] = {
	&conf_section,
	&regrec_session_section,
	&radix_session_section,
	&arch_session_section,
};

/* ---- writer / reader primitives --------------------------------------- */

void sw_u8(struct sess_w *w, uint8_t v)
{
	sbuf_append(&w->b, (const char *)&v, 1);
}

void sw_u32(struct sess_w *w, uint32_t v)
{
	uint8_t b[4];
	wr32(b, v, false);
	sbuf_append(&w->b, (const char *)b, 4);
}

void sw_u64(struct sess_w *w, uint64_t v)
{
	uint8_t b[8];
	wr64(b, v, false);
	sbuf_append(&w->b, (const char *)b, 8);
}

void sw_f64(struct sess_w *w, double v)
{
	uint64_t u;
	memcpy(&u, &v, 8);
	sw_u64(w, u);
}

void sw_bytes(struct sess_w *w, const void *p, size_t n)
{
	if (n)
		sbuf_append(&w->b, p, n);
}

void sw_str(struct sess_w *w, const char *s)
{
	if (!s) {
		sw_u32(w, UINT32_MAX);
		return;
	}
	size_t n = strlen(s);
	sw_u32(w, (uint32_t)n);
	sw_bytes(w, s, n);
}

const uint8_t *sr_view(struct sess_r *r, size_t n)
{
	if (r->bad || n > r->n - r->at) {
		r->bad = true;
		return NULL;
	}
	const uint8_t *p = r->p + r->at;
	r->at += n;
	return p;
}

bool sr_bytes(struct sess_r *r, void *out, size_t n)
{
	const uint8_t *p = sr_view(r, n);
	if (!p) {
		memset(out, 0, n);
		return false;
	}
	memcpy(out, p, n);
	return true;
}

uint8_t sr_u8(struct sess_r *r)
{
	const uint8_t *p = sr_view(r, 1);
	return p ? *p : 0;
}

uint32_t sr_u32(struct sess_r *r)
{
	const uint8_t *p = sr_view(r, 4);
	return p ? rd32(p, false) : 0;
}

uint64_t sr_u64(struct sess_r *r)
{
	const uint8_t *p = sr_view(r, 8);
	return p ? rd64(p, false) : 0;
}

double sr_f64(struct sess_r *r)
{
	uint64_t u = sr_u64(r);
	double d;
	memcpy(&d, &u, 8);
	return d;
}

char *sr_str(struct sess_r *r)
{
	uint32_t n = sr_u32(r);
	if (n == UINT32_MAX || r->bad)
		return NULL;
	const uint8_t *p = sr_view(r, n);
	return p ? xstrndup((const char *)p, n) : NULL;
}

uint64_t sr_count(struct sess_r *r, size_t item)
{
	uint64_t n = sr_u64(r);
	if (r->bad || (item && n > (r->n - r->at) / item)) {
		r->bad = true;
		return 0;
	}
	return n;
}

/* ---- fingerprint ------------------------------------------------------- */

static uint64_t mix(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FINGERPRINT_SAMPLES 64
#define FINGERPRINT_BYTES 256

uint64_t session_fingerprint(const struct analysis *a)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	uint8_t buf[FINGERPRINT_BYTES];
	for (size_t i = 0; i < a->pm.nregions; i++) {
		const struct physmem_region *r = &a->pm.regions[i];
		uint64_t len = r->end - r->start + 1;
		for (unsigned k = 0; k < FINGERPRINT_SAMPLES; k++) {
			uint64_t off = len / FINGERPRINT_SAMPLES * k;
			size_t n = (size_t)MMU_MIN((uint64_t)FINGERPRINT_BYTES, len - off);
			memcpy(buf, r->data + off, n);
			h = mix(h, buf, n);
		}
	}
	return h;
}

/* ---- the machine block ------------------------------------------------- */

static void save_machine(const struct analysis *a, struct sess_w *w)
{
	sw_str(w, a->cfg.arch->name);
	sw_str(w, config_mode_name(&a->cfg));
	sw_u8(w, (uint8_t)a->cfg.endian);
	sw_u8(w, (uint8_t)a->cfg.bits);
	sw_u64(w, a->pm.nregions);
	for (size_t i = 0; i < a->pm.nregions; i++) {
		sw_u64(w, a->pm.regions[i].start);
		sw_u64(w, a->pm.regions[i].end);
	}
	sw_u64(w, session_fingerprint(a));
}

static int check_machine(const struct analysis *a, struct sess_r *r, struct err *e)
{
	char *arch = sr_str(r), *mode = sr_str(r);
	int endian = sr_u8(r), bits = sr_u8(r);
	uint64_t n = sr_count(r, 16);
	int rc = -1;
	if (r->bad || !arch || !mode) {
		err_set(e, "session data is corrupt (machine description)");
		goto out;
	}
	if (strcmp(arch, a->cfg.arch->name) || strcmp(mode, config_mode_name(&a->cfg)) ||
	    endian != (int)a->cfg.endian || bits != a->cfg.bits) {
		err_set(e, "session belongs to another machine: %s %s %d-bit %s-endian, this dump is %s %s %d-bit %s-endian",
			arch, mode, bits, endian == ENDIAN_BIG ? "big" : "little", a->cfg.arch->name,
			config_mode_name(&a->cfg), a->cfg.bits, a->cfg.endian == ENDIAN_BIG ? "big" : "little");
		goto out;
	}
	if (n != a->pm.nregions) {
		err_set(e, "session belongs to another dump: %llu RAM regions, this dump has %zu", (unsigned long long)n,
			a->pm.nregions);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t s = sr_u64(r), l = sr_u64(r);
		if (s != a->pm.regions[i].start || l != a->pm.regions[i].end) {
			err_set(e, "session belongs to another dump: RAM region 0x%llx-0x%llx, this dump has 0x%llx-0x%llx",
				(unsigned long long)s, (unsigned long long)l, (unsigned long long)a->pm.regions[i].start,
				(unsigned long long)a->pm.regions[i].end);
			goto out;
		}
	}
	if (sr_u64(r) != session_fingerprint(a)) {
		err_set(e, "session belongs to another dump: the memory contents differ (same layout)");
		goto out;
	}
	rc = r->bad ? err_set(e, "session data is corrupt (machine description)") : 0;
out:
	free(arch);
	free(mode);
	return rc;
}

/*
 * ---- section CONF: the rest of the machine configuration ----------------
 * not_ram and processor_features change what the analysis finds (pointers
 * into not-RAM, MAXPHYADDR), so results saved with other values are not
 * this configuration's.  registers_values is left out: set_tcr changes it
 * in a running session (section REGS keeps the override).
 */

static bool conf_present(const struct analysis *a)
{
	(void)a;
	return true;
}

static void conf_save(const struct analysis *a, struct sess_w *w)
{
	const struct ivset *nr = &a->pm.not_ram;
	sw_u32(w, 1);
	sw_u64(w, nr->n);
	for (size_t i = 0; i < nr->n; i++) {
		sw_u64(w, nr->v[i].start);
		sw_u64(w, nr->v[i].last);
	}
	sw_u64(w, a->cfg.nfeatures);
	for (size_t i = 0; i < a->cfg.nfeatures; i++) {
		sw_str(w, a->cfg.features[i].name);
		sw_str(w, a->cfg.features[i].text);
	}
}

static int conf_load(struct analysis *a, struct sess_r *r, struct err *e)
{
	const struct ivset *nr = &a->pm.not_ram;
	if (sr_u32(r) != 1)
		return err_set(e, r->bad ? "cut short" : "a configuration record this version cannot read");
	uint64_t n = sr_count(r, 16);
	if (r->bad)
		return err_set(e, "cut short");
	for (uint64_t i = 0; i < n; i++) {
		uint64_t s = sr_u64(r), l = sr_u64(r);
		if (i >= nr->n || nr->v[i].start != s || nr->v[i].last != l)
			return r->bad ? err_set(e, "cut short")
				      : err_set(e, "session belongs to another machine configuration: not_ram 0x%llx-0x%llx is not "
						   "this one's", (unsigned long long)s, (unsigned long long)l);
	}
	if (n != nr->n)
		return err_set(e, "session belongs to another machine configuration: not_ram 0x%llx-0x%llx was not in it",
			       (unsigned long long)nr->v[n].start, (unsigned long long)nr->v[n].last);
	uint64_t nf = sr_count(r, 8);
	int rc = 0;
	for (uint64_t i = 0; i < nf && !r->bad && !rc; i++) {
		char *name = sr_str(r), *text = sr_str(r);
		const struct config_kv *kv = name ? config_feature(&a->cfg, name) : NULL;
		if (!r->bad && (!name || !text))
			rc = err_set(e, "a processor feature without a name or value");
		else if (!r->bad && (!kv || strcmp(kv->text, text)))
			rc = err_set(e, "session belongs to another machine configuration: processor_features %s %s, this one %s",
				     name, text, kv ? kv->text : "absent");
		free(name);
		free(text);
	}
	if (!rc && !r->bad && nf != a->cfg.nfeatures)
		rc = err_set(e, "session belongs to another machine configuration: its processor_features are not this one's");
	return rc ? -1 : r->bad ? err_set(e, "cut short") : 0;
}

static const struct session_section conf_section = {
	.tag = SESSION_TAG('C', 'O', 'N', 'F'),
	.name = "CONF",
	.present = conf_present,
	.save = conf_save,
	.load = conf_load,
};

/* ---- save -------------------------------------------------------------- */

static int write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	while (n) {
		ssize_t k = write(fd, b, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

static int compress(const struct sbuf *in, uint8_t **out, size_t *outlen, struct err *e)
{
	size_t cap = lzma_stream_buffer_bound(in->len);
	*out = xmalloc(cap);
	*outlen = 0;
	lzma_ret r = lzma_easy_buffer_encode(3, LZMA_CHECK_CRC64, NULL, (const uint8_t *)in->s, in->len, *out, outlen,
					     cap);
	if (r != LZMA_OK) {
		free(*out);
		return err_set(e, "xz compression failed (liblzma error %d)", (int)r);
	}
	return 0;
}

int session_save(struct analysis *a, const char *path, struct err *e)
{
	struct sess_w w = {{0}};
	sbuf_append(&w.b, "", 0);
	save_machine(a, &w);
	uint32_t nsec = 0;
	for (size_t i = 0; i < ARRAY_LEN(sections); i++)
		nsec += sections[i]->present(a);
	sw_u32(&w, nsec);
	for (size_t i = 0; i < ARRAY_LEN(sections); i++) {
		if (!sections[i]->present(a))
			continue;
		struct sess_w body = {{0}};
		sections[i]->save(a, &body);
		sw_u32(&w, sections[i]->tag);
		sw_u64(&w, body.b.len);
		sw_bytes(&w, body.b.s, body.b.len);
		sbuf_free(&body.b);
	}

	uint8_t *xz;
	size_t xzlen;
	int rc = compress(&w.b, &xz, &xzlen, e);
	sbuf_free(&w.b);
	if (rc)
		return err_prefix(e, "%s", path);

	struct outfile f;
	uint8_t head[24];
	memcpy(head, SESSION_MAGIC, 16);
	wr32(head + 16, SESSION_VERSION, false);
	wr32(head + 20, 0, false);
	rc = outfile_open(&f, path, e);
	if (!rc && (write_all(f.fd, head, sizeof(head)) || write_all(f.fd, xz, xzlen))) {
		rc = err_set(e, "%s: cannot write: %s", path, strerror(errno));
		outfile_abort(&f);
	} else if (!rc) {
		rc = outfile_commit(&f, path, e);
	}
	if (!rc)
		a->dirty = false;
	free(xz);
	return rc;
}

/* ---- load -------------------------------------------------------------- */

/* Reads the whole file, at most max bytes. */
static int read_file(const char *path, uint64_t max, uint8_t **out, size_t *len, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return err_set(e, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return err_set(e, "%s: too large for a session file (%llu bytes)", path, (unsigned long long)st.st_size);
	}
	*len = (size_t)st.st_size;
	*out = xmalloc(*len + 1);
	size_t got = 0;
	while (got < *len) {
		ssize_t k = read(fd, *out + got, *len - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	if (got != *len) {
		free(*out);
		return err_set(e, "%s: cannot read", path);
	}
	return 0;
}

static int decompress(const uint8_t *in, size_t inlen, uint64_t limit, uint8_t **out, size_t *outlen, struct err *e)
{
	lzma_stream s = LZMA_STREAM_INIT;
	size_t cap = inlen * 4 + 4096;
	if (lzma_stream_decoder(&s, 512ULL << 20, 0) != LZMA_OK)
		return err_set(e, "cannot start the xz decoder");
	*out = xmalloc(cap);
	s.next_in = in;
	s.avail_in = inlen;
	s.next_out = *out;
	s.avail_out = cap;
	lzma_ret r;
	for (;;) {
		r = lzma_code(&s, LZMA_FINISH);
		if (r != LZMA_OK)
			break;
		if (s.avail_out == 0) {
			if (cap >= limit) {
				lzma_end(&s);
				free(*out);
				return err_set(e, "session data is larger than this dump could need: corrupt");
			}
			size_t done = cap;
			cap = (size_t)MMU_MIN((uint64_t)cap * 2, limit);
			*out = xrealloc(*out, cap);
			s.next_out = *out + done;
			s.avail_out = cap - done;
		}
	}
	*outlen = (size_t)s.total_out;
	size_t left = s.avail_in;
	lzma_end(&s);
	/* Bytes after the stream are no part of a file save_data wrote: appended or damaged. */
	if (r == LZMA_STREAM_END && left) {
		free(*out);
		return err_set(e, "session data is corrupt (%zu bytes after the end of the xz data)", left);
	}
	if (r == LZMA_STREAM_END)
		return 0;
	free(*out);
	if (r == LZMA_BUF_ERROR)
		return err_set(e, "session file is truncated");
	if (r == LZMA_FORMAT_ERROR)
		return err_set(e, "not an mmushell session file (no xz data after the header)");
	return err_set(e, "session data is corrupt (xz: %s)", r == LZMA_DATA_ERROR ? "compressed data is corrupt"
							       : r == LZMA_MEM_ERROR ? "out of memory"
							       : "decoder error");
}

static const struct session_section *section_of(uint32_t tag)
{
	for (size_t i = 0; i < ARRAY_LEN(sections); i++)
		if (sections[i]->tag == tag)
			return sections[i];
	return NULL;
}

static int load_sections(struct analysis *a, struct sess_r *r, struct err *e)
{
	uint32_t n = sr_u32(r);
	struct sess_r body[ARRAY_LEN(sections)];
	bool have[ARRAY_LEN(sections)] = {false};
	if (r->bad)
		return err_set(e, "session data is corrupt (no section list)");
	for (uint32_t i = 0; i < n; i++) {
		uint32_t tag = sr_u32(r);
		uint64_t len = sr_u64(r);
		const uint8_t *p = r->bad ? NULL : sr_view(r, (size_t)len);
		if (!p || len > SIZE_MAX)
			return err_set(e, "session data is corrupt (section %u of %u is cut short)", i + 1, n);
		const struct session_section *s = section_of(tag);
		if (!s)
			continue; /* a section this version does not know: skip it */
		size_t k;
		for (k = 0; k < ARRAY_LEN(sections) && sections[k] != s; k++)
			;
		body[k] = (struct sess_r){p, (size_t)len, 0, false};
		have[k] = true;
	}
	for (size_t k = 0; k < ARRAY_LEN(sections); k++) {
		if (!have[k])
			continue;
		if (sections[k]->load(a, &body[k], e))
			return err_prefix(e, "section %s", sections[k]->name);
		if (body[k].bad)
			return err_set(e, "session data is corrupt (section %s is cut short)", sections[k]->name);
	}
	return 0;
}

int session_load_data(struct analysis *a, const uint8_t *data, size_t len, struct err *e)
{
	struct sess_r r = {data, len, 0, false};
	int rc = check_machine(a, &r, e);
	return rc ? rc : load_sections(a, &r, e);
}

int session_load(struct analysis *a, const char *path, struct err *e)
{
	uint8_t *file = NULL, *data = NULL;
	size_t len = 0, dlen = 0;
	/*
	 * Candidate lists and bitmaps take at most RAM / 200 (9 bytes per
	 * candidate, one candidate per 4 KiB, two tree kinds): RAM / 32 leaves
	 * room, and bounds what a hostile file may make us allocate.
	 */
	uint64_t limit = MMU_MAX(a->pm.ram_bytes / 32, (uint64_t)64 << 20);
	if (read_file(path, limit, &file, &len, e))
		return -1;
	if (len < 24 || memcmp(file, SESSION_MAGIC, 16)) {
		free(file);
		return err_set(e, "%s: not an mmushell session file", path);
	}
	uint32_t version = rd32(file + 16, false);
	if (version > SESSION_VERSION || version == 0) {
		free(file);
		if (version == 0)
			return err_set(e, "%s: unsupported session format version 0", path);
		return err_set(e, "%s: session format version %u is newer than this mmushell reads (%u): update mmushell",
			       path, version, SESSION_VERSION);
	}
	/* Flags announce features a reader must know; this version defines none. */
	uint32_t flags = rd32(file + 20, false);
	if (flags) {
		free(file);
		return err_set(e, "%s: session file uses features this mmushell does not know (flags 0x%x): update mmushell",
			       path, flags);
	}
	int rc = decompress(file + 24, len - 24, limit, &data, &dlen, e);
	free(file);
	if (rc)
		return err_prefix(e, "%s", path);
	rc = session_load_data(a, data, dlen, e);
	free(data);
	if (rc)
		return err_prefix(e, "%s", path);
	a->dirty = false;
	return 0;
}
