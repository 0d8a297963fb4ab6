-- A daemon was refused a port below 1024 (EACCES, errno 13: nginx "bind()
-- to 0.0.0.0:80 failed (13: Permission denied)", apache "(13)Permission
-- denied: AH00072: make_sock: could not bind to address 0.0.0.0:80").
-- Linux lets only root, or a process with CAP_NET_BIND_SERVICE, bind ports
-- below net.ipv4.ip_unprivileged_port_start (1024 by default).  The
-- engineer needs the port, the daemon and the user it ran as; the user
-- comes from the process that failed when the listing still has it, or
-- from the log line that reported the failure when it names one (the
-- bind_failure carries it, so that this rule does not read every event:
-- kbdiag keeps every fact of a kind Lua reads whole), else from a running
-- process of the daemon.  When that user is root the
-- refusal has another cause (a dropped capability or a security module),
-- and the message says that instead.

local function user_of(m)
  local pids, logged = {}, nil
  for _, b in ipairs(kb.facts("bind_failure")) do
    if b.service == m.svc and b.pid then
      pids[b.pid] = true
      logged = logged or b.user
    end
  end
  local own
  for _, d in ipairs(kb.facts("linux_daemon")) do
    if d.service == m.svc then own = d.process end
  end
  if logged then return logged end
  local seen
  for _, p in ipairs(kb.facts("process")) do
    if pids[p.pid] and p.user then return p.user end
    if p.name == own and p.user and not seen then seen = p.user end
  end
  return seen
end

rule "linux-privileged-port" {
  title = "A daemon without privilege was refused a port below 1024",
  severity = "error",
  when = {
    bind_problem { error = "denied", service = "?svc", address = "?addr", port = { "?port", lt(1024), gt(0) } },
  },
  diagnose = function(m)
    local user = user_of(m)
    local head = m.svc .. " was refused port " .. m.port .. (m.addr and " on " .. m.addr or "") .. " (Permission denied): "
    if user == "root" then
      return head .. "it runs as root, so its capability set lacks CAP_NET_BIND_SERVICE (a unit's "
        .. "CapabilityBoundingSet=, a container's dropped capabilities) or a security module (AppArmor, SELinux) denied it."
    end
    return head .. "ports below 1024 need root or CAP_NET_BIND_SERVICE, and " .. m.svc .. " runs as "
      .. (user and "user " .. user or "an unprivileged user (kbdiag could not see which)") .. "."
  end,
  remedy = function(m)
    if user_of(m) == "root" then
      return "Give " .. m.svc .. " CAP_NET_BIND_SERVICE back (its unit's CapabilityBoundingSet=, the container's "
        .. "capabilities), or find the denial in the audit log (journalctl -k | grep -i apparmor; ausearch -m avc) "
        .. "and allow the port; then restart " .. m.svc .. "."
    end
    return "Start " .. m.svc .. " as root and let it drop privileges after binding (its stock setup), or grant it "
      .. "the capability (systemctl edit " .. m.svc .. ": [Service] AmbientCapabilities=CAP_NET_BIND_SERVICE; or "
      .. "setcap cap_net_bind_service=+ep on its binary), or move it to a port of 1024 or above, or lower the limit "
      .. "(sysctl net.ipv4.ip_unprivileged_port_start=" .. m.port .. "); then restart " .. m.svc .. "."
  end,
}
