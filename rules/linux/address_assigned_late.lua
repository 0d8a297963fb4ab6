-- A daemon failed with EADDRNOTAVAIL on an address the host does have
-- now: the address came up after the daemon started, typically at boot
-- when the unit is not ordered after network-online.target, or a DHCP or
-- keepalived address that arrives later.  Kept apart from
-- linux-address-not-assigned, which must not fire for an address the
-- host has.

rule "linux-address-assigned-late" {
  title = "A daemon started before its listen address was assigned",
  severity = "warning",
  when = {
    bind_problem { error = "not_available", service = "?svc", address = { "?addr", match "." }, port = "?port" },
    address { address = "?addr", interface = "?iface" },
  },
  -- a log may name no port (slapd), a listing no interface (hostname -I)
  diagnose = function(m)
    return m.svc .. " could not listen on " .. m.addr .. (m.port and " port " .. m.port or "") .. " (Cannot assign "
      .. "requested address), but " .. (m.iface or "the host") .. " has " .. m.addr .. " now: the address was not "
      .. "yet assigned when " .. m.svc .. " started."
  end,
  remedy = "Start ?svc after the network is up (systemctl edit ?svc: [Unit] After=network-online.target and "
    .. "Wants=network-online.target), or let it bind addresses that are not yet assigned "
    .. "(sysctl net.ipv4.ip_nonlocal_bind=1, net.ipv6.ip_nonlocal_bind=1); then restart ?svc.",
}
