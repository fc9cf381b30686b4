/*
 * The names dumpfmt and mmushell-acquire share: machines, ELF e_machine and
 * MMU modes.  Tables only, apart from the loader (dumpfmt.c), so that
 * mmushell-acquire links with libc alone: it must run on the machine being
 * imaged, where libyaml, Capstone and liblzma may be missing.
 * tests/test_dumpfmt.c checks mode_table against the architectures' modes.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "dumpfmt.h"
#include "elfcore.h"

#define LE ENDIAN_LITTLE
#define BE ENDIAN_BIG

static const struct dumpfmt_machine machines[] = {
	/* mmushell's architecture names: they imply only what the architecture fixes. */
	{"intel", "intel", 0, LE},     {"riscv", "riscv", 0, LE},   {"arm", "arm", 32, -1},
	{"aarch64", "aarch64", 64, -1}, {"mips", "mips", 32, -1},    {"ppc", "ppc", 32, BE},
	/* Linux machine names (uname -m) and Debian architecture names. */
	{"x86_64", "intel", 64, LE},   {"amd64", "intel", 64, LE},  {"i386", "intel", 32, LE},
	{"i486", "intel", 32, LE},     {"i586", "intel", 32, LE},   {"i686", "intel", 32, LE},
	{"x86", "intel", 32, LE},      {"arm64", "aarch64", 64, LE}, {"aarch64_be", "aarch64", 64, BE},
	{"armhf", "arm", 32, LE},      {"armel", "arm", 32, LE},    {"armv7l", "arm", 32, LE},
	{"armv6l", "arm", 32, LE},     {"armeb", "arm", 32, BE},    {"armv7b", "arm", 32, BE},
	{"riscv64", "riscv", 64, LE},  {"riscv32", "riscv", 32, LE}, {"mipsel", "mips", 32, LE},
	{"mipseb", "mips", 32, BE},    {"powerpc", "ppc", 32, BE},
};

/* e_machine per architecture; bits 0: the word size is the ELF class. */
static const struct {
	uint16_t em;
	const char *arch;
	int bits;
} elf_machines[] = {
	{EM_X86_64, "intel", 64}, {EM_386, "intel", 32}, {EM_AARCH64, "aarch64", 64}, {EM_ARM, "arm", 32},
	{EM_RISCV, "riscv", 0},   {EM_MIPS, "mips", 0},  {EM_PPC, "ppc", 32},
};

/* MMU modes by word size; 'dflt' marks the one used when nothing says otherwise. */
static const struct {
	const char *arch;
	int bits;
	const char *mode;
	bool dflt;
} mode_table[] = {
	{"intel", 64, "ia64", true},  {"intel", 64, "la57", false}, {"intel", 32, "pae", true},
	{"intel", 32, "ia32", false}, {"riscv", 64, "sv39", true},  {"riscv", 64, "sv48", false},
	{"riscv", 64, "sv57", false}, {"riscv", 32, "sv32", true},  {"arm", 32, "short", true},
	{"arm", 32, "long", false},   {"aarch64", 64, "long", true}, {"mips", 32, "mips32", true},
	{"ppc", 32, "ppc32", true},
};

const struct dumpfmt_machine *dumpfmt_machine_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(machines); i++)
		if (!strcasecmp_ascii(machines[i].name, name))
			return &machines[i];
	return NULL;
}

const char *dumpfmt_machine_names(char *buf, size_t len)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(machines); i++) {
		int n = snprintf(buf + at, len - at, "%s%s", at ? ", " : "", machines[i].name);
		if (n < 0 || (size_t)n >= len - at)
			break;
		at += (size_t)n;
	}
	return buf;
}

uint16_t dumpfmt_elf_machine(const char *arch, int bits)
{
	for (size_t i = 0; i < ARRAY_LEN(elf_machines); i++)
		if (!strcmp(elf_machines[i].arch, arch) && (!elf_machines[i].bits || elf_machines[i].bits == bits))
			return elf_machines[i].em;
	return 0;
}

const char *dumpfmt_elf_arch(uint16_t machine, int elfclass, int *bits, bool *from_class)
{
	for (size_t i = 0; i < ARRAY_LEN(elf_machines); i++) {
		if (elf_machines[i].em != machine)
			continue;
		*from_class = elf_machines[i].bits == 0;
		*bits = *from_class ? elfclass : elf_machines[i].bits;
		return elf_machines[i].arch;
	}
	return NULL;
}

const char *dumpfmt_default_mode(const char *arch, int bits)
{
	const char *any = NULL;
	for (size_t i = 0; i < ARRAY_LEN(mode_table); i++) {
		if (!mode_table[i].dflt || strcmp(mode_table[i].arch, arch))
			continue;
		if (mode_table[i].bits == bits)
			return mode_table[i].mode;
		if (!any)
			any = mode_table[i].mode;
	}
	return any;
}

int dumpfmt_default_bits(const char *arch)
{
	for (size_t i = 0; i < ARRAY_LEN(mode_table); i++)
		if (mode_table[i].dflt && !strcmp(mode_table[i].arch, arch))
			return mode_table[i].bits;
	return 64;
}

int dumpfmt_mode_bits(const char *arch, const char *mode)
{
	for (size_t i = 0; i < ARRAY_LEN(mode_table); i++)
		if (!strcmp(mode_table[i].arch, arch) && !strcasecmp_ascii(mode_table[i].mode, mode))
			return mode_table[i].bits;
	return 0;
}

const char *dumpfmt_mode_find(const char *arch, const char *mode)
{
	for (size_t i = 0; i < ARRAY_LEN(mode_table); i++)
		if (!strcmp(mode_table[i].arch, arch) && !strcasecmp_ascii(mode_table[i].mode, mode))
			return mode_table[i].mode;
	return NULL;
}

const char *dumpfmt_mode_names(const char *arch, char *buf, size_t len)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(mode_table); i++) {
		if (strcmp(mode_table[i].arch, arch))
			continue;
		int n = snprintf(buf + at, len - at, "%s%s", at ? ", " : "", mode_table[i].mode);
		if (n < 0 || (size_t)n >= len - at)
			break;
		at += (size_t)n;
	}
	return buf;
}

void dumpfmt_note_text(struct sbuf *b, const char *mode, unsigned m_phy, const struct phys_range *not_ram,
		       size_t nnot_ram)
{
	if (mode)
		sbuf_printf(b, "mode %s\n", mode);
	if (m_phy)
		sbuf_printf(b, "m_phy %u\n", m_phy);
	for (size_t i = 0; i < nnot_ram; i++)
		sbuf_printf(b, "not_ram 0x%llx 0x%llx\n", (unsigned long long)not_ram[i].start,
			    (unsigned long long)not_ram[i].end);
}
