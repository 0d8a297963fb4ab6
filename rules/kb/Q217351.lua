-- Q217351 PRB: DCOM Port Range Configuration Problems.
-- A port range for RPC and DCOM (HKLM\Software\Microsoft\Rpc\Internet:
-- Ports, PortsInternetAvailable, UseInternetPorts; or DCOMCNFG's port
-- restrictions) too small or written in the wrong format leaves services
-- without endpoints: the World Wide Web Publishing Service stops with
-- "The endpoint cannot be created" (Service Control Manager 7023, error
-- 1720), stopping services fails with error 1721, DCOM clients get
-- 0x800706BA.  The rule needs the 7023 and the Rpc\Internet key's Ports
-- value in registry evidence (kbdiag keeps that key); the Cluster
-- service's 7023 with the same error is Q262832's.

rule "Q217351" {
  article = "Q217351",
  title = "A DCOM port range leaves a service without an RPC endpoint",
  severity = "error",
  salience = 30,
  products = { "Windows NT 4.0", "Internet Information Server 4.0", "Site Server 3.0" },
  when = {
    event { source = ci "Service Control Manager", id = 7023,
            message = { "?msg", match "terminated%s+with%s+the%s+following%s+error:%s+The%s+endpoint%s+cannot%s+be%s+created" } },
    test(function(m) return not m.msg:find("Cluster%s+Server%s+service") end),
    registry_value { key = match "\\[Mm]icrosoft\\[Rr]pc\\[Ii]nternet$", name = ci "Ports", value = "?ports" },
  },
  diagnose = function(m)
    local svc = m.msg:match("The%s+(.-)%s+[Ss]ervice%s+terminated") or "a"
    return "Service Control Manager event 7023: the " .. svc .. " service terminated because the endpoint cannot be "
      .. "created (error 1720), and RPC is limited to the port range" .. (m.ports and " " .. m.ports:gsub("%z", " ") or "")
      .. " (HKLM\\Software\\Microsoft\\Rpc\\Internet, Ports): the range leaves no endpoint for it."
  end,
  remedy = "If DCOM need not use a port range, delete HKLM\\Software\\Microsoft\\Rpc\\Internet and restart the "
    .. "computer.  Otherwise widen the range there with Regedt32 as the \"Using Distributed COM with Firewalls\" paper "
    .. "describes (DCOMCNFG writes the Ports value in a wrong format, Q201911), and restart.",
}
