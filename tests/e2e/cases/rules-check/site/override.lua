-- A site's version of a stock rule: a note, not a problem.
rule "Q271275" { article = "Q271275", title = "Site version", severity = "error",
  when = { listener { port = 110, pid = { "?pid", ge(0) } } }, diagnose = "PID ?pid holds port 110" }
