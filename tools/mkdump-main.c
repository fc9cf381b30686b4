/*
 * mmushell-mkdump: writes a synthetic memory dump (machine YAML, raw dump
 * files, ground truth, expected results).  Exit status: 0 success, 1 bad
 * arguments or a failed write, 2 internal fatal error.
 */
#include "autoconfig.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkdump/mkdump.h"

static void usage(FILE *f)
{
	fputs("Usage:\n"
	      "  mmushell-mkdump --arch ARCH [--mode MODE] [OPTIONS] -o DIR\n"
	      "\n"
	      "Writes a synthetic physical memory dump with exact ground truth into DIR:\n"
	      "machine.yaml, dump.0 dump.1 ..., gtruth.yaml and expected.yaml.\n"
	      "The same options always give byte-identical files.\n"
	      "\n"
	      "Options:\n"
	      "  -a, --arch ARCH       intel, riscv, arm, aarch64, mips or ppc\n"
	      "  -m, --mode MODE       intel: ia32 pae ia64 la57; riscv: sv32 sv39 sv48 sv57;\n"
	      "                        arm: short long; aarch64: long; mips: mips32; ppc: ppc32\n"
	      "                        (default: the first)\n"
	      "  -r, --ram SIZE        RAM in total, a multiple of 2M (default 64M; e.g. 16M, 1G)\n"
	      "      --regions N       RAM regions with MMIO windows between them (default 2)\n"
	      "  -p, --processes N     user address spaces (default 8)\n"
	      "  -s, --seed S          random seed (default 1)\n"
	      "  -n, --noise LEVEL     free memory: 0 zero, 1..3 more random data, text, code\n"
	      "                        and decoy tables (default 2)\n"
	      "      --granule G       aarch64: 4k, 16k or 64k (default 4k)\n"
	      "      --t0sz N          aarch64: TCR_EL1.T0SZ, 16..39; arm long: TTBCR.T0SZ, 0..7\n"
	      "      --t1sz N          aarch64: TCR_EL1.T1SZ, 16..39; arm long: TTBCR.T1SZ, 0..7\n"
	      "                        (defaults: aarch64 25/17/22 for 4k/16k/64k; arm long 0 and 2)\n"
	      "      --ttbcr-n N       arm short: TTBCR.N, 0..7 (default 0: no TTBR1)\n"
	      "      --endian E        mips: big or little (default little); ppc: big only\n"
	      "  -o, --output DIR      output folder (created if missing)\n"
	      "  -h, --help            this help\n"
	      "\n"
	      "Example:\n"
	      "  mmushell-mkdump --arch intel --mode ia64 --ram 256M --processes 20 -o /tmp/d\n"
	      "  mmushell --batch -e show_machine /tmp/d/machine.yaml\n",
	      f);
}

enum { OPT_REGIONS = 256, OPT_GRANULE, OPT_T0SZ, OPT_T1SZ, OPT_TTBCR_N, OPT_ENDIAN };

/* Small-number options; their ranges are checked by the library, which knows the mode. */
static int set_number(struct mkdump_opts *o, int opt, const char *name, const char *arg)
{
	uint64_t v;
	if (parse_u64(arg, &v) || v > 1000000) {
		fprintf(stderr, "mmushell-mkdump: --%s needs a number (got '%s')\n", name, arg);
		return -1;
	}
	switch (opt) {
	case OPT_REGIONS:
		o->regions = (unsigned)v;
		break;
	case 'p':
		o->processes = (unsigned)v;
		break;
	case 'n':
		o->noise = (unsigned)v;
		break;
	case OPT_T0SZ:
		o->t0sz = (int)v;
		break;
	case OPT_T1SZ:
		o->t1sz = (int)v;
		break;
	default:
		o->ttbcr_n = (int)v;
		break;
	}
	return 0;
}

static int set_granule(struct mkdump_opts *o, const char *arg)
{
	uint64_t v;
	if (parse_size(arg, &v) || v > UINT32_MAX) {
		fprintf(stderr, "mmushell-mkdump: --granule must be 4k, 16k or 64k (got '%s')\n", arg);
		return -1;
	}
	o->granule = (unsigned)v;
	return 0;
}

static const struct option longopts[] = {
	{"arch", required_argument, NULL, 'a'},
	{"mode", required_argument, NULL, 'm'},
	{"ram", required_argument, NULL, 'r'},
	{"regions", required_argument, NULL, OPT_REGIONS},
	{"processes", required_argument, NULL, 'p'},
	{"seed", required_argument, NULL, 's'},
	{"noise", required_argument, NULL, 'n'},
	{"granule", required_argument, NULL, OPT_GRANULE},
	{"t0sz", required_argument, NULL, OPT_T0SZ},
	{"t1sz", required_argument, NULL, OPT_T1SZ},
	{"ttbcr-n", required_argument, NULL, OPT_TTBCR_N},
	{"endian", required_argument, NULL, OPT_ENDIAN},
	{"output", required_argument, NULL, 'o'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static const char *long_name(int c)
{
	for (const struct option *p = longopts; p->name; p++)
		if (p->val == c)
			return p->name;
	return "?";
}

static int parse_options(int argc, char **argv, struct mkdump_opts *o, bool *help)
{
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":a:m:r:p:s:n:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			o->arch = optarg;
			break;
		case 'm':
			o->mode = optarg;
			break;
		case 'r':
			if (parse_size(optarg, &o->ram)) {
				fprintf(stderr, "mmushell-mkdump: --ram needs a size such as 64M or 1G (got '%s')\n", optarg);
				return -1;
			}
			break;
		case 's':
			if (parse_u64(optarg, &o->seed)) {
				fprintf(stderr, "mmushell-mkdump: --seed needs a number (got '%s')\n", optarg);
				return -1;
			}
			break;
		case OPT_GRANULE:
			if (set_granule(o, optarg))
				return -1;
			break;
		case 'o':
			o->outdir = optarg;
			break;
		case OPT_ENDIAN:
			o->endian = optarg;
			break;
		case 'h':
			*help = true;
			break;
		case ':':
		case '?':
			getopt_error("mmushell-mkdump", c, argv, optind, optopt);
			return -1;
		default:
			if (set_number(o, c, long_name(c), optarg))
				return -1;
			break;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mmushell-mkdump: unexpected argument '%s' (see --help)\n", argv[optind]);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct mkdump_opts o;
	struct err e = {{0}};
	bool help = false;
	mkdump_opts_init(&o);
	if (parse_options(argc, argv, &o, &help))
		return 1;
	if (help) {
		usage(stdout);
		return 0;
	}
	if (mkdump_generate(&o, &e)) {
		fprintf(stderr, "mmushell-mkdump: %s\n", e.msg);
		return 1;
	}
	return 0;
}
