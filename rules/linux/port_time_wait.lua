-- A daemon could not bind (EADDRINUSE), nobody listens on the port now,
-- but connections on it linger in TIME-WAIT: a socket that was closed a
-- moment ago still owns the port for up to 60 s (TCP_TIMEWAIT_LEN), and a
-- daemon that binds without SO_REUSEADDR is refused meanwhile.  Only when
-- the listeners were collected (some listener fact exists) is "nobody
-- listens" evidence rather than a gap.  The states are matched in the
-- spellings of ss ("TIME-WAIT"), netstat and /proc ("TIME_WAIT").

rule "linux-port-time-wait" {
  title = "A leftover socket in TIME-WAIT blocks a daemon's port",
  severity = "warning",
  when = {
    bind_problem { error = "in_use", service = "?svc", address = "?addr", port = { "?port", gt(0) } },
    exists(listener {}),
    no(listener { protocol = "tcp", port = "?port" }),
    connection { protocol = "tcp", local_port = "?port", state = match "^[Tt][Ii][Mm][Ee][-_ ]?[Ww][Aa][Ii][Tt]$" },
  },
  diagnose = function(m)
    local n = 0
    for _, c in ipairs(kb.facts("connection")) do
      if c.local_port == m.port and c.state and c.state:upper():gsub("[-_ ]", "") == "TIMEWAIT" then n = n + 1 end
    end
    local where = m.addr and ((m.addr:find(":", 1, true) and "[" .. m.addr .. "]" or m.addr) .. ":" .. m.port)
      or "port " .. m.port
    return m.svc .. " cannot bind " .. where .. ": no program listens on port " .. m.port .. " now, but "
      .. n .. (n == 1 and " connection" or " connections") .. " on it " .. (n == 1 and "is" or "are")
      .. " still in TIME-WAIT, a leftover socket from a process that closed it moments before."
  end,
  remedy = "Restart ?svc after the TIME-WAIT sockets expire (60 s). If it keeps happening, ?svc binds without "
    .. "SO_REUSEADDR: enable it (a wrapper or custom build may have lost it), or stop clients from connecting "
    .. "to port ?port while it restarts.",
}
