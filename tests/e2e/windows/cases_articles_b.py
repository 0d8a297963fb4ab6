"""Cases of the articles about Windows NT services, SNA Server, SMS,
Services for UNIX, Metadirectory Services and RRAS (rules/kb/, the second
batch of issue 15), written by make_cases.py with the others: define()
registers them with its case() and adds the insertion-string shapes of
their events.  Each article has a case that fires and a look-alike that
must not.
"""
from bundles import event_block, event_csv_nt4, netstat, sc_queryex, systeminfo, tasklist, winmsd

SCM = "service control manager"

# The insertion strings of these cases' events (see make_cases.STRING_SHAPES).
# The Service Control Manager stores the error of its 7000 and 7023 as a
# reference to the system message ("%%52"), which kbdiag resolves from
# rules/knowledge/event_messages.lua.
SYSTEM_MESSAGES = {
    "A duplicate name exists on the network.": 52,
    "A device attached to the system is not functioning.": 31,
    "The endpoint cannot be created.": 1720,
    "The dependency service or group failed to start.": 1068,
    "The service cannot be started, either because it is disabled or because it has no enabled devices associated "
    "with it.": 1058,
    "The service did not respond to the start or control request in a timely fashion.": 1053,
}


class ErrorAsReference:
    """The replacements of an SCM shape: its second string (index 1), the
    error text, becomes the reference the SCM stores."""
    def get(self, index, text):
        if index != 1:
            return text
        if text not in SYSTEM_MESSAGES:
            raise SystemExit("no system message number known for %r" % text)
        return "%%%%%d" % SYSTEM_MESSAGES[text]


STRING_SHAPES = [
    (SCM, 7023, r"The (.+) service terminated with the following error:\s+(.+)$", ErrorAsReference()),
    (SCM, 7000, r"The (.+) service failed to start due to the following error:\s+(.+)$", ErrorAsReference()),
    (None, 206, r"opened a socket to listen for clients()", {}),
    (None, 207, r"closed the socket which listens for clients()", {}),
    (None, 567, r"rc = (\d+), pipe = (\d+)", {}),
    (None, 205, r"BIND for port (\d+) failed with\s+return code (\w+)\.", {}),
    (None, 404, r"to address ([\d.]+)\.", {}),
    (None, 407, r"socket to ([\d.]+)\.", {}),
    (None, 3870, r"(\S+) is not a valid computer name\.", {}),
    (None, 4315, r"linkage configuration\s+information\.()", {}),
    (None, 2504, r"transport\s+(\S+?)\.?$", {}),
    (None, 2505, r"transport\s+(\S+)\s+because", {}),
    (None, 1007, r"winsock data\.()", {}),
    (None, 20105, r"interface (\S+) from\s+the registry\. The following error occurred:\s+(.+)$", {}),
    (None, 20108, r"open the port (\S+) for use\.", {}),
    (None, 4199, r"IP address\s+([\d.]+)\s+with the system having network hardware address\s+([0-9A-Fa-f:-]+)\.", {}),
]

NT4_SP = "Version 4.0 (Build 1381: Service Pack %d) x86 Uniprocessor Free"
ADDR_IN_USE = ["0000: 40 27 00 00                 @'..    "]
NOT_AVAILABLE = ["0000: 41 27 00 00                 A'..    "]
DEAD_NETWORK = ["0000: 42 27 00 00                 B'..    "]

# Processes of a Windows NT 4.0 server (tasklist default table): the
# Exchange server's of make_cases.py without Exchange, and the spooler and
# RPC service; define() fills it.
NT4_PROCS = []
EXCHANGE_IMAGES = {"dsamain.exe", "mad.exe", "store.exe", "emsmta.exe", "msexcimc.exe"}


def listening(*rows):
    """TCP listeners (port, pid) and the usual NetBIOS sockets."""
    out = [("TCP", "0.0.0.0:135", "0.0.0.0:0", "LISTENING", 452)]
    out += [("TCP", "0.0.0.0:%d" % port, "0.0.0.0:0", "LISTENING", pid) for port, pid in rows]
    out += [("TCP", "10.0.0.20:139", "0.0.0.0:0", "LISTENING", 8), ("UDP", "10.0.0.20:137", "*:*", "", 8)]
    return out


def reg_query(key, values):
    """reg query output of one key: values as (name, type, data)."""
    out = ["", "HKEY_LOCAL_MACHINE\\" + key]
    out += ["    %s    %s    %s" % v for v in values]
    return "\n".join(out) + "\n\n"


