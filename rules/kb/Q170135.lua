-- Q170135 Error Message: WINS Client (TCP/IP) Service Fails to Start.
-- At startup Windows NT 4.0 logs NetBT 4315 "Unable to read the driver's
-- exported linkage configuration information" and Service Control
-- Manager 7000 "The WINS Client(TCP/IP) service failed to start due to
-- the following error: A device attached to the system is not
-- functioning." (system message 31, "%%31" in a binary log).  A corrupt
-- network adapter driver or wrong binding information is the cause.  The
-- rule keys on the 7000; another error in it is another problem.

rule "Q170135" {
  article = "Q170135",
  title = "The WINS Client (NetBT) service does not start: the adapter driver or TCP/IP bindings are damaged",
  severity = "error",
  salience = 30,
  products = { "Windows NT Server 4.0", "Windows NT Workstation 4.0" },
  when = {
    event { source = ci "Service Control Manager", id = 7000,
            message = match "WINS%s+Client%s*%(TCP/IP%)%s+service%s+failed%s+to%s+start%s+due%s+to%s+the%s+following%s+error:%s+A%s+device%s+attached%s+to%s+the%s+system%s+is%s+not%s+functioning" },
  },
  diagnose = "Service Control Manager event 7000: the WINS Client(TCP/IP) service (NetBIOS over TCP/IP) failed to start "
    .. "because \"a device attached to the system is not functioning\": the network adapter's driver is damaged or "
    .. "TCP/IP's binding information is wrong (NetBT logs 4315 when it cannot read its linkage).",
  remedy = "Remove and reinstall the network adapter driver and the TCP/IP protocol, then reapply the installed service "
    .. "pack (Q162837).",
}
