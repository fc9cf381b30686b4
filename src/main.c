/*
 * mmushell: finds the MMU structures of an unknown OS in a physical memory
 * dump.  main picks the mode (explorer, batch, demo) and owns exit codes:
 * 0 success, 1 bad input or a failed command, 2 internal fatal error.
 */
#include "autoconfig.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "arch.h"
#include "commands.h"
#include "demo.h"
#include "ui.h"

struct options {
	bool batch, json, debug, help, version;
	bool demo, no_color;          /* --demo, --no-color */
	const char *keys, *dump_screen;  /* --keys, --dump-screen: the explorer's scripted mode */
	const char *demo_spec;        /* ARCH/MODE after --demo */
	const char **cmds;
	size_t ncmds, cap;
	struct analysis_opts aopts;
	const char *config;
};

static void usage(FILE *f)
{
	fputs("Usage:\n"
	      "  mmushell [OPTIONS] MACHINE_CONFIG              full-screen explorer (needs a terminal)\n"
	      "  mmushell --batch [--json] [-e COMMAND]... [OPTIONS] MACHINE_CONFIG\n"
	      "                                                 runs commands without a UI (from -e, else stdin)\n"
	      "  mmushell --demo [ARCH/MODE]                    the explorer on a generated demo dump\n"
	      "\n"
	      "MACHINE_CONFIG is the machine description YAML (cpu, mmu, memspace), or an\n"
	      "ELF core (QEMU dump-guest-memory, kdump) or LiME file read directly.\n"
	      "\n"
	      "Options:\n"
	      "  -b, --batch          run commands and print their results, no UI\n"
	      "  -j, --json           print one JSON object per command (with --batch)\n"
	      "  -e, --exec COMMAND   run COMMAND (repeatable, in order)\n"
	      "  -t, --threads N      worker threads for scans (default: online CPUs)\n"
	      "  -g, --gtruth FILE    ground-truth YAML to compare findings with\n"
	      "  -s, --session FILE   start from a session saved by save_data (no re-analysis)\n"
	      "      --arch NAME      ELF/LiME input: architecture (intel, arm, ... or x86_64,\n"
	      "                       i386, armhf, mipsel, ...); required for LiME\n"
	      "      --mode NAME      ELF/LiME input: MMU mode (default: ia64, or la57 when a QEMU\n"
	      "                       note shows CR4.LA57; pae; sv39; short; long; ...)\n"
	      "      --m-phy N        ELF/LiME input, intel: MAXPHYADDR (default 40 / 36 bits)\n"
	      "      --iomem FILE     ELF/LiME input: the kernel's /proc/iomem listing; RAM is\n"
	      "                       clipped to its System RAM, its other ranges are not RAM\n"
	      "      --demo           generate a demo dump with ground truth (removed at exit)\n"
	      "                       and open it; ARCH/MODE as in mmushell-mkdump (default\n"
	      "                       intel/ia64); with --batch, runs the commands on it\n"
	      "      --no-color       no colours in the explorer: [TP] [FP] [FN] markers\n"
	      "                       (also when NO_COLOR is set and not empty)\n"
	      "      --keys FILE      explorer: read keys from FILE (one key name per line,\n"
	      "                       wait-idle, type TEXT, resize COLSxROWS), no terminal needed\n"
	      "      --dump-screen FILE  explorer: write the last screen to FILE as text\n"
	      "  -d, --debug          verbose diagnostics on stderr\n"
	      "  -h, --help           this help\n"
	      "  -V, --version        version\n"
	      "\n"
	      "Run 'mmushell --batch -e help MACHINE_CONFIG' for the command list.\n",
	      f);
}

