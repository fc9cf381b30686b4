#!/bin/sh
# Benchmark of the radix engine (issue 4): generates IA-32e dumps of 1, 2 and
# 4 GiB with 300 processes, then times parse_memory + find_radix_trees
# against `cat` of the same files, both with a warm page cache, and reports
# the anonymous memory (heap) the analysis used.
#
# usage: bench/radix.sh [BUILD_DIR] [WORK_DIR] [SIZES]
#   BUILD_DIR  where mmushell and tools/mmushell-mkdump were built (default .)
#   WORK_DIR   scratch space for the dumps, about 7 GiB (default /tmp/mmushell-bench)
#   SIZES      default "1G 2G 4G"
set -eu
B=${1:-.}
W=${2:-/tmp/mmushell-bench}
SIZES=${3:-"1G 2G 4G"}
MMUSHELL="$B/mmushell"
MKDUMP="$B/tools/mmushell-mkdump"
mkdir -p "$W"

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

printf '%-5s %9s %9s %9s %7s %12s %7s %s\n' size gen_s cat_s mmu_s ratio anon_MiB heap% trees
for size in $SIZES; do
	d="$W/ia64-$size"
	t0=$(now)
	[ -f "$d/machine.yaml" ] || "$MKDUMP" --arch intel --mode ia64 --ram "$size" --processes 300 --seed 1 -o "$d" >/dev/null
	t1=$(now)
	cat "$d"/dump.* >/dev/null # warm the page cache
	t2=$(now)
	cat "$d"/dump.* >/dev/null
	t3=$(now)
	"$MMUSHELL" --batch --debug -e parse_memory -e find_radix_trees "$d/machine.yaml" >"$W/out" 2>"$W/err"
	t4=$(now)
	"$MMUSHELL" --batch --debug -e parse_memory -e find_radix_trees "$d/machine.yaml" >"$W/out" 2>"$W/err"
	t5=$(now)
	cat_s=$(elapsed "$t2" "$t3")
	mmu_s=$(elapsed "$t4" "$t5")
	anon=$(sed -n 's/.*find_radix_trees: .* anonymous memory \([0-9]*\) KiB/\1/p' "$W/err")
	bytes=$(du -b --apparent-size -c "$d"/dump.* | tail -1 | cut -f1)
	trees=$(sed -n 's/^Found \([0-9]*\) radix trees.*/\1/p' "$W/out")
	printf '%-5s %9.2f %9.2f %9.2f %7.2f %12.1f %7.2f %s\n' "$size" "$(elapsed "$t0" "$t1")" "$cat_s" "$mmu_s" \
		"$(echo "$mmu_s / $cat_s" | bc -l)" "$(echo "$anon / 1024" | bc -l)" \
		"$(echo "$anon * 1024 * 100 / $bytes" | bc -l)" "$trees"
done
