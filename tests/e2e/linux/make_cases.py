#!/usr/bin/env python3
"""Writes the snapshots and case.json of the tests/e2e/cases/linux-* cases.

The facts are those the Linux collectors produce (listener, connection,
process, address, host, service, event; facts/core/schema.c), shaped as they
describe them: events carry log, source, pid, level, time, the message
after the log's prefix, and the errno the line reports as `code`.  The log
lines are real daemon output (docs/evidence-formats.md "Linux bind failures:
Debian 12 output", and captures from the Debian 12 packages).  Run it after
changing a fixture here, then refresh the expected text with
  KBDIAG_UPDATE=1 python3 tests/e2e/run_case.py build/kbdiag tests/e2e/cases/linux-...
and read the diff.
"""
import json, os, sys
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cases")

def fact(kind, slots, source=None, line=None, text=None):
    f = {"kind": kind, "slots": {k: v for k, v in slots.items() if v is not None}}
    if source: f["source"] = source
    if line: f["line"] = line
    if text: f["text"] = text
    return f

def host(name="mail1"):
    return [fact("host", {"name": name, "os_family": "linux", "os_name": "Debian GNU/Linux 12 (bookworm)",
                          "kernel": "6.1.0-26-amd64", "arch": "x86_64"}, "live:host", None, name)]

def addresses():
    out = []
    for i, (ifc, fam, a, pre) in enumerate([("lo", "ipv4", "127.0.0.1", 8), ("lo", "ipv6", "::1", 128),
                                           ("eth0", "ipv4", "192.168.31.20", 24),
                                           ("eth0", "ipv6", "fe80::5054:ff:fe12:3456", 64)]):
        out.append(fact("address", {"interface": ifc, "family": fam, "address": a, "prefix": pre, "up": True},
                        "live:addresses", None, f"{i+1}: {ifc} {'inet' if fam == 'ipv4' else 'inet6'} {a}/{pre}"))
    return out

def listener(addr, port, pid=None, proc=None, user=None, uid=None, inode=None, known=True, family=None):
    fam = family or ("ipv6" if ":" in addr else "ipv4")
    shown = f"[{addr}]" if ":" in addr else addr
    owner = f' users:(("{proc}",pid={pid},fd=6))' if known and pid else ""
    return fact("listener", {"protocol": "tcp", "family": fam, "address": addr, "port": port, "pid": pid,
                             "process": proc, "user": user, "uid": uid, "inode": inode, "state": "LISTEN",
                             "owner_known": known}, "live:sockets", None, f"tcp LISTEN {shown}:{port}{owner}")

def process(pid, name, path, user, started, ppid=1, cmd=None):
    return fact("process", {"pid": pid, "ppid": ppid, "name": name, "path": path, "user": user,
                            "command_line": cmd or path, "started": started}, "live:processes", None,
                f"{pid} {ppid} {user} {started} {cmd or path}")

def service(name, state, sub, pid=None):
    return fact("service", {"name": name, "state": state, "sub_state": sub, "pid": pid}, "live:systemd", None,
                f"{name} loaded {state} {sub}")

def journal(source, pid, msg, time, level="err", code=None, user=None):
    return fact("event", {"log": "journal", "source": source, "pid": pid, "level": level, "time": time,
                          "message": msg, "code": code, "user": user}, "journal", None,
                f"{time} {source}[{pid}]: {msg}" if pid else f"{time} {source}: {msg}")

def logline(path, line, raw, msg, source=None, pid=None, level=None, time=None, code=None):
    return fact("event", {"log": path, "source": source, "pid": pid, "level": level, "time": time,
                          "message": msg, "code": code}, path, line, raw)

def write(case, facts, runs):
    d = os.path.join(ROOT, case)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "snapshot.json"), "w") as f:
        f.write('{"kbdiag_snapshot": 1, "kbdiag": "0.1.0", "facts": [\n')
        f.write(",\n".join(json.dumps(x) for x in facts))
        f.write("\n]}\n")
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump({"runs": runs}, f, indent=2)
        f.write("\n")

