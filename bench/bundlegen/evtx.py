"""Binary Windows event logs (.evtx) written from event dicts: the project's
own generator, so that tests and the benchmark can give kbdiag the binary
log of the same events they render as text, CSV and XML exports.

The layout follows libyal's "Windows XML Event Log (EVTX) format"
(libevtx, documentation/Windows XML Event Log (EVTX).asciidoc, commit
e70e035a00a51480ec4e919dac2e7d64e86098f0) and Microsoft's [MS-EVEN6]
section 3.1.4.7 (BinXml):

  file header   4096 bytes: "ElfFile\\0", first and last chunk number, next
                record identifier, header size 128, version 3.1, block
                size 4096, number of chunks, flags, CRC32 of bytes 0..120
  chunk         65536 bytes: a 512-byte header ("ElfChnk\\0", first and last
                record number and identifier, header size 128, offsets of
                the last record and of the free space, CRC32 of the records,
                CRC32 of header bytes 0..120 and 128..512), the common
                string offset array (64 offsets) and the template pointers
                (32 offsets), then records, then zeros
  record        "**\\0\\0", size, identifier, written time (FILETIME), the
                event as binary XML, the size again
  binary XML    a fragment header and a template instance: the template's
                definition (an <Event> element whose varying parts are
                substitutions) is written once per chunk, in the first
                record that uses it, and later records point at it; each
                record then carries its values (string, integers, FILETIME,
                SID, binary) as the template instance data

Names (element and attribute names) are likewise stored once per chunk and
referred to by their offset afterwards; their hash is the low 16 bits of
hash = hash * 65599 + character over the UTF-16 units ([MS-EVEN6]
2.2.12, NameHash).  The common string table holds each name's offset in
the bucket hash % 64, chained through the name's first four bytes, and
the template pointers hold each definition's offset in the bucket of its
identifier % 32, chained through the definition's "next" field: libevtx
reads neither table, and they are filled the way the format's names
suggest.

The template of a classic event, as the EventLog service forwards it:

  <Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
    <System>
      <Provider Name="…" [Guid="{…}" EventSourceName="…"]/>
      <EventID Qualifiers="…">…</EventID>  (Qualifiers left out when None)
      <Level>…</Level><Task>…</Task><Keywords>0x…</Keywords>
      <TimeCreated SystemTime="…"/><EventRecordID>…</EventRecordID>
      <Channel>…</Channel><Computer>…</Computer><Security [UserID="S-…"]/>
    </System>
    <EventData><Data [Name="…"]>…</Data>…<Binary>…</Binary></EventData>
  </Event>

An event dict (keys; only provider, event_id and record are required):
  provider     event source ("Service Control Manager", "MSExchangeIS")
  guid         provider GUID "{…}" of a manifest-era source (then
               EventSourceName is the provider too)
  event_id     the 16-bit event ID; qualifiers: the upper 16 bits of the
               classic 32-bit identifier (severity bits), or None
  level        1 critical, 2 error, 3 warning, 4 information (default 4)
  task, keywords   (defaults 0 and 0x80000000000000, "Classic")
  time         UTC: a datetime, seconds since 1970, or "2001-06-13T08:15:22Z"
  record       the EventRecordID (records are written in the order given)
  channel, computer   (defaults "Application", "")
  user         a SID string ("S-1-5-18") or None
  strings      the insertion strings, each an EventData <Data>
  names        Name attributes of the <Data> elements (optional)
  binary       the event's binary data, bytes (optional)

Run as a program it writes an .evtx from a JSON list of such dicts
(binary as a hex string):  python3 evtx.py events.json out.evtx
"""
import datetime
import json
import struct
import sys
import zlib

CHUNK_SIZE = 65536
CHUNK_HEADER = 512
# Bytes a chunk's last record stays clear of the chunk's end: libevtx
# (20181227, libevtx_record_values_read_header) refuses a record that ends
# less than 4 bytes before it, and Windows does not fill chunks that far.
CHUNK_SLACK = 8
FILE_HEADER = 4096
NS = "http://schemas.microsoft.com/win/2004/08/events/event"
CLASSIC = 0x80000000000000

# Value types ([MS-EVEN6] 2.2.12, libevtx "Value types").
NULL, STRING, UINT8, UINT16, UINT64, BINARY, FILETIME, SID, HEXINT64 = (
    0x00, 0x01, 0x04, 0x06, 0x0A, 0x0E, 0x11, 0x13, 0x15)
