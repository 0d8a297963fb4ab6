-- Q271275 XADM: Event IDs 11506 or 11508 with error 0x2740 Are Logged.
-- Cause: another program uses the TCP port the information store needs for
-- POP3 (110), NNTP (119) or IMAP4 (143).  The article applies only when the
-- event carries 0x2740 (WSAEADDRINUSE).

rule "Q271275" {
  article = "Q271275",
  title = "Another program holds a port the information store needs",
  severity = "error",
  products = { "Exchange Server 5.5" },
  when = {
    bind_failure { service = "information store", protocol = "?proto", port = "?port", code = 10048 },
    listener { protocol = "tcp", port = "?port", pid = "?pid" },
    process { pid = "?pid", name = "?holder" },
    no(process { pid = "?pid", name = ci "store.exe" }),
  },
  diagnose = "?holder (PID ?pid) holds TCP port ?port, so the information store cannot accept ?proto clients.",
  remedy = "Stop ?holder or configure it to use another port, then restart the information store.",
}
