/*
 * mmushell-acquire: images the physical memory of the running Linux machine
 * with its memory map (see acquire.h for the method).  Exit status: 0 done
 * (unreadable pages are logged, not fatal), 1 bad input or no usable
 * source, 2 internal fatal error.
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acquire.h"
#include "util.h"

struct options {
	const char *outdir, *iomem, *mem, *machine, *mode, *cpuinfo;
	int format, source;
	bool help, version;
};

static void usage(FILE *f)
{
	fputs("Usage: mmushell-acquire -o DIR [--format raw|elf|lime] [--source kcore|crash|mem]\n"
	      "                        [--iomem FILE] [--mem FILE] [--machine NAME] [--mode NAME]\n"
	      "\n"
	      "Images this machine's physical memory: the \"System RAM\" ranges of /proc/iomem are\n"
	      "copied page by page from /proc/kcore, /dev/crash or /dev/mem (the first that works);\n"
	      "other ranges (MMIO, firmware) are never read.  Writes into DIR the dump, machine.yaml\n"
	      "(load it, or an ELF dump directly, with mmushell) and acquire.log (unreadable pages,\n"
	      "zero-filled in the dump).  Needs root, unless --iomem and --mem name files.\n"
	      "\n"
	      "Options:\n"
	      "  -o, --output DIR      output folder (created if missing; existing files are never replaced)\n"
	      "  -f, --format FORMAT   raw (dump.N per RAM range, the default), elf (memory.elf) or\n"
	      "                        lime (memory.lime)\n"
	      "  -s, --source SOURCE   kcore (/proc/kcore), crash (/dev/crash) or mem (/dev/mem)\n"
	      "      --iomem FILE      memory map in /proc/iomem's format (default /proc/iomem)\n"
	      "      --mem FILE        read memory from FILE: a kcore-style ELF core (source kcore) or\n"
	      "                        a file indexed by physical address (source crash or mem)\n"
	      "      --machine NAME    machine name as uname -m prints it (default: the running kernel's)\n"
	      "      --mode NAME       MMU mode for machine.yaml (default: the usual one for the machine)\n"
	      "      --cpuinfo FILE    CPU description (default /proc/cpuinfo; gives Intel's m_phy)\n"
	      "  -h, --help            this help\n"
	      "  -V, --version         version\n",
	      f);
}

enum { OPT_IOMEM = 256, OPT_MEM, OPT_MACHINE, OPT_MODE, OPT_CPUINFO };

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},   {"format", required_argument, NULL, 'f'},
		{"source", required_argument, NULL, 's'},   {"iomem", required_argument, NULL, OPT_IOMEM},
		{"mem", required_argument, NULL, OPT_MEM},  {"machine", required_argument, NULL, OPT_MACHINE},
		{"mode", required_argument, NULL, OPT_MODE}, {"cpuinfo", required_argument, NULL, OPT_CPUINFO},
		{"help", no_argument, NULL, 'h'},           {"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;
	o->format = ACQ_RAW;
	o->source = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:f:s:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->outdir = optarg;
			break;
		case 'f':
			if ((o->format = acq_format_parse(optarg)) < 0) {
				fprintf(stderr, "mmushell-acquire: --format must be raw, elf or lime (got '%s')\n", optarg);
				return -1;
			}
			break;
		case 's':
			if ((o->source = acq_source_parse(optarg)) < 0) {
				fprintf(stderr, "mmushell-acquire: --source must be kcore, crash or mem (got '%s')\n", optarg);
				return -1;
			}
			break;
		case OPT_IOMEM:
			o->iomem = optarg;
			break;
		case OPT_MEM:
			o->mem = optarg;
			break;
		case OPT_MACHINE:
			o->machine = optarg;
			break;
		case OPT_MODE:
			o->mode = optarg;
			break;
		case OPT_CPUINFO:
			o->cpuinfo = optarg;
			break;
		case 'h':
			o->help = true;
			break;
		case 'V':
			o->version = true;
			break;
		default: /* ':' or '?' */
			getopt_error("mmushell-acquire", c, argv, optind, optopt);
			return -1;
		}
	}
	if (o->help || o->version)
		return 0;
	if (optind < argc) {
		fprintf(stderr, "mmushell-acquire: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (!o->outdir) {
		fprintf(stderr, "mmushell-acquire: -o DIR is required (see --help)\n");
		return -1;
	}
	return 0;
}

