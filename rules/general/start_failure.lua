-- A Windows service that did not start in time, as the Service Control
-- Manager logs it (start_event in rules/knowledge/event_sources.lua): the
-- symptom Q296086 quotes for an SMTP service whose port 25 is taken.  The
-- SCM names the service by its display name; windows_service says which
-- service that is.

kind "start_failure" {
  service = "string",   -- windows_service.service: "SMTP service"
  name = "string",      -- the service key: "SMTPSVC"
  source = "string",
  event_id = "integer",
  time = "string",
}

rule "start-failure-windows" {
  salience = 100,
  when = {
    event { source = "?src", id = "?id", message = "?msg", as = "?e" },
    start_event { source = ci "?src", id = "?id", pattern = "?pat" },
    test(function(m) return m.msg ~= nil and m.msg:find(m.pat) ~= nil end),
  },
  action = function(m)
    local msg = m.msg:lower():gsub("%s+", " ")
    for _, s in ipairs(kb.facts("windows_service")) do
      if s.display and msg:find(s.display:lower(), 1, true) then
        kb.assert(start_failure { service = s.service, name = s.name, source = m.e.source, event_id = m.e.id,
                                  time = m.e.time })
      end
    end
  end,
}
