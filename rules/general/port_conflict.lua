-- Who holds the port a Windows service could not open, as far as the
-- bundle shows it.  A `port_need` is a service that needed a TCP port and
-- failed: a bind failure that says "address in use" (or says no code at
-- all), or a start that timed out where the article blames the port
-- (windows_service.port_at_start, Q296086).  It has no time, so ten events
-- about one port are one need.  A `port_conflict` says what the listing
-- tells about the port's holder, in one of these states (`owner`):
--   program   netstat -ano with tasklist, or netstat -abno: the program and PID
--   pid       netstat -ano alone: a PID no process listing names
--   hidden    netstat -an (NT 4.0, 2000), or a live host's connection table
--             that gives no owner (wine's): a listener, but no PID
--   gone      a listing without a listener on the port (the holder exited)
--   blind     the host is Windows NT 4.0 before Service Pack 3, whose
--             netstat does not list listening sockets at all (KB Q134404):
--             a missing listener proves nothing
--   unlisted  no netstat listing in the bundle
-- A listener of the service's own program (windows_service.image, or its
-- service key in tasklist /svc or sc queryex) is no conflict: the service
-- has its port now, and `explained` says so, so no diagnosis reports the
-- old failure.  The text
-- slots are ready for messages, so every article says it the same way:
--   "The information store could not open TCP port 110 for POP3
--    (<reported>): <situation>."   Remedy: "Quit <stop> ... <collect>"

-- The need's slots, and a conflict's: the need's and what the listing shows.
local need_slots = {
  service   = always { "string", "the windows_service that needed the port" },
  protocol  = { "string", 'what it serves on the port: "POP3"' },
  port      = always { "integer", "the TCP port it needed" },
  code      = { "integer", "the error code reported; nil: the report has none" },
  error     = { "string", '"in_use", or nil with the code' },
  source    = { "string", "the event source that reported it" },
  event_id  = { "integer", "the event ID that reported it; nil: no event (sc queryex's exit code)" },
  basis     = { "string", '"bind" (a bind failure) or "start" (a start that timed out)' },
  port_from = { "string", 'bind_failure.port_from: "well-known" when the report names no port' },
  instance  = { "integer", "the IIS site the report names" },
}
kind "port_need" (need_slots)

local conflict_slots = {
  owner     = always { "string", 'what the listing shows: "program", "pid", "hidden", "gone", "blind", "unlisted"' },
  holder    = { "string", "the holding program's image name, when known" },
  pid       = { "integer", "its PID, when known" },
  reported  = always { "string", '"event 11508, error 0x2740 (WSAEADDRINUSE, address already in use)"; never "nil"' },
  situation = always { "string", '"PoProxy.exe (PID 812) holds it"' },
  stop      = always { "string", 'what to quit: "PoProxy.exe (PID 812)"' },
  collect   = always { "string", 'what to collect next, after a space ("" when nothing)' },
}
for slot, declaration in pairs(need_slots) do conflict_slots[slot] = declaration end
kind "port_conflict" (conflict_slots)

-- A diagnosis that has said what is wrong with a service's port, so the
-- general ones (port_in_use.lua) do not say it again.
kind "explained" {
  service = { "string", "the service whose port a diagnosis explained" },
  port    = { "integer", "the port" },
  rule    = { "string", "the rule that explained it" },
}

local function is_nil(v) return v == nil end
local function not_nil(v) return v ~= nil end

-- ---- needs ----------------------------------------------------------------

rule "port-need-bind" {
  salience = 90,
  when = {
    bind_failure { platform = "windows", service = "?svc", protocol = "?proto", port = { "?port", gt(0) },
                   code = "?code", error = { "?err", test(function(v) return v == nil or v == "in_use" end) },
                   source = "?src", event_id = "?id", port_from = "?from", instance = "?instance" },
  },
  assert = { port_need { service = "?svc", protocol = "?proto", port = "?port", code = "?code", error = "?err",
                         source = "?src", event_id = "?id", basis = "bind", port_from = "?from",
                         instance = "?instance" } },
}

rule "port-need-start" {
  salience = 90,
  when = {
    start_failure { service = "?svc", source = "?src", event_id = "?id", cause = "timeout" },
    windows_service { service = "?svc", port_at_start = true },
    service_protocol { service = "?svc", protocol = "?proto" },
    well_known_port { protocol = "?proto", port = "?port", transport = "tcp" },
  },
  assert = { port_need { service = "?svc", protocol = "?proto", port = "?port", source = "?src", event_id = "?id",
                         basis = "start" } },
}

-- ---- texts ----------------------------------------------------------------

local names = {}
local function code_name(code)
  if not names[code] then
    names[code] = ""
    for _, b in ipairs(kb.facts("bind_error")) do
      if b.code == code then names[code] = " (" .. b.name .. ", " .. b.meaning .. ")" end
    end
  end
  return names[code]
