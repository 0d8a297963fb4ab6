#!/usr/bin/env python3
"""A device node inside a bundle is never opened (a device's open can act)
and is listed as not read (docs/security.md, "Special files and pipes").
Making a device node needs root (CAP_MKNOD): without it the test says so
and is skipped (exit 77).

Usage: walk_device.py KBDIAG
"""
import os
import stat
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from kbcheck import CUSTOMER_OS, check, has_reason, kbdiag, run_cases, write  # noqa: E402


def devices_inside(tmp):
    b = f"{tmp}/bundle"
    write(f"{b}/os-release", CUSTOMER_OS)
    try:
        # /dev/null's numbers and a loop device's: harmless if opened, but they must not be
        os.mknod(f"{b}/null", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        os.mknod(f"{b}/disk", 0o600 | stat.S_IFBLK, os.makedev(7, 0))
    except PermissionError as e:
        print(f"SKIPPED: cannot make a device node here ({e}): run as root to test devices in a bundle")
        sys.exit(77)
    r = kbdiag("diagnose", "--format", "json", b)
    check(r.status == 0, "a bundle with device nodes: exit 0", r)
    for name in ["null", "disk"]:
        check(has_reason(r, name, "not read: a device, not a file"), f"the device {name} is listed as not read",
              r.warnings())
    check(r.json and r.json["host"].get("os") == "Customer OS 7", "the bundle's file is read", r)


if __name__ == "__main__":
    run_cases(devices_inside)
