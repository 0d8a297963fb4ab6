-- The general diagnoses of a Windows service that could not open its port,
-- for what no article covers (the articles assert `explained` for the
-- service and port they diagnose, and fire first: their salience is
-- higher).  The Linux bind failures have their own diagnoses in
-- rules/linux/; these read only the failures the Windows normalisers
-- derived (bind_failure.platform = "windows").

-- "The information store could not open TCP port 110 for POP3 (<reported>):
-- <situation>.", without the protocol for a port no well_known_port row names.
local function could_not_open(m)
  return "The " .. m.svc .. " could not open TCP port " .. m.port .. (m.proto and " for " .. m.proto or "") .. " ("
    .. m.reported .. "): " .. m.situation .. "."
end

-- Another program holds the port and the listing shows it (by name, PID or
-- at least as a listener).
rule "windows-port-in-use" {
  title = "Another program holds the port a Windows service needs",
  severity = "error",
  salience = -10,
  when = {
    port_conflict { service = "?svc", protocol = "?proto", port = "?port", owner = one_of { "program", "pid", "hidden" },
                    reported = "?reported", situation = "?situation", stop = "?stop", collect = "?collect" },
    no(explained { service = "?svc", port = "?port" }),
  },
  diagnose = could_not_open,
  remedy = "Quit ?stop or configure it to use another port, then restart the ?svc.?collect",
  assert = { explained { service = "?svc", port = "?port", rule = "windows-port-in-use" } },
}

-- The service reported "address in use", but the bundle cannot show the
-- holder: no listing, a listing without a listener on the port, or an NT
-- 4.0 listing that never shows listeners.
rule "windows-port-holder-unseen" {
  title = "A Windows service's port was taken, and the bundle does not show by whom",
  severity = "warning",
  salience = -10,
  when = {
    port_conflict { service = "?svc", protocol = "?proto", port = "?port", error = "in_use",
                    owner = one_of { "gone", "blind", "unlisted" },
                    reported = "?reported", situation = "?situation", collect = "?collect" },
    no(explained { service = "?svc", port = "?port" }),
  },
  diagnose = could_not_open,
  remedy = "Quit the program that holds port ?port or move it to another port, and restart the ?svc.?collect",
  assert = { explained { service = "?svc", port = "?port", rule = "windows-port-holder-unseen" } },
}
