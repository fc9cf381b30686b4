#!/bin/sh
# The bad-input catalogue (doc/bad-input.md), entry by entry through the real
# binary: each input gives exactly the message the catalogue shows and exit 1,
# never a signal.  "# bad-input ID" marks the entry each check covers
# (tests/bad-input-ids.sh checks every entry has one).  ELF, LiME and
# session internals are in tests/test_badinput.c.
. "${top_srcdir:-.}/tests/lib.sh"

M=$MMUSHELL
# expect_err WANT_MESSAGE CMD...: exit 1 and exactly that message on stderr.
expect_err() {
	message=$1
	shift
	expect_rc 1 "$@"
	expect_file "$T/err" "$message"
}

# A RISC-V machine of 64 KiB of zeros, and an Intel one.
head -c 65536 /dev/zero >"$T/ram.bin"
Y=$T/m.yaml
cat >"$Y" <<EOF
cpu: {architecture: riscv, endianness: little, bits: 64}
mmu: {mode: sv39}
memspace:
  ram: [{start: 0x80000000, end: 0x8000ffff, dumpfile: ram.bin}]
  not_ram: [{start: 0x10000000, end: 0x10000fff}]
EOF
cat >"$T/intel.yaml" <<EOF
cpu: {architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 39}}
mmu: {mode: ia64}
memspace:
  ram: [{start: 0x0, end: 0xffff, dumpfile: ram.bin}]
EOF

# ---- command line ----
# bad-input C01
expect_err "mmushell: unknown option '--frobnicate' (see --help)" "$M" --frobnicate "$Y"
# bad-input C02
expect_err "mmushell: option '-e' needs an argument" "$M" --batch -e
# bad-input C03
expect_err "mmushell: --threads needs a number from 1 to 1024 (got '2000')" "$M" --batch --threads 2000 "$Y"
# bad-input C04
expect_err "mmushell: --m-phy needs a number of bits from 1 to 52 (got 'x')" "$M" --batch --m-phy x "$Y"
# bad-input C05
expect_err "mmushell: missing MACHINE_CONFIG (see --help)" "$M" --batch
# bad-input C06
expect_err "mmushell: unexpected argument 'more' after MACHINE_CONFIG" "$M" --batch "$Y" more
# bad-input C07
expect_err "mmushell: --json goes with --batch" "$M" --json "$Y"
# bad-input C08
expect_rc 1 sh -c "'$M' '$Y' </dev/null >/dev/null"
expect_grep "$T/err" "mmushell: the explorer needs a terminal (standard input and output are not both terminals); use --batch to run commands without it, e.g. mmushell --batch -e help $Y"
# bad-input C09
expect_err "mmushell: --keys and --dump-screen drive the explorer: not with --batch" "$M" --batch --keys k "$Y"
# bad-input C10
expect_err "mmushell: $Y: --mode applies to ELF core and LiME inputs; a machine YAML sets the architecture, MMU mode, m_phy and not_ram itself" \
	"$M" --batch --mode sv48 "$Y"

# ---- machine YAML ----
# yaml_err WANT_AFTER_PATH TEXT: the YAML's message, after "mmushell: PATH".
yaml_err() {
	printf '%s\n' "$2" >"$T/bad.yaml"
	expect_err "mmushell: $T/bad.yaml$1" "$M" --batch -e show_machine "$T/bad.yaml"
}
CPU='cpu: {architecture: riscv, endianness: little, bits: 64}'
MMU='mmu: {mode: sv39}'
RAM='memspace: {ram: [{start: 0x80000000, end: 0x8000ffff, dumpfile: ram.bin}]}'
# bad-input Y01
expect_err "mmushell: $T/absent.yaml: cannot open: No such file or directory" "$M" --batch "$T/absent.yaml"
# bad-input Y02
yaml_err ":2:1: malformed YAML: did not find expected ',' or ']' while parsing a flow sequence" "cpu: [1, 2"
# bad-input Y03
yaml_err ":1:69: YAML nested deeper than 64 levels" \
	"cpu: $(i=0; while [ $i -lt 70 ]; do printf '['; i=$((i + 1)); done)"
