"""Writes the evidence bundles of the import benchmark (bench/bundle): per
(size, format) a folder with an event log export of N events
(render.py; evtfile.py for a binary .evt log, evtx.py for .evtx), the host's netstat -ano and
tasklist /svc (hoststate.py).

usage: python3 bench/bundlegen --data DIR --formats text,csv,xml,evt,evtx
                               (--sizes 10000,100000 | --file-gb N) [--seed N]

Bundles go to DIR/FORMAT-EVENTS (DIR/FORMAT-NGB for --file-gb) with a
stamp beside each, DIR/FORMAT-EVENTS.json, naming the parameters, the
generator's own digest and what was written; a bundle whose stamp matches
is reused, not written again.  One JSON line per bundle on stdout (the
stamp's content and "reused"), for the runner.

Events are drawn in blocks of BLOCK, each from its own seeded generator,
so a block is the same whichever way the file runs through time (newest
first for Event Viewer's exports, oldest first for wevtutil and the binary
logs) and the same events appear in all the formats of a size.
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import catalogue  # noqa: E402  (after the line above on purpose)
import evtfile  # noqa: E402
import evtx  # noqa: E402
import hoststate  # noqa: E402
import render  # noqa: E402

BLOCK = 10000
MEAN_GAP = 10                   # seconds between events, on average
START = 1073260800              # 2004-01-05T00:00:00Z: the log's first event
FIRST_RECORD = 48211            # the log was cleared once, long ago
STAMP_VERSION = 1


def generator_digest():
    """Changes whenever this generator's code does, so stale bundles are
    written again."""
    h = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    for name in sorted(os.listdir(here)):
        if name.endswith(".py"):
            with open(os.path.join(here, name), "rb") as f:
                h.update(name.encode() + b"\0" + f.read())
    return h.hexdigest()[:16]


class Log:
    """The events of one generated log: the variants to draw from, and
    which positions hold the POP3 failures."""

    def __init__(self, seed, events):
        self.seed, self.events = seed, events
        self.variants, weights = [], []
        for t in catalogue.routine_templates():
            for desc, data in t.variants:
                self.variants.append((t, desc, data))
                weights.append(t.weight / len(t.variants))
        self.cum_weights = []
        total = 0.0
        for w in weights:
            total += w
            self.cum_weights.append(total)
        self.failure = len(self.variants)
        self.variants.append((catalogue.POP3_FAILURE,) + catalogue.POP3_FAILURE.variants[0])
        self.variants.append((catalogue.POP3_COMPANION,) + catalogue.POP3_COMPANION.variants[0])
        self.special = {}
        for frac in catalogue.FAILURE_POSITIONS:
            p = int(frac * events)
            self.special[p], self.special[p + 1] = self.failure, self.failure + 1

    def blocks(self):
        return (self.events + BLOCK - 1) // BLOCK

    def block(self, b):
        """Block b's events in time order: (variant, UTC seconds, record)."""
        first = b * BLOCK
        n = min(BLOCK, self.events - first)
        rng = random.Random(self.seed * 1000003 + b)
        chosen = rng.choices(range(self.failure), cum_weights=self.cum_weights, k=n)
        span = BLOCK * MEAN_GAP
        times = sorted(rng.randrange(span) for _ in range(n))
        base = START + b * span
        for i in range(n):
            v = self.special.get(first + i)
            if v is not None:
                chosen[i] = v
                if v == self.failure + 1 and i:      # logged in the failure's second
                    times[i] = times[i - 1]
        return [(chosen[i], base + times[i], FIRST_RECORD + first + i) for i in range(n)]


def write_evtx(path, variants, blocks):
    """As evtfile.write, for an .evtx log."""
    pieces = render.pre_render("evtx", variants)
    evtx.write(path, (ev for events in blocks for ev in render.evtx_events(pieces, events)))
    return os.path.getsize(path)


def evtx_block_bytes(variants, events):
    """As evtfile.block_bytes, for an .evtx log."""
    return len(evtx.build(render.evtx_events(render.pre_render("evtx", variants), events)))


