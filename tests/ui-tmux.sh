#!/bin/sh
# The explorer in a real terminal: tmux with a fixed size, keys sent with
# send-keys, the screen read with capture-pane and polled (never a fixed
# sleep for the program to be ready).  Covers the pipeline with r, the
# candidates, a tree down to a leaf and its bytes in the hex view,
# colours off, the IDT beside the ground truth's IDTR, a PowerPC hash
# table down to a PTE and its page, resizing below 80x24 and back,
# quitting (q, Ctrl-C,
# SIGTERM, a dump cut short) with the terminal restored, --demo cleaning up, and the
# terminal types the explorer must work on.
. "${top_srcdir:-.}/tests/lib.sh"
: "${MKDUMP:?MKDUMP must name mmushell-mkdump}"

if ! command -v tmux >/dev/null 2>&1; then
	# Try to get it (CI containers run as root); skip only when that fails.
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null 2>&1
	fi
	if ! command -v tmux >/dev/null 2>&1; then
		echo "SKIP: tmux is not installed and could not be installed (apt-get install tmux)"
		exit 77
	fi
fi

# A fresh tmux server per run (socket name with a counter): a server being
# killed can never be confused with the next one.
runs=0
SOCK="mmushell-test-$$-0"
tm() {
	tmux -L "$SOCK" -f /dev/null "$@"
}
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT
unset NO_COLOR LINES COLUMNS

# The screen as text.
cap() {
	tm capture-pane -p -t ui
}

# wait_for TEXT [SECONDS]: polls the screen until TEXT shows (fixed string).
wait_for() {
	checks=$((checks + 1))
	n=$(( ${2:-20} * 10 ))
	while [ "$n" -gt 0 ]; do
		if cap 2>/dev/null | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	fail "'$1' never appeared on the screen:"
	cap 2>/dev/null | sed 's/^/  | /' >&2
	return 1
}

# wait_gone TEXT: polls until TEXT is no longer on the screen.
wait_gone() {
	checks=$((checks + 1))
	n=200
	while [ "$n" -gt 0 ]; do
		cap 2>/dev/null | grep -qF -- "$1" || return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "'$1' stayed on the screen"
	return 1
}

keys() {
	tm send-keys -t ui "$@"
}

# start TERM ARGS...: the explorer in a fresh 120x40 session; the shell
# around it records the terminal settings before and after, and the status.
start() {
	term=$1
	shift
	tm kill-server >/dev/null 2>&1
	runs=$((runs + 1))
	SOCK="mmushell-test-$$-$runs"
	rm -f "$T/stty.before" "$T/stty.after" "$T/pid"
	# The program reads the terminal: run it in the foreground, pid via a wrapper.
	cat >"$T/run.sh" <<EOF
ulimit -c 0
stty -g >"$T/stty.before"
TERM=$term; export TERM
sh -c 'echo \$\$ >"$T/pid"; exec "\$0" "\$@"' "$MMUSHELL" "\$@"
echo "EXIT=\$?"
stty -g >"$T/stty.after"
exec sleep 600
EOF
	tm new-session -d -s ui -x 120 -y 40 sh "$T/run.sh" "$@"
}

# The terminal is as it was: same settings, the explorer's screen gone.
restored() {
	wait_for "EXIT=$1" || return
	checks=$((checks + 1))
	cap | grep -q "EXIT=$1\$" || fail "exit status: $(cap | grep -o 'EXIT=[0-9]*'), wanted $1"
	checks=$((checks + 1))
	n=50
	while [ ! -s "$T/stty.after" ] && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	cmp -s "$T/stty.before" "$T/stty.after" || fail "terminal settings not restored after exit $1"
	checks=$((checks + 1))
	if cap | grep -qE 'Candidates|Hex: '; then
		fail "the explorer's screen is still shown after exit $1:"
		cap | sed 's/^/  | /' >&2
	fi
}

"$MKDUMP" --arch intel --mode ia64 --ram 32M --processes 4 -o "$T/d" >/dev/null || fail "mkdump failed"
Y="$T/d/machine.yaml"
G="$T/d/gtruth.yaml"
roots=$(sed -n 's/^ *- root: 0x\([0-9a-f]*\).*/\1/p' "$T/d/expected.yaml")

# ---- the main scenario, on tmux's own terminal type -----------------------
start tmux-256color -g "$G" "$Y"
wait_for "press r to run parse_memory"
keys r
wait_for "next step: find_radix_trees (r)"
keys r
wait_for "all 2 steps done"
wait_for "gtruth:"
for r in $roots; do
	checks=$((checks + 1))
	cap | grep -Eq "0x0*$r +0 " || fail "root 0x$r is not in the candidates pane"
