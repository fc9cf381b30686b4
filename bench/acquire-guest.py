#!/usr/bin/env python3
"""Runs mmushell-acquire inside a real Linux guest and compares its dumps with
QEMU's own dump of the same machine (driver of bench/acquire-guest.sh; read
that file's header first).

Steps: builds an initramfs (busybox-static, the kernel's virtio/9p modules, the
static mmushell-acquire, acquire-guest-init.sh as /init); boots the kernel
under QEMU TCG with a 9p share; each time the guest prints ACQ-DONE FORMAT,
stops the VM, takes QMP dump-guest-memory (paging=false) and lets the guest go
on; then compares, per format, the acquired dump with QEMU's:
memory map (and the guest's /proc/iomem), bytes (pages that differ), the
unreadable pages, the trees mmushell finds, and resolve on kernel symbols and
user pages.  Writes OUT/report.json and prints a summary.  Standard library only.
"""
import argparse, gzip, io, json, os, re, shutil, socket, struct, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
PAGE = 4096

# target -> (kernel deb glob dir, QEMU, machine args, console, mmushell --arch/--mode for QEMU's ELF)
TARGETS = {
    "x86_64": dict(debs="amd64-bookworm", kpkg="linux-image-6.1.0-", bb="amd64",
                   qemu="qemu-system-x86_64", machine=["-M", "pc", "-cpu", "qemu64"],
                   console="ttyS0", arch="intel", mode="ia64", user_top=1 << 47),
    "i386-pae": dict(debs="i386-bookworm", kpkg="linux-image-6.1.0-", kflavour="686-pae", bb="i386",
                     qemu="qemu-system-i386", machine=["-M", "pc", "-cpu", "qemu32,+nx"],
                     console="ttyS0", arch="intel", mode="pae", user_top=0xc0000000),
    "aarch64": dict(debs="arm64-bookworm", kpkg="linux-image-6.1.0-", bb="arm64",
                    qemu="qemu-system-aarch64", machine=["-M", "virt", "-cpu", "cortex-a57"],
                    console="ttyAMA0", arch="aarch64", mode="long", user_top=1 << 48),
}
MODULES = ["virtio_pci", "9pnet_virtio", "9p"]


