#!/bin/sh
# The explorer in scripted mode (--keys, --dump-screen): exact screens on a
# tiny hand-built dump (tests/uidump), then checks on generated dumps of
# every architecture and mode mkdump knows.  No terminal, no sleeps:
# wait-idle waits for the running step.
#
# UPDATE=1 rewrites the expected screens in tests/ui/ (review the diff!).
. "${top_srcdir:-.}/tests/lib.sh"
: "${UIDUMP:?UIDUMP must name the tests/uidump helper}"
: "${MKDUMP:?MKDUMP must name mmushell-mkdump}"

# Same screens whatever the caller's environment says.
unset NO_COLOR LINES COLUMNS
TERM=xterm-256color
export TERM
want_dir="${top_srcdir:-.}/tests/ui"

mkdir "$T/d"
"$UIDUMP" "$T/d" >"$T/d/addrs" || fail "uidump failed"
Y="$T/d/m.yaml"
G="$T/d/gt.yaml"

# Timings and throughputs vary from run to run: masked in the dumps.
normalise() {
	sed -E -e 's/[0-9]+\.[0-9]+ s/N.NN s/g' -e 's/[0-9]+ MiB\/s/N MiB\/s/g' "$1"
}

# screen NAME [OPTIONS...]: keys on stdin; the dump must equal tests/ui/NAME.screen.
screen() {
	name=$1
	shift
	cat >"$T/$name.keys"
	checks=$((checks + 1))
	"$MMUSHELL" "$@" --keys "$T/$name.keys" --dump-screen "$T/$name.raw" >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc != 0 ]; then
		fail "$name: exit status $rc"
		sed 's/^/  stderr: /' "$T/err" >&2
		return
	fi
	normalise "$T/$name.raw" >"$T/$name.screen"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$T/$name.screen" "$want_dir/$name.screen"
	elif ! cmp -s "$T/$name.screen" "$want_dir/$name.screen"; then
		fail "$name: screen differs from tests/ui/$name.screen:"
		diff "$want_dir/$name.screen" "$T/$name.screen" | sed 's/^/  /' >&2
	fi
}

# Before any step: empty panes that say what to do.
screen start -g "$G" "$Y" </dev/null

# The pipeline with r: trees, classes, ghost rows, the first tree opened.
screen pipeline -g "$G" "$Y" <<'KEYS'
r
wait-idle
r
wait-idle
KEYS

# Without colours the classes are markers.
screen nocolor --no-color -g "$G" "$Y" <<'KEYS'
r
wait-idle
r
wait-idle
t
KEYS

# NO_COLOR (any non-empty value) does what --no-color does; empty, it is ignored
# (no-color.org); a terminal without colours shows markers too.
printf 'r\nwait-idle\nr\nwait-idle\n' >"$T/steps.keys"
expect_rc 0 env NO_COLOR=1 "$MMUSHELL" -g "$G" --keys "$T/steps.keys" --dump-screen "$T/nc.screen" "$Y"
expect_grep "$T/nc.screen" "[TP]"
expect_rc 0 env NO_COLOR= "$MMUSHELL" -g "$G" --keys "$T/steps.keys" --dump-screen "$T/nc-empty.screen" "$Y"
checks=$((checks + 1))
grep -qF "[TP]" "$T/nc-empty.screen" && fail "NO_COLOR set but empty turned colours off"
expect_rc 0 env TERM=vt100 "$MMUSHELL" -g "$G" --keys "$T/steps.keys" --dump-screen "$T/vt.screen" "$Y"
expect_grep "$T/vt.screen" "[FP]"

# From the candidates to a leaf: Tab to the tree, open tables down to the
# first user page, Enter shows its bytes in the hex view.
screen leaf -g "$G" "$Y" <<'KEYS'
resize 110x34
r
wait-idle
r
wait-idle
t
Tab
j
Enter
j
Enter
j
Enter
j
Enter
KEYS

