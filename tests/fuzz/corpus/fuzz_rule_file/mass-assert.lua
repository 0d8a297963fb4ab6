-- One action asserting ten million facts.
kind "junk" { n = "integer" }
rule "mass-assert" { when = { listener { port = 110 } },
  action = function() for i = 1, 10000000 do kb.assert(junk { n = i }) end end }