# Tokens.
EOF, OPEN, OPEN_ATTRS, CLOSE_START, CLOSE_EMPTY, END = 0x00, 0x01, 0x41, 0x02, 0x03, 0x04
VALUE, ATTR, ATTR_MORE, TEMPLATE_INSTANCE, NORMAL_SUB, OPTIONAL_SUB, FRAGMENT = (
    0x05, 0x06, 0x46, 0x0C, 0x0D, 0x0E, 0x0F)
FRAGMENT_HEADER = bytes([FRAGMENT, 1, 1, 0])


def utf16(s):
    return s.encode("utf-16-le", "surrogatepass")


def name_hash(name):
    h = 0
    for (unit,) in struct.iter_unpack("<H", utf16(name)):
        h = (h * 65599 + unit) & 0xFFFFFFFF
    return h & 0xFFFF


def filetime(when):
    """100 ns ticks since 1601-01-01 of a UTC time."""
    if isinstance(when, str):
        when = datetime.datetime.fromisoformat(when.replace("Z", "+00:00"))
    if isinstance(when, datetime.datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        delta = when - datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc)
        return (delta.days * 86400 + delta.seconds) * 10 ** 7 + delta.microseconds * 10
    return int(round((float(when) + 11644473600) * 10 ** 7))


def sid_bytes(sid):
    """"S-1-5-21-…" as a binary SID: revision, count, 48-bit authority
    (big-endian), sub-authorities (little-endian)."""
    parts = sid.split("-")
    if len(parts) < 3 or parts[0].upper() != "S":
        raise ValueError("not a SID: %r" % sid)
    subs = [int(p) for p in parts[3:]]
    return (struct.pack("<BB", int(parts[1]), len(subs)) + int(parts[2]).to_bytes(6, "big")
            + b"".join(struct.pack("<I", s) for s in subs))


# ---- the template of an event's shape ----------------------------------------

class Sub:
    """A substitution in a template: its index, value type, optional or not."""

    def __init__(self, index, vtype, optional=False):
        self.index, self.vtype, self.optional = index, vtype, optional


def event_tree(shape):
    """The <Event> element of a shape as nested tuples (name, attributes,
    content): attributes [(name, text or Sub)], content a list of
    elements, text or a Sub.  Returns it and the number of substitutions."""
    nstrings, names, has_binary, manifest = shape
    count = iter(range(1000))

    def sub(vtype, optional=False):
        return Sub(next(count), vtype, optional)

    provider = [("Name", sub(STRING))]
    if manifest:
        provider += [("Guid", sub(STRING)), ("EventSourceName", sub(STRING))]
    system = [
        ("Provider", provider, []),
        ("EventID", [("Qualifiers", sub(UINT16, True))], [sub(UINT16)]),
        ("Level", [], [sub(UINT8)]),
        ("Task", [], [sub(UINT16)]),
        ("Keywords", [], [sub(HEXINT64)]),
        ("TimeCreated", [("SystemTime", sub(FILETIME))], []),
        ("EventRecordID", [], [sub(UINT64)]),
        ("Channel", [], [sub(STRING)]),
        ("Computer", [], [sub(STRING)]),
        ("Security", [("UserID", sub(SID, True))], []),
    ]
    data = []
    for i in range(nstrings):
        attrs = [("Name", names[i])] if names and names[i] is not None else []
        data.append(("Data", attrs, [sub(STRING, True)]))
    if has_binary:
        data.append(("Binary", [], [sub(BINARY, True)]))
    tree = ("Event", [("xmlns", NS)], [("System", [], system), ("EventData", [], data)])
    return tree, next(count)


def shape_of(ev):
    strings = ev.get("strings") or []
    names = ev.get("names")
    return (len(strings), tuple(names) if names else None, ev.get("binary") is not None,
            ev.get("guid") is not None)


