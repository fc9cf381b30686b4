#!/bin/sh
# Line coverage of each fuzz target's corpus over the code it is meant to
# reach: replays the corpus through the plain driver built with clang's source
# coverage and prints one row per target.  Not part of make check.
#
#   git clone . /tmp/cov && cd /tmp/cov && autoreconf -fi
#   ./configure CC=clang CFLAGS="-O1 -g -fprofile-instr-generate -fcoverage-mapping"
#   make fuzz-targets
#   tests/fuzz/coverage.sh [CORPUS_ROOT]     # default: tests/fuzz/corpus
#
# CORPUS_ROOT/TARGET/ holds each target's inputs (a fuzzing run's working
# corpus, or the committed one).  Needs llvm-cov and llvm-profdata of the same
# LLVM as clang.
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${1:-$top/tests/fuzz/corpus}
out=${COV_OUT:-$top/tests/fuzz/cov}
rm -rf "$out"
mkdir -p "$out"

# The files a target exists to exercise (what its coverage figure is about);
# FILE:REGEX counts only that file's functions whose names match REGEX.
files_of() {
	case $1 in
	config) echo src/core/config.c src/core/yamlfile.c src/core/dumpfmt.c src/core/physmem.c ;;
	gtruth) echo src/core/gtruth.c ;;
	expected) echo tools/mkdump/expected.c ;;
	session) echo src/core/session.c src/core/radix-session.c src/core/arch-session.c ;;
	elf) echo src/core/elfcore.c ;;
	lime) echo src/core/lime.c ;;
	iomem) echo src/core/iomem.c ;;
	idt) echo 'src/arch/intel.c:idt|gate|all_ones' src/arch/intel-cmd.c ;;
	dataflow) echo src/core/dataflow.c src/arch/arm-regrec.c src/arch/aarch64-regrec.c \
		src/arch/mips-regrec.c src/arch/ppc-regrec.c ;;
	commands) echo src/core/commands.c src/core/cmd-radix.c src/core/cmd-registers.c \
		src/core/cmd-export.c src/core/cmd-session.c src/core/cmd-machine.c ;;
	radix-intel) echo src/arch/intel.c src/core/radix.c ;;
	radix-riscv) echo src/arch/riscv.c src/core/radix.c ;;
	radix-arm) echo src/arch/arm-tables.c src/core/radix.c ;;
	radix-aarch64) echo src/arch/aarch64-tables.c src/core/radix.c ;;
	scan-mips) echo src/arch/mips-regrec.c src/core/regrec.c ;;
	scan-ppc) echo src/arch/ppc.c src/arch/ppc-htab.c src/arch/ppc-findings.c ;;
	esac
}

printf '%-14s %7s  %s\n' target inputs 'lines covered (file: covered/lines)'
for bin in "$top"/tests/fuzz/fuzz-*; do
	case $bin in *.c | *.o | *.h) continue ;; esac
	[ -x "$bin" ] || continue
	t=${bin##*/fuzz-}
	[ -d "$corpus/$t" ] || continue
	LLVM_PROFILE_FILE="$out/$t-%p.profraw" "$bin" "$corpus/$t" >/dev/null 2>&1 || true
	llvm-profdata merge -sparse "$out/$t"-*.profraw -o "$out/$t.profdata"
	rows=""
	covered=0
	total=0
	for spec in $(files_of "$t"); do
		f=${spec%%:*}
		if [ "$f" != "$spec" ]; then
			# The matching functions' rows: their Lines and Missed Lines.
			set -- $(llvm-cov report --show-functions "$bin" -instr-profile="$out/$t.profdata" "$top/$f" |
				awk -v re="${spec#*:}" '$1 ~ re && $5 ~ /^[0-9]+$/ {l += $5; m += $6} END {print l + 0, m + 0}')
		else
			# The file's row of the report: its Lines and Missed Lines columns
			# (a file without executable lines has no row: it counts as none).
			set -- $(llvm-cov report "$bin" -instr-profile="$out/$t.profdata" |
				awk -v f="$f" '$1 == f {print $8, $9}') 0 0
		fi
		lines=$1
		missed=$2
		covered=$((covered + lines - missed))
		total=$((total + lines))
		rows="$rows ${spec##*/}: $((lines - missed))/$lines"
	done
	[ "$total" -gt 0 ] || continue
	printf '%-14s %7s  %3s%% of %s lines:%s\n' "$t" "$(ls "$corpus/$t" | wc -l)" \
		"$((100 * covered / total))" "$total" "$rows"
done
