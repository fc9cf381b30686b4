#!/bin/sh
# Exported address spaces read by the usual tools: readelf lists one LOAD per
# segment mmushell reports, and gdb reads the bytes a LOAD holds.
. "${top_srcdir:-.}/tests/lib.sh"
: "${MKDUMP:?MKDUMP must name mmushell-mkdump}"

"$MKDUMP" --arch intel --mode ia64 --ram 16M --processes 2 -o "$T/d" >/dev/null || fail "mkdump"
expect_rc 0 "$MMUSHELL" --batch --json -e parse_memory -e find_radix_trees -e "export_all $T/x" "$T/d/machine.yaml"
files=$(ls "$T/x"/*.elf 2>/dev/null | wc -l)
[ "$files" -eq 2 ] || fail "export_all wrote $files files, wanted 2"

if command -v readelf >/dev/null 2>&1; then
	for f in "$T/x"/*.elf; do
		segs=$(grep -o "\"file\": \"$f\", \"root\": \"[^\"]*\", \"tree\": \"[^\"]*\", \"segments\": [0-9]*" "$T/out" |
			sed 's/.*"segments": //')
		checks=$((checks + 1))
		readelf -lW "$f" >"$T/re" 2>&1 || fail "readelf rejects $f"
		loads=$(grep -c '^  LOAD' "$T/re")
		[ "$loads" = "$segs" ] || fail "$f: readelf lists $loads LOADs, mmushell said $segs"
	done
else
	echo "readelf not installed: LOAD count not checked"
fi

if command -v gdb >/dev/null 2>&1; then
	f=$(ls "$T/x"/*.elf | head -1)
	set -- $(readelf -lW "$f" | awk '/^  LOAD/ {print $2, $3; exit}')
	off=$(($1)) va=$2
	want=$(od -An -tx1 -j "$off" -N 8 "$f" | tr -s ' ' | sed 's/^ //;s/ $//')
	got=$(gdb -batch -ex "x/8xb $va" -c "$f" 2>/dev/null | sed -n 's/^0x[0-9a-f]*:\s*//p' | tr -s ' \t' ' ' |
		sed 's/0x//g;s/ $//')
	checks=$((checks + 1))
	[ "$got" = "$want" ] || fail "gdb reads '$got' at $va, the file holds '$want'"
else
	echo "gdb not installed: not read back with gdb"
fi
# Two tree kinds (ARM LPAE): the first 'kernel' adds kernel pages, a second one names the tree kind.
"$MKDUMP" --arch arm --mode long --ram 16M --processes 2 -o "$T/a" >/dev/null || fail "mkdump arm"
steps="-e find_registers_values -e find_tables -e find_radix_trees"
# shellcheck disable=SC2086
expect_rc 0 "$MMUSHELL" --batch --json $steps -e "export_all $T/k kernel kernel" -e "export_all $T/u user" "$T/a/machine.yaml"
checks=$((checks + 1))
[ "$(ls "$T/k" | grep -c '^kernel-')" -ge 1 ] && [ "$(ls "$T/k" | grep -vc '^kernel-')" = 0 ] ||
	fail "export_all kernel kernel wrote: $(ls "$T/k")"
checks=$((checks + 1))
[ "$(ls "$T/u" | grep -c '^user-')" -ge 1 ] && [ "$(ls "$T/u" | grep -vc '^user-')" = 0 ] ||
	fail "export_all user wrote: $(ls "$T/u")"
checks=$((checks + 1))
grep '"command": "export_all"' "$T/out" | head -1 | grep -q '"tree": "kernel", "segments": [1-9][0-9]*, "bytes": [0-9]*, "absent_bytes": [0-9]*, "kernel_pages": true' ||
	fail "export_all kernel kernel: not the kernel trees with kernel pages"
root=$(ls "$T/u" | head -1 | sed 's/^user-//;s/\.elf$//')
# shellcheck disable=SC2086
expect_rc 1 "$MMUSHELL" --batch $steps -e "export_vas $root $T/x.elf user user" "$T/a/machine.yaml"
expect_grep "$T/err" "'user': one tree kind at most"
finish
