-- Q177497 Server Service Fails to Start at Startup w/ Event ID 2505.
-- "The server could not bind to the transport \Device\NetBT_<adapter>
-- (or \Device\Nbf_<adapter>) because another computer on the network has
-- the same name.  The server could not start."  Causes the article
-- gives: NetBEUI bound to two adapters on one network (the computer meets
-- its own name), or an upgrade from an NT 3.51 installed with Compaq
-- SmartStart, whose NetBIOS bindings did not carry over.  The event is
-- the Server service's (source "Srv" in the System log; the articles also
-- write "Server": the source pattern takes both); its ID alone says "same name", so a binary log's
-- insertion strings (the transport) are enough.  The transport decides
-- the remedy: NetBEUI (Nbf) or NetBIOS over TCP/IP (NetBT).

local function remedy(m)
  local transport = (m.msg or ""):match("\\?[Dd]evice\\(%w+)_") or (m.msg or ""):match("[Dd]evice[/\\](%w+)_")
  transport = transport and transport:lower()
  local fix
  if transport == "nbf" then
    fix = "Remove and reinstall the NetBEUI protocol, and do not bind NetBEUI to two network adapters on the same network."
  elseif transport == "netbt" then
    fix = "Remove and reinstall the TCP/IP protocol (if removing it fails with \"Registry Service subkey already exists\", "
      .. "remove its registry entries by hand as Q151237 describes)."
  else
    fix = "On the transport the event names: for Nbf, remove and reinstall NetBEUI and do not bind it to two adapters "
      .. "on one network; for NetBT, remove and reinstall TCP/IP (Q151237 if removal fails)."
  end
  return fix .. "  Services that depend on the Server service (events 7001, 7023) start once it does."
end

rule "Q177497" {
  article = "Q177497",
  title = "The Server service does not start: another computer on the network has the same NetBIOS name",
  severity = "error",
  salience = 30,
  products = { "Windows NT Server 3.51", "Windows NT Server 4.0", "Windows NT Workstation 3.51", "Windows NT Workstation 4.0" },
  when = {
    event { id = 2505, source = { "?src", match "^[Ss][Ee]?[Rr][Vv][Ee]?[Rr]?$" }, level = ne("information"), message = "?msg" },
  },
  diagnose = "?src event 2505: the Server service could not bind to its NetBIOS transport because a computer on the "
    .. "network has the same name, so it did not start (a computer whose NetBEUI is bound to two adapters on one "
    .. "network meets its own name; so does an upgrade over a Compaq SmartStart installation of NT 3.51).",
  remedy = remedy,
}
