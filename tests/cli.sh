#!/bin/sh
# Command line: options, exit codes and messages of the real binary.
. "${top_srcdir:-.}/tests/lib.sh"

head -c 65536 /dev/zero >"$T/ram.bin"
cat >"$T/m.yaml" <<YAML
cpu: {architecture: riscv, endianness: little, bits: 64}
mmu: {mode: sv39}
memspace:
  ram: [{start: 0x80000000, end: 0x8000ffff, dumpfile: ram.bin}]
  not_ram: [{start: 0x10000000, end: 0x10000fff}]
YAML

expect_rc 0 "$MMUSHELL" --help
expect_grep "$T/out" "mmushell --batch [--json] [-e COMMAND]..."
expect_rc 0 "$MMUSHELL" --version
expect_grep "$T/out" "mmushell "

expect_rc 1 "$MMUSHELL"
expect_file "$T/err" "mmushell: missing MACHINE_CONFIG (see --help)"
expect_rc 1 "$MMUSHELL" --frobnicate "$T/m.yaml"
expect_file "$T/err" "mmushell: unknown option '--frobnicate' (see --help)"
expect_rc 1 "$MMUSHELL" --batch -e
expect_file "$T/err" "mmushell: option '-e' needs an argument"
expect_rc 1 "$MMUSHELL" --batch --threads 0 "$T/m.yaml"
expect_file "$T/err" "mmushell: --threads needs a number from 1 to 1024 (got '0')"
expect_rc 1 "$MMUSHELL" --json "$T/m.yaml"
expect_file "$T/err" "mmushell: --json goes with --batch"
expect_rc 1 "$MMUSHELL" --batch "$T/m.yaml" extra
expect_file "$T/err" "mmushell: unexpected argument 'extra' after MACHINE_CONFIG"

# Bad input: one message naming the file, exit 1, never a signal.
expect_rc 1 "$MMUSHELL" --batch -e show_machine "$T/absent.yaml"
expect_file "$T/err" "mmushell: $T/absent.yaml: cannot open: No such file or directory"
printf 'cpu: {architecture: riscv, endianness: little, bits: 64}\nmmu: {mode: sv39}\nmemspace:\n  ram: [{start: 0, end: 0x1ffff, dumpfile: ram.bin}]\n' >"$T/size.yaml"
expect_rc 1 "$MMUSHELL" --batch -e show_machine "$T/size.yaml"
expect_file "$T/err" "mmushell: $T/size.yaml:4:9: dump file '$T/ram.bin' has 65536 bytes but the region 0x0-0x1ffff declares 131072 bytes"

# Batch: text output, JSON lines, failed commands set the exit status.
expect_rc 0 "$MMUSHELL" --batch -e show_machine "$T/m.yaml"
expect_grep "$T/out" "Architecture: riscv (RISC-V (Sv32, Sv39, Sv48, Sv57))"
expect_rc 0 "$MMUSHELL" --batch --json -e show_memory_map -e show_machine "$T/m.yaml"
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "--json must print one line per command"
expect_grep "$T/out" '{"command": "show_memory_map", "ok": true, "error": null, "result": {"regions": [{"start": "0x0", "end": "0xfffffff", "size": 268435456, "kind": "hole"}'
expect_rc 1 "$MMUSHELL" --batch --json -e bogus -e show_machine "$T/m.yaml"
expect_grep "$T/out" '{"command": "bogus", "ok": false, "error": "unknown command '"'"'bogus'"'"' (known: help'
expect_grep "$T/out" '{"command": "show_machine", "ok": true'
expect_rc 1 "$MMUSHELL" --batch -e "show_machine x" "$T/m.yaml"
expect_file "$T/err" "mmushell: show_machine: usage: show_machine"

# Commands from standard input when there is no -e.
printf '# comment\n\nshow_machine\nhelp show_machine\nexit\nshow_machine\n' >"$T/cmds"
expect_rc 0 sh -c "'$MMUSHELL' --batch '$T/m.yaml' <'$T/cmds'"
expect_grep "$T/out" "show_machine "
[ "$(grep -c '^Architecture:' "$T/out")" -eq 1 ] || fail "exit must stop reading commands"

# The dump is opened read-only: a read-only file works, and is unchanged.
chmod 0444 "$T/ram.bin"
sum_before=$(cksum <"$T/ram.bin")
expect_rc 0 "$MMUSHELL" --batch -e show_memory_map "$T/m.yaml"
[ "$(cksum <"$T/ram.bin")" = "$sum_before" ] || fail "dump file changed"

finish
