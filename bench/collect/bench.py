#!/usr/bin/env python3
"""Times `kbdiag collect` against `ss -tanp` with many sockets open.

Usage: bench.py [KBDIAG] [RUNS]
  KBDIAG  the kbdiag binary (default: build-release/kbdiag under the
          source tree; build it with -DCMAKE_BUILD_TYPE=Release)
  RUNS    timed runs of each command per size (default 7, at least 5)

For each size a helper (hold.c, compiled here with cc) holds the sockets
open on loopback: 1 000 and 10 000 TCP listeners, then 10 000 established
connections (20 001 sockets: both ends and the listener).  The two
commands run alternately, each once untimed first; the line printed gives
the median wall time of each and kbdiag's time over ss's.  Before all
that, `kbdiag run` on the idle host (target: under 20 ms).  Output goes to /dev/null for
both tools, so each pays for its own formatting, not for a terminal.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SIZES = [("listen", 1000), ("listen", 10000), ("connect", 10000)]


def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - t) * 1000


def alternate(cmds, runs):
    times = [[] for _ in cmds]
    for cmd in cmds:
        timed(cmd)  # warm caches
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            times[i].append(timed(cmd))
    return [statistics.median(t) for t in times]


def build_hold(tmp):
    exe = os.path.join(tmp, "hold")
    subprocess.run(["cc", "-O2", "-o", exe, os.path.join(HERE, "hold.c")], check=True)
    return exe


def main():
    kbdiag = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "build-release", "kbdiag")
    runs = max(5, int(sys.argv[2]) if len(sys.argv) > 2 else 7)
    collect = [kbdiag, "collect", "-o", os.devnull]
    ss = ["ss", "-tanp"]
    # Idle first: closing 10 000 connections leaves 20 000 sockets in
    # time-wait for a minute, which every later run would list too.
    (idle,) = alternate([[kbdiag, "run"]], runs)
    print(f"idle host: kbdiag run {idle:.1f} ms (target < 20 ms)")
    with tempfile.TemporaryDirectory() as tmp:
        hold = build_hold(tmp)
        print(f"{'sockets':<24} {'kbdiag collect':>15} {'ss -tanp':>10} {'ratio':>6}")
        for mode, n in SIZES:
            p = subprocess.Popen([hold, mode, str(n)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            if p.stdout.readline().strip() != "ready":
                sys.exit(f"hold {mode} {n} failed")
            k, s = alternate([collect, ss], runs)
            label = f"{n} {'listening' if mode == 'listen' else 'established'}"
            print(f"{label:<24} {k:>12.1f} ms {s:>7.1f} ms {k / s:>6.2f}", flush=True)
            p.stdin.close()
            p.wait()


if __name__ == "__main__":
    main()
