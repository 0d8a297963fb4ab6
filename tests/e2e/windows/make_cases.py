#!/usr/bin/env python3
"""Writes the stock KB rules' test cases, rules/kb/tests/NAME/: an evidence
bundle as a Windows customer sends it (NAME/bundle/, CRLF, some files
UTF-16LE with BOM) and expect.json for `kbdiag rules test`.  The evidence
is a folder, not loose files, so findings cite it as "netstat.txt:6" (a
loose file would be cited by its path, which depends on the checkout).  Evidence in expect.json is given here
as (file, text on the line) and written as file:line, so editing a bundle
keeps its expectations pointing at the right lines.

It also writes tests/e2e/windows/case_events.json, outside the case
folders (`kbdiag rules test` reads every file in a case folder): for each
case, each exported event file and the events it holds, with the
insertion strings a binary log would carry instead of the text
(insertion_strings below).  e2e.evtx-cases builds an .evtx of them with
bench/bundlegen/evtx.py and diagnoses the case with it in place of the
export.

Run from anywhere: python3 tests/e2e/windows/make_cases.py
"""
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bundles  # noqa: E402
from bundles import (event_block, event_csv_nt4, event_csv_vista, netstat, sc_queryex,  # noqa: E402
                     systeminfo, tasklist, tasklist_csv, wevtutil, winmsd)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "rules", "kb", "tests")
SIDECAR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "case_events.json")

# The insertion strings of the events the cases print, by source (any
# case; None: any source) and ID: a pattern over the printed message whose
# groups are the strings, in order.  The Service Control Manager's follow
# its published templates (rules/knowledge/event_messages.lua; the error
# text of 7000 is system message 1053, which the SCM stores as "%%1053").
# For the others no template is published; their strings are the parts of
# the message that vary between the articles' quotes (protocol, function,
# error code; the IIS instance), as a binary log of them would carry some.
SCM = "service control manager"
STRING_SHAPES = [
    (SCM, 7000, r"The (.+) service failed to start due to the following error:\s+(The service did not respond "
                r"to the start or control request in a timely fashion\.)", {1: "%%1053"}),
    (SCM, 7009, r"Timeout \((\d+) milliseconds\) waiting for the\s+(.+?)\s+service to connect\.", {}),
    (None, 11508, r"on (\w+) interface failed in function\s+(\w+)\s+with\s+error (\w+)\.", {}),
    (None, 11506, r"on (\w+) interface failed in function\s+(\w+)\s+with\s+error (\w+)\.", {}),
    (None, 1194, r"external interface (\w+) failed with error (\w+)\.", {}),
    (None, 1306, r"failed with error (\d+)\.", {}),
    (None, 1309, r"failed with error (\d+)\.", {}),
    (None, 4007, r"listener socket[.\s]*\(?(\d+)\)?\s*$", {}),
    (None, 4020, r"WinSock could not be initialized\.()", {}),
    (None, 115, r"could not bind instance (\d+)\.", {}),
]


def insertion_strings(ev):
    """The strings a binary log would hold for an event the cases print as
    text: the groups of its shape, line breaks and runs of blanks made one
    space, some replaced (7000's error text by its system message
    reference)."""
    if "strings" in ev:
        return ev["strings"]
    for source, eid, pattern, replace in STRING_SHAPES:
        if eid == ev["event_id"] and (source is None or source == ev["provider"].lower()):
            m = re.search(pattern, ev["message"], re.S)
            if not m:
                raise SystemExit("%s %d: %r does not have the shape %r" % (ev["provider"], eid, ev["message"], pattern))
            return [replace.get(i, " ".join(g.split())) for i, g in enumerate(m.groups()) if g]
    raise SystemExit("no insertion strings known for %s %d" % (ev["provider"], ev["event_id"]))

NT4_SP = "Version 4.0 (Build 1381: Service Pack %d) x86 Uniprocessor Free"
NT4_NOSP = "Version 4.0 (Build 1381) x86 Uniprocessor Free"

POP3_2740 = "Accept clients on POP3 interface failed in function HrRegisterProtocol with\nerror 0x2740."
IMAP4_2740 = "Accept clients on IMAP4 interface failed in function HrRegisterProtocol with\nerror 0x2740."
NNTP_2740 = "Accept clients on NNTP interface failed in function HrRegisterProtocol with\nerror 0x2740."
POP3_2741 = "Accept clients on POP3 interface failed in function HrRegisterProtocol with\nerror 0x2741."
IMAP4_2741 = "Accept clients on IMAP4 interface failed in function HrRegisterProtocol with\nerror 0x2741."
IS_1194 = "Accept clients on external interface %s failed with error 0x80004005."
LDAPS_1309 = ("Register LDAP SSL protocol failed with error %d. The LDAP SSL server is not\n"
              "available. Make sure port number 636 is not used by another application.")
LDAP_1306 = ("Register LDAP protocol failed with error 10048. If port number 389 is used by another application, "
             "change to an unused port, then shut down and restart Microsoft Exchange Directory Services. Contact "
             "Microsoft Support Service if condition persists.")

# Processes of an Exchange 5.5 server (tasklist default table).
EXCH_PROCS = [
    ("System Idle Process", 0, "Console", 0, "16 K"),
    ("System", 8, "Console", 0, "212 K"),
    ("smss.exe", 140, "Console", 0, "348 K"),
    ("csrss.exe", 164, "Console", 0, "1,920 K"),
    ("winlogon.exe", 184, "Console", 0, "2,344 K"),
    ("services.exe", 212, "Console", 0, "5,100 K"),
    ("lsass.exe", 224, "Console", 0, "4,288 K"),
    ("dsamain.exe", 1112, "Console", 0, "18,640 K"),
    ("mad.exe", 1180, "Console", 0, "9,216 K"),
    ("store.exe", 1304, "Console", 0, "31,560 K"),
    ("emsmta.exe", 1352, "Console", 0, "7,420 K"),
    ("msexcimc.exe", 1416, "Console", 0, "6,944 K"),
]


def listeners(*extra, base=True):
    rows = [("TCP", "0.0.0.0:135", "0.0.0.0:0", "LISTENING", 452)] if base else []
    rows += list(extra)
    rows += [("TCP", "10.0.0.20:139", "0.0.0.0:0", "LISTENING", 8),
             ("TCP", "10.0.0.20:1043", "10.0.0.51:139", "ESTABLISHED", 8),
             ("UDP", "10.0.0.20:137", "*:*", "", 8)]
    return rows


def an(rows):
    """netstat -an rows: the same without PIDs."""
    return [(p, l, f, s, None) for p, l, f, s, *_ in rows]


# The general layer's diagnoses (rules/general/).  An article finding
# explains its failure (`explained`), so a case where articles make every
# expected finding must get none of these for the same failure.
GENERAL_FINDINGS = ["windows-port-in-use", "windows-port-holder-unseen", "windows-bind-failure",
                    "windows-address-not-available"]


