-- A daemon could not bind (EADDRINUSE) and a listener holds the port, but
-- kbdiag could not see whose it is: without root, /proc/PID/fd of other
-- users' processes cannot be read, so the collector lists the socket with
-- owner_known = false.  Saying so plainly beats guessing; the remedy is to
-- look again with the privilege to see the owner.

local function endpoint(addr, port)
  if addr == nil then return "port " .. port end
  return (addr:find(":", 1, true) and "[" .. addr .. "]" or addr) .. ":" .. port
end

local function joined(list)
  local seen, out = {}, {}
  for _, v in ipairs(list) do
    if not seen[v] then seen[v], out[#out + 1] = true, v end
  end
  table.sort(out)
  if #out <= 1 then return out[1] or "" end
  return table.concat(out, ", ", 1, #out - 1) .. " and " .. out[#out]
end

rule "linux-port-owner-unknown" {
  title = "A program kbdiag cannot see holds the port a daemon needs",
  severity = "error",
  when = {
    port_holder { service = "?svc", port = "?port", owner_known = false },
  },
  diagnose = function(m)
    local asked, held = {}, {}
    for _, b in ipairs(kb.facts("bind_problem")) do
      if b.service == m.svc and b.port == m.port and b.error == "in_use" then asked[#asked + 1] = endpoint(b.address, m.port) end
    end
    for _, l in ipairs(kb.facts("listener")) do
      if l.port == m.port and l.protocol == "tcp" and (l.owner_known == false or not l.pid) then
        held[#held + 1] = endpoint(l.address, m.port)
      end
    end
    return m.svc .. " cannot bind " .. joined(asked) .. ": a program listens on " .. joined(held)
      .. ", but kbdiag ran without root and could not see which one."
  end,
  remedy = "Run kbdiag as root (sudo kbdiag run), or `sudo ss -ltnp 'sport = :?port'`, to name the program; "
    .. "then stop it or move it to another port, and restart ?svc.",
}
