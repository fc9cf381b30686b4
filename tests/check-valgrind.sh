#!/bin/sh
# make check-valgrind: the end-to-end script tests with every run of
# mmushell, mmushell-acquire, mmushell-mkdump and the fuzz replay drivers
# under valgrind.  Any memory error or definite leak makes that run exit 99,
# which fails its test; valgrind's reports go to tests/vg/log, not to the
# stderr the tests compare, and are printed at the end.  MMUSHELL_VALGRIND
# is set for tests that leave out their slowest inputs under valgrind.
#   environment: MAKE, abs_top_builddir, VALGRIND (default valgrind), TESTS (the scripts)
set -u
: "${abs_top_builddir:?}" "${MAKE:=make}" "${VALGRIND:=valgrind}"
: "${TESTS:=tests/cli.sh tests/formats.sh tests/acquire.sh tests/mkdump.sh tests/fuzz.sh tests/bad-input.sh}"
command -v "$VALGRIND" >/dev/null 2>&1 || {
	echo "check-valgrind: $VALGRIND not found (Debian package valgrind; tools/install-deps installs it)" >&2
	exit 1
}
B=$abs_top_builddir
V=$B/tests/vg
rm -rf "$V"
mkdir -p "$V/log"
VG="$VALGRIND -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --log-file=$V/log/%p.log"
for b in mmushell tools/mmushell-acquire tools/mmushell-mkdump; do
	printf '#!/bin/sh\nexec %s %s "$@"\n' "$VG" "$B/$b" >"$V/${b##*/}"
	chmod +x "$V/${b##*/}"
done
$MAKE check TESTS="$TESTS" \
	TESTS_ENVIRONMENT="MMUSHELL=$V/mmushell; MMUSHELL_ACQUIRE=$V/mmushell-acquire; MKDUMP=$V/mmushell-mkdump; FUZZ_WRAP='$VG'; MMUSHELL_VALGRIND=1; export MMUSHELL MMUSHELL_ACQUIRE MKDUMP FUZZ_WRAP MMUSHELL_VALGRIND;"
rc=$?
# Reports of runs whose status a test did not check (a test expecting a failure) count too.
reports=$(find "$V/log" -type f -size +0 | sort)
if [ -n "$reports" ]; then
	for f in $reports; do
		echo "== valgrind: $f" >&2
		cat "$f" >&2
	done
	rc=1
fi
[ $rc -eq 0 ] && echo "check-valgrind: no valgrind report from $(find "$V/log" -type f | wc -l) runs"
exit $rc