end

-- Where the port came from, when the report does not name it.
local function port_note(n)
  if n.port_from ~= "well-known" then return "" end
  local named = n.instance and "names site instance " .. n.instance .. ", whose binding the bundle does not show"
    or "names no port"
  return "; the report " .. named .. ": " .. n.port .. " is " .. n.protocol .. "'s well-known port"
end

-- What reported the failure: an event (by its ID, with the SCM's name for
-- its own), else the program that showed it (sc queryex's exit code).
local function reported(n)
  local what
  if n.event_id ~= nil then
    what = (n.source == "Service Control Manager" and "Service Control Manager " or "") .. "event " .. n.event_id
  else
    what = n.source or "the service listing"
  end
  if n.basis == "start" then return what end
  if n.code == nil then return what .. ", which carries no error code" .. port_note(n) end
  local kind = n.source == "sc queryex" and ": exit code " or ", error "
  return what .. kind .. string.format("0x%X", n.code) .. code_name(n.code) .. port_note(n)
end

-- The Windows services running in a PID, from tasklist /svc or sc queryex.
local function services_in(pid)
  local out = {}
  for _, s in ipairs(kb.facts("service")) do
    if s.pid == pid and s.name and s.state ~= "stopped" then out[#out + 1] = s.name end
  end
  table.sort(out)
  return out
end

local function described(image, pid)
  local svcs = services_in(pid)
  local extra = #svcs > 0 and (#svcs > 1 and ", services " or ", service ") .. table.concat(svcs, ", ") or ""
  return image .. " (PID " .. pid .. extra .. ")"
end

local function conflict(n, owner, holder, pid, situation, stop, collect)
  kb.assert(port_conflict {
    service = n.service, protocol = n.protocol, port = n.port, code = n.code, error = n.error,
    source = n.source, event_id = n.event_id, basis = n.basis, port_from = n.port_from, instance = n.instance,
    owner = owner, holder = holder, pid = pid,
    reported = reported(n), situation = situation, stop = stop, collect = collect == "" and "" or " " .. collect,
  })
end

local function taken(n)
  -- a failure without a code only says the port is taken when a listener shows it
  return n.error == "in_use" and "another program holds it" or "the report does not say whether another program holds it"
end

-- ---- the service's own program ---------------------------------------------

-- A PID that runs one of a service's own service keys (windows_service.name,
-- as tasklist /svc or sc queryex list it, unless stopped).
kind "own_pid" {
  service = { "string", "the windows_service" },
  pid     = { "integer", "a process that runs one of its service keys" },
}

rule "own-pid" {
  salience = 100,
  when = {
    windows_service { service = "?svc", name = "?key" },
    service { name = ci "?key", pid = "?pid", state = ne("stopped") },
  },
  assert = { own_pid { service = "?svc", pid = "?pid" } },
}

-- Where the holder's image name comes from: a process listing of any kind
-- (with netstat -ano), or netstat -abno, which names it on the listener.
-- Each has a rule for the service's own program and one for another's.
local function listening(more)
  local slots = { protocol = "tcp", port = "?port", pid = { "?pid", ge(0) } }
  for k, v in pairs(more or {}) do slots[k] = v end
  return listener(slots)
end
local named = {
  { own = "image", other = "program",
    when = function() return { listening(), process { pid = "?pid", name = "?holder" } } end },
  { own = "listing", other = "image",
    when = function()
      return { listening { process = { "?holder", test(not_nil) } }, no(process { pid = "?pid" }) }
    end },
}

-- The conditions of each list in turn.
local function chain(...)
  local out = {}
  for _, list in ipairs { ... } do
    for _, c in ipairs(list) do out[#out + 1] = c end
  end
  return out
end

local own_image = function() return windows_service { service = "?svc", image = ci "?holder" } end
local own_key = function() return own_pid { service = "?svc", pid = "?pid" } end
local held_by_service = function() return { explained { service = "?svc", port = "?port", rule = "port-held-by-service" } } end

local need = function() return port_need { port = "?port", service = "?svc", as = "?n" } end
-- for what needs neither the service's programs nor its name
local any_need = function() return port_need { port = "?port", as = "?n" } end
local needed = function() return port_need { port = "?port", service = "?svc" } end

-- A listener on the port whose program is the service's own (by image
-- name) or runs one of its service keys is no conflict: the service has
-- its port now.
rule "port-held-by-service-key" {
  salience = 80,
  when = { needed(), listening(), own_key() },
  assert = held_by_service(),
}

for _, h in ipairs(named) do
  rule ("port-held-by-service-" .. h.own) {
    salience = 80,
    when = chain({ needed() }, h.when(), { own_image() }),
    assert = held_by_service(),
  }
end

-- ---- what the listing shows ---------------------------------------------------

-- Another program, named.
for _, h in ipairs(named) do
  rule ("port-conflict-" .. h.other) {
    salience = 80,
    when = chain({ need() }, h.when(), { no(own_image()), no(own_key()) }),
    action = function(m)
      local who = described(m.holder, m.pid)
      conflict(m.n, "program", m.holder, m.pid, who .. " holds it", who, "")
    end,
  }
end

-- netstat -ano without a process listing: a PID, perhaps a service (sc queryex).
rule "port-conflict-pid" {
  salience = 80,
  when = {
    need(),
    listener { protocol = "tcp", port = "?port", pid = { "?pid", ge(0) }, process = test(is_nil) },
    no(process { pid = "?pid" }),
    no(own_key()),
  },
  action = function(m)
    local svcs = services_in(m.pid)
    if #svcs > 0 then
      local who = "the program running " .. table.concat(svcs, ", ") .. " (PID " .. m.pid .. ")"
      return conflict(m.n, "pid", nil, m.pid, who .. " holds it", who,
                      "Run tasklist /svc on the server to see which program PID " .. m.pid .. " is.")
    end
    conflict(m.n, "pid", nil, m.pid, "the program with PID " .. m.pid .. " holds it (the bundle does not say which program that is)",
             "the program with PID " .. m.pid, "Run tasklist /svc on the server to see which program PID " .. m.pid .. " is.")
  end,
}

-- netstat -an: someone listens, nobody says who.
rule "port-conflict-hidden" {
  salience = 80,
  when = {
    any_need(),
    listener { protocol = "tcp", port = "?port", pid = test(is_nil) },
    no(listener { protocol = "tcp", port = "?port", pid = ge(0) }),
  },
  action = function(m)
    conflict(m.n, "hidden", nil, nil, "an unknown program holds it (the listing shows no PIDs: netstat -ano with "
               .. "tasklist /svc, or netstat -abno, names it)",
             "the program on port " .. m.port,
             "On Windows NT 4.0 and 2000, whose netstat has no -o, a tool that maps ports to processes names it.")
  end,
}

local old_nt = { os_version = one_of { "3.5", "3.51", "4.0" }, service_pack = lt(3) }

-- A listing (listeners or connections) without a listener on the port, on a
-- host whose netstat lists listeners: the holder is gone.  Only a report of
-- "address in use" says there was one.
for _, listing in ipairs { "listener", "connection" } do
  rule ("port-conflict-gone-" .. listing) {
    salience = 80,
    when = {
      port_need { port = "?port", error = "in_use", as = "?n" },
      exists(_G[listing] {}),
      no(listener { protocol = "tcp", port = "?port" }),
      no(host(old_nt)),
    },
    action = function(m)
      conflict(m.n, "gone", nil, nil,
               "another program held it, but the netstat listing shows no listener on port " .. m.port
                 .. " now (it may have exited since)",
               "the program that held port " .. m.port,
               "If the failure comes back, run netstat -ano and tasklist /svc on the server while it fails.")
    end,
  }

  -- Windows NT 3.5, 3.51 and 4.0 before Service Pack 3: netstat -a shows
  -- established and TIME_WAIT sockets only (KB Q134404, Q131482).
  rule ("port-conflict-blind-" .. listing) {
    salience = 80,
    when = {
      need(),
      host { os_version = one_of { "3.5", "3.51", "4.0" }, service_pack = lt(3), as = "?h" },
      exists(_G[listing] {}),
      no(listener { protocol = "tcp", port = "?port" }),
    },
    action = function(m)
      conflict(m.n, "blind", nil, nil,
               taken(m.n) .. ", but netstat on Windows NT " .. m.h.os_version .. " before Service Pack 3 does not list "
                 .. "listening sockets (KB Q134404), so the missing listener on port " .. m.port .. " proves nothing",
               "the program on port " .. m.port,
               "Stop the " .. m.svc .. " and run telnet localhost " .. m.port .. " on the server: whatever answers holds the "
                 .. "port; or apply Service Pack 3 or later, whose netstat lists listening sockets.")
    end,
  }
end

rule "port-conflict-unlisted" {
  salience = 80,
  when = {
    any_need(),
    no(listener {}),
    no(connection {}),
  },
  action = function(m)
    conflict(m.n, "unlisted", nil, nil, taken(m.n) .. "; the bundle has no netstat listing to show which program "
               .. "(send netstat -ano and tasklist /svc)",
             "the program on port " .. m.port,
             "Send the output of netstat -ano and tasklist /svc from the server (netstat -an on Windows NT 4.0 and 2000).")
  end,
}
