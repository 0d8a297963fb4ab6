"""The events of the generated logs: what a busy Exchange 5.5 server
writes to its System and Application logs, and the POP3 failure of KB
Q271275 that the benchmark must find among them.  The system's events and
tools are Windows Server 2003's (netstat -ano and tasklist /svc came with
XP and 2003; the stock Q271275 tests pair them with Exchange 5.5's events
the same way).

Each Template is one event (source, ID, level, category) with one or more
variants of its description; the generator picks variants by weight, so
the common events (the Service Control Manager's state changes, the time
service, the Exchange store's housekeeping) dominate as they do in real
logs.  The descriptions follow the messages as KB articles and public
forum posts quote them; a few of Exchange 5.5's housekeeping messages
(MSExchangeIS Private/Public 1206/1207, MSExchangeMTA 9298, MSExchangeES
5) are paraphrased.  None of the routine events is one the stock rules
read as a bind failure or a service start failure
(rules/knowledge/event_sources.lua): no 11506/11508, 1306/1309, 4007, 115,
7000 or 7009, and no Winsock code in a description.

Level numbers are the winmeta.xml ones (2 error, 3 warning, 4
information).  Qualifiers are the upper half of the classic 32-bit event
identifier: its severity bits, 0x4000/0x8000/0xC000; EventLog's own events
carry 0x8000 whatever their level, as on real hosts.
"""
from collections import namedtuple

SYSTEM, APPLICATION = "System", "Application"
LEVEL_WORD = {2: "Error", 3: "Warning", 4: "Information"}
SEVERITY_QUALIFIERS = {2: 49152, 3: 32768, 4: 16384}
CLASSIC = "0x80000000000000"

# The host, and MDaemon, a mail server of its own installed on it later:
# it took port 110.
COMPUTER = "EXCH01"
DOMAIN = "contoso.com"
HOLDER_IMAGE, HOLDER_PID, HOLDER_SERVICE = "MDaemon.exe", 1936, "MDaemon"
SYSTEM_SID = "S-1-5-18"


class Template(namedtuple("Template", "log source event_id level category task weight "
                                      "variants data user provider qualifiers keywords")):
    """variants: [(description, [event data strings])]; data: bytes of the
    event's binary data or None; provider: extra XML attributes of
    <Provider> for manifest-era sources (None: Name only)."""


def template(log, source, event_id, level, category, task, weight, variants, data=None,
             user=None, provider=None, qualifiers=None, keywords=CLASSIC):
    if isinstance(variants, str):
        variants = [(variants, [])]
    return Template(log, source, event_id, level, category, task, weight, variants, data, user,
                    provider, qualifiers if qualifiers is not None else SEVERITY_QUALIFIERS[level],
                    keywords)


# Services as the SCM names them: (display name, service key).
SERVICES = [
    ("Application Experience Lookup Service", "AeLookupSvc"),
    ("Background Intelligent Transfer Service", "BITS"),
    ("Computer Browser", "Browser"),
    ("Distributed Transaction Coordinator", "MSDTC"),
    ("Microsoft Exchange Directory", "MSExchangeDS"),
    ("Microsoft Exchange Event Service", "MSExchangeES"),
    ("Microsoft Exchange Information Store", "MSExchangeIS"),
    ("Microsoft Exchange Message Transfer Agent", "MSExchangeMTA"),
    ("Microsoft Exchange System Attendant", "MSExchangeSA"),
    ("Network Location Awareness (NLA)", "Nla"),
    ("Performance Logs and Alerts", "SysmonLog"),
    ("Print Spooler", "Spooler"),
    ("Remote Registry", "RemoteRegistry"),
    ("SNMP Service", "SNMP"),
    ("Windows Installer", "MSIServer"),
    ("Windows Management Instrumentation Driver Extensions", "Wmi"),
    ("WinHTTP Web Proxy Auto-Discovery Service", "WinHttpAutoProxySvc"),
    ("WMI Performance Adapter", "WmiApSrv"),
]

