"""Pieces of Windows evidence bundles, written the way the tools print them.

Each function returns the text of one exported file (LF line ends; the
case writer turns them into CRLF and the chosen encoding).  Layouts follow
the importer fixtures in tests/fixtures/ and docs/evidence-formats.md.

The event exports also note the events they print in RECORDED, as (text
returned, [event dicts]), so that the case writer can say which events
each exported file holds (make_cases.py writes them to case_events.json,
from which e2e.evtx-cases builds binary logs of the same events).
"""
import datetime
import re

RECORDED = []
LEVELS = {"Error": 2, "Warning": 3, "Information": 4}


def utc_time(date, time):
    """An export's local date and time as the UTC time of a binary log's
    record (the zone is not known: taken as UTC).  Day and month as the
    export's locale orders them: day first when the first part is above 12
    or the time has no AM/PM."""
    a, b, year = (int(x) for x in date.split("/"))
    ampm = time.split()[1] if " " in time else None
    hms = [int(x) for x in time.split()[0].split(":")]
    hour = hms[0] % 12 + (12 if ampm == "PM" else 0) if ampm else hms[0]
    day, month = (a, b) if a > 12 or not ampm else (b, a)
    when = datetime.datetime(year, month, day, hour, hms[1], hms[2] if len(hms) > 2 else 0)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def data_bytes(lines):
    """Event Viewer's "0000: 41 27 00 00   A'.." data lines as hex."""
    return "".join("".join(re.findall(r"(?<= )[0-9a-fA-F]{2}(?= )", l.split(":", 1)[1][:26] + " "))
                   for l in lines) if lines else None


def record(text, events):
    RECORDED.append((text, events))
    return text


def netstat(rows, pids=True, title=True):
    """rows: (proto, local, foreign, state, pid) with pid None for -an,
    or a list of extra -b lines after the endpoint as a 6th element."""
    out = ["", "Active Connections", ""] if title else []
    head = "  Proto  Local Address          Foreign Address        State"
    out.append(head + ("           PID" if pids else ""))
    for r in rows:
        proto, local, foreign, state, pid = r[:5]
        line = "  %-6s %-22s %-22s %-15s" % (proto, local, foreign, state)
        if pids:
            line += " %s" % pid
        out.append(line.rstrip())
        for extra in (r[5] if len(r) > 5 else []):
            out.append(extra)
    return "\n".join(out) + "\n"


def tasklist(rows, svc=False):
    """rows: (image, pid, session, session#, mem) or (image, pid, services) with svc."""
    if svc:
        out = ["", "Image Name                     PID Services",
               "========================= ======== ============================================"]
        for image, pid, services in rows:
            out.append("%-25s %8d %s" % (image, pid, services))
        return "\n".join(out) + "\n"
    out = ["", "Image Name                     PID Session Name        Session#    Mem Usage",
           "========================= ======== ================ =========== ============"]
    for image, pid, session, num, mem in rows:
        out.append("%-25s %8d %-16s %11d %12s" % (image, pid, session, num, mem))
    return "\n".join(out) + "\n"


def tasklist_csv(rows, svc=False, header=True):
    out = []
    if header:
        out.append('"Image Name","PID","Services"' if svc else '"Image Name","PID","Session Name","Session#","Mem Usage"')
    for r in rows:
        out.append(",".join('"%s"' % v for v in r))
    return "\n".join(out) + "\n"


def winmsd(name, product, version, domain="CONTOSO"):
    """version: the line winver shows, e.g. 'Version 4.0 (Build 1381: Service Pack 4) x86 Uniprocessor Free'."""
    rule = "-" * 70
    return "\n".join([
        "", "Microsoft Diagnostics Report For \\\\%s" % name, rule, "",
        "OS Version Report", rule, "Microsoft (R) Windows NT (TM) %s" % product, version,
        "Registered Owner: Contoso Ltd, IT Department", "Product Number: 51222-270-0348127-12345", rule, "",
        "System Report", rule, "System: AT/AT COMPATIBLE", "Hardware Abstraction Layer: PC Compatible Eisa/Isa HAL",
        rule, "", "Network Report", rule, "Your Access Level: Admin & Local", "Workgroup or Domain: %s" % domain,
        "Network Version: 4.0", rule, ""]) + "\n"


def systeminfo(name, os_name, os_version, config, domain, addresses):
    out = [
        "", "Host Name:                 %s" % name,
        "OS Name:                   %s" % os_name,
        "OS Version:                %s" % os_version,
        "OS Manufacturer:           Microsoft Corporation",
        "OS Configuration:          %s" % config,
        "OS Build Type:             Uniprocessor Free",
        "Registered Owner:          IT",
        "Registered Organization:   Contoso",
        "System Type:               X86-based PC",
        "Domain:                    %s" % domain,
        "Logon Server:              \\\\%s" % name,
        "Network Card(s):           1 NIC(s) Installed.",
        "                           [01]: Intel(R) PRO/1000 MT Network Connection",
        "                                 Connection Name: Local Area Connection",
        "                                 DHCP Enabled:    No",
        "                                 IP address(es)"]
    for i, a in enumerate(addresses, 1):
        out.append("                                 [%02d]: %s" % (i, a))
    return "\n".join(out) + "\n"


