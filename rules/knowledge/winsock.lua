-- Error codes that mean "cannot bind", with the class general rules match
-- on.  Windows Sockets codes (Winsock2.h; Microsoft's "Windows Sockets Error
-- Codes") are printed in hex (0x2740) or decimal (10048) by events;
-- importers turn both into the integer.  Linux errno values (errno(3),
-- asm-generic/errno-base.h and errno.h) are what daemons print as
-- "(98: Address already in use)".  The Linux rules read the rows below
-- 1000 only.
--
-- Which articles each Winsock code comes from: 10048 (0x2740) Q271275,
-- Q298944, Q222553, Q224447, Q232606; 10049 (0x2741) Q214864, Q217001,
-- Q250926; 10050 Q193928 (event 4007 "(10050)").

kind "bind_error" {
  code    = { "integer", "the Winsock code or errno: 10048, 98" },
  name    = { "string", 'its symbolic name: "WSAEADDRINUSE", "EADDRINUSE"' },
  error   = { "string", 'the class rules match: "in_use", "not_available", "denied", "net_down"' },
  meaning = { "string", "what it means, in a few words" },
}

facts "bind_error" {
  { code = 10013, name = "WSAEACCES",        error = "denied",        meaning = "permission denied" },
  { code = 10048, name = "WSAEADDRINUSE",    error = "in_use",        meaning = "address already in use" },
  { code = 10049, name = "WSAEADDRNOTAVAIL", error = "not_available", meaning = "cannot assign requested address" },
  { code = 10050, name = "WSAENETDOWN",      error = "net_down",      meaning = "network is down" },
  { code = 13,    name = "EACCES",           error = "denied",        meaning = "permission denied" },
  { code = 98,    name = "EADDRINUSE",       error = "in_use",        meaning = "address already in use" },
  { code = 99,    name = "EADDRNOTAVAIL",    error = "not_available", meaning = "cannot assign requested address" },
}

-- Winsock errors a client reports when it cannot reach a server (the
-- "Socket Error: 10061" of a mail client's dialog, Q191687).  Same source
-- as above.  `class` says where to look: "refused" (the server answered
-- that nothing listens on the port), "timeout" (no answer: a firewall, a
-- router or a server that is down), "name" (the server's name did not
-- resolve), "reset" (the connection was cut).
kind "socket_error" {
  code    = { "integer", "the Winsock code a client reports: 10061" },
  name    = { "string", 'its symbolic name: "WSAECONNREFUSED"' },
  class   = { "string", 'where to look: "refused", "timeout", "name", "reset"' },
  meaning = { "string", "what it means, in a few words" },
}

facts "socket_error" {
  { code = 10053, name = "WSAECONNABORTED",   class = "reset",   meaning = "connection aborted" },
  { code = 10054, name = "WSAECONNRESET",     class = "reset",   meaning = "connection reset by peer" },
  { code = 10060, name = "WSAETIMEDOUT",      class = "timeout", meaning = "connection timed out" },
  { code = 10061, name = "WSAECONNREFUSED",   class = "refused", meaning = "connection refused" },
  { code = 10064, name = "WSAEHOSTDOWN",      class = "timeout", meaning = "host is down" },
  { code = 10065, name = "WSAEHOSTUNREACH",   class = "timeout", meaning = "no route to host" },
  { code = 11001, name = "WSAHOST_NOT_FOUND", class = "name",    meaning = "host not found" },
}
