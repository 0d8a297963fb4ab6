-- Q217215 XADM: SP2 Update Fails: Procedure Entry Point Error w/Netif.dll.
-- Exchange Server 5.5: after an aborted Service Pack 2 update, the
-- directory does not start: "Dsamain.exe - Entry Point Not Found  The
-- procedure entry point ?HrRegisterProtocol@@... could not be located in
-- the dynamic link library Netif.dll", because Netif.dll is still a build
-- before SP2's 2448.  Windows logs the dialog as an Application Popup
-- event (26).  Netif.dll of build 2448 or later with the same popup is an
-- interrupted Service Pack 3 (Q298933).

rule "Q217215" {
  article = "Q217215",
  title = "Netif.dll older than Exchange 5.5 SP2 keeps the directory from starting",
  severity = "error",
  salience = 30,
  products = { "Exchange Server 5.5" },
  when = {
    event { source = ci "Application Popup", id = 26, message = match "HrRegisterProtocol.-[Nn][Ee][Tt][Ii][Ff]%.[Dd][Ll][Ll]" },
    -- `version`, the binary form, comes with every version_code; the text only when the file has one
    file { name = ci "netif.dll", version_code = lt(version "5.5.2448.0"), version = { "?binary", match "." },
           version_text = "?have" },
  },
  diagnose = function(m)
    return "Dsamain.exe cannot find HrRegisterProtocol in Netif.dll, whose version " .. (m.have or m.binary) .. " is "
      .. "older than Exchange Server 5.5 Service Pack 2 (build 2448): the Service Pack 2 update was aborted, so the "
      .. "directory does not start."
  end,
  remedy = "Rename Netif.dll in Exchsrvr\\Bin and copy it from the Service Pack 2 CD; start the directory, then the "
    .. "information store and the MTA (copy Mad.exe, Dsamain.exe, Store.exe or Emsmta.exe from the CD for one that "
    .. "does not start); then reinstall Service Pack 2.",
}
