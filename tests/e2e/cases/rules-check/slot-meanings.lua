-- Slot declarations with a meaning, each malformed in its own way.
kind "no_meaning" { port = { "integer" } }
kind "bad_type" { port = { "int", "the port" } }
kind "empty_meaning" { port = { "integer", "" } }
kind "two_lines" { port = { "integer", "the port\nit needs" } }
kind "stray_key" { port = { "integer", about = "the port" } }
kind "meaning_first" { port = { "the port", "integer" } }
kind "good" { port = { "integer", "the port" }, name = "string" }
