#include "autoconfig.h"

#include "dumpfmt.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "elfcore.h"
#include "iomem.h"
#include "lime.h"

#define LE ENDIAN_LITTLE
#define BE ENDIAN_BIG

/* MAXPHYADDR when nothing records it: what QEMU's default CPUs report. */
#define M_PHY_DEFAULT_64 40
#define M_PHY_DEFAULT_32 36

static const char *endian_name(int endian)
{
	return endian == BE ? "big" : "little";
}

enum dumpfmt_kind dumpfmt_detect(const char *path)
{
	uint8_t m[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return DUMPFMT_YAML;
	ssize_t n = pread(fd, m, sizeof(m), 0);
	close(fd);
	if (n != (ssize_t)sizeof(m))
		return DUMPFMT_YAML;
	if (!memcmp(m, ELFMAG, SELFMAG))
		return DUMPFMT_ELF;
	if (lime_magic(m))
		return DUMPFMT_LIME;
	return DUMPFMT_YAML;
}

/* What a container says, or options and defaults fill in, before it becomes a machine_config. */
struct facts {
	const char *path;
	const char *arch;           /* mmushell architecture name */
	int bits, endian;
	const char *mode_hint;      /* a mode the container's notes point to, or NULL */
	char mode_why[160];         /* why, for show_machine */
	unsigned note_m_phy;        /* m_phy from an MMUSHELL note, 0 if none */
	char note_mode[16];         /* mode from an MMUSHELL note */
	uint64_t max_addr;          /* highest RAM address */
	char ram_why[320];          /* how the RAM regions were found, for show_machine */
	char holes_why[120];
	char not_ram_why[256];
};

static void add_region(struct machine_config *cfg, size_t *cap, const char *path, uint64_t start, uint64_t end,
		       uint64_t offset)
{
	struct ram_region r = {.start = start, .end = end, .file_offset = offset};
	r.dumpfile = xstrdup(path);
	r.path = xstrdup(path);
	VEC_PUSH(cfg->ram, cfg->nram, *cap, r);
}

/*
 * --iomem: the kernel's own map.  A dump holds ROMs and firmware memory too
 * (QEMU dumps every RAM block, a BIOS shadow included), so RAM becomes the
 * dump's ranges inside "System RAM"; the rest of the dump and every other
 * top-level range of the listing are not RAM.
 */
static int iomem_clip(struct machine_config *cfg, const char *path, struct facts *f, struct err *e)
{
	struct iomem_map m;
	struct ram_region *old = cfg->ram;
	size_t nold = cfg->nram, cap = 0, ncap = 0;
	uint64_t dropped = 0;
	if (iomem_read(path, &m, e))
		return -1;
	free(cfg->not_ram);
	cfg->not_ram = NULL;
	cfg->nnot_ram = 0;
	cfg->ram = NULL;
	cfg->nram = 0;
	for (size_t i = 0; i < m.n; i++)
		if (!m.v[i].ram) {
			struct phys_range r = {.start = m.v[i].start, .end = m.v[i].end};
			VEC_PUSH(cfg->not_ram, cfg->nnot_ram, ncap, r);
		}
	for (size_t i = 0; i < nold; i++) {
		const struct ram_region *r = &old[i];
		uint64_t covered = 0;
		/* The listing is sorted and disjoint: its first range ending at or after the region, by bisection. */
		size_t lo = 0, hi = m.n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (m.v[mid].end < r->start)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t k = lo; k < m.n && m.v[k].start <= r->end; k++) {
			if (!m.v[k].ram)
				continue;
			uint64_t s0 = MMU_MAX(r->start, m.v[k].start), e0 = MMU_MIN(r->end, m.v[k].end);
			add_region(cfg, &cap, r->path, s0, e0, r->file_offset + (s0 - r->start));
			covered += e0 - s0 + 1;
		}
		if (covered != r->end - r->start + 1) {
			/* The dump's bytes the kernel does not call RAM: ROM, firmware, like a harness YAML's not_ram. */
			struct phys_range nr = {.start = r->start, .end = r->end};
			VEC_PUSH(cfg->not_ram, cfg->nnot_ram, ncap, nr);
			dropped += r->end - r->start + 1 - covered;
		}
		free(old[i].dumpfile);
		free(old[i].path);
	}
	free(old);
	iomem_free(&m);
	if (!cfg->nram)
		return err_set(e, "%s: no RAM of the dump lies in the System RAM of --iomem %s", f->path, path);
	f->max_addr = cfg->ram[cfg->nram - 1].end;
	size_t len = strlen(f->ram_why);
	snprintf(f->ram_why + len, sizeof(f->ram_why) - len, ", clipped to System RAM (--iomem): %zu region%s%s",
		 cfg->nram, cfg->nram == 1 ? "" : "s", dropped ? ", the rest not RAM" : "");
	snprintf(f->not_ram_why, sizeof(f->not_ram_why), "%zu range%s from --iomem %s and the dump's ranges outside System RAM",
		 cfg->nnot_ram, cfg->nnot_ram == 1 ? "" : "s", path);
	return 0;
}

