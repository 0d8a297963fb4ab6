-- Q317140 Event ID 3870, 7023, 2504 and 7002 Messages Are Logged.
-- After a restart of Windows NT 4.0 the Workstation service stops with
-- "A duplicate name exists on the network" (Service Control Manager
-- 7023), the Server service cannot bind to NetBT (2504), and the services
-- that depend on them fail (7001, 7002).  Causes: two adapters that both
-- register the computer's NetBIOS name with WINS, a static WINS entry for
-- the name, or faulty network hardware.  The rule keys on the 7023 of the
-- Workstation service with that error (system message 52, which a binary
-- log stores as "%%52", and which later Windows words "You were not
-- connected because a duplicate name exists ..."); the other events
-- follow from it.

rule "Q317140" {
  article = "Q317140",
  title = "The Workstation service stops: the computer's NetBIOS name is registered twice",
  severity = "error",
  salience = 30,
  products = { "Windows NT Server 4.0" },
  when = {
    event { source = ci "Service Control Manager", id = 7023,
            message = match "Workstation%s+service%s+terminated%s+with%s+the%s+following%s+error:.-duplicate%s+name%s+exists%s+on%s+the%s+network" },
  },
  diagnose = "Service Control Manager event 7023: the Workstation service terminated because a duplicate name exists "
    .. "on the network, so the services that depend on it (Messenger, Alerter, Computer Browser) and the Server "
    .. "service's NetBT binding (event 2504) fail too.",
  remedy = "If the computer has two network adapters, disable NetBEUI on one of them (or unbind WINS registration "
    .. "from the second adapter) so the name is registered once; delete any static WINS mapping for the computer's "
    .. "name; then check the switch or router between the computer and the network.  Restart the computer.",
}
