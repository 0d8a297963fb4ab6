"""What the Python test drivers (tests/hostile, tests/live) share: running
kbdiag, reading its JSON report, and saying which check failed.

A driver's cases call check() for each property; run_cases() runs each in
a temporary folder of its own and exits with finish(): 1 when any check
failed (each failure printed with what was seen), else 0.  A driver takes
the kbdiag to run as its first argument.
"""
import json
import os
import subprocess
import sys
import tempfile

KBDIAG = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "kbdiag"
SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
_failures = []

# A customer's os-release: a fact the report shows on its host line, so
# whose facts were read is plain to see.
CUSTOMER_OS = 'NAME="Customer OS"\nID=customer\nVERSION_ID="7"\nPRETTY_NAME="Customer OS 7"\n'


def os_release(name):
    """An os-release file for a system called name: kbdiag reads it as the host's OS."""
    return f'NAME="{name}"\nID=other\nVERSION_ID="1"\nPRETTY_NAME="{name} 1"\n'


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, mode)


class Run:
    def __init__(self, proc, out, err):
        self.status = proc.returncode
        self.out, self.err = out, err  # the bytes as written
        self.stdout = out.decode(errors="replace")
        self.stderr = err.decode(errors="replace")
        try:
            self.json = json.loads(self.stdout) if self.stdout.lstrip().startswith("{") else None
        except ValueError:
            self.json = None

    def warnings(self):
        """path -> [reason, ...] of the JSON report's warnings."""
        out = {}
        for w in (self.json or {}).get("warnings", []):
            out.setdefault(w["path"], []).append(w["reason"])
        return out

    def inputs(self):
        return {i["path"]: i for i in (self.json or {}).get("inputs", [])}

    def raw(self):
        """The exit status and the bytes written, for checks of the bytes themselves."""
        return self.status, self.out, self.err

    def __str__(self):
        return f"exit {self.status}\n--- stdout\n{self.stdout[:1500]}\n--- stderr\n{self.stderr[:1500]}"


def kbdiag(*args, timeout=60, cwd=None, pass_fds=(), preexec_fn=None):
    """Runs kbdiag with args (the stock rules: the report is as a user
    sees it); a run that outlasts timeout is a failure (it hung)."""
    proc = subprocess.Popen([KBDIAG, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                            pass_fds=pass_fds, preexec_fn=preexec_fn)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        check(False, f"kbdiag {' '.join(args)} still running after {timeout} s", out.decode(errors="replace"))
    return Run(proc, out, err)


def check(ok, what, seen=""):
    """Records one property: what it is, and what was seen when it fails."""
    if not ok:
        _failures.append(what)
        print(f"FAIL: {what}\n{seen}\n", flush=True)
    return ok


def has_reason(run, path, text):
    """Whether the JSON report's warnings list path with a reason holding text."""
    return any(text in r for r in run.warnings().get(path, []))


def finish():
    """The exit status: 1 when any check failed, else 0; says which."""
    if _failures:
        print(f"{len(_failures)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


def run_cases(*cases):
    """Calls each case with a temporary folder of its own (removed after), then exits."""
    for case in cases:
        with tempfile.TemporaryDirectory(prefix="kbdiag-test-") as tmp:
            case(tmp)
    sys.exit(finish())
