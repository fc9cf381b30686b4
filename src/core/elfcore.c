#include "autoconfig.h"

#include "elfcore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdout.h"

/* Sizes of the ELF structures per class: index 0 for ELF32, 1 for ELF64. */
static const unsigned ehdr_size[2] = {52, 64};
static const unsigned phdr_size[2] = {32, 56};
static const unsigned shdr_size[2] = {40, 64};

/* Offsets of the ELF header fields past e_ident that differ between classes. */
struct ehdr_layout {
	unsigned phoff, shoff, flags, ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
static const struct ehdr_layout ehdr_at[2] = {
	{0x1c, 0x20, 0x24, 0x28, 0x2a, 0x2c, 0x2e, 0x30, 0x32},
	{0x20, 0x28, 0x30, 0x34, 0x36, 0x38, 0x3a, 0x3c, 0x3e},
};
#define EH_TYPE 0x10
#define EH_MACHINE 0x12
#define EH_VERSION 0x14
/* Section header 0's sh_info, which holds the program header count past PN_XNUM. */
static const unsigned sh_info_at[2] = {0x1c, 0x2c};

/* Hostile headers must not make us allocate without bound. */
#define ELFCORE_MAX_PHDRS (1u << 24)
#define ELFCORE_MAX_NOTE_BYTES (64u << 20)

MMU_PRINTF(4, 5)
static int ferr(const struct elfcore *ec, struct err *e, uint64_t off, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(e, "%s: offset 0x%llx: %s", ec->path, (unsigned long long)off, msg);
}

int elfcore_pread(const struct elfcore *ec, uint64_t off, void *buf, size_t len, struct err *e)
{
	size_t done = 0;
	while (done < len) {
		if (off + done > (uint64_t)INT64_MAX)
			return ferr(ec, e, off + done, "read past the largest file offset");
		ssize_t n = pread(ec->fd, (uint8_t *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ferr(ec, e, off + done, "read failed: %s", strerror(errno));
		if (n == 0)
			return ferr(ec, e, off + done, "unexpected end of file (%zu bytes short)", len - done);
		done += (size_t)n;
	}
	return 0;
}

static const struct {
	uint16_t machine;
	const char *name;
} machine_names[] = {
	{EM_386, "EM_386"},       {EM_X86_64, "EM_X86_64"}, {EM_ARM, "EM_ARM"},   {EM_AARCH64, "EM_AARCH64"},
	{EM_RISCV, "EM_RISCV"},   {EM_MIPS, "EM_MIPS"},     {EM_PPC, "EM_PPC"},   {EM_PPC64, "EM_PPC64"},
	{EM_S390, "EM_S390"},     {EM_SPARCV9, "EM_SPARCV9"}, {EM_IA_64, "EM_IA_64"}, {EM_NONE, "EM_NONE"},
};

const char *elfcore_machine_name(uint16_t machine)
{
	for (size_t i = 0; i < ARRAY_LEN(machine_names); i++)
		if (machine_names[i].machine == machine)
			return machine_names[i].name;
	return NULL;
}

static const char *type_name(uint16_t t)
{
	static const char *const names[] = {"ET_NONE", "ET_REL", "ET_EXEC", "ET_DYN", "ET_CORE"};
	return t < ARRAY_LEN(names) ? names[t] : "unknown";
}

/* Counts the program headers, following extended numbering to section header 0. */
static int phdr_count(struct elfcore *ec, const uint8_t *eh, uint64_t *count, struct err *e)
{
	int c = ec->elfclass == 64;
	const struct ehdr_layout *L = &ehdr_at[c];
	uint16_t phnum = rd16(eh + L->phnum, ec->big_endian);
	if (phnum != PN_XNUM) {
		*count = phnum;
		return 0;
	}
	uint64_t shoff = c ? rd64(eh + L->shoff, ec->big_endian) : rd32(eh + L->shoff, ec->big_endian);
	uint16_t shentsize = rd16(eh + L->shentsize, ec->big_endian);
	if (shoff == 0)
		return ferr(ec, e, L->phnum,
			    "e_phnum is PN_XNUM (extended numbering) but e_shoff is 0: no section header holds the count");
	if (shentsize < shdr_size[c])
		return ferr(ec, e, L->shentsize, "e_shentsize is %u, smaller than an ELF%d section header (%u bytes)",
			    shentsize, ec->elfclass, shdr_size[c]);
	if (shoff > ec->size || ec->size - shoff < shdr_size[c])
		return ferr(ec, e, L->shoff, "section header 0 at offset 0x%llx runs past the end of the file (%llu bytes)",
			    (unsigned long long)shoff, (unsigned long long)ec->size);
	uint8_t sh[64];
	if (elfcore_pread(ec, shoff, sh, shdr_size[c], e))
		return -1;
	*count = rd32(sh + sh_info_at[c], ec->big_endian);
	return 0;
}

static void parse_phdr(const struct elfcore *ec, const uint8_t *p, struct elfcore_phdr *ph)
{
	bool be = ec->big_endian;
	ph->type = rd32(p, be);
	if (ec->elfclass == 64) {
		ph->flags = rd32(p + 4, be);
		ph->offset = rd64(p + 8, be);
		ph->vaddr = rd64(p + 0x10, be);
		ph->paddr = rd64(p + 0x18, be);
		ph->filesz = rd64(p + 0x20, be);
		ph->memsz = rd64(p + 0x28, be);
		ph->align = rd64(p + 0x30, be);
	} else {
		ph->offset = rd32(p + 4, be);
		ph->vaddr = rd32(p + 8, be);
		ph->paddr = rd32(p + 0xc, be);
		ph->filesz = rd32(p + 0x10, be);
		ph->memsz = rd32(p + 0x14, be);
		ph->flags = rd32(p + 0x18, be);
		ph->align = rd32(p + 0x1c, be);
	}
}

static int read_phdrs(struct elfcore *ec, const uint8_t *eh, struct err *e)
{
	int c = ec->elfclass == 64;
	const struct ehdr_layout *L = &ehdr_at[c];
	uint64_t phoff = c ? rd64(eh + L->phoff, ec->big_endian) : rd32(eh + L->phoff, ec->big_endian);
	uint16_t entsize = rd16(eh + L->phentsize, ec->big_endian);
	uint64_t n = 0;

	if (entsize < phdr_size[c])
		return ferr(ec, e, L->phentsize, "e_phentsize is %u, smaller than an ELF%d program header (%u bytes)",
			    entsize, ec->elfclass, phdr_size[c]);
	if (phdr_count(ec, eh, &n, e))
		return -1;
	if (n == 0)
		return ferr(ec, e, L->phnum, "no program headers: a memory dump needs PT_LOAD segments");
	if (n > ELFCORE_MAX_PHDRS)
		return ferr(ec, e, L->phnum, "%llu program headers is more than the %u this reader accepts",
			    (unsigned long long)n, ELFCORE_MAX_PHDRS);
	if (phoff > ec->size || (ec->size - phoff) / entsize < n)
		return ferr(ec, e, L->phoff,
			    "the program header table (%llu entries of %u bytes at offset 0x%llx) runs past the end of the file (%llu bytes)",
			    (unsigned long long)n, entsize, (unsigned long long)phoff, (unsigned long long)ec->size);
	ec->phdrs = xcalloc((size_t)n, sizeof(*ec->phdrs));
	/* In chunks: the table may be large and is read only once. */
	enum { CHUNK = 1024 };
	uint8_t *buf = xmalloc((size_t)CHUNK * entsize);
	for (uint64_t i = 0; i < n; i += CHUNK) {
		size_t k = (size_t)MMU_MIN((uint64_t)CHUNK, n - i);
		uint64_t at = phoff + i * entsize;
		if (elfcore_pread(ec, at, buf, k * entsize, e)) {
			free(buf);
			return -1;
		}
		for (size_t j = 0; j < k; j++) {
			struct elfcore_phdr *ph = &ec->phdrs[i + j];
			parse_phdr(ec, buf + j * entsize, ph);
			ph->hdr_offset = at + j * entsize;
		}
	}
	free(buf);
	ec->nphdrs = (size_t)n;
	return 0;
}

static uint64_t align_up4(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Splits one PT_NOTE segment's bytes into notes. */
static int parse_notes(struct elfcore *ec, const struct elfcore_phdr *ph, const uint8_t *buf, size_t *cap,
		       struct err *e)
{
	/* Core files pad names and descriptions to 4 bytes; a segment aligned to 8 pads to 8. */
	uint64_t a = ph->align == 8 ? 8 : 4;
	uint64_t at = 0, len = ph->filesz;
	while (len - at >= 12) {
		uint32_t namesz = rd32(buf + at, ec->big_endian);
		uint32_t descsz = rd32(buf + at + 4, ec->big_endian);
		uint32_t type = rd32(buf + at + 8, ec->big_endian);
		uint64_t name_at = at + 12;
		uint64_t desc_at = name_at + align_up4(namesz, a);
		uint64_t next = desc_at + align_up4(descsz, a);
		if (desc_at > len || descsz > len - desc_at)
			return ferr(ec, e, ph->offset + at,
				    "note with %u name bytes and %u description bytes runs past the end of its PT_NOTE segment (%llu bytes left)",
				    namesz, descsz, (unsigned long long)(len - at - 12));
		struct elfcore_note nt = {0};
		const char *name = (const char *)buf + name_at;
		nt.name = xstrndup(name, namesz);
		nt.type = type;
		nt.desc = buf + desc_at;
		nt.descsz = descsz;
		nt.offset = ph->offset + at;
		VEC_PUSH(ec->notes, ec->nnotes, *cap, nt);
		at = MMU_MIN(next, len);
	}
	/* A few trailing bytes (less than a note header) are padding. */
	return 0;
}

static int read_notes(struct elfcore *ec, struct err *e)
{
	uint64_t total = 0;
	size_t cap = 0, bcap = 0;
	for (size_t i = 0; i < ec->nphdrs; i++) {
		const struct elfcore_phdr *ph = &ec->phdrs[i];
		if (ph->type != PT_NOTE || ph->filesz == 0)
			continue;
		if (ph->offset > ec->size || ec->size - ph->offset < ph->filesz)
			return ferr(ec, e, ph->hdr_offset,
				    "PT_NOTE (program header %zu) data at 0x%llx, 0x%llx bytes, runs past the end of the file (%llu bytes)",
				    i, (unsigned long long)ph->offset, (unsigned long long)ph->filesz,
				    (unsigned long long)ec->size);
		total += ph->filesz;
		if (total > ELFCORE_MAX_NOTE_BYTES)
			return ferr(ec, e, ph->hdr_offset, "PT_NOTE segments hold more than %u MiB of notes",
				    ELFCORE_MAX_NOTE_BYTES >> 20);
		uint8_t *buf = xmalloc((size_t)ph->filesz);
		VEC_PUSH(ec->note_bufs, ec->nnote_bufs, bcap, buf);
		if (elfcore_pread(ec, ph->offset, buf, (size_t)ph->filesz, e) || parse_notes(ec, ph, buf, &cap, e))
			return -1;
	}
	return 0;
}

static int read_header(struct elfcore *ec, struct err *e)
{
	uint8_t eh[64];
	if (ec->size < EI_NIDENT)
		return ferr(ec, e, 0, "truncated ELF header: the file has only %llu bytes", (unsigned long long)ec->size);
	if (elfcore_pread(ec, 0, eh, EI_NIDENT, e))
		return -1;
	if (memcmp(eh, ELFMAG, SELFMAG))
		return ferr(ec, e, 0, "not an ELF file (no \\x7fELF magic)");
	if (eh[EI_CLASS] != ELFCLASS32 && eh[EI_CLASS] != ELFCLASS64)
		return ferr(ec, e, EI_CLASS, "EI_CLASS is %u, neither ELFCLASS32 (1) nor ELFCLASS64 (2)", eh[EI_CLASS]);
	if (eh[EI_DATA] != ELFDATA2LSB && eh[EI_DATA] != ELFDATA2MSB)
		return ferr(ec, e, EI_DATA, "EI_DATA is %u, neither ELFDATA2LSB (1) nor ELFDATA2MSB (2)", eh[EI_DATA]);
	if (eh[EI_VERSION] != EV_CURRENT)
		return ferr(ec, e, EI_VERSION, "EI_VERSION is %u, not EV_CURRENT (1)", eh[EI_VERSION]);
	ec->elfclass = eh[EI_CLASS] == ELFCLASS64 ? 64 : 32;
	ec->big_endian = eh[EI_DATA] == ELFDATA2MSB;
	int c = ec->elfclass == 64;
	if (ec->size < ehdr_size[c])
		return ferr(ec, e, 0, "truncated ELF header: the file has %llu bytes, an ELF%d header needs %u",
			    (unsigned long long)ec->size, ec->elfclass, ehdr_size[c]);
	if (elfcore_pread(ec, 0, eh, ehdr_size[c], e))
		return -1;
	ec->type = rd16(eh + EH_TYPE, ec->big_endian);
	ec->machine = rd16(eh + EH_MACHINE, ec->big_endian);
	ec->flags = rd32(eh + ehdr_at[c].flags, ec->big_endian);
	if (ec->type != ET_CORE)
		return ferr(ec, e, EH_TYPE, "e_type is %u (%s), not ET_CORE: this ELF file is not a memory dump", ec->type,
			    type_name(ec->type));
	return read_phdrs(ec, eh, e);
}

int elfcore_open(struct elfcore *ec, const char *path, struct err *e)
{
	struct stat st;
	memset(ec, 0, sizeof(*ec));
	ec->fd = -1;
	ec->path = xstrdup(path);
	ec->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ec->fd < 0) {
		err_set(e, "%s: cannot open: %s", path, strerror(errno));
		goto fail;
	}
	if (fstat(ec->fd, &st)) {
		err_set(e, "%s: cannot stat: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(e, "%s: not a regular file", path);
		goto fail;
	}
	ec->size = (uint64_t)st.st_size;
	if (read_header(ec, e) || read_notes(ec, e))
		goto fail;
	return 0;
fail:
	elfcore_close(ec);
	return -1;
}

void elfcore_close(struct elfcore *ec)
{
	if (ec->fd >= 0)
		close(ec->fd);
	for (size_t i = 0; i < ec->nnotes; i++)
		free(ec->notes[i].name);
	free(ec->notes);
	for (size_t i = 0; i < ec->nnote_bufs; i++)
		free(ec->note_bufs[i]);
	free(ec->note_bufs);
	free(ec->phdrs);
	free(ec->path);
	memset(ec, 0, sizeof(*ec));
	ec->fd = -1;
}

const struct elfcore_note *elfcore_find_note(const struct elfcore *ec, const char *name, uint32_t type,
					     const struct elfcore_note *after)
{
	size_t i = after ? (size_t)(after - ec->notes) + 1 : 0;
	for (; i < ec->nnotes; i++)
		if (ec->notes[i].type == type && !strcmp(ec->notes[i].name, name))
			return &ec->notes[i];
	return NULL;
}

/* ---- writer ---- */

struct elfw_load {
	uint64_t paddr, vaddr, filesz, memsz, offset;
	uint32_t flags;
};

struct elfw {
	struct elfw_opts o;
	struct elfw_load *loads;
	size_t nloads, cap;
	struct sbuf notes;
	struct fdout out;
	bool started;
	size_t cur;             /* PT_LOAD being written */
	uint64_t cur_done;      /* its bytes written so far */
	uint64_t remaining;
};

struct elfw *elfw_new(const struct elfw_opts *o)
{
	struct elfw *w = xcalloc(1, sizeof(*w));
	w->o = *o;
	if (!w->o.type)
		w->o.type = ET_CORE;
	if (!w->o.align)
		w->o.align = 4096;
	w->out.fd = -1;
	return w;
}

void elfw_free(struct elfw *w)
{
	if (!w)
		return;
	free(w->loads);
	sbuf_free(&w->notes);
	if (w->started)
		fdout_free(&w->out);
	free(w);
}

static void put_word(struct sbuf *b, uint32_t v, bool big)
{
	uint8_t x[4];
	wr32(x, v, big);
	sbuf_append(b, (const char *)x, 4);
}

static void put_padded(struct sbuf *b, const void *p, size_t len)
{
	static const char zero[4];
	if (len)
		sbuf_append(b, p, len);
	sbuf_append(b, zero, (4 - (len & 3)) & 3);
}

void elfw_add_note(struct elfw *w, const char *name, uint32_t type, const void *desc, size_t descsz)
{
	size_t namesz = strlen(name) + 1;
	put_word(&w->notes, (uint32_t)namesz, w->o.big_endian);
	put_word(&w->notes, (uint32_t)descsz, w->o.big_endian);
	put_word(&w->notes, type, w->o.big_endian);
	put_padded(&w->notes, name, namesz);
	put_padded(&w->notes, desc, descsz);
}

size_t elfw_add_load(struct elfw *w, uint64_t paddr, uint64_t vaddr, uint64_t filesz, uint64_t memsz, uint32_t flags)
{
	struct elfw_load l = {paddr, vaddr, filesz, MMU_MAX(memsz, filesz), 0, flags};
	VEC_PUSH(w->loads, w->nloads, w->cap, l);
	return w->nloads - 1;
}

size_t elfw_nloads(const struct elfw *w)
{
	return w->nloads;
}

uint64_t elfw_remaining(const struct elfw *w)
{
	return w->remaining;
}

uint64_t elfw_load_offset(const struct elfw *w, size_t i)
{
	return i < w->nloads ? w->loads[i].offset : 0;
}

/* Assigns file offsets; checks that ELF32 can express every field. */
static int layout(struct elfw *w, uint64_t nph, uint64_t *shoff, uint64_t *phoff, uint64_t *noteoff, struct err *e)
{
	int c = w->o.elfclass == 64;
	uint64_t limit = c ? UINT64_MAX : UINT32_MAX;
	uint64_t pos = ehdr_size[c];
	*shoff = 0;
	if (nph >= PN_XNUM) {
		*shoff = pos;
		pos += shdr_size[c];
	}
	*phoff = pos;
	pos += nph * phdr_size[c];
	*noteoff = pos;
	pos += w->notes.len;
	w->remaining = 0;
	for (size_t i = 0; i < w->nloads; i++) {
		struct elfw_load *l = &w->loads[i];
		uint64_t a = w->o.align;
		if (pos > UINT64_MAX - a)
			return err_set(e, "%s: PT_LOAD %zu does not fit in a file", w->out.name, i);
		pos = (pos + a - 1) & ~(a - 1);
		l->offset = pos;
		if (l->filesz > UINT64_MAX - pos)
			return err_set(e, "%s: PT_LOAD %zu does not fit in a file", w->out.name, i);
		pos += l->filesz;
		w->remaining += l->filesz;
		if (l->paddr > limit || l->vaddr > limit || l->memsz > limit || l->offset > limit || l->filesz > limit)
			return err_set(e,
				       "%s: PT_LOAD %zu (paddr 0x%llx, vaddr 0x%llx, 0x%llx bytes at file offset 0x%llx) does not fit in ELF32 fields; write ELF64",
				       w->out.name, i, (unsigned long long)l->paddr, (unsigned long long)l->vaddr,
				       (unsigned long long)l->memsz, (unsigned long long)l->offset);
	}
	return 0;
}

static void put_addr(uint8_t *p, uint64_t v, int c, bool big)
{
	if (c)
		wr64(p, v, big);
	else
		wr32(p, (uint32_t)v, big);
}

static void fill_phdr(uint8_t *p, int c, bool be, uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr,
		      uint64_t paddr, uint64_t filesz, uint64_t memsz, uint64_t align)
{
	memset(p, 0, phdr_size[c]);
	wr32(p, type, be);
	if (c) {
		wr32(p + 4, flags, be);
		wr64(p + 8, off, be);
		wr64(p + 0x10, vaddr, be);
		wr64(p + 0x18, paddr, be);
		wr64(p + 0x20, filesz, be);
		wr64(p + 0x28, memsz, be);
		wr64(p + 0x30, align, be);
	} else {
		wr32(p + 4, (uint32_t)off, be);
		wr32(p + 8, (uint32_t)vaddr, be);
		wr32(p + 0xc, (uint32_t)paddr, be);
		wr32(p + 0x10, (uint32_t)filesz, be);
		wr32(p + 0x14, (uint32_t)memsz, be);
		wr32(p + 0x18, flags, be);
		wr32(p + 0x1c, (uint32_t)align, be);
	}
}

static void fill_ehdr(uint8_t *eh, const struct elfw *w, uint64_t nph, uint64_t shoff, uint64_t phoff)
{
	int c = w->o.elfclass == 64;
	bool be = w->o.big_endian;
	const struct ehdr_layout *L = &ehdr_at[c];
	memset(eh, 0, ehdr_size[c]);
	memcpy(eh, ELFMAG, SELFMAG);
	eh[EI_CLASS] = c ? ELFCLASS64 : ELFCLASS32;
	eh[EI_DATA] = be ? ELFDATA2MSB : ELFDATA2LSB;
	eh[EI_VERSION] = EV_CURRENT;
	eh[EI_OSABI] = ELFOSABI_NONE;
	wr16(eh + EH_TYPE, w->o.type, be);
	wr16(eh + EH_MACHINE, w->o.machine, be);
	wr32(eh + EH_VERSION, EV_CURRENT, be);
	put_addr(eh + L->phoff, phoff, c, be);
	put_addr(eh + L->shoff, shoff, c, be);
	wr32(eh + L->flags, w->o.flags, be);
	wr16(eh + L->ehsize, (uint16_t)ehdr_size[c], be);
	wr16(eh + L->phentsize, (uint16_t)phdr_size[c], be);
	/* Past 65534 headers the count moves to section header 0's sh_info. */
	wr16(eh + L->phnum, nph >= PN_XNUM ? PN_XNUM : (uint16_t)nph, be);
	wr16(eh + L->shentsize, shoff ? (uint16_t)shdr_size[c] : 0, be);
	wr16(eh + L->shnum, shoff ? 1 : 0, be);
	wr16(eh + L->shstrndx, SHN_UNDEF, be);
}

int elfw_start(struct elfw *w, int fd, const char *name, struct err *e)
{
	int c = w->o.elfclass == 64;
	bool be = w->o.big_endian;
	uint64_t nph = w->nloads + (w->notes.len ? 1 : 0);
	uint64_t shoff, phoff, noteoff;
	uint8_t hdr[64];

	if (w->o.elfclass != 32 && w->o.elfclass != 64)
		return err_set(e, "%s: ELF class must be 32 or 64 (got %d)", name, w->o.elfclass);
	if (w->o.align & (w->o.align - 1))
		return err_set(e, "%s: PT_LOAD alignment 0x%llx is not a power of two", name,
			       (unsigned long long)w->o.align);
	if (nph > UINT32_MAX)
		return err_set(e, "%s: %llu program headers do not fit in an ELF file", name, (unsigned long long)nph);
	fdout_init(&w->out, fd, name);
	w->started = true;
	if (layout(w, nph, &shoff, &phoff, &noteoff, e))
		return -1;
	fill_ehdr(hdr, w, nph, shoff, phoff);
	if (fdout_write(&w->out, hdr, ehdr_size[c], e))
		return -1;
	if (shoff) {
		memset(hdr, 0, sizeof(hdr));
		wr32(hdr + 4, SHT_NULL, be);
		wr32(hdr + sh_info_at[c], (uint32_t)nph, be);
		if (fdout_write(&w->out, hdr, shdr_size[c], e))
			return -1;
	}
	if (w->notes.len) {
		fill_phdr(hdr, c, be, PT_NOTE, 0, noteoff, 0, 0, w->notes.len, w->notes.len, 4);
		if (fdout_write(&w->out, hdr, phdr_size[c], e))
			return -1;
	}
	for (size_t i = 0; i < w->nloads; i++) {
		const struct elfw_load *l = &w->loads[i];
		/* p_align must satisfy p_vaddr = p_offset (mod p_align); 1 says no alignment. */
		uint64_t align = ((l->vaddr ^ l->offset) & (w->o.align - 1)) ? 1 : w->o.align;
		fill_phdr(hdr, c, be, PT_LOAD, l->flags, l->offset, l->vaddr, l->paddr, l->filesz, l->memsz, align);
		if (fdout_write(&w->out, hdr, phdr_size[c], e))
			return -1;
	}
	if (w->notes.len && fdout_write(&w->out, w->notes.s, w->notes.len, e))
		return -1;
	w->cur = 0;
	w->cur_done = 0;
	return 0;
}

/* Moves to the PT_LOAD that takes the next byte, padding up to its offset. */
static int next_load(struct elfw *w, struct err *e)
{
	while (w->cur < w->nloads && w->cur_done == w->loads[w->cur].filesz) {
		w->cur++;
		w->cur_done = 0;
	}
	if (w->cur >= w->nloads)
		return err_set(e, "%s: more data than the PT_LOAD segments declare", w->out.name);
	if (w->cur_done == 0 && w->out.pos < w->loads[w->cur].offset)
		return fdout_zeros(&w->out, w->loads[w->cur].offset - w->out.pos, e);
	return 0;
}

static int load_write(struct elfw *w, const void *data, uint64_t len, struct err *e)
{
	const uint8_t *p = data;
	if (!w->started)
		return err_set(e, "ELF writer: data written before elfw_start");
	while (len) {
		if (next_load(w, e))
			return -1;
		uint64_t n = MMU_MIN(len, w->loads[w->cur].filesz - w->cur_done);
		int rc = p ? fdout_write(&w->out, p, (size_t)n, e) : fdout_zeros(&w->out, n, e);
		if (rc)
			return -1;
		if (p)
			p += n;
		w->cur_done += n;
		w->remaining -= n;
		len -= n;
	}
	return 0;
}

int elfw_write(struct elfw *w, const void *data, size_t len, struct err *e)
{
	return load_write(w, data, len, e);
}

int elfw_write_zeros(struct elfw *w, uint64_t len, struct err *e)
{
	return load_write(w, NULL, len, e);
}

int elfw_finish(struct elfw *w, struct err *e)
{
	if (!w->started)
		return err_set(e, "ELF writer: finished before elfw_start");
	if (w->remaining)
		return err_set(e, "%s: %llu bytes of PT_LOAD data were not written", w->out.name,
			       (unsigned long long)w->remaining);
	return fdout_flush(&w->out, e);
}