RULES = ["--no-stock", "--rules", "../../../../rules/knowledge", "--rules", "../../../../rules/general",
         "--rules", "../../../../rules/linux"]

def std_runs(status=1, contains=(), lacks=()):
    return [
        {"args": ["diagnose"] + RULES + ["snapshot.json"], "status": status, "stdout": "expected.txt"},
        {"args": ["diagnose", "snapshot.json", "--format", "json"], "status": status,
         "stdout_contains": list(contains), "stdout_lacks": list(lacks)},
    ]
def J(s):  # JSON-encoded needle for stdout_contains on --format json
    return json.dumps(s)[1:-1]

# ---- nginx: five retries against a wildcard listener ------------------------
log = "/var/log/nginx/error.log"
f = host("web1") + addresses()
f += [listener("0.0.0.0", 8080, 4242, "python3", "www-data", 33, 51234),
      listener("0.0.0.0", 22, 612, "sshd", "root", 0, 20011),
      process(4242, "python3", "/usr/bin/python3.11", "www-data", "2026-11-21T09:14:03+01:00", 1,
              "python3 -m http.server 8080"),
      process(612, "sshd", "/usr/sbin/sshd", "root", "2026-11-20T07:00:12+01:00")]
n = 0
for i in range(5):
    t = f"2026/11/21 10:02:0{i}"
    n += 1
    f.append(logline(log, n, f"{t} [emerg] 9734#9734: bind() to 127.0.0.1:8080 failed (98: Address already in use)",
                     "bind() to 127.0.0.1:8080 failed (98: Address already in use)", None, 9734, "emerg",
                     f"2026-11-21T10:02:0{i}", 98))
    n += 1
    f.append(logline(log, n, f"{t} [notice] 9734#9734: try again to bind() after 500ms",
                     "try again to bind() after 500ms", None, 9734, "notice", f"2026-11-21T10:02:0{i}"))
n += 1
f.append(logline(log, n, "2026/11/21 10:02:05 [emerg] 9734#9734: still could not bind()", "still could not bind()",
                 None, 9734, "emerg", "2026-11-21T10:02:05"))
f.append(service("nginx.service", "failed", "failed"))
msg = "nginx cannot bind 127.0.0.1:8080: python3 (PID 4242, user www-data, running since 2026-11-21 09:14) holds 0.0.0.0:8080."
write("linux-nginx-port-held", f, std_runs(1, ['"rule": "linux-port-in-use"', J(msg)],
                                           ['"rule": "linux-port-time-wait"', '"rule": "linux-service-port-taken"']))

# ---- sshd: both families refused, dropbear holds both ----------------------
f = host("gw1") + addresses()
f += [listener("0.0.0.0", 22, 812, "dropbear", "root", 0, 3001),
      listener("::", 22, 812, "dropbear", "root", 0, 3002),
      process(812, "dropbear", "/usr/sbin/dropbear", "root", "2026-11-21T06:58:40+00:00", 1, "/usr/sbin/dropbear -F -p 22"),
      service("ssh.service", "activating", "auto-restart")]
for k, when in enumerate(["2026-11-21T07:00:01+00:00", "2026-11-21T07:00:43+00:00"]):
    pid = 2001 + k
    f += [journal("sshd", pid, "Bind to port 22 on 0.0.0.0 failed: Address already in use.", when, "err", 98),
          journal("sshd", pid, "Bind to port 22 on :: failed: Address already in use.", when, "err", 98),
          journal("sshd", pid, "Cannot bind any address.", when, "crit")]
msg = "sshd cannot bind 0.0.0.0:22 and [::]:22: dropbear (PID 812, user root, running since 2026-11-21 06:58) holds them."
write("linux-sshd-port-held", f, std_runs(1, ['"rule": "linux-port-in-use"', J(msg)]))

