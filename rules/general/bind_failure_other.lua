-- The last word on a Windows bind failure nothing else explained: what the
-- event says, with the meaning of its code, so no reported failure goes
-- unmentioned (a code no article covers, a site of IIS on a port the
-- evidence does not give, a code-less event 115 with no listener on the
-- port).

-- "error 0x2740 (WSAEADDRINUSE, address already in use)"; `what` is "error"
-- for an event's code, "exit code" for sc queryex's.
local function meaning(code, what)
  for _, b in ipairs(kb.facts("bind_error")) do
    if b.code == code then return what .. " " .. string.format("0x%X", code) .. " (" .. b.name .. ", " .. b.meaning .. ")" end
  end
  return what .. " " .. string.format("0x%X", code) .. " (" .. code .. ")"
end

rule "windows-bind-failure" {
  title = "A Windows service could not open its port",
  severity = "warning",
  salience = -20,
  when = {
    bind_failure { platform = "windows", service = "?svc", protocol = "?proto", port = "?port", code = "?code",
                   event_id = "?id", source = "?src", error = "?err", port_from = "?from", instance = "?instance" },
    no(explained { service = "?svc", port = "?port" }),
  },
  diagnose = function(m)
    local what = m.port and ("TCP port " .. m.port .. (m.proto and " for " .. m.proto or "")) or "its port"
    -- an event whose source is not given, or sc queryex's exit code (no event)
    local by = m.id and ((m.src and m.src .. " " or "") .. "event " .. m.id) or m.src or "the service listing"
    local site = m.instance and ", site instance " .. m.instance or ""
    local said = m.err == "bad_binding" and "the site's binding is not one the service can open"
      or m.code and meaning(m.code, m.id and "error" or "exit code") or "the event carries no error code"
    local assumed = m.from == "well-known" and "; the report names no port: " .. m.port .. " is " .. m.proto
      .. "'s well-known port" or ""
    return "The " .. m.svc .. " could not open " .. what .. " (" .. by .. site .. ": " .. said .. assumed .. ")."
  end,
  remedy = "Run netstat -ano and tasklist /svc on the server while the failure happens to see what holds the port, "
    .. "and check the ?svc's port and address settings; then restart it.",
  assert = { explained { service = "?svc", port = "?port", rule = "windows-bind-failure" } },
}
