/*
 * Support for the fuzz targets (tests/fuzz/README.md): reading parameters
 * off the front of an input, inputs written as files for the path-based
 * loaders, and machines whose RAM is the input's bytes (no files, so a
 * target runs thousands of times a second).
 *
 * Every target defines LLVMFuzzerTestOneInput.  It links either libFuzzer
 * (--enable-fuzzing) or replay.c, a main() that runs it once per file.
 */
#ifndef MMU_FUZZ_FZ_H
#define MMU_FUZZ_FZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "commands.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parameters taken from the input's first bytes; zeros once it runs out. */
struct fz_in {
	const uint8_t *p;
	size_t n;
};
uint8_t fz_u8(struct fz_in *in);
uint16_t fz_u16(struct fz_in *in);
uint32_t fz_u32(struct fz_in *in);
uint64_t fz_u64(struct fz_in *in);

/*
 * Writes bytes to NAME in this process's scratch folder (on tmpfs when
 * there is one; removed at exit) and returns its path (static storage per
 * name, valid until the next call with the same name).
 */
const char *fz_file(const char *name, const void *data, size_t len);
/* The scratch folder itself. */
const char *fz_dir(void);
/* Removes a file, or a folder with everything in it. */
void fz_remove(const char *path);

/* True when the bytes contain one of the NUL-terminated strings in words (NULL-terminated list). */
bool fz_contains(const uint8_t *data, size_t size, const char *const *words);

/* One RAM region of an in-memory machine. */
struct fz_region {
	uint64_t start;
	const uint8_t *data;
	size_t len;               /* > 0 */
};

/*
 * A machine over regions (sorted, disjoint) that are not copied: they
 * must outlive the analysis.  arch by name; mode by index (reduced modulo
 * the mode count); big and bits as the caller decides (fz_machine does not
 * check them against the architecture: fz_pick_* do).  One worker thread.
 */
void fz_machine(struct analysis *a, const char *arch, int mode, bool big, int bits, const struct fz_region *r,
		size_t nr, uint64_t not_ram_start, uint64_t not_ram_end);
/* Frees what fz_machine and the commands built (the regions are the caller's). */
void fz_machine_close(struct analysis *a);
/* Adds or replaces a processor feature (m_phy). */
void fz_feature(struct analysis *a, const char *name, uint64_t value);

/* A byte order the architecture runs, chosen by the bit; the word size a mode allows, chosen by the bit. */
bool fz_pick_big(const char *arch, bool want_big);
int fz_pick_bits(const char *arch, int mode, bool want_64);

/*
 * Small generated machines (mmushell-mkdump: 4 MiB, two processes, some
 * noise), opened with their ground truth, the control register set from
 * it (ARM TTBCR, AArch64 TCR_EL1) so find_tables needs no recovery.
 * Generated on first use and kept for the process; the same every run.
 */
enum { FZ_STD_INTEL, FZ_STD_RISCV, FZ_STD_ARM, FZ_STD_AARCH64, FZ_STD_MIPS, FZ_STD_PPC, FZ_STD_COUNT };
struct analysis *fz_std_machine(unsigned which);
/* Drops the results of the steps run (trees, registers): the machine as opened. */
void fz_std_reset(struct analysis *a);

/*
 * Runs one command line, as batch mode does (text and JSON built, then
 * dropped).  Returns the command's status.
 */
int fz_command(struct analysis *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Lowers the engine's walk limits (radix_limits) so that one input costs
 * milliseconds, not seconds: the same code runs, limits included; the
 * real values are tested in tests/test_hardening.c.
 */
void fz_small_limits(void);

/*
 * Browses the architecture's findings (PowerPC hash tables, Intel IDTs) as
 * the explorer does: the top nodes, their children and grandchildren (a
 * few of each), and the ground-truth comparison when one is loaded.
 */
void fz_browse_findings(struct analysis *a);

/* Aborts (a finding) when cond is false: invariants the fuzzer must not break. */
#define FZ_CHECK(cond)                                                                            \
	do {                                                                                      \
		if (!(cond))                                                                      \
			fz_fail(__FILE__, __LINE__, #cond);                                       \
	} while (0)
_Noreturn void fz_fail(const char *file, int line, const char *what);

#endif
