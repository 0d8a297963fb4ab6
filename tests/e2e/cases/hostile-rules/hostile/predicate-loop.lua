-- An endless loop in a predicate, run in the middle of matching.
rule "predicate-loop" { title = "t", severity = "error",
  when = { listener { port = test(function(v) while true do end end) } }, diagnose = "never" }
