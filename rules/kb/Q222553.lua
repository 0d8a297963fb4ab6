-- Q222553 XFOR: IMC Events 4020, 4007 with Error 10048.  With Microsoft
-- Proxy Server 2.0, the Internet Mail Service must bind port 25 on the
-- proxy server; event 4007 "... bind the TCP/IP listener socket. 10048"
-- (then 4020) says another service has it, usually the Windows NT SMTP
-- service.  10050 in the same event is Q193928's.  A port 25 held by the
-- IMC itself (msexcimc.exe) is no conflict.

rule "Q222553" {
  article = "Q222553",
  title = "Another service holds port 25, so the Internet Mail Service cannot start",
  severity = "error",
  salience = 30,
  products = { "Exchange Server 4.0", "Exchange Server 5.0", "Exchange Server 5.5" },
  when = {
    port_conflict { service = "Internet Mail Service", port = "?port", code = 10048, reported = "?reported",
                    situation = "?situation", stop = "?stop", collect = "?collect", pid = "?pid" },
    no(explained { service = "Internet Mail Service", port = "?port" }),
  },
  diagnose = function(m)
    local smtp = ""
    for _, p in ipairs(kb.facts("host_program")) do
      if p.category == "smtp" and m.pid and p.pid == m.pid then smtp = " That is the Windows NT SMTP service." end
    end
    return "The Internet Mail Service cannot bind its TCP/IP listener socket on port " .. m.port .. " (" .. m.reported
      .. "), so it does not start: " .. m.situation .. "." .. smtp
  end,
  remedy = function(m)
    return "Make sure the Windows NT SMTP service is not running on the proxy server (set it to Manual and stop it), "
      .. "and that no other service or application uses port " .. m.port .. " of the proxy server: quit " .. m.stop
      .. ". If an antivirus product runs there, disable it and start the service again; if that helps, ask the "
      .. "antivirus vendor." .. m.collect
  end,
  assert = { explained { service = "Internet Mail Service", port = "?port", rule = "Q222553" } },
}
