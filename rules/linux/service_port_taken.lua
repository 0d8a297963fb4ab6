-- A mail or directory daemon is down and another program listens on one
-- of its well-known ports (daemon_protocol in linux_daemons.lua, ports from
-- well_known_port in ports.lua: dovecot 110/143/993/995, postfix and exim4
-- 25/465/587, slapd 389/636), so it cannot come back: the situation of
-- Q271275 on a Linux mail server, found without a logged bind failure
-- (logs rotated, or the daemon never got that far).  Where the failure was
-- logged for that port, linux-port-in-use already said it (and for slapd,
-- whose log names no port, linux-port-in-use-unlogged), so those cases are
-- left out.

local function unit_state(svc)
  local units = {}
  for _, u in ipairs(kb.facts("daemon_unit")) do
    if u.service == svc then units[u.unit] = true end
  end
  for _, s in ipairs(kb.facts("service")) do
    if units[s.name] and s.state ~= "active" then
      local sub = s.sub_state and s.sub_state ~= s.state and " (" .. s.sub_state .. ")" or ""
      return s.name .. " is " .. s.state .. sub
    end
  end
end

local function since(pid)
  for _, p in ipairs(kb.facts("process")) do
    if p.pid == pid then
      local day, time = (p.started or ""):match("^(%d+%-%d+%-%d+)[T ](%d+:%d+)")
      return p.user, day and day .. " " .. time, p.name
    end
  end
end

local function no_port(v) return v == nil end

rule "linux-service-port-taken" {
  title = "A mail or directory daemon is down and another program holds its port",
  severity = "error",
  salience = -10,
  when = {
    daemon_down { service = "?svc" },
    linux_daemon { service = "?svc", role = one_of { "mail", "directory" }, process = "?own" },
    daemon_protocol { service = "?svc", protocol = "?proto", optional = ne(true) },
    well_known_port { protocol = "?proto", port = "?port", transport = "tcp" },
    listener { protocol = "tcp", port = "?port", pid = { "?pid", gt(0) }, process = { "?holder", ne("?own") } },
    no(process { pid = "?pid", name = "?own" }),
    no(bind_failure { service = "?svc", port = "?port" }),
    no(bind_failure { service = "?svc", error = "in_use", port = test(no_port), address = test(no_port) }),
  },
  diagnose = function(m)
    local user, started, pname = since(m.pid)
    local parts = { "PID " .. m.pid }
    if user then parts[#parts + 1] = "user " .. user end
    if started then parts[#parts + 1] = "running since " .. started end
    local why = unit_state(m.svc) or "no " .. m.own .. " process runs"
    return m.svc .. " is not running (" .. why .. ") and " .. (m.holder or pname or "a process") .. " ("
      .. table.concat(parts, ", ") .. ") listens on its " .. m.proto .. " port " .. m.port .. ", so "
      .. m.svc .. " cannot start until that port is free."
  end,
  remedy = function(m)
    local holder = m.holder or select(3, since(m.pid)) or "the process"
    return "Stop " .. holder .. " (PID " .. m.pid .. ") or move it off port " .. m.port .. ", then start "
      .. m.svc .. " (systemctl start " .. m.svc .. ") and check that it listens (ss -ltnp 'sport = :"
      .. m.port .. "')."
  end,
}
