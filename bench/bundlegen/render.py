"""Event log exports in the three layouts kbdiag reads, written fast.

Every event variant of the catalogue is rendered once per format into the
text before its time, between its date and time, and after its record
number; writing an event is then a few string joins, which is what lets a
million events of XML be written in seconds.  The layouts follow what the
Windows tools print (docs/evidence-formats.md, sections "Event Viewer CSV
and tab-delimited exports", "Event Viewer text", "wevtutil XML", and the
fixtures in tests/fixtures/eventlog-csv, eventlog-text and wevtutil-xml):

  csv   Event Viewer (Vista and later) "Save All Events As... CSV": UTF-8
        with a byte order mark, CRLF, the header "Level,Date and
        Time,Source,Event ID,Task Category" and a sixth, unnamed
        description column, quoted when it holds a comma, a quote or a
        line break; local time, en-US; newest event first, as listed.
  text  Windows Server 2003 Event Properties "Copy" text, one block per
        event and a blank line between blocks, as a customer pastes them
        one after another: the layout of the stock Q271275 tests.  (Event
        Viewer's own bulk "Save As Text" is tab-delimited and read as
        eventlog-csv.)  Local time, en-US; newest first.
  xml   wevtutil qe /f:RenderedXml /e:Events: one <Event> per line inside
        <Events>, attributes in single quotes, UTC times; oldest first, as
        wevtutil reads by default.
  evtx  the binary log itself (evtx.py): each event's insertion strings
        (the variant's event data strings) and binary data, no message
        text; oldest first, as records are written.
"""
import re

from catalogue import COMPUTER, DOMAIN, LEVEL_WORD, SYSTEM_SID

CRLF = "\r\n"
LOCAL_OFFSET = -5 * 3600          # the host's clock: US Eastern, standard time
FORMATS = ("text", "csv", "xml")  # the binary logs are written by evtx.py and evtfile.py
EVENT_FILE = {"csv": "events.csv", "text": "events.txt", "xml": "events.xml"}
NEWEST_FIRST = {"csv": True, "text": True, "xml": False}

# Times of day, formatted once: "6:38:24 PM" (en-US, Event Viewer) and
# "18:38:24" (ISO, wevtutil).
CLOCK12 = [f"{(s // 3600) % 12 or 12}:{s // 60 % 60:02d}:{s % 60:02d} {'AM' if s < 43200 else 'PM'}"
           for s in range(86400)]
CLOCK24 = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]

ACCOUNTS = {None: "N/A", SYSTEM_SID: "NT AUTHORITY\\SYSTEM", "S-1-5-20": "NT AUTHORITY\\NETWORK SERVICE"}
# The process that logs the manifest-era sources' events (services.exe,
# the DcomLaunch svchost.exe), for <Execution>.
EXECUTION = {"Service Control Manager": (524, 1792), "DCOM": (588, 3120)}


class Days:
    """Dates by day number since the epoch, formatted once per day."""

    def __init__(self):
        import datetime
        self._date = datetime.date
        self.us, self.iso = {}, {}

    def add(self, day):
        d = self._date.fromordinal(719163 + day)     # 719163: 1970-01-01
        self.us[day] = f"{d.month}/{d.day}/{d.year}"
        self.iso[day] = d.isoformat()


# ---- one variant, pre-rendered -----------------------------------------------

