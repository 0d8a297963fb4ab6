-- A rule file cannot promise that a stock kind's slot is always set: the
-- importers fill it.  A knowledge row must set the slots its kind promises.
kind "process" { pid = "integer", ppid = "integer", name = always "string", path = "string", user = "string",
                 uid = "integer", command_line = "string", started = "string", session = "string", memory_kb = "integer" }
kind "promise" { name = always "string" }
facts "promise" { { name = "kept" }, {} }