/* Long options without a short form. */
enum { OPT_ARCH = 256, OPT_MODE, OPT_M_PHY, OPT_IOMEM, OPT_DEMO, OPT_NO_COLOR, OPT_KEYS, OPT_DUMP_SCREEN };

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"batch", no_argument, NULL, 'b'},
		{"json", no_argument, NULL, 'j'},
		{"exec", required_argument, NULL, 'e'},
		{"threads", required_argument, NULL, 't'},
		{"gtruth", required_argument, NULL, 'g'},
		{"session", required_argument, NULL, 's'},
		{"arch", required_argument, NULL, OPT_ARCH},
		{"mode", required_argument, NULL, OPT_MODE},
		{"m-phy", required_argument, NULL, OPT_M_PHY},
		{"iomem", required_argument, NULL, OPT_IOMEM},
		{"demo", no_argument, NULL, OPT_DEMO},
		{"no-color", no_argument, NULL, OPT_NO_COLOR},
		{"keys", required_argument, NULL, OPT_KEYS},
		{"dump-screen", required_argument, NULL, OPT_DUMP_SCREEN},
		{"debug", no_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;
	uint64_t n;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":bje:t:g:s:dhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->batch = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'e':
			VEC_PUSH(o->cmds, o->ncmds, o->cap, optarg);
			break;
		case 't':
			if (parse_u64(optarg, &n) || n == 0 || n > 1024) {
				fprintf(stderr, "mmushell: --threads needs a number from 1 to 1024 (got '%s')\n", optarg);
				return -1;
			}
			o->aopts.threads = (int)n;
			break;
		case 'g':
			o->aopts.gtruth_path = optarg;
			break;
		case 's':
			o->aopts.session_path = optarg;
			break;
		case OPT_ARCH:
			o->aopts.input.arch = optarg;
			break;
		case OPT_MODE:
			o->aopts.input.mode = optarg;
			break;
		case OPT_M_PHY:
			if (parse_u64(optarg, &n) || n == 0 || n > 52) {
				fprintf(stderr, "mmushell: --m-phy needs a number of bits from 1 to 52 (got '%s')\n", optarg);
				return -1;
			}
			o->aopts.input.m_phy = (unsigned)n;
			break;
		case OPT_IOMEM:
			o->aopts.input.iomem = optarg;
			break;
		case OPT_DEMO:
			o->demo = true;
			break;
		case OPT_NO_COLOR:
			o->no_color = true;
			break;
		case OPT_KEYS:
			o->keys = optarg;
			break;
		case OPT_DUMP_SCREEN:
			o->dump_screen = optarg;
			break;
		case 'd':
			o->aopts.debug = true;
			break;
		case 'h':
			o->help = true;
			break;
		case 'V':
			o->version = true;
			break;
		default: /* ':' or '?' */
			getopt_error("mmushell", c, argv, optind, optopt);
			return -1;
		}
	}
	if (o->help || o->version)
		return 0;
	if (o->demo) {
		/* The optional argument is the demo's ARCH/MODE, not a file. */
		if (optind + 1 < argc) {
			fprintf(stderr, "mmushell: unexpected argument '%s' after --demo %s\n", argv[optind + 1], argv[optind]);
			return -1;
		}
		o->demo_spec = optind < argc ? argv[optind] : NULL;
		if (o->json && !o->batch) {
			fprintf(stderr, "mmushell: --json goes with --batch\n");
			return -1;
		}
		return 0;
	}
	if (optind >= argc) {
		fprintf(stderr, "mmushell: missing MACHINE_CONFIG (see --help)\n");
		return -1;
	}
	if (optind + 1 < argc) {
		fprintf(stderr, "mmushell: unexpected argument '%s' after MACHINE_CONFIG\n", argv[optind + 1]);
		return -1;
	}
	o->config = argv[optind];
	if (o->json && !o->batch) {
		fprintf(stderr, "mmushell: --json goes with --batch\n");
		return -1;
	}
	return 0;
}

/* Runs one line; prints its output; returns 0 or -1. */
static int batch_line(struct analysis *a, const struct options *o, const char *line)
{
	struct cmd_out out;
	struct err e = {{0}};
	char *name;
	double t0 = now_seconds();
	cmd_out_init(&out);
	int rc = command_run_line(a, line, &out, &name, &e);
	if (a->debug)
		fprintf(stderr, "[debug] %s: %.3f s, anonymous memory %llu KiB\n", name, now_seconds() - t0,
			(unsigned long long)anon_memory_kib());
	if (o->json) {
		command_write_json(stdout, name, rc == 0, rc ? e.msg : NULL, rc ? NULL : out.json.b.s);
	} else if (rc) {
		fflush(stdout);
		fprintf(stderr, "mmushell: %s: %s\n", *name ? name : "command", e.msg);
	} else if (out.text.len) {
		fputs(out.text.s, stdout);
	}
	fflush(stdout);
	free(name);
	cmd_out_free(&out);
	return rc;
}

static bool blank(const char *s)
{
	s += strspn(s, " \t\r\n");
	return !*s || *s == '#';
}