# bad-input Y04
head -c $((17 << 20)) /dev/zero >"$T/huge.yaml"
expect_err "mmushell: $T/huge.yaml: too large for a machine description (more than 16 MiB)" "$M" --batch "$T/huge.yaml"
rm -f "$T/huge.yaml"
# bad-input Y05
yaml_err ": empty YAML document: a machine description needs cpu, mmu and memspace" "# nothing"
# bad-input Y06
yaml_err ":1:1: the machine description must be a mapping with cpu, mmu and memspace, not a list" "[cpu, mmu]"
# bad-input Y07
yaml_err ":1:1: missing required key 'mmu'" "$CPU
$RAM"
yaml_err ":1:6: missing required key 'cpu.bits'" "cpu: {architecture: riscv, endianness: little}
$MMU
$RAM"
# bad-input Y08
yaml_err ":3:17: 'memspace.ram' must be a list, not a mapping" "$CPU
$MMU
memspace: {ram: {start: 0}}"
# bad-input Y09
yaml_err ":1:21: 'cpu.architecture' must not be empty" "cpu: {architecture: '', endianness: little, bits: 64}
$MMU
$RAM"
# bad-input Y10
yaml_err ":1:21: unknown architecture 'vax' (known: intel, riscv, arm, aarch64, mips, ppc)" \
	"cpu: {architecture: vax, endianness: little, bits: 64}
$MMU
$RAM"
# bad-input Y11
yaml_err ":1:40: 'cpu.endianness' must be little or big (got 'middle')" \
	"cpu: {architecture: riscv, endianness: middle, bits: 64}
$MMU
$RAM"
# bad-input Y12
yaml_err ":1:54: 'cpu.bits' must be 32 or 64 (got 16)" "cpu: {architecture: riscv, endianness: little, bits: 16}
$MMU
$RAM"
# bad-input Y13
yaml_err ":1:54: 'cpu.bits' must be an integer, decimal or 0x hexadecimal (got 'sixty-four')" \
	"cpu: {architecture: riscv, endianness: little, bits: sixty-four}
$MMU
$RAM"
# bad-input Y14
yaml_err ":3:26: 'memspace.ram[0].start' must be a non-negative integer (got '-1')" "$CPU
$MMU
memspace: {ram: [{start: -1, end: 0xffff, dumpfile: ram.bin}]}"
# bad-input Y15
yaml_err ":2:13: unknown MMU mode 'sv64' for architecture riscv (accepted: sv32, sv39, sv48, sv57)" "$CPU
mmu: {mode: sv64}
$RAM"
# bad-input Y16
yaml_err ":2:13: MMU mode sv39 needs cpu.bits 64 (got 32)" "cpu: {architecture: riscv, endianness: little, bits: 32}
$MMU
$RAM"
# bad-input Y17
yaml_err ":1:40: architecture riscv does not run big-endian" "cpu: {architecture: riscv, endianness: big, bits: 64}
$MMU
$RAM"
# bad-input Y18
yaml_err ":1:82: 'cpu.registers_values.TTBCR' must be an integer, decimal or 0x hexadecimal (got 'zero')" \
	"cpu: {architecture: arm, endianness: little, bits: 32, registers_values: {TTBCR: zero}}
mmu: {mode: short}
$RAM"
# bad-input Y19
yaml_err ":1:79: 'cpu.processor_features' keys must be names" \
	"cpu: {architecture: riscv, endianness: little, bits: 64, processor_features: {[1]: 2}}