class Case:
    def __init__(self, name, description, files, must=(), must_not=(), only=True):
        self.name, self.description, self.files = name, description, files
        self.must, self.must_not, self.only = must, must_not, only
        self.events = self.events_by_file()

    def events_by_file(self):
        """The events each exported file of the case holds, in file order,
        from what bundles.py recorded as it wrote them."""
        found = {}
        for piece, events in bundles.RECORDED:
            for fname, spec in self.files.items():
                text = spec[0] if isinstance(spec, tuple) else spec
                at = text.find(piece)
                if at >= 0:
                    found.setdefault(fname, []).append((at, events))
                    break
            else:
                raise SystemExit("%s: events written but in no file" % self.name)
        bundles.RECORDED.clear()
        out = {}
        for fname, pieces in found.items():
            out[fname] = [dict(ev, strings=insertion_strings(ev)) for _, evs in sorted(pieces, key=lambda p: p[0])
                          for ev in evs]
        return out

    def line_of(self, fname, needle, start=None):
        """The line holding needle; with start, the line that begins the
        record holding it (the last line before it that starts so), which
        is the line multi-line records are cited by."""
        text = self.files[fname][0] if isinstance(self.files[fname], tuple) else self.files[fname]
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if needle in line:
                while start and not lines[i].strip().startswith(start):
                    i -= 1
                return "%s:%d" % (fname, i + 1)
        raise SystemExit("%s: %r not in %s" % (self.name, needle, fname))

    def write(self):
        d = os.path.join(OUT, self.name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(os.path.join(d, "bundle"))
        for fname, spec in self.files.items():
            text, enc = spec if isinstance(spec, tuple) else (spec, "utf-8")
            data = text.replace("\n", "\r\n")
            with open(os.path.join(d, "bundle", fname), "wb") as f:
                f.write(b"\xff\xfe" + data.encode("utf-16-le") if enc == "utf-16" else data.encode(enc))
        expect = {"description": self.description}
        if self.must:
            expect["must"] = []
            for m in self.must:
                e = {"rule": m["rule"]}
                if "message" in m:
                    e["message"] = m["message"]
                if "evidence" in m:
                    e["evidence"] = [self.line_of(*ev) for ev in m["evidence"]]
                expect["must"].append(e)
        must_not = list(self.must_not)
        if self.must and all(m["rule"].startswith("Q") for m in self.must):
            must_not += [r for r in GENERAL_FINDINGS if r not in must_not]
        if must_not:
            expect["must_not"] = [r if isinstance(r, dict) else {"rule": r} for r in must_not]
        if self.only:
            expect["only"] = True
        with open(os.path.join(d, "expect.json"), "w") as f:
            json.dump(expect, f, indent=1, ensure_ascii=False)
            f.write("\n")


CASES = []


def case(*a, **k):
    CASES.append(Case(*a, **k))


# ---- Q271275 -------------------------------------------------------------

case("Q271275-pop3-imap4-held",
     "MDaemon.exe, a mail server of its own, holds POP3 110 and IMAP4 143 (netstat -ano, tasklist CSV); the NT 4.0 "
     "comma-delimited Application log has 11508 and 11506 with 0x2740 and the 1194s.  Two ports, two findings.",
     {"netstat.txt": netstat(listeners(("TCP", "0.0.0.0:110", "0.0.0.0:0", "LISTENING", 1936),
                                       ("TCP", "0.0.0.0:119", "0.0.0.0:0", "LISTENING", 1304),
                                       ("TCP", "0.0.0.0:143", "0.0.0.0:0", "LISTENING", 1936))),
      "tasklist.csv": tasklist_csv([(i, str(p), s, str(n), m) for i, p, s, n, m in EXCH_PROCS]
                                   + [("MDaemon.exe", "1936", "Console", "0", "12,804 K")]),
      "application.csv": event_csv_nt4([
          ("6/13/2001", "10:15:22 AM", "MSExchange Pop3 Interface", "Error", "Configuration", 11508, "EXCH01",
           POP3_2740.replace("\n", " ")),
          ("6/13/2001", "10:15:22 AM", "MSExchangeIS", "Error", "General", 1194, "EXCH01", IS_1194 % "POP3"),
          ("6/13/2001", "10:15:24 AM", "MSExchange IMAP4 Interface", "Error", "Configuration", 11506, "EXCH01",
           IMAP4_2740.replace("\n", " ")),
          ("6/13/2001", "10:15:24 AM", "MSExchangeIS", "Error", "General", 1194, "EXCH01", IS_1194 % "IMAP4")])},
     must=[{"rule": "Q271275", "message": ["MDaemon.exe (PID 1936)", "TCP port 110", "POP3", "0x2740"],
            "evidence": [("application.csv", "11508"), ("netstat.txt", ":110 "), ("tasklist.csv", "MDaemon")]},
           {"rule": "Q271275", "message": ["MDaemon.exe (PID 1936)", "TCP port 143", "IMAP4"],
            "evidence": [("application.csv", "11506"), ("netstat.txt", ":143 ")]}],
     must_not=["Q298944", "windows-port-in-use"])

case("Q271275-netstat-an",
     "Windows NT 4.0 SP6: netstat -an has no PIDs, so the program on 110 is unknown; the finding says so and what to "
     "collect next.  Events as the article quotes them (Properties text).",
     {"winmsd.txt": winmsd("EXCH01", "Server", NT4_SP % 6),
      "netstat-an.txt": netstat(an(listeners(("TCP", "0.0.0.0:110", "0.0.0.0:0", "LISTENING", None))), pids=False),
      "events.txt": "Application log on EXCH01 after the store started:\n\n"
                    + event_block("MSExchange Pop3 Interface", 11508, POP3_2740, category="Configuration") + "\n"
                    + event_block("MSExchangeIS", 1194, IS_1194 % "POP3", category="General")},
     must=[{"rule": "Q271275", "message": ["TCP port 110", "POP3", "an unknown program", "netstat -ano", "tasklist /svc",
                                           "netstat -abno"],
            "evidence": [("events.txt", "Event Source: MSExchange Pop3", "Event Type"), ("netstat-an.txt", ":110 ")]}])

case("Q271275-nt4-sp1-blind",
     "Windows NT 4.0 Service Pack 1: its netstat -an lists no listening sockets (KB Q134404), so the missing listener "
     "on 110 proves nothing; Q271275 still applies (0x2740) and says the listing cannot show the holder.",
     {"winmsd.txt": winmsd("EXCH01", "Server", NT4_SP % 1),
      "netstat-an.txt": netstat([("TCP", "10.0.0.20:1043", "10.0.0.51:139", "ESTABLISHED", None),
                                 ("TCP", "10.0.0.20:1044", "10.0.0.2:135", "TIME_WAIT", None),
                                 ("UDP", "10.0.0.20:137", "*:*", "", None)], pids=False),
      "events.txt": event_block("MSExchange Pop3 Interface", 11508, POP3_2740, style="xp", category="Configuration")},
     must=[{"rule": "Q271275", "message": ["TCP port 110", "Q134404", "proves nothing", "before Service Pack 3"],
            "evidence": [("events.txt", "MSExchange Pop3", "Event Type"), ("winmsd.txt", "Microsoft Diagnostics Report")]}])

case("Q271275-holder-gone",
     "11508 with 0x2740, but the netstat -ano taken later shows nothing on 110: the holder has exited.  Q271275 still "
     "names the cause and says what to capture when it comes back.",
     {"netstat.txt": netstat(listeners(("TCP", "0.0.0.0:119", "0.0.0.0:0", "LISTENING", 1304))),
      "tasklist.txt": tasklist(EXCH_PROCS),
      "events.txt": event_block("MSExchange Pop3 Interface", 11508, POP3_2740, style="xp", category="Configuration")},
     must=[{"rule": "Q271275", "message": ["TCP port 110", "no listener on port 110 now"],
            "evidence": [("events.txt", "Event Type:")]}])

case("Q271275-events-only",
     "Only the Application log, saved as Vista-style CSV: 11508 and 11506 (IMAP4) with 0x2740 and no netstat.  The "
     "findings say another program holds the ports and ask for netstat -ano and tasklist /svc.",
     {"application.csv": event_csv_vista([
         ("Error", "6/13/2001 10:15:22 AM", "MSExchange Pop3 Interface", 11508, "Configuration", POP3_2740.replace("\n", " ")),
         ("Error", "6/13/2001 10:15:22 AM", "MSExchangeIS", 1194, "General", IS_1194 % "POP3"),
         ("Error", "6/13/2001 10:15:24 AM", "MSExchange IMAP4 Interface", 11506, "Configuration", IMAP4_2740.replace("\n", " "))])},
     must=[{"rule": "Q271275", "message": ["TCP port 110", "POP3", "no netstat listing", "netstat -ano and tasklist /svc"],
            "evidence": [("application.csv", "11508")]},
           {"rule": "Q271275", "message": ["TCP port 143", "IMAP4"], "evidence": [("application.csv", "11506")]}])

case("Q271275-unknown-source-spelling",
     "A source spelling the knowledge does not list ('MSExchangePOP3 Interface'), the message wrapped mid-phrase: the "
     "message shape still makes it a POP3 bind failure of the information store.",
     {"events.txt": event_block("MSExchangePOP3 Interface", 11508,
                                "Accept clients on POP3 interface failed in function\nHrRegisterProtocol with error 0x2740.",
                                category="Configuration"),
      "netstat.txt": netstat(listeners(("TCP", "0.0.0.0:110", "0.0.0.0:0", "LISTENING", 1936))),
      "tasklist.txt": tasklist(EXCH_PROCS + [("MDaemon.exe", 1936, "Console", 0, "12,804 K")])},
     must=[{"rule": "Q271275", "message": ["MDaemon.exe (PID 1936)", "TCP port 110", "POP3"],
            "evidence": [("events.txt", "Event Type:"), ("netstat.txt", ":110 "), ("tasklist.txt", "MDaemon")]}])

case("Q271275-nearmiss-0x2741",
     "The same events with 0x2741 (10049), not 0x2740: not Q271275 ('If the error code 0x2740 is not present ... this "
     "article does not describe the issue').  The host runs NT 4.0 SP6, so Q214864 does not apply either; the general "
     "finding says so.",
     {"winmsd.txt": winmsd("EXCH01", "Server", NT4_SP % 6),
      "netstat-an.txt": netstat(an(listeners()), pids=False),
      "events.txt": event_block("MSExchange Pop3 Interface", 11508, POP3_2741, category="Configuration")},
     must=[{"rule": "windows-address-not-available", "message": ["TCP port 110", "0x2741", "Service Pack 6",
                                                                "do not apply"]}],
     must_not=["Q271275", "Q214864", "Q217001"])

case("Q271275-nearmiss-store-holds",
     "11508 with 0x2740 logged earlier, but port 110 is held by store.exe, the information store itself (it got the "
     "port on a later start): no conflict, nothing to report.",
     {"netstat.txt": netstat(listeners(("TCP", "0.0.0.0:110", "0.0.0.0:0", "LISTENING", 1304))),
      "tasklist.txt": tasklist(EXCH_PROCS),
      "application.csv": event_csv_nt4([
          ("6/13/2001", "10:15:22 AM", "MSExchange Pop3 Interface", "Error", "Configuration", 11508, "EXCH01",
           POP3_2740.replace("\n", " "))])},
     must_not=["Q271275", "Q298944", "windows-port-in-use", "windows-bind-failure"])

# ---- Q298944 -------------------------------------------------------------

POPROXY_PROCS = EXCH_PROCS + [("PoProxy.exe", 812, "Console", 0, "2,104 K"),
                              ("NAVAPSVC.EXE", 760, "Console", 0, "3,112 K")]
CLIENT_92 = ("There was a problem logging onto your mail server. Your Password was\n"
             "rejected. Account: 'jdoe on EXCH01', Server:\n"
             "'exch01', Protocol: POP3, Server Response: '-ERR Logon failure:\n"
             "unknown user name or bad password.', Port 110, Secure(SSL): No, Server Error:\n"
             "0x800CCC90, Error Number: 0x800CCC92\n")

case("Q298944-poproxy",
     "Norton AntiVirus's PoProxy.exe holds POP3 port 110 on the Exchange server: the more specific Q298944 wins over "
     "Q271275 for the same event, and the port is reported once.  tasklist /svc text, netstat -ano, the events as "
     "Event Viewer text, and the users' error pasted from Outlook Express.",
     {"netstat.txt": netstat(listeners(("TCP", "0.0.0.0:110", "0.0.0.0:0", "LISTENING", 812),
                                       ("TCP", "0.0.0.0:119", "0.0.0.0:0", "LISTENING", 1304))),
      "tasklist-svc.txt": tasklist([(i, p, "N/A") for i, p, *_ in EXCH_PROCS]
                                   + [("PoProxy.exe", 812, "N/A"), ("NAVAPSVC.EXE", 760, "NAV Auto-Protect")], svc=True),
      "events.txt": event_block("MSExchange Pop3 Interface", 11508, POP3_2740, style="xp", category="Configuration")
      + "\n" + event_block("MSExchangeIS", 1194, IS_1194 % "POP3", style="xp", category="General"),
      "outlook-error.txt": "What the users see in Outlook Express:\n\n" + CLIENT_92},
     must=[{"rule": "Q298944-with-client", "message": ["PoProxy.exe (PID 812)", "TCP port 110", "Norton AntiVirus",
                                                       "POP3", "0x800CCC92"],
            "evidence": [("events.txt", "Event Source:\tMSExchange Pop3", "Event Type"), ("netstat.txt", ":110 "),
                         ("tasklist-svc.txt", "PoProxy"), ("outlook-error.txt", "There was a problem")]}],
     must_not=["Q271275", "Q298944", "windows-port-in-use", "Q298944-client"])

case("Q298944-events-abno",
     "The 11508 event in wevtutil XML (UTF-16) and netstat -abno naming [PoProxy.exe]: no tasklist needed.",
     {"application.xml": (wevtutil([("MSExchange Pop3 Interface", 11508, 2, "2001-06-13T08:15:22.000000000Z", 10230,
                                     "EXCH01", POP3_2740.replace("\n", " "), ["POP3", "HrRegisterProtocol", "0x2740"],
                                     None)]), "utf-16"),
      "netstat-abno.txt": netstat([("TCP", "0.0.0.0:110", "0.0.0.0:0", "LISTENING", 812, [" [PoProxy.exe]"]),
                                   ("TCP", "0.0.0.0:135", "0.0.0.0:0", "LISTENING", 452, ["  RpcSs", " [svchost.exe]"])])},
     must=[{"rule": "Q298944", "message": ["PoProxy.exe (PID 812)", "TCP port 110"],
            "evidence": [("application.xml", "MSExchange Pop3"), ("netstat-abno.txt", ":110 ")]}],
     must_not=["Q271275"])

case("Q298944-client-only",
     "No events, only the users' 0x800CCC92 and netstat -abno from the server naming [PoProxy.exe] on port 110.",
     {"netstat-abno.txt": netstat([("TCP", "0.0.0.0:135", "0.0.0.0:0", "LISTENING", 452, ["  RpcSs", " [svchost.exe]"]),
                                   ("TCP", "0.0.0.0:110", "0.0.0.0:0", "LISTENING", 812, [" [PoProxy.exe]"]),
                                   ("TCP", "0.0.0.0:445", "0.0.0.0:0", "LISTENING", 4,
                                    [" Can not obtain ownership information"])]),
      "error.txt": CLIENT_92},
     must=[{"rule": "Q298944-client", "message": ["PoProxy.exe (PID 812)", "port 110", "0x800CCC92"],
            "evidence": [("error.txt", "There was a problem"), ("netstat-abno.txt", ":110 ")]}])

case("Q298944-events-netstat-an",
     "The 11508 event with 0x2740, tasklist showing Norton AntiVirus's PoProxy.exe, and netstat -an (no PIDs) with port "
     "110 taken: the event and the program the article names make its finding, though the listing cannot say who "
     "holds the port (before, the PID join failed and Q271275 blamed an unknown program).",
     {"netstat-an.txt": netstat(an(listeners(("TCP", "0.0.0.0:110", "0.0.0.0:0", "LISTENING", None))), pids=False),
      "tasklist.txt": tasklist(POPROXY_PROCS),
      "events.txt": event_block("MSExchange Pop3 Interface", 11508, POP3_2740, style="xp", category="Configuration")},
     must=[{"rule": "Q298944-unconfirmed", "message": ["PoProxy.exe", "Norton AntiVirus", "TCP port 110",
                                                       "an unknown program holds it"],
            "evidence": [("events.txt", "Event Type:"), ("tasklist.txt", "PoProxy.exe"), ("netstat-an.txt", ":110 ")]}],
     must_not=["Q271275", "Q298944"])

case("Q298944-client-netstat-an",
     "The users' 0x800CCC92, tasklist showing PoProxy.exe and netstat -an with port 110 taken: the listing has no PIDs, "
     "so it can neither confirm nor clear the antivirus program; the article's finding is made as a warning that "
     "says so (before, any listing at all kept Q298944-client-unlisted silent).",
     {"netstat-an.txt": netstat(an(listeners(("TCP", "0.0.0.0:110", "0.0.0.0:0", "LISTENING", None))), pids=False),
      "tasklist.txt": tasklist(POPROXY_PROCS),
      "error.txt": CLIENT_92},
     must=[{"rule": "Q298944-client-hidden", "message": ["PoProxy.exe", "0x800CCC92", "port 110 in use"],
            "evidence": [("error.txt", "There was a problem"), ("tasklist.txt", "PoProxy.exe"),
                         ("netstat-an.txt", ":110 ")]}])

case("Q298944-nearmiss-bad-password",
     "A user's real bad password: 0x800CCC92, store.exe holds port 110 and no antivirus mail proxy runs.",
     {"netstat.txt": netstat(listeners(("TCP", "0.0.0.0:110", "0.0.0.0:0", "LISTENING", 1304))),
      "tasklist.txt": tasklist(EXCH_PROCS),
      "error.txt": CLIENT_92},
     must_not=["Q298944", "Q298944-client", "Q298944-client-unlisted"])

# ---- Q214864 / Q217001 ---------------------------------------------------

case("Q214864-sp4",
     "Windows NT 4.0 Service Pack 4 (winmsd): 1309 with 10049 and 11508 / 11506 with 0x2741, as the article quotes "
     "them.  One cause, one finding naming every protocol that failed.",
     {"EXCH01.TXT": winmsd("EXCH01", "Server", NT4_SP % 4),
      "events.txt": event_block("MSExchangeDS", 1309, LDAPS_1309 % 10049, style="kb") + "\n"
      + event_block("MSExchange POP3", 11508, POP3_2741, style="kb") + "\n"
      + event_block("MSExchangeIS", 1194, "Accept client on external interface POP3 failed with error 0x80004005.",
                    style="kb") + "\n"
      + event_block("MSExchange IMAP4", 11506, IMAP4_2741, style="kb")},
     must=[{"rule": "Q214864", "message": ["Service Pack 4", "IMAP4 (port 143), LDAPS (port 636) and POP3 (port 110)",
                                           "10049", "EXCH01"],
            "evidence": [("EXCH01.TXT", "Microsoft Diagnostics Report"), ("events.txt", "EventID: 1309")]}],
     must_not=["Q217001", "Q250926", "windows-address-not-available"])

case("Q214864-mfc42",
     "Service Pack 3 with mfc42.dll 6.00.8168.0 (filever output): the article's second cause, fixed by SP5.",
     {"EXCH01.TXT": winmsd("EXCH01", "Server", NT4_SP % 3),
      "filever.txt": "C:\\WINNT\\system32>filever mfc42*.dll\n"
                     "--a-- W32i   DLL ENU     6.0.8168.0 shp    995,383 06-17-1999 mfc42.dll\n"
                     "--a-- W32i   DLL ENU     6.0.8168.0 shp    991,287 06-17-1999 mfc42u.dll\n",
      "application.csv": event_csv_nt4([
          ("6/12/2001", "5:58:40 PM", "MSExchangeDS", "Error", "LDAP Interface", 1309, "EXCH01",
           (LDAPS_1309 % 10049).replace("\n", " "))])},
     must=[{"rule": "Q214864-mfc42", "message": ["mfc42", "6.0.8168.0", "LDAPS (port 636)", "10049"],
            "evidence": [("filever.txt", "mfc42u.dll"), ("application.csv", "1309")]}],
     must_not=["Q214864", "Q217001"])

case("Q214864-nearmiss-sp6",
     "The article's LDAP SSL event (1309, 10049) on Service Pack 6: Q214864 needs SP4, so it must not fire; the general "
     "finding names the service pack and says the SP4 articles do not apply.",
     {"winmsd.txt": winmsd("EXCH01", "Server", NT4_SP % 6),
      "events.txt": event_block("MSExchangeDS", 1309, LDAPS_1309 % 10049, style="xp", category="LDAP Interface")},
     must=[{"rule": "windows-address-not-available", "message": ["TCP port 636", "Service Pack 6", "Q214864",
                                                                "do not apply"],
            "evidence": [("events.txt", "Event Source:\tMSExchangeDS", "Event Type")]}],
     must_not=["Q214864", "Q217001", "Q232606"])

MFC42_FILEVER = ("C:\\WINNT\\system32>filever mfc42*.dll\n"
                 "--a-- W32i   DLL ENU     6.0.8168.0 shp    995,383 06-17-1999 mfc42.dll\n"
                 "--a-- W32i   DLL ENU     4.21.7303 shp    991,287 05-12-1999 mfc42u.dll\n")

case("Q214864-mfc42-sp6",
     "Service Pack 6 with mfc42.dll 6.00.8168.0 (filever) and the article's 1309 with 10049: the file the article "
     "names is here, so its finding is made although SP5 fixed the cause (an application put the file back); the "
     "service pack only changes the remedy.  The old rule wanted no SP5 or later and left the general finding to "
     "say the article does not apply.",
     {"winmsd.txt": winmsd("EXCH01", "Server", NT4_SP % 6),
      "filever.txt": MFC42_FILEVER,
      "events.txt": event_block("MSExchangeDS", 1309, LDAPS_1309 % 10049, style="xp", category="LDAP Interface")},
     must=[{"rule": "Q214864-mfc42", "message": ["mfc42.dll", "6.0.8168.0", "LDAPS (port 636)", "Service Pack 6",
                                                 "put it back"],
            "evidence": [("filever.txt", "mfc42.dll"), ("events.txt", "Event Source:\tMSExchangeDS", "Event Type")]}],
     must_not=["Q214864", "Q217001", "windows-address-not-available"])

SMTPSVC_115 = "Service could not bind instance 1.  The data is the error."

case("Q217001-sp4-smtpsvc",
     "NT 4.0 SP4 with RAS running (sc queryex): the Option Pack SMTP service's event 115 carries 0x2741 (10049) in its "
     "data.  Not Exchange, so Q217001 rather than Q214864.",
     {"winmsd.txt": winmsd("RELAY1", "Server", NT4_SP % 4),
      "events.txt": event_block("SMTPSVC", 115, SMTPSVC_115, style="xp", computer="RELAY1",
                                data=["0000: 41 27 00 00                 A'..    "]),
      "sc.txt": sc_queryex([("RemoteAccess", "Remote Access Server", "share", "running", 180, 0),
                            ("SMTPSVC", "Microsoft SMTP Service", "share", "stopped", 0, 0)])},
     must=[{"rule": "Q217001", "message": ["SMTP service", "10049", "Service Pack 4", "RemoteAccess"],
            "evidence": [("winmsd.txt", "Microsoft Diagnostics Report"), ("events.txt", "Event Source:\tSMTPSVC", "Event Type")]}],
     must_not=["Q214864", "Q228475"])

case("Q217001-nearmiss-sp5",
     "The same event 115 with 10049 on Service Pack 5, where GetHostByName was fixed.",
     {"winmsd.txt": winmsd("RELAY1", "Server", NT4_SP % 5),
      "events.txt": event_block("SMTPSVC", 115, SMTPSVC_115, style="xp", computer="RELAY1",
                                data=["0000: 41 27 00 00                 A'..    "])},
     must=[{"rule": "windows-address-not-available", "message": ["Service Pack 5", "do not apply"]}],
     must_not=["Q217001", "Q214864", "Q228475"])

case("general-10049-mfc42-sp5",
     "The Option Pack SMTP service's 115 with 10049 on Service Pack 5, and mfc42.dll 6.00.8168.0 (filever): not "
     "Exchange, so no article rule fires, but the general finding must not say the SP4 articles do not apply while "
     "the file Q214864 names is in the bundle.",
     {"winmsd.txt": winmsd("RELAY1", "Server", NT4_SP % 5),
      "filever.txt": MFC42_FILEVER,
      "events.txt": event_block("SMTPSVC", 115, SMTPSVC_115, style="xp", computer="RELAY1",
                                data=["0000: 41 27 00 00                 A'..    "])},
     must=[{"rule": "windows-address-not-available", "message": ["SMTP service", "mfc42.dll", "6.00.8168.0", "Q214864"],
            "evidence": [("events.txt", "Event Source:\tSMTPSVC", "Event Type")]}],
     must_not=["Q217001", "Q214864", "Q214864-mfc42", "Q228475",
               {"rule": "windows-address-not-available", "message": ["do not apply"]}])

# ---- Q250926 -------------------------------------------------------------

CLIENT_1A = ("A secure connection to the server could not be established.\n"
             "Account: 'accountname' Server: 'exch01.contoso.com', Protocol: POP3, Port: 995, Secure\n"
             "(SSL): Yes, Error Number: 0x800CCC1A\n")
GS_SC = sc_queryex([("MSExchangeIS", "Microsoft Exchange Information Store", "own", "running", 1304, 0),
                    ("GroupShield Exchange", "GroupShield Exchange", "own", "running", 1560, 0)])

case("Q250926-groupshield",
     "GroupShield for Exchange runs (sc queryex) and the store logs 11508 / 11506 with 0x2741 while SSL clients get "
     "0x800CCC1A.  More specific than Q214864 (the host is SP4): one GroupShield finding.",
     {"winmsd.txt": winmsd("EXCH01", "Server", NT4_SP % 4),
      "sc-queryex.txt": GS_SC,
      "events.txt": event_block("MSExchangePOP3", 11508, POP3_2741, style="kb") + "\n"
      + event_block("MSExchange IMAP4", 11506, IMAP4_2741, style="kb"),
      "client.txt": CLIENT_1A},
     must=[{"rule": "Q250926", "message": ["GroupShield", "POP3 and IMAP4", "0x2741"],
            "evidence": [("events.txt", "EventID: 11508"), ("sc-queryex.txt", "SERVICE_NAME: GroupShield")]}],
     must_not=["Q214864", "Q217001", "Q250926-client", "windows-address-not-available"])

case("Q250926-client-only",
     "Only the SSL client's error (0x800CCC1A, POP3 on 995) and tasklist /svc as CSV showing GroupShield's service.",
     {"tasklist-svc.csv": tasklist_csv([("System Idle Process", "0", "N/A"), ("store.exe", "1304", "MSExchangeIS"),
                                        ("gsemain.exe", "1560", "GroupShield Exchange")], svc=True),
      "client.txt": CLIENT_1A},
     must=[{"rule": "Q250926-client", "message": ["0x800CCC1A", "port 995", "GroupShield"],
            "evidence": [("client.txt", "A secure connection"), ("tasklist-svc.csv", "GroupShield")]}])

case("Q250926-nearmiss-certificate",
     "A different SSL failure: 0x800CCC01, the certificate names another server.  GroupShield runs, but that is not "
     "what the article describes.",
     {"sc-queryex.txt": GS_SC,
      "client.txt": "Your server has a certificate for another name.\n"
                    "Account: 'accountname' Server: 'mail.contoso.com', Protocol: POP3, Port: 995, Secure\n"
                    "(SSL): Yes, Error Number: 0x800CCC01\n"},
     must_not=["Q250926", "Q250926-client"])

case("Q250926-nearmiss-no-groupshield",
     "0x800CCC1A on POP3 over SSL, but no GroupShield on the server: some other SSL problem.",
     {"sc-queryex.txt": sc_queryex([("MSExchangeIS", "Microsoft Exchange Information Store", "own", "running", 1304, 0)]),
      "client.txt": CLIENT_1A},
     must_not=["Q250926", "Q250926-client"])

# ---- Q222553 / Q193928 ---------------------------------------------------

IMC_4007 = "The following error occurred while trying to bind the TCP/IP listener socket.\n%d"
IMC_4020 = "Unable to start the service because WinSock could not be initialized."

case("Q222553-smtpsvc",
     "The IMC logs 4007 with 10048 and 4020 (Windows 2000 tab-delimited export); the Option Pack SMTP service in "
     "inetinfo.exe (tasklist /svc) holds port 25.",
     {"application.txt": event_csv_nt4([
         ("12/06/2001", "23:59:59", "MSExchangeIMC", "Error", "Initialization/Termination", 4007, "PROXY1",
          IMC_4007 % 10048),
         ("12/06/2001", "23:59:59", "MSExchangeIMC", "Error", "Initialization/Termination", 4020, "PROXY1", IMC_4020)],
         sep="\t"),
      "netstat.txt": netstat(listeners(("TCP", "0.0.0.0:25", "0.0.0.0:0", "LISTENING", 1520),
                                       ("TCP", "0.0.0.0:80", "0.0.0.0:0", "LISTENING", 1520))),
      "tasklist-svc.txt": tasklist([("System Idle Process", 0, "N/A"), ("inetinfo.exe", 1520, "IISADMIN, SMTPSVC, W3SVC"),
                                    ("msexcimc.exe", 1416, "MSExchangeIMC"), ("wspsrv.exe", 1610, "WspSrv")], svc=True)},
     must=[{"rule": "Q222553", "message": ["inetinfo.exe (PID 1520", "SMTPSVC", "port 25", "Windows NT SMTP service"],
            "evidence": [("application.txt", "4007"), ("netstat.txt", ":25 "), ("tasklist-svc.txt", "inetinfo")]}],
     must_not=["Q193928", "Q228475", "windows-port-in-use"])

case("Q222553-nearmiss-imc-holds",
     "Event 4007 with 10048 from an earlier start, but port 25 is held by msexcimc.exe, the Internet Mail Service "
     "itself: nothing to report.",
     {"application.txt": event_csv_nt4([
         ("12/06/2001", "23:59:59", "MSExchangeIMC", "Error", "Initialization/Termination", 4007, "EXCH01",
          IMC_4007 % 10048)], sep="\t"),
      "netstat.txt": netstat(listeners(("TCP", "0.0.0.0:25", "0.0.0.0:0", "LISTENING", 1416))),
      "tasklist.txt": tasklist(EXCH_PROCS)},
     must_not=["Q222553", "Q193928", "windows-port-in-use", "windows-bind-failure"])

case("Q193928-proxy-client",
     "4007 with (10050), WSAENETDOWN, and 4020 (Event Viewer text, Windows 2003 style): the Proxy client scenarios.  "
     "Not Q222553, whose event carries 10048.",
     {"events.txt": event_block("MSExchangeIMC", 4007,
                                "The following error occurred while trying to bind the TCP/IP\nlistener socket (10050)",
                                style="xp", category="Initialization/Termination", computer="EXCH03")
      + "\n" + event_block("MSExchangeIMC", 4020, IMC_4020, style="xp", category="Initialization/Termination",
                           computer="EXCH03")},
     must=[{"rule": "Q193928", "message": ["10050", "Proxy client"], "evidence": [("events.txt", "Event ID:\t4007", "Event Type")]}],
     must_not=["Q222553", "Q193928-smtp"])

case("Q193928-smtp-running",
     "The same 4007 (10050), and sc queryex shows the Microsoft SMTP service running: scenario C.",
     {"events.txt": event_block("MSExchangeIMC", 4007,
                                "The following error occurred while trying to bind the TCP/IP\nlistener socket (10050)",
                                style="xp", category="Initialization/Termination", computer="EXCH03"),
      "sc.txt": sc_queryex([("SMTPSVC", "Microsoft SMTP Service", "share", "running", 1520, 0),
                            ("MSExchangeIMC", "Microsoft Exchange Internet Mail Service", "own", "stopped", 0, 0)])},
     must=[{"rule": "Q193928-smtp", "message": ["10050", "SMTPSVC", "scenario C"],
            "evidence": [("events.txt", "Event ID:\t4007", "Event Type"), ("sc.txt", "SERVICE_NAME: SMTPSVC")]}],
     must_not=["Q193928", "Q222553"])

# ---- Q228475 / Q296086 ---------------------------------------------------

case("Q228475-scanner-holds-25",
     "SMTPSVC event 115 with the code in its data (40 27 00 00 = 10048); netstat -abno names an antivirus SMTP "
     "scanner on port 25.",
     {"events.txt": event_block("SMTPSVC", 115, SMTPSVC_115, style="xp", computer="RELAY1",
                                data=["0000: 40 27 00 00                 @'..    "]),
      "netstat-abno.txt": netstat([("TCP", "0.0.0.0:25", "0.0.0.0:0", "LISTENING", 2044, [" [AVSMTPScan.exe]"]),
                                   ("TCP", "0.0.0.0:80", "0.0.0.0:0", "LISTENING", 1520, ["  W3SVC", " [inetinfo.exe]"]),
                                   ("TCP", "0.0.0.0:135", "0.0.0.0:0", "LISTENING", 452, ["  RpcSs", " [svchost.exe]"])])},
     must=[{"rule": "Q228475", "message": ["AVSMTPScan.exe (PID 2044)", "TCP port 25", "0x2740"],
            "evidence": [("events.txt", "Event Source:\tSMTPSVC", "Event Type"), ("netstat-abno.txt", ":25 ")]}],
     must_not=["Q296086", "windows-port-in-use"])

case("Q228475-no-code-netstat-an",
     "Event 115 exported to CSV without its data (no code) and netstat -an: something listens on 25, nobody says who.",
     {"application.csv": event_csv_nt4([("4/28/1999", "9:02:11 AM", "SMTPSVC", "Error", "None", 115, "RELAY1",
                                         SMTPSVC_115)]),
      "netstat-an.txt": netstat(an(listeners(("TCP", "0.0.0.0:25", "0.0.0.0:0", "LISTENING", None))), pids=False)},
     must=[{"rule": "Q228475", "message": ["TCP port 25", "an unknown program", "carries no error code"],
            "evidence": [("application.csv", "SMTPSVC"), ("netstat-an.txt", ":25 ")]}])

case("Q228475-nearmiss-inetinfo",
     "Event 115 with 10048 from a restart, but inetinfo.exe, the SMTP service itself, holds port 25 now.",
     {"events.txt": event_block("SMTPSVC", 115, SMTPSVC_115, style="xp", computer="RELAY1",
                                data=["0000: 40 27 00 00                 @'..    "]),
      "netstat.txt": netstat(listeners(("TCP", "0.0.0.0:25", "0.0.0.0:0", "LISTENING", 1520))),
      "tasklist.csv": tasklist_csv([("System", "8", "Console", "0", "212 K"), ("inetinfo.exe", "1520", "Console", "0", "9,820 K")])},
     must_not=["Q228475", "Q296086", "windows-port-in-use", "windows-bind-failure"])

SCM_7000 = ("The Microsoft SMTP Service service failed to start due to the following error: The service did not "
            "respond to the start or control request in a timely fashion.")

case("Q296086-start-timeout",
     "The SCM's 7000 (Vista-style CSV export): the Microsoft SMTP Service did not respond in time; netstat -ano and "
     "tasklist name MDaemon.exe on port 25.",
     {"system.csv": event_csv_vista([("Error", "4/28/1999 9:02:11 AM", "Service Control Manager", 7000, "None", SCM_7000)]),
      "netstat.txt": netstat(listeners(("TCP", "0.0.0.0:25", "0.0.0.0:0", "LISTENING", 1936))),
      "tasklist.txt": tasklist([("System Idle Process", 0, "Console", 0, "16 K"), ("inetinfo.exe", 1520, "Console", 0, "9,820 K"),
                                ("MDaemon.exe", 1936, "Console", 0, "12,804 K")])},
     must=[{"rule": "Q296086", "message": ["MDaemon.exe (PID 1936)", "TCP port 25", "did not respond"],
            "evidence": [("system.csv", "Service Control Manager"), ("netstat.txt", ":25 "), ("tasklist.txt", "MDaemon")]}],
     must_not=["Q228475", "windows-port-in-use"])

case("Q296086-timeout-7009-netstat-an",
     "Windows 2000's 7009 ('Timeout (30000 milliseconds) waiting for the Simple Mail Transport Protocol (SMTP) service "
     "to connect.'), pasted with the line wrapped, and netstat -an with a listener on 25.",
     {"system.txt": event_block("Service Control Manager", 7009,
                                "Timeout (30000 milliseconds) waiting for the Simple Mail Transport Protocol\n(SMTP) "
                                "service to connect.", style="xp", category="None", computer="WEB2K"),
      "netstat-an.txt": netstat(an(listeners(("TCP", "0.0.0.0:25", "0.0.0.0:0", "LISTENING", None))), pids=False)},
     must=[{"rule": "Q296086", "message": ["TCP port 25", "an unknown program", "event 7009"],
            "evidence": [("system.txt", "Event Type:"), ("netstat-an.txt", ":25 ")]}])

case("Q296086-nearmiss-port-free",
     "The same start timeout, but nothing listens on port 25: the article's cause is not there.",
     {"system.csv": event_csv_vista([("Error", "4/28/1999 9:02:11 AM", "Service Control Manager", 7000, "None", SCM_7000)]),
      "netstat.txt": netstat(listeners())},
     must_not=["Q296086", "Q228475"])

# ---- Q224447 / Q232606 ---------------------------------------------------

W2K_DC = systeminfo("EXCH02", "Microsoft Windows 2000 Server", "5.0.2195 Service Pack 4 Build 2195",
                    "Primary Domain Controller", "contoso.local", ["10.0.0.30"])

case("Q224447-lsass",
     "Exchange 5.5 on a Windows 2000 domain controller: 1306 (389) and 1309 (636) with 10048, lsass.exe holds both "
     "(netstat -ano, tasklist).  389 is Q224447's, 636 Q232606's.",
     {"systeminfo.txt": W2K_DC,
      "application.txt": event_csv_nt4([
          ("13/06/2001", "10:20:01", "MSExchangeDS", "Error", "LDAP Interface", 1306, "EXCH02", LDAP_1306),
          ("13/06/2001", "10:20:01", "MSExchangeDS", "Error", "LDAP Interface", 1309, "EXCH02",
           (LDAPS_1309 % 10048).replace("\n", " "))], sep="\t"),
      "netstat.txt": netstat(listeners(("TCP", "0.0.0.0:389", "0.0.0.0:0", "LISTENING", 224),
                                       ("TCP", "0.0.0.0:636", "0.0.0.0:0", "LISTENING", 224),
                                       ("TCP", "0.0.0.0:3268", "0.0.0.0:0", "LISTENING", 224))),
      "tasklist.txt": tasklist(EXCH_PROCS)},
     must=[{"rule": "Q224447", "message": ["lsass.exe (PID 224)", "port 389", "Windows 2000"],
            "evidence": [("application.txt", "1306"), ("netstat.txt", ":389 "), ("tasklist.txt", "lsass")]},
           {"rule": "Q232606", "message": ["lsass.exe (PID 224)", "port 636"],
            "evidence": [("application.txt", "1309"), ("netstat.txt", ":636 ")]}],
     must_not=["windows-port-in-use", "Q224447-windows-2000", "Q232606-domain-controller"])

case("Q224447-nearmiss-nt4",
     "1306 with 10048 on Windows NT 4.0, where another LDAP server (slapd.exe) holds 389: not Windows 2000's own LDAP "
     "server, so the general diagnosis names the holder.",
     {"winmsd.txt": winmsd("EXCH01", "Server", NT4_SP % 6),
      "application.csv": event_csv_nt4([("6/13/2001", "10:20:01 AM", "MSExchangeDS", "Error", "LDAP Interface", 1306,
                                         "EXCH01", LDAP_1306)]),
      "netstat.txt": netstat(listeners(("TCP", "0.0.0.0:389", "0.0.0.0:0", "LISTENING", 2210))),
      "tasklist.txt": tasklist(EXCH_PROCS + [("slapd.exe", 2210, "Console", 0, "4,410 K")])},
     must=[{"rule": "windows-port-in-use", "message": ["slapd.exe (PID 2210)", "TCP port 389", "directory"],
            "evidence": [("application.csv", "1306"), ("netstat.txt", ":389 ")]}],
     must_not=["Q224447", "Q224447-windows-2000", "Q232606"])

case("Q232606-dc-netstat-an",
     "1309 with 10048 on a Windows 2000 domain controller whose netstat -an names no owner: the host's role proves the "
     "cause.  Event Viewer text (Windows 2000 Properties).",
     {"systeminfo.txt": W2K_DC,
      "events.txt": event_block("MSExchangeDS", 1309, LDAPS_1309 % 10048, style="xp", category="LDAP Interface",
                                computer="EXCH02"),
      "netstat-an.txt": netstat(an(listeners(("TCP", "0.0.0.0:636", "0.0.0.0:0", "LISTENING", None))), pids=False)},
     must=[{"rule": "Q232606-domain-controller", "message": ["port 636", "domain controller", "an unknown program"],
            "evidence": [("events.txt", "Event ID:\t1309", "Event Type"), ("systeminfo.txt", "Host Name:"),
                         ("netstat-an.txt", ":636 ")]}],
     must_not=["Q214864", "Q224447"])

case("Q232606-before-sp3",
     "Active Directory's lsass.exe holds 636 and Dsamain.exe is 5.5.2448.0 (file-version CSV), older than Exchange "
     "5.5 SP3's 5.5.2617.0: install SP3 first.",
     {"application.csv": event_csv_nt4([("6/13/2001", "10:20:01 AM", "MSExchangeDS", "Error", "LDAP Interface", 1309,
                                         "EXCH02", (LDAPS_1309 % 10048).replace("\n", " "))]),
      "netstat.txt": netstat(listeners(("TCP", "0.0.0.0:636", "0.0.0.0:0", "LISTENING", 224))),
      "tasklist.csv": tasklist_csv([(i, str(p), s, str(n), m) for i, p, s, n, m in EXCH_PROCS]),
      "versions.csv": "Path,Version\nC:\\exchsrvr\\bin\\dsamain.exe,5.5.2448.0\nC:\\exchsrvr\\bin\\store.exe,5.5.2448.0\n"},
     must=[{"rule": "Q232606-before-sp3", "message": ["lsass.exe (PID 224)", "port 636", "5.5.2448.0"],
            "evidence": [("application.csv", "1309"), ("versions.csv", "dsamain")]}],
     must_not=["Q232606", "Q232606-domain-controller"])

# ---- Q191687 -------------------------------------------------------------

OE_POP3 = ("The connection to the server has failed. Account: 'your_account',\n"
           "Server:'exch01', Protocol:POP3, Port: 110, Secure(SSL): NO,\n"
           "Socket error: 10061, Error Number: 0x800ccc0e\n")
OE_SMTP = ("The connection to the server has failed. Account: 'your_account',\n"
           "Server:'exch01', Protocol:SMTP, Port: 25, Secure(SSL): NO,\n"
           "Socket error: 10061, Error Number: 0x800ccc0e\n")

case("Q191687-pop3-closed",
     "Outlook Express is refused on 110 (10061, 0x800ccc0e); the server's netstat -an (NT 4.0 SP6) has no :110 and "
     "sc queryex shows the information store stopped.  SMTP on 25 listens.",
     {"winmsd.txt": winmsd("EXCH01", "Server", NT4_SP % 6),
      "netstat-an.txt": netstat(an(listeners(("TCP", "0.0.0.0:25", "0.0.0.0:0", "LISTENING", None))), pids=False),
      "sc.txt": sc_queryex([("MSExchangeIS", "Microsoft Exchange Information Store", "own", "stopped", 0, 0)]),
      "oe-error.txt": OE_POP3},
     must=[{"rule": "Q191687", "message": ["port 110", "10061", "information store", "MSExchangeIS is stopped"],
            "evidence": [("oe-error.txt", "The connection to the server")]}],
     must_not=["Q191687-port-open", "Q191687-listing-blind"])

case("Q191687-nt4-sp2-blind",
     "The same refusal, but the server is Windows NT 4.0 SP2: its netstat -an never lists listening sockets "
     "(KB Q134404), so the missing :110 proves nothing and the finding says so instead of concluding.",
     {"winmsd.txt": winmsd("EXCH01", "Server", NT4_SP % 2),
      "netstat-an.txt": netstat([("TCP", "10.0.0.20:1043", "10.0.0.51:139", "ESTABLISHED", None),
                                 ("UDP", "10.0.0.20:137", "*:*", "", None)], pids=False),
      "oe-error.txt": OE_POP3},
     must=[{"rule": "Q191687-listing-blind", "message": ["port 110", "Service Pack 2", "Q134404", "proves nothing"],
            "evidence": [("oe-error.txt", "The connection to the server"), ("winmsd.txt", "Microsoft Diagnostics Report")]}],
     must_not=["Q191687", "Q191687-port-open"])

case("Q191687-clients-only",
     "Only the users' errors (UTF-16 text from a help-desk export): POP3 110 and SMTP 25 refused; no server listing.",
     {"errors.txt": ("Errors reported by the users:\n\n" + OE_POP3 + "\n" + OE_SMTP, "utf-16")},
     must=[{"rule": "Q191687-unlisted", "message": ["port 110", "POP3", "information store"],
            "evidence": [("errors.txt", "Protocol:POP3", "The connection")]},
           {"rule": "Q191687-unlisted", "message": ["port 25", "SMTP", "Internet Mail Service"]}])

case("Q191687-nearmiss-timeout",
     "0x800CCC0E with socket error 10060 (timed out), not 10061: a network problem, not this article.",
     {"oe-error.txt": OE_POP3.replace("10061", "10060")},
     must_not=["Q191687", "Q191687-unlisted", "Q191687-port-open", "Q191687-listing-blind"])

# ---- general ---------------------------------------------------------------

case("general-w3svc-port-80",
     "IIS's W3SVC 115 on Windows Server 2008 (wevtutil XML, UTF-16): Skype.exe holds port 80 (netstat -abno).  "
     "Q261194 (another program on the Web service's port) names the holder, and the general diagnosis stays silent.",
     {"system.xml": (wevtutil([("W3SVC", 115, 2, "2009-03-02T08:15:25.000000000Z", 4411, "WEB01",
                                "The service could not bind instance 1. The data is the error code.", ["1"], "40270000")]),
                     "utf-16"),
      "netstat-abno.txt": netstat([("TCP", "0.0.0.0:80", "0.0.0.0:0", "LISTENING", 3180, [" [Skype.exe]"]),
                                   ("TCP", "0.0.0.0:135", "0.0.0.0:0", "LISTENING", 688, ["  RpcSs", " [svchost.exe]"])])},
     must=[{"rule": "Q261194", "message": ["TCP port 80", "Skype.exe (PID 3180)", "0x2740"],
            "evidence": [("netstat-abno.txt", ":80 ")]}],
     must_not=["windows-port-in-use"])

# The Exchange and IIS articles of issue 15, in their own file.
import cases_exchange_iis  # noqa: E402
cases_exchange_iis.define(sys.modules[__name__])


# ---- articles in modules of their own --------------------------------------

import cases_articles_b  # noqa: E402
cases_articles_b.define(sys.modules[__name__])


def write_sidecar():
    cases = {c.name: c.events for c in CASES if c.events}
    with open(SIDECAR, "w") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")


def main():
    for c in CASES:
        c.write()
    write_sidecar()
    print("wrote %d cases under %s and their events in %s" % (len(CASES), os.path.relpath(OUT, ROOT),
                                                             os.path.relpath(SIDECAR, ROOT)))


if __name__ == "__main__":
    main()
