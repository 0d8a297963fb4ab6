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
  error    = { "string", "the bind_failure.error the event means whatever its code (nil: the code's class)" },
  site     = { "boolean", 'the event names an IIS site ("instance 1"), its first insertion string' },
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
  -- is in the event data: 0000: 40 27 00 00 is 10048; Q186810, Q190008,
  -- Q218441, Q248497, Q284984 quote W3SVC's)
  { source = "SMTPSVC",  id = 115, site = true, service = "SMTP service", protocol = "SMTP", article = "Q228475" },
  { source = "W3SVC",    id = 115, site = true, service = "WWW service",  protocol = "HTTP", article = "as SMTPSVC in Q228475" },
  { source = "MSFTPSVC", id = 115, site = true, service = "FTP service",  protocol = "FTP",  article = "as SMTPSVC in Q228475" },
  { source = "NNTPSVC",  id = 115, site = true, service = "NNTP service", protocol = "NNTP", article = "as SMTPSVC in Q228475" },
  -- "Instance 1 has invalid binding descriptor X" (a warning, before the
  -- 115 of the same site): the site's binding in the metabase is not one
  -- IIS can open (Q248497: LM\W3SVC\1\SecureBindings).
  { source = "W3SVC", id = 113, site = true, service = "WWW service", protocol = "HTTP", error = "bad_binding", article = "Q248497" },
}

-- The Service Control Manager's events for a service that failed to start
-- or stopped (System log; event_messages.lua has their templates):
--   7000 "The %1 service failed to start due to the following error: %2"
--        (error 1053 "did not respond ... in a timely fashion": Q296086)
--   7001 "The %1 service depends on the %2 service which failed to start
--        because of the following error: %3"
--   7009 "Timeout (30000 milliseconds) waiting for the %1 service to
--        connect." (Vista and later: "A timeout was reached ...")
--   7023 "The %1 service terminated with the following error: %2" (KB 133010)
--   7024 "The %1 service terminated with service-specific error %2." (as
--        Q-articles quote it: "The Computer Browser service terminated with
--        service-specific error 2550.")
--   7031 "The %1 service terminated unexpectedly.  It has done this %2
--        time(s).  The following corrective action will be taken ..."
--   7034 "The %1 service terminated unexpectedly.  It has done this %2 time(s)."
-- The SCM names the service by its display name.  `cause` says what
-- happened: "error" (it reported an error), "dependency" (another service
-- it needs did not start), "timeout" (it did not start in time: 7009, and
-- 7000 with error 1053), "crash" (it ended without saying why).
kind "start_event" {
  source = { "string", 'the event source: "Service Control Manager"' },
  id     = { "integer", "the event ID: 7000, 7001, 7009, 7023, 7024, 7031, 7034" },
  cause  = { "string", '"error", "dependency", "timeout" or "crash"' },
}

local function scm(id, cause) return { source = "Service Control Manager", id = id, cause = cause } end

facts "start_event" {
  scm(7000, "error"), scm(7001, "dependency"), scm(7009, "timeout"), scm(7023, "error"), scm(7024, "error"),
  scm(7031, "crash"), scm(7034, "crash"),
}
