#!/usr/bin/env python3
"""Hostile dumps at full size: time and peak memory of mmushell on dumps made
to exhaust it (doc/bad-input.md, "Hostile memory: the limits").

The fuzz targets feed small inputs; the limits that keep memory and time in
proportion to the dump only show at real sizes.  For every architecture and
pattern this writes a dump of SIZE MiB (default 256) into a scratch folder,
runs the whole pipeline, then show_vas and export_vas on the first tree found
(or the start of RAM), and prints seconds, peak RSS and what mmushell said
about its limits.  A run longer than --timeout seconds counts as a hang.

Patterns (entries are the architecture's valid table pointers):
  same    every entry of every page points to the first page of RAM
  chain   every entry of page k points to page k+1
  self    every entry of a page points to that page
  random  uniform random bytes
  code    Intel: 64-bit interrupt gates everywhere; ARM, AArch64, MIPS,
          PowerPC: the MMU-register write instruction in every word

usage: bench/hostile.py [--mmushell PATH] [--size MIB] [--timeout S] [--only ARCH[:MODE]]...
Not part of make check.  Python 3 standard library only.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

PAGE = 4096

# name, architecture, mode, bits, endianness, RAM base, entry size,
# pointer(address) -> entry, MMU-write instruction word (code pattern), steps
MACHINES = [
    ("ia64", "intel", "ia64", 64, "little", 0, 8, lambda a: a | 0x27, None),
    ("pae", "intel", "pae", 32, "little", 0, 8, lambda a: a | 0x1, None),
    ("ia32", "intel", "ia32", 32, "little", 0, 4, lambda a: a | 0x27, None),
    ("sv39", "riscv", "sv39", 64, "little", 0x80000000, 8, lambda a: ((a >> 12) << 10) | 0x1, None),
    ("aarch64", "aarch64", "Long", 64, "little", 0x40000000, 8, lambda a: a | 0x3, 0xD5182040),  # msr tcr_el1, x0
    ("arm-short", "arm", "Short", 32, "little", 0x40000000, 4, lambda a: a | 0x1, 0xEE020F50),  # mcr p15,0,r0,c2,c0,2
    ("arm-long", "arm", "Long", 32, "little", 0x40000000, 8, lambda a: a | 0x3, 0xEE020F50),
    ("mips", "mips", "mips32", 32, "little", 0, 4, None, 0x40842800),  # mtc0 a0, PageMask
    ("ppc", "ppc", "ppc32", 32, "big", 0, 4, None, 0x7C7903A6),  # mtspr SDR1, r3
]

REGISTERS = {  # what find_tables needs when find_registers_values finds nothing usable
    "aarch64": "set_tcr 0x100070b5503510",
    "arm-short": "set_ttbcr 0",
    "arm-long": "set_ttbcr 0xb5023500",
}


def gate64():
    off = 0xFFFFFFFF81000000
    g = (off & 0xFFFF).to_bytes(2, "little") + (0x10).to_bytes(2, "little") + bytes([0, 0x8E])
    g += ((off >> 16) & 0xFFFF).to_bytes(2, "little") + (off >> 32).to_bytes(4, "little") + bytes(4)
    return g


def write_dump(path, m, pattern, size):
    name, arch, mode, bits, endian, base, esize, ptr, insn = m
    order = endian
    pages = size // PAGE
    with open(path, "wb") as f:
        if pattern == "random":
            block = os.urandom(1 << 20)
            for _ in range(size >> 20):
                f.write(block if _ % 2 == 0 else os.urandom(1 << 20))
        elif pattern == "code":
            if arch == "intel":
                f.write(gate64() * (size // 16))
            else:
                f.write(insn.to_bytes(4, order) * (size // 4))
        elif pattern == "same":
            f.write(ptr(base).to_bytes(esize, order) * (size // esize))
        else:
            per = PAGE // esize
            buf = bytearray()
            for k in range(pages):
                target = base + PAGE * ((k + 1) % pages if pattern == "chain" else k)
                buf += ptr(target).to_bytes(esize, order) * per
                if len(buf) >= 1 << 22:
                    f.write(buf)
                    buf = bytearray()
            f.write(buf)


def write_yaml(path, m, size):
    name, arch, mode, bits, endian, base, esize, ptr, insn = m
    extra = "  processor_features:\n    m_phy: 40\n" if arch == "intel" else ""
    with open(path, "w") as f:
        f.write(f"cpu:\n  architecture: {arch}\n  endianness: {endian}\n  bits: {bits}\n{extra}"
                f"mmu:\n  mode: {mode}\nmemspace:\n  ram:\n"
                f"    - start: {base:#x}\n      end: {base + size - 1:#x}\n      dumpfile: dump.0\n")


def run(cmd, timeout):
    """Runs cmd; returns (seconds, peak RSS MiB, stdout, stderr, status or 'hang')."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        status = "hang"
        rss = 0
        while time.monotonic() - start < timeout:
            pid, code, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                status = os.waitstatus_to_exitcode(code)
                rss = usage.ru_maxrss / 1024
                break
            time.sleep(0.02)
        else:
            p.kill()
            os.wait4(p.pid, 0)
        p.returncode = 0  # reaped here: keep Popen from waiting again
        secs = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return secs, rss, out.read().decode(errors="replace"), err.read().decode(errors="replace"), status


