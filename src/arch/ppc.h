/*
 * ppc: PowerPC 32-bit OEA (the 60x/7xx/74xx MMU) facts shared by the
 * register recovery (ppc-regrec.c), the hash-table scan (ppc-htab.c) and
 * the commands (ppc.c).  Manuals number bits IBM-style (bit 0 = most
 * significant); everything here is LSB-0 (algo-mips-ppc-gtruth.md 3.2-3.4).
 */
#ifndef MMU_ARCH_PPC_H
#define MMU_ARCH_PPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "regrec.h"
#include "util.h"

struct analysis;
struct cmd_out;
struct physmem;
struct findings_ops;

/* SDR1: HTABORG (IBM 0..15), HTABMASK (IBM 23..31). */
#define SDR1_HTABORG_SHIFT 16
#define SDR1_HTABMASK 0x1FFu

/* BATs: BEPI / BRPN (IBM 0..14), BL (IBM 19..29), Vs, Vp (IBM 30, 31). */
#define BAT_BEPI_SHIFT 17
#define BAT_BEPI_MASK 0xFFFE0000u
#define BATU_BL_SHIFT 2
#define BATU_BL_MASK 0x7FFu
#define BATU_VS 2u
#define BATU_VP 1u
#define BATL_WIMG_SHIFT 3
#define BATL_PP_MASK 3u

/* Segment registers (T = 0 form): T, Ks, Kp, N (IBM 0..3), VSID (IBM 8..31). */
#define SR_T (1u << 31)
#define SR_KS (1u << 30)
#define SR_KP (1u << 29)
#define SR_N (1u << 28)
#define SR_VSID_MASK 0xFFFFFFu

/* Page table entries: two words (3.3). */
#define PTE_SIZE 8
#define PTEG_SIZE 64
#define PTE0_V (1u << 31)
#define PTE0_VSID_SHIFT 7
#define PTE0_H (1u << 6)
#define PTE0_API_MASK 0x3Fu
#define PTE1_RPN_SHIFT 12
#define PTE1_R (1u << 8)
#define PTE1_C (1u << 7)
#define PTE1_WIMG_SHIFT 3
#define PTE1_PP_MASK 3u

/* Hash tables are 64 KiB .. 32 MiB, aligned on their size. */
#define HTAB_MIN_SHIFT 16
#define HTAB_MAX_SHIFT 25
#define HTAB_MIN (1ULL << HTAB_MIN_SHIFT)
#define HASH_MASK 0x7FFFFu      /* 19 hash bits */
#define PAGE_SHIFT 12
#define PI_MASK 0xFFFFu         /* page index: EA bits 27..12 */
#define API_SHIFT 10            /* API = the 6 high bits of the page index */

static inline uint32_t pte_vsid(uint32_t w0)
{
	return (w0 >> PTE0_VSID_SHIFT) & SR_VSID_MASK;
}
static inline uint32_t pte_rpn(uint32_t w1)
{
	return w1 >> PTE1_RPN_SHIFT;
}
static inline uint64_t sdr1_table_addr(uint32_t sdr1)
{
	return sdr1 & 0xFFFF0000u;
}
/* 64 KiB times the next power of two above HTABMASK (the original's rule for odd masks). */
static inline uint64_t sdr1_table_size(uint32_t sdr1)
{
	return HTAB_MIN << (log2_u64((sdr1 & SDR1_HTABMASK) + 1));
}
static inline uint64_t bat_block_size(uint32_t batu)
{
	return ((uint64_t)((batu >> BATU_BL_SHIFT) & BATU_BL_MASK) + 1) << BAT_BEPI_SHIFT;
}
/* Primary hash of a virtual page (3.4); the secondary is its complement over 19 bits. */
static inline uint32_t htab_hash(uint32_t vsid, uint32_t pi)
{
	return ((vsid & HASH_MASK) ^ pi) & HASH_MASK;
}
/* PTEG address of a hash in the table SDR1 describes. */
static inline uint64_t htab_pteg(uint32_t sdr1, uint32_t hash)
{
	uint32_t org = sdr1 >> SDR1_HTABORG_SHIFT, mask = sdr1 & SDR1_HTABMASK;
	return (uint64_t)(org >> 9) << 25 | (uint64_t)((org & 0x1FF) | ((hash >> 10) & mask)) << 16 |
	       (uint64_t)(hash & 0x3FF) << 6;
}
/* The 9 hash bits a PTE gives away: (VSID bits 18..10) ^ API, complemented for the secondary hash. */
static inline uint32_t pte_hash9(uint32_t w0)
{
	uint32_t h = ((pte_vsid(w0) >> 10) & 0x1FF) ^ (w0 & PTE0_API_MASK);
	return w0 & PTE0_H ? 0x1FF - h : h;
}

