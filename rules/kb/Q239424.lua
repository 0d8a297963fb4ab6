-- Q239424 Winsock Error: Can't Assign Requested Address.
-- IIS: a new Web site does not start ("Winsock Error: Can't assign
-- requested address"; W3SVC 115 with 10049, WSAEADDRNOTAVAIL, in its data)
-- because the IP address given to the site is not bound to the server's
-- network card.  On Windows NT 4.0 SP4 the same code is Q217001's (which
-- has the higher salience).  The server's addresses (ipconfig, systeminfo)
-- are listed in the message when the bundle has them.

rule "Q239424" {
  article = "Q239424",
  title = "A Web site's IP address is not one of the server's addresses",
  severity = "error",
  salience = 15,
  products = { "Internet Information Server 4.0", "Internet Information Services 5.0" },
  when = {
    bind_failure { service = "WWW service", error = "not_available", port = "?port", event_id = "?id", source = "?src" },
    no(explained { service = "WWW service", port = "?port" }),
  },
  diagnose = function(m)
    local mine = {}
    for _, a in ipairs(kb.facts("address")) do
      if a.family == "ipv4" and a.address and a.address ~= "127.0.0.1" then mine[#mine + 1] = a.address end
    end
    table.sort(mine)
    local known = #mine > 0 and " The server's addresses: " .. table.concat(mine, ", ") .. "." or ""
    -- W3SVC's 115, the Service Control Manager's 7023, or sc queryex's exit code (no event)
    local by = m.id and ((m.src and m.src .. " " or "") .. "event " .. m.id .. ", error") or (m.src or "the service listing")
      .. ", exit code"
    return "The Web service could not bind a site (" .. by .. " 0x2741, WSAEADDRNOTAVAIL: can't assign requested "
      .. "address): the IP address the site is given is not bound to the server's network card." .. known
  end,
  remedy = "Add the site's IP address and subnet mask to the server's TCP/IP properties (Network, Protocols, "
    .. "TCP/IP, Advanced), or give the site an address the server has; then restart the Web server.",
  assert = { explained { service = "WWW service", port = "?port", rule = "Q239424" } },
}
