-- Q193928 XCON: Internet Mail Service Won't Start - Event ID 4007 & 4020.
-- Event 4007 "... bind the TCP/IP listener socket (10050)" (WSAENETDOWN),
-- then 4020: the Exchange computer is a Microsoft Proxy client and the
-- proxy is misconfigured.  Scenario A: Mspclnt.ini names the proxy server
-- by NetBIOS name; B: another firewall with the Proxy client enabled; C:
-- the Option Pack's SMTP service runs on the Proxy 2 server; D: the proxy
-- server's name does not resolve.  10048 in the same event is Q222553's.

local scenarios = "Scenario A: in Mspclnt.ini, [Servers IP Address] Name = the proxy server's NetBIOS name; set the "
  .. "proxy's client configuration (Web Proxy / Winsock Proxy properties, Services, Client Configuration) to its IP "
  .. "address, restart the proxies and update the WSP client. Scenario B: with a firewall other than Microsoft Proxy "
  .. "Server, disable the Microsoft Proxy client. Scenario C: on the Proxy 2 server, set the Option Pack's Microsoft "
  .. "SMTP service to Manual and stop it. Scenario D: if the proxy server cannot be pinged by name, add it to the "
  .. "hosts file (Winnt\\System32\\Drivers\\Etc\\hosts)."

-- The SMTP service runs on this computer: scenario C.
rule "Q193928-smtp" {
  article = "Q193928",
  title = "The Internet Mail Service cannot bind its listener through the proxy (event 4007, 10050)",
  severity = "error",
  salience = 31,
  products = { "Exchange Server 5.0", "Exchange Server 5.5" },
  when = {
    bind_failure { platform = "windows", service = "Internet Mail Service", code = 10050, port = "?port" },
    host_program { category = "smtp", name = "?smtp" },
    no(explained { service = "Internet Mail Service", port = "?port" }),
  },
  diagnose = "The Internet Mail Service does not start: it cannot bind its TCP/IP listener socket (event 4007, error "
    .. "10050, WSAENETDOWN). The Option Pack's SMTP service (?smtp) runs on this computer, which keeps the "
    .. "Internet Mail Service from binding through the proxy (scenario C).",
  remedy = "Set the Microsoft SMTP service (?smtp) to Manual and stop it, then start the Internet Mail Service. "
    .. "If the service still fails: " .. scenarios,
  assert = { explained { service = "Internet Mail Service", port = "?port", rule = "Q193928-smtp" } },
}

rule "Q193928" {
  article = "Q193928",
  title = "The Internet Mail Service cannot bind its listener through the proxy (event 4007, 10050)",
  severity = "error",
  salience = 30,
  products = { "Exchange Server 5.0", "Exchange Server 5.5" },
  when = {
    bind_failure { platform = "windows", service = "Internet Mail Service", code = 10050, port = "?port" },
    no(explained { service = "Internet Mail Service", port = "?port" }),
  },
  diagnose = "The Internet Mail Service does not start: it cannot bind its TCP/IP listener socket (event 4007, error "
    .. "10050, WSAENETDOWN), the failure of an Exchange computer configured as a Microsoft Proxy client whose proxy "
    .. "settings are wrong.",
  remedy = scenarios,
  assert = { explained { service = "Internet Mail Service", port = "?port", rule = "Q193928" } },
}