/* Picks mode and m_phy, then runs the checks a YAML gets. */
static int finish(struct machine_config *cfg, const struct dumpfmt_opts *o, struct facts *f, struct err *e)
{
	char list[256];
	if (o->iomem && iomem_clip(cfg, o->iomem, f, e))
		return -1;
	cfg->arch = arch_find(f->arch);
	cfg->bits = f->bits;
	cfg->endian = f->endian == BE ? ENDIAN_BIG : ENDIAN_LITTLE;
	if (!cfg->arch)
		return err_set(e, "%s: architecture %s is not built in", f->path, f->arch);
	if (!(cfg->arch->endians & (1u << cfg->endian)))
		return err_set(e, "%s: architecture %s does not run %s-endian", f->path, f->arch, endian_name(f->endian));

	if (o->mode) {
		cfg->mode = arch_find_mode(cfg->arch, o->mode);
		if (cfg->mode < 0)
			return err_set(e, "%s: unknown MMU mode '%s' (--mode) for architecture %s (accepted: %s)", f->path,
				       o->mode, f->arch, arch_list_modes(cfg->arch, list, sizeof(list)));
		config_add_origin(cfg, "mode", "%s, from --mode", config_mode_name(cfg));
	} else {
		const char *m = f->mode_hint ? f->mode_hint : dumpfmt_default_mode(f->arch, f->bits);
		cfg->mode = m ? arch_find_mode(cfg->arch, m) : -1;
		if (cfg->mode < 0 && f->mode_hint)
			return err_set(e, "%s: MMU mode '%s' (%s) is unknown for architecture %s (accepted: %s)", f->path,
				       f->mode_hint, f->mode_why, f->arch, arch_list_modes(cfg->arch, list, sizeof(list)));
		if (cfg->mode < 0)
			return err_set(e, "%s: no default MMU mode for %d-bit %s: give --mode", f->path, f->bits, f->arch);
		if (f->mode_hint)
			config_add_origin(cfg, "mode", "%s, %s", config_mode_name(cfg), f->mode_why);
		else
			config_add_origin(cfg, "mode", "%s, default for %d-bit %s%s%s (--mode sets it)", config_mode_name(cfg),
					  f->bits, f->arch, *f->mode_why ? "; " : "", f->mode_why);
	}
	int need = cfg->arch->modes[cfg->mode].bits;
	if (need && need != f->bits)
		return err_set(e, "%s: MMU mode %s needs a %d-bit machine, but this one is %d-bit", f->path,
			       config_mode_name(cfg), need, f->bits);

	int addr_bits = f->max_addr ? log2_u64(f->max_addr) + 1 : 1;
	bool intel = !strcmp(f->arch, "intel");
	if (o->m_phy && !intel)
		return err_set(e, "%s: --m-phy applies to intel machines only (this one is %s)", f->path, f->arch);
	if (intel) {
		unsigned m_phy;
		if (o->m_phy) {
			m_phy = o->m_phy;
			config_add_origin(cfg, "m_phy", "%u, from --m-phy", m_phy);
		} else if (f->note_m_phy) {
			m_phy = f->note_m_phy;
			config_add_origin(cfg, "m_phy", "%u, from the MMUSHELL note", m_phy);
		} else {
			unsigned d = f->bits == 64 ? M_PHY_DEFAULT_64 : M_PHY_DEFAULT_32;
			m_phy = MMU_MAX(d, (unsigned)addr_bits);
			config_add_origin(cfg, "m_phy", "%u, default for %d-bit intel%s: the dump does not record MAXPHYADDR (--m-phy sets it)",
					  m_phy, f->bits, m_phy > d ? ", raised to cover the highest RAM address" : "");
		}
		if (m_phy < 1 || m_phy > 52)
			return err_set(e, "%s: m_phy must be between 1 and 52 (got %u)", f->path, m_phy);
		if ((int)m_phy < addr_bits)
			return err_set(e, "%s: m_phy %u cannot address RAM up to 0x%llx (needs %d bits)", f->path, m_phy,
				       (unsigned long long)f->max_addr, addr_bits);
		size_t cap = cfg->nfeatures;
		struct config_kv kv = {.name = xstrdup("m_phy"), .text = xasprintf("%u", m_phy), .value = m_phy, .is_int = true};
		VEC_PUSH(cfg->features, cfg->nfeatures, cap, kv);
	}
	config_add_origin(cfg, "ram", "%s", f->ram_why);
	if (*f->holes_why)
		config_add_origin(cfg, "holes", "%s", f->holes_why);
	if (*f->not_ram_why)
		config_add_origin(cfg, "not_ram", "%s", f->not_ram_why);
	if (cfg->arch->check_config && cfg->arch->check_config(cfg, e))
		return -1;
	return config_check_dumps(cfg, e);
}

