-- Q250893 Zoomit Server Service Does Not Start After Installing MMS.
-- Microsoft Metadirectory Services 2.1 (the ZOOMIT Server service) binds
-- HTTP port 80 and LDAP port 389 by default; on a Windows 2000 domain
-- controller Active Directory (lsass.exe) holds 389 and IIS often 80, so
-- the service does not start ("The service did not return an error"),
-- and its Genlogs say "HTTP port 80 is unavailable" / "LDAP port 389 is
-- unavailable" after WSAEADDRINUSE/10048.  The ports are the "HTTP port"
-- and "LDAP port" values under Services\ZOOMIT Server\Parameters, which
-- kbdiag keeps from registry evidence.  The rule needs the service not
-- running and another program listening on one of its configured ports:
-- after the article's fix (8080 and 390) a stopped service is not this.

rule "Q250893" {
  article = "Q250893",
  title = "The ZOOMIT Server (MMS) service cannot start: another program holds its HTTP or LDAP port",
  severity = "error",
  salience = 30,
  products = { "Microsoft Metadirectory Services 2.1" },
  when = {
    registry_value { key = match "\\[Ss]ervices\\ZOOMIT Server\\[Pp]arameters$", name = { "?setting", match "^%a+ [Pp]ort$" },
                     number = { "?port", gt(0) } },
    service { name = ci "ZOOMIT Server", state = ne("running") },
    listener { protocol = "tcp", port = "?port", pid = { "?pid", ge(0) } },
    process { pid = "?pid", name = "?holder" },
  },
  -- a process listing may give a PID no name
  diagnose = function(m)
    return (m.holder or "The program") .. " (PID " .. m.pid .. ") holds TCP port " .. m.port .. ", the ZOOMIT Server "
      .. "service's " .. m.setting .. ", so the Metadirectory Services server cannot bind it and does not start (on a "
      .. "Windows 2000 domain controller Active Directory holds LDAP port 389 and IIS port 80)."
  end,
  remedy = "Give MMS ports of its own: set the HTTP port and LDAP port values under HKLM\\System\\CurrentControlSet\\"
    .. "Services\\ZOOMIT Server\\Parameters (for example 8080 and 390), or run Setupsvc -update -httpport 8080 "
    .. "-ldapport 390 in Zoomserv\\Bin, then restart the computer.  Connect to MMS as http://server:8080 afterwards (Q259530).",
}
