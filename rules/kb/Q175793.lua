-- Q175793 Event ID 20105 or 20108 on RRAS Server That Will Not Redial.
-- A demand-dial interface of Routing and Remote Access does not redial
-- when its connection drops, because another program or service holds
-- the port (modem, COM port) the interface dials on.  The Router logs
-- 20108 "Unable to open the port <port> for use. The port is already
-- open." or 20105 "Unable to load the interface <name> from the registry.
-- The following error occurred: There are no routing-enabled ports
-- available for use by the demand dial interface."  A 20105 with another
-- error is another problem.

local router = ci "Router"
local title = "A demand-dial interface cannot redial: another program holds its port"
local products = { "Windows NT Server 4.0 Routing and Remote Access Service" }
local free_the_port = "Close or disable the program or service that holds the port the demand-dial interface is "
  .. "configured to use"

rule "Q175793" {
  article = "Q175793",
  title = title,
  severity = "error",
  salience = 30,
  products = products,
  when = {
    event { source = router, id = 20108, level = ne("information"), message = "?msg" },
  },
  diagnose = function(m)
    local port = (m.msg or ""):match("open%s+the%s+port%s+(%S+)%s+for%s+use") or (m.msg or ""):match("^(%S+)")
    return "Router event 20108: Routing and Remote Access could not open port " .. (port or "(unnamed)")
      .. " for a demand-dial interface because the port is already open: another program or service holds it, so the "
      .. "interface does not redial."
  end,
  remedy = free_the_port .. " (a terminal program, fax or remote-control software, another RAS client), then redial "
    .. "the interface.",
}

rule "Q175793-no-ports" {
  article = "Q175793",
  title = title,
  severity = "error",
  salience = 30,
  products = products,
  when = {
    event { source = router, id = 20105, level = ne("information"),
            message = match "no%s+routing%-enabled%s+ports%s+available%s+for%s+use%s+by%s+the%s+demand%s+dial%s+interface" },
  },
  diagnose = "Router event 20105: no routing-enabled port is free for a demand-dial interface, so it does not redial: "
    .. "another program or service holds the port the interface is configured to use.",
  remedy = free_the_port .. ", then redial the interface.",
}