/* ---- ELF cores ---- */

/*
 * QEMU's x86 CPU note (owner "QEMU", type 0) holds its QEMUCPUState:
 * version, size, 18 general registers, 10 segment descriptors of 24 bytes,
 * then CR0..CR4.  Only the control registers matter here.
 */
#define QEMU_X86_CR0 (8 + 18 * 8 + 10 * 24)
#define QEMU_X86_CR4 (QEMU_X86_CR0 + 4 * 8)
#define CR0_PG (1ULL << 31)
#define CR4_PAE (1ULL << 5)
#define CR4_LA57 (1ULL << 12)

static bool text_has(const struct elfcore_note *n, const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; n->descsz >= len && i <= n->descsz - len; i++)
		if (!memcmp(n->desc + i, s, len))
			return true;
	return false;
}

/*
 * The paging mode an x86 dump shows: QEMU's CPU notes carry CR4 (LA57, PAE),
 * a kdump's VMCOREINFO says whether 5-level or PAE paging was on.  This is
 * container knowledge (what the producers write), not MMU logic.
 */
static void intel_mode_hint(const struct elfcore *ec, struct facts *f)
{
	const struct elfcore_note *n = NULL;
	while ((n = elfcore_find_note(ec, "QEMU", 0, n))) {
		if (n->descsz < QEMU_X86_CR4 + 8 || rd32(n->desc, false) != 1)
			continue;
		uint64_t cr0 = rd64(n->desc + QEMU_X86_CR0, false), cr4 = rd64(n->desc + QEMU_X86_CR4, false);
		if (!(cr0 & CR0_PG))
			continue; /* this CPU had paging off: it says nothing */
		if (f->bits == 64) {
			bool la57 = cr4 & CR4_LA57;
			f->mode_hint = la57 ? "la57" : NULL;
			snprintf(f->mode_why, sizeof(f->mode_why), "%sQEMU CPU note: CR4 0x%llx, LA57 %s",
				 la57 ? "from the " : "", (unsigned long long)cr4, la57 ? "set" : "clear");
		} else {
			bool pae = cr4 & CR4_PAE;
			f->mode_hint = pae ? "pae" : "ia32";
			snprintf(f->mode_why, sizeof(f->mode_why), "from the QEMU CPU note: CR4 0x%llx, PAE %s",
				 (unsigned long long)cr4, pae ? "set" : "clear");
		}
		return;
	}
	n = elfcore_find_note(ec, "VMCOREINFO", 0, NULL);
	if (!n)
		return;
	if (f->bits == 64) {
		bool l5 = text_has(n, "NUMBER(pgtable_l5_enabled)=1");
		f->mode_hint = l5 ? "la57" : NULL;
		snprintf(f->mode_why, sizeof(f->mode_why), "%sVMCOREINFO: pgtable_l5_enabled %s", l5 ? "from " : "",
			 l5 ? "1" : "not 1");
	} else {
		bool pae = text_has(n, "CONFIG_X86_PAE=y");
		f->mode_hint = pae ? "pae" : "ia32";
		snprintf(f->mode_why, sizeof(f->mode_why), "from VMCOREINFO: CONFIG_X86_PAE %s", pae ? "set" : "absent");
	}
}

