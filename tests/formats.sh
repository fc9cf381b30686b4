#!/bin/sh
# ELF cores and LiME files as MACHINE_CONFIG, through the real binary: the
# same memory as raw files + YAML gives the same machine and memory map, the
# regions point at the right bytes, and malformed files give their message.
. "${top_srcdir:-.}/tests/lib.sh"
: "${MKCORE:?MKCORE must name the tests/mkcore helper}"

R="0x0:0x4000:1 0x4000:0x2000:2 0x10000:0x1000:3"
"$MKCORE" raw "$T/r" $R || fail "mkcore raw"
"$MKCORE" mem "$T/phys" $R || fail "mkcore mem"

# yaml FILE CPU_AND_MMU: the raw files with that machine.
yaml() {
	printf '%s\nmemspace:\n  ram:\n    - {start: 0x0, end: 0x3fff, dumpfile: r.0}\n    - {start: 0x4000, end: 0x5fff, dumpfile: r.1}\n    - {start: 0x10000, end: 0x10fff, dumpfile: r.2}\n' "$2" >"$1"
}

# The memory map without its RAM rows (one per dump file: an ELF core merges
# touching segments), and the machine's main facts, as JSON text.  RAM is
# still compared: its total, the holes and not-RAM around it, and its bytes.
map_of() {
	f=$1
	shift
	"$MMUSHELL" --batch --json "$@" -e show_memory_map "$f" |
		sed -e 's/{"start": "[^"]*", "end": "[^"]*", "size": [0-9]*, "kind": "ram", "dumpfile": "[^"]*"}\(, \)\{0,1\}//g'
}
machine_of() {
	f=$1
	shift
	"$MMUSHELL" --batch --json "$@" -e show_machine "$f" >"$T/machine.json"
	grep -o '"architecture": "[^"]*", "mode": "[^"]*", "endianness": "[^"]*", "bits": [0-9]*, "ram_bytes": [0-9]*' "$T/machine.json"
	grep -o '"processor_features": {[^}]*}' "$T/machine.json"
}

# same_as_yaml FILE YAML [OPTIONS]: equal machine and map, and each region's bytes (at its file offset) are the memory's.
same_as_yaml() {
	f=$1
	y=$2
	shift 2
	checks=$((checks + 1))
	[ "$(map_of "$f" "$@")" = "$(map_of "$y")" ] || fail "$f: memory map differs from $y"
	checks=$((checks + 1))
	[ "$(machine_of "$f" "$@")" = "$(machine_of "$y")" ] || {
		fail "$f: machine differs from $y"
		machine_of "$f" "$@" >&2
		machine_of "$y" >&2
	}
	"$MMUSHELL" --batch --json "$@" -e show_machine "$f" |
		grep -o '"start": "0x[0-9a-f]*", "end": "0x[0-9a-f]*", "size": [0-9]*, "dumpfile": "[^"]*", "offset": [0-9]*' |
		sed 's/^"start": "\(0x[0-9a-f]*\)", "end": "\(0x[0-9a-f]*\)", "size": \([0-9]*\), "dumpfile": "[^"]*", "offset": \([0-9]*\)$/\1 \2 \3 \4/' >"$T/regions"
	[ -s "$T/regions" ] || fail "$f: no region with a file offset"
	while read -r start _end size offset; do
		checks=$((checks + 1))
		cmp -s -n "$size" "$f" "$T/phys" "$offset" "$((start))" || fail "$f: bytes at offset $offset differ from memory at $start"
	done <"$T/regions"
}

