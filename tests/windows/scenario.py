#!/usr/bin/env python3
"""kbdiag.exe under wine: one scenario of issue 18 per run.

    scenario.py --win-build DIR --kbdiag LINUX_KBDIAG --work DIR [--pe DLL] NAME

DIR holds the mingw build (kbdiag.exe, holdport.exe, bindfail.exe).  Each
run boots a wine prefix of its own under --work, so scenarios may run side
by side, and stops its wineserver and removes it at the end.  Scenarios:

  port-held      holdport.exe listens on a port; bindfail.exe cannot bind it
                 and logs the error; `kbdiag.exe run --format json --log FILE`
                 reports the port, that its owner is unknown (wine 8 gives
                 owner PID 0) and the failure.
  versions       HKCU\\Software\\Wine Version nt40, win2k, win2003 in turn:
                 the host fact follows (4.0/1381/SP6a, 5.0/2195/SP4,
                 5.2/3790/SP2).
  services       a service made with wine's `sc create` is listed with its
                 state and image.
  file-versions  a PE image with a version resource (tests/fixtures/pe,
                 built by tests/unit/pe_fixtures.cmake) as a service's image
                 and as system32\\mfc42.dll: their versions are read, by
                 collect and by run (which asks the pre-filter first).
  snapshot       the port-held host collected under wine into a snapshot,
                 diagnosed by the Linux build: the same findings.
  diagnose       `kbdiag.exe diagnose` of stock rule cases gives the Linux
                 build's findings.
  rules-test     `kbdiag.exe rules test rules/`: every stock rule case passes.
Every other run of kbdiag.exe uses the stock rules built into it.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

# The port holdport.exe holds: one Windows picks free, since wine's
# sockets are the host's and scenarios run side by side.
PORT = 0


class Wine:
    """A wine prefix of the scenario's own, stopped and removed at exit."""

    def __init__(self, work):
        self.prefix = os.path.join(work, "prefix")
        shutil.rmtree(self.prefix, ignore_errors=True)
        # KBDIAG_STOCK_RULES: the stock rules built into kbdiag.exe, as on a
        # server (the source tree's rules/ is reachable here through Z:).
        self.env = dict(os.environ, WINEPREFIX=self.prefix, WINEDEBUG="-all",
                        WINEDLLOVERRIDES="mscoree,mshtml=", LC_ALL="C.UTF-8",
                        KBDIAG_STOCK_RULES="C:\\no-stock-rules-folder")
        self.env.pop("DISPLAY", None)
        self.run(["wineboot", "-i"], timeout=180, check=True)
        # wineboot returns before the prefix's own processes have finished
        # setting it up; a program started meanwhile may fail to load.
        subprocess.run(["wineserver", "-w"], env=self.env, capture_output=True, timeout=180)

    def run(self, argv, timeout=120, check=False):
        cmd = argv if argv[0] == "wineboot" else ["wine"] + argv
        p = subprocess.run(cmd, env=self.env, capture_output=True, timeout=timeout)
        if check and p.returncode != 0:
            fail(f"{' '.join(argv)} exited {p.returncode}: {p.stderr.decode(errors='replace')[-2000:]}")
        return p

    def start(self, argv):
        return subprocess.Popen(["wine"] + argv, env=self.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

    def stop(self):
        """Ends the prefix's programs and removes the prefix: each holds
        wine's own copy of Windows, over a gigabyte."""
        subprocess.run(["wineserver", "-k"], env=self.env, capture_output=True, timeout=60)
        subprocess.run(["wineserver", "-w"], env=self.env, capture_output=True, timeout=60)
        shutil.rmtree(self.prefix, ignore_errors=True)

    def set_version(self, version):
        self.run(["reg", "add", "HKCU\\Software\\Wine", "/v", "Version", "/d", version, "/f"], check=True)


def is_32bit(exe):
    """Whether a PE image is i386 (its COFF machine field)."""
    with open(exe, "rb") as f:
        head = f.read(4096)
    pe = int.from_bytes(head[0x3C:0x40], "little")
    return int.from_bytes(head[pe + 4:pe + 6], "little") == 0x14C


def winpath(path):
    """A Linux path as wine's Z: drive names it."""
    return "Z:" + os.path.abspath(path).replace("/", "\\")


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def kbdiag_exe(args, wine, *argv, timeout=300):
    p = wine.run([os.path.join(args.win_build, "kbdiag.exe")] + list(argv), timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", errors="replace"), p.stderr.decode("utf-8", errors="replace")


def json_out(code, out, err, what):
    try:
        return json.loads(out)
    except ValueError:
        fail(f"{what}: exit {code}, not JSON: {out[:500]!r}; stderr: {err[-1500:]}")


def snapshot_facts(path, kind):
    with open(path, encoding="utf-8") as f:
        snap = json.load(f)
    return [x["slots"] for x in snap["facts"] if x["kind"] == kind]


def hold_and_fail(args, wine):
    """holdport holds a port (PORT); bindfail fails on it and logs: the log's path."""
    ready = os.path.join(args.work, "holdport.ready")
    log = os.path.join(args.work, "bindfail.log")
    for f in (ready, log):
        if os.path.exists(f):
            os.remove(f)
    wine.start([os.path.join(args.win_build, "holdport.exe"), "0", winpath(ready), "300"])
    for _ in range(300):
        if os.path.exists(ready) and os.path.getsize(ready) > 0:
            break
        time.sleep(0.1)
    else:
        fail("holdport.exe did not report it holds a port")
    global PORT
    with open(ready, encoding="ascii") as f:
        PORT = int(f.read().split()[1])
    p = wine.run([os.path.join(args.win_build, "bindfail.exe"), str(PORT), winpath(log)])
    if p.returncode != 1:
        fail(f"bindfail.exe should have failed to bind port {PORT}, exited {p.returncode}")
    with open(log, encoding="utf-8") as f:
        line = f.read()
    if "10048" not in line:
        fail(f"bindfail.exe logged no 10048: {line!r}")
    return log


def check_port_findings(report, what):
    """The finding about PORT: names the port, the failure, and an unknown owner."""
    about = [f for f in report.get("findings", []) if str(PORT) in f.get("message", "")]
    if not about:
        fail(f"{what}: no finding names port {PORT}: {json.dumps(report.get('findings'), indent=1)[:3000]}")
    msg = " ".join(f["message"] for f in about)
    if "bindfail" not in msg:
        fail(f"{what}: the finding does not name the program that failed: {msg}")
    if "(PID " in msg or "holdport" in msg.lower():
        fail(f"{what}: the finding names an owner wine did not report (guessed): {msg}")
    if "an unknown program holds it" not in msg:
        fail(f"{what}: the finding does not say the owner is unknown: {msg}")
    return about


def scenario_port_held(args, wine):
    log = hold_and_fail(args, wine)
    code, out, err = kbdiag_exe(args, wine, "run", "--format", "json", "--log", winpath(log))
    report = json_out(code, out, err, "kbdiag.exe run")
    check_port_findings(report, "kbdiag.exe run")
    # what could not be seen is said: the unknown owners, wine's missing event-log API
    said = [(w["path"], w["reason"]) for w in report.get("warnings", [])]
    if not any(p == "windows.sockets" and "owners not known" in r for p, r in said):
        fail(f"the report does not say the sockets' owners are unknown: {said}")
    if not any(p == "windows.events" and "not available" in r for p, r in said):
        fail(f"the report does not say the event logs could not be read: {said}")
    snap = os.path.join(args.work, "host.json")
    code, out, err = kbdiag_exe(args, wine, "collect", "-o", winpath(snap), "--log", winpath(log))
    if code != 0 or not os.path.exists(snap):
        fail(f"kbdiag.exe collect exited {code}: {err[-1500:]}")
    held = [l for l in snapshot_facts(snap, "listener") if l.get("port") == PORT and l.get("protocol") == "tcp"]
    if not held:
        fail(f"no tcp listener on port {PORT} in the snapshot")
    for l in held:
        if "pid" in l or l.get("owner_known") is not False:
            fail(f"the listener on {PORT} must have no PID and owner_known false under wine: {l}")
    print(f"port {PORT}: listener with unknown owner, finding: {check_port_findings(report, 'run')[0]['message']}")


def scenario_versions(args, wine):
    # os_version as the evidence writes it: winmsd "4.0", systeminfo "5.0.2195"
    want = {"nt40": ("4.0", 1381, 6), "win2k": ("5.0.2195", 2195, 4), "win2003": ("5.2.3790", 3790, 2)}
    for version, (os_version, build, sp) in want.items():
        wine.set_version(version)
        snap = os.path.join(args.work, f"host-{version}.json")
        code, out, err = kbdiag_exe(args, wine, "collect", "-o", winpath(snap))
        if code != 0:
            fail(f"{version}: kbdiag.exe collect exited {code}: {err[-1500:]}")
        hosts = snapshot_facts(snap, "host")
        if len(hosts) != 1:
            fail(f"{version}: {len(hosts)} host facts")
        h = hosts[0]
        got = (h.get("os_version"), h.get("build"), h.get("service_pack"), h.get("os_family"))
        if got != (os_version, build, sp, "windows"):
            fail(f"{version}: host fact {h}, want os_version {os_version}, build {build}, service pack {sp}")
        print(f"{version}: {h}")


def scenario_services(args, wine):
    image = winpath(os.path.join(args.win_build, "holdport.exe"))
    wine.run(["sc", "create", "KbdiagTest", "binPath=", image, "DisplayName=", "kbdiag test service",
              "start=", "demand"], check=True)
    snap = os.path.join(args.work, "services.json")
    code, out, err = kbdiag_exe(args, wine, "collect", "-o", winpath(snap))
    if code != 0:
        fail(f"kbdiag.exe collect exited {code}: {err[-1500:]}")
    svcs = [s for s in snapshot_facts(snap, "service") if s.get("name", "").lower() == "kbdiagtest"]
    if len(svcs) != 1:
        fail(f"service KbdiagTest listed {len(svcs)} times")
    s = svcs[0]
    if s.get("state") != "stopped" or "holdport.exe" not in (s.get("image") or "").lower():
        fail(f"KbdiagTest: {s}, want state stopped and image holdport.exe")
    if s.get("display_name") != "kbdiag test service" or s.get("start_type") != "demand_start":
        fail(f"KbdiagTest: {s}, want display name 'kbdiag test service' and start type demand_start")
    print(f"KbdiagTest: {s}")


def scenario_file_versions(args, wine):
    if not args.pe:
        fail("--pe: the test PE image with a version resource is needed")
    # a 32-bit program's system32 is Windows' SysWOW64 (file system redirection)
    exe = os.path.join(args.win_build, "kbdiag.exe")
    system = "syswow64" if is_32bit(exe) else "system32"
    shutil.copy(args.pe, os.path.join(wine.prefix, "drive_c", "windows", system, "mfc42.dll"))
    service_dir = os.path.join(args.work, "service")
    os.makedirs(service_dir, exist_ok=True)
    shutil.copy(args.pe, os.path.join(service_dir, "pop3svc.exe"))
    wine.run(["sc", "create", "KbdiagPop3", "binPath=", winpath(os.path.join(service_dir, "pop3svc.exe"))],
             check=True)
    snap = os.path.join(args.work, "files.json")
    code, out, err = kbdiag_exe(args, wine, "collect", "-o", winpath(snap))
    if code != 0:
        fail(f"kbdiag.exe collect exited {code}: {err[-1500:]}")
    check_versions({f.get("name", "").lower(): f for f in snapshot_facts(snap, "file")}, ("mfc42.dll", "pop3svc.exe"),
                   "collect")
    # run: a version is read only for a file a loaded rule could match
    # (the pre-filter), and mfc42.dll is one (Q214864)
    trace = os.path.join(args.work, "run-trace.json")
    code, out, err = kbdiag_exe(args, wine, "run", "--format", "json", "--trace", winpath(trace))
    json_out(code, out, err, "kbdiag.exe run")
    with open(trace, encoding="utf-8") as f:
        facts = [x for x in json.load(f)["facts"] if x["kind"] == "file"]
    files = {x["slots"].get("name", "").lower(): x["slots"] for x in facts}
    check_versions(files, ("mfc42.dll",), "run")
    print(f"run kept {len(files)} file facts")


def check_versions(files, names, how):
    """files by lower-case name: each of names has the test image's version."""
    for name in names:
        f = files.get(name)
        if not f or f.get("version") != "6.0.8168.0" or f.get("version_text") != "6.00.8168.0":
            fail(f"{how}: {name}: {f}, want version 6.0.8168.0 written 6.00.8168.0 (files: {sorted(files)[:40]})")
        print(f"{how}: {name}: {f}")


def findings(report):
    return sorted((f["rule"], f["message"]) for f in report.get("findings", []))


def scenario_snapshot(args, wine):
    log = hold_and_fail(args, wine)
    snap = os.path.join(args.work, "host.json")
    code, out, err = kbdiag_exe(args, wine, "collect", "-o", winpath(snap), "--log", winpath(log))
    if code != 0:
        fail(f"kbdiag.exe collect exited {code}: {err[-1500:]}")
    code, out, err = kbdiag_exe(args, wine, "diagnose", winpath(snap), "--format", "json")
    on_windows = json_out(code, out, err, "kbdiag.exe diagnose")
    p = subprocess.run([args.kbdiag, "diagnose", snap, "--format", "json"], capture_output=True, text=True)
    on_linux = json_out(p.returncode, p.stdout, p.stderr, "kbdiag diagnose (Linux)")
    check_port_findings(on_linux, "Linux diagnose of the wine snapshot")
    if findings(on_windows) != findings(on_linux):
        fail(f"findings differ:\n  kbdiag.exe: {findings(on_windows)}\n  Linux:      {findings(on_linux)}")
    print(f"the same {len(findings(on_linux))} findings on both")


def scenario_diagnose(args, wine):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    cases = sorted(os.path.join(root, "rules", "kb", "tests", c, "bundle")
                   for c in os.listdir(os.path.join(root, "rules", "kb", "tests")))
    cases = [c for c in cases if os.path.isdir(c)]
    cases = cases[:: max(1, len(cases) // 12)]
    cases.append(os.path.join(root, "examples", "exchange55-pop3.json"))
    for case in cases:
        code, out, err = kbdiag_exe(args, wine, "diagnose", winpath(case), "--format", "json")
        on_windows = json_out(code, out, err, f"kbdiag.exe diagnose {case}")
        p = subprocess.run([args.kbdiag, "diagnose", case, "--format", "json"], capture_output=True, text=True)
        on_linux = json_out(p.returncode, p.stdout, p.stderr, f"kbdiag diagnose {case}")
        if findings(on_windows) != findings(on_linux):
            fail(f"{case}: findings differ:\n  kbdiag.exe: {findings(on_windows)}\n  Linux:      {findings(on_linux)}")
        print(f"{os.path.relpath(case, root)}: {len(findings(on_linux))} findings, the same")


def scenario_rules_test(args, wine):
    rules = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "rules")
    code, out, err = kbdiag_exe(args, wine, "rules", "test", winpath(rules))
    failed = [l for l in out.splitlines() if not l.startswith("pass ")]
    if code != 0 or not failed or not failed[-1].endswith(" passed, 0 failed"):
        fail(f"kbdiag.exe rules test exited {code}:\n" + "\n".join(failed[-40:]) + err[-1500:])
    print(failed[-1])


SCENARIOS = {
    "port-held": scenario_port_held,
    "versions": scenario_versions,
    "services": scenario_services,
    "file-versions": scenario_file_versions,
    "snapshot": scenario_snapshot,
    "diagnose": scenario_diagnose,
    "rules-test": scenario_rules_test,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--win-build", required=True)
    ap.add_argument("--kbdiag", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--pe")
    ap.add_argument("scenario", choices=sorted(SCENARIOS))
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    wine = Wine(args.work)
    try:
        SCENARIOS[args.scenario](args, wine)
    finally:
        wine.stop()


if __name__ == "__main__":
    main()
