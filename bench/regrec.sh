#!/bin/sh
# Times find_registers_values (site scan + dataflow) on a 1 GiB dump.
#
#   bench/regrec.sh [MMUSHELL] [SIZE_MIB]
#
# Builds a dump of SIZE_MIB (default 1024) random bytes with code fragments
# planted every 64 MiB (the spec's A64 vectors V1-V4 for aarch64, A1-A3 for
# arm), runs find_registers_values on it as aarch64 and as arm (A32 +
# Thumb-2 scan), cold and warm page cache when possible, then on the real
# dumps of the harness if they exist (/root/dumps or $DUMPS).  Reports wall
# time, the scan and dataflow times mmushell measures, and the site counts.
set -eu

MMUSHELL=${1:-${MMUSHELL:-./mmushell}}
SIZE_MIB=${2:-1024}
DUMPS=${DUMPS:-/root/dumps}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}}/mmushell-bench-regrec
mkdir -p "$WORK"

[ -x "$MMUSHELL" ] || { echo "bench: no mmushell at $MMUSHELL (give its path)" >&2; exit 1; }

# 32-bit little-endian words from hex arguments to stdout.
words() {
	for w in "$@"; do
		printf "\\$(printf %03o $((0x$w & 255)))\\$(printf %03o $((0x$w >> 8 & 255)))"
		printf "\\$(printf %03o $((0x$w >> 16 & 255)))\\$(printf %03o $((0x$w >> 24 & 255)))"
	done
}

A64='d286a32a f2b6a20a f2c0002a d518204a d286a00a f2b6a20a b0000009 f9400129 b340152a d5380705 d34008a5
d28000a6 eb0600bf 9a8580c5 b36008aa d518204a d65f03c0 d2800321 b4000040 d2800201 b2610021 d5182041 d65f03c0'
A32='e12fff1e e3a0a000 ee07af15 f57ff04f ee02af50 e12fff1e e59f2024 e3003002 e3403000 e1822003 e3e04007
e0022004 e2822001 e2422001 e1a06002 ee026f50'

DUMP=$WORK/random-$SIZE_MIB.bin
if [ ! -f "$DUMP" ] || [ "$(wc -c <"$DUMP")" -ne $((SIZE_MIB * 1048576)) ]; then
	echo "bench: writing $SIZE_MIB MiB of random bytes to $DUMP"
	head -c $((SIZE_MIB * 1048576)) /dev/urandom >"$DUMP"
	# shellcheck disable=SC2086
	words $A64 >"$WORK/a64.bin"
	# shellcheck disable=SC2086
	words $A32 >"$WORK/a32.bin"
	mib=16
	while [ $mib -lt "$SIZE_MIB" ]; do
		dd if="$WORK/a64.bin" of="$DUMP" bs=4096 seek=$((mib * 256)) conv=notrunc status=none
		dd if="$WORK/a32.bin" of="$DUMP" bs=4096 seek=$((mib * 256 + 1)) conv=notrunc status=none
		mib=$((mib + 64))
	done
fi

END=$(printf '0x%x' $((0x40000000 + SIZE_MIB * 1048576 - 1)))
for arch in aarch64 arm; do
	case $arch in
	aarch64) mode=long bits=64 ;;
	arm) mode=short bits=32 ;;
	esac
	cat >"$WORK/$arch.yaml" <<EOF
cpu: {architecture: $arch, endianness: little, bits: $bits}
mmu: {mode: $mode}
memspace:
  ram: [{start: 0x40000000, end: $END, dumpfile: $DUMP}]
EOF
done

# Drops the page cache when allowed, so the first run reads from disk.
drop_cache() {
	sync
	if [ -w /proc/sys/vm/drop_caches ]; then
		echo 1 >/proc/sys/vm/drop_caches && return 0
	fi
	return 1
}

run() {
	label=$1
	shift
	t0=$(date +%s.%N)
	out=$("$MMUSHELL" --batch --json -e find_registers_values "$@")
	t1=$(date +%s.%N)
	scan=$(printf '%s' "$out" | sed -n 's/.*"scan_seconds": \([0-9.e+-]*\).*/\1/p')
	ana=$(printf '%s' "$out" | sed -n 's/.*"analyse_seconds": \([0-9.e+-]*\).*/\1/p')
	sites=$(printf '%s' "$out" | sed -n 's/.*"result": {[^}]*"sites": \([0-9]*\).*/\1/p')
	analysed=$(printf '%s' "$out" | sed -n 's/.*"analysed_sites": \([0-9]*\), "dropped_sites.*/\1/p')
	sel=$(printf '%s' "$out" | sed -n 's/.*"selected": \("0x[0-9a-f]*"\|null\).*/\1/p')
	printf '%-34s wall %6.2f s  scan %6.2f s  dataflow %6.2f s  sites %7s  analysed %5s  selected %s\n' \
		"$label" "$(echo "$t1 - $t0" | bc)" "$scan" "$ana" "$sites" "$analysed" "$sel"
}

echo "mmushell: $MMUSHELL   threads: $(nproc)"
for arch in aarch64 arm; do
	if drop_cache; then
		run "$arch random ${SIZE_MIB} MiB (cold)" "$WORK/$arch.yaml"
	fi
	run "$arch random ${SIZE_MIB} MiB (warm)" "$WORK/$arch.yaml"
done
for t in aarch64 armhf armhf-lpae; do
	y=$DUMPS/$t/$t.yaml
	[ -f "$y" ] || continue
	if drop_cache; then
		run "$t real (cold)" "$y"
	fi
	run "$t real (warm)" "$y"
done