def values_of(ev):
    """The template instance values of an event, in substitution order:
    (value type, bytes)."""
    vals = [(STRING, utf16(ev["provider"]))]
    if ev.get("guid") is not None:
        vals += [(STRING, utf16(ev["guid"])), (STRING, utf16(ev["provider"]))]
    q = ev.get("qualifiers")
    vals += [(NULL, b"") if q is None else (UINT16, struct.pack("<H", q)),
             (UINT16, struct.pack("<H", ev["event_id"])),
             (UINT8, struct.pack("<B", ev.get("level", 4))),
             (UINT16, struct.pack("<H", ev.get("task", 0))),
             (HEXINT64, struct.pack("<Q", ev.get("keywords", CLASSIC))),
             (FILETIME, struct.pack("<Q", filetime(ev.get("time", 0)))),
             (UINT64, struct.pack("<Q", ev["record"])),
             (STRING, utf16(ev.get("channel", "Application"))),
             (STRING, utf16(ev.get("computer", "")))]
    user = ev.get("user")
    vals.append((NULL, b"") if not user else (SID, sid_bytes(user)))
    for s in ev.get("strings") or []:
        vals.append((STRING, utf16(s)))
    if ev.get("binary") is not None:
        vals.append((BINARY, bytes(ev["binary"])))
    return vals


# ---- one chunk -----------------------------------------------------------------

class Chunk:
    """A chunk being filled: its records' bytes and what they have defined
    (names and templates, by chunk offset)."""

    def __init__(self):
        self.data = bytearray(CHUNK_HEADER)
        self.names = {}       # name -> offset of its definition
        self.templates = {}   # shape -> (template id, offset of its definition data)
        self.strings = [0] * 64
        self.template_ptrs = [0] * 32
        self.first = self.last = None
        self.last_offset = 0

    # Binary XML is built into `out`, whose first byte will sit at chunk
    # offset `base`: names and templates are defined where they first occur.
    def name(self, out, base, name, defined):
        """A name reference, defining the name inline on its first use."""
        off = self.names.get(name, defined.get(name))
        if off is not None:
            out += struct.pack("<I", off)
            return
        off = base + len(out) + 4
        defined[name] = off
        out += struct.pack("<I", off)
        out += struct.pack("<IHH", 0, name_hash(name), len(name)) + utf16(name) + b"\0\0"

    def element(self, out, base, node, defined):
        name, attrs, content = node
        start = len(out)
        out += struct.pack("<BHI", OPEN_ATTRS if attrs else OPEN, 0xFFFF, 0)
        self.name(out, base, name, defined)
        if attrs:
            list_at = len(out)
            out += b"\0\0\0\0"
            for i, (aname, value) in enumerate(attrs):
                out.append(ATTR_MORE if i + 1 < len(attrs) else ATTR)
                self.name(out, base, aname, defined)
                self.content(out, base, value, defined)
            struct.pack_into("<I", out, list_at, len(out) - list_at - 4)
        if not content:
            out.append(CLOSE_EMPTY)
        else:
            out.append(CLOSE_START)
            for c in content:
                if isinstance(c, tuple):
                    self.element(out, base, c, defined)
                else:
                    self.content(out, base, c, defined)
            out.append(END)
        struct.pack_into("<I", out, start + 3, len(out) - start - 7)

    @staticmethod
    def content(out, base, value, defined):
        if isinstance(value, Sub):
            out += struct.pack("<BHB", OPTIONAL_SUB if value.optional else NORMAL_SUB, value.index, value.vtype)
        else:
            out += struct.pack("<BBH", VALUE, STRING, len(value)) + utf16(value)

    def event_xml(self, base, ev, defined, new_templates):
        """The binary XML of one event for chunk offset base."""
        out = bytearray(FRAGMENT_HEADER)
        shape = shape_of(ev)
        known = self.templates.get(shape, new_templates.get(shape))
        if known:
            tid, toff = known
            out += struct.pack("<BBII", TEMPLATE_INSTANCE, 1, tid, toff)
        else:
            tree, _ = event_tree(shape)
            guid = zlib.crc32(repr(shape).encode()).to_bytes(4, "little") * 4
            tid = int.from_bytes(guid[:4], "little")
            toff = base + len(out) + 10
            out += struct.pack("<BBII", TEMPLATE_INSTANCE, 1, tid, toff)
            size_at = len(out) + 20
            out += struct.pack("<I", 0) + guid + struct.pack("<I", 0)
            body = len(out)
            out += FRAGMENT_HEADER
            self.element(out, base, tree, defined)
            out.append(EOF)
            struct.pack_into("<I", out, size_at, len(out) - body)
            new_templates[shape] = (tid, toff)
        vals = values_of(ev)
        out += struct.pack("<I", len(vals))
        for vtype, b in vals:
            out += struct.pack("<HBB", len(b), vtype, 0)
        for _, b in vals:
            out += b
        out.append(EOF)  # the document ends after the instance (libfwevt reads on to it)
        return out

    def add(self, ev):
        """Appends the event's record; False when it does not fit."""
        base = len(self.data) + 24
        defined, new_templates = {}, {}
        xml = self.event_xml(base, ev, defined, new_templates)
        size = 24 + len(xml) + 4
        if len(self.data) + size > CHUNK_SIZE - CHUNK_SLACK:
            if self.first is None:
                raise ValueError("event %r does not fit in a chunk" % ev.get("record"))
            return False
        self.last_offset = len(self.data)
        self.data += struct.pack("<4sIQQ", b"**\0\0", size, ev["record"], filetime(ev.get("time", 0)))
        self.data += xml + struct.pack("<I", size)
        for name, off in defined.items():
            self.names[name] = off
            bucket = name_hash(name) % 64
            struct.pack_into("<I", self.data, off, self.strings[bucket])
            self.strings[bucket] = off
        for shape, (tid, toff) in new_templates.items():
            self.templates[shape] = (tid, toff)
            struct.pack_into("<I", self.data, toff, self.template_ptrs[tid % 32])
            self.template_ptrs[tid % 32] = toff
        if self.first is None:
            self.first = ev["record"]
        self.last = ev["record"]
        return True

    def finish(self):
        free = len(self.data)
        data = self.data + bytes(CHUNK_SIZE - free)
        struct.pack_into("<8sQQQQIII", data, 0, b"ElfChnk\0", self.first, self.last, self.first, self.last,
                         128, self.last_offset, free)
        struct.pack_into("<I", data, 52, zlib.crc32(data[CHUNK_HEADER:free]))
        struct.pack_into("<64I", data, 128, *self.strings)
        struct.pack_into("<32I", data, 384, *self.template_ptrs)
        struct.pack_into("<I", data, 124, zlib.crc32(data[:120] + data[128:CHUNK_HEADER]))
        return bytes(data)