# At 80x24 a tree row shows, in this order, the index, the level or page
# size, the permissions, the virtual address (as wide as its siblings need)
# and the target address; the flags and what is cut go whole to the message
# line when the cursor is on the row (here in the physical view, v).
printf 'r\nwait-idle\nr\nwait-idle\nTab\nj\nEnter\nj\nEnter\nj\nEnter\n' >"$T/tree80.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/tree80.keys" --dump-screen "$T/tree80.screen" "$Y"
expect_grep "$T/tree80.screen" "|   v [  2] L3 0x400000 -> 0x0020f000 P RW US"
expect_grep "$T/tree80.screen" "|    - [  0] 4K ---r-x 0x400000 -> 0x00206000|"
expect_grep "$T/tree80.screen" "|    - [  1] 4K ---rw- 0x401000 -> 0x00207000|"
printf 'j\n' >>"$T/tree80.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/tree80.keys" --dump-screen "$T/tree80.screen" "$Y"
expect_grep "$T/tree80.screen" "[  0] 4K ---r-x 0x400000 -> 0x00206000 P US"
printf 'v\n' >>"$T/tree80.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/tree80.keys" --dump-screen "$T/tree80.screen" "$Y"
expect_grep "$T/tree80.screen" "|    - [  0] @0x0020f000 = 0x206005 -> 4K 0x0|"
printf 'j\n' >>"$T/tree80.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/tree80.keys" --dump-screen "$T/tree80.screen" "$Y"
expect_grep "$T/tree80.screen" "[  1] @0x0020f008 = 0x8000000000207007 -> 4K 0x00207000"

# The same page reached by its virtual address (g in the tree view), then
# the hex view switched to virtual addresses through the tree.
screen virtual "$Y" <<'KEYS'
resize 110x30
r
wait-idle
r
wait-idle
Tab
g
type 0x401010
Enter
Enter
v
KEYS

# Hex search for text, then from the top (g g) for bytes.
screen search "$Y" <<'KEYS'
r
wait-idle
Tab
Tab
/
type MMUSHELL-UI
Enter
n
g
g
/
type 4d 4d 55 53
Enter
KEYS

# Goto prompts read hexadecimal, 0x or not (addresses are shown in hex): the
# hex view at 100 is 0x100, and virtually (v, through the open tree) too.
printf 'r\nwait-idle\nr\nwait-idle\nTab\nTab\ng\ntype 100\nEnter\n' >"$T/hexgo.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/hexgo.keys" --dump-screen "$T/hexgo.screen" "$Y"
expect_grep "$T/hexgo.screen" "Hex: paddr 0x100 "
printf 'v\ng\ntype 401010\nEnter\n' >>"$T/hexgo.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/hexgo.keys" --dump-screen "$T/hexgo.screen" "$Y"
expect_grep "$T/hexgo.screen" "Hex: v 0x401010 -> p 0x"
printf 'g\ntype 40zz\nEnter\n' >>"$T/hexgo.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/hexgo.keys" --dump-screen "$T/hexgo.screen" "$Y"
expect_grep "$T/hexgo.screen" "not a hex address: '40zz'"

# A key that does nothing says so on the message line; g opens no prompt in a
# pane without addresses (g g still goes to the first row).
key_says() {
	printf '%b' "$1" >"$T/says.keys"
	expect_rc 0 "$MMUSHELL" --keys "$T/says.keys" --dump-screen "$T/says.screen" "$Y"
	expect_grep "$T/says.screen" "$2"
}
key_says 'v\n' "v: no such key in the Candidates pane; ? lists the keys"
key_says 'Tab\nTab\nSpace\n' "Space: nothing to toggle in the Hex pane; ? lists the keys"
key_says 'L\nEnter\n' "Enter: nothing to open in the Log pane; ? lists the keys"
key_says 'Del\n' "Del: no such key in the Candidates pane; ? lists the keys"
key_says 'C-x\n' "C-x: no such key in the Candidates pane; ? lists the keys"
key_says 'L\ng\n' "g: no addresses in the Log pane (g g goes to the first row)"
checks=$((checks + 1))
grep -qx "g" "$T/says.screen" && fail "g in the log opened a prompt"

# Sort and filter the candidates.
screen filter -g "$G" "$Y" <<'KEYS'
r
wait-idle
r
wait-idle
t
f
f
KEYS

