# Shared helpers for the script tests (sourced).  Each test runs the real
# binaries and checks exit codes and exact messages.
set -u
: "${MMUSHELL:?MMUSHELL must name the mmushell binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/mmushell-sh-XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0
checks=0

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

# expect_rc WANT_RC CMD...: runs CMD, keeps stdout/stderr in $T/out, $T/err.
expect_rc() {
	want=$1
	shift
	checks=$((checks + 1))
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" != "$want" ]; then
		fail "exit $got (wanted $want): $*"
		sed 's/^/  stderr: /' "$T/err" >&2
	fi
}

# expect_file FILE TEXT: FILE must equal TEXT exactly.
expect_file() {
	checks=$((checks + 1))
	printf '%s\n' "$2" >"$T/want"
	if ! cmp -s "$1" "$T/want"; then
		fail "$1 differs:"
		diff "$T/want" "$1" | sed 's/^/  /' >&2
	fi
}

# expect_grep FILE PATTERN: fixed string must occur in FILE.
expect_grep() {
	checks=$((checks + 1))
	grep -qF -- "$2" "$1" || { fail "'$2' not in $1:"; sed 's/^/  /' "$1" >&2; }
}

# dump_bytes YAML PA N: N bytes at physical address PA of the dump YAML describes, "xx xx ..." as od writes them.
dump_bytes() {
	_pa=$(printf '%d' "$2")
	sed -n 's/.*start: *\(0x[0-9a-fA-F]*\), *end: *\(0x[0-9a-fA-F]*\), *dumpfile: *\([^ }]*\).*/\1 \2 \3/p' "$1" |
		while read -r _s _e _f; do
			if [ "$_pa" -ge $((_s)) ] && [ "$_pa" -le $((_e)) ]; then
				od -An -tx1 -j $((_pa - _s)) -N "$3" "$(dirname "$1")/$_f" | tr -s ' ' | sed 's/^ //;s/ $//'
				break
			fi
		done
}

finish() {
	echo "$checks checks, $fails failures"
	[ "$fails" -eq 0 ]
}