def scm_7023(service, error):
    return "The %s service terminated with the following error:\n%s" % (service, error)


def define(mc):
    """Registers the cases with make_cases (mc) and their string shapes."""
    mc.STRING_SHAPES[:0] = STRING_SHAPES
    NT4_PROCS[:] = [p for p in mc.EXCH_PROCS if p[0] not in EXCHANGE_IMAGES] + [
        ("spoolss.exe", 396, "Console", 0, "3,412 K"), ("RpcSs.exe", 452, "Console", 0, "2,020 K")]
    case = mc.case
    sna(case)
    tn3270_listen(case)
    server_service(case)
    network_services(case)
    ports(case)
    rpc(case)


def sna(case):
    # The article names no event source; "SNA Server" is the application's.
    case("Q172635-snabase-restart",
         "SnaBase restarted after an access violation: event 567 with rc = 10048 (Windows NT 4.0 Event Viewer text).",
         {"application.txt": event_block("SNA Server", 567, "Creation of a named pipe failed, rc = 10048, pipe = 1477",
                                         style="xp", computer="SNA01")},
         must=[{"rule": "Q172635", "message": ["event 567", "rc = 10048", "access violation"],
                "evidence": [("application.txt", "Event Type:")]}])

    case("Q172635-nearmiss-other-rc",
         "Event 567 with rc = 10055 (WSAENOBUFS): a named pipe failed for another reason, not the sockets left open.",
         {"application.txt": event_block("SNA Server", 567, "Creation of a named pipe failed, rc = 10055, pipe = 1477",
                                         style="xp", computer="SNA01")},
         must_not=["Q172635"])

    tn3270 = "Windows Sockets API call BIND for port 23 failed with\nreturn code WSAEADDRINUSE."

    def telnet_holds_23(name, description, source):
        """The 205 from `source`, netstat -ano and tasklist with a Telnet daemon on 23."""
        case(name, description,
             {"system.csv": event_csv_nt4([("3/2/1998", "8:14:03 AM", source, "Error", "None", 205, "SNA01",
                                            tn3270.replace("\n", " "))]),
              "netstat.txt": netstat(listening((23, 1520))),
              "tasklist.txt": tasklist(NT4_PROCS + [("snaservr.exe", 1312, "Console", 0, "9,840 K"),
                                                    ("TelnetD.exe", 1520, "Console", 0, "1,204 K")])},
             must=[{"rule": "Q130289", "message": ["TN3270 service", "TCP port 23", "TelnetD.exe (PID 1520)", "0x2740"],
                    "evidence": [("system.csv", ",205,"), ("netstat.txt", ":23 "), ("tasklist.txt", "TelnetD")]}])

    telnet_holds_23("Q130289-telnet-holds-23",
                    "The TN3270 service cannot bind port 23 (event 205, WSAEADDRINUSE, System log as NT 4.0 CSV); "
                    "netstat -ano and tasklist show a Telnet daemon (TelnetD.exe, PID 1520) on 23.", "TN3270")
    telnet_holds_23("Q130289-source-tn3270-server",
                    "The same 205 under the source \"TN3270 Server\" (the article names none): the general layer reads "
                    "it as the \"TN3270 Server service\"'s bind failure, which the article's finding explains too, so "
                    "one finding.", "TN3270 Server")

    case("Q130289-nearmiss-wsaenobufs",
         "Event 205 for port 23 with return code WSAENOBUFS (no buffer space): not a port conflict.",
         {"system.csv": event_csv_nt4([("3/2/1998", "8:14:03 AM", "TN3270", "Error", "None", 205, "SNA01",
                                        tn3270.replace("\n", " ").replace("WSAEADDRINUSE", "WSAENOBUFS"))])},
         must_not=["Q130289"])