# A candidate's note cut by the pane is said whole on the message line.
printf 'r\nwait-idle\nr\nwait-idle\nj\nj\n' >"$T/note.keys"
expect_rc 0 "$MMUSHELL" -g "$G" --keys "$T/note.keys" --dump-screen "$T/note.screen" "$Y"
expect_grep "$T/note.screen" "0x202000: an empty table: maps nothing"

# o sorts by the next column: after the root, the first level (lvl^).
printf 'r\nwait-idle\nr\nwait-idle\no\n' >"$T/sort.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/sort.keys" --dump-screen "$T/sort.screen" "$Y"
expect_grep "$T/sort.screen" "|root       lvl^    kernel       user  gtruth note"
expect_grep "$T/sort.screen" "sorted by lvl"

# ':' runs a batch command; its output goes to the log.
screen command "$Y" <<'KEYS'
:
type show_radix_trees
Enter
wait-idle
r
wait-idle
r
wait-idle
:
type show_radix_trees
Enter
wait-idle
KEYS

# Long log lines wrap (an error longer than the message line opens the log).
printf ':\ntype bogus 1\nEnter\nwait-idle\n' >"$T/bogus.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/bogus.keys" --dump-screen "$T/bogus.screen" "$Y"
expect_grep "$T/bogus.screen" "show_idtrs_gtruth)"

# The log keeps 50000 lines and says what it let go: an output longer than
# half of that keeps its head (the command, the headings) and its tail with a
# marker between; older lines go with a notice on the first line.  A 32-bit
# Intel dump whose 30 page tables map one page 30720 times: show_vas lists
# 30720 ranges.
mkdir "$T/big"
{
	head -c 4096 /dev/zero
	for i in $(seq 30); do printf '\007\040\000\000'; done
	head -c $((4096 - 120)) /dev/zero
	for i in $(seq 1024); do printf '\007\060\000\000'; done
	head -c $((4194304 - 3 * 4096)) /dev/zero
} >"$T/big/ram"
cat >"$T/big/m.yaml" <<'EOF'
cpu: {architecture: intel, endianness: little, bits: 32, processor_features: {m_phy: 32}}
mmu: {mode: ia32}
memspace:
  ram: [{start: 0x0, end: 0x3fffff, dumpfile: ram}]
EOF
printf 'resize 100x50\nr\nwait-idle\nL\n:\ntype show_vas 0x1000\nEnter\nwait-idle\nHome\n' >"$T/big.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/big.keys" --dump-screen "$T/big.screen" "$T/big/m.yaml"
expect_grep "$T/big.screen" "|> show_vas 0x1000"
expect_grep "$T/big.screen" "|Virtual start       Virtual end"
printf '/\ntype not kept\nEnter\n' >>"$T/big.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/big.keys" --dump-screen "$T/big.screen" "$T/big/m.yaml"
expect_grep "$T/big.screen" "|... 5722 lines of this output not kept (the log keeps 50000 lines)"
printf ':\ntype show_vas 0x1000\nEnter\nwait-idle\n:\ntype show_vas 0x1000\nEnter\nwait-idle\nHome\n' >>"$T/big.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/big.keys" --dump-screen "$T/big.screen" "$T/big/m.yaml"
expect_grep "$T/big.screen" "|... 30001 older lines dropped (the log keeps the last 50000)"
expect_grep "$T/big.screen" "Log (45014 lines, 30001 older dropped)"

# Running a step that already ran again asks first (its results would be
# replaced, and a cancel would leave none): n keeps them, y runs it.
printf 'r\nwait-idle\nr\nwait-idle\n:\ntype parse_memory\nEnter\n' >"$T/rerun.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/rerun.keys" --dump-screen "$T/rerun.screen" "$Y"
expect_grep "$T/rerun.screen" "parse_memory already ran: run it again and drop its results? [y/N]"
printf 'n\n' >>"$T/rerun.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/rerun.keys" --dump-screen "$T/rerun.screen" "$Y"
expect_grep "$T/rerun.screen" "not run: the results stay"
expect_grep "$T/rerun.screen" "all 2 steps done"
printf ':\ntype find_radix_trees\nEnter\n' >>"$T/rerun.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/rerun.keys" --dump-screen "$T/rerun.screen" "$Y"
expect_grep "$T/rerun.screen" "find_radix_trees already ran: run it again and drop its results? [y/N]"
printf 'y\nwait-idle\n' >>"$T/rerun.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/rerun.keys" --dump-screen "$T/rerun.screen" "$Y"
expect_grep "$T/rerun.screen" "find_radix_trees done; all analysis steps ran"

