-- A Windows service that did not start in time, as the Service Control
-- Manager logs it (start_event in rules/knowledge/event_sources.lua): the
-- symptom Q296086 quotes for an SMTP service whose port 25 is taken.  The
-- SCM names the service by its display name; windows_service says which
-- service that is.

kind "start_failure" {
  service  = { "string", 'windows_service.service: "SMTP service"' },
  name     = { "string", 'the service key: "SMTPSVC"' },
  source   = { "string", "the event source that reported it" },
  event_id = { "integer", "the event ID: 7000, 7009" },
  time     = { "string", "when it was reported, when known" },
}

-- Whether the event's message names the service by its display name, in
-- any case, and wrapped anywhere (a run of white space reads as a blank).
local function names(msg, display)
  return display ~= nil and msg:lower():gsub("%s+", " "):find(display:lower(), 1, true) ~= nil
end

-- A failure is not logged as information (the SCM logs these as errors);
-- saying so also lets kbdiag leave out, as it reads them, the information
-- events that fill most exports (its pre-filter keeps only events some
-- pattern's own tests let through, and this pattern would let all in).
rule "start-failure-windows" {
  salience = 100,
  when = {
    event { source = "?src", id = "?id", message = "?msg", time = "?time", level = ne("information") },
    start_event { source = ci "?src", id = "?id", pattern = "?pat" },
    test(function(m) return m.msg ~= nil and m.msg:find(m.pat) ~= nil end),
    windows_service { display = "?display", service = "?svc", name = "?key" },
    test(function(m) return names(m.msg, m.display) end),
  },
  assert = { start_failure { service = "?svc", name = "?key", source = "?src", event_id = "?id", time = "?time" } },
}