$MMU
$RAM"
# bad-input Y20
yaml_err ":3:18: 'memspace.ram[0]' must be a mapping with start and end, not a scalar" "$CPU
$MMU
memspace: {ram: [0x80000000]}"
# bad-input Y21
yaml_err ":3:43: memspace.ram[0]: end 0xffff is below start 0x80000000" "$CPU
$MMU
memspace: {ram: [{start: 0x80000000, end: 0xffff, dumpfile: ram.bin}]}"
# bad-input Y22
yaml_err ":3:17: 'memspace.ram' is empty: at least one RAM region is needed" "$CPU
$MMU
memspace: {ram: []}"
# bad-input Y23
yaml_err ":5:5: memspace.ram[1] [0x8000f000-0x8001efff] overlaps memspace.ram[0] [0x80000000-0x8000ffff]" "$CPU
$MMU
memspace:
  ram: [{start: 0x80000000, end: 0x8000ffff, dumpfile: ram.bin},
    {start: 0x8000f000, end: 0x8001efff, dumpfile: ram.bin}]"
# bad-input Y24
yaml_err ":1:6: architecture intel needs cpu.processor_features.m_phy (MAXPHYADDR, e.g. 36 or 39)" \
	"cpu: {architecture: intel, endianness: little, bits: 64}
mmu: {mode: ia64}
$RAM"
yaml_err ":1:86: cpu.processor_features.m_phy must be between 1 and 52 (got 64)" \
	"cpu: {architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 64}}
mmu: {mode: ia64}
$RAM"
# bad-input Y25
yaml_err ":1:54: 'cpu.bits' must be an integer, not a quoted string ('64')" \
	"cpu: {architecture: riscv, endianness: little, bits: '64'}
$MMU
$RAM"
yaml_err ":1:88: 'cpu.registers_values.TCR_EL1' must be an integer, not a quoted string ('0x1')" \
	"cpu: {architecture: aarch64, endianness: little, bits: 64, registers_values: {TCR_EL1: \"0x1\"}}
mmu: {mode: long}
$RAM"
# bad-input Y26
yaml_err ":1:58: duplicate key 'bits' (first at 1:48)" \
	"cpu: {architecture: riscv, endianness: little, bits: 64, bits: 32}
$MMU
$RAM"

# ---- dump files ----
# bad-input D01
yaml_err ":3:18: cannot open dump file '$T/nothere.bin': No such file or directory" "$CPU
$MMU
memspace: {ram: [{start: 0, end: 0xfff, dumpfile: nothere.bin}]}"
# bad-input D02
mkdir "$T/dir.bin"
yaml_err ":3:18: dump file '$T/dir.bin' is not a regular file" "$CPU
$MMU
memspace: {ram: [{start: 0, end: 0xfff, dumpfile: dir.bin}]}"
# bad-input D03
yaml_err ":3:18: dump file '$T/ram.bin' has 65536 bytes but the region 0x0-0x1ffff declares 131072 bytes" "$CPU
$MMU
memspace: {ram: [{start: 0, end: 0x1ffff, dumpfile: ram.bin}]}"
yaml_err ":3:18: dump file '$T/ram.bin' has 65536 bytes but the region 0x0-0xffff declares 65536 bytes" "$CPU
$MMU
memspace: {ram: [{start: 0, end: 0xffff, dumpfile: ram.bin, offset: 4096}]}"

yaml_err ":3:18: dump file '$T/ram.bin' has 65536 bytes but the region 0x0-0xffffffffffffffff declares 2^64 bytes (the whole address space)" "$CPU
$MMU
memspace: {ram: [{start: 0, end: 0xffffffffffffffff, dumpfile: ram.bin}]}"
# bad-input D05
# A dump the user may not read.  Root reads everything: as root, without the
# capabilities that override file permissions (setpriv, util-linux).
cp "$T/ram.bin" "$T/secret.bin"
chmod 0 "$T/secret.bin"
printf '%s\n%s\n%s\n' "$CPU" "$MMU" "memspace: {ram: [{start: 0x80000000, end: 0x8000ffff, dumpfile: secret.bin}]}" >"$T/secret.yaml"
if [ "$(id -u)" = 0 ]; then
	as_user="setpriv --bounding-set=-dac_override,-dac_read_search"
else
	as_user=