static int parse_hex_word(const char **p, const char *end, uint64_t *v)
{
	char tok[32];
	size_t n = 0;
	while (*p < end && **p == ' ')
		(*p)++;
	while (*p < end && **p != ' ' && **p != '\n' && n < sizeof(tok) - 1)
		tok[n++] = *(*p)++;
	tok[n] = '\0';
	return n ? parse_u64(tok, v) : -1;
}

/* Reads the note mmushell-acquire writes (see dumpfmt.h); unknown lines are skipped. */
static int read_mmushell_note(const struct elfcore *ec, struct machine_config *cfg, struct facts *f, struct err *e)
{
	const struct elfcore_note *n = elfcore_find_note(ec, DUMPFMT_NOTE_OWNER, DUMPFMT_NT_MACHINE, NULL);
	if (!n)
		return 0;
	const char *p = (const char *)n->desc, *end = p + n->descsz;
	size_t cap = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		size_t len = (size_t)(eol - p);
		uint64_t a, b;
		const char *q;
		if (len > 5 && !memcmp(p, "mode ", 5)) {
			size_t m = MMU_MIN(len - 5, sizeof(f->note_mode) - 1);
			memcpy(f->note_mode, p + 5, m);
			f->note_mode[m] = '\0';
			f->mode_hint = f->note_mode;
			snprintf(f->mode_why, sizeof(f->mode_why), "from the MMUSHELL note");
		} else if (len > 6 && !memcmp(p, "m_phy ", 6)) {
			q = p + 6;
			if (parse_hex_word(&q, eol, &a) || a == 0 || a > 52)
				return err_set(e, "%s: offset 0x%llx: MMUSHELL note: bad m_phy line", ec->path,
					       (unsigned long long)n->offset);
			f->note_m_phy = (unsigned)a;
		} else if (len > 8 && !memcmp(p, "not_ram ", 8)) {
			q = p + 8;
			if (parse_hex_word(&q, eol, &a) || parse_hex_word(&q, eol, &b) || b < a)
				return err_set(e, "%s: offset 0x%llx: MMUSHELL note: bad not_ram line", ec->path,
					       (unsigned long long)n->offset);
			struct phys_range r = {.start = a, .end = b};
			VEC_PUSH(cfg->not_ram, cfg->nnot_ram, cap, r);
		}
		p = eol + 1;
	}
	if (cfg->nnot_ram)
		snprintf(f->not_ram_why, sizeof(f->not_ram_why), "%zu range%s from the MMUSHELL note", cfg->nnot_ram,
			 cfg->nnot_ram == 1 ? "" : "s");
	return 0;
}

struct load {
	uint64_t start, end, offset;
	size_t index;               /* program header number, for messages */
	uint64_t hdr_offset;
};

static int cmp_load(const void *a, const void *b)
{
	const struct load *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* Containers first, so an alias inside one comes after it. */
	return x->end > y->end ? -1 : x->end < y->end;
}

