#!/bin/sh
# mmushell-mkdump: the real program generates dumps mmushell accepts, and
# bad arguments give one clear message and exit 1.
. "${top_srcdir:-.}/tests/lib.sh"
: "${MKDUMP:?MKDUMP must name the mmushell-mkdump binary}"

expect_rc 0 "$MKDUMP" --help
expect_grep "$T/out" "mmushell-mkdump --arch ARCH [--mode MODE] [OPTIONS] -o DIR"

# A few modes, generated and read back by mmushell.
for args in "--arch intel --mode ia64" "--arch riscv --mode sv39 --regions 3" \
	"--arch arm --mode short --ttbcr-n 1" "--arch aarch64 --granule 16k --t0sz 17 --t1sz 25" \
	"--arch mips --endian big" "--arch ppc"; do
	name=$(echo "$args" | tr -c 'a-z0-9\n' '_')
	# shellcheck disable=SC2086 # the arguments are meant to split
	expect_rc 0 "$MKDUMP" $args --ram 16M --processes 4 -o "$T/$name"
	for f in machine.yaml dump.0 dump.1 gtruth.yaml expected.yaml; do
		[ -f "$T/$name/$f" ] || fail "$args: $f missing"
	done
	expect_rc 0 "$MMUSHELL" --batch -e show_machine "$T/$name/machine.yaml"
	expect_grep "$T/out" "$T/$name/dump.1"
	expect_grep "$T/$name/gtruth.yaml" "format: mmushell-gtruth/1"
	expect_grep "$T/$name/expected.yaml" "format: mmushell-expected/1"
done
expect_grep "$T/__arch_riscv___mode_sv39___regions_3/machine.yaml" "dumpfile: dump.2"
expect_grep "$T/__arch_mips___endian_big/machine.yaml" "endianness: big"
expect_grep "$T/__arch_mips___endian_big/machine.yaml" "registers_values: {Config: 0x80008483}"
expect_grep "$T/__arch_ppc/expected.yaml" "hash_tables:"

# Same arguments, same bytes.
expect_rc 0 "$MKDUMP" --arch intel --mode pae --ram 8M --processes 3 --seed 9 -o "$T/a"
expect_rc 0 "$MKDUMP" --arch intel --mode pae --ram 8M --processes 3 --seed 9 -o "$T/b"
for f in machine.yaml dump.0 dump.1 gtruth.yaml expected.yaml; do
	cmp -s "$T/a/$f" "$T/b/$f" || fail "$f differs between two identical runs"
done

# -o creates missing parents; a folder reused with fewer regions keeps no stale dump.N.
expect_rc 0 "$MKDUMP" --arch riscv --ram 16M --processes 2 --regions 4 -o "$T/new/deep/d"
[ -f "$T/new/deep/d/dump.3" ] || fail "no dump.3 with --regions 4"
expect_rc 0 "$MKDUMP" --arch riscv --ram 16M --processes 2 --regions 2 -o "$T/new/deep/d"
checks=$((checks + 1))
[ "$(ls "$T/new/deep/d" | tr '\n' ' ')" = "dump.0 dump.1 expected.yaml gtruth.yaml machine.yaml " ] ||
	fail "the folder holds $(ls "$T/new/deep/d" | tr '\n' ' ')after --regions 2"

# Bad arguments: one message, exit 1.
expect_rc 1 "$MKDUMP" --arch vax -o "$T/x"
expect_file "$T/err" "mmushell-mkdump: unknown architecture 'vax' (known: intel, riscv, arm, aarch64, mips, ppc)"
expect_rc 1 "$MKDUMP" --arch ppc --endian little -o "$T/x"
expect_file "$T/err" "mmushell-mkdump: --endian little does not apply to ppc (it is big-endian only here)"
expect_rc 1 "$MKDUMP" --arch mips --endian middle -o "$T/x"
expect_file "$T/err" "mmushell-mkdump: --endian must be big or little (got 'middle')"
expect_rc 1 "$MKDUMP" --arch intel --mode ia128 -o "$T/x"
expect_file "$T/err" "mmushell-mkdump: unknown mode 'ia128' for architecture intel (known: ia32, pae, ia64, la57)"
expect_rc 1 "$MKDUMP" --arch intel --ram 4M --processes 500 -o "$T/x"
expect_file "$T/err" "mmushell-mkdump: --ram 4M is too small for 500 processes on intel ia32 (try --ram 8M or fewer --processes)"
expect_rc 1 "$MKDUMP" --arch riscv --ram lots -o "$T/x"
expect_file "$T/err" "mmushell-mkdump: --ram needs a size such as 64M or 1G (got 'lots')"
expect_rc 1 "$MKDUMP" --arch riscv --processes many -o "$T/x"
expect_file "$T/err" "mmushell-mkdump: --processes needs a number (got 'many')"
expect_rc 1 "$MKDUMP" --arch riscv
expect_file "$T/err" "mmushell-mkdump: missing output folder (-o DIR)"
expect_rc 1 "$MKDUMP" --arch riscv --frobnicate -o "$T/x"
expect_file "$T/err" "mmushell-mkdump: unknown option '--frobnicate' (see --help)"
expect_rc 1 "$MKDUMP" --arch riscv -o
expect_file "$T/err" "mmushell-mkdump: option '-o' needs an argument"
expect_rc 1 "$MKDUMP" --arch arm --mode short --t0sz 3 -o "$T/x"
expect_file "$T/err" "mmushell-mkdump: --t0sz and --t1sz apply to aarch64 and arm long only (not arm short)"
printf 'x' >"$T/plain"
expect_rc 1 "$MKDUMP" --arch riscv -o "$T/plain/out"
expect_file "$T/err" "mmushell-mkdump: cannot create folder $T/plain/out: Not a directory"

finish
