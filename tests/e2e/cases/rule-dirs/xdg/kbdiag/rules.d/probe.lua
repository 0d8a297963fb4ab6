-- The user's directory ($XDG_CONFIG_HOME/kbdiag/rules.d): after the system one.
rule "probe" {
  title = "Which copy of the probe rule ran", severity = "warning",
  when = { listener { port = 110, pid = "?pid" } },
  diagnose = "the user's probe (PID ?pid)",
}

-- A site's own version of a stock rule.
rule "Q271275" {
  article = "Q271275",
  title = "Site version of Q271275", severity = "error",
  when = { listener { port = 110, pid = "?pid" }, process { pid = "?pid", name = "?holder" } },
  diagnose = "?holder holds port 110 (site rule)",
}
