-- Q229097 SMS: Possible Helpdesk TCP and UDP Port Conflicts.
-- The Systems Management Server Helpdesk (Remote Control Agent,
-- Wuser32.exe) uses ports 1761 (rights, reboot, remote execute), 1762
-- (remote control), 1763 (chat) and 1764 (file transfer), TCP and UDP,
-- and cannot share them: another program on one of them causes general
-- protection faults, application errors, or a Remote Control Agent that
-- hangs.  The article's test is netstat without Wuser32.exe; with it, a
-- listener's PID tells Wuser32.exe from another program.  The rule needs
-- Wuser32.exe in the process list, so a computer without the SMS client
-- is not reported.

local purposes = {
  [1761] = "verification of rights, remote reboot and remote execute",
  [1762] = "remote control",
  [1763] = "remote chat",
  [1764] = "file transfer",
}

rule "Q229097" {
  article = "Q229097",
  title = "Another program holds a port of the SMS Helpdesk (Remote Control Agent)",
  severity = "error",
  salience = 30,
  products = { "Systems Management Server 1.2", "Systems Management Server 2.0" },
  when = {
    process { name = ci "wuser32.exe", pid = "?agent" },
    listener { port = { "?port", one_of { 1761, 1762, 1763, 1764 } }, protocol = "?proto", pid = { "?pid", ge(0) } },
    process { pid = "?pid", name = "?holder" },
    no(process { pid = "?pid", name = ci "wuser32.exe" }),
  },
  -- a process listing may give a PID no name, a listing a socket no protocol
  diagnose = function(m)
    return (m.holder or "The program") .. " (PID " .. m.pid .. ") holds " .. (m.proto and m.proto:upper() .. " " or "")
      .. "port " .. m.port .. ", which the SMS Remote Control Agent (Wuser32.exe" .. (m.agent and ", PID " .. m.agent or "")
      .. ") uses for " .. purposes[m.port] .. "; the ports cannot be shared, so remote control may hang or programs "
      .. "fail with general protection faults."
  end,
  remedy = function(m)
    return "Move " .. (m.holder or "the program with PID " .. m.pid) .. " to other ports or stop it on this client, or "
      .. "ask Microsoft Product Support for the Helpdesk port fix (Q229097).  Confirm as the article does: disable "
      .. "Wuser32.exe, restart, and run netstat -a; any of ports 1761-1764 still listed is held by another program."
  end,
}
