-- A site kind, declared twice with the same slots: both places are listed.
-- Slots with a meaning, and one without: `rules kinds` shows what is given.
kind "held_port" {
  port    = { "integer", "the port another program holds" },
  holder  = { "string", "that program's image name" },
  certain = "boolean",
}
kind "smtp_program" { name = "string", weight = "float" }
