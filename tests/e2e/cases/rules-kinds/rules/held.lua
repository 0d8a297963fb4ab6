-- A site kind, declared twice with the same slots: both places are listed.
kind "held_port" { port = "integer", holder = "string", certain = "boolean" }
