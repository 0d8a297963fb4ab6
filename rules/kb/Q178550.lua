-- Q178550 IP Address Conflict with Address 0.0.0.0.
-- After the ICMP hotfix (Q154174, Q143478) Windows NT 4.0 answers ARP
-- requests sent from 0.0.0.0, which DHCP clients send to check an offered
-- lease (RFC 1541), and logs TCP/IP event 4199 "The system detected an
-- address conflict for IP address 0.0.0.0 ...".  A conflict for any other
-- address is a real duplicate address, not this article.  The rule reads
-- the address from the message (a binary log's first insertion string).

local function zero_address(msg)
  return msg ~= nil and msg:find("%f[%d%.]0%.0%.0%.0%f[^%d%.]") ~= nil
end

rule "Q178550" {
  article = "Q178550",
  title = "An address conflict for 0.0.0.0 is a DHCP client's ARP probe, not a duplicate address",
  severity = "warning",
  salience = 30,
  products = { "Windows NT Server 4.0", "Windows NT Workstation 4.0" },
  when = {
    event { id = 4199, source = match "^[Tt][Cc][Pp]/?[Ii][Pp]$", level = ne("information"), message = test(zero_address) },
  },
  diagnose = "TCP/IP event 4199 reports an address conflict for IP address 0.0.0.0: with the ICMP hotfix installed, "
    .. "Windows NT 4.0 answers the ARP requests DHCP clients send from 0.0.0.0 to check a lease, and logs them as "
    .. "conflicts.",
  remedy = "Apply the latest Windows NT 4.0 service pack, which no longer reports these probes.  No address on the "
    .. "network is duplicated.",
}