def server_service(case):
    same_name = ("The server could not bind to the transport \\Device\\NetBT_El59x1 because another\ncomputer on the "
                 "network has the same name.  The server could not start.")
    case("Q177497-netbt-same-name",
         "The Server service (source Srv) logs 2505 for NetBT on Windows NT 4.0 SP3.",
         {"winmsd.txt": winmsd("FS01", "Server", NT4_SP % 3),
          "system.txt": event_block("Srv", 2505, same_name, style="xp", computer="FS01")},
         must=[{"rule": "Q177497", "message": ["Srv event 2505", "same name", "did not start"],
                "evidence": [("system.txt", "Event Type:")]}])

    case("Q265464-sp5",
         "Event 2504 (source Server, as the article quotes it) on Windows NT 4.0 SP5: clients cannot reach the server.",
         {"winmsd.txt": winmsd("FS01", "Server", NT4_SP % 5),
          "system.txt": event_block("Server", 2504, "The server could not bind to the transport \\Device\\NetBT_El59x1.",
                                    style="xp", computer="FS01")},
         must=[{"rule": "Q265464", "message": ["event 2504", "Service Pack 5"],
                "evidence": [("system.txt", "Event Type:"), ("winmsd.txt", "Microsoft Diagnostics Report")]}])

    case("Q265464-service-pack-unknown",
         "Event 2504 (source Srv) and nothing that says the service pack: a warning that asks for winmsd.",
         {"system.txt": event_block("Srv", 2504, "The server could not bind to the transport \\Device\\NetBT_El59x1.",
                                    style="xp", computer="FS01")},
         must=[{"rule": "Q265464-service-pack-unknown", "message": ["event 2504", "does not say which service pack"],
                "evidence": [("system.txt", "Event Type:")]}])

    case("Q265464-nearmiss-sp6",
         "Event 2504 on Windows NT 4.0 SP6: not SP5's NetBT binding problem, and not a duplicate name (Q177497's 2505).",
         {"winmsd.txt": winmsd("FS01", "Server", NT4_SP % 6),
          "system.txt": event_block("Srv", 2504, "The server could not bind to the transport \\Device\\NetBT_El59x1.",
                                    style="xp", computer="FS01")},
         must_not=["Q265464", "Q265464-service-pack-unknown", "Q177497"])

    dup = "A duplicate name exists on the network."
    case("Q317140-duplicate-name",
         "After a restart: Workstation 3870, SCM 7023 (Workstation, duplicate name), Server 2504 (System log as NT 4.0 "
         "CSV).  The 2504 follows from the duplicate name, so Q265464 stays silent though the service pack is unknown.",
         {"system.csv": event_csv_nt4([
             ("5/6/2002", "7:58:41 AM", "Workstation", "Error", "None", 3870, "FS01", "FS01 is not a valid computer name."),
             ("5/6/2002", "7:58:41 AM", "Service Control Manager", "Error", "None", 7023, "FS01",
              scm_7023("Workstation", dup).replace("\n", " ")),
             ("5/6/2002", "7:58:44 AM", "Server", "Error", "None", 2504, "FS01",
              "The server could not bind to the transport \\Device\\NetBT_El59x1.")])},
         must=[{"rule": "Q317140", "message": ["event 7023", "Workstation service", "duplicate name"],
                "evidence": [("system.csv", ",7023,")]}],
         must_not=["Q265464", "Q265464-service-pack-unknown"])

    case("Q317140-nearmiss-dependency",
         "SCM 7023 for the Workstation service with another error (a dependency failed): not a duplicate name.",
         {"system.csv": event_csv_nt4([
             ("5/6/2002", "7:58:41 AM", "Service Control Manager", "Error", "None", 7023, "FS01",
              scm_7023("Workstation", "The dependency service or group failed to start.").replace("\n", " "))])},
         must_not=["Q317140"])


