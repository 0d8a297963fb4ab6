-- Q231429 XFOR: Can Send But Cannot Receive Inbound Internet Mail.
-- Exchange Server 5.0 / 5.5: the Internet Mail Service sends Internet mail
-- but receives none, because the SMTP Service of the Windows NT 4.0 Option
-- Pack (installed with IIS for Outlook Web Access) runs and holds port 25,
-- which the Internet Mail Service needs to itself.  The evidence: the
-- Internet Mail Service running, and the SMTP service's PID (sc queryex,
-- tasklist /svc) listening on port 25.  An IMS that cannot start at all
-- (event 4007 with 10048) is Q222553's, which fires first.

rule "Q231429" {
  article = "Q231429",
  title = "The Option Pack SMTP service holds port 25, so the Internet Mail Service receives no mail",
  severity = "error",
  salience = 28,
  products = { "Exchange Server 5.0", "Exchange Server 5.5", "Windows NT 4.0 Option Pack" },
  when = {
    service { name = ci "MSExchangeIMC", state = "running" },
    service { name = { "?key", ci "SMTPSVC" }, state = "running", pid = { "?pid", ge(0) } },
    listener { protocol = "tcp", port = 25, pid = "?pid" },
    no(explained { service = "Internet Mail Service", port = 25 }),
  },
  diagnose = "The Internet Mail Service runs, but the SMTP service of the Windows NT Option Pack (?key, PID ?pid) "
    .. "listens on TCP port 25, so Internet mail can be sent but incoming mail does not reach the Internet Mail Service.",
  remedy = "In Control Panel, Services, stop the SMTP service and set it to Disabled (do not install it with IIS on "
    .. "an Exchange server), then restart the Internet Mail Service.",
  assert = { explained { service = "Internet Mail Service", port = 25, rule = "Q231429" } },
}
