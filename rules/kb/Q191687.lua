-- Q191687 XIMS: Outlook Express POP3, Error 0x800ccc0e, Socket Err 10061.
-- "The connection to the server has failed. ... Protocol: POP3, Port: 110,
-- Secure(SSL): NO, Socket error: 10061, Error Number: 0x800ccc0e": the
-- server refused the connection (WSAECONNREFUSED), because nothing listens
-- on the port: the information store (POP3 110, IMAP4 143, NNTP 119) or
-- the Internet Mail Service (SMTP 25) is not running or has the protocol
-- off; or a proxy between client and server blocks the port; or another
-- program (antivirus) moved it.  The socket error has no slot of its own
-- (facts/windows/events/mail_error.c): it is read from the message.  Another socket
-- error (10060, a timeout; 11001, no such host) is not this article.
-- What the server's listing shows decides which finding: the port closed,
-- the port open (then the block is between), no listing, or a Windows NT
-- 4.0 listing from before Service Pack 3, which never shows listening
-- sockets (KB Q134404) and so proves nothing.

-- Which service opens each port (the article's WORKAROUND).
local opener = {
  POP3 = "the information store (Microsoft Exchange Information Store service)",
  IMAP = "the information store (Microsoft Exchange Information Store service)",
  NNTP = "the information store (Microsoft Exchange Information Store service)",
  SMTP = "the Internet Mail Service",
}

local refused = "[Ss]ocket [Ee]rror:?%s*10061"

local function said(m)
  return "Clients cannot connect to " .. (m.server or "the server") .. " on port " .. m.port .. " for " .. m.proto
    .. " (0x800CCC0E, socket error 10061: connection refused)"
end

local function opens(m)
  return opener[m.proto] or "the service for " .. m.proto
end

-- The service's state, when sc or tasklist /svc says it.
local function state_of(proto)
  local key = proto == "SMTP" and "msexchangeimc" or "msexchangeis"
  for _, s in ipairs(kb.facts("service")) do
    if (s.name or ""):lower() == key then return " (" .. s.name .. " is " .. (s.state or "listed") .. ")" end
  end
  return ""
end

local remedy = "Start the service that opens the port and check that the protocol is enabled (Q161118 for POP3, "
  .. "Q153119 for SMTP on port 25); make sure no proxy or firewall between the clients and the server blocks the "
  .. "port, and that no other application (antivirus software) took or moved it: disable non-essential services, "
  .. "antivirus included, and restart the server."

local old_nt = { os_version = one_of { "3.5", "3.51", "4.0" }, service_pack = lt(3) }

-- The server's listing has no listener on the port.
rule "Q191687" {
  article = "Q191687",
  title = "Mail clients are refused because nothing listens on the server's mail port",
  severity = "error",
  products = { "Exchange Server 5.0", "Exchange Server 5.5", "Outlook 97", "Outlook 98", "Outlook 2000 SR-1" },
  when = {
    client_error { error_number = 0x800CCC0E, message = match(refused), protocol = "?proto", port = { "?port", gt(0) },
                   server = "?server" },
    exists(listener {}),
    no(listener { protocol = "tcp", port = "?port" }),
    no(host(old_nt)),
  },
  diagnose = function(m)
    return said(m) .. ": the server's netstat listing shows nothing listening on TCP port " .. m.port .. ", so "
      .. opens(m) .. " is not running or does not listen for " .. m.proto .. state_of(m.proto) .. "."
  end,
  remedy = remedy,
}

-- The server listens: the refusal comes from something in between.
rule "Q191687-port-open" {
  article = "Q191687",
  title = "Mail clients are refused though the server listens on the mail port",
  severity = "warning",
  products = { "Exchange Server 5.0", "Exchange Server 5.5", "Outlook 97", "Outlook 98", "Outlook 2000 SR-1" },
  when = {
    client_error { error_number = 0x800CCC0E, message = match(refused), protocol = "?proto", port = { "?port", gt(0) },
                   server = "?server" },
    listener { protocol = "tcp", port = "?port" },
  },
  diagnose = function(m)
    return said(m) .. ", yet the server's netstat listing shows TCP port " .. m.port .. " listening: a proxy server "
      .. "or firewall between the clients and the server blocks the port, or the clients connect to another computer."
  end,
  remedy = "Check the proxy server or firewall between the clients and the server (Q148732, Q176466) and the "
    .. "server name in the clients' account settings; telnet to port ?port of the server from a client to test.",
}

-- Windows NT 4.0 before Service Pack 3: netstat shows no listening sockets
-- at all, so their absence says nothing.
rule "Q191687-listing-blind" {
  article = "Q191687",
  title = "Mail clients are refused; the server's netstat cannot show whether the port is open",
  severity = "warning",
  products = { "Exchange Server 5.0", "Exchange Server 5.5", "Outlook 97", "Outlook 98", "Outlook 2000 SR-1" },
  when = {
    client_error { error_number = 0x800CCC0E, message = match(refused), protocol = "?proto", port = { "?port", gt(0) },
                   server = "?server" },
    host { os_version = one_of { "3.5", "3.51", "4.0" }, service_pack = { "?sp", lt(3) } },
    no(listener { protocol = "tcp", port = "?port" }),
  },
  diagnose = function(m)
    return said(m) .. ". The server runs Windows NT 4.0 " .. (m.sp == 0 and "without a service pack" or "Service Pack " .. m.sp)
      .. ", whose netstat does not list listening sockets (KB Q134404): the missing port " .. m.port .. " in its "
      .. "listing proves nothing. Whether " .. opens(m) .. " runs decides" .. state_of(m.proto) .. "."
  end,
  remedy = function(m)
    return "Check on the server that " .. opens(m) .. " is running (Services, or winmsd), and telnet to port "
      .. m.port .. " from the server itself. " .. remedy
  end,
}

-- No listing from the server at all.
rule "Q191687-unlisted" {
  article = "Q191687",
  title = "Mail clients are refused on the server's mail port",
  severity = "error",
  products = { "Exchange Server 5.0", "Exchange Server 5.5", "Outlook 97", "Outlook 98", "Outlook 2000 SR-1" },
  when = {
    client_error { error_number = 0x800CCC0E, message = match(refused), protocol = "?proto", port = { "?port", gt(0) },
                   server = "?server" },
    no(listener {}),
    no(connection {}),
  },
  diagnose = function(m)
    return said(m) .. ": nothing accepts connections on that port, so " .. opens(m) .. " is not running or does "
      .. "not listen for " .. m.proto .. state_of(m.proto) .. ", or something between blocks the port."
  end,
  remedy = function(m)
    return "On the server, run netstat -an and look for a line ending in :" .. m.port .. " in LISTENING state. "
      .. remedy
  end,
}
