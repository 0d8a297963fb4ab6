rule "pop3-in-use" {
  title = "POP3 port in use", severity = "warning",
  when = { listener { port = 110, pid = "?pid" } },
  diagnose = "PID ?pid listens on port 110.",
}