def pipeline(m):
    name, arch = m[0], m[1]
    if arch in ("intel", "riscv"):
        return ["parse_memory", "find_radix_trees", "show_radix_trees"]
    if arch in ("arm", "aarch64"):
        return ["find_registers_values", REGISTERS[name], "find_tables", "find_radix_trees", "show_radix_trees"]
    steps = ["parse_memory", "find_registers_values", "show_registers"]
    if arch == "ppc":
        steps.append("show_hashtables")
    return steps


LIMIT_WORDS = ("not kept", "limit", "truncated", "budget", "not analysed", "not examined", "more than",
               "not written")


LEFT_OUT = ("dropped_sites", "skipped_sites", "budget_exhausted_sites", "idts_dropped")


def limits_said(value, seen=None):
    """The messages (strings of the JSON results, or text) that say a limit was reached."""
    seen = [] if seen is None else seen
    if isinstance(value, dict):
        for k, v in value.items():
            # counts of what a limit left out ("sites_not_kept": N)
            if isinstance(v, int) and not isinstance(v, bool) and v and k in LEFT_OUT and f"{k} {v}" not in seen:
                seen.append(f"{k} {v}")
            limits_said(v, seen)
    elif isinstance(value, list):
        for v in value:
            limits_said(v, seen)
    elif isinstance(value, str):
        for line in value.splitlines():
            low = line.lower()
            if any(k in low for k in LIMIT_WORDS) and line.strip()[:110] not in seen:
                seen.append(line.strip()[:110])
    return seen


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mmushell", default="./mmushell")
    ap.add_argument("--size", type=int, default=256, help="dump size in MiB")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--only", action="append", default=[], help="machine name (ia64, sv39, arm-short, ...)")
    ap.add_argument("--patterns", default="same,chain,self,random,code")
    args = ap.parse_args()
    size = args.size << 20
    scratch = tempfile.mkdtemp(prefix="mmushell-hostile-")
    worst = 0
    print(f"{'machine':<10} {'pattern':<7} {'pipeline s':>10} {'vas+export s':>12} {'peak MiB':>8}  result")
    try:
        for m in MACHINES:
            if args.only and m[0] not in args.only:
                continue
            for pattern in args.patterns.split(","):
                if pattern == "code" and m[8] is None and m[1] != "intel":
                    continue
                if pattern in ("same", "chain", "self") and m[7] is None:
                    continue
                dump = os.path.join(scratch, "dump.0")
                yml = os.path.join(scratch, "machine.yaml")
                write_dump(dump, m, pattern, size)
                write_yaml(yml, m, size)
                steps = pipeline(m)
                cmd = [args.mmushell, "--batch", "--json"]
                for s in steps:
                    cmd += ["-e", s]
                secs, rss, out, err, status = run(cmd + [yml], args.timeout)
                root = None
                notes = []
                failed = []
                for line in out.splitlines():
                    try:
                        j = json.loads(line)
                    except ValueError:
                        continue
                    if not j["ok"]:
                        failed.append(f"{j['command']}: {j['error'][:90]}")
                        continue
                    r = j.get("result") or {}
                    if j["command"] == "show_radix_trees" and r.get("trees"):
                        root = r["trees"][0]["root"]
                    notes += limits_said(r)
                notes += limits_said(err)
                secs2 = 0.0
                if root is None and m[7] is not None:
                    root = hex(m[5])  # no tree: walk the start of RAM as if it were one
                if root is not None and status in (0, 1):
                    exp = os.path.join(scratch, "as.elf")
                    cmd2 = [args.mmushell, "--batch"]
                    for s in steps[:-1]:
                        cmd2 += ["-e", s]
                    cmd2 += ["-e", f"show_vas {root}", "-e", f"export_vas {root} {exp}", yml]
                    secs2, rss2, out2, err2, status2 = run(cmd2, args.timeout)
                    rss = max(rss, rss2)
                    if status2 == "hang":
                        status = "hang"
                    notes += limits_said(out2[-4000:] + err2)
                    if os.path.exists(exp):
                        notes.append(f"export {os.path.getsize(exp) >> 20} MiB")
                        os.unlink(exp)
                worst = max(worst, rss)
                if status == "hang":
                    res = f"HANG (over {args.timeout} s)"
                elif status not in (0, 1):
                    res = f"EXIT {status}: {err.strip()[-200:]}"
                else:
                    said = []
                    for n in failed + notes:  # stderr repeats the failed commands
                        n = n.removeprefix("mmushell: ")[:100]
                        if not any(n[:60] in x for x in said):
                            said.append(n)
                    res = "; ".join(said[:4]) or "ok, no limit reached"
                print(f"{m[0]:<10} {pattern:<7} {secs:>10.2f} {secs2:>12.2f} {rss:>8.0f}  {res}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"largest peak RSS: {worst:.0f} MiB for a {args.size} MiB dump")


if __name__ == "__main__":
    sys.exit(main())