def xml_escape(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&apos;").replace("\n", "&#xD;&#xA;"))


def csv_field(s):
    s = s.replace("\n", CRLF)
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def hex_dump(data):
    """Event Viewer's "Data: Bytes" lines: offset, 8 bytes, their ASCII."""
    lines = []
    for off in range(0, len(data), 8):
        chunk = data[off:off + 8]
        hexes = "".join(f"{b:02x} " for b in chunk)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{off:04x}: {hexes:<24}  {text:<8}")
    return lines


def csv_pieces(t, desc, _data):
    """(before the date, after the time) of one CSV row."""
    return (LEVEL_WORD[t.level] + ",",
            f",{t.source},{t.event_id},{t.category},{csv_field(desc)}{CRLF}")


def text_pieces(t, desc, _data):
    """(before the date, between date and time, after the time) of one
    Event Properties block."""
    head = (f"Event Type:\t{LEVEL_WORD[t.level]}{CRLF}Event Source:\t{t.source}{CRLF}"
            f"Event Category:\t{t.category}{CRLF}Event ID:\t{t.event_id}{CRLF}Date:\t\t")
    body = [f"User:\t\t{ACCOUNTS[t.user]}", f"Computer:\t{COMPUTER}", "Description:"]
    body += desc.split("\n")
    body += ["", "For more information, see Help and Support Center at "
                 "http://go.microsoft.com/fwlink/events.asp."]
    if t.data:
        body += ["Data:"] + hex_dump(t.data)
    return head, CRLF + "Time:\t\t", CRLF + CRLF.join(body) + CRLF + CRLF


def xml_pieces(t, desc, data_strings):
    """(before the time, between time and record number, after the record
    number) of one rendered event: the System element of a classic event as
    wevtutil prints it, and for the manifest-era sources (SCM, DCOM) their
    Guid, EventSourceName, Version, Opcode, Correlation and Execution."""
    manifest = t.provider is not None
    head = ["<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>",
            f"<Provider Name='{xml_escape(t.source)}'{t.provider or ''}/>",
            f"<EventID Qualifiers='{t.qualifiers}'>{t.event_id}</EventID>",
            "<Version>0</Version>" if manifest else "",
            f"<Level>{t.level}</Level><Task>{t.task}</Task>",
            "<Opcode>0</Opcode>" if manifest else "",
            f"<Keywords>{t.keywords}</Keywords><TimeCreated SystemTime='"]
    mid = "Z'/><EventRecordID>"
    tail = ["</EventRecordID>"]
    if manifest:
        pid, tid = EXECUTION[t.source]
        tail.append(f"<Correlation/><Execution ProcessID='{pid}' ThreadID='{tid}'/>")
    user = f" UserID='{t.user}'" if t.user else ""
    tail.append(f"<Channel>{t.log}</Channel><Computer>{COMPUTER}.{DOMAIN}</Computer>"
                f"<Security{user}/></System>")
    if data_strings or t.data:
        names = [f" Name='param{i}'" if manifest else "" for i in range(1, len(data_strings) + 1)]
        tail.append("<EventData>" + "".join(f"<Data{n}>{xml_escape(v)}</Data>"
                                            for n, v in zip(names, data_strings)))
        if t.data:
            tail.append(f"<Binary>{t.data.hex().upper()}</Binary>")
        tail.append("</EventData>")
    else:
        tail.append("<EventData/>")
    task = "" if t.category == "None" else xml_escape(t.category)
    tail.append(f"<RenderingInfo Culture='en-US'><Message>{xml_escape(desc)}</Message>"
                f"<Level>{LEVEL_WORD[t.level]}</Level><Task>{task}</Task><Opcode></Opcode>"
                f"<Channel></Channel><Provider></Provider><Keywords><Keyword>Classic</Keyword>"
                f"</Keywords></RenderingInfo></Event>{CRLF}")
    return "".join(head), mid, "".join(tail)


def evtx_pieces(t, _desc, data_strings):
    """The parts of one binary record that do not change between events of
    the variant (evtx.py's event dict less time and record)."""
    manifest = t.provider is not None
    ev = {"provider": t.source, "event_id": t.event_id, "qualifiers": t.qualifiers, "level": t.level,
          "task": t.task, "keywords": int(t.keywords, 16), "channel": t.log, "computer": f"{COMPUTER}.{DOMAIN}",
          "user": t.user, "strings": list(data_strings), "binary": t.data}
    if manifest:
        ev["guid"] = re.search(r"Guid='([^']*)'", t.provider).group(1)
        ev["names"] = [f"param{i}" for i in range(1, len(data_strings) + 1)]
    return ev


PIECES = {"csv": csv_pieces, "text": text_pieces, "xml": xml_pieces, "evtx": evtx_pieces}


def pre_render(fmt, variants):
    """variants: [(template, description, event data strings)]."""
    return [PIECES[fmt](t, desc, data) for t, desc, data in variants]


# ---- files -----------------------------------------------------------------------

def file_header(fmt):
    return {"csv": "\ufeffLevel,Date and Time,Source,Event ID,Task Category" + CRLF,
            "text": "", "xml": "<Events>" + CRLF}[fmt]


def file_footer(fmt):
    return "</Events>" + CRLF if fmt == "xml" else ""


def evtx_events(pieces, events):
    """evtx.py's event dicts of events, (variant, UTC seconds, record
    number)."""
    return (dict(pieces[v], time=t + rec * 7919 % 10000000 / 1e7, record=rec) for v, t, rec in events)


def render_events(fmt, pieces, days, events):
    """The text of events, a list of (variant, UTC seconds, record number)
    in the order they are to be written."""
    out = []
    add = out.append
    if fmt == "xml":
        for v, t, rec in events:
            head, mid, tail = pieces[v]
            day, sec = divmod(t, 86400)
            if day not in days.iso:
                days.add(day)
            # a sub-second part as wevtutil prints it (100 ns ticks, then 00)
            add(f"{head}{days.iso[day]}T{CLOCK24[sec]}.{rec * 7919 % 10000000:07d}00{mid}{rec}{tail}")
        return "".join(out)
    for v, t, _ in events:
        day, sec = divmod(t + LOCAL_OFFSET, 86400)
        if day not in days.us:
            days.add(day)
        if fmt == "csv":
            before, after = pieces[v]
            add(f"{before}{days.us[day]} {CLOCK12[sec]}{after}")
        else:
            head, mid, tail = pieces[v]
            add(f"{head}{days.us[day]}{mid}{CLOCK12[sec]}{tail}")
    return "".join(out)
