-- A declarative modify cycle: x -> y -> x.
kind "toggle" { state = "string" }
facts "toggle" { { state = "x" } }
rule "cycle-x-to-y" { when = { toggle { state = "x", as = "?t" } }, modify = { { "?t", state = "y" } } }
rule "cycle-y-to-x" { when = { toggle { state = "y", as = "?t" } }, modify = { { "?t", state = "x" } } }
