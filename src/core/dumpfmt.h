/*
 * dumpfmt: the inputs MACHINE_CONFIG may name, told apart by their first
 * bytes: an ELF core (QEMU dump-guest-memory, Linux kdump/vmcore), a LiME
 * file, or else the machine YAML.  A container becomes the same struct
 * machine_config a YAML gives, its RAM regions pointing into the container
 * (ram_region.file_offset), so everything after loading is format-blind.
 *
 * What a container cannot say comes from options or defaults, and
 * cfg->origins records which, for show_machine.
 */
#ifndef MMU_DUMPFMT_H
#define MMU_DUMPFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "util.h"

enum dumpfmt_kind { DUMPFMT_YAML, DUMPFMT_ELF, DUMPFMT_LIME };

/* --arch, --mode, --m-phy and --iomem: for containers only. */
struct dumpfmt_opts {
	const char *arch;       /* an architecture (intel, arm, ...) or a Linux machine name (x86_64, armhf, ...) */
	const char *mode;       /* MMU mode, as in mmu.mode */
	unsigned m_phy;         /* intel MAXPHYADDR; 0 when not given */
	const char *iomem;      /* a /proc/iomem listing: not_ram = its top-level ranges other than System RAM */
};

/*
 * A name --arch accepts (and uname's machine names, which mmushell-acquire
 * looks up): the architecture it means and what the name implies.
 */
struct dumpfmt_machine {
	const char *name;
	const char *arch;       /* mmushell architecture name */
	int bits;               /* 32 or 64; 0 when the name does not say */
	int endian;             /* ENDIAN_LITTLE / ENDIAN_BIG; -1 when the name does not say */
};

const struct dumpfmt_machine *dumpfmt_machine_find(const char *name);
/* The accepted --arch names, comma separated, into buf. */
const char *dumpfmt_machine_names(char *buf, size_t len);
/* e_machine for an architecture and word size; 0 when ELF has none for it. */
uint16_t dumpfmt_elf_machine(const char *arch, int bits);
/*
 * The architecture an e_machine names (NULL if none mmushell reads) and its
 * word size: fixed by e_machine (EM_386 is 32-bit even in an ELF64 file) or,
 * for EM_RISCV and EM_MIPS, the ELF class; *from_class says which.
 */
const char *dumpfmt_elf_arch(uint16_t machine, int elfclass, int *bits, bool *from_class);
/* The MMU mode used when none is given (intel 64 -> ia64, intel 32 -> pae, ...). */
const char *dumpfmt_default_mode(const char *arch, int bits);
/* The word size used when nothing says it (intel -> 64, arm -> 32, ...). */
int dumpfmt_default_bits(const char *arch);
/* The word size a mode goes with (pae -> 32), 0 if unknown. */
int dumpfmt_mode_bits(const char *arch, const char *mode);
/* The mode's name as mmushell spells it (case-insensitive match), NULL if arch has no such mode. */
const char *dumpfmt_mode_find(const char *arch, const char *mode);
/* The modes of arch, comma separated, into buf. */
const char *dumpfmt_mode_names(const char *arch, char *buf, size_t len);

/*
 * mmushell-acquire adds a note (owner "MMUSHELL", type 1) to the ELF cores
 * it writes, so that the file alone says what the ELF header cannot: text
 * lines "mode NAME", "m_phy N" and "not_ram START END" (hexadecimal,
 * inclusive end).  --mode and --m-phy still win over it.
 */
#define DUMPFMT_NOTE_OWNER "MMUSHELL"
#define DUMPFMT_NT_MACHINE 1u

/* Appends that note's text; mode may be NULL and m_phy 0 to leave them out. */
void dumpfmt_note_text(struct sbuf *b, const char *mode, unsigned m_phy, const struct phys_range *not_ram,
		       size_t nnot_ram);

/*
 * Tells the input kind from the file's first bytes.  A file that cannot be
 * read counts as YAML, so the YAML loader reports it the usual way.
 */
enum dumpfmt_kind dumpfmt_detect(const char *path);

/*
 * Loads MACHINE_CONFIG of any kind and runs the same checks config_load
 * does (architecture checks, dump files present with the right sizes).
 * Options given with a YAML are an error: the YAML says all of it.
 */
int dumpfmt_load(const char *path, const struct dumpfmt_opts *o, struct machine_config *cfg, struct err *e);

#endif