/* PT_LOADs -> RAM regions: checked against the file, sorted, aliases dropped, neighbours merged. */
static int elf_regions(const struct elfcore *ec, struct machine_config *cfg, struct facts *f, struct err *e)
{
	struct load *v = NULL;
	size_t n = 0, cap = 0, rcap = 0, aliases = 0, nophys = 0;
	/* /proc/kcore marks segments with no physical address (vmalloc, modules) with p_paddr all ones. */
	uint64_t no_paddr = ec->elfclass == 64 ? UINT64_MAX : UINT32_MAX;
	uint64_t tails = 0;
	uint64_t min_offset = ec->elfclass == 64 ? 64 : 52;
	/* A kdump repeats the kernel image's memory in its own PT_LOAD. */
	bool kdump = elfcore_find_note(ec, "VMCOREINFO", 0, NULL) != NULL;
	int rc = -1;

	for (size_t i = 0; i < ec->nphdrs; i++) {
		const struct elfcore_phdr *ph = &ec->phdrs[i];
		if (ph->type != PT_LOAD)
			continue;
		if (ph->memsz > ph->filesz)
			tails += ph->memsz - ph->filesz;
		if (ph->filesz == 0)
			continue;
		if (ph->paddr == no_paddr) {
			nophys++;
			continue;
		}
		if (ph->offset > ec->size || ec->size - ph->offset < ph->filesz) {
			err_set(e, "%s: offset 0x%llx: PT_LOAD (program header %zu) data at 0x%llx, 0x%llx bytes, runs past the end of the file (%llu bytes)",
				ec->path, (unsigned long long)ph->hdr_offset, i, (unsigned long long)ph->offset,
				(unsigned long long)ph->filesz, (unsigned long long)ec->size);
			goto out;
		}
		if (ph->offset < min_offset) {
			err_set(e, "%s: offset 0x%llx: PT_LOAD (program header %zu) data at 0x%llx overlaps the ELF header",
				ec->path, (unsigned long long)ph->hdr_offset, i, (unsigned long long)ph->offset);
			goto out;
		}
		if (ph->paddr > UINT64_MAX - (ph->filesz - 1)) {
			err_set(e, "%s: offset 0x%llx: PT_LOAD (program header %zu) physical range 0x%llx + 0x%llx runs past the top of the address space",
				ec->path, (unsigned long long)ph->hdr_offset, i, (unsigned long long)ph->paddr,
				(unsigned long long)ph->filesz);
			goto out;
		}
		struct load l = {ph->paddr, ph->paddr + ph->filesz - 1, ph->offset, i, ph->hdr_offset};
		VEC_PUSH(v, n, cap, l);
	}
	if (n == 0) {
		err_set(e, "%s: no PT_LOAD segment holds memory: nothing to analyse", ec->path);
		goto out;
	}
	qsort(v, n, sizeof(*v), cmp_load);
	size_t last = 0; /* index in v of the last kept segment */
	for (size_t i = 0; i < n; i++) {
		const struct load *l = &v[i];
		if (cfg->nram) {
			const struct load *p = &v[last];
			if (l->start <= p->end) {
				if (kdump && l->end <= p->end) {
					aliases++;
					continue;
				}
				err_set(e, "%s: offset 0x%llx: PT_LOAD (program header %zu) physical range 0x%llx-0x%llx overlaps PT_LOAD (program header %zu) 0x%llx-0x%llx",
					ec->path, (unsigned long long)l->hdr_offset, l->index, (unsigned long long)l->start,
					(unsigned long long)l->end, p->index, (unsigned long long)p->start,
					(unsigned long long)p->end);
				goto out;
			}
			struct ram_region *r = &cfg->ram[cfg->nram - 1];
			/* Touching in memory and in the file: one mapping instead of two. */
			if (r->end + 1 == l->start && r->file_offset + (r->end - r->start + 1) == l->offset) {
				r->end = l->end;
				last = i;
				continue;
			}
		}
		add_region(cfg, &rcap, ec->path, l->start, l->end, l->offset);
		last = i;
	}
	f->max_addr = cfg->ram[cfg->nram - 1].end;
	snprintf(f->ram_why, sizeof(f->ram_why), "%zu region%s from %zu PT_LOAD segment%s (p_paddr, p_filesz)%s%s",
		 cfg->nram, cfg->nram == 1 ? "" : "s", n - aliases, n - aliases == 1 ? "" : "s",
		 aliases ? "; PT_LOADs repeating memory another one holds (kdump kernel image) skipped" : "",
		 nophys ? "; PT_LOADs without a physical address (p_paddr all ones) skipped" : "");
	if (tails)
		snprintf(f->holes_why, sizeof(f->holes_why),
			 "0x%llx bytes of PT_LOAD memory not in the file (p_memsz > p_filesz)", (unsigned long long)tails);
	rc = 0;
out:
	free(v);
	return rc;
}

