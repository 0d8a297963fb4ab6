-- The general layer: a `bind_failure` is any report that a service could
-- not open its port or address, whatever the product or log format said.
-- Article rules match bind failures, not raw events, so one rule covers
-- every spelling of every event that means the same thing.  This file
-- reads the Windows events (the Linux daemons' messages are read in
-- rules/linux/bind_failure.lua): the event sources and IDs of
-- rules/knowledge/event_sources.lua, and, for a source spelled some other
-- way, the message shapes below.

kind "bind_failure" {
  service  = { "string", 'what could not bind: "information store", "nginx", ...' },
  protocol = { "string", '"POP3", "HTTP", ... when known' },
  port     = { "integer", "the port, when known" },
  address  = { "string", 'the address, when known ("0.0.0.0" for any)' },
  code     = { "integer", "as reported: 10048 (0x2740), 10049, 98, 99, 13, ..." },
  error    = { "string", "the code's class (bind_error): \"in_use\", \"not_available\", \"denied\", \"net_down\", \"other\"" },
  source   = { "string", "the event source or program that reported it" },
  pid      = { "integer", "the process that failed, when known" },
  user     = { "string", "the user it ran as, when the report names one" },
  time     = { "string", "when it was reported, when known" },
  event_id = { "integer", "the Windows event ID" },
  platform = { "string", '"windows" from the Windows rules; the Linux normalisers leave it unset' },
}

-- Knowledge does not change during a run: each kind is read once.  Each
-- kb.facts names its kind as written: kbdiag keeps every fact of a kind
-- that Lua reads whole, and tells which from the rule file's text (a kind
-- it cannot tell keeps every fact of every kind).
local read = {
  well_known_port = function() return kb.facts("well_known_port") end,
  bind_error = function() return kb.facts("bind_error") end,
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

-- The port: the one the message names ("If port number 389 is used by
-- another application"), else the protocol's well-known port.  IIS's event
-- 115 names the site ("could not bind instance 1"): instance 1 is the
-- default site on the well-known port; another site's port is not known.
local function port_of(msg, protocol)
  local named = msg:match("[Pp]ort number%s+(%d+)")
  if named then return tonumber(named) end
  local instance = msg:match("bind%s+instance%s+(%d+)")
  if instance and instance ~= "1" then return nil end
  return well_known(protocol)
end

local function report(e, service, protocol)
  local msg = e.message or ""
  protocol = protocol or (msg:match("on%s+(%w+)%s+interface") or ""):upper()
  if protocol == "" then protocol = nil end
  kb.assert(bind_failure {
    service = service, protocol = protocol, port = protocol and port_of(msg, protocol), code = e.code,
    error = class(e.code), source = e.source, time = e.time, event_id = e.id, platform = "windows",
  })
end

-- Sources and IDs the knowledge lists (11508, 11506, 1306, 1309, 4007, 115).
rule "bind-failure-windows-event" {
  salience = 100,
  when = {
    event { source = "?src", id = "?id", level = ne("information"), as = "?e" },
    bind_event { source = ci "?src", id = "?id", service = "?svc", protocol = "?proto" },
  },
  action = function(m) report(m.e, m.svc, m.proto) end,
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

-- Any other Windows program whose event says it could not bind, with a
-- Winsock bind code (bind_error rows of 10000 and above) and a port:
-- "The IMAP4 service could not bind to 0.0.0.0:143, Error: 10048."
-- (Exchange 2007's MSExchangeIMAP4 1039).  The service is named after the
-- event source; the address and port come from the message.
local function other_bind(msg)
  for _, s in ipairs(shapes) do
    if msg:find(s[1]) then return false end
  end
  return msg:lower():find("bind", 1, true) ~= nil
end

rule "bind-failure-windows-other" {
  salience = 100,
  when = {
    event { message = { "?msg", match "[Bb][Ii][Nn][Dd]" }, code = { "?code", ge(10000) }, source = "?src", id = "?id",
            level = ne("information"), as = "?e" },
    bind_error { code = "?code" },
    no(bind_event { source = ci "?src", id = "?id" }),
    test(function(m) return other_bind(m.msg) end),
  },
  action = function(m)
    local addr, port = m.msg:match("(%d+%.%d+%.%d+%.%d+):(%d+)")
    if not port then addr, port = m.msg:match("%[([%x:]+)%]:(%d+)") end
    if not port then port = m.msg:match("[Pp]ort:?%s+(%d+)") end
    port = tonumber(port)
    local protocol
    for _, w in ipairs(rows("well_known_port")) do
      if port and w.port == port then protocol = w.protocol end
    end
    kb.assert(bind_failure {
      service = m.src .. " service", protocol = protocol, port = port, address = addr, code = m.code, error = class(m.code),
      source = m.src, time = m.e.time, event_id = m.id, platform = "windows",
    })
  end,
}
