/*
 * app: the explorer's state shared by its panes — the event loop, focus,
 * layout, prompts and messages live in app.c; each pane is a const
 * struct pane_ops in its own pane-*.c file.
 *
 * Threading rule: panes read the analysis ('a') only in their sync hook,
 * which app.c calls on the UI thread while no step runs, and otherwise use
 * what they cached then (or the snapshot below).  The physical memory and
 * the machine description never change after opening, so reading them
 * (hex view, tree walks through a copied shape) is safe at any time.
 */
#ifndef MMU_UI_APP_H
#define MMU_UI_APP_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "findings.h"
#include "radix-gtruth.h"
#include "radix.h"
#include "ui.h"

struct analysis;
struct job;

/* Keys after normalisation (h/j/k/l, Ctrl-U/D, g g, G): panes see these. */
enum {
	UIK_HALF_UP = KEY_MAX + 1,
	UIK_HALF_DOWN,
	UIK_ENTER,
	UIK_ESC,
	UIK_BTAB,
};
#define UIK_CTRL(c) ((c) & 0x1f)

/* Display styles; each maps to a colour pair or, without colours, a plain attribute. */
enum ui_style {
	ST_NORMAL,
	ST_TP,
	ST_FP,
	ST_FN,
	ST_BOOT,
	ST_TITLE,        /* pane title */
	ST_TITLE_FOCUS,  /* focused pane title */
	ST_STATUS,       /* status line */
	ST_BAR,          /* progress bar, filled part */
	ST_ERROR,
	ST_DIM,          /* secondary text, ghost rows' details */
	ST_CURSOR,       /* list cursor row */
	ST_HIGHLIGHT,    /* hex: the entry under the tree cursor */
	ST_MATCH,        /* hex: search match */
	ST_HEADER,       /* column headings */
	ST_COUNT
};

/* Ground-truth class of a row, for colours or markers. */
enum ui_class { UC_NONE, UC_TP, UC_FP, UC_FN, UC_BOOT };

/* One row of the candidates list: a tree found, a ground-truth ghost, or a bare root candidate. */
struct ui_root {
	uint64_t root;
	unsigned space;
	uint64_t kernel_bytes, user_bytes;
	bool sized;          /* a tree found: sizes are known */
	bool kernel_only;
	bool ghost;          /* only in the ground truth (FN, boot-only) */
	enum ui_class cls;
	double first, last;  /* ground-truth times (cls TP, FN, boot) */
	const char *reason;  /* why a ghost was not found (static text) */
	bool has_anchor;     /* Intel: the IDT that confirmed the tree */
	uint64_t anchor;
};

struct regrec_reg;

/* A recovered register value (a class of MMU-equivalent candidates). */
struct ui_reg_cand {
	uint64_t value, unknown, first_site;
	uint32_t sites, paths;
	unsigned plaus;
	enum ui_class cls;
	char fields[400];        /* "T0SZ:0x10, ..." (every field of the layout) */
};

/* A candidate that cannot be used: invalid (reserved bits...) or partial (needed bits unknown). */
struct ui_reg_bad {
	uint64_t value, unknown, first_site;
	bool partial;
	char why[96];
};

/* A value the ground truth logged for the register, and the candidate matching it. */
struct ui_reg_logged {
	uint64_t value;
	double first, last;
	bool found, exact;
	int cand;                /* matching candidate, -1 */
	enum ui_class cls;       /* TP; FN for the value in force at the end; boot / none for older ones */
};

/* One analysed register (TTBCR, TCR_EL1...) as the panes show it. */
struct ui_reg {
	const struct regrec_reg *reg;   /* the architecture's static description */
	bool has_value;
	uint64_t value;
	const char *origin;             /* "recovered", "config", "set_tcr"... */
	uint32_t sites, skipped;
	struct ui_reg_cand *cands;
	size_t ncands;
	struct ui_reg_bad *bad;
	size_t nbad;
	bool compared;                  /* ground truth (or its config default) to compare with */
	unsigned tp, fp, fn;
	struct ui_reg_logged *logged;
	size_t nlogged;
	/* No usable candidate: the partial value closest to the truth (shown beside the false negative). */
	bool has_partial, partial_agrees;
	uint64_t partial_value, partial_unknown;
	unsigned partial_score, partial_of;
};