# Help lists the keys.
screen help -g "$G" "$Y" <<'KEYS'
resize 100x50
?
KEYS

# Below 80x24: one pane at a time with a tab bar; back to the grid after.
screen small -g "$G" "$Y" <<'KEYS'
r
wait-idle
r
wait-idle
resize 60x20
Tab
KEYS
screen small-back -g "$G" "$Y" <<'KEYS'
resize 60x20
r
wait-idle
resize 80x24
KEYS

# q asks when results are unsaved; anything but y keeps the explorer.
screen quit-ask "$Y" <<'KEYS'
r
wait-idle
q
KEYS

# PowerPC (uidump ppc): hash tables where other architectures have trees.
# Without colours: the table found that the latest SDR1 names [TP], one no
# SDR1 names [FP], the boot-time table [boot] and the lost one [FN] as
# ghosts, side by side with the SDR1 values; the map marks the tables (H).
mkdir "$T/p"
"$UIDUMP" "$T/p" ppc >"$T/p/addrs" || fail "uidump ppc failed"
PY="$T/p/m.yaml"
PG="$T/p/gt.yaml"
screen ppc-pipeline --no-color -g "$PG" "$PY" <<'KEYS'
resize 100x40
r
wait-idle
r
wait-idle
KEYS
# Open the true table, go to a PTE by its physical address (g): its group
# opens, the hex view follows the PTE; Enter shows the page it maps.
cat >"$T/ppc-pte.in" <<'KEYS'
resize 120x40
r
wait-idle
r
wait-idle
j
Enter
g
type 0x10af00
Enter
KEYS
screen ppc-pte -g "$PG" "$PY" <"$T/ppc-pte.in"
{ cat "$T/ppc-pte.in"; echo Enter; } >"$T/ppc-page.in"
screen ppc-page -g "$PG" "$PY" <"$T/ppc-page.in"
expect_grep "$T/ppc-page.screen" "00180000  4d 4d 55 53 48 45 4c 4c  MMUSHELL"

# MIPS, Config changed field by field (mfc0, and, ori, mtc0) as Linux sets K0:
# no usable value, so the logged Config is the false negative, and beside it
# the partial value whose one known key field agrees.
le32() {
	for shift in 0 8 16 24; do
		# shellcheck disable=SC2059
		printf "\\$(printf %o $((($1 >> shift) & 255)))"
	done
}
mkdir "$T/mips"
{
	head -c 4096 /dev/zero
	for w in 0x03E00008 0 0x40088000 0x2409FFF8 0x01094024 0x35080002 0x40888000 0x03E00008 0; do le32 "$w"; done
	head -c $((65536 - 4096 - 36)) /dev/zero
} >"$T/mips/ram"
cat >"$T/mips/m.yaml" <<'EOF'
cpu: {architecture: mips, endianness: little, bits: 32}
mmu: {mode: mips32}
memspace:
  ram: [{start: 0x0, end: 0xffff, dumpfile: ram}]
EOF
cat >"$T/mips/gt.yaml" <<'EOF'
format: mmushell-gtruth/1
registers:
  - {name: cp0_config0, value: 0x80000482, first_seen: 0, last_seen: 50}
