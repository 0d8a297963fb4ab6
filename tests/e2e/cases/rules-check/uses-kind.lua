-- Uses a kind another rule directory declares: check it with --rules kinds.
rule "held" { title = "t", severity = "warning",
  when = { held_port { port = "?port", pid = "?pid" } }, diagnose = "PID ?pid holds ?port" }