/* The mtspr / mtsr / mtsrin test on one instruction word (3.6), for the scans. */
void ppc_scan_word(uint32_t w, uint64_t addr, struct regrec_sites *out);

/* ---- hash tables (ppc-htab.c) ---- */

struct htab {
	uint64_t addr, size;
	uint32_t ptes, vsids, rpns;
	double entropy;          /* of the RPN histogram, bits */
	bool checked;            /* larger than 64 KiB: every PTE's hash bits matched its position */
};

struct htab_state {
	struct htab *v;          /* sizes ascending, then addresses */
	size_t n;
	uint64_t chunks, fragments, nonempty;
	double seconds;
};

/* The scan of 3.5 with the C rules (doc/formats.md); replaces the state's tables. */
int htab_scan(struct analysis *a, struct htab_state *st, struct err *e);
void htab_state_free(void *st);

/*
 * Parses [addr, addr + size) with the fragment rules: 0 and the valid PTE
 * addresses sorted (caller frees *ptes), or -1 with the reason of the first
 * rejected chunk in why.
 */
int htab_parse(const struct physmem *pm, uint64_t addr, uint64_t size, uint64_t **ptes, size_t *n, const char **why);

/* ---- results and commands (ppc.c) ---- */

extern const struct command cmd_show_hashtables, cmd_show_hashtable, cmd_show_hashtables_gtruth;

/* The hash tables parse_memory kept, or NULL before it ran. */
const struct htab_state *ppc_htabs(const struct analysis *a);
/* SDR1 naming a table: HTABORG = address >> 16, HTABMASK = size / 64 KiB - 1. */
uint32_t ppc_implied_sdr1(const struct htab *t);
/*
 * Indexes of the tables in display order (SDR1 confirms it, hash-checked,
 * 64 KiB; larger first) into order (room for all); evidence (may be NULL)
 * gets why each is believed, in the same order.
 */
size_t ppc_htab_ranked(const struct analysis *a, size_t *order, const char **evidence);

/* Segment registers with a known value and a VSID (T = 0). */
struct ppc_srs {
	uint32_t v[16];
	uint16_t known;          /* bit n: SRn known */
};
void ppc_srs_known(const struct analysis *a, struct ppc_srs *s);
/* The effective address of the PTE at pte_addr in table, when a known segment register holds its VSID (3.4). */
bool ppc_pte_ea(const struct ppc_srs *s, uint64_t table, uint32_t w0, uint64_t pte_addr, uint64_t *ea);

/* Hash tables against the ground truth's SDR1 values (5.3). */
enum htab_gt_class { HG_TP, HG_SIZE_MISMATCH, HG_BOOT, HG_FN, HG_FP };

struct htab_gt_item {
	uint64_t addr, size;     /* the logged table (FP: the found one) */
	uint32_t sdr1;           /* the logged value (0 for FP) */
	double first, last;
	int found;               /* a table found at addr (the right size if one is), in ppc_htabs(); -1 */
	enum htab_gt_class cls;
	/*
	 * TP with VSIDs in the ground truth (its sdr1 entries' vsids): how many
	 * distinct VSIDs were logged and how many of them the table's PTEs
	 * hold; vsids_logged -1 when not known.
	 */
	int vsids_logged, vsids_in_table;
};

struct htab_gt {
	struct htab_gt_item *v;  /* one per distinct logged address (the latest value), then the FP tables */
	size_t n, cap;
	unsigned tp, fp, fn, mismatch, boot;   /* a size mismatch counts as FN (and its table as FP) */
};

int ppc_htab_gtruth(struct analysis *a, struct htab_gt *out, struct err *e);
void ppc_htab_gt_free(struct htab_gt *g);
/* "tp", "size_mismatch", "boot_only", "fn", "fp", as the JSON says. */
const char *ppc_htab_gt_class_name(enum htab_gt_class c);

/* ---- findings (ppc-findings.c): hash tables -> PTE groups -> PTEs for the explorer ---- */

extern const struct findings_ops ppc_findings;

#endif
