#!/bin/sh
# Replays each fuzz target's committed corpus (tests/fuzz/corpus/TARGET/)
# through the target: the plain driver in a normal build, the libFuzzer
# program (files run once each) in a fuzzing build.  Any crash, sanitizer
# report or broken invariant fails the test.
. "${top_srcdir:-.}/tests/lib.sh"
: "${FUZZ_BIN:?FUZZ_BIN must name the folder of the fuzz targets}"

C="$top_srcdir/tests/fuzz/corpus"
for dir in "$C"/*/; do
	name=$(basename "$dir")
	bin="$FUZZ_BIN/fuzz-$name"
	if [ ! -x "$bin" ]; then
		fail "no fuzz target for corpus $name ($bin)"
		continue
	fi
	set -- "$dir"*
	[ -e "$1" ] || { fail "corpus $name is empty"; continue; }
	expect_rc 0 ${FUZZ_WRAP:-} "$bin" "$@"
	[ "$got" = 0 ] || sed 's/^/  /' "$T/err" | tail -20 >&2
done
# Every target has a corpus.
for bin in "$FUZZ_BIN"/fuzz-*; do
	[ -x "$bin" ] || continue
	name=${bin##*/fuzz-}
	[ -d "$C/$name" ] || fail "fuzz target $name has no corpus in $C/$name"
done
finish