SCM_PROVIDER = (" Guid='{555908d1-a6d7-4695-8e1e-26931d2012f4}'"
                " EventSourceName='Service Control Manager'")
DCOM_PROVIDER = (" Guid='{1B562E86-B7AA-4131-BADC-B6F3A001407E}'"
                 " EventSourceName='DCOM'")

PRIV_EDB = r"C:\exchsrvr\MDBDATA\PRIV.EDB"
PUB_EDB = r"C:\exchsrvr\MDBDATA\PUB.EDB"
USERS = ["jdoe", "asmith", "bwong", "mgarcia", "tnguyen", "kpatel", "svc-backup"]


def _scm():
    state = [(f"The {name} service entered the {s} state.", [name, s])
             for name, _ in SERVICES for s in ("running", "stopped")]
    control = [(f"The {name} service was successfully sent a {c} control.", [name, c])
               for name, _ in SERVICES for c in ("start", "stop")]
    crash = [(f"The {name} service terminated unexpectedly.  It has done this {n} time(s).  "
              f"The following corrective action will be taken in 60000 milliseconds: "
              f"Restart the service.", [name, str(n), "60000", "1", "Restart the service"])
             for name, _ in SERVICES[:6] for n in (1, 2)]
    kw = "0x8080000000000000"
    return [
        template(SYSTEM, "Service Control Manager", 7036, 4, "None", 0, 260, state,
                 provider=SCM_PROVIDER, keywords=kw),
        template(SYSTEM, "Service Control Manager", 7035, 4, "None", 0, 110, control,
                 provider=SCM_PROVIDER, keywords=kw, user=SYSTEM_SID),
        template(SYSTEM, "Service Control Manager", 7031, 2, "None", 0, 2, crash,
                 provider=SCM_PROVIDER, keywords=kw),
    ]


