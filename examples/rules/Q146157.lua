-- Q146157 XFOR: Should Have Exclusive Access to Port 25.
-- The Internet Mail Connector (IMC) of Exchange Server 4.0-5.5 needs TCP
-- port 25 to itself.  If another SMTP program listens there, the IMC still
-- starts without an error, but it receives no incoming mail.
-- This is the rule docs/writing-rules.md builds, step by step.

rule "Q146157" {
  article = "Q146157",
  title = "Another program holds SMTP port 25, so the Internet Mail Connector receives no mail",
  severity = "error",
  products = { "Exchange Server 4.0", "Exchange Server 5.0", "Exchange Server 5.5" },
  when = {
    service { name = ci "MSExchangeIMC", state = "running" },
    listener { protocol = "tcp", port = 25, pid = { "?pid", ge(0) } },
    process { pid = "?pid", name = { "?holder", match "." } },
    no(process { pid = "?pid", name = ci "msexcimc.exe" }),
  },
  diagnose = "?holder (PID ?pid) listens on TCP port 25, so the Internet Mail Connector accepts no incoming SMTP mail.",
  remedy = "Stop ?holder or move it off port 25 (do not run another SMTP program on an Exchange server with the IMC), then restart the Internet Mail Connector.",
}
