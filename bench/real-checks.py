#!/usr/bin/env python3
"""`resolve` on the real dumps of ../shared/harness against the harness's own
checks: for each virtual address it checked (kernel symbols, IDTR base, each
vCPU's PC), the address is resolved through the root that vCPU's last sample
names, and compared with QEMU's gva2gpa and the harness's walk of the dumped
tables.  Not part of make check (the dumps are 1 GiB each); needs PyYAML.

usage: bench/real-checks.py [BUILD_DIR] [DUMPS]   (defaults: . and $HOME/dumps)
"""
import glob
import json
import os
import subprocess
import sys

import yaml

build = sys.argv[1] if len(sys.argv) > 1 else "."
dumps = sys.argv[2] if len(sys.argv) > 2 else os.path.expanduser("~/dumps")
mmushell = os.path.join(build, "mmushell")

STEPS = {
    "intel": ["parse_memory", "find_radix_trees"],
    "riscv": ["parse_memory", "find_radix_trees"],
    "arm": ["find_registers_values", "find_tables", "find_radix_trees"],
    "aarch64": ["find_registers_values", "find_tables", "find_radix_trees"],
}


def root_and_tree(arch, mode, regs, va):
    """The root (and tree kind) the hardware would walk for va, as the harness derives roots."""
    if arch == "intel":
        mask = {"ia64": 0x000FFFFFFFFFF000, "pae": 0xFFFFFFE0, "ia32": 0xFFFFF000}[mode]
        return regs["cr3"] & mask, ""
    if arch == "riscv":
        return (regs["satp"] & ((1 << 44) - 1)) << 12, ""
    if arch == "aarch64":
        kernel = va >> 63
        return regs["ttbr1_el1" if kernel else "ttbr0_el1"] & 0x0000FFFFFFFFFFFE, "kernel" if kernel else "user"
    if mode.lower() == "short":  # TTBCR.N = 0 on the harness: one tree
        return regs["ttbr0"] & 0xFFFFC000, ""
    kernel = va >= 0xC0000000  # LPAE with T1SZ = 2
    return regs["ttbr1_64" if kernel else "ttbr0_64"] & 0xFFFFFFFFE0, "kernel" if kernel else "user"


failed = False
print("%-11s %-4s %-18s %-20s %-12s %-12s %s" % ("target", "cpu", "label", "va", "harness", "mmushell", "result"))
for target_dir in sorted(glob.glob(os.path.join(dumps, "*", ""))):
    target = os.path.basename(os.path.dirname(target_dir))
    machine = os.path.join(target_dir, target + ".yaml")
    gt_path = os.path.join(target_dir, target + ".gtruth.yaml")
    if not os.path.exists(gt_path):
        continue
    gt = yaml.safe_load(open(gt_path))
    arch, mode = gt["architecture"], gt["mmu_mode"]
    if arch not in STEPS:
        continue
    last = {}
    for s in gt.get("samples") or []:
        last[s["cpu"]] = s["registers"]
    checks = [c for c in gt.get("checks") or [] if c.get("walk") is not None or c.get("gva2gpa") is not None]
    cmds = []
    for c in checks:
        root, tree = root_and_tree(arch, mode, last[c["cpu"]], c["va"])
        cmds += ["-e", ("resolve 0x%x 0x%x %s" % (root, c["va"], tree)).strip()]
    args = [mmushell, "--batch", "--json"] + sum((["-e", s] for s in STEPS[arch]), []) + cmds + [machine]
    answers = [json.loads(line) for line in subprocess.run(args, capture_output=True, text=True).stdout.splitlines()]
    answers = answers[len(STEPS[arch]):]
    for c, a in zip(checks, answers):
        want = c["walk"] if c.get("walk") is not None else c["gva2gpa"]
        got = int(a["result"]["paddr"], 16) if a["ok"] and a["result"].get("mapped") else None
        ok = got == want and (c.get("gva2gpa") is None or c["gva2gpa"] == want)
        failed |= not ok
        print("%-11s %-4d %-18s 0x%-18x 0x%-10x %-12s %s" % (target, c["cpu"], c["label"], c["va"], want,
              "0x%x" % got if got is not None else (a["error"] or "unmapped"), "ok" if ok else "DIFFERS"))
sys.exit(1 if failed else 0)
