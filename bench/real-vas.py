#!/usr/bin/env python3
"""Address spaces rebuilt by mmushell against QEMU's own view, on the real
x86 dumps of ../shared/harness (not part of make check: the dumps are 1 GiB
each).  For every root the harness saved `info mem` / `info tlb` for, it
compares `show_vas ROOT`:
  - with `info mem`: the ranges, merged by user/kernel and writable, equal;
  - with `info tlb`: every page QEMU lists maps to the same physical page.
`info mem` / `info tlb` were taken at a sample instant, the dump after the
last one: a process may have changed its user mappings in between.

usage: bench/real-vas.py [BUILD_DIR] [DUMPS]   (defaults: . and $HOME/dumps)
"""
import bisect
import glob
import gzip
import json
import os
import re
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "."
dumps = sys.argv[2] if len(sys.argv) > 2 else os.path.expanduser("~/dumps")
mmushell = os.path.join(build, "mmushell")
# QEMU prints a PAE/IA-32e entry's XD bit (63) as part of the address in `info tlb`.
PA_MASK = (1 << 52) - 1


def show_vas(yaml, root):
    cmd = [mmushell, "--batch", "--json", "-e", "parse_memory", "-e", "find_radix_trees", "-e", "show_vas " + root, yaml]
    last = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip().splitlines()[-1]
    answer = json.loads(last)
    if not answer["ok"]:
        raise SystemExit("%s: show_vas %s: %s" % (yaml, root, answer["error"]))
    return answer["result"]["ranges"]


def merged(items):
    out = []
    for start, end, attr in items:
        if out and out[-1][1] == start and out[-1][2] == attr:
            out[-1][1] = end
        else:
            out.append([start, end, attr])
    return set(map(tuple, out))


def ours_as_info_mem(ranges):
    items = []
    for r in ranges:
        va, perms = int(r["va"], 16), r["perms"]
        user = perms[3] == "r"
        writable = perms[4] == "w" if user else perms[1] == "W"
        items.append((va, va + r["size"], ("u" if user else "-") + "r" + ("w" if writable else "-")))
    return merged(items)


def info_mem(path):
    items = []
    for line in open(path):
        m = re.match(r"([0-9a-f]+)-([0-9a-f]+) [0-9a-f]+ (\S+)", line)
        if m:
            items.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
    return merged(items)


def tlb_check(ranges, path):
    starts = [int(r["va"], 16) for r in ranges]
    equal = differ = unmapped = 0
    for line in gzip.open(path, "rt"):
        m = re.match(r"([0-9a-f]+): ([0-9a-f]+) ", line)
        if not m:
            continue
        va, pa = int(m.group(1), 16), int(m.group(2), 16) & PA_MASK
        i = bisect.bisect_right(starts, va) - 1
        if i < 0 or va >= starts[i] + ranges[i]["size"]:
            unmapped += 1
        elif int(ranges[i]["pa"], 16) + va - starts[i] == pa:
            equal += 1
        else:
            differ += 1
    return equal, differ, unmapped


failed = False
print("%-9s %-10s %-34s %s" % ("target", "root", "info mem ranges (equal/qemu/ours)", "info tlb pages (equal/differ/unmapped)"))
for target_dir in sorted(glob.glob(os.path.join(dumps, "*", ""))):
    target = os.path.basename(os.path.dirname(target_dir))
    yaml = os.path.join(target_dir, target + ".yaml")
    for mem in sorted(glob.glob(os.path.join(target_dir, "vmem", "*.info_mem.txt"))):
        root = os.path.basename(mem)[: -len(".info_mem.txt")]
        ranges = show_vas(yaml, root)
        ours, qemu = ours_as_info_mem(ranges), info_mem(mem)
        tlb = mem[: -len(".info_mem.txt")] + ".info_tlb.txt.gz"
        equal, differ, unmapped = tlb_check(ranges, tlb) if os.path.exists(tlb) else (0, 0, 0)
        failed |= ours != qemu or differ > 0 or unmapped > 0
        print("%-9s %-10s %-34s %d/%d/%d" % (target, root, "%d/%d/%d" % (len(ours & qemu), len(qemu), len(ours)),
                                            equal, differ, unmapped))
sys.exit(1 if failed else 0)