def log(msg):
    print(f"[acquire-guest {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------- initramfs
def module_order(root, want):
    """Load order of the modules in want and their dependencies ('depends=' in .modinfo; no depmod needed)."""
    idx = {}
    for d, _, fs in os.walk(root):
        for f in fs:
            if f.endswith(".ko"):
                idx[f[:-3].replace("-", "_")] = os.path.join(d, f)
    order = []

    def visit(n):
        if n in order:
            return
        m = re.search(rb"depends=([^\0]*)\0", open(idx[n], "rb").read())
        for dep in (m.group(1).decode().split(",") if m else []):
            if dep:
                visit(dep.replace("-", "_"))
        order.append(n)

    for w in want:
        visit(w)
    return [(n, idx[n]) for n in order]


def write_initramfs(dest, files):
    """newc cpio (gzip) from [(name, mode, data, major, minor)]: device nodes need no root."""
    out = io.BytesIO()

    def pad4():
        out.write(b"\0" * ((4 - out.tell() % 4) % 4))

    for ino, (nm, mode, data, maj, mnr) in enumerate(files + [("TRAILER!!!", 0, b"", 0, 0)], 1):
        nb = nm.encode() + b"\0"
        hdr = "070701" + "".join("%08x" % v for v in (
            ino, mode, 0, 0, 2 if mode & 0o040000 else 1, 0, len(data), 0, 0, maj, mnr, len(nb), 0))
        out.write(hdr.encode() + nb)
        pad4()
        out.write(data)
        pad4()
    with open(dest, "wb") as f:
        f.write(gzip.compress(out.getvalue(), compresslevel=1, mtime=0))


def build_initramfs(t, cache, acquire, outdir, formats, modules):
    debdir = os.path.join(cache, "debs", t["debs"])
    debs = sorted(f for f in os.listdir(debdir) if f.startswith(t["kpkg"]) and f.endswith(".deb")
                  and (not t.get("kflavour") or f"-{t['kflavour']}_" in f))
    if not debs:
        sys.exit(f"no kernel .deb in {debdir} (run the harness once: make-dumps.sh --fetch-only)")
    kx = os.path.join(outdir, "kernel-deb")
    if not os.path.isdir(kx):
        subprocess.run(["dpkg-deb", "-x", os.path.join(debdir, debs[-1]), kx], check=True)
    # the harness keeps the kernel it boots (arm64: the uncompressed Image) beside the debs
    kernel = os.path.join(cache, "kernels", debs[-1][:-4] + ".kernel")
    if not os.path.exists(kernel):
        kernel = [os.path.join(kx, "boot", f) for f in os.listdir(os.path.join(kx, "boot")) if f.startswith("vmlinuz")][0]
    moddir = os.path.join(kx, "lib", "modules")
    moddir = os.path.join(moddir, os.listdir(moddir)[0])
    bb = [f for f in os.listdir(os.path.join(cache, "debs", t["debs"])) if f.startswith("busybox-static") and
          f.endswith(f"_{t['bb']}.deb")]
    bbx = os.path.join(outdir, "busybox-deb")
    if not os.path.isdir(bbx):
        subprocess.run(["dpkg-deb", "-x", os.path.join(debdir, bb[0]), bbx], check=True)
    files = [(d, 0o040755, b"", 0, 0) for d in ("bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc",
                                                  "sys", "tmp", "root", "out", "modules")]
    files += [("dev/console", 0o020600, b"", 5, 1), ("dev/null", 0o020666, b"", 1, 3),
              ("bin/busybox", 0o100755, open(os.path.join(bbx, "bin", "busybox"), "rb").read(), 0, 0),
              ("bin/sh", 0o120777, b"busybox", 0, 0),
              ("init", 0o100755, open(os.path.join(HERE, "acquire-guest-init.sh"), "rb").read(), 0, 0),
              ("mmushell-acquire", 0o100755, open(acquire, "rb").read(), 0, 0),
              ("formats", 0o100644, " ".join(formats).encode() + b"\n", 0, 0)]
    mods = module_order(moddir, modules)
    files += [(f"modules/{n}.ko", 0o100644, open(p, "rb").read(), 0, 0) for n, p in mods]
    files.append(("modules/order", 0o100644, "\n".join(n for n, _ in mods).encode() + b"\n", 0, 0))
    initrd = os.path.join(outdir, "initramfs.cpio.gz")
    write_initramfs(initrd, files)
    return kernel, initrd


# ---------------------------------------------------------------- QEMU
class QMP:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(900)
        self.s.connect(path)
        self.f = self.s.makefile("rwb")
        self.f.readline()
        self.execute("qmp_capabilities")

    def execute(self, cmd, args=None):
        self.f.write(json.dumps({"execute": cmd, **({"arguments": args} if args else {})}).encode() + b"\n")
        self.f.flush()
        while True:
            o = json.loads(self.f.readline())
            if "event" in o:
                continue
            if "error" in o:
                raise RuntimeError(f"QMP {cmd}: {o['error']}")
            return o.get("return")


def run_guest(t, kernel, initrd, outdir, ram, smp, formats, timeout, vmem=None):
    share = os.path.join(outdir, "share")
    os.makedirs(share)
    serial = os.path.join(outdir, "serial.log")
    sock = os.path.join(outdir, "qmp.sock")
    mem, append = ["-m", ram], f"console={t['console']} panic=-1"
    if vmem:
        # hotplugged RAM: iomem lists it as "System RAM (virtio_mem)" under "virtio0"
        mem = ["-m", f"{ram},maxmem=4G", "-object", f"memory-backend-ram,id=vmem0,size={vmem}",
               "-device", f"virtio-mem-pci,id=vm0,memdev=vmem0,requested-size={vmem}"]
        append += " memhp_default_state=online"
    cmd = [t["qemu"], *t["machine"], "-smp", str(smp), *mem, "-accel", "tcg", "-nodefaults",
           "-display", "none", "-no-reboot", "-kernel", kernel, "-initrd", initrd,
           "-append", append, "-serial", f"file:{serial}",
           "-qmp", f"unix:{sock},server=on,wait=off",
           "-virtfs", f"local,path={share},mount_tag=out,security_model=none,id=out"]
    open(os.path.join(outdir, "qemu-cmdline.txt"), "w").write(" ".join(cmd) + "\n")
    t0 = time.time()
    q = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stderr=open(os.path.join(outdir, "qemu-stderr.log"), "w"))
    timing = {}
    try:
        while not os.path.exists(sock):
            time.sleep(0.2)
        qmp = QMP(sock)
        done, pre = set(), set()
        while len(done) < len(formats):
            if q.poll() is not None:
                sys.exit(f"QEMU exited early (see {serial})")
            if time.time() - t0 > timeout:
                sys.exit(f"timeout after {timeout} s (see {serial})")
            text = open(serial, errors="replace").read()
            if "ACQ-READY" in text and "ready" not in timing:
                timing["ready"] = round(time.time() - t0, 1)
                log(f"guest ready after {timing['ready']} s")
            if "ACQ-FAIL" in text:
                sys.exit(f"guest failed: {re.findall(r'ACQ-FAIL.*', text)}")
            for m in re.finditer(r"ACQ-PRE (\w+)", text):
                f = m.group(1)
                if f in pre:
                    continue
                qmp.execute("stop")
                qmp.execute("dump-guest-memory", {"paging": False,
                                                  "protocol": "file:" + os.path.join(outdir, f"qemu-pre-{f}.elf")})
                open(os.path.join(share, f"pre-go-{f}"), "w").close()
                qmp.execute("cont")
                pre.add(f)
            for m in re.finditer(r"ACQ-DONE (\w+) rc=(\d+) seconds=(\d+)", text):
                f = m.group(1)
                if f in done:
                    continue
                # Stop at once: QEMU's dump is to be as close as possible to the end of the acquisition.
                qmp.execute("stop")
                elf = os.path.join(outdir, f"qemu-{f}.elf")
                d0 = time.time()
                qmp.execute("dump-guest-memory", {"paging": False, "protocol": "file:" + elf})
                timing[f] = {"rc": int(m.group(2)), "guest_seconds": int(m.group(3)),
                             "qemu_dump_seconds": round(time.time() - d0, 1)}
                log(f"{f}: acquired in {m.group(3)} s (guest clock), rc {m.group(2)}; QEMU dump taken")
                open(os.path.join(share, f"go-{f}"), "w").close()
                qmp.execute("cont")
                done.add(f)
            time.sleep(0.5)
        qmp.execute("quit")
    finally:
        try:
            q.wait(timeout=30)
        except subprocess.TimeoutExpired:
            q.kill()
    timing["total_seconds"] = round(time.time() - t0, 1)
    return timing


