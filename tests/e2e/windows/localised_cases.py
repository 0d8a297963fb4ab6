#!/usr/bin/env python3
"""Writes tests/e2e/cases/windows-localised/: bundles from localised
Windows whose bind error is named only by Windows' own message text in
the machine's language (rules/knowledge/event_messages.lua, the
`system_message` rows with a `lang`), each event export in the encoding
that Windows writes it in (docs/evidence-formats.md, "Encodings"):

- Vista and later CSV: UTF-8 with a BOM, the header in the language;
- NT 4.0 to 2003 CSV: no header, the ANSI code page of the language
  (Windows-1252 for French, Windows-1251 for Russian, Shift-JIS (932) for
  Japanese), which kbdiag has to recognise without being told;

and a look-alike whose message starts as a system text does but goes on
otherwise, which must read no code.  The messages are a Go program's
("listen tcp 0.0.0.0:21: bind: <system text>"), as programs on localised
Windows print them in public reports: the word "bind" and the code read
from the text make the event a bind failure.  netstat -ano and tasklist
/svc (the console's ASCII) name the program that holds the port.

The event texts around the system message are the bundles' own; the
system texts are copied from event_messages.lua, never written here.

Run from anywhere: python3 tests/e2e/windows/localised_cases.py
"""
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bundles import netstat, tasklist  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "tests", "e2e", "cases", "windows-localised")
KNOWLEDGE = os.path.join(ROOT, "rules", "knowledge", "event_messages.lua")


def system_text(code, lang):
    """The text of system message `code` in `lang` as the knowledge has it."""
    src = open(KNOWLEDGE, encoding="utf-8").read()
    rows = re.findall(r'\{ code = (\d+), lang = "([^"]+)",\s*text = "([^"]+)" \}', src)
    found = [text for c, l, text in rows if int(c) == code and l == lang]
    if len(found) != 1:
        raise SystemExit("%s: %d rows for %d in %s" % (KNOWLEDGE, len(found), code, lang))
    return found[0]


def vista_csv(header, rows):
    """Event Viewer's "Save All Events As" CSV: header, then level, date and
    time, source, ID, task category, description (quoted)."""
    out = [",".join(header)]
    for level, when, source, eid, category, desc in rows:
        out.append('%s,%s,%s,%d,%s,"%s"' % (level, when, source, eid, category, desc.replace('"', '""')))
    return "\n".join(out) + "\n"


def nt_csv(rows):
    """The NT 4.0 to 2003 viewer's CSV: no header; date, time, source, type,
    category, ID, user, computer, description."""
    return "\n".join(",".join([d, t, src, kind, cat, str(eid), user, comp, desc])
                     for d, t, src, kind, cat, eid, user, comp, desc in rows) + "\n"


def holder(port, image, pid, service):
    """netstat -ano and tasklist /svc with `image` (PID `pid`, service
    `service`) listening on TCP `port` among the usual processes."""
    return {
        "netstat-ano.txt": netstat([("TCP", "0.0.0.0:135", "0.0.0.0:0", "LISTENING", 884),
                                    ("TCP", "0.0.0.0:%d" % port, "0.0.0.0:0", "LISTENING", pid)]),
        "tasklist-svc.txt": tasklist([("System Idle Process", 0, "N/A"), ("System", 4, "N/A"),
                                      ("svchost.exe", 884, "RpcSs"), (image, pid, service)], svc=True),
    }


CASES = []


def case(name, files, expect):
    CASES.append((name, files, expect))


# French, Windows Server 2003: the CSV in Windows-1252; "Aucun" is the
# category None.
case("fr-10048-cp1252", dict(holder(21, "FileZilla server.exe", 1612, "FileZilla Server"), **{
    "application.csv": (nt_csv([("14/03/2016", "09:41:07", "FileGate", "Erreur", "Aucun", 1001, "N/A", "SRV-FTP",
                                 "Le service FTP n'a pas pu démarrer : listen tcp 0.0.0.0:21: bind: " + system_text(10048, "fr"))]),
                        "cp1252")}),
     {"status": 1,
      "stdout_contains": ["The FileGate service could not open TCP port 21 for FTP (event 1001, error 0x2740 (WSAEADDRINUSE",
                          "FileZilla server.exe (PID 1612, service FileZilla Server) holds it.", "application.csv:1",
                          "Le service FTP n'a pas pu démarrer"]})

