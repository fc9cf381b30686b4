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
finish
