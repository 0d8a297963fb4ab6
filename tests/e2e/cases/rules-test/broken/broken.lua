-- A rule whose action fails at run time: its cases fail, whatever they expect.
rule "fails" { when = { listener { port = 110 } }, action = function(m) error("not finished") end }
