-- Q217001 GetHostByName API Returns Unbindable Addresses.  After Windows NT
-- 4.0 Service Pack 4, Windows Sockets programs that bind() the addresses
-- GetHostByName() returns fail with 10049 (WSAEADDRNOTAVAIL): NDISWAN
-- returns addresses in binding order, including ones not bound to TCP/IP,
-- on servers running RAS.  SP4 only (host.service_pack); fixed in SP5.
-- Exchange's protocols are Q214864's, which fires first.

rule "Q217001" {
  article = "Q217001",
  title = "After Windows NT 4.0 SP4, GetHostByName returns addresses a program cannot bind",
  severity = "error",
  salience = 20,
  products = { "Windows NT Server 4.0 SP4", "Windows NT Server 4.0 Enterprise Edition SP4", "Windows NT Workstation 4.0 SP4" },
  when = {
    host { os_version = "4.0", service_pack = 4, name = "?host" },
    bind_failure { platform = "windows", code = 10049, service = "?svc", port = "?port", source = "?src", event_id = "?id" },
    no(explained { service = "?svc", port = "?port" }),
  },
  diagnose = function(m)
    local ras = ""
    for _, s in ipairs(kb.facts("service")) do
      local n = (s.name or ""):lower()
      if (n == "remoteaccess" or n == "rasman") and s.state ~= "stopped" then
        ras = " The Remote Access Service runs here (" .. s.name .. "), the setup the article names."
      end
    end
    return "The " .. m.svc .. " could not bind" .. (m.port and " TCP port " .. m.port or "") .. " ("
      .. (m.id and m.src .. " event " .. m.id or m.src) .. ", error 10049: cannot assign requested address) on " .. (m.host or "the server") .. ", which runs Windows NT 4.0 "
      .. "Service Pack 4: GetHostByName() there returns IP addresses that are not bound to TCP/IP." .. ras
  end,
  remedy = "Install Windows NT 4.0 Service Pack 5 or later (or the post-SP4 hotfix Rnr-fixi.exe), then restart the ?svc.",
  assert = { explained { service = "?svc", port = "?port", rule = "Q217001" } },
}
