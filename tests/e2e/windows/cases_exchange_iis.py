"""Cases of the Exchange and IIS articles added for issue 15 (rules/kb/
Q156054.lua ... Q298933.lua): one bundle where each article's rule fires
and one look-alike where it must not.  make_cases.py calls define() with
itself, so these cases use its Case, helpers and Exchange process table
and are written with the others."""

SCM = "service control manager"

# Insertion strings of the events these cases print that the seed cases
# do not (see make_cases.STRING_SHAPES).  The SCM's follow their published
# templates (rules/knowledge/event_messages.lua); the error text of 7023 is
# kept as text.  For the others no template is published; their strings
# are the parts of the message that vary, or for 4037 and 13002, whose
# quotes vary in nothing, the description as one string.
STRING_SHAPES = [
    (SCM, 7023, r"The (.+?) service terminated with\s+the\s+following\s+error:\s*(.*)", {}),
    (SCM, 7034, r"The (.+?) service terminated unexpectedly\.\s+It\s+has\s+done\s+this\s+(\d+)\s+time", {}),
    ("application popup", 26, r"Application popup: (.+?) : (.+)", {}),
    (None, 4003, r"protocol information\.\s+Error=(\d+)", {}),
    (None, 4018, r"Unable to start the (.+) service because MAPI", {}),
    (None, 4037, r"(An exception has occurred.+)", {}),
    (None, 13002, r"(An attempt to connect an SSL client failed.+)", {}),
    (None, 13003, r"Hr lookup credentials \(\) call failed with error (.+)\.", {}),
]

W3SVC_115 = "Service could not bind instance %d.  The data is the error code."
DATA_10048 = ["0000: 40 27 00 00                 @'..    "]
DATA_10049 = ["0000: 41 27 00 00                 A'..    "]
POPUP = ("Application popup: Dsamain.exe - Entry Point Not Found : The procedure entry point\n"
         "?HrRegisterProtocol@@YGJPAVPROTO@@FJJJKHPAXK@Z could not be located in the dynamic link library Netif.dll.")

IMC_4037 = ("An exception has occurred which was handled internally by the Internet Mail Service. This may have "
            "resulted in a message not being delivered.")
IMC_4018 = "Unable to start the Internet Mail Connector service because MAPI could not be initialized."

def versions(rows):
    return "Path,Version\n" + "".join("C:\\exchsrvr\\bin\\%s,%s\n" % r for r in rows)


def reg_service(control_set, name, display, image_hex):
    return ("[HKEY_LOCAL_MACHINE\\SYSTEM\\%s\\Services\\%s]\n"
            '"Type"=dword:00000010\n"Start"=dword:00000002\n"ErrorControl"=dword:00000001\n'
            '"ImagePath"=hex(2):%s\n"DisplayName"="%s"\n"ObjectName"="LocalSystem"\n\n'
            % (control_set, name, image_hex, display))


def hex2(text):
    """A REG_EXPAND_SZ as regedit 4 writes it: ANSI bytes and a NUL."""
    return ",".join("%02x" % b for b in text.encode("ascii") + b"\0")


