-- Q278416 Err Msg: Could Not Start the WWW, FTP, SMTP, and NNTP Service.
-- Windows 2000 with only a modem: the IIS services (WWW, FTP, SMTP, NNTP)
-- do not start, "Error 1747 The Authentication service is unknown"; the
-- Service Control Manager logs it as 7023 "The <service> service
-- terminated with the following error: The authentication service is
-- unknown."  Cause: Client for Microsoft Networks, installed only with a
-- network adapter, is missing; the IIS services need it.  The services
-- are the ones that run in inetinfo.exe (windows_service); 1747 from
-- another service is not this article's.
--
-- The general layer does not yet make a start_failure of 7023, so the
-- event is matched here.

rule "Q278416" {
  article = "Q278416",
  title = "The IIS services do not start because Client for Microsoft Networks is not installed",
  severity = "error",
  salience = 30,
  products = { "Internet Information Services 5.0", "Windows 2000" },
  when = {
    event { source = ci "Service Control Manager", id = 7023, level = ne("information"),
            message = { "?msg", match "[Aa]uthentication%s+service%s+is%s+unknown" } },
    windows_service { image = ci "inetinfo.exe", display = "?display", name = "?key" },
    test(function(m) return m.msg:gsub("%s+", " "):find("The " .. m.display .. " service", 1, true) ~= nil end),
  },
  diagnose = "The ?display service (?key) could not start: the Service Control Manager says \"The authentication "
    .. "service is unknown\" (error 1747), which the IIS services report when Client for Microsoft Networks is not "
    .. "installed (Windows 2000 installs it only with a network adapter).",
  remedy = "Install a network adapter (Control Panel, Add/Remove Hardware), then install Client for Microsoft "
    .. "Networks and bind it to that adapter, not the modem; then start the IIS services.",
}
