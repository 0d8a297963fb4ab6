-- Q165338 IIS Does Not Allow its TCP Port to Be Same as SSL Port.
-- IIS 2.0 and 3.0: after an SSL key is installed, the WWW service does
-- not restart ("Winsock Error: Address already in use") because the SSL
-- binding holds the secure port (SecurePort under
-- HKLM\SYSTEM\CurrentControlSet\Services\W3SVC\Parameters) and the
-- service's TCP port is the same.  The registry export shows SecurePort;
-- the failure is the Web service's bind failure on that port (W3SVC 115 for
-- the default site, whose port is 80).  The holder is inetinfo.exe
-- itself, so no other program is to blame: this fires before Q261194.

rule "Q165338" {
  article = "Q165338",
  title = "The Web service's TCP port is also its SSL port",
  severity = "error",
  salience = 30,
  products = { "Internet Information Server 2.0", "Internet Information Server 3.0" },
  when = {
    port_need { service = "WWW service", basis = "bind", port = "?port" },
    registry_value { key = { "?key", match "\\W3SVC\\Parameters$" }, name = ci "SecurePort", number = "?port" },
    no(explained { service = "WWW service", port = "?port", rule = ne("port-held-by-service") }),
  },
  diagnose = "The Web service could not bind TCP port ?port because its SSL port is the same: SecurePort in "
    .. "?key is ?port, and the SSL binding holds that port.",
  remedy = "Back up the key and remove it in Key Manager (IIS does not restart while SSL holds the port), then in "
    .. "Internet Service Manager, WWW Properties, set a TCP port other than SecurePort (for example 90), "
    .. "and restart the WWW service.",
  assert = { explained { service = "WWW service", port = "?port", rule = "Q165338" } },
}
