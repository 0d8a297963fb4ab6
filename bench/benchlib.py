"""What the benchmark runners share (bench/run, bench/bundle): a Release
kbdiag to time, the machine's description for the results' header, and a
log line on stderr."""
import os
import platform
import subprocess
import sys

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
DEFAULT_KBDIAG = os.path.join(ROOT, "build-rel", "kbdiag")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def ensure_kbdiag(path, runner):
    """path, or the default build-rel/kbdiag configured and built in Release
    (-j2) when missing; runner names the caller in messages."""
    if os.access(path, os.X_OK):
        return path
    if os.path.abspath(path) != DEFAULT_KBDIAG:
        sys.exit(f"{runner}: no kbdiag at {path}")
    print(f"{runner}: building kbdiag in build-rel (Release)", file=sys.stderr, flush=True)
    build = os.path.dirname(DEFAULT_KBDIAG)
    for step in (["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release", "-DKBDIAG_TESTS=OFF"],
                 ["cmake", "--build", build, "-j2"]):
        done = subprocess.run(step, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if done.returncode:
            sys.exit(f"{done.stdout}\n{runner}: {' '.join(step)} failed")
    return DEFAULT_KBDIAG


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()