fi
# shellcheck disable=SC2086
expect_err "mmushell: $T/secret.yaml:3:18: cannot open dump file '$T/secret.bin': Permission denied" \
	$as_user "$M" --batch -e show_machine "$T/secret.yaml"
# bad-input D04
{
	printf '%s\n%s\nmemspace:\n  ram:\n' "$CPU" "$MMU"
	awk 'BEGIN { for (i = 0; i < 16385; i++) printf "    - {start: %d, end: %d, dumpfile: ram.bin}\n", i * 131072, i * 131072 + 65535 }'
} >"$T/many.yaml"
expect_err "mmushell: $T/many.yaml: 16385 RAM regions: more than the 16384 mmushell maps (a machine's memory map has tens)" \
	"$M" --batch -e show_machine "$T/many.yaml"

# bad-input D06
# The dump shrinks while mmushell has it mapped (another program truncates
# it): commands come from a pipe, the file is cut after the first answer.
head -c 65536 /dev/zero >"$T/shrink.bin"
sed 's/ram\.bin/shrink.bin/' "$Y" >"$T/shrink.yaml"
rm -f "$T/cmds"
mkfifo "$T/cmds"
"$M" --batch --threads 1 "$T/shrink.yaml" <"$T/cmds" >"$T/out" 2>"$T/err" &
exec 3>"$T/cmds"
echo show_machine >&3
n=600
while [ ! -s "$T/out" ] && [ "$n" -gt 0 ]; do
	sleep 0.05
	n=$((n - 1))
done
truncate -s 4096 "$T/shrink.bin"
echo parse_memory >&3
exec 3>&-
rc=0
wait $! || rc=$?
checks=$((checks + 1))
[ "$rc" = 1 ] || fail "a dump that shrank: exit $rc, wanted 1"
expect_file "$T/err" "mmushell: dump file '$T/shrink.bin': cannot read offset 0x1000 (physical address 0x80001000): the file became shorter while open, or its disk failed to read it"

# ---- --iomem ----
"$MKCORE" elf64le "$T/core.elf" --machine 62 0x0:0x6000:1 0x10000:0x1000:2
iomem_err() {
	printf '%s' "$2" >"$T/iomem"
	expect_err "mmushell: $1" "$M" --batch -e show_machine --iomem "$T/iomem" "$T/core.elf"
}
# bad-input I01
iomem_err "$T/iomem:2: not a /proc/iomem line (START-END : NAME): '00001000 System RAM'" \
	"00000000-00000fff : Reserved
00001000 System RAM
"
# bad-input I02
iomem_err "$T/iomem:1: range end 0x1000 is below its start 0x5fff" "00005fff-00001000 : System RAM
"
# bad-input I03
iomem_err "$T/iomem: every range reads 0-0: the kernel hides the addresses from users without root" \
	"00000000-00000000 : Reserved
00000000-00000000 : System RAM
"
# bad-input I04
iomem_err "$T/iomem: top-level ranges 0x1000-0x5fff (System RAM) and 0x5000-0x6fff (Reserved) overlap" \
	"00001000-00005fff : System RAM
00005000-00006fff : Reserved
"
# bad-input I05
iomem_err "$T/iomem: no \"System RAM\" range" "00000000-0000ffff : Reserved
"
# bad-input I06
iomem_err "$T/core.elf: no RAM of the dump lies in the System RAM of --iomem $T/iomem" \
	"00100000-001fffff : System RAM
"
# bad-input I07
head -c $((17 << 20)) /dev/zero >"$T/iomem"
expect_err "mmushell: $T/iomem: more than 16 MiB: not a memory map" "$M" --batch --iomem "$T/iomem" "$T/core.elf"
expect_err "mmushell: $T/absent: cannot open: No such file or directory" "$M" --batch --iomem "$T/absent" "$T/core.elf"
rm -f "$T/iomem"

