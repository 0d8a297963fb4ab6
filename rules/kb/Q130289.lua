-- Q130289 TN3270 Errors with Telnet Daemon Installed.
-- SNA Server's TN3270 service and a Telnet daemon both take port 23 by
-- default.  Whichever starts second fails: the TN3270 service logs 205
-- "Windows Sockets API call BIND for port 23 failed with return code
-- WSAEADDRINUSE" (after 102, initialization failed), a Telnet daemon
-- 6553 "Could not create service: telnet; error code 10048".  The rules
-- below turn those events into bind failures, so the general layer says
-- what holds the port (rules/general/port_conflict.lua), and the article
-- rule names it.  Another return code is another problem.
-- The general layer reads a 205 in words ("BIND for port 23", with the
-- code), but not a binary log's (insertion strings "23, WSAEADDRINUSE")
-- nor the Telnet daemon's 6553, hence the raw-event rules here.  Where it
-- does read the 205, its bind failure is the "<event source> service"'s
-- (bind_failure.lua), the same failure under another name: the finding
-- explains that name too, so no general finding repeats it.

local function in_use(m)
  return m.code == 10048 or (m.msg or ""):find("WSAEADDRINUSE", 1, true) ~= nil
end

-- "BIND for port 23" in the text; a binary log's strings ("23, WSAEADDRINUSE")
-- start with it.
local function port_named(msg)
  msg = msg or ""
  return tonumber(msg:match("[Pp]ort%s+(%d+)") or msg:match("^(%d+)")) or 23
end

local function failed(m, service, event_id)
  kb.assert(bind_failure {
    service = service, protocol = "Telnet", port = port_named(m.msg), code = 10048, error = "in_use",
    source = m.src, time = m.time, event_id = event_id, platform = "windows",
  })
end

rule "Q130289-tn3270-bind" {
  salience = 100,
  when = {
    event { id = 205, level = ne("information"), source = "?src", message = "?msg", code = "?code",
            time = "?time" },
    test(in_use),
  },
  action = function(m) failed(m, "TN3270 service", 205) end,
}

rule "Q130289-telnet-bind" {
  salience = 100,
  when = {
    event { id = 6553, level = ne("information"), source = "?src", code = "?code", time = "?time",
            message = { "?msg", match "[Cc]ould%s+not%s+create%s+service:%s*telnet" } },
    test(in_use),
  },
  action = function(m) failed(m, "Telnet daemon", 6553) end,
}

rule "Q130289" {
  article = "Q130289",
  title = "The TN3270 service and a Telnet daemon both need port 23",
  severity = "error",
  salience = 30,
  products = { "SNA Server 2.1", "SNA Server 2.11", "SNA Server 3.0", "SNA Server 4.0" },
  when = {
    port_conflict { service = { "?svc", one_of { "TN3270 service", "Telnet daemon" } }, basis = "bind", port = "?port",
                    source = "?src", owner = one_of { "program", "pid", "hidden", "gone", "blind", "unlisted" },
                    reported = "?reported", situation = "?situation", stop = "?stop", collect = "?collect" },
    no(explained { service = "?svc", port = "?port" }),
  },
  diagnose = "The ?svc could not bind TCP port ?port (?reported): ?situation.  SNA Server's TN3270 service and a "
    .. "Telnet daemon both use port 23 by default, so whichever starts second fails.",
  remedy = "Give the two services different ports: add a TN3270 entry with a port of its own to "
    .. "%SystemRoot%\\system32\\drivers\\etc\\services beside the telnet entry, or stop ?stop; then start the ?svc.?collect",
  assert = { explained { service = "?svc", port = "?port", rule = "Q130289" } },
  action = function(m)
    if m.src then kb.assert(explained { service = m.src .. " service", port = m.port, rule = "Q130289" }) end
  end,
}
