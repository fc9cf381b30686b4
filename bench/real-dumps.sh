#!/bin/sh
# Accuracy on real dumps made by ../shared/harness (not part of make check:
# the dumps are 1 GiB each and never committed).  For every target present
# in DUMPS it runs the architecture's pipeline with the ground truth and
# prints the ground-truth comparison and the time taken.
#
# usage: bench/real-dumps.sh [BUILD_DIR] [DUMPS]   (defaults: . and $HOME/dumps)
set -u
B=${1:-.}
D=${2:-$HOME/dumps}
MMUSHELL="$B/mmushell"
printf '%-11s %8s  %s\n' target seconds results
for dir in "$D"/*/; do
	t=$(basename "$dir")
	y="$dir/$t.yaml"
	g="$dir/$t.gtruth.yaml"
	[ -f "$y" ] && [ -f "$g" ] || continue
	arch=$(sed -n 's/^ *architecture: *//p' "$y" | head -1)
	case "$arch" in
	intel) steps="-e parse_memory -e find_radix_trees -e show_radix_trees_gtruth -e show_idtrs_gtruth" ;;
	riscv) steps="-e parse_memory -e find_radix_trees -e show_radix_trees_gtruth" ;;
	arm | aarch64) steps="-e find_registers_values -e find_tables -e find_radix_trees -e show_radix_trees_gtruth -e show_registers_gtruth" ;;
	*) steps="-e parse_memory -e find_registers_values -e show_registers_gtruth" ;;
	esac
	start=$(date +%s.%N)
	# shellcheck disable=SC2086
	out=$("$MMUSHELL" --batch --json --gtruth "$g" $steps "$y" 2>&1)
	end=$(date +%s.%N)
	secs=$(echo "$end - $start" | bc)
	res=$(printf '%s\n' "$out" | python3 -c '
import json, sys
parts = []
for line in sys.stdin:
    try:
        j = json.loads(line)
    except ValueError:
        continue
    r = j.get("result") or {}
    c = j["command"]
    if not j["ok"]:
        parts.append("%s FAILED: %s" % (c, j["error"]))
    elif c == "show_radix_trees_gtruth":
        parts.append("trees TP %d FN %d FP %d (kernel-only FP %d)" % (r["tp"], r["fn"], r["fp"], r["fp_kernel_only"]))
    elif c == "show_idtrs_gtruth":
        parts.append("IDT TP %d FP %d FN %d" % (r["tp"], r["fp"], r["fn"]))
    elif c == "show_registers_gtruth":
        parts.append("registers TP %d FP %d FN %d" % (r["tp"], r["fp"], r["fn"]))
print("; ".join(parts))')
	printf '%-11s %8.2f  %s\n' "$t" "$secs" "$res"
done
