#!/usr/bin/env python3
"""FIFOs, sockets, deep folders inside a bundle, and pipes on the command
line (docs/security.md, "Special files and pipes", "Bundle walk"): inside
a bundle each is listed as not read, without blocking; a pipe or FIFO
named on the command line is read as a stream, archives and formats read
twice included.

Usage: walk_special_files.py KBDIAG
"""
import errno
import io
import os
import socket
import sys
import tarfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from kbcheck import CUSTOMER_OS, SOURCE, check, has_reason, kbdiag, run_cases, write  # noqa: E402

EVENTS_CSV = os.path.join(SOURCE, "tests/fixtures/eventlog-csv/nt4-application.csv")


def special_files_inside(tmp):
    """A FIFO (no writer: opening it would hang) and a socket in a bundle."""
    b = f"{tmp}/special"
    write(f"{b}/os-release", CUSTOMER_OS)
    os.mkfifo(f"{b}/fifo")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(f"{b}/sock")
    r = kbdiag("diagnose", "--format", "json", b, timeout=30)
    sock.close()
    check(r.status == 0, "a bundle with a FIFO and a socket: exit 0, not hung", r)
    check(has_reason(r, "fifo", "not read: a pipe, not a file"), "the FIFO is listed as not read", r.warnings())
    check(has_reason(r, "sock", "not read: a socket, not a file"), "the socket is listed as not read", r.warnings())
    check(r.json and r.json["host"].get("os") == "Customer OS 7", "the bundle's file is read", r)


def deep_tree(tmp):
    """Evidence 20 folders down: the folder past the limit is reported,
    with the exit status of a run that read nothing."""
    b = f"{tmp}/deep"
    deep = "/".join(f"d{i}" for i in range(1, 21))
    write(f"{b}/{deep}/os-release", CUSTOMER_OS)
    r = kbdiag("diagnose", "--format", "json", b)
    cut = "/".join(f"d{i}" for i in range(1, 19))
    check(has_reason(r, cut, "not read: a folder nested deeper than 16 levels"), "the folder too deep is listed", r)
    check(r.status == 2, "nothing else to read: exit 2", r)
    text = kbdiag("diagnose", b)
    check(f"{cut}: not read: a folder nested deeper than 16 levels" in text.stdout, "the text report lists it", text)


def feed(fd, data):
    """Writes data to the pipe's write end fd from a thread, then closes it."""
    def run():
        with os.fdopen(fd, "wb") as w:
            try:
                w.write(data)
            except BrokenPipeError:
                pass
    t = threading.Thread(target=run)
    t.start()
    return t


def through_pipe(data, *args):
    """kbdiag diagnose /dev/fd/N --format json, N a pipe fed data: as
    `kbdiag diagnose <(cat FILE)`."""
    r_fd, w_fd = os.pipe()
    writer = feed(w_fd, data)
    run = kbdiag("diagnose", "--format", "json", f"/dev/fd/{r_fd}", *args, pass_fds=(r_fd,), timeout=60)
    os.close(r_fd)
    writer.join()
    return run, f"/dev/fd/{r_fd}"


def pipes_on_the_command_line(tmp):
    r, name = through_pipe(CUSTOMER_OS.encode())
    check(r.status == 0 and r.json and r.json["host"].get("os") == "Customer OS 7",
          "text through a pipe is read", r)
    check(r.inputs().get(name, {}).get("format") == "os-release", "the pipe is an input in its own name", r.inputs())

    # an archive through a pipe: its first bytes say so, then it is read whole
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        info = tarfile.TarInfo("etc/os-release")
        body = CUSTOMER_OS.encode()
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
    r, name = through_pipe(buf.getvalue())
    check(r.inputs().get(f"{name}!etc/os-release", {}).get("format") == "os-release",
          "an archive through a pipe is walked", r)

    # a format read in two passes (Event Viewer CSV): as many facts as from the file
    with open(EVENTS_CSV, "rb") as f:
        csv = f.read()
    r, name = through_pipe(csv)
    direct = kbdiag("diagnose", "--format", "json", EVENTS_CSV)
    piped, filed = r.inputs().get(name, {}), direct.inputs().get(EVENTS_CSV, {})
    check(piped.get("format") == "eventlog-csv" and piped.get("read") == filed.get("read") and filed.get("read"),
          f"an Event Viewer CSV export through a pipe is read whole ({piped} vs {filed})", r)
    check(r.status == direct.status, "and gives the same exit status", r)

    # a named FIFO on the command line: its open waits for the writer
    fifo = f"{tmp}/named-fifo"
    os.mkfifo(fifo)

    def writer():
        """Waits for kbdiag to open the FIFO (a minute at most: a kbdiag
        that never opens it fails the test rather than hanging it)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as e:  # ENXIO: no reader yet
                if e.errno != errno.ENXIO:
                    raise
                time.sleep(0.05)
                continue
            os.set_blocking(fd, True)
            with os.fdopen(fd, "wb") as w:
                w.write(CUSTOMER_OS.encode())
            return
    t = threading.Thread(target=writer)
    t.start()
    r = kbdiag("diagnose", "--format", "json", fifo, timeout=60)
    t.join()
    check(r.status == 0 and r.json and r.json["host"].get("os") == "Customer OS 7", "a named FIFO is read", r)


if __name__ == "__main__":
    run_cases(special_files_inside, deep_tree, pipes_on_the_command_line)