def _system():
    uptime = [(f"The system uptime is {s} seconds.", [str(s)])
              for s in (86467, 172858, 259301, 345712, 432109, 518496, 604911)]
    return [
        template(SYSTEM, "EventLog", 6005, 4, "None", 0, 3, "The Event log service was started.",
                 qualifiers=32768),
        template(SYSTEM, "EventLog", 6006, 4, "None", 0, 3, "The Event log service was stopped.",
                 qualifiers=32768),
        template(SYSTEM, "EventLog", 6009, 4, "None", 0, 3,
                 [("Microsoft (R) Windows (R) 5.02. 3790 Service Pack 2 Multiprocessor Free.",
                   ["5.02.", "3790", "Service Pack 2", "Multiprocessor Free"])], qualifiers=32768),
        template(SYSTEM, "EventLog", 6013, 4, "None", 0, 8, uptime, qualifiers=32768),
        template(SYSTEM, "Tcpip", 4201, 4, "None", 0, 4,
                 "The system detected that network adapter Intel(R) PRO/1000 MT Network Connection "
                 "was connected to the network, and has initiated normal operation over the "
                 "network adapter."),
        template(SYSTEM, "Tcpip", 4226, 3, "None", 0, 3,
                 "TCP/IP has reached the security limit imposed on the number of concurrent TCP "
                 "connect attempts."),
        template(SYSTEM, "W32Time", 35, 4, "None", 0, 40,
                 "The time service is now synchronizing the system time with the time source "
                 "DC01.contoso.com."),
        template(SYSTEM, "W32Time", 37, 4, "None", 0, 30,
                 "The time provider NtpClient is currently receiving valid time data from "
                 "DC01.contoso.com (ntp.d|10.0.0.20:123->10.0.0.10:123)."),
        template(SYSTEM, "W32Time", 36, 3, "None", 0, 3,
                 "The time service has not synchronized the system time for 49152 seconds because "
                 "none of the time service providers provided a usable time stamp. The time "
                 "service will not update the local system time until it is able to synchronize "
                 "with a time source. If the local system is configured to act as a time server "
                 "for clients, it will stop advertising as a time source to clients. The time "
                 "service will continue to retry and sync time with its time sources. Check "
                 "system event log for other W32time events for more details. Run 'w32tm /resync' "
                 "to force an instant time synchronization."),
        template(SYSTEM, "DCOM", 10016, 2, "None", 0, 25,
                 "The application-specific permission settings do not grant Local Activation "
                 "permission for the COM Server application with CLSID \n"
                 "{555F3418-D99E-4E51-800A-6E89CFD8B1D7}\n"
                 " to the user NT AUTHORITY\\NETWORK SERVICE SID (S-1-5-20).  This security "
                 "permission can be modified using the Component Services administrative tool.",
                 provider=DCOM_PROVIDER, user="S-1-5-20"),
        template(SYSTEM, "DCOM", 10010, 2, "None", 0, 4,
                 "The server {9BA05972-F6A8-11CF-A442-00A0C90A8F39} did not register with DCOM "
                 "within the required timeout.", provider=DCOM_PROVIDER),
        template(SYSTEM, "Application Popup", 26, 4, "None", 0, 3,
                 "Application popup: Windows - Virtual Memory Minimum Too Low : Your system is low "
                 "on virtual memory. Windows is increasing the size of your virtual memory paging "
                 "file. During this process, memory requests for some applications may be denied. "
                 "For more information, see Help."),
        template(SYSTEM, "Srv", 2019, 2, "None", 0, 3,
                 "The server was unable to allocate from the system nonpaged pool because the pool "
                 "was empty.", data=bytes.fromhex("0000000001005400000000001ee30000"
                                                  "00000000000000000000000000000000")),
        template(SYSTEM, "Srv", 2012, 3, "None", 0, 5,
                 "While transmitting or receiving data, the server encountered a network error. "
                 "Occassional errors are expected, but large amounts of these indicate a possible "
                 "error in your network configuration.  The error status code is contained within "
                 "the returned data (formatted as Words) and may point you towards the problem.",
                 data=bytes.fromhex("0000000002005400000000000ed3008000000000c00000c0"
                                    "00000000000000000000000000000000")),
        template(SYSTEM, "NETLOGON", 5719, 2, "None", 0, 4,
                 "This computer was not able to set up a secure session with a domain controller "
                 "in domain CONTOSO due to the following: \n"
                 "There are currently no logon servers available to service the logon request. \n"
                 "This may lead to authentication problems. Make sure that this computer is "
                 "connected to the network. If the problem persists, please contact your domain "
                 "administrator.",
                 data=bytes.fromhex("5e0000c0")),
        template(SYSTEM, "Browser", 8033, 4, "None", 0, 4,
                 [(f"The browser has forced an election on network \\Device\\NetBT_Tcpip_{guid} "
                   f"because a master browser was stopped.", [f"\\Device\\NetBT_Tcpip_{guid}"])
                  for guid in ("{8A2F4C1B-3D0E-4F6A-9B7C-2E1D0F3A4B5C}",)]),
        template(SYSTEM, "Browser", 8021, 3, "None", 0, 3,
                 "The browser was unable to retrieve a list of servers from the browser master "
                 "\\\\DC01 on the network \\Device\\NetBT_Tcpip_{8A2F4C1B-3D0E-4F6A-9B7C-2E1D0F3A4B5C}. "
                 "The data is the error code.", data=bytes.fromhex("35000000")),
        template(SYSTEM, "LsaSrv", 40960, 3, "SPNEGO (Negotiator)", 3, 3,
                 "The Security System detected an authentication error for the server "
                 "cifs/DC01.contoso.com.  The failure code from authentication protocol Kerberos "
                 "was \"There are currently no logon servers available to service the logon "
                 "request.\n (0xc000005e)\"."),
        template(SYSTEM, "MRxSmb", 3019, 3, "None", 0, 3,
                 "The redirector failed to connect to the server.",
                 data=bytes.fromhex("00000000030054000000000000bb00000ed30080")),
        template(SYSTEM, "Disk", 51, 3, "None", 0, 2,
                 "An error was detected on device \\Device\\Harddisk1\\D during a paging operation.",
                 data=bytes.fromhex("0301680001000000000000003300048000000000000000000000000000000000")),
        template(SYSTEM, "Print", 10, 4, "None", 0, 12,
                 [(f"Document {n}, {doc} owned by {u} was printed on HP LaserJet 4050 PCL 6 via "
                   f"port IP_10.0.0.60.  Size in bytes: {size}; pages printed: {pages}",
                   [str(n), doc, u, "HP LaserJet 4050 PCL 6", "IP_10.0.0.60", str(size), str(pages)])
                  for n, doc, u, size, pages in (
                      (12, "Microsoft Word - Q3 report.doc", "jdoe", 184320, 6),
                      (47, "Inbox - Microsoft Outlook", "asmith", 20480, 1),
                      (203, "Microsoft Excel - budget.xls", "mgarcia", 96256, 3))],
                 user=SYSTEM_SID),
        template(SYSTEM, "DnsApi", 11165, 3, "None", 0, 2,
                 "The system failed to register host (A) resource records (RRs) for network "
                 "adapter\nwith settings:\n\n"
                 "           Adapter Name : {6A9C1E62-5B1D-4E64-A2C5-0B6C9E0F7D21}\n"
                 "           Host Name : exch01\n"
                 "           Primary Domain Suffix : contoso.com\n"
                 "           DNS server list :\n"
                 "             10.0.0.10, 10.0.0.11\n"
                 "           Sent update to server : <?>\n"
                 "           IP Address(es) :\n"
                 "             10.0.0.20\n\n"
                 "The reason the system could not register these RRs was because the update "
                 "request it sent to the DNS server timed out. The most likely cause of this is "
                 "that the DNS server authoritative for the name it was attempting to register or "
                 "update is not running at this time.\n\n"
                 "You can manually retry DNS registration of the network adapter and its settings "
                 "by typing \"ipconfig /registerdns\" at the command prompt. If problems still "
                 "persist, contact your DNS server or network systems administrator."),
        template(SYSTEM, "NetBT", 4319, 3, "None", 0, 2,
                 "A duplicate name has been detected on the TCP network.  The IP address of the "
                 "machine that sent the message is in the data. Use nbtstat -n in a command window "
                 "to see which name is in the Conflict state.",
                 data=bytes.fromhex("000000000400560000000000df1000c0010100000000000000000000"
                                    "0000000000000000000000000a000033")),
        template(SYSTEM, "Kerberos", 4, 2, "None", 0, 2,
                 "The kerberos client received a KRB_AP_ERR_MODIFIED error from the server "
                 "host/fs02.contoso.com.  The target name used was cifs/fs02.contoso.com. This "
                 "indicates that the password used to encrypt the kerberos service ticket is "
                 "different than that on the target server. Commonly, this is due to identically "
                 "named  machine accounts in the target realm (CONTOSO.COM), and the client realm. "
                 "  Please contact your system administrator."),
    ]