# ---------------------------------------------------------------- comparison
def mmushell(binary, target, cmds, extra=()):
    args = [binary, "--batch", "--json", *extra]
    for c in cmds:
        args += ["-e", c]
    args.append(target)
    p = subprocess.run(args, capture_output=True, text=True)
    out = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    if p.returncode or len(out) != len(cmds):
        sys.exit(f"mmushell failed on {target}: {p.stderr}")
    return [o["result"] for o in out]


def yaml_ram(path):
    """RAM regions of a machine YAML written by mmushell-acquire: (start, end, file, offset)."""
    regs = []
    for m in re.finditer(r"- \{start: (0x[0-9a-f]+), end: (0x[0-9a-f]+), dumpfile: ([^,}]+)(?:, offset: (0x[0-9a-f]+))?\}",
                         open(path).read()):
        regs.append((int(m.group(1), 16), int(m.group(2), 16), os.path.join(os.path.dirname(path), m.group(3)),
                     int(m.group(4) or "0", 16)))
    return regs


def elf_loads(path):
    """PT_LOAD (paddr, filesz, offset) of a little-endian ELF core (QEMU writes ELF32 for i386 guests)."""
    with open(path, "rb") as f:
        h = f.read(64)
        is64 = h[4] == 2
        if is64:
            phoff, = struct.unpack_from("<Q", h, 32)
            phentsize, phnum = struct.unpack_from("<HH", h, 54)
        else:
            phoff, = struct.unpack_from("<I", h, 28)
            phentsize, phnum = struct.unpack_from("<HH", h, 42)
        f.seek(phoff)
        ph = f.read(phentsize * phnum)
    out = []
    for i in range(phnum):
        if is64:
            typ, _, off, _, paddr, filesz = struct.unpack_from("<IIQQQQ", ph, i * phentsize)
        else:
            typ, off, _, paddr, filesz = struct.unpack_from("<IIIII", ph, i * phentsize)
        if typ == 1:
            out.append((paddr, filesz, off))
    return out


class ElfMem:
    """Physical memory of a QEMU ELF core (paging=false: p_paddr is guest-physical)."""

    def __init__(self, path):
        self.loads = elf_loads(path)
        self.f = open(path, "rb")

    def read(self, addr, n):
        for paddr, size, off in self.loads:
            if paddr <= addr and addr + n <= paddr + size:
                self.f.seek(off + addr - paddr)
                return self.f.read(n)
        return None


