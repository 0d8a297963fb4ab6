rule "half-written" {
  title = "Never finished", severity = "error",
  when = { listener { port = 110 }
  diagnose = "port 110 is in use",
}
