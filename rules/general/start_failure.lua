-- A Windows service that failed to start or stopped, as the Service
-- Control Manager logs it (start_event in rules/knowledge/event_sources.lua:
-- 7000, 7001, 7009, 7023, 7024, 7031, 7034), or as `sc queryex` shows it
-- (STOPPED with a WIN32_EXIT_CODE).  Any service, not only those the
-- knowledge lists: the SCM names it by its display name, and
-- windows_service (rules/knowledge/windows_services.lua) or the service
-- listings (sc queryex, Get-Service) say which service key that is.
-- bind_failure.lua makes a `bind_failure` of each whose code is a bind
-- error.

kind "start_failure" {
  service  = { "string", 'windows_service.service ("FTP service"), else the display name the SCM gives' },
  display  = { "string", 'the display name the SCM gives: "FTP Publishing Service"' },
  name     = { "string", 'the service key, where known: "MSFTPSVC"' },
  source   = { "string", 'the event source that reported it: "Service Control Manager", or "sc queryex"' },
  event_id = { "integer", "the event ID: 7000, 7009, 7023 ...; none for sc queryex" },
  time     = { "string", "when it was reported, when known" },
  cause    = { "string", 'start_event.cause: "error", "dependency", "timeout", "crash"' },
  code     = { "integer", "the error the SCM reports (the event's code, the exit code)" },
}

-- The display name in an SCM message as event_messages.lua's templates
-- and Event Viewer (NT 4.0 to 2003) render it, with the insertion string
-- it is (%1, or %2 for 7009's "%1 milliseconds ... %2 service").
local shapes = {
  { "^%s*The (.-) service failed to start", 1 },
  { "^%s*The (.-) service depends on the ", 1 },
  { "waiting for the (.-) service to connect", 2 },
  { "^%s*The (.-) service terminated ", 1 },
}

-- Knowledge does not change during a run: each kind is read once.  Each
-- kb.facts names its kind as written (docs/writing-rules.md §10).
local read = {
  windows_service = function() return kb.facts("windows_service") end,
  service = function() return kb.facts("service") end,
}

local function lower_spaced(s) return (s:lower():gsub("%s+", " ")) end

-- The service whose display name is display or whose key is key (any
-- case): a listed service (sc queryex, Get-Service) gives the key of a
-- display name; windows_service gives the name findings use.  Neither
-- knowing it, the display name as the SCM gives it (else the key).
local function lookup(display, key)
  local want = display and lower_spaced(display)
  if want and not key then
    for _, s in ipairs(read.service()) do
      if s.display_name and lower_spaced(s.display_name) == want then key = s.name break end
    end
  end
  local wkey = key and key:lower()
  for _, w in ipairs(read.windows_service()) do
    if (want and w.display and lower_spaced(w.display) == want) or (wkey and w.name and w.name:lower() == wkey) then
      return w.service, w.name
    end
  end
  return display or key, key
end

-- A display name the knowledge or the listings have that the message
-- names anywhere: a message in another language quotes it as it is.
local function named_in(msg)
  local text = lower_spaced(msg)
  for _, w in ipairs(read.windows_service()) do
    if w.display and text:find(lower_spaced(w.display), 1, true) then return w.display end
  end
  for _, s in ipairs(read.service()) do
    if s.display_name and text:find(lower_spaced(s.display_name), 1, true) then return s.display_name end
  end
end

local function display_of(e)
  local msg = e.message or ""
  if e.message_from == "insertion strings" then
    -- no template: "%1, %2, ..." as the record holds them
    local strings = {}
    for s in (msg .. ", "):gmatch("(.-), ") do strings[#strings + 1] = s end
    return strings[e.id == 7009 and 2 or 1]
  end
  for _, s in ipairs(shapes) do
    local name = msg:match(s[1])
    if name then return (name:gsub("%s+", " ")) end
  end
  return named_in(msg)
end

-- A failure is not logged as information (the SCM logs these as errors);
-- saying so also lets kbdiag leave out, as it reads them, the information
-- events that fill most exports (its pre-filter keeps only events some
-- pattern's own tests let through), and the start_event table keeps only
-- the SCM's IDs.
rule "start-failure-windows" {
  salience = 100,
  when = {
    event { source = "?src", id = "?id", level = ne("information"), as = "?e" },
    start_event { source = ci "?src", id = "?id", cause = "?cause" },
  },
  action = function(m)
    local display = display_of(m.e)
    local service, key
    if display then service, key = lookup(display) end
    -- 7000 with error 1053 "did not respond ... in a timely fashion" is a
    -- start that timed out, as 7009 is (Q296086)
    local cause = m.e.code == 1053 and "timeout" or m.cause
    kb.assert(start_failure {
      service = service, display = display, name = key, source = m.src, event_id = m.id, time = m.e.time,
      cause = cause, code = m.e.code,
    })
  end,
}

-- sc queryex of a stopped service whose WIN32_EXIT_CODE is a bind error
-- (other exit codes of stopped services, such as 1077 "never started",
-- are no failure).
rule "start-failure-exit-code" {
  salience = 100,
  when = {
    service { name = "?key", display_name = "?display", state = "stopped", exit_code = "?code" },
    bind_error { code = "?code" },
  },
  action = function(m)
    local service = lookup(m.display, m.key)
    kb.assert(start_failure { service = service, display = m.display, name = m.key, source = "sc queryex",
                              cause = "error", code = m.code })
  end,
}