# ---- apache2: nginx master and workers share the sockets --------------------
f = host("web2") + addresses()
for addr, ino in (("0.0.0.0", 7001), ("::", 7002)):
    for pid, user in ((1500, "root"), (1501, "www-data"), (1502, "www-data")):
        f.append(listener(addr, 80, pid, "nginx", user, 0 if user == "root" else 33, ino))
f += [process(1500, "nginx", "/usr/sbin/nginx", "root", "2026-11-19T22:10:00+00:00", 1,
              "nginx: master process /usr/sbin/nginx -g daemon on; master_process on;"),
      process(1501, "nginx", "/usr/sbin/nginx", "www-data", "2026-11-19T22:10:00+00:00", 1500, "nginx: worker process"),
      process(1502, "nginx", "/usr/sbin/nginx", "www-data", "2026-11-19T22:10:00+00:00", 1500, "nginx: worker process")]
alog = "/var/log/apache2/error.log"
raw = "[Sat Nov 21 10:15:02.104311 2026] [core:emerg] [pid 8810:tid 140213] "
f += [logline(alog, 1, raw + "(98)Address already in use: AH00072: make_sock: could not bind to address [::]:80",
              "(98)Address already in use: AH00072: make_sock: could not bind to address [::]:80", "apache2", 8810,
              "emerg", "2026-11-21T10:15:02", 98),
      logline(alog, 2, raw + "(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:80",
              "(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:80", "apache2", 8810,
              "emerg", "2026-11-21T10:15:02", 98),
      logline(alog, 3, "[Sat Nov 21 10:15:02.104402 2026] [mpm_event:alert] [pid 8810:tid 140213] no listening sockets available, shutting down",
              "no listening sockets available, shutting down", "apache2", 8810, "alert", "2026-11-21T10:15:02"),
      logline(alog, 4, "[Sat Nov 21 10:15:02.104420 2026] [:emerg] [pid 8810:tid 140213] AH00015: Unable to open logs",
              "AH00015: Unable to open logs", "apache2", 8810, "emerg", "2026-11-21T10:15:02"),
      service("apache2.service", "failed", "failed")]
msg = ("apache2 cannot bind 0.0.0.0:80 and [::]:80: nginx (PID 1500, user root, running since 2026-11-19 22:10, "
       "with PIDs 1501 and 1502 sharing the socket) holds them.")
write("linux-apache-port-held", f, std_runs(1, ['"rule": "linux-port-in-use"', J(msg)]))

# ---- dovecot: inetd holds IMAP (logged) and POP3 (not logged) ---------------
f = host("mail1") + addresses()
f += [listener("0.0.0.0", 143, 700, "inetd", "root", 0, 9001),
      listener("0.0.0.0", 110, 700, "inetd", "root", 0, 9002),
      listener("0.0.0.0", 25, 1100, "master", "root", 0, 9003),
      process(700, "inetd", "/usr/sbin/inetd", "root", "2026-11-18T08:00:00+00:00", 1, "/usr/sbin/inetd -i"),
      process(1100, "master", "/usr/lib/postfix/sbin/master", "root", "2026-11-18T08:00:02+00:00", 1,
              "/usr/lib/postfix/sbin/master -w"),
      service("dovecot.service", "failed", "failed"),
      service("postfix@-.service", "active", "running", 1100),
      journal("dovecot", 2310, "master: Error: service(imap-login): listen(*, 143) failed: Address already in use",
              "2026-11-21T11:00:00+00:00", "err", 98),
      journal("dovecot", 2310, "master: Error: service(imap-login): listen(::, 143) failed: Address already in use",
              "2026-11-21T11:00:00+00:00", "err", 98),
      journal("dovecot", 2310, "master: Fatal: Failed to start listeners", "2026-11-21T11:00:00+00:00", "crit")]
