-- The last word on a Windows bind failure nothing else explained: what the
-- event says, with the meaning of its code, so no reported failure goes
-- unmentioned (a code no article covers, a site of IIS on a port the
-- evidence does not give, a code-less event 115 with no listener on the
-- port).

local function meaning(code)
  if code == nil then return "the event carries no error code" end
  for _, b in ipairs(kb.facts("bind_error")) do
    if b.code == code then return "error " .. string.format("0x%X", code) .. " (" .. b.name .. ", " .. b.meaning .. ")" end
  end
  return "error " .. string.format("0x%X", code) .. " (" .. code .. ")"
end

rule "windows-bind-failure" {
  title = "A Windows service could not open its port",
  severity = "warning",
  salience = -20,
  when = {
    bind_failure { platform = "windows", service = "?svc", protocol = "?proto", port = "?port", code = "?code",
                   event_id = "?id", source = "?src" },
    no(explained { service = "?svc", port = "?port" }),
  },
  diagnose = function(m)
    local what = m.port and ("TCP port " .. m.port .. (m.proto and " for " .. m.proto or "")) or "its port"
    return "The " .. m.svc .. " could not open " .. what .. " (" .. m.src .. " event " .. m.id .. ": " .. meaning(m.code) .. ")."
  end,
  remedy = "Run netstat -ano and tasklist /svc on the server while the failure happens to see what holds the port, "
    .. "and check the ?svc's port and address settings; then restart it.",
  assert = { explained { service = "?svc", port = "?port", rule = "windows-bind-failure" } },
}
