-- Q294696 IIS4: Unable to Start Web Sites on Port 80.
-- Every Web site stops and none starts on port 80 (any other port works):
-- a planted Events.exe, run from C:\Recycler through the Recycle Bin's
-- Everyone: Full Control hole, holds port 80 and registers itself as the
-- service EventsSystem ("Windows Event System") so that it cannot be
-- killed.  Exchange Server 5.5 has a program named Events.exe too (its
-- Event Service, in exchsrvr\bin), which does not listen on port 80: a
-- listener on 80 or a service whose image lies in the Recycler is the
-- evidence.

local remedy = "Back up and delete the EventsSystem service keys (HKLM\\SYSTEM\\ControlSet00n\\Services\\"
  .. "EventsSystem), restart the server, stop Events.exe with kill, delete C:\\Recycler\\Events.exe, and remove "
  .. "Everyone: Full Control from the system drive."

rule "Q294696" {
  article = "Q294696",
  title = "A planted Events.exe holds port 80, so no Web site starts on it",
  severity = "error",
  salience = 35,
  products = { "Internet Information Server 4.0", "Windows NT 4.0" },
  when = {
    listener { protocol = "tcp", port = 80, pid = { "?pid", ge(0) } },
    process { pid = "?pid", name = { "?image", ci "events.exe" } },
    no(explained { service = "WWW service", port = 80 }),
  },
  diagnose = "?image (PID ?pid) listens on TCP port 80, so no Web site can start on it. Exchange Server 5.5's own "
    .. "Events.exe does not listen on port 80: this is the program planted in C:\\Recycler through the Recycle Bin, "
    .. "which runs as the service EventsSystem so that it cannot be stopped.",
  remedy = remedy,
  assert = { explained { service = "WWW service", port = 80, rule = "Q294696" } },
}

rule "Q294696-service" {
  article = "Q294696",
  title = "A planted Events.exe holds port 80, so no Web site starts on it",
  severity = "error",
  salience = 34,
  products = { "Internet Information Server 4.0", "Windows NT 4.0" },
  when = {
    service { name = { "?key", ci "EventsSystem" },
              image = { "?image", match "[Rr][Ee][Cc][Yy][Cc][Ll][Ee][Rr]\\[Ee][Vv][Ee][Nn][Tt][Ss]%.[Ee][Xx][Ee]" } },
    no(explained { service = "WWW service", port = 80 }),
  },
  diagnose = "The service ?key runs ?image, the Events.exe planted through the Recycle Bin that holds TCP port 80 "
    .. "so that no Web site can start on it.",
  remedy = remedy,
  assert = { explained { service = "WWW service", port = 80, rule = "Q294696-service" } },
}
