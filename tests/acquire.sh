#!/bin/sh
# mmushell-acquire on fixtures: a synthetic /proc/iomem, a kcore-style ELF
# (p_paddr = physical, p_vaddr on a fake direct map, plus a kernel-text alias
# and a segment without a physical address) and a /dev/mem-style file.  Every
# format must load in mmushell with the fixture's memory map and bytes.
. "${top_srcdir:-.}/tests/lib.sh"
: "${MMUSHELL_ACQUIRE:?MMUSHELL_ACQUIRE must name the mmushell-acquire binary}"
: "${MKCORE:?MKCORE must name the tests/mkcore helper}"
A=$MMUSHELL_ACQUIRE

cat >"$T/iomem" <<'EOF'
00000000-00000fff : Reserved
00001000-0009fbff : System RAM
0009fc00-000fffff : Reserved
  000f0000-000fffff : System ROM
00100000-002fffff : System RAM
  00100000-0010ffff : Kernel code
fec00000-fec003ff : IOAPIC 0
100000000-1000fffff : System RAM
EOF
printf 'processor\t: 0\naddress sizes\t: 39 bits physical, 48 bits virtual\n' >"$T/cpuinfo"
# The source holds only the first half of the last RAM range.
"$MKCORE" elf64le "$T/kcore" --vaddr-offset 0xffff888000000000 --kcore \
	0x1000:0x9ec00:1 0x100000:0x200000:2 0x100000000:0x80000:3 || fail "mkcore kcore"
"$MKCORE" mem "$T/physmem" --size 0x100080000 \
	0x1000:0x9ec00:1 0x100000:0x200000:2 0x100000000:0x80000:3 || fail "mkcore mem"
# The reference: what the dump must hold (unreadable pages zero-filled).
"$MKCORE" raw "$T/ref" 0x1000:0x9ec00:1 0x100000:0x200000:2 0x100000000:0x100000:3:0x80000 || fail "mkcore raw"
cat >"$T/ref.yaml" <<'EOF'
cpu: {architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 39}}
mmu: {mode: ia64}
memspace:
  ram:
    - {start: 0x1000, end: 0x9fbff, dumpfile: ref.0}
    - {start: 0x100000, end: 0x2fffff, dumpfile: ref.1}
    - {start: 0x100000000, end: 0x1000fffff, dumpfile: ref.2}
  not_ram:
    - {start: 0x0, end: 0xfff}
    - {start: 0x9fc00, end: 0xfffff}
    - {start: 0xfec00000, end: 0xfec003ff}
EOF

map_of() {
	f=$1
	shift
	"$MMUSHELL" --batch --json "$@" -e show_memory_map "$f" | sed 's/, "dumpfile": "[^"]*"//g'
}
machine_of() {
	"$MMUSHELL" --batch --json -e show_machine "$@" >"$T/machine.json"
	grep -o '"architecture": "[^"]*", "mode": "[^"]*", "endianness": "[^"]*", "bits": [0-9]*, "ram_bytes": [0-9]*' "$T/machine.json"
	grep -o '"processor_features": {[^}]*}' "$T/machine.json"
}
want_map=$(map_of "$T/ref.yaml")
want_machine=$(machine_of "$T/ref.yaml")

# The RAM regions of a machine YAML written by the tool, one "START END FILE OFFSET" line each.
regions_of() {
	sed -n 's/^    - {start: \(0x[0-9a-f]*\), end: \(0x[0-9a-f]*\), dumpfile: \([^,}]*\)\(, offset: \(0x[0-9a-f]*\)\)\{0,1\}}$/\1 \2 \3 \5/p' "$1"
}

