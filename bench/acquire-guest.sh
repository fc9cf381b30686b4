#!/bin/sh
# acquire-guest.sh: mmushell-acquire on a real Linux machine (a QEMU guest),
# compared with QEMU's own dump of the same machine.  Not part of make check.
#
#   [TARGET=x86_64|i386-pae|aarch64] bench/acquire-guest.sh [OUT] [-- OPTIONS of acquire-guest.py]
#   e.g. bench/acquire-guest.sh /tmp/acq-guest -- --ram 1G
#        TARGET=i386-pae bench/acquire-guest.sh /tmp/acq-pae -- --ram 1G
#        bench/acquire-guest.sh /tmp/acq-guest -- --compare-only
#        bench/acquire-guest.sh /tmp/acq-vmem -- --virtio-mem 256M   (hotplugged RAM)
#
# Needs: a configured and built tree (run from its top: mmushell analyses; the
# tool is compiled again with -static, libc.a alone), qemu-system-x86_64 (or -i386) with virtfs (9p), python3, dpkg-deb, and the
# download cache of ../shared/harness (HARNESS_CACHE, default
# /root/dumps/cache: the bookworm amd64 kernel .deb and busybox-static .deb;
# `make-dumps.sh --fetch-only x86_64` fills it).
#
# What it does (acquire-guest.py): boots Debian's 6.1 amd64 kernel under TCG
# (2 vCPUs, 512 MiB) with a busybox initramfs holding the static tool and the
# kernel's virtio/9p modules; the guest mounts OUT/share over 9p, starts a few
# long-lived processes, checks the error cases (no root, no source, no /dev/crash,
# /dev/mem under CONFIG_STRICT_DEVMEM, output under /proc, /dev, /sys: files
# OUT/run/share/err-*.txt), then runs `mmushell-acquire -o /out/acq-FORMAT
# --format FORMAT` for raw, elf and lime (the first with its progress line on
# the serial console, a terminal).  Just before and just after each, the host
# stops the VM and takes QMP dump-guest-memory (OUT/run/qemu-pre-FORMAT.elf,
# OUT/run/qemu-FORMAT.elf).  Then, per format, it compares the acquired
# machine.yaml with QEMU's ELF read with the guest's /proc/iomem: RAM map
# (= iomem System RAM), unreadable pages, pages whose bytes differ (and whether
# they changed between QEMU's two dumps: a page that did not must be equal,
# barring a change undone in between), the trees mmushell finds (roots, sizes)
# and resolve on kernel symbols and user pages of a few process roots.
# Report: OUT/run/report.json and a summary; exit status 1 if a RAM map differs.
#
# Cost (2 shared cores): boot ~20 s, each acquisition of 512 MiB ~5 s (about
# 100 MiB/s under TCG), comparison ~15 s: ~70 s in all.  Disk: ~4.5 GiB in OUT.
set -eu
top=$(pwd)
[ -x "$top/mmushell" ] && [ -f "$top/autoconfig.h" ] || {
	echo "acquire-guest.sh: run it from a built tree (make first)" >&2
	exit 1
}
out=${1:-/tmp/acquire-guest}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
mkdir -p "$out"
# Static, so the initramfs needs no shared libraries; built from its sources
# (libc alone) for the guest: TARGET=i386-pae needs gcc -m32 (libc6-dev-i386,
# lib32gcc-12-dev), TARGET=aarch64 gcc-aarch64-linux-gnu.
target=${TARGET:-x86_64}
case $target in
x86_64) cc="gcc" ;;
i386-pae)
	# /usr/include/asm comes with gcc-multilib (which conflicts with the aarch64
	# cross compiler): the x86_64 asm headers serve -m32 too (#ifdef __i386__)
	mkdir -p "$out/inc32"
	[ -e /usr/include/asm ] || ln -sfn /usr/include/x86_64-linux-gnu/asm "$out/inc32/asm"
	cc="gcc -m32 -idirafter $out/inc32" ;;
aarch64) cc="aarch64-linux-gnu-gcc" ;;
*) echo "acquire-guest.sh: TARGET must be x86_64, i386-pae or aarch64" >&2; exit 1 ;;
esac
$cc -std=c11 -O2 -static -I. -Isrc/core -Itools -o "$out/mmushell-acquire" tools/mmushell-acquire.c tools/acquire.c \
	src/core/dumpfmt-names.c src/core/elfcore.c src/core/fdout.c src/core/iomem.c src/core/lime.c src/core/util.c -lm
exec python3 "$(dirname "$0")/acquire-guest.py" --out "$out/run" --cache "${HARNESS_CACHE:-/root/dumps/cache}" \
	--target "$target" --acquire "$out/mmushell-acquire" --mmushell "$top/mmushell" "$@"
