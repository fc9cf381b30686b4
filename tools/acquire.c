#include "autoconfig.h"

#include "acquire.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "dumpfmt.h"
#include "fdout.h"
#include "lime.h"

/* Copy unit: large reads while they work, page by page where they fail. */
#define ACQ_CHUNK (1u << 20)

/* ---- sources ---- */

static const char *const source_names[] = {"kcore", "crash", "mem"};
static const char *const source_paths[] = {"/proc/kcore", "/dev/crash", "/dev/mem"};

const char *acq_source_name(enum acq_source_kind k)
{
	return source_names[k];
}

const char *acq_source_default_path(enum acq_source_kind k)
{
	return source_paths[k];
}

int acq_source_parse(const char *s)
{
	for (size_t i = 0; i < ARRAY_LEN(source_names); i++)
		if (!strcmp(s, source_names[i]))
			return (int)i;
	return -1;
}

/* By address, the larger first where two start together. */
static int cmp_seg(const void *a, const void *b)
{
	const struct acq_seg *x = a, *y = b;
	if (x->paddr != y->paddr)
		return x->paddr < y->paddr ? -1 : 1;
	return x->size > y->size ? -1 : x->size < y->size;
}

/* The kcore PT_LOADs that have a physical address (RAM, kernel text); vmalloc and the like have none. */
static int kcore_segments(struct acq_source *s, struct err *e)
{
	const struct elfcore *ec = &s->ec;
	uint64_t none = ec->elfclass == 64 ? UINT64_MAX : UINT32_MAX;
	size_t cap = 0;
	for (size_t i = 0; i < ec->nphdrs; i++) {
		const struct elfcore_phdr *ph = &ec->phdrs[i];
		if (ph->type != PT_LOAD || ph->filesz == 0 || ph->paddr == none || ph->paddr > UINT64_MAX - ph->filesz)
			continue;
		struct acq_seg g = {ph->paddr, ph->filesz, ph->offset, ph->vaddr};
		VEC_PUSH(s->segs, s->nsegs, cap, g);
	}
	if (!s->nsegs)
		return err_set(e, "%s: no PT_LOAD segment has a physical address (p_paddr): not a kcore-style file", s->path);
	qsort(s->segs, s->nsegs, sizeof(*s->segs), cmp_seg);
	/*
	 * Drop a segment that lies inside another: the kernel-image alias
	 * (KCORE_TEXT) inside the direct map of RAM.  Read through the image
	 * mapping, a page the kernel unmapped there (its freed __init memory,
	 * since reused) comes back as zeros without an error; the direct map
	 * has the page's real contents.
	 */
	size_t k = 0;
	uint64_t reach = 0; /* highest end + 1 so far; every kept segment starts at or below the next */
	for (size_t i = 0; i < s->nsegs; i++) {
		uint64_t end = s->segs[i].paddr + s->segs[i].size;
		if (k && end <= reach)
			continue;
		reach = MMU_MAX(reach, end);
		s->segs[k++] = s->segs[i];
	}
	s->nsegs = k;
	return 0;
}

int acq_source_open(struct acq_source *s, enum acq_source_kind kind, const char *path, struct err *e)
{
	struct stat st;
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->fd = -1;
	s->path = xstrdup(path);
	if (kind == ACQ_SRC_KCORE) {
		if (elfcore_open(&s->ec, path, e))
			goto fail;
		s->has_ec = true;
		s->fd = s->ec.fd;
		if (kcore_segments(s, e))
			goto fail;
		return 0;
	}
	/* Read-only, always: this tool never writes into /dev or /proc. */
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0) {
		err_set(e, "%s: cannot open: %s", path, strerror(errno));
		goto fail;
	}
	if (fstat(s->fd, &st) || !(S_ISCHR(st.st_mode) || S_ISREG(st.st_mode))) {
		err_set(e, "%s: neither a character device nor a regular file", path);
		goto fail;
	}
	return 0;
