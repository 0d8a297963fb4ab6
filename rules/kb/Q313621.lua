-- Q313621 Port Mapper Services Cause Services for UNIX Not to Work.
-- Services for UNIX's port mapper must register on TCP and UDP port 111;
-- a third-party port mapper that takes 111 first (after every restart,
-- whichever was installed first) stops it, and with it the SFU services
-- that depend on it (NFS, NIS, Gateway for NFS).  The article names two:
-- the NobleNet port mapper (Portserv.exe, installed by the Dell
-- OpenManage Server agent) and the Legato NetWorker port mapper
-- (Nsrexecd.exe, the NetWorker Remote Exec service).  Running such a
-- program is not enough: Nsrexecd.exe gives 111 up when it is taken, so
-- the rule needs the program on port 111 (TCP: one finding, though it
-- holds UDP 111 as well).

local mappers = {
  ["portserv.exe"] = "the NobleNet port mapper (installed with the Dell OpenManage Server agent)",
  ["nsrexecd.exe"] = "the Legato NetWorker port mapper (NetWorker Remote Exec service)",
}

local function is_mapper(name) return name ~= nil and mappers[name:lower()] ~= nil end

local title = "A third-party port mapper holds port 111, so the Services for UNIX port mapper cannot start"
local remedy = "Stop ?holder and set its service to Manual or Disabled (or remove the product that installed it), "
  .. "restart the computer, and check that the Services for UNIX port mapper and the services that depend on it start."

-- netstat -ab names the image without a PID
local function message(m)
  return m.holder .. (m.pid and " (PID " .. m.pid .. ")" or "") .. ", " .. mappers[m.holder:lower()] .. ", holds port 111"
    .. " (TCP and UDP), which the Services for UNIX port mapper must register on, so it and the Services for UNIX "
    .. "services that depend on it (NFS, NIS) do not work."
end

-- netstat -ano with a process listing.
rule "Q313621" {
  article = "Q313621", title = title, severity = "error", salience = 30,
  products = { "Windows Services for UNIX 2.0", "Windows Services for UNIX 3.0" },
  when = {
    listener { port = 111, protocol = "tcp", pid = { "?pid", ge(0) } },
    process { pid = "?pid", name = { "?holder", match ".", test(is_mapper) } },
  },
  diagnose = message,
  remedy = remedy,
}

-- netstat -abno names the image on the listener.
rule "Q313621-netstat-b" {
  article = "Q313621", title = title, severity = "error", salience = 30,
  products = { "Windows Services for UNIX 2.0", "Windows Services for UNIX 3.0" },
  when = {
    listener { port = 111, protocol = "tcp", pid = "?pid", process = { "?holder", match ".", test(is_mapper) } },
    no(process { pid = "?pid" }),
  },
  diagnose = message,
  remedy = remedy,
}
