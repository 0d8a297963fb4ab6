-- Event sources that report a protocol failing to open its port, in the
-- spellings they appear under (Exchange 5.5 writes "MSExchange Pop3
-- Interface"; exports and later versions vary the case and spacing).
-- `service` names what owns the port in messages.

kind "protocol_source" {
  source = "string",
  protocol = "string",
  service = "string",
  product = "string",
}

facts "protocol_source" {
  { source = "MSExchange Pop3 Interface",  protocol = "POP3",  service = "information store", product = "Exchange Server 5.5" },
  { source = "MSExchange POP3 Interface",  protocol = "POP3",  service = "information store", product = "Exchange Server 5.5" },
  { source = "MSExchange POP3",            protocol = "POP3",  service = "information store", product = "Exchange Server" },
  { source = "MSExchangePOP3",             protocol = "POP3",  service = "information store", product = "Exchange Server" },
  { source = "MSExchange IMAP4 Interface", protocol = "IMAP4", service = "information store", product = "Exchange Server 5.5" },
  { source = "MSExchange IMAP4",           protocol = "IMAP4", service = "information store", product = "Exchange Server" },
  { source = "MSExchangeIMAP4",            protocol = "IMAP4", service = "information store", product = "Exchange Server" },
  { source = "MSExchange NNTP Interface",  protocol = "NNTP",  service = "information store", product = "Exchange Server 5.5" },
  { source = "MSExchange NNTP",            protocol = "NNTP",  service = "information store", product = "Exchange Server" },
}
