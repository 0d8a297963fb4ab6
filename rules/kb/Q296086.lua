-- Q296086 XCON: Error Message: The Service Did Not Respond to the Start...
-- The IIS 4.0 SMTP service does not start ("The Service did not respond to
-- the start or control request in a timely fashion": SCM event 7000 with
-- error 1053, or 7009) because it cannot bind port 25: netstat -an shows
-- port 25 LISTENING for another program.  Without a listener on 25 the
-- timeout has other causes, so a listing without one does not fire; an
-- event 115 for the same port is Q228475's, which fires first.

rule "Q296086" {
  article = "Q296086",
  title = "The SMTP service does not start because another program uses port 25",
  severity = "error",
  salience = 20,
  products = { "Internet Information Server 3.0", "Internet Information Server 4.0", "Windows NT Server 3.5", "Windows NT Server 4.0" },
  when = {
    port_conflict { service = "SMTP service", basis = "start", port = "?port",
                    owner = one_of { "program", "pid", "hidden", "blind", "unlisted" },
                    reported = "?reported", situation = "?situation", stop = "?stop", collect = "?collect" },
    no(explained { service = "SMTP service", port = "?port" }),
  },
  diagnose = "The SMTP service did not respond to its start request in time (?reported) because it cannot bind TCP "
    .. "port ?port: ?situation.",
  remedy = "Remove ?stop (Add/Remove Programs) or stop the service it runs as; then stop and start the SMTP "
    .. "service.?collect",
  assert = { explained { service = "SMTP service", port = "?port", rule = "Q296086" } },
}
