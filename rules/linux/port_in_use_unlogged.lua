-- slapd could not bind (EADDRINUSE, "daemon: bind(7) failed errno=98
-- (Address already in use)") and, at its default log level, does not say
-- which listener: the number is the socket, not the port.  Say what can be
-- said: which of slapd's well-known ports (LDAP 389, LDAPS 636) another
-- program holds.  A failure whose port or address is known (or a unix
-- socket, whose address is its path) is for linux-port-in-use.

local function unknown(v) return v == nil end

local function process_of(pid)
  for _, p in ipairs(kb.facts("process")) do
    if p.pid == pid then return p end
  end
end

rule "linux-port-in-use-unlogged" {
  title = "Another program holds a port a daemon needs (the log names no port)",
  severity = "error",
  when = {
    -- "in_use" is the class of a code (bind_error), so the code is there
    bind_problem { error = "in_use", service = "?svc", code = { "?code", ge(0) }, port = test(unknown),
                   address = test(unknown) },
    daemon_protocol { service = "?svc", protocol = "?proto" },
    well_known_port { protocol = "?proto", port = "?port", transport = "tcp" },
    listener { protocol = "tcp", port = "?port", pid = { "?pid", gt(0) }, process = "?holder", user = "?user",
               owner_known = ne(false) },
    no(bind_failure { service = "?svc", pid = "?pid" }),
  },
  diagnose = function(m)
    local p = process_of(m.pid)
    local parts = { "PID " .. m.pid }
    local user = m.user or (p and p.user)
    if user then parts[#parts + 1] = "user " .. user end
    local day, time = (p and p.started or ""):match("^(%d+%-%d+%-%d+)[T ](%d+:%d+)")
    if day then parts[#parts + 1] = "running since " .. day .. " " .. time end
    local name = m.holder or (p and p.name) or "a process"
    return m.svc .. " could not bind (errno " .. m.code .. ", Address already in use) and its log does not say "
      .. "which port; " .. name .. " (" .. table.concat(parts, ", ") .. ") holds its " .. m.proto .. " port "
      .. m.port .. "."
  end,
  remedy = "Stop the program on port ?port or move it to another port, or change ?svc's listeners (slapd -h "
    .. "URLs, SLAPD_SERVICES in /etc/default/slapd); then restart ?svc.",
}
