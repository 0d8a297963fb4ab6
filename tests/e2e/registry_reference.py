#!/usr/bin/env python3
"""The registry's facts are the same whichever form they come in, and a
hive reads as libyal's own regfexport reads it.

usage: registry_reference.py KBDIAG BASE.hiv EXPORT.reg... [--hive HIVE...]

For each .reg export (read here with a parser of this script's own):

  1. hivexsh (libhivex-bin, libguestfs' registry editor, a writer
     independent of libregf) writes its keys and values into a copy of
     BASE.hiv, a real public hive (tests/fixtures/SOURCES.md): an offline
     hive holding the same data;
  2. the same data is printed as `reg query /s` prints it, in the layout of
     Windows Vista and later (four spaces) and of reg.exe 3.0 (XP and
     2003: banner, tabs);
  3. kbdiag diagnoses the .reg, the hive and both reg query texts with no
     rules and a trace, and their facts (kind and slots; provenance aside)
     must be the same;
  4. regfexport (libregf-utils) exports the built hive, and every service
     of the control set Select\\Current names (a key under Services with a
     Type) must be a `service` fact with the name, image, display name,
     start and type regfexport shows, and every REG_SZ or REG_DWORD value
     of Services\\Tcpip\\Parameters a `registry_value` with its data.

Each --hive HIVE (a real SYSTEM hive too large to keep in the repository)
gets step 4 alone.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

TYPES = {0: "REG_NONE", 1: "REG_SZ", 2: "REG_EXPAND_SZ", 3: "REG_BINARY", 4: "REG_DWORD", 7: "REG_MULTI_SZ",
         11: "REG_QWORD"}
START = {0: "boot_start", 1: "system_start", 2: "auto_start", 3: "demand_start", 4: "disabled"}
SERVICE_TYPE = {0x1: "kernel_driver", 0x2: "file_system_driver", 0x4: "adapter", 0x8: "recognizer_driver",
                0x10: "win32_own_process",
                0x20: "win32_share_process", 0x110: "win32_own_process (interactive)",
                0x120: "win32_share_process (interactive)"}


# ---- a .reg file, read here ------------------------------------------------------

def read_reg(path):
    """[(key, [(name, type, bytes)])] of a Windows Registry Editor 5.00 file."""
    raw = open(path, "rb").read()
    text = raw.decode("utf-16") if raw[:2] == b"\xff\xfe" else raw.decode("cp1252")
    keys, logical = [], ""
    for line in text.splitlines():
        logical += line.strip() if logical else line
        if logical.endswith("\\") and not logical.startswith("["):
            logical = logical[:-1]
            continue
        line, logical = logical, ""
        if line.startswith("[") and line.endswith("]"):
            keys.append((line[1:-1], []))
        elif line.startswith('"') or line.startswith("@"):
            m = re.match(r'^(@|"((?:[^"\\]|\\.)*)")=(.*)$', line)
            name = "" if m.group(1) == "@" else re.sub(r"\\(.)", r"\1", m.group(2))
            keys[-1][1].append((name,) + value_of(m.group(3)))
    return keys


def value_of(data):
    if data.startswith('"'):
        return 1, (re.sub(r"\\(.)", r"\1", data[1:-1]) + "\0").encode("utf-16-le")
    if data.startswith("dword:"):
        return 4, int(data[6:], 16).to_bytes(4, "little")
    m = re.match(r"hex(?:\(([0-9a-f]+)\))?:(.*)$", data)
    kind = int(m.group(1), 16) if m.group(1) else 3
    return kind, bytes(int(b, 16) for b in m.group(2).replace(" ", "").split(",") if b)


def strings(data):
    return data.decode("utf-16-le").split("\0")


# ---- the same data in the other forms ------------------------------------------------

def build_hive(base, keys, out):
    """hivexsh writes keys (paths below HKEY_LOCAL_MACHINE\\<hive>) into a copy of base."""
    shutil.copyfile(base, out)
    cmds, made = [], set()
    for key, values in keys:
        path = key.split("\\")[2:]
        cmds.append("cd \\ ")
        for i, part in enumerate(path):
            if tuple(path[:i + 1]) not in made:
                made.add(tuple(path[:i + 1]))
                cmds.append("add " + part)
            cmds.append("cd " + part)
        cmds.append("setval %d" % len(values))
        for name, kind, data in values:
            cmds += ["@" if name == "" else name, "hex:%d:%s" % (kind, ",".join("%02x" % b for b in data))]
    cmds.append("commit")
    subprocess.run(["hivexsh", "-w", out], input="\n".join(cmds) + "\n", text=True, check=True,
                   capture_output=True)


def reg_query_data(kind, data):
    if kind in (1, 2):
        return strings(data)[0]
    if kind == 7:
        return "\\0".join(s for s in strings(data) if s)
    if kind in (4, 11):
        return "0x%x" % int.from_bytes(data, "little")
    return data.hex().upper()


def reg_query(keys, xp):
    """`reg query HKLM\\... /s` as Vista and later print it, or reg.exe 3.0."""
    out = ["", "! REG.EXE VERSION 3.0", ""] if xp else [""]
    for key, values in keys:
        out.append(key)
        for name, kind, data in values:
            shown = name or ("<NO NAME>" if xp else "(Default)")
            sep = "\t" if xp else "    "
            out.append("    " + sep.join([shown, TYPES[kind], reg_query_data(kind, data)]))
        out.append("")
    return "\r\n".join(out) + "\r\n"


# ---- kbdiag and regfexport ---------------------------------------------------------------

def kbdiag_facts(kbdiag, path):
    facts, report = reference.kbdiag_facts(kbdiag, path, "--no-prefilter")
    return [(f["kind"], f["slots"]) for f in facts], report


def regfexport(path):
    """{key path below the root: {value name: (type text, data text)}};
    data regfexport dumps in hex (REG_MULTI_SZ) is decoded, its strings
    joined by "\n"."""
    p = subprocess.run(["regfexport", path], capture_output=True, text=True, errors="replace")
    keys, cur, name, dump = {}, None, None, None
    for line in p.stdout.splitlines():
        m = re.match(r"^[0-9a-f]{8}: ((?:[0-9a-f]{2} {1,2}){1,16})", line)
        if dump is not None and m:
            dump += bytes(int(b, 16) for b in m.group(1).split())
            cur[name][1] = "\n".join(x for x in dump.decode("utf-16-le", "replace").split("\0") if x)
            continue
        dump = None
        if line.startswith("Key path: "):
            full = line[10:]
            cur = keys.setdefault(full.split("\\", 1)[1] if "\\" in full else "", {})
        elif cur is not None and line.startswith("Value: "):
            name = line.split(" ", 2)[2] if line.count(" ") >= 2 else ""
            name = "" if name == "(default)" else name
        elif cur is not None and name is not None and line.startswith("Type: "):
            cur[name] = [line[6:], None]
        elif cur is not None and name is not None and line.startswith("Data:"):
            cur[name][1] = line[6:]
            if line == "Data:" and "(REG_MULTI_SZ)" in cur[name][0]:
                dump = b""
    return keys


def expected(export):
    """The services and Tcpip settings regfexport shows for the current control set."""
    lower = {k.lower(): k for k in export}
    select = export.get(lower.get("select", ""), {})
    current = int(select.get("Current", ["", "0"])[1] or 0)
    prefix = "controlset%03d\\services\\" % current
    services, settings = {}, {}
    for key, values in export.items():
        low = key.lower()
        if not low.startswith(prefix):
            continue
        rest = key[len(prefix):]
        values = {n.lower(): v for n, v in values.items()}  # names are case-insensitive
        if "\\" not in rest and "type" in values:
            want = {"name": rest, "type": SERVICE_TYPE.get(int(values["type"][1]))}
            if "start" in values:
                want["start_type"] = START.get(int(values["start"][1]))
                if want["start_type"] == "auto_start" and values.get("delayedautostart", ["", "0"])[1] == "1":
                    want["start_type"] = "auto_start (delayed)"
            if values.get("imagepath", ["", ""])[1]:
                want["image"] = values["imagepath"][1]
            display = values.get("displayname", ["", ""])[1]
            if display and not display.startswith("@"):
                want["display_name"] = display
            services[rest] = {k: v for k, v in want.items() if v is not None}
        elif rest.lower() == "tcpip\\parameters":
            for name, (kind, data) in export[key].items():
                if name and ("(REG_SZ)" in kind or "(REG_DWORD" in kind):
                    settings[name] = data
    return services, settings


def check_reference(facts, export, label):
    services, settings = expected(export)
    got = {s["name"]: s for k, s in facts if k == "service"}
    got_settings = {s["name"]: s["value"] for k, s in facts if k == "registry_value"
                    and s["key"].lower().endswith("\\services\\tcpip\\parameters")}
    problems = []
    for name, want in services.items():
        if got.get(name) != want:
            problems.append("%s: service %s is %s, regfexport says %s" % (label, name, got.get(name), want))
    for name in set(got) - set(services):
        problems.append("%s: kbdiag has a service %s regfexport does not" % (label, name))
    for name, data in settings.items():
        if got_settings.get(name) != data:
            problems.append("%s: Tcpip\\Parameters %s is %r, regfexport says %r"
                            % (label, name, got_settings.get(name), data))
    if not services:
        problems.append("%s: regfexport shows no service: nothing was compared" % label)
    return problems


def canonical(facts):
    return sorted(json.dumps([k, s], sort_keys=True) for k, s in facts)


def check_export(kbdiag, base, path, tmp):
    keys = read_reg(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    forms = {"reg": path, "hive": os.path.join(tmp, stem + ".hiv"),
             "vista": os.path.join(tmp, stem + "-vista.txt"), "xp": os.path.join(tmp, stem + "-xp.txt")}
    build_hive(base, keys, forms["hive"])
    for form, xp in (("vista", False), ("xp", True)):
        with open(forms[form], "w", encoding="utf-8", newline="") as f:
            f.write(reg_query(keys, xp))
    formats = {"reg": "reg-file", "hive": "registry-hive", "vista": "reg-query", "xp": "reg-query"}
    problems, results = [], {}
    for form, file in forms.items():
        facts, report = kbdiag_facts(kbdiag, file)
        if report["inputs"][0]["format"] != formats[form]:
            problems.append("%s as %s: read as %s" % (stem, form, report["inputs"][0]["format"]))
        results[form] = canonical(facts)
        if form == "hive":
            hive_facts = facts
    for form in ("hive", "vista", "xp"):
        if results[form] != results["reg"]:
            a, b = set(results["reg"]), set(results[form])
            problems.append("%s: the %s form's facts differ from the .reg's: only in .reg %s, only in %s %s"
                            % (stem, form, sorted(a - b)[:3], form, sorted(b - a)[:3]))
    if not results["reg"]:
        problems.append("%s: no facts at all" % stem)
    if any(k == "service" for k, _ in hive_facts):
        problems += check_reference(hive_facts, regfexport(forms["hive"]), stem + " (built hive)")
    return problems


def main(argv):
    kbdiag, base = argv[1], argv[2]
    exports, hives = [], []
    target = exports
    for a in argv[3:]:
        if a == "--hive":
            target = hives
        else:
            target.append(a)
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in exports:
            problems += check_export(kbdiag, base, path, tmp)
    for hive in hives:
        facts, _ = kbdiag_facts(kbdiag, hive)
        problems += check_reference(facts, regfexport(hive), os.path.basename(hive))
    for p in problems:
        print(p)
    print("%d exports and %d hives compared: %s" % (len(exports), len(hives), "FAILED" if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
