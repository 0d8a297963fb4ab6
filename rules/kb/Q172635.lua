-- Q172635 Event 567, RC =10048 When Restarting SNA Server.
-- When SnaBase or SnaServer stops with an access violation, SNA Server
-- 2.11, 3.0 and 3.0 SP1 leave the TCP/IP sockets they used open, and the
-- restarted service logs event 567 "Creation of a named pipe failed, rc =
-- 10048, pipe = <socket number>" (WSAEADDRINUSE) until the computer is
-- restarted.  The article names no event source, so the rule keys on the
-- ID and the code: "rc = 10048" in an export's text, or 10048 as the
-- event's code (a binary log's insertion string).  Another rc is another
-- problem, and Security's audit event 567 is information, not an error.

local function addr_in_use(m)
  return m.code == 10048 or (m.msg or ""):find("rc%s*=%s*10048") ~= nil
end

rule "Q172635" {
  article = "Q172635",
  title = "SNA Server left its sockets open after an access violation, so its services cannot restart",
  severity = "error",
  salience = 30,
  products = { "SNA Server 2.11", "SNA Server 3.0", "SNA Server 3.0 SP1" },
  when = {
    event { id = 567, level = ne("information"), source = "?src", message = "?msg", code = "?code" },
    test(addr_in_use),
  },
  diagnose = function(m)
    -- an export may leave the source out; the ID and the code are the evidence
    return (m.src and m.src .. " event" or "Event") .. " 567: a named pipe could not be created with rc = 10048 "
      .. "(WSAEADDRINUSE, address already in use): SnaBase or SnaServer failed with an access violation and left its "
      .. "TCP/IP sockets open, so it cannot start again."
  end,
  remedy = "Restart the computer to free the sockets, then apply the latest SNA Server 3.0 service pack, which closes "
    .. "them when a service fails.  The access violation has a cause of its own: send Drwtsn32.log, "
    .. "Traces\\Snadump.log and the Application and System logs to Microsoft support.",
}
