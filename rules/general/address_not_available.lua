-- A Windows service could not bind because the address is not one the
-- host's TCP/IP stack has (10049, WSAEADDRNOTAVAIL, 0x2741), and no article
-- explained it.  Q214864 and Q217001 blame Windows NT 4.0 Service Pack 4
-- for exactly this; when the host runs another service pack they do not
-- apply, and the finding says so rather than staying silent, unless the
-- bundle holds the mfc42.dll that Q214864 also blames: that file, not the
-- service pack, is then the article's evidence.

local mfc42_code = version "6.0.8168.0"

-- The host fact that says which Windows it is: ipconfig /all also gives a
-- host, with its name only, and must not hide winmsd's or systeminfo's.
local function versioned(hosts)
  for _, h in ipairs(hosts) do
    if h.os_version ~= nil then return h end
  end
  return hosts[1]
end

-- mfc42.dll or mfc42u.dll 6.00.8168.0, which Q214864 names as another
-- cause of these errors, whatever the service pack (an application puts
-- it back after SP5): the file's name, or nil.
local function mfc42_8168()
  for _, f in ipairs(kb.facts("file")) do
    local name = (f.name or ""):lower()
    if (name == "mfc42.dll" or name == "mfc42u.dll") and f.version_code == mfc42_code then return f.name end
  end
end

local function sp_note(hosts)
  local mfc = mfc42_8168()
  if mfc then
    return " " .. mfc .. " here is version 6.00.8168.0, which Q214864 names as a cause of this error (applications "
      .. "install it over the system's copy); applying the latest Windows NT 4.0 service pack again restores it."
  end
  local h = versioned(hosts)
  if not h or h.service_pack == nil then
    return " If the server runs Windows NT 4.0 Service Pack 4, Q214864 and Q217001 describe this (fixed in Service "
      .. "Pack 5); the bundle does not say which service pack it runs: send its winmsd report."
  end
  if h.os_version == "4.0" and h.service_pack ~= 4 then
    return " Q214864 and Q217001 describe this after Windows NT 4.0 Service Pack 4, but this host runs Service Pack "
      .. h.service_pack .. ", so they do not apply."
  end
  if h.os_version ~= "4.0" then
    return " Q214864 and Q217001 (Windows NT 4.0 Service Pack 4) do not apply to " .. (h.os_name or "this host") .. "."
  end
  return ""
end

rule "windows-address-not-available" {
  title = "A Windows service could not bind an address this host does not have",
  severity = "error",
  salience = -10,
  when = {
    bind_failure { platform = "windows", error = "not_available", service = "?svc", protocol = "?proto", port = "?port",
                   code = { "?code", ge(0) }, event_id = "?id" },
    no(explained { service = "?svc", port = "?port" }),
  },
  diagnose = function(m)
    -- a failure read from sc or a log line may have no event, and a port no protocol
    local what = m.port and ("TCP port " .. m.port .. (m.proto and " for " .. m.proto or "")) or "its port"
    local by = m.id and "event " .. m.id .. ", error " or "exit code " -- sc queryex reports no event
    return "The " .. m.svc .. " could not open " .. what .. " (" .. by .. string.format("0x%X", m.code)
      .. " (WSAEADDRNOTAVAIL, cannot assign requested address)): it binds an IP address this computer's TCP/IP stack "
      .. "does not have." .. sp_note(kb.facts("host"))
  end,
  remedy = "Compare the addresses the service binds with ipconfig /all on the server: remove addresses that are no "
    .. "longer bound (an old NIC, a RAS adapter), or let the service listen on all addresses; then restart the ?svc.",
  assert = { explained { service = "?svc", port = "?port", rule = "windows-address-not-available" } },
}
