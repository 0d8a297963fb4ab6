-- Programs known to hold the ports mail and directory services need, and
-- where that is known from.  `pattern` is a Lua pattern over the lower-case
-- image name (tasklist, netstat -b), service key or display name (sc,
-- tasklist /svc).  `category`: "antivirus" (a mail scanner or proxy that
-- takes the port to scan the mail), "proxy" (a proxy server), "smtp" (a
-- mail server of its own), "directory" (another LDAP server).
-- Articles that name no program ("some anti-virus programs listen over
-- port 25", Q228475) add no row: a holder the table does not know is still
-- named by its image, and the general diagnosis covers it.

kind "port_program" {
  pattern  = { "string", "a Lua pattern over the lower-case image, service key or display name" },
  product  = { "string", "the product it belongs to" },
  category = { "string", '"antivirus", "proxy", "smtp" or "directory"' },
  source   = { "string", "where the knowledge comes from (an article)" },
}

facts "port_program" {
  -- Q298944: "the Norton e-mail protection program process, PoProxy.exe";
  -- it takes the POP3 port on the Exchange computer (Q292522 for Exchange
  -- 2000).  A client component that must be removed, not disabled.
  { pattern = "^poproxy%.exe$", product = "Norton AntiVirus e-mail protection", category = "antivirus",
    source = "Q298944, Q292522" },
  -- Q250926: Network Associates GroupShield for Microsoft Exchange breaks
  -- POP3 and IMAP4 over SSL (events 11508/11506 with 0x2741).  Its service
  -- and display names carry the product name.
  { pattern = "groupshield", product = "Network Associates GroupShield for Microsoft Exchange", category = "antivirus",
    source = "Q250926" },
  -- Q222553, Q193928 (scenario C): the Windows NT SMTP service of the
  -- Option Pack, in inetinfo.exe, grabs port 25 before the Internet Mail
  -- Service.
  { pattern = "^smtpsvc$", product = "Microsoft SMTP service (Windows NT Option Pack / IIS)", category = "smtp",
    source = "Q222553, Q193928" },
  -- Q222553, Q193928: Microsoft Proxy Server 2.0; its Winsock Proxy service
  -- (wspsrv.exe) binds ports on the proxy server for its clients, the
  -- Exchange computer among them.
  { pattern = "^wspsrv%.exe$", product = "Microsoft Proxy Server 2.0 Winsock Proxy service", category = "proxy",
    source = "Q222553, Q193928" },
  -- Q224447, Q232606: Windows 2000's own LDAP server (Active Directory, in
  -- lsass.exe on a domain controller) holds 389 and 636.
  { pattern = "^lsass%.exe$", product = "Windows 2000 Active Directory (LDAP server)", category = "directory",
    source = "Q224447, Q232606" },
}
