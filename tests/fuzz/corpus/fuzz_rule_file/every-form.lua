-- A seed with every form of the rule language once: kinds, knowledge
-- facts, each condition form, each action.
kind "held_port" { port = "integer", holder = "string", seen = "boolean" }
facts "held_port" { { port = 25, holder = "MAILER.EXE", seen = false } }

rule "every-form" {
  article = "Q000001", title = "Every form", severity = "warning", salience = 5,
  products = { "Exchange Server 5.5" },
  when = {
    listener { port = { "?port", ge(1), lt(1024) }, pid = "?pid", protocol = one_of { "tcp", "udp" } },
    process { pid = "?pid", name = { "?name", match "^[%w.]+$" } },
    held_port { port = "?port", holder = ci "mailer.exe", seen = false, as = "?h" },
    no(service { pid = "?pid" }),
    exists(process { pid = gt(0) }),
    test(function(m) return m.port ~= 0 end),
  },
  assert = { held_port { port = "?port", holder = "?name", seen = true } },
  modify = { { "?h", seen = true } },
  diagnose = "?name (PID ?pid) holds port ?port",
  remedy = function(m) return "Stop " .. m.name end,
  action = function(m)
    for _, f in ipairs(kb.facts("process")) do
      if f.pid == m.pid then kb.diagnose { message = f.name:upper(), severity = "info" } end
    end
  end,
}
