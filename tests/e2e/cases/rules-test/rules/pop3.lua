rule "pop3-held" {
  title = "POP3 port held", severity = "warning",
  when = { listener { port = 110, pid = "?pid" }, process { pid = "?pid", name = "?name" } },
  diagnose = "?name (PID ?pid) holds port 110.",
}
