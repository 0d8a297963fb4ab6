-- The general layer: a `bind_failure` is any report that a service could
-- not open its port or address, whatever the product or log format said.
-- Article rules match bind failures, not raw events, so one rule covers
-- every spelling of every event that means the same thing.  This file
-- reads the Windows events (the Linux daemons' messages are read in
-- rules/linux/bind_failure.lua): the event sources and IDs of
-- rules/knowledge/event_sources.lua, and, for a source spelled some other
-- way, the message shapes below.

kind "bind_failure" {
  service  = always { "string", 'what could not bind: "information store", "nginx", ...' },
  protocol = { "string", '"POP3", "HTTP", ... when known' },
  port     = { "integer", "the port, when known" },
  address  = { "string", 'the address, when known ("0.0.0.0" for any)' },
  code     = { "integer", "as reported: 10048 (0x2740), 10049, 98, 99, 13, ..." },
  error    = { "string", 'the code\'s class (bind_error): "in_use", "not_available", "denied", "net_down", "other"; "bad_binding" for IIS\'s 113' },
  source   = { "string", "the event source or program that reported it" },
  pid      = { "integer", "the process that failed, when known" },
  user     = { "string", "the user it ran as, when the report names one" },
  time     = { "string", "when it was reported, when known" },
  event_id = { "integer", "the Windows event ID (nil for sc queryex's exit code)" },
  platform = { "string", '"windows" from the Windows rules; the Linux normalisers leave it unset' },
  instance = { "integer", 'the IIS site ("could not bind instance 1"), when the event names one' },
  port_from = { "string", 'where port comes from: "message", "protocol" (the event is the protocol\'s), "well-known" (assumed)' },
}

-- Knowledge does not change during a run: each kind is read once.  Each
-- kb.facts names its kind as written: kbdiag keeps every fact of a kind
-- that Lua reads whole, and tells which from the rule file's text (a kind
-- it cannot tell keeps every fact of every kind).
local read = {
  well_known_port = function() return kb.facts("well_known_port") end,
  bind_error = function() return kb.facts("bind_error") end,
  service_protocol = function() return kb.facts("service_protocol") end,
}
local known = {}
local function rows(kind)
  known[kind] = known[kind] or read[kind]()
  return known[kind]
end

local function well_known(protocol)
  for _, w in ipairs(rows("well_known_port")) do
    if w.protocol == protocol then return w.port end
  end
end

local function class(code)
  if code == nil then return nil end
  for _, b in ipairs(rows("bind_error")) do
    if b.code == code then return b.error end
  end
  return "other"
end

-- The port and address a message names, in any of the spellings events
-- use: "port number 389", "for port 23", "Port: 110", "0.0.0.0:143",
-- "[::]:443".  A number that only follows "PID" or "instance" is no port.
local function port_in(msg)
  local addr, port = msg:match("(%d+%.%d+%.%d+%.%d+):(%d+)")
  if not port then addr, port = msg:match("%[([%x:%.]*)%]:(%d+)") end
  if not port then port = msg:match("%f[%a][Pp]ort%s+number%s+(%d+)") end
  if not port then port = msg:match("%f[%a][Pp][Oo][Rr][Tt]%s*[:=#]?%s*(%d+)%f[%D]") end
  port = tonumber(port)
  if port and (port < 1 or port > 65535) then port, addr = nil, nil end
  return port, addr
end

-- The port of an event of a protocol's service: the one the message
-- names, else the protocol's well-known port.  IIS's event 115 names the
-- site ("could not bind instance 1"), whose binding the bundle does not
-- hold: the port is then the protocol's well-known one, and port_from
-- says it was assumed.
local function port_of(e, protocol, site)
  local msg = e.message or ""
  local named, addr = port_in(msg)
  -- a binary log's 113 or 115 has no text: its insertion string is the site
  local bare = site and e.message_from == "insertion strings" and msg:match("^%s*(%d+)")
  local instance = tonumber(msg:match("[Bb]ind%s+instance%s+(%d+)") or msg:match("^%s*[Ii]nstance%s+(%d+)") or bare)
  if named then return named, addr, instance, "message" end
  local port = protocol and well_known(protocol)
  if not port then return nil, nil, instance end
  return port, nil, instance, instance and "well-known" or "protocol"
end

local function report(e, service, protocol, error, site)
  local msg = e.message or ""
  protocol = protocol or (msg:match("on%s+(%w+)%s+interface") or ""):upper()
  if protocol == "" then protocol = nil end
  local port, addr, instance, from = port_of(e, protocol, site)
  kb.assert(bind_failure {
    service = service, protocol = protocol, port = port, address = addr, code = e.code,
    error = error or class(e.code), source = e.source, time = e.time, event_id = e.id, platform = "windows",
    instance = instance, port_from = from,
  })
end

-- Sources and IDs the knowledge lists (11508, 11506, 1306, 1309, 4007, 113, 115).
rule "bind-failure-windows-event" {
  salience = 100,
  when = {
    event { source = "?src", id = "?id", level = ne("information"), as = "?e" },
    bind_event { source = ci "?src", id = "?id", service = "?svc", protocol = "?proto", error = "?err", site = "?site" },
  },
  action = function(m) report(m.e, m.svc, m.proto, m.err, m.site) end,
}

-- The same messages under a source the knowledge does not list.  The
-- protocol is the pattern's capture where the message names it.  Pasted
-- and exported events wrap the text anywhere, so any blank in a shape
-- stands for any run of white space.
local shapes = {
  { "[Aa]ccept clients? on %w+ interface failed in function HrRegisterProtocol", "information store" },
  { "Register LDAP SSL protocol failed", "directory", "LDAPS" },
  { "Register LDAP protocol failed", "directory", "LDAP" },
  { "error occurred while trying to bind the TCP/IP listener socket", "Internet Mail Service", "SMTP" },
}
for _, s in ipairs(shapes) do s[1] = s[1]:gsub(" ", "%%s+") end

