-- Q262832 Cluster Service Does Not Start with Event ID 7023.
-- After a network setting changes on a node, the Cluster service stops
-- with "The endpoint cannot be created" (Service Control Manager 7023,
-- error 1720, "%%1720" in a binary log): RPC cannot bind to the Cluster
-- Datagram Protocol (Clusnet), because Clusnet is missing from the
-- Winsock registry keys (Winsock\Parameters Transports, Setup Migration
-- Provider List and Providers\Clusnet).  kbdiag does not keep those keys
-- (docs/evidence-formats.md), so the remedy says where to look.  The same
-- error for another service is a DCOM port range problem (Q217351).

rule "Q262832" {
  article = "Q262832",
  title = "The Cluster service does not start: RPC cannot bind to the Cluster Datagram Protocol",
  severity = "error",
  salience = 30,
  products = { "Windows NT Server 4.0, Enterprise Edition" },
  when = {
    event { source = ci "Service Control Manager", id = 7023,
            message = match "Cluster%s+Server%s+service%s+terminated%s+with%s+the%s+following%s+error:%s+The%s+endpoint%s+cannot%s+be%s+created" },
  },
  diagnose = "Service Control Manager event 7023: the Cluster Server service terminated because the endpoint cannot be "
    .. "created (error 1720): RPC could not bind to the Cluster Datagram Protocol (Clusnet), the transport of the "
    .. "nodes' heartbeat.",
  remedy = "On this node, check that Clusnet is listed in HKLM\\SYSTEM\\CurrentControlSet\\Services\\Winsock\\"
    .. "Parameters, value Transports, and in Winsock\\Setup Migration, value Provider List, and that the key Winsock\\"
    .. "Setup Migration\\Providers\\Clusnet exists with the right permissions; restore what is missing and start the "
    .. "Cluster service.  If all are right, reinstall the Cluster service on the node.",
}
