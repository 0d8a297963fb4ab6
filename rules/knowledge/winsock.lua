-- Windows Sockets error codes that mean "cannot bind" (Winsock2.h; listed
-- in Microsoft's "Windows Sockets Error Codes").  Events print them in hex
-- (0x2740) or decimal (10048); importers turn both into the integer.

kind "winsock_error" { code = "integer", name = "string", meaning = "string" }

facts "winsock_error" {
  { code = 10013, name = "WSAEACCES",        meaning = "permission denied" },
  { code = 10048, name = "WSAEADDRINUSE",    meaning = "address already in use" },
  { code = 10049, name = "WSAEADDRNOTAVAIL", meaning = "cannot assign requested address" },
  { code = 10061, name = "WSAECONNREFUSED",  meaning = "connection refused" },
}
