-- A daemon is configured to listen on an address this host does not have
-- (EADDRNOTAVAIL, errno 99: nginx "bind() to 192.0.2.10:80 failed (99:
-- Cannot assign requested address)", sshd "Bind to port 22 on 192.0.2.10
-- failed: Cannot assign requested address.", apache "(99)Cannot assign
-- requested address: AH00072: make_sock: could not bind to address
-- 192.0.2.10:80").  The Linux counterpart of KB Q214864 (a service bound
-- to an IP address the server no longer has).  The engineer needs the
-- configured address beside the ones the host has, to spot the typo or
-- the moved server.  When the host does have the address now, see
-- address_assigned_late.lua instead.

local function specific(a)
  return a ~= "0.0.0.0" and a ~= "::" and not a:find("^unix:")
end

rule "linux-address-not-assigned" {
  title = "A daemon is configured to listen on an address this host does not have",
  severity = "error",
  when = {
    bind_problem { error = "not_available", service = "?svc", address = { "?addr", match ".", test(specific) },
                   port = "?port" },
    no(address { address = "?addr" }),
  },
  diagnose = function(m)
    local have = {}
    for _, a in ipairs(kb.facts("address")) do
      have[#have + 1] = a.address .. (a.interface and " (" .. a.interface .. ")" or "")
    end
    local where = (m.addr:find(":", 1, true) and "[" .. m.addr .. "]" or m.addr) .. (m.port and ":" .. m.port or "")
    return m.svc .. " cannot listen on " .. where .. ": no interface of this host has the address " .. m.addr
      .. (#have > 0 and "; the host has " .. table.concat(have, ", ") .. "." or "; kbdiag saw none of the host's addresses.")
  end,
  remedy = "Change ?svc's listen address to one the host has (or to the wildcard 0.0.0.0 or ::), or add ?addr to "
    .. "an interface (ip address add ?addr/PREFIX dev IFACE); then restart ?svc.",
}
