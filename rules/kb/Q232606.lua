-- Q232606 XADM: Changing the Port Used by the Directory for LDAP over SSL.
-- Exchange 5.5 on a Windows 2000 domain controller: MSExchangeDS logs 1309
-- ("Register LDAP SSL protocol failed with error 10048 ... port number
-- 636") because Active Directory already uses 636, and Exchange had no way
-- to move LDAP over SSL until Exchange 5.5 SP3 (Dsamain.exe 5.5.2617.0),
-- which reads the port from the LDAP object's Incoming-Msg-Size-Limit
-- attribute (raw mode).  The cause is proven by lsass.exe on the port, or
-- by the host being a Windows 2000 domain controller when the listing
-- cannot say; 10049 in event 1309 is Q214864's.

local steps = "In raw mode (c:\\exchsrvr\\bin\\admin /r), select the LDAP object of the site's or server's Protocols "
  .. "container, File > Raw Properties, list All attributes, set Incoming-Msg-Size-Limit to the port to use (e.g. "
  .. "637), click Set and OK, then stop and restart the Exchange directory service. Raw mode used wrongly can force "
  .. "reinstalling Windows NT or Exchange."

-- Dsamain.exe older than SP3's: the port cannot be moved yet.
rule "Q232606-before-sp3" {
  article = "Q232606",
  title = "Active Directory holds the LDAP-over-SSL port, and this Exchange cannot move it before SP3",
  severity = "error",
  salience = 41,
  products = { "Exchange Server 5.5" },
  when = {
    port_conflict { service = "directory", protocol = "LDAPS", code = 10048, port = "?port", pid = "?pid",
                    reported = "?reported", stop = "?stop" },
    host_program { pid = "?pid", category = "directory" },
    file { name = ci "dsamain.exe", version_code = lt(version "5.5.2617.0"), version_text = "?have" },
  },
  diagnose = function(m)
    return "The Exchange directory could not open LDAP-over-SSL port " .. m.port .. " (" .. m.reported .. "): " .. m.stop
      .. ", Windows 2000's directory service, already uses it, and this Dsamain.exe" .. (m.have and " (" .. m.have .. ")" or "")
      .. " predates Exchange 5.5 Service Pack 3, the first that can move the port."
  end,
  remedy = "Install the latest Exchange 5.5 service pack (SP3 or later, Dsamain.exe 5.5.2617.0), then: " .. steps,
  assert = { explained { service = "directory", port = "?port", rule = "Q232606-before-sp3" } },
}

rule "Q232606" {
  article = "Q232606",
  title = "Active Directory holds the port Exchange's directory needs for LDAP over SSL",
  severity = "error",
  salience = 40,
  products = { "Exchange Server 5.5" },
  when = {
    port_conflict { service = "directory", protocol = "LDAPS", code = 10048, port = "?port", pid = "?pid",
                    reported = "?reported", stop = "?stop" },
    host_program { pid = "?pid", category = "directory" },
    no(explained { service = "directory", port = "?port" }),
  },
  diagnose = "The Exchange directory could not open LDAP-over-SSL port ?port (?reported): ?stop, Windows 2000's "
    .. "directory service, already uses it (Exchange runs on a domain controller).",
  remedy = "With Exchange 5.5 Service Pack 3 or later, move Exchange's LDAP over SSL to another port: " .. steps,
  assert = { explained { service = "directory", port = "?port", rule = "Q232606" } },
}

rule "Q232606-domain-controller" {
  article = "Q232606",
  title = "Active Directory holds the port Exchange's directory needs for LDAP over SSL",
  severity = "error",
  salience = 39,
  products = { "Exchange Server 5.5" },
  when = {
    port_conflict { service = "directory", protocol = "LDAPS", code = 10048, port = "?port",
                    owner = one_of { "pid", "hidden", "gone", "unlisted" }, reported = "?reported", situation = "?situation" },
    host { os_version = match "^5%.0", role = "domain controller" },
    no(explained { service = "directory", port = "?port" }),
  },
  diagnose = "The Exchange directory could not open LDAP-over-SSL port ?port (?reported) on a Windows 2000 domain controller, "
    .. "whose own directory service (Active Directory, in lsass.exe) starts first and takes that port. What the "
    .. "listing shows: ?situation.",
  remedy = "With Exchange 5.5 Service Pack 3 or later, move Exchange's LDAP over SSL to another port: " .. steps,
  assert = { explained { service = "directory", port = "?port", rule = "Q232606-domain-controller" } },
}
