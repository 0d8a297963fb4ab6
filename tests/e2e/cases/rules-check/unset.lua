-- Messages that can print an unset slot (warned of), and the ways to show
-- that a slot is set (not warned of).
kind "held" { port = always "integer", holder = "string", note = "string" }
facts "held" { { port = 25, holder = "relay.exe" }, { port = 110 } }

rule "prints-unset" { title = "t", severity = "info",
  when = { listener { port = 25, pid = "?pid", process = "?image" } },
  diagnose = "?image holds port 25",
  remedy = function(m) return "stop PID " .. tostring(m.pid) end }

rule "prints-derived-unset" { title = "t", severity = "info",
  when = { held { port = "?port", holder = "?holder" } },
  diagnose = "?holder holds port ?port" }

rule "guarded-in-pattern" { title = "t", severity = "info",
  when = { listener { port = 25, pid = { "?pid", ge(0) }, process = { "?image", match "." } } },
  diagnose = "?image (PID ?pid) holds port 25" }

rule "joined-with-a-guarded-slot" { title = "t", severity = "info",
  when = { listener { port = 25, pid = "?pid" }, process { pid = { "?pid", gt(4) }, name = { "?name", ci "relay.exe" } } },
  diagnose = "?name (PID ?pid) holds port 25" }

rule "declared-always" { title = "t", severity = "info",
  when = { held { port = "?port", as = "?h" } },
  diagnose = function(m) return "port " .. m.port .. " is held" .. (m.h.holder and " by " .. m.h.holder or "") end }

rule "tested-in-function" { title = "t", severity = "info",
  when = { held { port = "?port", holder = "?holder", note = "?note" } },
  diagnose = function(m)
    if not m.note then return (m.holder or "something") .. " holds port " .. m.port end
    return m.note
  end }
