-- Q261194 Web Services Fail with "IP Address Already in Use" Error Message.
-- IIS 4.0-5.1: the Web service does not start ("Address already in use")
-- and W3SVC logs 115 "Could not bind instance <X>": another service or
-- program (Microsoft Proxy Server, a third-party program) listens on port
-- 80 or 443.  The code is in the event's data (10048) and often missing
-- from an export, so the rule takes 10048 or no code.  Port 80 held by
-- inetinfo.exe is the Web service itself (port_conflict makes no
-- conflict of it).

rule "Q261194" {
  article = "Q261194",
  title = "Another program holds the port the Web service needs",
  severity = "error",
  salience = 25,
  products = { "Internet Information Server 4.0", "Internet Information Services 5.0", "Internet Information Services 5.1" },
  when = {
    port_conflict { service = "WWW service", basis = "bind", port = "?port",
                    code = test(function(v) return v == nil or v == 10048 end),
                    owner = one_of { "program", "pid", "hidden", "gone", "blind", "unlisted" },
                    -- another site's port is its binding's, which the bundle does not show (Q218441's case)
                    instance = test(function(v) return v == nil or v == 1 end),
                    reported = "?reported", situation = "?situation", stop = "?stop", collect = "?collect" },
    no(explained { service = "WWW service", port = "?port" }),
  },
  diagnose = "The Web service (W3SVC) could not bind its site to TCP port ?port (?reported): ?situation.",
  remedy = "Disable or uninstall ?stop (Microsoft Proxy Server and third-party programs take port 80 or 443), "
    .. "then start the Web service and retest the Web sites; restarting the computer may be needed.?collect",
  assert = { explained { service = "WWW service", port = "?port", rule = "Q261194" } },
}