def network_services(case):
    wins_client = "The WINS Client(TCP/IP) service failed to start due to the following error:\n%s"
    case("Q170135-netbt-linkage",
         "At startup NetBT 4315 and SCM 7000 for the WINS Client(TCP/IP) service, \"a device attached to the system is "
         "not functioning\" (Event Viewer text, Windows NT 4.0).",
         {"system.txt": event_block("NetBT", 4315, "Unable to read the driver's exported linkage configuration "
                                    "information.", style="xp", computer="WS07", time="8:01:10 AM")
                        + "\n" + event_block("Service Control Manager", 7000,
                                             wins_client % "A device attached to the system is not functioning.",
                                             style="xp", computer="WS07", time="8:01:12 AM")},
         must=[{"rule": "Q170135", "message": ["event 7000", "WINS Client(TCP/IP)", "not functioning"],
                "evidence": [("system.txt", "WINS Client", "Event Type:")]}])

    case("Q170135-nearmiss-disabled",
         "SCM 7000 for the WINS Client(TCP/IP) service because it is disabled: not a damaged driver or binding.",
         {"system.txt": event_block("Service Control Manager", 7000, wins_client % (
             "The service cannot be started, either because it is disabled or because it has no enabled devices "
             "associated with it."), style="xp", computer="WS07")},
         must_not=["Q170135"])

    winsock = "The DHCP Server failed to initialize winsock data. The following error occurred."
    case("Q194028-leading-zeros",
         "DHCPServer 1007 with 0x2741 in its data (Event Viewer text, Windows NT 4.0 SP4).",
         {"winmsd.txt": winmsd("DHCP01", "Server", NT4_SP % 4),
          "system.txt": event_block("DHCPServer", 1007, winsock, style="xp", computer="DHCP01", data=NOT_AVAILABLE)},
         must=[{"rule": "Q194028", "message": ["event 1007", "0x2741", "leading zeros"],
                "evidence": [("system.txt", "Event Type:")]}])

    case("Q194028-nearmiss-dead-network",
         "DHCPServer 1007 with 0x2742 (WSAENETDOWN): the network is down, not an address with leading zeros.",
         {"system.txt": event_block("DHCPServer", 1007, winsock, style="xp", computer="DHCP01", data=DEAD_NETWORK)},
         must_not=["Q194028"])

    case("Q175793-port-already-open",
         "Router 20108: the demand-dial interface's port COM2 is already open (Event Viewer text).",
         {"system.txt": event_block("Router", 20108, "Unable to open the port COM2 for use. The port is already open.",
                                    style="xp", computer="RRAS01")},
         must=[{"rule": "Q175793", "message": ["event 20108", "port COM2", "already open"],
                "evidence": [("system.txt", "Event Type:")]}])

    case("Q175793-nearmiss-interface-missing",
         "Router 20105 whose error is a missing file, not \"no routing-enabled ports available\".",
         {"system.txt": event_block("Router", 20105, "Unable to load the interface Branch01 from\nthe registry. The "
                                    "following error occurred: The system cannot find the file specified.",
                                    style="xp", computer="RRAS01")},
         must_not=["Q175793", "Q175793-no-ports"])

    conflict = ("The system detected an address conflict for IP address %s with the system having network hardware "
                "address 00:A0:C9:14:C8:29. Network operations on this system may be disrupted as a result.")
    case("Q178550-zero-address",
         "TCP/IP 4199 for address 0.0.0.0 (source Tcpip, Windows NT 4.0 SP3 with the ICMP hotfix).",
         {"winmsd.txt": winmsd("WS07", "Workstation", NT4_SP % 3),
          "system.txt": event_block("Tcpip", 4199, conflict % "0.0.0.0", style="xp", computer="WS07")},
         must=[{"rule": "Q178550", "message": ["0.0.0.0", "ARP"], "evidence": [("system.txt", "Event Type:")]}])

    case("Q178550-nearmiss-real-conflict",
         "TCP/IP 4199 for 10.0.0.31: another computer really has this address (and 10.0.0.0-like text is no 0.0.0.0).",
         {"system.txt": event_block("Tcpip", 4199, conflict % "10.0.0.31", style="xp", computer="WS07")
                        + "\n" + event_block("Tcpip", 4199, conflict % "10.0.0.0", style="xp", computer="WS07")},
         must_not=["Q178550"])