# check_output DIR FORMAT: the YAML loads with the fixture's map; every RAM byte equals the reference.
check_output() {
	d=$1
	checks=$((checks + 1))
	[ "$(map_of "$d/machine.yaml")" = "$want_map" ] || {
		fail "$d/machine.yaml: memory map differs"
		map_of "$d/machine.yaml" >&2
	}
	checks=$((checks + 1))
	[ "$(machine_of "$d/machine.yaml")" = "$want_machine" ] || fail "$d/machine.yaml: machine differs"
	n=0
	regions_of "$d/machine.yaml" >"$T/regions"
	[ "$(wc -l <"$T/regions")" -eq 3 ] || fail "$d/machine.yaml: expected 3 RAM regions"
	while read -r start end file offset; do
		checks=$((checks + 1))
		size=$((end - start + 1))
		cmp -s -n "$size" "$d/$file" "$T/ref.$n" "$((${offset:-0}))" 0 || fail "$d/$file: range $start-$end differs from the source"
		n=$((n + 1))
	done <"$T/regions"
	expect_grep "$d/acquire.log" "skipped 0xfec00000-0xfec003ff 1.0 KiB (IOAPIC 0)"
	expect_grep "$d/acquire.log" "total: 3795968 bytes of RAM in 3 ranges, 128 unreadable pages"
}

for f in raw elf lime; do
	expect_rc 0 "$A" -o "$T/$f" --format $f --iomem "$T/iomem" --mem "$T/kcore" --cpuinfo "$T/cpuinfo"
	checks=$((checks + 1))
	[ -s "$T/err" ] && fail "$f: stderr must stay empty when it is not a terminal (no progress)"
	expect_grep "$T/out" "3.6 MiB of RAM in 3 ranges, 128 unreadable pages (zero-filled, listed in $T/$f/acquire.log)"
	expect_grep "$T/out" "machine description: $T/$f/machine.yaml (intel ia64, 64-bit)"
	check_output "$T/$f"
	expect_grep "$T/$f/acquire.log" "unreadable 0x100080000-0x1000fffff (128 pages, zero-filled): not mapped by any kcore PT_LOAD"
	expect_grep "$T/$f/acquire.log" "architecture intel, 64-bit little-endian: from $T/kcore's ELF header (e_machine EM_X86_64)"
done
# The ELF dump alone says everything (its MMUSHELL note carries mode, m_phy and not_ram).
checks=$((checks + 1))
[ "$(map_of "$T/elf/memory.elf")" = "$want_map" ] || fail "memory.elf alone: memory map differs"
checks=$((checks + 1))
[ "$(machine_of "$T/elf/memory.elf")" = "$want_machine" ] || fail "memory.elf alone: machine differs"
if command -v readelf >/dev/null 2>&1; then
	checks=$((checks + 1))
	readelf -l "$T/elf/memory.elf" 2>/dev/null | grep -q "There are 4 program headers" || fail "readelf -l memory.elf"
fi
# The LiME dump alone needs --arch and has no not_ram.
expect_rc 0 "$MMUSHELL" --batch -e show_machine --arch x86_64 --m-phy 39 "$T/lime/memory.lime"
expect_grep "$T/out" "RAM:          3.6 MiB in 3 regions"
expect_grep "$T/out" "  0x0000000100000000-0x00000001000fffff  $T/lime/memory.lime at offset 0x29ec60"

# /dev/mem-style source: a file indexed by physical address, ending half-way through the last range.
expect_rc 0 "$A" -o "$T/mem" --source mem --iomem "$T/iomem" --mem "$T/physmem" --cpuinfo "$T/cpuinfo" --machine x86_64
check_output "$T/mem"
expect_grep "$T/mem/acquire.log" "unreadable 0x100080000-0x1000fffff (128 pages, zero-filled): end of file"
expect_grep "$T/mem/acquire.log" "architecture intel, 64-bit little-endian: from --machine x86_64"

# Progress appears on a terminal: bytes, rate and ETA.
if command -v script >/dev/null 2>&1; then
	expect_rc 0 script -qec "'$A' -o '$T/tty' -f elf --iomem '$T/iomem' --mem '$T/kcore' --cpuinfo '$T/cpuinfo'" /dev/null
	expect_grep "$T/out" "3.6 MiB / 3.6 MiB (100%)"
	expect_grep "$T/out" "ETA 0:00"
fi

