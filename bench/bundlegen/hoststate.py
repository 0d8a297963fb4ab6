"""The host state files of every generated bundle: `netstat -ano` and
`tasklist /svc` of the Exchange server, as Windows Server 2003 prints them
to a redirected file (ANSI, CRLF).  MDaemon.exe holds TCP port 110; the
information store (store.exe) holds the other mail ports.  The layouts are
those of tests/fixtures/netstat/win2003-netstat-ano.txt and
tests/fixtures/tasklist/win10-tasklist-svc-utf16.txt
(docs/evidence-formats.md "netstat -ano", "tasklist /svc").
"""
from catalogue import HOLDER_IMAGE, HOLDER_PID, HOLDER_SERVICE

CRLF = "\r\n"
SERVICES_WIDTH = 44      # the Services column: as wide as its "=" underline

# (image, PID, services)
PROCESSES = [
    ("System Idle Process", 0, []),
    ("System", 4, []),
    ("smss.exe", 316, []),
    ("csrss.exe", 372, []),
    ("winlogon.exe", 396, []),
    ("services.exe", 524, ["Eventlog", "PlugPlay"]),
    ("lsass.exe", 536, ["HTTPFilter", "NtLmSsp", "PolicyAgent", "ProtectedStorage", "SamSs"]),
    ("svchost.exe", 588, ["DcomLaunch", "TermService"]),
    ("svchost.exe", 652, ["RpcSs"]),
    ("svchost.exe", 716, ["Dhcp", "Dnscache"]),
    ("svchost.exe", 744, ["LmHosts", "W32Time"]),
    ("svchost.exe", 768, ["AeLookupSvc", "BITS", "Browser", "CryptSvc", "dmserver", "EventSystem",
                          "helpsvc", "lanmanserver", "lanmanworkstation", "Netman", "Nla",
                          "Schedule", "seclogon", "SENS", "ShellHWDetection", "winmgmt",
                          "wuauserv", "WZCSVC"]),
    ("spoolsv.exe", 1012, ["Spooler"]),
    ("msdtc.exe", 1040, ["MSDTC"]),
    ("inetinfo.exe", 1196, ["IISADMIN", "SMTPSVC", "W3SVC"]),
    ("snmp.exe", 1232, ["SNMP"]),
    ("dsamain.exe", 1112, ["MSExchangeDS"]),
    ("mad.exe", 1180, ["MSExchangeSA"]),
    ("store.exe", 1304, ["MSExchangeIS"]),
    ("emsmta.exe", 1352, ["MSExchangeMTA"]),
    ("events.exe", 1388, ["MSExchangeES"]),
    (HOLDER_IMAGE, HOLDER_PID, [HOLDER_SERVICE]),
    ("explorer.exe", 2504, []),
    ("wmiprvse.exe", 2820, []),
    ("cmd.exe", 3016, []),
    ("tasklist.exe", 3160, []),
]

# (protocol, local, foreign, state, PID)
ENDPOINTS = [
    ("TCP", "0.0.0.0:25", "0.0.0.0:0", "LISTENING", 1196),
    ("TCP", "0.0.0.0:80", "0.0.0.0:0", "LISTENING", 1196),
    ("TCP", "0.0.0.0:110", "0.0.0.0:0", "LISTENING", HOLDER_PID),
    ("TCP", "0.0.0.0:119", "0.0.0.0:0", "LISTENING", 1304),
    ("TCP", "0.0.0.0:135", "0.0.0.0:0", "LISTENING", 652),
    ("TCP", "0.0.0.0:143", "0.0.0.0:0", "LISTENING", 1304),
    ("TCP", "0.0.0.0:389", "0.0.0.0:0", "LISTENING", 1112),
    ("TCP", "0.0.0.0:445", "0.0.0.0:0", "LISTENING", 4),
    ("TCP", "0.0.0.0:1026", "0.0.0.0:0", "LISTENING", 1112),
    ("TCP", "0.0.0.0:1031", "0.0.0.0:0", "LISTENING", 1304),
    ("TCP", "0.0.0.0:3000", "0.0.0.0:0", "LISTENING", HOLDER_PID),
    ("TCP", "0.0.0.0:3389", "0.0.0.0:0", "LISTENING", 588),
    ("TCP", "10.0.0.20:139", "0.0.0.0:0", "LISTENING", 4),
    ("TCP", "10.0.0.20:110", "10.0.0.51:3345", "ESTABLISHED", HOLDER_PID),
    ("TCP", "10.0.0.20:135", "10.0.0.51:3340", "ESTABLISHED", 652),
    ("TCP", "10.0.0.20:1031", "10.0.0.51:3341", "ESTABLISHED", 1304),
    ("TCP", "10.0.0.20:1044", "10.0.0.10:389", "TIME_WAIT", 0),
    ("TCP", "10.0.0.20:1046", "10.0.0.10:445", "ESTABLISHED", 4),
    ("TCP", "10.0.0.20:3389", "10.0.0.9:1198", "ESTABLISHED", 588),
    ("TCP", "127.0.0.1:1027", "127.0.0.1:1028", "ESTABLISHED", 1304),
    ("TCP", "127.0.0.1:1028", "127.0.0.1:1027", "ESTABLISHED", 1304),
    ("UDP", "0.0.0.0:161", "*:*", "", 1232),
    ("UDP", "0.0.0.0:445", "*:*", "", 4),
    ("UDP", "0.0.0.0:500", "*:*", "", 536),
    ("UDP", "0.0.0.0:1025", "*:*", "", 716),
    ("UDP", "0.0.0.0:4500", "*:*", "", 536),
    ("UDP", "10.0.0.20:123", "*:*", "", 744),
    ("UDP", "10.0.0.20:137", "*:*", "", 4),
    ("UDP", "10.0.0.20:138", "*:*", "", 4),
    ("UDP", "127.0.0.1:123", "*:*", "", 744),
]


def netstat_ano():
    lines = ["", "Active Connections", "",
             "  Proto  Local Address          Foreign Address        State           PID"]
    for proto, local, foreign, state, pid in ENDPOINTS:
        lines.append(f"  {proto:<6} {local:<22} {foreign:<22} {state:<15} {pid}")
    return CRLF.join(lines) + CRLF


def wrap_services(names):
    """tasklist's Services cell: names joined with ", ", wrapped at the
    column's width with the separator left at the end of the line."""
    if not names:
        return ["N/A"]
    lines, line = [], ""
    for i, name in enumerate(names):
        piece = name + (", " if i < len(names) - 1 else "")
        if line and len(line) + len(piece.rstrip()) > SERVICES_WIDTH:
            lines.append(line)
            line = ""
        line += piece
    return lines + [line]


def tasklist_svc():
    lines = ["", "Image Name                     PID Services",
             "========================= ======== " + "=" * SERVICES_WIDTH]
    for image, pid, services in PROCESSES:
        cells = wrap_services(services)
        lines.append(f"{image:<25} {pid:>8} {cells[0]:<{SERVICES_WIDTH}}")
        lines += [" " * 35 + cell for cell in cells[1:]]
    return CRLF.join(lines) + CRLF
