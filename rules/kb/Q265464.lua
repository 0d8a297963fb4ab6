-- Q265464 Cannot Gain Access to Server, System Event Log Shows Event ID 2504.
-- On Windows NT Server 4.0 Service Pack 5, NetBIOS over TCP/IP may fail
-- to bind to the network adapters: the Server service logs 2504 "The
-- server could not bind to the transport \device\<name>" and clients
-- cannot reach the server.  The workaround is to reinstall SP5.  The
-- service pack is the article's condition, so an NT 4.0 host on another
-- service pack is not this article; a bundle that does not say which
-- service pack gets the finding as a warning that asks for it.  Source
-- "Srv" as the System log writes it, or "Server" as the article quotes it.

local source = match "^[Ss][Ee]?[Rr][Vv][Ee]?[Rr]?$"

-- A 2504 that follows the Workstation service's "duplicate name" (7023)
-- is Q317140's, whatever the service pack.
local duplicate_name = function()
  return no(event { source = ci "Service Control Manager", id = 7023, message = match "duplicate%s+name%s+exists" })
end

rule "Q265464" {
  article = "Q265464",
  title = "NetBT did not bind to the adapters on Windows NT 4.0 SP5, so the server cannot be reached",
  severity = "error",
  salience = 30,
  products = { "Windows NT Server 4.0 SP5" },
  when = {
    event { id = 2504, source = { "?src", source }, level = ne("information") },
    host { os_version = "4.0", service_pack = 5 },
    duplicate_name(),
  },
  diagnose = "?src event 2504: the Server service could not bind to its transport on Windows NT 4.0 Service Pack 5, "
    .. "so clients cannot reach the server: NetBIOS over TCP/IP did not bind to the network adapters.",
  remedy = "Reinstall Service Pack 5, then restart the server.",
}

rule "Q265464-service-pack-unknown" {
  article = "Q265464",
  title = "NetBT did not bind to the adapters on Windows NT 4.0 SP5, so the server cannot be reached",
  severity = "warning",
  salience = 30,
  products = { "Windows NT Server 4.0 SP5" },
  when = {
    event { id = 2504, source = { "?src", source }, level = ne("information") },
    no(host { service_pack = ge(0) }),
    duplicate_name(),
  },
  diagnose = "?src event 2504: the Server service could not bind to its transport, so clients cannot reach the server.  "
    .. "The bundle does not say which service pack the server runs: on Windows NT 4.0 Service Pack 5 this is NetBIOS "
    .. "over TCP/IP failing to bind to the network adapters.",
  remedy = "If the server runs Windows NT 4.0 Service Pack 5, reinstall it and restart.  Send winmsd /a or systeminfo "
    .. "output so the service pack is known.",
}