def _application():
    logoff = [(f"Windows saved user CONTOSO\\{u} registry while an application or service was "
               f"still using the registry during log off. The memory used by the user's registry "
               f"has not been freed. The registry will be unloaded when it is no longer in use. \n\n"
               f" This is often caused by services running as a user account, try configuring the "
               f"services to run in either the LocalService or NetworkService account.", [])
              for u in USERS]
    defrag = [(f"Online defragmentation is beginning a full pass on database '{db}'.", [db])
              for db in (PRIV_EDB, PUB_EDB)]
    defrag_done = [(f"Online defragmentation has completed a full pass on database '{db}'.", [db])
                   for db in (PRIV_EDB, PUB_EDB)]
    free_space = [(f"The database has {mb} megabytes of free space after online defragmentation "
                   f"has terminated.", [str(mb)]) for mb in (12, 37, 164, 412)]
    expired = [(f"Starting to remove expired messages from {store}.", [store])
               for store in ("the private information store", "the public information store")]
    msi = [(f"Product: {p} -- Installation completed successfully.", [p])
           for p in ("Microsoft Exchange 5.5 Service Pack 4", "Windows Server 2003 Service Pack 2",
                     "Microsoft Baseline Security Analyzer 2.1")]
    perflib = [(f"The Open Procedure for service \"{s}\" in DLL \"{dll}\" failed. Performance data "
                f"for this service will not be available. Status code returned is data DWORD 0.",
                [s, dll])
               for s, dll in (("BITS", r"C:\WINDOWS\system32\bitsperf.dll"),
                              ("MSExchangeIS", r"C:\exchsrvr\bin\mdbperf.dll"))]
    crashes = [(f"Faulting application {app}, version {v}, faulting module {mod}, version {mv}, "
                f"fault address {addr}.", [app, v, mod, mv, addr])
               for app, v, mod, mv, addr in (
                   ("mmc.exe", "5.2.3790.3959", "ntdll.dll", "5.2.3790.4455", "0x00017f2c"),
                   ("admin.exe", "5.5.2653.12", "comctl32.dll", "5.82.3790.4770", "0x0000a6b1"))]
    return [
        template(APPLICATION, "Userenv", 1517, 3, "None", 0, 12, logoff, user=SYSTEM_SID),
        template(APPLICATION, "Userenv", 1030, 2, "None", 0, 3,
                 "Windows cannot query for the list of Group Policy objects. Check the event log "
                 "for possible messages previously logged by the policy engine that describes the "
                 "reason for this.", user=SYSTEM_SID),
        template(APPLICATION, "Userenv", 1058, 2, "None", 0, 2,
                 "Windows cannot access the file gpt.ini for GPO "
                 "CN={31B2F340-016D-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=contoso,DC=com. "
                 "The file must be present at the location "
                 "<\\\\contoso.com\\sysvol\\contoso.com\\Policies\\{31B2F340-016D-11D2-945F-00C04FB984F9}"
                 "\\gpt.ini>. (The network path was not found. ). Group Policy processing aborted.",
                 user=SYSTEM_SID),
        template(APPLICATION, "SceCli", 1704, 4, "None", 0, 8,
                 "Security policy in the Group policy objects has been applied successfully."),
        template(APPLICATION, "AutoEnrollment", 15, 3, "None", 0, 2,
                 "Automatic certificate enrollment for local system failed to contact the active "
                 "directory (0x8007054b).  The specified domain either does not exist or could not "
                 "be contacted.\n  Enrollment will not be performed."),
        template(APPLICATION, "MSExchangeIS", 1000, 4, "General", 6, 2,
                 "Microsoft Exchange Server Information Store starting."),
        template(APPLICATION, "MSExchangeIS Private", 1206, 4, "General", 6, 24, expired[:1]),
        template(APPLICATION, "MSExchangeIS Private", 1207, 4, "General", 6, 24,
                 "Completed removing expired messages from the private information store."),
        template(APPLICATION, "MSExchangeIS Public", 1206, 4, "General", 6, 16, expired[1:]),
        template(APPLICATION, "MSExchangeIS Private", 1221, 4, "General", 6, 10, free_space),
        template(APPLICATION, "MSExchangeIS Public", 1221, 4, "General", 6, 6, free_space),
        template(APPLICATION, "ESE97", 700, 4, "Online Defragmentation", 10, 10, defrag),
        template(APPLICATION, "ESE97", 701, 4, "Online Defragmentation", 10, 10, defrag_done),
        template(APPLICATION, "MSExchangeSA", 9095, 4, "MAD Monitoring", 2, 6,
                 "The MAD Monitoring thread was initialized for user CONTOSO\\exchsvc."),
        template(APPLICATION, "MSExchangeMTA", 9298, 4, "Interface", 3, 4,
                 "The MTA successfully bound to the directory. The MTA is running."),
        template(APPLICATION, "MSExchangeES", 5, 4, "General", 1, 3,
                 "Microsoft Exchange Event Service started successfully."),
        template(APPLICATION, "SNMP", 1001, 4, "None", 0, 3,
                 "The SNMP Service has started successfully."),
        template(APPLICATION, "WinMgmt", 63, 3, "None", 0, 3,
                 "A provider, Rsop Planning Mode Provider, has been registered in the WMI namespace, "
                 "root\\RSOP, to use the LocalSystem account. This account is privileged and the "
                 "provider may cause a security violation if it does not correctly impersonate user "
                 "requests."),
        template(APPLICATION, "Perflib", 1008, 2, "None", 0, 2, perflib,
                 data=bytes.fromhex("02000000")),
        template(APPLICATION, "MsiInstaller", 11707, 4, "None", 0, 2, msi, user=SYSTEM_SID),
        template(APPLICATION, "VSS", 8224, 4, "None", 0, 6,
                 "The VSS service is shutting down due to idle timeout."),
        template(APPLICATION, "Application Error", 1000, 2, "(100)", 100, 2, crashes),
        template(APPLICATION, "Application Hang", 1002, 2, "(101)", 101, 1,
                 "Hanging application MMC.EXE, version 5.2.3790.3959, hang module hungapp, "
                 "version 0.0.0.0, hang address 0x00000000."),
        template(APPLICATION, "LoadPerf", 1000, 4, "None", 0, 1,
                 "Performance counters for the RemoteAccess (Routing and Remote Access) service "
                 "were loaded successfully. The Record Data in the data section contains the new "
                 "index values assigned to this service.",
                 data=bytes.fromhex("7a1a00007b1a00007e1a00007f1a0000")),
        template(APPLICATION, "MSDTC", 4097, 4, "SVC", 2, 2,
                 "MS DTC started with the following settings:\n"
                 " Security Configuration (OFF = 0 and ON = 1):\n"
                 " Network Administration of Transactions = 0,\n"
                 " Network Clients = 0,\n"
                 " Inbound Distributed Transactions using Native MSDTC Protocol = 0,\n"
                 " Outbound Distributed Transactions using Native MSDTC Protocol = 0,\n"
                 " Transaction Internet Protocol (TIP) = 0,\n"
                 " XA Transactions = 0"),
        template(APPLICATION, "Windows Update Agent", 19, 4, "Installation", 1, 1,
                 "Installation Successful: Windows successfully installed the following update: "
                 "Security Update for Windows Server 2003 (KB958644)"),
        template(APPLICATION, "W3SVC", 1074, 3, "None", 0, 2,
                 "A worker process with process id of '2392' serving application pool "
                 "'DefaultAppPool' has requested a recycle because the worker process reached its "
                 "allowed processing time limit."),
    ]


def routine_templates():
    return _scm() + _system() + _application()


# The failure KB Q271275 describes, as the article and the stock rule tests
# (rules/kb/tests/Q271275-*) quote it, and the store's companion event.
POP3_FAILURE = template(
    APPLICATION, "MSExchange Pop3 Interface", 11508, 2, "Configuration", 2, 0,
    [("Accept clients on POP3 interface failed in function HrRegisterProtocol with error 0x2740.",
      ["POP3", "HrRegisterProtocol", "0x2740"])])
POP3_COMPANION = template(
    APPLICATION, "MSExchangeIS", 1194, 2, "General", 6, 0,
    [("Accept clients on external interface POP3 failed with error 0x80004005.",
      ["POP3", "0x80004005"])])

# Where the failures fall, as fractions of the log (in time order): four
# store restarts spread through it, each logging the failure and its
# companion one after the other.
FAILURE_POSITIONS = (0.12, 0.37, 0.63, 0.88)
