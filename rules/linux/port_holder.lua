-- Which listeners stand in the way of a bind that failed with EADDRINUSE:
-- those on the same TCP port whose address overlaps the one the daemon
-- asked for.  The same address overlaps; so does a wildcard of the same
-- family ("0.0.0.0" holds 127.0.0.1:80, and a daemon asking for 0.0.0.0:80
-- is refused while anyone has 127.0.0.1:80); an IPv6 wildcard "::" takes
-- IPv4 too unless the socket set IPV6_V6ONLY, which a listing does not
-- show, so "::" is taken to overlap everything.  A listing whose owner
-- could not be seen (not root) has owner_known = false and no pid.
--
-- One fact per daemon, port and holding program, whatever the number of
-- addresses and retries: sshd failing on 0.0.0.0:22 and [::]:22 against a
-- program that holds both is one problem, and so are nginx's master and
-- workers sharing one socket.  The diagnoses list the addresses and PIDs.

kind "port_holder" {
  service     = always { "string", "the daemon that could not bind" },
  port        = always { "integer", "the port it could not bind" },
  holder      = { "string", "the listener's process name (\"PID 4242\" without one; nil when unknown)" },
  owner_known = always { "boolean", "false when the listing could not see the socket's owner (not root)" },
}

local function family(a)
  return a:find(":", 1, true) and "ipv6" or "ipv4"
end

local function wildcard(a)
  return a == "0.0.0.0" or a == "::"
end

local function overlaps(asked, held)
  if asked == nil or held == nil then return true end
  asked, held = asked:lower():gsub("%%.*$", ""), held:lower():gsub("%%.*$", "")
  if asked == held or asked == "::" or held == "::" then return true end
  return family(asked) == family(held) and (wildcard(asked) or wildcard(held))
end

rule "linux-port-holder" {
  salience = 50,
  when = {
    bind_problem { error = "in_use", service = "?svc", address = "?addr", port = { "?port", gt(0) } },
    listener { protocol = "tcp", port = "?port", address = "?held", as = "?l" },
    test(function(m) return overlaps(m.addr, m.held) end),
  },
  action = function(m)
    local known = m.l.owner_known ~= false and m.l.pid ~= nil
    local holder = known and (m.l.process or "PID " .. m.l.pid) or nil
    kb.assert(port_holder { service = m.svc, port = m.port, holder = holder, owner_known = known })
  end,
}
