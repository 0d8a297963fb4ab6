-- A daemon could not bind (EADDRINUSE: nginx "bind() to 127.0.0.1:8080
-- failed (98: Address already in use)", sshd "Bind to port 22 on 0.0.0.0
-- failed: Address already in use.", ...) because another program listens
-- there, and the listing names it.  The Linux counterpart of Q271275.  The
-- support engineer needs the holder's name, PID, user and since when it
-- runs (its `process` fact), to judge whether it belongs there.  A holder
-- with the failing daemon's own PID is not another program: no finding
-- (no holder_listener).

local function endpoint(addr, port)
  if addr == nil then return "port " .. port end
  return (addr:find(":", 1, true) and "[" .. addr .. "]" or addr) .. ":" .. port
end

-- The distinct values of list, sorted, joined with "and".
local function joined(list)
  local seen, out = {}, {}
  for _, v in ipairs(list) do
    if not seen[v] then seen[v], out[#out + 1] = true, v end
  end
  table.sort(out)
  if #out <= 1 then return out[1] or "", #out end
  return table.concat(out, ", ", 1, #out - 1) .. " and " .. out[#out], #out
end

-- One listener of a port_holder's program on the port, in a process other
-- than those whose bind failed there: a listener of the failing daemon
-- itself (its other socket, an address it did get) holds nothing against
-- it.  `holder` is port_holder's name for the program.
kind "holder_listener" {
  service = { "string", "the daemon whose bind failed" },
  port    = { "integer", "the port it could not bind" },
  holder  = { "string", "port_holder's name for the program that holds it" },
  pid     = { "integer", "the holding process" },
  address = { "string", "the address the holder listens on" },
  user    = { "string", "the user the holder runs as, when known" },
}

local function not_nil(v) return v ~= nil end

rule "linux-holder-listener" {
  salience = 50,
  when = {
    port_holder { service = "?svc", port = "?port", holder = "?holder", owner_known = true },
    listener { protocol = "tcp", port = "?port", pid = { "?pid", test(not_nil) }, process = "?proc", owner_known = ne(false),
               address = "?addr", user = "?user" },
    test(function(m) return (m.proc or "PID " .. m.pid) == m.holder end),
    no(bind_failure { service = "?svc", port = "?port", error = "in_use", pid = "?pid" }),
  },
  assert = { holder_listener { service = "?svc", port = "?port", holder = "?holder", pid = "?pid", address = "?addr",
                               user = "?user" } },
}

-- What the daemon asked for.
local function failure(m)
  local asked = {}
  for _, b in ipairs(kb.facts("bind_failure")) do
    if b.service == m.svc and b.port == m.port and b.error == "in_use" then
      asked[#asked + 1] = endpoint(b.address, m.port)
    end
  end
  return asked
end

-- The addresses the holder's listeners hold, its PIDs and its main
-- process: the one whose parent is none of the others (nginx's master, not
-- its workers).
local function holding(m)
  local held, pids, byp = {}, {}, {}
  for _, l in ipairs(kb.facts("holder_listener")) do
    if l.service == m.svc and l.port == m.port and l.holder == m.holder then
      held[#held + 1] = endpoint(l.address, m.port)
      if not byp[l.pid] then byp[l.pid], pids[#pids + 1] = l, l.pid end
    end
  end
  table.sort(pids)
  local procs = {}
  for _, p in ipairs(kb.facts("process")) do
    if byp[p.pid] then procs[p.pid] = p end
  end
  local main = pids[1]
  for _, pid in ipairs(pids) do
    local p = procs[pid]
    if p and not (p.ppid and byp[p.ppid]) then main = pid break end
  end
  return held, pids, main, byp[main], procs[main]
end

-- "python3 (PID 4242, user www-data, running since 2026-11-21 09:14)"
local function describe(name, pids, main, l, p)
  local parts = { "PID " .. main }
  local user = (p and p.user) or l.user
  if user then parts[#parts + 1] = "user " .. user end
  local day, time = (p and p.started or ""):match("^(%d+%-%d+%-%d+)[T ](%d+:%d+)")
  if day then
    parts[#parts + 1] = "running since " .. day .. " " .. time
  elseif p and p.started then
    parts[#parts + 1] = "running since " .. p.started
  end
  local others = {}
  for _, pid in ipairs(pids) do
    if pid ~= main then others[#others + 1] = tostring(pid) end
  end
  if #others == 1 then parts[#parts + 1] = "with PID " .. others[1] .. " sharing the socket" end
  if #others > 1 then
    parts[#parts + 1] = "with PIDs " .. table.concat(others, ", ", 1, #others - 1) .. " and " .. others[#others]
      .. " sharing the socket"
  end
  return name .. " (" .. table.concat(parts, ", ") .. ")"
end

local function own_process(svc)
  for _, d in ipairs(kb.facts("linux_daemon")) do
    if d.service == svc then return d.process end
  end
end

-- What the message and the remedy of one firing both need, read once
-- (kb.facts walks every fact, and a journal may bring 100,000).
local last = {}
local function situation(m)
  local key = m.svc .. "|" .. m.port .. "|" .. m.holder
  if last.key ~= key then
    local held, pids, main, l, p = holding(m)
    last = { key = key, asked = failure(m), held = held, pids = pids, main = main, l = l, p = p }
  end
  return last
end

rule "linux-port-in-use" {
  title = "Another program holds the port a daemon needs",
  severity = "error",
  when = {
    port_holder { service = "?svc", port = "?port", holder = "?holder", owner_known = true },
    exists(holder_listener { service = "?svc", port = "?port", holder = "?holder" }),
  },
  diagnose = function(m)
    local s = situation(m)
    local want, nwant = joined(s.asked)
    local have = joined(s.held)
    local text = m.svc .. " cannot bind " .. want .. ": " .. describe(m.holder, s.pids, s.main, s.l, s.p) .. " holds "
      .. (have == want and (nwant > 1 and "them" or "it") or have) .. "."
    if m.holder == own_process(m.svc) or m.holder == m.svc then
      text = text .. " That is another " .. m.svc .. ": " .. m.svc .. " is already running, or an old instance did not exit."
    end
    return text
  end,
  remedy = function(m)
    return "Stop " .. m.holder .. " (PID " .. tostring(situation(m).main) .. ") or move it to another port, or configure "
      .. m.svc .. " to use another port; then restart " .. m.svc .. " (systemctl restart " .. m.svc
      .. "). `ss -ltnp 'sport = :" .. m.port .. "'` shows the holder."
  end,
}