# ---- the file ------------------------------------------------------------------

def file_header(nchunks, next_record):
    h = bytearray(FILE_HEADER)
    struct.pack_into("<8sQQQIHHHH", h, 0, b"ElfFile\0", 0, max(nchunks - 1, 0), next_record, 128, 1, 3,
                     FILE_HEADER, nchunks)
    struct.pack_into("<I", h, 124, zlib.crc32(h[:120]))
    return bytes(h)


class Writer:
    """Writes events to a seekable binary file as they come, a chunk at a
    time (a log of millions of events is never held whole); close()
    writes the file header, which counts the chunks, last."""

    def __init__(self, f):
        self.f, self.nchunks, self.next_record = f, 0, 1
        self.chunk = Chunk()
        f.write(bytes(FILE_HEADER))

    def add(self, ev):
        if not self.chunk.add(ev):
            self.flush()
            self.chunk.add(ev)
        self.next_record = max(self.next_record, ev["record"] + 1)

    def flush(self):
        if self.chunk.first is not None:
            self.f.write(self.chunk.finish())
            self.nchunks += 1
        self.chunk = Chunk()

    def close(self):
        self.flush()
        end = self.f.tell()
        self.f.seek(0)
        self.f.write(file_header(self.nchunks, self.next_record))
        self.f.seek(end)


def write_to(f, events):
    """Writes the .evtx file of events (event dicts, in record order) to
    the seekable binary file f."""
    w = Writer(f)
    for ev in events:
        w.add(ev)
    w.close()


def write(path, events):
    with open(path, "wb") as f:
        write_to(f, events)


def build(events):
    """The .evtx file of events, as bytes."""
    import io
    f = io.BytesIO()
    write_to(f, events)
    return f.getvalue()


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: evtx.py EVENTS.json OUT.evtx\n")
        return 2
    with open(argv[1], encoding="utf-8") as f:
        events = json.load(f)
    for e in events:
        if isinstance(e.get("binary"), str):
            e["binary"] = bytes.fromhex(e["binary"])
    write(argv[2], events)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
