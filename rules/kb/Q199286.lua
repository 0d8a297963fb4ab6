-- Q199286 DNS Event IDs 1 Through 1657 for Windows NT 4.0 SP4: events
-- 404 and 407, "DNS Server could not bind a TCP socket to address %1" /
-- "a datagram (UDP) socket to %1. The data is the error.", and 408 "DNS
-- Server could not open socket for address %1. ... If this is a valid IP
-- address for this computer, make sure that no other application (for
-- example, another DNS server) is running that would attempt to use the
-- DNS port."  The rules below turn 404 and 407 with 10048 in their data,
-- and 408 (which has no code), into bind failures of port 53, so the
-- general layer says what holds it (rules/general/port_conflict.lua).  A
-- 404 or 407 with another code (10049: an address that is not this
-- computer's) is the general layer's to report.

local dns = {
  { id = 404, code = 10048, what = "a TCP socket" },
  { id = 407, code = 10048, what = "a UDP socket" },
  { id = 408, what = "a socket" },
}

for _, d in ipairs(dns) do
  rule ("Q199286-bind-" .. d.id) {
    salience = 100,
    when = {
      event { source = { "?src", ci "DNS" }, id = d.id, level = ne("information"), code = d.code or test(function(v) return v == nil end),
              time = "?time" },
    },
    action = function(m)
      kb.assert(bind_failure {
        service = "DNS service", protocol = "DNS", port = 53, code = d.code, error = d.code and "in_use" or nil,
        source = m.src, time = m.time, event_id = d.id, platform = "windows",
      })
    end,
  }
end

rule "Q199286" {
  article = "Q199286",
  title = "Another program holds port 53, so the DNS Server cannot open its sockets",
  severity = "error",
  salience = 30,
  products = { "Windows NT Server 4.0 SP4" },
  when = {
    port_conflict { service = "DNS service", basis = "bind", port = "?port", source = "?src",
                    owner = one_of { "program", "pid", "hidden", "gone", "blind", "unlisted" },
                    reported = "?reported", situation = "?situation", stop = "?stop", collect = "?collect" },
    no(explained { service = "DNS service", port = "?port" }),
  },
  diagnose = "The DNS Server could not open its sockets on port ?port (?reported): ?situation.",
  remedy = "Stop ?stop (another DNS server, for example) or move it off port 53, then restart the DNS Server.  If "
    .. "the event names an address that is not this computer's, remove it from the Interfaces tab of the server's "
    .. "properties in DNS Manager instead.?collect",
  assert = { explained { service = "DNS service", port = "?port", rule = "Q199286" } },
  -- The general layer's own bind_failure of the same event is the "<event
  -- source> service"'s (bind_failure.lua), whatever case the source is
  -- written in, and has no port.
  action = function(m)
    if m.src then kb.assert(explained { service = m.src .. " service", rule = "Q199286" }) end
  end,
}