/* What the panes show of the results, rebuilt after every step (app_sync). */
struct ui_snap {
	unsigned gen;
	bool radix;                  /* the architecture has page-table trees */
	bool parsed, found;
	unsigned nspaces;
	struct radix_space space[RADIX_MAX_SHAPES];   /* shapes only: pointers cleared */
	struct ui_root *roots;       /* found trees then ghosts; or level-0 candidates before trees */
	size_t nroots, ntrees;
	bool gt_loaded;              /* --gtruth given */
	bool gt_ok;                  /* comparison available */
	char gt_why[160];            /* why not */
	struct radix_gt gt;          /* the comparison (items: TP, FN, boot, FP) */
	bool has_findings;           /* the architecture offers findings besides trees (findings.h) */
	bool find_ok;                /* find holds them (else find_why says why not) */
	struct findings find;        /* top nodes (found, then ghosts) and their children's context */
	char find_why[160];          /* why find (else find_gt) is missing */
	bool find_gt_ok;             /* find_gt holds their comparison with the ground truth */
	struct finding_gt find_gt;
	bool regrec;                 /* the architecture recovers registers from code */
	bool regs_found;             /* find_registers_values ran */
	struct ui_reg *regs;         /* one per analysed register (when results exist) */
	size_t nregs;
	size_t reg_tp, reg_fp, reg_fn;
};

/* Ground-truth totals over roots, findings and registers (what the status line and the pane title show). */
void ui_snap_totals(const struct ui_snap *s, size_t *tp, size_t *fp, size_t *fn);

struct app;

/* A pane: init returns its state; draw gets the inner window (no border). */
struct pane_ops {
	const char *name;                 /* tab bar and help */
	const char *tab;                  /* shorter name for a narrow tab bar (NULL: name) */
	void *(*init)(struct app *app);
	void (*free)(void *st);
	/* The results changed (or the first time): rebuild caches from app->a. */
	void (*sync)(void *st);
	void (*draw)(void *st, WINDOW *w, int h, int wd, bool focused);
	/* A normalised key; true when the pane used it. */
	bool (*key)(void *st, int key);
	/* Title in the frame, e.g. "Candidates (12)"; room: the columns it has (a shorter one when it would be cut). */
	void (*title)(void *st, char *buf, size_t len, int room);
	/* Optional: 'g' (returns 0 or -1 with a message in msg). */
	int (*go)(void *st, const char *arg, char *msg, size_t len);
	/* Optional: '/' with a new pattern (pat) or n/N (pat NULL); dir +1 forward, -1 back. */
	int (*search)(void *st, const char *pat, int dir, char *msg, size_t len);
	/* Optional: work that continues across loop turns (a long search); true while busy. */
	bool (*tick)(void *st);
	/* Keys of this pane for '?': pairs of key, description, NULL-terminated. */
	const char *const *help;
	const char *go_prompt;            /* "goto address: " */
	/* Optional: the prompt for 'g' when it depends on what the pane shows (else go_prompt). */
	const char *(*go_prompt_of)(void *st);
	/* Optional: rows its content needs at width columns (the layout gives no more than that); 0: any. */
	int (*rows_wanted)(void *st, int width);
};

enum pane_id { P_MAP, P_CANDS, P_REGS, P_GTRUTH, P_TREE, P_HEX, P_LOG, P_COUNT };

extern const struct pane_ops pane_map_ops, pane_cands_ops, pane_regs_ops, pane_gtruth_ops, pane_tree_ops,
	pane_hex_ops, pane_log_ops;

struct pane {
	const struct pane_ops *ops;
	void *st;
	WINDOW *win;
	int y, x, h, w;      /* inner rectangle on screen */
	bool shown;
};