m1 = "dovecot cannot bind 0.0.0.0:143 and [::]:143: inetd (PID 700, user root, running since 2026-11-18 08:00) holds 0.0.0.0:143."
m2 = ("dovecot is not running (dovecot.service is failed) and inetd (PID 700, user root, running since "
      "2026-11-18 08:00) listens on its POP3 port 110, so dovecot cannot start until that port is free.")
write("linux-dovecot-port-held", f, std_runs(1, ['"rule": "linux-port-in-use"', J(m1), '"rule": "linux-service-port-taken"', J(m2)],
                                             ["port 143, so dovecot", "port 25"]))

# ---- postfix: exim4 holds the SMTP port ---------------------------------------
mlog = "/var/log/mail.log"
f = host("mx1") + addresses()
f += [listener("0.0.0.0", 25, 900, "exim4", "Debian-exim", 101, 4001),
      listener("127.0.0.1", 587, 900, "exim4", "Debian-exim", 101, 4002),
      process(900, "exim4", "/usr/sbin/exim4", "Debian-exim", "2026-11-21T05:30:00+00:00", 1, "/usr/sbin/exim4 -bd -q30m"),
      logline(mlog, 10, "Nov 21 09:00:00 mx1 postfix/postfix-script[4225]: starting the Postfix mail system",
              "starting the Postfix mail system", "postfix/postfix-script", 4225, None, "Nov 21 09:00:00"),
      logline(mlog, 11, "Nov 21 09:00:00 mx1 postfix/master[4226]: fatal: bind 0.0.0.0 port 25: Address already in use",
              "fatal: bind 0.0.0.0 port 25: Address already in use", "postfix/master", 4226, None, "Nov 21 09:00:00", 98),
      service("postfix@-.service", "failed", "failed"),
      service("postfix.service", "active", "exited")]
msg = "postfix cannot bind 0.0.0.0:25: exim4 (PID 900, user Debian-exim, running since 2026-11-21 05:30) holds it."
m2 = ("postfix is not running (postfix@-.service is failed) and exim4 (PID 900, user Debian-exim, running since "
      "2026-11-21 05:30) listens on its SUBMISSION port 587, so postfix cannot start until that port is free.")
write("linux-postfix-port-held", f, std_runs(1, ['"rule": "linux-port-in-use"', J(msg), J(m2)], ["SMTP port 25"]))

# ---- exim: ten retries, postfix's master holds both families -----------------
elog = "/var/log/exim4/mainlog"
f = host("mx2") + addresses()
f += [listener("0.0.0.0", 25, 1100, "master", "root", 0, 5001),
      listener("::", 25, 1100, "master", "root", 0, 5002),
      process(1100, "master", "/usr/lib/postfix/sbin/master", "root", "2026-11-20T23:59:00+00:00", 1,
              "/usr/lib/postfix/sbin/master -w")]
line = 0
for k in range(3):
    t = f"2026-11-21 12:0{k}:00"
    line += 1
    tail = f"waiting 30s before trying again ({9 - k} more tries)"
    text = f"socket bind() to port 25 for address (any IPv4) failed: Address already in use: {tail}"
    f.append(logline(elog, line, f"{t} {text}", text, None, None, None, t, 98))
line += 1
text = "socket bind() to port 25 for address (any IPv4) failed: Address already in use: daemon abandoned"
f.append(logline(elog, line, "2026-11-21 12:03:00 " + text, text, None, None, None, "2026-11-21 12:03:00", 98))
msg = "exim4 cannot bind 0.0.0.0:25: master (PID 1100, user root, running since 2026-11-20 23:59) holds 0.0.0.0:25 and [::]:25."
write("linux-exim-port-held", f, std_runs(1, ['"rule": "linux-port-in-use"', J(msg)]))

