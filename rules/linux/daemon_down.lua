-- Which daemons are down: their systemd unit is in a state other than
-- active (failed, inactive, or activating while it restarts after
-- crashing), or they are installed (a package fact) but no process of
-- theirs runs while the process list was collected.  service_port_taken.lua
-- asks this of the mail and directory daemons.  One fact per daemon,
-- whatever showed it; the message reads the details again.

kind "daemon_down" {
  service = always { "string", "the daemon that is down (linux_daemon.service)" },
}

rule "linux-daemon-down-unit" {
  salience = 60,
  when = {
    service { name = "?unit", state = { ne("active"), ne("reloading") } },
    daemon_unit { unit = "?unit", service = "?svc" },
  },
  assert = { daemon_down { service = "?svc" } },
}

-- A package counts as installed when its state word from dpkg's status
-- ends in "installed", or when the listing gives none.
local function installed(status) return status == nil or status:find("installed$") ~= nil end

rule "linux-daemon-down-no-process" {
  salience = 60,
  when = {
    linux_daemon { service = "?svc", process = "?proc", package = "?pkg" },
    exists(process {}),
    no(process { name = "?proc" }),
    exists(package { name = "?pkg", status = test(installed) }),
  },
  assert = { daemon_down { service = "?svc" } },
}
