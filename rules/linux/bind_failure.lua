-- Linux daemons' "cannot bind" log lines into the general `bind_failure`
-- kind (rules/general/bind_failure.lua), so the diagnoses in rules/linux/
-- read one fact whatever the daemon and log format.  Each entry of
-- `shapes` below is one message shape and one rule; docs/evidence-formats.md
-- quotes every format string with its source file ("Linux bind failures:
-- format strings") and real output from the Debian 12 packages ("Linux
-- bind failures: Debian 12 output").  The patterns are not anchored: the
-- collectors strip the syslog/journal prefix, but a daemon's
-- own prefix (nginx "2026/11/21 09:14:00 [emerg] 9734#9734: ", dovecot
-- "master: Error: ", postfix "fatal: ") may stay in the message.
--
-- The errno comes from the event's `code` (the collectors read it from
-- "(98: Address already in use)", "(98)Address already in use" or the
-- strerror text); where it is missing, from the line itself.  Which daemon
-- and protocol it is comes from rules/knowledge/linux_daemons.lua.

-- ---- helpers shared by the rules of this file -------------------------------

-- The knowledge facts of a kind whose slot equals value.  Knowledge does
-- not change during a run, and kb.facts walks every fact (a journal may
-- hold 100,000 events), so each kind is read once.  Each kb.facts names
-- its kind as written: kbdiag keeps every fact of a kind that Lua reads
-- whole, and tells which from the rule file's text (a kind it cannot tell
-- keeps every fact of every kind).
local read = {
  daemon_log_name = function() return kb.facts("daemon_log_name") end,
  bind_error = function() return kb.facts("bind_error") end,
  well_known_port = function() return kb.facts("well_known_port") end,
  daemon_protocol = function() return kb.facts("daemon_protocol") end,
  linux_daemon = function() return kb.facts("linux_daemon") end,
}
local known = {}
local function where(kind, slot, value)
  known[kind] = known[kind] or read[kind]()
  local out = {}
  for _, f in ipairs(known[kind]) do
    if value ~= nil and f[slot] == value then out[#out + 1] = f end
  end
  return out
end

-- An address as the facts write it: no brackets, no zone, lower case;
-- "*" and the empty host (all addresses) as the IPv4 wildcard.
local function address(a)
  if a == nil then return nil end
  a = a:gsub("^%[(.*)%]$", "%1"):gsub("%%.*$", ""):lower()
  if a == "*" or a == "" then return "0.0.0.0" end
  return a
end

-- "127.0.0.1:80", "[::]:80" or "*:80" into address and port.
local function endpoint(s)
  local a, p = s:match("^%[(.*)%]:(%d+)$")
  if not a then a, p = s:match("^(.*):(%d+)$") end
  if not a then return address(s), nil end
  return address(a), tonumber(p)
end

-- The errno: the event's code, a number the line prints, or the strerror
-- text matched against the bind_error knowledge (errno rows only).
local function errno(e, printed)
  if e.code then return e.code end
  if printed then return tonumber(printed) end
  local text = e.message:lower()
  known.bind_error = known.bind_error or read.bind_error()
  for _, b in ipairs(known.bind_error) do
    if b.code < 1000 and text:find(b.meaning, 1, true) then return b.code end
  end
  return nil
end

-- The protocol: one of the daemon's protocols whose well-known port this
-- is; else the one its own listener name stands for (dovecot
-- "imap-login"); else the daemon's usual protocol.
local function protocol(service, port, name)
  local wk = {}
  for _, w in ipairs(where("well_known_port", "port", port)) do wk[w.protocol] = true end
  local by_name
  for _, d in ipairs(where("daemon_protocol", "service", service)) do
    if wk[d.protocol] then return d.protocol end
    if name and d.name == name and not by_name then by_name = d.protocol end
  end
  if by_name then return by_name end
  local d = where("linux_daemon", "service", service)[1]
  return d and d.protocol
end

-- Asserts the bind_failure for event e (port 0 is no listener's), and its
-- de-duplicated bind_problem (bind_problem.lua).  `service` is the daemon
-- the message shape belongs to; the event's source, when the log names the
-- program, says which daemon it is.
local function report(e, service, addr, port, printed, name)
  if port == 0 then return end -- any port: the local end of an outgoing connection, not a listener
  local named = where("daemon_log_name", "name", e.source)[1]
  service = named and named.service or service
  local code = errno(e, printed)
  local class = code and where("bind_error", "code", code)[1]
  local proto, err = protocol(service, port, name), class and class.error
  kb.assert(bind_failure {
    service = service, protocol = proto, port = port, address = addr, code = code, error = err,
    source = e.source or service, pid = e.pid or tonumber(e.message:match("(%d+)#%d+: ") or ""), time = e.time,
    user = e.user,
  })
  kb.assert(bind_problem { service = service, protocol = proto, port = port, address = addr, code = code, error = err })
end

-- ---- one rule per message shape --------------------------------------------

-- Dovecot writes two lines for one listener that failed (see the shapes
-- "dovecot" and "dovecot-bare" below).  Each becomes a `socket_call`,
-- which carries what report() reads of the line, so that a rule can ask
-- for the listen() line of a bind() line: the same process, the same
-- arguments as written.
kind "socket_call" {
  call    = { "string", '"bind" or "listen"' },
  args    = { "string", 'the arguments as the line wrote them: "192.0.2.10, 143", "*, 143"' },
  source  = { "string", "the log line's program" },
  pid     = { "integer", "the log line's PID" },
  time    = { "string", "the log line's time" },
  code    = { "integer", "the errno the line reports" },
  message = { "string", "the log line's message" },
}

-- Each shape is a rule `linux-bind-<name>` for the daemon `service`.
-- `pattern` finds the line (as the rule's condition) and captures what
-- `read(m, captures...)` needs to return report()'s address, port,
-- printed errno and listener name.  `same_process` binds the event's
-- source and PID as ?src and ?pid for the conditions in `also`; `when`,
-- where given, replaces the conditions.  A shape with a `call` makes the
-- line a socket_call too (rule `linux-socket-call-<call>`).
-- linux-bind-other, below, leaves alone every line a shape finds, and a
-- line that starts one (`skip`, where that is less than `pattern`): such
-- a line is still that daemon's, whatever follows.
local slapd_url = "slap_open_listener: failed on %a+://"

local shapes = {
  -- nginx, src/core/ngx_connection.c: "bind() to %V failed (%d: %s)", the
  -- listen address as "127.0.0.1:80", "[::]:80" or "unix:/path".  The
  -- retries ("try again to bind() after 500ms", "still could not bind()")
  -- name no address and are not failures of their own.
  { name = "nginx", service = "nginx", pattern = "bind%(%) to (%S+) failed",
    read = function(m, target)
      local code = m.e.message:match("failed %((%d+): ")
      if target:find("^unix:") then return target, nil, code end
      local addr, port = endpoint(target)
      return addr, port, code
    end },

  -- OpenSSH, sshd.c: "Bind to port %s on %s failed: %.200s." (strerror).
  { name = "sshd", service = "sshd", pattern = "Bind to port (%d+) on (%S+) failed",
    read = function(_, port, addr) return address(addr), tonumber(port) end },

  -- Apache httpd, server/listen.c make_sock(): "(98)Address already in use:
  -- AH00072: make_sock: could not bind to address [::]:80".
  { name = "apache", service = "apache2", pattern = "make_sock: could not bind to address (%S+)",
    skip = "make_sock: could not bind",
    read = function(m, target)
      local addr, port = endpoint(target)
      return addr, port, m.e.message:match("%((%d+)%)%a")
    end },

  -- Dovecot, src/master/service-listen.c: "service(imap-login): listen(*,
  -- 143) failed: %m"; the address is the configured one ("*", "::", an IP).
  { name = "dovecot", service = "dovecot", pattern = "listen%(([^,()]+), (%d+)%) failed", call = "listen",
    read = function(m, addr, port)
      return address(addr), tonumber(port), nil, m.e.message:match("service%(([%w-]+)%)")
    end },

  -- Dovecot's lib also logs "bind(192.0.2.10, 143) failed: Cannot assign
  -- requested address" before the listen() line above; that line alone
  -- counts only when no listen() line of the same process names the same
  -- address and port.  ?e is the line's socket_call.
  { name = "dovecot-bare", service = "dovecot", pattern = "bind%(([^,()]+), (%d+)%) failed", call = "bind",
    when = {
      socket_call { call = "bind", args = "?args", source = "?src", pid = "?pid", as = "?e" },
      no(socket_call { call = "listen", args = "?args", source = "?src", pid = "?pid" }),
    },
    read = function(_, addr, port) return address(addr), tonumber(port) end },

  -- Postfix, src/util/inet_listen.c: "bind %s port %s: %m" (msg_fatal, so
  -- the line reads "fatal: bind 0.0.0.0 port 25: Address already in use").
  { name = "postfix", service = "postfix", pattern = "bind (%S+) port (%d+): ",
    read = function(_, addr, port) return address(addr), tonumber(port) end },

  -- Exim, src/src/daemon.c: "socket bind() to port %d for address %s failed:
  -- %s: waiting ... (%d more tries)" and "...: daemon abandoned"; wildcards
  -- print as "(any IPv4)" / "(any IPv6)".
  { name = "exim", service = "exim4", pattern = "socket bind%(%) to port (%d+) for address (.-) failed",
    skip = "socket bind%(%) to port",
    read = function(_, port, addr)
      addr = addr == "(any IPv4)" and "0.0.0.0" or addr == "(any IPv6)" and "::" or address(addr)
      return addr, tonumber(port)
    end },

  -- OpenLDAP slapd, servers/slapd/daemon.c: "daemon: bind(%ld) failed
  -- errno=%d (%s)", where the number is the socket, not the port.  At the
  -- default log level nothing else says which listener failed (it may be
  -- ldap:///, ldaps:/// or the ldapi:/// socket), so the failure has no
  -- port and no address: the diagnoses look at slapd's usual ports.
  { name = "slapd", service = "slapd", pattern = "daemon: bind%(%d+%) failed errno=(%d+)",
    skip = "daemon: bind%(%d+%) failed", same_process = true,
    also = { no(event { message = match(slapd_url), source = "?src", pid = "?pid" }) },
    read = function(_, code) return nil, nil, code end },

  -- With trace logging (slapd -d 1, loglevel trace) slapd names the URL:
  -- "slap_open_listener: failed on ldap://127.0.0.1:389/".  Its port, or the
  -- scheme's well-known one, and its host go with the errno of the bind line.
  { name = "slapd-url", service = "slapd", pattern = "daemon: bind%(%d+%) failed errno=(%d+)",
    same_process = true,
    also = { event { message = { "?url", match(slapd_url) }, source = "?src", pid = "?pid" } },
    read = function(m, code)
      local scheme, hostport = m.url:match("failed on (%a+)://([^/]*)")
      if scheme == "ldapi" then return m.url:match("failed on (%S+)"), nil, code end
      local addr, port = endpoint(hostport)
      if not port then
        local proto = scheme == "ldaps" and "LDAPS" or "LDAP"
        port = where("well_known_port", "protocol", proto)[1].port
      end
      -- no host: slapd binds every address, IPv6 and IPv4
      if hostport == "" or hostport:find("^:") then addr = "::" end
      return addr, port, code
    end },
}

for _, s in ipairs(shapes) do
  local line = { message = match(s.pattern), as = "?e" }
  if s.same_process then line.source, line.pid = "?src", "?pid" end
  rule ("linux-bind-" .. s.name) {
    salience = 100,
    when = s.when or { event(line), table.unpack(s.also or {}) },
    action = function(m) report(m.e, s.service, s.read(m, m.e.message:match(s.pattern))) end,
  }
end

-- The socket_call facts.  The listen() lines go first, so a bind() line
-- finds its listen() line wherever the logs put it; a bind() line goes in
-- its turn among the other lines (salience 100), and its bind_failure, if
-- any, right after it.
for _, s in ipairs(shapes) do
  if s.call then
    rule ("linux-socket-call-" .. s.call) {
      salience = s.call == "listen" and 110 or 100,
      when = { event { message = match(s.pattern), as = "?e" } },
      action = function(m)
        local e, addr, port = m.e, m.e.message:match(s.pattern)
        kb.assert(socket_call { call = s.call, args = addr .. ", " .. port, source = e.source, pid = e.pid,
                                time = e.time, code = e.code, message = e.message })
      end,
    }
  end
end

-- Any other program that says a bind failed with one of the bind errnos
-- ("Address already in use", "Cannot assign requested address",
-- "Permission denied"), unless the line is about an outgoing connection
-- (nginx's proxy_bind "bind(10.0.0.2) failed ... while connecting to
-- upstream") or one of the shapes above.
local function generic(msg, code)
  if msg:lower():find("connect", 1, true) then return false end
  for _, s in ipairs(shapes) do
    if msg:find(s.skip or s.pattern) then return false end
  end
  if code then return code == 13 or code == 98 or code == 99 end
  local text = msg:lower()
  return text:find("address already in use", 1, true) or text:find("cannot assign requested address", 1, true)
    or text:find("permission denied", 1, true)
end

rule "linux-bind-other" {
  salience = 90,
  when = {
    event { message = { "?msg", match "[Bb][Ii][Nn][Dd]" }, code = "?code", as = "?e" },
    test(function(m) return generic(m.msg, m.code) end),
  },
  action = function(m)
    local msg = m.e.message
    local addr, port = msg:match("%[([%x:%.]+)%]:(%d+)")
    if not addr then addr, port = msg:match("(%d+%.%d+%.%d+%.%d+):(%d+)") end
    if not addr then addr, port = msg:match("(%d+%.%d+%.%d+%.%d+) port (%d+)") end
    if not port then port = msg:match("[Pp]ort (%d+)") end
    report(m.e, m.e.source or "unknown program", address(addr), tonumber(port))
  end,
}
