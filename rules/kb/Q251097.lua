-- Q251097 XIMS: Troubleshooting POP3/IMAP 13002 Errors w. SSL on Exchange.
-- Exchange Server 5.5: POP3 or IMAP4 clients over SSL are dropped
-- (Outlook Express: 0x800CCC0F on port 995) and the protocol logs 13002
-- "An attempt to connect an SSL client failed because the server does not
-- have a valid certificate." (source "MSExchange <Protocol> Interface"):
-- the certificate is not installed for that protocol, or badly.  The
-- source names POP3 or IMAP4 in the spellings the stock knowledge knows
-- (MSExchange POP3, MSExchangePOP3, ... Interface); 13003 (a logon failure,
-- Q247764) is another problem.

local function pop_or_imap(source)
  local s = source and source:lower():gsub("%s+", "")
  return s ~= nil and s:find("^msexchange") ~= nil and (s:find("pop3", 1, true) or s:find("imap4", 1, true)) ~= nil
end

rule "Q251097" {
  article = "Q251097",
  title = "POP3 or IMAP4 over SSL fails: the server has no valid certificate for the protocol",
  severity = "error",
  salience = 30,
  products = { "Exchange Server 5.5" },
  when = {
    event { id = 13002, level = ne("information"), source = { "?src", match ".", test(pop_or_imap) } },
  },
  diagnose = "?src logged event 13002: SSL clients cannot connect because the server has no valid certificate for "
    .. "the protocol (Outlook Express reports 0x800CCC0F, the server unexpectedly terminated the connection).",
  remedy = "Install the certificate correctly for the protocol (Q175439): in Key Manager, bind each protocol's key to "
    .. "Default (all unspecified IP addresses) or to the server's own address; then reconnect over SSL.",
}
