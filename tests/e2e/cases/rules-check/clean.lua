rule "clean" { title = "t", severity = "info", when = { listener { port = 1, pid = { "?p", ge(0) } } }, diagnose = "?p" }
