-- Q214864 Exchange Protocols Fail After Applying Windows NT 4.0 SP4.
-- Events 1309 (MSExchangeDS, "Register LDAP SSL protocol failed with error
-- 10049"), 11508 / 11506 ("... HrRegisterProtocol with error 0x2741") and
-- 1194: SP4 makes GetHostByName() return addresses that are not bound to
-- TCP/IP (NDISWAN), and Exchange cannot register its Internet protocols on
-- them.  Only on Service Pack 4 (host.service_pack, from winmsd); fixed in
-- SP5.  The article adds that applications overwriting mfc42.dll /
-- mfc42u.dll with version 6.00.8168.0 cause the same errors, also fixed by
-- SP5 (or, after SP5, by applying it again).  The Exchange form of Q217001, which fires after it for other
-- programs.  One finding per cause: the message lists every Exchange
-- protocol that failed, so the firings for each protocol say the same.

local exchange = { ["information store"] = true, directory = true, ["Internet Mail Service"] = true }

local function failed()
  local seen, out = {}, {}
  for _, b in ipairs(kb.facts("bind_failure")) do
    if b.platform == "windows" and b.code == 10049 and exchange[b.service] and b.protocol then
      local what = b.protocol .. (b.port and " (port " .. b.port .. ")" or "")
      if not seen[what] then seen[what], out[#out + 1] = true, what end
    end
  end
  table.sort(out)
  if #out <= 1 then return out[1] or "its Internet protocols" end
  return table.concat(out, ", ", 1, #out - 1) .. " and " .. out[#out]
end

rule "Q214864" {
  article = "Q214864",
  title = "Exchange protocols fail after Windows NT 4.0 Service Pack 4",
  severity = "error",
  salience = 30,
  products = { "Windows NT Server 4.0 SP4", "Windows NT Server 4.0 Enterprise Edition SP4",
               "BackOffice Small Business Server 4.5", "Exchange Server 5.5" },
  when = {
    host { os_version = "4.0", service_pack = 4, name = "?host" },
    bind_failure { platform = "windows", code = 10049, service = { "?svc", one_of { "information store", "directory", "Internet Mail Service" } },
                   port = "?port" },
    no(explained { service = "?svc", port = "?port" }),
  },
  diagnose = function(m)
    return "Exchange could not register " .. failed() .. " on " .. (m.host or "the server") .. " (error 10049, 0x2741: cannot assign "
      .. "requested address): the server runs Windows NT 4.0 Service Pack 4, whose GetHostByName() returns IP "
      .. "addresses that are not bound to TCP/IP (NDISWAN), and Exchange fails to register its protocols on them."
  end,
  remedy = "Install Windows NT 4.0 Service Pack 5 or later (or the post-SP4 hotfix Rnr-fixi.exe), then restart the "
    .. "Exchange services.",
  assert = { explained { service = "?svc", port = "?port", rule = "Q214864" } },
}

-- mfc42.dll or mfc42u.dll 6.00.8168.0, put there by another application.
-- The file is the article's evidence, whatever the service pack: SP5
-- replaces it, but an application installed after the service pack puts
-- it back, so on SP5 or later the finding says to apply the service pack
-- again rather than staying silent.
local function service_pack()
  for _, h in ipairs(kb.facts("host")) do
    if h.service_pack ~= nil then return h.service_pack end
  end
end

rule "Q214864-mfc42" {
  article = "Q214864",
  title = "Exchange protocols fail with mfc42.dll 6.00.8168.0",
  severity = "error",
  salience = 29,
  products = { "Windows NT Server 4.0", "Exchange Server 5.5" },
  when = {
    file { name = { "?file", match "^[Mm][Ff][Cc]42[Uu]?%.[Dd][Ll][Ll]$" }, version_code = version "6.0.8168.0",
           version = "?version" },
    bind_failure { platform = "windows", code = 10049, service = { "?svc", one_of { "information store", "directory", "Internet Mail Service" } },
                   port = "?port" },
    no(explained { service = "?svc", port = "?port" }),
  },
  diagnose = function(m)
    local sp = service_pack()
    local after = sp and sp >= 5
      and " The server runs Service Pack " .. sp .. ", which replaces this file: an application installed since put it "
        .. "back."
      or ""
    return "Exchange could not register " .. failed() .. " (error 10049, 0x2741: cannot assign requested address), and "
      .. m.file .. " is version " .. (m.version or "6.0.8168.0") .. " (6.00.8168.0), which certain applications install "
      .. "over the system's copy: with it Exchange fails to register its Internet protocols." .. after
  end,
  remedy = function()
    local sp = service_pack()
    if sp and sp >= 5 then
      return "Apply Windows NT 4.0 Service Pack " .. sp .. " (or a later one) again to restore mfc42.dll and "
        .. "mfc42u.dll, then restart the Exchange services; if an application replaces them again, the error comes back."
    end
    return "Install Windows NT 4.0 Service Pack 5 or later, then restart the Exchange services."
  end,
  assert = { explained { service = "?svc", port = "?port", rule = "Q214864-mfc42" } },
}