# ---- slapd at the default log level: no port in the line ----------------------
f = host("ldap1") + addresses()
f += [listener("0.0.0.0", 389, 4242, "python3", "root", 0, 6001),
      process(4242, "python3", "/usr/bin/python3.11", "root", "2026-11-21T13:00:00+00:00", 1, "python3 fake-ldap.py"),
      service("slapd.service", "failed", "failed"),
      journal("slapd", 3100, "daemon: bind(7) failed errno=98 (Address already in use)", "2026-11-21T13:05:00+00:00", "err", 98),
      journal("slapd", 3100, "daemon: bind(8) failed errno=98 (Address already in use)", "2026-11-21T13:05:00+00:00", "err", 98),
      journal("slapd", 3100, "slapd stopped.", "2026-11-21T13:05:00+00:00", "info")]
msg = ("slapd could not bind (errno 98, Address already in use) and its log does not say which port; python3 "
       "(PID 4242, user root, running since 2026-11-21 13:00) holds its LDAP port 389.")
write("linux-slapd-port-held", f, std_runs(1, ['"rule": "linux-port-in-use-unlogged"', J(msg)],
                                           ['"rule": "linux-service-port-taken"', '"rule": "linux-port-in-use"']))

# ---- slapd with trace logging: the URL names the listener ----------------------
f = host("ldap2") + addresses()
f += [listener("127.0.0.1", 21389, 4343, "python3", "root", 0, 6101),
      process(4343, "python3", "/usr/bin/python3.11", "root", "2026-11-21T13:00:00+00:00", 1, "python3 holder.py"),
      logline("/tmp/slapd.out", 6, "6b022b7f.032b6dd4 0x7fbea605d200 daemon: bind(6) failed errno=98 (Address already in use)",
              "daemon: bind(6) failed errno=98 (Address already in use)", None, None, None, None, 98),
      logline("/tmp/slapd.out", 7, "6b022b7f.032bd922 0x7fbea605d200 slap_open_listener: failed on ldap://127.0.0.1:21389/",
              "slap_open_listener: failed on ldap://127.0.0.1:21389/"),
      logline("/tmp/slapd.out", 8, "6b022b7f.032be0af 0x7fbea605d200 slapd stopped.", "slapd stopped.")]
msg = "slapd cannot bind 127.0.0.1:21389: python3 (PID 4343, user root, running since 2026-11-21 13:00) holds it."
write("linux-slapd-trace", f, std_runs(1, ['"rule": "linux-port-in-use"', J(msg)], ['"rule": "linux-port-in-use-unlogged"']))

# ---- addresses the host does not have -----------------------------------------------
f = host("web3") + addresses()
f += [logline(log, 1, "2026/11/21 10:20:00 [emerg] 9737#9737: bind() to 192.0.2.10:21180 failed (99: Cannot assign requested address)",
              "bind() to 192.0.2.10:21180 failed (99: Cannot assign requested address)", None, 9737, "emerg",
              "2026-11-21T10:20:00", 99),
      journal("sshd", 3001, "Bind to port 21180 on 192.0.2.10 failed: Cannot assign requested address.",
              "2026-11-21T10:20:01+00:00", "err", 99),
      journal("sshd", 3001, "Cannot bind any address.", "2026-11-21T10:20:01+00:00", "crit"),
      journal("apache2", 3002, "(99)Cannot assign requested address: AH00072: make_sock: could not bind to address 192.0.2.10:21180",
              "2026-11-21T10:20:02+00:00", "emerg", 99),
      journal("dovecot", 3003, "master: Error: bind(192.0.2.10, 21180) failed: Cannot assign requested address",
              "2026-11-21T10:20:03+00:00", "err", 99),
      journal("dovecot", 3003, "master: Error: service(imap-login): listen(192.0.2.10, 21180) failed: Cannot assign requested address",
              "2026-11-21T10:20:03+00:00", "err", 99),
      journal("postfix/master", 3004, "fatal: bind 2001:db8::10 port 21180: Cannot assign requested address",
              "2026-11-21T10:20:04+00:00", "crit", 99)]
