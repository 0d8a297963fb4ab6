-- Error codes that mean "cannot bind", with the class general rules match
-- on.  Windows Sockets codes (Winsock2.h; Microsoft's "Windows Sockets Error
-- Codes") are printed in hex (0x2740) or decimal (10048) by events;
-- importers turn both into the integer.  Linux errno values (errno(3),
-- asm-generic/errno-base.h and errno.h) are what daemons print as
-- "(98: Address already in use)".

kind "bind_error" { code = "integer", name = "string", error = "string", meaning = "string" }

facts "bind_error" {
  { code = 10013, name = "WSAEACCES",        error = "denied",        meaning = "permission denied" },
  { code = 10048, name = "WSAEADDRINUSE",    error = "in_use",        meaning = "address already in use" },
  { code = 10049, name = "WSAEADDRNOTAVAIL", error = "not_available", meaning = "cannot assign requested address" },
  { code = 13,    name = "EACCES",           error = "denied",        meaning = "permission denied" },
  { code = 98,    name = "EADDRINUSE",       error = "in_use",        meaning = "address already in use" },
  { code = 99,    name = "EADDRNOTAVAIL",    error = "not_available", meaning = "cannot assign requested address" },
}