/* Reads a small text file whole; NULL if it cannot be read. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	struct sbuf b = {0};
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && b.len < (4u << 20))
		sbuf_append(&b, buf, n);
	fclose(f);
	return sbuf_take(&b);
}

static bool is_elf(const char *path)
{
	uint8_t m[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool yes = pread(fd, m, 4, 0) == 4 && !memcmp(m, "\177ELF", 4);
	close(fd);
	return yes;
}

static int open_source(struct acq_source *s, const struct options *o, const struct iomem_map *map, struct err *e)
{
	char why[256];
	if (o->source >= 0 || o->mem) {
		enum acq_source_kind k = o->source >= 0 ? (enum acq_source_kind)o->source
							: is_elf(o->mem) ? ACQ_SRC_KCORE : ACQ_SRC_MEM;
		if (acq_source_open(s, k, o->mem ? o->mem : acq_source_default_path(k), e))
			return -1;
		/* Named by the user: go on, the log will list what cannot be read. */
		if (acq_source_probe(s, map, why, sizeof(why)))
			fprintf(stderr, "mmushell-acquire: warning: %s: %s\n", s->path, why);
		return 0;
	}
	struct sbuf tried = {0};
	for (int k = ACQ_SRC_KCORE; k <= ACQ_SRC_MEM; k++) {
		struct err e2 = {{0}};
		const char *path = acq_source_default_path((enum acq_source_kind)k);
		if (acq_source_open(s, (enum acq_source_kind)k, path, &e2)) {
			sbuf_printf(&tried, "; %s", e2.msg);
			continue;
		}
		if (!acq_source_probe(s, map, why, sizeof(why))) {
			sbuf_free(&tried);
			return 0;
		}
		sbuf_printf(&tried, "; %s: %s", path, why);
		acq_source_close(s);
	}
	err_set(e, "no usable physical memory source (%s)", tried.s + 2);
	sbuf_free(&tried);
	return -1;
}

/* Progress on the terminal only: bytes, rate, time left. */
struct progress_line {
	bool tty;
	double t0, last;
};

static void show_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress_line *p = ctx;
	if (!p->tty)
		return;
	double now = now_seconds();
	if (now - p->last < 0.2 && done < total)
		return;
	p->last = now;
	char a[32], b[32], r[32];
	double el = now - p->t0, rate = el > 0 ? (double)done / el : 0;
	unsigned eta = rate > 0 ? (unsigned)((double)(total - done) / rate) : 0;
	fprintf(stderr, "\r%s / %s (%3.0f%%)  %s/s  ETA %u:%02u   ", fmt_size(done, a, sizeof(a)),
		fmt_size(total, b, sizeof(b)), total ? 100.0 * (double)done / (double)total : 100.0,
		fmt_size((uint64_t)rate, r, sizeof(r)), eta / 60, eta % 60);
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}

int main(int argc, char **argv)
{
	struct options o = {0};
	struct err e = {{0}};
	struct iomem_map map;
	struct acq_source src;
	struct acq_machine m;
	struct acq_result r;

	if (parse_options(argc, argv, &o))
		return 1;
	if (o.help) {
		usage(stdout);
		return 0;
	}
	if (o.version) {
		printf("mmushell-acquire %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (geteuid() != 0 && (!o.iomem || !o.mem)) {
		fprintf(stderr, "mmushell-acquire: reading physical memory needs root (/proc/iomem addresses, "
				"/proc/kcore, /dev/crash and /dev/mem are root-only); run it as root, or give --iomem "
				"and --mem to image files\n");
		return 1;
	}
	const char *iomem = o.iomem ? o.iomem : "/proc/iomem";
	if (iomem_read(iomem, &map, &e)) {
		fprintf(stderr, "mmushell-acquire: %s\n", e.msg);
		return 1;
	}
	if (open_source(&src, &o, &map, &e)) {
		fprintf(stderr, "mmushell-acquire: %s\n", e.msg);
		iomem_free(&map);
		return 1;
	}
	char *cpuinfo = slurp(o.cpuinfo ? o.cpuinfo : "/proc/cpuinfo");
	if (!cpuinfo && o.cpuinfo)
		fprintf(stderr, "mmushell-acquire: warning: %s: %s\n", o.cpuinfo, strerror(errno));
	int rc = 1;
	if (acq_machine_detect(&m, o.machine, o.mode, cpuinfo, &src, &map, &e))
		goto out;
	/* Checked before mkdir too, so not even an empty folder lands under /dev. */
	struct stat st;
	if (stat(o.outdir, &st)) {
		char *parent = path_dirname(o.outdir);
		int bad = acq_check_outdir(parent, &e);
		free(parent);
		if (bad)
			goto out;
		if (mkdir(o.outdir, 0700)) {
			err_set(&e, "%s: cannot create: %s", o.outdir, strerror(errno));
			goto out;
		}
	}
	struct progress_line pl = {isatty(STDERR_FILENO) == 1, now_seconds(), 0};
	struct acq_opts ao = {.outdir = o.outdir, .format = (enum acq_format)o.format, .map_name = iomem,
			      .progress = show_progress, .ctx = &pl};
	if (acq_run(&map, &src, &m, &ao, &r, &e))
		goto out;
	char sz[32];
	printf("%s: %s of RAM in %zu range%s, %llu unreadable page%s (zero-filled, listed in %s)\n", r.dump_path,
	       fmt_size(r.ram_bytes, sz, sizeof(sz)), map.nram, map.nram == 1 ? "" : "s",
	       (unsigned long long)r.unreadable_pages, r.unreadable_pages == 1 ? "" : "s", r.log_path);
	printf("machine description: %s (%s %s, %d-bit)\n", r.yaml_path, m.arch, m.mode, m.bits);
	acq_result_free(&r);
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "mmushell-acquire: %s\n", e.msg);
	free(cpuinfo);
	acq_source_close(&src);
	iomem_free(&map);
	return rc;
}
