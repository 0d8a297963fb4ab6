-- In the user's rule directory, and checked by name: loaded once, not twice.
rule "site-rule" { title = "t", severity = "info",
  when = { listener { port = 1, pid = { "?p", ge(0) } } }, diagnose = "?p" }