have = "the host has 127.0.0.1 (lo), ::1 (lo), 192.168.31.20 (eth0), fe80::5054:ff:fe12:3456 (eth0)."
write("linux-address-not-assigned", f, std_runs(1, [
    '"rule": "linux-address-not-assigned"',
    J("nginx cannot listen on 192.0.2.10:21180: no interface of this host has the address 192.0.2.10; " + have),
    J("postfix cannot listen on [2001:db8::10]:21180: no interface of this host has the address 2001:db8::10; " + have)],
    ['"rule": "linux-address-assigned-late"']))

# ---- an address the host has now: assigned late, not "not assigned" -----------------
f = host("web4") + addresses()
f += [journal("nginx", 640, "bind() to 192.168.31.20:443 failed (99: Cannot assign requested address)",
              "2026-11-21T06:00:03+00:00", "emerg", 99),
      journal("sshd", 655, "Bind to port 22 on 192.168.31.20 failed: Cannot assign requested address.",
              "2026-11-21T06:00:04+00:00", "err", 99)]
write("linux-address-assigned-late", f, std_runs(1, [
    '"rule": "linux-address-assigned-late"',
    J("nginx could not listen on 192.168.31.20 port 443 (Cannot assign requested address), but eth0 has 192.168.31.20 now: "
      "the address was not yet assigned when nginx started.")],
    ['"rule": "linux-address-not-assigned"']))

# ---- owner not visible (unprivileged run) ---------------------------------------------
f = host("web5") + addresses()
f += [listener("0.0.0.0", 80, None, None, None, 0, 8001, known=False),
      listener("::", 80, None, None, None, 0, 8002, known=False),
      journal("nginx", 9901, "bind() to 0.0.0.0:80 failed (98: Address already in use)", "2026-11-21T14:00:00+00:00", "emerg", 98),
      journal("nginx", 9901, "bind() to [::]:80 failed (98: Address already in use)", "2026-11-21T14:00:00+00:00", "emerg", 98)]
msg = "nginx cannot bind 0.0.0.0:80 and [::]:80: a program listens on 0.0.0.0:80 and [::]:80, but kbdiag ran without root and could not see which one."
write("linux-owner-unknown", f, std_runs(1, ['"rule": "linux-port-owner-unknown"', J(msg), "sudo ss -ltnp 'sport = :80'"],
                                         ['"rule": "linux-port-in-use"']))

# ---- TIME-WAIT leftovers, nobody listening --------------------------------------------
f = host("app1") + addresses()
f += [listener("0.0.0.0", 22, 612, "sshd", "root", 0, 20011),
      fact("connection", {"protocol": "tcp", "family": "ipv4", "local_address": "127.0.0.1", "local_port": 8080,
                          "remote_address": "127.0.0.1", "remote_port": 51514, "state": "TIME-WAIT"},
           "live:sockets", None, "tcp TIME-WAIT 127.0.0.1:8080 127.0.0.1:51514"),
      fact("connection", {"protocol": "tcp", "family": "ipv4", "local_address": "127.0.0.1", "local_port": 8080,
                          "remote_address": "127.0.0.1", "remote_port": 51522, "state": "TIME-WAIT"},
           "live:sockets", None, "tcp TIME-WAIT 127.0.0.1:8080 127.0.0.1:51522"),
      fact("connection", {"protocol": "tcp", "family": "ipv4", "local_address": "192.168.31.20", "local_port": 22,
                          "remote_address": "192.168.31.5", "remote_port": 60000, "state": "ESTABLISHED", "pid": 612},
           "live:sockets", None, "tcp ESTAB 192.168.31.20:22 192.168.31.5:60000"),
      journal("myapp", 7100, "bind(0.0.0.0:8080): Address already in use", "2026-11-21T15:00:00+00:00", "err", 98)]
msg = ("myapp cannot bind 0.0.0.0:8080: no program listens on port 8080 now, but 2 connections on it are still in "
       "TIME-WAIT, a leftover socket from a process that closed it moments before.")
write("linux-time-wait", f, std_runs(1, ['"rule": "linux-port-time-wait"', J(msg)]))

