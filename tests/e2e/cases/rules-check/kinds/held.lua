kind "held_port" { port = always "integer", pid = always "integer" }
