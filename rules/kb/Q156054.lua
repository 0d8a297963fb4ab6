-- Q156054 IIS FTP Server Will Not Start.
-- IIS 1.0 on Windows NT 3.51: the FTP Publishing Service (MSFTPSVC) does
-- not start; the Services tool says "Error 10048" with no text and the
-- Service Control Manager logs 7023 "The FTP Publishing Service service
-- terminated with the following error:".  Cause: Windows NT's own FTP
-- Server service (key FTPSVC, display name "FTP Server", installed from
-- Control Panel, Network) runs and holds port 21; the two cannot run at
-- once.  IIS 7.5 and later also name their FTP service FTPSVC ("Microsoft
-- FTP Service"), so the key alone is not the article's service: its
-- display name must be the NT one.  A listing without the display name
-- (tasklist /svc) leaves the holder to the general diagnosis.
--
-- The general layer does not yet make a start_failure of 7023, so the
-- event is matched here; its state "not stopped" lets a registry export
-- (which has no state) show the service installed.

rule "Q156054" {
  article = "Q156054",
  title = "Windows NT's FTP Server service keeps the IIS FTP Publishing Service from starting",
  severity = "error",
  salience = 30,
  products = { "Internet Information Server 1.0", "Windows NT Server 3.51", "Windows NT Workstation 3.51" },
  when = {
    event { source = ci "Service Control Manager", id = 7023, level = ne("information"),
            message = match "FTP%s+Publishing%s+Service%s+service%s+terminated" },
    service { name = { "?key", ci "FTPSVC" }, display_name = ci "FTP Server", state = ne("stopped") },
    no(explained { service = "FTP service", port = 21 }),
  },
  diagnose = "The FTP Publishing Service could not start (Service Control Manager event 7023; the Services tool "
    .. "reports error 10048, address in use) because Windows NT's own FTP Server service (?key) is installed: the "
    .. "two FTP servers both need TCP port 21 and cannot run at the same time.",
  remedy = "In Control Panel, double-click Network, select FTP Server and click Remove; then start the FTP "
    .. "Publishing Service.",
  assert = { explained { service = "FTP service", port = 21, rule = "Q156054" } },
}
