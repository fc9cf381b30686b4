#!/usr/bin/env python3
"""Input formats, sessions and exports on the real dumps of ../shared/harness
(not part of make check: the dumps are 256 MiB to 1 GiB each).  Python 3
standard library only.  For every target folder DUMPS/<t>/ holding <t>.yaml
and <t>.elf:

 1. formats: the architecture's pipeline and result commands on the raw
    files + YAML and on the ELF core given as MACHINE_CONFIG (--arch/--mode
    from the YAML; once more with --iomem iomem.txt when present); the JSON
    answers are compared with file names and timings left out, and the RAM
    maps of show_memory_map side by side;
 2. sessions: save_data after the YAML pipeline, then --session with the
    result commands only (they answer only when the results are loaded, so
    equal answers mean no re-analysis): equal answers, load time, file
    size; the session against another target's dump and against a changed
    copy of a small dump file; truncated, byte-flipped, foreign and
    future-version session files must give a one-line error (never a
    crash); save_data into a full file system must leave nothing behind;
 3. exports: export_vas of a few roots with user pages, read back: every
    PT_LOAD against show_vas, a sample of pages against resolve + the dump's
    bytes, the zero-filled pages against the note's absent list, readelf -l,
    and gdb (gdb-multiarch when there) reading words of the core; export_all
    on the first target.

usage: bench/real-formats.py [--build DIR] [--san MMUSHELL] [--flips N]
                             [--targets t1,t2] [DUMPS]
  --build DIR    folder holding the mmushell binary (default .)
  --san FILE     an ASan/UBSan build of mmushell for the corrupt-session loop
  --flips N      byte flips of a session per target (default 500 on the
                 first target, 50 on the others)
DUMPS defaults to $HOME/dumps.  Exit status 1 when a check fails.
"""
import argparse
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

PIPELINES = {
    "intel": ["parse_memory", "find_radix_trees"],
    "riscv": ["parse_memory", "find_radix_trees"],
    "arm": ["find_registers_values", "find_tables", "find_radix_trees"],
    "aarch64": ["find_registers_values", "find_tables", "find_radix_trees"],
    "mips": ["parse_memory", "find_registers_values"],
    "ppc": ["parse_memory", "find_registers_values"],
}
SHOWS = {
    "intel": ["show_radix_trees", "show_idtrs", "show_radix_trees_gtruth", "show_idtrs_gtruth"],
    "riscv": ["show_radix_trees", "show_radix_trees_gtruth"],
    "arm": ["show_registers --verbose", "show_registers_gtruth", "show_radix_trees", "show_radix_trees_gtruth"],
    "aarch64": ["show_registers --verbose", "show_registers_gtruth", "show_radix_trees", "show_radix_trees_gtruth"],
    "mips": ["show_registers --verbose", "show_registers_gtruth"],
    "ppc": ["show_registers --verbose", "show_registers_gtruth", "show_hashtables"],
}
PAGE = 4096

failures = []


def fail(target, what):
    failures.append("%s: %s" % (target, what))
    print("  FAIL %s: %s" % (target, what), flush=True)


def run(mmushell, args, cmds, stdin_cmds=False):
    """Runs mmushell --batch --json; returns (answers, seconds, returncode, stderr)."""
    argv = [mmushell, "--batch", "--json"] + args
    if not stdin_cmds:
        for c in cmds:
            argv += ["-e", c]
    start = time.monotonic()
    p = subprocess.run(argv, input="\n".join(cmds) + "\n" if stdin_cmds else None,
                       capture_output=True, text=True, check=False)
    secs = time.monotonic() - start
    answers = []
    for line in p.stdout.splitlines():
        try:
            answers.append(json.loads(line))
        except ValueError:
            pass
    return answers, secs, p.returncode, p.stderr


def machine_of(yaml_path):
    text = open(yaml_path).read()
    arch = re.search(r"^\s*architecture:\s*(\S+)", text, re.M).group(1).lower()
    mode = re.search(r"^\s*mode:\s*(\S+)", text, re.M).group(1).lower()
    return arch, mode


TIMING_KEYS = re.compile(r"(^|_)seconds$")


def normalised(value):
    """An answer without what legitimately differs between runs: file names and timings."""
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items()
                if not TIMING_KEYS.search(k) and k not in ("dumpfile", "config", "offset", "file")}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    return value