done

# Open the second tree from the list, then walk to a leaf of it.
root=$(cap | sed -n 's/.*[^0-9a-fx]0x0*\([0-9a-f]*\) \{1,\}0 .*/\1/p' | sed -n 2p)
keys j Enter
wait_for "Tree: 0x$(printf '%08x' "0x$root")"
# A mapped range of this root in the first dump file (it starts at physical 0);
# a range starts at a leaf.
limit=$(wc -c <"$T/d/dump.0")
va=
pa=
for range in $(awk -v r="0x$root" '$1 == "-" && $2 == "root:" { cur = $3 }
	cur == r && $2 == "{va:" { print $3 $7 }' "$T/d/expected.yaml"); do
	p=${range#*,}
	p=${p%,}
	if [ "$(printf '%d' "$p")" -lt "$limit" ]; then
		va=${range%%,*}
		pa=$p
		break
	fi
done
checks=$((checks + 1))
[ -n "$va" ] && [ -n "$pa" ] || fail "no range of root 0x$root in the first dump file (expected.yaml)"
keys g
wait_for "go to virtual address (hex):"
# -l: tmux would read "0x..." as a key code.
keys -l "$va"
keys Enter
wait_for "$va -> $pa"
# The cursor is on the leaf: Enter shows the page in the hex view.
keys Enter
wait_for "Hex: paddr $pa"
row=$(printf '%08x' "$pa")
bytes=$(od -An -tx1 -j "$(printf '%d' "$pa")" -N 8 "$T/d/dump.0" | tr -s ' ' | sed 's/^ //;s/ $//')
wait_for "$row  $bytes"

# Colours off: the classes become markers.
wait_gone "[TP]"
keys c
wait_for "[TP]"
wait_for "colours off"

# The IDT the generator wrote is the ground truth's IDTR: a TP row beside the
# roots (t t: hide the pane, show and focus it; G: down to its last rows).
idt=$(sed -n 's/^idt: {va: 0x[0-9a-f]*, pa: 0x\([0-9a-f]*\),.*/\1/p' "$T/d/expected.yaml")
checks=$((checks + 1))
[ -n "$idt" ] || fail "no idt in expected.yaml"
keys t t G
wait_for "0x$(printf '%08x' "0x$idt") [TP]"
wait_for "IDTs: 1 candidate"

# Below 80x24 one pane at a time with a tab bar, then the grid again.
tm resize-window -t ui -x 60 -y 20
wait_for " Map | Candidates | Ground truth | Tree | Hex"
checks=$((checks + 1))
[ "$(cap | wc -l)" -le 20 ] || fail "the screen did not shrink"
tm resize-window -t ui -x 120 -y 40
wait_for "Map: 1M bands"
wait_gone " Map | Candidates |"

# q asks (results unsaved); n keeps the explorer, y quits and restores the terminal.
keys q
wait_for "Quit anyway? [y/N]"
keys n
wait_for "quit cancelled"
keys q
wait_for "Quit anyway? [y/N]"
keys y
restored 0

# ---- PowerPC: hash tables where other architectures have trees ------------
"$MKDUMP" --arch ppc --mode ppc32 --ram 32M --processes 4 -o "$T/p" >/dev/null || fail "mkdump ppc failed"
PY="$T/p/machine.yaml"
start tmux-256color -g "$T/p/gtruth.yaml" "$PY"
wait_for "press r to run parse_memory"
keys r
wait_for "next step: find_registers_values (r)"
keys r
wait_for "all 2 steps done"
# The table the generator wrote (expected.yaml: address, size) is listed, a TP.
htab=$(sed -n 's/^ *- {address: 0x\([0-9a-f]*\), size: \(0x[0-9a-f]*\),.*/\1 \2/p' "$T/p/expected.yaml" | head -n 1)
checks=$((checks + 1))
[ -n "$htab" ] || fail "no hash_tables in the PowerPC expected.yaml"
addr=$(printf '%08x' "0x${htab% *}")
wait_for "0x$addr size ${htab#* }"
checks=$((checks + 1))
cap | grep -Eq "0x$addr size ${htab#* } +[0-9]+ PTEs  TP " || fail "hash table 0x$addr is not a TP"
# Enter opens it in the tree view; a group opens on its PTEs; the hex view follows the PTE.
keys Enter
wait_for "Tree: hash table 0x$addr"
keys j Enter
wait_for "  v PTEG 0x"
keys j
pteg=$(cap | sed -n 's/.*  v PTEG 0x[0-9a-f]* @0x\([0-9a-f]*\) .*/\1/p' | head -n 1)
slot=$(cap | sed -n 's/.*- \[\([0-7]\)\] VSID 0x.*/\1/p' | head -n 1)
rpn=$(cap | sed -n 's/.*- \[[0-7]\] VSID 0x[0-9a-f]* API 0x[0-9a-f]* [ps][re][ic] RPN 0x\([0-9a-f]*\) .*/\1/p' | head -n 1)
checks=$((checks + 1))
if [ -z "$pteg" ] || [ -z "$slot" ] || [ -z "$rpn" ]; then
	fail "no PTE group or PTE in the tree view:"
	cap | sed 's/^/  | /' >&2
else
	wait_for "Hex: paddr 0x$(printf '%x' $((0x$pteg + 8 * slot)))"
	# Enter on the PTE: its page in the hex view, the dump's bytes there.
	keys Enter
	page=$(printf '%x' $((0x$rpn << 12)))
	wait_for "Hex: paddr 0x$page"
	wait_for "$(printf '%08x' "0x$page")  $(dump_bytes "$PY" "0x$page" 8)"
fi
keys q
wait_for "Quit anyway? [y/N]"
keys y
restored 0

# ---- Ctrl-C asks too; SIGTERM restores the terminal -----------------------
start xterm-256color "$Y"
wait_for "press r to run parse_memory"
keys C-c
wait_for "Quit mmushell? [y/N]"
keys n
wait_for "quit cancelled"
keys C-c
wait_for "Quit mmushell? [y/N]"
keys y
restored 0

start xterm-256color "$Y"
wait_for "press r to run parse_memory"
kill -TERM "$(cat "$T/pid")"
restored 143

# ---- the terminal types it must work on -----------------------------------
for term in xterm-256color xterm screen tmux-256color vt100; do
	start "$term" -g "$G" "$Y"
	wait_for "press r to run parse_memory" || continue
	keys r
	wait_for "next step: find_radix_trees (r)"
	keys r
	wait_for "all 2 steps done"
	# vt100 has no colours: markers without being asked.
	[ "$term" = vt100 ] && wait_for "[TP]"
	keys '?'
	wait_for "mmushell keys"
	keys q q y
	restored 0
done

# A terminal that cannot move the cursor (TERM=dumb): refused before anything
# is drawn, with a message pointing to --batch; the terminal is untouched.
start dumb "$Y"
wait_for "(TERM=dumb) cannot move the cursor"
restored 1
checks=$((checks + 1))
cap | grep -q "Candidates\|Map:" && fail "TERM=dumb: the explorer drew its panes"

# ---- --demo: generated in a private folder, removed on the way out ---------
mkdir "$T/tmp"
TMPDIR="$T/tmp"
export TMPDIR
start xterm-256color --demo
wait_for "press r to run parse_memory"
checks=$((checks + 1))
[ -n "$(ls "$T/tmp")" ] || fail "--demo wrote nothing in TMPDIR"
keys q
restored 0
checks=$((checks + 1))
[ -z "$(ls "$T/tmp")" ] || fail "--demo left files behind after q: $(ls "$T/tmp")"
start xterm-256color --demo riscv/sv39
wait_for "press r to run parse_memory"
kill -TERM "$(cat "$T/pid")"
restored 143
checks=$((checks + 1))
[ -z "$(ls "$T/tmp")" ] || fail "--demo left files behind after SIGTERM: $(ls "$T/tmp")"
# A crash: the terminal is still restored and the demo folder still removed.
start xterm-256color --demo
wait_for "press r to run parse_memory"
kill -SEGV "$(cat "$T/pid")"
restored 139
checks=$((checks + 1))
[ -z "$(ls "$T/tmp")" ] || fail "--demo left files behind after a crash: $(ls "$T/tmp")"
# bad-input D06: the dump cut short under the explorer (another program
# truncates it): the terminal restored, the message shown, the demo folder
# removed, exit status 1.
start xterm-256color --demo
wait_for "press r to run parse_memory"
for f in "$T"/tmp/*/dump.*; do
	truncate -s 0 "$f"
done
keys r
restored 1
wait_for "': cannot read offset 0x"
wait_for "the file became shorter while open, or its disk failed to read it"
checks=$((checks + 1))
[ -z "$(ls "$T/tmp")" ] || fail "--demo left files behind after its dump shrank: $(ls "$T/tmp")"
unset TMPDIR

# The terminal going away (SIGHUP): leaves cleanly too.
start xterm "$Y"
wait_for "press r to run parse_memory"
kill -HUP "$(cat "$T/pid")"
restored 129

finish
