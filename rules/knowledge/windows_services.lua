-- The Windows services whose ports the articles are about: the name
-- findings use (`service`, as in bind_failure), the service key `sc` and
-- `tasklist /svc` print, the display name the Service Control Manager's
-- events use, the program it runs in, and where this comes from.  A port
-- held by the service's own program is no conflict: the articles say so
-- when they name it ("a line ending in :110 that is not store.exe").

kind "windows_service" {
  service       = always { "string", 'the name findings use: "information store", "directory", ...' },
  name          = always { "string", 'the service key: "MSExchangeIS"' },
  display       = always { "string", "the display name" },
  image         = always { "string", "the program that opens its ports" },
  product       = { "string", "the product it belongs to" },
  port_at_start = { "boolean", "its start fails (times out) when its port is taken (Q296086)" },
  source        = { "string", "where the knowledge comes from (an article)" },
}

facts "windows_service" {
  -- Exchange Server 5.5: the information store opens POP3, IMAP4 and NNTP
  -- (Q271275, Q191687 "opened ... when the Information Store service
  -- starts"); Exchange 2000 runs those protocols in IIS (inetinfo.exe,
  -- Q292522 which Q298944 cites for PoProxy.exe on Exchange 2000).
  { service = "information store", name = "MSExchangeIS", display = "Microsoft Exchange Information Store",
    image = "store.exe", product = "Exchange Server 5.5", source = "Q271275, Q191687" },
  { service = "information store", name = "POP3Svc", display = "Microsoft Exchange POP3",
    image = "inetinfo.exe", product = "Exchange 2000 Server", source = "Q292522 (cited by Q298944)" },
  { service = "information store", name = "IMAP4Svc", display = "Microsoft Exchange IMAP4",
    image = "inetinfo.exe", product = "Exchange 2000 Server", source = "Q292522 (cited by Q298944)" },
  -- The Exchange directory's LDAP server (Q224447, Q232606: Dsamain.exe).
  { service = "directory", name = "MSExchangeDS", display = "Microsoft Exchange Directory",
    image = "dsamain.exe", product = "Exchange Server 5.5", source = "Q224447, Q232606" },
  -- The Internet Mail Service binds port 25 (Q222553, Q193928, Q191687).
  { service = "Internet Mail Service", name = "MSExchangeIMC", display = "Microsoft Exchange Internet Mail Service",
    image = "msexcimc.exe", product = "Exchange Server 5.5", source = "Q222553, Q193928, Q191687" },
  -- The SMTP service of the NT 4.0 Option Pack / IIS (Q228475, Q296086,
  -- Q193928 scenario C), named "Microsoft SMTP Service" there and "Simple
  -- Mail Transport Protocol (SMTP)" / "Simple Mail Transfer Protocol (SMTP)"
  -- in Windows 2000 / 2003; it runs in inetinfo.exe with the other IIS
  -- services.
  { service = "SMTP service", name = "SMTPSVC", display = "Microsoft SMTP Service",
    image = "inetinfo.exe", product = "Windows NT 4.0 Option Pack", port_at_start = true, source = "Q228475, Q296086, Q193928" },
  { service = "SMTP service", name = "SMTPSVC", display = "Simple Mail Transport Protocol (SMTP)",
    image = "inetinfo.exe", product = "IIS 5.0", port_at_start = true, source = "Q296086" },
  { service = "SMTP service", name = "SMTPSVC", display = "Simple Mail Transfer Protocol (SMTP)",
    image = "inetinfo.exe", product = "IIS 6.0", port_at_start = true, source = "Q296086" },
  -- The other IIS services log the same event 115 as SMTPSVC (Q228475)
  -- when they cannot bind a site; no article here covers them, so the
  -- general diagnosis names their port's holder.
  { service = "WWW service", name = "W3SVC", display = "World Wide Web Publishing Service",
    image = "inetinfo.exe", product = "IIS", source = "IIS event 115, as Q228475" },
  { service = "FTP service", name = "MSFTPSVC", display = "FTP Publishing Service",
    image = "inetinfo.exe", product = "IIS", source = "IIS event 115, as Q228475" },
  { service = "NNTP service", name = "NNTPSVC", display = "Network News Transport Protocol (NNTP)",
    image = "inetinfo.exe", product = "IIS", source = "IIS event 115, as Q228475" },
  -- Windows 2000's own LDAP server, in lsass.exe on a domain controller,
  -- starts before Exchange's and takes 389 and 636 (Q224447, Q232606).
  { service = "Active Directory", name = "NTDS", display = "Active Directory",
    image = "lsass.exe", product = "Windows 2000 Server", source = "Q224447, Q232606" },
}

-- The protocols (well_known_port) each service opens.
kind "service_protocol" {
  service  = { "string", "windows_service.service" },
  protocol = { "string", "a protocol it serves, as well_known_port names it" },
}

facts "service_protocol" {
  { service = "information store", protocol = "POP3" },
  { service = "information store", protocol = "IMAP4" },
  { service = "information store", protocol = "NNTP" },
  { service = "information store", protocol = "POP3S" },
  { service = "information store", protocol = "IMAP4S" },
  { service = "information store", protocol = "NNTPS" },
  { service = "directory", protocol = "LDAP" },
  { service = "directory", protocol = "LDAPS" },
  { service = "Internet Mail Service", protocol = "SMTP" },
  { service = "SMTP service", protocol = "SMTP" },
  { service = "WWW service", protocol = "HTTP" },
  { service = "WWW service", protocol = "HTTPS" },
  { service = "FTP service", protocol = "FTP" },
  { service = "NNTP service", protocol = "NNTP" },
  { service = "Active Directory", protocol = "LDAP" },
  { service = "Active Directory", protocol = "LDAPS" },
  { service = "Active Directory", protocol = "GC" },
  { service = "Active Directory", protocol = "GCS" },
}