EOF
printf 'resize 120x40\nr\nwait-idle\nr\nwait-idle\n' >"$T/mips.keys"
expect_rc 0 "$MMUSHELL" -g "$T/mips/gt.yaml" --keys "$T/mips.keys" --dump-screen "$T/mips.screen" "$T/mips/m.yaml"
expect_grep "$T/mips.screen" "|partial 0x00000002 1/5 fields, known bits agree"
expect_grep "$T/mips.screen" "|   K0:0x2, VI:?,   MT:?,   AR:?,   AT:?,   BE:?,   KU:?   |    K0:0x2, VI:0x0, MT:0x1, AR:0x1,"
expect_grep "$T/mips.screen" "|   differ (found / logged): VI ? / 0x0, MT ? / 0x1, AR ? / 0x1,"
expect_grep "$T/mips.screen" "| 0x80000482 FN       0.00-50.00"
# No trees or findings on MIPS: no candidates or tree pane; the map sits beside
# the hex view and the registers take the room.
expect_grep "$T/mips.screen" "+- Map: 64K bands "
checks=$((checks + 1))
head -n 1 "$T/mips.screen" | grep -q -- "-+- Hex: paddr" || fail "MIPS: the hex view is not beside the map"
checks=$((checks + 1))
grep -q "Candidates\|+- Tree" "$T/mips.screen" && fail "MIPS: a candidates or tree pane is shown"

# AArch64: a TCR_EL1 value in force giving other table shapes (set_tcr, or u
# in the registers pane) drops the trees built with the old one; the pipeline
# goes back to find_tables and the message line says so.
mkdir "$T/a64"
"$MKDUMP" --arch aarch64 --mode long --ram 16M --processes 2 -o "$T/a64" >/dev/null || fail "mkdump aarch64 failed"
tcr=$(sed -n 's/.*name: tcr_el1, value: \(0x[0-9a-f]*\).*/\1/p' "$T/a64/gtruth.yaml" | head -n 1)
printf ':\ntype set_tcr %s\nEnter\nwait-idle\nr\nwait-idle\nr\nwait-idle\nr\nwait-idle\n' "$tcr" >"$T/a64.keys"
printf ':\ntype set_tcr 0x%x\nEnter\nwait-idle\n' $((tcr - 1)) >>"$T/a64.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/a64.keys" --dump-screen "$T/a64.screen" "$T/a64/machine.yaml"
expect_grep "$T/a64.screen" "TCR_EL1 changed: r runs find_tables again (what it found before is dropped)"
expect_grep "$T/a64.screen" "next step: find_tables (r)"
expect_grep "$T/a64.screen" "No tree open"
printf 'r\nwait-idle\nr\nwait-idle\n' >>"$T/a64.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/a64.keys" --dump-screen "$T/a64.screen" "$T/a64/machine.yaml"
expect_grep "$T/a64.screen" "all 3 steps done"

# Below 80x24 the tab bar keeps the focused tab visible: short names when the
# full ones do not fit, then a window around the focused tab (< >).
printf 'resize 60x20\nL\n' >"$T/tabs.keys"
expect_rc 0 "$MMUSHELL" -g "$T/a64/gtruth.yaml" --keys "$T/tabs.keys" --dump-screen "$T/tabs.screen" "$T/a64/machine.yaml"
expect_grep "$T/tabs.screen" " Map | Cands | Regs | GT | Tree | Hex | Log"
expect_grep "$T/tabs.screen" "+- Log"
printf 'resize 30x20\n' >"$T/tabs.keys"
expect_rc 0 "$MMUSHELL" -g "$T/a64/gtruth.yaml" --keys "$T/tabs.keys" --dump-screen "$T/tabs.screen" "$T/a64/machine.yaml"
expect_grep "$T/tabs.screen" "< Cands | Regs | GT | Tree   >"
printf 'Tab\nTab\nTab\nTab\n' >>"$T/tabs.keys"
expect_rc 0 "$MMUSHELL" -g "$T/a64/gtruth.yaml" --keys "$T/tabs.keys" --dump-screen "$T/tabs.screen" "$T/a64/machine.yaml"
expect_grep "$T/tabs.screen" "< Regs | GT | Tree | Hex"
expect_grep "$T/tabs.screen" "+- Hex"

