-- Events that report a service failing to open its port, by event source
-- and ID, in the spellings they appear under: Exchange 5.5 writes
-- "MSExchange Pop3 Interface" (Q271275, Q298944), the articles also quote
-- "MSExchange POP3" (Q214864) and "MSExchangePOP3" (Q250926), and exports
-- vary the case, so sources are compared without regard to case.
-- `service` is the windows_service (windows_services.lua) that failed;
-- `protocol` what it failed to open (nil where the source serves several
-- and the message names it); `article` where the event is quoted.

kind "bind_event" {
  source   = { "string", "the event source, compared without regard to case" },
  id       = { "integer", "the event ID" },
  service  = { "string", "the windows_service that failed" },
  protocol = { "string", "what it failed to open; nil where the message names it" },
  article  = { "string", "the article that quotes the event" },
}

facts "bind_event" {
  -- "Accept clients on POP3 interface failed in function HrRegisterProtocol
  -- with error 0x2740." (11508 POP3; 11506 IMAP4 and NNTP)
  { source = "MSExchange Pop3 Interface",  id = 11508, service = "information store", protocol = "POP3",  article = "Q271275, Q298944" },
  { source = "MSExchange POP3",            id = 11508, service = "information store", protocol = "POP3",  article = "Q214864" },
  { source = "MSExchangePOP3",             id = 11508, service = "information store", protocol = "POP3",  article = "Q250926" },
  { source = "MSExchange IMAP4 Interface", id = 11506, service = "information store", protocol = "IMAP4", article = "Q271275" },
  { source = "MSExchange IMAP4",           id = 11506, service = "information store", protocol = "IMAP4", article = "Q214864, Q250926" },
  { source = "MSExchangeIMAP4",            id = 11506, service = "information store", protocol = "IMAP4", article = "as MSExchangePOP3 in Q250926" },
  { source = "MSExchange NNTP Interface",  id = 11506, service = "information store", protocol = "NNTP",  article = "Q271275" },
  { source = "MSExchange NNTP",            id = 11506, service = "information store", protocol = "NNTP",  article = "as MSExchange POP3 in Q214864" },
  { source = "MSExchangeNNTP",             id = 11506, service = "information store", protocol = "NNTP",  article = "as MSExchangePOP3 in Q250926" },
  -- "Register LDAP protocol failed with error 10048. If port number 389 is
  -- used by another application, ..." / "Register LDAP SSL protocol failed
  -- with error 10049. ... Make sure port number 636 is not used by another
  -- application."
  { source = "MSExchangeDS", id = 1306, service = "directory", protocol = "LDAP",  article = "Q224447" },
  { source = "MSExchangeDS", id = 1309, service = "directory", protocol = "LDAPS", article = "Q214864, Q224447, Q232606" },
  -- "The following error occurred while trying to bind the TCP/IP listener
  -- socket. 10048" (4020, "WinSock could not be initialized", follows it)
  { source = "MSExchangeIMC", id = 4007, service = "Internet Mail Service", protocol = "SMTP", article = "Q222553, Q193928" },
  -- "Service could not bind instance 1.  The data is the error." (the code
  -- is in the event data: 0000: 40 27 00 00 is 10048)
  { source = "SMTPSVC",  id = 115, service = "SMTP service", protocol = "SMTP", article = "Q228475" },
  { source = "W3SVC",    id = 115, service = "WWW service",  protocol = "HTTP", article = "as SMTPSVC in Q228475" },
  { source = "MSFTPSVC", id = 115, service = "FTP service",  protocol = "FTP",  article = "as SMTPSVC in Q228475" },
  { source = "NNTPSVC",  id = 115, service = "NNTP service", protocol = "NNTP", article = "as SMTPSVC in Q228475" },
}

-- The Service Control Manager's events for a service that did not start
-- in time: 7000 "The %1 service failed to start due to the following
-- error: The service did not respond to the start or control request in a
-- timely fashion." (error 1053, the message Q296086 quotes) and 7009
-- "Timeout (30000 milliseconds) waiting for the %1 service to connect."
-- The SCM names the service by its display name (windows_service.display).
kind "start_event" {
  source  = { "string", 'the event source: "Service Control Manager"' },
  id      = { "integer", "the event ID: 7000, 7009" },
  pattern = { "string", "a Lua pattern whose capture is the service's display name" },
}

facts "start_event" {
  { source = "Service Control Manager", id = 7000,
    pattern = "did%s+not%s+respond%s+to%s+the%s+start%s+or%s+control%s+request%s+in%s+a%s+timely%s+fashion" },
  { source = "Service Control Manager", id = 7009, pattern = "[Tt]imeout%s+%(%d+%s+milliseconds%)%s+waiting%s+for%s+the" },
  -- Vista and later word 7009 "A timeout was reached (%1 milliseconds)
  -- while waiting for the %2 service to connect." (event_messages.lua)
  { source = "Service Control Manager", id = 7009,
    pattern = "[Tt]imeout%s+was%s+reached%s+%(%d+%s+milliseconds%)%s+while%s+waiting%s+for%s+the" },
}
