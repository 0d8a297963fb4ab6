"""What the benchmark runners share (bench/run, bench/bundle, bench/startup):
a Release kbdiag to time, one command timed with its peak memory, the
machine's description for the results' header, and a log line on stderr."""
import os
import platform
import signal
import subprocess
import sys
import threading
import time

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


def measure(argv, out_path, err_path, timeout, cpu=None):
    """Runs argv with stdout and stderr to files; returns (wall seconds,
    peak RSS in KiB, exit code (-signal when killed), timed out), and in
    cpu["s"], when given, its user + system seconds.  fork
    rather than posix_spawn: a vfork child's peak would start at this
    script's own peak, a forked one's at its current size."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: its own session, so a timeout kills all it started
        try:
            os.setsid()
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.dup2(os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
            os.dup2(os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 2)
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    expired = threading.Event()

    def kill():
        try:
            os.killpg(pid, signal.SIGKILL)
            expired.set()
        except ProcessLookupError:  # it ended as the timer fired
            pass
    timer = threading.Timer(timeout, kill)
    timer.start()
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    timer.cancel()
    if cpu is not None:
        cpu["s"] = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status), expired.is_set()