# The binary logs, oldest first as records are written: the file's name,
# write(path, variants, blocks) and block_bytes(variants, events).
BINARY = {"evtx": ("events.evtx", write_evtx, evtx_block_bytes),
          "evt": ("events.evt", evtfile.write, evtfile.block_bytes)}
FORMATS = render.FORMATS + tuple(BINARY)
EVENT_FILE = dict(render.EVENT_FILE, **{fmt: b[0] for fmt, b in BINARY.items()})


def write_event_file(path, fmt, log):
    if fmt in BINARY:
        return BINARY[fmt][1](path, log.variants, (log.block(b) for b in range(log.blocks())))
    pieces = render.pre_render(fmt, log.variants)
    days = render.Days()
    order = range(log.blocks())
    if render.NEWEST_FIRST[fmt]:
        order = reversed(order)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(render.file_header(fmt))
        for b in order:
            events = log.block(b)
            if render.NEWEST_FIRST[fmt]:
                events.reverse()
            out.write(render.render_events(fmt, pieces, days, events))
        out.write(render.file_footer(fmt))
    return os.path.getsize(path)


def events_for_bytes(fmt, seed, target):
    """How many events make an event file of about target bytes: one
    block's size, scaled."""
    log = Log(seed, BLOCK)
    if fmt in BINARY:
        size = BINARY[fmt][2](log.variants, log.block(0))
    else:
        size = len(render.render_events(fmt, render.pre_render(fmt, log.variants), render.Days(),
                                        log.block(0)).encode())
    return max(BLOCK, round(target * BLOCK / size))


def write_bundle(folder, fmt, log):
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    with open(os.path.join(folder, "netstat-ano.txt"), "w", newline="") as f:
        f.write(hoststate.netstat_ano())
    with open(os.path.join(folder, "tasklist-svc.txt"), "w", newline="") as f:
        f.write(hoststate.tasklist_svc())
    return write_event_file(os.path.join(folder, EVENT_FILE[fmt]), fmt, log)


def bundle(data, fmt, seed, digest, events=None, file_gb=None):
    """Writes (or reuses) one bundle; returns its stamp."""
    name = f"{fmt}-{file_gb:g}gb" if file_gb else f"{fmt}-{events}"
    folder = os.path.join(data, name)
    params = {"version": STAMP_VERSION, "generator": digest, "seed": seed, "format": fmt,
              "events": events, "file_gb": file_gb}
    stamp_path = folder + ".json"
    try:
        with open(stamp_path) as f:
            stamp = json.load(f)
        event_file = os.path.join(folder, stamp["event_file"])
        if stamp["params"] == params and os.path.getsize(event_file) == stamp["bytes"]:
            return dict(stamp, reused=True)
    except (OSError, ValueError, KeyError):
        pass
    if file_gb:
        events = events_for_bytes(fmt, seed, file_gb * 2**30)
    log = Log(seed, events)
    size = write_bundle(folder, fmt, log)
    stamp = {"params": params, "dir": folder, "format": fmt, "events": events,
             "event_file": EVENT_FILE[fmt], "bytes": size,
             "failures": len(catalogue.FAILURE_POSITIONS),
             "holder": f"{catalogue.HOLDER_IMAGE} (PID {catalogue.HOLDER_PID})"}
    with open(stamp_path, "w") as f:
        json.dump(stamp, f, indent=1)
    return dict(stamp, reused=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="the cache folder")
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--sizes", default="", help="events per bundle, comma-separated")
    ap.add_argument("--file-gb", type=float, help="one event file of about N GiB per format")
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    if any(f not in FORMATS for f in formats):
        ap.error(f"formats are {', '.join(FORMATS)}")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if any(s < 100 for s in sizes):
        ap.error("a bundle holds at least 100 events")
    os.makedirs(args.data, exist_ok=True)
    digest = generator_digest()
    for fmt in formats:
        for n in sizes:
            print(json.dumps(bundle(args.data, fmt, args.seed, digest, events=n)), flush=True)
        if args.file_gb:
            print(json.dumps(bundle(args.data, fmt, args.seed, digest, file_gb=args.file_gb)),
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
