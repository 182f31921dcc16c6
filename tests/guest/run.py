#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Boot the check-guest Linux guest under QEMU's pseries machine, one case
at a time, and assert on what the guest itself reports.

The guest (tests/guest/init, built by scripts/guest-build.sh) prints
"SPIRQ-GUEST key=value" lines on its console.  For each case this script
boots QEMU (a copy of the disk image per case), follows the console log,
talks QMP for CPU hot-plug and migration, checks the guest's lines,
quotes them, and prints "PASS name" or "FAIL name: why".  It ends with
one line "N passed, N failed".

The QEMU binary and extra machine properties are parameters, so that the
same cases run on Debian's stock qemu-system-ppc64 and on a patched one:

  tests/guest/run.py [--qemu PATH] [--machine-extra ,PROP=VALUE]
                     [--out DIR] [--guest DIR] [--timeout S] [CASE ...]

Environment defaults: QEMU, MACHINE_EXTRA, GUEST_OUT, GUEST_DIR,
GUEST_TIMEOUT.  --list prints the cases.  Per case, DIR holds NAME.console
(the serial console), NAME.stderr (QEMU's), and NAME.record: the guest
visible lines without counts (controller, CPUs, /proc/interrupts IRQ
numbers, chips and names) for comparing two QEMUs with
tests/guest/compare.sh.  docs/guest-tests.md describes it all.

Standard library only.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PREFIX = "SPIRQ-GUEST "


class CaseFailed(Exception):
    pass


# ---------------------------------------------------------------- cases

def case(name, machine, controller, *, smp="2", cpu=None, append="",
         mode="normal", ncpus=None, dst_machine=None, refused=None,
         stock=True):
    """One boot configuration.  machine: -machine without MACHINE_EXTRA;
    controller: XICS or XIVE, what Linux must use; ncpus: CPUs online
    (default: the -smp count); dst_machine: the destination -machine of a
    migration case (default: the same); refused: a regex the destination
    QEMU's error must match when the incoming stream must be refused;
    stock: whether the case belongs to the run on Debian's stock QEMU."""
    if ncpus is None:
        ncpus = int(smp.split(",")[0])
    return dict(name=name, machine=machine, controller=controller, smp=smp,
                cpu=cpu, append=append, mode=mode, ncpus=ncpus,
                dst_machine=dst_machine, refused=refused, stock=stock)


CASES = [
    case("xics", "pseries-7.2,ic-mode=xics", "XICS"),
    case("xive", "pseries-7.2,ic-mode=xive", "XIVE"),
    case("dual", "pseries-7.2", "XIVE"),
    case("dual-power8-xics", "pseries-7.2,ic-mode=dual,max-cpu-compat=power8",
         "XICS", cpu="POWER8", append="xive=off"),
    case("smp4", "pseries-7.2", "XIVE", smp="4"),
    case("vsmt8", "pseries-7.2,vsmt=8", "XIVE", smp="2,maxcpus=8"),
    case("vsmt8-xics", "pseries-7.2,ic-mode=xics,vsmt=8", "XICS",
         smp="2,maxcpus=8"),
    case("hotplug", "pseries-7.2", "XIVE", smp="2,maxcpus=4", mode="hotplug"),
    case("hotplug-xics", "pseries-7.2,ic-mode=xics", "XICS",
         smp="2,maxcpus=4", mode="hotplug"),
    case("reboot", "pseries-7.2", "XIVE", mode="reboot"),
    case("reboot-xics", "pseries-7.2,ic-mode=xics", "XICS", mode="reboot"),
    case("pseries-4.1", "pseries-4.1", "XIVE"),
    case("pseries-2.12", "pseries-2.12", "XICS"),
    case("migrate-xics", "pseries-7.2,ic-mode=xics", "XICS", mode="migrate"),
    case("migrate-xive", "pseries-7.2,ic-mode=xive", "XIVE", mode="migrate"),
    case("migrate-dual", "pseries-7.2", "XIVE", mode="migrate"),
    # Only meaningful with libspirq: Debian's stock QEMU aborts on the first
    # and does not name the difference on the others.
    case("migrate-xics-to-dual", "pseries-7.2,ic-mode=xics", "XICS",
         mode="migrate", dst_machine="pseries-7.2,ic-mode=dual", stock=False),
    case("migrate-xive-to-xics", "pseries-7.2,ic-mode=xive", "XIVE",
         mode="migrate", dst_machine="pseries-7.2,ic-mode=xics",
         refused=r"spirq: cap-xive higher level \(1\) in incoming stream "
                 r"than on destination \(0\)", stock=False),
    case("migrate-vsmt-change", "pseries-7.2", "XIVE", smp="2,maxcpus=8",
         mode="migrate", dst_machine="pseries-7.2,vsmt=8",
         refused=r"spirq: migration stream: vCPU topology: maxcpus 8, "
                 r"threads 1, vsmt 1 in the stream; 8, 1, 8 on the "
                 r"destination", stock=False),
]


# ---------------------------------------------------------------- QMP

class QMP:
    """A minimal QMP client on a unix socket."""

    def __init__(self, path, deadline, alive):
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if not alive():
                    raise CaseFailed("QEMU exited before its QMP socket opened")
                if time.monotonic() > deadline:
                    raise CaseFailed(f"no QMP socket at {path}")
                time.sleep(0.1)
        self.sock.settimeout(30)
        self.buf = b""
        self.events = []
        self._read()                        # the greeting
        self.command("qmp_capabilities")

    def _read(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise CaseFailed("QMP connection closed")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def command(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            reply = self._read()
            if "event" in reply:
                self.events.append(reply)
            elif "error" in reply:
                raise CaseFailed(f"QMP {name}: {reply['error'].get('desc')}")
            elif "return" in reply:
                return reply["return"]

    def wait_event(self, name, deadline):
        while True:
            for ev in self.events:
                if ev["event"] == name:
                    self.events.remove(ev)
                    return ev
            if time.monotonic() > deadline:
                raise CaseFailed(f"no QMP event {name}")
            self.sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                reply = self._read()
            except socket.timeout:
                continue
            finally:
                self.sock.settimeout(30)
            if "event" in reply:
                self.events.append(reply)

    def close(self):
        self.sock.close()


# ---------------------------------------------------------------- QEMU

class Guest:
    """One QEMU process with its console log."""

    def __init__(self, run, c, tag, disk, machine, timeout, incoming=None):
        self.run = run
        self.console = os.path.join(run.out, f"{c['name']}{tag}.console")
        self.stderr_path = os.path.join(run.out, f"{c['name']}{tag}.stderr")
        self.qmp_path = os.path.join(run.sockdir, f"{c['name']}{tag}.qmp")
        for p in (self.console, self.qmp_path):
            if os.path.exists(p):
                os.unlink(p)
        append = (f"console=hvc0 panic=1 spirq.mode={c['mode']} "
                  f"spirq.data_mib={run.data_mib} {c['append']}").strip()
        argv = [run.qemu,
                "-machine", machine + run.machine_extra,
                "-m", "512M", "-smp", c["smp"],
                "-display", "none", "-nodefaults", "-vga", "none",
                "-monitor", "none",
                "-serial", f"file:{self.console}",
                "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
                "-kernel", os.path.join(run.guest, "vmlinux"),
                "-initrd", os.path.join(run.guest, "initramfs.cpio.gz"),
                "-append", append,
                "-drive", f"file={disk},if=none,id=disk0,format=raw",
                "-device", "virtio-blk-pci,drive=disk0"]
        if c["cpu"]:
            argv += ["-cpu", c["cpu"]]
        if c["mode"] != "reboot":
            argv.append("-no-reboot")
        if incoming:
            argv += ["-incoming", incoming]
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        # timeout(1) backs up our own deadline should this script die
        self.cmd = ["timeout", "--kill-after=5", str(timeout + 30)] + argv
        self.err = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL,
                                     stdout=self.err, stderr=self.err)
        self.qmp = None

    def text(self):
        try:
            with open(self.console, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def lines(self):
        return [l.rstrip("\r")[l.index(PREFIX) + len(PREFIX):]
                for l in self.text().split("\n") if PREFIX in l]

    def tail(self, n=15):
        return "\n".join("    > " + l.rstrip("\r")
                         for l in self.text().rstrip().split("\n")[-n:])

    def stderr_text(self):
        if not self.err.closed:
            self.err.flush()
        with open(self.stderr_path, errors="replace") as f:
            return "".join(l for l in f
                           if "TCG doesn't support requested feature" not in l)

    def timed_out(self, what):
        self.kill()
        return CaseFailed(f"{what} within {self.timeout} s; "
                          f"last console lines:\n{self.tail()}")

    def connect(self):
        if self.qmp is None:
            try:
                self.qmp = QMP(self.qmp_path, self.deadline,
                               lambda: self.proc.poll() is None)
            except CaseFailed as e:
                self.kill()
                raise CaseFailed(f"{e} (exit {self.proc.returncode}):\n"
                                 f"{self.tail()}\n{self.stderr_text()}")
        return self.qmp

    def wait_line(self, pattern):
        """Wait for a SPIRQ-GUEST line matching pattern; fail on error=."""
        rx = re.compile(pattern)
        while True:
            lines = self.lines()
            for l in lines:
                if l.startswith("error="):
                    raise CaseFailed(f"the guest reports {l}")
                if rx.search(l):
                    return l
            if self.proc.poll() is not None:
                raise CaseFailed(f"QEMU exited ({self.proc.returncode}) "
                                 f"before '{pattern}':\n{self.tail()}\n"
                                 f"{self.stderr_text()}")
            if time.monotonic() > self.deadline:
                raise self.timed_out(f"no '{pattern}'")
            time.sleep(0.2)

    def wait_exit(self):
        while self.proc.poll() is None:
            if time.monotonic() > self.deadline:
                raise self.timed_out("the guest did not power off")
            time.sleep(0.2)
        self.close()
        rc = self.proc.returncode
        if rc == 124 or rc == 137:
            raise CaseFailed(f"QEMU killed by timeout(1):\n{self.tail()}")
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.close()

    def close(self):
        if self.qmp:
            self.qmp.close()
            self.qmp = None
        if not self.err.closed:
            self.err.close()


# ---------------------------------------------------------------- reports

def parse_reports(lines):
    """The guest's reports: a list of dicts, one per "phase=" block, with
    the key=value fields and the irqline list."""
    reports = []
    cur = None
    for l in lines:
        if l.startswith("phase=") and cur is None:
            cur = {"irqlines": []}
            cur.update(kv(l))
        elif cur is not None and l.startswith("irqline="):
            cur["irqlines"].append(l[len("irqline="):])
        elif cur is not None and l.startswith("end-report"):
            reports.append(cur)
            cur = None
        elif cur is not None:
            cur.update(kv(l))
    return reports


def kv(line):
    out = {}
    for tok in line.split(" "):
        if "=" in tok:
            k, v = tok.split("=", 1)
            out[k] = v
    return out


def counts(field):
    """"cpu0:12,cpu1:3" -> {"cpu0": 12, "cpu1": 3}"""
    out = {}
    for item in filter(None, field.split(",")):
        k, v = item.split(":")
        out[k] = int(v)
    return out


def cpu_range(n):
    return "0" if n == 1 else f"0-{n - 1}"


def check_report(r, c, run, ncpus):
    """Assert on one report; return nothing or raise CaseFailed."""
    where = f"[{r.get('phase')}]"
    if r.get("controller") != c["controller"]:
        raise CaseFailed(f"{where} controller {r.get('controller')}, "
                         f"expected {c['controller']}")
    if r.get("cpus_online") != cpu_range(ncpus):
        raise CaseFailed(f"{where} CPUs online {r.get('cpus_online')}, "
                         f"expected {cpu_range(ncpus)}")
    before = counts(r.get("ipi_before", ""))
    after = counts(r.get("ipi_after", ""))
    for n in range(ncpus):
        cpu = f"cpu{n}"
        if cpu not in after:
            raise CaseFailed(f"{where} no IPI count for {cpu}")
        if after[cpu] <= before.get(cpu, 0):
            raise CaseFailed(f"{where} no IPI on {cpu} during the traffic "
                             f"({before.get(cpu, 0)} -> {after[cpu]})")
    vb = int(r.get("virtio_msi_before", "0") or 0)
    va = int(r.get("virtio_msi_after", "0") or 0)
    if va <= vb:
        raise CaseFailed(f"{where} no virtio-blk MSI during the disk reads "
                         f"({vb} -> {va})")
    if r.get("disk_sha256") != run.data_sha256:
        raise CaseFailed(f"{where} disk checksum {r.get('disk_sha256')}, "
                         f"host {run.data_sha256}")


def record(run, c, reports):
    """The guest-visible lines without counts, for a stock-vs-spirq diff."""
    with open(os.path.join(run.out, f"{c['name']}.record"), "w") as f:
        for r in reports:
            p = r.get("phase")
            for key in ("controller", "cpus_online", "cpus_present"):
                f.write(f"{p} {key}={r.get(key)}\n")
            for l in r["irqlines"]:
                f.write(f"{p} irq {l}\n")


def quote(lines):
    for l in lines:
        print(f"  | {PREFIX}{l}")


# ---------------------------------------------------------------- runs

class Run:
    def __init__(self, args):
        self.qemu = args.qemu
        self.machine_extra = args.machine_extra
        self.guest = args.guest
        self.out = os.path.abspath(args.out)
        self.timeout = args.timeout
        os.makedirs(self.out, exist_ok=True)
        self.tmp = os.path.join(self.out, "tmp")
        os.makedirs(self.tmp, exist_ok=True)
        # unix socket paths are limited to 107 bytes: keep them short
        self.sockdir = tempfile.mkdtemp(prefix="spirq-guest-")
        manifest = {}
        with open(os.path.join(self.guest, "manifest")) as f:
            for l in f:
                k, _, v = l.rstrip("\n").partition("=")
                manifest[k] = v
        self.data_mib = int(manifest["data_mib"])
        self.data_sha256 = manifest["data_sha256"]

    def fresh_disk(self, c):
        disk = os.path.join(self.tmp, f"{c['name']}.img")
        shutil.copyfile(os.path.join(self.guest, "disk.img"), disk)
        return disk

    def set_marker(self, disk, text):
        block = text.encode().ljust(4096, b"\0")
        with open(disk, "r+b") as f:
            f.seek(self.data_mib * 1024 * 1024)
            f.write(block)

    # one case; returns the guest's lines, raises CaseFailed
    def run_case(self, c):
        disk = self.fresh_disk(c)
        mode = c["mode"]
        if mode == "migrate":
            return self.run_migrate(c, disk)
        timeout = self.timeout * (2 if mode == "reboot" else 1)
        g = Guest(self, c, "", disk, c["machine"], timeout)
        try:
            if mode == "hotplug":
                self.hotplug(g)
            rc = g.wait_exit()
        finally:
            g.kill()
        lines = g.lines()
        self.check_end(g, rc, lines)
        reports = parse_reports(lines)
        record(self, c, reports)
        return lines, reports

    def check_end(self, g, rc, lines):
        errors = [l for l in lines if l.startswith("error=")]
        if errors:
            raise CaseFailed(f"the guest reports {errors[0]}")
        if "done status=ok" not in lines:
            raise CaseFailed(f"the guest did not finish (QEMU exit {rc}):\n"
                             f"{g.tail()}\n{g.stderr_text()}")
        if rc != 0:
            raise CaseFailed(f"QEMU exit status {rc} after the guest "
                             f"finished (not a clean power-off):\n"
                             f"{g.stderr_text()}")

    def hotplug(self, g):
        g.wait_line(r"^phase=wait-hotplug")
        q = g.connect()
        free = [h for h in q.command("query-hotpluggable-cpus")
                if "qom-path" not in h]
        if not free:
            raise CaseFailed("query-hotpluggable-cpus: no free core")
        core = min(free, key=lambda h: h["props"]["core-id"])
        print(f"  QMP device_add driver={core['type']} "
              f"core-id={core['props']['core-id']} id=hotplug-core")
        q.command("device_add", driver=core["type"], id="hotplug-core",
                  **{"core-id": core["props"]["core-id"]})
        g.wait_line(r"^phase=wait-unplug")
        print("  QMP device_del id=hotplug-core")
        q.command("device_del", id="hotplug-core")
        q.wait_event("DEVICE_DELETED", g.deadline)

    def run_migrate(self, c, disk):
        stream = os.path.join(self.tmp, f"{c['name']}.migration")
        if os.path.exists(stream):
            os.unlink(stream)
        src = Guest(self, c, ".src", disk, c["machine"], self.timeout)
        try:
            src.wait_line(r"^phase=wait-migration")
            q = src.connect()
            q.command("stop")
            q.command("migrate", uri=f"exec:cat > {stream}")
            while True:
                st = q.command("query-migrate").get("status")
                if st == "completed":
                    break
                if st in ("failed", "cancelled"):
                    raise CaseFailed(f"migration {st} on the source: "
                                     f"{q.command('query-migrate')}")
                if time.monotonic() > src.deadline:
                    raise src.timed_out("migration did not complete")
                time.sleep(0.2)
            q.command("quit")
            src.wait_exit()
        finally:
            src.kill()
        size = os.path.getsize(stream)
        print(f"  migration stream: {size} bytes")
        src_lines = src.lines()
        # the guest polls the marker block for this
        self.set_marker(disk, "SPIRQ-MARK boot=1 migrated=1\n")
        dst_machine = c["dst_machine"] or c["machine"]
        dst = Guest(self, c, ".dst", disk, dst_machine, self.timeout,
                    incoming=f"exec:cat {stream}")
        try:
            if c["refused"]:
                return self.expect_refused(c, dst, src_lines)
            q = dst.connect()
            while True:
                st = q.command("query-status")["status"]
                if st != "inmigrate":
                    break
                if time.monotonic() > dst.deadline:
                    raise dst.timed_out("the incoming migration did not end")
                time.sleep(0.2)
            if st in ("paused", "postmigrate", "prelaunch"):
                q.command("cont")
            elif st != "running":
                raise CaseFailed(f"destination status {st} after loading:\n"
                                 f"{dst.stderr_text()}")
            rc = dst.wait_exit()
        finally:
            dst.kill()
            os.unlink(stream)
        dst_lines = dst.lines()
        self.check_end(dst, rc, dst_lines)
        lines = src_lines + dst_lines
        reports = parse_reports(lines)
        record(self, c, reports)
        return lines, reports

    def expect_refused(self, c, dst, src_lines):
        while dst.proc.poll() is None:
            if time.monotonic() > dst.deadline:
                raise dst.timed_out("the refused stream did not end QEMU")
            time.sleep(0.2)
        rc = dst.proc.returncode
        err = dst.stderr_text()
        if rc == 0:
            raise CaseFailed("the destination accepted the stream")
        if rc < 0 or rc >= 128:
            raise CaseFailed(f"the destination died by a signal ({rc}):\n{err}")
        if not re.search(c["refused"], err):
            raise CaseFailed(f"the destination's error does not match "
                             f"/{c['refused']}/:\n{err}")
        print(f"  destination refused the stream, exit {rc}:")
        for l in err.strip().split("\n"):
            print(f"  ! {l}")
        # the source guest's report before the migration is checked
        return src_lines, parse_reports(src_lines)

    def check_case(self, c, lines, reports):
        mode = c["mode"]
        n = c["ncpus"]
        phases = [r.get("phase") for r in reports]
        expect = {
            "normal": [("main", n)],
            "reboot": [("boot1", n), ("boot2", n)],
            "hotplug": [("before-hotplug", n), ("after-hotplug", n + 1),
                        ("after-unplug", n)],
            "migrate": [("before-migration", n), ("after-migration", n)],
        }[mode]
        if c["refused"]:
            expect = [("before-migration", n)]
        if phases != [p for p, _ in expect]:
            raise CaseFailed(f"guest reports {phases}, expected "
                             f"{[p for p, _ in expect]}")
        for r, (_, ncpus) in zip(reports, expect):
            check_report(r, c, self, ncpus)
        if mode == "reboot" and not any(l == "rebooting" for l in lines):
            raise CaseFailed("the guest did not reboot")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--qemu", default=os.environ.get("QEMU", "qemu-system-ppc64"))
    ap.add_argument("--machine-extra",
                    default=os.environ.get("MACHINE_EXTRA", ""),
                    help="appended to every -machine value, e.g. ',spirq=on'")
    ap.add_argument("--guest", default=os.environ.get("GUEST_DIR"),
                    help="the guest directory (default: scripts/guest-build.sh)")
    ap.add_argument("--out", default=os.environ.get("GUEST_OUT",
                                                    os.path.join(TOP, "build-guest", "stock")))
    ap.add_argument("--timeout", type=int,
                    default=int(os.environ.get("GUEST_TIMEOUT", "90")),
                    help="seconds per boot (default 90)")
    ap.add_argument("--stock", action="store_true",
                    help="only the cases meaningful on a stock QEMU")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()

    selected = [c for c in CASES if not args.stock or c["stock"]]
    if args.cases:
        names = {c["name"] for c in CASES}
        unknown = [n for n in args.cases if n not in names]
        if unknown:
            ap.error(f"unknown case(s) {' '.join(unknown)}; --list shows them")
        selected = [c for c in CASES if c["name"] in args.cases]
    if args.list:
        for c in selected:
            print(c["name"])
        return 0

    if shutil.which(args.qemu) is None:
        print(f"run.py: no QEMU binary '{args.qemu}'", file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    if not args.guest:
        try:
            args.guest = subprocess.run(
                [os.path.join(TOP, "scripts", "guest-build.sh")],
                stdout=subprocess.PIPE, check=True, text=True).stdout.strip()
        except subprocess.CalledProcessError:
            print("run.py: building the guest failed", file=sys.stderr)
            print("0 passed, 1 failed")
            return 1
    run = Run(args)
    version = subprocess.run([args.qemu, "--version"], stdout=subprocess.PIPE,
                             text=True).stdout.split("\n")[0]
    print(f"QEMU: {args.qemu} ({version}); machine extra: "
          f"'{args.machine_extra}'; guest: {run.guest}; logs: {run.out}")

    passed = failed = 0
    for c in selected:
        start = time.monotonic()
        print(f"--- {c['name']}: -machine {c['machine']}{args.machine_extra} "
              f"-smp {c['smp']}" + (f" -cpu {c['cpu']}" if c["cpu"] else "")
              + (f" append '{c['append']}'" if c["append"] else "")
              + f" mode {c['mode']}"
              + (f" -> {c['dst_machine']}" if c["dst_machine"] else ""),
              flush=True)
        lines = []
        try:
            lines, reports = run.run_case(c)
            quote(lines)
            run.check_case(c, lines, reports)
        except CaseFailed as e:
            failed += 1
            print(f"FAIL {c['name']}: {e} ({time.monotonic() - start:.0f} s)",
                  flush=True)
            continue
        passed += 1
        print(f"PASS {c['name']} ({time.monotonic() - start:.0f} s)", flush=True)
    shutil.rmtree(run.sockdir, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