# ---- privileged ports -----------------------------------------------------------------
f = host("web6") + addresses()
f += [journal("nginx", 5000, "bind() to 0.0.0.0:80 failed (13: Permission denied)", "2026-11-21T16:00:00+00:00", "emerg", 13,
              "deploy"),
      journal("sshd", 5100, "Bind to port 22 on 127.0.0.1 failed: Permission denied.", "2026-11-21T16:00:01+00:00", "err", 13),
      journal("apache2", 5200, "(13)Permission denied: AH00072: make_sock: could not bind to address 0.0.0.0:443",
              "2026-11-21T16:00:02+00:00", "emerg", 13, "root"),
      journal("nginx", 5300, "bind() to 0.0.0.0:8080 failed (13: Permission denied)", "2026-11-21T16:00:03+00:00", "emerg", 13,
              "deploy")]
write("linux-privileged-port", f, std_runs(1, [
    '"rule": "linux-privileged-port"',
    J("nginx was refused port 80 on 0.0.0.0 (Permission denied): ports below 1024 need root or CAP_NET_BIND_SERVICE, and nginx runs as user deploy."),
    J("sshd was refused port 22 on 127.0.0.1 (Permission denied): ports below 1024 need root or CAP_NET_BIND_SERVICE, and sshd runs as an unprivileged user (kbdiag could not see which)."),
    J("apache2 was refused port 443 on 0.0.0.0 (Permission denied): it runs as root"),
    "AmbientCapabilities=CAP_NET_BIND_SERVICE", "net.ipv4.ip_unprivileged_port_start=80"],
    ["port 8080"]))

# ---- mail and directory daemons down, ports taken, nothing logged ----------------------
f = host("mail2") + addresses()
f += [listener("0.0.0.0", 143, 700, "inetd", "root", 0, 9101),
      listener("0.0.0.0", 993, 700, "inetd", "root", 0, 9102),
      listener("0.0.0.0", 25, 1300, "smtp-sink", "nobody", 65534, 9103),
      listener("0.0.0.0", 389, 1400, "python3", "root", 0, 9104),
      listener("0.0.0.0", 4190, 700, "inetd", "root", 0, 9105),
      process(700, "inetd", "/usr/sbin/inetd", "root", "2026-11-18T08:00:00+00:00"),
      process(1300, "smtp-sink", "/usr/sbin/smtp-sink", "nobody", "2026-11-21T07:45:10+00:00", 1, "smtp-sink 0.0.0.0:25 100"),
      process(1400, "python3", "/usr/bin/python3.11", "root", "2026-11-21T07:50:00+00:00"),
      service("dovecot.service", "failed", "failed"),
      fact("package", {"name": "postfix", "version": "3.7.11-0+deb12u1", "architecture": "amd64", "status": "install ok installed"},
           "live:dpkg", None, "ii  postfix  3.7.11-0+deb12u1  amd64"),
      fact("package", {"name": "exim4-base", "version": "4.96-15+deb12u10", "architecture": "amd64",
                       "status": "deinstall ok config-files"}, "live:dpkg", None, "rc  exim4-base  4.96-15+deb12u10  amd64")]
write("linux-service-port-taken", f, std_runs(1, [
    '"rule": "linux-service-port-taken"',
    J("dovecot is not running (dovecot.service is failed) and inetd (PID 700, user root, running since 2026-11-18 08:00) listens on its IMAP4 port 143"),
    J("listens on its IMAP4S port 993"),
    J("postfix is not running (no master process runs) and smtp-sink (PID 1300, user nobody, running since 2026-11-21 07:45) listens on its SMTP port 25, so postfix cannot start until that port is free.")],
    ["slapd", "exim4", "4190"]))

