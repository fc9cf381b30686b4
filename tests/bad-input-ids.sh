#!/bin/sh
# Every entry of doc/bad-input.md has a test that names it ("bad-input" and
# its ID in a comment), and every ID the tests name is an entry.
. "${top_srcdir:-.}/tests/lib.sh"

doc="$top_srcdir/doc/bad-input.md"
ids=$(sed -n 's/^| \([A-Z][0-9][0-9]\) |.*/\1/p' "$doc" | sort -u)
tested=$(cat "$top_srcdir"/tests/*.c "$top_srcdir"/tests/*.sh | sed -n 's/.*bad-input \([A-Z][0-9][0-9]\).*/\1/p' | sort -u)
checks=$((checks + 1))
[ -n "$ids" ] || fail "no entries found in $doc"
for id in $ids; do
	checks=$((checks + 1))
	echo "$tested" | grep -qx "$id" || fail "catalogue entry $id has no test naming it (bad-input $id)"
done
for id in $tested; do
	checks=$((checks + 1))
	echo "$ids" | grep -qx "$id" || fail "a test names bad-input $id, which $doc lacks"
done
finish