# AArch64 as Linux sets TCR_EL1: IPS from ID_AA64MMFR0_EL1 (bfi), unknown in
# the dump.  The candidate equals the logged value on every bit it knows:
# "known bits equal", not "exact"; the fields wrap side by side (all of them,
# IPS included) and the differing one is listed.
mkdir "$T/tcr"
{
	head -c 4096 /dev/zero
	# ret; movz x10,#0x3519; movk x10,#0xb510,lsl 16; movk x10,#1,lsl 32;
	# mrs x1,id_aa64mmfr0_el1; bfi x10,x1,#32,#3; msr tcr_el1,x10; eret
	for w in 0xd65f03c0 0xd286a32a 0xf2b6a20a 0xf2c0002a 0xd5380701 0xb360082a 0xd518204a 0xd69f03e0; do
		le32 "$w"
	done
	head -c $((65536 - 4096 - 32)) /dev/zero
} >"$T/tcr/ram"
cat >"$T/tcr/m.yaml" <<'EOF'
cpu: {architecture: aarch64, endianness: little, bits: 64}
mmu: {mode: long}
memspace:
  ram: [{start: 0x40000000, end: 0x4000ffff, dumpfile: ram}]
EOF
cat >"$T/tcr/gt.yaml" <<'EOF'
format: mmushell-gtruth/1
registers:
  - {name: tcr_el1, value: 0x5b5103519, first_seen: 0, last_seen: 50}
EOF
printf 'resize 100x40\nr\nwait-idle\n' >"$T/tcr.keys"
expect_rc 0 "$MMUSHELL" -g "$T/tcr/gt.yaml" --keys "$T/tcr.keys" --dump-screen "$T/tcr.screen" "$T/tcr/m.yaml"
expect_grep "$T/tcr.screen" "|#1 0x00000000b5103519 TP     known bits equal   | 0x00000005b5103519"
printf 'Tab\nTab\nG\n' >>"$T/tcr.keys"
expect_rc 0 "$MMUSHELL" -g "$T/tcr/gt.yaml" --keys "$T/tcr.keys" --dump-screen "$T/tcr.screen" "$T/tcr/m.yaml"
expect_grep "$T/tcr.screen" "|   TG1:0x2, IPS:?,   AS:0x0, TBI0:0x0, TBI1:0x0 |    TG1:0x2, IPS:0x5, AS:0x0, TBI0:0x0, TBI1:0x0 |"
expect_grep "$T/tcr.screen" "|   E0PD0:0x0, E0PD1:0x0, TCMA0:0x0, TCMA1:0x0   |    E0PD0:0x0, E0PD1:0x0, TCMA0:0x0, TCMA1:0x0   |"
expect_grep "$T/tcr.screen" "|   differ (found / logged): IPS ? / 0x5"
# At 80 columns the selected row, cut in its half, is said whole on the message line.
printf 'resize 80x24\nHome\nj\n' >>"$T/tcr.keys"
expect_rc 0 "$MMUSHELL" -g "$T/tcr/gt.yaml" --keys "$T/tcr.keys" --dump-screen "$T/tcr.screen" "$T/tcr/m.yaml"
expect_grep "$T/tcr.screen" "#1 0x00000000b5103519 TP known bits equal | 0x00000005b5103519 0.00-50.00"
# The ground-truth band is sized for the width its field rows wrap at: at
# start-up (a session with the register recovered, on a 160x60 screen) and
# after a resize, it ends under its last row and the tree band has the rest.
printf 'r\nwait-idle\ns\nEnter\nwait-idle\n' >"$T/tcrsave.keys"
expect_rc 0 "$MMUSHELL" -g "$T/tcr/gt.yaml" --keys "$T/tcrsave.keys" --dump-screen "$T/tcrsave.screen" "$T/tcr/m.yaml"
LINES=60 COLUMNS=160
export LINES COLUMNS
screen gtruth-wide -g "$T/tcr/gt.yaml" --session "$T/tcr/m.session" "$T/tcr/m.yaml" </dev/null
unset LINES COLUMNS
printf 'resize 100x40\nresize 160x60\n' >"$T/tcrwide.keys"
expect_rc 0 "$MMUSHELL" -g "$T/tcr/gt.yaml" --session "$T/tcr/m.session" --keys "$T/tcrwide.keys" \
	--dump-screen "$T/tcrwide.screen" "$T/tcr/m.yaml"
checks=$((checks + 1))
grep -A1 "differ (found / logged): IPS ? / 0x5" "$T/tcrwide.screen" | tail -n 1 | grep -q "^+- Tree" ||
	fail "after a resize, the ground-truth band is not sized for its width"

