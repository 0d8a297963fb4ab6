-- A two-step chain: the first rule derives a port conflict from an event
-- and a listener; the second diagnoses it unless the holder is the
-- information store itself.

kind "port_conflict" { port = "integer", pid = "integer", protocol = "string" }

local ports = { POP3 = 110, NNTP = 119, IMAP4 = 143 }

rule "derive-conflict" {
  when = {
    event { source = match "^MSExchange (%w+) Interface$", code = 10048, message = "?msg" },
    listener { protocol = "tcp", port = { "?port", one_of { 110, 119, 143 } }, pid = "?pid" },
    test(function(m)
      local proto = m.msg:match("on (%w+) interface")
      return proto ~= nil and ports[proto:upper()] == m.port
    end),
  },
  action = function(m)
    local proto = m.msg:match("on (%w+) interface"):upper()
    kb.assert(port_conflict { port = m.port, pid = m.pid, protocol = proto })
  end,
}

rule "diagnose-conflict" {
  article = "Q271275",
  title = "Another program holds a port the information store needs",
  severity = "error",
  when = {
    port_conflict { port = "?port", pid = "?pid", protocol = "?proto" },
    process { pid = "?pid", name = "?holder" },
    no(process { pid = "?pid", name = ci "store.exe" }),
  },
  diagnose = "?holder (PID ?pid) holds TCP port ?port, so the information store cannot accept ?proto clients.",
  remedy = "Stop ?holder or move it to another port, then restart the information store.",
}