def define(mc):
    mc.STRING_SHAPES.extend(STRING_SHAPES)
    case, netstat, tasklist, sc_queryex = mc.case, mc.netstat, mc.tasklist, mc.sc_queryex
    event_block, event_csv_nt4, event_csv_vista = mc.event_block, mc.event_csv_nt4, mc.event_csv_vista
    listeners, an, winmsd, NT4_SP = mc.listeners, mc.an, mc.winmsd, mc.NT4_SP
    EXCH_PROCS, IMC_4020 = mc.EXCH_PROCS, mc.IMC_4020

    # ---- Q156054 / Q278416: SCM 7023 of IIS services -------------------------

    ftp_7023 = event_block("Service Control Manager", 7023,
                           "The FTP Publishing Service service terminated with the\nfollowing error:", computer="WEB351")
    case("Q156054-nt-ftp-server",
         "Windows NT 3.51 with IIS 1.0: SCM 7023 for the FTP Publishing Service with no error text, as the article "
         "quotes it; sc queryex shows Windows NT's own FTP Server (FTPSVC) running.",
         {"system.txt": ftp_7023,
          "sc.txt": sc_queryex([("FTPSVC", "FTP Server", "share", "running", 288, 0),
                                ("MSFTPSVC", "FTP Publishing Service", "share", "stopped", 0, 1066)]),
          "netstat-an.txt": netstat(an(listeners(("TCP", "0.0.0.0:21", "0.0.0.0:0", "LISTENING", None))), pids=False)},
         must=[{"rule": "Q156054", "message": ["FTP Publishing Service", "FTPSVC", "port 21"],
                "evidence": [("system.txt", "Event Source: Service Control Manager", "Event Type"),
                             ("sc.txt", "SERVICE_NAME: FTPSVC")]}])

    case("Q156054-nearmiss-iis75-ftpsvc",
         "The same 7023 on a server where FTPSVC is IIS 7.5's Microsoft FTP Service, not Windows NT's FTP Server: "
         "not this article.",
         {"system.txt": ftp_7023,
          "sc.txt": sc_queryex([("FTPSVC", "Microsoft FTP Service", "share", "running", 1780, 0),
                                ("MSFTPSVC", "FTP Publishing Service", "share", "stopped", 0, 1066)])},
         must_not=["Q156054"], only=False)

    auth = "The %s service terminated with the following error: \nThe authentication service is unknown."
    case("Q278416-no-network-client",
         "Windows 2000 with a modem only: SCM 7023 for the WWW and FTP services with 'The authentication service is "
         "unknown.' (Vista-style CSV export).  One finding per service.",
         {"system.csv": event_csv_vista([
             ("Error", "3/2/2001 9:02:11 AM", "Service Control Manager", 7023, "None",
              auth % "World Wide Web Publishing Service"),
             ("Error", "3/2/2001 9:02:12 AM", "Service Control Manager", 7023, "None", auth % "FTP Publishing Service")])},
         must=[{"rule": "Q278416", "message": ["World Wide Web Publishing Service", "W3SVC", "Client for Microsoft Networks"],
                "evidence": [("system.csv", "World Wide Web")]},
               {"rule": "Q278416", "message": ["FTP Publishing Service", "MSFTPSVC"],
                "evidence": [("system.csv", "FTP Publishing")]}])

    case("Q278416-nearmiss-other-service",
         "1747 from a service that is not IIS's (the RPC Locator), and the WWW service's 7023 with another error: "
         "not this article.",
         {"system.csv": event_csv_vista([
             ("Error", "3/2/2001 9:02:11 AM", "Service Control Manager", 7023, "None",
              auth % "Remote Procedure Call (RPC) Locator"),
             ("Error", "3/2/2001 9:02:12 AM", "Service Control Manager", 7023, "None",
              "The World Wide Web Publishing Service service terminated with the following error: \n"
              "The system cannot find the file specified.")])},
         must_not=["Q278416"], only=False)

    # ---- Q261194 / Q165338 / Q218441 / Q239424 / Q294696: W3SVC --------------

    case("Q261194-proxy-holds-80",
         "W3SVC 115 for the Default Web Site with 10048 in its data; netstat -ano and tasklist name Microsoft Proxy "
         "Server's wspsrv.exe on port 80.",
         {"system.txt": event_block("W3SVC", 115, W3SVC_115 % 1, style="xp", computer="WEB01", data=DATA_10048),
          "netstat.txt": netstat(listeners(("TCP", "0.0.0.0:80", "0.0.0.0:0", "LISTENING", 1288))),
          "tasklist.txt": tasklist([("System", 8, "Console", 0, "212 K"), ("inetinfo.exe", 1520, "Console", 0, "9,820 K"),
                                    ("wspsrv.exe", 1288, "Console", 0, "6,112 K")])},
         must=[{"rule": "Q261194", "message": ["wspsrv.exe (PID 1288)", "TCP port 80", "0x2740"],
                "evidence": [("system.txt", "Event Source:\tW3SVC", "Event Type"), ("netstat.txt", ":80 "),
                             ("tasklist.txt", "wspsrv")]}],
         must_not=["windows-port-in-use"])

    case("Q261194-nearmiss-inetinfo",
         "The same 115 from an earlier start, but inetinfo.exe, the Web service itself, holds port 80 now.",
         {"system.txt": event_block("W3SVC", 115, W3SVC_115 % 1, style="xp", computer="WEB01", data=DATA_10048),
          "netstat.txt": netstat(listeners(("TCP", "0.0.0.0:80", "0.0.0.0:0", "LISTENING", 1520))),
          "tasklist.txt": tasklist([("System", 8, "Console", 0, "212 K"), ("inetinfo.exe", 1520, "Console", 0, "9,820 K")])},
         must_not=["Q261194", "windows-port-in-use", "windows-bind-failure"])

    w3svc_params = "REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\W3SVC\\Parameters]\n" \
                   '"MaxConnections"=dword:000186a0\n"SecurePort"=dword:%08x\n"LogType"=dword:00000001\n'
    case("Q165338-secure-port-80",
         "IIS 3.0: W3SVC 115 with 10048, SecurePort 80 (0x50) in a regedit 4 export of W3SVC\\Parameters, netstat -an "
         "with a listener on 80 and no PID: the SSL binding holds the port, not another program (Q261194 stays "
         "silent).",
         {"events.txt": event_block("W3SVC", 115, W3SVC_115 % 1, style="xp", computer="WEB01", data=DATA_10048),
          "w3svc.reg": w3svc_params % 80,
          "netstat-an.txt": netstat(an(listeners(("TCP", "0.0.0.0:80", "0.0.0.0:0", "LISTENING", None))), pids=False)},
         must=[{"rule": "Q165338", "message": ["port 80", "SecurePort", "W3SVC\\Parameters"],
                "evidence": [("events.txt", "Event Source:\tW3SVC", "Event Type"), ("w3svc.reg", "SecurePort")]}],
         must_not=["Q261194", "windows-port-holder-unseen"])

    case("Q165338-nearmiss-secure-port-443",
         "The same 115, but SecurePort is 443 and Skype.exe holds port 80: another program, Q261194's.",
         {"events.txt": event_block("W3SVC", 115, W3SVC_115 % 1, style="xp", computer="WEB01", data=DATA_10048),
          "w3svc.reg": w3svc_params % 443,
          "netstat-abno.txt": netstat([("TCP", "0.0.0.0:80", "0.0.0.0:0", "LISTENING", 3180, [" [Skype.exe]"]),
                                       ("TCP", "0.0.0.0:135", "0.0.0.0:0", "LISTENING", 688, ["  RpcSs", " [svchost.exe]"])])},
         must=[{"rule": "Q261194", "message": ["Skype.exe (PID 3180)", "TCP port 80", "0x2740"]}],
         must_not=["Q165338"])

    case("Q218441-nt4-sp3-instance-5",
         "IIS 4.0 on Windows NT 4.0 SP3 (winmsd): W3SVC 115 for instance 5, a site other than the default.",
         {"winmsd.txt": winmsd("WEB01", "Server", NT4_SP % 3),
          "system.txt": event_block("W3SVC", 115, W3SVC_115 % 5, style="xp", computer="WEB01")},
         must=[{"rule": "Q218441", "message": ["Service Pack 3", "Schannel", "Service Pack 4"],
                "evidence": [("system.txt", "Event Source:\tW3SVC", "Event Type"),
                             ("winmsd.txt", "Microsoft Diagnostics Report")]}],
         must_not=["windows-bind-failure"])

    case("Q218441-nearmiss-sp6",
         "The same event on Service Pack 6, where Schannel is fixed: the general diagnosis reports it.",
         {"winmsd.txt": winmsd("WEB01", "Server", NT4_SP % 6),
          "system.txt": event_block("W3SVC", 115, W3SVC_115 % 5, style="xp", computer="WEB01")},
         must=[{"rule": "windows-bind-failure", "message": ["WWW service", "event 115"]}],
         must_not=["Q218441"])

    w2k = mc.systeminfo("WEB2K", "Microsoft Windows 2000 Server", "5.0.2195 Service Pack 2 Build 2195",
                        "Member Server", "contoso.local", ["10.0.0.40"])
    case("Q239424-site-address",
         "Windows 2000: W3SVC 115 for a new site (instance 2) with 10049 in its data; systeminfo gives the server's "
         "one address.",
         {"systeminfo.txt": w2k,
          "system.txt": event_block("W3SVC", 115, W3SVC_115 % 2, style="xp", computer="WEB2K", data=DATA_10049)},
         must=[{"rule": "Q239424", "message": ["0x2741", "not bound", "10.0.0.40"],
                "evidence": [("system.txt", "Event Source:\tW3SVC", "Event Type")]}],
         must_not=["windows-address-not-available", "Q217001", "Q218441"])

    case("Q239424-nearmiss-nt4-sp4",
         "The same 10049 on Windows NT 4.0 Service Pack 4: the service pack's known fault (Q217001) explains it first.",
         {"winmsd.txt": winmsd("WEB01", "Server", NT4_SP % 4),
          "system.txt": event_block("W3SVC", 115, W3SVC_115 % 2, style="xp", computer="WEB01", data=DATA_10049)},
         must=[{"rule": "Q217001", "message": ["WWW service", "Service Pack 4"]}],
         must_not=["Q239424"])

    events_reg = "REGEDIT4\n\n" + reg_service("ControlSet001", "EventsSystem", "Windows Event System",
                                              hex2("C:\\winnt\\system32\\..\\..\\Recycler\\events.exe"))
    case("Q294696-recycler-events",
         "Windows NT 4.0 with IIS 4.0: netstat -ano and tasklist show events.exe on port 80; the article's "
         "EventsSystem key is in a regedit 4 export (ControlSet001).  One finding.",
         {"netstat.txt": netstat(listeners(("TCP", "0.0.0.0:80", "0.0.0.0:0", "LISTENING", 1010))),
          "tasklist.txt": tasklist([("System", 8, "Console", 0, "212 K"), ("inetinfo.exe", 1520, "Console", 0, "9,820 K"),
                                    ("events.exe", 1010, "Console", 0, "1,204 K")]),
          "services.reg": events_reg},
         must=[{"rule": "Q294696", "message": ["events.exe (PID 1010)", "TCP port 80", "Recycler"],
                "evidence": [("netstat.txt", ":80 "), ("tasklist.txt", "events.exe")]}],
         must_not=["Q294696-service"])

    case("Q294696-registry-only",
         "Only the registry export: the EventsSystem service runs C:\\Recycler\\events.exe.",
         {"services.reg": events_reg},
         must=[{"rule": "Q294696-service", "message": ["EventsSystem", "Recycler\\events.exe"],
                "evidence": [("services.reg", "EventsSystem")]}])

    case("Q294696-nearmiss-exchange-events",
         "Exchange Server 5.5's own Events.exe (the Event Service, MSExchangeES, in exchsrvr\\bin) runs, and "
         "inetinfo.exe holds port 80: not the planted program.",
         {"netstat.txt": netstat(listeners(("TCP", "0.0.0.0:80", "0.0.0.0:0", "LISTENING", 1520))),
          "tasklist.txt": tasklist(EXCH_PROCS + [("inetinfo.exe", 1520, "Console", 0, "9,820 K"),
                                                 ("events.exe", 1010, "Console", 0, "3,204 K")]),
          "services.reg": "REGEDIT4\n\n" + reg_service("ControlSet001", "MSExchangeES", "Microsoft Exchange Event Service",
                                                       hex2("C:\\exchsrvr\\bin\\events.exe"))},
         must_not=["Q294696", "Q294696-service"])

    # ---- Q231429 / Q280096: Exchange's ports held by other programs ----------

    case("Q231429-smtpsvc-holds-25",
         "sc queryex: the Internet Mail Service runs (msexcimc.exe, PID 1416) and so does the Option Pack SMTP "
         "service in inetinfo.exe (PID 1520), which netstat -ano shows on port 25.",
         {"sc.txt": sc_queryex([("MSExchangeIMC", "Microsoft Exchange Internet Mail Service", "own", "running", 1416, 0),
                                ("SMTPSVC", "Microsoft SMTP Service", "share", "running", 1520, 0),
                                ("W3SVC", "World Wide Web Publishing Service", "share", "running", 1520, 0)]),
          "netstat.txt": netstat(listeners(("TCP", "0.0.0.0:25", "0.0.0.0:0", "LISTENING", 1520),
                                           ("TCP", "0.0.0.0:80", "0.0.0.0:0", "LISTENING", 1520)))},
         must=[{"rule": "Q231429", "message": ["SMTPSVC, PID 1520", "port 25"],
                "evidence": [("sc.txt", "SERVICE_NAME: SMTPSVC"), ("netstat.txt", ":25 ")]}])

    case("Q231429-nearmiss-smtpsvc-stopped",
         "The SMTP service is installed but stopped, and the Internet Mail Service holds port 25 itself.",
         {"sc.txt": sc_queryex([("MSExchangeIMC", "Microsoft Exchange Internet Mail Service", "own", "running", 1416, 0),
                                ("SMTPSVC", "Microsoft SMTP Service", "share", "stopped", 0, 0)]),
          "netstat.txt": netstat(listeners(("TCP", "0.0.0.0:25", "0.0.0.0:0", "LISTENING", 1416)))},
         must_not=["Q231429"])

    case("Q280096-popproxy-holds-110",
         "No events: netstat -ano shows PID 812 on port 110 and tasklist names it Popproxy.exe (the article's "
         "spelling) on the Exchange server.",
         {"netstat.txt": netstat(listeners(("TCP", "0.0.0.0:110", "0.0.0.0:0", "LISTENING", 812),
                                           ("TCP", "0.0.0.0:143", "0.0.0.0:0", "LISTENING", 1304))),
          "tasklist.txt": tasklist(EXCH_PROCS + [("Popproxy.exe", 812, "Console", 0, "2,104 K")])},
         must=[{"rule": "Q280096", "message": ["Popproxy.exe (PID 812)", "TCP port 110"],
                "evidence": [("netstat.txt", ":110 "), ("tasklist.txt", "Popproxy")]}])

    case("Q280096-nearmiss-store-holds-110",
         "Norton's POPROXY.EXE runs, but store.exe holds port 110: the POP3 proxy is not in the way.",
         {"netstat.txt": netstat(listeners(("TCP", "0.0.0.0:110", "0.0.0.0:0", "LISTENING", 1304))),
          "tasklist.txt": tasklist(EXCH_PROCS + [("POPROXY.EXE", 812, "Console", 0, "2,104 K")])},
         must_not=["Q280096"])

    # ---- Q217215 / Q298933 / Q246337: Exchange 5.5 service packs -------------

    popup = event_block("Application Popup", 26, POPUP, kind="Information", style="xp", computer="EXCH01")
    case("Q217215-netif-before-sp2",
         "The Application Popup event of Dsamain.exe's missing entry point, and file versions: Netif.dll 5.5.2232.0 "
         "(SP1), Dsamain.exe 5.5.2448.0 (SP2).",
         {"system.txt": popup,
          "versions.csv": versions([("netif.dll", "5.5.2232.0"), ("dsamain.exe", "5.5.2448.0")])},
         must=[{"rule": "Q217215", "message": ["5.5.2232.0", "Service Pack 2"],
                "evidence": [("system.txt", "Event Source:\tApplication Popup", "Event Type"), ("versions.csv", "netif")]}],
         must_not=["Q298933", "Q298933-no-versions"])

    case("Q298933-sp3-cancelled",
         "The same popup with Netif.dll 5.5.2448.0 (SP2) and Dsamain.exe 5.5.2650.0 (SP3): SP3 was cancelled.",
         {"system.txt": popup,
          "versions.csv": versions([("netif.dll", "5.5.2448.0"), ("dsamain.exe", "5.5.2650.0")])},
         must=[{"rule": "Q298933", "message": ["5.5.2650.0", "5.5.2448.0", "cancelled"],
                "evidence": [("system.txt", "Event Source:\tApplication Popup", "Event Type"), ("versions.csv", "netif"),
                             ("versions.csv", "dsamain")]}],
         must_not=["Q217215", "Q298933-no-versions"])

    case("Q298933-popup-only",
         "Only the popup (Event Viewer CSV): an interrupted service pack, which one the versions would tell.",
         {"system.csv": event_csv_nt4([("6/13/2001", "10:15:22 AM", "Application Popup", "Information", "None", 26,
                                        "EXCH01", POPUP.replace("\n", " "))])},
         must=[{"rule": "Q298933-no-versions", "message": ["Netif.dll", "cancelled or aborted"],
                "evidence": [("system.csv", "Application Popup")]}])

    case("Q298933-nearmiss-reapplied",
         "The popup from before SP3 was run again: Netif.dll is now of Dsamain.exe's own build.",
         {"system.txt": popup,
          "versions.csv": versions([("netif.dll", "5.5.2650.0"), ("dsamain.exe", "5.5.2650.0")])},
         must_not=["Q298933", "Q298933-no-versions", "Q217215"])

    case("Q246337-mdbperf-skipped",
         "File versions after SP3: Dsamain.exe and Store.exe 5.5.2650.21, Mdbperf.dll still 5.5.2448.0.",
         {"versions.csv": versions([("dsamain.exe", "5.5.2650.21"), ("store.exe", "5.5.2650.21"),
                                    ("mdbperf.dll", "5.5.2448.0"), ("mtaperf.dll", "5.5.2650.21")])},
         must=[{"rule": "Q246337", "message": ["mdbperf.dll", "5.5.2448.0", "5.5.2650.21"],
                "evidence": [("versions.csv", "mdbperf"), ("versions.csv", "dsamain")]}])

    case("Q246337-nearmiss-hotfix",
         "A post-SP4 hotfix updated Dsamain.exe to 5.5.2653.12; the DLLs are 5.5.2653.0, the same build.",
         {"versions.csv": versions([("dsamain.exe", "5.5.2653.12"), ("mdbperf.dll", "5.5.2653.0"),
                                    ("edbbcli.dll", "5.5.2653.0")])},
         must_not=["Q246337"])

    # ---- Q268643 / Q262939 / Q168883: the Internet Mail Service --------------

    case("Q268643-4003-11004",
         "MSExchangeIMC 4003 'Error=11004' then 4020 (NT 4.0 comma-delimited Application log).",
         {"application.csv": event_csv_nt4([
             ("6/13/2001", "10:15:22 AM", "MSExchangeIMC", "Error", "Initialization/Termination", 4003, "EXCH01",
              "The following error occurred while trying to retrieve protocol information. Error=11004"),
             ("6/13/2001", "10:15:22 AM", "MSExchangeIMC", "Error", "Initialization/Termination", 4020, "EXCH01", IMC_4020)])},
         must=[{"rule": "Q268643", "message": ["4003", "11004", "Winsock Proxy client"],
                "evidence": [("application.csv", "4003")]}])

    case("Q268643-nearmiss-4007",
         "4007 with 10050 then 4020: Q193928's proxy-client failure, not this article's.",
         {"application.csv": event_csv_nt4([
             ("6/13/2001", "10:15:22 AM", "MSExchangeIMC", "Error", "Initialization/Termination", 4007, "EXCH01",
              "The following error occurred while trying to bind the TCP/IP listener socket (10050)"),
             ("6/13/2001", "10:15:22 AM", "MSExchangeIMC", "Error", "Initialization/Termination", 4020, "EXCH01", IMC_4020)])},
         must=[{"rule": "Q193928"}], must_not=["Q268643"], only=False)

    w2k_dc = mc.systeminfo("EXCH02", "Microsoft Windows 2000 Server", "5.0.2195 Service Pack 1 Build 2195",
                           "Primary Domain Controller", "contoso.local", ["10.0.0.30"])
    case("Q262939-repromoted-dc",
         "Exchange 5.5 on a Windows 2000 domain controller (systeminfo): MSExchangeIMC 4018.",
         {"systeminfo.txt": w2k_dc,
          "application.txt": event_block("MSExchangeIMC", 4018, IMC_4018, style="xp",
                                         category="Initialization/Termination", computer="EXCH02")},
         must=[{"rule": "Q262939", "message": ["EXCH02", "4018", "domain controller"],
                "evidence": [("application.txt", "Event Source:\tMSExchangeIMC", "Event Type"),
                             ("systeminfo.txt", "Host Name:")]}])

    case("Q262939-nearmiss-nt4",
         "The same 4018 on a Windows NT 4.0 member server: not a re-promoted Windows 2000 domain controller.",
         {"winmsd.txt": winmsd("EXCH01", "Server", NT4_SP % 6),
          "application.txt": event_block("MSExchangeIMC", 4018, IMC_4018, style="xp",
                                         category="Initialization/Termination", computer="EXCH01")},
         must_not=["Q262939"])

    case("Q168883-4037-terminated",
         "MSExchangeIMC 4037 in the Application log and the SCM's 7034 for the Internet Mail Service in the System "
         "log (Event Viewer text).",
         {"application.txt": event_block("MSExchangeIMC", 4037, IMC_4037, style="xp", category="Internal Processing"),
          "system.txt": event_block("Service Control Manager", 7034,
                                    "The Microsoft Exchange Internet Mail Service service terminated unexpectedly.  It "
                                    "has done this 1 time(s).", style="xp", time="10:15:30 AM")},
         must=[{"rule": "Q168883", "message": ["4037", "Imcdata"],
                "evidence": [("application.txt", "Event Source:\tMSExchangeIMC", "Event Type")]}])

    case("Q168883-nearmiss-4037-alone",
         "A 4037 alone, and sc queryex shows the Internet Mail Service running: it got past the message.",
         {"application.txt": event_block("MSExchangeIMC", 4037, IMC_4037, style="xp", category="Internal Processing"),
          "sc.txt": sc_queryex([("MSExchangeIMC", "Microsoft Exchange Internet Mail Service", "own", "running", 1416, 0)])},
         must_not=["Q168883"])

    # ---- Q251097: POP3 / IMAP4 over SSL ----------------------------------------

    case("Q251097-imap4-no-certificate",
         "MSExchange IMAP4 Interface 13002 (Event Viewer text) and the user's Outlook Express error on port 993.",
         {"application.txt": event_block("MSExchange IMAP4 Interface", 13002,
                                         "An attempt to connect an SSL client failed because the server does not have a\n"
                                         "valid certificate.", style="xp", category="Authentication"),
          "oe-error.txt": "Your server has unexpectedly terminated the connection. Possible causes for this include\n"
                          "server problems, network problems, or a long period of inactivity. Account: 'exch01',\n"
                          "Server: 'exch01', Protocol: IMAP, Port: 993, Secure(SSL): Yes, Error Number: 0x800CCC0F\n"},
         must=[{"rule": "Q251097", "message": ["MSExchange IMAP4 Interface", "13002", "certificate"],
                "evidence": [("application.txt", "Event Source:\tMSExchange IMAP4", "Event Type")]}])

    case("Q251097-nearmiss-13003",
         "MSExchangePOP3 13003, a logon failure (Q247764): no certificate problem.",
         {"application.txt": event_block("MSExchangePOP3", 13003,
                                         "Hr lookup credentials () call failed with error logon failure. Unknown user "
                                         "name or bad password.", style="xp", category="Authentication")},
         must_not=["Q251097"])