# It runs on the machine being imaged: it must need no library beyond libc (and libm);
# a sanitized build (--enable-sanitizers) adds the sanitizers' runtimes.
if command -v readelf >/dev/null 2>&1 && readelf -d "$A" >"$T/dyn" 2>/dev/null; then
	checks=$((checks + 1))
	grep 'NEEDED' "$T/dyn" | grep -v -E '\[(libc|libm|libasan|libubsan)\.so' >&2 &&
		fail "mmushell-acquire needs more than libc"
fi

# Errors.
expect_rc 1 "$A" --format raw
expect_file "$T/err" "mmushell-acquire: -o DIR is required (see --help)"
expect_rc 1 "$A" -o "$T/x" --format zip
expect_file "$T/err" "mmushell-acquire: --format must be raw, elf or lime (got 'zip')"
expect_rc 1 "$A" -o "$T/x" --source disk
expect_file "$T/err" "mmushell-acquire: --source must be kcore, crash or mem (got 'disk')"
expect_rc 0 "$A" --help
expect_grep "$T/out" "Usage: mmushell-acquire -o DIR [--format raw|elf|lime] [--source kcore|crash|mem]"
printf '00001000-0009fbff : System RAM\nnonsense\n' >"$T/bad-iomem"
expect_rc 1 "$A" -o "$T/x" --iomem "$T/bad-iomem" --mem "$T/kcore"
expect_file "$T/err" "mmushell-acquire: $T/bad-iomem:2: not a /proc/iomem line (START-END : NAME): 'nonsense'"
printf '00000000-00000000 : System RAM\n' >"$T/zero-iomem"
expect_rc 1 "$A" -o "$T/x" --iomem "$T/zero-iomem" --mem "$T/kcore"
expect_file "$T/err" "mmushell-acquire: $T/zero-iomem: every range reads 0-0: the kernel hides the addresses from users without root"
expect_rc 1 "$A" -o "$T/x" --iomem "$T/iomem" --mem "$T/absent"
expect_file "$T/err" "mmushell-acquire: $T/absent: cannot open: No such file or directory"
expect_rc 1 "$A" -o "$T/x" --source kcore --iomem "$T/iomem" --mem "$T/physmem"
expect_file "$T/err" "mmushell-acquire: $T/physmem: offset 0x0: not an ELF file (no \\x7fELF magic)"
expect_rc 1 "$A" -o /proc --iomem "$T/iomem" --mem "$T/kcore"
expect_file "$T/err" "mmushell-acquire: /proc: refusing to write under /proc"
expect_rc 1 "$A" -o /dev/mmushell-acquire-test-$$ --iomem "$T/iomem" --mem "$T/kcore"
expect_file "$T/err" "mmushell-acquire: /dev: refusing to write under /dev"
checks=$((checks + 1))
[ -e /dev/mmushell-acquire-test-$$ ] && fail "a folder was created under /dev"
expect_rc 1 "$A" -o "$T/raw" --iomem "$T/iomem" --mem "$T/kcore"
expect_file "$T/err" "mmushell-acquire: $T/raw/dump.0: cannot create: File exists (choose an empty output folder)"
expect_rc 1 "$A" -o "$T/x" --iomem "$T/iomem" --mem "$T/kcore" --machine vax
expect_grep "$T/err" "mmushell-acquire: unknown machine 'vax' (--machine; known: intel, riscv, arm,"
if [ "$(id -u)" != 0 ]; then
	expect_rc 1 "$A" -o "$T/x"
	expect_grep "$T/err" "mmushell-acquire: reading physical memory needs root"
elif [ ! -e /proc/kcore ] && [ ! -e /dev/crash ] && [ ! -e /dev/mem ]; then
	expect_rc 1 "$A" -o "$T/x" --iomem "$T/iomem"
	expect_file "$T/err" "mmushell-acquire: no usable physical memory source (/proc/kcore: cannot open: No such file or directory; /dev/crash: cannot open: No such file or directory; /dev/mem: cannot open: No such file or directory)"
fi

finish