for i, s in ipairs(shapes) do
  rule ("bind-failure-windows-message-" .. i) {
    salience = 100,
    when = {
      event { message = match(s[1]), source = "?src", id = "?id", level = ne("information"), as = "?e" },
      no(bind_event { source = ci "?src", id = "?id" }),
    },
    action = function(m) report(m.e, s[2], s[3]) end,
  }
end

-- Any other Windows program whose event says it could not bind.  The
-- service is named after the event source; the address and port come
-- from the message, the protocol from the port.
local function other_bind(msg)
  for _, s in ipairs(shapes) do
    if msg:find(s[1]) then return false end
  end
  return true
end

local function report_other(e)
  local port, addr = port_in(e.message)
  local protocol
  for _, w in ipairs(rows("well_known_port")) do
    if port and w.port == port then protocol = w.protocol end
  end
  kb.assert(bind_failure {
    service = e.source and e.source .. " service" or "program", protocol = protocol, port = port, address = addr,
    code = e.code, error = class(e.code), source = e.source, time = e.time, event_id = e.id, platform = "windows",
    port_from = port and "message" or nil,
  })
end

-- With a Winsock bind code (bind_error rows of 10000 and above), in any
-- spelling the event readers know: "The IMAP4 service could not bind to
-- 0.0.0.0:143, Error: 10048." (Exchange 2007's MSExchangeIMAP4 1039), and
-- a Windows program's own log line ("failed to bind 0.0.0.0:8110 (10048:
-- ...)", read with --log), which has no event ID.
-- The Service Control Manager's events are start_failure.lua's.
rule "bind-failure-windows-other" {
  salience = 100,
  when = {
    event { message = { "?msg", match "[Bb][Ii][Nn][Dd]" }, code = { "?code", ge(10000) }, source = "?src", id = "?id",
            level = ne("information"), as = "?e" },
    bind_error { code = "?code" },
    no(bind_event { source = ci "?src", id = "?id" }),
    no(start_event { source = ci "?src", id = "?id" }),
    test(function(m) return other_bind(m.msg) end),
  },
  action = function(m) report_other(m.e) end,
}

-- Without a code, or with a bind code, a message that says in words that
-- an address or port could not be bound, and names the port: "Could not
-- bind to port 21.", "Port 8080 is already in use."  An LDAP "bind" (a
-- logon) names no port this way, or carries its own code (49), which is
-- no bind error.
local said = { "could not bind", "cannot bind", "can't bind", "unable to bind", "failed to bind", "bind failed",
               "bind%(%) failed", "bind error", "error binding", "already in use" }

local function says_unbound(msg)
  local text = msg:lower():gsub("%s+", " ")
  for _, words in ipairs(said) do
    if text:find(words) then return port_in(msg) ~= nil end
  end
  return false
end

-- Each wording with no code, and with a Winsock code bind_error lists.
-- Windows events have an ID; the Linux log lines, also `event` facts,
-- have none and are rules/linux/'s.
local coded = {
  function() return { code = test(function(v) return v == nil end) }, {} end,
  function() return { code = { "?code", ge(10000) } }, { bind_error { code = "?code" } } end,
}

for i, word in ipairs { "[Bb][Ii][Nn][Dd]", "already%s+in%s+use" } do
  for j, code in ipairs(coded) do
    local slots, more = code()
    slots.message, slots.source, slots.id, slots.level, slots.as =
      { "?msg", match(word) }, "?src", { "?id", ge(0) }, ne("information"), "?e"
    local when = { event(slots) }
    for _, c in ipairs(more) do when[#when + 1] = c end
    when[#when + 1] = no(bind_event { source = ci "?src", id = "?id" })
    when[#when + 1] = no(start_event { source = ci "?src", id = "?id" })
    when[#when + 1] = test(function(m) return other_bind(m.msg) and says_unbound(m.msg) end)
    rule ("bind-failure-windows-words-" .. i .. "-" .. j) {
      salience = 100,
      when = when,
      action = function(m) report_other(m.e) end,
    }
  end
end

-- A service the Service Control Manager (or sc queryex) says stopped with
-- a bind error: the 7023 of an FTP Publishing Service whose port 21 is
-- taken ("... terminated with the following error: Only one usage of each
-- socket address ...").  The SCM names no port: it is the well-known port
-- of the service's protocol when the service has one (service_protocol),
-- and port_from says it was assumed.  A 7001's error is the dependency's,
-- which the SCM reports by its own event.
local function sole_protocol(service)
  local found
  for _, p in ipairs(rows("service_protocol")) do
    if p.service == service then
      if found then return nil end
      found = p.protocol
    end
  end
  return found
end

rule "bind-failure-service-stopped" {
  salience = 100,
  when = {
    start_failure { service = { "?svc", test(function(v) return v ~= nil end) }, code = "?code", source = "?src",
                    event_id = "?id", time = "?time", cause = ne("dependency") },
    bind_error { code = "?code", error = "?err" },
  },
  action = function(m)
    local protocol = sole_protocol(m.svc)
    local port = protocol and well_known(protocol)
    kb.assert(bind_failure {
      service = m.svc, protocol = protocol, port = port, code = m.code, error = m.err, source = m.src, time = m.time,
      event_id = m.id, platform = "windows", port_from = port and "well-known" or nil,
    })
  end,
}