def ports(case):
    def named_holds_53(name, description, source):
        """DNS 404 from `source` with 10048 in its data (Windows NT 4.0 SP4); named.exe holds port 53."""
        case(name, description,
             {"winmsd.txt": winmsd("NS01", "Server", NT4_SP % 4),
              "system.txt": event_block(source, 404, "DNS Server could not bind a TCP socket to address 0.0.0.0. The "
                                        "data is the error.", style="xp", computer="NS01", data=ADDR_IN_USE),
              "netstat.txt": netstat(listening((53, 1180)) + [("UDP", "0.0.0.0:53", "*:*", "", 1180)]),
              "tasklist.txt": tasklist(NT4_PROCS + [("named.exe", 1180, "Console", 0, "3,216 K"),
                                                    ("dns.exe", 1236, "Console", 0, "2,804 K")])},
             must=[{"rule": "Q199286", "message": ["named.exe (PID 1180)", "port 53", "0x2740"],
                    "evidence": [("system.txt", "Event Type:"), ("netstat.txt", "0.0.0.0:53 "),
                                 ("tasklist.txt", "named.exe")]}])

    named_holds_53("Q199286-named-holds-53",
                   "DNS 404 with 10048 in its data (Windows NT 4.0 SP4); netstat -ano and tasklist show named.exe (BIND "
                   "for Windows NT) on port 53.", "DNS")
    named_holds_53("Q199286-source-lower-case",
                   "The same 404 with its source written \"dns\" (Windows compares event sources without regard to "
                   "case): the general layer reads it as the \"dns service\"'s bind failure, which the article's "
                   "finding explains too.", "dns")

    case("Q199286-nearmiss-not-this-address",
         "DNS 407 with 10049 in its data: an address that is not this computer's, not another program on port 53 "
         "(the general layer reports the bind failure).",
         {"system.txt": event_block("DNS", 407, "DNS Server could not bind a datagram (UDP) socket to 10.0.0.99. The "
                                    "data is the error.", style="xp", computer="NS01", data=NOT_AVAILABLE),
          "netstat.txt": netstat(listening((53, 1236))),
          "tasklist.txt": tasklist(NT4_PROCS + [("dns.exe", 1236, "Console", 0, "2,804 K")])},
         must_not=["Q199286"], only=False)

    mapper = [("TCP", "0.0.0.0:111", "0.0.0.0:0", "LISTENING", 1288), ("UDP", "0.0.0.0:111", "*:*", "", 1288)]
    case("Q313621-portserv",
         "Portserv.exe (NobleNet port mapper, Dell OpenManage) holds TCP and UDP 111 on a Windows 2000 server with "
         "Services for UNIX: one finding.",
         {"netstat.txt": netstat(listening((2049, 1390)) + mapper),
          "tasklist.txt": tasklist(NT4_PROCS + [("Portserv.exe", 1288, "Console", 0, "1,112 K"),
                                                ("nfssvc.exe", 1390, "Console", 0, "4,020 K")])},
         must=[{"rule": "Q313621", "message": ["Portserv.exe (PID 1288)", "NobleNet", "port 111"],
                "evidence": [("netstat.txt", "TCP    0.0.0.0:111 "), ("tasklist.txt", "Portserv")]}])

    case("Q313621-nearmiss-networker-yields",
         "Nsrexecd.exe (Legato NetWorker) runs and listens on 7938 only: it gave 111 up, so no conflict.",
         {"netstat.txt": netstat(listening((7938, 1402))),
          "tasklist.txt": tasklist(NT4_PROCS + [("nsrexecd.exe", 1402, "Console", 0, "2,448 K")])},
         must_not=["Q313621", "Q313621-netstat-b"])

    agent = [("wuser32.exe", 310, "Console", 0, "1,804 K")]
    case("Q229097-helpdesk-port",
         "An SMS client: Wuser32.exe holds 1761 and 1762, ChatPal.exe holds 1763 (remote chat).",
         {"netstat.txt": netstat(listening((1761, 310), (1762, 310), (1763, 1544))),
          "tasklist.txt": tasklist(NT4_PROCS + agent + [("ChatPal.exe", 1544, "Console", 0, "2,100 K")])},
         must=[{"rule": "Q229097", "message": ["ChatPal.exe (PID 1544)", "TCP port 1763", "remote chat", "PID 310"],
                "evidence": [("netstat.txt", ":1763 "), ("tasklist.txt", "ChatPal"), ("tasklist.txt", "wuser32")]}])

    case("Q229097-nearmiss-agent-own",
         "Wuser32.exe holds 1761-1764 itself; another program listens on 1765: no conflict.",
         {"netstat.txt": netstat(listening((1761, 310), (1762, 310), (1763, 310), (1764, 310), (1765, 1544))),
          "tasklist.txt": tasklist(NT4_PROCS + agent + [("ChatPal.exe", 1544, "Console", 0, "2,100 K")])},
         must_not=["Q229097"])

    def zoomit(http, ldap):
        return reg_query("SYSTEM\\CurrentControlSet\\Services\\ZOOMIT Server\\Parameters",
                         [("HTTP port", "REG_DWORD", "0x%x" % http), ("LDAP port", "REG_DWORD", "0x%x" % ldap)])

    dc = systeminfo("DC01", "Microsoft Windows 2000 Server", "5.0.2195 Service Pack 1 Build 2195",
                    "Primary Domain Controller", "contoso.com", ["10.0.0.5"])
    stopped = sc_queryex([("ZOOMIT Server", "ZOOMIT Server Service", "own", "stopped", 0, 0)])
    case("Q250893-dc-ldap-389",
         "MMS 2.1 on a Windows 2000 domain controller: ZOOMIT Server is stopped, its HTTP port is already 8080 but its "
         "LDAP port is 389, which lsass.exe holds.",
         {"systeminfo.txt": dc, "zoomit.txt": zoomit(8080, 389), "sc.txt": stopped,
          "netstat.txt": netstat(listening((389, 224), (636, 224))),
          "tasklist.txt": tasklist(NT4_PROCS)},
         must=[{"rule": "Q250893", "message": ["lsass.exe (PID 224)", "TCP port 389", "LDAP port"],
                "evidence": [("zoomit.txt", "LDAP port"), ("sc.txt", "SERVICE_NAME"), ("netstat.txt", ":389 ")]}])

    case("Q250893-nearmiss-ports-moved",
         "The same domain controller after the article's fix (HTTP 8080, LDAP 390), ZOOMIT Server stopped by hand: "
         "nothing holds its ports.",
         {"systeminfo.txt": dc, "zoomit.txt": zoomit(8080, 390), "sc.txt": stopped,
          "netstat.txt": netstat(listening((389, 224), (636, 224))),
          "tasklist.txt": tasklist(NT4_PROCS)},
         must_not=["Q250893"])