static const char *elf_producer(const struct elfcore *ec)
{
	if (elfcore_find_note(ec, DUMPFMT_NOTE_OWNER, DUMPFMT_NT_MACHINE, NULL))
		return "mmushell-acquire";
	for (size_t i = 0; i < ec->nnotes; i++)
		if (!strcmp(ec->notes[i].name, "QEMU"))
			return "QEMU dump-guest-memory";
	if (elfcore_find_note(ec, "VMCOREINFO", 0, NULL))
		return "Linux kdump/vmcore";
	return NULL;
}

/* Architecture, word size and byte order from the ELF header, checked against --arch. */
static int elf_machine(const struct elfcore *ec, const struct dumpfmt_opts *o, struct machine_config *cfg,
		       struct facts *f, struct err *e)
{
	char names[512];
	const char *em_name = elfcore_machine_name(ec->machine);
	char em_buf[32];
	if (!em_name) {
		snprintf(em_buf, sizeof(em_buf), "%u", ec->machine);
		em_name = em_buf;
	}
	const struct dumpfmt_machine *m = NULL;
	if (o->arch && !(m = dumpfmt_machine_find(o->arch)))
		return err_set(e, "%s: unknown architecture '%s' (--arch; known: %s)", f->path, o->arch,
			       dumpfmt_machine_names(names, sizeof(names)));
	f->endian = ec->big_endian ? BE : LE;
	bool from_class;
	f->arch = dumpfmt_elf_arch(ec->machine, ec->elfclass, &f->bits, &from_class);
	if (f->arch) {
		if (m && strcmp(m->arch, f->arch))
			return err_set(e, "%s: --arch %s does not match the file's e_machine %s (%s)", f->path, o->arch,
				       em_name, f->arch);
		if (m && m->bits && m->bits != f->bits)
			return err_set(e, "%s: --arch %s is %d-bit but the file's e_machine %s is %d-bit", f->path, o->arch,
				       m->bits, em_name, f->bits);
		if (m && m->endian >= 0 && m->endian != f->endian)
			return err_set(e, "%s: --arch %s is %s-endian but the file is %s-endian (EI_DATA)", f->path, o->arch,
				       endian_name(m->endian), endian_name(f->endian));
		config_add_origin(cfg, "architecture", "%s, from e_machine %s", f->arch, em_name);
		config_add_origin(cfg, "bits", "%d, from %s", f->bits,
				  !from_class ? "e_machine" : (ec->elfclass == 64 ? "ELFCLASS64" : "ELFCLASS32"));
		config_add_origin(cfg, "endianness", "%s, from EI_DATA", endian_name(f->endian));
		return 0;
	}
	if (!m)
		return err_set(e, "%s: offset 0x12: e_machine %s is not an architecture mmushell reads (give --arch to say which it is)",
			       f->path, em_name);
	f->arch = m->arch;
	f->bits = m->bits ? m->bits : ec->elfclass;
	if (m->endian >= 0 && m->endian != f->endian)
		return err_set(e, "%s: --arch %s is %s-endian but the file is %s-endian (EI_DATA)", f->path, o->arch,
			       endian_name(m->endian), endian_name(f->endian));
	config_add_origin(cfg, "architecture", "%s, from --arch %s (e_machine %s is not one mmushell knows)", f->arch,
			  o->arch, em_name);
	config_add_origin(cfg, "bits", "%d, from %s", f->bits, m->bits ? "--arch" : "the ELF class");
	config_add_origin(cfg, "endianness", "%s, from EI_DATA", endian_name(f->endian));
	return 0;
}

static int load_elf(const char *path, const struct dumpfmt_opts *o, struct machine_config *cfg, struct err *e)
{
	struct elfcore ec;
	struct facts f = {.path = path};
	if (elfcore_open(&ec, path, e))
		return -1;
	cfg->format = "elf";
	int rc = -1;
	if (elf_machine(&ec, o, cfg, &f, e) || elf_regions(&ec, cfg, &f, e))
		goto out;
	cfg->format_about = xasprintf("ELF core%s%s, ELF%d %s-endian, e_machine %s, %zu program headers",
				      elf_producer(&ec) ? " from " : "", elf_producer(&ec) ? elf_producer(&ec) : "",
				      ec.elfclass, endian_name(f.endian),
				      elfcore_machine_name(ec.machine) ? elfcore_machine_name(ec.machine) : "unknown",
				      ec.nphdrs);
	if (!strcmp(f.arch, "intel"))
		intel_mode_hint(&ec, &f);
	if (read_mmushell_note(&ec, cfg, &f, e))
		goto out;
	rc = finish(cfg, o, &f, e);
out:
	elfcore_close(&ec);
	return rc;
}