# s saves the session (save_data) under the name it offers; then nothing is unsaved,
# and --session shows the results at once, steps done.
printf 'r\nwait-idle\ns\nEnter\nwait-idle\n' >"$T/save.keys"
expect_rc 0 "$MMUSHELL" --keys "$T/save.keys" --dump-screen "$T/save.screen" "$Y"
expect_grep "$T/save.screen" "save_data: done"
checks=$((checks + 1))
grep -qF "[unsaved]" "$T/save.screen" && fail "still [unsaved] after s"
checks=$((checks + 1))
[ -s "$T/d/m.session" ] || fail "s did not write $T/d/m.session"
expect_rc 0 "$MMUSHELL" --session "$T/d/m.session" --keys /dev/null --dump-screen "$T/load.screen" "$Y"
expect_grep "$T/load.screen" "Candidates (3 root tables; no trees yet)"
expect_grep "$T/load.screen" "next step: find_radix_trees (r)  [1/2 done]"

# --demo with --batch: the generated folder goes away, even when the output
# pipe closes early (SIGPIPE).
mkdir "$T/tmp"
expect_rc 0 env TMPDIR="$T/tmp" "$MMUSHELL" --batch --demo riscv/sv39 -e show_machine
expect_grep "$T/out" "Architecture: riscv"
checks=$((checks + 1))
[ -z "$(ls "$T/tmp")" ] || fail "--demo --batch left $(ls "$T/tmp")"
args=
for i in $(seq 300); do args="$args -e help"; done
TMPDIR="$T/tmp" "$MMUSHELL" --batch --demo $args | head -n 1 >/dev/null
checks=$((checks + 1))
[ -z "$(ls "$T/tmp")" ] || fail "--demo --batch left $(ls "$T/tmp") after a broken pipe"

# Unknown key names fail before the screen opens, naming the line.
printf 'j\nFrobnicate\n' >"$T/bad.keys"
expect_rc 1 "$MMUSHELL" --keys "$T/bad.keys" "$Y"
expect_grep "$T/err" "bad.keys:2: unknown key name 'Frobnicate'"
expect_rc 1 "$MMUSHELL" --batch --keys "$T/bad.keys" "$Y"
expect_file "$T/err" "mmushell: --keys and --dump-screen drive the explorer: not with --batch"
# Without a terminal and without --keys: a clear message, pointing to --batch.
expect_rc 1 sh -c "'$MMUSHELL' '$Y' </dev/null >/dev/null"
expect_grep "$T/err" "mmushell: the explorer needs a terminal"
expect_grep "$T/err" "use --batch"