def unreadable_ranges(log_text):
    """The zero-filled ranges acquire.log lists: [(start, end)]."""
    return [(int(a, 16), int(b, 16)) for a, b in re.findall(r"^unreadable (0x[0-9a-f]+)-(0x[0-9a-f]+) ", log_text, re.M)]


def in_ranges(addr, ranges):
    return any(s <= addr <= e for s, e in ranges)


def compare_bytes(acq_yaml, post, pre, bad):
    """Pages of the acquired RAM against QEMU's dumps taken just before (pre) and just after (post).
    A page equal in pre and post did not change during the acquisition (barring a change undone in
    between), so the acquired copy must equal it: those that do not are counted as unexplained."""
    total = differ = changed = unexplained = unreadable = zero_acq = acq_zero = 0
    examples = []
    changed_pages = set()
    for start, end, file, off in yaml_ram(acq_yaml):
        a = open(file, "rb")
        a.seek(off)
        addr = start
        while addr <= end:
            n = min(1 << 20, end + 1 - addr)
            ab, qb, pb = a.read(n), post.read(addr, n), pre.read(addr, n)
            for p in range(0, n, PAGE):
                total += 1
                x, y, z = ab[p:p + PAGE], qb[p:p + PAGE], pb[p:p + PAGE]
                if not x.strip(b"\0"):
                    zero_acq += 1
                if y != z:
                    changed += 1
                    changed_pages.add((addr + p) & ~(PAGE - 1))
                if x != y:
                    differ += 1
                    if in_ranges(addr + p, bad):
                        unreadable += 1
                    elif y == z:
                        unexplained += 1
                        # zeros where QEMU has data: the signature of a read that silently failed
                        acq_zero += not x.strip(b"\0")
                        if len(examples) < 10:
                            examples.append(hex(addr + p))
            addr += n
    return {"pages": total, "pages_differing_from_post": differ, "pages_changed_pre_to_post": changed,
            "pages_differing_unreadable": unreadable, "pages_differing_but_stable": unexplained,
            "stable_differing_acquired_zero": acq_zero, "stable_differing_examples": examples,
            "zero_pages_in_acquired": zero_acq}, changed_pages