# ---- ground truth ----
gt_err() {
	printf '%s\n' "$2" >"$T/gt.yaml"
	expect_err "mmushell: $T/gt.yaml$1" "$M" --batch --gtruth "$T/gt.yaml" "$Y"
}
# bad-input G01
expect_err "mmushell: $T/nogt.yaml: cannot open: No such file or directory" "$M" --batch --gtruth "$T/nogt.yaml" "$Y"
# bad-input G02
gt_err ":2:1: malformed YAML: did not find expected node content" "format: ["
# bad-input G03
gt_err ":1:1: not a ground-truth file: 'format' must be mmushell-gtruth/1" "registers: []"
# bad-input G04
gt_err ":1:9: unsupported ground-truth format version: mmushell-gtruth/2" "format: mmushell-gtruth/2
registers: []"
# bad-input G05
gt_err ":2:12: 'registers' must be a list of {name, value, first_seen, last_seen}" "format: mmushell-gtruth/1
registers: {satp: 1}"
# bad-input G06
gt_err ":2:13: each register entry must be a mapping {name, value, first_seen, last_seen}" "format: mmushell-gtruth/1
registers: [satp]"
# bad-input G07
gt_err ":2:13: register entry without a name" "format: mmushell-gtruth/1
registers: [{value: 1}]"
# bad-input G08
gt_err ":2:13: register entry needs an integer value: satp" "format: mmushell-gtruth/1
registers: [{name: satp, value: high}]"
# bad-input G09
gt_err ":2:48: first_seen must be a number of seconds" "format: mmushell-gtruth/1
registers: [{name: satp, value: 1, first_seen: soon}]"
# bad-input G10
gt_err ":2:43: count must be an integer" "format: mmushell-gtruth/1
registers: [{name: satp, value: 1, count: -3}]"
# bad-input G12
gt_err ":2:50: 'vsids' must be a list of {value, first_seen, last_seen}" "format: mmushell-gtruth/1
registers: [{name: sdr1, value: 0xfe0001, vsids: 0xabc}]"
gt_err ":2:51: each vsids entry needs an integer value" "format: mmushell-gtruth/1
registers: [{name: sdr1, value: 0xfe0001, vsids: [{first_seen: 1}]}]"
# bad-input G11
gt_err ":2:75: YAML nested deeper than 64 levels" "format: mmushell-gtruth/1
registers: $(i=0; while [ $i -lt 70 ]; do printf '['; i=$((i + 1)); done)"

# ---- sessions (the whole file; its sections: tests/test_badinput.c) ----
expect_rc 0 "$M" --batch -e parse_memory -e "save_data $T/s.session" "$T/intel.yaml"
S=$T/s.session
# bad-input S01
expect_err "mmushell: $T/none.session: cannot open: No such file or directory" "$M" --batch --session "$T/none.session" "$Y"
# bad-input S02
printf 'not a session at all, nothing like one' >"$T/x.session"
expect_err "mmushell: $T/x.session: not an mmushell session file" "$M" --batch --session "$T/x.session" "$T/intel.yaml"
# bad-input S03
cp "$S" "$T/v.session"
printf '\011' | dd of="$T/v.session" bs=1 seek=16 conv=notrunc 2>/dev/null
expect_err "mmushell: $T/v.session: session format version 9 is newer than this mmushell reads (1): update mmushell" \
	"$M" --batch --session "$T/v.session" "$T/intel.yaml"
# bad-input S04
printf '\000' | dd of="$T/v.session" bs=1 seek=16 conv=notrunc 2>/dev/null
expect_err "mmushell: $T/v.session: unsupported session format version 0" "$M" --batch --session "$T/v.session" "$T/intel.yaml"
# bad-input S05
head -c $((65 << 20)) /dev/zero >"$T/big.session"
expect_err "mmushell: $T/big.session: too large for a session file (68157440 bytes)" \
	"$M" --batch --session "$T/big.session" "$T/intel.yaml"
rm -f "$T/big.session"
# bad-input S06
head -c $(($(wc -c <"$S") - 10)) "$S" >"$T/cut.session"
expect_err "mmushell: $T/cut.session: session file is truncated" "$M" --batch --session "$T/cut.session" "$T/intel.yaml"
# bad-input S07
head -c 24 "$S" >"$T/head.session"
printf 'plain text, no xz here' >>"$T/head.session"
expect_err "mmushell: $T/head.session: not an mmushell session file (no xz data after the header)" \
	"$M" --batch --session "$T/head.session" "$T/intel.yaml"
