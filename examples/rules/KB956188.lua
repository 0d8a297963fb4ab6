-- KB956188: "You experience issues with UDP-dependent network services after
-- you install DNS Server service security update 953230 (MS08-037)"
-- (Windows 2000 Server, Windows Server 2003, Windows Server 2008;
-- http://support.microsoft.com/kb/956188, copy at
-- https://mskb.pkisolutions.com/kb/956188).
--
-- Symptom: after security update 953230 (MS08-037) and a restart, a service
-- that depends on a UDP port may not start.
-- Cause: the update makes the DNS Server service (dns.exe) allocate 2,500
-- random UDP ports from the ephemeral range at start; if one of them is the
-- port another service needs, that service cannot open it.  The article's
-- example is IPSEC Services, which needs UDP 4500.  The failures are
-- intermittent, because the ports are random.
-- Workaround: reserve the service's UDP port out of the ephemeral range
-- (ReservedPorts, KB812873), so the DNS Server cannot take it.
--
-- Evidence: that the service stopped on WSAEADDRINUSE (10048), told either
-- by the Service Control Manager's event 7023 ("The IPSEC Services service
-- terminated with the following error: Only one usage of each socket address
-- (protocol/network address/port) is normally permitted") or by `sc queryex`
-- (STATE STOPPED, WIN32_EXIT_CODE 10048); netstat -ano showing the service's
-- UDP port held by a PID; and tasklist naming that PID dns.exe.

-- The services the article (or its workaround) is about, with the UDP port
-- each needs.  The SCM names a service by its display name in event 7023.
-- Every row sets every slot, so the messages may print them as they are.
kind "dns_pool_udp_port" {
  service = always { "string", 'the service key: "PolicyAgent"' },
  display = always { "string", "its display name, as event 7023 names it" },
  port    = always { "integer", "the UDP port it needs" },
}

facts "dns_pool_udp_port" {
  -- KB956188's own example: IPSEC Services (PolicyAgent) uses UDP 4500 (NAT-T).
  { service = "PolicyAgent", display = "IPSEC Services", port = 4500 },
}

rule "KB956188" {
  article = "KB956188",
  title = "The DNS Server's socket pool holds a UDP port another service needs, so that service does not start",
  severity = "error",
  products = { "Windows 2000 Server", "Windows Server 2003", "Windows Server 2008" },
  when = {
    dns_pool_udp_port { service = "?svc", display = "?display", port = "?port" },
    any_of {
      event { source = ci "Service Control Manager", id = 7023,
              message = { "?msg", match "Only one usage of each socket address" } },
      service { name = ci "?svc", state = "stopped", exit_code = 10048 },
    },
    -- the event names the service by its display name; sc by its key
    test(function(m)
      return m.msg == nil or string.find(m.msg, "The " .. m.display .. " service terminated", 1, true) ~= nil
    end),
    listener { protocol = "udp", port = "?port", pid = { "?pid", ge(0) } },
    process { pid = "?pid", name = { "?holder", ci "dns.exe" } },
  },
  diagnose = "?holder (PID ?pid, the DNS Server service) holds UDP port ?port, so ?display (?svc) cannot start: "
    .. "it stopped because only one usage of each socket address is permitted (WSAEADDRINUSE, 10048). "
    .. "Since security update 953230 (MS08-037) the DNS Server takes 2,500 random UDP ports at start.",
  remedy = "Reserve UDP port ?port so the DNS Server cannot take it (KB812873): add ?port-?port to the ReservedPorts "
    .. "multi-string value under HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters, "
    .. "restart the computer, then check that ?display starts.",
}
