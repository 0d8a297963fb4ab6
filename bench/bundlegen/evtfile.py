"""Legacy binary event logs (.evt, NT 3.1 to Server 2003), written fast.

The layout is Microsoft's "Event Log File Format" (learn.microsoft.com,
windows/win32/eventlog/event-log-file-format) with the structures it
names, ELF_LOGFILE_HEADER, EVENTLOGRECORD and ELF_EOF_RECORD (winnt.h),
as libyal's "Windows Event Log (EVT) format" (libevt's documentation)
describes them; docs/evidence-formats.md "Binary .evt logs" sums it up:

  header   0x30 bytes: HeaderSize 0x30, Signature "LfLe", MajorVersion 1,
           MinorVersion 1, StartOffset (the oldest record), EndOffset (the
           end-of-file record), CurrentRecordNumber (the next record's
           number), OldestRecordNumber, MaxSize, Flags, Retention,
           EndHeaderSize 0x30; all little-endian DWORDs.
  records  EVENTLOGRECORD, one after another, oldest first: a 0x38-byte
           head (Length, "LfLe", RecordNumber, TimeGenerated, TimeWritten,
           EventID with its qualifiers in the upper 16 bits, EventType,
           NumStrings, EventCategory, ReservedFlags, ClosingRecordNumber,
           StringOffset, UserSidLength, UserSidOffset, DataLength,
           DataOffset), then SourceName and Computername (UTF-16LE, NUL
           ended), the user's SID on a DWORD boundary, the insertion
           strings (UTF-16LE, each NUL ended), the event data, padding to
           a DWORD, and Length again.
  end      ELF_EOF_RECORD, 0x28 bytes: RecordSizeBeginning 0x28, the
           DWORDs 0x11111111 to 0x44444444, BeginRecord, EndRecord,
           CurrentRecordNumber, OldestRecordNumber, RecordSizeEnd 0x28.

A log that never wrapped and was closed cleanly: Flags 0, the records
from offset 0x30 on, MaxSize the file's size.  A record with a SID but no
strings and no data gets four more bytes of padding: libevt 20200926's
bounds check is off by one there and refuses the SID, and the record, when
it ends right before the closing Length (docs/evidence-formats.md).  Each variant of the
catalogue is encoded once, after the record's head; writing an event is
then packing its head (number and times) in front of it.
"""
import struct

from catalogue import COMPUTER
from evtx import sid_bytes

HEADER_SIZE, RECORD_HEAD, EOF_SIZE = 0x30, 0x38, 0x28
SIGNATURE = 0x654C664C                            # "LfLe"
EVENT_TYPE = {2: 0x0001, 3: 0x0002, 4: 0x0004}    # winmeta level -> EVENTLOG_ERROR_TYPE, ...
HEAD = struct.Struct("<IIIIIIHHHHIIIIII")         # EVENTLOGRECORD up to DataOffset


def utf16z(s):
    return s.encode("utf-16-le") + b"\0\0"


def pre_render(variants):
    """Per variant, (the head's fields after the times, the record's bytes
    after its head) for a record of any number and time."""
    out = []
    for t, _desc, strings in variants:
        body = utf16z(t.source) + utf16z(COMPUTER)
        body += b"\0" * (-(RECORD_HEAD + len(body)) % 4)
        sid = sid_bytes(t.user) if t.user else b""
        sid_offset = RECORD_HEAD + len(body) if sid else 0
        body += sid
        string_offset = RECORD_HEAD + len(body)
        body += b"".join(utf16z(s) for s in strings)
        data = t.data or b""
        data_offset = RECORD_HEAD + len(body)
        body += data
        body += b"\0" * (-(RECORD_HEAD + len(body)) % 4)
        if sid and not strings and not data:
            body += b"\0" * 4  # libevt 20200926 refuses a SID that ends where the closing Length starts
        length = RECORD_HEAD + len(body) + 4
        fields = ((t.qualifiers << 16) | t.event_id, EVENT_TYPE[t.level], len(strings), t.task, 0, 0,
                  string_offset, len(sid), sid_offset, len(data), data_offset)
        out.append((length, fields, body + struct.pack("<I", length)))
    return out


def render_events(pieces, events):
    """The bytes of events, a list of (variant, UTC seconds, record number)
    in file order."""
    pack = HEAD.pack
    out = []
    for v, t, rec in events:
        length, fields, tail = pieces[v]
        out.append(pack(length, SIGNATURE, rec, t, t, *fields))
        out.append(tail)
    return b"".join(out)


def header(end, current, oldest, size):
    return struct.pack("<12I", HEADER_SIZE, SIGNATURE, 1, 1, HEADER_SIZE, end, current, oldest, size, 0, 0,
                       HEADER_SIZE)


def eof_record(end, current, oldest):
    return struct.pack("<10I", EOF_SIZE, 0x11111111, 0x22222222, 0x33333333, 0x44444444, HEADER_SIZE, end,
                       current, oldest, EOF_SIZE)


def write(path, variants, blocks):
    """Writes the events of blocks (an iterable of event lists, oldest
    first) as one log; returns its size.  The header, which needs the
    end's offset, is written last, over a placeholder."""
    pieces = pre_render(variants)
    first = current = None
    with open(path, "wb") as out:
        out.write(b"\0" * HEADER_SIZE)
        for events in blocks:
            if events:
                first = events[0][2] if first is None else first
                current = events[-1][2] + 1
            out.write(render_events(pieces, events))
        end = out.tell()
        if end + EOF_SIZE > 0xFFFFFFFF:
            raise ValueError(f"{path}: an .evt log cannot pass 4 GiB (its offsets are 32-bit)")
        out.write(eof_record(end, current or 1, first or 0))
        size = out.tell()
        out.seek(0)
        out.write(header(end, current or 1, first or 0, size))
    return size


def block_bytes(variants, events):
    """How many bytes events take in a log."""
    return len(render_events(pre_render(variants), events))