fail:
	acq_source_close(s);
	return -1;
}

void acq_source_close(struct acq_source *s)
{
	if (s->has_ec)
		elfcore_close(&s->ec);
	else if (s->fd >= 0)
		close(s->fd);
	free(s->segs);
	free(s->path);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

static int read_full(int fd, uint64_t off, uint8_t *buf, size_t len, const char **why)
{
	size_t done = 0;
	while (done < len) {
		if (off + done > (uint64_t)INT64_MAX) {
			*why = "offset out of range";
			return -1;
		}
		ssize_t n = pread(fd, buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*why = strerror(errno);
			return -1;
		}
		if (n == 0) {
			*why = "end of file";
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

/* The kcore segment holding addr, or NULL. */
static const struct acq_seg *seg_of(const struct acq_source *s, uint64_t addr)
{
	size_t lo = 0, hi = s->nsegs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->segs[mid].paddr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Segments may still overlap without nesting: look back for one that covers addr. */
	for (size_t i = lo; i-- > 0;)
		if (addr - s->segs[i].paddr < s->segs[i].size)
			return &s->segs[i];
	return NULL;
}

int acq_source_read(struct acq_source *s, uint64_t paddr, void *buf, size_t len, const char **why)
{
	uint8_t *p = buf;
	if (s->kind != ACQ_SRC_KCORE)
		return read_full(s->fd, paddr, p, len, why);
	while (len) {
		const struct acq_seg *g = seg_of(s, paddr);
		if (!g) {
			*why = "not mapped by any kcore PT_LOAD";
			return -1;
		}
		uint64_t in = paddr - g->paddr;
		size_t n = (size_t)MMU_MIN((uint64_t)len, g->size - in);
		if (g->offset > UINT64_MAX - in || read_full(s->fd, g->offset + in, p, n, why))
			return -1;
		p += n;
		paddr += n;
		len -= n;
	}
	return 0;
}

int acq_source_probe(struct acq_source *s, const struct iomem_map *map, char *why, size_t len)
{
	uint8_t page[4096];
	uint64_t good = 0;
	const char *first_why = NULL;
	uint64_t first_bad = 0;
	for (size_t i = 0; i < map->n; i++) {
		if (!map->v[i].ram)
			continue;
		uint64_t size = map->v[i].end - map->v[i].start + 1;
		const char *w = NULL;
		if (!acq_source_read(s, map->v[i].start, page, (size_t)MMU_MIN((uint64_t)sizeof(page), size), &w))
			good += size;
		else if (!first_why) {
			first_why = w;
			first_bad = map->v[i].start;
		}
	}
	if (!first_why || good >= map->ram_bytes - map->ram_bytes / 2)
		return 0;
	char a[32], b[32];
	snprintf(why, len, "reading RAM at 0x%llx failed (%s); the RAM ranges it can read hold %s of %s",
		 (unsigned long long)first_bad, first_why, fmt_size(good, a, sizeof(a)), fmt_size(map->ram_bytes, b, sizeof(b)));
	return -1;
}

/* ---- the machine ---- */

/* The value of the first /proc/cpuinfo line "KEY<tabs> : VALUE" into buf; false if absent. */
static bool cpuinfo_value(const char *text, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) || (p[klen] != ' ' && p[klen] != '\t' && p[klen] != ':'))
			continue;
		const char *c = strchr(p, ':'), *eol = strchr(p, '\n');
		if (!c || (eol && c > eol))
			continue;
		c++;
		while (*c == ' ' || *c == '\t')
			c++;
		size_t n = eol ? (size_t)(eol - c) : strlen(c);
		n = MMU_MIN(n, len - 1);
		memcpy(buf, c, n);
		buf[n] = '\0';
		return true;
	}
	return false;
}

static bool has_word(const char *list, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = list; (p = strstr(p, w)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static int host_endian(void)
{
	const uint16_t one = 1;
	return *(const uint8_t *)&one ? ENDIAN_LITTLE : ENDIAN_BIG;
}

/* 4-level kernel addresses start at 0xffff800000000000; 5-level ones below that. */
#define LA57_KERNEL_LOW 0xff00000000000000ULL
#define LA48_KERNEL_LOW 0xffff800000000000ULL

int acq_machine_detect(struct acq_machine *m, const char *machine, const char *mode, const char *cpuinfo,
		       const struct acq_source *src, const struct iomem_map *map, struct err *e)
{
	struct sbuf why = {0};
	struct utsname u;
	char names[512], val[4096];
	const struct elfcore *ec = src && src->has_ec ? &src->ec : NULL;
	bool from_class = false;
	int kbits = 0;
	const char *karch = ec ? dumpfmt_elf_arch(ec->machine, ec->elfclass, &kbits, &from_class) : NULL;

	memset(m, 0, sizeof(*m));
	if (machine) {
		const struct dumpfmt_machine *dm = dumpfmt_machine_find(machine);
		if (!dm)
			return err_set(e, "unknown machine '%s' (--machine; known: %s)", machine,
				       dumpfmt_machine_names(names, sizeof(names)));
		m->arch = dm->arch;
		m->bits = dm->bits ? dm->bits : dumpfmt_default_bits(dm->arch);
		m->endian = dm->endian >= 0 ? dm->endian : ec ? (ec->big_endian ? ENDIAN_BIG : ENDIAN_LITTLE) : host_endian();
		sbuf_printf(&why, "architecture %s, %d-bit %s-endian: from --machine %s\n", m->arch, m->bits,
			    m->endian == ENDIAN_BIG ? "big" : "little", machine);
	} else if (karch) {
		/* /proc/kcore is the running kernel's own description of itself. */
		m->arch = karch;
		m->bits = kbits;
		m->endian = ec->big_endian ? ENDIAN_BIG : ENDIAN_LITTLE;
		sbuf_printf(&why, "architecture %s, %d-bit %s-endian: from %s's ELF header (e_machine %s)\n", m->arch, m->bits,
			    m->endian == ENDIAN_BIG ? "big" : "little", src->path,
			    elfcore_machine_name(ec->machine) ? elfcore_machine_name(ec->machine) : "?");
	} else {
		if (uname(&u))
			return err_set(e, "uname failed: %s", strerror(errno));
		const struct dumpfmt_machine *dm = dumpfmt_machine_find(u.machine);
		if (!dm)
			return err_set(e, "the running kernel's machine '%s' is not one mmushell reads (known: %s)", u.machine,
				       dumpfmt_machine_names(names, sizeof(names)));
		m->arch = dm->arch;
		m->bits = dm->bits ? dm->bits : dumpfmt_default_bits(dm->arch);
		m->endian = dm->endian >= 0 ? dm->endian : host_endian();
		sbuf_printf(&why, "architecture %s, %d-bit %s-endian: from the running kernel (uname machine %s)\n", m->arch,
			    m->bits, m->endian == ENDIAN_BIG ? "big" : "little", u.machine);
	}
	m->e_machine = dumpfmt_elf_machine(m->arch, m->bits);
	bool intel = !strcmp(m->arch, "intel");

	const char *pick = dumpfmt_default_mode(m->arch, m->bits);
	const char *mode_why = "the usual one";
	if (mode) {
		if (!(pick = dumpfmt_mode_find(m->arch, mode))) {
			sbuf_free(&why);
			return err_set(e, "unknown MMU mode '%s' for architecture %s (--mode; accepted: %s)", mode, m->arch,
				       dumpfmt_mode_names(m->arch, names, sizeof(names)));
		}
		mode_why = "from --mode";
	} else if (intel && m->bits == 64 && ec) {
		for (size_t i = 0; i < ec->nphdrs; i++)
			if (ec->phdrs[i].type == PT_LOAD && ec->phdrs[i].vaddr >= LA57_KERNEL_LOW &&
			    ec->phdrs[i].vaddr < LA48_KERNEL_LOW) {
				pick = "la57";
				break;
			}
		mode_why = !strcmp(pick, "la57") ? "kcore has kernel addresses below 0xffff800000000000 (5-level paging)"
						 : "kcore's kernel addresses are 4-level ones";
	} else if (intel && m->bits == 64 && cpuinfo && cpuinfo_value(cpuinfo, "flags", val, sizeof(val))) {
		if (has_word(val, "la57")) {
			pick = "la57";
			mode_why = "the CPU has la57 (Linux then uses 5-level paging)";
		} else {
			mode_why = "the CPU has no la57";
		}
	} else if (!strcmp(m->arch, "riscv") && cpuinfo && cpuinfo_value(cpuinfo, "mmu", val, sizeof(val)) &&
		   dumpfmt_mode_find(m->arch, val)) {
		pick = dumpfmt_mode_find(m->arch, val);
		mode_why = "from /proc/cpuinfo mmu";
	}
	if (!pick) {
		sbuf_free(&why);
		return err_set(e, "no MMU mode for %d-bit %s", m->bits, m->arch);
	}
	snprintf(m->mode, sizeof(m->mode), "%s", pick);
	sbuf_printf(&why, "MMU mode %s: %s\n", m->mode, mode_why);

	if (intel) {
		uint64_t top = 0;
		for (size_t i = 0; i < map->n; i++)
			if (map->v[i].ram)
				top = MMU_MAX(top, map->v[i].end);
		unsigned need = (unsigned)log2_u64(top) + 1;
		unsigned long v = 0;
		if (cpuinfo && cpuinfo_value(cpuinfo, "address sizes", val, sizeof(val)) &&
		    (v = strtoul(val, NULL, 10)) >= 1 && v <= 52) {
			m->m_phy = (unsigned)v;
			sbuf_printf(&why, "m_phy %u: from /proc/cpuinfo address sizes\n", m->m_phy);
		} else {
			m->m_phy = m->bits == 64 ? 40 : 36;
			sbuf_printf(&why, "m_phy %u: default (/proc/cpuinfo gives no address sizes)\n", m->m_phy);
		}
		if (m->m_phy < need) {
			m->m_phy = need;
			sbuf_printf(&why, "m_phy raised to %u to cover RAM up to 0x%llx\n", need, (unsigned long long)top);
		}
	}
	snprintf(m->why, sizeof(m->why), "%s", why.s ? why.s : "");
	sbuf_free(&why);
	return 0;
}

/* ---- output ---- */

static const char *const format_names[] = {"raw", "elf", "lime"};

const char *acq_format_name(enum acq_format f)
{
	return format_names[f];
}

int acq_format_parse(const char *s)
{
	for (size_t i = 0; i < ARRAY_LEN(format_names); i++)
		if (!strcmp(s, format_names[i]))
			return (int)i;
	return -1;
}

int acq_check_outdir(const char *dir, struct err *e)
{
	static const char *const forbidden[] = {"/proc", "/dev", "/sys"};
	char real[PATH_MAX];
	if (!realpath(dir, real))
		return err_set(e, "%s: %s", dir, strerror(errno));
	for (size_t i = 0; i < ARRAY_LEN(forbidden); i++) {
		size_t n = strlen(forbidden[i]);
		if (!strncmp(real, forbidden[i], n) && (real[n] == '/' || real[n] == '\0'))
			return err_set(e, "%s: refusing to write under %s", dir, forbidden[i]);
	}
	return 0;
}

/* A new file, never an existing one (or a symlink planted in its place). */
static int create_new(const char *path, mode_t mode, struct err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return err_set(e, "%s: cannot create: %s%s", path, strerror(errno),
			       errno == EEXIST ? " (choose an empty output folder)" : "");
	return fd;
}

/* Where the bytes of the dump go. */
struct sink {
	enum acq_format f;
	const char *dir;
	struct elfw *elf;
	struct limew lime;
	struct fdout raw;
	int fd;
	bool open;
	uint64_t *offsets;      /* per RAM range: file offset of its first byte (ELF, LiME) */
	char **files;           /* per RAM range: file name relative to dir */
};

static const char *dump_name(enum acq_format f)
{
	return f == ACQ_ELF ? "memory.elf" : "memory.lime";
}

/* Runs of unreadable pages with one reason, for the log. */
struct bad_run {
	uint64_t start, end, pages;
	const char *why;
};

struct copier {
	const struct iomem_map *map;
	struct acq_source *src;
	const struct acq_opts *o;
	struct sink sink;
	uint8_t *buf;
	uint64_t page, done;
	struct bad_run *bad;
	size_t nbad, badcap;
	uint64_t bad_pages;
};

static int sink_write(struct sink *s, const void *p, size_t len, struct err *e)
{
	switch (s->f) {
	case ACQ_ELF:
		return elfw_write(s->elf, p, len, e);
	case ACQ_LIME:
		return limew_write(&s->lime, p, len, e);
	default:
		return fdout_write(&s->raw, p, len, e);
	}
}

static void note_bad(struct copier *c, uint64_t start, uint64_t end, const char *why)
{
	struct bad_run *last = c->nbad ? &c->bad[c->nbad - 1] : NULL;
	c->bad_pages++;
	if (last && last->end + 1 == start && !strcmp(last->why, why)) {
		last->end = end;
		last->pages++;
		return;
	}
	struct bad_run r = {start, end, 1, why};
	VEC_PUSH(c->bad, c->nbad, c->badcap, r);
}

/* Copies [start, end] in chunks; a chunk that fails is retried page by page. */
static int copy_range(struct copier *c, uint64_t start, uint64_t end, struct err *e)
{
	uint64_t addr = start;
	for (;;) {
		uint64_t cend = MMU_MIN(end, align_down(addr, ACQ_CHUNK) + (ACQ_CHUNK - 1));
		size_t len = (size_t)(cend - addr + 1);
		const char *why = NULL;
		if (acq_source_read(c->src, addr, c->buf, len, &why)) {
			uint64_t a = addr;
			for (;;) {
				uint64_t pend = MMU_MIN(cend, align_down(a, c->page) + (c->page - 1));
				uint8_t *p = c->buf + (a - addr);
				size_t pl = (size_t)(pend - a + 1);
				if (acq_source_read(c->src, a, p, pl, &why)) {
					memset(p, 0, pl);
					note_bad(c, a, pend, why);
				}
				if (pend == cend)
					break;
				a = pend + 1;
			}
		}
		if (sink_write(&c->sink, c->buf, len, e))
			return -1;
		c->done += len;
		if (c->o->progress)
			c->o->progress(c->o->ctx, c->done, c->map->ram_bytes);
		if (cend == end)
			return 0;
		addr = cend + 1;
	}
}

static int open_sink(struct copier *c, const struct acq_machine *m, struct err *e)
{
	struct sink *s = &c->sink;
	const struct iomem_map *map = c->map;
	s->f = c->o->format;
	s->dir = c->o->outdir;
	s->fd = -1;
	s->offsets = xcalloc(map->n, sizeof(*s->offsets));
	s->files = xcalloc(map->n, sizeof(*s->files));
	if (s->f == ACQ_RAW)
		return 0;
	char *path = path_join(s->dir, dump_name(s->f));
	s->fd = create_new(path, 0600, e);
	if (s->fd < 0) {
		free(path);
		return -1;
	}
	for (size_t i = 0; i < map->n; i++)
		if (map->v[i].ram)
			s->files[i] = xstrdup(dump_name(s->f));
	int rc = 0;
	if (s->f == ACQ_LIME) {
		/* LiME writes its headers in the byte order of the machine. */
		limew_init(&s->lime, s->fd, path, m->endian == ENDIAN_BIG);
		uint64_t pos = 0;
		for (size_t i = 0; i < map->n; i++)
			if (map->v[i].ram) {
				pos += LIME_HEADER_SIZE;
				s->offsets[i] = pos;
				pos += map->v[i].end - map->v[i].start + 1;
			}
	} else {
		uint64_t top = 0;
		for (size_t i = 0; i < map->n; i++)
			top = MMU_MAX(top, map->v[i].end);
		int bits;
		bool from_class = true;
		dumpfmt_elf_arch(m->e_machine, 64, &bits, &from_class);
		/* Where e_machine fixes the word size (EM_386, EM_ARM), ELF64 can hold what ELF32 cannot, as QEMU does. */
		bool big = top > UINT32_MAX || map->ram_bytes > UINT32_MAX - (64u << 20);
		struct elfw_opts eo = {.elfclass = m->bits == 64 || (big && !from_class) ? 64 : 32,
				       .big_endian = m->endian == ENDIAN_BIG,
				       .machine = m->e_machine};
		s->elf = elfw_new(&eo);
		struct sbuf note = {0};
		struct phys_range *nr = xcalloc(map->n, sizeof(*nr));
		size_t nnr = 0;
		for (size_t i = 0; i < map->n; i++)
			if (!map->v[i].ram)
				nr[nnr++] = (struct phys_range){.start = map->v[i].start, .end = map->v[i].end};
		dumpfmt_note_text(&note, m->mode, m->m_phy, nr, nnr);
		elfw_add_note(s->elf, DUMPFMT_NOTE_OWNER, DUMPFMT_NT_MACHINE, note.s, note.len);
		sbuf_free(&note);
		free(nr);
		size_t k = 0;
		for (size_t i = 0; i < map->n; i++)
			if (map->v[i].ram) {
				uint64_t size = map->v[i].end - map->v[i].start + 1;
				elfw_add_load(s->elf, map->v[i].start, map->v[i].start, size, size, PF_R | PF_W | PF_X);
			}
		rc = elfw_start(s->elf, s->fd, path, e);
		for (size_t i = 0; !rc && i < map->n; i++)
			if (map->v[i].ram)
				s->offsets[i] = elfw_load_offset(s->elf, k++);
	}
	free(path);
	s->open = true;
	return rc;
}

static int close_sink(struct sink *s, struct err *e)
{
	int rc = 0;
	if (s->f == ACQ_ELF && s->elf)
		rc = elfw_finish(s->elf, e);
	else if (s->f == ACQ_LIME && s->open)
		rc = limew_finish(&s->lime, e);
	if (!rc && s->fd >= 0 && fsync(s->fd) && errno != EINVAL)
		rc = err_set(e, "%s: fsync failed: %s", dump_name(s->f), strerror(errno));
	if (s->fd >= 0 && close(s->fd) && !rc)
		rc = err_set(e, "%s: close failed: %s", dump_name(s->f), strerror(errno));
	s->fd = -1;
	return rc;
}

static void free_sink(struct sink *s, size_t n)
{
	if (s->elf)
		elfw_free(s->elf);
	if (s->f == ACQ_LIME && s->open)
		limew_free(&s->lime);
	if (s->fd >= 0)
		close(s->fd);
	for (size_t i = 0; s->files && i < n; i++)
		free(s->files[i]);
	free(s->files);
	free(s->offsets);
}

/* Raw format: one file per RAM range, written like the others, range by range. */
static int copy_raw_range(struct copier *c, size_t i, struct err *e)
{
	struct sink *s = &c->sink;
	char name[32];
	/* Files are numbered by RAM range, in address order. */
	size_t k = 0;
	for (size_t j = 0; j < i; j++)
		k += c->map->v[j].ram;
	snprintf(name, sizeof(name), "dump.%zu", k);
	char *path = path_join(s->dir, name);
	int fd = create_new(path, 0600, e);
	if (fd < 0) {
		free(path);
		return -1;
	}
	s->files[i] = xstrdup(name);
	fdout_init(&s->raw, fd, path);
	int rc = copy_range(c, c->map->v[i].start, c->map->v[i].end, e);
	if (!rc)
		rc = fdout_flush(&s->raw, e);
	if (!rc && fsync(fd) && errno != EINVAL)
		rc = err_set(e, "%s: fsync failed: %s", path, strerror(errno));
	if (close(fd) && !rc)
		rc = err_set(e, "%s: close failed: %s", path, strerror(errno));
	fdout_free(&s->raw);
	free(path);
	return rc;
}

static int write_text(const char *dir, const char *name, const char *text, char **out, struct err *e)
{
	char *path = path_join(dir, name);
	int fd = create_new(path, 0644, e);
	if (fd < 0) {
		free(path);
		return -1;
	}
	struct fdout o;
	fdout_init(&o, fd, path);
	int rc = fdout_write(&o, text, strlen(text), e) || fdout_flush(&o, e) ? -1 : 0;
	fdout_free(&o);
	if (close(fd) && !rc)
		rc = err_set(e, "%s: close failed: %s", path, strerror(errno));
	if (rc)
		free(path);
	else
		*out = path;
	return rc;
}

static void yaml_text(struct sbuf *y, const struct copier *c, const struct acq_machine *m)
{
	const struct iomem_map *map = c->map;
	sbuf_printf(y, "# Machine description in MMUShell's format, written by mmushell-acquire %s.\n", PACKAGE_VERSION);
	sbuf_printf(y, "# RAM: the \"System RAM\" ranges of %s, copied from %s (%s); not_ram: its other top-level ranges.\n",
		    c->o->map_name ? c->o->map_name : "the memory map", c->src->path, acq_source_name(c->src->kind));
	sbuf_printf(y, "# Unreadable pages (zero-filled): %llu; see acquire.log.\n", (unsigned long long)c->bad_pages);
	sbuf_printf(y, "cpu:\n  architecture: %s\n  endianness: %s\n  bits: %d\n", m->arch,
		    m->endian == ENDIAN_BIG ? "big" : "little", m->bits);
	if (m->m_phy)
		sbuf_printf(y, "  processor_features:\n    m_phy: %u\n", m->m_phy);
	sbuf_printf(y, "mmu:\n  mode: %s\nmemspace:\n  ram:\n", m->mode);
	for (size_t i = 0; i < map->n; i++) {
		if (!map->v[i].ram)
			continue;
		sbuf_printf(y, "    - {start: 0x%llx, end: 0x%llx, dumpfile: %s", (unsigned long long)map->v[i].start,
			    (unsigned long long)map->v[i].end, c->sink.files[i]);
		if (c->o->format != ACQ_RAW)
			sbuf_printf(y, ", offset: 0x%llx", (unsigned long long)c->sink.offsets[i]);
		sbuf_printf(y, "}\n");
	}
	if (map->n > map->nram) {
		sbuf_printf(y, "  not_ram:\n");
		for (size_t i = 0; i < map->n; i++)
			if (!map->v[i].ram)
				sbuf_printf(y, "    - {start: 0x%llx, end: 0x%llx}  # %s\n", (unsigned long long)map->v[i].start,
					    (unsigned long long)map->v[i].end, map->v[i].name);
	}
}

static void log_text(struct sbuf *l, const struct copier *c, const struct acq_machine *m, const char *started,
		     double secs)
{
	const struct iomem_map *map = c->map;
	char sz[32];
	sbuf_printf(l, "mmushell-acquire %s\nstarted: %s\n", PACKAGE_VERSION, started);
	sbuf_printf(l, "memory map: %s (%zu System RAM ranges, %zu other top-level ranges)\n",
		    c->o->map_name ? c->o->map_name : "?", map->nram, map->n - map->nram);
	sbuf_printf(l, "source: %s (%s)\nformat: %s\n", c->src->path, acq_source_name(c->src->kind),
		    acq_format_name(c->o->format));
	sbuf_printf(l, "page size: %llu\n%s", (unsigned long long)c->page, m->why);
	for (size_t i = 0; i < map->n; i++)
		sbuf_printf(l, "%s 0x%llx-0x%llx %s (%s)%s%s\n", map->v[i].ram ? "copied " : "skipped",
			    (unsigned long long)map->v[i].start, (unsigned long long)map->v[i].end,
			    fmt_size(map->v[i].end - map->v[i].start + 1, sz, sizeof(sz)), map->v[i].name,
			    map->v[i].ram ? " -> " : "", map->v[i].ram ? c->sink.files[i] : "");
	for (size_t i = 0; i < c->nbad; i++)
		sbuf_printf(l, "unreadable 0x%llx-0x%llx (%llu page%s, zero-filled): %s\n", (unsigned long long)c->bad[i].start,
			    (unsigned long long)c->bad[i].end, (unsigned long long)c->bad[i].pages,
			    c->bad[i].pages == 1 ? "" : "s", c->bad[i].why);
	sbuf_printf(l, "total: %llu bytes of RAM in %zu ranges, %llu unreadable pages, %.1f s\n",
		    (unsigned long long)c->done, map->nram, (unsigned long long)c->bad_pages, secs);
}

int acq_run(const struct iomem_map *map, struct acq_source *src, const struct acq_machine *m, const struct acq_opts *o,
	    struct acq_result *r, struct err *e)
{
	struct copier c = {.map = map, .src = src, .o = o};
	char started[64];
	time_t now = time(NULL);
	struct tm tm;
	double t0 = now_seconds();
	int rc = -1;

	memset(r, 0, sizeof(*r));
	strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	c.page = o->page_size ? o->page_size : (uint64_t)sysconf(_SC_PAGESIZE);
	if (c.page == 0 || (c.page & (c.page - 1)) || c.page > ACQ_CHUNK)
		return err_set(e, "page size %llu is not a power of two up to %u", (unsigned long long)c.page, ACQ_CHUNK);
	if (acq_check_outdir(o->outdir, e))
		return -1;
	c.buf = xmalloc(ACQ_CHUNK);
	if (open_sink(&c, m, e))
		goto out;
	for (size_t i = 0; i < map->n; i++) {
		if (!map->v[i].ram)
			continue;
		if (o->format == ACQ_RAW) {
			if (copy_raw_range(&c, i, e))
				goto out;
			continue;
		}
		if (o->format == ACQ_LIME && limew_range_begin(&c.sink.lime, map->v[i].start, map->v[i].end, e))
			goto out;
		if (copy_range(&c, map->v[i].start, map->v[i].end, e))
			goto out;
	}
	if (close_sink(&c.sink, e))
		goto out;

	struct sbuf y = {0}, l = {0};
	yaml_text(&y, &c, m);
	log_text(&l, &c, m, started, now_seconds() - t0);
	rc = write_text(o->outdir, "machine.yaml", y.s, &r->yaml_path, e) ||
	     write_text(o->outdir, "acquire.log", l.s, &r->log_path, e) ? -1 : 0;
	sbuf_free(&y);
	sbuf_free(&l);
	if (rc)
		goto out;
	r->ram_bytes = c.done;
	r->unreadable_pages = c.bad_pages;
	for (size_t i = 0; i < map->n && !r->dump_path; i++)
		if (map->v[i].ram)
			r->dump_path = path_join(o->outdir, c.sink.files[i]);
out:
	free_sink(&c.sink, map->n);
	free(c.bad);
	free(c.buf);
	return rc;
}

void acq_result_free(struct acq_result *r)
{
	free(r->dump_path);
	free(r->yaml_path);
	free(r->log_path);
	memset(r, 0, sizeof(*r));
}
