-- Q262939 XADM: Internet Mail Service Won't Start After DC Demoted.
-- Exchange Server 5.5 on Windows 2000, demoted from domain controller and
-- promoted again: the Internet Mail Service does not start ("The service
-- did not respond ... ID no: 0xc002041d") and MSExchangeIMC logs 4018
-- "Unable to start the Internet Mail Connector service because MAPI could
-- not be initialized.": the local group membership of the service account
-- changed.  The evidence: 4018 on a Windows 2000 domain controller.

rule "Q262939" {
  article = "Q262939",
  title = "After a domain controller is demoted and promoted, the Internet Mail Service cannot initialize MAPI",
  severity = "error",
  salience = 30,
  products = { "Exchange Server 5.5", "Windows 2000 Server" },
  when = {
    event { source = ci "MSExchangeIMC", id = 4018, level = ne("information") },
    host { os_version = match "^5%.0", role = "domain controller", name = "?host" },
  },
  -- a report may give the role and version without the computer's name
  diagnose = function(m)
    return "The Internet Mail Service on " .. (m.host or "this server") .. ", a Windows 2000 domain controller, could "
      .. "not initialize MAPI (MSExchangeIMC event 4018): when a server is demoted and promoted again, its service "
      .. "account's group membership changes, and the service does not start."
  end,
  remedy = "In Active Directory Users and Computers, open the Exchange service account, and on its Member Of tab "
    .. "add it to the Domain Admins group if it is only in Domain Users; then start the Internet Mail Service.",
}