def event_block(source, event_id, description, kind="Error", category="None", date="6/13/2001",
                time="10:15:22 AM", computer="EXCH01", data=None, indent="\t  ", style="nt4"):
    """An event's Properties dialog pasted as text.  style nt4: 'Event Type: X'
    lines (as the articles quote them); xp: 'Event Type:<TAB>X' with date, time,
    user and computer; kb: the articles' shorthand (EventID:, Source:)."""
    return record(_event_block(source, event_id, description, kind, category, date, time, computer, data, indent,
                               style),
                  [{"provider": source, "event_id": event_id, "level": LEVELS[kind], "time": utc_time(date, time),
                    "computer": computer, "message": description, "binary": data_bytes(data)}])


def _event_block(source, event_id, description, kind, category, date, time, computer, data, indent, style):
    if style == "kb":
        out = ["EventID: %d" % event_id, "Source: %s" % source, "Description:"]
        out += description.split("\n")
        return "\n".join(indent + l for l in out) + "\n"
    if style == "xp":
        out = ["Event Type:\t%s" % kind, "Event Source:\t%s" % source, "Event Category:\t%s" % category,
               "Event ID:\t%d" % event_id, "Date:\t\t%s" % date, "Time:\t\t%s" % time, "User:\t\tN/A",
               "Computer:\t%s" % computer, "Description:"]
        out += description.split("\n")
        if data:
            out += ["Data:"] + data
        return "\n".join(out) + "\n"
    out = ["Event Type: %s" % kind, "Event Source: %s" % source, "Event Category: %s" % category,
           "Event ID: %d" % event_id, "Description:"]
    out += description.split("\n")
    return "\n".join(indent + l for l in out) + "\n"


def event_csv_nt4(rows, sep=","):
    """rows: (date, time, source, type, category, id, computer, description)."""
    out = []
    for date, time, source, kind, category, eid, computer, desc in rows:
        out.append(sep.join([date, time, source, kind, category, str(eid), "N/A", computer, desc]))
    return record("\n".join(out) + "\n",
                  [{"provider": source, "event_id": eid, "level": LEVELS[kind], "time": utc_time(date, time),
                    "computer": computer, "message": desc, "binary": None}
                   for date, time, source, kind, category, eid, computer, desc in rows])


def event_csv_vista(rows):
    """rows: (level, datetime, source, id, category, description)."""
    out = ["Level,Date and Time,Source,Event ID,Task Category"]
    for level, when, source, eid, category, desc in rows:
        out.append('%s,%s,%s,%d,%s,"%s"' % (level, when, source, eid, category, desc.replace('"', '""')))
    return record("\n".join(out) + "\n",
                  [{"provider": source, "event_id": eid, "level": LEVELS[level],
                    "time": utc_time(*when.split(" ", 1)), "computer": "", "message": desc, "binary": None}
                   for level, when, source, eid, category, desc in rows])


def wevtutil(events):
    """events: (provider, id, level, time, record, computer, message, data, binary) rendered XML, one root per
    event; binary is the event data's hex (IIS puts the error code there)."""
    out = []
    for provider, eid, level, when, rec, computer, message, data, binary in events:
        datas = "".join("<Data>%s</Data>" % d for d in data) + ("<Binary>%s</Binary>" % binary if binary else "")
        out.append(
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='%s'/>"
            "<EventID Qualifiers='49152'>%d</EventID><Level>%d</Level><Task>0</Task><Keywords>0x80000000000000</Keywords>"
            "<TimeCreated SystemTime='%s'/><EventRecordID>%d</EventRecordID><Channel>System</Channel>"
            "<Computer>%s</Computer><Security/></System><EventData>%s</EventData><RenderingInfo Culture='en-US'>"
            "<Message>%s</Message><Level>Error</Level><Task></Task><Opcode></Opcode><Channel></Channel><Provider></Provider>"
            "<Keywords><Keyword>Classic</Keyword></Keywords></RenderingInfo></Event>"
            % (provider, eid, level, when, rec, computer, datas, message))
    return record("\n".join(out) + "\n",
                  [{"provider": p, "event_id": e, "level": lv, "time": t[:19] + "Z", "computer": c,
                    "message": m, "strings": list(d), "binary": b, "record": r}
                   for p, e, lv, t, r, c, m, d, b in events])


def sc_queryex(services):
    """services: (name, display, type, state, pid, exit_code)."""
    out = []
    types = {"own": "10  WIN32_OWN_PROCESS", "share": "20  WIN32_SHARE_PROCESS"}
    states = {"running": ("4  RUNNING", "(STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)"),
              "stopped": ("1  STOPPED", "(NOT_STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)"),
              "start_pending": ("2  START_PENDING", "(NOT_STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)")}
    for name, display, typ, state, pid, code in services:
        st, flags = states[state]
        out += ["", "SERVICE_NAME: %s" % name, "DISPLAY_NAME: %s" % display,
                "        TYPE               : %s" % types[typ],
                "        STATE              : %s" % st,
                "                                %s" % flags,
                "        WIN32_EXIT_CODE    : %d  (0x%x)" % (code, code),
                "        SERVICE_EXIT_CODE  : 0  (0x0)",
                "        CHECKPOINT         : 0x0",
                "        WAIT_HINT          : 0x0",
                "        PID                : %d" % pid,
                "        FLAGS              :"]
    return "\n".join(out) + "\n"
