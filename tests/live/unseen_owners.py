#!/usr/bin/env python3
"""unseen_owners.py KBDIAG: kbdiag run as nobody cannot read root's
/proc/PID/fd, so it sees root's listening socket but not which process
holds it.  The report must say so, with the reason and what it weakens:
a warning on the linux.sockets collector, in JSON `warnings` and under the
text report's "Not read".  Run as root, nothing of the kind is said of the
same socket.  Exit 0 passed, 1 failed, 77 skipped (needs root and
setpriv).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from kbcheck import check, finish  # noqa: E402

NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"]


def run(kbdiag, fmt, as_nobody):
    """A copy of kbdiag (nobody cannot reach the build tree), as nobody or as root."""
    cmd = (NOBODY if as_nobody else []) + [kbdiag, "run", "--no-stock", "--format", fmt]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def main():
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        print("skipped: needs root and setpriv")
        return 77
    kbdiag = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="kbdiag-unseen-") as work:
        # nobody may not reach the build tree: it runs a copy
        os.chmod(work, 0o755)
        copy = os.path.join(work, "kbdiag")
        shutil.copy(kbdiag, copy)
        os.chmod(copy, 0o755)
        holder = subprocess.Popen([sys.executable, os.path.join(HERE, "holder.py"), "127.0.0.1", "0", "120"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            port = holder.stdout.readline().strip()
            print(f"root holds 127.0.0.1:{port} (PID {holder.pid})")
            r = run(copy, "json", True)
            report = json.loads(r.stdout)
            said = [w for w in report.get("warnings", []) if w.get("path") == "linux.sockets"]
            check(any("owners not seen" in w["reason"] and "uid 65534" in w["reason"] and "run as root" in w["reason"]
                      and "listener's pid" in w["reason"] for w in said),
                  "as nobody: no JSON warning on linux.sockets saying which owners it could not see and why",
                  report.get("warnings"))
            sockets = [i for i in report.get("inputs", []) if i.get("path") == "linux.sockets"]
            check(sockets and sockets[0].get("facts", 0) > 0, "as nobody: the sockets themselves are still read", sockets)
            text = run(copy, "text", True).stdout
            not_read = text[text.find("Not read:"):] if "Not read:" in text else ""
            check("linux.sockets" in not_read and "owners not seen" in not_read,
                  "as nobody: the text report's 'Not read' does not name the unseen owners", text[-2000:])
            root = json.loads(run(copy, "json", False).stdout)
            check(not any("owners not seen" in w.get("reason", "") for w in root.get("warnings", [])),
                  "as root: a warning of unseen owners", root.get("warnings"))
        finally:
            holder.kill()
            holder.wait()
    return finish()


if __name__ == "__main__":
    sys.exit(main())
