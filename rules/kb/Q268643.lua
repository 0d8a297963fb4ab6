-- Q268643 XFOR: Internet Mail Service Does not Start with Event 4003, 4020.
-- Exchange Server 5.5 with the Winsock Proxy client: the Internet Mail
-- Service does not start; MSExchangeIMC logs 4003 "The following error
-- occurred while trying to retrieve protocol information. Error=11004"
-- then 4020 "Unable to start the service because Winsock could not be
-- initialized."  The fix is to reinstall TCP/IP.  4020 follows other
-- failures too (4007 with 10048 or 10050: Q222553, Q193928), so the rule
-- rests on 4003 with 11004 (WSANO_DATA).

rule "Q268643" {
  article = "Q268643",
  title = "The Internet Mail Service cannot read the TCP/IP protocol information (4003, error 11004)",
  severity = "error",
  salience = 30,
  products = { "Exchange Server 5.5" },
  when = {
    event { source = ci "MSExchangeIMC", id = 4003, level = ne("information"), code = 11004 },
  },
  diagnose = "The Internet Mail Service could not retrieve the TCP/IP protocol information (MSExchangeIMC event "
    .. "4003, error 11004), so Winsock could not be initialized and the service does not start; this happens with "
    .. "the Winsock Proxy client installed on the Exchange server.",
  remedy = "Record the TCP/IP settings, remove the TCP/IP protocol (Control Panel, Network, Protocols) and restart, "
    .. "add TCP/IP again with those settings and restart; reapply the latest Windows NT 4.0 and Exchange Server 5.5 "
    .. "service packs, then start the Internet Mail Service.",
}
