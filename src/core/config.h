/*
 * config: the machine description YAML of the original MMUShell tool.
 *
 *   cpu:     {architecture, endianness, bits, processor_features: {..}, registers_values: {..}}
 *   mmu:     {mode}
 *   memspace: {ram: [{start, end, dumpfile, offset}], not_ram: [{start, end}]}
 *
 * end is inclusive.  Dump file paths are relative to the YAML file's folder.
 * Every error names the file and the line:column it is about.
 */
#ifndef MMU_CONFIG_H
#define MMU_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct arch_ops;

enum endian { ENDIAN_LITTLE, ENDIAN_BIG };

struct yaml_pos {
	int line, col;  /* 1-based; 0 when unknown (config not from YAML) */
};

/* A name -> integer pair from processor_features or registers_values. */
struct config_kv {
	char *name;
	char *text;         /* the scalar as written */
	uint64_t value;
	bool is_int;
	struct yaml_pos pos;
};

struct ram_region {
	uint64_t start, end;    /* inclusive */
	char *dumpfile;         /* as written in the YAML */
	char *path;             /* resolved against the YAML's folder */
	uint64_t file_offset;   /* where the region's bytes start in the file (YAML key 'offset') */
	struct yaml_pos pos;
};

struct phys_range {
	uint64_t start, end;    /* inclusive */
	struct yaml_pos pos;
};

/* Where one value of a machine read from an ELF core or LiME file came from. */
struct config_origin {
	char *what;             /* "architecture", "mode", "m_phy", ... */
	char *how;              /* "intel, from e_machine EM_X86_64" */
};

struct machine_config {
	char *path;             /* the YAML file (or the ELF/LiME file it came from) */
	const char *format;     /* "yaml", "elf" or "lime" */
	char *format_about;     /* one line on an ELF/LiME container; NULL for YAML */
	struct config_origin *origins;  /* for show_machine, in the order they were decided */
	size_t norigins;
	const struct arch_ops *arch;
	int mode;               /* index into arch->modes */
	enum endian endian;
	int bits;
	struct config_kv *features;
	size_t nfeatures;
	struct config_kv *registers;
	size_t nregisters;
	struct ram_region *ram;     /* sorted by start */
	size_t nram;
	struct phys_range *not_ram;
	size_t nnot_ram;
	struct yaml_pos pos_cpu, pos_mmu_mode, pos_features, pos_arch, pos_endian;
};

/* Loads and validates; on error fills e ("FILE:LINE:COL: message") and returns -1. */
int config_load(const char *path, struct machine_config *cfg, struct err *e);
void config_free(struct machine_config *cfg);

/* RAM regions a machine may have (YAML, ELF core or LiME): each one is mapped on its own. */
#define CONFIG_MAX_REGIONS 16384

/* Checks what needs the dump files: they open read-only and have the declared sizes. */
int config_check_dumps(const struct machine_config *cfg, struct err *e);

/* Case-insensitive lookups; return NULL when absent. */
const struct config_kv *config_feature(const struct machine_config *cfg, const char *name);
const struct config_kv *config_register(const struct machine_config *cfg, const char *name);
/* Sets or replaces a registers_values entry (set_tcr and friends). */
void config_set_register(struct machine_config *cfg, const char *name, uint64_t value);

const char *config_mode_name(const struct machine_config *cfg);
/* Records where a value came from (see struct config_origin). */
void config_add_origin(struct machine_config *cfg, const char *what, const char *fmt, ...) MMU_PRINTF(3, 4);

/* Formats "FILE:LINE:COL: msg" (or "FILE: msg" without a position) into e; returns -1. */
int config_error_at(const struct machine_config *cfg, struct yaml_pos pos, struct err *e,
		    const char *fmt, ...) MMU_PRINTF(4, 5);

#endif