# bad-input S08
cp "$S" "$T/bits.session"
printf '\377\377\377\377' | dd of="$T/bits.session" bs=1 seek=60 conv=notrunc 2>/dev/null
expect_rc 1 "$M" --batch --session "$T/bits.session" "$T/intel.yaml"
expect_grep "$T/err" "mmushell: $T/bits.session: session data is corrupt (xz: "
# bad-input S09
expect_err "mmushell: $S: session belongs to another machine: intel ia64 64-bit little-endian, this dump is riscv sv39 64-bit little-endian" \
	"$M" --batch --session "$S" "$Y"
# bad-input S10
sed 's/end: 0xffff,/end: 0x7fff,/' "$T/intel.yaml" >"$T/half.yaml"
head -c 32768 /dev/zero >"$T/half.bin"
sed -i 's/ram.bin/half.bin/' "$T/half.yaml"
expect_err "mmushell: $S: session belongs to another dump: RAM region 0x0-0xffff, this dump has 0x0-0x7fff" \
	"$M" --batch --session "$S" "$T/half.yaml"
# bad-input S11
head -c 65536 /dev/urandom >"$T/other.bin"
sed 's/ram.bin/other.bin/' "$T/intel.yaml" >"$T/other.yaml"
expect_err "mmushell: $S: session belongs to another dump: the memory contents differ (same layout)" \
	"$M" --batch --session "$S" "$T/other.yaml"

# ---- commands and arguments ----
# cmd_err COMMAND WANT_MESSAGE [YAML]: the batch command fails with "mmushell: COMMAND-WORD: MESSAGE".
cmd_err() {
	expect_err "mmushell: ${1%% *}: $2" "$M" --batch -e parse_memory -e "$1" "${3:-$Y}"
}
# bad-input K01
expect_rc 1 "$M" --batch -e frobnicate "$Y"
expect_grep "$T/err" "mmushell: frobnicate: unknown command 'frobnicate' (known: help, show_machine, show_memory_map,"
# bad-input K02
expect_err "mmushell: show_idtrs: does not apply to architecture riscv (it is a command of intel)" \
	"$M" --batch -e show_idtrs "$Y"
# bad-input K03
expect_err "mmushell: resolve: usage: resolve ROOT VADDR [TREE]  (PowerPC: VADDR [VSID])" "$M" --batch -e resolve "$Y"
# bad-input K04
expect_err "mmushell: show_table \"0x1000: unterminated quote in command line" "$M" --batch -e 'show_table "0x1000' "$Y"
# bad-input K05
expect_err "mmushell: command: empty command (try help)" "$M" --batch -e "" "$Y"
# bad-input K06
cmd_err "show_table 0x80000000 one" "LEVEL must be a number, decimal or 0x hexadecimal (got 'one')"
cmd_err "resolve 0x80000000 0xffffffffffffffffff" "VADDR must be a number, decimal or 0x hexadecimal (got '0xffffffffffffffffff')"
# bad-input K07
cmd_err "show_table 0x1000" "0x1000 is not in RAM"
# bad-input K08
cmd_err "show_table 0x80000008" "0x80000008 is not aligned to a level-0 table (4096 bytes)"
# bad-input K09
cmd_err "show_table 0x80000000 3" "LEVEL must be below 3 for this tree"
# bad-input K10
cmd_err "show_table 0x80000000 0 0" "too many numbers (got '0')"
# bad-input K21
cmd_err "resolve 0x80000000 0x1000 user" "this dump has one tree: no TREE argument (got 'user')"
# bad-input K11
expect_err "mmushell: show_vas: no tables yet: run parse_memory first" "$M" --batch -e "show_vas 0x80000000" "$Y"
expect_err "mmushell: show_radix_trees: no trees yet: run find_radix_trees first" "$M" --batch -e parse_memory -e show_radix_trees "$Y"
# bad-input K12
expect_rc 0 "$M" --batch -e parse_memory -e find_radix_trees -e show_radix_trees "$Y"
expect_grep "$T/out" "Found 0 radix trees (0 with user mappings, 0 kernel-only) in "
expect_grep "$T/out" "no root-table candidates at all: is the MMU mode right?"
expect_grep "$T/out" "0 trees"
expect_rc 0 "$M" --batch --json -e parse_memory -e find_radix_trees "$Y"
expect_grep "$T/out" '{"command": "find_radix_trees", "ok": true, "error": null, "result": {"note": "no root-table candidates at all: is the MMU mode right?", "trees": 0,'
# bad-input K13
expect_err "mmushell: find_registers_values: does not apply to architecture riscv (its MMU registers are found from page tables)" \
	"$M" --batch -e find_registers_values "$Y"
