-- Which daemons are down: their systemd unit is in a state other than
-- active (failed, inactive, or activating while it restarts after
-- crashing), or they are installed (a package fact) but no process of
-- theirs runs while the process list was collected.  service_port_taken.lua
-- asks this of the mail and directory daemons.  One fact per daemon,
-- whatever showed it; the message reads the details again.

kind "daemon_down" { service = "string" }

rule "linux-daemon-down-unit" {
  salience = 60,
  when = {
    service { name = "?unit", state = { ne("active"), ne("reloading") } },
    daemon_unit { unit = "?unit", service = "?svc" },
  },
  assert = { daemon_down { service = "?svc" } },
}

-- `package` cannot be written as a pattern (the sandbox keeps the name
-- from rule files, as Lua's package library), so the action looks the
-- package up among the facts instead.
local function installed(pkg)
  for _, p in ipairs(kb.facts("package")) do
    if p.name == pkg and (p.status == nil or p.status:find("installed$")) then return true end
  end
  return false
end

rule "linux-daemon-down-no-process" {
  salience = 60,
  when = {
    linux_daemon { service = "?svc", process = "?proc", package = "?pkg" },
    exists(process {}),
    no(process { name = "?proc" }),
  },
  action = function(m)
    if installed(m.pkg) then kb.assert(daemon_down { service = m.svc }) end
  end,
}
