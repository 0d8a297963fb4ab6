-- Q250926 XFOR: GroupShield Interferes with POP3/IMAP with SSL Enabled.
-- POP3 or IMAP clients with SSL get "A secure connection to the server
-- could not be established ... Port: 995, Secure(SSL): Yes, Error Number:
-- 0x800CCC1A" though the certificates are fine, and the store logs 11508 /
-- 11506 with 0x2741: Network Associates GroupShield for Microsoft Exchange
-- runs on the server.  Without GroupShield on the server (host_program) it
-- is some other SSL problem, and so are other SSL errors (0x800CCC01 a
-- certificate for another name, 0x800CCC02 an expired one) and SMTP.  More
-- specific than Q214864 (the same 0x2741 events on SP4): it fires first.

local remedy = "Uninstall GroupShield completely and check that POP3 / IMAP4 clients connect with SSL; then "
  .. "reinstall GroupShield. Until then, clients can download mail with SSL turned off."

-- The store's events.
rule "Q250926" {
  article = "Q250926",
  title = "GroupShield breaks POP3 and IMAP4 over SSL",
  severity = "error",
  salience = 40,
  products = { "Exchange Server 5.5" },
  when = {
    bind_failure { platform = "windows", service = "information store", protocol = one_of { "POP3", "IMAP4" },
                   code = 10049, port = "?port" },
    host_program { product = match "GroupShield", name = "?gs" },
  },
  diagnose = function(m)
    local protos = {}
    for _, b in ipairs(kb.facts("bind_failure")) do
      if b.service == "information store" and b.code == 10049 and (b.protocol == "POP3" or b.protocol == "IMAP4") then
        protos[b.protocol] = true
      end
    end
    local list = protos.POP3 and protos.IMAP4 and "POP3 and IMAP4" or protos.POP3 and "POP3" or "IMAP4"
    return "GroupShield for Microsoft Exchange (" .. m.gs .. ") runs on the server, and the information store could "
      .. "not register " .. list .. " (error 0x2741): GroupShield interferes with POP3 and IMAP4 over SSL."
  end,
  remedy = remedy,
  assert = { explained { service = "information store", port = "?port", rule = "Q250926" } },
}

-- The client's error alone.
rule "Q250926-client" {
  article = "Q250926",
  title = "GroupShield breaks POP3 and IMAP4 over SSL",
  severity = "error",
  salience = 39,
  products = { "Exchange Server 5.5" },
  when = {
    client_error { protocol = one_of { "POP3", "IMAP" }, ssl = true, error_number = 0x800CCC1A, port = "?port",
                   server = "?server" },
    host_program { product = match "GroupShield", name = "?gs" },
    no(finding { rule = "Q250926" }),
  },
  -- a pasted error may lack the server or the port
  diagnose = function(m)
    return "Clients cannot make a secure (SSL) connection to " .. (m.server or "the server")
      .. (m.port and " on port " .. m.port or "") .. " (0x800CCC1A) although the certificates are installed: "
      .. "GroupShield for Microsoft Exchange (" .. m.gs .. ") runs on the server and interferes with POP3 and IMAP4 over SSL."
  end,
  remedy = remedy,
}
