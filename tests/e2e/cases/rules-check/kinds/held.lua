kind "held_port" { port = "integer", pid = "integer" }
