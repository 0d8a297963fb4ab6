#!/usr/bin/env python3
"""Symbolic and hard links in a bundle directory (docs/security.md,
"Links", "Bundle walk"): a link that leaves the bundle is never followed,
links back up do not make the walk endless, nothing is read twice, and
every link not followed is listed under "Not read" with the reason.

Usage: walk_links.py KBDIAG
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from kbcheck import CUSTOMER_OS, check, has_reason, kbdiag, os_release, run_cases, write  # noqa: E402


def links_out(tmp):
    """Links out of the bundle: to a file beside it, to the analyst's own
    /etc/os-release and /proc/net/tcp, through a chain, and from a
    subfolder up past the root."""
    write(f"{tmp}/outside/os-release", os_release("Outside Secret"))
    b = f"{tmp}/bundle"
    write(f"{b}/os-release", CUSTOMER_OS)
    os.makedirs(f"{b}/sub")
    os.symlink("../outside/os-release", f"{b}/out")
    os.symlink("/etc/os-release", f"{b}/etc-os")
    os.symlink("/proc/net/tcp", f"{b}/tcp")
    os.symlink("hop2", f"{b}/hop1")
    os.symlink("sub/../../outside/os-release", f"{b}/hop2")
    os.symlink("../../outside", f"{b}/sub/up")
    r = kbdiag("diagnose", "--format", "json", b)
    check(r.status == 0, "a bundle with links out of it: exit 0 (its own file is read)", r)
    host = (r.json or {}).get("host", {}).get("os", "")
    check(host == "Customer OS 7", f"the host is the customer's, not the analyst's or the outside file's ({host!r})", r)
    check("Outside Secret" not in r.stdout, "nothing of the file outside the bundle is in the report", r)
    for path, target in [("out", "../outside/os-release"), ("etc-os", "/etc/os-release"), ("tcp", "/proc/net/tcp"),
                         ("hop1", "hop2"), ("hop2", "sub/../../outside/os-release"), ("sub/up", "../../outside")]:
        check(has_reason(r, path, f"not read: a link to '{target}', outside the bundle"),
              f"{path} -> {target} is listed as not read, outside the bundle", r.warnings())
        check(r.inputs().get(path, {}).get("facts") == 0, f"{path}: no facts", r.inputs())
    text = kbdiag("diagnose", b)
    check("Not read:" in text.stdout and "etc-os: not read: a link to '/etc/os-release', outside the bundle"
          in text.stdout, "the text report lists the link under Not read", text)


def loops(tmp):
    """Three links to the bundle's own folder, a link from a subfolder back
    up, and two links to each other: the walk ends, fast, each said."""
    b = f"{tmp}/loops"
    write(f"{b}/os-release", CUSTOMER_OS)
    for name in "abc":
        os.symlink(".", f"{b}/{name}")
    os.makedirs(f"{b}/d")
    os.symlink("..", f"{b}/d/up")
    os.symlink("ping", f"{b}/pong")
    os.symlink("pong", f"{b}/ping")
    start = time.monotonic()
    r = kbdiag("diagnose", "--format", "json", b, timeout=30)
    took = time.monotonic() - start
    check(r.status == 0, "a bundle of link loops: exit 0", r)
    check(took < 20, f"the walk of a bundle of loops ends at once ({took:.1f} s)")
    for path in ["a", "b", "c", "d/up"]:
        check(has_reason(r, path, "the bundle's own folder"), f"{path} is said to lead to the bundle's own folder",
              r.warnings())
    for path in ["ping", "pong"]:
        check(has_reason(r, path, "more than 40 links in a row"), f"{path} is said to be a loop of links", r.warnings())
    read = [p for p, i in r.inputs().items() if i["format"] == "os-release"]
    check(read == ["os-release"], f"the one file is read once, under its own name ({read})", r.inputs())


def links_inside(tmp):
    """Links that stay inside: to a file and a folder read under their own
    names (listed as such), a hard link (read once), a link to nothing,
    and a link to a folder too deep to be walked by its own name (read
    under the link's)."""
    b = f"{tmp}/inside"
    write(f"{b}/etc/os-release", CUSTOMER_OS)
    os.symlink("etc/os-release", f"{b}/os-link")
    os.symlink("etc", f"{b}/etc-link")
    os.link(f"{b}/etc/os-release", f"{b}/hard")
    os.symlink("nowhere", f"{b}/dangling")
    deep = "/".join(f"l{i}" for i in range(1, 19))
    write(f"{b}/{deep}/netstat.txt", "  TCP    0.0.0.0:110    0.0.0.0:0    LISTENING    812\n")
    os.symlink(deep, f"{b}/shortcut")
    r = kbdiag("diagnose", "--format", "json", b)
    w = r.warnings()
    check(has_reason(r, "os-link", "not read: a link to 'etc/os-release', which is read as 'etc/os-release'"),
          "a link to a file inside is said to be that file", w)
    check(has_reason(r, "etc-link", "not read: a link to 'etc', which is read as 'etc'"),
          "a link to a folder inside is said to be that folder", w)
    check(has_reason(r, "hard", "the same file as 'etc/os-release' (a hard link), read once"),
          "a hard link is read once", w)
    check(has_reason(r, "dangling", "not read: a link to 'nowhere', which does not exist"), "a dangling link is said", w)
    check(has_reason(r, deep, "nested deeper than 16 levels"), "the deep folder is too deep by its own name", w)
    check(r.inputs().get("shortcut/netstat.txt", {}).get("facts", 0) > 0,
          "the link inside the bundle is followed: the deep folder is read under its name", r.inputs())


if __name__ == "__main__":
    run_cases(links_out, loops, links_inside)
