-- Q224447 XADM: How to Change LDAP Port Assignments in Exchange Server.
-- Exchange 5.x on Windows 2000: MSExchangeDS logs 1306 ("Register LDAP
-- protocol failed with error 10048 ... port number 389") because Windows
-- 2000's own LDAP server (Active Directory, lsass.exe) starts first and
-- holds 389 and 636.  Workaround: give Exchange's LDAP another port (not
-- 3389, Terminal Services').  The LDAP-over-SSL port 636 (event 1309) is
-- Q232606's.  The cause is proven when lsass.exe holds the port, or, when
-- the listing cannot say, by the host being a Windows 2000 domain
-- controller; another holder is the general diagnosis's.

local remedy = "In the Exchange Administrator, change the LDAP port from 389 to an unused one (netstat -an shows "
  .. "the ports in use; not 3389, which Terminal Services uses): for the whole site under <Site>\\Configuration\\"
  .. "Protocols\\LDAP (Directory) Site Defaults, or for one server under <Site>\\Configuration\\Servers\\<Server>\\"
  .. "Protocols\\LDAP (Directory) Settings with \"Use site defaults for all properties\" cleared. Then stop and "
  .. "restart the Exchange directory service."

rule "Q224447" {
  article = "Q224447",
  title = "Windows 2000's LDAP server holds the port Exchange's directory needs",
  severity = "error",
  salience = 30,
  products = { "Exchange Server 5.0", "Exchange Server 5.5" },
  when = {
    port_conflict { service = "directory", protocol = "LDAP", code = 10048, port = "?port", pid = "?pid",
                    reported = "?reported", stop = "?stop" },
    host_program { pid = "?pid", category = "directory", product = "?product" },
    no(explained { service = "directory", port = "?port" }),
  },
  diagnose = "The Exchange directory could not open LDAP port ?port (?reported): ?stop, the ?product, holds it. "
    .. "Windows 2000's LDAP server starts before Exchange's and takes 389 and 636.",
  remedy = remedy,
  assert = { explained { service = "directory", port = "?port", rule = "Q224447" } },
}

rule "Q224447-windows-2000" {
  article = "Q224447",
  title = "Windows 2000's LDAP server holds the port Exchange's directory needs",
  severity = "error",
  salience = 29,
  products = { "Exchange Server 5.0", "Exchange Server 5.5" },
  when = {
    port_conflict { service = "directory", protocol = "LDAP", code = 10048, port = "?port",
                    owner = one_of { "pid", "hidden", "gone", "unlisted" }, reported = "?reported", situation = "?situation" },
    host { os_version = match "^5%.0", role = "domain controller" },
    no(explained { service = "directory", port = "?port" }),
  },
  diagnose = "The Exchange directory could not open LDAP port ?port (?reported) on a Windows 2000 domain controller, whose own "
    .. "LDAP server (Active Directory, in lsass.exe) starts first and takes 389 and 636. What the listing shows: "
    .. "?situation.",
  remedy = remedy,
  assert = { explained { service = "directory", port = "?port", rule = "Q224447-windows-2000" } },
}
