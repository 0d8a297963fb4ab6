-- Modifies the fact it matched: the new fact matches again, forever.
kind "counter" { n = "integer" }
facts "counter" { { n = 0 } }
rule "modify-self" { when = { counter { n = "?n", as = "?c" } },
  action = function(m) kb.modify(m.c, { n = m.n + 1 }) end }
