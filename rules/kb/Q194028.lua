-- Q194028 DHCP Server Fails to Start with Event 1007, 1008 and SCM 7023.
-- The DHCP Server logs 1007 "The DHCP Server failed to initialize winsock
-- data. The following error occurred." with 0x2741 (10049,
-- WSAEADDRNOTAVAIL) in its data, then 1008 and SCM 7023, when an IP
-- address of the server in the registry has leading zeros
-- (015.057.120.001), which an Unattend.txt can write and the TCP/IP
-- setup dialog cannot.  The code comes from the event data (text export
-- or binary log alike); another code is another problem.

rule "Q194028" {
  article = "Q194028",
  title = "The DHCP Server does not start: an IP address of the server has leading zeros",
  severity = "error",
  salience = 30,
  products = { "Windows NT Server 4.0" },
  when = {
    event { source = ci "DHCPServer", id = 1007, code = 10049, level = ne("information") },
  },
  diagnose = "DHCPServer event 1007: the DHCP Server could not initialize Winsock, error 0x2741 (WSAEADDRNOTAVAIL, the "
    .. "address is not valid), so it shuts down (1008, Service Control Manager 7023): an IP address of this server in "
    .. "the registry is written with leading zeros (such as 015.057.120.001), which it cannot bind.",
  remedy = "Write the server's IP addresses without leading zeros (in the TCP/IP properties, or in the adapter's "
    .. "IPAddress value under Services\\<adapter>\\Parameters\\Tcpip) and start the DHCP Server service.  Do not put "
    .. "leading zeros in IP addresses in Unattend.txt files.",
}
