-- Q228475 XFOR: Event ID 115 Error Starting SMTP Relay Host Service.
-- SMTPSVC logs 115 "Service could not bind instance 1. The data is in the
-- error." when a service or program uses port 25: third-party mail
-- programs, or antivirus programs that scan mail on port 25.  The code is
-- in the event's data (40 27 00 00, 10048) and often missing from what a
-- customer pastes, so the rule takes 10048 or no code, but not another
-- code.  Port 25 held by inetinfo.exe is the SMTP service itself.

rule "Q228475" {
  article = "Q228475",
  title = "Another program holds port 25, so the SMTP service cannot bind",
  severity = "error",
  salience = 30,
  products = { "Windows NT 4.0 Option Pack" },
  when = {
    port_conflict { service = "SMTP service", basis = "bind", port = "?port", code = test(function(v) return v == nil or v == 10048 end),
                    owner = one_of { "program", "pid", "hidden", "gone", "blind", "unlisted" },
                    reported = "?reported", situation = "?situation", stop = "?stop", collect = "?collect" },
    no(explained { service = "SMTP service", port = "?port" }),
  },
  diagnose = "The SMTP service could not bind instance 1 to TCP port ?port (?reported): ?situation.",
  remedy = "Stop ?stop (mail programs that send and receive on behalf of others, and antivirus programs that scan "
    .. "mail on port 25, do this), then start the SMTP service.?collect",
  assert = { explained { service = "SMTP service", port = "?port", rule = "Q228475" } },
}
