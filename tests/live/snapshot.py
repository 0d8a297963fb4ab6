#!/usr/bin/env python3
"""Builds the snapshot a live test diagnoses while kbdiag has no Linux
collectors yet: what they will report (facts/core/schema.c) about this host,
limited to what the test knows.

  snapshot.py [--holder PID ADDRESS PORT]... [--log FORMAT PATH]...

--holder: a listener the test started, as listener and process facts read
from /proc.  --log: a daemon's log, one event per line, split as the
collectors split it: log = the path, source/pid/level/time where the
format gives them, message = the text after the prefix, code = the errno
the line reports ("(98: ...)", "(98)...", "errno=98" or the strerror text).
The host's addresses come from `ip -j address`.
"""
import json
import os
import pwd
import re
import socket
import subprocess
import sys
import time

STRERROR = {"address already in use": 98, "cannot assign requested address": 99, "permission denied": 13}

# format -> (regex over the raw line, names of its groups in order); the
# last group is the message.  Lines that do not match are whole messages.
FORMATS = {
    "nginx": (r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[(\w+)\] (\d+)#\d+: (.*)$", ("time", "level", "pid", "message")),
    "syslog": (r"^(\w{3} [ \d]\d \d\d:\d\d:\d\d) \S+ ([\w/.@-]+)\[(\d+)\]: (.*)$", ("time", "source", "pid", "message")),
    "dovecot": (r"^(\w{3} [ \d]\d \d\d:\d\d:\d\d) (.*)$", ("time", "message")),
    "slapd": (r"^[0-9a-f]+\.[0-9a-f]+ 0x[0-9a-f]+ (.*)$", ("message",)),
    "plain": (r"^(.*)$", ("message",)),
}


def errno_of(message):
    m = re.search(r"\((\d+): |^\((\d+)\)|errno=(\d+)", message)
    if m:
        return int(next(g for g in m.groups() if g))
    low = message.lower()
    return next((code for text, code in STRERROR.items() if text in low), None)


def events(fmt, path):
    regex, names = FORMATS[fmt]
    out = []
    with open(path, errors="replace") as f:
        for n, raw in enumerate(f, 1):
            raw = raw.rstrip("\n")
            if not raw.strip():
                continue
            m = re.match(regex, raw)
            slots = dict(zip(names, m.groups())) if m else {"message": raw}
            if "pid" in slots:
                slots["pid"] = int(slots["pid"])
            slots["log"] = path
            slots["code"] = errno_of(slots["message"])
            out.append({"kind": "event", "slots": {k: v for k, v in slots.items() if v is not None},
                        "source": path, "line": n, "text": raw})
    return out


def started(pid):
    """The process's start as ISO local time: /proc/PID/stat field 22 (clock ticks after boot) + btime."""
    with open(f"/proc/{pid}/stat") as f:
        ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/stat") as f:
        btime = next(int(line.split()[1]) for line in f if line.startswith("btime "))
    when = btime + ticks / os.sysconf("SC_CLK_TCK")
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(when))


def holder(pid, address, port):
    pid, port = int(pid), int(port)
    comm = open(f"/proc/{pid}/comm").read().strip()
    uid = os.stat(f"/proc/{pid}").st_uid
    user = pwd.getpwuid(uid).pw_name
    path = os.readlink(f"/proc/{pid}/exe")
    family = "ipv6" if ":" in address else "ipv4"
    shown = f"[{address}]" if ":" in address else address
    return [
        {"kind": "listener", "slots": {"protocol": "tcp", "family": family, "address": address, "port": port,
                                        "pid": pid, "process": comm, "user": user, "uid": uid, "state": "LISTEN",
                                        "owner_known": True},
         "source": "live:sockets", "text": f'tcp LISTEN {shown}:{port} users:(("{comm}",pid={pid}))'},
        {"kind": "process", "slots": {"pid": pid, "name": comm, "path": path, "user": user, "uid": uid,
                                       "started": started(pid)},
         "source": "live:processes", "text": f"{pid} {user} {comm}"},
    ]


def addresses():
    try:
        links = json.loads(subprocess.run(["ip", "-j", "address"], capture_output=True, text=True).stdout)
    except (OSError, ValueError):
        return []
    out = []
    for link in links:
        for a in link.get("addr_info", []):
            family = {"inet": "ipv4", "inet6": "ipv6"}.get(a.get("family"))
            if family:
                out.append({"kind": "address", "slots": {"interface": link["ifname"], "family": family,
                                                         "address": a["local"], "prefix": a["prefixlen"],
                                                         "up": "UP" in link.get("flags", [])},
                            "source": "live:addresses", "text": f"{link['ifname']} {a['local']}/{a['prefixlen']}"})
    return out


def main(argv):
    facts = [{"kind": "host", "slots": {"name": socket.gethostname(), "os_family": "linux"}, "source": "live:host"}]
    facts += addresses()
    i = 0
    while i < len(argv):
        if argv[i] == "--holder":
            facts += holder(*argv[i + 1:i + 4])
            i += 4
        elif argv[i] == "--log":
            facts += events(argv[i + 1], argv[i + 2])
            i += 3
        else:
            sys.exit(f"snapshot.py: unknown argument {argv[i]}")
    print('{"kbdiag_snapshot": 1, "facts": [')
    print(",\n".join(json.dumps(f) for f in facts))
    print("]}")


if __name__ == "__main__":
    main(sys.argv[1:])