# ELF32/ELF64, both byte orders, every architecture's e_machine.
check_elf() { # FORMAT E_MACHINE CPU_AND_MMU
	"$MKCORE" "$1" "$T/core.elf" --machine "$2" $R || fail "mkcore $1"
	yaml "$T/r.yaml" "$3"
	same_as_yaml "$T/core.elf" "$T/r.yaml"
}
check_elf elf64le 62 "cpu: {architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 40}}
mmu: {mode: ia64}"
check_elf elf32le 3 "cpu: {architecture: intel, endianness: little, bits: 32, processor_features: {m_phy: 36}}
mmu: {mode: pae}"
check_elf elf64be 183 "cpu: {architecture: aarch64, endianness: big, bits: 64}
mmu: {mode: long}"
check_elf elf64le 183 "cpu: {architecture: aarch64, endianness: little, bits: 64}
mmu: {mode: long}"
check_elf elf32le 40 "cpu: {architecture: arm, endianness: little, bits: 32}
mmu: {mode: short}"
check_elf elf32be 20 "cpu: {architecture: ppc, endianness: big, bits: 32}
mmu: {mode: ppc32}"
check_elf elf32le 8 "cpu: {architecture: mips, endianness: little, bits: 32}
mmu: {mode: mips32}"
check_elf elf64le 243 "cpu: {architecture: riscv, endianness: little, bits: 64}
mmu: {mode: sv39}"

# Options fill what the file does not say.
"$MKCORE" elf32le "$T/core.elf" --machine 40 $R
yaml "$T/r.yaml" "cpu: {architecture: arm, endianness: little, bits: 32}
mmu: {mode: long}"
same_as_yaml "$T/core.elf" "$T/r.yaml" --mode long
"$MKCORE" elf64le "$T/core.elf" --machine 62 $R
yaml "$T/r.yaml" "cpu: {architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 46}}
mmu: {mode: la57}"
same_as_yaml "$T/core.elf" "$T/r.yaml" --mode la57 --m-phy 46
expect_rc 0 "$MMUSHELL" --batch -e show_machine --mode la57 "$T/core.elf"
expect_grep "$T/out" "  mode         la57, from --mode"
expect_grep "$T/out" "  m_phy        40, default for 64-bit intel: the dump does not record MAXPHYADDR (--m-phy sets it)"
expect_grep "$T/out" "  0x0000000000000000-0x0000000000005fff  $T/core.elf at offset 0x1000"

# --iomem: the kernel's map clips RAM to System RAM and gives not_ram.
printf '00000000-00000fff : Reserved\n00001000-00005fff : System RAM\n00010000-00010fff : System RAM\nfec00000-fec003ff : IOAPIC 0\n' >"$T/iomem"
cat >"$T/io.yaml" <<EOF
cpu: {architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 40}}
mmu: {mode: ia64}
memspace:
  ram:
    - {start: 0x1000, end: 0x5fff, dumpfile: core.elf, offset: 0x2000}
    - {start: 0x10000, end: 0x10fff, dumpfile: core.elf, offset: 0x7000}
  not_ram:
    - {start: 0x0, end: 0xfff}
    - {start: 0xfec00000, end: 0xfec003ff}
EOF
checks=$((checks + 1))
[ "$(map_of "$T/core.elf" --iomem "$T/iomem")" = "$(map_of "$T/io.yaml")" ] || fail "--iomem: memory map differs"
expect_rc 1 "$MMUSHELL" --batch -e show_machine --iomem "$T/iomem" "$T/r.yaml"
expect_file "$T/err" "mmushell: $T/r.yaml: --iomem applies to ELF core and LiME inputs; a machine YAML sets the architecture, MMU mode, m_phy and not_ram itself"

# LiME: the architecture comes from --arch; the byte order from --arch or the headers.
"$MKCORE" lime "$T/mem.lime" $R
yaml "$T/r.yaml" "cpu: {architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 40}}
mmu: {mode: ia64}"
same_as_yaml "$T/mem.lime" "$T/r.yaml" --arch x86_64
"$MKCORE" limebe "$T/mem.lime" $R
yaml "$T/r.yaml" "cpu: {architecture: mips, endianness: big, bits: 32}
mmu: {mode: mips32}"
same_as_yaml "$T/mem.lime" "$T/r.yaml" --arch mips