# Every architecture and mode mkdump generates: the pipeline with r finds
# every root the generator wrote (expected.yaml), shown in the candidates.
# The list is the one --demo offers (from the generator): a new architecture is tested at once.
specs=$("$MMUSHELL" --batch --demo list 2>&1 | sed -n 's/.*choose one of //p')
checks=$((checks + 1))
[ -n "$specs" ] || fail "--demo list did not list the architectures"
for spec in $specs; do
	arch=${spec%/*}
	mode=${spec#*/}
	d="$T/$arch-$mode"
	if ! "$MKDUMP" --arch "$arch" --mode "$mode" --ram 16M --processes 4 -o "$d" >/dev/null 2>"$T/err"; then
		fail "mkdump $spec failed"
		sed 's/^/  /' "$T/err" >&2
		continue
	fi
	# Generated dumps hold no kernel code to recover TTBCR/TCR from: set the
	# ground truth's value with ':' where the architecture needs one.
	printf 'resize 200x120\n' >"$T/arch.keys"
	for reg in ttbcr:set_ttbcr tcr_el1:set_tcr; do
		v=$(sed -n "s/.*name: ${reg%:*}, value: \(0x[0-9a-f]*\).*/\1/p" "$d/gtruth.yaml" | head -n 1)
		[ -n "$v" ] && printf ':\ntype %s %s\nEnter\nwait-idle\n' "${reg#*:}" "$v" >>"$T/arch.keys"
	done
	# r for each pipeline step (two or three); one more only says all ran.
	printf 'r\nwait-idle\nr\nwait-idle\nr\nwait-idle\nr\nwait-idle\n' >>"$T/arch.keys"
	checks=$((checks + 1))
	if ! "$MMUSHELL" -g "$d/gtruth.yaml" --keys "$T/arch.keys" --dump-screen "$T/arch.screen" "$d/machine.yaml" \
		>/dev/null 2>"$T/err"; then
		fail "$spec: explorer failed"
		sed 's/^/  /' "$T/err" >&2
		continue
	fi
	grep -q 'all [0-9]* steps done' "$T/arch.screen" || fail "$spec: the pipeline did not complete"
	# Register architectures show the value in force (here the one set) in the registers pane.
	case $arch in
	arm | aarch64)
		checks=$((checks + 1))
		grep -Eq '(TTBCR|TCR_EL1)  in force: 0x[0-9a-f]+ \(set_' "$T/arch.screen" ||
			fail "$spec: the registers pane does not show the value in force"
		;;
	esac
	# PowerPC: the hash table the generator wrote is listed (address, size), and
	# a PTE's page shows in the hex view (Enter on the table, a group, a PTE).
	if [ "$arch" = ppc ]; then
		sed -n 's/^ *- {address: 0x\([0-9a-f]*\), size: \(0x[0-9a-f]*\),.*/\1 \2/p' "$d/expected.yaml" >"$T/htabs"
		checks=$((checks + 1))
		[ -s "$T/htabs" ] || fail "$spec: no hash_tables in expected.yaml"
		while read -r addr size; do
			checks=$((checks + 1))
			grep -Eq "\|0x0*$addr size $size +[0-9]+ PTEs +TP " "$T/arch.screen" ||
				{ fail "$spec: hash table 0x$addr ($size) not in the candidates pane"; sed 's/^/  /' "$T/arch.screen" >&2; }
		done <"$T/htabs"
		printf 'Enter\nj\nEnter\nj\nEnter\n' >>"$T/arch.keys"
		"$MMUSHELL" -g "$d/gtruth.yaml" --keys "$T/arch.keys" --dump-screen "$T/pte.screen" "$d/machine.yaml" \
			>/dev/null 2>"$T/err" || fail "$spec: explorer failed on the PTE keys"
		rpn=$(sed -n 's/.*- \[[0-7]\] VSID 0x[0-9a-f]* API 0x[0-9a-f]* [ps][re][ic] RPN 0x\([0-9a-f]*\) .*/\1/p' \
			"$T/pte.screen" | head -n 1)
		checks=$((checks + 1))
		if [ -z "$rpn" ]; then
			fail "$spec: no PTE in the tree view"
			sed 's/^/  /' "$T/pte.screen" >&2
		else
			page=$(printf '%x' $((0x$rpn << 12)))
			expect_grep "$T/pte.screen" "Hex: paddr 0x$page"
			expect_grep "$T/pte.screen" "$(printf '%08x' "0x$page")  $(dump_bytes "$d/machine.yaml" "0x$page" 8)"
		fi
	fi
	# Intel: the IDT the generator wrote is the ground truth's IDTR, side by side (TP).
	idt=$(sed -n 's/^idt: {va: 0x[0-9a-f]*, pa: 0x\([0-9a-f]*\),.*/\1/p' "$d/expected.yaml")
	if [ -n "$idt" ]; then
		checks=$((checks + 1))
		grep -Eq "\|0x0*$idt TP +[0-9]+ gates" "$T/arch.screen" ||
			{ fail "$spec: IDT 0x$idt not a TP row of the ground-truth pane"; sed 's/^/  /' "$T/arch.screen" >&2; }
	fi
	for root in $(sed -n 's/^ *- root: 0x\([0-9a-f]*\).*/\1/p' "$d/expected.yaml"); do
		checks=$((checks + 1))
		grep -Eq "\|0x0*$root +([a-z]+ +)?[0-4] " "$T/arch.screen" ||
			{ fail "$spec: root 0x$root not in the candidates pane"; sed 's/^/  /' "$T/arch.screen" >&2; }
	done
	rm -rf "$d"
done

finish