/* ---- LiME ---- */

static int load_lime(const char *path, const struct dumpfmt_opts *o, struct machine_config *cfg, struct err *e)
{
	struct lime_range *r;
	size_t n, cap = 0;
	bool big;
	char names[512];
	struct facts f = {.path = path};

	cfg->format = "lime";
	if (lime_read(path, &r, &n, &big, e))
		return -1;
	cfg->format_about = xasprintf("LiME, %zu range%s, %s-endian headers", n, n == 1 ? "" : "s", big ? "big" : "little");
	for (size_t i = 0; i < n; i++)
		add_region(cfg, &cap, path, r[i].start, r[i].end, r[i].offset);
	f.max_addr = r[n - 1].end;
	free(r);
	snprintf(f.ram_why, sizeof(f.ram_why), "%zu region%s from the LiME range headers", cfg->nram,
		 cfg->nram == 1 ? "" : "s");

	if (!o->arch)
		return err_set(e, "%s: a LiME file does not say which machine it comes from: give --arch (one of %s) and, if the default does not fit, --mode",
			       path, dumpfmt_machine_names(names, sizeof(names)));
	const struct dumpfmt_machine *m = dumpfmt_machine_find(o->arch);
	if (!m)
		return err_set(e, "%s: unknown architecture '%s' (--arch; known: %s)", path, o->arch,
			       dumpfmt_machine_names(names, sizeof(names)));
	f.arch = m->arch;
	config_add_origin(cfg, "architecture", "%s, from --arch %s", f.arch, o->arch);
	if (m->bits) {
		f.bits = m->bits;
		config_add_origin(cfg, "bits", "%d, from --arch %s", f.bits, o->arch);
	} else if (o->mode && dumpfmt_mode_bits(f.arch, o->mode)) {
		f.bits = dumpfmt_mode_bits(f.arch, o->mode);
		config_add_origin(cfg, "bits", "%d, from --mode %s", f.bits, o->mode);
	} else {
		f.bits = dumpfmt_default_bits(f.arch);
		config_add_origin(cfg, "bits", "%d, default for %s (--arch x86_64, i386, riscv32... say it)", f.bits, f.arch);
	}
	if (m->endian >= 0) {
		f.endian = m->endian;
		config_add_origin(cfg, "endianness", "%s, from --arch %s", endian_name(f.endian), o->arch);
	} else {
		f.endian = big ? BE : LE;
		config_add_origin(cfg, "endianness", "%s, from the byte order of the LiME headers", endian_name(f.endian));
	}
	return finish(cfg, o, &f, e);
}

int dumpfmt_load(const char *path, const struct dumpfmt_opts *o, struct machine_config *cfg, struct err *e)
{
	static const struct dumpfmt_opts none;
	if (!o)
		o = &none;
	memset(cfg, 0, sizeof(*cfg));
	enum dumpfmt_kind kind = dumpfmt_detect(path);
	if (kind == DUMPFMT_YAML) {
		const char *opt = o->arch ? "--arch" : o->mode ? "--mode" : o->m_phy ? "--m-phy" : o->iomem ? "--iomem" : NULL;
		if (opt)
			return err_set(e, "%s: %s applies to ELF core and LiME inputs; a machine YAML sets the architecture, MMU mode, m_phy and not_ram itself",
				       path, opt);
		return config_load(path, cfg, e);
	}
	cfg->path = xstrdup(path);
	cfg->pos_features = cfg->pos_cpu = cfg->pos_arch = cfg->pos_endian = cfg->pos_mmu_mode = (struct yaml_pos){0, 0};
	return kind == DUMPFMT_ELF ? load_elf(path, o, cfg, e) : load_lime(path, o, cfg, e);
}