def iomem_system_ram(path):
    """Top-level System RAM, and RAM hotplugged under a device ("  ... : System RAM (virtio_mem)")."""
    out = []
    for line in open(path):
        m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) : System RAM$|^ +([0-9a-f]+)-([0-9a-f]+) : System RAM \(", line)
        if m:
            g = [x for x in m.groups() if x]
            out.append((int(g[0], 16), int(g[1], 16)))
    return out


def compare_format(a, f, outdir, t):
    share = os.path.join(outdir, "share")
    acq_yaml = os.path.join(share, f"acq-{f}", "machine.yaml")
    qemu_elf = os.path.join(outdir, f"qemu-{f}.elf")
    m_phy = re.search(r"m_phy: (\d+)", open(acq_yaml).read())
    qextra = ["--arch", t["arch"], "--mode", t["mode"], "--iomem", os.path.join(share, "iomem.txt")]
    if m_phy:
        qextra += ["--m-phy", m_phy.group(1)]
    r = {"format": f}
    # memory maps
    amap, = mmushell(a.mmushell, acq_yaml, ["show_memory_map"])
    qmap, = mmushell(a.mmushell, qemu_elf, ["show_memory_map"], qextra)
    aram = [(int(x["start"], 16), int(x["end"], 16)) for x in amap["regions"] if x["kind"] == "ram"]
    qram = [(int(x["start"], 16), int(x["end"], 16)) for x in qmap["regions"] if x["kind"] == "ram"]
    sysram = iomem_system_ram(os.path.join(share, "iomem.txt"))
    r["ram_acquired"] = [[hex(s), hex(e)] for s, e in aram]
    r["ram_equals_iomem_system_ram"] = aram == sysram
    r["ram_equals_qemu_with_iomem"] = aram == qram
    r["not_ram_acquired"] = sum(1 for x in amap["regions"] if x["kind"] == "not_ram")
    # unreadable pages
    logt = open(os.path.join(share, f"acq-{f}", "acquire.log")).read()
    r["unreadable_log"] = re.findall(r"^unreadable .*$", logt, re.M)
    r["total_line"] = re.findall(r"^total: .*$", logt, re.M)
    # bytes
    post, pre = ElfMem(qemu_elf), ElfMem(os.path.join(outdir, f"qemu-pre-{f}.elf"))
    bad = unreadable_ranges(logt)
    r["bytes"], changed = compare_bytes(acq_yaml, post, pre, bad)
    # trees (ARM: the registers first, then tables shaped by them)
    steps = (["find_registers_values", "find_tables"] if t["arch"] in ("aarch64", "arm") else ["parse_memory"]) + \
        ["find_radix_trees", "show_radix_trees"]
    n = len(steps)
    t0 = time.time()
    at = mmushell(a.mmushell, acq_yaml, steps)
    r["mmushell_seconds_acquired"] = round(time.time() - t0, 2)
    qt = mmushell(a.mmushell, qemu_elf, steps, qextra)
    # a tree is ROOT/TREE (AArch64 has user and kernel trees)
    aroots = {x["root"] + "/" + x["tree"]: x for x in at[-1]["radix_trees"]}
    qroots = {x["root"] + "/" + x["tree"]: x for x in qt[-1]["radix_trees"]}
    rootof = lambda k: int(k.split("/")[0], 16)
    common = sorted(set(aroots) & set(qroots), key=rootof)
    r["trees_acquired"] = at[-2]
    r["trees_qemu"] = qt[-2]
    r["roots_common"] = len(common)
    r["roots_only_acquired"] = sorted(set(aroots) - set(qroots))
    r["roots_only_qemu"] = sorted(set(qroots) - set(aroots))
    same = [x for x in common if (aroots[x]["kernel_bytes"], aroots[x]["user_bytes"]) ==
            (qroots[x]["kernel_bytes"], qroots[x]["user_bytes"])]
    r["roots_same_sizes"] = len(same)
    # kernel sizes follow shared kernel tables (vmalloc, stacks), which change all the time
    r["roots_same_user_sizes"] = sum(1 for x in common if aroots[x]["user_bytes"] == qroots[x]["user_bytes"])
    # A root found on one side only, or with other sizes: did its table page change during the acquisition?
    odd = sorted(set(aroots) ^ set(qroots) | (set(common) - set(same)), key=rootof)
    r["roots_differing"] = len(odd)
    r["roots_differing_root_page_changed"] = sum(1 for x in odd if rootof(x) & ~(PAGE - 1) in changed)
    r["roots_differing_kinds"] = {x: [("user" if not d[x]["kernel_only"] else "kernel-only") if x in d else "-"
                                      for d in (aroots, qroots)] for x in odd}
    # resolve: kernel symbols and the first page of a few user ranges, through a few common process roots
    syms = [int(line.split()[0], 16) for line in open(os.path.join(share, "kallsyms.txt")) if line.split()]
    arg = lambda k: k.split("/")[0] + ("" if k.endswith("/all") else " " + k.split("/")[1])
    procs = [x for x in common if not aroots[x]["kernel_only"]][:4] or common[:4]
    kern = [x for x in common if x.endswith("/kernel")][:2]
    cmds = []
    for k in procs:
        vas, = mmushell(a.mmushell, qemu_elf, steps + [f"show_vas {arg(k)}"], qextra)[n:]
        user = [int(rg["va"], 16) for rg in vas["ranges"] if int(rg["va"], 16) < t["user_top"]][:6]
        cmds += [f"resolve {k.split('/')[0]} {hex(va)}" + ("" if k.endswith("/all") else " user")
                 for va in (syms if k.endswith("/all") else []) + user]
    cmds += [f"resolve {k.split('/')[0]} {hex(va)} kernel" for k in kern for va in syms]
    agree = []
    if cmds:
        ar = mmushell(a.mmushell, acq_yaml, steps + cmds)[n:]
        qr = mmushell(a.mmushell, qemu_elf, steps + cmds, qextra)[n:]
        key = lambda x: (x.get("mapped"), x.get("paddr"), x.get("why"))
        agree = [key(x) == key(y) for x, y in zip(ar, qr)]
        # a disagreement is explained when a table of either walk changed during the acquisition
        # ... or when one of its tables is in an unreadable (zero-filled) range
        walk_changed = lambda x, y: any(int(w["table"], 16) & ~(PAGE - 1) in changed
                                        for w in x.get("walk", []) + y.get("walk", []))
        walk_bad = lambda x, y: any(in_ranges(int(w["table"], 16), bad) for w in x.get("walk", []) + y.get("walk", []))
        r["resolve_disagree"] = [{"cmd": c, "acquired": key(x), "qemu": key(y), "walk_changed": walk_changed(x, y),
                                  "walk_unreadable": walk_bad(x, y)}
                                 for c, x, y, ok in zip(cmds, ar, qr, agree) if not ok]
        r["resolve_mapped"] = sum(1 for x in ar if x.get("mapped"))
    r["resolve_total"] = len(agree)
    r["resolve_agree"] = sum(agree)
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--target", default="x86_64", choices=sorted(TARGETS))
    ap.add_argument("--out", required=True)
    ap.add_argument("--cache", default="/root/dumps/cache")
    ap.add_argument("--acquire", required=True, help="static mmushell-acquire for the guest")
    ap.add_argument("--mmushell", required=True)
    ap.add_argument("--ram", default="512M")
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--formats", default="raw elf lime")
    ap.add_argument("--timeout", type=int, default=3600)
    ap.add_argument("--virtio-mem", metavar="SIZE", help="x86_64: add SIZE of hotplugged RAM (virtio-mem)")
    ap.add_argument("--compare-only", action="store_true", help="reuse OUT from an earlier run")
    a = ap.parse_args()
    t = TARGETS[a.target]
    formats = a.formats.split()
    timing = {}
    if not a.compare_only:
        if os.path.exists(a.out):
            shutil.rmtree(a.out)
        os.makedirs(a.out)
        kernel, initrd = build_initramfs(t, a.cache, a.acquire, a.out, formats,
                                         MODULES + (["virtio_mem"] if a.virtio_mem else []))
        log(f"booting {os.path.basename(kernel)} with {a.ram} RAM")
        timing = run_guest(t, kernel, initrd, a.out, a.ram, a.smp, formats, a.timeout, a.virtio_mem)
        json.dump(timing, open(os.path.join(a.out, "timing.json"), "w"), indent=1)
    else:
        timing = json.load(open(os.path.join(a.out, "timing.json")))
    report = {"target": a.target, "ram": a.ram, "timing": timing, "formats": []}
    for f in formats:
        log(f"comparing {f}")
        report["formats"].append(compare_format(a, f, a.out, t))
    share = os.path.join(a.out, "share")
    report["guest_checks"] = {n: open(os.path.join(share, n)).read() for n in sorted(os.listdir(share))
                              if n.startswith("err-") or n.endswith(".stdout") or n.endswith(".stderr")}
    json.dump(report, open(os.path.join(a.out, "report.json"), "w"), indent=1)
    for r in report["formats"]:
        b = r["bytes"]
        print(f"{r['format']}: RAM = iomem System RAM: {r['ram_equals_iomem_system_ram']}, = QEMU+iomem: "
              f"{r['ram_equals_qemu_with_iomem']}; {r['total_line'][0]}\n"
              f"  pages {b['pages']}: changed during the acquisition {b['pages_changed_pre_to_post']}, acquired != "
              f"QEMU after {b['pages_differing_from_post']}, of which unchanged in QEMU's two dumps "
              f"{b['pages_differing_but_stable']} (zeros in the acquired copy: {b['stable_differing_acquired_zero']}) "
              f"{b['stable_differing_examples'][:4]}, in unreadable ranges "
              f"{b['pages_differing_unreadable']}\n"
              f"  trees acquired {r['trees_acquired']['trees']} QEMU {r['trees_qemu']['trees']} common "
              f"{r['roots_common']} (same sizes {r['roots_same_sizes']}, same user sizes {r['roots_same_user_sizes']}; differing {r['roots_differing']}, root "
              f"page changed {r['roots_differing_root_page_changed']})\n"
              f"  resolve agree {r['resolve_agree']}/{r['resolve_total']} (disagreements with a changed table: "
              f"{sum(1 for d in r.get('resolve_disagree', []) if d['walk_changed'])}, with a table in an "
              f"unreadable range: {sum(1 for d in r.get('resolve_disagree', []) if d['walk_unreadable'])}, "
              f"neither: {sum(1 for d in r.get('resolve_disagree', []) if not d['walk_changed'] and not d['walk_unreadable'])})")
    ok = all(r["ram_equals_iomem_system_ram"] and r["ram_equals_qemu_with_iomem"] for r in report["formats"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
