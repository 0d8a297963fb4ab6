-- Only warnings: the rules work, but something in them is probably a mistake.
rule "unused-variable" { title = "t", severity = "info",
  when = { listener { port = 25, pid = { "?pid", ge(0) }, address = "?addr" } },
  diagnose = "port 25 is held by PID ?pid" }

rule "ignored-on-purpose" { title = "t", severity = "info",
  when = { listener { port = 25, pid = { "?pid", ge(0) }, address = "?_addr" } },
  diagnose = "port 25 is held by PID ?pid" }

rule "used-in-lua" { title = "t", severity = "info",
  when = { listener { port = 25, pid = { "?pid", ge(0) }, address = "?addr" } },
  diagnose = function(m) return (m.addr or "*") .. ":25 is held by PID " .. m.pid end }