expect_rc 1 "$M" --batch --json -e find_registers_values "$Y"
expect_grep "$T/out" '{"command": "find_registers_values", "ok": false, "error": "does not apply to architecture riscv (its MMU registers are found from page tables)", "result": null}'
# bad-input K14
cmd_err "show_radix_trees_gtruth" "no ground truth: start mmushell with --gtruth FILE"
# bad-input K15
expect_err "mmushell: help: unknown command 'nothing' (known: help, show_machine, show_memory_map, find_registers_values, show_registers, show_registers_gtruth, set_tcr, set_ttbcr, parse_memory, find_tables, find_radix_trees, show_radix_trees, show_table, resolve, show_vas, show_radix_trees_gtruth, export_vas, export_all, save_data)" "$M" --batch -e "help nothing" "$Y"
# bad-input K16
"$MKDUMP" --arch intel --ram 4M --processes 1 -o "$T/gen" >/dev/null
expect_err "mmushell: export_all: $T/ram.bin/x: cannot create: Not a directory" \
	"$M" --batch -e parse_memory -e find_radix_trees -e "export_all $T/ram.bin/x" "$T/gen/machine.yaml"
expect_err "mmushell: export_vas: 0x10000000000 is not in RAM" \
	"$M" --batch -e parse_memory -e find_radix_trees -e "export_vas 0x10000000000 $T/x.elf" "$T/gen/machine.yaml"
# A file its owner made read-only is refused and left as it is (an export is
# renamed into place, which the folder's permissions alone would allow).
root=0x$(sed -n 's/^ *- root: 0x\([0-9a-f]*\).*/\1/p' "$T/gen/expected.yaml" | head -1)
echo keep >"$T/ro.elf"
chmod 0444 "$T/ro.elf"
# shellcheck disable=SC2086
expect_err "mmushell: export_vas: $T/ro.elf: cannot write: Permission denied" \
	$as_user "$M" --batch -e parse_memory -e find_radix_trees -e "export_vas $root $T/ro.elf" "$T/gen/machine.yaml"
expect_file "$T/ro.elf" keep
# bad-input K08 (a ROOT to export, as one to show)
expect_err "mmushell: export_vas: 0x1008 is not aligned to a level-0 table (4096 bytes)" \
	"$M" --batch -e parse_memory -e find_radix_trees -e "export_vas 0x1008 $T/x.elf" "$T/gen/machine.yaml"

# ARM register commands on an ARM machine (no code: nothing recovered).
cat >"$T/arm.yaml" <<EOF
cpu: {architecture: arm, endianness: little, bits: 32}
mmu: {mode: short}
memspace: {ram: [{start: 0x80000000, end: 0x8000ffff, dumpfile: ram.bin}]}
EOF
# bad-input K17
expect_err "mmushell: find_tables: no TTBCR value: run find_registers_values, or set_ttbcr VALUE, or give cpu.registers_values.TTBCR in the machine YAML" \
	"$M" --batch -e find_tables "$T/arm.yaml"