static int run_batch(struct analysis *a, const struct options *o)
{
	int failed = 0;
	if (o->ncmds) {
		for (size_t i = 0; i < o->ncmds; i++)
			failed |= batch_line(a, o, o->cmds[i]) != 0;
		return failed;
	}
	/* No -e: a command per line from stdin, like the original's shell. */
	bool tty = isatty(STDIN_FILENO);
	char *line = NULL;
	size_t cap = 0;
	for (;;) {
		if (tty) {
			printf("[mmushell %s]# ", a->cfg.arch->name);
			fflush(stdout);
		}
		if (getline(&line, &cap, stdin) < 0)
			break;
		if (blank(line))
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		if (!strcmp(line, "exit") || !strcmp(line, "quit"))
			break;
		failed |= batch_line(a, o, line) != 0;
	}
	free(line);
	if (tty)
		putchar('\n');
	return failed;
}

static struct demo demo;

/* Whatever stops the program must give the terminal back and drop the demo folder. */
static void on_fatal(void)
{
	ui_restore_terminal();
	demo_remove_now();
}

/* "dump.yaml" -> "dump.session": where 's' offers to save. */
static char *session_name(const char *config)
{
	const char *dot = strrchr(config, '.'), *slash = strrchr(config, '/');
	size_t n = dot && (!slash || dot > slash) ? (size_t)(dot - config) : strlen(config);
	return xasprintf("%.*s.session", (int)n, config);
}

/* Returns the exit status, or the number of the signal that ended the explorer (as a negative). */
static int run_explorer(struct analysis *a, const struct options *o)
{
	struct err e = {{0}};
	char *session = o->demo ? NULL : session_name(o->config);
	struct ui_opts uo = {
		.no_color = o->no_color,
		.keys_path = o->keys,
		.dump_path = o->dump_screen,
		.title = o->demo ? demo.title : NULL,
		.session_default = o->demo ? demo.session : session,
	};
	int rc = ui_run(a, &uo, &e);
	free(session);
	if (rc < 0) {
		fprintf(stderr, "mmushell: %s\n", e.msg);
		return 1;
	}
	return rc > 0 ? -rc : 0;
}

int main(int argc, char **argv)
{
	struct options o = {0};
	struct analysis a;
	struct err e = {{0}};
	int rc;

	if (parse_options(argc, argv, &o)) {
		free(o.cmds);
		return 1;
	}
	if (o.help) {
		usage(stdout);
		free(o.cmds);
		return 0;
	}
	if (o.version) {
		printf("mmushell %s\n", PACKAGE_VERSION);
		free(o.cmds);
		return 0;
	}
	if (o.batch && (o.keys || o.dump_screen)) {
		fprintf(stderr, "mmushell: --keys and --dump-screen drive the explorer: not with --batch\n");
		free(o.cmds);
		return 1;
	}
	if (!o.batch && !o.keys && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "mmushell: the explorer needs a terminal (standard input and output are not both "
				"terminals); use --batch to run commands without it, e.g. mmushell --batch -e help %s\n",
			o.demo ? "--demo" : o.config);
		free(o.cmds);
		return 1;
	}
	/* Before a demo is generated or a dump opened: a terminal that cannot show the explorer fails at once. */
	if (!o.batch && !o.keys && ui_check_terminal(&e)) {
		fprintf(stderr, "mmushell: %s\n", e.msg);
		free(o.cmds);
		return 1;
	}
	fatal_hook = on_fatal;
	ui_crash_hook = demo_remove_now;
	physmem_fault_hook = demo_remove_now;
	if (o.demo) {
		if (demo_create(&demo, o.demo_spec, &e)) {
			fprintf(stderr, "mmushell: %s\n", e.msg);
			free(o.cmds);
			return 1;
		}
		o.config = demo.config;
		if (!o.aopts.gtruth_path)
			o.aopts.gtruth_path = demo.gtruth;
	}
	if (analysis_open(&a, o.config, &o.aopts, &e)) {
		fprintf(stderr, "mmushell: %s\n", e.msg);
		demo_remove(&demo);
		free(o.cmds);
		return 1;
	}
	rc = o.batch ? (run_batch(&a, &o) ? 1 : 0) : run_explorer(&a, &o);
	analysis_close(&a);
	demo_remove(&demo);
	free(o.cmds);
	if (rc < 0) {
		/* Ended by SIGTERM/SIGHUP: everything is cleaned up, now die of it as expected. */
		signal(-rc, SIG_DFL);
		raise(-rc);
		return 128 - rc;
	}
	return rc;
}
