rule "clean" { title = "t", severity = "info", when = { listener { port = 1, pid = "?p" } }, diagnose = "?p" }