# Errors: one message naming the file (and the offset), exit 1.
expect_rc 1 "$MMUSHELL" --batch -e show_machine "$T/mem.lime"
expect_grep "$T/err" "mmushell: $T/mem.lime: a LiME file does not say which machine it comes from: give --arch (one of intel, riscv, arm, aarch64, mips, ppc, x86_64,"
expect_rc 1 "$MMUSHELL" --batch -e show_machine --arch x86_64 "$T/r.yaml"
expect_file "$T/err" "mmushell: $T/r.yaml: --arch applies to ELF core and LiME inputs; a machine YAML sets the architecture, MMU mode, m_phy and not_ram itself"
expect_rc 1 "$MMUSHELL" --batch -e show_machine --m-phy 60 "$T/core.elf"
expect_file "$T/err" "mmushell: --m-phy needs a number of bits from 1 to 52 (got '60')"
expect_rc 1 "$MMUSHELL" --batch -e show_machine --arch aarch64 "$T/core.elf"
expect_file "$T/err" "mmushell: $T/core.elf: --arch aarch64 does not match the file's e_machine EM_X86_64 (intel)"
expect_rc 1 "$MMUSHELL" --batch -e show_machine --mode sv39 "$T/core.elf"
expect_file "$T/err" "mmushell: $T/core.elf: unknown MMU mode 'sv39' (--mode) for architecture intel (accepted: ia32, pae, ia64, la57)"

"$MKCORE" elf64be "$T/be.elf" --machine 62 $R
expect_rc 1 "$MMUSHELL" --batch -e show_machine "$T/be.elf"
expect_file "$T/err" "mmushell: $T/be.elf: architecture intel does not run big-endian"
printf '\177ELF\002\001\001' >"$T/tiny.elf"
expect_rc 1 "$MMUSHELL" --batch -e show_machine "$T/tiny.elf"
expect_file "$T/err" "mmushell: $T/tiny.elf: offset 0x0: truncated ELF header: the file has only 7 bytes"
head -c 100 "$T/core.elf" >"$T/cut.elf"
expect_rc 1 "$MMUSHELL" --batch -e show_machine "$T/cut.elf"
expect_file "$T/err" "mmushell: $T/cut.elf: offset 0x20: the program header table (3 entries of 56 bytes at offset 0x40) runs past the end of the file (100 bytes)"
head -c $((0x7800)) "$T/core.elf" >"$T/cut.elf"
expect_rc 1 "$MMUSHELL" --batch -e show_machine "$T/cut.elf"
expect_file "$T/err" "mmushell: $T/cut.elf: offset 0xb0: PT_LOAD (program header 2) data at 0x7000, 0x1000 bytes, runs past the end of the file (30720 bytes)"
# e_type patched to ET_EXEC (offset 0x10, little-endian 2).
cp "$T/core.elf" "$T/exec.elf"
printf '\002' | dd of="$T/exec.elf" bs=1 seek=16 conv=notrunc 2>/dev/null
expect_rc 1 "$MMUSHELL" --batch -e show_machine "$T/exec.elf"
expect_file "$T/err" "mmushell: $T/exec.elf: offset 0x10: e_type is 2 (ET_EXEC), not ET_CORE: this ELF file is not a memory dump"
head -c 40 "$T/mem.lime" >"$T/cut.lime"
expect_rc 1 "$MMUSHELL" --batch -e show_machine --arch mips "$T/cut.lime"
expect_file "$T/err" "mmushell: $T/cut.lime: offset 0x0: LiME range 0x0-0x3fff needs 0x4000 bytes but the file has 0x8 after the header"

# Extended numbering: more than 65534 program headers, readable by readelf too.
"$MKCORE" elf64le "$T/many.elf" --split 16 --align 16 0x100000:$((70000 * 16)):5 || fail "mkcore many"
expect_rc 0 "$MMUSHELL" --batch -e show_machine "$T/many.elf"
expect_grep "$T/out" "ELF64 little-endian, e_machine EM_X86_64, 70000 program headers"
expect_grep "$T/out" "ram          1 region from 70000 PT_LOAD segments"
if command -v readelf >/dev/null 2>&1; then
	checks=$((checks + 1))
	readelf -h "$T/many.elf" 2>/dev/null | grep -q "Number of program headers: *65535 (70000)" ||
		fail "readelf does not see 70000 program headers"
fi

finish
