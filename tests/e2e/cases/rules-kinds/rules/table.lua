kind "smtp_program" { name = "string", weight = "float" }

kind "held_port" { port = "integer", holder = "string", certain = "boolean" }
