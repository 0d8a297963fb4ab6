-- Message templates of the events the stock rules read, and the system
-- messages their insertion strings refer to ("%%1053", "%%10048"), for
-- events that arrive with insertion strings but no rendered text: binary
-- .evtx (and .evt) logs, wevtutil XML without RenderingInfo.  kbdiag
-- renders the message from them as it reads each event (before the
-- pre-filter looks at it; facts/windows/events/event_message.c), and the
-- event's `message_from` says which way it was made: "template" (a row
-- below), "insertion strings" (no row: the strings joined with ", "), or
-- "export" (the export's own text).
--
-- Only texts from public documentation, as written there (%n is a line
-- break, as FormatMessage renders it).  Events the rules name that have no
-- published template are not listed, and are matched by their insertion
-- strings: Exchange 5.5's 11506/11508 (IMAP4/NNTP/POP3), MSExchangeIS 1194,
-- MSExchangeDS 1306/1309 and MSExchangeIMC 4007/4020 (the KB articles quote
-- the rendered text only), and IIS's SMTPSVC/W3SVC/MSFTPSVC/NNTPSVC 115
-- (quoted rendered, "The service could not bind instance 1.  The data is
-- the error code.", by Q228475 and Microsoft's IIS pages).

kind "event_message" { source = "string", id = "integer", template = "string" }

local function scm(id, template)
  return { source = "Service Control Manager", id = id, template = template }
end

facts "event_message" {
  -- Service Control Manager (System log), Windows Vista and later: the
  -- message table of services.exe, as Microsoft documents the events in
  -- its Windows Server 2008 "Events and Errors" pages for the Service
  -- Control Manager ("Service Start Operations": 7000, 7001, 7009;
  -- "Service Stop Operations": 7023, 7031, 7034) and KB 133010 for 7023
  -- ("<name of your service> terminated with the following error:
  -- <description of the error>").
  scm(7000, "The %1 service failed to start due to the following error: %n%2"),
  scm(7001, "The %1 service depends on the %2 service which failed to start because of the following error: %n%3"),
  scm(7009, "A timeout was reached (%1 milliseconds) while waiting for the %2 service to connect."),
  scm(7023, "The %1 service terminated with the following error: %n%2"),
  scm(7031, "The %1 service terminated unexpectedly.  It has done this %2 time(s).  The following corrective action will be taken in %3 milliseconds: %5."),
  scm(7034, "The %1 service terminated unexpectedly.  It has done this %2 time(s)."),
}

-- The Windows NT 4.0 DNS Server's socket events, as KB Q199286 ("DNS Event
-- IDs 1 Through 1657 for Windows NT 4.0 SP4") publishes their texts.
facts "event_message" {
  { source = "DNS", id = 404, template = "DNS Server could not bind a TCP socket to address %1. The data is the error. "
      .. "Note that an IP address of 0.0.0.0 indicates a socket that will use all IP addresses available on this "
      .. "computer. That is a valid configuration." },
  { source = "DNS", id = 407, template = "DNS Server could not bind a datagram (UDP) socket to %1. The data is the error." },
  { source = "DNS", id = 408, template = "DNS Server could not open socket for address %1. Verify that this is a valid "
      .. "IP address on this computer. If it is NOT valid, use the Interfaces dialog box under Server Properties in the "
      .. "DNS Manager to remove it from the list of IP interfaces. Then stop and restart the DNS server. (If this was the "
      .. "only IP interface on this computer, the DNS server may not have started as a result of this error. In that "
      .. "case, remove the DNS\\Parmeters\\ListenAddress value in the services section of the registry and restart.) If "
      .. "this is a valid IP address for this computer, make sure that no other application (for example, another DNS "
      .. "server) is running that would attempt to use the DNS port." },
}

-- System messages (FormatMessage's FORMAT_MESSAGE_FROM_SYSTEM text) that
-- event insertion strings refer to as "%%code": Microsoft's "System Error
-- Codes (1000-1299)" and "System Error Codes (9000-11999)"
-- (learn.microsoft.com/windows/win32/debug/system-error-codes--1000-1299,
-- --9000-11999) and "Windows Sockets Error Codes" (winsock2 docs).
kind "system_message" { code = "integer", text = "string" }

facts "system_message" {
  { code = 1053,  text = "The service did not respond to the start or control request in a timely fashion." },
  { code = 1058,  text = "The service cannot be started, either because it is disabled or because it has no enabled devices associated with it." },
  { code = 1068,  text = "The dependency service or group failed to start." },
  { code = 1069,  text = "The service did not start due to a logon failure." },
  { code = 10013, text = "An attempt was made to access a socket in a way forbidden by its access permissions." },
  { code = 10048, text = "Only one usage of each socket address (protocol/network address/port) is normally permitted." },
  { code = 10049, text = "The requested address is not valid in its context." },
  { code = 10050, text = "A socket operation encountered a dead network." },
  { code = 10061, text = "No connection could be made because the target machine actively refused it." },
}

-- The errors of the Service Control Manager events the Windows NT service
-- articles quote (Q170135, Q317140, Q217351, Q262832): "System Error
-- Codes (0-499)" and "(1700-3999)" on the same site.  Windows NT 4.0
-- worded 52 "A duplicate name exists on the network." (Q317140 quotes
-- it); this is the text Microsoft publishes now.
facts "system_message" {
  { code = 31,    text = "A device attached to the system is not functioning." },
  { code = 52,    text = "You were not connected because a duplicate name exists on the network. If joining a domain, go to System in Control Panel to change the computer name and try again." },
  { code = 1720,  text = "The endpoint cannot be created." },
}