def first_difference(a, b, path=""):
    if type(a) is not type(b):
        return "%s: %r vs %r" % (path, a, b)
    if isinstance(a, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                return "%s.%s only in one" % (path, k)
            d = first_difference(a[k], b[k], path + "." + k)
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return "%s: %d vs %d items" % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    return None if a == b else "%s: %r vs %r" % (path, a, b)


def compare(target, label, ref, other, cmds):
    """Compares two runs' answers command by command; returns the commands that differ."""
    differ = []
    by = {}
    for ans in other:
        by.setdefault(ans["command"], []).append(ans)
    seen = {}
    for ans in ref:
        c = ans["command"]
        k = seen.get(c, 0)
        seen[c] = k + 1
        lst = by.get(c, [])
        if k >= len(lst):
            differ.append("%s (missing)" % c)
            continue
        d = first_difference(normalised(ans), normalised(lst[k]))
        if d:
            differ.append("%s %s" % (c, d[:160]))
    return differ


def ram_map(answers):
    for ans in answers:
        if ans["command"] == "show_memory_map" and ans["ok"]:
            return [(int(r["start"], 16), int(r["end"], 16)) for r in ans["result"]["regions"] if r["kind"] == "ram"]
    return []


def merge(ranges):
    out = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def minus(a, b):
    """Intervals of a not in b (both merged lists of inclusive ranges)."""
    out = []
    for s, e in a:
        cur = s
        for bs, be in b:
            if be < cur or bs > e:
                continue
            if bs > cur:
                out.append((cur, bs - 1))
            cur = max(cur, be + 1)
        if cur <= e:
            out.append((cur, e))
    return out


def fmt_ranges(rs):
    if not rs:
        return "none"
    return ", ".join("%#x-%#x" % r for r in rs[:4]) + (" (+%d)" % (len(rs) - 4) if len(rs) > 4 else "")


class Dump:
    """Reads physical memory through show_machine's RAM list (file, offset)."""

    def __init__(self, machine):
        self.regions = []
        for r in machine["ram"]:
            self.regions.append((int(r["start"], 16), int(r["end"], 16), r["dumpfile"], r.get("offset", 0)))
        self.files = {}

    def read(self, pa, n):
        for s, e, f, off in self.regions:
            if s <= pa and pa + n - 1 <= e:
                fh = self.files.get(f)
                if fh is None:
                    fh = self.files[f] = open(f, "rb")
                fh.seek(off + pa - s)
                return fh.read(n)
        return None


def elf_read(path):
    """(class, little, machine, loads [(vaddr, paddr, offset, filesz, memsz, flags)], notes [(name, type, desc)])."""
    with open(path, "rb") as f:
        data = f.read(1 << 16)
        if data[:4] != b"\x7fELF":
            raise ValueError("not ELF")
        cls = 64 if data[4] == 2 else 32
        end = "<" if data[5] == 1 else ">"
        if cls == 64:
            _, machine, _, _, phoff, shoff, _, _, phentsize, phnum = struct.unpack_from(end + "HHIQQQIHHH", data, 16)
        else:
            _, machine, _, _, phoff, shoff, _, _, phentsize, phnum = struct.unpack_from(end + "HHIIIIIHHH", data, 16)
        if phnum == 0xFFFF:  # PN_XNUM: the count is section header 0's sh_info
            f.seek(shoff + (0x2C if cls == 64 else 0x1C))
            phnum = struct.unpack(end + "I", f.read(4))[0]
        f.seek(phoff)
        ph = f.read(phentsize * phnum)
        loads, notes = [], []
        for i in range(phnum):
            if cls == 64:
                typ, flags, off, va, pa, fsz, msz, _ = struct.unpack_from(end + "IIQQQQQQ", ph, i * phentsize)
            else:
                typ, off, va, pa, fsz, msz, flags, _ = struct.unpack_from(end + "IIIIIIII", ph, i * phentsize)
            if typ == 1:
                loads.append((va, pa, off, fsz, msz, flags))
            elif typ == 4:
                f.seek(off)
                nd = f.read(fsz)
                at = 0
                while at + 12 <= len(nd):
                    nsz, dsz, ntype = struct.unpack_from(end + "III", nd, at)
                    at += 12
                    name = nd[at:at + nsz].rstrip(b"\0").decode("latin1")
                    at += (nsz + 3) & ~3
                    desc = nd[at:at + dsz]
                    at += (dsz + 3) & ~3
                    notes.append((name, ntype, desc))
        return cls, end == "<", machine, loads, notes


def check_formats(args, t, d, arch, mode, cmds, yaml_ans, yaml_secs, row):
    elf = os.path.join(d, t + ".elf")
    opts = ["--arch", arch, "--mode", mode, "--gtruth", os.path.join(d, t + ".gtruth.yaml")]
    variants = [("elf", opts)]
    iomem = os.path.join(d, "iomem.txt")
    if os.path.exists(iomem):
        variants.append(("elf+iomem", opts + ["--iomem", iomem]))
    yaml_map = merge(ram_map(yaml_ans))
    for label, o in variants:
        ans, secs, rc, err = run(args.mmushell, o + [elf], cmds)
        if not ans:
            fail(t, "%s: no answers (rc %d): %s" % (label, rc, err.strip()[:200]))
            row[label] = "error"
            continue
        differ = compare(t, label, yaml_ans, ans, cmds)
        # The RAM map is compared on its own below; parse_memory's counts follow from it.
        emap = merge(ram_map(ans))
        extra, missing = minus(emap, yaml_map), minus(yaml_map, emap)
        results = [c for c in differ if not c.startswith(("show_memory_map", "show_machine", "parse_memory", "find_tables"))]
        row[label] = "equal" if not differ else ("results equal" if not results else "DIFFER")
        row[label + " s"] = "%.1f" % secs
        print("  %-9s %5.1f s (yaml %.1f s); RAM only in ELF: %s; only in YAML: %s" %
              (label, secs, yaml_secs, fmt_ranges(extra), fmt_ranges(missing)))
        for c in differ:
            print("      differs: %s" % c)
        # The plain ELF cannot say what is not RAM (doc/formats.md): --iomem must make the results equal.
        if results and (label == "elf+iomem" or len(variants) == 1):
            fail(t, "%s results differ from the YAML's: %s" % (label, "; ".join(results)[:300]))


def check_sessions(args, t, d, yaml_path, arch, shows, yaml_ans, sess, pipe_secs, row, other_yaml, flips, tmp):
    gt = ["--gtruth", os.path.join(d, t + ".gtruth.yaml")]
    row["session KiB"] = "%d" % (os.path.getsize(sess) // 1024)
    ans, secs, rc, err = run(args.mmushell, gt + ["--session", sess, yaml_path], shows)
    row["load s"] = "%.2f" % secs
    ref = [a for a in yaml_ans if a["command"] in [s.split()[0] for s in shows]]
    differ = compare(t, "session", ref, ans, shows)
    row["session"] = "equal" if not differ and rc == 0 else "DIFFER"
    print("  session  %d KiB, loaded + %d commands in %.2f s (pipeline %.1f s)%s" %
          (os.path.getsize(sess) // 1024, len(shows), secs, pipe_secs, "" if not differ else ": " + "; ".join(differ)))
    if differ or rc:
        fail(t, "session answers differ: %s %s" % ("; ".join(differ)[:300], err.strip()[:200]))

    def expect_error(label, session, config, want, extra=()):
        p = subprocess.run([args.san or args.mmushell, "--batch", "--json", "--session", session] + list(extra) +
                           ["-e", "show_machine", config], capture_output=True, text=True, check=False)
        msg = p.stderr.strip()
        bad = p.returncode < 0 or p.returncode > 1 or "Sanitizer" in p.stderr or "runtime error" in p.stderr
        if bad or p.returncode == 0 or (want and want not in msg) or len(msg.splitlines()) != 1:
            fail(t, "%s: rc %d, stderr %r" % (label, p.returncode, msg[:300]))
            return None
        return msg

    checks = 0
    # Another target's dump.
    if other_yaml:
        m = expect_error("session on another dump", sess, other_yaml, "session belongs to another")
        checks += 1
        if m:
            print("  wrong dump: %s" % m[:160])
    # A changed copy of the smallest dump file (when small enough to copy).
    text = open(yaml_path).read()
    files = re.findall(r"dumpfile:\s*(\S+)", text)
    small = min(files, key=lambda f: os.path.getsize(os.path.join(d, f)))
    if os.path.getsize(os.path.join(d, small)) <= 64 << 20:
        cd = os.path.join(tmp, "copy")
        os.makedirs(cd, exist_ok=True)
        shutil.copy(os.path.join(d, small), os.path.join(cd, small))
        y2 = os.path.join(cd, t + ".yaml")
        with open(y2, "w") as f:
            f.write(re.sub(r"dumpfile:\s*(\S+)",
                           lambda m: "dumpfile: " + (m.group(1) if m.group(1) == small else os.path.join(d, m.group(1))),
                           text))
        with open(os.path.join(cd, small), "r+b") as f:
            f.seek(0)
            b = f.read(1)
            f.seek(0)
            f.write(bytes([b[0] ^ 0xFF]))
        m = expect_error("session on a changed dump", sess, y2, "the memory contents differ")
        checks += 1
        if m:
            print("  changed dump: %s" % m[:160])
        # Truncated by one page, with the YAML following it: another layout.
        size = os.path.getsize(os.path.join(cd, small))
        os.truncate(os.path.join(cd, small), size - PAGE)
        lines = []
        for line in open(y2).read().splitlines():
            lines.append(line)
        y3 = y2 + ".short.yaml"
        txt = open(y2).read()
        # the region's end is the line before its dumpfile line
        txt = re.sub(r"(end:\s*)(0x[0-9a-fA-F]+)(\s*\n\s*dumpfile:\s*%s\b)" % re.escape(small),
                     lambda m: m.group(1) + hex(int(m.group(2), 16) - PAGE) + m.group(3), txt)
        open(y3, "w").write(txt)
        m = expect_error("session on a truncated dump", sess, y3, "session belongs to another dump")
        checks += 1
        if m:
            print("  truncated dump: %s" % m[:160])
        shutil.rmtree(cd)
    data = open(sess, "rb").read()
    bad = os.path.join(tmp, "bad.session")

    def variant(label, blob, want):
        nonlocal checks
        open(bad, "wb").write(blob)
        checks += 1
        return expect_error(label, bad, yaml_path, want)

    for cut in sorted({0, 1, 16, 23, 24, 30, len(data) // 2, len(data) - 1}):
        variant("truncated to %d bytes" % cut, data[:cut], "")
    variant("foreign (the YAML)", open(yaml_path, "rb").read(), "not an mmushell session file")
    variant("foreign (xz of other data)", data[:24] + subprocess.run(["xz", "-c"], input=b"hello" * 100,
                                                                  capture_output=True).stdout, "corrupt")
    variant("future version", data[:16] + struct.pack("<I", 2) + data[20:], "newer than this mmushell reads")
    variant("unknown flags", data[:20] + struct.pack("<I", 1) + data[24:], "")
    rng = random.Random(t)
    loaded = errors = 0
    msgs = {}
    for _ in range(flips):
        blob = bytearray(data)
        for _ in range(rng.choice([1, 1, 1, 2, 8])):
            i = rng.randrange(len(blob))
            blob[i] ^= rng.randrange(1, 256)
        open(bad, "wb").write(blob)
        p = subprocess.run([args.san or args.mmushell, "--batch", "--json", "--session", bad, "-e", shows[0],
                            yaml_path], capture_output=True, text=True, check=False)
        if p.returncode < 0 or p.returncode > 1 or "Sanitizer" in p.stderr or "runtime error" in p.stderr:
            fail(t, "flipped session: rc %d %s" % (p.returncode, p.stderr[-400:]))
        elif p.returncode == 0:
            loaded += 1
        else:
            errors += 1
            key = re.sub(r"0x[0-9a-f]+|\d+", "N", p.stderr.strip().split(": ", 1)[-1])[:70]
            msgs[key] = msgs.get(key, 0) + 1
    row["flips err/ok"] = "%d/%d" % (errors, loaded)
    print("  corrupt files: %d checks; %d flipped files: %d refused, %d loaded (flips the format ignores)" %
          (checks, flips, errors, loaded))
    for k, v in sorted(msgs.items(), key=lambda kv: -kv[1])[:6]:
        print("      %4d x %s" % (v, k))


def check_atomic(args, t, yaml_path, sess, pipeline, tmp):
    """save_data into a full file system and into a missing folder: an error, and nothing left behind."""
    mnt = os.path.join(tmp, "small")
    os.makedirs(mnt, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt], capture_output=True, text=True)
    if r.returncode:
        print("  atomic: cannot mount a small tmpfs (%s): full-disk case skipped" % r.stderr.strip())
    else:
        try:
            old = os.path.join(mnt, "s.session")
            open(old, "wb").write(b"previous contents")
            try:  # fill the file system, so that the session cannot be written
                with open(os.path.join(mnt, "filler"), "wb") as f:
                    while True:
                        f.write(b"\0" * 4096)
                        f.flush()
            except OSError:
                pass
            ans, _, rc, err = run(args.mmushell, ["--session", sess, yaml_path], ["save_data " + old])
            left = sorted(os.listdir(mnt))
            ok = ans and not ans[-1]["ok"] and left == ["filler", "s.session"] and open(old, "rb").read() == b"previous contents"
            print("  atomic: save_data on a full tmpfs: %s; folder holds %s; old file %s" %
                  (ans[-1]["error"] if ans else err.strip(), left,
                   "kept" if open(old, "rb").read() == b"previous contents" else "CHANGED"))
            if not ok:
                fail(t, "save_data on a full disk left %s" % left)
        finally:
            subprocess.run(["umount", mnt], check=False)
    ans, _, rc, err = run(args.mmushell, ["--session", sess, yaml_path], ["save_data %s/no/such/dir/s" % tmp])
    if not ans or ans[-1]["ok"]:
        fail(t, "save_data into a missing folder did not fail")
    else:
        print("  atomic: missing folder: %s" % ans[-1]["error"])


def check_export(args, t, d, yaml_path, sess, arch, trees, machine, tmp, row, do_all):
    dump = Dump(machine)
    user = [x for x in trees if x["user_bytes"]]
    picks = user[:2] + user[-1:] if len(user) > 2 else user
    gdb = shutil.which("gdb-multiarch") or shutil.which("gdb")
    compared = agreed = gdb_ok = gdb_n = 0
    # One export with kernel pages too: the kernel tree (or tree) mapping the least, which holds absent pages most often.
    kern = sorted((x for x in trees if x.get("tree", "all") != "user"), key=lambda x: x["kernel_bytes"])
    jobs = [(x, False) for x in picks] + [(x, True) for x in kern[:1] if x["kernel_bytes"] < (4 << 30)]
    for tr, with_kernel in jobs:
        root, kind = tr["root"], tr.get("tree", "all")
        treearg = "" if kind == "all" else " " + kind
        out = os.path.join(tmp, "x.elf")
        # The first word 'kernel' adds kernel pages, a second one names the tree kind.
        opts = (" kernel" if with_kernel else "") + ("" if kind == "all" or (kind == "kernel" and not with_kernel)
                                                     else " " + kind)
        ans, secs, rc, err = run(args.mmushell, ["--session", sess, yaml_path],
                                 ["export_vas %s %s%s" % (root, out, opts), "show_vas %s%s" % (root, treearg)])
        if len(ans) != 2 or not ans[0]["ok"] or not ans[1]["ok"]:
            fail(t, "export_vas %s: %s" % (root, ans and ans[0]["error"] or err))
            continue
        st, vas = ans[0]["result"], ans[1]["result"]
        cls, little, em, loads, notes = elf_read(out)
        note = [n for n in notes if n[0] == "MMUSHELL"]
        meta = json.loads(note[0][2].rstrip(b"\0")) if note else {}
        absent = {}
        for va, n in meta.get("absent", []):
            for p in range(int(va, 16), int(va, 16) + n, PAGE):
                absent[p] = True
        # Segments against show_vas: the user ranges, merged as the exporter does.
        want = merge([(int(r["va"], 16), int(r["va"], 16) + r["size"] - 1) for r in vas["ranges"]
                      if with_kernel or r["perms"][3:] != "---"])
        have = merge([(va, va + msz - 1) for va, _, _, _, msz, _ in loads])
        if want != have:
            fail(t, "export %s: PT_LOADs cover %s, show_vas user ranges %s" % (root, fmt_ranges(have), fmt_ranges(want)))
        if len(loads) != st["segments"]:
            fail(t, "export %s: %d PT_LOADs, the command said %d" % (root, len(loads), st["segments"]))
        re_out = subprocess.run(["readelf", "-lW", out], capture_output=True, text=True)
        re_loads = len([x for x in re_out.stdout.splitlines() if x.strip().startswith("LOAD")])
        if re_out.returncode or re_loads != len(loads) or re_out.stderr.strip():
            fail(t, "readelf -l %s: rc %d, %d LOADs, %r" % (out, re_out.returncode, re_loads, re_out.stderr[:200]))
        # A sample of pages: resolve each and compare the file's bytes with the dump's.
        pages = []
        for va, pa, off, fsz, msz, fl in loads:
            for k in range(0, msz, PAGE):
                pages.append((va + k, off + k, fl))
        rng = random.Random(root)
        sample = rng.sample(pages, min(len(pages), args.pages))
        # and up to 50 of the pages the note lists as absent
        gone = [p for p in pages if p[0] in absent]
        sample += rng.sample(gone, min(len(gone), 50))
        cmds = ["resolve %s %#x%s" % (root, va, treearg) for va, _, _ in sample]
        res, _, _, _ = run(args.mmushell, ["--session", sess, yaml_path], cmds, stdin_cmds=True)
        zero_absent = 0
        with open(out, "rb") as f:
            for (va, off, fl), r in zip(sample, res):
                compared += 1
                r = r["result"] if r["ok"] else {}
                f.seek(off)
                got = f.read(PAGE)
                if not r.get("mapped"):
                    fail(t, "export %s: %#x in a PT_LOAD but resolve says %s" % (root, va, r.get("why")))
                    continue
                pa = int(r["paddr"], 16)
                exp = dump.read(pa, PAGE) if r.get("in_ram", True) else None
                perms = r["perms"][3:] if r["perms"][3:] != "---" else r["perms"][:3].lower()
                want_fl = (4 if perms[0] == "r" else 0) | (2 if perms[1] == "w" else 0) | (1 if perms[2] == "x" else 0)
                if exp is None:
                    if got == bytes(PAGE) and va in absent:
                        zero_absent += 1
                        agreed += 1
                    else:
                        fail(t, "export %s: %#x not in RAM but not zero-filled/listed" % (root, va))
                elif got != exp:
                    fail(t, "export %s: %#x -> %#x: bytes differ" % (root, va, pa))
                elif va in absent:
                    fail(t, "export %s: %#x in RAM but listed absent" % (root, va))
                elif (fl & 7) != want_fl:
                    fail(t, "export %s: %#x p_flags %d, resolve perms %s" % (root, va, fl, r["perms"]))
                else:
                    agreed += 1
        # gdb reads the same words as the file holds.
        if gdb:
            va, off, _ = sample[0]
            with open(out, "rb") as f:
                f.seek(off)
                raw = f.read(16)
            words = struct.unpack(("<" if little else ">") + "4I", raw)
            g = subprocess.run([gdb, "-batch", "-ex", "core-file " + out, "-ex", "x/4wx %#x" % va],
                               capture_output=True, text=True)
            got = [int(x, 16) for x in re.findall(r"0x[0-9a-f]{8}\b", g.stdout.split(":", 1)[-1])]
            gdb_n += 1
            if got == list(words):
                gdb_ok += 1
            else:
                fail(t, "gdb x/4wx %#x in %s: %s, file holds %s" % (va, out, g.stdout.strip()[-200:] + g.stderr[-200:],
                                                                   [hex(w) for w in words]))
        print("  export %s%s: %d segments, %d MiB, %d absent bytes (%d sampled absent pages zero), ELF%d, %.1f s" %
              (root, opts, st["segments"], st["bytes"] >> 20, st["absent_bytes"], zero_absent, cls, secs))
    row["export pages"] = "%d/%d" % (agreed, compared)
    row["gdb"] = "%d/%d" % (gdb_ok, gdb_n) if gdb else "n/a"
    if do_all:
        xd = os.path.join(tmp, "all")
        ans, secs, rc, err = run(args.mmushell, ["--session", sess, yaml_path], ["export_all " + xd])
        if not ans or not ans[0]["ok"]:
            fail(t, "export_all: %s" % (ans and ans[0]["error"] or err))
        else:
            r = ans[0]["result"]
            size = sum(os.path.getsize(os.path.join(xd, x)) for x in os.listdir(xd))
            print("  export_all: %d files (%d kernel-only skipped), %d MiB, %.1f s" %
                  (r["written"], r["skipped_kernel_only"], size >> 20, secs))
            if len(os.listdir(xd)) != r["written"]:
                fail(t, "export_all wrote %d files, said %d" % (len(os.listdir(xd)), r["written"]))
        shutil.rmtree(xd, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=".")
    ap.add_argument("--san")
    ap.add_argument("--flips", type=int)
    ap.add_argument("--pages", type=int, default=400)
    ap.add_argument("--targets")
    ap.add_argument("dumps", nargs="?", default=os.path.expanduser("~/dumps"))
    args = ap.parse_args()
    args.mmushell = os.path.abspath(os.path.join(args.build, "mmushell"))
    targets = sorted(t for t in os.listdir(args.dumps)
                     if os.path.exists(os.path.join(args.dumps, t, t + ".yaml"))
                     and os.path.exists(os.path.join(args.dumps, t, t + ".elf")))
    if args.targets:
        targets = [t for t in targets if t in args.targets.split(",")]
    rows = []
    tmp = tempfile.mkdtemp(prefix="real-formats-")
    try:
        for n, t in enumerate(targets):
            d = os.path.join(args.dumps, t)
            yaml_path = os.path.join(d, t + ".yaml")
            arch, mode = machine_of(yaml_path)
            print("== %s (%s %s)" % (t, arch, mode), flush=True)
            row = {"target": t}
            pipeline, shows = PIPELINES[arch], SHOWS[arch]
            sess = os.path.join(tmp, t + ".session")
            gt = ["--gtruth", os.path.join(d, t + ".gtruth.yaml")]
            ans, secs, rc, err = run(args.mmushell, gt + [yaml_path],
                                     ["show_memory_map"] + pipeline + shows + ["show_machine", "save_data " + sess])
            row["yaml s"] = "%.1f" % secs
            if not ans or not ans[-1]["ok"]:
                fail(t, "YAML pipeline: %s" % (err.strip() or ans[-1]))
                rows.append(row)
                continue
            machine = [a for a in ans if a["command"] == "show_machine"][0]["result"]
            trees = []
            for a in ans:
                if a["command"] == "show_radix_trees" and a["ok"]:
                    trees = a["result"]["radix_trees"]
            # show_vas of a few trees joins the comparison (first, last, one with the most user bytes).
            vas_cmds = []
            if trees:
                pick = {trees[0]["root"] + " " + trees[0].get("tree", "all"),
                        trees[-1]["root"] + " " + trees[-1].get("tree", "all"),
                        max(trees, key=lambda x: x["user_bytes"])["root"] + " " +
                        max(trees, key=lambda x: x["user_bytes"]).get("tree", "all")}
                vas_cmds = ["show_vas " + p.replace(" all", "") for p in sorted(pick)]
            yaml_vas, _, _, _ = run(args.mmushell, ["--session", sess, yaml_path], vas_cmds) if vas_cmds else ([], 0, 0, "")
            cmds = ["show_memory_map"] + pipeline + shows + vas_cmds
            check_formats(args, t, d, arch, mode, cmds, ans[:-2] + yaml_vas, secs, row)
            other = [x for x in targets if x != t]
            other_yaml = os.path.join(args.dumps, other[0], other[0] + ".yaml") if other else None
            flips = args.flips if args.flips is not None else (500 if n == 0 else 50)
            check_sessions(args, t, d, yaml_path, arch, shows, ans, sess, secs, row, other_yaml, flips, tmp)
            if n == 0:
                check_atomic(args, t, yaml_path, sess, pipeline, tmp)
            if trees:
                check_export(args, t, d, yaml_path, sess, arch, trees, machine, tmp, row, n == 0)
            os.unlink(sess)
            rows.append(row)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    cols = ["target", "yaml s", "elf", "elf s", "elf+iomem", "elf+iomem s", "session", "session KiB", "load s",
            "flips err/ok", "export pages", "gdb"]
    print()
    print("  ".join("%-12s" % c for c in cols))
    for r in rows:
        print("  ".join("%-12s" % r.get(c, "-") for c in cols))
    if failures:
        print("\n%d failures:" % len(failures))
        for f in failures:
            print("  " + f)
        sys.exit(1)


if __name__ == "__main__":
    main()
