rule "x" {
  when = { listener { port = 1 }
  diagnose = "x"
}
