-- The "Error Number" and "Server Error" codes Outlook Express and Outlook
-- print in their error dialogs (client_error facts, facts/windows/events/mail_error.c).
-- Names and values are the IXP_E_* HRESULTs of the Internet Mail transport
-- header imnxport.h (Windows SDK: HR_E(n) is FACILITY_INTERNET, so
-- 0x800CCC00 + n); the articles quote 0x800CCC0E with socket error 10061
-- (Q191687), 0x800CCC90 / 0x800CCC92 (Q298944) and 0x800CCC1A (Q250926).
-- HRESULTs stay unsigned 32-bit values, as the importers write them.
-- `class`: "connect" (no connection was made), "secure" (the SSL handshake
-- failed), "logon" (the server rejected the account), "response" (the
-- server answered with an error), "dropped" (the connection broke).

kind "mail_error" {
  code    = { "integer", "the HRESULT as an unsigned 32-bit value: 0x800CCC92" },
  name    = { "string", "its IXP_E_* name" },
  class   = { "string", '"connect", "secure", "logon", "response", "dropped"' },
  meaning = { "string", "what it means, in a few words" },
}

facts "mail_error" {
  { code = 0x800CCC01, name = "IXP_E_INVALID_CERT_CN",       class = "secure",   meaning = "the server's certificate names another server" },
  { code = 0x800CCC02, name = "IXP_E_INVALID_CERT_DATE",     class = "secure",   meaning = "the server's certificate has expired or is not yet valid" },
  { code = 0x800CCC0D, name = "IXP_E_CANT_FIND_HOST",        class = "connect",  meaning = "the server's name could not be found" },
  { code = 0x800CCC0E, name = "IXP_E_FAILED_TO_CONNECT",     class = "connect",  meaning = "the connection to the server failed" },
  { code = 0x800CCC0F, name = "IXP_E_CONNECTION_DROPPED",    class = "dropped",  meaning = "the server dropped the connection" },
  { code = 0x800CCC15, name = "IXP_E_SOCKET_CONNECT_ERROR",  class = "connect",  meaning = "the socket could not connect" },
  { code = 0x800CCC19, name = "IXP_E_TIMEOUT",               class = "connect",  meaning = "the server did not answer in time" },
  { code = 0x800CCC1A, name = "IXP_E_SECURE_CONNECT_FAILED", class = "secure",   meaning = "a secure (SSL) connection could not be established" },
  { code = 0x800CCC67, name = "IXP_E_SMTP_421_NOT_AVAILABLE", class = "response", meaning = "the SMTP server is not available (421)" },
  { code = 0x800CCC79, name = "IXP_E_SMTP_REJECTED_RECIPIENTS", class = "response", meaning = "the SMTP server rejected a recipient" },
  { code = 0x800CCC90, name = "IXP_E_POP3_RESPONSE_ERROR",   class = "response", meaning = "the POP3 server answered with an error (-ERR)" },
  { code = 0x800CCC91, name = "IXP_E_POP3_INVALID_USER_NAME", class = "logon",   meaning = "the POP3 server rejected the user name" },
  { code = 0x800CCC92, name = "IXP_E_POP3_INVALID_PASSWORD", class = "logon",    meaning = "the POP3 server rejected the password" },
  { code = 0x800CCCD1, name = "IXP_E_IMAP_LOGINFAILURE",     class = "logon",    meaning = "the IMAP server rejected the logon" },
}
