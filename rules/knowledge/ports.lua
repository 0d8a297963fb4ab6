-- Well-known ports of the protocols the articles name (IANA service name
-- and port number registry; RFC 1939 POP3, RFC 3977 NNTP, RFC 3501 IMAP,
-- RFC 5321 SMTP, RFC 4511 LDAP, RFC 959 FTP; 3268/3269 are the Active
-- Directory global catalog, Q224447 and Q232606).  `service` is the Windows
-- service or Exchange component that listens on it.  One row per protocol:
-- the Linux rules (rules/linux/) look protocols up by port and ports up by
-- protocol, and a second row for the same protocol would double their
-- findings.

kind "well_known_port" {
  protocol  = always { "string", '"POP3", "IMAP4", ...' },
  transport = always { "string", '"tcp" or "udp"' },
  port      = always { "integer", "the port number" },
  service   = always { "string", "what the protocol is for, in words" },
}

facts "well_known_port" {
  { protocol = "FTP",    transport = "tcp", port = 21,   service = "ftp" },
  { protocol = "SMTP",   transport = "tcp", port = 25,   service = "smtp" },
  { protocol = "HTTP",   transport = "tcp", port = 80,   service = "http" },
  { protocol = "POP3",   transport = "tcp", port = 110,  service = "information store" },
  { protocol = "NNTP",   transport = "tcp", port = 119,  service = "information store" },
  { protocol = "IMAP4",  transport = "tcp", port = 143,  service = "information store" },
  { protocol = "LDAP",   transport = "tcp", port = 389,  service = "directory" },
  { protocol = "HTTPS",  transport = "tcp", port = 443,  service = "http" },
  { protocol = "NNTPS",  transport = "tcp", port = 563,  service = "information store" },
  { protocol = "LDAPS",  transport = "tcp", port = 636,  service = "directory" },
  { protocol = "IMAP4S", transport = "tcp", port = 993,  service = "information store" },
  { protocol = "POP3S",  transport = "tcp", port = 995,  service = "information store" },
  { protocol = "GC",     transport = "tcp", port = 3268, service = "global catalog" },
  { protocol = "GCS",    transport = "tcp", port = 3269, service = "global catalog" },
}

