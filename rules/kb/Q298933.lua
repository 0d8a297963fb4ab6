-- Q298933 XADM: Exchange Services Won't Start After SP3 Canceled.
-- Exchange Server 5.5: Service Pack 3 was cancelled after ".dll in use"
-- messages, and the directory does not start: "Dsamain.exe - Entry Point
-- Not Found ... ?HrRegisterProtocol@@... could not be located in the
-- dynamic link library Netif.dll" (an Application Popup event, 26),
-- because Netif.dll was not updated while Dsamain.exe was.  The file
-- versions show it: Netif.dll older than Dsamain.exe, and not older than
-- SP2's 2448 (that is Q217215).  Without the versions the popup alone says
-- an update was interrupted, and which one the versions would tell.

local remedy = "Stop all nonessential services and run the Service Pack 3 installation again; write down every "
  .. "\"It is in use by another application\" file it names, then rename those files and copy each from the Service "
  .. "Pack 3 CD."

local popup = function()
  return event { source = ci "Application Popup", id = 26,
                 message = match "HrRegisterProtocol.-[Nn][Ee][Tt][Ii][Ff]%.[Dd][Ll][Ll]" }
end

rule "Q298933" {
  article = "Q298933",
  title = "A cancelled Exchange 5.5 SP3 left Netif.dll behind, so the services do not start",
  severity = "error",
  salience = 30,
  products = { "Exchange Server 5.5" },
  when = {
    popup(),
    -- `version`, the binary form, comes with every version_code; the text only when the file has one
    file { name = ci "netif.dll", version_code = { "?netif", ge(version "5.5.2448.0") }, version = { "?netif_binary", match "." },
           version_text = "?have" },
    file { name = ci "dsamain.exe", version_code = gt("?netif"), version = { "?dsamain_binary", match "." },
           version_text = "?dsamain" },
  },
  diagnose = function(m)
    return "Dsamain.exe " .. (m.dsamain or m.dsamain_binary) .. " cannot find HrRegisterProtocol in Netif.dll "
      .. (m.have or m.netif_binary) .. ": Netif.dll was not updated because the service pack installation was "
      .. "cancelled, so the Exchange services do not start."
  end,
  remedy = remedy,
}

rule "Q298933-no-versions" {
  article = "Q298933",
  title = "An interrupted Exchange 5.5 service pack left Netif.dll behind, so the directory does not start",
  severity = "error",
  salience = 29,
  products = { "Exchange Server 5.5" },
  when = {
    popup(),
    no(file { name = ci "netif.dll" }),
  },
  diagnose = "Dsamain.exe cannot find HrRegisterProtocol in Netif.dll: an Exchange Server 5.5 service pack "
    .. "installation was cancelled or aborted, leaving Netif.dll older than Dsamain.exe (Q298933 for Service Pack 3, "
    .. "Q217215 for a Netif.dll older than Service Pack 2).",
  remedy = remedy .. " Send the versions of Exchsrvr\\Bin\\Netif.dll and Dsamain.exe (filever) to tell which "
    .. "service pack to reapply.",
}