# Italian, Windows Server 2012: Vista CSV in UTF-8 with a BOM.
case("it-10048-utf8", dict(holder(80, "httpd.exe", 2232, "Apache2.4"), **{
    "applicazione.csv": ("\ufeff" + vista_csv(["Livello", "Data e ora", "Origine", "ID evento", "Categoria attività"], [
        ("Errore", "23/04/2019 18:41:23", "WebPortal", 3005, "Nessuna",
         "Avvio non riuscito: listen tcp 0.0.0.0:80: bind: " + system_text(10048, "it"))]), "utf-8")}),
     {"status": 1,
      "stdout_contains": ["The WebPortal service could not open TCP port 80 for HTTP (event 3005, error 0x2740 (WSAEADDRINUSE",
                          "httpd.exe (PID 2232, service Apache2.4) holds it.", "applicazione.csv:2"]})

# Brazilian Portuguese, Windows Server 2016: Vista CSV in UTF-8 with a BOM;
# 10013 is a refused bind, not a port in use.
case("pt-BR-10013-utf8", dict(holder(8443, "java.exe", 3816, "Tomcat9"), **{
    "aplicativo.csv": ("\ufeff" + vista_csv(["Nível", "Data e Hora", "Fonte", "ID do Evento", "Categoria da Tarefa"], [
        ("Erro", "05/02/2020 10:12:44", "PortalGateway", 1205, "Nenhum",
         "Falha ao iniciar: listen tcp 0.0.0.0:8443: bind: " + system_text(10013, "pt-BR"))]), "utf-8")}),
     {"status": 1,
      "stdout_contains": ["WARNING windows-bind-failure",
                          "The PortalGateway service could not open TCP port 8443 (PortalGateway event 1205: error "
                          "0x271D (WSAEACCES, permission denied)).", "aplicativo.csv:2"],
      "stdout_lacks": ["windows-port-in-use"]})

# Russian, Windows Server 2003: the CSV in Windows-1251; "Отсутствует" is
# the category None, "Н/Д" the user N/A.
case("ru-10049-cp1251", {
    "application.csv": (nt_csv([("14.12.2018", "15:59:03", "FileGate", "Ошибка", "Отсутствует", 1001, "Н/Д", "SRV-FTP",
                                "Служба FTP не запущена: listen tcp 10.0.0.7:21: bind: " + system_text(10049, "ru"))]),
                       "cp1251")},
     {"status": 1,
      "stdout_contains": ["windows-address-not-available",
                          "The FileGate service could not open TCP port 21 for FTP (event 1001, error 0x2741 "
                          "(WSAEADDRNOTAVAIL", "application.csv:1", "Служба FTP не запущена"]})

# Japanese, Windows Server 2003: the CSV in Shift-JIS (932); "なし" is the
# category None.
case("ja-10013-cp932", dict(holder(8080, "nginx.exe", 4420, "nginx"), **{
    "application.csv": (nt_csv([("2018/04/01", "22:04:42", "WebGate", "エラー", "なし", 2001, "N/A", "SRV-WEB",
                                 "起動できません: listen tcp 0.0.0.0:8080: bind: " + system_text(10013, "ja"))]), "cp932")}),
     {"status": 1,
      "stdout_contains": ["WARNING windows-bind-failure",
                          "The WebGate service could not open TCP port 8080 (WebGate event 2001: error 0x271D "
                          "(WSAEACCES, permission denied)).", "application.csv:1", "起動できません"]})

# The look-alike: an Italian error whose text starts as 10048's does
# ("Di norma è consentito un solo utilizzo di ogni indirizzo") and goes on
# about mail addresses; no code, so no finding, though something holds
# the port it names.
case("lookalike-it-prefix", dict(holder(25, "MDaemon.exe", 1440, "MDaemon"), **{
    "applicazione.csv": ("\ufeff" + vista_csv(["Livello", "Data e ora", "Origine", "ID evento", "Categoria attività"], [
        ("Errore", "23/04/2019 18:41:23", "MailRelay", 41, "Nessuna",
         "Relay non avviato: listen tcp 0.0.0.0:25: bind: " + system_text(10048, "it").split(" di socket")[0]
         + " di posta per mittente.")]), "utf-8")}),
     {"status": 0, "stdout_contains": ["0 findings"]})


def write():
    shutil.rmtree(OUT, ignore_errors=True)
    runs = []
    for name, files, expect in CASES:
        bundle = os.path.join(OUT, name, "bundle")
        os.makedirs(bundle)
        for fname, spec in files.items():
            text, enc = spec if isinstance(spec, tuple) else (spec, "ascii")
            with open(os.path.join(bundle, fname), "wb") as f:
                f.write(text.replace("\n", "\r\n").encode(enc))
        runs.append(dict({"args": ["diagnose", "-q", name + "/bundle"]}, **expect))
    with open(os.path.join(OUT, "case.json"), "w", encoding="utf-8") as f:
        json.dump({"runs": runs}, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    write()
