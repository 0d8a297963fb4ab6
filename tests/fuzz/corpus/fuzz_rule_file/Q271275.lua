-- Q271275 XADM: Event IDs 11506 or 11508 with error 0x2740 Are Logged.
-- Cause: another program uses the TCP port the information store needs for
-- POP3 (110), NNTP (119) or IMAP4 (143).  "If the error code 0x2740 is not
-- present in the event ID 11506 or event ID 11508 message, then this
-- article does not describe the issue": the rule wants 10048 (0x2740,
-- WSAEADDRINUSE).  A port held by the information store itself (store.exe;
-- inetinfo.exe on Exchange 2000) is no conflict (port_conflict.lua leaves
-- it out).  Antivirus programs that take the POP3 port are Q298944's, which
-- is more specific and fires first.  Who holds the port, and what to
-- collect when the bundle cannot say, comes from port_conflict.

rule "Q271275" {
  article = "Q271275",
  title = "Another program holds a port the information store needs",
  severity = "error",
  salience = 20,
  products = { "Exchange Server 5.5" },
  when = {
    port_conflict { service = "information store", protocol = { "?proto", one_of { "POP3", "NNTP", "IMAP4" } },
                    port = "?port", code = 10048, reported = "?reported", situation = "?situation",
                    stop = "?stop", collect = "?collect" },
    no(explained { service = "information store", port = "?port" }),
  },
  diagnose = "The information store could not open TCP port ?port for ?proto (?reported): ?situation.",
  remedy = "Quit ?stop or configure it to use another port, then restart the information store.?collect",
  assert = { explained { service = "information store", port = "?port", rule = "Q271275" } },
}
