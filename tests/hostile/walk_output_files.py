#!/usr/bin/env python3
"""Files kbdiag writes, --trace FILE and collect -o FILE (docs/security.md,
"Output files"): a symbolic link at FILE is refused (exit 2, nothing
written anywhere) unless --follow-output-links; the file is replaced
whole, so that kbdiag killed, or failing, midway leaves the old one as it
was; /dev/null stays a device.

Usage: walk_output_files.py KBDIAG
"""
import glob
import json
import os
import resource
import signal
import stat
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from kbcheck import SOURCE, check, kbdiag, run_cases  # noqa: E402

BUNDLE = os.path.join(SOURCE, "rules/kb/tests/Q298944-poproxy/bundle")
PRECIOUS = "root:x:0:0:root:/root:/bin/bash\nanalyst:x:1000:1000::/home/analyst:/bin/bash\n"


def precious(tmp):
    """A file the analyst cares about (a copy of /etc/passwd, say)."""
    path = f"{tmp}/passwd"
    with open(path, "w") as f:
        f.write(PRECIOUS)
    os.chmod(path, 0o640)
    return path


def unchanged(path, what):
    with open(path) as f:
        check(f.read() == PRECIOUS, f"{what}: the precious file is unchanged")


def no_leftovers(tmp, what):
    left = glob.glob(f"{tmp}/.*.??????")
    check(not left, f"{what}: no temporary file left behind ({left})")


def trace_through_links(tmp):
    target = precious(tmp)
    link = f"{tmp}/trace.json"
    os.symlink(target, link)
    r = kbdiag("diagnose", BUNDLE, "--trace", link)
    check(r.status == 2, "--trace at a symbolic link: exit 2", r)
    check("a symbolic link; kbdiag does not write through one" in r.stderr and "--follow-output-links" in r.stderr,
          "the refusal says why and what to do", r)
    check("Q298944" in r.stdout, "the report is still printed", r)
    unchanged(target, "--trace at a link")
    no_leftovers(tmp, "--trace at a link")

    r = kbdiag("diagnose", BUNDLE, "--trace", link, "--follow-output-links")
    check(r.status == 1, "--follow-output-links: the run goes on (exit 1: findings)", r)
    check(os.path.islink(link) and os.readlink(link) == target, "the link is kept")
    with open(target) as f:
        check(json.load(f).get("events"), "the file the link leads to now holds the trace")
    check(stat.S_IMODE(os.stat(target).st_mode) == 0o640, "and keeps its permissions")
    os.unlink(link)
    os.unlink(target)


def collect_through_links(tmp):
    target = precious(tmp)
    link = f"{tmp}/host.json"
    os.symlink(target, link)
    r = kbdiag("collect", "-o", link)
    check(r.status == 2 and "a symbolic link" in r.stderr, "collect -o at a symbolic link: exit 2, said", r)
    unchanged(target, "collect -o at a link")
    r = kbdiag("collect", "-o", link, "--follow-output-links")
    check(r.status == 0, "collect -o through a link when asked: exit 0", r)
    with open(target) as f:
        check("facts" in json.load(f), "the snapshot is in the file the link leads to")
    os.unlink(link)
    os.unlink(target)


def remove_leftovers(tmp):
    """What a killed writer leaves beside the old file: its half-written text."""
    for leftover in glob.glob(f"{tmp}/.*.??????"):
        os.unlink(leftover)


def limited_writes(ignore_signal):
    """A child whose files cannot grow past 2 KiB: at the write that would,
    it is killed by SIGXFSZ, or with the signal ignored the write fails."""
    def setup():
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))
        if ignore_signal:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return setup


def killed_writers(tmp):
    old = precious(tmp)
    r = kbdiag("diagnose", BUNDLE, "--trace", old, preexec_fn=limited_writes(False))
    check(r.status == -signal.SIGXFSZ, f"the trace writer is killed midway (exit {r.status})", r)
    unchanged(old, "--trace, kbdiag killed while writing it")
    remove_leftovers(tmp)

    r = kbdiag("diagnose", BUNDLE, "--trace", old, preexec_fn=limited_writes(True))
    check(r.status == 2 and f"writing the trace to {old} failed" in r.stderr, "a failed trace write: exit 2, said", r)
    unchanged(old, "--trace, the write failing")
    no_leftovers(tmp, "--trace, the write failing")

    r = kbdiag("collect", "-o", old, preexec_fn=limited_writes(False))
    check(r.status == -signal.SIGXFSZ, f"the snapshot writer is killed midway (exit {r.status})", r)
    unchanged(old, "collect -o, kbdiag killed while writing it")
    remove_leftovers(tmp)

    r = kbdiag("diagnose", BUNDLE, "--trace", old)
    check(r.status == 1, "unhindered, the trace replaces the old file", r)
    with open(old) as f:
        check(json.load(f).get("events"), "with the whole trace")
    os.unlink(old)


def devices_in_place(tmp):
    """/dev/null is written in place, never renamed over (as root, a rename
    would replace the device with a file)."""
    r = kbdiag("diagnose", BUNDLE, "--trace", "/dev/null")
    check(r.status == 1, "--trace /dev/null: the run goes on", r)
    check(stat.S_ISCHR(os.stat("/dev/null").st_mode), "/dev/null is still a device")
    os.mkdir(f"{tmp}/dir")
    r = kbdiag("diagnose", BUNDLE, "--trace", f"{tmp}/dir")
    check(r.status == 2 and "Is a directory" in r.stderr, "--trace at a folder: exit 2, said", r)


if __name__ == "__main__":
    run_cases(trace_through_links, collect_through_links, killed_writers, devices_in_place)