def rpc(case):
    endpoint = "The endpoint cannot be created."
    case("Q217351-w3svc-endpoint",
         "SCM 7023: the World Wide Web Publishing service cannot create an endpoint, and reg query shows an RPC port "
         "range (Rpc\\Internet Ports 5000-5005).  Not the Cluster service, so not Q262832.",
         {"system.csv": event_csv_nt4([("9/14/1999", "2:11:40 PM", "Service Control Manager", "Error", "None", 7023,
                                        "WEB01", scm_7023("World Wide Web Publishing", endpoint).replace("\n", " "))]),
          "rpc.txt": reg_query("SOFTWARE\\Microsoft\\Rpc\\Internet",
                               [("Ports", "REG_MULTI_SZ", "5000-5005"), ("PortsInternetAvailable", "REG_SZ", "Y"),
                                ("UseInternetPorts", "REG_SZ", "Y")])},
         must=[{"rule": "Q217351", "message": ["World Wide Web Publishing service", "5000-5005", "endpoint"],
                "evidence": [("system.csv", ",7023,"), ("rpc.txt", "Ports")]}],
         must_not=["Q262832"])

    case("Q262832-cluster-endpoint",
         "SCM 7023: the Cluster Server service cannot create an endpoint after a network change on the node (Event "
         "Viewer text); no RPC port range: Q262832, not Q217351.",
         {"system.txt": event_block("Service Control Manager", 7023, scm_7023("Cluster Server", endpoint), style="xp",
                                    computer="NODE1")},
         must=[{"rule": "Q262832", "message": ["event 7023", "Cluster Server", "Cluster Datagram Protocol"],
                "evidence": [("system.txt", "Event Type:")]}],
         must_not=["Q217351"])

    case("Q262832-nearmiss-other-error",
         "SCM 7023 for the Cluster Server service because a dependency failed: not the Clusnet binding.",
         {"system.txt": event_block("Service Control Manager", 7023,
                                    scm_7023("Cluster Server", "The dependency service or group failed to start."),
                                    style="xp", computer="NODE1")},
         must_not=["Q262832", "Q217351"])


def tn3270_listen(case):
    closed = "The TN3270E Server has closed the socket which listens for clients"
    opened = "The TN3270E Server has opened a socket to listen for clients"
    case("Q166846-socket-reopened",
         "TN3270 Server 207 (listen socket closed, all sessions busy) then 206 (opened again): clients are reset.",
         {"application.txt": event_block("TN3270 Server", 207, closed, kind="Information", style="xp", computer="SNA01",
                                         time="9:40:02 AM")
                             + "\n" + event_block("TN3270 Server", 206, opened, kind="Information", style="xp",
                                                  computer="SNA01", time="9:52:47 AM")},
         must=[{"rule": "Q166846", "message": ["events 207 and 206", "reset"],
                "evidence": [("application.txt", "206", "Event Type:")]}])

    case("Q166846-nearmiss-closed-only",
         "TN3270 Server 207 only: every session is in use and the option refuses new clients, as it is meant to.",
         {"application.txt": event_block("TN3270 Server", 207, closed, kind="Information", style="xp", computer="SNA01")},
         must_not=["Q166846"])