# ---- near misses: none of these may produce a finding -------------------------------------
f = host("web7") + addresses()
f += [listener("127.0.0.2", 8081, 4444, "python3", "root", 0, 11001),
      process(4444, "python3", "/usr/bin/python3.11", "root", "2026-11-21T08:00:00+00:00"),
      listener("127.0.0.1", 2222, 2001, "sshd", "root", 0, 11002),
      process(2001, "sshd", "/usr/sbin/sshd", "root", "2026-11-21T08:00:00+00:00", 1, "/usr/sbin/sshd -D -p 2222"),
      listener("0.0.0.0", 143, 2500, "dovecot", "root", 0, 11003),
      process(2500, "dovecot", "/usr/sbin/dovecot", "root", "2026-11-21T08:30:00+00:00", 1, "/usr/sbin/dovecot -F"),
      service("dovecot.service", "inactive", "dead"),
      service("slapd.service", "failed", "failed"),
      # an outgoing connection, not a listener: nginx upstream and proxy_bind, postfix's smtp client
      journal("nginx", 9800, "connect() to 127.0.0.1:8080 failed (99: Cannot assign requested address) while connecting to upstream, "
              "client: 127.0.0.1, server: _, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:8080/\"",
              "2026-11-21T09:00:00+00:00", "crit", 99),
      journal("nginx", 9800, "bind(127.0.0.2) failed (98: Address already in use) while connecting to upstream, client: 127.0.0.1, "
              "server: _, request: \"GET / HTTP/1.1\"", "2026-11-21T09:00:01+00:00", "crit", 98),
      journal("postfix/smtp", 9810, "connect to mx.example.net[192.0.2.25]:25: Cannot assign requested address",
              "2026-11-21T09:00:02+00:00", "info", 99),
      journal("postfix/smtp", 9811, "warning: smtp_connect_addr: bind 192.0.2.26: Cannot assign requested address",
              "2026-11-21T09:00:03+00:00", "warning", 99),
      # nginx's retry notices alone name no address
      journal("nginx", 9801, "try again to bind() after 500ms", "2026-11-21T09:00:04+00:00", "notice"),
      journal("nginx", 9801, "still could not bind()", "2026-11-21T09:00:05+00:00", "emerg"),
      # the port is held, but by the failing sshd itself (its own PID)
      journal("sshd", 2001, "Bind to port 2222 on 127.0.0.1 failed: Address already in use.", "2026-11-21T09:00:06+00:00", "err", 98),
      # another specific address on the same port does not stand in the way, and nothing is in TIME-WAIT
      journal("nginx", 9802, "bind() to 127.0.0.1:8081 failed (98: Address already in use)", "2026-11-21T09:00:07+00:00", "emerg", 98),
      # EACCES on a port above 1024 is not the privileged-port problem
      journal("nginx", 9803, "bind() to 0.0.0.0:8443 failed (13: Permission denied)", "2026-11-21T09:00:08+00:00", "emerg", 13),
      # slapd's ldapi socket refused: a unix socket, no port
      journal("slapd", 3300, "daemon: bind(8) failed errno=13 (Permission denied)", "2026-11-21T09:00:09+00:00", "err", 13),
      journal("slapd", 3300, "slap_open_listener: failed on ldapi:///", "2026-11-21T09:00:09+00:00", "debug"),
      # an unrelated "bind" (LDAP bind) and a message without an errno
      journal("slapd", 3400, "conn=1000 op=0 BIND dn=\"cn=admin,dc=example,dc=org\" method=128", "2026-11-21T09:00:10+00:00", "info"),
      journal("named", 3500, "binding TCP socket: address in use", "2026-11-21T09:00:11+00:00", "err")]
# dovecot.service is inactive but a dovecot started by hand holds 143: its own port, no finding;
# slapd.service failed but nothing holds 389/636.
write("linux-near-misses", f, [
    {"args": ["diagnose"] + RULES + ["snapshot.json"], "status": 0, "stdout": "expected.txt"},
    {"args": ["diagnose", "snapshot.json", "--format", "json"], "status": 0,
     "stdout_contains": ['"findings": []', '"errors": []']}])