/* Functions panes call (app.c). */
/* Runs a command line on the job thread, as ':' does (false when busy: the message says so). */
bool app_run(struct app *app, const char *line);
struct analysis *app_analysis(struct app *app);
const struct ui_snap *app_snap(const struct app *app);
bool app_busy(const struct app *app);
void app_msg(struct app *app, bool error, const char *fmt, ...) MMU_PRINTF(3, 4);
void app_focus(struct app *app, enum pane_id p);
void *app_pane_state(struct app *app, enum pane_id p);
/* Inner columns of pane p as laid out now (0 when not shown). */
int app_pane_width(const struct app *app, enum pane_id p);
/*
 * A row pane p cuts, said whole on the message line: when text, drawn
 * with indent columns of the pane not for it (its indentation, or what is
 * drawn beside it), is wider than the pane, shows echo (NULL: text) and
 * returns true.
 */
bool app_echo_if_cut(struct app *app, enum pane_id p, const char *text, int indent, const char *echo);
/* Opens a root in the tree view (and as the hex view's virtual-address root). */
void app_open_tree(struct app *app, uint64_t root, unsigned space, bool focus);
/* Opens a finding (a hash table, an IDT: a top node of the snapshot's) in the tree view. */
void app_open_finding(struct app *app, const struct finding *f, bool focus);
/* Shows physical address pa in the hex view. */
void app_show_phys(struct app *app, uint64_t pa, bool focus);
/* Shows a virtual address of the open tree in the hex view. */
void app_show_virt(struct app *app, uint64_t va, bool focus);
/* The entry under the tree cursor, highlighted in the hex view (len 0: none). */
void app_highlight(struct app *app, uint64_t pa, uint64_t len, bool follow);
void app_log(struct app *app, int kind, const char *text);

/* Styles (draw.c). */
attr_t ui_style(const struct app *app, enum ui_style s);
bool ui_colors(const struct app *app);
enum ui_class ui_class_of(enum gt_class c);
enum ui_style ui_class_style(enum ui_class c);
/* "TP" in colour mode, "[TP]" without colours, "" for UC_NONE. */
const char *ui_class_label(const struct app *app, enum ui_class c);

/* Text output clipped to a width; non-printable bytes become '.'. */
void ui_put(WINDOW *w, int y, int x, int width, attr_t attr, const char *s);
void ui_putf(WINDOW *w, int y, int x, int width, attr_t attr, const char *fmt, ...) MMU_PRINTF(6, 7);
/* Pads from x to x+width with spaces in attr (for cursor rows). */
void ui_fill(WINDOW *w, int y, int x, int width, attr_t attr);
/* Short sizes: "4K", "2M", "1G", "512", for tree leaves and map bands. */
const char *ui_short_size(uint64_t bytes, char *buf, size_t len);
/*
 * An address typed at a goto prompt: hexadecimal, with or without 0x
 * (addresses are shown in hex everywhere, so "100" is 0x100); 0 or -1.
 */
int ui_parse_addr(const char *s, uint64_t *out);
/* Addresses are shown with at least this many hex digits, so that columns keep their place. */
#define UI_ADDR_MIN_DIGITS 8
/* Hex digits needed to print any number up to max, at least min (1 to 16). */
int ui_addr_digits(uint64_t max, int min);
/* The same for the virtual addresses a tree shape translates. */
int ui_va_digits(const struct radix_shape *s);

/* A scrolling list: cursor and first row shown, for panes that are lists. */
struct ui_list {
	size_t n, cur, top;
	int height;          /* rows the list had when last drawn */
	bool no_cursor;      /* scroll-only (log): movement keys scroll */
};
/* Handles movement keys; true when it did. */
bool ui_list_key(struct ui_list *l, int key);
/* Keeps cur in range and visible in h rows. */
void ui_list_fit(struct ui_list *l, int h);
void ui_list_set(struct ui_list *l, size_t cur);

/* Log line kinds. */
enum { LOG_CMD, LOG_OUT, LOG_ERR, LOG_INFO };

#endif