# bad-input K18
expect_err "mmushell: find_registers_values: unknown option '--fast' (known: --assume-reset, --no-thumb, --be32, --cross-zeros)" \
	"$M" --batch -e "find_registers_values --fast" "$T/arm.yaml"
# bad-input K19
expect_err "mmushell: set_ttbcr: invalid TTBCR value 0x40: reserved bits set (0x40)" "$M" --batch -e "set_ttbcr 0x40" "$T/arm.yaml"
expect_err "mmushell: set_ttbcr: no candidates yet: run find_registers_values first, or give a value" \
	"$M" --batch -e "set_ttbcr #1" "$T/arm.yaml"
expect_err "mmushell: set_ttbcr: '#x': a candidate is chosen as #1, #2 ... (rank in show_registers)" \
	"$M" --batch -e "set_ttbcr #x" "$T/arm.yaml"
# bad-input K20
expect_err "mmushell: show_registers: no register values yet: run find_registers_values first" \
	"$M" --batch -e show_registers "$T/arm.yaml"

# ---- hostile memory ----
# Megabytes scanned for their bounds: not under valgrind (50 times slower: a minute each); the
# sanitized build runs them, the unit tests and fuzz targets the same code on small inputs.
if [ -n "${MMUSHELL_VALGRIND:-}" ]; then
	finish
	exit $?
fi
# bad-input H01
# The IDT scan of memory full of gate tables: 4100 tables of 20 gates, each ended by an invalid gate.
gate() { printf '\000\000\020\000\000%b\000\201\377\377\377\377\000\000\000\000' "$1"; }
{
	for i in 0 1 2; do gate '\216'; done
	gate '\356'
	i=4
	while [ $i -lt 20 ]; do gate '\216'; i=$((i + 1)); done
	printf '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377'
} >"$T/idt"
i=0
while [ $i -lt 12 ]; do cat "$T/idt" "$T/idt" >"$T/idt2"; mv "$T/idt2" "$T/idt"; i=$((i + 1)); done
cat "$T/idt" "$T/idt" | head -c $((4100 * 336)) >"$T/idts.bin"
size=$(wc -c <"$T/idts.bin")
head -c $(( (size + 4095) / 4096 * 4096 - size)) /dev/zero >>"$T/idts.bin"
size=$(wc -c <"$T/idts.bin")
cat >"$T/idts.yaml" <<EOF
cpu: {architecture: intel, endianness: little, bits: 64, processor_features: {m_phy: 39}}
mmu: {mode: ia64}
memspace: {ram: [{start: 0x0, end: $((size - 1)), dumpfile: idts.bin}]}
EOF
expect_rc 0 "$M" --batch -e parse_memory -e show_idtrs "$T/idts.yaml"
expect_grep "$T/out" "IDT candidates: 4096"
expect_grep "$T/out" "IDT candidates not kept: 4 (only the first 4096 by address are: a dump this full of gate tables was made to slow the analysis)"
expect_grep "$T/out" "4096 IDT candidates (run find_radix_trees to see which trees map them)"
expect_grep "$T/out" "4 more not kept (the limit is 4096)"

# bad-input H05
# An AArch64 dump of nothing but "msr tcr_el1, x10": the site lists are capped and say so.
printf 'J \030\325' >"$T/msr.bin"
i=0
while [ $i -lt 17 ]; do cat "$T/msr.bin" "$T/msr.bin" >"$T/msr2"; mv "$T/msr2" "$T/msr.bin"; i=$((i + 1)); done
cat >"$T/msr.yaml" <<EOF
cpu: {architecture: aarch64, endianness: little, bits: 64}
mmu: {mode: long}
memspace: {ram: [{start: 0x40000000, end: 0x4007ffff, dumpfile: msr.bin}]}
EOF
expect_rc 0 "$M" --batch -e find_registers_values "$T/msr.yaml"
expect_grep "$T/out" "65536 more sites not kept: the dump is full of site patterns (limits: doc/formats.md)"
expect_grep "$T/out" "  61440 more write sites not analysed (at most 4096 per register)"

finish
