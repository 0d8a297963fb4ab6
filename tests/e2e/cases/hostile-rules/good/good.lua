-- A well-behaved rule beside the hostile ones: it must still fire, and the
-- string library and kb.* it uses must be the real ones whatever the
-- hostile files did to theirs.
rule "still-works" {
  title = "The other rules still run", severity = "warning",
  when = { listener { port = 110, pid = "?pid" }, process { pid = "?pid", name = "?name" } },
  diagnose = function(m)
    local upper = string.upper(m.name)
    local where = ("port 110"):find("110", 1, true)
    return "still works: " .. upper .. " (" .. m.pid .. ") " .. tostring(where)
  end,
}
